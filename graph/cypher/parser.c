/*
 * parser.c: recursive-descent parser for openCypher, precedence climbing
 * for expressions, building the tree of ast.h in the script's arena.
 *
 * Grammar (openCypher 9, the subset sanctgraph runs):
 *   script    := stmt (';' stmt)* [';']
 *   stmt      := [EXPLAIN | PROFILE] query (UNION [ALL] query)*
 *   query     := clause+
 *   expr      := or;  or := xor (OR xor)*;  xor := and (XOR and)*;
 *   and       := not (AND not)*;  not := NOT not | comparison
 *   comparison:= predicate ((= | <> | < | > | <= | >= | =~) predicate)*
 *   predicate := additive (IN additive | STARTS WITH additive | ENDS WITH
 *                additive | CONTAINS additive | IS [NOT] NULL)*
 *   additive  := mult ((+|-) mult)*;  mult := power ((*|/|%) power)*
 *   power     := unary (^ unary)*    (left-associative, as openCypher 9)
 *   unary     := (-|+) unary | postfix
 *   postfix   := atom ('.' key | '[' index-or-slice ']')* (':' Label)*
 *
 * Whether "(" starts a pattern or a parenthesized expression, and "[" a
 * comprehension or a list, is decided by looking at the paired brackets the
 * lexer found, so nothing is ever parsed twice.
 *
 * Patterns, (a)-[r]->(b), are parsed in pattern.c; parser_int.h holds what
 * the two files share.
 *
 * Errors: the first one wins; functions return NULL (or -1) after setting
 * it, and callers pass that on.
 */
#define CY_INTERNAL
#include "parser_int.h"
#include "ascii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Comparison chains copy their middle operands; nested chains could make
 * that exponential, so the copies have a budget. */
#define MAX_COPIED 20000

/* Words that cannot be used as variable names without backquotes. */
static const char *const reserved[] = {
	"AND", "AS", "ASC", "ASCENDING", "BY", "CALL", "CASE", "CONTAINS",
	"CREATE", "DELETE", "DESC", "DESCENDING", "DETACH", "DISTINCT", "ELSE",
	"END", "ENDS", "FALSE", "IN", "IS", "LIMIT", "MATCH", "MERGE", "NOT",
	"NULL", "ON", "OPTIONAL", "OR", "ORDER", "REMOVE", "RETURN", "SET",
	"SKIP", "STARTS", "THEN", "TRUE", "UNION", "UNWIND", "WHEN", "WHERE",
	"WITH", "XOR", "YIELD",
};

static int
is_reserved(const cy_token *t)
{
	if (t->kind != CY_T_IDENT)
		return 0;
	for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++)
		if (cy_tok_is(t, reserved[k]))
			return 1;
	return 0;
}

/* How a token reads in an error message. */
static void
describe(const parser *p, const cy_token *t, char *buf, size_t n)
{
	switch (t->kind) {
	case CY_T_EOF:
		snprintf(buf, n, "end of input");
		break;
	case CY_T_STRING:
		snprintf(buf, n, "string literal");
		break;
	default: {
		int len = (int)(t->len > 40 ? 40 : t->len);
		snprintf(buf, n, "'%.*s'", len, p->text + t->off);
	}
	}
}

void *
cy_fail_at(parser *p, const cy_token *t, int kind, const char *fmt, ...)
{
	if (p->failed)
		return NULL;
	p->failed = 1;
	if (p->err) {
		char msg[sizeof p->err->message];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		cy_error_set(p->err, CY_ESYNTAX, kind, t->line, t->col, t->off,
		    "%s", msg);
	}
	return NULL;
}

/* "unexpected X, expected WHAT" at the current token. */
static void *
expected(parser *p, const char *what)
{
	char d[64];
	describe(p, peek(p), d, sizeof d);
	return cy_fail_at(p, peek(p), CY_ERR_UNEXPECTED_SYNTAX,
	    "unexpected %s, expected %s", d, what);
}

static void *
nomem(parser *p)
{
	if (!p->failed) {
		p->failed = 1;
		cy_error_set(p->err, CY_ENOMEM, CY_ERR_NO_MEMORY, 0, 0, 0,
		    "out of memory");
	}
	return NULL;
}

int
cy_expect(parser *p, int kind, const char *what)
{
	if (accept(p, kind))
		return 0;
	expected(p, what);
	return -1;
}

static int
expect_kw(parser *p, const char *kw, const char *what)
{
	if (accept_kw(p, kw))
		return 0;
	expected(p, what);
	return -1;
}

void *
cy_parser_alloc(parser *p, size_t n)
{
	void *m = cy_arena_alloc(p->a, n);
	return m ? m : nomem(p);
}

/* Appends item (of size elem) to the arena array *arr of *n items and
 * capacity *cap.  Returns 0 or -1. */
int
cy_parser_push(parser *p, void *arr, size_t *n, size_t *cap, const void *item, size_t elem)
{
	void **ap = arr;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 4;
		void *m = cy_arena_grow(p->a, *ap, *n, c, elem);
		if (m == NULL) {
			nomem(p);
			return -1;
		}
		*ap = m;
		*cap = c;
	}
	memcpy((char *)*ap + *n * elem, item, elem);
	(*n)++;
	return 0;
}

/* ---- expression nodes ---- */

cy_expr *
cy_new_expr(parser *p, int kind, const cy_token *at_tok)
{
	cy_expr *e = cy_parser_alloc(p, sizeof *e);
	if (e == NULL)
		return NULL;
	e->e_kind = (uint8_t)kind;
	e->e_height = 1;
	e->e_line = at_tok->line;
	e->e_col = at_tok->col;
	e->e_off = at_tok->off;
	e->e_len = at_tok->len;
	return e;
}

/* Extends e's source span from byte from to the end of the last token
 * consumed. */
static void
span(parser *p, cy_expr *e, uint32_t from)
{
	const cy_token *last = &p->t[p->i > 0 ? p->i - 1 : 0];
	uint32_t end = last->off + last->len;
	e->e_off = from;
	e->e_len = end > from ? end - from : 0;
}

static int
height_of(cy_expr **child, void *ctx)
{
	int *h = ctx;
	if ((*child)->e_height > *h)
		*h = (*child)->e_height;
	return 0;
}

/* Sets e's height from its children; an error when the tree gets too deep
 * (left-nested chains like 1+1+...+1 are built by loops, not recursion). */
static cy_expr *
done(parser *p, cy_expr *e)
{
	if (e == NULL)
		return NULL;
	int h = 0;
	cy_expr_children(e, height_of, &h);
	if (h + 1 > CY_MAX_DEPTH) {
		const cy_token t = { .line = e->e_line, .col = e->e_col, .off = e->e_off };
		return cy_fail_at(p, &t, CY_ERR_TOO_DEEP, "expression is nested too deeply");
	}
	e->e_height = (uint16_t)(h + 1);
	return e;
}

char *
cy_tok_name(parser *p, const cy_token *t)
{
	char *s = cy_arena_strndup(p->a, t->v.s.ptr, t->v.s.len);
	return s ? s : nomem(p);
}

/* A schema name (label, type, property key, map key): any identifier,
 * reserved words included, or a backquoted name. */
char *
cy_schema_name(parser *p, const char *what)
{
	cy_token *t = peek(p);
	if (t->kind != CY_T_IDENT && t->kind != CY_T_QIDENT)
		return expected(p, what);
	next(p);
	return cy_tok_name(p, t);
}

/* A variable being declared (pattern, AS, UNWIND, comprehension). */
static char *
var_name(parser *p, const char *what)
{
	cy_token *t = peek(p);
	if (t->kind == CY_T_QIDENT || (t->kind == CY_T_IDENT && !is_reserved(t))) {
		next(p);
		return cy_tok_name(p, t);
	}
	return expected(p, what);
}

static cy_expr *parse_expr(parser *p);

static cy_expr *
binary(parser *p, int op, const cy_token *optok, cy_expr *a, cy_expr *b)
{
	cy_expr *e = cy_new_expr(p, CY_E_BINARY, optok);
	if (e == NULL)
		return NULL;
	e->e_op = (uint8_t)op;
	e->u.bin.a = a;
	e->u.bin.b = b;
	span(p, e, a->e_off);
	return done(p, e);
}

static cy_expr *
unary(parser *p, int op, const cy_token *optok, cy_expr *a, uint32_t from)
{
	cy_expr *e = cy_new_expr(p, CY_E_UNARY, optok);
	if (e == NULL)
		return NULL;
	e->e_op = (uint8_t)op;
	e->u.bin.a = a;
	span(p, e, from);
	return done(p, e);
}

/* Is the "[" at k a list comprehension: [x IN list ...] with no comma at
 * its own level? */
static int
listcomp_at(parser *p, size_t k)
{
	const cy_token *t = p->t;
	if (t[k].match < 0 || !(t[k + 1].kind == CY_T_QIDENT
	    || (t[k + 1].kind == CY_T_IDENT && !is_reserved(&t[k + 1])))
	    || !cy_tok_is(&t[k + 2], "IN"))
		return 0;
	size_t end = (size_t)t[k].match;
	for (size_t j = k + 1; j < end; j++) {
		int kind = t[j].kind;
		if ((kind == CY_T_LPAREN || kind == CY_T_LBRACKET || kind == CY_T_LBRACE)
		    && t[j].match > (int32_t)j)
			j = (size_t)t[j].match;
		else if (kind == CY_T_COMMA)
			return 0;
	}
	return 1;
}

static cy_expr *
parse_int_literal(parser *p, const cy_token *t, int negate, const cy_token *at_tok)
{
	cy_expr *e = cy_new_expr(p, CY_E_INT, at_tok);
	if (e == NULL)
		return NULL;
	if (t->overflow || t->v.u > (uint64_t)INT64_MAX + (negate ? 1 : 0))
		return cy_fail_at(p, at_tok, CY_ERR_INTEGER_OVERFLOW,
		    "integer literal is too large");
	if (negate)
		e->u.i = t->v.u == (uint64_t)INT64_MAX + 1 ? INT64_MIN
		    : -(int64_t)t->v.u;
	else
		e->u.i = (int64_t)t->v.u;
	span(p, e, at_tok->off);
	return e;
}

/* expr (',' expr)* into (*items, *n), or nothing when the next token is
 * `close`: 0, or -1. */
static int
parse_exprs(parser *p, int close, cy_expr ***items, size_t *n)
{
	size_t cap = 0;
	if (at(p, close))
		return 0;
	do {
		cy_expr *x = parse_expr(p);
		if (x == NULL || cy_parser_push(p, items, n, &cap, &x, sizeof x) < 0)
			return -1;
	} while (accept(p, CY_T_COMMA));
	return 0;
}

/* count(*), f(args), f(DISTINCT x); the name has been read. */
static cy_expr *
parse_call(parser *p, const cy_token *start, char *name)
{
	cy_expr *e = cy_new_expr(p, CY_E_CALL, start);
	if (e == NULL)
		return NULL;
	e->u.call.name = name;
	if (cy_expect(p, CY_T_LPAREN, "'('") < 0)
		return NULL;
	if (at(p, CY_T_STAR) && cy_ascii_ieq0(name, "count")) {
		next(p);
		e->u.call.star = 1;
	} else {
		if (accept_kw(p, "DISTINCT"))
			e->u.call.distinct = 1;
		if (parse_exprs(p, CY_T_RPAREN, &e->u.call.args, &e->u.call.n) < 0)
			return NULL;
	}
	if (cy_expect(p, CY_T_RPAREN, "',' or ')'") < 0)
		return NULL;
	span(p, e, start->off);
	return done(p, e);
}

/* all/any/none/single(x IN list WHERE pred) and the comprehension head
 * "x IN list [WHERE pred]" shared with [x IN list WHERE p | e]. */
static int
parse_filter(parser *p, cy_expr *e)
{
	if ((e->u.comp.var = var_name(p, "a variable")) == NULL)
		return -1;
	if (expect_kw(p, "IN", "IN") < 0)
		return -1;
	if ((e->u.comp.src = parse_expr(p)) == NULL)
		return -1;
	if (accept_kw(p, "WHERE") && (e->u.comp.where = parse_expr(p)) == NULL)
		return -1;
	return 0;
}

static cy_expr *
parse_case(parser *p, const cy_token *start)
{
	cy_expr *e = cy_new_expr(p, CY_E_CASE, start);
	size_t cw = 0, ct = 0, nt = 0;
	if (e == NULL)
		return NULL;
	if (!at_kw(p, "WHEN") && (e->u.kase.subject = parse_expr(p)) == NULL)
		return NULL;
	if (!at_kw(p, "WHEN"))
		return expected(p, "WHEN");
	while (accept_kw(p, "WHEN")) {
		cy_expr *w = parse_expr(p), *th;
		if (w == NULL || expect_kw(p, "THEN", "THEN") < 0
		    || (th = parse_expr(p)) == NULL)
			return NULL;
		if (cy_parser_push(p, &e->u.kase.whens, &e->u.kase.n, &cw, &w, sizeof w) < 0
		    || cy_parser_push(p, &e->u.kase.thens, &nt, &ct, &th, sizeof th) < 0)
			return NULL;
	}
	if (accept_kw(p, "ELSE") && (e->u.kase.els = parse_expr(p)) == NULL)
		return NULL;
	if (expect_kw(p, "END", "WHEN, ELSE or END") < 0)
		return NULL;
	span(p, e, start->off);
	return done(p, e);
}

/* "[" starts: a pattern comprehension, a list comprehension or a list. */
static cy_expr *
parse_bracket(parser *p)
{
	const cy_token *start = peek(p);
	size_t k = p->i;
	cy_token *t1 = peekn(p, 1);
	if (cy_pattern_at(p, k + 1) || ((t1->kind == CY_T_IDENT || t1->kind == CY_T_QIDENT)
	    && peekn(p, 2)->kind == CY_T_EQ && cy_pattern_at(p, k + 3))) {
		cy_expr *e = cy_new_expr(p, CY_E_PATCOMP, start);
		if (e == NULL)
			return NULL;
		next(p);
		if ((e->u.pat.path = cy_parse_path(p, 1)) == NULL)
			return NULL;
		if (accept_kw(p, "WHERE") && (e->u.pat.where = parse_expr(p)) == NULL)
			return NULL;
		if (cy_expect(p, CY_T_PIPE, "WHERE or '|'") < 0
		    || (e->u.pat.proj = parse_expr(p)) == NULL
		    || cy_expect(p, CY_T_RBRACKET, "']'") < 0)
			return NULL;
		span(p, e, start->off);
		return done(p, e);
	}
	if (listcomp_at(p, k)) {
		cy_expr *e = cy_new_expr(p, CY_E_LISTCOMP, start);
		if (e == NULL)
			return NULL;
		next(p);
		if (parse_filter(p, e) < 0)
			return NULL;
		if (accept(p, CY_T_PIPE) && (e->u.comp.proj = parse_expr(p)) == NULL)
			return NULL;
		if (cy_expect(p, CY_T_RBRACKET, "WHERE, '|' or ']'") < 0)
			return NULL;
		span(p, e, start->off);
		return done(p, e);
	}
	cy_expr *e = cy_new_expr(p, CY_E_LIST, start);
	if (e == NULL)
		return NULL;
	next(p);
	if (parse_exprs(p, CY_T_RBRACKET, &e->u.list.items, &e->u.list.n) < 0)
		return NULL;
	if (cy_expect(p, CY_T_RBRACKET, "',' or ']'") < 0)
		return NULL;
	span(p, e, start->off);
	return done(p, e);
}

cy_expr *
cy_parse_map(parser *p)
{
	const cy_token *start = peek(p);
	cy_expr *e = cy_new_expr(p, CY_E_MAP, start);
	size_t ck = 0, cv = 0, nv = 0;
	if (e == NULL || cy_expect(p, CY_T_LBRACE, "'{'") < 0)
		return NULL;
	if (!at(p, CY_T_RBRACE)) {
		do {
			char *key = cy_schema_name(p, "a property key");
			cy_expr *v;
			if (key == NULL || cy_expect(p, CY_T_COLON, "':'") < 0
			    || (v = parse_expr(p)) == NULL)
				return NULL;
			if (cy_parser_push(p, &e->u.map.keys, &e->u.map.n, &ck, &key, sizeof key) < 0
			    || cy_parser_push(p, &e->u.map.vals, &nv, &cv, &v, sizeof v) < 0)
				return NULL;
		} while (accept(p, CY_T_COMMA));
	}
	if (cy_expect(p, CY_T_RBRACE, "',' or '}'") < 0)
		return NULL;
	span(p, e, start->off);
	return done(p, e);
}

static cy_expr *
parse_atom(parser *p)
{
	cy_token *t = peek(p);
	cy_expr *e;
	switch (t->kind) {
	case CY_T_INT:
		next(p);
		return parse_int_literal(p, t, 0, t);
	case CY_T_FLOAT:
		next(p);
		if ((e = cy_new_expr(p, CY_E_FLOAT, t)) != NULL)
			e->u.f = t->v.f;
		return e;
	case CY_T_STRING:
		next(p);
		if ((e = cy_new_expr(p, CY_E_STRING, t)) != NULL) {
			e->u.s.ptr = t->v.s.ptr;
			e->u.s.len = t->v.s.len;
		}
		return e;
	case CY_T_PARAM:
		next(p);
		if ((e = cy_new_expr(p, CY_E_PARAM, t)) != NULL)
			e->u.param.name = t->v.s.ptr;
		return e;
	case CY_T_LBRACE:
		return cy_parse_map(p);
	case CY_T_LBRACKET:
		return parse_bracket(p);
	case CY_T_LPAREN:
		if (cy_pattern_at(p, p->i)) {
			if ((e = cy_new_expr(p, CY_E_PATTERN, t)) == NULL
			    || (e->u.pat.path = cy_parse_path(p, 1)) == NULL)
				return NULL;
			span(p, e, t->off);
			return done(p, e);
		}
		next(p);
		if ((e = parse_expr(p)) == NULL || cy_expect(p, CY_T_RPAREN, "')'") < 0)
			return NULL;
		/* The parentheses belong to the expression's text and position. */
		e->e_line = t->line;
		e->e_col = t->col;
		span(p, e, t->off);
		return e;
	case CY_T_QIDENT:
		next(p);
		if ((e = cy_new_expr(p, CY_E_VAR, t)) != NULL) {
			e->u.var.name = t->v.s.ptr;
			e->u.var.slot = -1;
		}
		return e;
	case CY_T_IDENT:
		break;
	default:
		return expected(p, "an expression");
	}
	/* Identifiers: keywords, function calls, special forms, variables. */
	if (cy_tok_is(t, "TRUE") || cy_tok_is(t, "FALSE")) {
		next(p);
		if ((e = cy_new_expr(p, CY_E_BOOL, t)) != NULL)
			e->u.b = cy_tok_is(t, "TRUE");
		return e;
	}
	if (cy_tok_is(t, "NULL")) {
		next(p);
		return cy_new_expr(p, CY_E_NULL, t);
	}
	if (cy_tok_is(t, "CASE")) {
		next(p);
		return parse_case(p, t);
	}
	cy_token *t1 = peekn(p, 1);
	if (t1->kind == CY_T_LBRACE && (cy_tok_is(t, "EXISTS") || cy_tok_is(t, "COUNT")))
		return cy_parse_subquery(p);
	if (t1->kind == CY_T_LPAREN) {
		static const char *const quants[] = { "ALL", "ANY", "NONE", "SINGLE" };
		for (int q = 0; q < 4; q++) {
			if (cy_tok_is(t, quants[q]) && (peekn(p, 2)->kind == CY_T_QIDENT
			    || peekn(p, 2)->kind == CY_T_IDENT)
			    && cy_tok_is(peekn(p, 3), "IN")) {
				if ((e = cy_new_expr(p, CY_E_QUANT, t)) == NULL)
					return NULL;
				e->e_op = (uint8_t)q;
				next(p);
				next(p);
				if (parse_filter(p, e) < 0
				    || cy_expect(p, CY_T_RPAREN, "WHERE or ')'") < 0)
					return NULL;
				span(p, e, t->off);
				return done(p, e);
			}
		}
		if (cy_tok_is(t, "REDUCE")) {
			if ((e = cy_new_expr(p, CY_E_REDUCE, t)) == NULL)
				return NULL;
			next(p);
			next(p);
			if ((e->u.reduce.acc = var_name(p, "an accumulator variable")) == NULL
			    || cy_expect(p, CY_T_EQ, "'='") < 0
			    || (e->u.reduce.init = parse_expr(p)) == NULL
			    || cy_expect(p, CY_T_COMMA, "','") < 0
			    || (e->u.reduce.var = var_name(p, "a variable")) == NULL
			    || expect_kw(p, "IN", "IN") < 0
			    || (e->u.reduce.src = parse_expr(p)) == NULL
			    || cy_expect(p, CY_T_PIPE, "'|'") < 0
			    || (e->u.reduce.body = parse_expr(p)) == NULL
			    || cy_expect(p, CY_T_RPAREN, "')'") < 0)
				return NULL;
			span(p, e, t->off);
			return done(p, e);
		}
		if ((cy_tok_is(t, "shortestPath") || cy_tok_is(t, "allShortestPaths"))) {
			if ((e = cy_new_expr(p, CY_E_PATTERN, t)) == NULL
			    || (e->u.pat.path = cy_parse_path(p, 1)) == NULL)
				return NULL;
			span(p, e, t->off);
			return done(p, e);
		}
		if (is_reserved(t))
			return expected(p, "an expression");
		next(p);
		char *name = cy_tok_name(p, t);
		return name ? parse_call(p, t, name) : NULL;
	}
	/* A namespaced function: duration.between(a, b). */
	if (t1->kind == CY_T_DOT) {
		size_t k = 1;
		while (peekn(p, k)->kind == CY_T_DOT && peekn(p, k + 1)->kind == CY_T_IDENT)
			k += 2;
		if (k > 1 && peekn(p, k)->kind == CY_T_LPAREN) {
			const cy_token *last = peekn(p, k - 1);
			size_t nlen = last->off + last->len - t->off;
			char *name = cy_arena_strndup(p->a, p->text + t->off, nlen);
			if (name == NULL)
				return nomem(p);
			p->i += k;
			return parse_call(p, t, name);
		}
	}
	if (is_reserved(t))
		return expected(p, "an expression");
	next(p);
	if ((e = cy_new_expr(p, CY_E_VAR, t)) != NULL) {
		e->u.var.name = cy_tok_name(p, t);
		e->u.var.slot = -1;
		if (e->u.var.name == NULL)
			return NULL;
	}
	return e;
}

/* The key after `.` (the token dot, read): obj.key. */
static cy_expr *
parse_prop_key(parser *p, cy_expr *obj, const cy_token *dot)
{
	cy_expr *x = cy_new_expr(p, CY_E_PROP, dot);
	if (x == NULL)
		return NULL;
	x->u.prop.obj = obj;
	if ((x->u.prop.key = cy_schema_name(p, "a property key")) == NULL)
		return NULL;
	span(p, x, obj->e_off);
	return done(p, x);
}

/* atom ('.' key | '[' ... ']')* (':' Label)* */
static cy_expr *
parse_postfix(parser *p)
{
	cy_expr *e = parse_atom(p);
	while (e) {
		cy_token *t = peek(p);
		if (t->kind == CY_T_DOT) {
			next(p);
			e = parse_prop_key(p, e, t);
		} else if (t->kind == CY_T_LBRACKET) {
			next(p);
			cy_expr *from = NULL, *to = NULL;
			if (!at(p, CY_T_DOTDOT) && (from = parse_expr(p)) == NULL)
				return NULL;
			if (accept(p, CY_T_DOTDOT)) {
				if (!at(p, CY_T_RBRACKET) && (to = parse_expr(p)) == NULL)
					return NULL;
				cy_expr *x = cy_new_expr(p, CY_E_SLICE, t);
				if (x == NULL || cy_expect(p, CY_T_RBRACKET, "']'") < 0)
					return NULL;
				x->u.slice.obj = e;
				x->u.slice.from = from;
				x->u.slice.to = to;
				span(p, x, e->e_off);
				e = done(p, x);
			} else {
				cy_expr *x = cy_new_expr(p, CY_E_INDEX, t);
				if (x == NULL || cy_expect(p, CY_T_RBRACKET, "'..' or ']'") < 0)
					return NULL;
				x->u.index.obj = e;
				x->u.index.idx = from;
				span(p, x, e->e_off);
				e = done(p, x);
			}
		} else {
			break;
		}
	}
	if (e && at(p, CY_T_COLON)) {
		cy_expr *x = cy_new_expr(p, CY_E_HASLABELS, peek(p));
		size_t cap = 0;
		if (x == NULL)
			return NULL;
		x->u.labels.obj = e;
		while (accept(p, CY_T_COLON)) {
			char *l = cy_schema_name(p, "a label");
			if (l == NULL || cy_parser_push(p, &x->u.labels.labels, &x->u.labels.n, &cap,
			    &l, sizeof l) < 0)
				return NULL;
		}
		span(p, x, e->e_off);
		e = done(p, x);
	}
	return e;
}

static cy_expr *
parse_unary(parser *p)
{
	cy_token *t = peek(p);
	if (t->kind != CY_T_MINUS && t->kind != CY_T_PLUS)
		return parse_postfix(p);
	cy_token *t1 = peekn(p, 1);
	int kind2 = peekn(p, 2)->kind;
	int postfix = kind2 == CY_T_DOT || kind2 == CY_T_LBRACKET || kind2 == CY_T_COLON;
	if (t->kind == CY_T_MINUS && !postfix && t1->kind == CY_T_INT) {
		next(p);
		next(p);
		return parse_int_literal(p, t1, 1, t);
	}
	if (t->kind == CY_T_MINUS && !postfix && t1->kind == CY_T_FLOAT) {
		next(p);
		next(p);
		cy_expr *e = cy_new_expr(p, CY_E_FLOAT, t);
		if (e) {
			e->u.f = -t1->v.f;
			span(p, e, t->off);
		}
		return e;
	}
	if (enter(p) < 0)
		return NULL;
	next(p);
	cy_expr *a = parse_unary(p);
	leave(p);
	if (a == NULL)
		return NULL;
	return unary(p, t->kind == CY_T_MINUS ? CY_OP_NEG : CY_OP_POS, t, a, t->off);
}

/*
 * The binary operators read left to right, as ladders of levels, loosest
 * first: a level's operands are the next level's, the last level's are
 * the ladder's operand.  An operator is a keyword (kw) or a token kind.
 */
typedef struct binop {
	const char *kw;
	int tok, op;
} binop;

typedef struct binlevel {
	size_t n;
	binop ops[3];
} binlevel;

/* additive, multiplicative, power; operands: unary expressions */
static const binlevel arithmetic[] = {
	{ 2, { { NULL, CY_T_PLUS, CY_OP_ADD }, { NULL, CY_T_MINUS, CY_OP_SUB } } },
	{ 3, { { NULL, CY_T_STAR, CY_OP_MUL }, { NULL, CY_T_SLASH, CY_OP_DIV },
	    { NULL, CY_T_PERCENT, CY_OP_MOD } } },
	{ 1, { { NULL, CY_T_CARET, CY_OP_POW } } },
};

/* OR, XOR, AND; operands: NOT expressions */
static const binlevel logical[] = {
	{ 1, { { "OR", 0, CY_OP_OR } } },
	{ 1, { { "XOR", 0, CY_OP_XOR } } },
	{ 1, { { "AND", 0, CY_OP_AND } } },
};

/* The operator of level lv at the current token, or -1. */
static int
binop_at(parser *p, const binlevel *lv)
{
	cy_token *t = peek(p);
	for (size_t k = 0; k < lv->n; k++)
		if (lv->ops[k].kw ? cy_tok_is(t, lv->ops[k].kw) : t->kind == lv->ops[k].tok)
			return lv->ops[k].op;
	return -1;
}

static cy_expr *
parse_binary(parser *p, const binlevel *lv, size_t nlv, cy_expr *(*operand)(parser *))
{
	cy_expr *e = nlv > 1 ? parse_binary(p, lv + 1, nlv - 1, operand) : operand(p);
	int op;
	while (e && (op = binop_at(p, lv)) >= 0) {
		cy_token *t = next(p);
		cy_expr *b = nlv > 1 ? parse_binary(p, lv + 1, nlv - 1, operand) : operand(p);
		e = b ? binary(p, op, t, e, b) : NULL;
	}
	return e;
}

static cy_expr *
parse_additive(parser *p)
{
	return parse_binary(p, arithmetic, sizeof arithmetic / sizeof *arithmetic, parse_unary);
}

/* additive (IN | STARTS WITH | ENDS WITH | CONTAINS | IS [NOT] NULL)* */
static cy_expr *
parse_predicate(parser *p)
{
	cy_expr *e = parse_additive(p);
	while (e) {
		cy_token *t = peek(p);
		int op;
		if (cy_tok_is(t, "IS")) {
			next(p);
			op = accept_kw(p, "NOT") ? CY_OP_IS_NOT_NULL : CY_OP_IS_NULL;
			if (expect_kw(p, "NULL", op == CY_OP_IS_NULL ? "NOT or NULL"
			    : "NULL") < 0)
				return NULL;
			e = unary(p, op, t, e, e->e_off);
			continue;
		}
		if (cy_tok_is(t, "IN")) {
			op = CY_OP_IN;
			next(p);
		} else if (cy_tok_is(t, "CONTAINS")) {
			op = CY_OP_CONTAINS;
			next(p);
		} else if (cy_tok_is(t, "STARTS") || cy_tok_is(t, "ENDS")) {
			op = cy_tok_is(t, "STARTS") ? CY_OP_STARTS_WITH : CY_OP_ENDS_WITH;
			next(p);
			if (expect_kw(p, "WITH", "WITH") < 0)
				return NULL;
		} else {
			return e;
		}
		cy_expr *b = parse_additive(p);
		e = b ? binary(p, op, t, e, b) : NULL;
	}
	return e;
}

static int
comparison_op(int kind)
{
	switch (kind) {
	case CY_T_EQ: return CY_OP_EQ;
	case CY_T_NE: return CY_OP_NE;
	case CY_T_LT: return CY_OP_LT;
	case CY_T_GT: return CY_OP_GT;
	case CY_T_LE: return CY_OP_LE;
	case CY_T_GE: return CY_OP_GE;
	case CY_T_REGEX: return CY_OP_REGEX;
	default: return -1;
	}
}

struct counter {
	size_t n, limit;
};

static int
count_node(cy_expr **child, void *ctx)
{
	struct counter *c = ctx;
	if (++c->n > c->limit)
		return 1;
	return cy_expr_children(*child, count_node, c);
}

/* a < b < c means a < b AND b < c: the middle operands are copied, so each
 * comparison is an ordinary binary node. */
static cy_expr *
parse_comparison(parser *p)
{
	cy_expr *first = parse_predicate(p);
	if (first == NULL || comparison_op(peek(p)->kind) < 0)
		return first;
	cy_expr *result = NULL, *left = first;
	while (comparison_op(peek(p)->kind) >= 0) {
		cy_token *optok = next(p);
		cy_expr *right = parse_predicate(p);
		if (right == NULL)
			return NULL;
		cy_expr *cmp = binary(p, comparison_op(optok->kind), optok, left, right);
		if (cmp == NULL)
			return NULL;
		if (result == NULL) {
			result = cmp;
		} else {
			cy_expr *and = cy_new_expr(p, CY_E_BINARY, optok);
			if (and == NULL)
				return NULL;
			and->e_op = CY_OP_AND;
			and->u.bin.a = result;
			and->u.bin.b = cmp;
			span(p, and, first->e_off);
			if ((result = done(p, and)) == NULL)
				return NULL;
		}
		if (comparison_op(peek(p)->kind) >= 0) {
			struct counter c = { 0, MAX_COPIED - p->copied };
			cy_expr *r = right;
			if (count_node(&r, &c) != 0)
				return cy_fail_at(p, optok, CY_ERR_TOO_DEEP,
				    "query is too complex: too many chained comparisons");
			p->copied += c.n;
			if ((left = cy_expr_copy(p->a, right)) == NULL)
				return nomem(p);
		}
	}
	return result;
}

static cy_expr *
parse_not(parser *p)
{
	cy_token *t = peek(p);
	if (!cy_tok_is(t, "NOT"))
		return parse_comparison(p);
	if (enter(p) < 0)
		return NULL;
	next(p);
	cy_expr *a = parse_not(p);
	leave(p);
	return a ? unary(p, CY_OP_NOT, t, a, t->off) : NULL;
}

static cy_expr *
parse_expr(parser *p)
{
	if (enter(p) < 0)
		return NULL;
	cy_expr *e = parse_binary(p, logical, sizeof logical / sizeof *logical, parse_not);
	leave(p);
	return e;
}

/* ---- clauses ---- */

static cy_expr *
parse_var_ref(parser *p)
{
	cy_token *t = peek(p);
	char *name = var_name(p, "a variable");
	cy_expr *e;
	if (name == NULL || (e = cy_new_expr(p, CY_E_VAR, t)) == NULL)
		return NULL;
	e->u.var.name = name;
	e->u.var.slot = -1;
	return e;
}

/* A property expression: atom ('.' key)+, for SET and REMOVE. */
static cy_expr *
parse_prop_target(parser *p)
{
	cy_expr *e = parse_atom(p);
	while (e && at(p, CY_T_DOT))
		e = parse_prop_key(p, e, next(p));
	if (e && e->e_kind != CY_E_PROP)
		return expected(p, "'.'");
	return e;
}

static int
parse_labels(parser *p, char ***labels, size_t *n)
{
	size_t cap = 0;
	while (accept(p, CY_T_COLON)) {
		char *l = cy_schema_name(p, "a label");
		if (l == NULL || cy_parser_push(p, labels, n, &cap, &l, sizeof l) < 0)
			return -1;
	}
	return 0;
}

static int
parse_set_items(parser *p, int remove, cy_set_item **items, size_t *n)
{
	size_t cap = 0;
	do {
		cy_token *t = peek(p);
		cy_set_item si = { .si_line = t->line, .si_col = t->col };
		int k1 = peekn(p, 1)->kind;
		int isvar = t->kind == CY_T_QIDENT || (t->kind == CY_T_IDENT && !is_reserved(t));
		if (isvar && k1 == CY_T_COLON) {
			si.si_kind = remove ? CY_REMOVE_LABELS : CY_SET_LABELS;
			if ((si.si_target = parse_var_ref(p)) == NULL
			    || parse_labels(p, &si.si_labels, &si.si_nlabels) < 0)
				return -1;
		} else if (!remove && isvar && (k1 == CY_T_EQ || k1 == CY_T_PLUSEQ)) {
			si.si_kind = k1 == CY_T_EQ ? CY_SET_REPLACE : CY_SET_MERGE;
			if ((si.si_target = parse_var_ref(p)) == NULL)
				return -1;
			next(p);
			if ((si.si_value = parse_expr(p)) == NULL)
				return -1;
		} else {
			si.si_kind = remove ? CY_REMOVE_PROP : CY_SET_PROP;
			if ((si.si_target = parse_prop_target(p)) == NULL)
				return -1;
			if (!remove && (cy_expect(p, CY_T_EQ, "'='") < 0
			    || (si.si_value = parse_expr(p)) == NULL))
				return -1;
		}
		if (cy_parser_push(p, items, n, &cap, &si, sizeof si) < 0)
			return -1;
	} while (accept(p, CY_T_COMMA));
	return 0;
}

static char *
source_text(parser *p, uint32_t off, uint32_t len)
{
	char *s = cy_arena_strndup(p->a, p->text + off, len);
	return s ? s : nomem(p);
}

static int
parse_projection(parser *p, cy_clause *c)
{
	cy_projection *pr = &c->u.proj;
	size_t cap = 0;
	if (accept_kw(p, "DISTINCT"))
		pr->pr_distinct = 1;
	if (accept(p, CY_T_STAR)) {
		pr->pr_star = 1;
		if (!accept(p, CY_T_COMMA))
			goto tail;
	}
	do {
		cy_token *t = peek(p);
		cy_proj_item it = { .pi_line = t->line, .pi_col = t->col, .pi_slot = -1 };
		if ((it.pi_expr = parse_expr(p)) == NULL)
			return -1;
		if (accept_kw(p, "AS")) {
			cy_token *a = peek(p);
			if (a->kind != CY_T_IDENT && a->kind != CY_T_QIDENT) {
				expected(p, "a name after AS");
				return -1;
			}
			next(p);
			it.pi_alias = 1;
			if ((it.pi_name = cy_tok_name(p, a)) == NULL)
				return -1;
		} else if (it.pi_expr->e_kind == CY_E_VAR
		    && it.pi_expr->e_len == peekn(p, 0)[-1].len
		    && it.pi_expr->e_off == peekn(p, 0)[-1].off) {
			/* A variable is named by itself, even when backquoted. */
			it.pi_name = it.pi_expr->u.var.name;
		} else if ((it.pi_name = source_text(p, it.pi_expr->e_off,
		    it.pi_expr->e_len)) == NULL) {
			return -1;
		}
		if (cy_parser_push(p, &pr->pr_items, &pr->pr_nitems, &cap, &it, sizeof it) < 0)
			return -1;
	} while (accept(p, CY_T_COMMA));
tail:
	if (accept_kw(p, "ORDER")) {
		size_t ocap = 0;
		if (expect_kw(p, "BY", "BY") < 0)
			return -1;
		do {
			cy_sort_item so = { 0 };
			if ((so.so_expr = parse_expr(p)) == NULL)
				return -1;
			if (accept_kw(p, "DESC") || accept_kw(p, "DESCENDING"))
				so.so_desc = 1;
			else if (!accept_kw(p, "ASC"))
				accept_kw(p, "ASCENDING");
			if (cy_parser_push(p, &pr->pr_order, &pr->pr_norder, &ocap, &so, sizeof so) < 0)
				return -1;
		} while (accept(p, CY_T_COMMA));
	}
	if (accept_kw(p, "SKIP") && (pr->pr_skip = parse_expr(p)) == NULL)
		return -1;
	if (accept_kw(p, "LIMIT") && (pr->pr_limit = parse_expr(p)) == NULL)
		return -1;
	if (c->c_kind == CY_C_WITH && accept_kw(p, "WHERE")
	    && (pr->pr_where = parse_expr(p)) == NULL)
		return -1;
	return 0;
}

static cy_clause *
parse_clause(parser *p)
{
	cy_token *t = peek(p);
	cy_clause *c = cy_parser_alloc(p, sizeof *c);
	if (c == NULL)
		return NULL;
	c->c_line = t->line;
	c->c_col = t->col;
	if (cy_tok_is(t, "MATCH") || cy_tok_is(t, "OPTIONAL")) {
		c->c_kind = CY_C_MATCH;
		if (accept_kw(p, "OPTIONAL"))
			c->u.match.optional = 1;
		if (expect_kw(p, "MATCH", "MATCH") < 0
		    || cy_parse_pattern(p, &c->u.match.paths, &c->u.match.npaths) < 0)
			return NULL;
		if (accept_kw(p, "WHERE") && (c->u.match.where = parse_expr(p)) == NULL)
			return NULL;
	} else if (accept_kw(p, "UNWIND")) {
		c->c_kind = CY_C_UNWIND;
		c->u.unwind.slot = -1;
		if ((c->u.unwind.expr = parse_expr(p)) == NULL
		    || expect_kw(p, "AS", "AS") < 0
		    || (c->u.unwind.var = var_name(p, "a variable")) == NULL)
			return NULL;
	} else if (cy_tok_is(t, "WITH") || cy_tok_is(t, "RETURN")) {
		c->c_kind = cy_tok_is(t, "WITH") ? CY_C_WITH : CY_C_RETURN;
		next(p);
		if (parse_projection(p, c) < 0)
			return NULL;
	} else if (accept_kw(p, "CREATE")) {
		c->c_kind = CY_C_CREATE;
		if (cy_parse_pattern(p, &c->u.create.paths, &c->u.create.npaths) < 0)
			return NULL;
	} else if (accept_kw(p, "MERGE")) {
		c->c_kind = CY_C_MERGE;
		if ((c->u.merge.path = cy_parse_path(p, 0)) == NULL)
			return NULL;
		while (at_kw(p, "ON")) {
			next(p);
			int create = 0;
			if (accept_kw(p, "CREATE"))
				create = 1;
			else if (expect_kw(p, "MATCH", "CREATE or MATCH") < 0)
				return NULL;
			if (expect_kw(p, "SET", "SET") < 0)
				return NULL;
			/* Several ON CREATE SET lists append to one another. */
			cy_set_item *items = NULL;
			size_t n = 0;
			if (parse_set_items(p, 0, &items, &n) < 0)
				return NULL;
			cy_set_item **dst = create ? &c->u.merge.on_create : &c->u.merge.on_match;
			size_t *dn = create ? &c->u.merge.non_create : &c->u.merge.non_match;
			cy_set_item *all = cy_arena_grow(p->a, *dst, *dn, *dn + n, sizeof *all);
			if (all == NULL)
				return nomem(p);
			memcpy(all + *dn, items, n * sizeof *items);
			*dst = all;
			*dn += n;
		}
	} else if (accept_kw(p, "SET")) {
		c->c_kind = CY_C_SET;
		if (parse_set_items(p, 0, &c->u.set.items, &c->u.set.n) < 0)
			return NULL;
	} else if (accept_kw(p, "REMOVE")) {
		c->c_kind = CY_C_REMOVE;
		if (parse_set_items(p, 1, &c->u.set.items, &c->u.set.n) < 0)
			return NULL;
	} else if (cy_tok_is(t, "DELETE") || cy_tok_is(t, "DETACH")) {
		size_t cap = 0;
		c->c_kind = CY_C_DELETE;
		if (accept_kw(p, "DETACH"))
			c->u.del.detach = 1;
		if (expect_kw(p, "DELETE", "DELETE") < 0)
			return NULL;
		do {
			cy_expr *e = parse_expr(p);
			if (e == NULL || cy_parser_push(p, &c->u.del.exprs, &c->u.del.n, &cap, &e,
			    sizeof e) < 0)
				return NULL;
		} while (accept(p, CY_T_COMMA));
	} else if (cy_tok_is(t, "CALL")) {
		return cy_fail_at(p, t, CY_ERR_UNEXPECTED_SYNTAX,
		    "CALL is not supported");
	} else {
		return expected(p, "a clause (MATCH, RETURN, CREATE ...)");
	}
	return c;
}

static int
at_stmt_end(parser *p)
{
	return at(p, CY_T_SEMI) || at(p, CY_T_EOF);
}

static cy_query *
parse_query(parser *p)
{
	cy_query *q = cy_parser_alloc(p, sizeof *q);
	size_t cap = 0;
	if (q == NULL)
		return NULL;
	q->q_line = peek(p)->line;
	q->q_col = peek(p)->col;
	do {
		if (at_kw(p, "CALL")) {
			if (cy_parse_call(p, &q->q_clauses, &q->q_n, &cap, q->q_n == 0) < 0)
				return NULL;
			continue;
		}
		cy_clause *c = parse_clause(p);
		if (c == NULL || cy_parser_push(p, &q->q_clauses, &q->q_n, &cap, &c, sizeof c) < 0)
			return NULL;
	} while (!at_stmt_end(p) && !at_kw(p, "UNION"));
	return q;
}

static cy_stmt *
parse_stmt(parser *p)
{
	cy_token *start = peek(p);
	cy_stmt *st = cy_parser_alloc(p, sizeof *st);
	size_t cap = 0;
	if (st == NULL)
		return NULL;
	st->st_line = start->line;
	st->st_col = start->col;
	if (accept_kw(p, "EXPLAIN"))
		st->st_mode = CY_MODE_EXPLAIN;
	else if (accept_kw(p, "PROFILE"))
		st->st_mode = CY_MODE_PROFILE;
	for (;;) {
		cy_query *q = parse_query(p);
		if (q == NULL || cy_parser_push(p, &st->st_parts, &st->st_nparts, &cap, &q,
		    sizeof q) < 0)
			return NULL;
		cy_token *u = peek(p);
		if (!accept_kw(p, "UNION"))
			break;
		int all = accept_kw(p, "ALL");
		if (st->st_nparts > 1 && all != st->st_union_all)
			return cy_fail_at(p, u, CY_ERR_INVALID_UNION,
			    "UNION and UNION ALL cannot be mixed");
		st->st_union_all = all;
	}
	const cy_token *last = &p->t[p->i - 1];
	st->st_off = start->off;
	st->st_len = last->off + last->len - start->off;
	if ((st->st_text = source_text(p, (uint32_t)st->st_off,
	    (uint32_t)st->st_len)) == NULL)
		return NULL;
	return st;
}

/* Common set-up: copies the text into a new script and lexes it. */
static int
begin(const char *text, size_t len, cy_script **out, parser *p, cy_error *err)
{
	cy_arena *a = cy_arena_new();
	cy_script *sc;
	memset(p, 0, sizeof *p);
	*out = NULL;
	if (a == NULL || (sc = cy_arena_alloc(a, sizeof *sc)) == NULL
	    || (sc->sc_text = cy_arena_strndup(a, text ? text : "", len)) == NULL) {
		cy_arena_free(a);
		return cy_error_set(err, CY_ENOMEM, CY_ERR_NO_MEMORY, 0, 0, 0,
		    "out of memory");
	}
	sc->sc_arena = a;
	sc->sc_len = len;
	p->a = a;
	p->text = sc->sc_text;
	p->len = len;
	p->err = err;
	int rc = cy_lex(a, sc->sc_text, len, &p->t, &p->nt, err);
	if (rc != CY_OK) {
		cy_arena_free(a);
		return rc;
	}
	*out = sc;
	return CY_OK;
}

static int
fail_code(parser *p)
{
	return p->err ? p->err->code : CY_ESYNTAX;
}

int
cy_parse_only(const char *text, size_t len, cy_script **out, cy_error *err)
{
	parser p;
	cy_script *sc;
	size_t cap = 0;
	int rc = begin(text, len, &sc, &p, err);
	if (rc != CY_OK)
		return rc;
	while (!at(&p, CY_T_EOF)) {
		if (accept(&p, CY_T_SEMI))
			continue;
		cy_stmt *st = parse_stmt(&p);
		if (st == NULL || cy_parser_push(&p, &sc->sc_stmts, &sc->sc_n, &cap, &st,
		    sizeof st) < 0)
			goto fail;
		if (!at_stmt_end(&p)) {
			expected(&p, "';' or end of input");
			goto fail;
		}
	}
	if (sc->sc_n == 0) {
		cy_fail_at(&p, peek(&p), CY_ERR_UNEXPECTED_SYNTAX,
		    "empty query, expected a statement");
		goto fail;
	}
	cy_arena_release(p.a, p.t);   /* the tree no longer needs the tokens */
	*out = sc;
	return CY_OK;
fail:
	rc = fail_code(&p);
	cy_script_free(sc);
	return rc;
}

int
cy_parse(const char *text, size_t len, cy_script **out, cy_error *err)
{
	cy_script *sc;
	int rc = cy_parse_only(text, len, &sc, err);
	*out = NULL;
	if (rc != CY_OK)
		return rc;
	if ((rc = cy_check(sc, err)) != CY_OK) {
		cy_script_free(sc);
		return rc;
	}
	*out = sc;
	return CY_OK;
}

int
cy_parse_expression(const char *text, size_t len, cy_script **holder,
    cy_expr **out, cy_error *err)
{
	parser p;
	cy_script *sc;
	int rc = begin(text, len, &sc, &p, err);
	*out = NULL;
	*holder = NULL;
	if (rc != CY_OK)
		return rc;
	cy_expr *e = parse_expr(&p);
	if (e == NULL)
		goto fail;
	if (!at(&p, CY_T_EOF)) {
		expected(&p, "end of input");
		goto fail;
	}
	*out = e;
	*holder = sc;
	return CY_OK;
fail:
	rc = fail_code(&p);
	cy_script_free(sc);
	return rc;
}

/* For subquery.c: the expression grammar and the finishing of a node. */
cy_expr *
cy_parser_expr(parser *p)
{
	return parse_expr(p);
}

cy_expr *
cy_parser_done(parser *p, cy_expr *e, uint32_t from)
{
	span(p, e, from);
	return done(p, e);
}
