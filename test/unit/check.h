/*
 * check.h - a tiny harness for the host unit tests (run by test/unit/run.sh).
 *
 *   TEST(name) { ... CHECK(cond); ... }       defines a test
 *   int main(void) { RUN(name); ...; return check_status(); }
 *
 * Each test runs in a forked child, so a crash or a hang (CHECK_TIMEOUT) fails that
 * test alone, and prints exactly one line:
 *   ok   unit/<file>/<name>
 *   FAIL unit/<file>/<name>: <file>:<line>: <expr>
 * The first failed CHECK ends the test (it may be used in helper functions too).
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK_TIMEOUT 5  /* seconds per test */
#define CHECK_FAILED_EXIT 10

static char check_name[256]; /* "unit/<file>/<name>" of the running test */
static int check_any_failed;

#define TEST(name) static void test_##name(void)
#define RUN(name) check_run(__FILE__, #name, test_##name)
#define CHECK(cond) \
	do { if (!(cond)) check_fail(__FILE__, __LINE__, #cond); } while (0)

static inline __attribute__((noreturn)) void check_fail(const char *file, int line, const char *expr)
{
	printf("FAIL %s: %s:%d: %s\n", check_name, file, line, expr);
	fflush(stdout);
	_exit(CHECK_FAILED_EXIT);
}

static inline void check_run(const char *file, const char *name, void (*fn)(void))
{
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	snprintf(check_name, sizeof check_name, "unit/%.*s/%s", (int)strcspn(base, "."), base, name);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(CHECK_TIMEOUT);
		fn();
		printf("ok   %s\n", check_name);
		fflush(stdout);
		_exit(0);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		printf("FAIL %s: fork or wait failed\n", check_name);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return;
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		printf("FAIL %s: timed out after %d s\n", check_name, CHECK_TIMEOUT);
	else if (WIFSIGNALED(st))
		printf("FAIL %s: crashed (signal %d)\n", check_name, WTERMSIG(st));
	else if (WEXITSTATUS(st) != CHECK_FAILED_EXIT)
		printf("FAIL %s: crashed (exit %d)\n", check_name, WEXITSTATUS(st));
	fflush(stdout);
	check_any_failed = 1;
}

static inline int check_status(void)
{
	return check_any_failed ? 1 : 0;
}

#endif
