/* execfile: programs run from any file: an ELF copied to /tmp at run time, #!
 * scripts on /tmp and through several interpreters, the mode bits deciding (EACCES
 * when nothing may execute), chmod, fchmod, umask. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"

static void copy(const char *from, const char *to, mode_t mode)
{
	static char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(in >= 0 && out >= 0);
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		CHECK_EQ(write(out, buf, (size_t)n), n);
	CHECK_EQ(n, 0);
	CHECK_EQ(close(in), 0);
	CHECK_EQ(close(out), 0);
}

static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	CHECK_EQ(close(fd), 0);
}

/* Run argv[0] with argv in a child; its exit status, or 1000 + errno if exec failed. */
static int run(char *const argv[])
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		close(p[0]);
		execv(argv[0], argv);
		int e = errno;
		write(p[1], &e, sizeof e);
		_exit(127);
	}
	close(p[1]);
	int e = 0, st = -1;
	ssize_t n = read(p[0], &e, sizeof e);
	close(p[0]);
	CHECK_EQ(waitpid(c, &st, 0), c);
	return n == sizeof e ? 1000 + e : WEXITSTATUS(st);
}

int main(void)
{
	/* umask and the modes files and directories are made with. */
	mode_t old = umask(077);
	CHECK_EQ(old, 022);
	put("/tmp/private", "x", 0666);
	struct stat st;
	CHECK_EQ(stat("/tmp/private", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0600);
	CHECK_EQ(umask(022), 077);
	CHECK_EQ(mkdir("/tmp/d", 0750), 0);
	CHECK_EQ(stat("/tmp/d", &st), 0);
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0750);
	/* chmod and fchmod; the initrd is read-only; /tmp itself is not ours. */
	CHECK_EQ(chmod("/tmp/private", 0640), 0);
	CHECK_EQ(stat("/tmp/private", &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0640);
	int fd = open("/tmp/private", O_RDONLY);
	CHECK_EQ(fchmod(fd, 0604), 0);
	CHECK_EQ(fstat(fd, &st), 0);
	CHECK_EQ(st.st_mode & 07777, 0604);
	close(fd);
	CHECK_EQ(chmod("/bin/hello", 0777), -1);
	CHECK_EQ(errno, EROFS);
	CHECK_EQ(chmod("/tmp/nosuch", 0777), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(chmod("/tmp/private/x", 0777), -1);
	CHECK_EQ(errno, ENOTDIR);
	printf("execfile: umask, chmod, fchmod ok\n");

	/* An ELF written to /tmp at run time runs once it may execute. */
	copy("/bin/hello", "/tmp/hello", 0644);
	char *hello[] = { "/tmp/hello", "from", "tmp", "42", NULL };
	CHECK_EQ(run(hello), 1000 + EACCES);
	CHECK_EQ(access("/tmp/hello", X_OK), -1);
	CHECK_EQ(chmod("/tmp/hello", 0755), 0);
	CHECK_EQ(access("/tmp/hello", X_OK), 0);
	CHECK_EQ(run(hello), 42);
	/* A directory, and a non-ELF that may execute. */
	char *dir[] = { "/tmp/d", NULL };
	CHECK_EQ(run(dir), 1000 + EACCES);
	put("/tmp/junk", "not a program\n", 0755);
	char *junk[] = { "/tmp/junk", NULL };
	CHECK_EQ(run(junk), 1000 + ENOEXEC);
	printf("execfile: an ELF on /tmp runs; mode bits decide ok\n");

	/* #! scripts: on /tmp, with an argument, through another script, and errors. */
	put("/tmp/s1", "#!/tmp/hello one\n", 0755);
	char *s1[] = { "/tmp/s1", "7", NULL };
	CHECK_EQ(run(s1), 7); /* hello one /tmp/s1 7: exits with its argv[3] */
	put("/tmp/s2", "#! /tmp/s1   \n", 0755);
	char *s2[] = { "/tmp/s2", "9", NULL }; /* hello one /tmp/s1 /tmp/s2 9 */
	CHECK_EQ(run(s2), 9);
	put("/tmp/sh1", "#!/bin/sh\necho script ran with $1\nexit 5\n", 0755);
	char *sh1[] = { "/tmp/sh1", "arg", NULL };
	CHECK_EQ(run(sh1), 5);
	put("/tmp/nointerp", "#!/tmp/nosuch\n", 0755);
	char *ni[] = { "/tmp/nointerp", NULL };
	CHECK_EQ(run(ni), 1000 + ENOENT);
	put("/tmp/empty", "#!\n", 0755);
	char *em[] = { "/tmp/empty", NULL };
	CHECK_EQ(run(em), 1000 + ENOEXEC);
	put("/tmp/loop", "#!/tmp/loop\n", 0755);
	char *lp[] = { "/tmp/loop", NULL };
	CHECK_EQ(run(lp), 1000 + ELOOP);
	printf("execfile: #! scripts, nested, with arguments, and their errors ok\n");
	check_done("execfile");
}
