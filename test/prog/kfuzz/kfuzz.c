/* kfuzz: the kernel system-call fuzzer's supervisor (the boot environment).
 *
 *   kfuzz SEED WORKERS CALLS [MODE]   run WORKERS workers of CALLS calls each
 *   kfuzz replay SEED WORKER CALLS MODE  rerun one worker alone, tracing every call
 *
 * Workers run one after another, each an exofork child with a private copy of our
 * program (worker.c) and the ring pages at KF_RING shared with us. Without MODE the
 * workers are split into KF_NMODES equal blocks, one mode each (normal, oom, quota,
 * mapcount, manyenv). After each worker has ended (or stalled: no call for 1 s) and
 * everything it left is destroyed, the kernel's exported state must show:
 *   1 the free-frame count of before the worker;
 *   2 no frame owned by an id that is not a live environment;
 *   3 no free frame with a mapping count;
 *   4 for every live environment (the worker's orphans, checked before they are
 *     destroyed, then ourselves and the hog), nframes = frames whose owner is its id
 *     (page tables included: they are owned by the environment charged for them);
 *   5 our own text and canary page unchanged, our nframes unchanged;
 *   6 every non-zero entry of the worker's own page tables marked in its table's
 *     present-entry summary (the worker checks every 32 calls and at its end);
 * and the worker must not have broken a per-call rule (worker.c) nor stalled.
 * Ends with "kfuzz: all N checks passed" (status 0) or "kfuzz: F of N checks
 * failed" (status 1); each failure prints the worker's last calls and how to
 * replay it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kfuzz.h"

#define KF_CANARY 0x0E000000UL  /* one page of ours with known contents */
#define NINV 9                  /* checks per worker: rule, stall, invariants 1-6, orphans */
#define OOM_LEFT 300            /* near-OOM mode: frames left free for the worker */
#define MAX_REPORTS 6           /* workers whose last calls are printed */

static const char *const inv_name[NINV] = {
	"per-call rule", "stalled worker", "1 free frames back", "2 owners are live",
	"3 free frames unmapped", "4 nframes = owned frames", "5 supervisor intact",
	"4 nframes = owned frames (orphans)", "6 summaries mark the worker's entries",
};
enum { C_RULE, C_STALL, C_FREE, C_OWNER, C_FREEMAP, C_NFRAMES, C_SELF, C_ORPHAN, C_SUMMARY };

struct mode_stats {
	uint64_t workers, calls, early, stalled, rescued, passed, failed;
};

static struct kf_job cur_job;
static struct kf_ring *const ring = (struct kf_ring *)KF_RING;
static envid_t me, hog;
static uint64_t seed, spawn_cost, reports, text_sum0, canary_sum0, nframes0;
static uint64_t inv_fail[NINV];
static struct mode_stats stats[KF_NMODES];
static uint32_t owned[EXO_NENV];
/* Broken per-call rules over the run: count, workers, the first call and worker. */
static struct {
	uint64_t count, workers, worker;
	struct kf_call first;
} rules[KF_NRULES][32];
extern char __preinit_array_start[];

/* ---- small helpers ---------------------------------------------------------------- */

/* alive: true when id is a live environment. */
static int alive(envid_t id)
{
	return id > 0 && exo_envs[EXO_ENVX(id)].id == id;
}

/* sum_range: FNV-1a of the 8-byte words in [lo, hi). Returns the digest. */
static uint64_t sum_range(uint64_t lo, uint64_t hi)
{
	uint64_t h = 14695981039346656037ULL;
	for (const volatile uint64_t *p = (const volatile uint64_t *)lo; (uint64_t)p < hi; p++) {
		h ^= *p;
		h *= 1099511628211ULL;
	}
	return h;
}

/* text_sum: digest of our text and read-only data. */
static uint64_t text_sum(void)
{
	return sum_range(UTEXT, (uint64_t)__preinit_array_start & ~(PAGE_SIZE - 1));
}

/* must: stop the whole run when a set-up call of ours fails (not a finding). */
static void must(long r, const char *what)
{
	if (r < 0) {
		printf("kfuzz: set-up failed: %s: %s\n", what, exo_strerror(r));
		exit(2);
	}
}

/* grow_stack: touch 64 KiB of stack so workers get it (they cannot grow theirs). */
static void __attribute__((noinline)) grow_stack(void)
{
	volatile char buf[64 * 1024];
	for (size_t i = 0; i < sizeof buf; i += PAGE_SIZE)
		buf[i] = 1;
}

/* ---- spawning a worker ------------------------------------------------------------- */

struct copy_arg {
	envid_t child;
	long err;
};

/* copy_one: give the worker a private copy of our page at va, except what it must
 * not have: the ring (shared instead), our canary, boot modules and the libOS's
 * shared regions (everything from UMODULES up to the stack). */
static void copy_one(uint64_t va, uint64_t pte, void *arg)
{
	struct copy_arg *ca = arg;
	if (ca->err || (va >= KF_RING && va < KF_RING + KF_RING_PAGES * PAGE_SIZE) || va == KF_CANARY || (va >= UMODULES && va < UXSTACKTOP))
		return;
	ca->err = libos_copy_page(ca->child, va, pte);
}

/* spawn: make the worker for cur_job (not yet runnable): our pages, the shared
 * ring, no upcall handlers (a fault ends it). Returns its id. */
static envid_t spawn(void)
{
	static struct exo_regs regs;
	if (libos_save_context(&regs))
		kf_worker_main(&cur_job); /* in the worker */
	long c = sys_exofork();
	must(c, "exofork");
	struct copy_arg ca = { (envid_t)c, 0 };
	libos_vpt_each(copy_one, &ca);
	must(ca.err, "copy pages");
	for (uint64_t p = KF_RING; p < KF_RING + KF_RING_PAGES * PAGE_SIZE; p += PAGE_SIZE)
		must(sys_page_map(0, (long)p, c, (long)p, PTE_W | PTE_NX), "share the ring");
	must(sys_env_set_upcall(c, EXO_UPCALL_EXCEPTION, 0, UXSTACKTOP), "upcall");
	must(sys_env_set_upcall(c, EXO_UPCALL_SLOT, 0, UXSTACKTOP), "upcall");
	must(sys_env_set_regs(c, (long)&regs), "set_regs");
	return (envid_t)c;
}

/* ---- modes ------------------------------------------------------------------------- */

/* hog_fill: near-OOM mode: a child of ours that never runs takes frames until only
 * OOM_LEFT plus what a worker's spawn needs are free. */
static void hog_fill(void)
{
	long h = sys_exofork();
	must(h, "exofork the hog");
	hog = (envid_t)h;
	uint64_t want = OOM_LEFT + spawn_cost;
	for (uint64_t va = KF_HOG; exo_info->free_frames > want; va += PAGE_SIZE)
		must(sys_page_alloc(h, (long)va, 0), "hog page_alloc");
}

/* hog_free: give the hog's frames back. */
static void hog_free(void)
{
	if (hog)
		must(sys_env_destroy(hog), "destroy the hog");
	hog = 0;
}

/* ---- after a worker ---------------------------------------------------------------- */

/* fail: count a failed check c of the current worker; print detail for the first
 * few of each kind. Returns 1 (for "this worker failed"). */
static int fail(int c, const char *detail)
{
	if (inv_fail[c]++ < 3)
		printf("kfuzz: FAIL seed %lu worker %lu (%s): check %s: %s\n", seed, cur_job.index,
		       kf_mode_name(cur_job.mode), inv_name[c], detail);
	return 1;
}

/* count_owned: owned[x] = frames whose owner is the live environment in slot x;
 * fails check 3 on the way, and check 2 when `all_gone` (while the worker's orphans
 * live, frames of the dead worker they still map legitimately keep its id, see
 * docs/abi.md 3.10). Returns the number of failed checks. */
static int count_owned(int all_gone)
{
	int bad2 = 0, bad3 = 0;
	char d[128];
	memset(owned, 0, sizeof owned);
	for (uint64_t i = 0; i < exo_info->nframes; i++) {
		int32_t o = exo_frames[i].owner;
		uint16_t m = exo_frames[i].maps;
		if (o == 0 && m && !bad3++) {
			snprintf(d, sizeof d, "frame %#lx is free with maps %u", i, m);
			fail(C_FREEMAP, d);
		}
		if (o <= 0)
			continue;
		if (alive(o))
			owned[EXO_ENVX(o)]++;
		else if (all_gone && !bad2++) {
			snprintf(d, sizeof d, "frame %#lx (maps %u) owned by %#x, not a live environment", i, m,
				 (unsigned)o);
			fail(C_OWNER, d);
		}
	}
	return (bad2 != 0) + (bad3 != 0);
}

/* check_nframes: check 4 (as check c) for every live environment that is (orphans
 * = 1) or is not (0) one the worker left. Returns 1 if it failed. */
static int check_nframes(int c, int orphans)
{
	char d[128];
	int bad = 0;
	for (int x = 1; x < EXO_NENV; x++) {
		envid_t id = exo_envs[x].id;
		if (!id || (orphans != (id != me && id != hog)))
			continue;
		if (exo_envs[x].nframes != owned[x] && !bad++) {
			snprintf(d, sizeof d, "env %#x has nframes %lu but owns %u frames", (unsigned)id,
				 exo_envs[x].nframes, owned[x]);
			fail(c, d);
		}
	}
	return bad != 0;
}

/* stop_orphans: make every environment but us and the hog not runnable (so the
 * frame table holds still). Returns how many there are. */
static int stop_orphans(void)
{
	int n = 0;
	for (int x = 1; x < EXO_NENV; x++) {
		envid_t id = exo_envs[x].id;
		if (id && id != me && id != hog) {
			sys_env_set_status(id, EXO_ENV_NOT_RUNNABLE);
			n++;
		}
	}
	return n;
}

/* destroy_orphans: destroy every environment but us and the hog (their children
 * come back to us: loop until none is left). */
static void destroy_orphans(void)
{
	for (int again = 1; again;) {
		again = 0;
		for (int x = 1; x < EXO_NENV; x++) {
			envid_t id = exo_envs[x].id;
			if (id && id != me && id != hog) {
				must(sys_env_destroy(id), "destroy an orphan");
				again = 1;
			}
		}
	}
}

/* wait_worker: let the worker run until it is gone, or until it has made no call
 * for 1 s (then destroy it). A worker blocked in ipc_recv for that long is waiting
 * for an echo child it broke itself (stopped it, moved its registers or upcall,
 * unmapped its pages): it is woken once (env_wake, counted in *rescued) and must
 * then go on. Returns 1 if it stalled. */
static int wait_worker(envid_t w, uint64_t *rescued)
{
	uint64_t last = ring->ncalls, t0 = kf_rdtsc(), limit = exo_info->tsc_hz;
	int woken = 0;
	while (alive(w)) {
		sys_yield(0);
		if (ring->ncalls != last) {
			last = ring->ncalls;
			t0 = kf_rdtsc();
			woken = 0;
		} else if (kf_rdtsc() - t0 > limit) {
			if (!woken && (exo_envs[EXO_ENVX(w)].flags & EXO_ENVF_IPC_RECV)) {
				sys_env_wake(w);
				(*rescued)++;
				woken = 1;
				t0 = kf_rdtsc();
				continue;
			}
			sys_env_destroy(w);
			return 1;
		}
	}
	return 0;
}

/* print_ring: the worker's last calls, oldest first. */
static void print_ring(void)
{
	char line[256];
	uint64_t n = ring->ncalls, from = n > KF_RING_N ? n - KF_RING_N + 1 : 1;
	printf("kfuzz:   replay: kfuzz replay %lu %lu %lu %s\n", seed, cur_job.index, cur_job.calls,
	       kf_mode_name(cur_job.mode));
	printf("kfuzz:   last %lu calls of worker %lu:\n", n - from + 1, cur_job.index);
	for (uint64_t s = from; s <= n; s++) {
		const struct kf_call *c = &ring->call[s % KF_RING_N];
		if (c->seq != s)
			continue;
		kf_fmt_call(line, sizeof line, c);
		printf("kfuzz:   %s%s\n", line, ring->violation && ring->viol.seq == s ? "   <-- broke a rule" : "");
	}
}

/* check_worker: the checks after worker w ended (stalled: it did not), counted
 * in st. Returns the number of failed checks. */
static int check_worker(struct mode_stats *st, uint64_t free0, int stalled)
{
	char d[400];
	int failed = 0;
	if (ring->violation) {
		char line[200];
		kf_fmt_call(line, sizeof line, &ring->viol);
		snprintf(d, sizeof d, "%u calls; the first %s: %s", ring->violation, ring->why, line);
		failed += fail(C_RULE, d);
	}
	if (stalled) {
		kf_fmt_call(d, sizeof d, &ring->call[ring->ncalls % KF_RING_N]);
		failed += fail(C_STALL, d);
	}
	if (ring->missed) {
		snprintf(d, sizeof d, "%lu entries of its own tables unmarked, first seen after call %lu", ring->missed,
			 ring->missed_at);
		failed += fail(C_SUMMARY, d);
	}
	stop_orphans();
	failed += count_owned(0);
	failed += check_nframes(C_ORPHAN, 1);
	destroy_orphans();
	failed += count_owned(1);
	failed += check_nframes(C_NFRAMES, 0);
	if (exo_info->free_frames != free0) {
		snprintf(d, sizeof d, "%lu free frames, %lu before the worker", exo_info->free_frames, free0);
		failed += fail(C_FREE, d);
	}
	if (text_sum() != text_sum0 || sum_range(KF_CANARY, KF_CANARY + PAGE_SIZE) != canary_sum0 ||
	    exo_envs[EXO_ENVX(me)].nframes != nframes0) {
		snprintf(d, sizeof d, "nframes %lu (was %lu), text or canary changed: %d", exo_envs[EXO_ENVX(me)].nframes,
			 nframes0, text_sum() != text_sum0 || sum_range(KF_CANARY, KF_CANARY + PAGE_SIZE) != canary_sum0);
		failed += fail(C_SELF, d);
	}
	st->failed += (uint64_t)failed;
	st->passed += (uint64_t)(NINV - failed > 0 ? NINV - failed : 0);
	return failed;
}

/* merge_rules: add the worker's broken per-call rules to the run's. */
static void merge_rules(void)
{
	for (int r = 0; r < KF_NRULES; r++)
		for (int nr = 0; nr < 32; nr++) {
			if (!ring->viol_count[r][nr])
				continue;
			if (!rules[r][nr].workers++) {
				rules[r][nr].first = ring->viol_first[r][nr];
				rules[r][nr].worker = cur_job.index;
			}
			rules[r][nr].count += ring->viol_count[r][nr];
		}
}

/* print_rules: one line per (rule, call) broken during the run. */
static void print_rules(void)
{
	char line[256];
	for (int r = 0; r < KF_NRULES; r++)
		for (int nr = 0; nr < 32; nr++) {
			if (!rules[r][nr].count)
				continue;
			kf_fmt_call(line, sizeof line, &rules[r][nr].first);
			printf("kfuzz: %s %s %lu times in %lu workers, first in worker %lu: %s\n",
			       kf_callname(rules[r][nr].first.nr), kf_rule_name(r), rules[r][nr].count,
			       rules[r][nr].workers, rules[r][nr].worker, line);
		}
}

/* run_worker: run worker `index` of the current job to its end and check what it
 * left. Returns the number of failed checks. */
static int run_worker(void)
{
	struct mode_stats *st = &stats[cur_job.mode];
	cur_job.seed = kf_mix(seed ^ kf_mix(cur_job.index + 1));
	memset(ring, 0, sizeof *ring);
	uint64_t free0 = exo_info->free_frames;
	envid_t w = spawn();
	if (cur_job.mode == KF_QUOTA)
		must(sys_env_set_quota(w, (long)(exo_envs[EXO_ENVX(w)].nframes + 8 + kf_mix(cur_job.seed) % 64), 4),
		     "worker quota");
	ring->wself = w;
	ring->wsup = me;
	if (cur_job.trace)
		printf("kfuzz: worker %lu is %#x, supervisor %#x, hog %#x\n", cur_job.index, (unsigned)w,
		       (unsigned)me, (unsigned)hog);
	fflush(stdout);
	must(sys_env_set_status(w, EXO_ENV_RUNNABLE), "start the worker");
	int stalled = wait_worker(w, &st->rescued);
	st->workers++;
	st->calls += ring->ncalls;
	if (!ring->done && !stalled && st->early++ < 3) {
		char line[256];
		kf_fmt_call(line, sizeof line, &ring->call[ring->ncalls % KF_RING_N]);
		printf("kfuzz: worker %lu (%s) ended early, last call %s\n", cur_job.index,
		       kf_mode_name(cur_job.mode), line);
	}
	st->stalled += (uint64_t)stalled;
	merge_rules();
	int failed = check_worker(st, free0, stalled);
	if (failed && reports++ < MAX_REPORTS)
		print_ring();
	return failed;
}

/* ---- main ------------------------------------------------------------------------- */

/* setup: our ring and canary pages, a grown stack, and the baselines (after a
 * worker of no calls, so that everything a worker run makes us keep exists). */
static void setup(void)
{
	me = (envid_t)sys_env_id();
	for (uint64_t p = KF_RING; p < KF_RING + KF_RING_PAGES * PAGE_SIZE; p += PAGE_SIZE)
		must(sys_page_alloc(0, (long)p, PTE_W | PTE_NX), "ring pages");
	must(sys_page_alloc(0, KF_CANARY, PTE_W | PTE_NX), "canary page");
	for (uint64_t i = 0; i < PAGE_SIZE / 8; i++)
		((uint64_t *)KF_CANARY)[i] = kf_mix(i);
	grow_stack();
	cur_job = (struct kf_job){ .sup = me, .calls = 0, .mode = KF_NORMAL, .index = ~0UL };
	uint64_t before = exo_info->free_frames;
	envid_t w = spawn();
	spawn_cost = before - exo_info->free_frames + 64; /* + page tables and ops pages */
	must(sys_env_set_status(w, EXO_ENV_RUNNABLE), "start the warm-up worker");
	uint64_t rescued = 0;
	wait_worker(w, &rescued);
	destroy_orphans();
	text_sum0 = text_sum();
	canary_sum0 = sum_range(KF_CANARY, KF_CANARY + PAGE_SIZE);
	nframes0 = exo_envs[EXO_ENVX(me)].nframes;
}

/* parse_mode: a mode name or number, or -1. */
static int parse_mode(const char *s)
{
	for (int m = 0; m < KF_NMODES; m++)
		if (!strcmp(s, kf_mode_name(m)))
			return m;
	char *e;
	long m = strtol(s, &e, 10);
	return (*e || m < 0 || m >= KF_NMODES) ? -1 : (int)m;
}

/* enter_mode: leave the previous mode's state and set up mode m's (the hog). */
static void enter_mode(int m)
{
	if (m != KF_OOM)
		hog_free();
	else if (!hog)
		hog_fill();
	cur_job.mode = m;
	cur_job.hog = hog;
}

/* report: one line per mode that ran, then the verdict. Returns the exit status. */
static int report(void)
{
	uint64_t passed = 0, failed = 0;
	for (int m = 0; m < KF_NMODES; m++) {
		struct mode_stats *s = &stats[m];
		if (!s->workers)
			continue;
		printf("kfuzz: seed %lu mode %s: %lu calls, %lu workers, %lu ended early, %lu stalled, "
		       "%lu woken from their own ipc deadlock, %lu checks passed, %lu failed\n",
		       seed, kf_mode_name(m), s->calls, s->workers, s->early, s->stalled, s->rescued, s->passed,
		       s->failed);
		passed += s->passed;
		failed += s->failed;
	}
	print_rules();
	for (int c = 0; c < NINV; c++)
		if (inv_fail[c])
			printf("kfuzz: check %s failed for %lu workers\n", inv_name[c], inv_fail[c]);
	if (failed) {
		printf("kfuzz: %lu of %lu checks failed\n", failed, failed + passed);
		return 1;
	}
	printf("kfuzz: all %lu checks passed\n", passed);
	return 0;
}

/* usage: print how to call us and exit 2. */
static void usage(void)
{
	printf("usage: kfuzz SEED WORKERS CALLS [MODE] | kfuzz replay SEED WORKER CALLS MODE\n"
	       "modes: normal oom quota mapcount manyenv\n");
	exit(2);
}

/* A kernel test: the boot environment alone, without the libOS process layer. */
const bool libos_bare = true;

int main(int argc, char **argv)
{
	int replay = argc > 1 && !strcmp(argv[1], "replay");
	char **a = argv + replay;
	if (argc - replay < 4)
		usage();
	seed = strtoul(a[1], NULL, 0);
	uint64_t n = strtoul(a[2], NULL, 0), calls = strtoul(a[3], NULL, 0);
	int fixed = argc - replay > 4 ? parse_mode(a[4]) : -1;
	if ((argc - replay > 4 && fixed < 0) || (replay && fixed < 0))
		usage();
	printf("kfuzz: seed %lu\n", seed);
	fflush(stdout);
	setup();
	uint64_t t0 = kf_rdtsc(), first = replay ? n : 0, last = replay ? n + 1 : n;
	for (uint64_t i = first; i < last; i++) {
		enter_mode(fixed >= 0 ? fixed : (int)(i * KF_NMODES / n));
		cur_job.index = i;
		cur_job.calls = calls;
		cur_job.trace = replay;
		run_worker();
		fflush(stdout);
	}
	enter_mode(KF_NORMAL);
	uint64_t ms = (kf_rdtsc() - t0) / (exo_info->tsc_hz / 1000);
	printf("kfuzz: %lu ms\n", ms);
	return report();
}
