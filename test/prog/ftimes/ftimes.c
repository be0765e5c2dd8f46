/* ftimes: times and owners of /tmp files: a new file's times are now; write and
 * truncate change mtime and ctime, read atime, chmod and chown ctime only;
 * utime, utimes, futimes, lutimes, futimens and utimensat (UTIME_NOW,
 * UTIME_OMIT, EINVAL); chown, fchown, lchown (-1 keeps an id); the initrd is
 * read-only (EROFS). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "../check.h"

#define F "/tmp/timed"

static struct stat st_of(const char *path)
{
	struct stat st;
	CHECK_EQ(lstat(path, &st), 0);
	return st;
}

static bool same(struct timespec a, struct timespec b)
{
	return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

static bool later(struct timespec a, struct timespec b) /* a after b */
{
	return a.tv_sec > b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec > b.tv_nsec);
}

static void pause_a_little(void)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

int main(void)
{
	struct timespec before;
	clock_gettime(CLOCK_REALTIME, &before);
	int fd = open(F, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	struct stat s0 = st_of(F);
	CHECK(!later(before, s0.st_mtim) && s0.st_mtim.tv_sec > 1000000000);
	CHECK(same(s0.st_atim, s0.st_mtim) && same(s0.st_mtim, s0.st_ctim));
	CHECK_EQ(s0.st_uid, 0);
	CHECK_EQ(s0.st_gid, 0);

	/* write: mtime and ctime; read: atime only. */
	pause_a_little();
	CHECK_EQ(write(fd, "abc", 3), 3);
	struct stat s1 = st_of(F);
	CHECK(later(s1.st_mtim, s0.st_mtim) && same(s1.st_mtim, s1.st_ctim) && same(s1.st_atim, s0.st_atim));
	pause_a_little();
	char b[4];
	CHECK_EQ(pread(fd, b, 3, 0), 3);
	struct stat s2 = st_of(F);
	CHECK(later(s2.st_atim, s1.st_atim) && same(s2.st_mtim, s1.st_mtim) && same(s2.st_ctim, s1.st_ctim));
	/* truncate: mtime and ctime. */
	pause_a_little();
	CHECK_EQ(ftruncate(fd, 1), 0);
	struct stat s3 = st_of(F);
	CHECK(later(s3.st_mtim, s2.st_mtim) && later(s3.st_ctim, s2.st_ctim));
	/* chmod and chown: ctime only. */
	pause_a_little();
	CHECK_EQ(fchmod(fd, 0600), 0);
	struct stat s4 = st_of(F);
	CHECK(later(s4.st_ctim, s3.st_ctim) && same(s4.st_mtim, s3.st_mtim));
	pause_a_little();
	CHECK_EQ(chown(F, 1000, 100), 0);
	struct stat s5 = st_of(F);
	CHECK(s5.st_uid == 1000 && s5.st_gid == 100);
	CHECK(later(s5.st_ctim, s4.st_ctim) && same(s5.st_mtim, s4.st_mtim));
	CHECK_EQ(fchown(fd, (uid_t)-1, 5), 0);
	s5 = st_of(F);
	CHECK(s5.st_uid == 1000 && s5.st_gid == 5);
	/* lchown changes the link, chown what it names. */
	CHECK_EQ(symlink(F, "/tmp/tl"), 0);
	CHECK_EQ(lchown("/tmp/tl", 3, 4), 0);
	CHECK(st_of("/tmp/tl").st_uid == 3 && st_of(F).st_uid == 1000);
	CHECK_EQ(chown("/tmp/tl", 9, (gid_t)-1), 0);
	CHECK(st_of("/tmp/tl").st_uid == 3 && st_of(F).st_uid == 9);
	printf("ftimes: create, write, read, truncate, chmod and chown times; owners ok\n");

	/* utime, utimes, futimens, utimensat. */
	struct utimbuf u = { .actime = 1000, .modtime = 2000 };
	CHECK_EQ(utime(F, &u), 0);
	struct stat s6 = st_of(F);
	CHECK(s6.st_atime == 1000 && s6.st_mtime == 2000 && s6.st_mtim.tv_nsec == 0);
	CHECK(!later(s5.st_ctim, s6.st_ctim));
	struct timeval tv[2] = { { 3000, 5 }, { 4000, 6 } };
	CHECK_EQ(utimes(F, tv), 0);
	s6 = st_of(F);
	CHECK(s6.st_atime == 3000 && s6.st_atim.tv_nsec == 5000 && s6.st_mtime == 4000 && s6.st_mtim.tv_nsec == 6000);
	CHECK_EQ(futimes(fd, tv), 0);
	struct timespec ts[2] = { { 5000, 7 }, { 0, UTIME_OMIT } };
	CHECK_EQ(futimens(fd, ts), 0);
	s6 = st_of(F);
	CHECK(s6.st_atime == 5000 && s6.st_atim.tv_nsec == 7 && s6.st_mtime == 4000);
	ts[0] = (struct timespec){ 0, UTIME_OMIT };
	ts[1] = (struct timespec){ 0, UTIME_NOW };
	CHECK_EQ(utimensat(AT_FDCWD, F, ts, 0), 0);
	s6 = st_of(F);
	CHECK(s6.st_atime == 5000 && !later(before, s6.st_mtim));
	CHECK_EQ(utimensat(AT_FDCWD, "/tmp/tl", NULL, AT_SYMLINK_NOFOLLOW), 0); /* the link's own */
	CHECK(s6.st_atime == st_of(F).st_atime);
	CHECK_EQ(utime(F, NULL), 0); /* now */
	CHECK(st_of(F).st_atime > 5000);
	ts[0] = (struct timespec){ 1, 1000000000 };
	CHECK_EQ(futimens(fd, ts), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(utimes(F, (struct timeval *)8), -1);
	CHECK_EQ(errno, EFAULT);
	CHECK_EQ(utime("/bin/sh", NULL), -1);
	CHECK_EQ(errno, EROFS);
	CHECK_EQ(chown("/bin/sh", 1, 1), -1);
	CHECK_EQ(errno, EROFS);
	CHECK_EQ(utime("/tmp/none", NULL), -1);
	CHECK_EQ(errno, ENOENT);
	CHECK_EQ(fchown(99, 1, 1), -1);
	CHECK_EQ(errno, EBADF);
	CHECK_EQ(close(fd), 0);
	printf("ftimes: utime, utimes, futimes, futimens, utimensat, errors ok\n");
	check_done("ftimes");
}
