/*
 * The console as a terminal, in the server (srv.h). A reader environment (a copy of
 * the server made at boot, with no process of its own) sleeps in cons_read and
 * hands every byte to the server, so the line discipline sees input the moment it
 * comes, whoever reads or not: ^C reaches the foreground process group even while
 * it computes. The settings (struct termios) are in the process table's view, so
 * tcgetattr and output processing need no request; tcsetattr is one.
 *
 * Canonical mode keeps the line being edited apart and queues complete lines (a
 * line ends with a newline, VEOL, or VEOF, which is not passed on; VEOF on an empty
 * line is end of file); non-canonical mode queues bytes as they come (VMIN, VTIME:
 * see srv_tty_read and console.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "fs.h"
#include "proc.h"
#include "sigdefault.h"
#include "srv.h"

#define TTY_LINES 256   /* complete lines queued */
#define TTY_INPUT_MSG 0x54545900UL /* "TTY\0": w[0] of a reader's message, + count */
#define TTY_SESSION 1   /* the console is the controlling terminal of init's session */

static struct {
	char in[TTY_IN];
	uint32_t in_head, in_len;           /* a ring */
	uint32_t line_len[TTY_LINES];       /* canonical: lengths of the complete lines in `in` */
	uint32_t line_head, lines;
	char edit[TTY_EDIT];
	uint32_t edit_len;
	uint64_t waiters[PIPE_WAITER_WORDS]; /* process-table slots waiting to read */
	envid_t reader;
} tty;

static struct termios *T(void)
{
	return &PROCTAB->tty;
}

/* echo: write bytes to the console with the output processing the settings say. */
static void echo(const char *s, size_t n)
{
	libos_console_out(s, n);
}

static void echo_ctl(char c)
{
	char e[2] = { '^', (char)(c == 0x7f ? '?' : c + '@') };
	echo(e, 2);
}


static void queue(char c)
{
	if (tty.in_len < TTY_IN)
		tty.in[(tty.in_head + tty.in_len++) % TTY_IN] = c;
}

/* commit: the edited line (n bytes, maybe none: end of file) becomes readable. */
static void commit(void)
{
	if (tty.lines == TTY_LINES || tty.in_len + tty.edit_len > TTY_IN) {
		tty.edit_len = 0; /* nobody reads: the oldest input stays, this line goes */
		return;
	}
	for (uint32_t i = 0; i < tty.edit_len; i++)
		queue(tty.edit[i]);
	tty.line_len[(tty.line_head + tty.lines++) % TTY_LINES] = tty.edit_len;
	tty.edit_len = 0;
}

static void flush_input(void)
{
	tty.in_len = tty.lines = tty.edit_len = 0;
}

/* erase: take the last character off the line being edited. */
static void erase(void)
{
	if (!tty.edit_len)
		return;
	tty.edit_len--;
	if ((T()->c_lflag & ECHO) && (T()->c_lflag & ECHOE))
		echo("\b \b", 3);
}

static void input_byte(char c)
{
	struct termios *t = T();
	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (t->c_iflag & IGNCR)
			return;
		if (t->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & INLCR)) {
		c = '\r';
	}
	if (t->c_lflag & ISIG) {
		int sig = c == (char)t->c_cc[VINTR] ? SIGINT : c == (char)t->c_cc[VQUIT] ? SIGQUIT
			: c == (char)t->c_cc[VSUSP] ? SIGTSTP : 0;
		if (sig && c) {
			if (!(t->c_lflag & NOFLSH))
				flush_input();
			if (t->c_lflag & ECHO) {
				echo_ctl(c);
				echo("\n", 1);
			}
			srv_signal_group(PROCTAB->fg_pgrp, sig);
			return;
		}
	}
	if ((t->c_iflag & IXON) && c && (c == (char)t->c_cc[VSTOP] || c == (char)t->c_cc[VSTART]))
		return; /* flow control: output is never held here */
	if (!(t->c_lflag & ICANON)) {
		queue(c);
		if (t->c_lflag & ECHO)
			echo(&c, 1);
		return;
	}
	if (c && c == (char)t->c_cc[VERASE]) {
		erase();
		return;
	}
	if (c && c == (char)t->c_cc[VKILL]) {
		bool visual = (t->c_lflag & ECHO) && (t->c_lflag & ECHOE);
		while (tty.edit_len)
			visual ? erase() : (void)tty.edit_len--;
		if ((t->c_lflag & ECHO) && (t->c_lflag & ECHOK) && !visual)
			echo("\n", 1);
		return;
	}
	if (c && c == (char)t->c_cc[VEOF]) {
		commit(); /* the line so far, without the VEOF; empty: end of file */
		return;
	}
	bool end = c == '\n' || (c && (c == (char)t->c_cc[VEOL] || c == (char)t->c_cc[VEOL2]));
	if (tty.edit_len < TTY_EDIT - 1 || end)
		tty.edit[tty.edit_len++] = c;
	if ((t->c_lflag & ECHO) && (t->c_lflag & ECHOCTL) && (unsigned char)c < 32 && c != '\n' && c != '\t')
		echo_ctl(c);
	else if ((t->c_lflag & ECHO) || (c == '\n' && (t->c_lflag & ECHONL)))
		echo(&c, 1);
	if (end)
		commit();
}

static void input(const char *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		input_byte(in[i]);
	waiters_wake(tty.waiters);
}

/* take: n bytes from the queue into out. */
static void take(char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = tty.in[(tty.in_head + i) % TTY_IN];
	tty.in_head = (tty.in_head + (uint32_t)n) % TTY_IN;
	tty.in_len -= (uint32_t)n;
}


long srv_tty_read(int flags, char *out, size_t n, bool nowait)
{
	struct proc *me = task.self;
	if (me->pgid != PROCTAB->fg_pgrp && me->sid == TTY_SESSION) {
		/* A background read: SIGTTIN stops the group, unless it would not. */
		struct srv_sigstate *s = srv_sigstate_of(me);
		if (!s || ((s->ignored | s->blocked) & sig_bit(SIGTTIN)))
			return -EIO;
		srv_signal_group(me->pgid, SIGTTIN);
		return SRV_BLOCKED; /* it asks again once continued (or handled) */
	}
	struct termios *t = T();
	if (t->c_lflag & ICANON) {
		if (!tty.lines) {
			if (flags & O_NONBLOCK)
				return -EAGAIN;
			waiters_add(tty.waiters);
			return nowait ? 0 : SRV_BLOCKED;
		}
		uint32_t *len = &tty.line_len[tty.line_head];
		size_t k = n < *len ? n : *len;
		take(out, k);
		*len -= (uint32_t)k;
		if (*len == 0 || k == 0) { /* the line is used up (or it was end of file) */
			tty.line_head = (tty.line_head + 1) % TTY_LINES;
			tty.lines--;
		}
		return (long)k;
	}
	size_t min = t->c_cc[VMIN] < n ? t->c_cc[VMIN] : n;
	if (tty.in_len >= (min ? min : 1) || nowait || (t->c_cc[VMIN] == 0 && t->c_cc[VTIME] == 0)) {
		size_t k = tty.in_len < n ? tty.in_len : n;
		take(out, k);
		return (long)k;
	}
	if (flags & O_NONBLOCK)
		return -EAGAIN;
	waiters_add(tty.waiters);
	return SRV_BLOCKED;
}

bool srv_tty_readable(bool wait)
{
	bool ready = (T()->c_lflag & ICANON) ? tty.lines > 0 : tty.in_len > 0;
	if (!ready && wait)
		waiters_add(tty.waiters);
	return ready;
}

long srv_tty_request(const struct srv_req *rq)
{
	struct termios *t = T();
	switch (rq->op) {
	case SRV_TCSETATTR: {
		struct termios n;
		memcpy(&n, rq->data, sizeof n);
		if (rq->a[0] != TCSANOW && rq->a[0] != TCSADRAIN && rq->a[0] != TCSAFLUSH)
			return -EINVAL;
		bool was_canon = t->c_lflag & ICANON;
		*t = n;
		if (rq->a[0] == TCSAFLUSH)
			flush_input();
		if (was_canon && !(t->c_lflag & ICANON)) { /* lines and the edit become plain bytes */
			tty.lines = 0;
			for (uint32_t i = 0; i < tty.edit_len; i++)
				queue(tty.edit[i]);
			tty.edit_len = 0;
		} else if (!was_canon && (t->c_lflag & ICANON) && tty.in_len) {
			tty.line_len[(tty.line_head + tty.lines++) % TTY_LINES] = tty.in_len; /* one line */
		}
		waiters_wake(tty.waiters);
		return 0;
	}
	case SRV_TCFLUSH:
		if (rq->a[0] < TCIFLUSH || rq->a[0] > TCIOFLUSH)
			return -EINVAL;
		if (rq->a[0] != TCOFLUSH)
			flush_input();
		return 0;
	case SRV_TCSETWINSZ:
		if (rq->a[0] < 0 || rq->a[0] > 0xffff || rq->a[1] < 0 || rq->a[1] > 0xffff)
			return -EINVAL;
		PROCTAB->winsize.ws_row = (unsigned short)rq->a[0];
		PROCTAB->winsize.ws_col = (unsigned short)rq->a[1];
		srv_signal_group(PROCTAB->fg_pgrp, SIGWINCH);
		return 0;
	default:
		return -ENOSYS;
	}
}

/* The reader environment: console input to the server, 16 bytes a message. */
static void __attribute__((noreturn)) reader(envid_t srv)
{
	char buf[16];
	for (;;) {
		long n = sys_cons_read((long)buf, sizeof buf);
		if (n <= 0)
			continue;
		uint64_t w[2] = { 0, 0 };
		memcpy(w, buf, (size_t)n);
		while (sys_ipc_send(srv, (long)(TTY_INPUT_MSG | (uint64_t)n), (long)w[0], (long)w[1], -1, 0) == -E_NORECV)
			sys_yield(srv);
	}
}

int srv_tty_start(void)
{
	struct termios *t = T();
	memset(t, 0, sizeof *t);
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = CS8 | CREAD | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
	t->c_cc[VINTR] = 0x03, t->c_cc[VQUIT] = 0x1c, t->c_cc[VERASE] = 0x7f, t->c_cc[VKILL] = 0x15;
	t->c_cc[VEOF] = 0x04, t->c_cc[VMIN] = 1, t->c_cc[VTIME] = 0, t->c_cc[VSTART] = 0x11;
	t->c_cc[VSTOP] = 0x13, t->c_cc[VSUSP] = 0x1a;
	t->c_ispeed = t->c_ospeed = B115200;
	PROCTAB->winsize = (struct winsize){ .ws_row = 24, .ws_col = 80 };
	envid_t srv = (envid_t)sys_env_id();
	int c = libos_spawn_copy();
	if (c == 0)
		reader(srv);
	if (c < 0)
		return -1;
	tty.reader = PROCTAB->tty_reader = (envid_t)c;
	return 0;
}

/* A reader's message: is it one, and if so take its bytes. */
bool srv_tty_message(const struct exo_ipc_msg *m)
{
	if (m->from != tty.reader || (m->w[0] & ~0xffUL) != TTY_INPUT_MSG)
		return false;
	size_t n = m->w[0] & 0xff;
	uint64_t w[2] = { m->w[1], m->w[2] };
	input((const char *)w, n > 16 ? 16 : n);
	return true;
}
