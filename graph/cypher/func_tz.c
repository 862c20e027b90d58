/*
 * func_tz.c: named time zones in the temporal functions of func.c:
 * datetime({..., timezone: 'Europe/Stockholm'}), datetime('...[Zone]'),
 * the clocks in a zone, and a zone's name in .timezone.  The zone
 * database itself is graph/tz.c.
 */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "../tz.h"

int cy_zone_find(cy_ctx *c, const cy_expr *at, const char *name, uint16_t *zone)
{
	char err[200];

	*zone = gr_tz_find(name, strlen(name), err, sizeof err);
	if (*zone == 0)
		return cy_fail(c, at, "%s", err);
	return 0;
}

/* Fails with why zone's rules cannot be read, else with `otherwise`. */
static int zone_fail(cy_ctx *c, const cy_expr *at, uint16_t zone, const char *otherwise)
{
	char err[200];
	const char *name = gr_tz_name(zone);

	if (gr_tz_find(name, strlen(name), err, sizeof err) == 0)
		return cy_fail(c, at, "%s", err);
	return cy_fail(c, at, "%s", otherwise);
}

int cy_zone_check(cy_ctx *c, const cy_expr *at, const gr_datetime *dt)
{
	int32_t off;

	if (dt->dt_offset == GR_TZ_NONE || dt->dt_zone == 0 || gr_tz_offset_at(dt->dt_zone, 0, &off) == 0)
		return 0;
	return zone_fail(c, at, dt->dt_zone, "the time zone cannot be read");
}

int cy_zone_local(cy_ctx *c, const cy_expr *at, uint16_t zone, int32_t prefer, gr_datetime *dt)
{
	if (gr_tz_datetime_local(zone, dt->dt_secs, dt->dt_nanos,
	                         prefer == GR_TZ_NONE ? GR_TZ_NONE : prefer * 60, dt) < 0)
		return zone_fail(c, at, zone, "datetime out of range");
	return 0;
}

int cy_zone_instant(cy_ctx *c, const cy_expr *at, uint16_t zone, gr_datetime *dt)
{
	if (gr_tz_datetime_instant(zone, dt, dt) < 0)
		return zone_fail(c, at, zone, "datetime out of range");
	return 0;
}

int cy_zone_convert(cy_ctx *c, const cy_expr *at, const char *s, gr_datetime *dt)
{
	int32_t off;
	uint16_t zone;

	if (cy_zone_offset(s, &off) == 0) {
		dt->dt_offset = off;
		dt->dt_zone = 0;
		return 0;
	}
	if (cy_zone_find(c, at, s, &zone) < 0)
		return -1;
	return cy_zone_instant(c, at, zone, dt);
}

int cy_parse_zoned(cy_ctx *c, const cy_expr *at, const gr_value *s, gr_datetime *dt)
{
	char err[200];
	int rc = gr_tz_parse_datetime(s->u.s.ptr, s->u.s.len, cy_parse_datetime_text, dt, err, sizeof err);

	if (rc == -2)
		return cy_fail(c, at, "%s", err);
	if (rc == -1)
		return cy_fail(c, at, "'%s' is not an ISO-8601 datetime", s->u.s.ptr);
	return rc;
}

int cy_zone_text(const gr_datetime *dt, char *buf, size_t n)
{
	if (dt->dt_offset == GR_TZ_NONE || dt->dt_zone == 0)
		return 0;
	snprintf(buf, n, "%s", gr_tz_name(dt->dt_zone));
	return 1;
}

/* A local time (no zone) beside a datetime in a named zone: the time on the
 * datetime's date, in its zone, as Neo4j puts it there; 0 otherwise. */
static int time_on_date(const gr_value *dtv, const gr_value *tv, gr_datetime *out)
{
	const gr_datetime *dt = &dtv->u.dt;
	int64_t local, day;

	if (dtv->type != GR_DATETIME || dt->dt_offset == GR_TZ_NONE || dt->dt_zone == 0 ||
	    tv->type != GR_TIME || tv->u.tm.tm_offset != GR_TZ_NONE)
		return 0;
	local = dt->dt_secs + (int64_t)dt->dt_offset * 60;
	day = local / 86400 - (local % 86400 < 0);
	*out = (gr_datetime){ day * 86400 + tv->u.tm.tm_nanos / 1000000000,
	                      (int32_t)(tv->u.tm.tm_nanos % 1000000000), GR_TZ_NONE, 0 };
	return 1;
}

int cy_zone_time_between(const gr_value *a, const gr_value *b, int op, gr_duration *out)
{
	gr_datetime da, db;

	if (time_on_date(a, b, &db))
		da = a->u.dt;
	else if (time_on_date(b, a, &da))
		db = b->u.dt;
	else
		return 0;
	if (op == CY_F_DURATION_BETWEEN)
		gr_duration_between_datetimes(&da, &db, out);
	else
		gr_duration_in(&da, &db, op == CY_F_DURATION_IN_MONTHS ? GR_IN_MONTHS :
		    op == CY_F_DURATION_IN_DAYS ? GR_IN_DAYS : GR_IN_SECONDS, out);
	return 1;
}
