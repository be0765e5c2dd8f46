/*
 * The thread layer's core: sleeping and waking on a word (the kernel's
 * addr_wait/addr_wake, with signals and stops handled as every blocking libOS
 * call handles them), deadlines, the process's thread list, and what fork and
 * exec do in a process with threads.
 */
#include <errno.h>
#include <sys/lock.h>
#include "proc.h"
#include "signal_int.h"
#include "thread.h"

struct tcb *thread_first;
pthread_mutex_t thread_list_lock = PTHREAD_MUTEX_INITIALIZER;
unsigned thread_count = 1;

int thread_wait(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr)
{
	libos_in_libos++;
	long r = sys_addr_wait((long)addr, (long)val, (long)deadline);
	libos_in_libos--;
	while (task.self && task.self->stopped)
		libos_block(); /* stopped: only SIGCONT (or SIGKILL) ends it */
	if (r == -E_TIMEDOUT)
		return ETIMEDOUT;
	if (r == -E_INTR && !libos_in_libos && libos_sig_deliverable()) {
		libos_sig_dispatch();
		if (intr)
			return EINTR;
	}
	return 0;
}

void thread_wake(volatile uint32_t *addr, int n)
{
	sys_addr_wake((long)addr, n);
}

int thread_deadline(clockid_t clock, const struct timespec *abstime, uint64_t *tsc)
{
	if (!abstime || abstime->tv_nsec < 0 || abstime->tv_nsec >= 1000000000L ||
	    (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC))
		return EINVAL;
	struct timespec now;
	clock_gettime(clock, &now);
	int64_t ns = (int64_t)(abstime->tv_sec - now.tv_sec) * 1000000000LL + (abstime->tv_nsec - now.tv_nsec);
	uint64_t t = libos_rdtsc();
	if (ns <= 0) {
		*tsc = 1; /* already past: addr_wait times out at once */
		return 0;
	}
	*tsc = t + (uint64_t)((unsigned __int128)(uint64_t)ns * exo_info->tsc_hz / 1000000000ULL);
	return 0;
}

void libos_lock(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
}

void libos_unlock(pthread_mutex_t *m)
{
	pthread_mutex_unlock(m);
}

/* --- fork and exec ---------------------------------------------------------- */

/* newlib's locks (libos/newlib_locks.c) that guard what a fork child must find
 * consistent: the heap, the list of open streams, the environment, atexit. */
extern struct __lock __lock___malloc_recursive_mutex, __lock___sfp_recursive_mutex,
	__lock___env_recursive_mutex, __lock___atexit_recursive_mutex;
static struct __lock *const fork_locks[] = { &__lock___atexit_recursive_mutex, &__lock___env_recursive_mutex,
					     &__lock___sfp_recursive_mutex, &__lock___malloc_recursive_mutex };
#define NFORK_LOCKS (sizeof fork_locks / sizeof fork_locks[0])

void thread_atfork_run(int which); /* pthread.c: the pthread_atfork handlers */

/* The libOS's own, in the order taken. */
static pthread_mutex_t *const libos_locks[] = { &thread_list_lock, &libos_mman_lock, &libos_chan_lock };
#define NLIBOS_LOCKS (sizeof libos_locks / sizeof libos_locks[0])

void thread_fork_prepare(void)
{
	thread_atfork_run(0);
	for (size_t i = 0; i < NLIBOS_LOCKS; i++)
		libos_lock(libos_locks[i]);
	for (size_t i = 0; i < NFORK_LOCKS; i++)
		__retarget_lock_acquire_recursive(fork_locks[i]);
}

void thread_fork_parent(void)
{
	for (size_t i = NFORK_LOCKS; i-- > 0;)
		__retarget_lock_release_recursive(fork_locks[i]);
	for (size_t i = NLIBOS_LOCKS; i-- > 0;)
		libos_unlock(libos_locks[i]);
	thread_atfork_run(1);
}

/* In the child, the caller's TCB is at the same address, so the locks it holds
 * are released as in the parent; everything else about threads starts over: the
 * caller is the first and only thread, with area 0 (fork gave it the exception
 * stack there) and the new environment. */
void thread_fork_child(void)
{
	struct tcb *t = thread_self();
	for (size_t i = NFORK_LOCKS; i-- > 0;)
		__retarget_lock_release_recursive(fork_locks[i]);
	t->env = (envid_t)sys_env_id();
	t->area_top = UXSTACKTOP;
	t->next = t->prev = t;
	thread_first = t;
	thread_count = 1;
	thread_areas_reset();
	for (size_t i = NLIBOS_LOCKS; i-- > 0;)
		libos_unlock(libos_locks[i]);
	srv_chan_shared(t); /* one thread again: the channel itself */
	thread_atfork_run(2);
}
