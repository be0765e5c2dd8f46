/*
 * Read-only views of kernel state, mapped into every address space at UEXPORT
 * (see memlayout.h), so the libOS reads them without a system call.
 */
#ifndef EXO_EXPORTS_H
#define EXO_EXPORTS_H
#include <stdint.h>

/* Frame table at UFRAMES: one entry per physical page frame. */
struct exo_frame {
	int32_t owner;   /* the environment charged for it; 0 = free; <0 = kernel (see below) */
	uint16_t maps;   /* user pages: page-table entries that map it; page tables
			  * (directories): directory (PDPT) entries that point to it */
	uint16_t flags;  /* EXO_FRAME_* */
};
/* A frame an environment is charged for is either one of its pages or (flag
 * EXO_FRAME_PT) a page table made for it. An environment's nframes is exactly the
 * number of frames whose owner is its id. When an environment ends, what it was
 * charged for and others still use (pages mapped elsewhere, page tables shared)
 * passes to its parent: no frame ever names an environment that is gone. */
#define EXO_FRAME_PT 1
/* EXO_FRAME_LARGE: one of the 512 frames of a large frame (2 MiB aligned), mapped
 * whole by directory entries (large_alloc); the first frame's maps counts those
 * entries. The other 511 have maps 0, unless a large_split of a large page
 * others still map left them mapped one by one by page-table entries too: then
 * each one's maps counts those entries, and the first frame carries
 * EXO_FRAME_SUBMAPPED while any of them is so mapped. The large frame stays whole
 * while any directory entry maps it; after the last one, the frames still mapped
 * are ordinary frames. */
#define EXO_FRAME_LARGE 2
#define EXO_FRAME_SUBMAPPED 4
#define FRAME_OWNER_FREE     0
#define FRAME_OWNER_KERNEL  -1   /* kernel image and data, the kernel's own page tables, PML4s */
#define FRAME_OWNER_RESERVED -2  /* not RAM, firmware, or the boot info */
#define FRAME_OWNER_MODULE  -3   /* a boot module (read-only to users) */

_Static_assert(sizeof(struct exo_frame) == 8, "exo_frame is part of the ABI");

/* Present-entry summaries at UPTSUMS: one uint16_t per frame. For a frame that is
 * a page table (of any level) of some address space, bit g is set whenever any of
 * its entries 32g .. 32g + 31 is non-zero: a scan for present entries may skip
 * the groups whose bit is clear without reading them (include/exo/ptscan.h). A bit
 * may stay set after its entries are cleared; a table's summary starts at 0 when
 * the table is made (or, for a table made full, every bit). The PML4's groups of
 * the kernel half and of the UEXPORT and UVPT slots are not kept. */

/* Environment table at UENVS: one entry per environment slot (EXO_NENV). */
#define EXO_NENV 1024
struct exo_env_view {
	int32_t id;          /* 0 when the slot is free */
	int32_t parent;
	uint32_t status;     /* EXO_ENV_RUNNABLE / EXO_ENV_NOT_RUNNABLE, 0 = free */
	uint32_t flags;      /* EXO_ENVF_* */
	uint64_t nframes;    /* frames charged: user frames owned + page tables made for it */
	uint64_t frame_quota;
	uint32_t nslots, slot_quota;
	int32_t space;       /* id of the environment whose address space it runs in (exofork_shared) */
	char name[20];
};
#define EXO_ENVF_IPC_RECV  1   /* blocked in ipc_recv */
#define EXO_ENVF_CONSOLE   2   /* blocked in cons_read */
#define EXO_ENVF_POWER     4   /* may call power_off */
#define EXO_ENVF_ADDR_WAIT 8   /* blocked in addr_wait */
_Static_assert(sizeof(struct exo_env_view) == 64, "exo_env_view is part of the ABI");

/* Time-slice vector at USLOTS. */
#define EXO_MAX_SLOTS 64
struct exo_slots {
	uint32_t nslots;       /* slots per round (boot option slots=N) */
	uint32_t current;      /* the slot now running */
	uint64_t quantum_tsc;  /* slot length in TSC ticks */
	uint64_t rounds;       /* completed rounds */
	int32_t owner[EXO_MAX_SLOTS]; /* environment id, 0 = free (shared round-robin) */
};

/* Counters at UCOUNTERS, for study: per system call and per upcall kind. */
#define EXO_COUNTED_SYSCALLS 48
struct exo_counters {
	uint64_t syscalls[EXO_COUNTED_SYSCALLS];     /* calls, by number */
	uint64_t syscall_tsc[EXO_COUNTED_SYSCALLS];  /* TSC ticks spent in the kernel (timing=1) */
	uint64_t upcalls[3];                         /* exception, slot start, refused (env ended) */
	uint64_t upcall_tsc;                         /* kernel ticks spent delivering upcalls */
	uint64_t timer_ticks;
	uint64_t context_switches;
	uint64_t syscall_timing;                     /* 1: booted with timing=1, syscall_tsc kept */
};

#define EXO_INFO_MAGIC 0x65786f696e666f31ULL /* "exoinfo1" */
#define EXO_MAX_MODULES 16

/* Kernel info page at UINFO. */
struct exo_info {
	uint64_t magic;
	uint64_t nframes;       /* entries in the frame table */
	uint64_t free_frames;   /* frames currently free */
	uint64_t tsc_hz;        /* TSC frequency (calibrated against the PIT) */
	uint64_t frame_quota;   /* default frame quota (boot option frames=N) */
	uint64_t slot_quota;    /* default slot quota (boot option slotquota=N) */
	uint64_t nmodules;
	struct {
		uint64_t start, end; /* physical */
		uint64_t uva;        /* where the boot environment sees it (read-only) */
		char cmdline[104];
	} modules[EXO_MAX_MODULES];
	int64_t boot_epoch;     /* seconds since the Unix epoch (UTC) when the TSC was 0,
				 * from the CMOS clock at boot; 0 if it could not be read */
};

_Static_assert(sizeof(struct exo_info) == 2112, "exo_info is part of the ABI (docs/abi.md)");

#endif
