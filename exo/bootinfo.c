/*
 * Multiboot1 and multiboot2 info parsing into struct boot_info. No kernel
 * dependencies: physical memory is read through the caller's phys_reader_t, so the
 * host unit tests feed it hand-built info blocks.
 */
#include "bootinfo.h"

static void copy_str(char *dst, const char *src, size_t max_src)
{
	size_t i = 0;
	if (src)
		for (; i < max_src && i < BOOT_CMDLINE_MAX - 1 && src[i]; i++)
			dst[i] = src[i];
	dst[i] = 0;
}

/* Multiboot1 loaders (QEMU -kernel, GRUB's `multiboot`/`module`) put the file name
 * first in the kernel's and each module's string; multiboot2 does not. Drop it so
 * that both give just the arguments written after the file name. */
static size_t skip_word(const char *s, size_t max)
{
	size_t i = 0;
	while (i < max && s[i] && s[i] != ' ')
		i++;
	while (i < max && s[i] == ' ')
		i++;
	return i;
}

/* Unaligned little-endian loads: multiboot structures need not be aligned. */
static uint32_t rd32(const void *p)
{
	uint32_t v;
	__builtin_memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t rd64(const void *p)
{
	uint64_t v;
	__builtin_memcpy(&v, p, sizeof v);
	return v;
}

static void fail(struct boot_info *out, const char *msg)
{
	copy_str(out->cmdline, msg, BOOT_CMDLINE_MAX);
}

static void add_region(struct boot_info *out, uint64_t base, uint64_t len, uint32_t type)
{
	if (out->nregions < BOOT_MAX_REGIONS && len) {
		struct boot_region *r = &out->regions[out->nregions++];
		r->base = base;
		r->len = len;
		r->type = type;
	}
}

static struct boot_module *add_module(struct boot_info *out, uint64_t start, uint64_t end)
{
	if (out->nmodules >= BOOT_MAX_MODULES || end < start)
		return NULL;
	struct boot_module *m = &out->modules[out->nmodules++];
	m->start = start;
	m->end = end;
	m->cmdline[0] = 0;
	return m;
}

/* Longest string we look at in physical memory; a command line is capped anyway. */
#define STR_WINDOW BOOT_CMDLINE_MAX

struct mb1_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
};
struct mb1_module {
	uint32_t start, end, string, reserved;
};

static int parse_mb1(uint64_t info_phys, phys_reader_t read, struct boot_info *out)
{
	const struct mb1_info *mi = read(info_phys, sizeof *mi);
	if (!mi)
		return fail(out, "multiboot1 info unreadable"), -1;
	out->protocol = 1;
	out->info_start = info_phys;
	out->info_end = info_phys + sizeof *mi;
	if (mi->flags & (1u << 2))
	{
		const char *str = read(mi->cmdline, STR_WINDOW);
		if (str) {
			size_t skip = skip_word(str, STR_WINDOW); /* the kernel's file name */
			copy_str(out->cmdline, str + skip, STR_WINDOW - skip);
		}
	}
	if (mi->flags & (1u << 6)) {
		/* each entry: u32 size (not counting itself), u64 base, u64 len, u32 type */
		uint64_t p = mi->mmap_addr, end = p + mi->mmap_length;
		while (p + 24 <= end) {
			const uint8_t *e = read(p, 24);
			if (!e)
				return fail(out, "multiboot1 memory map unreadable"), -1;
			uint32_t size = rd32(e);
			add_region(out, rd64(e + 4), rd64(e + 12), rd32(e + 20));
			p += (uint64_t)size + 4;
		}
	} else if (mi->flags & 1u) {
		add_region(out, 0, (uint64_t)mi->mem_lower << 10, 1);
		add_region(out, 0x100000, (uint64_t)mi->mem_upper << 10, 1);
	} else {
		return fail(out, "multiboot1 info has no memory map"), -1;
	}
	if (mi->flags & (1u << 3)) {
		const struct mb1_module *mods = read(mi->mods_addr, mi->mods_count * sizeof *mods);
		if (mi->mods_count && !mods)
			return fail(out, "multiboot1 module list unreadable"), -1;
		for (uint32_t i = 0; i < mi->mods_count; i++) {
			struct boot_module *m = add_module(out, mods[i].start, mods[i].end);
			const char *str = mods[i].string ? read(mods[i].string, STR_WINDOW) : NULL;
			if (m && str) {
				size_t skip = skip_word(str, STR_WINDOW);
				copy_str(m->cmdline, str + skip, STR_WINDOW - skip);
			}
		}
	}
	return 0;
}

#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6

static int parse_mb2(uint64_t info_phys, phys_reader_t read, struct boot_info *out)
{
	const uint32_t *hdr = read(info_phys, 8);
	if (!hdr)
		return fail(out, "multiboot2 info unreadable"), -1;
	uint32_t total = hdr[0];
	if (total < 16 || total > (1u << 20))
		return fail(out, "multiboot2 info has a bad total size"), -1;
	const uint8_t *base = read(info_phys, total);
	if (!base)
		return fail(out, "multiboot2 info unreadable"), -1;
	out->protocol = 2;
	out->info_start = info_phys;
	out->info_end = info_phys + total;
	uint64_t off = 8; /* 64-bit: off + size must not wrap */
	while (off + 8 <= total) {
		uint32_t type = rd32(base + off);
		uint64_t size = rd32(base + off + 4);
		if (size < 8 || off + size > total)
			return fail(out, "multiboot2 tag overruns the info block"), -1;
		const uint8_t *t = base + off;
		if (type == MB2_TAG_END)
			return 0;
		if (type == MB2_TAG_CMDLINE) {
			copy_str(out->cmdline, (const char *)t + 8, size - 8);
		} else if (type == MB2_TAG_MODULE && size >= 16) {
			struct boot_module *m = add_module(out, rd32(t + 8), rd32(t + 12));
			if (m)
				copy_str(m->cmdline, (const char *)t + 16, size - 16);
		} else if (type == MB2_TAG_MMAP && size >= 16) {
			uint64_t esize = rd32(t + 8);
			if (esize < 24)
				return fail(out, "multiboot2 memory map entry too small"), -1;
			for (uint64_t p = 16; p + esize <= size; p += esize)
				add_region(out, rd64(t + p), rd64(t + p + 8), rd32(t + p + 16));
		}
		off += (size + 7) & ~7u;
	}
	return fail(out, "multiboot2 info has no end tag"), -1;
}

int bootinfo_parse(uint32_t magic, uint64_t info_phys, phys_reader_t read, struct boot_info *out)
{
	out->protocol = 0;
	out->cmdline[0] = 0;
	out->nregions = 0;
	out->nmodules = 0;
	if (magic == MB1_BOOT_MAGIC)
		return parse_mb1(info_phys, read, out);
	if (magic == MB2_BOOT_MAGIC)
		return parse_mb2(info_phys, read, out);
	fail(out, "not booted by a multiboot loader (bad magic)");
	return -1;
}
