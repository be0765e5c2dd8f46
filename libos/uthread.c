/*
 * User-level threads: many threads on the process's one environment, switched
 * by the libOS. A wait or a wake on a word is a list operation, not a system
 * call; the only kernel call on a switch is the new thread's %fs base. The
 * process takes a time slot of its own (slot_alloc) when it makes its first
 * thread, and the kernel's slot-start upcall is where a running thread is
 * preempted for the next (Anderson et al.'s scheduler activations, in the
 * exokernel's terms: the kernel tells the process its slice began, the process
 * decides which of its threads runs). A thread that blocks in a libOS call
 * (libos_block) hands the CPU to the others; the environment sleeps in the
 * kernel only when no thread can run.
 *
 * Not for process-shared objects: a wait on a word another process wakes is not
 * seen (kernel threads serve those).
 */
#include <errno.h>
#include <string.h>
#include "proc.h"
#include "signal_int.h"
#include "thread.h"

_Static_assert(SYS_env_set_fsbase == 34, "uthread_switch.S");

void libos_ult_swap(struct exo_utf *save, void *save_fx, const struct exo_utf *load, const void *load_fx,
		    uint64_t fsbase);
void libos_ult_jump(const struct exo_utf *load, const void *load_fx, uint64_t fsbase) __attribute__((noreturn));

static struct tcb *runq_head, *runq_tail; /* runnable, not running */
static struct tcb *sleepers;              /* asleep on a word */
static struct tcb *running;               /* whose context is live (NULL: the first thread) */
volatile int libos_ult_in_sched;          /* the lists are changing: no preemption */
#define in_sched libos_ult_in_sched
static bool slot_held;                    /* we hold a time slot: preemption is on */

static struct tcb *current(void)
{
	return running ? running : thread_first;
}

static void enqueue(struct tcb *t)
{
	t->runnable = 1;
	t->qnext = NULL;
	if (runq_tail)
		runq_tail->qnext = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct tcb *dequeue(void)
{
	struct tcb *t = runq_head;
	if (t) {
		runq_head = t->qnext;
		if (!runq_head)
			runq_tail = NULL;
		t->runnable = 0;
	}
	return t;
}

/* unsleep: take t off the sleepers with result r and make it runnable. */
static void unsleep(struct tcb *t, int r)
{
	for (struct tcb **p = &sleepers; *p; p = &(*p)->qnext)
		if (*p == t) {
			*p = t->qnext;
			break;
		}
	t->wait_addr = NULL;
	t->wait_result = r;
	enqueue(t);
}

/* wake_expired: sleepers whose deadline has passed run again (ETIMEDOUT).
 * Returns the earliest deadline still ahead, or 0. */
static uint64_t wake_expired(void)
{
	uint64_t now = libos_rdtsc(), next = 0;
	for (struct tcb *t = sleepers, *n; t; t = n) {
		n = t->qnext;
		if (t->wait_deadline && t->wait_deadline <= now)
			unsleep(t, ETIMEDOUT);
		else if (t->wait_deadline && (!next || t->wait_deadline < next))
			next = t->wait_deadline;
	}
	return next;
}

/* idle: nothing can run: sleep in the kernel until the earliest deadline, or
 * (none) until a signal or a wake-up note. An interruptible wait of cur's
 * (sem_wait, a sleep) then ends with EINTR, the signal left for it to take; for
 * another wait, the handler runs here, on cur. */
static void idle(struct tcb *cur, bool intr)
{
	uint64_t deadline = wake_expired();
	if (runq_head)
		return;
	long r;
	libos_in_libos++;
	if (deadline) {
		r = sys_sleep_until((long)deadline);
	} else {
		static struct exo_ipc_msg msg;
		r = sys_ipc_recv(-1, (long)&msg);
	}
	libos_in_libos--;
	if (r == -E_INTR && !libos_in_libos && libos_sig_deliverable()) {
		if (cur->wait_addr && intr) {
			unsleep(cur, EINTR);
		} else {
			in_sched = 0; /* handlers run as the thread's own code */
			libos_sig_dispatch();
			in_sched = 1;
		}
	}
	while (task.self && task.self->stopped)
		libos_block();
	wake_expired();
}

/* reschedule: run the next runnable thread; cur (the caller) is saved first unless
 * it has ended. Called with in_sched set; returns in cur, when it runs again,
 * with in_sched clear. */
static void reschedule(struct tcb *cur, bool save, bool intr)
{
	struct tcb *next;
	while (!(next = dequeue()))
		idle(cur, intr);
	if (next != cur) {
		running = next;
		if (save)
			libos_ult_swap(&cur->ctx, cur->fx, &next->ctx, next->fx, (uint64_t)next);
		else
			libos_ult_jump(&next->ctx, next->fx, (uint64_t)next);
	}
	in_sched = 0;
}

/* preempt: the slot-start upcall (utf, fx: the interrupted thread's registers and
 * SSE state): sleepers whose deadline has passed become runnable, and the
 * interrupted thread goes to the back of the queue and the first one's context
 * replaces it, unless the interrupted one is changing the lists
 * or is inside the libOS (it finishes first: the next slot comes soon). */
extern const char libos_ult_swap_code[] __asm__("libos_ult_swap"), libos_ult_switch_end[];
extern const char libos_sig_resume_code[] __asm__("libos_sig_resume"), libos_sig_resume_end[];
extern const char libos_resume_start[], libos_resume_end[];

/* switching: is rip inside the code that switches contexts (it runs with the
 * lists consistent but a context half loaded)? */
static bool switching(uint64_t rip)
{
	return (rip >= (uint64_t)libos_ult_swap_code && rip < (uint64_t)libos_ult_switch_end) ||
	       (rip >= (uint64_t)libos_sig_resume_code && rip < (uint64_t)libos_sig_resume_end) ||
	       (rip >= (uint64_t)libos_resume_start && rip < (uint64_t)libos_resume_end);
}

static void preempt(struct exo_utf *utf, void *fx)
{
	if (in_sched || libos_in_libos || switching(utf->rip))
		return;
	wake_expired(); /* a sleeper whose time has come is due too */
	if (!runq_head)
		return;
	struct tcb *cur = current(), *next = dequeue();
	cur->ctx = *utf;
	memcpy(cur->fx, fx, sizeof cur->fx);
	enqueue(cur);
	running = next;
	*utf = next->ctx;
	memcpy(fx, next->fx, sizeof next->fx);
	sys_env_set_fsbase(0, (long)next);
}

/* entry: a new thread's first instructions. */
static void entry(struct tcb *t) __attribute__((noreturn));
static void entry(struct tcb *t)
{
	in_sched = 0;
	thread_main(t);
}

static int user_start(struct tcb *t, char *stack_top)
{
	uint64_t sp = ((uint64_t)stack_top & ~15UL) - 8; /* as after a call */
	*(uint64_t *)sp = 0;
	memset(&t->ctx, 0, sizeof t->ctx);
	t->ctx.rip = (uint64_t)entry;
	t->ctx.rsp = sp;
	t->ctx.rdi = (uint64_t)t;
	t->ctx.rflags = 0x202;
	__asm__ volatile("fxsave64 %0" : "=m"(t->fx)); /* our SSE control state, for it to start with */
	t->env = thread_first->env;
	if (!running)
		running = thread_self(); /* the maker runs: from now on threads switch */
	if (!slot_held && sys_slot_alloc(-1) >= 0) { /* a slot of our own: its start preempts */
		slot_held = true;
		libos_set_preempt_hook(preempt);
	}
	in_sched = 1;
	enqueue(t);
	in_sched = 0;
	return 0;
}

static void __attribute__((noreturn)) user_end(void)
{
	in_sched = 1;
	reschedule(current(), false, false);
	__builtin_unreachable();
}

static bool user_gone(struct tcb *t)
{
	return t != current();
}

/* sleep_on: sleep while *addr holds val (see thread_wait); an interrupted
 * interruptible sleep returns EINTR with the signal not yet taken. */
static int sleep_on(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr)
{
	in_sched = 1;
	if (*addr != val) {
		in_sched = 0;
		return 0;
	}
	struct tcb *cur = current();
	cur->wait_addr = addr;
	cur->wait_deadline = deadline;
	cur->wait_result = 0;
	cur->qnext = sleepers;
	sleepers = cur;
	reschedule(cur, true, intr);
	return cur->wait_result;
}

static int user_wait(volatile uint32_t *addr, uint32_t val, uint64_t deadline, bool intr)
{
	int r = sleep_on(addr, val, deadline, intr);
	if (r == EINTR && !libos_in_libos && libos_sig_deliverable())
		libos_sig_dispatch();
	return r;
}

static long user_sleep(uint64_t deadline)
{
	if (!running)
		return sys_sleep_until((long)deadline); /* no other thread yet */
	uint32_t word = 0;
	return sleep_on(&word, 0, deadline, true) == EINTR ? -E_INTR : 0;
}

static void user_wake(volatile uint32_t *addr, int n)
{
	in_sched = 1;
	for (struct tcb *t = sleepers, *next; t && n > 0; t = next) {
		next = t->qnext;
		if (t->wait_addr == addr) {
			unsleep(t, 0);
			n--;
		}
	}
	in_sched = 0;
}

static void user_yield(void)
{
	in_sched = 1;
	wake_expired();
	if (!runq_head) {
		in_sched = 0;
		return;
	}
	struct tcb *cur = current();
	enqueue(cur);
	reschedule(cur, true, false);
}

static void user_fork_child(void)
{
	runq_head = runq_tail = sleepers = NULL;
	running = NULL; /* the caller is the child's first thread */
	slot_held = false;  /* slots are not inherited */
	libos_set_preempt_hook(NULL);
}

static void user_kick(struct tcb *t)
{
	in_sched = 1;
	if (t->wait_addr)
		unsleep(t, 0);
	in_sched = 0;
}

/* libos_ult_block: libos_block for a thread of this package: the others run
 * while it waits (it asks again when it next runs); with none to run, the
 * environment sleeps in the kernel (until the earliest deadline of a sleeper, or
 * the server's note). Returns true when it did the waiting, false when the caller
 * should block the environment itself. */
bool libos_ult_block(void)
{
	if (thread_pkg != &thread_pkg_user || !running)
		return false;
	in_sched = 1;
	uint64_t deadline = wake_expired();
	if (runq_head) {
		struct tcb *cur = current();
		enqueue(cur);
		reschedule(cur, true, false);
		return true;
	}
	in_sched = 0;
	if (!deadline)
		return false;
	libos_in_libos++;
	sys_sleep_until((long)deadline); /* a note that comes meanwhile waits for the next ipc_recv */
	libos_in_libos--;
	return true;
}

const struct thread_package thread_pkg_user = {
	"user", user_start, user_end, user_gone, user_wait, user_wake, user_yield, user_fork_child, user_kick,
	user_sleep,
};
