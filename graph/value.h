/*
 * value.h: typed property and query values, their compact binary encoding,
 * their text forms (ISO-8601, JSON), and the temporal arithmetic of Cypher.
 *
 * One value type serves the whole program: properties read from the store,
 * literals and intermediate results of the Cypher engine, and what importers
 * and exporters hand around.  The same binary encoding is used everywhere
 * a value is stored: node and edge records, the change-log digest, sort keys.
 *
 * Ownership: a gr_value owns its heap data (string bytes, list items, map
 * keys and values, path members).  gr_value_free() releases it and leaves a
 * GR_NULL behind; gr_value_copy() makes an independent deep copy.  Functions
 * that take a `const gr_value *` never keep a pointer to it.  Functions that
 * produce a value write it to an out-parameter the caller then owns.
 *
 * Binary encoding (gr_value_encode): one tag byte, then
 *   GR_NULL, GR_FALSE, GR_TRUE     nothing
 *   GR_INT      zigzag varint (exact to 64 bits)
 *   GR_FLOAT    8 bytes, IEEE-754 big-endian
 *   GR_STRING   varint length, UTF-8 bytes
 *   GR_DATE     zigzag varint, days since 1970-01-01 (proleptic Gregorian)
 *   GR_DATE2K   (a date from 2000-01-01 on) varint days since 2000-01-01:
 *               two bytes instead of three for the dates investigators use
 *   GR_DATETIME zigzag varint seconds since the epoch (UTC), varint nanos,
 *               zigzag varint zone offset in minutes, or GR_TZ_NONE for a
 *               local datetime with no zone
 *   GR_DATETIME_ZONE  (a datetime in a named zone) as GR_DATETIME, then
 *               varint length and the zone's name ("Europe/Stockholm")
 *   GR_DURATION zigzag varints months, days, seconds, then varint nanos
 *   GR_TIME     varint nanoseconds since midnight (wall clock), zigzag
 *               varint zone offset in minutes, or GR_TZ_NONE for a local
 *               time with no zone
 *   GR_LIST     varint count, then each item encoded
 *   GR_MAP      varint count, then (varint key length, key bytes, value)
 * Nodes, relationships and paths are query-time values and are not encoded.
 */
#ifndef SG_VALUE_H
#define SG_VALUE_H

#include <stddef.h>
#include <stdint.h>

/* Value kinds.  The numeric values are the encoding's tag bytes: never renumber. */
typedef enum gr_type {
	GR_NULL = 0,
	GR_BOOL = 1,      /* encoded as tag GR_FALSE or GR_TRUE */
	GR_INT = 3,
	GR_FLOAT = 4,
	GR_STRING = 5,
	GR_DATE = 6,
	GR_DATETIME = 7,
	GR_DURATION = 8,
	GR_LIST = 9,
	GR_MAP = 10,
	GR_TIME = 12,     /* a time of day: openCypher's time and localtime */
	GR_NODE = 16,     /* query-time only */
	GR_EDGE = 17,     /* query-time only */
	GR_PATH = 18      /* query-time only */
} gr_type;

#define GR_FALSE 1      /* tag byte of false */
#define GR_TRUE 2       /* tag byte of true */
#define GR_DATE2K 11    /* tag byte of a date from 2000 on (see above) */
#define GR_DAYS_2000 10957   /* 2000-01-01 in days since 1970-01-01 */
#define GR_TZ_NONE (-32768)   /* datetime with no zone (a local datetime) */
#define GR_DATETIME_ZONE 15   /* tag byte of a datetime in a named zone (see above) */

typedef struct gr_value gr_value;

typedef struct gr_datetime {
	int64_t dt_secs;      /* seconds since 1970-01-01T00:00:00Z */
	int32_t dt_nanos;     /* 0..999999999 */
	int32_t dt_offset;    /* zone offset in minutes east of UTC, or GR_TZ_NONE */
	uint16_t dt_zone;     /* a named zone's id (graph/tz.h) when zoned, or 0 */
} gr_datetime;

/* A time of day, zoned (openCypher's time) or local (localtime). */
typedef struct gr_time {
	int64_t tm_nanos;     /* nanoseconds since midnight on the wall clock, 0..GR_NANOS_PER_DAY-1 */
	int32_t tm_offset;    /* zone offset in minutes east of UTC, or GR_TZ_NONE */
} gr_time;

#define GR_NANOS_PER_DAY 86400000000000LL

typedef struct gr_duration {
	int64_t du_months;
	int64_t du_days;
	int64_t du_secs;
	int32_t du_nanos;     /* 0..999999999, added to du_secs */
} gr_duration;

/* A path: nodes[0] rels[0] nodes[1] ... rels[n-1] nodes[n]; items are
 * GR_NODE and GR_EDGE values. */
typedef struct gr_path {
	gr_value *pa_nodes;
	gr_value *pa_rels;
	size_t pa_len;        /* number of relationships; nodes = pa_len + 1 */
} gr_path;

struct gr_value {
	uint8_t type;         /* gr_type */
	union {
		int b;                                      /* GR_BOOL: 0 or 1 */
		int64_t i;                                  /* GR_INT */
		double f;                                   /* GR_FLOAT */
		struct { char *ptr; size_t len; } s;        /* GR_STRING: UTF-8, NUL-terminated too */
		int32_t date;                               /* GR_DATE: days since 1970-01-01 */
		gr_datetime dt;                             /* GR_DATETIME */
		gr_time tm;                                 /* GR_TIME */
		gr_duration du;                             /* GR_DURATION */
		/* GR_LIST and GR_MAP: cap is the number of allocated slots, kept
		 * by gr_list/gr_map/gr_list_push/gr_map_set; code that builds one
		 * by hand sets cap = n (or 0).  A map's keys are unique and
		 * NUL-terminated, in insertion order. */
		struct { gr_value *items; size_t n, cap; } list; /* GR_LIST */
		struct { char **keys; gr_value *vals; size_t n, cap; } map; /* GR_MAP */
		struct { uint32_t id; } node;               /* GR_NODE */
		struct { uint32_t id, type, src, dst; } edge; /* GR_EDGE: id, type symbol, endpoints */
		gr_path *path;                              /* GR_PATH */
	} u;
};

/* Constructors.  String constructors copy their input.  When memory runs
 * out, a constructor that allocates returns a GR_NULL value. */
gr_value gr_null(void);
gr_value gr_bool(int b);
gr_value gr_int(int64_t i);
gr_value gr_float(double f);
gr_value gr_date(int32_t days);
gr_value gr_string(const char *s, size_t len);
/* A constructor's null for want of memory is noted (gr_nomem_note);
 * gr_nomem_take() returns 1 when one was since the last call, and forgets
 * it.  gr_write refuses to commit after one, and the command fails. */
void gr_nomem_note(void);
int gr_nomem_take(void);
gr_value gr_cstring(const char *s);
/* A string value that takes ownership of `s` (malloc'd, NUL at s[len]). */
gr_value gr_string_own(char *s, size_t len);
/* An empty list with room for `cap` items; append with gr_list_push. */
gr_value gr_list(size_t cap);
/* Appends `item` to list `l`, taking ownership of it (it is freed on
 * failure). Returns 0, or -1 on ENOMEM. */
int gr_list_push(gr_value *l, gr_value item);
gr_value gr_map(void);
/* Sets key in map `m` (replacing an existing entry), taking ownership of `v`
 * (it is freed on failure). Returns 0, or -1 on ENOMEM. */
int gr_map_set(gr_value *m, const char *key, gr_value v);
/* The value of key in map `m`, or NULL. */
const gr_value *gr_map_get(const gr_value *m, const char *key);

void gr_value_free(gr_value *v);
int gr_value_copy(gr_value *dst, const gr_value *src);

/* Total order used by ORDER BY (openCypher's "orderability"): maps < nodes <
 * relationships < lists < paths < datetimes < local datetimes < dates <
 * times < local times < durations < strings < booleans < numbers < null;
 * within a kind the natural order (times by their instant in UTC, then
 * offset); NaN after all numbers.  Returns <0, 0, >0. */
int gr_value_order(const gr_value *a, const gr_value *b);

/* Cypher equality: 1 equal, 0 not equal, -1 unknown (null involved). Integers
 * and floats compare by numeric value. */
int gr_value_equal(const gr_value *a, const gr_value *b);

/* Cypher comparison for <, <=, >, >=: sets *cmp and returns 0 when the two
 * are comparable (numbers, strings, booleans, same temporal kind, lists
 * elementwise), -1 when the result is null, 1 when they are numbers that
 * are unordered because one is NaN (then <, <=, >, >= are all false). */
int gr_value_compare(const gr_value *a, const gr_value *b, int *cmp);

/* A hash consistent with gr_value_equal for DISTINCT and grouping (1 and 1.0
 * hash alike). */
uint64_t gr_value_hash(const gr_value *v);

/* ---- binary encoding ---- */

/* A growable byte buffer. */
typedef struct gr_buf {
	unsigned char *b_data;
	size_t b_len, b_cap;
} gr_buf;

int gr_buf_reserve(gr_buf *b, size_t more);
int gr_buf_put(gr_buf *b, const void *p, size_t n);
int gr_buf_byte(gr_buf *b, unsigned char c);
int gr_buf_varint(gr_buf *b, uint64_t v);
int gr_buf_zigzag(gr_buf *b, int64_t v);
void gr_buf_free(gr_buf *b);

/* Reads a varint from [*p, end); advances *p. Returns 0, or -1 if truncated. */
int gr_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v);
int gr_get_zigzag(const unsigned char **p, const unsigned char *end, int64_t *v);

/* Appends the encoding of v (not a node, edge or path). Returns 0, -1 on ENOMEM
 * or an unencodable kind. */
int gr_value_encode(gr_buf *b, const gr_value *v);
/* Decodes one value from [*p, end) into *v, advancing *p. Returns 0, or -1
 * when the bytes are malformed (nothing is allocated then). */
int gr_value_decode(const unsigned char **p, const unsigned char *end, gr_value *v);
/* Skips one encoded value. Returns 0 or -1. */
int gr_value_skip(const unsigned char **p, const unsigned char *end);

/* ---- temporal values (graph/temporal.c) ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int32_t gr_days_from_civil(int64_t y, unsigned m, unsigned d);
void gr_civil_from_days(int32_t days, int64_t *y, unsigned *m, unsigned *d);

/* Parses a full ISO-8601 date "YYYY-MM-DD" (also "+YYYYY-MM-DD") exactly
 * (the whole string). Returns 0 and sets *days, or -1. Rejects 2024-02-30. */
int gr_parse_date(const char *s, size_t len, int32_t *days);
/* Parses an ISO-8601 datetime "YYYY-MM-DDThh:mm[:ss[.fffffffff]][Z|+hh:mm|-hh:mm]"
 * (the whole string), optionally followed by a named zone "[Europe/Stockholm]"
 * (graph/tz.h; -1 when the zone is unknown). Returns 0, or -1. */
int gr_parse_datetime(const char *s, size_t len, gr_datetime *dt);
/* Parses an ISO-8601 time of day "hh:mm[:ss[.fffffffff]][Z|+hh:mm|-hh:mm]"
 * (the whole string); no zone gives a local time. Returns 0, or -1. */
int gr_parse_time(const char *s, size_t len, gr_time *tm);
/* Parses an ISO-8601 duration "P1Y2M3DT4H5M6.5S", "P30D", "PT12H", "P2W",
 * with an optional leading '-'. Returns 0, or -1. */
int gr_parse_duration(const char *s, size_t len, gr_duration *du);

/* The decimal digits of v in buf (room for 21 bytes), at least `width` of
 * them with leading zeros, NUL-terminated; returns the length.  What every
 * printer of numbers and dates uses: faster than printf, and a point
 * query's answer then needs none of printf's code. */
size_t gr_fmt_uint(char *buf, uint64_t v, unsigned width);
/* As gr_fmt_uint, with a '-' for a negative v (INT64_MIN included). */
size_t gr_fmt_int(char *buf, int64_t v);

/* Format into buf (at least 64 bytes, 96 for a datetime); return the length
 * written.  Datetimes print seconds always and a fraction only when non-zero
 * (trailing zeros trimmed), the zone as "Z" for offset 0, "+hh:mm" otherwise,
 * nothing for a local datetime, then a named zone as "[Europe/Stockholm]".  Durations print as openCypher does: "P30D", "PT12H",
 * "P1Y2M", "PT0S" for zero, fractional seconds as "PT0.5S". */
size_t gr_format_date(int32_t days, char *buf);
size_t gr_format_datetime(const gr_datetime *dt, char *buf);
/* As gr_format_datetime, but whole minutes print without seconds
 * ("2015-07-21T12:31Z"), as openCypher shows them: query results use it. */
size_t gr_format_datetime_short(const gr_datetime *dt, char *buf);
size_t gr_format_duration(const gr_duration *du, char *buf);
/* A time of day "12:31:14.5+01:00", "12:31:14" (local); the short form
 * drops ":00" seconds as gr_format_datetime_short does ("12:31Z"). */
size_t gr_format_time(const gr_time *tm, char *buf);
size_t gr_format_time_short(const gr_time *tm, char *buf);

/* date + duration (months first, clamped to the month's last day, then days;
 * for a date the seconds part counts only in whole days, truncated toward
 * zero, as Neo4j does: date + PT36H is the next day).  For a datetime, the
 * months and days move its wall-clock date, then the seconds and nanoseconds
 * are added.  sign is +1 or -1 (subtraction).  Return 0, or -1 when the
 * result is outside the range of a date. */
int gr_date_add(int32_t days, const gr_duration *du, int sign, int32_t *out);
int gr_datetime_add(const gr_datetime *dt, const gr_duration *du, int sign, gr_datetime *out);
/* time + duration: only the seconds and nanoseconds count, and the clock
 * wraps around midnight (12:00 + PT13H is 01:00); the zone is kept. */
void gr_time_add(const gr_time *tm, const gr_duration *du, int sign, gr_time *out);
/* A time's instant in nanoseconds from midnight UTC (its wall clock less its
 * offset; not wrapped, so 23:00-05:00 is after 01:00Z); a local time's own
 * nanoseconds. */
int64_t gr_time_utc_nanos(const gr_time *tm);
/* duration.between(a, b) for two dates or two datetimes (or a mix, the date
 * taken at midnight): months, then days, then seconds, as openCypher. */
void gr_duration_between_dates(int32_t a, int32_t b, gr_duration *out);
void gr_duration_between_datetimes(const gr_datetime *a, const gr_datetime *b, gr_duration *out);
/* duration.inMonths/inDays/inSeconds(a, b): the span of between in one
 * unit, truncated toward zero (a date is its midnight, local). */
enum { GR_IN_MONTHS, GR_IN_DAYS, GR_IN_SECONDS };
void gr_duration_in(const gr_datetime *a, const gr_datetime *b, int unit, gr_duration *out);

/* A string from the command line or JSON: when it is a full ISO-8601 date
 * or datetime, the temporal value; otherwise the string.  Takes ownership of
 * nothing; the value returned is new. */
gr_value gr_value_from_text(const char *s, size_t len);

/* ---- text forms ---- */

/* Appends the JSON form of v (contract: temporals as ISO strings, integers
 * exact, NaN/Infinity as strings).  Nodes, relationships and paths are
 * printed by the query layer, which knows the store; here they print as
 * their ids. */
int gr_value_json(gr_buf *b, const gr_value *v);
/* Appends the display form used in table and CSV output: strings bare,
 * temporals ISO, floats as in JSON but NaN, Infinity, -Infinity bare, null
 * as "null"; lists and maps in Cypher literal syntax (['a', 1], {k: 'v'}),
 * except that temporals inside them print bare ([2024-04-02]), as
 * cypher-shell shows them. */
/* Writes all n bytes at p to descriptor fd, again after EINTR and short
 * writes: 0, or -1 with errno set. */
int gr_write_all(int fd, const void *p, size_t n);
int gr_value_text(gr_buf *b, const gr_value *v);
/* Appends a Cypher literal (strings quoted and escaped, dates as date('...')). */
int gr_value_cypher(gr_buf *b, const gr_value *v);

/* Appends s as a Cypher string literal in single quotes (backslash, quote
 * and control characters escaped). */
int gr_cypher_string(gr_buf *b, const char *s, size_t len);
/* Appends s as a JSON string literal with quotes (valid UTF-8 passes
 * through; control characters and invalid bytes are escaped). */
int gr_json_string(gr_buf *b, const char *s, size_t len);

#endif
