/*
 * The process layer's private state. Processes are a libOS notion: a shared
 * process table (mapped with PTE_SHARE into every process at UPROCS) holds the
 * pid tree, states and exit statuses; each process keeps its own task struct.
 * The table is trusted by every process of the system, as a Unix kernel's would
 * be; it is the price of a process abstraction that lives in a library.
 */
#ifndef LIBOS_PROC_H
#define LIBOS_PROC_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "libos.h"

#define NPROC 256
#define NOFILE 64             /* descriptors per process */
enum proc_state { PROC_FREE = 0, PROC_RUNNING, PROC_ZOMBIE };

struct proc {
	int32_t pid;          /* 0 when free */
	int32_t ppid;
	envid_t env;          /* the environment running this process now (0: being made) */
	uint32_t state;       /* enum proc_state */
	int32_t wstatus;      /* wait() status once a zombie */
	envid_t maker;        /* the environment that made the entry (fork, spawn) */
	envid_t reaper;       /* who is releasing what the ended process held, or 0 */
	uint8_t started;      /* its environment has been made runnable */
	uint8_t released;     /* everything it held is released (exit or a survivor) */
	uint8_t pad[2];
	int32_t killsig;      /* a kill request not yet carried out, or 0 */
	char cmd[72];         /* argv joined, for ps */
	/* Kept here, not in private memory, so they survive exec: */
	int16_t fd[NOFILE];   /* open-file index (fs.h), -1 = closed */
	uint64_t cloexec;     /* bit n: close fd n on exec */
	char cwd[120];
};

struct proctab {
	volatile uint32_t lock;
	int32_t next_pid;
	uint32_t nproc;       /* live entries (running or zombie) */
	uint32_t pad;
	struct proc p[NPROC];
};
#define PROCTAB ((struct proctab *)UPROCS)
#define PROCTAB_PAGES ((sizeof(struct proctab) + PAGE_SIZE - 1) / PAGE_SIZE)

/* Per-process private state. */
struct task {
	int pid;
	envid_t env;            /* our environment (a fork child sets its own) */
	struct proc *self;      /* our table entry */
	char **argv;
};
extern struct task task;

/* proctab.c */
/* libos_lock / libos_unlock: a lock word shared between processes, holding the
 * holder's environment id. A lock whose holder's environment is gone (killed,
 * faulted, ended by the kernel), or that the caller itself holds (it faulted in a
 * locked section and is ending), is taken over instead of waited for; a live
 * holder is given the CPU until it lets go. libos_lock returns true when it took
 * the lock over: the data it guards may be half updated (the caller repairs it). */
bool libos_lock(volatile uint32_t *lock);
void libos_unlock(volatile uint32_t *lock);
/* proc_lock: take the process table's lock (recounting the table if it was taken
 * over from a holder that ended). */
void proc_lock(void);
void proc_unlock(void);
/* proc_sweep: release what every ended process still held (its environment is
 * gone but its entry says it runs, or its descriptors are still open), drop the
 * entries of processes whose maker ended before starting them, and, as pid 1,
 * carry out kill requests. Safe to call from any process at any safe point;
 * idempotent. Returns true if it changed anything. */
bool proc_sweep(void);
/* proc_started: mark entry p's environment as made runnable (by its maker). */
void proc_started(struct proc *p);
/* proc_init: find or create the process table and our entry; called at start-up. */
void proc_init(int argc, char **argv);
/* proc_alloc: a new RUNNING entry with ppid (table locked by the caller). NULL if full. */
struct proc *proc_alloc(int ppid);
/* proc_discard: give back an entry whose process never ran (its descriptors too). */
void proc_discard(struct proc *p);
/* proc_find: the live entry for pid, or NULL (table locked by the caller, or a
 * look-up that tolerates a stale answer: kill, before its target has ended). */
struct proc *proc_find(int pid);
/* proc_set_cmd: record argv (joined by spaces) as the entry's command. */
void proc_set_cmd(struct proc *p, char *const argv[]);
/* proc_reparent_children: give pid's children to init (table locked by the caller).
 * Returns true if one of them is already a zombie (init must be woken to reap it). */
bool proc_reparent_children(int pid);
/* proc_exit: become a zombie with wait status wstatus, hand children to init, wake
 * the parent, and end the environment. If it dies half-way, proc_sweep in a
 * survivor finishes the job. */
void proc_exit(int wstatus) __attribute__((noreturn));

/* exec.c: libos_exec_build: a new, not yet runnable environment running path with
 * argv/envp and our shared regions. Returns its id, or -errno (ENOENT, EACCES,
 * ENOEXEC, E2BIG, ENOMEM). */
long libos_exec_build(const char *path, char *const argv[], char *const envp[]);

/* libos_path_lookup: the first "$PATH-entry/file" (default PATH /bin) that is a
 * regular file, into buf. Returns 0 or ENOENT. */
int libos_path_lookup(const char *file, char *buf, size_t size);

/* pgfault.c: the page-fault handler (copy-on-write, stack growth). */
int libos_pgfault(struct exo_utf *utf);
/* libos_prepare_resume: make the word below the interrupted code's red zone
 * writable (resolve COW, grow the stack): upcall.S writes the return address there. */
void libos_prepare_resume(const struct exo_utf *utf);
/* libos_fatal_trap: the message and signal for a trap no handler took. */
void libos_fatal_trap(const struct exo_utf *utf) __attribute__((noreturn));

/* pte helpers (fork.c): install the exception stack in a new environment. */
int libos_give_xstack(envid_t child);

#endif
