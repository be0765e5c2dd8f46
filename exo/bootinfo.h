/*
 * One boot-info structure filled from either multiboot1 (QEMU -kernel) or
 * multiboot2 (GRUB2). Pure logic: compiled into the kernel and into host tests.
 */
#ifndef EXO_BOOTINFO_H
#define EXO_BOOTINFO_H
#include <stdint.h>
#include <stddef.h>

#define MB1_BOOT_MAGIC 0x2BADB002u
#define MB2_BOOT_MAGIC 0x36D76289u

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16
#define BOOT_CMDLINE_MAX 256

struct boot_region {
	uint64_t base, len;
	uint32_t type; /* 1 = available RAM, anything else reserved */
};

struct boot_module {
	uint64_t start, end; /* physical, end exclusive */
	char cmdline[BOOT_CMDLINE_MAX];
};

struct boot_info {
	int protocol; /* 1 or 2 */
	char cmdline[BOOT_CMDLINE_MAX];
	struct boot_region regions[BOOT_MAX_REGIONS];
	int nregions;
	struct boot_module modules[BOOT_MAX_MODULES];
	int nmodules;
	uint64_t info_start, info_end; /* the raw multiboot info block itself */
};

/* Reads physical memory for the parser: returns a pointer to len bytes at phys,
 * or NULL if that memory is not accessible. */
typedef const void *(*phys_reader_t)(uint64_t phys, size_t len);

/* bootinfo_parse: fill *out from the multiboot magic and info address.
 * Returns 0, or -1 with out->cmdline holding a message when the magic is unknown or
 * the info is malformed (truncated tags, too many regions are clipped, not an error). */
int bootinfo_parse(uint32_t magic, uint64_t info_phys, phys_reader_t read, struct boot_info *out);

#endif
