/* Unnamed semaphores: the count is a word sem_wait sleeps on while it is 0;
 * sem_post wakes one sleeper only when some may sleep. */
#include <errno.h>
#include <semaphore.h>
#include "thread.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

int sem_init(sem_t *s, int pshared, unsigned value)
{
	if (value > SEM_VALUE_MAX)
		return fail(EINVAL);
	*s = (sem_t){ value, 0, pshared };
	return 0;
}

int sem_destroy(sem_t *s)
{
	(void)s;
	return 0;
}

/* take: decrement the count if it is positive. */
static bool take(sem_t *s)
{
	uint32_t v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
	while (v > 0)
		if (__atomic_compare_exchange_n(&s->value, &v, v - 1, true, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
	return false;
}

/* wait: sem_wait and sem_timedwait (deadline 0: none); a cancellation point, and
 * interrupted (EINTR) by a signal handler. */
static int wait(sem_t *s, uint64_t deadline)
{
	pthread_testcancel();
	while (!take(s)) {
		__atomic_add_fetch(&s->waiters, 1, __ATOMIC_SEQ_CST);
		int r = thread_wait(&s->value, 0, deadline, true);
		__atomic_sub_fetch(&s->waiters, 1, __ATOMIC_SEQ_CST);
		pthread_testcancel();
		if (r == ETIMEDOUT && !take(s))
			return fail(ETIMEDOUT);
		if (r == ETIMEDOUT)
			return 0;
		if (r == EINTR)
			return fail(EINTR);
	}
	return 0;
}

int sem_wait(sem_t *s)
{
	return wait(s, 0);
}

int sem_trywait(sem_t *s)
{
	return take(s) ? 0 : fail(EAGAIN);
}

int sem_timedwait(sem_t *s, const struct timespec *abstime)
{
	if (take(s))
		return 0; /* POSIX: abstime is not checked when the semaphore is free */
	uint64_t deadline;
	int r = thread_deadline(CLOCK_REALTIME, abstime, &deadline);
	return r ? fail(r) : wait(s, deadline);
}

int sem_post(sem_t *s)
{
	uint32_t v = __atomic_load_n(&s->value, __ATOMIC_RELAXED);
	do
		if (v == SEM_VALUE_MAX)
			return fail(EOVERFLOW);
	while (!__atomic_compare_exchange_n(&s->value, &v, v + 1, true, __ATOMIC_RELEASE, __ATOMIC_RELAXED));
	if (__atomic_load_n(&s->waiters, __ATOMIC_SEQ_CST))
		thread_wake(&s->value, 1);
	return 0;
}

int sem_getvalue(sem_t *s, int *value)
{
	*value = (int)__atomic_load_n(&s->value, __ATOMIC_RELAXED);
	return 0;
}

sem_t *sem_open(const char *name, int oflag, ...)
{
	(void)name, (void)oflag;
	errno = ENOSYS;
	return SEM_FAILED;
}

int sem_close(sem_t *s)
{
	(void)s;
	return fail(ENOSYS);
}

int sem_unlink(const char *name)
{
	(void)name;
	return fail(ENOSYS);
}
