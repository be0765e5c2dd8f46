/* <sys/uio.h>: vectored I/O (libos/uio.c). */
#ifndef LIBOS_SYS_UIO_H
#define LIBOS_SYS_UIO_H
#include <sys/types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

#ifndef IOV_MAX
#define IOV_MAX 1024 /* iovecs one call takes */
#endif

ssize_t readv(int fd, const struct iovec *iov, int n);
ssize_t writev(int fd, const struct iovec *iov, int n);
#endif
