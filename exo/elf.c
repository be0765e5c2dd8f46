/* ELF64 executable validation and page iteration (see include/exo/elf64.h). No
 * kernel dependencies. */
#include "../include/exo/elf64.h"

#define FAIL(msg) return (*why = (msg)), -1

int elf_validate(const void *img, size_t size, uint64_t lo, uint64_t hi, const char **why)
{
	const struct elf64_ehdr *eh = img;
	if (size < sizeof *eh || eh->e_magic != ELF_MAGIC)
		FAIL("not an ELF file");
	if (eh->e_class != 2 || eh->e_data != 1)
		FAIL("not a 64-bit little-endian ELF");
	if (eh->e_machine != EM_X86_64)
		FAIL("not an x86-64 ELF");
	if (eh->e_type != ET_EXEC)
		FAIL("not a static executable (ET_EXEC)");
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 || eh->e_phnum > 64)
		FAIL("bad program header table");
	if (eh->e_phoff > size || size - eh->e_phoff < (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr))
		FAIL("program headers outside the file");
	if (eh->e_phoff % 8)
		FAIL("misaligned program headers");
	int nload = 0, entry_ok = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(img, i);
		if (ph->p_type != PT_LOAD)
			continue;
		nload++;
		if (ph->p_filesz > ph->p_memsz)
			FAIL("segment file size exceeds memory size");
		if (ph->p_offset > size || size - ph->p_offset < ph->p_filesz)
			FAIL("segment data outside the file");
		if (ph->p_vaddr < lo || ph->p_memsz > hi - lo || ph->p_vaddr - lo > hi - lo - ph->p_memsz)
			FAIL("segment outside the user address range");
		if ((ph->p_vaddr & 0xFFF) != (ph->p_offset & 0xFFF))
			FAIL("segment offset and address not congruent modulo the page size");
		for (int j = 0; j < i; j++) {
			const struct elf64_phdr *q = elf_phdr(img, j);
			uint64_t a0 = ph->p_vaddr & ~0xFFFULL, a1 = ph->p_vaddr + ph->p_memsz;
			uint64_t b0 = q->p_vaddr & ~0xFFFULL, b1 = q->p_vaddr + q->p_memsz;
			if (q->p_type == PT_LOAD && a0 < b1 && b0 < a1)
				FAIL("loadable segments overlap");
		}
		if ((ph->p_flags & PF_X) && eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry - ph->p_vaddr < ph->p_memsz)
			entry_ok = 1;
	}
	if (!nload)
		FAIL("no loadable segment");
	if (!entry_ok)
		FAIL("entry point not in an executable segment");
	return 0;
}

/* elf_next_page: the next page to map of a validated image (contract in elf64.h). */
int elf_next_page(const void *img, struct elf_page_iter *it, struct elf_page *out)
{
	const struct elf64_ehdr *eh = img;
	for (; it->ph < eh->e_phnum; it->ph++, it->page = 0) {
		const struct elf64_phdr *ph = elf_phdr(img, it->ph);
		if (ph->p_type != PT_LOAD || ph->p_memsz == 0)
			continue;
		/* Pages are numbered from the one holding p_vaddr to the one holding the
		 * segment's last byte, p_vaddr + p_memsz - 1 (no wrap: validated). */
		uint64_t first = ph->p_vaddr / ELF_PAGE_SIZE;
		uint64_t last = (ph->p_vaddr + ph->p_memsz - 1) / ELF_PAGE_SIZE;
		if (it->page > last - first)
			continue;
		uint64_t va = (first + it->page) * ELF_PAGE_SIZE;
		it->page++;
		*out = (struct elf_page){ .va = va, .writable = (ph->p_flags & PF_W) != 0,
					  .executable = (ph->p_flags & PF_X) != 0 };
		/* File bytes land at [p_vaddr, p_vaddr + p_filesz); this page's share
		 * starts at max(va, p_vaddr) and ends at min(va + page, file end),
		 * compared as distances from va so that va + page never wraps. */
		uint64_t start = va > ph->p_vaddr ? va : ph->p_vaddr;
		uint64_t file_end = ph->p_vaddr + ph->p_filesz;
		if (file_end > start) {
			uint64_t page_off = start - va;
			uint64_t n = file_end - start;
			if (n > ELF_PAGE_SIZE - page_off)
				n = ELF_PAGE_SIZE - page_off;
			out->page_off = (uint32_t)page_off;
			out->file_len = (uint32_t)n;
			out->file_off = ph->p_offset + (start - ph->p_vaddr);
		}
		return 1;
	}
	return 0;
}
