/* date: print the date and time.
 *   date [-u] [+FORMAT]
 *   -u       UTC (exo's clock has no time zone: always UTC)
 *   +FORMAT  strftime conversions (%Y %m %d %H %M %S %a %b %j %s ...); the
 *            default is "%a %b %e %H:%M:%S %Z %Y"
 * Setting the date (an operand without +) fails: nothing sets exo's clock.
 * Exit status: 0, 1 when the date cannot be set, 2 on bad usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int c;
	while ((c = getopt(argc, argv, "u")) != -1) {
		if (c != 'u')
			goto usage;
	}
	/* exo keeps UTC only (docs/apps.md, "Time"): -u changes nothing, and %Z says so */
	setenv("TZ", "UTC0", 1);
	tzset();
	const char *fmt = "%a %b %e %H:%M:%S %Z %Y";
	if (optind < argc) {
		if (argv[optind][0] != '+') {
			fprintf(stderr, "date: cannot set the date: nothing sets the clock\n");
			return 1;
		}
		if (optind + 1 < argc)
			goto usage;
		fmt = argv[optind] + 1;
	}
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	size_t cap = strlen(fmt) * 16 + 64;
	char *buf = malloc(cap);
	if (!buf)
		return 1;
	size_t n = strftime(buf, cap, fmt, &tm);
	if (n == 0 && *fmt) {
		/* strftime gives 0 for an empty result too: grow the buffer once */
		free(buf);
		buf = malloc(cap *= 64);
		if (!buf)
			return 1;
		n = strftime(buf, cap, fmt, &tm);
	}
	fwrite(buf, 1, n, stdout);
	putchar('\n');
	return fflush(stdout) == EOF;
usage:
	fprintf(stderr, "usage: date [-u] [+FORMAT]\n");
	return 2;
}
