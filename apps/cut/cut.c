/* cut: print selected parts of each line of the FILEs (or standard input for "-"
 * or none).
 *   cut -b LIST [-n] [FILE...]       bytes
 *   cut -c LIST [FILE...]            characters (bytes: the C locale)
 *   cut -f LIST [-d DELIM] [-s] [FILE...]   fields separated by DELIM (a tab)
 * LIST: numbers and ranges (N, N-M, N-, -M) separated by commas or blanks,
 * counted from 1; -s drops lines without a delimiter (else they print whole).
 * Exit status: 0, or 1 on an error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/util.h"

static char *sel;       /* sel[i]: position i+1 is selected, for i < nsel */
static size_t nsel;
static int open_end;    /* selected from this position on (0: none) */

static int selected(size_t pos)
{
	return (open_end && pos >= (size_t)open_end) || (pos <= nsel && sel[pos - 1]);
}

/* Parse LIST into sel. Returns 0, or -1 when it is not a valid list. */
static int parse_list(const char *s)
{
	while (*s) {
		char *end;
		long lo = 1, hi;
		if (*s != '-') {
			lo = strtol(s, &end, 10);
			if (end == s || lo < 1)
				return -1;
			s = end;
		}
		hi = lo;
		if (*s == '-') {
			s++;
			if (*s >= '0' && *s <= '9') {
				hi = strtol(s, &end, 10);
				s = end;
				if (hi < lo)
					return -1;
			} else
				hi = 0; /* to the end */
		}
		if (hi == 0) {
			if (!open_end || lo < open_end)
				open_end = (int)lo;
		} else {
			if ((size_t)hi > nsel) {
				char *n = realloc(sel, (size_t)hi);
				if (!n)
					return -1;
				memset(n + nsel, 0, (size_t)hi - nsel);
				sel = n, nsel = (size_t)hi;
			}
			memset(sel + lo - 1, 1, (size_t)(hi - lo + 1));
		}
		if (*s == ',' || *s == ' ' || *s == '\t')
			s++;
		else if (*s)
			return -1;
	}
	return nsel || open_end ? 0 : -1;
}

int main(int argc, char **argv)
{
	int mode = 0, sflag = 0, c, status = 0;
	char delim = '\t';
	const char *list = NULL;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "b:c:f:d:sn")) != -1) {
		if (c == 'b' || c == 'c' || c == 'f') {
			if (mode)
				goto usage;
			mode = c, list = optarg;
		} else if (c == 'd' && strlen(optarg) == 1)
			delim = optarg[0];
		else if (c == 's')
			sflag = 1;
		else if (c != 'n') /* -n: multibyte characters stay whole; all are bytes here */
			goto usage;
	}
	if (!mode || parse_list(list) < 0)
		goto usage;
	int i = optind;
	do {
		const char *path = i < argc ? argv[i] : "-";
		FILE *f = util_open(path);
		if (!f) {
			status = 1;
			continue;
		}
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;
		while ((n = getline(&line, &cap, f)) >= 0) {
			if (n > 0 && line[n - 1] == '\n')
				line[--n] = 0;
			if (mode != 'f') {
				for (ssize_t k = 0; k < n; k++)
					if (selected((size_t)k + 1))
						putchar(line[k]);
			} else if (!memchr(line, delim, (size_t)n)) {
				if (sflag)
					continue;
				fwrite(line, 1, (size_t)n, stdout);
			} else {
				size_t field = 1;
				int first = 1;
				for (char *p = line, *e; p; field++, p = e ? e + 1 : NULL) {
					e = memchr(p, delim, (size_t)(line + n - p));
					if (!selected(field))
						continue;
					if (!first)
						putchar(delim);
					fwrite(p, 1, e ? (size_t)(e - p) : (size_t)(line + n - p), stdout);
					first = 0;
				}
			}
			putchar('\n');
		}
		free(line);
		status |= util_close(f, path) < 0;
	} while (++i < argc);
	if (fflush(stdout) == EOF) {
		util_perror("standard output");
		return 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: cut -b LIST [-n] | -c LIST | -f LIST [-d DELIM] [-s] [FILE...]\n");
	return 2;
}
