/*
 * test_parser.c: CUnit tests of the openCypher front end (graph/cypher):
 * the shape of the tree for every construct, through the S-expression
 * printer; error kinds and positions; what the semantic checks reject and
 * how they annotate the tree; the limits that keep hostile input harmless.
 *
 * Entry point: test_parser_register() adds the suites to the registry.
 */
#include "fixture.h"
#include "graph/cypher/parse.h"
#include "graph/cypher/arena.h"

#include <CUnit/Basic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* The S-expression of q after cy_parse (slots shown when flags say so), or
 * "ERROR Kind line:col message".  Returns a static buffer. */
static const char *
sx_flags(const char *q, unsigned flags, int check)
{
	static char out[8192];
	cy_script *sc;
	cy_error err;
	int rc = check ? cy_parse(q, strlen(q), &sc, &err)
	    : cy_parse_only(q, strlen(q), &sc, &err);
	if (rc != CY_OK) {
		snprintf(out, sizeof out, "ERROR %s %u:%u %s", cy_errkind_name(err.kind),
		    err.line, err.column, err.message);
		return out;
	}
	char *s = cy_script_sexpr(sc, flags);
	snprintf(out, sizeof out, "%s", s ? s : "(null)");
	size_t n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	free(s);
	cy_script_free(sc);
	return out;
}

static const char *
sx(const char *q)
{
	return sx_flags(q, 0, 1);
}

/* The S-expression of the first RETURN item's expression of q. */
static const char *
ex(const char *q)
{
	static char out[4096];
	char buf[4096];
	snprintf(buf, sizeof buf, "RETURN %s", q);
	cy_script *sc;
	cy_error err;
	if (cy_parse(buf, strlen(buf), &sc, &err) != CY_OK) {
		snprintf(out, sizeof out, "ERROR %s %u:%u %s", cy_errkind_name(err.kind),
		    err.line, err.column, err.message);
		return out;
	}
	const cy_clause *c = sc->sc_stmts[0]->st_parts[0]->q_clauses[0];
	char *s = cy_expr_sexpr(c->u.proj.pr_items[0].pi_expr, 0);
	snprintf(out, sizeof out, "%s", s ? s : "(null)");
	free(s);
	cy_script_free(sc);
	return out;
}

/* The TCK error kind of q, or "OK". */
static const char *
kind(const char *q)
{
	cy_script *sc;
	cy_error err;
	if (cy_parse(q, strlen(q), &sc, &err) != CY_OK)
		return cy_errkind_name(err.kind);
	cy_script_free(sc);
	return "OK";
}

#define EQ(got, want) CU_ASSERT_STRING_EQUAL((got), (want))

/* ---- literals ---- */

static void
test_integer_literals(void)
{
	EQ(ex("42"), "42");
	EQ(ex("0"), "0");
	EQ(ex("-7"), "-7");
	EQ(ex("0x1F"), "31");
	EQ(ex("0xff"), "255");
	EQ(ex("-0x10"), "-16");
	EQ(ex("0o17"), "15");
	EQ(ex("017"), "15");
	EQ(ex("9223372036854775807"), "9223372036854775807");
	EQ(ex("-9223372036854775808"), "-9223372036854775808");
	EQ(ex("0x7FFFFFFFFFFFFFFF"), "9223372036854775807");
	EQ(ex("-0x8000000000000000"), "-9223372036854775808");
	EQ(ex("-0o1000000000000000000000"), "-9223372036854775808");
	EQ(kind("RETURN 9223372036854775808"), "IntegerOverflow");
	EQ(kind("RETURN -9223372036854775809"), "IntegerOverflow");
	EQ(kind("RETURN 0x8000000000000000"), "IntegerOverflow");
	EQ(kind("RETURN 99999999999999999999999"), "IntegerOverflow");
	/* Only a literal directly negated gets the extra value. */
	EQ(kind("RETURN -(9223372036854775808)"), "IntegerOverflow");
	EQ(kind("RETURN 0x"), "InvalidNumberLiteral");
	EQ(kind("RETURN 0x1A2b3j4D"), "InvalidNumberLiteral");
	EQ(kind("RETURN 12abc"), "InvalidNumberLiteral");
	EQ(kind("RETURN 09"), "InvalidNumberLiteral");
	/* Negation of a literal binds tighter than ^, as openCypher says. */
	EQ(ex("-3 ^ 2"), "(^ -3 2)");
	EQ(ex("- 3"), "-3");
	EQ(ex("-x.y"), "ERROR UndefinedVariable 1:9 variable `x` not defined");
	EQ(sx_flags("RETURN -[1][0]", 0, 0), "(query (return (item (neg ([] (list 1) 0)) \"-[1][0]\")))");
}

static void
test_float_literals(void)
{
	EQ(ex("1.5"), "1.5");
	EQ(ex(".5"), "0.5");
	EQ(ex("1e3"), "1000.0");
	EQ(ex("1E-3"), "0.001");
	EQ(ex(".1e9"), "100000000.0");
	EQ(ex("-2.5"), "-2.5");
	EQ(ex("3.0"), "3.0");
	EQ(kind("RETURN 1.34E999"), "FloatingPointOverflow");
	/* 1..3 is a range, not a float */
	EQ(ex("[1,2,3][1..3]"), "([..] (list 1 2 3) 1 3)");
}

static void
test_string_literals(void)
{
	EQ(ex("'abc'"), "\"abc\"");
	EQ(ex("\"abc\""), "\"abc\"");
	EQ(ex("'it\\'s'"), "\"it's\"");
	EQ(ex("\"say \\\"hi\\\"\""), "\"say \\\"hi\\\"\"");
	EQ(ex("'a\\\\b'"), "\"a\\\\b\"");
	EQ(ex("'\\n\\t\\r'"), "\"\\n\\t\\r\"");
	EQ(ex("'\\b\\f'"), "\"\\u0008\\u000c\"");
	EQ(ex("'\\u00e9'"), "\"\xc3\xa9\"");
	EQ(ex("'\\U0001F600'"), "\"\xf0\x9f\x98\x80\"");
	EQ(ex("'\\uD83D\\uDE00'"), "\"\xf0\x9f\x98\x80\"");
	EQ(ex("'caf\xc3\xa9'"), "\"caf\xc3\xa9\"");
	EQ(ex("'a;b'"), "\"a;b\"");
	EQ(kind("RETURN '\\uH'"), "InvalidUnicodeLiteral");
	EQ(kind("RETURN '\\uD800'"), "InvalidUnicodeLiteral");
	EQ(kind("RETURN '\\q'"), "UnexpectedSyntax");
	EQ(kind("RETURN 'abc"), "UnexpectedSyntax");
	EQ(kind("RETURN 'a\xff'"), "InvalidUnicodeCharacter");
	/* \u0000 is kept: strings carry their length */
	cy_script *h;
	cy_expr *e;
	cy_error err;
	CU_ASSERT_EQUAL(cy_parse_expression("'a\\u0000b'", 10, &h, &e, &err), CY_OK);
	if (e) {
		CU_ASSERT_EQUAL(e->e_kind, CY_E_STRING);
		CU_ASSERT_EQUAL(e->u.s.len, 3);
		CU_ASSERT(memcmp(e->u.s.ptr, "a\0b", 3) == 0);
	}
	cy_script_free(h);
}

static void
test_keyword_literals_and_names(void)
{
	EQ(ex("TRUE"), "true");
	EQ(ex("false"), "false");
	EQ(ex("NuLL"), "null");
	EQ(ex("$name"), "$name");
	EQ(ex("$0"), "$0");
	EQ(ex("$`odd name`"), "$`odd name`");
	EQ(sx("WITH 1 AS `end` RETURN `end`"),
	    "(query (with (item 1 \"end\")) (return (item end \"end\")))");
	EQ(sx("WITH 1 AS `a``b` RETURN `a``b`"),
	    "(query (with (item 1 \"a`b\")) (return (item `a``b` \"a`b\")))");
	EQ(sx("match (n) return n"), "(query (match (path (node n))) (return (item n \"n\")))");
	EQ(ex("{`key with space`: 1, end: 2, `true`: 3}"),
	    "(map (`key with space` 1) (end 2) (true 3))");
	EQ(kind("RETURN {1: 2}"), "UnexpectedSyntax");
	EQ(kind("RETURN {k1.k: 1}"), "UnexpectedSyntax");
	EQ(kind("RETURN {, }"), "UnexpectedSyntax");
	EQ(kind("RETURN [, ]"), "UnexpectedSyntax");
	EQ(kind("RETURN [[[]]"), "UnexpectedSyntax");
}

/* ---- expressions ---- */

static void
test_precedence(void)
{
	EQ(ex("1 + 2 * 3"), "(+ 1 (* 2 3))");
	EQ(ex("(1 + 2) * 3"), "(* (+ 1 2) 3)");
	EQ(ex("2 ^ 3 ^ 2"), "(^ (^ 2 3) 2)");
	EQ(ex("4 * 2 ^ 3"), "(* 4 (^ 2 3))");
	EQ(ex("10 - 2 - 3"), "(- (- 10 2) 3)");
	EQ(ex("7 % 3 / 2"), "(/ (% 7 3) 2)");
	EQ(ex("true OR false XOR true AND false"), "(or true (xor false (and true false)))");
	EQ(ex("NOT true = false"), "(not (= true false))");
	EQ(ex("NOT NOT true"), "(not (not true))");
	EQ(ex("[1]+2 IN [3]+4"), "(in (+ (list 1) 2) (+ (list 3) 4))");
	EQ(ex("[1, 2] = [3, 4] IN [[3, 4], false]"),
	    "(= (list 1 2) (in (list 3 4) (list (list 3 4) false)))");
	EQ(ex("1 + 2 IS NULL"), "(is-null (+ 1 2))");
	EQ(ex("null IS NOT NULL = false"), "(= (is-not-null null) false)");
	EQ(ex("'ab' STARTS WITH 'a' AND 'ab' ENDS WITH 'b'"),
	    "(and (starts-with \"ab\" \"a\") (ends-with \"ab\" \"b\"))");
	EQ(ex("'ab' CONTAINS 'a' + 'b'"), "(contains \"ab\" (+ \"a\" \"b\"))");
	EQ(ex("'ab' =~ 'a.*'"), "(=~ \"ab\" \"a.*\")");
	EQ(ex("1 <> 2"), "(<> 1 2)");
	EQ(ex("1 <= 2"), "(<= 1 2)");
	EQ(ex("+1"), "(pos 1)");
	EQ(ex("- -1"), "(neg -1)");
	EQ(ex("-(1)"), "(neg 1)");
}

static void
test_comparison_chains(void)
{
	EQ(ex("1 < 2 < 3"), "(and (< 1 2) (< 2 3))");
	EQ(ex("1 < 2 <= 3 > 0"), "(and (and (< 1 2) (<= 2 3)) (> 3 0))");
	EQ(ex("1 = 1 <> 2"), "(and (= 1 1) (<> 1 2))");
}

static void
test_postfix(void)
{
	EQ(sx("MATCH (a) RETURN a.b.c, a['x'], a:A:B, a.b:C"),
	    "(query (match (path (node a))) (return (item (. (. a b) c) \"a.b.c\") "
	    "(item ([] a \"x\") \"a['x']\") (item (: a A B) \"a:A:B\") "
	    "(item (: (. a b) C) \"a.b:C\")))");
	EQ(ex("[1,2,3][0]"), "([] (list 1 2 3) 0)");
	EQ(ex("[1,2,3][1..]"), "([..] (list 1 2 3) 1 _)");
	EQ(ex("[1,2,3][..2]"), "([..] (list 1 2 3) _ 2)");
	EQ(ex("[1,2,3][..]"), "([..] (list 1 2 3) _ _)");
	EQ(ex("[[1]][0][0]"), "([] ([] (list (list 1)) 0) 0)");
	EQ(ex("{a: {b: 1}}.a.b"), "(. (. (map (a (map (b 1)))) a) b)");
}

static void
test_function_calls(void)
{
	EQ(ex("toUpper('a')"), "(call toUpper \"a\")");
	EQ(ex("coalesce(null, 1, 2)"), "(call coalesce null 1 2)");
	EQ(ex("rand()"), "(call rand)");
	EQ(ex("duration.between(date('2024-01-01'), date())"),
	    "(call duration.between (call date \"2024-01-01\") (call date))");
	EQ(ex("count(*)"), "(call count *)");
	EQ(sx("MATCH (n) RETURN count(DISTINCT n.x), COUNT(n)"),
	    "(query (match (path (node n))) (return (item (call count distinct (. n x)) "
	    "\"count(DISTINCT n.x)\") (item (call COUNT n) \"COUNT(n)\")))");
	EQ(kind("RETURN foo(1)"), "UnknownFunction");
	EQ(kind("RETURN range(1)"), "InvalidNumberOfArguments");
	EQ(kind("RETURN toUpper(DISTINCT 'a')"), "UnexpectedSyntax");
	CU_ASSERT_PTR_NOT_NULL(cy_func_lookup("TOLOWER"));
	CU_ASSERT_PTR_NOT_NULL(cy_func_lookup("Duration.Between"));
	CU_ASSERT_PTR_NULL(cy_func_lookup("nosuch"));
	const cy_func *f = cy_func_lookup("collect");
	CU_ASSERT(f && f->fn_agg && f->fn_id == CY_F_COLLECT);
	f = cy_func_lookup("sources");
	CU_ASSERT(f && !f->fn_agg && f->fn_id == CY_F_SOURCES);
}

static void
test_case_expressions(void)
{
	EQ(ex("CASE WHEN true THEN 1 ELSE 2 END"), "(case (when true 1) (else 2))");
	EQ(ex("CASE 1 WHEN 1 THEN 'a' WHEN 2 THEN 'b' END"),
	    "(case 1 (when 1 \"a\") (when 2 \"b\"))");
	EQ(kind("RETURN CASE END"), "UnexpectedSyntax");
	EQ(kind("RETURN CASE WHEN true THEN 1"), "UnexpectedSyntax");
}

static void
test_comprehensions(void)
{
	EQ(ex("[x IN [1,2] WHERE x > 1 | x * 2]"),
	    "(listcomp x (list 1 2) (where (> x 1)) (project (* x 2)))");
	EQ(ex("[x IN [1,2] | x]"), "(listcomp x (list 1 2) (project x))");
	EQ(ex("[x IN [1,2] WHERE x > 1]"), "(listcomp x (list 1 2) (where (> x 1)))");
	EQ(ex("[x IN [1,2]]"), "(listcomp x (list 1 2))");
	/* with a comma at its level it is a list of a predicate and more */
	EQ(sx("WITH 1 AS x RETURN [x IN [1], 2]"),
	    "(query (with (item 1 \"x\")) (return (item (list (in x (list 1)) 2) \"[x IN [1], 2]\")))");
	EQ(ex("all(x IN [1] WHERE x > 0)"), "(all x (list 1) (where (> x 0)))");
	EQ(ex("ANY(x IN [1] WHERE x > 0)"), "(any x (list 1) (where (> x 0)))");
	EQ(ex("none(x IN [1] WHERE x > 0)"), "(none x (list 1) (where (> x 0)))");
	EQ(ex("single(x IN [1] WHERE x > 0)"), "(single x (list 1) (where (> x 0)))");
	EQ(ex("reduce(s = 0, x IN [1, 2] | s + x)"),
	    "(reduce s 0 x (list 1 2) (+ s x))");
	/* comprehension variables are local */
	EQ(kind("RETURN [x IN [1] | x] AS l, x"), "UndefinedVariable");
	EQ(kind("RETURN [x IN [1] | count(x)]"), "InvalidAggregation");
	EQ(kind("RETURN [x IN 1 | x]"), "InvalidArgumentType");
}

static void
test_pattern_expressions(void)
{
	EQ(sx("MATCH (a) WHERE (a)-[:T]->() RETURN a"),
	    "(query (match (path (node a)) (where (pattern (path (node a) (rel :T ->) (node))))) "
	    "(return (item a \"a\")))");
	EQ(sx("MATCH (a) WHERE exists((a)<--(:B)) RETURN a"),
	    "(query (match (path (node a)) (where (call exists (pattern (path (node a) "
	    "(rel <-) (node :B)))))) (return (item a \"a\")))");
	EQ(sx("MATCH (a) RETURN [(a)-->(b:B) WHERE b.x > 1 | b.name] AS names"),
	    "(query (match (path (node a))) (return (item (patcomp (path (node a) (rel ->) "
	    "(node b :B)) (where (> (. b x) 1)) (project (. b name))) \"names\")))");
	EQ(sx("MATCH (a) RETURN [p = (a)-->() | p] AS ps"),
	    "(query (match (path (node a))) (return (item (patcomp (path p (node a) (rel ->) "
	    "(node)) (project p)) \"ps\")))");
	/* a parenthesized label test is not a pattern */
	EQ(sx("MATCH (n) WHERE (n:A) RETURN n"),
	    "(query (match (path (node n)) (where (: n A))) (return (item n \"n\")))");
	/* (a) - (b) is arithmetic */
	EQ(sx("WITH 1 AS a, 2 AS b RETURN (a) - (b) AS d"),
	    "(query (with (item 1 \"a\") (item 2 \"b\")) (return (item (- a b) \"d\")))");
	EQ(kind("MATCH (a) WHERE (a)-->(b) RETURN a"), "UndefinedVariable");
	EQ(sx("MATCH (a), (b) RETURN shortestPath((a)-[*]-(b)) AS p"),
	    "(query (match (path (node a)) (path (node b))) (return (item (pattern (path "
	    "shortest (node a) (rel -- *1..) (node b))) \"p\")))");
}

/* ---- patterns and clauses ---- */

static void
test_patterns(void)
{
	EQ(sx("MATCH (a:A:B {x: 1, y: 'z'})-[r:T {w: 2}]->(b) RETURN a"),
	    "(query (match (path (node a :A:B (map (x 1) (y \"z\"))) (rel r :T -> (map (w 2))) "
	    "(node b))) (return (item a \"a\")))");
	EQ(sx("MATCH (a)<-[:T1|T2|:T3]-(b)-[]-(c)--(d)<--(e)-->(f)<-->(g) RETURN a"),
	    "(query (match (path (node a) (rel :T1|T2|T3 <-) (node b) (rel --) (node c) "
	    "(rel --) (node d) (rel <-) (node e) (rel ->) (node f) (rel --) (node g))) "
	    "(return (item a \"a\")))");
	EQ(sx("MATCH ()-[*]->(), ()-[*2]->(), ()-[*1..4]->(), ()-[*..3]->(), ()-[*2..]->(), "
	    "()-[r:T*0..1]->() RETURN r"),
	    "(query (match (path (node) (rel -> *1..) (node)) (path (node) (rel -> *2..2) (node)) "
	    "(path (node) (rel -> *1..4) (node)) (path (node) (rel -> *1..3) (node)) "
	    "(path (node) (rel -> *2..) (node)) (path (node) (rel r :T -> *0..1) (node))) "
	    "(return (item r \"r\")))");
	EQ(sx("MATCH p = (a)-->(b), q = allShortestPaths((a)-[*]-(b)) RETURN p, q"),
	    "(query (match (path p (node a) (rel ->) (node b)) (path q all-shortest (node a) "
	    "(rel -- *1..) (node b))) (return (item p \"p\") (item q \"q\")))");
	EQ(sx("MATCH ((a)-->(b)) RETURN a"),
	    "(query (match (path (node a) (rel ->) (node b))) (return (item a \"a\")))");
	EQ(kind("MATCH (a)-[:T..]->(b) RETURN a"), "InvalidRelationshipPattern");
	EQ(kind("MATCH (a)-[:T*-2]->(b) RETURN a"), "InvalidRelationshipPattern");
	EQ(kind("MATCH (a)-[:T*1.5]->(b) RETURN a"), "InvalidRelationshipPattern");
	EQ(kind("MATCH (a)-[:T]->(b RETURN a"), "UnexpectedSyntax");
	EQ(kind("MATCH (n $param) RETURN n"), "InvalidParameterUse");
	EQ(sx("CREATE (n $props)"), "(query (create (path (node n $props))))");
}

static void
test_clauses(void)
{
	EQ(sx("OPTIONAL MATCH (a) WHERE a.x = 1 RETURN a"),
	    "(query (optional-match (path (node a)) (where (= (. a x) 1))) (return (item a \"a\")))");
	EQ(sx("UNWIND [1, 2] AS x RETURN x"),
	    "(query (unwind (list 1 2) x) (return (item x \"x\")))");
	EQ(sx("MATCH (a) WITH DISTINCT a, a.x AS x ORDER BY x DESC, a.y ASCENDING SKIP 1 "
	    "LIMIT 2 WHERE x > 0 RETURN *"),
	    "(query (match (path (node a))) (with distinct (item a \"a\") (item (. a x) \"x\") "
	    "(order (desc x) (asc (. a y))) (skip 1) (limit 2) (where (> x 0))) (return *))");
	EQ(sx("CREATE (a:A {k: 1})-[:T]->(b), (c)"),
	    "(query (create (path (node a :A (map (k 1))) (rel :T ->) (node b)) (path (node c))))");
	EQ(sx("MERGE (a:A {k: 1}) ON CREATE SET a.c = 1 ON MATCH SET a.m = 2 ON CREATE SET a:New"),
	    "(query (merge (path (node a :A (map (k 1)))) (on-create (set-prop (. a c) 1) "
	    "(set-labels a :New)) (on-match (set-prop (. a m) 2))))");
	EQ(sx("MATCH (n) SET n.x = 1, n = {y: 2}, n += {z: 3}, n:L1:L2"),
	    "(query (match (path (node n))) (set (set-prop (. n x) 1) (set-all n (map (y 2))) "
	    "(set-merge n (map (z 3))) (set-labels n :L1:L2)))");
	EQ(sx("MATCH (n) REMOVE n.x, n:L"),
	    "(query (match (path (node n))) (remove (remove-prop (. n x)) (remove-labels n :L)))");
	EQ(sx("MATCH (n)-[r]-() DELETE r, n"),
	    "(query (match (path (node n) (rel r --) (node))) (delete r n))");
	EQ(sx("MATCH (n) DETACH DELETE n"), "(query (match (path (node n))) (detach-delete n))");
	EQ(sx("RETURN 1 AS a UNION RETURN 2 AS a"),
	    "(union (query (return (item 1 \"a\"))) (query (return (item 2 \"a\"))))");
	EQ(sx("RETURN 1 AS a UNION ALL RETURN 2 AS a"),
	    "(union-all (query (return (item 1 \"a\"))) (query (return (item 2 \"a\"))))");
	EQ(sx("EXPLAIN RETURN 1"), "(explain (query (return (item 1 \"1\"))))");
	EQ(sx("profile RETURN 1"), "(profile (query (return (item 1 \"1\"))))");
	EQ(kind("CALL db.nope()"), "UnknownFunction");
	EQ(kind("CALL db.labels(1)"), "InvalidNumberOfArguments");
	EQ(kind("MATCH (n) CALL db.labels() RETURN n"), "UnexpectedSyntax");
	EQ(kind("FOO (n)"), "UnexpectedSyntax");
	EQ(kind("RETURN 1 AS a UNION RETURN 2 AS a UNION ALL RETURN 3 AS a"),
	    "InvalidClauseComposition");
}

static void
test_column_names(void)
{
	cy_script *sc;
	cy_error err;
	const char *q = "MATCH (n)\nRETURN n.name,  count( * ) ,\n  n.x +\n 1, n.y AS `why`, (n.z)";
	CU_ASSERT_EQUAL_FATAL(cy_parse(q, strlen(q), &sc, &err), CY_OK);
	const cy_stmt *st = sc->sc_stmts[0];
	CU_ASSERT_EQUAL_FATAL(st->st_ncolumns, 5);
	EQ(st->st_columns[0], "n.name");
	EQ(st->st_columns[1], "count( * )");
	EQ(st->st_columns[2], "n.x +\n 1");
	EQ(st->st_columns[3], "why");
	EQ(st->st_columns[4], "(n.z)");
	cy_script_free(sc);
	/* RETURN * lists the variables in name order */
	q = "MATCH (b)-[a]->(c) WITH * RETURN *, 1 AS one";
	CU_ASSERT_EQUAL_FATAL(cy_parse(q, strlen(q), &sc, &err), CY_OK);
	st = sc->sc_stmts[0];
	CU_ASSERT_EQUAL_FATAL(st->st_ncolumns, 4);
	EQ(st->st_columns[0], "a");
	EQ(st->st_columns[1], "b");
	EQ(st->st_columns[2], "c");
	EQ(st->st_columns[3], "one");
	cy_script_free(sc);
}

static void
test_script_splitting(void)
{
	cy_script *sc;
	cy_error err;
	const char *q = "RETURN 'a;b' AS x; // c;d\n RETURN 2 /* ; */ AS y;;\n;RETURN 3;";
	CU_ASSERT_EQUAL_FATAL(cy_parse(q, strlen(q), &sc, &err), CY_OK);
	CU_ASSERT_EQUAL_FATAL(sc->sc_n, 3);
	EQ(sc->sc_stmts[0]->st_text, "RETURN 'a;b' AS x");
	EQ(sc->sc_stmts[1]->st_text, "RETURN 2 /* ; */ AS y");
	EQ(sc->sc_stmts[2]->st_text, "RETURN 3");
	CU_ASSERT_EQUAL(sc->sc_stmts[1]->st_line, 2);
	CU_ASSERT_EQUAL(sc->sc_stmts[1]->st_col, 2);
	CU_ASSERT_EQUAL(sc->sc_stmts[2]->st_off, (size_t)(strstr(q, "RETURN 3") - q));
	CU_ASSERT_EQUAL(sc->sc_stmts[2]->st_len, 8);
	cy_script_free(sc);
	EQ(kind(""), "UnexpectedSyntax");
	EQ(kind(" ;; // nothing"), "UnexpectedSyntax");
	EQ(kind("RETURN 1 RETURN 2"), "InvalidClauseComposition");
	EQ(kind("RETURN 1 /* open"), "UnexpectedSyntax");
	/* the text need not be NUL-terminated */
	char buf[16];
	memcpy(buf, "RETURN 12345678", 16);
	CU_ASSERT_EQUAL(cy_parse(buf, 10, &sc, &err), CY_OK);
	if (sc) {
		EQ(sc->sc_stmts[0]->st_text, "RETURN 123");
		cy_script_free(sc);
	}
}

/* ---- errors ---- */

static void
test_error_positions(void)
{
	EQ(sx("RETURN (1 + )"), "ERROR UnexpectedSyntax 1:13 unexpected ')', expected an expression");
	EQ(sx("MATCH (n)\n  WHERE n.x = 1\n  RETURN m"),
	    "ERROR UndefinedVariable 3:10 variable `m` not defined");
	EQ(sx("RETURN 1 +"), "ERROR UnexpectedSyntax 1:11 unexpected end of input, expected an expression");
	/* columns count characters, not bytes */
	EQ(sx("RETURN '\xc3\xa9\xc3\xa9' + x"), "ERROR UndefinedVariable 1:15 variable `x` not defined");
	EQ(sx("RETURN 42 \xe2\x80\x94 41"),
	    "ERROR InvalidUnicodeCharacter 1:11 invalid character '\xe2\x80\x94' (U+2014)");
	EQ(sx("RETURN 1 != 2"), "ERROR UnexpectedSyntax 1:10 unexpected '!=', use '<>' for inequality");
	EQ(sx("RETURN 1 AS"), "ERROR UnexpectedSyntax 1:12 unexpected end of input, expected a name after AS");
	EQ(sx("MATCH (a) RETURN b.x\n"), "ERROR UndefinedVariable 1:18 variable `b` not defined");
}

static void
test_error_format(void)
{
	const char *q = "MATCH (n)\n\tWHERE n.x = \xc2\xa7\n RETURN (1 + )";
	cy_script *sc;
	cy_error err;
	char buf[256];
	CU_ASSERT_EQUAL(cy_parse(q, strlen(q), &sc, &err), CY_ESYNTAX);
	CU_ASSERT_PTR_NULL(sc);
	EQ(err.message, "invalid character '\xc2\xa7' (U+00A7)");
	int n = cy_error_format(&err, q, strlen(q), buf, sizeof buf);
	EQ(buf, "line 2, column 14: invalid character '\xc2\xa7' (U+00A7)\n"
	    "\tWHERE n.x = \xc2\xa7\n\t            ^");
	CU_ASSERT_EQUAL(n, (int)strlen(buf));
	q = "MATCH (n)\nRETURN (1 + )";
	CU_ASSERT_EQUAL(cy_parse(q, strlen(q), &sc, &err), CY_ESYNTAX);
	n = cy_error_format(&err, q, strlen(q), buf, sizeof buf);
	EQ(buf, "line 2, column 13: unexpected ')', expected an expression\n"
	    "RETURN (1 + )\n            ^");
	/* truncation, like snprintf */
	char small[10];
	int full = cy_error_format(&err, q, strlen(q), small, sizeof small);
	CU_ASSERT_EQUAL(full, n);
	EQ(small, "line 2, c");
	/* without the text only the first line */
	cy_error_format(&err, NULL, 0, buf, sizeof buf);
	EQ(buf, "line 2, column 13: unexpected ')', expected an expression");
	/* semantic errors have offsets too */
	q = "MATCH (n)\nRETURN foo(n)";
	CU_ASSERT_EQUAL(cy_parse(q, strlen(q), &sc, &err), CY_ESEMANTIC);
	CU_ASSERT_EQUAL(err.kind, CY_ERR_UNKNOWN_FUNCTION);
	cy_error_format(&err, q, strlen(q), buf, sizeof buf);
	EQ(buf, "line 2, column 8: unknown function 'foo'\nRETURN foo(n)\n       ^");
	EQ(cy_errkind_name(CY_ERR_VARIABLE_TYPE_CONFLICT), "VariableTypeConflict");
	EQ(cy_errkind_name(-5), "Unknown");
}

/* ---- semantic checks ---- */

static const struct {
	const char *query, *kind;
} rejects[] = {
	{ "MATCH () RETURN foo", "UndefinedVariable" },
	{ "MATCH (a) WITH a.x AS x RETURN a", "UndefinedVariable" },
	{ "WITH 1 AS a, 2 AS b WITH a WITH a ORDER BY b RETURN a", "UndefinedVariable" },
	{ "MATCH (a) RETURN DISTINCT a.name ORDER BY a.age", "UndefinedVariable" },
	{ "MATCH (a) SET a.name = missing RETURN a", "UndefinedVariable" },
	{ "MERGE (n) ON CREATE SET x.num = 1", "UndefinedVariable" },
	{ "MATCH (a) CREATE (a)-[:K]->(b {name: missing}) RETURN b", "UndefinedVariable" },
	{ "MATCH ()-[r]-() MATCH (r) RETURN r", "VariableTypeConflict" },
	{ "MATCH (r) MATCH ()-[r]-() RETURN r", "VariableTypeConflict" },
	{ "MATCH r = ()-[]-(), (r) RETURN r", "VariableTypeConflict" },
	{ "WITH 123 AS n MATCH (n) RETURN n", "VariableTypeConflict" },
	{ "MATCH (n) WITH [n] AS users MATCH (users)-->(m) RETURN m", "VariableTypeConflict" },
	{ "MATCH ()-[r*]-()-[]-(r) RETURN r", "VariableTypeConflict" },
	{ "MATCH (p)-[]-() MATCH p = ()-[]-() RETURN p", "VariableAlreadyBound" },
	{ "MATCH p = (p)-[]-() RETURN p", "VariableAlreadyBound" },
	{ "WITH 1 AS p MATCH p = ()-[]-() RETURN p", "VariableAlreadyBound" },
	{ "MATCH ()-[r]->() CREATE ()-[r]->()", "VariableAlreadyBound" },
	{ "MATCH (a) MERGE (a)", "VariableAlreadyBound" },
	{ "CREATE (a:Foo) MERGE (a)-[r:KNOWS]->(a:Bar)", "VariableAlreadyBound" },
	{ "MATCH (a)-[r]->(b) MERGE (a)-[r]->(b)", "VariableAlreadyBound" },
	{ "MATCH (a) CREATE (a:L)", "VariableAlreadyBound" },
	{ "UNWIND [1] AS x UNWIND [2] AS x RETURN x", "VariableAlreadyBound" },
	{ "MATCH (a)-[r]->()-[r]->(a) RETURN r", "RelationshipUniquenessViolation" },
	{ "MATCH (a) WHERE count(a) > 10 RETURN a", "InvalidAggregation" },
	{ "MATCH (n) RETURN n.num1 ORDER BY max(n.num2)", "InvalidAggregation" },
	{ "MATCH (n) WITH n, count(*) AS c WHERE count(*) > 1 RETURN n", "InvalidAggregation" },
	{ "MATCH (n {x: count(*)}) RETURN n", "InvalidAggregation" },
	{ "RETURN count(count(*))", "NestedAggregation" },
	{ "RETURN count(rand())", "NonConstantExpression" },
	{ "MATCH (me)--(you) RETURN me.age + count(you.age)", "AmbiguousAggregationExpression" },
	{ "MATCH (me)--(you) RETURN me.age + you.age, me.age + you.age + count(*)",
	  "AmbiguousAggregationExpression" },
	{ "MATCH (n) RETURN n SKIP n.count", "NonConstantExpression" },
	{ "MATCH (n) RETURN n LIMIT n.count", "NonConstantExpression" },
	{ "MATCH (n) RETURN n SKIP -1", "NegativeIntegerArgument" },
	{ "MATCH (n) RETURN n LIMIT -1", "NegativeIntegerArgument" },
	{ "MATCH (n) RETURN n SKIP 1.5", "InvalidArgumentType" },
	{ "MATCH (n) RETURN n LIMIT 'a'", "InvalidArgumentType" },
	{ "WITH 1 AS a, 2 AS a RETURN a", "ColumnNameConflict" },
	{ "RETURN 1 AS a, 2 AS a", "ColumnNameConflict" },
	{ "MATCH () RETURN *", "NoVariablesInScope" },
	{ "MATCH (a) WITH a, count(*) RETURN a", "NoExpressionAlias" },
	{ "CREATE ()-->()", "NoSingleRelationshipType" },
	{ "CREATE ()-[:A|:B]->()", "NoSingleRelationshipType" },
	{ "MATCH (a), (b) MERGE (a)-[NO_COLON]->(b)", "NoSingleRelationshipType" },
	{ "CREATE (a)-[:FOO]-(b)", "RequiresDirectedRelationship" },
	{ "CREATE (a)<-[:FOO]->(b)", "RequiresDirectedRelationship" },
	{ "CREATE ()-[:FOO*2]->()", "CreatingVarLength" },
	{ "MERGE (a) MERGE (b) MERGE (a)-[:FOO*2]->(b)", "CreatingVarLength" },
	{ "MERGE (n $param) RETURN n", "InvalidParameterUse" },
	{ "MATCH ()-[r:FOO $param]->() RETURN r", "InvalidParameterUse" },
	{ "MATCH (n) DELETE n:Person", "InvalidDelete" },
	{ "MATCH (n) DELETE 'x'", "InvalidArgumentType" },
	{ "RETURN 123 AND true", "InvalidArgumentType" },
	{ "RETURN NOT 'x'", "InvalidArgumentType" },
	{ "RETURN [] OR false", "InvalidArgumentType" },
	{ "WITH 123 AS x RETURN x.num", "InvalidArgumentType" },
	{ "MATCH p = (a) RETURN labels(p) AS l", "InvalidArgumentType" },
	{ "MATCH (r) RETURN type(r)", "InvalidArgumentType" },
	{ "MATCH (n) RETURN length(n)", "InvalidArgumentType" },
	{ "MATCH ()-[r]->() RETURN length(r)", "InvalidArgumentType" },
	{ "MATCH r = (n)-[*]->() WHERE r.name = 'apa' RETURN r", "InvalidArgumentType" },
	{ "WITH 1 AS x SET x.y = 2", "InvalidArgumentType" },
	{ "MATCH (n) SET n = 5", "InvalidArgumentType" },
	{ "RETURN foo(1)", "UnknownFunction" },
	{ "MATCH (a)", "InvalidClauseComposition" },
	{ "MATCH (a) WITH a", "InvalidClauseComposition" },
	{ "UNWIND [1] AS x", "InvalidClauseComposition" },
	{ "CREATE (a) MATCH (b) RETURN b", "InvalidClauseComposition" },
	{ "CREATE (a) RETURN a UNION CREATE (b)", "InvalidClauseComposition" },
	{ "RETURN 1 AS a UNION RETURN 2 AS b", "DifferentColumnsInUnion" },
	{ "RETURN 1 AS a, 2 AS b UNION RETURN 2 AS b, 1 AS a", "DifferentColumnsInUnion" },
};

static const char *const accepts[] = {
	"MATCH (a)-[r1]->(b) WITH a, r1 AS r2, b, count(*) AS c MATCH (a)-[r2]->(b) RETURN r2",
	"MATCH ()-[r1]->()-[r2]->() WITH [r1, r2] AS rs LIMIT 1 MATCH (f)-[rs*]->(s) RETURN f, s",
	"MATCH ()-[r:E]-() MATCH p = (n)-[*0..1]-()-[r]-()-[*0..1]-(m) RETURN count(p) AS c",
	"MATCH (me)--(you) WITH me.age AS age, you WITH age, age + count(you.age) AS agg RETURN *",
	"MATCH (me)--(you) RETURN me.age, me.age + count(you.age)",
	"MATCH (person) RETURN $age + avg(person.age) - 1000",
	"MATCH (a) RETURN a, count(a) + 3",
	"MATCH (a) RETURN size(collect(a))",
	"MATCH (a) RETURN a.name, {foo: a.name = 'x', kids: collect(a.name)}",
	"MATCH (a) WITH a.name2 AS name WHERE name = 'B' OR a.name2 = 'C' RETURN *",
	"MATCH (c) WITH c, 0 AS relevance RETURN c.rank AS rank ORDER BY relevance, c.rank",
	"MATCH (a) RETURN a.x AS x, count(*) AS c ORDER BY a.x, count(*) DESC, c",
	"MATCH (a) RETURN DISTINCT a.name ORDER BY a.name",
	"MATCH (n) RETURN n SKIP $s LIMIT toInteger(ceil(1.7))",
	"MATCH (n) RETURN n LIMIT size([x IN [1, 2] | x])",
	"MATCH (a) MATCH (a)-->(b) RETURN b",
	"MATCH (a) OPTIONAL MATCH (a)-->(b) RETURN a, b",
	"MATCH (a), (b) CREATE (a)-[:T]->(b), (a)-[:U]->(c) RETURN c",
	"CREATE (a), (b) WITH a, b CREATE (a)-[:T]->(b)",
	"MATCH (a) CREATE (a)-[:T]->(b) SET b.x = 1 REMOVE a.y DELETE a",
	"MATCH (n) WITH collect(n) AS ns UNWIND ns AS m MATCH (m)-->(x) RETURN x",
	"MATCH (a)-[r*]->() UNWIND r AS rel RETURN type(rel)",
	"MATCH p = (a)-[*]->() RETURN nodes(p), relationships(p), length(p)",
	"MATCH (n) WHERE n:A AND NOT (n)-->() RETURN n",
	"MERGE (a:A) MERGE (a)-[:T]-(b:B) RETURN b",
	"MATCH (n) WITH n ORDER BY n.x LIMIT 1 RETURN n",
	"RETURN 1 AS a UNION RETURN 2 AS a UNION RETURN 3 AS a",
	"MATCH (n) RETURN n.x AS x, count(*) AS c ORDER BY x",
	"UNWIND [1, 2] AS x RETURN x, count(*) ORDER BY x",
	"MATCH (a) WITH a.x AS x, collect(a) AS as_ UNWIND as_ AS a2 RETURN x, a2",
	"WITH [1, 2] AS l RETURN [x IN l | x + size(l)] AS m, reduce(s = 0, y IN l | s + y) AS t",
	"MATCH (n) RETURN [x IN collect(n) | x.name] AS names",
	"MATCH (n) RETURN count(*) AS c, n.x ORDER BY c",
	"MATCH (n) SET n:A REMOVE n:B RETURN n",
	"MATCH (a)-[r]->(b) DELETE r",
	"MATCH p = ()-->() DELETE p",
	"MATCH (n) WITH n WHERE n.x > 1 WITH n.x AS x RETURN x",
	"EXPLAIN MATCH (n:Vessel) WHERE n.key = $k RETURN n",
};

static void
test_sema_rejects(void)
{
	for (size_t i = 0; i < sizeof rejects / sizeof *rejects; i++) {
		const char *got = kind(rejects[i].query);
		if (strcmp(got, rejects[i].kind) != 0)
			fprintf(stderr, "\n  %s: got %s, want %s", rejects[i].query, got,
			    rejects[i].kind);
		CU_ASSERT_STRING_EQUAL(got, rejects[i].kind);
	}
}

static void
test_sema_accepts(void)
{
	for (size_t i = 0; i < sizeof accepts / sizeof *accepts; i++) {
		const char *got = sx(accepts[i]);
		if (got != NULL && strncmp(got, "ERROR", 5) == 0)
			fprintf(stderr, "\n  %s: %s", accepts[i], got);
		CU_ASSERT(strncmp(got, "ERROR", 5) != 0);
	}
}

static void
test_slots(void)
{
	EQ(sx_flags("MATCH (a)-[r]->(b) MATCH (a)-->(c) RETURN a, c", CY_SEXPR_SLOTS, 1),
	    "(query (match (path (node a@0) (rel r@1 ->) (node b@2))) "
	    "(match (path (node a@0!) (rel @3 ->) (node c@4))) "
	    "(return (item a@0 \"a\"@5) (item c@4 \"c\"@6)))");
	/* WITH starts a new scope: projected names get new slots */
	EQ(sx_flags("MATCH (a) WITH a AS b MATCH (b)-->(a) RETURN a", CY_SEXPR_SLOTS, 1),
	    "(query (match (path (node a@0))) (with (item a@0 \"b\"@1)) "
	    "(match (path (node b@1!) (rel @2 ->) (node a@3))) (return (item a@3 \"a\"@4)))");
	/* the same variable twice in one pattern: the second is not new */
	EQ(sx_flags("MATCH (a)-->(a) RETURN a", CY_SEXPR_SLOTS, 1),
	    "(query (match (path (node a@0) (rel @1 ->) (node a@0!))) (return (item a@0 \"a\"@2)))");
	EQ(sx_flags("WITH [1] AS l RETURN [x IN l | x] AS m", CY_SEXPR_SLOTS, 1),
	    "(query (with (item (list 1) \"l\"@0)) (return (item (listcomp x@1 l@0 "
	    "(project x@1)) \"m\"@2)))");
	cy_script *sc;
	cy_error err;
	const char *q = "MATCH (n)-[r]->() RETURN n.x AS k, n.x + count(*) AS v, sum(r.w) AS s";
	CU_ASSERT_EQUAL_FATAL(cy_parse(q, strlen(q), &sc, &err), CY_OK);
	const cy_query *qq = sc->sc_stmts[0]->st_parts[0];
	const cy_projection *pr = &qq->q_clauses[1]->u.proj;
	CU_ASSERT(pr->pr_aggregating);
	CU_ASSERT_EQUAL(pr->pr_naggs, 2);
	CU_ASSERT_EQUAL(pr->pr_items[0].pi_agg, 0);
	CU_ASSERT_EQUAL(pr->pr_items[1].pi_agg, 1);
	CU_ASSERT_EQUAL(pr->pr_items[2].pi_agg, 1);
	/* the grouping key inside the aggregating item reads the key's slot */
	const cy_expr *v = pr->pr_items[1].pi_expr;
	CU_ASSERT_EQUAL(v->e_kind, CY_E_BINARY);
	CU_ASSERT_EQUAL(v->u.bin.a->e_kind, CY_E_VAR);
	CU_ASSERT_EQUAL(v->u.bin.a->u.var.slot, pr->pr_items[0].pi_slot);
	CU_ASSERT_EQUAL(v->u.bin.b->e_kind, CY_E_CALL);
	CU_ASSERT_EQUAL(v->u.bin.b->u.call.fn->fn_id, CY_F_COUNT);
	CU_ASSERT(v->u.bin.b->u.call.agg_slot >= 0);
	CU_ASSERT_PTR_EQUAL(pr->pr_aggs[0], v->u.bin.b);
	CU_ASSERT_EQUAL(qq->q_nslots, 3 + 2 + 3);
	for (int i = 0; i < qq->q_nslots; i++)
		CU_ASSERT_PTR_NOT_NULL(qq->q_slot_names[i]);
	EQ(qq->q_slot_names[0], "n");
	CU_ASSERT_EQUAL(sc->sc_stmts[0]->st_updating, 0);
	cy_script_free(sc);
	q = "MATCH (n) SET n.x = 1";
	CU_ASSERT_EQUAL_FATAL(cy_parse(q, strlen(q), &sc, &err), CY_OK);
	CU_ASSERT_EQUAL(sc->sc_stmts[0]->st_updating, 1);
	CU_ASSERT_EQUAL(sc->sc_stmts[0]->st_ncolumns, 0);
	/* checking twice is harmless */
	CU_ASSERT_EQUAL(cy_check(sc, &err), CY_OK);
	cy_script_free(sc);
	/* parse only, then check */
	q = "WITH 1 AS a RETURN *";
	CU_ASSERT_EQUAL_FATAL(cy_parse_only(q, strlen(q), &sc, &err), CY_OK);
	CU_ASSERT_EQUAL(sc->sc_stmts[0]->st_ncolumns, 0);
	CU_ASSERT_EQUAL(cy_check(sc, &err), CY_OK);
	CU_ASSERT_EQUAL(sc->sc_stmts[0]->st_ncolumns, 1);
	cy_script_free(sc);
	q = "RETURN x";
	CU_ASSERT_EQUAL_FATAL(cy_parse_only(q, strlen(q), &sc, &err), CY_OK);
	CU_ASSERT_EQUAL(cy_check(sc, &err), CY_ESEMANTIC);
	CU_ASSERT_EQUAL(err.code, CY_ESEMANTIC);
	cy_script_free(sc);
}

/* ---- limits and odd input ---- */

static void
append(char *s, size_t *at, const char *part)
{
	size_t n = strlen(part);
	memcpy(s + *at, part, n);
	*at += n;
	s[*at] = '\0';
}

/* head unit*n mid unit2*n tail, malloc'd. */
static char *
repeat(const char *head, const char *unit, int n, const char *mid, const char *unit2,
    const char *tail)
{
	size_t len = strlen(head) + (strlen(unit) + strlen(unit2)) * (size_t)n
	    + strlen(mid) + strlen(tail) + 1, at = 0;
	char *s = malloc(len);
	if (s == NULL)
		abort();
	append(s, &at, head);
	for (int i = 0; i < n; i++)
		append(s, &at, unit);
	append(s, &at, mid);
	for (int i = 0; i < n; i++)
		append(s, &at, unit2);
	append(s, &at, tail);
	return s;
}

static void
test_depth_limits(void)
{
	char *q = repeat("RETURN ", "(", 100000, "1", ")", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN ", "[", 100000, "", "]", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN ", "{a:", 100000, "1", "}", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN 1", "+1", 100000, "", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN ", "NOT ", 100000, "true", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN ", "-", 100000, "1", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("WITH {a: 1} AS m RETURN m", ".a", 100000, "", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	q = repeat("RETURN 1", " < 1", 5000, "", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	/* ((a)) is a parenthesized pattern: nested without recursion */
	q = repeat("MATCH ", "((", 50000, "a", "))", " RETURN a");
	EQ(kind(q), "OK");
	free(q);
	/* chains copy their middle operand: nested chains must not explode */
	char *chain = strdup("1");
	for (int d = 0; d < 40 && chain; d++) {
		char *next = malloc(strlen(chain) + 32);
		if (next)
			sprintf(next, "1 < (%s) < 1", chain);
		free(chain);
		chain = next;
	}
	q = repeat("RETURN ", "", 0, chain ? chain : "1", "", "");
	EQ(kind(q), "TooDeeplyNested");
	free(q);
	free(chain);
	/* moderate nesting is fine */
	q = repeat("RETURN ", "(", 50, "1", ")", "");
	EQ(kind(q), "OK");
	free(q);
	q = repeat("RETURN 1", "+1", 300, "", "", "");
	EQ(kind(q), "OK");
	free(q);
	/* a long flat list and a long pattern are not deep */
	q = repeat("RETURN [1", ",1", 100000, "]", "", "");
	EQ(kind(q), "OK");
	free(q);
	q = repeat("MATCH (a)", "-->()", 10000, "", "", " RETURN a");
	EQ(kind(q), "OK");
	free(q);
}

static void
test_parse_expression(void)
{
	static const struct {
		const char *text;
		int literal;
	} cases[] = {
		{ "42", 1 }, { "-42", 1 }, { "'text'", 1 }, { "true", 1 }, { "null", 1 },
		{ "[1, 'a', [true]]", 1 }, { "{a: 1, b: [2]}", 1 }, { "1.5e3", 1 },
		{ "$p", 0 }, { "x", 0 }, { "1 + 2", 0 }, { "[1, x]", 0 }, { "date('2024-01-01')", 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		cy_script *h;
		cy_expr *e;
		cy_error err;
		int rc = cy_parse_expression(cases[i].text, strlen(cases[i].text), &h, &e, &err);
		CU_ASSERT_EQUAL(rc, CY_OK);
		if (rc == CY_OK)
			CU_ASSERT_EQUAL(cy_expr_is_literal(e), cases[i].literal);
		cy_script_free(h);
	}
	cy_script *h;
	cy_expr *e;
	cy_error err;
	/* IMO9161003 is not an expression of its own: a --param string */
	CU_ASSERT_EQUAL(cy_parse_expression("IMO9161003 x", 12, &h, &e, &err), CY_ESYNTAX);
	CU_ASSERT_PTR_NULL(h);
	CU_ASSERT_EQUAL(cy_parse_expression("9161003abc", 10, &h, &e, &err), CY_ESYNTAX);
	CU_ASSERT_EQUAL(cy_parse_expression("1 +", 3, &h, &e, &err), CY_ESYNTAX);
	CU_ASSERT_EQUAL(cy_parse_expression("", 0, &h, &e, &err), CY_ESYNTAX);
}

static void
test_whitespace_and_comments(void)
{
	EQ(sx("MATCH\t(n)\r\n//comment\nRETURN /* x */ n // end"),
	    "(query (match (path (node n))) (return (item n \"n\")))");
	/* Unicode spaces separate tokens */
	EQ(sx("RETURN\xc2\xa0" "1\xe2\x80\x83" "AS\xe3\x80\x80x"),
	    "(query (return (item 1 \"x\")))");
	EQ(sx("RETURN 1 AS caf\xc3\xa9"), "(query (return (item 1 \"caf\xc3\xa9\")))");
	EQ(kind("RETURN 1 # x"), "UnexpectedSyntax");
	EQ(kind("RETURN \x01"), "UnexpectedSyntax");
}

/* The statement splitter that query, scripts and the shell share. */
static void
test_cy_split(void)
{
	cy_piece *p;
	size_t n;
	int open;
	const char *t = "RETURN ';' AS a; /* ; */ ;\n// ;\nRETURN `x;` AS b;  ";
	CU_ASSERT_EQUAL(cy_split(t, strlen(t), &p, &n, &open), CY_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(open, CY_SPLIT_CLOSED);
	if (n == 2) {
		CU_ASSERT_EQUAL(strncmp(t + p[0].off, "RETURN ';' AS a", p[0].len), 0);
		CU_ASSERT_EQUAL(strncmp(t + p[1].off, "\n// ;\nRETURN `x;` AS b", p[1].len), 0);
	}
	free(p);
	t = "RETURN 1; RETURN 'ab";
	CU_ASSERT_EQUAL(cy_split(t, strlen(t), &p, &n, &open), CY_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(open, CY_SPLIT_OPEN_STRING);
	free(p);
	t = "  /* only a comment, never closed";
	CU_ASSERT_EQUAL(cy_split(t, strlen(t), &p, &n, &open), CY_OK);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(open, CY_SPLIT_OPEN_COMMENT);
	free(p);
	CU_ASSERT_EQUAL(cy_split(" ; // x\n", 8, &p, &n, &open), CY_OK);
	CU_ASSERT_EQUAL(n, 0);
	free(p);
	/* what the shell waits for */
	CU_ASSERT_TRUE(cy_script_complete("RETURN 1;", 9));
	CU_ASSERT_TRUE(cy_script_complete("RETURN 1; // done", 17));
	CU_ASSERT_FALSE(cy_script_complete("RETURN 1", 8));
	CU_ASSERT_FALSE(cy_script_complete("RETURN ';", 9));
	CU_ASSERT_FALSE(cy_script_complete("RETURN 1 /* ; */", 16));
	CU_ASSERT_FALSE(cy_script_complete(";", 1));
}

/* The arena (graph/cypher/arena.c): zeroed, aligned allocations across
 * many blocks; a big one resized in place and given back without taking
 * the small ones around it; sizes that would wrap refused. */
static void
test_arena(void)
{
	cy_arena a = { 0 };
	unsigned char *small[300], *big, *big2;
	for (int i = 0; i < 300; i++) {
		size_t n = 1 + (size_t)(i * 37) % 900;
		small[i] = cy_arena_alloc(&a, n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(small[i]);
		CU_ASSERT(((uintptr_t)small[i] & 15) == 0);
		CU_ASSERT(small[i][0] == 0 && small[i][n - 1] == 0);
		memset(small[i], i & 0xff, n);
	}
	big = cy_arena_alloc(&a, 5000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(big);
	memset(big, 7, 5000);
	big2 = cy_arena_grow(&a, big, 5000, 20000, 1);   /* resized in place */
	CU_ASSERT_PTR_NOT_NULL_FATAL(big2);
	CU_ASSERT(big2[0] == 7 && big2[4999] == 7 && big2[5000] == 0 && big2[19999] == 0);
	cy_arena_release(&a, big2);
	cy_arena_release(&a, small[5]);                  /* not a block of its own: kept */
	for (int i = 0; i < 300; i++) {
		size_t n = 1 + (size_t)(i * 37) % 900;
		CU_ASSERT(small[i][0] == (i & 0xff) && small[i][n - 1] == (i & 0xff));
	}
	CU_ASSERT_PTR_NULL(cy_arena_alloc(&a, SIZE_MAX - 3));
	CU_ASSERT_PTR_NULL(cy_arena_grow(&a, NULL, 0, SIZE_MAX / 2, 4));
	CU_ASSERT_PTR_NULL(cy_arena_strndup(&a, "x", SIZE_MAX));
	cy_arena_clear(&a);
	CU_ASSERT_PTR_NULL(a.head);
	CU_ASSERT_PTR_NOT_NULL(cy_arena_alloc(&a, 16));   /* usable again */
	cy_arena_clear(&a);
}

int
test_parser_register(void)
{
	static const unit_test tests[] = {
		{ "the arena", test_arena },
		{ "integer literals and int64 edges", test_integer_literals },
		{ "float literals", test_float_literals },
		{ "string literals and escapes", test_string_literals },
		{ "keyword literals and names", test_keyword_literals_and_names },
		{ "operator precedence", test_precedence },
		{ "comparison chains", test_comparison_chains },
		{ "property, index, slice and label access", test_postfix },
		{ "function calls", test_function_calls },
		{ "CASE", test_case_expressions },
		{ "comprehensions and quantifiers", test_comprehensions },
		{ "pattern expressions", test_pattern_expressions },
		{ "patterns", test_patterns },
		{ "clauses", test_clauses },
		{ "column names", test_column_names },
		{ "script splitting", test_script_splitting },
		{ "the statement splitter", test_cy_split },
		{ "error positions", test_error_positions },
		{ "error formatting", test_error_format },
		{ "semantic checks reject", test_sema_rejects },
		{ "semantic checks accept", test_sema_accepts },
		{ "slots and aggregation annotations", test_slots },
		{ "depth limits", test_depth_limits },
		{ "standalone expressions", test_parse_expression },
		{ "white space and comments", test_whitespace_and_comments },
	};
	return unit_suite("cypher parser", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
