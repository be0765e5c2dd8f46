/*
 * The heap: sbrk over page_alloc. The break starts at the end of bss (`end` from
 * the link map); growing maps fresh zeroed pages, shrinking unmaps whole pages.
 */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include "libos.h"

extern char end[];
#define HEAP_LIMIT LIBOS_MMAP_LO /* the heap stops where mappings start */

static uintptr_t brk_cur;    /* current break */
static uintptr_t brk_mapped; /* pages are mapped in [heap start, brk_mapped) */

/* sbrk: move the break by incr bytes. Returns the old break, or (void *)-1 with
 * errno ENOMEM when the request would pass the heap limit or memory runs out (the
 * break is then unchanged). */
void *sbrk(ptrdiff_t incr)
{
	if (!brk_cur)
		brk_cur = brk_mapped = ((uintptr_t)end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	uintptr_t old = brk_cur, want = brk_cur + incr;
	if ((incr > 0 && (want < old || want > HEAP_LIMIT)) ||
	    (incr < 0 && want < (((uintptr_t)end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)))) {
		errno = ENOMEM;
		return (void *)-1;
	}
	uintptr_t need = (want + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	for (uintptr_t va = brk_mapped; va < need; va += PAGE_SIZE) {
		libos_own_table(va);
		long r = sys_page_alloc(0, va, PTE_W | PTE_NX);
		if (r < 0) {
			for (uintptr_t undo = brk_mapped; undo < va; undo += PAGE_SIZE)
				sys_page_unmap(0, undo);
			errno = ENOMEM;
			return (void *)-1;
		}
	}
	for (uintptr_t va = need; va < brk_mapped; va += PAGE_SIZE)
		sys_page_unmap(0, va);
	brk_mapped = need;
	brk_cur = want;
	return (void *)old;
}
