/*
 * The process layer's state. Processes are a libOS notion: the process table holds
 * the pid tree, states, exit statuses and descriptor tables. Only the libOS server
 * (srv.h) writes it; every process sees it through a read-only view at UPROCS, and
 * keeps its own task struct.
 */
#ifndef LIBOS_PROC_H
#define LIBOS_PROC_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "libos.h"
#include <sys/ioctl.h>
#include <sys/resource.h>

#define NPROC 256
#define NOFILE 64             /* descriptors per process */
enum proc_state { PROC_FREE = 0, PROC_RUNNING, PROC_ZOMBIE };
#define PROC_REPORT_STOP 1
#define PROC_REPORT_CONT 2

struct proc {
	int32_t pid;          /* 0 when free */
	int32_t ppid;
	envid_t env;          /* the environment running this process now */
	uint32_t state;       /* enum proc_state */
	int32_t wstatus;      /* wait() status once a zombie */
	uint8_t started;      /* its environment has bound a channel (it runs) */
	uint8_t stopped;      /* stopped by this signal (0: not stopped) */
	uint8_t forced;       /* stopped by making its environment not runnable */
	uint8_t report;       /* PROC_REPORT_*: a stop or continue its parent has not waited for */
	int32_t pgid, sid;    /* process group and session */
	uint32_t execed;      /* it has exec'd (setpgid by its parent: EACCES) */
	uint32_t umask;       /* the file mode creation mask */
	uint64_t sig_pending; /* signals for it while it has no channel (it gets them at hello) */
	uint64_t sig_ignored, sig_blocked; /* what exec keeps, for the new image */
	char cmd[72];         /* argv joined, for ps */
	/* Kept here, not in private memory, so they survive exec: */
	int16_t fd[NOFILE];   /* open-file index (fs.h), -1 = closed */
	uint64_t cloexec;     /* bit n: close fd n on exec */
	char cwd[120];
	struct rlimit rlim[RLIM_NLIMITS]; /* getrlimit/setrlimit (rlimit.c); fork and exec keep them */
};

struct proctab {
	envid_t server;       /* the libOS server's environment */
	int32_t fg_pgrp;      /* the console's foreground process group */
	envid_t tty_reader;   /* the server's console reader (an environment, no process) */
	struct termios tty;   /* the console's settings (srv_tty.c) */
	struct winsize winsize;
	int32_t next_pid;
	uint32_t nproc;       /* live entries (running or zombie) */
	uint32_t pad;
	char hostname[65];    /* sethostname's; "" until then (uname.c) */
	struct proc p[NPROC];
};
#define PROCTAB ((struct proctab *)UPROCS)
#define PROCTAB_PAGES ((sizeof(struct proctab) + PAGE_SIZE - 1) / PAGE_SIZE)

/* Per-process private state. In the server, `task` describes the process whose
 * request is being served (self is then its writable entry). */
struct task {
	int pid;
	envid_t env;            /* our environment (a fork child sets its own) */
	struct proc *self;      /* our table entry (read-only outside the server) */
	char **argv;
};
extern struct task task;
/* True in the libOS server's environment. */
extern bool libos_is_server;

/* proctab.c: proc_init: become a process of the system (bind a channel to the
 * server), or, as the first environment of all, become the server. */
void proc_init(int argc, char **argv);
/* proc_set_cmd: record argv (joined by spaces, cut to fit) as a command in cmd. */
void proc_set_cmd(char cmd[72], char *const argv[]);
/* proc_exit: end the process with wait status wstatus (the server releases what
 * it held and ends its environment). Does not return. */
void proc_exit(int wstatus) __attribute__((noreturn));

#define ARG_MAX_BYTES (64 * 1024) /* exec: arguments and environment together (ARG_MAX) */

/* exec.c: libos_exec_build: a new, not yet runnable environment running path with
 * argv/envp and a view of the shared tables. Returns its id, or -errno (ENOENT,
 * EACCES, ENOEXEC, E2BIG, ENOMEM). libos_exec_image: the same for an ELF image
 * already in memory (the server starts pid 1 from boot module 0 with it). */
long libos_exec_build(const char *path, char *const argv[], char *const envp[]);
long libos_exec_image(const char *img, size_t size, char *const argv[], char *const envp[]);

/* libos_path_lookup: the first "$PATH-entry/file" (default PATH /bin) that is a
 * regular file, into buf. Returns 0 or ENOENT. */
int libos_path_lookup(const char *file, char *buf, size_t size);

/* mman.c: libos_mman_fault: the first touch of a page of private anonymous
 * memory: map a zero page as its region allows (0), or -1 if it does not (a
 * PROT_NONE page, a write to a read-only one, no mapping). libos_mman_allows:
 * would it? */
int libos_mman_fault(uint64_t va, bool write);
bool libos_mman_allows(uint64_t va, bool write);
/* libos_mman_past_eof: is va in a file mapping, past the end of the file (SIGBUS)? */
bool libos_mman_past_eof(uint64_t va);
/* libos_mman_shared_in: may [lo, hi) hold a page of a shared mapping (one there,
 * or parked there by PROT_NONE)? */
bool libos_mman_shared_in(uint64_t lo, uint64_t hi);

/* rlimit.c: each resource's limits at boot (pid 1's, which every process
 * inherits), and the highest hard limit the libOS can honour (setrlimit: EPERM). */
extern const struct rlimit libos_rlimit_initial[RLIM_NLIMITS];
extern const struct rlimit libos_rlimit_ceiling[RLIM_NLIMITS];

/* pgfault.c: the page-fault handler (copy-on-write, stack growth). */
int libos_pgfault(struct exo_utf *utf);
/* libos_prepare_resume: make the word below the interrupted code's red zone
 * writable (resolve COW, grow the stack): upcall.S writes the return address there. */
void libos_prepare_resume(const struct exo_utf *utf);
/* libos_trap_signal: the signal a CPU trap is (SIGSEGV, SIGFPE, SIGILL, SIGTRAP;
 * SIGBUS for a page fault past the end of a mapped file). */
int libos_trap_signal(const struct exo_utf *utf);
/* libos_fatal_trap: the message and signal for a trap no handler took. */
void libos_fatal_trap(const struct exo_utf *utf) __attribute__((noreturn));

#endif
