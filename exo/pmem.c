/* Physical memory management for the kernel (see pmem.h). */
#include "pmem.h"

struct frame_table frames;
uint64_t phys_window = KERNBASE;
uint64_t phys_top;
uint64_t frame_table_pa, frame_table_bytes;
uint16_t *large_submaps;
uint16_t *pt_sums;
bool frames_much_mapped;
static uint64_t free_count_sink;
static uint64_t *free_count = &free_count_sink;

void pmem_publish_free_count(uint64_t *slot)
{
	free_count = slot;
	*slot = frames.nfree;
}

extern char __bss_end_phys[], __load_start[];

#define EARLY_WINDOW (1UL << 30) /* the boot page tables map the first 1 GiB */

/* The frame table's layout for n frames at base: meta[] and the page tables'
 * summaries sums[] (exported), then next[], prev[] and the large frames'
 * submaps[] (private), each starting on its own page. Returns its size in bytes. */
static uint64_t table_arrays(void *base, uint64_t n, struct exo_frame **meta, uint16_t **sums, uint32_t **next,
			     uint32_t **prev, uint16_t **submaps)
{
	uint64_t meta_bytes = ROUNDUP(n * sizeof(struct exo_frame), PAGE_SIZE);
	uint64_t sums_bytes = ROUNDUP(n * sizeof(uint16_t), PAGE_SIZE);
	uint64_t link_bytes = ROUNDUP(n * sizeof(uint32_t), PAGE_SIZE);
	uint64_t runs_bytes = ROUNDUP((n / FRAME_LARGE_RUN + 1) * sizeof(uint16_t), PAGE_SIZE);
	uint8_t *at = base;
	*meta = (struct exo_frame *)at;
	*sums = (uint16_t *)(at += meta_bytes);
	*next = (uint32_t *)(at += sums_bytes);
	*prev = (uint32_t *)(at += link_bytes);
	*submaps = (uint16_t *)(at + link_bytes);
	return meta_bytes + sums_bytes + 2 * link_bytes + runs_bytes;
}

void pmem_init(const struct boot_info *bi)
{
	struct phys_range avail[BOOT_MAX_REGIONS], reserved[BOOT_MAX_MODULES + 4];
	int navail = 0, nres = 0;
	uint64_t top = 0, ram = 0; /* the end of the highest available range; the bytes available */
	for (int i = 0; i < bi->nregions; i++) {
		const struct boot_region *r = &bi->regions[i];
		if (r->type != 1)
			continue;
		avail[navail++] = (struct phys_range){ r->base, r->base + r->len };
		top = MAX(top, r->base + r->len);
		ram += r->len;
	}
	if (!navail)
		panic("boot memory map lists no available RAM");
	uint64_t nframes = ROUNDUP(top, PAGE_SIZE) / PAGE_SIZE;
	phys_top = ROUNDUP(top, 1UL << 30);

	/* Reserve: low 1 MiB (BIOS data, boot code), kernel image, boot info, modules. */
	reserved[nres++] = (struct phys_range){ 0, (uint64_t)__load_start };
	reserved[nres++] = (struct phys_range){ (uint64_t)__load_start, (uint64_t)__bss_end_phys };
	reserved[nres++] = (struct phys_range){ ROUNDDOWN(bi->info_start, PAGE_SIZE), ROUNDUP(bi->info_end, PAGE_SIZE) };
	uint64_t highest = (uint64_t)__bss_end_phys;
	for (int i = 0; i < bi->nmodules; i++) {
		reserved[nres++] = (struct phys_range){ ROUNDDOWN(bi->modules[i].start, PAGE_SIZE),
							ROUNDUP(bi->modules[i].end, PAGE_SIZE) };
		highest = MAX(highest, bi->modules[i].end);
	}
	highest = MAX(highest, bi->info_end);

	/* The table goes right after everything the loader put in memory. */
	struct exo_frame *meta;
	uint32_t *next, *prev;
	frame_table_pa = ROUNDUP(highest, PAGE_SIZE);
	frame_table_bytes = table_arrays(KADDR(frame_table_pa), nframes, &meta, &pt_sums, &next, &prev, &large_submaps);
	bool fits = false;
	for (int i = 0; i < navail; i++)
		fits |= frame_table_pa >= avail[i].start && frame_table_pa + frame_table_bytes <= avail[i].end;
	if (!fits || frame_table_pa + frame_table_bytes > EARLY_WINDOW)
		panic("no room for the frame table (%lu bytes at %#lx)", frame_table_bytes, frame_table_pa);
	reserved[nres++] = (struct phys_range){ frame_table_pa, frame_table_pa + frame_table_bytes };

	frame_table_init(&frames, meta, next, prev, nframes, avail, navail, reserved, nres);
	memset(large_submaps, 0, (nframes / FRAME_LARGE_RUN + 1) * sizeof(uint16_t));
	memset(pt_sums, 0, nframes * sizeof(uint16_t));

	/* Tell users which reserved frames are what. */
	for (uint64_t pa = (uint64_t)__load_start; pa < (uint64_t)__bss_end_phys; pa += PAGE_SIZE)
		pmem_frame(pa)->owner = FRAME_OWNER_KERNEL;
	for (uint64_t pa = frame_table_pa; pa < frame_table_pa + frame_table_bytes; pa += PAGE_SIZE)
		pmem_frame(pa)->owner = FRAME_OWNER_KERNEL;
	for (int i = 0; i < bi->nmodules; i++)
		for (uint64_t pa = ROUNDDOWN(bi->modules[i].start, PAGE_SIZE); pa < bi->modules[i].end; pa += PAGE_SIZE)
			pmem_frame(pa)->owner = FRAME_OWNER_MODULE;
	kprintf("pmem: %lu MiB RAM up to %lu MiB, %lu frames, %lu free, frame table %lu KiB at %#lx\n", ram >> 20,
		top >> 20, nframes, frames.nfree, frame_table_bytes >> 10, frame_table_pa);
}

void pmem_rebase(void)
{
	table_arrays(KADDR(frame_table_pa), frames.nframes, &frames.meta, &pt_sums, &frames.next, &frames.prev,
		     &large_submaps);
}

uint64_t pmem_alloc(int32_t owner, uint16_t flags, struct frame_list *list, const void *from)
{
	bool zero = false;
	uint32_t fn = from ? frame_take(&frames, owner, flags, list)
			   : frame_take_zero(&frames, owner, flags, list, &zero);
	if (fn == FRAME_NONE)
		return 0;
	*free_count = frames.nfree;
	uint64_t pa = (uint64_t)fn << PAGE_SHIFT;
	if (from)
		memcpy(KADDR(pa), from, PAGE_SIZE);
	else if (!zero)
		memset(KADDR(pa), 0, PAGE_SIZE);
	return pa;
}

uint64_t pmem_alloc_large(int32_t owner, struct frame_list *list, bool zero)
{
	uint32_t fn = frame_take_large(&frames, owner, 0, list);
	if (fn == FRAME_NONE)
		return 0;
	*free_count = frames.nfree;
	uint64_t pa = (uint64_t)fn << PAGE_SHIFT;
	if (zero)
		memset(KADDR(pa), 0, LARGE_PAGE_SIZE);
	return pa;
}

void pmem_free_large(uint64_t pa, struct frame_list *list)
{
	if (frame_give_large(&frames, (uint32_t)(pa >> PAGE_SHIFT), list) < 0)
		panic("pmem_free_large: bad free of large frame %#lx (owner %d, maps %u)", pa, pmem_frame(pa)->owner,
		      pmem_frame(pa)->maps);
	*free_count = frames.nfree;
}

void pmem_free(uint64_t pa, struct frame_list *list, bool zero)
{
	if (frame_give(&frames, (uint32_t)(pa >> PAGE_SHIFT), list, zero) < 0)
		panic("pmem_free: bad free of frame %#lx (owner %d, maps %u)", pa, pmem_frame(pa)->owner,
		      pmem_frame(pa)->maps);
	*free_count = frames.nfree;
}

void pmem_selfcheck(void)
{
	enum { N = 64 };
	uint64_t got[N];
	const char *why;
	uint64_t before = frames.nfree;
	if (frame_check(&frames, &why) < 0)
		panic("frame allocator self-check: %s", why);
	for (int i = 0; i < N; i++) {
		got[i] = pmem_alloc(FRAME_OWNER_KERNEL, 0, NULL, NULL);
		if (!got[i])
			panic("frame allocator self-check: cannot allocate %d frames", N);
		for (int j = 0; j < i; j++)
			if (got[j] == got[i])
				panic("frame allocator self-check: frame %#lx handed out twice", got[i]);
		*(uint64_t *)KADDR(got[i]) = got[i];
	}
	for (int i = 0; i < N; i++) {
		if (*(uint64_t *)KADDR(got[i]) != got[i])
			panic("frame allocator self-check: frame %#lx overwritten", got[i]);
		pmem_free(got[i], NULL, false);
	}
	if (frames.nfree != before || frame_check(&frames, &why) < 0)
		panic("frame allocator self-check: free count %lu != %lu after round trip", frames.nfree, before);
	kprintf("pmem: self-check passed (%d frames allocated, verified, freed)\n", N);
}
