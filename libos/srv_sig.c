/*
 * Signals, process groups and sessions in the server (srv.h). kill picks its
 * targets here and each signal's fate is decided here from the target's own
 * dispositions (its channel's signal state): SIGKILL ends it, stop and continue
 * signals stop and continue it, a caught or blocked one is left pending in its
 * channel (the process is interrupted: env_interrupt, and runs its handler at once
 * or at its next safe point), an ignored one is dropped, and an uncaught one whose
 * default is to end the process ends it here. The kernel knows no signal numbers.
 */
#include <errno.h>
#include <signal.h>
#include "fs.h"
#include "proc.h"
#include "sigdefault.h"
#include "srv.h"

/* The dispositions of a process that has no channel yet (a fork child, or a new
 * image, before its hello) are unknown: signals for it wait in its entry, and it
 * takes them at its start. Its parent, asked about SIGCHLD flags meanwhile, has
 * the defaults. */
static const struct srv_sigstate no_channel;

static const struct srv_sigstate *sigstate(struct proc *p)
{
	struct srv_sigstate *s = srv_sigstate_of(p);
	return s ? s : &no_channel;
}

/* halt_thread / resume_thread: stop and continue a thread's environment. One
 * asleep in the kernel refuses (it sleeps on, and sleeps again while its process
 * is stopped), and so does a continue for one that was never halted but sleeps. */
static void halt_thread(envid_t env)
{
	sys_env_set_status(env, EXO_ENV_NOT_RUNNABLE);
}

static void resume_thread(envid_t env)
{
	sys_env_set_status(env, EXO_ENV_RUNNABLE);
}

/* stop: stop process p by signal sig. A runnable environment is made not runnable
 * (forced); one asleep in the kernel stays asleep, and the libOS sleeps again
 * after any wake-up while its entry says stopped. The parent hears of it. */
static void stop(struct proc *p, int sig)
{
	if (p->stopped)
		return;
	p->stopped = (uint8_t)sig;
	p->forced = sys_env_set_status(p->env, EXO_ENV_NOT_RUNNABLE) == 0;
	srv_each_thread(p, halt_thread);
	p->report = PROC_REPORT_STOP;
	srv_child_event(p, CLD_STOPPED, sig);
}

/* cont: continue a stopped process p. */
static void cont(struct proc *p)
{
	if (!p->stopped)
		return;
	p->stopped = 0;
	if (p->forced)
		sys_env_set_status(p->env, EXO_ENV_RUNNABLE);
	p->forced = 0;
	srv_each_thread(p, resume_thread);
	srv_wake(p);
	p->report = PROC_REPORT_CONT;
	srv_child_event(p, CLD_CONTINUED, SIGCONT);
}

/* pend: leave sig pending for p (in its channel, or in its entry until it has
 * one), with who sent it, and interrupt p unless it blocks sig. */
static void pend(struct proc *p, int sig, int code, int pid, int status)
{
	struct srv_sigstate *s = srv_sigstate_of(p);
	if (!s) {
		p->sig_pending |= sig_bit(sig);
		return;
	}
	s->info[sig].pid = pid, s->info[sig].code = code, s->info[sig].status = status;
	__atomic_or_fetch(&s->pending, sig_bit(sig), __ATOMIC_SEQ_CST);
	if (!(s->blocked & sig_bit(sig)))
		sys_env_interrupt(p->env);
}

void srv_signal(struct proc *p, int sig, int code, int pid, int status)
{
	if (p->state != PROC_RUNNING || sig <= 0 || sig >= NSIG)
		return;
	const struct srv_sigstate *s = sigstate(p);
	uint64_t b = sig_bit(sig);
	enum sig_default dfl = sig_default(sig);
	if (sig == SIGKILL) {
		srv_end(p, SIGKILL);
		return;
	}
	if (sig == SIGSTOP) {
		stop(p, sig);
		return;
	}
	if (sig == SIGCONT)
		cont(p); /* whatever its disposition: a handler runs as well */
	if (!srv_sigstate_of(p)) {
		pend(p, sig, code, pid, status); /* it decides once it has a channel */
		return;
	}
	if ((s->ignored & b) || (dfl == SIGDFL_IGNORE && !(s->caught & b)) ||
	    (dfl == SIGDFL_CONT && !(s->caught & b)))
		return; /* dropped (even when blocked: POSIX lets an ignored signal go) */
	if ((s->caught & b) || (s->blocked & b)) {
		pend(p, sig, code, pid, status);
		return;
	}
	if (dfl == SIGDFL_STOP)
		stop(p, sig);
	else
		srv_end(p, sig_wstatus(sig));
}

void srv_child_event(struct proc *c, int code, int status)
{
	struct proc *parent = srv_proc_find(c->ppid);
	if (!parent || parent->state != PROC_RUNNING)
		return;
	if ((code == CLD_STOPPED || code == CLD_CONTINUED) && (sigstate(parent)->flags & SRV_SIG_NOCLDSTOP))
		return;
	srv_wake(parent); /* a waitpid may be waiting for this */
	srv_signal(parent, SIGCHLD, code, c->pid, status);
}

/* Is p one of kill's targets: all (every process but init and me), the process
 * pid, or the members of process group pgid (the others 0)? */
static bool targets(const struct proc *p, const struct proc *me, bool all, int pid, int pgid)
{
	if (p->state != PROC_RUNNING && p->state != PROC_ZOMBIE)
		return false;
	if (all)
		return p->pid != 1 && p != me;
	return pid ? p->pid == pid : p->pgid == pgid;
}

/* signal_some: send sig (from pid `from`, code) to kill's targets; me (or NULL)
 * last, so that a signal that ends it does not stop the others'. 0 or -ESRCH. */
static long signal_some(struct proc *me, bool all, int pid, int pgid, int sig, int code, int from)
{
	struct proc *hit[NPROC];
	int n = 0;
	for (int i = 0; i < NPROC; i++)
		if (targets(&PROCTAB->p[i], me, all, pid, pgid))
			hit[n++] = &PROCTAB->p[i];
	if (n == 0)
		return -ESRCH;
	for (int i = 0; i < n; i++)
		if (sig && hit[i] != me)
			srv_signal(hit[i], sig, code, from, 0);
	for (int i = 0; i < n; i++)
		if (sig && hit[i] == me)
			srv_signal(me, sig, code, from, 0);
	return 0;
}

long srv_kill(struct proc *me, int pid, int sig)
{
	if (sig < 0 || sig >= NSIG)
		return -EINVAL;
	if (pid == -1)
		return signal_some(me, true, 0, 0, sig, SI_USER, me->pid);
	if (pid > 0)
		return signal_some(me, false, pid, 0, sig, SI_USER, me->pid);
	return signal_some(me, false, 0, pid == 0 ? me->pgid : -pid, sig, SI_USER, me->pid);
}

void srv_signal_group(int pgid, int sig)
{
	signal_some(NULL, false, 0, pgid, sig, SI_KERNEL, 0);
}

/* A process group of session sid with members, other than p itself? */
static bool group_in_session(int pgid, int sid)
{
	for (int i = 0; i < NPROC; i++) {
		const struct proc *q = &PROCTAB->p[i];
		if (q->state != PROC_FREE && q->pgid == pgid && q->sid == sid)
			return true;
	}
	return false;
}

long srv_setpgid(struct proc *me, int pid, int pgid)
{
	struct proc *p = pid == 0 ? me : srv_proc_find(pid);
	if (pgid < 0)
		return -EINVAL;
	if (!p || (p != me && (p->ppid != me->pid || p->state != PROC_RUNNING)))
		return -ESRCH;
	if (p != me && p->sid != me->sid)
		return -EPERM;
	if (p != me && p->execed)
		return -EACCES;
	if (p->sid == p->pid)
		return -EPERM; /* a session leader stays in its group */
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid && !group_in_session(pgid, me->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

long srv_setsid(struct proc *me)
{
	for (int i = 0; i < NPROC; i++)
		if (PROCTAB->p[i].state != PROC_FREE && PROCTAB->p[i].pgid == me->pid)
			return -EPERM; /* it leads a group already */
	me->sid = me->pgid = me->pid;
	return me->sid;
}

long srv_tcsetpgrp(struct proc *me, int pgrp)
{
	if (pgrp <= 0)
		return -EINVAL;
	if (!group_in_session(pgrp, me->sid))
		return -EPERM;
	PROCTAB->fg_pgrp = pgrp;
	return 0;
}
