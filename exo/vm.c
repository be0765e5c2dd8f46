/* Page-table management (see vm.h). */
#include "vm.h"
#include "pmem.h"
#include "x86.h"
#include "env.h"

uint64_t kern_pml4_pa;
static uint64_t export_pdpt_pa;

extern char __text_start[], __text_end[], __rodata_end[], __kernel_end[];

static uint64_t alloc_table(void)
{
	uint64_t pa = pmem_alloc(FRAME_OWNER_KERNEL);
	if (!pa)
		panic("out of memory building kernel page tables");
	return pa;
}

/* Return the entry for va at level (3 = PML4 ... 0 = PT) below table pa, creating
 * intermediate tables with flags iflags. Kernel-boot helper. */
static pte_t *kwalk(uint64_t pml4_pa, uint64_t va, int level, uint64_t iflags)
{
	pte_t *t = KADDR(pml4_pa);
	for (int l = 3; l > level; l--) {
		pte_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			*e = alloc_table() | iflags;
		t = KADDR(PTE_ADDR(*e));
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

void vm_init(void)
{
	kern_pml4_pa = alloc_table();
	/* Direct map of all RAM: 2 MiB pages, writable, not executable, global. */
	for (uint64_t pa = 0; pa < phys_top; pa += LARGE_PAGE_SIZE)
		*kwalk(kern_pml4_pa, KPHYS + pa, 1, PTE_P | PTE_W) = pa | PTE_P | PTE_W | PTE_PS | PTE_G | PTE_NX;
	/* Kernel image: text read-only executable, rodata read-only, data/bss writable NX. */
	for (uint64_t va = (uint64_t)__text_start; va < (uint64_t)__kernel_end; va += PAGE_SIZE) {
		uint64_t flags = PTE_P | PTE_G;
		if (va >= (uint64_t)__text_end)
			flags |= PTE_NX;
		if (va >= (uint64_t)__rodata_end)
			flags |= PTE_W;
		*kwalk(kern_pml4_pa, va, 0, PTE_P | PTE_W) = (va - KERNBASE) | flags;
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
	frames.meta = KADDR(frame_table_pa);
	frames.next = KADDR(frame_table_pa + ROUNDUP(frames.nframes * sizeof(struct exo_frame), PAGE_SIZE));
	/* Frame table exported read-only at UFRAMES. */
	for (uint64_t off = 0; off < frames.nframes * sizeof(struct exo_frame); off += PAGE_SIZE)
		vm_map_export(UFRAMES + off, frame_table_pa + off);
	kprintf("vm: kernel page tables loaded (text RX, data NX, %lu GiB direct map)\n", phys_top >> 30);
}

volatile uint32_t *vm_map_mmio(uint64_t pa)
{
	uint64_t va = KPHYS + pa;
	pte_t *pde = kwalk(kern_pml4_pa, va, 1, PTE_P | PTE_W);
	if (*pde & PTE_PS)
		return (volatile uint32_t *)va; /* inside RAM's direct map already */
	*kwalk(kern_pml4_pa, va, 0, PTE_P | PTE_W) = pa | PTE_P | PTE_W | PTE_NX | 0x18 /* PCD|PWT */;
	invlpg(va);
	return (volatile uint32_t *)va;
}

void vm_map_export(uint64_t uva, uint64_t pa)
{
	assert(PML4_INDEX(uva) == UEXPORT_SLOT);
	/* Walk from the export PDPT: levels 2 (PDPT) .. 0 (PT). */
	pte_t *t = KADDR(export_pdpt_pa);
	for (int l = 2; l > 0; l--) {
		pte_t *e = &t[(uva >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			*e = alloc_table() | PTE_P | PTE_U;
		t = KADDR(PTE_ADDR(*e));
	}
	t[(uva >> 12) & 511] = pa | PTE_P | PTE_U | PTE_NX;
}

uint64_t vm_new_space(void)
{
	uint64_t pa = pmem_alloc(FRAME_OWNER_KERNEL);
	if (!pa)
		return 0;
	pte_t *pml4 = KADDR(pa), *kpml4 = KADDR(kern_pml4_pa);
	for (int i = 256; i < 512; i++)
		pml4[i] = kpml4[i];
	pml4[UEXPORT_SLOT] = export_pdpt_pa | PTE_P | PTE_U;
	pml4[UVPT_SLOT] = pa | PTE_P | PTE_U | PTE_NX; /* read-only self-map */
	return pa;
}

pte_t *vm_walk(uint64_t pml4_pa, uint64_t va, bool create)
{
	return vm_walk_to(pml4_pa, va, 0, create);
}

pte_t *vm_walk_to(uint64_t pml4_pa, uint64_t va, int level, bool create)
{
	pte_t *t = KADDR(pml4_pa);
	for (int l = 3; l > level; l--) {
		pte_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t pa = pmem_alloc(FRAME_OWNER_KERNEL);
			if (!pa)
				return NULL;
			if (l == 1)
				pmem_frame(pa)->maps = 1; /* a page table counts the PDEs that use it */
			*e = pa | PTE_P | PTE_W | PTE_U;
		}
		t = KADDR(PTE_ADDR(*e));
	}
	return &t[(va >> (12 + 9 * level)) & 511];
}

pte_t *vm_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *eff)
{
	pte_t *t = KADDR(pml4_pa);
	uint64_t rights = PTE_W | PTE_U;
	for (int l = 3; l >= 0; l--) {
		pte_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			return NULL;
		rights &= *e;
		if (l == 0) {
			*eff = rights;
			return e;
		}
		t = KADDR(PTE_ADDR(*e));
	}
	return NULL;
}

pte_t *vm_pde(uint64_t pml4_pa, uint64_t va)
{
	pte_t *t = KADDR(pml4_pa);
	for (int l = 3; l > 1; l--) {
		pte_t *e = &t[(va >> (12 + 9 * l)) & 511];
		if (!(*e & PTE_P))
			return NULL;
		t = KADDR(PTE_ADDR(*e));
	}
	return &t[(va >> 21) & 511];
}

void vm_unmap_pte(pte_t *pte)
{
	uint64_t pa = PTE_ADDR(*pte);
	struct exo_frame *f = pmem_frame(pa);
	*pte = 0;
	assert(f->maps > 0);
	if (--f->maps == 0 && f->owner > 0) {
		int32_t owner = f->owner;
		pmem_free(pa);
		env_uncharge(owner);
	}
}

/* Free the table at pa of the given level (2 = PDPT ... 0 = PT) and what it maps.
 * A page table shared with another address space only loses one user. */
static void free_table(uint64_t pa, int level)
{
	pte_t *t = KADDR(pa);
	if (level == 0 && --pmem_frame(pa)->maps > 0)
		return;
	for (int i = 0; i < 512; i++) {
		if (!(t[i] & PTE_P))
			continue;
		if (level == 0)
			vm_unmap_pte(&t[i]);
		else
			free_table(PTE_ADDR(t[i]), level - 1);
	}
	pmem_free(pa);
}

void vm_free_space(uint64_t pml4_pa)
{
	pte_t *pml4 = KADDR(pml4_pa);
	for (int i = 0; i < UEXPORT_SLOT; i++)
		if (pml4[i] & PTE_P)
			free_table(PTE_ADDR(pml4[i]), 2);
	pmem_free(pml4_pa);
}
