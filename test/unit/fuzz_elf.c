/*
 * fuzz_elf - a deterministic mutation fuzzer for elf_validate and elf_next_page
 * (exo/elf.c), run on the host under AddressSanitizer and UBSan by test/unit/run.sh.
 *
 *   fuzz_elf [-n COUNT] [-s SEED] [-i INDEX] [SEED_FILE...]
 *
 * Input number k of a run is a function of (SEED, k, the seed images) only: it is a
 * seed image (one of the synthetic ones below, or a SEED_FILE such as
 * build/apps/hello) with 1 to 8 mutations applied: bit flips, byte sets, header and
 * program-header fields set to interesting or related values (0, -1, page and
 * ULIM-ish boundaries, values that wrap when added to another field), arithmetic
 * nudges, duplicated, swapped or overlapping program headers, truncation and
 * extension. Each input is validated with the bounds the kernel and the libOS use
 * (UTEXT..ULIM; one input in eight with the whole 64-bit range, which stresses the
 * wrap checks). When elf_validate accepts, the input is checked against an
 * independent model (128-bit arithmetic) and every page elf_next_page yields is
 * checked: inside the bounds, page aligned, in order, no page twice, file bytes
 * inside the image and inside the page, the entry point in an executable segment,
 * bounded work (pages of a segment past the first and last 32 are skipped by moving
 * the iterator, so a 1 GiB bss costs 64 steps). The bytes past the input's size are
 * poisoned for AddressSanitizer, so reading beyond the image fails the run.
 *
 * Prints "ok   unit/fuzz_elf (N inputs, seed S; ...)" and exits 0, or
 * "FAIL unit/fuzz_elf: seed S input K: why" and exits 1. -i K replays input K
 * alone (same seed and seed files) and prints it. Without -s the seed comes from
 * the clock. COUNT defaults to 200000.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "include/exo/elf64.h"
#include "include/exo/memlayout.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define PG 4096ULL
#define EXTEND_MAX (2 * PG + 64) /* an input may be this much longer than its seed */
#define EDGE_PAGES 32            /* pages checked at each end of a segment */
#define PHSZ sizeof(struct elf64_phdr)
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551U

typedef unsigned __int128 u128;

/* --- random numbers ---------------------------------------------------------- */

static uint64_t rng_state;

/* rng: the next number of a splitmix64 sequence. */
static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* below: a number in [0, n), n > 0. */
static uint64_t below(uint64_t n)
{
	return rng() % n;
}

/* --- seed images --------------------------------------------------------------- */

/* A seed image in buf[0, size); buf has room for cap = size + EXTEND_MAX bytes. */
struct seed {
	const char *name;
	uint8_t *buf;
	size_t size, cap;
};

#define MAX_SEEDS 64
static struct seed seeds[MAX_SEEDS];
static int nseeds, nsynthetic;

/* new_seed: a zeroed seed image of size bytes named name, added to seeds[]. */
static struct seed *new_seed(const char *name, size_t size)
{
	if (nseeds == MAX_SEEDS) {
		printf("FAIL unit/fuzz_elf: more than %d seed images\n", MAX_SEEDS);
		exit(1);
	}
	struct seed *s = &seeds[nseeds++];
	s->name = name;
	s->size = size;
	s->cap = size + EXTEND_MAX;
	s->buf = calloc(1, s->cap);
	if (!s->buf) {
		printf("FAIL unit/fuzz_elf: out of memory\n");
		exit(1);
	}
	return s;
}

/* ehdr_of: s's ELF header. */
static struct elf64_ehdr *ehdr_of(struct seed *s)
{
	return (struct elf64_ehdr *)s->buf;
}

/* synth_begin: a synthetic seed of size bytes with a valid ELF header whose phnum
 * program headers (zeroed) start at phoff; entry is set by the caller. */
static struct seed *synth_begin(const char *name, size_t size, uint64_t phoff, int phnum)
{
	struct seed *s = new_seed(name, size);
	*ehdr_of(s) = (struct elf64_ehdr){ .e_magic = ELF_MAGIC, .e_class = 2, .e_data = 1,
					   .e_version = 1, .e_type = ET_EXEC, .e_machine = EM_X86_64,
					   .e_version2 = 1, .e_phoff = phoff, .e_ehsize = 64,
					   .e_phentsize = PHSZ, .e_phnum = (uint16_t)phnum };
	for (size_t i = 64; i < size; i++) /* recognisable file bytes */
		s->buf[i] = (uint8_t)(i * 7 + 1);
	return s;
}

/* synth_ph: set program header i of s. */
static void synth_ph(struct seed *s, int i, uint32_t type, uint32_t flags, uint64_t off, uint64_t va,
		     uint64_t filesz, uint64_t memsz)
{
	struct elf64_phdr *ph = (struct elf64_phdr *)(s->buf + ehdr_of(s)->e_phoff) + i;
	*ph = (struct elf64_phdr){ .p_type = type, .p_flags = flags, .p_offset = off, .p_vaddr = va,
				   .p_paddr = va, .p_filesz = filesz, .p_memsz = memsz, .p_align = PG };
}

/* make_synthetic_seeds: small valid images covering the shapes the loaders meet:
 * one segment, the usual text/rodata/data+bss, a segment ending at ULIM, headers at
 * the end of the file and scattered segments, a 1 GiB bss, 64 program headers. */
static void make_synthetic_seeds(void)
{
	struct seed *s = synth_begin("tiny", 0x200, 64, 1);
	synth_ph(s, 0, PT_LOAD, PF_R | PF_X, 0, UTEXT, 0x200, 0x200);
	ehdr_of(s)->e_entry = UTEXT + 0x78;

	s = synth_begin("text-rodata-data", 0x3100, 64, 5);
	synth_ph(s, 0, PT_LOAD, PF_R | PF_X, 0, UTEXT, 0x1800, 0x1800);
	synth_ph(s, 1, PT_LOAD, PF_R, 0x2000, UTEXT + 0x2000, 0x800, 0x800);
	synth_ph(s, 2, PT_LOAD, PF_R | PF_W, 0x2a30, UTEXT + 0x3a30, 0x6d0, 0x5000);
	synth_ph(s, 3, PT_NOTE, PF_R, 0x2100, UTEXT + 0x2100, 0x20, 0x20);
	synth_ph(s, 4, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
	ehdr_of(s)->e_entry = UTEXT + 0x100;

	s = synth_begin("at-ulim", 0x2000, 64, 2);
	synth_ph(s, 0, PT_LOAD, PF_R | PF_X, 0, UTEXT, 0x1000, 0x1000);
	synth_ph(s, 1, PT_LOAD, PF_R | PF_W | PF_X, 0x1ff0, ULIM - 0x2010, 0x10, 0x2010);
	ehdr_of(s)->e_entry = ULIM - 1;

	s = synth_begin("phdrs-at-end", 0x3000 + 6 * PHSZ, 0x3000, 6);
	synth_ph(s, 0, PT_LOAD, PF_R | PF_W, 0x2000, UTEXT + 0x100000, 0x1000, 0x1000);
	synth_ph(s, 1, PT_LOAD, PF_R | PF_X, 0x1234, UTEXT + 0x1234, 0x10, 0x20);
	synth_ph(s, 2, PT_LOAD, PF_R, 0x3000, UTEXT + 0x7000000, 0, 0x3000);       /* bss only */
	synth_ph(s, 3, PT_LOAD, PF_R, 0x3000, 0x10000000000ULL, 0, 0);              /* empty */
	synth_ph(s, 4, PT_LOAD, PF_R | PF_X, 0xfff, UTEXT + 0x40fff, 0x2001, 0x2001); /* 3 pages */
	synth_ph(s, 5, PT_NOTE, 0, 0x10, 0x10, 0x20, 0x20);
	ehdr_of(s)->e_entry = UTEXT + 0x42fff;

	s = synth_begin("huge-bss", 0x1100, 64, 2);
	synth_ph(s, 0, PT_LOAD, PF_R | PF_X, 0, UTEXT, 0x1000, 0x1000);
	synth_ph(s, 1, PT_LOAD, PF_R | PF_W, 0x1000, UTEXT + 0x1000, 0x100, 1ULL << 30);
	ehdr_of(s)->e_entry = UTEXT + 0x200;

	s = synth_begin("64-phdrs", 0x1000 + 64 * PHSZ, 0x1000, 64);
	for (int i = 0; i < 64; i++) {
		if (i % 4 == 0)
			synth_ph(s, i, PT_LOAD, (i / 4) % 2 ? PF_R | PF_W : PF_R | PF_X, 0x800 + 8 * i,
				 UTEXT + 0x800 + 8 * i + PG * (uint64_t)i, 0x10, 0x10 + i * 0x40);
		else
			synth_ph(s, i, PT_NOTE, 0, 0, 0, 0, 0);
	}
	ehdr_of(s)->e_entry = UTEXT + 0x800;
	nsynthetic = nseeds;
}

/* load_seed_file: add the file at path as a seed image; 0, or -1 if unreadable. */
static int load_seed_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	long n = -1;
	if (fseek(f, 0, SEEK_END) == 0)
		n = ftell(f);
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return -1;
	}
	struct seed *s = new_seed(path, (size_t)n);
	size_t got = fread(s->buf, 1, s->size, f);
	fclose(f);
	return got == s->size ? 0 : -1;
}

/* --- mutations, undone after each input ----------------------------------------- */

#define UNDO_MAX 32
#define POKE_MAX 64
static struct undo {
	size_t off, n;
	uint8_t old[POKE_MAX];
} undo_log[UNDO_MAX];
static int nundo;

/* poke: write n (<= POKE_MAX) bytes at off of s's buffer, remembering the old ones;
 * a write past the buffer, or past UNDO_MAX writes, is dropped. */
static void poke(struct seed *s, uint64_t off, const void *src, size_t n)
{
	if (off > s->cap || s->cap - off < n || nundo == UNDO_MAX || n > POKE_MAX)
		return;
	struct undo *u = &undo_log[nundo++];
	u->off = off;
	u->n = n;
	memcpy(u->old, s->buf + off, n);
	memcpy(s->buf + off, src, n);
}

/* undo_all: restore s's buffer as it was before the pokes, newest first. */
static void undo_all(struct seed *s)
{
	while (nundo > 0) {
		struct undo *u = &undo_log[--nundo];
		memcpy(s->buf + u->off, u->old, u->n);
	}
}

/* peek: read an n-byte little-endian field at off (0 past the buffer). */
static uint64_t peek(struct seed *s, uint64_t off, size_t n)
{
	uint64_t v = 0;
	if (off <= s->cap && s->cap - off >= n)
		memcpy(&v, s->buf + off, n);
	return v;
}

/* A field: offset in the ELF header, or in a program header (in_ph), and width. */
struct field {
	uint8_t off, width, in_ph;
};
static const struct field fields[] = {
	{ 0, 4, 0 },  { 4, 1, 0 },  { 5, 1, 0 },  { 16, 2, 0 }, { 18, 2, 0 }, /* magic class data type machine */
	{ 24, 8, 0 }, { 24, 8, 0 }, { 32, 8, 0 }, { 54, 2, 0 }, { 56, 2, 0 }, /* entry (x2) phoff phentsize phnum */
	{ 0, 4, 1 },  { 4, 4, 1 },  { 8, 8, 1 },  { 16, 8, 1 }, { 16, 8, 1 }, /* type flags offset vaddr (x2) */
	{ 32, 8, 1 }, { 40, 8, 1 }, { 40, 8, 1 },                             /* filesz memsz (x2) */
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* ph_off: the file offset of program header i of the current input (it may be
 * anywhere: e_phoff is itself mutated). */
static uint64_t ph_off(struct seed *s, uint64_t i)
{
	return peek(s, 32, 8) + i * PHSZ;
}

/* pick_ph: a program header index, usually one inside e_phnum. */
static uint64_t pick_ph(struct seed *s)
{
	uint64_t n = peek(s, 56, 2);
	return n && below(8) ? below(n) : below(66);
}

/* interesting: a value likely to sit on a boundary of some check, for an input of
 * size bytes whose program header at phoff (one of them) has the given fields. */
static uint64_t interesting(struct seed *s, size_t size, uint64_t ph)
{
	uint64_t off = peek(s, ph + 8, 8), va = peek(s, ph + 16, 8);
	uint64_t filesz = peek(s, ph + 32, 8), memsz = peek(s, ph + 40, 8);
	uint64_t other = ph_off(s, pick_ph(s));
	uint64_t ova = peek(s, other + 16, 8), omem = peek(s, other + 40, 8);
	int64_t small = (int64_t)below(3) - 1; /* -1, 0, 1 */
	switch (below(28)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return UINT64_MAX;
	case 3: return INT64_MAX + (uint64_t)small;
	case 4: return 0xFFFULL + (uint64_t)small;
	case 5: return PG * below(4) + (uint64_t)small;
	case 6: return UTEXT + (uint64_t)small;
	case 7: return ULIM + (uint64_t)small;
	case 8: return ULIM - PG + (uint64_t)small;
	case 9: return (UINT64_MAX << (below(16) + 1)) + (uint64_t)small; /* -2, -4, ... -65536 */
	case 10: return (1ULL << below(64)) + (uint64_t)small;
	case 11: return size + (uint64_t)small;
	case 12: return size - (uint64_t)below(2 * PHSZ + 1);
	case 13: return 0 - va + (uint64_t)small;               /* va + this wraps */
	case 14: return 0 - memsz + (uint64_t)small;
	case 15: return ULIM - va + (uint64_t)small;            /* ends at ULIM */
	case 16: return size - off + (uint64_t)small;           /* file data ends at size */
	case 17: return ova + omem + (uint64_t)small;           /* right after another segment */
	case 18: return ova + omem - 1 - PG * below(2);         /* inside its last pages */
	case 19: return ova - PG + (uint64_t)small;
	case 20: return (ova & ~(PG - 1)) + (va & (PG - 1));    /* congruent with this one */
	case 21: return va + memsz + (uint64_t)small;
	case 22: return va + filesz + (uint64_t)small;
	case 23: return filesz + (uint64_t)small;
	case 24: return memsz + (uint64_t)small;
	case 25: return (off & (PG - 1)) + (PG << below(40));
	case 26: return UTEXT - va + (uint64_t)small;
	default: return rng() >> below(64);
	}
}

static int extended; /* the bytes past the seed's size were written */

/* mutate: apply one random mutation to the input in s; *size may change. */
static void mutate(struct seed *s, size_t *size)
{
	uint64_t v;
	switch (below(16)) {
	case 0: { /* flip a bit, mostly in the headers */
		uint64_t lim = below(4) ? (*size < 2 * PG ? *size : 2 * PG) : *size;
		if (!lim)
			break;
		uint64_t at = below(lim);
		uint8_t b = s->buf[at] ^ (uint8_t)(1u << below(8));
		poke(s, at, &b, 1);
		break;
	}
	case 1: { /* set a byte */
		if (!*size)
			break;
		uint64_t at = below(*size < PG ? *size : PG);
		uint8_t b = below(2) ? (uint8_t)rng() : (uint8_t[]){ 0, 1, 0x7f, 0x80, 0xff }[below(5)];
		poke(s, at, &b, 1);
		break;
	}
	case 2: case 3: case 4: case 5: case 6: case 7: { /* set a field */
		const struct field *f = &fields[below(NFIELDS)];
		uint64_t ph = ph_off(s, pick_ph(s));
		uint64_t at = f->in_ph ? ph + f->off : f->off;
		v = interesting(s, *size, ph);
		poke(s, at, &v, f->width);
		break;
	}
	case 8: case 9: { /* nudge a field */
		const struct field *f = &fields[below(NFIELDS)];
		uint64_t at = f->in_ph ? ph_off(s, pick_ph(s)) + f->off : f->off;
		static const int64_t deltas[] = { 1, -1, 8, -8, 0x38, -0x38, 0x1000, -0x1000, 0xfff, -0xfff };
		v = peek(s, at, f->width) + (uint64_t)deltas[below(sizeof deltas / sizeof deltas[0])];
		poke(s, at, &v, f->width);
		break;
	}
	case 10: { /* duplicate a program header onto another, maybe shifted: overlaps */
		uint64_t from = ph_off(s, pick_ph(s)), to = ph_off(s, pick_ph(s));
		if (from > s->cap || s->cap - from < PHSZ)
			break;
		struct elf64_phdr ph;
		memcpy(&ph, s->buf + from, PHSZ);
		if (below(2)) {
			uint64_t d = below(2) ? below(3 * PG) : PG * below(4);
			ph.p_vaddr += d, ph.p_offset += d;
		}
		poke(s, to, &ph, PHSZ);
		break;
	}
	case 11: { /* swap two program headers */
		uint64_t a = ph_off(s, pick_ph(s)), b = ph_off(s, pick_ph(s));
		if (a > s->cap || s->cap - a < PHSZ || b > s->cap || s->cap - b < PHSZ)
			break;
		uint8_t ta[PHSZ], tb[PHSZ];
		memcpy(ta, s->buf + a, PHSZ);
		memcpy(tb, s->buf + b, PHSZ);
		poke(s, a, tb, PHSZ);
		poke(s, b, ta, PHSZ);
		break;
	}
	case 12: { /* a segment's size set so that it ends exactly somewhere */
		uint64_t ph = ph_off(s, pick_ph(s));
		uint64_t va = peek(s, ph + 16, 8);
		uint64_t end = (uint64_t[]){ ULIM, UINT64_MAX, 0, (va | (PG - 1)) + 1 }[below(4)] + (uint64_t)below(3) - 1;
		v = end - va;
		poke(s, ph + 40, &v, 8);
		if (below(2))
			poke(s, ph + 32, &v, 8);
		break;
	}
	case 13: { /* the entry point on a segment's edge */
		uint64_t ph = ph_off(s, pick_ph(s));
		uint64_t va = peek(s, ph + 16, 8), memsz = peek(s, ph + 40, 8);
		v = (uint64_t[]){ va, va - 1, va + memsz, va + memsz - 1 }[below(4)];
		poke(s, 24, &v, 8);
		break;
	}
	case 14: /* truncate */
		*size = below(4) ? below(*size + 1) : (size_t)(ph_off(s, peek(s, 56, 2)) - below(2));
		if (*size > s->size)
			*size = s->size;
		break;
	default: { /* extend by zero or random bytes */
		size_t n = below(EXTEND_MAX + 1);
		int zero = below(2);
		*size = s->size + n;
		extended = 1;
		for (size_t i = s->size; i < *size; i++)
			s->buf[i] = zero ? 0 : (uint8_t)rng();
		break;
	}
	}
}

/* --- the oracle ------------------------------------------------------------------- */

static char why_buf[512];

/* bad: record a formatted failure reason and return it. */
static __attribute__((format(printf, 1, 2))) const char *bad(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why_buf, sizeof why_buf, fmt, ap);
	va_end(ap);
	return why_buf;
}

static uint64_t stat_pages;

/* model_accepts: the specification of elf_validate, written independently in
 * 128-bit arithmetic: 1 if it must accept img[0, size) with bounds [lo, hi), else 0.
 * A loadable segment occupies [p_vaddr rounded down to a page, p_vaddr + p_memsz). */
static int model_accepts(const uint8_t *img, size_t size, uint64_t lo, uint64_t hi)
{
	const struct elf64_ehdr *eh = (const void *)img;
	if (size < sizeof *eh || memcmp(img, "\x7f" "ELF", 4) != 0 || img[4] != 2 || img[5] != 1 ||
	    eh->e_machine != EM_X86_64 || eh->e_type != ET_EXEC || eh->e_phentsize != PHSZ ||
	    eh->e_phnum < 1 || eh->e_phnum > 64 || eh->e_phoff % 8 != 0 ||
	    (u128)eh->e_phoff + (u128)eh->e_phnum * PHSZ > size)
		return 0;
	int nload = 0, entry_ok = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *a = elf_phdr(img, i);
		if (a->p_type != PT_LOAD)
			continue;
		nload++;
		u128 a0 = a->p_vaddr / PG * PG, a1 = (u128)a->p_vaddr + a->p_memsz;
		if (a->p_filesz > a->p_memsz || (u128)a->p_offset + a->p_filesz > size ||
		    a->p_vaddr < lo || a1 > hi || a->p_vaddr % PG != a->p_offset % PG)
			return 0;
		for (int j = 0; j < i; j++) {
			const struct elf64_phdr *b = elf_phdr(img, j);
			u128 b0 = b->p_vaddr / PG * PG, b1 = (u128)b->p_vaddr + b->p_memsz;
			if (b->p_type == PT_LOAD && a0 < b1 && b0 < a1)
				return 0;
		}
		if ((a->p_flags & PF_X) && eh->e_entry >= a->p_vaddr && eh->e_entry < a1)
			entry_ok = 1;
	}
	return nload && entry_ok;
}

/* check_accepted: the checks on an image elf_validate accepted with bounds [lo, hi)
 * (lo page aligned). Returns NULL, or why the image or elf_next_page's pages are
 * wrong. corrupt >= 0 (the self-test) changes the corrupt-th page record before
 * checking it, which must then fail. */
static const char *check_accepted(const uint8_t *img, size_t size, uint64_t lo, uint64_t hi, long corrupt)
{
	const struct elf64_ehdr *eh = (const void *)img;
	if ((u128)eh->e_phoff + (u128)eh->e_phnum * PHSZ > size || eh->e_phnum == 0)
		return bad("program headers [%#" PRIx64 ", +%u*56) outside the file of %zu bytes",
			   eh->e_phoff, eh->e_phnum, size);
	/* The model: per loadable segment, its pages [first, last] (none if empty). */
	u128 first[64], last[64];
	int has_pages[64], entry_ok = 0, nload = 0;
	if (eh->e_phnum > 64)
		return bad("e_phnum %u accepted", eh->e_phnum);
	for (int i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *ph = elf_phdr(img, i);
		has_pages[i] = 0;
		if (ph->p_type != PT_LOAD)
			continue;
		nload++;
		u128 va = ph->p_vaddr, end = va + ph->p_memsz;
		if (va < lo || end > hi)
			return bad("segment %d [%#" PRIx64 ", +%#" PRIx64 ") outside [%#" PRIx64 ", %#" PRIx64 ")",
				   i, ph->p_vaddr, ph->p_memsz, lo, hi);
		if ((u128)ph->p_offset + ph->p_filesz > size)
			return bad("segment %d file data [%#" PRIx64 ", +%#" PRIx64 ") past the end %#zx", i,
				   ph->p_offset, ph->p_filesz, size);
		if (ph->p_filesz > ph->p_memsz)
			return bad("segment %d filesz > memsz", i);
		if ((ph->p_flags & PF_X) && eh->e_entry >= va && eh->e_entry < end)
			entry_ok = 1;
		if (ph->p_memsz == 0)
			continue;
		has_pages[i] = 1;
		first[i] = va / PG;
		last[i] = (end - 1) / PG;
		for (int j = 0; j < i; j++)
			if (has_pages[j] && first[i] <= last[j] && first[j] <= last[i])
				return bad("segments %d and %d share page %#" PRIx64, j, i,
					   (uint64_t)((first[i] > first[j] ? first[i] : first[j]) * PG));
	}
	if (!nload)
		return bad("no PT_LOAD segment");
	if (!entry_ok)
		return bad("entry %#" PRIx64 " not in an executable segment", eh->e_entry);

	/* The iterator: every page as the model says, in order, bytes in bounds. */
	static uint8_t page[PG];
	struct elf_page_iter it = { 0 };
	struct elf_page pg;
	int seg = -1;
	u128 expect = 0; /* the page number the next page of seg must have */
	long n = 0;
	while (elf_next_page(img, &it, &pg)) {
		if (n == corrupt)
			pg.file_len += PG - pg.page_off - pg.file_len + 1;
		n++;
		if (seg < 0 || expect > last[seg]) { /* the next segment with pages */
			do
				seg++;
			while (seg < eh->e_phnum && !has_pages[seg]);
			if (seg == eh->e_phnum)
				return bad("page %#" PRIx64 " after the last segment's pages", pg.va);
			expect = first[seg];
		}
		const struct elf64_phdr *ph = elf_phdr(img, seg);
		if (it.ph != seg)
			return bad("page %#" PRIx64 " reported in header %d, expected %d", pg.va, it.ph, seg);
		if ((u128)pg.va != expect * PG)
			return bad("segment %d: page %#" PRIx64 ", expected %#" PRIx64, seg, pg.va,
				   (uint64_t)(expect * PG));
		if (pg.va % PG || pg.va < lo || (u128)pg.va + PG > (((u128)hi + PG - 1) & ~(u128)(PG - 1)))
			return bad("page %#" PRIx64 " misaligned or outside the bounds", pg.va);
		if (pg.writable != !!(ph->p_flags & PF_W) || pg.executable != !!(ph->p_flags & PF_X))
			return bad("page %#" PRIx64 ": wrong permissions", pg.va);
		/* Which bytes of the page come from the file: [max(va, vaddr), min(va + PG,
		 * vaddr + filesz)), from offset p_offset + (that - vaddr). */
		u128 from = pg.va > ph->p_vaddr ? (u128)pg.va : ph->p_vaddr;
		u128 to = (u128)ph->p_vaddr + ph->p_filesz;
		if (to > (u128)pg.va + PG)
			to = (u128)pg.va + PG;
		uint64_t want_len = from < to ? (uint64_t)(to - from) : 0;
		if (pg.file_len != want_len)
			return bad("page %#" PRIx64 ": %u file bytes, expected %" PRIu64, pg.va, pg.file_len, want_len);
		if (want_len && ((u128)pg.page_off != from - pg.va ||
				 (u128)pg.file_off != ph->p_offset + (from - ph->p_vaddr)))
			return bad("page %#" PRIx64 ": file bytes at %#" PRIx64 " to page offset %#x, expected %#" PRIx64
				   " to %#" PRIx64, pg.va, pg.file_off, pg.page_off,
				   (uint64_t)(ph->p_offset + (from - ph->p_vaddr)), (uint64_t)(from - pg.va));
		if ((u128)pg.page_off + pg.file_len > PG || (u128)pg.file_off + pg.file_len > size)
			return bad("page %#" PRIx64 ": copy of %u bytes out of bounds", pg.va, pg.file_len);
		/* Do what a loader does; AddressSanitizer checks both ends. */
		memset(page, 0, sizeof page);
		memcpy(page + pg.page_off, img + pg.file_off, pg.file_len);
		expect++;
		stat_pages++;
		/* Bounded work: skip from the first EDGE_PAGES pages to the last ones. */
		if (last[seg] - first[seg] + 1 > 2 * EDGE_PAGES && expect == first[seg] + EDGE_PAGES) {
			it.page = (uint64_t)(last[seg] - first[seg] + 1 - EDGE_PAGES);
			expect = first[seg] + it.page;
		}
		if (n > 64 * (2 * EDGE_PAGES + 1))
			return bad("more pages than 64 segments can have");
	}
	if (seg >= 0 && expect <= last[seg])
		return bad("segment %d ended early, at page %#" PRIx64, seg, (uint64_t)(expect * PG));
	for (seg++; seg < eh->e_phnum; seg++)
		if (has_pages[seg])
			return bad("segment %d yielded no page", seg);
	if (elf_next_page(img, &it, &pg))
		return bad("a page after the end");
	return NULL;
}

/* --- driving ------------------------------------------------------------------------- */

/* Shared with the parent, which reports a crash of the child running the inputs. */
static uint64_t stat_accepted;
static uint64_t *seed_slot; /* the run's seed, shared the same way */
static struct progress {
	uint64_t input;  /* the input being run */
	int running;     /* set once the self-test passed and inputs started */
	int finished;    /* the child printed its result line */
} *progress;

/* dump: print the input (for -i). */
static void dump(const uint8_t *img, size_t size, const char *seedname)
{
	printf("input: seed image %s, %zu bytes\n", seedname, size);
	if (size < sizeof(struct elf64_ehdr))
		return;
	const struct elf64_ehdr *eh = (const void *)img;
	printf("  ehdr: class %u data %u type %u machine %u entry %#" PRIx64 " phoff %#" PRIx64
	       " phentsize %u phnum %u\n", eh->e_class, eh->e_data, eh->e_type, eh->e_machine,
	       eh->e_entry, eh->e_phoff, eh->e_phentsize, eh->e_phnum);
	for (uint64_t i = 0; i < eh->e_phnum && i < 64; i++) {
		uint64_t at = eh->e_phoff + i * PHSZ;
		if (at > size || size - at < PHSZ)
			break;
		const struct elf64_phdr *ph = (const void *)(img + at);
		printf("  ph %2" PRIu64 ": type %#x flags %#x offset %#" PRIx64 " vaddr %#" PRIx64
		       " filesz %#" PRIx64 " memsz %#" PRIx64 "\n", i, ph->p_type, ph->p_flags,
		       ph->p_offset, ph->p_vaddr, ph->p_filesz, ph->p_memsz);
	}
}

/* run_one: build input k of the run seeded with seed, validate it, check it if
 * accepted. Returns NULL or why it failed. */
static const char *run_one(uint64_t seed, uint64_t k, int verbose)
{
	progress->input = k;
	rng_state = seed ^ (k * 0xD1B54A32D192ED03ULL);
	rng();
	/* Half the inputs start from a file, when there is one. */
	struct seed *s = &seeds[nseeds > nsynthetic && below(2) ? nsynthetic + below(nseeds - nsynthetic)
								: below(nsynthetic)];
	size_t size = s->size;
	int nmut = below(4) ? 1 + below(3) : 1 + below(8);
	for (int i = 0; i < nmut; i++)
		mutate(s, &size);
	uint64_t lo = UTEXT, hi = ULIM;
	if (below(8) == 0)
		lo = 0, hi = UINT64_MAX;
	if (verbose)
		dump(s->buf, size, s->name);
	POISON(s->buf + size, s->cap - size);
	const char *why = NULL, *err = NULL;
	int rc = elf_validate(s->buf, size, lo, hi, &why);
	if (verbose)
		printf("  bounds [%#" PRIx64 ", %#" PRIx64 "): %s\n", lo, hi, rc == 0 ? "accepted" : why);
	int want = model_accepts(s->buf, size, lo, hi);
	if (rc == 0) {
		stat_accepted++;
		err = check_accepted(s->buf, size, lo, hi, -1);
		if (!err && !want)
			err = bad("elf_validate accepted what the model rejects");
	} else if (want) {
		err = bad("elf_validate rejected what the model accepts (%s)", rc == -1 && why ? why : "?");
	} else if (rc != -1 || !why || !why[0]) {
		err = bad("elf_validate returned %d with no reason", rc);
	}
	UNPOISON(s->buf + size, s->cap - size);
	undo_all(s);
	if (extended) /* what lies past the seed is zero again, as input k+1 expects */
		memset(s->buf + s->size, 0, s->cap - s->size), extended = 0;
	return err;
}

/* self_test: the oracle must accept every synthetic seed (and every seed file
 * elf_validate accepts) and reject a corrupted page record. Returns NULL or why not. */
static const char *self_test(void)
{
	for (int i = 0; i < nseeds; i++) {
		const char *why;
		struct seed *s = &seeds[i];
		if (elf_validate(s->buf, s->size, UTEXT, ULIM, &why) < 0) {
			if (i < nsynthetic)
				return bad("synthetic seed %s rejected: %s", s->name, why);
			return bad("seed file %s rejected: %s", s->name, why);
		}
		const char *err = check_accepted(s->buf, s->size, UTEXT, ULIM, -1);
		if (!err && !model_accepts(s->buf, s->size, UTEXT, ULIM))
			err = "the model rejects it";
		if (err) {
			char copy[sizeof why_buf];
			snprintf(copy, sizeof copy, "%s", err);
			return bad("seed %s: %s", s->name, copy);
		}
		if (!check_accepted(s->buf, s->size, UTEXT, ULIM, 0))
			return bad("seed %s: the oracle missed a corrupted page", s->name);
	}
	return NULL;
}

/* fuzz_main: parse the arguments, run the inputs (or only -i's), print the result
 * line; returns the exit status. */
static int fuzz_main(int argc, char **argv)
{
	uint64_t count = 200000, seed = 0, only = 0;
	int have_seed = 0, have_only = 0, opt;
	while ((opt = getopt(argc, argv, "n:s:i:")) != -1) {
		switch (opt) {
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0), have_seed = 1; break;
		case 'i': only = strtoull(optarg, NULL, 0), have_only = 1; break;
		default:
			fprintf(stderr, "usage: %s [-n COUNT] [-s SEED] [-i INDEX] [SEED_FILE...]\n", argv[0]);
			return 2;
		}
	}
	*seed_slot = seed;
	if (!have_seed) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec) ^ ((uint64_t)getpid() << 32);
		*seed_slot = seed;
	}
	make_synthetic_seeds();
	for (int i = optind; i < argc; i++)
		if (load_seed_file(argv[i]) < 0) {
			printf("FAIL unit/fuzz_elf: cannot read seed file %s\n", argv[i]);
			return 1;
		}
	const char *err = self_test();
	if (err) {
		printf("FAIL unit/fuzz_elf: self-test: %s\n", err);
		return 1;
	}
	alarm(have_only ? 60 : 60 + (unsigned)(count / 20000)); /* far slower than 20,000 inputs/s: hung */
	progress->running = 1;
	if (have_only) {
		err = run_one(seed, only, 1);
		printf("%s unit/fuzz_elf: seed %" PRIu64 " input %" PRIu64 ": %s\n", err ? "FAIL" : "ok  ",
		       seed, only, err ? err : "passed");
		return err ? 1 : 0;
	}
	for (uint64_t k = 0; k < count; k++) {
		err = run_one(seed, k, 0);
		if (err) {
			printf("FAIL unit/fuzz_elf: seed %" PRIu64 " input %" PRIu64 ": %s (replay: add -s %" PRIu64
			       " -i %" PRIu64 " and the same seed files)\n", seed, k, err, seed, k);
			return 1;
		}
	}
	printf("ok   unit/fuzz_elf (%" PRIu64 " inputs, seed %" PRIu64 "; %" PRIu64 " accepted, %" PRIu64
	       " pages checked, %d seed files)\n", count, seed, stat_accepted, stat_pages, nseeds - nsynthetic);
	return 0;
}

/* main: run fuzz_main in a child, so that a crash (a sanitizer's report, a signal,
 * a hang past a generous alarm) still ends in a FAIL line naming the seed and the
 * input that caused it. */
int main(int argc, char **argv)
{
	progress = mmap(NULL, sizeof *progress, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	seed_slot = mmap(NULL, sizeof *seed_slot, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (progress == MAP_FAILED || seed_slot == MAP_FAILED) {
		printf("FAIL unit/fuzz_elf: mmap failed\n");
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int rc = fuzz_main(argc, argv);
		progress->finished = 1;
		fflush(stdout);
		_exit(rc);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		printf("FAIL unit/fuzz_elf: fork or wait failed\n");
		return 1;
	}
	if (progress->finished && WIFEXITED(st))
		return WEXITSTATUS(st);
	const char *how = WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM ? "hung" : "crashed";
	if (!progress->running) {
		printf("FAIL unit/fuzz_elf: %s before the first input (%s %d; report above)\n", how,
		       WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		return 1;
	}
	printf("FAIL unit/fuzz_elf: seed %" PRIu64 " input %" PRIu64 ": %s (%s %d; report above; "
	       "replay: add -s %" PRIu64 " -i %" PRIu64 " and the same seed files)\n", *seed_slot, progress->input, how,
	       WIFSIGNALED(st) ? "signal" : "exit", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st),
	       *seed_slot, progress->input);
	return 1;
}
