/*
 * Memory mappings (<sys/mman.h>), built by the process from page-table entries.
 * A table of regions (private memory: fork copies it, exec starts afresh) says
 * what each mapped range is:
 *  - private anonymous memory is zero-filled on first touch (libos_mman_fault, from
 *    the page-fault handler), so a huge MAP_NORESERVE region costs only the pages
 *    touched, and every fork strategy treats its pages as any private page;
 *  - shared anonymous memory is made at once, with PTE_SHARE, so that every fork
 *    strategy shares it.
 *  - private anonymous memory the program asked large pages for
 *    (madvise(MADV_HUGEPAGE)) gets, for each 2 MiB of it in the mapping area
 *    touched while nothing is mapped there, a large page (large_alloc: one
 *    directory entry); a fork shares it copy-on-write whole (read-only in both:
 *    that is the only way a large page is read-only, so a write to one is
 *    always a fork's: pgfault.c splits it, or takes it back once it is ours
 *    alone). A call that needs its pages one by one
 *    (mprotect, munmap of part of it) splits it first (large_split). Where no
 *    free 2 MiB run is left, pages are made one by one as usual.
 *  - a file's pages are mapped at once: a /tmp file's are its data blocks, which
 *    the server maps into us (SRV_MMAP), so MAP_SHARED is coherent with read and
 *    write and between processes, and MAP_PRIVATE gets them copy-on-write; an
 *    initrd file's are the boot module's frames where they are page aligned;
 *    touching a page past the end of the file is SIGBUS.
 * Mappings the libOS chooses the place of go in [LIBOS_MMAP_LO, LIBOS_MMAP_HI).
 * Pages mmap did not make (the program's data, the heap) join the table when
 * mprotect first names them, as private anonymous memory.
 * PROT_NONE keeps a page's frame out of reach in a parking area (the hardware
 * cannot forbid reading a user page that is mapped), and brings it back when the
 * protection is lifted: + LIBOS_PARK_DELTA for the mapping area, + LOW_PARK_DELTA
 * for pages below LOW_PARK_LIMIT (program and heap); elsewhere (the stack) PROT_NONE
 * is not supported.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include "proc.h"
#include "vpt.h"
#include "fs.h"
#include "srv.h"
#include "thread.h"

#define LIBOS_PARK_DELTA (LIBOS_MMAP_HI - LIBOS_MMAP_LO)
#define LOW_PARK_LIMIT 0x0000100000000000UL /* 16 TiB: the program and its heap ... */
#define LOW_PARK_DELTA 0x0000600000000000UL /* ... park in [96 TiB, 112 TiB), below UMODULES */
_Static_assert(LOW_PARK_LIMIT <= LIBOS_MMAP_LO && LOW_PARK_DELTA >= LIBOS_MMAP_HI + LIBOS_PARK_DELTA &&
	       LOW_PARK_LIMIT + LOW_PARK_DELTA <= UMODULES, "parking areas overlap nothing");
#define NREGIONS 512

struct region {
	uint64_t lo, hi;  /* [lo, hi), page aligned */
	int prot;         /* PROT_* */
	bool shared;      /* MAP_SHARED (pages made at once, PTE_SHARE) */
	bool file;        /* a file's pages (mapped at once; past its end: SIGBUS) */
	bool maywrite;    /* PROT_WRITE is allowed (not a shared map of a read-only file) */
	bool huge;        /* MADV_HUGEPAGE: large pages where they fit */
};
static struct region regions[NREGIONS]; /* sorted by lo, not overlapping */
static int nregions;

pthread_mutex_t libos_mman_lock LIBOS_FORK_STATE = PTHREAD_MUTEX_INITIALIZER;

static int fail(int err)
{
	errno = err;
	return -1;
}

/* perm: the PTE bits for prot (the hardware cannot make a page write-only or
 * execute-only: PROT_WRITE and PROT_EXEC imply reading). */
static uint64_t perm(int prot, bool shared)
{
	return ((prot & PROT_WRITE) ? PTE_W : 0) | ((prot & PROT_EXEC) ? 0 : PTE_NX) | (shared ? PTE_SHARE : 0);
}

static struct region *region_at(uint64_t va)
{
	for (int i = 0; i < nregions; i++)
		if (va >= regions[i].lo && va < regions[i].hi)
			return &regions[i];
	return NULL;
}

/* each_present: fn(va, pte) for every present page in [lo, hi), skipping the
 * ranges whose page tables do not exist. */
static void each_present(uint64_t lo, uint64_t hi, void (*fn)(uint64_t va, uint64_t pte, void *arg), void *arg)
{
	for (uint64_t va = lo; va < hi;) {
		if (!(*VPT_PML4E(va) & PTE_P) || !(*VPT_PDPTE(va) & PTE_P) || !(*VPT_PDE(va) & PTE_P)) {
			uint64_t next = (va | (LARGE_PAGE_SIZE - 1)) + 1;
			if (!(*VPT_PML4E(va) & PTE_P))
				next = (va | ((1UL << 39) - 1)) + 1;
			else if (!(*VPT_PDPTE(va) & PTE_P))
				next = (va | ((1UL << 30) - 1)) + 1;
			va = next;
			continue;
		}
		uint64_t pte = vpt_lookup(va);
		if (pte & PTE_P)
			fn(va, pte, arg);
		va += PAGE_SIZE;
	}
}

/* Batched page-table operations on ourselves. */
struct batch {
	int n;
	long err;
	struct exo_pte_op ops[256];
};

static void flush(struct batch *b)
{
	long r = b->n ? sys_pte_batch(0, (long)b->ops, b->n) : 0;
	if (r < 0 && !b->err)
		b->err = r;
	b->n = 0;
}

static void add(struct batch *b, struct exo_pte_op op)
{
	b->ops[b->n++] = op;
	if (b->n == 256)
		flush(b);
}

static void unmap_page(uint64_t va, uint64_t pte, void *arg)
{
	(void)pte;
	add(arg, (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = va });
}

static bool table_present(uint64_t va)
{
	return (*VPT_PML4E(va) & PTE_P) && (*VPT_PDPTE(va) & PTE_P) && (*VPT_PDE(va) & PTE_P);
}

static bool table_empty(uint64_t t)
{
	const volatile uint64_t *pt = VPT_PTE(t);
	for (int i = 0; i < 512; i++)
		if (pt[i] & PTE_P)
			return false;
	return true;
}

/* split_large: make every large page in the 2 MiB regions [lo, hi) touches a
 * table of ordinary pages (read-only ones copy-on-write). */
static void split_large(uint64_t lo, uint64_t hi)
{
	for (uint64_t t = lo & ~(LARGE_PAGE_SIZE - 1); t < hi; t += LARGE_PAGE_SIZE)
		if (vpt_large(t))
			sys_large_split(0, (long)t, PTE_COW);
}

/* unmap_range: unmap every page of [lo, hi): a page table (or large page) the
 * range covers whole goes in one call (pt_drop), one it covers in part loses
 * those pages and goes too if nothing is left in it, so no empty table stays for
 * later forks to scan. */
static void unmap_range(uint64_t lo, uint64_t hi)
{
	static struct batch b;
	for (uint64_t t = lo & ~(LARGE_PAGE_SIZE - 1); t < hi; t += LARGE_PAGE_SIZE) {
		if (!(*VPT_PML4E(t) & PTE_P)) { /* nothing in this 512 GiB: skip it */
			t = (t | ((1UL << 39) - 1)) + 1 - LARGE_PAGE_SIZE;
			continue;
		}
		if (!(*VPT_PDPTE(t) & PTE_P)) { /* nor in this 1 GiB */
			t = (t | ((1UL << 30) - 1)) + 1 - LARGE_PAGE_SIZE;
			continue;
		}
		if (!table_present(t))
			continue;
		uint64_t a = lo > t ? lo : t, z = hi < t + LARGE_PAGE_SIZE ? hi : t + LARGE_PAGE_SIZE;
		if (a == t && z == t + LARGE_PAGE_SIZE) {
			sys_pt_drop(0, (long)t);
			continue;
		}
		split_large(t, t + 1);
		libos_own_table(t); /* a table an on-demand fork shares: ours first */
		b.n = 0, b.err = 0;
		each_present(a, z, unmap_page, &b);
		flush(&b);
		if (table_empty(t))
			sys_pt_drop(0, (long)t);
	}
}

/* park_delta: where [lo, hi)'s PROT_NONE pages park (+ this), or 0: nowhere. */
static uint64_t park_delta(uint64_t lo, uint64_t hi)
{
	if (lo >= LIBOS_MMAP_LO && hi <= LIBOS_MMAP_HI)
		return LIBOS_PARK_DELTA;
	return hi <= LOW_PARK_LIMIT ? LOW_PARK_DELTA : 0;
}

/* drop: unmap every page of [lo, hi), and their parked frames. */
static void drop(uint64_t lo, uint64_t hi)
{
	unmap_range(lo, hi);
	uint64_t d = park_delta(lo, hi);
	if (d)
		unmap_range(lo + d, hi + d);
}

/* cut: take [lo, hi) out of the region table (splitting a region that spans a
 * boundary). Returns 0, or -1 (ENOMEM) when the table has no room for a split. */
static int cut(uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < nregions; i++) {
		struct region *r = &regions[i];
		if (r->hi <= lo || r->lo >= hi)
			continue;
		if (r->lo < lo && r->hi > hi) { /* a hole in the middle: two regions */
			if (nregions == NREGIONS)
				return fail(ENOMEM);
			memmove(&regions[i + 2], &regions[i + 1], (size_t)(nregions - i - 1) * sizeof *r);
			regions[i + 1] = *r;
			regions[i + 1].lo = hi;
			r->hi = lo;
			nregions++;
			return 0;
		}
		if (r->lo < lo) {
			r->hi = lo;
		} else if (r->hi > hi) {
			r->lo = hi;
		} else { /* wholly inside: gone */
			memmove(r, r + 1, (size_t)(nregions - i - 1) * sizeof *r);
			nregions--;
			i--;
		}
	}
	return 0;
}

/* insert: a new region (its range free in the table). 0, or -1 with ENOMEM. */
static int insert(struct region n)
{
	if (nregions == NREGIONS)
		return fail(ENOMEM);
	int i = 0;
	while (i < nregions && regions[i].lo < n.lo)
		i++;
	memmove(&regions[i + 1], &regions[i], (size_t)(nregions - i) * sizeof n);
	regions[i] = n;
	nregions++;
	return 0;
}

/* place: a free range of len bytes in the mapping area, at hint if it is free
 * there. Returns its start or 0. */
static uint64_t place(uint64_t hint, uint64_t len)
{
	uint64_t at = hint >= LIBOS_MMAP_LO && hint <= LIBOS_MMAP_HI - len ? hint : LIBOS_MMAP_LO;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i <= nregions; i++) {
			uint64_t next = i < nregions ? regions[i].lo : LIBOS_MMAP_HI;
			if (i < nregions && regions[i].hi <= at)
				continue;
			if (next >= at + len && at + len <= LIBOS_MMAP_HI)
				return at;
			if (i < nregions && regions[i].hi > at)
				at = regions[i].hi;
		}
		at = LIBOS_MMAP_LO; /* the hint was taken: anywhere */
	}
	return 0;
}

static void park_page(uint64_t va, uint64_t pte, void *arg);

/* map_initrd: the pages of initrd file f from off into [a, a + n): the boot
 * module's own frames where the file's bytes fill a whole page and sit on a page
 * boundary (read-only; copy-on-write for a private writable map), a copy for the
 * rest (the last, partial page: the bytes past the end are zeros, as POSIX wants).
 * Pages past the end stay unmapped. Returns 0 or a negative kernel error. */
static long map_initrd(const struct ofile *f, uint64_t off, uint64_t a, uint64_t n, int prot, bool shared)
{
	uint64_t perm = PTE_NX | (shared ? PTE_SHARE : 0) | (!shared && (prot & PROT_WRITE) ? PTE_COW : 0);
	for (uint64_t i = 0; i < n / PAGE_SIZE && off + i * PAGE_SIZE < f->size; i++) {
		uint64_t pos = off + i * PAGE_SIZE, va = a + i * PAGE_SIZE;
		const char *src = f->data + pos;
		long r;
		libos_own_table(va);
		if (((uint64_t)src & (PAGE_SIZE - 1)) == 0 && pos + PAGE_SIZE <= f->size) {
			r = sys_page_map(0, (long)src, 0, (long)va, (long)perm);
		} else { /* a copy: misaligned in the archive, or the last page */
			size_t k = f->size - pos < PAGE_SIZE ? f->size - pos : PAGE_SIZE;
			r = sys_page_alloc(0, (long)va, PTE_W | PTE_NX);
			if (r == 0) {
				memcpy((void *)va, src, k);
				r = sys_page_protect(0, (long)va, (long)(perm & ~PTE_COW) | ((prot & PROT_WRITE) && !shared ? PTE_W : 0));
			}
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* map_file: map n bytes of file f (descriptor fd) from off at a. Returns 0 or
 * -errno. */
static long map_file(const struct ofile *f, int fd, uint64_t off, uint64_t a, uint64_t n, int prot, bool shared)
{
	if (f->type == F_INITRD) {
		long r = map_initrd(f, off, a, n, prot, shared);
		if (r < 0)
			drop(a, a + n);
		return r < 0 ? -exo_errno(r) : 0;
	}
	struct srv_chan *c = srv_chan();
	if (!c)
		return -ENOSYS;
	for (uint64_t va = a; va < a + n; va = (va | (LARGE_PAGE_SIZE - 1)) + 1)
		libos_own_table(va); /* the server maps into our tables: they must be ours */
	struct srv_mmap m = { a, n / PAGE_SIZE, shared, (prot & PROT_WRITE) != 0 };
	memcpy(c->data, &m, sizeof m);
	long r = srv_call(SRV_MMAP, fd, (int64_t)off, 0);
	if (r < 0)
		drop(a, a + n);
	return r < 0 ? r : 0;
}

static void *mmap_locked(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int kind = flags & (MAP_SHARED | MAP_PRIVATE);
	uint64_t a = (uint64_t)addr;
	if (len == 0 || (kind != MAP_SHARED && kind != MAP_PRIVATE) || (off & (PAGE_SIZE - 1)) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) ||
	    (flags & ~(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE)))
		return errno = EINVAL, MAP_FAILED;
	struct ofile *f = NULL;
	if (!(flags & MAP_ANONYMOUS)) {
		if (!(f = fd_file(fd)))
			return MAP_FAILED;
		if (f->type != F_TMP && f->type != F_INITRD)
			return errno = ENODEV, MAP_FAILED;
		if ((f->flags & O_ACCMODE) == O_WRONLY ||
		    (kind == MAP_SHARED && (prot & PROT_WRITE) && (f->flags & O_ACCMODE) != O_RDWR))
			return errno = EACCES, MAP_FAILED;
	}
	uint64_t n = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (n < len)
		return errno = ENOMEM, MAP_FAILED;
	if (flags & MAP_FIXED) {
		if ((a & (PAGE_SIZE - 1)) || a < PAGE_SIZE || a >= ULIM || n > ULIM - a)
			return errno = EINVAL, MAP_FAILED;
		if (a < LIBOS_MMAP_HI && a + n > LIBOS_MMAP_HI)
			return errno = EINVAL, MAP_FAILED; /* it would reach into the parking area */
	} else if (!(a = place(a & ~(PAGE_SIZE - 1), n))) {
		return errno = ENOMEM, MAP_FAILED;
	}
	if (nregions + 2 > NREGIONS)
		return errno = ENOMEM, MAP_FAILED;
	if (flags & MAP_FIXED) { /* what was there goes */
		drop(a, a + n);
		cut(a, a + n);
	}
	bool shared = kind == MAP_SHARED;
	if (f) {
		bool maywrite = kind == MAP_PRIVATE || (f->flags & O_ACCMODE) == O_RDWR;
		long r = map_file(f, fd, (uint64_t)off, a, n, prot, shared);
		if (r < 0)
			return errno = (int)-r, MAP_FAILED;
		insert((struct region){ a, a + n, prot, shared, true, maywrite, false });
		if (prot == PROT_NONE)
			each_present(a, a + n, park_page, NULL);
		return (void *)a;
	}
	if (shared) { /* made now, shared by every fork strategy */
		for (uint64_t va = a; va < a + n; va += PAGE_SIZE) {
			libos_own_table(va);
			long r = sys_page_alloc(0, (long)va, (long)perm(prot == PROT_NONE ? PROT_READ : prot, true));
			if (r < 0) {
				drop(a, va);
				return errno = exo_errno(r), MAP_FAILED;
			}
		}
	}
	insert((struct region){ a, a + n, prot, shared, false, true, false });
	return (void *)a;
}

/* range: page-align [addr, addr + len); EINVAL for a misaligned or bad start. */
static int range(void *addr, size_t len, uint64_t *lo, uint64_t *hi)
{
	uint64_t a = (uint64_t)addr;
	if ((a & (PAGE_SIZE - 1)) || a >= ULIM || len > ULIM - a)
		return fail(EINVAL);
	*lo = a, *hi = a + ((len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
	return 0;
}

/* covered: is every page of [lo, hi) in a region? */
static bool covered(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo; va < hi;) {
		struct region *r = region_at(va);
		if (!r)
			return false;
		va = r->hi;
	}
	return true;
}

static int munmap_locked(void *addr, size_t len)
{
	uint64_t lo, hi;
	if (range(addr, len, &lo, &hi) < 0 || len == 0)
		return fail(EINVAL);
	if (cut(lo, hi) < 0)
		return -1;
	drop(lo, hi);
	return 0;
}

struct protect {
	struct batch b;
	int prot;
	bool shared;
};

static void protect_page(uint64_t va, uint64_t pte, void *arg)
{
	struct protect *p = arg;
	uint64_t bits = perm(p->prot, p->shared) | (pte & PTE_COW);
	if (bits & PTE_COW)
		bits &= ~PTE_W; /* still to be copied on the first write */
	add(&p->b, (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = va, .perm = bits });
}

/* park_page / unpark_page: move a page's frame to / back from its parking place
 * (*arg: the delta). */
static void move_page(uint64_t from, uint64_t to, uint64_t pte)
{
	sys_page_map(0, (long)from, 0, (long)to, (long)(pte & (PTE_W | PTE_NX | PTE_AVAIL)));
	sys_page_unmap(0, (long)from);
}

static void park_page(uint64_t va, uint64_t pte, void *arg)
{
	move_page(va, va + *(uint64_t *)arg, pte);
}

static void unpark_page(uint64_t va, uint64_t pte, void *arg)
{
	move_page(va, va - *(uint64_t *)arg, pte);
}

/* adopt: give every part of [lo, hi) outside the region table (pages mmap did
 * not make: data, heap) a region of private anonymous memory, readable and
 * writable. Returns 0, or -1 with ENOMEM (a page there is not mapped, or the
 * table is full). */
static int adopt(uint64_t lo, uint64_t hi)
{
	for (uint64_t va = lo; va < hi;) {
		struct region *r = region_at(va);
		if (r) {
			va = r->hi;
			continue;
		}
		uint64_t end = va;
		while (end < hi && !region_at(end)) {
			if (!(vpt_lookup(end) & PTE_P))
				return fail(ENOMEM);
			end += PAGE_SIZE;
		}
		if (insert((struct region){ va, end, PROT_READ | PROT_WRITE, false, false, true, false }) < 0)
			return -1;
		va = end;
	}
	return 0;
}

/* reshape: give the part of every region in [lo, hi) (all covered) its own
 * entry in the table and change(part, value) it. 0, or -1 with ENOMEM (the table
 * is full). */
static int reshape(uint64_t lo, uint64_t hi, void (*change)(struct region *, int), int value)
{
	for (uint64_t va = lo; va < hi;) {
		struct region *r = region_at(va);
		uint64_t end = r->hi < hi ? r->hi : hi;
		struct region part = *r;
		part.lo = va, part.hi = end;
		change(&part, value);
		if (cut(va, end) < 0 || insert(part) < 0)
			return -1;
		va = end;
	}
	return 0;
}

static void set_prot(struct region *r, int prot)
{
	r->prot = prot;
}

/* MADV_HUGEPAGE / MADV_NOHUGEPAGE: private anonymous memory only. */
static void set_huge(struct region *r, int huge)
{
	r->huge = huge && !r->shared && !r->file;
}

static int mprotect_locked(void *addr, size_t len, int prot)
{
	uint64_t lo, hi;
	if (range(addr, len, &lo, &hi) < 0 || (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return fail(EINVAL);
	uint64_t delta = park_delta(lo, hi);
	if (prot == PROT_NONE && !delta)
		return fail(ENOTSUP); /* the stack's pages cannot be hidden */
	if (!covered(lo, hi) && adopt(lo, hi) < 0)
		return -1;
	for (uint64_t va = lo; va < hi; va = region_at(va)->hi)
		if ((prot & PROT_WRITE) && !region_at(va)->maywrite)
			return fail(EACCES); /* a shared map of a file not open for writing */
	if (reshape(lo, hi, set_prot, prot) < 0)
		return -1;
	split_large(lo, hi);
	for (uint64_t va = lo; va < hi; va = (va | (LARGE_PAGE_SIZE - 1)) + 1)
		libos_own_table(va);
	if (delta && prot != PROT_NONE)
		each_present(lo + delta, hi + delta, unpark_page, &delta);
	if (prot == PROT_NONE) {
		each_present(lo, hi, park_page, &delta);
		return 0;
	}
	static struct protect p;
	p.b.n = 0, p.b.err = 0, p.prot = prot, p.shared = false;
	for (uint64_t va = lo; va < hi;) {
		struct region *r = region_at(va);
		uint64_t end = r->hi < hi ? r->hi : hi;
		p.shared = r->shared;
		each_present(va, end, protect_page, &p);
		flush(&p.b);
		va = end;
	}
	return p.b.err ? fail(exo_errno(p.b.err)) : 0;
}

int msync(void *addr, size_t len, int flags)
{
	uint64_t lo, hi;
	if (range(addr, len, &lo, &hi) < 0 || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return fail(EINVAL);
	return covered(lo, hi) ? 0 : fail(ENOMEM); /* memory is the only copy */
}

static int madvise_locked(void *addr, size_t len, int advice)
{
	uint64_t lo, hi;
	if (range(addr, len, &lo, &hi) < 0)
		return fail(EINVAL);
	switch (advice) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
		return covered(lo, hi) ? 0 : fail(ENOMEM);
	case MADV_HUGEPAGE: case MADV_NOHUGEPAGE:
		if (!covered(lo, hi))
			return fail(ENOMEM);
		return reshape(lo, hi, set_huge, advice == MADV_HUGEPAGE);
	case MADV_DONTNEED:
		if (!covered(lo, hi))
			return fail(ENOMEM);
		for (uint64_t va = lo; va < hi;) { /* private pages go: the next touch is a zero page */
			struct region *r = region_at(va);
			uint64_t end = r->hi < hi ? r->hi : hi;
			if (!r->shared && !r->file)
				drop(va, end);
			va = end;
		}
		return 0;
	default:
		return fail(EINVAL);
	}
}

int posix_madvise(void *addr, size_t len, int advice)
{
	return madvise(addr, len, advice) < 0 ? errno : 0;
}

int mlock(const void *addr, size_t len)
{
	uint64_t lo, hi;
	if (range((void *)((uint64_t)addr & ~(PAGE_SIZE - 1)), len + ((uint64_t)addr & (PAGE_SIZE - 1)), &lo, &hi) < 0)
		return fail(EINVAL);
	for (uint64_t va = lo; va < hi; va += PAGE_SIZE) /* nothing is ever paged out: it only has to exist */
		if (!(vpt_lookup(va) & PTE_P) && !region_at(va))
			return fail(ENOMEM);
	return 0;
}

int munlock(const void *addr, size_t len)
{
	return mlock(addr, len);
}

int mlockall(int flags)
{
	return flags & ~3 ? fail(EINVAL) : 0;
}

int munlockall(void)
{
	return 0;
}

bool libos_mman_allows(uint64_t va, bool write)
{
	struct region *r = region_at(va);
	return r && !r->shared && !r->file && r->prot != PROT_NONE && (!write || (r->prot & PROT_WRITE));
}

bool libos_mman_past_eof(uint64_t va)
{
	struct region *r = region_at(va);
	uint64_t d = park_delta(va, va + PAGE_SIZE);
	return r && r->file && !(vpt_lookup(va) & PTE_P) && !(d && (vpt_lookup(va + d) & PTE_P));
}

bool libos_mman_shared_in(uint64_t lo, uint64_t hi)
{
	for (int i = 0; i < nregions; i++) {
		const struct region *r = &regions[i];
		uint64_t d = park_delta(r->lo, r->hi);
		if (r->shared && ((lo < r->hi && hi > r->lo) || (d && lo < r->hi + d && hi > r->lo + d)))
			return true;
	}
	return false;
}

/* A large page for the 2 MiB around va in r, if r asked for them, it covers
 * them whole in the mapping area, it is writable (a read-only large page would
 * be taken for a shared one) and nothing is mapped there yet. 0 when made. */
static long fault_large(const struct region *r, uint64_t va)
{
	uint64_t t = va & ~(LARGE_PAGE_SIZE - 1);
	if (!r->huge || !(r->prot & PROT_WRITE) || t < r->lo || t + LARGE_PAGE_SIZE > r->hi || t < LIBOS_MMAP_LO ||
	    t + LARGE_PAGE_SIZE > LIBOS_MMAP_HI || table_present(t))
		return -1;
	return sys_large_alloc(0, (long)t, (long)perm(r->prot, false));
}

int libos_mman_fault(uint64_t va, bool write)
{
	struct region *r = region_at(va);
	if (!r || r->prot == PROT_NONE || (write && !(r->prot & PROT_WRITE)) || r->shared || r->file)
		return -1;
	if (fault_large(r, va) == 0)
		return 0;
	libos_own_table(va);
	return sys_page_alloc(0, (long)(va & ~(PAGE_SIZE - 1)), (long)perm(r->prot, false)) < 0 ? -1 : 0;
}

/* The calls that change the mapping table, one thread at a time (the fault
 * handler only reads it). */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	libos_lock(&libos_mman_lock);
	void * r = mmap_locked(addr, len, prot, flags, fd, off);
	libos_unlock(&libos_mman_lock);
	return r;
}

int munmap(void *addr, size_t len)
{
	libos_lock(&libos_mman_lock);
	int r = munmap_locked(addr, len);
	libos_unlock(&libos_mman_lock);
	return r;
}

int mprotect(void *addr, size_t len, int prot)
{
	libos_lock(&libos_mman_lock);
	int r = mprotect_locked(addr, len, prot);
	libos_unlock(&libos_mman_lock);
	return r;
}

int madvise(void *addr, size_t len, int advice)
{
	libos_lock(&libos_mman_lock);
	int r = madvise_locked(addr, len, advice);
	libos_unlock(&libos_mman_lock);
	return r;
}
