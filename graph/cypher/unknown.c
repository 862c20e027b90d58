/*
 * unknown.c: the names a statement reads that the database has never held.
 *
 * openCypher runs `MATCH (v:Vesel)` and finds nothing; an investigator who
 * typed Vesel for Vessel deserves to be told.  Before a statement runs,
 * every label, relationship type and property key it reads (in MATCH
 * patterns, pattern expressions, label tests and property reads of pattern
 * variables) is looked up in the symbol table; one missing there was never
 * the name of anything in this database.  Names a statement only writes
 * (CREATE, MERGE, SET, REMOVE) are new on purpose and are not reported, nor
 * are reads of map keys and temporal fields (`c.confidence`, `d.days`),
 * which are not properties: only `x.key` where x is a node or relationship
 * variable of one of the statement's patterns counts.
 */
#define CY_INTERNAL
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct names_ctx {
	gr_txn *txn;
	cy_warn_fn fn;
	void *arg;
	const char **vars;     /* node and relationship variables of the query */
	size_t nvars, capvars;
	const char *seen[64];  /* names already reported (kind + name) */
	char seen_kind[64];
	size_t nseen;
	int oom;
} names_ctx;

static int known(names_ctx *c, const char *name)
{
	uint16_t id;
	return gr_sym(c->txn, name, strlen(name), 0, &id) == GR_OK;
}

/* Reports `name` of kind k ('l' label, 't' type, 'p' property) once. */
static void check(names_ctx *c, char k, const char *name, uint32_t line, uint32_t col)
{
	static const char *const what[] = { "label", "relationship type", "property" };
	char msg[300];
	if (!name || known(c, name) || (k == 'p' && strcmp(name, "key") == 0))
		return;   /* n.key reads the node key, always there */
	for (size_t i = 0; i < c->nseen; i++)
		if (c->seen_kind[i] == k && strcmp(c->seen[i], name) == 0)
			return;
	if (c->nseen < sizeof c->seen / sizeof c->seen[0]) {
		c->seen[c->nseen] = name;
		c->seen_kind[c->nseen++] = k;
	}
	snprintf(msg, sizeof msg, "the database has never held the %s '%.200s' (the query runs all the same)",
	    what[k == 'l' ? 0 : k == 't' ? 1 : 2], name);
	c->fn(c->arg, line, col, msg);
}

static int is_var(names_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nvars; i++)
		if (strcmp(c->vars[i], name) == 0)
			return 1;
	return 0;
}

static void add_var(names_ctx *c, const char *name)
{
	if (!name || is_var(c, name))
		return;
	if (c->nvars == c->capvars) {
		size_t cap = c->capvars ? c->capvars * 2 : 16;
		const char **v = realloc(c->vars, cap * sizeof *v);
		if (!v) {
			c->oom = 1;
			return;
		}
		c->vars = v;
		c->capvars = cap;
	}
	c->vars[c->nvars++] = name;
}

static int visit_expr(cy_expr **e, void *ctx);

/* A pattern that reads: its labels, types and property map keys. */
static void read_path(names_ctx *c, const cy_path *p)
{
	for (size_t i = 0; i < p->pa_nnodes; i++) {
		const cy_node_pat *n = &p->pa_nodes[i];
		for (size_t k = 0; k < n->np_nlabels; k++)
			check(c, 'l', n->np_labels[k], n->np_line, n->np_col);
		if (n->np_props && n->np_props->e_kind == CY_E_MAP)
			for (size_t k = 0; k < n->np_props->u.map.n; k++)
				check(c, 'p', n->np_props->u.map.keys[k], n->np_line, n->np_col);
	}
	for (size_t i = 0; i + 1 < p->pa_nnodes; i++) {
		const cy_rel_pat *r = &p->pa_rels[i];
		for (size_t k = 0; k < r->rp_ntypes; k++)
			check(c, 't', r->rp_types[k], r->rp_line, r->rp_col);
		if (r->rp_props && r->rp_props->e_kind == CY_E_MAP)
			for (size_t k = 0; k < r->rp_props->u.map.n; k++)
				check(c, 'p', r->rp_props->u.map.keys[k], r->rp_line, r->rp_col);
	}
}

static void path_vars(names_ctx *c, const cy_path *p)
{
	for (size_t i = 0; i < p->pa_nnodes; i++)
		add_var(c, p->pa_nodes[i].np_var);
	for (size_t i = 0; i + 1 < p->pa_nnodes; i++)
		if (!p->pa_rels[i].rp_varlen)
			add_var(c, p->pa_rels[i].rp_var);
}

static int visit_expr(cy_expr **ep, void *ctx)
{
	names_ctx *c = ctx;
	cy_expr *e = *ep;
	if (!e)
		return 0;
	switch (e->e_kind) {
	case CY_E_PROP:
		if (e->u.prop.obj->e_kind == CY_E_VAR && is_var(c, e->u.prop.obj->u.var.name))
			check(c, 'p', e->u.prop.key, e->e_line, e->e_col);
		break;
	case CY_E_HASLABELS:
		for (size_t i = 0; i < e->u.labels.n; i++)
			check(c, 'l', e->u.labels.labels[i], e->e_line, e->e_col);
		break;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		read_path(c, e->u.pat.path);
		break;
	default:
		break;
	}
	return cy_expr_children(e, visit_expr, c);
}

static void visit(names_ctx *c, cy_expr *e)
{
	visit_expr(&e, c);
}

/* The values a SET or ON CREATE/ON MATCH reads; its targets are writes. */
static void visit_sets(names_ctx *c, cy_set_item *it, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (it[i].si_target && it[i].si_target->e_kind == CY_E_PROP)
			visit(c, it[i].si_target->u.prop.obj);
		visit(c, it[i].si_value);
	}
}

/* The expressions of a writing pattern: its values are reads. */
static void visit_path_values(names_ctx *c, cy_path *p)
{
	cy_path_exprs(p, visit_expr, c);
}

static void visit_proj(names_ctx *c, cy_projection *pr)
{
	for (size_t i = 0; i < pr->pr_nitems; i++)
		visit(c, pr->pr_items[i].pi_expr);
	for (size_t i = 0; i < pr->pr_norder; i++)
		visit(c, pr->pr_order[i].so_expr);
	visit(c, pr->pr_where);
}

static void visit_clause(names_ctx *c, cy_clause *cl)
{
	switch (cl->c_kind) {
	case CY_C_MATCH:
		for (size_t i = 0; i < cl->u.match.npaths; i++) {
			read_path(c, cl->u.match.paths[i]);
			visit_path_values(c, cl->u.match.paths[i]);
		}
		visit(c, cl->u.match.where);
		break;
	case CY_C_CREATE:
		for (size_t i = 0; i < cl->u.create.npaths; i++)
			visit_path_values(c, cl->u.create.paths[i]);
		break;
	case CY_C_MERGE:
		visit_path_values(c, cl->u.merge.path);
		visit_sets(c, cl->u.merge.on_create, cl->u.merge.non_create);
		visit_sets(c, cl->u.merge.on_match, cl->u.merge.non_match);
		break;
	case CY_C_SET:
	case CY_C_REMOVE:
		visit_sets(c, cl->u.set.items, cl->u.set.n);
		break;
	case CY_C_DELETE:
		for (size_t i = 0; i < cl->u.del.n; i++)
			visit(c, cl->u.del.exprs[i]);
		break;
	case CY_C_UNWIND:
		visit(c, cl->u.unwind.expr);
		break;
	case CY_C_WITH:
	case CY_C_RETURN:
		visit_proj(c, &cl->u.proj);
		break;
	}
}

static void collect_vars(names_ctx *c, const cy_clause *cl)
{
	if (cl->c_kind == CY_C_MATCH)
		for (size_t i = 0; i < cl->u.match.npaths; i++)
			path_vars(c, cl->u.match.paths[i]);
	else if (cl->c_kind == CY_C_CREATE)
		for (size_t i = 0; i < cl->u.create.npaths; i++)
			path_vars(c, cl->u.create.paths[i]);
	else if (cl->c_kind == CY_C_MERGE)
		path_vars(c, cl->u.merge.path);
}

int cy_unknown_names(gr_txn *txn, const cy_stmt *st, cy_warn_fn fn, void *arg)
{
	names_ctx c = { 0 };
	c.txn = txn;
	c.fn = fn;
	c.arg = arg;
	for (size_t q = 0; q < st->st_nparts; q++) {
		cy_query *part = st->st_parts[q];
		c.nvars = 0;
		for (size_t i = 0; i < part->q_n; i++)
			collect_vars(&c, part->q_clauses[i]);
		for (size_t i = 0; i < part->q_n; i++)
			visit_clause(&c, part->q_clauses[i]);
	}
	free(c.vars);
	return c.oom ? CY_ENOMEM : CY_OK;
}
