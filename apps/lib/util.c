/* util.c: helpers the utilities in apps/ share (see util.h for the contracts). */
#include "util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *util_prog = "?";

void util_init(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
	util_prog = slash ? slash + 1 : argv0 ? argv0 : "?";
}

void util_perror(const char *what)
{
	int e = errno;
	fprintf(stderr, "%s: %s: %s\n", util_prog, what, strerror(e));
	errno = e;
}

FILE *util_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	FILE *f = fopen(path, "r");
	if (!f)
		util_perror(path);
	return f;
}

int util_close(FILE *f, const char *path)
{
	int bad = ferror(f);
	if (bad) {
		errno = errno ? errno : EIO;
		util_perror(path);
	}
	if (f == stdin) {
		clearerr(f);
		return bad ? -1 : 0;
	}
	if (fclose(f) == EOF && !bad) {
		util_perror(path);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* The bits "ugo" stand for in a copy clause: those of class c of mode m, moved
 * to every class (then masked by who). */
static mode_t copy_bits(char c, mode_t m)
{
	mode_t b = c == 'u' ? (m >> 6) & 7 : c == 'g' ? (m >> 3) & 7 : m & 7;
	return b << 6 | b << 3 | b;
}

long util_mode(const char *spec, mode_t old, int isdir, mode_t umask)
{
	if (*spec >= '0' && *spec <= '7') {
		char *end;
		long m = strtol(spec, &end, 8);
		return *end || m > 07777 ? -1 : m;
	}
	mode_t m = old & 07777;
	const char *p = spec;
	for (;;) {
		mode_t who = 0;
		for (; strchr("ugoa", *p) && *p; p++)
			who |= *p == 'u' ? 04700 : *p == 'g' ? 02070 : *p == 'o' ? 01007 : 07777;
		if (!strchr("+-=", *p) || !*p)
			return -1;
		while (*p && strchr("+-=", *p)) {
			char op = *p++;
			mode_t perm = 0;
			if (*p && strchr("ugo", *p))
				perm = copy_bits(*p++, m);
			else
				for (; *p && strchr("rwxXst", *p); p++)
					perm |= *p == 'r' ? 0444 : *p == 'w' ? 0222 : *p == 'x' ? 0111 :
						*p == 'X' ? (isdir || (m & 0111) ? 0111 : 0) :
						*p == 's' ? 06000 : 01000;
			mode_t mask = who ? who : 07777 & ~umask;
			perm &= mask;
			if (op == '=')
				m &= ~(who ? who : 07777);
			if (op == '-')
				m &= ~perm;
			else
				m |= perm;
		}
		if (*p == 0)
			return m;
		if (*p++ != ',')
			return -1;
	}
}
