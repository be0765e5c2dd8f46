/*
 * The POSIX file calls (client side): descriptors over the open-file table, which
 * we read in our view and the server changes for us (srv.h). The console and the
 * other devices (/dev/null, /dev/zero, /dev/urandom: dev.c) need no server for
 * their bytes; every other file's bytes pass through our channel,
 * SRV_DATA at a time. Offsets live in the open file, so descriptors that share it
 * (dup, fork) share the offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "initrd.h"
#include "proc.h"
#include "signal_int.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* result: a request's answer as a POSIX return: r, or -1 with errno. */
static long result(long r)
{
	return r < 0 ? fail((int)-r) : r;
}

int srv_path_request(int op, const char *abs, const char *abs2, int64_t a0, int64_t a1)
{
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	strcpy(c->data, abs); /* both fit: resolved paths are shorter than PATH_MAX_LEN */
	if (abs2)
		strcpy(c->data + SRV_PATH2, abs2);
	return (int)result(srv_call(op, a0, a1, 0));
}

/* open: a descriptor for path (flags as in docs/apps.md; a file O_CREAT makes gets
 * mode less the umask; a symbolic link is followed, but not with O_NOFOLLOW or
 * O_CREAT | O_EXCL).
 * Returns it, or -1 with EFAULT (path not a readable string: nothing happens),
 * ENAMETOOLONG, ENOENT, ENOTDIR, EEXIST, EISDIR, EROFS, ENOSPC, ENFILE, EMFILE or
 * ELOOP (too many links on the way, or O_NOFOLLOW and path is a link). */
int open(const char *path, int flags, ...)
{
	char abs[PATH_MAX_LEN];
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	if (path_walk(task.self ? task.self->cwd : "/", path, abs, sizeof abs, follow) < 0)
		return -1;
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	strcpy(c->data, abs);
	return (int)result(srv_call(SRV_OPEN, flags, path_trailing_slash(path), (int64_t)mode));
}

/* read_chunks: read up to n bytes of fd (a /tmp file or a pipe) into buf through
 * the channel. A pipe gives what it has (waiting for the first byte unless
 * O_NONBLOCK); a file is read until n or its end. Returns the count or -1. */
static ssize_t read_chunks(int fd, char *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < SRV_DATA ? n - done : SRV_DATA;
		long r = srv_call_wait(SRV_READ, fd, (int64_t)k, done > 0);
		if (r < 0)
			return done ? (ssize_t)done : fail((int)-r);
		memcpy(buf + done, SRV_CHAN->data, (size_t)r);
		done += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	return (ssize_t)done;
}

/* read: up to n bytes from fd into buf. Returns the count (0 at the end), or -1
 * with EBADF, EFAULT (buf is not n writable bytes: nothing is read), EISDIR or
 * EAGAIN (a pipe with O_NONBLOCK). */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return fail(EBADF);
	int err = libos_user_range(buf, n, true);
	if (err)
		return fail(err);
	long r;
	switch (f->type) {
	case F_NULL:
		return 0;
	case F_ZERO:
		memset(buf, 0, n);
		return (ssize_t)n;
	case F_RANDOM:
		libos_random(buf, n); /* made here: no request */
		return (ssize_t)n;
	case F_CONSOLE:
		return console_read(fd, buf, n);
	case F_DIR:
		return fail(EISDIR);
	case F_INITRD:
		/* The server moves the offset; the bytes are in our view of the initrd. */
		r = srv_call(SRV_READ, fd, (int64_t)n, 0);
		if (r > 0)
			memcpy(buf, f->data + SRV_CHAN->r[0], (size_t)r);
		return result(r);
	default:
		return read_chunks(fd, buf, n);
	}
}

/* write: n bytes of buf to fd. Returns the count (short only for a full /tmp or
 * file, a pipe without O_NONBLOCK room or readers after part went in), or -1 with
 * EBADF, EFAULT (buf is not n readable bytes: nothing is written), EFBIG, ENOSPC,
 * EAGAIN or EPIPE (after SIGPIPE, which ends us unless ignored). */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return fail(EBADF);
	int err = libos_user_range(buf, n, false);
	if (err)
		return fail(err);
	if (f->type == F_NULL || f->type == F_ZERO || f->type == F_RANDOM)
		return (ssize_t)n; /* vanish */
	if (f->type == F_CONSOLE)
		return console_write(buf, n);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < SRV_DATA ? n - done : SRV_DATA;
		memcpy(c->data, (const char *)buf + done, k);
		long r = srv_call(SRV_WRITE, fd, (int64_t)k, (int64_t)n);
		if (r == SRV_BLOCKED) {
			libos_block();
			if (libos_sig_deliverable() && !libos_sig_dispatch())
				return done ? (ssize_t)done : fail(EINTR); /* what went in, or EINTR */
			continue;
		}
		if (r == -EPIPE)
			raise(SIGPIPE);
		if (r < 0)
			return done ? (ssize_t)done : fail((int)-r);
		done += (size_t)r;
		if (f->type == F_TMP && (size_t)r < k)
			break; /* the file or /tmp is full */
	}
	return (ssize_t)done;
}

/* pipe: a new pipe, its read end in fds[0] and its write end in fds[1]. Returns 0,
 * or -1 with EFAULT (fds not writable: checked first), ENFILE (no pipe or open
 * file left), ENOSPC (no buffer blocks) or EMFILE (no descriptor left). */
int pipe(int fds[2])
{
	int err = libos_user_range(fds, 2 * sizeof *fds, true);
	if (err)
		return fail(err);
	long r = srv_call(SRV_PIPE, 0, 0, 0);
	if (r < 0)
		return fail((int)-r);
	fds[0] = (int)SRV_CHAN->r[0], fds[1] = (int)SRV_CHAN->r[1];
	return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
	return (off_t)result(srv_call(SRV_LSEEK, fd, off, whence));
}

int close(int fd)
{
	return (int)result(srv_call(SRV_CLOSE, fd, 0, 0));
}

/* fstat: fill *st for fd. Returns 0, or -1 with EBADF or EFAULT (st not writable). */
int fstat(int fd, struct stat *st)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	int err = libos_user_range(st, sizeof *st, true);
	if (err)
		return fail(err);
	if (f->type == F_TMP)
		tmp_stat_inode(&FS->inode[f->idx], st);
	else if (f->type == F_DIR && path_in_tmp(f->path) && f->idx >= 0)
		tmp_stat_inode(&FS->inode[f->idx], st);
	else if (f->type == F_DIR)
		stat_fill(st, F_DIR, 0, path_in_tmp(f->path) ? 01777 : 0755, 1);
	else
		stat_fill(st, (enum ftype)f->type, f->size, 0444, 0);
	return 0;
}

/* stat_request: ask the server for the stat of /tmp path abs (checking the
 * directories on the way, and with trailing a final '/'). Returns 0 or -errno. */
static int stat_request(const char *abs, bool trailing, struct stat *st)
{
	struct srv_chan *c = srv_chan();
	if (!c)
		return -ENOSYS;
	strcpy(c->data, abs);
	long r = srv_call(SRV_STAT, trailing, 0, 0);
	if (r == 0)
		memcpy(st, c->data, sizeof *st);
	return (int)r;
}

/* stat_path: stat (follow) or lstat of path. */
static int stat_path(const char *path, struct stat *st, bool follow)
{
	int err = libos_user_range(st, sizeof *st, true);
	if (err)
		return fail(err);
	char abs[PATH_MAX_LEN];
	if (path_walk(task.self ? task.self->cwd : "/", path, abs, sizeof abs, follow) < 0)
		return -1;
	bool trailing = path_trailing_slash(path);
	int r;
	if (path_in_tmp(abs)) { /* the server checks the directories on the way too */
		r = stat_request(abs, trailing, st);
	} else {
		int dirs = path_check_dirs(abs, trailing);
		if (dirs)
			return fail(dirs);
		r = stat_abs(abs, st);
	}
	return r < 0 ? fail(-r) : 0;
}

/* stat: fill *st for path (a symbolic link: what it names). Returns 0, or -1
 * with EFAULT (path or st bad), ENAMETOOLONG, ENOENT, ENOTDIR or ELOOP. */
int stat(const char *path, struct stat *st)
{
	return stat_path(path, st, true);
}

int stat_abs(const char *abs, struct stat *st)
{
	enum ftype dev = dev_lookup(abs);
	if (dev != F_NONE) {
		stat_fill(st, dev, 0, 0, 0);
		return 0;
	}
	if (path_in_tmp(abs)) {
		return libos_is_server ? tmp_stat(abs, st) : stat_request(abs, false, st);
	}
	struct initrd_entry e;
	if (initrd_lookup(abs, &e) < 0)
		return -ENOENT;
	stat_fill(st, e.is_dir ? F_DIR : F_INITRD, e.size, e.mode, 0);
	return 0;
}

/* lstat: as stat, but a symbolic link is described itself (S_IFLNK, the
 * target's length as its size). */
int lstat(const char *path, struct stat *st)
{
	return stat_path(path, st, false);
}

int isatty(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return 0;
	if (f->type != F_CONSOLE) {
		errno = ENOTTY;
		return 0;
	}
	return 1;
}

int dup(int fd)
{
	return (int)result(srv_call(SRV_DUP, fd, 0, 0));
}

int dup2(int fd, int fd2)
{
	return (int)result(srv_call(SRV_DUP2, fd, fd2, 0));
}

int fcntl(int fd, int cmd, ...)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	va_list ap;
	va_start(ap, cmd);
	if (cmd == F_GETLK || cmd == F_SETLK || cmd == F_SETLKW) {
		struct flock *fl = va_arg(ap, struct flock *);
		va_end(ap);
		return libos_fcntl_lock(fd, cmd, fl);
	}
	int arg = va_arg(ap, int);
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return (int)result(srv_call(SRV_DUP, fd, arg, cmd == F_DUPFD_CLOEXEC));
	case F_GETFD:
		return (task.self->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		return (int)result(srv_call(SRV_SETFD, fd, (arg & FD_CLOEXEC) != 0, 0));
	case F_GETFL:
		return (int)f->flags;
	case F_SETFL:
		return (int)result(srv_call(SRV_SETFL, fd, arg, 0));
	default:
		return fail(EINVAL);
	}
}

/* access: existence and permission by stat; writing is possible only under /tmp.
 * Returns 0, or -1 with EFAULT (path), ENAMETOOLONG, ENOENT, ENOTDIR, EROFS or
 * EACCES. */
int access(const char *path, int mode)
{
	struct stat st;
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0 || stat(abs, &st) < 0)
		return -1;
	if ((mode & W_OK) && !path_in_tmp(abs))
		return fail(EROFS);
	if ((mode & X_OK) && !S_ISDIR(st.st_mode) && !(st.st_mode & 0111))
		return fail(EACCES);
	return 0;
}

/* chmod / fchmod: set the permission bits of a /tmp file or directory. Return 0,
 * or -1 with EFAULT, ENAMETOOLONG, ENOENT, ENOTDIR, EBADF, EROFS (the initrd, the
 * console, devices), EPERM (/tmp itself) or EINVAL (a pipe). */
int chmod(const char *path, mode_t mode)
{
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -1;
	return srv_path_request(SRV_CHMOD, abs, NULL, (int64_t)mode, path_trailing_slash(path));
}

int fchmod(int fd, mode_t mode)
{
	return (int)result(srv_call(SRV_FCHMOD, fd, (int64_t)mode, 0));
}

/* umask: set the file mode creation mask (kept across fork and exec); returns
 * the old one. */
mode_t umask(mode_t mask)
{
	long r = srv_call(SRV_UMASK, (int64_t)(mask & 0777), 0, 0);
	return r < 0 ? 022 : (mode_t)r;
}
