/* readv and writev: vectored I/O as a sequence of read and write calls. */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <sys/uio.h>
#include <unistd.h>
#include "libos.h"

/* check: EINVAL unless 0 <= n <= IOV_MAX and the lengths sum to at most
 * the largest ssize_t; EFAULT if iov cannot be read. */
static int check(const struct iovec *iov, int n)
{
	if (n < 0 || n > IOV_MAX)
		return EINVAL;
	if (n && libos_user_range(iov, (size_t)n * sizeof *iov, false))
		return EFAULT;
	size_t total = 0;
	for (int i = 0; i < n; i++) {
		if (iov[i].iov_len > (size_t)INT64_MAX - total)
			return EINVAL;
		total += iov[i].iov_len;
	}
	return 0;
}

/* transfer: read (or, writing, write) iov[0..n) of fd in order, each buffer whole
 * before the next, stopping at a short transfer. Returns the bytes moved, or -1
 * with EINVAL, EFAULT, or the call's error when nothing moved. */
static ssize_t transfer(int fd, const struct iovec *iov, int n, bool writing)
{
	int err = check(iov, n);
	if (err) {
		errno = err;
		return -1;
	}
	ssize_t done = 0;
	for (int i = 0; i < n; i++) {
		if (!iov[i].iov_len)
			continue;
		ssize_t r = writing ? write(fd, iov[i].iov_base, iov[i].iov_len) : read(fd, iov[i].iov_base, iov[i].iov_len);
		if (r < 0)
			return done ? done : -1;
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return done;
}

/* readv: read into iov[0..n) in order, each buffer filled before the next.
 * Returns the bytes read (0 at end of file; short when a read is), or -1 with
 * EINVAL (n, lengths), EFAULT, or read's errors when nothing was read. Not
 * atomic against other readers of the same file. */
ssize_t readv(int fd, const struct iovec *iov, int n)
{
	return transfer(fd, iov, n, false);
}

/* writev: write iov[0..n) in order. Returns the bytes written (short when a
 * write is), or -1 with EINVAL, EFAULT, or write's errors when nothing was
 * written. Each buffer is one write: the whole is not atomic (a pipe may
 * interleave other writers' data between buffers). */
ssize_t writev(int fd, const struct iovec *iov, int n)
{
	return transfer(fd, iov, n, true);
}
