/*
 * Reading this environment's own page tables through the kernel's read-only
 * recursive self-map at UVPT (PML4 slot 255): no system call needed.
 */
#ifndef LIBOS_VPT_H
#define LIBOS_VPT_H
#include <stdbool.h>
#include <stdint.h>
#include <exo/memlayout.h>
#include <exo/syscall.h>
#include "libos.h"

#define VPT_R ((uint64_t)UVPT_SLOT)
#define VPT_PML4E(va) ((volatile uint64_t *)((VPT_R << 39) | (VPT_R << 30) | (VPT_R << 21) | (VPT_R << 12) | (((uint64_t)(va) >> 36) & 0xFF8)))
#define VPT_PDPTE(va) ((volatile uint64_t *)((VPT_R << 39) | (VPT_R << 30) | (VPT_R << 21) | (((uint64_t)(va) >> 27) & 0x1FFFF8)))
#define VPT_PDE(va)   ((volatile uint64_t *)((VPT_R << 39) | (VPT_R << 30) | (((uint64_t)(va) >> 18) & 0x3FFFFFF8)))
#define VPT_PTE(va)   ((volatile uint64_t *)((VPT_R << 39) | (((uint64_t)(va) >> 9) & 0x7FFFFFFFF8)))

/* vpt_sum: the present-entry summary (exports.h, for ptscan.h) of the table the
 * present entry `above` points to; vpt_sum(*VPT_PML4E(UVPT)) is the PML4's (the
 * self-map's entry points to it), vpt_sum(*VPT_PDE(va)) that of va's page table. */
static inline unsigned vpt_sum(uint64_t above)
{
	return exo_ptsums[(above & 0x000FFFFFFFFFF000UL) >> 12];
}

/* vpt_large_pte: the entry a page at va inside the large page that directory
 * entry pde maps would have: its frame, the large entry's rights; a read-only
 * large page is one a fork shares (mman.c), so its pages are PTE_COW. */
static inline uint64_t vpt_large_pte(uint64_t pde, uint64_t va)
{
	uint64_t pte = (pde & ~(PTE_PS | 0x000FFFFFFFFFF000UL)) | ((pde & 0x000FFFFFFFFFF000UL) + (va & 0x1FF000));
	return (pde & PTE_W) ? pte : pte | PTE_COW;
}

/* vpt_lookup: the last-level PTE mapping user address va (inside a large page:
 * vpt_large_pte), or 0 when va (or a table above it) is not mapped, or va is not
 * a user address. */
static inline uint64_t vpt_lookup(uint64_t va)
{
	if (va >= ULIM) /* kernel and export tables are not readable through UVPT */
		return 0;
	if (!(*VPT_PML4E(va) & PTE_P) || !(*VPT_PDPTE(va) & PTE_P) || !(*VPT_PDE(va) & PTE_P))
		return 0;
	uint64_t pde = *VPT_PDE(va);
	return (pde & PTE_PS) ? vpt_large_pte(pde, va) : *VPT_PTE(va);
}

/* vpt_large: does a large page cover va? */
static inline bool vpt_large(uint64_t va)
{
	return va < ULIM && (*VPT_PML4E(va) & PTE_P) && (*VPT_PDPTE(va) & PTE_P) && (*VPT_PDE(va) & PTE_PS) &&
	       (*VPT_PDE(va) & PTE_P);
}

/* vpt_frame: the physical frame number behind va, or 0 when unmapped. */
static inline uint64_t vpt_frame(uint64_t va)
{
	uint64_t pte = vpt_lookup(va);
	return (pte & PTE_P) ? (pte & 0x000FFFFFFFFFF000UL) >> 12 : 0;
}

#endif
