/*
 * devrand: the devices under /dev (null, zero, random, urandom, tty, console) and
 * random bytes (getentropy, getrandom, arc4random, ChaCha20's RFC 8439 vector).
 * Prints the CPU's source of random bytes first ("devrand: source rdrand"); the
 * test suite boots it with and without RDRAND/RDSEED.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"
#include "libos.h"

static const char *const devices[] = { "/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/tty",
				       "/dev/console" };

static void check_char_devices(void)
{
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		struct stat st;
		CHECK_EQ(stat(devices[i], &st), 0);
		CHECK(S_ISCHR(st.st_mode));
		int fd = open(devices[i], O_RDWR);
		CHECK(fd >= 0);
		CHECK_EQ(fstat(fd, &st), 0);
		CHECK(S_ISCHR(st.st_mode));
		CHECK_EQ(close(fd), 0);
		CHECK_EQ(open(devices[i], O_WRONLY | O_CREAT | O_EXCL), -1);
		CHECK_EQ(errno, EEXIST);
		CHECK_EQ(open(devices[i], O_RDONLY | O_DIRECTORY), -1);
		CHECK_EQ(errno, ENOTDIR);
	}
	struct stat st;
	CHECK_EQ(stat("/dev/nothing", &st), -1);
	printf("devrand: every device is a character device ok\n");
}

static void check_null_zero(void)
{
	static char buf[10000];
	int fd = open("/dev/zero", O_RDWR);
	CHECK(fd >= 0);
	memset(buf, 0xAA, sizeof buf);
	CHECK_EQ(read(fd, buf, sizeof buf), sizeof buf);
	for (size_t i = 0; i < sizeof buf; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(write(fd, "gone", 4), 4);
	CHECK_EQ(read(fd, (void *)8, 1), -1); /* a bad buffer is still EFAULT */
	CHECK_EQ(errno, EFAULT);
	close(fd);
	fd = open("/dev/null", O_RDWR);
	CHECK_EQ(read(fd, buf, 10), 0);
	CHECK_EQ(write(fd, buf, 10), 10);
	close(fd);
	printf("devrand: /dev/zero reads zeros, writes vanish ok\n");
}

/* check_random_bytes: n bytes from fill look random: two fills differ, not all
 * bytes are equal, every byte value comes up in 64 KiB, about half the bits set. */
static void check_random_bytes(const char *what, void (*fill)(unsigned char *, size_t))
{
	static unsigned char a[65536], b[65536];
	fill(a, sizeof a);
	fill(b, sizeof b);
	CHECK(memcmp(a, b, sizeof a) != 0);
	CHECK(memcmp(a, b, 64) != 0);
	int seen[256] = { 0 }, values = 0;
	long ones = 0;
	for (size_t i = 0; i < sizeof a; i++) {
		values += seen[a[i]]++ == 0;
		ones += __builtin_popcount(a[i]);
	}
	CHECK_EQ(values, 256);
	CHECK(ones > (long)sizeof a * 4 * 98 / 100 && ones < (long)sizeof a * 4 * 102 / 100);
	printf("devrand: %s: two reads differ, 256 byte values, %ld of %ld bits set ok\n", what, ones,
	       (long)sizeof a * 8);
}

static int urandom_fd;
static void fill_urandom(unsigned char *p, size_t n)
{
	CHECK_EQ(read(urandom_fd, p, n), (long)n);
}
static void fill_getentropy(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 256)
		CHECK_EQ(getentropy(p + i, 256), 0);
}
static void fill_getrandom(unsigned char *p, size_t n)
{
	CHECK_EQ(getrandom(p, n, 0), (long)n);
}
static void fill_arc4random(unsigned char *p, size_t n)
{
	arc4random_buf(p, n);
}

static void check_calls(void)
{
	unsigned char buf[300];
	CHECK_EQ(getentropy(buf, 256), 0);
	CHECK_EQ(getentropy(buf, 257), -1);
	CHECK_EQ(errno, EIO);
	CHECK_EQ(getentropy((void *)8, 16), -1);
	CHECK_EQ(errno, EFAULT);
	CHECK_EQ(getentropy(buf, 0), 0);
	CHECK_EQ(getrandom(buf, sizeof buf, GRND_NONBLOCK | GRND_RANDOM), sizeof buf);
	CHECK_EQ(getrandom(buf, 4, 0x100), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(getrandom((void *)8, 4, 0), -1);
	CHECK_EQ(errno, EFAULT);
	int seen[10] = { 0 };
	for (int i = 0; i < 1000; i++) {
		uint32_t v = arc4random_uniform(10);
		CHECK(v < 10);
		seen[v]++;
	}
	for (int i = 0; i < 10; i++)
		CHECK(seen[i] > 0);
	uint32_t r1 = arc4random(), r2 = arc4random(), r3 = arc4random();
	CHECK(r1 != r2 || r2 != r3);
	printf("devrand: getentropy (257 bytes: EIO), getrandom, arc4random ok\n");
}

/* A fork child's bytes are not its parent's (a ChaCha20 key is per environment). */
static void check_fork(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	unsigned char mine[32], theirs[32];
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		getentropy(mine, sizeof mine);
		_exit(write(p[1], mine, sizeof mine) == sizeof mine ? 0 : 1);
	}
	CHECK_EQ(getentropy(mine, sizeof mine), 0);
	CHECK_EQ(read(p[0], theirs, sizeof theirs), sizeof theirs);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(st, 0);
	CHECK(memcmp(mine, theirs, sizeof mine) != 0);
	close(p[0]), close(p[1]);
	printf("devrand: a fork child's bytes differ from its parent's ok\n");
}

/* RFC 8439 §2.3.2: key 00..1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00, block 1. */
static void check_chacha20_vector(void)
{
	static const uint8_t want[64] = {
		0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
		0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
		0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
		0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
	};
	uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 };
	uint8_t kb[32], out[64];
	for (int i = 0; i < 32; i++)
		kb[i] = (uint8_t)i;
	memcpy(key, kb, sizeof key);
	libos_chacha20_block(key, 1, nonce, out);
	CHECK(memcmp(out, want, sizeof want) == 0);
	printf("devrand: ChaCha20 block matches RFC 8439 ok\n");
}

static void check_console_devices(void)
{
	int fd = open("/dev/tty", O_WRONLY);
	CHECK(fd >= 0);
	CHECK_EQ(isatty(fd), 1);
	const char *m = "devrand: written to /dev/tty\n";
	CHECK_EQ(write(fd, m, strlen(m)), (long)strlen(m));
	close(fd);
	fd = open("/dev/console", O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(isatty(fd), 1);
	m = "devrand: written to /dev/console\n";
	CHECK_EQ(write(fd, m, strlen(m)), (long)strlen(m));
	close(fd);
}

int main(void)
{
	printf("devrand: source %s\n", libos_random_source());
	check_char_devices();
	check_null_zero();
	check_console_devices();
	urandom_fd = open("/dev/urandom", O_RDONLY);
	CHECK(urandom_fd >= 0);
	check_random_bytes("/dev/urandom", fill_urandom);
	close(urandom_fd);
	urandom_fd = open("/dev/random", O_RDONLY);
	check_random_bytes("/dev/random", fill_urandom);
	close(urandom_fd);
	check_random_bytes("getentropy", fill_getentropy);
	check_random_bytes("getrandom", fill_getrandom);
	check_random_bytes("arc4random_buf", fill_arc4random);
	check_calls();
	check_fork();
	check_chacha20_vector();
	check_done("devrand");
}
