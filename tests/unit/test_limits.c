/*
 * test_limits.c: the limits of a statement through the engine's C
 * interface: the option values, a runaway statement stopped by time, one
 * stopped by memory, an interrupt, and a stopped write that keeps nothing.
 * The command-line side (exit status, messages, Ctrl-C) is in
 * tests/e2e/limits.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/cypher/cypher.h"

static char dir[64];
static gr_db *db;

static int setup(void)
{
	cy_error cerr;
	if (unit_db_open("limits", dir, sizeof dir, &db) != 0)
		return -1;
	/* a complete graph of 12 nodes: more paths than any test waits for */
	return cy_query_print(db, "UNWIND range(1, 12) AS i CREATE (:N {i: i});"
	    "MATCH (a:N), (b:N) WHERE a <> b CREATE (a)-[:R]->(b)", NULL, CY_FMT_NONE, &cerr) == CY_OK ? 0 : -1;
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Runs text under the limits; the time taken in *ms. */
static int run_limited(const char *text, uint64_t timeout_ms, uint64_t max_bytes, cy_error *err, double *ms)
{
	cy_session *s;
	cy_writer *w;
	int rc;
	double t0 = now_ms();
	if (cy_session_new(db, &s) != CY_OK)
		return CY_ENOMEM;
	cy_session_limits(s, timeout_ms, max_bytes);
	w = cy_writer_new(NULL, CY_FMT_NONE);
	rc = cy_run_text(s, text, strlen(text), w, NULL, 0, NULL, err);
	cy_writer_free(w);
	cy_session_free(s);
	if (ms)
		*ms = now_ms() - t0;
	return rc;
}

static void test_option_values(void)
{
	uint64_t v;
	char buf[32];
	CU_ASSERT(cy_parse_seconds("2", &v) == 0 && v == 2000);
	CU_ASSERT(cy_parse_seconds("1.5", &v) == 0 && v == 1500);
	CU_ASSERT(cy_parse_seconds("30s", &v) == 0 && v == 30000);
	CU_ASSERT(cy_parse_seconds("0.0001", &v) == 0 && v == 1);
	CU_ASSERT(cy_parse_seconds("", &v) < 0);
	CU_ASSERT(cy_parse_seconds("-1", &v) < 0);
	CU_ASSERT(cy_parse_seconds("2m", &v) < 0);
	CU_ASSERT(cy_parse_seconds("nan", &v) < 0);
	CU_ASSERT(cy_parse_size("512M", &v) == 0 && v == 512ULL << 20);
	CU_ASSERT(cy_parse_size("2G", &v) == 0 && v == 2ULL << 30);
	CU_ASSERT(cy_parse_size("2GiB", &v) == 0 && v == 2ULL << 30);
	CU_ASSERT(cy_parse_size("64k", &v) == 0 && v == 64ULL << 10);
	CU_ASSERT(cy_parse_size("1000", &v) == 0 && v == 1000);
	CU_ASSERT(cy_parse_size("5X", &v) < 0);
	CU_ASSERT(cy_parse_size("-1G", &v) < 0);
	CU_ASSERT(cy_parse_size("99999999999T", &v) < 0);   /* past 64 bits */
	cy_format_size(512ULL << 20, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "512 MiB");
	cy_format_size(1000, buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "1000 bytes");
}

static void test_runaway_stops_on_time(void)
{
	cy_error err;
	double ms;
	int rc = run_limited("MATCH p = (a)-[*]->(b) RETURN count(p)", 300, 0, &err, &ms);
	CU_ASSERT_EQUAL(rc, CY_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "time limit of 0.3 s"));
	CU_ASSERT(ms < 1300);
	/* the same engine without a limit finishes a small query */
	CU_ASSERT_EQUAL(run_limited("MATCH (a)-[*1..2]->(b) RETURN count(*)", 0, 0, &err, NULL), CY_OK);
}

/* Under valgrind its allocator replaces glibc's, whose count (mallinfo2)
 * the memory limit reads: the limit cannot see the heap there. */
static int under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");
	return p && strstr(p, "vgpreload") != NULL;
}

static void test_memory_limit(void)
{
	cy_error err;
	int rc;
	if (under_valgrind())
		return;
	rc = run_limited("UNWIND range(1, 2000) AS i UNWIND range(1, 2000) AS j RETURN collect([i, j])",
	    0, 16ULL << 20, &err, NULL);
	CU_ASSERT_EQUAL(rc, CY_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "memory limit of 16 MiB"));
	/* one range() larger than the limit is refused before it is built */
	rc = run_limited("RETURN size(range(1, 10000000))", 0, 16ULL << 20, &err, NULL);
	CU_ASSERT_EQUAL(rc, CY_ELIMIT);
	CU_ASSERT_EQUAL(run_limited("RETURN size(range(1, 1000))", 0, 16ULL << 20, &err, NULL), CY_OK);
}

static void test_interrupt_and_writes(void)
{
	cy_error err;
	char *out = NULL;
	size_t len = 0;
	FILE *f;
	cy_interrupt();
	CU_ASSERT(cy_interrupted());
	CU_ASSERT_EQUAL(run_limited("UNWIND range(1, 100000) AS i CREATE (:X {i: i})", 0, 0, &err, NULL), CY_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.message, "interrupted"));
	cy_interrupt_clear();
	/* a write stopped by its time limit keeps nothing */
	CU_ASSERT_EQUAL(run_limited("UNWIND range(1, 100000000) AS i CREATE (:X {i: i})", 200, 0, &err, NULL), CY_ELIMIT);
	f = open_memstream(&out, &len);
	CU_ASSERT_EQUAL(cy_query_print(db, "MATCH (x:X) RETURN count(x) AS c", f, CY_FMT_JSONL, &err), CY_OK);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(out, "{\"c\":0}\n");
	free(out);
}

int test_limits_register(void)
{
	static const unit_test tests[] = {
		{ "option_values", test_option_values },
		{ "runaway_stops_on_time", test_runaway_stops_on_time },
		{ "memory_limit", test_memory_limit },
		{ "interrupt_and_writes", test_interrupt_and_writes },
	};
	return unit_suite("limits", setup, teardown, tests, sizeof tests / sizeof *tests);
}
