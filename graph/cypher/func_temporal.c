/*
 * func_temporal.c: date.truncate, datetime.truncate,
 * localdatetime.truncate, time.truncate and localtime.truncate(unit,
 * temporal[, map]).
 *
 * A truncation keeps the fields of the temporal down to the unit and resets
 * the rest to their first value (the first day of the month, midnight ...).
 * The fields of the optional map then replace fields of the result, as in
 * date({date: ..., day: 2}).  The result is built as a map of fields and
 * handed to the constructors of func.c, so it gets their checks and zones.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"

const char *cy_type_name(const gr_value *v);

enum trunc_unit {
	TU_MILLENNIUM, TU_CENTURY, TU_DECADE, TU_YEAR, TU_WEEKYEAR, TU_QUARTER,
	TU_MONTH, TU_WEEK, TU_DAY, TU_HOUR, TU_MINUTE, TU_SECOND,
	TU_MILLISECOND, TU_MICROSECOND
};

static const char *const unit_names[] = {
	"millennium", "century", "decade", "year", "weekYear", "quarter",
	"month", "week", "day", "hour", "minute", "second",
	"millisecond", "microsecond"
};

/* The wall-clock fields of a temporal value. */
struct fields {
	int32_t days;      /* local date, days since 1970-01-01 */
	int64_t sod;       /* local seconds of the day */
	int64_t nanos;
	int32_t offset;    /* minutes east of UTC, or GR_TZ_NONE */
	gr_datetime zoned; /* the value, for its named zone (cy_zone_text) */
};

static int64_t fdiv(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* ISO weekday 1 (Monday) .. 7 (1970-01-01 was a Thursday). */
static int64_t iso_weekday(int64_t days)
{
	return days + 3 - fdiv(days + 3, 7) * 7 + 1;
}

/* The Monday of week 1 of the week-year that holds `days`. */
static int64_t week_year_start(int64_t days)
{
	int64_t y, thu = days - iso_weekday(days) + 4;
	unsigned m, d;
	gr_civil_from_days((int32_t)thu, &y, &m, &d);
	int64_t jan4 = gr_days_from_civil(y, 1, 4);
	return jan4 - iso_weekday(jan4) + 1;
}

static int get_fields(const gr_value *v, struct fields *f)
{
	if (v->type == GR_TIME) {
		/* only a time's own truncations take one (see cy_fn_truncate) */
		*f = (struct fields){ 0, v->u.tm.tm_nanos / 1000000000, v->u.tm.tm_nanos % 1000000000,
		                      v->u.tm.tm_offset, { 0, 0, GR_TZ_NONE, 0 } };
		return 0;
	}
	if (v->type == GR_DATE) {
		*f = (struct fields){ v->u.date, 0, 0, GR_TZ_NONE, { 0, 0, GR_TZ_NONE, 0 } };
		return 0;
	}
	if (v->type != GR_DATETIME)
		return -1;
	int64_t local = v->u.dt.dt_secs, days;
	f->offset = v->u.dt.dt_offset;
	f->zoned = v->u.dt;
	if (f->offset != GR_TZ_NONE)
		local += (int64_t)f->offset * 60;
	days = fdiv(local, 86400);
	/* leave room for truncating back a millennium within 32-bit days */
	if (days < -2000000000 || days > 2000000000)
		return -2;
	f->days = (int32_t)days;
	f->sod = local - (int64_t)f->days * 86400;
	f->nanos = v->u.dt.dt_nanos;
	return 0;
}

/* Truncates f to unit u. */
static void truncate_fields(struct fields *f, int u)
{
	int64_t y;
	unsigned m, d;

	gr_civil_from_days(f->days, &y, &m, &d);
	if (u <= TU_MONTH) {
		switch (u) {
		case TU_MILLENNIUM: y = fdiv(y, 1000) * 1000; m = 1; break;
		case TU_CENTURY: y = fdiv(y, 100) * 100; m = 1; break;
		case TU_DECADE: y = fdiv(y, 10) * 10; m = 1; break;
		case TU_YEAR: m = 1; break;
		case TU_QUARTER: m = (m - 1) / 3 * 3 + 1; break;
		default: break;
		}
		f->days = gr_days_from_civil(y, m, 1);
		if (u == TU_WEEKYEAR)
			f->days = (int32_t)week_year_start(f->days);
	} else if (u == TU_WEEK) {
		f->days = (int32_t)(f->days - iso_weekday(f->days) + 1);
	}
	switch (u) {
	case TU_HOUR: f->sod -= f->sod % 3600; break;
	case TU_MINUTE: f->sod -= f->sod % 60; break;
	case TU_SECOND: break;
	case TU_MILLISECOND: f->nanos -= f->nanos % 1000000; return;
	case TU_MICROSECOND: f->nanos -= f->nanos % 1000; return;
	default: f->sod = 0; break;
	}
	f->nanos = 0;
}

/* The fields as a constructor map, with the zone of a zoned value; only
 * the time of day's when the result is a time. */
static int fields_map(const struct fields *f, int time_only, gr_value *m)
{
	int64_t y;
	unsigned mo, d;
	int rc = 0;

	gr_civil_from_days(f->days, &y, &mo, &d);
	*m = gr_map();
	if (!time_only) {
		rc |= gr_map_set(m, "year", gr_int(y));
		rc |= gr_map_set(m, "month", gr_int(mo));
		rc |= gr_map_set(m, "day", gr_int(d));
	}
	rc |= gr_map_set(m, "hour", gr_int(f->sod / 3600));
	rc |= gr_map_set(m, "minute", gr_int(f->sod / 60 % 60));
	rc |= gr_map_set(m, "second", gr_int(f->sod % 60));
	rc |= gr_map_set(m, "millisecond", gr_int(f->nanos / 1000000));
	rc |= gr_map_set(m, "microsecond", gr_int(f->nanos / 1000 % 1000));
	rc |= gr_map_set(m, "nanosecond", gr_int(f->nanos % 1000));
	if (f->offset != GR_TZ_NONE) {
		char z[80];
		int a = f->offset < 0 ? -f->offset : f->offset;
		if (cy_zone_text(&f->zoned, z, sizeof z))
			;
		else if (f->offset == 0)
			strcpy(z, "Z");
		else
			snprintf(z, sizeof z, "%c%02d:%02d", f->offset < 0 ? '-' : '+', a / 60 % 100, a % 60);
		rc |= gr_map_set(m, "timezone", gr_cstring(z));
	}
	return rc;
}

static int is_time_op(int op)
{
	return op == CY_F_TIME_TRUNCATE || op == CY_F_LOCALTIME_TRUNCATE;
}

/* Applies the user's map: its fields replace the truncated ones; a
 * dayOfWeek moves within the (truncated) week. */
static int apply_overrides(cy_ctx *c, cx *e, struct fields *f, const gr_value *over, gr_value *m)
{
	const gr_value *dow = gr_map_get(over, "dayOfWeek");
	if (dow && dow->type != GR_NULL) {
		if (dow->type != GR_INT || dow->u.i < 1 || dow->u.i > 7)
			return cy_fail(c, e->src, "%s(): dayOfWeek must be an integer from 1 to 7", e->fn->fn_name);
		f->days = (int32_t)(f->days - iso_weekday(f->days) + dow->u.i);
	}
	if (fields_map(f, is_time_op(e->op), m) < 0)
		return cy_nomem(c);
	for (size_t i = 0; i < over->u.map.n; i++) {
		gr_value v;
		if (!strcmp(over->u.map.keys[i], "dayOfWeek"))
			continue;
		if (gr_value_copy(&v, &over->u.map.vals[i]) < 0 || gr_map_set(m, over->u.map.keys[i], v) < 0)
			return cy_nomem(c);
	}
	return 0;
}

int cy_fn_truncate(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	const char *fname = e->fn->fn_name;
	struct fields f;
	gr_value m = gr_null();
	int u, rc;

	if (args[0].type == GR_NULL || args[1].type == GR_NULL)
		return 0;
	if (args[0].type != GR_STRING)
		return cy_fail(c, e->a[0]->src, "%s(): the unit must be a string", fname);
	for (u = 0; u <= TU_MICROSECOND; u++)
		if (!strcmp(args[0].u.s.ptr, unit_names[u]))
			break;
	if (u > TU_MICROSECOND)
		return cy_fail(c, e->a[0]->src, "%s(): unknown unit '%s'", fname, args[0].u.s.ptr);
	if (e->op == CY_F_DATE_TRUNCATE && u > TU_DAY)
		return cy_fail(c, e->a[0]->src, "%s(): a date cannot be truncated to the %s", fname, unit_names[u]);
	if (is_time_op(e->op) && u < TU_DAY)
		return cy_fail(c, e->a[0]->src, "%s(): a time cannot be truncated to the %s", fname, unit_names[u]);
	/* a time of day has no date to give a date or datetime, and a date
	 * no time of day to give a time */
	if ((args[1].type == GR_TIME && !is_time_op(e->op)) || (args[1].type == GR_DATE && is_time_op(e->op)))
		rc = -1;
	else
		rc = get_fields(&args[1], &f);
	if (rc == -2)
		return cy_fail(c, e->a[1]->src, "%s(): the value is out of the range of dates", fname);
	if (rc < 0)
		return cy_fail(c, e->a[1]->src, "type mismatch: %s() expects %s, not %s", fname,
		    is_time_op(e->op) ? "a time or datetime" : "a date or datetime", cy_type_name(&args[1]));
	if (n > 2 && args[2].type != GR_MAP && args[2].type != GR_NULL)
		return cy_fail(c, e->a[2]->src, "type mismatch: %s() expects a map, not %s",
		    fname, cy_type_name(&args[2]));
	truncate_fields(&f, u);
	if (n > 2 && args[2].type == GR_MAP)
		rc = apply_overrides(c, e, &f, &args[2], &m);
	else
		rc = fields_map(&f, is_time_op(e->op), &m) < 0 ? cy_nomem(c) : 0;
	if (rc == 0) {
		if (is_time_op(e->op))
			rc = cy_fn_time(c, e, &m, 1, out, e->op == CY_F_LOCALTIME_TRUNCATE);
		else if (e->op == CY_F_DATE_TRUNCATE)
			rc = cy_fn_date(c, e, &m, 1, out);
		else
			rc = cy_fn_datetime(c, e, &m, 1, out, e->op == CY_F_LOCALDATETIME_TRUNCATE);
	}
	gr_value_free(&m);
	return rc;
}
