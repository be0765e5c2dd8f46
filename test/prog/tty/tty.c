/* tty: the console as a terminal (termios, signals from the keyboard, job
 * control), driven by test/keys.sh, which types each step's keys once this
 * program prints "tty: ready-STEP". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "../check.h"

static void ready(const char *step)
{
	printf("tty: ready-%s\n", step);
	fflush(stdout);
}

static int status_of(pid_t p, int options)
{
	int st = -1;
	CHECK_EQ(waitpid(p, &st, options), p);
	return st;
}

static volatile sig_atomic_t got;
static void on_sig(int sig)
{
	got = sig;
}

/* A child in a process group of its own, in the foreground, spinning. */
static pid_t foreground_spinner(void)
{
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		setpgid(0, 0);
		for (;;)
			;
	}
	CHECK_EQ(setpgid(c, c), 0);
	CHECK_EQ(tcsetpgrp(0, c), 0);
	return c;
}

int main(void)
{
	struct termios t, saved;
	CHECK_EQ(isatty(0), 1);
	CHECK(strcmp(ttyname(0), "/dev/console") == 0);
	int p[2];
	CHECK_EQ(pipe(p), 0);
	CHECK_EQ(isatty(p[0]), 0);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(tcgetattr(p[0], &t), -1);
	CHECK_EQ(tcgetattr(0, &t), 0);
	CHECK((t.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	CHECK((t.c_iflag & ICRNL) && (t.c_oflag & OPOST) && (t.c_oflag & ONLCR));
	CHECK_EQ(t.c_cc[VINTR], 3);
	CHECK_EQ(t.c_cc[VSUSP], 0x1a);
	CHECK_EQ(cfgetospeed(&t), B115200);
	CHECK_EQ(cfsetispeed(&t, B9600), 0);
	CHECK_EQ(cfsetispeed(&t, 12345), -1);
	struct winsize ws;
	CHECK_EQ(ioctl(0, TIOCGWINSZ, &ws), 0);
	CHECK(ws.ws_row == 24 && ws.ws_col == 80);
	CHECK_EQ(ioctl(p[0], TIOCGWINSZ, &ws), -1);
	CHECK_EQ(errno, ENOTTY);
	CHECK_EQ(tcgetattr(0, &saved), 0);
	setpgid(0, 0);
	CHECK_EQ(tcsetpgrp(0, getpgrp()), 0);
	char line[128];

	/* Canonical: a line, with ^U and backspace applied before we see it. */
	ready("line");
	ssize_t n = read(0, line, sizeof line);
	CHECK_EQ(n, 6);
	CHECK(memcmp(line, "hello\n", 6) == 0);
	printf("tty: canonical line ok\n");

	/* Raw: bytes as they come, no echo, no newline needed; VMIN 2. */
	cfmakeraw(&t);
	t.c_cc[VMIN] = 2;
	CHECK_EQ(tcsetattr(0, TCSANOW, &t), 0);
	ready("raw");
	n = read(0, line, sizeof line);
	CHECK(n >= 2 && line[0] == 'a' && line[1] == 'b');
	/* VMIN 0, VTIME 3: nothing comes, the read ends after 0.3 s with 0. */
	t.c_cc[VMIN] = 0, t.c_cc[VTIME] = 3;
	CHECK_EQ(tcsetattr(0, TCSANOW, &t), 0);
	CHECK_EQ(read(0, line, sizeof line), 0);
	CHECK_EQ(tcsetattr(0, TCSAFLUSH, &saved), 0);
	printf("tty: raw mode, VMIN, VTIME ok\n");

	/* No echo: the typed line is read but not shown. */
	t = saved;
	t.c_lflag &= ~(tcflag_t)ECHO;
	CHECK_EQ(tcsetattr(0, TCSANOW, &t), 0);
	ready("noecho");
	n = read(0, line, sizeof line);
	CHECK(n == 7 && memcmp(line, "secret\n", 7) == 0);
	CHECK_EQ(tcsetattr(0, TCSANOW, &saved), 0);
	printf("tty: no echo ok\n");

	/* ^C: SIGINT to the foreground group, here a spinning child. */
	pid_t c = foreground_spinner();
	ready("intr");
	int st = status_of(c, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	CHECK_EQ(tcsetpgrp(0, getpgrp()), 0);
	printf("tty: ^C interrupts the foreground group ok\n");

	/* ^Z: SIGTSTP stops it; SIGCONT, then ^\ (SIGQUIT) ends it with a core flag. */
	c = foreground_spinner();
	ready("susp");
	st = status_of(c, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTSTP);
	CHECK_EQ(kill(c, SIGCONT), 0);
	ready("quit");
	st = status_of(c, 0);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGQUIT && WCOREDUMP(st));
	CHECK_EQ(tcsetpgrp(0, getpgrp()), 0);
	printf("tty: ^Z stops it, ^\\ quits it ok\n");

	/* ^C to ourselves, blocked in a read with a handler without SA_RESTART: EINTR. */
	struct sigaction a = { .sa_handler = on_sig };
	sigemptyset(&a.sa_mask);
	CHECK_EQ(sigaction(SIGINT, &a, NULL), 0);
	ready("handler");
	CHECK_EQ(read(0, line, sizeof line), -1);
	CHECK_EQ(errno, EINTR);
	CHECK_EQ(got, SIGINT);
	signal(SIGINT, SIG_DFL);
	printf("tty: ^C in a read gives EINTR to a handler ok\n");

	/* A background group that reads the console is stopped by SIGTTIN; one that
	 * ignores SIGTTIN gets EIO. */
	fflush(stdout);
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		setpgid(0, 0);
		char b;
		read(0, &b, 1);
		_exit(0);
	}
	setpgid(c, c);
	st = status_of(c, WUNTRACED);
	CHECK(WIFSTOPPED(st) && WSTOPSIG(st) == SIGTTIN);
	CHECK_EQ(kill(c, SIGKILL), 0);
	status_of(c, 0);
	c = fork();
	CHECK(c >= 0);
	if (c == 0) {
		setpgid(0, 0);
		signal(SIGTTIN, SIG_IGN);
		char b;
		_exit(read(0, &b, 1) == -1 && errno == EIO ? 0 : 1);
	}
	setpgid(c, c);
	CHECK_EQ(status_of(c, 0), 0);
	printf("tty: background reads: SIGTTIN, or EIO ok\n");

	/* TIOCSWINSZ: the foreground group gets SIGWINCH. */
	signal(SIGWINCH, on_sig);
	got = 0;
	ws.ws_row = 50, ws.ws_col = 132;
	CHECK_EQ(ioctl(0, TIOCSWINSZ, &ws), 0);
	CHECK_EQ(got, SIGWINCH);
	CHECK_EQ(ioctl(0, TIOCGWINSZ, &ws), 0);
	CHECK(ws.ws_row == 50 && ws.ws_col == 132);
	printf("tty: window size and SIGWINCH ok\n");
	check_done("tty");
}
