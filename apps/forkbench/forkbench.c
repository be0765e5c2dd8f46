/*
 * forkbench: fork latency by strategy and parent size. (Builds on Linux with glibc
 * too: the exokernel-only parts are under __exo__ checks.)
 * Prints "forkbench,<system>,<strategy>,<size_mib>,<op>,<ticks>" lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifndef __linux__
#include "libos.h"
#endif

static inline uint64_t ticks(void)
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

#define RUNS 9

/* Median ticks of one fork+exit+wait. */
static uint64_t fork_exit_wait(void)
{
	uint64_t t[RUNS];
	for (int r = 0; r < RUNS; r++) {
		uint64_t t0 = ticks();
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c) {
			perror("fork/wait");
			exit(1);
		}
		t[r] = ticks() - t0;
	}
	qsort(t, RUNS, sizeof t[0], cmp_u64);
	return t[RUNS / 2];
}

int main(void)
{
#ifdef __linux__
	const char *sys = "linux";
#else
	const char *sys = "exo";
	uint64_t s0 = 0, s1 = 0, u0 = exo_counters->upcalls[0];
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		s0 += exo_counters->syscalls[i];
#endif
	uint64_t t = fork_exit_wait();
	printf("forkbench,%s,cow,0,fork_exit_wait,%lu\n", sys, (unsigned long)t);
#ifndef __linux__
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		s1 += exo_counters->syscalls[i];
	printf("forkbench: per fork+exit+wait: %lu syscalls, %lu upcalls (both processes)\n",
	       (unsigned long)((s1 - s0) / RUNS), (unsigned long)((exo_counters->upcalls[0] - u0) / RUNS));
	for (int i = 0; i < SYS_COUNT; i++)
		if (exo_counters->syscalls[i])
			printf("  syscall %d: %lu calls, %lu ticks\n", i, (unsigned long)exo_counters->syscalls[i],
			       (unsigned long)exo_counters->syscall_tsc[i]);
#endif
	return 0;
}
