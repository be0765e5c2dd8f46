/* ptsum_check.h: does the kernel keep the present-entry summaries it exports
 * (UPTSUMS, include/exo/exports.h) right for our own page tables? Every entry of
 * every table is read through UVPT, none skipped on a summary's word, and each
 * non-zero one must have its group's bit set. Include after libos.h and vpt.h. */
#ifndef TEST_PTSUM_CHECK_H
#define TEST_PTSUM_CHECK_H
#include <stdint.h>
#include "exo/ptscan.h"

/* The non-zero entries among t[0 .. n) whose group bit the summary of the table
 * the entry `above` points to lacks. The summary is read after the entry: the
 * kernel writes both in one call, and others (a child sharing the table, one
 * running in our space) may add entries while we look. */
static inline uint64_t ptsum_missed_in(const volatile uint64_t *t, unsigned n, uint64_t above)
{
	const volatile uint16_t *sum = &exo_ptsums[(above & 0x000FFFFFFFFFF000UL) >> 12];
	uint64_t missed = 0;
	for (unsigned i = 0; i < n; i++)
		missed += t[i] != 0 && !(*sum & (1u << (i / PT_SUM_GROUP)));
	return missed;
}

/* ptsum_missed: how many non-zero entries of our user tables (the PML4's user
 * slots below UEXPORT, every PDPT, directory and page table under them) have no
 * bit in their table's summary. 0 when the kernel kept every summary. */
static inline uint64_t ptsum_missed(void)
{
	const volatile uint64_t *pml4 = VPT_PML4E(0);
	uint64_t missed = ptsum_missed_in(pml4, UEXPORT_SLOT, *VPT_PML4E(UVPT));
	for (uint64_t i4 = 0; i4 < UEXPORT_SLOT; i4++) {
		uint64_t e4 = pml4[i4];
		if (!(e4 & PTE_P))
			continue;
		const volatile uint64_t *pdpt = VPT_PDPTE(i4 << 39);
		missed += ptsum_missed_in(pdpt, 512, e4);
		for (uint64_t i3 = 0; i3 < 512; i3++) {
			uint64_t dva = (i4 << 39) | (i3 << 30), e3 = pdpt[i3];
			if ((e3 & (PTE_P | PTE_PS)) != PTE_P)
				continue;
			const volatile uint64_t *pd = VPT_PDE(dva);
			missed += ptsum_missed_in(pd, 512, e3);
			for (uint64_t i2 = 0; i2 < 512; i2++) {
				uint64_t e2 = pd[i2];
				if ((e2 & (PTE_P | PTE_PS)) == PTE_P)
					missed += ptsum_missed_in(VPT_PTE(dva | (i2 << 21)), 512, e2);
			}
		}
	}
	return missed;
}

#endif
