/* kfuzz worker: random raw system calls with interesting arguments, seeded from
 * (seed, worker index). Every call goes through do_call, which records it in the
 * shared ring (and prints it when tracing) and checks the few rules a result must
 * obey whatever the state (docs/abi.md): a call naming an environment the worker
 * does not control, a bad address, bad permission bits or a bad count must not
 * succeed; power_off and power_delegate are -E_PERM; unknown numbers -E_NOSYS. A
 * broken rule is written to the ring and the worker exits with status 77.
 *
 * The worker uses no stdio and no heap: it may unmap any of its own pages. */
#include <stddef.h>
#include "kfuzz.h"

#define F_FAIL 1   /* the call must not succeed */
#define F_EXACT 2  /* the call must return exactly `want` */
#define MAXKIDS 512
#define MAXDEAD 64
#define MAXECHO 4
#define BADBITS_N 9
#define PTE_COW_BIT 0x800UL

/* Environment-id classes: what the worker may expect of a call naming it. */
enum { ENV_OK, ENV_FOREIGN, ENV_BOGUS, ENV_ANY };

static struct kf_ring *const ring = (struct kf_ring *)KF_RING;
/* The worker's own bookkeeping, on one page between two magic words: a worker can
 * replace or zero its own pages (it fuzzes its own address space too), and a rule
 * judged from clobbered bookkeeping would blame the kernel (see violate). */
#define WSTATE_MAGIC 0x6b66757a7a737461UL
static struct wstate {
	uint64_t magic;
	const struct kf_job *job;
	uint64_t rng;
	envid_t self;
	envid_t kids[MAXKIDS], dead[MAXDEAD], echo[MAXECHO];
	int nkids, ndead, necho, kidcap;
	int high_pick; /* this call names a real id with bits above bit 31 set */
	uint64_t magic_end;
} ws __attribute__((aligned(4096)));
_Static_assert(sizeof(struct wstate) <= 4096, "the worker's bookkeeping fits one page");
static struct exo_regs regsbuf;
static const uint64_t badbits[BADBITS_N] = { 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x1000,
					     1UL << 52, 1UL << 62 };

/* The ws.echo child's code: receive, send the words back (and the granted page, or
 * words only when that fails, retried after a yield to the sender while it is not
 * receiving yet), forever. Only registers, and a load from its own page each
 * round: a worker that points its own upcall entry here faults there and ends
 * instead of echoing its echo children forever. */
extern char kf_echo[];
__asm__(".section .text.kf_echo,\"ax\"\n"
	".balign 4096\n"
	".globl kf_echo\nkf_echo:\n"
	"1: movabsq $0x30000000, %rbx\n" /* KF_ECHO_PAGE: only an echo child has it; */
	"movq (%rbx), %rbx\n"            /* anything else sent here (a worker's upcall) ends */
	"movl $21, %eax\n"               /* SYS_ipc_recv */
	"movabsq $0x30001000, %rdi\n"    /* KF_ECHO_DST */
	"syscall\n"                      /* the message, in registers: */
	"movslq %edi, %rdi\n"            /* from */
	"movq %rsi, %r9\n"               /* perm */
	"movq %rdx, %rsi\n"              /* w0 */
	"movq %r10, %rdx\n"              /* w1 */
	"movq %r8, %r10\n"               /* w2 */
	"movabsq $0x30001000, %r8\n"
	"testq %r9, %r9\n"
	"jnz 2f\n"
	"movq $-1, %r8\n"
	"2: movl $20, %eax\n"            /* SYS_ipc_send */
	"syscall\n"
	"testq %rax, %rax\n"
	"jz 1b\n"
	"3: movq $-1, %r8\n"            /* words only; retry while the sender is not */
	"movl $20, %eax\n"              /* receiving yet (it is about to) */
	"syscall\n"
	"cmpq $-9, %rax\n"              /* -E_NORECV */
	"jne 1b\n"
	"movl $4, %eax\n"               /* SYS_yield to the sender (rdi) */
	"syscall\n"
	"jmp 3b\n"
	".balign 4096\n"
	".text\n");

/* ---- random numbers ------------------------------------------------------------- */

/* rnd: the next 64 random bits (xorshift64*). */
static uint64_t rnd(void)
{
	ws.rng ^= ws.rng >> 12;
	ws.rng ^= ws.rng << 25;
	ws.rng ^= ws.rng >> 27;
	return ws.rng * 0x2545F4914F6CDD1DULL;
}

/* below: a random number in [0, n) (0 when n is 0). */
static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

/* permille: true with probability p/1000. */
static int permille(int p)
{
	return below(1000) < (uint64_t)p;
}

/* ---- output ------------------------------------------------------------------- */

/* say: write s to the console with a raw call (no stdio in the worker). */
static void say(const char *s)
{
	long n = 0;
	while (s[n])
		n++;
	sys_cons_write((long)s, n);
}

/* violate: record that call c broke per-call rule `rule` (the first such call of
 * the worker, and the first per rule and call number, are kept in the ring for the
 * supervisor) and go on fuzzing; unless the worker's bookkeeping is no longer
 * whole (the rule was judged from garbage): then it ends, counted as ended early. */
static void violate(const struct kf_call *c, int rule)
{
	if (ws.magic != WSTATE_MAGIC || ws.magic_end != WSTATE_MAGIC || ws.self != (envid_t)sys_env_id())
		sys_env_exit(0); /* we clobbered our own bookkeeping: end early, blame no one */
	const char *why = kf_rule_name(rule);
	int nr = (c->nr >= 0 && c->nr < 32) ? (int)c->nr : 31;
	if (ws.job->trace) {
		say("kfuzz: rule broken: ");
		say(why);
		say("\n");
	}
	if (!ring->viol_count[rule][nr]++)
		ring->viol_first[rule][nr] = *c;
	if (ring->violation++)
		return;
	int i = 0;
	for (; why[i] && i < (int)sizeof ring->why - 1; i++)
		ring->why[i] = why[i];
	ring->why[i] = 0;
	ring->viol = *c;
}

/* charged: the frames charged to environment id (0: us), or 0 when it is not
 * alive. */
static uint64_t charged(long id)
{
	if (id == 0)
		id = ws.self;
	if (id <= 0 || id > INT32_MAX || exo_envs[EXO_ENVX(id)].id != (int32_t)id)
		return 0;
	return exo_envs[EXO_ENVX(id)].nframes;
}

/* over_quota: true when a call took id's charge from `before` to above its frame
 * quota (every charge is checked first, docs/abi.md 3.14; a quota lowered below
 * the usage by env_set_quota is not this, nor what an ending environment hands
 * its parent: do_call asks only of calls that cannot end or wait for one). */
static int over_quota(long id, uint64_t before)
{
	uint64_t now = charged(id);
	if (id == 0)
		id = ws.self;
	return now > before && now > exo_envs[EXO_ENVX(id)].frame_quota;
}

/* do_call: make system call nr with args a[0..5], recorded in the ring (and traced
 * when replaying). flags F_FAIL: a result >= 0 breaks a rule; F_EXACT: a result
 * other than want does. Returns the kernel's result. */
static long do_call(long nr, const long a[6], int flags, long want)
{
	uint64_t seq = ring->ncalls + 1;
	struct kf_call *c = &ring->call[seq % KF_RING_N];
	c->seq = seq;
	c->nr = nr;
	for (int i = 0; i < 6; i++)
		c->a[i] = a[i];
	c->result = KF_PENDING;
	ring->ncalls = seq;
	long ids[3] = { ws.self, a[0], nr == SYS_page_map ? a[2] : 0 };
	uint64_t before[3], switches = exo_counters->context_switches, upcalls = exo_counters->upcalls[0];
	for (int i = 0; i < 3; i++)
		before[i] = charged(ids[i]);
	struct exo_ipc_msg msg; /* what a message call returns besides r (not judged) */
	long r = (nr == SYS_ipc_recv || nr == SYS_ipc_call) ? exo_msg_syscall(nr, a[0], a[1], a[2], a[3], &msg)
							     : exo_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	c->result = r;
	/* An environment that ends hands its frames to its parent, over the parent's
	 * quota if need be: calls that end one (destroy) or let others run (the caller
	 * waits, or was preempted between the counts and the call) are not judged; nor
	 * are calls after which an upcall ran before the count (an interrupt from
	 * env_interrupt or interrupt_at: its handler may grow our stack). */
	int may_end = nr == SYS_env_destroy || nr == SYS_env_exit || nr == SYS_yield || nr == SYS_ipc_recv ||
		      nr == SYS_sleep_until || nr == SYS_env_set_status || nr == SYS_cons_read ||
		      exo_counters->context_switches != switches || exo_counters->upcalls[0] != upcalls;
	for (int i = 0; i < 3 && !may_end; i++)
		if (over_quota(ids[i], before[i]))
			violate(c, 2);
	const volatile struct exo_env_view *v = &exo_envs[EXO_ENVX(ring->wself)];
	if (v->id != ring->wself || v->status != EXO_ENV_RUNNABLE || v->parent != ring->wsup)
		violate(c, 4); /* we are running: our own entry must say so */
	if (ws.job->trace) {
		char line[256];
		int n = kf_fmt_call(line, sizeof line - 8, c);
		for (const char *m = (flags & F_FAIL) ? " [bad]" : ""; *m;)
			line[n++] = *m++;
		line[n++] = '\n';
		sys_cons_write((long)line, n);
	}
	if ((flags & F_FAIL) && r >= 0)
		violate(c, ws.high_pick ? 3 : 0);
	if ((flags & F_EXACT) && r != want)
		violate(c, 1);
	return r;
}

/* callv: do_call with the arguments inline. */
#define callv(nr, flags, want, ...) do_call((nr), (const long[6]){ __VA_ARGS__ }, (flags), (want))

/* ---- environments ------------------------------------------------------------------ */

/* alive: true when id is a live environment now. */
static int alive(long id)
{
	return id > 0 && id <= INT32_MAX && exo_envs[EXO_ENVX(id)].id == (int32_t)id;
}

/* bury: remember id as ws.dead (it never comes back: ids are not reused). */
static void bury(envid_t id)
{
	ws.dead[ws.ndead++ % MAXDEAD] = id;
}

/* add_kid: remember a new child (replacing a random one when the list is full). */
static void add_kid(envid_t id)
{
	if (ws.nkids < ws.kidcap)
		ws.kids[ws.nkids++] = id;
	else if (ws.kidcap)
		ws.kids[below((uint64_t)ws.kidcap)] = id;
}

/* live_kid: a random live child, or 0 when there is none (ws.dead ones are moved to
 * the ws.dead list on the way). */
static envid_t live_kid(void)
{
	while (ws.nkids) {
		int i = (int)below((uint64_t)ws.nkids);
		if (alive(ws.kids[i]))
			return ws.kids[i];
		bury(ws.kids[i]);
		ws.kids[i] = ws.kids[--ws.nkids];
	}
	return 0;
}

/* bogus_env: an id no live environment has, or one with bits a 32-bit id cannot
 * have around a real id. */
static long bogus_env(void)
{
	envid_t k = live_kid();
	long real = k ? k : (below(2) ? ws.self : ws.job->sup);
	switch (below(8)) {
	case 0: return ws.high_pick = 1, (1L << 32) | real;
	case 1: return ws.high_pick = 1, (long)(0xFFFFFFFFUL << 32) | real;
	case 2: return ws.high_pick = 1, (1L << 63) | real;
	case 3: return -1;
	case 4: return -(long)(1 + below(1L << 40));
	case 5: return INT32_MAX;
	case 6: return (long)INT32_MIN;
	default: return ws.ndead ? ws.dead[below((uint64_t)(ws.ndead < MAXDEAD ? ws.ndead : MAXDEAD))] : -2;
	}
}

/* pick_env: an environment argument; *cl gets its class. selfp (per mille) is how
 * often it is 0 or our own id. */
static long pick_env(int *cl, int selfp)
{
	*cl = ENV_OK;
	if (permille(selfp))
		return below(2) ? 0 : ws.self;
	uint64_t r = below(100);
	envid_t k = live_kid();
	if (r < 60 && k)
		return k;
	if (r < 72) {
		*cl = ENV_FOREIGN;
		return (ws.job->hog && below(2)) ? ws.job->hog : ws.job->sup;
	}
	if (r < 92) {
		*cl = ENV_BOGUS;
		return bogus_env();
	}
	long v = r < 97 ? (long)((below(64) << 10) | below(EXO_NENV)) : (long)rnd();
	*cl = (v < 0 || v > INT32_MAX) ? ENV_BOGUS : v == 0 ? ENV_OK : ENV_ANY;
	return v;
}

/* controlled_bad: the class says a call needing control of the target must fail. */
static int controlled_bad(int cl)
{
	return cl == ENV_FOREIGN || cl == ENV_BOGUS;
}

/* is_self: the id names the caller. */
static int is_self(long id)
{
	return id == 0 || id == ws.self;
}

/* ---- addresses, permissions, counts ---------------------------------------------- */

/* scr_page: a page of the scratch regions, biased to the first 64 of each. */
static uint64_t scr_page(void)
{
	return KF_SCR + below(KF_SCR_REGIONS) * LARGE_PAGE_SIZE + below(64) * PAGE_SIZE;
}

/* own_page: one of our own code, data or stack pages, or the batch operations
 * (dangerous on purpose; never the ring, which must stay the supervisor's record). */
static uint64_t own_page(void)
{
	uint64_t sp = (uint64_t)__builtin_frame_address(0);
	switch (below(4)) {
	case 0: return ((uint64_t)&rnd & ~(PAGE_SIZE - 1)) + below(8) * PAGE_SIZE;
	case 1: return (uint64_t)&ws.rng & ~(PAGE_SIZE - 1);
	case 2: return sp & ~(PAGE_SIZE - 1);
	default: return KF_OPS;
	}
}

/* pick_va: an address argument: mostly our scratch pages, sometimes anything. */
static uint64_t pick_va(void)
{
	uint64_t r = below(1000);
	if (r < 700)
		return scr_page();
	if (r < 760)
		return KF_SCR + below(KF_SCR_REGIONS * 512) * PAGE_SIZE;
	if (r < 800)
		return ws.job->mode == KF_MAPCOUNT ? KF_MC + below(KF_MC_MAPS) * PAGE_SIZE : scr_page();
	if (r < 801 && permille(200))
		return own_page(); /* 1 in 5000: most workers should live to the end */
	if (r < 830)
		return below(2) ? 0 : below(PAGE_SIZE);
	if (r < 860)
		return scr_page() + 1 + below(PAGE_SIZE - 1);
	if (r < 885)
		return UEXPORT + (below(3) << 21) + below(4) * PAGE_SIZE;
	if (r < 905)
		return UVPT + below(1UL << 39) * 8;
	if (r < 925)
		return below(2) ? KPHYS + below(1UL << 20) * PAGE_SIZE : KERNBASE + below(1024) * PAGE_SIZE;
	if (r < 945)
		return (1UL << 47) + below(1UL << 30) * PAGE_SIZE;
	if (r < 960)
		return ULIM;
	if (r < 990)
		return below(ULIM >> PAGE_SHIFT) << PAGE_SHIFT;
	return rnd();
}

/* va_ok: an address a mapping call accepts (aligned, in [4096, ULIM)). */
static int va_ok(uint64_t va)
{
	return !(va & (PAGE_SIZE - 1)) && va >= PAGE_SIZE && va < ULIM;
}

/* pick_perm: permission bits; *bad set when they hold a bit the kernel must refuse. */
static long pick_perm(int *bad)
{
	uint64_t p = 0;
	*bad = 0;
	if (below(2))
		p |= PTE_W;
	if (below(2))
		p |= PTE_NX;
	if (permille(300))
		p |= below(8) << 9;
	if (permille(200))
		p |= PTE_P | PTE_U;
	if (permille(100)) {
		p |= badbits[below(BADBITS_N)];
		*bad = 1;
	}
	return (long)p;
}

/* pick_count: an operation count: small mostly, sometimes the limits or worse. */
static long pick_count(void)
{
	uint64_t r = below(100);
	if (r < 60)
		return (long)below(9);
	if (r < 80)
		return (long)below(129);
	if (r < 85)
		return EXO_PTE_BATCH_MAX;
	if (r < 90)
		return EXO_PTE_BATCH_MAX + 1;
	if (r < 95)
		return -1;
	return (long)rnd();
}

/* pick_bits: software bits for cow/share arguments, sometimes with others. */
static long pick_bits(int *bad)
{
	uint64_t b = below(2) ? PTE_COW_BIT : below(8) << 9;
	*bad = 0;
	if (permille(80)) {
		b |= badbits[below(BADBITS_N)] | PTE_W;
		*bad = 1;
	}
	return (long)b;
}

/* scr_region: the start of a random scratch region (or the map-count region). */
static uint64_t scr_region(void)
{
	if (ws.job->mode == KF_MAPCOUNT && below(2))
		return KF_MC + below(KF_MC_MAPS / 512) * LARGE_PAGE_SIZE;
	return KF_SCR + below(KF_SCR_REGIONS) * LARGE_PAGE_SIZE;
}

/* ---- one generator per call --------------------------------------------------------- */

/* gen_page_alloc .. gen_misc: each makes one call (or a short sequence) with random
 * arguments and the rules its result must obey. No result. */
static void gen_page_alloc(void)
{
	int cl, bad;
	long e = pick_env(&cl, 300), va = (long)pick_va(), perm = pick_perm(&bad);
	callv(SYS_page_alloc, (controlled_bad(cl) || !va_ok(va) || bad) ? F_FAIL : 0, 0, e, va, perm);
}

static void gen_page_map(void)
{
	int c1, c2, bad;
	long se = pick_env(&c1, 500), sva = (long)pick_va(), de = pick_env(&c2, 300);
	long dva = (long)pick_va(), perm = pick_perm(&bad);
	int f = controlled_bad(c1) || controlled_bad(c2) || !va_ok(sva) || !va_ok(dva) || bad;
	callv(SYS_page_map, f ? F_FAIL : 0, 0, se, sva, de, dva, perm);
}

static void gen_page_copy(void)
{
	int cl, bad;
	long e = pick_env(&cl, 300), va = (long)pick_va(), srcva = (long)pick_va(), perm = pick_perm(&bad);
	int f = controlled_bad(cl) || !va_ok(va) || !va_ok(srcva) || bad;
	callv(SYS_page_copy, f ? F_FAIL : 0, 0, e, va, srcva, perm);
}

static void gen_page_unmap(void)
{
	int cl;
	long e = pick_env(&cl, 300), va = (long)pick_va();
	callv(SYS_page_unmap, (controlled_bad(cl) || !va_ok(va)) ? F_FAIL : 0, 0, e, va);
}

static void gen_page_protect(void)
{
	int cl, bad;
	long e = pick_env(&cl, 300), va = (long)pick_va(), perm = pick_perm(&bad);
	callv(SYS_page_protect, (controlled_bad(cl) || !va_ok(va) || bad) ? F_FAIL : 0, 0, e, va, perm);
}

/* fill_ops: write n (at most the ops area) random operations at KF_OPS, with
 * ascending target addresses most of the time. */
static void fill_ops(long n)
{
	struct exo_pte_op *ops = (struct exo_pte_op *)KF_OPS;
	/* steps of a page, or of a page table or directory (new tables per operation) */
	static const uint64_t steps[3] = { PAGE_SIZE, LARGE_PAGE_SIZE, 1UL << 30 };
	uint64_t step = permille(700) ? PAGE_SIZE : steps[below(3)];
	uint64_t va = step == PAGE_SIZE ? scr_page() : KF_FAR + below(64) * step, max = 64;
	int bad;
	if (n > (long)max)
		n = (long)max;
	for (long i = 0; i < n; i++) {
		ops[i].op = permille(950) ? (uint32_t)(1 + below(3)) : (uint32_t)rnd();
		ops[i].pad = (uint32_t)rnd();
		ops[i].va = permille(900) ? va : pick_va();
		ops[i].srcva = permille(700) ? scr_page() : pick_va();
		ops[i].perm = (uint64_t)pick_perm(&bad);
		va += step * (1 + below(3));
	}
}

static void gen_pte_batch(void)
{
	int cl;
	long e = pick_env(&cl, 400), n = pick_count();
	if (vpt_lookup(KF_OPS) & PTE_W)
		fill_ops(n);
	long ops = permille(900) ? (long)KF_OPS : (long)pick_va();
	int f = controlled_bad(cl) || n < 0 || n > EXO_PTE_BATCH_MAX;
	callv(SYS_pte_batch, f ? F_FAIL : 0, 0, e, ops, n);
}

static void gen_protect_range(void)
{
	int cl, b1, b2;
	long e = pick_env(&cl, 400);
	uint64_t s = permille(800) ? scr_region() + below(64) * PAGE_SIZE : pick_va();
	uint64_t end = permille(900) ? s + below(1024) * PAGE_SIZE : pick_va();
	long set = pick_bits(&b1) & ~(long)PTE_W, clear = pick_bits(&b2);
	if (permille(100)) {
		set |= PTE_NX;
		clear |= PTE_W;
	}
	if (b1 && permille(500))
		set |= PTE_W;
	int f = controlled_bad(cl) || !va_ok(s) || (end & (PAGE_SIZE - 1)) || end > ULIM || end < s ||
		(set & ~(long)(PTE_NX | PTE_AVAIL)) || (clear & ~(long)(PTE_W | PTE_AVAIL));
	callv(SYS_protect_range, f ? F_FAIL : 0, 0, e, (long)s, (long)end, set, clear);
}

static void gen_pt_share(void)
{
	int cl;
	long c = pick_env(&cl, 30), va = (long)(permille(800) ? scr_region() + below(LARGE_PAGE_SIZE) : pick_va());
	long flags = permille(900) ? (long)below(2) : (long)rnd();
	int f = controlled_bad(cl) || is_self(c) || (uint64_t)va >= ULIM || (flags != 0 && flags != 1);
	callv(SYS_pt_share, f ? F_FAIL : 0, 0, c, va, flags);
}

/* pt_share_range over a few scratch regions mostly, else any range, sometimes of
 * whole directories (EXO_PT_SHARE_DIR): bad when unaligned (to 2 MiB; to 1 GiB for
 * directories), backwards, past ULIM or longer than EXO_SHARE_RANGE_MAX. */
static void gen_pt_share_range(void)
{
	int cl;
	long c = pick_env(&cl, 30);
	uint64_t s = permille(900) ? scr_region() : pick_va();
	uint64_t len = permille(700) ? below(4) * LARGE_PAGE_SIZE
				     : permille(500) ? rnd() : EXO_SHARE_RANGE_MAX + LARGE_PAGE_SIZE;
	long flags = permille(800) ? (long)below(2) : permille(500) ? EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR : (long)rnd();
	if (flags == (EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR) && below(2)) { /* whole directories */
		s &= ~((1UL << 30) - 1);
		len = below(3) << 30;
	}
	uint64_t end = permille(20) ? s - LARGE_PAGE_SIZE : s + len;
	int dir = flags == (EXO_PT_SHARE_WRITE | EXO_PT_SHARE_DIR);
	int f = controlled_bad(cl) || is_self(c) || ((s | end) & (LARGE_PAGE_SIZE - 1)) || end > ULIM || end < s ||
		end - s > EXO_SHARE_RANGE_MAX || ((flags < 0 || flags > 2) && !dir) || (dir && ((s | end) & ((1UL << 30) - 1)));
	callv(SYS_pt_share_range, f ? F_FAIL : 0, 0, c, (long)s, (long)end, flags);
}

static void gen_large_alloc(void)
{
	int cl, bad;
	long e = pick_env(&cl, 300), va = (long)(permille(800) ? scr_region() : pick_va()), perm = pick_perm(&bad);
	int f = controlled_bad(cl) || !va_ok(va) || (va & (LARGE_PAGE_SIZE - 1)) || bad;
	callv(SYS_large_alloc, f ? F_FAIL : 0, 0, e, va, perm);
}

static void gen_large_split(void)
{
	int cl, bad;
	long e = pick_env(&cl, 400), va = (long)(permille(800) ? scr_region() : pick_va());
	long bits = pick_bits(&bad);
	callv(SYS_large_split, (controlled_bad(cl) || (uint64_t)va >= ULIM || bad) ? F_FAIL : 0, 0, e, va, bits);
}

/* pt_drop: mostly one of the scratch regions (a dropped table of our own code or
 * stack would end the worker). */
static void gen_pt_drop(void)
{
	int cl;
	long e = pick_env(&cl, 400), va = (long)(permille(900) ? scr_region() : pick_va());
	callv(SYS_pt_drop, (controlled_bad(cl) || (uint64_t)va >= ULIM) ? F_FAIL : 0, 0, e, va);
}

static void gen_pt_unshare(void)
{
	int cl, bad;
	long e = pick_env(&cl, 400), va = (long)(permille(800) ? scr_region() : pick_va());
	long bits = pick_bits(&bad);
	int f = controlled_bad(cl) || (uint64_t)va >= ULIM || bad;
	callv(SYS_pt_unshare, f ? F_FAIL : 0, 0, e, va, bits);
}

static void gen_pte_copy_range(void)
{
	int cl, b1, b2;
	long c = pick_env(&cl, 30);
	uint64_t s = permille(850) ? scr_region() : pick_va();
	uint64_t end = permille(950) ? s + below(3) * LARGE_PAGE_SIZE + below(2) * PAGE_SIZE * below(64)
				     : pick_va();
	long cow = pick_bits(&b1), share = below(2) ? 0x400 : pick_bits(&b2);
	if (share == 0x400)
		b2 = 0;
	int f = controlled_bad(cl) || is_self(c) || (s & (PAGE_SIZE - 1)) || (end & (PAGE_SIZE - 1)) ||
		end > ULIM || end < s || b1 || b2;
	callv(SYS_pte_copy_range, f ? F_FAIL : 0, 0, c, (long)s, (long)end, cow, share);
}

static void gen_exofork(void)
{
	if (ws.nkids >= ws.kidcap) {
		callv(SYS_env_id, F_EXACT, ws.self, 0);
		return;
	}
	long r = callv(SYS_exofork, 0, 0, 0);
	if (r == 0)
		sys_env_exit(0); /* we are a child that was made runnable with our registers */
	if (r > 0)
		add_kid((envid_t)r);
}

static void gen_env_destroy(void)
{
	int cl;
	long e = permille(1) && permille(100) ? 0 : pick_env(&cl, 0); /* ourselves: 1 in 10^4 */
	if (e == 0)
		cl = ENV_OK;
	long r = callv(SYS_env_destroy, controlled_bad(cl) ? F_FAIL : 0, 0, e);
	if (r == 0 && alive(e)) /* "ends envid" */
		violate(&ring->call[ring->ncalls % KF_RING_N], 1);
	if (r == 0 && cl == ENV_OK)
		bury((envid_t)e);
}

static void gen_env_set_status(void)
{
	int cl;
	long e = pick_env(&cl, 50);
	long st = permille(900) ? (long)(1 + below(2)) : (long)rnd();
	if (is_self(e) && st == EXO_ENV_NOT_RUNNABLE)
		st = EXO_ENV_RUNNABLE; /* stopping ourselves would end the worker silently */
	int f = controlled_bad(cl) || (st != 1 && st != 2);
	callv(SYS_env_set_status, f ? F_FAIL : 0, 0, e, st);
}

/* rand_reg_addr: a random code or stack address for a child's registers. */
static uint64_t rand_reg_addr(void)
{
	switch (below(5)) {
	case 0: return (uint64_t)kf_echo;
	case 1: return KF_ECHO_PAGE + PAGE_SIZE;
	case 2: return pick_va();
	case 3: return (uint64_t)&gen_exofork;
	default: return rnd();
	}
}

static void gen_env_set_regs(void)
{
	int cl;
	long e = pick_env(&cl, 30);
	uint64_t *w = (uint64_t *)&regsbuf;
	for (size_t i = 0; i < sizeof regsbuf / 8; i++)
		w[i] = rnd();
	regsbuf.rip = rand_reg_addr();
	regsbuf.rsp = rand_reg_addr();
	long p = permille(900) ? (long)&regsbuf : (long)pick_va();
	callv(SYS_env_set_regs, (controlled_bad(cl) || is_self(e)) ? F_FAIL : 0, 0, e, p);
}

static void gen_env_set_upcall(void)
{
	int cl;
	long e = pick_env(&cl, 100), kind = permille(900) ? (long)below(2) : (long)rnd();
	long entry = (long)(below(2) ? rand_reg_addr() : 0);
	long xs = (long)(below(2) ? UXSTACKTOP : rand_reg_addr());
	int f = controlled_bad(cl) || (kind != 0 && kind != 1);
	callv(SYS_env_set_upcall, f ? F_FAIL : 0, 0, e, kind, entry, xs);
}

static void gen_env_set_quota(void)
{
	int cl;
	long e = pick_env(&cl, 50);
	uint64_t mine = exo_envs[EXO_ENVX(ws.self)].frame_quota;
	long fr, sl = permille(900) ? (long)below(9) : (long)rnd();
	switch (below(5)) {
	case 0: fr = (long)mine; break;
	case 1: fr = alive(e) ? (long)(exo_envs[EXO_ENVX(e)].nframes + below(64)) : (long)below(100); break;
	case 2: fr = (long)below(200); break;
	case 3: fr = -1; break;
	default: fr = (long)rnd(); break;
	}
	if (is_self(e) && permille(900))
		fr = (long)mine; /* lowering our own quota for good: rarely */
	int f = controlled_bad(cl) || fr < 0 || sl < 0 || (uint64_t)fr > mine;
	callv(SYS_env_set_quota, f ? F_FAIL : 0, 0, e, fr, sl);
}

static void gen_ipc_send(void)
{
	int cl = ENV_OK, bad;
	long e = (ws.necho && below(2)) ? ws.echo[below((uint64_t)ws.necho)] : pick_env(&cl, 30);
	long sva = below(2) ? -1 : (long)pick_va(), perm = pick_perm(&bad);
	int f = cl == ENV_BOGUS || e == 0;
	callv(SYS_ipc_send, f ? F_FAIL : 0, 0, e, (long)rnd(), (long)rnd(), (long)rnd(), sva, perm);
}

/* gen_ipc_recv: receive without blocking for ever: either a wake note we leave
 * ourselves first, or the reply of an ws.echo child we have just sent to. */
static void gen_ipc_recv(void)
{
	long dst = below(2) ? -1 : (long)pick_va();
	envid_t e = ws.necho ? ws.echo[below((uint64_t)ws.necho)] : 0;
	if (e && alive(e) && (exo_envs[EXO_ENVX(e)].flags & EXO_ENVF_IPC_RECV) && below(2)) {
		int bad;
		long sva = below(2) ? -1 : (long)scr_page(), perm = pick_perm(&bad) & ~(long)PTE_W;
		if (callv(SYS_ipc_send, 0, 0, e, 1, 2, 3, sva, perm) == 0)
			callv(SYS_ipc_recv, 0, 0, dst);
		return;
	}
	if (callv(SYS_env_wake, F_EXACT, 0, ws.self) == 0)
		callv(SYS_ipc_recv, 0, 0, dst);
}

/* make_echo: a child that runs kf_echo (its code page is ours, read-only). */
static void make_echo(void)
{
	if (ws.necho >= MAXECHO || ws.nkids >= ws.kidcap)
		return;
	long c = callv(SYS_exofork, 0, 0, 0);
	if (c == 0)
		sys_env_exit(0);
	if (c < 0)
		return;
	add_kid((envid_t)c);
	callv(SYS_page_alloc, 0, 0, c, KF_ECHO_PAGE, PTE_W | PTE_NX);
	callv(SYS_page_map, 0, 0, 0, (long)kf_echo, c, (long)kf_echo, 0);
	for (size_t i = 0; i < sizeof regsbuf / 8; i++)
		((uint64_t *)&regsbuf)[i] = 0;
	regsbuf.rip = (uint64_t)kf_echo;
	regsbuf.rsp = KF_ECHO_PAGE + PAGE_SIZE;
	callv(SYS_env_set_regs, 0, 0, c, (long)&regsbuf);
	if (callv(SYS_env_set_status, 0, 0, c, EXO_ENV_RUNNABLE) == 0)
		ws.echo[ws.necho++] = (envid_t)c;
}

static void gen_wake_yield_sleep(void)
{
	int cl;
	long e = pick_env(&cl, 200);
	switch (below(3)) {
	case 0:
		callv(SYS_env_wake, (cl == ENV_BOGUS || e == 0) ? F_FAIL : 0, 0, e);
		break;
	case 1:
		callv(SYS_yield, (cl == ENV_BOGUS && e != 0) ? F_FAIL : 0, 0, e);
		break;
	default: {
		uint64_t now = kf_rdtsc(), d = below(2) ? now + below(exo_info->tsc_hz / 2000 + 1)
							   : (below(2) ? 0 : now - below(now + 1));
		callv(SYS_sleep_until, F_EXACT, 0, (long)d);
	}
	}
}

static void gen_slots(void)
{
	long n = exo_slots->nslots, s = permille(800) ? (long)below((uint64_t)n + 2) - 1 : (long)rnd();
	if (below(2))
		callv(SYS_slot_alloc, (s < -1 || s >= n) ? F_FAIL : 0, 0, s);
	else
		callv(SYS_slot_free, (s < 0 || s >= n) ? F_FAIL : 0, 0, s);
}

static void gen_power(void)
{
	int cl;
	if (below(2))
		callv(SYS_power_off, F_EXACT, -E_PERM, (long)rnd());
	else
		callv(SYS_power_delegate, F_EXACT, -E_PERM, pick_env(&cl, 100));
}

/* gen_console: calls that must fail or do nothing (no noise on the log, no wait). */
static void gen_console(void)
{
	static const uint64_t bad[5] = { 0, 1, UEXPORT, KERNBASE, 1UL << 47 };
	long buf = (long)bad[below(5)], len = below(2) ? (long)(1 + below(4096)) : -(long)below(3);
	switch (below(3)) {
	case 0:
		callv(SYS_cons_write, len > 0 || len < 0 ? F_FAIL : F_EXACT, 0, buf, len);
		break;
	case 1:
		callv(SYS_cons_read, F_FAIL, 0, buf, len);
		break;
	default:
		callv(SYS_cons_write, F_EXACT, 0, (long)pick_va(), 0);
	}
}

static void gen_misc(void)
{
	switch (below(4)) {
	case 0:
		callv(SYS_env_id, F_EXACT, ws.self, 0);
		break;
	case 1: {
		long nr = below(2) ? SYS_COUNT + (long)below(8) : (long)rnd();
		if (nr >= 0 && nr < SYS_COUNT)
			nr = -nr - 1;
		callv(nr, F_EXACT, -E_NOSYS, (long)rnd(), (long)rnd(), (long)rnd());
		break;
	}
	case 2:
		make_echo();
		break;
	default:
		if (permille(1))
			callv(SYS_env_exit, 0, 0, (long)below(256));
		else
			callv(SYS_env_id, F_EXACT, ws.self, 0);
	}
}

/* The generators and their weights. */
static const struct {
	void (*fn)(void);
	int weight;
} gens[] = {
	{ gen_page_alloc, 14 }, { gen_page_map, 10 }, { gen_page_copy, 4 }, { gen_page_unmap, 8 }, { gen_page_protect, 7 },
	{ gen_pt_drop, 2 },
	{ gen_pte_batch, 7 }, { gen_protect_range, 5 }, { gen_pt_share, 5 }, { gen_pt_share_range, 3 }, { gen_pt_unshare, 5 },
	{ gen_large_alloc, 3 }, { gen_large_split, 3 },
	{ gen_pte_copy_range, 5 }, { gen_exofork, 3 }, { gen_env_destroy, 2 },
	{ gen_env_set_status, 3 }, { gen_env_set_regs, 2 }, { gen_env_set_upcall, 2 },
	{ gen_env_set_quota, 2 }, { gen_ipc_send, 4 }, { gen_ipc_recv, 3 },
	{ gen_wake_yield_sleep, 3 }, { gen_slots, 2 }, { gen_power, 1 }, { gen_console, 2 },
	{ gen_misc, 3 },
};
#define NGENS ((int)(sizeof gens / sizeof gens[0]))

/* one_call: pick a generator by weight and run it. */
static void one_call(void)
{
	static int total;
	if (!total)
		for (int i = 0; i < NGENS; i++)
			total += gens[i].weight;
	int r = (int)below((uint64_t)total);
	ws.high_pick = 0;
	for (int i = 0; i < NGENS; i++) {
		if (r < gens[i].weight) {
			gens[i].fn();
			return;
		}
		r -= gens[i].weight;
	}
}

/* ---- setup per mode ----------------------------------------------------------------- */

/* setup_mapcount: one frame at KF_MC mapped KF_MC_MAPS more times after it, with
 * pte_batch from the ops area (needs all KF_OPS_PAGES pages). */
static void setup_mapcount(void)
{
	struct exo_pte_op *ops = (struct exo_pte_op *)KF_OPS;
	if (callv(SYS_page_alloc, 0, 0, 0, KF_MC, PTE_W | PTE_NX) < 0)
		return;
	for (uint64_t done = 0; done < KF_MC_MAPS;) {
		uint64_t n = KF_MC_MAPS - done < EXO_PTE_BATCH_MAX ? KF_MC_MAPS - done : EXO_PTE_BATCH_MAX;
		for (uint64_t i = 0; i < n; i++)
			ops[i] = (struct exo_pte_op){ EXO_PTE_MAP, 0, KF_MC + (done + i + 1) * PAGE_SIZE, KF_MC,
						      PTE_NX };
		if (callv(SYS_pte_batch, 0, 0, 0, KF_OPS, (long)n) < 0)
			return;
		done += n;
	}
}

/* setup: the ops area, then what the mode asks for. */
static void setup(void)
{
	int pages = ws.job->mode == KF_MAPCOUNT ? KF_OPS_PAGES : 2;
	for (int i = 0; i < pages; i++)
		callv(SYS_page_alloc, 0, 0, 0, (long)(KF_OPS + i * PAGE_SIZE), PTE_W | PTE_NX);
	ws.kidcap = ws.job->mode == KF_MANYENV ? MAXKIDS : 24;
	if (ws.job->mode == KF_MAPCOUNT)
		setup_mapcount();
	if (ws.job->mode == KF_MANYENV)
		for (int i = 0; i < 300; i++)
			gen_exofork();
}

/* check_summaries: note in the ring the first time our own page tables hold an
 * entry their present-entry summary does not mark (invariant 6, kfuzz.c). */
static void check_summaries(void)
{
	uint64_t missed = ptsum_missed();
	if (missed && !ring->missed) {
		ring->missed_at = ring->ncalls;
		ring->missed = missed;
	}
}

void kf_worker_main(const struct kf_job *j)
{
	ws.magic = ws.magic_end = WSTATE_MAGIC;
	ws.job = j;
	ws.rng = j->seed ? j->seed : 1;
	ws.self = (envid_t)sys_env_id();
	setup();
	for (unsigned n = 1; ring->ncalls < ws.job->calls; n++) {
		one_call();
		if (!(n % 32))
			check_summaries();
	}
	check_summaries();
	ring->done = 1;
	sys_env_exit(0);
	for (;;)
		;
}
