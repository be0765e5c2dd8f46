/*
 * The console: the kernel gives raw bytes from the serial line; the libOS does the
 * line discipline. Input is read a line at a time with echo, backspace (erase the
 * last character) and ^U (erase the line); a carriage return ends a line like a
 * newline; ^C, ^\ and ^Z send SIGINT, SIGQUIT and SIGTSTP to the console's
 * foreground process group. Output goes straight to the kernel's console.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include "fs.h"
#include "signal_int.h"

static char line[512];
static size_t line_len, line_pos; /* a line read but not yet handed out */
static bool line_done;            /* line holds a whole line (or EOF) */
static char raw[256];
static size_t raw_len, raw_pos;   /* bytes from the kernel not yet looked at */

static void echo(const char *s, size_t n)
{
	console_write(s, n);
}

/* A signal key (^C, ^\, ^Z): the line so far is dropped and the signal goes
 * to the console's foreground process group. */
static void signal_key(char c, int sig)
{
	char e[4] = { '^', (char)(c + '@'), '\n', 0 };
	echo(e, 3);
	line_len = 0;
	if (task.self)
		kill(-PROCTAB->fg_pgrp, sig);
	else
		raise(sig);
}

/* Read raw bytes until a whole line is in `line` (kept across an interrupted
 * call). Returns 0, or -EINTR when a signal's handler without SA_RESTART ran
 * while we waited for input. */
static int fill_line(void)
{
	for (;;) {
		if (raw_pos == raw_len) {
			libos_prefault(raw, sizeof raw);
			libos_in_libos++;
			long n = sys_cons_read((long)raw, sizeof raw);
			libos_in_libos--;
			raw_pos = 0;
			raw_len = n > 0 ? (size_t)n : 0;
			if (n == -E_INTR && libos_sig_deliverable() && !libos_sig_dispatch())
				return -EINTR;
		}
		while (raw_pos < raw_len) {
			char c = raw[raw_pos++];
			if (c == 0x03 || c == 0x1c || c == 0x1a) {
				signal_key(c, c == 0x03 ? SIGINT : c == 0x1c ? SIGQUIT : SIGTSTP);
				continue;
			}
			if (c == '\r')
				c = '\n';
			if (c == 0x7f || c == '\b') {
				if (line_len) {
					line_len--;
					echo("\b \b", 3);
				}
			} else if (c == 0x15) { /* ^U */
				while (line_len) {
					line_len--;
					echo("\b \b", 3);
				}
			} else if (c == 0x04 && line_len == 0) { /* ^D on an empty line: EOF */
				line_done = true;
				return 0;
			} else if (line_len < sizeof line - 1 || c == '\n') {
				line[line_len++] = c;
				echo(&c, 1);
				if (c == '\n') {
					line_done = true;
					return 0;
				}
			}
		}
	}
}

ssize_t console_read(void *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (!line_done && fill_line() < 0) {
		errno = EINTR;
		return -1;
	}
	size_t k = line_len - line_pos < n ? line_len - line_pos : n;
	memcpy(buf, line + line_pos, k);
	line_pos += k;
	if (line_pos == line_len)
		line_done = false, line_len = line_pos = 0;
	return (ssize_t)k;
}

/* console_write: write all n bytes (the kernel takes at most EXO_CONS_WRITE_MAX
 * per call). Returns n, the count written before an error, or -1 with errno. */
ssize_t console_write(const void *buf, size_t n)
{
	size_t done = 0;
	while (done < n) {
		long r = sys_cons_write((long)((const char *)buf + done), (long)(n - done));
		if (r < 0) {
			if (done)
				break;
			errno = exo_errno(r);
			return -1;
		}
		done += (size_t)r;
	}
	return (ssize_t)done;
}
