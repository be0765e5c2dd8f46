/*
 * ptscan.h: finding the present entries of a page-table page quickly, for the
 * kernel (tearing an address space down) and the libOS (scanning its own tables
 * through UVPT for fork and exec). Most entries of the upper levels are empty,
 * and most pages are not shared: 32 entries are tested with one branch.
 */
#ifndef EXO_PTSCAN_H
#define EXO_PTSCAN_H
#include <stdint.h>

/* pt_next_with: the index of the first entry at or after i of the 512-entry table
 * t that has any of the bits in bits, or 512 when none has. Empty stretches are
 * crossed 32 entries a test (one load-and-or each, where eight a test took almost
 * two instructions an entry), after single entries and blocks of eight up to a
 * multiple of 32. t may be a read-only view the kernel changes (volatile): a test
 * that finds a block non-empty reads it again entry by entry. */
static inline unsigned pt_next_with(const volatile uint64_t *t, unsigned i, uint64_t bits)
{
	const volatile uint64_t *p = t + i, *end = t + 512;
	for (; p < end && ((p - t) & 7); p++) /* up to a block of eight */
		if (*p & bits)
			return (unsigned)(p - t);
	for (; p < end; p += 8) {
		if (!((p - t) & 31)) { /* up to a block of 32: from here 32 at a time */
			const uint64_t *q = (const uint64_t *)p;
			uint64_t any = 0;
#pragma GCC unroll 32
			for (unsigned k = 0; k < 32; k++)
				any |= q[k];
			if (!(any & bits)) {
				p += 24;
				continue;
			}
		}
		if (!((p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7]) & bits))
			continue;
		for (unsigned k = 0; k < 8; k++) /* read again: a view may have changed */
			if (p[k] & bits)
				return (unsigned)(p - t) + k;
	}
	return 512;
}

/* pt_next_present: the first present entry (bit 0) at or after i, or 512. Entry
 * i itself is tested first, so a dense run costs one test per entry. */
static inline unsigned pt_next_present(const volatile uint64_t *t, unsigned i)
{
	return i < 512 && (t[i] & 1) ? i : pt_next_with(t, i, 1);
}

#endif
