/* Process ids, exit, wait and kill: requests to the server (srv.h), which keeps
 * the process table. */
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "proc.h"
#include "srv.h"

pid_t getpid(void) { return task.pid; }

pid_t getppid(void)
{
	return task.self ? task.self->ppid : 0; /* a bare environment has no parent process */
}

/* _exit: end the process with status (newlib's exit() flushes stdio first). */
void _exit(int status)
{
	proc_exit((status & 0xff) << 8);
}

/* waitpid: wait for a child (pid > 0: that one; -1: any; 0: one in our process
 * group; < -1: one in group -pid) to end, and reap it; with WUNTRACED a stopped
 * child and with WCONTINUED a continued one is reported too. Returns its pid, 0
 * with WNOHANG if none is ready, or -1 with ECHILD (no such child), EINVAL (bad
 * options), EINTR (a signal's handler without SA_RESTART ran) or EFAULT (status is
 * not writable: checked first, nothing is reaped). Blocks in the kernel
 * (ipc_recv) while the server says to wait: a child's change wakes us. */
pid_t waitpid(pid_t pid, int *status, int options)
{
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED)) {
		errno = EINVAL;
		return -1;
	}
	if (status && libos_user_range(status, sizeof *status, true)) {
		errno = EFAULT;
		return -1;
	}
	long r = srv_call_wait(SRV_WAIT, pid, options, 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	if (r > 0 && status)
		*status = (int)SRV_CHAN->r[0];
	return (pid_t)r;
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}

/* kill: send sig to pid (> 0: that process; 0: our process group; -1: every
 * process but init and us; < -1: process group -pid); sig 0 only checks. What
 * the signal does is decided by the server from each target's dispositions
 * (srv_sig.c): a handler runs, or the default action (end, stop, continue,
 * ignore). Any process may signal any other (one user). A signal to ourselves
 * that we do not block is delivered before kill returns. Returns 0 or -1 with
 * EINVAL or ESRCH. */
int kill(pid_t pid, int sig)
{
	if (sig < 0 || sig >= NSIG) {
		errno = EINVAL;
		return -1;
	}
	long r = srv_call(SRV_KILL, pid, sig, 0);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return 0;
}
