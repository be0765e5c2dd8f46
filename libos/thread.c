/*
 * The thread layer's core: the thread package in use (sleeping and waking on a
 * word, yielding go to it), deadlines, the process's thread list, and what fork
 * does in a process with threads.
 */
#include <errno.h>
#include <string.h>
#include <sys/lock.h>
#include "proc.h"
#include "signal_int.h"
#include "thread.h"

struct tcb *thread_first LIBOS_FORK_STATE;
pthread_mutex_t thread_list_lock LIBOS_FORK_STATE = PTHREAD_MUTEX_INITIALIZER;
unsigned thread_count LIBOS_FORK_STATE = 1;

const struct thread_package *thread_pkg = &thread_pkg_kernel;

int thread_wait(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr)
{
	return thread_pkg->wait(addr, val, deadline, intr);
}

void thread_wake(volatile uint32_t *addr, int n)
{
	thread_pkg->wake(addr, n);
}

long thread_sleep(uint64_t deadline)
{
	return thread_pkg->sleep(deadline);
}

int sched_yield(void)
{
	thread_pkg->yield();
	return 0;
}

int libos_thread_package_set(const struct thread_package *p)
{
	if (__atomic_load_n(&thread_count, __ATOMIC_ACQUIRE) > 1)
		return EBUSY; /* threads of the other package are running */
	thread_pkg = p;
	return 0;
}

const struct thread_package *libos_thread_package_named(const char *name)
{
	static const struct thread_package *const all[] = { &thread_pkg_kernel, &thread_pkg_user };
	for (size_t i = 0; name && i < sizeof all / sizeof all[0]; i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
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
	thread_pkg->fork_child();
	for (size_t i = NLIBOS_LOCKS; i-- > 0;)
		libos_unlock(libos_locks[i]);
	srv_chan_shared(t); /* one thread again: the channel itself */
	thread_atfork_run(2);
}
