/*
 * test_claim.c: claim identity (spans as UTC days, overlap, the `claim`
 * property), saying a claim again (merge, ambiguity, occurrence, kept
 * values), and the checks at the door (partial dates, near-miss names, IMO
 * forms, endpoint labels, start after end); a claim said again writes no
 * change-log record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"
#include "graph/graph_int.h"   /* white-box: the store under the graph */

#include "graph/graph.h"
#include "graph/claim.h"
#include "graph/validate.h"

static char dir[64];
static gr_db *db;
static uint32_t vessel, port, src1, src2;

static uint16_t sym(gr_txn *t, const char *s)
{
	uint16_t id = 0;
	gr_sym(t, s, strlen(s), 1, &id);
	return id;
}

static uint32_t node(gr_txn *t, const char *label, const char *key)
{
	gr_node n;
	gr_error err;
	gr_node_init(&n);
	n.n_labels = malloc(sizeof *n.n_labels);
	n.n_labels[0] = sym(t, label);
	n.n_nlabels = 1;
	n.n_key = strdup(key);
	n.n_keylen = strlen(key);
	uint32_t id = gr_node_save(t, &n, &err) == GR_OK ? n.n_id : 0;   /* called from setup: no asserts */
	gr_node_clear(&n);
	return id;
}

static int setup(void)
{
	gr_error err;
	gr_txn *t;
	if (unit_db_open("claim", dir, sizeof dir, &db) != 0)
		return -1;
	if (gr_begin(db, 1, &t, &err) != GR_OK)
		return -1;
	vessel = node(t, "Vessel", "IMO9161003");
	port = node(t, "Port", "RUVYP");
	src1 = node(t, "Source", "s1");
	src2 = node(t, "Source", "s2");
	if (!vessel || !port || !src1 || !src2) {
		gr_abort(t);
		return -1;
	}
	return gr_commit(t, &err) == GR_OK ? 0 : -1;
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

/* An edge Vessel -[type]-> Port with "k=v" properties (values typed as on
 * the command line) and a citation of src. */
static void edge(gr_txn *t, gr_edge *e, const char *type, uint32_t from, uint32_t to, const char *const *props, uint32_t src)
{
	gr_edge_init(e);
	e->e_src = from;
	e->e_dst = to;
	e->e_type = sym(t, type);
	for (; props && *props; props++) {
		const char *eq = strchr(*props, '=');
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - *props), *props);
		gr_props_set(&e->e_props, &e->e_nprops, sym(t, name), gr_value_from_text(eq + 1, strlen(eq + 1)));
	}
	if (src)
		gr_cites_add(&e->e_cites, &e->e_ncites, src, GR_PROBABLE);
}

/* Says a claim in its own transaction; returns the outcome (or -rc). */
static int say(const char *type, const char *const *props, uint32_t src, int flags, unsigned occ, uint32_t *id)
{
	gr_txn *t;
	gr_error err;
	gr_edge e;
	gr_claim_result res;
	int rc;
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 1, &t, &err), GR_OK);
	edge(t, &e, type, vessel, port, props, src);
	rc = gr_claim_say(t, &e, flags, occ, &res, &err);
	gr_edge_clear(&e);
	if (rc != GR_OK) {
		gr_abort(t);
		return rc < 0 ? rc : -rc;
	}
	CU_ASSERT_EQUAL(gr_commit(t, &err), GR_OK);
	if (id)
		*id = res.cr_edge;
	return res.cr_outcome;
}

static uint64_t log_head(void)
{
	gr_txn *t;
	gr_error err;
	uint64_t h;
	gr_begin(db, 0, &t, &err);
	h = st_log_head(gr_store_txn(t));
	gr_abort(t);
	return h;
}

static void test_spans(void)
{
	gr_span a = { 1, 10, 12 }, b = { 1, 12, 14 }, c = { 1, 13, 20 }, none = { 0, 0, 0 };
	CU_ASSERT_TRUE(gr_spans_match(&a, &b));     /* a shared day */
	CU_ASSERT_FALSE(gr_spans_match(&a, &c));
	CU_ASSERT_TRUE(gr_spans_match(&none, &none));
	CU_ASSERT_FALSE(gr_spans_match(&a, &none));
	CU_ASSERT_FALSE(gr_spans_match(&none, &a));
}

static void test_utc_day(void)
{
	gr_value v = gr_value_from_text("2024-04-02T23:30:00-02:00", 25), d = gr_value_from_text("2024-04-03", 10);
	int32_t x, y;
	CU_ASSERT_EQUAL(gr_value_utc_day(&v, &x), 0);
	CU_ASSERT_EQUAL(gr_value_utc_day(&d, &y), 0);
	CU_ASSERT_EQUAL(x, y);      /* 01:30 UTC on the 3rd */
	v = gr_value_from_text("1969-12-31T23:00:00Z", 20);
	CU_ASSERT_EQUAL(gr_value_utc_day(&v, &x), 0);
	CU_ASSERT_EQUAL(x, -1);
	v = gr_cstring("2024-04-02");
	CU_ASSERT_EQUAL(gr_value_utc_day(&v, &x), -1);
	gr_value_free(&v);
}

static void test_span_of_props(void)
{
	gr_txn *t;
	gr_error err;
	gr_edge e;
	gr_span s;
	static const char *const open_end[] = { "start=2024-04-10T06:00:00Z", NULL };
	static const char *const both[] = { "start=2024-04-10", "end=2024-04-12", "date=2024-05-01", NULL };
	gr_begin(db, 1, &t, &err);
	edge(t, &e, "CALLED_AT", vessel, port, open_end, 0);
	gr_claim_span(t, e.e_props, e.e_nprops, &s);
	CU_ASSERT_TRUE(s.sp_has);
	CU_ASSERT_EQUAL(s.sp_lo, s.sp_hi);   /* one open end runs to the other's day */
	gr_edge_clear(&e);
	edge(t, &e, "CALLED_AT", vessel, port, both, 0);
	gr_claim_span(t, e.e_props, e.e_nprops, &s);
	CU_ASSERT_EQUAL(s.sp_hi - s.sp_lo, 2);   /* start/end win over date */
	gr_edge_clear(&e);
	edge(t, &e, "CALLED_AT", vessel, port, NULL, 0);
	gr_claim_span(t, e.e_props, e.e_nprops, &s);
	CU_ASSERT_FALSE(s.sp_has);
	gr_edge_clear(&e);
	gr_abort(t);
}

static void test_say_again(void)
{
	static const char *const detected[] = { "start=2024-04-01T22:00:00Z", "end=2024-04-03T05:00:00Z", NULL };
	static const char *const report[] = { "date=2024-04-02", NULL };
	static const char *const later[] = { "date=2024-05-01", NULL };
	static const char *const both[] = { "start=2024-04-02", "end=2024-05-01", NULL };
	static const char *const other_claim[] = { "date=2024-04-02", "claim=second-call", NULL };
	uint32_t a, b, c, d;
	uint64_t h;

	CU_ASSERT_EQUAL(say("CALLED_AT", detected, src1, 0, 0, &a), GR_CLAIM_CREATED);
	/* a dated report corroborates the datetime span */
	CU_ASSERT_EQUAL(say("CALLED_AT", report, src2, 0, 0, &b), GR_CLAIM_UPDATED);
	CU_ASSERT_EQUAL(a, b);
	h = log_head();
	CU_ASSERT_EQUAL(say("CALLED_AT", report, src2, 0, 0, &b), GR_CLAIM_UNCHANGED);
	CU_ASSERT_EQUAL(log_head(), h);    /* said again: no record */
	CU_ASSERT_EQUAL(say("CALLED_AT", later, src1, 0, 0, &c), GR_CLAIM_CREATED);
	CU_ASSERT_NOT_EQUAL(c, a);
	/* overlapping two claims: its own edge, ambiguous */
	CU_ASSERT_EQUAL(say("CALLED_AT", both, src1, 0, 0, &d), GR_CLAIM_AMBIGUOUS);
	/* said again, the claim with exactly its span is picked */
	CU_ASSERT_EQUAL(say("CALLED_AT", both, src1, 0, 0, &b), GR_CLAIM_UNCHANGED);
	CU_ASSERT_EQUAL(b, d);
	/* a different `claim` is a different claim */
	CU_ASSERT_EQUAL(say("CALLED_AT", other_claim, src1, 0, 0, &b), GR_CLAIM_CREATED);
	/* --new, and occurrence naming the look-alike */
	CU_ASSERT_EQUAL(say("CALLED_AT", later, 0, GR_CLAIM_NEW, 0, &b), GR_CLAIM_CREATED);
	/* the claims that match `later` in id order: c, the ambiguous one, b */
	CU_ASSERT_EQUAL(say("CALLED_AT", later, src2, 0, 3, &d), GR_CLAIM_UPDATED);
	CU_ASSERT_EQUAL(d, b);
	CU_ASSERT_EQUAL(say("CALLED_AT", later, 0, 0, 5, &d), GR_CLAIM_CREATED);   /* no 5th: a new edge */
}

static void test_no_dates_and_conflicts(void)
{
	static const char *const n1[] = { "note=first", NULL };
	static const char *const n2[] = { "note=second", NULL };
	gr_txn *t;
	gr_error err;
	gr_edge e;
	uint32_t a, b;
	const gr_value *v;
	uint16_t alt;
	CU_ASSERT_EQUAL(say("LINKED_TO", n1, src1, 0, 0, &a), GR_CLAIM_CREATED);
	CU_ASSERT_EQUAL(say("LINKED_TO", n2, src2, 0, 0, &b), GR_CLAIM_UPDATED);   /* neither dated: same */
	CU_ASSERT_EQUAL(a, b);
	CU_ASSERT_EQUAL(say("LINKED_TO", n2, 0, 0, 0, &b), GR_CLAIM_UNCHANGED);
	gr_begin(db, 0, &t, &err);
	CU_ASSERT_EQUAL_FATAL(gr_edge_load(t, vessel, a, &e, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_sym(t, "note_alt", 8, 0, &alt), GR_OK);
	v = gr_props_get(e.e_props, e.e_nprops, alt);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v->type, GR_LIST);
	CU_ASSERT_EQUAL(v->u.list.n, 1);
	CU_ASSERT_EQUAL(e.e_ncites, 2);
	gr_edge_clear(&e);
	gr_abort(t);
}

static void test_refresh(void)
{
	static const char *const first[] = { "start=2024-07-10T00:00:00Z", "end=2024-07-11T00:00:00Z", NULL };
	static const char *const grown[] = { "start=2024-07-10T00:00:00Z", "end=2024-07-12T06:00:00Z", NULL };
	gr_txn *t;
	gr_error err;
	gr_edge e;
	uint32_t a, b;
	uint16_t k;
	char buf[64];
	CU_ASSERT_EQUAL(say("AIS_GAP", first, src1, 0, 0, &a), GR_CLAIM_CREATED);
	CU_ASSERT_EQUAL(say("AIS_GAP", grown, src1, GR_CLAIM_REFRESH, 0, &b), GR_CLAIM_UPDATED);
	CU_ASSERT_EQUAL(a, b);
	CU_ASSERT_EQUAL(say("AIS_GAP", grown, src1, GR_CLAIM_REFRESH, 0, &b), GR_CLAIM_UNCHANGED);
	gr_begin(db, 0, &t, &err);
	CU_ASSERT_EQUAL_FATAL(gr_edge_load(t, vessel, a, &e, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_sym(t, "end", 3, 0, &k), GR_OK);
	gr_format_datetime(&gr_props_get(e.e_props, e.e_nprops, k)->u.dt, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-07-12T06:00:00Z");   /* the grown span wins */
	CU_ASSERT_NOT_EQUAL(gr_sym(t, "end_alt", 7, 0, &k), GR_OK);
	gr_edge_clear(&e);
	gr_abort(t);
}

static void test_checks(void)
{
	static const char *const bad[] = { "date=2024/04/02", NULL };
	static const char *const feb[] = { "date=2024-02-30", NULL };
	static const char *const order[] = { "start=2024-04-05", "end=2024-04-02", NULL };
	static const char *const partial[] = { "start=2024-02", "end=2024", NULL };
	gr_txn *t;
	gr_error err;
	gr_edge e;
	uint16_t prec;
	CU_ASSERT_EQUAL(say("CALLED_AT", bad, 0, 0, 0, NULL), GR_EINVALID);
	CU_ASSERT_EQUAL(say("CALLED_AT", feb, 0, 0, 0, NULL), GR_EINVALID);
	CU_ASSERT_EQUAL(say("CALLED_AT", order, 0, 0, 0, NULL), GR_EINVALID);
	CU_ASSERT_EQUAL(say("AIS_GAP", NULL, 0, 0, 0, NULL), GR_CLAIM_CREATED);   /* vessel to a port */
	gr_begin(db, 1, &t, &err);
	edge(t, &e, "CALLED_AT", port, vessel, NULL, 0);    /* reversed */
	CU_ASSERT_EQUAL(gr_edge_check(t, &e, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "from:"));
	gr_edge_clear(&e);
	edge(t, &e, "CALLED_AT", vessel, port, partial, 0);
	CU_ASSERT_EQUAL_FATAL(gr_edge_check(t, &e, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_sym(t, "precision", 9, 0, &prec), GR_OK);
	CU_ASSERT_STRING_EQUAL(gr_props_get(e.e_props, e.e_nprops, prec)->u.s.ptr, "year");
	gr_edge_clear(&e);
	edge(t, &e, "MY_OWN_TYPE", port, vessel, bad, 0);   /* not built in: stored as given */
	CU_ASSERT_EQUAL(gr_edge_check(t, &e, &err), GR_OK);
	gr_edge_clear(&e);
	gr_abort(t);
}

static void test_partial_dates(void)
{
	gr_value v;
	const char *p;
	char buf[64];
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024-02", 7, 1, &v, &p), 0);
	gr_format_date(v.u.date, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-02-29");
	CU_ASSERT_STRING_EQUAL(p, "month");
	CU_ASSERT_EQUAL(gr_parse_partial_date("2023-02", 7, 1, &v, &p), 0);
	gr_format_date(v.u.date, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2023-02-28");
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024", 4, 0, &v, &p), 0);
	gr_format_date(v.u.date, buf);
	CU_ASSERT_STRING_EQUAL(buf, "2024-01-01");
	CU_ASSERT_STRING_EQUAL(p, "year");
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024-04-02", 10, 1, &v, &p), 0);
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024-13", 7, 0, &v, &p), -1);
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024/04/02", 10, 0, &v, &p), -1);
	CU_ASSERT_EQUAL(gr_parse_partial_date("02-04-2024", 10, 0, &v, &p), -1);
	CU_ASSERT_EQUAL(gr_parse_partial_date("2024-4-2", 8, 0, &v, &p), -1);
}

static void test_near_misses(void)
{
	const char *b = NULL;
	CU_ASSERT_TRUE(gr_builtin_near_miss("vessel", 6, 0, &b));
	CU_ASSERT_STRING_EQUAL(b, "Vessel");
	CU_ASSERT_TRUE(gr_builtin_near_miss("Vesel", 5, 0, &b));
	CU_ASSERT_TRUE(gr_builtin_near_miss("Vessle", 6, 0, &b));   /* two letters swapped */
	CU_ASSERT_TRUE(gr_builtin_near_miss("port", 4, 0, &b));     /* case, any length */
	CU_ASSERT_FALSE(gr_builtin_near_miss("Pert", 4, 0, &b));    /* a typo in a short name is a name */
	CU_ASSERT_FALSE(gr_builtin_near_miss("Vessel", 6, 0, &b));
	CU_ASSERT_FALSE(gr_builtin_near_miss("Aircraft", 8, 0, &b));
	CU_ASSERT_TRUE(gr_builtin_near_miss("called_at", 9, 1, &b));
	CU_ASSERT_STRING_EQUAL(b, "CALLED_AT");
	CU_ASSERT_TRUE(gr_builtin_near_miss("CALED_AT", 8, 1, &b));
	CU_ASSERT_FALSE(gr_builtin_near_miss("CALLED_AT", 9, 1, &b));
	CU_ASSERT_FALSE(gr_builtin_near_miss("VISITED", 7, 1, &b));
}

static void test_imo_forms(void)
{
	char out[11];
	CU_ASSERT_EQUAL(gr_imo_key_normalise("IMO 9161003", 11, out), 1);
	CU_ASSERT_STRING_EQUAL(out, "IMO9161003");
	CU_ASSERT_EQUAL(gr_imo_key_normalise("imo9161003", 10, out), 1);
	CU_ASSERT_EQUAL(gr_imo_key_normalise("9161003", 7, out), 1);
	CU_ASSERT_STRING_EQUAL(out, "IMO9161003");
	CU_ASSERT_EQUAL(gr_imo_key_normalise("IMO9161003", 10, out), 0);
	CU_ASSERT_EQUAL(gr_imo_key_normalise("KP-TANKERS", 10, out), -1);
	CU_ASSERT_EQUAL(gr_imo_key_normalise("91610031", 8, out), -1);
}

int test_claim_register(void)
{
	static const unit_test tests[] = {
		{ "spans overlap by UTC day", test_spans },
		{ "UTC day of dates and datetimes", test_utc_day },
		{ "span of start, end and date", test_span_of_props },
		{ "saying a claim again", test_say_again },
		{ "undated claims and kept values", test_no_dates_and_conflicts },
		{ "a re-derived claim refreshes its values", test_refresh },
		{ "checks at the door", test_checks },
		{ "partial dates", test_partial_dates },
		{ "near misses of built-in names", test_near_misses },
		{ "IMO forms", test_imo_forms },
	};
	return unit_suite("claims", setup, teardown, tests, sizeof tests / sizeof *tests);
}
