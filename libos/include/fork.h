/*
 * Fork strategies. A strategy fills a freshly exoforked, not yet runnable child
 * environment's address space from ours; libos_fork does the rest (pid, exception
 * stack, making it runnable). An application may call libos_fork(&fork_...)
 * directly, or set libos_fork_default, which is what fork() uses.
 */
#ifndef LIBOS_FORK_H
#define LIBOS_FORK_H
#include <stdbool.h>
#include <sys/types.h>
#include "libos.h"

struct fork_strategy {
	const char *name;
	/* copy: build child's address space. Returns 0 or a negative kernel error. */
	int (*copy)(envid_t child);
	/* borrows: the child uses our memory, so we wait until it execs or exits. */
	bool borrows;
};

extern const struct fork_strategy fork_eager;    /* copy every private page now */
extern const struct fork_strategy fork_cow;      /* copy-on-write by PTE copying */
extern const struct fork_strategy fork_ondemand; /* share page tables; copy a table on first write */
extern const struct fork_strategy *libos_fork_default;

/* libos_fork_strategy: the strategy with this name ("eager", "cow", "ondemand"),
 * or NULL. (vfork() is a call of its own: the child borrows our memory until it
 * execs or exits.) fork() uses libos_fork_default, which the libOS sets at start-up
 * from the environment variable LIBOS_FORK (default "cow"). */
const struct fork_strategy *libos_fork_strategy(const char *name);

/* libos_fork: fork with strategy s. Returns the child's pid, 0 in the child, or -1
 * with errno (EAGAIN: no process slot or environment; ENOMEM: memory or quota). */
pid_t libos_fork(const struct fork_strategy *s);

#endif
