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

/* waitpid: wait for a child (pid > 0: that one; -1: any) to end; reap it.
 * Returns its pid, 0 with WNOHANG if none has ended, or -1 with ECHILD (no such
 * child), EINVAL (bad options / pid < -1 or 0: no process groups) or EFAULT
 * (status is not writable: checked first, nothing is reaped). Blocks in the
 * kernel (ipc_recv) while the server says to wait: a child's end wakes us. */
pid_t waitpid(pid_t pid, int *status, int options)
{
	if ((options & ~WNOHANG) || pid == 0 || pid < -1) {
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

/* kill: sig 0 checks that pid exists; every other signal whose default action is
 * to terminate ends the process at once (the server ends its environment and
 * releases what it held), reported to its parent as WIFSIGNALED. Signals between
 * processes cannot be caught (handlers installed with newlib's signal() run for
 * raise() in the same process only); SIGCHLD, SIGCONT, SIGURG and SIGWINCH are
 * ignored, as their default action says. Any process may signal any other (one
 * user). Returns 0 or -1 with EINVAL or ESRCH. */
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
