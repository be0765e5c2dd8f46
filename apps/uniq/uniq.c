/* uniq: copy INPUT (or standard input for "-" or none) to OUTPUT (or standard
 * output), writing one line of each run of equal adjacent lines.
 *   uniq [-c | -d | -u] [-f FIELDS] [-s CHARS] [-i] [INPUT [OUTPUT]]
 *   -c  prefix each line with its run's length    -d  only lines that repeat
 *   -u  only lines that do not repeat             -i  compare ignoring case
 *   -f  skip FIELDS fields (blanks then non-blanks) before comparing
 *   -s  then skip CHARS characters
 * Exit status: 0, or 1 on an error. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "../lib/util.h"

static int cflag, dflag, uflag, iflag;
static long skip_fields, skip_chars;

/* Where the comparison of line s starts (after -f fields and -s characters). */
static const char *key(const char *s)
{
	for (long f = 0; f < skip_fields; f++) {
		while (*s == ' ' || *s == '\t')
			s++;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	for (long c = 0; c < skip_chars && *s; c++)
		s++;
	return s;
}

static void emit(FILE *out, const char *line, long count)
{
	if ((dflag && count < 2) || (uflag && count > 1))
		return;
	if (cflag)
		fprintf(out, "%7ld %s", count, line);
	else
		fputs(line, out);
}

/* A non-negative count from s, or -1. */
static long count_arg(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	return *s && !*end && n >= 0 ? n : -1;
}

int main(int argc, char **argv)
{
	int c;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "cduif:s:")) != -1) {
		if (c == 'c')
			cflag = 1;
		else if (c == 'd')
			dflag = 1;
		else if (c == 'u')
			uflag = 1;
		else if (c == 'i')
			iflag = 1;
		else if (c == 'f' && (skip_fields = count_arg(optarg)) >= 0)
			;
		else if (c == 's' && (skip_chars = count_arg(optarg)) >= 0)
			;
		else
			goto usage;
	}
	if (argc - optind > 2)
		goto usage;
	const char *in_name = optind < argc ? argv[optind] : "-";
	FILE *in = util_open(in_name), *out = stdout;
	if (!in)
		return 1;
	if (argc - optind == 2 && !(out = fopen(argv[optind + 1], "w"))) {
		util_perror(argv[optind + 1]);
		return 1;
	}
	char *prev = NULL, *line = NULL;
	size_t prev_cap = 0, cap = 0;
	long count = 0;
	while (getline(&line, &cap, in) >= 0) {
		/* the last line may lack its newline: compare it as if it had one */
		size_t n = strlen(line);
		if (n == 0 || line[n - 1] != '\n') {
			char *l = realloc(line, n + 2);
			if (!l) {
				util_perror("malloc");
				return 1;
			}
			line = l, cap = n + 2;
			strcpy(line + n, "\n");
		}
		if (count && (iflag ? strcasecmp(key(prev), key(line)) : strcmp(key(prev), key(line))) == 0) {
			count++;
			continue;
		}
		if (count)
			emit(out, prev, count);
		char *t = prev;
		size_t tc = prev_cap;
		prev = line, prev_cap = cap, line = t, cap = tc;
		count = 1;
	}
	if (count)
		emit(out, prev, count);
	int status = util_close(in, in_name) < 0;
	if (fflush(out) == EOF || (out != stdout && fclose(out) == EOF)) {
		util_perror(out == stdout ? "standard output" : argv[optind + 1]);
		status = 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: uniq [-c|-d|-u] [-i] [-f FIELDS] [-s CHARS] [INPUT [OUTPUT]]\n");
	return 2;
}
