/* Directories and names: opendir/readdir, mkdir, rmdir, unlink, rename. The
 * initrd (/) is read-only (EROFS); /tmp changes. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "initrd.h"

struct libos_dir {
	char path[PATH_MAX_LEN];
	int cursor;          /* /tmp: inode index; initrd: entry number */
	struct dirent ent;
};

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
		/* Under the lock only our own stack: d is the caller's memory. */
		char dir[PATH_MAX_LEN], name[sizeof d->ent.d_name];
		int cursor = d->cursor, type = DT_REG;
		memcpy(dir, d->path, sizeof dir);
		dir[sizeof dir - 1] = 0;
		fs_lock();
		bool more = tmp_dir_has(dir, name, sizeof name, &cursor);
		if (more) {
			char full[2 * PATH_MAX_LEN];
			strcpy(full, dir);
			strcat(full, "/");
			strcat(full, name);
			int ino = tmp_lookup(full);
			type = ino >= 0 && FS->inode[ino].is_dir ? DT_DIR : DT_REG;
		}
		fs_unlock();
		d->cursor = cursor;
		if (!more)
			return NULL;
		memcpy(d->ent.d_name, name, sizeof name);
		d->ent.d_type = (unsigned char)type;
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

int closedir(DIR *d)
{
	free(d);
	return 0;
}

/* Resolve path; fail with EROFS (or ENOENT) when it is outside /tmp. */
static int tmp_path(const char *path, char *abs)
{
	struct stat st;
	if (path_resolve(path, abs, PATH_MAX_LEN) < 0)
		return -1;
	int dirs = path_check_dirs(path, abs);
	if (dirs)
		return fail(dirs);
	if (!path_in_tmp(abs))
		return fail(stat(abs, &st) == 0 || errno != ENOENT ? EROFS : ENOENT);
	return 0;
}

int mkdir(const char *path, mode_t mode)
{
	(void)mode;
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -1;
	if (!path_in_tmp(abs)) {
		struct stat st;
		return fail(stat(abs, &st) == 0 ? EEXIST : EROFS);
	}
	fs_lock();
	int r = tmp_create(abs, true);
	fs_unlock();
	return r < 0 ? fail(-r) : 0;
}

/* Remove a /tmp name; dir says which kind the caller expects. */
static int remove_name(const char *path, bool dir)
{
	char abs[PATH_MAX_LEN];
	if (tmp_path(path, abs) < 0)
		return -1;
	if (strcmp(abs, "/tmp") == 0)
		return fail(dir ? EBUSY : EISDIR);
	fs_lock();
	int ino = tmp_lookup(abs), err = 0;
	char name[MAXNAMLEN + 1];
	int cursor = 0;
	if (ino < 0)
		err = ENOENT;
	else if (dir && !FS->inode[ino].is_dir)
		err = ENOTDIR;
	else if (!dir && FS->inode[ino].is_dir)
		err = EISDIR;
	else if (dir && tmp_dir_has(abs, name, sizeof name, &cursor))
		err = ENOTEMPTY;
	if (!err)
		tmp_drop(&FS->inode[ino]); /* open files keep the data until they close */
	fs_unlock();
	return err ? fail(err) : 0;
}

int unlink(const char *path)
{
	return remove_name(path, false);
}

int rmdir(const char *path)
{
	return remove_name(path, true);
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
	if (path_resolve(to, b, sizeof b) < 0)
		return -1;
	if (!path_in_tmp(b))
		return fail(EROFS); /* / is read-only */
	size_t al = strlen(a);
	if (strcmp(b, "/tmp") == 0) {
		struct stat sa;
		return fail(strcmp(a, "/tmp") != 0 && stat_abs(a, &sa) == 0 && !S_ISDIR(sa.st_mode) ? EISDIR : EBUSY);
	}
	if (strcmp(a, "/tmp") == 0)
		return fail(EBUSY);
	if (strncmp(b, a, al) == 0 && b[al] == '/')
		return fail(EINVAL); /* into itself */
	/* The target's parent must be a directory. */
	char parent[PATH_MAX_LEN];
	size_t pl = (size_t)(strrchr(b, '/') - b);
	memcpy(parent, b, pl);
	parent[pl] = 0;
	struct stat st;
	if (stat(parent, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return fail(ENOTDIR);
	fs_lock();
	int src = tmp_lookup(a), dst = tmp_lookup(b), err = 0;
	char name[MAXNAMLEN + 1];
	int cursor = 0;
	if (src < 0)
		err = ENOENT;
	else if (dst >= 0 && FS->inode[dst].is_dir != FS->inode[src].is_dir)
		err = FS->inode[dst].is_dir ? EISDIR : ENOTDIR;
	else if (dst >= 0 && dst != src && FS->inode[dst].is_dir && tmp_dir_has(b, name, sizeof name, &cursor))
		err = ENOTEMPTY;
	/* Every moved name must fit before anything moves. */
	for (int i = 0; !err && i < NINODE; i++) {
		const struct inode *ip = &FS->inode[i];
		if (ip->used && strncmp(ip->path, a, al) == 0 && (ip->path[al] == 0 || ip->path[al] == '/') &&
		    strlen(b) + strlen(ip->path + al) >= PATH_MAX_LEN)
			err = ENAMETOOLONG;
	}
	if (!err && dst >= 0 && dst != src)
		tmp_drop(&FS->inode[dst]);
	if (!err) {
		/* Move the name and, for a directory, everything below it. */
		for (int i = 0; i < NINODE; i++) {
			struct inode *ip = &FS->inode[i];
			if (!ip->used || strncmp(ip->path, a, al) != 0 || (ip->path[al] != 0 && ip->path[al] != '/'))
				continue;
			char moved[2 * PATH_MAX_LEN];
			strcpy(moved, b);
			strcat(moved, ip->path + al); /* fits: checked above */
			strcpy(ip->path, moved);
		}
	}
	fs_unlock();
	return err ? fail(err) : 0;
}

int link(const char *a, const char *b)
{
	(void)a, (void)b;
	return fail(EMLINK); /* /tmp keeps one name per file */
}
