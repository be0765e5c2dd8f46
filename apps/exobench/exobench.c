/*
 * exobench: microbenchmarks of the kernel's exports, in TSC ticks. Under QEMU with
 * -icount shift=0,sleep=off the TSC advances one tick per guest instruction, so each
 * figure is an exact instruction count (`make bench-micro`). Measured:
 *   null syscall round trip (env_id), a 512-entry pte_batch (per entry), page-fault
 *   upcall round trip (fault, handler, resume), directed-yield ping-pong between two
 *   environments (per round trip), IPC round trip (send + receive both ways),
 *   and the process layer: fork+exit+wait (copy-on-write) and fork+exec+exit+wait
 *   of /bin/true.
 * Each figure is the median of 7 runs of N iterations, divided by N.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "libos.h"
#include "vpt.h"

#define RUNS 7
#define BATCH_VA 0x30000000UL

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* median over RUNS runs of fn(n), in ticks per iteration */
static uint64_t measure(void (*fn)(int), int n)
{
	uint64_t t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = tsc();
		fn(n);
		t[r] = tsc() - t0;
	}
	qsort(t, RUNS, sizeof t[0], cmp_u64);
	return t[RUNS / 2] / (uint64_t)n;
}

static void null_syscall(int n)
{
	for (int i = 0; i < n; i++)
		sys_env_id();
}

static struct exo_pte_op ops[512];
static void pte_batch_512(int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < 512; k++)
			ops[k].perm = (i & 1) ? (PTE_W | PTE_NX) : PTE_NX;
		if (sys_pte_batch(0, (long)ops, 512) != 512)
			abort();
	}
}

/* The handler makes the faulting load retry on a good address. */
static uint64_t good_word = 42;
static int retarget(struct exo_utf *utf)
{
	if (utf->fault_va != 8)
		return 1; /* not ours: copy-on-write and the like go to the libOS */
	utf->rax = (uint64_t)&good_word;
	return 0;
}

static void fault_round_trip(int n)
{
	for (int i = 0; i < n; i++) {
		uint64_t v;
		/* rax is set inside the asm: the handler changes it for the retry only */
		__asm__ volatile("movq $8, %%rax\n movq (%%rax), %0" : "=r"(v) : : "rax", "memory");
		if (v != 42)
			abort();
	}
}

static envid_t peer;
static void yield_ping_pong(int n)
{
	for (int i = 0; i < n; i++)
		sys_yield(peer);
}

static struct exo_ipc_msg msg;
static void ipc_round_trip(int n)
{
	for (int i = 0; i < n; i++) {
		while (sys_ipc_send(peer, i, 0, 0, -1, 0) == -E_NORECV)
			sys_yield(peer);
		do /* skip kernel notes (the yield partner's death) */
			sys_ipc_recv(-1, (long)&msg);
		while (msg.from != peer);
	}
}

/* ipc_call_round_trip: the same with ipc_call on both sides: the request and the
 * wait for the answer in one call, the CPU handed straight to the other side. */
static void ipc_call_round_trip(int n)
{
	for (int i = 0; i < n; i++) {
		long r;
		while ((r = sys_ipc_call(peer, i, 0, 0, (long)&msg)) == -E_NORECV)
			sys_yield(peer);
		while (r == 0 && msg.from != peer) /* skip kernel notes */
			r = sys_ipc_recv(-1, (long)&msg);
	}
}

static void fork_exit_wait(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c)
			abort();
	}
}

static void fork_exec_wait(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		if (c < 0 || waitpid(c, &st, 0) != c || st != 0)
			abort();
	}
}

int main(void)
{
	printf("exobench: TSC %lu Hz; figures are ticks per operation (instructions under -icount)\n",
	       (unsigned long)exo_info->tsc_hz);
	printf("bench null_syscall %lu\n", (unsigned long)measure(null_syscall, 1000));

	for (int k = 0; k < 512; k++) {
		ops[k] = (struct exo_pte_op){ .op = EXO_PTE_PROTECT, .va = BATCH_VA + k * 4096UL };
		if (sys_page_alloc(0, (long)ops[k].va, PTE_W | PTE_NX) < 0)
			abort();
	}
	printf("bench pte_batch_per_entry %lu\n", (unsigned long)(measure(pte_batch_512, 20) / 512));

	libos_set_trap_handler(14, retarget);
	printf("bench pagefault_upcall_round_trip %lu\n", (unsigned long)measure(fault_round_trip, 200));

	envid_t self = (envid_t)sys_env_id();
	int child = libos_spawn_copy();
	if (child == 0) {
		for (;;) /* partner for the yield ping-pong */
			sys_yield(self);
	}
	peer = child;
	printf("bench yield_ping_pong_round_trip %lu\n", (unsigned long)measure(yield_ping_pong, 500));
	sys_env_destroy(child);

	child = libos_spawn_copy();
	if (child == 0) {
		for (;;) { /* partner for the IPC round trip: echo every message */
			sys_ipc_recv(-1, (long)&msg);
			while (sys_ipc_send(self, msg.w[0], 0, 0, -1, 0) == -E_NORECV)
				sys_yield(self);
		}
	}
	peer = child;
	printf("bench ipc_round_trip %lu\n", (unsigned long)measure(ipc_round_trip, 300));
	sys_env_destroy(child);

	child = libos_spawn_copy();
	if (child == 0) { /* partner: answer each request and wait for the next, in one call */
		sys_ipc_recv(-1, (long)&msg);
		for (;;) {
			envid_t from = msg.from;
			while (sys_ipc_call(from, msg.w[0], 0, 0, (long)&msg) == -E_NORECV)
				sys_yield(from);
		}
	}
	peer = child;
	printf("bench ipc_call_round_trip %lu\n", (unsigned long)measure(ipc_call_round_trip, 300));
	sys_env_destroy(child);
	printf("bench fork_exit_wait %lu\n", (unsigned long)measure(fork_exit_wait, 20));
	printf("bench fork_exec_wait %lu\n", (unsigned long)measure(fork_exec_wait, 5));
	printf("exobench: done\n");
	return 0;
}
