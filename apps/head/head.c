/* head: copy the first N lines of each FILE (or standard input for "-" or no
 * FILE) to standard output; with more than one FILE each is preceded by a
 * "==> FILE <==" heading.
 *   head [-n N | -N | -c N] [FILE...]     (default N: 10)
 *   -c N  the first N bytes instead of lines */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* N from a decimal string, or -1 when s is not one. */
static long parse_count(const char *s)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	return (*s < '0' || *s > '9' || *end || errno) ? -1 : n;
}

int main(int argc, char **argv)
{
	long n = 10;
	int c, bytes = 0;
	if (argc > 1 && argv[1][0] == '-' && argv[1][1] >= '0' && argv[1][1] <= '9') {
		if ((n = parse_count(argv[1] + 1)) < 0)
			goto usage;
		argv[1] = argv[0]; /* drop -N; getopt starts at argv[optind] */
		argv++, argc--;
	}
	while ((c = getopt(argc, argv, "n:c:")) != -1) {
		if ((c != 'n' && c != 'c') || (n = parse_count(optarg)) < 0)
			goto usage;
		bytes = c == 'c';
	}
	int status = 0, i = optind, multi = argc - optind > 1;
	do {
		const char *path = i < argc ? argv[i] : "-";
		int is_stdin = strcmp(path, "-") == 0;
		FILE *f = is_stdin ? stdin : fopen(path, "r");
		if (!f) {
			fprintf(stderr, "head: %s: %s\n", path, strerror(errno));
			status = 1;
			continue;
		}
		if (multi)
			printf("%s==> %s <==\n", i > optind ? "\n" : "",
			       is_stdin ? "standard input" : path);
		errno = 0;
		for (long count = 0; count < n && (c = getc(f)) != EOF;) {
			putchar(c);
			count += bytes || c == '\n';
		}
		if (ferror(f)) {
			fprintf(stderr, "head: %s: %s\n", path, strerror(errno ? errno : EIO));
			status = 1;
		}
		if (is_stdin)
			clearerr(f);
		else if (fclose(f) == EOF) {
			fprintf(stderr, "head: %s: %s\n", path, strerror(errno));
			status = 1;
		}
	} while (++i < argc);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "head: stdout: %s\n", strerror(errno));
		return 1;
	}
	return status;
usage:
	fprintf(stderr, "usage: head [-n N | -N | -c N] [FILE...]\n");
	return 2;
}
