/* Walking our own address space through UVPT, and the eager-copy child spawn. */
#include <errno.h>
#include <string.h>
#include "libos.h"
#include "vpt.h"

#define COPY_TMP (UXSTACKTOP - EXO_XSTACK_SIZE - 2 * PAGE_SIZE) /* scratch mapping */

void libos_vpt_each(void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg)
{
	const uint64_t skip_lo = UXSTACKTOP - EXO_XSTACK_SIZE - 4 * PAGE_SIZE, skip_hi = UXSTACKTOP;
	for (uint64_t va = 0; va < ULIM;) {
		if (va >= skip_lo && va < skip_hi) { va = skip_hi; continue; }
		if (!(*VPT_PML4E(va) & PTE_P)) { va = (va | ((1UL << 39) - 1)) + 1; continue; }
		if (!(*VPT_PDPTE(va) & PTE_P)) { va = (va | ((1UL << 30) - 1)) + 1; continue; }
		if (!(*VPT_PDE(va) & PTE_P))   { va = (va | ((1UL << 21) - 1)) + 1; continue; }
		uint64_t pte = *VPT_PTE(va);
		if ((pte & PTE_P) && (va < skip_lo || va >= skip_hi))
			fn(va, pte, arg);
		va += PAGE_SIZE;
	}
}

struct copy_state {
	long child;
	long err;
};

static void copy_page(uint64_t va, uint64_t pte, void *arg)
{
	struct copy_state *st = arg;
	if (st->err)
		return;
	uint64_t perm = pte & (PTE_W | PTE_NX | PTE_AVAIL);
	long r = sys_page_alloc(st->child, (long)va, (long)perm);
	if (!r)
		r = sys_page_map(st->child, (long)va, 0, (long)COPY_TMP, PTE_W | PTE_NX);
	if (!r) {
		memcpy((void *)COPY_TMP, (const void *)va, PAGE_SIZE);
		r = sys_page_unmap(0, (long)COPY_TMP);
	}
	st->err = r;
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
