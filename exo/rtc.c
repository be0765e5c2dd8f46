/*
 * The CMOS real-time clock (see rtc.h): reading it consistently and converting its
 * date to seconds since the Unix epoch. No kernel dependencies: host-tested.
 */
#include <stdbool.h>
#include "rtc.h"

#define RTC_POLLS  1000000 /* polls of the update flag: about a second on hardware */
#define RTC_TRIES  8       /* readings until two agree */

/* The registers of one reading, in the order of rtc_regs. */
static const uint8_t rtc_regs[6] = { RTC_SEC, RTC_MIN, RTC_HOUR, RTC_DAY, RTC_MONTH, RTC_YEAR };

int64_t rtc_civil_to_epoch(int year, int month, int day, int hour, int min, int sec)
{
	/* Days from civil (H. Hinnant): the year starts on March 1, so the leap day
	 * is the year's last. */
	int64_t y = year - (month <= 2);
	int64_t era = y / 400, yoe = y - era * 400;
	int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	return days * 86400 + hour * 3600 + min * 60 + sec;
}

/* wait_update: poll until no update is in progress. Returns 0, or -1 after
 * RTC_POLLS polls. */
static int wait_update(rtc_reader_t rd)
{
	for (int i = 0; i < RTC_POLLS; i++)
		if (!(rd(RTC_A) & RTC_A_UIP))
			return 0;
	return -1;
}

/* read_once: one reading of the date and time registers into v. Returns 0 or -1. */
static int read_once(rtc_reader_t rd, uint8_t v[6])
{
	if (wait_update(rd) < 0)
		return -1;
	for (int i = 0; i < 6; i++)
		v[i] = rd(rtc_regs[i]);
	return 0;
}

static int from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0x0F);
}

/* decode: the epoch of reading v under status B, or -1 if a field is out of range. */
static int64_t decode(const uint8_t v[6], uint8_t b)
{
	int f[6];
	for (int i = 0; i < 6; i++) {
		uint8_t x = i == 2 ? (uint8_t)(v[i] & ~RTC_PM) : v[i];
		f[i] = (b & RTC_B_BIN) ? x : from_bcd(x);
	}
	int sec = f[0], min = f[1], hour = f[2], day = f[3], month = f[4], year = 2000 + f[5];
	if (!(b & RTC_B_24H)) {
		if (hour < 1 || hour > 12)
			return -1;
		hour = hour % 12 + ((v[2] & RTC_PM) ? 12 : 0); /* 12 AM is 0, 12 PM is 12 */
	}
	if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || month < 1 || month > 12 || year > 2099)
		return -1;
	return rtc_civil_to_epoch(year, month, day, hour, min, sec);
}

int64_t rtc_epoch(rtc_reader_t rd)
{
	uint8_t a[6], b[6];
	if (read_once(rd, a) < 0)
		return -1;
	for (int t = 0; t < RTC_TRIES; t++) {
		if (read_once(rd, b) < 0)
			return -1;
		bool same = true;
		for (int i = 0; i < 6; i++)
			same = same && a[i] == b[i];
		if (same)
			return decode(b, rd(RTC_B));
		for (int i = 0; i < 6; i++)
			a[i] = b[i];
	}
	return -1;
}
