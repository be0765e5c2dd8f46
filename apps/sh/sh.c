/*
 * sh: a small POSIX-style shell.
 *   sh                 interactive (prompt on a terminal), reads commands from stdin
 *   sh -c 'commands'   runs the commands
 *   sh FILE [args]     runs a script
 * Supports: programs found on $PATH (default /bin), arguments with '' and ""
 * quoting and backslash escapes, $VAR ${VAR} $? $$ expansion, pipelines of any
 * length, $0-$9 and $# in scripts and sh -c, < > >> 2> 2>&1 redirections, & (background) and wait, ; && || lists,
 * # comments, and the builtins cd, pwd, exit, export, echo, kill, wait, true, false.
 * A command that is not found prints "sh: NAME: not found" and sets $? to 127.
 * Interactive, it does job control on the console: each pipeline is a process
 * group, the foreground one gets ^C, ^\ and ^Z (the shell ignores them), a
 * stopped job is listed by `jobs` and resumed by `fg` or `bg`.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXWORDS 128
#define MAXCMDS 32

enum tok { T_WORD, T_PIPE, T_AND, T_OR, T_SEMI, T_BG, T_LT, T_GT, T_GTGT, T_ERR, T_ERR2OUT, T_END };

struct token {
	enum tok type;
	char *word;
};

struct cmd {
	char *argv[MAXWORDS];
	int argc;
	char *in, *out, *err;
	int append, err2out, err2out_first; /* 2>&1 came before > (then stderr keeps the old stdout) */
};

static int last_status;
/* Job control (interactive only): the shell's process group, and its jobs. */
static bool job_control;
static pid_t shell_pgid;
#define MAXJOBS 16
static struct job {
	pid_t pgid;           /* 0: a free slot */
	int npids;
	pid_t pids[MAXCMDS];  /* 0 once reaped */
	bool stopped;
	char cmd[64];
} jobs[MAXJOBS];
static const int job_signals[] = { SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU };
/* $0, $1 ... $9 and $#: the script's (or sh -c's) arguments. */
static char **script_argv;
static int script_argc;

/* The one-character variables: $? $$ $# $0-$9. */
static bool special_var(char c)
{
	return c == '?' || c == '$' || c == '#' || isdigit((unsigned char)c);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);
	if (!p) {
		fprintf(stderr, "sh: out of memory\n");
		exit(2);
	}
	return p;
}

/* Append the value of variable name[0..n) (or $?, $$) to buf. */
static void expand_var(const char *name, size_t n, char *buf, size_t *len, size_t cap)
{
	char tmp[32], key[64];
	const char *val = NULL;
	if (n == 1 && name[0] == '?') {
		snprintf(tmp, sizeof tmp, "%d", last_status);
		val = tmp;
	} else if (n == 1 && name[0] == '$') {
		snprintf(tmp, sizeof tmp, "%d", (int)getpid());
		val = tmp;
	} else if (n == 1 && name[0] == '#') {
		snprintf(tmp, sizeof tmp, "%d", script_argc > 0 ? script_argc - 1 : 0);
		val = tmp;
	} else if (n == 1 && isdigit((unsigned char)name[0])) {
		int i = name[0] - '0';
		val = i < script_argc ? script_argv[i] : "";
	} else if (n < sizeof key) {
		memcpy(key, name, n);
		key[n] = 0;
		val = getenv(key);
	}
	for (; val && *val && *len + 1 < cap; val++)
		buf[(*len)++] = *val;
}

/* Split line into tokens. Returns the count, or -1 on a syntax error. */
static int tokenize(const char *s, struct token *toks, int max)
{
	int n = 0;
	while (n < max - 1) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#' || *s == '\n')
			break;
		struct token *t = &toks[n++];
		t->word = NULL;
		if (s[0] == '|' && s[1] == '|') t->type = T_OR, s += 2;
		else if (s[0] == '&' && s[1] == '&') t->type = T_AND, s += 2;
		else if (s[0] == '|') t->type = T_PIPE, s++;
		else if (s[0] == '&') t->type = T_BG, s++;
		else if (s[0] == ';') t->type = T_SEMI, s++;
		else if (s[0] == '<') t->type = T_LT, s++;
		else if (s[0] == '>' && s[1] == '>') t->type = T_GTGT, s += 2;
		else if (s[0] == '>') t->type = T_GT, s++;
		else if (s[0] == '2' && s[1] == '>' && s[2] == '&' && s[3] == '1') t->type = T_ERR2OUT, s += 4;
		else if (s[0] == '2' && s[1] == '>') t->type = T_ERR, s += 2;
		else {
			size_t cap = 4096, len = 0;
			char *buf = xmalloc(cap);
			while (*s && !strchr(" \t\n|&;<>", *s)) {
				if (*s == '\'') {
					const char *e = strchr(s + 1, '\'');
					if (!e)
						return free(buf), -1;
					for (s++; s < e && len + 1 < cap; s++)
						buf[len++] = *s;
					s++;
				} else if (*s == '"') {
					for (s++; *s && *s != '"'; s++) {
						if (*s == '\\' && (s[1] == '"' || s[1] == '\\' || s[1] == '$')) {
							s++;
						} else if (*s == '$' && (s[1] == '{' || special_var(s[1]) || isalpha((unsigned char)s[1]) || s[1] == '_')) {
							goto dollar_in_quotes;
						}
						if (len + 1 < cap)
							buf[len++] = *s;
						continue;
					dollar_in_quotes:
						if (s[1] == '{') {
							const char *e = strchr(s, '}');
							if (!e)
								return free(buf), -1;
							expand_var(s + 2, (size_t)(e - s - 2), buf, &len, cap);
							s = e;
						} else if (special_var(s[1])) {
							expand_var(s + 1, 1, buf, &len, cap);
							s++;
						} else {
							const char *e = s + 1;
							while (isalnum((unsigned char)*e) || *e == '_')
								e++;
							expand_var(s + 1, (size_t)(e - s - 1), buf, &len, cap);
							s = e - 1;
						}
					}
					if (*s != '"')
						return free(buf), -1;
					s++;
				} else if (*s == '\\' && s[1]) {
					buf[len++] = s[1];
					s += 2;
				} else if (*s == '$' && s[1] == '{') {
					const char *e = strchr(s, '}');
					if (!e)
						return free(buf), -1;
					expand_var(s + 2, (size_t)(e - s - 2), buf, &len, cap);
					s = e + 1;
				} else if (*s == '$' && special_var(s[1])) {
					expand_var(s + 1, 1, buf, &len, cap);
					s += 2;
				} else if (*s == '$' && (isalpha((unsigned char)s[1]) || s[1] == '_')) {
					const char *e = s + 1;
					while (isalnum((unsigned char)*e) || *e == '_')
						e++;
					expand_var(s + 1, (size_t)(e - s - 1), buf, &len, cap);
					s = e;
				} else {
					if (len + 1 < cap)
						buf[len++] = *s;
					s++;
				}
			}
			buf[len] = 0;
			t->type = T_WORD;
			t->word = buf;
		}
	}
	toks[n].type = T_END;
	return n;
}

/* `kill [-N|-NAME] PID...` with numeric pids: the builtin form (anything else,
 * like kill -l or kill -s, goes to /bin/kill). */
static bool kill_simple(char **a)
{
	int i = a[1] && a[1][0] == '-' ? 2 : 1;
	if (!a[i])
		return false;
	for (; a[i]; i++)
		for (const char *s = a[i]; *s; s++)
			if (!isdigit((unsigned char)*s))
				return false;
	return true;
}

static int job_builtin(char **a, int *status);

static int builtin(struct cmd *c, int *status)
{
	char **a = c->argv;
	if (!strcmp(a[0], "cd")) {
		const char *d = a[1] ? a[1] : getenv("HOME") ? getenv("HOME") : "/";
		if (chdir(d) < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", d, strerror(errno));
			*status = 1;
		} else {
			*status = 0;
		}
	} else if (!strcmp(a[0], "pwd")) {
		char buf[256];
		*status = getcwd(buf, sizeof buf) ? (printf("%s\n", buf), 0) : 1;
	} else if (!strcmp(a[0], "exit")) {
		fflush(stdout);
		exit(a[1] ? atoi(a[1]) : last_status);
	} else if (!strcmp(a[0], "export")) {
		for (int i = 1; a[i]; i++) {
			char *eq = strchr(a[i], '=');
			if (eq) {
				*eq = 0;
				setenv(a[i], eq + 1, 1);
				*eq = '=';
			}
		}
		*status = 0;
	} else if (!strcmp(a[0], "kill") && kill_simple(a)) {
		/* A builtin, as in POSIX shells: the shell's jobs are its children, which
		 * the libOS lets it signal (an external kill is not their ancestor). */
		int sig = SIGTERM, i = 1;
		if (a[1] && a[1][0] == '-' && a[1][1]) {
			const char *s = a[1] + 1;
			sig = isdigit((unsigned char)*s) ? atoi(s) : !strcmp(s, "KILL") ? SIGKILL : !strcmp(s, "INT") ? SIGINT
			    : !strcmp(s, "HUP") ? SIGHUP : !strcmp(s, "TERM") ? SIGTERM : -1;
			i = 2;
		}
		*status = 0;
		if (sig < 0 || !a[i]) {
			fprintf(stderr, "sh: kill: usage: kill [-SIGNAL] PID...\n");
			*status = 2;
		}
		for (; sig >= 0 && a[i]; i++)
			if (kill((pid_t)atoi(a[i]), sig) < 0) {
				fprintf(stderr, "sh: kill: %s: %s\n", a[i], strerror(errno));
				*status = 1;
			}
	} else if (!strcmp(a[0], "wait")) {
		while (wait(NULL) > 0)
			;
		for (int i = 0; i < MAXJOBS; i++)
			jobs[i].pgid = 0;
		*status = 0;
	} else if (job_builtin(a, status)) {
	} else if (!strcmp(a[0], "true") || !strcmp(a[0], ":")) {
		*status = 0;
	} else if (!strcmp(a[0], "false")) {
		*status = 1;
	} else {
		return 0;
	}
	return 1;
}

/* Builtins that must run in the shell itself (they change its state). */
static bool is_special(const char *name)
{
	return !strcmp(name, "cd") || !strcmp(name, "exit") || !strcmp(name, "export") || !strcmp(name, "wait") ||
	       !strcmp(name, "jobs") || !strcmp(name, "fg") || !strcmp(name, "bg");
}

static int decode(int st);

/* wait_job: wait for job j in the foreground (it has the terminal) until it ends
 * or stops. Returns its status ($?: 128 + the signal that stopped it). */
static int wait_job(struct job *j)
{
	int status = 0;
	if (job_control)
		tcsetpgrp(0, j->pgid);
	for (int i = 0; i < j->npids; i++) {
		int st;
		if (!j->pids[i])
			continue;
		if (waitpid(j->pids[i], &st, job_control ? WUNTRACED : 0) != j->pids[i])
			continue;
		if (WIFSTOPPED(st)) {
			j->stopped = true;
			status = 128 + WSTOPSIG(st);
			fprintf(stderr, "\n[%d]+ Stopped  %s\n", (int)(j - jobs) + 1, j->cmd);
			break;
		}
		j->pids[i] = 0;
		if (i == j->npids - 1)
			status = decode(st);
	}
	if (job_control)
		tcsetpgrp(0, shell_pgid);
	if (!j->stopped)
		j->pgid = 0;
	return status;
}

/* The job `%N` (or the last one) names, or NULL. */
static struct job *job_arg(const char *a)
{
	int n = a ? atoi(a + (a[0] == '%')) : 0;
	for (int i = MAXJOBS - 1; !a && i >= 0; i--)
		if (jobs[i].pgid)
			return &jobs[i];
	return n >= 1 && n <= MAXJOBS && jobs[n - 1].pgid ? &jobs[n - 1] : NULL;
}

/* jobs, fg, bg. Returns 1 if a[0] is one of them (the status in *status). */
static int job_builtin(char **a, int *status)
{
	if (!strcmp(a[0], "jobs")) {
		for (int i = 0; i < MAXJOBS; i++)
			if (jobs[i].pgid)
				printf("[%d] %s  %s\n", i + 1, jobs[i].stopped ? "Stopped" : "Running", jobs[i].cmd);
		*status = 0;
		return 1;
	}
	if (strcmp(a[0], "fg") && strcmp(a[0], "bg"))
		return 0;
	struct job *j = job_arg(a[1]);
	if (!j) {
		fprintf(stderr, "sh: %s: no such job\n", a[0]);
		*status = 1;
		return 1;
	}
	printf("%s\n", j->cmd);
	fflush(stdout);
	j->stopped = false;
	kill(-j->pgid, SIGCONT);
	*status = a[0][0] == 'f' ? wait_job(j) : 0;
	return 1;
}

/* In a child: set up redirections and run the command; never returns. */
static void run_child(struct cmd *c)
{
	int fd;
	for (size_t i = 0; job_control && i < sizeof job_signals / sizeof job_signals[0]; i++)
		signal(job_signals[i], SIG_DFL);
	if (c->err2out && c->err2out_first)
		dup2(1, 2); /* `2>&1 > f`: stderr goes where stdout went before */
	if (c->in && ((fd = open(c->in, O_RDONLY)) < 0 || dup2(fd, 0) < 0 || close(fd) < 0)) {
		fprintf(stderr, "sh: %s: %s\n", c->in, strerror(errno));
		_exit(1);
	}
	if (c->out && ((fd = open(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 0644)) < 0 ||
		       dup2(fd, 1) < 0 || close(fd) < 0)) {
		fprintf(stderr, "sh: %s: %s\n", c->out, strerror(errno));
		_exit(1);
	}
	if (c->err && ((fd = open(c->err, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 || dup2(fd, 2) < 0 || close(fd) < 0)) {
		fprintf(stderr, "sh: %s: %s\n", c->err, strerror(errno));
		_exit(1);
	}
	if (c->err2out && !c->err2out_first)
		dup2(1, 2);
	int status;
	if (!strcmp(c->argv[0], "echo")) {
		int nl = 1, i = 1;
		if (c->argv[1] && !strcmp(c->argv[1], "-n"))
			nl = 0, i = 2;
		for (; c->argv[i]; i++)
			printf("%s%s", c->argv[i], c->argv[i + 1] ? " " : "");
		if (nl)
			printf("\n");
		fflush(stdout);
		_exit(0);
	}
	if (builtin(c, &status)) {
		fflush(stdout);
		_exit(status);
	}
	execvp(c->argv[0], c->argv);
	if (errno == ENOENT)
		fprintf(stderr, "sh: %s: not found\n", c->argv[0]);
	else
		fprintf(stderr, "sh: %s: %s\n", c->argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int decode(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run a pipeline of n commands. Returns the last command's status (0 when run in
 * the background). */
static int run_pipeline(struct cmd *cmds, int n, bool background)
{
	if (n == 1 && !background && cmds[0].argv[0] &&
	    (is_special(cmds[0].argv[0]) || (!strcmp(cmds[0].argv[0], "kill") && kill_simple(cmds[0].argv)))) {
		int status = 0;
		builtin(&cmds[0], &status);
		return status;
	}
	pid_t pids[MAXCMDS], pgid = 0;
	int prev = -1;
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		int p[2] = { -1, -1 };
		if (i + 1 < n && pipe(p) < 0) {
			fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
			return 1;
		}
		pids[i] = fork();
		if (pids[i] < 0) {
			fprintf(stderr, "sh: fork: %s\n", strerror(errno));
			return 1;
		}
		if (job_control) { /* both sides, so it holds whoever runs first */
			if (!pgid)
				pgid = pids[i] ? pids[i] : getpid();
			setpgid(pids[i], pgid);
		}
		if (pids[i] == 0) {
			if (prev >= 0) {
				dup2(prev, 0);
				close(prev);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			run_child(&cmds[i]);
		}
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0)
			close(p[1]);
		prev = p[0];
	}
	struct job *j = NULL;
	for (int i = 0; i < MAXJOBS && !j; i++)
		if (!jobs[i].pgid)
			j = &jobs[i];
	struct job fg = { 0 };
	if (!j || !background)
		j = !job_control || !j ? &fg : j;
	j->pgid = pgid ? pgid : pids[0];
	j->npids = n;
	j->stopped = false;
	memcpy(j->pids, pids, (size_t)n * sizeof pids[0]);
	snprintf(j->cmd, sizeof j->cmd, "%s%s", cmds[0].argv[0], n > 1 ? " | ..." : "");
	if (background) {
		printf("[%d]\n", (int)pids[n - 1]);
		return 0;
	}
	return wait_job(j);
}

/* Find the end of the list item starting at s: the next ; & && || or newline
 * outside quotes (a # starting a word begins a comment). Sets *sep to the
 * separator's kind and returns where it starts (at the end of the string: T_END). */
static const char *next_item(const char *s, enum tok *sep, int *seplen)
{
	char quote = 0;
	for (const char *p = s; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (*p == '\\' && quote == '"' && p[1])
				p++;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '#' && (p == s || p[-1] == ' ' || p[-1] == '\t')) {
			*sep = T_END, *seplen = (int)strlen(p);
			return p;
		} else if (*p == ';' || *p == '\n') {
			*sep = T_SEMI, *seplen = 1;
			return p;
		} else if (p[0] == '&' && p[1] == '&') {
			*sep = T_AND, *seplen = 2;
			return p;
		} else if (p[0] == '|' && p[1] == '|') {
			*sep = T_OR, *seplen = 2;
			return p;
		} else if (p[0] == '&' && (p == s || p[-1] != '>')) {
			*sep = T_BG, *seplen = 1;
			return p;
		}
	}
	*sep = T_END, *seplen = 0;
	return s + strlen(s);
}

/* Parse one list item (a pipeline with redirections) and run it. Variables are
 * expanded now, so $? sees the item before. */
static void run_item(const char *item, bool background)
{
	struct token toks[512];
	int nt = tokenize(item, toks, 512);
	if (nt < 0) {
		fprintf(stderr, "sh: syntax error: unterminated quote\n");
		last_status = 2;
		return;
	}
	if (nt == 0)
		return;
	struct cmd cmds[MAXCMDS];
	int n = 0;
	memset(&cmds[0], 0, sizeof cmds[0]);
	for (int i = 0; toks[i].type != T_END;) {
		struct token *t = &toks[i];
		struct cmd *c = &cmds[n];
		if (t->type == T_WORD) {
			if (c->argc < MAXWORDS - 1)
				c->argv[c->argc++] = t->word;
			i++;
		} else if (t->type == T_LT || t->type == T_GT || t->type == T_GTGT || t->type == T_ERR) {
			if (toks[i + 1].type != T_WORD)
				goto syntax;
			char *w = toks[i + 1].word;
			if (t->type == T_LT)
				c->in = w;
			else if (t->type == T_ERR)
				c->err = w;
			else
				c->out = w, c->append = t->type == T_GTGT;
			i += 2;
		} else if (t->type == T_ERR2OUT) {
			c->err2out = 1;
			c->err2out_first = !c->out;
			i++;
		} else if (t->type == T_PIPE) {
			if (!c->argc || n + 1 >= MAXCMDS)
				goto syntax;
			memset(&cmds[++n], 0, sizeof cmds[0]);
			i++;
		} else {
			goto syntax;
		}
	}
	if (!cmds[n].argc)
		goto syntax;
	last_status = run_pipeline(cmds, n + 1, background);
	for (int i = 0; i < nt; i++)
		free(toks[i].word);
	return;
syntax:
	fprintf(stderr, "sh: syntax error\n");
	last_status = 2;
}

/* Run a line: list items joined by ; & && ||. */
static void run_line(const char *line)
{
	enum tok connector = T_SEMI;
	char item[4096];
	for (const char *s = line; *s;) {
		enum tok sep;
		int seplen;
		const char *e = next_item(s, &sep, &seplen);
		size_t n = (size_t)(e - s) < sizeof item - 1 ? (size_t)(e - s) : sizeof item - 1;
		memcpy(item, s, n);
		item[n] = 0;
		bool run = connector == T_SEMI || connector == T_BG || (connector == T_AND && last_status == 0) ||
			   (connector == T_OR && last_status != 0);
		if (run)
			run_item(item, sep == T_BG);
		/* ; & and newline start afresh; && and || look at the last status, which
		 * a skipped item leaves as it was (so `false && x || y` runs y). */
		connector = (sep == T_AND || sep == T_OR) ? sep : T_SEMI;
		s = e + seplen;
	}
}

/* forget: pid has been reaped; a job whose processes are all reaped is gone. */
static void forget(pid_t pid)
{
	for (int i = 0; i < MAXJOBS; i++) {
		bool left = false;
		for (int k = 0; jobs[i].pgid && k < jobs[i].npids; k++) {
			if (jobs[i].pids[k] == pid)
				jobs[i].pids[k] = 0;
			left |= jobs[i].pids[k] != 0;
		}
		if (jobs[i].pgid && !left)
			jobs[i].pgid = 0;
	}
}

static void run_stream(FILE *in, bool interactive)
{
	char line[4096];
	for (;;) {
		if (interactive) {
			printf("$ ");
			fflush(stdout);
		}
		if (!fgets(line, sizeof line, in))
			break;
		run_line(line);
		/* reap finished background jobs */
		pid_t done;
		while ((done = waitpid(-1, NULL, WNOHANG)) > 0)
			forget(done);
	}
}

int main(int argc, char **argv)
{
	if (!getenv("PATH"))
		setenv("PATH", "/bin", 1);
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		script_argv = argv + 3, script_argc = argc - 3; /* sh -c CMD [$0 [$1 ...]] */
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		script_argv = argv + 1, script_argc = argc - 1; /* $0 is the script */
		FILE *f = fopen(argv[1], "r");
		if (!f) {
			fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		run_stream(f, false);
		fclose(f);
		return last_status;
	}
	if (isatty(0)) { /* interactive: job control on the console */
		job_control = true;
		for (size_t i = 0; i < sizeof job_signals / sizeof job_signals[0]; i++)
			signal(job_signals[i], SIG_IGN);
		setpgid(0, 0);
		shell_pgid = getpgrp();
		tcsetpgrp(0, shell_pgid);
	}
	run_stream(stdin, isatty(0));
	return last_status;
}
