/*
 * forkbench: the cost of making a process, by strategy and by how much memory the
 * parent has dirtied. The same source builds on the exokernel (newlib + libOS) and
 * on Linux (glibc, static); `make bench` runs both under QEMU with -icount, where
 * the TSC counts guest instructions.
 *
 * For each strategy and parent size (0, 1, 16, 64, 256 MiB, 1 and 4 GiB of dirty
 * anonymous memory, up to MAX_SIZE_MIB; above 1 GiB neither the eager strategy nor
 * write_all, which would need twice the parent's memory and minutes of emulation):
 *   fork_exit_wait   fork, the child exits at once, the parent waits
 *   write_1/16/all   fork, the child writes 1, 16 or all pages of the heap, exits
 *                    (strategies that copy nothing up front pay here)
 *   fork_exec_wait   (0 MiB only) fork, the child execs /bin/true (Linux: /true)
 * and, once, the cost of signals (strategy "signal"):
 *   raise_handler    raise(SIGUSR1) to a handler and back
 *   kill_pingpong    SIGUSR1 to a child, whose handler sends SIGUSR1 back; the
 *                    parent waits in sigsuspend (one round trip)
 *   alarm            a 1 us ITIMER_REAL to SIGALRM's handler, waited for in
 *                    sigsuspend (the timer's resolution shows here)
 * and memory (strategy "memory"):
 *   mmap_touch_64m   mmap 64 MiB of private anonymous memory, write every page,
 *                    munmap
 *   tmpfile_16m      write a 16 MiB file in /tmp in 64 KiB blocks, read it back,
 *                    unlink it (Linux: /tmp on the initramfs, a tmpfs)
 * and threads (strategy "thread"; exo: the libOS's kernel-scheduled threads, one
 * environment each; Linux: glibc's NPTL; and on exo strategy "uthread": the same
 * with the libOS's user-level threads, many on one environment):
 *   create_join      pthread_create of a thread that returns at once, and join
 *   mutex_lock       an uncontended pthread_mutex_lock + unlock
 *   sem_pingpong     a round trip between two threads through two semaphores
 *                    (each side blocks and is woken: a contended hand-off)
 *   cond_pingpong    a round trip through a mutex and two condition variables
 *   yield_pingpong   a round trip of sched_yield between two threads
 * Strategies: exokernel eager, cow, ondemand (libOS fork strategies), vfork, spawn
 * (posix_spawn of /bin/true); Linux fork, vfork, spawn (posix_spawn of /true).
 * Prints progress, then CSV lines:
 *   forkbench,SYSTEM,STRATEGY,SIZE_MIB,OP,TICKS,SYSCALLS,UPCALLS
 * (median ticks of the runs; kernel calls and upcalls per operation on the
 * exokernel, from its exported counters; empty on Linux).
 * Usage: forkbench [MAX_SIZE_MIB [forks [large]]]   (default 1024; "forks": the
 *        fork table only, no signals, threads or memory; "large": the parent's
 *        memory asks for large pages, madvise(MADV_HUGEPAGE), and the rows are
 *        named STRATEGY-large: cow, ondemand and vfork on exo, fork on Linux)
 *        forkbench one STRATEGY SIZE_MIB [WRITES]
 * The second form measures one operation once, after one run to warm up, inside a
 * profile window (libos/include/profile.h: `make profile` counts only it) and
 * prints its CSV line: STRATEGY is eager, cow, ondemand, vfork, spawn or exec
 * (fork + exec /bin/true + wait), WRITES the pages the child writes (default 0,
 * -1 all).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#define SYSTEM "linux"
#define TRUE_PATH "/true"
#define profile_open()
#define profile_close()
#else
#include "fork.h"
#include "libos.h"
#include "threads.h"
#include "profile.h"
#define SYSTEM "exo"
#define TRUE_PATH "/bin/true"
#endif

extern char **environ;

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

/* The parent's dirty memory: one private anonymous mapping of the largest size,
 * 2 MiB aligned, reserved at once (MAP_NORESERVE: untouched pages cost nothing on
 * either system) and dirtied as the sizes grow; with `large`, given
 * MADV_HUGEPAGE. (A heap from malloc stops at 2 GiB with newlib.) */
static char *heap;
static size_t heap_pages, heap_limit_mib;
static bool large;

enum strategy { S_FORK, S_VFORK, S_SPAWN, S_FORKEXEC };

static uint64_t kernel_calls(void)
{
	uint64_t n = 0;
#ifndef __linux__
	for (int i = 0; i < EXO_COUNTED_SYSCALLS; i++)
		n += exo_counters->syscalls[i];
#endif
	return n;
}

static uint64_t upcalls(void)
{
#ifdef __linux__
	return 0;
#else
	return exo_counters->upcalls[0];
#endif
}

/* vfork a child that only exits (all a vfork child may do besides exec). */
static __attribute__((noinline)) pid_t vfork_exit(void)
{
	pid_t c = vfork();
	if (c == 0)
		_exit(0);
	return c;
}

/* One operation: make a process that writes `writes` heap pages (0 = none,
 * SIZE_MAX = all) and exits; wait for it. */
static void one(enum strategy s, size_t writes)
{
	pid_t c;
	if (s == S_FORKEXEC) {
		c = fork();
		if (c == 0) {
			execl(TRUE_PATH, "true", (char *)NULL);
			_exit(127);
		}
	} else if (s == S_SPAWN) {
		char *argv[] = { "true", NULL };
		if (posix_spawn(&c, TRUE_PATH, NULL, NULL, argv, environ) != 0) {
			perror("forkbench: posix_spawn");
			exit(1);
		}
	} else if (s == S_VFORK) {
		c = vfork_exit();
	} else {
		c = fork();
		if (c == 0) {
			size_t n = writes == SIZE_MAX ? heap_pages : writes;
			for (size_t i = 0; i < n && i < heap_pages; i++)
				heap[i * 4096] = 1;
			_exit(0);
		}
	}
	if (c < 0 || waitpid(c, NULL, 0) != c) {
		perror("forkbench: fork/wait");
		exit(1);
	}
}

static void measure(const char *name, enum strategy s, size_t mib, const char *op, size_t writes)
{
	int runs = mib >= 256 ? 3 : 7;
	uint64_t t[7], k0 = kernel_calls(), u0 = upcalls();
	one(s, writes); /* warm up: first-touch costs are not the operation's */
	k0 = kernel_calls(), u0 = upcalls();
	for (int r = 0; r < runs; r++) {
		uint64_t t0 = ticks();
		one(s, writes);
		t[r] = ticks() - t0;
	}
	qsort(t, (size_t)runs, sizeof t[0], cmp_u64);
	uint64_t k = (kernel_calls() - k0) / (uint64_t)runs, u = (upcalls() - u0) / (uint64_t)runs;
#ifdef __linux__
	printf("forkbench,%s,%s,%zu,%s,%llu,,\n", SYSTEM, name, mib, op, (unsigned long long)t[runs / 2]);
	(void)k, (void)u;
#else
	printf("forkbench,%s,%s,%zu,%s,%llu,%llu,%llu\n", SYSTEM, name, mib, op, (unsigned long long)t[runs / 2],
	       (unsigned long long)k, (unsigned long long)u);
#endif
	fflush(stdout);
}

static volatile sig_atomic_t sig_count;
static pid_t pong_to; /* the child: who its handler answers */
static void on_usr1(int sig)
{
	(void)sig;
	sig_count++;
	if (pong_to)
		kill(pong_to, SIGUSR1);
}

/* measure_once: the median of `runs` (at most 7) runs of op, after one to warm
 * up, as a CSV line of kind ("signal", "memory"). */
static void measure_once(const char *kind, const char *op, void (*fn)(void), int runs)
{
	uint64_t t[7];
	fn();
	for (int r = 0; r < runs; r++) {
		uint64_t t0 = ticks();
		fn();
		t[r] = ticks() - t0;
	}
	qsort(t, (size_t)runs, sizeof t[0], cmp_u64);
	printf("forkbench,%s,%s,0,%s,%llu,,\n", SYSTEM, kind, op, (unsigned long long)t[runs / 2]);
	fflush(stdout);
}

static void raise_once(void)
{
	raise(SIGUSR1);
}

static pid_t ponger;
static sigset_t wait_mask; /* everything but SIGUSR1 and SIGALRM blocked */
static void ping_once(void)
{
	int before = sig_count;
	kill(ponger, SIGUSR1);
	while (sig_count == before)
		sigsuspend(&wait_mask);
}

static void alarm_once(void)
{
	int before = sig_count;
	struct itimerval it = { { 0, 0 }, { 0, 1 } };
	setitimer(ITIMER_REAL, &it, NULL);
	while (sig_count == before)
		sigsuspend(&wait_mask);
}

static void bench_signals(void)
{
	struct sigaction a = { .sa_handler = on_usr1 };
	sigemptyset(&a.sa_mask);
	sigaction(SIGUSR1, &a, NULL);
	sigaction(SIGALRM, &a, NULL);
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &wait_mask); /* signals come only in sigsuspend */
	sigdelset(&wait_mask, SIGUSR1);
	sigdelset(&wait_mask, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	measure_once("signal", "raise_handler", raise_once, 7);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid_t parent = getpid();
	fflush(stdout);
	ponger = fork();
	if (ponger == 0) {
		pong_to = parent;
		for (;;)
			sigsuspend(&wait_mask);
	}
	measure_once("signal", "kill_pingpong", ping_once, 7);
	kill(ponger, SIGKILL);
	waitpid(ponger, NULL, 0);
	measure_once("signal", "alarm", alarm_once, 7);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static void mmap_touch(void)
{
	size_t len = 64UL << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("forkbench: mmap");
		exit(1);
	}
	for (size_t i = 0; i < len; i += 4096)
		m[i] = 1;
	munmap(m, len);
}

static void tmp_file(void)
{
	static char block[64 << 10];
	int fd = open("/tmp/forkbench.dat", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("forkbench: /tmp");
		exit(1);
	}
	for (int i = 0; i < 256; i++)
		if (write(fd, block, sizeof block) != (ssize_t)sizeof block)
			exit(1);
	lseek(fd, 0, SEEK_SET);
	for (int i = 0; i < 256; i++)
		if (read(fd, block, sizeof block) != (ssize_t)sizeof block)
			exit(1);
	close(fd);
	unlink("/tmp/forkbench.dat");
}

/* --- threads ------------------------------------------------------------------ */

static void *thread_nop(void *arg)
{
	return arg;
}

static void create_join(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, thread_nop, NULL) != 0 || pthread_join(t, NULL) != 0) {
		fprintf(stderr, "forkbench: pthread_create\n");
		exit(1);
	}
}

static pthread_mutex_t bench_mutex = PTHREAD_MUTEX_INITIALIZER;
static void mutex_lock(void)
{
	pthread_mutex_lock(&bench_mutex);
	pthread_mutex_unlock(&bench_mutex);
}

static sem_t ping_sem, pong_sem;
static volatile int partner_stop;
static void *sem_partner(void *arg)
{
	(void)arg;
	for (;;) {
		sem_wait(&ping_sem);
		if (partner_stop)
			return NULL;
		sem_post(&pong_sem);
	}
}

static void sem_round(void)
{
	sem_post(&ping_sem);
	sem_wait(&pong_sem);
}

static pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv_ping = PTHREAD_COND_INITIALIZER, cv_pong = PTHREAD_COND_INITIALIZER;
static int cv_turn; /* 0: the main thread's, 1: the partner's, 2: stop */
static void *cond_partner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cv_mutex);
	for (;;) {
		while (cv_turn == 0)
			pthread_cond_wait(&cv_ping, &cv_mutex);
		if (cv_turn == 2)
			break;
		cv_turn = 0;
		pthread_cond_signal(&cv_pong);
	}
	pthread_mutex_unlock(&cv_mutex);
	return NULL;
}

static void cond_round(void)
{
	pthread_mutex_lock(&cv_mutex);
	cv_turn = 1;
	pthread_cond_signal(&cv_ping);
	while (cv_turn == 1)
		pthread_cond_wait(&cv_pong, &cv_mutex);
	pthread_mutex_unlock(&cv_mutex);
}

static volatile unsigned long yield_count;
static void *yield_partner(void *arg)
{
	(void)arg;
	while (!partner_stop) {
		yield_count++;
		sched_yield();
	}
	return NULL;
}

static void yield_round(void)
{
	unsigned long c = yield_count;
	do
		sched_yield();
	while (yield_count == c);
}

/* with_partner: measure op (as kind) while a partner thread runs partner; stop
 * it after (stop() makes it return). */
static void with_partner(const char *kind, const char *op, void (*round)(void), void *(*partner)(void *),
			 void (*stop)(void))
{
	pthread_t t;
	partner_stop = 0;
	if (pthread_create(&t, NULL, partner, NULL) != 0)
		exit(1);
	measure_once(kind, op, round, 7);
	partner_stop = 1;
	stop();
	pthread_join(t, NULL);
}

static void stop_sem(void)
{
	sem_post(&ping_sem);
}

static void stop_cond(void)
{
	pthread_mutex_lock(&cv_mutex);
	cv_turn = 2;
	pthread_cond_signal(&cv_ping);
	pthread_mutex_unlock(&cv_mutex);
}

static void stop_nothing(void)
{
}

static void bench_threads(const char *kind)
{
	measure_once(kind, "create_join", create_join, 7);
	measure_once(kind, "mutex_lock", mutex_lock, 7);
	sem_init(&ping_sem, 0, 0);
	sem_init(&pong_sem, 0, 0);
	cv_turn = 0;
	with_partner(kind, "sem_pingpong", sem_round, sem_partner, stop_sem);
	with_partner(kind, "cond_pingpong", cond_round, cond_partner, stop_cond);
	with_partner(kind, "yield_pingpong", yield_round, yield_partner, stop_nothing);
}

static void grow_heap(size_t mib)
{
	size_t pages = mib * 256;
	if (pages <= heap_pages)
		return;
	if (!heap && heap_limit_mib) {
		const size_t two = 2UL << 20, bytes = heap_limit_mib << 20;
		char *m = mmap(NULL, bytes + two, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			       -1, 0);
		if (m == MAP_FAILED || (large && madvise(m, bytes + two, MADV_HUGEPAGE) != 0)) {
			fprintf(stderr, "forkbench: cannot map %zu MiB\n", heap_limit_mib);
			exit(1);
		}
		heap = (char *)(((uintptr_t)m + two - 1) & ~(uintptr_t)(two - 1));
	}
	if (mib > heap_limit_mib) {
		fprintf(stderr, "forkbench: %zu MiB is past the %zu MiB reserved\n", mib, heap_limit_mib);
		exit(1);
	}
	for (size_t i = heap_pages; i < pages; i++)
		heap[i * 4096] = (char)i; /* dirty every page */
	heap_pages = pages;
}

/* measure_one: `forkbench one STRATEGY SIZE_MIB [WRITES]` (see the top). Returns
 * the exit status: 0, or 2 for an unknown strategy. */
static int measure_one(const char *name, size_t mib, size_t writes)
{
	enum strategy s = !strcmp(name, "vfork") ? S_VFORK : !strcmp(name, "spawn") ? S_SPAWN
			: !strcmp(name, "exec") ? S_FORKEXEC : S_FORK;
#ifndef __linux__
	if (s == S_FORK && !(libos_fork_default = libos_fork_strategy(name))) {
		fprintf(stderr, "forkbench: no strategy %s\n", name);
		return 2;
	}
#endif
	heap_limit_mib = mib;
	grow_heap(mib);
	one(s, writes);
	uint64_t k0 = kernel_calls(), u0 = upcalls();
	profile_open();
	uint64_t t0 = ticks();
	one(s, writes);
	uint64_t t = ticks() - t0;
	profile_close();
	printf("forkbench,%s,%s,%zu,%s,%llu,%llu,%llu\n", SYSTEM, name, mib,
	       s == S_FORKEXEC ? "fork_exec_wait" : writes == 0 ? "fork_exit_wait" : "write_n",
	       (unsigned long long)t, (unsigned long long)(kernel_calls() - k0),
	       (unsigned long long)(upcalls() - u0));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc > 3 && !strcmp(argv[1], "one"))
		return measure_one(argv[2], (size_t)atol(argv[3]), argc > 4 ? (size_t)atol(argv[4]) : 0);
	size_t max = argc > 1 ? (size_t)atol(argv[1]) : 1024;
	bool forks_only = argc > 2 && !strcmp(argv[2], "forks"); /* the fork table alone */
	large = forks_only && argc > 3 && !strcmp(argv[3], "large");
	static const size_t sizes[] = { 0, 1, 16, 64, 256, 1024, 4096 };
	printf("# forkbench on %s: ticks per operation (guest instructions under -icount)\n", SYSTEM);
	if (!forks_only) {
		bench_signals();
		bench_threads("thread");
#ifndef __linux__
		if (libos_thread_package_set(libos_threads_user) == 0) /* no thread is left running */
			bench_threads("uthread");
#endif
		measure_once("memory", "mmap_touch_64m", mmap_touch, 3);
		measure_once("memory", "tmpfile_16m", tmp_file, 3);
	}
	for (size_t si = 0; si < sizeof sizes / sizeof sizes[0] && sizes[si] <= max; si++)
		heap_limit_mib = sizes[si];
	for (size_t si = 0; si < sizeof sizes / sizeof sizes[0] && sizes[si] <= max; si++) {
		size_t mib = sizes[si];
		bool big = mib > 1024; /* no full copy: it needs twice the memory */
		grow_heap(mib);
		fprintf(stderr, "# forkbench: parent with %zu MiB dirty\n", mib);
#ifdef __linux__
		const char *fork_name = large ? "fork-large" : "fork";
		measure(fork_name, S_FORK, mib, "fork_exit_wait", 0);
		measure(fork_name, S_FORK, mib, "write_1", 1);
		measure(fork_name, S_FORK, mib, "write_16", 16);
		if (mib && !big)
			measure(fork_name, S_FORK, mib, "write_all", SIZE_MAX);
#else
		static const char *const names[] = { "eager", "cow", "ondemand" };
		static const char *const large_names[] = { "eager-large", "cow-large", "ondemand-large" };
		for (int k = big || large ? 1 : 0; k < 3; k++) { /* eager copies a large page page by page */
			const char *name = large ? large_names[k] : names[k];
			libos_fork_default = libos_fork_strategy(names[k]);
			measure(name, S_FORK, mib, "fork_exit_wait", 0);
			measure(name, S_FORK, mib, "write_1", 1);
			measure(name, S_FORK, mib, "write_16", 16);
			if (mib && !big)
				measure(name, S_FORK, mib, "write_all", SIZE_MAX);
		}
		libos_fork_default = &fork_cow;
#endif
		if (large) {
#ifndef __linux__
			measure("vfork-large", S_VFORK, mib, "fork_exit_wait", 0);
#endif
			continue;
		}
		measure("vfork", S_VFORK, mib, "fork_exit_wait", 0);
		measure("spawn", S_SPAWN, mib, "fork_exit_wait", 0);
		if (mib == 0) /* exec of a small program: fork + exec /bin/true + wait */
			measure("fork", S_FORKEXEC, mib, "fork_exec_wait", 0);
	}
	return 0;
}
