/*
 * tz.h: named time zones (Europe/Stockholm, America/New_York ...) read from
 * the system's compiled tz database (/usr/share/zoneinfo, Debian's tzdata,
 * or the directory in $TZDIR), in the TZif format of RFC 8536.
 *
 * A zone is known to the process by a small id (1 ..), interned from its
 * name; 0 means "no named zone".  Ids are not stable across processes:
 * stored values carry the name (see value.h).  Interning only checks the
 * name; the rules are read from the database on first use, so a stored
 * datetime can be read and printed without tzdata.
 *
 * Offsets here are in seconds east of UTC.
 */
#ifndef SG_TZ_H
#define SG_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

#define GR_TZ_NAME_MAX 64    /* longest zone name accepted */

/* 1 when s[0..len) is a well-formed zone name: components of letters,
 * digits, '_', '+' and '-' separated by single '/', not "posix/" or
 * "right/" (the database's variant trees), at most GR_TZ_NAME_MAX bytes.
 * A '.' can never occur, so no name can climb out of the database. */
int gr_tz_name_ok(const char *s, size_t len);

/* The id of a zone name, interning it when new.  0 when the name is not
 * well formed or the table of zones is full. */
uint16_t gr_tz_intern(const char *s, size_t len);

/* The name of an id ("" for 0 or an unknown id). */
const char *gr_tz_name(uint16_t id);

/* Looks up a zone by name and reads its rules: its id, or 0 with a
 * message in err ("unknown time zone 'X'", "no time zone database in
 * /usr/share/zoneinfo (install tzdata)", "time zone file X is damaged"). */
uint16_t gr_tz_find(const char *s, size_t len, char *err, size_t errlen);

/* The offset of zone id at the instant utc (seconds since the epoch).
 * Returns 0, or -1 when the zone's rules cannot be read. */
int gr_tz_offset_at(uint16_t id, int64_t utc, int32_t *off);

/*
 * The offset of zone id for the wall-clock time *local (seconds since
 * 1970-01-01T00:00 on the zone's clock), as java.time resolves one: when
 * the clocks went back and the time happened twice, `prefer` if it is one
 * of the two offsets, else the earlier (the offset before the change);
 * when the clocks went forward over it, the offset after the change, and
 * *local moves on by the length of the gap.  Returns 0, or -1.
 */
int gr_tz_offset_local(uint16_t id, int64_t *local, int32_t prefer, int32_t *off);

/* ---- datetimes in named zones (graph/tz_value.c) ---- */

/* A datetime in zone id at the wall-clock time local (seconds as above)
 * and nanos; prefer is a preferred offset in seconds (or GR_TZ_NONE).
 * Returns 0, or -1 when the zone's rules cannot be read. */
int gr_tz_datetime_local(uint16_t id, int64_t local, int32_t nanos, int32_t prefer, gr_datetime *out);

/* dt moved to zone id, the same instant.  Returns 0, or -1. */
int gr_tz_datetime_instant(uint16_t id, const gr_datetime *dt, gr_datetime *out);

/* gr_datetime_add for a datetime in a named zone: months and days move
 * the wall-clock date (resolved in the zone, keeping the offset when it
 * can), then the seconds move the instant.  Returns 0, or -1. */
int gr_tz_datetime_add(const gr_datetime *dt, const gr_duration *du, int sign, gr_datetime *out);

/* When one of a, b is in a named zone and the other is local, or both
 * zoned: the pair to compute a span between, the local one given the
 * zone of the other (a's zone when both are zoned).  Returns 1 when it
 * did so (the span must then be taken with gr_tz_between), 0 when neither
 * has a named zone. */
int gr_tz_between_pair(const gr_datetime *a, const gr_datetime *b, gr_datetime *za, gr_datetime *zb);

/* duration.between and duration.inMonths/inDays/inSeconds (unit as
 * gr_duration_in, or -1 for between) for two datetimes in named zones:
 * months and days on the wall clock of a's zone, the rest as elapsed time. */
void gr_tz_between(const gr_datetime *a, const gr_datetime *b, int unit, gr_duration *out);

/* Parses "...[Zone/Name]": the datetime before the bracket (with or
 * without an offset) in the named zone, the instant kept when an offset
 * is given.  parse is the parser of the part before the bracket.  Returns
 * 0, 1 when s has no bracket (not handled), -1 when malformed, -2 when the
 * zone is unknown (err says why). */
int gr_tz_parse_datetime(const char *s, size_t len,
    int (*parse)(const char *, size_t, gr_datetime *), gr_datetime *out, char *err, size_t errlen);

#endif
