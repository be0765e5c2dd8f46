/* efault: the libOS's checks of user pointers (libos/uaccess.c), and pipes with many
 * blocked processes. Booted as pid 1; one section per argument (all without one):
 *   bad      every call that takes a user pointer, given a bad one (NULL+8, a kernel
 *            address, a non-canonical one, the exports above ULIM, an unmapped page, a
 *            buffer running off its page, our read-only text or a read-only page as a
 *            destination): -1 with EFAULT, and nothing changed (file offsets, pipe
 *            contents, names, descriptors, the working directory); good pointers that
 *            are easy to get wrong (the growable stack, copy-on-write pages, text as a
 *            source, a string ending at its page's last byte) still work
 *   wedge    children pass bad pointers to write() on a /tmp file and a pipe, and one
 *            dies of a fault; then we can still open, write and read /tmp and pipes
 *   waiters  40 readers blocked on one pipe all get data, and 40 all see end of file
 *   waitpid  waitpid with a bad status pointer: EFAULT, the child not reaped
 *   bench    1 MiB through a pipe and a /tmp file, timed (run it under -icount)
 * Ends with "efault: all N checks passed" (status 0) or a CHECK FAILED line (1). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libos.h>
#include <vpt.h>
#include "../check.h"

int main(int argc, char **argv);
int lstat(const char *path, struct stat *st); /* the libOS has it; newlib declares it only for some targets */

/* CHECK_ERR(call, err): call returns -1 (or NULL) and sets errno to err. */
#define CHECK_ERR(call, err)                                                                   \
	do {                                                                                   \
		errno = 0;                                                                     \
		long r_ = (long)(call);                                                        \
		int e_ = errno;                                                                \
		if ((r_ != -1 && r_ != 0) || (r_ == 0 && !is_ptr_call(#call)) || e_ != (err)) { \
			printf("CHECK FAILED %s:%d: %s [%s]: want error %d (%s), got %ld errno %d (%s)\n", \
			       __FILE__, __LINE__, #call, cur_bad, (err), strerror(err), r_, e_, strerror(e_)); \
			fflush(stdout);                                                        \
			exit(1);                                                               \
		}                                                                              \
		checks_passed++;                                                               \
	} while (0)

/* Calls that fail by returning NULL rather than -1. */
static int is_ptr_call(const char *call)
{
	return strncmp(call, "opendir", 7) == 0 || strncmp(call, "getcwd", 6) == 0 ||
	       strncmp(call, "readdir", 7) == 0;
}

static const char *cur_bad = "-"; /* the bad pointer under test, for messages */

#define MAPPED   0x0000500000000000UL /* one page of 'a', the next page unmapped */
#define RDONLY   0x0000500000010000UL /* one read-only page */
#define UNMAPPED 0x0000500000020000UL

/* The address 8, hidden from the compiler (a constant would be refused). */
static volatile int *bad_int(void)
{
	static volatile uintptr_t eight = 8;
	return (volatile int *)eight;
}


/* Wait up to ms for c; its exit status, 1000 + signal, or -1 (killed: it hung). */
static int wait_or_kill(pid_t c, long ms)
{
	for (long t = 0; t < ms; t += 10) {
		int st;
		if (waitpid(c, &st, WNOHANG) == c)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		usleep(10000);
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return -1;
}

static off_t offset(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

/* How many descriptors are free below 64: a call that failed must not use one. */
static int free_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 64; fd++)
		n += fcntl(fd, F_GETFD) == -1;
	return n;
}

static void map_pages(void)
{
	CHECK_EQ(vpt_lookup(UNMAPPED), 0);
	CHECK_EQ(vpt_lookup(MAPPED + PAGE_SIZE), 0);
	CHECK_EQ(sys_page_alloc(0, (long)MAPPED, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, (long)RDONLY, PTE_NX), 0);
	memset((void *)MAPPED, 'a', PAGE_SIZE);
}

/* Pointers that are bad to read from and to write to. */
static const struct bad {
	const char *name;
	uintptr_t p;
} bads[] = {
	{ "NULL+8", 8 },
	{ "kernel", 0xFFFFFFFF80100000UL },
	{ "non-canonical", 0x8000000000000000UL },
	{ "exports above ULIM", UINFO },
	{ "unmapped page", UNMAPPED },
	{ "runs off its page", MAPPED + PAGE_SIZE - 3 },
	{ "the top of the address space", (uintptr_t)-64 },
};
#define NBADS (sizeof bads / sizeof bads[0])

static int child_exec_bad(long unused)
{
	(void)unused;
	char *argv[] = { "true", NULL }, *env[] = { "A=b", NULL };
	memset((void *)MAPPED, 'a', PAGE_SIZE); /* no NUL before the unmapped page */
	for (size_t i = 0; i < NBADS; i++) {
		cur_bad = bads[i].name;
		char *bad = (char *)bads[i].p;
		char *bad_argv[] = { "true", bad, NULL }, *bad_env[] = { "A=b", bad, NULL };
		CHECK_ERR(execve(bad, argv, env), EFAULT);
		CHECK_ERR(execve("/bin/true", (char **)bad, env), EFAULT);
		CHECK_ERR(execve("/bin/true", argv, (char **)bad), EFAULT);
		CHECK_ERR(execve("/bin/true", bad_argv, env), EFAULT);
		CHECK_ERR(execve("/bin/true", argv, bad_env), EFAULT);
	}
	/* A vector that runs off its page (no NULL before the unmapped page). */
	char **vec = (char **)(MAPPED + PAGE_SIZE - 16);
	vec[0] = "true", vec[1] = "x";
	CHECK_ERR(execve("/bin/true", vec, env), EFAULT);
	return 42; /* not /bin/true's 0: every exec above failed */
}

/* In a forked child every private page is copy-on-write: reading into one works. */
static char cow_buf[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static int child_read_cow(long fd)
{
	CHECK(vpt_lookup((uint64_t)cow_buf) & PTE_COW);
	CHECK_EQ(read((int)fd, cow_buf, sizeof cow_buf), 5);
	CHECK(memcmp(cow_buf, "world", 5) == 0);
	return 0;
}

static void test_bad(void)
{
	map_pages();
	char buf[256];
	struct stat st;
	int tfd = open("/tmp/ef", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(tfd >= 0);
	CHECK_EQ(write(tfd, "0123456789", 10), 10);
	CHECK_EQ(lseek(tfd, 3, SEEK_SET), 3);
	int ifd = open("/bin/hello", O_RDONLY);
	CHECK(ifd >= 0);
	CHECK_EQ(lseek(ifd, 16, SEEK_SET), 16);
	int nfd = open("/dev/null", O_RDWR);
	CHECK(nfd >= 0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	CHECK_EQ(mkdir("/tmp/d", 0755), 0);
	CHECK_EQ(chdir("/tmp/d"), 0);
	int nfree = free_fds();

	for (size_t i = 0; i < NBADS; i++) {
		cur_bad = bads[i].name;
		void *bad = (void *)bads[i].p;
		/* read and write, every kind of file */
		CHECK_ERR(read(tfd, bad, 100), EFAULT);
		CHECK_ERR(write(tfd, bad, 100), EFAULT);
		CHECK_ERR(read(ifd, bad, 100), EFAULT);
		CHECK_ERR(read(p[0], bad, 100), EFAULT);
		CHECK_ERR(read(p[0], bad, 5), EFAULT);
		CHECK_ERR(write(p[1], bad, 100), EFAULT);
		CHECK_ERR(write(p[1], bad, 10000), EFAULT);
		CHECK_ERR(read(nfd, bad, 100), EFAULT);
		CHECK_ERR(write(nfd, bad, 100), EFAULT);
		CHECK_ERR(read(0, bad, 100), EFAULT); /* the console: must not wait for input */
		CHECK_ERR(write(1, bad, 100), EFAULT);
		/* buffers */
		CHECK_ERR(fstat(tfd, bad), EFAULT);
		CHECK_ERR(stat("/tmp/ef", bad), EFAULT);
		CHECK_ERR(stat("/bin/hello", bad), EFAULT);
		CHECK_ERR(stat("/dev/null", bad), EFAULT);
		CHECK_ERR(lstat("/tmp/ef", bad), EFAULT);
		CHECK_ERR(pipe(bad), EFAULT);
		CHECK_ERR(getcwd(bad, 100), EFAULT);
		CHECK_ERR(readdir(bad), EFAULT);
		/* path strings */
		CHECK_ERR(open(bad, O_RDONLY), EFAULT);
		CHECK_ERR(open(bad, O_WRONLY | O_CREAT, 0644), EFAULT);
		CHECK_ERR(stat(bad, &st), EFAULT);
		CHECK_ERR(lstat(bad, &st), EFAULT);
		CHECK_ERR(access(bad, F_OK), EFAULT);
		CHECK_ERR(unlink(bad), EFAULT);
		CHECK_ERR(mkdir(bad, 0755), EFAULT);
		CHECK_ERR(rmdir(bad), EFAULT);
		CHECK_ERR(rename(bad, "/tmp/r"), EFAULT);
		CHECK_ERR(rename("/tmp/ef", bad), EFAULT);
		CHECK_ERR(chdir(bad), EFAULT);
		CHECK_ERR(opendir(bad), EFAULT);
		/* nothing changed */
		CHECK_EQ(offset(tfd), 3);
		CHECK_EQ(offset(ifd), 16);
		CHECK_EQ(fstat(tfd, &st), 0);
		CHECK_EQ(st.st_size, 10);
		CHECK_EQ(free_fds(), nfree);
		CHECK_EQ(stat("/tmp/ef", &st), 0);
		CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/d") == 0);
	}
	cur_bad = "-";

	/* Destinations that are readable but not writable. */
	void *ro[] = { (void *)main, (void *)test_bad, (void *)RDONLY, (void *)"a string literal" };
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++) {
		cur_bad = i < 2 ? "our text" : i == 2 ? "read-only page" : "rodata";
		CHECK_ERR(read(tfd, ro[i], 5), EFAULT);
		CHECK_ERR(read(p[0], ro[i], 5), EFAULT);
		CHECK_ERR(read(ifd, ro[i], 5), EFAULT);
		CHECK_ERR(read(nfd, ro[i], 5), EFAULT);
		CHECK_ERR(fstat(tfd, ro[i]), EFAULT);
		CHECK_ERR(stat("/tmp/ef", ro[i]), EFAULT);
		CHECK_ERR(pipe(ro[i]), EFAULT);
		CHECK_ERR(getcwd(ro[i], 100), EFAULT);
		/* ... and as sources they are fine */
		CHECK_EQ(write(nfd, ro[i], 5), 5);
	}
	cur_bad = "-";
	CHECK_EQ(offset(tfd), 3);
	CHECK_EQ(offset(ifd), 16);
	CHECK_EQ(free_fds(), nfree);

	/* A string that runs into the unmapped page before its NUL; then one whose NUL
	 * is its page's last byte; and one too long for any path, all readable. */
	char *s = (char *)(MAPPED + PAGE_SIZE - 10);
	CHECK_ERR(open(s, O_RDONLY), EFAULT);
	memcpy((char *)(MAPPED + PAGE_SIZE - 8), "/tmp/ef", 8);
	CHECK_EQ(stat((char *)(MAPPED + PAGE_SIZE - 8), &st), 0);
	CHECK_EQ(st.st_size, 10);
	memset((void *)MAPPED, 'a', PAGE_SIZE);
	static char longpath[8192];
	memset(longpath, 'x', sizeof longpath - 1);
	CHECK_ERR(open(longpath, O_RDONLY), ENAMETOOLONG);
	/* A buffer that ends exactly at the end of its page is fine. */
	CHECK_EQ(write(nfd, (void *)(MAPPED + PAGE_SIZE - 100), 100), 100);
	CHECK_EQ(read(ifd, (void *)(MAPPED + PAGE_SIZE - 4), 4), 4);
	CHECK_EQ(offset(ifd), 20);

	/* Zero bytes with any pointer: nothing to check. */
	CHECK_EQ(read(tfd, (void *)8, 0), 0);
	CHECK_EQ(write(tfd, (void *)8, 0), 0);
	CHECK_EQ(write(p[1], (void *)8, 0), 0);
	CHECK_EQ(offset(tfd), 3);

	/* The growable stack below what is mapped: a good destination. */
	char *deep = (char *)(((uintptr_t)__builtin_frame_address(0) - (4UL << 20)) & ~(PAGE_SIZE - 1));
	CHECK_EQ(vpt_lookup((uint64_t)deep), 0);
	CHECK_EQ(read(tfd, deep, 4), 4);
	CHECK(memcmp(deep, "3456", 4) == 0);
	CHECK_ERR(read(tfd, (void *)(USTACKTOP - USTACK_LIMIT - PAGE_SIZE), 4), EFAULT); /* the guard page */

	/* The pipe still holds exactly "hello"; a copy-on-write page takes data. */
	CHECK_EQ(read(p[0], buf, sizeof buf), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	CHECK_ERR(read(p[0], buf, sizeof buf), EAGAIN);
	CHECK_EQ(write(p[1], "world", 5), 5);
	cow_buf[0] = 1; /* mapped, and so copy-on-write in the child */
	pid_t c = check_spawn(child_read_cow, p[0]);
	CHECK_EQ(wait_or_kill(c, 5000), 0);
	CHECK_ERR(read(p[0], buf, sizeof buf), EAGAIN);

	/* The rest of the file, from the offset nothing moved (4 bytes went above). */
	CHECK_EQ(read(tfd, buf, sizeof buf), 3);
	CHECK(memcmp(buf, "789", 3) == 0);
	CHECK_EQ(read(ifd, buf, 4), 4);
	CHECK_EQ(offset(ifd), 24);

	/* execve with bad names and vectors fails and the caller goes on. */
	c = check_spawn(child_exec_bad, 0);
	CHECK_EQ(wait_or_kill(c, 10000), 42);

	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir("/tmp/d"), 0);
	CHECK_EQ(unlink("/tmp/ef"), 0);
	close(tfd), close(ifd), close(nfd), close(p[0]), close(p[1]);
	printf("efault: section bad ok\n");
}

/* A child that hands write() a bad pointer on a /tmp file and on a pipe, then dies
 * of a fault of its own: nothing it did may hold the file-system lock. */
static int wedge_fds[3];
static int child_bad_writes(long die)
{
	if (write(wedge_fds[0], (void *)8, 100) != -1 || errno != EFAULT)
		return 1;
	if (write(wedge_fds[1], (void *)8, 100) != -1 || errno != EFAULT)
		return 2;
	if (read(wedge_fds[2], (void *)8, 100) != -1 || errno != EFAULT)
		return 3;
	if (die)
		*bad_int() = 1;
	return 0;
}

static void test_wedge(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	wedge_fds[0] = open("/tmp/w", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(wedge_fds[0] >= 0);
	wedge_fds[1] = p[1], wedge_fds[2] = p[0];
	CHECK_EQ(write(p[1], "x", 1), 1);
	CHECK_EQ(wait_or_kill(check_spawn(child_bad_writes, 0), 5000), 0);
	CHECK_EQ(wait_or_kill(check_spawn(child_bad_writes, 1), 5000), 1000 + SIGSEGV);
	/* Nothing is wedged: open, write and read a new file and the pipe. */
	int fd = open("/tmp/after", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "after", 5), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	char buf[16];
	CHECK_EQ(read(fd, buf, sizeof buf), 5);
	CHECK(memcmp(buf, "after", 5) == 0);
	CHECK_EQ(write(p[1], "yz", 2), 2);
	CHECK_EQ(read(p[0], buf, sizeof buf), 3);
	CHECK(memcmp(buf, "xyz", 3) == 0);
	struct stat st;
	CHECK_EQ(fstat(wedge_fds[0], &st), 0);
	CHECK_EQ(st.st_size, 0);
	close(fd), close(wedge_fds[0]), close(p[0]), close(p[1]);
	CHECK_EQ(unlink("/tmp/w"), 0);
	CHECK_EQ(unlink("/tmp/after"), 0);
	printf("efault: section wedge ok\n");
}

/* Many readers on one pipe. Each says it is about to read (on the ready pipe),
 * then reads one byte: exit 0 with data, 10 at end of file, 1 on an error. */
#define NREADERS 40
static int wp[2], ready[2];
static int child_reader(long unused)
{
	(void)unused;
	close(wp[1]);
	close(ready[0]);
	if (write(ready[1], "r", 1) != 1)
		return 1;
	close(ready[1]);
	char c;
	ssize_t r = read(wp[0], &c, 1);
	return r == 1 ? 0 : r == 0 ? 10 : 1;
}

/* readers_ending: wait for the NREADERS readers in kids (killing one that hangs)
 * and count those that exited with code; say how many did `what` if not all.
 * Returns the count. */
static int readers_ending(const pid_t *kids, int code, const char *what)
{
	int n = 0;
	for (int i = 0; i < NREADERS; i++)
		n += wait_or_kill(kids[i], 3000) == code;
	if (n != NREADERS)
		printf("efault: %d of %d blocked readers %s\n", n, NREADERS, what);
	return n;
}

/* Start NREADERS readers, wait until all are about to read, then give them time to
 * block. */
static void start_readers(pid_t *kids)
{
	CHECK_EQ(pipe(wp), 0);
	CHECK_EQ(pipe(ready), 0);
	for (int i = 0; i < NREADERS; i++)
		kids[i] = check_spawn(child_reader, 0);
	close(ready[1]);
	char buf[NREADERS];
	size_t got = 0;
	ssize_t r;
	while (got < NREADERS && (r = read(ready[0], buf, sizeof buf - got)) > 0)
		got += (size_t)r;
	CHECK_EQ(got, NREADERS);
	close(ready[0]);
	usleep(300000); /* every one is blocked in read by now */
}

static void test_waiters(void)
{
	pid_t kids[NREADERS];
	/* Data: 40 bytes, one each. */
	start_readers(kids);
	char data[NREADERS];
	memset(data, 'd', sizeof data);
	CHECK_EQ(write(wp[1], data, sizeof data), NREADERS);
	CHECK_EQ(readers_ending(kids, 0, "got data"), NREADERS);
	close(wp[0]), close(wp[1]);

	/* End of file: the last writer (we) closes. */
	start_readers(kids);
	close(wp[1]);
	CHECK_EQ(readers_ending(kids, 10, "saw end of file"), NREADERS);
	close(wp[0]);
	printf("efault: section waiters ok\n");
}

static int child_die(long unused)
{
	(void)unused;
	*bad_int() = 1;
	return 0;
}

static void test_waitpid(void)
{
	pid_t c = check_spawn(child_die, 0);
	usleep(200000);
	CHECK_ERR(waitpid(c, (int *)8, 0), EFAULT);
	CHECK_ERR(waitpid(c, (int *)main, 0), EFAULT);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c); /* not reaped by the failed calls */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	printf("efault: section waitpid ok\n");
}

static long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static char bench_buf[65536];
static int bench_chunk(long chunk)
{
	close(wp[0]);
	for (size_t done = 0; done < (1UL << 20);) {
		ssize_t w = write(wp[1], bench_buf, (size_t)chunk);
		if (w <= 0)
			return 1;
		done += (size_t)w;
	}
	return 0;
}

static void test_bench(void)
{
	static const long chunks[] = { 512, 4096, 16384, 65536 };
	for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
		CHECK_EQ(pipe(wp), 0);
		long t0 = now_us();
		pid_t c = check_spawn(bench_chunk, chunks[k]);
		close(wp[1]);
		size_t got = 0;
		ssize_t r;
		while ((r = read(wp[0], bench_buf, (size_t)chunks[k])) > 0)
			got += (size_t)r;
		CHECK_EQ(got, 1UL << 20);
		CHECK_EQ(wait_or_kill(c, 60000), 0);
		long t1 = now_us();
		close(wp[0]);
		printf("efault: bench pipe 1 MiB in %ld-byte writes and reads: %ld us\n", chunks[k], t1 - t0);
	}
	long t0 = now_us();
	int fd = open("/tmp/bench", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(write(fd, bench_buf, 65536), 65536);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	for (int i = 0; i < 16; i++)
		CHECK_EQ(read(fd, bench_buf, 65536), 65536);
	close(fd);
	unlink("/tmp/bench");
	printf("efault: bench /tmp file 1 MiB written and read in 64 KiB calls: %ld us\n", now_us() - t0);
}

static const struct {
	const char *name;
	void (*fn)(void);
	int by_default;
} sections[] = {
	{ "bad", test_bad, 1 },
	{ "wedge", test_wedge, 1 },
	{ "waiters", test_waiters, 1 },
	{ "waitpid", test_waitpid, 1 },
	{ "bench", test_bench, 0 },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IONBF, 0);
	for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
		int run = argc == 1 && sections[i].by_default;
		for (int k = 1; k < argc; k++)
			run |= strcmp(argv[k], sections[i].name) == 0;
		if (run)
			sections[i].fn();
	}
	check_done("efault");
}
