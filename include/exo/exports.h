/*
 * Read-only views of kernel state, mapped into every address space at UEXPORT
 * (see memlayout.h), so the libOS reads them without a system call.
 */
#ifndef EXO_EXPORTS_H
#define EXO_EXPORTS_H
#include <stdint.h>

/* Frame table at UFRAMES: one entry per physical page frame. */
struct exo_frame {
	int32_t owner;   /* owning environment id; 0 = free; <0 = kernel (see below) */
	uint16_t maps;   /* number of user page-table entries that map this frame */
	uint16_t flags;
};
#define FRAME_OWNER_FREE     0
#define FRAME_OWNER_KERNEL  -1   /* kernel image, kernel data, page tables */
#define FRAME_OWNER_RESERVED -2  /* not RAM, firmware, or the boot info */
#define FRAME_OWNER_MODULE  -3   /* a boot module (read-only to users) */

_Static_assert(sizeof(struct exo_frame) == 8, "exo_frame is part of the ABI");

#define EXO_INFO_MAGIC 0x65786f696e666f31ULL /* "exoinfo1" */
#define EXO_MAX_MODULES 16

/* Kernel info page at UINFO. */
struct exo_info {
	uint64_t magic;
	uint64_t nframes;       /* entries in the frame table */
	uint64_t free_frames;   /* frames currently free */
	uint64_t tsc_hz;        /* TSC frequency, 0 if unknown */
	uint64_t nmodules;
	struct {
		uint64_t start, end; /* physical */
		char cmdline[112];
	} modules[EXO_MAX_MODULES];
};

_Static_assert(sizeof(struct exo_info) <= 4096, "exo_info fits one page");

#endif
