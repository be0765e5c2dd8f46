/* kfuzz: a seeded system-call fuzzer for the kernel. Shared between the supervisor
 * (kfuzz.c), which runs workers one after another and checks the kernel's exported
 * state after each, and the worker (worker.c), which makes random raw calls.
 * See docs/design.md ("Testing: the kernel fuzzer"). */
#ifndef KFUZZ_H
#define KFUZZ_H
#include <stddef.h>
#include <stdint.h>
#include "libos.h"
#include "vpt.h"
#include "../ptsum_check.h"

/* Worker address space (all below UMODULES; the supervisor keeps nothing there). */
#define KF_RING     0x0F000000UL   /* the call ring, the supervisor's 4 pages, shared */
#define KF_RING_PAGES 4
#define KF_SCR      0x10000000UL   /* scratch: KF_SCR_REGIONS 2 MiB regions */
#define KF_SCR_REGIONS 4
#define KF_OPS      0x20000000UL   /* pte_batch operations: KF_OPS_PAGES pages */
#define KF_OPS_PAGES 32
#define KF_MC       0x40000000UL   /* map-count mode: one frame mapped KF_MC_MAPS times */
#define KF_MC_MAPS  61000UL
#define KF_ECHO_PAGE 0x30000000UL  /* echo children: a page of their own (in the child) */
#define KF_ECHO_DST 0x30001000UL   /* echo children: where grants arrive (in the child) */
#define KF_FAR      0x8000000000UL /* pte_batch targets a table or directory apart */
#define KF_HOG      0x100000000UL  /* near-OOM mode: the hog environment's frames */

/* Modes. */
enum kf_mode { KF_NORMAL, KF_OOM, KF_QUOTA, KF_MAPCOUNT, KF_MANYENV, KF_NMODES };

/* The last KF_RING_N calls of the running worker, in the page at KF_RING, which the
 * supervisor maps into the worker (same frame): it survives the worker. */
#define KF_RING_N 32
/* Per-call rules (worker.c): must refuse, only one allowed result, quota kept,
 * must refuse when an id argument is a real id with bits above bit 31 set, the
 * caller's own exported entry right after the call. */
#define KF_NRULES 5
#define KF_PENDING ((long)0x8000000000000000UL) /* result not yet back */
struct kf_call {
	uint64_t seq;    /* call number in this worker, from 1 */
	long nr;         /* system-call number (may be out of range on purpose) */
	long a[6];
	long result;     /* KF_PENDING while the call runs */
};
struct kf_ring {
	uint64_t ncalls;     /* calls made so far */
	int32_t wself, wsup; /* the worker's and the supervisor's ids, set by the supervisor
			      * (safe from the worker's own data pages, which it may replace) */
	uint32_t done;       /* 1: the worker made all its calls */
	uint32_t violation;  /* calls whose result broke a rule (why: the first one's) */
	struct kf_call viol; /* the first call that did */
	char why[104];
	uint32_t viol_count[KF_NRULES][32]; /* broken rules by rule and call number */
	struct kf_call viol_first[KF_NRULES][32]; /* the first call of each */
	struct kf_call call[KF_RING_N];
	uint64_t missed;     /* entries of the worker's own tables their summaries did not mark */
	uint64_t missed_at;  /* (ptsum_check.h, every 32 calls and at the end): the first count, and after which call */
};
_Static_assert(sizeof(struct kf_ring) <= 4 * 4096, "the ring is four pages");

/* What the supervisor tells a worker (copied into it at spawn). */
struct kf_job {
	uint64_t seed;       /* the worker's own PRNG seed */
	uint64_t index;      /* worker index */
	uint64_t calls;      /* calls to make */
	int mode;
	int trace;           /* replay: print every call */
	envid_t sup, hog;    /* environments the worker must not control */
};

/* kf_worker_main: the worker's whole life (worker.c): setup for its mode, then
 * job->calls random calls, then env_exit(0). Never returns. */
void kf_worker_main(const struct kf_job *job) __attribute__((noreturn));

/* kf_mix: a 64-bit mixer (splitmix64's finaliser); the worker seed is
 * kf_mix(seed ^ kf_mix(index + 1)). Returns the mixed value. */
static inline uint64_t kf_mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ULL;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
	return x ^ (x >> 31);
}

/* kf_rdtsc: the time-stamp counter. */
static inline uint64_t kf_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* kf_callname: the name of system call nr ("nosys" when out of range). */
const char *kf_callname(long nr);

/* kf_fmt_call: write "name(a0, a1, ...) = result" for c into buf (size n, at least
 * 200), NUL-terminated, with no newline. Returns the length. No allocation (safe in
 * a worker whose heap may be gone). */
int kf_fmt_call(char *buf, int n, const struct kf_call *c);

/* kf_rule_name: what per-call rule r says. */
const char *kf_rule_name(int r);

/* kf_mode_name: "normal", "oom", "quota", "mapcount", "manyenv". */
const char *kf_mode_name(int mode);

#endif
