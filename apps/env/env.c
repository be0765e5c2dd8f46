/* env: run a program in a changed environment, or print the environment.
 *   env [-i] [NAME=VALUE...] [PROGRAM [ARG...]]
 *   -i (or a lone -)  start from an empty environment
 * Without PROGRAM it prints the resulting environment, one NAME=VALUE a line.
 * Exit status: PROGRAM's; 126 when it was found but could not run, 127 when it
 * was not found; 1 on another error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/util.h"

extern char **environ;

int main(int argc, char **argv)
{
	int i = 1;
	util_init(argv[0]);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "-") == 0) {
			static char *empty[] = { NULL };
			environ = empty;
		} else {
			fprintf(stderr, "usage: env [-i] [NAME=VALUE...] [PROGRAM [ARG...]]\n");
			return 2;
		}
	}
	for (; i < argc && strchr(argv[i], '='); i++) {
		if (argv[i][0] == '=' || putenv(argv[i]) != 0) {
			fprintf(stderr, "env: %s: cannot set\n", argv[i]);
			return 1;
		}
	}
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return fflush(stdout) == EOF;
	}
	execvp(argv[i], argv + i);
	int e = errno;
	util_perror(argv[i]);
	return e == ENOENT ? 127 : 126;
}
