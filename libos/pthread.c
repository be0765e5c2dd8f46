/*
 * POSIX threads, kernel-scheduled: a thread is an environment made with
 * exofork_shared (the process's address space), started with its own stack,
 * %fs base (its TCB, tls.c), exception stack (its private area, libos.h) and
 * registered with the server (SRV_THREAD), which ends it with the process.
 * Signals are taken by the process's first thread (pthread_sigmask is the
 * process's mask; see docs/apps.md, "Threads").
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "proc.h"
#include "signal_int.h"
#include "srv.h"
#include "thread.h"


/* Ended threads' blocks kept with their stacks (of the default size and guard)
 * and channel views, for the next pthread_create: a new thread then needs no
 * mapping, no page fault on its stack and no allocation (NPTL keeps such a cache
 * too). Under the list lock. */
#define CACHE_MAX 8
static struct tcb *cache[CACHE_MAX];
static int ncached;
static uint64_t areas_used[LIBOS_AREAS / 64] LIBOS_FORK_STATE = { 1 }; /* area 0 is the first thread's */

void thread_areas_reset(void)
{
	memset(areas_used, 0, sizeof areas_used);
	areas_used[0] = 1;
}

/* area_take: a free private area's top, or 0 (all in use). Under the list lock. */
static uint64_t area_take(void)
{
	for (unsigned i = 1; i < LIBOS_AREAS; i++)
		if (!(areas_used[i / 64] & (1ULL << (i % 64)))) {
			areas_used[i / 64] |= 1ULL << (i % 64);
			return UXSTACKTOP - i * LIBOS_AREA_SIZE;
		}
	return 0;
}

/* area_give: unmap area top's exception stack and free it. Under the list lock. */
static void area_give(uint64_t top)
{
	unsigned i = (unsigned)((UXSTACKTOP - top) / LIBOS_AREA_SIZE);
	for (uint64_t va = top - EXO_XSTACK_SIZE; va < top; va += PAGE_SIZE)
		sys_page_unmap(0, (long)va);
	areas_used[i / 64] &= ~(1ULL << (i % 64));
}

/* find: t if it is a thread of ours (listed), else NULL. Under the list lock. */
static struct tcb *find(pthread_t th)
{
	struct tcb *t = thread_first;
	do {
		if ((pthread_t)t == th)
			return t;
		t = t->next;
	} while (t != thread_first);
	return NULL;
}

/* reap: t has ended (state DONE): wait until its environment is gone (it may
 * still be on its way out, on its stack), then free all it had. Under the list
 * lock. */
static void reap(struct tcb *t)
{
	while (!thread_pkg->gone(t))
		sched_yield();
	t->prev->next = t->next;
	t->next->prev = t->prev;
	area_give(t->area_top);
	if (t->stack && t->stack_len == THREAD_DEFAULT_STACK + PAGE_SIZE && ncached < CACHE_MAX) {
		cache[ncached++] = t;
		return;
	}
	if (t->stack)
		munmap(t->stack, t->stack_len);
	thread_block_free(t);
}

/* cached: a cached ended thread's block made new, with its stack and channel
 * view, or NULL. */
static struct tcb *cached(void)
{
	libos_lock(&thread_list_lock);
	struct tcb *old = ncached ? cache[--ncached] : NULL;
	libos_unlock(&thread_list_lock);
	if (!old)
		return NULL;
	void *stack = old->stack;
	struct srv_chan *chan = old->chan;
	struct tcb *t = thread_block_init(old->block);
	t->stack = stack, t->stack_len = THREAD_DEFAULT_STACK + PAGE_SIZE, t->chan = chan;
	return t;
}

/* reap_detached: free every detached thread that has ended. Under the list lock. */
static void reap_detached(void)
{
	for (struct tcb *t = thread_first->next, *next; t != thread_first; t = next) {
		next = t->next;
		if (t->detached && __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == THREAD_DONE)
			reap(t);
	}
}

void thread_main(struct tcb *t)
{
	pthread_exit(t->start(t->arg));
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	if (attr)
		a = *attr;
	bool plain = !a.stackaddr && a.stacksize == THREAD_DEFAULT_STACK && a.guardsize == PAGE_SIZE;
	struct tcb *t = plain ? cached() : NULL;
	if (!t) {
		if (!(t = thread_block_new()))
			return EAGAIN;
		t->chan = SRV_CHAN_REAL;
	}
	if (srv_chan_private(t) || srv_chan_private(thread_self())) { /* threads copy requests in and out */
		if (t->stack)
			munmap(t->stack, t->stack_len);
		thread_block_free(t);
		return EAGAIN;
	}
	t->start = fn, t->arg = arg;
	t->detached = a.detachstate == PTHREAD_CREATE_DETACHED;
	char *top;
	if (a.stackaddr) {
		top = (char *)a.stackaddr + a.stacksize;
	} else if (t->stack) {
		top = (char *)t->stack + t->stack_len;
	} else {
		size_t guard = (a.guardsize + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		size_t len = ((a.stacksize + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) + guard;
		char *s = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (s == MAP_FAILED) {
			thread_block_free(t);
			return EAGAIN;
		}
		if (guard)
			mprotect(s, guard, PROT_NONE);
		t->stack = s, t->stack_len = len;
		top = s + len;
	}
	libos_lock(&thread_list_lock);
	reap_detached();
	int err = (t->area_top = area_take()) ? 0 : EAGAIN;
	if (!err) { /* listed first: once started it may run, and end, at once */
		t->prev = thread_first->prev, t->next = thread_first;
		thread_first->prev->next = t, thread_first->prev = t;
		__atomic_add_fetch(&thread_count, 1, __ATOMIC_SEQ_CST);
		if ((err = thread_pkg->start(t, top))) {
			t->prev->next = t->next, t->next->prev = t->prev;
			__atomic_sub_fetch(&thread_count, 1, __ATOMIC_SEQ_CST);
		}
	}
	if (err) {
		if (t->area_top)
			area_give(t->area_top);
		if (t->stack)
			munmap(t->stack, t->stack_len);
		thread_block_free(t);
		libos_unlock(&thread_list_lock);
		return err;
	}
	libos_unlock(&thread_list_lock);
	*out = (pthread_t)t;
	return 0;
}

/* run_keys: the key destructors (keys.c). */
void thread_keys_run(struct tcb *t);

void pthread_exit(void *value)
{
	struct tcb *t = thread_self();
	while (t->cleanup) {
		struct cleanup_frame *f = t->cleanup;
		t->cleanup = f->next;
		f->routine(f->arg);
	}
	thread_keys_run(t);
	if (t == thread_first) {
		/* The process lives on until its last thread ends, then exits with 0. */
		unsigned n;
		while ((n = __atomic_load_n(&thread_count, __ATOMIC_ACQUIRE)) > 1)
			thread_wait(&thread_count, n, 0, false);
		exit(0);
	}
	t->result = value;
	libos_lock(&thread_list_lock);
	unsigned left = __atomic_sub_fetch(&thread_count, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&t->state, THREAD_DONE, __ATOMIC_RELEASE);
	libos_unlock(&thread_list_lock);
	thread_wake(&t->state, 1);
	if (left == 1)
		thread_wake(&thread_count, 1); /* the first thread may be waiting to exit */
	thread_pkg->end();
}

int pthread_join(pthread_t th, void **value)
{
	pthread_testcancel();
	libos_lock(&thread_list_lock);
	struct tcb *t = find(th), *self = thread_self();
	int err = !t ? ESRCH : t == self ? EDEADLK : t->detached || t->joined ? EINVAL : 0;
	if (!err)
		t->joined = 1;
	libos_unlock(&thread_list_lock);
	if (err)
		return err;
	while (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_DONE)
		thread_wait(&t->state, THREAD_RUNNING, 0, false);
	if (value)
		*value = t->result;
	libos_lock(&thread_list_lock);
	reap(t);
	libos_unlock(&thread_list_lock);
	return 0;
}

int pthread_detach(pthread_t th)
{
	libos_lock(&thread_list_lock);
	struct tcb *t = find(th);
	int err = !t ? ESRCH : t->detached || t->joined ? EINVAL : 0;
	if (!err) {
		t->detached = 1;
		if (t != thread_self() && __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == THREAD_DONE)
			reap(t);
	}
	libos_unlock(&thread_list_lock);
	return err;
}

pthread_t pthread_self(void)
{
	return (pthread_t)thread_self();
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

/* pthread_kill: sig for thread th. Signals are taken by the first thread, so one
 * for another thread is raised for the process (0: only checks th exists). */
int pthread_kill(pthread_t th, int sig)
{
	libos_lock(&thread_list_lock);
	struct tcb *t = find(th);
	bool alive = t && __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != THREAD_DONE;
	libos_unlock(&thread_list_lock);
	if (!alive)
		return ESRCH;
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (sig == 0)
		return 0;
	return raise(sig) < 0 ? errno : 0;
}

/* --- cancellation (deferred: at cancellation points) --- */

int pthread_cancel(pthread_t th)
{
	libos_lock(&thread_list_lock);
	struct tcb *t = find(th);
	if (t) {
		__atomic_store_n(&t->cancel_pending, 1, __ATOMIC_RELEASE);
		if (t != thread_self() && t->state != THREAD_DONE)
			thread_pkg->kick(t); /* out of a sleep, to see it */
	}
	libos_unlock(&thread_list_lock);
	if (t == thread_self() && t->cancel_async && !t->cancel_disabled)
		pthread_exit(PTHREAD_CANCELED);
	return t ? 0 : ESRCH;
}

void pthread_testcancel(void)
{
	struct tcb *t = thread_self();
	if (__atomic_load_n(&t->cancel_pending, __ATOMIC_ACQUIRE) && !t->cancel_disabled) {
		t->cancel_disabled = 1; /* once */
		pthread_exit(PTHREAD_CANCELED);
	}
}

int pthread_setcancelstate(int state, int *old)
{
	if (state != PTHREAD_CANCEL_ENABLE && state != PTHREAD_CANCEL_DISABLE)
		return EINVAL;
	struct tcb *t = thread_self();
	if (old)
		*old = t->cancel_disabled;
	t->cancel_disabled = state;
	return 0;
}

int pthread_setcanceltype(int type, int *old)
{
	if (type != PTHREAD_CANCEL_DEFERRED && type != PTHREAD_CANCEL_ASYNCHRONOUS)
		return EINVAL;
	struct tcb *t = thread_self();
	if (old)
		*old = t->cancel_async;
	t->cancel_async = type;
	return 0;
}

void libos_cleanup_push(struct cleanup_frame *f, void (*routine)(void *), void *arg)
{
	struct tcb *t = thread_self();
	f->routine = routine, f->arg = arg, f->next = t->cleanup;
	t->cleanup = f;
}

void libos_cleanup_pop(struct cleanup_frame *f, int execute)
{
	thread_self()->cleanup = f->next;
	if (execute)
		f->routine(f->arg);
}

/* --- fork handlers --- */

#define NATFORK 32
static struct { void (*prepare)(void), (*parent)(void), (*child)(void); } atfork[NATFORK];
static int natfork;

int pthread_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	libos_lock(&thread_list_lock);
	int err = natfork == NATFORK ? ENOMEM : 0;
	if (!err) {
		atfork[natfork].prepare = prepare, atfork[natfork].parent = parent, atfork[natfork].child = child;
		natfork++;
	}
	libos_unlock(&thread_list_lock);
	return err;
}

/* thread_atfork_run: the prepare handlers (which 0) in reverse order of
 * registration, or the parent (1) or child (2) handlers in order. */
void thread_atfork_run(int which)
{
	for (int k = 0; k < natfork; k++) {
		int i = which == 0 ? natfork - 1 - k : k;
		void (*fn)(void) = which == 0 ? atfork[i].prepare : which == 1 ? atfork[i].parent : atfork[i].child;
		if (fn)
			fn();
	}
}

/* --- scheduling: one policy, no priorities --- */

int pthread_getschedparam(pthread_t th, int *policy, struct sched_param *param)
{
	(void)th;
	*policy = SCHED_OTHER;
	param->sched_priority = 0;
	return 0;
}

int pthread_setschedparam(pthread_t th, int policy, const struct sched_param *param)
{
	(void)th;
	return policy == SCHED_OTHER && param->sched_priority == 0 ? 0 : ENOTSUP;
}

int pthread_setschedprio(pthread_t th, int prio)
{
	(void)th;
	return prio == 0 ? 0 : ENOTSUP;
}

static int concurrency;

int pthread_getconcurrency(void)
{
	return concurrency;
}

int pthread_setconcurrency(int level)
{
	if (level < 0)
		return EINVAL;
	concurrency = level;
	return 0;
}

int pthread_getcpuclockid(pthread_t th, clockid_t *clock)
{
	(void)th;
	(void)clock;
	return ENOENT; /* no per-thread CPU clock */
}

