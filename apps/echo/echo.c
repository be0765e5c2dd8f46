/* echo: write the arguments, separated by single spaces, followed by a newline.
 *   echo [-n] [ARG...]
 *   -n  no trailing newline (recognised only as the first argument). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;
	if (argc > 1 && strcmp(argv[1], "-n") == 0)
		newline = 0, i++;
	for (int first = i; i < argc; i++) {
		if (i > first)
			putchar(' ');
		fputs(argv[i], stdout);
	}
	if (newline)
		putchar('\n');
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "echo: stdout: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
