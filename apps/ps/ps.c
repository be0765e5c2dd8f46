/* ps: list the processes (libos_ps: a snapshot of the libOS process table),
 * in pid order: pid, parent pid, state (R running or blocked, Z zombie), command.
 *   ps */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "libos.h"

int main(int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: ps\n");
		return 2;
	}
	struct libos_psinfo *ps = NULL;
	int n, max = 64;
	do { /* grow until the snapshot fits */
		max *= 2;
		free(ps);
		if (!(ps = malloc((size_t)max * sizeof *ps))) {
			fprintf(stderr, "ps: %s\n", strerror(ENOMEM));
			return 1;
		}
		n = libos_ps(ps, max);
	} while (n == max);
	printf("  PID  PPID S CMD\n");
	for (int i = 0; i < n; i++)
		printf("%5d %5d %c %.*s\n", ps[i].pid, ps[i].ppid, ps[i].state,
		       (int)sizeof ps[i].cmd, ps[i].cmd);
	free(ps);
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "ps: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
