/*
 * tz_value.c: datetimes in named zones: resolving a wall-clock time or an
 * instant in a zone, arithmetic across daylight-saving changes, spans
 * between two datetimes, and the "...[Zone/Name]" text form.
 *
 * A datetime in a named zone is an ordinary zoned datetime (seconds, nanos,
 * offset in minutes) that also carries its zone's id (dt_zone), so that
 * arithmetic can find the offset that applies after it.  As everywhere,
 * dt_secs + dt_offset * 60 is the wall clock: the offset of the zone is
 * kept to the minute (truncated), which changes nothing after 1900 or so;
 * for the local mean time of earlier years, whose offsets have seconds,
 * the wall clock stays exact and the instant is within a minute.
 */
#include "tz.h"

#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400LL
#define NANOS_PER_SEC 1000000000LL
/* Wall-clock seconds that keep a day number within int32. */
#define SECS_LIMIT ((int64_t)INT32_MAX * SECS_PER_DAY)

typedef __int128 i128;

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

int gr_tz_datetime_local(uint16_t id, int64_t local, int32_t nanos, int32_t prefer, gr_datetime *out)
{
	int32_t off;

	if (local > SECS_LIMIT || local < -SECS_LIMIT)
		return -1;
	if (gr_tz_offset_local(id, &local, prefer, &off) < 0)
		return -1;
	memset(out, 0, sizeof *out);
	out->dt_offset = off / 60;
	out->dt_secs = local - (int64_t)out->dt_offset * 60;
	out->dt_nanos = nanos;
	out->dt_zone = id;
	return 0;
}

int gr_tz_datetime_instant(uint16_t id, const gr_datetime *dt, gr_datetime *out)
{
	int32_t off;
	gr_datetime r = *dt;

	if (gr_tz_offset_at(id, dt->dt_secs, &off) < 0)
		return -1;
	r.dt_offset = off / 60;
	r.dt_zone = id;
	*out = r;
	return 0;
}

/* dt within the range of dates, so that no sum below can overflow (a
 * value read from a damaged store may hold any seconds). */
static int in_range(const gr_datetime *dt)
{
	return dt->dt_secs <= SECS_LIMIT && dt->dt_secs >= -SECS_LIMIT;
}

static int64_t wall(const gr_datetime *dt)
{
	return dt->dt_secs + (dt->dt_offset == GR_TZ_NONE ? 0 : (int64_t)dt->dt_offset * 60);
}

int gr_tz_datetime_add(const gr_datetime *dt, const gr_duration *du, int sign, gr_datetime *out)
{
	int64_t local, day, sod;
	gr_duration md = { du->du_months, du->du_days, 0, 0 };
	gr_datetime moved;
	int32_t nday;
	i128 secs, nanos;

	if (!in_range(dt))
		return -1;
	local = wall(dt);
	day = floor_div(local, SECS_PER_DAY);
	sod = local - day * SECS_PER_DAY;
	sign = sign < 0 ? -1 : 1;
	if (day < INT32_MIN || day > INT32_MAX || gr_date_add((int32_t)day, &md, sign, &nday) < 0)
		return -1;
	/* months and days move the wall clock, resolved in the zone */
	if (gr_tz_datetime_local(dt->dt_zone, (int64_t)nday * SECS_PER_DAY + sod, dt->dt_nanos,
	                         dt->dt_offset * 60, &moved) < 0)
		return -1;
	/* the time moves the instant */
	nanos = (i128)moved.dt_nanos + (i128)sign * du->du_nanos;
	secs = (i128)moved.dt_secs + (i128)sign * du->du_secs;
	if (nanos < 0) {
		nanos += NANOS_PER_SEC;
		secs -= 1;
	} else if (nanos >= NANOS_PER_SEC) {
		nanos -= NANOS_PER_SEC;
		secs += 1;
	}
	if (secs > SECS_LIMIT || secs < -SECS_LIMIT)
		return -1;
	moved.dt_secs = (int64_t)secs;
	moved.dt_nanos = (int32_t)nanos;
	return gr_tz_datetime_instant(dt->dt_zone, &moved, out);
}

static int named(const gr_datetime *dt)
{
	return dt->dt_offset != GR_TZ_NONE && dt->dt_zone != 0;
}

int gr_tz_between_pair(const gr_datetime *a, const gr_datetime *b, gr_datetime *za, gr_datetime *zb)
{
	*za = *a;
	*zb = *b;
	if (!in_range(a) || !in_range(b))
		return 0;
	if (named(a) && b->dt_offset != GR_TZ_NONE)
		return 1;
	/* a local datetime (or date at midnight) is taken in the other's zone */
	if (named(a) && b->dt_offset == GR_TZ_NONE)
		return gr_tz_datetime_local(a->dt_zone, b->dt_secs, b->dt_nanos, GR_TZ_NONE, zb) == 0;
	if (named(b) && a->dt_offset == GR_TZ_NONE)
		return gr_tz_datetime_local(b->dt_zone, a->dt_secs, a->dt_nanos, GR_TZ_NONE, za) == 0;
	return 0;
}

/* b - a in seconds and nanoseconds, elapsed time. */
static void elapsed(const gr_datetime *a, const gr_datetime *b, gr_duration *out)
{
	i128 n = ((i128)b->dt_secs - a->dt_secs) * NANOS_PER_SEC + (b->dt_nanos - a->dt_nanos);
	i128 s = n / NANOS_PER_SEC;

	n %= NANOS_PER_SEC;
	if (n < 0) {
		n += NANOS_PER_SEC;
		s -= 1;
	}
	out->du_secs = (int64_t)s;
	out->du_nanos = (int32_t)n;
}

/*
 * As java.time's ZonedDateTime.until: b is first taken to a's zone (the
 * same instant); months and days count on the two wall clocks; what is
 * left after a has moved by them is elapsed time, so that a day on which
 * the clocks change has 23 or 25 hours.
 */
void gr_tz_between(const gr_datetime *a, const gr_datetime *b, int unit, gr_duration *out)
{
	gr_datetime bz, la, lb, moved;
	gr_duration md;

	memset(out, 0, sizeof *out);
	if (gr_tz_datetime_instant(a->dt_zone, b, &bz) < 0)
		return;
	la = (gr_datetime){ wall(a), a->dt_nanos, GR_TZ_NONE, 0 };
	lb = (gr_datetime){ wall(&bz), bz.dt_nanos, GR_TZ_NONE, 0 };
	if (unit == GR_IN_MONTHS || unit == GR_IN_DAYS) {
		gr_duration_in(&la, &lb, unit, out);
		return;
	}
	if (unit == GR_IN_SECONDS) {
		elapsed(a, &bz, out);
		return;
	}
	gr_duration_between_datetimes(&la, &lb, &md);
	md.du_secs = 0;
	md.du_nanos = 0;
	if (gr_tz_datetime_add(a, &md, 1, &moved) < 0)
		return;
	out->du_months = md.du_months;
	out->du_days = md.du_days;
	elapsed(&moved, &bz, out);
}

int gr_tz_parse_datetime(const char *s, size_t len,
    int (*parse)(const char *, size_t, gr_datetime *), gr_datetime *out, char *err, size_t errlen)
{
	const char *open;
	char msg[160];
	gr_datetime dt;
	uint16_t id;

	if (len < 2 || s[len - 1] != ']')
		return 1;
	open = memchr(s, '[', len);
	if (open == NULL || open == s)
		return -1;
	if (parse(s, (size_t)(open - s), &dt) < 0)
		return -1;
	id = gr_tz_find(open + 1, (size_t)(s + len - 1 - (open + 1)), msg, sizeof msg);
	if (id == 0) {
		if (err)
			snprintf(err, errlen, "%s", msg);
		return -2;
	}
	/* with an offset, the instant it names; without, the wall clock */
	if (dt.dt_offset == GR_TZ_NONE)
		return gr_tz_datetime_local(id, dt.dt_secs, dt.dt_nanos, GR_TZ_NONE, out) < 0 ? -1 : 0;
	return gr_tz_datetime_instant(id, &dt, out) < 0 ? -1 : 0;
}
