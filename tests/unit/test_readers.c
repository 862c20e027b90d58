/*
 * test_readers.c: unit tests of ingest/json.c and ingest/csvread.c: the
 * strict JSON parser, the CSV reader on memory, files and pipes, and the
 * neo4j-admin header and typed-field conversions.
 */
#include <CUnit/Basic.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "../../ingest/reader.h"

/* ================================================================ JSON */

/* Parses text (a C string) and expects success. */
static int json_ok(const char *text, gr_value *v)
{
	sg_json_error err;
	int rc = sg_json_parse(text, strlen(text), v, &err);

	if (rc != 0)
		fprintf(stderr, "\n  unexpected json error in <%s>: col %zu: %s\n", text,
		    err.je_column, err.je_msg);
	return rc;
}

/* Parses text and expects a syntax error at `column` (0: any) whose
 * message contains `msg` (NULL: any). */
static void json_bad(const char *text, size_t len, size_t column, const char *msg)
{
	sg_json_error err;
	gr_value v = gr_int(12345);
	int rc = sg_json_parse(text, len, &v, &err);

	CU_ASSERT_EQUAL(rc, SG_JSON_ESYNTAX);
	if (rc != SG_JSON_ESYNTAX) {
		fprintf(stderr, "\n  json accepted: <%.*s>\n", (int)len, text);
		if (rc == 0)
			gr_value_free(&v);
		return;
	}
	CU_ASSERT_EQUAL(v.type, GR_INT);        /* out untouched */
	if (column && err.je_column != column)
		fprintf(stderr, "\n  <%.*s>: column %zu, expected %zu (%s)\n", (int)len, text,
		    err.je_column, column, err.je_msg);
	if (column)
		CU_ASSERT_EQUAL(err.je_column, column);
	if (msg && !strstr(err.je_msg, msg))
		fprintf(stderr, "\n  <%.*s>: message \"%s\", expected \"%s\"\n", (int)len, text,
		    err.je_msg, msg);
	if (msg)
		CU_ASSERT_PTR_NOT_NULL(strstr(err.je_msg, msg));
}

#define JSON_BAD(text, col, msg) json_bad(text, sizeof(text) - 1, col, msg)

static void test_json_literals(void)
{
	gr_value v;

	CU_ASSERT_EQUAL_FATAL(json_ok("true", &v), 0);
	CU_ASSERT(v.type == GR_BOOL && v.u.b == 1);
	CU_ASSERT_EQUAL_FATAL(json_ok(" false ", &v), 0);
	CU_ASSERT(v.type == GR_BOOL && v.u.b == 0);
	CU_ASSERT_EQUAL_FATAL(json_ok("\tnull\r\n", &v), 0);
	CU_ASSERT_EQUAL(v.type, GR_NULL);
	JSON_BAD("tru", 1, "invalid literal");
	JSON_BAD("nul", 1, "invalid literal");
	JSON_BAD("True", 1, "expected a value");
	JSON_BAD("NaN", 1, "expected a value");
	JSON_BAD("Infinity", 1, "expected a value");
	JSON_BAD("-Infinity", 2, "expected digit after '-'");
	JSON_BAD("", 1, "expected a value, found end of input");
	JSON_BAD("   ", 4, "end of input");
}

static void test_json_integers_are_exact(void)
{
	gr_value v;

	CU_ASSERT_EQUAL_FATAL(json_ok("9007199254740993", &v), 0);
	CU_ASSERT_EQUAL(v.type, GR_INT);
	CU_ASSERT(v.u.i == INT64_C(9007199254740993));
	CU_ASSERT_EQUAL_FATAL(json_ok("-9223372036854775808", &v), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == INT64_MIN);
	CU_ASSERT_EQUAL_FATAL(json_ok("9223372036854775807", &v), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == INT64_MAX);
	CU_ASSERT_EQUAL_FATAL(json_ok("0", &v), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == 0);
	CU_ASSERT_EQUAL_FATAL(json_ok("-0", &v), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == 0);
	CU_ASSERT_EQUAL_FATAL(json_ok("[9161003,-42]", &v), 0);
	CU_ASSERT(v.u.list.items[0].u.i == 9161003 && v.u.list.items[1].u.i == -42);
	gr_value_free(&v);
}

static void test_json_integers_out_of_range_rejected(void)
{
	JSON_BAD("9223372036854775808", 1, "out of 64-bit range");
	JSON_BAD("-9223372036854775809", 1, "out of 64-bit range");
	JSON_BAD("[1, 184467440737095516160]", 5, "integer 184467440737095516160 out of 64-bit range");
	JSON_BAD("1e400", 1, "out of range");
	JSON_BAD("-1.5e99999", 1, "out of range");
}

static void test_json_floats(void)
{
	gr_value v;

	CU_ASSERT_EQUAL_FATAL(json_ok("1.0", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 1.0);
	CU_ASSERT_EQUAL_FATAL(json_ok("1e2", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 100.0);
	CU_ASSERT_EQUAL_FATAL(json_ok("-2.5E-3", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == -2.5e-3);
	CU_ASSERT_EQUAL_FATAL(json_ok("0.1", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 0.1);
	CU_ASSERT_EQUAL_FATAL(json_ok("9007199254740993.0", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT);
	CU_ASSERT_EQUAL_FATAL(json_ok("1e-400", &v), 0);        /* underflow is not an error */
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 0.0);
	CU_ASSERT_EQUAL_FATAL(json_ok("0.000000000000000000000000000000000000000000000000000000000000000001", &v), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 1e-66);
}

static void test_json_number_syntax_errors(void)
{
	JSON_BAD("01", 1, "leading zero");
	JSON_BAD("-01", 2, "leading zero");
	JSON_BAD("[00]", 2, "leading zero");
	JSON_BAD("1.", 3, "expected digit after '.'");
	JSON_BAD("1.e5", 3, "expected digit after '.'");
	JSON_BAD(".5", 1, "expected a value");
	JSON_BAD("+1", 1, "expected a value");
	JSON_BAD("-", 2, "expected digit after '-'");
	JSON_BAD("1e", 3, "expected digit in exponent");
	JSON_BAD("1e+", 4, "expected digit in exponent");
	JSON_BAD("0x10", 2, "unexpected 'x' after json value");
	JSON_BAD("12abc", 3, "unexpected 'a' after json value");
}

static void test_json_string_escapes(void)
{
	gr_value v;

	CU_ASSERT_EQUAL_FATAL(json_ok("\"LADY R\"", &v), 0);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	CU_ASSERT_EQUAL(v.u.s.len, 6);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "LADY R");
	gr_value_free(&v);

	CU_ASSERT_EQUAL_FATAL(json_ok("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", &v), 0);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "a\"b\\c/d\b\f\n\r\t");
	gr_value_free(&v);

	CU_ASSERT_EQUAL_FATAL(json_ok("\"caf\\u00e9 \\u20AC \\u0041\"", &v), 0);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "caf\xc3\xa9 \xe2\x82\xac A");
	gr_value_free(&v);

	/* a surrogate pair becomes one 4-byte UTF-8 sequence */
	CU_ASSERT_EQUAL_FATAL(json_ok("\"\\uD83D\\uDE00!\"", &v), 0);
	CU_ASSERT_EQUAL(v.u.s.len, 5);
	CU_ASSERT(memcmp(v.u.s.ptr, "\xf0\x9f\x98\x80!", 5) == 0);
	gr_value_free(&v);

	/* raw UTF-8 passes through unchanged */
	CU_ASSERT_EQUAL_FATAL(json_ok("\"\xd0\x9b\xd0\xb5\xd0\xb4\xd0\xb8 \xf0\x9f\x9a\xa2\"", &v), 0);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "\xd0\x9b\xd0\xb5\xd0\xb4\xd0\xb8 \xf0\x9f\x9a\xa2");
	gr_value_free(&v);

	/* \u0000 is allowed in a string value, which keeps its length */
	CU_ASSERT_EQUAL_FATAL(json_ok("\"a\\u0000b\"", &v), 0);
	CU_ASSERT_EQUAL(v.u.s.len, 3);
	CU_ASSERT(memcmp(v.u.s.ptr, "a\0b", 3) == 0);
	gr_value_free(&v);

	/* an ISO date stays a string: the caller decides */
	CU_ASSERT_EQUAL_FATAL(json_ok("\"2024-04-14\"", &v), 0);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	gr_value_free(&v);
}

static void test_json_string_errors(void)
{
	JSON_BAD("\"\\uD83D\"", 2, "lone surrogate \\ud83d");
	JSON_BAD("\"\\uD83Dx\"", 2, "lone surrogate");
	JSON_BAD("\"\\uD83D\\u0041\"", 2, "lone surrogate");
	JSON_BAD("\"ab\\uDE00\"", 4, "lone surrogate \\ude00");
	JSON_BAD("\"\\x41\"", 2, "invalid escape '\\x'");
	JSON_BAD("\"\\'\"", 2, "invalid escape");
	JSON_BAD("\"\\u12\"", 2, "invalid \\u escape");
	JSON_BAD("\"\\u12G4\"", 2, "invalid \\u escape");
	JSON_BAD("\"a\nb\"", 3, "control character 0x0a");
	JSON_BAD("\"a\tb\"", 3, "control character 0x09");
	JSON_BAD("\"\xff\"", 2, "invalid utf-8");
	JSON_BAD("\"\xc0\xaf\"", 2, "invalid utf-8");               /* overlong '/' */
	JSON_BAD("\"\xe0\x80\xaf\"", 2, "invalid utf-8");           /* overlong */
	JSON_BAD("\"\xed\xa0\x80\"", 2, "invalid utf-8");           /* encoded surrogate */
	JSON_BAD("\"\xf4\x90\x80\x80\"", 2, "invalid utf-8");       /* above U+10FFFF */
	JSON_BAD("\"\xe2\x82\"", 2, "invalid utf-8");               /* truncated */
	JSON_BAD("\"abc", 1, "unterminated string");
	JSON_BAD("\"abc\\", 1, "unterminated string");
	JSON_BAD("\"\\\xc3\xa9\"", 2, "invalid escape");
}

static void test_json_objects_keep_key_order(void)
{
	gr_value v;
	const gr_value *a, *c;

	CU_ASSERT_EQUAL_FATAL(json_ok("{\"node\":\"Vessel\",\"key\":\"IMO9161003\",\"props\":"
	    "{\"name\":\"LADY R\",\"imo\":\"9161003\",\"tonnage\":4496,\"tags\":[1,2.5,null,true,{}],"
	    "\"x\":[]}}", &v), 0);
	CU_ASSERT_EQUAL_FATAL(v.type, GR_MAP);
	CU_ASSERT_EQUAL_FATAL(v.u.map.n, 3);
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[0], "node");
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[1], "key");
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[2], "props");
	a = &v.u.map.vals[2];
	CU_ASSERT_EQUAL_FATAL(a->type, GR_MAP);
	CU_ASSERT_EQUAL_FATAL(a->u.map.n, 5);
	CU_ASSERT_STRING_EQUAL(a->u.map.keys[0], "name");
	CU_ASSERT_STRING_EQUAL(a->u.map.keys[3], "tags");
	CU_ASSERT(a->u.map.vals[2].type == GR_INT && a->u.map.vals[2].u.i == 4496);
	c = &a->u.map.vals[3];
	CU_ASSERT_EQUAL_FATAL(c->type, GR_LIST);
	CU_ASSERT_EQUAL_FATAL(c->u.list.n, 5);
	CU_ASSERT_EQUAL(c->u.list.items[1].type, GR_FLOAT);
	CU_ASSERT_EQUAL(c->u.list.items[2].type, GR_NULL);
	CU_ASSERT_EQUAL(c->u.list.items[4].type, GR_MAP);
	CU_ASSERT_EQUAL(c->u.list.items[4].u.map.n, 0);
	CU_ASSERT(a->u.map.vals[4].type == GR_LIST && a->u.map.vals[4].u.list.n == 0);
	gr_value_free(&v);

	/* escaped keys are decoded */
	CU_ASSERT_EQUAL_FATAL(json_ok("{\"caf\\u00e9\":1, \"a\\\"b\" : 2}", &v), 0);
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[0], "caf\xc3\xa9");
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[1], "a\"b");
	gr_value_free(&v);
}

static void test_json_structure_errors(void)
{
	JSON_BAD("[1,]", 4, "trailing comma before ']'");
	JSON_BAD("{\"a\":1,}", 8, "trailing comma before '}'");
	JSON_BAD("[1 2]", 4, "expected ',' or ']' after array element");
	JSON_BAD("{\"a\":1 \"b\":2}", 8, "expected ',' or '}' after object member");
	JSON_BAD("{\"a\" 1}", 6, "expected ':' after object key");
	JSON_BAD("{a:1}", 2, "expected string key in object");
	JSON_BAD("{\"a\":}", 6, "expected a value, found '}'");
	JSON_BAD("[1,2", 5, "expected ',' or ']' after array element, found end of input");
	JSON_BAD("{\"a\":1", 7, "found end of input");
	JSON_BAD("{} {}", 4, "unexpected '{' after json value");
	JSON_BAD("{\"a\":1}x", 8, "unexpected 'x' after json value");
	JSON_BAD("[,1]", 2, "expected a value, found ','");
	JSON_BAD("]", 1, "expected a value");
	JSON_BAD("{\"a\":1,\"a\":2}", 8, "duplicate key \"a\"");
	JSON_BAD("{\"a\\u0000b\":1}", 2, "object key contains \\u0000");
	json_bad("[1,\0]", 5, 4, "expected a value, found byte 0x00");
	/* a failure deep inside frees everything built so far (valgrind) */
	JSON_BAD("[{\"a\":[1,\"x\",{\"b\":[2,3]}],\"c\":\"d\"},{\"e\":[1,2,3,", 0, "end of input");
}

static void test_json_error_columns_count_characters(void)
{
	sg_json_error err;
	gr_value v;
	const char *t = "[\"\xc3\xa9\xc3\xa9\", x]";   /* ["éé", x] */

	CU_ASSERT_EQUAL(sg_json_parse(t, strlen(t), &v, &err), SG_JSON_ESYNTAX);
	CU_ASSERT_EQUAL(err.je_offset, 9);
	CU_ASSERT_EQUAL(err.je_column, 8);
	CU_ASSERT_STRING_EQUAL(err.je_msg, "expected a value, found 'x'");
	/* err may be NULL */
	CU_ASSERT_EQUAL(sg_json_parse("[", 1, &v, NULL), SG_JSON_ESYNTAX);
}

static void test_json_depth_limit(void)
{
	char buf[2 * (SG_JSON_MAX_DEPTH + 1) + 1];
	gr_value v;
	int d;

	for (d = 0; d < SG_JSON_MAX_DEPTH; d++) {
		buf[d] = '[';
		buf[SG_JSON_MAX_DEPTH + d] = ']';
	}
	CU_ASSERT_EQUAL(sg_json_parse(buf, 2 * SG_JSON_MAX_DEPTH, &v, NULL), 0);
	gr_value_free(&v);

	for (d = 0; d <= SG_JSON_MAX_DEPTH; d++) {
		buf[d] = d % 2 ? '[' : '[';
		buf[SG_JSON_MAX_DEPTH + 1 + d] = ']';
	}
	json_bad(buf, 2 * (SG_JSON_MAX_DEPTH + 1), SG_JSON_MAX_DEPTH + 1, "nesting deeper than 256");

	/* objects count too */
	{
		static char deep[20 * 300];
		size_t n = 0;
		for (d = 0; d < 300; d++)
			n += (size_t)sprintf(deep + n, "{\"a\":");
		json_bad(deep, n, 0, "nesting deeper than 256");
	}
}

static void test_json_duplicate_keys_in_large_objects(void)
{
	char buf[4096];
	size_t n = 0;
	gr_value v;
	int i;

	n += (size_t)sprintf(buf + n, "{");
	for (i = 0; i < 100; i++)
		n += (size_t)sprintf(buf + n, "%s\"k%d\":%d", i ? "," : "", i, i);
	n += (size_t)sprintf(buf + n, "}");
	CU_ASSERT_EQUAL_FATAL(sg_json_parse(buf, n, &v, NULL), 0);
	CU_ASSERT_EQUAL(v.u.map.n, 100);
	CU_ASSERT_STRING_EQUAL(v.u.map.keys[99], "k99");
	gr_value_free(&v);

	n -= 1;
	n += (size_t)sprintf(buf + n, ",\"k42\":0}");
	json_bad(buf, n, 0, "duplicate key \"k42\"");
}

static void test_json_bom_and_length(void)
{
	gr_value v;
	const char *t = "\xef\xbb\xbf{\"a\":1}\n";

	CU_ASSERT_EQUAL_FATAL(sg_json_parse(t, strlen(t), &v, NULL), 0);
	CU_ASSERT_EQUAL(v.type, GR_MAP);
	gr_value_free(&v);
	/* only len bytes are read: no NUL terminator needed */
	CU_ASSERT_EQUAL_FATAL(sg_json_parse("12345", 2, &v, NULL), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == 12);
	CU_ASSERT_EQUAL_FATAL(sg_json_parse("\"abc\"xyz", 5, &v, NULL), 0);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "abc");
	gr_value_free(&v);
	json_bad("\"abc\"", 4, 1, "unterminated string");
	/* with a BOM, the offset counts its bytes, the column does not */
	{
		sg_json_error err;
		CU_ASSERT_EQUAL(sg_json_parse("\xef\xbb\xbf[1,]", 7, &v, &err), SG_JSON_ESYNTAX);
		CU_ASSERT_EQUAL(err.je_offset, 6);
		CU_ASSERT_EQUAL(err.je_column, 4);
	}
}

/* ================================================================ CSV */

static sg_csv *csv_mem(const char *text)
{
	char why[256];
	sg_csv *c = sg_csv_open_mem(text, strlen(text), "t.csv", ',', why, sizeof why);

	CU_ASSERT_PTR_NOT_NULL(c);
	return c;
}

/* Expects the next record to have the given fields (NULL-terminated) and
 * start on `line`. */
static void csv_expect(sg_csv *c, uint64_t line, const char *const *fields)
{
	sg_csv_record r;
	size_t i, n = 0;
	int rc = sg_csv_next(c, &r);

	CU_ASSERT_EQUAL(rc, 1);
	if (rc != 1) {
		fprintf(stderr, "\n  csv: %s\n", sg_csv_error(c));
		return;
	}
	while (fields[n])
		n++;
	CU_ASSERT_EQUAL(r.r_line, line);
	CU_ASSERT_EQUAL(r.r_nfields, n);
	for (i = 0; i < n && i < r.r_nfields; i++) {
		size_t len = strlen(fields[i]);
		int same = r.r_fields[i].f_len == len && memcmp(r.r_fields[i].f_ptr, fields[i], len) == 0;
		CU_ASSERT(same);
		if (!same)
			fprintf(stderr, "\n  field %zu: <%.*s>, expected <%s>\n", i,
			    (int)r.r_fields[i].f_len, r.r_fields[i].f_ptr, fields[i]);
	}
}

#define EXPECT(c, line, ...) csv_expect(c, line, (const char *const[]){ __VA_ARGS__, NULL })

static void csv_expect_end(sg_csv *c)
{
	sg_csv_record r;

	CU_ASSERT_EQUAL(sg_csv_next(c, &r), 0);
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), 0);
}

static void test_csv_quoting(void)
{
	sg_csv *c = csv_mem("a,\"b,c\",\"d\"\"e\",\"\",,\"\"\"\"\nx,\"\"\"q\"\"\",y\n");
	sg_csv_record r;

	CU_ASSERT_EQUAL_FATAL(sg_csv_next(c, &r), 1);
	CU_ASSERT_EQUAL_FATAL(r.r_nfields, 6);
	CU_ASSERT(r.r_fields[0].f_len == 1 && !r.r_fields[0].f_quoted);
	CU_ASSERT(r.r_fields[1].f_len == 3 && memcmp(r.r_fields[1].f_ptr, "b,c", 3) == 0);
	CU_ASSERT(r.r_fields[1].f_quoted);
	CU_ASSERT(r.r_fields[2].f_len == 3 && memcmp(r.r_fields[2].f_ptr, "d\"e", 3) == 0);
	CU_ASSERT(r.r_fields[3].f_len == 0 && r.r_fields[3].f_quoted);
	CU_ASSERT(r.r_fields[4].f_len == 0 && !r.r_fields[4].f_quoted);
	CU_ASSERT(r.r_fields[5].f_len == 1 && r.r_fields[5].f_ptr[0] == '"');
	EXPECT(c, 2, "x", "\"q\"", "y");
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_embedded_newlines_keep_line_numbers(void)
{
	sg_csv *c = csv_mem("h1,h2\n1,\"x\ny\n\"\"z\"\"\"\n2,b\n3,\"\r\n\"\n4,c\n");

	EXPECT(c, 1, "h1", "h2");
	EXPECT(c, 2, "1", "x\ny\n\"z\"");
	EXPECT(c, 5, "2", "b");
	EXPECT(c, 6, "3", "\r\n");
	EXPECT(c, 8, "4", "c");
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_crlf(void)
{
	sg_csv *c = csv_mem("a,b\r\n\"c\",d\r\ne\r,f\r\n");

	EXPECT(c, 1, "a", "b");
	EXPECT(c, 2, "c", "d");
	EXPECT(c, 3, "e\r", "f");       /* a lone CR is data */
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_bom_skipped(void)
{
	sg_csv *c = csv_mem("\xef\xbb\xbfkey:ID(Vessel),name\nIMO9161003,LADY R\n");

	EXPECT(c, 1, "key:ID(Vessel)", "name");
	EXPECT(c, 2, "IMO9161003", "LADY R");
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_missing_final_newline(void)
{
	sg_csv *c = csv_mem("a,b\nc,d");

	EXPECT(c, 1, "a", "b");
	EXPECT(c, 2, "c", "d");
	csv_expect_end(c);
	sg_csv_close(c);

	c = csv_mem("a,b\nc,");
	EXPECT(c, 1, "a", "b");
	EXPECT(c, 2, "c", "");
	csv_expect_end(c);
	sg_csv_close(c);

	c = csv_mem("a,\"b\"\r");
	EXPECT(c, 1, "a", "b");
	csv_expect_end(c);
	sg_csv_close(c);

	c = csv_mem("x,\"q\"");
	EXPECT(c, 1, "x", "q");
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_empty_lines_skipped(void)
{
	sg_csv *c = csv_mem("\na\n\r\n\nb\n\n");

	EXPECT(c, 2, "a");
	EXPECT(c, 5, "b");
	csv_expect_end(c);
	sg_csv_close(c);

	c = csv_mem("");
	csv_expect_end(c);
	sg_csv_close(c);
}

static void test_csv_unterminated_quote_reports_line(void)
{
	sg_csv *c = csv_mem("a,b\nc,d\ne,\"open\nmore\n");
	sg_csv_record r;

	EXPECT(c, 1, "a", "b");
	EXPECT(c, 2, "c", "d");
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);
	CU_ASSERT_STRING_EQUAL(sg_csv_error(c),
	    "t.csv:3: unterminated quoted field (field 2 of the record)");
	CU_ASSERT_EQUAL(sg_csv_error_line(c), 3);
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);        /* sticky */
	sg_csv_close(c);
}

static void test_csv_stray_quotes(void)
{
	sg_csv *c = csv_mem("a,b\nx,b\"c\n");
	sg_csv_record r;

	EXPECT(c, 1, "a", "b");
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(sg_csv_error(c), "t.csv:2: unexpected '\"' in unquoted field 2"));
	sg_csv_close(c);

	c = csv_mem("x,b\"c\"\n");
	sg_csv_set_strict(c, 0);
	EXPECT(c, 1, "x", "b\"c\"");
	csv_expect_end(c);
	sg_csv_close(c);

	c = csv_mem("h\n\"ab\"c,d\n");
	EXPECT(c, 1, "h");
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);
	CU_ASSERT_STRING_EQUAL(sg_csv_error(c), "t.csv:2: unexpected 'c' after closing quote in field 1");
	sg_csv_close(c);

	c = csv_mem("\"ab\" ,d\n");
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);
	CU_ASSERT_STRING_EQUAL(sg_csv_error(c), "t.csv:1: unexpected space after closing quote in field 1");
	sg_csv_close(c);
}

static void test_csv_delimiters(void)
{
	char why[128];
	sg_csv *c = sg_csv_open_mem("a\tb,c\t\"d\te\"\n", 12, "t.tsv", '\t', why, sizeof why);

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	EXPECT(c, 1, "a", "b,c", "d\te");
	csv_expect_end(c);
	sg_csv_close(c);

	CU_ASSERT_PTR_NULL(sg_csv_open_mem("a", 1, "t.csv", '"', why, sizeof why));
	CU_ASSERT_STRING_EQUAL(why, "t.csv: invalid field delimiter");
}

/* Writes text to a new temporary file; returns its path (static buffer). */
static const char *write_temp(const char *text, size_t len)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/sg-test-readers-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return NULL;
	}
	close(fd);
	return path;
}

static void test_csv_file_is_mapped_and_reports_progress(void)
{
	const char *text = "key:ID(Port),name\nRUVYP,\"Vyborg\"\nKPRJN,\"Rajin\nport\"\n";
	const char *path = write_temp(text, strlen(text));
	char why[256];
	uint64_t done, total;
	sg_csv *c;

	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	c = sg_csv_open(path, ',', why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(sg_csv_name(c), path);
	sg_csv_progress(c, &done, &total);
	CU_ASSERT_EQUAL(done, 0);
	CU_ASSERT_EQUAL(total, strlen(text));
	EXPECT(c, 1, "key:ID(Port)", "name");
	sg_csv_progress(c, &done, &total);
	CU_ASSERT_EQUAL(done, 18);
	EXPECT(c, 2, "RUVYP", "Vyborg");
	EXPECT(c, 3, "KPRJN", "Rajin\nport");
	csv_expect_end(c);
	sg_csv_progress(c, &done, &total);
	CU_ASSERT_EQUAL(done, total);
	sg_csv_close(c);
	unlink(path);

	CU_ASSERT_PTR_NULL(sg_csv_open("/nonexistent/x.csv", ',', why, sizeof why));
	CU_ASSERT_STRING_EQUAL(why, "/nonexistent/x.csv: No such file or directory");

	/* an empty file */
	path = write_temp("", 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	c = sg_csv_open(path, ',', why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	csv_expect_end(c);
	sg_csv_close(c);
	unlink(path);
}

/* Test data bigger than the streaming buffer: a BOM, quoted fields with
 * newlines and doubled quotes, CRLF and LF lines, and one quoted field of
 * 3 MiB (3145 newlines, a doubled quote every 500 bytes). */
static char *make_big_csv(size_t *len)
{
	size_t cap = 16u << 20, n = 0, i, k;
	char *s = malloc(cap);

	if (!s)
		return NULL;
	memcpy(s, "\xef\xbb\xbf", 3);
	n = 3;
	for (i = 0; i < 60000; i++) {
		if (i == 30000) {
			n += (size_t)sprintf(s + n, "big,\"");
			for (k = 0; k < (3u << 20); k++) {
				char ch = k % 1000 == 999 ? '\n' : (k % 500 == 0 ? '"' : 'x');
				s[n++] = ch;
				if (ch == '"')
					s[n++] = '"';
			}
			n += (size_t)sprintf(s + n, "\"\n");
			continue;
		}
		n += (size_t)sprintf(s + n, "IMO%07zu,\"name \"\"%zu\"\"\nline2\",%zu%s", i, i, i * 7,
		    i % 3 ? "\r\n" : "\n");
	}
	*len = n;
	return s;
}

/* The reader on a pipe (fed by cat(1) from a temporary file, so the read
 * sizes are the kernel's) yields exactly what it yields on the same bytes
 * in memory, across buffer refills and growth. */
static void test_csv_pipe_streams_like_memory(void)
{
	size_t len = 0;
	char *text = make_big_csv(&len), why[256], cmd[128];
	const char *path;
	sg_csv *mem, *pipe_csv;
	sg_csv_record a, b;
	uint64_t total, records = 0;
	int ra, rb, same = 1;
	FILE *feed;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	path = write_temp(text, len);
	CU_ASSERT_PTR_NOT_NULL_FATAL(path);
	snprintf(cmd, sizeof cmd, "cat '%s'", path);
	feed = popen(cmd, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(feed);
	mem = sg_csv_open_mem(text, len, "mem", ',', why, sizeof why);
	pipe_csv = sg_csv_open_fd(fileno(feed), "<pipe>", ',', why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mem);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pipe_csv);
	for (;;) {
		size_t i;
		ra = sg_csv_next(mem, &a);
		rb = sg_csv_next(pipe_csv, &b);
		if (ra != rb || ra != 1)
			break;
		records++;
		if (a.r_line != b.r_line || a.r_nfields != b.r_nfields) {
			same = 0;
			break;
		}
		for (i = 0; i < a.r_nfields; i++)
			if (a.r_fields[i].f_len != b.r_fields[i].f_len ||
			    memcmp(a.r_fields[i].f_ptr, b.r_fields[i].f_ptr, a.r_fields[i].f_len) != 0)
				same = 0;
		if (records == 1)
			CU_ASSERT(a.r_fields[0].f_len == 10 && memcmp(a.r_fields[0].f_ptr, "IMO0000000", 10) == 0);
		if (records == 30001) {
			CU_ASSERT(a.r_nfields == 2 && a.r_fields[1].f_len == (3u << 20));
			CU_ASSERT_EQUAL(a.r_line, 60001);
		}
		if (records == 60000) {
			CU_ASSERT(a.r_nfields == 3 && a.r_fields[1].f_len == 18);
			CU_ASSERT(memcmp(a.r_fields[1].f_ptr, "name \"59999\"\nline2", 18) == 0);
			CU_ASSERT_EQUAL(a.r_line, 2 * 59999 + 1 + 3144);
		}
	}
	CU_ASSERT(same);
	CU_ASSERT_EQUAL(ra, 0);
	CU_ASSERT_EQUAL(rb, 0);
	CU_ASSERT_EQUAL(records, 60000);
	sg_csv_progress(pipe_csv, NULL, &total);
	CU_ASSERT_EQUAL(total, 0);
	sg_csv_close(mem);
	sg_csv_close(pipe_csv);
	pclose(feed);
	unlink(path);
	free(text);
}

static void test_csv_pipe_unterminated_quote(void)
{
	const char *text = "a,b\n\"x\ny\n";
	char why[128];
	sg_csv *c;
	sg_csv_record r;
	int fds[2];

	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	CU_ASSERT_EQUAL_FATAL(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
	close(fds[1]);
	c = sg_csv_open_fd(fds[0], "<stdin>", ',', why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	EXPECT(c, 1, "a", "b");
	CU_ASSERT_EQUAL(sg_csv_next(c, &r), -1);
	CU_ASSERT_STRING_EQUAL(sg_csv_error(c), "<stdin>:2: unterminated quoted field (field 1 of the record)");
	sg_csv_close(c);
	close(fds[0]);
}

/* ---------------------------------------------------------------- headers */

/* Parses the one-line header text; returns 0 or -1 with why filled. */
static int header(const char *text, sg_csv_col **cols, size_t *n, char *why, size_t wn)
{
	sg_csv *c = sg_csv_open_mem(text, strlen(text), "h.csv", ',', why, wn);
	sg_csv_record r;
	int rc = -1;

	if (c && sg_csv_next(c, &r) == 1)
		rc = sg_csv_header_parse(&r, cols, n, why, wn);
	sg_csv_close(c);
	return rc;
}

static void test_header_node_columns(void)
{
	sg_csv_col *cols;
	size_t n;
	char why[256];

	CU_ASSERT_EQUAL_FATAL(header("key:ID(Vessel),name,:LABEL,tonnage:int,aliases:string[],"
	    "x:IGNORE,:IGNORE,built:Date", &cols, &n, why, sizeof why), 0);
	CU_ASSERT_EQUAL_FATAL(n, 8);
	CU_ASSERT_EQUAL(cols[0].c_kind, SG_COL_ID);
	CU_ASSERT_STRING_EQUAL(cols[0].c_name, "key");
	CU_ASSERT_STRING_EQUAL(cols[0].c_space, "Vessel");
	CU_ASSERT_EQUAL(cols[0].c_type, SG_CT_STRING);
	CU_ASSERT_EQUAL(cols[1].c_kind, SG_COL_PROPERTY);
	CU_ASSERT_EQUAL(cols[1].c_type, SG_CT_STRING);
	CU_ASSERT_STRING_EQUAL(cols[1].c_name, "name");
	CU_ASSERT_PTR_NULL(cols[1].c_space);
	CU_ASSERT_EQUAL(cols[2].c_kind, SG_COL_LABEL);
	CU_ASSERT_STRING_EQUAL(cols[2].c_name, "");
	CU_ASSERT(cols[3].c_kind == SG_COL_PROPERTY && cols[3].c_type == SG_CT_INT && !cols[3].c_array);
	CU_ASSERT_STRING_EQUAL(cols[3].c_name, "tonnage");
	CU_ASSERT_STRING_EQUAL(cols[3].c_header, "tonnage:int");
	CU_ASSERT(cols[4].c_type == SG_CT_STRING && cols[4].c_array && cols[4].c_array_delim == ';');
	CU_ASSERT_STRING_EQUAL(cols[4].c_name, "aliases");
	CU_ASSERT_EQUAL(cols[5].c_kind, SG_COL_IGNORE);
	CU_ASSERT_EQUAL(cols[6].c_kind, SG_COL_IGNORE);
	CU_ASSERT_EQUAL(cols[7].c_type, SG_CT_DATE);
	sg_csv_cols_free(cols, n);

	CU_ASSERT_EQUAL_FATAL(header(":ID", &cols, &n, why, sizeof why), 0);
	CU_ASSERT(n == 1 && cols[0].c_kind == SG_COL_ID && cols[0].c_name[0] == 0 && !cols[0].c_space);
	sg_csv_cols_free(cols, n);
	CU_ASSERT_EQUAL_FATAL(header("name:id", &cols, &n, why, sizeof why), 0);
	CU_ASSERT(cols[0].c_kind == SG_COL_ID && !cols[0].c_space);
	CU_ASSERT_STRING_EQUAL(cols[0].c_name, "name");
	sg_csv_cols_free(cols, n);
	CU_ASSERT_EQUAL_FATAL(header(":ID(Port),:label", &cols, &n, why, sizeof why), 0);
	CU_ASSERT(cols[0].c_kind == SG_COL_ID && cols[1].c_kind == SG_COL_LABEL);
	CU_ASSERT_STRING_EQUAL(cols[0].c_space, "Port");
	sg_csv_cols_free(cols, n);
}

static void test_header_relationship_columns(void)
{
	sg_csv_col *cols;
	size_t n;
	char why[256];

	CU_ASSERT_EQUAL_FATAL(header(":START_ID(Vessel),:END_ID(Port),start:date,end:date,:TYPE",
	    &cols, &n, why, sizeof why), 0);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_EQUAL(cols[0].c_kind, SG_COL_START_ID);
	CU_ASSERT_STRING_EQUAL(cols[0].c_space, "Vessel");
	CU_ASSERT_EQUAL(cols[1].c_kind, SG_COL_END_ID);
	CU_ASSERT_STRING_EQUAL(cols[1].c_space, "Port");
	CU_ASSERT(cols[2].c_type == SG_CT_DATE && cols[3].c_type == SG_CT_DATE);
	CU_ASSERT_STRING_EQUAL(cols[3].c_name, "end");
	CU_ASSERT_EQUAL(cols[4].c_kind, SG_COL_TYPE);
	sg_csv_cols_free(cols, n);

	CU_ASSERT_EQUAL_FATAL(header(":START_ID,:END_ID,:type", &cols, &n, why, sizeof why), 0);
	CU_ASSERT(cols[0].c_kind == SG_COL_START_ID && !cols[0].c_space);
	CU_ASSERT(cols[1].c_kind == SG_COL_END_ID && !cols[1].c_space);
	CU_ASSERT(cols[2].c_kind == SG_COL_TYPE);
	sg_csv_cols_free(cols, n);
}

static void test_header_types_case_insensitive(void)
{
	static const sg_csv_type want[] = {
		SG_CT_INT, SG_CT_LONG, SG_CT_SHORT, SG_CT_BYTE, SG_CT_FLOAT, SG_CT_DOUBLE,
		SG_CT_BOOLEAN, SG_CT_DATE, SG_CT_DATETIME, SG_CT_LOCALDATETIME, SG_CT_DURATION,
		SG_CT_STRING, SG_CT_INT, SG_CT_DATE, SG_CT_BOOLEAN,
	};
	sg_csv_col *cols;
	size_t n, i;
	char why[256];

	CU_ASSERT_EQUAL_FATAL(header("a:INT,b:Long,c:short,d:byte,e:float,f:DOUBLE,g:boolean,"
	    "h:date,i:DateTime,j:localdatetime,k:duration,l:String,m:int[],n:DATE[],o:Boolean[]",
	    &cols, &n, why, sizeof why), 0);
	CU_ASSERT_EQUAL_FATAL(n, sizeof want / sizeof want[0]);
	for (i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(cols[i].c_kind, SG_COL_PROPERTY);
		CU_ASSERT_EQUAL(cols[i].c_type, want[i]);
		CU_ASSERT_EQUAL(cols[i].c_array, i >= 12);
	}
	CU_ASSERT_STRING_EQUAL(sg_csv_type_name(cols[9].c_type), "localdatetime");
	sg_csv_cols_free(cols, n);
}

static void header_bad(const char *text, const char *msg)
{
	sg_csv_col *cols = NULL;
	size_t n = 0;
	char why[256] = "";

	CU_ASSERT_EQUAL(header(text, &cols, &n, why, sizeof why), -1);
	if (!strstr(why, msg))
		fprintf(stderr, "\n  header <%s>: \"%s\", expected \"%s\"\n", text, why, msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, msg));
}

static void test_header_errors(void)
{
	header_bad("key:ID,tonnage:integer", "unknown type \"integer\" in header column 2 \"tonnage:integer\"");
	header_bad("a:point", "unknown type \"point\"");
	header_bad("name:string(Vessel)", "id space only allowed on :ID, :START_ID and :END_ID");
	header_bad(":LABEL(X)", "id space only allowed");
	header_bad(":int", "property column without a name in header column 1");
	header_bad("name,x,name", "duplicate column name \"name\" in header (columns 1 and 3)");
	header_bad("name:ID,name:string", "duplicate column name \"name\"");
	header_bad(":ID,:ID(Vessel)", "more than one :ID column");
	header_bad(":START_ID,:END_ID,:TYPE,:TYPE", "more than one :TYPE column");
	header_bad("a,,b", "empty column name in header column 2");
	header_bad("a:", "missing type after ':'");
	header_bad(":ID()", "empty id space");
	header_bad(":ID(Vessel", "unbalanced '('");
	header_bad("name:string{x:1}", "unsupported column options");
}

/* ---------------------------------------------------------------- values */

static sg_csv_col col_of(const char *spec)
{
	sg_csv_col *cols, c;
	size_t n;
	char why[256];

	memset(&c, 0, sizeof c);
	if (header(spec, &cols, &n, why, sizeof why) != 0) {
		CU_FAIL("bad header in test");
		return c;
	}
	c = cols[0];
	free(cols);     /* the strings now belong to c */
	return c;
}

static void col_free(sg_csv_col *c)
{
	free(c->c_name);
	free(c->c_space);
	free(c->c_header);
}

/* Converts an unquoted field; returns the status. */
static int conv(const sg_csv_col *col, const char *s, gr_value *out, char *why, size_t n)
{
	sg_csv_field f = { s, strlen(s), 0 };
	return sg_csv_field_value(col, &f, out, why, n);
}

static void conv_bad(const sg_csv_col *col, const char *s, const char *msg)
{
	gr_value v = gr_null();
	char why[256] = "";

	CU_ASSERT_EQUAL(conv(col, s, &v, why, sizeof why), -1);
	if (!strstr(why, msg))
		fprintf(stderr, "\n  value <%s>: \"%s\", expected \"%s\"\n", s, why, msg);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, msg));
	CU_ASSERT_EQUAL(v.type, GR_NULL);
}

static void test_value_integers(void)
{
	sg_csv_col c = col_of("tonnage:int"), s = col_of("x:short"), b = col_of("x:byte"),
	    l = col_of("x:LONG");
	char why[256];
	gr_value v;

	CU_ASSERT_EQUAL(conv(&c, "4496", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == 4496);
	CU_ASSERT_EQUAL(conv(&c, " -12 ", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == -12);
	CU_ASSERT_EQUAL(conv(&c, "+7", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == 7);
	CU_ASSERT_EQUAL(conv(&l, "9007199254740993", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == INT64_C(9007199254740993));
	CU_ASSERT_EQUAL(conv(&l, "-9223372036854775808", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == INT64_MIN);
	CU_ASSERT_EQUAL(conv(&c, "9223372036854775807", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == INT64_MAX);
	CU_ASSERT_EQUAL(conv(&c, "", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_NULL);
	CU_ASSERT_EQUAL(conv(&b, "-128", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_INT && v.u.i == -128);
	CU_ASSERT_EQUAL(conv(&s, "32767", &v, why, sizeof why), 0);

	conv_bad(&c, "12x", "invalid int value \"12x\" for tonnage:int");
	conv_bad(&c, "1.0", "invalid int value \"1.0\"");
	conv_bad(&c, "-", "invalid int value");
	conv_bad(&c, "1 2", "invalid int value");
	conv_bad(&c, "9223372036854775808", "out of range int value \"9223372036854775808\" for tonnage:int");
	conv_bad(&l, "-9223372036854775809", "out of range");
	conv_bad(&s, "32768", "out of range short value \"32768\" for x:short");
	conv_bad(&b, "-129", "out of range byte value");
	col_free(&c);
	col_free(&s);
	col_free(&b);
	col_free(&l);
}

static void test_value_floats_and_booleans(void)
{
	sg_csv_col f = col_of("lat:float"), d = col_of("x:double"), b = col_of("sanctioned:boolean");
	char why[256];
	gr_value v;

	CU_ASSERT_EQUAL(conv(&f, "64.05", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 64.05);
	CU_ASSERT_EQUAL(conv(&f, "-22", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == -22.0);
	CU_ASSERT_EQUAL(conv(&d, "1e3", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 1000.0);
	CU_ASSERT_EQUAL(conv(&d, ".5", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && v.u.f == 0.5);
	CU_ASSERT_EQUAL(conv(&d, "NaN", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && isnan(v.u.f));
	CU_ASSERT_EQUAL(conv(&d, "-Infinity", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_FLOAT && isinf(v.u.f) && v.u.f < 0);
	conv_bad(&f, "abc", "invalid float value \"abc\" for lat:float");
	conv_bad(&f, "0x10", "invalid float value");
	conv_bad(&f, "1e", "invalid float value");
	conv_bad(&f, ".", "invalid float value");
	conv_bad(&d, "1e400", "out of range double value");

	CU_ASSERT_EQUAL(conv(&b, "true", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_BOOL && v.u.b == 1);
	CU_ASSERT_EQUAL(conv(&b, "FALSE", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_BOOL && v.u.b == 0);
	conv_bad(&b, "yes", "invalid (expected true or false) boolean value \"yes\" for sanctioned:boolean");
	conv_bad(&b, "1", "boolean value \"1\"");
	col_free(&f);
	col_free(&d);
	col_free(&b);
}

static void test_value_temporals(void)
{
	sg_csv_col d = col_of("start:date"), t = col_of("seen:datetime"),
	    l = col_of("x:localdatetime"), u = col_of("x:duration");
	char why[256];
	gr_value v;

	CU_ASSERT_EQUAL(conv(&d, "2024-04-14", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DATE && v.u.date == gr_days_from_civil(2024, 4, 14));
	conv_bad(&d, "2024-02-30", "invalid date value \"2024-02-30\" for start:date");
	conv_bad(&d, "14/04/2024", "invalid date value");

	CU_ASSERT_EQUAL(conv(&t, "2024-04-14T10:30:00+03:00", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DATETIME && v.u.dt.dt_offset == 180);
	CU_ASSERT_EQUAL(conv(&t, "2024-04-14T10:30:00", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DATETIME && v.u.dt.dt_offset == 0);      /* UTC by default */
	conv_bad(&t, "2024-04-14 10:30", "invalid datetime value");

	CU_ASSERT_EQUAL(conv(&l, "2024-04-14T10:30:00", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DATETIME && v.u.dt.dt_offset == GR_TZ_NONE);
	conv_bad(&l, "2024-04-14T10:30:00Z", "time zone in localdatetime value");

	CU_ASSERT_EQUAL(conv(&u, "P30D", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_DURATION && v.u.du.du_days == 30 && v.u.du.du_months == 0);
	conv_bad(&u, "30 days", "invalid duration value");
	col_free(&d);
	col_free(&t);
	col_free(&l);
	col_free(&u);
}

static void test_value_strings_stay_strings(void)
{
	sg_csv_col s = col_of("name");
	sg_csv_field quoted_empty = { "", 0, 1 };
	char why[256];
	gr_value v;

	CU_ASSERT_EQUAL(conv(&s, "2024-04-14", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_STRING);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, "2024-04-14");
	gr_value_free(&v);
	CU_ASSERT_EQUAL(conv(&s, " LADY R ", &v, why, sizeof why), 0);
	CU_ASSERT_STRING_EQUAL(v.u.s.ptr, " LADY R ");  /* strings are not trimmed */
	gr_value_free(&v);
	CU_ASSERT_EQUAL(conv(&s, "", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_NULL);                /* empty: no property */
	CU_ASSERT_EQUAL(sg_csv_field_value(&s, &quoted_empty, &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_STRING && v.u.s.len == 0);       /* "": the empty string */
	gr_value_free(&v);
	col_free(&s);
}

static void test_value_arrays(void)
{
	sg_csv_col a = col_of("aliases:string[]"), i = col_of("tags:int[]"), d = col_of("x:date[]");
	sg_csv_field quoted_empty = { "", 0, 1 };
	char why[256];
	gr_value v;

	CU_ASSERT_EQUAL_FATAL(conv(&a, "LADY R;SPARTA IV;;X", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL_FATAL(v.type, GR_LIST);
	CU_ASSERT_EQUAL_FATAL(v.u.list.n, 4);
	CU_ASSERT_STRING_EQUAL(v.u.list.items[1].u.s.ptr, "SPARTA IV");
	CU_ASSERT_EQUAL(v.u.list.items[2].u.s.len, 0);
	gr_value_free(&v);

	CU_ASSERT_EQUAL_FATAL(conv(&i, "1;-2;3", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 3 && v.u.list.items[1].u.i == -2);
	gr_value_free(&v);
	CU_ASSERT_EQUAL_FATAL(conv(&d, "2024-01-01;2024-02-29", &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 2 && v.u.list.items[1].type == GR_DATE);
	gr_value_free(&v);

	conv_bad(&i, "1;x;3", "invalid int value \"x\" in element 2 of tags:int[]");
	conv_bad(&i, "1;;3", "empty element 2 in tags:int[]");
	conv_bad(&d, "2024-01-01;2024-02-30", "invalid date value \"2024-02-30\" in element 2");

	CU_ASSERT_EQUAL(conv(&i, "", &v, why, sizeof why), 0);
	CU_ASSERT_EQUAL(v.type, GR_NULL);
	CU_ASSERT_EQUAL(sg_csv_field_value(&a, &quoted_empty, &v, why, sizeof why), 0);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 0);
	gr_value_free(&v);
	col_free(&a);
	col_free(&i);
	col_free(&d);
}

static void test_labels_split_on_semicolons(void)
{
	sg_csv_field f = { " Vessel ;;Sanctioned;", 21, 0 }, e = { "", 0, 0 };
	const char *pos = f.f_ptr, *part;
	size_t len;
	gr_value v;

	CU_ASSERT_EQUAL(sg_csv_split_next(&pos, f.f_ptr + f.f_len, ';', &part, &len), 1);
	CU_ASSERT(len == 6 && memcmp(part, "Vessel", 6) == 0);
	CU_ASSERT_EQUAL(sg_csv_split_next(&pos, f.f_ptr + f.f_len, ';', &part, &len), 1);
	CU_ASSERT(len == 10 && memcmp(part, "Sanctioned", 10) == 0);
	CU_ASSERT_EQUAL(sg_csv_split_next(&pos, f.f_ptr + f.f_len, ';', &part, &len), 0);

	CU_ASSERT_EQUAL_FATAL(sg_csv_labels(&f, ';', &v), 0);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 2);
	CU_ASSERT_STRING_EQUAL(v.u.list.items[0].u.s.ptr, "Vessel");
	CU_ASSERT_STRING_EQUAL(v.u.list.items[1].u.s.ptr, "Sanctioned");
	gr_value_free(&v);
	CU_ASSERT_EQUAL_FATAL(sg_csv_labels(&e, ';', &v), 0);
	CU_ASSERT(v.type == GR_LIST && v.u.list.n == 0);
	gr_value_free(&v);
}

/* ================================================================ suite */

int test_readers_register(void)
{
	static const unit_test tests[] = {
		{ "json literals", test_json_literals },
		{ "json integers are exact", test_json_integers_are_exact },
		{ "json integers out of range rejected", test_json_integers_out_of_range_rejected },
		{ "json floats", test_json_floats },
		{ "json number syntax errors", test_json_number_syntax_errors },
		{ "json string escapes", test_json_string_escapes },
		{ "json string errors", test_json_string_errors },
		{ "json objects keep key order", test_json_objects_keep_key_order },
		{ "json structure errors", test_json_structure_errors },
		{ "json error columns count characters", test_json_error_columns_count_characters },
		{ "json depth limit", test_json_depth_limit },
		{ "json duplicate keys in large objects", test_json_duplicate_keys_in_large_objects },
		{ "json bom and length", test_json_bom_and_length },
		{ "csv quoting", test_csv_quoting },
		{ "csv embedded newlines keep line numbers", test_csv_embedded_newlines_keep_line_numbers },
		{ "csv crlf", test_csv_crlf },
		{ "csv bom skipped", test_csv_bom_skipped },
		{ "csv missing final newline", test_csv_missing_final_newline },
		{ "csv empty lines skipped", test_csv_empty_lines_skipped },
		{ "csv unterminated quote reports line", test_csv_unterminated_quote_reports_line },
		{ "csv stray quotes", test_csv_stray_quotes },
		{ "csv delimiters", test_csv_delimiters },
		{ "csv file is mapped and reports progress", test_csv_file_is_mapped_and_reports_progress },
		{ "csv pipe streams like memory", test_csv_pipe_streams_like_memory },
		{ "csv pipe unterminated quote", test_csv_pipe_unterminated_quote },
		{ "header node columns", test_header_node_columns },
		{ "header relationship columns", test_header_relationship_columns },
		{ "header types case-insensitive", test_header_types_case_insensitive },
		{ "header errors", test_header_errors },
		{ "value integers", test_value_integers },
		{ "value floats and booleans", test_value_floats_and_booleans },
		{ "value temporals", test_value_temporals },
		{ "value strings stay strings", test_value_strings_stay_strings },
		{ "value arrays", test_value_arrays },
		{ "labels split on semicolons", test_labels_split_on_semicolons },
	};
	return unit_suite("readers", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
