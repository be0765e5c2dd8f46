/*
 * Physical frame allocator: one exo_frame entry per page (owner, mapping count),
 * a free list threaded through a private next[] array. Pure logic: the kernel and
 * the host unit tests both build it from a memory map.
 */
#ifndef EXO_FRAME_H
#define EXO_FRAME_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "../include/exo/exports.h"

#define FRAME_NONE UINT32_MAX

struct phys_range {
	uint64_t start, end; /* byte addresses, end exclusive */
};

struct frame_table {
	struct exo_frame *meta; /* nframes entries (exported read-only to users) */
	uint32_t *next;         /* free-list links, nframes entries */
	uint64_t nframes;
	uint32_t free_head;
	uint64_t nfree;
};

/* frame_table_init: mark every frame reserved, then free each page lying wholly in
 * an available range and in no reserved range. meta and next must hold nframes
 * entries. Lower frames are handed out first. */
void frame_table_init(struct frame_table *ft, struct exo_frame *meta, uint32_t *next, uint64_t nframes,
		      const struct phys_range *avail, int navail, const struct phys_range *reserved,
		      int nreserved);

/* frame_take: allocate one frame for owner (must not be FRAME_OWNER_FREE).
 * Returns the frame number, or FRAME_NONE when no frame is free. */
uint32_t frame_take(struct frame_table *ft, int32_t owner);

/* frame_give: return frame fn to the free list. Returns 0, or -1 if fn is out of
 * range, already free, not owned by a user or kernel, or still mapped. */
int frame_give(struct frame_table *ft, uint32_t fn);

/* frame_check: walk the free list and the table and check they agree (no cycle, no
 * duplicate, every free frame on the list exactly once, no mapped free frame).
 * Returns 0 when consistent, otherwise -1 and a message in *why. */
int frame_check(const struct frame_table *ft, const char **why);

#endif
