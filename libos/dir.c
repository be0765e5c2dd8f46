/* Directories and names: opendir/readdir, mkdir, rmdir, unlink, rename. The
 * initrd (/) is read-only (EROFS); /tmp changes. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dir.h"
#include "fs.h"
#include "initrd.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* opendir: a directory stream for path. Returns it, or NULL with EFAULT (path),
 * ENOMEM, ENAMETOOLONG, ENOENT or ENOTDIR. */
DIR *opendir(const char *path)
{
	struct stat st;
	DIR *d = malloc(sizeof *d);
	if (!d)
		return NULL;
	if (path_resolve(path, d->path, sizeof d->path) < 0 || stat(d->path, &st) < 0) {
		free(d);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		free(d);
		errno = ENOTDIR;
		return NULL;
	}
	d->cursor = 0;
	d->fd = -1;
	return d;
}

struct initrd_scan {
	const char *dir; /* without the leading '/' */
	int want, seen;
	struct dirent *out;
};

/* The want-th direct child of dir in the archive. */
static int initrd_child(const struct initrd_entry *e, void *arg)
{
	struct initrd_scan *s = arg;
	const char *name = e->name;
	if (name[0] == '.' && name[1] == '/')
		name += 2;
	size_t dl = strlen(s->dir);
	if (dl && (strncmp(name, s->dir, dl) != 0 || name[dl] != '/'))
		return 0;
	const char *rest = name + (dl ? dl + 1 : 0);
	size_t n = strcspn(rest, "/");
	if (n == 0 || (rest[n] == '/' && rest[n + 1] != 0))
		return 0; /* the directory itself, or deeper down */
	if (s->seen++ < s->want)
		return 0;
	memcpy(s->out->d_name, rest, n);
	s->out->d_name[n] = 0;
	s->out->d_type = e->is_dir ? DT_DIR : DT_REG;
	return 1;
}

/* readdir: the next entry of d, or NULL at the end (errno unchanged) or with
 * EFAULT (d is not a stream's memory). The entry lives in d until the next call. */
struct dirent *readdir(DIR *d)
{
	int err = libos_user_range(d, sizeof *d, true);
	if (err) {
		errno = err;
		return NULL;
	}
	d->ent.d_ino = 1;
	if (path_in_tmp(d->path)) {
		long r = srv_path_request(SRV_READDIR, d->path, NULL, d->cursor, 0);
		if (r <= 0)
			return NULL;
		d->cursor = (int)SRV_CHAN->r[0];
		d->ent.d_type = (unsigned char)SRV_CHAN->r[1];
		memcpy(d->ent.d_name, SRV_CHAN->data, sizeof d->ent.d_name);
		d->ent.d_name[sizeof d->ent.d_name - 1] = 0;
		return &d->ent;
	}
	struct initrd_scan s = { d->path + 1, d->cursor, 0, &d->ent };
	if (initrd_each(initrd_child, &s) != 1)
		return NULL;
	d->cursor++;
	return &d->ent;
}

void rewinddir(DIR *d)
{
	d->cursor = 0;
}

/* closedir: end stream d, closing the descriptor dirfd or fdopendir gave it.
 * Returns 0, or -1 with close's error (the stream is freed all the same). */
int closedir(DIR *d)
{
	int r = d->fd >= 0 ? close(d->fd) : 0;
	free(d);
	return r;
}

/* Resolve path (a link in its last component stays itself); fail with EROFS
 * (or ENOENT) when it is outside /tmp. */
static int tmp_path(const char *path, char *abs)
{
	struct stat st;
	if (path_lresolve(path, abs, PATH_MAX_LEN) < 0)
		return -1;
	if (!path_in_tmp(abs)) {
		int dirs = path_check_dirs(abs, path_trailing_slash(path));
		return fail(dirs ? dirs : stat(abs, &st) == 0 || errno != ENOENT ? EROFS : ENOENT);
	}
	return 0; /* the server checks the directories on the way */
}

int mkdir(const char *path, mode_t mode)
{
	char abs[PATH_MAX_LEN];
	if (path_lresolve(path, abs, sizeof abs) < 0)
		return -1;
	if (!path_in_tmp(abs)) {
		struct stat st;
		return fail(stat(abs, &st) == 0 ? EEXIST : EROFS);
	}
	return srv_path_request(SRV_MKDIR, abs, NULL, (int64_t)mode, 0);
}

int unlink(const char *path)
{
	char abs[PATH_MAX_LEN];
	return tmp_path(path, abs) < 0 ? -1 : srv_path_request(SRV_UNLINK, abs, NULL, 0, path_trailing_slash(path));
}

int rmdir(const char *path)
{
	char abs[PATH_MAX_LEN];
	return tmp_path(path, abs) < 0 ? -1 : srv_path_request(SRV_UNLINK, abs, NULL, 1, path_trailing_slash(path));
}

/* rename: move the /tmp name from (and what is below it) to to. Returns 0, or -1
 * with EFAULT (either path: checked before anything else), ENAMETOOLONG, ENOENT,
 * ENOTDIR, EROFS, EISDIR, EBUSY, EINVAL or ENOTEMPTY; nothing moves on an error. */
int rename(const char *from, const char *to)
{
	int serr = libos_user_string(from, PATH_MAX);
	if (!serr)
		serr = libos_user_string(to, PATH_MAX);
	if (serr == EFAULT)
		return fail(serr);
	char a[PATH_MAX_LEN], b[PATH_MAX_LEN];
	if (tmp_path(from, a) < 0)
		return -1;
	if (path_lresolve(to, b, sizeof b) < 0)
		return -1;
	if (!path_in_tmp(b))
		return fail(EROFS); /* / is read-only */
	if (strcmp(b, "/tmp") == 0) {
		struct stat sa;
		return fail(strcmp(a, "/tmp") != 0 && stat_abs(a, &sa) == 0 && !S_ISDIR(sa.st_mode) ? EISDIR : EBUSY);
	}
	return srv_path_request(SRV_RENAME, a, b, path_trailing_slash(from), 0);
}

int link(const char *a, const char *b)
{
	(void)a, (void)b;
	return fail(EMLINK); /* /tmp keeps one name per file */
}
