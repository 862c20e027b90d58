/*
 * test_when.c: the one rule that dates a relationship (graph/when.h), as
 * timeline, path --time-ordered, report and diagram read it; and the
 * display width that table printers pad by (graph/textwidth.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/when.h"
#include "graph/textwidth.h"

static char dir[64];
static gr_db *db;
static gr_txn *txn;

static int setup(void)
{
	gr_error err;
	if (unit_db_open("when", dir, sizeof dir, &db) != 0)
		return -1;
	/* a write transaction, never committed: the property names get ids */
	return gr_begin(db, 1, &txn, &err) == GR_OK ? 0 : -1;
}

static int teardown(void)
{
	gr_abort(txn);
	return unit_db_close(dir, db);
}

/* The formatted dates of an edge with properties "k=v" (typed as on the
 * command line: ISO dates become dates). */
static const char *when_of(const char *const *props)
{
	static char buf[64];
	gr_prop *p = NULL;
	size_t np = 0;
	gr_when w;
	for (; *props; props++) {
		const char *eq = strchr(*props, '=');
		uint16_t k;
		gr_sym(txn, *props, (size_t)(eq - *props), 1, &k);
		gr_props_set(&p, &np, k, gr_value_from_text(eq + 1, strlen(eq + 1)));
	}
	gr_when_of_props(txn, p, np, &w);
	gr_when_format(&w, buf);
	for (size_t i = 0; i < np; i++)
		gr_value_free(&p[i].p_val);
	free(p);
	return buf;
}

static void test_rule(void)
{
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "date=2024-04-02", "start=2024-01-01", NULL }), "2024-04-02");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "start=2024-04-03", "end=2024-04-14", NULL }), "2024-04-03..2024-04-14");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "start=2024-04-03", NULL }), "from 2024-04-03");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "end=2024-04-14", NULL }), "until 2024-04-14");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "since=2019-06-01", NULL }), "since 2019-06-01");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "since=2019-06-01", "until=2021-01-31", NULL }), "2019-06-01..2021-01-31");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "listed=2024-05-03", NULL }), "listed 2024-05-03");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "listed=2024-05-03", "delisted=2025-02-01", NULL }), "2024-05-03..2025-02-01");
	/* start wins over since; other dates do not date an edge */
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "since=2019-06-01", "start=2020-01-01", NULL }), "from 2020-01-01");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "reported=2024-06-09", NULL }), "");
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "date=yesterday", NULL }), "");
	/* a datetime is its UTC day, whatever its zone */
	CU_ASSERT_STRING_EQUAL(when_of((const char *[]){ "start=2024-04-03T23:30:00-02:00", "end=2024-04-04T00:30:00+02:00", NULL }),
	    "2024-04-04");
}

static void test_first_last(void)
{
	gr_when w = { GR_WHEN_END, 0, 100, NULL, "end" };
	CU_ASSERT_EQUAL(gr_when_first(&w), 100);
	CU_ASSERT_EQUAL(gr_when_last(&w), 100);
	w = (gr_when){ GR_WHEN_START | GR_WHEN_END, 50, 40, "start", "end" };
	CU_ASSERT_EQUAL(gr_when_last(&w), 50);   /* an end before the start */
}

static void test_width(void)
{
	CU_ASSERT_EQUAL(gr_text_width("LADY R", 6), 6);
	CU_ASSERT_EQUAL(gr_text_width("\xEB\xA0\x88\xEC\x9D\xB4\xEB\x94\x94", 9), 6);   /* 레이디 */
	CU_ASSERT_EQUAL(gr_text_width("\xE5\xA4\xAB\xE4\xBA\xBA", 6), 4);                   /* 夫人 */
	CU_ASSERT_EQUAL(gr_text_width("Oc\xC3\xA9" "ane", 7), 6);                             /* Océane */
	CU_ASSERT_EQUAL(gr_text_width("e\xCC\x81", 3), 1);                                   /* e + combining acute */
	CU_ASSERT_EQUAL(gr_text_width("\xFF\xFE", 2), 2);                                    /* not UTF-8 */
	CU_ASSERT_EQUAL(gr_text_width("", 0), 0);
}

int test_when_register(void)
{
	CU_pSuite w = CU_add_suite("text width", NULL, NULL);
	if (!w || !CU_add_test(w, "terminal columns", test_width))
		return -1;
	CU_pSuite s = CU_add_suite("edge dates", setup, teardown);
	if (!s || !CU_add_test(s, "what dates an edge", test_rule) ||
	    !CU_add_test(s, "first and last day", test_first_last))
		return -1;
	return 0;
}
