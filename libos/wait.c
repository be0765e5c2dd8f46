/* Process ids, exit, wait and kill (POSIX semantics on the shared process table). */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc.h"

pid_t getpid(void) { return task.pid; }

pid_t getppid(void)
{
	return task.self->ppid;
}

/* _exit: end the process with status (newlib's exit() flushes stdio first). */
void _exit(int status)
{
	proc_exit((status & 0xff) << 8);
}

/* waitpid: wait for a child (pid > 0: that one; -1: any) to end; reap it.
 * Returns its pid, 0 with WNOHANG if none has ended, or -1 with ECHILD (no such
 * child) or EINVAL (bad options / pid < -1 or 0: no process groups). Blocks in the
 * kernel (ipc_recv) between checks: a child's exit wakes us. */
pid_t waitpid(pid_t pid, int *status, int options)
{
	if ((options & ~WNOHANG) || pid == 0 || pid < -1) {
		errno = EINVAL;
		return -1;
	}
	if (status && libos_user_range(status, sizeof *status, true)) {
		errno = EFAULT; /* checked first: the status is written after the unlock */
		return -1;
	}
	proc_sweep(); /* children ended from outside become zombies (libos_block sweeps after) */
	for (;;) {
		bool have_child = false;
		envid_t ending = 0; /* a zombie whose environment has not ended yet */
		proc_lock();
		for (int i = 0; i < NPROC; i++) {
			struct proc *p = &PROCTAB->p[i];
			if (p->state == PROC_FREE || p->ppid != task.pid || (pid > 0 && p->pid != pid))
				continue;
			have_child = true;
			/* A zombie is reaped once its environment is gone too (the kernel's
			 * death note wakes us), so its memory is back when wait returns. */
			if (p->state == PROC_ZOMBIE && !libos_env_gone(p->env))
				ending = p->env;
			if (p->state == PROC_ZOMBIE && libos_env_gone(p->env)) {
				pid_t got = p->pid;
				int wstatus = p->wstatus;
				p->state = PROC_FREE;
				p->pid = 0;
				PROCTAB->nproc--;
				proc_unlock();
				if (status)
					*status = wstatus;
				return got;
			}
		}
		proc_unlock();
		if (!have_child) {
			errno = ECHILD;
			return -1;
		}
		if (options & WNOHANG)
			return 0;
		if (ending) /* it is a few instructions from its end: give it the CPU */
			sys_yield(ending);
		else
			libos_block();
	}
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

/* kill: sig 0 checks that pid exists; every other signal whose default action is
 * to terminate ends the process, reported to its parent as WIFSIGNALED. Signals
 * between processes cannot be caught (handlers installed with newlib's signal()
 * run for raise() in the same process only); SIGCHLD, SIGCONT, SIGURG and SIGWINCH
 * are ignored, as their default action says. Any process may signal any other (one
 * user). A descendant's environment is ended at once and what it held released
 * here; any other process gets a kill request (in its entry) that it honours at
 * its next safe point and that pid 1, which controls every environment, carries
 * out at its own. Takes no lock before the target has ended: the target may hold
 * one. Returns 0 or -1 with EINVAL or ESRCH. */
int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig >= NSIG || pid <= 0) {
		errno = pid <= 0 && sig >= 0 && sig < NSIG ? ESRCH : EINVAL;
		return -1;
	}
	struct proc *p = proc_find(pid); /* single loads: the table may be locked by the target */
	if (!p || p->state != PROC_RUNNING) {
		errno = p ? 0 : ESRCH;
		return p ? 0 : -1; /* a zombie exists but ignores signals */
	}
	envid_t env = p->env;
	bool ignored = sig == 0 || sig == SIGCHLD || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH;
	if (ignored)
		return 0;
	int32_t none = 0; /* the first request decides the status it ends with */
	__atomic_compare_exchange_n(&p->killsig, &none, sig, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	struct proc *init = proc_find(1);
	envid_t init_env = init ? init->env : 0;
	if (pid == task.pid)
		proc_exit(sig);
	if (env && sys_env_destroy(env) == 0) {
		proc_sweep(); /* release what it held: its pipes' other ends see it gone */
		return 0;
	}
	if (env)
		sys_env_wake(env); /* it honours the request at its next safe point */
	if (init_env)
		sys_env_wake(init_env);
	return 0;
}
