/*
 * threaddemo: when each thread package wins. The same two workloads run on the
 * libOS's kernel-scheduled threads (one environment each) and on its user-level
 * threads (many on one environment):
 *   handoff   two threads pass a token back and forth through a mutex and two
 *             condition variables, 20,000 times: every pass is a sleep and a wake.
 *             User-level threads do it with no system call; kernel threads need
 *             the kernel for each (addr_wait/addr_wake and a switch).
 *   latency   one thread computes without pause while another wants to run every
 *             5 ms (it sleeps, then notes how late it woke). Kernel threads are
 *             preempted every time slice, so the sleeper is on time; a user-level
 *             thread is preempted only at the start of the process's own slot, once
 *             a round, so the sleeper waits behind the computing thread.
 * Usage: threaddemo   (prints a table: instructions or milliseconds per package)
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "libos.h"
#include "threads.h"

#define PASSES 20000
#define WAKEUPS 10

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t to_b = PTHREAD_COND_INITIALIZER, to_a = PTHREAD_COND_INITIALIZER;
static int turn; /* 0: a's, 1: b's */

static void *partner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	for (int i = 0; i < PASSES; i++) {
		while (turn != 1)
			pthread_cond_wait(&to_b, &m);
		turn = 0;
		pthread_cond_signal(&to_a);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

/* handoff: instructions (TSC ticks) per pass of the token. */
static uint64_t handoff(void)
{
	pthread_t t;
	turn = 0;
	pthread_create(&t, NULL, partner, NULL);
	uint64_t t0 = libos_rdtsc();
	pthread_mutex_lock(&m);
	for (int i = 0; i < PASSES; i++) {
		turn = 1;
		pthread_cond_signal(&to_b);
		while (turn != 0)
			pthread_cond_wait(&to_a, &m);
	}
	pthread_mutex_unlock(&m);
	uint64_t ticks = libos_rdtsc() - t0;
	pthread_join(t, NULL);
	return ticks / PASSES;
}

static volatile int spinning;
static void *spinner(void *arg)
{
	(void)arg;
	volatile uint64_t x = 0;
	while (spinning)
		x++;
	return NULL;
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* latency: the worst lateness (microseconds) of WAKEUPS 5 ms sleeps while
 * another thread computes. */
static uint64_t latency(void)
{
	pthread_t t;
	spinning = 1;
	pthread_create(&t, NULL, spinner, NULL);
	uint64_t worst = 0;
	for (int i = 0; i < WAKEUPS; i++) {
		uint64_t want = now_us() + 5000;
		struct timespec d = { 0, 5000000 };
		nanosleep(&d, NULL);
		uint64_t late = now_us() - want;
		if (late > worst)
			worst = late;
	}
	spinning = 0;
	pthread_join(t, NULL);
	return worst;
}

int main(void)
{
	uint64_t h[2], l[2];
	const char *names[2] = { "kernel", "user" };
	for (int p = 0; p < 2; p++) {
		if (libos_thread_package_set(libos_thread_package_named(names[p])) != 0) {
			fprintf(stderr, "threaddemo: cannot choose %s threads\n", names[p]);
			return 1;
		}
		h[p] = handoff();
		l[p] = latency();
	}
	printf("threaddemo: workload          kernel threads   user threads   better\n");
	printf("threaddemo: handoff (ticks)   %14llu   %12llu   %s\n", (unsigned long long)h[0],
	       (unsigned long long)h[1], h[1] < h[0] ? "user" : "kernel");
	printf("threaddemo: latency (us)      %14llu   %12llu   %s\n", (unsigned long long)l[0],
	       (unsigned long long)l[1], l[0] < l[1] ? "kernel" : "user");
	return 0;
}
