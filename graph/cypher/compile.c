/*
 * compile.c: turns checked expressions (ast.h) into the executor's form
 * (cx, engine.h): parameters substituted, constant subexpressions folded,
 * `var.key` reads given their fast path, names kept as lazily resolved
 * symbols, and pattern expressions planned into small operator trees
 * that start from the current row.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static cx *cx_new(cy_planner *P, int kind, const cy_expr *src, size_t n)
{
	cx *e = cy_alloc(P->pool, sizeof *e);
	if (!e) {
		cy_nomem(P->c);
		return NULL;
	}
	e->k = (uint8_t)kind;
	e->src = src;
	e->slot = -1;
	e->slot2 = -1;
	if (n) {
		if (!(e->a = cy_alloc(P->pool, n * sizeof *e->a))) {
			cy_nomem(P->c);
			return NULL;
		}
		e->n = n;
	}
	return e;
}

static cx *cx_const(cy_planner *P, const cy_expr *src, gr_value v)
{
	cx *e = cx_new(P, CX_CONST, src, 0);
	if (!e) {
		cy_free(&v);
		return NULL;
	}
	e->v = v;
	if (cy_pool_value(P->pool, &e->v) < 0) {
		cy_nomem(P->c);
		return NULL;
	}
	return e;
}

/* Evaluates e now when all its operands are constants; an error is left
 * for run time (the expression may never be evaluated). */
static cx *fold(cy_planner *P, cx *e)
{
	cy_ctx *c = P->c;
	gr_value v;
	for (size_t i = 0; i < e->n; i++)
		if (e->a[i] && e->a[i]->k != CX_CONST)
			return e;
	if (c->failed)
		return e;
	if (cx_eval(c, e, &v) < 0) {
		c->failed = 0;
		c->grc = 0;
		return e;
	}
	e->k = CX_CONST;
	e->v = v;
	e->n = 0;
	if (cy_pool_value(P->pool, &e->v) < 0) {
		cy_nomem(c);
		return NULL;
	}
	return e;
}

static int is_pure(const cy_func *fn)
{
	return fn->fn_id != CY_F_RAND;
}

/* ---- references, for pushing predicates down ---- */

int cy_ready(const cy_planner *P, const cx *e)
{
	if (!e)
		return 1;
	switch (e->k) {
	case CX_SLOT:
	case CX_PROPSLOT:
	case CX_AGG:
		return P->bound[e->slot] || P->local[e->slot];
	default:
		break;
	}
	for (size_t i = 0; i < e->nrefs; i++)
		if (!P->bound[e->refs[i]] && !P->local[e->refs[i]])
			return 0;
	for (size_t i = 0; i < e->n; i++)
		if (!cy_ready(P, e->a[i]))
			return 0;
	return 1;
}

/* ---- pattern expressions ---- */

static int add_ref(cy_planner *P, cx *e, int slot)
{
	for (size_t i = 0; i < e->nrefs; i++)
		if (e->refs[i] == slot)
			return 0;
	int *n = cy_alloc(P->pool, (e->nrefs + 1) * sizeof *n);
	if (!n)
		return cy_nomem(P->c);
	if (e->nrefs)
		memcpy(n, e->refs, e->nrefs * sizeof *n);
	n[e->nrefs++] = slot;
	e->refs = n;
	return 0;
}

static cx_pathdef *pathdef(cy_planner *P, const cy_path *pa)
{
	size_t nr = pa->pa_nnodes - 1;
	cx_pathdef *pd = cy_alloc(P->pool, sizeof *pd);
	if (!pd || !(pd->nodes = cy_alloc(P->pool, pa->pa_nnodes * sizeof(int))) ||
	    !(pd->rels = cy_alloc(P->pool, (nr + 1) * sizeof(int))) ||
	    !(pd->varlen = cy_alloc(P->pool, nr + 1))) {
		cy_nomem(P->c);
		return NULL;
	}
	for (size_t i = 0; i < pa->pa_nnodes; i++)
		pd->nodes[i] = pa->pa_nodes[i].np_slot;
	for (size_t i = 0; i < nr; i++) {
		pd->rels[i] = pa->pa_rels[i].rp_slot;
		pd->varlen[i] = pa->pa_rels[i].rp_varlen;
	}
	pd->nrels = nr;
	return pd;
}

cx_pathdef *cy_pathdef(cy_planner *P, const cy_path *pa);
cx_pathdef *cy_pathdef(cy_planner *P, const cy_path *pa)
{
	return pathdef(P, pa);
}

/* Every variable an expression reads (the walk of the syntax tree). */
static int expr_refs(cy_planner *P, cx *x, const cy_expr *e);

static int path_refs(cy_planner *P, cx *x, const cy_path *pa)
{
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		if (pa->pa_nodes[i].np_props && expr_refs(P, x, pa->pa_nodes[i].np_props) < 0)
			return -1;
		if (i + 1 < pa->pa_nnodes && pa->pa_rels[i].rp_props &&
		    expr_refs(P, x, pa->pa_rels[i].rp_props) < 0)
			return -1;
	}
	return 0;
}

/* The elements of a path bound before it (np_new == 0). */
static int bound_refs(cy_planner *P, cx *x, const cy_path *pa)
{
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		if (!pa->pa_nodes[i].np_new && add_ref(P, x, pa->pa_nodes[i].np_slot) < 0)
			return -1;
		if (i + 1 < pa->pa_nnodes && !pa->pa_rels[i].rp_new &&
		    add_ref(P, x, pa->pa_rels[i].rp_slot) < 0)
			return -1;
	}
	return 0;
}

static int expr_refs(cy_planner *P, cx *x, const cy_expr *e)
{
	const cy_expr *kids[3] = { NULL, NULL, NULL };
	if (!e)
		return 0;
	switch (e->e_kind) {
	case CY_E_VAR:
		return e->u.var.slot >= 0 ? add_ref(P, x, e->u.var.slot) : 0;
	case CY_E_LIST:
		for (size_t i = 0; i < e->u.list.n; i++)
			if (expr_refs(P, x, e->u.list.items[i]) < 0)
				return -1;
		return 0;
	case CY_E_MAP:
		for (size_t i = 0; i < e->u.map.n; i++)
			if (expr_refs(P, x, e->u.map.vals[i]) < 0)
				return -1;
		return 0;
	case CY_E_CALL:
		for (size_t i = 0; i < e->u.call.n; i++)
			if (expr_refs(P, x, e->u.call.args[i]) < 0)
				return -1;
		return 0;
	case CY_E_CASE:
		for (size_t i = 0; i < e->u.kase.n; i++)
			if (expr_refs(P, x, e->u.kase.whens[i]) < 0 || expr_refs(P, x, e->u.kase.thens[i]) < 0)
				return -1;
		kids[0] = e->u.kase.subject;
		kids[1] = e->u.kase.els;
		break;
	case CY_E_PROP: kids[0] = e->u.prop.obj; break;
	case CY_E_INDEX: kids[0] = e->u.index.obj; kids[1] = e->u.index.idx; break;
	case CY_E_SLICE: kids[0] = e->u.slice.obj; kids[1] = e->u.slice.from; kids[2] = e->u.slice.to; break;
	case CY_E_HASLABELS: kids[0] = e->u.labels.obj; break;
	case CY_E_UNARY: kids[0] = e->u.bin.a; break;
	case CY_E_BINARY: kids[0] = e->u.bin.a; kids[1] = e->u.bin.b; break;
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
		kids[0] = e->u.comp.src; kids[1] = e->u.comp.where; kids[2] = e->u.comp.proj;
		break;
	case CY_E_REDUCE: kids[0] = e->u.reduce.src; kids[1] = e->u.reduce.init; kids[2] = e->u.reduce.body; break;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		/* a nested pattern also reads the bound variables it names, as
		 * in EXISTS { (m) WHERE EXISTS { (n)-->(m) } } */
		if (path_refs(P, x, e->u.pat.path) < 0 || bound_refs(P, x, e->u.pat.path) < 0)
			return -1;
		kids[0] = e->u.pat.where;
		kids[1] = e->u.pat.proj;
		break;
	default:
		return 0;
	}
	for (int i = 0; i < 3; i++)
		if (kids[i] && expr_refs(P, x, kids[i]) < 0)
			return -1;
	return 0;
}

/* A pattern in an expression: its elements bound before (np_new == 0)
 * come from the row; the others are local to the expression. */
static cx *compile_pattern(cy_planner *P, const cy_expr *e, int bool_ctx)
{
	cy_path *pa = e->u.pat.path;
	int kind = e->e_kind == CY_E_PATCOMP ? CX_PATCOMP : bool_ctx ? CX_EXISTS : CX_PATLIST;
	cx *x = cx_new(P, kind, e, kind == CX_PATCOMP ? 1 : 0);
	uint8_t *save = P->bound, *tmp;
	if (!x)
		return NULL;
	if (!(tmp = cy_alloc(P->pool, (size_t)P->nslots + 1)))
		return cy_nomem(P->c), NULL;
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		const cy_node_pat *np = &pa->pa_nodes[i];
		if (!np->np_new) {
			tmp[np->np_slot] = 1;
			if (add_ref(P, x, np->np_slot) < 0)
				return NULL;
		}
		if (i + 1 < pa->pa_nnodes) {
			const cy_rel_pat *rp = &pa->pa_rels[i];
			if (!rp->rp_new) {
				tmp[rp->rp_slot] = 1;
				if (add_ref(P, x, rp->rp_slot) < 0)
					return NULL;
			}
		}
	}
	P->bound = tmp;
	x->sub = cy_plan_patterns(P, cy_op_once(P->pool), &pa, 1,
	    e->e_kind == CY_E_PATCOMP ? e->u.pat.where : NULL);
	P->bound = save;
	if (!x->sub)
		return NULL;
	if (kind == CX_PATCOMP) {
		/* the projection sees the pattern's variables */
		for (size_t i = 0; i < pa->pa_nnodes; i++)
			tmp[pa->pa_nodes[i].np_slot] = 1;
		if (!(x->a[0] = cy_compile(P, e->u.pat.proj, 0)))
			return NULL;
	}
	if (kind == CX_PATLIST && !(x->path = pathdef(P, pa)))
		return NULL;
	/* the pattern's new variables are its own: bound inside, local
	 * outside (only now, or its WHERE would be placed before them) */
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		if (pa->pa_nodes[i].np_new)
			P->local[pa->pa_nodes[i].np_slot] = 1;
		if (i + 1 < pa->pa_nnodes && pa->pa_rels[i].rp_new)
			P->local[pa->pa_rels[i].rp_slot] = 1;
	}
	if (pa->pa_slot >= 0)
		P->local[pa->pa_slot] = 1;
	/* what else it reads from the row: property maps, WHERE, projection
	 * (the pattern's own new variables are local) */
	if (path_refs(P, x, pa) < 0 || expr_refs(P, x, e->u.pat.where) < 0 || expr_refs(P, x, e->u.pat.proj) < 0)
		return NULL;
	return x;
}

/* ---- expressions ---- */

static cx *compile_call(cy_planner *P, const cy_expr *e)
{
	const cy_func *fn = e->u.call.fn;
	cx *x;
	int all_const = 1;
	if (!fn)
		return cy_fail(P->c, e, "unknown function '%s'", e->u.call.name), NULL;
	if (fn->fn_agg) {
		if (!(x = cx_new(P, CX_AGG, e, 0)))
			return NULL;
		x->slot = e->u.call.agg_slot;
		x->op = fn->fn_id;
		x->fn = fn;
		P->local[x->slot] = 1;
		return x;
	}
	if (!(x = cx_new(P, CX_CALL, e, e->u.call.n)))
		return NULL;
	x->op = fn->fn_id;
	x->fn = fn;
	for (size_t i = 0; i < e->u.call.n; i++) {
		if (!(x->a[i] = cy_compile(P, e->u.call.args[i], fn->fn_id == CY_F_EXISTS)))
			return NULL;
		if (x->a[i]->k != CX_CONST)
			all_const = 0;
	}
	if (all_const && is_pure(fn))
		return fold(P, x);
	return x;
}

cx *cy_compile_agg(cy_planner *P, const cy_expr *e)
{
	cx *x = cx_new(P, CX_CALL, e, e->u.call.n);
	if (!x)
		return NULL;
	x->op = e->u.call.fn->fn_id;
	x->fn = e->u.call.fn;
	x->slot = e->u.call.agg_slot;
	for (size_t i = 0; i < e->u.call.n; i++)
		if (!(x->a[i] = cy_compile(P, e->u.call.args[i], 0)))
			return NULL;
	return x;
}

static int binary_kind(int op, int *kind)
{
	switch (op) {
	case CY_OP_OR: *kind = CX_OR; return 1;
	case CY_OP_XOR: *kind = CX_XOR; return 1;
	case CY_OP_AND: *kind = CX_AND; return 1;
	case CY_OP_EQ: case CY_OP_NE: case CY_OP_LT: case CY_OP_GT: case CY_OP_LE: case CY_OP_GE:
		*kind = CX_CMP;
		return 0;
	case CY_OP_IN: *kind = CX_IN; return 0;
	case CY_OP_STARTS_WITH: case CY_OP_ENDS_WITH: case CY_OP_CONTAINS:
		*kind = CX_STROP;
		return 0;
	case CY_OP_REGEX: *kind = CX_REGEX; return 0;
	default: *kind = CX_ARITH; return 0;
	}
}

cx *cy_compile(cy_planner *P, const cy_expr *e, int bool_ctx)
{
	cy_ctx *c = P->c;
	cx *x;
	int kind;
	if (!e)
		return NULL;
	switch (e->e_kind) {
	case CY_E_NULL:
		return cx_const(P, e, cy_nullv());
	case CY_E_BOOL:
		return cx_const(P, e, cy_boolv(e->u.b));
	case CY_E_INT:
		return cx_const(P, e, gr_int(e->u.i));
	case CY_E_FLOAT:
		return cx_const(P, e, gr_float(e->u.f));
	case CY_E_STRING: {
		gr_value s = gr_string(e->u.s.ptr, e->u.s.len);
		if (s.type != GR_STRING)
			return cy_nomem(c), NULL;
		return cx_const(P, e, s);
	}
	case CY_E_PARAM: {
		const gr_value *pv = cy_session_param_get(c->s, e->u.param.name);
		gr_value v;
		if (!pv)
			return cy_fail(c, e, "parameter $%s is not given (use --param %s=VALUE)",
			    e->u.param.name, e->u.param.name), NULL;
		if (gr_value_copy(&v, pv) < 0)
			return cy_nomem(c), NULL;
		return cx_const(P, e, v);
	}
	case CY_E_VAR:
		if (!(x = cx_new(P, CX_SLOT, e, 0)))
			return NULL;
		x->slot = e->u.var.slot;
		if (x->slot < 0)
			return cy_fail(c, e, "variable `%s` not defined", e->u.var.name), NULL;
		return x;
	case CY_E_LIST: {
		int all_const = 1;
		if (cy_expr_is_literal(e)) {
			/* straight to one value: a compiled node per element
			 * would cost some 250 bytes each for a big literal */
			gr_value v;
			int rc = cy_eval_constant(e, &v, NULL);
			if (rc != CY_OK)
				return cy_nomem(c), NULL;
			return cx_const(P, e, v);
		}
		if (!(x = cx_new(P, CX_LIST, e, e->u.list.n)))
			return NULL;
		for (size_t i = 0; i < e->u.list.n; i++) {
			if (!(x->a[i] = cy_compile(P, e->u.list.items[i], 0)))
				return NULL;
			all_const &= x->a[i]->k == CX_CONST;
		}
		return all_const ? fold(P, x) : x;
	}
	case CY_E_MAP: {
		int all_const = 1;
		if (!(x = cx_new(P, CX_MAP, e, e->u.map.n)))
			return NULL;
		x->keys = (const char *const *)e->u.map.keys;
		for (size_t i = 0; i < e->u.map.n; i++) {
			if (!(x->a[i] = cy_compile(P, e->u.map.vals[i], 0)))
				return NULL;
			all_const &= x->a[i]->k == CX_CONST;
		}
		return all_const ? fold(P, x) : x;
	}
	case CY_E_PROP: {
		cx *obj = cy_compile(P, e->u.prop.obj, 0);
		if (!obj)
			return NULL;
		if (obj->k == CX_SLOT) {
			if (!(x = cx_new(P, CX_PROPSLOT, e, 0)))
				return NULL;
			x->slot = obj->slot;
			x->sym = cy_sym_of(e->u.prop.key);
			if (cy_pool_value(P->pool, &x->memo) < 0)
				return cy_nomem(c), NULL;
			return x;
		}
		if (!(x = cx_new(P, CX_PROP, e, 1)))
			return NULL;
		x->a[0] = obj;
		x->sym = cy_sym_of(e->u.prop.key);
		return fold(P, x);
	}
	case CY_E_INDEX:
		if (!(x = cx_new(P, CX_INDEX, e, 2)) || !(x->a[0] = cy_compile(P, e->u.index.obj, 0)) ||
		    !(x->a[1] = cy_compile(P, e->u.index.idx, 0)))
			return NULL;
		return fold(P, x);
	case CY_E_SLICE:
		if (!(x = cx_new(P, CX_SLICE, e, 3)) || !(x->a[0] = cy_compile(P, e->u.slice.obj, 0)))
			return NULL;
		if (e->u.slice.from && !(x->a[1] = cy_compile(P, e->u.slice.from, 0)))
			return NULL;
		if (e->u.slice.to && !(x->a[2] = cy_compile(P, e->u.slice.to, 0)))
			return NULL;
		return fold(P, x);
	case CY_E_HASLABELS:
		if (!(x = cx_new(P, CX_HASLABELS, e, 1)) || !(x->a[0] = cy_compile(P, e->u.labels.obj, 0)))
			return NULL;
		if (!(x->labels = cy_alloc(P->pool, (e->u.labels.n + 1) * sizeof *x->labels)))
			return cy_nomem(c), NULL;
		for (size_t i = 0; i < e->u.labels.n; i++)
			x->labels[i] = cy_sym_of(e->u.labels.labels[i]);
		x->nlabels = e->u.labels.n;
		return x;
	case CY_E_CALL:
		return compile_call(P, e);
	case CY_E_CASE: {
		size_t n = e->u.kase.n;
		if (!(x = cx_new(P, CX_CASE, e, 2 + 2 * n)))
			return NULL;
		if (e->u.kase.subject && !(x->a[0] = cy_compile(P, e->u.kase.subject, 0)))
			return NULL;
		for (size_t i = 0; i < n; i++)
			if (!(x->a[1 + 2 * i] = cy_compile(P, e->u.kase.whens[i], !e->u.kase.subject)) ||
			    !(x->a[2 + 2 * i] = cy_compile(P, e->u.kase.thens[i], 0)))
				return NULL;
		if (e->u.kase.els && !(x->a[1 + 2 * n] = cy_compile(P, e->u.kase.els, 0)))
			return NULL;
		return x;
	}
	case CY_E_UNARY:
		switch (e->e_op) {
		case CY_OP_NOT: kind = CX_NOT; break;
		case CY_OP_IS_NULL: kind = CX_ISNULL; break;
		case CY_OP_IS_NOT_NULL: kind = CX_ISNOTNULL; break;
		default: kind = CX_NEG; break;
		}
		if (!(x = cx_new(P, kind, e, 1)) || !(x->a[0] = cy_compile(P, e->u.bin.a, kind == CX_NOT)))
			return NULL;
		x->op = e->e_op;
		return fold(P, x);
	case CY_E_BINARY: {
		int logical = binary_kind(e->e_op, &kind);
		if (!(x = cx_new(P, kind, e, 2)) || !(x->a[0] = cy_compile(P, e->u.bin.a, logical)) ||
		    !(x->a[1] = cy_compile(P, e->u.bin.b, logical)))
			return NULL;
		x->op = e->e_op;
		return fold(P, x);
	}
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
		if (!(x = cx_new(P, e->e_kind == CY_E_LISTCOMP ? CX_LISTCOMP : CX_QUANT, e, 3)))
			return NULL;
		x->op = e->e_op;
		x->slot = e->u.comp.slot;
		P->local[x->slot] = 1;
		if (!(x->a[0] = cy_compile(P, e->u.comp.src, 0)))
			return NULL;
		if (e->u.comp.where && !(x->a[1] = cy_compile(P, e->u.comp.where, 1)))
			return NULL;
		if (e->u.comp.proj && !(x->a[2] = cy_compile(P, e->u.comp.proj, 0)))
			return NULL;
		return x;
	case CY_E_REDUCE:
		if (!(x = cx_new(P, CX_REDUCE, e, 3)))
			return NULL;
		x->slot = e->u.reduce.slot;
		x->slot2 = e->u.reduce.acc_slot;
		P->local[x->slot] = P->local[x->slot2] = 1;
		if (!(x->a[0] = cy_compile(P, e->u.reduce.src, 0)) || !(x->a[1] = cy_compile(P, e->u.reduce.init, 0)) ||
		    !(x->a[2] = cy_compile(P, e->u.reduce.body, 0)))
			return NULL;
		return x;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		return compile_pattern(P, e, bool_ctx);
	}
	return cy_fail(c, e, "cannot evaluate this expression"), NULL;
}
