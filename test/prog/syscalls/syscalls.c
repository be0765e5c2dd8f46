/* syscalls: every kernel call rejects bad arguments with the documented error and
 * changes nothing; the good cases work. */
#include <stdint.h>
#include <string.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"

#define SCRATCH 0x10000000UL /* a free user address for page tests */

int main(void)
{
	uint64_t free0 = exo_info->free_frames;

	/* Unknown call numbers. */
	CHECK_EQ(exo_syscall6(SYS_COUNT, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	CHECK_EQ(exo_syscall6(-1, 0, 0, 0, 0, 0, 0), -E_NOSYS);
	CHECK_EQ(exo_syscall6(1L << 40, 0, 0, 0, 0, 0, 0), -E_NOSYS);

	/* cons_write: pointers into the kernel, unmapped, non-canonical, wrapping. */
	CHECK_EQ(sys_cons_write((long)KERNBASE, 16), -E_FAULT);
	CHECK_EQ(sys_cons_write((long)KPHYS, 16), -E_FAULT);
	CHECK_EQ(sys_cons_write(0, 16), -E_FAULT);
	CHECK_EQ(sys_cons_write(0x0000800000000000L, 1), -E_FAULT);
	CHECK_EQ(sys_cons_write(-16L, 32), -E_FAULT);
	CHECK_EQ(sys_cons_write((long)"x", -1), -E_FAULT);
	CHECK_EQ(sys_cons_write((long)"abc", 1L << 62), -E_FAULT);
	CHECK_EQ(sys_cons_write((long)UINFO, 8), -E_FAULT); /* exported, but not a user page */
	CHECK_EQ(sys_cons_write((long)"syscalls: console ok\n", 21), 21);

	/* cons_read: into read-only text, into the kernel, zero length. */
	CHECK_EQ(sys_cons_read((long)main, 4), -E_FAULT);
	CHECK_EQ(sys_cons_read((long)KERNBASE, 4), -E_FAULT);
	CHECK_EQ(sys_cons_read((long)&free0, 0), -E_INVAL);

	/* page_alloc: kernel and export addresses, misaligned, bad permission bits,
	 * unknown environment. None may change the free-frame count. */
	CHECK_EQ(sys_page_alloc(0, (long)KERNBASE, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_alloc(0, (long)UVPT, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_alloc(0, (long)UEXPORT, 0), -E_INVAL);
	CHECK_EQ(sys_page_alloc(0, SCRATCH + 1, PTE_W), -E_INVAL);
	CHECK_EQ(sys_page_alloc(0, SCRATCH, 0x80), -E_INVAL);          /* PS bit */
	CHECK_EQ(sys_page_alloc(0, SCRATCH, 0x1000), -E_INVAL);        /* an address bit */
	CHECK_EQ(sys_page_alloc(0x7ffff, SCRATCH, PTE_W), -E_BADENV);
	CHECK_EQ(sys_page_alloc(-5, SCRATCH, PTE_W), -E_BADENV);
	CHECK_EQ(exo_info->free_frames, free0);

	/* page_alloc good case: the page reads as zero, is writable, and is ours. */
	CHECK_EQ(sys_page_alloc(0, SCRATCH, PTE_W | PTE_NX), 0);
	CHECK_EQ(*(volatile uint64_t *)SCRATCH, 0);
	*(volatile uint64_t *)SCRATCH = 0x1234;
	uint64_t fn = vpt_frame(SCRATCH);
	CHECK(fn != 0);
	CHECK_EQ(exo_frames[fn].owner, sys_env_id());
	CHECK_EQ(exo_frames[fn].maps, 1);
	CHECK((vpt_lookup(SCRATCH) & (PTE_W | PTE_U | PTE_NX)) == (PTE_W | PTE_U | PTE_NX));

	/* page_map: a second read-only alias of the same frame; unmapped source; kernel
	 * and export destinations. */
	CHECK_EQ(sys_page_map(0, SCRATCH, 0, SCRATCH + 0x1000, PTE_NX), 0);
	CHECK_EQ(exo_frames[fn].maps, 2);
	CHECK_EQ(*(volatile uint64_t *)(SCRATCH + 0x1000), 0x1234);
	/* The frame's owner may map it writable from a read-only alias (rights come
	 * from owning the frame; the isolation tests cover frames of other environments). */
	CHECK_EQ(sys_page_map(0, SCRATCH + 0x1000, 0, SCRATCH + 0x2000, PTE_W | PTE_NX), 0);
	CHECK_EQ(exo_frames[fn].maps, 3);
	CHECK_EQ(sys_page_unmap(0, SCRATCH + 0x2000), 0);
	CHECK_EQ(sys_page_map(0, SCRATCH + 0x5000, 0, SCRATCH + 0x2000, 0), -E_INVAL);
	CHECK_EQ(sys_page_map(0, SCRATCH, 0, (long)KERNBASE, 0), -E_INVAL);
	CHECK_EQ(sys_page_map(0, SCRATCH, 0, (long)UINFO, 0), -E_INVAL);
	CHECK_EQ(sys_page_map(0, (long)UINFO, 0, SCRATCH + 0x2000, 0), -E_INVAL);
	CHECK_EQ(sys_page_map(0, SCRATCH, 0x7ffff, SCRATCH + 0x2000, 0), -E_BADENV);
	CHECK_EQ(sys_page_map(0, SCRATCH, 0, SCRATCH, PTE_W | PTE_NX), 0); /* remap in place */
	CHECK_EQ(exo_frames[fn].maps, 2);

	/* Unmapping both aliases frees the frame. */
	CHECK_EQ(sys_page_unmap(0, SCRATCH), 0);
	CHECK_EQ(exo_frames[fn].maps, 1);
	CHECK_EQ(sys_page_unmap(0, SCRATCH + 0x1000), 0);
	CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_FREE);
	CHECK_EQ(vpt_lookup(SCRATCH), 0);
	CHECK_EQ(sys_page_unmap(0, SCRATCH), 0);                 /* nothing there: fine */
	CHECK_EQ(sys_page_unmap(0, (long)KERNBASE), -E_INVAL);
	CHECK_EQ(sys_page_unmap(0, SCRATCH + 8), -E_INVAL);

	/* Page tables allocated for SCRATCH stay; every user frame came back. */
	CHECK(exo_info->free_frames <= free0);
	CHECK(free0 - exo_info->free_frames <= 3);

	/* The kernel's own frames are marked as such in the exported table. */
	CHECK_EQ(exo_frames[0].owner, FRAME_OWNER_RESERVED);
	CHECK_EQ(exo_frames[0x100].owner, FRAME_OWNER_KERNEL); /* kernel image at 1 MiB */

	/* power_off is allowed for the boot environment only; we are it, so not tested
	 * here. yield with nothing else runnable returns at once. */
	CHECK_EQ(sys_yield(0), 0);
	check_done("syscalls");
}
