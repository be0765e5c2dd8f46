/* pipecheck: move a known byte pattern through pipes and files, byte for byte.
 *   pipecheck gen N     write N bytes of the pattern to standard output, in
 *                       chunks of odd, varying sizes (1 byte to 13 KiB)
 *   pipecheck check N   read standard input (in varying sizes too) and verify it
 *                       is exactly N bytes of the pattern
 * The pattern: byte i is (i * 131 + i / 4096) & 0xff, so a lost, repeated or
 * reordered chunk (of any size up to 1 MiB) shows as a mismatch.
 * check prints "pipecheck: N bytes ok" and exits 0, or names the first bad offset
 * (or the short/long count) and exits 1. gen exits 1 if a write fails. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned char pattern(unsigned long i)
{
	return (unsigned char)((i * 131 + i / 4096) & 0xff);
}

/* Chunk sizes: odd, from tiny to bigger than a pipe's 8 KiB buffer. */
static const size_t sizes[] = { 1, 7, 4093, 333, 8191, 13001, 3, 511, 2049, 9999, 65, 4097 };
#define NSIZES (sizeof sizes / sizeof sizes[0])

static char buf[16384];

static int gen(unsigned long n)
{
	unsigned long off = 0;
	for (unsigned k = 0; off < n; k++) {
		size_t len = sizes[k % NSIZES];
		if (len > n - off)
			len = (size_t)(n - off);
		for (size_t j = 0; j < len; j++)
			buf[j] = (char)pattern(off + j);
		for (size_t done = 0; done < len;) {
			ssize_t w = write(1, buf + done, len - done);
			if (w <= 0) {
				fprintf(stderr, "pipecheck: write at offset %lu: %s\n", off + done,
					w < 0 ? strerror(errno) : "wrote 0 bytes");
				return 1;
			}
			done += (size_t)w;
		}
		off += len;
	}
	return 0;
}

static int check(unsigned long n)
{
	unsigned long off = 0;
	for (unsigned k = 0;; k++) {
		size_t want = sizes[(k * 5 + 3) % NSIZES]; /* a different order than gen's */
		ssize_t r = read(0, buf, want);
		if (r < 0) {
			printf("pipecheck: read at offset %lu: %s\n", off, strerror(errno));
			return 1;
		}
		if (r == 0)
			break;
		for (ssize_t j = 0; j < r; j++, off++) {
			if (off >= n) {
				printf("pipecheck: more than %lu bytes\n", n);
				return 1;
			}
			if ((unsigned char)buf[j] != pattern(off)) {
				printf("pipecheck: mismatch at offset %lu: got %#x, want %#x\n", off,
				       (unsigned char)buf[j], pattern(off));
				return 1;
			}
		}
	}
	if (off != n) {
		printf("pipecheck: got %lu bytes, want %lu\n", off, n);
		return 1;
	}
	printf("pipecheck: %lu bytes ok\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long n = argc == 3 ? strtoul(argv[2], &end, 10) : 0;
	if (argc != 3 || !*argv[2] || *end || (strcmp(argv[1], "gen") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: pipecheck gen|check N\n");
		return 2;
	}
	int r = strcmp(argv[1], "gen") == 0 ? gen(n) : check(n);
	fflush(stdout);
	return r;
}
