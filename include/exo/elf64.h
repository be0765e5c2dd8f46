/*
 * ELF64 structures, a validator and a page iterator shared by the kernel (loading
 * the boot environment) and the libOS (exec). elf_validate and elf_next_page are
 * implemented in exo/elf.c, which has no kernel dependencies and is compiled into
 * both. test/unit/test_elf.c and the fuzzer test/unit/fuzz_elf.c test them.
 */
#ifndef EXO_ELF64_H
#define EXO_ELF64_H
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define ELF_MAGIC 0x464C457FU /* "\x7FELF" little-endian */
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elf64_ehdr {
	uint32_t e_magic;
	uint8_t e_class, e_data, e_version, e_osabi;
	uint8_t e_pad[8];
	uint16_t e_type, e_machine;
	uint32_t e_version2;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF header size");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF program header size");

/* elf_validate: check that img[0..size) is a static x86-64 executable whose
 * loadable segments lie in [lo, hi), do not overlap, and whose entry point is inside
 * an executable segment. Returns 0, or -1 with a short reason in *why. */
int elf_validate(const void *img, size_t size, uint64_t lo, uint64_t hi, const char **why);

/* elf_phdr: the i-th program header of a validated image. */
static inline const struct elf64_phdr *elf_phdr(const void *img, int i)
{
	const struct elf64_ehdr *eh = img;
	return (const struct elf64_phdr *)((const char *)img + eh->e_phoff) + i;
}

#define ELF_PAGE_SIZE 4096ULL

/* One page of a loadable segment, as a loader maps it: a fresh page at va whose
 * bytes [page_off, page_off + file_len) are img[file_off, file_off + file_len) and
 * all other bytes are zero (file_len 0: an all-zero page). */
struct elf_page {
	uint64_t va;        /* page-aligned virtual address */
	bool writable;      /* the segment has PF_W */
	bool executable;    /* the segment has PF_X */
	uint64_t file_off;  /* offset in the image of the first byte to copy */
	uint32_t file_len;  /* bytes to copy, at most ELF_PAGE_SIZE - page_off */
	uint32_t page_off;  /* where in the page they go */
};

/* Where elf_next_page is: page number `page` (0 = the page holding p_vaddr) of
 * program header `ph`. Start with struct elf_page_iter it = { 0 }. */
struct elf_page_iter {
	int ph;
	uint64_t page;
};

/* elf_next_page: the next page to map of an image that elf_validate accepted (with
 * any bounds), in program-header order, pages of a segment in address order; the
 * pages of a PT_LOAD segment are those meeting [p_vaddr, p_vaddr + p_memsz), so a
 * segment with p_memsz 0 has none, and no page is yielded twice (validated segments
 * do not share pages). Returns 1 with the page in *out and it advanced, or 0 when
 * no page is left (and again on every later call). Errors: none; on an image that
 * elf_validate did not accept the result is undefined (it may read out of bounds).
 * No arithmetic wraps, even for a segment ending at 2^64 - 1. */
int elf_next_page(const void *img, struct elf_page_iter *it, struct elf_page *out);

#endif
