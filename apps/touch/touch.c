/* touch: set the access and modification times of files, making them if they
 * do not exist.
 *   touch [-a] [-m] [-c] [-r REF | -t [[CC]YY]MMDDhhmm[.SS] | -d YYYY-MM-DDThh:mm:ss[Z]] FILE...
 *   -a  change the access time only       -m  the modification time only
 *   -c  do not create a missing FILE      -r  use REF's times
 *   -t, -d  use this time (UTC: exo has no time zones) instead of now
 * Exit status: 0, or 1 when a file could not be made or changed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../lib/util.h"

/* The digits s[0..n-1] as a number, or -1 when they are not all digits. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + s[i] - '0';
	}
	return v;
}

/* Parse -t's [[CC]YY]MMDDhhmm[.SS] into *t (UTC). Returns 0, or -1 when invalid. */
static int parse_t(const char *s, time_t *t)
{
	const char *dot = strchr(s, '.');
	int len = dot ? (int)(dot - s) : (int)strlen(s), sec = 0;
	if (dot && (strlen(dot) != 3 || (sec = digits(dot + 1, 2)) < 0 || sec > 60))
		return -1;
	if (len != 8 && len != 10 && len != 12)
		return -1;
	struct tm tm = { 0 };
	time_t now = time(NULL);
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900;
	if (len == 12)
		year = digits(s, 4), s += 4;
	else if (len == 10) {
		int yy = digits(s, 2);
		year = yy < 0 ? -1 : yy < 69 ? 2000 + yy : 1900 + yy;
		s += 2;
	}
	int mon = digits(s, 2), day = digits(s + 2, 2), hour = digits(s + 4, 2), min = digits(s + 6, 2);
	if (year < 0 || mon < 1 || mon > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
	    min < 0 || min > 59)
		return -1;
	tm = (struct tm){ .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day,
			  .tm_hour = hour, .tm_min = min, .tm_sec = sec };
	/* UTC: exo's clock has no time zone, so mktime's local time is UTC. */
	*t = mktime(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

/* Parse -d's YYYY-MM-DDThh:mm:ss (a space for T, an optional Z) into *t. */
static int parse_d(const char *s, time_t *t)
{
	char buf[20];
	size_t n = strlen(s);
	if (n > 0 && s[n - 1] == 'Z')
		n--;
	if (n != 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	snprintf(buf, sizeof buf, "%.4s%.2s%.2s%.2s%.2s.%.2s", s, s + 5, s + 8, s + 11, s + 14, s + 17);
	return parse_t(buf, t);
}

int main(int argc, char **argv)
{
	int aflag = 0, mflag = 0, cflag = 0, c, status = 0;
	struct timespec ts[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	util_init(argv[0]);
	while ((c = getopt(argc, argv, "amcr:t:d:")) != -1) {
		time_t t;
		struct stat st;
		switch (c) {
		case 'a': aflag = 1; break;
		case 'm': mflag = 1; break;
		case 'c': cflag = 1; break;
		case 'r':
			if (stat(optarg, &st) < 0) {
				util_perror(optarg);
				return 1;
			}
			ts[0] = st.st_atim, ts[1] = st.st_mtim;
			break;
		case 't':
		case 'd':
			if ((c == 't' ? parse_t(optarg, &t) : parse_d(optarg, &t)) < 0) {
				fprintf(stderr, "touch: invalid date: %s\n", optarg);
				return 1;
			}
			ts[0] = ts[1] = (struct timespec){ t, 0 };
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	if (aflag && !mflag)
		ts[1].tv_nsec = UTIME_OMIT;
	if (mflag && !aflag)
		ts[0].tv_nsec = UTIME_OMIT;
	for (int i = optind; i < argc; i++) {
		if (access(argv[i], F_OK) < 0) {
			if (cflag)
				continue;
			int fd = open(argv[i], O_WRONLY | O_CREAT, 0666);
			if (fd < 0) {
				util_perror(argv[i]);
				status = 1;
				continue;
			}
			close(fd);
		}
		if (utimensat(AT_FDCWD, argv[i], ts, 0) < 0) {
			util_perror(argv[i]);
			status = 1;
		}
	}
	return status;
usage:
	fprintf(stderr, "usage: touch [-acm] [-r REF | -t [[CC]YY]MMDDhhmm[.SS] | -d DATE] FILE...\n");
	return 2;
}
