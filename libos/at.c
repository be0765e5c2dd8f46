/* The *at calls: a relative path taken from a directory descriptor instead of
 * the working directory (AT_FDCWD: the working directory), and fchdir. Each
 * makes the absolute path (links followed on the way, the last component left
 * as it is, a trailing '/' kept) and calls the plain call with it, so the
 * plain call decides the rest, links in the last component included. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* at_path: path relative to dirfd, absolute, into out (PATH_MAX_LEN + 1 bytes).
 * Returns 0 or -1 with EFAULT, ENOENT (empty), EBADF (dirfd), ENOTDIR (dirfd is
 * not a directory), ENAMETOOLONG or ELOOP. */
static int at_path(int dirfd, const char *path, char *out)
{
	int err = libos_user_string(path, PATH_MAX);
	if (err)
		return fail(err);
	const char *base = task.self ? task.self->cwd : "/";
	if (path[0] != '/' && dirfd != AT_FDCWD) {
		struct ofile *f = fd_file(dirfd);
		if (!f)
			return fail(EBADF);
		if (f->type != F_DIR)
			return fail(ENOTDIR);
		base = f->path;
	}
	if (path_walk(base, path, out, PATH_MAX_LEN, false) < 0)
		return -1;
	if (path_trailing_slash(path) && strcmp(out, "/") != 0)
		strcat(out, "/");
	return 0;
}

#define AT_BUF (PATH_MAX_LEN + 1)

/* openat ... utimensat: as open ... utimensat's plain calls, with path
 * relative to dirfd, and their errors plus EBADF (dirfd), ENOTDIR (dirfd is not
 * a directory) and EINVAL (unknown flags). fstatat, fchownat and utimensat take
 * AT_SYMLINK_NOFOLLOW, unlinkat AT_REMOVEDIR, faccessat AT_EACCESS (everyone is
 * root: the same answer); fchmodat with AT_SYMLINK_NOFOLLOW is EOPNOTSUPP (a
 * link has no mode of its own). */
int openat(int dirfd, const char *path, int flags, ...)
{
	char abs[AT_BUF];
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & O_CREAT) ? (mode_t)va_arg(ap, int) : 0;
	va_end(ap);
	return at_path(dirfd, path, abs) < 0 ? -1 : open(abs, flags, mode);
}

int fstatat(int dirfd, const char *restrict path, struct stat *restrict st, int flags)
{
	char abs[AT_BUF];
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return fail(EINVAL);
	if (at_path(dirfd, path, abs) < 0)
		return -1;
	return (flags & AT_SYMLINK_NOFOLLOW) ? lstat(abs, st) : stat(abs, st);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	char abs[AT_BUF];
	return at_path(dirfd, path, abs) < 0 ? -1 : mkdir(abs, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	char abs[AT_BUF];
	if (flags & ~AT_REMOVEDIR)
		return fail(EINVAL);
	if (at_path(dirfd, path, abs) < 0)
		return -1;
	return (flags & AT_REMOVEDIR) ? rmdir(abs) : unlink(abs);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	char a[AT_BUF], b[AT_BUF];
	return at_path(fromfd, from, a) < 0 || at_path(tofd, to, b) < 0 ? -1 : rename(a, b);
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	char abs[AT_BUF];
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return fail(EINVAL);
	return at_path(dirfd, path, abs) < 0 ? -1 : access(abs, mode);
}

ssize_t readlinkat(int dirfd, const char *restrict path, char *restrict buf, size_t size)
{
	char abs[AT_BUF];
	return at_path(dirfd, path, abs) < 0 ? -1 : readlink(abs, buf, size);
}

int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	char abs[AT_BUF];
	return at_path(dirfd, linkpath, abs) < 0 ? -1 : symlink(target, abs);
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	char abs[AT_BUF];
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return fail(EINVAL);
	if (flags & AT_SYMLINK_NOFOLLOW)
		return fail(EOPNOTSUPP);
	return at_path(dirfd, path, abs) < 0 ? -1 : chmod(abs, mode);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	char abs[AT_BUF];
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return fail(EINVAL);
	if (at_path(dirfd, path, abs) < 0)
		return -1;
	return (flags & AT_SYMLINK_NOFOLLOW) ? lchown(abs, uid, gid) : chown(abs, uid, gid);
}

int utimensat(int dirfd, const char *path, const struct timespec *t, int flags)
{
	char abs[AT_BUF];
	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return fail(EINVAL);
	if (at_path(dirfd, path, abs) < 0)
		return -1;
	return libos_utimens_path(abs, t, !(flags & AT_SYMLINK_NOFOLLOW));
}

/* fchdir: make directory fd the working directory. Returns 0, or -1 with
 * EBADF, ENOTDIR, or chdir's errors (the directory was removed: ENOENT). */
int fchdir(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type != F_DIR)
		return fail(ENOTDIR);
	char path[PATH_MAX_LEN];
	memcpy(path, f->path, sizeof path);
	path[sizeof path - 1] = 0;
	return chdir(path);
}

/* linkat: link's answer (EMLINK: one name per file) for the two paths, or
 * EINVAL (flags other than AT_SYMLINK_FOLLOW) and at_path's errors. */
int linkat(int fromfd, const char *from, int tofd, const char *to, int flags)
{
	char a[AT_BUF], b[AT_BUF];
	if (flags & ~AT_SYMLINK_FOLLOW)
		return fail(EINVAL);
	if (at_path(fromfd, from, a) < 0 || at_path(tofd, to, b) < 0)
		return -1;
	return link(a, b);
}

/* mkfifoat, mknodat: mkfifo's answer (no named pipes: EEXIST, ENOTSUP, ...)
 * for path relative to dirfd; mknodat of anything but a FIFO is EINVAL (the
 * devices are the libOS's own names). */
int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	char abs[AT_BUF];
	if (at_path(dirfd, path, abs) < 0)
		return -1;
	return mkfifo(abs, mode);
}

int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	(void)dev;
	if (!S_ISFIFO(mode))
		return fail(EINVAL);
	return mkfifoat(dirfd, path, mode);
}
