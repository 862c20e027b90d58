/*
 * parser_int.h: what parser.c and pattern.c share; not for use outside
 * them.  Both define CY_INTERNAL before including it.
 *
 * The parser walks the lexer's tokens with the cursor below and builds the
 * tree in the script's arena.  Every function that can fail sets the
 * parser's error (the first one wins) and returns NULL or -1.
 */
#ifndef SG_CYPHER_PARSER_INT_H
#define SG_CYPHER_PARSER_INT_H

#include "parse.h"

/* One parse: the tokens of text and the position in them. */
typedef struct parser {
	cy_arena *a;
	const char *text;
	size_t len;
	cy_token *t;
	size_t nt, i;
	cy_error *err;
	int failed;            /* an error has been set */
	int depth;             /* recursion depth */
	size_t copied;         /* nodes copied for comparison chains */
} parser;

/* Sets a syntax error of the given kind at t unless one is set; returns
 * NULL. */
void *cy_fail_at(parser *p, const cy_token *t, int kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Consumes a token of the given kind, or fails with "unexpected X, expected
 * WHAT"; returns 0 or -1. */
int cy_expect(parser *p, int kind, const char *what);
/* n zeroed bytes in the arena, or NULL (out of memory). */
void *cy_parser_alloc(parser *p, size_t n);
/* Appends item (of size elem) to the arena array *arr of *n items and
 * capacity *cap.  Returns 0 or -1. */
int cy_parser_push(parser *p, void *arr, size_t *n, size_t *cap,
    const void *item, size_t elem);
/* The name of identifier or backquoted-name token t, copied into the
 * arena. */
char *cy_tok_name(parser *p, const cy_token *t);
/* A schema name (label, type, property key): any identifier, reserved words
 * included, or a backquoted name. */
char *cy_schema_name(parser *p, const char *what);
/* An expression node of the given kind at at_tok. */
cy_expr *cy_new_expr(parser *p, int kind, const cy_token *at_tok);
/* A map literal {key: expr, ...}. */
cy_expr *cy_parse_map(parser *p);

/* pattern.c */
/* Does the "(" at token k start a pattern: a node followed by a
 * relationship?  Looks ahead only. */
int cy_pattern_at(parser *p, size_t k);
/* [var =] (shortestPath(...) | allShortestPaths(...) | node (rel node)*);
 * in_expr: inside an expression, where a lone node is an error. */
cy_path *cy_parse_path(parser *p, int in_expr);
/* path (',' path)* into the arena array *paths of *n paths. */
int cy_parse_pattern(parser *p, cy_path ***paths, size_t *n);

/* parser.c, for subquery.c: an expression; a node's span up to the last
 * token read and its height (NULL when too deep). */
cy_expr *cy_parser_expr(parser *p);
cy_expr *cy_parser_done(parser *p, cy_expr *e, uint32_t from);

/* call.c: a CALL clause at CALL, as the clauses it stands for, appended
 * to *out (first: it opens the query, so it may stand alone). */
int cy_parse_call(parser *p, cy_clause ***out, size_t *n, size_t *cap, int first);

/* subquery.c: EXISTS { ... } and COUNT { ... } at the keyword. */
cy_expr *cy_parse_subquery(parser *p);

/* The token cursor. */
static inline cy_token *
peek(parser *p)
{
	return &p->t[p->i];
}

static inline cy_token *
peekn(parser *p, size_t k)
{
	size_t j = p->i + k;
	return &p->t[j < p->nt ? j : p->nt - 1];
}

static inline cy_token *
next(parser *p)
{
	cy_token *t = &p->t[p->i];
	if (p->i + 1 < p->nt)
		p->i++;
	return t;
}

static inline int
at(parser *p, int kind)
{
	return p->t[p->i].kind == kind;
}

static inline int
at_kw(parser *p, const char *kw)
{
	return cy_tok_is(peek(p), kw);
}

static inline int
accept(parser *p, int kind)
{
	if (!at(p, kind))
		return 0;
	next(p);
	return 1;
}

static inline int
accept_kw(parser *p, const char *kw)
{
	if (!at_kw(p, kw))
		return 0;
	next(p);
	return 1;
}

/* Recursion depth: enter() fails when the query nests too deeply. */
static inline int
enter(parser *p)
{
	if (++p->depth > CY_MAX_DEPTH) {
		cy_fail_at(p, peek(p), CY_ERR_TOO_DEEP, "query is nested too deeply");
		return -1;
	}
	return 0;
}

static inline void
leave(parser *p)
{
	p->depth--;
}

#endif
