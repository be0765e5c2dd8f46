/*
 * initrd-align IN OUT - copy a ustar archive, putting every regular file's data on
 * a 4 KiB boundary of the archive (the boot module is loaded page aligned, so an
 * mmap of an initrd file can map the module's own frames instead of copying them,
 * libos/mman.c). The gap before a file is filled with a POSIX pax extended header
 * (typeflag 'x') holding one `comment` record, which tar and the libOS's reader
 * (libos/initrd.c) skip. In front of everything it puts the archive's path index
 * (include/exo/initrd_index.h: a pax global header, also skipped by tar), so that
 * the libOS finds a file without scanning. A host tool: built and run by
 * scripts/mkinitrd.sh. Exit status 0, or 1 with a message (unreadable or
 * malformed input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../include/exo/initrd_index.h"

#define BLOCK 512
#define PAGE 4096

static unsigned long octal(const char *p, int n)
{
	unsigned long v = 0;
	for (int i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long)(p[i] - '0');
	return v;
}

/* pax_header: a pax header of type type ('x' or 'g') named name for data_len
 * bytes of records into h. */
static void pax_header(char h[BLOCK], const char *name, char type, unsigned long data_len)
{
	memset(h, 0, BLOCK);
	strcpy(h, name);
	strcpy(h + 100, "0000644");
	strcpy(h + 108, "0000000");
	strcpy(h + 116, "0000000");
	snprintf(h + 124, 12, "%011lo", data_len);
	strcpy(h + 136, "00000000000");
	h[156] = type;
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < BLOCK; i++)
		sum += (unsigned char)h[i];
	snprintf(h + 148, 8, "%06o", sum);
}

/* pad_records: data_len bytes (a multiple of 512, > 0) holding one record
 * "LEN comment=xxx...\n" of exactly that length. */
static void pad_records(char *d, unsigned long data_len)
{
	int n = sprintf(d, "%lu comment=", data_len); /* the length counts the whole record */
	memset(d + n, 'x', data_len - (unsigned long)n - 1);
	d[data_len - 1] = '\n';
}

/* The input archive, whole. */
static char *in;
static unsigned long in_size;

/* The index: S slots of (hash, offset + 1). */
static unsigned long nslots;
static struct slot {
	uint32_t hash, off1;
} *slots;

/* The index record's length: "LEN comment=MAGIC%08lx%08lx" + slots + "\n", where LEN
 * counts the whole record, its own digits included. */
static unsigned long index_record_len(void)
{
	unsigned long body = strlen(" comment=" INITRD_INDEX_MAGIC) + 16 + nslots * INITRD_INDEX_SLOT_CHARS + 1;
	unsigned long len = body + 1;
	while (len != body + (unsigned long)snprintf(NULL, 0, "%lu", len))
		len = body + (unsigned long)snprintf(NULL, 0, "%lu", len);
	return len;
}

/* Walk the input's headers, laying the output out from pos: with out NULL only
 * record each file's header offset in the index; else write. Sets *end to where
 * the output's headers end. Returns 0, or 1 on a malformed archive. */
static int layout(FILE *out, unsigned long pos, unsigned long *end)
{
	static char pad[PAGE];
	for (unsigned long at = 0;; ) {
		if (at + BLOCK > in_size) {
			fprintf(stderr, "initrd-align: truncated archive\n");
			return 1;
		}
		const char *h = in + at;
		if (!h[0]) {
			*end = pos; /* the end-of-archive blocks */
			return 0;
		}
		unsigned long size = octal(h + 124, 12), blocks = (size + BLOCK - 1) / BLOCK;
		if (at + BLOCK + blocks * BLOCK > in_size) {
			fprintf(stderr, "initrd-align: truncated file data\n");
			return 1;
		}
		if ((h[156] == '0' || h[156] == 0) && size > 0) {
			unsigned long gap = (PAGE - (pos + BLOCK) % PAGE) % PAGE; /* before our header */
			if (gap && out) {
				char ph[BLOCK];
				pax_header(ph, "PaxHeaders/align", 'x', gap - BLOCK);
				fwrite(ph, 1, BLOCK, out);
				if (gap > BLOCK) {
					pad_records(pad, gap - BLOCK);
					fwrite(pad, 1, gap - BLOCK, out);
				}
			}
			pos += gap;
		}
		if (!out && !initrd_header_is_pax(h)) {
			uint32_t hash = initrd_path_hash(initrd_header_path(h));
			unsigned long k = hash & (nslots - 1);
			while (slots[k].off1)
				k = (k + 1) & (nslots - 1);
			slots[k] = (struct slot){ hash, (uint32_t)(pos + 1) };
		}
		if (out)
			fwrite(h, 1, BLOCK + blocks * BLOCK, out);
		pos += BLOCK + blocks * BLOCK;
		at += BLOCK + blocks * BLOCK;
		if (pos >= UINT32_MAX) {
			fprintf(stderr, "initrd-align: archive over 4 GiB: offsets do not fit the index\n");
			return 1;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: initrd-align IN OUT\n");
		return 1;
	}
	FILE *fin = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
	if (!fin || !out || fseek(fin, 0, SEEK_END) != 0 || (long)(in_size = (unsigned long)ftell(fin)) < 0 ||
	    fseek(fin, 0, SEEK_SET) != 0 || !(in = malloc(in_size + 1)) || fread(in, 1, in_size, fin) != in_size) {
		perror("initrd-align");
		return 1;
	}
	/* Slots: twice the entries, rounded up to a power of two. */
	unsigned long entries = 0;
	for (unsigned long at = 0; at + BLOCK <= in_size && in[at];) {
		entries += !initrd_header_is_pax(in + at);
		at += BLOCK + (octal(in + at + 124, 12) + BLOCK - 1) / BLOCK * BLOCK;
	}
	for (nslots = 16; nslots < 2 * entries; nslots *= 2)
		;
	if (!(slots = calloc(nslots, sizeof *slots))) {
		perror("initrd-align");
		return 1;
	}
	unsigned long rec = index_record_len(), start = BLOCK + (rec + BLOCK - 1) / BLOCK * BLOCK, end;
	if (layout(NULL, start, &end))
		return 1;
	/* The index, then the archive laid out as recorded. */
	char h[BLOCK];
	pax_header(h, INITRD_INDEX_NAME, 'g', rec);
	fwrite(h, 1, BLOCK, out);
	fprintf(out, "%lu comment=%s%08lx%08lx", rec, INITRD_INDEX_MAGIC, nslots, end);
	for (unsigned long k = 0; k < nslots; k++)
		fprintf(out, "%08x%08x", slots[k].hash, slots[k].off1);
	fputc('\n', out);
	memset(h, 0, BLOCK);
	fwrite(h, 1, start - BLOCK - rec, out);
	if (layout(out, start, &end))
		return 1;
	fwrite(h, 1, BLOCK, out); /* two zero blocks end the archive */
	fwrite(h, 1, BLOCK, out);
	if (fclose(out) != 0) {
		perror("initrd-align");
		return 1;
	}
	return 0;
}
