/* find: walk file trees and evaluate an expression for every file.
 *   find [-H | -L] PATH... [EXPRESSION]
 * Primaries: -name PAT, -path PAT (fnmatch patterns), -type [bcdflps],
 *   -size [+-]N[c] (512-byte blocks, rounded up; c: bytes), -mtime/-atime/-ctime
 *   [+-]N (days, rounded down), -newer FILE, -perm [-]MODE, -links [+-]N,
 *   -user NAME, -group NAME (root or 0: every file), -nouser, -nogroup,
 *   -print, -prune, -depth, -xdev, -exec CMD {} ; and -exec CMD {} +, -ok CMD {} ;
 * Operators: ( E ), ! E, E -a E (or E E), E -o E. Without -print, -exec or -ok
 * in it, the expression is ( E ) -print. -H: follow symbolic links named as PATH;
 * -L: follow all.
 * Exit status: 0, or 1 when a file could not be read or an -exec ... + failed. */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../lib/util.h"

enum kind { NAME, PATH, TYPE, SIZE, MTIME, ATIME, CTIME, NEWER, PERM, LINKS, TRUE, FALSE,
	    PRINT, PRUNE, EXEC, EXECPLUS, OK, NOT, AND, OR };

/* A node of the expression tree. */
struct node {
	enum kind kind;
	struct node *l, *r;
	const char *arg;
	long long num;  /* a number; with cmp: -1 less, 0 equal, 1 more than it */
	int cmp;
	char **cmd;     /* -exec's and -ok's command, cmd[ncmd] = NULL */
	int ncmd;
	char **batch;   /* -exec +: the paths gathered so far */
	int nbatch;
	size_t batch_bytes;
};

static char **av;
static int ac, ai;
static int follow_all, follow_args, depth_first, xdev, status;
static time_t now;
static struct node **plus_nodes;
static int nplus;

static _Noreturn void bad(const char *what, const char *arg)
{
	fprintf(stderr, "find: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	exit(1);
}

static struct node *mk(enum kind k, struct node *l, struct node *r)
{
	struct node *n = calloc(1, sizeof *n);
	if (!n)
		bad("out of memory", NULL);
	n->kind = k, n->l = l, n->r = r;
	return n;
}

/* [+-]N into n->num and n->cmp; with suffix_c, a trailing 'c' sets *c. */
static void number(struct node *n, const char *s, int *c)
{
	n->cmp = *s == '+' ? 1 : *s == '-' ? -1 : 0;
	const char *d = s + (*s == '+' || *s == '-');
	char *end;
	n->num = strtoll(d, &end, 10);
	if (c && *end == 'c')
		*c = 1, end++;
	if (end == d || *end)
		bad("invalid number", s);
}

static int has_action;

static struct node *parse_or(void);

static const char *operand(const char *prim)
{
	if (ai >= ac)
		bad("missing argument to", prim);
	return av[ai++];
}

static struct node *parse_primary(void)
{
	if (ai >= ac)
		bad("expression expected", NULL);
	const char *p = av[ai++];
	struct node *n;
	if (strcmp(p, "(") == 0) {
		n = parse_or();
		if (ai >= ac || strcmp(av[ai], ")") != 0)
			bad("missing )", NULL);
		ai++;
		return n;
	}
	if (strcmp(p, "!") == 0)
		return mk(NOT, parse_primary(), NULL);
	if (strcmp(p, "-name") == 0 || strcmp(p, "-path") == 0) {
		n = mk(p[1] == 'n' ? NAME : PATH, NULL, NULL);
		n->arg = operand(p);
	} else if (strcmp(p, "-type") == 0) {
		n = mk(TYPE, NULL, NULL);
		n->arg = operand(p);
		if (strlen(n->arg) != 1 || !strchr("bcdflps", n->arg[0]))
			bad("invalid type", n->arg);
	} else if (strcmp(p, "-size") == 0) {
		int c = 0;
		n = mk(SIZE, NULL, NULL);
		number(n, operand(p), &c);
		n->arg = c ? "c" : "";
	} else if (strcmp(p, "-mtime") == 0 || strcmp(p, "-atime") == 0 || strcmp(p, "-ctime") == 0) {
		n = mk(p[1] == 'm' ? MTIME : p[1] == 'a' ? ATIME : CTIME, NULL, NULL);
		number(n, operand(p), NULL);
	} else if (strcmp(p, "-links") == 0) {
		n = mk(LINKS, NULL, NULL);
		number(n, operand(p), NULL);
	} else if (strcmp(p, "-newer") == 0) {
		struct stat st;
		n = mk(NEWER, NULL, NULL);
		n->arg = operand(p);
		if (stat(n->arg, &st) < 0) {
			util_perror(n->arg);
			exit(1);
		}
		n->num = (long long)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	} else if (strcmp(p, "-perm") == 0) {
		const char *m = operand(p);
		n = mk(PERM, NULL, NULL);
		n->cmp = *m == '-';
		long v = util_mode(m + n->cmp, 0, 0, 0);
		if (v < 0)
			bad("invalid mode", m);
		n->num = v;
	} else if (strcmp(p, "-user") == 0 || strcmp(p, "-group") == 0) {
		const char *who = operand(p); /* every file belongs to root (0) */
		n = mk(strcmp(who, "root") == 0 || strcmp(who, "0") == 0 ? TRUE : FALSE, NULL, NULL);
	} else if (strcmp(p, "-nouser") == 0 || strcmp(p, "-nogroup") == 0) {
		n = mk(FALSE, NULL, NULL);
	} else if (strcmp(p, "-depth") == 0 || strcmp(p, "-xdev") == 0) {
		*(p[1] == 'd' ? &depth_first : &xdev) = 1;
		n = mk(TRUE, NULL, NULL);
	} else if (strcmp(p, "-print") == 0 || strcmp(p, "-prune") == 0) {
		n = mk(p[2] == 'r' && p[3] == 'i' ? PRINT : PRUNE, NULL, NULL);
		has_action |= n->kind == PRINT;
	} else if (strcmp(p, "-exec") == 0 || strcmp(p, "-ok") == 0) {
		n = mk(p[1] == 'e' ? EXEC : OK, NULL, NULL);
		n->cmd = av + ai;
		while (ai < ac && strcmp(av[ai], ";") != 0 &&
		       !(n->kind == EXEC && strcmp(av[ai], "+") == 0 && ai > 0 && strcmp(av[ai - 1], "{}") == 0))
			ai++;
		if (ai >= ac || ai == n->cmd - av)
			bad("missing ; or + after", p);
		n->ncmd = (int)(av + ai - n->cmd);
		if (strcmp(av[ai], "+") == 0) {
			n->kind = EXECPLUS;
			n->ncmd--; /* the {} */
			plus_nodes = realloc(plus_nodes, sizeof *plus_nodes * (size_t)(nplus + 1));
			if (!plus_nodes)
				bad("out of memory", NULL);
			plus_nodes[nplus++] = n;
		}
		av[ai++] = NULL; /* ends the command */
		has_action = 1;
	} else
		bad("unknown primary", p);
	return n;
}

static struct node *parse_and(void)
{
	struct node *n = parse_primary();
	while (ai < ac && strcmp(av[ai], "-o") != 0 && strcmp(av[ai], ")") != 0) {
		if (strcmp(av[ai], "-a") == 0)
			ai++;
		n = mk(AND, n, parse_primary());
	}
	return n;
}

static struct node *parse_or(void)
{
	struct node *n = parse_and();
	while (ai < ac && strcmp(av[ai], "-o") == 0) {
		ai++;
		n = mk(OR, n, parse_and());
	}
	return n;
}

/* Run argv; returns its exit status (or 1 after a failure to start it). */
static int run(char **argv)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		util_perror("fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		util_perror(argv[0]);
		_exit(errno == ENOENT ? 127 : 126);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* -exec CMD {} ;: run CMD with every argument "{}" replaced by path. */
static int exec_one(struct node *n, const char *path)
{
	char **argv = malloc(sizeof *argv * (size_t)(n->ncmd + 1));
	if (!argv)
		bad("out of memory", NULL);
	for (int i = 0; i < n->ncmd; i++)
		argv[i] = strcmp(n->cmd[i], "{}") == 0 ? (char *)path : n->cmd[i];
	argv[n->ncmd] = NULL;
	if (n->kind == OK) {
		fprintf(stderr, "< %s ... %s > ? ", argv[0], path);
		char answer[64];
		FILE *tty = fopen("/dev/tty", "r");
		int yes = tty && fgets(answer, sizeof answer, tty) && (answer[0] == 'y' || answer[0] == 'Y');
		if (tty)
			fclose(tty);
		if (!yes) {
			free(argv);
			return 0;
		}
	}
	int r = run(argv) == 0;
	free(argv);
	return r;
}

/* -exec CMD {} +: run CMD with the gathered paths. */
static void flush_batch(struct node *n)
{
	if (n->nbatch == 0)
		return;
	char **argv = malloc(sizeof *argv * (size_t)(n->ncmd + n->nbatch + 1));
	if (!argv)
		bad("out of memory", NULL);
	memcpy(argv, n->cmd, sizeof *argv * (size_t)n->ncmd);
	memcpy(argv + n->ncmd, n->batch, sizeof *argv * (size_t)n->nbatch);
	argv[n->ncmd + n->nbatch] = NULL;
	if (run(argv) != 0)
		status = 1;
	for (int i = 0; i < n->nbatch; i++)
		free(n->batch[i]);
	free(argv);
	n->nbatch = 0, n->batch_bytes = 0;
}

static int compare(const struct node *n, long long v)
{
	return n->cmp > 0 ? v > n->num : n->cmp < 0 ? v < n->num : v == n->num;
}

static int type_char(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISREG(m) ? 'f' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' :
	       S_ISBLK(m) ? 'b' : S_ISFIFO(m) ? 'p' : 's';
}

/* Evaluate n for path (its last component name); *prune set by -prune. */
static int eval(struct node *n, const char *path, const char *name, const struct stat *st, int *prune)
{
	switch (n->kind) {
	case NAME: return fnmatch(n->arg, name, FNM_PERIOD) == 0;
	case PATH: return fnmatch(n->arg, path, 0) == 0;
	case TYPE: return type_char(st->st_mode) == n->arg[0];
	case SIZE:
		return compare(n, n->arg[0] ? (long long)st->st_size : ((long long)st->st_size + 511) / 512);
	case MTIME: return compare(n, (now - st->st_mtime) / 86400);
	case ATIME: return compare(n, (now - st->st_atime) / 86400);
	case CTIME: return compare(n, (now - st->st_ctime) / 86400);
	case NEWER: return (long long)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec > n->num;
	case PERM:
		return n->cmp ? (st->st_mode & n->num) == n->num : (st->st_mode & 07777) == n->num;
	case LINKS: return compare(n, (long long)st->st_nlink);
	case TRUE: return 1;
	case FALSE: return 0;
	case PRINT: puts(path); return 1;
	case PRUNE: *prune = 1; return 1;
	case EXEC:
	case OK: return exec_one(n, path);
	case EXECPLUS: {
		char *copy = strdup(path);
		char **b = realloc(n->batch, sizeof *b * (size_t)(n->nbatch + 1));
		if (!copy || !b)
			bad("out of memory", NULL);
		n->batch = b;
		n->batch[n->nbatch++] = copy;
		n->batch_bytes += strlen(path) + 1;
		if (n->batch_bytes > 32768 || n->nbatch >= 1000) /* well below exec's 64 KiB */
			flush_batch(n);
		return 1;
	}
	case NOT: return !eval(n->l, path, name, st, prune);
	case AND: return eval(n->l, path, name, st, prune) && eval(n->r, path, name, st, prune);
	case OR: return eval(n->l, path, name, st, prune) || eval(n->r, path, name, st, prune);
	}
	return 0;
}

static void walk(struct node *expr, const char *path, int top, dev_t dev)
{
	struct stat st;
	int r = (follow_all || (top && follow_args)) ? stat(path, &st) : lstat(path, &st);
	if (r < 0) {
		util_perror(path);
		status = 1;
		return;
	}
	const char *name = strrchr(path, '/');
	name = name && name[1] ? name + 1 : path;
	int prune = 0;
	if (!depth_first)
		eval(expr, path, name, &st, &prune);
	if (S_ISDIR(st.st_mode) && !prune && !(xdev && !top && st.st_dev != dev)) {
		DIR *d = opendir(path);
		if (!d) {
			util_perror(path);
			status = 1;
		} else {
			struct dirent *e;
			size_t len = strlen(path);
			while ((e = readdir(d))) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				char *sub = malloc(len + strlen(e->d_name) + 2);
				if (!sub)
					bad("out of memory", NULL);
				sprintf(sub, "%s%s%s", path, len && path[len - 1] == '/' ? "" : "/", e->d_name);
				walk(expr, sub, 0, top ? st.st_dev : dev);
				free(sub);
			}
			closedir(d);
		}
	}
	if (depth_first)
		eval(expr, path, name, &st, &prune);
}

int main(int argc, char **argv)
{
	util_init(argv[0]);
	int i = 1;
	for (; i < argc && (strcmp(argv[i], "-H") == 0 || strcmp(argv[i], "-L") == 0); i++)
		*(argv[i][1] == 'H' ? &follow_args : &follow_all) = 1;
	int first = i;
	while (i < argc && argv[i][0] != '-' && strcmp(argv[i], "(") != 0 && strcmp(argv[i], "!") != 0)
		i++;
	if (i == first) {
		fprintf(stderr, "usage: find [-H|-L] PATH... [EXPRESSION]\n");
		return 2;
	}
	av = argv, ac = argc, ai = i;
	struct node *expr = ai < ac ? parse_or() : mk(TRUE, NULL, NULL);
	if (ai < ac)
		bad("unexpected", av[ai]);
	if (!has_action)
		expr = mk(AND, expr, mk(PRINT, NULL, NULL));
	now = time(NULL);
	for (int p = first; p < i; p++)
		walk(expr, argv[p], 1, 0);
	for (int k = 0; k < nplus; k++)
		flush_batch(plus_nodes[k]);
	if (fflush(stdout) == EOF) {
		util_perror("standard output");
		return 1;
	}
	return status;
}
