/*
 * Memory system calls: frames and page-table entries, one at a time, in batches,
 * over ranges, and whole last-level page tables shared between address spaces.
 *
 * Rules every call enforces:
 *  - addresses are page-aligned user addresses (below ULIM);
 *  - the target environment is the caller or one of its descendants;
 *  - permission bits are only P, W, U, NX and the three software bits (PTE_AVAIL);
 *  - rights never grow: a writable mapping needs a frame charged to an environment
 *    the caller controls, or a source mapping that is writable at every level, or
 *    (page_protect) to be the only mapping of a user frame, which then moves the
 *    frame to the target (charged to its quota);
 *  - entries inside a page table shared read-only are not changed (-E_AGAIN):
 *    unshare first;
 *  - page tables made for a mapping are charged to the target (EXO_FRAME_PT);
 *  - a frame's mapping count never overflows (-E_QUOTA);
 *  - a large page (a 2 MiB frame mapped by one directory entry, PTE_PS) is only
 *    ever mapped, shared, copied and dropped whole: page-level calls inside one
 *    fail with -E_INVAL (large_split first), range calls skip it.
 * All-or-nothing: each call decodes and checks every argument, then reserves every
 * frame it will make (page tables, pages: quota and free memory) and every mapping
 * count it will raise, before it changes anything. A call that returns an error
 * has changed nothing.
 */
#include "env.h"
#include "syscalls.h"
#include "pmem.h"
#include "vm.h"
#include "x86.h"
#include "../include/exo/ptscan.h"
#include "../include/exo/error.h"

/* Room to copy `entries` present entries, some of which map the frame at pa: each
 * entry copied that maps it is one of its present mappings, so its count grows by
 * at most min(entries, maps). */
static bool copy_room(uint64_t pa, uint64_t entries)
{
	uint64_t maps = pmem_frame(pa)->maps;
	return maps <= UINT16_MAX / 2 || MIN(entries, maps) <= UINT16_MAX - maps;
}

/* Is the page table covering va in e used by more than one directory entry? */
static bool table_shared(struct env *e, uint64_t va)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	return pde && (*pde & PTE_P) && pmem_frame(PTE_ADDR(*pde))->maps > 1;
}

/* Is the page table covering va in e shared read-only? */
static bool table_frozen(struct env *e, uint64_t va)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	return pde && vm_pde_frozen(*pde);
}

/* Does a large page cover va in e? */
static bool large_at(struct env *e, uint64_t va)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	return pde && vm_pde_large(*pde);
}

/* May caller give target a writable mapping of the frame at pa? */
static bool may_write_frame(struct env *caller, uint64_t pa)
{
	int32_t owner = pmem_frame(pa)->owner;
	struct env *o = owner > 0 ? env_lookup(owner) : NULL;
	return o && env_controls(caller, o);
}

/* page_alloc(envid, va, perm): map a fresh zeroed frame, charged to envid, at va.
 * Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM, -E_AGAIN. */
long sys_page_alloc(long envid, long va, long perm)
{
	struct env *e;
	int err;
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	return env_page_alloc(e, va, perm, NULL, &err) ? 0 : err;
}

/* page_copy(envid, va, srcva, perm): map at va in envid a fresh frame charged to
 * envid that holds a copy of the page the caller maps at srcva (the copy is made
 * before anything at va is replaced: srcva may be va itself, as in a copy-on-write
 * fault), instead of page_alloc, a map of the fresh page and a copy through it.
 * Returns 0, -E_INVAL (bad address or perm, nothing mapped at srcva, a large page
 * covers va), -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM, -E_AGAIN. */
long sys_page_copy(long envid, long va, long srcva, long perm)
{
	struct env *e;
	uint64_t eff, src;
	int err;
	if (!user_page_ok(va) || !user_page_ok(srcva) || !perm_ok(perm))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	if (!(src = vm_user_pa(curenv()->pml4_pa, (uint64_t)srcva, &eff)) || !(eff & PTE_U))
		return -E_INVAL;
	return env_page_alloc(e, va, perm, KADDR(src), &err) ? 0 : err;
}

/* Validate mapping the frame at srcva in src to dstva with perm, where the call
 * may add up to nmaps mappings of that frame; on success set *pa to the frame. */
static int check_map(struct env *src, uint64_t srcva, uint64_t dstva, uint64_t perm, uint64_t nmaps, uint64_t *pa)
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
	if (!pmem_map_room(*pa, nmaps))
		return -E_QUOTA;
	return 0;
}

/* page_map(srcenv, srcva, dstenv, dstva, perm): map the frame at srcva in srcenv at
 * dstva in dstenv. Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM, -E_AGAIN. */
long sys_page_map(long srcid, long srcva, long dstid, long dstva, long perm)
{
	struct env *src, *dst;
	struct pt_tally t = { 0 };
	uint64_t pa;
	int err;
	if ((err = env_controlled(srcid, &src)) < 0 || (err = env_controlled(dstid, &dst)) < 0)
		return err;
	if ((err = check_map(src, srcva, dstva, perm, 1, &pa)) < 0 || (err = env_map_check(dst, dstva, &t)) < 0 ||
	    (err = env_reserve(dst, t.n)) < 0)
		return err;
	env_map_frame(dst, dstva, pa, perm);
	return 0;
}

/* Remove the mapping at va in e, if any. Returns 0, or -E_AGAIN (and nothing
 * changes) when the table there is shared read-only, -E_INVAL inside a large page. */
static int unmap(struct env *e, uint64_t va)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (!pde || !(*pde & PTE_P))
		return 0;
	if (*pde & PTE_PS)
		return -E_INVAL;
	if (vm_pde_frozen(*pde))
		return -E_AGAIN;
	pte_t *pte = (pte_t *)KADDR(PTE_ADDR(*pde)) + PT_INDEX(va, 0);
	if (*pte & PTE_P) {
		vm_unmap_pte(pte);
		invlpg(va); /* the table may be shared (for writing) with ours */
	}
	return 0;
}

/* page_unmap(envid, va): remove the mapping at va; none there is not an error.
 * A frame nobody maps any more is freed. Returns 0, -E_INVAL (also: va is in a
 * large page), -E_BADENV, -E_PERM, -E_AGAIN. */
long sys_page_unmap(long envid, long va)
{
	struct env *e;
	int err;
	if (!user_page_ok(va))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	return unmap(e, va);
}

/* Would making the read-only mapping pte in e writable need the frame to move to
 * e (the caller does not control the environment charged for it)? */
static bool takes_frame(struct env *e, pte_t pte, uint64_t perm)
{
	uint64_t pa = PTE_ADDR(pte);
	return (perm & PTE_W) && !(pte & PTE_W) && pmem_frame(pa)->owner != e->id &&
	       !may_write_frame(curenv(), pa);
}

/* Validate a permission change of the mapping at va in e: *out gets its entry and
 * *takes is set when it moves a frame to e (one more frame charged to e). */
static int check_protect(struct env *e, uint64_t va, uint64_t perm, pte_t **out, bool *takes)
{
	if (!user_page_ok(va) || !perm_ok(perm))
		return -E_INVAL;
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (!pde || !(*pde & PTE_P) || (*pde & PTE_PS))
		return -E_INVAL;
	if (vm_pde_frozen(*pde))
		return -E_AGAIN;
	pte_t *pte = (pte_t *)KADDR(PTE_ADDR(*pde)) + PT_INDEX(va, 0);
	if (!(*pte & PTE_P))
		return -E_INVAL;
	*takes = takes_frame(e, *pte, perm);
	if (*takes) {
		struct exo_frame *f = pmem_frame(PTE_ADDR(*pte));
		/* boot modules, frames mapped elsewhere (a large frame's are mapped whole
		 * too), and entries others see stay put */
		if (f->owner <= 0 || f->maps != 1 || (f->flags & EXO_FRAME_LARGE) || pmem_frame(PTE_ADDR(*pde))->maps > 1)
			return -E_PERM;
	}
	*out = pte;
	return 0;
}

/* Apply a validated permission change to the entry pte (for va in e); takes (as
 * check_protect decided): a lone mapping made writable takes the frame. */
static void apply_protect(struct env *e, pte_t *pte, uint64_t va, uint64_t perm, bool takes)
{
	uint64_t pa = PTE_ADDR(*pte);
	if (takes)
		charge_move(pa, e);
	*pte = pa | perm | PTE_P | PTE_U;
	invlpg(va);
}

/* page_protect(envid, va, perm): change the permission of the mapping at va.
 * Returns 0, -E_INVAL (nothing mapped), -E_BADENV, -E_PERM, -E_QUOTA, -E_AGAIN. */
long sys_page_protect(long envid, long va, long perm)
{
	struct env *e;
	pte_t *pte;
	bool takes;
	int err;
	if ((err = env_controlled(envid, &e)) < 0 || (err = check_protect(e, va, perm, &pte, &takes)) < 0 ||
	    (err = charge_check(e, takes)) < 0)
		return err;
	apply_protect(e, pte, va, perm, takes);
	return 0;
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

/* What a batch needs beyond its individual checks: page tables (t), frames taken
 * over, and the number of MAP operations (the most mappings of one frame it adds). */
struct batch_need {
	struct pt_tally t;
	uint64_t takes, nmaps;
};

/* Check operation i of the batch against the state before the batch and add what
 * it needs to *need; *arg gets what applying it needs: for a MAP the frame it
 * maps, for a PROTECT its entry (tables are never freed during a batch) with bit 0
 * set if it takes the frame (decided now, against the state before the batch).
 * Returns 0 or a negative error. */
static int check_op(struct env *self, struct env *e, const struct exo_pte_op *ops, long count, long i,
		    struct batch_need *need, uint64_t *arg)
{
	const struct exo_pte_op *op = &ops[i];
	bool takes;
	int err;
	/* Ascending addresses: no two operations touch the same entry, and no MAP
	 * takes its frame from an address another operation replaces or removes; so
	 * checking each operation against the state before the batch is checking it
	 * as it will be applied. */
	if (i > 0 && op->va <= ops[i - 1].va)
		return -E_INVAL;
	switch (op->op) {
	case EXO_PTE_MAP:
		if (batch_replaces(ops, count, op->srcva, i))
			return -E_INVAL;
		if ((err = check_map(self, op->srcva, op->va, op->perm, need->nmaps, arg)) < 0)
			return err;
		return env_map_check(e, op->va, &need->t);
	case EXO_PTE_PROTECT:
		if ((err = check_protect(e, op->va, op->perm, (pte_t **)arg, &takes)) < 0)
			return err;
		*arg |= takes;
		need->takes += takes;
		return 0;
	case EXO_PTE_UNMAP:
		if (!user_page_ok(op->va) || large_at(e, op->va))
			return -E_INVAL;
		return table_frozen(e, op->va) ? -E_AGAIN : 0; /* nothing mapped is fine */
	default:
		return -E_INVAL;
	}
}

/* pte_batch(envid, ops, count): apply count struct exo_pte_op to envid, whose
 * target addresses must be strictly ascending. Every operation is checked, and
 * the frames the whole batch needs reserved, before any is applied; on an error
 * nothing has changed and the result is -(index + 1) * 256 - E_code, naming the
 * first operation that failed (for quota and memory: the one at which the batch's
 * needs exceed what is there): index = (-r >> 8) - 1, error = -r & 255. A batch
 * adds at most as many mappings of one frame as it has MAP operations, and each
 * frame it maps must have room for that many. Returns count on success. */
long sys_pte_batch(long envid, long ops_va, long count)
{
	struct exo_pte_op *ops = thiscpu()->batch_ops;
	uint64_t *arg = thiscpu()->batch_arg;
	struct env *e, *self = curenv();
	struct batch_need need = { 0 };
	int err;
	if (count < 0 || count > EXO_PTE_BATCH_MAX)
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	if (copy_in(ops, ops_va, count * sizeof ops[0]) < 0)
		return -E_FAULT;
	for (long i = 0; i < count; i++)
		need.nmaps += ops[i].op == EXO_PTE_MAP;
	for (long i = 0; i < count; i++) {
		if ((err = check_op(self, e, ops, count, i, &need, &arg[i])) < 0 ||
		    (err = charge_check(e, need.t.n + need.takes)) < 0 || (err = pmem_room(need.t.n) ? 0 : -E_NOMEM) < 0)
			return -(i + 1) * 256 + err;
	}
	for (long i = 0; i < count; i++) {
		const struct exo_pte_op *op = &ops[i];
		if (op->op == EXO_PTE_MAP)
			env_map_frame(e, op->va, arg[i], op->perm);
		else if (op->op == EXO_PTE_PROTECT)
			apply_protect(e, (pte_t *)(arg[i] & ~1UL), op->va, op->perm, arg[i] & 1);
		else
			(void)unmap(e, op->va); /* checked above: cannot fail */
	}
	return count;
}

/* protect_range(envid, start, end, set, clear): for every present mapping in
 * [start, end) of envid: clear the bits in clear, then set the bits in set. Only W
 * and the software bits may be cleared and only NX and the software bits set (a
 * range protect never grants write access). [start, end) spans at most
 * EXO_RANGE_MAX; large pages in it are left as they are. Returns the number of
 * present entries in the range (each rewritten), or -E_INVAL, -E_BADENV, -E_PERM,
 * -E_AGAIN (a table in the range is shared read-only). */
long sys_protect_range(long envid, long start, long end, long set, long clear)
{
	struct env *e;
	int err;
	if (!user_page_ok(start) || (end & (PAGE_SIZE - 1)) || (uint64_t)end > ULIM || end < start ||
	    (uint64_t)(end - start) > EXO_RANGE_MAX)
		return -E_INVAL;
	if ((set & ~(PTE_AVAIL | PTE_NX)) || (clear & ~(PTE_AVAIL | PTE_W)))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	for (struct pt_iter it = PT_ITER(start, end); pt_next(e->pml4_pa, &it);)
		if (table_frozen(e, it.va))
			return -E_AGAIN;
	long changed = 0;
	for (struct pt_iter it = PT_ITER(start, end); pt_next(e->pml4_pa, &it);) {
		for (uint64_t va = it.va; va < it.stop; va += PAGE_SIZE) {
			pte_t *pte = &it.pt[PT_INDEX(va, 0)];
			if (*pte & PTE_P) {
				*pte = (*pte & ~(uint64_t)clear) | (uint64_t)set;
				changed++;
			}
		}
	}
	if (changed)
		lcr3(curenv()->pml4_pa); /* one flush for the whole range (tables may be shared) */
	return changed;
}

/* Make the child's directory entry *theirs use our table, or map our large page,
 * *mine (reserved by the caller): what it held there loses a user. Returns true
 * when our own entry lost write access (the caller reloads %cr3). */
static inline bool share_table(pte_t *theirs, pte_t *mine, long flags)
{
	uint64_t pt = PTE_ADDR(*mine);
	bool already = (*theirs & PTE_P) && PTE_ADDR(*theirs) == pt;
	pte_t old = (*theirs & PTE_P) && !already ? *theirs : 0;
	if (!already)
		pmem_frame(pt)->maps++;
	vm_set(theirs, pt | (*mine & (PTE_PS | PTE_NX | PTE_AVAIL)) | PTE_P | PTE_U |
			       ((flags & EXO_PT_SHARE_WRITE) ? (*mine & PTE_W) : 0));
	if (old)
		vm_drop_entry(old);
	if (!flags && (*mine & PTE_W)) {
		*mine &= ~PTE_W;
		return true;
	}
	return false;
}

/* The end of the 1 GiB piece of [va, end) that starts at va (one page directory's
 * reach). */
static uint64_t directory_end(uint64_t va, uint64_t end)
{
	uint64_t next = (va | ((1UL << 30) - 1)) + 1;
	return next < end ? next : end;
}

/* The page directory of e that covers va (all 512 entries), or NULL when e has
 * none there. */
static pte_t *directory(struct env *e, uint64_t va)
{
	pte_t *pde = vm_pde(e->pml4_pa, va);
	return pde ? pde - PT_INDEX(va, 1) : NULL;
}

/* The index of the first present entry of directory pd at or after k, or 512
 * when pd is NULL or has none there. */
static inline unsigned next_table(const pte_t *pd, unsigned k)
{
	return pd ? pt_next_present(pd, k, *vm_sum(pd)) : 512;
}

/* A page table (or large page) is only ever shared at its own address, so each
 * address space maps it at most once, and there are no more address spaces than
 * environments: its 16-bit count of users cannot overflow, and sharing needs no
 * room check. */
_Static_assert(EXO_NENV < UINT16_MAX, "a table's users fit its mapping count");

/* The child a pt_share or pt_share_range call with these flags may share into
 * (EXO_PT_SHARE_DIR only if dirs, and only with EXO_PT_SHARE_WRITE): 0 and *child
 * set, or -E_INVAL (bad flags; the child is the caller or runs in its address
 * space), -E_BADENV, -E_PERM. */
static int share_target(long childid, long flags, bool dirs, struct env **child)
{
	int err;
	if ((flags & EXO_PT_SHARE_DIR) && (!dirs || flags != (EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR)))
		return -E_INVAL;
	flags &= ~(long)EXO_PT_SHARE_DIR;
	if ((flags & ~(EXO_PT_SHARE_WRITE | EXO_PT_SHARE_VIEW)) || flags == (EXO_PT_SHARE_WRITE | EXO_PT_SHARE_VIEW))
		return -E_INVAL;
	if ((err = env_controlled(childid, child)) < 0)
		return err;
	return (*child)->pml4_pa == curenv()->pml4_pa ? -E_INVAL : 0;
}

/* The directory entry (PDPTE) of space pml4_pa for va, or NULL when the PDPT
 * itself is missing. */
static pte_t *pdpte(uint64_t pml4_pa, uint64_t va)
{
	return vm_walk(pml4_pa, 3, va, 2, NULL, NULL);
}

/* pt_share_range with EXO_PT_SHARE_DIR: each page directory of ours in [start,
 * end) (1 GiB aligned) becomes child's too: its PDPT entry points to ours, with
 * our rights, and the directory gains a user. All or nothing: child must have no
 * directory yet where we have one, and room for the PDPTs it lacks.
 * Returns the number of directories shared, or -E_INVAL, -E_QUOTA, -E_NOMEM. */
static long share_directories(struct env *self, struct env *child, uint64_t start, uint64_t end)
{
	const uint64_t GIB = 1UL << 30;
	struct pt_tally t = { 0 };
	if ((start | end) & (GIB - 1))
		return -E_INVAL;
	for (uint64_t va = start; va < end; va += GIB) {
		pte_t *mine = pdpte(self->pml4_pa, va), *theirs = pdpte(child->pml4_pa, va);
		if (!mine || !(*mine & PTE_P))
			continue;
		if (theirs && (*theirs & PTE_P))
			return -E_INVAL; /* a directory there already */
		vm_tables_missing(child->pml4_pa, va, 2, &t);
	}
	int err = env_reserve(child, t.n);
	if (err < 0)
		return err;
	long n = 0;
	for (uint64_t va = start; va < end; va += GIB) {
		pte_t *mine = pdpte(self->pml4_pa, va);
		if (!mine || !(*mine & PTE_P))
			continue;
		pmem_frame(PTE_ADDR(*mine))->maps++; /* (no overflow: one user per address space) */
		vm_set(env_walk_make(child, va, 2), PTE_ADDR(*mine) | (*mine & (PTE_W | PTE_NX)) | PTE_P | PTE_U);
		n++;
	}
	return n;
}

/* pt_share_range(child, start, end, flags): make child's page tables for every
 * 2 MiB region of [start, end) where we have one the caller's own, as pt_share
 * does for one region, in one call (the work is one pass over each page directory
 * of ours in the range, skipping empty entries 32 at a time). start and end
 * are 2 MiB aligned and span at most EXO_SHARE_RANGE_MAX. All or nothing: the
 * child's quota must have room for the directories it lacks (found from the
 * first table of each directory). With EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR the
 * directories themselves are shared instead (share_directories). Returns the
 * number of tables (directories) shared (0 when we have none there), or -E_INVAL
 * (bad range or flags, child is the caller or runs in its address space, a
 * directory of the child's already where we share one), -E_BADENV, -E_PERM,
 * -E_QUOTA, -E_NOMEM. */
long sys_pt_share_range(long childid, long start, long end, long flags)
{
	struct env *self = curenv(), *child;
	struct pt_tally t = { 0 };
	int err;
	if (((start | end) & (LARGE_PAGE_SIZE - 1)) || (uint64_t)end > ULIM || (uint64_t)end < (uint64_t)start ||
	    (uint64_t)(end - start) > EXO_SHARE_RANGE_MAX)
		return -E_INVAL;
	if ((err = share_target(childid, flags, true, &child)) < 0)
		return err;
	if (flags & EXO_PT_SHARE_DIR)
		return share_directories(self, child, (uint64_t)start, (uint64_t)end);
	for (uint64_t va = (uint64_t)start, stop; va < (uint64_t)end; va = stop) {
		stop = directory_end(va, (uint64_t)end);
		if (!directory(child, va) && next_table(directory(self, va), PT_INDEX(va, 1)) <= PT_INDEX(stop - 1, 1))
			vm_tables_missing(child->pml4_pa, va, 1, &t);
	}
	if ((err = env_reserve(child, t.n)) < 0)
		return err;
	long n = 0;
	bool shrank = false;
	for (uint64_t va = (uint64_t)start, stop; va < (uint64_t)end; va = stop) {
		stop = directory_end(va, (uint64_t)end);
		pte_t *mine = directory(self, va), *theirs = NULL;
		for (unsigned k = next_table(mine, PT_INDEX(va, 1)); k <= PT_INDEX(stop - 1, 1); k = next_table(mine, k + 1)) {
			if (!theirs)
				theirs = env_walk_make(child, va, 1) - PT_INDEX(va, 1);
			shrank |= share_table(&theirs[k], &mine[k], flags);
			n++;
		}
	}
	if (shrank)
		lcr3(self->pml4_pa); /* only when our own rights shrank */
	return n;
}

/* pt_share(child, va, flags): make child's page table for the 2 MiB region around
 * va the caller's own. With flags 0 both directory entries become read-only, so
 * writes in the region fault until pt_unshare (copy-on-write of the table); with
 * EXO_PT_SHARE_VIEW only the child's is read-only: the caller keeps its rights and
 * the child sees its changes (a read-only view); with EXO_PT_SHARE_WRITE both
 * stay as writable as the caller's is and the region is shared: a mapping either
 * side adds or removes there is seen by both (each entry keeps its own rights, so
 * the child gets no right the caller lacks). Sharing a table the child already
 * shares sets its rights anew (a write share can be downgraded). The child's old
 * table for the region loses a user (freed at none). A large page there is shared
 * the same way: with flags 0 it is copy-on-write (pt_unshare copies it). Returns
 * 0, -E_INVAL (no table there in the caller, bad flags, child is the caller or
 * runs in its address space), -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM. */
long sys_pt_share(long childid, long va, long flags)
{
	struct env *child;
	struct pt_tally t = { 0 };
	int err;
	if ((uint64_t)va >= ULIM)
		return -E_INVAL;
	if ((err = share_target(childid, flags, false, &child)) < 0)
		return err;
	pte_t *mine = vm_pde(curenv()->pml4_pa, va), *theirs = vm_pde(child->pml4_pa, va);
	if (!mine || !(*mine & PTE_P))
		return -E_INVAL;
	if (!theirs) {
		vm_tables_missing(child->pml4_pa, va, 1, &t);
		if ((err = env_reserve(child, t.n)) < 0)
			return err;
		theirs = env_walk_make(child, va, 1);
	}
	if (share_table(theirs, mine, flags))
		lcr3(curenv()->pml4_pa); /* only when our own rights shrank */
	return 0;
}

/* pt_drop(envid, va): take envid's page table (or large page) for the 2 MiB
 * region around va out of its address space: the directory entry is cleared and
 * the table loses a user; with none left it is freed with every page it still
 * maps (each frame loses that mapping), uncharged from whoever it was charged to
 * (a large page with no user left is freed the same way). A table others share
 * stays theirs, unchanged. One call unmaps a whole region, and gives an emptied
 * table back. Returns 0, -E_INVAL (va >= ULIM, nothing there), -E_BADENV,
 * -E_PERM. */
long sys_pt_drop(long envid, long va)
{
	struct env *e;
	int err;
	if ((uint64_t)va >= ULIM)
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (!pde || !(*pde & PTE_P))
		return -E_INVAL;
	pte_t old = *pde;
	/* Our TLB may hold what the entry mapped when it is ours, or the space we
	 * share (exofork_shared), or in a directory others use too (pt_share_range
	 * with EXO_PT_SHARE_DIR), which may be ours. */
	bool ours = e->pml4_pa == curenv()->pml4_pa || pmem_frame(vm_table_pa(pde))->maps > 1;
	*pde = 0;
	vm_drop_entry(old);
	if (ours)
		lcr3(curenv()->pml4_pa);
	return 0;
}

/* Copy the large page the directory entry *pde of e maps into a fresh one charged
 * to e, which the entry maps instead (with its rights). Returns the copy's
 * physical address, or 0 with *err set (-E_QUOTA, -E_NOMEM) and nothing changed. */
static uint64_t copy_large(struct env *e, pte_t *pde, int *err)
{
	uint64_t pa = PTE_ADDR(*pde), copy;
	if ((*err = env_reserve(e, FRAME_LARGE_RUN)) < 0)
		return 0;
	if (!(copy = charge_alloc_large(e, false))) { /* overwritten whole below */
		*err = -E_NOMEM;
		return 0;
	}
	memcpy(KADDR(copy), KADDR(pa), LARGE_PAGE_SIZE);
	pmem_frame(copy)->maps = 1;
	*pde = copy | (*pde & ~PTE_ADDR(~0UL));
	vm_drop_entry(pa | PTE_P | PTE_PS); /* freed if that was its last user */
	return copy;
}

/* pt_unshare for the large page *pde of e maps (see there). */
static long unshare_large(struct env *e, pte_t *pde)
{
	int err = 0;
	uint64_t pa = PTE_ADDR(*pde);
	if ((pmem_frame(pa)->maps > 1 || (pmem_frame(pa)->flags & EXO_FRAME_SUBMAPPED) || !may_write_frame(curenv(), pa)) &&
	    !copy_large(e, pde, &err))
		return err;
	*pde |= PTE_W;
	lcr3(curenv()->pml4_pa);
	return 0;
}

/* pt_unshare(envid, va, cow_bits): give envid a private page table for the 2 MiB
 * region around va and make its directory entry writable. If the table is shared,
 * the kernel copies it (charged to envid; each mapped frame gains a mapping) and
 * every writable entry of the copy becomes read-only with cow_bits (software bits
 * only, e.g. the libOS's copy-on-write mark) set. The table left to the others is
 * not changed: while it is shared read-only nobody can write through it, and each
 * sharer's own pt_unshare marks its own entries with its own bits. If envid is its
 * last user, its writable entries to frames mapped elsewhere become read-only with
 * cow_bits. No other environment's entries change. A large page there becomes
 * writable and envid's own: copied (charged to envid, cow_bits unused) unless
 * envid maps it alone (no other directory entry, and none of its frames mapped
 * page by page: EXO_FRAME_SUBMAPPED) and the caller controls the environment
 * charged for it.
 * Returns 0, -E_INVAL, -E_BADENV, -E_PERM, -E_QUOTA (quota, or a frame's mapping
 * count is full), -E_NOMEM (also: no free 2 MiB run for the copy). */
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
	if (*pde & PTE_PS)
		return unshare_large(e, pde);
	uint64_t old = PTE_ADDR(*pde);
	pte_t *src = KADDR(old);
	unsigned sum = pt_sums[old >> PAGE_SHIFT];
	if (pmem_frame(old)->maps > 1) {
		for (unsigned i = pt_next_present(src, 0, sum); i < 512; i = pt_next_present(src, i + 1, sum))
			if (!copy_room(PTE_ADDR(src[i]), 512))
				return -E_QUOTA;
		if ((err = env_reserve(e, 1)) < 0)
			return err;
		uint64_t copy = charge_alloc(e, EXO_FRAME_PT, NULL);
		pte_t *dst = KADDR(copy);
		for (unsigned i = pt_next_present(src, 0, sum); i < 512; i = pt_next_present(src, i + 1, sum)) {
			dst[i] = (src[i] & PTE_W) ? (src[i] & ~PTE_W) | (uint64_t)cow_bits : src[i];
			pmem_count_mapping(PTE_ADDR(src[i]));
		}
		pt_sums[copy >> PAGE_SHIFT] = (uint16_t)sum; /* entries where the original has them */
		pmem_frame(copy)->maps = 1;
		pmem_frame(old)->maps--;
		*pde = copy | PTE_P | PTE_U | PTE_W;
	} else {
		for (unsigned i = pt_next_with(src, 0, PTE_W, sum); i < 512; i = pt_next_with(src, i + 1, PTE_W, sum))
			if ((src[i] & PTE_P) && pmem_frame(PTE_ADDR(src[i]))->maps > 1)
				src[i] = (src[i] & ~PTE_W) | (uint64_t)cow_bits;
		*pde |= PTE_W;
	}
	lcr3(curenv()->pml4_pa);
	return 0;
}

/* The largest mapping count of the frames the present entries pt[lo .. hi) of
 * the page table pt map; *entries grows by the number of those entries. */
static __attribute__((noinline)) uint16_t most_maps(const pte_t *pt, size_t lo, size_t hi, uint64_t *entries)
{
	const struct exo_frame *meta = pmem_frame(0);
	uint16_t most = 0;
	uint64_t count = 0;
	for (size_t i = vm_next_present(pt, lo, hi); i < hi; i = vm_next_present(pt, i, hi)) {
		for (; i < hi && (pt[i] & PTE_P); i++) { /* a run of present entries */
			uint16_t m = meta[PTE_ADDR(pt[i]) >> PAGE_SHIFT].maps;
			count++;
			most = m > most ? m : most;
		}
	}
	*entries += count;
	return most;
}

/* pte_copy_range's inner loop: copy the present entries src[lo .. hi) of the page
 * table src to the same entries of dst (checked by the caller: every frame has
 * room for one more mapping per entry), the writable or cow_bits ones as
 * read-only with cow_bits in both, unless they have a share_bits bit. Returns the
 * number of entries copied; a count it takes past UINT16_MAX / 2 sets
 * frames_much_mapped. */
static __attribute__((noinline)) uint64_t copy_entries(pte_t *src, size_t lo, size_t hi, pte_t *dst, uint64_t cow_bits,
							uint64_t share_bits)
{
	struct exo_frame *meta = pmem_frame(0);
	const uint64_t writes = PTE_W | cow_bits;
	uint64_t copied = 0;
	for (size_t i = vm_next_present(src, lo, hi); i < hi; i = vm_next_present(src, i, hi)) {
		size_t run = i;
		for (pte_t e; i < hi && ((e = src[i]) & PTE_P); i++) { /* a run of present entries */
			if (!(e & share_bits) && (e & writes))
				src[i] = e = (e & ~PTE_W) | cow_bits;
			if (__builtin_expect((int16_t)++meta[PTE_ADDR(e) >> PAGE_SHIFT].maps < 0, 0)) /* first: the old entry may map it */
				frames_much_mapped = true; /* past UINT16_MAX / 2: its sign bit as int16 */
			if (dst[i] & PTE_P)
				vm_unmap_pte(&dst[i]);
			dst[i] = e;
		}
		copied += i - run;
	}
	*vm_sum(dst) |= *vm_sum(src); /* entries only where src has them */
	return copied;
}

/* pte_copy_range(child, start, end, cow_bits, share_bits): copy every present
 * entry of ours in [start, end) into child at the same address, in one call (the
 * copy-on-write fork's inner loop, done where the page tables are). An entry with
 * any of share_bits set is copied as it is (shared memory); a writable entry, or
 * one with any of cow_bits, becomes read-only with cow_bits set in both address
 * spaces; a read-only entry is copied as it is. So the child never gets a right we
 * lack. Both bit sets must be software bits (PTE_AVAIL); [start, end) spans at
 * most EXO_RANGE_MAX. Our large pages are not copied (pt_share them); the child
 * may have none where we have a table (-E_INVAL). Neither our tables nor
 * the child's in the range may be shared (-E_AGAIN). Every frame mapped in the
 * range must have room for min(entries in the range, its mappings) more mappings.
 * Returns the number of entries copied, or -E_INVAL, -E_BADENV, -E_PERM, -E_AGAIN,
 * -E_QUOTA (child's quota, or a frame's mapping count is full), -E_NOMEM. */
long sys_pte_copy_range(long childid, long start, long end, long cow_bits, long share_bits)
{
	struct env *self = curenv(), *child;
	struct pt_tally t = { 0 };
	uint64_t entries = 0;
	int err;
	if ((start & (PAGE_SIZE - 1)) || (end & (PAGE_SIZE - 1)) || (uint64_t)end > ULIM || (uint64_t)end < (uint64_t)start ||
	    (uint64_t)(end - start) > EXO_RANGE_MAX || (cow_bits & ~PTE_AVAIL) || (share_bits & ~PTE_AVAIL))
		return -E_INVAL;
	if ((err = env_controlled(childid, &child)) < 0)
		return err;
	if (child == self)
		return -E_INVAL;
	/* Decode: no table shared, and the tables the child lacks. Every frame must
	 * have room for min(entries, its count) more mappings. Until some frame has
	 * been mapped more than UINT16_MAX / 2 times (frames_much_mapped), every frame
	 * has; after, a first pass finds the entries and the largest count, and a
	 * second, when that count is above UINT16_MAX / 2, checks each entry. */
	uint16_t most = 0;
	for (struct pt_iter it = PT_ITER(start, end); pt_next(self->pml4_pa, &it);) {
		if (large_at(child, it.va))
			return -E_INVAL;
		if (pmem_frame(PTE_ADDR(*it.pde))->maps > 1 || table_shared(child, it.va))
			return -E_AGAIN;
		if (frames_much_mapped) {
			uint16_t m = most_maps(it.pt, PT_INDEX(it.va, 0), PT_INDEX(it.stop - 1, 0) + 1, &entries);
			most = m > most ? m : most;
		}
		vm_tables_missing(child->pml4_pa, it.va, 0, &t);
	}
	for (struct pt_iter it = PT_ITER(start, end); most > UINT16_MAX / 2 && pt_next(self->pml4_pa, &it);) {
		for (uint64_t va = it.va; va < it.stop; va += PAGE_SIZE) {
			pte_t e = it.pt[PT_INDEX(va, 0)];
			if ((e & PTE_P) && !copy_room(PTE_ADDR(e), entries))
				return -E_QUOTA;
		}
	}
	if ((err = env_reserve(child, t.n)) < 0)
		return err;
	/* Act: one pass per table, the child's table made (reserved above) if missing. */
	uint64_t copied = 0;
	for (struct pt_iter it = PT_ITER(start, end); pt_next(self->pml4_pa, &it);) {
		copied += copy_entries(it.pt, PT_INDEX(it.va, 0), PT_INDEX(it.stop - 1, 0) + 1,
				       env_walk_make(child, it.va, 0) - PT_INDEX(it.va, 0), (uint64_t)cow_bits,
				       (uint64_t)share_bits);
	}
	if (copied)
		lcr3(self->pml4_pa); /* our entries lost write access */
	return (long)copied;
}

/* large_alloc(envid, va, perm): map a fresh zeroed large page (a 2 MiB frame: 512
 * frames charged to envid) at va, 2 MiB aligned, with one directory entry. Nothing
 * may be mapped in its 2 MiB yet (no page table there: pt_drop it first). Returns
 * 0, -E_INVAL (misaligned, bad perm, something there), -E_BADENV, -E_PERM,
 * -E_QUOTA, -E_NOMEM (also: no 2 MiB aligned run of free frames). */
long sys_large_alloc(long envid, long va, long perm)
{
	struct env *e;
	struct pt_tally t = { 0 };
	int err;
	if (!user_page_ok(va) || (va & (LARGE_PAGE_SIZE - 1)) || !perm_ok(perm))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (pde && (*pde & PTE_P))
		return -E_INVAL;
	vm_tables_missing(e->pml4_pa, va, 1, &t);
	if ((err = env_reserve(e, t.n + FRAME_LARGE_RUN)) < 0)
		return err;
	uint64_t pa = charge_alloc_large(e, true);
	if (!pa)
		return -E_NOMEM;
	pmem_frame(pa)->maps = 1;
	vm_set(env_walk_make(e, va, 1), pa | (uint64_t)perm | PTE_P | PTE_U | PTE_PS);
	return 0;
}

/* Fill the new table t (for large_split) with entries, bits their rights, to the
 * large frame at pa that other directory entries keep mapping whole: the first
 * 4 KiB is a copy charged to e (the first frame's count is the directory
 * entries'), the other 511 entries map the shared frames, each one more mapping
 * (room checked by the caller), and the large frame counts its frames so mapped
 * (large_submaps, EXO_FRAME_SUBMAPPED). One directory entry, ours, goes. */
static void split_shared(struct env *e, uint64_t pa, pte_t *t, pte_t bits)
{
	struct exo_frame *head = pmem_frame(pa);
	uint16_t *submaps = &large_submaps[pa >> 21];
	uint64_t first = charge_alloc(e, 0, KADDR(pa)); /* reserved by the caller */
	pmem_frame(first)->maps = 1;
	t[0] = first | bits;
	for (unsigned i = 1; i < 512; i++) {
		if (head[i].maps == 0)
			++*submaps;
		pmem_count_mapping(pa + i * PAGE_SIZE);
		t[i] = (pa + i * PAGE_SIZE) | bits;
	}
	if (*submaps)
		head->flags |= EXO_FRAME_SUBMAPPED;
	head->maps--;
}

/* Fill the new table t (for large_split) with entries, bits their rights, to the
 * large frame at pa whose only directory entry is ours: its 512 frames become
 * ordinary ones, each one mapping more (room checked by the caller) than the
 * page-table entries that already map it. */
static void split_alone(uint64_t pa, pte_t *t, pte_t bits)
{
	struct exo_frame *head = pmem_frame(pa);
	head->maps = 0; /* it counted our directory entry */
	vm_large_dissolve(pa);
	for (unsigned i = 0; i < 512; i++) {
		pmem_count_mapping(pa + i * PAGE_SIZE);
		t[i] = (pa + i * PAGE_SIZE) | bits;
	}
}

/* large_split(envid, va, cow_bits): turn envid's large page around va into a page
 * table (charged to envid) of 512 entries mapping its frames, with the large
 * entry's rights, plus cow_bits (software bits) when it was read-only.
 *  - envid maps it alone: from then on they are ordinary frames (split_alone).
 *  - others map it too and envid's entry is read-only (a copy-on-write fork's):
 *    nothing is copied but the first 4 KiB; the large frame stays whole for the
 *    others and becomes ordinary frames when their last entry goes
 *    (split_shared, vm_free_large).
 *  - others map it too and envid's entry is writable: it is copied first
 *    (pt_unshare), so theirs is unchanged.
 * Every frame must have room for one more mapping. Returns 0, -E_INVAL (no large
 * page there, bad cow_bits), -E_BADENV, -E_PERM, -E_QUOTA, -E_NOMEM. */
long sys_large_split(long envid, long va, long cow_bits)
{
	struct env *e;
	int err = 0;
	if ((uint64_t)va >= ULIM || (cow_bits & ~PTE_AVAIL))
		return -E_INVAL;
	if ((err = env_controlled(envid, &e)) < 0)
		return err;
	pte_t *pde = vm_pde(e->pml4_pa, va);
	if (!pde || !vm_pde_large(*pde))
		return -E_INVAL;
	uint64_t pa = PTE_ADDR(*pde);
	bool shared = pmem_frame(pa)->maps > 1, copy = shared && (*pde & PTE_W);
	if (!copy)
		for (uint64_t fa = pa + PAGE_SIZE; fa < pa + LARGE_PAGE_SIZE; fa += PAGE_SIZE)
			if (!pmem_map_room(fa, 1))
				return -E_QUOTA;
	uint64_t needed = 1 + (copy ? FRAME_LARGE_RUN : shared ? 1 : 0); /* the table, and the copy */
	if ((err = env_reserve(e, needed)) < 0 || (copy && !(pa = copy_large(e, pde, &err))))
		return err;
	uint64_t pt = charge_alloc(e, EXO_FRAME_PT, NULL);
	pte_t *t = KADDR(pt), bits = (*pde & (PTE_W | PTE_NX | PTE_AVAIL)) | PTE_P | PTE_U;
	if (!(bits & PTE_W))
		bits |= (uint64_t)cow_bits;
	if (shared && !copy)
		split_shared(e, pa, t, bits);
	else
		split_alone(pa, t, bits);
	pmem_frame(pt)->maps = 1;
	pt_sums[pt >> PAGE_SHIFT] = PT_SUM_ALL; /* every entry made */
	*pde = pt | PTE_P | PTE_U | PTE_W;
	lcr3(curenv()->pml4_pa);
	return 0;
}
