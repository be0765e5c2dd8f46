/*
 * File I/O calls newlib needs. Until the file layer exists, descriptors 0, 1 and 2
 * are the kernel console and every other descriptor is invalid (EBADF); calls on
 * paths fail with ENOSYS. Both are documented in docs/abi.md.
 */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>
#include "libos.h"

static int is_console(int fd) { return fd >= 0 && fd <= 2; }

/* write: console output for fds 1 and 2. Returns bytes written or -1 (EBADF, EFAULT). */
_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	if (fd != 1 && fd != 2) {
		errno = EBADF;
		return -1;
	}
	long r = sys_cons_write((long)buf, (long)n);
	return r < 0 ? libos_fail(r) : r;
}

/* read: console input for fd 0, blocking until at least one byte is there. */
_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	if (fd != 0) {
		errno = EBADF;
		return -1;
	}
	if (n == 0)
		return 0;
	long r = sys_cons_read((long)buf, (long)n);
	return r < 0 ? libos_fail(r) : r;
}

int close(int fd)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	return 0;
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd)) {
		errno = EBADF;
		return -1;
	}
	*st = (struct stat){ .st_mode = S_IFCHR | 0620, .st_blksize = 0 };
	return 0;
}

int isatty(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off, (void)whence;
	errno = is_console(fd) ? ESPIPE : EBADF;
	return -1;
}

static int no_files(void)
{
	errno = ENOSYS;
	return -1;
}

int open(const char *path, int flags, ...) { (void)path, (void)flags; return no_files(); }
int stat(const char *path, struct stat *st) { (void)path, (void)st; return no_files(); }
int link(const char *a, const char *b) { (void)a, (void)b; return no_files(); }
int unlink(const char *path) { (void)path; return no_files(); }
int mkdir(const char *path, mode_t mode) { (void)path, (void)mode; return no_files(); }
int fcntl(int fd, int cmd, ...) { (void)fd, (void)cmd; return no_files(); }
