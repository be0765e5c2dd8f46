/*
 * Page tables: the kernel's own mappings (direct map, kernel image with W^X), the
 * shared read-only export region, and walking/editing an environment's 4-level tables.
 */
#ifndef EXO_VM_H
#define EXO_VM_H
#include "kern.h"
#include "../include/exo/syscall.h"

typedef uint64_t pte_t;
#define PTE_PS      0x080UL
#define PTE_G       0x100UL
#define PTE_ADDR(e) ((e) & 0x000FFFFFFFFFF000UL)
#define PML4_INDEX(va) (((va) >> 39) & 511)

extern uint64_t kern_pml4_pa;

/* vm_init: build the kernel page tables and switch to them. */
void vm_init(void);

/* vm_map_export: map the physical page pa read-only for users at uva in the shared
 * export region. Boot-time only. */
void vm_map_export(uint64_t uva, uint64_t pa);

/* vm_map_mmio: map one page of device memory (uncached) into the kernel's direct
 * map region. Returns its kernel virtual address. Boot-time only. */
volatile uint32_t *vm_map_mmio(uint64_t pa);

/* vm_new_space: a fresh PML4 with the kernel half, the export region and the UVPT
 * self-map. Returns its physical address, or 0 when out of memory. */
uint64_t vm_new_space(void);

/* vm_walk: find the last-level PTE for va in the tables rooted at pml4_pa. With
 * create, missing intermediate tables are allocated (zeroed). Returns NULL when
 * absent (or, with create, when memory ran out). Only for user addresses. */
pte_t *vm_walk(uint64_t pml4_pa, uint64_t va, bool create);

/* vm_walk_to: like vm_walk, but stop at level (0 = the PTE, 1 = the PDE, ...):
 * the entry for va in the table of that level. */
pte_t *vm_walk_to(uint64_t pml4_pa, uint64_t va, int level, bool create);

/* vm_lookup: the present last-level PTE for user address va, or NULL. *eff gets the
 * effective rights of the whole walk: PTE_W and PTE_U only if every level grants
 * them (a shared page table's PDE is read-only, whatever its entries say). */
pte_t *vm_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *eff);

/* vm_pde: the page-directory entry covering va (the one that points to va's page
 * table), or NULL when the levels above are absent. */
pte_t *vm_pde(uint64_t pml4_pa, uint64_t va);

/* vm_free_space: unmap every user page (dropping frame mapping counts and freeing
 * frames nobody maps any more), free the page-table pages and the PML4. */
void vm_free_space(uint64_t pml4_pa);

/* vm_unmap_pte: clear one present user PTE and drop its frame's mapping count,
 * freeing the frame at zero. */
void vm_unmap_pte(pte_t *pte);

static inline void vm_load(uint64_t pml4_pa)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
}

#endif
