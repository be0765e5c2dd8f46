/*
 * The libOS page-fault handler, installed in every process: resolves
 * copy-on-write faults and grows the stack; anything else is a real fault and ends
 * the process with a signal and a message naming what it did.
 */
#include <signal.h>
#include <string.h>
#include "proc.h"
#include "vpt.h"
#include "fs.h"
#include "sigdefault.h"
#include "signal_int.h"

/* Resolve a write to a PTE_COW page: if we hold its only mapping in a page table
 * of our own, just make it writable again (page_protect takes the frame over);
 * otherwise copy it into a fresh frame (page_copy). A vfork child runs in its parent's page
 * tables, shared for writing, where the kernel refuses a takeover: it copies, and
 * the copy, mapped in the shared table, passes to the parent when the child ends.
 * 0 on success. */
static int cow_resolve(uint64_t va, uint64_t pte)
{
	uint64_t perm = ((pte & (PTE_NX | PTE_AVAIL)) & ~PTE_COW) | PTE_W;
	uint64_t table = *VPT_PDE(va) & 0x000FFFFFFFFFF000UL;
	const volatile struct exo_frame *f = &exo_frames[(pte & 0x000FFFFFFFFFF000UL) >> 12];
	/* (a large frame's frame is mapped whole elsewhere too, whatever its count) */
	if (f->maps == 1 && !(f->flags & EXO_FRAME_LARGE) && exo_frames[table >> 12].maps == 1)
		return sys_page_protect(0, (long)va, (long)perm) < 0;
	return sys_page_copy(0, (long)va, (long)va, (long)perm) < 0;
}

/* Make the directory entry for the 2 MiB around va writable, where a fork left
 * it read-only: a page table an on-demand fork shares is copied (pt_unshare); a
 * large page others map too, whole or page by page, is split without a copy
 * (large_split: its pages become copy-on-write one by one, as Linux splits a
 * huge page); a large page we map alone becomes writable as it is. 0 on success. */
static int unshare_region(uint64_t va)
{
	uint64_t pde = *VPT_PDE(va);
	if (pde & PTE_PS) {
		const volatile struct exo_frame *head = &exo_frames[(pde & 0x000FFFFFFFFFF000UL) >> 12];
		if (head->maps > 1 || (head->flags & EXO_FRAME_SUBMAPPED))
			return sys_large_split(0, (long)va, PTE_COW) < 0;
	}
	return sys_pt_unshare(0, (long)va, PTE_COW) < 0;
}

/* Map the stack pages from the faulting one down to the one holding rsp - 256:
 * the upcall return writes just below the interrupted code's red zone. */
static int grow_stack(uint64_t va, uint64_t rsp)
{
	uint64_t low = rsp - 256 < va ? (rsp - 256) & ~(PAGE_SIZE - 1) : va;
	if (low < USTACKTOP - USTACK_LIMIT)
		low = USTACKTOP - USTACK_LIMIT;
	for (uint64_t p = va;; p -= PAGE_SIZE) {
		if (!(vpt_lookup(p) & PTE_P) && sys_page_alloc(0, (long)p, PTE_W | PTE_NX) < 0)
			return 1;
		if (p <= low)
			break;
	}
	return 0;
}

int libos_make_writable(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo & ~(PAGE_SIZE - 1); va < hi; va += PAGE_SIZE) {
		uint64_t pte = vpt_lookup(va);
		if ((pte & PTE_P) && !(*VPT_PDE(va) & PTE_W) && !(va >= USHARED_LO && va < USHARED_HI)) {
			if (unshare_region(va))
				return -1;
			pte = vpt_lookup(va);
		}
		if ((pte & PTE_P) && (pte & PTE_COW) && cow_resolve(va, pte))
			return -1;
		else if (!(pte & PTE_P) && va < USTACKTOP && va >= USTACKTOP - USTACK_LIMIT && grow_stack(va, va))
			return -1;
		else if (!(vpt_lookup(va) & PTE_P) || !(vpt_lookup(va) & PTE_W))
			return -1;
	}
	return 0;
}

int libos_pgfault(struct exo_utf *utf)
{
	uint64_t va = utf->fault_va & ~(PAGE_SIZE - 1);
	uint64_t pte = vpt_lookup(va);
	if (va >= USHARED_LO && va < USHARED_HI)
		return 1; /* the view of the server's tables: never written, never copied */
	if (!(utf->err & EXO_PF_EXEC) && (pte & PTE_P) && (pte & PTE_U) &&
	    (!(utf->err & EXO_PF_WRITE) || ((pte & PTE_W) && (*VPT_PDE(va) & PTE_W))))
		return 0; /* already made usable (libos_sig_upcall_ready took its copy): retry */
	if ((utf->err & EXO_PF_WRITE) && (pte & PTE_P) && !(*VPT_PDE(va) & PTE_W)) {
		if (unshare_region(va)) /* a table or large page a fork shares */
			return 1;
		pte = vpt_lookup(va); /* copy-on-write: resolved below, without a second fault */
		if (!(pte & PTE_COW))
			return 0; /* retry: writable now, or a real fault next time */
	}
	if ((utf->err & EXO_PF_WRITE) && (pte & PTE_P) && (pte & PTE_COW))
		return cow_resolve(va, pte);
	if (!(pte & PTE_P) && va < USTACKTOP && va >= USTACKTOP - USTACK_LIMIT)
		return grow_stack(va, utf->rsp);
	if (!(pte & PTE_P) && libos_mman_fault(va, (utf->err & EXO_PF_WRITE) != 0) == 0)
		return 0; /* anonymous memory, zero-filled on first touch */
	if (!(pte & PTE_P) && va == LIBOS_VFORK_PAGE) /* mapped on first use */
		return sys_page_alloc(0, (long)va, PTE_W | PTE_NX) < 0;
	return 1;
}

void libos_prepare_resume(const struct exo_utf *utf)
{
	uint64_t slot = utf->rsp - 136, va = slot & ~(PAGE_SIZE - 1);
	uint64_t pte = vpt_lookup(va);
	if ((pte & PTE_P) && !(*VPT_PDE(va) & PTE_W)) {
		unshare_region(va);
		pte = vpt_lookup(va);
	}
	if ((pte & PTE_P) && (pte & PTE_COW))
		cow_resolve(va, pte);
	else if (!(pte & PTE_P) && va < USTACKTOP && va >= USTACKTOP - USTACK_LIMIT)
		grow_stack(va, utf->rsp);
}

int libos_trap_signal(const struct exo_utf *utf)
{
	uint64_t t = utf->trapno;
	if (t == EXO_T_PGFLT && libos_mman_past_eof(utf->fault_va))
		return SIGBUS;
	return t == EXO_T_ILLOP ? SIGILL : t == EXO_T_DIVIDE || t == EXO_T_FPERR || t == EXO_T_SIMDERR ? SIGFPE
		: t == EXO_T_BRKPT ? SIGTRAP : SIGSEGV;
}

/* A message built without stdio: an upcall handler must not write the C
 * library's state (after a fork its pages are copy-on-write, and a fault in the
 * handler ends the environment before anything is said). */
struct msg {
	char b[240];
	size_t n;
};

static void put(struct msg *m, const char *s)
{
	while (*s && m->n < sizeof m->b - 1)
		m->b[m->n++] = *s++;
}

static void put_num(struct msg *m, uint64_t v, unsigned base)
{
	char d[24];
	int k = 0;
	do
		d[k++] = "0123456789abcdef"[v % base];
	while ((v /= base) && k < 24);
	if (base == 16 && !(k == 1 && d[0] == '0'))
		put(m, "0x"); /* as printf's %#lx: 0 has no prefix */
	while (k && m->n < sizeof m->b - 1)
		m->b[m->n++] = d[--k];
}

void libos_fatal_trap(const struct exo_utf *utf)
{
	int sig = libos_trap_signal(utf);
	struct msg m = { .n = 0 };
	put(&m, task.argv && task.argv[0] ? task.argv[0] : "?");
	put(&m, ": pid ");
	put_num(&m, (uint64_t)task.pid, 10);
	put(&m, " killed by signal ");
	put_num(&m, (uint64_t)sig, 10);
	put(&m, ": ");
	if (utf->trapno == EXO_T_PGFLT) {
		uint64_t va = utf->fault_va;
		put(&m, "page fault: ");
		put(&m, (utf->err & EXO_PF_EXEC) ? "execute" : (utf->err & EXO_PF_WRITE) ? "write" : "read");
		put(&m, " of ");
		put_num(&m, va, 16);
		put(&m, !(utf->err & EXO_PF_PRESENT) ? (va < USTACKTOP && va >= USTACKTOP - USTACK_LIMIT - PAGE_SIZE
							 ? " (stack overflow into the guard page)" : " (unmapped address)")
						      : " (protection violation)");
	} else {
		put(&m, "trap ");
		put_num(&m, utf->trapno, 10);
	}
	put(&m, " at rip ");
	put_num(&m, utf->rip, 16);
	put(&m, "\n");
	sys_cons_write((long)m.b, (long)m.n);
	proc_exit(sig_wstatus(sig));
}
