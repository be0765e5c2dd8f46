/* files: the libOS file layer behaves as POSIX says, checked call by call with the
 * error cases: open (every flag), read, write, lseek, close, fstat/stat, unlink,
 * rename, mkdir, rmdir, getcwd/chdir, opendir/readdir, dup, dup2, fcntl, isatty;
 * descriptors and offsets shared through dup, fork and exec; close-on-exec; /tmp
 * shared between processes and filling up (ENOSPC, EFBIG); pipes (EOF, EPIPE and
 * SIGPIPE, blocking both ways, order, writes bigger than the buffer).
 * The last sections are POSIX corner cases checked softly: each reports every
 * deviation it finds ("files: DEVIATION ...") and the run fails at the end.
 * Runs as pid 1. `files` runs every section, `files SECTION...` those named (see
 * sections[] below). Every section must leave /tmp empty and only fds 0-2 open. */
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
#include "../check.h"

/* CHECK_ERR(call, err): call returns -1 and sets errno to err. */
#define CHECK_ERR(call, err)                                                                   \
	do {                                                                                   \
		errno = 0;                                                                     \
		long r_ = (long)(call);                                                        \
		int e_ = errno;                                                                \
		if (r_ != -1 || e_ != (err)) {                                                 \
			printf("CHECK FAILED %s:%d: %s: want -1 errno %d (%s), got %ld errno %d (%s)\n", \
			       __FILE__, __LINE__, #call, (err), strerror(err), r_, e_, strerror(e_)); \
			fflush(stdout);                                                        \
			exit(1);                                                               \
		}                                                                              \
		checks_passed++;                                                               \
	} while (0)

/* CHECK_STR(a, b): two strings are equal (printed on failure). */
#define CHECK_STR(a, b)                                                                        \
	do {                                                                                   \
		const char *sa_ = (a), *sb_ = (b);                                             \
		if (!sa_ || !sb_ || strcmp(sa_, sb_) != 0) {                                   \
			printf("CHECK FAILED %s:%d: %s == %s (\"%s\" != \"%s\")\n", __FILE__,  \
			       __LINE__, #a, #b, sa_ ? sa_ : "(null)", sb_ ? sb_ : "(null)");  \
			fflush(stdout);                                                        \
			exit(1);                                                               \
		}                                                                              \
		checks_passed++;                                                               \
	} while (0)

/* --- helpers -------------------------------------------------------------------- */

/* Create (or truncate) path with text. */
static void put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), strlen(text));
	CHECK_EQ(close(fd), 0);
}

/* The whole content of path (static buffer; "(error)" if it cannot be opened). */
static const char *get_file(const char *path)
{
	static char buf[4096];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return "(error)";
	size_t n = 0;
	ssize_t r;
	while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = 0;
	close(fd);
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir (without . and ..), sorted, joined by ',' (static buffer).
 * "(error)" if opendir fails, "(dup)" if a name comes twice. */
static const char *dir_names(const char *dir)
{
	static char out[4096];
	char *names[256];
	int n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return "(error)";
	struct dirent *e;
	while ((e = readdir(d)) && n < 256) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof *names, by_name);
	out[0] = 0;
	for (int i = 0; i < n; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			strcpy(out, "(dup)");
		if (strcmp(out, "(dup)")) {
			if (i)
				strcat(out, ",");
			strcat(out, names[i]);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	return out;
}

/* The d_type readdir gives for name in dir, or -1. */
static int dir_type(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent *e;
	int t = -1;
	while ((e = readdir(d)))
		if (!strcmp(e->d_name, name))
			t = e->d_type;
	closedir(d);
	return t;
}

static off_t size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Only fds 0, 1, 2 are open. */
static void check_fds_clean(void)
{
	for (int fd = 3; fd < 64; fd++)
		if (fcntl(fd, F_GETFD) >= 0) {
			printf("files: fd %d left open\n", fd);
			CHECK(0);
		}
}

/* Remove everything under /tmp (depth first), then check it is empty. */
static void rm_tree(const char *dir)
{
	DIR *d = opendir(dir);
	CHECK(d != NULL);
	char *names[256];
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < 256)
		names[n++] = strdup(e->d_name);
	closedir(d);
	for (int i = 0; i < n; i++) {
		char path[256];
		struct stat st;
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		free(names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rm_tree(path);
			CHECK_EQ(rmdir(path), 0);
		} else {
			CHECK_EQ(unlink(path), 0);
		}
	}
}

static void clean_tmp(void)
{
	rm_tree("/tmp");
	CHECK_STR(dir_names("/tmp"), "");
	CHECK_EQ(chdir("/"), 0);
	check_fds_clean();
}

/* Milliseconds since boot. */
static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for child c and return its exit status, or 1000 + signal if killed. */
static int wait_status(pid_t c)
{
	int st;
	if (waitpid(c, &st, 0) != c)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : -2;
}

/* Read exactly n bytes (or until EOF/error). Returns the count. */
static size_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}


/* --- open, read, write, lseek, close, stat ---------------------------------------- */

static void test_initrd_files(void)
{
	struct stat st, st2;
	int fd = open("/bin/hello", O_RDONLY);
	CHECK(fd >= 3);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK(st.st_size > 1000);
	CHECK_EQ(stat("/bin/hello", &st2), 0);
	CHECK(S_ISREG(st2.st_mode));
	CHECK_EQ(st2.st_size, st.st_size);
	off_t size = st.st_size;
	char buf[16];
	CHECK_EQ(read(fd, buf, 4), 4);
	CHECK(memcmp(buf, "\177ELF", 4) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 4);
	CHECK_EQ(lseek(fd, -4, SEEK_END), size - 4);
	CHECK_EQ(read(fd, buf, 16), 4);
	CHECK_EQ(read(fd, buf, 16), 0); /* end of file */
	CHECK_EQ(lseek(fd, 1, SEEK_SET), 1);
	CHECK_EQ(read(fd, buf, 3), 3);
	CHECK(memcmp(buf, "ELF", 3) == 0);
	CHECK_EQ(lseek(fd, -2, SEEK_CUR), 2);
	CHECK_EQ(read(fd, buf, 1), 1);
	CHECK_EQ(buf[0], 'L');
	CHECK_EQ(lseek(fd, size + 100, SEEK_SET), size + 100); /* past the end is allowed */
	CHECK_EQ(read(fd, buf, 1), 0);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, -(size + 1), SEEK_END), EINVAL);
	CHECK_ERR(lseek(fd, 0, 12345), EINVAL);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), size + 100); /* failures leave the offset */
	CHECK_ERR(write(fd, "x", 1), EBADF);      /* read-only */
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(close(fd), 0);
	CHECK_ERR(close(fd), EBADF);
	CHECK_ERR(read(fd, buf, 1), EBADF);

	/* Directories of the initrd. */
	CHECK_EQ(stat("/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(stat("/bin", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(stat("/bin/", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(stat("/test/data", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(stat("/test/data/notelf", &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 22); /* "this is not a program\n" */
	CHECK_STR(get_file("/test/data/notelf"), "this is not a program\n");
	CHECK_EQ(stat("/tmp", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	fd = open("/bin", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(read(fd, buf, 1), EISDIR);
	CHECK_ERR(write(fd, buf, 1), EBADF);
	CHECK_EQ(close(fd), 0);
	fd = open("/bin", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);

	/* The initrd is read-only: EROFS for anything that would change it. */
	CHECK_ERR(open("/bin/hello", O_WRONLY), EROFS);
	CHECK_ERR(open("/bin/hello", O_RDWR), EROFS);
	CHECK_ERR(open("/bin/hello", O_WRONLY | O_APPEND), EROFS);
	CHECK_ERR(open("/bin/hello", O_RDONLY | O_TRUNC), EROFS);
	CHECK_ERR(open("/bin/hello", O_WRONLY | O_CREAT | O_TRUNC, 0644), EROFS);
	CHECK_ERR(open("/bin/newfile", O_WRONLY | O_CREAT, 0644), EROFS);
	CHECK_ERR(open("/newfile", O_RDWR | O_CREAT, 0644), EROFS);
	/* Opening an existing file with O_CREAT but read-only is fine. */
	fd = open("/bin/hello", O_RDONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	/* Directories cannot be opened for writing. */
	CHECK_ERR(open("/bin", O_WRONLY), EISDIR);
	CHECK_ERR(open("/", O_RDWR), EISDIR);
	CHECK_ERR(open("/tmp", O_WRONLY), EISDIR);
	CHECK_ERR(open("/tmp", O_RDWR | O_CREAT, 0644), EISDIR);
	/* Missing names. */
	CHECK_ERR(open("/nosuch", O_RDONLY), ENOENT);
	CHECK_ERR(open("/bin/nosuch", O_RDONLY), ENOENT);
	CHECK_ERR(open("/tmp/nosuch", O_RDONLY), ENOENT);
	CHECK_ERR(open("/tmp/nosuch", O_WRONLY), ENOENT);
	CHECK_ERR(open("", O_RDONLY), ENOENT);
	CHECK_ERR(stat("/nosuch", &st), ENOENT);
	CHECK_ERR(stat("/tmp/nosuch", &st), ENOENT);
	CHECK_ERR(stat("", &st), ENOENT);
	/* O_DIRECTORY on a file. */
	CHECK_ERR(open("/bin/hello", O_RDONLY | O_DIRECTORY), ENOTDIR);
	printf("files: initrd files ok\n");
}

static void test_tmp_files(void)
{
	struct stat st;
	char buf[64];
	/* O_CREAT | O_WRONLY: a new file. */
	int fd = open("/tmp/a", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 3);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 0);
	CHECK_EQ(write(fd, "hello world", 11), 11);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_size, 11);
	CHECK_ERR(read(fd, buf, 1), EBADF); /* write-only */
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_WRONLY);
	CHECK_EQ(write(fd, "", 0), 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(stat("/tmp/a", &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 11);
	CHECK_STR(get_file("/tmp/a"), "hello world");

	/* O_RDONLY: read in pieces, EOF, lseek. */
	fd = open("/tmp/a", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(read(fd, buf, 5), 5);
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(read(fd, buf, 64), 6);
	CHECK(memcmp(buf, " world", 6) == 0);
	CHECK_EQ(read(fd, buf, 64), 0);
	CHECK_EQ(lseek(fd, -5, SEEK_END), 6);
	CHECK_EQ(read(fd, buf, 64), 5);
	CHECK(memcmp(buf, "world", 5) == 0);
	CHECK_ERR(write(fd, "x", 1), EBADF); /* read-only */
	CHECK_EQ(close(fd), 0);

	/* O_RDWR: overwrite in the middle, read what follows. */
	fd = open("/tmp/a", O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(lseek(fd, 6, SEEK_SET), 6);
	CHECK_EQ(write(fd, "WO", 2), 2);
	CHECK_EQ(read(fd, buf, 3), 3);
	CHECK(memcmp(buf, "rld", 3) == 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 11);
	CHECK_EQ(write(fd, "!", 1), 1); /* extends */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read(fd, buf, 64), 12);
	CHECK(memcmp(buf, "hello WOrld!", 12) == 0);
	CHECK_EQ(close(fd), 0);

	/* A write past the end leaves a hole that reads as zeros. */
	fd = open("/tmp/hole", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(lseek(fd, 10000, SEEK_SET), 10000);
	CHECK_EQ(size_of("/tmp/hole"), 0); /* lseek alone does not grow the file */
	CHECK_EQ(write(fd, "x", 1), 1);
	CHECK_EQ(size_of("/tmp/hole"), 10001);
	CHECK_EQ(lseek(fd, 4090, SEEK_SET), 4090);
	memset(buf, 'q', sizeof buf);
	CHECK_EQ(read(fd, buf, 20), 20);
	for (int i = 0; i < 20; i++)
		CHECK_EQ(buf[i], 0);
	CHECK_EQ(lseek(fd, 9999, SEEK_SET), 9999);
	CHECK_EQ(read(fd, buf, 10), 2);
	CHECK(buf[0] == 0 && buf[1] == 'x');
	CHECK_EQ(close(fd), 0);

	/* O_TRUNC empties the file. */
	fd = open("/tmp/a", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(size_of("/tmp/a"), 0);
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(close(fd), 0);
	CHECK_STR(get_file("/tmp/a"), "abc");

	/* O_APPEND: every write goes to the end, whatever the offset, also with a
	 * second descriptor appending at the same time. */
	int a1 = open("/tmp/a", O_WRONLY | O_APPEND);
	int a2 = open("/tmp/a", O_RDWR | O_APPEND);
	CHECK(a1 >= 0 && a2 >= 0 && a1 != a2);
	CHECK(fcntl(a1, F_GETFL) & O_APPEND);
	CHECK_EQ(write(a1, "def", 3), 3);
	CHECK_EQ(write(a2, "ghi", 3), 3);
	CHECK_EQ(lseek(a1, 0, SEEK_SET), 0);
	CHECK_EQ(write(a1, "jkl", 3), 3);
	CHECK_EQ(lseek(a1, 0, SEEK_CUR), 12);
	CHECK_EQ(lseek(a2, 0, SEEK_SET), 0); /* reading with O_APPEND reads from the offset */
	CHECK_EQ(read(a2, buf, 3), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(close(a1), 0);
	CHECK_EQ(close(a2), 0);
	CHECK_STR(get_file("/tmp/a"), "abcdefghijkl");

	/* O_EXCL: EEXIST when the name exists, a new file when not. */
	CHECK_ERR(open("/tmp/a", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERR(open("/tmp", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_STR(get_file("/tmp/a"), "abcdefghijkl"); /* untouched */
	fd = open("/tmp/b", O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(size_of("/tmp/b"), 0);
	/* O_CREAT on an existing file does not truncate it. */
	fd = open("/tmp/a", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(size_of("/tmp/a"), 12);

	/* A larger file across many blocks, written and read in odd pieces. */
	static unsigned char big[50000], back[50000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7 + i / 1000);
	fd = open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	for (size_t off = 0; off < sizeof big;) {
		size_t n = sizeof big - off < 3001 ? sizeof big - off : 3001;
		CHECK_EQ(write(fd, big + off, n), n);
		off += n;
	}
	CHECK_EQ(lseek(fd, 0, SEEK_END), sizeof big);
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(read_full(fd, back, sizeof back), sizeof back);
	CHECK(memcmp(big, back, sizeof big) == 0);
	CHECK_EQ(close(fd), 0);

	/* stdio on top: fopen/fprintf/fgets/fseek/ftell, and "a" mode. */
	FILE *f = fopen("/tmp/stdio.txt", "w");
	CHECK(f != NULL);
	CHECK_EQ(fprintf(f, "line %d\n", 1), 7);
	CHECK(fputs("line 2\n", f) >= 0);
	CHECK_EQ(fclose(f), 0);
	f = fopen("/tmp/stdio.txt", "a");
	CHECK(f != NULL);
	fprintf(f, "line 3\n");
	CHECK_EQ(fclose(f), 0);
	f = fopen("/tmp/stdio.txt", "r");
	CHECK(f != NULL);
	char line[32];
	CHECK(fgets(line, sizeof line, f) != NULL);
	CHECK_STR(line, "line 1\n");
	CHECK_EQ(fseek(f, 14, SEEK_SET), 0);
	CHECK(fgets(line, sizeof line, f) != NULL);
	CHECK_STR(line, "line 3\n");
	CHECK_EQ(ftell(f), 21);
	CHECK(fgets(line, sizeof line, f) == NULL);
	CHECK(feof(f));
	CHECK_EQ(fclose(f), 0);
	CHECK(fopen("/tmp/nosuch/x", "w") == NULL);
	CHECK(fopen("/bin/hello", "w") == NULL);
	CHECK_EQ(errno, EROFS);
	printf("files: /tmp files ok\n");
}

/* Bad descriptors everywhere; isatty. */
static void test_badf_and_tty(void)
{
	char buf[4];
	struct stat st;
	int bad[] = { -1, 3, 63, 64, 1000 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int fd = bad[i];
		CHECK_ERR(read(fd, buf, 1), EBADF);
		CHECK_ERR(write(fd, "x", 1), EBADF);
		CHECK_ERR(lseek(fd, 0, SEEK_SET), EBADF);
		CHECK_ERR(fstat(fd, &st), EBADF);
		CHECK_ERR(close(fd), EBADF);
		CHECK_ERR(dup(fd), EBADF);
		CHECK_ERR(dup2(fd, 10), EBADF);
		CHECK_ERR(fcntl(fd, F_GETFD), EBADF);
		CHECK_ERR(fcntl(fd, F_SETFD, FD_CLOEXEC), EBADF);
		CHECK_ERR(fcntl(fd, F_GETFL), EBADF);
		CHECK_ERR(fcntl(fd, F_DUPFD, 0), EBADF);
		errno = 0;
		CHECK_EQ(isatty(fd), 0);
		CHECK_EQ(errno, EBADF);
	}
	CHECK_ERR(dup2(0, -1), EBADF);
	CHECK_ERR(dup2(0, 64), EBADF);
	CHECK_ERR(fcntl(0, 12345), EINVAL);
	/* The console: fds 0, 1, 2 are terminals, character devices; not seekable. */
	for (int fd = 0; fd < 3; fd++) {
		CHECK_EQ(isatty(fd), 1);
		CHECK_EQ(fstat(fd, &st), 0);
		CHECK(S_ISCHR(st.st_mode));
		CHECK_ERR(lseek(fd, 0, SEEK_CUR), ESPIPE);
	}
	CHECK_EQ(write(1, "", 0), 0);
	/* A file is not a terminal. */
	int fd = open("/bin/hello", O_RDONLY);
	CHECK(fd >= 0);
	errno = 0;
	CHECK_EQ(isatty(fd), 0);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(close(fd), 0);
	printf("files: bad descriptors and isatty ok\n");
}

/* ENOTDIR: a path through a file; ENAMETOOLONG. */
static void test_path_errors(void)
{
	struct stat st;
	put_file("/tmp/file", "data");
	CHECK_ERR(open("/tmp/file/x", O_WRONLY | O_CREAT, 0644), ENOTDIR);
	CHECK_ERR(mkdir("/tmp/file/x", 0755), ENOTDIR);
	CHECK_ERR(chdir("/tmp/file"), ENOTDIR);
	CHECK_ERR(chdir("/bin/hello"), ENOTDIR);
	CHECK(opendir("/tmp/file") == NULL);
	CHECK_EQ(errno, ENOTDIR);
	CHECK(opendir("/bin/hello") == NULL);
	CHECK_EQ(errno, ENOTDIR);
	CHECK(opendir("/nosuch") == NULL);
	CHECK_EQ(errno, ENOENT);
	CHECK_ERR(open("/tmp/file", O_RDONLY | O_DIRECTORY), ENOTDIR);
	/* Too long: a name that cannot fit a path. */
	char longp[300];
	strcpy(longp, "/tmp/");
	memset(longp + 5, 'n', 200);
	longp[205] = 0;
	CHECK_ERR(open(longp, O_WRONLY | O_CREAT, 0644), ENAMETOOLONG);
	CHECK_ERR(stat(longp, &st), ENAMETOOLONG);
	CHECK_ERR(mkdir(longp, 0755), ENAMETOOLONG);
	CHECK_EQ(unlink("/tmp/file"), 0);
	printf("files: path errors ok\n");
}

/* --- directories and names ------------------------------------------------------ */

static void test_mkdir_rmdir_unlink(void)
{
	struct stat st;
	CHECK_EQ(mkdir("/tmp/d", 0755), 0);
	CHECK_EQ(stat("/tmp/d", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(mkdir("/tmp/d", 0755), EEXIST);
	CHECK_ERR(mkdir("/tmp", 0755), EEXIST);
	CHECK_ERR(mkdir("/tmp/nodir/x", 0755), ENOENT);
	CHECK_ERR(mkdir("/bin", 0755), EEXIST);
	CHECK_ERR(mkdir("/", 0755), EEXIST);
	CHECK_ERR(mkdir("/newdir", 0755), EROFS);
	CHECK_ERR(mkdir("/bin/newdir", 0755), EROFS);
	CHECK_ERR(open("/tmp/d", O_WRONLY), EISDIR);
	CHECK_ERR(open("/tmp/d", O_RDWR | O_CREAT, 0644), EISDIR);
	int fd = open("/tmp/d", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_ERR(read(fd, &st, 1), EISDIR);
	CHECK_EQ(close(fd), 0);
	put_file("/tmp/f", "file");
	CHECK_ERR(mkdir("/tmp/f", 0755), EEXIST);
	CHECK_EQ(mkdir("/tmp/d/e", 0755), 0);
	put_file("/tmp/d/e/g", "deep");
	CHECK_STR(get_file("/tmp/d/e/g"), "deep");

	/* rmdir: ENOTEMPTY, ENOTDIR, ENOENT, EROFS; unlink: EISDIR, ENOENT, EROFS. */
	CHECK_ERR(rmdir("/tmp/d"), ENOTEMPTY);
	CHECK_ERR(rmdir("/tmp/d/e"), ENOTEMPTY);
	CHECK_ERR(rmdir("/tmp/f"), ENOTDIR);
	CHECK_ERR(rmdir("/tmp/d/e/g"), ENOTDIR);
	CHECK_ERR(rmdir("/tmp/none"), ENOENT);
	CHECK_ERR(rmdir("/bin"), EROFS);
	CHECK_ERR(rmdir("/nosuch"), ENOENT);
	CHECK_ERR(unlink("/tmp/d"), EISDIR);
	CHECK_ERR(unlink("/tmp"), EISDIR);
	CHECK_ERR(unlink("/tmp/none"), ENOENT);
	CHECK_ERR(unlink("/bin/hello"), EROFS);
	CHECK_ERR(unlink("/nosuch"), ENOENT);
	CHECK_EQ(stat("/tmp/d/e/g", &st), 0); /* the failures changed nothing */
	CHECK_EQ(unlink("/tmp/d/e/g"), 0);
	CHECK_ERR(stat("/tmp/d/e/g", &st), ENOENT);
	CHECK_ERR(unlink("/tmp/d/e/g"), ENOENT);
	CHECK_EQ(rmdir("/tmp/d/e"), 0);
	CHECK_EQ(rmdir("/tmp/d"), 0);
	CHECK_ERR(stat("/tmp/d", &st), ENOENT);
	CHECK_ERR(rmdir("/tmp/d"), ENOENT);
	/* A removed name can be made again, of the other kind. */
	put_file("/tmp/d", "now a file");
	CHECK_STR(get_file("/tmp/d"), "now a file");
	CHECK_EQ(unlink("/tmp/d"), 0);
	CHECK_EQ(unlink("/tmp/f"), 0);
	CHECK_STR(dir_names("/tmp"), "");
	printf("files: mkdir, rmdir, unlink ok\n");
}

static void test_rename(void)
{
	struct stat st;
	/* A file to a new name. */
	put_file("/tmp/r1", "one");
	CHECK_EQ(rename("/tmp/r1", "/tmp/r2"), 0);
	CHECK_ERR(stat("/tmp/r1", &st), ENOENT);
	CHECK_STR(get_file("/tmp/r2"), "one");
	/* Onto an existing file: it is replaced. */
	put_file("/tmp/r3", "three");
	CHECK_EQ(rename("/tmp/r3", "/tmp/r2"), 0);
	CHECK_STR(get_file("/tmp/r2"), "three");
	CHECK_ERR(stat("/tmp/r3", &st), ENOENT);
	CHECK_STR(dir_names("/tmp"), "r2");
	/* Onto itself: nothing changes. */
	CHECK_EQ(rename("/tmp/r2", "/tmp/r2"), 0);
	CHECK_STR(get_file("/tmp/r2"), "three");
	/* A directory with contents, two levels deep. */
	CHECK_EQ(mkdir("/tmp/rd", 0755), 0);
	CHECK_EQ(mkdir("/tmp/rd/sub", 0755), 0);
	put_file("/tmp/rd/a", "A");
	put_file("/tmp/rd/sub/b", "B");
	CHECK_EQ(rename("/tmp/rd", "/tmp/rd2"), 0);
	CHECK_ERR(stat("/tmp/rd", &st), ENOENT);
	CHECK_ERR(stat("/tmp/rd/a", &st), ENOENT);
	CHECK_STR(get_file("/tmp/rd2/a"), "A");
	CHECK_STR(get_file("/tmp/rd2/sub/b"), "B");
	CHECK_STR(dir_names("/tmp/rd2"), "a,sub");
	CHECK_STR(dir_names("/tmp/rd2/sub"), "b");
	CHECK_STR(dir_names("/tmp"), "r2,rd2");
	/* A name that merely starts with the directory's name is not moved along. */
	put_file("/tmp/rd2x", "X");
	CHECK_EQ(rename("/tmp/rd2", "/tmp/rd3"), 0);
	CHECK_STR(get_file("/tmp/rd2x"), "X");
	CHECK_STR(get_file("/tmp/rd3/sub/b"), "B");
	/* A file into a directory, by its full new name. */
	CHECK_EQ(rename("/tmp/rd2x", "/tmp/rd3/sub/x"), 0);
	CHECK_STR(dir_names("/tmp/rd3/sub"), "b,x");
	/* Errors. */
	CHECK_ERR(rename("/tmp/none", "/tmp/x"), ENOENT);
	CHECK_ERR(rename("/bin/hello", "/tmp/x"), EROFS);
	CHECK_ERR(rename("/tmp/r2", "/bin/hello"), EROFS);
	CHECK_ERR(rename("/tmp/rd3", "/tmp/rd3/sub/inside"), EINVAL);
	CHECK_ERR(rename("/tmp/rd3", "/tmp/r2"), ENOTDIR); /* a directory onto a file */
	CHECK_ERR(rename("/tmp/r2", "/tmp/rd3"), EISDIR); /* a file onto a directory */
	CHECK_STR(get_file("/tmp/r2"), "three");           /* the failures changed nothing */
	CHECK_STR(dir_names("/tmp/rd3"), "a,sub");
	/* An empty directory onto an empty directory replaces it. */
	CHECK_EQ(mkdir("/tmp/e1", 0755), 0);
	CHECK_EQ(mkdir("/tmp/e2", 0755), 0);
	CHECK_EQ(rename("/tmp/e1", "/tmp/e2"), 0);
	CHECK_ERR(stat("/tmp/e1", &st), ENOENT);
	CHECK_EQ(stat("/tmp/e2", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(rmdir("/tmp/e2"), 0);
	CHECK_EQ(unlink("/tmp/r2"), 0);
	rm_tree("/tmp/rd3");
	CHECK_EQ(rmdir("/tmp/rd3"), 0);
	CHECK_STR(dir_names("/tmp"), "");
	printf("files: rename ok\n");
}

static void test_cwd(void)
{
	char buf[128];
	struct stat st;
	CHECK_STR(getcwd(buf, sizeof buf), "/");
	CHECK_EQ(chdir("/tmp"), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp");
	CHECK_EQ(mkdir("sub", 0755), 0); /* relative to the cwd */
	CHECK_EQ(stat("/tmp/sub", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(chdir("sub"), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp/sub");
	put_file("f", "relative");
	CHECK_STR(get_file("/tmp/sub/f"), "relative");
	CHECK_STR(get_file("./f"), "relative");
	CHECK_STR(get_file("../sub/./f"), "relative");
	CHECK_STR(get_file("..//sub///f"), "relative");
	CHECK_STR(get_file("/tmp/./sub/../sub/f"), "relative");
	CHECK_EQ(chdir(".."), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp");
	CHECK_EQ(chdir("./sub/.."), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp");
	CHECK_EQ(chdir("../bin"), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/bin");
	int fd = open("hello", O_RDONLY); /* relative in the initrd */
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	CHECK_ERR(open("hello", O_WRONLY), EROFS);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(chdir(".."), 0); /* /.. is / */
	CHECK_STR(getcwd(buf, sizeof buf), "/");
	CHECK_EQ(chdir("../../tmp/sub/"), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp/sub");
	/* Errors leave the cwd alone. */
	CHECK_ERR(chdir("/bin/hello"), ENOTDIR);
	CHECK_ERR(chdir("f"), ENOTDIR);
	CHECK_ERR(chdir("/nosuch"), ENOENT);
	CHECK_ERR(chdir("nosuch"), ENOENT);
	CHECK_ERR(chdir(""), ENOENT);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp/sub");
	errno = 0;
	CHECK(getcwd(buf, 5) == NULL); /* "/tmp/sub" needs 9 bytes */
	CHECK_EQ(errno, ERANGE);
	CHECK(getcwd(buf, 9) != NULL);
	errno = 0;
	CHECK(getcwd(buf, 0) == NULL);
	CHECK_EQ(errno, EINVAL);
	/* The cwd is inherited by a child, and the child's chdir is its own. */
	pid_t c = fork();
	if (c == 0) {
		char b[128];
		int ok = getcwd(b, sizeof b) && !strcmp(b, "/tmp/sub");
		ok &= chdir("/bin") == 0;
		_exit(ok ? 0 : 1);
	}
	CHECK_EQ(wait_status(c), 0);
	CHECK_STR(getcwd(buf, sizeof buf), "/tmp/sub");
	CHECK_EQ(unlink("f"), 0);
	CHECK_EQ(chdir("/"), 0);
	CHECK_EQ(rmdir("/tmp/sub"), 0);
	printf("files: getcwd and chdir ok\n");
}

static void test_readdir(void)
{
	/* The root of the initrd: exactly these. */
	CHECK_STR(dir_names("/"), "bin,etc,test,tmp");
	CHECK_EQ(dir_type("/", "bin"), DT_DIR);
	CHECK_EQ(dir_type("/", "tmp"), DT_DIR);
	CHECK_STR(dir_names("/test/data"), "elf386,notelf");
	CHECK_EQ(dir_type("/test/data", "notelf"), DT_REG);
	CHECK_STR(dir_names("/test/data/"), "elf386,notelf");
	/* /bin: every app is there once, each a regular file (the suite's shell test
	 * compares the count with the build). */
	const char *apps[] = { "cat", "cp", "echo", "exostat", "false", "grep", "head", "hello", "init",
			       "kill", "ls", "mkdir", "mv", "ps", "rm", "sh", "sleep", "true", "wc" };
	const char *bin = dir_names("/bin");
	CHECK(strcmp(bin, "(dup)") != 0 && strcmp(bin, "(error)") != 0);
	char list[4096];
	snprintf(list, sizeof list, ",%s,", bin);
	for (unsigned i = 0; i < sizeof apps / sizeof apps[0]; i++) {
		char want[64];
		snprintf(want, sizeof want, ",%s,", apps[i]);
		if (!strstr(list, want))
			printf("files: /bin lacks %s (has %s)\n", apps[i], bin);
		CHECK(strstr(list, want) != NULL);
		CHECK_EQ(dir_type("/bin", apps[i]), DT_REG);
	}
	/* /test has the test programs and data/. */
	snprintf(list, sizeof list, ",%s,", dir_names("/test"));
	CHECK(strstr(list, ",files,") && strstr(list, ",fdcheck,") && strstr(list, ",data,"));
	CHECK_EQ(dir_type("/test", "data"), DT_DIR);
	/* /tmp and a subdirectory: exactly what we made; deeper names stay deeper. */
	CHECK_STR(dir_names("/tmp"), "");
	put_file("/tmp/one", "1");
	put_file("/tmp/two", "2");
	CHECK_EQ(mkdir("/tmp/dir", 0755), 0);
	put_file("/tmp/dir/x", "x");
	CHECK_EQ(mkdir("/tmp/dir/sub", 0755), 0);
	put_file("/tmp/dir/sub/deep", "d");
	put_file("/tmp/dirx", "not in dir");
	CHECK_STR(dir_names("/tmp"), "dir,dirx,one,two");
	CHECK_STR(dir_names("/tmp/"), "dir,dirx,one,two");
	CHECK_STR(dir_names("/tmp/dir"), "sub,x");
	CHECK_STR(dir_names("/tmp/dir/sub"), "deep");
	CHECK_EQ(dir_type("/tmp", "dir"), DT_DIR);
	CHECK_EQ(dir_type("/tmp", "one"), DT_REG);
	CHECK_EQ(dir_type("/tmp/dir", "sub"), DT_DIR);
	CHECK_EQ(dir_type("/tmp/dir", "x"), DT_REG);
	CHECK_EQ(chdir("/tmp/dir"), 0);
	CHECK_STR(dir_names("."), "sub,x");
	CHECK_STR(dir_names(".."), "dir,dirx,one,two");
	CHECK_EQ(chdir("/"), 0);
	/* rewinddir starts again; a removed name is gone. */
	DIR *d = opendir("/tmp/dir");
	CHECK(d != NULL);
	int n1 = 0, n2 = 0;
	while (readdir(d))
		n1++;
	CHECK(readdir(d) == NULL); /* stays at the end */
	rewinddir(d);
	while (readdir(d))
		n2++;
	CHECK_EQ(n1, 2);
	CHECK_EQ(n2, 2);
	CHECK_EQ(closedir(d), 0);
	CHECK_EQ(unlink("/tmp/two"), 0);
	CHECK_STR(dir_names("/tmp"), "dir,dirx,one");
	rm_tree("/tmp");
	CHECK_STR(dir_names("/tmp"), "");
	printf("files: readdir ok\n");
}

/* --- descriptors: dup, dup2, fcntl, sharing through fork and exec ------------------ */

static void test_dup_fcntl(void)
{
	char buf[32];
	int fd = open("/tmp/dup", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ(fd, 3);
	/* dup: the lowest free descriptor, the same open file (one offset). */
	int d = dup(fd);
	CHECK_EQ(d, 4);
	CHECK_EQ(write(fd, "abc", 3), 3);
	CHECK_EQ(write(d, "def", 3), 3);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 6);
	CHECK_EQ(lseek(d, 1, SEEK_SET), 1);
	CHECK_EQ(read(fd, buf, 2), 2);
	CHECK(memcmp(buf, "bc", 2) == 0);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 3);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(read(d, buf, 10), 3); /* the dup still works after the original closes */
	CHECK(memcmp(buf, "def", 3) == 0);
	CHECK_EQ(dup(d), 3); /* 3 is free again: the lowest */
	CHECK_EQ(close(3), 0);
	CHECK_STR(get_file("/tmp/dup"), "abcdef");

	/* dup2 onto an open descriptor closes it first: here the only write end of a
	 * pipe, so its reader sees end of file. */
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(dup2(d, p[1]), p[1]);
	CHECK_EQ(read(p[0], buf, 1), 0); /* no writer left: EOF, no hang */
	CHECK_EQ(lseek(p[1], 0, SEEK_SET), 0); /* p[1] is now the file */
	CHECK_EQ(read(p[1], buf, 3), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 3); /* shared with d */
	CHECK_EQ(dup2(d, d), d);             /* onto itself: nothing happens */
	CHECK_EQ(read(d, buf, 3), 3);
	CHECK_EQ(close(p[0]), 0);
	CHECK_EQ(close(p[1]), 0);
	/* dup2 to a high unused descriptor. */
	CHECK_EQ(dup2(d, 63), 63);
	CHECK_EQ(lseek(63, 0, SEEK_SET), 0);
	CHECK_EQ(close(63), 0);

	/* Close-on-exec flag: off by default, F_SETFD sets and clears it, O_CLOEXEC
	 * sets it, dup and dup2 do not copy it, F_DUPFD_CLOEXEC sets it. */
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	CHECK_EQ(fcntl(d, F_GETFD), FD_CLOEXEC);
	int d2 = dup(d);
	CHECK_EQ(fcntl(d2, F_GETFD), 0);
	CHECK_EQ(dup2(d, d2), d2);
	CHECK_EQ(fcntl(d2, F_GETFD), 0);
	CHECK_EQ(fcntl(d, F_SETFD, 0), 0);
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_EQ(close(d2), 0);
	int c = open("/tmp/dup", O_RDONLY | O_CLOEXEC);
	CHECK(c >= 0);
	CHECK_EQ(fcntl(c, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(close(c), 0);
	/* A closed-and-reused descriptor does not keep the old flag. */
	int keep = open("/tmp/dup", O_RDONLY);
	CHECK_EQ(keep, 3);
	CHECK_EQ(fcntl(d, F_SETFD, FD_CLOEXEC), 0);
	int dn = d;
	CHECK_EQ(close(d), 0);
	d = open("/tmp/dup", O_RDWR);
	CHECK_EQ(d, dn);
	CHECK_EQ(fcntl(d, F_GETFD), 0);
	CHECK_EQ(close(keep), 0);

	/* F_DUPFD: the lowest free descriptor >= arg. */
	CHECK_EQ(fcntl(d, F_DUPFD, 10), 10);
	CHECK_EQ(fcntl(d, F_DUPFD, 10), 11);
	CHECK_EQ(fcntl(d, F_DUPFD, 0), 3);
	CHECK_EQ(fcntl(10, F_GETFD), 0);
	CHECK_EQ(close(10), 0);
	CHECK_EQ(fcntl(d, F_DUPFD, 9), 9);
	CHECK_EQ(fcntl(d, F_DUPFD_CLOEXEC, 20), 20);
	CHECK_EQ(fcntl(20, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(lseek(20, 2, SEEK_SET), 2);
	CHECK_EQ(lseek(d, 0, SEEK_CUR), 2); /* the same open file */
	CHECK_EQ(fcntl(d, F_DUPFD, 63), 63);
	CHECK_ERR(fcntl(d, F_DUPFD, 63), EMFILE);
	CHECK_ERR(fcntl(d, F_DUPFD, 64), EINVAL);
	CHECK_ERR(fcntl(d, F_DUPFD, -1), EINVAL);
	int extra[] = { 3, 9, 11, 20, 63 };
	for (unsigned i = 0; i < 5; i++)
		CHECK_EQ(close(extra[i]), 0);

	/* F_GETFL / F_SETFL: the access mode stays, O_APPEND can be turned on and off. */
	CHECK_EQ(fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	CHECK_EQ(fcntl(d, F_SETFL, O_APPEND), 0);
	CHECK_EQ(fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR | O_APPEND);
	CHECK_EQ(lseek(d, 0, SEEK_SET), 0);
	CHECK_EQ(write(d, "ghi", 3), 3);
	CHECK_STR(get_file("/tmp/dup"), "abcdefghi");
	CHECK_EQ(fcntl(d, F_SETFL, 0), 0);
	CHECK_EQ(fcntl(d, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR);
	CHECK_EQ(lseek(d, 0, SEEK_SET), 0);
	CHECK_EQ(write(d, "A", 1), 1);
	CHECK_STR(get_file("/tmp/dup"), "Abcdefghi");
	/* F_SETFL cannot change the access mode. */
	CHECK_EQ(fcntl(d, F_SETFL, O_WRONLY), 0);
	CHECK_EQ(fcntl(d, F_GETFL) & O_ACCMODE, O_RDWR);
	CHECK_EQ(close(d), 0);

	/* EMFILE: 64 descriptors per process. */
	int fds[64], n = 0;
	for (;;) {
		int f = open("/bin/hello", O_RDONLY);
		if (f < 0) {
			CHECK_EQ(errno, EMFILE);
			break;
		}
		CHECK(n < 64);
		fds[n++] = f;
	}
	CHECK_EQ(n, 61); /* 64 minus stdin, stdout, stderr */
	CHECK_ERR(dup(0), EMFILE);
	CHECK_ERR(pipe(p), EMFILE);
	for (int i = 0; i < n; i++)
		CHECK_EQ(close(fds[i]), 0);
	/* No leaks in the shared open-file table (512 entries) or the pipe table (64). */
	for (int i = 0; i < 2000; i++) {
		int f = open(i & 1 ? "/tmp/dup" : "/bin/hello", O_RDONLY);
		if (f < 0)
			printf("files: open number %d failed: %s\n", i, strerror(errno));
		CHECK(f >= 0);
		CHECK_EQ(close(f), 0);
	}
	for (int i = 0; i < 300; i++) {
		if (pipe(p) < 0)
			printf("files: pipe number %d failed: %s\n", i, strerror(errno));
		CHECK(p[0] >= 0);
		CHECK_EQ(close(p[0]), 0);
		CHECK_EQ(close(p[1]), 0);
	}
	CHECK_EQ(unlink("/tmp/dup"), 0);
	printf("files: dup, dup2, fcntl ok\n");
}

/* A pipe-based turn: wait for one byte on fd. */
static void wait_turn(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(90);
}

static void give_turn(int fd)
{
	if (write(fd, "t", 1) != 1)
		_exit(91);
}

static void test_fork_sharing(void)
{
	/* Parent and child write alternately through the same open file: the offset is
	 * shared, so the writes follow each other in order. */
	int fd = open("/tmp/shared", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	int to_child[2], to_parent[2];
	CHECK_EQ(pipe(to_child), 0);
	CHECK_EQ(pipe(to_parent), 0);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		char rec[8];
		for (int i = 0; i < 20; i++) {
			wait_turn(to_child[0]);
			snprintf(rec, sizeof rec, "C%02d", i);
			if (write(fd, rec, 3) != 3)
				_exit(2);
			give_turn(to_parent[1]);
		}
		_exit(0);
	}
	char rec[8];
	for (int i = 0; i < 20; i++) {
		snprintf(rec, sizeof rec, "P%02d", i);
		CHECK_EQ(write(fd, rec, 3), 3);
		give_turn(to_child[1]);
		wait_turn(to_parent[0]);
	}
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 120); /* the child's writes moved our offset */
	CHECK_EQ(close(fd), 0);
	char want[200] = "";
	for (int i = 0; i < 20; i++)
		snprintf(want + strlen(want), sizeof want - strlen(want), "P%02dC%02d", i, i);
	CHECK_STR(get_file("/tmp/shared"), want);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(close(to_child[i]), 0);
		CHECK_EQ(close(to_parent[i]), 0);
	}

	/* A child's lseek moves the parent's offset too. */
	fd = open("/tmp/shared", O_RDONLY);
	c = fork();
	if (c == 0)
		_exit(lseek(fd, 33, SEEK_SET) == 33 ? 0 : 1);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 33);
	/* The child's close does not close ours. */
	c = fork();
	if (c == 0)
		_exit(close(fd) == 0 ? 0 : 1);
	CHECK_EQ(wait_status(c), 0);
	char buf[4];
	CHECK_EQ(read(fd, buf, 3), 3);
	CHECK(memcmp(buf, "C05", 3) == 0);
	CHECK_EQ(close(fd), 0);

	/* A file written in /tmp by a child, read by the parent. */
	c = fork();
	if (c == 0) {
		char text[64];
		snprintf(text, sizeof text, "written by pid %d\n", getpid());
		int f = open("/tmp/bychild", O_WRONLY | O_CREAT | O_EXCL, 0644);
		_exit(f >= 0 && write(f, text, strlen(text)) == (ssize_t)strlen(text) && close(f) == 0 ? 0 : 1);
	}
	CHECK_EQ(wait_status(c), 0);
	char want2[64];
	snprintf(want2, sizeof want2, "written by pid %d\n", c);
	CHECK_STR(get_file("/tmp/bychild"), want2);
	/* And the other way round: the parent writes, a running child sees it. */
	int go[2];
	CHECK_EQ(pipe(go), 0);
	c = fork();
	if (c == 0) {
		close(go[1]);
		wait_turn(go[0]);
		const char *s = get_file("/tmp/byparent");
		_exit(strcmp(s, "late news") == 0 ? 0 : 1);
	}
	CHECK_EQ(close(go[0]), 0);
	put_file("/tmp/byparent", "late news");
	give_turn(go[1]);
	CHECK_EQ(close(go[1]), 0);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(unlink("/tmp/shared"), 0);
	CHECK_EQ(unlink("/tmp/bychild"), 0);
	CHECK_EQ(unlink("/tmp/byparent"), 0);
	printf("files: sharing across fork ok\n");
}

/* Fork and exec argv with stdin/stdout redirected to the files in/out (NULL: keep). */
static int run(const char *in, const char *out, char *const argv[])
{
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		int fd;
		if (in && ((fd = open(in, O_RDONLY)) < 0 || dup2(fd, 0) != 0 || close(fd) != 0))
			_exit(81);
		if (out && ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 || dup2(fd, 1) != 1 ||
			    close(fd) != 0))
			_exit(82);
		execv(argv[0], argv);
		_exit(83);
	}
	return wait_status(c);
}

static void test_exec_sharing(void)
{
	/* A file written here and read by another program after exec. */
	put_file("/tmp/x", "exec data\nline two\n");
	char *cat[] = { "/bin/cat", "/tmp/x", NULL };
	CHECK_EQ(run(NULL, "/tmp/y", cat), 0);
	CHECK_STR(get_file("/tmp/y"), "exec data\nline two\n");
	/* Through the shell, with its redirections. */
	char *sh[] = { "/bin/sh", "-c", "cat /tmp/x > /tmp/z; wc -l < /tmp/x >> /tmp/z", NULL };
	CHECK_EQ(run(NULL, NULL, sh), 0);
	CHECK_STR(get_file("/tmp/z"), "exec data\nline two\n2\n");
	/* stdin from a file. */
	char *wc[] = { "/bin/wc", "-c", NULL };
	CHECK_EQ(run("/tmp/x", "/tmp/w", wc), 0);
	CHECK_STR(get_file("/tmp/w"), "19\n");
	/* An exec'd program writes a file that we read. */
	char *sh2[] = { "/bin/sh", "-c", "echo from a grandchild > /tmp/gc", NULL };
	CHECK_EQ(run(NULL, NULL, sh2), 0);
	CHECK_STR(get_file("/tmp/gc"), "from a grandchild\n");

	/* Descriptors and their offsets survive exec: fdcheck reads on from where we
	 * stopped and writes where we will continue. */
	int fd = open("/tmp/x", O_RDONLY);
	char buf[8];
	CHECK_EQ(read(fd, buf, 5), 5);
	int wfd = open("/tmp/v", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ(write(wfd, "one ", 4), 4);
	char fdn[8], wfdn[8];
	snprintf(fdn, sizeof fdn, "%d", fd);
	snprintf(wfdn, sizeof wfdn, "%d", wfd);
	char *chk[] = { "/test/fdcheck", "read", fdn, "data\n", "write", wfdn, "two ", "open", fdn, NULL };
	CHECK_EQ(run(NULL, NULL, chk), 0);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);
	CHECK_EQ(write(wfd, "three", 5), 5);
	CHECK_STR(get_file("/tmp/v"), "one two three");
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(close(wfd), 0);

	/* Close-on-exec: the marked descriptors are closed in the new program, the
	 * others stay open; ours are untouched. */
	int a = open("/tmp/x", O_RDONLY);                 /* stays */
	int b = open("/tmp/x", O_RDONLY);                 /* F_SETFD FD_CLOEXEC */
	int cfd = open("/tmp/x", O_RDONLY | O_CLOEXEC);   /* O_CLOEXEC */
	int dd = dup(b);                                  /* a dup does not inherit the flag */
	int e = fcntl(a, F_DUPFD_CLOEXEC, 30);            /* F_DUPFD_CLOEXEC */
	CHECK(a >= 0 && b >= 0 && cfd >= 0 && dd >= 0 && e == 30);
	CHECK_EQ(fcntl(b, F_SETFD, FD_CLOEXEC), 0);
	char an[8], bn[8], cn[8], dn[8], en[8];
	snprintf(an, 8, "%d", a), snprintf(bn, 8, "%d", b), snprintf(cn, 8, "%d", cfd);
	snprintf(dn, 8, "%d", dd), snprintf(en, 8, "%d", e);
	char *chk2[] = { "/test/fdcheck", "open", an, "closed", bn, "closed", cn, "open", dn, "closed", en,
			 "read", dn, "exec", "open", "0", "open", "1", "open", "2", "closed", "40", NULL };
	CHECK_EQ(run(NULL, NULL, chk2), 0);
	/* fdcheck must be able to say no: a descriptor we know is open, claimed closed. */
	char *chk3[] = { "/test/fdcheck", "closed", an, NULL };
	CHECK_EQ(run(NULL, NULL, chk3), 11);
	CHECK_EQ(fcntl(b, F_GETFD), FD_CLOEXEC);
	CHECK_EQ(fcntl(cfd, F_GETFD), FD_CLOEXEC);
	CHECK(fcntl(e, F_GETFD) == FD_CLOEXEC);
	int all[] = { a, b, cfd, dd, e };
	for (int i = 0; i < 5; i++)
		CHECK_EQ(close(all[i]), 0);
	/* The flag does not survive into the exec'd program either: a descriptor
	 * that was not marked is not marked there. */
	int g = open("/tmp/x", O_RDONLY);
	char gn[8];
	snprintf(gn, 8, "%d", g);
	char *chk4[] = { "/test/fdcheck", "open", gn, "cloexec", gn, NULL };
	CHECK_EQ(run(NULL, NULL, chk4), 12); /* "cloexec" must fail */
	CHECK_EQ(close(g), 0);

	/* The working directory and the environment survive exec. */
	CHECK_EQ(mkdir("/tmp/wd", 0755), 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		if (chdir("/tmp/wd") < 0)
			_exit(80);
		setenv("FILESTEST", "yes it is", 1);
		execl("/test/fdcheck", "fdcheck", "cwd", "/tmp/wd", "env", "FILESTEST", "yes it is", "env",
		      "NOTSET", "-", (char *)NULL);
		_exit(83);
	}
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(rmdir("/tmp/wd"), 0);
	const char *tmpf[] = { "/tmp/x", "/tmp/y", "/tmp/z", "/tmp/w", "/tmp/gc", "/tmp/v" };
	for (unsigned i = 0; i < sizeof tmpf / sizeof tmpf[0]; i++)
		CHECK_EQ(unlink(tmpf[i]), 0);
	printf("files: sharing across exec and close-on-exec ok\n");
}

/* --- pipes ------------------------------------------------------------------------ */

static int p_fds[2];

static int child_write_late(long ms)
{
	close(p_fds[0]);
	usleep((useconds_t)ms * 1000);
	return write(p_fds[1], "late", 4) == 4 ? 0 : 1;
}

/* Records "%06d\n" for 0..n-1, one write each. */
static int child_small_writes(long n)
{
	close(p_fds[0]);
	char rec[32];
	for (long i = 0; i < n; i++) {
		snprintf(rec, sizeof rec, "%06ld\n", (long)(i % 1000000));
		if (write(p_fds[1], rec, 7) != 7)
			return 1;
	}
	return 0;
}

static unsigned char big_pattern(size_t i)
{
	return (unsigned char)(i * 131 + i / 4096);
}

/* One write of n bytes; exit 0 if write returned n. */
static int child_big_write(long n)
{
	close(p_fds[0]);
	unsigned char *b = malloc((size_t)n);
	if (!b)
		return 2;
	for (long i = 0; i < n; i++)
		b[i] = big_pattern((size_t)i);
	return write(p_fds[1], b, (size_t)n) == n ? 0 : 1;
}

static void sigpipe_handler(int sig)
{
	(void)sig;
	static const char msg[] = "files: SIGPIPE handler ran\n";
	write(1, msg, sizeof msg - 1);
}

/* Write to a pipe without readers: mode 0 default (killed by SIGPIPE), 1 ignored
 * (EPIPE), 2 caught by a handler (EPIPE after it ran). */
static int child_epipe(long mode)
{
	close(p_fds[0]);
	if (mode == 1)
		signal(SIGPIPE, SIG_IGN);
	if (mode == 2)
		signal(SIGPIPE, sigpipe_handler);
	errno = 0;
	ssize_t r = write(p_fds[1], "x", 1);
	return r == -1 && errno == EPIPE ? 0 : 1;
}

/* Write 64 KiB while the reader reads a little and then closes. SIGPIPE ignored:
 * the first write returns short (or fails with EPIPE), the next fails with EPIPE. */
static int child_writer_reader_leaves(long n)
{
	close(p_fds[0]);
	signal(SIGPIPE, SIG_IGN);
	static char b[65536];
	memset(b, 'w', sizeof b);
	ssize_t r = write(p_fds[1], b, (size_t)n);
	if (!((r > 0 && r < n) || (r == -1 && errno == EPIPE)))
		return 1;
	errno = 0;
	r = write(p_fds[1], b, 10);
	return r == -1 && errno == EPIPE ? 0 : 2;
}

static void test_pipes(void)
{
	int p[2];
	char buf[64];
	struct stat st;
	CHECK_EQ(pipe(p), 0);
	CHECK(p[0] >= 3 && p[1] >= 3 && p[0] != p[1]);
	CHECK_EQ(write(p[1], "hello", 5), 5);
	CHECK_EQ(read(p[0], buf, 64), 5); /* what is there, not the 64 asked for */
	CHECK(memcmp(buf, "hello", 5) == 0);
	CHECK_EQ(fstat(p[0], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_EQ(fstat(p[1], &st), 0);
	CHECK(S_ISFIFO(st.st_mode));
	CHECK_ERR(lseek(p[0], 0, SEEK_SET), ESPIPE);
	CHECK_ERR(lseek(p[1], 0, SEEK_CUR), ESPIPE);
	CHECK_ERR(read(p[1], buf, 1), EBADF);
	CHECK_ERR(write(p[0], "x", 1), EBADF);
	CHECK_EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
	CHECK_EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
	errno = 0;
	CHECK_EQ(isatty(p[0]), 0);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(read(p[0], buf, 0), 0);
	/* Writes are read in order, across separate writes. */
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(write(p[1], "cd", 2), 2);
	CHECK_EQ(read(p[0], buf, 3), 3);
	CHECK(memcmp(buf, "abc", 3) == 0);
	CHECK_EQ(read(p[0], buf, 3), 1);
	CHECK_EQ(buf[0], 'd');
	/* EOF once every write end is closed: a dup keeps it open. */
	int w2 = dup(p[1]);
	CHECK_EQ(close(p[1]), 0);
	CHECK_EQ(write(w2, "z", 1), 1);
	CHECK_EQ(read(p[0], buf, 8), 1);
	CHECK_EQ(close(w2), 0);
	CHECK_EQ(read(p[0], buf, 8), 0);
	CHECK_EQ(read(p[0], buf, 8), 0);
	CHECK_EQ(close(p[0]), 0);
	/* A full pipe takes exactly 8 KiB without a reader. */
	CHECK_EQ(pipe(p), 0);
	static char fill[8192];
	memset(fill, 'f', sizeof fill);
	CHECK_EQ(write(p[1], fill, sizeof fill), 8192);
	CHECK_EQ(read(p[0], buf, 64), 64);
	CHECK_EQ(write(p[1], fill, 64), 64); /* room again */
	CHECK_EQ(close(p[1]), 0);
	size_t total = 0;
	ssize_t r;
	while ((r = read(p[0], fill, sizeof fill)) > 0)
		total += (size_t)r;
	CHECK_EQ(total, 8192);
	CHECK_EQ(close(p[0]), 0);
	printf("files: pipe basics ok\n");

	/* EOF when the writers are in other processes and all exit: 4 children each
	 * write a line; the reader sees all four and then EOF. */
	CHECK_EQ(pipe(p_fds), 0);
	pid_t kids[4];
	for (int i = 0; i < 4; i++)
		kids[i] = check_spawn(child_write_late, 10 * i);
	CHECK_EQ(close(p_fds[1]), 0);
	total = read_full(p_fds[0], buf, sizeof buf);
	if (total != 16)
		printf("files: 4 writers gave %d bytes: [%.*s]\n", (int)total, (int)total, buf);
	CHECK_EQ(total, 16);
	CHECK(memcmp(buf, "latelatelatelate", 16) == 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(wait_status(kids[i]), 0);
	CHECK_EQ(close(p_fds[0]), 0);

	/* An exec'd writer: echo's output through the pipe, then EOF. */
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		dup2(p[1], 1);
		close(p[0]), close(p[1]);
		execl("/bin/echo", "echo", "through", "a pipe", (char *)NULL);
		_exit(83);
	}
	CHECK_EQ(close(p[1]), 0);
	total = read_full(p[0], buf, sizeof buf);
	CHECK_EQ(total, 15);
	CHECK(memcmp(buf, "through a pipe\n", 15) == 0);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(close(p[0]), 0);

	/* A blocked reader wakes when the writer writes, 50 ms later. */
	CHECK_EQ(pipe(p_fds), 0);
	long t0 = now_ms();
	c = check_spawn(child_write_late, 50);
	CHECK_EQ(close(p_fds[1]), 0);
	CHECK_EQ(read(p_fds[0], buf, 64), 4);
	long waited = now_ms() - t0;
	CHECK(memcmp(buf, "late", 4) == 0);
	CHECK(waited >= 40);
	CHECK(waited < 2000);
	CHECK_EQ(read(p_fds[0], buf, 64), 0);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(close(p_fds[0]), 0);

	/* A blocked writer (pipe full) wakes when the reader drains it. */
	CHECK_EQ(pipe(p_fds), 0);
	memset(fill, 'g', sizeof fill);
	CHECK_EQ(write(p_fds[1], fill, sizeof fill), 8192);
	c = check_spawn(child_write_late, 0); /* blocks: the pipe is full */
	usleep(50000);
	CHECK_EQ(waitpid(c, NULL, WNOHANG), 0); /* still blocked */
	CHECK_EQ(read_full(p_fds[0], fill, 8192), 8192);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(close(p_fds[1]), 0);
	CHECK_EQ(read_full(p_fds[0], buf, 64), 4);
	CHECK(memcmp(buf, "late", 4) == 0);
	CHECK_EQ(close(p_fds[0]), 0);

	/* Order across many small writes, read in odd sizes. */
	CHECK_EQ(pipe(p_fds), 0);
	c = check_spawn(child_small_writes, 20000);
	CHECK_EQ(close(p_fds[1]), 0);
	static char recs[20000 * 7 + 100];
	size_t got = 0;
	for (int k = 0; (r = read(p_fds[0], recs + got, (size_t)(k % 3 == 0 ? 13 : k % 3 == 1 ? 1000 : 5))) > 0; k++)
		got += (size_t)r;
	CHECK_EQ(got, 20000 * 7);
	int bad = -1;
	for (int i = 0; i < 20000 && bad < 0; i++) {
		char rec[16];
		snprintf(rec, sizeof rec, "%06d\n", i);
		if (memcmp(recs + i * 7, rec, 7) != 0)
			bad = i;
	}
	CHECK_EQ(bad, -1);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(close(p_fds[0]), 0);

	/* One write much bigger than the 8 KiB buffer completes as the reader drains. */
	CHECK_EQ(pipe(p_fds), 0);
	c = check_spawn(child_big_write, 300000);
	CHECK_EQ(close(p_fds[1]), 0);
	static unsigned char bigbuf[300001];
	got = 0;
	while ((r = read(p_fds[0], bigbuf + got, sizeof bigbuf - got)) > 0)
		got += (size_t)r;
	CHECK_EQ(got, 300000);
	bad = -1;
	for (size_t i = 0; i < got && bad < 0; i++)
		if (bigbuf[i] != big_pattern(i))
			bad = (int)i;
	CHECK_EQ(bad, -1);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(close(p_fds[0]), 0);
	printf("files: pipe blocking, order, big writes ok\n");

	/* No reader: SIGPIPE ends the writer by default; ignored, write fails with
	 * EPIPE; with a handler, the handler runs and write fails with EPIPE. */
	CHECK_EQ(pipe(p_fds), 0);
	CHECK_EQ(close(p_fds[0]), 0);
	c = check_spawn(child_epipe, 0);
	CHECK_EQ(wait_status(c), 1000 + SIGPIPE);
	c = check_spawn(child_epipe, 1);
	CHECK_EQ(wait_status(c), 0);
	c = check_spawn(child_epipe, 2);
	CHECK_EQ(wait_status(c), 0);
	/* And here, in pid 1, with SIGPIPE ignored. */
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR(write(p_fds[1], "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	CHECK_EQ(close(p_fds[1]), 0);
	/* The reader goes away while the writer is blocked on a full pipe. */
	CHECK_EQ(pipe(p_fds), 0);
	c = check_spawn(child_writer_reader_leaves, 65536);
	CHECK_EQ(close(p_fds[1]), 0);
	CHECK_EQ(read_full(p_fds[0], buf, 64), 64);
	usleep(20000);
	CHECK_EQ(close(p_fds[0]), 0);
	CHECK_EQ(wait_status(c), 0);
	printf("files: EPIPE and SIGPIPE ok\n");
}

/* --- a full /tmp ------------------------------------------------------------------ */

#define FILL_FILE (4L << 20) /* fill_tmp's files */
#define TMP_FILE_MAX (1L << 42)    /* the largest /tmp file (libos/fs.h TMP_FILE_MAX) */

/* Fill /tmp with files of FILL_FILE bytes until a write fails with ENOSPC (the
 * memory /tmp may take is gone). Returns the bytes written; *nfiles gets the
 * number of files. */
static long fill_tmp(int *nfiles)
{
	static char chunk[65536];
	memset(chunk, 'F', sizeof chunk);
	long total = 0;
	for (int i = 0;; i++) {
		char path[32];
		snprintf(path, sizeof path, "/tmp/fill%03d", i);
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		CHECK(fd >= 0);
		*nfiles = i + 1;
		long size = 0;
		while (size < FILL_FILE) {
			ssize_t w = write(fd, chunk, sizeof chunk);
			if (w > 0) {
				size += w, total += w;
				continue;
			}
			CHECK_EQ(w, -1);
			CHECK_EQ(errno, ENOSPC);
			CHECK_EQ(close(fd), 0);
			CHECK_EQ(size_of(path), size);
			return total;
		}
		CHECK_EQ(close(fd), 0);
		CHECK_EQ(size_of(path), FILL_FILE);
		CHECK(i < 1000);
	}
}

static void unfill_tmp(int nfiles)
{
	for (int i = 0; i < nfiles; i++) {
		char path[32];
		snprintf(path, sizeof path, "/tmp/fill%03d", i);
		CHECK_EQ(unlink(path), 0);
	}
}

static void test_space(void)
{
	/* EFBIG: at 4 TiB, whatever the offset (a sparse file: it holds two blocks). */
	int fd = open("/tmp/efbig", O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(lseek(fd, TMP_FILE_MAX - 1, SEEK_SET), TMP_FILE_MAX - 1);
	CHECK_EQ(write(fd, "z", 1), 1);
	CHECK_EQ(size_of("/tmp/efbig"), TMP_FILE_MAX);
	CHECK_ERR(write(fd, "z", 1), EFBIG);
	CHECK_EQ(lseek(fd, 5 * TMP_FILE_MAX, SEEK_SET), 5 * TMP_FILE_MAX);
	CHECK_ERR(write(fd, "z", 1), EFBIG);
	CHECK_EQ(size_of("/tmp/efbig"), TMP_FILE_MAX);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/efbig"), 0);

	/* ENOSPC: /tmp and the pipes take memory until FS_RESERVE frames are left. */
	int n0, n1;
	long total0 = fill_tmp(&n0);
	printf("files: /tmp full after %ld bytes in %d files\n", total0, n0);
	CHECK(total0 >= FILL_FILE);     /* at least one whole file */
	CHECK_EQ(total0 % 4096, 0);     /* whole blocks */
	/* Full: a new file can be made but not written; pipes (which need blocks)
	 * fail with ENOSPC too; reading still works. */
	fd = open("/tmp/more", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_ERR(write(fd, "x", 1), ENOSPC);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(size_of("/tmp/more"), 0);
	CHECK_EQ(unlink("/tmp/more"), 0);
	int p[2];
	CHECK_ERR(pipe(p), ENOSPC);
	char c;
	fd = open("/tmp/fill000", O_RDONLY);
	CHECK_EQ(read(fd, &c, 1), 1);
	CHECK_EQ(c, 'F');
	CHECK_EQ(close(fd), 0);
	/* Clean up: the space is all back. */
	unfill_tmp(n0);
	CHECK_STR(dir_names("/tmp"), "");
	long total1 = fill_tmp(&n1);
	CHECK_EQ(total1, total0);
	CHECK_EQ(n1, n0);
	unfill_tmp(n1);
	/* O_TRUNC gives blocks back too: as many as the file held. */
	total0 = fill_tmp(&n0);
	fd = open("/tmp/fill000", O_WRONLY | O_TRUNC);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	fd = open("/tmp/after-trunc", O_WRONLY | O_CREAT, 0644);
	static char chunk[65536];
	long again = 0;
	ssize_t w;
	while ((w = write(fd, chunk, sizeof chunk)) > 0)
		again += w;
	CHECK_EQ(again, FILL_FILE);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/after-trunc"), 0);
	unfill_tmp(n0);

	/* Inodes: 128 names in /tmp. */
	int made = 0;
	for (;; made++) {
		char path[32];
		snprintf(path, sizeof path, "/tmp/i%03d", made);
		fd = open(path, O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			CHECK_EQ(errno, ENOSPC);
			break;
		}
		CHECK_EQ(close(fd), 0);
		CHECK(made < 1000);
	}
	CHECK_EQ(made, 128);
	CHECK_ERR(mkdir("/tmp/onemore", 0755), ENOSPC);
	for (int i = 0; i < made; i++) {
		char path[32];
		snprintf(path, sizeof path, "/tmp/i%03d", i);
		CHECK_EQ(unlink(path), 0);
	}
	CHECK_EQ(mkdir("/tmp/onemore", 0755), 0);
	CHECK_EQ(rmdir("/tmp/onemore"), 0);
	printf("files: ENOSPC and EFBIG ok\n");
}

/* --- POSIX corner cases ------------------------------------------------------------- */

/* These checks do not stop at the first failure: each prints what POSIX wants and
 * what happened, and the section fails at its end if any did not hold, so one run
 * reports every deviation. */
static int soft_failures;

#define SOFT_ERR(call, err, what)                                                              \
	do {                                                                                   \
		errno = 0;                                                                     \
		long r_ = (long)(call);                                                        \
		int e_ = errno;                                                                \
		if (r_ != -1 || e_ != (err)) {                                                 \
			printf("files: DEVIATION %s:%d: %s: %s: want -1 errno %s, got %ld errno %d (%s)\n", \
			       __FILE__, __LINE__, what, #call, strerror(err), r_, e_, strerror(e_)); \
			soft_failures++;                                                       \
		} else {                                                                       \
			checks_passed++;                                                       \
		}                                                                              \
	} while (0)

#define SOFT(cond, what)                                                                       \
	do {                                                                                   \
		if (!(cond)) {                                                                 \
			printf("files: DEVIATION %s:%d: %s: %s does not hold\n", __FILE__, __LINE__, \
			       what, #cond);                                                   \
			soft_failures++;                                                       \
		} else {                                                                       \
			checks_passed++;                                                       \
		}                                                                              \
	} while (0)

/* open, and close again at once if it worked: returns what open returned, errno kept. */
static int open_close(const char *path, int flags)
{
	int fd = open(path, flags, 0644);
	if (fd >= 0)
		close(fd);
	return fd;
}

static void test_posix_paths(void)
{
	struct stat st;
	put_file("/tmp/file", "data");
	/* A path through a file: ENOTDIR, in /tmp and in the initrd, with or without
	 * O_CREAT, and a trailing slash after a file's name. */
	SOFT_ERR(open_close("/tmp/file/x", O_RDONLY), ENOTDIR, "open through a /tmp file");
	SOFT_ERR(stat("/tmp/file/x", &st), ENOTDIR, "stat through a /tmp file");
	SOFT_ERR(open_close("/bin/hello/x", O_RDONLY), ENOTDIR, "open through an initrd file");
	SOFT_ERR(stat("/bin/hello/x", &st), ENOTDIR, "stat through an initrd file");
	SOFT_ERR(unlink("/tmp/file/x"), ENOTDIR, "unlink through a /tmp file");
	SOFT_ERR(stat("/tmp/file/", &st), ENOTDIR, "a file's name with a trailing slash");
	SOFT_ERR(open_close("/bin/hello/", O_RDONLY), ENOTDIR, "a file's name with a trailing slash");
	CHECK_EQ(unlink("/tmp/file"), 0);
}

static void test_posix_rename(void)
{
	struct stat st;
	/* A new name outside /tmp: the read-only file system, not "no such file". */
	put_file("/tmp/f", "F");
	SOFT_ERR(rename("/tmp/f", "/bin/newname"), EROFS, "rename to a new name in the initrd");
	/* The new name's directory does not exist: ENOENT, and nothing moves. */
	SOFT_ERR(rename("/tmp/f", "/tmp/nodir/f"), ENOENT, "rename into a missing directory");
	SOFT(stat("/tmp/f", &st) == 0, "a failed rename keeps the old name");
	if (stat("/tmp/f", &st) != 0)
		rename("/tmp/nodir/f", "/tmp/f");
	/* A file onto /tmp itself (a directory). */
	SOFT_ERR(rename("/tmp/f", "/tmp"), EISDIR, "rename a file onto /tmp");
	SOFT(stat("/tmp/f", &st) == 0, "a failed rename keeps the old name");
	if (stat("/tmp/f", &st) != 0)
		rename("/tmp", "/tmp/f"); /* best effort: put it back */
	/* A directory onto a non-empty directory: EEXIST or ENOTEMPTY, and the
	 * target's contents stay where they are. */
	CHECK_EQ(mkdir("/tmp/d1", 0755), 0);
	CHECK_EQ(mkdir("/tmp/d2", 0755), 0);
	put_file("/tmp/d2/keep", "K");
	errno = 0;
	int r = rename("/tmp/d1", "/tmp/d2");
	SOFT(r == -1 && (errno == ENOTEMPTY || errno == EEXIST),
	     "rename a directory onto a non-empty one fails with ENOTEMPTY or EEXIST");
	SOFT(stat("/tmp/d1", &st) == 0 && strcmp(get_file("/tmp/d2/keep"), "K") == 0,
	     "a failed rename changes nothing");
	/* A rename that would make a name below the directory too long fails as a
	 * whole: nothing is renamed. */
	CHECK_EQ(mkdir("/tmp/d", 0755), 0);
	char child[160];
	snprintf(child, sizeof child, "/tmp/d/%0100d", 0);
	put_file(child, "deep");
	errno = 0;
	r = rename("/tmp/d", "/tmp/a-much-longer-name");
	SOFT(r == -1 && errno == ENAMETOOLONG, "rename making a name too long fails with ENAMETOOLONG");
	SOFT(stat("/tmp/d", &st) == 0 && strcmp(get_file(child), "deep") == 0,
	     "a failed rename changes nothing (the directory and its file keep their names)");
	SOFT(stat("/tmp/a-much-longer-name", &st) != 0, "a failed rename makes no new name");
	/* Clean up what the failures left, where names broke. */
	rename("/tmp/a-much-longer-name", "/tmp/d");
	unlink(child);
	rmdir("/tmp/d");
}

static void test_posix_unlinked_open_file(void)
{
	/* An open file whose name is removed stays readable and writable through the
	 * descriptor, and never touches a file created later. */
	put_file("/tmp/u", "old data");
	int fd = open("/tmp/u", O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(unlink("/tmp/u"), 0);
	char buf[16] = "";
	ssize_t n = read(fd, buf, sizeof buf - 1);
	SOFT(n == 8 && memcmp(buf, "old data", 8) == 0, "an unlinked open file keeps its data");
	put_file("/tmp/v", "vvvv"); /* a new file: it may get the freed inode */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_EQ(write(fd, "XXXXXXXX", 8), 8);
	SOFT(strcmp(get_file("/tmp/v"), "vvvv") == 0,
	     "writing an unlinked file's descriptor leaves another file alone");
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/v"), 0);
	/* Blocks written through such a descriptor come back. */
	int n0, n1;
	long total0 = fill_tmp(&n0);
	unfill_tmp(n0);
	fd = open("/tmp/u", O_RDWR | O_CREAT, 0644);
	CHECK_EQ(unlink("/tmp/u"), 0);
	static char chunk[65536];
	CHECK_EQ(write(fd, chunk, sizeof chunk), sizeof chunk);
	CHECK_EQ(close(fd), 0);
	put_file("/tmp/w", "w"); /* reuses the inode */
	CHECK_EQ(unlink("/tmp/w"), 0);
	long total1 = fill_tmp(&n1);
	unfill_tmp(n1);
	if (total1 != total0)
		printf("files: /tmp held %ld bytes before, %ld after\n", total0, total1);
	SOFT(total1 == total0, "no blocks are lost through an unlinked open file");
}

static void test_posix_efbig_partial(void)
{
	/* A write that crosses the largest file size writes what fits (POSIX: only as
	 * many bytes as there is room for), the next fails with EFBIG. */
	int fd = open("/tmp/big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(lseek(fd, TMP_FILE_MAX - 10, SEEK_SET), TMP_FILE_MAX - 10);
	char b[20] = "0123456789abcdefghi";
	errno = 0;
	ssize_t r = write(fd, b, 20);
	if (r != 10)
		printf("files: write of 20 bytes at 4 TiB - 10 returned %ld (errno %s)\n", (long)r, strerror(errno));
	SOFT(r == 10, "a write crossing the 4 TiB limit writes the 10 bytes that fit");
	SOFT_ERR(write(fd, b, 20), EFBIG, "a write at the limit");
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(unlink("/tmp/big"), 0);
}

/* Read one byte from p_fds[0] with O_NONBLOCK set: exit 0 if it failed with EAGAIN,
 * 1 if it blocked (the parent then wrote a byte), 2 otherwise. */
static int child_nonblock_read(long unused)
{
	(void)unused;
	close(p_fds[1]);
	fcntl(p_fds[0], F_SETFL, O_NONBLOCK);
	char c;
	errno = 0;
	ssize_t r = read(p_fds[0], &c, 1);
	if (r == -1 && errno == EAGAIN)
		return 0;
	return r == 1 ? 1 : 2;
}

/* Read one byte and exit with 0 if it came. */
static int child_read_one(long unused)
{
	(void)unused;
	close(p_fds[1]);
	char c;
	return read(p_fds[0], &c, 1) == 1 ? 0 : 1;
}

/* Write 2000 records of 100 bytes, each all the letter `letter`, each with one
 * write() (at most PIPE_BUF bytes: atomic). */
static int child_records(long letter)
{
	close(p_fds[0]);
	char rec[100];
	memset(rec, (int)letter, sizeof rec);
	for (int i = 0; i < 2000; i++)
		if (write(p_fds[1], rec, sizeof rec) != (ssize_t)sizeof rec)
			return 1;
	return 0;
}

/* Wait up to ms for child c; kill it if it is still there. Returns its status or -1. */
static int wait_or_kill(pid_t c, long ms)
{
	for (long t = 0; t < ms; t += 10) {
		int st;
		pid_t g = waitpid(c, &st, WNOHANG);
		if (g == c)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
		usleep(10000);
	}
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	return -1;
}

static void test_posix_nonblock(void)
{
	/* O_NONBLOCK: reading an empty pipe fails with EAGAIN instead of blocking. */
	CHECK_EQ(pipe(p_fds), 0);
	pid_t c = check_spawn(child_nonblock_read, 0);
	usleep(100000);
	CHECK_EQ(write(p_fds[1], "x", 1), 1); /* unblocks it if it did block */
	int st = wait_or_kill(c, 2000);
	if (st != 0)
		printf("files: O_NONBLOCK read: %s\n", st == 1 ? "blocked until data came" : "neither EAGAIN nor data");
	SOFT(st == 0, "read of an empty pipe with O_NONBLOCK fails with EAGAIN");
	CHECK_EQ(close(p_fds[0]), 0);
	CHECK_EQ(close(p_fds[1]), 0);
	/* O_NONBLOCK: writing a full pipe fails with EAGAIN. */
	CHECK_EQ(pipe(p_fds), 0);
	static char fill[8192];
	CHECK_EQ(write(p_fds[1], fill, sizeof fill), 8192);
	CHECK_EQ(fcntl(p_fds[1], F_SETFL, O_NONBLOCK), 0);
	c = fork();
	if (c == 0) {
		errno = 0;
		ssize_t r = write(p_fds[1], "x", 1);
		_exit(r == -1 && errno == EAGAIN ? 0 : 1);
	}
	usleep(100000);
	CHECK_EQ(read_full(p_fds[0], fill, 100), 100); /* unblocks it if it did block */
	st = wait_or_kill(c, 2000);
	if (st != 0)
		printf("files: O_NONBLOCK write: %s\n", st == 1 ? "blocked until there was room" : "never returned");
	SOFT(st == 0, "write to a full pipe with O_NONBLOCK fails with EAGAIN");
	CHECK_EQ(close(p_fds[0]), 0);
	CHECK_EQ(close(p_fds[1]), 0);
}

static void test_posix_waiters(void)
{
	/* Many readers blocked on one pipe: every one wakes when data comes. */
	CHECK_EQ(pipe(p_fds), 0);
	pid_t kids[12];
	for (int i = 0; i < 12; i++)
		kids[i] = check_spawn(child_read_one, 0);
	usleep(100000); /* all blocked */
	CHECK_EQ(write(p_fds[1], "123456789abc", 12), 12);
	int woke = 0;
	for (int i = 0; i < 12; i++)
		woke += wait_or_kill(kids[i], 1000) == 0;
	if (woke != 12)
		printf("files: %d of 12 blocked readers woke up\n", woke);
	SOFT(woke == 12, "12 readers blocked on one pipe all wake when 12 bytes come");
	CHECK_EQ(close(p_fds[0]), 0);
	CHECK_EQ(close(p_fds[1]), 0);
}

/* One 100-byte record of 'A'. */
static int child_one_record(long unused)
{
	(void)unused;
	close(p_fds[0]);
	char rec[100];
	memset(rec, 'A', sizeof rec);
	return write(p_fds[1], rec, sizeof rec) == (ssize_t)sizeof rec ? 0 : 1;
}

static void test_posix_atomic(void)
{
	/* A write of at most PIPE_BUF bytes to a pipe without room for all of it
	 * blocks without writing a part: otherwise another writer's data can land in
	 * the middle of it (which the stress below shows). The pipe has room for 50
	 * bytes, a child writes 100 and blocks; the pipe must still hold only ours. */
	CHECK_EQ(pipe(p_fds), 0);
	static char fill[8192];
	memset(fill, 'f', sizeof fill);
	CHECK_EQ(write(p_fds[1], fill, 8192 - 50), 8192 - 50);
	pid_t c = check_spawn(child_one_record, 0);
	usleep(100000); /* it has blocked by now */
	ssize_t n = read(p_fds[0], fill, sizeof fill);
	if (n != 8192 - 50)
		printf("files: a blocked 100-byte write had put %ld bytes in the pipe\n", (long)n - (8192 - 50));
	SOFT(n == 8192 - 50, "a blocked write of PIPE_BUF bytes or less has written nothing yet");
	CHECK_EQ(close(p_fds[1]), 0);
	CHECK_EQ(wait_status(c), 0);
	CHECK_EQ(read_full(p_fds[0], fill, sizeof fill), 100 - (n - (8192 - 50)));
	CHECK_EQ(close(p_fds[0]), 0);

	/* Two writers' 100-byte records never interleave, even when the pipe fills up
	 * (a stress test: whether a broken pipe shows it depends on scheduling). */
	CHECK_EQ(pipe(p_fds), 0);
	pid_t a = check_spawn(child_records, 'A'), b = check_spawn(child_records, 'B');
	CHECK_EQ(close(p_fds[1]), 0);
	static char recs[400000];
	size_t got = 0;
	ssize_t r;
	for (int k = 0; (r = read(p_fds[0], recs + got, k % 4 == 3 ? 4096 : 150)) > 0; k++) {
		got += (size_t)r;
		if (k % 4 == 0)
			usleep(200); /* let both writers run into a full pipe */
	}
	CHECK_EQ(got, sizeof recs);
	long mixed = -1;
	for (size_t i = 0; i < got && mixed < 0; i += 100)
		for (size_t j = 1; j < 100; j++)
			if (recs[i + j] != recs[i]) {
				mixed = (long)i;
				break;
			}
	if (mixed >= 0)
		printf("files: record at offset %ld is mixed: %.100s\n", mixed, recs + mixed);
	SOFT(mixed < 0, "writes of PIPE_BUF bytes or less are not interleaved");
	CHECK_EQ(wait_status(a), 0);
	CHECK_EQ(wait_status(b), 0);
	CHECK_EQ(close(p_fds[0]), 0);
}

/* --- main ------------------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
} sections[] = {
	{ "initrd", test_initrd_files },
	{ "tmp", test_tmp_files },
	{ "badf", test_badf_and_tty },
	{ "paths", test_path_errors },
	{ "mkdir", test_mkdir_rmdir_unlink },
	{ "rename", test_rename },
	{ "cwd", test_cwd },
	{ "readdir", test_readdir },
	{ "dup", test_dup_fcntl },
	{ "fork", test_fork_sharing },
	{ "exec", test_exec_sharing },
	{ "pipes", test_pipes },
	{ "space", test_space },
	/* POSIX corner cases (soft checks: each reports every deviation it finds). */
	{ "enotdir", test_posix_paths },
	{ "rename-errors", test_posix_rename },
	{ "unlinked-open", test_posix_unlinked_open_file },
	{ "efbig-partial", test_posix_efbig_partial },
	{ "pipe-nonblock", test_posix_nonblock },
	{ "pipe-waiters", test_posix_waiters },
	{ "pipe-atomic", test_posix_atomic },
};
#define NSECTIONS (int)(sizeof sections / sizeof sections[0])

int main(int argc, char **argv)
{
	CHECK_EQ(getpid(), 1);
	clean_tmp();
	for (int i = 0; i < NSECTIONS; i++) {
		int run = argc == 1;
		for (int k = 1; k < argc; k++)
			run |= strcmp(argv[k], sections[i].name) == 0;
		if (!run)
			continue;
		int before = soft_failures;
		sections[i].fn();
		if (soft_failures == before)
			printf("files: section %s ok\n", sections[i].name);
		else
			printf("files: section %s: %d deviations\n", sections[i].name, soft_failures - before);
		clean_tmp();
	}
	if (soft_failures)
		printf("files: %d deviations from POSIX in all\n", soft_failures);
	CHECK_EQ(soft_failures, 0);
	check_done("files");
}
