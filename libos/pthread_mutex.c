/*
 * Mutexes and spin locks. A mutex is a 32-bit word (0 free, 1 held, 2 held with
 * sleepers, after Drepper's "Futexes Are Tricky") that threads sleep on with the
 * kernel's addr_wait: taking a free mutex and releasing one nobody waits for are
 * one atomic instruction each, with no system call.
 */
#include <errno.h>
#include "thread.h"

/* The calling thread's id, as the owner field holds it. */
static inline unsigned long me(void)
{
	return (unsigned long)thread_self();
}

/* acquire: take the lock word, sleeping until deadline (0: none). Returns 0 or
 * ETIMEDOUT. */
static int acquire(pthread_mutex_t *m, uint64_t deadline)
{
	uint32_t c = 0;
	if (__atomic_compare_exchange_n(&m->lock, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return 0;
	if (c != 2)
		c = __atomic_exchange_n(&m->lock, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		if (thread_wait(&m->lock, 2, deadline, false) == ETIMEDOUT)
			return ETIMEDOUT;
		c = __atomic_exchange_n(&m->lock, 2, __ATOMIC_ACQUIRE);
	}
	return 0;
}

/* release: free the lock word and wake one sleeper if there may be one. */
static void release(pthread_mutex_t *m)
{
	if (__atomic_exchange_n(&m->lock, 0, __ATOMIC_RELEASE) == 2)
		thread_wake(&m->lock, 1);
}

/* lock: pthread_mutex_lock and _timedlock (deadline 0: none). */
static int lock(pthread_mutex_t *m, uint64_t deadline)
{
	if (m->type != PTHREAD_MUTEX_NORMAL && m->owner == me()) {
		if (m->type == PTHREAD_MUTEX_ERRORCHECK)
			return EDEADLK;
		if (m->count == UINT32_MAX)
			return EAGAIN;
		m->count++;
		return 0;
	}
	int r = acquire(m, deadline);
	if (r)
		return r;
	m->owner = me();
	m->count = 1;
	return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	return lock(m, 0);
}

int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime)
{
	uint32_t c = 0;
	if (m->type == PTHREAD_MUTEX_NORMAL &&
	    __atomic_compare_exchange_n(&m->lock, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		m->owner = me(), m->count = 1;
		return 0; /* POSIX: a free mutex is taken whatever abstime says */
	}
	uint64_t deadline;
	int r = thread_deadline(CLOCK_REALTIME, abstime, &deadline);
	return r ? r : lock(m, deadline);
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	if (m->type == PTHREAD_MUTEX_RECURSIVE && m->owner == me()) {
		if (m->count == UINT32_MAX)
			return EAGAIN;
		m->count++;
		return 0;
	}
	uint32_t c = 0;
	if (!__atomic_compare_exchange_n(&m->lock, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return EBUSY;
	m->owner = me();
	m->count = 1;
	return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	if (m->type != PTHREAD_MUTEX_NORMAL) {
		if (m->owner != me() || !m->lock)
			return EPERM;
		if (--m->count)
			return 0;
	}
	m->owner = 0;
	m->count = 0;
	release(m);
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	if (a) {
		m->type = a->type;
		m->pshared = a->pshared;
	}
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return m->lock ? EBUSY : 0;
}

int pthread_mutex_consistent(pthread_mutex_t *m)
{
	(void)m;
	return EINVAL; /* no robust mutexes: none is ever inconsistent */
}

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	*a = (pthread_mutexattr_t){ 1, PTHREAD_MUTEX_DEFAULT, PTHREAD_PROCESS_PRIVATE, PTHREAD_PRIO_NONE,
				    PTHREAD_MUTEX_STALLED };
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE && type != PTHREAD_MUTEX_ERRORCHECK)
		return EINVAL;
	a->type = type;
	return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
	*type = a->type;
	return 0;
}

/* Process-shared mutexes work as they are: the kernel keys sleepers by the
 * word's physical address. */
int pthread_mutexattr_setpshared(pthread_mutexattr_t *a, int pshared)
{
	if (pshared != PTHREAD_PROCESS_PRIVATE && pshared != PTHREAD_PROCESS_SHARED)
		return EINVAL;
	a->pshared = pshared;
	return 0;
}

int pthread_mutexattr_getpshared(const pthread_mutexattr_t *a, int *pshared)
{
	*pshared = a->pshared;
	return 0;
}

/* Priority protocols: there are no thread priorities, so only NONE. */
int pthread_mutexattr_setprotocol(pthread_mutexattr_t *a, int protocol)
{
	if (protocol == PTHREAD_PRIO_NONE) {
		a->protocol = protocol;
		return 0;
	}
	return protocol == PTHREAD_PRIO_INHERIT || protocol == PTHREAD_PRIO_PROTECT ? ENOTSUP : EINVAL;
}

int pthread_mutexattr_getprotocol(const pthread_mutexattr_t *a, int *protocol)
{
	*protocol = a->protocol;
	return 0;
}

int pthread_mutexattr_setrobust(pthread_mutexattr_t *a, int robust)
{
	if (robust == PTHREAD_MUTEX_STALLED)
		return a->robust = robust, 0;
	return robust == PTHREAD_MUTEX_ROBUST ? ENOTSUP : EINVAL;
}

int pthread_mutexattr_getrobust(const pthread_mutexattr_t *a, int *robust)
{
	*robust = a->robust;
	return 0;
}

/* Spin locks: for very short sections; a spinner yields its slot so that a
 * preempted holder gets to run. */
int pthread_spin_init(pthread_spinlock_t *s, int pshared)
{
	(void)pshared;
	s->lock = 0;
	return 0;
}

int pthread_spin_destroy(pthread_spinlock_t *s)
{
	return s->lock ? EBUSY : 0;
}

int pthread_spin_lock(pthread_spinlock_t *s)
{
	while (__atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&s->lock, __ATOMIC_RELAXED))
			sys_yield(0);
	return 0;
}

int pthread_spin_trylock(pthread_spinlock_t *s)
{
	return __atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE) ? EBUSY : 0;
}

int pthread_spin_unlock(pthread_spinlock_t *s)
{
	__atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
	return 0;
}
