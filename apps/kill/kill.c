/* kill: send a signal to processes or process groups.
 *   kill [-SIGNAL | -s SIGNAL] PID...    (default signal: TERM; a PID of -N is
 *                                        process group N, 0 our own, -1 all)
 *   kill -l [STATUS]                     list the signal names, or name the
 *                                        signal of an exit status (128 + N) or number
 * SIGNAL is a number or a name, with or without "SIG", in any case, or 0 (only
 * check that the process exists). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int num;
} sigs[] = {
	{ "HUP", SIGHUP },       { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP },     { "ABRT", SIGABRT },     { "IOT", SIGIOT },     { "EMT", SIGEMT },
	{ "FPE", SIGFPE },       { "KILL", SIGKILL },     { "BUS", SIGBUS },     { "SEGV", SIGSEGV },
	{ "SYS", SIGSYS },       { "PIPE", SIGPIPE },     { "ALRM", SIGALRM },   { "TERM", SIGTERM },
	{ "URG", SIGURG },       { "STOP", SIGSTOP },     { "TSTP", SIGTSTP },   { "CONT", SIGCONT },
	{ "CHLD", SIGCHLD },     { "CLD", SIGCLD },       { "TTIN", SIGTTIN },   { "TTOU", SIGTTOU },
	{ "IO", SIGIO },         { "POLL", SIGPOLL },     { "XCPU", SIGXCPU },   { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF },     { "WINCH", SIGWINCH }, { "LOST", SIGLOST },
	{ "USR1", SIGUSR1 },     { "USR2", SIGUSR2 },
};
#define NSIGS (sizeof sigs / sizeof sigs[0])

/* The signal number for a name or number, or -1. */
static int parse_signal(const char *s)
{
	if (*s >= '0' && *s <= '9') {
		char *end;
		long n = strtol(s, &end, 10);
		return *end || n >= NSIG ? -1 : (int)n;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < NSIGS; i++)
		if (strcasecmp(s, sigs[i].name) == 0)
			return sigs[i].num;
	return -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;
	if (i < argc && strcmp(argv[i], "-l") == 0) {
		if (i + 1 < argc) { /* the name of a signal number or of an exit status */
			long n = strtol(argv[i + 1], NULL, 10);
			if (n > 128)
				n -= 128;
			for (size_t k = 0; k < NSIGS; k++)
				if (sigs[k].num == n) {
					printf("%s\n", sigs[k].name);
					return 0;
				}
			fprintf(stderr, "kill: %s: unknown signal\n", argv[i + 1]);
			return 1;
		}
		for (size_t k = 0; k < NSIGS; k++)
			if (k == 0 || sigs[k].num != sigs[k - 1].num) /* one name per number */
				printf("%2d %s\n", sigs[k].num, sigs[k].name);
		return 0;
	}
	const char *name = NULL;
	if (i < argc && strcmp(argv[i], "-s") == 0) {
		if (i + 1 >= argc)
			goto usage;
		name = argv[i + 1], i += 2;
	} else if (i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0 &&
		   !(argv[i][1] >= '0' && argv[i][1] <= '9' && i + 1 >= argc)) {
		name = argv[i++] + 1;
	}
	if (name && (sig = parse_signal(name)) < 0) {
		fprintf(stderr, "kill: %s: unknown signal\n", name);
		return 2;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc)
		goto usage;
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: kill [-SIGNAL | -s SIGNAL] PID... | kill -l\n");
	return 2;
}
