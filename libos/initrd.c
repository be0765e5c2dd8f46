/*
 * The initrd: a ustar archive the boot loader passed as the module named
 * "initrd", mapped read-only into every process (shared, never copied). This file
 * finds files in it by path, through the index the build put in front of it;
 * it is what / is made of.
 */
#include <errno.h>
#include <string.h>
#include "initrd.h"
#include "libos.h"
#include "exo/initrd_index.h"

#define NAME_SIZE 257 /* a ustar path: prefix (155), '/', name (100), NUL */

static const char *initrd_base;
static size_t initrd_size;

static void index_open(void);

/* Locate the module once: exo_info lists each module's address and command line.
 * Threads may race here: the base is published after the size, and the index
 * after its fields, so a thread that sees one sees what it needs (one that finds
 * no index yet scans). */
static int initrd_open(void)
{
	if (__atomic_load_n(&initrd_base, __ATOMIC_ACQUIRE))
		return 0;
	for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
		if (strcmp((const char *)exo_info->modules[i].cmdline, "initrd") == 0) {
			initrd_size = exo_info->modules[i].end - exo_info->modules[i].start;
			__atomic_store_n(&initrd_base, (const char *)exo_info->modules[i].uva, __ATOMIC_RELEASE);
			index_open();
			return 0;
		}
	}
	return -1;
}

bool initrd_holds(const void *p)
{
	return initrd_open() == 0 && (const char *)p >= initrd_base && (const char *)p < initrd_base + initrd_size;
}

static uint64_t octal(const char *s, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n && s[i] >= '0' && s[i] <= '7'; i++)
		v = v * 8 + (uint64_t)(s[i] - '0');
	return v;
}

/* The header at off, or NULL at the end of the archive (an empty block, or a
 * header whose file would run past the archive: a truncated archive ends there);
 * *next is set to the offset of the header after it. */
static const char *header_at(size_t off, size_t *next)
{
	if (off + 512 > initrd_size)
		return NULL;
	const char *h = initrd_base + off;
	if (!h[0])
		return NULL;
	uint64_t size = octal(h + 124, 12);
	if (size > initrd_size - off - 512)
		return NULL;
	*next = off + 512 + ((size + 511) & ~(size_t)511);
	return h;
}

/* Is the header's path path (n bytes, no leading '/', no trailing '/')? */
static bool path_is(struct initrd_path p, const char *path, size_t n)
{
	if (!p.dlen)
		return n == p.blen && memcmp(path, p.base, n) == 0;
	return n == p.dlen + 1 + p.blen && path[p.dlen] == '/' && memcmp(path, p.dir, p.dlen) == 0 &&
	       memcmp(path + p.dlen + 1, p.base, p.blen) == 0;
}

/* Is header h's path path (n bytes, no leading '/', no trailing '/')? */
static bool header_is(const char *h, const char *path, size_t n)
{
	return path_is(initrd_header_path(h), path, n);
}

/* The entry for header h, named name. */
static struct initrd_entry entry_of(const char *h, const char *name)
{
	return (struct initrd_entry){ .name = name, .data = h + 512, .size = octal(h + 124, 12),
				      .mode = (uint32_t)octal(h + 100, 8), .is_dir = h[156] == '5' };
}

int initrd_each(int (*fn)(const struct initrd_entry *e, void *arg), void *arg)
{
	if (initrd_open() < 0)
		return -1;
	char name[NAME_SIZE]; /* prefix, '/', name, NUL */
	const char *h;
	for (size_t off = 0, next; (h = header_at(off, &next)); off = next) {
		if (initrd_header_is_pax(h))
			continue;
		size_t plen = strnlen(h + 345, 155), nlen = strnlen(h, 100);
		memcpy(name, h + 345, plen);
		name[plen] = '/';
		memcpy(name + (plen ? plen + 1 : 0), h, nlen);
		name[(plen ? plen + 1 : 0) + nlen] = 0;
		struct initrd_entry e = entry_of(h, name);
		int r = fn(&e, arg);
		if (r)
			return r;
	}
	return 0;
}

/* --- the index the build put in front of the archive (include/exo/
 * initrd_index.h): a lookup hashes the path and probes a few slots. */

static const char *index_slots; /* the first slot's hex digits; NULL: no index */
static uint32_t index_mask;     /* slots - 1 */
static size_t index_end;        /* where the indexed headers end (appended ones follow) */

/* The value of n hex digits at s. */
static uint32_t hex(const char *s, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 4 | (uint32_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	return v;
}

/* Find the index in the archive's first header, once: a record that does not
 * fit its header's data, or a slot count that is no power of two, is no index
 * (lookups then scan). */
static void index_open(void)
{
	size_t next;
	const char *h = header_at(0, &next);
	if (!h || h[156] != 'g' || strncmp(h, INITRD_INDEX_NAME, 100) != 0)
		return;
	const char *d = h + 512, *end = initrd_base + next;
	const char *v = memchr(d, ' ', (size_t)(end - d) < 24 ? (size_t)(end - d) : 24);
	size_t magic = strlen(INITRD_INDEX_MAGIC);
	if (!v || (size_t)(end - v) < 9 + magic || memcmp(v + 1, "comment=", 8) != 0 ||
	    memcmp(v + 9, INITRD_INDEX_MAGIC, magic) != 0)
		return;
	v += 9 + magic;
	if (end - v < 16)
		return;
	uint32_t n = hex(v, 8);
	if (!n || (n & (n - 1)) || (size_t)(end - v - 16) / INITRD_INDEX_SLOT_CHARS < n)
		return;
	index_mask = n - 1;
	index_end = hex(v + 8, 8);
	__atomic_store_n(&index_slots, v + 16, __ATOMIC_RELEASE);
}

/* The first header at or after offset off whose path is path (n bytes), by a
 * scan. NULL when there is none. */
static const char *scan_from(size_t off, const char *path, size_t n)
{
	const char *h;
	for (size_t next; (h = header_at(off, &next)); off = next)
		if (!initrd_header_is_pax(h) && header_is(h, path, n))
			return h;
	return NULL;
}

/* The first header whose path is path (n bytes, normal form): through the index,
 * then among the headers appended after it; by a scan of the whole archive when
 * it has no index. NULL when there is none. */
static const char *find_header(const char *path, size_t n)
{
	const char *slots = __atomic_load_n(&index_slots, __ATOMIC_ACQUIRE);
	if (!slots)
		return scan_from(0, path, n);
	uint32_t hash = initrd_path_hash((struct initrd_path){ NULL, path, 0, n });
	for (uint32_t k = hash & index_mask, probes = 0; probes <= index_mask; k = (k + 1) & index_mask, probes++) {
		const char *slot = slots + (size_t)k * INITRD_INDEX_SLOT_CHARS, *h;
		uint32_t off1 = hex(slot + 8, 8);
		size_t next;
		if (!off1)
			break;
		if (hex(slot, 8) == hash && (h = header_at(off1 - 1, &next)) && header_is(h, path, n))
			return h;
	}
	return scan_from(index_end, path, n);
}

int initrd_lookup(const char *path, struct initrd_entry *out)
{
	while (*path == '/')
		path++;
	if (!*path) { /* the root itself */
		*out = (struct initrd_entry){ .name = "", .is_dir = true, .mode = 0555 };
		return 0;
	}
	size_t n = strlen(path);
	while (n && path[n - 1] == '/')
		n--;
	const char *h = initrd_open() < 0 ? NULL : find_header(path, n);
	if (!h)
		return -ENOENT;
	*out = entry_of(h, path);
	return 0;
}
