/*
 * Memory system calls: frames and page-table entries, one at a time, in batches,
 * over ranges, and whole last-level page tables shared between address spaces.
 *
 * Rules every call enforces before it changes anything:
 *  - addresses are page-aligned user addresses (below ULIM);
 *  - the target environment is the caller or one of its descendants;
 *  - permission bits are only P, W, U, NX and the three software bits (PTE_AVAIL);
 *  - rights never grow: a writable mapping needs a frame owned by an environment
 *    the caller controls, or a source mapping that is writable at every level, or
 *    (page_protect) to be the only mapping of a user frame, which then moves the
 *    frame to the target (charged to its quota);
 *  - entries inside a shared page table are not changed (-E_AGAIN): unshare first;
 *  - page tables made for a mapping are charged to the target's frame quota;
 *  - a frame's mapping count never overflows (-E_QUOTA).
 */
#include "env.h"
#include "syscalls.h"
#include "pmem.h"
#include "vm.h"
#include "x86.h"
#include "../include/exo/error.h"

/* Forget a stale translation of va. The target's table may be shared (for
 * writing) with the caller's, so flush whatever the current address space is. */
static void flush(struct env *e, uint64_t va)
{
	(void)e;
	invlpg(va);
}

/* Is the page table covering va in e shared with another address space? With
 * readonly, only a copy-on-write sharing (read-only PDE) counts. */
static bool pt_shared(struct env *e, uint64_t va, bool readonly)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	return pde && (*pde & PTE_P) && pmem_frame(PTE_ADDR(*pde))->maps > 1 && (!readonly || !(*pde & PTE_W));
}

/* The PTE for va in e, for changing: NULL with *err when the page table is shared
 * read-only (-E_AGAIN: unshare first) or, with create, memory ran out (-E_NOMEM).
 * A table shared for writing is changed for all who share it. */
static pte_t *pte_for_update(struct env *e, uint64_t va, bool create, int *err)
{
	if (pt_shared(e, va, true))
		return *err = -E_AGAIN, NULL;
	pte_t *pte = create ? env_walk_create(e, va, err) : vm_walk(e->pml4_pa, va, false);
	if (!pte && !create)
		*err = -E_INVAL;
	return pte;
}

/* May caller give target a writable mapping of the frame at pa? */
static bool may_write_frame(struct env *caller, uint64_t pa)
{
	int32_t owner = pmem_frame(pa)->owner;
	struct env *o = owner > 0 ? env_lookup(owner) : NULL;
	return o && env_controls(caller, o);
}

/* page_alloc(envid, va, perm): map a fresh zeroed frame, owned by envid, at va.
 * Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM, -E_AGAIN. */
long sys_page_alloc(long envid, long va, long perm)
{
	struct env *e;
	int err;
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	if (!pte_for_update(e, va, true, &err))
		return err;
	return env_page_alloc(e, va, perm, &err) ? 0 : err;
}

/* Validate mapping the frame at srcva in src to dstva in dst with perm; on success
 * return the source frame's physical address. */
static int check_map(struct env *src, uint64_t srcva, uint64_t dstva, uint64_t perm, uint64_t *pa)
{
	uint64_t eff;
	if (!user_page_ok(srcva) || !user_page_ok(dstva) || !perm_ok(perm))
		return -E_INVAL;
	pte_t *spte = vm_lookup(src->pml4_pa, srcva, &eff);
	if (!spte)
		return -E_INVAL;
	*pa = PTE_ADDR(*spte);
	if ((perm & PTE_W) && !(eff & PTE_W) && !may_write_frame(curenv(), *pa))
		return -E_PERM;
	/* Leave room for a whole batch of mappings of this frame. */
	if (pmem_frame(*pa)->maps > UINT16_MAX - EXO_PTE_BATCH_MAX)
		return -E_QUOTA;
	return 0;
}

/* Install frame pa at va in e (pte from pte_for_update). */
static void install(struct env *e, pte_t *pte, uint64_t va, uint64_t pa, uint64_t perm)
{
	pmem_frame(pa)->maps++; /* first: replacing a mapping of the same frame must not free it */
	if (*pte & PTE_P)
		vm_unmap_pte(pte);
	*pte = pa | perm | PTE_P | PTE_U;
	flush(e, va);
}

/* page_map(srcenv, srcva, dstenv, dstva, perm): map the frame at srcva in srcenv at
 * dstva in dstenv. Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM, -E_AGAIN. */
long sys_page_map(long srcid, long srcva, long dstid, long dstva, long perm)
{
	struct env *src, *dst;
	uint64_t pa;
	int err;
	if ((err = env_controlled(srcid, &src)) < 0 || (err = env_controlled(dstid, &dst)) < 0)
		return err;
	if ((err = check_map(src, srcva, dstva, perm, &pa)) < 0)
		return err;
	pte_t *dpte = pte_for_update(dst, dstva, true, &err);
	if (!dpte)
		return err;
	install(dst, dpte, dstva, pa, perm);
	return 0;
}

/* page_unmap(envid, va): remove the mapping at va; none there is not an error.
 * A frame nobody maps any more is freed. Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_AGAIN. */
long sys_page_unmap(long envid, long va)
{
	struct env *e;
	int err;
	if (!user_page_ok(va))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	pte_t *pte = pte_for_update(e, va, false, &err);
	if (pte && (*pte & PTE_P)) {
		vm_unmap_pte(pte);
		flush(e, va);
	} else if (err == -E_AGAIN) {
		return err;
	}
	return 0;
}

/* Would making the read-only mapping *pte in e writable need the frame to move to
 * e (the caller does not control its owner, and this is its only mapping)? */
static bool takes_frame(struct env *e, pte_t pte, uint64_t perm)
{
	uint64_t pa = PTE_ADDR(pte);
	return (perm & PTE_W) && !(pte & PTE_W) && pmem_frame(pa)->owner != e->id &&
	       !may_write_frame(curenv(), pa);
}

/* Validate a permission change of the mapping at va in e. */
static int check_protect(struct env *e, uint64_t va, uint64_t perm, pte_t **out)
{
	int err;
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	pte_t *pte = pte_for_update(e, va, false, &err);
	if (!pte)
		return err;
	if (!(*pte & PTE_P))
		return -E_INVAL;
	if (takes_frame(e, *pte, perm)) {
		struct exo_frame *f = pmem_frame(PTE_ADDR(*pte));
		/* boot modules, frames mapped elsewhere, and entries others see stay put */
		if (f->owner <= 0 || f->maps != 1 || pt_shared(e, va, false))
			return -E_PERM;
		if (e->nframes >= e->frame_quota)
			return -E_QUOTA;
	}
	*out = pte;
	return 0;
}

/* Apply a validated permission change; a lone mapping made writable takes the frame. */
static void apply_protect(struct env *e, pte_t *pte, uint64_t va, uint64_t perm)
{
	uint64_t pa = PTE_ADDR(*pte);
	struct exo_frame *f = pmem_frame(pa);
	if (takes_frame(e, *pte, perm)) {
		env_uncharge(f->owner);
		f->owner = e->id;
		e->nframes++;
		env_publish(e);
	}
	*pte = pa | perm | PTE_P | PTE_U;
	flush(e, va);
}

/* page_protect(envid, va, perm): change the permission of the mapping at va.
 * Returns 0, -E_INVAL (nothing mapped), -E_BADENV, -E_PERM, -E_AGAIN. */
long sys_page_protect(long envid, long va, long perm)
{
	struct env *e;
	pte_t *pte;
	int err;
	if ((err = env_controlled(envid, &e)) < 0 || (err = check_protect(e, va, perm, &pte)) < 0)
		return err;
	apply_protect(e, pte, va, perm);
	return 0;
}

/* Validate one batch operation on e (MAP takes its frame from self). */
static int check_op(struct env *self, struct env *e, const struct exo_pte_op *op)
{
	int err = 0;
	uint64_t pa;
	pte_t *pte;
	switch (op->op) {
	case EXO_PTE_MAP:
		if ((err = check_map(self, op->srcva, op->va, op->perm, &pa)) < 0)
			return err;
		pte_for_update(e, op->va, true, &err);
		return err;
	case EXO_PTE_PROTECT:
		return check_protect(e, op->va, op->perm, &pte);
	case EXO_PTE_UNMAP:
		if (!user_page_ok(op->va))
			return -E_INVAL;
		pte_for_update(e, op->va, false, &err);
		return err == -E_AGAIN ? err : 0; /* nothing mapped is fine */
	default:
		return -E_INVAL;
	}
}

/* Does an operation of the (ascending) batch other than number self replace or
 * remove the mapping at va (MAP or UNMAP; a PROTECT leaves the frame where it is)?
 * The caller's and the target's tables may be shared, so this holds for any
 * target. Binary search. */
static bool batch_replaces(const struct exo_pte_op *ops, long count, uint64_t va, long self)
{
	long lo = 0, hi = count - 1;
	while (lo <= hi) {
		long mid = lo + (hi - lo) / 2;
		if (ops[mid].va == va)
			return mid != self && ops[mid].op != EXO_PTE_PROTECT;
		if (ops[mid].va < va)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* pte_batch(envid, ops, count): apply count struct exo_pte_op to envid, whose
 * target addresses must be strictly ascending. Every operation is checked before
 * any is applied; on an error nothing has changed (page
 * tables may have been created) and the result is -(index + 1) * 256 - E_code, so
 * the caller can tell which operation failed: index = (-r >> 8) - 1, error = -r & 255.
 * Returns count on success. */
long sys_pte_batch(long envid, long ops_va, long count)
{
	static struct exo_pte_op ops[EXO_PTE_BATCH_MAX];
	struct env *e, *self = curenv();
	int err;
	if (count < 0 || count > EXO_PTE_BATCH_MAX)
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	if (copy_in(ops, ops_va, count * sizeof ops[0]) < 0)
		return -E_FAULT;
	for (long i = 0; i < count; i++) {
		/* Ascending addresses: no two operations touch the same entry, and no MAP
		 * takes its frame from an address another operation replaces or removes;
		 * so checking each operation against the state before the batch is
		 * checking it as it will be applied. */
		if (i > 0 && ops[i].va <= ops[i - 1].va)
			return -(i + 1) * 256 - E_INVAL;
		if (ops[i].op == EXO_PTE_MAP && batch_replaces(ops, count, ops[i].srcva, i))
			return -(i + 1) * 256 - E_INVAL;
		if ((err = check_op(self, e, &ops[i])) < 0)
			return -(i + 1) * 256 + err;
	}
	for (long i = 0; i < count; i++) {
		struct exo_pte_op *op = &ops[i];
		pte_t *pte = vm_walk(e->pml4_pa, op->va, op->op == EXO_PTE_MAP);
		if (op->op == EXO_PTE_MAP) {
			pte_t *spte = vm_walk(self->pml4_pa, op->srcva, false);
			install(e, pte, op->va, PTE_ADDR(*spte), op->perm);
		} else if (op->op == EXO_PTE_PROTECT) {
			apply_protect(e, pte, op->va, op->perm);
		} else if (pte && (*pte & PTE_P)) {
			vm_unmap_pte(pte);
			flush(e, op->va);
		}
	}
	return count;
}

/* The first present PDE at or after *va (below end), skipping absent upper levels
 * whole; *va moves to the start of what was skipped to. NULL when none is left. */
static pte_t *next_pde(struct env *e, uint64_t *va, uint64_t end)
{
	while (*va < end) {
		pte_t *t = KADDR(e->pml4_pa);
		for (int l = 3; l >= 1; l--) {
			uint64_t span = 1UL << (12 + 9 * l); /* what one entry at this level covers */
			unsigned idx = (*va >> (12 + 9 * l)) & 511;
			/* Step over absent entries within this table without walking again. */
			while (!(t[idx] & PTE_P)) {
				*va = ROUNDDOWN(*va, span) + span;
				if (*va >= end)
					return NULL;
				if (++idx == 512)
					break;
			}
			if (idx == 512)
				break; /* this table is done: walk again from the top for the next */
			if (l == 1)
				return &t[idx];
			t = KADDR(PTE_ADDR(t[idx]));
		}
	}
	return NULL;
}

/* protect_range(envid, start, end, set, clear): for every present mapping in
 * [start, end) of envid: clear the bits in clear, then set the bits in set. Only W
 * and the software bits may be cleared and only NX and the software bits set (a
 * range protect never grants write access). Returns the number of present
 * entries in the range (each rewritten), or -E_INVAL, -E_BADENV, -E_PERM, -E_AGAIN (a shared page table in the range). */
long sys_protect_range(long envid, long start, long end, long set, long clear)
{
	struct env *e;
	int err;
	if (!user_page_ok(start) || (end & (PAGE_SIZE - 1)) || (uint64_t)end > ULIM || end < start)
		return -E_INVAL;
	if ((set & ~(PTE_AVAIL | PTE_NX)) || (clear & ~(PTE_AVAIL | PTE_W)))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	for (uint64_t va = start; va < (uint64_t)end;) {
		pte_t *pde = next_pde(e, &va, end);
		if (pde && pt_shared(e, va, true))
			return -E_AGAIN;
		va = ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE;
	}
	long changed = 0;
	for (uint64_t va = start; va < (uint64_t)end;) {
		pte_t *pde = next_pde(e, &va, end);
		if (!pde)
			break;
		pte_t *pt = KADDR(PTE_ADDR(*pde));
		uint64_t stop = MIN((uint64_t)end, ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE);
		for (; va < stop; va += PAGE_SIZE) {
			pte_t *pte = &pt[(va >> 12) & 511];
			if (!(*pte & PTE_P))
				continue;
			*pte = (*pte & ~(uint64_t)clear) | (uint64_t)set;
			changed++;
		}
	}
	if (changed)
		lcr3(curenv()->pml4_pa); /* one flush for the whole range (tables may be shared) */
	return changed;
}

/* pt_share(child, va, flags): make child's page table for the 2 MiB region around
 * va the caller's own. Without EXO_PT_SHARE_WRITE both PDEs become read-only, so
 * writes in the region fault until pt_unshare (copy-on-write of the table); with
 * it both stay writable and the region is shared: a mapping either side adds or
 * removes there is seen by both (each entry keeps its own rights, so the child gets
 * no right the caller lacks). The child's old table for the region, if any, is
 * freed. Returns 0, -E_INVAL (no table there in the caller, bad flags), -E_BADENV,
 * -E_PERM, -E_QUOTA, -E_NOMEM. */
long sys_pt_share(long childid, long va, long flags)
{
	struct env *self = curenv(), *child;
	int err;
	if ((uint64_t)va >= ULIM || (flags & ~EXO_PT_SHARE_WRITE))
		return -E_INVAL;
	if ((err = env_controlled(childid, &child)) < 0)
		return err;
	if (child == self)
		return -E_INVAL;
	pte_t *mine = vm_pde(self->pml4_pa, va);
	if (!mine || !(*mine & PTE_P))
		return -E_INVAL;
	uint64_t pt = PTE_ADDR(*mine);
	if (pmem_frame(pt)->maps == UINT16_MAX)
		return -E_QUOTA;
	/* The child's directory entry (the levels above made and charged as needed). */
	pte_t *theirs = env_walk_create_to(child, va, 1, &err);
	if (!theirs)
		return err;
	if (!(*theirs & PTE_P) || PTE_ADDR(*theirs) != pt) {
		uint64_t old = (*theirs & PTE_P) ? PTE_ADDR(*theirs) : 0;
		pmem_frame(pt)->maps++;
		*theirs = pt | PTE_P | PTE_U | ((flags & EXO_PT_SHARE_WRITE) ? (*mine & PTE_W) : 0);
		if (old && --pmem_frame(old)->maps == 0) {
			pte_t *t = KADDR(old);
			for (int i = 0; i < 512; i++)
				if (t[i] & PTE_P)
					vm_unmap_pte(&t[i]);
			pmem_free(old);
			child->nframes--; /* its page table was charged to it */
			env_publish(child);
		}
		if (child == curenv())
			lcr3(child->pml4_pa);
	}
	if (!(flags & EXO_PT_SHARE_WRITE) && (*mine & PTE_W)) {
		*mine &= ~PTE_W;
		lcr3(self->pml4_pa); /* only when our own rights shrank */
	}
	return 0;
}

/* pt_unshare(envid, va, cow_bits): give envid a private page table for the 2 MiB
 * region around va and make its PDE writable again. If the table is shared, the
 * kernel copies it (charged to envid; each mapped frame gains a mapping) and every
 * writable entry, in the copy and in the table left to the others, becomes
 * read-only with cow_bits (software bits only, e.g. the libOS's copy-on-write mark)
 * set: neither side can ever write a frame the other sees. Returns 0, -E_INVAL,
 * -E_BADENV, -E_PERM, -E_QUOTA (quota, or a frame's mapping count is full), -E_NOMEM. */
long sys_pt_unshare(long envid, long va, long cow_bits)
{
	struct env *e;
	int err;
	if ((uint64_t)va >= ULIM || (cow_bits & ~PTE_AVAIL))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (!pde || !(*pde & PTE_P))
		return -E_INVAL;
	uint64_t old = PTE_ADDR(*pde);
	if (pmem_frame(old)->maps > 1) {
		pte_t *src = KADDR(old);
		for (int i = 0; i < 512; i++)
			if ((src[i] & PTE_P) && pmem_frame(PTE_ADDR(src[i]))->maps > UINT16_MAX - 512)
				return -E_QUOTA; /* the copy may add up to 512 mappings of one frame */
		if (e->nframes >= e->frame_quota)
			return -E_QUOTA;
		uint64_t copy = pmem_alloc(FRAME_OWNER_KERNEL);
		if (!copy)
			return -E_NOMEM;
		pte_t *dst = KADDR(copy);
		for (int i = 0; i < 512; i++) {
			if (!(src[i] & PTE_P))
				continue;
			if (src[i] & PTE_W)
				src[i] = (src[i] & ~PTE_W) | (uint64_t)cow_bits;
			dst[i] = src[i];
			pmem_frame(PTE_ADDR(src[i]))->maps++;
		}
		pmem_frame(copy)->maps = 1;
		pmem_frame(old)->maps--;
		e->nframes++;
		env_publish(e);
		*pde = copy | PTE_P | PTE_U | PTE_W;
	} else {
		/* Ours alone now, but a sharer that ended may have left writable entries
		 * to frames mapped elsewhere too: those become read-only (cow_bits). */
		pte_t *t = KADDR(old);
		for (int i = 0; i < 512; i++)
			if ((t[i] & PTE_P) && (t[i] & PTE_W) && pmem_frame(PTE_ADDR(t[i]))->maps > 1)
				t[i] = (t[i] & ~PTE_W) | (uint64_t)cow_bits;
		*pde |= PTE_W;
	}
	lcr3(curenv()->pml4_pa);
	return 0;
}

/* pte_copy_range(child, start, end, cow_bits, share_bits): copy every present
 * entry of ours in [start, end) into child at the same address, in one call (the
 * copy-on-write fork's inner loop, done where the page tables are). An entry with
 * any of share_bits set is copied as it is (shared memory); a writable entry, or
 * one with any of cow_bits, becomes read-only with cow_bits set in both address
 * spaces; a read-only entry is copied as it is. So the child never gets a right we
 * lack. Both bit sets must be software bits (PTE_AVAIL). Our tables in the range
 * must not be shared (-E_AGAIN). Returns the number of entries copied, or -E_INVAL,
 * -E_BADENV, -E_PERM, -E_AGAIN, -E_QUOTA (child's quota, or a frame's mapping
 * count is full), -E_NOMEM. */
long sys_pte_copy_range(long childid, long start, long end, long cow_bits, long share_bits)
{
	struct env *self = curenv(), *child;
	int err;
	if ((start & (PAGE_SIZE - 1)) || (end & (PAGE_SIZE - 1)) || (uint64_t)end > ULIM || end < start ||
	    (cow_bits & ~PTE_AVAIL) || (share_bits & ~PTE_AVAIL))
		return -E_INVAL;
	if ((err = env_controlled(childid, &child)) < 0)
		return err;
	if (child == self)
		return -E_INVAL;
	/* Check everything first: no shared table, no full mapping count, room for
	 * the child's page tables (at most three per table we copy). */
	uint64_t tables = 0, entries = 0;
	for (uint64_t va = start; va < (uint64_t)end;) {
		pte_t *pde = next_pde(self, &va, end);
		if (!pde)
			break;
		pte_t *cpde = vm_pde(child->pml4_pa, va);
		if (pmem_frame(PTE_ADDR(*pde))->maps > 1 ||
		    (cpde && (*cpde & PTE_P) && pmem_frame(PTE_ADDR(*cpde))->maps > 1))
			return -E_AGAIN; /* our table or the child's is shared */
		pte_t *pt = KADDR(PTE_ADDR(*pde));
		uint64_t stop = MIN((uint64_t)end, ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE);
		for (; va < stop; va += PAGE_SIZE)
			entries += (pt[(va >> 12) & 511] & PTE_P) != 0;
		tables++;
	}
	/* One frame may appear in every entry copied: leave room for all of them. */
	for (uint64_t va = start; entries && va < (uint64_t)end;) {
		pte_t *pde = next_pde(self, &va, end);
		if (!pde)
			break;
		pte_t *pt = KADDR(PTE_ADDR(*pde));
		uint64_t stop = MIN((uint64_t)end, ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE);
		for (; va < stop; va += PAGE_SIZE) {
			pte_t e = pt[(va >> 12) & 511];
			if ((e & PTE_P) && pmem_frame(PTE_ADDR(e))->maps > UINT16_MAX - entries)
				return -E_QUOTA;
		}
	}
	if (child->nframes + 3 * tables > child->frame_quota)
		return -E_QUOTA;
	long copied = 0;
	for (uint64_t va = start; va < (uint64_t)end;) {
		pte_t *pde = next_pde(self, &va, end);
		if (!pde)
			break;
		pte_t *src = KADDR(PTE_ADDR(*pde));
		pte_t *slot = env_walk_create(child, va, &err);
		if (!slot)
			return err; /* out of memory: what was copied stays, the child is unusable */
		pte_t *dst = slot - ((va >> 12) & 511);
		uint64_t stop = MIN((uint64_t)end, ROUNDDOWN(va, LARGE_PAGE_SIZE) + LARGE_PAGE_SIZE);
		for (; va < stop; va += PAGE_SIZE) {
			int i = (int)((va >> 12) & 511);
			pte_t e = src[i];
			if (!(e & PTE_P))
				continue;
			if (!(e & (uint64_t)share_bits) && (e & (PTE_W | (uint64_t)cow_bits)))
				src[i] = e = (e & ~PTE_W) | (uint64_t)cow_bits;
			if (dst[i] & PTE_P)
				vm_unmap_pte(&dst[i]);
			dst[i] = e;
			pmem_frame(PTE_ADDR(e))->maps++;
			copied++;
		}
	}
	if (copied)
		lcr3(self->pml4_pa); /* our entries lost write access */
	return copied;
}
