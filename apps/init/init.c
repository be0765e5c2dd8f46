/*
 * init: process 1. Runs /etc/rc with the shell (/bin/sh: dash, apps/dash), then
 * either the command in /etc/cmd, all of it, verbatim, as `sh -c` (a non-interactive
 * run: `make run CMD='...'`; the machine powers off with its exit status) or an
 * interactive shell on the console, started again whenever it exits. Every orphan
 * that ends is reaped here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t spawn(char *const argv[])
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execv("/bin/sh", argv);
		fprintf(stderr, "init: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

/* Wait for pid, reaping any orphan that ends meanwhile. Returns its status. */
static int wait_for(pid_t pid)
{
	for (;;) {
		int st;
		pid_t got = wait(&st);
		if (got == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (got < 0)
			return 127;
	}
}

/* read_cmd: the whole of /etc/cmd, less one final newline, in a malloc'd string
 * (a command of several lines is run as one script). Returns NULL if there is
 * no /etc/cmd or it cannot be read. */
static char *read_cmd(void)
{
	FILE *f = fopen("/etc/cmd", "r");
	if (!f)
		return NULL;
	size_t len = 0, cap = 1024;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
		len += n;
		if (len == cap - 1) {
			char *more = realloc(buf, cap *= 2);
			if (!more)
				free(buf);
			buf = more;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	buf[len] = 0;
	return buf;
}

int main(void)
{
	setenv("PATH", "/bin", 0);
	setenv("HOME", "/tmp", 0);
	if (access("/etc/rc", R_OK) == 0) {
		char *rc[] = { "sh", "/etc/rc", NULL };
		pid_t p = spawn(rc);
		if (p > 0)
			wait_for(p);
	}
	char *cmd = read_cmd();
	if (cmd) {
		char *argv[] = { "sh", "-c", cmd, NULL };
		pid_t p = spawn(argv);
		return p > 0 ? wait_for(p) : 127;
	}
	for (;;) {
		char *argv[] = { "sh", NULL };
		pid_t p = spawn(argv);
		if (p < 0)
			return 1;
		int status = wait_for(p);
		printf("init: shell exited with status %d; starting a new one\n", status);
	}
}
