/*
 * Condition variables, read-write locks, barriers and once. A condition variable
 * is a sequence word: a waiter notes it, releases the mutex and sleeps while the
 * word is unchanged; signal and broadcast bump it and wake one or all. Wakeups
 * may be spurious, as POSIX allows: callers re-check their predicate.
 */
#include <errno.h>
#include <limits.h>
#include "thread.h"

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	*c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
	if (a)
		c->clock = a->clock, c->pshared = a->pshared;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

/* wait: the body of wait and timedwait (deadline 0: none). The mutex is held
 * again when it returns, whatever happened. */
static int wait(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
	uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_ACQUIRE);
	unsigned count = m->count; /* a recursive mutex is released and retaken whole */
	if (m->type != PTHREAD_MUTEX_NORMAL) {
		if (m->owner != (unsigned long)thread_self())
			return EPERM;
		m->count = 1;
	}
	pthread_mutex_unlock(m);
	pthread_testcancel();
	int r = thread_wait(&c->seq, seq, deadline, false);
	pthread_mutex_lock(m);
	m->count = count;
	return r == ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return wait(c, m, 0);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
	uint64_t deadline;
	int r = thread_deadline(c->clock ? (clockid_t)c->clock : CLOCK_REALTIME, abstime, &deadline);
	return r ? r : wait(c, m, deadline);
}

int pthread_cond_signal(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	thread_wake(&c->seq, 1);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	__atomic_add_fetch(&c->seq, 1, __ATOMIC_RELEASE);
	thread_wake(&c->seq, INT_MAX);
	return 0;
}

int pthread_condattr_init(pthread_condattr_t *a)
{
	*a = (pthread_condattr_t){ 1, CLOCK_REALTIME, PTHREAD_PROCESS_PRIVATE };
	return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
		return EINVAL;
	a->clock = (int)clock;
	return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock)
{
	*clock = (clockid_t)a->clock;
	return 0;
}

int pthread_condattr_setpshared(pthread_condattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_condattr_getpshared(const pthread_condattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

/* --- read-write locks: a mutex and a condition variable; writers waiting keep
 * new readers out, so writers are not starved. --- */

int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a)
{
	(void)a;
	*l = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
	return 0;
}

int pthread_rwlock_destroy(pthread_rwlock_t *l)
{
	return l->readers || l->writer ? EBUSY : 0;
}

/* rdlock: take l for reading; try: do not wait; deadline 0: none. */
static int rdlock(pthread_rwlock_t *l, bool try, uint64_t deadline)
{
	int r = 0;
	pthread_mutex_lock(&l->m);
	if (l->writer && l->owner == (unsigned long)thread_self())
		r = EDEADLK;
	while (!r && (l->writer || l->writers_waiting)) {
		if (try) {
			r = EBUSY;
			break;
		}
		if (wait(&l->c, &l->m, deadline) == ETIMEDOUT && (l->writer || l->writers_waiting))
			r = ETIMEDOUT;
	}
	if (!r && l->readers == UINT_MAX)
		r = EAGAIN;
	if (!r)
		l->readers++;
	pthread_mutex_unlock(&l->m);
	return r;
}

static int wrlock(pthread_rwlock_t *l, bool try, uint64_t deadline)
{
	int r = 0;
	pthread_mutex_lock(&l->m);
	if (l->writer && l->owner == (unsigned long)thread_self())
		r = EDEADLK;
	l->writers_waiting++;
	while (!r && (l->writer || l->readers)) {
		if (try) {
			r = EBUSY;
			break;
		}
		if (wait(&l->c, &l->m, deadline) == ETIMEDOUT && (l->writer || l->readers))
			r = ETIMEDOUT;
	}
	l->writers_waiting--;
	if (!r)
		l->writer = 1, l->owner = (unsigned long)thread_self();
	else
		pthread_cond_broadcast(&l->c); /* readers held back by us may go */
	pthread_mutex_unlock(&l->m);
	return r;
}

int pthread_rwlock_rdlock(pthread_rwlock_t *l)
{
	return rdlock(l, false, 0);
}

int pthread_rwlock_tryrdlock(pthread_rwlock_t *l)
{
	return rdlock(l, true, 0);
}

int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abstime)
{
	uint64_t deadline;
	int r = thread_deadline(CLOCK_REALTIME, abstime, &deadline);
	return r ? r : rdlock(l, false, deadline);
}

int pthread_rwlock_wrlock(pthread_rwlock_t *l)
{
	return wrlock(l, false, 0);
}

int pthread_rwlock_trywrlock(pthread_rwlock_t *l)
{
	return wrlock(l, true, 0);
}

int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abstime)
{
	uint64_t deadline;
	int r = thread_deadline(CLOCK_REALTIME, abstime, &deadline);
	return r ? r : wrlock(l, false, deadline);
}

int pthread_rwlock_unlock(pthread_rwlock_t *l)
{
	int r = 0;
	pthread_mutex_lock(&l->m);
	if (l->writer && l->owner == (unsigned long)thread_self())
		l->writer = 0, l->owner = 0;
	else if (l->readers)
		l->readers--;
	else
		r = EPERM;
	if (!r && !l->writer && !l->readers)
		pthread_cond_broadcast(&l->c);
	pthread_mutex_unlock(&l->m);
	return r;
}

int pthread_rwlockattr_init(pthread_rwlockattr_t *a)
{
	*a = (pthread_rwlockattr_t){ 1, PTHREAD_PROCESS_PRIVATE };
	return 0;
}

int pthread_rwlockattr_destroy(pthread_rwlockattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_rwlockattr_setpshared(pthread_rwlockattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_rwlockattr_getpshared(const pthread_rwlockattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

/* --- barriers --- */

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
	(void)a;
	if (count == 0)
		return EINVAL;
	*b = (pthread_barrier_t){ PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, count, 0, 0 };
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	return b->waiting ? EBUSY : 0;
}

int pthread_barrier_wait(pthread_barrier_t *b)
{
	pthread_mutex_lock(&b->m);
	unsigned cycle = b->cycle;
	if (++b->waiting == b->count) {
		b->waiting = 0;
		b->cycle++;
		pthread_cond_broadcast(&b->c);
		pthread_mutex_unlock(&b->m);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	while (cycle == b->cycle)
		wait(&b->c, &b->m, 0);
	pthread_mutex_unlock(&b->m);
	return 0;
}

int pthread_barrierattr_init(pthread_barrierattr_t *a)
{
	*a = (pthread_barrierattr_t){ 1, PTHREAD_PROCESS_PRIVATE };
	return 0;
}

int pthread_barrierattr_destroy(pthread_barrierattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_barrierattr_setpshared(pthread_barrierattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_barrierattr_getpshared(const pthread_barrierattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

/* --- once: 0 not run, 1 running, 2 done; late callers sleep until done. A
 * routine cancelled midway (its thread exits) leaves it to be run again. --- */

static void once_undo(void *arg)
{
	pthread_once_t *o = arg;
	__atomic_store_n(&o->state, 0, __ATOMIC_RELEASE);
	thread_wake(&o->state, INT_MAX);
}

int pthread_once(pthread_once_t *o, void (*routine)(void))
{
	for (;;) {
		uint32_t s = __atomic_load_n(&o->state, __ATOMIC_ACQUIRE);
		if (s == 2)
			return 0;
		if (s == 0 && __atomic_compare_exchange_n(&o->state, &s, 1, false, __ATOMIC_ACQUIRE,
							  __ATOMIC_RELAXED)) {
			pthread_cleanup_push(once_undo, o);
			routine();
			pthread_cleanup_pop(0);
			__atomic_store_n(&o->state, 2, __ATOMIC_RELEASE);
			thread_wake(&o->state, INT_MAX);
			return 0;
		}
		if (s == 1)
			thread_wait(&o->state, 1, 0, false);
	}
}
