/* xargs: run a command with arguments read from standard input.
 *   xargs [-t] [-p] [-x] [-r] [-0] [-E EOF] [-I REPL | -L N | -n N] [-s SIZE] [CMD [ARG...]]
 * Input arguments are separated by blanks and newlines, with '...', "..." and \
 * quoting (-0: separated by NUL bytes, nothing quoted). CMD defaults to echo.
 *   -n N    at most N arguments per command      -L N   at most N input lines
 *   -I REPL one command per input line, REPL in the ARGs replaced by the line
 *   -s SIZE at most SIZE bytes of command line   -x     stop if a command overflows
 *   -E EOF  stop at an argument equal to EOF     -t     print each command on stderr
 *   -p      ask on /dev/tty before each command   -r     run nothing for no input
 * Exit status: 0; 123 when a command exited 1-125; 124 when one exited 255 (xargs
 * stops); 125 when one was killed by a signal; 126 when CMD could not run, 127
 * when it was not found; 1 on another error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../lib/util.h"

static int tflag, pflag, xflag, zflag, rflag;
static long max_args, max_lines;
static size_t max_size = 65536 - 4096; /* exec takes 64 KiB of arguments and environment */
static const char *eof_str, *repl;

/* A growing vector of strings. */
struct vec {
	char **v;
	int n, cap;
};

static void push(struct vec *a, char *s)
{
	if (a->n + 1 >= a->cap && !(a->v = realloc(a->v, sizeof *a->v * (size_t)(a->cap = a->cap ? 2 * a->cap : 64)))) {
		util_perror("malloc");
		exit(1);
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
}

static int at_eof, line_ended;
static char *pending; /* an argument read but left for the next command */

/* The next input argument (malloc'd), or NULL at the end of input. line_ended is
 * set when a newline ended it. */
static char *next_arg(void)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	int c, quote = 0, have = 0;
	if (pending) {
		free(s);
		s = pending, pending = NULL;
		return s;
	}
	line_ended = 0;
	if (!s || at_eof) {
		free(s);
		return NULL;
	}
	for (;;) {
		c = getchar();
		if (c == EOF) {
			if (quote) {
				fprintf(stderr, "xargs: unmatched %c quote\n", quote);
				exit(1);
			}
			at_eof = 1;
			if (!have) {
				free(s);
				return NULL;
			}
			break;
		}
		if (zflag) {
			if (c == 0)
				break;
		} else if (quote) {
			if (c == quote) {
				quote = 0;
				continue;
			}
		} else if (c == '\'' || c == '"') {
			quote = c, have = 1;
			continue;
		} else if (c == '\\') {
			if ((c = getchar()) == EOF)
				continue;
		} else if (c == '\n' || c == ' ' || c == '\t') {
			/* with -I, only a newline ends an argument (leading blanks dropped) */
			if (c == '\n' || (!repl && have)) {
				if (c == '\n')
					line_ended = 1;
				if (have)
					break;
				continue;
			}
			if (!have)
				continue;
		}
		if (n + 2 > cap && !(s = realloc(s, cap *= 2))) {
			util_perror("malloc");
			exit(1);
		}
		s[n++] = (char)c, have = 1;
	}
	s[n] = 0;
	return s;
}

/* Replace every REPL in arg by with (malloc'd result). */
static char *replace(const char *arg, const char *with)
{
	size_t rl = strlen(repl), wl = strlen(with), n = 0;
	for (const char *p = arg; (p = strstr(p, repl)); p += rl)
		n++;
	char *out = malloc(strlen(arg) + n * wl + 1), *o = out;
	if (!out) {
		util_perror("malloc");
		exit(1);
	}
	for (const char *p = arg, *q; ; p = q + rl) {
		q = strstr(p, repl);
		size_t k = q ? (size_t)(q - p) : strlen(p);
		memcpy(o, p, k), o += k;
		if (!q)
			break;
		memcpy(o, with, wl), o += wl;
	}
	*o = 0;
	return out;
}

/* Run argv (after -t and -p). Returns xargs's status for it: 0, 123, 124 (stop),
 * 125 (stop), 126 or 127 (stop). */
static int run(char **argv)
{
	if (tflag || pflag) {
		for (char **a = argv; *a; a++)
			fprintf(stderr, "%s%s", a == argv ? "" : " ", *a);
		if (pflag) {
			fprintf(stderr, " ?...");
			FILE *tty = fopen("/dev/tty", "r");
			char answer[64];
			int yes = tty && fgets(answer, sizeof answer, tty) && (answer[0] == 'y' || answer[0] == 'Y');
			if (tty)
				fclose(tty);
			if (!yes)
				return 0;
		} else
			fputc('\n', stderr);
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		util_perror("fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		util_perror(argv[0]);
		_exit(errno == ENOENT ? 127 : 126);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			util_perror("waitpid");
			return 125;
		}
	if (WIFSIGNALED(st)) {
		fprintf(stderr, "xargs: %s: killed by signal %d\n", argv[0], WTERMSIG(st));
		return 125;
	}
	int code = WEXITSTATUS(st);
	return code == 0 ? 0 : code == 255 ? 124 : code == 126 || code == 127 ? code : 123;
}

/* Whether status s ends xargs. */
static int fatal(int s)
{
	return s >= 124;
}

int main(int argc, char **argv)
{
	int c, status = 0;
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "+tpxr0E:I:L:n:s:")) != -1) {
		char *end = NULL;
		switch (c) {
		case 't': tflag = 1; break;
		case 'p': pflag = 1; break;
		case 'x': xflag = 1; break;
		case 'r': rflag = 1; break;
		case '0': zflag = 1; break;
		case 'E': eof_str = optarg; break;
		case 'I': repl = optarg, max_lines = 1, max_args = 0; break;
		case 'L': max_lines = strtol(optarg, &end, 10), repl = NULL, max_args = 0; break;
		case 'n': max_args = strtol(optarg, &end, 10), max_lines = repl ? max_lines : 0; break;
		case 's': max_size = (size_t)strtol(optarg, &end, 10); break;
		default: goto usage;
		}
		if (end && (*end || end == optarg || (c != 's' && strtol(optarg, NULL, 10) < 1)))
			goto usage;
	}
	static char *echo[] = { "echo", NULL };
	char **cmd = optind < argc ? argv + optind : echo;
	int ncmd = optind < argc ? argc - optind : 1;
	size_t base = 0;
	for (int i = 0; i < ncmd; i++)
		base += strlen(cmd[i]) + 1;
	int ran = 0;
	for (;;) {
		struct vec a = { 0 };
		for (int i = 0; i < ncmd; i++)
			push(&a, cmd[i]);
		size_t size = base;
		long nargs = 0, nlines = 0;
		char *arg;
		if (repl) {
			if (!(arg = next_arg()) || (eof_str && strcmp(arg, eof_str) == 0))
				break;
			for (int i = 1; i < ncmd; i++)
				a.v[i] = replace(cmd[i], arg);
			nargs = 1;
		} else
			while ((!max_args || nargs < max_args) && (!max_lines || nlines < max_lines) &&
			       (arg = next_arg())) {
				if (eof_str && strcmp(arg, eof_str) == 0) {
					at_eof = 1;
					break;
				}
				if (size + strlen(arg) + 1 > max_size) {
					if (xflag || nargs == 0) {
						fprintf(stderr, "xargs: argument list too long\n");
						return 1;
					}
					pending = arg; /* it starts the next command */
					break;
				}
				size += strlen(arg) + 1;
				push(&a, arg);
				nargs++;
				nlines += line_ended;
			}
		if (nargs == 0 && (ran || rflag))
			break;
		int s = run(a.v);
		ran = 1;
		if (s > status)
			status = s;
		if (fatal(s))
			return s;
		if (at_eof && !pending)
			break;
		free(a.v);
	}
	return status;
usage:
	fprintf(stderr, "usage: xargs [-tpxr0] [-E EOF] [-I REPL | -L N | -n N] [-s SIZE] [CMD [ARG...]]\n");
	return 1;
}
