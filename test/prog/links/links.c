/* links: symbolic links on /tmp (symlink, readlink, lstat, realpath, paths
 * through links, relative and absolute targets, dangling links, ELOOP,
 * O_NOFOLLOW, unlink and rename of the link itself, readdir's DT_LNK) and the
 * *at calls with AT_FDCWD and directory descriptors, and fchdir. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../check.h"

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	CHECK_EQ(close(fd), 0);
}

/* The text of file path (at most 63 bytes), or "" when it cannot be read. */
static const char *get(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	buf[0] = 0;
	if (fd < 0)
		return buf;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	close(fd);
	return buf;
}

static void symlinks(void)
{
	char buf[PATH_MAX];
	struct stat st;
	CHECK_EQ(mkdir("/tmp/d", 0755), 0);
	put("/tmp/d/file", "hello");
	/* An absolute and a relative link to a file, a link to a directory. */
	CHECK_EQ(symlink("/tmp/d/file", "/tmp/abs"), 0);
	CHECK_EQ(symlink("d/file", "/tmp/rel"), 0);
	CHECK_EQ(symlink("d", "/tmp/dl"), 0);
	CHECK_EQ(symlink("../d/file", "/tmp/d/up"), 0);
	CHECK(strcmp(get("/tmp/abs"), "hello") == 0);
	CHECK(strcmp(get("/tmp/rel"), "hello") == 0);
	CHECK(strcmp(get("/tmp/dl/file"), "hello") == 0);
	CHECK(strcmp(get("/tmp/dl/up"), "hello") == 0);
	CHECK(strcmp(get("/tmp/dl/../d/file"), "hello") == 0);
	/* readlink: the target as given, no NUL; cut to the buffer. */
	memset(buf, 'x', sizeof buf);
	CHECK_EQ(readlink("/tmp/rel", buf, sizeof buf), 6);
	CHECK(memcmp(buf, "d/file", 6) == 0 && buf[6] == 'x');
	CHECK_EQ(readlink("/tmp/abs", buf, 4), 4);
	CHECK(memcmp(buf, "/tmp", 4) == 0);
	CHECK_EQ(readlink("/tmp/d/file", buf, sizeof buf), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(readlink("/tmp/nothing", buf, sizeof buf), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(readlink("/bin/sh", buf, sizeof buf), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(readlink("/tmp/rel", (char *)8, 10), -1);
	CHECK_EQ(errno, EFAULT);
	/* lstat describes the link, stat what it names. */
	CHECK_EQ(lstat("/tmp/rel", &st), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(st.st_size, 6);
	CHECK_EQ(stat("/tmp/rel", &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(st.st_size, 5);
	CHECK_EQ(stat("/tmp/dl", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(lstat("/tmp/dl/", &st), 0); /* a trailing slash follows */
	CHECK(S_ISDIR(st.st_mode));
	/* realpath. */
	CHECK(realpath("/tmp/dl/up", buf) == buf);
	CHECK(strcmp(buf, "/tmp/d/file") == 0);
	char *r = realpath("/tmp/./dl//../rel", NULL);
	CHECK(r && strcmp(r, "/tmp/d/file") == 0);
	free(r);
	CHECK(realpath("/tmp/dl/none", buf) == NULL);
	CHECK_EQ(errno, ENOENT);
	/* Dangling links: stat fails, lstat works, O_CREAT makes the target. */
	CHECK_EQ(symlink("/tmp/d/new", "/tmp/dangling"), 0);
	CHECK_EQ(stat("/tmp/dangling", &st), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(lstat("/tmp/dangling", &st), 0);
	int fd = open("/tmp/dangling", O_WRONLY | O_CREAT, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	CHECK_EQ(stat("/tmp/d/new", &st), 0);
	/* symlink over an existing name (a dangling link too): EEXIST. */
	CHECK_EQ(symlink("x", "/tmp/abs"), -1);
	CHECK_EQ(errno, EEXIST);
	CHECK_EQ(symlink("x", "/tmp/d/file"), -1);
	CHECK_EQ(errno, EEXIST);
	CHECK_EQ(symlink("", "/tmp/empty"), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(symlink("x", "/bin/newlink"), -1);
	CHECK_EQ(errno, EROFS);
	CHECK_EQ(symlink((char *)8, "/tmp/bad"), -1);
	CHECK_EQ(errno, EFAULT);
	/* O_CREAT | O_EXCL and O_NOFOLLOW do not follow. */
	CHECK_EQ(open("/tmp/abs", O_WRONLY | O_CREAT | O_EXCL, 0644), -1);
	CHECK_EQ(errno, EEXIST);
	CHECK_EQ(open("/tmp/abs", O_RDONLY | O_NOFOLLOW), -1);
	CHECK_EQ(errno, ELOOP);
	fd = open("/tmp/d/file", O_RDONLY | O_NOFOLLOW);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	/* Loops. */
	CHECK_EQ(symlink("/tmp/loop2", "/tmp/loop1"), 0);
	CHECK_EQ(symlink("/tmp/loop1", "/tmp/loop2"), 0);
	CHECK_EQ(open("/tmp/loop1", O_RDONLY), -1);
	CHECK_EQ(errno, ELOOP);
	CHECK_EQ(stat("/tmp/loop2/x", &st), -1);
	CHECK_EQ(errno, ELOOP);
	CHECK_EQ(lstat("/tmp/loop1", &st), 0);
	/* readdir: links are DT_LNK. */
	DIR *dir = opendir("/tmp");
	CHECK(dir != NULL);
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, "rel") == 0)
			seen = e->d_type == DT_LNK;
	closedir(dir);
	CHECK(seen);
	/* rename moves the link, unlink removes the link, not its target. */
	CHECK_EQ(rename("/tmp/rel", "/tmp/rel2"), 0);
	CHECK_EQ(readlink("/tmp/rel2", buf, sizeof buf), 6);
	CHECK_EQ(unlink("/tmp/rel2"), 0);
	CHECK_EQ(lstat("/tmp/rel2", &st), -1);
	CHECK_EQ(stat("/tmp/d/file", &st), 0);
	CHECK_EQ(unlink("/tmp/dl"), 0); /* a link to a directory: the link goes */
	CHECK_EQ(stat("/tmp/d", &st), 0);
	CHECK_EQ(rmdir("/tmp/abs"), -1);
	CHECK_EQ(errno, ENOTDIR);
	/* chdir through a link: the working directory is the real one. */
	CHECK_EQ(symlink("/tmp/d", "/tmp/dl"), 0);
	CHECK_EQ(chdir("/tmp/dl"), 0);
	CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/d") == 0);
	CHECK(strcmp(get("up"), "hello") == 0);
	CHECK_EQ(chdir("/"), 0);
	printf("links: symlink, readlink, lstat, realpath, dangling, ELOOP, O_NOFOLLOW, unlink ok\n");
}

static void atcalls(void)
{
	struct stat st;
	char buf[64];
	int dfd = open("/tmp/d", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0);
	int fd = openat(dfd, "made", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, "at", 2), 2);
	CHECK_EQ(close(fd), 0);
	CHECK(strcmp(get("/tmp/d/made"), "at") == 0);
	CHECK_EQ(fstatat(dfd, "made", &st, 0), 0);
	CHECK_EQ(st.st_size, 2);
	CHECK_EQ(st.st_mode & 0777, 0600);
	CHECK_EQ(fstatat(AT_FDCWD, "/tmp/d/made", &st, 0), 0);
	CHECK_EQ(mkdirat(dfd, "sub", 0700), 0);
	CHECK_EQ(stat("/tmp/d/sub", &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	CHECK_EQ(symlinkat("made", dfd, "lnk"), 0);
	CHECK_EQ(readlinkat(dfd, "lnk", buf, sizeof buf), 4);
	CHECK_EQ(fstatat(dfd, "lnk", &st, AT_SYMLINK_NOFOLLOW), 0);
	CHECK(S_ISLNK(st.st_mode));
	CHECK_EQ(fstatat(dfd, "lnk", &st, 0), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_EQ(faccessat(dfd, "made", R_OK | W_OK, 0), 0);
	CHECK_EQ(faccessat(dfd, "none", F_OK, 0), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(fchmodat(dfd, "made", 0640, 0), 0);
	CHECK_EQ(fstatat(dfd, "made", &st, 0), 0);
	CHECK_EQ(st.st_mode & 0777, 0640);
	CHECK_EQ(fchmodat(dfd, "made", 0640, AT_SYMLINK_NOFOLLOW), -1);
	CHECK_EQ(errno, EOPNOTSUPP);
	CHECK_EQ(fchownat(dfd, "made", 7, 8, 0), 0);
	CHECK_EQ(fstatat(dfd, "made", &st, 0), 0);
	CHECK(st.st_uid == 7 && st.st_gid == 8);
	CHECK_EQ(renameat(dfd, "made", AT_FDCWD, "/tmp/moved"), 0);
	CHECK_EQ(stat("/tmp/moved", &st), 0);
	CHECK_EQ(unlinkat(dfd, "sub", 0), -1);
	CHECK_EQ(errno, EISDIR);
	CHECK_EQ(unlinkat(dfd, "sub", AT_REMOVEDIR), 0);
	CHECK_EQ(unlinkat(dfd, "lnk", 0), 0);
	CHECK_EQ(unlinkat(dfd, "x", 0x100), -1);
	CHECK_EQ(errno, EINVAL);
	/* Bad directory descriptors; an absolute path ignores dirfd. */
	CHECK_EQ(openat(99, "x", O_RDONLY), -1);
	CHECK_EQ(errno, EBADF);
	fd = open("/tmp/moved", O_RDONLY);
	CHECK_EQ(openat(fd, "x", O_RDONLY), -1);
	CHECK_EQ(errno, ENOTDIR);
	CHECK_EQ(fchdir(fd), -1);
	CHECK_EQ(errno, ENOTDIR);
	CHECK_EQ(close(fd), 0);
	fd = openat(99, "/tmp/moved", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_EQ(close(fd), 0);
	/* fchdir. */
	CHECK_EQ(fchdir(dfd), 0);
	CHECK(getcwd(buf, sizeof buf) && strcmp(buf, "/tmp/d") == 0);
	CHECK(strcmp(get("file"), "hello") == 0);
	CHECK_EQ(fchdir(99), -1);
	CHECK_EQ(errno, EBADF);
	CHECK_EQ(close(dfd), 0);
	printf("links: openat, fstatat, mkdirat, unlinkat, renameat, faccessat, readlinkat, symlinkat, "
	       "fchmodat, fchownat, fchdir ok\n");
}

/* ls -l shows a link as itself: type l, and "-> target". */
static void ls_shows_links(void)
{
	int p[2];
	CHECK_EQ(pipe(p), 0);
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		dup2(p[1], 1);
		execl("/bin/ls", "ls", "-l", "/tmp/abs", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char out[256];
	ssize_t n, got = 0;
	while ((n = read(p[0], out + got, sizeof out - 1 - (size_t)got)) > 0)
		got += n;
	out[got] = 0;
	close(p[0]);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(st, 0);
	CHECK(strncmp(out, "lrwxrwxrwx ", 11) == 0);
	CHECK(strstr(out, " /tmp/abs -> /tmp/d/file\n") != NULL);
	printf("links: ls -l: %s", out);
}

int main(void)
{
	symlinks();
	ls_shows_links();
	atcalls();
	check_done("links");
}
