/* pselect: select with a nanosecond timeout and a signal mask for the wait. */
#include <errno.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/time.h>
#include "signal_int.h"

/* pselect: select on the sets below nfds for at most *ts (NULL: no limit; rounded up
 * to the microsecond), with the signal mask *mask (NULL: unchanged) while it waits and
 * the caller's restored after. A signal the new mask lets through that is pending at
 * the call ends it with EINTR at once (after its handler ran), not after the wait.
 * Returns select's answer: the bits left set, 0 at the time limit, or -1 with EINVAL
 * (nfds, a bad time), EBADF, EFAULT or EINTR. */
int pselect(int nfds, fd_set *__restrict rd, fd_set *__restrict wr, fd_set *__restrict ex,
	    const struct timespec *__restrict ts, const sigset_t *__restrict mask)
{
	struct timeval tv, *tvp = NULL;
	if (ts) {
		if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000) {
			errno = EINVAL;
			return -1;
		}
		long us = (ts->tv_nsec + 999) / 1000;
		tv = us == 1000000 ? (struct timeval){ ts->tv_sec + 1, 0 } : (struct timeval){ ts->tv_sec, us };
		tvp = &tv;
	}
	sigset_t old;
	if (mask) {
		libos_in_libos++; /* what the mask unblocks stays pending, for the check below */
		int r = sigprocmask(SIG_SETMASK, mask, &old);
		libos_in_libos--;
		if (r < 0)
			return -1;
	}
	int r, err;
	if (mask && libos_sig_deliverable()) {
		libos_sig_dispatch();
		r = -1, err = EINTR;
	} else {
		r = select(nfds, rd, wr, ex, tvp);
		err = errno;
	}
	if (mask)
		sigprocmask(SIG_SETMASK, &old, NULL);
	errno = err;
	return r;
}
