/*
 * Environments: the kernel's unit of protection. An environment is an address
 * space, saved registers (and SSE state), resource accounting and a parent.
 */
#ifndef EXO_ENV_H
#define EXO_ENV_H
#include "kern.h"
#include "cpu.h"
#include "bootinfo.h"
#include "../include/exo/syscall.h"
#include "vm.h"
#include "frame.h"

/* An environment id is (generation << NENV_LOG2) | slot: positive, below 2^31.
 * Each slot counts its own generations and is retired when they run out, so an
 * id never names a second environment. */
#define NENV_LOG2 10
#define NENV (1 << NENV_LOG2)
#define ENVX(id) ((id) & (NENV - 1))
#define ENV_GENERATIONS (1u << (31 - NENV_LOG2))

enum env_status { ENV_FREE = 0, ENV_RUNNABLE, ENV_NOT_RUNNABLE };

/* Exit status the kernel reports for an environment it ended because of a fault. */
#define ENV_STATUS_FAULT 125

struct env {
	struct trapframe tf;                     /* first: trap entry pushes into it */
	uint8_t fxsave[512] __attribute__((aligned(16)));
	envid_t id;
	envid_t parent;
	envid_t heir;                            /* a child that takes its place when it ends, or 0 */
	envid_t watcher;                         /* the outermost watching ancestor (env_watch), or 0 */
	bool watch;                              /* env_watch called: descendants made later report to it */
	bool started;                            /* made runnable at least once */
	enum env_status status;
	bool wait_console;                       /* blocked in cons_read */
	bool may_power_off;                      /* boot env, or designated by it */
	uint64_t pml4_pa;                        /* its address space, perhaps shared (exofork_shared) */
	envid_t space;                           /* id of the environment that made that space */
	uint64_t fs_base;                        /* user %fs base (env_set_fsbase), loaded when it runs */
	uint64_t wait_pa;                        /* physical address of the word it waits on (addr_wait), else 0 */
	uint64_t wait_va;                        /* and its virtual address */
	struct frame_list held;                  /* frames charged to it (pages + page tables) */
	uint64_t frame_quota;                    /* the most it may be charged for */
	uint32_t nslots, slot_quota;             /* time slots held, and the limit */
	uint64_t upcall_entry;                   /* exception upcall handler, 0 = none */
	uint64_t slot_upcall_entry;              /* slot-start upcall handler, 0 = none */
	uint64_t xstack_top;                     /* exception stack: [top - XSTACK_SIZE, top) */
	/* IPC: set while blocked in ipc_recv */
	bool ipc_recving;
	uint64_t ipc_dstva;                      /* where to map a granted page; >= ULIM: none */
	uint64_t sleep_until;                    /* TSC deadline while in sleep_until, else 0 */
	uint64_t interrupt_at;                   /* TSC deadline of an interrupt_at, else 0 */
	bool interrupt_pending;                  /* an interrupt upcall is owed (env_interrupt) */
	/* Kernel notes waiting for the next ipc_recv, one of each kind: the latest
	 * child death (it goes first) and the latest wakeup. */
	struct { bool pending; envid_t from; uint64_t status; } death_note, wake_note;
	char name[32];
} __attribute__((aligned(16)));

#define XSTACK_SIZE EXO_XSTACK_SIZE

extern struct env envs[NENV];
extern int env_top;   /* 1 + the highest slot index ever used: scans stop there */
extern envid_t boot_envid;
extern uint64_t default_frame_quota;   /* boot option frames=N */
extern uint32_t default_slot_quota;    /* boot option slotquota=N */
extern uint32_t env_first_generation;  /* boot option envgen=N (tests of id exhaustion) */
extern struct exo_env_view env_views[NENV]; /* exported at UENVS */


static inline struct env *curenv(void) { return thiscpu()->env; }

/* env_init: mark every slot free. */
void env_init(void);

/* env_alloc: a new environment, not runnable, with an empty user address space,
 * or, if share is not NULL, running in share's address space (the same page
 * tables: every mapping either makes, before or after, both see). An address
 * space lives until the last environment in it ends; its root table's mapping
 * count (exported frame table) is the number of environments in it.
 * Returns 0 and sets *out, or -E_NOENV / -E_NOMEM. */
int env_alloc(envid_t parent, const char *name, const struct env *share, struct env **out);

/* env_create_boot: load the ELF in boot module m as the first environment and make
 * it runnable. Returns 0, or a negative error after printing why. */
int env_create_boot(const struct boot_module *m);

/* env_map_module: map physical [start, end) read-only (and no-execute) at uva in e.
 * Returns 0 or a negative error. Boot-time only. */
int env_map_module(struct env *e, uint64_t uva, uint64_t start, uint64_t end);

/* env_lookup: the live environment with this id (0 = the caller). Returns NULL if
 * there is none, or id is outside [1, 2^31). */
struct env *env_lookup(long id);

/* env_reserve: may n more frames be charged to e now (its quota) and are there n
 * free frames? Returns 0, -E_QUOTA or -E_NOMEM. A call reserves everything it
 * will make before it changes anything, so that it cannot fail halfway. */
int env_reserve(const struct env *e, uint64_t n);

/* env_walk_make: the entry for va at level in e's tables, making the missing
 * tables (charged to e). The caller has reserved them (vm_tables_missing,
 * env_reserve): this cannot fail. */
pte_t *env_walk_make(struct env *e, uint64_t va, int level);

/* env_page_alloc: allocate a frame charged to e, a copy of the page at the kernel
 * address from (NULL: zeroed), and map it at va with perm (validated by the
 * caller), replacing what was mapped there (the copy is made first: from may be
 * that page). Returns the frame's physical address, or 0 with *err set (-E_AGAIN:
 * the table there is shared read-only; -E_INVAL: a large page covers va;
 * -E_QUOTA, -E_NOMEM) and nothing changed. */
uint64_t env_page_alloc(struct env *e, uint64_t va, uint64_t perm, const void *from, int *err);

/* env_map_check: may a mapping be made at va in e? Counts in t the page tables it
 * needs (t: a tally over ascending addresses). Returns 0, or -E_AGAIN when the
 * table there is shared read-only, -E_INVAL when a large page covers va. */
int env_map_check(struct env *e, uint64_t va, struct pt_tally *t);

/* env_map_frame: map the frame at pa at va in e with perm (validated, tables and
 * the frame's mapping count reserved by the caller), replacing what was there. */
void env_map_frame(struct env *e, uint64_t va, uint64_t pa, uint64_t perm);

/* charge.c: the frames charged to environments (see exports.h, EXO_FRAME_PT).
 * charge_check: may n more be charged to e (0 or -E_QUOTA)?
 * charge_alloc: a frame charged to e with flags, a copy of the page at the kernel
 *   address from (NULL: zeroed); 0 when memory is out.
 * charge_free: free a frame nobody maps, uncharging whoever it names (zero: the
 *   caller left it all zeros, see pmem_free).
 * charge_alloc_large / charge_free_large: the same for a large frame (512 frames
 *   charged; zero-filled only if zero; allocation fails, 0, when no aligned run
 *   is free).
 * charge_move: the frame at pa is charged to `to` from now on.
 * charge_hand_over: everything charged to from is charged to `to`. */
int charge_check(const struct env *e, uint64_t n);
uint64_t charge_alloc(struct env *e, uint16_t flags, const void *from);
void charge_free(uint64_t pa, bool zero);
uint64_t charge_alloc_large(struct env *e, bool zero);
void charge_free_large(uint64_t pa);
void charge_move(uint64_t pa, struct env *to);
void charge_hand_over(struct env *from, struct env *to);

/* env_controls: true when actor may act on target: target is actor itself, one
 * of its descendants, or an environment in actor's address space (exofork_shared). */
bool env_controls(const struct env *actor, const struct env *target);

/* env_controlled: look up envid (0 = the caller) and check the caller may act on
 * it (itself or a descendant). Returns 0 and sets *out, or -E_BADENV / -E_PERM. */
int env_controlled(long envid, struct env **out);

/* env_publish: refresh e's entry in the exported environment table (UENVS). */
void env_publish(const struct env *e);
/* env_publish_state: refresh only its status and flags (what blocking and waking
 * change): the fast paths' form of env_publish. e is not free. */
void env_publish_state(const struct env *e);

/* env_views_init: allocate and export the environment table. Boot-time only. */
void env_views_init(void);

/* env_copy_out: copy len bytes to user address va in e's address space (not
 * necessarily the current one). Returns 0, or -E_FAULT if a page is not mapped
 * writable for the user. */
int env_copy_out(struct env *e, uint64_t va, const void *src, size_t len);

/* env_notify: deliver a kernel message (EXO_IPC_WAKE / EXO_IPC_DEATH) to e: at once
 * (in its registers) if it is blocked in ipc_recv, otherwise at its next ipc_recv. A later note replaces
 * an undelivered one of the same kind (notes coalesce; a waiter re-checks what it
 * waits for anyway), and a wakeup never hides a death: a pending death goes first. */
void env_notify(struct env *e, envid_t from, uint64_t kind, uint64_t status);

/* env_destroy: end e with an exit status, freeing its memory. If e is the boot
 * environment, the machine powers off with that status. Does not return if e is
 * the running environment. */
void env_destroy(struct env *e, int status);

/* env_run: resume e in user mode. */
void env_run(struct env *e) __attribute__((noreturn));

/* env_blocked: e sleeps in a blocking call (ipc_recv, cons_read, sleep_until,
 * addr_wait) and wakes by itself. */
static inline bool env_blocked(const struct env *e)
{
	return e->ipc_recving || e->wait_console || e->sleep_until || e->wait_pa;
}

/* sched.c: pick the next runnable environment and run it; idle when none is
 * runnable; power off when none is left. */
void sched_run(void) __attribute__((noreturn));
/* sched_init: the slot vector (slots per round, quantum) and the timer. */
void sched_init(uint32_t nslots, uint64_t quantum_us);
/* sched_tick: timer interrupt; may switch to another environment. */
void sched_tick(void);
/* sched_sleep: block the running environment e until deadline (a TSC value; 0:
 * none) or until something makes it runnable first; the call it is in returns
 * result unless whatever wakes it says otherwise. Does not return. */
void sched_sleep(struct env *e, uint64_t deadline, long result) __attribute__((noreturn));
/* sched_release: give back every slot e holds (it is being destroyed or blocks for good). */
void sched_release(struct env *e);

/* upcall.c: deliver trap tf of e to its exception upcall handler. Returns true
 * when delivered, false when e has no handler; ends e (and does not return) when
 * delivery is impossible (fault inside the handler, bad exception stack). */
bool upcall_exception(struct env *e, struct trapframe *tf);
/* upcall_slot: enter e's slot-start handler if it has one (e is about to run). */
void upcall_slot(struct env *e);
/* upcall_interrupt: e is owed an interrupt (e->interrupt_pending): if it can take
 * it now (it has an exception upcall entry and is not on its exception stack),
 * push it onto e->tf. */
void upcall_interrupt(struct env *e);
/* env_interrupt: owe e an interrupt upcall; a blocking call it sleeps in
 * (ipc_recv, cons_read, sleep_until, addr_wait) returns -E_INTR first. */
void env_interrupt(struct env *e);

#endif
