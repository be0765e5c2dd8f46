/*
 * The initrd: a ustar archive the boot loader passed as the module named
 * "initrd", mapped read-only into every process (shared, never copied). This file
 * finds files in it by path, through an index each process builds on its first
 * lookup; it is what / is made of.
 */
#include <errno.h>
#include <string.h>
#include "initrd.h"
#include "libos.h"

#define NAME_SIZE 257 /* a ustar path: prefix (155), '/', name (100), NUL */

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

/* Parse the header at off into *e (its name composed in name[NAME_SIZE]). Returns the
 * offset of the next header, or 0 at the end of the archive (an empty block, or a
 * header whose file would run past the archive). *pax is set for pax headers
 * (the page alignment's padding), which are not files. */
static size_t entry_at(size_t off, struct initrd_entry *e, char *name, bool *pax)
{
	if (off + 512 > initrd_size)
		return 0;
	const char *h = initrd_base + off;
	if (!h[0])
		return 0; /* end-of-archive block */
	size_t plen = strnlen(h + 345, 155), nlen = strnlen(h, 100);
	if (plen) {
		memcpy(name, h + 345, plen);
		name[plen] = '/';
		memcpy(name + plen + 1, h, nlen);
		name[plen + 1 + nlen] = 0;
	} else {
		memcpy(name, h, nlen);
		name[nlen] = 0;
	}
	*e = (struct initrd_entry){ .name = name, .size = octal(h + 124, 12), .mode = (uint32_t)octal(h + 100, 8),
				    .is_dir = h[156] == '5', .data = h + 512 };
	if (off + 512 + e->size > initrd_size)
		return 0; /* truncated archive: stop rather than read past it */
	*pax = h[156] == 'x' || h[156] == 'g';
	return off + 512 + ((e->size + 511) & ~(size_t)511);
}

int initrd_each(int (*fn)(const struct initrd_entry *e, void *arg), void *arg)
{
	if (initrd_open() < 0)
		return -1;
	struct initrd_entry e;
	char name[NAME_SIZE];
	bool pax;
	for (size_t off = 0, next; (next = entry_at(off, &e, name, &pax)); off = next) {
		int r = pax ? 0 : fn(&e, arg);
		if (r)
			return r;
	}
	return 0;
}

/* --- the index: every process that looks a path up builds, once, a hash table
 * of the archive's names (a scan of the archive costs tens of thousands of
 * instructions; exec and open look up on every call). The archive never changes,
 * so the table is never stale; a fork inherits it. */

#define INDEX_SLOTS 1024 /* a power of two; the index holds at most 3/4 of it */

static struct {
	uint32_t hash;
	uint32_t off1; /* the header's offset + 1; 0: an empty slot */
} slots[INDEX_SLOTS];
static int index_state; /* INDEX_NONE, _BUILDING, _READY or _TOO_BIG */
enum { INDEX_NONE, INDEX_BUILDING, INDEX_READY, INDEX_TOO_BIG };

/* The length of s without its trailing '/'s (same_name ignores them). */
static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == '/')
		n--;
	return n;
}

/* FNV-1a of the n bytes at s. */
static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)s[i]) * 16777619u;
	return h;
}

/* Fill the table, in archive order (so that of two entries with one name, a probe
 * meets the first, as a scan does). Returns INDEX_READY, or INDEX_TOO_BIG when
 * the archive has too many entries. */
static int index_build(void)
{
	struct initrd_entry e;
	char name[NAME_SIZE];
	bool pax;
	unsigned used = 0;
	for (size_t off = 0, next; (next = entry_at(off, &e, name, &pax)); off = next) {
		if (pax)
			continue;
		if (++used > INDEX_SLOTS / 4 * 3 || off >= UINT32_MAX)
			return INDEX_TOO_BIG;
		const char *nm = name[0] == '.' && name[1] == '/' ? name + 2 : name;
		uint32_t h = name_hash(nm, trimmed_len(nm)), k = h & (INDEX_SLOTS - 1);
		while (slots[k].off1)
			k = (k + 1) & (INDEX_SLOTS - 1);
		slots[k].hash = h;
		slots[k].off1 = (uint32_t)off + 1;
	}
	return INDEX_READY;
}

/* Is the index ready? Builds it the first time; a thread that finds another
 * building it goes on without (and scans). */
static bool index_ready(void)
{
	int st = __atomic_load_n(&index_state, __ATOMIC_ACQUIRE), none = INDEX_NONE;
	if (st == INDEX_NONE &&
	    __atomic_compare_exchange_n(&index_state, &none, INDEX_BUILDING, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		st = index_build();
		__atomic_store_n(&index_state, st, __ATOMIC_RELEASE);
	}
	return st == INDEX_READY;
}

/* Find path (no leading '/') through the index. Returns 0 and fills *out, or
 * -ENOENT. */
static int index_lookup(const char *path, struct initrd_entry *out)
{
	uint32_t h = name_hash(path, trimmed_len(path));
	for (uint32_t k = h & (INDEX_SLOTS - 1); slots[k].off1; k = (k + 1) & (INDEX_SLOTS - 1)) {
		struct initrd_entry e;
		char name[NAME_SIZE];
		bool pax;
		if (slots[k].hash == h && entry_at(slots[k].off1 - 1, &e, name, &pax) && same_name(name, NAME_SIZE, path)) {
			*out = e;
			out->name = path;
			return 0;
		}
	}
	return -ENOENT;
}

struct lookup {
	const char *path;
	struct initrd_entry *out;
};

static int match(const struct initrd_entry *e, void *arg)
{
	struct lookup *l = arg;
	if (!same_name(e->name, NAME_SIZE, l->path))
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
	if (initrd_open() < 0)
		return -ENOENT;
	if (index_ready())
		return index_lookup(path, out);
	struct lookup l = { path, out };
	int r = initrd_each(match, &l);
	if (r < 0)
		return -ENOENT;
	return r == 1 ? 0 : -ENOENT;
}
