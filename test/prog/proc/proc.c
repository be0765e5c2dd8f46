/* proc: processes built by the libOS behave as POSIX says: fork, getpid/getppid,
 * isolation of memory after fork, deep fork trees, exit statuses and signals
 * through waitpid, zombies and orphans, exec and its failures, kill, and no frame
 * leaked over 1,000 fork/exit/wait cycles. Runs as pid 1 (init). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>
#include <spawn.h>
#include "../check.h"
#include "fork.h"
#include "libos.h"

static int data_var = 10;
static int bss_var;

static void test_fork_basics(void)
{
	CHECK_EQ(getpid(), 1);
	int *heap = malloc(sizeof *heap);
	*heap = 20;
	int stack_var = 30;
	pid_t child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		/* The child sees the parent's values, and its writes stay its own. */
		int ok = getppid() == 1 && getpid() != 1 && data_var == 10 && *heap == 20 && stack_var == 30 &&
			 bss_var == 0;
		data_var = 11, *heap = 21, stack_var = 31, bss_var = 41;
		ok &= data_var == 11 && *heap == 21 && stack_var == 31 && bss_var == 41;
		_exit(ok ? 7 : 1);
	}
	data_var = 12, *heap = 22, stack_var = 32, bss_var = 42;
	int st;
	CHECK_EQ(waitpid(child, &st, 0), child);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 7);
	CHECK(data_var == 12 && *heap == 22 && stack_var == 32 && bss_var == 42);
	free(heap);
	printf("proc: fork basics ok\n");
}

/* A chain of forks 6 deep: each level forks the next and waits for it; the
 * deepest exits with its depth, and each level passes it up. */
static int fork_chain(int depth)
{
	if (depth == 6)
		return depth;
	pid_t c = fork();
	if (c < 0)
		return -100;
	if (c == 0)
		_exit(fork_chain(depth + 1));
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return -200;
	return WEXITSTATUS(st);
}

static void test_tree(void)
{
	CHECK_EQ(fork_chain(0), 6);
	/* A wider tree: 4 children, each with 2 children of its own. */
	for (int i = 0; i < 4; i++) {
		pid_t c = fork();
		CHECK(c >= 0);
		if (c == 0) {
			int sum = 0;
			for (int k = 0; k < 2; k++) {
				pid_t g = fork();
				if (g == 0)
					_exit(10 + k);
				int st;
				if (waitpid(g, &st, 0) == g && WIFEXITED(st))
					sum += WEXITSTATUS(st);
			}
			_exit(sum); /* 21 */
		}
	}
	for (int i = 0; i < 4; i++) {
		int st;
		pid_t got = wait(&st);
		CHECK(got > 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 21);
	}
	errno = 0;
	CHECK_EQ(wait(NULL), -1);
	CHECK_EQ(errno, ECHILD);
	printf("proc: fork trees ok\n");
}

static void test_statuses_and_signals(void)
{
	int st;
	/* WNOHANG with a running child, then the real wait. */
	pid_t c = fork();
	if (c == 0) {
		usleep(30000);
		_exit(3);
	}
	CHECK_EQ(waitpid(c, &st, WNOHANG), 0);
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	/* A wild pointer kills only the child: SIGSEGV. */
	c = fork();
	if (c == 0) {
		volatile uintptr_t wild = 16;
		*(volatile int *)wild = 1;
		_exit(0);
	}
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	/* abort() ends the caller with SIGABRT. */
	c = fork();
	if (c == 0)
		abort();
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	/* kill SIGKILL and SIGTERM on a child that would run forever. */
	int sigs[] = { SIGKILL, SIGTERM };
	for (int i = 0; i < 2; i++) {
		c = fork();
		if (c == 0)
			for (;;)
				sleep(1);
		CHECK_EQ(kill(c, 0), 0);
		CHECK_EQ(kill(c, sigs[i]), 0);
		CHECK_EQ(waitpid(c, &st, 0), c);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i]);
		errno = 0;
		CHECK_EQ(kill(c, 0), -1);
		CHECK_EQ(errno, ESRCH);
	}
	/* waitpid on something that is not our child. */
	errno = 0;
	CHECK_EQ(waitpid(12345, &st, 0), -1);
	CHECK_EQ(errno, ECHILD);
	printf("proc: statuses and signals ok\n");
}

static void test_zombies_and_orphans(void)
{
	int st;
	/* A zombie stays until reaped. */
	pid_t z = fork();
	if (z == 0)
		_exit(5);
	usleep(30000); /* let it exit */
	CHECK_EQ(kill(z, 0), 0); /* the zombie still exists */
	CHECK_EQ(waitpid(z, &st, 0), z);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
	/* An orphan goes to init (pid 1: us), who reaps it. */
	pid_t mid = fork();
	if (mid == 0) {
		pid_t g = fork();
		if (g == 0) {
			usleep(50000);
			_exit(getppid() == 1 ? 9 : 8);
		}
		_exit(0);
	}
	CHECK_EQ(waitpid(mid, &st, 0), mid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pid_t g = wait(&st); /* the grandchild, now ours */
	CHECK(g > 0 && g != mid);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 9);
	printf("proc: zombies and orphans ok\n");
}

static void test_exec(void)
{
	int st;
	pid_t c = fork();
	if (c == 0) {
		char *argv[] = { "exectarget", "23", "two words", NULL };
		char *envp[] = { "EXECTEST=yes", NULL };
		execve("/test/exectarget", argv, envp);
		_exit(99);
	}
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st));
	CHECK_EQ(WEXITSTATUS(st), 23);
	/* execvp through PATH, execl. */
	c = fork();
	if (c == 0) {
		setenv("PATH", "/nowhere:/test", 1);
		execlp("exectarget", "exectarget", "24", (char *)NULL);
		_exit(99);
	}
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(WEXITSTATUS(st), 24);
	/* Failures: the caller continues, intact. */
	char *argv[] = { "x", NULL };
	errno = 0;
	CHECK_EQ(execv("/test/missing", argv), -1);
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK_EQ(execv("/test/data/notelf", argv), -1);
	CHECK_EQ(errno, ENOEXEC);
	errno = 0;
	CHECK_EQ(execv("/test/data/elf386", argv), -1);
	CHECK_EQ(errno, ENOEXEC);
	errno = 0;
	CHECK_EQ(execv("/test", argv), -1);
	CHECK_EQ(errno, EACCES);
	static char big[70000];
	memset(big, 'a', sizeof big - 1);
	char *bigv[] = { "x", big, NULL };
	errno = 0;
	CHECK_EQ(execv("/test/exectarget", bigv), -1);
	CHECK_EQ(errno, E2BIG);
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(data_var, 12);
	printf("proc: exec ok\n");
}

static void test_no_leak(void)
{
	/* Warm up (first-touch page tables, stdio buffers), then count. */
	for (int i = 0; i < 3; i++) {
		pid_t c = fork();
		if (c == 0)
			_exit(0);
		waitpid(c, NULL, 0);
	}
	uint64_t free0 = exo_info->free_frames;
	for (int i = 0; i < 1000; i++) {
		pid_t c = fork();
		CHECK(c >= 0);
		if (c == 0)
			_exit(i & 0x7f);
		int st;
		CHECK_EQ(waitpid(c, &st, 0), c);
		CHECK_EQ(WEXITSTATUS(st), i & 0x7f);
	}
	CHECK_EQ(exo_info->free_frames, free0);
	printf("proc: 1000 fork/exit/wait cycles, free frames %lu before and after\n", (unsigned long)free0);
}

/* Fork until the system refuses (process table, environments or frames), then
 * reap everything and fork again. */
static void test_fork_until_refused(void)
{
	static pid_t kids[1100];
	int n = 0;
	errno = 0;
	for (;;) {
		pid_t c = fork();
		if (c == 0)
			for (;;)
				sleep(100); /* blocked in the kernel until killed */
		if (c < 0)
			break;
		CHECK(n < 1100);
		kids[n++] = c;
	}
	CHECK(errno == EAGAIN || errno == ENOMEM);
	CHECK(n > 10);
	printf("proc: fork refused after %d children (%s)\n", n, strerror(errno));
	for (int i = 0; i < n; i++)
		CHECK_EQ(kill(kids[i], SIGKILL), 0);
	for (int i = 0; i < n; i++) {
		int st;
		CHECK_EQ(waitpid(kids[i], &st, 0), kids[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	}
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(4);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(WEXITSTATUS(st), 4);
	printf("proc: fork until refused, reap, fork again ok\n");
}

/* vfork: the child borrows our memory until it execs or exits; we wait. */
static void test_vfork(void)
{
	int st;
	volatile int marker = 1;
	pid_t c = vfork();
	if (c == 0) {
		marker = 2; /* our memory: the parent sees this (that is what vfork means) */
		char *argv[] = { "exectarget", "31", NULL };
		execv("/test/exectarget", argv);
		_exit(99);
	}
	CHECK(c > 0);
	CHECK_EQ(marker, 2);
	CHECK_EQ(getpid(), 1);
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 31);
	c = vfork();
	if (c == 0)
		_exit(12);
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK_EQ(WEXITSTATUS(st), 12);
	uint64_t free0 = exo_info->free_frames;
	for (volatile int i = 0; i < 200; i++) {
		c = vfork();
		if (c == 0)
			_exit(0);
		CHECK_EQ(waitpid(c, NULL, 0), c);
	}
	CHECK_EQ(exo_info->free_frames, free0);
	printf("proc: vfork ok\n");
}

/* posix_spawn with file actions: the child's stdout goes to a /tmp file. */
static void test_spawn(void)
{
	posix_spawn_file_actions_t fa;
	CHECK_EQ(posix_spawn_file_actions_init(&fa), 0);
	CHECK_EQ(posix_spawn_file_actions_addopen(&fa, 1, "/tmp/spawn.out", O_WRONLY | O_CREAT | O_TRUNC, 0644), 0);
	CHECK_EQ(posix_spawn_file_actions_addclose(&fa, 2), 0);
	char *argv[] = { "exectarget", "17", "spawned", NULL };
	char *envp[] = { "EXECTEST=spawn", NULL };
	pid_t c;
	CHECK_EQ(posix_spawn(&c, "/test/exectarget", &fa, NULL, argv, envp), 0);
	int st;
	CHECK_EQ(waitpid(c, &st, 0), c);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 17);
	FILE *f = fopen("/tmp/spawn.out", "r");
	CHECK(f != NULL);
	char line[256] = "";
	CHECK(fgets(line, sizeof line, f) != NULL);
	fclose(f);
	CHECK(strstr(line, "[spawned] EXECTEST=spawn") != NULL);
	CHECK_EQ(posix_spawn(&c, "/test/missing", NULL, NULL, argv, envp), ENOENT);
	CHECK_EQ(posix_spawn_file_actions_destroy(&fa), 0);
	errno = 0;
	CHECK_EQ(wait(NULL), -1); /* no child left behind by the failure */
	CHECK_EQ(errno, ECHILD);
	printf("proc: posix_spawn ok\n");
}

int main(int argc, char **argv)
{
	if (argc > 1) { /* proc STRATEGY: run the suite with that fork strategy */
		libos_fork_default = libos_fork_strategy(argv[1]);
		CHECK(libos_fork_default != NULL);
		printf("proc: fork strategy %s\n", libos_fork_default->name);
	}
	test_fork_basics();
	test_tree();
	test_statuses_and_signals();
	test_zombies_and_orphans();
	test_exec();
	test_no_leak();
	test_fork_until_refused();
	test_vfork();
	test_spawn();
	check_done("proc");
}
