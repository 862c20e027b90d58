/*
 * func.c: the scalar functions of the query language (the function table
 * itself is sema.c's): graph functions (id, labels, type, keys, properties,
 * sources ...), lists, strings, numbers, conversions, and the temporal
 * constructors and accessors (date, datetime, duration, duration.between,
 * d.year, dur.days ...).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "engine.h"
#include "ascii.h"

const char *cy_type_name(const gr_value *v);

#define FAIL_TYPE(c, e, i, what, v) \
	cy_fail((c), (e)->a[(i)]->src, "type mismatch: %s() expects %s but was %s", \
	    (e)->fn->fn_name, (what), cy_type_name(v))

static int is_num(const gr_value *v)
{
	return v->type == GR_INT || v->type == GR_FLOAT;
}

static double num(const gr_value *v)
{
	return v->type == GR_INT ? (double)v->u.i : v->u.f;
}

static int take_string(cy_ctx *c, gr_buf *b, gr_value *out)
{
	if (gr_buf_byte(b, 0) < 0) {
		gr_buf_free(b);
		return cy_nomem(c);
	}
	*out = gr_string_own((char *)b->b_data, b->b_len - 1);
	return 0;
}

/* ---- the clock ---- */

void cy_now(cy_ctx *c, gr_datetime *dt)
{
	if (!c->have_now) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		c->now.dt_secs = ts.tv_sec;
		c->now.dt_nanos = (int32_t)ts.tv_nsec;
		c->now.dt_offset = 0;
		c->have_now = 1;
	}
	*dt = c->now;
}

void cy_clock_now(cy_ctx *c, int realtime, gr_datetime *dt)
{
	if (realtime) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		*dt = (gr_datetime){ ts.tv_sec, (int32_t)ts.tv_nsec, 0, 0 };
	} else {
		cy_now(c, dt);
	}
}

/* date.statement([zone]), datetime.realtime([zone]) ...: the clock of the
 * statement (one instant for the whole statement; a statement is its own
 * transaction here), or the wall clock for .realtime, in a zone. */
static int parse_zone(const char *s, int32_t *off);

static int fn_clock(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	gr_datetime now;
	int32_t off = 0;
	int64_t local;
	uint16_t zone = 0;

	if (n > 0 && args[0].type == GR_NULL)
		return 0;
	if (n > 0 && args[0].type != GR_STRING)
		return FAIL_TYPE(c, e, 0, "a time zone string", &args[0]);
	if (n > 0 && parse_zone(args[0].u.s.ptr, &off) < 0 &&
	    cy_zone_find(c, e->a[0]->src, args[0].u.s.ptr, &zone) < 0)
		return -1;
	cy_clock_now(c, strstr(e->fn->fn_name, ".realtime") != NULL, &now);
	if (zone && cy_zone_instant(c, e->src, zone, &now) < 0)
		return -1;
	if (zone)
		off = now.dt_offset;
	local = now.dt_secs + (int64_t)off * 60;
	if (e->op == CY_F_CLOCK_DATE) {
		*out = gr_date((int32_t)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400)));
		return 0;
	}
	out->type = GR_DATETIME;
	out->u.dt = now;
	if (e->op == CY_F_CLOCK_LOCALDATETIME) {
		out->u.dt.dt_secs = local;
		out->u.dt.dt_offset = GR_TZ_NONE;
	} else {
		out->u.dt.dt_offset = off;
	}
	return 0;
}

static int64_t floordiv(int64_t a, int64_t b);
static int64_t floormod(int64_t a, int64_t b);

/* datetime.fromepoch(seconds, nanoseconds), datetime.fromepochmillis(ms):
 * a UTC datetime. */
static int fn_fromepoch(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	int64_t secs, nanos = 0;
	for (size_t i = 0; i < n; i++) {
		if (args[i].type == GR_NULL)
			return 0;
		if (args[i].type != GR_INT)
			return FAIL_TYPE(c, e, i, "an integer", &args[i]);
	}
	if (e->op == CY_F_FROMEPOCHMILLIS) {
		secs = floordiv(args[0].u.i, 1000);
		nanos = floormod(args[0].u.i, 1000) * 1000000;
	} else {
		if (args[1].u.i < 0 || args[1].u.i > 999999999)
			return cy_fail(c, e->a[1]->src, "%s(): nanoseconds must be from 0 to 999999999", e->fn->fn_name);
		secs = args[0].u.i;
		nanos = args[1].u.i;
	}
	out->type = GR_DATETIME;
	out->u.dt = (gr_datetime){ secs, (int32_t)nanos, 0, 0 };
	return 0;
}

/* ---- temporal fields ---- */

static int64_t floordiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t floormod(int64_t a, int64_t b)
{
	return a - floordiv(a, b) * b;
}

/* ISO weekday 1 (Monday) .. 7 of a day number (1970-01-01 was a Thursday). */
static int weekday(int64_t days)
{
	return (int)floormod(days + 3, 7) + 1;
}

static void iso_week(int32_t days, int64_t *wyear, int *week)
{
	int64_t y;
	unsigned m, d;
	/* the Thursday of this week decides the year */
	int64_t thu = days - weekday(days) + 4;
	gr_civil_from_days((int32_t)thu, &y, &m, &d);
	*wyear = y;
	*week = (int)((thu - gr_days_from_civil(y, 1, 1)) / 7) + 1;
}

static int date_field(int32_t days, const char *k, gr_value *out)
{
	int64_t y;
	unsigned m, d;
	gr_civil_from_days(days, &y, &m, &d);
	if (!strcmp(k, "year"))
		*out = gr_int(y);
	else if (!strcmp(k, "month"))
		*out = gr_int(m);
	else if (!strcmp(k, "day"))
		*out = gr_int(d);
	else if (!strcmp(k, "quarter"))
		*out = gr_int((m - 1) / 3 + 1);
	else if (!strcmp(k, "dayOfWeek") || !strcmp(k, "weekDay"))
		*out = gr_int(weekday(days));
	else if (!strcmp(k, "ordinalDay"))
		*out = gr_int(days - gr_days_from_civil(y, 1, 1) + 1);
	else if (!strcmp(k, "dayOfQuarter"))
		*out = gr_int(days - gr_days_from_civil(y, ((m - 1) / 3) * 3 + 1, 1) + 1);
	else if (!strcmp(k, "week") || !strcmp(k, "weekYear")) {
		int64_t wy;
		int w;
		iso_week(days, &wy, &w);
		*out = gr_int(!strcmp(k, "week") ? w : wy);
	} else
		return 0;
	return 1;
}

int cy_temporal_field(const gr_value *v, const char *k, gr_value *out)
{
	if (v->type == GR_TIME)
		return cy_time_field(v, k, out);
	if (v->type == GR_DATE)
		return date_field(v->u.date, k, out);
	if (v->type == GR_DATETIME) {
		const gr_datetime *dt = &v->u.dt;
		int64_t local = dt->dt_secs + (dt->dt_offset == GR_TZ_NONE ? 0 : (int64_t)dt->dt_offset * 60);
		int64_t day = floordiv(local, 86400), sod = floormod(local, 86400);
		if (date_field((int32_t)day, k, out))
			return 1;
		if (cy_clock_field(sod * 1000000000 + dt->dt_nanos, k, out))
			return 1;
		if (dt->dt_offset == GR_TZ_NONE)
			return 0;
		if (!strcmp(k, "epochSeconds"))
			*out = gr_int(dt->dt_secs);
		else if (!strcmp(k, "epochMillis"))
			*out = gr_int(dt->dt_secs * 1000 + dt->dt_nanos / 1000000);
		else
			return cy_offset_field(dt->dt_offset, dt, k, out);
		return 1;
	}
	if (v->type == GR_DURATION) {
		const gr_duration *d = &v->u.du;
		if (!strcmp(k, "years"))
			*out = gr_int(d->du_months / 12);
		else if (!strcmp(k, "quarters"))
			*out = gr_int(d->du_months / 3);
		else if (!strcmp(k, "months"))
			*out = gr_int(d->du_months);
		else if (!strcmp(k, "weeks"))
			*out = gr_int(d->du_days / 7);
		else if (!strcmp(k, "days"))
			*out = gr_int(d->du_days);
		else if (!strcmp(k, "hours"))
			*out = gr_int(d->du_secs / 3600);
		else if (!strcmp(k, "minutes"))
			*out = gr_int(d->du_secs / 60);
		else if (!strcmp(k, "seconds"))
			*out = gr_int(d->du_secs);
		else if (!strcmp(k, "milliseconds"))
			*out = gr_int(d->du_secs * 1000 + d->du_nanos / 1000000);
		else if (!strcmp(k, "microseconds"))
			*out = gr_int(d->du_secs * 1000000 + d->du_nanos / 1000);
		else if (!strcmp(k, "nanoseconds"))
			*out = gr_int(d->du_secs * 1000000000 + d->du_nanos);
		else if (!strcmp(k, "quartersOfYear"))
			*out = gr_int(d->du_months % 12 / 3);
		else if (!strcmp(k, "monthsOfQuarter"))
			*out = gr_int(d->du_months % 3);
		else if (!strcmp(k, "monthsOfYear"))
			*out = gr_int(d->du_months % 12);
		else if (!strcmp(k, "daysOfWeek"))
			*out = gr_int(d->du_days % 7);
		else if (!strcmp(k, "minutesOfHour"))
			*out = gr_int(d->du_secs / 60 % 60);
		else if (!strcmp(k, "secondsOfMinute"))
			*out = gr_int(d->du_secs % 60);
		else if (!strcmp(k, "millisecondsOfSecond"))
			*out = gr_int(d->du_nanos / 1000000);
		else if (!strcmp(k, "microsecondsOfSecond"))
			*out = gr_int(d->du_nanos / 1000);
		else if (!strcmp(k, "nanosecondsOfSecond"))
			*out = gr_int(d->du_nanos);
		else
			return 0;
		return 1;
	}
	return 0;
}

/* ---- temporal constructors ---- */

/* An integer field of a map, or def; -1 when present but not a number. */
static int map_int(const gr_value *m, const char *k, int64_t def, int64_t *out)
{
	*out = def;
	return cy_map_int(m, k, 1, out);
}

static int parse_zone(const char *s, int32_t *off)
{
	int h, m = 0;
	if (!strcmp(s, "Z") || !strcmp(s, "UTC") || !strcmp(s, "GMT") || !strcmp(s, "Etc/UTC")) {
		*off = 0;
		return 0;
	}
	if ((s[0] == '+' || s[0] == '-') && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2])) {
		h = (s[1] - '0') * 10 + (s[2] - '0');
		if (s[3] == ':' && isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]) && !s[6])
			m = (s[4] - '0') * 10 + (s[5] - '0');
		else if (isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4]) && !s[5])
			m = (s[3] - '0') * 10 + (s[4] - '0');
		else if (s[3])
			return -1;
		*off = (s[0] == '-' ? -1 : 1) * (h * 60 + m);
		return 0;
	}
	return -1;
}

int cy_zone_offset(const char *s, int32_t *off)
{
	char hhmm[7];

	/* +hh:mm:00: offsets are kept in minutes, so only zero seconds */
	if (strlen(s) == 9 && s[6] == ':' && s[7] == '0' && s[8] == '0') {
		memcpy(hhmm, s, 6);
		hhmm[6] = '\0';
		s = hhmm;
	}
	if (parse_zone(s, off) < 0 || *off < -18 * 60 || *off > 18 * 60)
		return -1;
	return 0;
}

static int date_from_map(cy_ctx *c, cx *e, const gr_value *m, int32_t *days)
{
	int64_t y, mo, d;
	const gr_value *base = gr_map_get(m, "date");
	int64_t by = 1970, bm = 1, bd = 1;
	int32_t bdays = 0;
	/* {date: x} takes the (local) date of a date or datetime */
	if (base && base->type == GR_DATETIME) {
		int64_t local = base->u.dt.dt_secs;
		if (base->u.dt.dt_offset != GR_TZ_NONE)
			local += (int64_t)base->u.dt.dt_offset * 60;
		bdays = (int32_t)floordiv(local, 86400);
	} else if (base && base->type == GR_DATE) {
		bdays = base->u.date;
	} else if (base && base->type != GR_NULL) {
		return cy_fail(c, e->src, "date(): the date field must be a date or datetime, not %s", cy_type_name(base));
	} else {
		base = NULL;
	}
	if (base) {
		unsigned um, ud;
		gr_civil_from_days(bdays, &by, &um, &ud);
		bm = um;
		bd = ud;
	}
	if (map_int(m, "year", by, &y) < 0 || map_int(m, "month", bm, &mo) < 0 || map_int(m, "day", bd, &d) < 0)
		return cy_fail(c, e->src, "date(): year, month and day must be integers");
	if (!gr_map_get(m, "year") && !base)
		return cy_fail(c, e->src, "date(): the map needs a year");
	if (gr_map_get(m, "week")) {
		/* With a base date, its week-year and weekday are the defaults. */
		int64_t w, dow, bdow = 1;
		if (base) {
			int64_t wy;
			int bw;
			iso_week(bdays, &wy, &bw);
			bdow = weekday(bdays);
			if (map_int(m, "year", wy, &y) < 0)
				return cy_fail(c, e->src, "date(): year must be an integer");
		}
		map_int(m, "week", 1, &w);
		map_int(m, "dayOfWeek", bdow, &dow);
		int64_t jan4 = gr_days_from_civil(y, 1, 4);
		int64_t mon1 = jan4 - weekday(jan4) + 1;
		*days = (int32_t)(mon1 + (w - 1) * 7 + (dow - 1));
		return 0;
	}
	if (gr_map_get(m, "ordinalDay")) {
		int64_t od;
		map_int(m, "ordinalDay", 1, &od);
		*days = gr_days_from_civil(y, 1, 1) + (int32_t)(od - 1);
		return 0;
	}
	if (gr_map_get(m, "quarter")) {
		int64_t q, dq;
		/* with a base date, its day of the quarter is the default */
		int64_t bdq = base ? bdays - gr_days_from_civil(by, (unsigned)((bm - 1) / 3 * 3 + 1), 1) + 1 : 1;
		map_int(m, "quarter", 1, &q);
		map_int(m, "dayOfQuarter", bdq, &dq);
		*days = gr_days_from_civil(y, (unsigned)((q - 1) * 3 + 1), 1) + (int32_t)(dq - 1);
		return 0;
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return cy_fail(c, e->src, "date(): no such date %lld-%lld-%lld", (long long)y, (long long)mo, (long long)d);
	{
		int32_t r = gr_days_from_civil(y, (unsigned)mo, (unsigned)d);
		int64_t yy;
		unsigned mm, dd;
		gr_civil_from_days(r, &yy, &mm, &dd);
		if (mm != mo || dd != d)
			return cy_fail(c, e->src, "date(): no such date %lld-%lld-%lld", (long long)y, (long long)mo, (long long)d);
		*days = r;
	}
	return 0;
}

int cy_fn_date(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	int32_t days;
	if (n == 0) {
		gr_datetime now;
		cy_now(c, &now);
		*out = gr_date((int32_t)floordiv(now.dt_secs, 86400));
		return 0;
	}
	switch (args[0].type) {
	case GR_NULL:
		return 0;
	case GR_DATE:
		*out = args[0];
		return 0;
	case GR_DATETIME: {
		gr_value d;
		cy_temporal_field(&args[0], "year", &d);
		int64_t local = args[0].u.dt.dt_secs + (args[0].u.dt.dt_offset == GR_TZ_NONE ? 0 : args[0].u.dt.dt_offset * 60);
		*out = gr_date((int32_t)floordiv(local, 86400));
		return 0;
	}
	case GR_STRING: {
		gr_datetime dt;
		if (gr_parse_date(args[0].u.s.ptr, args[0].u.s.len, &days) == 0) {
			*out = gr_date(days);
			return 0;
		}
		if (cy_parse_date_text(args[0].u.s.ptr, args[0].u.s.len, &days) == 0) {
			*out = gr_date(days);
			return 0;
		}
		if (gr_parse_datetime(args[0].u.s.ptr, args[0].u.s.len, &dt) == 0 ||
		    cy_parse_datetime_text(args[0].u.s.ptr, args[0].u.s.len, &dt) == 0) {
			gr_value v = { .type = GR_DATETIME, .u.dt = dt };
			return cy_fn_date(c, e, &v, 1, out);
		}
		return cy_fail(c, e->a[0]->src, "date(): '%s' is not an ISO-8601 date", args[0].u.s.ptr);
	}
	case GR_MAP:
		if (date_from_map(c, e, &args[0], &days) < 0)
			return -1;
		*out = gr_date(days);
		return 0;
	default:
		return FAIL_TYPE(c, e, 0, "a string or a map", &args[0]);
	}
}

/* The defaults that {datetime: x} gives a datetime map: x's wall-clock
 * fields (in the map's zone when both are zoned: the same instant) and
 * its zone; map is a copy of the map with x as its date, or null. */
struct dt_base {
	gr_value map;
	int64_t nod;      /* x's clock: nanoseconds into its day */
	int32_t off;
	uint16_t zone;    /* x's named zone, or the map's */
};

static int datetime_base(cy_ctx *c, cx *e, const gr_value *m, int local, struct dt_base *b)
{
	const gr_value *x = gr_map_get(m, "datetime"), *tz = gr_map_get(m, "timezone");
	const char *field = "datetime";
	int64_t secs, days, sod;
	gr_value xt;

	memset(b, 0, sizeof *b);
	b->map = gr_null();
	b->off = GR_TZ_NONE;
	if (!x || x->type == GR_NULL) {
		/* {time: x} takes only the time of day (and zone) of x */
		x = gr_map_get(m, "time");
		field = "time";
		if (!x || x->type == GR_NULL)
			return 0;
		if (x->type == GR_TIME) {
			xt = (gr_value){ .type = GR_DATETIME, .u.dt = cy_time_as_datetime(&x->u.tm) };
			x = &xt;
		}
	}
	if (x->type != GR_DATETIME)
		return cy_fail(c, e->src, "%s(): the %s field must be a datetime, not %s",
		    e->fn->fn_name, field, cy_type_name(x));
	secs = x->u.dt.dt_secs;
	if (x->u.dt.dt_offset != GR_TZ_NONE) {
		b->off = x->u.dt.dt_offset;
		b->zone = x->u.dt.dt_zone;
		/* x in a named zone keeps it: the result moves to the map's zone
		 * after it is built (cy_fn_datetime) */
		if (!local && tz && tz->type == GR_STRING && !b->zone) {
			gr_datetime at = x->u.dt;
			if (cy_zone_convert(c, e->src, tz->u.s.ptr, &at) < 0)
				return -1;
			b->off = at.dt_offset;
			b->zone = at.dt_zone;
		}
		secs += (int64_t)b->off * 60;
	}
	if (local)
		b->off = GR_TZ_NONE;
	days = floordiv(secs, 86400);
	if (days < -2000000000 || days > 2000000000)
		return cy_fail(c, e->src, "%s(): the %s field is out of the range of dates", e->fn->fn_name, field);
	sod = secs - days * 86400;
	b->nod = sod * 1000000000 + x->u.dt.dt_nanos;
	if (!gr_map_get(m, "date") && !strcmp(field, "datetime")) {
		if (gr_value_copy(&b->map, m) < 0 || gr_map_set(&b->map, "date", gr_date((int32_t)days)) < 0) {
			gr_value_free(&b->map);
			return cy_nomem(c);
		}
	}
	return 0;
}

/* dt made a localdatetime (its wall clock, no zone) or a datetime (a local
 * one taken as UTC). */
static void datetime_kind(gr_datetime *dt, int local)
{
	if (local && dt->dt_offset != GR_TZ_NONE) {
		dt->dt_secs += (int64_t)dt->dt_offset * 60;
		dt->dt_offset = GR_TZ_NONE;
		dt->dt_zone = 0;
	} else if (!local && dt->dt_offset == GR_TZ_NONE) {
		dt->dt_offset = 0;
	}
}

/* A datetime or localdatetime from a string: with a named zone, a
 * datetime, or a date (its midnight). */
static int datetime_from_text(cy_ctx *c, cx *e, const gr_value *a, int local, gr_datetime *dt)
{
	int32_t days;
	int zoned = cy_parse_zoned(c, e->a[0]->src, a, dt);
	if (zoned < 0)
		return -1;
	if (zoned == 0 || gr_parse_datetime(a->u.s.ptr, a->u.s.len, dt) == 0 ||
	    cy_parse_datetime_text(a->u.s.ptr, a->u.s.len, dt) == 0) {
		datetime_kind(dt, local);
		return 0;
	}
	if (gr_parse_date(a->u.s.ptr, a->u.s.len, &days) == 0) {
		dt->dt_secs = (int64_t)days * 86400;
		return 0;
	}
	return cy_fail(c, e->a[0]->src, "%s(): '%s' is not an ISO-8601 datetime", e->fn->fn_name, a->u.s.ptr);
}

/* A datetime or localdatetime from a map: epochSeconds or epochMillis;
 * or the date fields (date_from_map), the clock fields (cy_clock_from_map)
 * and a timezone, with {datetime: x} or {time: x} giving defaults. */
static int datetime_from_map(cy_ctx *c, cx *e, const gr_value *m, int local, gr_datetime *dt)
{
	const gr_value *tz = gr_map_get(m, "timezone");
	int64_t nod, ns, es, em;
	int32_t days;
	struct dt_base b;
	int rc;

	if (map_int(m, "epochSeconds", 0, &es) > 0 || map_int(m, "epochMillis", 0, &em) > 0) {
		if (gr_map_get(m, "epochMillis")) {
			map_int(m, "epochMillis", 0, &em);
			dt->dt_secs = floordiv(em, 1000);
			dt->dt_nanos = (int32_t)(floormod(em, 1000) * 1000000);
		} else {
			map_int(m, "epochSeconds", 0, &es);
			map_int(m, "nanosecond", 0, &ns);
			dt->dt_secs = es;
			dt->dt_nanos = (int32_t)ns;
		}
		return 0;
	}
	if (datetime_base(c, e, m, local, &b) < 0)
		return -1;
	rc = date_from_map(c, e, b.map.type == GR_MAP ? &b.map : m, &days);
	gr_value_free(&b.map);
	if (rc < 0)
		return -1;
	if (cy_clock_from_map(c, e, m, b.nod, 1, &nod) < 0)
		return -1;
	dt->dt_secs = (int64_t)days * 86400 + nod / 1000000000;
	dt->dt_nanos = (int32_t)(nod % 1000000000);
	if (!local && b.zone != 0) {
		/* on the clock of the base's named zone, then in the map's zone */
		if (cy_zone_local(c, e->src, b.zone, b.off, dt) < 0 ||
		    (tz && tz->type == GR_STRING && cy_zone_convert(c, e->src, tz->u.s.ptr, dt) < 0))
			return -1;
	} else if (tz && tz->type == GR_STRING && !local) {
		int32_t off;
		uint16_t zone;
		if (parse_zone(tz->u.s.ptr, &off) < 0)
			return cy_zone_find(c, e->src, tz->u.s.ptr, &zone) < 0 ||
			    cy_zone_local(c, e->src, zone, GR_TZ_NONE, dt) < 0 ? -1 : 0;
		dt->dt_offset = off;
		dt->dt_secs -= (int64_t)off * 60;
	} else if (!local && b.off != GR_TZ_NONE) {
		dt->dt_offset = b.off;
		dt->dt_secs -= (int64_t)b.off * 60;
	}
	return 0;
}

int cy_fn_datetime(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out, int local)
{
	gr_datetime dt = { 0, 0, local ? GR_TZ_NONE : 0, 0 };
	if (n == 0) {
		cy_now(c, &dt);
		if (local)
			dt.dt_offset = GR_TZ_NONE;
		out->type = GR_DATETIME;
		out->u.dt = dt;
		return 0;
	}
	switch (args[0].type) {
	case GR_NULL:
		return 0;
	case GR_DATETIME:
		dt = args[0].u.dt;
		datetime_kind(&dt, local);
		break;
	case GR_DATE:
		dt.dt_secs = (int64_t)args[0].u.date * 86400;
		break;
	case GR_STRING:
		if (datetime_from_text(c, e, &args[0], local, &dt) < 0)
			return -1;
		break;
	case GR_MAP:
		if (datetime_from_map(c, e, &args[0], local, &dt) < 0)
			return -1;
		break;
	default:
		return FAIL_TYPE(c, e, 0, "a string or a map", &args[0]);
	}
	out->type = GR_DATETIME;
	out->u.dt = dt;
	return 0;
}

static int fn_duration(cy_ctx *c, cx *e, gr_value *args, gr_value *out)
{
	gr_duration d = { 0, 0, 0, 0 };
	if (args[0].type == GR_NULL)
		return 0;
	if (args[0].type == GR_DURATION) {
		*out = args[0];
		return 0;
	}
	if (args[0].type == GR_STRING) {
		if (gr_parse_duration(args[0].u.s.ptr, args[0].u.s.len, &d) != 0)
			return cy_fail(c, e->a[0]->src, "duration(): '%s' is not an ISO-8601 duration", args[0].u.s.ptr);
	} else if (args[0].type == GR_MAP) {
		static const struct { const char *k; int unit; double mult; } f[] = {
			{ "years", 0, 12 }, { "quarters", 0, 3 }, { "months", 0, 1 },
			{ "weeks", 1, 7 }, { "days", 1, 1 }, { "hours", 2, 3600 },
			{ "minutes", 2, 60 }, { "seconds", 2, 1 }, { "milliseconds", 2, 1e-3 },
			{ "microseconds", 2, 1e-6 }, { "nanoseconds", 2, 1e-9 },
		};
		double months = 0, days = 0, secs = 0;
		int64_t ns_exact = 0;
		for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
			const gr_value *v = gr_map_get(&args[0], f[i].k);
			if (!v || v->type == GR_NULL)
				continue;
			if (!is_num(v))
				return cy_fail(c, e->src, "duration(): %s must be a number", f[i].k);
			if (f[i].unit == 2 && v->type == GR_INT && f[i].mult < 1) {
				ns_exact += v->u.i * (int64_t)llround(f[i].mult * 1e9);
				continue;
			}
			if (f[i].unit == 0)
				months += num(v) * f[i].mult;
			else if (f[i].unit == 1)
				days += num(v) * f[i].mult;
			else
				secs += num(v) * f[i].mult;
		}
		d.du_months = (int64_t)trunc(months);
		days += (months - trunc(months)) * 30.436875;
		d.du_days = (int64_t)trunc(days);
		secs += (days - trunc(days)) * 86400;
		double whole = floor(secs);
		int64_t nanos = llround((secs - whole) * 1e9) + ns_exact;
		d.du_secs = (int64_t)whole + floordiv(nanos, 1000000000);
		d.du_nanos = (int32_t)floormod(nanos, 1000000000);
	} else {
		return FAIL_TYPE(c, e, 0, "a string or a map", &args[0]);
	}
	out->type = GR_DURATION;
	out->u.du = d;
	return 0;
}

static int fn_between(cy_ctx *c, cx *e, gr_value *args, gr_value *out)
{
	gr_value *a = &args[0], *b = &args[1];
	gr_datetime da, db;
	if (a->type == GR_NULL || b->type == GR_NULL)
		return 0;
	if (a->type == GR_TIME || b->type == GR_TIME)
		return cy_time_between(c, e, a, b, out);
	if ((a->type != GR_DATE && a->type != GR_DATETIME) || (b->type != GR_DATE && b->type != GR_DATETIME))
		return cy_fail(c, e->src, "type mismatch: %s() expects two dates or datetimes, not %s and %s",
		    e->fn->fn_name, cy_type_name(a), cy_type_name(b));
	out->type = GR_DURATION;
	if (a->type == GR_DATE && b->type == GR_DATE && e->op == CY_F_DURATION_BETWEEN) {
		gr_duration_between_dates(a->u.date, b->u.date, &out->u.du);
		return 0;
	}
	if (a->type == GR_DATE)
		da = (gr_datetime){ (int64_t)a->u.date * 86400, 0, GR_TZ_NONE, 0 };
	else
		da = a->u.dt;
	if (b->type == GR_DATE)
		db = (gr_datetime){ (int64_t)b->u.date * 86400, 0, GR_TZ_NONE, 0 };
	else
		db = b->u.dt;
	if (cy_zone_check(c, e->src, &da) < 0 || cy_zone_check(c, e->src, &db) < 0)
		return -1;
	if (e->op == CY_F_DURATION_BETWEEN)
		gr_duration_between_datetimes(&da, &db, &out->u.du);
	else
		gr_duration_in(&da, &db, e->op == CY_F_DURATION_IN_MONTHS ? GR_IN_MONTHS :
		    e->op == CY_F_DURATION_IN_DAYS ? GR_IN_DAYS : GR_IN_SECONDS, &out->u.du);
	return 0;
}

/* ---- strings ---- */

static size_t utf8_count(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			k++;
	return k;
}

/* Byte offset of code point number cp (clamped to n). */
static size_t utf8_offset(const char *s, size_t n, int64_t cp)
{
	size_t i = 0;
	while (cp > 0 && i < n) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		cp--;
	}
	return i;
}

static int change_case(cy_ctx *c, const gr_value *s, int upper, gr_value *out)
{
	gr_buf b = { 0 };
	size_t i = 0;
	while (i < s->u.s.len) {
		utf8proc_int32_t cp;
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s->u.s.ptr + i,
		    (utf8proc_ssize_t)(s->u.s.len - i), &cp);
		if (k <= 0) {
			if (gr_buf_byte(&b, (unsigned char)s->u.s.ptr[i]) < 0)
				goto nomem;
			i++;
			continue;
		}
		if (upper && cp == 0xDF) {
			/* ß has no one-letter capital in full case mapping */
			if (gr_buf_put(&b, "SS", 2) < 0)
				goto nomem;
			i += (size_t)k;
			continue;
		}
		cp = upper ? utf8proc_toupper(cp) : utf8proc_tolower(cp);
		utf8proc_ssize_t w = utf8proc_encode_char(cp, enc);
		if (gr_buf_put(&b, enc, (size_t)w) < 0)
			goto nomem;
		i += (size_t)k;
	}
	return take_string(c, &b, out);
nomem:
	gr_buf_free(&b);
	return cy_nomem(c);
}

static int is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static int fn_trim(cy_ctx *c, const gr_value *s, int left, int right, gr_value *out)
{
	size_t a = 0, b = s->u.s.len;
	while (left && a < b && is_ws(s->u.s.ptr[a]))
		a++;
	while (right && b > a && is_ws(s->u.s.ptr[b - 1]))
		b--;
	*out = gr_string(s->u.s.ptr + a, b - a);
	return out->type == GR_STRING ? 0 : cy_nomem(c);
}

static int fn_replace(cy_ctx *c, const gr_value *s, const gr_value *f, const gr_value *t, gr_value *out)
{
	gr_buf b = { 0 };
	size_t i = 0, fl = f->u.s.len;
	while (i < s->u.s.len) {
		if (fl && i + fl <= s->u.s.len && memcmp(s->u.s.ptr + i, f->u.s.ptr, fl) == 0) {
			if (gr_buf_put(&b, t->u.s.ptr, t->u.s.len) < 0)
				goto nomem;
			i += fl;
		} else if (gr_buf_byte(&b, (unsigned char)s->u.s.ptr[i++]) < 0)
			goto nomem;
	}
	return take_string(c, &b, out);
nomem:
	gr_buf_free(&b);
	return cy_nomem(c);
}

static int fn_split(cy_ctx *c, const gr_value *s, const gr_value *d, gr_value *out)
{
	size_t i = 0, start = 0, dl = d->u.s.len;
	*out = gr_list(0);
	if (dl == 0) {
		/* one string per character */
		while (i < s->u.s.len) {
			size_t j = utf8_offset(s->u.s.ptr + i, s->u.s.len - i, 1) + i;
			if (gr_list_push(out, gr_string(s->u.s.ptr + i, j - i)) < 0)
				goto nomem;
			i = j;
		}
		return 0;
	}
	while (i + dl <= s->u.s.len) {
		if (memcmp(s->u.s.ptr + i, d->u.s.ptr, dl) == 0) {
			if (gr_list_push(out, gr_string(s->u.s.ptr + start, i - start)) < 0)
				goto nomem;
			i += dl;
			start = i;
		} else {
			i++;
		}
	}
	if (gr_list_push(out, gr_string(s->u.s.ptr + start, s->u.s.len - start)) < 0)
		goto nomem;
	return 0;
nomem:
	cy_free(out);
	return cy_nomem(c);
}

/* ---- conversions ---- */

static int fn_tostring(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_buf b = { 0 };
	switch (v->type) {
	case GR_NULL:
		return 0;
	case GR_STRING:
		return gr_value_copy(out, v) < 0 ? cy_nomem(c) : 0;
	case GR_INT:
	case GR_FLOAT:
	case GR_BOOL:
	case GR_DATE:
	case GR_DATETIME:
	case GR_TIME:
	case GR_DURATION:
		if (gr_value_text(&b, v) < 0) {
			gr_buf_free(&b);
			return cy_nomem(c);
		}
		return take_string(c, &b, out);
	default:
		return FAIL_TYPE(c, e, 0, "a number, boolean, string or temporal value", v);
	}
}

static int parse_number(const char *s, size_t len, gr_value *out)
{
	char *end;
	while (len && is_ws(*s)) {
		s++;
		len--;
	}
	while (len && is_ws(s[len - 1]))
		len--;
	if (!len)
		return -1;
	char buf[64];
	if (len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	errno = 0;
	long long i = strtoll(buf, &end, 0);
	if (!*end && errno == 0) {
		*out = gr_int(i);
		return 0;
	}
	errno = 0;
	double d = strtod(buf, &end);
	if (!*end && end != buf) {
		*out = gr_float(d);
		return 0;
	}
	return -1;
}

static int fn_tointeger(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_value n;
	switch (v->type) {
	case GR_NULL:
		return 0;
	case GR_INT:
		*out = *v;
		return 0;
	case GR_FLOAT:
		if (isnan(v->u.f) || v->u.f >= 9223372036854775808.0 || v->u.f < -9223372036854775808.0)
			return cy_fail(c, e->src, "toInteger(): %g does not fit in an integer", v->u.f);
		*out = gr_int((int64_t)v->u.f);
		return 0;
	case GR_BOOL:
		*out = gr_int(v->u.b);
		return 0;
	case GR_STRING:
		if (parse_number(v->u.s.ptr, v->u.s.len, &n) < 0)
			return 0;
		if (n.type == GR_FLOAT)
			return isfinite(n.u.f) && fabs(n.u.f) < 9.2e18 ? (*out = gr_int((int64_t)n.u.f), 0) : 0;
		*out = n;
		return 0;
	default:
		return FAIL_TYPE(c, e, 0, "a number, boolean or string", v);
	}
}

static int fn_tofloat(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_value n;
	switch (v->type) {
	case GR_NULL:
		return 0;
	case GR_INT:
		*out = gr_float((double)v->u.i);
		return 0;
	case GR_FLOAT:
		*out = *v;
		return 0;
	case GR_STRING:
		if (parse_number(v->u.s.ptr, v->u.s.len, &n) == 0)
			*out = gr_float(num(&n));
		return 0;
	default:
		return FAIL_TYPE(c, e, 0, "a number or string", v);
	}
}

static int fn_toboolean(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	switch (v->type) {
	case GR_NULL:
		return 0;
	case GR_BOOL:
		*out = *v;
		return 0;
	case GR_STRING: {
		size_t a = 0, b = v->u.s.len;
		while (a < b && is_ws(v->u.s.ptr[a]))
			a++;
		while (b > a && is_ws(v->u.s.ptr[b - 1]))
			b--;
		if (b - a == 4 && cy_ascii_ieq(v->u.s.ptr + a, "true", 4))
			*out = cy_boolv(1);
		else if (b - a == 5 && cy_ascii_ieq(v->u.s.ptr + a, "false", 5))
			*out = cy_boolv(0);
		return 0;
	}
	case GR_INT:
		*out = cy_boolv(v->u.i != 0);
		return 0;
	default:
		return FAIL_TYPE(c, e, 0, "a boolean, string or integer", v);
	}
}

/* ---- graph functions ---- */

static int fn_labels(cy_ctx *c, uint32_t id, gr_value *out)
{
	uint16_t labels[64];
	size_t n;
	*out = gr_list(0);
	if (gr_node_labels(c->txn, id, labels, 64, &n) != GR_OK)
		return c->write ? cy_fail(c, NULL, "cannot read labels: the node was deleted") : 0;
	for (size_t i = 0; i < n && i < 64; i++) {
		size_t len;
		const char *name = gr_sym_name(c->txn, labels[i], &len);
		if (gr_list_push(out, gr_string(name, len)) < 0) {
			cy_free(out);
			return cy_nomem(c);
		}
	}
	return 0;
}

static int fn_keys(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_value m = cy_nullv();
	const gr_value *src = v;
	if (v->type == GR_NULL)
		return 0;
	if (v->type == GR_NODE) {
		if (cy_node_props_map(c, v->u.node.id, &m) < 0)
			return -1;
		src = &m;
	} else if (v->type == GR_EDGE) {
		if (cy_edge_props_map(c, v, &m) < 0)
			return -1;
		src = &m;
	} else if (v->type != GR_MAP) {
		return FAIL_TYPE(c, e, 0, "a node, relationship or map", v);
	}
	*out = gr_list(src->u.map.n);
	for (size_t i = 0; i < src->u.map.n; i++)
		if (gr_list_push(out, gr_cstring(src->u.map.keys[i])) < 0) {
			cy_free(out);
			cy_free(&m);
			return cy_nomem(c);
		}
	cy_free(&m);
	return 0;
}

static int fn_sources(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_error ge;
	int rc;
	if (v->type == GR_NULL)
		return 0;
	*out = gr_list(0);
	if (v->type == GR_NODE) {
		gr_node n;
		if ((rc = gr_node_load(c->txn, v->u.node.id, &n, &ge)) != GR_OK)
			return rc == GR_ENOTFOUND ? 0 : cy_fail_graph(c, rc, ge.msg);
		for (size_t i = 0; i < n.n_ncites; i++)
			gr_list_push(out, (gr_value){ .type = GR_NODE, .u.node.id = n.n_cites[i].c_source });
		gr_node_clear(&n);
		return 0;
	}
	if (v->type == GR_EDGE) {
		gr_edge ed;
		if (cy_edge_load(c, v, &ed) < 0)
			return -1;
		for (size_t i = 0; i < ed.e_ncites; i++)
			gr_list_push(out, (gr_value){ .type = GR_NODE, .u.node.id = ed.e_cites[i].c_source });
		gr_edge_clear(&ed);
		return 0;
	}
	cy_free(out);
	return FAIL_TYPE(c, e, 0, "a node or relationship", v);
}

/* One citation as a map {source: <Source node>, confidence: 'probable'}. */
static int citation_map(const gr_cite *ci, gr_value *out)
{
	const char *conf = gr_confidence_name(ci->c_conf);
	gr_value m = gr_map();
	if (gr_map_set(&m, "source", (gr_value){ .type = GR_NODE, .u.node.id = ci->c_source }) < 0 ||
	    gr_map_set(&m, "confidence", conf ? gr_string(conf, strlen(conf)) : gr_null()) < 0 ||
	    gr_list_push(out, m) < 0) {
		gr_value_free(&m);
		return -1;
	}
	return 0;
}

/* citations(x): what sources(x) gives, with each citation's confidence. */
static int fn_citations(cy_ctx *c, cx *e, const gr_value *v, gr_value *out)
{
	gr_error ge;
	gr_cite *cites = NULL;
	size_t n = 0;
	gr_node nd;
	gr_edge ed;
	int rc = GR_OK, node = v->type == GR_NODE;
	if (v->type == GR_NULL)
		return 0;
	if (v->type != GR_NODE && v->type != GR_EDGE)
		return FAIL_TYPE(c, e, 0, "a node or relationship", v);
	gr_edge_init(&ed);
	if (node) {
		if ((rc = gr_node_load(c->txn, v->u.node.id, &nd, &ge)) != GR_OK)
			return rc == GR_ENOTFOUND ? 0 : cy_fail_graph(c, rc, ge.msg);
		cites = nd.n_cites;
		n = nd.n_ncites;
	} else {
		if (cy_edge_load(c, v, &ed) < 0)
			return -1;
		cites = ed.e_cites;
		n = ed.e_ncites;
	}
	*out = gr_list(n);
	for (size_t i = 0; i < n && rc == GR_OK; i++)
		if (citation_map(&cites[i], out) < 0)
			rc = GR_ENOMEM;
	if (node)
		gr_node_clear(&nd);
	gr_edge_clear(&ed);
	if (rc != GR_OK) {
		cy_free(out);
		return cy_fail_graph(c, rc, "out of memory");
	}
	return 0;
}

static int path_parts(cy_ctx *c, cx *e, const gr_value *v, int rels, gr_value *out)
{
	const gr_path *p;
	if (v->type == GR_NULL)
		return 0;
	if (v->type != GR_PATH)
		return FAIL_TYPE(c, e, 0, "a path", v);
	p = v->u.path;
	size_t n = rels ? p->pa_len : p->pa_len + 1;
	*out = gr_list(n);
	for (size_t i = 0; i < n; i++)
		gr_list_push(out, rels ? p->pa_rels[i] : p->pa_nodes[i]);
	return 0;
}

/* ---- numbers ---- */

static int fn_math(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	const gr_value *v = &args[0];
	double x;
	for (size_t i = 0; i < n; i++) {
		if (args[i].type == GR_NULL)
			return 0;
		if (!is_num(&args[i]))
			return FAIL_TYPE(c, e, i, "a number", &args[i]);
	}
	x = num(v);
	switch (e->op) {
	case CY_F_ABS:
		if (v->type == GR_INT) {
			if (v->u.i == INT64_MIN)
				return cy_fail(c, e->src, "integer overflow in abs()");
			*out = gr_int(v->u.i < 0 ? -v->u.i : v->u.i);
		} else
			*out = gr_float(fabs(x));
		return 0;
	case CY_F_SIGN:
		*out = gr_int(x > 0 ? 1 : x < 0 ? -1 : 0);
		return 0;
	case CY_F_CEIL: *out = gr_float(ceil(x)); return 0;
	case CY_F_FLOOR: *out = gr_float(floor(x)); return 0;
	case CY_F_ROUND:
		if (n >= 2) {
			double p = pow(10, num(&args[1]));
			*out = gr_float(floor(x * p + 0.5) / p);
		} else {
			*out = gr_float(floor(x + 0.5));
		}
		return 0;
	case CY_F_SQRT: *out = gr_float(sqrt(x)); return 0;
	case CY_F_EXP: *out = gr_float(exp(x)); return 0;
	case CY_F_LOG: *out = gr_float(log(x)); return 0;
	case CY_F_LOG10: *out = gr_float(log10(x)); return 0;
	case CY_F_SIN: *out = gr_float(sin(x)); return 0;
	case CY_F_COS: *out = gr_float(cos(x)); return 0;
	case CY_F_TAN: *out = gr_float(tan(x)); return 0;
	case CY_F_ASIN: *out = gr_float(asin(x)); return 0;
	case CY_F_ACOS: *out = gr_float(acos(x)); return 0;
	case CY_F_ATAN: *out = gr_float(atan(x)); return 0;
	case CY_F_ATAN2: *out = gr_float(atan2(x, num(&args[1]))); return 0;
	case CY_F_DEGREES: *out = gr_float(x * 180.0 / M_PI); return 0;
	case CY_F_RADIANS: *out = gr_float(x * M_PI / 180.0); return 0;
	default:
		return cy_fail(c, e->src, "unknown function");
	}
}

static int fn_range(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	int64_t a, b, step = 1;
	for (size_t i = 0; i < n; i++)
		if (args[i].type != GR_INT)
			return args[i].type == GR_NULL ? 0 : FAIL_TYPE(c, e, i, "an integer", &args[i]);
	a = args[0].u.i;
	b = args[1].u.i;
	if (n == 3)
		step = args[2].u.i;
	if (step == 0)
		return cy_fail(c, e->src, "range(): the step cannot be 0");
	*out = gr_list(0);
	if ((step > 0 && a > b) || (step < 0 && a < b))
		return 0;
	/* exactly, in 128 bits: b - a and i * step may not fit in 64, while
	 * every element, lying between a and b, does */
	__int128 span = (__int128)b - a;
	unsigned __int128 count = (unsigned __int128)(span / step) + 1;
	if (count > 100000000) {
		if (count > UINT64_MAX)   /* 2^64 exactly: the whole 64-bit range */
			return cy_fail(c, e->src, "range(): 18446744073709551616 elements are too many");
		return cy_fail(c, e->src, "range(): %llu elements are too many", (unsigned long long)count);
	}
	if (cy_limit_reserve(c, (uint64_t)count * sizeof(gr_value)) < 0)
		return -1;   /* the whole list at once: ask before building it */
	for (uint64_t i = 0; i < (uint64_t)count; i++) {
		if ((i & 0xFFFF) == 0xFFFF && cy_limit_check(c) < 0) {
			cy_free(out);
			return -1;   /* 100,000,000 elements take seconds */
		}
		if (gr_list_push(out, gr_int((int64_t)((__int128)a + (__int128)i * step))) < 0) {
			cy_free(out);
			return cy_nomem(c);
		}
	}
	return 0;
}

/* ---- dispatch ---- */

int cy_call(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	gr_value *a = &args[0];
	*out = cy_nullv();
	switch (e->op) {
	case CY_F_ID:
		if (a->type == GR_NODE)
			*out = gr_int(a->u.node.id);
		else if (a->type == GR_EDGE)
			*out = gr_int(a->u.edge.id);
		else if (a->type != GR_NULL)
			return FAIL_TYPE(c, e, 0, "a node or relationship", a);
		return 0;
	case CY_F_LABELS:
		if (a->type == GR_NODE)
			return fn_labels(c, a->u.node.id, out);
		return a->type == GR_NULL ? 0 : FAIL_TYPE(c, e, 0, "a node", a);
	case CY_F_TYPE:
		if (a->type == GR_EDGE) {
			size_t len;
			const char *name = gr_sym_name(c->txn, (uint16_t)a->u.edge.type, &len);
			*out = gr_string(name, len);
			return 0;
		}
		return a->type == GR_NULL ? 0 : FAIL_TYPE(c, e, 0, "a relationship", a);
	case CY_F_KEYS:
		return fn_keys(c, e, a, out);
	case CY_F_PROPERTIES:
		if (a->type == GR_NODE)
			return cy_node_props_map(c, a->u.node.id, out);
		if (a->type == GR_EDGE)
			return cy_edge_props_map(c, a, out);
		if (a->type == GR_MAP)
			return gr_value_copy(out, a) < 0 ? cy_nomem(c) : 0;
		return a->type == GR_NULL ? 0 : FAIL_TYPE(c, e, 0, "a node, relationship or map", a);
	case CY_F_NODES:
	case CY_F_RELATIONSHIPS:
		return path_parts(c, e, a, e->op == CY_F_RELATIONSHIPS, out);
	case CY_F_LENGTH:
	case CY_F_SIZE:
		/* both take all three; they differ in what the error asks for */
		if (a->type == GR_LIST)
			*out = gr_int((int64_t)a->u.list.n);
		else if (a->type == GR_STRING)
			*out = gr_int((int64_t)utf8_count(a->u.s.ptr, a->u.s.len));
		else if (a->type == GR_PATH)
			*out = gr_int((int64_t)a->u.path->pa_len);
		else if (a->type != GR_NULL)
			return FAIL_TYPE(c, e, 0, e->op == CY_F_LENGTH ? "a path" : "a list or string", a);
		return 0;
	case CY_F_HEAD:
	case CY_F_LAST:
		if (a->type == GR_NULL)
			return 0;
		if (a->type != GR_LIST)
			return FAIL_TYPE(c, e, 0, "a list", a);
		if (a->u.list.n)
			*out = a->u.list.items[e->op == CY_F_HEAD ? 0 : a->u.list.n - 1],
			a->u.list.items[e->op == CY_F_HEAD ? 0 : a->u.list.n - 1] = cy_nullv();
		return 0;
	case CY_F_TAIL:
		if (a->type == GR_NULL)
			return 0;
		if (a->type != GR_LIST)
			return FAIL_TYPE(c, e, 0, "a list", a);
		*out = gr_list(a->u.list.n);
		for (size_t i = 1; i < a->u.list.n; i++) {
			gr_list_push(out, a->u.list.items[i]);
			a->u.list.items[i] = cy_nullv();
		}
		return 0;
	case CY_F_REVERSE:
		if (a->type == GR_NULL)
			return 0;
		if (a->type == GR_LIST) {
			*out = *a;
			*a = cy_nullv();
			for (size_t i = 0, j = out->u.list.n; i + 1 < j; i++, j--) {
				gr_value t = out->u.list.items[i];
				out->u.list.items[i] = out->u.list.items[j - 1];
				out->u.list.items[j - 1] = t;
			}
			return 0;
		}
		if (a->type == GR_STRING) {
			gr_buf b = { 0 };
			size_t i = a->u.s.len;
			while (i > 0) {
				size_t j = i - 1;
				while (j > 0 && ((unsigned char)a->u.s.ptr[j] & 0xC0) == 0x80)
					j--;
				if (gr_buf_put(&b, a->u.s.ptr + j, i - j) < 0) {
					gr_buf_free(&b);
					return cy_nomem(c);
				}
				i = j;
			}
			return take_string(c, &b, out);
		}
		return FAIL_TYPE(c, e, 0, "a list or string", a);
	case CY_F_TOLOWER:
	case CY_F_TOUPPER:
		if (a->type == GR_NULL)
			return 0;
		if (a->type != GR_STRING)
			return FAIL_TYPE(c, e, 0, "a string", a);
		return change_case(c, a, e->op == CY_F_TOUPPER, out);
	case CY_F_TRIM:
	case CY_F_LTRIM:
	case CY_F_RTRIM:
		if (a->type == GR_NULL)
			return 0;
		if (a->type != GR_STRING)
			return FAIL_TYPE(c, e, 0, "a string", a);
		return fn_trim(c, a, e->op != CY_F_RTRIM, e->op != CY_F_LTRIM, out);
	case CY_F_REPLACE:
		for (size_t i = 0; i < 3; i++) {
			if (args[i].type == GR_NULL)
				return 0;
			if (args[i].type != GR_STRING)
				return FAIL_TYPE(c, e, i, "a string", &args[i]);
		}
		return fn_replace(c, &args[0], &args[1], &args[2], out);
	case CY_F_SPLIT:
		if (args[0].type == GR_NULL || args[1].type == GR_NULL)
			return 0;
		if (args[0].type != GR_STRING || args[1].type != GR_STRING)
			return FAIL_TYPE(c, e, args[0].type != GR_STRING ? 0 : 1, "a string",
			    args[0].type != GR_STRING ? &args[0] : &args[1]);
		return fn_split(c, &args[0], &args[1], out);
	case CY_F_SUBSTRING:
	case CY_F_LEFT:
	case CY_F_RIGHT: {
		int64_t start = 0, len = INT64_MAX, total;
		if (a->type == GR_NULL)
			return 0;
		if (a->type != GR_STRING)
			return FAIL_TYPE(c, e, 0, "a string", a);
		for (size_t i = 1; i < n; i++) {
			if (args[i].type == GR_NULL)
				return e->op == CY_F_SUBSTRING ? 0 : cy_fail(c, e->a[i]->src, "%s(): the length cannot be null", e->fn->fn_name);
			if (args[i].type != GR_INT)
				return FAIL_TYPE(c, e, i, "an integer", &args[i]);
			if (args[i].u.i < 0)
				return cy_fail(c, e->a[i]->src, "%s(): a negative argument", e->fn->fn_name);
		}
		total = (int64_t)utf8_count(a->u.s.ptr, a->u.s.len);
		if (e->op == CY_F_SUBSTRING) {
			start = args[1].u.i;
			if (n > 2)
				len = args[2].u.i;
		} else if (e->op == CY_F_LEFT) {
			len = args[1].u.i;
		} else {
			len = args[1].u.i;
			start = total > len ? total - len : 0;
		}
		size_t b0 = utf8_offset(a->u.s.ptr, a->u.s.len, start);
		size_t b1 = len >= total ? a->u.s.len : b0 + utf8_offset(a->u.s.ptr + b0, a->u.s.len - b0, len);
		*out = gr_string(a->u.s.ptr + b0, b1 - b0);
		return out->type == GR_STRING ? 0 : cy_nomem(c);
	}
	case CY_F_TOSTRING:
		return fn_tostring(c, e, a, out);
	case CY_F_TOINTEGER:
		return fn_tointeger(c, e, a, out);
	case CY_F_TOFLOAT:
		return fn_tofloat(c, e, a, out);
	case CY_F_TOBOOLEAN:
		return fn_toboolean(c, e, a, out);
	case CY_F_RANGE:
		return fn_range(c, e, args, n, out);
	case CY_F_RAND: {
		uint64_t x = (uint64_t)c->now.dt_nanos ^ (uint64_t)(uintptr_t)out ^ 0x9e3779b97f4a7c15ULL;
		static uint64_t state;
		state += x;
		x = state;
		x ^= x >> 33;
		x *= 0xff51afd7ed558ccdULL;
		x ^= x >> 33;
		*out = gr_float((double)(x >> 11) / 9007199254740992.0);
		return 0;
	}
	case CY_F_PI:
		*out = gr_float(M_PI);
		return 0;
	case CY_F_E:
		*out = gr_float(M_E);
		return 0;
	case CY_F_TIMESTAMP: {
		gr_datetime now;
		cy_now(c, &now);
		*out = gr_int(now.dt_secs * 1000 + now.dt_nanos / 1000000);
		return 0;
	}
	case CY_F_STARTNODE:
	case CY_F_ENDNODE:
		if (a->type == GR_EDGE)
			*out = (gr_value){ .type = GR_NODE, .u.node.id = e->op == CY_F_STARTNODE ? a->u.edge.src : a->u.edge.dst };
		else if (a->type != GR_NULL)
			return FAIL_TYPE(c, e, 0, "a relationship", a);
		return 0;
	case CY_F_EXISTS:
		if (e->a[0]->k == CX_EXISTS && a->type == GR_BOOL)
			*out = *a;
		else
			*out = cy_boolv(a->type != GR_NULL && !(a->type == GR_LIST && e->a[0]->k == CX_PATLIST && a->u.list.n == 0));
		return 0;
	case CY_F_DATE:
		return cy_fn_date(c, e, args, n, out);
	case CY_F_DATETIME:
		return cy_fn_datetime(c, e, args, n, out, 0);
	case CY_F_LOCALDATETIME:
		return cy_fn_datetime(c, e, args, n, out, 1);
	case CY_F_FROMEPOCH:
	case CY_F_FROMEPOCHMILLIS:
		return fn_fromepoch(c, e, args, n, out);
	case CY_F_CLOCK_DATE:
	case CY_F_CLOCK_DATETIME:
	case CY_F_CLOCK_LOCALDATETIME:
		return fn_clock(c, e, args, n, out);
	case CY_F_DATE_TRUNCATE:
	case CY_F_DATETIME_TRUNCATE:
	case CY_F_LOCALDATETIME_TRUNCATE:
		return cy_fn_truncate(c, e, args, n, out);
	case CY_F_DURATION:
		return fn_duration(c, e, args, out);
	case CY_F_DURATION_BETWEEN:
	case CY_F_DURATION_IN_MONTHS:
	case CY_F_DURATION_IN_DAYS:
	case CY_F_DURATION_IN_SECONDS:
		return fn_between(c, e, args, out);
	case CY_F_CITATIONS:
		return fn_citations(c, e, a, out);
	case CY_F_PROC_LABELS:
	case CY_F_PROC_TYPES:
	case CY_F_PROC_KEYS:
		return cy_proc_eval(c, e->op, out);
	case CY_F_SOURCES:
		return fn_sources(c, e, a, out);
	case CY_F_POSITIONS:
	case CY_F_POINT:
	case CY_F_POINT_DISTANCE:
		return cy_call_ais(c, e, args, n, out);
	case CY_F_TIME:
	case CY_F_LOCALTIME:
	case CY_F_CLOCK_TIME:
	case CY_F_CLOCK_LOCALTIME:
	case CY_F_TIME_TRUNCATE:
	case CY_F_LOCALTIME_TRUNCATE:
		return cy_call_time(c, e, args, n, out);
	default:
		return fn_math(c, e, args, n, out);
	}
}
