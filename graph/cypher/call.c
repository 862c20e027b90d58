/*
 * call.c: CALL of the built-in procedures that tools (Neo4j Browser,
 * drivers, schema viewers) call to learn a graph's vocabulary:
 *
 *   db.labels()            YIELD label             labels on some node
 *   db.relationshipTypes() YIELD relationshipType  types of some relationship
 *   db.propertyKeys()      YIELD propertyKey       keys of some property
 *
 * The forms of openCypher: standalone (CALL db.labels(), CALL db.labels,
 * with or without YIELD), and in a query (CALL db.labels() YIELD label AS l
 * WHERE ...).  A procedure here yields one column, so a call is the same as
 * UNWIND of the list of its values: the parser turns
 *
 *   CALL p() YIELD col AS v WHERE w    into  UNWIND <CALL p>() AS v
 *                                            WITH * WHERE w
 *
 * and a standalone call gets RETURN v.  <CALL p> is a function no query can
 * name (its name has a space), evaluated by cy_proc_eval below.  The values
 * come in name order, each once.  Other procedures are not found.
 */
#define CY_INTERNAL
#include "parser_int.h"
#include "engine.h"
#include "ascii.h"

#include <stdlib.h>
#include <string.h>

static const struct proc {
	const char *name;      /* as called */
	const char *fn;        /* its function in the table of sema.c */
	const char *column;    /* what it yields */
} procs[] = {
	{ "db.labels", "CALL db.labels", "label" },
	{ "db.relationshipTypes", "CALL db.relationshipTypes", "relationshipType" },
	{ "db.propertyKeys", "CALL db.propertyKeys", "propertyKey" },
};

/* ---- parsing ---- */

/* A dotted procedure name: ident ('.' ident)*, into buf. */
static int
proc_name(parser *p, char *buf, size_t cap)
{
	size_t n = 0;
	do {
		const cy_token *t = peek(p);
		if (t->kind != CY_T_IDENT && t->kind != CY_T_QIDENT) {
			cy_fail_at(p, t, CY_ERR_UNEXPECTED_SYNTAX, "expected a procedure name");
			return -1;
		}
		char *s = cy_tok_name(p, next(p));
		if (s == NULL)
			return -1;
		size_t l = strlen(s);
		if (n + l + 2 > cap) {
			cy_fail_at(p, t, CY_ERR_UNEXPECTED_SYNTAX, "procedure name is too long");
			return -1;
		}
		if (n)
			buf[n++] = '.';
		memcpy(buf + n, s, l);
		n += l;
		buf[n] = 0;
	} while (accept(p, CY_T_DOT));
	return 0;
}

static cy_expr *
var_expr(parser *p, const cy_token *at_tok, char *name)
{
	cy_expr *v = cy_new_expr(p, CY_E_VAR, at_tok);
	if (v) {
		v->u.var.name = name;
		v->u.var.slot = -1;
	}
	return v;
}

static cy_clause *
new_clause(parser *p, int kind, const cy_token *t)
{
	cy_clause *c = cy_parser_alloc(p, sizeof *c);
	if (c) {
		c->c_kind = (uint8_t)kind;
		c->c_line = t->line;
		c->c_col = t->col;
	}
	return c;
}

int
cy_parse_call(parser *p, cy_clause ***out, size_t *n, size_t *cap, int first)
{
	const cy_token *kw = next(p);      /* CALL */
	const cy_token *nt = peek(p);
	char name[256];
	if (proc_name(p, name, sizeof name) < 0)
		return -1;
	const struct proc *pr = NULL;
	for (size_t i = 0; i < sizeof procs / sizeof *procs; i++)
		if (cy_ascii_ieq0(procs[i].name, name))
			pr = &procs[i];
	if (pr == NULL) {
		cy_fail_at(p, nt, CY_ERR_UNKNOWN_FUNCTION,
		    "procedure not found: %s (there are db.labels, "
		    "db.relationshipTypes and db.propertyKeys)", name);
		return -1;
	}
	int explicit_args = accept(p, CY_T_LPAREN);
	if (explicit_args && !accept(p, CY_T_RPAREN)) {
		cy_fail_at(p, peek(p), CY_ERR_INVALID_NUMBER_OF_ARGUMENTS,
		    "%s() takes no arguments", pr->name);
		return -1;
	}
	/* YIELD col [AS v] | YIELD * | nothing (standalone only) */
	const cy_token *yt = peek(p);
	char *var = NULL;
	cy_expr *where = NULL;
	if (accept_kw(p, "YIELD")) {
		if (!accept(p, CY_T_STAR)) {
			const cy_token *ct = peek(p);
			char *col = (ct->kind == CY_T_IDENT || ct->kind == CY_T_QIDENT)
			    ? cy_tok_name(p, next(p)) : NULL;
			if (col == NULL) {
				cy_fail_at(p, ct, CY_ERR_UNEXPECTED_SYNTAX,
				    "expected an output of %s() to yield (%s)", pr->name, pr->column);
				return -1;
			}
			if (strcmp(col, pr->column) != 0) {
				cy_fail_at(p, ct, CY_ERR_UNDEFINED_VARIABLE,
				    "%s() yields no `%s`, only `%s`", pr->name, col, pr->column);
				return -1;
			}
			var = col;
			if (accept_kw(p, "AS")) {
				const cy_token *at_ = peek(p);
				if ((at_->kind != CY_T_IDENT && at_->kind != CY_T_QIDENT)
				    || (var = cy_tok_name(p, next(p))) == NULL) {
					cy_fail_at(p, at_, CY_ERR_UNEXPECTED_SYNTAX, "expected a variable");
					return -1;
				}
			}
			if (at(p, CY_T_COMMA)) {
				cy_fail_at(p, peek(p), CY_ERR_UNDEFINED_VARIABLE,
				    "%s() yields only `%s`", pr->name, pr->column);
				return -1;
			}
		}
		if (accept_kw(p, "WHERE") && (where = cy_parser_expr(p)) == NULL)
			return -1;
	}
	int standalone = first && (at(p, CY_T_SEMI) || at(p, CY_T_EOF) || at_kw(p, "UNION"));
	if (var == NULL && !standalone && !at_kw(p, "YIELD")) {
		/* openCypher: in a query, the outputs are named */
		if (yt == peek(p)) {
			cy_fail_at(p, kw, CY_ERR_UNEXPECTED_SYNTAX,
			    "CALL %s() inside a query needs YIELD %s (or YIELD *)",
			    pr->name, pr->column);
			return -1;
		}
	}
	if (var == NULL && (var = cy_parser_alloc(p, strlen(pr->column) + 1)) != NULL)
		strcpy(var, pr->column);
	if (!explicit_args && !standalone) {
		cy_fail_at(p, nt, CY_ERR_UNEXPECTED_SYNTAX,
		    "CALL %s inside a query needs its arguments in parentheses", pr->name);
		return -1;
	}
	/* UNWIND <CALL p>() AS var */
	cy_clause *u = new_clause(p, CY_C_UNWIND, kw);
	cy_expr *call = cy_new_expr(p, CY_E_CALL, kw);
	if (u == NULL || call == NULL || var == NULL)
		return -1;
	call->u.call.name = (char *)pr->fn;
	if (cy_parser_done(p, call, kw->off) == NULL)
		return -1;
	u->u.unwind.expr = call;
	u->u.unwind.var = var;
	u->u.unwind.slot = -1;
	if (cy_parser_push(p, out, n, cap, &u, sizeof u) < 0)
		return -1;
	if (where) {
		cy_clause *w = new_clause(p, CY_C_WITH, kw);
		if (w == NULL)
			return -1;
		w->u.proj.pr_star = 1;
		w->u.proj.pr_where = where;
		if (cy_parser_push(p, out, n, cap, &w, sizeof w) < 0)
			return -1;
	}
	if (standalone) {
		cy_clause *r = new_clause(p, CY_C_RETURN, kw);
		cy_proj_item *it = cy_parser_alloc(p, sizeof *it);
		if (r == NULL || it == NULL || (it->pi_expr = var_expr(p, kw, var)) == NULL)
			return -1;
		it->pi_line = kw->line;
		it->pi_col = kw->col;
		it->pi_name = var;
		it->pi_alias = 1;
		it->pi_slot = -1;
		r->u.proj.pr_items = it;
		r->u.proj.pr_nitems = 1;
		if (cy_parser_push(p, out, n, cap, &r, sizeof r) < 0)
			return -1;
	}
	return 0;
}

/* ---- evaluation ---- */

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const gr_value *)a)->u.s.ptr, ((const gr_value *)b)->u.s.ptr);
}

/* The names of the symbols set in `seen`, sorted, as a list. */
static int
names_list(cy_ctx *c, const uint8_t *seen, gr_value *out)
{
	*out = gr_list(0);
	for (uint32_t id = 1; id < 65536; id++) {
		if (!(seen[id >> 3] & (1u << (id & 7))))
			continue;
		size_t len;
		const char *name = gr_sym_name(c->txn, (uint16_t)id, &len);
		gr_value s = gr_string(name, len);
		if (s.type == GR_NULL || gr_list_push(out, s) < 0) {
			cy_free(out);
			return cy_nomem(c);
		}
	}
	qsort(out->u.list.items, out->u.list.n, sizeof *out->u.list.items, by_name);
	return 0;
}

#define SEE(id) (seen[(id) >> 3] |= (uint8_t)(1u << ((id) & 7)))

static int
labels_in_use(cy_ctx *c, uint8_t *seen)
{
	uint16_t id = 0;
	const char *name;
	size_t len;
	while (st_sym_next(c->st, &id, &name, &len) == ST_OK)
		if (st_label_count(c->st, id) > 0)
			SEE(id);
	return 0;
}

static int
types_in_use(cy_ctx *c, uint8_t *seen)
{
	st_adj_iter *it;
	st_adj e;
	uint32_t src = 0;
	int rc;
	if (st_adj_open(c->st, &it) != ST_OK)
		return cy_fail(c, NULL, "cannot read the relationships");
	while ((rc = st_adj_scan(it, &src, &e)) == 1) {
		if (cy_tick(c) < 0) {
			st_adj_close(it);
			return -1;
		}
		SEE(e.a_type);
	}
	st_adj_close(it);
	return rc == 0 ? 0 : cy_fail(c, NULL, "cannot read the relationships");
}

static int
keys_in_use(cy_ctx *c, uint8_t *seen)
{
	uint32_t id = 0;
	const void *rec;
	size_t len;
	gr_error err;
	int any = 0;
	while (st_node_next(c->st, &id, &rec, &len) == ST_OK) {
		gr_node nd;
		gr_node_init(&nd);
		if (cy_tick(c) < 0 || gr_node_load(c->txn, id, &nd, &err) != GR_OK) {
			gr_node_clear(&nd);
			return c->failed ? -1 : cy_fail(c, NULL, "cannot read node %u", id);
		}
		for (size_t i = 0; i < nd.n_nprops; i++)
			SEE(nd.n_props[i].p_key);
		any = 1;
		gr_node_clear(&nd);
	}
	id = 0;
	while (st_edge_next(c->st, &id, &rec, &len) == ST_OK) {
		gr_edge ed;
		gr_edge_init(&ed);
		ed.e_id = id;
		if (cy_tick(c) < 0 || gr_edge_load_props(c->txn, &ed, &err) != GR_OK) {
			gr_edge_clear(&ed);
			return c->failed ? -1 : cy_fail(c, NULL, "cannot read relationship %u", id);
		}
		for (size_t i = 0; i < ed.e_nprops; i++)
			SEE(ed.e_props[i].p_key);
		gr_edge_clear(&ed);
	}
	/* every node has a key, readable as n.key */
	if (any) {
		uint16_t k;
		if (gr_sym(c->txn, "key", 3, 0, &k) == GR_OK)
			SEE(k);
	}
	return 0;
}

int
cy_proc_eval(cy_ctx *c, int fn_id, gr_value *out)
{
	uint8_t *seen = calloc(65536 / 8, 1);
	int rc;
	if (seen == NULL)
		return cy_nomem(c);
	rc = fn_id == CY_F_PROC_LABELS ? labels_in_use(c, seen)
	    : fn_id == CY_F_PROC_TYPES ? types_in_use(c, seen)
	    : keys_in_use(c, seen);
	if (rc == 0)
		rc = names_list(c, seen, out);
	free(seen);
	return rc;
}
