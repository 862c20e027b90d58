/*
 * test_temporal.c: the calendar, ISO-8601 parsing and printing, and
 * Cypher's temporal arithmetic (graph/temporal.c).
 */
#include <CUnit/Basic.h>
#include <stdint.h>
#include <string.h>

#include "fixture.h"
#include "graph/value.h"

int test_temporal_register(void);

static int32_t date_of(const char *s)
{
	int32_t d = 0;
	CU_ASSERT_EQUAL_FATAL(gr_parse_date(s, strlen(s), &d), 0);
	return d;
}

static gr_datetime datetime_of(const char *s)
{
	gr_datetime dt;
	memset(&dt, 0, sizeof dt);
	CU_ASSERT_EQUAL_FATAL(gr_parse_datetime(s, strlen(s), &dt), 0);
	return dt;
}

static gr_duration duration_of(const char *s)
{
	gr_duration du;
	memset(&du, 0, sizeof du);
	CU_ASSERT_EQUAL_FATAL(gr_parse_duration(s, strlen(s), &du), 0);
	return du;
}

static const char *date_text(int32_t d)
{
	static char buf[64];
	gr_format_date(d, buf);
	return buf;
}

static const char *datetime_text(const gr_datetime *dt)
{
	static char buf[64];
	gr_format_datetime(dt, buf);
	return buf;
}

static const char *duration_text(const gr_duration *du)
{
	static char buf[64];
	gr_format_duration(du, buf);
	return buf;
}

static void test_epoch_and_known_day_numbers(void)
{
	CU_ASSERT_EQUAL(gr_days_from_civil(1970, 1, 1), 0);
	CU_ASSERT_EQUAL(gr_days_from_civil(1969, 12, 31), -1);
	CU_ASSERT_EQUAL(gr_days_from_civil(2000, 3, 1), 11017);
	CU_ASSERT_EQUAL(gr_days_from_civil(2024, 4, 2), 19815);
	CU_ASSERT_EQUAL(gr_days_from_civil(0, 3, 1), -719468);
	CU_ASSERT_EQUAL(gr_days_from_civil(1600, 1, 1), -135140);
}

/* Every day of ±2000 years maps to a valid date and back, one day apart. */
static void test_civil_round_trip_over_four_millennia(void)
{
	int32_t d;
	int64_t y, py = 0;
	unsigned m, dd, pm = 0, pd = 0;
	int bad = 0;

	for (d = -1450000; d <= 1450000; d++) {
		gr_civil_from_days(d, &y, &m, &dd);
		if (m < 1 || m > 12 || dd < 1 || dd > 31 || gr_days_from_civil(y, m, dd) != d)
			bad++;
		if (d > -1450000 && !(dd == pd + 1 || (dd == 1 && (m == pm + 1 || (m == 1 && y == py + 1)))))
			bad++;
		py = y;
		pm = m;
		pd = dd;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_extreme_years_do_not_overflow(void)
{
	int64_t y;
	unsigned m, d;

	CU_ASSERT_EQUAL(gr_days_from_civil(INT64_MAX, 12, 31), INT32_MAX);
	CU_ASSERT_EQUAL(gr_days_from_civil(INT64_MIN, 1, 1), INT32_MIN);
	CU_ASSERT_EQUAL(gr_days_from_civil(6000000, 1, 1), INT32_MAX);
	gr_civil_from_days(INT32_MAX, &y, &m, &d);
	CU_ASSERT_EQUAL(gr_days_from_civil(y, m, d), INT32_MAX);
	gr_civil_from_days(INT32_MIN, &y, &m, &d);
	CU_ASSERT_EQUAL(gr_days_from_civil(y, m, d), INT32_MIN);
	CU_ASSERT(y < -5000000);
	/* a month outside 1..12 is clamped, not an index out of bounds */
	CU_ASSERT_EQUAL(gr_days_from_civil(1970, 0, 1), 0);
	CU_ASSERT_EQUAL(gr_days_from_civil(1970, 13, 1), gr_days_from_civil(1970, 12, 1));
}

static void test_leap_years(void)
{
	int32_t d;
	CU_ASSERT_EQUAL(gr_parse_date("2024-02-29", 10, &d), 0);
	CU_ASSERT_EQUAL(gr_parse_date("2000-02-29", 10, &d), 0);
	CU_ASSERT_EQUAL(gr_parse_date("2023-02-29", 10, &d), -1);
	CU_ASSERT_EQUAL(gr_parse_date("1900-02-29", 10, &d), -1);
	CU_ASSERT_EQUAL(gr_parse_date("2024-02-30", 10, &d), -1);
	CU_ASSERT_EQUAL(gr_parse_date("0000-02-29", 10, &d), 0);   /* year 0 is leap */
	CU_ASSERT_EQUAL(date_of("2024-03-01") - date_of("2024-02-28"), 2);
	CU_ASSERT_EQUAL(date_of("2100-03-01") - date_of("2100-02-28"), 1);
}

static void test_parse_date_rejects_malformed(void)
{
	static const char *bad[] = {
		"", "2024", "2024-4-2", "2024-04-2", "2024-04-02x", " 2024-04-02", "20240402",
		"2024-13-01", "2024-00-10", "2024-04-00", "2024-04-31", "2024/04/02",
		"+123-01-01", "+1234567890-01-01", "2024-04-02T10:00", "abcd-ef-gh", "2024--4-02",
	};
	size_t i;
	int32_t d;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(gr_parse_date(bad[i], strlen(bad[i]), &d), -1);
	CU_ASSERT_EQUAL(gr_parse_date(NULL, 0, &d), -1);
	/* the length bounds the parse: no NUL needed */
	CU_ASSERT_EQUAL(gr_parse_date("2024-04-02XYZ", 10, &d), 0);
	CU_ASSERT_EQUAL(d, 19815);
}

static void test_year_zero_negative_and_large_years(void)
{
	CU_ASSERT_STRING_EQUAL(date_text(date_of("0000-01-01")), "0000-01-01");
	CU_ASSERT_STRING_EQUAL(date_text(date_of("-0001-12-31")), "-0001-12-31");
	CU_ASSERT_EQUAL(date_of("0000-01-01") - date_of("-0001-12-31"), 1);
	CU_ASSERT_STRING_EQUAL(date_text(date_of("-0044-03-15")), "-0044-03-15");
	CU_ASSERT_STRING_EQUAL(date_text(date_of("+10000-01-01")), "+10000-01-01");
	CU_ASSERT_STRING_EQUAL(date_text(date_of("+2024-04-02")), "2024-04-02");
	CU_ASSERT_STRING_EQUAL(date_text(date_of("9999-12-31")), "9999-12-31");
	/* beyond what a 32-bit day number holds */
	int32_t d;
	CU_ASSERT_EQUAL(gr_parse_date("+999999999-01-01", 16, &d), -1);
	CU_ASSERT_EQUAL(gr_parse_date("-999999999-01-01", 16, &d), -1);
	/* the extremes still print */
	CU_ASSERT(strlen(date_text(INT32_MAX)) > 10);
	CU_ASSERT(strlen(date_text(INT32_MIN)) > 10);
}

static void test_parse_and_format_datetimes(void)
{
	static const char *cases[][2] = {
		{"2024-04-02T10:00", "2024-04-02T10:00:00"},
		{"2024-04-02T10:00Z", "2024-04-02T10:00:00Z"},
		{"2024-04-02T10:00:00Z", "2024-04-02T10:00:00Z"},
		{"2024-04-02T10:00:00.500Z", "2024-04-02T10:00:00.5Z"},
		{"2024-04-02T10:00:00,25Z", "2024-04-02T10:00:00.25Z"},
		{"2024-04-02T10:00:00.123456789+05:30", "2024-04-02T10:00:00.123456789+05:30"},
		{"2024-04-02T10:00:00+0530", "2024-04-02T10:00:00+05:30"},
		{"2024-04-02T10:00:00+05", "2024-04-02T10:00:00+05:00"},
		{"2024-04-02T10:00-03:00", "2024-04-02T10:00:00-03:00"},
		{"2024-04-02T10:00:00-00:00", "2024-04-02T10:00:00Z"},
		{"2024-04-02T23:59:59.000000001", "2024-04-02T23:59:59.000000001"},
		{"1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.5Z"},
		{"-0001-01-01T00:00:00Z", "-0001-01-01T00:00:00Z"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gr_datetime dt = datetime_of(cases[i][0]);
		CU_ASSERT_STRING_EQUAL(datetime_text(&dt), cases[i][1]);
	}
}

static void test_datetime_fields_and_instants(void)
{
	gr_datetime a = datetime_of("2024-04-02T12:00:00+02:00");
	gr_datetime b = datetime_of("2024-04-02T10:00:00Z");
	gr_datetime c = datetime_of("2024-04-02T10:00:00");
	gr_datetime e = datetime_of("1969-12-31T23:59:59.5Z");

	CU_ASSERT_EQUAL(a.dt_secs, b.dt_secs);
	CU_ASSERT_EQUAL(a.dt_offset, 120);
	CU_ASSERT_EQUAL(b.dt_offset, 0);
	CU_ASSERT_EQUAL(c.dt_offset, GR_TZ_NONE);
	CU_ASSERT_EQUAL(c.dt_secs, b.dt_secs);      /* wall clock counted as UTC */
	CU_ASSERT_EQUAL(b.dt_secs, 19815LL * 86400 + 36000);
	CU_ASSERT_EQUAL(e.dt_secs, -1);
	CU_ASSERT_EQUAL(e.dt_nanos, 500000000);
}

static void test_parse_datetime_rejects_malformed(void)
{
	static const char *bad[] = {
		"2024-04-02", "2024-04-02T", "2024-04-02T10", "2024-04-02T10:0", "2024-04-02T24:00",
		"2024-04-02T10:60", "2024-04-02T10:00:60", "2024-04-02 10:00", "2024-04-02t10:00",
		"2024-04-02T10:00:00.", "2024-04-02T10:00:00.1234567890Z", "2024-04-02T10:00:00+19:00",
		"2024-04-02T10:00:00+05:60", "2024-04-02T10:00:00+5", "2024-04-02T10:00:00+05:3",
		"2024-04-02T10:00:00Zx", "2024-04-02T10:00:00z", "2024-02-30T10:00",
		"2024-04-02T10:00:00[Europe/Nowhere]", "2024-04-02T10:00:00+05:30:00",
	};
	size_t i;
	gr_datetime dt;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(gr_parse_datetime(bad[i], strlen(bad[i]), &dt), -1);
}

static void test_parse_and_format_durations(void)
{
	static const char *cases[][2] = {
		{"P30D", "P30D"}, {"PT36H", "PT36H"}, {"P1M2D", "P1M2D"}, {"PT12H", "PT12H"},
		{"P1Y2M", "P1Y2M"}, {"P14M", "P1Y2M"}, {"P1Y2M3DT4H5M6.5S", "P1Y2M3DT4H5M6.5S"},
		{"P2W", "P14D"}, {"P0D", "PT0S"}, {"PT0S", "PT0S"}, {"PT0.5S", "PT0.5S"},
		{"PT90M", "PT1H30M"}, {"PT3600S", "PT1H"}, {"-P1D", "P-1D"}, {"P-1D", "P-1D"},
		{"-P1M2D", "P-1M-2D"}, {"PT-0.5S", "PT-0.5S"}, {"-PT1H30M", "PT-1H-30M"},
		{"P1.5D", "P1DT12H"}, {"PT1.5H", "PT1H30M"}, {"P0.5Y", "P6M"}, {"P1.5W", "P10DT12H"},
		{"PT0.000000001S", "PT0.000000001S"}, {"PT1.0000000009S", "PT1S"}, {"-P-1D", "P1D"},
		{"P1DT-1H", "P1DT-1H"}, {"P2012-02-02T14:37:21.545", "P2012Y2M2DT14H37M21.545S"},
		{"-P0001-01-01T00:00:00.5", "P-1Y-1M-1DT-0.5S"}, {"P0000-00-07", "P7D"},
		{"PT-1M-0.001S", "PT-1M-0.001S"}, {"PT1H-2M-3S", "PT57M57S"},
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		gr_duration du = duration_of(cases[i][0]);
		CU_ASSERT_STRING_EQUAL(duration_text(&du), cases[i][1]);
	}
}

static void test_duration_fields(void)
{
	gr_duration a = duration_of("PT-0.5S"), b = duration_of("P1Y2M3DT4H5M6.5S");
	gr_duration c = duration_of("P0.5M");

	CU_ASSERT_EQUAL(a.du_secs, -1);
	CU_ASSERT_EQUAL(a.du_nanos, 500000000);
	CU_ASSERT_EQUAL(b.du_months, 14);
	CU_ASSERT_EQUAL(b.du_days, 3);
	CU_ASSERT_EQUAL(b.du_secs, 4 * 3600 + 5 * 60 + 6);
	CU_ASSERT_EQUAL(b.du_nanos, 500000000);
	/* half an average month: 15 days and 18873 s */
	CU_ASSERT_EQUAL(c.du_months, 0);
	CU_ASSERT_EQUAL(c.du_days, 15);
	CU_ASSERT_EQUAL(c.du_secs, 18873);
}

static void test_parse_duration_rejects_malformed(void)
{
	static const char *bad[] = {
		"", "P", "PT", "P1DT", "P1H", "PT1D", "P1M1Y", "PT1S1M", "P1D1D", "30D", "P30",
		"P30D ", "p30d", "P.5D", "P1.D", "PT1H2H", "P1Y2W1M", "PTT1H", "P1999999999999999999D",
		"P999999999999999999Y", "--P1D", "P2012-13-02", "P2012-02-02T", "P2012-02-02T14:37",
		"P2012-02-02T14:37:21.", "P12-02-02", "P2012-02-02X",
	};
	size_t i;
	gr_duration du;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(gr_parse_duration(bad[i], strlen(bad[i]), &du), -1);
}

static void test_extreme_durations_print_within_64_bytes(void)
{
	gr_duration du = {INT64_MIN, INT64_MIN, INT64_MIN, 999999999};
	char buf[64];
	size_t n = gr_format_duration(&du, buf);

	CU_ASSERT(n <= 63);
	CU_ASSERT_EQUAL(strlen(buf), n);
	du.du_months = INT64_MAX;
	du.du_days = INT64_MAX;
	du.du_secs = INT64_MAX;
	n = gr_format_duration(&du, buf);
	CU_ASSERT(n <= 63);
}

static void check_date_add(const char *date, const char *dur, int sign, const char *want)
{
	int32_t out = 0;
	gr_duration du = duration_of(dur);
	CU_ASSERT_EQUAL_FATAL(gr_date_add(date_of(date), &du, sign, &out), 0);
	CU_ASSERT_STRING_EQUAL(date_text(out), want);
}

static void test_date_plus_duration_clamps_to_month_end(void)
{
	check_date_add("2024-01-31", "P1M", 1, "2024-02-29");
	check_date_add("2023-01-31", "P1M", 1, "2023-02-28");
	check_date_add("2024-03-31", "P1M", -1, "2024-02-29");
	check_date_add("2024-02-29", "P1Y", 1, "2025-02-28");
	check_date_add("2024-05-31", "P1M", 1, "2024-06-30");
	check_date_add("2024-01-31", "P1M1D", 1, "2024-03-01");   /* months, then days */
	check_date_add("2024-04-02", "P30D", 1, "2024-05-02");
	check_date_add("2024-04-02", "P30D", -1, "2024-03-03");
	check_date_add("2024-12-15", "P1M", 1, "2025-01-15");
	check_date_add("2024-01-15", "P1M", -1, "2023-12-15");
	check_date_add("2024-01-15", "P-13M", 1, "2022-12-15");
	check_date_add("1984-10-11", "P12Y5M14DT16H12M70S", 1, "1997-03-25");
	/* seconds count in whole days only */
	check_date_add("2024-01-01", "PT36H", 1, "2024-01-02");
	check_date_add("2024-01-01", "PT36H", -1, "2023-12-31");
	check_date_add("2024-01-01", "PT23H", 1, "2024-01-01");
	check_date_add("0000-03-01", "P1D", -1, "0000-02-29");
	check_date_add("0001-01-01", "P1D", -1, "0000-12-31");
}

static void test_date_add_overflow_is_an_error(void)
{
	int32_t out;
	gr_duration du = {0, 1, 0, 0};

	CU_ASSERT_EQUAL(gr_date_add(INT32_MAX, &du, 1, &out), -1);
	CU_ASSERT_EQUAL(gr_date_add(INT32_MIN, &du, -1, &out), -1);
	du.du_days = INT64_MIN;
	CU_ASSERT_EQUAL(gr_date_add(0, &du, -1, &out), -1);
	du.du_days = 0;
	du.du_months = INT64_MAX;
	CU_ASSERT_EQUAL(gr_date_add(0, &du, 1, &out), -1);
	du.du_months = INT64_MIN;
	CU_ASSERT_EQUAL(gr_date_add(0, &du, -1, &out), -1);
	du.du_months = 0;
	du.du_secs = INT64_MIN;
	CU_ASSERT_EQUAL(gr_date_add(0, &du, -1, &out), -1);
}

static void check_datetime_add(const char *dt, const char *dur, int sign, const char *want)
{
	gr_datetime a = datetime_of(dt), out;
	gr_duration du = duration_of(dur);
	memset(&out, 0, sizeof out);
	CU_ASSERT_EQUAL_FATAL(gr_datetime_add(&a, &du, sign, &out), 0);
	CU_ASSERT_STRING_EQUAL(datetime_text(&out), want);
}

static void test_datetime_plus_duration(void)
{
	check_datetime_add("2024-01-31T10:00:00Z", "P1M", 1, "2024-02-29T10:00:00Z");
	check_datetime_add("2024-04-02T23:30:00+02:00", "PT1H", 1, "2024-04-03T00:30:00+02:00");
	/* the month is moved on the wall clock of the zone, not in UTC */
	check_datetime_add("2024-01-31T23:30:00-05:00", "P1M", 1, "2024-02-29T23:30:00-05:00");
	check_datetime_add("2024-01-01T00:00:00Z", "PT0.5S", -1, "2023-12-31T23:59:59.5Z");
	check_datetime_add("2024-01-01T00:00:00.7Z", "PT0.5S", 1, "2024-01-01T00:00:01.2Z");
	check_datetime_add("2024-04-02T10:00", "P1DT36H", 1, "2024-04-04T22:00:00");
	check_datetime_add("2024-03-31T12:00Z", "P1M1DT1H", -1, "2024-02-28T11:00:00Z");
}

/* Times of day: parse, print (full and short), and add durations. */
static void test_parse_format_and_add_times(void)
{
	static const struct { const char *in, *full, *brief; } ok[] = {
		{"12:31", "12:31:00", "12:31"},
		{"12:31:14.645876123+01:00", "12:31:14.645876123+01:00", "12:31:14.645876123+01:00"},
		{"00:00:00Z", "00:00:00Z", "00:00Z"},
		{"23:59:59,5-0530", "23:59:59.5-05:30", "23:59:59.5-05:30"},
		{"08:00-00:00", "08:00:00Z", "08:00Z"},
		{"08:00+18", "08:00:00+18:00", "08:00+18:00"},
	};
	static const char *const bad[] = {
		"", "12", "1231", "24:00", "12:60", "12:30:60", "12:30:00.", "12:30:00.1234567891",
		"12:30+19:00", "12:30+01:60", "12:30 ", "T12:30", "12:30Zx", "2024-04-02T12:30",
	};
	gr_time tm, r;
	gr_duration du;
	char buf[64];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		CU_ASSERT_EQUAL_FATAL(gr_parse_time(ok[i].in, strlen(ok[i].in), &tm), 0);
		gr_format_time(&tm, buf);
		CU_ASSERT_STRING_EQUAL(buf, ok[i].full);
		gr_format_time_short(&tm, buf);
		CU_ASSERT_STRING_EQUAL(buf, ok[i].brief);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CU_ASSERT_EQUAL(gr_parse_time(bad[i], strlen(bad[i]), &tm), -1);
	CU_ASSERT_EQUAL(gr_parse_time("12:00", 5, &tm), 0);
	CU_ASSERT_EQUAL(tm.tm_offset, GR_TZ_NONE);
	CU_ASSERT_EQUAL(tm.tm_nanos, 12 * 3600 * 1000000000LL);

	/* only the time of day of a duration counts, and the clock wraps */
	CU_ASSERT_EQUAL_FATAL(gr_parse_time("23:30:00+02:00", 14, &tm), 0);
	du = duration_of("P1Y2M3DT1H");
	gr_time_add(&tm, &du, 1, &r);
	gr_format_time(&r, buf);
	CU_ASSERT_STRING_EQUAL(buf, "00:30:00+02:00");
	gr_time_add(&tm, &du, -1, &r);
	gr_format_time(&r, buf);
	CU_ASSERT_STRING_EQUAL(buf, "22:30:00+02:00");
	du = duration_of("-PT48H0.5S");
	gr_time_add(&tm, &du, 1, &r);
	gr_format_time(&r, buf);
	CU_ASSERT_STRING_EQUAL(buf, "23:29:59.5+02:00");
	/* durations too large for nanoseconds in 64 bits */
	du.du_secs = INT64_MAX;
	du.du_nanos = 999999999;
	gr_time_add(&tm, &du, -1, &r);
	CU_ASSERT(r.tm_nanos >= 0 && r.tm_nanos < GR_NANOS_PER_DAY);
	du.du_secs = INT64_MIN;
	gr_time_add(&tm, &du, 1, &r);
	CU_ASSERT(r.tm_nanos >= 0 && r.tm_nanos < GR_NANOS_PER_DAY);

	/* the instant: wall clock less offset, not wrapped */
	CU_ASSERT_EQUAL_FATAL(gr_parse_time("23:00-05:00", 11, &tm), 0);
	CU_ASSERT_EQUAL(gr_time_utc_nanos(&tm), 28 * 3600 * 1000000000LL);
}

static void test_datetime_add_overflow_is_an_error(void)
{
	gr_datetime a = datetime_of("2024-01-01T00:00:00Z"), out;
	gr_duration du = {0, 0, INT64_MAX, 0};

	CU_ASSERT_EQUAL(gr_datetime_add(&a, &du, 1, &out), -1);
	du.du_secs = INT64_MIN;
	CU_ASSERT_EQUAL(gr_datetime_add(&a, &du, -1, &out), -1);
	CU_ASSERT_EQUAL(gr_datetime_add(&a, &du, 1, &out), -1);
	a.dt_secs = INT64_MAX;
	du.du_secs = 1;
	CU_ASSERT_EQUAL(gr_datetime_add(&a, &du, 1, &out), -1);
}

static void check_between_dates(const char *a, const char *b, const char *want)
{
	gr_duration du;
	gr_duration_between_dates(date_of(a), date_of(b), &du);
	CU_ASSERT_STRING_EQUAL(duration_text(&du), want);
}

static void test_duration_between_dates(void)
{
	check_between_dates("2024-04-03", "2024-04-14", "P11D");
	check_between_dates("2024-04-14", "2024-04-03", "P-11D");
	check_between_dates("2024-01-31", "2024-03-01", "P1M1D");
	check_between_dates("2024-03-01", "2024-01-31", "P-1M-1D");
	check_between_dates("1984-10-11", "2015-06-24", "P30Y8M13D");
	check_between_dates("2024-04-02", "2024-04-02", "PT0S");
	check_between_dates("2023-02-28", "2024-02-29", "P1Y1D");
	check_between_dates("-0001-01-01", "0001-01-01", "P2Y");
}

static void check_between_datetimes(const char *a, const char *b, const char *want)
{
	gr_duration du;
	gr_datetime x = datetime_of(a), y = datetime_of(b);
	gr_duration_between_datetimes(&x, &y, &du);
	CU_ASSERT_STRING_EQUAL(duration_text(&du), want);
}

static void test_duration_between_datetimes(void)
{
	check_between_datetimes("2024-04-02T10:00Z", "2024-04-03T09:00Z", "PT23H");
	check_between_datetimes("2024-04-03T09:00Z", "2024-04-02T10:00Z", "PT-23H");
	check_between_datetimes("2024-01-31T10:00Z", "2024-02-29T09:00Z", "P28DT23H");
	check_between_datetimes("2024-01-31T10:00Z", "2024-02-29T10:00Z", "P29D");
	check_between_datetimes("2024-01-15T10:00Z", "2024-02-15T10:00:00.5Z", "P1MT0.5S");
	check_between_datetimes("2024-04-02T10:00Z", "2024-04-02T12:00+02:00", "PT0S");
	check_between_datetimes("2024-04-02T10:00", "2024-04-03T11:30", "P1DT1H30M");
	check_between_datetimes("2024-04-02T10:00:01", "2024-04-02T10:00:00.5", "PT-0.5S");
}

int test_temporal_register(void)
{
	static const unit_test tests[] = {
		{"epoch and known day numbers", test_epoch_and_known_day_numbers},
		{"civil round trip over four millennia", test_civil_round_trip_over_four_millennia},
		{"extreme years do not overflow", test_extreme_years_do_not_overflow},
		{"leap years", test_leap_years},
		{"parse date rejects malformed", test_parse_date_rejects_malformed},
		{"year zero, negative and large years", test_year_zero_negative_and_large_years},
		{"parse and format datetimes", test_parse_and_format_datetimes},
		{"datetime fields and instants", test_datetime_fields_and_instants},
		{"parse datetime rejects malformed", test_parse_datetime_rejects_malformed},
		{"parse and format durations", test_parse_and_format_durations},
		{"duration fields", test_duration_fields},
		{"parse duration rejects malformed", test_parse_duration_rejects_malformed},
		{"extreme durations print within 64 bytes", test_extreme_durations_print_within_64_bytes},
		{"date plus duration clamps to month end", test_date_plus_duration_clamps_to_month_end},
		{"date add overflow is an error", test_date_add_overflow_is_an_error},
		{"datetime plus duration", test_datetime_plus_duration},
		{"datetime add overflow is an error", test_datetime_add_overflow_is_an_error},
		{"parse, format and add times", test_parse_format_and_add_times},
		{"duration between dates", test_duration_between_dates},
		{"duration between datetimes", test_duration_between_datetimes},
	};
	return unit_suite("temporal", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
