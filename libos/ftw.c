/* ftw and nftw: call a function for every file under a directory. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	int (*nfn)(const char *, const struct stat *, int, struct FTW *);
	int (*fn)(const char *, const struct stat *, int); /* ftw's, when nfn is NULL */
	int flags;
	char path[PATH_MAX];
	char start[PATH_MAX]; /* FTW_CHDIR: the working directory at the start */
};

static int call(struct walk *w, const struct stat *st, int type, int base, int level)
{
	struct FTW f = { base, level };
	return w->nfn ? w->nfn(w->path, st, type, &f) : w->fn(w->path, st, type);
}

/* enter: FTW_CHDIR's change into the directory at w->path. */
static int enter(struct walk *w)
{
	if (w->path[0] == '/')
		return chdir(w->path);
	return chdir(w->start) < 0 ? -1 : chdir(w->path);
}

/* visit: the file at w->path (len bytes, its name at base), at depth level, and
 * what is under it. Returns fn's first non-zero answer, -1 with errno for an
 * error that ends the walk, or 0. */
static int visit(struct walk *w, size_t len, int base, int level)
{
	struct stat st;
	bool phys = w->flags & FTW_PHYS;
	int type, r;
	if ((phys ? lstat(w->path, &st) : stat(w->path, &st)) < 0) {
		if (!phys && lstat(w->path, &st) == 0 && S_ISLNK(st.st_mode))
			type = w->nfn ? FTW_SLN : FTW_NS;
		else
			return errno == EACCES || (errno == ENOENT && level > 0) ? call(w, &st, FTW_NS, base, level) : -1;
		return call(w, &st, type, base, level);
	}
	if (S_ISLNK(st.st_mode))
		return call(w, &st, w->nfn ? FTW_SL : FTW_F, base, level);
	if (!S_ISDIR(st.st_mode))
		return call(w, &st, FTW_F, base, level);
	DIR *d = opendir(w->path);
	if (!d)
		return errno == EACCES ? call(w, &st, FTW_DNR, base, level) : -1;
	bool depth = w->nfn && (w->flags & FTW_DEPTH);
	if (!depth && (r = call(w, &st, FTW_D, base, level))) {
		closedir(d);
		return r;
	}
	if ((w->flags & FTW_CHDIR) && enter(w) < 0) {
		closedir(d);
		return -1;
	}
	struct dirent *e;
	r = 0;
	while (!r && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		size_t n = strlen(e->d_name), sep = len && w->path[len - 1] != '/';
		if (len + sep + n >= sizeof w->path) {
			errno = ENAMETOOLONG;
			r = -1;
			break;
		}
		if (sep)
			w->path[len] = '/';
		memcpy(w->path + len + sep, e->d_name, n + 1);
		r = visit(w, len + sep + n, (int)(len + sep), level + 1);
		w->path[len] = 0;
	}
	closedir(d);
	if (!r && depth)
		r = call(w, &st, FTW_DP, base, level);
	return r;
}

static int walk(struct walk *w, const char *path)
{
	size_t len = strlen(path);
	if (len >= sizeof w->path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((w->flags & FTW_CHDIR) && !getcwd(w->start, sizeof w->start))
		return -1;
	memcpy(w->path, path, len + 1);
	const char *slash = strrchr(path, '/');
	int base = slash && slash[1] ? (int)(slash - path + 1) : 0;
	int r = visit(w, len, base, 0);
	if (w->flags & FTW_CHDIR) {
		int err = errno;
		if (chdir(w->start) == 0)
			errno = err;
	}
	return r;
}

/* nftw: call fn for path and every file under it (a directory before its
 * contents, or after them with FTW_DEPTH: FTW_DP), with its stat, its type
 * (FTW_F, FTW_D, FTW_DP, FTW_DNR, FTW_NS, FTW_SL with FTW_PHYS, FTW_SLN: a link
 * to nothing), and where its name starts and its depth. FTW_PHYS does not
 * follow symbolic links; FTW_CHDIR enters each directory before its contents
 * (and returns to the starting directory at the end); FTW_MOUNT changes
 * nothing. fds is not a limit: one directory stream is open per level. Returns
 * fn's first non-zero answer (which ends the walk), 0, or -1 with errno
 * (ENAMETOOLONG, ENOENT for path itself, opendir's or chdir's error). */
/* start: a walk of path with the state w0 (its state is large: on the heap).
 * Returns walk's answer, or -1 with ENOMEM. */
static int start(const struct walk *w0, const char *path)
{
	struct walk *w = malloc(sizeof *w);
	if (!w)
		return -1;
	*w = *w0;
	int r = walk(w, path);
	free(w);
	return r;
}

int nftw(const char *path, int (*fn)(const char *, const struct stat *, int, struct FTW *), int fds, int flags)
{
	(void)fds;
	return start(&(struct walk){ .nfn = fn, .flags = flags }, path);
}

/* ftw: nftw without flags and with the older callback: types FTW_F, FTW_D,
 * FTW_DNR and FTW_NS (a dangling link is FTW_NS). */
int ftw(const char *path, int (*fn)(const char *, const struct stat *, int), int fds)
{
	(void)fds;
	return start(&(struct walk){ .fn = fn }, path);
}
