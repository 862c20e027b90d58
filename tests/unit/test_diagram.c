/*
 * test_diagram.c: the exporters' selection and drawing: date ranges as
 * diagrams print them, XML escaping, --around's breadth-first search in
 * both directions (and from a Source through its citations), the styles a
 * small case gets in DOT, deterministic SVG without Graphviz's version,
 * the errors, the large-graph mode, and the HTML report's escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/graph.h"
#include "export/subgraph.h"
#include "export/diagram.h"
#include "export/report.h"

static char dir[64];
static gr_db *db;
static uint32_t vessel, port_ru, port_kp, source, sanction, company, person, lone;

static const char nasty[] = "\"A\\B <&> \xec\xa1\xb0\xec\x84\xa0 \xd0\x9b\xd0\xb0\xd0\xb4\xd1\x8c\xd1\x8f\" \\N {|}";

static uint16_t sym(gr_txn *t, const char *s)
{
	uint16_t id = 0;
	gr_sym(t, s, strlen(s), 1, &id);
	return id;
}

static int add_node(gr_txn *t, const char *label, const char *key, const char *const *props,
    uint32_t cite, uint32_t *id, gr_error *err)
{
	gr_node n;
	int rc;
	gr_node_init(&n);
	n.n_labels = malloc(sizeof *n.n_labels);
	n.n_labels[0] = sym(t, label);
	n.n_nlabels = 1;
	n.n_key = strdup(key);
	n.n_keylen = strlen(key);
	for (; props && *props; props += 2)
		gr_props_set(&n.n_props, &n.n_nprops, sym(t, props[0]), gr_value_from_text(props[1], strlen(props[1])));
	if (cite)
		gr_cites_add(&n.n_cites, &n.n_ncites, cite, GR_CONFIRMED);
	rc = gr_node_save(t, &n, err);
	*id = n.n_id;
	gr_node_clear(&n);
	return rc;
}

static int add_edge(gr_txn *t, uint32_t from, const char *type, uint32_t to, const char *const *props,
    uint32_t cite, int conf, gr_error *err)
{
	gr_edge e;
	int rc;
	gr_edge_init(&e);
	e.e_src = from;
	e.e_dst = to;
	e.e_type = sym(t, type);
	for (; props && *props; props += 2)
		gr_props_set(&e.e_props, &e.e_nprops, sym(t, props[0]), gr_value_from_text(props[1], strlen(props[1])));
	if (cite)
		gr_cites_add(&e.e_cites, &e.e_ncites, cite, (uint8_t)conf);
	rc = gr_edge_create(t, &e, err);
	gr_edge_clear(&e);
	return rc;
}

static int build(gr_txn *t, void *arg, gr_error *err)
{
	const char *const vp[] = { "name", nasty, "flag", "RU", NULL };
	const char *const ru[] = { "name", "Vostochny", "country", "RU", NULL };
	const char *const kp[] = { "name", "Rajin", "country", "KP", NULL };
	const char *const sp[] = { "publisher", "Planet Labs PBC", "kind", "satellite-imagery", "date", "2024-04-02", NULL };
	const char *const xp[] = { "program", "RUSSIA-EO14024", NULL };
	const char *const d1[] = { "date", "2024-04-02", NULL };
	const char *const gap[] = { "start", "2024-04-03", "end", "2024-04-14", NULL };
	int rc;
	(void)arg;
	if ((rc = add_node(t, "Source", "planet", sp, 0, &source, err)) ||
	    (rc = add_node(t, "Vessel", "IMO9161003", vp, source, &vessel, err)) ||
	    (rc = add_node(t, "Port", "RUVYP", ru, 0, &port_ru, err)) ||
	    (rc = add_node(t, "Port", "KPRJN", kp, 0, &port_kp, err)) ||
	    (rc = add_node(t, "Sanction", "RUSSIA-EO14024", xp, 0, &sanction, err)) ||
	    (rc = add_node(t, "Company", "OWNER", NULL, 0, &company, err)) ||
	    (rc = add_node(t, "Person", "BOSS", NULL, 0, &person, err)) ||
	    (rc = add_node(t, "Thing", "LONE", NULL, 0, &lone, err)))
		return rc;
	if ((rc = add_edge(t, vessel, "SIGHTED_AT", port_ru, d1, source, GR_PROBABLE, err)) ||
	    (rc = add_edge(t, vessel, "AIS_GAP", port_kp, gap, 0, 0, err)) ||
	    (rc = add_edge(t, vessel, "SANCTIONED_UNDER", sanction, NULL, 0, 0, err)) ||
	    (rc = add_edge(t, company, "OWNS", vessel, NULL, 0, 0, err)) ||
	    (rc = add_edge(t, person, "CONTROLS", company, NULL, 0, 0, err)))
		return rc;
	return GR_OK;
}

static int setup(void)
{
	gr_error err;
	if (unit_db_open("diagram", dir, sizeof dir, &db) != 0)
		return -1;
	return gr_write(db, build, NULL, &err) == GR_OK ? 0 : -1;
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

/* ---- pure helpers ---- */

static const char *dates(unsigned flags, const char *a, const char *b, const char *what)
{
	static char buf[64];
	ex_dates d = { 0 };
	d.xd_flags = flags;
	if (a)
		gr_parse_date(a, strlen(a), &d.xd_start);
	if (b)
		gr_parse_date(b, strlen(b), &d.xd_end);
	if (what)
		snprintf(d.xd_what, sizeof d.xd_what, "%s", what);
	ex_dates_format(&d, buf);
	return buf;
}

static void test_dates_print_compact_ranges(void)
{
	unsigned both = EX_D_START | EX_D_END;
	CU_ASSERT_STRING_EQUAL(dates(both, "2024-04-02", "2024-04-02", NULL), "2024-04-02");
	CU_ASSERT_STRING_EQUAL(dates(both, "2024-04-02", "2024-04-03", NULL), "2024-04-02..03");
	CU_ASSERT_STRING_EQUAL(dates(both, "2024-04-03", "2024-04-14", NULL), "2024-04-03..14");
	CU_ASSERT_STRING_EQUAL(dates(both, "2024-04-28", "2024-05-03", NULL), "2024-04-28..2024-05-03");
	CU_ASSERT_STRING_EQUAL(dates(both, "2023-12-30", "2024-01-02", NULL), "2023-12-30..2024-01-02");
	CU_ASSERT_STRING_EQUAL(dates(both | EX_D_MONTH, "2024-04-01", "2024-04-30", NULL), "2024-04");
	CU_ASSERT_STRING_EQUAL(dates(EX_D_START, "2024-04-02", NULL, NULL), "from 2024-04-02");
	CU_ASSERT_STRING_EQUAL(dates(EX_D_END, NULL, "2024-04-14", NULL), "until 2024-04-14");
	CU_ASSERT_STRING_EQUAL(dates(both | EX_D_OTHER, "2024-05-03", "2024-05-03", "listed"), "listed 2024-05-03");
	CU_ASSERT_STRING_EQUAL(dates(0, NULL, NULL, NULL), "");
}

static void test_xml_escape_replaces_specials_and_bad_utf8(void)
{
	gr_buf b = { 0 };
	const char in[] = "a<b>&\"c'\x01\xff\xd0\x9b";
	CU_ASSERT_EQUAL(ex_put_xml(&b, in, sizeof in - 1), 0);
	gr_buf_byte(&b, 0);
	CU_ASSERT_STRING_EQUAL((char *)b.b_data, "a&lt;b&gt;&amp;&quot;c&#39; \xef\xbf\xbd\xd0\x9b");
	gr_buf_free(&b);
}

/* ---- selection ---- */

static void test_around_follows_both_directions_by_hops(void)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	ex_subgraph_init(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_around(t, vessel, 0, &sg, &err), GR_OK);
	CU_ASSERT_EQUAL(sg.sg_nids, 1);
	CU_ASSERT_EQUAL(sg.sg_nrefs, 0);
	ex_subgraph_free(&sg);
	ex_subgraph_init(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_around(t, vessel, 1, &sg, &err), GR_OK);
	/* vessel, two ports, sanction, and the company that owns it (an incoming edge) */
	CU_ASSERT_EQUAL(sg.sg_nids, 5);
	CU_ASSERT_TRUE(ex_subgraph_has(&sg, company));
	CU_ASSERT_FALSE(ex_subgraph_has(&sg, person));
	CU_ASSERT_FALSE(ex_subgraph_has(&sg, lone));
	CU_ASSERT_FALSE(ex_subgraph_has(&sg, source));
	CU_ASSERT_EQUAL(sg.sg_nrefs, 4);
	ex_subgraph_free(&sg);
	ex_subgraph_init(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_around(t, vessel, 2, &sg, &err), GR_OK);
	CU_ASSERT_TRUE(ex_subgraph_has(&sg, person));
	CU_ASSERT_EQUAL(sg.sg_nrefs, 5);
	ex_subgraph_free(&sg);
	ex_subgraph_init(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_around(t, 999999, 1, &sg, &err), GR_ENOTFOUND);
	ex_subgraph_free(&sg);
	gr_abort(t);
}

static void test_around_a_source_starts_from_what_it_cites(void)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	ex_subgraph_init(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_around(t, source, 1, &sg, &err), GR_OK);
	/* the source, the vessel it identifies and the port of the sighting it supports */
	CU_ASSERT_TRUE(ex_subgraph_has(&sg, vessel));
	CU_ASSERT_TRUE(ex_subgraph_has(&sg, port_ru));
	CU_ASSERT_FALSE(ex_subgraph_has(&sg, port_kp));
	ex_subgraph_free(&sg);
	gr_abort(t);
}

static void test_load_numbers_sources_and_marks_sanctions(void)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	ex_subgraph_init(&sg);
	CU_ASSERT_FATAL(ex_subgraph_around(t, vessel, 1, &sg, &err) == GR_OK);
	CU_ASSERT_FATAL(ex_subgraph_load(t, &sg, &err) == GR_OK);
	CU_ASSERT_EQUAL(sg.sg_nsources, 1);
	CU_ASSERT_EQUAL(ex_source_number(&sg, source), 1);
	CU_ASSERT_EQUAL(ex_source_number(&sg, vessel), 0);
	CU_ASSERT_TRUE(ex_subgraph_node(&sg, vessel)->xn_sanctioned);
	CU_ASSERT_STRING_EQUAL(ex_subgraph_node(&sg, vessel)->xn_programs, "RUSSIA-EO14024");
	CU_ASSERT_FALSE(ex_subgraph_node(&sg, port_ru)->xn_sanctioned);
	CU_ASSERT_STRING_EQUAL(ex_node_name(&sg, &ex_subgraph_node(&sg, vessel)->xn), nasty);
	CU_ASSERT_TRUE(sg.sg_dated);
	for (size_t i = 0; i < sg.sg_nedges; i++)
		if (sg.sg_edges[i].xe.e_dst == port_kp)
			CU_ASSERT_EQUAL(ex_gap_days(&sg, &sg.sg_edges[i]), 11);
	ex_subgraph_free(&sg);
	gr_abort(t);
}

/* ---- rendering ---- */

static char *render(const char *fmt, const ex_diagram_opts *opts, size_t *len, ex_diagram_info *info, int *rc)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	char *out = NULL;
	if (gr_begin(db, 0, &t, &err) != GR_OK)
		return NULL;
	ex_subgraph_init(&sg);
	if (ex_subgraph_all(t, &sg, &err) == GR_OK && ex_subgraph_load(t, &sg, &err) == GR_OK)
		*rc = ex_diagram_render(t, &sg, fmt, opts, &out, len, info, &err);
	ex_subgraph_free(&sg);
	gr_abort(t);
	return out;
}

static void test_dot_carries_the_visual_language(void)
{
	ex_diagram_opts opts = { .title = "T <&>" };
	size_t len = 0;
	int rc = -1;
	char *dot = render("dot", &opts, &len, NULL, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, GR_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "rankdir=LR"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "cluster_country_KP"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "North Korea"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "AIS dark 11 days"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "2024-04-03..14"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "peripheries=2"));            /* sanctioned */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "style=dashed"));             /* probable */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "&quot;A\\\\B &lt;&amp;&gt;")); /* escaped, backslash doubled */
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "\\\\N {|}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "T &lt;&amp;&gt;"));
	CU_ASSERT_PTR_NOT_NULL(strstr(dot, "Legend"));
	CU_ASSERT_PTR_NULL(strstr(dot, "planet"));   /* sources are not drawn, only listed */
	free(dot);
}

static void test_svg_is_deterministic_and_versionless(void)
{
	size_t l1 = 0, l2 = 0;
	int r1 = -1, r2 = -1;
	char *a = render("svg", NULL, &l1, NULL, &r1), *b = render("svg", NULL, &l2, NULL, &r2);
	CU_ASSERT_EQUAL_FATAL(r1, GR_OK);
	CU_ASSERT_EQUAL_FATAL(r2, GR_OK);
	CU_ASSERT_EQUAL(l1, l2);
	CU_ASSERT_TRUE(l1 == l2 && memcmp(a, b, l1) == 0);
	CU_ASSERT_PTR_NULL(strstr(a, "graphviz version"));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "Generated by sanctgraph"));
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "&lt;&amp;&gt;"));
	free(a);
	free(b);
}

static void test_bad_format_and_empty_selection_fail(void)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	char *out = (char *)1;
	size_t len;
	CU_ASSERT_FALSE(ex_diagram_format_ok("gif"));
	CU_ASSERT_TRUE(ex_diagram_format_ok("pdf"));
	CU_ASSERT_STRING_EQUAL(ex_diagram_format_of("a.b/c.svg"), "svg");
	CU_ASSERT_STRING_EQUAL(ex_diagram_format_of("a.b/c"), "");
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	ex_subgraph_init(&sg);
	ex_subgraph_finish(&sg);
	CU_ASSERT_EQUAL(ex_subgraph_load(t, &sg, &err), GR_OK);
	CU_ASSERT_EQUAL(ex_diagram_render(t, &sg, "svg", NULL, &out, &len, NULL, &err), GR_EINVALID);
	CU_ASSERT_PTR_NULL(out);
	CU_ASSERT_EQUAL(ex_diagram_render(t, &sg, "gif", NULL, &out, &len, NULL, &err), GR_EUSAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "unknown format 'gif'"));
	CU_ASSERT_EQUAL(ex_write_file("/nonexistent-dir/x.svg", "x", 1, &err), GR_EIO);
	ex_subgraph_free(&sg);
	gr_abort(t);
}

static int add_parallel(gr_txn *t, void *arg, gr_error *err)
{
	const char *const d[] = { "date", "2024-05-01", NULL };
	(void)arg;
	for (int i = 0; i < 3; i++) {
		int rc = add_edge(t, vessel, "CALLED_AT", port_kp, d, source, GR_POSSIBLE, err);
		if (rc)
			return rc;
	}
	return GR_OK;
}

static void test_large_mode_collapses_parallel_edges(void)
{
	ex_diagram_opts opts = { .large_nodes = 3 };
	ex_diagram_info info;
	gr_error err;
	size_t len = 0;
	int rc = -1;
	char *svg;
	CU_ASSERT_FATAL(gr_write(db, add_parallel, NULL, &err) == GR_OK);
	svg = render("svg", &opts, &len, &info, &rc);
	CU_ASSERT_EQUAL_FATAL(rc, GR_OK);
	CU_ASSERT_TRUE(info.di_large);
	CU_ASSERT_EQUAL(info.di_edges, 8);
	CU_ASSERT_EQUAL(info.di_collapsed, 3);
	CU_ASSERT_EQUAL(info.di_drawn_edges, 6);
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "CALLED_AT \xc3\x97" "3"));
	/* names survive sfdp's component packing (it closes subgraphs) */
	CU_ASSERT_PTR_NOT_NULL(strstr(svg, "<title>sanctgraph</title>"));
	CU_ASSERT_PTR_NULL(strstr(svg, "<title>%"));
	free(svg);
}

static void test_report_escapes_and_is_self_contained(void)
{
	gr_txn *t;
	gr_error err;
	ex_subgraph sg;
	ex_report_opts opts = { .title = "R <b>", .selection = "sel & more" };
	char *html = NULL;
	size_t len = 0;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	ex_subgraph_init(&sg);
	CU_ASSERT_FATAL(ex_subgraph_all(t, &sg, &err) == GR_OK && ex_subgraph_load(t, &sg, &err) == GR_OK);
	CU_ASSERT_EQUAL_FATAL(ex_report_render(t, &sg, &opts, &html, &len, NULL, &err), GR_OK);
	CU_ASSERT_EQUAL(strlen(html), len);
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<title>R &lt;b&gt;</title>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "sel &amp; more"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "&quot;A\\B &lt;&amp;&gt; \xec\xa1\xb0\xec\x84\xa0"));
	CU_ASSERT_PTR_NULL(strstr(html, "<&>"));
	CU_ASSERT_PTR_NULL(strstr(html, "<script"));
	CU_ASSERT_PTR_NULL(strstr(html, "<?xml"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "<svg"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "@page"));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "id=\"src-1\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(html, "Planet Labs PBC"));
	free(html);
	ex_subgraph_free(&sg);
	gr_abort(t);
}

int test_diagram_register(void)
{
	static const unit_test tests[] = {
		{ "dates print compact ranges", test_dates_print_compact_ranges },
		{ "xml escape replaces specials and bad utf-8", test_xml_escape_replaces_specials_and_bad_utf8 },
		{ "around follows both directions by hops", test_around_follows_both_directions_by_hops },
		{ "around a source starts from what it cites", test_around_a_source_starts_from_what_it_cites },
		{ "load numbers sources and marks sanctions", test_load_numbers_sources_and_marks_sanctions },
		{ "dot carries the visual language", test_dot_carries_the_visual_language },
		{ "svg is deterministic and versionless", test_svg_is_deterministic_and_versionless },
		{ "bad format and empty selection fail", test_bad_format_and_empty_selection_fail },
		{ "report escapes and is self-contained", test_report_escapes_and_is_self_contained },
		{ "large mode collapses parallel edges", test_large_mode_collapses_parallel_edges },
	};
	return unit_suite("diagram", setup, teardown, tests, sizeof tests / sizeof *tests);
}
