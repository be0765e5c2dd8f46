/*
 * initrd-align IN OUT - copy a ustar archive, putting every regular file's data on
 * a 4 KiB boundary of the archive (the boot module is loaded page aligned, so an
 * mmap of an initrd file can map the module's own frames instead of copying them,
 * libos/mman.c). The gap before a file is filled with a POSIX pax extended header
 * (typeflag 'x') holding one `comment` record, which tar and the libOS's reader
 * (libos/initrd.c) skip. A host tool: built and run by scripts/mkinitrd.sh.
 * Exit status 0, or 1 with a message (unreadable or malformed input).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 512
#define PAGE 4096

static unsigned long octal(const char *p, int n)
{
	unsigned long v = 0;
	for (int i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
		v = v * 8 + (unsigned long)(p[i] - '0');
	return v;
}

/* pad_header: a pax 'x' header for data_len bytes of records into h. */
static void pad_header(char h[BLOCK], unsigned long data_len)
{
	memset(h, 0, BLOCK);
	strcpy(h, "PaxHeaders/align");
	strcpy(h + 100, "0000644");
	strcpy(h + 108, "0000000");
	strcpy(h + 116, "0000000");
	snprintf(h + 124, 12, "%011lo", data_len);
	strcpy(h + 136, "00000000000");
	h[156] = 'x';
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

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: initrd-align IN OUT\n");
		return 1;
	}
	FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
	if (!in || !out) {
		perror("initrd-align");
		return 1;
	}
	static char h[BLOCK], pad[PAGE];
	unsigned long pos = 0;
	for (;;) {
		if (fread(h, 1, BLOCK, in) != BLOCK) {
			fprintf(stderr, "initrd-align: %s: truncated archive\n", argv[1]);
			return 1;
		}
		if (!h[0])
			break; /* the end-of-archive blocks */
		unsigned long size = octal(h + 124, 12), blocks = (size + BLOCK - 1) / BLOCK;
		if ((h[156] == '0' || h[156] == 0) && size > 0) {
			unsigned long gap = (PAGE - (pos + BLOCK) % PAGE) % PAGE; /* before our header */
			if (gap) {
				char ph[BLOCK];
				pad_header(ph, gap - BLOCK);
				fwrite(ph, 1, BLOCK, out);
				if (gap > BLOCK) {
					pad_records(pad, gap - BLOCK);
					fwrite(pad, 1, gap - BLOCK, out);
				}
				pos += gap;
			}
		}
		fwrite(h, 1, BLOCK, out);
		pos += BLOCK;
		for (unsigned long b = 0; b < blocks; b++) {
			if (fread(h, 1, BLOCK, in) != BLOCK) {
				fprintf(stderr, "initrd-align: %s: truncated file data\n", argv[1]);
				return 1;
			}
			fwrite(h, 1, BLOCK, out);
			pos += BLOCK;
		}
	}
	memset(h, 0, BLOCK);
	fwrite(h, 1, BLOCK, out); /* two zero blocks end the archive */
	fwrite(h, 1, BLOCK, out);
	if (fclose(out) != 0) {
		perror("initrd-align");
		return 1;
	}
	return 0;
}
