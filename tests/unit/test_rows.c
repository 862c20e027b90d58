/*
 * test_rows.c: cy_run_rows, the engine's rows as values in the caller's
 * transaction: the caller's snapshot (a write committed after it began is
 * not seen), statement indexes and column names, stopping early, writes
 * refused in a read transaction and allowed in a write transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "fixture.h"
#include "graph/graph.h"
#include "graph/cypher/cypher.h"

static char dir[64];
static gr_db *db;

typedef struct seen {
	int rows, stop_after;
	size_t last_stmt;
	int64_t sum;
	char first_col[32];
	uint32_t node;
} seen;

static int on_row(void *arg, const cy_row *r)
{
	seen *s = arg;
	s->rows++;
	s->last_stmt = r->stmt;
	if (r->ncols && !s->first_col[0])
		snprintf(s->first_col, sizeof s->first_col, "%s", r->names[0]);
	for (size_t i = 0; i < r->ncols; i++) {
		if (r->vals[i].type == GR_INT)
			s->sum += r->vals[i].u.i;
		if (r->vals[i].type == GR_NODE)
			s->node = r->vals[i].u.node.id;
	}
	return s->stop_after && s->rows >= s->stop_after;
}

static int run(gr_txn *t, const char *q, seen *s, cy_error *err)
{
	cy_session *ses;
	int rc;
	memset(s, 0, sizeof *s);
	if (cy_session_new(db, &ses) != CY_OK)
		return CY_ENOMEM;
	rc = cy_run_rows(ses, t, q, strlen(q), on_row, s, err);
	cy_session_free(ses);
	return rc;
}

static int setup(void)
{
	cy_error err;
	FILE *devnull;
	int rc;
	if (unit_db_open("rows", dir, sizeof dir, &db))
		return -1;
	if (!(devnull = fopen("/dev/null", "w")))
		return -1;
	rc = cy_query_print(db, "UNWIND range(1, 5) AS i CREATE (:Item {key: 'i' + toString(i), n: i})", devnull,
	    CY_FMT_NONE, &err);
	fclose(devnull);
	return rc == CY_OK ? 0 : -1;
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static void test_snapshot(void)
{
	gr_txn *t;
	gr_error ge;
	cy_error err;
	seen s;
	FILE *devnull = fopen("/dev/null", "w");
	CU_ASSERT_FATAL(devnull != NULL);
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &ge) == GR_OK);
	/* committed after t began: t does not see it, a new statement does */
	CU_ASSERT(cy_query_print(db, "CREATE (:Item {key: 'late', n: 100})", devnull, CY_FMT_NONE, &err) == CY_OK);
	CU_ASSERT(run(t, "MATCH (i:Item) RETURN i.n AS n", &s, &err) == CY_OK);
	CU_ASSERT(s.rows == 5 && s.sum == 15);
	CU_ASSERT_STRING_EQUAL(s.first_col, "n");
	gr_abort(t);
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &ge) == GR_OK);
	CU_ASSERT(run(t, "MATCH (i:Item) RETURN i.n AS n", &s, &err) == CY_OK);
	CU_ASSERT(s.rows == 6 && s.sum == 115);
	/* a node value is its id, readable in the same transaction */
	CU_ASSERT(run(t, "MATCH (i:Item {key: 'late'}) RETURN i", &s, &err) == CY_OK);
	CU_ASSERT(s.rows == 1 && s.node != 0 && gr_node_exists(t, s.node));
	gr_abort(t);
	CU_ASSERT(cy_query_print(db, "MATCH (i:Item {key: 'late'}) DELETE i", devnull, CY_FMT_NONE, &err) == CY_OK);
	fclose(devnull);
}

static void test_statements_and_stop(void)
{
	gr_txn *t;
	gr_error ge;
	cy_error err;
	seen s;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &ge) == GR_OK);
	CU_ASSERT(run(t, "RETURN 1 AS a; UNWIND [2, 3] AS b RETURN b", &s, &err) == CY_OK);
	CU_ASSERT(s.rows == 3 && s.sum == 6 && s.last_stmt == 1);
	/* stopping after the second row skips the rest, the next statement too */
	memset(&s, 0, sizeof s);
	{
		cy_session *ses;
		const char *q = "UNWIND range(1, 1000000) AS x RETURN x; RETURN 7 AS y";
		CU_ASSERT_FATAL(cy_session_new(db, &ses) == CY_OK);
		s.stop_after = 2;
		CU_ASSERT(cy_run_rows(ses, t, q, strlen(q), on_row, &s, &err) == CY_OK);
		cy_session_free(ses);
	}
	CU_ASSERT(s.rows == 2 && s.sum == 3 && s.last_stmt == 0);
	/* errors keep their position in the whole text */
	CU_ASSERT(run(t, "RETURN 1 AS a;\nRETURN nope AS b", &s, &err) == CY_ESEMANTIC);
	CU_ASSERT(err.line == 2);
	CU_ASSERT(run(t, "  ", &s, &err) == CY_EEMPTY);
	gr_abort(t);
}

static int write_rows(gr_txn *t, void *arg, gr_error *ge)
{
	cy_error err;
	seen *s = arg;
	(void)ge;
	return run(t, "CREATE (i:Item {key: 'w', n: 40}) RETURN i.n AS n", s, &err) == CY_OK ? GR_OK : GR_EINVALID;
}

static void test_writes(void)
{
	gr_txn *t;
	gr_error ge;
	cy_error err;
	seen s;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &ge) == GR_OK);
	CU_ASSERT(run(t, "CREATE (:Item {key: 'x'}) RETURN 1 AS one", &s, &err) == CY_ESEMANTIC);
	CU_ASSERT(strstr(err.message, "may only read") != NULL);
	CU_ASSERT(s.rows == 0);
	/* EXPLAIN of a write runs nothing: allowed, its plan as rows */
	CU_ASSERT(run(t, "EXPLAIN CREATE (:Item {key: 'x'})", &s, &err) == CY_OK);
	CU_ASSERT(s.rows > 0);
	CU_ASSERT_STRING_EQUAL(s.first_col, "plan");
	gr_abort(t);
	/* in the caller's write transaction, committed with it */
	CU_ASSERT(gr_write(db, write_rows, &s, &ge) == GR_OK);
	CU_ASSERT(s.rows == 1 && s.sum == 40);
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &ge) == GR_OK);
	CU_ASSERT(run(t, "MATCH (i:Item) WHERE i.key IN ['x', 'w'] RETURN i.n AS n", &s, &err) == CY_OK);
	CU_ASSERT(s.rows == 1 && s.sum == 40);
	gr_abort(t);
}

int test_rows_register(void)
{
	static const unit_test tests[] = {
		{ "the caller's snapshot", test_snapshot },
		{ "statements, names, stopping early", test_statements_and_stop },
		{ "writes need a write transaction", test_writes },
	};
	return unit_suite("cypher rows in the caller's transaction", setup, teardown, tests, sizeof tests / sizeof *tests);
}
