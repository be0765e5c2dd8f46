/*
 * Time: the TSC and its calibrated frequency (exo_info->tsc_hz) are the clock.
 * CLOCK_MONOTONIC is the TSC time since boot; CLOCK_REALTIME (and time,
 * gettimeofday) adds the boot time the kernel read from the CMOS clock
 * (exo_info->boot_epoch), so it is the date, and it never jumps: nothing sets it.
 * Sleeping blocks in the kernel (sleep_until), it does not spin.
 */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "libos.h"
#include "signal_int.h"
#include "thread.h"


/* TSC ticks to units per second (ns: 1e9), without overflow. */
static uint64_t ticks_to(uint64_t ticks, uint64_t per_sec)
{
	return (uint64_t)((unsigned __int128)ticks * per_sec / exo_info->tsc_hz);
}

/* clock_gettime: CLOCK_MONOTONIC (time since boot) or CLOCK_REALTIME (since the
 * epoch) into *ts, to the nanosecond. Returns 0, or -1 with EINVAL (another clock). */
int clock_gettime(clockid_t id, struct timespec *ts)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ns = ticks_to(libos_rdtsc(), 1000000000ULL);
	ts->tv_sec = (time_t)(ns / 1000000000ULL) + (id == CLOCK_REALTIME ? (time_t)exo_info->boot_epoch : 0);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
	return 0;
}

/* gettimeofday: the time since the epoch into *tv (time() comes here through
 * newlib); no time zone (tz is ignored: UTC). Returns 0. */
int gettimeofday(struct timeval *tv, void *tz)
{
	(void)tz;
	uint64_t us = ticks_to(libos_rdtsc(), 1000000ULL);
	tv->tv_sec = (time_t)(us / 1000000ULL) + (time_t)exo_info->boot_epoch;
	tv->tv_usec = (suseconds_t)(us % 1000000ULL);
	return 0;
}

/* times: the kernel keeps no per-environment CPU time, so tms_utime is the time
 * since boot in milliseconds (CLOCKS_PER_SEC is 1000) and the others are 0; clock()
 * therefore measures elapsed time. */
clock_t times(struct tms *t)
{
	clock_t ms = (clock_t)ticks_to(libos_rdtsc(), 1000);
	if (t)
		*t = (struct tms){ .tms_utime = ms };
	return ms;
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000L || req->tv_sec < 0) {
		errno = EINVAL;
		return -1;
	}
	uint64_t ticks = (uint64_t)req->tv_sec * exo_info->tsc_hz +
			 (uint64_t)((unsigned __int128)req->tv_nsec * exo_info->tsc_hz / 1000000000ULL);
	uint64_t end = libos_rdtsc() + ticks;
	for (;;) {
		libos_in_libos++;
		long r = thread_sleep(end);
		libos_in_libos--;
		if (r != -E_INTR)
			break;
		if (!libos_sig_deliverable()) {
			if (libos_rdtsc() >= end)
				break;
			continue; /* an interrupt that brought no signal for us */
		}
		libos_sig_dispatch(); /* nanosleep is never restarted (POSIX) */
		if (rem) {
			uint64_t now = libos_rdtsc(), left = now < end ? end - now : 0;
			uint64_t ns = ticks_to(left, 1000000000ULL);
			*rem = (struct timespec){ (time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL) };
		}
		errno = EINTR;
		return -1;
	}
	if (rem)
		*rem = (struct timespec){ 0, 0 };
	return 0;
}

unsigned sleep(unsigned s)
{
	struct timespec ts = { (time_t)s, 0 }, rem = { 0, 0 };
	if (nanosleep(&ts, &rem) < 0)
		return (unsigned)rem.tv_sec + (rem.tv_nsec > 0); /* interrupted: what is left */
	return 0;
}

int usleep(useconds_t us)
{
	struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
	return nanosleep(&ts, NULL);
}
