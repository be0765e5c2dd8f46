/* The clocks' resolution, and the calls that would set them: the real-time
 * clock is the boot time read from the CMOS clock plus the TSC, and nothing
 * sets it (docs/apps.md, "Time"). */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

static int fail(int err)
{
	errno = err;
	return -1;
}

/* clock_getres: the resolution of clock id (CLOCK_REALTIME, CLOCK_MONOTONIC:
 * 1 ns, as clock_gettime gives them) into *res unless it is NULL. Returns 0, or
 * -1 with EINVAL (another clock). */
int clock_getres(clockid_t id, struct timespec *res)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return fail(EINVAL);
	if (res)
		*res = (struct timespec){ 0, 1 };
	return 0;
}

/* clock_settime: -1 with EINVAL (a clock that does not exist, or
 * CLOCK_MONOTONIC, which no system sets) or EPERM (CLOCK_REALTIME: nothing may
 * set it). */
int clock_settime(clockid_t id, const struct timespec *ts)
{
	(void)ts;
	return fail(id == CLOCK_REALTIME ? EPERM : EINVAL);
}

/* settimeofday, adjtime: -1 with EPERM (nothing may set or slew the clock). */
int settimeofday(const struct timeval *tv, const struct timezone *tz)
{
	(void)tv, (void)tz;
	return fail(EPERM);
}

int adjtime(const struct timeval *delta, struct timeval *old)
{
	(void)delta, (void)old;
	return fail(EPERM);
}
