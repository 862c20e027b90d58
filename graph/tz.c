/*
 * tz.c: the zone database behind named time zones, read from TZif files
 * (RFC 8536) of the system's tz database.
 *
 * A TZif file holds a table of transitions (instants where the offset
 * changes) and, from version 2 on, a footer with a POSIX TZ string (e.g.
 * "CET-1CEST,M3.5.0,M10.5.0/3") that gives the rule for instants after the
 * table's last transition.  Only the 64-bit (version 2+) body is read;
 * files with leap seconds (the "right/" tree) are refused, since their
 * times do not count POSIX seconds.
 *
 * The process keeps one table of zones, each read once on first use.  No
 * environment or libc zone state (TZ, localtime) is touched.
 */
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_MAX_ZONES 1024
#define TZ_MAX_FILE (1 << 20)       /* TZif files are a few KiB */
#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define SECS_PER_DAY 86400LL
/* Instants are clamped to this (about 31 million years either way) before
 * any arithmetic: a value read from a damaged store may hold any int64. */
#define TZ_SECS_MAX ((int64_t)1 << 50)

/* One rule of a POSIX TZ string: when daylight time starts or ends. */
typedef struct tz_when {
	char kind;          /* 'J' (Jn, no Feb 29), 'D' (n, 0-based), 'M' (Mm.w.d) */
	int m, w, d;        /* month, week 1..5 (5: last), weekday 0 (Sunday)..6; or the day */
	int32_t time;       /* seconds after local midnight (may be negative or > 24 h) */
} tz_when;

typedef struct tz_posix {
	int ok;             /* a footer was read */
	int has_dst;
	int32_t std_off, dst_off;   /* seconds east of UTC */
	tz_when start, end;
} tz_posix;

typedef struct tz_zone {
	char *name;
	int state;          /* 0 unread, 1 read, -1 unreadable */
	int64_t *trans;     /* transition instants, ascending */
	int32_t *trans_off; /* the offset from each transition on */
	size_t ntrans;
	int32_t first_off;  /* the offset before the first transition */
	tz_posix posix;
} tz_zone;

static tz_zone zones[TZ_MAX_ZONES + 1];   /* [0] unused: id 0 is "none" */
static size_t nzones;

/* ---- names ---- */

static int name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '+' || c == '-';
}

int gr_tz_name_ok(const char *s, size_t len)
{
	size_t i, comp = 0;

	if (s == NULL || len == 0 || len > GR_TZ_NAME_MAX)
		return 0;
	if ((len > 6 && (!memcmp(s, "posix/", 6) || !memcmp(s, "right/", 6))))
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '/') {
			if (comp == 0)
				return 0;
			comp = 0;
		} else if (name_char(s[i])) {
			comp++;
		} else {
			return 0;
		}
	}
	return comp > 0;
}

uint16_t gr_tz_intern(const char *s, size_t len)
{
	size_t i;

	if (!gr_tz_name_ok(s, len))
		return 0;
	for (i = 1; i <= nzones; i++)
		if (strlen(zones[i].name) == len && !memcmp(zones[i].name, s, len))
			return (uint16_t)i;
	if (nzones >= TZ_MAX_ZONES)
		return 0;
	zones[nzones + 1].name = malloc(len + 1);
	if (zones[nzones + 1].name == NULL)
		return 0;
	memcpy(zones[nzones + 1].name, s, len);
	zones[nzones + 1].name[len] = '\0';
	nzones++;
	return (uint16_t)nzones;
}

const char *gr_tz_name(uint16_t id)
{
	if (id == 0 || id > nzones)
		return "";
	return zones[id].name;
}

/* ---- the POSIX TZ footer ---- */

/* A zone abbreviation: letters, or anything but '>' in <...>. */
static int posix_abbr(const char **p)
{
	const char *s = *p;
	if (*s == '<') {
		while (*s && *s != '>')
			s++;
		if (*s != '>')
			return -1;
		*p = s + 1;
		return 0;
	}
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	if (s - *p < 3)
		return -1;
	*p = s;
	return 0;
}

static int posix_num(const char **p, int max, int *out)
{
	int v = 0, n = 0;
	while (**p >= '0' && **p <= '9' && n < 4) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536's extension). */
static int posix_time(const char **p, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;
	if (**p == '+' || **p == '-')
		sign = *(*p)++ == '-' ? -1 : 1;
	if (posix_num(p, 167, &h) < 0)
		return -1;
	if (**p == ':') {
		(*p)++;
		if (posix_num(p, 59, &m) < 0)
			return -1;
		if (**p == ':') {
			(*p)++;
			if (posix_num(p, 59, &s) < 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

static int posix_when(const char **p, tz_when *w)
{
	w->time = 7200;
	if (**p == 'M') {
		(*p)++;
		w->kind = 'M';
		if (posix_num(p, 12, &w->m) < 0 || w->m < 1 || *(*p)++ != '.' ||
		    posix_num(p, 5, &w->w) < 0 || w->w < 1 || *(*p)++ != '.' || posix_num(p, 6, &w->d) < 0)
			return -1;
	} else if (**p == 'J') {
		(*p)++;
		w->kind = 'J';
		if (posix_num(p, 365, &w->d) < 0 || w->d < 1)
			return -1;
	} else {
		w->kind = 'D';
		if (posix_num(p, 365, &w->d) < 0)
			return -1;
	}
	if (**p == '/') {
		(*p)++;
		if (posix_time(p, &w->time) < 0)
			return -1;
	}
	return 0;
}

/* Parses a TZ string such as "CET-1CEST,M3.5.0,M10.5.0/3" or "<+0845>-8:45".
 * POSIX offsets count west: they are negated here. */
static int posix_parse(const char *s, tz_posix *z)
{
	int32_t t;

	memset(z, 0, sizeof *z);
	if (posix_abbr(&s) < 0 || posix_time(&s, &t) < 0)
		return -1;
	z->std_off = -t;
	if (*s == '\0') {
		z->ok = 1;
		return 0;
	}
	if (posix_abbr(&s) < 0)
		return -1;
	z->has_dst = 1;
	z->dst_off = z->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if (posix_time(&s, &t) < 0)
			return -1;
		z->dst_off = -t;
	}
	if (*s == '\0') {
		/* no rule: POSIX leaves it to the implementation; the US rule */
		z->start = (tz_when){ 'M', 3, 2, 0, 7200 };
		z->end = (tz_when){ 'M', 11, 1, 0, 7200 };
	} else if (*s++ != ',' || posix_when(&s, &z->start) < 0 || *s++ != ',' ||
	           posix_when(&s, &z->end) < 0 || *s != '\0') {
		return -1;
	}
	z->ok = 1;
	return 0;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The local day number (days since 1970-01-01) a rule names in year y. */
static int64_t when_day(const tz_when *w, int64_t y)
{
	int64_t jan1 = gr_days_from_civil(y, 1, 1);
	if (w->kind == 'J')
		return jan1 + w->d - 1 + (is_leap(y) && w->d >= 60);
	if (w->kind == 'D')
		return jan1 + w->d;
	/* Mm.w.d: the w-th weekday d of month m, week 5 the last one */
	int64_t first = gr_days_from_civil(y, (unsigned)w->m, 1);
	int64_t wd = ((first + 4) % 7 + 7) % 7;          /* 1970-01-01 was a Thursday (4) */
	int64_t day = first + ((w->d - wd) % 7 + 7) % 7 + (int64_t)(w->w - 1) * 7;
	unsigned mlen = (unsigned)(gr_days_from_civil(w->m == 12 ? y + 1 : y, w->m == 12 ? 1 : (unsigned)w->m + 1, 1) - first);
	while (day - first >= mlen)
		day -= 7;
	return day;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* The offset the TZ string gives at instant utc. */
static int32_t posix_offset(const tz_posix *z, int64_t utc)
{
	int64_t y, start, end, dy;
	unsigned m, d;

	if (!z->has_dst)
		return z->std_off;
	dy = floor_div(utc + z->std_off, SECS_PER_DAY);
	if (dy < INT32_MIN || dy > INT32_MAX)
		return z->std_off;
	gr_civil_from_days((int32_t)dy, &y, &m, &d);
	/* start is given in standard time, end in daylight time */
	start = when_day(&z->start, y) * SECS_PER_DAY + z->start.time - z->std_off;
	end = when_day(&z->end, y) * SECS_PER_DAY + z->end.time - z->dst_off;
	if (start < end)
		return utc >= start && utc < end ? z->dst_off : z->std_off;
	/* southern hemisphere: daylight time spans the new year */
	return utc >= end && utc < start ? z->std_off : z->dst_off;
}

/* ---- TZif files ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

static int tzif_header(const unsigned char *p, size_t len, struct tzif_counts *c)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	c->isut = be32(p + 20);
	c->isstd = be32(p + 24);
	c->leap = be32(p + 28);
	c->time = be32(p + 32);
	c->type = be32(p + 36);
	c->chars = be32(p + 40);
	if (c->time > 100000 || c->type == 0 || c->type > 256 || c->chars > 100000 ||
	    c->leap > 100000 || c->isut > 256 || c->isstd > 256)
		return -1;
	return 0;
}

static size_t tzif_body(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) +
	       c->isstd + c->isut;
}

/* Reads the 64-bit body and footer of a TZif file into z. */
static int tzif_parse(const unsigned char *p, size_t len, tz_zone *z)
{
	struct tzif_counts c;
	size_t v1, off, i;
	const unsigned char *times, *idx, *types;
	char footer[256];

	if (tzif_header(p, len, &c) < 0 || p[4] < '2')
		return -1;
	v1 = 44 + tzif_body(&c, 4);
	if (v1 > len || tzif_header(p + v1, len - v1, &c) < 0 || c.leap != 0)
		return -1;
	off = v1 + 44;
	if (tzif_body(&c, 8) > len - off)
		return -1;
	times = p + off;
	idx = times + (size_t)c.time * 8;
	types = idx + c.time;
	z->trans = malloc((c.time ? c.time : 1) * sizeof *z->trans);
	z->trans_off = malloc((c.time ? c.time : 1) * sizeof *z->trans_off);
	if (z->trans == NULL || z->trans_off == NULL)
		return -1;
	for (i = 0; i < c.time; i++) {
		if (idx[i] >= c.type)
			return -1;
		z->trans[i] = be64(times + i * 8);
		z->trans_off[i] = (int32_t)be32(types + (size_t)idx[i] * 6);
		if (i > 0 && z->trans[i] <= z->trans[i - 1])
			return -1;
	}
	z->ntrans = c.time;
	z->first_off = (int32_t)be32(types);
	for (i = 0; i < c.type; i++) {
		int32_t o = (int32_t)be32(types + i * 6);
		if (o < -25 * 3600 || o > 26 * 3600)
			return -1;
	}
	/* the footer: "\n" TZ string "\n" */
	off += tzif_body(&c, 8);
	if (off < len && p[off] == '\n') {
		const unsigned char *nl = memchr(p + off + 1, '\n', len - off - 1);
		size_t n = nl ? (size_t)(nl - (p + off + 1)) : 0;
		if (nl && n > 0 && n < sizeof footer) {
			memcpy(footer, p + off + 1, n);
			footer[n] = '\0';
			if (posix_parse(footer, &z->posix) < 0)
				memset(&z->posix, 0, sizeof z->posix);
		}
	}
	return 0;
}

static const char *tz_dir(void)
{
	const char *d = getenv("TZDIR");
	return d && *d ? d : TZ_DEFAULT_DIR;
}

/* Reads zone id's file; sets its state. Returns 0 or -1 (err says why). */
static int tz_load(uint16_t id, char *err, size_t errlen)
{
	tz_zone *z = &zones[id];
	char path[512];
	unsigned char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int rc = -1;

	if (z->state != 0)
		goto done;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", tz_dir(), z->name) >= sizeof path) {
		z->state = -1;
		goto done;
	}
	f = fopen(path, "rb");
	if (f == NULL) {
		FILE *probe;
		snprintf(path, sizeof path, "%s/UTC", tz_dir());
		probe = fopen(path, "rb");
		if (probe == NULL) {
			if (err)
				snprintf(err, errlen, "no time zone database in %s (install the tzdata package)", tz_dir());
			return -1;
		}
		fclose(probe);
		z->state = -1;
		goto done;
	}
	buf = malloc(TZ_MAX_FILE);
	if (buf != NULL)
		len = fread(buf, 1, TZ_MAX_FILE, f);
	fclose(f);
	if (buf == NULL || len == TZ_MAX_FILE || tzif_parse(buf, len, z) < 0) {
		free(z->trans);
		free(z->trans_off);
		z->trans = NULL;
		z->trans_off = NULL;
		z->ntrans = 0;
		z->state = -1;
	} else {
		z->state = 1;
	}
	free(buf);
done:
	if (z->state == 1)
		rc = 0;
	else if (err)
		snprintf(err, errlen, "unknown time zone '%s'", z->name);
	return rc;
}

uint16_t gr_tz_find(const char *s, size_t len, char *err, size_t errlen)
{
	uint16_t id;

	if (!gr_tz_name_ok(s, len)) {
		snprintf(err, errlen, "unknown time zone '%.*s'", (int)(len > 80 ? 80 : len), s);
		return 0;
	}
	id = gr_tz_intern(s, len);
	if (id == 0) {
		snprintf(err, errlen, "too many time zones in one process");
		return 0;
	}
	if (tz_load(id, err, errlen) < 0)
		return 0;
	return id;
}

int gr_tz_offset_at(uint16_t id, int64_t utc, int32_t *off)
{
	tz_zone *z;
	size_t lo, hi;

	if (id == 0 || id > nzones || tz_load(id, NULL, 0) < 0)
		return -1;
	z = &zones[id];
	if (utc > TZ_SECS_MAX)
		utc = TZ_SECS_MAX;
	if (utc < -TZ_SECS_MAX)
		utc = -TZ_SECS_MAX;
	if (z->ntrans == 0 || utc < z->trans[0]) {
		*off = z->ntrans == 0 && z->posix.ok ? posix_offset(&z->posix, utc) : z->first_off;
		return 0;
	}
	if (utc >= z->trans[z->ntrans - 1] && z->posix.ok) {
		*off = posix_offset(&z->posix, utc);
		return 0;
	}
	/* the last transition at or before utc */
	lo = 0;
	hi = z->ntrans;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	*off = z->trans_off[lo];
	return 0;
}

/*
 * The offsets a day either side of the wall-clock time bracket any single
 * change (zones change at most once a day); each is valid for local when
 * the instant it gives has that offset.
 */
int gr_tz_offset_local(uint16_t id, int64_t *local, int32_t prefer, int32_t *off)
{
	int32_t before, after, chk;
	int ok_before, ok_after;

	if (*local > TZ_SECS_MAX || *local < -TZ_SECS_MAX)
		return -1;
	if (gr_tz_offset_at(id, *local - SECS_PER_DAY, &before) < 0 ||
	    gr_tz_offset_at(id, *local + SECS_PER_DAY, &after) < 0)
		return -1;
	gr_tz_offset_at(id, *local - before, &chk);
	ok_before = chk == before;
	gr_tz_offset_at(id, *local - after, &chk);
	ok_after = chk == after;
	if (ok_before && ok_after) {
		/* an overlap (or no change at all) */
		*off = prefer == after ? after : before;
		return 0;
	}
	if (ok_before || ok_after) {
		*off = ok_before ? before : after;
		return 0;
	}
	/* a gap: the instant the old offset gives, on the new clock */
	*local += (int64_t)after - before;
	*off = after;
	return 0;
}
