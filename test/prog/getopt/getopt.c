/* getopt, getopt_long and getopt_long_only (libos/getopt.c): POSIX's rules (no
 * reordering, a lone "-" is an operand, "--" ends the options, ':' for silent
 * errors) and the long forms. */
#include <getopt.h>
#include <string.h>
#include <unistd.h>
#include "../check.h"

/* run: getopt over the words of line (argv[0] "prog"), the letters returned
 * (with "=ARG" after one with an argument) into out; returns the final optind. */
static int run(const char *line, const char *opts, char *out)
{
	static char buf[256];
	char *argv[32];
	int argc = 0;
	strcpy(buf, line);
	argv[argc++] = "prog";
	for (char *w = strtok(buf, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	optind = 0; /* start over */
	opterr = 0;
	out[0] = 0;
	int c;
	while ((c = getopt(argc, argv, opts)) != -1) {
		char one[64];
		snprintf(one, sizeof one, "%c%s%s,", c, optarg ? "=" : "", optarg ? optarg : "");
		strcat(out, one);
	}
	return optind;
}

int main(void)
{
	char out[256];
	CHECK_EQ(run("-a -b val file -c", "ab:c", out), 4);
	CHECK(strcmp(out, "a,b=val,") == 0); /* stops at the operand: -c is not an option */
	CHECK_EQ(run("-ab -bx -- -c", "ab:c", out), 4);
	CHECK(strcmp(out, "a,b=-bx,") == 0);
	CHECK_EQ(run("-a - -c", "ac", out), 2);
	CHECK(strcmp(out, "a,") == 0); /* a lone - is an operand */
	CHECK_EQ(run("-cbval", "b:c", out), 2);
	CHECK(strcmp(out, "c,b=val,") == 0);
	CHECK_EQ(run("-x", "ab", out), 2);
	CHECK(strcmp(out, "?,") == 0 && optopt == 'x');
	CHECK_EQ(run("-b", ":b:", out), 2);
	CHECK(strcmp(out, ":,") == 0 && optopt == 'b');
	CHECK_EQ(run("-b", "b:", out), 2);
	CHECK(strcmp(out, "?,") == 0);
	CHECK_EQ(run("file", "a", out), 1);
	CHECK_EQ(run("", "a", out), 1);

	static int flag;
	static const struct option lo[] = {
		{ "verbose", no_argument, &flag, 7 },
		{ "output", required_argument, NULL, 'o' },
		{ "opt", optional_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	char *argv[] = { "prog", "--verbose", "--output=f1", "--output", "f2", "--outp", "f3", "--o", "-x", "z", NULL };
	int argc = 10, idx = -1;
	optind = 0;
	opterr = 0;
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), 0);
	CHECK_EQ(flag, 7);
	CHECK_EQ(idx, 0);
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), 'o');
	CHECK(strcmp(optarg, "f1") == 0);
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), 'o');
	CHECK(strcmp(optarg, "f2") == 0);
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), 'o'); /* a unique prefix */
	CHECK(strcmp(optarg, "f3") == 0);
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), '?'); /* --o: opt or output */
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), 'x');
	CHECK_EQ(getopt_long(argc, argv, "x", lo, &idx), -1);
	CHECK_EQ(optind, 9);
	char *argv2[] = { "prog", "-output", "f4", "-x", NULL };
	optind = 0;
	CHECK_EQ(getopt_long_only(4, argv2, "x", lo, &idx), 'o');
	CHECK(strcmp(optarg, "f4") == 0);
	CHECK_EQ(getopt_long_only(4, argv2, "x", lo, &idx), 'x');
	CHECK_EQ(getopt_long_only(4, argv2, "x", lo, &idx), -1);
	printf("getopt: POSIX rules and the long forms ok\n");
	check_done("getopt");
}
