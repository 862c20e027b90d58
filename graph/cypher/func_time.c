/*
 * func_time.c: openCypher's time and localtime values in a query (GR_TIME,
 * value.h): the functions time(x) and localtime(x) with their clocks
 * (time.statement([zone]) ...), the accessors of a time (t.hour, t.offset
 * ...), and duration.between, inMonths, inDays and inSeconds when a time is
 * one side.  Truncation is func_temporal.c's, arithmetic expr.c's.
 *
 * A time is a wall-clock time of day and a zone offset; a localtime has no
 * offset.  time(x) without a zone takes UTC ("Z"), as datetime() does.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "../tz.h"
#include "ascii.h"

const char *cy_type_name(const gr_value *v);

#define NANOS_PER_SEC 1000000000LL
#define NANOS_PER_MIN (60 * NANOS_PER_SEC)

static int64_t fmod64(int64_t a, int64_t b)
{
	int64_t r = a % b;
	return r < 0 ? r + b : r;
}

/* The functions of this file, looked up after sema.c's table. */
static const cy_func time_functions[] = {
	{ "localtime", CY_F_LOCALTIME, 0, 1, 0 },
	{ "localtime.realtime", CY_F_CLOCK_LOCALTIME, 0, 1, 0 },
	{ "localtime.statement", CY_F_CLOCK_LOCALTIME, 0, 1, 0 },
	{ "localtime.transaction", CY_F_CLOCK_LOCALTIME, 0, 1, 0 },
	{ "localtime.truncate", CY_F_LOCALTIME_TRUNCATE, 2, 3, 0 },
	{ "time", CY_F_TIME, 0, 1, 0 },
	{ "time.realtime", CY_F_CLOCK_TIME, 0, 1, 0 },
	{ "time.statement", CY_F_CLOCK_TIME, 0, 1, 0 },
	{ "time.transaction", CY_F_CLOCK_TIME, 0, 1, 0 },
	{ "time.truncate", CY_F_TIME_TRUNCATE, 2, 3, 0 },
};

const cy_func *cy_time_func_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof time_functions / sizeof *time_functions; i++)
		if (cy_ascii_ieq0(time_functions[i].fn_name, name))
			return &time_functions[i];
	return NULL;
}

gr_datetime cy_time_as_datetime(const gr_time *tm)
{
	gr_datetime dt;
	dt.dt_secs = tm->tm_nanos / NANOS_PER_SEC;
	dt.dt_nanos = (int32_t)(tm->tm_nanos % NANOS_PER_SEC);
	dt.dt_offset = tm->tm_offset;
	if (tm->tm_offset != GR_TZ_NONE)
		dt.dt_secs -= (int64_t)tm->tm_offset * 60;
	return dt;
}

/* The time of day of a datetime on its own wall clock, with its zone. */
static gr_time time_of_datetime(const gr_datetime *dt)
{
	gr_time tm;
	int64_t local = dt->dt_secs;
	if (dt->dt_offset != GR_TZ_NONE)
		local += (int64_t)dt->dt_offset * 60;
	tm.tm_nanos = fmod64(local, 86400) * NANOS_PER_SEC + dt->dt_nanos;
	tm.tm_offset = dt->dt_offset;
	return tm;
}

/* A time seen from zone `off` (the same instant on another wall clock). */
static gr_time time_in_zone(const gr_time *tm, int32_t off)
{
	gr_time r;
	r.tm_nanos = tm->tm_nanos;
	if (tm->tm_offset != GR_TZ_NONE)
		r.tm_nanos = fmod64(tm->tm_nanos + (int64_t)(off - tm->tm_offset) * NANOS_PER_MIN,
		    GR_NANOS_PER_DAY);
	r.tm_offset = off;
	return r;
}

static int set_time(gr_value *out, gr_time tm, int local)
{
	if (local)
		tm.tm_offset = GR_TZ_NONE;
	else if (tm.tm_offset == GR_TZ_NONE)
		tm.tm_offset = 0;
	out->type = GR_TIME;
	out->u.tm = tm;
	return 0;
}

/* A zone argument or field: 0 and *off, or an error naming the function. */
static int zone_arg(cy_ctx *c, cx *e, const gr_value *z, int32_t *off)
{
	if (z->type != GR_STRING)
		return cy_fail(c, e->src, "%s(): the time zone must be a string, not %s",
		    e->fn->fn_name, cy_type_name(z));
	if (cy_zone_offset(z->u.s.ptr, off) < 0 && z->u.s.len == 9 && z->u.s.ptr[6] == ':')
		return cy_fail(c, e->src, "%s(): zone offsets are kept in whole minutes, not '%s'",
		    e->fn->fn_name, z->u.s.ptr);
	if (cy_zone_offset(z->u.s.ptr, off) < 0) {
		/* a named zone: its offset at the statement's clock */
		char why[200];
		uint16_t zone = gr_tz_find(z->u.s.ptr, z->u.s.len, why, sizeof why);
		gr_datetime now;
		if (zone == 0)
			return cy_fail(c, e->src, "%s(): %s", e->fn->fn_name, why);
		cy_now(c, &now);
		if (cy_zone_instant(c, e->src, zone, &now) < 0)
			return -1;
		*off = now.dt_offset;
	}
	return 0;
}

/* The time now in zone `off`: the statement's clock, or the wall clock
 * for .realtime. */
static gr_time time_now(cy_ctx *c, int realtime, int32_t off)
{
	gr_datetime now;
	cy_clock_now(c, realtime, &now);
	now.dt_offset = off;
	return time_of_datetime(&now);
}

/* time.statement([zone]), localtime.realtime([zone]) ... */
static int fn_clock(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	int32_t off = 0;
	if (n > 0 && args[0].type == GR_NULL)
		return 0;
	if (n > 0 && zone_arg(c, e, &args[0], &off) < 0)
		return -1;
	return set_time(out, time_now(c, strstr(e->fn->fn_name, ".realtime") != NULL, off),
	    e->op == CY_F_CLOCK_LOCALTIME);
}

/*
 * The fields of a time of day, largest first, for every temporal type that
 * has a clock (time, localtime, datetime, localdatetime): the nanoseconds
 * one counts, and the nanoseconds of the span it counts within (an hour
 * within its day, a millisecond within its second).  An accessor is the
 * clock modulo `within` in units of `nanos`; a map's field runs from 0 to
 * within / nanos - 1; a base clock's defaults split it field by field
 * (a millisecond default is the base's milliseconds, without the micro-
 * and nanoseconds, which are their own fields' defaults).
 */
static const struct clock_field {
	const char *name;
	int64_t nanos, within;
} clock_fields[] = {
	{ "hour", 3600 * NANOS_PER_SEC, GR_NANOS_PER_DAY },
	{ "minute", NANOS_PER_MIN, 3600 * NANOS_PER_SEC },
	{ "second", NANOS_PER_SEC, NANOS_PER_MIN },
	{ "millisecond", 1000000, NANOS_PER_SEC },
	{ "microsecond", 1000, NANOS_PER_SEC },
	{ "nanosecond", 1, NANOS_PER_SEC },
};
#define CLOCK_FIELDS (sizeof clock_fields / sizeof *clock_fields)

int cy_clock_field(int64_t nod, const char *k, gr_value *out)
{
	for (size_t i = 0; i < CLOCK_FIELDS; i++)
		if (!strcmp(k, clock_fields[i].name)) {
			*out = gr_int(nod % clock_fields[i].within / clock_fields[i].nanos);
			return 1;
		}
	return 0;
}

int cy_offset_field(int32_t o, const gr_datetime *dt, const char *k, gr_value *out)
{
	if (!strcmp(k, "offsetMinutes"))
		*out = gr_int(o);
	else if (!strcmp(k, "offsetSeconds"))
		*out = gr_int((int64_t)o * 60);
	else if (!strcmp(k, "timezone") || !strcmp(k, "offset")) {
		char buf[80];
		int a = o < 0 ? -o : o;
		if (k[0] == 't' && dt && cy_zone_text(dt, buf, sizeof buf))
			;
		else if (o == 0 && k[0] == 't')
			snprintf(buf, sizeof buf, "Z");
		else
			snprintf(buf, sizeof buf, "%c%02d:%02d", o < 0 ? '-' : '+', a / 60, a % 60);
		*out = gr_cstring(buf);
	} else
		return 0;
	return 1;
}

int cy_map_int(const gr_value *m, const char *k, int floats, int64_t *out)
{
	const gr_value *v = gr_map_get(m, k);
	if (!v || v->type == GR_NULL)
		return 0;
	if (v->type == GR_FLOAT && floats) {
		*out = (int64_t)v->u.f;
		return 1;
	}
	if (v->type != GR_INT)
		return -1;
	*out = v->u.i;
	return 1;
}

int cy_clock_from_map(cy_ctx *c, cx *e, const gr_value *m, int64_t base, int floats, int64_t *nod)
{
	const char *fname = e->fn->fn_name;
	int64_t f[CLOCK_FIELDS], fraction = 0;

	for (size_t k = 0; k < CLOCK_FIELDS; k++) {
		const struct clock_field *cf = &clock_fields[k];
		f[k] = base % (k ? clock_fields[k - 1].nanos : GR_NANOS_PER_DAY) / cf->nanos;
		if (cy_map_int(m, cf->name, floats, &f[k]) < 0)
			return cy_fail(c, e->src, "%s(): %s must be an integer", fname, cf->name);
	}
	*nod = 0;
	for (size_t k = 0; k < CLOCK_FIELDS; k++) {
		const struct clock_field *cf = &clock_fields[k];
		if (f[k] < 0 || f[k] >= cf->within / cf->nanos)
			return cy_fail(c, e->src, cf->within > NANOS_PER_SEC ? "%s(): no such time of day" :
			    "%s(): a fraction of a second is out of range", fname);
		*nod += f[k] * cf->nanos;
		if (cf->within == NANOS_PER_SEC)
			fraction += f[k] * cf->nanos;
	}
	if (fraction >= NANOS_PER_SEC)
		return cy_fail(c, e->src, "%s(): the fraction of a second is 1 or more", fname);
	return 0;
}

/* The keys of a time map: the clock's fields, then these. */
static const char *const time_map_keys[] = { "time", "timezone" };

/* Whether k is a key of a time map; 1 for a clock field. */
static int time_key(const char *k)
{
	for (size_t i = 0; i < CLOCK_FIELDS; i++)
		if (!strcmp(k, clock_fields[i].name))
			return 1;
	for (size_t i = 0; i < sizeof time_map_keys / sizeof *time_map_keys; i++)
		if (!strcmp(k, time_map_keys[i]))
			return 0;
	return -1;
}

/* Builds a time from {hour, minute, second, millisecond, microsecond,
 * nanosecond, timezone, time}.  A `time` field (a time or a datetime of
 * either kind) gives the defaults; a timezone moves a zoned base to that
 * zone (the same instant) and is given to a local one. */
static int time_from_map(cy_ctx *c, cx *e, const gr_value *m, int local, gr_value *out)
{
	const char *fname = e->fn->fn_name;
	const gr_value *x = gr_map_get(m, "time"), *z = gr_map_get(m, "timezone");
	gr_time base = { 0, GR_TZ_NONE };
	int32_t off = GR_TZ_NONE;
	int any = 0;

	for (size_t i = 0; i < m->u.map.n; i++) {
		int k = time_key(m->u.map.keys[i]);
		if (k < 0)
			return cy_fail(c, e->src, "%s(): a time has no field '%s'", fname, m->u.map.keys[i]);
		if (k == 1 && m->u.map.vals[i].type != GR_NULL)
			any = 1;
	}
	if (z && z->type != GR_NULL && zone_arg(c, e, z, &off) < 0)
		return -1;
	if (x && x->type == GR_TIME)
		base = x->u.tm;
	else if (x && x->type == GR_DATETIME)
		base = time_of_datetime(&x->u.dt);
	else if (x && x->type != GR_NULL)
		return cy_fail(c, e->src, "%s(): the time field must be a time or a datetime, not %s",
		    fname, cy_type_name(x));
	else if (!any)
		/* {timezone: z} alone, as {}: the time now */
		return set_time(out, time_now(c, 0, off == GR_TZ_NONE ? 0 : off), local);
	else if (!gr_map_get(m, "hour"))
		return cy_fail(c, e->src, "%s(): the map needs an hour", fname);
	if (off != GR_TZ_NONE && !local)
		base = time_in_zone(&base, off);
	if (cy_clock_from_map(c, e, m, base.tm_nanos, 0, &base.tm_nanos) < 0)
		return -1;
	if (off != GR_TZ_NONE)
		base.tm_offset = off;
	return set_time(out, base, local);
}

/* time(x) and localtime(x): the time now with no argument. */
int cy_fn_time(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out, int local)
{
	const gr_value *a = &args[0];
	gr_time tm;

	if (n == 0)
		return set_time(out, time_now(c, 0, 0), local);
	switch (a->type) {
	case GR_NULL:
		return 0;
	case GR_TIME:
		return set_time(out, a->u.tm, local);
	case GR_DATETIME:
		return set_time(out, time_of_datetime(&a->u.dt), local);
	case GR_STRING:
		if (gr_parse_time(a->u.s.ptr, a->u.s.len, &tm) < 0 &&
		    cy_parse_time_text(a->u.s.ptr, a->u.s.len, &tm) < 0)
			return cy_fail(c, e->a[0]->src, "%s(): '%s' is not an ISO-8601 time of day",
			    e->fn->fn_name, a->u.s.ptr);
		return set_time(out, tm, local);
	case GR_MAP:
		return time_from_map(c, e, a, local, out);
	default:
		return cy_fail(c, e->a[0]->src, "type mismatch: %s() expects a string, a map or a time, not %s",
		    e->fn->fn_name, cy_type_name(a));
	}
}

int cy_call_time(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	switch (e->op) {
	case CY_F_TIME:
		return cy_fn_time(c, e, args, n, out, 0);
	case CY_F_LOCALTIME:
		return cy_fn_time(c, e, args, n, out, 1);
	case CY_F_CLOCK_TIME:
	case CY_F_CLOCK_LOCALTIME:
		return fn_clock(c, e, args, n, out);
	default:
		return cy_fn_truncate(c, e, args, n, out);
	}
}

int cy_time_field(const gr_value *v, const char *k, gr_value *out)
{
	int32_t o = v->u.tm.tm_offset;
	if (cy_clock_field(v->u.tm.tm_nanos, k, out))
		return 1;
	return o != GR_TZ_NONE && cy_offset_field(o, NULL, k, out);
}

/* The clock of one side of a between: nanoseconds into its day, and its
 * offset (GR_TZ_NONE for a local value or a date, whose clock is midnight). */
static void side_clock(const gr_value *v, int64_t *nod, int32_t *off)
{
	if (v->type == GR_TIME) {
		*nod = v->u.tm.tm_nanos;
		*off = v->u.tm.tm_offset;
	} else if (v->type == GR_DATETIME) {
		gr_time tm = time_of_datetime(&v->u.dt);
		*nod = tm.tm_nanos;
		*off = tm.tm_offset;
	} else {
		*nod = 0;
		*off = GR_TZ_NONE;
	}
}

/*
 * duration.between(a, b) and friends when a or b is a time of day: with no
 * date on one side only the clocks count.  When both sides have a zone, b
 * is first moved to a's (the same instant), as Neo4j does; then the span
 * is b's clock less a's, not wrapped around midnight.  In months it is
 * always zero; in days, the whole days of it.
 */
int cy_time_between(cy_ctx *c, cx *e, const gr_value *a, const gr_value *b, gr_value *out)
{
	int64_t na, nb, span;
	int32_t oa, ob;

	for (int i = 0; i < 2; i++) {
		const gr_value *v = i ? b : a;
		if (v->type != GR_DATE && v->type != GR_DATETIME && v->type != GR_TIME)
			return cy_fail(c, e->src, "type mismatch: %s() expects two temporal values, not %s and %s",
			    e->fn->fn_name, cy_type_name(a), cy_type_name(b));
	}
	if ((a->type == GR_DATETIME && cy_zone_check(c, e->src, &a->u.dt) < 0) ||
	    (b->type == GR_DATETIME && cy_zone_check(c, e->src, &b->u.dt) < 0))
		return -1;
	if (cy_zone_time_between(a, b, e->op, &out->u.du)) {
		out->type = GR_DURATION;
		return 0;
	}
	side_clock(a, &na, &oa);
	side_clock(b, &nb, &ob);
	if (oa != GR_TZ_NONE && ob != GR_TZ_NONE)
		nb += (int64_t)(oa - ob) * NANOS_PER_MIN;
	span = nb - na;
	memset(&out->u.du, 0, sizeof out->u.du);
	out->type = GR_DURATION;
	if (e->op == CY_F_DURATION_IN_MONTHS)
		return 0;
	if (e->op == CY_F_DURATION_IN_DAYS) {
		out->u.du.du_days = span / GR_NANOS_PER_DAY;
		return 0;
	}
	out->u.du.du_secs = (span - fmod64(span, NANOS_PER_SEC)) / NANOS_PER_SEC;
	out->u.du.du_nanos = (int32_t)fmod64(span, NANOS_PER_SEC);
	return 0;
}
