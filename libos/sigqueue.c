/* sigqueue: a signal with a value, as far as exo carries it. */
#include <errno.h>
#include <signal.h>

/* sigqueue: send sig to process pid as kill does (pid > 0 only, POSIX); the
 * receiver's handler sees si_code SI_USER and no value: signals here carry no
 * data, and a signal pending twice is delivered once. Returns 0, or -1 with
 * kill's errors (EINVAL, ESRCH, EPERM). */
int sigqueue(pid_t pid, int sig, const union sigval value)
{
	(void)value;
	if (pid <= 0) {
		errno = ESRCH;
		return -1;
	}
	return kill(pid, sig);
}
