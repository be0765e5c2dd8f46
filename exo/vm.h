/*
 * Page tables: the kernel's own mappings (direct map, kernel image with W^X), the
 * shared read-only export region, and walking and editing an environment's 4-level
 * tables. One walker (vm_walk) serves every lookup and every creation, and one
 * iterator (pt_next) every pass over a range of last-level tables.
 */
#ifndef EXO_VM_H
#define EXO_VM_H
#include "kern.h"
#include "pmem.h"
#include "../include/exo/syscall.h"
#include "../include/exo/ptscan.h"

typedef uint64_t pte_t;
#define PTE_G       0x100UL
#define PTE_ADDR(e) ((e) & 0x000FFFFFFFFFF000UL)
#define PML4_INDEX(va) (((va) >> 39) & 511)
/* The index of va's entry in its table at level (3 = PML4 ... 0 = PT). */
#define PT_INDEX(va, level) (((va) >> (12 + 9 * (level))) & 511)

extern uint64_t kern_pml4_pa;
struct env;

/* How a walk makes a missing table: charged to charge (NULL: a kernel table, for
 * boot-time mappings) with these entry flags. */
struct pt_make {
	struct env *charge;
	uint64_t flags;
};

/* vm_table_pa: the physical address of the page table that holds the entry at
 * kernel address e. */
static inline uint64_t vm_table_pa(const pte_t *e)
{
	return ((uint64_t)e - phys_window) & ~(PAGE_SIZE - 1);
}
/* vm_sum: the present-entry summary of the page table at kernel address t (one
 * bit per PT_SUM_GROUP entries, exports.h), to scan it with ptscan.h. */
static inline uint16_t *vm_sum(const pte_t *t)
{
	return &pt_sums[vm_table_pa(t) >> PAGE_SHIFT];
}
/* vm_set: *e = v, an entry of a page table made non-zero, its group marked in the
 * table's summary. Every write of an entry that may have been zero goes through
 * here (or marks the summary itself: a table filled whole, a copy of a table). */
static inline void vm_set(pte_t *e, pte_t v)
{
	*e = v;
	*vm_sum(e) |= (uint16_t)(1u << (((uint64_t)e & (PAGE_SIZE - 1)) / (sizeof(pte_t) * PT_SUM_GROUP)));
}
/* vm_walk: the entry for va in the table of level (0 = the PTE, 1 = the PDE, ...)
 * below the table root_pa of level root_level. A missing table on the way is made
 * with make (NULL: none is made). If eff is not NULL it gets the rights (PTE_W,
 * PTE_U) every entry above the returned one grants. Returns NULL when a table is
 * missing and none could be made (no make, or memory ran out: callers that make
 * tables reserve the frames first, so for them this cannot happen), or when a
 * large page (PTE_PS) is on the way: it has no table below it. */
static inline pte_t *vm_walk(uint64_t root_pa, int root_level, uint64_t va, int level,
			     const struct pt_make *make, uint64_t *eff);

/* vm_make_table: a zeroed table of level (0 = a page table) for a walk, as make
 * says. Returns its physical address, or 0 when memory ran out. */
uint64_t vm_make_table(const struct pt_make *make, int level);

static inline pte_t *vm_walk(uint64_t root_pa, int root_level, uint64_t va, int level,
			     const struct pt_make *make, uint64_t *eff)
{
	pte_t *t = KADDR(root_pa);
	uint64_t rights = PTE_W | PTE_U;
	pte_t above = 0; /* the last entry walked through */
	for (int l = root_level; l > level; l--) {
		pte_t *e = &t[PT_INDEX(va, l)];
		if (!(*e & PTE_P)) {
			uint64_t pa = make ? vm_make_table(make, l - 1) : 0;
			if (!pa)
				return NULL;
			vm_set(e, pa | make->flags);
		}
		above = *e;
		rights &= above;
		t = KADDR(PTE_ADDR(above));
	}
	if (above & PTE_PS) /* a large page (a directory entry: users have no larger ones) */
		return NULL;
	if (eff)
		*eff = rights;
	return &t[PT_INDEX(va, level)];
}

/* vm_pte / vm_pde: the PTE (or PDE) for user address va in the space pml4_pa, or
 * NULL when a table above it is missing. */
static inline pte_t *vm_pte(uint64_t pml4_pa, uint64_t va) { return vm_walk(pml4_pa, 3, va, 0, NULL, NULL); }
static inline pte_t *vm_pde(uint64_t pml4_pa, uint64_t va) { return vm_walk(pml4_pa, 3, va, 1, NULL, NULL); }

/* vm_lookup: the present PTE for user address va, or NULL (also inside a large
 * page: it has no PTE). *eff gets the effective rights of the whole walk: PTE_W
 * and PTE_U only if every level grants them (a shared page table's PDE is
 * read-only, whatever its entries say). */
pte_t *vm_lookup(uint64_t pml4_pa, uint64_t va, uint64_t *eff);

/* vm_user_pa: the physical address of the byte at user address va, through a
 * page or a large page, or 0 when nothing is mapped there. *eff gets the rights
 * of the whole walk, as vm_lookup's. */
uint64_t vm_user_pa(uint64_t pml4_pa, uint64_t va, uint64_t *eff);

/* vm_pde_large: does this present directory entry map a large page? */
static inline bool vm_pde_large(pte_t pde) { return (pde & (PTE_P | PTE_PS)) == (PTE_P | PTE_PS); }

/* vm_pde_frozen: does this directory entry point to a page table shared
 * read-only (copy-on-write of the table)? Its entries change only after
 * pt_unshare. */
bool vm_pde_frozen(pte_t pde);

/* vm_tables_missing: how many tables a walk to level for va in the space pml4_pa
 * would make. With a tally (for a series of walks at ascending addresses), tables
 * an earlier walk of the series counted are not counted again. */
struct pt_tally {
	uint64_t n;        /* tables counted so far */
	uint64_t last[4];  /* per level: 1 + the key of the last table counted */
};
void vm_tables_missing(uint64_t pml4_pa, uint64_t va, int level, struct pt_tally *t);

/* The range iterator: for (struct pt_iter it = PT_ITER(s, e); pt_next(pml4, &it);)
 * visits each present last-level table that covers part of [s, e) (large pages
 * have none: they are skipped), in order:
 * it.pde is its directory entry, it.pt the table, [it.va, it.stop) the part of
 * the range it covers. Absent upper levels are skipped whole. */
struct pt_iter {
	uint64_t va, stop, end;
	pte_t *pde, *pt;
};
#define PT_ITER(start, end) ((struct pt_iter){ .stop = (start), .end = (end) })
bool pt_next(uint64_t pml4_pa, struct pt_iter *it);

/* vm_next_present: the index of the first present entry of the page table t (a
 * kernel address: its summary is found from it) at or after i and before end (at
 * most 512), or end; groups the summary says are empty are skipped unread, the
 * others crossed eight entries a test (pt_next_present). A loop over a table's
 * entries calls it once per run of present entries (and runs its own tight loop
 * along each run), so that a sparse table costs little more than its few entries
 * and a dense one nothing more than its loop. */
size_t vm_next_present(const pte_t *t, size_t i, size_t end);

/* vm_init: build the kernel page tables and switch to them. */
void vm_init(void);

/* vm_map_export: map the physical page pa read-only for users at uva in the shared
 * export region. Boot-time only. */
void vm_map_export(uint64_t uva, uint64_t pa);

/* vm_map_mmio: map one page of device memory (uncached) into the kernel's direct
 * map region. Returns its kernel virtual address. Boot-time only. */
volatile uint32_t *vm_map_mmio(uint64_t pa);

/* vm_new_space: a fresh PML4 with the kernel half, the export region and the UVPT
 * self-map (a kernel frame: not charged to anyone). Returns its physical address,
 * or 0 when out of memory. */
uint64_t vm_new_space(void);

/* vm_free_space: unmap every user page (dropping frame mapping counts and freeing
 * frames nobody maps any more), free the page tables nobody else shares, and the
 * PML4. */
void vm_free_space(uint64_t pml4_pa);

/* vm_unmap_pte: clear one present user PTE and drop its frame's mapping count,
 * freeing the frame (and uncharging its holder) at zero. */
void vm_unmap_pte(pte_t *pte);

/* vm_drop_table: one directory entry less uses the page table at pa; at none, its
 * pages are unmapped and it is freed. */
void vm_free_table(uint64_t pa);
static inline void vm_drop_table(uint64_t pa)
{
	if (--pmem_frame(pa)->maps == 0)
		vm_free_table(pa);
}

/* vm_drop_entry: the present directory entry pde goes: the table it points to
 * (vm_drop_table), or the large page it maps, loses a user; a large page with
 * none left is freed (vm_free_large: uncharged from its holder). */
void vm_free_large(uint64_t pa);

/* vm_large_dissolve: the large frame at pa becomes 512 ordinary frames, each
 * keeping its owner and mapping count (EXO_FRAME_LARGE, EXO_FRAME_SUBMAPPED and
 * its count of frames mapped one by one cleared). */
void vm_large_dissolve(uint64_t pa);
static inline void vm_drop_entry(pte_t pde)
{
	uint64_t pa = PTE_ADDR(pde);
	if (!(pde & PTE_PS))
		vm_drop_table(pa);
	else if (--pmem_frame(pa)->maps == 0)
		vm_free_large(pa);
}

static inline void vm_load(uint64_t pml4_pa)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(pml4_pa) : "memory");
}

#endif
