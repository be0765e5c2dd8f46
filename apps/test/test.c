/* test, [: evaluate a condition; exit status 0 when true, 1 when false, 2 on an
 * error. Invoked as "[", the last argument must be "]".
 *   test EXPRESSION     with POSIX's rules for 0 to 4 arguments, and beyond:
 *   ! E, E -a E, E -o E (-a binds tighter), ( E )
 *   -e -f -d -b -c -p -S -h -L -r -w -x -s -u -g -k FILE; -t FD; -n -z STRING; STRING
 *   S1 = S2, S1 != S2, S1 < S2, S1 > S2; N1 -eq -ne -lt -le -gt -ge N2 (integers);
 *   F1 -nt F2, F1 -ot F2 (modification times), F1 -ef F2 (the same file) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char **args;
static int nargs, pos;
static const char *prog;

static _Noreturn void error(const char *msg, const char *arg)
{
	fprintf(stderr, "%s: %s%s%s\n", prog, arg ? arg : "", arg ? ": " : "", msg);
	exit(2);
}

static const char *const unary_ops = "efdbcpShLrwxsugktnz";

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr(unary_ops, s[1]);
}

static const char *const binary_ops[] = { "=", "!=", "<", ">", "-eq", "-ne", "-lt", "-le",
					  "-gt", "-ge", "-nt", "-ot", "-ef", NULL };

static int is_binary(const char *s)
{
	for (int i = 0; binary_ops[i]; i++)
		if (strcmp(s, binary_ops[i]) == 0)
			return 1;
	return 0;
}

/* An integer operand (optional blanks and sign, digits), else error 2. */
static long long integer(const char *s)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (end == s || *end || errno)
		error("integer expression expected", s);
	return v;
}

static int unary(char op, const char *a)
{
	struct stat st;
	if (op == 'n')
		return *a != 0;
	if (op == 'z')
		return *a == 0;
	if (op == 't')
		return isatty((int)integer(a));
	if (op == 'h' || op == 'L')
		return lstat(a, &st) == 0 && S_ISLNK(st.st_mode);
	if (op == 'r' || op == 'w' || op == 'x')
		return access(a, op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK) == 0;
	if (stat(a, &st) < 0)
		return 0;
	switch (op) {
	case 'e': return 1;
	case 'f': return S_ISREG(st.st_mode);
	case 'd': return S_ISDIR(st.st_mode);
	case 'b': return S_ISBLK(st.st_mode);
	case 'c': return S_ISCHR(st.st_mode);
	case 'p': return S_ISFIFO(st.st_mode);
	case 'S': return S_ISSOCK(st.st_mode);
	case 's': return st.st_size > 0;
	case 'u': return (st.st_mode & S_ISUID) != 0;
	case 'g': return (st.st_mode & S_ISGID) != 0;
	default: return (st.st_mode & S_ISVTX) != 0; /* k */
	}
}

static int binary(const char *a, const char *op, const char *b)
{
	if (op[0] != '-') {
		int c = strcmp(a, b);
		return op[0] == '=' ? c == 0 : op[0] == '!' ? c != 0 : op[0] == '<' ? c < 0 : c > 0;
	}
	if (strcmp(op, "-nt") == 0 || strcmp(op, "-ot") == 0 || strcmp(op, "-ef") == 0) {
		struct stat sa, sb;
		int ha = stat(a, &sa) == 0, hb = stat(b, &sb) == 0;
		if (op[1] == 'e')
			return ha && hb && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
		if (op[1] == 'n')
			return ha && (!hb || sa.st_mtime > sb.st_mtime);
		return hb && (!ha || sa.st_mtime < sb.st_mtime);
	}
	long long x = integer(a), y = integer(b);
	if (strcmp(op, "-eq") == 0) return x == y;
	if (strcmp(op, "-ne") == 0) return x != y;
	if (strcmp(op, "-lt") == 0) return x < y;
	if (strcmp(op, "-le") == 0) return x <= y;
	if (strcmp(op, "-gt") == 0) return x > y;
	return x >= y;
}

static int expr_or(void);

static const char *next(void)
{
	if (pos >= nargs)
		error("argument expected", NULL);
	return args[pos++];
}

static int primary(void)
{
	const char *a = next();
	if (strcmp(a, "!") == 0)
		return !primary();
	if (strcmp(a, "(") == 0) {
		int v = expr_or();
		if (pos >= nargs || strcmp(args[pos], ")") != 0)
			error("')' expected", NULL);
		pos++;
		return v;
	}
	if (pos + 1 < nargs && is_binary(args[pos]))
		return pos += 2, binary(a, args[pos - 2], args[pos - 1]);
	if (is_unary(a) && pos < nargs)
		return unary(a[1], next());
	return *a != 0;
}

static int expr_and(void)
{
	int v = primary();
	while (pos < nargs && strcmp(args[pos], "-a") == 0) {
		pos++;
		v = primary() && v;
	}
	return v;
}

static int expr_or(void)
{
	int v = expr_and();
	while (pos < nargs && strcmp(args[pos], "-o") == 0) {
		pos++;
		v = expr_and() || v;
	}
	return v;
}

/* POSIX's table for up to four arguments; beyond, the grammar. */
static int evaluate(int n, char **a)
{
	switch (n) {
	case 0: return 0;
	case 1: return a[0][0] != 0;
	case 2:
		if (strcmp(a[0], "!") == 0)
			return a[1][0] == 0;
		if (is_unary(a[0]))
			return unary(a[0][1], a[1]);
		error("unary operator expected", a[0]);
	case 3:
		if (is_binary(a[1]))
			return binary(a[0], a[1], a[2]);
		if (strcmp(a[0], "!") == 0)
			return !evaluate(2, a + 1);
		if (strcmp(a[0], "(") == 0 && strcmp(a[2], ")") == 0)
			return a[1][0] != 0;
		break;
	case 4:
		if (strcmp(a[0], "!") == 0)
			return !evaluate(3, a + 1);
		if (strcmp(a[0], "(") == 0 && strcmp(a[3], ")") == 0)
			return evaluate(2, a + 1);
		break;
	}
	args = a, nargs = n, pos = 0;
	int v = expr_or();
	if (pos < nargs)
		error("unexpected argument", args[pos]);
	return v;
}

int main(int argc, char **argv)
{
	prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (strcmp(prog, "[") == 0) {
		if (argc < 2 || strcmp(argv[argc - 1], "]") != 0)
			error("missing ]", NULL);
		argc--;
	}
	return !evaluate(argc - 1, argv + 1);
}
