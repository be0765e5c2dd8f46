/*
 * Threads (kernel-scheduled): each thread is an environment of its own running in
 * the process's address space (exofork_shared), with its own %fs base pointing at
 * its thread control block. The kernel knows nothing of threads: it exports
 * shared address spaces, a per-environment %fs base and addr_wait/addr_wake; the
 * rest (stacks, TLS, joins, locks, keys, cancellation) is here in the libOS.
 *
 * Memory layout of a thread's block (x86-64 TLS variant II): the TLS image (the
 * program's .tdata/.tbss) ends where the TCB begins, and %fs points at the TCB.
 */
#ifndef LIBOS_THREAD_H
#define LIBOS_THREAD_H
#include <pthread.h>
#include <reent.h>
#include <stdbool.h>
#include <stdint.h>
#include "libos.h"

struct cleanup_frame;
struct tcb;

/* A thread package: how threads run, sleep and end. The libOS has two, chosen by
 * the application as it chooses a fork strategy (libos/include/threads.h):
 * kernel-scheduled (thread.c: one environment each) and user-level (uthread.c:
 * many on one environment). The rest of the pthread layer is shared. */
struct thread_package {
	const char *name;
	/* start: make new thread t (TCB, area and stack ready) run from thread_main
	 * on the stack ending at stack_top. Returns 0 or an errno. */
	int (*start)(struct tcb *t, char *stack_top);
	/* end: the calling thread (state DONE, its joiner woken) stops for good. */
	void (*end)(void) __attribute__((noreturn));
	/* gone: has ended thread t stopped running on its stack (may it be freed)? */
	bool (*gone)(struct tcb *t);
	/* wait, wake, yield: as thread_wait, thread_wake, sched_yield. */
	int (*wait)(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr);
	void (*wake)(volatile uint32_t *addr, int n);
	void (*yield)(void);
	/* fork_child: a fork child's only thread is the caller: forget the others. */
	void (*fork_child)(void);
	/* kick: make thread t (not the caller) come out of a sleep to look at its
	 * state (pthread_cancel). */
	void (*kick)(struct tcb *t);
	/* sleep: the calling thread sleeps until the TSC reaches deadline (the
	 * other threads run meanwhile). Returns 0, or -E_INTR when a signal came
	 * first (it is left pending for the caller's safe point), as sleep_until. */
	long (*sleep)(uint64_t deadline);
};

/* thread_sleep: thread_pkg->sleep (nanosleep, sigtimedwait, the console's
 * timed reads). */
long thread_sleep(uint64_t deadline);
extern const struct thread_package *thread_pkg;
extern const struct thread_package thread_pkg_kernel, thread_pkg_user;
/* thread_main: where every new thread starts (pthread.c). */
void thread_main(struct tcb *t) __attribute__((noreturn));

enum { THREAD_RUNNING = 0, THREAD_DONE = 1 };

struct tcb {
	struct tcb *self;               /* %fs:0, the ABI's thread pointer */
	void *unused[4];
	uintptr_t stack_guard;          /* %fs:0x28: gcc's stack-protector canary */
	uint64_t area_top;              /* %fs:0x30: top of its private area (libos.h) */
	struct srv_chan *chan;          /* %fs:0x38: its view of the server channel (srv.h) */
	struct _reent *reent;           /* newlib's per-thread state (errno, strtok...) */
	envid_t env;                    /* the environment running it */
	uint32_t state;                 /* THREAD_RUNNING / THREAD_DONE (an addr_wait word) */
	uint32_t detached;              /* nobody joins it: it is reaped when it ends */
	uint32_t joined;                /* a join has claimed it */
	void *(*start)(void *);
	void *arg;
	void *result;                   /* pthread_exit's value */
	void *block;                    /* the allocation holding TLS + TCB */
	void *stack;                    /* the stack we mapped ([stack, stack+stack_len)), or NULL */
	size_t stack_len;
	int cancel_disabled;            /* PTHREAD_CANCEL_DISABLE */
	int cancel_async;               /* PTHREAD_CANCEL_ASYNCHRONOUS */
	uint32_t cancel_pending;        /* pthread_cancel called */
	struct cleanup_frame *cleanup;  /* pthread_cleanup_push stack */
	struct tcb *next, *prev;        /* all threads of the process */
	/* user-level threads (uthread.c): the saved context of one not running */
	struct exo_utf ctx;
	uint8_t fx[512] __attribute__((aligned(16)));
	uint32_t runnable;              /* on the run queue */
	volatile uint32_t *wait_addr;   /* asleep on this word (thread_wait), or NULL */
	uint64_t wait_deadline;         /* and until this TSC value (0: none) */
	int wait_result;                /* 0, ETIMEDOUT, EINTR */
	struct tcb *qnext;              /* run queue / sleepers link */
	struct _reent reent_storage;    /* what reent points at, for threads other than the first */
};

/* The running thread's TCB. */
static inline struct tcb *thread_self(void)
{
	struct tcb *t;
	__asm__("movq %%fs:0, %0" : "=r"(t));
	return t;
}

/* tls.c: thread_tls_init: make the calling environment's first thread (TLS block,
 * TCB, %fs base); the first thing start-up does. Ends the environment if there is
 * no memory. thread_block_new: a zeroed TLS block and TCB for a new thread (TLS
 * image copied in, reent set up sharing the process's standard streams), or NULL
 * (ENOMEM). thread_block_free: release one. */
void thread_tls_init(void);
struct tcb *thread_block_new(void);
void thread_block_free(struct tcb *t);

/* thread.c: the process's thread list, under thread_list_lock. thread_first is
 * the thread that started the process (its exit waits for the others). */
extern struct tcb *thread_first;
extern pthread_mutex_t thread_list_lock;
/* thread_count: live threads of this process (1 when it has never made one). */
extern unsigned thread_count;

/* thread_wait: sleep while the 32-bit word at addr holds val, until a wake, the
 * TSC deadline (0: none), or a signal for us. Returns 0 (woken, or the word
 * differs: the caller re-checks), ETIMEDOUT, or EINTR (a signal handler ran;
 * only when intr, else the wait just returns 0 for the caller to re-check). */
int thread_wait(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr);
/* thread_wake: wake up to n sleepers on addr. */
void thread_wake(volatile uint32_t *addr, int n);
/* thread_deadline: the TSC value for abstime on clock (CLOCK_REALTIME or
 * CLOCK_MONOTONIC). Returns 0 and sets *tsc, or EINVAL (bad nanoseconds or clock). */
int thread_deadline(clockid_t clock, const struct timespec *abstime, uint64_t *tsc);

/* The libOS's own locks: the server channel (rpc.c) and the mapping table
 * (mman.c), plain pthread mutexes. */
extern pthread_mutex_t libos_chan_lock, libos_mman_lock;
void libos_lock(pthread_mutex_t *m);
void libos_unlock(pthread_mutex_t *m);

/* thread_fork_prepare/_parent/_child: fork in a threaded process: take the locks
 * newlib and the libOS keep (and run pthread_atfork handlers) before, release them
 * after; in the child the caller becomes the only thread. */
void thread_fork_prepare(void);
void thread_fork_parent(void);
void thread_fork_child(void);
/* rpc.c: srv_chan_private: give the calling thread a channel view of its own
 * (the process is getting a second thread). Returns 0 or ENOMEM. srv_chan_shared:
 * the calling thread uses the channel itself again (a fork child). */
int srv_chan_private(struct tcb *t);
void srv_chan_shared(struct tcb *t);

/* thread_areas_reset: only area 0 is in use (a fork child). */
void thread_areas_reset(void);

#endif
