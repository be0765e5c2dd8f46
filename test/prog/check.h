/* Assertions for in-OS test programs: a failed CHECK prints what failed (with
 * file and line) and exits 1; check_done() prints the count and exits 0. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int checks_passed;

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			printf("CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);   \
			fflush(stdout);                                                  \
			exit(1);                                                         \
		}                                                                        \
		checks_passed++;                                                         \
	} while (0)

/* CHECK_EQ: like CHECK(a == b) but prints both values (as long) on failure. */
#define CHECK_EQ(a, b)                                                                   \
	do {                                                                             \
		long va_ = (long)(a), vb_ = (long)(b);                                   \
		if (va_ != vb_) {                                                        \
			printf("CHECK FAILED %s:%d: %s == %s (%ld != %ld)\n", __FILE__,  \
			       __LINE__, #a, #b, va_, vb_);                              \
			fflush(stdout);                                                  \
			exit(1);                                                         \
		}                                                                        \
		checks_passed++;                                                         \
	} while (0)

/* check_spawn: fork (stdout flushed first); the child runs fn(arg) and exits with
 * what it returns. Returns the child's pid; a failed fork fails the check. */
static inline pid_t check_spawn(int (*fn)(long), long arg)
{
	fflush(stdout);
	pid_t c = fork();
	CHECK(c >= 0);
	if (c == 0)
		_exit(fn(arg));
	return c;
}

static inline void check_done(const char *name)
{
	printf("%s: all %d checks passed\n", name, checks_passed);
	exit(0);
}

#endif
