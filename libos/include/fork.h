/*
 * Fork strategies. A strategy fills a freshly exoforked, not yet runnable child
 * environment's address space from ours; libos_fork does the rest (pid, exception
 * stack, making it runnable). An application may call libos_fork(&fork_...)
 * directly, or set libos_fork_default, which is what fork() uses.
 */
#ifndef LIBOS_FORK_H
#define LIBOS_FORK_H
#include <sys/types.h>
#include "libos.h"

struct fork_strategy {
	const char *name;
	/* copy: build child's address space. Returns 0 or a negative kernel error. */
	int (*copy)(envid_t child);
};

extern const struct fork_strategy fork_cow;     /* copy-on-write by PTE copying */
extern const struct fork_strategy *libos_fork_default;

/* libos_fork: fork with strategy s. Returns the child's pid, 0 in the child, or -1
 * with errno (EAGAIN: no process slot or environment; ENOMEM: memory or quota). */
pid_t libos_fork(const struct fork_strategy *s);

#endif
