/*
 * The initrd: a ustar archive the boot loader passed as the module named
 * "initrd", mapped read-only into every process (shared, never copied). This file
 * finds files in it by path; it is what / is made of.
 */
#include <errno.h>
#include <string.h>
#include "initrd.h"
#include "libos.h"

static const char *initrd_base;
static size_t initrd_size;

/* Locate the module once: exo_info lists each module's address and command line. */
static int initrd_open(void)
{
	if (initrd_base)
		return 0;
	for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
		if (strcmp((const char *)exo_info->modules[i].cmdline, "initrd") == 0) {
			initrd_base = (const char *)exo_info->modules[i].uva;
			initrd_size = exo_info->modules[i].end - exo_info->modules[i].start;
			return 0;
		}
	}
	return -1;
}

static uint64_t octal(const char *s, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(s[i] - '0');
	return v;
}

/* Compare an archive name (maybe "./x", maybe with a trailing '/') with a path
 * that has no leading '/'. */
static bool same_name(const char *name, size_t max, const char *path)
{
	if (max >= 2 && name[0] == '.' && name[1] == '/')
		name += 2, max -= 2;
	size_t n = strnlen(name, max), p = strlen(path);
	while (n && name[n - 1] == '/')
		n--;
	while (p && path[p - 1] == '/')
		p--;
	return n == p && memcmp(name, path, n) == 0;
}

int initrd_each(int (*fn)(const struct initrd_entry *e, void *arg), void *arg)
{
	if (initrd_open() < 0)
		return -1;
	for (size_t off = 0; off + 512 <= initrd_size;) {
		const char *h = initrd_base + off;
		if (!h[0])
			break; /* end-of-archive block */
		struct initrd_entry e = { 0 };
		char name[256];
		size_t plen = strnlen(h + 345, 155);
		size_t nlen = strnlen(h, 100);
		if (plen) {
			memcpy(name, h + 345, plen);
			name[plen] = '/';
			memcpy(name + plen + 1, h, nlen);
			name[plen + 1 + nlen] = 0;
		} else {
			memcpy(name, h, nlen);
			name[nlen] = 0;
		}
		e.name = name;
		e.size = octal(h + 124, 12);
		e.mode = (uint32_t)octal(h + 100, 8);
		e.is_dir = h[156] == '5';
		e.data = h + 512;
		if (off + 512 + e.size > initrd_size)
			break; /* truncated archive: stop rather than read past it */
		bool pax = h[156] == 'x' || h[156] == 'g'; /* pax headers (the page alignment's padding) */
		int r = pax ? 0 : fn(&e, arg);
		if (r)
			return r;
		off += 512 + ((e.size + 511) & ~(size_t)511);
	}
	return 0;
}

struct lookup {
	const char *path;
	struct initrd_entry *out;
};

static int match(const struct initrd_entry *e, void *arg)
{
	struct lookup *l = arg;
	if (!same_name(e->name, 256, l->path))
		return 0;
	*l->out = *e;
	l->out->name = l->path;
	return 1;
}

int initrd_lookup(const char *path, struct initrd_entry *out)
{
	while (*path == '/')
		path++;
	if (!*path) { /* the root itself */
		*out = (struct initrd_entry){ .name = "", .is_dir = true, .mode = 0555 };
		return 0;
	}
	struct lookup l = { path, out };
	int r = initrd_each(match, &l);
	if (r < 0)
		return -ENOENT;
	return r == 1 ? 0 : -ENOENT;
}
