/*
 * pattern.c: the patterns of openCypher, for parser.c: node and
 * relationship patterns, variable-length ranges, paths with an optional
 * variable, shortestPath() and allShortestPaths(), and the look-ahead that
 * tells a pattern from a parenthesized expression.
 *
 *   pattern  := path (',' path)*
 *   path     := [var '='] (shortestPath '(' chain ')'
 *               | allShortestPaths '(' chain ')' | chain)
 *   chain    := node (rel node)*     (may be wrapped in parentheses)
 *   node     := '(' [var] (':' Label)* [map | $param] ')'
 *   rel      := ['<'] '-' ['[' [var] [':' T ('|' [':'] T)*]
 *               ['*' [min] ['..' [max]]] [map | $param] ']'] '-' ['>']
 *
 * Errors as in parser.c: the first one wins and is passed on.
 */
#define CY_INTERNAL
#include "parser_int.h"

/* Is the token at k the start of a relationship pattern: -[ -- <-[ <-- */
static int
rel_starts(parser *p, size_t k)
{
	if (k + 2 >= p->nt)
		return 0;
	const cy_token *t = p->t;
	if (t[k].kind == CY_T_MINUS)
		return t[k + 1].kind == CY_T_LBRACKET || t[k + 1].kind == CY_T_MINUS;
	if (t[k].kind == CY_T_LT && t[k + 1].kind == CY_T_MINUS)
		return t[k + 2].kind == CY_T_LBRACKET || t[k + 2].kind == CY_T_MINUS;
	return 0;
}

/* Does the "(" at k close a node pattern: ( [var] (:Label)* [{...}|$p] ),
 * and is it followed by a relationship?  Then it starts a pattern. */
int
cy_pattern_at(parser *p, size_t k)
{
	const cy_token *t = p->t;
	if (k >= p->nt || t[k].kind != CY_T_LPAREN)
		return 0;
	size_t j = k + 1;
	if (t[j].kind == CY_T_IDENT || t[j].kind == CY_T_QIDENT)
		j++;
	while (t[j].kind == CY_T_COLON && (t[j + 1].kind == CY_T_IDENT
	    || t[j + 1].kind == CY_T_QIDENT))
		j += 2;
	if (t[j].kind == CY_T_LBRACE) {
		if (t[j].match < 0)
			return 0;
		j = (size_t)t[j].match + 1;
	} else if (t[j].kind == CY_T_PARAM) {
		j++;
	}
	if (t[j].kind != CY_T_RPAREN)
		return 0;
	return rel_starts(p, j + 1);
}

static cy_expr *
parse_props(parser *p)
{
	if (at(p, CY_T_LBRACE))
		return cy_parse_map(p);
	if (at(p, CY_T_PARAM)) {
		cy_token *t = next(p);
		cy_expr *e = cy_new_expr(p, CY_E_PARAM, t);
		if (e)
			e->u.param.name = t->v.s.ptr;
		return e;
	}
	return NULL;
}

static int
parse_node(parser *p, cy_node_pat *np)
{
	cy_token *t = peek(p);
	size_t cap = 0;
	np->np_line = t->line;
	np->np_col = t->col;
	np->np_slot = -1;
	if (cy_expect(p, CY_T_LPAREN, "'('") < 0)
		return -1;
	if (at(p, CY_T_IDENT) || at(p, CY_T_QIDENT))
		if ((np->np_var = cy_tok_name(p, next(p))) == NULL)
			return -1;
	while (accept(p, CY_T_COLON)) {
		char *l = cy_schema_name(p, "a label");
		if (l == NULL || cy_parser_push(p, &np->np_labels, &np->np_nlabels, &cap, &l,
		    sizeof l) < 0)
			return -1;
	}
	if ((at(p, CY_T_LBRACE) || at(p, CY_T_PARAM))
	    && (np->np_props = parse_props(p)) == NULL)
		return -1;
	if (cy_expect(p, CY_T_RPAREN, np->np_props ? "')'"
	    : np->np_nlabels ? "':', a property map or ')'"
	    : "a label, a property map or ')'") < 0)
		return -1;
	return 0;
}

static int
parse_bound(parser *p, int64_t *out)
{
	cy_token *t = peek(p);
	if (at(p, CY_T_MINUS) || at(p, CY_T_FLOAT)) {
		cy_fail_at(p, t, CY_ERR_INVALID_RELATIONSHIP_PATTERN,
		    "the length of a variable-length relationship must be a "
		    "non-negative integer");
		return -1;
	}
	next(p);
	if (t->overflow || t->v.u > (uint64_t)INT64_MAX) {
		cy_fail_at(p, t, CY_ERR_INTEGER_OVERFLOW, "integer literal is too large");
		return -1;
	}
	*out = (int64_t)t->v.u;
	return 0;
}

/* [var] [:T1|T2] [*min..max] [props] between the brackets. */
static int
parse_rel_detail(parser *p, cy_rel_pat *rp)
{
	size_t cap = 0;
	if (at(p, CY_T_IDENT) || at(p, CY_T_QIDENT))
		if ((rp->rp_var = cy_tok_name(p, next(p))) == NULL)
			return -1;
	if (accept(p, CY_T_COLON)) {
		do {
			accept(p, CY_T_COLON);
			char *ty = cy_schema_name(p, "a relationship type");
			if (ty == NULL || cy_parser_push(p, &rp->rp_types, &rp->rp_ntypes, &cap, &ty,
			    sizeof ty) < 0)
				return -1;
		} while (accept(p, CY_T_PIPE));
	}
	if (at(p, CY_T_DOTDOT) || (at(p, CY_T_INT) && !rp->rp_varlen)) {
		cy_fail_at(p, peek(p), CY_ERR_INVALID_RELATIONSHIP_PATTERN,
		    "a variable-length relationship needs a '*' before its length");
		return -1;
	}
	if (accept(p, CY_T_STAR)) {
		rp->rp_varlen = 1;
		rp->rp_min = 1;
		rp->rp_max = -1;
		if ((at(p, CY_T_INT) || at(p, CY_T_MINUS) || at(p, CY_T_FLOAT))
		    && parse_bound(p, &rp->rp_min) < 0)
			return -1;
		if (accept(p, CY_T_DOTDOT)) {
			if ((at(p, CY_T_INT) || at(p, CY_T_MINUS) || at(p, CY_T_FLOAT))
			    && parse_bound(p, &rp->rp_max) < 0)
				return -1;
		} else if (p->t[p->i - 1].kind == CY_T_INT) {
			rp->rp_max = rp->rp_min;
		}
	}
	if ((at(p, CY_T_LBRACE) || at(p, CY_T_PARAM))
	    && (rp->rp_props = parse_props(p)) == NULL)
		return -1;
	if (cy_expect(p, CY_T_RBRACKET, "']'") < 0)
		return -1;
	return 0;
}

static int
parse_rel(parser *p, cy_rel_pat *rp)
{
	cy_token *t = peek(p);
	rp->rp_line = t->line;
	rp->rp_col = t->col;
	rp->rp_slot = -1;
	if (accept(p, CY_T_LT))
		rp->rp_arrows |= CY_ARROW_LEFT;
	if (cy_expect(p, CY_T_MINUS, "'-'") < 0)
		return -1;
	if (accept(p, CY_T_LBRACKET) && parse_rel_detail(p, rp) < 0)
		return -1;
	if (cy_expect(p, CY_T_MINUS, "'-'") < 0)
		return -1;
	if (accept(p, CY_T_GT))
		rp->rp_arrows |= CY_ARROW_RIGHT;
	rp->rp_dir = rp->rp_arrows == CY_ARROW_RIGHT ? CY_DIR_RIGHT
	    : rp->rp_arrows == CY_ARROW_LEFT ? CY_DIR_LEFT : CY_DIR_BOTH;
	return 0;
}

/* [var =] (shortestPath(...) | allShortestPaths(...) | node (rel node)*) */
cy_path *
cy_parse_path(parser *p, int in_expr)
{
	cy_token *start = peek(p);
	cy_path *pa = cy_parser_alloc(p, sizeof *pa);
	size_t ncap = 0, rcap = 0, nrels = 0;
	int parens = 0;
	if (pa == NULL || enter(p) < 0)
		return NULL;
	pa->pa_line = start->line;
	pa->pa_col = start->col;
	pa->pa_off = start->off;
	pa->pa_slot = -1;
	if ((at(p, CY_T_IDENT) || at(p, CY_T_QIDENT)) && peekn(p, 1)->kind == CY_T_EQ) {
		if ((pa->pa_var = cy_tok_name(p, next(p))) == NULL)
			return NULL;
		next(p);
	}
	if ((at_kw(p, "shortestPath") || at_kw(p, "allShortestPaths"))
	    && peekn(p, 1)->kind == CY_T_LPAREN) {
		pa->pa_shortest = at_kw(p, "shortestPath") ? CY_SP_SHORTEST : CY_SP_ALL;
		next(p);
		next(p);
		parens++;
	}
	/* A pattern may be wrapped in parentheses: ((a)-->(b)). */
	while (at(p, CY_T_LPAREN) && peekn(p, 1)->kind == CY_T_LPAREN) {
		next(p);
		parens++;
	}
	for (;;) {
		cy_node_pat np = { 0 };
		if (parse_node(p, &np) < 0
		    || cy_parser_push(p, &pa->pa_nodes, &pa->pa_nnodes, &ncap, &np, sizeof np) < 0)
			return NULL;
		if (!rel_starts(p, p->i))
			break;
		cy_rel_pat rp = { 0 };
		if (parse_rel(p, &rp) < 0
		    || cy_parser_push(p, &pa->pa_rels, &nrels, &rcap, &rp, sizeof rp) < 0)
			return NULL;
	}
	while (parens-- > 0)
		if (cy_expect(p, CY_T_RPAREN, "')'") < 0)
			return NULL;
	if (in_expr && pa->pa_nnodes < 2 && pa->pa_shortest == CY_SP_NONE)
		return cy_fail_at(p, start, CY_ERR_UNEXPECTED_SYNTAX,
		    "a pattern expression needs a relationship");
	const cy_token *last = &p->t[p->i - 1];
	pa->pa_len = last->off + last->len - pa->pa_off;
	leave(p);
	return pa;
}

int
cy_parse_pattern(parser *p, cy_path ***paths, size_t *n)
{
	size_t cap = 0;
	do {
		cy_path *pa = cy_parse_path(p, 0);
		if (pa == NULL || cy_parser_push(p, paths, n, &cap, &pa, sizeof pa) < 0)
			return -1;
	} while (accept(p, CY_T_COMMA));
	return 0;
}
