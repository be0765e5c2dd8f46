/*
 * bigfile: /tmp files the way programs expect them: a 64 MiB file written and read
 * back byte-exact, sparse files (holes read as zeros and hold no blocks), ftruncate
 * and truncate both ways, pread and pwrite (the offset stays), fsync, statvfs, and
 * O_APPEND writes from several processes that never interleave. Every block comes
 * back at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"
#include "../../../libos/fs.h" /* the view: the blocks in use */

#define CHECK_ERR(call, err)                      \
	do {                                      \
		errno = 0;                        \
		CHECK_EQ((long)(call), -1);       \
		CHECK_EQ(errno, err);             \
	} while (0)

#define BIG (64L << 20)
#define CHUNK (1L << 20)

static off_t size_of(const char *path)
{
	struct stat st;
	CHECK_EQ(stat(path, &st), 0);
	return st.st_size;
}

/* fill: CHUNK bytes of the stream for chunk number i (an xorshift per chunk). */
static void fill(unsigned char *p, long i)
{
	uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(i + 1);
	for (long k = 0; k < CHUNK; k += 8) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		memcpy(p + k, &x, 8);
	}
}

/* fnv: a 64-bit FNV-1a checksum of n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const unsigned char *p, long n)
{
	for (long k = 0; k < n; k++)
		h = (h ^ p[k]) * 0x100000001B3ULL;
	return h;
}

static void check_big(void)
{
	static unsigned char buf[CHUNK], back[CHUNK];
	uint64_t want = 0xCBF29CE484222325ULL, got = want;
	int fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (long i = 0; i < BIG / CHUNK; i++) {
		fill(buf, i);
		want = fnv(want, buf, CHUNK);
		CHECK_EQ(write(fd, buf, CHUNK), CHUNK);
	}
	CHECK_EQ(size_of("/tmp/big"), BIG);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(st.st_blocks >= BIG / 512 && st.st_blocks < BIG / 512 + 1024); /* data and its index */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	for (long i = 0; i < BIG / CHUNK; i++) {
		CHECK_EQ(read(fd, back, CHUNK), CHUNK);
		got = fnv(got, back, CHUNK);
		if (i % 13 == 0) { /* and byte for byte, now and then */
			fill(buf, i);
			CHECK(memcmp(buf, back, CHUNK) == 0);
		}
	}
	CHECK_EQ(read(fd, back, 1), 0);
	CHECK_EQ(got, want);
	CHECK_EQ(close(fd), 0);
	printf("bigfile: 64 MiB written and read back, checksum %016llx ok\n", (unsigned long long)got);
	CHECK_EQ(unlink("/tmp/big"), 0);
}

/* all_zero: are n bytes of fd at off all zero? */
static int all_zero(int fd, off_t off, long n)
{
	static unsigned char b[65536];
	while (n > 0) {
		long k = n < (long)sizeof b ? n : (long)sizeof b;
		CHECK_EQ(pread(fd, b, (size_t)k, off), k);
		for (long i = 0; i < k; i++)
			if (b[i])
				return 0;
		off += k, n -= k;
	}
	return 1;
}

static void check_sparse(void)
{
	int fd = open("/tmp/sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "head", 4), 4);
	const off_t far = (100L << 30) + 3; /* 100 GiB: more than the machine's memory */
	CHECK_EQ(lseek(fd, far, SEEK_SET), far);
	CHECK_EQ(write(fd, "tail", 4), 4);
	CHECK_EQ(size_of("/tmp/sparse"), far + 4);
	struct stat st;
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(st.st_blocks <= 8 * 8); /* two data blocks and their index blocks */
	char b[8];
	CHECK_EQ(pread(fd, b, 4, 0), 4);
	CHECK(memcmp(b, "head", 4) == 0);
	CHECK_EQ(pread(fd, b, 8, far - 4), 8);
	CHECK(memcmp(b, "\0\0\0\0tail", 8) == 0);
	CHECK(all_zero(fd, 4, 1L << 20));                  /* the holes: after the head, */
	CHECK(all_zero(fd, 50L << 30, 1L << 20));          /* in the middle, */
	CHECK(all_zero(fd, far - (1L << 20), (1L << 20))); /* before the tail */
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/sparse"), 0);
	printf("bigfile: a sparse file of 100 GiB holds %ld blocks, its holes read as zeros ok\n",
	       (long)st.st_blocks / 8);
}

static void check_truncate(void)
{
	static char a[10000];
	memset(a, 'a', sizeof a);
	int fd = open("/tmp/t", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, a, sizeof a), sizeof a);
	CHECK_EQ(ftruncate(fd, 5000), 0); /* shrink into the second block */
	CHECK_EQ(size_of("/tmp/t"), 5000);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10000); /* the offset stays */
	CHECK_EQ(ftruncate(fd, 20000), 0);       /* grow: a hole */
	CHECK_EQ(size_of("/tmp/t"), 20000);
	static char b[20000];
	CHECK_EQ(pread(fd, b, sizeof b, 0), 20000);
	for (int i = 0; i < 20000; i++)
		CHECK_EQ(b[i], i < 5000 ? 'a' : 0); /* what the shrink cut off is gone */
	CHECK_EQ(truncate("/tmp/t", 1L << 30), 0); /* 1 GiB, by name */
	CHECK_EQ(size_of("/tmp/t"), 1L << 30);
	CHECK_EQ(truncate("/tmp/t", 0), 0);
	struct stat st;
	CHECK_EQ(stat("/tmp/t", &st), 0);
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(st.st_blocks, 0);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_ERR(ftruncate(fd, (1L << 42) + 1), EFBIG);
	CHECK_ERR(ftruncate(99, 0), EBADF);
	int ro = open("/tmp/t", O_RDONLY);
	CHECK_ERR(ftruncate(ro, 0), EBADF);
	CHECK_EQ(close(ro), 0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_ERR(ftruncate(p[1], 0), EINVAL);
	CHECK_ERR(pread(p[0], b, 1, 0), ESPIPE);
	CHECK_ERR(pwrite(p[1], b, 1, 0), ESPIPE);
	CHECK_ERR(fsync(p[1]), EINVAL);
	close(p[0]), close(p[1]);
	CHECK_ERR(truncate("/tmp/none", 0), ENOENT);
	CHECK_ERR(truncate("/tmp", 0), EISDIR);
	CHECK_ERR(truncate("/bin/sh", 0), EROFS);
	CHECK_ERR(truncate("/tmp/t", -1), EINVAL);
	CHECK_EQ(fsync(fd), 0);
	CHECK_EQ(fdatasync(fd), 0);
	CHECK_ERR(fsync(99), EBADF);
	CHECK_ERR(fdatasync(-1), EBADF);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/t"), 0);
	printf("bigfile: ftruncate and truncate shrink and grow, fsync ok\n");
}

static void check_pread_pwrite(void)
{
	int fd = open("/tmp/p", O_RDWR | O_CREAT | O_TRUNC | O_APPEND, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
	CHECK_EQ(pwrite(fd, "XYZ", 3, 2), 3); /* at 2, O_APPEND or not */
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	char b[16] = "";
	CHECK_EQ(pread(fd, b, sizeof b, 0), 10);
	CHECK(memcmp(b, "01XYZ56789", 10) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ(pread(fd, b, 4, 100), 0);   /* past the end */
	CHECK_EQ(pwrite(fd, "end", 3, 100000), 3); /* past the end: a hole before it */
	CHECK_EQ(size_of("/tmp/p"), 100003);
	CHECK(all_zero(fd, 10, 100000 - 10));
	CHECK_ERR(pread(fd, b, 1, -1), EINVAL);
	CHECK_ERR(pwrite(fd, b, 1, -1), EINVAL);
	CHECK_ERR(pread(fd, (void *)8, 1, 0), EFAULT);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	/* A transfer bigger than a request (SRV_DATA) still moves nothing. */
	static char big[100000], big2[100000];
	for (int i = 0; i < (int)sizeof big; i++)
		big[i] = (char)(i * 7);
	CHECK_EQ(pwrite(fd, big, sizeof big, 3), sizeof big);
	CHECK_EQ(pread(fd, big2, sizeof big2, 3), sizeof big2);
	CHECK(memcmp(big, big2, sizeof big) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 7);
	int wo = open("/tmp/p", O_WRONLY);
	CHECK_ERR(pread(wo, b, 1, 0), EBADF);
	CHECK_EQ(close(wo), 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/p"), 0);
	/* An initrd file: pread reads our view of it. */
	fd = open("/etc/rc", O_RDONLY);
	CHECK(fd >= 0);
	char r1[32], r2[32];
	CHECK_EQ(pread(fd, r1, sizeof r1, 5), sizeof r1);
	CHECK_EQ(lseek(fd, 5, SEEK_SET), 5);
	CHECK_EQ(read(fd, r2, sizeof r2), sizeof r2);
	CHECK(memcmp(r1, r2, sizeof r1) == 0);
	CHECK_EQ(pread(fd, r1, 1, 1L << 40), 0);
	CHECK_ERR(pwrite(fd, r1, 1, 0), EBADF);
	CHECK_EQ(close(fd), 0);
	printf("bigfile: pread and pwrite leave the offset alone ok\n");
}

static void check_statvfs(void)
{
	struct statvfs s0, s1, r;
	CHECK_EQ(statvfs("/tmp", &s0), 0);
	CHECK_EQ(s0.f_bsize, 4096);
	CHECK_EQ(s0.f_frsize, 4096);
	CHECK(s0.f_bfree > 1000 && s0.f_bavail == s0.f_bfree && s0.f_blocks >= s0.f_bfree);
	CHECK_EQ(s0.f_files, NINODE);
	CHECK(s0.f_ffree > 0 && !(s0.f_flag & ST_RDONLY));
	int fd = open("/tmp/s", O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char mib[1 << 20];
	CHECK_EQ(write(fd, mib, sizeof mib), sizeof mib);
	CHECK_EQ(fstatvfs(fd, &s1), 0);
	CHECK(s1.f_bfree + 256 <= s0.f_bfree);
	CHECK_EQ(s1.f_ffree, s0.f_ffree - 1);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/s"), 0);
	CHECK_EQ(statvfs("/bin", &r), 0);
	CHECK(r.f_flag & ST_RDONLY);
	CHECK(r.f_blocks > 0 && r.f_bfree == 0);
	CHECK_ERR(statvfs("/nothing", &r), ENOENT);
	CHECK_ERR(statvfs("/tmp", (struct statvfs *)8), EFAULT);
	CHECK_ERR(fstatvfs(99, &r), EBADF);
	printf("bigfile: statvfs: %lu of %lu blocks free in /tmp ok\n", (unsigned long)s0.f_bfree,
	       (unsigned long)s0.f_blocks);
}

#define WRITERS 4
#define RECORDS 40
#define RECORD 12000 /* below SRV_DATA: one request, so one atomic append */

static int appender(long id)
{
	static char rec[RECORD];
	int fd = open("/tmp/log", O_WRONLY | O_APPEND);
	if (fd < 0)
		return 1;
	for (int i = 0; i < RECORDS; i++) {
		memset(rec, (int)('A' + id), sizeof rec);
		rec[0] = (char)i;
		if (write(fd, rec, sizeof rec) != sizeof rec)
			return 2;
		if (i % 8 == id)
			sys_yield(0); /* let the others in between */
	}
	return close(fd) == 0 ? 0 : 3;
}

static void check_append(void)
{
	int fd = open("/tmp/log", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	pid_t kids[WRITERS];
	for (long w = 0; w < WRITERS; w++)
		kids[w] = check_spawn(appender, w);
	for (int w = 0; w < WRITERS; w++) {
		int st;
		CHECK_EQ(waitpid(kids[w], &st, 0), kids[w]);
		CHECK_EQ(st, 0);
	}
	CHECK_EQ(size_of("/tmp/log"), (long)WRITERS * RECORDS * RECORD);
	static char rec[RECORD];
	int next[WRITERS] = { 0 };
	for (int r = 0; r < WRITERS * RECORDS; r++) {
		CHECK_EQ(read(fd, rec, RECORD), RECORD);
		int id = rec[1] - 'A';
		CHECK(id >= 0 && id < WRITERS);
		CHECK_EQ(rec[0], next[id]++); /* each writer's records in its order */
		for (int k = 1; k < RECORD; k++)
			if (rec[k] != 'A' + id)
				CHECK_EQ(rec[k], 'A' + id); /* whole: never interleaved */
	}
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/log"), 0);
	printf("bigfile: %d processes appended %d records of %d bytes, none interleaved ok\n", WRITERS,
	       WRITERS * RECORDS, RECORD);
}

int main(void)
{
	uint64_t blocks0 = FS->blocks;
	check_big();
	check_sparse();
	check_truncate();
	check_pread_pwrite();
	check_statvfs();
	check_append();
	CHECK_EQ(FS->blocks, blocks0); /* every block came back */
	printf("bigfile: every block came back ok\n");
	check_done("bigfile");
}
