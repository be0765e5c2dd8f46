/* The exported study counters (struct exo_counters), one whole page of their own. */
#ifndef EXO_COUNTERS_H
#define EXO_COUNTERS_H
#include "kern.h"
#include "../include/exo/exports.h"

union exo_counters_page {
	struct exo_counters v;
	uint8_t page[4096];
};
extern union exo_counters_page counters_page;
#define counters (counters_page.v)

/* counters_init: export the counters read-only at UCOUNTERS; with timing, keep
 * syscall_tsc too (two rdtsc per call: off by default, so the fast path is
 * short). */
void counters_init(bool timing);

#endif
