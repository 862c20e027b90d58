/*
 * test_import.c: unit tests of ingest/ and export/: the JSONL typed-value
 * convention in both directions, shortest float text, node reference
 * splitting, format detection, the ID map, and ig_import itself on small
 * files (atomicity, skip-bad reporting, the export round trip).
 */
#include <CUnit/Basic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "../../ingest/ingest.h"
#include "../../ingest/reader.h"
#include "../../export/export.h"

/* ---------------------------------------------------------------- helpers */

/* Converts JSON text to a property value; returns 0 or -1 (why filled). */
static int from_json(const char *text, gr_value *out, char *why, size_t n)
{
	gr_value j;
	int rc;
	if (sg_json_parse(text, strlen(text), &j, NULL) != 0) {
		snprintf(why, n, "json parse failed");
		return -1;
	}
	rc = ig_value_from_json(&j, out, why, n);
	gr_value_free(&j);
	return rc;
}

/* Whether a and b have the same binary encoding (exact equality, -0.0 and
 * 0.0 apart). */
static int same_encoding(const gr_value *a, const gr_value *b)
{
	gr_buf x = { 0 }, y = { 0 };
	int same = gr_value_encode(&x, a) == 0 && gr_value_encode(&y, b) == 0 && x.b_len == y.b_len &&
	    memcmp(x.b_data, y.b_data, x.b_len) == 0;
	gr_buf_free(&x);
	gr_buf_free(&y);
	return same;
}

/* The JSONL text of v, NUL-terminated in a static buffer. */
static const char *to_json(const gr_value *v)
{
	static char text[1024];
	gr_buf b = { 0 };
	CU_ASSERT_EQUAL_FATAL(ex_jsonl_value(&b, v), 0);
	snprintf(text, sizeof text, "%.*s", (int)b.b_len, (const char *)b.b_data);
	gr_buf_free(&b);
	return text;
}

/* export then import: v must come back exactly; expect is the text (NULL:
 * not checked). */
static void round_trip(gr_value v, const char *expect)
{
	char why[256];
	gr_value back;
	const char *text = to_json(&v);
	if (expect && strcmp(text, expect) != 0)
		fprintf(stderr, "\n  exported %s, expected %s\n", text, expect);
	if (expect)
		CU_ASSERT_STRING_EQUAL(text, expect);
	CU_ASSERT_EQUAL_FATAL(from_json(text, &back, why, sizeof why), 0);
	if (!same_encoding(&v, &back))
		fprintf(stderr, "\n  %s did not read back the same\n", text);
	CU_ASSERT(same_encoding(&v, &back));
	gr_value_free(&back);
	gr_value_free(&v);
}

/* ---------------------------------------------------------------- values */

static void test_strings_that_are_dates_become_temporals(void)
{
	char why[256];
	gr_value v;
	CU_ASSERT_EQUAL(from_json("\"2024-04-14\"", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_DATE);
	CU_ASSERT_EQUAL(from_json("\"2024-04-14T10:00:00+03:00\"", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_DATETIME);
	CU_ASSERT_EQUAL(v.u.dt.dt_offset, 180);
	CU_ASSERT_EQUAL(from_json("\"2024-04-14 approx\"", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	gr_value_free(&v);
	CU_ASSERT_EQUAL(from_json("{\"$string\":\"2024-04-14\"}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_STRING && strcmp(v.u.s.ptr, "2024-04-14") == 0);
	gr_value_free(&v);
}

static void test_typed_wrappers(void)
{
	char why[256];
	gr_value v;
	CU_ASSERT_EQUAL(from_json("{\"$date\":\"2024-02-29\"}", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_DATE);
	CU_ASSERT_EQUAL(from_json("{\"$datetime\":\"2024-02-29T01:02:03\"}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DATETIME && v.u.dt.dt_offset == GR_TZ_NONE);
	CU_ASSERT_EQUAL(from_json("{\"$duration\":\"P30D\"}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DURATION && v.u.du.du_days == 30 && v.u.du.du_months == 0);
	CU_ASSERT_EQUAL(from_json("{\"$duration\":{\"months\":-1,\"days\":2,\"seconds\":-3,\"nanos\":4}}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DURATION && v.u.du.du_months == -1 && v.u.du.du_days == 2 &&
	    v.u.du.du_secs == -3 && v.u.du.du_nanos == 4);
	CU_ASSERT_EQUAL(from_json("{\"$float\":\"NaN\"}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && isnan(v.u.f));
	CU_ASSERT_EQUAL(from_json("{\"$float\":\"-Infinity\"}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && isinf(v.u.f) && v.u.f < 0);
	CU_ASSERT_EQUAL(from_json("{\"$float\":7}", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 7.0);
	CU_ASSERT_EQUAL(from_json("null", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_NULL);
}

static void test_bad_wrappers_and_maps_rejected(void)
{
	static const char *const bad[] = {
		"{\"a\":1}", "{\"$date\":\"2024-02-30\"}", "{\"$date\":20240101}", "{\"$datetime\":\"x\"}",
		"{\"$duration\":\"30 days\"}", "{\"$duration\":{\"weeks\":1}}", "{\"$duration\":{\"nanos\":-1}}",
		"{\"$float\":\"nan\"}", "{\"$string\":1}", "{\"$int\":\"1\"}", "{\"$date\":\"2024-01-01\",\"x\":1}",
		"[1,{\"b\":2}]",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[256] = "";
		gr_value v = gr_int(99);
		int rc = from_json(bad[i], &v, why, sizeof why);
		if (rc == 0)
			fprintf(stderr, "\n  accepted %s\n", bad[i]);
		CU_ASSERT_EQUAL(rc, -1);
		CU_ASSERT(why[0] != 0);
		if (rc == 0)
			gr_value_free(&v);
	}
}

static void test_lists_convert_their_items(void)
{
	char why[256];
	gr_value v;
	CU_ASSERT_EQUAL_FATAL(from_json("[\"2024-01-01\",{\"$string\":\"2024-01-01\"},1,[true,null]]", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL_FATAL(v.type, GR_LIST);
	CU_ASSERT_EQUAL_FATAL(v.u.list.n, 4);
	CU_ASSERT_EQUAL(v.u.list.items[0].type, GR_DATE);
	CU_ASSERT_EQUAL(v.u.list.items[1].type, GR_STRING);
	CU_ASSERT_EQUAL(v.u.list.items[2].type, GR_INT);
	CU_ASSERT(v.u.list.items[3].type == GR_LIST && v.u.list.items[3].u.list.items[1].type == GR_NULL);
	gr_value_free(&v);
}

static void test_shortest_float_text(void)
{
	static const struct { double d; const char *text; } cases[] = {
		{ 0.1, "0.1" }, { 1e300, "1e+300" }, { 5.0, "5.0" }, { -0.0, "-0.0" }, { 0.0, "0.0" },
		{ 5e-324, "5e-324" }, { 1.0 / 3, "0.3333333333333333" }, { 123456789012.5, "123456789012.5" },
		{ 1e21, "1e+21" }, { -2.5, "-2.5" }, { 9007199254740993.0, "9007199254740992.0" },
		{ 1000.0, "1000.0" }, { 1e20, "100000000000000000000.0" }, { 0.000001, "0.000001" },
		{ 1e-7, "1e-7" }, { 1.7976931348623157e308, "1.7976931348623157e+308" }, { 123.456, "123.456" },
		{ 9.999999999999999e20, "999999999999999900000.0" }, { 1.5e-7, "1.5e-7" },
		{ 0.00012, "0.00012" }, { -1e-300, "-1e-300" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		size_t n = ex_format_float(cases[i].d, buf);
		if (strcmp(buf, cases[i].text) != 0)
			fprintf(stderr, "\n  %.17g: %s, expected %s\n", cases[i].d, buf, cases[i].text);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].text);
		CU_ASSERT_EQUAL(n, strlen(cases[i].text));
	}
}

static void test_values_round_trip_exactly(void)
{
	gr_value l, dt = { .type = GR_DATETIME }, du = { .type = GR_DURATION }, m;
	round_trip(gr_int(INT64_C(9007199254740993)), "9007199254740993");
	round_trip(gr_int(INT64_MIN), "-9223372036854775808");
	round_trip(gr_int(INT64_MAX), "9223372036854775807");
	round_trip(gr_float(0.1), "0.1");
	round_trip(gr_float(1e300), "1e+300");
	round_trip(gr_float(-0.0), "-0.0");
	round_trip(gr_float(INFINITY), "{\"$float\":\"Infinity\"}");
	round_trip(gr_bool(1), "true");
	round_trip(gr_cstring("2024-01-01"), "{\"$string\":\"2024-01-01\"}");
	round_trip(gr_cstring("2024-01-01T10:00:00Z"), "{\"$string\":\"2024-01-01T10:00:00Z\"}");
	round_trip(gr_cstring("조선 Société Леди"), "\"조선 Société Леди\"");
	round_trip(gr_cstring("line\nbreak \"quoted\""), "\"line\\nbreak \\\"quoted\\\"\"");
	round_trip(gr_cstring(""), "\"\"");
	round_trip(gr_date(19827), "\"2024-04-14\"");
	round_trip(gr_date(-800000), NULL);
	dt.u.dt.dt_secs = 1713083415;
	dt.u.dt.dt_nanos = 123456789;
	dt.u.dt.dt_offset = -330;
	round_trip(dt, "\"2024-04-14T03:00:15.123456789-05:30\"");
	dt.u.dt.dt_nanos = 0;
	dt.u.dt.dt_offset = GR_TZ_NONE;
	round_trip(dt, "\"2024-04-14T08:30:15\"");
	du.u.du.du_days = 30;
	round_trip(du, "{\"$duration\":\"P30D\"}");
	du.u.du.du_months = 14;
	du.u.du.du_days = -3;
	du.u.du.du_secs = -7;
	du.u.du.du_nanos = 5;
	round_trip(du, NULL);
	l = gr_list(0);
	gr_list_push(&l, gr_cstring("2024-01-01"));
	gr_list_push(&l, gr_date(0));
	gr_list_push(&l, gr_null());
	round_trip(l, "[{\"$string\":\"2024-01-01\"},\"1970-01-01\",null]");
	m = gr_map();
	gr_map_set(&m, "a", gr_int(1));
	round_trip(m, "{\"$map\":{\"a\":1}}");
}

static void test_nan_round_trips(void)
{
	char why[64];
	gr_value v = gr_float(NAN), back;
	CU_ASSERT_STRING_EQUAL(to_json(&v), "{\"$float\":\"NaN\"}");
	CU_ASSERT_EQUAL(from_json(to_json(&v), &back, why, sizeof why), 0);
	CU_ASSERT(back.type == GR_FLOAT && isnan(back.u.f));
}

/* ---------------------------------------------------------------- refs, formats, maps */

static void test_ref_split(void)
{
	ig_ref r;
	ig_ref_split("Vessel:IMO9161003", 17, &r);
	CU_ASSERT(r.rf_label && r.rf_llen == 6 && strncmp(r.rf_label, "Vessel", 6) == 0);
	CU_ASSERT(r.rf_klen == 10 && strncmp(r.rf_key, "IMO9161003", 10) == 0);
	ig_ref_split("IMO9161003", 10, &r);
	CU_ASSERT(r.rf_label == NULL && r.rf_klen == 10);
	ig_ref_split(":nolabel", 8, &r);
	CU_ASSERT(r.rf_label != NULL && r.rf_llen == 0 && r.rf_klen == 7 && strncmp(r.rf_key, "nolabel", 7) == 0);
	ig_ref_split("Company:C:ACME:1", 16, &r);
	CU_ASSERT(r.rf_llen == 7 && r.rf_klen == 8 && strncmp(r.rf_key, "C:ACME:1", 8) == 0);
	ig_ref_split("Port:", 5, &r);
	CU_ASSERT(r.rf_llen == 4 && r.rf_klen == 0);
}

static void test_format_detection(void)
{
#define DETECT(s) ig_format_detect(s, sizeof(s) - 1)
	CU_ASSERT_EQUAL(DETECT("{\"node\":\"Vessel\",\"key\":\"x\"}\n"), IG_JSONL);
	CU_ASSERT_EQUAL(DETECT("\xef\xbb\xbf\n\n   {\"edge\":\"X\"}"), IG_JSONL);
	CU_ASSERT_EQUAL(DETECT("{\"id\":\"x\",\"schema\":\"Vessel\",\"properties\":{}}\n"), IG_FTM);
	CU_ASSERT_EQUAL(DETECT("key:ID(Vessel),name,:LABEL\nIMO1,A,Vessel\n"), IG_CSV);
	CU_ASSERT_EQUAL(DETECT(":START_ID(Vessel),:END_ID(Port),:TYPE\n"), IG_CSV);
	CU_ASSERT_EQUAL(DETECT("MMSI,BaseDateTime,LAT,LON,SOG,COG\n"), IG_AIS);
	CU_ASSERT_EQUAL(DETECT("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), IG_OFAC_SDN);
	CU_ASSERT_EQUAL(DETECT("index_number,region_number,port_name,country,port_latitude\n"), IG_WPI);
	CU_ASSERT_EQUAL(DETECT("name,country\nA,B\n"), IG_AUTO);
	CU_ASSERT_EQUAL(DETECT("   \n"), IG_AUTO);
	CU_ASSERT_EQUAL(ig_format_detect(NULL, 0), IG_AUTO);
#undef DETECT
	CU_ASSERT_EQUAL(ig_format_parse("jsonl"), IG_JSONL);
	CU_ASSERT_EQUAL(ig_format_parse("CSV"), IG_CSV);
	CU_ASSERT_EQUAL(ig_format_parse("ofac-sdn"), IG_OFAC_SDN);
	CU_ASSERT_EQUAL(ig_format_parse("xml"), -1);
	CU_ASSERT_STRING_EQUAL(ig_format_name(IG_AIS), "ais");
}

static void test_id_map(void)
{
	ig_map *m = ig_map_new();
	uint32_t v;
	char key[32];
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(ig_map_get(m, 0, "a", 1, &v), 0);
	for (uint32_t i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "K%u", i);
		CU_ASSERT_EQUAL(ig_map_put(m, i & 1, key, (size_t)n, i + 1), 0);
	}
	for (uint32_t i = 0; i < 100000; i += 997) {
		int n = snprintf(key, sizeof key, "K%u", i);
		CU_ASSERT(ig_map_get(m, i & 1, key, (size_t)n, &v) == 1 && v == i + 1);
		CU_ASSERT_EQUAL(ig_map_get(m, !(i & 1), key, (size_t)n, &v), 0);
	}
	CU_ASSERT_EQUAL(ig_map_put(m, 0, "K0", 2, 7), 0);
	CU_ASSERT(ig_map_get(m, 0, "K0", 2, &v) == 1 && v == 7);
	CU_ASSERT_EQUAL(ig_map_put(m, 5, "", 0, 3), 0);
	CU_ASSERT(ig_map_get(m, 5, "", 0, &v) == 1 && v == 3);
	ig_map_free(m);
}

/* ---------------------------------------------------------------- ig_import */

typedef struct reports { int n; char last[512]; } reports;

static void count_report(void *arg, const char *msg)
{
	reports *r = arg;
	r->n++;
	snprintf(r->last, sizeof r->last, "%s", msg);
}

static char tmpdir[64];

static void write_file(const char *name, const char *text, char *path, size_t n)
{
	FILE *f;
	snprintf(path, n, "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
}

/* The JSONL export of db into a malloc'd string. */
static char *export_text(gr_db *db)
{
	gr_txn *t;
	gr_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	CU_ASSERT_EQUAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(ex_jsonl(t, f, &err), GR_OK);
	gr_abort(t);
	fclose(f);
	return text;
}

static int import_one(gr_db *db, const char *path, ig_role role, const char *prefix, int skip, reports *rep,
    ig_stats *st, gr_error *err)
{
	ig_input in = { path, prefix, role, IG_AUTO };
	ig_options opt = { .o_inputs = &in, .o_ninputs = 1, .o_skip_bad = skip, .o_report = count_report, .o_arg = rep };
	return ig_import(db, &opt, st, err);
}

static void test_import_is_atomic_and_skips_bad_records(void)
{
	char dbdir[96], good[128], bad[128], cmd[256];
	gr_db *db;
	gr_error err;
	ig_stats st;
	reports rep = { 0, "" };
	char *before, *after;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/sg-test-import.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	snprintf(dbdir, sizeof dbdir, "%s/db", tmpdir);
	CU_ASSERT_EQUAL_FATAL(gr_open(dbdir, 1, &db, &err), GR_OK);
	write_file("good.jsonl",
	    "{\"node\":\"Source\",\"key\":\"s\",\"props\":{\"publisher\":\"P\"}}\n"
	    "{\"node\":\"Vessel\",\"key\":\"IMO9161003\",\"sources\":[{\"key\":\"s\",\"confidence\":\"confirmed\"}]}\n"
	    "{\"edge\":\"X\",\"from\":\"IMO9161003\",\"to\":\"Source:s\"}\n", good, sizeof good);
	write_file("bad.jsonl",
	    "{\"node\":\"Company\",\"key\":\"C1\"}\n"
	    "{\"node\":\"Vessel\",\"key\":\"V\",\"props\":{\"imo\":\"9161004\"}}\n"
	    "{\"edge\":\"X\",\"from\":\"Company:C1\",\"to\":\"nowhere\"}\n", bad, sizeof bad);
	CU_ASSERT_EQUAL(import_one(db, good, IG_ROLE_ANY, NULL, 0, &rep, &st, &err), GR_OK);
	CU_ASSERT(st.s_nodes == 2 && st.s_edges == 1 && st.s_skipped == 0);
	before = export_text(db);

	CU_ASSERT_EQUAL(import_one(db, bad, IG_ROLE_ANY, NULL, 0, &rep, &st, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.jsonl:2: "));
	after = export_text(db);
	CU_ASSERT_STRING_EQUAL(before, after);
	free(after);
	CU_ASSERT_EQUAL(rep.n, 0);

	CU_ASSERT_EQUAL(import_one(db, bad, IG_ROLE_ANY, NULL, 1, &rep, &st, &err), GR_OK);
	CU_ASSERT(st.s_nodes == 1 && st.s_edges == 0 && st.s_skipped == 2);
	CU_ASSERT_EQUAL(rep.n, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.last, "bad.jsonl:3: to: no node nowhere"));
	after = export_text(db);
	CU_ASSERT_PTR_NOT_NULL(strstr(after, "{\"node\":\"Company\",\"key\":\"C1\"}"));
	CU_ASSERT_PTR_NULL(strstr(after, "\"key\":\"V\""));
	free(after);
	free(before);

	/* --nodes implies CSV: a JSONL file is then a bad CSV header */
	CU_ASSERT_EQUAL(import_one(db, bad, IG_ROLE_NODES, NULL, 0, &rep, &st, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "bad.jsonl:1"));
	gr_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_export_round_trip_through_import(void)
{
	char dbdir[96], path[128], out[128], cmd[256];
	gr_db *db;
	gr_error err;
	ig_stats st;
	reports rep = { 0, "" };
	char *first, *second;
	FILE *f;

	snprintf(tmpdir, sizeof tmpdir, "/tmp/sg-test-import.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpdir));
	snprintf(dbdir, sizeof dbdir, "%s/db1", tmpdir);
	CU_ASSERT_EQUAL_FATAL(gr_open(dbdir, 1, &db, &err), GR_OK);
	write_file("n.csv", "key:ID(Vessel),name,tonnage:int,seen:datetime,:LABEL\n"
	    "IMO9161003,LADY R,9007199254740993,2024-04-14T10:00:00+03:00,Vessel;Sanctioned\n", path, sizeof path);
	CU_ASSERT_EQUAL(import_one(db, path, IG_ROLE_NODES, NULL, 0, &rep, &st, &err), GR_OK);
	write_file("r.csv", ":START_ID(Vessel),:END_ID(Vessel),note\nIMO9161003,IMO9161003,2024-01-01\n"
	    "IMO9161003,IMO9161003,\n", path, sizeof path);
	CU_ASSERT_EQUAL(import_one(db, path, IG_ROLE_ANY, "AIS_GAP", 0, &rep, &st, &err), GR_OK);
	CU_ASSERT_EQUAL(st.s_edges, 2);
	first = export_text(db);
	gr_close(db);
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "\"note\":{\"$string\":\"2024-01-01\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(first, "\"tonnage\":9007199254740993"));

	snprintf(out, sizeof out, "%s/e.jsonl", tmpdir);
	f = fopen(out, "w");
	fputs(first, f);
	fclose(f);
	snprintf(dbdir, sizeof dbdir, "%s/db2", tmpdir);
	CU_ASSERT_EQUAL_FATAL(gr_open(dbdir, 1, &db, &err), GR_OK);
	CU_ASSERT_EQUAL(import_one(db, out, IG_ROLE_ANY, NULL, 0, &rep, &st, &err), GR_OK);
	second = export_text(db);
	CU_ASSERT_STRING_EQUAL(first, second);
	gr_close(db);
	free(first);
	free(second);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* ---------------------------------------------------------------- suite */

int test_import_register(void)
{
	static const unit_test tests[] = {
		{ "strings that are dates become temporals", test_strings_that_are_dates_become_temporals },
		{ "typed wrappers", test_typed_wrappers },
		{ "bad wrappers and maps rejected", test_bad_wrappers_and_maps_rejected },
		{ "lists convert their items", test_lists_convert_their_items },
		{ "shortest float text", test_shortest_float_text },
		{ "values round trip exactly", test_values_round_trip_exactly },
		{ "nan round trips", test_nan_round_trips },
		{ "ref split", test_ref_split },
		{ "format detection", test_format_detection },
		{ "id map", test_id_map },
		{ "import is atomic and skips bad records", test_import_is_atomic_and_skips_bad_records },
		{ "export round trip through import", test_export_round_trip_through_import },
	};
	return unit_suite("import", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
