/*
 * getopt, getopt_long, getopt_long_only as POSIX (and, for the long forms, GNU)
 * say, in place of newlib's: options end at the first operand (no reordering of
 * argv), a lone "-" is an operand, "--" ends the options. newlib's object defines
 * the same names, so all of them are here (and its __getopt_*_r are not
 * provided: a program that calls those gets a duplicate-symbol error at link time
 * rather than two getopts).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *optarg;
int optind = 1, opterr = 1, optopt;
static int pos; /* where in argv[optind] the next option letter is (0: not inside one) */

/* complain: the diagnostic POSIX wants unless the caller asked for silence. */
static void complain(char *const argv[], const char *opts, const char *what, const char *name, int c)
{
	if (!opterr || opts[0] == ':')
		return;
	if (name)
		fprintf(stderr, "%s: %s -- %s\n", argv[0], what, name);
	else
		fprintf(stderr, "%s: %s -- %c\n", argv[0], what, c);
}

/* long_option: argv[optind] + skip names a long option: handle it (advancing
 * optind). Returns its value, '?' or ':' for an error, or -2 when (only_short)
 * nothing matches and the caller should parse short options instead. */
static int long_option(int argc, char *const argv[], const char *opts, const struct option *lo, int *index,
		       int skip, int may_fall_back)
{
	const char *name = argv[optind] + skip, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int found = -1, matches = 0;
	for (int i = 0; lo[i].name; i++) {
		if (strncmp(lo[i].name, name, len) != 0)
			continue;
		if (strlen(lo[i].name) == len) { /* exact */
			found = i, matches = 1;
			break;
		}
		found = i, matches++;
	}
	if (matches != 1) {
		if (may_fall_back)
			return -2;
		complain(argv, opts, matches ? "ambiguous option" : "unrecognized option", name, 0);
		optind++;
		optopt = 0;
		return '?';
	}
	const struct option *o = &lo[found];
	optind++;
	optarg = NULL;
	if (eq) {
		if (o->has_arg == no_argument) {
			complain(argv, opts, "option takes no argument", o->name, 0);
			optopt = o->val;
			return '?';
		}
		optarg = (char *)eq + 1;
	} else if (o->has_arg == required_argument) {
		if (optind >= argc) {
			complain(argv, opts, "option requires an argument", o->name, 0);
			optopt = o->val;
			return opts[0] == ':' ? ':' : '?';
		}
		optarg = argv[optind++];
	}
	if (index)
		*index = found;
	if (o->flag) {
		*o->flag = o->val;
		return 0;
	}
	return o->val;
}

/* next: the one parser behind the three calls (lo NULL: short options only;
 * long_only: a single '-' may start a long option too). */
static int next(int argc, char *const argv[], const char *opts, const struct option *lo, int *index, int long_only)
{
	if (optind == 0) /* a request to start over (GNU, BSD) */
		optind = 1, pos = 0;
	if (*opts == '+' || *opts == '-')
		opts++; /* GNU's ordering flags: we never reorder anyway */
	optarg = NULL;
	if (pos == 0) {
		if (optind >= argc || !argv[optind] || argv[optind][0] != '-' || !argv[optind][1])
			return -1;
		if (strcmp(argv[optind], "--") == 0) {
			optind++;
			return -1;
		}
		if (lo && argv[optind][1] == '-')
			return long_option(argc, argv, opts, lo, index, 2, 0);
		if (lo && long_only) {
			int r = long_option(argc, argv, opts, lo, index, 1, 1);
			if (r != -2)
				return r;
		}
		pos = 1;
	}
	int c = (unsigned char)argv[optind][pos++];
	const char *spec = c == ':' ? NULL : strchr(opts, c);
	int last = argv[optind][pos] == 0;
	if (!spec) {
		optopt = c;
		if (last)
			optind++, pos = 0;
		complain(argv, opts, "illegal option", NULL, c);
		return '?';
	}
	if (spec[1] != ':') {
		if (last)
			optind++, pos = 0;
		return c;
	}
	if (!last) { /* the argument follows in the same word */
		optarg = &argv[optind][pos];
		optind++, pos = 0;
		return c;
	}
	optind++, pos = 0;
	if (spec[2] == ':') /* an optional argument (GNU "::"): only in the same word */
		return c;
	if (optind >= argc) {
		optopt = c;
		complain(argv, opts, "option requires an argument", NULL, c);
		return opts[0] == ':' ? ':' : '?';
	}
	optarg = argv[optind++];
	return c;
}

int getopt(int argc, char *const argv[], const char *opts)
{
	return next(argc, argv, opts, NULL, NULL, 0);
}

int getopt_long(int argc, char *const argv[], const char *opts, const struct option *lo, int *index)
{
	return next(argc, argv, opts, lo, index, 0);
}

int getopt_long_only(int argc, char *const argv[], const char *opts, const struct option *lo, int *index)
{
	return next(argc, argv, opts, lo, index, 1);
}
