/*
 * fork(): a new process whose address space is built from ours by a fork
 * strategy. The default copies page-table entries with copy-on-write: every
 * private writable page becomes read-only + PTE_COW in both parent and child (the
 * kernel's pte_copy_range does each run of page tables in one call), shared pages
 * (PTE_SHARE) stay shared (a region of read-only shared pages, like the initrd, as
 * one shared page table), read-only pages are simply mapped. The first write to a
 * COW page is resolved by libos_pgfault (pgfault.c). A large page (mman.c) goes
 * to the child whole: shared read-only by cow and on-demand (a write splits it
 * for the writer and copies the page written, pgfault.c), for writing by vfork,
 * copied page by page by eager.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "proc.h"
#include "fork.h"
#include "thread.h"
#include "vpt.h"
#include "exo/ptscan.h"
#include "fs.h"
#include "srv.h"
#include "signal_int.h"

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

/* The view of the server's tables (process table, files) and any 2 MiB region of
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

/* A pending run of regions (whole 1 GiB ones, or large pages) to share with
 * pt_share_range. */
struct share_run {
	struct batches *b;
	long flags;
	uint64_t lo, hi;
};

/* Share the pending run with the child (one pt_share_range call), keeping the
 * first error in the batches, and start an empty run. */
static void share_run_flush(struct share_run *s)
{
	if (s->hi > s->lo) {
		long r = sys_pt_share_range(s->b->child, (long)s->lo, (long)s->hi, s->flags);
		if (r < 0 && !s->b->err)
			s->b->err = r;
	}
	s->lo = s->hi = 0;
}

/* Add [va, va + len) to the run, flushing first when it does not extend the run
 * or the run is as long as one call may share. */
static void share_run_add(struct share_run *s, uint64_t va, uint64_t len)
{
	if (va != s->hi || s->hi - s->lo + len > EXO_SHARE_RANGE_MAX)
		share_run_flush(s);
	if (s->hi == 0)
		s->lo = va;
	s->hi = va + len;
}

/* A large page goes to the child as one shared entry, read-only on both sides
 * (the first write on either side splits it for the writer, without a copy, and
 * copies the page written: pgfault.c); adjacent ones in one call. */
static bool share_large(uint64_t va, uint64_t pde, void *run)
{
	(void)pde;
	share_run_add(run, va, LARGE_PAGE_SIZE);
	return true;
}

/* The batches live in static memory: they are rebuilt on every fork. */
static struct batches cow_batches;

/* Copy-on-write. Our page tables are scanned through UVPT; shared regions go to
 * the child as shared tables, and every run of adjacent private tables is copied by
 * the kernel in one pte_copy_range call (the region holding the exception stack
 * goes entry by entry: the child gets its own exception stack). */
struct cow_runs {
	struct batches *b;
	uint64_t lo, hi; /* the pending run of private tables */
	struct share_run large; /* the pending run of large pages */
};

static void run_flush(struct cow_runs *c)
{
	if (c->hi > c->lo) {
		long r = sys_pte_copy_range(c->b->child, (long)c->lo, (long)c->hi, PTE_COW, PTE_SHARE);
		if (r < 0 && !c->b->err)
			c->b->err = r;
	}
	c->lo = c->hi = 0;
}

static bool cow_table(uint64_t va, void *arg)
{
	struct cow_runs *c = arg;
	if (share_table(va, c->b))
		return true;
	libos_own_table(va); /* still shared read-only from an on-demand fork */
	if (va != c->hi || c->hi - c->lo >= EXO_RANGE_MAX)
		run_flush(c);
	if (c->hi == 0)
		c->lo = va;
	c->hi = va + LARGE_PAGE_SIZE;
	return true;
}

static void cow_entry(uint64_t va, uint64_t pte, void *arg)
{
	cow_page(va, pte, ((struct cow_runs *)arg)->b);
}

/* The walk's directory callback: the boot modules' area goes whole, in one call
 * per 1 GiB (as each of its tables would go: shared read-only). */
static bool modules_directory(struct batches *b, uint64_t va)
{
	long r = libos_share_modules(b->child, va);
	if (r < 0 && !b->err)
		b->err = r;
	return r != 0;
}

static bool cow_directory(uint64_t va, void *arg)
{
	return modules_directory(((struct cow_runs *)arg)->b, va);
}

static bool cow_large(uint64_t va, uint64_t pde, void *arg)
{
	return share_large(va, pde, &((struct cow_runs *)arg)->large);
}

/* The libOS's fork state (libos.h, LIBOS_FORK_STATE), which the walk has just
 * left copy-on-write and both sides write at once: the child gets a copy of each
 * of its pages made now, and ours become writable again (ours alone, once the
 * child's copies replaced their mappings), so that neither side faults on them.
 * Returns 0 or the first error. */
static long copy_fork_state(envid_t child)
{
	uint64_t lo = (uint64_t)__libos_fork_state_start & ~(PAGE_SIZE - 1), hi = (uint64_t)__libos_fork_state_end;
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
		uint64_t perm = (vpt_lookup(va) & (PTE_NX | PTE_AVAIL) & ~PTE_COW) | PTE_W;
		long r = sys_page_copy(child, (long)va, (long)va, (long)perm);
		if (r < 0)
			return r;
	}
	return libos_make_writable(lo, hi) < 0 ? -E_NOMEM : 0;
}

static int copy_cow(envid_t child)
{
	struct batches *b = &cow_batches;
	struct cow_runs c = { b, 0, 0, { b, 0, 0, 0 } };
	b->child = child;
	b->nchild = b->nself = 0;
	b->err = 0;
	libos_vpt_walk(&(struct vpt_walk){ cow_directory, cow_table, cow_entry, cow_large }, &c);
	run_flush(&c);
	share_run_flush(&c.large);
	flush(b);
	if (!b->err)
		b->err = copy_fork_state(child);
	return (int)b->err;
}

const struct fork_strategy fork_cow = { "cow", copy_cow, false };

/* Give a new environment its own exception stack (not a copy of ours), in area 0
 * (UXSTACKTOP): whichever thread of ours forks, the child's only thread is its
 * first. */
int libos_give_xstack(envid_t child)
{
	for (uint64_t i = 1; i <= LIBOS_XSTACK_PAGES; i++) {
		long r = sys_page_alloc(child, (long)(UXSTACKTOP - i * PAGE_SIZE), PTE_W | PTE_NX);
		if (r < 0)
			return (int)r;
	}
	if (libos_area_top() == UXSTACKTOP)
		return 0; /* the exception stack it inherited the address of is that one */
	return libos_upcall_register(child, UXSTACKTOP);
}

/* What a vfork parent keeps out of the memory its child borrows: a page in the
 * exception-stack region, which the child does not share. */
struct vfork_private {
	struct exo_regs resume; /* where vfork() returns in the parent */
	struct task saved;
	struct libos_sigsave sigs; /* what the child may change in our memory */
	int pid;
	envid_t child;
	char stack[2048] __attribute__((aligned(16)));
};
#define VFORK_PRIVATE ((struct vfork_private *)LIBOS_VFORK_PAGE)
_Static_assert(sizeof(struct vfork_private) <= PAGE_SIZE, "one page");
_Static_assert(__builtin_offsetof(struct vfork_private, resume) == 0 && EXO_XSTACK_SIZE == 16384,
	       "context.S: the resume point is at the start of LIBOS_VFORK_PAGE");

void libos_resume_context(const struct exo_regs *r, long value) __attribute__((noreturn));
void libos_run_on_stack(void (*fn)(void *), void *arg, void *top) __attribute__((noreturn));

static void vfork_wait(void *arg) __attribute__((noreturn));
static void vfork_wait(void *arg)
{
	struct vfork_private *vp = arg;
	int pid = vp->pid;
	if (sys_env_set_status(vp->child, EXO_ENV_RUNNABLE) < 0) {
		srv_call(SRV_DISCARD, pid, 0, 0);
		pid = -1;
	}
	/* Until the borrowing environment is gone (it exec'd into a new one and
	 * ended, or exited) it may still be running on our stack: wait for the kernel's
	 * note of its end. */
	while (!libos_env_gone(vp->child))
		libos_block();
	task = vp->saved;
	libos_sig_restore(&vp->sigs);
	if (pid < 0)
		errno = EAGAIN;
	libos_resume_context(&vp->resume, pid);
}

static struct exo_regs child_regs;

static pid_t fork_with(const struct fork_strategy *s);

/* libos_fork: fork with strategy s. Except for vfork (whose child borrows our
 * memory), the locks of newlib and the libOS are taken around it so that the
 * child, which has only the calling thread, finds them free and their data
 * consistent (thread.c), with pthread_atfork's handlers. */
pid_t libos_fork(const struct fork_strategy *s)
{
	fflush(NULL); /* no stdio buffer may be written twice */
	if (s->borrows)
		return fork_with(s);
	thread_fork_prepare();
	pid_t pid = fork_with(s);
	if (pid == 0)
		thread_fork_child();
	else
		thread_fork_parent();
	return pid;
}

static pid_t fork_with(const struct fork_strategy *s)
{
	if (!srv_chan()) {
		errno = ENOSYS;
		return -1;
	}
	struct task saved = task; /* a borrowing child runs in our memory and changes it */
	if (s->borrows)
		libos_sig_save(&VFORK_PRIVATE->sigs);
	/* The child starts here (returning 1), not inside the exofork call: the stack
	 * below this frame keeps changing while its pages are being copied. */
	if (libos_save_context(&child_regs)) { /* the child: it learns its pid */
		if (srv_hello() < 0)
			sys_env_exit(127);
		if (libos_sig_deliverable())
			libos_sig_dispatch(); /* sent before it started */
		return 0;
	}
	long child = sys_exofork();
	if (child < 0)
		return libos_fail(child);
	long pid = 0;
	int err = s->copy((envid_t)child);
	if (!err && !(err = libos_give_xstack((envid_t)child)))
		err = (int)sys_env_set_regs(child, (long)&child_regs);
	if (!err && (pid = srv_call(SRV_FORK, child, 0, 0)) < 0) {
		sys_env_destroy(child);
		errno = (int)-pid;
		return -1;
	}
	if (err) {
		sys_env_destroy(child);
		errno = exo_errno(err < -255 ? -(-err & 255) : err); /* pte_batch encodes the index */
		return -1;
	}
	if (s->borrows) {
		/* The child will run in our memory, on our stack: from here on we stay on
		 * a private stack (vfork_wait starts the child), then resume at the point
		 * vfork() recorded. */
		struct vfork_private *vp = VFORK_PRIVATE;
		vp->saved = saved;
		vp->pid = (int)pid;
		vp->child = (envid_t)child;
		libos_run_on_stack(vfork_wait, vp, vp->stack + sizeof vp->stack);
	}
	if (sys_env_set_status(child, EXO_ENV_RUNNABLE) < 0) {
		srv_call(SRV_DISCARD, pid, 0, 0); /* killed before it could start */
		errno = EAGAIN;
		return -1;
	}
	return (pid_t)pid;
}

const struct fork_strategy *libos_fork_default = &fork_cow;

const struct fork_strategy *libos_fork_strategy(const char *name)
{
	/* vfork is not among them: only vfork() itself records where the parent resumes. */
	static const struct fork_strategy *const all[] = { &fork_eager, &fork_cow, &fork_ondemand };
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}

static const struct fork_strategy fork_vfork;

/* vfork (context.S) records the parent's resume point, then calls this. */
pid_t libos_vfork_c(void);
pid_t libos_vfork_c(void)
{
	return libos_fork(&fork_vfork); /* VFORK_PRIVATE was mapped on first touch (pgfault.c) */
}

pid_t fork(void)
{
	return libos_fork(libos_fork_default);
}

/* --- eager copy: every private page is copied into the child at once ---------- */

static void eager_page(uint64_t va, uint64_t pte, void *arg)
{
	struct batches *b = arg;
	if (pte & PTE_SHARE) {
		cow_page(va, pte, b); /* shared pages are mapped, never copied */
		return;
	}
	long r = libos_copy_page(b->child, va, pte);
	if (r < 0 && !b->err)
		b->err = r;
}

static int copy_eager(envid_t child)
{
	struct batches *b = &cow_batches;
	b->child = child;
	b->nchild = b->nself = 0;
	b->err = 0;
	libos_vpt_each_table(share_table, eager_page, b);
	flush(b);
	return (int)b->err;
}

const struct fork_strategy fork_eager = { "eager", copy_eager, false };

/* --- on demand: page tables are shared read-only; a table is copied when either
 * side first writes in its 2 MiB (pgfault.c calls pt_unshare with PTE_COW), and
 * then pages are copied on write as with cow. Every 1 GiB region of private memory
 * goes with its neighbours in one pt_share_range call, whatever it holds, so the
 * fork costs about the same at every size; the others go table by table, and the
 * region holding the exception stack page by page (the fault handler must write
 * there). */

/* The walk's directory callback: a private 1 GiB region joins the run whole
 * (true: its tables are not looked at); any other is walked table by table. */
static bool ondemand_directory(uint64_t va, void *arg)
{
	if (modules_directory(((struct share_run *)arg)->b, va))
		return true;
	if (!libos_region_private(va, va + (1UL << 30)))
		return false;
	share_run_add(arg, va, 1UL << 30);
	return true;
}

static bool ondemand_table(uint64_t va, void *arg)
{
	struct batches *b = ((struct share_run *)arg)->b;
	if (share_table(va, b))
		return true;
	if (va < UXSTACKTOP && va + LARGE_PAGE_SIZE > LIBOS_PRIVATE_LO)
		return false;
	/* Writable shared pages must stay shared: copying the table on a write would
	 * make them copy-on-write. Such a table goes entry by entry. */
	const volatile uint64_t *pt = VPT_PTE(va);
	const unsigned sum = vpt_sum(*VPT_PDE(va));
	for (unsigned i = pt_next_with(pt, 0, PTE_SHARE, sum); i < 512; i = pt_next_with(pt, i + 1, PTE_SHARE, sum))
		if ((pt[i] & PTE_P) && (pt[i] & PTE_W))
			return false;
	long r = sys_pt_share(b->child, (long)va, 0);
	if (r < 0 && !b->err)
		b->err = r;
	return true;
}

/* The walk's page callback (the exception stack's region): as copy-on-write. */
static void ondemand_page(uint64_t va, uint64_t pte, void *arg)
{
	cow_page(va, pte, ((struct share_run *)arg)->b);
}


static int copy_ondemand(envid_t child)
{
	struct batches *b = &cow_batches;
	struct share_run run = { b, 0, 0, 0 };
	b->child = child;
	b->nchild = b->nself = 0;
	b->err = 0;
	libos_vpt_walk(&(struct vpt_walk){ ondemand_directory, ondemand_table, ondemand_page, share_large }, &run);
	share_run_flush(&run);
	flush(b);
	return (int)b->err;
}

const struct fork_strategy fork_ondemand = { "ondemand", copy_ondemand, false };

/* --- vfork: the child gets our page directories (tables where a region cannot go
 * whole), shared for writing: the same memory.
 * libos_fork then waits until the child execs or exits (borrows). */

/* A 1 GiB region goes whole, its directory itself shared (EXO_PT_SHARE_DIR: the
 * cost does not grow with the tables in it), unless it holds the view; the boot
 * modules' area goes read-only, whole. A table an on-demand fork left read-only
 * in a shared directory needs no taking back first: whichever side writes there
 * first gets a private copy (pt_unshare) in the one directory both use, so the
 * memory stays the same for both. */
static bool vfork_directory(uint64_t va, void *arg)
{
	if (modules_directory(((struct share_run *)arg)->b, va))
		return true; /* read-only for everyone: shared as any fork shares it */
	if (va < USHARED_HI && va + (1UL << 30) > USHARED_LO)
		return false;
	share_run_add(arg, va, 1UL << 30);
	return true;
}

static bool vfork_table(uint64_t va, void *arg)
{
	struct batches *b = ((struct share_run *)arg)->b;
	long r = 0;
	if (va >= USHARED_LO && va < USHARED_HI)
		return share_table(va, b); /* the view stays a view */
	/* A table an on-demand fork left read-only: take it back first, or the child
	 * would get a read-only view and copy instead of borrow. */
	if (!(*VPT_PDE(va) & PTE_W))
		r = sys_pt_unshare(0, (long)va, PTE_COW);
	if (!r)
		r = sys_pt_share(b->child, (long)va, EXO_PT_SHARE_WRITE);
	if (r < 0 && !b->err)
		b->err = r;
	return true;
}

/* A large page is shared for writing as a table is (taken back first if a fork
 * left it read-only). */
static bool vfork_large(uint64_t va, uint64_t pde, void *arg)
{
	(void)pde;
	return vfork_table(va, arg);
}

static void no_page(uint64_t va, uint64_t pte, void *arg)
{
	(void)va, (void)pte, (void)arg; /* shared whole, except the exception-stack region */
}

static int copy_vfork(envid_t child)
{
	struct batches *b = &cow_batches;
	struct share_run run = { b, EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR, 0, 0 };
	b->child = child;
	b->err = 0;
	/* the exception-stack region is not shared: the child gets its own */
	libos_vpt_walk(&(struct vpt_walk){ vfork_directory, vfork_table, no_page, vfork_large }, &run);
	share_run_flush(&run);
	return (int)b->err;
}

static const struct fork_strategy fork_vfork = { "vfork", copy_vfork, true };
