/*
 * POSIX thread types for exo (in place of newlib's, which are single words that
 * cannot hold a lock word, an owner and a count). Every object is plain memory:
 * a static initializer is all it needs, and the ones marked "word" are 32-bit
 * words the libOS sleeps on with the kernel's addr_wait.
 */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_
#include <sys/sched.h>

typedef unsigned long pthread_t;        /* the thread's control block */

#define PTHREAD_SCOPE_PROCESS 0
#define PTHREAD_SCOPE_SYSTEM  1
#define PTHREAD_INHERIT_SCHED  1
#define PTHREAD_EXPLICIT_SCHED 2
#define PTHREAD_CREATE_DETACHED 0
#define PTHREAD_CREATE_JOINABLE 1
#define PTHREAD_PROCESS_PRIVATE 0
#define PTHREAD_PROCESS_SHARED  1
#define PTHREAD_PRIO_NONE    0
#define PTHREAD_PRIO_INHERIT 1
#define PTHREAD_PRIO_PROTECT 2
#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL
#define PTHREAD_MUTEX_STALLED 0
#define PTHREAD_MUTEX_ROBUST  1

typedef struct {
	int is_initialized;
	void *stackaddr;
	size_t stacksize;
	size_t guardsize;
	int contentionscope;
	int inheritsched;
	int schedpolicy;
	struct sched_param schedparam;
	int detachstate;
} pthread_attr_t;

typedef struct {
	unsigned int lock;              /* word: 0 free, 1 held, 2 held with sleepers */
	int type;                       /* PTHREAD_MUTEX_* */
	unsigned long owner;            /* pthread_t of the holder (recursive, error-checking) */
	unsigned int count;             /* recursive depth */
	int pshared;
} pthread_mutex_t;
#define PTHREAD_MUTEX_INITIALIZER { 0, PTHREAD_MUTEX_NORMAL, 0, 0, 0 }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_RECURSIVE, 0, 0, 0 }
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_ERRORCHECK, 0, 0, 0 }

typedef struct {
	int is_initialized;
	int type;
	int pshared;
	int protocol;
	int robust;
} pthread_mutexattr_t;

typedef struct {
	unsigned int seq;               /* word: bumped by every signal and broadcast */
	int clock;                      /* for timedwait: CLOCK_MONOTONIC, or CLOCK_REALTIME (or 0) */
	int pshared;
} pthread_cond_t;
#define PTHREAD_COND_INITIALIZER { 0, 0, 0 }

typedef struct {
	int is_initialized;
	int clock;
	int pshared;
} pthread_condattr_t;

typedef unsigned int pthread_key_t;

typedef struct {
	unsigned int state;             /* word: 0 not run, 1 running, 2 done */
} pthread_once_t;
#define PTHREAD_ONCE_INIT { 0 }

typedef struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned int readers;           /* holding for reading */
	unsigned int writer;            /* 1 while held for writing */
	unsigned int writers_waiting;
	unsigned long owner;            /* the writer (EDEADLK checks) */
} pthread_rwlock_t;
#define PTHREAD_RWLOCK_INITIALIZER { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0 }

typedef struct {
	int is_initialized;
	int pshared;
} pthread_rwlockattr_t;

typedef struct {
	pthread_mutex_t m;
	pthread_cond_t c;
	unsigned int count;             /* threads the barrier waits for */
	unsigned int waiting;
	unsigned int cycle;
} pthread_barrier_t;

typedef struct {
	int is_initialized;
	int pshared;
} pthread_barrierattr_t;

typedef struct {
	volatile unsigned int lock;
} pthread_spinlock_t;

#endif
