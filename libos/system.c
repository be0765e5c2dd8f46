/*
 * system: a command run by /bin/sh -c, waited for, as POSIX says: while it runs
 * the caller ignores SIGINT and SIGQUIT and blocks SIGCHLD; the child gets the
 * caller's original dispositions and mask back before it execs the shell. The
 * child is made with vfork (it only restores signals and execs). This replaces
 * newlib's placeholder (ENOSYS): a program's reference to system finds the
 * libOS's archive first, and nothing refers to newlib's _system_r.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* system: with cmd NULL, whether a shell exists (non-zero when /bin/sh is an
 * executable file). Else runs it and returns its wait status (127 as the exit
 * status when the shell could not be run), or -1 with EAGAIN or ENOMEM (no child
 * could be made) or ECHILD (its status could not be obtained). */
int system(const char *cmd)
{
	if (!cmd)
		return access("/bin/sh", X_OK) == 0;
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	sigset_t chld, old_mask;
	sigemptyset(&ign.sa_mask);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	sigprocmask(SIG_BLOCK, &chld, &old_mask);
	int status = -1, err = 0;
	pid_t pid = vfork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid < 0)
		err = errno;
	else {
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				err = errno, status = -1;
				break;
			}
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if (err)
		errno = err;
	return status;
}
