/*
 * subquery.c: the subquery expressions of Neo4j 5 and GQL, for parser.c:
 *
 *   EXISTS { [MATCH] path [WHERE pred] [RETURN items] }
 *   COUNT  { [MATCH] path [WHERE pred] [RETURN items] }
 *
 * Both become a pattern comprehension, which already binds the new
 * variables of its path for its own WHERE and sees the outer ones:
 * COUNT { p WHERE w } is size([p WHERE w | 1]) and EXISTS { ... } is that
 * count > 0.  The RETURN of the long form does not change whether a row
 * exists nor how many there are, so its items are checked for syntax and
 * dropped.  A subquery cannot write (InvalidClauseComposition); longer
 * bodies (WITH, several MATCH clauses, UNION) are refused by name.
 */
#define CY_INTERNAL
#include "parser_int.h"

#include <string.h>

static const char *const writes[] = {
	"CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH", "FOREACH",
};

static int
accept_kw(parser *p, const char *kw)
{
	if (!at_kw(p, kw))
		return 0;
	next(p);
	return 1;
}

/* RETURN [DISTINCT] (* | expr [AS name] (, expr [AS name])*): read, kept
 * nowhere (see above). */
static int
skip_return(parser *p)
{
	accept_kw(p, "DISTINCT");
	if (accept(p, CY_T_STAR))
		return 0;
	do {
		if (cy_parser_expr(p) == NULL)
			return -1;
		if (accept_kw(p, "AS") && cy_tok_name(p, next(p)) == NULL)
			return -1;
	} while (accept(p, CY_T_COMMA));
	return 0;
}

/* The body's end: '}' or a clause the short form cannot take. */
static int
body_end(parser *p, const cy_token *kw)
{
	const cy_token *t = peek(p);
	for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
		if (cy_tok_is(t, writes[i])) {
			cy_fail_at(p, t, CY_ERR_INVALID_CLAUSE_COMPOSITION,
			    "a %.*s { } subquery cannot write to the graph (%s)",
			    (int)kw->len, p->text + kw->off, writes[i]);
			return -1;
		}
	if (t->kind == CY_T_IDENT && !cy_tok_is(t, "RETURN")) {
		cy_fail_at(p, t, CY_ERR_UNEXPECTED_SYNTAX,
		    "this %.*s { } subquery is not supported: its body can be one "
		    "pattern with an optional MATCH before it, WHERE and RETURN after it",
		    (int)kw->len, p->text + kw->off);
		return -1;
	}
	if (accept_kw(p, "RETURN") && skip_return(p) < 0)
		return -1;
	return cy_expect(p, CY_T_RBRACE, "'}'");
}

cy_expr *
cy_parse_subquery(parser *p)
{
	const cy_token *kw = next(p);
	int exists = cy_tok_is(kw, "EXISTS");
	if (enter(p) < 0)
		return NULL;
	next(p);        /* '{' */
	accept_kw(p, "MATCH");
	if (!at(p, CY_T_LPAREN))   /* here "(" always starts a pattern */
		return cy_fail_at(p, peek(p), CY_ERR_UNEXPECTED_SYNTAX,
		    "expected a pattern in %.*s { }", (int)kw->len, p->text + kw->off);
	cy_expr *comp = cy_new_expr(p, CY_E_PATCOMP, kw);
	cy_expr *one = cy_new_expr(p, CY_E_INT, kw);
	cy_expr *size = cy_new_expr(p, CY_E_CALL, kw);
	if (comp == NULL || one == NULL || size == NULL)
		return NULL;
	if ((comp->u.pat.path = cy_parse_path(p, 0)) == NULL)
		return NULL;
	if (at(p, CY_T_COMMA))
		return cy_fail_at(p, peek(p), CY_ERR_UNEXPECTED_SYNTAX,
		    "a %.*s { } subquery of several paths is not supported: join "
		    "them into one path", (int)kw->len, p->text + kw->off);
	if (accept_kw(p, "WHERE") && (comp->u.pat.where = cy_parser_expr(p)) == NULL)
		return NULL;
	if (body_end(p, kw) < 0)
		return NULL;
	one->u.i = 1;
	comp->u.pat.proj = one;
	if (cy_parser_done(p, one, kw->off) == NULL || cy_parser_done(p, comp, kw->off) == NULL)
		return NULL;
	size->u.call.name = (char *)"size";
	size->u.call.args = cy_parser_alloc(p, sizeof *size->u.call.args);
	if (size->u.call.args == NULL)
		return NULL;
	size->u.call.args[0] = comp;
	size->u.call.n = 1;
	if (cy_parser_done(p, size, kw->off) == NULL)
		return NULL;
	leave(p);
	if (!exists)
		return size;
	cy_expr *zero = cy_new_expr(p, CY_E_INT, kw);
	cy_expr *gt = cy_new_expr(p, CY_E_BINARY, kw);
	if (zero == NULL || gt == NULL)
		return NULL;
	gt->e_op = CY_OP_GT;
	gt->u.bin.a = size;
	gt->u.bin.b = zero;
	if (cy_parser_done(p, zero, kw->off) == NULL)
		return NULL;
	return cy_parser_done(p, gt, kw->off);
}
