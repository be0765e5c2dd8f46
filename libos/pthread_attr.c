/* Thread attributes: plain values pthread_create reads. */
#include <errno.h>
#include "thread.h"

int pthread_attr_init(pthread_attr_t *a)
{
	*a = (pthread_attr_t){ .is_initialized = 1, .stacksize = 1UL << 20, .guardsize = PAGE_SIZE,
			       .contentionscope = PTHREAD_SCOPE_SYSTEM, .inheritsched = PTHREAD_INHERIT_SCHED,
			       .schedpolicy = SCHED_OTHER, .detachstate = PTHREAD_CREATE_JOINABLE };
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int s)
{
	if (s != PTHREAD_CREATE_DETACHED && s != PTHREAD_CREATE_JOINABLE)
		return EINVAL;
	a->detachstate = s;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *s)
{
	*s = a->detachstate;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t n)
{
	if (n < PTHREAD_STACK_MIN)
		return EINVAL;
	a->stacksize = n;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *n)
{
	*n = a->stacksize;
	return 0;
}

/* setstackaddr (obsolete): addr is the stack's lowest address, its size the
 * attribute's stack size. */
int pthread_attr_setstackaddr(pthread_attr_t *a, void *addr)
{
	a->stackaddr = addr;
	return 0;
}

int pthread_attr_getstackaddr(const pthread_attr_t *a, void **addr)
{
	*addr = a->stackaddr;
	return 0;
}

int pthread_attr_setstack(pthread_attr_t *a, void *addr, size_t n)
{
	if (n < PTHREAD_STACK_MIN)
		return EINVAL;
	a->stackaddr = addr;
	a->stacksize = n;
	return 0;
}

int pthread_attr_getstack(const pthread_attr_t *a, void **addr, size_t *n)
{
	*addr = a->stackaddr;
	*n = a->stacksize;
	return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *a, size_t n)
{
	a->guardsize = n;
	return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *a, size_t *n)
{
	*n = a->guardsize;
	return 0;
}

/* Every thread is scheduled by the kernel against all others: SYSTEM scope. */
int pthread_attr_setscope(pthread_attr_t *a, int scope)
{
	if (scope == PTHREAD_SCOPE_SYSTEM)
		return a->contentionscope = scope, 0;
	return scope == PTHREAD_SCOPE_PROCESS ? ENOTSUP : EINVAL;
}

int pthread_attr_getscope(const pthread_attr_t *a, int *scope)
{
	*scope = a->contentionscope;
	return 0;
}

int pthread_attr_setinheritsched(pthread_attr_t *a, int v)
{
	if (v != PTHREAD_INHERIT_SCHED && v != PTHREAD_EXPLICIT_SCHED)
		return EINVAL;
	a->inheritsched = v;
	return 0;
}

int pthread_attr_getinheritsched(const pthread_attr_t *a, int *v)
{
	*v = a->inheritsched;
	return 0;
}

int pthread_attr_setschedpolicy(pthread_attr_t *a, int policy)
{
	if (policy == SCHED_OTHER)
		return a->schedpolicy = policy, 0;
	return policy == SCHED_FIFO || policy == SCHED_RR ? ENOTSUP : EINVAL;
}

int pthread_attr_getschedpolicy(const pthread_attr_t *a, int *policy)
{
	*policy = a->schedpolicy;
	return 0;
}

int pthread_attr_setschedparam(pthread_attr_t *a, const struct sched_param *p)
{
	if (p->sched_priority != 0)
		return ENOTSUP;
	a->schedparam = *p;
	return 0;
}

int pthread_attr_getschedparam(const pthread_attr_t *a, struct sched_param *p)
{
	*p = a->schedparam;
	return 0;
}
