/*
 * Physical memory: the kernel's frame table (built on frame.c), the physical-to-
 * virtual translation, and zero-filled frame allocation for the kernel and users.
 */
#ifndef EXO_PMEM_H
#define EXO_PMEM_H
#include "kern.h"
#include "frame.h"
#include "bootinfo.h"
#include "../include/exo/memlayout.h"

extern struct frame_table frames;
extern uint64_t phys_window;  /* KERNBASE while booting, KPHYS once vm_init ran */
extern uint64_t phys_top;     /* end of the highest RAM region, rounded to 1 GiB */
extern uint64_t frame_table_pa, frame_table_bytes;
/* large_submaps[pa >> 21]: how many of the large frame at pa's frames page-table
 * entries map one by one (large_split of one others still map whole: vm.h). */
extern uint16_t *large_submaps;
/* pt_sums[pa >> 12]: the present-entry summary of the page table at pa, exported
 * at UPTSUMS (exports.h; kept through vm.h's vm_set). */
extern uint16_t *pt_sums;

static inline void *KADDR(uint64_t pa) { return (void *)(phys_window + pa); }
static inline uint64_t kimage_pa(const void *kva) { return (uint64_t)kva - KERNBASE; }

/* pmem_init: build the frame table from the boot memory map, keeping the kernel
 * image, the boot info and the modules reserved. Panics if the memory map leaves no room for the table (a boot problem). */
void pmem_init(const struct boot_info *bi);

/* pmem_rebase: reach the frame table through the direct map (phys_window moved). */
void pmem_rebase(void);

/* pmem_alloc: take a frame for owner with flags, on list (NULL for a frame nobody
 * is charged for), filled with a copy of the page at the kernel address from, or
 * with zeros when from is NULL. Returns its physical address, or 0 when memory is
 * exhausted. Environments' frames go through charge.c, which picks the list. */
uint64_t pmem_alloc(int32_t owner, uint16_t flags, struct frame_list *list, const void *from);

/* pmem_free: return a frame (its maps count must be 0) and take it off list;
 * zero: the caller has left it all zeros (it is handed out again unfilled).
 * Panics on a double free: that is a kernel bug, never a user's. */
void pmem_free(uint64_t pa, struct frame_list *list, bool zero);

/* pmem_alloc_large / pmem_free_large: the same for a large frame (an aligned
 * 2 MiB run, frame.h): zero-filled if zero (a frame about to be overwritten whole
 * need not be), its physical address, or 0 when no whole run is free; freeing one
 * that is not a whole unmapped run panics. */
uint64_t pmem_alloc_large(int32_t owner, struct frame_list *list, bool zero);
void pmem_free_large(uint64_t pa, struct frame_list *list);

/* pmem_room: are n frames free? (The kernel runs one call at a time with
 * interrupts off, so frames counted here are there when the call makes them.) */
static inline bool pmem_room(uint64_t n) { return n <= frames.nfree; }

static inline struct exo_frame *pmem_frame(uint64_t pa) { return &frames.meta[pa >> PAGE_SHIFT]; }

/* pmem_map_room: may the frame at pa take n more mappings without its 16-bit
 * count overflowing? */
static inline bool pmem_map_room(uint64_t pa, uint64_t n)
{
	return n <= (uint64_t)(UINT16_MAX - pmem_frame(pa)->maps);
}

/* frames_much_mapped: set, for good, once some frame's mapping count has passed
 * UINT16_MAX / 2. While it is clear, every frame has room for as many more
 * mappings as it has: pte_copy_range, which at most doubles a count, need not
 * read the counts before it copies. Every mapping of a user frame is counted with
 * pmem_count_mapping (or, in pte_copy_range's loop, checked the same way). */
extern bool frames_much_mapped;

/* pmem_count_mapping: one more mapping of the frame at pa (the caller checked its
 * room). */
static inline void pmem_count_mapping(uint64_t pa)
{
	if (++pmem_frame(pa)->maps > UINT16_MAX / 2)
		frames_much_mapped = true;
}

/* pmem_publish_free_count: keep *slot (in the exported info page) equal to the
 * number of free frames from now on. */
void pmem_publish_free_count(uint64_t *slot);

/* pmem_selfcheck: allocate, write, free and re-check a batch of frames at boot.
 * Panics with the reason on any inconsistency. */
void pmem_selfcheck(void);

#endif
