/*
 * ptscan.h: finding the present entries of a page-table page quickly, for the
 * kernel (tearing an address space down, copying entries) and the libOS (scanning
 * its own tables through UVPT for fork and exec). Most entries of the upper levels
 * are empty, and most pages are not shared.
 *
 * Every scan takes the table's present-entry summary (exports.h, UPTSUMS): bit g
 * set when entries 32g .. 32g + 31 may be non-zero. A group whose bit is clear is
 * crossed without reading it; PT_SUM_ALL, every bit, is always a correct summary.
 */
#ifndef EXO_PTSCAN_H
#define EXO_PTSCAN_H
#include <stdint.h>

#define PT_SUM_GROUP 32      /* entries per bit of a summary */
#define PT_SUM_ALL   0xFFFFu /* a summary that says nothing: every group is read */

/* pt_next_with: the index of the first entry at or after i of the 512-entry table
 * t, summary sum, that has any of the bits in bits, or 512 when none has. The
 * groups sum marks are read eight entries a test (one load-and-or each), after
 * single entries up to a multiple of eight; the others are skipped whole. t may
 * be a read-only view the kernel changes (volatile): a test that finds a block
 * non-empty reads it again entry by entry. */
static inline unsigned pt_next_with(const volatile uint64_t *t, unsigned i, uint64_t bits, unsigned sum)
{
	while (i < 512) {
		unsigned later = (sum & PT_SUM_ALL) >> (i / PT_SUM_GROUP); /* bit 0: i's group */
		if (!later)
			return 512;
		if (!(later & 1)) /* to the next marked group */
			i = (i / PT_SUM_GROUP + (unsigned)__builtin_ctz(later)) * PT_SUM_GROUP;
		const volatile uint64_t *p = t + i, *end = t + (i / PT_SUM_GROUP + 1) * PT_SUM_GROUP;
		for (; p < end && ((p - t) & 7); p++) /* up to a block of eight */
			if (*p & bits)
				return (unsigned)(p - t);
		for (; p < end; p += 8) {
			if (!((p[0] | p[1] | p[2] | p[3] | p[4] | p[5] | p[6] | p[7]) & bits))
				continue;
			for (unsigned k = 0; k < 8; k++) /* read again: a view may have changed */
				if (p[k] & bits)
					return (unsigned)(p - t) + k;
		}
		i = (unsigned)(end - t);
	}
	return 512;
}

/* pt_next_present: the first present entry (bit 0) at or after i, or 512. Entry
 * i itself is tested first, so a dense run costs one test per entry. */
static inline unsigned pt_next_present(const volatile uint64_t *t, unsigned i, unsigned sum)
{
	return i < 512 && (t[i] & 1) ? i : pt_next_with(t, i, 1, sum);
}

#endif
