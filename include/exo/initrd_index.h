/*
 * initrd_index.h: the initrd's path index, written into the archive by the build
 * (scripts/initrd-align.c) and read by the libOS (libos/initrd.c), so that no
 * process scans the archive to find a file. Both sides take a header's path and
 * its hash from here.
 *
 * The archive's first header is a pax global header ('g') named INDEX_NAME whose
 * data is one pax record, "LEN comment=VALUE\n", which tar skips. VALUE is
 * INITRD_INDEX_MAGIC, the number of slots S (a power of two) and the offset where
 * the indexed headers end (each as 8 hex digits), and S slots of 16 hex digits
 * each: a path's hash (8) and its header's offset in the archive plus one (8; 0
 * for an empty slot). A path hashes to slot hash & (S - 1); a collision takes the
 * next slot (linear probing, wrapping); of two headers with one path the first
 * one in the archive is met first, as a scan would meet it. Headers from the end
 * offset on were appended later (`tar -r`, e.g. scripts/initrd-cmd.sh's
 * /etc/cmd) and are not in the index: a reader scans them.
 */
#ifndef EXO_INITRD_INDEX_H
#define EXO_INITRD_INDEX_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define INITRD_INDEX_NAME "PaxHeaders/exo-initrd-index"
#define INITRD_INDEX_MAGIC "exo-initrd-index-1 "
#define INITRD_INDEX_SLOT_CHARS 16

/* A pax header ('x' for the next entry, 'g' global: the alignment padding, the
 * index) describes no file. */
static inline int initrd_header_is_pax(const char *h)
{
	return h[156] == 'x' || h[156] == 'g';
}

/* A header's path is its prefix field, '/' and its name field (only the name when
 * the prefix is empty), taken without a leading "./" and without trailing '/'s:
 * dir (dlen bytes; 0 when there is no prefix) and base (blen bytes). */
struct initrd_path {
	const char *dir, *base;
	size_t dlen, blen;
};

static inline struct initrd_path initrd_header_path(const char *h)
{
	struct initrd_path p = { h + 345, h, strnlen(h + 345, 155), strnlen(h, 100) };
	const char **first = p.dlen ? &p.dir : &p.base;
	size_t *flen = p.dlen ? &p.dlen : &p.blen;
	if (*flen >= 2 && (*first)[0] == '.' && (*first)[1] == '/')
		*first += 2, *flen -= 2;
	while (p.blen && p.base[p.blen - 1] == '/')
		p.blen--;
	return p;
}

/* FNV-1a of the n bytes at s, continuing from h. */
static inline uint32_t initrd_fnv(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* The hash of path p ("dir/base", or "base"). */
static inline uint32_t initrd_path_hash(struct initrd_path p)
{
	uint32_t h = 2166136261u;
	if (p.dlen)
		h = initrd_fnv(initrd_fnv(h, p.dir, p.dlen), "/", 1);
	return initrd_fnv(h, p.base, p.blen);
}

#endif
