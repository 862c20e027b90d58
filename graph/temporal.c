/*
 * temporal.c: the calendar behind GR_DATE, GR_DATETIME, GR_TIME and
 * GR_DURATION.
 *
 * Dates are days since 1970-01-01 in the proleptic Gregorian calendar;
 * datetimes are seconds and nanoseconds since the epoch with a fixed zone
 * offset (or none, for a local datetime, whose seconds then count wall-clock
 * time as if it were UTC); times are nanoseconds into the day on the wall
 * clock with the same kind of offset.  This file converts between day
 * numbers and year/month/day, parses and prints the ISO-8601 forms, and does Cypher's
 * temporal arithmetic with the semantics of openCypher as Neo4j implements
 * it: months are added first (clamping to the month's end), then days, then
 * seconds.  All intermediate arithmetic is done in 64 or 128 bits and checked,
 * so no input can cause signed overflow.
 */
#include "value.h"
#include "tz.h"

#include <stdio.h>
#include <string.h>

#define NANOS_PER_SEC 1000000000LL
#define SECS_PER_DAY 86400LL
#define AVG_MONTH_SECS 2629746LL   /* 365.2425 days / 12, as Neo4j */
#define MAX_OFFSET_MIN (18 * 60)
/* Years outside this range cannot give a day number that fits int32. */
#define YEAR_LIMIT 10000000LL

typedef __int128 i128;

/* ---- calendar ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_length(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && is_leap(y))
		return 29;
	return len[(m - 1) % 12];
}

/*
 * Days since 1970-01-01 of y-m-d, for |y| < YEAR_LIMIT and m in 1..12; d may
 * exceed the month (it counts on linearly).  The calendar repeats every 400
 * years (146097 days); inside an era, a year starting in March puts the leap
 * day last, so a day of the year is a simple function of the month.
 */
static int64_t days_from_civil64(int64_t y, unsigned m, int64_t d)
{
	int64_t yy = m <= 2 ? y - 1 : y;
	int64_t era = floor_div(yy, 400);
	int64_t yoe = yy - era * 400;                          /* 0..399 */
	int64_t mp = m > 2 ? m - 3 : m + 9;                    /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;    /* 0..146096 */
	return era * 146097 + doe - 719468;
}

/* The inverse, for any day number with |days| < 2^62 / 146097. */
static void civil_from_days64(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;                                  /* 0..146096 */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* 0..365 */
	int64_t mp = (5 * doy + 2) / 153;                                /* March = 0 */
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int32_t gr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t days;

	if (m < 1)
		m = 1;
	if (m > 12)
		m = 12;
	if (y >= YEAR_LIMIT)
		return INT32_MAX;
	if (y <= -YEAR_LIMIT)
		return INT32_MIN;
	days = days_from_civil64(y, m, d);
	if (days > INT32_MAX)
		return INT32_MAX;
	if (days < INT32_MIN)
		return INT32_MIN;
	return (int32_t)days;
}

void gr_civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d)
{
	civil_from_days64(days, y, m, d);
}

/* ---- parsing ---- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly n digits at s[*pos]. */
static int fixed_digits(const char *s, size_t len, size_t *pos, int n, int64_t *out)
{
	int64_t v = 0;
	int k;

	if (len - *pos < (size_t)n)
		return -1;
	for (k = 0; k < n; k++) {
		char c = s[*pos + k];
		if (!is_digit(c))
			return -1;
		v = v * 10 + (c - '0');
	}
	*pos += n;
	*out = v;
	return 0;
}

/* "YYYY-MM-DD" or "[+-]Y{4,9}-MM-DD" at s[*pos]; the day number. */
static int parse_date_part(const char *s, size_t len, size_t *pos, int64_t *days)
{
	int64_t y = 0, m, d;
	int neg = 0, ndig = 0;
	size_t i = *pos;

	if (i < len && (s[i] == '+' || s[i] == '-')) {
		neg = s[i] == '-';
		i++;
		while (i < len && is_digit(s[i]) && ndig < 10) {
			y = y * 10 + (s[i] - '0');
			i++;
			ndig++;
		}
		if (ndig < 4 || ndig > 9)
			return -1;
		if (neg)
			y = -y;
	} else {
		if (fixed_digits(s, len, &i, 4, &y) < 0)
			return -1;
	}
	if (i >= len || s[i] != '-')
		return -1;
	i++;
	if (fixed_digits(s, len, &i, 2, &m) < 0)
		return -1;
	if (i >= len || s[i] != '-')
		return -1;
	i++;
	if (fixed_digits(s, len, &i, 2, &d) < 0)
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > month_length(y, (unsigned)m))
		return -1;
	*days = days_from_civil64(y, (unsigned)m, d);
	if (*days < INT32_MIN || *days > INT32_MAX)
		return -1;
	*pos = i;
	return 0;
}

int gr_parse_date(const char *s, size_t len, int32_t *days)
{
	size_t pos = 0;
	int64_t d;

	if (s == NULL || parse_date_part(s, len, &pos, &d) < 0 || pos != len)
		return -1;
	*days = (int32_t)d;
	return 0;
}

/* "Z", "+hh:mm", "+hhmm", "+hh" (or '-'); minutes east of UTC. */
static int parse_zone(const char *s, size_t len, size_t *pos, int32_t *offset)
{
	size_t i = *pos;
	int64_t hh, mm = 0;
	int neg;

	if (i >= len)
		return -1;
	if (s[i] == 'Z') {
		*offset = 0;
		*pos = i + 1;
		return 0;
	}
	if (s[i] != '+' && s[i] != '-')
		return -1;
	neg = s[i] == '-';
	i++;
	if (fixed_digits(s, len, &i, 2, &hh) < 0)
		return -1;
	if (i < len && s[i] == ':') {
		i++;
		if (fixed_digits(s, len, &i, 2, &mm) < 0)
			return -1;
	} else if (i < len) {
		if (fixed_digits(s, len, &i, 2, &mm) < 0)
			return -1;
	}
	if (mm > 59 || hh * 60 + mm > MAX_OFFSET_MIN)
		return -1;
	*offset = (int32_t)(neg ? -(hh * 60 + mm) : hh * 60 + mm);
	*pos = i;
	return 0;
}

/* A time of day from s[pos] to the end: hh:mm[:ss[.fffffffff]] and an
 * optional zone offset (GR_TZ_NONE without one). */
static int parse_clock(const char *s, size_t len, size_t pos, int64_t *sod, int64_t *out_nanos, int32_t *out_offset)
{
	size_t i = pos;
	int64_t hh, mi, ss = 0, nanos = 0;
	int32_t offset = GR_TZ_NONE;

	if (fixed_digits(s, len, &i, 2, &hh) < 0 || i >= len || s[i] != ':')
		return -1;
	i++;
	if (fixed_digits(s, len, &i, 2, &mi) < 0)
		return -1;
	if (i < len && s[i] == ':') {
		i++;
		if (fixed_digits(s, len, &i, 2, &ss) < 0)
			return -1;
		if (i < len && (s[i] == '.' || s[i] == ',')) {
			int ndig = 0;
			i++;
			while (i < len && is_digit(s[i]) && ndig < 9) {
				nanos = nanos * 10 + (s[i] - '0');
				i++;
				ndig++;
			}
			if (ndig == 0 || (i < len && is_digit(s[i])))
				return -1;
			while (ndig++ < 9)
				nanos *= 10;
		}
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	if (i < len && parse_zone(s, len, &i, &offset) < 0)
		return -1;
	if (i != len)
		return -1;
	*sod = (hh * 60 + mi) * 60 + ss;
	*out_nanos = nanos;
	*out_offset = offset;
	return 0;
}

static int parse_datetime(const char *s, size_t len, gr_datetime *dt)
{
	size_t i = 0;
	int64_t days, sod, nanos;
	int32_t offset;

	if (s == NULL || parse_date_part(s, len, &i, &days) < 0)
		return -1;
	if (i >= len || s[i] != 'T')
		return -1;
	if (parse_clock(s, len, i + 1, &sod, &nanos, &offset) < 0)
		return -1;
	dt->dt_secs = days * SECS_PER_DAY + sod;
	if (offset != GR_TZ_NONE)
		dt->dt_secs -= (int64_t)offset * 60;
	dt->dt_nanos = (int32_t)nanos;
	dt->dt_offset = offset;
	dt->dt_zone = 0;
	return 0;
}

/* With a named zone, "...[Europe/Stockholm]", when the zone is known. */
int gr_parse_datetime(const char *s, size_t len, gr_datetime *dt)
{
	int rc;

	if (s == NULL)
		return -1;
	rc = gr_tz_parse_datetime(s, len, parse_datetime, dt, NULL, 0);
	return rc == 1 ? parse_datetime(s, len, dt) : rc == 0 ? 0 : -1;
}

int gr_parse_time(const char *s, size_t len, gr_time *tm)
{
	int64_t sod, nanos;
	int32_t offset;

	if (s == NULL || parse_clock(s, len, 0, &sod, &nanos, &offset) < 0)
		return -1;
	tm->tm_nanos = sod * NANOS_PER_SEC + nanos;
	tm->tm_offset = offset;
	return 0;
}

/*
 * Duration components.  Each may carry a sign and a fraction; a fraction
 * flows down to the smaller units the way Neo4j does it: a fraction of a
 * year into months, of a month into days and seconds (an average month of
 * 2629746 s), of a week into days, of a day into seconds.
 */
enum { DU_Y, DU_MO, DU_W, DU_D, DU_H, DU_MI, DU_S };

static int parse_number(const char *s, size_t len, size_t *pos, int *neg,
                        int64_t *ip, int64_t *fp)
{
	size_t i = *pos;
	int ndig = 0, nfrac = 0;

	*neg = 0;
	*ip = 0;
	*fp = 0;
	if (i < len && (s[i] == '-' || s[i] == '+')) {
		*neg = s[i] == '-';
		i++;
	}
	while (i < len && is_digit(s[i])) {
		if (ndig >= 18)
			return -1;
		*ip = *ip * 10 + (s[i] - '0');
		i++;
		ndig++;
	}
	if (ndig == 0)
		return -1;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < len && is_digit(s[i])) {
			if (nfrac < 9) {
				*fp = *fp * 10 + (s[i] - '0');
				nfrac++;
			}
			i++;
		}
		if (nfrac == 0)
			return -1;
		while (nfrac++ < 9)
			*fp *= 10;
	}
	*pos = i;
	return 0;
}

/* ISO 8601's alternative form of a duration, after the 'P': a date and
 * time of day's fields, "2012-02-02T14:37:21.545" (years, months, days,
 * hours, minutes, seconds).  Returns 0, or -1 when s is not one. */
static int parse_duration_alt(const char *s, size_t len, size_t i, int neg, gr_duration *du)
{
	int64_t y, mo, d, h = 0, mi = 0, sec = 0, nanos = 0;

	if (fixed_digits(s, len, &i, 4, &y) < 0 || i >= len || s[i++] != '-' ||
	    fixed_digits(s, len, &i, 2, &mo) < 0 || i >= len || s[i++] != '-' ||
	    fixed_digits(s, len, &i, 2, &d) < 0)
		return -1;
	if (i < len) {
		if (s[i++] != 'T' || fixed_digits(s, len, &i, 2, &h) < 0 || i >= len || s[i++] != ':' ||
		    fixed_digits(s, len, &i, 2, &mi) < 0 || i >= len || s[i++] != ':' ||
		    fixed_digits(s, len, &i, 2, &sec) < 0)
			return -1;
		if (i < len && (s[i] == '.' || s[i] == ',')) {
			int ndig = 0;
			for (i++; i < len && is_digit(s[i]) && ndig < 9; i++, ndig++)
				nanos = nanos * 10 + (s[i] - '0');
			if (ndig == 0)
				return -1;
			while (ndig++ < 9)
				nanos *= 10;
		}
	}
	if (i != len || mo > 12 || d > 31 || h > 24 || mi > 59 || sec > 59)
		return -1;
	du->du_months = (y * 12 + mo) * (neg ? -1 : 1);
	du->du_days = neg ? -d : d;
	du->du_secs = (h * 3600 + mi * 60 + sec) * (neg ? -1 : 1);
	du->du_nanos = (int32_t)nanos;
	if (neg && nanos > 0) {
		du->du_secs -= 1;
		du->du_nanos = (int32_t)(NANOS_PER_SEC - nanos);
	}
	return 0;
}

int gr_parse_duration(const char *s, size_t len, gr_duration *du)
{
	size_t i = 0;
	int neg_all = 0, in_time = 0, last = -1, any = 0;
	i128 months = 0, days = 0, nanos = 0, secs;

	if (s == NULL)
		return -1;
	if (i < len && (s[i] == '-' || s[i] == '+')) {
		neg_all = s[i] == '-';
		i++;
	}
	if (i >= len || s[i] != 'P')
		return -1;
	i++;
	if (len - i >= 10 && is_digit(s[i]) && s[i + 4] == '-')
		return parse_duration_alt(s, len, i, neg_all, du);
	while (i < len) {
		int neg, unit;
		int64_t ip, fp;
		i128 sg, frac_days;

		if (s[i] == 'T') {
			if (in_time)
				return -1;
			in_time = 1;
			i++;
			if (i >= len)
				return -1;
			continue;
		}
		if (parse_number(s, len, &i, &neg, &ip, &fp) < 0 || i >= len)
			return -1;
		switch (s[i]) {
		case 'Y': unit = in_time ? -1 : DU_Y; break;
		case 'M': unit = in_time ? DU_MI : DU_MO; break;
		case 'W': unit = in_time ? -1 : DU_W; break;
		case 'D': unit = in_time ? -1 : DU_D; break;
		case 'H': unit = in_time ? DU_H : -1; break;
		case 'S': unit = in_time ? DU_S : -1; break;
		default: unit = -1; break;
		}
		if (unit < 0 || unit <= last)
			return -1;
		last = unit;
		any = 1;
		i++;
		sg = neg ? -1 : 1;
		switch (unit) {
		case DU_Y:
			months += sg * ((i128)ip * 12 + (i128)fp * 12 / NANOS_PER_SEC);
			/* what is left is a fraction of a month */
			fp = (int64_t)(((i128)fp * 12) % NANOS_PER_SEC);
			/* fall through */
		case DU_MO:
			if (unit == DU_MO)
				months += sg * ip;
			/* fp months in 1e-9 units = fp * AVG_MONTH_SECS nanoseconds */
			frac_days = (i128)fp * AVG_MONTH_SECS / (SECS_PER_DAY * NANOS_PER_SEC);
			days += sg * frac_days;
			nanos += sg * ((i128)fp * AVG_MONTH_SECS - frac_days * SECS_PER_DAY * NANOS_PER_SEC);
			break;
		case DU_W:
			days += sg * ((i128)ip * 7 + (i128)fp * 7 / NANOS_PER_SEC);
			nanos += sg * ((((i128)fp * 7) % NANOS_PER_SEC) * SECS_PER_DAY);
			break;
		case DU_D:
			days += sg * ip;
			nanos += sg * ((i128)fp * SECS_PER_DAY);
			break;
		case DU_H:
			nanos += sg * ((i128)ip * 3600 * NANOS_PER_SEC + (i128)fp * 3600);
			break;
		case DU_MI:
			nanos += sg * ((i128)ip * 60 * NANOS_PER_SEC + (i128)fp * 60);
			break;
		case DU_S:
			nanos += sg * ((i128)ip * NANOS_PER_SEC + fp);
			break;
		}
	}
	if (!any || (in_time && last < DU_H))
		return -1;
	if (neg_all) {
		months = -months;
		days = -days;
		nanos = -nanos;
	}
	secs = nanos / NANOS_PER_SEC;
	nanos %= NANOS_PER_SEC;
	if (nanos < 0) {
		nanos += NANOS_PER_SEC;
		secs -= 1;
	}
	if (months > INT64_MAX || months < INT64_MIN || days > INT64_MAX ||
	    days < INT64_MIN || secs > INT64_MAX || secs < INT64_MIN)
		return -1;
	du->du_months = (int64_t)months;
	du->du_days = (int64_t)days;
	du->du_secs = (int64_t)secs;
	du->du_nanos = (int32_t)nanos;
	return 0;
}

/* ---- formatting ---- */

/* "-mm" or ":mm" and the like: a separator and two digits. */
static size_t put2(char *buf, char sep, unsigned v)
{
	buf[0] = sep;
	return 1 + gr_fmt_uint(buf + 1, v % 100, 2);
}

/* yyyy-mm-dd; a year past 9999 with '+', before year 0 with '-'. */
static size_t format_year_date(int64_t y, unsigned m, unsigned d, char *buf)
{
	size_t n = 0;
	if (y > 9999)
		buf[n++] = '+';
	else if (y < 0)
		buf[n++] = '-';
	n += gr_fmt_uint(buf + n, y < 0 ? -(uint64_t)y : (uint64_t)y, 4);
	n += put2(buf + n, '-', m);
	return n + put2(buf + n, '-', d);
}

size_t gr_format_date(int32_t days, char *buf)
{
	int64_t y;
	unsigned m, d;

	civil_from_days64(days, &y, &m, &d);
	return format_year_date(y, m, d, buf);
}

/* Appends ".fffffffff" with trailing zeros trimmed, or nothing for 0. */
static size_t format_fraction(int64_t nanos, char *buf)
{
	int n;
	if (nanos == 0)
		return 0;
	buf[0] = '.';
	n = 1 + (int)gr_fmt_uint(buf + 1, (uint64_t)nanos, 9);
	while (buf[n - 1] == '0')
		n--;
	buf[n] = '\0';
	return (size_t)n;
}

/* A time of day and its zone offset; short_secs drops ":00" seconds (with
 * no fraction), the form openCypher and Neo4j print ("12:31Z"). */
static size_t format_time(const gr_time *tm, char *buf, int short_secs)
{
	int64_t nod = tm->tm_nanos, sod, nanos;
	int32_t off = tm->tm_offset;
	size_t n;

	if (nod < 0 || nod >= GR_NANOS_PER_DAY)
		nod = 0;
	sod = nod / NANOS_PER_SEC;
	nanos = nod % NANOS_PER_SEC;
	n = gr_fmt_uint(buf, (uint64_t)(sod / 3600), 2);
	n += put2(buf + n, ':', (unsigned)(sod / 60 % 60));
	if (!short_secs || sod % 60 != 0 || nanos != 0)
		n += put2(buf + n, ':', (unsigned)(sod % 60));
	n += format_fraction(nanos, buf + n);
	if (off == GR_TZ_NONE) {
		buf[n] = '\0';
	} else if (off == 0) {
		buf[n++] = 'Z';
		buf[n] = '\0';
	} else {
		int a = off < 0 ? -off : off;
		n += put2(buf + n, off < 0 ? '-' : '+', (unsigned)(a / 60 % 100));
		n += put2(buf + n, ':', (unsigned)(a % 60));
	}
	return n;
}

size_t gr_format_time(const gr_time *tm, char *buf)
{
	return format_time(tm, buf, 0);
}

size_t gr_format_time_short(const gr_time *tm, char *buf)
{
	return format_time(tm, buf, 1);
}

/* A datetime: its local date, 'T', its clock as format_time writes it
 * (short_secs the same), and the name of its zone if it has one. */
static size_t format_datetime(const gr_datetime *dt, char *buf, int short_secs)
{
	i128 local = dt->dt_secs;
	int64_t days, sod, y;
	unsigned m, d;
	size_t n;
	int32_t off = dt->dt_offset;
	int64_t nanos = dt->dt_nanos;

	if (nanos < 0 || nanos >= NANOS_PER_SEC)
		nanos = 0;
	if (off != GR_TZ_NONE)
		local += (i128)off * 60;
	/* Keep the day number within what civil_from_days64 handles. */
	days = (int64_t)(local / SECS_PER_DAY);
	sod = (int64_t)(local % SECS_PER_DAY);
	if (sod < 0) {
		sod += SECS_PER_DAY;
		days -= 1;
	}
	civil_from_days64(days, &y, &m, &d);
	n = format_year_date(y, m, d, buf);
	buf[n++] = 'T';
	n += format_time(&(gr_time){ sod * NANOS_PER_SEC + nanos, off }, buf + n, short_secs);
	if (off != GR_TZ_NONE && dt->dt_zone != 0)
		n += (size_t)sprintf(buf + n, "[%s]", gr_tz_name(dt->dt_zone));
	return n;
}

size_t gr_format_datetime(const gr_datetime *dt, char *buf)
{
	return format_datetime(dt, buf, 0);
}

size_t gr_format_datetime_short(const gr_datetime *dt, char *buf)
{
	return format_datetime(dt, buf, 1);
}

static size_t put_component(char *buf, int neg, uint64_t v, char unit)
{
	if (v == 0)
		return 0;
	return (size_t)sprintf(buf, "%s%llu%c", neg ? "-" : "", (unsigned long long)v, unit);
}

/*
 * As Neo4j prints a duration: years and months from the months, days, then
 * hours, minutes and seconds from the seconds; each component carries its
 * own sign; "PT0S" when all are zero.  The output is cut at 63 bytes, which
 * only durations of more than 10^15 years can reach.
 */
size_t gr_format_duration(const gr_duration *du, char *buf)
{
	char tmp[160];
	size_t n = 0;
	int64_t mo = du->du_months, nanos = du->du_nanos;
	uint64_t amo, years, rest, asecs, h, mi, s, anan;
	int neg;

	if (nanos < 0 || nanos >= NANOS_PER_SEC)
		nanos = 0;
	if (mo == 0 && du->du_days == 0 && du->du_secs == 0 && nanos == 0) {
		strcpy(buf, "PT0S");
		return 4;
	}
	tmp[n++] = 'P';
	neg = mo < 0;
	amo = neg ? (uint64_t)0 - (uint64_t)mo : (uint64_t)mo;
	years = amo / 12;
	rest = amo % 12;
	n += put_component(tmp + n, neg, years, 'Y');
	n += put_component(tmp + n, neg, rest, 'M');
	neg = du->du_days < 0;
	n += put_component(tmp + n, neg, neg ? (uint64_t)0 - (uint64_t)du->du_days
	                                     : (uint64_t)du->du_days, 'D');
	if (du->du_secs != 0 || nanos != 0) {
		/* The signed quantity secs + nanos/1e9, as a sign and magnitude. */
		if (du->du_secs < 0) {
			neg = 1;
			asecs = (uint64_t)0 - (uint64_t)du->du_secs;
			if (nanos > 0) {
				asecs -= 1;
				anan = (uint64_t)(NANOS_PER_SEC - nanos);
			} else {
				anan = 0;
			}
		} else {
			neg = 0;
			asecs = (uint64_t)du->du_secs;
			anan = (uint64_t)nanos;
		}
		tmp[n++] = 'T';
		h = asecs / 3600;
		mi = asecs / 60 % 60;
		s = asecs % 60;
		n += put_component(tmp + n, neg, h, 'H');
		n += put_component(tmp + n, neg, mi, 'M');
		if (s != 0 || anan != 0) {
			n += (size_t)sprintf(tmp + n, "%s%llu", neg ? "-" : "", (unsigned long long)s);
			n += format_fraction((int64_t)anan, tmp + n);
			tmp[n++] = 'S';
		}
	}
	tmp[n] = '\0';
	if (n > 63)
		n = 63;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

/* ---- arithmetic ---- */

/* days + sign * (months, then days, then whole days of secs); 64-bit day
 * numbers, checked against the int32 range of a date. */
static int add_months_days(int64_t day, const gr_duration *du, int sign, int whole_days_of_secs,
                           int64_t *out)
{
	int64_t y;
	unsigned m, d, mlen;
	i128 total, r;

	if (day < INT32_MIN || day > INT32_MAX)
		return -1;
	civil_from_days64(day, &y, &m, &d);
	if (du->du_months != 0) {
		total = (i128)y * 12 + (m - 1) + (i128)sign * du->du_months;
		if (total >= (i128)YEAR_LIMIT * 12 || total <= -(i128)YEAR_LIMIT * 12)
			return -1;
		y = floor_div((int64_t)total, 12);
		m = (unsigned)floor_mod((int64_t)total, 12) + 1;
		mlen = month_length(y, m);
		if (d > mlen)
			d = mlen;
	}
	r = (i128)days_from_civil64(y, m, d) + (i128)sign * du->du_days;
	if (whole_days_of_secs)
		r += (i128)sign * (du->du_secs / SECS_PER_DAY);
	if (r < INT32_MIN || r > INT32_MAX)
		return -1;
	*out = (int64_t)r;
	return 0;
}

int gr_date_add(int32_t days, const gr_duration *du, int sign, int32_t *out)
{
	int64_t r;

	if (add_months_days(days, du, sign < 0 ? -1 : 1, 1, &r) < 0)
		return -1;
	*out = (int32_t)r;
	return 0;
}

int gr_datetime_add(const gr_datetime *dt, const gr_duration *du, int sign, gr_datetime *out)
{
	i128 local = dt->dt_secs, nanos;
	int64_t day, sod, nday;
	int32_t off = dt->dt_offset;

	sign = sign < 0 ? -1 : 1;
	if (off != GR_TZ_NONE && dt->dt_zone != 0)
		return gr_tz_datetime_add(dt, du, sign, out);
	if (off != GR_TZ_NONE)
		local += (i128)off * 60;
	if (local / SECS_PER_DAY > INT32_MAX || local / SECS_PER_DAY < INT32_MIN)
		return -1;
	day = (int64_t)(local / SECS_PER_DAY);
	sod = (int64_t)(local % SECS_PER_DAY);
	if (sod < 0) {
		sod += SECS_PER_DAY;
		day -= 1;
	}
	if (add_months_days(day, du, sign, 0, &nday) < 0)
		return -1;
	nanos = (i128)dt->dt_nanos + (i128)sign * du->du_nanos;
	local = (i128)nday * SECS_PER_DAY + sod + (i128)sign * du->du_secs;
	if (nanos < 0) {
		nanos += NANOS_PER_SEC;
		local -= 1;
	} else if (nanos >= NANOS_PER_SEC) {
		nanos -= NANOS_PER_SEC;
		local += 1;
	}
	if (local / SECS_PER_DAY > INT32_MAX || local / SECS_PER_DAY < INT32_MIN)
		return -1;
	if (off != GR_TZ_NONE)
		local -= (i128)off * 60;
	out->dt_secs = (int64_t)local;
	out->dt_nanos = (int32_t)nanos;
	out->dt_offset = off;
	out->dt_zone = 0;
	return 0;
}

void gr_time_add(const gr_time *tm, const gr_duration *du, int sign, gr_time *out)
{
	/* Only the remainder of a day matters, so the sum cannot overflow
	 * (% rather than floor_mod, whose product overflows for INT64_MIN). */
	int64_t rem = du->du_secs % SECS_PER_DAY;
	int64_t delta = (rem < 0 ? rem + SECS_PER_DAY : rem) * NANOS_PER_SEC + du->du_nanos;

	if (sign < 0)
		delta = -delta;
	out->tm_nanos = floor_mod(tm->tm_nanos + delta, GR_NANOS_PER_DAY);
	out->tm_offset = tm->tm_offset;
}

int64_t gr_time_utc_nanos(const gr_time *tm)
{
	if (tm->tm_offset == GR_TZ_NONE)
		return tm->tm_nanos;
	return tm->tm_nanos - (int64_t)tm->tm_offset * 60 * NANOS_PER_SEC;
}

/* A wall-clock instant: day number and nanoseconds into the day. */
typedef struct local_time {
	int64_t lt_day;
	int64_t lt_nod;
} local_time;

/* Whole months from date a to date b, as java.time counts them: truncated
 * toward zero, a month complete when the day of month is reached. */
static int64_t months_until(int64_t a, int64_t b)
{
	int64_t ya, yb;
	unsigned ma, da, mb, db;
	int64_t pa, pb;

	civil_from_days64(a, &ya, &ma, &da);
	civil_from_days64(b, &yb, &mb, &db);
	pa = (ya * 12 + ma - 1) * 32 + da;
	pb = (yb * 12 + mb - 1) * 32 + db;
	return (pb - pa) / 32;
}

/* The date to count whole units to: one day less (more) when b's time of
 * day has not yet reached a's, so that the remainder stays signed like the
 * whole. */
static int64_t end_date(const local_time *a, const local_time *b)
{
	if (b->lt_day > a->lt_day && b->lt_nod < a->lt_nod)
		return b->lt_day - 1;
	if (b->lt_day < a->lt_day && b->lt_nod > a->lt_nod)
		return b->lt_day + 1;
	return b->lt_day;
}

static void between_local(local_time a, const local_time *b, gr_duration *out)
{
	int64_t months, days, nday;
	i128 nanos, secs;
	gr_duration m = {0, 0, 0, 0};

	months = months_until(a.lt_day, end_date(&a, b));
	m.du_months = months;
	if (add_months_days(a.lt_day, &m, 1, 0, &nday) < 0)
		nday = a.lt_day;   /* cannot happen for dates in range */
	a.lt_day = nday;
	days = end_date(&a, b) - a.lt_day;
	a.lt_day += days;
	nanos = (i128)(b->lt_day - a.lt_day) * SECS_PER_DAY * NANOS_PER_SEC + (b->lt_nod - a.lt_nod);
	secs = nanos / NANOS_PER_SEC;
	nanos %= NANOS_PER_SEC;
	if (nanos < 0) {
		nanos += NANOS_PER_SEC;
		secs -= 1;
	}
	out->du_months = months;
	out->du_days = days;
	out->du_secs = (int64_t)secs;
	out->du_nanos = (int32_t)nanos;
}

void gr_duration_between_dates(int32_t a, int32_t b, gr_duration *out)
{
	local_time la = {a, 0}, lb = {b, 0};
	between_local(la, &lb, out);
}

/* Wall-clock time of dt in the zone `off` (GR_TZ_NONE: its own wall clock). */
static local_time to_local(const gr_datetime *dt, int32_t off)
{
	local_time lt;
	i128 s = dt->dt_secs;
	int64_t sod;

	if (off != GR_TZ_NONE)
		s += (i128)off * 60;
	lt.lt_day = (int64_t)(s / SECS_PER_DAY);
	sod = (int64_t)(s % SECS_PER_DAY);
	if (sod < 0) {
		sod += SECS_PER_DAY;
		lt.lt_day -= 1;
	}
	lt.lt_nod = sod * NANOS_PER_SEC + dt->dt_nanos;
	return lt;
}

/*
 * Between two zoned datetimes, b is first moved to a's offset (the same
 * instant), as java.time does; when either is local, the two wall clocks
 * are compared as they read.
 */
/* The two wall clocks that between compares; -1 when out of range. */
static int local_pair(const gr_datetime *a, const gr_datetime *b, local_time *la, local_time *lb)
{
	if (a->dt_offset == GR_TZ_NONE || b->dt_offset == GR_TZ_NONE) {
		*la = to_local(a, a->dt_offset);
		*lb = to_local(b, b->dt_offset);
	} else {
		*la = to_local(a, a->dt_offset);
		*lb = to_local(b, a->dt_offset);
	}
	/* Datetimes beyond the date range cannot be made by this module; keep
	 * months_until's arithmetic safe for any that are. */
	if (la->lt_day < INT32_MIN || la->lt_day > INT32_MAX ||
	    lb->lt_day < INT32_MIN || lb->lt_day > INT32_MAX)
		return -1;
	return 0;
}

void gr_duration_between_datetimes(const gr_datetime *a, const gr_datetime *b, gr_duration *out)
{
	local_time la, lb;
	gr_datetime za, zb;

	if (gr_tz_between_pair(a, b, &za, &zb)) {
		gr_tz_between(&za, &zb, -1, out);
		return;
	}
	if (local_pair(a, b, &la, &lb) < 0) {
		memset(out, 0, sizeof *out);
		return;
	}
	between_local(la, &lb, out);
}

/*
 * duration.inMonths, inDays and inSeconds: the same span as between, in one
 * unit, truncated toward zero (Neo4j's semantics, the TCK's Temporal10):
 * whole months of between; whole days of the total time; all the time in
 * seconds (shown as hours, minutes and seconds).
 */
void gr_duration_in(const gr_datetime *a, const gr_datetime *b, int unit, gr_duration *out)
{
	local_time la, lb;
	i128 nanos;
	gr_datetime za, zb;

	if (gr_tz_between_pair(a, b, &za, &zb)) {
		gr_tz_between(&za, &zb, unit, out);
		return;
	}
	memset(out, 0, sizeof *out);
	if (local_pair(a, b, &la, &lb) < 0)
		return;
	if (unit == GR_IN_MONTHS) {
		between_local(la, &lb, out);
		out->du_days = out->du_secs = out->du_nanos = 0;
		return;
	}
	nanos = (i128)(lb.lt_day - la.lt_day) * SECS_PER_DAY * NANOS_PER_SEC + (lb.lt_nod - la.lt_nod);
	if (unit == GR_IN_DAYS) {
		out->du_days = (int64_t)(nanos / ((i128)SECS_PER_DAY * NANOS_PER_SEC));
		return;
	}
	out->du_secs = (int64_t)(nanos / NANOS_PER_SEC);
	nanos %= NANOS_PER_SEC;
	if (nanos < 0) {
		nanos += NANOS_PER_SEC;
		out->du_secs -= 1;
	}
	out->du_nanos = (int32_t)nanos;
}
