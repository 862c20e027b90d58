/*
 * plan.c: from a checked statement to a tree of operators.
 *
 * Clauses are planned in order on top of each other, starting from one
 * empty row.  A MATCH's patterns become a chain of operators chosen
 * greedily: start at the most selective anchor (a node found by its key;
 * a label with a property filter whose candidates are few, counted with
 * what they touch in the adjacency; a label; all nodes), then expand along
 * relationships from bound nodes in either direction, checking labels and
 * property maps of the node reached in the same step, and place each
 * WHERE conjunct right after the operator that binds its last variable.
 * Shortest paths are searched once both ends are bound.  WITH and RETURN
 * become a projection or an aggregation, then DISTINCT, ORDER BY, SKIP,
 * LIMIT and WITH's WHERE; the writing clauses become barriers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "cost.h"

cx_pathdef *cy_pathdef(cy_planner *P, const cy_path *pa);

/* ---- the pattern graph of one MATCH ---- */

typedef struct pnode {
	int slot;
	const cy_expr *at;
	cy_sym *labels;
	size_t nlabels, clabels;
	cy_sym *pkeys;
	cx **pvals;
	size_t nprops, cprops;
	int bound;
	double est;
	uint32_t *cand;         /* candidates, when counted while choosing */
	size_t ncand;
	int counted;
	uint32_t *sample;       /* nodes like this one, for degrees (cost.h) */
	size_t nsample;
	int sampled;
	double sel;             /* the fraction of its label its filter passes */
} pnode;

typedef struct prel {
	const cy_rel_pat *rp;
	const cy_path *path;
	int l, r;               /* pnode indexes, as written */
	int done;
	cy_sym *types;
	size_t ntypes;
	cy_nodechk chk;
} prel;

typedef struct pgraph {
	pnode *n;
	size_t nn, cn;
	prel *r;
	size_t nr, cr;
	cx **conj;
	uint8_t *used;
	size_t nconj, cconj;
} pgraph;

static void *grow(cy_planner *P, void *old, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return old;
	size_t nc = *cap ? *cap * 2 : 8;
	void *p = cy_alloc(P->pool, nc * elem);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, old, n * elem);
	*cap = nc;
	return p;
}

static int add_conj(cy_planner *P, pgraph *g, cx *e)
{
	size_t cap = g->cconj;
	cx **nc = grow(P, g->conj, g->nconj, &cap, sizeof *nc);
	if (!nc)
		return cy_nomem(P->c);
	if (cap != g->cconj) {
		uint8_t *nu = cy_alloc(P->pool, cap);
		if (!nu)
			return cy_nomem(P->c);
		if (g->nconj)
			memcpy(nu, g->used, g->nconj);
		g->used = nu;
	}
	g->conj = nc;
	g->cconj = cap;
	g->used[g->nconj] = 0;
	g->conj[g->nconj++] = e;
	return 0;
}

/* Splits a WHERE into its AND-ed parts. */
static int split_where(cy_planner *P, pgraph *g, const cy_expr *e)
{
	cx *x;
	if (e->e_kind == CY_E_BINARY && e->e_op == CY_OP_AND)
		return split_where(P, g, e->u.bin.a) < 0 ? -1 : split_where(P, g, e->u.bin.b);
	if (!(x = cy_compile(P, e, 1)))
		return -1;
	return add_conj(P, g, x);
}

static int node_add_label(cy_planner *P, pnode *n, const char *name)
{
	for (size_t i = 0; i < n->nlabels; i++)
		if (!strcmp(n->labels[i].name, name))
			return 0;
	if (!(n->labels = grow(P, n->labels, n->nlabels, &n->clabels, sizeof *n->labels)))
		return cy_nomem(P->c);
	n->labels[n->nlabels++] = cy_sym_of(name);
	return 0;
}

static int node_add_prop(cy_planner *P, pnode *n, const char *key, cx *val)
{
	size_t cap = n->cprops;
	cy_sym *nk = grow(P, n->pkeys, n->nprops, &cap, sizeof *nk);
	size_t cap2 = n->cprops;
	cx **nv = grow(P, n->pvals, n->nprops, &cap2, sizeof *nv);
	if (!nk || !nv)
		return cy_nomem(P->c);
	n->pkeys = nk;
	n->pvals = nv;
	n->cprops = cap;
	n->pkeys[n->nprops] = cy_sym_of(key);
	n->pvals[n->nprops++] = val;
	return 0;
}

/* A property map of a pattern element: entries whose value is ready now go
 * to the element's check, the others become WHERE conjuncts. */
static int pattern_props(cy_planner *P, pgraph *g, const cy_expr *props, int slot,
    cy_sym **keys, cx ***vals, size_t *n, size_t *cap, pnode *node)
{
	if (!props)
		return 0;
	if (props->e_kind != CY_E_MAP) {
		/* a parameter holding a map (CREATE only, but be kind) */
		cx *m = cy_compile(P, props, 0);
		if (!m)
			return -1;
		if (m->k != CX_CONST || m->v.type != GR_MAP)
			return cy_fail(P->c, props, "a property map must be a map"), -1;
		for (size_t i = 0; i < m->v.u.map.n; i++) {
			cx *v = cy_alloc(P->pool, sizeof *v);
			if (!v)
				return cy_nomem(P->c);
			v->k = CX_CONST;
			v->src = props;
			v->v = m->v.u.map.vals[i];
			if (node ? node_add_prop(P, node, m->v.u.map.keys[i], v) < 0 : 0)
				return -1;
			if (!node) {
				size_t c2 = *cap;
				cy_sym *nk = grow(P, *keys, *n, cap, sizeof *nk);
				cx **nv = grow(P, *vals, *n, &c2, sizeof *nv);
				if (!nk || !nv)
					return cy_nomem(P->c);
				*keys = nk;
				*vals = nv;
				(*keys)[*n] = cy_sym_of(m->v.u.map.keys[i]);
				(*vals)[(*n)++] = v;
			}
		}
		return 0;
	}
	for (size_t i = 0; i < props->u.map.n; i++) {
		cx *v = cy_compile(P, props->u.map.vals[i], 0);
		if (!v)
			return -1;
		if (!cy_ready(P, v)) {
			/* slot.key = value, checked once everything is bound */
			cx *eq = cy_alloc(P->pool, sizeof *eq), *pr = cy_alloc(P->pool, sizeof *pr);
			cx **a = cy_alloc(P->pool, 2 * sizeof *a);
			if (!eq || !pr || !a)
				return cy_nomem(P->c);
			pr->k = CX_PROPSLOT;
			pr->src = props->u.map.vals[i];
			pr->slot = slot;
			pr->sym = cy_sym_of(props->u.map.keys[i]);
			if (cy_pool_value(P->pool, &pr->memo) < 0)
				return cy_nomem(P->c);
			eq->k = CX_CMP;
			eq->op = CY_OP_EQ;
			eq->src = props->u.map.vals[i];
			eq->a = a;
			eq->n = 2;
			a[0] = pr;
			a[1] = v;
			if (add_conj(P, g, eq) < 0)
				return -1;
			continue;
		}
		if (node) {
			if (node_add_prop(P, node, props->u.map.keys[i], v) < 0)
				return -1;
			continue;
		}
		size_t c2 = *cap;
		cy_sym *nk = grow(P, *keys, *n, cap, sizeof *nk);
		cx **nv = grow(P, *vals, *n, &c2, sizeof *nv);
		if (!nk || !nv)
			return cy_nomem(P->c);
		*keys = nk;
		*vals = nv;
		(*keys)[*n] = cy_sym_of(props->u.map.keys[i]);
		(*vals)[(*n)++] = v;
	}
	return 0;
}

static int find_node(cy_planner *P, pgraph *g, const cy_node_pat *np)
{
	for (size_t i = 0; i < g->nn; i++)
		if (g->n[i].slot == np->np_slot)
			return (int)i;
	if (!(g->n = grow(P, g->n, g->nn, &g->cn, sizeof *g->n)))
		return cy_nomem(P->c);
	memset(&g->n[g->nn], 0, sizeof *g->n);
	g->n[g->nn].slot = np->np_slot;
	g->n[g->nn].at = NULL;
	g->n[g->nn].bound = P->bound[np->np_slot];
	return (int)g->nn++;
}

static int collect(cy_planner *P, pgraph *g, cy_path *const *paths, size_t npaths)
{
	for (size_t k = 0; k < npaths; k++) {
		const cy_path *pa = paths[k];
		int prev = -1;
		for (size_t i = 0; i < pa->pa_nnodes; i++) {
			const cy_node_pat *np = &pa->pa_nodes[i];
			int ix = find_node(P, g, np);
			if (ix < 0)
				return -1;
			for (size_t l = 0; l < np->np_nlabels; l++)
				if (node_add_label(P, &g->n[ix], np->np_labels[l]) < 0)
					return -1;
			if (pattern_props(P, g, np->np_props, np->np_slot, NULL, NULL, NULL, NULL, &g->n[ix]) < 0)
				return -1;
			if (i > 0) {
				const cy_rel_pat *rp = &pa->pa_rels[i - 1];
				prel *r;
				if (!(g->r = grow(P, g->r, g->nr, &g->cr, sizeof *g->r)))
					return cy_nomem(P->c);
				r = &g->r[g->nr++];
				memset(r, 0, sizeof *r);
				r->rp = rp;
				r->path = pa;
				r->l = prev;
				r->r = ix;
				if (rp->rp_ntypes && !(r->types = cy_alloc(P->pool, rp->rp_ntypes * sizeof *r->types)))
					return cy_nomem(P->c);
				for (size_t t = 0; t < rp->rp_ntypes; t++) {
					size_t u;
					for (u = 0; u < r->ntypes && strcmp(r->types[u].name, rp->rp_types[t]); u++)
						;
					if (u == r->ntypes)
						r->types[r->ntypes++] = cy_sym_of(rp->rp_types[t]);
				}
				size_t cap = 0;
				if (pattern_props(P, g, rp->rp_props, rp->rp_slot, &r->chk.pkeys, &r->chk.pvals,
				    &r->chk.nprops, &cap, NULL) < 0)
					return -1;
			}
			prev = ix;
		}
	}
	return 0;
}

/* WHERE n:L and WHERE n.k = constant on a node not bound yet: used for
 * the anchor and checked where the node is bound. */
static int absorb_where(cy_planner *P, pgraph *g)
{
	for (size_t i = 0; i < g->nconj; i++) {
		cx *e = g->conj[i];
		for (size_t k = 0; k < g->nn; k++) {
			pnode *n = &g->n[k];
			if (n->bound)
				continue;
			if (e->k == CX_HASLABELS && e->a[0]->k == CX_SLOT && e->a[0]->slot == n->slot) {
				for (size_t l = 0; l < e->nlabels; l++)
					if (node_add_label(P, n, e->labels[l].name) < 0)
						return -1;
				g->used[i] = 1;
			} else if (e->k == CX_CMP && e->op == CY_OP_EQ) {
				cx *a = e->a[0], *b = e->a[1];
				if (b->k == CX_PROPSLOT && a->k == CX_CONST) {
					cx *t = a;
					a = b;
					b = t;
				}
				if (a->k == CX_PROPSLOT && a->slot == n->slot && b->k == CX_CONST &&
				    b->v.type != GR_NULL) {
					if (node_add_prop(P, n, a->sym.name, b) < 0)
						return -1;
					g->used[i] = 1;
				}
			}
		}
	}
	return 0;
}

static cy_op *pushdown(cy_planner *P, pgraph *g, cy_op *op)
{
	for (size_t i = 0; i < g->nconj && op; i++)
		if (!g->used[i] && cy_ready(P, g->conj[i])) {
			g->used[i] = 1;
			op = cy_op_filter(P->pool, op, g->conj[i]);
		}
	if (!op)
		cy_nomem(P->c);
	return op;
}

static cy_nodechk node_check(const pnode *n)
{
	cy_nodechk k;
	memset(&k, 0, sizeof k);
	k.labels = n->labels;
	k.nlabels = n->nlabels;
	k.pkeys = n->pkeys;
	k.pvals = n->pvals;
	k.nprops = n->nprops;
	if (n->counted && n->cand) {
		k.cand = n->cand;
		k.ncand = n->ncand;
	}
	return k;
}

/* ---- choosing an anchor ---- */

static int all_const(const pnode *n)
{
	for (size_t i = 0; i < n->nprops; i++)
		if (n->pvals[i]->k != CX_CONST)
			return 0;
	return 1;
}

static int key_prop(const cy_planner *P, const pnode *n)
{
	for (size_t i = 0; i < n->nprops; i++)
		if (n->pkeys[i].is_key && cy_ready(P, n->pvals[i]))
			return (int)i;
	return -1;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* The cache key of a label and constant property filter. */
static int cand_key(cy_planner *P, const pnode *n, uint16_t label, gr_buf *b)
{
	char num[16];
	snprintf(num, sizeof num, "%u", label);
	if (gr_buf_put(b, num, strlen(num)) < 0)
		return -1;
	for (size_t i = 0; i < n->nprops; i++) {
		if (gr_buf_byte(b, 0x1f) < 0 || gr_buf_put(b, n->pkeys[i].name, strlen(n->pkeys[i].name)) < 0 ||
		    gr_buf_byte(b, '=') < 0 || gr_value_cypher(b, &n->pvals[i]->v) < 0)
			return -1;
	}
	(void)P;
	return gr_buf_byte(b, 0);
}

/* The nodes of a (small) label passing the property filter. */
static int count_candidates(cy_planner *P, pnode *n, uint16_t label)
{
	cy_ctx *c = P->c;
	gr_buf key = { 0 };
	uint32_t *ids = NULL, *cached, id = 0;
	size_t nids = 0, cap = 0, ncached;
	int rc;
	if (cand_key(P, n, label, &key) < 0)
		goto nomem;
	if (cy_cache_get(c, (char *)key.b_data, &cached, &ncached) == 0) {
		if (!(n->cand = cy_alloc(P->pool, (ncached + 1) * sizeof *n->cand)))
			goto nomem;
		memcpy(n->cand, cached, ncached * sizeof *cached);
		n->ncand = ncached;
		n->counted = 1;
		gr_buf_free(&key);
		return 0;
	}
	cy_nodechk k = node_check(n);
	/* the scanned label needs no check */
	cy_sym rest[16];
	if (n->nlabels <= 16) {
		k.nlabels = 0;
		for (size_t l = 0; l < n->nlabels; l++)
			if (cy_sym_get(c, &n->labels[l]) != label)
				rest[k.nlabels++] = n->labels[l];
		k.labels = rest;
	}
	while ((rc = st_label_next(c->st, label, &id)) == ST_OK) {
		int ok = cy_node_ok(c, &k, id);
		if (ok < 0)
			goto fail;
		if (!ok)
			continue;
		if (nids == cap) {
			size_t nc = cap ? cap * 2 : 64;
			uint32_t *ni = realloc(ids, nc * sizeof *ni);
			if (!ni)
				goto nomem;
			ids = ni;
			cap = nc;
		}
		ids[nids++] = id;
	}
	if (nids)   /* qsort(NULL, 0) is undefined (UBSan) */
		qsort(ids, nids, sizeof *ids, cmp_u32);
	cy_cache_put(c, (char *)key.b_data, ids, nids);
	if (!(n->cand = cy_alloc(P->pool, (nids + 1) * sizeof *n->cand)))
		goto nomem;
	if (nids)
		memcpy(n->cand, ids, nids * sizeof *ids);
	n->ncand = nids;
	n->counted = 1;
	free(ids);
	gr_buf_free(&key);
	return 0;
nomem:
	cy_nomem(c);
fail:
	free(ids);
	gr_buf_free(&key);
	return -1;
}

/* ---- costs ---- */

static int walk_dir(const prel *r, int from);

/* The smallest of a node's labels (0: none, or one never stored). */
static uint16_t smallest_label(cy_planner *P, const pnode *n, uint64_t *count)
{
	uint16_t best = 0;
	*count = UINT64_MAX;
	for (size_t l = 0; l < n->nlabels; l++) {
		uint16_t id = cy_sym_get(P->c, &n->labels[l]);
		uint64_t cnt = id ? st_label_count(P->c->st, id) : 0;
		if (cnt < *count) {
			*count = cnt;
			best = id;
		}
	}
	if (!n->nlabels)
		*count = st_node_count(P->c->st);
	return best;
}

/* The node a key filter names, looked up at plan time when the key is a
 * constant (or a parameter): 1 and *id, 0 when none has it, -1 when the
 * key is known only when run or is not a string. */
static int key_node(cy_planner *P, const pnode *n, uint32_t *id)
{
	int kp = key_prop(P, n);
	uint16_t label;
	const gr_value *v;
	if (kp < 0 || !n->nlabels || n->pvals[kp]->k != CX_CONST)
		return -1;
	v = &n->pvals[kp]->v;
	if (v->type != GR_STRING || !(label = cy_sym_get(P->c, &n->labels[0])))
		return -1;
	return st_key_get(P->c->st, label, v->u.s.ptr, v->u.s.len, id) == ST_OK ? 1 : -1;
}

/* Samples nodes like n (its candidates, else its label's nodes passing its
 * constant filter) and measures the filter's selectivity.  A node found by
 * a constant key is its own sample: its degrees are then exact, for the
 * price of one key lookup instead of a sample's scattered reads. */
static int node_sample(cy_planner *P, pnode *n)
{
	uint64_t lc;
	uint32_t id;
	if (n->sampled)
		return 0;
	n->sampled = 1;
	n->sel = 1;
	if (!(n->sample = cy_alloc(P->pool, CY_SAMPLE * sizeof *n->sample)))
		return cy_nomem(P->c), -1;
	if (n->counted) {
		n->nsample = cy_cost_pick(n->cand, n->ncand, n->sample, CY_SAMPLE);
		return 0;
	}
	uint16_t label = smallest_label(P, n, &lc);
	if (n->nlabels && !label)
		return 0;   /* a label never stored: no such node */
	if (key_prop(P, n) >= 0) {
		/* found by its key: one node */
		n->sel = lc ? 1.0 / (double)lc : 1;
		if (key_node(P, n, &id) == 1) {
			n->sample[0] = id;
			n->nsample = 1;
			return 0;
		}
	}
	if (cy_cost_sample(P->c, label, n->sample, CY_SAMPLE, &n->nsample) < 0)
		return -1;
	if (key_prop(P, n) >= 0) {
		/* like any of its label for degrees */
	} else if (n->nprops && all_const(n)) {
		cy_nodechk k = node_check(n);
		size_t keep = 0;
		n->sel = cy_cost_selectivity(P->c, n->sample, n->nsample, &k);
		for (size_t i = 0; i < n->nsample; i++)
			if (cy_node_ok(P->c, &k, n->sample[i]) > 0)
				n->sample[keep++] = n->sample[i];
		if (keep)
			n->nsample = keep;
	} else if (n->nprops) {
		n->sel = 0.1;   /* a filter on values known only when run */
	}
	return 0;
}

/* The fraction of n's label its filter passes: without a filter (or with
 * one on values known only when run) no sample is needed for it. */
static int node_sel(cy_planner *P, pnode *n)
{
	if (n->sampled || n->counted || (n->nprops && all_const(n)))
		return node_sample(P, n);
	n->sel = n->nprops ? 0.1 : 1;
	return 0;
}

/* Rows a scan of n yields, and what reading them costs. */
static int anchor_rows(cy_planner *P, pnode *n, double *rows, double *cost)
{
	uint64_t lc;
	if (key_prop(P, n) >= 0 && n->nlabels) {
		*rows = *cost = 1;
		return 0;
	}
	if (n->counted) {
		*rows = (double)n->ncand;
		*cost = *rows + 1;
		return 0;
	}
	smallest_label(P, n, &lc);
	if (node_sel(P, n) < 0)
		return -1;
	*cost = (double)lc + 1;
	*rows = (double)lc * n->sel;
	return 0;
}

/* The relationships at a node of any label, on average, when all of them
 * are counted as spread over all nodes.  A sample of all nodes that met
 * none of a type says little: the type may gather at a few nodes (every
 * call at one of a few thousand ports among half a million nodes), and an
 * estimate of none made a scan of all nodes look cheapest.  This is the
 * most the average can be. */
static double spread_degree(cy_planner *P, int dir)
{
	uint32_t next = 0;
	uint64_t nodes = st_node_count(P->c->st);
	if (st_id_next(P->c->st, 1, &next) != ST_OK || next <= 1 || !nodes)
		return 0;
	return (double)(next - 1) * (dir == CY_DIR_BOTH ? 2 : 1) / (double)nodes;
}

/* Rows one row of `from` becomes through r (to `to`). */
static int expand_fan(cy_planner *P, pgraph *g, const prel *r, int from, const uint8_t *nbound, double *fan)
{
	int to = from == r->l ? r->r : r->l;
	pnode *f = &g->n[from], *t = &g->n[to];
	if (node_sample(P, f) < 0 || node_sel(P, t) < 0)
		return -1;
	double d = cy_cost_degree(P->c, f->sample, f->nsample, walk_dir(r, from), r->types, r->ntypes);
	if (d < 0)
		return -1;
	if (d == 0 && !f->nlabels && !f->counted)
		d = spread_degree(P, walk_dir(r, from));
	if (r->rp->rp_varlen) {
		/* walks of each length up to a few hops */
		unsigned lo = r->rp->rp_min, hi = r->rp->rp_max;
		double sum = lo == 0 ? 1 : 0, pw = 1;
		if (hi > 4 || hi < lo)
			hi = lo > 4 ? lo : 4;
		for (unsigned k = 1; k <= hi; k++) {
			pw *= d;
			if (k >= lo)
				sum += pw;
		}
		d = sum;
	}
	if (nbound[to]) {
		double rows, cost;
		if (anchor_rows(P, t, &rows, &cost) < 0)
			return -1;
		*fan = d / (rows > 1 ? rows : 1);
		if (*fan > 1)
			*fan = 1;
	} else {
		*fan = d * t->sel;
	}
	return 0;
}

/* The next relationship to expand: one closing a cycle first, else the
 * one that multiplies the rows least.  -1: none can be expanded; -2: error.
 * last: r is the pattern's last relationship to plan and its estimate is
 * not shown, so that no choice depends on its fan (*fan 0, unknown): the
 * samples of its far node (scattered reads in a new process) are not
 * taken. */
static int next_rel(cy_planner *P, pgraph *g, const uint8_t *nbound, const uint8_t *rdone, int last,
    int *from, double *fan)
{
	int pick = -1;
	for (size_t i = 0; i < g->nr; i++) {
		prel *r = &g->r[i];
		if (rdone[i] || r->path->pa_shortest != CY_SP_NONE)
			continue;
		int lb = nbound[r->l], rb = nbound[r->r];
		if (!lb && !rb)
			continue;
		int f = lb ? r->l : r->r;
		double x;
		if (lb && rb) {
			*from = r->l;
			*fan = 0;
			return (int)i;
		}
		if (last) {
			*from = f;
			*fan = 0;
			return (int)i;
		}
		if (expand_fan(P, g, r, f, nbound, &x) < 0)
			return -2;
		if (pick < 0 || x < *fan) {
			pick = (int)i;
			*from = f;
			*fan = x;
		}
	}
	return pick;
}

/* What the rest of the pattern costs when started at node a: the rows
 * every step produces, added up, expanding the cheapest step first. */
static int plan_cost(cy_planner *P, pgraph *g, int a, double *total)
{
	uint8_t nb[256], rd[256];
	double rows, cost;
	if (g->nn > 256 || g->nr > 256) {
		*total = 0;
		return 0;
	}
	for (size_t i = 0; i < g->nn; i++)
		nb[i] = (uint8_t)g->n[i].bound;
	for (size_t i = 0; i < g->nr; i++)
		rd[i] = (uint8_t)g->r[i].done;
	if (anchor_rows(P, &g->n[a], &rows, &cost) < 0)
		return -1;
	nb[a] = 1;
	for (;;) {
		int from;
		double fan;
		int r = next_rel(P, g, nb, rd, 0, &from, &fan);
		if (r == -2)
			return -1;
		if (r >= 0) {
			rd[r] = 1;
			nb[g->r[r].l] = nb[g->r[r].r] = 1;
			rows *= fan;
			cost += rows;
			continue;
		}
		/* a disconnected part: a cartesian product with its cheapest node */
		int next = -1;
		double best = 0, br = 0, bc = 0;
		for (size_t i = 0; i < g->nn; i++) {
			double nr, nc;
			if (nb[i])
				continue;
			if (anchor_rows(P, &g->n[i], &nr, &nc) < 0)
				return -1;
			if (next < 0 || nc < best) {
				next = (int)i;
				best = nc;
				br = nr;
				bc = nc;
			}
		}
		if (next < 0)
			break;
		nb[next] = 1;
		cost += rows * bc;
		rows *= br;
	}
	*total = cost;
	return 0;
}

/* The unbound node to start from: the one whose plan costs least. */
static int choose_anchor(cy_planner *P, pgraph *g)
{
	cy_ctx *c = P->c;
	int best = -1;
	double best_cost = 0;
	for (size_t i = 0; i < g->nn; i++) {
		pnode *n = &g->n[i];
		if (n->bound)
			continue;
		if (key_prop(P, n) >= 0 && n->nlabels)
			return (int)i;   /* found by its key: nothing is cheaper */
	}
	/* labels with a constant filter: count their candidates exactly when
	 * the label is small enough (cached while the database is unchanged) */
	for (size_t i = 0; i < g->nn && !c->write; i++) {
		pnode *n = &g->n[i];
		uint16_t label;
		uint64_t lc;
		if (n->bound || !n->nlabels || !n->nprops || !all_const(n) || n->counted)
			continue;
		label = smallest_label(P, n, &lc);
		if (!label || lc > 200000 || !(label = cy_sym_get(c, &n->labels[0])))
			continue;
		if (count_candidates(P, n, label) < 0)
			return -2;
		n->sampled = 0;   /* sample the exact candidates instead */
	}
	for (size_t i = 0; i < g->nn; i++) {
		pnode *n = &g->n[i];
		double cost;
		if (n->bound)
			continue;
		if (plan_cost(P, g, (int)i, &cost) < 0)
			return -2;
		if (best < 0 || cost < best_cost) {
			best = (int)i;
			best_cost = cost;
		}
	}
	return best;
}

static cy_op *plan_anchor(cy_planner *P, pgraph *g, cy_op *op, int ix)
{
	pnode *n = &g->n[ix];
	cy_nodechk k = node_check(n);
	int kp = key_prop(P, n);
	if (n->counted) {
		op = cy_op_scan(P->pool, op, CY_SCAN_IDS, n->slot, NULL, NULL, n->cand, n->ncand, &k);
	} else if (kp >= 0 && n->nlabels) {
		op = cy_op_scan(P->pool, op, CY_SCAN_KEY, n->slot, &n->labels[0], n->pvals[kp], NULL, 0, &k);
	} else if (n->nlabels) {
		/* scan the smallest label, check the rest */
		size_t best = 0;
		uint64_t bc = UINT64_MAX;
		for (size_t l = 0; l < n->nlabels; l++) {
			uint16_t id = cy_sym_get(P->c, &n->labels[l]);
			uint64_t cnt = id ? st_label_count(P->c->st, id) : 0;
			if (cnt < bc) {
				bc = cnt;
				best = l;
			}
		}
		/* the scanned label needs no check */
		cy_sym *rest = cy_alloc(P->pool, n->nlabels * sizeof *rest);
		if (!rest)
			return cy_nomem(P->c), NULL;
		k.nlabels = 0;
		for (size_t l = 0; l < n->nlabels; l++)
			if (l != best)
				rest[k.nlabels++] = n->labels[l];
		k.labels = rest;
		op = cy_op_scan(P->pool, op, CY_SCAN_LABEL, n->slot, &n->labels[best], NULL, NULL, 0, &k);
	} else {
		op = cy_op_scan(P->pool, op, CY_SCAN_ALL, n->slot, NULL, NULL, NULL, 0, &k);
	}
	n->bound = 1;
	P->bound[n->slot] = 1;
	return op;
}

/* The direction of rel r when walked from its node `from`. */
static int walk_dir(const prel *r, int from)
{
	int d = r->rp->rp_dir;
	if (d == CY_DIR_BOTH || from == r->l)
		return d;
	return d == CY_DIR_RIGHT ? CY_DIR_LEFT : CY_DIR_RIGHT;
}

/* Whether expanding r from `from` to its candidates is cheaper read from
 * the candidates' side (ExpandJoin, xjoin.c), for `rows` input rows.  In a
 * new process a seek to an input node's adjacency is a page touched at
 * random, some 10 us; reading a candidate's entries costs a page per 450
 * of them, in sequence, and a bitmap probe each: so the join pays while
 * the candidates have fewer relationships the other way than XJ_RATIO
 * times the input rows (it is a little slower once pages are warm, by a
 * few nanoseconds an entry). */
#define XJ_RATIO 64
#define XJ_MIN_ROWS 1000

static int use_xjoin(cy_planner *P, pgraph *g, const prel *r, int from, double rows)
{
	int to = from == r->l ? r->r : r->l, dir = walk_dir(r, from);
	pnode *t = &g->n[to];
	double d;
	if (P->c->write || rows < XJ_MIN_ROWS || r->rp->rp_varlen || dir == CY_DIR_BOTH || r->ntypes != 1 ||
	    t->bound || !t->counted || !t->cand || P->bound[r->rp->rp_slot])
		return 0;
	if (node_sample(P, t) < 0)
		return -1;
	d = cy_cost_degree(P->c, t->sample, t->nsample, dir == CY_DIR_RIGHT ? CY_DIR_LEFT : CY_DIR_RIGHT,
	    r->types, r->ntypes);
	if (d < 0)
		return -1;
	return d * (double)t->ncand < XJ_RATIO * rows;
}

static cy_op *plan_expand(cy_planner *P, pgraph *g, cy_op *op, prel *r, int from, double rows)
{
	int to = from == r->l ? r->r : r->l;
	pnode *fn = &g->n[from], *tn = &g->n[to];
	const cy_rel_pat *rp = r->rp;
	cy_nodechk k = node_check(tn);
	int uniq[256], j;
	size_t nuniq = 0;
	int relslot = rp->rp_slot;
	for (size_t i = 0; i < g->nr; i++)
		if (g->r[i].done && &g->r[i] != r && nuniq < 256 && g->r[i].rp->rp_slot != rp->rp_slot)
			uniq[nuniq++] = g->r[i].rp->rp_slot;
	if (P->bound[rp->rp_slot])
		relslot = -rp->rp_slot - 1;
	if (rp->rp_varlen)
		op = cy_op_varexpand(P->pool, op, fn->slot, relslot, tn->slot, walk_dir(r, from), r->types,
		    r->ntypes, rp->rp_min, rp->rp_max, tn->bound, tn->bound ? NULL : &k, &r->chk, uniq, nuniq,
		    from == r->r);
	else if ((j = use_xjoin(P, g, r, from, rows)) < 0)
		return NULL;
	else if (j)
		op = cy_op_xjoin(P->pool, op, fn->slot, relslot, tn->slot, walk_dir(r, from), &r->types[0], &k,
		    &r->chk, uniq, nuniq, P->bound, P->nslots);
	else
		op = cy_op_expand(P->pool, op, fn->slot, relslot, tn->slot, walk_dir(r, from), r->types,
		    r->ntypes, tn->bound, tn->bound ? NULL : &k, &r->chk, uniq, nuniq);
	r->done = 1;
	tn->bound = 1;
	P->bound[tn->slot] = 1;
	P->bound[rp->rp_slot] = 1;
	return op;
}

/* The variable of the node pattern with slot `slot`, or NULL. */
static const char *slot_var(cy_path *const *paths, size_t npaths, int slot)
{
	for (size_t k = 0; k < npaths; k++)
		for (size_t i = 0; i < paths[k]->pa_nnodes; i++)
			if (paths[k]->pa_nodes[i].np_slot == slot && paths[k]->pa_nodes[i].np_var)
				return paths[k]->pa_nodes[i].np_var;
	return NULL;
}

/* The relationships of g still to plan, shortest paths apart. */
static size_t rels_left(const pgraph *g)
{
	size_t n = 0;
	for (size_t i = 0; i < g->nr; i++)
		n += !g->r[i].done && g->r[i].path->pa_shortest == CY_SP_NONE;
	return n;
}

/* Rows below which an expansion is not worth batching: a batch touches
 * fresh memory for its rows, and few seeks gain little from their order. */
#define BATCH_MIN 1000

cy_op *cy_plan_patterns(cy_planner *P, cy_op *op, cy_path *const *paths, size_t npaths,
    const cy_expr *where)
{
	pgraph g;
	/* only the MATCH itself, not the patterns planned inside its
	 * expressions (a pattern comprehension's list keeps its order) */
	int batch = P->order_free, sorted = -1;
	P->order_free = 0;
	memset(&g, 0, sizeof g);
	if (!op)
		return cy_nomem(P->c), NULL;
	if (where && split_where(P, &g, where) < 0)
		return NULL;
	if (collect(P, &g, paths, npaths) < 0)
		return NULL;
	if (absorb_where(P, &g) < 0)
		return NULL;
	/* nodes bound before: check what the pattern says about them */
	for (size_t i = 0; i < g.nn && op; i++) {
		pnode *n = &g.n[i];
		if (n->bound && (n->nlabels || n->nprops)) {
			cy_nodechk k = node_check(n);
			op = cy_op_scan(P->pool, op, CY_SCAN_BOUND, n->slot, NULL, NULL, NULL, 0, &k);
		}
	}
	if (!op || !(op = pushdown(P, &g, op)))
		return NULL;
	double rows = 1;   /* the estimate, per input row */
	for (;;) {
		prel *pick = NULL;
		int from = -1;
		double fan = 1;
		if (g.nn <= 256 && g.nr <= 256) {
			uint8_t nb[256], rd[256];
			for (size_t i = 0; i < g.nn; i++)
				nb[i] = (uint8_t)g.n[i].bound;
			for (size_t i = 0; i < g.nr; i++)
				rd[i] = (uint8_t)g.r[i].done;
			int r = next_rel(P, &g, nb, rd, !P->shown && rels_left(&g) == 1, &from, &fan);
			if (r == -2)
				return NULL;
			if (r >= 0)
				pick = &g.r[r];
		} else {
			for (size_t i = 0; i < g.nr && !pick; i++) {
				prel *r = &g.r[i];
				if (r->done || r->path->pa_shortest != CY_SP_NONE)
					continue;
				if (g.n[r->l].bound || g.n[r->r].bound) {
					pick = r;
					from = g.n[r->l].bound ? r->l : r->r;
				}
			}
		}
		if (pick) {
			/* rows from a scan of the anchor come in its id order already */
			if (batch && rows >= BATCH_MIN && !pick->rp->rp_varlen && g.n[from].slot != sorted) {
				if (!(op = cy_op_batch(P->pool, op, g.n[from].slot, slot_var(paths, npaths, g.n[from].slot),
				    P->bound, P->nslots)))
					return cy_nomem(P->c), NULL;
				op->est = rows;
				P->batch = op;
				P->batch_slot = g.n[from].slot;
			}
			sorted = -1;
			if (!(op = plan_expand(P, &g, op, pick, from, rows)))
				return NULL;
			rows *= fan;
			op->est = rows;
			if (!(op = pushdown(P, &g, op)))
				return NULL;
			continue;
		}
		int a = choose_anchor(P, &g);
		if (a == -2)
			return NULL;
		if (a < 0)
			break;
		double arows = 1, acost;
		if (anchor_rows(P, &g.n[a], &arows, &acost) < 0)
			return NULL;
		if (!(op = plan_anchor(P, &g, op, a)))
			return NULL;
		sorted = rows <= 1 ? g.n[a].slot : -1;
		rows *= arows;
		op->est = rows;
		if (!(op = pushdown(P, &g, op)))
			return NULL;
	}
	/* shortest paths, between bound ends */
	for (size_t i = 0; i < g.nr; i++) {
		prel *r = &g.r[i];
		const cy_path *pa = r->path;
		if (pa->pa_shortest == CY_SP_NONE)
			continue;
		op = cy_op_shortest(P->pool, op, g.n[r->l].slot, g.n[r->r].slot,
		    pa->pa_var ? pa->pa_slot : -1, r->rp->rp_var ? r->rp->rp_slot : -1, r->rp->rp_dir,
		    r->types, r->ntypes, r->rp->rp_varlen ? r->rp->rp_min : 1,
		    r->rp->rp_varlen ? r->rp->rp_max : 1, pa->pa_shortest == CY_SP_ALL, &r->chk, 0);
		if (!op)
			return cy_nomem(P->c), NULL;
		r->done = 1;
		P->bound[r->rp->rp_slot] = 1;
		if (pa->pa_var)
			P->bound[pa->pa_slot] = 1;
		if (!(op = pushdown(P, &g, op)))
			return NULL;
	}
	/* named paths */
	for (size_t k = 0; k < npaths; k++) {
		const cy_path *pa = paths[k];
		if (!pa->pa_var || pa->pa_shortest != CY_SP_NONE || P->bound[pa->pa_slot])
			continue;
		cx *e = cy_alloc(P->pool, sizeof *e);
		int *slot = cy_alloc(P->pool, sizeof *slot);
		cx **ev = cy_alloc(P->pool, sizeof *ev);
		if (!e || !slot || !ev || !(e->path = cy_pathdef(P, pa)))
			return cy_nomem(P->c), NULL;
		e->k = CX_PATH;
		e->slot = -1;
		*slot = pa->pa_slot;
		*ev = e;
		if (!(op = cy_op_project(P->pool, op, ev, slot, 1)))
			return cy_nomem(P->c), NULL;
		P->bound[pa->pa_slot] = 1;
		if (!(op = pushdown(P, &g, op)))
			return NULL;
	}
	/* whatever is left (it reads something the pattern does not bind) */
	for (size_t i = 0; i < g.nconj && op; i++)
		if (!g.used[i])
			op = cy_op_filter(P->pool, op, g.conj[i]);
	if (!op)
		cy_nomem(P->c);
	return op;
}

/* ---- clauses ---- */

static cy_op *plan_match(cy_planner *P, cy_op *op, const cy_clause *cl)
{
	if (!cl->u.match.optional)
		return cy_plan_patterns(P, op, cl->u.match.paths, cl->u.match.npaths, cl->u.match.where);
	uint8_t *before = cy_alloc(P->pool, (size_t)P->nslots + 1);
	int *slots = cy_alloc(P->pool, ((size_t)P->nslots + 1) * sizeof *slots);
	size_t n = 0;
	cy_op *inner;
	if (!before || !slots)
		return cy_nomem(P->c), NULL;
	memcpy(before, P->bound, (size_t)P->nslots);
	if (!(inner = cy_plan_patterns(P, cy_op_once(P->pool), cl->u.match.paths, cl->u.match.npaths,
	    cl->u.match.where)))
		return NULL;
	for (int i = 0; i < P->nslots; i++)
		if (P->bound[i] && !before[i])
			slots[n++] = i;
	/* a variable of the pattern that was not bound before is null too */
	for (size_t k = 0; k < cl->u.match.npaths; k++) {
		const cy_path *pa = cl->u.match.paths[k];
		if (pa->pa_var && !before[pa->pa_slot] && !P->bound[pa->pa_slot])
			slots[n++] = pa->pa_slot;
	}
	return cy_op_optional(P->pool, op, inner, slots, n);
}

static cy_op *plan_projection(cy_planner *P, cy_op *op, const cy_projection *pr)
{
	size_t n = pr->pr_nitems;
	cx **exprs = cy_alloc(P->pool, (n + 1) * sizeof *exprs);
	int *slots = cy_alloc(P->pool, (n + 1) * sizeof *slots);
	cy_op *sort = NULL;
	cx *skip = NULL;
	if (!exprs || !slots)
		return cy_nomem(P->c), NULL;
	if (!pr->pr_aggregating) {
		for (size_t i = 0; i < n; i++) {
			if (!(exprs[i] = cy_compile(P, pr->pr_items[i].pi_expr, 0)))
				return NULL;
			slots[i] = pr->pr_items[i].pi_slot;
		}
		if (!(op = cy_op_project(P->pool, op, exprs, slots, n)))
			return cy_nomem(P->c), NULL;
	} else {
		cx **keys = cy_alloc(P->pool, (n + 1) * sizeof *keys), **items = cy_alloc(P->pool, (n + 1) * sizeof *items);
		int *kslots = cy_alloc(P->pool, (n + 1) * sizeof *kslots), *islots = cy_alloc(P->pool, (n + 1) * sizeof *islots);
		cx **aggs = cy_alloc(P->pool, (pr->pr_naggs + 1) * sizeof *aggs);
		size_t nk = 0, ni = 0;
		if (!keys || !items || !kslots || !islots || !aggs)
			return cy_nomem(P->c), NULL;
		for (size_t i = 0; i < n; i++) {
			const cy_proj_item *it = &pr->pr_items[i];
			if (!it->pi_agg) {
				if (!(keys[nk] = cy_compile(P, it->pi_expr, 0)))
					return NULL;
				kslots[nk++] = it->pi_slot;
			}
		}
		for (size_t i = 0; i < pr->pr_naggs; i++)
			if (!(aggs[i] = cy_compile_agg(P, pr->pr_aggs[i])))
				return NULL;
		/* aggregating items read the key slots and aggregate slots */
		for (size_t i = 0; i < n; i++)
			P->bound[pr->pr_items[i].pi_slot] = 1;
		for (size_t i = 0; i < n; i++) {
			const cy_proj_item *it = &pr->pr_items[i];
			if (it->pi_agg) {
				if (!(items[ni] = cy_compile(P, it->pi_expr, 0)))
					return NULL;
				islots[ni++] = it->pi_slot;
			}
		}
		if (!(op = cy_op_aggregate(P->pool, op, keys, kslots, nk, aggs, pr->pr_naggs, items, islots, ni,
		    P->nslots)))
			return cy_nomem(P->c), NULL;
		if (P->batch)
			cy_agg_sorted(op, P->batch, P->batch_slot);
	}
	for (size_t i = 0; i < n; i++) {
		slots[i] = pr->pr_items[i].pi_slot;
		P->bound[slots[i]] = 1;
	}
	if (pr->pr_distinct && !(op = cy_op_distinct(P->pool, op, slots, n)))
		return cy_nomem(P->c), NULL;
	if (pr->pr_norder) {
		cx **keys = cy_alloc(P->pool, pr->pr_norder * sizeof *keys);
		int *desc = cy_alloc(P->pool, pr->pr_norder * sizeof *desc);
		if (!keys || !desc)
			return cy_nomem(P->c), NULL;
		for (size_t i = 0; i < pr->pr_norder; i++) {
			if (!(keys[i] = cy_compile(P, pr->pr_order[i].so_expr, 0)))
				return NULL;
			desc[i] = pr->pr_order[i].so_desc;
		}
		if (!(op = cy_op_sort(P->pool, op, keys, desc, pr->pr_norder, P->nslots)))
			return cy_nomem(P->c), NULL;
		sort = op;
	}
	if (pr->pr_skip) {
		if (!(skip = cy_compile(P, pr->pr_skip, 0)) || !(op = cy_op_skip(P->pool, op, skip)))
			return skip ? (cy_nomem(P->c), NULL) : NULL;
	}
	if (pr->pr_limit) {
		cx *k = cy_compile(P, pr->pr_limit, 0);
		if (!k || !(op = cy_op_limit(P->pool, op, k)))
			return k ? (cy_nomem(P->c), NULL) : NULL;
		if (sort)   /* the sort keeps only the rows the limit lets through */
			cy_sort_bound(sort, skip, k);
	}
	if (pr->pr_where) {
		cx *w = cy_compile(P, pr->pr_where, 1);
		if (!w || !(op = cy_op_filter(P->pool, op, w)))
			return w ? (cy_nomem(P->c), NULL) : NULL;
	}
	/* what follows sees only the projection, in its own order */
	P->batch = NULL;
	memset(P->bound, 0, (size_t)P->nslots);
	for (size_t i = 0; i < n; i++)
		P->bound[pr->pr_items[i].pi_slot] = 1;
	return op;
}

/* Property maps of a path to create: one compiled map per node and per
 * relationship (NULL where none). */
static int create_props(cy_planner *P, const cy_path *pa, cx ***np, cx ***rp)
{
	size_t nn = pa->pa_nnodes;
	if (!(*np = cy_alloc(P->pool, nn * sizeof **np)) || !(*rp = cy_alloc(P->pool, nn * sizeof **rp)))
		return cy_nomem(P->c);
	for (size_t i = 0; i < nn; i++) {
		const cy_expr *e = pa->pa_nodes[i].np_props;
		if (e && !((*np)[i] = cy_compile(P, e, 0)))
			return -1;
		if (i + 1 < nn && (e = pa->pa_rels[i].rp_props) && !((*rp)[i] = cy_compile(P, e, 0)))
			return -1;
	}
	return 0;
}

static void bind_path(cy_planner *P, const cy_path *pa)
{
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		P->bound[pa->pa_nodes[i].np_slot] = 1;
		if (i + 1 < pa->pa_nnodes)
			P->bound[pa->pa_rels[i].rp_slot] = 1;
	}
	if (pa->pa_var && pa->pa_slot >= 0)
		P->bound[pa->pa_slot] = 1;
}

static cx **set_values(cy_planner *P, const cy_set_item *items, size_t n)
{
	cx **v = cy_alloc(P->pool, (n + 1) * sizeof *v);
	if (!v)
		return cy_nomem(P->c), NULL;
	for (size_t i = 0; i < n; i++)
		if (items[i].si_value && !(v[i] = cy_compile(P, items[i].si_value, 0)))
			return NULL;
	return v;
}

static cy_op *plan_clause(cy_planner *P, cy_op *op, const cy_clause *cl)
{
	switch (cl->c_kind) {
	case CY_C_MATCH:
		return plan_match(P, op, cl);
	case CY_C_UNWIND: {
		cx *l = cy_compile(P, cl->u.unwind.expr, 0);
		if (!l)
			return NULL;
		P->bound[cl->u.unwind.slot] = 1;
		return cy_op_unwind(P->pool, op, l, cl->u.unwind.slot);
	}
	case CY_C_WITH:
	case CY_C_RETURN:
		return plan_projection(P, op, &cl->u.proj);
	case CY_C_CREATE: {
		size_t n = cl->u.create.npaths;
		cx ***np = cy_alloc(P->pool, (n + 1) * sizeof *np), ***rp = cy_alloc(P->pool, (n + 1) * sizeof *rp);
		if (!np || !rp)
			return cy_nomem(P->c), NULL;
		for (size_t i = 0; i < n; i++)
			if (create_props(P, cl->u.create.paths[i], &np[i], &rp[i]) < 0)
				return NULL;
		for (size_t i = 0; i < n; i++)
			bind_path(P, cl->u.create.paths[i]);
		return cy_op_create(P->pool, op, (const cy_path *const *)cl->u.create.paths, n, np, rp, P->nslots);
	}
	case CY_C_MERGE: {
		const cy_path *pa = cl->u.merge.path;
		cx **np, **rp, **oc, **om;
		uint8_t *before = cy_alloc(P->pool, (size_t)P->nslots + 1);
		cy_op *match;
		if (!before)
			return cy_nomem(P->c), NULL;
		memcpy(before, P->bound, (size_t)P->nslots);
		if (create_props(P, pa, &np, &rp) < 0)
			return NULL;
		if (!(match = cy_plan_patterns(P, cy_op_once(P->pool), (cy_path *const *)&cl->u.merge.path, 1, NULL)))
			return NULL;
		bind_path(P, pa);
		if (!(oc = set_values(P, cl->u.merge.on_create, cl->u.merge.non_create)) ||
		    !(om = set_values(P, cl->u.merge.on_match, cl->u.merge.non_match)))
			return NULL;
		return cy_op_merge(P->pool, op, match, pa, np, rp, cl->u.merge.on_create, oc, cl->u.merge.non_create,
		    cl->u.merge.on_match, om, cl->u.merge.non_match, P->nslots);
	}
	case CY_C_SET:
	case CY_C_REMOVE: {
		cx **v = set_values(P, cl->u.set.items, cl->u.set.n);
		if (!v)
			return NULL;
		return cy_op_set(P->pool, op, cl->u.set.items, cl->u.set.n, v, P->nslots);
	}
	case CY_C_DELETE: {
		cx **e = cy_alloc(P->pool, (cl->u.del.n + 1) * sizeof *e);
		if (!e)
			return cy_nomem(P->c), NULL;
		for (size_t i = 0; i < cl->u.del.n; i++)
			if (!(e[i] = cy_compile(P, cl->u.del.exprs[i], 0)))
				return NULL;
		return cy_op_delete(P->pool, op, e, cl->u.del.n, cl->u.del.detach, P->nslots);
	}
	}
	return cy_fail(P->c, NULL, "unknown clause"), NULL;
}

/* Whether the rows of clause i, a MATCH, reach only a consumer that
 * ignores their order: the next clauses are plain MATCHes and then a
 * projection that counts (count(...) only: min and max may keep either of
 * two equal values, sum and avg of floats round by order), whose groups
 * are either one or put in order by ORDER BY. */
static int order_free(const cy_query *q, size_t i)
{
	const cy_projection *pr;
	int keys = 0;
	if (q->q_clauses[i]->c_kind != CY_C_MATCH)
		return 0;   /* not the patterns of a projection or MERGE */
	for (; i < q->q_n && q->q_clauses[i]->c_kind == CY_C_MATCH; i++)
		if (q->q_clauses[i]->u.match.optional)
			return 0;
	if (i >= q->q_n || (q->q_clauses[i]->c_kind != CY_C_WITH && q->q_clauses[i]->c_kind != CY_C_RETURN))
		return 0;
	pr = &q->q_clauses[i]->u.proj;
	if (!pr->pr_aggregating)
		return 0;
	for (size_t k = 0; k < pr->pr_naggs; k++) {
		const cy_func *f = pr->pr_aggs[k]->u.call.fn;
		if (!f || f->fn_id != CY_F_COUNT)
			return 0;
	}
	for (size_t k = 0; k < pr->pr_nitems; k++)
		keys |= !pr->pr_items[k].pi_agg;
	return !keys || pr->pr_norder > 0;
}

static int plan_query(cy_ctx *c, const cy_query *q, int shown, cy_part *part)
{
	cy_planner P;
	cy_op *op;
	memset(&P, 0, sizeof P);
	P.c = c;
	P.pool = c->pool;
	P.q = q;
	P.nslots = q->q_nslots;
	P.shown = shown;
	if (!(P.bound = cy_alloc(c->pool, (size_t)q->q_nslots + 1)) ||
	    !(P.local = cy_alloc(c->pool, (size_t)q->q_nslots + 1)) || !(op = cy_op_once(c->pool)))
		return cy_nomem(c);
	for (size_t i = 0; i < q->q_n; i++) {
		P.order_free = !c->write && order_free(q, i);
		if (!(op = plan_clause(&P, op, q->q_clauses[i])))
			return c->failed ? -1 : cy_nomem(c);
	}
	part->root = op;
	part->nslots = q->q_nslots;
	const cy_clause *last = q->q_clauses[q->q_n - 1];
	if (last->c_kind == CY_C_RETURN) {
		const cy_projection *pr = &last->u.proj;
		if (!(part->cols = cy_alloc(c->pool, (pr->pr_nitems + 1) * sizeof *part->cols)))
			return cy_nomem(c);
		for (size_t i = 0; i < pr->pr_nitems; i++)
			part->cols[i] = pr->pr_items[i].pi_slot;
		part->ncols = pr->pr_nitems;
	}
	return 0;
}

int cy_plan_stmt(cy_ctx *c, const cy_stmt *st, cy_plan *plan)
{
	memset(plan, 0, sizeof *plan);
	if (!(plan->parts = cy_alloc(c->pool, (st->st_nparts + 1) * sizeof *plan->parts)))
		return cy_nomem(c);
	c->planning = 1;
	for (size_t i = 0; i < st->st_nparts; i++) {
		if (plan_query(c, st->st_parts[i], st->st_mode != CY_MODE_RUN, &plan->parts[i]) < 0) {
			c->planning = 0;
			return -1;
		}
		plan->nparts++;
	}
	c->planning = 0;
	plan->distinct = st->st_nparts > 1 && !st->st_union_all;
	return 0;
}

/* ---- EXPLAIN and PROFILE ---- */

void cy_describe_expr(cy_op *op, const cx *e, gr_buf *b)
{
	if (e && e->src && op && op->text && (size_t)e->src->e_off + e->src->e_len <= op->textlen) {
		gr_buf_put(b, op->text + e->src->e_off, e->src->e_len);
		return;
	}
	if (e && e->k == CX_CONST) {
		gr_value_cypher(b, &e->v);
		return;
	}
	gr_buf_put(b, e && e->k == CX_PATH ? "path" : "?", e && e->k == CX_PATH ? 4 : 1);
}

static void describe_op(const cy_op *op, int depth, int profile, gr_buf *b)
{
	for (; op; op = op->child) {
		char head[96];
		for (int i = 0; i < depth; i++)
			gr_buf_put(b, "  ", 2);
		snprintf(head, sizeof head, "%s", op->vt->name);
		gr_buf_put(b, head, strlen(head));
		size_t mark = b->b_len;
		gr_buf_byte(b, ' ');
		op->vt->describe((cy_op *)op, b);
		if (b->b_len == mark + 1)
			b->b_len = mark;
		if (op->est > 0) {
			snprintf(head, sizeof head, "  (est. %.0f rows)", op->est < 1 ? 1 : op->est);
			gr_buf_put(b, head, strlen(head));
		}
		if (profile) {
			snprintf(head, sizeof head, "  (%llu rows)", (unsigned long long)op->rows);
			gr_buf_put(b, head, strlen(head));
		}
		gr_buf_byte(b, '\n');
		if (op->inner)
			describe_op(op->inner, depth + 1, profile, b);
	}
}

void cy_plan_describe(cy_ctx *c, const cy_plan *plan, int profile, gr_buf *b)
{
	(void)c;
	for (size_t i = 0; i < plan->nparts; i++) {
		if (i) {
			const char *u = plan->distinct ? "Union\n" : "Union all\n";
			gr_buf_put(b, u, strlen(u));
		}
		describe_op(plan->parts[i].root, 0, profile, b);
	}
}
