/* Host unit tests for the ELF64 executable validator and page iterator (exo/elf.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "test/unit/check.h"
#include "include/exo/elf64.h"

#define LO 0x400000ULL    /* user range passed to elf_validate */
#define HI 0x10000000ULL
#define TEXT 0x400000ULL  /* text: file [0, 0x800), R+X */
#define DATA 0x401000ULL  /* data: file [0x1000, 0x1100), memory 0x3000 bytes, R+W */
#define ENTRY (TEXT + 0x10)
#define IMG_SIZE 0x1100   /* the data segment ends exactly at the end of the file */
#define PT_NOTE 4
#define EM_386 3
#define ET_DYN 3

static union {
	uint8_t bytes[IMG_SIZE];
	struct {
		struct elf64_ehdr eh;
		struct elf64_phdr ph[3];
	};
} img;

#define EH (&img.eh)
#define PH_TEXT (&img.ph[0])
#define PH_DATA (&img.ph[1])

static void load_segment(struct elf64_phdr *ph, uint32_t flags, uint64_t off, uint64_t vaddr,
			 uint64_t filesz, uint64_t memsz)
{
	*ph = (struct elf64_phdr){ .p_type = PT_LOAD, .p_flags = flags, .p_offset = off,
				   .p_vaddr = vaddr, .p_paddr = vaddr, .p_filesz = filesz,
				   .p_memsz = memsz, .p_align = 0x1000 };
}

/* A minimal valid static x86-64 executable: ELF header, two program headers. */
static void build_valid(void)
{
	memset(&img, 0, sizeof img);
	*EH = (struct elf64_ehdr){ .e_magic = ELF_MAGIC, .e_class = 2, .e_data = 1, .e_version = 1,
				   .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version2 = 1,
				   .e_entry = ENTRY, .e_phoff = offsetof(__typeof__(img), ph),
				   .e_ehsize = sizeof(struct elf64_ehdr),
				   .e_phentsize = sizeof(struct elf64_phdr), .e_phnum = 2 };
	load_segment(PH_TEXT, PF_R | PF_X, 0, TEXT, 0x800, 0x800);
	load_segment(PH_DATA, PF_R | PF_W, 0x1000, DATA, 0x100, 0x3000);
}

/* Validate the first size bytes of img, copied to a heap block of exactly that size
 * so that AddressSanitizer catches any read past the end of the image. */
static int validate(size_t size, uint64_t lo, uint64_t hi, const char **why)
{
	uint8_t *copy = malloc(size ? size : 1);
	CHECK(copy != NULL);
	memcpy(copy, img.bytes, size);
	int rc = elf_validate(copy, size, lo, hi, why);
	free(copy);
	return rc;
}

static bool accepted_in(size_t size, uint64_t lo, uint64_t hi)
{
	const char *why = NULL;
	return validate(size, lo, hi, &why) == 0;
}

/* Rejected, with a reason. */
static bool rejected_in(size_t size, uint64_t lo, uint64_t hi)
{
	const char *why = NULL;
	return validate(size, lo, hi, &why) == -1 && why != NULL && why[0] != 0;
}

static bool accepted(void)
{
	return accepted_in(IMG_SIZE, LO, HI);
}

static bool rejected(void)
{
	return rejected_in(IMG_SIZE, LO, HI);
}

TEST(valid_image_accepted)
{
	build_valid();
	CHECK(accepted());
	CHECK(elf_phdr(img.bytes, 1)->p_vaddr == DATA);
}

TEST(non_load_headers_ignored)
{
	build_valid();
	EH->e_phnum = 3;
	img.ph[2] = (struct elf64_phdr){ .p_type = PT_NOTE, .p_flags = PF_X, .p_offset = 1ULL << 40,
					 .p_vaddr = 0, .p_filesz = 1ULL << 40, .p_memsz = 1 };
	CHECK(accepted());
}

TEST(exact_bounds_accepted)
{
	build_valid();
	PH_TEXT->p_memsz = 0x1000; /* text ends on the page where data starts */
	CHECK(accepted_in(IMG_SIZE, TEXT, DATA + 0x3000));
	CHECK(rejected_in(IMG_SIZE, TEXT, DATA + 0x3000 - 1));
	CHECK(rejected_in(IMG_SIZE, TEXT + 1, DATA + 0x3000));
}

TEST(size_smaller_than_header)
{
	build_valid();
	CHECK(rejected_in(sizeof(struct elf64_ehdr) - 1, LO, HI));
	CHECK(rejected_in(4, LO, HI));
	CHECK(rejected_in(0, LO, HI));
}

TEST(bad_magic)
{
	build_valid();
	img.bytes[1] = 'F' + 1;
	CHECK(rejected());
}

TEST(class_32bit)
{
	build_valid();
	EH->e_class = 1;
	CHECK(rejected());
}

TEST(big_endian)
{
	build_valid();
	EH->e_data = 2;
	CHECK(rejected());
}

TEST(wrong_machine)
{
	build_valid();
	EH->e_machine = EM_386;
	CHECK(rejected());
}

TEST(not_et_exec)
{
	build_valid();
	EH->e_type = ET_DYN;
	CHECK(rejected());
}

TEST(phentsize_wrong)
{
	build_valid();
	EH->e_phentsize = sizeof(struct elf64_phdr) + 8;
	CHECK(rejected());
}

TEST(phnum_zero)
{
	build_valid();
	EH->e_phnum = 0;
	CHECK(rejected());
}

TEST(phoff_beyond_file)
{
	build_valid();
	EH->e_phoff = IMG_SIZE + 8;
	CHECK(rejected());
	EH->e_phoff = UINT64_MAX - 7;
	CHECK(rejected());
}

TEST(phdr_table_truncated)
{
	build_valid();
	EH->e_phoff = IMG_SIZE - sizeof(struct elf64_phdr); /* room for one of the two */
	CHECK(rejected());
}

TEST(phoff_misaligned)
{
	build_valid();
	EH->e_phoff += 4;
	CHECK(rejected());
}

TEST(filesz_exceeds_memsz)
{
	build_valid();
	PH_TEXT->p_filesz = PH_TEXT->p_memsz + 1;
	CHECK(rejected());
}

TEST(segment_data_past_file_end)
{
	build_valid();
	PH_DATA->p_filesz += 1;
	CHECK(rejected());
}

TEST(segment_offset_beyond_file)
{
	build_valid();
	PH_DATA->p_offset = 0x2000; /* still congruent with DATA */
	PH_DATA->p_filesz = 0;
	CHECK(rejected());
}

TEST(vaddr_below_lo)
{
	build_valid();
	PH_TEXT->p_vaddr = LO - 0x1000;
	EH->e_entry = LO - 0x1000 + 0x10;
	CHECK(rejected());
}

TEST(end_above_hi)
{
	build_valid();
	PH_DATA->p_vaddr = HI - 0x1000;
	PH_DATA->p_memsz = 0x1000;
	CHECK(accepted());
	PH_DATA->p_memsz = 0x1001;
	CHECK(rejected());
}

TEST(end_overflows_64_bits)
{
	build_valid();
	PH_DATA->p_vaddr = 0xFFFFFFFFFFFFF000ULL;
	PH_DATA->p_memsz = 0x2000; /* vaddr + memsz wraps to 0x1000 */
	CHECK(rejected_in(IMG_SIZE, LO, UINT64_MAX));
}

TEST(memsz_larger_than_range)
{
	build_valid();
	PH_DATA->p_memsz = UINT64_MAX - 0x1000;
	CHECK(rejected_in(IMG_SIZE, LO, UINT64_MAX));
	CHECK(rejected());
}

TEST(offset_not_congruent_with_vaddr)
{
	build_valid();
	PH_DATA->p_offset = 0x1080;
	PH_DATA->p_filesz = 0x80;
	CHECK(rejected());
}

TEST(segments_overlap)
{
	build_valid();
	PH_DATA->p_offset = 0x100;
	PH_DATA->p_vaddr = TEXT + 0x100;
	CHECK(rejected());
}

TEST(segments_share_a_page)
{
	build_valid();
	PH_DATA->p_offset = 0x800; /* data starts right where text ends, same page */
	PH_DATA->p_vaddr = TEXT + 0x800;
	CHECK(rejected());
}

TEST(segments_overlap_in_reverse_order)
{
	build_valid();
	PH_DATA->p_offset = 0x100;
	PH_DATA->p_vaddr = TEXT + 0x100;
	struct elf64_phdr t = *PH_TEXT;
	*PH_TEXT = *PH_DATA;
	*PH_DATA = t;
	CHECK(rejected());
}

TEST(no_pt_load)
{
	build_valid();
	PH_TEXT->p_type = PT_NOTE;
	PH_DATA->p_type = PT_NOTE;
	CHECK(rejected());
}

TEST(entry_outside_segments)
{
	build_valid();
	EH->e_entry = 0x500000;
	CHECK(rejected());
}

TEST(entry_in_non_executable_segment)
{
	build_valid();
	EH->e_entry = DATA + 0x10;
	CHECK(rejected());
}

TEST(entry_at_end_of_text)
{
	build_valid();
	EH->e_entry = TEXT + PH_TEXT->p_memsz;
	CHECK(rejected());
	EH->e_entry = TEXT + PH_TEXT->p_memsz - 1;
	CHECK(accepted());
}

/* The pages elf_next_page yields for the image in img (validated first), at most
 * max of them; returns how many, and checks that the iterator then stays done. */
static int pages(struct elf_page *out, int max, uint64_t lo, uint64_t hi)
{
	const char *why;
	CHECK(elf_validate(img.bytes, IMG_SIZE, lo, hi, &why) == 0);
	struct elf_page_iter it = { 0 };
	int n = 0;
	while (n < max && elf_next_page(img.bytes, &it, &out[n]))
		n++;
	CHECK(n < max);
	CHECK(elf_next_page(img.bytes, &it, &out[n]) == 0);
	return n;
}

/* page_is: *p is the page at va with these permissions and file bytes (file_off and
 * page_off only matter when file_len is not 0). */
static bool page_is(const struct elf_page *p, uint64_t va, bool w, bool x, uint64_t file_off,
		    uint32_t file_len, uint32_t page_off)
{
	return p->va == va && p->writable == w && p->executable == x && p->file_len == file_len &&
	       (file_len == 0 || (p->file_off == file_off && p->page_off == page_off));
}

TEST(pages_of_valid_image)
{
	struct elf_page p[8];
	build_valid();
	CHECK(pages(p, 8, LO, HI) == 4);
	CHECK(page_is(&p[0], TEXT, false, true, 0, 0x800, 0));
	CHECK(page_is(&p[1], DATA, true, false, 0x1000, 0x100, 0));
	CHECK(page_is(&p[2], DATA + 0x1000, true, false, 0, 0, 0)); /* bss */
	CHECK(page_is(&p[3], DATA + 0x2000, true, false, 0, 0, 0));
}

TEST(pages_of_unaligned_segment)
{
	struct elf_page p[8];
	build_valid();
	/* data [DATA + 0xf80, +0x180) from file [0xf80, 0x1100): straddles two pages */
	load_segment(PH_DATA, PF_R | PF_W | PF_X, 0xf80, DATA + 0xf80, 0x180, 0x180);
	CHECK(pages(p, 8, LO, HI) == 3);
	CHECK(page_is(&p[1], DATA, true, true, 0xf80, 0x80, 0xf80));
	CHECK(page_is(&p[2], DATA + 0x1000, true, true, 0x1000, 0x100, 0));
}

TEST(pages_skip_empty_and_non_load)
{
	struct elf_page p[8];
	build_valid();
	EH->e_phnum = 3;
	img.ph[2] = *PH_DATA;
	PH_DATA->p_type = PT_NOTE;
	PH_TEXT->p_memsz = PH_TEXT->p_filesz = 0x800;
	load_segment(&img.ph[2], PF_R, 0x1000, DATA, 0, 0); /* empty: no page */
	EH->e_entry = TEXT;
	CHECK(pages(p, 8, LO, HI) == 1);
	CHECK(page_is(&p[0], TEXT, false, true, 0, 0x800, 0));
}

TEST(pages_up_to_the_top_of_memory)
{
	struct elf_page p[8];
	build_valid();
	/* data ends at 2^64 - 1: the iterator must stop without wrapping to page 0 */
	load_segment(PH_DATA, PF_R | PF_W, 0x1000, 0xFFFFFFFFFFFFF000ULL, 0x100, 0xFFF);
	CHECK(pages(p, 8, 0, UINT64_MAX) == 2);
	CHECK(page_is(&p[1], 0xFFFFFFFFFFFFF000ULL, true, false, 0x1000, 0x100, 0));
}

int main(void)
{
	RUN(valid_image_accepted);
	RUN(non_load_headers_ignored);
	RUN(exact_bounds_accepted);
	RUN(size_smaller_than_header);
	RUN(bad_magic);
	RUN(class_32bit);
	RUN(big_endian);
	RUN(wrong_machine);
	RUN(not_et_exec);
	RUN(phentsize_wrong);
	RUN(phnum_zero);
	RUN(phoff_beyond_file);
	RUN(phdr_table_truncated);
	RUN(phoff_misaligned);
	RUN(filesz_exceeds_memsz);
	RUN(segment_data_past_file_end);
	RUN(segment_offset_beyond_file);
	RUN(vaddr_below_lo);
	RUN(end_above_hi);
	RUN(end_overflows_64_bits);
	RUN(memsz_larger_than_range);
	RUN(offset_not_congruent_with_vaddr);
	RUN(segments_overlap);
	RUN(segments_share_a_page);
	RUN(segments_overlap_in_reverse_order);
	RUN(no_pt_load);
	RUN(entry_outside_segments);
	RUN(entry_in_non_executable_segment);
	RUN(entry_at_end_of_text);
	RUN(pages_of_valid_image);
	RUN(pages_of_unaligned_segment);
	RUN(pages_skip_empty_and_non_load);
	RUN(pages_up_to_the_top_of_memory);
	return check_status();
}
