/* Older names and forms of POSIX calls, kept for the programs that use them:
 * getwd, getdtablesize, setpgrp, issetugid, _wait, sigpause, ualarm. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

/* getwd: getcwd into buf (PATH_MAX bytes). Returns buf, or NULL with getcwd's
 * message in buf and errno set. */
char *getwd(char *buf)
{
	if (getcwd(buf, PATH_MAX))
		return buf;
	strncpy(buf, strerror(errno), PATH_MAX - 1);
	buf[PATH_MAX - 1] = 0;
	return NULL;
}

/* getdtablesize: the most descriptors a process may have (sysconf's
 * _SC_OPEN_MAX, the soft RLIMIT_NOFILE). */
int getdtablesize(void)
{
	return (int)sysconf(_SC_OPEN_MAX);
}

/* setpgrp: setpgid(0, 0): the caller leads a new process group. Returns 0, or
 * -1 with setpgid's error (EPERM for a session leader). */
int setpgrp(void)
{
	return setpgid(0, 0);
}

/* issetugid: 0: no program runs set-user-id or set-group-id here. */
int issetugid(void)
{
	return 0;
}

/* _wait: wait, under newlib's name for it. */
pid_t _wait(int *status)
{
	return wait(status);
}

/* sigpause (XSI): unblock sig and wait for a signal, as sigsuspend with the
 * current mask less sig. Returns -1 with EINTR, or EINVAL (sig). */
int sigpause(int sig)
{
	sigset_t mask;
	if (sigprocmask(SIG_BLOCK, NULL, &mask) < 0 || sigdelset(&mask, sig) < 0)
		return -1;
	return sigsuspend(&mask);
}

/* ualarm: SIGALRM after usecs microseconds, then every interval ones (0: once),
 * through setitimer's ITIMER_REAL; 0 cancels. Returns the microseconds that
 * were left of the previous timer (0: none). */
useconds_t ualarm(useconds_t usecs, useconds_t interval)
{
	struct itimerval v = { { interval / 1000000, interval % 1000000 }, { usecs / 1000000, usecs % 1000000 } },
			 old;
	if (setitimer(ITIMER_REAL, &v, &old) < 0)
		return 0;
	return (useconds_t)(old.it_value.tv_sec * 1000000 + old.it_value.tv_usec);
}
