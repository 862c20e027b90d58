/*
 * test_tz.c: named time zones (graph/tz.c, graph/tz_value.c): zone names,
 * offsets from the system's tz database and from POSIX TZ rules past its
 * table, wall clocks in gaps and overlaps, damaged or missing databases,
 * and datetimes in named zones (text, arithmetic, spans, encoding).
 */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"
#include "graph/tz.h"
#include "graph/value.h"

int test_tz_register(void);

/* Seconds since the epoch of a UTC datetime text. */
static int64_t utc(const char *s)
{
	gr_datetime dt;
	CU_ASSERT_EQUAL_FATAL(gr_parse_datetime(s, strlen(s), &dt), 0);
	return dt.dt_secs;
}

static uint16_t zone(const char *name)
{
	char err[200];
	uint16_t id = gr_tz_find(name, strlen(name), err, sizeof err);
	CU_ASSERT_NOT_EQUAL_FATAL(id, 0);
	return id;
}

static int32_t offset_at(const char *name, const char *when)
{
	int32_t off = 12345;
	CU_ASSERT_EQUAL(gr_tz_offset_at(zone(name), utc(when), &off), 0);
	return off;
}

static void test_zone_names(void)
{
	static const char *const good[] = { "Europe/Stockholm", "America/Argentina/Buenos_Aires",
		"Etc/GMT+5", "America/Port-au-Prince", "UTC" };
	static const char *const bad[] = { "", "../../etc/passwd", "/etc/passwd", "Europe//Stockholm",
		"Europe/", "Europe/Stock.holm", "posix/Europe/Stockholm", "right/UTC", "Europe/Stock holm",
		"Europe\\Stockholm", "Europe/Stockholm\n",
		"A123456789/123456789/123456789/123456789/123456789/123456789/1234" };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CU_ASSERT_EQUAL(gr_tz_name_ok(good[i], strlen(good[i])), 1);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char err[200] = "";
		CU_ASSERT_EQUAL(gr_tz_name_ok(bad[i], strlen(bad[i])), 0);
		CU_ASSERT_EQUAL(gr_tz_find(bad[i], strlen(bad[i]), err, sizeof err), 0);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "unknown time zone"));
	}
	/* interning gives one id per name */
	CU_ASSERT_EQUAL(gr_tz_intern("Europe/Stockholm", 16), zone("Europe/Stockholm"));
	CU_ASSERT_STRING_EQUAL(gr_tz_name(zone("Europe/Stockholm")), "Europe/Stockholm");
	CU_ASSERT_STRING_EQUAL(gr_tz_name(0), "");
}

static void test_unknown_zone_is_an_error(void)
{
	char err[200] = "";
	CU_ASSERT_EQUAL(gr_tz_find("Mars/Olympus_Mons", 17, err, sizeof err), 0);
	CU_ASSERT_STRING_EQUAL(err, "unknown time zone 'Mars/Olympus_Mons'");
	/* a file of the database that is not a zone */
	CU_ASSERT_EQUAL(gr_tz_find("leapseconds", 11, err, sizeof err), 0);
}

static void test_offsets_from_the_table(void)
{
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2017-07-01T00:00Z"), 7200);
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2017-01-01T00:00Z"), 3600);
	/* the clocks went forward at 01:00 UTC on 2017-03-26 */
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2017-03-26T00:59:59Z"), 3600);
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2017-03-26T01:00Z"), 7200);
	CU_ASSERT_EQUAL(offset_at("Pacific/Honolulu", "1984-10-28T12:00Z"), -36000);
	CU_ASSERT_EQUAL(offset_at("Australia/Eucla", "2015-07-21T00:00Z"), 8 * 3600 + 45 * 60);
	CU_ASSERT_EQUAL(offset_at("America/New_York", "2015-07-21T00:00Z"), -4 * 3600);
	/* before standard time: local mean time, with seconds */
	CU_ASSERT_EQUAL(offset_at("America/New_York", "1800-01-01T00:00Z") % 60 != 0, 1);
}

static void test_offsets_from_the_posix_rule(void)
{
	/* far past the tables: the footer's TZ string */
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2100-07-01T00:00Z"), 7200);
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2100-12-01T00:00Z"), 3600);
	CU_ASSERT_EQUAL(offset_at("America/New_York", "2090-07-04T12:00Z"), -4 * 3600);
	CU_ASSERT_EQUAL(offset_at("America/New_York", "2090-01-04T12:00Z"), -5 * 3600);
	/* southern hemisphere: daylight time over the new year */
	CU_ASSERT_EQUAL(offset_at("Australia/Sydney", "2080-01-01T00:00Z"), 11 * 3600);
	CU_ASSERT_EQUAL(offset_at("Australia/Sydney", "2080-07-01T00:00Z"), 10 * 3600);
	/* last Sunday of March 2100 is the 28th: at 01:00 UTC */
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2100-03-28T00:59:59Z"), 3600);
	CU_ASSERT_EQUAL(offset_at("Europe/Stockholm", "2100-03-28T01:00Z"), 7200);
}

/* Writes a TZif v2 file with no transitions and one type (offset off),
 * then footer, as dir/name. */
static void write_tzif(const char *dir, const char *name, int32_t off, const char *footer)
{
	char path[512];
	unsigned char hdr[44], type[6] = { 0 }, chars[4] = { 'X', 'X', 'X', 0 };
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	memset(hdr, 0, sizeof hdr);
	memcpy(hdr, "TZif2", 5);
	hdr[39] = 1;    /* typecnt */
	hdr[43] = 4;    /* charcnt */
	for (int i = 0; i < 4; i++)
		type[i] = (unsigned char)((uint32_t)off >> (24 - 8 * i));
	for (int block = 0; block < 2; block++) {
		fwrite(hdr, 1, sizeof hdr, f);
		fwrite(type, 1, sizeof type, f);
		fwrite(chars, 1, sizeof chars, f);
	}
	fprintf(f, "\n%s\n", footer);
	fclose(f);
}

static char tmpdir[] = "/tmp/sg-tz-XXXXXX";

static void set_dir(const char *d)
{
	if (d)
		setenv("TZDIR", d, 1);
	else
		unsetenv("TZDIR");
}

static void test_posix_rule_forms(void)
{
	char utc_copy[512];
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	snprintf(utc_copy, sizeof utc_copy, "%s/UTC", tmpdir);
	write_tzif(tmpdir, "UTC", 0, "UTC0");
	/* Jn days (no Feb 29) and times past midnight, as Iran used */
	write_tzif(tmpdir, "Test_J", 12600, "<+0330>-3:30<+0430>,J80/0,J264/0");
	/* zero-based days, a negative time, an explicit daylight offset */
	write_tzif(tmpdir, "Test_N", -3 * 3600, "<-03>3<-01>1,59/-1,300/25");
	/* no rule at all: fixed */
	write_tzif(tmpdir, "Test_F", 31500, "<+0845>-8:45");
	/* a footer that does not parse: the table (one type) alone */
	write_tzif(tmpdir, "Test_Bad", 3600, "CET-1CEST,M3.5");
	set_dir(tmpdir);
	CU_ASSERT_EQUAL(offset_at("Test_J", "2021-01-10T00:00Z"), 12600);
	CU_ASSERT_EQUAL(offset_at("Test_J", "2021-06-10T00:00Z"), 16200);
	/* J80 is March 21 in any year: daylight time from 00:00 local */
	CU_ASSERT_EQUAL(offset_at("Test_J", "2024-03-20T20:29:59Z"), 12600);
	CU_ASSERT_EQUAL(offset_at("Test_J", "2024-03-20T20:30Z"), 16200);
	/* day 59 (0-based) of 2024 is Feb 29; at 23:00 the day before on -03 */
	CU_ASSERT_EQUAL(offset_at("Test_N", "2024-02-29T01:59:59Z"), -3 * 3600);
	CU_ASSERT_EQUAL(offset_at("Test_N", "2024-02-29T02:00Z"), -3600);
	CU_ASSERT_EQUAL(offset_at("Test_N", "2024-12-01T00:00Z"), -3 * 3600);
	CU_ASSERT_EQUAL(offset_at("Test_F", "2024-12-01T00:00Z"), 31500);
	CU_ASSERT_EQUAL(offset_at("Test_Bad", "2024-07-01T00:00Z"), 3600);
	set_dir(NULL);
}

static void test_damaged_and_missing_databases(void)
{
	char path[600], err[200] = "";
	unsigned char *buf;
	FILE *f;
	size_t len;
	int refused = 0;

	/* every cut of a real file either reads or is refused */
	f = fopen("/usr/share/zoneinfo/Europe/Stockholm", "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	buf = malloc(1 << 16);
	len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	set_dir(tmpdir);
	for (size_t cut = 0; cut < len; cut += 13) {
		char name[32];
		int32_t off;
		snprintf(name, sizeof name, "Cut_%zu", cut);
		snprintf(path, sizeof path, "%s/%s", tmpdir, name);
		f = fopen(path, "wb");
		fwrite(buf, 1, cut, f);
		fclose(f);
		uint16_t id = gr_tz_find(name, strlen(name), err, sizeof err);
		if (id == 0)
			refused++;
		else
			CU_ASSERT_EQUAL(gr_tz_offset_at(id, 0, &off), 0);
		unlink(path);
	}
	CU_ASSERT(refused > 100);
	/* a file with bytes flipped must not crash either */
	for (size_t at = 0; at < len && at < 400; at += 3) {
		char name[32];
		int32_t off;
		buf[at] ^= 0xA5;
		snprintf(name, sizeof name, "Flip_%zu", at);
		snprintf(path, sizeof path, "%s/%s", tmpdir, name);
		f = fopen(path, "wb");
		fwrite(buf, 1, len, f);
		fclose(f);
		uint16_t id = gr_tz_find(name, strlen(name), err, sizeof err);
		if (id != 0)
			gr_tz_offset_at(id, 1500000000, &off);
		buf[at] ^= 0xA5;
		unlink(path);
	}
	free(buf);
	/* no database at all: a message that says so */
	set_dir("/nonexistent/zoneinfo");
	CU_ASSERT_EQUAL(gr_tz_find("America/Lima", 12, err, sizeof err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no time zone database in /nonexistent/zoneinfo"));
	set_dir(NULL);
	/* ... and once it is there, the zone reads */
	CU_ASSERT_NOT_EQUAL(zone("America/Lima"), 0);
	for (const char *n = "UTC\0Test_J\0Test_N\0Test_F\0Test_Bad\0"; *n; n += strlen(n) + 1) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, n);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* Wall clock text of a datetime in a zone. */
static const char *text(const gr_datetime *dt)
{
	static char buf[128];
	gr_format_datetime_short(dt, buf);
	return buf;
}

static gr_datetime local_in(const char *name, const char *wall, int32_t prefer)
{
	gr_datetime l, out;
	CU_ASSERT_EQUAL_FATAL(gr_parse_datetime(wall, strlen(wall), &l), 0);
	CU_ASSERT_EQUAL_FATAL(gr_tz_datetime_local(zone(name), l.dt_secs, l.dt_nanos, prefer, &out), 0);
	return out;
}

static void test_wall_clocks_in_gaps_and_overlaps(void)
{
	gr_datetime dt = local_in("Europe/Stockholm", "2017-03-26T02:30", GR_TZ_NONE);
	/* 02:30 never happened: on to 03:30, summer time */
	CU_ASSERT_STRING_EQUAL(text(&dt), "2017-03-26T03:30+02:00[Europe/Stockholm]");
	/* 02:30 happened twice: the earlier, unless the later is preferred */
	dt = local_in("Europe/Stockholm", "2017-10-29T02:30", GR_TZ_NONE);
	CU_ASSERT_STRING_EQUAL(text(&dt), "2017-10-29T02:30+02:00[Europe/Stockholm]");
	dt = local_in("Europe/Stockholm", "2017-10-29T02:30", 3600);
	CU_ASSERT_STRING_EQUAL(text(&dt), "2017-10-29T02:30+01:00[Europe/Stockholm]");
	dt = local_in("Europe/Stockholm", "2017-10-29T02:30", 7200);
	CU_ASSERT_STRING_EQUAL(text(&dt), "2017-10-29T02:30+02:00[Europe/Stockholm]");
	dt = local_in("Pacific/Honolulu", "1984-10-28T10:10:10", GR_TZ_NONE);
	CU_ASSERT_STRING_EQUAL(text(&dt), "1984-10-28T10:10:10-10:00[Pacific/Honolulu]");
}

static gr_datetime parse(const char *s)
{
	gr_datetime dt;
	memset(&dt, 0, sizeof dt);
	CU_ASSERT_EQUAL_FATAL(gr_parse_datetime(s, strlen(s), &dt), 0);
	return dt;
}

static void test_named_zone_text(void)
{
	gr_datetime dt = parse("2015-07-21T21:40:32.142[Europe/London]");
	CU_ASSERT_STRING_EQUAL(text(&dt), "2015-07-21T21:40:32.142+01:00[Europe/London]");
	/* with an offset: the instant it names, on the zone's clock */
	dt = parse("2015-07-21T20:40:32+01:00[Europe/Stockholm]");
	CU_ASSERT_STRING_EQUAL(text(&dt), "2015-07-21T21:40:32+02:00[Europe/Stockholm]");
	dt = parse("2015-07-21T21:40:32.142-04[America/New_York]");
	CU_ASSERT_STRING_EQUAL(text(&dt), "2015-07-21T21:40:32.142-04:00[America/New_York]");
	gr_datetime bad;
	CU_ASSERT_EQUAL(gr_parse_datetime("2015-07-21T21:40[Mars/Base]", 27, &bad), -1);
	CU_ASSERT_EQUAL(gr_parse_datetime("2015-07-21T21:40[../../etc/passwd]", 34, &bad), -1);
	CU_ASSERT_EQUAL(gr_parse_datetime("2015-07-21T21:40[]", 18, &bad), -1);
	CU_ASSERT_EQUAL(gr_parse_datetime("[Europe/London]", 15, &bad), -1);
	CU_ASSERT_EQUAL(gr_parse_datetime("2015-07-21T21:40[Europe/London", 30, &bad), -1);
}

static void check_add(const char *from, const char *dur, const char *want)
{
	gr_datetime a = parse(from), r;
	gr_duration du;
	CU_ASSERT_EQUAL_FATAL(gr_parse_duration(dur, strlen(dur), &du), 0);
	CU_ASSERT_EQUAL_FATAL(gr_datetime_add(&a, &du, 1, &r), 0);
	CU_ASSERT_STRING_EQUAL(text(&r), want);
}

static void test_arithmetic_across_daylight_saving(void)
{
	/* a day is the same wall-clock time; 24 hours is elapsed time */
	check_add("2017-10-29T00:00+02:00[Europe/Stockholm]", "P1D", "2017-10-30T00:00+01:00[Europe/Stockholm]");
	check_add("2017-10-29T00:00+02:00[Europe/Stockholm]", "PT24H", "2017-10-29T23:00+01:00[Europe/Stockholm]");
	check_add("2017-03-25T02:30+01:00[Europe/Stockholm]", "P1D", "2017-03-26T03:30+02:00[Europe/Stockholm]");
	check_add("2017-01-31T12:00+01:00[Europe/Stockholm]", "P1M", "2017-02-28T12:00+01:00[Europe/Stockholm]");
	check_add("2017-06-30T12:00+02:00[Europe/Stockholm]", "P6MT1H", "2017-12-30T13:00+01:00[Europe/Stockholm]");
}

static void check_span(const char *a, const char *b, int unit, const char *want)
{
	gr_datetime x = parse(a), y = parse(b);
	gr_duration du;
	char buf[64];
	if (unit < 0)
		gr_duration_between_datetimes(&x, &y, &du);
	else
		gr_duration_in(&x, &y, unit, &du);
	gr_format_duration(&du, buf);
	CU_ASSERT_STRING_EQUAL(buf, want);
}

static void test_spans_across_daylight_saving(void)
{
	check_span("2017-10-28T23:00+02:00[Europe/Stockholm]", "2017-10-29T04:00+01:00[Europe/Stockholm]", -1, "PT6H");
	check_span("2017-10-29T04:00+01:00[Europe/Stockholm]", "2017-10-28T23:00+02:00[Europe/Stockholm]", -1, "PT-6H");
	check_span("2017-10-28T12:00+02:00[Europe/Stockholm]", "2017-10-29T12:00+01:00[Europe/Stockholm]", -1, "P1D");
	check_span("2017-10-28T12:00+02:00[Europe/Stockholm]", "2017-10-29T12:00+01:00[Europe/Stockholm]", GR_IN_SECONDS, "PT25H");
	/* a local datetime is taken in the other's zone */
	check_span("2017-10-29T00:00+02:00[Europe/Stockholm]", "2017-10-29T04:00", GR_IN_SECONDS, "PT5H");
	check_span("2017-10-29T00:00", "2017-10-29T04:00+01:00[Europe/Stockholm]", GR_IN_SECONDS, "PT5H");
	check_span("2017-10-29T00:00+02:00[Europe/Stockholm]", "2017-11-30T00:00", GR_IN_DAYS, "P32D");
	check_span("2017-10-29T00:00+02:00[Europe/Stockholm]", "2017-11-30T00:00", GR_IN_MONTHS, "P1M");
}

static void test_encoding_keeps_the_zone(void)
{
	gr_value v = { .type = GR_DATETIME }, back;
	gr_buf b = { 0 };
	const unsigned char *p;
	char tmp[128];

	v.u.dt = parse("2017-10-29T04:00+01:00[Europe/Stockholm]");
	CU_ASSERT_EQUAL_FATAL(gr_value_encode(&b, &v), 0);
	CU_ASSERT_EQUAL(b.b_data[0], GR_DATETIME_ZONE);
	p = b.b_data;
	CU_ASSERT_EQUAL_FATAL(gr_value_decode(&p, b.b_data + b.b_len, &back), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&v, &back), 1);
	gr_format_datetime(&back.u.dt, tmp);
	CU_ASSERT_STRING_EQUAL(tmp, "2017-10-29T04:00:00+01:00[Europe/Stockholm]");
	/* not the same value as the same instant with a bare offset */
	back.u.dt.dt_zone = 0;
	CU_ASSERT_EQUAL(gr_value_equal(&v, &back), 0);
	CU_ASSERT_NOT_EQUAL(gr_value_hash(&v), gr_value_hash(&back));
	/* a stored name that is no zone name, or cut short, is malformed */
	b.b_data[b.b_len - 3] = '.';
	b.b_data[b.b_len - 2] = '.';
	p = b.b_data;
	CU_ASSERT_EQUAL(gr_value_decode(&p, b.b_data + b.b_len, &back), -1);
	p = b.b_data;
	CU_ASSERT_EQUAL(gr_value_decode(&p, b.b_data + b.b_len - 4, &back), -1);
	gr_buf_free(&b);
}

/* A stored value may hold any seconds: printing, arithmetic and spans
 * on it must stay defined (the sanitizer build checks). */
static void test_extreme_stored_values(void)
{
	static const int64_t secs[] = { INT64_MAX, INT64_MIN, INT64_MAX / 2, -(INT64_MAX / 2), 0 };
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
		gr_buf b = { 0 };
		gr_value v;
		const unsigned char *p;
		gr_datetime r;
		gr_duration du = { 1, 1, 1, 1 };
		char tmp[128];
		CU_ASSERT_EQUAL_FATAL(gr_buf_byte(&b, GR_DATETIME_ZONE), 0);
		gr_buf_zigzag(&b, secs[i]);
		gr_buf_varint(&b, 0);
		gr_buf_zigzag(&b, 60);
		gr_buf_varint(&b, 16);
		gr_buf_put(&b, "Europe/Stockholm", 16);
		p = b.b_data;
		CU_ASSERT_EQUAL_FATAL(gr_value_decode(&p, b.b_data + b.b_len, &v), 0);
		gr_format_datetime(&v.u.dt, tmp);
		CU_ASSERT_PTR_NOT_NULL(strstr(tmp, "[Europe/Stockholm]"));
		int rc = gr_datetime_add(&v.u.dt, &du, 1, &r);
		CU_ASSERT_EQUAL(rc, secs[i] == 0 ? 0 : -1);
		gr_duration_between_datetimes(&v.u.dt, &v.u.dt, &du);
		gr_datetime local = { 0, 0, GR_TZ_NONE, 0 };
		gr_duration_in(&local, &v.u.dt, GR_IN_SECONDS, &du);
		gr_buf_free(&b);
	}
}

int test_tz_register(void)
{
	static const unit_test tests[] = {
		{"zone names", test_zone_names},
		{"unknown zone is an error", test_unknown_zone_is_an_error},
		{"offsets from the table", test_offsets_from_the_table},
		{"offsets from the POSIX rule", test_offsets_from_the_posix_rule},
		{"POSIX rule forms", test_posix_rule_forms},
		{"damaged and missing databases", test_damaged_and_missing_databases},
		{"wall clocks in gaps and overlaps", test_wall_clocks_in_gaps_and_overlaps},
		{"named zone text", test_named_zone_text},
		{"arithmetic across daylight saving", test_arithmetic_across_daylight_saving},
		{"spans across daylight saving", test_spans_across_daylight_saving},
		{"encoding keeps the zone", test_encoding_keeps_the_zone},
		{"extreme stored values", test_extreme_stored_values},
	};
	return unit_suite("tz", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
