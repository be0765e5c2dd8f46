/* exports: the read-only kernel views (info page, frame table, UVPT self-map)
 * agree with each other and with what the program does. */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"

int main(void)
{
	CHECK(exo_info->magic == EXO_INFO_MAGIC);
	CHECK(exo_info->nframes > 1000);
	CHECK(exo_info->free_frames < exo_info->nframes);
	CHECK_EQ(exo_info->nmodules, 2); /* the program and the initrd */

	/* Our text page: mapped, user, read-only, executable; frame owned by us. */
	uint64_t text = (uint64_t)main & ~0xFFFUL;
	uint64_t pte = vpt_lookup(text);
	CHECK(pte & PTE_P);
	CHECK(pte & PTE_U);
	CHECK(!(pte & PTE_W));
	CHECK(!(pte & PTE_NX));
	CHECK_EQ(exo_frames[vpt_frame(text)].owner, sys_env_id());

	/* A data page is writable and not executable. */
	static int data_word = 1;
	pte = vpt_lookup((uint64_t)&data_word);
	CHECK((pte & PTE_W) && (pte & PTE_NX));

	/* Growing the heap by one page takes exactly one frame, visible in both views. */
	char *brk0 = sbrk(0);
	uint64_t pad = (4096 - ((uint64_t)brk0 & 4095)) & 4095;
	sbrk((intptr_t)pad); /* align the break; may not need a new page */
	uint64_t before = exo_info->free_frames;
	char *page = sbrk(4096);
	CHECK(page != (void *)-1);
	page[0] = 1;
	CHECK_EQ(exo_info->free_frames, before - 1);
	uint64_t fn = vpt_frame((uint64_t)page);
	CHECK(fn != 0);
	CHECK_EQ(exo_frames[fn].owner, sys_env_id());
	CHECK_EQ(exo_frames[fn].maps, 1);

	/* Shrinking gives it back. */
	CHECK(sbrk(-4096) != (void *)-1);
	CHECK_EQ(exo_info->free_frames, before);
	CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_FREE);
	CHECK_EQ(vpt_lookup((uint64_t)page), 0);

	/* Unmapped addresses read as absent through every level. */
	CHECK_EQ(vpt_lookup(0), 0);
	CHECK_EQ(vpt_lookup(0x0000400000000000UL), 0);
	check_done("exports");
}
