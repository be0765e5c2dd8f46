/* newlib: the C library works on the libOS: formatted I/O (with floating point and
 * long long), libm, the allocator under stress, setjmp/longjmp, sbrk growth, shrink
 * and failure, string conversions and qsort. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../check.h"

static jmp_buf jb;
static int depth_reached;

static void dive(int depth)
{
	depth_reached = depth;
	if (depth == 10)
		longjmp(jb, 42);
	if (depth < 100)
		dive(depth + 1);
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int main(void)
{
	char buf[128];

	/* printf family, including the options FACTS.md says we configured. */
	snprintf(buf, sizeof buf, "%f|%.3e|%g", 3.25, 12345.678, 0.0001);
	CHECK(!strcmp(buf, "3.250000|1.235e+04|0.0001"));
	snprintf(buf, sizeof buf, "%lld|%llu|%llx", -9000000000LL, 18446744073709551615ULL, 0xabcdef012345ULL);
	CHECK(!strcmp(buf, "-9000000000|18446744073709551615|abcdef012345"));
	snprintf(buf, sizeof buf, "%Lf", (long double)1.5);
	CHECK(!strcmp(buf, "1.500000"));
	snprintf(buf, sizeof buf, "%zu|%jd|%5s|%-3d|", (size_t)7, (intmax_t)-3, "ab", 1);
	CHECK(!strcmp(buf, "7|-3|   ab|1  |"));

	/* libm (needs SSE and libgcc). */
	CHECK(fabs(sqrt(2.0) - 1.41421356237) < 1e-9);
	CHECK(fabs(sin(M_PI / 2) - 1.0) < 1e-12);
	CHECK(fabs(pow(2.0, 10.5) - 1448.1546878700494) < 1e-9);
	CHECK(fabs(strtod("6.02e23", NULL) - 6.02e23) < 1e12);
	CHECK_EQ(strtol("-0x7f", NULL, 16), -127);

	/* Allocator stress: many sizes, contents verified, all freed, then reused. */
	enum { N = 400 };
	static unsigned char *blocks[N];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++) {
			size_t sz = (size_t)(i * 37 % 5000) + 1;
			blocks[i] = malloc(sz);
			CHECK(blocks[i] != NULL);
			memset(blocks[i], i & 0xFF, sz);
		}
		for (int i = 0; i < N; i++) {
			size_t sz = (size_t)(i * 37 % 5000) + 1;
			CHECK(blocks[i][0] == (i & 0xFF) && blocks[i][sz - 1] == (i & 0xFF));
			free(blocks[i]);
		}
	}
	char *big = malloc(8 << 20); /* 8 MiB: through sbrk */
	CHECK(big != NULL);
	big[0] = 1, big[(8 << 20) - 1] = 2;
	CHECK(big[0] + big[(8 << 20) - 1] == 3);
	free(big);
	int *z = calloc(1000, sizeof *z);
	CHECK(z != NULL);
	for (int i = 0; i < 1000; i++)
		CHECK(z[i] == 0);
	z = realloc(z, 100000 * sizeof *z);
	CHECK(z != NULL && z[999] == 0);
	free(z);

	/* setjmp/longjmp across frames, and longjmp(0) returning 1. */
	int v = setjmp(jb);
	if (v == 0)
		dive(0);
	CHECK_EQ(v, 42);
	CHECK_EQ(depth_reached, 10);
	v = setjmp(jb);
	if (v == 0)
		longjmp(jb, 0);
	CHECK_EQ(v, 1);

	/* sbrk: grow, shrink (negative increment), and a refusal that changes nothing. */
	char *b0 = sbrk(0);
	CHECK(sbrk(65536) == b0);
	b0[65535] = 7;
	CHECK(sbrk(-65536) == b0 + 65536);
	CHECK(sbrk(0) == b0);
	errno = 0;
	CHECK(sbrk((intptr_t)1 << 46) == (void *)-1);
	CHECK_EQ(errno, ENOMEM);
	CHECK(sbrk(0) == b0);
	errno = 0;
	CHECK(malloc((size_t)1 << 46) == NULL);
	CHECK((char *)sbrk(0) >= b0);

	/* qsort and string functions. */
	int arr[] = { 5, 3, 9, 1, 7, 2 };
	qsort(arr, 6, sizeof arr[0], cmp_int);
	for (int i = 1; i < 6; i++)
		CHECK(arr[i - 1] <= arr[i]);
	CHECK(!strcmp(strrchr("a/b/c", '/'), "/c"));

	/* OS calls fail with the POSIX errno, never silently. */
	errno = 0;
	CHECK(fopen("/no/such/file", "r") == NULL);
	CHECK_EQ(errno, ENOENT);
	errno = 0;
	CHECK(fopen("/bin/hello", "w") == NULL);
	CHECK_EQ(errno, EROFS);
	check_done("newlib");
}
