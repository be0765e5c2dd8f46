/*
 * The console as a terminal, process side. The line discipline runs in the server
 * (srv_tty.c), which sees every input byte as it comes; a read of the console is a
 * request (canonical lines, or bytes by VMIN and VTIME), and the settings are read
 * from the process table's view (tcgetattr) and changed by request (tcsetattr).
 * Output goes straight to the kernel's console, with the output processing the
 * settings say (OPOST, ONLCR). A bare environment (no server) reads raw bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "fs.h"
#include "proc.h"
#include "signal_int.h"
#include "thread.h"
#include "srv.h"
#include "vpt.h"

static int fail(int err)
{
	errno = err;
	return -1;
}

/* The settings: the view's, or the defaults without one. */
static const struct termios *settings(void)
{
	static const struct termios bare = { .c_oflag = OPOST | ONLCR };
	return (vpt_lookup(UPROCS) & PTE_P) ? &PROCTAB->tty : &bare;
}

/* raw_out: all n bytes to the kernel's console. Returns the count or -errno. */
static long raw_out(const char *s, size_t n)
{
	size_t done = 0;
	while (done < n) {
		long r = sys_cons_write((long)(s + done), (long)(n - done));
		if (r < 0)
			return done ? (long)done : -exo_errno(r);
		done += (size_t)r;
	}
	return (long)done;
}

long libos_console_out(const char *s, size_t n)
{
	const struct termios *t = settings();
	if (!(t->c_oflag & OPOST) || !(t->c_oflag & ONLCR))
		return raw_out(s, n);
	size_t done = 0;
	while (done < n) { /* each run up to a newline, then \r\n */
		const char *nl = memchr(s + done, '\n', n - done);
		size_t k = nl ? (size_t)(nl - (s + done)) : n - done;
		long r = raw_out(s + done, k);
		if (r < 0 || (size_t)r < k)
			return done + (r > 0 ? (size_t)r : 0) ? (long)(done + (r > 0 ? (size_t)r : 0)) : r;
		done += k;
		if (nl) {
			if ((r = raw_out("\r\n", 2)) < 0)
				return done ? (long)done : r;
			done++;
		}
	}
	return (long)done;
}

ssize_t console_write(const void *buf, size_t n)
{
	long r = libos_console_out(buf, n);
	return r < 0 ? fail((int)-r) : (ssize_t)r;
}

/* timed_read: non-canonical with VTIME: poll what the server has every few ms
 * until VMIN bytes (or, with VMIN 0, any) have come or VTIME tenths of a second
 * passed (since the last byte when VMIN > 0). */
static ssize_t timed_read(int fd, char *buf, size_t n, const struct termios *t)
{
	uint64_t tenth = exo_info->tsc_hz / 10, wait = (uint64_t)t->c_cc[VTIME] * tenth;
	uint64_t end = libos_rdtsc() + wait;
	size_t want = t->c_cc[VMIN] < n ? t->c_cc[VMIN] : n, got = 0;
	for (;;) {
		long r = srv_call(SRV_READ, fd, (int64_t)(n - got), 1);
		if (r < 0 && r != SRV_BLOCKED)
			return got ? (ssize_t)got : fail((int)-r);
		if (r > 0) {
			memcpy(buf + got, SRV_CHAN->data, (size_t)r);
			got += (size_t)r;
			end = libos_rdtsc() + wait;
		}
		if (got == n || (want && got >= want) || (!want && got) || libos_rdtsc() >= end)
			return (ssize_t)got;
		if (libos_sig_deliverable() && !libos_sig_dispatch())
			return got ? (ssize_t)got : fail(EINTR);
		thread_sleep(libos_rdtsc() + exo_info->tsc_hz / 200);
	}
}

ssize_t console_read(int fd, void *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (!srv_chan()) { /* bare: raw bytes from the kernel */
		long r = sys_cons_read((long)buf, (long)(n < 256 ? n : 256));
		return r < 0 ? fail(exo_errno(r)) : (ssize_t)r;
	}
	const struct termios *t = settings();
	if (!(t->c_lflag & ICANON) && t->c_cc[VTIME])
		return timed_read(fd, buf, n, t);
	size_t k = n < SRV_DATA ? n : SRV_DATA;
	long r = srv_call_wait(SRV_READ, fd, (int64_t)k, 0);
	if (r < 0)
		return fail((int)-r);
	memcpy(buf, SRV_CHAN->data, (size_t)r);
	return (ssize_t)r;
}

/* The console's open file behind fd, or NULL with EBADF or ENOTTY. */
static struct ofile *tty_file(int fd)
{
	struct ofile *f = fd_file(fd);
	if (f && f->type != F_CONSOLE) {
		errno = ENOTTY;
		return NULL;
	}
	return f;
}

int tcgetattr(int fd, struct termios *t)
{
	if (!tty_file(fd))
		return -1;
	if (libos_user_range(t, sizeof *t, true))
		return fail(EFAULT);
	*t = *settings();
	return 0;
}

int tcsetattr(int fd, int when, const struct termios *t)
{
	if (!tty_file(fd))
		return -1;
	if (libos_user_range(t, sizeof *t, false))
		return fail(EFAULT);
	struct srv_chan *c = srv_chan();
	if (!c)
		return fail(ENOSYS);
	memcpy(c->data, t, sizeof *t);
	long r = srv_call(SRV_TCSETATTR, when, 0, 0);
	return r < 0 ? fail((int)-r) : 0;
}

int tcflush(int fd, int which)
{
	if (!tty_file(fd))
		return -1;
	long r = srv_call(SRV_TCFLUSH, which, 0, 0);
	return r < 0 ? fail((int)-r) : 0;
}

int tcdrain(int fd)
{
	return tty_file(fd) ? 0 : -1; /* output is written at once */
}

int tcflow(int fd, int action)
{
	if (!tty_file(fd))
		return -1;
	return action >= TCOOFF && action <= TCION ? 0 : fail(EINVAL);
}

int tcsendbreak(int fd, int duration)
{
	(void)duration;
	return tty_file(fd) ? 0 : -1;
}

pid_t tcgetsid(int fd)
{
	if (!tty_file(fd))
		return -1;
	return 1; /* the console is init's session's terminal */
}

void cfmakeraw(struct termios *t)
{
	t->c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t->c_oflag &= ~(tcflag_t)OPOST;
	t->c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t->c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	t->c_cflag |= CS8;
	t->c_cc[VMIN] = 1;
	t->c_cc[VTIME] = 0;
}

speed_t cfgetispeed(const struct termios *t) { return t->c_ispeed; }
speed_t cfgetospeed(const struct termios *t) { return t->c_ospeed; }

/* A speed is one of the B constants (the serial line runs at 115200 whatever). */
static bool speed_ok(speed_t s)
{
	return s <= B38400 || (s >= B57600 && s <= B230400);
}

int cfsetispeed(struct termios *t, speed_t s)
{
	if (!speed_ok(s))
		return fail(EINVAL);
	t->c_ispeed = s;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t s)
{
	if (!speed_ok(s))
		return fail(EINVAL);
	t->c_ospeed = s;
	return 0;
}

int cfsetspeed(struct termios *t, speed_t s)
{
	return cfsetispeed(t, s) < 0 ? -1 : cfsetospeed(t, s);
}

char *ttyname(int fd)
{
	static char name[] = "/dev/console";
	return tty_file(fd) ? name : NULL;
}

int ttyname_r(int fd, char *buf, size_t size)
{
	if (!tty_file(fd))
		return errno;
	if (size < sizeof "/dev/console")
		return ERANGE;
	memcpy(buf, "/dev/console", sizeof "/dev/console");
	return 0;
}

/* ioctl: the terminal requests (TCGETS, TCSETS*, TIOCGWINSZ, TIOCSWINSZ,
 * TIOCGPGRP, TIOCSPGRP) and FIONBIO. ENOTTY for any other file or request. */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (request == FIONBIO) {
		int on = arg && !libos_user_range(arg, sizeof(int), false) ? *(int *)arg : 0;
		int fl = fcntl(fd, F_GETFL);
		return fl < 0 ? -1 : fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
	}
	if (!tty_file(fd))
		return -1;
	switch (request) {
	case TCGETS:
		return tcgetattr(fd, arg);
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return tcsetattr(fd, request == TCSETS ? TCSANOW : request == TCSETSW ? TCSADRAIN : TCSAFLUSH, arg);
	case TIOCGWINSZ:
		if (libos_user_range(arg, sizeof(struct winsize), true))
			return fail(EFAULT);
		*(struct winsize *)arg = (vpt_lookup(UPROCS) & PTE_P) ? PROCTAB->winsize
								 : (struct winsize){ .ws_row = 24, .ws_col = 80 };
		return 0;
	case TIOCSWINSZ: {
		if (libos_user_range(arg, sizeof(struct winsize), false))
			return fail(EFAULT);
		const struct winsize *w = arg;
		long r = srv_call(SRV_TCSETWINSZ, w->ws_row, w->ws_col, 0);
		return r < 0 ? fail((int)-r) : 0;
	}
	case TIOCGPGRP:
		if (libos_user_range(arg, sizeof(pid_t), true))
			return fail(EFAULT);
		*(pid_t *)arg = tcgetpgrp(fd);
		return 0;
	case TIOCSPGRP:
		if (libos_user_range(arg, sizeof(pid_t), false))
			return fail(EFAULT);
		return tcsetpgrp(fd, *(const pid_t *)arg);
	default:
		return fail(ENOTTY);
	}
}
