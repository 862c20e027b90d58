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
 * bodies (several MATCH clauses, UNION) are refused by name.
 *
 * One WITH may follow the pattern (see with_body below):
 *
 *   EXISTS { MATCH (n)-->(m) WITH n, count(*) AS c WHERE c = 3 RETURN true }
 */
#define CY_INTERNAL
#include "parser_int.h"
#include "ascii.h"

#include <string.h>

static const char *const writes[] = {
	"CREATE", "MERGE", "SET", "REMOVE", "DELETE", "DETACH", "FOREACH",
};

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
		    "pattern with an optional MATCH before it, WHERE, one WITH and RETURN after it",
		    (int)kw->len, p->text + kw->off);
		return -1;
	}
	if (accept_kw(p, "RETURN") && skip_return(p) < 0)
		return -1;
	return cy_expect(p, CY_T_RBRACE, "'}'");
}

/* ---- WITH in a subquery ----
 *
 * The rows of the pattern become a list, one list per row of the WITH
 * items that are not aggregates (the keys) and the arguments of its
 * count() aggregates (1 for count(*)):
 *   L = [path WHERE w | [key1, ..., arg1, ...]]
 * Each name the WITH projects is bound to its part of a row by a
 * one-item quantifier, any(name IN [t[i]] WHERE ...), around the WITH's
 * own WHERE.  A count is the number of rows of t's group (the same keys,
 * null equal to null, as grouping has it) whose argument is not null:
 *   size([u IN L WHERE all(i IN range(0, k-1) WHERE (u[i] IS NULL AND
 *        t[i] IS NULL) OR u[i] = t[i]) AND u[k+j] IS NOT NULL])
 * so a group is judged once for each of its rows, which gives the same
 * answer to EXISTS.  EXISTS is then
 *   coalesce(any(L' IN [L] WHERE any(t IN L' WHERE bound where)), false)
 * (L is matched once; with no keys, t runs over one dummy row: counts
 * without keys make one group even of no rows), and COUNT, without
 * aggregates, the size of
 * [t IN L WHERE bound where].  The hidden names start with a space, which
 * no query can write.
 */

typedef struct with_item {
	cy_expr *expr;
	char *name;
	int agg;
} with_item;

static cy_expr *
fin(parser *p, const cy_token *kw, cy_expr *e)
{
	return e ? cy_parser_done(p, e, kw->off) : NULL;
}

static cy_expr *
mk_var(parser *p, const cy_token *kw, const char *name)
{
	cy_expr *e = cy_new_expr(p, CY_E_VAR, kw);
	if (e)
		e->u.var.name = (char *)name;
	return fin(p, kw, e);
}

static cy_expr *
mk_int(parser *p, const cy_token *kw, int64_t i)
{
	cy_expr *e = cy_new_expr(p, CY_E_INT, kw);
	if (e)
		e->u.i = i;
	return fin(p, kw, e);
}

static cy_expr *
mk_list(parser *p, const cy_token *kw, cy_expr **items, size_t n)
{
	cy_expr *e = cy_new_expr(p, CY_E_LIST, kw);
	if (e == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (items[i] == NULL)
			return NULL;
	e->u.list.items = items;
	e->u.list.n = n;
	return fin(p, kw, e);
}

static cy_expr *
mk_list1(parser *p, const cy_token *kw, cy_expr *item)
{
	cy_expr **items = cy_parser_alloc(p, sizeof *items);
	if (items == NULL)
		return NULL;
	items[0] = item;
	return mk_list(p, kw, items, 1);
}

static cy_expr *
mk_op(parser *p, const cy_token *kw, int kind, int op, cy_expr *a, cy_expr *b)
{
	cy_expr *e = cy_new_expr(p, kind, kw);
	if (e == NULL || a == NULL || (kind == CY_E_BINARY && b == NULL))
		return NULL;
	e->e_op = op;
	e->u.bin.a = a;
	e->u.bin.b = b;
	return fin(p, kw, e);
}

static cy_expr *
mk_index(parser *p, const cy_token *kw, const char *obj, cy_expr *idx)
{
	cy_expr *e = cy_new_expr(p, CY_E_INDEX, kw);
	if (e == NULL || idx == NULL || (e->u.index.obj = mk_var(p, kw, obj)) == NULL)
		return NULL;
	e->u.index.idx = idx;
	return fin(p, kw, e);
}

static cy_expr *
mk_call(parser *p, const cy_token *kw, const char *name, cy_expr *a, cy_expr *b)
{
	cy_expr *e = cy_new_expr(p, CY_E_CALL, kw);
	if (e == NULL || a == NULL || (e->u.call.args = cy_parser_alloc(p, 2 * sizeof *e->u.call.args)) == NULL)
		return NULL;
	e->u.call.name = (char *)name;
	e->u.call.args[0] = a;
	e->u.call.args[1] = b;
	e->u.call.n = b ? 2 : 1;
	return fin(p, kw, e);
}

/* [var IN src WHERE where] (kind CY_E_LISTCOMP) or any(var IN src WHERE where). */
static cy_expr *
mk_comp(parser *p, const cy_token *kw, int kind, const char *var, cy_expr *src, cy_expr *where)
{
	cy_expr *e = cy_new_expr(p, kind, kw);
	if (e == NULL || src == NULL || where == NULL)
		return NULL;
	e->e_op = kind == CY_E_QUANT ? CY_Q_ANY : 0;
	e->u.comp.var = (char *)var;
	e->u.comp.src = src;
	e->u.comp.where = where;
	return fin(p, kw, e);
}

/* The count of aggregate j (its argument at row position pos) in t's group
 * of k keys (see above). */
static cy_expr *
group_count(parser *p, const cy_token *kw, size_t k, size_t pos)
{
	cy_expr *cond = mk_op(p, kw, CY_E_UNARY, CY_OP_IS_NOT_NULL, mk_index(p, kw, " u", mk_int(p, kw, (int64_t)pos)), NULL);
	if (k > 0) {
		cy_expr *both_null = mk_op(p, kw, CY_E_BINARY, CY_OP_AND,
		    mk_op(p, kw, CY_E_UNARY, CY_OP_IS_NULL, mk_index(p, kw, " u", mk_var(p, kw, " i")), NULL),
		    mk_op(p, kw, CY_E_UNARY, CY_OP_IS_NULL, mk_index(p, kw, " t", mk_var(p, kw, " i")), NULL));
		cy_expr *same = mk_op(p, kw, CY_E_BINARY, CY_OP_OR, both_null,
		    mk_op(p, kw, CY_E_BINARY, CY_OP_EQ, mk_index(p, kw, " u", mk_var(p, kw, " i")),
		          mk_index(p, kw, " t", mk_var(p, kw, " i"))));
		cy_expr *keys = mk_comp(p, kw, CY_E_QUANT, " i",
		    mk_call(p, kw, "range", mk_int(p, kw, 0), mk_int(p, kw, (int64_t)k - 1)), same);
		if (keys)
			keys->e_op = CY_Q_ALL;
		cond = mk_op(p, kw, CY_E_BINARY, CY_OP_AND, keys, cond);
	}
	return mk_call(p, kw, "size", mk_comp(p, kw, CY_E_LISTCOMP, " u", mk_var(p, kw, " L"), cond), NULL);
}

/* WITH items [WHERE pred], read; the subquery's value built from comp
 * (whose projection is set here). */
static cy_expr *
with_body(parser *p, const cy_token *kw, int exists, cy_expr *comp)
{
	const cy_token *with = next(p);
	with_item *items = NULL;
	size_t n = 0, cap = 0, nkeys = 0, naggs = 0;
	cy_expr *pred = NULL;

	if (accept_kw(p, "DISTINCT") && !exists)
		return cy_fail_at(p, with, CY_ERR_UNEXPECTED_SYNTAX,
		    "WITH DISTINCT in a COUNT { } subquery is not supported");
	if (at(p, CY_T_STAR))
		return cy_fail_at(p, peek(p), CY_ERR_UNEXPECTED_SYNTAX,
		    "WITH * in a subquery is not supported: name what it projects");
	do {
		const cy_token *start = peek(p);
		with_item it = { cy_parser_expr(p), NULL, 0 };
		const cy_func *fn;
		if (it.expr == NULL)
			return NULL;
		if (accept_kw(p, "AS")) {
			if ((it.name = cy_tok_name(p, next(p))) == NULL)
				return NULL;
		} else if (it.expr->e_kind == CY_E_VAR) {
			it.name = it.expr->u.var.name;
		} else {
			return cy_fail_at(p, start, CY_ERR_NO_EXPRESSION_ALIAS,
			    "expression in WITH must be given a name with AS");
		}
		if (it.expr->e_kind == CY_E_CALL && (fn = cy_func_lookup(it.expr->u.call.name)) && fn->fn_agg) {
			if (!cy_ascii_ieq0(it.expr->u.call.name, "count") || it.expr->u.call.distinct || !exists)
				return cy_fail_at(p, start, CY_ERR_UNEXPECTED_SYNTAX,
				    "this aggregation in a subquery is not supported: EXISTS { } "
				    "can group by count(*) and count(expression)");
			it.agg = 1;
			naggs++;
		} else {
			nkeys++;
		}
		if (cy_parser_push(p, &items, &n, &cap, &it, sizeof it) < 0)
			return NULL;
	} while (accept(p, CY_T_COMMA));
	if (at_kw(p, "ORDER") || at_kw(p, "SKIP") || at_kw(p, "LIMIT"))
		return cy_fail_at(p, peek(p), CY_ERR_UNEXPECTED_SYNTAX,
		    "ORDER BY, SKIP and LIMIT after WITH in a subquery are not supported");
	if (accept_kw(p, "WHERE") && (pred = cy_parser_expr(p)) == NULL)
		return NULL;
	if (body_end(p, kw) < 0)
		return NULL;

	/* the row: keys first, then the counts' arguments */
	cy_expr **row = cy_parser_alloc(p, (n ? n : 1) * sizeof *row);
	size_t r = 0;
	if (row == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!items[i].agg)
			row[r++] = items[i].expr;
	for (size_t i = 0; i < n; i++)
		if (items[i].agg)
			row[r++] = items[i].expr->u.call.star ? mk_int(p, kw, 1) : items[i].expr->u.call.args[0];
	if ((comp->u.pat.proj = mk_list(p, kw, row, n)) == NULL || fin(p, kw, comp) == NULL)
		return NULL;

	/* bind the names around the WITH's WHERE, innermost last */
	if (pred == NULL) {
		if ((pred = cy_new_expr(p, CY_E_BOOL, kw)) == NULL)
			return NULL;
		pred->u.b = 1;
		pred = fin(p, kw, pred);
	}
	size_t key = nkeys, agg = naggs;
	for (size_t i = n; i-- > 0; ) {
		cy_expr *value = items[i].agg ? group_count(p, kw, nkeys, nkeys + --agg)
		                              : mk_index(p, kw, " t", mk_int(p, kw, (int64_t)--key));
		pred = mk_comp(p, kw, CY_E_QUANT, items[i].name, mk_list1(p, kw, value), pred);
	}
	if (!exists)
		return mk_call(p, kw, "size", mk_comp(p, kw, CY_E_LISTCOMP, " t", comp, pred), NULL);
	/* without keys, one group even of no rows: count() is then 0 */
	cy_expr *groups = nkeys == 0 ? mk_list1(p, kw, mk_int(p, kw, 0)) : mk_var(p, kw, " L");
	cy_expr *each = mk_comp(p, kw, CY_E_QUANT, " t", groups, pred);
	cy_expr *once = mk_comp(p, kw, CY_E_QUANT, " L", mk_list1(p, kw, comp), each);
	cy_expr *no = cy_new_expr(p, CY_E_BOOL, kw);
	if (no == NULL)
		return NULL;
	return mk_call(p, kw, "coalesce", once, fin(p, kw, no));
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
	if (at_kw(p, "WITH")) {
		cy_expr *e = with_body(p, kw, exists, comp);
		if (e != NULL)
			leave(p);
		return e;
	}
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
