/*
 * newlib's retargetable locks (newlib is configured with
 * --enable-newlib-retargetable-locking): stdio, malloc, atexit, the environment
 * and the time-zone state lock through these, so libc is safe from many threads.
 * Each lock is a pthread mutex; the static ones are newlib's names for the locks
 * it uses without creating them.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/lock.h>
#include "thread.h"

struct __lock {
	pthread_mutex_t m;
};

#define RECURSIVE { PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP }
#define PLAIN { PTHREAD_MUTEX_INITIALIZER }
/* (LIBOS_FORK_STATE: the four fork holds, thread.c, and the one stdio takes
 * right after) */
struct __lock __lock___sinit_recursive_mutex LIBOS_FORK_STATE = RECURSIVE;
struct __lock __lock___sfp_recursive_mutex LIBOS_FORK_STATE = RECURSIVE;
struct __lock __lock___atexit_recursive_mutex LIBOS_FORK_STATE = RECURSIVE;
struct __lock __lock___at_quick_exit_mutex = PLAIN;
struct __lock __lock___malloc_recursive_mutex LIBOS_FORK_STATE = RECURSIVE;
struct __lock __lock___env_recursive_mutex LIBOS_FORK_STATE = RECURSIVE;
struct __lock __lock___tz_mutex = PLAIN;
struct __lock __lock___dd_hash_mutex = PLAIN;
struct __lock __lock___arc4random_mutex = PLAIN;

/* new_lock: a lock of type for *lock; without memory it aborts (newlib's
 * callers cannot report a failure). */
static void new_lock(_LOCK_T *lock, int type)
{
	*lock = malloc(sizeof(struct __lock));
	if (!*lock)
		abort();
	pthread_mutex_init(&(*lock)->m, NULL);
	(*lock)->m.type = type;
}

void __retarget_lock_init(_LOCK_T *lock)
{
	new_lock(lock, PTHREAD_MUTEX_NORMAL);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	new_lock(lock, PTHREAD_MUTEX_RECURSIVE);
}

void __retarget_lock_close(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	free(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	pthread_mutex_lock(&lock->m);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	pthread_mutex_lock(&lock->m);
}

/* The try calls answer as pthread_mutex_trylock does (0: taken), the convention
 * newlib's own users of them (ftrylockfile in its thread ports) follow. */
int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return pthread_mutex_trylock(&lock->m);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	return pthread_mutex_trylock(&lock->m);
}

void __retarget_lock_release(_LOCK_T lock)
{
	pthread_mutex_unlock(&lock->m);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	pthread_mutex_unlock(&lock->m);
}
