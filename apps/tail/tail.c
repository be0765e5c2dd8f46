/* tail: copy the end of a FILE (or standard input for "-" or none) to standard
 * output.
 *   tail [-f] [-n [+]N | -c [+]N] [FILE]      (default: -n 10)
 *   -n N   the last N lines; +N: from line N on
 *   -c N   the last N bytes; +N: from byte N on
 *   -f     then keep reading the file as it grows (not standard input from a pipe)
 * The old forms -N, +N (and -Nc, -Nl) are accepted too.
 * Exit status: 0, or 1 on an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../lib/util.h"

/* Parse [+|-]N: *from is 1 for +N. Returns N, or -1 when s is not a count. */
static long parse_count(const char *s, int *from)
{
	*from = *s == '+';
	if (*s == '+' || *s == '-')
		s++;
	char *end;
	long n = strtol(s, &end, 10);
	return *s >= '0' && *s <= '9' && !*end && n >= 0 ? n : -1;
}

/* Read all of f into a growing buffer. Returns it (*len its length), or NULL
 * after an error was reported. */
static char *slurp(FILE *f, const char *name, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	for (size_t r; buf && (r = fread(buf + n, 1, cap - n, f)) > 0;) {
		n += r;
		if (n == cap) {
			char *b = realloc(buf, cap *= 2);
			if (!b)
				free(buf);
			buf = b;
		}
	}
	if (!buf) {
		util_perror("malloc");
		return NULL;
	}
	if (ferror(f)) {
		util_perror(name);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	long n = 10;
	int bytes = 0, from = 0, follow = 0, c;
	util_init(argv[0]);
	/* the obsolescent forms: tail -N, tail +N, tail -Nc, tail +Nl */
	if (argc > 1 && (argv[1][0] == '-' || argv[1][0] == '+') && argv[1][1] >= '0' &&
	    argv[1][1] <= '9') {
		char *a = argv[1];
		size_t l = strlen(a);
		if (a[l - 1] == 'c' || a[l - 1] == 'l')
			bytes = a[l - 1] == 'c', a[l - 1] = 0;
		if ((n = parse_count(a, &from)) < 0)
			goto usage;
		argv[1] = argv[0];
		argv++, argc--;
	}
	while ((c = getopt(argc, argv, "fn:c:")) != -1) {
		if (c == 'f')
			follow = 1;
		else if ((c == 'n' || c == 'c') && (n = parse_count(optarg, &from)) >= 0)
			bytes = c == 'c';
		else
			goto usage;
	}
	if (argc - optind > 1)
		goto usage;
	const char *path = optind < argc ? argv[optind] : "-";
	FILE *f = util_open(path);
	if (!f)
		return 1;
	size_t len, start = 0;
	char *buf = slurp(f, path, &len);
	if (!buf)
		return 1;
	if (bytes)
		start = from ? (n > 0 ? (size_t)n - 1 : 0) : (len > (size_t)n ? len - (size_t)n : 0);
	else if (from) {
		for (long line = 1; start < len && line < n; start++)
			line += buf[start] == '\n';
	} else {
		/* back from the end over n newlines (a last line without one counts) */
		size_t p = len;
		long seen = 0;
		if (p > 0 && buf[p - 1] == '\n')
			p--;
		while (p > 0 && !(buf[p - 1] == '\n' && ++seen == n))
			p--;
		start = n == 0 ? len : p;
	}
	if (start < len)
		fwrite(buf + start, 1, len - start, stdout);
	fflush(stdout);
	struct stat st;
	if (follow && (f != stdin || (fstat(0, &st) == 0 && !S_ISFIFO(st.st_mode)))) {
		clearerr(f);
		for (;;) {
			size_t r = fread(buf, 1, 4096, f); /* buf holds at least 64 KiB */
			if (r > 0) {
				fwrite(buf, 1, r, stdout);
				fflush(stdout);
				continue;
			}
			clearerr(f);
			nanosleep(&(struct timespec){ 0, 250000000 }, NULL);
		}
	}
	free(buf);
	return util_close(f, path) < 0;
usage:
	fprintf(stderr, "usage: tail [-f] [-n [+]N | -c [+]N] [FILE]\n");
	return 2;
}
