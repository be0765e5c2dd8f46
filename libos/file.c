/*
 * The POSIX file calls: descriptors over the shared open-file table, dispatched on
 * the kind of file: console, initrd (read-only /), /tmp (shared, writable), pipes
 * and directories. Offsets live in the open file, so descriptors that share it
 * (dup, fork) share the offset.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "initrd.h"
#include "proc.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* User data goes through a buffer on our stack, BOUNCE bytes at a time, so that
 * no user memory is touched with the fs lock held (see pipe.c). */
#define BOUNCE 4096

/* tmp_read_user: read up to n bytes of f (a /tmp file) at its offset into buf (a
 * checked user buffer), moving the offset. A read of at most BOUNCE bytes is one
 * step under the lock; a longer one is a series of such steps, as if made by so
 * many calls. Returns the count (0 at the end of the file). */
static ssize_t tmp_read_user(struct ofile *f, char *buf, size_t n)
{
	char bounce[BOUNCE];
	libos_prefault(bounce, sizeof bounce); /* no fault on it with the lock held */
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < BOUNCE ? n - done : BOUNCE;
		fs_lock();
		ssize_t r = tmp_read(&FS->inode[f->idx], f->off, bounce, k);
		f->off += (uint64_t)r;
		fs_unlock();
		memcpy(buf + done, bounce, (size_t)r);
		done += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	return (ssize_t)done;
}

/* tmp_write_user: write n bytes of buf (a checked user buffer) to f (a /tmp file)
 * at its offset (at the end of the file with O_APPEND), BOUNCE bytes per step under
 * the lock as tmp_read_user. Returns the count written (short when the file or
 * /tmp filled up after the first step), or -1 with EFBIG or ENOSPC when nothing
 * could be written. */
static ssize_t tmp_write_user(struct ofile *f, const char *buf, size_t n)
{
	char bounce[BOUNCE];
	libos_prefault(bounce, sizeof bounce);
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < BOUNCE ? n - done : BOUNCE;
		memcpy(bounce, buf + done, k);
		fs_lock();
		if (f->flags & O_APPEND)
			f->off = FS->inode[f->idx].size;
		ssize_t r = tmp_write(&FS->inode[f->idx], f->off, bounce, k);
		if (r > 0)
			f->off += (uint64_t)r;
		fs_unlock();
		if (r < 0)
			return done ? (ssize_t)done : fail((int)-r);
		done += (size_t)r;
		if ((size_t)r < k)
			break;
	}
	return (ssize_t)done;
}

/* Open a path that is not under /tmp: the read-only initrd. */
static int open_initrd(struct ofile *f, const char *abs, int flags)
{
	struct initrd_entry e;
	if (initrd_lookup(abs, &e) < 0)
		return (flags & O_CREAT) ? -EROFS : -ENOENT;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return e.is_dir ? -EISDIR : -EROFS;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	f->type = e.is_dir ? F_DIR : F_INITRD;
	f->data = e.data;
	f->size = e.size;
	return 0;
}

static int open_tmp(struct ofile *f, const char *abs, int flags)
{
	int ino = strcmp(abs, "/tmp") == 0 ? -2 : tmp_lookup(abs);
	if (ino == -1) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		if ((ino = tmp_create(abs, false)) < 0)
			return ino;
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		return -EEXIST;
	}
	bool dir = ino == -2 || FS->inode[ino].is_dir;
	if (dir && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	f->type = dir ? F_DIR : F_TMP;
	f->idx = ino;
	if (!dir)
		FS->inode[ino].opens++;
	if (!dir && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY)
		tmp_truncate(&FS->inode[ino]);
	return 0;
}

/* open: a descriptor for path (flags as in docs/apps.md; the mode is ignored).
 * Returns it, or -1 with EFAULT (path not a readable string: nothing happens),
 * ENAMETOOLONG, ENOENT, ENOTDIR, EEXIST, EISDIR, EROFS, ENOSPC, ENFILE or EMFILE. */
int open(const char *path, int flags, ...)
{
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -1;
	int dirs = path_check_dirs(path, abs);
	if (dirs)
		return fail(dirs);
	fs_lock();
	struct ofile *f = ofile_alloc();
	if (!f) {
		fs_unlock();
		return fail(ENFILE);
	}
	int r;
	if (strcmp(abs, "/dev/null") == 0)
		f->type = F_NULL, r = 0; /* reads end at once, writes vanish */
	else
		r = path_in_tmp(abs) ? open_tmp(f, abs, flags) : open_initrd(f, abs, flags);
	if (r == 0 && (flags & O_DIRECTORY) && f->type != F_DIR)
		r = -ENOTDIR;
	if (r < 0) {
		f->ref = 0;
		fs_unlock();
		return fail(-r);
	}
	f->flags = (uint32_t)(flags & (O_ACCMODE | O_APPEND | O_NONBLOCK));
	strcpy(f->path, abs);
	int fd = fd_install(f, 0, flags & O_CLOEXEC);
	if (fd < 0)
		ofile_release(f);
	fs_unlock();
	return fd;
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
	ssize_t r;
	uint64_t off;
	switch (f->type) {
	case F_NULL:
		return 0;
	case F_CONSOLE:
		return console_read(buf, n);
	case F_PIPE_R:
		return pipe_read(f, buf, n);
	case F_DIR:
		return fail(EISDIR);
	case F_INITRD:
		fs_lock();
		off = f->off;
		r = off >= f->size ? 0 : (ssize_t)(n < f->size - off ? n : f->size - off);
		f->off += (uint64_t)r;
		fs_unlock();
		memcpy(buf, f->data + off, (size_t)r); /* the initrd never changes: no lock needed */
		return r;
	case F_TMP:
		return tmp_read_user(f, buf, n);
	default:
		return fail(EBADF);
	}
}

/* write: n bytes of buf to fd. Returns the count (short only for a full /tmp or
 * file, a pipe without O_NONBLOCK room or readers after part went in), or -1 with
 * EBADF, EFAULT (buf is not n readable bytes: nothing is written), EFBIG, ENOSPC,
 * EAGAIN or EPIPE. */
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
	switch (f->type) {
	case F_NULL:
		return (ssize_t)n;
	case F_CONSOLE:
		return console_write(buf, n);
	case F_PIPE_W:
		return pipe_write(f, buf, n);
	case F_TMP:
		return tmp_write_user(f, buf, n);
	default:
		return fail(EBADF);
	}
}

off_t lseek(int fd, off_t off, int whence)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type == F_CONSOLE || f->type == F_PIPE_R || f->type == F_PIPE_W)
		return fail(ESPIPE);
	fs_lock();
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->off
		     : whence == SEEK_END ? (int64_t)(f->type == F_TMP ? FS->inode[f->idx].size : f->size) : -1;
	if (base < 0 || base + off < 0) {
		fs_unlock();
		return fail(EINVAL);
	}
	f->off = (uint64_t)(base + off);
	fs_unlock();
	return (off_t)f->off;
}

int close(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	fs_lock();
	task.self->fd[fd] = -1;
	task.self->cloexec &= ~(1ULL << fd);
	ofile_release(f);
	fs_unlock();
	return 0;
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
		stat_fill(st, F_TMP, FS->inode[f->idx].size, 0644, (uint64_t)f->idx + 2);
	else if (f->type == F_DIR)
		stat_fill(st, F_DIR, 0, 0755, 1);
	else
		stat_fill(st, (enum ftype)f->type, f->size, 0444, 0);
	return 0;
}

/* stat: fill *st for path. Returns 0, or -1 with EFAULT (path or st bad),
 * ENAMETOOLONG, ENOENT or ENOTDIR. */
int stat(const char *path, struct stat *st)
{
	int err = libos_user_range(st, sizeof *st, true);
	if (err)
		return fail(err);
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -1;
	int dirs = path_check_dirs(path, abs);
	if (dirs)
		return fail(dirs);
	return stat_abs(abs, st);
}

int stat_abs(const char *abs, struct stat *st)
{
	if (strcmp(abs, "/dev/null") == 0) {
		stat_fill(st, F_NULL, 0, 0666, 0);
		return 0;
	}
	if (path_in_tmp(abs)) {
		struct stat local; /* st is filled after the lock is dropped */
		fs_lock();
		int ino = strcmp(abs, "/tmp") == 0 ? -2 : tmp_lookup(abs);
		if (ino >= 0)
			stat_fill(&local, FS->inode[ino].is_dir ? F_DIR : F_TMP, FS->inode[ino].size,
				  0644 | 0111 * FS->inode[ino].is_dir, (uint64_t)ino + 2);
		else if (ino == -2)
			stat_fill(&local, F_DIR, 0, 01777, 1);
		fs_unlock();
		if (ino == -1)
			return fail(ENOENT);
		*st = local;
		return 0;
	}
	struct initrd_entry e;
	if (initrd_lookup(abs, &e) < 0)
		return fail(ENOENT);
	stat_fill(st, e.is_dir ? F_DIR : F_INITRD, e.size, e.mode, 0);
	return 0;
}

/* lstat: as stat (there are no symbolic links). */
int lstat(const char *path, struct stat *st)
{
	return stat(path, st); /* no symbolic links */
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
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	fs_lock();
	int nfd = fd_install(f, 0, false);
	if (nfd >= 0)
		f->ref++;
	fs_unlock();
	return nfd;
}

int dup2(int fd, int fd2)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (fd2 < 0 || fd2 >= NOFILE)
		return fail(EBADF);
	if (fd == fd2)
		return fd2;
	fs_lock();
	if (task.self->fd[fd2] >= 0)
		ofile_release(&FS->file[task.self->fd[fd2]]);
	task.self->fd[fd2] = task.self->fd[fd];
	task.self->cloexec &= ~(1ULL << fd2);
	f->ref++;
	fs_unlock();
	return fd2;
}

int fcntl(int fd, int cmd, ...)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	va_list ap;
	va_start(ap, cmd);
	int arg = va_arg(ap, int);
	va_end(ap);
	int r = 0;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		if (arg < 0 || arg >= NOFILE)
			return fail(EINVAL);
		fs_lock();
		r = fd_install(f, arg, cmd == F_DUPFD_CLOEXEC);
		if (r >= 0)
			f->ref++;
		fs_unlock();
		return r;
	case F_GETFD:
		return (task.self->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
	case F_SETFD:
		if (arg & FD_CLOEXEC)
			task.self->cloexec |= 1ULL << fd;
		else
			task.self->cloexec &= ~(1ULL << fd);
		return 0;
	case F_GETFL:
		return (int)f->flags;
	case F_SETFL:
		fs_lock();
		f->flags = (f->flags & O_ACCMODE) | ((uint32_t)arg & (O_APPEND | O_NONBLOCK));
		fs_unlock();
		return 0;
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
