/* polltest: poll and select on pipes (data, room, end of file, no reader), the
 * console (input typed ahead: booted with a line on its input), files, bad
 * descriptors; timeouts (0, a time, none: a child's write wakes the waiter);
 * EINTR from a signal during a wait with and without a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../check.h"

static long ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int late_writer(long fd)
{
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	return write((int)fd, "x", 1) == 1 ? 0 : 1;
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	int p[2];
	struct timespec t0;
	CHECK_EQ(pipe(p), 0);
	/* An empty pipe: not readable, writable. */
	struct pollfd f[2] = { { .fd = p[0], .events = POLLIN }, { .fd = p[1], .events = POLLOUT } };
	CHECK_EQ(poll(f, 2, 0), 1);
	CHECK_EQ(f[0].revents, 0);
	CHECK_EQ(f[1].revents, POLLOUT);
	/* A timeout: 100 ms pass, nothing is ready. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(poll(f, 1, 100), 0);
	long waited = ms_since(&t0);
	CHECK(waited >= 100 && waited < 2000);
	/* Data: readable. */
	CHECK_EQ(write(p[1], "ab", 2), 2);
	CHECK_EQ(poll(f, 1, -1), 1);
	CHECK_EQ(f[0].revents, POLLIN);
	char buf[8192];
	CHECK_EQ(read(p[0], buf, 2), 2);
	/* A full pipe: not writable. */
	CHECK_EQ(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	while (write(p[1], buf, sizeof buf) > 0)
		;
	CHECK_EQ(errno, EAGAIN);
	CHECK_EQ(poll(&f[1], 1, 0), 0);
	while (read(p[0], buf, sizeof buf) == sizeof buf && poll(f, 1, 0) == 1)
		;
	CHECK_EQ(poll(&f[1], 1, 0), 1);
	/* No wait without a timeout: a child's write wakes us. */
	pid_t c = check_spawn(late_writer, p[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ(poll(f, 1, -1), 1);
	CHECK(ms_since(&t0) >= 150);
	CHECK_EQ(f[0].revents, POLLIN);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(st, 0);
	CHECK_EQ(read(p[0], buf, 1), 1);
	/* Files and devices are always ready; a bad descriptor is POLLNVAL; a
	 * negative one is left out. */
	int fd = open("/tmp/pf", O_RDWR | O_CREAT, 0644);
	struct pollfd g[4] = { { .fd = fd, .events = POLLIN | POLLOUT }, { .fd = 60, .events = POLLIN },
			       { .fd = -1, .events = POLLIN }, { .fd = 1, .events = POLLOUT } };
	CHECK_EQ(poll(g, 4, 0), 3);
	CHECK_EQ(g[0].revents, POLLIN | POLLOUT);
	CHECK_EQ(g[1].revents, POLLNVAL);
	CHECK_EQ(g[2].revents, 0);
	CHECK_EQ(g[3].revents, POLLOUT);
	CHECK_EQ(poll((struct pollfd *)8, 1, 0), -1);
	CHECK_EQ(errno, EFAULT);
	/* The console: the line on our input is there to read. */
	struct pollfd in = { .fd = 0, .events = POLLIN };
	CHECK_EQ(poll(&in, 1, 5000), 1);
	CHECK_EQ(in.revents, POLLIN);
	CHECK_EQ(read(0, buf, sizeof buf), 11);
	CHECK(memcmp(buf, "typed line\n", 11) == 0);
	CHECK_EQ(poll(&in, 1, 0), 0);
	/* End of file and no reader. */
	CHECK_EQ(close(p[1]), 0);
	CHECK_EQ(poll(f, 1, -1), 1);
	CHECK(f[0].revents & POLLHUP);
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(close(p[0]), 0);
	signal(SIGPIPE, SIG_IGN);
	f[1].fd = p[1];
	CHECK_EQ(poll(&f[1], 1, 0), 1);
	CHECK(f[1].revents & POLLERR);
	CHECK_EQ(close(p[1]), 0);
	printf("polltest: poll on pipes, files, the console, bad descriptors, timeouts, wake-up ok\n");

	/* EINTR: a handler runs during a wait without and with a timeout. */
	CHECK_EQ(pipe(p), 0);
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	f[0].fd = p[0];
	alarm(1);
	CHECK_EQ(poll(f, 1, -1), -1);
	CHECK_EQ(errno, EINTR);
	alarm(1);
	CHECK_EQ(poll(f, 1, 10000), -1);
	CHECK_EQ(errno, EINTR);
	/* select: a pipe with data, a timeout, EBADF. */
	fd_set rd, wr;
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	struct timeval tv = { 0, 50000 };
	CHECK_EQ(select(p[0] + 1, &rd, NULL, NULL, &tv), 0);
	CHECK(!FD_ISSET(p[0], &rd));
	CHECK_EQ(write(p[1], "y", 1), 1);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	CHECK_EQ(select(p[1] + 1, &rd, &wr, NULL, NULL), 2);
	CHECK(FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr));
	FD_ZERO(&rd);
	FD_SET(50, &rd);
	CHECK_EQ(select(51, &rd, NULL, NULL, NULL), -1);
	CHECK_EQ(errno, EBADF);
	tv.tv_usec = 1000000;
	CHECK_EQ(select(1, NULL, NULL, NULL, &tv), -1);
	CHECK_EQ(errno, EINVAL);
	printf("polltest: EINTR, select ok\n");
	check_done("polltest");
}
