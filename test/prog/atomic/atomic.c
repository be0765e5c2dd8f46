/* atomic: every kernel call is all-or-nothing. For the calls that can fail, force
 * each kind of failure (a child's frame quota, physical memory exhausted with exactly
 * k = 0..3 frames left, bad arguments, bad operations at the start, middle and end
 * of a batch) and check that the call returns the documented error and that a digest
 * of all exported kernel state is the same before and after: every frame-table entry
 * (owner, maps, flags), the free-frame count, every environment-table entry, our page
 * tables (through UVPT) and the page tables of the child the calls act on (the child
 * computes that digest itself, through its UVPT, and sends it over IPC).
 *
 * Boot with a small memory (QEMU_MEM=96M) and no frame quota: memory is exhausted by
 * allocating pages. Prints one line per family of calls and `atomic: all N checks
 * passed`. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../check.h"
#include "libos.h"
#include "vpt.h"
#include "../exo_helpers.h"

#define NOPAGE (-1L)
#define QUIT 0x51554954L
#define CMD_DIGEST 1L
#define CMD_PROTECT 2L     /* w[1] = va: page_protect(0, va, W | NX), reply the result */
#define CMD_NOP 3L
#define BATCH_ERR(i, e) (-((long)(i) + 1) * 256 - (long)(e))
#define PTE_AD 0x60UL
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000UL

/* Our addresses. */
#define DATA 0x10000000UL                /* a few pages, copied into the child */
#define SHR (DATA + 0x200000)            /* a region we share read-only with the child */
#define TKV (DATA + 0x10000)             /* a page whose lone mapping goes to the child */
#define QSH 0x28000000000UL             /* PML4 slot 5: a page of ours made after the spawn */
#define CR 0x40000000UL                  /* 4 page tables' worth of pages (copy source; made after the spawn) */
#define SCRATCH 0x8000000000UL           /* PML4 slot 1: pages that exhaust memory */
#define FRESH_SLOT fresh_slot()         /* a PML4 slot with nothing there, each time */
#define FRESH_GB fresh_gb()             /* a 1 GiB region of SCRATCH's slot, no directory */
/* The child's. */
#define H_GRANT 0x18000000000UL          /* where the child receives grants: slot 3 */
#define C_TK (DATA + 0x11000)            /* its lone mapping of our frame */

static envid_t me, helper;
static uint64_t slots_used, gbs_used;

/* A new 512 GiB region (PML4 slots 16 on; a call that broke atomicity may have left
 * tables in the last one), so that every call needs all three levels of tables. */
static uint64_t fresh_slot(void)
{
	CHECK(slots_used < 150);
	return (16 + slots_used++) << 39;
}

/* A new 1 GiB region in SCRATCH's PML4 slot (its PDPT exists). */
static uint64_t fresh_gb(void)
{
	CHECK(gbs_used < 500);
	return SCRATCH + ((1 + gbs_used++) << 30);
}
static struct exo_ipc_msg hm;

/* FNV-1a step. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	return h * 1099511628211ULL;
}

/* Digest of this environment's user page tables, read through UVPT: every present
 * entry at every level with its address (accessed and dirty bits left out: the CPU
 * sets them). */
static uint64_t uvpt_digest(void)
{
	uint64_t h = 14695981039346656037ULL;
	for (uint64_t i = 0; i < UEXPORT_SLOT; i++) {
		uint64_t a = i << 39;
		uint64_t e4 = *VPT_PML4E(a);
		if (!(e4 & PTE_P))
			continue;
		h = mix(mix(h, a), e4 & ~PTE_AD);
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t b = a | (j << 30), e3 = *VPT_PDPTE(b);
			if (!(e3 & PTE_P))
				continue;
			h = mix(mix(h, b), e3 & ~PTE_AD);
			for (uint64_t k = 0; k < 512; k++) {
				uint64_t c = b | (k << 21), e2 = *VPT_PDE(c);
				if (!(e2 & PTE_P))
					continue;
				h = mix(mix(h, c), e2 & ~PTE_AD);
				for (uint64_t l = 0; l < 512; l++) {
					uint64_t d = c | (l << 12), e1 = *VPT_PTE(d);
					if (e1 & PTE_P)
						h = mix(mix(h, d), e1 & ~PTE_AD);
				}
			}
		}
	}
	return h;
}

/* Touch the stack below us, so that no later call needs a new stack page (the
 * libOS would allocate one: impossible while memory is exhausted). */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char pad[32768];
	for (unsigned i = 0; i < sizeof pad; i += 512)
		pad[i] = 0;
	__asm__ volatile("" : : "r"(pad) : "memory");
}

/* Child side: send one word to the parent (no CHECK in the child). */
static void reply(long v)
{
	long r;
	while ((r = sys_ipc_send(me, v, 0, 0, NOPAGE, 0)) == -E_NORECV)
		sys_yield(me);
	if (r < 0)
		sys_env_exit(100);
}

/* The child the calls act on: waits in ipc_recv (with a page address in a PML4 slot
 * where it has nothing, so that a grant needs three new tables) and answers
 * commands. */
static void __attribute__((noreturn)) helper_main(void)
{
	prefault_stack();
	for (;;) {
		if (sys_ipc_recv((long)H_GRANT, (long)&hm) < 0 || hm.kind == EXO_IPC_NOTE)
			continue;
		if (hm.w[0] == (uint64_t)QUIT)
			sys_env_exit(0);
		if (hm.w[0] == CMD_DIGEST)
			reply((long)uvpt_digest());
		else if (hm.w[0] == CMD_PROTECT)
			reply(sys_page_protect(0, (long)hm.w[1], PTE_W | PTE_NX));
	}
}

/* Parent side: send the helper a command and return its answer. */
static long helper_call(long cmd, long arg)
{
	wait_recving(helper);
	CHECK_EQ(sys_ipc_send(helper, cmd, arg, 0, NOPAGE, 0), 0);
	struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(NOPAGE, &m), 0);
	CHECK_EQ(m.from, helper);
	wait_recving(helper);
	return (long)m.w[0];
}

/* The digest of all exported state (see the top of the file). */
static uint64_t state_digest(void)
{
	uint64_t h = mix(14695981039346656037ULL, (uint64_t)helper_call(CMD_DIGEST, 0));
	const volatile uint64_t *f = (const volatile uint64_t *)UFRAMES;
	for (uint64_t i = 0; i < exo_info->nframes; i++)
		h = mix(h, f[i] + i);
	h = mix(h, exo_info->free_frames);
	const volatile uint64_t *e = (const volatile uint64_t *)UENVS;
	for (uint64_t i = 0; i < EXO_NENV * sizeof(struct exo_env_view) / 8; i++)
		h = mix(h, e[i]);
	return mix(h, uvpt_digest());
}

static int failures;   /* checks whose digest changed (reported at the end) */
static int family_n;

/* One check of a call made between two digests d0 and d1 that returned r: the
 * digest must be unchanged and ok (the result is the one wanted, described by
 * want) true; a failure is reported with the call's text and line and counted, so
 * that every family runs before the program fails (main checks the count is 0). */
static void atomic_check(const char *call, int line, uint64_t d0, uint64_t d1, long r, int ok, const char *want)
{
	if (d1 != d0) {
		printf("atomic: state changed by %s (returned %ld) at line %d\n", call, r, line);
		failures++;
	}
	if (!ok) {
		printf("atomic: %s returned %ld, not %s, at line %d\n", call, r, want, line);
		failures++;
	} else {
		checks_passed++;
	}
	family_n++;
}

/* Make call between two digests; the result must satisfy ok (an expression of r_). */
#define ATOMIC_IF(ok, want, call)                                                         \
	do {                                                                              \
		uint64_t d0_ = state_digest();                                            \
		long r_ = (call);                                                         \
		atomic_check(#call, __LINE__, d0_, state_digest(), r_, (ok), want);       \
	} while (0)
/* The result must be want exactly. */
#define ATOMIC(want, call) ATOMIC_IF(r_ == (long)(want), #want, call)
/* For a pte_batch: any operation index, but the error code must be e. */
#define ATOMIC_BATCH_CODE(e, call) ATOMIC_IF(r_ <= -257 && (-r_ & 255) == (e), "error " #e, call)

/* End of a family of calls: one line with its count and the failures so far. */
static void family_done(const char *name)
{
	printf("atomic: %s: %d calls (failures so far: %d)\n", name, family_n, failures);
	fflush(stdout);
	family_n = 0;
}

static struct exo_pte_op ops[16];

/* A batch of n MAPs of our page at DATA, each into its own 2 MiB region from base
 * (so each needs a new page table, and the first a directory). */
static void map_ops(int n, uint64_t base)
{
	for (int i = 0; i < n; i++)
		ops[i] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = base + (uint64_t)i * LARGE_PAGE_SIZE,
					      .srcva = DATA, .perm = PTE_NX };
}

/* ---- bad arguments ---- */
static void family_bad_arguments(void)
{
	ATOMIC(-E_INVAL, sys_page_alloc(0, DATA + 1, PTE_W));
	ATOMIC(-E_INVAL, sys_page_alloc(0, 0, PTE_W));
	ATOMIC(-E_INVAL, sys_page_alloc(0, ULIM, PTE_W));
	ATOMIC(-E_INVAL, sys_page_alloc(0, FRESH_SLOT, 0x80));
	ATOMIC(-E_INVAL, sys_page_alloc(helper, FRESH_SLOT, 0x80));
	ATOMIC(-E_BADENV, sys_page_alloc(0x7ffff, FRESH_SLOT, PTE_W));
	ATOMIC(-E_INVAL, sys_page_map(0, FRESH_SLOT, 0, FRESH_SLOT + 4096, 0));
	ATOMIC(-E_INVAL, sys_page_map(0, DATA, helper, FRESH_SLOT, 0x80));
	ATOMIC(-E_INVAL, sys_page_map(0, DATA, helper, ULIM, 0));
	ATOMIC(-E_INVAL, sys_page_unmap(0, DATA + 8));
	ATOMIC(-E_INVAL, sys_page_protect(0, DATA, 0x80));
	ATOMIC(-E_INVAL, sys_page_protect(0, FRESH_SLOT, PTE_W));
	ATOMIC(-E_INVAL, sys_protect_range(0, DATA, DATA + 4096, PTE_W, 0));
	ATOMIC(-E_INVAL, sys_protect_range(0, DATA + 4096, DATA, 0, PTE_W));
	ATOMIC(-E_INVAL, sys_protect_range(0, DATA, DATA + EXO_RANGE_MAX + 4096, 0, PTE_W)); /* too long */
	ATOMIC(-E_INVAL, sys_pte_copy_range(helper, CR, CR + EXO_RANGE_MAX + 4096, PTE_COW, 0));
	ATOMIC(-E_INVAL, sys_pt_share(helper, DATA, 4));
	ATOMIC(-E_INVAL, sys_pt_share(helper, DATA, EXO_PT_SHARE_WRITE | EXO_PT_SHARE_VIEW));
	ATOMIC(-E_INVAL, sys_pt_share(helper, FRESH_SLOT, 0));
	ATOMIC(-E_INVAL, sys_pt_share(0, DATA, 0));
	ATOMIC(-E_INVAL, sys_pt_unshare(0, DATA, 0x1000));
	ATOMIC(-E_INVAL, sys_pt_unshare(helper, FRESH_SLOT, 0));
	ATOMIC(-E_INVAL, sys_pte_copy_range(helper, CR + 1, CR + 4096, 0, 0));
	ATOMIC(-E_INVAL, sys_pte_copy_range(helper, CR, CR + 4096, PTE_W, 0));
	ATOMIC(-E_INVAL, sys_pte_copy_range(0, CR, CR + 4096, 0, 0));
	ATOMIC(-E_INVAL, sys_ipc_send(helper, CMD_NOP, 0, 0, DATA + 8, 0));
	ATOMIC(-E_INVAL, sys_ipc_send(helper, CMD_NOP, 0, 0, FRESH_SLOT, 0));
	ATOMIC(-E_INVAL, sys_ipc_send(helper, CMD_NOP, 0, 0, DATA, 0x80));
	ATOMIC(-E_INVAL, sys_env_set_quota(helper, -1, 1));
	ATOMIC(-E_INVAL, sys_env_set_upcall(helper, 7, 0, 0));
	ATOMIC(-E_INVAL, sys_slot_alloc(1000));
	ATOMIC(-E_INVAL, sys_pte_batch(0, (long)ops, EXO_PTE_BATCH_MAX + 1));
	family_done("bad arguments");
}

/* ---- batches with one bad operation, in fresh regions (the good MAPs before the
 * bad one need page tables) ---- */
static void family_batches(void)
{
	const int pos[] = { 0, 3, 7 };
	for (int t = 0; t < 2; t++) {
		envid_t target = t ? helper : 0;
		for (int p = 0; p < 3; p++) {
			map_ops(8, FRESH_SLOT);
			ops[pos[p]].srcva = DATA + 0x1000; /* nothing mapped there */
			ATOMIC(BATCH_ERR(pos[p], E_INVAL), sys_pte_batch(target, (long)ops, 8));
			map_ops(8, FRESH_SLOT);
			ops[pos[p]].perm = 0x80; /* a bad bit */
			ATOMIC(BATCH_ERR(pos[p], E_INVAL), sys_pte_batch(target, (long)ops, 8));
			map_ops(8, FRESH_SLOT);
			ops[pos[p]].op = 9; /* no such operation */
			ATOMIC(BATCH_ERR(pos[p], E_INVAL), sys_pte_batch(target, (long)ops, 8));
		}
		map_ops(8, FRESH_SLOT);
		ops[5].va = ops[4].va - 4096; /* misordered */
		ATOMIC(BATCH_ERR(5, E_INVAL), sys_pte_batch(target, (long)ops, 8));
		map_ops(8, FRESH_SLOT);
		ops[6].va = ops[5].va; /* the same address twice */
		ATOMIC(BATCH_ERR(6, E_INVAL), sys_pte_batch(target, (long)ops, 8));
	}
	family_done("pte_batch with one bad operation");
}

/* ---- the helper's frame quota ---- */
static void family_quota(void)
{
	const volatile struct exo_env_view *hv = &exo_envs[EXO_ENVX(helper)];
	/* Set up: a table shared read-only with the helper, a lone mapping of our frame
	 * in the helper. */
	CHECK_EQ(sys_pt_share(helper, SHR, 0), 0);
	CHECK_EQ(sys_page_alloc(0, TKV, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_map(0, TKV, helper, C_TK, PTE_NX), 0);
	CHECK_EQ(sys_page_unmap(0, TKV), 0);
	uint64_t slots = hv->slot_quota, q0 = hv->frame_quota;
	CHECK_EQ(sys_env_set_quota(helper, (long)hv->nframes, (long)slots), 0);

	ATOMIC(-E_QUOTA, sys_page_alloc(helper, DATA + 0x5000, PTE_W | PTE_NX));
	ATOMIC(-E_QUOTA, sys_page_alloc(helper, FRESH_SLOT, PTE_W | PTE_NX));
	ATOMIC(-E_QUOTA, sys_page_map(0, DATA, helper, FRESH_SLOT, PTE_NX));
	map_ops(4, FRESH_SLOT);
	ATOMIC(BATCH_ERR(0, E_QUOTA), sys_pte_batch(helper, (long)ops, 4));
	map_ops(4, FRESH_SLOT);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = DATA + 0x6000, .srcva = DATA, .perm = PTE_NX };
	ATOMIC(BATCH_ERR(1, E_QUOTA), sys_pte_batch(helper, (long)ops, 4));
	ATOMIC(-E_QUOTA, sys_pte_copy_range(helper, CR, CR + 4 * LARGE_PAGE_SIZE, PTE_COW, 0));
	ATOMIC(-E_QUOTA, sys_pt_share(helper, QSH, 0)); /* the helper has no PDPT there */
	ATOMIC(-E_QUOTA, sys_pt_unshare(helper, SHR, PTE_COW));
	ATOMIC(-E_QUOTA, helper_call(CMD_PROTECT, C_TK)); /* a take-over by the helper */
	ATOMIC(-E_QUOTA, sys_ipc_send(helper, CMD_NOP, 0, 0, DATA, PTE_NX));

	/* (unlimited, ~0, cannot be given back: any value above the memory will do) */
	CHECK_EQ(sys_env_set_quota(helper, q0 > exo_info->nframes ? (long)exo_info->nframes * 2 : (long)q0, (long)slots), 0);
	CHECK_EQ(sys_pt_unshare(helper, SHR, PTE_COW), 0); /* the helper's own copy */
	CHECK_EQ(sys_pt_unshare(0, SHR, PTE_COW), 0);
	CHECK(*VPT_PDE(SHR) & PTE_W);
	CHECK_EQ(sys_page_unmap(helper, C_TK), 0);
	family_done("frame quota");
}

/* ---- out of memory ---- */
static uint64_t scratch_n; /* pages at SCRATCH */

#define SCRATCH2 0x20000000000UL /* PML4 slot 4: one table made before memory runs out */
static uint64_t scratch2_n;

/* Allocate pages until no frame is free: at SCRATCH upwards, then (when the last
 * page there needed a page table and only the table's frame was left) in SCRATCH2,
 * whose table exists. */
static void exhaust(void)
{
	CHECK_EQ(sys_page_alloc(0, SCRATCH2, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_unmap(0, SCRATCH2), 0);
	for (;;) {
		long r = sys_page_alloc(0, (long)(SCRATCH + scratch_n * 4096), PTE_W | PTE_NX);
		if (r == -E_NOMEM)
			break;
		CHECK_EQ(r, 0);
		scratch_n++;
	}
	/* family_nomem copies page tables out of the first 16 regions of scratch pages:
	 * the machine must have had the memory to fill them (else give QEMU more). */
	CHECK(scratch_n * 4096 >= 16 * LARGE_PAGE_SIZE);
	while (exo_info->free_frames > 0) {
		CHECK(scratch2_n < 512);
		CHECK_EQ(sys_page_alloc(0, (long)(SCRATCH2 + scratch2_n * 4096), PTE_W | PTE_NX), 0);
		scratch2_n++;
	}
	CHECK_EQ(exo_info->free_frames, 0);
}

/* Exactly k frames free: give back the last scratch pages, or take them again (their
 * page tables are there). A call that broke atomicity may have taken frames: then
 * more pages go back. */
static void leave_free(uint64_t k)
{
	while (exo_info->free_frames < k) {
		CHECK(scratch_n > 0);
		CHECK_EQ(sys_page_unmap(0, (long)(SCRATCH + (scratch_n - 1) * 4096)), 0);
		scratch_n--;
	}
	while (exo_info->free_frames > k) {
		CHECK_EQ(sys_page_alloc(0, (long)(SCRATCH + scratch_n * 4096), PTE_W | PTE_NX), 0);
		scratch_n++;
	}
	CHECK_EQ(exo_info->free_frames, k);
}

#define NOMEM(k, want, call) do { leave_free(k); ATOMIC(want, call); } while (0)

static void family_nomem(void)
{
	CHECK_EQ(sys_pt_share(helper, SHR, 0), 0); /* before memory runs out */
	exhaust();
	for (uint64_t k = 0; k <= 3; k++) {
		/* a page and three tables (PDPT, directory, table) */
		NOMEM(k, -E_NOMEM, sys_page_alloc(0, FRESH_SLOT, PTE_W | PTE_NX));
		NOMEM(k, -E_NOMEM, sys_page_alloc(helper, FRESH_SLOT, PTE_W | PTE_NX));
		/* a directory and four tables */
		map_ops(4, FRESH_GB);
		leave_free(k);
		ATOMIC_BATCH_CODE(E_NOMEM, sys_pte_batch(0, (long)ops, 4));
		/* (two page tables of ours the helper lacks each time: with its PDPT and
		 * directory for the slot, four frames) */
		uint64_t r0 = SCRATCH + (k * 4) * LARGE_PAGE_SIZE, r1 = r0 + 2 * LARGE_PAGE_SIZE;
		NOMEM(k, -E_NOMEM, sys_pte_copy_range(helper, r0, r0 + 2 * LARGE_PAGE_SIZE, PTE_COW, 0));
		NOMEM(k, -E_NOMEM, sys_pte_copy_range(helper, r1, r1 + 2 * LARGE_PAGE_SIZE, 0, 0));
		if (k < 3) /* a grant needing three tables in the helper */
			NOMEM(k, -E_NOMEM, sys_ipc_send(helper, CMD_NOP, 0, 0, DATA, PTE_NX));
		if (k < 2) /* the helper's PDPT and directory for slot 4 */
			NOMEM(k, -E_NOMEM, sys_pt_share(helper, SCRATCH2, 0));
		if (k < 1) {
			NOMEM(k, -E_NOMEM, sys_pt_unshare(0, SHR, PTE_COW));
			NOMEM(k, -E_NOMEM, sys_exofork());
		}
	}
	for (uint64_t i = 0; i < scratch_n; i++)
		CHECK_EQ(sys_page_unmap(0, (long)(SCRATCH + i * 4096)), 0);
	for (uint64_t i = 0; i < scratch2_n; i++)
		CHECK_EQ(sys_page_unmap(0, (long)(SCRATCH2 + i * 4096)), 0);
	CHECK_EQ(sys_pt_unshare(helper, SHR, PTE_COW), 0);
	CHECK_EQ(sys_pt_unshare(0, SHR, PTE_COW), 0);
	family_done("out of memory (0-3 frames left)");
}

/* A kernel test: the boot environment alone, without the libOS process layer. */
const bool libos_bare = true;

int main(void)
{
	me = (envid_t)sys_env_id();
	prefault_stack();
	CHECK_EQ(sys_page_alloc(0, DATA, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, SHR, PTE_W | PTE_NX), 0);
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0)
		helper_main();
	helper = (envid_t)c;
	wait_recving(helper);
	/* Made after the spawn: the helper has no page tables there. */
	CHECK_EQ(sys_page_alloc(0, QSH, PTE_W | PTE_NX), 0);
	for (uint64_t i = 0; i < 4; i++)
		CHECK_EQ(sys_page_alloc(0, (long)(CR + i * LARGE_PAGE_SIZE), PTE_W | PTE_NX), 0);
	printf("atomic: helper %#x, %lu frames, %lu free\n", helper, (unsigned long)exo_info->nframes,
	       (unsigned long)exo_info->free_frames);
	fflush(stdout);
	family_bad_arguments();
	family_batches();
	family_quota();
	family_nomem();
	wait_recving(helper);
	CHECK_EQ(sys_ipc_send(helper, QUIT, 0, 0, NOPAGE, 0), 0);
	wait_gone(helper);
	CHECK_EQ(failures, 0);
	check_done("atomic");
}
