/* Host unit tests for the multiboot1/multiboot2 info parser (exo/bootinfo.c). */
#include <stdbool.h>
#include <stdint.h>
#include "test/unit/check.h"
#include "exo/bootinfo.h"

/* Fake physical memory: mem[p] is physical address p. */
#define MEM_SIZE (1u << 20)
static uint8_t mem[MEM_SIZE] __attribute__((aligned(4096)));

#define INFO 0x1000  /* the info block */
#define MMAP 0x2004  /* mb1 memory map; == 4 mod 8 so its 64-bit fields are aligned */
#define MODS 0x3000  /* mb1 module list */
#define STRS 0x8000  /* strings */

static uint64_t str_next; /* bump allocator for strings in mem */
static struct boot_info bi;

static void *at(uint64_t phys)
{
	return mem + phys;
}

static void put32(void *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(void *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t put_str(const char *s)
{
	uint64_t p = str_next;
	memcpy(at(p), s, strlen(s) + 1);
	str_next += strlen(s) + 1;
	return (uint32_t)p;
}

static void reset_mem(void)
{
	memset(mem, 0, sizeof mem);
	str_next = STRS;
}

/* The plain reader: any range inside mem. */
static const void *reader(uint64_t phys, size_t len)
{
	if (phys > MEM_SIZE || len > MEM_SIZE - phys)
		return NULL;
	return mem + phys;
}

/* The strict reader hands out a copy of exactly the bytes asked for, followed by
 * POISON, so a parser reading past what it asked for picks up "LEAK". */
#define POISON " LEAK"
static uint8_t arena[4u << 20] __attribute__((aligned(16)));
static size_t arena_next;

static const void *strict_reader(uint64_t phys, size_t len)
{
	const uint8_t *src = reader(phys, len);
	size_t start = ((arena_next + 15) & ~(size_t)15) + phys % 16; /* keep alignment */
	if (!src || start + len + sizeof POISON > sizeof arena)
		return NULL;
	memcpy(arena + start, src, len);
	memcpy(arena + start + len, POISON, sizeof POISON);
	arena_next = start + len + sizeof POISON;
	return arena + start;
}

static int parse_with(uint32_t magic, uint64_t info, phys_reader_t read)
{
	memset(&bi, 0xAA, sizeof bi); /* so fields the parser forgets to set show up */
	arena_next = 0;
	return bootinfo_parse(magic, info, read, &bi);
}

static int parse(uint32_t magic)
{
	return parse_with(magic, INFO, reader);
}

/* Failed, with a NUL-terminated message in bi.cmdline. */
static bool failed(int rc)
{
	return rc == -1 && bi.cmdline[0] != 0 && memchr(bi.cmdline, 0, sizeof bi.cmdline) != NULL;
}

static bool region_is(int i, uint64_t base, uint64_t len, uint32_t type)
{
	return bi.regions[i].base == base && bi.regions[i].len == len && bi.regions[i].type == type;
}

static bool module_is(int i, uint64_t start, uint64_t end, const char *cmdline)
{
	return bi.modules[i].start == start && bi.modules[i].end == end &&
	       strcmp(bi.modules[i].cmdline, cmdline) == 0;
}

/* --- multiboot1 ------------------------------------------------------------- */

struct mb1_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};
#define MB1_MEM (1u << 0)
#define MB1_CMDLINE (1u << 2)
#define MB1_MODS (1u << 3)
#define MB1_MMAP (1u << 6)

static struct mb1_info *mi;

static void mb1_begin(void)
{
	reset_mem();
	mi = at(INFO);
	mi->mmap_addr = MMAP;
	mi->mods_addr = MODS;
}

/* A memory map entry whose size field is entry_size (20 for the standard layout). */
static void mb1_entry(uint32_t entry_size, uint64_t base, uint64_t len, uint32_t type)
{
	uint8_t *e = at((uint64_t)mi->mmap_addr + mi->mmap_length);
	put32(e, entry_size);
	put64(e + 4, base);
	put64(e + 12, len);
	put32(e + 20, type);
	mi->mmap_length += entry_size + 4;
	mi->flags |= MB1_MMAP;
}

static void mb1_region(uint64_t base, uint64_t len, uint32_t type)
{
	mb1_entry(20, base, len, type);
}

static void mb1_cmdline(const char *s)
{
	mi->cmdline = put_str(s);
	mi->flags |= MB1_CMDLINE;
}

/* A module; a NULL string leaves the string address 0. */
static void mb1_module(uint32_t start, uint32_t end, const char *s)
{
	uint32_t *m = at(MODS + 16 * mi->mods_count++);
	m[0] = start;
	m[1] = end;
	m[2] = s ? put_str(s) : 0;
	mi->flags |= MB1_MODS;
}

/* A typical QEMU -kernel info block. */
static void mb1_standard(void)
{
	mb1_begin();
	mb1_cmdline("/boot/kernel.elf console=serial verbose"); /* file name first, as QEMU does */
	mb1_region(0, 0x9FC00, 1);
	mb1_region(0xF0000, 0x10000, 2);
	mb1_region(0x100000, 0x7EE0000, 1);
	mb1_region(0x100000000ULL, 0x40000000ULL, 1);
	mb1_module(0x200000, 0x201234, "/boot/hello hello a b");
	mb1_module(0x202000, 0x203000, "/boot/init");
}

static void check_mb1_standard(void)
{
	CHECK(bi.protocol == 1);
	CHECK(bi.info_start == INFO && bi.info_end > INFO);
	CHECK(strcmp(bi.cmdline, "console=serial verbose") == 0);
	CHECK(bi.nregions == 4);
	CHECK(region_is(0, 0, 0x9FC00, 1));
	CHECK(region_is(1, 0xF0000, 0x10000, 2));
	CHECK(region_is(2, 0x100000, 0x7EE0000, 1));
	CHECK(region_is(3, 0x100000000ULL, 0x40000000ULL, 1));
	CHECK(bi.nmodules == 2);
	CHECK(module_is(0, 0x200000, 0x201234, "hello a b"));
	CHECK(module_is(1, 0x202000, 0x203000, ""));
}

TEST(mb1_standard_info)
{
	mb1_standard();
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	check_mb1_standard();
}

TEST(mb1_reads_only_what_it_asks_for)
{
	mb1_standard();
	CHECK(parse_with(MB1_BOOT_MAGIC, INFO, strict_reader) == 0);
	check_mb1_standard();
}

TEST(mb1_mmap_entry_size_field_honoured)
{
	mb1_begin();
	mb1_entry(28, 0x1000, 0x9E000, 1); /* ACPI 3.0 style: 4 bytes of attributes */
	mb1_entry(28, 0x100000, 0x100000, 1);
	mb1_entry(20, 0x200000, 0x1000, 3);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == 3);
	CHECK(region_is(0, 0x1000, 0x9E000, 1));
	CHECK(region_is(1, 0x100000, 0x100000, 1));
	CHECK(region_is(2, 0x200000, 0x1000, 3));
}

TEST(mb1_zero_length_regions_skipped)
{
	mb1_begin();
	mb1_region(0, 0x9F000, 1);
	mb1_region(0x9F000, 0, 1);
	mb1_region(0x100000, 0x100000, 1);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == 2);
	CHECK(region_is(1, 0x100000, 0x100000, 1));
}

TEST(mb1_cmdline_ignored_without_flag)
{
	mb1_standard();
	mi->flags &= ~MB1_CMDLINE;
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.cmdline[0] == 0);
}

TEST(mb1_long_cmdline_truncated)
{
	/* "k " then 398 x's: the parser reads a 256-byte window, drops the file name "k"
	 * and its space, and keeps the x's that are left in the window. */
	char s[400];
	memset(s, 'x', sizeof s - 1);
	s[0] = 'k', s[1] = ' ';
	s[sizeof s - 1] = 0;
	mb1_standard();
	mb1_cmdline(s);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(strlen(bi.cmdline) == BOOT_CMDLINE_MAX - 2);
	CHECK(strspn(bi.cmdline, "x") == BOOT_CMDLINE_MAX - 2);
}

TEST(mb1_kernel_file_name_dropped)
{
	mb1_standard();
	mb1_cmdline("build/kernel.elf   frames=400 selftest=hang");
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(strcmp(bi.cmdline, "frames=400 selftest=hang") == 0);
}

TEST(mb1_module_file_name_dropped)
{
	mb1_begin();
	mb1_region(0x100000, 0x100000, 1);
	mb1_module(0x200000, 0x210000, "/boot/hello hello a b");
	mb1_module(0x210000, 0x210000, "/boot/empty");
	mb1_module(0x211000, 0x212000, "/boot/sp   x  y ");
	mb1_module(0x212000, 0x213000, NULL);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nmodules == 4);
	CHECK(module_is(0, 0x200000, 0x210000, "hello a b"));
	CHECK(module_is(1, 0x210000, 0x210000, ""));
	CHECK(module_is(2, 0x211000, 0x212000, "x  y "));
	CHECK(module_is(3, 0x212000, 0x213000, ""));
}

TEST(mb1_modules_ignored_without_flag)
{
	mb1_standard();
	mi->flags &= ~MB1_MODS;
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nmodules == 0);
}

TEST(mb1_too_many_modules_clipped)
{
	mb1_begin();
	mb1_region(0x100000, 0x100000, 1);
	for (uint32_t i = 0; i < BOOT_MAX_MODULES + 4; i++)
		mb1_module(0x200000 + i * 0x1000, 0x200800 + i * 0x1000, "/boot/m arg");
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nmodules == BOOT_MAX_MODULES);
	for (int i = 0; i < BOOT_MAX_MODULES; i++)
		CHECK(module_is(i, 0x200000 + i * 0x1000, 0x200800 + i * 0x1000, "arg"));
}

TEST(mb1_too_many_regions_clipped)
{
	mb1_begin();
	for (uint64_t i = 0; i < BOOT_MAX_REGIONS + 6; i++)
		mb1_region(i << 20, 0x1000, 1);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == BOOT_MAX_REGIONS);
	CHECK(region_is(BOOT_MAX_REGIONS - 1, (uint64_t)(BOOT_MAX_REGIONS - 1) << 20, 0x1000, 1));
}

TEST(mb1_mem_fields_used_without_mmap)
{
	mb1_begin();
	mi->flags = MB1_MEM;
	mi->mem_lower = 639;
	mi->mem_upper = 130048;
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == 2);
	CHECK(region_is(0, 0, 639 * 1024, 1));
	CHECK(region_is(1, 0x100000, 130048ULL * 1024, 1));
}

TEST(mb1_mmap_preferred_over_mem_fields)
{
	mb1_standard();
	mi->flags |= MB1_MEM;
	mi->mem_lower = 639;
	mi->mem_upper = 1;
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	check_mb1_standard();
}

TEST(mb1_no_memory_info_fails)
{
	mb1_standard();
	mi->flags &= ~(MB1_MMAP | MB1_MEM);
	CHECK(failed(parse(MB1_BOOT_MAGIC)));
}

TEST(mb1_unreadable_info_fails)
{
	reset_mem();
	CHECK(failed(parse_with(MB1_BOOT_MAGIC, MEM_SIZE - 8, reader)));
	CHECK(failed(parse_with(MB1_BOOT_MAGIC, 1ULL << 40, reader)));
	CHECK(failed(parse_with(MB1_BOOT_MAGIC, UINT64_MAX - 4, reader)));
}

TEST(mb1_unreadable_mmap_fails)
{
	mb1_standard();
	mi->mmap_addr = MEM_SIZE - 12;
	CHECK(failed(parse(MB1_BOOT_MAGIC)));
}

TEST(mb1_unreadable_module_list_fails)
{
	mb1_standard();
	mi->mods_addr = MEM_SIZE - 16;
	CHECK(failed(parse(MB1_BOOT_MAGIC)));
}

/* The 64-bit fields of an mb1 memory map entry sit at offset 4, so when the map
 * itself is 8-byte aligned they are misaligned: read them without assuming
 * alignment (UBSan reports a misaligned load otherwise). */
TEST(mb1_mmap_at_8_byte_aligned_address)
{
	mb1_begin();
	mi->mmap_addr = 0x2000;
	mb1_region(0, 0x9FC00, 1);
	mb1_region(0x100000, 0x100000, 1);
	CHECK(parse(MB1_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == 2);
	CHECK(region_is(1, 0x100000, 0x100000, 1));
}

/* A module string whose first word fills the whole window the parser reads must
 * not make it look past that window for the arguments. */
TEST(mb1_module_name_longer_than_window)
{
	char s[BOOT_CMDLINE_MAX + 64];
	memset(s, 'a', sizeof s);
	s[0] = '/';
	strcpy(s + BOOT_CMDLINE_MAX + 40, " arg");
	mb1_begin();
	mb1_region(0x100000, 0x100000, 1);
	mb1_module(0x200000, 0x201000, s);
	CHECK(parse_with(MB1_BOOT_MAGIC, INFO, strict_reader) == 0);
	CHECK(bi.nmodules == 1);
	CHECK(strstr(bi.modules[0].cmdline, "LEAK") == NULL);
}

/* --- multiboot2 ------------------------------------------------------------- */

#define MB2_END 0
#define MB2_CMDLINE 1
#define MB2_MODULE 3
#define MB2_MEMINFO 4
#define MB2_MMAP 6

static uint32_t mb2_off; /* where the next tag goes, from INFO */

static void mb2_begin(void)
{
	reset_mem();
	mb2_off = 8;
}

static void mb2_set_total(uint32_t total)
{
	put32(at(INFO), total);
}

/* Start a tag of the given size; the next one goes at the next 8-byte boundary. */
static uint8_t *mb2_tag(uint32_t type, uint32_t size)
{
	uint8_t *t = at(INFO + mb2_off);
	put32(t, type);
	put32(t + 4, size);
	mb2_off += (size + 7) & ~7u;
	return t;
}

static void mb2_cmdline(const char *s)
{
	memcpy(mb2_tag(MB2_CMDLINE, 8 + strlen(s) + 1) + 8, s, strlen(s) + 1);
}

static void mb2_module(uint32_t start, uint32_t end, const char *s)
{
	uint8_t *t = mb2_tag(MB2_MODULE, 16 + strlen(s) + 1);
	put32(t + 8, start);
	put32(t + 12, end);
	memcpy(t + 16, s, strlen(s) + 1);
}

static void mb2_mmap(const struct boot_region *r, int n, uint32_t entry_size)
{
	uint8_t *t = mb2_tag(MB2_MMAP, 16 + n * entry_size);
	put32(t + 8, entry_size);
	put32(t + 12, 0); /* entry_version */
	for (int i = 0; i < n; i++) {
		uint8_t e[20];
		put64(e, r[i].base);
		put64(e + 8, r[i].len);
		put32(e + 16, r[i].type);
		memcpy(t + 16 + i * entry_size, e, entry_size < 20 ? entry_size : 20);
	}
}

static void mb2_end(void)
{
	mb2_tag(MB2_END, 8);
	mb2_set_total(mb2_off);
}

static const struct boot_region std_regions[] = {
	{ 0, 0x9FC00, 1 },
	{ 0xF0000, 0x10000, 2 },
	{ 0x100000, 0x7EE0000, 1 },
	{ 0x100000000ULL, 0x40000000ULL, 1 },
};
#define N_STD_REGIONS 4

/* A typical GRUB2 info block, with a tag the parser does not know. */
static void mb2_standard(void)
{
	mb2_begin();
	mb2_cmdline("console=serial verbose");
	mb2_module(0x200000, 0x201234, "/boot/hello hello a b");
	uint8_t *meminfo = mb2_tag(MB2_MEMINFO, 16);
	put32(meminfo + 8, 639);
	put32(meminfo + 12, 130048);
	mb2_mmap(std_regions, N_STD_REGIONS, 24);
	mb2_module(0x202000, 0x203000, "init");
	mb2_end();
}

static void check_mb2_standard(void)
{
	CHECK(bi.protocol == 2);
	CHECK(bi.info_start == INFO && bi.info_end == INFO + mb2_off);
	CHECK(strcmp(bi.cmdline, "console=serial verbose") == 0);
	CHECK(bi.nregions == N_STD_REGIONS);
	for (int i = 0; i < N_STD_REGIONS; i++)
		CHECK(region_is(i, std_regions[i].base, std_regions[i].len, std_regions[i].type));
	CHECK(bi.nmodules == 2);
	CHECK(module_is(0, 0x200000, 0x201234, "/boot/hello hello a b")); /* kept whole */
	CHECK(module_is(1, 0x202000, 0x203000, "init"));
}

TEST(mb2_standard_info)
{
	mb2_standard();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	check_mb2_standard();
}

TEST(mb2_reads_only_what_it_asks_for)
{
	mb2_standard();
	CHECK(parse_with(MB2_BOOT_MAGIC, INFO, strict_reader) == 0);
	check_mb2_standard();
}

TEST(mb2_odd_sized_tags_padded)
{
	mb2_begin();
	mb2_cmdline("abc");            /* size 12, next tag at +16 */
	mb2_module(0x200000, 0x200001, "m"); /* size 18, next tag at +24 */
	mb2_mmap(std_regions, 1, 24);
	mb2_end();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	CHECK(strcmp(bi.cmdline, "abc") == 0);
	CHECK(bi.nmodules == 1 && module_is(0, 0x200000, 0x200001, "m"));
	CHECK(bi.nregions == 1 && region_is(0, 0, 0x9FC00, 1));
}

TEST(mb2_cmdline_bounded_by_its_tag)
{
	mb2_begin();
	memcpy(mb2_tag(MB2_CMDLINE, 16) + 8, "abcdefgh", 8); /* no NUL inside the tag */
	mb2_tag('X', 8);
	mb2_end();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	CHECK(strcmp(bi.cmdline, "abcdefgh") == 0);
}

TEST(mb2_mmap_larger_entries)
{
	mb2_begin();
	mb2_mmap(std_regions, N_STD_REGIONS, 32);
	mb2_end();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == N_STD_REGIONS);
	for (int i = 0; i < N_STD_REGIONS; i++)
		CHECK(region_is(i, std_regions[i].base, std_regions[i].len, std_regions[i].type));
}

TEST(mb2_too_many_modules_clipped)
{
	mb2_begin();
	mb2_mmap(std_regions, N_STD_REGIONS, 24);
	for (uint32_t i = 0; i < BOOT_MAX_MODULES + 4; i++)
		mb2_module(0x200000 + i * 0x1000, 0x200800 + i * 0x1000, "mod");
	mb2_end();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	CHECK(bi.nmodules == BOOT_MAX_MODULES);
	for (int i = 0; i < BOOT_MAX_MODULES; i++)
		CHECK(module_is(i, 0x200000 + i * 0x1000, 0x200800 + i * 0x1000, "mod"));
}

TEST(mb2_too_many_regions_clipped)
{
	struct boot_region r[BOOT_MAX_REGIONS + 6];
	for (int i = 0; i < BOOT_MAX_REGIONS + 6; i++)
		r[i] = (struct boot_region){ (uint64_t)i << 20, 0x1000, 1 };
	mb2_begin();
	mb2_mmap(r, BOOT_MAX_REGIONS + 6, 24);
	mb2_end();
	CHECK(parse(MB2_BOOT_MAGIC) == 0);
	CHECK(bi.nregions == BOOT_MAX_REGIONS);
	CHECK(region_is(BOOT_MAX_REGIONS - 1, (uint64_t)(BOOT_MAX_REGIONS - 1) << 20, 0x1000, 1));
}

TEST(mb2_tag_size_below_8_fails)
{
	mb2_standard();
	put32(at(INFO + 8 + 4), 4); /* the first tag's size */
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

TEST(mb2_tag_overrunning_total_fails)
{
	mb2_begin();
	mb2_mmap(std_regions, N_STD_REGIONS, 24);
	mb2_end();
	mb2_set_total(mb2_off - 8 - 8); /* total now ends inside the mmap tag */
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

TEST(mb2_missing_end_tag_fails)
{
	mb2_begin();
	mb2_cmdline("x");
	mb2_mmap(std_regions, N_STD_REGIONS, 24);
	mb2_set_total(mb2_off);
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

TEST(mb2_mmap_entry_size_below_24_fails)
{
	mb2_begin();
	mb2_mmap(std_regions, 2, 20);
	mb2_end();
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

TEST(mb2_bad_total_size_fails)
{
	static const uint32_t bad[] = { 0, 8, 15, (1u << 20) + 8, 64u << 20, 0xFFFFFFF8u };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		mb2_standard();
		mb2_set_total(bad[i]);
		CHECK(failed(parse(MB2_BOOT_MAGIC)));
	}
}

TEST(mb2_unreadable_info_fails)
{
	reset_mem();
	CHECK(failed(parse_with(MB2_BOOT_MAGIC, MEM_SIZE - 4, reader)));
	CHECK(failed(parse_with(MB2_BOOT_MAGIC, 1ULL << 40, reader)));
	put32(at(MEM_SIZE - 16), 64); /* header readable, the rest of the block is not */
	CHECK(failed(parse_with(MB2_BOOT_MAGIC, MEM_SIZE - 16, reader)));
}

/* A tag size near 2^32 must not wrap the "tag inside the block" check. */
TEST(mb2_huge_tag_size_fails)
{
	mb2_begin();
	mb2_tag(MB2_MEMINFO, 16);
	mb2_end();
	put32(at(INFO + 8 + 4), 0xFFFFFFFCu);
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

TEST(mb2_huge_mmap_tag_size_fails)
{
	mb2_begin();
	mb2_mmap(std_regions, 1, 24);
	mb2_end();
	put32(at(INFO + 8 + 4), 0xFFFFFFF8u);
	CHECK(failed(parse(MB2_BOOT_MAGIC)));
}

/* An mmap entry_size near 2^32 must not wrap the "entry inside the tag" check and
 * make the parser read past the tag and the info block. */
TEST(mb2_huge_mmap_entry_size_reads_nothing)
{
	mb2_begin();
	mb2_mmap(std_regions, 0, 0xFFFFFFF0u); /* a 16-byte tag with no entries */
	mb2_end();
	int rc = parse_with(MB2_BOOT_MAGIC, INFO, strict_reader);
	CHECK(rc == -1 || (rc == 0 && bi.nregions == 0));
}

/* --- either ------------------------------------------------------------------ */

TEST(bad_magic_fails_with_message)
{
	mb1_standard();
	CHECK(failed(parse(0x12345678)));
	CHECK(bi.protocol == 0 && bi.nregions == 0 && bi.nmodules == 0);
	CHECK(failed(parse(0)));
}

int main(void)
{
	RUN(mb1_standard_info);
	RUN(mb1_reads_only_what_it_asks_for);
	RUN(mb1_mmap_entry_size_field_honoured);
	RUN(mb1_zero_length_regions_skipped);
	RUN(mb1_cmdline_ignored_without_flag);
	RUN(mb1_long_cmdline_truncated);
	RUN(mb1_kernel_file_name_dropped);
	RUN(mb1_module_file_name_dropped);
	RUN(mb1_modules_ignored_without_flag);
	RUN(mb1_too_many_modules_clipped);
	RUN(mb1_too_many_regions_clipped);
	RUN(mb1_mem_fields_used_without_mmap);
	RUN(mb1_mmap_preferred_over_mem_fields);
	RUN(mb1_no_memory_info_fails);
	RUN(mb1_unreadable_info_fails);
	RUN(mb1_unreadable_mmap_fails);
	RUN(mb1_unreadable_module_list_fails);
	RUN(mb1_mmap_at_8_byte_aligned_address);
	RUN(mb1_module_name_longer_than_window);
	RUN(mb2_standard_info);
	RUN(mb2_reads_only_what_it_asks_for);
	RUN(mb2_odd_sized_tags_padded);
	RUN(mb2_cmdline_bounded_by_its_tag);
	RUN(mb2_mmap_larger_entries);
	RUN(mb2_too_many_modules_clipped);
	RUN(mb2_too_many_regions_clipped);
	RUN(mb2_tag_size_below_8_fails);
	RUN(mb2_tag_overrunning_total_fails);
	RUN(mb2_missing_end_tag_fails);
	RUN(mb2_mmap_entry_size_below_24_fails);
	RUN(mb2_bad_total_size_fails);
	RUN(mb2_unreadable_info_fails);
	RUN(mb2_huge_tag_size_fails);
	RUN(mb2_huge_mmap_tag_size_fails);
	RUN(mb2_huge_mmap_entry_size_reads_nothing);
	RUN(bad_magic_fails_with_message);
	return check_status();
}
