/*
 * Environments: the kernel's unit of protection. An environment is an address
 * space, saved registers (and SSE state), resource accounting and a parent.
 */
#ifndef EXO_ENV_H
#define EXO_ENV_H
#include "kern.h"
#include "cpu.h"
#include "bootinfo.h"

#define NENV_LOG2 10
#define NENV (1 << NENV_LOG2)
#define ENVX(id) ((id) & (NENV - 1))

enum env_status { ENV_FREE = 0, ENV_RUNNABLE, ENV_NOT_RUNNABLE };

/* Exit status the kernel reports for an environment it ended because of a fault. */
#define ENV_STATUS_FAULT 125

struct env {
	struct trapframe tf;                     /* first: trap entry pushes into it */
	uint8_t fxsave[512] __attribute__((aligned(16)));
	envid_t id;
	envid_t parent;
	enum env_status status;
	bool wait_console;                       /* blocked in cons_read */
	uint64_t pml4_pa;
	uint64_t nframes, frame_quota;           /* user frames owned, and the limit */
	char name[32];
} __attribute__((aligned(16)));

extern struct env envs[NENV];
extern envid_t boot_envid;

static inline struct env *curenv(void) { return thiscpu()->env; }

/* env_init: mark every slot free. */
void env_init(void);

/* env_alloc: a new environment with an empty user address space, not runnable.
 * Returns 0 and sets *out, or -E_NOENV / -E_NOMEM. */
int env_alloc(envid_t parent, const char *name, struct env **out);

/* env_create_boot: load the ELF in boot module m as the first environment and make
 * it runnable. Returns 0, or a negative error after printing why. */
int env_create_boot(const struct boot_module *m);

/* env_lookup: the live environment with this id (0 = the caller). Returns NULL if
 * there is none. */
struct env *env_lookup(envid_t id);

/* env_page_alloc: allocate a zeroed frame owned by e and map it at va with perm
 * (validated by the caller). Returns the frame's physical address, or 0 with *err set
 * (-E_QUOTA, -E_NOMEM). An existing mapping at va is replaced. */
uint64_t env_page_alloc(struct env *e, uint64_t va, uint64_t perm, int *err);

/* env_uncharge: a frame owned by id was freed; adjust its owner's count. */
void env_uncharge(envid_t id);

/* env_destroy: end e with an exit status, freeing its memory. If e is the boot
 * environment, the machine powers off with that status. Does not return if e is
 * the running environment. */
void env_destroy(struct env *e, int status);

/* env_run: resume e in user mode. */
void env_run(struct env *e) __attribute__((noreturn));

/* sched.c: pick the next runnable environment and run it; idle when none is
 * runnable; power off when none is left. */
void sched_run(void) __attribute__((noreturn));

#endif
