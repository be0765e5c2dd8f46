/* poll (server side): SRV_POLL says which of a process's descriptors are ready
 * (pipes by their buffers and ends, the console by its input; files and devices
 * always), and with a1 makes the caller a waiter on every pipe and the console
 * it waits for, so that the next change there wakes it to ask again. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include "fs.h"
#include "proc.h"
#include "srv.h"

#define PIPE_SIZE (PIPE_BLOCKS * PAGE_SIZE)

/* ready: what of events fd has now; with wait, a waiter where it has none. */
static short ready(int fd, short events, bool wait)
{
	struct ofile *f = fd >= 0 ? fd_file(fd) : NULL;
	if (!f)
		return POLLNVAL;
	short in = events & (POLLIN | POLLRDNORM), out = events & (POLLOUT | POLLWRNORM), r = 0;
	struct pipe *p = &FS->pipe[f->idx];
	switch (f->type) {
	case F_PIPE_R:
		r = p->rpos != p->wpos ? in : 0;
		if (p->writers == 0)
			r |= POLLHUP;
		break;
	case F_PIPE_W:
		r = PIPE_SIZE - (p->wpos - p->rpos) >= PIPE_BUF ? out : 0;
		if (p->readers == 0)
			r = POLLERR;
		break;
	case F_CONSOLE:
		r = (in && srv_tty_readable(wait)) ? in : 0;
		return (short)(r | out); /* output never waits */
	default:
		return (short)(in | out); /* files and devices: never a wait */
	}
	if (!r && wait)
		waiters_add(p->waiters);
	return r;
}

long srv_poll_request(const struct srv_req *rq, struct srv_chan *c)
{
	int n = (int)rq->a[0];
	if (n < 0 || n > SRV_POLL_MAX)
		return -EINVAL;
	struct srv_pollfd fds[SRV_POLL_MAX];
	memcpy(fds, rq->data, (size_t)n * sizeof *fds); /* revents, cut by copy_request, are outputs */
	int count = 0;
	for (int i = 0; i < n; i++) {
		fds[i].revents = fds[i].fd < 0 ? 0 : ready(fds[i].fd, fds[i].events, false);
		count += fds[i].revents != 0;
	}
	if (count == 0 && rq->a[1]) { /* nothing: wait for any of them */
		for (int i = 0; i < n; i++)
			if (fds[i].fd >= 0)
				ready(fds[i].fd, fds[i].events, true);
		return SRV_BLOCKED;
	}
	memcpy(c->data, fds, (size_t)n * sizeof *fds);
	return count;
}
