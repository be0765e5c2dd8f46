/* grep: print the lines of each FILE (or standard input for "-" or no FILE)
 * that contain PATTERN, a fixed string (no regular expressions).
 *   grep [-v] [-c] [-n] [-i] PATTERN [FILE...]
 *   -v  select the lines that do not contain PATTERN
 *   -c  print only the number of selected lines
 *   -n  prefix each line with its line number
 *   -i  ignore case
 * With more than one FILE each line (or count) is prefixed with "FILE:".
 * Exit status: 0 if a line was selected, 1 if none, 2 on error. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int vflag, cflag, nflag, iflag;

/* Read one line into *buf (grown as needed), without its newline. Returns the
 * length, or -1 at end of file or on an error (see ferror). newlib declares no
 * getline. */
static long read_line(char **buf, size_t *cap, FILE *f)
{
	size_t len = 0;
	for (;;) {
		int c = getc(f);
		if (c == EOF && len == 0)
			return -1;
		if (len + 1 >= *cap) {
			char *p = realloc(*buf, *cap = *cap ? 2 * *cap : 256);
			if (!p) {
				fprintf(stderr, "grep: %s\n", strerror(ENOMEM));
				exit(2);
			}
			*buf = p;
		}
		if (c == EOF || c == '\n')
			break;
		(*buf)[len++] = (char)c;
	}
	(*buf)[len] = 0;
	return (long)len;
}

/* Search f; print as the options say. Returns the number of selected lines. */
static long grep(FILE *f, const char *pat, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0, selected = 0;
	while (read_line(&line, &cap, f) >= 0) {
		lineno++;
		int match = (iflag ? strcasestr(line, pat) : strstr(line, pat)) != NULL;
		if (match == vflag)
			continue;
		selected++;
		if (cflag)
			continue;
		if (name)
			printf("%s:", name);
		if (nflag)
			printf("%ld:", lineno);
		puts(line);
	}
	free(line);
	if (cflag) {
		if (name)
			printf("%s:", name);
		printf("%ld\n", selected);
	}
	return selected;
}

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "vcni")) != -1) {
		if (c == 'v')
			vflag = 1;
		else if (c == 'c')
			cflag = 1;
		else if (c == 'n')
			nflag = 1;
		else if (c == 'i')
			iflag = 1;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	const char *pat = argv[optind++];
	int multi = argc - optind > 1, error = 0, i = optind;
	long selected = 0;
	do {
		const char *path = i < argc ? argv[i] : "-";
		int is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "r");
		if (!f) {
			fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
			error = 1;
			continue;
		}
		errno = 0;
		selected += grep(f, pat, multi ? (is_stdin ? "(standard input)" : path) : NULL);
		if (ferror(f)) {
			fprintf(stderr, "grep: %s: %s\n", path, strerror(errno ? errno : EIO));
			error = 1;
		}
		if (is_stdin)
			clearerr(f);
		else if (fclose(f) == EOF) {
			fprintf(stderr, "grep: %s: %s\n", path, strerror(errno));
			error = 1;
		}
	} while (++i < argc);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "grep: stdout: %s\n", strerror(errno));
		return 2;
	}
	return error ? 2 : selected ? 0 : 1;
usage:
	fprintf(stderr, "usage: grep [-v] [-c] [-n] [-i] PATTERN [FILE...]\n");
	return 2;
}
