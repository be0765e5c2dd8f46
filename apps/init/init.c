/*
 * init: process 1. Runs /etc/rc with the shell, then either the command in
 * /etc/cmd (a non-interactive run: `make run CMD='...'`; the machine powers off with
 * its exit status) or an interactive shell on the console, started again whenever
 * it exits. Every orphan that ends is reaped here.
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

/* Read /etc/cmd into buf; returns false if there is none. */
static bool read_cmd(char *buf, size_t size)
{
	FILE *f = fopen("/etc/cmd", "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return true;
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
	char cmd[1024];
	if (read_cmd(cmd, sizeof cmd)) {
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
