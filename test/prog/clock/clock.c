/*
 * clock MIN_EPOCH: real time and monotonic time. The kernel reads the CMOS clock at
 * boot (exo_info.boot_epoch); time(), gettimeofday() and CLOCK_REALTIME are that
 * plus the TSC time since boot, and must be after MIN_EPOCH (the test suite passes
 * the kernel's build time less a day); CLOCK_MONOTONIC counts from boot and never
 * goes backwards.
 */
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include "../check.h"
#include "libos.h"

static int64_t ns_of(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * 1000000000 + ts->tv_nsec;
}

static int64_t now_ns(clockid_t id)
{
	struct timespec ts;
	CHECK_EQ(clock_gettime(id, &ts), 0);
	CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
	return ns_of(&ts);
}

int main(int argc, char **argv)
{
	CHECK_EQ(argc, 2);
	int64_t min = strtoll(argv[1], NULL, 10);
	CHECK(min > 1600000000); /* 2020: the argument is an epoch */

	/* The date is real: after the build, before 2100. */
	time_t t = time(NULL);
	CHECK(exo_info->boot_epoch >= min);
	CHECK(t >= min);
	CHECK(t < 4102444800); /* 2100-01-01 */
	struct tm tm;
	CHECK(gmtime_r(&t, &tm) != NULL);
	char date[64];
	strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("clock: time() %lld = %s, booted at %lld\n", (long long)t, date, (long long)exo_info->boot_epoch);

	/* The three real-time calls agree, and real time is boot time + monotonic. */
	struct timeval tv;
	CHECK_EQ(gettimeofday(&tv, NULL), 0);
	CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	CHECK(tv.tv_sec >= t && tv.tv_sec <= t + 1);
	int64_t mono = now_ns(CLOCK_MONOTONIC), real = now_ns(CLOCK_REALTIME);
	CHECK(real / 1000000000 >= t && real / 1000000000 <= t + 1);
	CHECK(mono > 0 && mono < real);
	int64_t off = real - mono - exo_info->boot_epoch * 1000000000LL;
	CHECK(off >= 0 && off < 100000000); /* 0.1 s: the two reads' distance */
	printf("clock: real time = boot time + monotonic ok\n");

	/* Monotonic never goes backwards, and it moves. */
	int64_t prev = now_ns(CLOCK_MONOTONIC), first = prev;
	for (int i = 0; i < 100000; i++) {
		int64_t v = now_ns(CLOCK_MONOTONIC);
		CHECK(v >= prev);
		prev = v;
	}
	CHECK(prev > first);
	CHECK_EQ(usleep(20000), 0);
	int64_t after = now_ns(CLOCK_MONOTONIC);
	CHECK(after - prev >= 20000000);
	CHECK(now_ns(CLOCK_REALTIME) - real >= 20000000);
	printf("clock: monotonic never went back in 100000 reads and a sleep ok\n");

	/* Other clocks are refused. */
	struct timespec ts;
	CHECK_EQ(clock_gettime((clockid_t)12345, &ts), -1);
	check_done("clock");
}
