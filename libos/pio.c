/*
 * Positioned reads and writes (pread, pwrite), file sizes (ftruncate, truncate) and
 * syncs (fsync, fdatasync), client side. pread and pwrite move SRV_DATA bytes per
 * request at an offset of their own, so the open file's offset (shared by dup and
 * fork) never moves; an initrd file is read straight from our view, and the
 * devices need no request at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "fs.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* pread: up to n bytes of fd from offset off into buf; the file offset stays.
 * Returns the count (0 at or past the end), or -1 with EBADF (fd, or not open for
 * reading), EINVAL (off < 0), EFAULT (buf is not n writable bytes: nothing read),
 * EISDIR or ESPIPE (a pipe or the console). */
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return fail(EBADF);
	if (off < 0)
		return fail(EINVAL);
	int err = libos_user_range(buf, n, true);
	if (err)
		return fail(err);
	switch (f->type) {
	case F_NULL:
	case F_ZERO:
	case F_RANDOM:
		return read(fd, buf, n); /* no offset to keep */
	case F_CONSOLE:
	case F_PIPE_R:
	case F_PIPE_W:
		return fail(ESPIPE);
	case F_DIR:
		return fail(EISDIR);
	case F_INITRD: {
		uint64_t k = (uint64_t)off >= f->size ? 0 : f->size - (uint64_t)off;
		k = k < n ? k : n;
		if (k)
			memcpy(buf, f->data + off, k);
		return (ssize_t)k;
	}
	default:
		break;
	}
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < SRV_DATA ? n - done : SRV_DATA;
		long r = srv_call(SRV_PREAD, fd, (int64_t)k, off + (int64_t)done);
		if (r < 0)
			return done ? (ssize_t)done : fail((int)-r);
		memcpy((char *)buf + done, SRV_CHAN->data, (size_t)r);
		done += (size_t)r;
		if ((size_t)r < k)
			break; /* the end of the file */
	}
	return (ssize_t)done;
}

/* pwrite: n bytes of buf to fd at offset off (even with O_APPEND); the file offset
 * stays. Returns the count (short if memory ran out), or -1 with EBADF (fd, or not
 * open for writing), EINVAL (off < 0), EFAULT (buf is not n readable bytes: nothing
 * written), EFBIG (off at or past the largest file size), ENOSPC or ESPIPE (a pipe
 * or the console). */
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return fail(EBADF);
	if (off < 0)
		return fail(EINVAL);
	int err = libos_user_range(buf, n, false);
	if (err)
		return fail(err);
	if (f->type == F_NULL || f->type == F_ZERO || f->type == F_RANDOM)
		return (ssize_t)n;
	if (f->type == F_CONSOLE || f->type == F_PIPE_R || f->type == F_PIPE_W)
		return fail(ESPIPE);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	size_t done = 0;
	while (done < n) {
		size_t k = n - done < SRV_DATA ? n - done : SRV_DATA;
		memcpy(c->data, (const char *)buf + done, k);
		long r = srv_call(SRV_PWRITE, fd, (int64_t)k, off + (int64_t)done);
		if (r < 0)
			return done ? (ssize_t)done : fail((int)-r);
		done += (size_t)r;
		if ((size_t)r < k)
			break; /* memory ran out, or the largest file size */
	}
	return (ssize_t)done;
}

/* ftruncate: make the /tmp file fd len bytes long (a shrink frees its blocks, a
 * growth reads as zeros). Returns 0, or -1 with EBADF (fd, or not open for
 * writing), EINVAL (len < 0, or not a /tmp file) or EFBIG (len above 4 TiB). */
int ftruncate(int fd, off_t len)
{
	long r = srv_call(SRV_TRUNCATE, fd, len, 0);
	return r < 0 ? fail((int)-r) : 0;
}

/* truncate: ftruncate of path, opened for writing for the time of the call.
 * Returns 0, or -1 with the errors of open (EFAULT, ENOENT, ENOTDIR, EISDIR, EROFS,
 * EMFILE, ...) and of ftruncate (EINVAL for a device). */
int truncate(const char *path, off_t len)
{
	if (len < 0)
		return fail(EINVAL);
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	int r = ftruncate(fd, len), saved = errno;
	close(fd);
	errno = saved;
	return r;
}

/* fsync: the data of fd is as safe as it will be (/tmp lives in memory and has no
 * disk to reach). Returns 0, or -1 with EBADF or EINVAL (a pipe, the console or a
 * device: nothing to synchronise). fdatasync: the same. */
int fsync(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type != F_TMP && f->type != F_DIR && f->type != F_INITRD)
		return fail(EINVAL);
	return 0;
}

int fdatasync(int fd)
{
	return fsync(fd);
}
