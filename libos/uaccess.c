/*
 * Checking user pointers before the libOS uses them. A POSIX call that is handed a
 * bad pointer must fail with EFAULT and change nothing, rather than fault inside
 * the libOS (possibly half-way through a request it has made of the server).
 * The checks read our own page tables through the read-only self-map (vpt.h), so
 * they never fault themselves.
 */
#include <errno.h>
#include <string.h>
#include "libos.h"
#include "vpt.h"
#include "proc.h"

/* What a page allows for an access. */
enum page_use {
	PAGE_BAD,     /* not a user page, or read-only for a write */
	PAGE_OK,      /* usable as it is (or the stack grows into it on first touch) */
	PAGE_LAZY,    /* anonymous memory not touched yet: made now (mman.c) */
	PAGE_FAULTIN, /* writable after a write fault: copy-on-write, or a page table an
		       * on-demand fork shares read-only */
};

/* page_use: how the page holding va can be used for reading or (write) writing.
 * An unmapped page in the stack's growable area counts as usable: the page-fault
 * handler maps it on first touch (pgfault.c). */
static enum page_use page_use(uint64_t va, bool write)
{
	uint64_t pte = vpt_lookup(va);
	if (!(pte & PTE_P))
		return va >= USTACKTOP - USTACK_LIMIT && va < USTACKTOP ? PAGE_OK
		       : libos_mman_allows(va, write) ? PAGE_LAZY : PAGE_BAD;
	if (!(pte & PTE_U))
		return PAGE_BAD;
	if (!write)
		return PAGE_OK;
	if (pte & PTE_COW)
		return PAGE_FAULTIN;
	if (!(pte & PTE_W))
		return PAGE_BAD;
	return (*VPT_PDE(va) & PTE_W) ? PAGE_OK : PAGE_FAULTIN;
}

/* range_ok: [a, a + n) lies in the user half (no wrap-around, nothing at or above
 * ULIM, which also rules out non-canonical addresses) and not in page 0. */
static bool range_ok(uint64_t a, size_t n)
{
	return a >= PAGE_SIZE && a < ULIM && n <= ULIM - a;
}

int libos_user_range(const void *p, size_t n, bool write)
{
	if (n == 0)
		return 0;
	uint64_t a = (uint64_t)p;
	if (!range_ok(a, n))
		return EFAULT;
	uint64_t first = a & ~(PAGE_SIZE - 1), end = a + n;
	bool faultin = false;
	for (uint64_t va = first; va < end; va += PAGE_SIZE) {
		enum page_use u = page_use(va, write);
		if (u == PAGE_BAD)
			return EFAULT;
		faultin |= u == PAGE_FAULTIN || u == PAGE_LAZY;
	}
	/* The whole range is good: make the copy-on-write pages writable now (the
	 * fault handler copies them), so that nothing is left to fail later. */
	for (uint64_t va = first; faultin && va < end; va += PAGE_SIZE)
		if (!(vpt_lookup(va) & PTE_P) && libos_mman_allows(va, write))
			libos_mman_fault(va, write); /* the kernel may read or write it: it must exist */
		else if (write && page_use(va, true) == PAGE_FAULTIN) {
			uint64_t at = va < a ? a : va;
			libos_prefault((void *)at, 1);
		}
	return 0;
}

int libos_user_string(const char *s, size_t max)
{
	uint64_t a = (uint64_t)s;
	if (a < PAGE_SIZE || a >= ULIM)
		return EFAULT;
	size_t i = 0;
	while (i < max) {
		uint64_t va = a + i;
		if (va >= ULIM || page_use(va & ~(PAGE_SIZE - 1), false) == PAGE_BAD)
			return EFAULT;
		/* The rest of this page (or of max) is readable: look for the NUL. */
		size_t left = PAGE_SIZE - (va & (PAGE_SIZE - 1));
		if (left > max - i)
			left = max - i;
		for (size_t k = 0; k < left; k++)
			if (s[i + k] == 0)
				return 0;
		i += left;
	}
	return ENAMETOOLONG;
}

int libos_user_vector(char *const *v, size_t max_entries, size_t max_bytes)
{
	if (!v)
		return 0; /* no vector: an empty one */
	size_t bytes = 0;
	for (size_t i = 0;; i++) {
		if (i >= max_entries)
			return E2BIG;
		if (libos_user_range(&v[i], sizeof v[i], false))
			return EFAULT;
		if (!v[i])
			return 0;
		int r = libos_user_string(v[i], max_bytes - bytes);
		if (r)
			return r == ENAMETOOLONG ? E2BIG : r;
		bytes += strlen(v[i]) + 1;
		if (bytes > max_bytes)
			return E2BIG;
	}
}
