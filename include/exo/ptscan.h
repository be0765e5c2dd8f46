/*
 * ptscan.h: finding the present entries of a page-table page quickly, for the
 * kernel (tearing an address space down) and the libOS (scanning its own tables
 * through UVPT for fork). Most entries of the upper levels are empty: eight are
 * tested with one branch.
 */
#ifndef EXO_PTSCAN_H
#define EXO_PTSCAN_H
#include <stdint.h>

/* pt_next_present: the index of the first entry at or after i of the 512-entry
 * table t that has the present bit (bit 0), or 512 when none has. Reads each
 * entry once (t may be a read-only view the kernel changes: volatile). */
static inline unsigned pt_next_present(const volatile uint64_t *t, unsigned i)
{
	while (i < 512) {
		if (!(i & 7)) {
			uint64_t any = t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] | t[i + 7];
			if (!(any & 1)) {
				i += 8;
				continue;
			}
		}
		if (t[i] & 1)
			return i;
		i++;
	}
	return 512;
}

#endif
