/*
 * test_cypher.c: the query engine through its C interface: parameters
 * read as literals, statements run in order each in its own transaction,
 * run-time errors with their line and column in the whole script, the
 * output formats, shortest and time-ordered paths.  The language itself
 * is tested by the data-driven files of tests/query and by the TCK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/cypher/cypher.h"
#include "graph/cypher/cost.h"
#include "graph/pathfind.h"

static char dir[64];
static gr_db *db;

static int setup(void)
{
	return unit_db_open("cypher", dir, sizeof dir, &db);
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

/* Runs text with a fresh session; *out (malloc'd) holds what was printed. */
static int run(const char *text, cy_format fmt, char **out, cy_error *err)
{
	cy_session *s;
	cy_writer *w;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	int rc;
	if (!f || cy_session_new(db, &s) != CY_OK)
		return CY_ENOMEM;
	w = cy_writer_new(f, fmt);
	rc = cy_run_text(s, text, strlen(text), w, NULL, 0, NULL, err);
	cy_writer_free(w);
	cy_session_free(s);
	fclose(f);
	return rc;
}

/* Runs text and compares what it prints with want. */
static void check_output(const char *text, cy_format fmt, const char *want)
{
	char *out = NULL;
	cy_error err;
	int rc = run(text, fmt, &out, &err);
	CU_ASSERT_EQUAL(rc, CY_OK);
	if (rc != CY_OK)
		fprintf(stderr, "\n%s: %s\n", text, err.message);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want))
		fprintf(stderr, "\n%s\n got: %s\nwant: %s\n", text, out, want);
	free(out);
}

static void test_params_are_literals_or_strings(void)
{
	gr_value v;
	CU_ASSERT_EQUAL(cy_param_value("42", &v), CY_OK);
	CU_ASSERT(v.type == GR_INT && v.u.i == 42);
	CU_ASSERT_EQUAL(cy_param_value("-1.5", &v), CY_OK);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == -1.5);
	CU_ASSERT_EQUAL(cy_param_value("'it''s'", &v), CY_OK);
	CU_ASSERT(v.type == GR_STRING);
	gr_value_free(&v);
	CU_ASSERT_EQUAL(cy_param_value("[1, 'a']", &v), CY_OK);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 2);
	gr_value_free(&v);
	CU_ASSERT_EQUAL(cy_param_value("{a: {b: true}}", &v), CY_OK);
	CU_ASSERT(v.type == GR_MAP && gr_map_get(&v, "a") && gr_map_get(&v, "a")->type == GR_MAP);
	gr_value_free(&v);
	CU_ASSERT_EQUAL(cy_param_value("null", &v), CY_OK);
	CU_ASSERT_EQUAL(v.type, GR_NULL);
	CU_ASSERT_EQUAL(cy_param_value("IMO9161003", &v), CY_OK);
	CU_ASSERT(v.type == GR_STRING && strcmp(v.u.s.ptr, "IMO9161003") == 0);
	gr_value_free(&v);
	CU_ASSERT_EQUAL(cy_param_value("2024-04-02", &v), CY_OK);
	CU_ASSERT_EQUAL(v.type, GR_DATE);
	CU_ASSERT_EQUAL(cy_param_value("a b c", &v), CY_OK);
	CU_ASSERT(v.type == GR_STRING && strcmp(v.u.s.ptr, "a b c") == 0);
	gr_value_free(&v);
}

static void test_integer_semantics(void)
{
	check_output("RETURN -7 / 2 AS q, -7 % 2 AS r, 7 % -2 AS s, 2 ^ 3 AS p", CY_FMT_CSV,
	    "q,r,s,p\r\n-3,-1,1,8.0\r\n");
	check_output("RETURN 9007199254740993 + 0 AS exact", CY_FMT_JSON,
	    "{\"columns\":[\"exact\"],\"rows\":[[9007199254740993]]}\n");
}

static void test_error_positions_in_the_whole_script(void)
{
	char *out = NULL;
	cy_error err;
	const char *text = "RETURN 1 AS a;\nRETURN 2 AS b;\n\nUNWIND [1, 0] AS x\nRETURN 10 / x AS y";
	CU_ASSERT_EQUAL(run(text, CY_FMT_CSV, &out, &err), CY_ERUNTIME);
	CU_ASSERT_EQUAL(err.line, 5);
	CU_ASSERT_EQUAL(err.column, 11);
	CU_ASSERT(strstr(err.message, "division by zero") != NULL);
	CU_ASSERT_EQUAL(text[err.offset], '/');
	/* the blocks of the statements before it were printed */
	CU_ASSERT_STRING_EQUAL(out, "a\r\n1\r\n\nb\r\n2\r\n");
	free(out);
	CU_ASSERT_EQUAL(run("RETURN 1;\nRETURN $p AS x", CY_FMT_CSV, &out, &err), CY_ERUNTIME);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_EQUAL(err.column, 8);
	CU_ASSERT(strstr(err.message, "$p") != NULL);
	free(out);
	CU_ASSERT_EQUAL(run("RETURN 1;\nMATCH (n RETURN n", CY_FMT_CSV, &out, &err), CY_ESYNTAX);
	CU_ASSERT_EQUAL(err.line, 2);
	free(out);
	CU_ASSERT_EQUAL(run(" ; // nothing\n;", CY_FMT_CSV, &out, &err), CY_EEMPTY);
	free(out);
}

static void test_each_statement_is_a_transaction(void)
{
	char *out = NULL;
	cy_error err;
	CU_ASSERT_EQUAL(run("CREATE (:Kept {n: 1}); CREATE (:Lost) WITH 1 AS one RETURN one / 0", CY_FMT_CSV,
	    &out, &err), CY_ERUNTIME);
	free(out);
	check_output("MATCH (k:Kept) OPTIONAL MATCH (l:Lost) RETURN count(k) AS k, count(l) AS l", CY_FMT_CSV,
	    "k,l\r\n1,0\r\n");
	check_output("MATCH (k:Kept) SET k.n = k.n + 1; MATCH (k:Kept) RETURN k.n AS n", CY_FMT_CSV, "n\r\n2\r\n");
}

static void test_generated_keys_are_not_properties(void)
{
	char *out = NULL;
	cy_error err;
	CU_ASSERT_EQUAL(run("CREATE (n:Gen {x: 1}) RETURN n", CY_FMT_JSON, &out, &err), CY_OK);
	CU_ASSERT(strstr(out, "\"properties\":{\"x\":1}") != NULL);
	CU_ASSERT(strstr(out, "\"key\":\"~") != NULL);
	free(out);
	check_output("CREATE (n:Gen {key: 'g1', y: 2}) RETURN n.key AS k, keys(n) AS ks", CY_FMT_CSV,
	    "k,ks\r\ng1,['y']\r\n");
}

static void test_table_and_csv_forms(void)
{
	check_output("RETURN 'a,\"b\"' AS s, null AS n, [1, 'x'] AS l", CY_FMT_CSV,
	    "s,n,l\r\n\"a,\"\"b\"\"\",,\"[1, 'x']\"\r\n");
	check_output("UNWIND ['é', 'abc'] AS s RETURN s", CY_FMT_TABLE, "s\n---\né\nabc\n(2 rows)\n");
	check_output("RETURN 1 AS a", CY_FMT_JSONL, "{\"a\":1}\n");
}

static void test_query_print_for_other_commands(void)
{
	char *out = NULL;
	size_t len = 0;
	cy_error err;
	FILE *f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(cy_query_print(db, "RETURN 'x' AS v", f, CY_FMT_TABLE, &err), CY_OK);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(out, "v\n-\nx\n(1 row)\n");
	free(out);
}

/* ---- paths ---- */

typedef struct found {
	int n;
	size_t len;
	uint32_t last;
} found;

static int count_path(void *arg, const uint32_t *nodes, const gr_step *steps, size_t len)
{
	found *f = arg;
	(void)steps;
	f->n++;
	f->len = len;
	f->last = nodes[len];
	return 0;
}

static uint32_t node_id(gr_txn *t, const char *ref)
{
	uint32_t id = 0;
	gr_resolve(t, ref, &id, NULL);
	return id;
}

static void test_shortest_and_time_ordered_paths(void)
{
	char *out = NULL;
	cy_error err;
	gr_error ge;
	gr_txn *t;
	gr_pathspec ps;
	found f;
	CU_ASSERT_EQUAL_FATAL(run("CREATE (a:P {key: 'pa'})-[:X {date: date('2024-05-01')}]->(b:P {key: 'pb'}),"
	    " (b)-[:Y {date: date('2024-04-01')}]->(c:P {key: 'pc'}), (a)-[:Z]->(d:P {key: 'pd'}),"
	    " (d)-[:Z]->(e:P {key: 'pe'}), (e)-[:Z]->(c)", CY_FMT_CSV, &out, &err), CY_OK);
	free(out);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &ge), GR_OK);
	memset(&ps, 0, sizeof ps);
	ps.ps_dir = GR_DIR_BOTH;
	ps.ps_max_hops = -1;
	memset(&f, 0, sizeof f);
	CU_ASSERT_EQUAL(gr_shortest_paths(t, node_id(t, "P:pa"), node_id(t, "P:pc"), &ps, count_path, &f, &ge), 1);
	CU_ASSERT_EQUAL(f.len, 2);
	/* pa -X(May)-> pb -Y(April)-> pc goes back in time: the long way round */
	ps.ps_time_ordered = 1;
	memset(&f, 0, sizeof f);
	CU_ASSERT_EQUAL(gr_shortest_paths(t, node_id(t, "P:pa"), node_id(t, "P:pc"), &ps, count_path, &f, &ge), 1);
	CU_ASSERT_EQUAL(f.len, 3);
	/* backwards the dated edges are in order */
	memset(&f, 0, sizeof f);
	CU_ASSERT_EQUAL(gr_shortest_paths(t, node_id(t, "P:pc"), node_id(t, "P:pa"), &ps, count_path, &f, &ge), 1);
	CU_ASSERT_EQUAL(f.len, 2);
	/* directed and within two hops: none in time order */
	ps.ps_dir = GR_DIR_OUT;
	ps.ps_max_hops = 2;
	memset(&f, 0, sizeof f);
	CU_ASSERT_EQUAL(gr_shortest_paths(t, node_id(t, "P:pa"), node_id(t, "P:pc"), &ps, count_path, &f, &ge), 0);
	gr_abort(t);
}

/* The planner samples a node's label only for an estimate that decides
 * something or is shown: not for the far end of a pattern's last
 * relationship when the statement is run (a new process pays a page for
 * every node a sample reads). */
static void test_samples_only_for_choices(void)
{
	const char *last = "MATCH (v:SVessel {key: 'V1'})-[:S_OWNED]->(c:SCompany) WHERE c.bad = true RETURN c.key AS c";
	const char *two = "MATCH (p:SPort)<-[:S_CALLED]-(v:SVessel)-[:S_OWNED]->(c:SCompany) WHERE c.bad = true "
	    "RETURN count(*) AS n";
	char text[300], *out = NULL;
	cy_error err;
	uint64_t before;
	CU_ASSERT_EQUAL(run("UNWIND range(1, 40) AS i CREATE (:SCompany {key: 'C' + toString(i), bad: i % 4 = 0})"
	    "<-[:S_OWNED]-(:SVessel {key: 'V' + toString(i)})-[:S_CALLED]->(:SPort {key: 'P' + toString(i)})",
	    CY_FMT_CSV, &out, &err), CY_OK);
	free(out);
	before = cy_cost_samples();
	check_output(last, CY_FMT_CSV, "c\r\n");
	CU_ASSERT_EQUAL(cy_cost_samples(), before);
	check_output("MATCH (v:SVessel {key: 'V4'})-[:S_OWNED]->(c:SCompany) WHERE c.bad = true RETURN c.key AS c",
	    CY_FMT_CSV, "c\r\nC4\r\n");
	CU_ASSERT_EQUAL(cy_cost_samples(), before);
	/* shown, the estimate is made */
	snprintf(text, sizeof text, "EXPLAIN %s", last);
	CU_ASSERT_EQUAL(run(text, CY_FMT_CSV, &out, &err), CY_OK);
	CU_ASSERT_PTR_NOT_NULL(out && strstr(out, "Expand"));
	CU_ASSERT(out && strstr(out, "-[:S_OWNED]->") && strstr(strstr(out, "-[:S_OWNED]->"), "est."));
	free(out);
	CU_ASSERT(cy_cost_samples() > before);
	/* two relationships to order: the choice needs them */
	before = cy_cost_samples();
	check_output(two, CY_FMT_CSV, "n\r\n10\r\n");
	CU_ASSERT(cy_cost_samples() > before);
}

int test_cypher_register(void)
{
	static const unit_test tests[] = {
		{ "params_are_literals_or_strings", test_params_are_literals_or_strings },
		{ "integer_semantics", test_integer_semantics },
		{ "error_positions_in_the_whole_script", test_error_positions_in_the_whole_script },
		{ "each_statement_is_a_transaction", test_each_statement_is_a_transaction },
		{ "generated_keys_are_not_properties", test_generated_keys_are_not_properties },
		{ "table_and_csv_forms", test_table_and_csv_forms },
		{ "query_print_for_other_commands", test_query_print_for_other_commands },
		{ "shortest_and_time_ordered_paths", test_shortest_and_time_ordered_paths },
		{ "samples_only_for_choices", test_samples_only_for_choices },
	};
	return unit_suite("cypher", setup, teardown, tests, sizeof tests / sizeof *tests);
}
