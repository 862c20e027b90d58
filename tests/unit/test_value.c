/*
 * test_value.c: gr_value construction, equality, comparison, ordering,
 * hashing, the binary encoding and the text forms (graph/value.c).
 */
#include <CUnit/Basic.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "graph/value.h"

int test_value_register(void);

/* ---- helpers ---- */

static gr_value date_v(const char *s)
{
	int32_t d = 0;
	CU_ASSERT_EQUAL_FATAL(gr_parse_date(s, strlen(s), &d), 0);
	return gr_date(d);
}

static gr_value datetime_v(const char *s)
{
	gr_value v = gr_null();
	CU_ASSERT_EQUAL_FATAL(gr_parse_datetime(s, strlen(s), &v.u.dt), 0);
	v.type = GR_DATETIME;
	return v;
}

static gr_value duration_v(const char *s)
{
	gr_value v = gr_null();
	CU_ASSERT_EQUAL_FATAL(gr_parse_duration(s, strlen(s), &v.u.du), 0);
	v.type = GR_DURATION;
	return v;
}

static gr_value time_v(const char *s)
{
	gr_value v = gr_null();
	CU_ASSERT_EQUAL_FATAL(gr_parse_time(s, strlen(s), &v.u.tm), 0);
	v.type = GR_TIME;
	return v;
}

static gr_value list_of(int n, ...)
{
	gr_value l = gr_list(0);
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(gr_list_push(&l, va_arg(ap, gr_value)), 0);
	va_end(ap);
	return l;
}

/* {k1: v1, k2: v2, ...} from n key/value pairs */
static gr_value map_of(int n, ...)
{
	gr_value m = gr_map();
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		const char *k = va_arg(ap, const char *);
		CU_ASSERT_EQUAL(gr_map_set(&m, k, va_arg(ap, gr_value)), 0);
	}
	va_end(ap);
	return m;
}

static gr_value node_v(uint32_t id)
{
	gr_value v = gr_null();
	v.type = GR_NODE;
	v.u.node.id = id;
	return v;
}

static gr_value edge_v(uint32_t id)
{
	gr_value v = gr_null();
	v.type = GR_EDGE;
	v.u.edge.id = id;
	return v;
}

/* A path n0 -r0-> n1 of one step. */
static gr_value path_v(uint32_t n0, uint32_t r0, uint32_t n1)
{
	gr_value v = gr_null();
	gr_path *p = calloc(1, sizeof *p);
	p->pa_nodes = malloc(2 * sizeof(gr_value));
	p->pa_rels = malloc(sizeof(gr_value));
	p->pa_nodes[0] = node_v(n0);
	p->pa_nodes[1] = node_v(n1);
	p->pa_rels[0] = edge_v(r0);
	p->pa_len = 1;
	v.type = GR_PATH;
	v.u.path = p;
	return v;
}

typedef int (*text_fn)(gr_buf *, const gr_value *);

/* The text form of v by fn, as a NUL-terminated static string; frees v. */
static const char *form(text_fn fn, gr_value v)
{
	static char out[512];
	gr_buf b = {0};

	CU_ASSERT_EQUAL(fn(&b, &v), 0);
	snprintf(out, sizeof out, "%.*s", (int)b.b_len, b.b_data ? (char *)b.b_data : "");
	gr_buf_free(&b);
	gr_value_free(&v);
	return out;
}

/* Encodes v, checks that decoding gives an equal value using every byte,
 * and that every proper prefix fails to decode and to skip. */
static void check_round_trip(const gr_value *v)
{
	gr_buf b = {0};
	gr_value out = gr_null();
	const unsigned char *p;
	size_t cut;

	CU_ASSERT_EQUAL_FATAL(gr_value_encode(&b, v), 0);
	p = b.b_data;
	CU_ASSERT_EQUAL_FATAL(gr_value_decode(&p, b.b_data + b.b_len, &out), 0);
	CU_ASSERT_PTR_EQUAL(p, b.b_data + b.b_len);
	CU_ASSERT_EQUAL(out.type, v->type);
	CU_ASSERT_EQUAL(gr_value_order(&out, v), 0);
	CU_ASSERT_EQUAL(gr_value_hash(&out), gr_value_hash(v));
	gr_value_free(&out);
	p = b.b_data;
	CU_ASSERT_EQUAL(gr_value_skip(&p, b.b_data + b.b_len), 0);
	CU_ASSERT_PTR_EQUAL(p, b.b_data + b.b_len);
	for (cut = 0; cut < b.b_len; cut++) {
		/* a copy of exactly the prefix, so ASan sees any read past it */
		unsigned char *pre = malloc(cut ? cut : 1);
		memcpy(pre, b.b_data, cut);
		p = pre;
		CU_ASSERT_EQUAL(gr_value_decode(&p, pre + cut, &out), -1);
		CU_ASSERT_PTR_EQUAL(p, pre);
		p = pre;
		CU_ASSERT_EQUAL(gr_value_skip(&p, pre + cut), -1);
		free(pre);
	}
	gr_buf_free(&b);
}

static void round_trip_and_free(gr_value v)
{
	check_round_trip(&v);
	gr_value_free(&v);
}

/* ---- construction ---- */

static void test_lists_and_maps_grow_and_replace(void)
{
	gr_value l = gr_list(2), m = gr_map(), c;
	const gr_value *got;
	int i;
	char key[16];

	for (i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(gr_list_push(&l, gr_int(i)), 0);
	CU_ASSERT_EQUAL(l.u.list.n, 1000);
	CU_ASSERT_EQUAL(l.u.list.items[999].u.i, 999);
	for (i = 0; i < 100; i++) {
		snprintf(key, sizeof key, "k%d", i);
		CU_ASSERT_EQUAL(gr_map_set(&m, key, gr_cstring(key)), 0);
	}
	CU_ASSERT_EQUAL(gr_map_set(&m, "k5", gr_int(5)), 0);   /* replaces */
	CU_ASSERT_EQUAL(m.u.map.n, 100);
	got = gr_map_get(&m, "k5");
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_EQUAL(got->type, GR_INT);
	CU_ASSERT_PTR_NULL(gr_map_get(&m, "absent"));
	CU_ASSERT_PTR_NULL(gr_map_get(&l, "k5"));
	/* a push to a non-list frees the item and fails */
	CU_ASSERT_EQUAL(gr_list_push(&m, gr_cstring("leak?")), -1);
	CU_ASSERT_EQUAL(gr_map_set(&l, "x", gr_cstring("leak?")), -1);
	/* a deep copy is independent */
	CU_ASSERT_EQUAL(gr_map_set(&m, "list", l), 0);
	CU_ASSERT_EQUAL(gr_value_copy(&c, &m), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&c, &m), 1);
	gr_value_free(&m);
	CU_ASSERT_EQUAL(m.type, GR_NULL);
	CU_ASSERT_EQUAL(gr_map_get(&c, "list")->u.list.n, 1000);
	gr_value_free(&c);
}

static void test_hand_built_list_with_zero_cap_grows(void)
{
	gr_value l = gr_null();
	l.type = GR_LIST;
	l.u.list.items = malloc(3 * sizeof(gr_value));
	l.u.list.items[0] = gr_int(1);
	l.u.list.items[1] = gr_int(2);
	l.u.list.items[2] = gr_int(3);
	l.u.list.n = 3;
	l.u.list.cap = 0;
	CU_ASSERT_EQUAL(gr_list_push(&l, gr_cstring("four")), 0);
	CU_ASSERT_EQUAL(l.u.list.n, 4);
	gr_value_free(&l);
}

static void test_strings_keep_embedded_nul_and_terminate(void)
{
	gr_value s = gr_string("a\0b", 3);
	CU_ASSERT_EQUAL(s.u.s.len, 3);
	CU_ASSERT_EQUAL(s.u.s.ptr[3], '\0');
	CU_ASSERT_EQUAL(memcmp(s.u.s.ptr, "a\0b", 3), 0);
	round_trip_and_free(s);
	s = gr_string(NULL, 0);
	CU_ASSERT_EQUAL(s.type, GR_STRING);
	CU_ASSERT_EQUAL(s.u.s.len, 0);
	gr_value_free(&s);
	CU_ASSERT_EQUAL(gr_cstring(NULL).type, GR_NULL);
}

static void test_copy_of_path_and_scalars(void)
{
	gr_value p = path_v(1, 7, 2), c, d = duration_v("P1M2D"), e;

	CU_ASSERT_EQUAL(gr_value_copy(&c, &p), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&c, &p), 1);
	CU_ASSERT_PTR_NOT_EQUAL(c.u.path, p.u.path);
	gr_value_free(&p);
	CU_ASSERT_EQUAL(c.u.path->pa_rels[0].u.edge.id, 7);
	gr_value_free(&c);
	CU_ASSERT_EQUAL(gr_value_copy(&e, &d), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&e, &d), 1);
}

/* ---- binary encoding ---- */

static void test_encoding_bytes_are_as_documented(void)
{
	gr_buf b = {0};
	gr_value v;
	static const unsigned char want[] = {
		GR_NULL, GR_TRUE, GR_FALSE, GR_INT, 2, GR_INT, 3, GR_INT, 0x80, 0x01,
		GR_FLOAT, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, GR_STRING, 2, 'a', 'b',
		GR_DATE, 1, GR_LIST, 1, GR_NULL, GR_MAP, 1, 1, 'k', GR_INT, 0,
		GR_DATETIME, 2, 0, 0x80, 0x02, GR_DURATION, 2, 0, 1, 5,
		GR_TIME, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0x77, GR_TIME, 0, 0xff, 0xff, 0x03,
	};

	gr_value_encode(&b, &(gr_value){.type = GR_NULL});
	v = gr_bool(1); gr_value_encode(&b, &v);
	v = gr_bool(0); gr_value_encode(&b, &v);
	v = gr_int(1); gr_value_encode(&b, &v);
	v = gr_int(-2); gr_value_encode(&b, &v);
	v = gr_int(64); gr_value_encode(&b, &v);
	v = gr_float(1.0); gr_value_encode(&b, &v);
	v = gr_cstring("ab"); gr_value_encode(&b, &v); gr_value_free(&v);
	v = gr_date(-1); gr_value_encode(&b, &v);
	v = list_of(1, gr_null()); gr_value_encode(&b, &v); gr_value_free(&v);
	v = map_of(1, "k", gr_int(0)); gr_value_encode(&b, &v); gr_value_free(&v);
	v = gr_null();
	v.type = GR_DATETIME;
	v.u.dt.dt_secs = 1;
	v.u.dt.dt_offset = 128;
	gr_value_encode(&b, &v);
	v = gr_null();
	v.type = GR_DURATION;
	v.u.du.du_months = 1;
	v.u.du.du_secs = -1;
	v.u.du.du_nanos = 5;
	gr_value_encode(&b, &v);
	v = gr_null();
	v.type = GR_TIME;
	v.u.tm.tm_nanos = 1000000000;
	v.u.tm.tm_offset = -60;
	gr_value_encode(&b, &v);
	v.u.tm.tm_nanos = 0;
	v.u.tm.tm_offset = GR_TZ_NONE;
	gr_value_encode(&b, &v);
	CU_ASSERT_EQUAL_FATAL(b.b_len, sizeof want);
	CU_ASSERT_EQUAL(memcmp(b.b_data, want, sizeof want), 0);
	gr_buf_free(&b);
}

static void test_round_trip_of_every_kind(void)
{
	double nan = NAN;

	round_trip_and_free(gr_null());
	round_trip_and_free(gr_bool(1));
	round_trip_and_free(gr_bool(0));
	round_trip_and_free(gr_int(0));
	round_trip_and_free(gr_int(-1));
	round_trip_and_free(gr_int(INT64_MIN));
	round_trip_and_free(gr_int(INT64_MAX));
	round_trip_and_free(gr_int(9007199254740993LL));
	round_trip_and_free(gr_float(0.0));
	round_trip_and_free(gr_float(1e-300));
	round_trip_and_free(gr_float(4.9e-324));
	round_trip_and_free(gr_float(INFINITY));
	round_trip_and_free(gr_float(-INFINITY));
	round_trip_and_free(gr_float(0.1));
	round_trip_and_free(gr_cstring(""));
	round_trip_and_free(gr_cstring("LADY R \xd0\x9b\xd0\x95\xd0\x94\xd0\x98 \xc5\x8ckubo \xf0\x9f\x9a\xa2"));
	round_trip_and_free(date_v("2024-04-02"));
	round_trip_and_free(date_v("-0044-03-15"));
	round_trip_and_free(gr_date(INT32_MIN));
	round_trip_and_free(gr_date(INT32_MAX));
	round_trip_and_free(datetime_v("2024-04-02T10:00:00.123456789+05:30"));
	round_trip_and_free(datetime_v("2024-04-02T10:00"));
	round_trip_and_free(datetime_v("1969-12-31T23:59:59.5-12:00"));
	round_trip_and_free(duration_v("P1Y2M3DT4H5M6.5S"));
	round_trip_and_free(duration_v("-P1M2DT0.25S"));
	round_trip_and_free(time_v("00:00Z"));
	round_trip_and_free(time_v("23:59:59.999999999-18:00"));
	round_trip_and_free(time_v("12:31:14.645876123"));
	round_trip_and_free(gr_list(4));
	round_trip_and_free(gr_map());
	round_trip_and_free(list_of(3, gr_int(1),
	                            list_of(2, gr_int(2), list_of(2, gr_float(3.5), gr_list(0))),
	                            gr_cstring("x")));
	round_trip_and_free(map_of(4, "name", gr_cstring("LADY R"), "imo", gr_cstring("9161003"),
	                           "flags", list_of(2, gr_cstring("RU"), gr_null()),
	                           "nested", map_of(1, "\xc3\xa9t\xc3\xa9", date_v("2024-04-14"))));

	/* -0.0 and NaN keep their bits */
	{
		gr_buf b = {0};
		gr_value v = gr_float(-0.0), out;
		const unsigned char *p;

		gr_value_encode(&b, &v);
		v = gr_float(nan);
		gr_value_encode(&b, &v);
		p = b.b_data;
		CU_ASSERT_EQUAL(gr_value_decode(&p, b.b_data + b.b_len, &out), 0);
		CU_ASSERT(out.u.f == 0 && signbit(out.u.f));
		CU_ASSERT_EQUAL(gr_value_decode(&p, b.b_data + b.b_len, &out), 0);
		CU_ASSERT(isnan(out.u.f));
		gr_buf_free(&b);
	}
}

static void test_query_time_values_are_not_encoded(void)
{
	gr_buf b = {0};
	gr_value n = node_v(1), l = list_of(2, gr_int(1), edge_v(2)), p = path_v(1, 2, 3);

	CU_ASSERT_EQUAL(gr_value_encode(&b, &n), -1);
	CU_ASSERT_EQUAL(gr_value_encode(&b, &l), -1);
	CU_ASSERT_EQUAL(b.b_len, 0);        /* nothing partial left behind */
	CU_ASSERT_EQUAL(gr_value_encode(&b, &p), -1);
	gr_value_free(&l);
	gr_value_free(&p);
	gr_buf_free(&b);
}

static int decodes(const unsigned char *bytes, size_t n)
{
	const unsigned char *p = bytes;
	gr_value v;
	int rc = gr_value_decode(&p, bytes + n, &v);
	if (rc == 0)
		gr_value_free(&v);
	return rc;
}

static void test_decode_rejects_malformed_bytes(void)
{
	static const unsigned char unknown_tag[] = {11};
	static const unsigned char high_tag[] = {0xff};
	static const unsigned char huge_list[] = {GR_LIST, 0xff, 0xff, 0xff, 0xff, 0x0f, 0};
	static const unsigned char huge_string[] = {GR_STRING, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	static const unsigned char huge_map[] = {GR_MAP, 0x80, 0x80, 0x04, 1, 'a', 0};
	static const unsigned char nul_in_key[] = {GR_MAP, 1, 2, 'a', 0, GR_NULL};
	static const unsigned char dup_key[] = {GR_MAP, 2, 1, 'a', GR_NULL, 1, 'a', GR_TRUE};
	static const unsigned char long_varint[] = {GR_INT, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
	static const unsigned char wide_varint[] = {GR_INT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
	static const unsigned char max_varint[] = {GR_INT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	static const unsigned char big_date[] = {GR_DATE, 0x80, 0x80, 0x80, 0x80, 0x10};
	static const unsigned char big_nanos[] = {GR_DATETIME, 0, 0x80, 0x94, 0xeb, 0xdc, 0x03, 0};
	static const unsigned char big_offset[] = {GR_DATETIME, 0, 0, 0xa2, 0x11};
	static const unsigned char tz_none[] = {GR_DATETIME, 0, 0, 0xff, 0xff, 0x03};
	static const unsigned char day_nanos[] = {GR_TIME, 0x80, 0x80, 0xbc, 0x8a, 0xc9, 0xd2, 0x13, 0};
	static const unsigned char last_nanos[] = {GR_TIME, 0xff, 0xff, 0xbb, 0x8a, 0xc9, 0xd2, 0x13, 0};
	static const unsigned char time_offset[] = {GR_TIME, 0, 0xa2, 0x11};
	static const unsigned char time_cut[] = {GR_TIME, 0};
	static const unsigned char bad_item[] = {GR_LIST, 2, GR_NULL, 14};
	static const unsigned char bad_value[] = {GR_MAP, 2, 1, 'a', GR_NULL, 1, 'b', 13};

	CU_ASSERT_EQUAL(decodes(unknown_tag, sizeof unknown_tag), -1);
	CU_ASSERT_EQUAL(decodes(high_tag, sizeof high_tag), -1);
	CU_ASSERT_EQUAL(decodes(huge_list, sizeof huge_list), -1);
	CU_ASSERT_EQUAL(decodes(huge_string, sizeof huge_string), -1);
	CU_ASSERT_EQUAL(decodes(huge_map, sizeof huge_map), -1);
	CU_ASSERT_EQUAL(decodes(nul_in_key, sizeof nul_in_key), -1);
	CU_ASSERT_EQUAL(decodes(dup_key, sizeof dup_key), -1);
	CU_ASSERT_EQUAL(decodes(long_varint, sizeof long_varint), -1);
	CU_ASSERT_EQUAL(decodes(wide_varint, sizeof wide_varint), -1);
	CU_ASSERT_EQUAL(decodes(max_varint, sizeof max_varint), 0);
	CU_ASSERT_EQUAL(decodes(big_date, sizeof big_date), -1);
	CU_ASSERT_EQUAL(decodes(big_nanos, sizeof big_nanos), -1);
	CU_ASSERT_EQUAL(decodes(big_offset, sizeof big_offset), -1);
	CU_ASSERT_EQUAL(decodes(tz_none, sizeof tz_none), 0);
	CU_ASSERT_EQUAL(decodes(day_nanos, sizeof day_nanos), -1);
	CU_ASSERT_EQUAL(decodes(last_nanos, sizeof last_nanos), 0);
	CU_ASSERT_EQUAL(decodes(time_offset, sizeof time_offset), -1);
	CU_ASSERT_EQUAL(decodes(time_cut, sizeof time_cut), -1);
	CU_ASSERT_EQUAL(decodes(bad_item, sizeof bad_item), -1);
	CU_ASSERT_EQUAL(decodes(bad_value, sizeof bad_value), -1);
	CU_ASSERT_EQUAL(decodes(unknown_tag, 0), -1);
}

/* Lists nested `depth` deep around a null. */
static void nested_bytes(unsigned char *buf, int depth, size_t *n)
{
	int i;
	for (i = 0; i < depth; i++) {
		buf[2 * i] = GR_LIST;
		buf[2 * i + 1] = 1;
	}
	buf[2 * depth] = GR_NULL;
	*n = 2 * (size_t)depth + 1;
}

static void test_nesting_is_bounded(void)
{
	static unsigned char buf[20001];
	size_t n;
	const unsigned char *p;
	gr_value v, inner;
	gr_buf b = {0};
	int i;

	nested_bytes(buf, 200, &n);
	CU_ASSERT_EQUAL(decodes(buf, n), 0);
	nested_bytes(buf, 10000, &n);
	CU_ASSERT_EQUAL(decodes(buf, n), -1);
	p = buf;
	CU_ASSERT_EQUAL(gr_value_skip(&p, buf + n), -1);
	/* encoding refuses what decoding would refuse */
	v = gr_null();
	for (i = 0; i < 300; i++) {
		inner = gr_list(1);
		gr_list_push(&inner, v);
		v = inner;
	}
	CU_ASSERT_EQUAL(gr_value_encode(&b, &v), -1);
	CU_ASSERT_EQUAL(b.b_len, 0);
	gr_value_free(&v);
	gr_buf_free(&b);
}

/* Random bytes and single-byte corruptions of valid encodings: decode may
 * succeed or fail, but must stay within the bytes and not leak. */
static void test_decode_survives_garbage(void)
{
	gr_value rich = map_of(3, "a", list_of(3, gr_int(-5), gr_float(2.5), gr_cstring("zz")),
	                       "b", datetime_v("2024-04-02T10:00:00.5+01:00"),
	                       "c", map_of(1, "d", duration_v("P1M")));
	gr_buf b = {0};
	unsigned char *copy;
	size_t i, round;
	unsigned seed = 12345;

	gr_value_encode(&b, &rich);
	copy = malloc(b.b_len);
	for (i = 0; i < b.b_len; i++) {
		int bit;
		for (bit = 0; bit < 8; bit++) {
			const unsigned char *p = copy;
			gr_value v;
			memcpy(copy, b.b_data, b.b_len);
			copy[i] ^= (unsigned char)(1u << bit);
			if (gr_value_decode(&p, copy + b.b_len, &v) == 0) {
				CU_ASSERT(p <= copy + b.b_len);
				gr_value_free(&v);
			}
			p = copy;
			(void)gr_value_skip(&p, copy + b.b_len);
		}
	}
	free(copy);
	for (round = 0; round < 20000; round++) {
		unsigned char junk[24];
		size_t len = (seed >> 16) % sizeof junk;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			junk[i] = (unsigned char)(seed >> 16);
			if (i == 0)
				junk[0] %= 12;
		}
		seed = seed * 1103515245u + 12345u;
		(void)decodes(junk, len);
	}
	gr_buf_free(&b);
	gr_value_free(&rich);
}

static void test_varints_and_zigzag(void)
{
	static const uint64_t uv[] = {0, 1, 127, 128, 16383, 16384, 1ULL << 63, UINT64_MAX};
	static const int64_t sv[] = {0, -1, 1, -64, 64, INT64_MIN, INT64_MAX};
	gr_buf b = {0};
	const unsigned char *p;
	size_t i;

	for (i = 0; i < sizeof uv / sizeof uv[0]; i++)
		gr_buf_varint(&b, uv[i]);
	for (i = 0; i < sizeof sv / sizeof sv[0]; i++)
		gr_buf_zigzag(&b, sv[i]);
	p = b.b_data;
	for (i = 0; i < sizeof uv / sizeof uv[0]; i++) {
		uint64_t u = 0;
		CU_ASSERT_EQUAL(gr_get_varint(&p, b.b_data + b.b_len, &u), 0);
		CU_ASSERT_EQUAL(u, uv[i]);
	}
	for (i = 0; i < sizeof sv / sizeof sv[0]; i++) {
		int64_t s = 0;
		CU_ASSERT_EQUAL(gr_get_zigzag(&p, b.b_data + b.b_len, &s), 0);
		CU_ASSERT_EQUAL(s, sv[i]);
	}
	CU_ASSERT_PTR_EQUAL(p, b.b_data + b.b_len);
	gr_buf_free(&b);
	/* -1 zigzags to 1, one byte */
	gr_buf_zigzag(&b, -1);
	CU_ASSERT_EQUAL(b.b_len, 1);
	CU_ASSERT_EQUAL(b.b_data[0], 1);
	gr_buf_free(&b);
}

/* ---- equality, comparison, order, hash ---- */

static void test_equality_is_ternary(void)
{
	gr_value one = gr_int(1), onef = gr_float(1.0), nan = gr_float(NAN), nul = gr_null();
	gr_value big = gr_int(9007199254740993LL), bigf = gr_float(9007199254740992.0);
	gr_value big2 = gr_int(9007199254740992LL);
	gr_value a = list_of(2, gr_int(1), gr_null()), b = list_of(2, gr_int(1), gr_null());
	gr_value c = list_of(2, gr_int(2), gr_null()), d = list_of(1, gr_int(1));
	gr_value m1 = map_of(2, "a", gr_int(1), "b", gr_cstring("x"));
	gr_value m2 = map_of(2, "b", gr_cstring("x"), "a", gr_float(1.0));
	gr_value m3 = map_of(2, "a", gr_int(1), "c", gr_cstring("x"));
	gr_value m4 = map_of(1, "a", gr_null()), m5 = map_of(1, "a", gr_null());
	gr_value s1 = gr_cstring("1"), z1 = datetime_v("2024-04-02T10:00Z");
	gr_value z2 = datetime_v("2024-04-02T12:00+02:00"), l1 = datetime_v("2024-04-02T10:00");
	gr_value du1 = duration_v("P1D"), du2 = duration_v("PT24H");

	CU_ASSERT_EQUAL(gr_value_equal(&one, &onef), 1);
	CU_ASSERT_EQUAL(gr_value_equal(&nan, &nan), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&nul, &nul), -1);
	CU_ASSERT_EQUAL(gr_value_equal(&one, &nul), -1);
	CU_ASSERT_EQUAL(gr_value_equal(&big, &bigf), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&big2, &bigf), 1);
	CU_ASSERT_EQUAL(gr_value_equal(&a, &b), -1);
	CU_ASSERT_EQUAL(gr_value_equal(&a, &c), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&a, &d), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&m1, &m2), 1);
	CU_ASSERT_EQUAL(gr_value_equal(&m1, &m3), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&m4, &m5), -1);
	CU_ASSERT_EQUAL(gr_value_equal(&one, &s1), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&z1, &z2), 0);   /* same instant, other zone */
	CU_ASSERT_EQUAL(gr_value_equal(&z1, &l1), 0);
	CU_ASSERT_EQUAL(gr_value_equal(&z1, &z1), 1);
	CU_ASSERT_EQUAL(gr_value_equal(&du1, &du2), 0);
	gr_value_free(&a);
	gr_value_free(&b);
	gr_value_free(&c);
	gr_value_free(&d);
	gr_value_free(&m1);
	gr_value_free(&m2);
	gr_value_free(&m3);
	gr_value_free(&m4);
	gr_value_free(&m5);
	gr_value_free(&s1);
}

static int compare(gr_value a, gr_value b, int *cmp)
{
	int rc = gr_value_compare(&a, &b, cmp);
	gr_value_free(&a);
	gr_value_free(&b);
	return rc;
}

static void test_comparison_of_comparable_and_incomparable(void)
{
	int c;

	CU_ASSERT(compare(gr_int(1), gr_float(2.5), &c) == 0 && c < 0);
	CU_ASSERT(compare(gr_float(2.5), gr_int(2), &c) == 0 && c > 0);
	CU_ASSERT(compare(gr_int(INT64_MAX), gr_float(9223372036854775808.0), &c) == 0 && c < 0);
	CU_ASSERT(compare(gr_int(INT64_MIN), gr_float(-9223372036854775808.0), &c) == 0 && c == 0);
	CU_ASSERT(compare(gr_int(-3), gr_float(-2.5), &c) == 0 && c < 0);
	CU_ASSERT(compare(gr_int(-2), gr_float(-2.5), &c) == 0 && c > 0);
	CU_ASSERT(compare(gr_cstring("a"), gr_cstring("b"), &c) == 0 && c < 0);
	CU_ASSERT(compare(gr_cstring("ab"), gr_cstring("a"), &c) == 0 && c > 0);
	CU_ASSERT(compare(gr_bool(0), gr_bool(1), &c) == 0 && c < 0);
	CU_ASSERT(compare(date_v("2024-04-02"), date_v("2024-04-14"), &c) == 0 && c < 0);
	CU_ASSERT(compare(datetime_v("2024-04-02T12:00+02:00"), datetime_v("2024-04-02T10:30Z"), &c) == 0 && c < 0);
	CU_ASSERT(compare(list_of(2, gr_int(1), gr_int(2)), list_of(2, gr_int(1), gr_int(3)), &c) == 0 && c < 0);
	CU_ASSERT(compare(list_of(1, gr_int(1)), list_of(2, gr_int(1), gr_int(0)), &c) == 0 && c < 0);
	CU_ASSERT(compare(list_of(2, gr_int(2), gr_cstring("a")), list_of(2, gr_int(1), gr_int(0)), &c) == 0 && c > 0);

	CU_ASSERT_EQUAL(compare(gr_int(1), gr_cstring("1"), &c), -1);
	CU_ASSERT_EQUAL(compare(gr_null(), gr_int(1), &c), -1);
	CU_ASSERT_EQUAL(compare(gr_float(NAN), gr_int(1), &c), 1);
	CU_ASSERT_EQUAL(compare(gr_float(NAN), gr_float(NAN), &c), 1);
	CU_ASSERT_EQUAL(compare(list_of(2, gr_int(1), gr_cstring("a")), list_of(2, gr_int(1), gr_int(2)), &c), -1);
	CU_ASSERT_EQUAL(compare(list_of(1, gr_null()), list_of(1, gr_null()), &c), -1);
	CU_ASSERT_EQUAL(compare(date_v("2024-04-02"), datetime_v("2024-04-02T00:00Z"), &c), -1);
	CU_ASSERT_EQUAL(compare(datetime_v("2024-04-02T00:00"), datetime_v("2024-04-02T00:00Z"), &c), -1);
	CU_ASSERT_EQUAL(compare(duration_v("P1D"), duration_v("P2D"), &c), -1);
	CU_ASSERT_EQUAL(compare(map_of(0), map_of(0), &c), -1);
	CU_ASSERT_EQUAL(compare(node_v(1), node_v(2), &c), -1);
}

static void test_order_across_kinds(void)
{
	gr_value v[] = {
		map_of(1, "a", gr_int(1)), node_v(5), edge_v(5), list_of(1, gr_int(1)), path_v(1, 2, 3),
		datetime_v("2024-04-02T10:00Z"), datetime_v("2000-01-01T00:00"), date_v("2024-04-02"),
		time_v("23:00Z"), time_v("01:00"), duration_v("P1D"), gr_cstring("a"), gr_bool(1), gr_int(1), gr_null(),
	};
	size_t n = sizeof v / sizeof v[0], i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			int o = gr_value_order(&v[i], &v[j]);
			CU_ASSERT_EQUAL((o > 0) - (o < 0), (i > j) - (i < j));
		}
	for (i = 0; i < n; i++)
		gr_value_free(&v[i]);
}

static void test_order_within_kinds(void)
{
	gr_value v[] = {
		gr_float(-INFINITY), gr_int(INT64_MIN), gr_float(-1.5), gr_int(-1), gr_float(-0.5),
		gr_int(0), gr_float(0.5), gr_int(1), gr_float(1.5),
		gr_int(9007199254740992LL), gr_int(9007199254740993LL), gr_float(9007199254740994.0),
		gr_int(INT64_MAX), gr_float(1e19), gr_float(INFINITY), gr_float(NAN),
	};
	gr_value s[] = {
		gr_cstring(""), gr_cstring("A"), gr_cstring("B"), gr_cstring("a"), gr_cstring("ab"),
		gr_cstring("b"), gr_cstring("\xc3\x89"), gr_cstring("\xe4\xb8\xad"),
	};
	gr_value l[] = {
		list_of(0), list_of(1, gr_int(1)), list_of(2, gr_int(1), gr_cstring("x")),
		list_of(2, gr_int(1), gr_int(1)), list_of(1, gr_int(2)),
	};
	gr_value m[] = {
		map_of(0), map_of(1, "a", gr_int(1)), map_of(2, "b", gr_int(0), "a", gr_int(1)),
		map_of(1, "a", gr_int(2)), map_of(1, "b", gr_int(0)),
	};
	gr_value t[] = {
		duration_v("-P1D"), duration_v("PT0S"), duration_v("PT1S"), duration_v("PT23H"),
		duration_v("P1D"), duration_v("PT24H1S"), duration_v("P1M"), duration_v("P1Y"),
	};
	/* times by instant, then offset; local times by value */
	gr_value tm[] = {
		time_v("10:00+01:00"), time_v("09:30Z"), time_v("10:30+01:00"), time_v("23:00-05:00"),
	};
	gr_value lt[] = { time_v("00:00"), time_v("12:00"), time_v("23:59:59.999999999") };
	struct { gr_value *v; size_t n; } groups[] = {
		{v, sizeof v / sizeof v[0]}, {s, sizeof s / sizeof s[0]}, {l, sizeof l / sizeof l[0]},
		{m, sizeof m / sizeof m[0]}, {t, sizeof t / sizeof t[0]}, {tm, sizeof tm / sizeof tm[0]},
		{lt, sizeof lt / sizeof lt[0]},
	};
	size_t g, i, j;

	for (g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		for (i = 0; i < groups[g].n; i++)
			for (j = 0; j < groups[g].n; j++) {
				int o = gr_value_order(&groups[g].v[i], &groups[g].v[j]);
				CU_ASSERT_EQUAL((o > 0) - (o < 0), (i > j) - (i < j));
			}
		for (i = 0; i < groups[g].n; i++)
			gr_value_free(&groups[g].v[i]);
	}
	{
		gr_value one = gr_int(1), onef = gr_float(1.0), z = gr_float(0.0), nz = gr_float(-0.0);
		gr_value nan = gr_float(NAN);
		CU_ASSERT_EQUAL(gr_value_order(&one, &onef), 0);
		CU_ASSERT_EQUAL(gr_value_order(&z, &nz), 0);
		CU_ASSERT_EQUAL(gr_value_order(&nan, &nan), 0);
	}
}

static void test_hash_agrees_with_equality(void)
{
	gr_value one = gr_int(1), onef = gr_float(1.0), z = gr_int(0), zf = gr_float(0.0);
	gr_value nz = gr_float(-0.0), big = gr_int(9007199254740992LL), bigf = gr_float(9007199254740992.0);
	gr_value odd = gr_int(9007199254740993LL), mn = gr_int(INT64_MIN), mnf = gr_float(-9223372036854775808.0);
	gr_value m1 = map_of(2, "a", gr_int(1), "b", list_of(1, gr_float(2.0)));
	gr_value m2 = map_of(2, "b", list_of(1, gr_int(2)), "a", gr_float(1.0));
	gr_value s1 = gr_cstring("1"), l1 = list_of(2, gr_int(1), gr_int(2)), l2 = list_of(2, gr_int(2), gr_int(1));
	gr_value t1 = time_v("12:00+01:00"), t2 = time_v("12:00:00.000+01:00"), t3 = time_v("11:00Z");
	gr_value t4 = time_v("12:00");
	int cmp = 9;

	CU_ASSERT_EQUAL(gr_value_hash(&one), gr_value_hash(&onef));
	CU_ASSERT_EQUAL(gr_value_hash(&z), gr_value_hash(&zf));
	CU_ASSERT_EQUAL(gr_value_hash(&z), gr_value_hash(&nz));
	CU_ASSERT_EQUAL(gr_value_hash(&big), gr_value_hash(&bigf));
	CU_ASSERT_EQUAL(gr_value_hash(&mn), gr_value_hash(&mnf));
	CU_ASSERT_EQUAL(gr_value_equal(&mn, &mnf), 1);
	CU_ASSERT_NOT_EQUAL(gr_value_hash(&odd), gr_value_hash(&bigf));
	CU_ASSERT_EQUAL(gr_value_equal(&m1, &m2), 1);
	CU_ASSERT_EQUAL(gr_value_hash(&m1), gr_value_hash(&m2));
	CU_ASSERT_NOT_EQUAL(gr_value_hash(&one), gr_value_hash(&s1));
	CU_ASSERT_NOT_EQUAL(gr_value_hash(&l1), gr_value_hash(&l2));
	/* the same instant in another zone is not equal, but compares equal */
	CU_ASSERT_EQUAL(gr_value_equal(&t1, &t2), 1);
	CU_ASSERT_EQUAL(gr_value_hash(&t1), gr_value_hash(&t2));
	CU_ASSERT_EQUAL(gr_value_equal(&t1, &t3), 0);
	CU_ASSERT_EQUAL(gr_value_compare(&t1, &t3, &cmp), 0);
	CU_ASSERT_EQUAL(cmp, 0);
	CU_ASSERT_EQUAL(gr_value_equal(&t1, &t4), 0);
	CU_ASSERT_EQUAL(gr_value_compare(&t1, &t4, &cmp), -1);
	gr_value_free(&m1);
	gr_value_free(&m2);
	gr_value_free(&s1);
	gr_value_free(&l1);
	gr_value_free(&l2);
}

/* ---- text forms ---- */

static void test_json_numbers(void)
{
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_int(9007199254740993LL)), "9007199254740993");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_int(INT64_MIN)), "-9223372036854775808");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_int(INT64_MAX)), "9223372036854775807");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1.0)), "1.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(0.5)), "0.5");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(0.1)), "0.1");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(-0.0)), "-0.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1e20)), "1e20");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1.5e-7)), "1.5e-7");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(123456.789)), "123456.789");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1.0 / 3)), "0.3333333333333333");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(0.1 + 0.2)), "0.30000000000000004");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(9007199254740992.0)), "9007199254740992.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1.7976931348623157e308)), "1.7976931348623157e308");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(4.9406564584124654e-324)), "5e-324");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(-2.5e-320)), "-2.5e-320");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(1e15)), "1e15");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(100.0)), "100.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(NAN)), "\"NaN\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(INFINITY)), "\"Infinity\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_float(-INFINITY)), "\"-Infinity\"");
}

/* Every printed float reads back as the same double. */
static void test_json_floats_round_trip(void)
{
	unsigned seed = 7;
	int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		uint64_t bits = 0;
		double d;
		int k;
		for (k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			bits = (bits << 16) | ((seed >> 8) & 0xffff);
		}
		memcpy(&d, &bits, sizeof d);
		if (isnan(d) || isinf(d))
			continue;
		if (strtod(form(gr_value_json, gr_float(d)), NULL) != d)
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_json_strings_and_containers(void)
{
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("a\"b\\c\n\t\x01")), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("\xc5\x8ckubo")), "\"\xc5\x8ckubo\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("bad\xff\xc3")), "\"bad\\u00ff\\u00c3\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("\xed\xa0\x80")), "\"\\u00ed\\u00a0\\u0080\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("\xc0\xaf")), "\"\\u00c0\\u00af\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_cstring("x\xe2\x80\xa8y")), "\"x\\u2028y\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_string("a\0b", 3)), "\"a\\u0000b\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_null()), "null");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_bool(1)), "true");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, date_v("2024-04-02")), "\"2024-04-02\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, datetime_v("2024-04-02T10:00Z")), "\"2024-04-02T10:00Z\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, duration_v("P30D")), "\"P30D\"");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, list_of(3, gr_int(1), gr_cstring("a"), gr_null())), "[1,\"a\",null]");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, map_of(2, "name", gr_cstring("LADY R"), "k\"", gr_float(2))),
	                       "{\"name\":\"LADY R\",\"k\\\"\":2.0}");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_list(0)), "[]");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, gr_map()), "{}");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, node_v(3)), "3");
	CU_ASSERT_STRING_EQUAL(form(gr_value_json, path_v(1, 9, 2)),
	                       "{\"kind\":\"path\",\"nodes\":[1,2],\"relationships\":[9]}");
}

static void test_display_text(void)
{
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_cstring("it's")), "it's");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_null()), "null");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_bool(0)), "false");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_float(1)), "1.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_float(NAN)), "NaN");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, gr_float(-INFINITY)), "-Infinity");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, date_v("2024-04-02")), "2024-04-02");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, duration_v("PT36H")), "PT36H");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, list_of(3, gr_cstring("LADY R"), gr_int(1), date_v("2024-04-14"))),
	                       "['LADY R', 1, 2024-04-14]");
	CU_ASSERT_STRING_EQUAL(form(gr_value_text, map_of(2, "name", gr_cstring("x"), "n", gr_null())),
	                       "{name: 'x', n: null}");
}

static void test_cypher_literals(void)
{
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, gr_cstring("it's")), "'it\\'s'");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, gr_cstring("a\\b\nc\x01")), "'a\\\\b\\nc\\u0001'");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, date_v("2024-04-02")), "date('2024-04-02')");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, datetime_v("2024-04-02T10:00+03:00")),
	                       "datetime('2024-04-02T10:00+03:00')");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, duration_v("P30D")), "duration('P30D')");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, gr_float(NAN)), "0.0 / 0.0");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, gr_float(1e20)), "1e20");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, gr_int(-5)), "-5");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, list_of(2, gr_int(1), gr_cstring("a"))), "[1, 'a']");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, map_of(3, "name", gr_cstring("LADY R"), "odd key", gr_int(1),
	                                                    "b`q", gr_bool(1))),
	                       "{name: 'LADY R', `odd key`: 1, `b``q`: true}");
	CU_ASSERT_STRING_EQUAL(form(gr_value_cypher, map_of(1, "", gr_null())), "{``: null}");
}

static void test_value_from_text(void)
{
	gr_value v;

	v = gr_value_from_text("2024-04-02", 10);
	CU_ASSERT_EQUAL(v.type, GR_DATE);
	v = gr_value_from_text("2024-04-02T10:00:00Z", 20);
	CU_ASSERT_EQUAL(v.type, GR_DATETIME);
	CU_ASSERT_EQUAL(v.u.dt.dt_offset, 0);
	v = gr_value_from_text("2024-04-02T10:00", 16);
	CU_ASSERT_EQUAL(v.type, GR_DATETIME);
	CU_ASSERT_EQUAL(v.u.dt.dt_offset, GR_TZ_NONE);
	v = gr_value_from_text("2024-02-30", 10);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	gr_value_free(&v);
	v = gr_value_from_text("IMO9161003", 10);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "IMO9161003");
	gr_value_free(&v);
	v = gr_value_from_text("", 0);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	CU_ASSERT_EQUAL(v.u.s.len, 0);
	gr_value_free(&v);
	v = gr_value_from_text("P30D", 4);       /* durations stay strings */
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	gr_value_free(&v);
}

/* The digit printer every number and date goes through. */
static void test_digits(void)
{
	char b[32];
	CU_ASSERT_EQUAL(gr_fmt_int(b, 0), 1);
	CU_ASSERT_STRING_EQUAL(b, "0");
	CU_ASSERT_EQUAL(gr_fmt_int(b, -7), 2);
	CU_ASSERT_STRING_EQUAL(b, "-7");
	gr_fmt_int(b, INT64_MAX);
	CU_ASSERT_STRING_EQUAL(b, "9223372036854775807");
	gr_fmt_int(b, INT64_MIN);
	CU_ASSERT_STRING_EQUAL(b, "-9223372036854775808");
	CU_ASSERT_EQUAL(gr_fmt_uint(b, UINT64_MAX, 1), 20);
	CU_ASSERT_STRING_EQUAL(b, "18446744073709551615");
	gr_fmt_uint(b, 5, 4);
	CU_ASSERT_STRING_EQUAL(b, "0005");
	gr_fmt_uint(b, 123456, 4);
	CU_ASSERT_STRING_EQUAL(b, "123456");
	gr_fmt_uint(b, 120, 9);
	CU_ASSERT_STRING_EQUAL(b, "000000120");
	{
		/* through the value printer, as the answers print */
		gr_buf t = { 0 };
		gr_value v = gr_int(-42);
		CU_ASSERT_EQUAL(gr_value_text(&t, &v), 0);
		CU_ASSERT(t.b_len == 3 && memcmp(t.b_data, "-42", 3) == 0);
		gr_buf_free(&t);
	}
}

int test_value_register(void)
{
	static const unit_test tests[] = {
		{"digits", test_digits},
		{"lists and maps grow and replace", test_lists_and_maps_grow_and_replace},
		{"hand-built list with zero cap grows", test_hand_built_list_with_zero_cap_grows},
		{"strings keep embedded NUL and terminate", test_strings_keep_embedded_nul_and_terminate},
		{"copy of path and scalars", test_copy_of_path_and_scalars},
		{"encoding bytes are as documented", test_encoding_bytes_are_as_documented},
		{"round trip of every kind, truncations fail", test_round_trip_of_every_kind},
		{"query-time values are not encoded", test_query_time_values_are_not_encoded},
		{"decode rejects malformed bytes", test_decode_rejects_malformed_bytes},
		{"nesting is bounded", test_nesting_is_bounded},
		{"decode survives garbage", test_decode_survives_garbage},
		{"varints and zigzag", test_varints_and_zigzag},
		{"equality is ternary", test_equality_is_ternary},
		{"comparison of comparable and incomparable", test_comparison_of_comparable_and_incomparable},
		{"order across kinds", test_order_across_kinds},
		{"order within kinds", test_order_within_kinds},
		{"hash agrees with equality", test_hash_agrees_with_equality},
		{"json numbers", test_json_numbers},
		{"json floats round trip", test_json_floats_round_trip},
		{"json strings and containers", test_json_strings_and_containers},
		{"display text", test_display_text},
		{"cypher literals", test_cypher_literals},
		{"value from text", test_value_from_text},
	};
	return unit_suite("value", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
