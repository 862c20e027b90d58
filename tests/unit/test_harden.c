/*
 * test_harden.c: the pieces of issue 9 that are unit-sized: control
 * characters found and escaped (graph/escape.c), range() computed exactly
 * at the ends of the 64-bit range, csv's guard against spreadsheet
 * formulas (and --raw), and the table format's escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/escape.h"
#include "graph/cypher/cypher.h"
#include "graph/cypher/engine.h"   /* cy_writer_flush */

static char dir[64];
static gr_db *db;

static int setup(void)
{
	return unit_db_open("harden", dir, sizeof dir, &db);
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static void test_control_found(void)
{
	CU_ASSERT_EQUAL(gr_text_control("plain name", 10), -1);
	CU_ASSERT_EQUAL(gr_text_control("Лэди Р 라진", strlen("Лэди Р 라진")), -1);
	CU_ASSERT_EQUAL(gr_text_control("ab\ncd", 5), 2);
	CU_ASSERT_EQUAL(gr_text_control("\x1b]0;x\x07", 6), 0);
	CU_ASSERT_EQUAL(gr_text_control("x\x7f", 2), 1);
	CU_ASSERT_EQUAL(gr_text_control("a\xc2\x9b" "1m", 5), 1);    /* C1 CSI in UTF-8 */
	CU_ASSERT_EQUAL(gr_text_control("\xc2\xa0", 2), -1);          /* no-break space is text */
	CU_ASSERT_EQUAL(gr_text_control("a\0b", 3), 1);
}

static void check_escape(const char *in, size_t n, const char *want)
{
	gr_buf b = { 0 };
	CU_ASSERT_EQUAL_FATAL(gr_text_escape(&b, in, n), 0);
	CU_ASSERT_EQUAL(b.b_len, strlen(want));
	if (b.b_len == strlen(want))
		CU_ASSERT_EQUAL(memcmp(b.b_data, want, b.b_len), 0);
	gr_buf_free(&b);
}

static void test_escape(void)
{
	check_escape("plain", 5, "plain");
	check_escape("a\nb\tc\rd", 7, "a\\nb\\tc\\rd");
	check_escape("\x1b]0;pwned\x07", 10, "\\x1b]0;pwned\\x07");
	check_escape("del\x7f", 4, "del\\x7f");
	check_escape("\xc2\x9b" "31m", 5, "\\u009b31m");
	check_escape("back\\slash", 10, "back\\slash");   /* text, not a control */
	check_escape("nul\0!", 5, "nul\\x00!");
	CU_ASSERT_STRING_EQUAL(gr_esc("clean"), "clean");
	CU_ASSERT_STRING_EQUAL(gr_esc("bell\a"), "bell\\x07");
	CU_ASSERT_STRING_EQUAL(gr_escn("tab\there", 8), "tab\\there");
}

/* Runs text; *out (malloc'd) holds what was printed. */
static int run(const char *text, cy_format fmt, int raw, char **out)
{
	cy_session *s;
	cy_writer *w;
	cy_error err;
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	int rc;
	if (!f || cy_session_new(db, &s) != CY_OK)
		return CY_ENOMEM;
	w = cy_writer_new(f, fmt);
	cy_writer_set_raw(w, raw);
	rc = cy_run_text(s, text, strlen(text), w, NULL, 0, NULL, &err);
	cy_writer_free(w);
	cy_session_free(s);
	fclose(f);
	return rc;
}

static void check(const char *text, cy_format fmt, int raw, const char *want)
{
	char *out = NULL;
	CU_ASSERT_EQUAL(run(text, fmt, raw, &out), CY_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, want);
	if (strcmp(out, want))
		fprintf(stderr, "\n%s\ngave:\n%s\nwanted:\n%s\n", text, out, want);
	free(out);
}

static void test_range_exact(void)
{
	/* openCypher: four elements; 64-bit (end - start) overflowed to one */
	check("RETURN range(-9223372036854775807, 9223372036854775807, 4611686018427387904) AS r", CY_FMT_CSV, 0,
	    "r\r\n\"[-9223372036854775807, -4611686018427387903, 1, 4611686018427387905]\"\r\n");
	check("RETURN range(9223372036854775807, -9223372036854775808, -9223372036854775808) AS r", CY_FMT_CSV, 0,
	    "r\r\n\"[9223372036854775807, -1]\"\r\n");
	check("RETURN range(-9223372036854775808, -9223372036854775808) AS r, range(5, 1) AS e", CY_FMT_CSV, 0,
	    "r,e\r\n[-9223372036854775808],[]\r\n");
	char *out = NULL;
	/* only the size is an error */
	CU_ASSERT_EQUAL(run("RETURN size(range(-9223372036854775808, 9223372036854775807)) AS n", CY_FMT_CSV, 0, &out), CY_ERUNTIME);
	free(out);
}

static void test_csv_formulas(void)
{
	check("RETURN '=1+2' AS a, '+1' AS b, '-x' AS c, '@A1' AS d, '\\tt' AS e, 'ok' AS f, -1 AS g, -1.5 AS h, ['=x'] AS i",
	    CY_FMT_CSV, 0, "a,b,c,d,e,f,g,h,i\r\n'=1+2,'+1,'-x,'@A1,'\tt,ok,-1,-1.5,['=x']\r\n");
	check("RETURN '=1+2' AS a, -1 AS g", CY_FMT_CSV, 1, "a,g\r\n=1+2,-1\r\n");
	/* a header is a cell too */
	check("RETURN 1 AS `=cmd`", CY_FMT_CSV, 0, "'=cmd\r\n1\r\n");
	/* other formats are untouched */
	check("RETURN '=1+2' AS a", CY_FMT_JSONL, 0, "{\"a\":\"=1+2\"}\n");
}

static void test_table_escapes(void)
{
	check("RETURN 'a\\u001b]0;t\\u0007b\\nc' AS `x\ny`", CY_FMT_TABLE, 0,
	    "x\\ny\n-----------------\na\\x1b]0;t\\x07b\\nc\n(1 row)\n");
}

/* Answers go to a file's descriptor directly: what the program printed
 * to the same stream through stdio before comes first, and after, after. */
static void test_output_order(void)
{
	char path[] = "/tmp/sg-order-XXXXXX", got[256];
	int fd = mkstemp(path);
	FILE *f;
	cy_session *s;
	cy_writer *w;
	cy_error err;
	size_t n;
	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w+");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("before\n", f);   /* held in stdio's buffer */
	CU_ASSERT_FATAL(cy_session_new(db, &s) == CY_OK);
	w = cy_writer_new(f, CY_FMT_CSV);
	CU_ASSERT_EQUAL(cy_run_text(s, "RETURN 1 AS one", 15, w, NULL, 0, NULL, &err), CY_OK);
	CU_ASSERT_EQUAL(cy_writer_flush(w), 0);
	fputs("after\n", f);
	cy_writer_free(w);
	cy_session_free(s);
	fflush(f);
	rewind(f);
	n = fread(got, 1, sizeof got - 1, f);
	got[n] = '\0';
	CU_ASSERT_STRING_EQUAL(got, "before\none\r\n1\r\nafter\n");
	fclose(f);
	unlink(path);
}

int test_harden_register(void)
{
	static const unit_test tests[] = {
		{"control characters found", test_control_found},
		{"control characters escaped", test_escape},
		{"range() exact at the 64-bit ends", test_range_exact},
		{"csv guards formulas unless raw", test_csv_formulas},
		{"table escapes control characters", test_table_escapes},
		{"answers after what stdio printed before", test_output_order},
	};
	return unit_suite("harden", setup, teardown, tests, sizeof tests / sizeof *tests);
}
