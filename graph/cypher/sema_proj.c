/*
 * sema_proj.c: the semantic checks of WITH and RETURN: the expansion of *,
 * column names, aggregation (which items aggregate, what an aggregating
 * item may name besides its aggregates), what ORDER BY and WHERE after a
 * projection can see, and SKIP and LIMIT.  The rest of the checks, and the
 * scope this works on, are sema.c's.
 */
#include "sema_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- projections: WITH and RETURN ---- */

enum { RW_ITEM, RW_ORDER };

/* Rewriting and validating references in aggregating projections. */
struct rewrite {
	sema *s;
	cy_projection *pr;
	int mode;              /* RW_ITEM: an aggregating item; RW_ORDER: ORDER BY/WHERE */
	int lo, hi;            /* slots local to the expression */
	int new_lo;            /* RW_ORDER: projected slots start here */
	const char *what;
	int strict;            /* RW_ORDER with an aggregate: as RW_ITEM, only
	                          variables and properties stand for items */
};

static int
is_aggregate(const cy_expr *e)
{
	return e->e_kind == CY_E_CALL && e->u.call.fn && e->u.call.fn->fn_agg;
}

static int
find_aggregate(cy_expr **ep, void *ctx)
{
	(void)ctx;
	return is_aggregate(*ep) ? 1 : cy_expr_children(*ep, find_aggregate, NULL);
}

static int
rewrite_child(cy_expr **ep, void *ctx)
{
	struct rewrite *r = ctx;
	cy_expr *e = *ep;
	for (size_t k = 0; k < r->pr->pr_nitems; k++) {
		cy_proj_item *it = &r->pr->pr_items[k];
		int simple = it->pi_expr->e_kind == CY_E_VAR || it->pi_expr->e_kind == CY_E_PROP;
		if (r->mode == RW_ITEM && (it->pi_agg || !simple))
			continue;
		if (r->strict && !it->pi_agg && !simple)
			continue;
		if (!cy_expr_equal(e, it->pi_expr))
			continue;
		cy_expr *v = cy_arena_alloc(r->s->a, sizeof *v);
		if (v == NULL)
			return nomem(r->s);
		*v = *e;
		v->e_kind = CY_E_VAR;
		v->e_op = 0;
		v->e_height = 1;
		memset(&v->u, 0, sizeof v->u);
		v->u.var.name = it->pi_name;
		v->u.var.slot = it->pi_slot;
		*ep = v;
		return 0;
	}
	if (is_aggregate(e)) {
		if (r->mode == RW_ITEM)
			return 0;
		return FAIL_AT(r->s, e, CY_ERR_INVALID_AGGREGATION,
		    "aggregate function %s() in %s must also be projected by %s",
		    e->u.call.fn->fn_name, r->what, r->pr->pr_aggregating
		    ? "the aggregating projection" : "the projection");
	}
	if (e->e_kind == CY_E_VAR) {
		int slot = e->u.var.slot;
		if ((slot >= r->lo && slot < r->hi) || (r->mode == RW_ORDER && slot >= r->new_lo))
			return 0;
		if (r->mode == RW_ITEM || r->strict)
			return FAIL_AT(r->s, e, CY_ERR_AMBIGUOUS_AGGREGATION,
			    "variable `%s` is used next to an aggregate function but is "
			    "not a grouping key; project it as its own column",
			    e->u.var.name);
		return FAIL_AT(r->s, e, CY_ERR_UNDEFINED_VARIABLE,
		    "variable `%s` not defined (%s after an aggregating or DISTINCT "
		    "projection sees only what it projects)", e->u.var.name, r->what);
	}
	return cy_expr_children(e, rewrite_child, r);
}

/* SKIP and LIMIT: constant non-negative integers. */
static int
check_count(sema *s, cy_expr *e, const char *what)
{
	s->const_what = what;
	s->const_lo = s->nslots;
	int t = check_plain(s, e, what);
	s->const_what = NULL;
	if (t < 0)
		return -1;
	if (e->e_kind == CY_E_INT && e->u.i < 0)
		return FAIL_AT(s, e, CY_ERR_NEGATIVE_INTEGER_ARGUMENT,
		    "%s cannot be negative, it was %lld", what, (long long)e->u.i);
	if (is_known(t) && t != TY_INT)
		return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
		    "type mismatch: %s expects an integer but was %s", what,
		    type_names[t]);
	return 0;
}

/* By name, then by slot: of two bindings of a name the later comes last. */
static int
sym_cmp(const void *a, const void *b)
{
	const sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->slot > y->slot) - (x->slot < y->slot);
}

/* Prepends the expansion of * to the items: every variable in scope, in
 * name order. */
static int
expand_star(sema *s, cy_clause *c, int is_return)
{
	cy_projection *pr = &c->u.proj;
	sym *vars = cy_arena_grow(s->a, s->vars, s->nvars, s->nvars + 1, sizeof *vars);
	size_t n = 0;
	if (vars == NULL)
		return nomem(s);
	/* In name order; a later binding of a name hides an earlier one. */
	if (s->nvars)
		qsort(vars, s->nvars, sizeof *vars, sym_cmp);
	for (size_t i = 0; i < s->nvars; i++) {
		if (i + 1 < s->nvars && strcmp(vars[i].name, vars[i + 1].name) == 0)
			continue;
		vars[n++] = vars[i];
	}
	if (n == 0 && is_return)
		return fail(s, CY_ERR_NO_VARIABLES_IN_SCOPE, c->c_line, c->c_col, 0,
		    "RETURN * is not allowed when there are no variables in scope");
	cy_proj_item *items = cy_arena_alloc(s->a, (n + pr->pr_nitems + 1) * sizeof *items);
	if (items == NULL)
		return nomem(s);
	for (size_t i = 0; i < n; i++) {
		cy_expr *v = cy_arena_alloc(s->a, sizeof *v);
		if (v == NULL)
			return nomem(s);
		v->e_kind = CY_E_VAR;
		v->e_height = 1;
		v->e_line = c->c_line;
		v->e_col = c->c_col;
		v->u.var.name = (char *)vars[i].name;
		v->u.var.slot = -1;
		items[i] = (cy_proj_item){ .pi_line = c->c_line, .pi_col = c->c_col,
			.pi_expr = v, .pi_name = (char *)vars[i].name, .pi_star = 1,
			.pi_slot = -1 };
	}
	if (pr->pr_nitems)
		memcpy(items + n, pr->pr_items, pr->pr_nitems * sizeof *items);
	pr->pr_items = items;
	pr->pr_nitems += n;
	return 0;
}

static int
item_cmp(const void *a, const void *b)
{
	const cy_proj_item *x = *(cy_proj_item *const *)a, *y = *(cy_proj_item *const *)b;
	int c = strcmp(x->pi_name, y->pi_name);
	return c ? c : (x > y) - (x < y);
}

/* No two columns of a projection may have the same name. */
static int
check_columns(sema *s, cy_projection *pr, const char *what)
{
	size_t n = pr->pr_nitems;
	if (n < 2)
		return 0;
	cy_proj_item **v = cy_arena_alloc(s->a, n * sizeof *v);
	if (v == NULL)
		return nomem(s);
	for (size_t i = 0; i < n; i++)
		v[i] = &pr->pr_items[i];
	qsort(v, n, sizeof *v, item_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(v[i - 1]->pi_name, v[i]->pi_name) == 0)
			return fail(s, CY_ERR_COLUMN_NAME_CONFLICT, v[i]->pi_line,
			    v[i]->pi_col, 0, "column name '%s' is used twice in %s",
			    v[i]->pi_name, what);
	return 0;
}

int
check_projection(sema *s, cy_clause *c, int is_return)
{
	cy_projection *pr = &c->u.proj;
	const char *what = is_return ? "RETURN" : "WITH";
	size_t agg0 = s->naggs;
	/* A repeated check starts from what the parser made. */
	while (pr->pr_nitems && pr->pr_items[0].pi_star) {
		pr->pr_items++;
		pr->pr_nitems--;
	}
	if (pr->pr_star && expand_star(s, c, is_return) < 0)
		return -1;
	size_t n = pr->pr_nitems;
	int *info = cy_arena_alloc(s->a, (3 * n + 1) * sizeof *info);
	if (info == NULL)
		return nomem(s);
	int *types = info, *lo = info + n, *hi = info + 2 * n;
	s->agg_ok = 1;
	s->agg_where = what;
	for (size_t i = 0; i < n; i++) {
		cy_proj_item *it = &pr->pr_items[i];
		size_t before = s->naggs;
		lo[i] = s->nslots;
		if ((types[i] = check_expr(s, it->pi_expr)) < 0)
			return -1;
		hi[i] = s->nslots;
		it->pi_agg = s->naggs > before;
		if (it->pi_agg)
			pr->pr_aggregating = 1;
		if (!is_return && !it->pi_alias && it->pi_expr->e_kind != CY_E_VAR)
			return fail(s, CY_ERR_NO_EXPRESSION_ALIAS, it->pi_line, it->pi_col,
			    0, "expression '%s' in WITH must be given a name with AS",
			    it->pi_name);
	}
	if (check_columns(s, pr, what) < 0)
		return -1;
	s->agg_ok = 0;
	for (size_t i = 0; i < n; i++)
		if ((pr->pr_items[i].pi_slot = new_slot(s, pr->pr_items[i].pi_name)) < 0)
			return -1;
	/* Aggregating items may use grouping keys only. */
	if (pr->pr_aggregating) {
		for (size_t i = 0; i < n; i++) {
			cy_proj_item *it = &pr->pr_items[i];
			struct rewrite r = { s, pr, RW_ITEM, lo[i], hi[i], 0, what, 0 };
			if (it->pi_agg && !is_aggregate(it->pi_expr)
			    && rewrite_child(&it->pi_expr, &r) != 0)
				return -1;
		}
	}
	pr->pr_naggs = s->naggs - agg0;
	if (pr->pr_naggs) {
		pr->pr_aggs = cy_arena_grow(s->a, s->aggs + agg0, pr->pr_naggs,
		    pr->pr_naggs, sizeof *pr->pr_aggs);
		if (pr->pr_aggs == NULL)
			return nomem(s);
	}
	s->naggs = agg0;
	/* ORDER BY and WHERE see the new columns on top of the old scope. */
	int new_lo = n ? pr->pr_items[0].pi_slot : s->nslots;
	for (size_t i = 0; i < n; i++) {
		cy_proj_item *it = &pr->pr_items[i];
		if (declare_at(s, it->pi_name, types[i], it->pi_slot) < 0)
			return -1;
	}
	int restricted = pr->pr_aggregating || pr->pr_distinct;
	for (size_t i = 0; i < pr->pr_norder; i++) {
		cy_sort_item *so = &pr->pr_order[i];
		int l = s->nslots;
		s->agg_ok = pr->pr_aggregating;
		s->agg_where = "ORDER BY";
		int t = check_expr(s, so->so_expr);
		s->agg_ok = 0;
		s->naggs = agg0;
		if (t < 0)
			return -1;
		struct rewrite r = { s, pr, RW_ORDER, l, s->nslots, new_lo, "ORDER BY", 0 };
		/* an ORDER BY item that aggregates is an aggregating expression
		 * of its own: it may name grouping keys that are variables or
		 * properties, not larger expressions (me.age + you.age) */
		if (pr->pr_aggregating && find_aggregate(&so->so_expr, NULL) == 1) {
			r.strict = 1;
			for (size_t k = 0; k < pr->pr_nitems; k++)
				if (cy_expr_equal(so->so_expr, pr->pr_items[k].pi_expr))
					r.strict = 0;
		}
		if (restricted && rewrite_child(&so->so_expr, &r) != 0)
			return -1;
	}
	if (pr->pr_where) {
		int l = s->nslots;
		if (check_where(s, pr->pr_where) < 0)
			return -1;
		struct rewrite r = { s, pr, RW_ORDER, l, s->nslots, new_lo, "WHERE", 0 };
		if (restricted && rewrite_child(&pr->pr_where, &r) != 0)
			return -1;
	}
	if (pr->pr_skip && check_count(s, pr->pr_skip, "SKIP") < 0)
		return -1;
	if (pr->pr_limit && check_count(s, pr->pr_limit, "LIMIT") < 0)
		return -1;
	/* What comes next sees only the projection. */
	scope_keep_last(s, n);
	return 0;
}
