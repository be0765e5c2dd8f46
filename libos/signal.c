/*
 * Signals, in the process (see srv_sig.c for the server's part). Dispositions and
 * the mask are ours, kept here and published in our channel's signal state for the
 * server to read; pending signals arrive there (kill, from the server) or are made
 * here (raise, alarm, faults).
 *
 * Delivery. A pending signal we do not block runs its handler
 *  - at once, through a signal frame, when the kernel interrupts us in user code
 *    (EXO_T_INTERRUPT upcall: the server's env_interrupt, or our own alarm) or when
 *    a CPU fault is one (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP): the interrupted
 *    context is saved on the stack (or the alternate stack) and the handler's return
 *    resumes it (libos_sig_resume);
 *  - or, when the interrupt finds us inside the libOS (talking to the server, asleep
 *    in a blocking call), at the libOS's next safe point (libos_sig_dispatch): a
 *    blocking call then fails with EINTR unless every handler run had SA_RESTART.
 */
#include <errno.h>
#include <signal.h>
#include <setjmp.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"
#include "sigdefault.h"
#include "signal_int.h"
#include "thread.h"
#include "srv.h"
#include "vpt.h"

static struct sigaction acts[NSIG];
static uint64_t blocked;
static stack_t altstack = { .ss_flags = SS_DISABLE };
static struct srv_sigstate local; /* without a channel (bare, or before hello) */
__thread int libos_in_libos; /* per thread: each thread may be inside the libOS on its own */

/* ITIMER_REAL: the next expiry (TSC, 0: none) and the interval. */
static uint64_t alarm_at LIBOS_FORK_STATE, alarm_every LIBOS_FORK_STATE;

_Static_assert(sizeof ((struct libos_sigsave *)0)->acts == sizeof acts, "one entry per signal");

void libos_sig_save(struct libos_sigsave *to)
{
	memcpy(to->acts, acts, sizeof acts);
	to->blocked = blocked;
	to->altstack = altstack;
	to->alarm_at = alarm_at;
	to->alarm_every = alarm_every;
}

static void publish(void);

void libos_sig_restore(const struct libos_sigsave *from)
{
	memcpy(acts, from->acts, sizeof acts);
	blocked = from->blocked;
	altstack = from->altstack;
	alarm_at = from->alarm_at;
	alarm_every = from->alarm_every;
	publish();
}

#define UNBLOCKABLE (sig_bit(SIGKILL) | sig_bit(SIGSTOP))
#define ALL_SIGNALS (((1ULL << NSIG) - 1) & ~1ULL)

/* Our signal state: in the channel when we have one. */
static struct srv_sigstate *state(void)
{
	if (!libos_is_server && (vpt_lookup(UPROCS) & PTE_P) && (vpt_lookup(LIBOS_CHAN) & PTE_P))
		return SRV_SIG;
	return &local;
}

void libos_sig_upcall_ready(void)
{
	/* After a fork these pages are copy-on-write, and a fault in an upcall handler
	 * ends the environment: resolve them now, by system calls (pgfault.c). */
	const void *vars[] = { &libos_in_libos, &blocked, &acts[0], &acts[NSIG - 1], &altstack, &local,
			       (char *)&local + sizeof local - 1, &alarm_at, &alarm_every };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		uint64_t va = (uint64_t)vars[i], pte = vpt_lookup(va);
		if (!(pte & PTE_P) || !(pte & PTE_W) || !(*VPT_PDE(va) & PTE_W))
			libos_make_writable(va, va + 1); /* only what is not writable yet */
	}
}

/* publish: show our dispositions and mask to the server. */
static void publish(void)
{
	struct srv_sigstate *s = state();
	uint64_t caught = 0, ignored = 0;
	for (int sig = 1; sig < NSIG; sig++) {
		if (acts[sig].sa_handler == SIG_IGN)
			ignored |= sig_bit(sig);
		else if (acts[sig].sa_handler != SIG_DFL)
			caught |= sig_bit(sig);
	}
	uint32_t flags = 0;
	if (acts[SIGCHLD].sa_flags & SA_NOCLDSTOP)
		flags |= SRV_SIG_NOCLDSTOP;
	if ((acts[SIGCHLD].sa_flags & SA_NOCLDWAIT) || acts[SIGCHLD].sa_handler == SIG_IGN)
		flags |= SRV_SIG_NOCLDWAIT;
	s->blocked = blocked, s->caught = caught, s->ignored = ignored, s->flags = flags;
}

void libos_sig_channel_ready(void)
{
	alarm_at = alarm_every = 0; /* a fork child has no timers */
	publish();
}

void libos_sig_exec_inherit(uint64_t ignored, uint64_t mask)
{
	for (int sig = 1; sig < NSIG; sig++)
		if (ignored & sig_bit(sig))
			acts[sig].sa_handler = SIG_IGN;
	blocked = mask & ~UNBLOCKABLE;
	publish();
}

void libos_sig_exec_state(uint64_t *ignored, uint64_t *mask)
{
	uint64_t ig = 0;
	for (int sig = 1; sig < NSIG; sig++)
		if (acts[sig].sa_handler == SIG_IGN)
			ig |= sig_bit(sig);
	*ignored = ig, *mask = blocked;
}

/* pend_local: make sig pending for us without the server (raise, alarm, faults). */
static void pend_local(int sig, int code, int pid)
{
	struct srv_sigstate *s = state();
	s->info[sig].code = code, s->info[sig].pid = pid, s->info[sig].status = 0;
	__atomic_or_fetch(&s->pending, sig_bit(sig), __ATOMIC_SEQ_CST);
}

/* alarm_check: if our ITIMER_REAL has expired, make SIGALRM pending and re-arm. */
static void alarm_check(void)
{
	if (!alarm_at || libos_rdtsc() < alarm_at)
		return;
	pend_local(SIGALRM, SI_TIMER, 0);
	if (alarm_every) {
		uint64_t now = libos_rdtsc();
		while (alarm_at <= now)
			alarm_at += alarm_every;
	} else {
		alarm_at = 0;
	}
	sys_interrupt_at((long)alarm_at);
}

/* take: the lowest pending signal we do not block, taken out of the pending set
 * (its siginfo into *info), or 0. */
static int take(siginfo_t *info)
{
	struct srv_sigstate *s = state();
	uint64_t ready = s->pending & ~blocked;
	if (!ready)
		return 0;
	int sig = __builtin_ctzll(ready);
	__atomic_and_fetch(&s->pending, ~sig_bit(sig), __ATOMIC_SEQ_CST);
	*info = (siginfo_t){ .si_signo = sig, .si_code = s->info[sig].code, .si_pid = s->info[sig].pid,
			     .si_status = s->info[sig].status };
	return sig;
}

bool libos_sig_deliverable(void)
{
	alarm_check();
	return (state()->pending & ~blocked) != 0;
}

/* default_action: what sig does to us when nobody catches it. */
static void default_action(int sig)
{
	switch (sig_default(sig)) {
	case SIGDFL_TERM:
	case SIGDFL_CORE:
		proc_exit(sig_wstatus(sig)); /* no stdio flush: an abnormal end */
	case SIGDFL_STOP:
		if (srv_chan())
			srv_call(SRV_KILL, task.pid, sig, 0); /* the server stops us */
		return;
	default:
		return;
	}
}

/* handler_mask: the mask while sig's handler runs. */
static uint64_t handler_mask(int sig)
{
	uint64_t m = blocked | acts[sig].sa_mask;
	if (!(acts[sig].sa_flags & SA_NODEFER))
		m |= sig_bit(sig);
	return m & ~UNBLOCKABLE;
}

struct call {
	struct sigaction act;
	int sig;
	siginfo_t *info;
	void *uc;
};

static void call_handler(void *arg)
{
	struct call *c = arg;
	if (c->act.sa_flags & SA_SIGINFO)
		c->act.sa_sigaction(c->sig, c->info, c->uc);
	else
		c->act.sa_handler(c->sig);
}

/* Is rsp on the alternate signal stack? */
static bool on_altstack(uint64_t rsp)
{
	return !(altstack.ss_flags & SS_DISABLE) && rsp > (uint64_t)altstack.ss_sp &&
	       rsp <= (uint64_t)altstack.ss_sp + altstack.ss_size;
}

/* run: deliver sig synchronously (called from C at a safe point). Returns true
 * if the interrupted call may be restarted (SA_RESTART, or no handler ran). */
static bool run(int sig, siginfo_t *info)
{
	struct sigaction act = acts[sig];
	if (act.sa_handler == SIG_IGN)
		return true;
	if (act.sa_handler == SIG_DFL) {
		default_action(sig);
		return true;
	}
	uint64_t saved = blocked;
	blocked = handler_mask(sig);
	if (act.sa_flags & SA_RESETHAND)
		acts[sig].sa_handler = SIG_DFL, acts[sig].sa_flags &= ~SA_SIGINFO;
	publish();
	struct call c = { act, sig, info, NULL };
	uint64_t rsp = (uint64_t)__builtin_frame_address(0);
	if ((act.sa_flags & SA_ONSTACK) && !(altstack.ss_flags & SS_DISABLE) && !on_altstack(rsp))
		libos_call_on_stack(call_handler, &c, (void *)(((uint64_t)altstack.ss_sp + altstack.ss_size) & ~15UL));
	else
		call_handler(&c);
	blocked = saved;
	publish();
	return (act.sa_flags & SA_RESTART) != 0;
}

bool libos_sig_dispatch(void)
{
	bool restart = true;
	siginfo_t info;
	alarm_check();
	for (int sig; (sig = take(&info));)
		restart &= run(sig, &info);
	return restart;
}

/* ---- signal frames: delivery that interrupts user code -------------------------- */

struct sigframe {
	struct exo_utf utf;              /* the interrupted context */
	uint8_t fx[512] __attribute__((aligned(16))); /* and its SSE state */
	siginfo_t info;
	uint64_t saved_mask;
	struct sigaction act;
	int sig;
};

void libos_sig_resume(const struct exo_utf *utf, const void *fx) __attribute__((noreturn));

/* libos_sig_enter: where a signal frame starts (on the user or alternate stack):
 * run the handler, restore the mask, run what became deliverable, and resume. */
void libos_sig_enter(struct sigframe *f) __attribute__((noreturn, used));
void libos_sig_enter(struct sigframe *f)
{
	struct call c = { f->act, f->sig, &f->info, &f->utf };
	call_handler(&c);
	blocked = f->saved_mask;
	publish();
	libos_sig_dispatch();
	libos_sig_resume(&f->utf, f->fx);
}

/* frame: set up utf to enter sig's handler through a frame. Returns false if the
 * frame cannot be written (no room on the stack). */
static bool frame(struct exo_utf *utf, const void *fx, int sig, const siginfo_t *info)
{
	struct sigaction act = acts[sig];
	uint64_t top = utf->rsp - 256; /* below the red zone and the resume slot */
	if ((act.sa_flags & SA_ONSTACK) && !(altstack.ss_flags & SS_DISABLE) && !on_altstack(utf->rsp))
		top = (uint64_t)altstack.ss_sp + altstack.ss_size;
	uint64_t lo = (top - sizeof(struct sigframe)) & ~63UL;
	if (libos_make_writable(lo, top) < 0)
		return false;
	struct sigframe *f = (struct sigframe *)lo;
	f->utf = *utf;
	memcpy(f->fx, fx, sizeof f->fx);
	f->info = *info;
	f->saved_mask = blocked;
	f->act = act;
	f->sig = sig;
	blocked = handler_mask(sig);
	if (act.sa_flags & SA_RESETHAND)
		acts[sig].sa_handler = SIG_DFL, acts[sig].sa_flags &= ~SA_SIGINFO;
	publish();
	utf->rip = (uint64_t)libos_sig_enter;
	utf->rdi = lo;
	utf->rsp = lo - 8; /* as if called: rsp + 8 is 16-aligned */
	utf->rflags &= ~0x400UL; /* DF clear, as the ABI wants at a call */
	return true;
}

void libos_sig_interrupt(struct exo_utf *utf, const void *fx)
{
	alarm_check();
	if (libos_in_libos)
		return; /* the libOS's safe point delivers it (and decides on EINTR) */
	siginfo_t info;
	for (int sig; (sig = take(&info));) {
		if (acts[sig].sa_handler == SIG_IGN)
			continue;
		if (acts[sig].sa_handler == SIG_DFL) {
			default_action(sig);
			continue;
		}
		if (frame(utf, fx, sig, &info))
			return; /* the rest after its handler (libos_sig_enter) */
		default_action(SIGSEGV); /* no room for a frame */
	}
}

bool libos_sig_fault(struct exo_utf *utf, const void *fx, int sig)
{
	if ((blocked & sig_bit(sig)) || acts[sig].sa_handler == SIG_DFL || acts[sig].sa_handler == SIG_IGN)
		return false;
	siginfo_t info = { .si_signo = sig, .si_addr = (void *)(sig == SIGSEGV || sig == SIGBUS ? utf->fault_va : utf->rip) };
	if (sig == SIGBUS)
		info.si_code = BUS_ADRERR;
	else if (sig == SIGSEGV)
		info.si_code = (utf->err & EXO_PF_PRESENT) ? SEGV_ACCERR : SEGV_MAPERR;
	else if (sig == SIGFPE)
		info.si_code = utf->trapno == EXO_T_DIVIDE ? FPE_INTDIV : FPE_FLTINV;
	else if (sig == SIGILL)
		info.si_code = ILL_ILLOPC;
	else if (sig == SIGTRAP)
		info.si_code = TRAP_BRKPT;
	else
		info.si_code = SI_KERNEL;
	return frame(utf, fx, sig, &info);
}

/* ---- the POSIX calls ------------------------------------------------------------- */

static int fail(int err)
{
	errno = err;
	return -1;
}

static bool valid(int sig)
{
	return sig > 0 && sig < NSIG;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!valid(sig) || (act && (sig == SIGKILL || sig == SIGSTOP) && act->sa_handler != SIG_DFL))
		return fail(EINVAL);
	if ((act && libos_user_range(act, sizeof *act, false)) || (old && libos_user_range(old, sizeof *old, true)))
		return fail(EFAULT);
	struct sigaction prev = acts[sig];
	if (act) {
		acts[sig] = *act;
		acts[sig].sa_mask &= ALL_SIGNALS & ~UNBLOCKABLE;
		publish();
		if (act->sa_handler == SIG_IGN || (act->sa_handler == SIG_DFL && sig_default(sig) == SIGDFL_IGNORE))
			__atomic_and_fetch(&state()->pending, ~sig_bit(sig), __ATOMIC_SEQ_CST); /* POSIX: discarded */
	}
	if (old)
		*old = prev;
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	if ((set && libos_user_range(set, sizeof *set, false)) || (old && libos_user_range(old, sizeof *old, true)))
		return fail(EFAULT);
	uint64_t prev = blocked;
	if (set) {
		uint64_t s = (uint64_t)*set & ALL_SIGNALS;
		if (how == SIG_BLOCK)
			blocked |= s;
		else if (how == SIG_UNBLOCK)
			blocked &= ~s;
		else if (how == SIG_SETMASK)
			blocked = s;
		else
			return fail(EINVAL);
		blocked &= ~UNBLOCKABLE;
		publish();
	}
	if (old)
		*old = (sigset_t)prev;
	if (!libos_in_libos)
		libos_sig_dispatch(); /* what we unblocked comes before we return */
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigprocmask(how, set, old) < 0 ? errno : 0;
}

int sigpending(sigset_t *set)
{
	if (libos_user_range(set, sizeof *set, true))
		return fail(EFAULT);
	alarm_check();
	*set = (sigset_t)(state()->pending & blocked);
	return 0;
}

int sigsuspend(const sigset_t *mask)
{
	if (libos_user_range(mask, sizeof *mask, false))
		return fail(EFAULT);
	uint64_t saved = blocked;
	blocked = ((uint64_t)*mask & ALL_SIGNALS) & ~UNBLOCKABLE;
	publish();
	libos_in_libos++;
	while (!libos_sig_deliverable())
		libos_block();
	libos_in_libos--;
	libos_sig_dispatch();
	blocked = saved;
	publish();
	libos_sig_dispatch();
	return fail(EINTR);
}

int pause(void)
{
	sigset_t now = (sigset_t)blocked;
	return sigsuspend(&now);
}

int sigwait(const sigset_t *set, int *sig)
{
	siginfo_t info;
	int r = sigtimedwait(set, &info, NULL);
	if (r < 0)
		return errno;
	*sig = r;
	return 0;
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
	return sigtimedwait(set, info, NULL);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
	if (libos_user_range(set, sizeof *set, false) || (info && libos_user_range(info, sizeof *info, true)) ||
	    (timeout && libos_user_range(timeout, sizeof *timeout, false)))
		return fail(EFAULT);
	if (timeout && (timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L))
		return fail(EINVAL);
	uint64_t want = (uint64_t)*set & ALL_SIGNALS & ~UNBLOCKABLE;
	uint64_t end = timeout ? libos_rdtsc() + (uint64_t)timeout->tv_sec * exo_info->tsc_hz +
				 (uint64_t)timeout->tv_nsec * exo_info->tsc_hz / 1000000000ULL : 0;
	libos_in_libos++;
	for (;;) {
		alarm_check();
		struct srv_sigstate *s = state();
		uint64_t got = s->pending & want;
		if (got) {
			int sig = __builtin_ctzll(got);
			__atomic_and_fetch(&s->pending, ~sig_bit(sig), __ATOMIC_SEQ_CST);
			libos_in_libos--;
			if (info)
				*info = (siginfo_t){ .si_signo = sig, .si_code = s->info[sig].code,
						     .si_pid = s->info[sig].pid, .si_status = s->info[sig].status };
			return sig;
		}
		if (libos_sig_deliverable()) { /* another signal, not waited for, comes first */
			libos_in_libos--;
			libos_sig_dispatch();
			return fail(EINTR);
		}
		if (timeout && libos_rdtsc() >= end) {
			libos_in_libos--;
			return fail(EAGAIN);
		}
		if (timeout)
			thread_sleep(end);
		else
			libos_block();
	}
}

int raise(int sig)
{
	if (!valid(sig))
		return fail(EINVAL);
	/* What our own dispositions settle (a handler, SIG_IGN, a default of ignore)
	 * needs nobody else: the signal is made pending here and delivered now. The
	 * server takes the rest (an end, a stop, SIGCONT) as for any kill. */
	_sig_func_ptr h = acts[sig].sa_handler;
	bool ours = sig != SIGKILL && sig != SIGSTOP && sig != SIGCONT &&
		    (h != SIG_DFL || sig_default(sig) == SIGDFL_IGNORE);
	if (ours || !srv_chan()) {
		if (!ours && (sig == SIGKILL || sig == SIGSTOP))
			default_action(sig);
		pend_local(sig, SI_USER, task.pid);
		libos_sig_dispatch();
		return 0;
	}
	return kill(task.pid, sig);
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp <= 1)
		return fail(pgrp == 1 ? ESRCH : EINVAL);
	return kill(-pgrp, sig);
}

int sigaltstack(const stack_t *ss, stack_t *old)
{
	if ((ss && libos_user_range(ss, sizeof *ss, false)) || (old && libos_user_range(old, sizeof *old, true)))
		return fail(EFAULT);
	uint64_t rsp = (uint64_t)__builtin_frame_address(0);
	stack_t prev = altstack;
	prev.ss_flags = (altstack.ss_flags & SS_DISABLE) ? SS_DISABLE : on_altstack(rsp) ? SS_ONSTACK : 0;
	if (ss) {
		if (on_altstack(rsp))
			return fail(EPERM);
		if (ss->ss_flags & ~SS_DISABLE)
			return fail(EINVAL);
		if (!(ss->ss_flags & SS_DISABLE) && ss->ss_size < MINSIGSTKSZ)
			return fail(ENOMEM);
		altstack = *ss;
	}
	if (old)
		*old = prev;
	return 0;
}

int siginterrupt(int sig, int flag)
{
	if (!valid(sig))
		return fail(EINVAL);
	if (flag)
		acts[sig].sa_flags &= ~SA_RESTART;
	else
		acts[sig].sa_flags |= SA_RESTART;
	return 0;
}

int sigemptyset(sigset_t *set) { *set = 0; return 0; }
int sigfillset(sigset_t *set) { *set = (sigset_t)ALL_SIGNALS; return 0; }

int sigaddset(sigset_t *set, const int sig)
{
	if (!valid(sig))
		return fail(EINVAL);
	*set |= (sigset_t)sig_bit(sig);
	return 0;
}

int sigdelset(sigset_t *set, const int sig)
{
	if (!valid(sig))
		return fail(EINVAL);
	*set &= ~(sigset_t)sig_bit(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (!valid(sig))
		return fail(EINVAL);
	return ((uint64_t)*set & sig_bit(sig)) != 0;
}

int sighold(int sig)
{
	sigset_t s = 0;
	return sigaddset(&s, sig) < 0 ? -1 : sigprocmask(SIG_BLOCK, &s, NULL);
}

int sigrelse(int sig)
{
	sigset_t s = 0;
	return sigaddset(&s, sig) < 0 ? -1 : sigprocmask(SIG_UNBLOCK, &s, NULL);
}

int sigignore(int sig)
{
	return signal(sig, SIG_IGN) == SIG_ERR ? -1 : 0;
}

void siglongjmp(sigjmp_buf env, int val)
{
	if (env[0].savemask)
		sigprocmask(SIG_SETMASK, &env[0].mask, NULL);
	longjmp(env[0].jb, val);
}

/* ---- timers ------------------------------------------------------------------------ */

static uint64_t to_ticks(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * exo_info->tsc_hz + (uint64_t)tv->tv_usec * exo_info->tsc_hz / 1000000ULL;
}

static struct timeval to_timeval(uint64_t ticks)
{
	uint64_t us = (uint64_t)((unsigned __int128)ticks * 1000000ULL / exo_info->tsc_hz);
	return (struct timeval){ (time_t)(us / 1000000), (suseconds_t)(us % 1000000) };
}

int getitimer(int which, struct itimerval *v)
{
	if (which != ITIMER_REAL)
		return fail(EINVAL);
	if (libos_user_range(v, sizeof *v, true))
		return fail(EFAULT);
	uint64_t now = libos_rdtsc();
	v->it_value = to_timeval(alarm_at > now ? alarm_at - now : 0);
	v->it_interval = to_timeval(alarm_every);
	return 0;
}

int setitimer(int which, const struct itimerval *v, struct itimerval *old)
{
	if (which != ITIMER_REAL)
		return fail(EINVAL);
	if (libos_user_range(v, sizeof *v, false) || (old && libos_user_range(old, sizeof *old, true)))
		return fail(EFAULT);
	if (v->it_value.tv_usec < 0 || v->it_value.tv_usec >= 1000000 || v->it_interval.tv_usec < 0 ||
	    v->it_interval.tv_usec >= 1000000 || v->it_value.tv_sec < 0 || v->it_interval.tv_sec < 0)
		return fail(EINVAL);
	if (old)
		getitimer(ITIMER_REAL, old);
	uint64_t value = to_ticks(&v->it_value);
	alarm_at = value ? libos_rdtsc() + value : 0;
	alarm_every = value ? to_ticks(&v->it_interval) : 0;
	sys_interrupt_at((long)alarm_at);
	return 0;
}

unsigned alarm(unsigned seconds)
{
	struct itimerval v = { { 0, 0 }, { (time_t)seconds, 0 } }, old;
	setitimer(ITIMER_REAL, &v, &old);
	return (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec > 0);
}

/* ---- process groups and sessions ------------------------------------------------------ */

static long request(int op, int64_t a0, int64_t a1)
{
	long r = srv_call(op, a0, a1, 0);
	return r < 0 ? fail((int)-r) : r;
}

int setpgid(pid_t pid, pid_t pgid)
{
	return (int)request(SRV_SETPGID, pid, pgid);
}

pid_t setsid(void)
{
	return (pid_t)request(SRV_SETSID, 0, 0);
}

/* proc_of: pid's entry in our view (0: ours), or NULL with errno (ESRCH; ENOSYS
 * in a bare environment, which has no process table). */
static const struct proc *proc_of(pid_t pid)
{
	if (!task.self)
		return errno = pid == 0 ? ENOSYS : ESRCH, NULL;
	if (pid == 0)
		return task.self;
	for (int i = 0; i < NPROC; i++)
		if (PROCTAB->p[i].state != PROC_FREE && PROCTAB->p[i].pid == pid)
			return &PROCTAB->p[i];
	return errno = ESRCH, NULL;
}

pid_t getpgid(pid_t pid)
{
	const struct proc *p = proc_of(pid);
	return p ? p->pgid : -1;
}

pid_t getpgrp(void)
{
	return getpgid(0);
}

pid_t getsid(pid_t pid)
{
	const struct proc *p = proc_of(pid);
	return p ? p->sid : -1;
}

pid_t tcgetpgrp(int fd)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type != F_CONSOLE)
		return fail(ENOTTY);
	return task.self ? PROCTAB->fg_pgrp : 1;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	struct ofile *f = fd_file(fd);
	if (!f)
		return -1;
	if (f->type != F_CONSOLE)
		return fail(ENOTTY);
	return (int)request(SRV_TCSETPGRP, pgrp, 0);
}
