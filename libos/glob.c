/* glob and globfree: the path names matching a shell pattern (POSIX's glob,
 * with fnmatch per component). Flags: GLOB_APPEND, GLOB_DOOFFS, GLOB_ERR,
 * GLOB_MARK, GLOB_NOCHECK, GLOB_NOESCAPE, GLOB_NOSORT; the others are ignored. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GLOB_PATH 1024

struct globber {
	glob_t *g;
	int flags;
	int (*errfunc)(const char *, int);
	int err;                   /* GLOB_NOSPACE or GLOB_ABORTED once one happened */
};

/* magic: whether component s (n bytes) has an unescaped *, ? or [. */
static bool magic(const char *s, size_t n, bool noescape)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && !noescape && i + 1 < n)
			i++;
		else if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	}
	return false;
}

/* add: one more path into g's list (a copy, '/' added for a directory with
 * GLOB_MARK). Sets gb->err to GLOB_NOSPACE on failure. */
static void add(struct globber *gb, const char *path, bool check_dir)
{
	glob_t *g = gb->g;
	struct stat st;
	bool slash = check_dir && (gb->flags & GLOB_MARK) && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	size_t len = strlen(path);
	char *copy = malloc(len + 2);
	size_t slots = (size_t)g->gl_offs + (size_t)g->gl_pathc + 2;
	char **v = copy ? realloc(g->gl_pathv, slots * sizeof *v) : NULL;
	if (!v) {
		free(copy);
		gb->err = GLOB_NOSPACE;
		return;
	}
	memcpy(copy, path, len + 1);
	if (slash && (len == 0 || path[len - 1] != '/'))
		strcpy(copy + len, "/");
	g->gl_pathv = v;
	v[g->gl_offs + g->gl_pathc++] = copy;
	v[g->gl_offs + g->gl_pathc] = NULL;
}

/* unescape: component s (n bytes) without its backslash escapes, into out. */
static void unescape(char *out, const char *s, size_t n, bool noescape)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && !noescape && i + 1 < n)
			i++;
		*out++ = s[i];
	}
	*out = 0;
}

/* expand: match pattern rest below the path already in buf (len bytes). */
static void expand(struct globber *gb, char *buf, size_t len, const char *rest)
{
	bool noescape = gb->flags & GLOB_NOESCAPE;
	while (*rest == '/') {
		if (len + 1 >= GLOB_PATH)
			return;
		buf[len++] = '/', buf[len] = 0, rest++;
	}
	if (!*rest) {
		struct stat st;
		if (lstat(buf, &st) == 0)
			add(gb, buf, true);
		return;
	}
	size_t n = strcspn(rest, "/");
	if (!magic(rest, n, noescape)) {
		if (len + n >= GLOB_PATH)
			return;
		unescape(buf + len, rest, n, noescape);
		expand(gb, buf, strlen(buf), rest + n);
		buf[len] = 0;
		return;
	}
	char comp[GLOB_PATH];
	if (n >= sizeof comp)
		return;
	memcpy(comp, rest, n);
	comp[n] = 0;
	DIR *d = opendir(len ? buf : ".");
	if (!d) {
		if (errno != ENOENT && errno != ENOTDIR &&
		    ((gb->errfunc && gb->errfunc(len ? buf : ".", errno)) || (gb->flags & GLOB_ERR)))
			gb->err = GLOB_ABORTED;
		return;
	}
	struct dirent *e;
	while (!gb->err && (e = readdir(d))) {
		if (fnmatch(comp, e->d_name, FNM_PERIOD | (noescape ? FNM_NOESCAPE : 0)) != 0)
			continue;
		size_t el = strlen(e->d_name);
		if (len + el >= GLOB_PATH)
			continue;
		memcpy(buf + len, e->d_name, el + 1);
		expand(gb, buf, len + el, rest + n);
		buf[len] = 0;
	}
	closedir(d);
}

static int compare(const void *a, const void *b)
{
	return strcoll(*(char *const *)a, *(char *const *)b);
}

/* glob: the paths matching pattern into *g (after what it held with
 * GLOB_APPEND; gl_offs NULL slots first with GLOB_DOOFFS), sorted unless
 * GLOB_NOSORT. A directory that cannot be read is reported to errfunc (path,
 * errno); a non-zero answer or GLOB_ERR ends the search. Returns 0,
 * GLOB_NOMATCH (nothing matched; with GLOB_NOCHECK the pattern itself is the
 * one result instead), GLOB_NOSPACE or GLOB_ABORTED (what was found is kept). */
int glob(const char *__restrict pattern, int flags, int (*errfunc)(const char *, int), glob_t *__restrict g)
{
	if (!(flags & GLOB_APPEND)) {
		g->gl_pathc = 0;
		g->gl_pathv = NULL;
		if (!(flags & GLOB_DOOFFS))
			g->gl_offs = 0;
	}
	g->gl_flags = flags;
	if (!g->gl_pathv) {
		g->gl_pathv = calloc((size_t)g->gl_offs + 1, sizeof *g->gl_pathv);
		if (!g->gl_pathv)
			return GLOB_NOSPACE;
	}
	struct globber gb = { g, flags, errfunc, 0 };
	int before = g->gl_pathc;
	char buf[GLOB_PATH] = "";
	expand(&gb, buf, 0, pattern);
	if (g->gl_pathc == before && !gb.err) {
		if (!(flags & GLOB_NOCHECK))
			return GLOB_NOMATCH;
		add(&gb, pattern, false);
	}
	g->gl_matchc = g->gl_pathc - before;
	if (!(flags & GLOB_NOSORT))
		qsort(g->gl_pathv + g->gl_offs + before, (size_t)(g->gl_pathc - before), sizeof(char *), compare);
	return gb.err;
}

/* globfree: free what glob allocated in g. */
void globfree(glob_t *g)
{
	if (!g->gl_pathv)
		return;
	for (int i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[g->gl_offs + i]);
	free(g->gl_pathv);
	g->gl_pathv = NULL;
	g->gl_pathc = 0;
}
