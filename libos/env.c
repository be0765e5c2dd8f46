/* Walking our own address space through UVPT, and the eager-copy child spawn. */
#include <errno.h>
#include <string.h>
#include "libos.h"
#include "vpt.h"
#include "exo/ptscan.h"
#include "fs.h"
#include "proc.h"

void libos_vpt_each(void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg)
{
	libos_vpt_each_table(NULL, fn, arg);
}

bool libos_pt_shareable(uint64_t va)
{
	const volatile uint64_t *pt = VPT_PTE(va); /* the region's page table, as an array */
	unsigned sum = vpt_sum(*VPT_PDE(va));
	bool any = false;
	for (unsigned i = pt_next_present(pt, 0, sum); i < 512; i = pt_next_present(pt, i + 1, sum)) {
		uint64_t pte = pt[i];
		if (!(pte & PTE_SHARE) || (pte & PTE_W))
			return false;
		any = true;
	}
	return any;
}

long libos_share_table(envid_t child, uint64_t va)
{
	long r;
	if (va >= USHARED_LO && va < USHARED_HI)
		r = sys_pt_share(child, (long)va, EXO_PT_SHARE_VIEW); /* the server's tables: read-only */
	else if (va >= UMODULES && va < UMODULES + (1UL << 39))
		r = sys_pt_share(child, (long)va, 0); /* boot modules: read-only, shared (srv.c) */
	else if (libos_pt_shareable(va))
		r = sys_pt_share(child, (long)va, 0);
	else
		return 0;
	return r < 0 ? r : 1;
}

long libos_share_modules(envid_t child, uint64_t va)
{
	if (va < UMODULES || va >= UMODULES + (1UL << 39))
		return 0;
	long r = sys_pt_share_range(child, (long)va, (long)(va + (1UL << 30)), 0);
	return r < 0 ? r : 1;
}

void libos_vpt_each_table(bool (*table)(uint64_t va, void *arg),
			  void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg)
{
	libos_vpt_walk(&(struct vpt_walk){ NULL, table, fn, NULL }, arg);
}

void libos_vpt_walk(const struct vpt_walk *w, void *arg)
{
	const uint64_t skip_lo = LIBOS_PRIVATE_LO, skip_hi = UXSTACKTOP;
	/* Each level is read as an array through the self-map; the groups of entries
	 * its summary says are empty are skipped unread (pt_next_present). */
	const volatile uint64_t *pml4 = VPT_PML4E(0);
	const unsigned sum4 = vpt_sum(*VPT_PML4E(UVPT));
	for (unsigned i4 = pt_next_present(pml4, 0, sum4); i4 < UEXPORT_SLOT; i4 = pt_next_present(pml4, i4 + 1, sum4)) {
		const volatile uint64_t *pdpt = VPT_PDPTE((uint64_t)i4 << 39);
		const unsigned sum3 = vpt_sum(pml4[i4]);
		for (unsigned i3 = pt_next_present(pdpt, 0, sum3); i3 < 512; i3 = pt_next_present(pdpt, i3 + 1, sum3)) {
			uint64_t dva = ((uint64_t)i4 << 39) | ((uint64_t)i3 << 30);
			if (w->directory && !(dva < skip_hi && dva + (1UL << 30) > skip_lo) && w->directory(dva, arg))
				continue;
			const volatile uint64_t *pd = VPT_PDE(dva);
			const unsigned sum2 = vpt_sum(pdpt[i3]);
			for (unsigned i2 = pt_next_present(pd, 0, sum2); i2 < 512; i2 = pt_next_present(pd, i2 + 1, sum2)) {
				uint64_t va = dva | ((uint64_t)i2 << 21), pde = pd[i2];
				if (va >= skip_lo && va + LARGE_PAGE_SIZE <= skip_hi)
					continue; /* wholly private (threads' areas): not looked at */
				bool has_skip = va < skip_hi && va + LARGE_PAGE_SIZE > skip_lo;
				if (pde & PTE_PS) { /* a large page: never in the skipped area (mman.c) */
					if (!w->large || !w->large(va, pde, arg))
						for (uint64_t page = va; page < va + LARGE_PAGE_SIZE; page += PAGE_SIZE)
							w->page(page, vpt_large_pte(pde, page), arg);
					continue;
				}
				if (w->table && !has_skip && w->table(va, arg))
					continue;
				const volatile uint64_t *pt = VPT_PTE(va);
				const unsigned sum = vpt_sum(pde);
				for (unsigned i = pt_next_present(pt, 0, sum); i < 512; i = pt_next_present(pt, i + 1, sum)) {
					uint64_t pte = pt[i], page = va + (uint64_t)i * PAGE_SIZE;
					if (!has_skip || page < skip_lo || page >= skip_hi)
						w->page(page, pte, arg);
				}
			}
		}
	}
}

bool libos_region_private(uint64_t lo, uint64_t hi)
{
	return !(lo < USHARED_HI && hi > USHARED_LO) && !(lo < UMODULES + (1UL << 39) && hi > UMODULES) &&
	       !(lo < UXSTACKTOP && hi > LIBOS_PRIVATE_LO) && !libos_mman_shared_in(lo, hi);
}

void libos_own_table(uint64_t va)
{
	if ((*VPT_PML4E(va) & PTE_P) && (*VPT_PDPTE(va) & PTE_P) && (*VPT_PDE(va) & PTE_P) &&
	    !(*VPT_PDE(va) & PTE_W))
		sys_pt_unshare(0, (long)va, PTE_COW);
}

void libos_prefault(void *p, size_t n)
{
	volatile char *c = p;
	for (size_t off = 0; off < n; off = (off | (PAGE_SIZE - 1)) + 1)
		c[off] = c[off];
	if (n)
		c[n - 1] = c[n - 1];
}

long libos_copy_page(envid_t child, uint64_t va, uint64_t pte)
{
	uint64_t perm = pte & (PTE_W | PTE_NX | PTE_AVAIL);
	if (perm & PTE_COW) /* a private copy: writable, whatever an earlier fork left */
		perm = (perm & ~PTE_COW) | PTE_W;
	return sys_page_copy(child, (long)va, (long)va, (long)perm);
}

struct copy_state {
	long child;
	long err;
};

static void copy_page(uint64_t va, uint64_t pte, void *arg)
{
	struct copy_state *st = arg;
	if (!st->err)
		st->err = libos_copy_page((envid_t)st->child, va, pte);
}

static struct exo_regs spawn_regs;

int libos_spawn_copy(void)
{
	if (libos_save_context(&spawn_regs))
		return 0; /* the child: its pages were copied before it was made runnable */
	long child = sys_exofork();
	if (child < 0)
		return libos_fail(child);
	struct copy_state st = { child, 0 };
	libos_vpt_each(copy_page, &st);
	for (uint64_t va = UXSTACKTOP - EXO_XSTACK_SIZE; !st.err && va < UXSTACKTOP; va += PAGE_SIZE)
		if (vpt_lookup(va))
			st.err = sys_page_alloc(child, (long)va, PTE_W | PTE_NX);
	if (!st.err)
		st.err = sys_env_set_regs(child, (long)&spawn_regs);
	if (!st.err)
		st.err = sys_env_set_status(child, EXO_ENV_RUNNABLE);
	if (st.err) {
		sys_env_destroy(child);
		return libos_fail(st.err);
	}
	return (int)child;
}
