/* Paths: the working directory (kept in the process table, so exec keeps it; the
 * server changes it) and normalisation of relative paths, ".", ".." and repeated slashes. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"

/* link_at: the target of /tmp symbolic link abs, or NULL (not a link, or no
 * view of the file tables to look in). */
static const char *link_at(const char *abs)
{
	if (!task.self || !path_in_tmp(abs))
		return NULL;
	int ino = tmp_lookup(abs);
	return ino >= 0 && FS->inode[ino].is_link ? FS->inode[ino].link : NULL;
}

int path_walk(const char *base, const char *path, char *out, size_t size, bool follow)
{
	int err = libos_user_string(path, PATH_MAX); /* every path call comes here first */
	if (err) {
		errno = err;
		return -1;
	}
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	char buf[2 * PATH_MAX_LEN + 2], next[sizeof buf];
	if (path[0] == '/') {
		if (strlen(path) >= sizeof buf)
			goto toolong;
		strcpy(buf, path);
	} else {
		size_t c = strlen(base), p = strlen(path);
		if (c + 1 + p + 1 > sizeof buf)
			goto toolong;
		memcpy(buf, base, c);
		buf[c] = '/';
		memcpy(buf + c + 1, path, p + 1);
	}
	/* Rebuild component by component; a symbolic link is replaced by its target
	 * and the walk goes on through what it names. */
	size_t n = 0;
	int links = 0;
	out[n++] = '/';
	for (char *s = buf; *s;) {
		while (*s == '/')
			s++;
		char *e = s;
		while (*e && *e != '/')
			e++;
		size_t len = (size_t)(e - s);
		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* nothing */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (n > 1 && out[n - 1] != '/')
				n--;
			if (n > 1)
				n--; /* the slash before the removed component */
		} else {
			size_t before = n;
			if (n > 1)
				out[n++] = '/';
			if (n + len + 1 > size || n + len + 1 > PATH_MAX_LEN)
				goto toolong;
			memcpy(out + n, s, len);
			n += len;
			out[n] = 0;
			const char *target = (*e || follow) ? link_at(out) : NULL;
			if (target) {
				if (++links > PATH_SYMLOOP) {
					errno = ELOOP;
					return -1;
				}
				if (strlen(target) + 1 + strlen(e) + 1 > sizeof next)
					goto toolong;
				strcpy(next, target);
				strcat(next, "/");
				strcat(next, e);
				strcpy(buf, next);
				n = target[0] == '/' ? 1 : before;
				e = buf;
			}
		}
		s = e;
	}
	out[n] = 0;
	return 0;
toolong:
	errno = ENAMETOOLONG;
	return -1;
}

int path_resolve(const char *path, char *out, size_t size)
{
	return path_walk(task.self ? task.self->cwd : "/", path, out, size, true);
}

int path_lresolve(const char *path, char *out, size_t size)
{
	return path_walk(task.self ? task.self->cwd : "/", path, out, size, false);
}

int path_check_dirs(const char *abs, bool trailing)
{
	char prefix[PATH_MAX_LEN];
	struct stat st;
	for (const char *s = strchr(abs + 1, '/'); s; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - abs);
		memcpy(prefix, abs, n);
		prefix[n] = 0;
		if (stat_abs(prefix, &st) == 0 && !S_ISDIR(st.st_mode))
			return ENOTDIR; /* a path through a file */
	}
	if (trailing && stat_abs(abs, &st) == 0 && !S_ISDIR(st.st_mode))
		return ENOTDIR; /* "file/" */
	return 0;
}

bool path_normal(const char *abs)
{
	size_t n = strnlen(abs, PATH_MAX_LEN);
	if (n == 0 || n == PATH_MAX_LEN || abs[0] != '/')
		return false;
	if (n == 1)
		return true;
	for (const char *s = abs; *s; ) { /* s is at a '/' */
		const char *e = strchr(s + 1, '/');
		size_t len = (size_t)((e ? e : abs + n) - (s + 1));
		if (len == 0 || (len == 1 && s[1] == '.') || (len == 2 && s[1] == '.' && s[2] == '.'))
			return false;
		s = e ? e : abs + n;
	}
	return true;
}

bool path_trailing_slash(const char *path)
{
	size_t len = strlen(path);
	return len && path[len - 1] == '/';
}

bool path_in_tmp(const char *abs)
{
	return strncmp(abs, "/tmp", 4) == 0 && (abs[4] == 0 || abs[4] == '/');
}

/* getcwd: the working directory into buf (size bytes). Returns buf, or NULL with
 * EINVAL (no buffer: newlib's allocation is not supported), ERANGE (too small) or
 * EFAULT (buf cannot take the name). */
char *getcwd(char *buf, size_t size)
{
	char cwd[sizeof task.self->cwd];
	memcpy(cwd, task.self->cwd, sizeof cwd);
	cwd[sizeof cwd - 1] = 0;
	size_t n = strlen(cwd);
	if (!buf || size == 0) {
		errno = EINVAL;
		return NULL;
	}
	if (n + 1 > size) {
		errno = ERANGE;
		return NULL;
	}
	int err = libos_user_range(buf, n + 1, true);
	if (err) {
		errno = err;
		return NULL;
	}
	memcpy(buf, cwd, n + 1);
	return buf;
}

/* chdir: make path (a directory) the working directory. Returns 0, or -1 with
 * EFAULT (path), ENAMETOOLONG, ENOENT or ENOTDIR. */
int chdir(const char *path)
{
	char abs[PATH_MAX_LEN];
	if (path_resolve(path, abs, sizeof abs) < 0)
		return -1;
	return srv_path_request(SRV_CHDIR, abs, NULL, 0, 0);
}
