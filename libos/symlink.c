/* Symbolic links (client side): symlink, readlink, realpath. A link lives on
 * /tmp as an inode holding its target (fs.h); path_walk follows links as it
 * walks a path, so every call that takes a path sees through them. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
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

/* symlink: make linkpath a symbolic link to target (any text, not looked at
 * now). Returns 0, or -1 with EFAULT (either string), ENOENT (target empty, or
 * no directory for linkpath), ENAMETOOLONG, EEXIST (linkpath exists, a dangling
 * link too), ENOTDIR, EROFS (outside /tmp), ENOSPC or ELOOP. */
int symlink(const char *target, const char *linkpath)
{
	int err = libos_user_string(target, PATH_MAX);
	if (err)
		return fail(err);
	char abs[PATH_MAX_LEN];
	if (path_lresolve(linkpath, abs, sizeof abs) < 0)
		return -1;
	if (!*target)
		return fail(ENOENT);
	if (strlen(target) >= PATH_MAX_LEN)
		return fail(ENAMETOOLONG);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	strcpy(c->data, target);
	strcpy(c->data + SRV_PATH2, abs);
	long r = srv_call(SRV_SYMLINK, 0, 0, 0);
	return r < 0 ? fail((int)-r) : 0;
}

/* readlink: the target of symbolic link path into buf, at most size bytes, no
 * NUL added. Returns the count, or -1 with EFAULT (path, or buf not size
 * writable bytes), EINVAL (not a link, or size 0), ENOENT, ENOTDIR,
 * ENAMETOOLONG or ELOOP. */
ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
	char abs[PATH_MAX_LEN];
	if (path_lresolve(path, abs, sizeof abs) < 0)
		return -1;
	int err = libos_user_range(buf, size, true);
	if (err)
		return fail(err);
	struct stat st;
	if (lstat(abs, &st) < 0)
		return -1;
	if (!S_ISLNK(st.st_mode) || size == 0)
		return fail(EINVAL);
	char target[PATH_MAX_LEN];
	int ino = tmp_lookup(abs);
	if (ino < 0)
		return fail(ENOENT); /* removed meanwhile */
	memcpy(target, FS->inode[ino].link, sizeof target); /* our view: copy it once */
	target[sizeof target - 1] = 0;
	size_t n = strlen(target) < size ? strlen(target) : size;
	memcpy(buf, target, n);
	return (ssize_t)n;
}

/* realpath: the absolute path of path with no ".", "..", repeated '/' or symbolic
 * link, into resolved (PATH_MAX bytes), or into a new malloc'd buffer when
 * resolved is NULL. Returns it, or NULL with EFAULT, ENAMETOOLONG, ENOENT (path
 * names nothing), ENOTDIR, ELOOP or ENOMEM. */
char *realpath(const char *restrict path, char *restrict resolved)
{
	char abs[PATH_MAX_LEN];
	struct stat st;
	if (path_resolve(path, abs, sizeof abs) < 0 || stat(abs, &st) < 0)
		return NULL;
	if (!resolved) {
		if (!(resolved = malloc(PATH_MAX))) {
			errno = ENOMEM;
			return NULL;
		}
	} else if (libos_user_range(resolved, strlen(abs) + 1, true)) {
		errno = EFAULT;
		return NULL;
	}
	strcpy(resolved, abs);
	return resolved;
}
