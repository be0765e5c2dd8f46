/* <poll.h>: poll (libos/poll.c); newlib has no such header. */
#ifndef LIBOS_POLL_H
#define LIBOS_POLL_H

struct pollfd {
	int fd;            /* a descriptor; negative: ignored (revents 0) */
	short events;      /* what to wait for */
	short revents;     /* what happened */
};
typedef unsigned long nfds_t;

#define POLLIN     0x001  /* data to read (or end of file) */
#define POLLPRI    0x002  /* urgent data (never here) */
#define POLLOUT    0x004  /* writing will not block */
#define POLLERR    0x008  /* an error (a pipe with no reader left) */
#define POLLHUP    0x010  /* hung up (a pipe with no writer left) */
#define POLLNVAL   0x020  /* not an open descriptor */
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

int poll(struct pollfd *__fds, nfds_t __nfds, int __timeout);
#endif
