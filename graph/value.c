/*
 * value.c: the gr_value type of value.h: construction and ownership,
 * Cypher's equality, comparison and orderability, hashing, and the binary
 * encoding used by the store.  The text forms (JSON, display, Cypher
 * literal) live in value_text.c, the calendar and the ISO-8601 forms in
 * temporal.c.
 *
 * Decoding trusts nothing: every read is bounds-checked, counts are checked
 * against the bytes left before anything is allocated, nesting is limited to
 * GR_MAX_DEPTH, and a failed decode frees whatever it had built.
 */
#include "value.h"
#include "tz.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Deepest nesting of lists and maps the encoding accepts, both ways. */
#define GR_MAX_DEPTH 256
#define NANOS_PER_SEC 1000000000LL
#define MAX_OFFSET_MIN (18 * 60)

/* ---- construction and ownership ---- */

gr_value gr_null(void)
{
	gr_value v;
	memset(&v, 0, sizeof v);
	v.type = GR_NULL;
	return v;
}

gr_value gr_bool(int b)
{
	gr_value v = gr_null();
	v.type = GR_BOOL;
	v.u.b = b != 0;
	return v;
}

gr_value gr_int(int64_t i)
{
	gr_value v = gr_null();
	v.type = GR_INT;
	v.u.i = i;
	return v;
}

gr_value gr_float(double f)
{
	gr_value v = gr_null();
	v.type = GR_FLOAT;
	v.u.f = f;
	return v;
}

gr_value gr_date(int32_t days)
{
	gr_value v = gr_null();
	v.type = GR_DATE;
	v.u.date = days;
	return v;
}

/* Set when a constructor could not allocate and returned null instead of
 * its value: code that does not check (a null is a valid value) would go
 * on with less than it was given, so gr_write and the command's end ask. */
static int lost_value;

void gr_nomem_note(void)
{
	lost_value = 1;
}

int gr_nomem_take(void)
{
	int was = lost_value;
	lost_value = 0;
	return was;
}

gr_value gr_string(const char *s, size_t len)
{
	char *p;

	if (s == NULL && len > 0)
		return gr_null();
	p = malloc(len + 1);
	if (p == NULL) {
		gr_nomem_note();
		return gr_null();
	}
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return gr_string_own(p, len);
}

gr_value gr_cstring(const char *s)
{
	if (s == NULL)
		return gr_null();
	return gr_string(s, strlen(s));
}

gr_value gr_string_own(char *s, size_t len)
{
	gr_value v = gr_null();

	if (s == NULL)
		return v;
	v.type = GR_STRING;
	v.u.s.ptr = s;
	v.u.s.len = len;
	return v;
}

/* The capacity is a hint: when it cannot be allocated the list starts
 * empty with no room, and gr_list_push allocates later. */
gr_value gr_list(size_t cap)
{
	gr_value v = gr_null();

	v.type = GR_LIST;
	if (cap > 0 && cap < SIZE_MAX / sizeof(gr_value)) {
		v.u.list.items = malloc(cap * sizeof(gr_value));
		if (v.u.list.items != NULL)
			v.u.list.cap = cap;
	}
	return v;
}

/* A new capacity of at least n + 1 slots of `size` bytes, or 0 on overflow. */
static size_t grow_cap(size_t n, size_t cap, size_t size)
{
	size_t c = cap > n ? cap : n;
	c = c < 4 ? 8 : c * 2;
	if (c <= n || c > SIZE_MAX / size)
		return 0;
	return c;
}

int gr_list_push(gr_value *l, gr_value item)
{
	gr_value *items;
	size_t cap;

	if (l == NULL || l->type != GR_LIST)
		goto fail;
	if (l->u.list.n >= l->u.list.cap) {
		cap = grow_cap(l->u.list.n, l->u.list.cap, sizeof(gr_value));
		if (cap == 0)
			goto fail;
		items = realloc(l->u.list.items, cap * sizeof(gr_value));
		if (items == NULL)
			goto fail;
		l->u.list.items = items;
		l->u.list.cap = cap;
	}
	l->u.list.items[l->u.list.n++] = item;
	return 0;
fail:
	gr_value_free(&item);
	return -1;
}

gr_value gr_map(void)
{
	gr_value v = gr_null();
	v.type = GR_MAP;
	return v;
}

static size_t map_find(const gr_value *m, const char *key)
{
	size_t i;
	for (i = 0; i < m->u.map.n; i++)
		if (strcmp(m->u.map.keys[i], key) == 0)
			return i;
	return SIZE_MAX;
}

int gr_map_set(gr_value *m, const char *key, gr_value v)
{
	size_t i, cap;
	char **keys;
	gr_value *vals;
	char *k;

	if (m == NULL || m->type != GR_MAP || key == NULL)
		goto fail;
	i = map_find(m, key);
	if (i != SIZE_MAX) {
		gr_value_free(&m->u.map.vals[i]);
		m->u.map.vals[i] = v;
		return 0;
	}
	if (m->u.map.n >= m->u.map.cap) {
		cap = grow_cap(m->u.map.n, m->u.map.cap, sizeof(gr_value));
		if (cap == 0)
			goto fail;
		/* The keys array may end up larger than cap: harmless. */
		keys = realloc(m->u.map.keys, cap * sizeof(char *));
		if (keys == NULL)
			goto fail;
		m->u.map.keys = keys;
		vals = realloc(m->u.map.vals, cap * sizeof(gr_value));
		if (vals == NULL)
			goto fail;
		m->u.map.vals = vals;
		m->u.map.cap = cap;
	}
	k = strdup(key);
	if (k == NULL)
		goto fail;
	m->u.map.keys[m->u.map.n] = k;
	m->u.map.vals[m->u.map.n] = v;
	m->u.map.n++;
	return 0;
fail:
	gr_value_free(&v);
	return -1;
}

const gr_value *gr_map_get(const gr_value *m, const char *key)
{
	size_t i;

	if (m == NULL || m->type != GR_MAP || key == NULL)
		return NULL;
	i = map_find(m, key);
	return i == SIZE_MAX ? NULL : &m->u.map.vals[i];
}

void gr_value_free(gr_value *v)
{
	size_t i;

	if (v == NULL)
		return;
	switch (v->type) {
	case GR_STRING:
		free(v->u.s.ptr);
		break;
	case GR_LIST:
		for (i = 0; i < v->u.list.n; i++)
			gr_value_free(&v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case GR_MAP:
		for (i = 0; i < v->u.map.n; i++) {
			free(v->u.map.keys[i]);
			gr_value_free(&v->u.map.vals[i]);
		}
		free(v->u.map.keys);
		free(v->u.map.vals);
		break;
	case GR_PATH:
		if (v->u.path != NULL) {
			free(v->u.path->pa_nodes);
			free(v->u.path->pa_rels);
			free(v->u.path);
		}
		break;
	default:
		break;
	}
	*v = gr_null();
}

int gr_value_copy(gr_value *dst, const gr_value *src)
{
	gr_value v = gr_null();
	size_t i, n;

	assert(dst != src);
	switch (src->type) {
	case GR_STRING:
		v = gr_string(src->u.s.ptr, src->u.s.len);
		if (v.type != GR_STRING)
			goto fail;
		break;
	case GR_LIST:
		n = src->u.list.n;
		v = gr_list(n);
		if (n > 0 && v.u.list.cap < n)
			goto fail;
		for (i = 0; i < n; i++) {
			if (gr_value_copy(&v.u.list.items[i], &src->u.list.items[i]) < 0)
				goto fail;
			v.u.list.n++;
		}
		break;
	case GR_MAP:
		n = src->u.map.n;
		v = gr_map();
		if (n > 0) {
			v.u.map.keys = calloc(n, sizeof(char *));
			v.u.map.vals = calloc(n, sizeof(gr_value));
			if (v.u.map.keys == NULL || v.u.map.vals == NULL)
				goto fail;
			v.u.map.cap = n;
		}
		for (i = 0; i < n; i++) {
			v.u.map.keys[i] = strdup(src->u.map.keys[i]);
			if (v.u.map.keys[i] == NULL)
				goto fail;
			if (gr_value_copy(&v.u.map.vals[i], &src->u.map.vals[i]) < 0) {
				free(v.u.map.keys[i]);
				goto fail;
			}
			v.u.map.n++;
		}
		break;
	case GR_PATH: {
		const gr_path *sp = src->u.path;
		gr_path *p;

		v.type = GR_PATH;
		p = calloc(1, sizeof *p);
		if (p == NULL)
			goto fail;
		v.u.path = p;
		if (sp == NULL)
			break;
		/* Path members are GR_NODE and GR_EDGE values: plain data. */
		p->pa_nodes = malloc((sp->pa_len + 1) * sizeof(gr_value));
		p->pa_rels = malloc((sp->pa_len ? sp->pa_len : 1) * sizeof(gr_value));
		if (p->pa_nodes == NULL || p->pa_rels == NULL)
			goto fail;
		memcpy(p->pa_nodes, sp->pa_nodes, (sp->pa_len + 1) * sizeof(gr_value));
		if (sp->pa_len > 0)
			memcpy(p->pa_rels, sp->pa_rels, sp->pa_len * sizeof(gr_value));
		p->pa_len = sp->pa_len;
		break;
	}
	default:
		v = *src;
		break;
	}
	*dst = v;
	return 0;
fail:
	gr_value_free(&v);
	*dst = gr_null();
	return -1;
}

/* ---- numbers ---- */

static int is_number(const gr_value *v)
{
	return v->type == GR_INT || v->type == GR_FLOAT;
}

/* The exact order of an integer and a float that is not NaN. */
static int cmp_int_float(int64_t i, double f)
{
	int64_t t;

	if (f >= 9223372036854775808.0)
		return -1;
	if (f < -9223372036854775808.0)
		return 1;
	t = (int64_t)f;                       /* toward zero, in range */
	if (i < t)
		return -1;
	if (i > t)
		return 1;
	/* i == trunc(f): the fraction decides */
	if ((double)t < f)
		return -1;
	if ((double)t > f)
		return 1;
	return 0;
}

/* Orderability of two numbers: NaN after every other number. */
static int order_numbers(const gr_value *a, const gr_value *b)
{
	if (a->type == GR_INT && b->type == GR_INT)
		return (a->u.i > b->u.i) - (a->u.i < b->u.i);
	if (a->type == GR_FLOAT && isnan(a->u.f))
		return b->type == GR_FLOAT && isnan(b->u.f) ? 0 : 1;
	if (b->type == GR_FLOAT && isnan(b->u.f))
		return -1;
	if (a->type == GR_FLOAT && b->type == GR_FLOAT)
		return (a->u.f > b->u.f) - (a->u.f < b->u.f);
	if (a->type == GR_INT)
		return cmp_int_float(a->u.i, b->u.f);
	return -cmp_int_float(b->u.i, a->u.f);
}

/* ---- orderability, equality, comparison ---- */

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	int c = n ? memcmp(a, b, n) : 0;
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (na > nb) - (na < nb);
}

/* Rank of a value's kind in openCypher's orderability. */
static int order_rank(const gr_value *v)
{
	switch (v->type) {
	case GR_MAP: return 0;
	case GR_NODE: return 1;
	case GR_EDGE: return 2;
	case GR_LIST: return 3;
	case GR_PATH: return 4;
	case GR_DATETIME: return v->u.dt.dt_offset == GR_TZ_NONE ? 6 : 5;
	case GR_DATE: return 7;
	case GR_TIME: return v->u.tm.tm_offset == GR_TZ_NONE ? 9 : 8;
	case GR_DURATION: return 10;
	case GR_STRING: return 11;
	case GR_BOOL: return 12;
	case GR_INT: case GR_FLOAT: return 13;
	default: return 14;   /* null */
	}
}

/* The index of the smallest key of m greater than `after` (NULL: any). */
static size_t map_next_key(const gr_value *m, const char *after)
{
	size_t i, best = SIZE_MAX;

	for (i = 0; i < m->u.map.n; i++) {
		const char *k = m->u.map.keys[i];
		if (after != NULL && strcmp(k, after) <= 0)
			continue;
		if (best == SIZE_MAX || strcmp(k, m->u.map.keys[best]) < 0)
			best = i;
	}
	return best;
}

/* Maps order as their (key, value) pairs in key order. */
static int order_maps(const gr_value *a, const gr_value *b)
{
	const char *ka = NULL, *kb = NULL;
	size_t i, ia, ib;
	int c;

	for (i = 0;; i++) {
		ia = map_next_key(a, ka);
		ib = map_next_key(b, kb);
		if (ia == SIZE_MAX || ib == SIZE_MAX)
			return (ia != SIZE_MAX) - (ib != SIZE_MAX);
		ka = a->u.map.keys[ia];
		kb = b->u.map.keys[ib];
		c = strcmp(ka, kb);
		if (c != 0)
			return c < 0 ? -1 : 1;
		c = gr_value_order(&a->u.map.vals[ia], &b->u.map.vals[ib]);
		if (c != 0)
			return c;
	}
}

static int order_paths(const gr_path *a, const gr_path *b)
{
	size_t i, la = a ? a->pa_len : 0, lb = b ? b->pa_len : 0;
	int c;

	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	for (i = 0; i <= la && i <= lb; i++) {
		c = gr_value_order(&a->pa_nodes[i], &b->pa_nodes[i]);
		if (c != 0)
			return c;
		if (i == la || i == lb)
			break;
		c = gr_value_order(&a->pa_rels[i], &b->pa_rels[i]);
		if (c != 0)
			return c;
	}
	return (la > lb) - (la < lb);
}

/* Durations order by their approximate length (an average month), then by
 * their components, so that only equal durations tie. */
static int order_durations(const gr_duration *a, const gr_duration *b)
{
	__int128 la = (__int128)a->du_months * 2629746 + (__int128)a->du_days * 86400 + a->du_secs;
	__int128 lb = (__int128)b->du_months * 2629746 + (__int128)b->du_days * 86400 + b->du_secs;
	int c;

	if (la != lb)
		return la < lb ? -1 : 1;
	if ((c = cmp_i64(a->du_nanos, b->du_nanos)) != 0)
		return c;
	if ((c = cmp_i64(a->du_months, b->du_months)) != 0)
		return c;
	return cmp_i64(a->du_days, b->du_days);
}

/* The named zone of a datetime, 0 for none (a local one has none). */
static uint16_t zone_of(const gr_datetime *dt)
{
	return dt->dt_offset == GR_TZ_NONE ? 0 : dt->dt_zone;
}

static int order_datetimes(const gr_datetime *a, const gr_datetime *b)
{
	int c = cmp_i64(a->dt_secs, b->dt_secs);
	if (c == 0)
		c = cmp_i64(a->dt_nanos, b->dt_nanos);
	if (c == 0)
		c = cmp_i64(a->dt_offset, b->dt_offset);
	if (c == 0 && zone_of(a) != zone_of(b))
		c = strcmp(gr_tz_name(zone_of(a)), gr_tz_name(zone_of(b)));
	return c;
}

/* Times order by their instant, then by offset, so that only equal times
 * tie (12:00+01:00 and 11:00Z are the same instant but not equal). */
static int order_times(const gr_time *a, const gr_time *b)
{
	int c = cmp_i64(gr_time_utc_nanos(a), gr_time_utc_nanos(b));
	if (c == 0)
		c = cmp_i64(a->tm_offset, b->tm_offset);
	return c;
}

int gr_value_order(const gr_value *a, const gr_value *b)
{
	int ra = order_rank(a), rb = order_rank(b), c;
	size_t i;

	if (ra != rb)
		return ra < rb ? -1 : 1;
	switch (a->type) {
	case GR_MAP:
		return order_maps(a, b);
	case GR_NODE:
		return cmp_i64(a->u.node.id, b->u.node.id);
	case GR_EDGE:
		return cmp_i64(a->u.edge.id, b->u.edge.id);
	case GR_LIST:
		for (i = 0; i < a->u.list.n && i < b->u.list.n; i++) {
			c = gr_value_order(&a->u.list.items[i], &b->u.list.items[i]);
			if (c != 0)
				return c;
		}
		return (a->u.list.n > b->u.list.n) - (a->u.list.n < b->u.list.n);
	case GR_PATH:
		return order_paths(a->u.path, b->u.path);
	case GR_DATETIME:
		return order_datetimes(&a->u.dt, &b->u.dt);
	case GR_DATE:
		return cmp_i64(a->u.date, b->u.date);
	case GR_TIME:
		return order_times(&a->u.tm, &b->u.tm);
	case GR_DURATION:
		return order_durations(&a->u.du, &b->u.du);
	case GR_STRING:
		return cmp_bytes(a->u.s.ptr, a->u.s.len, b->u.s.ptr, b->u.s.len);
	case GR_BOOL:
		return cmp_i64(a->u.b, b->u.b);
	case GR_INT:
	case GR_FLOAT:
		return order_numbers(a, b);
	default:
		return 0;
	}
}

/* Combines ternary results of a conjunction: any 0 is 0, else any -1 is -1. */
static int and3(int acc, int r)
{
	if (acc == 0 || r == 0)
		return 0;
	if (acc < 0 || r < 0)
		return -1;
	return 1;
}

int gr_value_equal(const gr_value *a, const gr_value *b)
{
	size_t i, j;
	int r;

	if (a->type == GR_NULL || b->type == GR_NULL)
		return -1;
	if (is_number(a) && is_number(b)) {
		if ((a->type == GR_FLOAT && isnan(a->u.f)) || (b->type == GR_FLOAT && isnan(b->u.f)))
			return 0;
		return order_numbers(a, b) == 0;
	}
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case GR_BOOL:
		return a->u.b == b->u.b;
	case GR_STRING:
		return cmp_bytes(a->u.s.ptr, a->u.s.len, b->u.s.ptr, b->u.s.len) == 0;
	case GR_DATE:
		return a->u.date == b->u.date;
	case GR_DATETIME:
		return order_datetimes(&a->u.dt, &b->u.dt) == 0;
	case GR_TIME:
		return order_times(&a->u.tm, &b->u.tm) == 0;
	case GR_DURATION:
		return a->u.du.du_months == b->u.du.du_months && a->u.du.du_days == b->u.du.du_days &&
		       a->u.du.du_secs == b->u.du.du_secs && a->u.du.du_nanos == b->u.du.du_nanos;
	case GR_LIST:
		if (a->u.list.n != b->u.list.n)
			return 0;
		r = 1;
		for (i = 0; i < a->u.list.n && r != 0; i++)
			r = and3(r, gr_value_equal(&a->u.list.items[i], &b->u.list.items[i]));
		return r;
	case GR_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++)
			if (map_find(b, a->u.map.keys[i]) == SIZE_MAX)
				return 0;
		r = 1;
		for (i = 0; i < a->u.map.n && r != 0; i++) {
			j = map_find(b, a->u.map.keys[i]);
			r = and3(r, gr_value_equal(&a->u.map.vals[i], &b->u.map.vals[j]));
		}
		return r;
	case GR_NODE:
		return a->u.node.id == b->u.node.id;
	case GR_EDGE:
		return a->u.edge.id == b->u.edge.id;
	case GR_PATH:
		return order_paths(a->u.path, b->u.path) == 0;
	default:
		return 0;
	}
}

int gr_value_compare(const gr_value *a, const gr_value *b, int *cmp)
{
	size_t i;
	int r;

	*cmp = 0;
	if (a->type == GR_NULL || b->type == GR_NULL)
		return -1;
	if (is_number(a) && is_number(b)) {
		if ((a->type == GR_FLOAT && isnan(a->u.f)) || (b->type == GR_FLOAT && isnan(b->u.f)))
			return 1;
		*cmp = order_numbers(a, b);
		return 0;
	}
	if (a->type != b->type)
		return -1;
	switch (a->type) {
	case GR_STRING:
	case GR_BOOL:
	case GR_DATE:
		*cmp = gr_value_order(a, b);
		return 0;
	case GR_DATETIME:
		/* a zoned and a local datetime are different types */
		if ((a->u.dt.dt_offset == GR_TZ_NONE) != (b->u.dt.dt_offset == GR_TZ_NONE))
			return -1;
		*cmp = cmp_i64(a->u.dt.dt_secs, b->u.dt.dt_secs);
		if (*cmp == 0)
			*cmp = cmp_i64(a->u.dt.dt_nanos, b->u.dt.dt_nanos);
		return 0;
	case GR_TIME:
		/* likewise a time and a local time; times compare as instants */
		if ((a->u.tm.tm_offset == GR_TZ_NONE) != (b->u.tm.tm_offset == GR_TZ_NONE))
			return -1;
		*cmp = cmp_i64(gr_time_utc_nanos(&a->u.tm), gr_time_utc_nanos(&b->u.tm));
		return 0;
	case GR_LIST:
		for (i = 0; i < a->u.list.n && i < b->u.list.n; i++) {
			r = gr_value_compare(&a->u.list.items[i], &b->u.list.items[i], cmp);
			if (r != 0) {
				*cmp = 0;
				return r;
			}
			if (*cmp != 0)
				return 0;
		}
		*cmp = (a->u.list.n > b->u.list.n) - (a->u.list.n < b->u.list.n);
		return 0;
	default:
		return -1;   /* maps, durations, nodes, relationships, paths */
	}
}

/* ---- hashing ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static uint64_t combine(uint64_t h, uint64_t v)
{
	return mix64(h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

static uint64_t hash_bytes(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h ^ n);
}

static uint64_t hash_double(double f)
{
	uint64_t bits;

	if (f == 0)
		f = 0;          /* -0.0 hashes as 0.0 */
	memcpy(&bits, &f, sizeof bits);
	return combine(GR_FLOAT, bits);
}

uint64_t gr_value_hash(const gr_value *v)
{
	uint64_t h, sum;
	size_t i;
	double d;

	switch (v->type) {
	case GR_BOOL:
		return combine(GR_BOOL, (uint64_t)v->u.b);
	case GR_INT:
		/* an integer that a double holds exactly hashes as that double */
		d = (double)v->u.i;
		if (d < 9223372036854775808.0 && (int64_t)d == v->u.i)
			return hash_double(d);
		return combine(GR_INT, (uint64_t)v->u.i);
	case GR_FLOAT:
		return hash_double(v->u.f);
	case GR_STRING:
		return combine(GR_STRING, hash_bytes(v->u.s.ptr, v->u.s.len));
	case GR_DATE:
		return combine(GR_DATE, (uint64_t)(int64_t)v->u.date);
	case GR_DATETIME:
		h = combine(GR_DATETIME, (uint64_t)v->u.dt.dt_secs);
		h = combine(h, (uint64_t)v->u.dt.dt_nanos);
		h = combine(h, zone_of(&v->u.dt));
		return combine(h, (uint64_t)(int64_t)v->u.dt.dt_offset);
	case GR_TIME:
		h = combine(GR_TIME, (uint64_t)v->u.tm.tm_nanos);
		return combine(h, (uint64_t)(int64_t)v->u.tm.tm_offset);
	case GR_DURATION:
		h = combine(GR_DURATION, (uint64_t)v->u.du.du_months);
		h = combine(h, (uint64_t)v->u.du.du_days);
		h = combine(h, (uint64_t)v->u.du.du_secs);
		return combine(h, (uint64_t)v->u.du.du_nanos);
	case GR_LIST:
		h = combine(GR_LIST, v->u.list.n);
		for (i = 0; i < v->u.list.n; i++)
			h = combine(h, gr_value_hash(&v->u.list.items[i]));
		return h;
	case GR_MAP:
		/* order-independent: maps are equal whatever their key order */
		sum = 0;
		for (i = 0; i < v->u.map.n; i++)
			sum += combine(hash_bytes(v->u.map.keys[i], strlen(v->u.map.keys[i])),
			               gr_value_hash(&v->u.map.vals[i]));
		return combine(combine(GR_MAP, v->u.map.n), sum);
	case GR_NODE:
		return combine(GR_NODE, v->u.node.id);
	case GR_EDGE:
		return combine(GR_EDGE, v->u.edge.id);
	case GR_PATH:
		h = GR_PATH;
		if (v->u.path != NULL) {
			for (i = 0; i <= v->u.path->pa_len; i++)
				h = combine(h, v->u.path->pa_nodes[i].u.node.id);
			for (i = 0; i < v->u.path->pa_len; i++)
				h = combine(h, v->u.path->pa_rels[i].u.edge.id);
		}
		return h;
	default:
		return mix64(0x6e756c6cULL);   /* null */
	}
}

/* ---- byte buffers and varints ---- */

int gr_buf_reserve(gr_buf *b, size_t more)
{
	size_t need, cap;
	unsigned char *p;

	if (more > SIZE_MAX - b->b_len)
		return -1;
	need = b->b_len + more;
	if (need <= b->b_cap)
		return 0;
	cap = b->b_cap ? b->b_cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = realloc(b->b_data, cap);
	if (p == NULL)
		return -1;
	b->b_data = p;
	b->b_cap = cap;
	return 0;
}

int gr_buf_put(gr_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return 0;
	if (gr_buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->b_data + b->b_len, p, n);
	b->b_len += n;
	return 0;
}

int gr_buf_byte(gr_buf *b, unsigned char c)
{
	return gr_buf_put(b, &c, 1);
}

int gr_buf_varint(gr_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		unsigned char c = v & 0x7f;
		v >>= 7;
		tmp[n++] = c | (v ? 0x80 : 0);
	} while (v);
	return gr_buf_put(b, tmp, n);
}

int gr_buf_zigzag(gr_buf *b, int64_t v)
{
	uint64_t u = (uint64_t)v;
	return gr_buf_varint(b, (u << 1) ^ (0 - (u >> 63)));
}

void gr_buf_free(gr_buf *b)
{
	free(b->b_data);
	b->b_data = NULL;
	b->b_len = b->b_cap = 0;
}

int gr_get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	const unsigned char *q = *p;
	uint64_t r = 0;
	unsigned shift = 0;

	for (;;) {
		unsigned char c;
		if (q >= end)
			return -1;
		c = *q++;
		if (shift == 63 && (c & 0x7e) != 0)
			return -1;       /* more than 64 bits */
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
		if (shift > 63)
			return -1;
	}
	*p = q;
	*v = r;
	return 0;
}

int gr_get_zigzag(const unsigned char **p, const unsigned char *end, int64_t *v)
{
	uint64_t u;

	if (gr_get_varint(p, end, &u) < 0)
		return -1;
	*v = (int64_t)((u >> 1) ^ (0 - (u & 1)));
	return 0;
}

/* ---- binary encoding ---- */

static int encode_value(gr_buf *b, const gr_value *v, int depth)
{
	uint64_t bits;
	unsigned char be[8];
	size_t i, klen;
	int k;

	if (depth > GR_MAX_DEPTH)
		return -1;
	switch (v->type) {
	case GR_NULL:
		return gr_buf_byte(b, GR_NULL);
	case GR_BOOL:
		return gr_buf_byte(b, v->u.b ? GR_TRUE : GR_FALSE);
	case GR_INT:
		if (gr_buf_byte(b, GR_INT) < 0)
			return -1;
		return gr_buf_zigzag(b, v->u.i);
	case GR_FLOAT:
		memcpy(&bits, &v->u.f, sizeof bits);
		for (k = 0; k < 8; k++)
			be[k] = (unsigned char)(bits >> (56 - 8 * k));
		if (gr_buf_byte(b, GR_FLOAT) < 0)
			return -1;
		return gr_buf_put(b, be, 8);
	case GR_STRING:
		if (gr_buf_byte(b, GR_STRING) < 0 || gr_buf_varint(b, v->u.s.len) < 0)
			return -1;
		return gr_buf_put(b, v->u.s.ptr, v->u.s.len);
	case GR_DATE:
		/* dates from 2000 on, the common case, take a shorter form */
		if (v->u.date >= GR_DAYS_2000) {
			if (gr_buf_byte(b, GR_DATE2K) < 0)
				return -1;
			return gr_buf_varint(b, (uint64_t)(v->u.date - GR_DAYS_2000));
		}
		if (gr_buf_byte(b, GR_DATE) < 0)
			return -1;
		return gr_buf_zigzag(b, v->u.date);
	case GR_DATETIME: {
		const char *zone = gr_tz_name(zone_of(&v->u.dt));
		if (gr_buf_byte(b, *zone ? GR_DATETIME_ZONE : GR_DATETIME) < 0 ||
		    gr_buf_zigzag(b, v->u.dt.dt_secs) < 0 ||
		    gr_buf_varint(b, (uint64_t)v->u.dt.dt_nanos) < 0 ||
		    gr_buf_zigzag(b, v->u.dt.dt_offset) < 0)
			return -1;
		if (!*zone)
			return 0;
		return gr_buf_varint(b, strlen(zone)) < 0 ? -1 : gr_buf_put(b, zone, strlen(zone));
	}
	case GR_TIME:
		if (gr_buf_byte(b, GR_TIME) < 0 || gr_buf_varint(b, (uint64_t)v->u.tm.tm_nanos) < 0)
			return -1;
		return gr_buf_zigzag(b, v->u.tm.tm_offset);
	case GR_DURATION:
		if (gr_buf_byte(b, GR_DURATION) < 0 || gr_buf_zigzag(b, v->u.du.du_months) < 0 ||
		    gr_buf_zigzag(b, v->u.du.du_days) < 0 || gr_buf_zigzag(b, v->u.du.du_secs) < 0)
			return -1;
		return gr_buf_varint(b, (uint64_t)v->u.du.du_nanos);
	case GR_LIST:
		if (gr_buf_byte(b, GR_LIST) < 0 || gr_buf_varint(b, v->u.list.n) < 0)
			return -1;
		for (i = 0; i < v->u.list.n; i++)
			if (encode_value(b, &v->u.list.items[i], depth + 1) < 0)
				return -1;
		return 0;
	case GR_MAP:
		if (gr_buf_byte(b, GR_MAP) < 0 || gr_buf_varint(b, v->u.map.n) < 0)
			return -1;
		for (i = 0; i < v->u.map.n; i++) {
			klen = strlen(v->u.map.keys[i]);
			if (gr_buf_varint(b, klen) < 0 || gr_buf_put(b, v->u.map.keys[i], klen) < 0 ||
			    encode_value(b, &v->u.map.vals[i], depth + 1) < 0)
				return -1;
		}
		return 0;
	default:
		return -1;       /* nodes, relationships and paths are not stored */
	}
}

int gr_value_encode(gr_buf *b, const gr_value *v)
{
	size_t start = b->b_len;

	if (encode_value(b, v, 0) < 0) {
		b->b_len = start;   /* no partial encoding is left behind */
		return -1;
	}
	return 0;
}

/*
 * Decodes (out != NULL) or only validates and skips (out == NULL) one value.
 * On failure nothing stays allocated and *p is unchanged by the caller's
 * wrapper.  Skipping checks everything decoding does except that map keys
 * are unique.
 */
static int decode_value(const unsigned char **p, const unsigned char *end, gr_value *out, int depth)
{
	const unsigned char *q = *p;
	gr_value v = gr_null();
	uint64_t u, n, i, klen;
	int64_t s;
	int tag, k;

	if (depth > GR_MAX_DEPTH || q >= end)
		return -1;
	tag = *q++;
	switch (tag) {
	case GR_NULL:
		break;
	case GR_FALSE:
	case GR_TRUE:
		v = gr_bool(tag == GR_TRUE);
		break;
	case GR_INT:
		if (gr_get_zigzag(&q, end, &s) < 0)
			return -1;
		v = gr_int(s);
		break;
	case GR_FLOAT: {
		double f;
		if (end - q < 8)
			return -1;
		u = 0;
		for (k = 0; k < 8; k++)
			u = (u << 8) | q[k];
		q += 8;
		memcpy(&f, &u, sizeof f);
		v = gr_float(f);
		break;
	}
	case GR_STRING:
		if (gr_get_varint(&q, end, &n) < 0 || n > (uint64_t)(end - q))
			return -1;
		if (out != NULL) {
			v = gr_string((const char *)q, (size_t)n);
			if (v.type != GR_STRING)
				return -1;
		}
		q += n;
		break;
	case GR_DATE:
		if (gr_get_zigzag(&q, end, &s) < 0 || s < INT32_MIN || s > INT32_MAX)
			return -1;
		v = gr_date((int32_t)s);
		break;
	case GR_DATE2K:
		if (gr_get_varint(&q, end, &u) < 0 || u > (uint64_t)INT32_MAX - GR_DAYS_2000)
			return -1;
		v = gr_date((int32_t)(u + GR_DAYS_2000));
		break;
	case GR_DATETIME:
	case GR_DATETIME_ZONE: {
		int64_t secs, off;
		uint64_t zlen;
		if (gr_get_zigzag(&q, end, &secs) < 0 || gr_get_varint(&q, end, &u) < 0 ||
		    u >= (uint64_t)NANOS_PER_SEC || gr_get_zigzag(&q, end, &off) < 0)
			return -1;
		if (off != GR_TZ_NONE && (off < -MAX_OFFSET_MIN || off > MAX_OFFSET_MIN))
			return -1;
		v.type = GR_DATETIME;
		v.u.dt.dt_secs = secs;
		v.u.dt.dt_nanos = (int32_t)u;
		v.u.dt.dt_offset = (int32_t)off;
		v.u.dt.dt_zone = 0;
		if (tag == GR_DATETIME_ZONE) {
			/* the zone by name; its rules are read only when needed */
			if (off == GR_TZ_NONE || gr_get_varint(&q, end, &zlen) < 0 ||
			    zlen > (uint64_t)(end - q) || (v.u.dt.dt_zone = gr_tz_intern((const char *)q, (size_t)zlen)) == 0)
				return -1;
			q += zlen;
		}
		break;
	}
	case GR_TIME: {
		int64_t off;
		if (gr_get_varint(&q, end, &u) < 0 || u >= (uint64_t)GR_NANOS_PER_DAY ||
		    gr_get_zigzag(&q, end, &off) < 0)
			return -1;
		if (off != GR_TZ_NONE && (off < -MAX_OFFSET_MIN || off > MAX_OFFSET_MIN))
			return -1;
		v.type = GR_TIME;
		v.u.tm.tm_nanos = (int64_t)u;
		v.u.tm.tm_offset = (int32_t)off;
		break;
	}
	case GR_DURATION: {
		int64_t mo, d, sec;
		if (gr_get_zigzag(&q, end, &mo) < 0 || gr_get_zigzag(&q, end, &d) < 0 ||
		    gr_get_zigzag(&q, end, &sec) < 0 || gr_get_varint(&q, end, &u) < 0 ||
		    u >= (uint64_t)NANOS_PER_SEC)
			return -1;
		v.type = GR_DURATION;
		v.u.du.du_months = mo;
		v.u.du.du_days = d;
		v.u.du.du_secs = sec;
		v.u.du.du_nanos = (int32_t)u;
		break;
	}
	case GR_LIST:
		/* every item takes at least one byte */
		if (gr_get_varint(&q, end, &n) < 0 || n > (uint64_t)(end - q))
			return -1;
		if (out != NULL) {
			v = gr_list((size_t)n);
			if (n > 0 && v.u.list.cap < n)
				return -1;
		}
		for (i = 0; i < n; i++) {
			if (decode_value(&q, end, out ? &v.u.list.items[i] : NULL, depth + 1) < 0)
				goto fail;
			if (out != NULL)
				v.u.list.n++;
		}
		break;
	case GR_MAP:
		/* every entry takes at least two bytes */
		if (gr_get_varint(&q, end, &n) < 0 || n > (uint64_t)(end - q) / 2)
			return -1;
		v = gr_map();
		if (out != NULL && n > 0) {
			v.u.map.keys = malloc((size_t)n * sizeof(char *));
			v.u.map.vals = malloc((size_t)n * sizeof(gr_value));
			if (v.u.map.keys == NULL || v.u.map.vals == NULL)
				goto fail;
			v.u.map.cap = (size_t)n;
		}
		for (i = 0; i < n; i++) {
			char *key;
			if (gr_get_varint(&q, end, &klen) < 0 || klen > (uint64_t)(end - q) ||
			    memchr(q, '\0', (size_t)klen) != NULL)
				goto fail;
			if (out == NULL) {
				q += klen;
				if (decode_value(&q, end, NULL, depth + 1) < 0)
					goto fail;
				continue;
			}
			key = malloc((size_t)klen + 1);
			if (key == NULL)
				goto fail;
			memcpy(key, q, (size_t)klen);
			key[klen] = '\0';
			q += klen;
			if (map_find(&v, key) != SIZE_MAX ||
			    decode_value(&q, end, &v.u.map.vals[i], depth + 1) < 0) {
				free(key);
				goto fail;
			}
			v.u.map.keys[i] = key;
			v.u.map.n++;
		}
		break;
	default:
		return -1;
	}
	*p = q;
	if (out != NULL)
		*out = v;
	else
		gr_value_free(&v);
	return 0;
fail:
	gr_value_free(&v);
	return -1;
}

int gr_value_decode(const unsigned char **p, const unsigned char *end, gr_value *v)
{
	gr_value tmp;

	if (decode_value(p, end, &tmp, 0) < 0)
		return -1;
	*v = tmp;
	return 0;
}

int gr_value_skip(const unsigned char **p, const unsigned char *end)
{
	return decode_value(p, end, NULL, 0);
}
