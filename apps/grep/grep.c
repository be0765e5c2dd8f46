/* grep: print the lines of each FILE (or standard input for "-" or no FILE)
 * that match one of the patterns.
 *   grep [-E | -F] [-c | -l | -q] [-insvxh] [-e PATTERN]... [-f FILE]... [PATTERN] [FILE...]
 *   -E  extended regular expressions   -F  fixed strings (default: basic REs)
 *   -e  a pattern (may be repeated)    -f  patterns from FILE, one a line
 *   -c  print only the count of selected lines  -l  print only the names of files with one
 *   -q  print nothing; exit 0 at the first match
 *   -i  ignore case   -n  prefix line numbers   -s  no messages about unreadable files
 *   -v  select the lines that do not match       -x  match whole lines only
 *   -h  never prefix file names (with more than one FILE they are, "FILE:")
 * A PATTERN holding newlines is one pattern per line.
 * Exit status: 0 if a line was selected, 1 if none, 2 on an error (unless -q matched). */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int Fflag, cflag, lflag, qflag, iflag, nflag, sflag, vflag, xflag, hflag, ere;

static char **pats;
static size_t npats;
static regex_t *res;

static _Noreturn void out_of_memory(void)
{
	fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
	exit(2);
}

/* Add each line of s as a pattern. */
static void add_patterns(const char *s, size_t len)
{
	for (const char *p = s, *end = s + len;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!(pats = realloc(pats, sizeof *pats * (npats + 1))) || !(pats[npats] = strndup(p, n)))
			out_of_memory();
		npats++;
		if (!nl)
			break;
		p = nl + 1;
	}
}

/* Whether line (length n, no newline) matches pattern i. An empty pattern matches
 * every line (every empty line with -x) as a fixed string: regcomp refuses it. */
static int match_one(size_t i, const char *line, size_t n)
{
	if (!Fflag && pats[i][0]) {
		regmatch_t m[1];
		if (!xflag)
			return regexec(&res[i], line, 0, m, 0) == 0;
		/* -x: some match must span the whole line; a leftmost-longest match
		 * starting at 0 is the one to check */
		return regexec(&res[i], line, 1, m, 0) == 0 && m[0].rm_so == 0 && (size_t)m[0].rm_eo == n;
	}
	const char *p = pats[i];
	size_t k = strlen(p);
	if (xflag)
		return k == n && (iflag ? strncasecmp(line, p, n) : memcmp(line, p, n)) == 0;
	for (size_t at = 0; at + k <= n; at++)
		if ((iflag ? strncasecmp(line + at, p, k) : memcmp(line + at, p, k)) == 0)
			return 1;
	return 0;
}

/* Search f; print as the options say. Returns the number of selected lines. */
static long grep(FILE *f, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0, selected = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = 0;
		lineno++;
		int match = 0;
		for (size_t i = 0; i < npats && !match; i++)
			match = match_one(i, line, (size_t)n);
		if (match == vflag)
			continue;
		selected++;
		if (qflag)
			exit(0);
		if (lflag)
			break;
		if (cflag)
			continue;
		if (name && !hflag)
			printf("%s:", name);
		if (nflag)
			printf("%ld:", lineno);
		fwrite(line, 1, (size_t)n, stdout);
		putchar('\n');
	}
	free(line);
	if (cflag) {
		if (name && !hflag)
			printf("%s:", name);
		printf("%ld\n", selected);
	}
	if (lflag && selected)
		puts(name ? name : "(standard input)");
	return selected;
}

/* Read the patterns of FILE. */
static void pattern_file(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (!f) {
		fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0)
		add_patterns(line, (size_t)(n > 0 && line[n - 1] == '\n' ? n - 1 : n));
	free(line);
	if (f != stdin)
		fclose(f);
}

int main(int argc, char **argv)
{
	int c, have_e = 0;
	while ((c = getopt(argc, argv, "EFGclqinsvxhe:f:")) != -1) {
		switch (c) {
		case 'E': ere = 1, Fflag = 0; break;
		case 'F': Fflag = 1, ere = 0; break;
		case 'G': Fflag = 0, ere = 0; break;
		case 'c': cflag = 1; break;
		case 'l': lflag = 1; break;
		case 'q': qflag = 1; break;
		case 'i': iflag = 1; break;
		case 'n': nflag = 1; break;
		case 's': sflag = 1; break;
		case 'v': vflag = 1; break;
		case 'x': xflag = 1; break;
		case 'h': hflag = 1; break;
		case 'e': add_patterns(optarg, strlen(optarg)), have_e = 1; break;
		case 'f': pattern_file(optarg), have_e = 1; break;
		default: goto usage;
		}
	}
	if (!have_e) {
		if (optind >= argc)
			goto usage;
		add_patterns(argv[optind], strlen(argv[optind]));
		optind++;
	}
	if (!Fflag) {
		if (!(res = calloc(npats, sizeof *res)))
			out_of_memory();
		for (size_t i = 0; i < npats; i++) {
			if (!pats[i][0])
				continue;
			int r = regcomp(&res[i], pats[i], (ere ? REG_EXTENDED : 0) | (iflag ? REG_ICASE : 0) |
							      (xflag ? 0 : REG_NOSUB));
			if (r) {
				char msg[128];
				regerror(r, &res[i], msg, sizeof msg);
				fprintf(stderr, "grep: %s: %s\n", pats[i], msg);
				return 2;
			}
		}
	}
	int multi = argc - optind > 1, error = 0, i = optind;
	long selected = 0;
	do {
		const char *path = i < argc ? argv[i] : "-";
		int is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "r");
		if (!f) {
			if (!sflag)
				fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
			error = 1;
			continue;
		}
		errno = 0;
		selected += grep(f, multi || lflag ? (is_stdin ? "(standard input)" : path) : NULL);
		if (ferror(f)) {
			if (!sflag)
				fprintf(stderr, "grep: %s: %s\n", path, strerror(errno ? errno : EIO));
			error = 1;
		}
		if (is_stdin)
			clearerr(f);
		else
			fclose(f);
	} while (++i < argc);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "grep: stdout: %s\n", strerror(errno));
		return 2;
	}
	return error ? 2 : selected ? 0 : 1;
usage:
	fprintf(stderr, "usage: grep [-E|-F] [-c|-l|-q] [-insvxh] [-e PATTERN]... [-f FILE]... [PATTERN] [FILE...]\n");
	return 2;
}
