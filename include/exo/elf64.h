/*
 * ELF64 structures and a validator shared by the kernel (loading the boot
 * environment) and the libOS (exec). elf_validate is implemented in exo/elf.c,
 * which has no kernel dependencies and is compiled into both.
 */
#ifndef EXO_ELF64_H
#define EXO_ELF64_H
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

#endif
