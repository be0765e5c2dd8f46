/* isolation [ATTACK...]: one function per attack on the kernel's protection. Each
 * tries something forbidden (from this environment, or from a child against its
 * parent or a sibling) and checks that the kernel refuses it with the documented
 * error and that nothing changed: after every attack all children are gone, our
 * pages are intact, and the whole exported frame table (owner, mapping count of
 * every frame) and the free-frame count are exactly as before.
 *
 * Without arguments every attack in the default list runs, then a final frame
 * audit; with arguments only the named ones. The attacks that found kernel bugs are
 * not in the default list (it keeps guarding against regressions); cases-exo.sh
 * runs each of them on its own. Needs a finite frame quota: boot with frames=N
 * (test/cases-exo.sh uses frames=400).
 *
 * Children are made with libos_spawn_copy: they see our globals as they were at the
 * spawn, so the parent sets `me` / `sib` / `slot_k` first. A child never uses CHECK:
 * it records results with OUT() and reports them to the parent over IPC
 * (child_report_exit), and the parent checks them. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "../check.h"
#include <unistd.h>
#include <sys/wait.h>
#include "libos.h"
#include "fork.h"
#include "vpt.h"
#include "../exo_helpers.h"

/* The parent's pages (one 2 MiB region, so one page table). */
#define SCR 0x10000000UL
#define VICTIM (SCR + 0x0000)  /* writable, known contents */
#define RDONLY (SCR + 0x1000)  /* read-only, known contents */
#define GRANTPG (SCR + 0x2000) /* granted read-only to children */
#define EDGE (SCR + 0x3000)    /* writable; SCR + 0x4000 stays unmapped (a guard) */
#define GUARD (SCR + 0x4000)
#define FREE1 (SCR + 0x5000)   /* stay unmapped: targets of refused mappings */
#define FREE2 (SCR + 0x6000)
#define FREE3 (SCR + 0x7000)
#define VIEW (SCR + 0x8000)    /* where the parent looks at a child's page */
#define PGRANT (SCR + 0x9000)  /* where the parent receives (refused) grants */
#define REG 0x40000000UL       /* a 2 MiB region whose page table the parent shares */
#define BIGOPS 0x50000000UL    /* room for EXO_PTE_BATCH_MAX operations (32 pages) */
#define BIGOPS_PAGES 32
/* Children's own pages. */
#define CH 0x20000000UL
#define CGRANT (CH + 0x10000)
#define EXH 0x30000000UL
#define MANY 0x100000000UL

#define NOPAGE (-1L)            /* ipc: no page */
#define PTE_PS_BIT 0x80UL
#define PTE_G_BIT 0x100UL
#define PTE_PWT_BIT 0x8UL
#define PTE_PCD_BIT 0x10UL
#define PTE_A_BIT 0x20UL
#define PTE_D_BIT 0x40UL
#define PTE_PKEY_BIT (1UL << 59)
#define PTE_ADDR_MASK 0x000FFFFFFFFFF000UL
#define COW_BIT 0x200UL
#define QUIT 0x51554954L
#define BATCH_ERR(i, e) (-((long)(i) + 1) * 256 - (long)(e))
#define RFLAGS_CF 0x1UL
#define RFLAGS_ZF 0x40UL
#define RFLAGS_TF 0x100UL
#define RFLAGS_IF 0x200UL
#define RFLAGS_DF 0x400UL
#define RFLAGS_IOPL 0x3000UL
#define RFLAGS_NT 0x4000UL
#define RFLAGS_AC 0x40000UL
#define RFLAGS_VIF 0x80000UL
#define RFLAGS_VIP 0x100000UL
#define RFLAGS_ID 0x200000UL

extern void libos_upcall_entry(void);

static envid_t me;      /* the parent (the boot environment) */
static envid_t sib;     /* a sibling the attacking child goes after */
static long slot_k;     /* a slot the parent holds */
static uint64_t modpg, modpg_fn, modpg_sum; /* the one boot-module page we keep */
static uint64_t victim_sum, victim_pte, victim_fn, rdonly_sum, grant_sum, grant_fn, reg_sum, scr_pt_fn;

/* ---- helpers -------------------------------------------------------------------- */

static uint64_t pte_of(uint64_t va)
{
	return vpt_lookup(va) & ~(PTE_A_BIT | PTE_D_BIT); /* the CPU sets A and D */
}

static uint64_t page_sum(uint64_t va)
{
	const volatile uint64_t *p = (const volatile uint64_t *)va;
	uint64_t h = 14695981039346656037ULL;
	for (int i = 0; i < 512; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void fill(uint64_t va, uint8_t seed)
{
	for (int i = 0; i < 4096; i++)
		((volatile uint8_t *)va)[i] = (uint8_t)(seed + i * 7);
}

/* A digest of the whole exported frame table: owner, mapping count and flags of
 * every frame. Equal digests before and after an attack = no frame changed hands. */
static uint64_t frame_digest(void)
{
	const volatile uint64_t *f = (const volatile uint64_t *)UFRAMES;
	uint64_t h = 14695981039346656037ULL, n = exo_info->nframes;
	for (uint64_t i = 0; i < n; i++) {
		h ^= f[i] + i;
		h *= 1099511628211ULL;
	}
	return h;
}

/* msg.perm as the ABI's field holds it (its width decides whether NX shows). */
#define MSG_PERM(p) ((__typeof__(((struct exo_ipc_msg *)0)->perm))(p))

int libos_pgfault(struct exo_utf *utf); /* the libOS's handler: COW, stack growth */

static int probe_handler(struct exo_utf *utf)
{
	return probe_skip(utf) ? 0 : libos_pgfault(utf);
}

/* Single-step traps: count them, note any that claims a kernel rip, clear TF. */
static volatile int dbg_hits;
static volatile uint64_t dbg_bad_rip;
static int debug_handler(struct exo_utf *utf)
{
	dbg_hits++;
	if (utf->rip >= ULIM)
		dbg_bad_rip = utf->rip;
	utf->rflags &= ~RFLAGS_TF;
	return 0;
}

/* ---- children and their reports ---------------------------------------------------- */

#define NRES 48
static long res[NRES];
static int nres;
#define OUT(x) do { long v_ = (long)(x); if (nres < NRES) res[nres++] = v_; } while (0)

static struct exo_pte_op ops[8];

/* Child side: wait until env id is blocked in ipc_recv (no CHECK: safe in a child). */
static void wait_flag_recv(envid_t id)
{
	while (exo_envs[EXO_ENVX(id)].id == id && !(exo_envs[EXO_ENVX(id)].flags & EXO_ENVF_IPC_RECV))
		sys_yield(0);
}

static void send3(envid_t to, long a, long b, long c)
{
	long r;
	while ((r = sys_ipc_send(to, a, b, c, NOPAGE, 0)) == -E_NORECV)
		sys_yield(0);
	if (r < 0)
		sys_env_exit(100);
}

/* Child side: send res[0..nres) to the parent, three words per message (the first
 * message carries the count), then exit. */
static void __attribute__((noreturn)) child_report_exit(void)
{
	send3(me, nres, res[0], res[1]);
	for (int i = 2; i < nres; i += 3)
		send3(me, res[i], res[i + 1], res[i + 2]);
	sys_env_exit(0);
	__builtin_unreachable();
}

typedef void (*child_fn)(void);

static envid_t spawn(child_fn fn)
{
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0) {
		nres = 0;
		fn();
		child_report_exit();
	}
	return (envid_t)c;
}

/* Parent side: receive a child's report (receiving with dstva, so that a grant the
 * kernel should have refused would show up there). Every message must come from the
 * child and carry no page. Returns the count. */
static int recv_report(envid_t from, long *out, long dstva)
{
	static struct exo_ipc_msg m;
	CHECK_EQ(recv_msg(dstva, &m), 0);
	CHECK_EQ(m.from, from);
	CHECK_EQ(m.perm, 0);
	int n = (int)m.w[0];
	CHECK(n >= 0 && n <= NRES);
	if (n > 0)
		out[0] = (long)m.w[1];
	if (n > 1)
		out[1] = (long)m.w[2];
	for (int i = 2; i < n; i += 3) {
		CHECK_EQ(recv_msg(dstva, &m), 0);
		CHECK_EQ(m.from, from);
		CHECK_EQ(m.perm, 0);
		for (int k = 0; k < 3 && i + k < n; k++)
			out[i + k] = (long)m.w[k];
	}
	if (dstva >= 0 && (uint64_t)dstva < ULIM)
		CHECK_EQ(vpt_lookup((uint64_t)dstva), 0);
	return n;
}

/* Run fn in a child; expect n results in out; wait until the child is gone. */
static envid_t run_child(child_fn fn, long *out, int n)
{
	envid_t c = spawn(fn);
	CHECK_EQ(recv_report(c, out, PGRANT), n);
	wait_gone(c);
	return c;
}

static struct exo_ipc_msg sleep_msg;
static void __attribute__((noreturn)) sleeper_main(void)
{
	for (;;)
		if (sys_ipc_recv(NOPAGE, (long)&sleep_msg) == 0 && sleep_msg.w[0] == QUIT)
			sys_env_exit(0);
}

/* A child that waits in ipc_recv until told QUIT. */
static envid_t spawn_sleeper(void)
{
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0)
		sleeper_main();
	wait_recving(c);
	return (envid_t)c;
}

static void stop_sleeper(envid_t c)
{
	CHECK_EQ(sys_ipc_send(c, QUIT, 0, 0, NOPAGE, 0), 0);
	wait_gone(c);
}

/* A child that never runs (exofork by hand, not made runnable). */
static envid_t unstarted_child(void)
{
	long u = sys_exofork();
	if (u == 0) /* not reached: it is never made runnable */
		sys_env_exit(99);
	CHECK(u > 0);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].status, EXO_ENV_NOT_RUNNABLE);
	return (envid_t)u;
}

static void valid_regs(struct exo_regs *r)
{
	memset(r, 0, sizeof *r);
	r->rip = (uint64_t)sleeper_main;
	r->rsp = USTACKTOP - 4096;
}

/* Our own pages, checked after every attack. */
static void check_parent_pages(void)
{
	CHECK_EQ(page_sum(VICTIM), victim_sum);
	CHECK_EQ(pte_of(VICTIM), victim_pte);
	CHECK_EQ(exo_frames[victim_fn].owner, me);
	CHECK_EQ(exo_frames[victim_fn].maps, 1);
	CHECK_EQ(page_sum(RDONLY), rdonly_sum);
	CHECK_EQ(pte_of(RDONLY) & (PTE_P | PTE_W), PTE_P);
	CHECK_EQ(page_sum(GRANTPG), grant_sum);
	CHECK_EQ(exo_frames[grant_fn].owner, me);
	CHECK_EQ(exo_frames[grant_fn].maps, 1);
	const uint64_t unmapped[] = { GUARD, FREE1, FREE2, FREE3, VIEW, PGRANT };
	for (unsigned i = 0; i < sizeof unmapped / sizeof unmapped[0]; i++)
		CHECK_EQ(vpt_lookup(unmapped[i]), 0);
	CHECK(*VPT_PDE(SCR) & PTE_W);
	CHECK_EQ(exo_frames[scr_pt_fn].maps, 1);
	CHECK(*VPT_PDE(REG) & PTE_W);
	CHECK_EQ(page_sum(REG), reg_sum);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].frame_quota, exo_info->frame_quota);
	CHECK(exo_envs[EXO_ENVX(me)].flags & EXO_ENVF_POWER);
	CHECK_EQ(exo_frames[modpg_fn].owner, FRAME_OWNER_MODULE);
	CHECK_EQ(pte_of(modpg) & (PTE_P | PTE_W), PTE_P);
}

/* ==== attacks from this environment on the kernel ==================================== */

static const uint64_t kernel_addrs[] = {
	KERNBASE, KERNBASE + 0x100000, KPHYS, KPHYS + 0x100000, UEXPORT, UINFO, USLOTS, UCOUNTERS,
	UENVS, UFRAMES, UVPT, UVPT + 0x1000, ULIM + 0x1000, 0xFFFFFFFFFFFFF000UL,
};
#define NKADDR (sizeof kernel_addrs / sizeof kernel_addrs[0])

/* Map kernel memory, the exports or the page tables: fresh frame, alias of ours. */
static void attack_map_kernel_memory(void)
{
	for (unsigned i = 0; i < NKADDR; i++) {
		long a = (long)kernel_addrs[i];
		CHECK_EQ(sys_page_alloc(0, a, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_alloc(0, a, 0), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, a, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, a, 0), -E_INVAL);
		CHECK_EQ(sys_page_copy(0, a, VICTIM, PTE_W), -E_INVAL);
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = (uint64_t)a, .srcva = VICTIM, .perm = PTE_W };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
	}
}

/* Use kernel memory, the exports or the page tables as the source of a mapping. */
static void attack_alias_kernel_memory(void)
{
	for (unsigned i = 0; i < NKADDR; i++) {
		long a = (long)kernel_addrs[i];
		CHECK_EQ(sys_page_map(0, a, 0, FREE1, 0), -E_INVAL);
		CHECK_EQ(sys_page_map(0, a, 0, FREE1, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_copy(0, FREE1, a, PTE_W), -E_INVAL); /* a copy of kernel memory */
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = FREE1, .srcva = (uint64_t)a, .perm = 0 };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
	}
}

/* Make the exports or our page tables writable, or unmap them. */
static void attack_write_exports_and_page_tables(void)
{
	uint64_t magic = exo_info->magic;
	for (unsigned i = 0; i < NKADDR; i++) {
		long a = (long)kernel_addrs[i];
		CHECK_EQ(sys_page_protect(0, a, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_unmap(0, a), -E_INVAL);
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = (uint64_t)a, .perm = PTE_W };
		ops[1] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = (uint64_t)a };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
		CHECK_EQ(sys_pte_batch(0, (long)&ops[1], 1), BATCH_ERR(0, E_INVAL));
	}
	CHECK_EQ(sys_protect_range(0, (long)UEXPORT, (long)UEXPORT + 0x1000, 0, PTE_W), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, SCR, (long)UEXPORT + 0x1000, 0, 0), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, (long)UVPT, (long)UVPT + 0x1000, 0, 0), -E_INVAL);
	/* The hardware agrees: stores to the info page and to our PML4 through UVPT fault. */
	CHECK_EQ(try_store_same(UINFO), 0);
	CHECK_EQ(try_store_same((uint64_t)VPT_PML4E(0)), 0);
	CHECK_EQ(try_store_same(UFRAMES), 0);
	CHECK_EQ(exo_info->magic, magic);
}

/* Page-table bits a user must not set: page size, global, caching, accessed/dirty,
 * protection keys, physical address bits. */
static void attack_bad_permission_bits(void)
{
	const uint64_t bad[] = { PTE_PS_BIT, PTE_G_BIT, PTE_PWT_BIT, PTE_PCD_BIT, PTE_A_BIT, PTE_D_BIT,
				 PTE_PKEY_BIT, 0x1000UL, 1UL << 40, 1UL << 52 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint64_t p = bad[i];
		CHECK_EQ(sys_page_alloc(0, FREE1, (long)(PTE_W | p)), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, FREE1, (long)p), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, VICTIM, (long)(PTE_W | PTE_NX | p)), -E_INVAL);
		CHECK_EQ(sys_page_protect(0, VICTIM, (long)(PTE_W | PTE_NX | p)), -E_INVAL);
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = FREE1, .srcva = VICTIM, .perm = p };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = VICTIM, .perm = PTE_W | PTE_NX | p };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
		CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, (long)p, 0), -E_INVAL);
		CHECK_EQ(sys_pt_unshare(0, SCR, (long)p), -E_INVAL);
	}
}

/* Addresses that are not page-aligned. */
static void attack_misaligned_addresses(void)
{
	const long off[] = { 1, 8, 0x800, 0xFFF };
	static struct exo_ipc_msg m;
	for (unsigned i = 0; i < sizeof off / sizeof off[0]; i++) {
		long o = off[i];
		CHECK_EQ(sys_page_alloc(0, FREE1 + o, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM + o, 0, FREE1, 0), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, FREE1 + o, 0), -E_INVAL);
		CHECK_EQ(sys_page_unmap(0, VICTIM + o), -E_INVAL);
		CHECK_EQ(sys_page_protect(0, VICTIM + o, PTE_NX), -E_INVAL);
		CHECK_EQ(sys_protect_range(0, VICTIM + o, VICTIM + 0x2000, 0, PTE_W), -E_INVAL);
		CHECK_EQ(sys_protect_range(0, VICTIM, VICTIM + 0x1000 + o, 0, PTE_W), -E_INVAL);
		CHECK_EQ(sys_ipc_recv(FREE1 + o, (long)&m), -E_INVAL);
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = VICTIM + o };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
		ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = FREE1, .srcva = VICTIM + o, .perm = 0 };
		CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_INVAL));
	}
	CHECK_EQ(sys_protect_range(0, VICTIM + 0x2000, VICTIM, 0, PTE_W), -E_INVAL); /* end < start */
}

/* Non-canonical addresses and addresses in the kernel half. */
static void attack_noncanonical_addresses(void)
{
	const uint64_t bad[] = { 0x0000800000000000UL, 0x0000FFFFFFFFF000UL, 0x8000000000000000UL,
				 0x7FFFFFFFFFFFF000UL, 0xFFFF7FFFFFFFF000UL };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long a = (long)bad[i];
		CHECK_EQ(sys_page_alloc(0, a, PTE_W), -E_INVAL);
		CHECK_EQ(sys_page_map(0, VICTIM, 0, a, 0), -E_INVAL);
		CHECK_EQ(sys_page_map(0, a, 0, FREE1, 0), -E_INVAL);
		CHECK_EQ(sys_page_unmap(0, a), -E_INVAL);
		CHECK_EQ(sys_page_protect(0, a, 0), -E_INVAL);
		CHECK_EQ(sys_protect_range(0, a, a + 0x1000, 0, PTE_W), -E_INVAL);
		CHECK_EQ(sys_pt_unshare(0, a, 0), -E_INVAL);
		CHECK_EQ(sys_cons_write(a, 1), -E_FAULT);
		CHECK_EQ(sys_cons_read(a, 1), -E_FAULT);
	}
}

/* Kernel, export and page-table addresses as buffers the kernel reads or writes. */
static void attack_kernel_pointers_as_buffers(void)
{
	envid_t u = unstarted_child();
	for (unsigned i = 0; i < NKADDR; i++) {
		long a = (long)kernel_addrs[i];
		CHECK_EQ(sys_cons_write(a, 16), -E_FAULT);
		CHECK_EQ(sys_cons_read(a, 16), -E_FAULT);
		CHECK_EQ(sys_pte_batch(0, a, 1), -E_FAULT);
		CHECK_EQ(sys_env_set_regs(u, a), -E_FAULT);
	}
	CHECK_EQ(sys_cons_write(0, 16), -E_FAULT);
	CHECK_EQ(sys_env_set_regs(u, 0), -E_FAULT);
	CHECK_EQ(sys_pte_batch(0, 0, 1), -E_FAULT);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* Read-only memory as a buffer the kernel writes to. */
static void attack_readonly_buffers_for_kernel_writes(void)
{
	CHECK_EQ(sys_cons_read(RDONLY, 8), -E_FAULT);
	CHECK_EQ(sys_cons_read((long)attack_readonly_buffers_for_kernel_writes, 8), -E_FAULT);
}

/* Buffers that start in a mapped page and run into an unmapped one, or wrap. */
static void attack_buffers_straddling_unmapped_page(void)
{
	envid_t u = unstarted_child();
	long end = EDGE + 4096;
	CHECK_EQ(sys_cons_write(end - 4, 8), -E_FAULT);
	CHECK_EQ(sys_cons_read(end - 4, 8), -E_FAULT);
	CHECK_EQ(sys_pte_batch(0, end - 16, 1), -E_FAULT);
	CHECK_EQ(sys_env_set_regs(u, end - 64), -E_FAULT);
	CHECK_EQ(sys_cons_write(EDGE, -1), -E_FAULT);
	CHECK_EQ(sys_cons_write(EDGE, 1L << 62), -E_FAULT);
	CHECK_EQ(sys_cons_write(EDGE, (long)(ULIM - EDGE) + 1), -E_FAULT);
	CHECK_EQ(sys_cons_read(EDGE, 1L << 62), -E_FAULT);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* A batch of good operations with one bad one: refused as a whole, with the index
 * of the bad one in the result; none of the good ones is applied. */
static void attack_pte_batch_one_bad_op(void)
{
	uint64_t edge_pte = pte_of(EDGE), edge_fn = vpt_frame(EDGE);
	/* Good operations in ascending address order (valid however the kernel orders
	 * or relates the operations of a batch); no source is unmapped by another. */
	struct exo_pte_op good[5] = {
		{ .op = EXO_PTE_PROTECT, .va = VICTIM, .perm = PTE_NX },
		{ .op = EXO_PTE_UNMAP, .va = EDGE },
		{ .op = EXO_PTE_MAP, .va = FREE1, .srcva = VICTIM, .perm = PTE_NX },
		{ .op = EXO_PTE_MAP, .va = FREE2, .srcva = VICTIM, .perm = PTE_W | PTE_NX },
		{ .op = EXO_PTE_MAP, .va = FREE3, .srcva = RDONLY, .perm = PTE_NX },
	};
	const struct exo_pte_op bad[] = {
		{ .op = EXO_PTE_MAP, .va = FREE3, .srcva = GUARD, .perm = 0 },          /* unmapped source */
		{ .op = EXO_PTE_MAP, .va = KERNBASE, .srcva = VICTIM, .perm = 0 },      /* kernel target */
		{ .op = EXO_PTE_PROTECT, .va = GUARD, .perm = PTE_NX },                /* nothing mapped */
		{ .op = EXO_PTE_PROTECT, .va = VICTIM, .perm = PTE_PS_BIT },           /* bad bits */
		{ .op = EXO_PTE_UNMAP, .va = VICTIM + 8 },                             /* misaligned */
		{ .op = 0 },                                                           /* no such op */
		{ .op = 4 },
		{ .op = 0xFFFFFFFFu, .va = VICTIM },
	};
	struct exo_pte_op b[6];
	for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		for (int pos = 0; pos < 6; pos++) { /* the bad one at each position */
			for (int i = 0, g = 0; i < 6; i++)
				b[i] = i == pos ? bad[k] : good[g++];
			CHECK_EQ(sys_pte_batch(0, (long)b, 6), BATCH_ERR(pos, E_INVAL));
			CHECK_EQ(vpt_lookup(FREE1), 0);
			CHECK_EQ(vpt_lookup(FREE2), 0);
			CHECK_EQ(vpt_lookup(FREE3), 0);
			CHECK_EQ(pte_of(VICTIM), victim_pte);
			CHECK_EQ(pte_of(EDGE), edge_pte);
			CHECK_EQ(exo_frames[victim_fn].maps, 1);
			CHECK_EQ(exo_frames[edge_fn].maps, 1);
		}
	}
	/* Good operations alone go through (and are then undone). */
	struct exo_pte_op some[3] = { good[0], good[2], good[3] };
	CHECK_EQ(sys_pte_batch(0, (long)some, 3), 3);
	CHECK_EQ(exo_frames[victim_fn].maps, 3);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = VICTIM, .perm = victim_pte & (PTE_W | PTE_NX) };
	ops[1] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = FREE1 };
	ops[2] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = FREE2 };
	CHECK_EQ(sys_pte_batch(0, (long)ops, 3), 3);
}

/* The largest batch with its last operation bad; an unknown op code. */
static void attack_pte_batch_bad_last_of_max(void)
{
	for (int i = 0; i < BIGOPS_PAGES; i++)
		CHECK_EQ(sys_page_alloc(0, BIGOPS + i * 4096, PTE_W | PTE_NX), 0);
	struct exo_pte_op *big = (struct exo_pte_op *)BIGOPS;
	_Static_assert(EXO_PTE_BATCH_MAX * sizeof(struct exo_pte_op) == BIGOPS_PAGES * 4096, "size");
	for (int i = 0; i < EXO_PTE_BATCH_MAX; i++) /* harmless: unmap what is not mapped */
		big[i] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = SCR + 0x100000 + (uint64_t)i * 4096 };
	big[EXO_PTE_BATCH_MAX - 1] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = RDONLY, .perm = PTE_W | PTE_PS_BIT };
	CHECK_EQ(sys_pte_batch(0, BIGOPS, EXO_PTE_BATCH_MAX), BATCH_ERR(EXO_PTE_BATCH_MAX - 1, E_INVAL));
	big[EXO_PTE_BATCH_MAX - 1] = (struct exo_pte_op){ .op = 77, .va = RDONLY };
	CHECK_EQ(sys_pte_batch(0, BIGOPS, EXO_PTE_BATCH_MAX), BATCH_ERR(EXO_PTE_BATCH_MAX - 1, E_INVAL));
	/* An operation that would end up outside the buffer: the count covers it. */
	CHECK_EQ(sys_pte_batch(0, BIGOPS + 4096 * BIGOPS_PAGES - sizeof(struct exo_pte_op), 2), -E_FAULT);
	for (int i = 0; i < BIGOPS_PAGES; i++)
		CHECK_EQ(sys_page_unmap(0, BIGOPS + i * 4096), 0);
}

/* More operations than EXO_PTE_BATCH_MAX, or a negative count. */
static void attack_pte_batch_too_many(void)
{
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = VICTIM };
	const long counts[] = { EXO_PTE_BATCH_MAX + 1, 1L << 20, 1L << 40, -1, -256, (long)(1UL << 63) };
	for (unsigned i = 0; i < sizeof counts / sizeof counts[0]; i++)
		CHECK_EQ(sys_pte_batch(0, (long)ops, counts[i]), -E_INVAL);
	CHECK_EQ(sys_pte_batch(0, (long)ops, 0), 0);
}

/* protect_range may take rights away, never give them: no W, no execute, no
 * clearing P or U, no other bits. */
static void attack_protect_range_grant_write(void)
{
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, PTE_W, 0), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, PTE_W | PTE_NX, 0), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, 0, PTE_NX), -E_INVAL);   /* make executable */
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, 0, PTE_P), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, 0, PTE_U), -E_INVAL);   /* kernel-only page */
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, PTE_U, 0), -E_INVAL);
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, 0, 0x1000), -E_INVAL);  /* address bits */
	CHECK_EQ(sys_protect_range(0, SCR, SCR + 0x10000, 0, PTE_A_BIT), -E_INVAL);
	CHECK_EQ(try_store_same(RDONLY), 0);
	CHECK_EQ(pte_of(RDONLY) & PTE_NX, PTE_NX);
}

/* An upcall handler or exception stack in the kernel, a misaligned stack. */
static void attack_upcall_kernel_handler_or_stack(void)
{
	long entry = (long)libos_upcall_entry;
	for (unsigned i = 0; i < NKADDR; i++) {
		long a = (long)kernel_addrs[i];
		CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, a, UXSTACKTOP), -E_INVAL);
		CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_SLOT, a, UXSTACKTOP), -E_INVAL);
		CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, entry, a + 0x1000), -E_INVAL);
	}
	CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, (long)ULIM, UXSTACKTOP), -E_INVAL);
	CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, entry, (long)ULIM + 16), -E_INVAL);
	CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, entry, UXSTACKTOP - 8), -E_INVAL);
	CHECK_EQ(sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, entry, 0x1000), -E_INVAL);
	CHECK_EQ(sys_env_set_upcall(0, 2, entry, UXSTACKTOP), -E_INVAL);
	CHECK_EQ(sys_env_set_upcall(0, -1, entry, UXSTACKTOP), -E_INVAL);
	/* Our handler still works. */
	int f = probe_faults;
	CHECK_EQ(try_store_same(RDONLY), 0);
	CHECK_EQ(probe_faults, f + 1);
}

/* Registers of a child pointing into the kernel; registers of ourselves. */
static void attack_set_regs_kernel_rip(void)
{
	envid_t u = unstarted_child();
	struct exo_regs r;
	const uint64_t bad_rip[] = { KERNBASE, KPHYS, ULIM, UVPT, 0x0000800000000000UL, ~0UL };
	for (unsigned i = 0; i < sizeof bad_rip / sizeof bad_rip[0]; i++) {
		valid_regs(&r);
		r.rip = bad_rip[i];
		CHECK_EQ(sys_env_set_regs(u, (long)&r), -E_INVAL);
		valid_regs(&r);
		r.rsp = bad_rip[i] | 8;
		CHECK_EQ(sys_env_set_regs(u, (long)&r), -E_INVAL);
	}
	valid_regs(&r);
	CHECK_EQ(sys_env_set_regs(0, (long)&r), -E_INVAL);  /* ourselves */
	CHECK_EQ(sys_env_set_regs(me, (long)&r), -E_INVAL);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* Privileged flags through env_set_regs: IOPL 3 would allow port I/O and cli, TF
 * single-steps, NT/AC/VIF/VIP/ID have no business in a user frame. The kernel
 * keeps only the arithmetic flags and DF (documented), with interrupts on. */
void flags_probe_entry(void);
void flags_probe_c(uint64_t flags);
__asm__(".text\n.globl flags_probe_entry\nflags_probe_entry:\n"
	"pushfq\npopq %rdi\ncld\ncall flags_probe_c\nud2\n");
void flags_probe_c(uint64_t flags)
{
	nres = 0;
	OUT(flags);
	OUT(dbg_hits);
	child_report_exit();
}
static uint8_t probe_stack[8192] __attribute__((aligned(16)));

static void attack_set_regs_privileged_flags(void)
{
	envid_t c = spawn_sleeper();
	struct exo_regs r;
	valid_regs(&r);
	r.rip = (uint64_t)flags_probe_entry;
	r.rsp = (uint64_t)(probe_stack + sizeof probe_stack);
	r.rflags = RFLAGS_CF | RFLAGS_ZF | RFLAGS_DF | RFLAGS_IOPL | RFLAGS_TF | RFLAGS_NT | RFLAGS_AC |
		   RFLAGS_VIF | RFLAGS_VIP | RFLAGS_ID;
	CHECK_EQ(sys_env_set_regs(c, (long)&r), 0);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0); /* wake it: it resumes at the probe */
	long out[2];
	CHECK_EQ(recv_report(c, out, PGRANT), 2);
	wait_gone(c);
	uint64_t fl = (uint64_t)out[0];
	CHECK_EQ(fl & (RFLAGS_IOPL | RFLAGS_TF | RFLAGS_NT | RFLAGS_AC | RFLAGS_VIF | RFLAGS_VIP | RFLAGS_ID), 0);
	CHECK_EQ(fl & (RFLAGS_IF | RFLAGS_CF | RFLAGS_ZF | RFLAGS_DF), RFLAGS_IF | RFLAGS_CF | RFLAGS_ZF | RFLAGS_DF);
	CHECK_EQ(out[1], 0); /* no single-step trap */
}

/* ==== a child against its parent ===================================================== */

static void child_map_into_parent(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_page_alloc(me, FREE1, PTE_W | PTE_NX));
	OUT(sys_page_map(0, VICTIM, me, FREE1, PTE_W | PTE_NX));  /* our copy into the parent */
	OUT(sys_page_map(0, VICTIM, me, VICTIM, PTE_W | PTE_NX)); /* replace the parent's page */
	OUT(sys_page_map(me, VICTIM, me, FREE1, PTE_W | PTE_NX)); /* alias inside the parent */
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = FREE1, .srcva = VICTIM, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(me, (long)ops, 1));
	OUT(sys_page_copy(me, FREE1, VICTIM, PTE_W | PTE_NX));    /* a copy of ours into the parent */
	OUT(sys_page_copy(me, VICTIM, VICTIM, PTE_W | PTE_NX));   /* replace the parent's page */
	OUT(frame_digest() == d0);
}
static void attack_map_into_parent(void)
{
	long r[8];
	run_child(child_map_into_parent, r, 8);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[7], 1);
}

static void child_read_parent_frame(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_page_map(me, VICTIM, 0, CH, 0));
	OUT(sys_page_map(me, VICTIM, 0, CH, PTE_W | PTE_NX));
	OUT(sys_page_map(me, GRANTPG, 0, CH, PTE_NX));
	OUT(sys_page_map(me, USTACKTOP - 4096, 0, CH, 0)); /* the parent's stack */
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = CH, .srcva = VICTIM, .perm = 0 };
	OUT(sys_pte_batch(me, (long)ops, 1));
	OUT(vpt_lookup(CH));
	OUT(frame_digest() == d0);
}
static void attack_read_parent_frame(void)
{
	long r[7];
	run_child(child_read_parent_frame, r, 7);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[5], 0);
	CHECK_EQ(r[6], 1);
}

static void child_unmap_protect_parent(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_page_unmap(me, VICTIM));
	OUT(sys_page_unmap(me, USTACKTOP - 4096));
	OUT(sys_page_protect(me, VICTIM, PTE_NX));         /* take write away */
	OUT(sys_page_protect(me, VICTIM, PTE_W));          /* make it executable */
	OUT(sys_page_protect(me, RDONLY, PTE_W | PTE_NX)); /* give write */
	OUT(frame_digest() == d0);
}
static void attack_unmap_protect_parent_pages(void)
{
	long r[6];
	run_child(child_unmap_protect_parent, r, 6);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[5], 1);
}

static void child_batch_range_on_parent(void)
{
	uint64_t d0 = frame_digest();
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = VICTIM };
	OUT(sys_pte_batch(me, (long)ops, 1));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = RDONLY, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(me, (long)ops, 1));
	OUT(sys_protect_range(me, SCR, SCR + 0x10000, 0, PTE_W));
	OUT(sys_protect_range(me, PAGE_SIZE, (long)EXO_RANGE_MAX, COW_BIT, PTE_W));
	OUT(frame_digest() == d0);
}
static void attack_batch_and_range_on_parent(void)
{
	long r[5];
	run_child(child_batch_range_on_parent, r, 5);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[4], 1);
}

static void child_share_tables_with_parent(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_pt_share(me, SCR, 0));   /* push our table into the parent */
	OUT(sys_pt_share(me, REG, 0));
	OUT(sys_pt_unshare(me, SCR, 0));
	OUT(sys_pt_unshare(me, REG, COW_BIT));
	OUT(*VPT_PDE(SCR) & PTE_W);   /* our own table is untouched */
	OUT(frame_digest() == d0);
}
static void attack_share_tables_with_parent(void)
{
	long r[6];
	run_child(child_share_tables_with_parent, r, 6);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[4], PTE_W);
	CHECK_EQ(r[5], 1);
}

/* A read-only view (pt_share with EXO_PT_SHARE_VIEW, how the libOS server shows
 * its tables to every process): the child sees the parent's page, and no call
 * and no store lets it change the page or the shared table; a private copy of the
 * table (pt_unshare) is its own and still read-only. */
static struct exo_ipc_msg view_go;
static void child_view_write(void)
{
	while (sys_ipc_recv(NOPAGE, (long)&view_go) != 0 || view_go.w[0] != QUIT)
		;
	uint64_t d0 = frame_digest();
	OUT(page_sum(REG) == reg_sum);
	OUT(*VPT_PDE(REG) & PTE_W);
	OUT(try_store_same(REG));
	OUT(sys_page_protect(0, REG, PTE_W | PTE_NX));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = REG, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 1));
	OUT(sys_page_map(0, REG, 0, CH, PTE_W | PTE_NX));
	OUT(sys_page_unmap(0, REG));
	OUT(sys_page_alloc(0, REG + PAGE_SIZE, PTE_W | PTE_NX));
	OUT(frame_digest() == d0);
	OUT(sys_pt_unshare(0, REG, 0));
	OUT(try_store_same(REG));
	OUT(page_sum(REG) == reg_sum);
}
static void attack_view_is_read_only(void)
{
	long r[12];
	envid_t c = spawn(child_view_write);
	wait_recving(c);
	CHECK_EQ(sys_pt_share(c, REG, EXO_PT_SHARE_VIEW), 0);
	CHECK(*VPT_PDE(REG) & PTE_W); /* ours stays writable */
	CHECK_EQ(sys_ipc_send(c, QUIT, 0, 0, NOPAGE, 0), 0);
	CHECK_EQ(recv_report(c, r, PGRANT), 12);
	wait_gone(c);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], -E_AGAIN);
	CHECK(r[4] < 0);
	CHECK_EQ(r[5], -E_PERM);
	CHECK_EQ(r[6], -E_AGAIN);
	CHECK_EQ(r[7], -E_AGAIN);
	CHECK_EQ(r[8], 1);
	CHECK_EQ(r[9], 0);
	CHECK_EQ(r[10], 0);
	CHECK_EQ(r[11], 1);
	CHECK(*VPT_PDE(REG) & PTE_W);
}

/* pt_drop takes a page table out of a descendant's space only: the parent's
 * tables are refused; the child's own copy goes. */
static void child_drop_parent_table(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_pt_drop(me, SCR));
	OUT(sys_pt_drop(me, REG));
	OUT(sys_pt_drop(sib, SCR));
	OUT(frame_digest() == d0);
	OUT(sys_pt_drop(0, CH + 0x100000000UL)); /* no table there */
}
static void attack_pt_drop_parent_table(void)
{
	long r[5];
	sib = spawn_sleeper();
	run_child(child_drop_parent_table, r, 5);
	stop_sleeper(sib);
	CHECK_EQ(r[0], -E_PERM);
	CHECK_EQ(r[1], -E_PERM);
	CHECK_EQ(r[2], -E_PERM);
	CHECK_EQ(r[3], 1);
	CHECK_EQ(r[4], -E_INVAL);
}

static void child_control_parent(void)
{
	struct exo_regs regs;
	valid_regs(&regs);
	OUT(sys_env_set_status(me, EXO_ENV_NOT_RUNNABLE));
	OUT(sys_env_set_status(me, EXO_ENV_RUNNABLE));
	OUT(sys_env_set_regs(me, (long)&regs));
	OUT(sys_env_set_upcall(me, EXO_UPCALL_EXCEPTION, (long)sleeper_main, UXSTACKTOP));
	OUT(sys_env_set_upcall(me, EXO_UPCALL_SLOT, (long)sleeper_main, UXSTACKTOP));
	OUT(sys_env_set_quota(me, 0, 0));
	OUT(sys_env_set_quota(me, 1, 1));
}
static void attack_control_parent(void)
{
	long r[7];
	run_child(child_control_parent, r, 7);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].slot_quota, exo_info->slot_quota);
	int f = probe_faults; /* our upcall entry is still ours */
	CHECK_EQ(try_store_same(RDONLY), 0);
	CHECK_EQ(probe_faults, f + 1);
}

static void child_destroy_parent(void)
{
	OUT(sys_env_destroy(me));
	OUT(sys_env_destroy(exo_envs[EXO_ENVX(sys_env_id())].parent));
	OUT(exo_envs[EXO_ENVX(sys_env_id())].parent == me);
}
static void attack_destroy_parent(void)
{
	long r[3];
	run_child(child_destroy_parent, r, 3);
	CHECK_EQ(r[0], -E_PERM);
	CHECK_EQ(r[1], -E_PERM);
	CHECK_EQ(r[2], 1);
}

/* ==== a child against its sibling ==================================================== */

/* Run fn in a child while a sleeping sibling holds a copy of our pages; fn's results
 * must all be `want` except the last, which must be 1 (frame table unchanged); the
 * sibling must be untouched. */
static void against_sibling(child_fn fn, int n, long want)
{
	sib = spawn_sleeper();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(sib)];
	uint64_t nf = v->nframes;
	long r[NRES];
	run_child(fn, r, n);
	for (int i = 0; i < n - 1; i++)
		CHECK_EQ(r[i], want);
	CHECK_EQ(r[n - 1], 1);
	CHECK_EQ(v->id, sib);
	CHECK_EQ(v->parent, me);
	CHECK(v->flags & EXO_ENVF_IPC_RECV);
	CHECK_EQ(v->status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(v->nframes, nf);
	CHECK_EQ(v->frame_quota, exo_info->frame_quota);
	CHECK_EQ(v->slot_quota, exo_info->slot_quota);
	/* Its copy of VICTIM is intact and its own. */
	CHECK_EQ(sys_page_map(sib, VICTIM, 0, VIEW, 0), 0);
	CHECK_EQ(page_sum(VIEW), victim_sum);
	CHECK_EQ(exo_frames[vpt_frame(VIEW)].owner, sib);
	CHECK_EQ(exo_frames[vpt_frame(VIEW)].maps, 2);
	CHECK_EQ(sys_page_unmap(0, VIEW), 0);
	stop_sleeper(sib);
}

static void child_read_sibling(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_page_map(sib, VICTIM, 0, CH, 0));
	OUT(sys_page_map(sib, VICTIM, 0, CH, PTE_W | PTE_NX));
	OUT(sys_page_map(sib, (long)&sleep_msg & ~0xFFFL, 0, CH, 0));
	OUT(sys_page_map(sib, VICTIM, sib, FREE1, 0));
	OUT(vpt_lookup(CH) ? -1 : -E_PERM);
	OUT(frame_digest() == d0);
}
static void attack_read_sibling_memory(void) { against_sibling(child_read_sibling, 6, -E_PERM); }

static void child_modify_sibling(void)
{
	uint64_t d0 = frame_digest();
	OUT(sys_page_alloc(sib, FREE1, PTE_W | PTE_NX));
	OUT(sys_page_map(0, VICTIM, sib, VICTIM, PTE_W | PTE_NX));
	OUT(sys_page_unmap(sib, VICTIM));
	OUT(sys_page_protect(sib, VICTIM, PTE_NX));
	OUT(sys_page_protect(sib, RDONLY, PTE_W | PTE_NX));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = VICTIM };
	OUT(sys_pte_batch(sib, (long)ops, 1));
	OUT(sys_protect_range(sib, SCR, SCR + 0x10000, 0, PTE_W));
	OUT(sys_pt_share(sib, SCR, 0));
	OUT(sys_pt_unshare(sib, SCR, COW_BIT));
	OUT(frame_digest() == d0);
}
static void attack_modify_sibling_memory(void) { against_sibling(child_modify_sibling, 10, -E_PERM); }

static void child_control_sibling(void)
{
	struct exo_regs regs;
	valid_regs(&regs);
	uint64_t d0 = frame_digest();
	OUT(sys_env_destroy(sib));
	OUT(sys_env_set_status(sib, EXO_ENV_RUNNABLE));
	OUT(sys_env_set_status(sib, EXO_ENV_NOT_RUNNABLE));
	OUT(sys_env_set_regs(sib, (long)&regs));
	OUT(sys_env_set_upcall(sib, EXO_UPCALL_EXCEPTION, (long)sleeper_main, UXSTACKTOP));
	OUT(sys_env_set_quota(sib, 1, 0));
	OUT(sys_power_delegate(sib));
	OUT(frame_digest() == d0);
}
static void attack_control_sibling(void) { against_sibling(child_control_sibling, 8, -E_PERM); }

/* ==== IPC ============================================================================= */

/* Escalate a read-only page granted by the parent: make it writable, alias it
 * writable, re-grant it writable, use it as a buffer the kernel writes (cons_read). */
static struct exo_ipc_msg gm;
static void child_escalate_grant(void)
{
	long r = sys_ipc_recv(CGRANT, (long)&gm); /* the parent grants GRANTPG read-only */
	OUT(r);
	OUT(gm.perm);
	OUT(pte_of(CGRANT) & (PTE_P | PTE_W));
	OUT(sys_page_protect(0, CGRANT, PTE_W | PTE_NX));
	OUT(sys_page_map(0, CGRANT, 0, CGRANT + 0x1000, PTE_W | PTE_NX));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = CGRANT, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 1));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = CGRANT + 0x1000, .srcva = CGRANT, .perm = PTE_W };
	OUT(sys_pte_batch(0, (long)ops, 1));
	OUT(sys_cons_read(CGRANT, 8));
	wait_flag_recv(me); /* the parent receives (with a page slot) */
	OUT(sys_ipc_send(me, 0x77, 0, 0, CGRANT, PTE_W | PTE_NX));
	OUT(try_store_same(CGRANT));
	uint64_t fn = vpt_frame(CGRANT);
	OUT(exo_frames[fn].owner);
	OUT(exo_frames[fn].maps);
	OUT(vpt_lookup(CGRANT + 0x1000));
	OUT(page_sum(CGRANT) == grant_sum);
}
static void attack_escalate_readonly_grant(void)
{
	envid_t c = spawn(child_escalate_grant);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 1, 2, 3, GRANTPG, PTE_NX), 0);
	CHECK_EQ(exo_frames[grant_fn].maps, 2);
	long r[15];
	CHECK_EQ(recv_report(c, r, PGRANT), 14);
	wait_gone(c);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], MSG_PERM(PTE_NX | PTE_P | PTE_U));
	CHECK_EQ(r[2], PTE_P);
	CHECK_EQ(r[3], -E_PERM);
	CHECK_EQ(r[4], -E_PERM);
	CHECK_EQ(r[5], BATCH_ERR(0, E_PERM));
	CHECK_EQ(r[6], BATCH_ERR(0, E_PERM));
	CHECK_EQ(r[7], -E_FAULT);
	CHECK_EQ(r[8], -E_PERM);
	CHECK_EQ(r[9], 0);        /* the store faulted */
	CHECK_EQ(r[10], me);      /* the frame is still ours */
	CHECK_EQ(r[11], 2);
	CHECK_EQ(r[12], 0);
	CHECK_EQ(r[13], 1);
}

/* Grant pages that are not there, misaligned, with bad bits, or writable from a
 * read-only mapping. */
static void child_grant_invalid(void)
{
	wait_flag_recv(me);
	OUT(sys_ipc_send(me, 0x51, 0, 0, CH + 0x7000, 0));          /* nothing mapped */
	OUT(sys_ipc_send(me, 0x52, 0, 0, VICTIM + 8, 0));           /* misaligned */
	OUT(sys_ipc_send(me, 0x53, 0, 0, VICTIM, PTE_PS_BIT));
	OUT(sys_ipc_send(me, 0x54, 0, 0, VICTIM, PTE_G_BIT));
	OUT(sys_ipc_send(me, 0x55, 0, 0, VICTIM, PTE_PKEY_BIT));
	OUT(sys_ipc_send(me, 0x56, 0, 0, VICTIM, 0x1000));
	OUT(sys_ipc_send(me, 0x57, 0, 0, RDONLY, PTE_W));           /* our copy is read-only */
	OUT(sys_ipc_send(me, 0x58, 0, 0, (long)child_grant_invalid & ~0xFFFL, PTE_W)); /* text */
}
static void attack_grant_invalid_pages(void)
{
	long r[8];
	run_child(child_grant_invalid, r, 8);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(r[i], -E_INVAL);
	CHECK_EQ(r[6], -E_PERM);
	CHECK_EQ(r[7], -E_PERM);
}

/* "Grant" the info page, a kernel page or a UVPT page: addresses at or above ULIM
 * mean "no page" (documented), so only the words arrive. */
static void child_grant_export_page(void)
{
	const long src[] = { (long)UINFO, (long)KERNBASE, (long)UVPT, (long)UFRAMES };
	for (int i = 0; i < 4; i++) {
		wait_flag_recv(me);
		OUT(sys_ipc_send(me, 0xE0 + i, 0, 0, src[i], PTE_W));
	}
}
static void attack_grant_export_page(void)
{
	envid_t c = spawn(child_grant_export_page);
	static struct exo_ipc_msg m;
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(recv_msg(PGRANT, &m), 0);
		CHECK_EQ(m.from, c);
		CHECK_EQ(m.w[0], 0xE0 + i);
		CHECK_EQ(m.perm, 0);
		CHECK_EQ(vpt_lookup(PGRANT), 0);
	}
	long r[4];
	CHECK_EQ(recv_report(c, r, PGRANT), 4);
	wait_gone(c);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(r[i], 0);
}

/* Receive a grant "into" the exports or the kernel: dstva >= ULIM means "no page". */
static void child_send_page(void)
{
	sys_page_alloc(0, CH, PTE_W | PTE_NX);
	uint64_t fn = vpt_frame(CH);
	for (int i = 0; i < 3; i++) {
		wait_flag_recv(me);
		OUT(sys_ipc_send(me, 0xD0 + i, 0, 0, CH, PTE_W | PTE_NX));
		OUT(exo_frames[fn].maps);
	}
}
static void attack_grant_into_exports(void)
{
	envid_t c = spawn(child_send_page);
	static struct exo_ipc_msg m;
	const long dst[] = { (long)UINFO, (long)KERNBASE, (long)UVPT };
	uint64_t magic = exo_info->magic;
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(recv_msg(dst[i], &m), 0);
		CHECK_EQ(m.from, c);
		CHECK_EQ(m.w[0], 0xD0 + i);
		CHECK_EQ(m.perm, 0);
	}
	CHECK_EQ(exo_info->magic, magic);
	long r[6];
	CHECK_EQ(recv_report(c, r, PGRANT), 6);
	wait_gone(c);
	for (int i = 0; i < 3; i++) {
		CHECK_EQ(r[2 * i], 0);
		CHECK_EQ(r[2 * i + 1], 1); /* the frame was not mapped anywhere else */
	}
}

static void child_nothing(void) {}

/* IPC to an environment that is gone or never existed. */
static void attack_ipc_to_dead_or_bogus(void)
{
	long r[1];
	envid_t d = run_child(child_nothing, r, 0);
	const long ids[] = { d, 0, -1, -5, 0x7ffff, 0x400, 1, 0x7fffffff, me ^ 0x400 };
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		CHECK_EQ(sys_ipc_send(ids[i], 1, 2, 3, NOPAGE, 0), -E_BADENV);
		CHECK_EQ(sys_ipc_send(ids[i], 1, 2, 3, VICTIM, PTE_W), -E_BADENV);
	}
}

/* IPC to a live environment that is not receiving: an unstarted child, ourselves. */
static void attack_ipc_to_non_receiving(void)
{
	envid_t u = unstarted_child();
	CHECK_EQ(sys_ipc_send(u, 1, 2, 3, NOPAGE, 0), -E_NORECV);
	CHECK_EQ(sys_ipc_send(u, 1, 2, 3, VICTIM, PTE_W), -E_NORECV);
	CHECK_EQ(sys_ipc_send(me, 1, 2, 3, NOPAGE, 0), -E_NORECV);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].flags & EXO_ENVF_IPC_RECV, 0);
	CHECK_EQ(sys_env_destroy(u), 0);
	CHECK_EQ(sys_ipc_send(u, 1, 2, 3, NOPAGE, 0), -E_BADENV);
}

/* ==== environment ids ================================================================== */

/* Every call on the id of an environment that has exited; then the id of a new
 * environment in the same table slot (another generation) must not reach it. */
static void attack_use_dead_env_id(void)
{
	long r[1];
	envid_t d = run_child(child_nothing, r, 0);
	struct exo_regs regs;
	valid_regs(&regs);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = VICTIM };
	CHECK_EQ(sys_env_destroy(d), -E_BADENV);
	CHECK_EQ(sys_env_set_status(d, EXO_ENV_RUNNABLE), -E_BADENV);
	CHECK_EQ(sys_env_set_regs(d, (long)&regs), -E_BADENV);
	CHECK_EQ(sys_env_set_upcall(d, EXO_UPCALL_EXCEPTION, (long)libos_upcall_entry, UXSTACKTOP), -E_BADENV);
	CHECK_EQ(sys_env_set_quota(d, 1, 1), -E_BADENV);
	CHECK_EQ(sys_page_alloc(d, FREE1, PTE_W), -E_BADENV);
	CHECK_EQ(sys_page_map(0, VICTIM, d, FREE1, 0), -E_BADENV);
	CHECK_EQ(sys_page_map(d, VICTIM, 0, FREE1, 0), -E_BADENV);
	CHECK_EQ(sys_page_unmap(d, VICTIM), -E_BADENV);
	CHECK_EQ(sys_page_protect(d, VICTIM, 0), -E_BADENV);
	CHECK_EQ(sys_pte_batch(d, (long)ops, 1), -E_BADENV);
	CHECK_EQ(sys_protect_range(d, SCR, SCR + 0x1000, 0, PTE_W), -E_BADENV);
	CHECK_EQ(sys_pt_share(d, SCR, 0), -E_BADENV);
	CHECK_EQ(sys_pt_unshare(d, SCR, 0), -E_BADENV);
	CHECK_EQ(sys_yield(d), -E_BADENV);
	CHECK_EQ(sys_power_delegate(d), -E_BADENV);
	CHECK_EQ(sys_env_wake(d), -E_BADENV);
	/* The slot is reused by the next environment: the old id must not name it. */
	envid_t n = spawn_sleeper();
	CHECK_EQ(EXO_ENVX(n), EXO_ENVX(d));
	CHECK(n != d);
	CHECK_EQ(sys_env_destroy(d), -E_BADENV);
	CHECK_EQ(sys_env_set_regs(d, (long)&regs), -E_BADENV);
	CHECK_EQ(sys_page_unmap(d, VICTIM), -E_BADENV);
	CHECK_EQ(sys_ipc_send(d, QUIT, 0, 0, NOPAGE, 0), -E_BADENV);
	CHECK_EQ(exo_envs[EXO_ENVX(n)].id, n);
	CHECK(exo_envs[EXO_ENVX(n)].flags & EXO_ENVF_IPC_RECV);
	stop_sleeper(n);
}

/* Ids that never existed: wrong generation, slot 0, negative, out of range. */
static void attack_bogus_env_ids(void)
{
	struct exo_regs regs;
	valid_regs(&regs);
	const long ids[] = { 0x7ffff, 0x400, 1, -1, -5, 0x7fffffff, (long)(int32_t)0x80000001, me ^ 0x400, me + 0x400 };
	for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		long id = ids[i];
		CHECK_EQ(sys_env_destroy(id), -E_BADENV);
		CHECK_EQ(sys_env_set_status(id, EXO_ENV_NOT_RUNNABLE), -E_BADENV);
		CHECK_EQ(sys_env_set_regs(id, (long)&regs), -E_BADENV);
		CHECK_EQ(sys_env_set_quota(id, 0, 0), -E_BADENV);
		CHECK_EQ(sys_page_alloc(id, FREE1, PTE_W), -E_BADENV);
		CHECK_EQ(sys_page_map(id, VICTIM, 0, FREE1, 0), -E_BADENV);
		CHECK_EQ(sys_ipc_send(id, 1, 2, 3, NOPAGE, 0), -E_BADENV);
		CHECK_EQ(sys_yield(id), -E_BADENV);
		CHECK_EQ(sys_power_delegate(id), -E_BADENV);
		CHECK_EQ(sys_env_wake(id), -E_BADENV);
	}
	CHECK_EQ(sys_env_wake(0), -E_BADENV);
}

/* Run a child that is not ready: yield to it, give it a status that does not exist. */
static void attack_run_unstarted_child_badly(void)
{
	envid_t u = unstarted_child();
	CHECK_EQ(sys_yield(u), -E_INVAL);
	const long bad[] = { 0, 3, -1, 0x100000001L, EXO_ENV_RUNNABLE + 0x100 };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ(sys_env_set_status(u, bad[i]), -E_INVAL);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].status, EXO_ENV_NOT_RUNNABLE);
	CHECK_EQ(sys_yield(u), -E_INVAL);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* ==== power, slots, quotas ============================================================= */

static void child_power(void)
{
	envid_t self = (envid_t)sys_env_id();
	OUT(sys_power_off(77));
	OUT(sys_power_delegate(0));
	OUT(sys_power_delegate(self));
	OUT(sys_power_delegate(me));
	long g = sys_exofork(); /* a grandchild: we still have no power to hand on */
	if (g == 0)
		sys_env_exit(99);
	OUT(sys_power_delegate(g));
	OUT(g > 0);
	OUT(sys_env_destroy(g));
	OUT(exo_envs[EXO_ENVX(self)].flags & EXO_ENVF_POWER);
}
static void attack_power_from_child(void)
{
	long r[8];
	run_child(child_power, r, 8);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[5], 1);
	CHECK_EQ(r[6], 0);
	CHECK_EQ(r[7], 0);
}

static void child_slot_free(void)
{
	long j = -1;
	for (uint32_t i = 0; i < exo_slots->nslots && j < 0; i++)
		if (!exo_slots->owner[i])
			j = i;
	OUT(sys_slot_free(slot_k));   /* the parent's */
	OUT(sys_slot_free(j));        /* nobody's */
	OUT(sys_slot_alloc(slot_k));  /* taken */
	OUT(exo_slots->owner[slot_k] == me);
	OUT(j >= 0 && exo_slots->owner[j] == 0);
}
static void attack_slot_free_not_held(void)
{
	slot_k = sys_slot_alloc(-1);
	CHECK(slot_k >= 0);
	CHECK_EQ(exo_slots->owner[slot_k], me);
	long r[5];
	run_child(child_slot_free, r, 5);
	CHECK_EQ(r[0], -E_PERM);
	CHECK_EQ(r[1], -E_PERM);
	CHECK_EQ(r[2], -E_EXIST);
	CHECK_EQ(r[3], 1);
	CHECK_EQ(r[4], 1);
	CHECK_EQ(exo_slots->owner[slot_k], me);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 1);
	CHECK_EQ(sys_slot_free(slot_k), 0);
	CHECK_EQ(exo_slots->owner[slot_k], 0);
}

static void child_slot_quota(void)
{
	envid_t self = (envid_t)sys_env_id();
	uint32_t q = exo_envs[EXO_ENVX(self)].slot_quota;
	long r = 0, got = 0;
	while (got < EXO_MAX_SLOTS && (r = sys_slot_alloc(-1)) >= 0)
		got++;
	OUT(r);
	OUT(got);
	OUT(q);
	OUT(exo_envs[EXO_ENVX(self)].nslots);
	long j = -1;
	for (uint32_t i = 0; i < exo_slots->nslots && j < 0; i++)
		if (!exo_slots->owner[i])
			j = i;
	OUT(j >= 0 ? sys_slot_alloc(j) : -1000);
}
static void attack_slot_alloc_beyond_quota(void)
{
	CHECK(exo_slots->nslots > exo_info->slot_quota); /* so the quota, not the vector, runs out */
	long r[5];
	run_child(child_slot_quota, r, 5);
	CHECK_EQ(r[0], -E_QUOTA);
	CHECK_EQ(r[1], exo_info->slot_quota);
	CHECK_EQ(r[2], exo_info->slot_quota);
	CHECK_EQ(r[3], exo_info->slot_quota);
	CHECK_EQ(r[4], -E_QUOTA);
	for (int i = 0; i < EXO_MAX_SLOTS; i++) /* released when the child ended */
		CHECK_EQ(exo_slots->owner[i], 0);
}

static void attack_slot_alloc_out_of_range(void)
{
	long n = exo_slots->nslots;
	const long bad[] = { n, n + 1, EXO_MAX_SLOTS, -2, -100, 1L << 40, (long)(1UL << 63) };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ(sys_slot_alloc(bad[i]), -E_INVAL);
	const long badf[] = { n, EXO_MAX_SLOTS, -1, 1L << 40 };
	for (unsigned i = 0; i < sizeof badf / sizeof badf[0]; i++)
		CHECK_EQ(sys_slot_free(badf[i]), -E_INVAL);
	for (int i = 0; i < EXO_MAX_SLOTS; i++)
		CHECK_EQ(exo_slots->owner[i], 0);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nslots, 0);
}

/* A child allocates until its frame quota is used up: -E_QUOTA, not a crash, after
 * exactly quota - (frames it already held) pages; when it ends every frame comes back
 * (checked by the runner: free count and frame table as before). */
static void child_exhaust_quota(void)
{
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	uint64_t q = v->frame_quota, n0 = v->nframes, f0 = exo_info->free_frames;
	long r = 0, got = 0;
	for (uint64_t va = EXH; got < 100000; va += PAGE_SIZE, got++)
		if ((r = sys_page_alloc(0, va, PTE_W | PTE_NX)) < 0)
			break;
	OUT(r);
	OUT(got);
	OUT(n0);
	OUT(q);
	OUT(v->nframes);
	OUT(sys_page_alloc(0, EXH + (uint64_t)got * PAGE_SIZE, 0));
	OUT(sys_page_alloc(0, VICTIM, PTE_W)); /* replacing a page still needs a new frame */
	OUT(f0 - exo_info->free_frames >= (uint64_t)got);
	OUT(*(volatile uint64_t *)(EXH + (uint64_t)(got - 1) * PAGE_SIZE)); /* the last page works */
}
static void attack_exhaust_frame_quota(void)
{
	long r[9];
	run_child(child_exhaust_quota, r, 9);
	CHECK_EQ(r[0], -E_QUOTA);
	CHECK_EQ(r[3], exo_info->frame_quota);
	CHECK(r[2] > 0 && r[2] < r[3]);
	/* quota - held pages, less the page tables (at most 3) if the kernel charges
	 * them to the quota; then the count is at the quota (or within 3 of it). */
	CHECK(r[1] <= r[3] - r[2] && r[1] >= r[3] - r[2] - 3);
	CHECK(r[4] <= r[3] && r[4] >= r[3] - 3);
	CHECK_EQ(r[5], -E_QUOTA);
	CHECK_EQ(r[6], -E_QUOTA);
	CHECK_EQ(r[7], 1);
	CHECK_EQ(r[8], 0);
	printf("isolation: a child held %ld frames and got %ld more before -E_QUOTA (quota %ld)\n", r[2], r[1], r[3]);
}

static void child_raise_quota(void)
{
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	long fq = (long)v->frame_quota, sq = v->slot_quota;
	OUT(sys_env_set_quota(0, fq + 1, sq));
	OUT(sys_env_set_quota(0, fq, sq + 1));
	OUT(sys_env_set_quota(me, fq + 1, sq));
	long g = sys_exofork();
	if (g == 0)
		sys_env_exit(99);
	OUT(sys_env_set_quota(g, fq + 1, sq)); /* through a grandchild */
	OUT(sys_env_set_quota(g, fq, sq + 1));
	OUT(sys_env_set_quota(0, -1, sq));
	OUT(sys_env_set_quota(0, fq, -1));
	OUT(exo_envs[EXO_ENVX(g)].frame_quota == (uint64_t)fq && exo_envs[EXO_ENVX(g)].slot_quota == sq);
	OUT(sys_env_destroy(g));
	OUT(v->frame_quota == (uint64_t)fq && v->slot_quota == sq);
}
static void attack_raise_quota(void)
{
	long r[10];
	run_child(child_raise_quota, r, 10);
	for (int i = 0; i < 5; i++)
		CHECK_EQ(r[i], -E_PERM);
	CHECK_EQ(r[5], -E_INVAL);
	CHECK_EQ(r[6], -E_INVAL);
	CHECK_EQ(r[7], 1);
	CHECK_EQ(r[8], 0);
	CHECK_EQ(r[9], 1);
	/* And from here: a child above our own quota. */
	envid_t u = unstarted_child();
	long fq = (long)exo_info->frame_quota, sq = (long)exo_info->slot_quota;
	CHECK_EQ(sys_env_set_quota(u, fq + 1, sq), -E_PERM);
	CHECK_EQ(sys_env_set_quota(u, fq, sq + 1), -E_PERM);
	CHECK_EQ(sys_env_set_quota(0, fq + 1, sq), -E_PERM);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].frame_quota, fq);
	CHECK_EQ(exo_envs[EXO_ENVX(u)].slot_quota, sq);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* ==== shared page tables =============================================================== */

static void attack_pt_share_bad_args(void)
{
	envid_t u = unstarted_child();
	CHECK_EQ(sys_pt_share(0, SCR, 0), -E_INVAL);   /* with ourselves */
	CHECK_EQ(sys_pt_share(me, SCR, 0), -E_INVAL);
	CHECK_EQ(sys_pt_share(u, 0x50200000, 0), -E_INVAL); /* we have no table there */
	CHECK_EQ(sys_pt_share(u, 0x7000000000L, 0), -E_INVAL);
	for (unsigned i = 0; i < NKADDR; i++)
		CHECK_EQ(sys_pt_share(u, (long)kernel_addrs[i], 0), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(0, 0x50200000, 0), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(0, (long)KERNBASE, 0), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(0, (long)UVPT, 0), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(0, SCR, PTE_W), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(0, SCR, PTE_NX), -E_INVAL);
	CHECK_EQ(sys_pt_unshare(u, SCR, 0), -E_INVAL);   /* the child has no table there */
	CHECK_EQ(sys_pt_share(0x7ffff, SCR, 0), -E_BADENV);
	CHECK_EQ(sys_pt_unshare(0x7ffff, SCR, 0), -E_BADENV);
	CHECK_EQ(sys_env_destroy(u), 0);
}

/* pt_share_range checks its range and its target as pt_share does (and, sharing
 * whole directories, their alignment and that the child has none of its own
 * there), refuses a child in our own address space (its tables are ours), counts
 * exactly the tables we have in the range, and the child's exit gives every one
 * back. */
static void attack_pt_share_range(void)
{
	const long M2 = 2L << 20, lo = (long)(SCR & ~(2UL * 1024 * 1024 - 1)), hi = (long)REG + M2;
	envid_t u = unstarted_child();
	CHECK_EQ(sys_pt_share_range(u, lo + 4096, hi, 0), -E_INVAL); /* not 2 MiB aligned */
	CHECK_EQ(sys_pt_share_range(u, lo, hi - 4096, 0), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(u, hi, lo, 0), -E_INVAL);          /* backwards */
	CHECK_EQ(sys_pt_share_range(u, 0, (long)EXO_SHARE_RANGE_MAX + M2, 0), -E_INVAL); /* too long */
	CHECK_EQ(sys_pt_share_range(u, (long)ULIM - M2, (long)ULIM + M2, 0), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(u, (long)KERNBASE, (long)KERNBASE + M2, 0), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(u, lo, hi, 8), -E_INVAL);          /* unknown flag */
	CHECK_EQ(sys_pt_share_range(u, lo, hi, EXO_PT_SHARE_WRITE | EXO_PT_SHARE_VIEW), -E_INVAL);
	const long DIR = EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR, GIB = 1L << 30;
	CHECK_EQ(sys_pt_share_range(u, 0, GIB, EXO_PT_SHARE_DIR), -E_INVAL); /* directories: W only */
	CHECK_EQ(sys_pt_share_range(u, 0, GIB, DIR | EXO_PT_SHARE_VIEW), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(u, lo, hi, DIR), -E_INVAL);        /* not whole directories */
	CHECK_EQ(sys_pt_share_range(0, 0, GIB, DIR), -E_INVAL);        /* with ourselves */
	CHECK_EQ(sys_pt_share(u, REG, DIR), -E_INVAL);                 /* pt_share: tables only */
	CHECK_EQ(sys_pt_share_range(0, lo, hi, 0), -E_INVAL);          /* with ourselves */
	CHECK_EQ(sys_pt_share_range(me, lo, hi, 0), -E_INVAL);
	CHECK_EQ(sys_pt_share_range(0x7ffff, lo, hi, 0), -E_BADENV);
	uint64_t w = *VPT_PDE(REG) & PTE_W;
	long s = sys_exofork_shared();
	if (s == 0) /* not reached: it is never made runnable */
		sys_env_exit(99);
	CHECK(s > 0);
	CHECK_EQ(sys_pt_share_range(s, lo, hi, 0), -E_INVAL);          /* it runs in our space */
	CHECK_EQ(sys_pt_share_range(s, 0, GIB, DIR), -E_INVAL);
	CHECK_EQ(sys_pt_share(s, REG, 0), -E_INVAL);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, w);                            /* nothing changed */
	CHECK_EQ(sys_env_destroy(s), 0);
	CHECK_EQ(sys_pt_share_range(u, 0x7000000000L, 0x7000000000L + M2, 0), 0); /* no tables there */
	long want = 0;
	for (long va = lo; va < hi; va += M2)
		want += (*VPT_PML4E(va) & PTE_P) && (*VPT_PDPTE(va) & PTE_P) && (*VPT_PDE(va) & PTE_P);
	uint64_t ptfn = (*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12;
	uint64_t maps = exo_frames[ptfn].maps;
	CHECK(want >= 2);
	CHECK_EQ(sys_pt_share_range(u, lo, hi, EXO_PT_SHARE_VIEW), want); /* a view: we keep our rights */
	CHECK_EQ(exo_frames[ptfn].maps, maps + 1);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, w);
	CHECK_EQ(sys_pt_share_range(u, lo, hi, EXO_PT_SHARE_VIEW), want); /* again: nothing more */
	CHECK_EQ(exo_frames[ptfn].maps, maps + 1);
	uint64_t pdfn = (*VPT_PDPTE(REG) & PTE_ADDR_MASK) >> 12, pdmaps = exo_frames[pdfn].maps;
	CHECK_EQ(sys_pt_share_range(u, 0, 2 * GIB, DIR), -E_INVAL);    /* it has directories there now */
	CHECK_EQ(exo_frames[pdfn].maps, pdmaps);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, w);
	CHECK_EQ(sys_env_destroy(u), 0);
	CHECK_EQ(exo_frames[ptfn].maps, maps);
	CHECK_EQ(page_sum(REG), reg_sum);
}

/* Share REG's page table with child c (waiting in ipc_recv) and wake it. */
static uint64_t share_reg_with(envid_t c)
{
	CHECK_EQ(sys_pt_share(c, REG, 0), 0);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, 0);
	uint64_t ptfn = (*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12;
	CHECK_EQ(exo_frames[ptfn].maps, 2);
	CHECK_EQ(exo_frames[ptfn].owner, me); /* a page table charged to us */
	CHECK_EQ(exo_frames[ptfn].flags, EXO_FRAME_PT);
	return ptfn;
}

/* Take REG's table back once the child is gone. */
static void unshare_reg(uint64_t ptfn)
{
	CHECK_EQ(exo_frames[ptfn].maps, 1);
	CHECK_EQ(sys_pt_unshare(0, REG, 0), 0);
	CHECK(*VPT_PDE(REG) & PTE_W);
	CHECK_EQ((*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12, ptfn);
}

/* In a table the parent shared with us: every change is -E_AGAIN (documented), a
 * store faults, a grant into it is refused. */
static void child_in_shared_table(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);     /* meanwhile the parent shares REG's table with us */
	OUT(page_sum(REG) == reg_sum);       /* we read the parent's page */
	OUT(*VPT_PDE(REG) & PTE_W);
	OUT(try_store_same(REG));
	OUT(sys_page_unmap(0, REG));
	OUT(sys_page_alloc(0, REG + 0x2000, PTE_W | PTE_NX));
	OUT(sys_page_protect(0, REG, PTE_W | PTE_NX));
	OUT(sys_page_protect(0, REG, PTE_NX));
	OUT(sys_page_map(0, VICTIM, 0, REG + 0x3000, PTE_W | PTE_NX));
	OUT(sys_protect_range(0, REG, REG + 0x4000, COW_BIT, 0));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = REG };
	OUT(sys_pte_batch(0, (long)ops, 1));
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = REG + 0x3000, .srcva = VICTIM, .perm = PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 1));
	OUT(sys_ipc_recv(REG + 0x5000, (long)&go)); /* the parent tries to grant a page here */
	OUT(go.w[0]);
	OUT(go.perm);
	OUT(vpt_lookup(REG + 0x5000));
}
static void attack_modify_shared_table(void)
{
	envid_t c = spawn(child_in_shared_table);
	wait_recving(c);
	uint64_t ptfn = share_reg_with(c);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 2, 0, 0, GRANTPG, PTE_NX), -E_AGAIN);
	CHECK(exo_envs[EXO_ENVX(c)].flags & EXO_ENVF_IPC_RECV); /* still waiting */
	CHECK_EQ(sys_ipc_send(c, 3, 0, 0, NOPAGE, 0), 0);
	long r[15];
	CHECK_EQ(recv_report(c, r, PGRANT), 15);
	wait_gone(c);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 0);
	for (int i = 3; i < 9; i++)
		CHECK_EQ(r[i], -E_AGAIN);
	CHECK_EQ(r[9], BATCH_ERR(0, E_AGAIN));
	CHECK_EQ(r[10], BATCH_ERR(0, E_AGAIN));
	CHECK_EQ(r[11], 0);
	CHECK_EQ(r[12], 3);
	CHECK_EQ(r[13], 0);
	CHECK_EQ(r[14], 0);
	unshare_reg(ptfn);
}

/* ==== resources ======================================================================== */

/* Fill the environment table: exofork must fail with -E_NOENV, and everything comes
 * back once the children are destroyed. */
static envid_t kids[EXO_NENV];
static void child_exhaust_envs(void)
{
	long r = 0;
	int n = 0;
	while (n < EXO_NENV && (r = sys_exofork()) > 0)
		kids[n++] = (envid_t)r;
	if (r == 0)
		sys_env_exit(99); /* not reached: none of them runs */
	OUT(r);
	OUT(n);
	OUT(live_envs());
	long bad = 0;
	for (int i = 0; i < n; i++)
		if (sys_env_destroy(kids[i]) != 0)
			bad++;
	OUT(bad);
	r = sys_exofork();
	OUT(r > 0);
	OUT(r > 0 ? sys_env_destroy(r) : r);
}
static void attack_exhaust_env_table(void)
{
	int live = live_envs(); /* us */
	long r[6];
	run_child(child_exhaust_envs, r, 6);
	CHECK_EQ(r[0], -E_NOENV);
	CHECK_EQ(r[1], EXO_NENV - 1 - (live + 1)); /* slot 0 is never used */
	CHECK_EQ(r[2], EXO_NENV - 1);
	CHECK_EQ(r[3], 0);
	CHECK_EQ(r[4], 1);
	CHECK_EQ(r[5], 0);
}

/* Set TF and enter the kernel: the kernel must not single-step itself (it masks TF
 * on entry); the trap reaches us in user mode. */
static void attack_single_step_into_kernel(void)
{
	int h0 = dbg_hits;
	long id;
	__asm__ volatile("subq $128, %%rsp\n"   /* stay clear of the red zone */
			 "pushfq\norq $0x100, (%%rsp)\npopfq\n"
			 "syscall\n"
			 "nop\nnop\n"
			 "addq $128, %%rsp\n"
			 : "=a"(id)
			 : "a"((long)SYS_env_id)
			 : "rcx", "r11", "memory", "cc");
	CHECK_EQ(id, me);
	CHECK(dbg_hits > h0);
	CHECK_EQ(dbg_bad_rip, 0);
	uint64_t fl;
	__asm__ volatile("pushfq\npopq %0" : "=r"(fl));
	CHECK_EQ(fl & RFLAGS_TF, 0);
	/* The same with a system call that switches to another environment and back. */
	h0 = dbg_hits;
	__asm__ volatile("subq $128, %%rsp\n"
			 "pushfq\norq $0x100, (%%rsp)\npopfq\n"
			 "syscall\n"
			 "nop\nnop\n"
			 "addq $128, %%rsp\n"
			 : "=a"(id)
			 : "a"((long)SYS_yield), "D"(0L)
			 : "rcx", "r11", "memory", "cc");
	CHECK_EQ(id, 0);
	CHECK(dbg_hits > h0);
	CHECK_EQ(dbg_bad_rip, 0);
}

/* ==== attacks that found kernel bugs (see the report in each) =========================== */

/* The kernel used to write ipc_recv's message into a user buffer it checked
 * against the last-level PTE only: after pt_share the child's PDE for REG is
 * read-only, yet a message to a child receiving at REG went into the parent's
 * frame. Messages now come back in registers (abi.md §3.21): a child whose only
 * view of REG is read-only receives, and REG is unchanged. */
static void child_recv_into_shared(void)
{
	static struct exo_ipc_msg go, m;
	sys_ipc_recv(NOPAGE, (long)&go);
	OUT(sys_ipc_recv(NOPAGE, (long)&m));
	OUT(m.kind == EXO_IPC_MSG && m.from == me && m.w[0] == 0x4141414141414141L &&
	    m.w[1] == 0x4242424242424242L && m.w[2] == 0x4343434343434343L && m.perm == 0);
	OUT(sys_cons_read(REG + 0x200, 0) == -E_INVAL); /* (length 0: checked before the buffer) */
}
static void attack_kernel_write_through_readonly_pde(void)
{
	envid_t c = spawn(child_recv_into_shared);
	wait_recving(c);
	uint64_t ptfn = share_reg_with(c);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 0x4141414141414141L, 0x4242424242424242L, 0x4343434343434343L, NOPAGE, 0), 0);
	long r[3];
	CHECK_EQ(recv_report(c, r, PGRANT), 3);
	wait_gone(c);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 1);
	CHECK_EQ(page_sum(REG), reg_sum);
	CHECK_EQ(r[2], 1);
	unshare_reg(ptfn);
}

/* The same check for cons_read: with console input waiting (boot with -i), the
 * kernel accepts REG (read-only for the child) as the buffer and copies the input
 * into it through the user mapping: with CR0.WP that store faults in the kernel.
 * Documented: -E_FAULT ("buffer not writable"). Without input a kernel with the
 * bug blocks the child (the test then times out). */
static void child_cons_read_into_shared(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);
	OUT(sys_cons_read(REG + 0x100, 8));
}
static void attack_cons_read_through_readonly_pde(void)
{
	envid_t c = spawn(child_cons_read_into_shared);
	wait_recving(c);
	uint64_t ptfn = share_reg_with(c);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	long r[1];
	CHECK_EQ(recv_report(c, r, PGRANT), 1);
	wait_gone(c);
	CHECK_EQ(r[0], -E_FAULT);
	CHECK_EQ(page_sum(REG), reg_sum);
	unshare_reg(ptfn);
}

/* pte_batch checks every operation against the state before the batch and then
 * applies them all. An UNMAP followed by a MAP from the address just unmapped passes
 * the checks; applied, the MAP installs physical frame 0 (PTE_ADDR of the cleared
 * entry) into user space. Applied in order, the MAP's source is not mapped: the
 * documented result is -E_INVAL for operation 1, and nothing applied. */
static void child_unmap_then_map(void)
{
	sys_page_alloc(0, CH, PTE_W | PTE_NX);
	*(volatile uint64_t *)CH = 0x1234;
	uint64_t f0 = exo_frames[0].maps;
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = CH };
	ops[1] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = CH + 0x1000, .srcva = CH, .perm = PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 2));
	OUT(vpt_lookup(CH + 0x1000));
	OUT(vpt_frame(CH) != 0 && *(volatile uint64_t *)CH == 0x1234);
	OUT((long)exo_frames[0].maps - (long)f0);
}
static void attack_pte_batch_unmap_then_map_source(void)
{
	long r[4];
	run_child(child_unmap_then_map, r, 4);
	CHECK_EQ(r[0], BATCH_ERR(1, E_INVAL));
	CHECK_EQ(r[1], 0);   /* (else the PTE maps physical frame 0) */
	CHECK_EQ(r[3], 0);   /* frame 0 gained no mapping */
	CHECK_EQ(r[2], 1);
}

/* A MAP of a read-only frame we do not control over one of our writable pages, then
 * a PROTECT of that address with W: the PROTECT is checked against our own writable
 * page (the state before the batch), applied to the parent's frame, and
 * apply_protect hands us the parent's frame writable (and its ownership) while the
 * parent still maps it: rights grew. Operation 1 must be refused: -E_PERM if the
 * kernel checks each operation against the effect of the ones before it (it is a
 * write upgrade of a read-only mapping of a frame we do not control, mapped twice),
 * or -E_INVAL if it refuses two operations on one address in a batch. */
static void child_map_then_protect(void)
{
	sys_ipc_recv(CGRANT, (long)&gm);     /* GRANTPG, read-only */
	sys_page_alloc(0, CH, PTE_W | PTE_NX);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = CH, .srcva = CGRANT, .perm = PTE_NX };
	ops[1] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = CH, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 2));
	uint64_t fn = vpt_frame(CGRANT);
	OUT(exo_frames[fn].owner);
	OUT((pte_of(CH) & PTE_W) && vpt_frame(CH) == fn);
	*(volatile uint8_t *)CH = 0x66; /* our own page, or (if the batch went through) the parent's */
}
static void attack_pte_batch_map_then_protect_escalation(void)
{
	envid_t c = spawn(child_map_then_protect);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 1, 2, 3, GRANTPG, PTE_NX), 0);
	long r[3];
	CHECK_EQ(recv_report(c, r, PGRANT), 3);
	wait_gone(c);
	if (r[0] != BATCH_ERR(1, E_INVAL)) /* a kernel that refuses ops on the same address */
		CHECK_EQ(r[0], BATCH_ERR(1, E_PERM));
	CHECK_EQ(r[1], me);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(page_sum(GRANTPG), grant_sum);
}

/* A frame of a child that ends while we map it: the kernel used to leave it owned
 * by the dead id and charged to nobody, and page_protect then let us take it over
 * past our quota. Now it passes to us, its holder's parent, charged (we are over our
 * quota by exactly that frame, in the open), it is ours to make writable (no
 * take-over), and nothing more can be allocated until we are back under. */
static void child_adopt_orphan_frame(void)
{
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	sys_page_alloc(0, CH + 0x1000, PTE_W | PTE_NX); /* make CH's page table now */
	sys_page_unmap(0, CH + 0x1000);
	uint64_t n0 = v->nframes;
	OUT(sys_env_set_quota(0, (long)n0, v->slot_quota)); /* lower our own quota to what we hold */
	long g = sys_exofork();
	if (g == 0)
		sys_env_exit(99);
	OUT(sys_page_alloc(g, CH, PTE_W | PTE_NX)); /* charged to g */
	OUT(sys_page_map(g, CH, 0, CH, PTE_NX));     /* read-only alias here */
	OUT(sys_env_destroy(g));                     /* the frame lives on, its owner gone */
	OUT(sys_page_alloc(0, CH + 0x1000, PTE_W | PTE_NX)); /* we are at our quota */
	long r = sys_page_protect(0, CH, PTE_W | PTE_NX);
	OUT((long)v->nframes - (long)v->frame_quota); /* over the quota by */
	OUT(r);
}
static void attack_quota_bypass_adopting_orphan_frame(void)
{
	long r[7];
	run_child(child_adopt_orphan_frame, r, 7);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(r[i], 0);
	CHECK_EQ(r[4], -E_QUOTA);
	CHECK_EQ(r[5], 1); /* the inherited frame, charged */
	CHECK_EQ(r[6], 0); /* our own frame now */
}

/* A child that exits leaves its own child (never started, holding a page) behind,
 * hoping to leak its address space, page and table slot. A child that was never
 * made runnable ends with its parent (env_destroy): it must be gone, and everything
 * it held back (the runner's frame audit). */
static void child_leave_orphan(void)
{
	long g = sys_exofork();
	if (g == 0)
		sys_env_exit(99);
	OUT(g);
	OUT(sys_page_alloc(g, CH, PTE_W | PTE_NX));
}
static void attack_orphaned_grandchild_leak(void)
{
	long r[2];
	run_child(child_leave_orphan, r, 2);
	CHECK_EQ(r[1], 0);
	envid_t g = (envid_t)r[0];
	CHECK(g > 0);
	CHECK(exo_envs[EXO_ENVX(g)].id != g);
	CHECK_EQ(owned_by(g), 0);
	CHECK_EQ(sys_env_destroy(g), -E_BADENV);
}

/* Boot modules are "read-only to users" (FRAME_OWNER_MODULE in exports.h) and the
 * kernel maps them read-only. page_map refuses a writable alias (-E_PERM), but
 * page_protect lets the only mapping of a frame become writable and "takes the
 * frame": a module frame becomes ours, writable, and would be freed into the
 * allocator when we unmap it. Documented for this case: -E_PERM. */
static void attack_write_boot_module(void)
{
	CHECK_EQ(sys_page_map(0, (long)modpg, 0, FREE1, PTE_W | PTE_NX), -E_PERM);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = FREE1, .srcva = modpg, .perm = PTE_W };
	CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_PERM));
	CHECK_EQ(sys_ipc_send(me, 0, 0, 0, (long)modpg, PTE_W), -E_NORECV);
	CHECK_EQ(try_store_same(modpg), 0);
	CHECK_EQ(exo_frames[modpg_fn].maps, 1);
	long r = sys_page_protect(0, (long)modpg, PTE_W | PTE_NX);
	uint64_t pte = pte_of(modpg);
	int32_t owner = exo_frames[modpg_fn].owner;
	if (r == 0) /* undo what can be undone: read-only again */
		sys_page_protect(0, (long)modpg, PTE_NX);
	CHECK_EQ(r, -E_PERM);
	CHECK_EQ(owner, FRAME_OWNER_MODULE);
	CHECK_EQ(pte & PTE_W, 0);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = modpg, .perm = PTE_W | PTE_NX };
	CHECK_EQ(sys_pte_batch(0, (long)ops, 1), BATCH_ERR(0, E_PERM));
	CHECK_EQ(exo_frames[modpg_fn].owner, FRAME_OWNER_MODULE);
	CHECK_EQ(page_sum(modpg), modpg_sum);
}

/* A writable grant from the parent, made writable "again" with page_protect: the
 * entry is already writable, so no right grows and the call may succeed, but the
 * frame must stay the parent's (docs/abi.md 3.15, "Current code": the ownership
 * moves whenever the caller does not control the owner, whatever the count). */
static void child_take_writable_grant(void)
{
	envid_t self = (envid_t)sys_env_id();
	sys_ipc_recv(CGRANT, (long)&gm);        /* GRANTPG, writable */
	uint64_t n0 = exo_envs[EXO_ENVX(self)].nframes, fn = vpt_frame(CGRANT);
	OUT(pte_of(CGRANT) & PTE_W);
	OUT(sys_page_protect(0, CGRANT, PTE_W | PTE_NX));
	OUT(exo_frames[fn].owner);
	OUT((long)(exo_envs[EXO_ENVX(self)].nframes - n0));
	OUT(exo_frames[fn].maps);
}
static void attack_take_parent_frame_via_writable_grant(void)
{
	envid_t c = spawn(child_take_writable_grant);
	wait_recving(c);
	CHECK_EQ(sys_ipc_send(c, 1, 2, 3, GRANTPG, PTE_W | PTE_NX), 0);
	long r[5];
	CHECK_EQ(recv_report(c, r, PGRANT), 5);
	wait_gone(c);
	CHECK_EQ(r[0], PTE_W);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], me);     /* still the parent's frame */
	CHECK_EQ(r[3], 0);
	CHECK_EQ(r[4], 2);
}

/* ipc_recv with dstva 0: page 0 stays unmapped so that NULL dereferences fault
 * (every other call refuses it: -E_INVAL); a grant must not land there. */
static void child_recv_at_zero(void)
{
	long r = sys_ipc_recv(0, (long)&gm);
	OUT(r);
	OUT(vpt_lookup(0) != 0);
}
static void attack_ipc_grant_at_page_zero(void)
{
	envid_t c = spawn(child_recv_at_zero);
	for (int k = 0; k < 50 && !(exo_envs[EXO_ENVX(c)].flags & EXO_ENVF_IPC_RECV); k++)
		sys_yield(c);
	if (exo_envs[EXO_ENVX(c)].flags & EXO_ENVF_IPC_RECV) /* accepted: see where a grant goes */
		CHECK_EQ(sys_ipc_send(c, 1, 2, 3, GRANTPG, PTE_NX), 0);
	long r[2];
	CHECK_EQ(recv_report(c, r, PGRANT), 2);
	wait_gone(c);
	CHECK_EQ(r[0], -E_INVAL);
	CHECK_EQ(r[1], 0);
}

/* After pt_share the parent's entries are writable leaves under the child's
 * read-only directory entry: the child may read them, never write. Neither a
 * writable alias (page_map W from such a leaf) nor a private copy
 * (pt_unshare(0, va, 0), entries copied as they are) may give it write access to
 * the parent's frames (docs/abi.md 3.18, "Current code"). */
static void child_write_after_unshare(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);
	OUT(sys_page_map(0, REG, 0, CH, PTE_W | PTE_NX));
	OUT(vpt_lookup(CH) & PTE_W);
	long r = sys_pt_unshare(0, REG, 0);
	int f = probe_faults;
	probe_store(REG + 0x300, 0x77);       /* the parent's page, if we may write it */
	OUT(r == 0 || r == -E_PERM);
	OUT(probe_faults == f);               /* 1: the store went through */
}
static void attack_write_parent_frames_after_unshare(void)
{
	envid_t c = spawn(child_write_after_unshare);
	wait_recving(c);
	uint64_t ptfn = share_reg_with(c);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	long r[4];
	CHECK_EQ(recv_report(c, r, PGRANT), 4);
	wait_gone(c);
	CHECK_EQ(r[3], 0);                /* the store into the parent's page faulted */
	CHECK_EQ(page_sum(REG), reg_sum);
	CHECK_EQ(r[0], -E_PERM);          /* no writable alias */
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 1);
	unshare_reg(ptfn);
}

/* "Decode, then act": a call that fails changes nothing. page_alloc makes the page
 * tables for va before its quota check and leaves them after -E_QUOTA, charged to
 * nobody, so an environment at its quota can still use up memory (docs/abi.md 3.5,
 * "Current code"). */
static void child_quota_table_leak(void)
{
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	OUT(sys_env_set_quota(0, (long)v->nframes, v->slot_quota)); /* at our quota now */
	uint64_t f0 = exo_info->free_frames;
	long refused = 0;
	for (uint64_t i = 0; i < 64; i++)
		if (sys_page_alloc(0, (long)((i + 8) << 30), PTE_W | PTE_NX) == -E_QUOTA)
			refused++;
	OUT(refused);
	OUT((long)(f0 - exo_info->free_frames)); /* frames the refused calls took */
}
static void attack_failed_page_alloc_takes_no_frames(void)
{
	long r[3];
	run_child(child_quota_table_leak, r, 3);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], 64);
	CHECK_EQ(r[2], 0);
}

/* ---- not in the default list: on a buggy kernel these end in a kernel panic ---------- */

/* Like unmap-then-map: UNMAP then PROTECT(W) of the same address. Applied, the
 * PROTECT turns the cleared entry into a writable mapping of physical frame 0 (the
 * real-mode IVT and BIOS data), makes us its owner, with a mapping count of 0: the
 * next unmap of it (at the latest when we exit) trips the kernel's assertion. */
static void child_unmap_then_protect(void)
{
	sys_page_alloc(0, CH, PTE_W | PTE_NX);
	ops[0] = (struct exo_pte_op){ .op = EXO_PTE_UNMAP, .va = CH };
	ops[1] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = CH, .perm = PTE_W | PTE_NX };
	OUT(sys_pte_batch(0, (long)ops, 2));
	OUT(vpt_frame(CH) != 0);
	OUT(exo_frames[0].owner);
}
static void attack_pte_batch_unmap_then_protect(void)
{
	long r[3];
	run_child(child_unmap_then_protect, r, 3);
	CHECK_EQ(r[0], BATCH_ERR(1, E_INVAL));
	CHECK_EQ(r[1], 1);
	CHECK_EQ(r[2], FRAME_OWNER_RESERVED);
}

/* Map the frame at src (in batches while that is safe, then one at a time) until it
 * has `target` mappings or the kernel refuses more. Returns the count reached, or 0
 * when something unexpected happened. *next gets the next free address. */
static uint64_t map_up_to(uint64_t src, uint64_t target, uint64_t *next)
{
	for (int i = 0; i < BIGOPS_PAGES; i++)
		if (sys_page_alloc(0, BIGOPS + i * 4096, PTE_W | PTE_NX) < 0)
			return 0;
	struct exo_pte_op *big = (struct exo_pte_op *)BIGOPS;
	uint64_t fn = vpt_frame(src), va = MANY, have = exo_frames[fn].maps;
	int singles = 0;
	while (have < target) {
		if (!singles && have + EXO_PTE_BATCH_MAX <= target && have + EXO_PTE_BATCH_MAX < 61000) {
			for (int i = 0; i < EXO_PTE_BATCH_MAX; i++)
				big[i] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = va + (uint64_t)i * 4096, .srcva = src, .perm = PTE_NX };
			long r = sys_pte_batch(0, BIGOPS, EXO_PTE_BATCH_MAX);
			if (r == EXO_PTE_BATCH_MAX) {
				va += (uint64_t)EXO_PTE_BATCH_MAX * 4096;
				have += EXO_PTE_BATCH_MAX;
			} else if (r < 0 && (-r & 255) == E_QUOTA) {
				singles = 1;
			} else {
				return 0;
			}
		} else {
			long r = sys_page_map(0, (long)src, 0, (long)va, PTE_NX);
			if (r == -E_QUOTA)
				break;
			if (r != 0)
				return 0;
			va += 4096;
			have++;
		}
		if (exo_frames[fn].maps != have)
			return 0;
	}
	*next = va;
	return have;
}

/* A frame's mapping count is 16 bits. page_map refuses a mapping that would pass the
 * limit (-E_QUOTA), but pte_batch checked each MAP against the count before the batch:
 * a batch of 20 MAPs of a frame with 65525 mappings wrapped the count to 9, and when
 * the mappings went (at our exit) the frame was freed while still mapped and the
 * kernel's assertion fired. Whatever limit the kernel keeps, the count must never
 * wrap: a batch is applied whole (count + 20) or refused with -E_QUOTA (count
 * unchanged). */
static void child_batch_overflow(void)
{
	sys_page_alloc(0, CH, PTE_NX);
	uint64_t fn = vpt_frame(CH), va = 0;
	uint64_t have = map_up_to(CH, 65525, &va);
	OUT(have);
	struct exo_pte_op *big = (struct exo_pte_op *)BIGOPS;
	for (int i = 0; i < 20; i++)
		big[i] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = va + (uint64_t)i * 4096, .srcva = CH, .perm = PTE_NX };
	OUT(sys_pte_batch(0, BIGOPS, 20));
	OUT(exo_frames[fn].maps);
}
static void attack_pte_batch_map_count_overflow(void)
{
	long r[3];
	run_child(child_batch_overflow, r, 3);
	CHECK(r[0] > 60000); /* built up to 65525 or to the kernel's limit */
	if (r[1] == 20) {
		CHECK_EQ(r[2], r[0] + 20);
		CHECK(r[0] + 20 <= 65535);
	} else {
		CHECK(r[1] < 0 && (-r[1] & 255) == E_QUOTA);
		CHECK_EQ(r[2], r[0]); /* nothing applied */
	}
}

/* The same limit through IPC grants: ipc_send did not check the mapping count at
 * all, so a frame with 65535 mappings granted once more wrapped to 0 (the next unmap
 * of it trips the kernel's assertion, or frees a frame that is still mapped). We map
 * our frame as often as page_map allows, then grant it to a sibling (receiving each
 * grant at a new address) until the kernel refuses: the count must go up by one per
 * grant, never wrap, and the refusal must be -E_QUOTA with the count unchanged. */
static void __attribute__((noreturn)) grant_receiver_main(void)
{
	for (uint64_t i = 0;; i++) {
		if (sys_ipc_recv((long)(MANY + i * PAGE_SIZE), (long)&gm) < 0 || (gm.perm == 0 && gm.w[0] == QUIT))
			break;
		if (gm.perm == 0)
			i--; /* no page came: reuse the address */
	}
	sys_env_exit(0);
	__builtin_unreachable();
}
static void child_grant_overflow(void)
{
	sys_page_alloc(0, CH, PTE_NX);
	uint64_t fn = vpt_frame(CH), va = 0;
	uint64_t have = map_up_to(CH, 65535, &va);
	OUT(have);
	long r = 0, wrapped = 0, grants = 0;
	while (grants < 70000) {
		wait_flag_recv(sib);
		r = sys_ipc_send(sib, 1, 0, 0, CH, PTE_NX);
		uint64_t m = exo_frames[fn].maps;
		if (r != 0) {
			wrapped |= m != have;
			break;
		}
		if (m != have + 1) {
			wrapped = 1;
			break;
		}
		have = m;
		grants++;
	}
	OUT(r);
	OUT(wrapped);
	OUT(have);
	wait_flag_recv(sib);
	sys_ipc_send(sib, QUIT, 0, 0, NOPAGE, 0);
}
static void attack_ipc_grant_map_count_overflow(void)
{
	int s = libos_spawn_copy();
	CHECK(s >= 0);
	if (s == 0)
		grant_receiver_main();
	sib = (envid_t)s;
	long r[4];
	run_child(child_grant_overflow, r, 4);
	wait_gone(sib);
	CHECK(r[0] > 60000);
	CHECK_EQ(r[2], 0);        /* the count never wrapped */
	CHECK_EQ(r[1], -E_QUOTA); /* ipc_send refuses the mapping that would pass the limit */
	CHECK_EQ(r[3], 65535);
}

/* ---- regressions for kernel bugs found in review (one boot each, cases-exo.sh) -------- */

#ifndef EXO_CONS_WRITE_MAX
#define EXO_CONS_WRITE_MAX 4096 /* include/exo/syscall.h of the fixed kernel defines it */
#endif

/* Child side: wait until environment id has gone (no CHECK: safe in a child). */
static void child_wait_gone(envid_t id)
{
	while (exo_envs[EXO_ENVX(id)].id == id)
		sys_yield(0);
}

/* Frames whose exported owner is id, or -1 when the table says nothing (id 0). */
static long owner_count(envid_t id)
{
	return id ? (long)charged_to(id) : -1;
}

/* pte_copy_range checked each frame's mapping count against 65535 minus the number
 * of entries to copy, computed unsigned: with 65536 entries or more the bound wraps
 * and no count is refused, so a frame with 65535 mappings wraps to 65534 in the copy
 * and the kernel's assertion fires when the child's mappings go. Documented result:
 * -E_QUOTA, no entry copied (no table made for the child, every count unchanged), and
 * the child can be destroyed. The range: the frame at PCR_LO, 65534 more mappings of
 * it from MANY on, and one page of its own: 65536 entries in 129 page tables (the
 * child's quota, 400, holds the 3 x 129 the check asks for). */
#define PCR_LO (MANY - PAGE_SIZE)
static void child_copy_range_overflow(void)
{
	sys_page_alloc(0, PCR_LO, PTE_NX);
	uint64_t fn = vpt_frame(PCR_LO), va = 0;
	OUT(map_up_to(PCR_LO, 61439, &va)); /* page_map's limit; one batch adds 4096 */
	struct exo_pte_op *big = (struct exo_pte_op *)BIGOPS;
	for (int i = 0; i < EXO_PTE_BATCH_MAX; i++)
		big[i] = (struct exo_pte_op){ .op = EXO_PTE_MAP, .va = va + (uint64_t)i * 4096, .srcva = PCR_LO, .perm = PTE_NX };
	OUT(sys_pte_batch(0, BIGOPS, EXO_PTE_BATCH_MAX));
	va += (uint64_t)EXO_PTE_BATCH_MAX * 4096;
	OUT(exo_frames[fn].maps);
	OUT(sys_page_alloc(0, (long)va, PTE_NX)); /* the 65536th entry */
	uint64_t gfn = vpt_frame(va), end = va + 4096;
	uint64_t free_pre = exo_info->free_frames;
	long g = sys_exofork();
	if (g == 0)
		sys_env_exit(99);
	OUT(g > 0);
	uint64_t nfg = exo_envs[EXO_ENVX(g)].nframes, free0 = exo_info->free_frames;
	OUT(sys_pte_copy_range(g, PCR_LO, (long)end, 0, 0));
	OUT(exo_frames[fn].maps);
	OUT(exo_frames[gfn].maps);
	OUT((long)(exo_envs[EXO_ENVX(g)].nframes - nfg));
	OUT((long)(free0 - exo_info->free_frames));
	OUT(sys_env_destroy(g));
	OUT(exo_frames[fn].maps);
	OUT((long)(free_pre - exo_info->free_frames));
}
static void attack_pte_copy_range_map_count_overflow(void)
{
	long r[13];
	run_child(child_copy_range_overflow, r, 13);
	CHECK_EQ(r[0], 61439);
	CHECK_EQ(r[1], EXO_PTE_BATCH_MAX);
	CHECK_EQ(r[2], 65535);
	CHECK_EQ(r[3], 0);
	CHECK_EQ(r[4], 1);
	CHECK_EQ(r[5], -E_QUOTA); /* (the old kernel copied all 65536 entries) */
	CHECK_EQ(r[6], 65535);
	CHECK_EQ(r[7], 1);
	CHECK_EQ(r[8], 0);        /* no table made for the child */
	CHECK_EQ(r[9], 0);
	CHECK_EQ(r[10], 0);
	CHECK_EQ(r[11], 65535);
	CHECK_EQ(r[12], 0);       /* the child's PML4 went back too */
}

/* Environment ids were recycled: one generation counter for all slots wrapped to 1
 * after 2^21 allocations, so an id came back, and with it the rights of whoever
 * held the new environment over frames still owned by the old one (a frame keeps its
 * dead owner's id). The fixed kernel never reuses an id (exofork says -E_NOENV once
 * every slot's generations are used up; boot with envgen=G near 2^21 to get there
 * quickly) and gives the frames of a dead environment that are still mapped to its
 * parent. Here X (ours, never run) owns a page we map writable and grant read-only to
 * child A; X is destroyed: the frame must become ours (owner and nframes). A then
 * creates and destroys environments until exofork refuses: none may get X's id, and
 * A's read-only mapping must never become writable. */
#define GEN_PG (SCR + 0xA000)   /* our writable view of X's page */
#define GEN_LOOPS 300000L
static void child_gen_wrap(void)
{
	sys_ipc_recv(CGRANT, (long)&gm);            /* the page, read-only; w[0] = X */
	envid_t x = (envid_t)gm.w[0];
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);            /* X has been destroyed */
	uint64_t fn = vpt_frame(CGRANT);
	OUT(exo_frames[fn].owner);
	long n = 0, last = 0, same = 0;
	for (; n < GEN_LOOPS; n++) {
		long g = sys_exofork();
		if (g == 0)
			sys_env_exit(99);
		if (g < 0) {
			last = g;
			break;
		}
		if (g == x)
			same++;
		if (sys_env_destroy(g) != 0) {
			last = 1;
			break;
		}
	}
	OUT(n);
	OUT(last);
	OUT(same);
	OUT(sys_page_protect(0, CGRANT, PTE_W | PTE_NX));
	OUT(sys_page_map(0, CGRANT, 0, CGRANT + 0x1000, PTE_W | PTE_NX));
	OUT(pte_of(CGRANT) & PTE_W);
	OUT(exo_frames[fn].owner);
}
static void attack_env_ids_never_reused(void)
{
	envid_t a = spawn(child_gen_wrap);
	wait_recving(a);
	uint64_t nf0 = exo_envs[EXO_ENVX(me)].nframes;
	envid_t x = unstarted_child();
	CHECK_EQ(sys_page_alloc(x, CH, PTE_W | PTE_NX), 0);
	CHECK_EQ(sys_page_map(x, CH, 0, GEN_PG, PTE_W | PTE_NX), 0);
	fill(GEN_PG, 0x66);
	uint64_t sum = page_sum(GEN_PG), fn = vpt_frame(GEN_PG);
	CHECK_EQ(exo_frames[fn].owner, x);
	CHECK_EQ(sys_ipc_send(a, x, 0, 0, GEN_PG, PTE_NX), 0);
	CHECK_EQ(exo_frames[fn].maps, 3); /* X, us, A */
	CHECK_EQ(sys_env_destroy(x), 0);
	CHECK_EQ(exo_envs[EXO_ENVX(x)].id, 0);
	CHECK_EQ(exo_frames[fn].maps, 2);
	CHECK_EQ(exo_frames[fn].owner, me);                 /* passed to the dead one's parent */
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, nf0 + 1); /* and charged to it */
	wait_recving(a);
	CHECK_EQ(sys_ipc_send(a, 1, 0, 0, NOPAGE, 0), 0);
	long r[8];
	CHECK_EQ(recv_report(a, r, PGRANT), 8);
	wait_gone(a);
	printf("env_ids_never_reused: %ld environments made and destroyed, then %ld\n", r[1], r[2]);
	CHECK_EQ(r[0], me);
	CHECK_EQ(r[3], 0);            /* X's id never came back */
	CHECK(r[2] == -E_NOENV || (r[2] == 0 && r[1] == GEN_LOOPS));
	CHECK(r[1] > 0);
	CHECK_EQ(r[4], -E_PERM);
	CHECK_EQ(r[5], -E_PERM);
	CHECK_EQ(r[6], 0);
	CHECK_EQ(r[7], me);
	CHECK_EQ(page_sum(GEN_PG), sum);
	CHECK_EQ(exo_frames[fn].maps, 1);
	CHECK_EQ(sys_page_unmap(0, GEN_PG), 0);
	CHECK_EQ(exo_frames[fn].owner, 0);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, nf0);
}

/* pte_batch's PROTECT took frames over (a lone read-only mapping of a frame whose
 * owner the caller does not control, made writable) without the quota check
 * page_protect makes. A child holds 63 such mappings (our frames, which we then
 * unmapped), lowers its quota to nframes + 1 and makes all 63 writable in one batch:
 * operation 1 must fail with -E_QUOTA and nothing change; one at a time, exactly the
 * first page_protect succeeds, then -E_QUOTA. (The child lowers its own quota, right
 * before the calls, so that nothing else of its own, say stack growth, uses the one
 * frame of room.) */
#define TK_N 63
#define TK_OUR (SCR + 0x100000)   /* our pages, in SCR's table */
#define TK_CH (CH + 0x100000)     /* the child's mappings of them */
static struct exo_pte_op tk_ops[TK_N];
static void child_take_over_batch(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	for (int i = 0; i < TK_N; i++)
		tk_ops[i] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = TK_CH + (uint64_t)i * 4096, .perm = PTE_W | PTE_NX };
	uint64_t ptes = 0;
	for (int i = 0; i < TK_N; i++)
		ptes = ptes * 31 + pte_of(TK_CH + (uint64_t)i * 4096);
	OUT(0);
	nres = 0;
	uint64_t d0 = frame_digest(), nf0 = v->nframes, free0 = exo_info->free_frames;
	OUT(sys_env_set_quota(0, (long)nf0 + 1, v->slot_quota));
	OUT(sys_pte_batch(0, (long)tk_ops, TK_N));
	OUT(frame_digest() == d0);
	OUT((long)(v->nframes - nf0));
	OUT((long)(free0 - exo_info->free_frames));
	uint64_t ptes2 = 0;
	for (int i = 0; i < TK_N; i++)
		ptes2 = ptes2 * 31 + pte_of(TK_CH + (uint64_t)i * 4096);
	OUT(ptes2 == ptes);
	long ok = 0, quota = 0, other = 0, first = -1;
	for (int i = 0; i < TK_N; i++) {
		long r = sys_page_protect(0, (long)(TK_CH + (uint64_t)i * 4096), PTE_W | PTE_NX);
		if (r == 0 && first < 0)
			first = i;
		ok += r == 0;
		quota += r == -E_QUOTA;
		other += r != 0 && r != -E_QUOTA;
	}
	OUT(ok);
	OUT(quota);
	OUT(other);
	OUT(first);
	OUT((long)(v->nframes - v->frame_quota));
}
static void attack_pte_batch_take_over_quota(void)
{
	envid_t a = spawn(child_take_over_batch);
	wait_recving(a);
	for (int i = 0; i < TK_N; i++) {
		uint64_t va = TK_OUR + (uint64_t)i * 4096;
		CHECK_EQ(sys_page_alloc(0, (long)va, PTE_W | PTE_NX), 0);
		CHECK_EQ(sys_page_map(0, (long)va, a, (long)(TK_CH + (uint64_t)i * 4096), PTE_NX), 0);
		uint64_t fn = vpt_frame(va);
		CHECK_EQ(sys_page_unmap(0, (long)va), 0);
		CHECK_EQ(exo_frames[fn].owner, me);
		CHECK_EQ(exo_frames[fn].maps, 1);
	}
	CHECK_EQ(sys_ipc_send(a, 1, 0, 0, NOPAGE, 0), 0);
	long r[11];
	CHECK_EQ(recv_report(a, r, PGRANT), 11);
	wait_gone(a);
	CHECK_EQ(r[0], 0);
	CHECK_EQ(r[1], BATCH_ERR(1, E_QUOTA)); /* (the old kernel took all 63) */
	CHECK_EQ(r[2], 1);
	CHECK_EQ(r[3], 0);
	CHECK_EQ(r[4], 0);
	CHECK_EQ(r[5], 1);
	CHECK_EQ(r[6], 1);
	CHECK_EQ(r[7], TK_N - 1);
	CHECK_EQ(r[8], 0);
	CHECK_EQ(r[9], 0);
	CHECK_EQ(r[10], 0);
}

/* pt_share / pt_unshare accounting. pt_unshare charges its copy to the caller, and
 * pt_share uncharges the child when it frees the child's old table, whoever that
 * table was charged to: sharing a table with a child and taking it back, over and
 * over, grew the parent's nframes by one a round and ran the child's below zero.
 * The fixed kernel shows page-table frames in the frame table with owner = the
 * environment they are charged to (flag EXO_FRAME_PT), so that for every environment
 * nframes = the frames it owns. A child (P here) checks that after each of 50 rounds
 * for itself and its child, that destroying the child gives everything back, and
 * that 20 on-demand forks (libOS, fork_ondemand), each child exiting and waited for,
 * leave its nframes and the free count as they were. */
#ifndef EXO_FRAME_PT
#define EXO_FRAME_PT 1
#endif
#define PTS_R (CH + 0x400000)
/* A child made with the libOS's on-demand fork strategy, which exits at once.
 * Returns 1 once it has run and is gone, 0 if it could not be made. */
static int __attribute__((noinline)) ondemand_child(void)
{
	static struct exo_regs at;
	if (libos_save_context(&at))
		sys_env_exit(0); /* the child */
	long ch = sys_exofork();
	if (ch > 0 && fork_ondemand.copy((envid_t)ch) == 0 && libos_give_xstack((envid_t)ch) == 0 &&
	    sys_env_set_regs(ch, (long)&at) == 0 && sys_env_set_status(ch, EXO_ENV_RUNNABLE) == 0) {
		wait_gone((envid_t)ch);
		return 1;
	}
	if (ch > 0)
		sys_env_destroy(ch);
	return 0;
}

static void child_pt_share_accounting(void)
{
	envid_t self = (envid_t)sys_env_id();
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(self)];
	sys_page_alloc(0, PTS_R, PTE_W | PTE_NX);
	uint64_t free_pre = exo_info->free_frames, nf_pre = v->nframes;
	long c = sys_exofork();
	if (c == 0)
		sys_env_exit(99);
	OUT(c > 0);
	const volatile struct exo_env_view *cv = &exo_envs[EXO_ENVX(c)];
	long errs = 0, bad_p = 0, bad_c = 0, under = 0, pt_flagged = 0;
	for (int k = 0; k < 50; k++) {
		errs += sys_pt_share(c, PTS_R, 0) != 0;
		errs += sys_pt_unshare(0, PTS_R, 0) != 0;
		bad_p += (long)v->nframes != owner_count(self);
		bad_c += (long)cv->nframes != owner_count((envid_t)c);
		under += cv->nframes > 1000;
	}
	uint64_t ptfn = (*VPT_PDE(PTS_R) & PTE_ADDR_MASK) >> 12;
	pt_flagged = exo_frames[ptfn].owner == self && (exo_frames[ptfn].flags & EXO_FRAME_PT);
	OUT(errs);
	OUT(bad_p);
	OUT(bad_c);
	OUT(under);
	OUT(pt_flagged);
	OUT(sys_env_destroy(c));
	OUT((long)(v->nframes - nf_pre));
	OUT((long)(free_pre - exo_info->free_frames));
	/* The libOS's on-demand fork strategy copying our address space: a first
	 * child (stdio settles), then 20 that must leave nothing behind. */
	long forks = 0;
	for (int k = 0; k < 21; k++) {
		if (k == 1) {
			nf_pre = v->nframes;
			free_pre = exo_info->free_frames;
		}
		forks += ondemand_child();
	}
	OUT(forks);
	OUT((long)(v->nframes - nf_pre));
	OUT((long)(free_pre - exo_info->free_frames));
	OUT((long)v->nframes - owner_count(self));
}
static void attack_pt_share_accounting(void)
{
	long r[13];
	run_child(child_pt_share_accounting, r, 13);
	printf("pt_share_accounting:");
	for (int i = 0; i < 13; i++)
		printf(" %ld", r[i]);
	printf("\n");
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[4], 0);  /* the child's nframes never ran below zero */
	CHECK_EQ(r[2], 0);  /* nframes = frames owned, after every round */
	CHECK_EQ(r[3], 0);
	CHECK_EQ(r[5], 1);  /* our table: ours, marked as a page table */
	CHECK_EQ(r[6], 0);
	CHECK_EQ(r[7], 0);  /* nothing left charged to us */
	CHECK_EQ(r[8], 0);  /* nothing left behind */
	CHECK_EQ(r[9], 21);
	CHECK_EQ(r[10], 0);
	CHECK_EQ(r[11], 0);
	CHECK_EQ(r[12], 0);
}

/* A table shared for writing, then shared again read-only with the same child: the
 * second pt_share found the child's directory entry already pointing at the table
 * and left it writable, so the child kept write access to our region while we lost
 * ours. Fixed: both directory entries read-only; the child's store faults. */
static void child_after_downgrade(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);
	OUT(*VPT_PDE(REG) & PTE_W);
	OUT(try_store_same(REG + 0x100));
}
static void attack_pt_share_write_downgrade(void)
{
	envid_t c = spawn(child_after_downgrade);
	wait_recving(c);
	CHECK_EQ(sys_pt_share(c, REG, EXO_PT_SHARE_WRITE), 0);
	CHECK(*VPT_PDE(REG) & PTE_W);
	CHECK_EQ(sys_pt_share(c, REG, 0), 0);
	CHECK_EQ(*VPT_PDE(REG) & PTE_W, 0);
	uint64_t ptfn = (*VPT_PDE(REG) & PTE_ADDR_MASK) >> 12;
	CHECK_EQ(exo_frames[ptfn].maps, 2);
	CHECK_EQ(sys_ipc_send(c, 1, 0, 0, NOPAGE, 0), 0);
	long r[2];
	CHECK_EQ(recv_report(c, r, PGRANT), 2);
	wait_gone(c);
	CHECK_EQ(r[0], 0); /* the child's directory entry is read-only */
	CHECK_EQ(r[1], 0); /* its store faulted */
	CHECK_EQ(page_sum(REG), reg_sum);
	unshare_reg(ptfn);
}

/* Environment ids are 32 bits, but the calls took a long and truncated it: an id
 * with bits above 31 named another environment ((1 << 32) | child is the child,
 * 1 << 32 is the caller itself). Every such id, and every negative one, must be
 * -E_BADENV and change nothing. env_destroy(1 << 32) comes last: on a kernel with
 * the bug it ends us (and the machine with us). */
static void attack_env_ids_above_32_bits(void)
{
	envid_t u = unstarted_child(), s = spawn_sleeper();
	const long hi = 1L << 32;
	const long bad[] = { hi | u, hi | s, hi | me, hi, -1L, -(long)u, (long)((uint64_t)u | (1UL << 63)),
			     (long)(0xFFFFFFFF00000000UL | (uint64_t)u), (long)(0xFFFFFFFF00000000UL | (uint64_t)s),
			     (long)(0x80000000UL | (uint64_t)u) };
	for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		long id = bad[i];
		CHECK_EQ(sys_page_alloc(id, FREE1, PTE_W | PTE_NX), -E_BADENV);
		CHECK_EQ(sys_env_set_status(id, EXO_ENV_RUNNABLE), -E_BADENV);
		CHECK_EQ(sys_ipc_send(id, QUIT, 0, 0, NOPAGE, 0), -E_BADENV);
		CHECK_EQ(sys_env_wake(id), -E_BADENV);
		if (id != hi && id != (hi | me))
			CHECK_EQ(sys_env_destroy(id), -E_BADENV);
		CHECK_EQ(vpt_lookup(FREE1), 0);
		CHECK_EQ(exo_envs[EXO_ENVX(u)].id, u);
		CHECK_EQ(exo_envs[EXO_ENVX(u)].status, EXO_ENV_NOT_RUNNABLE);
		CHECK_EQ(exo_envs[EXO_ENVX(u)].nframes, 0);
		CHECK_EQ(exo_envs[EXO_ENVX(s)].id, s);
		CHECK(exo_envs[EXO_ENVX(s)].flags & EXO_ENVF_IPC_RECV);
	}
	CHECK_EQ(sys_env_destroy(hi | me), -E_BADENV);
	CHECK_EQ(sys_env_destroy(hi), -E_BADENV);
	CHECK_EQ(sys_env_destroy(u), 0);
	stop_sleeper(s);
}

/* An on-demand-fork child broke its parent through pt_unshare: taking its own copy
 * of a table shared read-only, it also rewrote the entries of the table the parent
 * keeps (W removed, the child's cow_bits added), with bits the parent's libOS does not
 * know (0x200 here): the parent's next write there was a fault it cannot handle.
 * Fixed: the parent's entries stay as they are, the child's copies are read-only with
 * 0x200. Then the parent takes its table back with PTE_COW and writes every page (its
 * libOS copies them), while the child still maps the old frames. A child of ours (P)
 * plays the parent; its own child reports to it. */
#define UCB_R (CH + 0x600000)
#define UCB_N 4
#define UCB_BIT 0x200UL
static envid_t ucb_parent;
static void child_unshare_own_bits(void)
{
	static struct exo_ipc_msg go;
	sys_ipc_recv(NOPAGE, (long)&go);
	OUT(sys_pt_unshare(0, UCB_R, UCB_BIT));
	long good = 0;
	for (int i = 0; i < UCB_N; i++) {
		uint64_t pte = vpt_lookup(UCB_R + (uint64_t)i * 4096);
		good += (pte & PTE_P) && !(pte & PTE_W) && (pte & UCB_BIT) &&
			(i >= 3 || vpt_frame(UCB_R + (uint64_t)i * 4096) == go.w[i]); /* (3 words) */
	}
	OUT(good);
	send3(ucb_parent, nres, res[0], res[1]);
	sys_ipc_recv(NOPAGE, (long)&go); /* stay until told to go */
	sys_env_exit(0);
}
static void child_unshare_parent(void)
{
	uint64_t pte0[UCB_N];
	long fns[UCB_N];
	for (int i = 0; i < UCB_N; i++) {
		uint64_t va = UCB_R + (uint64_t)i * 4096;
		sys_page_alloc(0, (long)va, PTE_W | PTE_NX);
		fill(va, (uint8_t)(0x70 + i));
		pte0[i] = pte_of(va);
		fns[i] = (long)vpt_frame(va);
	}
	envid_t saved = me;
	me = ucb_parent = (envid_t)sys_env_id();
	int c = libos_spawn_copy();
	if (c == 0) {
		nres = 0;
		child_unshare_own_bits();
	}
	me = saved;
	OUT(c > 0);
	if (c <= 0)
		return;
	wait_flag_recv(c);
	OUT(sys_pt_share(c, UCB_R, 0));
	sys_ipc_send(c, fns[0], fns[1], fns[2], NOPAGE, 0); /* the frames of the first three */
	static struct exo_ipc_msg m;
	long n = -1, rr[2] = { 0, 0 };
	if (recv_msg(NOPAGE, &m) == 0 && m.from == c) {
		n = (long)m.w[0];
		rr[0] = (long)m.w[1];
		rr[1] = (long)m.w[2];
	}
	OUT(n);
	OUT(rr[0]);
	OUT(rr[1]);
	long same = 0, writable = 0;
	for (int i = 0; i < UCB_N; i++) {
		uint64_t pte = pte_of(UCB_R + (uint64_t)i * 4096);
		same += pte == pte0[i];
		writable += (pte & PTE_W) || (pte & PTE_COW); /* safe to write (the libOS copies) */
	}
	OUT(same);
	OUT(sys_pt_unshare(0, UCB_R, PTE_COW));
	long written = 0;
	if (writable == UCB_N) {
		for (int i = 0; i < UCB_N; i++) {
			uint64_t va = UCB_R + (uint64_t)i * 4096;
			fill(va, (uint8_t)(0x90 + i));
			written += *(volatile uint8_t *)(va + 7) == (uint8_t)(0x90 + i + 49);
		}
	}
	OUT(written);
	wait_flag_recv(c);
	sys_ipc_send(c, QUIT, 0, 0, NOPAGE, 0);
	child_wait_gone((envid_t)c);
}
static void attack_pt_unshare_child_keeps_parent_entries(void)
{
	long r[8];
	run_child(child_unshare_parent, r, 8);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 2);
	CHECK_EQ(r[3], 0);        /* the child's pt_unshare */
	CHECK_EQ(r[4], UCB_N);     /* its copies: read-only, with 0x200, our frames */
	CHECK_EQ(r[5], UCB_N);     /* our entries unchanged (bits but A/D) */
	CHECK_EQ(r[6], 0);
	CHECK_EQ(r[7], UCB_N);     /* every page written */
}

/* cons_write had no bound: one call held the CPU (interrupts off) for as long as
 * the buffer took to send at the serial line's speed. The fixed kernel writes at most
 * EXO_CONS_WRITE_MAX bytes a call and returns the count; the libOS's write() loops. */
#define CW_PAGES 16
static void child_cons_write_bounded(void)
{
	for (int i = 0; i < CW_PAGES; i++)
		sys_page_alloc(0, (long)(CH + (uint64_t)i * 4096), PTE_W | PTE_NX);
	char *buf = (char *)CH;
	memset(buf, ' ', CW_PAGES * 4096);
	for (int i = 1; i <= CW_PAGES; i++)
		buf[i * 4096 - 1] = '\n';
	OUT(sys_cons_write(CH, CW_PAGES * 4096));
	OUT(write(1, buf, CW_PAGES * 4096));
}
static void attack_cons_write_bounded(void)
{
	long r[2];
	run_child(child_cons_write_bounded, r, 2);
	CHECK(r[0] > 0);
	CHECK(r[0] <= EXO_CONS_WRITE_MAX);
	CHECK_EQ(r[1], CW_PAGES * 4096);
}

/* The trap entry kept the direction flag the user had set, and the kernel's memset
 * and memcpy (rep stos/movs) then ran backwards: a child that set DF and faulted
 * made the kernel zero most of the exported entry of the environment in the slot
 * below its own (found by kfuzz), and an upcall frame was copied from the wrong
 * bytes. Fixed: the entry clears DF. One child sets DF and executes ud2 with no
 * handler (the kernel ends it and clears its entry); another takes a page-fault
 * upcall with DF set and its handler must see the true fault. Afterwards every
 * live environment's exported entry is whole. */
static void __attribute__((noreturn)) df_killed_main(void)
{
	sys_env_set_upcall(0, EXO_UPCALL_EXCEPTION, 0, (long)UXSTACKTOP);
	__asm__ volatile("std; ud2");
	__builtin_unreachable();
}
static volatile uint64_t df_good = 0x5a5a;
static int df_retarget(struct exo_utf *utf)
{
	if (utf->fault_va != 8 || utf->rip < PAGE_SIZE)
		return 1;
	utf->rax = (uint64_t)&df_good;
	return 0;
}
static void child_df_upcall(void)
{
	libos_set_trap_handler(EXO_T_PGFLT, df_retarget);
	uint64_t v;
	__asm__ volatile("std; movq $8, %%rax; movq (%%rax), %%rax; cld" : "=a"(v) : : "memory");
	OUT(v);
}
/* Every live environment's exported entry agrees with itself: a status, a name. */
static int views_whole(void)
{
	int bad = 0;
	for (int i = 1; i < EXO_NENV; i++) {
		const volatile struct exo_env_view *v = &exo_envs[i];
		if (v->id && (EXO_ENVX(v->id) != i || (v->status != EXO_ENV_RUNNABLE && v->status != EXO_ENV_NOT_RUNNABLE) ||
			      !v->name[0] || v->frame_quota == 0))
			bad++;
	}
	return bad;
}
static void attack_direction_flag_in_kernel(void)
{
	for (int k = 0; k < 4; k++) {
		int c = libos_spawn_copy();
		CHECK(c >= 0);
		if (c == 0)
			df_killed_main();
		wait_gone((envid_t)c);
		CHECK_EQ(views_whole(), 0);
	}
	const volatile struct exo_env_view *mine = &exo_envs[EXO_ENVX(me)];
	CHECK_EQ(mine->status, EXO_ENV_RUNNABLE);
	CHECK_EQ(mine->nframes, charged_to(me));
	CHECK_EQ(mine->frame_quota, exo_info->frame_quota);
	CHECK_EQ(strcmp((const char *)mine->name, "isolation"), 0);
	long r[1];
	run_child(child_df_upcall, r, 1);
	CHECK_EQ(r[0], 0x5a5a);
	CHECK_EQ(views_whole(), 0);
}

/* ==== address spaces shared by environments (exofork_shared), %fs, addr_wait ====== */

/* The word both sides name by the same address; each keeps its own copy. */
static volatile uint32_t space_word;

/* A sibling asleep in addr_wait on its own copy of space_word. */
static void __attribute__((noreturn)) word_sleeper_main(void)
{
	space_word = 0; /* our own frame from here on, not the parent's */
	for (;;)
		sys_addr_wait((long)&space_word, 0, 0);
}

/* From another address space a child can neither set the parent's %fs nor wake
 * a sleeper of another space by naming the same address; bad words are refused;
 * an environment it makes in its own space is its own (space field, control)
 * and reaches nobody else. */
static void child_space_attacks(void)
{
	space_word = 0; /* our own copy */
	OUT(sys_env_set_fsbase(me, 0x1000));
	OUT(sys_env_set_fsbase(sib, 0x1000));
	OUT(sys_env_set_fsbase(0, (long)ULIM));
	OUT(sys_addr_wait((long)&space_word + 1, 0, 0));
	OUT(sys_addr_wait((long)KERNBASE, 0, 0));
	OUT(sys_addr_wait((long)GUARD, 0, 0));
	OUT(sys_addr_wait((long)&space_word, 12345, 0));
	OUT(sys_addr_wait((long)&space_word, 0, 1));
	OUT(sys_addr_wake((long)&space_word, -1));
	OUT(sys_addr_wake((long)&space_word, 1000)); /* the sibling's word is not ours */
	OUT(sys_addr_wake((long)UINFO, 1));
	long t = sys_exofork_shared();
	if (t == 0) /* never made runnable */
		sys_env_exit(99);
	OUT(t > 0);
	OUT(exo_envs[EXO_ENVX(t)].space == sys_env_id());
	OUT(exo_envs[EXO_ENVX(sys_env_id())].space == sys_env_id());
	OUT(sys_env_set_fsbase(t, 0x5000));
	OUT(sys_env_set_fsbase(me, 0x5000) == -E_PERM);
	OUT(sys_env_destroy(t));
}
static void attack_shared_space_confined(void)
{
	sib = spawn_sleeper();
	CHECK_EQ(sys_ipc_send(sib, QUIT, 0, 0, NOPAGE, 0), 0);
	wait_gone(sib);
	int c = libos_spawn_copy();
	CHECK(c >= 0);
	if (c == 0)
		word_sleeper_main();
	sib = (envid_t)c;
	while (!(exo_envs[EXO_ENVX(sib)].flags & EXO_ENVF_ADDR_WAIT))
		sys_yield(0);
	long r[17];
	run_child(child_space_attacks, r, 17);
	const long want[] = { -E_PERM, -E_PERM, -E_INVAL, -E_FAULT, -E_FAULT, -E_FAULT, -E_AGAIN, -E_TIMEDOUT,
			      -E_INVAL, 0, -E_FAULT };
	for (int i = 0; i < 11; i++)
		CHECK_EQ(r[i], want[i]);
	for (int i = 11; i < 15; i++)
		CHECK_EQ(r[i], i == 14 ? 0 : 1);
	CHECK_EQ(r[15], 1);
	CHECK_EQ(r[16], 0);
	CHECK(exo_envs[EXO_ENVX(sib)].flags & EXO_ENVF_ADDR_WAIT); /* still asleep */
	CHECK_EQ(sys_env_destroy(sib), 0);
	CHECK_EQ(exo_envs[EXO_ENVX(me)].space, me);
}

/* An address space outlives the environment that made it while another runs in
 * it, and is freed, every frame, when the last one ends. */
#define SPACE_PAGE (CH + 0x40000)
#define SPACE_STACK (CH + 0x42000)
static void __attribute__((noreturn)) space_counter_main(void)
{
	for (;;) {
		(*(volatile uint64_t *)SPACE_PAGE)++;
		sys_yield(0);
	}
}
static void child_leave_shared_env(void)
{
	long t = -1;
	if (sys_page_alloc(0, (long)SPACE_PAGE, PTE_W | PTE_NX) == 0 &&
	    sys_page_alloc(0, (long)SPACE_STACK, PTE_W | PTE_NX) == 0)
		t = sys_exofork_shared();
	if (t == 0)
		sys_env_exit(99); /* never: it starts at space_counter_main */
	struct exo_regs regs;
	memset(&regs, 0, sizeof regs);
	regs.rip = (uint64_t)space_counter_main;
	regs.rsp = SPACE_STACK + 4096 - 8;
	OUT(t);
	OUT(sys_env_set_regs(t, (long)&regs));
	OUT(sys_env_set_status(t, EXO_ENV_RUNNABLE));
	OUT(exo_frames[(vpt_lookup(SPACE_PAGE) & PTE_ADDR_MASK) >> 12].owner == sys_env_id());
}
static void attack_shared_space_outlives_maker(void)
{
	uint64_t d0 = frame_digest();
	long r[4];
	envid_t c = run_child(child_leave_shared_env, r, 4);
	envid_t t = (envid_t)r[0];
	CHECK(t > 0);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], 1);
	/* Its maker is gone; it runs on, in the space the maker made. */
	CHECK_EQ(exo_envs[EXO_ENVX(t)].id, t);
	CHECK_EQ(exo_envs[EXO_ENVX(t)].space, c);
	CHECK_EQ(exo_envs[EXO_ENVX(t)].parent, me);
	CHECK_EQ(sys_page_map(t, (long)SPACE_PAGE, 0, (long)VIEW, PTE_P | PTE_U | PTE_NX), 0);
	uint64_t before = *(volatile uint64_t *)VIEW;
	for (int i = 0; i < 20; i++)
		sys_yield(0);
	CHECK(*(volatile uint64_t *)VIEW > before);
	CHECK_EQ(sys_page_unmap(0, (long)VIEW), 0);
	CHECK_EQ(sys_env_destroy(t), 0);
	wait_gone(t);
	CHECK_EQ(frame_digest(), d0); /* every frame of the space, its tables and PML4 back */
}

/* A mapping taken away through another environment of the same address space
 * (here pt_drop on the sibling's id) is gone for the caller at once: the kernel
 * flushes the TLB the whole space shares (it flushed only for the caller's own id,
 * and with no %cr3 reload between environments of one space a stale entry would
 * let it read a freed frame). */
#define TLB_PAGE (CH + 0x60000)
static void child_unmap_via_sibling(void)
{
	long t = -1;
	if (sys_page_alloc(0, (long)TLB_PAGE, PTE_W | PTE_NX) == 0)
		t = sys_exofork_shared();
	if (t == 0)
		sys_env_exit(99); /* never runs */
	*(volatile uint64_t *)TLB_PAGE = 0x5eed; /* in the TLB now */
	OUT(t > 0);
	OUT(sys_pt_drop(t, (long)TLB_PAGE));
	int f = probe_faults;
	probe_load(TLB_PAGE);
	OUT(probe_faults == f + 1); /* the load faulted: no stale translation */
	OUT(sys_env_destroy(t));
}
static void attack_shared_space_tlb_flush(void)
{
	long r[4];
	run_child(child_unmap_via_sibling, r, 4);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 0);
	CHECK_EQ(r[2], 1);
	CHECK_EQ(r[3], 0);
}

/* The same through a page directory shared whole (pt_share_range with
 * EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR): pt_drop on the child's id clears the
 * directory entry in the directory both spaces use, and the caller's mapping is
 * gone at once (the kernel flushed only when the target ran in the caller's space:
 * the caller kept reaching the dropped table and its pages, frames it may no longer
 * hold, through a stale translation; kfuzz found it). */
#define DIR_GIB 0x6000000000UL /* a 1 GiB region of ours with nothing in it */
#define DIR_PAGE (DIR_GIB + 0x200000UL)
static void child_unmap_via_shared_directory(void)
{
	long g = -1, shared = -1;
	if (sys_page_alloc(0, (long)DIR_PAGE, PTE_W | PTE_NX) == 0)
		g = sys_exofork();
	if (g == 0)
		sys_env_exit(99); /* never runs */
	if (g > 0)
		shared = sys_pt_share_range(g, (long)DIR_GIB, (long)(DIR_GIB + (1UL << 30)),
					    EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR);
	*(volatile uint64_t *)DIR_PAGE = 0xd1d1; /* in the TLB now */
	OUT(g > 0);
	OUT(shared);
	OUT(sys_pt_drop(g, (long)DIR_PAGE));
	int f = probe_faults;
	probe_load(DIR_PAGE);
	OUT(probe_faults == f + 1); /* the load faulted: no stale translation */
	OUT(sys_env_destroy(g));
}
static void attack_shared_directory_tlb_flush(void)
{
	long r[5];
	run_child(child_unmap_via_shared_directory, r, 5);
	CHECK_EQ(r[0], 1);
	CHECK_EQ(r[1], 1); /* one directory shared */
	CHECK_EQ(r[2], 0);
	CHECK_EQ(r[3], 1);
	CHECK_EQ(r[4], 0);
}

/* ==== the list and the runner =========================================================== */

struct attack {
	const char *name;
	void (*fn)(void);
	int in_default;
};
#define ATTACK(n, d) { #n, attack_##n, d }
static const struct attack attacks[] = {
	ATTACK(map_kernel_memory, 1),
	ATTACK(view_is_read_only, 1),
	ATTACK(pt_drop_parent_table, 1),
	ATTACK(shared_space_confined, 1),
	ATTACK(shared_space_outlives_maker, 1),
	ATTACK(shared_space_tlb_flush, 1),
	ATTACK(shared_directory_tlb_flush, 1),
	ATTACK(alias_kernel_memory, 1),
	ATTACK(write_exports_and_page_tables, 1),
	ATTACK(bad_permission_bits, 1),
	ATTACK(misaligned_addresses, 1),
	ATTACK(noncanonical_addresses, 1),
	ATTACK(kernel_pointers_as_buffers, 1),
	ATTACK(readonly_buffers_for_kernel_writes, 1),
	ATTACK(buffers_straddling_unmapped_page, 1),
	ATTACK(pte_batch_one_bad_op, 1),
	ATTACK(pte_batch_bad_last_of_max, 1),
	ATTACK(pte_batch_too_many, 1),
	ATTACK(protect_range_grant_write, 1),
	ATTACK(upcall_kernel_handler_or_stack, 1),
	ATTACK(set_regs_kernel_rip, 1),
	ATTACK(set_regs_privileged_flags, 1),
	ATTACK(single_step_into_kernel, 1),
	ATTACK(map_into_parent, 1),
	ATTACK(read_parent_frame, 1),
	ATTACK(unmap_protect_parent_pages, 1),
	ATTACK(batch_and_range_on_parent, 1),
	ATTACK(share_tables_with_parent, 1),
	ATTACK(control_parent, 1),
	ATTACK(destroy_parent, 1),
	ATTACK(read_sibling_memory, 1),
	ATTACK(modify_sibling_memory, 1),
	ATTACK(control_sibling, 1),
	ATTACK(escalate_readonly_grant, 1),
	ATTACK(grant_invalid_pages, 1),
	ATTACK(grant_export_page, 1),
	ATTACK(grant_into_exports, 1),
	ATTACK(ipc_to_dead_or_bogus, 1),
	ATTACK(ipc_to_non_receiving, 1),
	ATTACK(use_dead_env_id, 1),
	ATTACK(bogus_env_ids, 1),
	ATTACK(run_unstarted_child_badly, 1),
	ATTACK(power_from_child, 1),
	ATTACK(slot_free_not_held, 1),
	ATTACK(slot_alloc_beyond_quota, 1),
	ATTACK(slot_alloc_out_of_range, 1),
	ATTACK(exhaust_frame_quota, 1),
	ATTACK(raise_quota, 1),
	ATTACK(pt_share_bad_args, 1),
	ATTACK(pt_share_range, 1),
	ATTACK(modify_shared_table, 1),
	ATTACK(exhaust_env_table, 1),
	ATTACK(orphaned_grandchild_leak, 1),
	/* These found kernel bugs (see each function). They are not in the default list
	 * so that the list above keeps guarding against regressions; test/cases-exo.sh
	 * runs each one on its own ("isolation NAME"). The last four end in a kernel
	 * panic on a kernel that has the bug. */
	ATTACK(kernel_write_through_readonly_pde, 0),
	ATTACK(pte_batch_unmap_then_map_source, 0),
	ATTACK(pte_batch_map_then_protect_escalation, 0),
	ATTACK(quota_bypass_adopting_orphan_frame, 0),
	ATTACK(write_boot_module, 0),
	ATTACK(take_parent_frame_via_writable_grant, 0),
	ATTACK(ipc_grant_at_page_zero, 0),
	ATTACK(write_parent_frames_after_unshare, 0),
	ATTACK(failed_page_alloc_takes_no_frames, 0),
	ATTACK(cons_read_through_readonly_pde, 0),
	ATTACK(pte_batch_unmap_then_protect, 0),
	ATTACK(pte_batch_map_count_overflow, 0),
	ATTACK(ipc_grant_map_count_overflow, 0),
	ATTACK(pte_copy_range_map_count_overflow, 0),
	ATTACK(env_ids_never_reused, 0),
	ATTACK(pte_batch_take_over_quota, 0),
	ATTACK(pt_share_accounting, 0),
	ATTACK(pt_share_write_downgrade, 0),
	ATTACK(env_ids_above_32_bits, 0),
	ATTACK(pt_unshare_child_keeps_parent_entries, 0),
	ATTACK(cons_write_bounded, 0),
	ATTACK(direction_flag_in_kernel, 0),
};
#define NATTACKS (int)(sizeof attacks / sizeof attacks[0])

static uint64_t free_base, digest_base;

/* Run one attack; afterwards no child may be left, our pages must be intact and the
 * frame table exactly as before. */
static void run_attack(const struct attack *a)
{
	uint64_t free0 = exo_info->free_frames, dig0 = frame_digest();
	uint64_t nf0 = exo_envs[EXO_ENVX(me)].nframes;
	a->fn();
	CHECK_EQ(live_envs(), 1);
	check_parent_pages();
	CHECK_EQ(exo_envs[EXO_ENVX(me)].nframes, nf0);
	CHECK_EQ(exo_info->free_frames, free0);
	CHECK_EQ(frame_digest(), dig0);
	printf("attack %s: refused\n", a->name);
	fflush(stdout);
}

/* The kernel maps the boot modules (our own image, the initrd) read-only into the
 * boot environment. We do not need them, and libos_spawn_copy would copy them into
 * every child (more than a small frame quota holds): unmap them all but the first
 * page (modpg, kept for attack_write_boot_module). Their frames belong to
 * FRAME_OWNER_MODULE and stay where they are. */
static void drop_modules(void)
{
	modpg = exo_info->modules[0].uva;
	CHECK(exo_info->nmodules >= 1 && (vpt_lookup(modpg) & PTE_P));
	modpg_fn = vpt_frame(modpg);
	modpg_sum = page_sum(modpg);
	for (uint64_t i = 0; i < exo_info->nmodules && i < EXO_MAX_MODULES; i++) {
		uint64_t lo = exo_info->modules[i].uva;
		uint64_t pages = (exo_info->modules[i].end - (exo_info->modules[i].start & ~(PAGE_SIZE - 1)) +
				  PAGE_SIZE - 1) / PAGE_SIZE;
		for (uint64_t p = 0; p < pages; p++) {
			uint64_t va = lo + p * PAGE_SIZE, pte = vpt_lookup(va);
			if (!(pte & PTE_P) || va == modpg)
				continue;
			uint64_t fn = (pte & PTE_ADDR_MASK) >> 12;
			CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_MODULE);
			CHECK_EQ(pte & PTE_W, 0);
			CHECK_EQ(sys_page_unmap(0, (long)va), 0);
			CHECK_EQ(exo_frames[fn].owner, FRAME_OWNER_MODULE);
		}
	}
}

/* A kernel test: the boot environment alone, without the libOS process layer. */
const bool libos_bare = true;

int main(int argc, char **argv)
{
	drop_modules();
	uint64_t free_start = exo_info->free_frames;
	long tables_start = count_tables();
	me = (envid_t)sys_env_id();
	uint64_t owned_start = owned_by(me);
	printf("isolation: env %#x, frame quota %lu, slot quota %lu, %u slots, %lu free frames\n", me,
	       (unsigned long)exo_info->frame_quota, (unsigned long)exo_info->slot_quota,
	       (unsigned)exo_slots->nslots, (unsigned long)free_start);
	fflush(stdout);
	CHECK(exo_info->frame_quota < (1UL << 32)); /* boot with frames=N */
	CHECK_EQ(live_envs(), 1);

	/* Our own setup, all of it before the first child. */
	CHECK_EQ(libos_set_trap_handler(14, probe_handler), 0);
	CHECK_EQ(libos_set_trap_handler(1, debug_handler), 0);
	CHECK_EQ(sys_page_alloc(0, VICTIM, PTE_W | PTE_NX), 0);
	fill(VICTIM, 0x11);
	CHECK_EQ(sys_page_alloc(0, RDONLY, PTE_W | PTE_NX), 0);
	fill(RDONLY, 0x22);
	CHECK_EQ(sys_page_protect(0, RDONLY, PTE_NX), 0);
	CHECK_EQ(sys_page_alloc(0, GRANTPG, PTE_W | PTE_NX), 0);
	fill(GRANTPG, 0x33);
	CHECK_EQ(sys_page_alloc(0, EDGE, PTE_W | PTE_NX), 0);
	fill(EDGE, 0x44);
	CHECK_EQ(sys_page_alloc(0, REG, PTE_W | PTE_NX), 0);
	fill(REG, 0x55);
	CHECK_EQ(sys_page_alloc(0, BIGOPS, PTE_W | PTE_NX), 0); /* leaves BIGOPS's page table */
	CHECK_EQ(sys_page_unmap(0, BIGOPS), 0);
	victim_sum = page_sum(VICTIM);
	victim_pte = pte_of(VICTIM);
	victim_fn = vpt_frame(VICTIM);
	rdonly_sum = page_sum(RDONLY);
	grant_sum = page_sum(GRANTPG);
	grant_fn = vpt_frame(GRANTPG);
	reg_sum = page_sum(REG);
	scr_pt_fn = (*VPT_PDE(SCR) & PTE_ADDR_MASK) >> 12;
	check_parent_pages();

	/* Frame audit of the setup: every frame we took is one of our pages or one of our
	 * page tables. */
	free_base = exo_info->free_frames;
	digest_base = frame_digest();
	long tables_base = count_tables();
	uint64_t pages = owned_by(me) - owned_start;
	CHECK_EQ(free_start - free_base, pages + (uint64_t)(tables_base - tables_start));
	printf("isolation: setup took %lu pages and %ld page tables\n", (unsigned long)pages, tables_base - tables_start);

	int ran = 0;
	for (int i = 0; i < NATTACKS; i++) {
		int want = argc <= 1 ? attacks[i].in_default : 0;
		for (int k = 1; k < argc; k++)
			if (!strcmp(argv[k], attacks[i].name))
				want = 1;
		if (!want)
			continue;
		run_attack(&attacks[i]);
		ran++;
	}
	CHECK(ran == argc - 1 || argc <= 1); /* every name given is an attack */

	/* Final frame audit: no child is left, and the free-frame count is where the
	 * setup left it (the setup's pages and page tables are still ours). */
	CHECK_EQ(live_envs(), 1);
	CHECK_EQ(exo_info->free_frames, free_base);
	CHECK_EQ(frame_digest(), digest_base);
	CHECK_EQ(count_tables(), tables_base);
	CHECK_EQ(free_start - exo_info->free_frames, (owned_by(me) - owned_start) + (uint64_t)(tables_base - tables_start));
	printf("isolation: %d attacks refused\n", ran);
	check_done("isolation");
}
