/* sleep: wait for a number of seconds (nanosleep).
 *   sleep SECONDS     SECONDS: a non-negative integer or decimal, e.g. 2, 0.25, .5 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* newlib's <time.h> declares nanosleep only when _POSIX_TIMERS is defined; the
 * libOS implements it (libos/time.c). */
int nanosleep(const struct timespec *req, struct timespec *rem);

/* Parse s into *ts. 0, or -1 when s is not a non-negative decimal number. */
static int parse(const char *s, struct timespec *ts)
{
	long long sec = 0;
	long nsec = 0, scale = 100000000;
	int digits = 0;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (sec > (0x7fffffffffffffffLL - 9) / 10)
			return -1;
		sec = sec * 10 + (*s - '0');
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, digits++, scale /= 10)
			nsec += (*s - '0') * scale; /* digits past the 9th add 0 */
	if (*s || !digits)
		return -1;
	ts->tv_sec = (time_t)sec;
	ts->tv_nsec = nsec;
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec ts;
	if (argc != 2 || parse(argv[1], &ts) < 0) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: %s: %s\n", argv[1], strerror(errno));
			return 1;
		}
	}
	return 0;
}
