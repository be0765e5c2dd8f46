/* poll and select (client side): the server says which descriptors are ready
 * (srv_poll.c). With no timeout the caller waits as a pipe reader does: it is
 * made a waiter on every pipe and the console it polls and sleeps until one of
 * them changes; with a timeout it asks again every few milliseconds until the
 * deadline. A signal whose handler runs ends the wait with EINTR (poll and
 * select are never restarted). */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include "fs.h"
#include "proc.h"
#include "signal_int.h"
#include "srv.h"

#define POLL_STEP_MS 5 /* how often a wait with a timeout asks again */

static int fail(int err)
{
	errno = err;
	return -1;
}

/* poll: wait until one of fds[0..n) is ready for what its events ask (POLLIN,
 * POLLOUT; POLLHUP, POLLERR and POLLNVAL are reported unasked), or timeout
 * milliseconds (negative: no limit; 0: do not wait). Returns how many have
 * revents, 0 when the time ran out, or -1 with EFAULT (fds), EINVAL (more than
 * SRV_POLL_MAX entries) or EINTR. */
int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	if (n > SRV_POLL_MAX)
		return fail(EINVAL);
	int err = libos_user_range(fds, n * sizeof *fds, true);
	if (err)
		return fail(err);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	uint64_t ms = exo_info->tsc_hz / 1000, end = libos_rdtsc() + (uint64_t)(timeout > 0 ? timeout : 0) * ms;
	for (;;) {
		struct srv_pollfd *q = (struct srv_pollfd *)c->data;
		for (nfds_t i = 0; i < n; i++)
			q[i] = (struct srv_pollfd){ .fd = fds[i].fd, .events = fds[i].events };
		long r = srv_call(SRV_POLL, (int64_t)n, timeout < 0, 0);
		if (r >= 0 && (r > 0 || timeout == 0 || (timeout > 0 && libos_rdtsc() >= end))) {
			for (nfds_t i = 0; i < n; i++)
				fds[i].revents = q[i].revents;
			return (int)r;
		}
		if (r < 0 && r != SRV_BLOCKED)
			return fail((int)-r);
		if (r == SRV_BLOCKED) {
			libos_block(); /* until a pipe or the console changes, or a signal */
		} else {
			uint64_t now = libos_rdtsc(), step = now + POLL_STEP_MS * ms;
			libos_in_libos++;
			sys_sleep_until((long)(step < end ? step : end));
			libos_in_libos--;
		}
		if (libos_sig_deliverable()) {
			libos_sig_dispatch();
			return fail(EINTR);
		}
	}
}

/* select: poll for the descriptors below nfds in readfds (ready to read, or at
 * end of file), writefds (ready to write) and exceptfds (no exceptional
 * conditions exist here: always cleared), for at most *tv (NULL: no limit).
 * Returns how many bits are left set, 0 at the time limit, or -1 with EINVAL
 * (nfds out of range, a bad time), EBADF (a set names no open descriptor),
 * EFAULT or EINTR; the sets are left as they were on an error. */
int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, struct timeval *tv)
{
	if (nfds < 0 || nfds > FD_SETSIZE)
		return fail(EINVAL);
	fd_set *sets[3] = { readfds, writefds, exceptfds };
	for (int s = 0; s < 3; s++)
		if (sets[s] && libos_user_range(sets[s], sizeof *sets[s], true))
			return fail(EFAULT);
	if (tv && libos_user_range(tv, sizeof *tv, false))
		return fail(EFAULT);
	if (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))
		return fail(EINVAL);
	struct pollfd fds[FD_SETSIZE];
	nfds_t n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (short)((readfds && FD_ISSET(fd, readfds) ? POLLIN : 0) |
				   (writefds && FD_ISSET(fd, writefds) ? POLLOUT : 0));
		if (ev || (exceptfds && FD_ISSET(fd, exceptfds)))
			fds[n++] = (struct pollfd){ .fd = fd, .events = ev };
	}
	long long ms = tv ? (long long)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000 : -1;
	int r = poll(fds, n, ms > 0x7fffffff ? 0x7fffffff : (int)ms);
	if (r < 0)
		return -1;
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].revents & POLLNVAL)
			return fail(EBADF);
	int count = 0;
	for (int s = 0; s < 3; s++)
		if (sets[s])
			FD_ZERO(sets[s]);
	for (nfds_t i = 0; i < n; i++) {
		short rv = fds[i].revents;
		if (readfds && (fds[i].events & POLLIN) && (rv & (POLLIN | POLLHUP | POLLERR)))
			FD_SET(fds[i].fd, readfds), count++;
		if (writefds && (fds[i].events & POLLOUT) && (rv & (POLLOUT | POLLERR)))
			FD_SET(fds[i].fd, writefds), count++;
	}
	return count;
}
