/* Page-table management (see vm.h). */
#include "vm.h"
#include "pmem.h"
#include "x86.h"
#include "env.h"
#include "../include/exo/ptscan.h"

uint64_t kern_pml4_pa;
static uint64_t export_pdpt_pa;

extern char __text_start[], __text_end[], __rodata_end[], __kernel_end[];

/* The entry for va at level in the kernel's tables, making kernel tables as
 * needed. Boot-time helper: running out of memory here is fatal. */
static pte_t *kwalk(uint64_t root_pa, int root_level, uint64_t va, int level, uint64_t iflags)
{
	const struct pt_make make = { NULL, iflags };
	pte_t *e = vm_walk(root_pa, root_level, va, level, &make, NULL);
	if (!e)
		panic("out of memory building kernel page tables");
	return e;
}

/* A fresh kernel table (boot-time). */
static uint64_t alloc_table(void)
{
	uint64_t pa = pmem_alloc(FRAME_OWNER_KERNEL, 0, NULL, NULL);
	if (!pa)
		panic("out of memory building kernel page tables");
	return pa;
}

void vm_init(void)
{
	kern_pml4_pa = alloc_table();
	/* Direct map of all RAM: 2 MiB pages, writable, not executable, global. */
	for (uint64_t pa = 0; pa < phys_top; pa += LARGE_PAGE_SIZE)
		*kwalk(kern_pml4_pa, 3, KPHYS + pa, 1, PTE_P | PTE_W) = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	/* Kernel image: text read-only executable, rodata read-only, data/bss writable NX. */
	for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_G;
		if (va >= (uint64_t)__text_end)
			flags |= PTE_NX;
		if (va >= (uint64_t)__rodata_end)
			flags |= PTE_W;
		*kwalk(kern_pml4_pa, 3, va, 0, PTE_P | PTE_W) = (va - KERNBASE) | flags;
	}
	/* Pre-create every kernel-half PDPT so the PML4 slots users copy never change. */
	for (int slot = 256; slot < 512; slot++) {
		pte_t *e = &((pte_t *)KADDR(kern_pml4_pa))[slot];
		if (!(*e & PTE_P))
			*e = alloc_table() | PTE_P | PTE_W;
	}
	/* The export region: one PDPT shared by every address space, user read-only. */
	export_pdpt_pa = alloc_table();
	lcr3(kern_pml4_pa);
	phys_window = KPHYS;
	pmem_rebase();
	/* Frame table exported read-only at UFRAMES. */
	for (uint64_t off = 0; off < frames.nframes * sizeof(struct exo_frame); off += PAGE_SIZE)
		vm_map_export(UFRAMES + off, frame_table_pa + off);
	/* The page tables' present-entry summaries, read-only at UPTSUMS. */
	for (uint64_t off = 0; off < frames.nframes * sizeof(uint16_t); off += PAGE_SIZE)
		vm_map_export(UPTSUMS + off, (uint64_t)pt_sums - phys_window + off);
	kprintf("vm: kernel page tables loaded (text RX, data NX, %lu GiB direct map)\n", phys_top >> 30);
}

volatile uint32_t *vm_map_mmio(uint64_t pa)
{
	uint64_t va = KPHYS + pa;
	pte_t *pde = kwalk(kern_pml4_pa, 3, va, 1, PTE_P | PTE_W);
	if (*pde & PTE_PS)
		return (volatile uint32_t *)va; /* inside RAM's direct map already */
	*kwalk(kern_pml4_pa, 3, va, 0, PTE_P | PTE_W) = pa | PTE_P | PTE_W | PTE_NX | 0x18 /* PCD|PWT */;
	invlpg(va);
	return (volatile uint32_t *)va;
}

void vm_map_export(uint64_t uva, uint64_t pa)
{
	assert(PML4_INDEX(uva) == UEXPORT_SLOT);
	*kwalk(export_pdpt_pa, 2, uva, 0, PTE_P | PTE_U) = pa | PTE_P | PTE_U | PTE_NX;
}

uint64_t vm_new_space(void)
{
	uint64_t pa = pmem_alloc(FRAME_OWNER_KERNEL, 0, NULL, NULL);
	if (!pa)
		return 0;
	pte_t *pml4 = KADDR(pa), *kpml4 = KADDR(kern_pml4_pa);
	pt_sums[pa >> PAGE_SHIFT] = 0; /* the user half's groups; the rest are not kept (exports.h) */
	for (int i = 256; i < 512; i++)
		pml4[i] = kpml4[i];
	pml4[UEXPORT_SLOT] = export_pdpt_pa | PTE_P | PTE_U;
	pml4[UVPT_SLOT] = pa | PTE_P | PTE_U | PTE_NX; /* read-only self-map */
	return pa;
}

uint64_t vm_make_table(const struct pt_make *make, int level)
{
	uint64_t pa = make->charge ? charge_alloc(make->charge, EXO_FRAME_PT, NULL) : pmem_alloc(FRAME_OWNER_KERNEL, 0, NULL, NULL);
	if (!pa)
		return 0;
	pt_sums[pa >> PAGE_SHIFT] = 0; /* all entries zero */
	if (level <= 1 && make->charge)
		pmem_frame(pa)->maps = 1; /* a page table (directory) counts the PDEs (PDPTEs) that use it */
	return pa;
}

pte_t *vm_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *eff)
{
	pte_t *pte = vm_walk(pml4_pa, 3, va, 0, NULL, eff);
	if (!pte || !(*pte & PTE_P))
		return NULL;
	*eff &= *pte;
	return pte;
}

uint64_t vm_user_pa(uint64_t pml4_pa, uint64_t va, uint64_t *eff)
{
	pte_t *pde = vm_walk(pml4_pa, 3, va, 1, NULL, eff);
	if (!pde || !(*pde & PTE_P))
		return 0;
	*eff &= *pde;
	if (*pde & PTE_PS)
		return PTE_ADDR(*pde) + (va & (LARGE_PAGE_SIZE - 1));
	pte_t pte = ((pte_t *)KADDR(PTE_ADDR(*pde)))[PT_INDEX(va, 0)];
	if (!(pte & PTE_P))
		return 0;
	*eff &= pte;
	return PTE_ADDR(pte) | (va & (PAGE_SIZE - 1));
}

bool vm_pde_frozen(pte_t pde)
{
	return (pde & PTE_P) && !(pde & PTE_W) && pmem_frame(PTE_ADDR(pde))->maps > 1;
}

void vm_tables_missing(uint64_t pml4_pa, uint64_t va, int level, struct pt_tally *t)
{
	pte_t *tab = KADDR(pml4_pa);
	int l = 3;
	for (; l > level && (tab[PT_INDEX(va, l)] & PTE_P) && !(tab[PT_INDEX(va, l)] & PTE_PS); l--)
		tab = KADDR(PTE_ADDR(tab[PT_INDEX(va, l)]));
	/* The entries of levels l .. level+1 are missing: each needs a table. */
	for (; l > level; l--) {
		uint64_t key = (va >> (12 + 9 * l)) + 1; /* the region that table would cover */
		if (t->last[l] != key) {
			t->last[l] = key;
			t->n++;
		}
	}
}

bool pt_next(uint64_t pml4_pa, struct pt_iter *it)
{
	uint64_t va = it->stop;
	while (va < it->end) {
		pte_t *t = KADDR(pml4_pa);
		int l = 3;
		for (; l >= 1 && (t[PT_INDEX(va, l)] & PTE_P) && !(l == 1 && (t[PT_INDEX(va, l)] & PTE_PS)); l--) {
			if (l == 1) {
				it->va = va;
				it->pde = &t[PT_INDEX(va, 1)];
				it->pt = KADDR(PTE_ADDR(*it->pde));
				it->stop = MIN(it->end, ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE);
				return true;
			}
			t = KADDR(PTE_ADDR(t[PT_INDEX(va, l)]));
		}
		/* Step over the absent entries of this table without walking again. */
		uint64_t span = 1UL << (12 + 9 * l);
		unsigned idx = PT_INDEX(va, l);
		do
			va = ROUNDDOWN(va, span) + span;
		while (va < it->end && ++idx < 512 && !(t[idx] & PTE_P));
	}
	it->stop = it->end;
	return false;
}

__attribute__((noinline)) size_t vm_next_present(const pte_t *t, size_t i, size_t end)
{
	size_t k = pt_next_present(t, (unsigned)i, *vm_sum(t));
	return k < end ? k : end;
}

/* The last page-table entry mapping the user frame at pa went: free it, unless
 * it is one of a large frame's that directory entries still map whole (then it
 * only stops counting as mapped one by one; vm_free_large frees it with the
 * rest). Boot modules are never freed. */
static void page_unmapped(uint64_t pa)
{
	struct exo_frame *f = pmem_frame(pa);
	if (f->owner <= 0)
		return;
	if (!(f->flags & EXO_FRAME_LARGE)) {
		charge_free(pa, false);
		return;
	}
	uint64_t head = pa & ~(LARGE_PAGE_SIZE - 1);
	if (--large_submaps[head >> 21] == 0)
		pmem_frame(head)->flags &= (uint16_t)~EXO_FRAME_SUBMAPPED;
}

void vm_unmap_pte(pte_t *pte)
{
	uint64_t pa = PTE_ADDR(*pte);
	struct exo_frame *f = pmem_frame(pa);
	*pte = 0;
	assert(f->maps > 0);
	if (--f->maps == 0)
		page_unmapped(pa);
}

/* vm_drop_table's slow path: the page table at pa has no user left. */
void vm_free_table(uint64_t pa)
{
	/* The table goes: its frames a mapping less (and freeing at none), and each
	 * entry cleared, so that the table is freed known to be zero (every entry
	 * that is not present is 0). */
	pte_t *t = KADDR(pa), *end = t + 512;
	struct exo_frame *meta = pmem_frame(0);
	for (pte_t *p = t + vm_next_present(t, 0, 512); p < end; p = t + vm_next_present(t, (size_t)(p - t), 512))
		for (; p < end && (*p & PTE_P); p++) { /* a run of present entries */
			if (--meta[PTE_ADDR(*p) >> PAGE_SHIFT].maps == 0)
				page_unmapped(PTE_ADDR(*p));
			*p = 0;
		}
	charge_free(pa, true);
}

/* vm_drop_entry's slow path for a large page: no directory entry maps it any
 * more. If some of its frames are still mapped one by one (a large_split without
 * a copy), it becomes 512 ordinary frames and those nobody maps are freed. */
void vm_free_large(uint64_t pa)
{
	if (!(pmem_frame(pa)->flags & EXO_FRAME_SUBMAPPED)) {
		charge_free_large(pa);
		return;
	}
	vm_large_dissolve(pa);
	for (uint64_t fa = pa; fa < pa + LARGE_PAGE_SIZE; fa += PAGE_SIZE)
		if (pmem_frame(fa)->maps == 0)
			charge_free(fa, false);
}

void vm_large_dissolve(uint64_t pa)
{
	large_submaps[pa >> 21] = 0;
	for (uint64_t fa = pa; fa < pa + LARGE_PAGE_SIZE; fa += PAGE_SIZE)
		pmem_frame(fa)->flags &= (uint16_t)~(EXO_FRAME_LARGE | EXO_FRAME_SUBMAPPED);
}

/* Free the table at pa of the given level (2 = PDPT, 1 = page directory) and what it maps.
 * A directory, page table or large page shared with another address space only
 * loses one user.
 * Each entry is cleared as it goes, so the table is freed known to be zero. A full
 * directory (a large process) costs one test an entry: pt_next_present tests the
 * next entry first. */
static void free_table(uint64_t pa, int level)
{
	pte_t *t = KADDR(pa);
	unsigned sum = pt_sums[pa >> PAGE_SHIFT];
	for (unsigned i = pt_next_present(t, 0, sum); i < 512; i = pt_next_present(t, i + 1, sum)) {
		if (level == 1)
			vm_drop_entry(t[i]);
		else if (--pmem_frame(PTE_ADDR(t[i]))->maps == 0) /* a directory may be shared */
			free_table(PTE_ADDR(t[i]), level - 1);
		t[i] = 0;
	}
	charge_free(pa, true);
}

void vm_free_space(uint64_t pml4_pa)
{
	pte_t *pml4 = KADDR(pml4_pa);
	unsigned sum = pt_sums[pml4_pa >> PAGE_SHIFT];
	for (unsigned i = pt_next_present(pml4, 0, sum); i < UEXPORT_SLOT; i = pt_next_present(pml4, i + 1, sum))
		free_table(PTE_ADDR(pml4[i]), 2);
	pmem_free(pml4_pa, NULL, false);
}
