/* Owners and times of files (client side): chown, fchown, lchown; utime,
 * utimes, futimes, lutimes, futimens and the path part of utimensat. Kept on
 * /tmp inodes by the server (srv_attr.c); the initrd is read-only (EROFS). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include "fs.h"
#include "proc.h"

/* setattr: SETATTR kind for fd (or, fd -1, path: followed unless !follow). */
static int setattr(int fd, const char *path, bool follow, int kind, const struct srv_attr *at)
{
	char abs[PATH_MAX_LEN];
	if (path && path_walk(task.self ? task.self->cwd : "/", path, abs, sizeof abs, follow) < 0)
		return -1;
	struct srv_chan *c = srv_chan();
	if (!c) {
		errno = ENOSYS;
		return -1;
	}
	if (path)
		strcpy(c->data, abs);
	memcpy(c->data + SRV_PATH2, at, sizeof *at);
	long r = srv_call(SRV_SETATTR, path ? -1 : fd, kind, 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}

static int owner(int fd, const char *path, bool follow, uid_t uid, gid_t gid)
{
	struct srv_attr at = { .uid = uid == (uid_t)-1 ? -1 : (int64_t)uid, .gid = gid == (gid_t)-1 ? -1 : (int64_t)gid };
	return setattr(fd, path, follow, SRV_ATTR_OWNER, &at);
}

/* chown / lchown (a link itself) / fchown: set the owner and group of a /tmp
 * file (-1: that one stays). Every process is root: any ids may be given.
 * Return 0, or -1 with EFAULT, ENAMETOOLONG, ENOENT, ENOTDIR, ELOOP, EBADF,
 * EROFS (the initrd, a device), EINVAL (a pipe) or EPERM (/tmp itself). */
int chown(const char *path, uid_t uid, gid_t gid)
{
	return owner(-1, path, true, uid, gid);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return owner(-1, path, false, uid, gid);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	return owner(fd, NULL, false, uid, gid);
}

/* times: t (NULL: both now; UTIME_NOW, UTIME_OMIT) for fd or path. */
static int times_of(int fd, const char *path, bool follow, const struct timespec *t)
{
	struct srv_attr at;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	if (t && libos_user_range(t, 2 * sizeof *t, false)) {
		errno = EFAULT;
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		struct timespec v = !t || t[i].tv_nsec == UTIME_NOW ? now : t[i];
		at.t[i].sec = v.tv_sec, at.t[i].nsec = v.tv_nsec;
	}
	return setattr(fd, path, follow, SRV_ATTR_TIMES, &at);
}

/* times_tv: the same from timevals (NULL: now). */
static int times_tv(int fd, const char *path, bool follow, const struct timeval *tv)
{
	if (!tv)
		return times_of(fd, path, follow, NULL);
	if (libos_user_range(tv, 2 * sizeof *tv, false)) {
		errno = EFAULT;
		return -1;
	}
	struct timespec t[2];
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000) {
			errno = EINVAL;
			return -1;
		}
		t[i] = (struct timespec){ .tv_sec = tv[i].tv_sec, .tv_nsec = tv[i].tv_usec * 1000 };
	}
	return times_of(fd, path, follow, t);
}

/* futimens / utimes / futimes / lutimes / utime: set the access and
 * modification times of a /tmp file (NULL: both now; futimens and utimensat
 * take UTIME_NOW and UTIME_OMIT); the change time becomes now. Return 0, or -1
 * with EFAULT, EINVAL (a nanosecond or microsecond count out of range), and
 * chown's errors. */
int futimens(int fd, const struct timespec *t)
{
	return times_of(fd, NULL, false, t);
}

int utimes(const char *path, const struct timeval *tv)
{
	return times_tv(-1, path, true, tv);
}

int futimes(int fd, const struct timeval *tv)
{
	return times_tv(fd, NULL, false, tv);
}

int lutimes(const char *path, const struct timeval *tv)
{
	return times_tv(-1, path, false, tv);
}

int utime(const char *path, const struct utimbuf *u)
{
	if (!u)
		return times_of(-1, path, true, NULL);
	if (libos_user_range(u, sizeof *u, false)) {
		errno = EFAULT;
		return -1;
	}
	struct timespec t[2] = { { .tv_sec = u->actime }, { .tv_sec = u->modtime } };
	return times_of(-1, path, true, t);
}

int libos_utimens_path(const char *abs, const struct timespec *t, bool follow)
{
	return times_of(-1, abs, follow, t);
}
