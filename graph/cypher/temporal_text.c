/*
 * temporal_text.c: the ISO-8601 forms that date(), datetime() and
 * localdatetime() accept in a query beyond the extended calendar form that
 * the store and importers read (graph/temporal.c): basic forms without
 * separators (20150721, T214032), reduced precision (2015-07, 2015, T21),
 * week dates (2015-W30-2, 2015W302, 2015-W30) and ordinal dates (2015-202,
 * 2015202), and zones as +hh, +hhmm or +hh:mm.
 *
 * These stay out of gr_parse_date: on the command line and in imported
 * files, "2015" or "201507" is a string, not a date.
 */
#include <ctype.h>
#include <string.h>

#include "engine.h"

/* Reads exactly n digits at *p (before end). Returns 0, or -1. */
static int digits(const char **p, const char *end, int n, int64_t *out)
{
	int64_t v = 0;
	if (end - *p < n)
		return -1;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int64_t weekday_of(int64_t days)
{
	int64_t r = (days + 3) % 7;
	if (r < 0)
		r += 7;
	return r + 1;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Week date: p points after the 'W'. */
static int week_date(const char *p, const char *end, int64_t y, int sep, int32_t *days)
{
	int64_t w, d = 1;
	if (digits(&p, end, 2, &w) < 0 || w < 1 || w > 53)
		return -1;
	if (p < end) {
		if (sep && *p++ != '-')
			return -1;
		if (digits(&p, end, 1, &d) < 0 || d < 1 || d > 7 || p != end)
			return -1;
	}
	int64_t jan4 = gr_days_from_civil(y, 1, 4);
	int64_t r = jan4 - weekday_of(jan4) + 1 + (w - 1) * 7 + (d - 1);
	if (w == 53) {
		/* only years whose week-year has 53 weeks */
		int64_t next = gr_days_from_civil(y + 1, 1, 4);
		if (r - (d - 1) >= next - weekday_of(next) + 1)
			return -1;
	}
	*days = (int32_t)r;
	return 0;
}

int cy_parse_date_text(const char *s, size_t len, int32_t *days)
{
	const char *p = s, *end = s + len;
	int64_t y, m = 1, d = 1;
	int sep;

	if (digits(&p, end, 4, &y) < 0)
		return -1;
	if (p == end)
		goto civil;
	sep = *p == '-';
	p += sep;
	if (p < end && *p == 'W')
		return week_date(p + 1, end, y, sep, days);
	if (end - p == 3) {
		int64_t od;
		if (digits(&p, end, 3, &od) < 0 || od < 1 || od > 365 + is_leap(y))
			return -1;
		*days = gr_days_from_civil(y, 1, 1) + (int32_t)(od - 1);
		return 0;
	}
	if (digits(&p, end, 2, &m) < 0)
		return -1;
	if (p < end) {
		if (sep && *p++ != '-')
			return -1;
		if (digits(&p, end, 2, &d) < 0 || p != end)
			return -1;
	}
civil:
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	{
		int32_t r = gr_days_from_civil(y, (unsigned)m, (unsigned)d);
		int64_t yy;
		unsigned mm, dd;
		gr_civil_from_days(r, &yy, &mm, &dd);
		if ((int64_t)mm != m || (int64_t)dd != d)
			return -1;
		*days = r;
	}
	return 0;
}

/* A zone suffix: Z, +hh, +hhmm, +hh:mm. Returns 0, or -1. */
static int zone_text(const char *p, const char *end, int32_t *off)
{
	int64_t h, m = 0;
	int sign;
	if (end - p == 1 && *p == 'Z') {
		*off = 0;
		return 0;
	}
	if (p == end || (*p != '+' && *p != '-'))
		return -1;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, end, 2, &h) < 0)
		return -1;
	if (p < end) {
		if (*p == ':')
			p++;
		if (digits(&p, end, 2, &m) < 0 || p != end)
			return -1;
	}
	if (h > 18 || m > 59 || h * 60 + m > 18 * 60)
		return -1;
	*off = (int32_t)(sign * (h * 60 + m));
	return 0;
}

/* A time of day hh[:mm[:ss[.fffffffff]]] or hh[mm[ss[.f]]], then an
 * optional zone.  *off is GR_TZ_NONE without one. */
static int time_text(const char *p, const char *end, int64_t *sod, int64_t *nanos, int32_t *off)
{
	int64_t h, m = 0, sec = 0, ns = 0;
	const char *z = p;
	while (z < end && *z != 'Z' && *z != '+' && *z != '-')
		z++;
	*off = GR_TZ_NONE;
	if (z < end && zone_text(z, end, off) < 0)
		return -1;
	if (digits(&p, z, 2, &h) < 0)
		return -1;
	if (p < z) {
		int sep = *p == ':';
		p += sep;
		if (digits(&p, z, 2, &m) < 0)
			return -1;
		if (p < z) {
			if (sep && *p++ != ':')
				return -1;
			if (digits(&p, z, 2, &sec) < 0)
				return -1;
			if (p < z) {
				int n = 0;
				if (*p != '.' && *p != ',')
					return -1;
				for (p++; p < z && isdigit((unsigned char)*p); p++, n++)
					if (n < 9)
						ns = ns * 10 + (*p - '0');
				if (n == 0 || p != z)
					return -1;
				for (; n < 9; n++)
					ns *= 10;
			}
		}
	}
	if (h > 23 || m > 59 || sec > 59)
		return -1;
	*sod = h * 3600 + m * 60 + sec;
	*nanos = ns;
	return 0;
}

int cy_parse_time_text(const char *s, size_t len, gr_time *tm)
{
	int64_t sod, nanos;
	if (time_text(s, s + len, &sod, &nanos, &tm->tm_offset) < 0)
		return -1;
	tm->tm_nanos = sod * 1000000000LL + nanos;
	return 0;
}

int cy_parse_datetime_text(const char *s, size_t len, gr_datetime *dt)
{
	const char *t = memchr(s, 'T', len), *end = s + len;
	int32_t days;
	int64_t sod = 0, nanos = 0;
	int32_t off = GR_TZ_NONE;

	if (cy_parse_date_text(s, t ? (size_t)(t - s) : len, &days) < 0)
		return -1;
	if (t && time_text(t + 1, end, &sod, &nanos, &off) < 0)
		return -1;
	dt->dt_secs = (int64_t)days * 86400 + sod - (off == GR_TZ_NONE ? 0 : (int64_t)off * 60);
	dt->dt_nanos = (int32_t)nanos;
	dt->dt_offset = off;
	return 0;
}
