/*
 * fork(): a new process whose address space is built from ours by a fork
 * strategy. The default copies page-table entries with copy-on-write: every
 * private writable page becomes read-only + PTE_COW in both parent and child (in
 * batches: one pte_batch system call per 512 pages and side), shared pages
 * (PTE_SHARE) stay shared (a region of read-only shared pages, like the initrd, as
 * one shared page table), read-only pages are simply mapped. The first write to a
 * COW page is resolved by libos_pgfault (pgfault.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "fork.h"
#include "vpt.h"
#include "fs.h"

#define BATCH 512

/* Batches of operations on the child (MAP) and on ourselves (PROTECT). The child's
 * batch is always sent first, so a frame gains its second mapping before we lose
 * write access to it (a write in between must copy, not reclaim). */
struct batches {
	envid_t child;
	int nchild, nself;
	long err;
	struct exo_pte_op child_ops[BATCH], self_ops[BATCH];
};

static void flush(struct batches *b)
{
	long r;
	if (b->nchild && (r = sys_pte_batch(b->child, (long)b->child_ops, b->nchild)) < 0 && !b->err)
		b->err = r;
	if (b->nself && (r = sys_pte_batch(0, (long)b->self_ops, b->nself)) < 0 && !b->err)
		b->err = r;
	b->nchild = b->nself = 0;
}

static void cow_page(uint64_t va, uint64_t pte, void *arg)
{
	struct batches *b = arg;
	uint64_t perm = pte & (PTE_W | PTE_NX | PTE_AVAIL);
	if (!(pte & PTE_SHARE) && (pte & (PTE_W | PTE_COW))) {
		perm = (perm & ~PTE_W) | PTE_COW;
		if (pte & PTE_W)
			b->self_ops[b->nself++] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = va, .perm = perm };
	}
	b->child_ops[b->nchild++] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = va, .srcva = va, .perm = perm };
	if (b->nchild == BATCH || b->nself == BATCH)
		flush(b);
}

/* The shared region (process table, files, pipes) and any 2 MiB region of
 * read-only shared pages (the initrd) go to the child as one shared page table:
 * one system call instead of 512 entries. */
static bool share_table(uint64_t va, void *arg)
{
	struct batches *b = arg;
	long r = libos_share_table(b->child, va);
	if (r < 0 && !b->err)
		b->err = r;
	return r != 0;
}

/* The batches live in static memory: they are rebuilt on every fork. */
static struct batches cow_batches;

static int copy_cow(envid_t child)
{
	struct batches *b = &cow_batches;
	b->child = child;
	b->nchild = b->nself = 0;
	b->err = 0;
	libos_vpt_each_table(share_table, cow_page, b);
	flush(b);
	return (int)b->err;
}

const struct fork_strategy fork_cow = { "cow", copy_cow };

/* Give a new environment its own exception stack (not a copy of ours). */
int libos_give_xstack(envid_t child)
{
	for (uint64_t i = 1; i <= LIBOS_XSTACK_PAGES; i++) {
		long r = sys_page_alloc(child, (long)(UXSTACKTOP - i * PAGE_SIZE), PTE_W | PTE_NX);
		if (r < 0)
			return (int)r;
	}
	return 0;
}

static int child_pid; /* set before the copy, so the child finds it in its memory */
static struct exo_regs child_regs;

pid_t libos_fork(const struct fork_strategy *s)
{
	fflush(NULL); /* no stdio buffer may be written twice */
	proc_lock();
	struct proc *p = proc_alloc(task.pid);
	proc_unlock();
	if (!p) {
		errno = EAGAIN;
		return -1;
	}
	child_pid = p->pid;
	/* The child starts here (returning 1), not inside the exofork call: the stack
	 * below this frame keeps changing while its pages are being copied. */
	if (libos_save_context(&child_regs)) {
		/* The child: find our entry (the parent filled it in before we ran). */
		task.pid = child_pid;
		task.self = NULL;
		for (int i = 0; i < NPROC && !task.self; i++)
			if (PROCTAB->p[i].pid == child_pid)
				task.self = &PROCTAB->p[i];
		return 0;
	}
	long child = sys_exofork();
	int err = child < 0 ? (int)child : 0;
	if (!err) {
		p->env = (envid_t)child;
		memcpy(p->cmd, task.self->cmd, sizeof p->cmd);
		memcpy(p->cwd, task.self->cwd, sizeof p->cwd);
		fs_fork_fds(p);
		if (!(err = s->copy((envid_t)child)) && !(err = libos_give_xstack((envid_t)child)) &&
		    !(err = (int)sys_env_set_regs(child, (long)&child_regs)))
			err = (int)sys_env_set_status(child, EXO_ENV_RUNNABLE);
		if (err)
			sys_env_destroy(child);
	}
	if (err) {
		fs_close_all(p);
		proc_lock();
		p->state = PROC_FREE;
		p->pid = 0;
		PROCTAB->nproc--;
		proc_unlock();
		errno = exo_errno(err < -255 ? -(-err & 255) : err); /* pte_batch encodes the index */
		return -1;
	}
	return p->pid;
}

const struct fork_strategy *libos_fork_default = &fork_cow;

pid_t fork(void)
{
	return libos_fork(libos_fork_default);
}
