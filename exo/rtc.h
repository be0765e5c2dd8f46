/*
 * The CMOS real-time clock (the battery clock) as seconds since the Unix epoch.
 * Pure logic: the registers are read through the caller's rtc_reader_t (ports
 * 0x70/0x71 in the kernel, a fake clock in the host unit tests).
 */
#ifndef EXO_RTC_H
#define EXO_RTC_H
#include <stdint.h>

/* CMOS registers. */
#define RTC_SEC    0x00
#define RTC_MIN    0x02
#define RTC_HOUR   0x04
#define RTC_DAY    0x07
#define RTC_MONTH  0x08
#define RTC_YEAR   0x09   /* two digits: the years 2000-2099 */
#define RTC_A      0x0A   /* status A: bit 7 = update in progress */
#define RTC_B      0x0B   /* status B: bit 1 = 24-hour, bit 2 = binary (else BCD) */
#define RTC_A_UIP  0x80
#define RTC_B_24H  0x02
#define RTC_B_BIN  0x04
#define RTC_PM     0x80   /* in the hour register, 12-hour mode */

/* rtc_reader_t: the value of CMOS register reg. */
typedef uint8_t (*rtc_reader_t)(uint8_t reg);

/* rtc_civil_to_epoch: seconds since 1970-01-01 00:00:00 UTC of a date (proleptic
 * Gregorian, year >= 1970, month 1-12, day 1-31) and time. No errors. */
int64_t rtc_civil_to_epoch(int year, int month, int day, int hour, int min, int sec);

/* rtc_epoch: read the clock through rd: wait until no update is in progress, read
 * the date and time, and again until two readings agree (an update between them
 * would mix two seconds); decode BCD or binary, 12- or 24-hour as status register B
 * says. Returns seconds since the epoch, or -1: the clock never left an update or
 * never gave two equal readings (a bounded number of polls: no clock there), or it
 * gave a date out of range. */
int64_t rtc_epoch(rtc_reader_t rd);

#endif
