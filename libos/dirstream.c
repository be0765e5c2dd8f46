/* Directory streams and descriptors: dirfd, fdopendir, fdclosedir, and the
 * stream position and reentrant read: telldir, seekdir, readdir_r. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dir.h"
#include "fs.h"

/* dirfd: a descriptor for d's directory (opened at the first call, closed by
 * closedir). Returns it, or -1 with open's error (EMFILE, ENOENT if the
 * directory was removed). */
int dirfd(DIR *d)
{
	if (d->fd < 0)
		d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return d->fd;
}

/* fdopendir: a stream for directory descriptor fd, which it then owns (closedir
 * closes it). Returns it, or NULL with EBADF (fd not open), ENOTDIR (not a
 * directory) or ENOMEM. */
DIR *fdopendir(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return NULL;
	if (f->type != F_DIR) {
		errno = ENOTDIR;
		return NULL;
	}
	DIR *d = malloc(sizeof *d);
	if (!d)
		return NULL;
	memcpy(d->path, f->path, sizeof d->path);
	d->path[sizeof d->path - 1] = 0;
	d->cursor = 0;
	d->fd = fd;
	return d;
}

/* fdclosedir: end stream d and return its descriptor, open (-1 if it had none:
 * made by opendir and never given to dirfd). */
int fdclosedir(DIR *d)
{
	int fd = d->fd;
	free(d);
	return fd;
}

/* telldir: the position of d's next entry, for seekdir. */
long telldir(DIR *d)
{
	return d->cursor;
}

/* seekdir: make the next readdir of d return the entry telldir said pos for
 * (a position telldir did not return leaves the stream at an unspecified entry,
 * as POSIX allows; a negative one rewinds). */
void seekdir(DIR *d, long pos)
{
	d->cursor = pos < 0 ? 0 : (int)pos;
}

/* readdir_r: the next entry of d copied into *entry, *result = entry, or
 * *result = NULL at the end. Returns 0, or readdir's error number (EFAULT). */
int readdir_r(DIR *__restrict d, struct dirent *__restrict entry, struct dirent **__restrict result)
{
	int saved = errno;
	errno = 0;
	struct dirent *e = readdir(d);
	int err = errno;
	errno = saved;
	if (!e) {
		*result = NULL;
		return err;
	}
	memcpy(entry, e, sizeof *entry);
	*result = entry;
	return 0;
}
