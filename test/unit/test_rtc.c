/* Host unit tests for the CMOS clock reader (exo/rtc.c): date conversion, BCD and
 * binary, 12- and 24-hour, updates in progress and a second passing between two
 * readings, and no clock at all. */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "test/unit/check.h"
#include "exo/rtc.h"

/* The fake clock: its registers, reads of status A that still say "updating",
 * and a second register value that takes over after some reads of it. */
static uint8_t regs[128];
static int uip_reads, sec_switch_after, sec_reads;
static uint8_t sec_next;
static long reads;

static uint8_t fake(uint8_t reg)
{
	reads++;
	if (reg == RTC_A)
		return uip_reads > 0 ? (uip_reads--, RTC_A_UIP) : 0;
	if (reg == RTC_SEC && sec_switch_after && ++sec_reads > sec_switch_after)
		return sec_next;
	return regs[reg];
}

static uint8_t bcd(int v)
{
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

/* set: the clock shows year-month-day hour:min:sec in the mode of status b
 * (hour given 0-23; 12-hour mode writes it as 1-12 with the PM bit). */
static void set(int year, int month, int day, int hour, int min, int sec, uint8_t b)
{
	memset(regs, 0, sizeof regs);
	uip_reads = sec_switch_after = sec_reads = 0;
	reads = 0;
	int h = hour;
	uint8_t pm = 0;
	if (!(b & RTC_B_24H)) {
		pm = hour >= 12 ? RTC_PM : 0;
		h = hour % 12 == 0 ? 12 : hour % 12;
	}
	uint8_t (*enc)(int) = (b & RTC_B_BIN) ? NULL : bcd;
	int f[6] = { sec, min, h, day, month, year - 2000 };
	uint8_t r[6] = { RTC_SEC, RTC_MIN, RTC_HOUR, RTC_DAY, RTC_MONTH, RTC_YEAR };
	for (int i = 0; i < 6; i++)
		regs[r[i]] = enc ? enc(f[i]) : (uint8_t)f[i];
	regs[RTC_HOUR] |= pm;
	regs[RTC_B] = b;
}

/* host: what the host's C library says for that UTC date. */
static int64_t host(int year, int month, int day, int hour, int min, int sec)
{
	struct tm tm = { .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day,
			 .tm_hour = hour, .tm_min = min, .tm_sec = sec };
	return (int64_t)timegm(&tm);
}

TEST(civil_matches_timegm)
{
	CHECK(rtc_civil_to_epoch(1970, 1, 1, 0, 0, 0) == 0);
	CHECK(rtc_civil_to_epoch(2000, 2, 29, 12, 0, 0) == host(2000, 2, 29, 12, 0, 0));
	for (int y = 1970; y < 2100; y += 3)
		for (int m = 1; m <= 12; m++)
			CHECK(rtc_civil_to_epoch(y, m, 28, 23, 59, 59) == host(y, m, 28, 23, 59, 59));
	CHECK(rtc_civil_to_epoch(2024, 12, 31, 23, 59, 59) + 1 == rtc_civil_to_epoch(2025, 1, 1, 0, 0, 0));
}

TEST(bcd_24_hour)
{
	set(2025, 6, 15, 13, 45, 30, RTC_B_24H);
	CHECK(rtc_epoch(fake) == host(2025, 6, 15, 13, 45, 30));
}

TEST(binary_24_hour)
{
	set(2031, 1, 2, 3, 4, 5, RTC_B_24H | RTC_B_BIN);
	CHECK(rtc_epoch(fake) == host(2031, 1, 2, 3, 4, 5));
}

TEST(twelve_hour_bcd_and_binary)
{
	static const int hours[] = { 0, 1, 11, 12, 13, 23 };
	for (int i = 0; i < 6; i++) {
		set(2026, 3, 1, hours[i], 0, 0, 0);
		CHECK(rtc_epoch(fake) == host(2026, 3, 1, hours[i], 0, 0));
		set(2026, 3, 1, hours[i], 0, 0, RTC_B_BIN);
		CHECK(rtc_epoch(fake) == host(2026, 3, 1, hours[i], 0, 0));
	}
}

TEST(waits_for_update_to_end)
{
	set(2025, 6, 15, 13, 45, 30, RTC_B_24H);
	uip_reads = 1000;
	CHECK(rtc_epoch(fake) == host(2025, 6, 15, 13, 45, 30));
	CHECK(uip_reads == 0);
}

TEST(second_passing_between_readings_rereads)
{
	set(2025, 6, 15, 13, 45, 30, RTC_B_24H);
	sec_switch_after = 1; /* the first reading sees :30, every later one :31 */
	sec_next = bcd(31);
	CHECK(rtc_epoch(fake) == host(2025, 6, 15, 13, 45, 31));
}

TEST(no_clock_fails_in_bounded_time)
{
	set(2025, 6, 15, 13, 45, 30, RTC_B_24H);
	uip_reads = 1 << 30; /* an absent clock reads 0xFF: always "updating" */
	CHECK(rtc_epoch(fake) == -1);
	CHECK(reads < 2000000);
}

TEST(out_of_range_fails)
{
	set(2025, 13, 15, 13, 45, 30, RTC_B_24H | RTC_B_BIN);
	CHECK(rtc_epoch(fake) == -1);
	set(2025, 6, 0, 13, 45, 30, RTC_B_24H | RTC_B_BIN);
	CHECK(rtc_epoch(fake) == -1);
	set(2025, 6, 15, 13, 45, 30, RTC_B_24H);
	regs[RTC_SEC] = 0x7A; /* not BCD */
	CHECK(rtc_epoch(fake) == -1);
}

int main(void)
{
	RUN(civil_matches_timegm);
	RUN(bcd_24_hour);
	RUN(binary_24_hour);
	RUN(twelve_hour_bcd_and_binary);
	RUN(waits_for_update_to_end);
	RUN(second_passing_between_readings_rereads);
	RUN(no_clock_fails_in_bounded_time);
	RUN(out_of_range_fails);
	return check_status();
}
