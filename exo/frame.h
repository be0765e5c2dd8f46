/*
 * Physical frame allocator: one exo_frame entry per page (owner, mapping count,
 * flags), a free list and per-holder lists threaded through private link arrays.
 * Every frame charged to an environment is on that environment's list, so the
 * kernel can find and hand over what a dying environment still holds without
 * scanning the table. The free list is doubly linked too, so a large frame (an
 * aligned run of FRAME_LARGE_RUN frames, mapped with one 2 MiB entry) can be taken
 * out of it wherever its frames lie, and given back at its tail, where single
 * frames are taken last. Pure logic: the kernel and the host unit tests both
 * build it from a memory map.
 */
#ifndef EXO_FRAME_H
#define EXO_FRAME_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include "../include/exo/exports.h"

#define FRAME_NONE UINT32_MAX
#define FRAME_LARGE_RUN 512 /* frames in a large frame (2 MiB) */

struct phys_range {
	uint64_t start, end; /* byte addresses, end exclusive */
};

/* The frames charged to one holder: a doubly linked list through next[]/prev[]. */
struct frame_list {
	uint32_t head;   /* FRAME_NONE when empty */
	uint64_t count;
};
#define FRAME_LIST_EMPTY ((struct frame_list){ FRAME_NONE, 0 })

struct frame_table {
	struct exo_frame *meta; /* nframes entries (exported read-only to users) */
	uint32_t *next;         /* free-list and holder-list links, nframes entries */
	uint32_t *prev;         /* their back links, nframes entries */
	uint64_t nframes;
	uint32_t free_head, free_tail;
	uint64_t nfree;           /* free frames: on the free list or on zeroed */
	struct frame_list zeroed; /* free frames known to hold only zeros, taken from the head */
};

/* frame_table_init: mark every frame reserved, then free each page lying wholly in
 * an available range and in no reserved range. meta, next and prev must hold
 * nframes entries. Lower frames are handed out first. */
void frame_table_init(struct frame_table *ft, struct exo_frame *meta, uint32_t *next, uint32_t *prev,
		      uint64_t nframes, const struct phys_range *avail, int navail,
		      const struct phys_range *reserved, int nreserved);

/* frame_take: allocate one frame for owner (not FRAME_OWNER_FREE) with flags, and
 * put it on list (NULL: a frame nobody is charged for, e.g. the kernel's own).
 * A frame of the free list is taken first, a known-zero one only when it is empty
 * (the caller overwrites the frame). Returns the frame number, or FRAME_NONE when
 * no frame is free. */
uint32_t frame_take(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list);

/* frame_take_zero: frame_take for a caller that needs the frame zero-filled: a
 * known-zero frame is taken first, and *zero says whether it was one (if not, the
 * caller fills it). */
uint32_t frame_take_zero(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list,
			 bool *zero);

/* frame_give: return frame fn to the free list, taking it off list (the one it
 * was taken with, or NULL); with zero, the caller vouches that it holds only zeros
 * and it goes on the known-zero list instead. Returns 0, or -1 if fn is out of
 * range, already free, reserved or a module, or still mapped. */
int frame_give(struct frame_table *ft, uint32_t fn, struct frame_list *list, bool zero);

/* frame_take_large: allocate an aligned run of FRAME_LARGE_RUN free frames for
 * owner, each flagged EXO_FRAME_LARGE besides flags and put on list; the highest
 * such run is taken (single frames come from the bottom). The known-zero frames
 * join the free list first (a run may include them). Returns the first frame
 * number, or FRAME_NONE when no whole aligned run is free. */
uint32_t frame_take_large(struct frame_table *ft, int32_t owner, uint16_t flags, struct frame_list *list);

/* frame_give_large: return the run frame_take_large gave (first frame fn, its
 * mapping count 0) to the free list, at its tail, taking every frame off list.
 * Returns 0, or -1 if fn is not the first frame of a large run held by a user. */
int frame_give_large(struct frame_table *ft, uint32_t fn, struct frame_list *list);

/* frame_move: frame fn (on from) changes holder: it goes onto to and its owner
 * becomes owner. */
void frame_move(struct frame_table *ft, uint32_t fn, struct frame_list *from, struct frame_list *to,
		int32_t owner);

/* frame_move_all: every frame on from goes onto to with owner as its owner; from
 * ends empty. Returns the number of frames moved. */
uint64_t frame_move_all(struct frame_table *ft, struct frame_list *from, struct frame_list *to, int32_t owner);

/* frame_check: walk the free and known-zero lists and the table and check they
 * agree (no cycle, no duplicate, every free frame on one list exactly once,
 * consistent back links, tail and counts, no mapped free frame).
 * Returns 0 when consistent, otherwise -1 and a message in *why. */
int frame_check(const struct frame_table *ft, const char **why);

/* frame_list_check: check that list holds exactly its count of frames, each owned
 * by owner, with consistent back links. Returns 0, or -1 and a message in *why. */
int frame_list_check(const struct frame_table *ft, const struct frame_list *list, int32_t owner,
		     const char **why);

#endif
