/* File calls built on others: creat, lockf (fcntl's record locks), mkfifo
 * (there are no named pipes), sync (/tmp is memory). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* creat: open(path, O_WRONLY | O_CREAT | O_TRUNC, mode), with its errors. */
int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* lockf: a write lock on len bytes of fd from its offset (0: to the end of the
 * file and beyond; negative: the bytes before it), as an fcntl record lock:
 * F_LOCK waits, F_TLOCK does not, F_ULOCK unlocks, F_TEST says whether another
 * process holds a lock there. Returns 0, or -1 with EBADF (fd, or not open for
 * writing), EACCES (F_TEST: locked by another; F_TLOCK: fcntl's EAGAIN),
 * EINVAL (function or range), EDEADLK, EINTR or ENOLCK. */
int lockf(int fd, int function, off_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 0, .l_len = len };
	switch (function) {
	case F_ULOCK:
		fl.l_type = F_UNLCK;
		return fcntl(fd, F_SETLK, &fl);
	case F_LOCK:
		return fcntl(fd, F_SETLKW, &fl);
	case F_TLOCK:
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno == EAGAIN)
			errno = EACCES;
		return -1;
	case F_TEST:
		if (fcntl(fd, F_GETLK, &fl) < 0)
			return -1;
		if (fl.l_type == F_UNLCK || fl.l_pid == getpid())
			return 0;
		errno = EACCES;
		return -1;
	default:
		errno = EINVAL;
		return -1;
	}
}

/* mkfifo: named pipes do not exist here (pipe() makes unnamed ones). Returns
 * -1 with EEXIST (path names something), the error that keeps path from naming
 * a new file (ENOENT or ENOTDIR: its directory; ENAMETOOLONG, ELOOP, EFAULT),
 * or else ENOTSUP. */
int mkfifo(const char *path, mode_t mode)
{
	(void)mode;
	struct stat st;
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	if (errno != ENOENT || !path[0])
		return -1;
	char dir[PATH_MAX];
	if (strlen(path) >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(dir, path);
	if (stat(dirname(dir), &st) < 0)
		return -1;
	errno = S_ISDIR(st.st_mode) ? ENOTSUP : ENOTDIR;
	return -1;
}

/* sync: nothing to write back (/tmp lives in memory, the initrd is read-only). */
void sync(void)
{
}
