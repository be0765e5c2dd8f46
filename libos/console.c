/*
 * The console: the kernel gives raw bytes from the serial line; the libOS does the
 * line discipline. Input is read a line at a time with echo, backspace (erase the
 * last character) and ^U (erase the line); a carriage return ends a line like a
 * newline. Output goes straight to the kernel's console.
 */
#include <errno.h>
#include <string.h>
#include "fs.h"

static char line[512];
static size_t line_len, line_pos; /* a line read but not yet handed out */
static char raw[256];
static size_t raw_len, raw_pos;   /* bytes from the kernel not yet looked at */

static void echo(const char *s, size_t n)
{
	console_write(s, n);
}

/* Read raw bytes until a whole line is in `line`. */
static void fill_line(void)
{
	line_len = line_pos = 0;
	for (;;) {
		if (raw_pos == raw_len) {
			libos_prefault(raw, sizeof raw);
			long n = sys_cons_read((long)raw, sizeof raw);
			raw_pos = 0;
			raw_len = n > 0 ? (size_t)n : 0;
		}
		while (raw_pos < raw_len) {
			char c = raw[raw_pos++];
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
				return;
			} else if (line_len < sizeof line - 1 || c == '\n') {
				line[line_len++] = c;
				echo(&c, 1);
				if (c == '\n')
					return;
			}
		}
	}
}

ssize_t console_read(void *buf, size_t n)
{
	if (n == 0)
		return 0;
	if (line_pos == line_len)
		fill_line();
	size_t k = line_len - line_pos < n ? line_len - line_pos : n;
	memcpy(buf, line + line_pos, k);
	line_pos += k;
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
