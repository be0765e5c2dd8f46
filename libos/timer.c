/* POSIX per-process timers (timer_create family), one per process: it is the
 * process's real-time interval timer (setitimer's ITIMER_REAL, which alarm also
 * sets), so it expires with SIGALRM at microsecond resolution; a fork child has
 * none. Both clocks tick at the same rate; an absolute time is taken on the
 * timer's clock. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/time.h>
#include <time.h>

#define THE_TIMER ((timer_t)1)

static bool created;
static clockid_t timer_clock;

/* A fork child has no timers (its interval timer is off, libos/signal.c). */
static void forget(void)
{
	created = false;
}

static int fail(int err)
{
	errno = err;
	return -1;
}

/* timer_create: the process's timer on clock id (CLOCK_REALTIME or
 * CLOCK_MONOTONIC), disarmed, into *t. ev NULL or SIGEV_SIGNAL with SIGALRM
 * (the signal it raises), or SIGEV_NONE (not supported: any other signal,
 * SIGEV_THREAD). Returns 0, or -1 with EINVAL (clock, notification), ENOTSUP
 * (another signal, SIGEV_THREAD) or EAGAIN (the process has its timer). */
int timer_create(clockid_t id, struct sigevent *__restrict ev, timer_t *__restrict t)
{
	if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC)
		return fail(EINVAL);
	if (ev && ev->sigev_notify != SIGEV_NONE && ev->sigev_notify != SIGEV_SIGNAL)
		return fail(ev->sigev_notify == SIGEV_THREAD ? ENOTSUP : EINVAL);
	if (ev && ev->sigev_notify == SIGEV_SIGNAL && ev->sigev_signo != SIGALRM)
		return fail(ENOTSUP);
	if (created)
		return fail(EAGAIN);
	static bool registered;
	if (!registered && pthread_atfork(NULL, NULL, forget) != 0)
		return fail(EAGAIN);
	registered = true;
	created = true;
	timer_clock = id;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	*t = THE_TIMER;
	return 0;
}

static int check(timer_t t)
{
	return created && t == THE_TIMER ? 0 : fail(EINVAL);
}

/* timer_delete: disarm and forget timer t. Returns 0, or -1 with EINVAL. */
int timer_delete(timer_t t)
{
	if (check(t) < 0)
		return -1;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	created = false;
	return 0;
}

static struct timeval to_tv(struct timespec ts)
{
	/* round up: a timer never expires early */
	long us = (ts.tv_nsec + 999) / 1000;
	return us == 1000000 ? (struct timeval){ ts.tv_sec + 1, 0 } : (struct timeval){ ts.tv_sec, us };
}

static struct timespec to_ts(struct timeval tv)
{
	return (struct timespec){ tv.tv_sec, tv.tv_usec * 1000 };
}

/* timer_gettime: the time left to t's expiry and its interval into *v. Returns
 * 0, or -1 with EINVAL. */
int timer_gettime(timer_t t, struct itimerspec *v)
{
	struct itimerval it;
	if (check(t) < 0 || getitimer(ITIMER_REAL, &it) < 0)
		return -1;
	v->it_value = to_ts(it.it_value);
	v->it_interval = to_ts(it.it_interval);
	return 0;
}

/* timer_settime: arm t to expire after v->it_value (at it, on the timer's
 * clock, with TIMER_ABSTIME: a time passed expires at once), then every
 * v->it_interval; a zero it_value disarms it. The old setting into *old.
 * Returns 0, or -1 with EINVAL (t, a negative time or nanoseconds out of
 * range). */
int timer_settime(timer_t t, int flags, const struct itimerspec *__restrict v, struct itimerspec *__restrict old)
{
	if (check(t) < 0)
		return -1;
	struct timespec value = v->it_value;
	if (value.tv_nsec < 0 || value.tv_nsec >= 1000000000 || v->it_interval.tv_nsec < 0 ||
	    v->it_interval.tv_nsec >= 1000000000 || value.tv_sec < 0 || v->it_interval.tv_sec < 0)
		return fail(EINVAL);
	if (old && timer_gettime(t, old) < 0)
		return -1;
	if ((flags & TIMER_ABSTIME) && (value.tv_sec || value.tv_nsec)) {
		struct timespec now;
		clock_gettime(timer_clock, &now);
		long long ns = (value.tv_sec - now.tv_sec) * 1000000000LL + (value.tv_nsec - now.tv_nsec);
		if (ns < 1000)
			ns = 1000; /* passed: at once (1 us, the smallest a setitimer arms) */
		value = (struct timespec){ (time_t)(ns / 1000000000LL), (long)(ns % 1000000000LL) };
	}
	struct itimerval it = { to_tv(v->it_interval), to_tv(value) };
	return setitimer(ITIMER_REAL, &it, NULL);
}

/* timer_getoverrun: expiries of t lost since its signal was last delivered:
 * always 0 (a pending SIGALRM is not counted again). Returns it, or -1 with
 * EINVAL. */
int timer_getoverrun(timer_t t)
{
	return check(t);
}
