/*
 * expand.c: the operators that walk relationships: one hop, variable
 * length (depth first, each relationship at most once per path, between
 * min and max hops), and shortest paths between two bound nodes (through
 * ../pathfind.c).  In either direction or both (a self-loop is then seen
 * once), restricted to relationship types, checking the node reached and
 * the relationship's property map as they go, and keeping the
 * relationships of one MATCH pattern distinct.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "../pathfind.h"

/* ---- one-hop expansion ---- */

typedef struct op_expand {
	cy_op o;
	int from, rel, to, dir, into, relbound;
	cy_sym *types;
	size_t ntypes;
	cy_nodechk tochk, relchk;
	int *uniq;
	size_t nuniq;
	st_adj_iter *it;
	int active, pass, npass;
	size_t tpos;
	uint32_t node, want;
	int seeked;
} op_expand;

/* Seeks the iterator to the next (direction, type) combination; 0 when
 * there is none left. */
static int expand_seek(cy_ctx *c, op_expand *x)
{
	for (;;) {
		int stdir;
		uint16_t type = 0;
		if (x->pass >= x->npass)
			return 0;
		stdir = x->dir == CY_DIR_RIGHT ? ST_OUT : x->dir == CY_DIR_LEFT ? ST_IN : (x->pass ? ST_IN : ST_OUT);
		if (x->ntypes) {
			if (x->tpos >= x->ntypes) {
				x->pass++;
				x->tpos = 0;
				continue;
			}
			type = cy_sym_get(c, &x->types[x->tpos++]);
			if (!type)
				continue;
		} else if (x->tpos++ > 0) {
			x->pass++;
			x->tpos = 0;
			continue;
		}
		if (st_adj_seek(x->it, stdir, x->node, type, type && x->into ? x->want : 0) != ST_OK)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
		return 1;
	}
}

static int expand_next(cy_ctx *c, cy_op *op)
{
	op_expand *x = (op_expand *)op;
	st_adj a;
	int rc;
	if (!x->it && st_adj_open(c->st, &x->it) != ST_OK)
		return cy_nomem(c);
	for (;;) {
		if (!x->active) {
			const gr_value *f;
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			f = &c->row[x->from];
			if (f->type != GR_NODE)
				continue;
			if (x->into) {
				if (c->row[x->to].type != GR_NODE)
					continue;
				x->want = c->row[x->to].u.node.id;
			}
			if (x->relbound && c->row[x->rel].type != GR_EDGE)
				continue;
			x->node = f->u.node.id;
			x->active = 1;
			x->pass = 0;
			x->tpos = 0;
			x->seeked = 0;
		}
		if (!x->seeked) {
			if ((rc = expand_seek(c, x)) < 0)
				return -1;
			if (!rc) {
				x->active = 0;
				continue;
			}
			x->seeked = 1;
		}
		if (cy_tick(c) < 0)
			return -1;
		rc = st_adj_read(x->it, &a);
		if (rc < 0)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
		if (rc == 0) {
			x->seeked = 0;
			continue;
		}
		int in = x->dir == CY_DIR_LEFT || (x->dir == CY_DIR_BOTH && x->pass == 1);
		if (x->dir == CY_DIR_BOTH && in && a.a_nbr == x->node)
			continue;   /* a self-loop, seen on the way out */
		if (x->into && a.a_nbr != x->want)
			continue;
		if (x->relbound && c->row[x->rel].u.edge.id != a.a_edge)
			continue;
		if (x->nuniq && !cy_rel_unique(c->row, x->uniq, x->nuniq, a.a_edge))
			continue;
		gr_value e = { .type = GR_EDGE };
		e.u.edge.id = a.a_edge;
		e.u.edge.type = a.a_type;
		e.u.edge.src = in ? a.a_nbr : x->node;
		e.u.edge.dst = in ? x->node : a.a_nbr;
		if (x->relchk.nprops && (rc = cy_edge_ok(c, &x->relchk, &e)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (!x->into && !cy_chk_empty(&x->tochk) && (rc = cy_node_ok(c, &x->tochk, a.a_nbr)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		if (!x->relbound)
			cy_put(&c->row[x->rel], e);
		if (!x->into)
			cy_put(&c->row[x->to], (gr_value){ .type = GR_NODE, .u.node.id = a.a_nbr });
		return 1;
	}
}

static void expand_reset(cy_op *op)
{
	((op_expand *)op)->active = 0;
	cy_reset_child(op);
}

static void expand_close(cy_op *op)
{
	op_expand *x = (op_expand *)op;
	st_adj_close(x->it);
	x->it = NULL;
}

static void describe_expand(gr_buf *b, int dir, cy_sym *types, size_t ntypes, int into)
{
	cy_put_str(b, dir == CY_DIR_LEFT ? "<-[" : "-[");
	for (size_t i = 0; i < ntypes; i++) {
		cy_put_str(b, i ? "|" : ":");
		cy_put_str(b, types[i].name);
	}
	cy_put_str(b, dir == CY_DIR_RIGHT ? "]->" : "]-");
	if (into)
		cy_put_str(b, " into bound node");
}

static void expand_describe(cy_op *op, gr_buf *b)
{
	op_expand *x = (op_expand *)op;
	describe_expand(b, x->dir, x->types, x->ntypes, x->into);
	for (size_t i = 0; i < x->tochk.nlabels; i++) {
		cy_put_str(b, i ? ":" : " to :");
		cy_put_str(b, x->tochk.labels[i].name);
	}
	if (x->tochk.cand) {
		char buf[64];
		snprintf(buf, sizeof buf, " to one of %zu candidates", x->tochk.ncand);
		cy_put_str(b, buf);
	}
}

static const cy_opvt expand_vt = { "Expand", expand_next, expand_reset, expand_close, expand_describe };


cy_op *cy_op_expand(cy_pool *p, cy_op *child, int from, int rel, int to, int dir,
    cy_sym *types, size_t ntypes, int into, const cy_nodechk *tochk,
    const cy_nodechk *relchk, const int *uniq, size_t nuniq)
{
	op_expand *x = cy_op_new(p, sizeof *x, &expand_vt, child);
	if (!x)
		return NULL;
	x->from = from;
	x->rel = rel < 0 ? -rel - 1 : rel;
	x->relbound = rel < 0;
	x->to = to;
	x->dir = dir;
	x->types = types;
	x->ntypes = ntypes;
	x->into = into;
	x->npass = dir == CY_DIR_BOTH ? 2 : 1;
	if (tochk)
		x->tochk = *tochk;
	if (relchk)
		x->relchk = *relchk;
	if (!(x->uniq = cy_copy_ints(p, uniq, nuniq)))
		return NULL;
	x->nuniq = nuniq;
	return &x->o;
}

/* ---- variable-length expansion ---- */

typedef struct vframe {
	uint32_t node;
	gr_value edge;          /* the relationship that led here (depth > 0) */
	int pass;
	size_t tpos;
	int seeked;
	st_adj_iter *it;
} vframe;

typedef struct op_varexpand {
	cy_op o;
	int from, rel, to, dir, into;
	int reversed;           /* walked from the pattern's right end */
	int relbound;           /* the relationships are a list bound before */
	cy_sym *types;
	size_t ntypes;
	int64_t min, max;
	cy_nodechk tochk, relchk;
	int *uniq;
	size_t nuniq;
	vframe *st;
	size_t depth, cap;      /* frames in use */
	int active;
	uint32_t want;
} op_varexpand;

static int var_seek(cy_ctx *c, op_varexpand *v, vframe *f)
{
	int npass = v->dir == CY_DIR_BOTH ? 2 : 1;
	for (;;) {
		uint16_t type = 0;
		if (f->pass >= npass)
			return 0;
		int stdir = v->dir == CY_DIR_RIGHT ? ST_OUT : v->dir == CY_DIR_LEFT ? ST_IN : (f->pass ? ST_IN : ST_OUT);
		if (v->ntypes) {
			if (f->tpos >= v->ntypes) {
				f->pass++;
				f->tpos = 0;
				continue;
			}
			if (!(type = cy_sym_get(c, &v->types[f->tpos++])))
				continue;
		} else if (f->tpos++ > 0) {
			f->pass++;
			f->tpos = 0;
			continue;
		}
		if (st_adj_seek(f->it, stdir, f->node, type, 0) != ST_OK)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
		return 1;
	}
}

static int var_push(cy_ctx *c, op_varexpand *v, uint32_t node, const gr_value *edge)
{
	if (v->depth == v->cap) {
		size_t nc = v->cap ? v->cap * 2 : 8;
		vframe *ns = realloc(v->st, nc * sizeof *ns);
		if (!ns)
			return cy_nomem(c);
		memset(ns + v->cap, 0, (nc - v->cap) * sizeof *ns);
		v->st = ns;
		v->cap = nc;
	}
	vframe *f = &v->st[v->depth];
	if (!f->it && st_adj_open(c->st, &f->it) != ST_OK)
		return cy_nomem(c);
	f->node = node;
	f->edge = edge ? *edge : cy_nullv();
	f->pass = 0;
	f->tpos = 0;
	f->seeked = 0;
	v->depth++;
	return 0;
}

/* Sets the rel slot to the path's relationships and the far node. */
static int var_emit(cy_ctx *c, op_varexpand *v, uint32_t node)
{
	gr_value l = gr_list(v->depth ? v->depth - 1 : 0);
	if (v->depth > 1 && l.type != GR_LIST)
		return cy_nomem(c);
	/* the list runs in the pattern's order, whichever end we came from */
	for (size_t i = 1; i < v->depth; i++)
		gr_list_push(&l, v->st[v->reversed ? v->depth - i : i].edge);
	cy_put(&c->row[v->rel], l);
	if (!v->into)
		cy_put(&c->row[v->to], (gr_value){ .type = GR_NODE, .u.node.id = node });
	return 1;
}

static int var_on_path(const op_varexpand *v, uint32_t edge)
{
	for (size_t i = 1; i < v->depth; i++)
		if (v->st[i].edge.u.edge.id == edge)
			return 1;
	return 0;
}

static int var_target_ok(cy_ctx *c, op_varexpand *v, uint32_t node)
{
	if (v->into)
		return node == v->want;
	if (cy_chk_empty(&v->tochk))
		return 1;
	return cy_node_ok(c, &v->tochk, node);
}

/* A list of relationships bound before: the path must follow them. */
static int walk_bound(cy_ctx *c, op_varexpand *v)
{
	const gr_value *l = &c->row[v->rel];
	uint32_t cur = c->row[v->from].u.node.id;
	int rc;
	if (l->type != GR_LIST || (int64_t)l->u.list.n < v->min || (int64_t)l->u.list.n > v->max)
		return 0;
	for (size_t k = 0; k < l->u.list.n; k++) {
		const gr_value *e = &l->u.list.items[v->reversed ? l->u.list.n - 1 - k : k];
		int ok = 0;
		if (e->type != GR_EDGE)
			return 0;
		for (size_t t = 0; t < v->ntypes && !ok; t++)
			ok = cy_sym_get(c, &v->types[t]) == e->u.edge.type;
		if (v->ntypes && !ok)
			return 0;
		if (v->dir != CY_DIR_LEFT && e->u.edge.src == cur)
			cur = e->u.edge.dst;
		else if (v->dir != CY_DIR_RIGHT && e->u.edge.dst == cur)
			cur = e->u.edge.src;
		else
			return 0;
	}
	if ((rc = var_target_ok(c, v, cur)) <= 0)
		return rc;
	if (!v->into)
		cy_put(&c->row[v->to], (gr_value){ .type = GR_NODE, .u.node.id = cur });
	return 1;
}

static int varexpand_next(cy_ctx *c, cy_op *op)
{
	op_varexpand *v = (op_varexpand *)op;
	st_adj a;
	int rc;
	if (v->relbound) {
		while ((rc = cy_next(c, op->child)) > 0) {
			if (c->row[v->from].type != GR_NODE)
				continue;
			if (v->into) {
				if (c->row[v->to].type != GR_NODE)
					continue;
				v->want = c->row[v->to].u.node.id;
			}
			if ((rc = walk_bound(c, v)) != 0)
				return rc;
		}
		return rc;
	}
	for (;;) {
		if (!v->active) {
			const gr_value *f;
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			f = &c->row[v->from];
			if (f->type != GR_NODE)
				continue;
			if (v->into) {
				if (c->row[v->to].type != GR_NODE)
					continue;
				v->want = c->row[v->to].u.node.id;
			}
			v->depth = 0;
			if (var_push(c, v, f->u.node.id, NULL) < 0)
				return -1;
			v->active = 1;
			if (v->min == 0) {
				if ((rc = var_target_ok(c, v, f->u.node.id)) < 0)
					return -1;
				if (rc)
					return var_emit(c, v, f->u.node.id);
			}
		}
		if (v->depth == 0) {
			v->active = 0;
			continue;
		}
		vframe *f = &v->st[v->depth - 1];
		if ((int64_t)(v->depth - 1) >= v->max) {
			v->depth--;
			continue;
		}
		if (!f->seeked) {
			if ((rc = var_seek(c, v, f)) < 0)
				return -1;
			if (!rc) {
				v->depth--;
				continue;
			}
			f->seeked = 1;
		}
		if (cy_tick(c) < 0)
			return -1;   /* a long walk within one pull must still stop */
		rc = st_adj_read(f->it, &a);
		if (rc < 0)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
		if (rc == 0) {
			f->seeked = 0;
			continue;
		}
		int in = v->dir == CY_DIR_LEFT || (v->dir == CY_DIR_BOTH && f->pass == 1);
		if (v->dir == CY_DIR_BOTH && in && a.a_nbr == f->node)
			continue;
		if (var_on_path(v, a.a_edge) || (v->nuniq && !cy_rel_unique(c->row, v->uniq, v->nuniq, a.a_edge)))
			continue;
		gr_value e = { .type = GR_EDGE };
		e.u.edge.id = a.a_edge;
		e.u.edge.type = a.a_type;
		e.u.edge.src = in ? a.a_nbr : f->node;
		e.u.edge.dst = in ? f->node : a.a_nbr;
		if (v->relchk.nprops && (rc = cy_edge_ok(c, &v->relchk, &e)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		uint32_t nbr = a.a_nbr;
		if (var_push(c, v, nbr, &e) < 0)
			return -1;
		if ((int64_t)(v->depth - 1) >= v->min) {
			if ((rc = var_target_ok(c, v, nbr)) < 0)
				return -1;
			if (rc)
				return var_emit(c, v, nbr);
		}
	}
}

static void varexpand_reset(cy_op *op)
{
	op_varexpand *v = (op_varexpand *)op;
	v->active = 0;
	v->depth = 0;
	cy_reset_child(op);
}

static void varexpand_close(cy_op *op)
{
	op_varexpand *v = (op_varexpand *)op;
	for (size_t i = 0; i < v->cap; i++)
		st_adj_close(v->st[i].it);
	free(v->st);
	v->st = NULL;
	v->cap = v->depth = 0;
}

static void varexpand_describe(cy_op *op, gr_buf *b)
{
	op_varexpand *v = (op_varexpand *)op;
	char buf[64];
	describe_expand(b, v->dir, v->types, v->ntypes, v->into);
	if (v->max == INT64_MAX)
		snprintf(buf, sizeof buf, " *%lld..", (long long)v->min);
	else
		snprintf(buf, sizeof buf, " *%lld..%lld", (long long)v->min, (long long)v->max);
	cy_put_str(b, buf);
}

static const cy_opvt varexpand_vt = { "VarLengthExpand", varexpand_next, varexpand_reset,
	varexpand_close, varexpand_describe };

cy_op *cy_op_varexpand(cy_pool *p, cy_op *child, int from, int rel, int to, int dir,
    cy_sym *types, size_t ntypes, int64_t min, int64_t max, int into,
    const cy_nodechk *tochk, const cy_nodechk *relchk, const int *uniq, size_t nuniq,
    int reversed)
{
	op_varexpand *v = cy_op_new(p, sizeof *v, &varexpand_vt, child);
	if (!v)
		return NULL;
	v->from = from;
	v->rel = rel < 0 ? -rel - 1 : rel;
	v->relbound = rel < 0;
	v->reversed = reversed;
	v->to = to;
	v->dir = dir;
	v->types = types;
	v->ntypes = ntypes;
	v->min = min < 0 ? 1 : min;
	v->max = max < 0 ? INT64_MAX : max;
	v->into = into;
	if (tochk)
		v->tochk = *tochk;
	if (relchk)
		v->relchk = *relchk;
	if (!(v->uniq = cy_copy_ints(p, uniq, nuniq)))
		return NULL;
	v->nuniq = nuniq;
	return &v->o;
}

/* ---- shortest paths ---- */

typedef struct op_shortest {
	cy_op o;
	int from, to, path, rel, dir, all, reversed;
	cy_sym *types;
	size_t ntypes;
	int64_t min, max;
	cy_nodechk relchk;
	cy_ctx *ctx;
	gr_value *found;        /* paths of the current row */
	size_t nfound, capfound, pos;
	int active, failed;
} op_shortest;

static int shortest_edge_ok(void *arg, const gr_step *s)
{
	op_shortest *x = arg;
	gr_value e = { .type = GR_EDGE };
	if (cy_tick(x->ctx) < 0) {
		x->failed = 1;   /* refusing every edge ends the search at once */
		return 0;
	}
	if (!x->relchk.nprops)
		return 1;
	e.u.edge.id = s->s_edge;
	e.u.edge.type = s->s_type;
	e.u.edge.src = s->s_src;
	e.u.edge.dst = s->s_dst;
	int rc = cy_edge_ok(x->ctx, &x->relchk, &e);
	if (rc < 0)
		x->failed = 1;
	return rc > 0;
}

static int shortest_found(void *arg, const uint32_t *nodes, const gr_step *steps, size_t len)
{
	op_shortest *x = arg;
	gr_path *p;
	if (cy_tick(x->ctx) < 0) {
		x->failed = 1;
		return -1;
	}
	if (x->nfound == x->capfound) {
		size_t nc = x->capfound ? x->capfound * 2 : 4;
		gr_value *nf = realloc(x->found, nc * sizeof *nf);
		if (!nf)
			return -1;
		x->found = nf;
		x->capfound = nc;
	}
	if (!(p = calloc(1, sizeof *p)))
		return -1;
	p->pa_nodes = malloc((len + 1) * sizeof(gr_value));
	p->pa_rels = malloc((len ? len : 1) * sizeof(gr_value));
	if (!p->pa_nodes || !p->pa_rels) {
		free(p->pa_nodes);
		free(p->pa_rels);
		free(p);
		return -1;
	}
	/* a pattern written right to left was searched from its right end */
	for (size_t i = 0; i <= len; i++) {
		size_t k = x->reversed ? len - i : i;
		p->pa_nodes[i] = (gr_value){ .type = GR_NODE, .u.node.id = nodes[k] };
	}
	for (size_t i = 0; i < len; i++) {
		size_t k = x->reversed ? len - 1 - i : i;
		gr_value e = { .type = GR_EDGE };
		e.u.edge.id = steps[k].s_edge;
		e.u.edge.type = steps[k].s_type;
		e.u.edge.src = steps[k].s_src;
		e.u.edge.dst = steps[k].s_dst;
		p->pa_rels[i] = e;
	}
	p->pa_len = len;
	x->found[x->nfound].type = GR_PATH;
	x->found[x->nfound++].u.path = p;
	return 0;
}

static void shortest_clear(op_shortest *x)
{
	for (size_t i = 0; i < x->nfound; i++)
		cy_free(&x->found[i]);
	x->nfound = x->pos = 0;
}

static int shortest_next(cy_ctx *c, cy_op *op)
{
	op_shortest *x = (op_shortest *)op;
	int rc;
	for (;;) {
		if (!x->active) {
			gr_pathspec ps;
			gr_error ge;
			uint16_t types[64];
			size_t nt = 0;
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			shortest_clear(x);
			if (c->row[x->from].type != GR_NODE || c->row[x->to].type != GR_NODE)
				continue;
			for (size_t i = 0; i < x->ntypes && nt < 64; i++) {
				uint16_t t = cy_sym_get(c, &x->types[i]);
				if (t)
					types[nt++] = t;
			}
			if (x->ntypes && !nt)
				continue;
			memset(&ps, 0, sizeof ps);
			ps.ps_dir = x->dir == CY_DIR_RIGHT ? GR_DIR_OUT : x->dir == CY_DIR_LEFT ? GR_DIR_IN : GR_DIR_BOTH;
			ps.ps_types = types;
			ps.ps_ntypes = nt;
			ps.ps_min_hops = (int)x->min;
			ps.ps_max_hops = x->max < 0 || x->max > 1000000 ? -1 : (int)x->max;
			ps.ps_all = x->all;
			/* every edge: the search ticks the limits there */
			ps.ps_edge_ok = shortest_edge_ok;
			ps.ps_arg = x;
			x->ctx = c;
			x->failed = 0;
			rc = gr_shortest_paths(c->txn, c->row[x->from].u.node.id, c->row[x->to].u.node.id,
			    &ps, shortest_found, x, &ge);
			if (x->failed)
				return -1;
			if (rc < 0)
				return cy_fail_graph(c, rc, ge.msg);
			x->active = 1;
		}
		if (x->pos >= x->nfound) {
			x->active = 0;
			continue;
		}
		gr_value pv = x->found[x->pos];
		x->found[x->pos++] = cy_nullv();
		if (x->rel >= 0) {
			gr_value l = gr_list(pv.u.path->pa_len);
			for (size_t i = 0; i < pv.u.path->pa_len; i++)
				gr_list_push(&l, pv.u.path->pa_rels[i]);
			cy_put(&c->row[x->rel], l);
		}
		if (x->path >= 0)
			cy_put(&c->row[x->path], pv);
		else
			cy_free(&pv);
		return 1;
	}
}

static void shortest_reset(cy_op *op)
{
	op_shortest *x = (op_shortest *)op;
	shortest_clear(x);
	x->active = 0;
	cy_reset_child(op);
}

static void shortest_close(cy_op *op)
{
	op_shortest *x = (op_shortest *)op;
	shortest_clear(x);
	free(x->found);
	x->found = NULL;
}

static void shortest_describe(cy_op *op, gr_buf *b)
{
	op_shortest *x = (op_shortest *)op;
	char buf[64];
	cy_put_str(b, x->all ? "all shortest " : "shortest ");
	describe_expand(b, x->dir, x->types, x->ntypes, 0);
	if (x->max < 0)
		snprintf(buf, sizeof buf, " *%lld..", (long long)x->min);
	else
		snprintf(buf, sizeof buf, " *%lld..%lld", (long long)x->min, (long long)x->max);
	cy_put_str(b, buf);
	cy_put_str(b, " bidirectional breadth-first");
}

static const cy_opvt shortest_vt = { "ShortestPath", shortest_next, shortest_reset,
	shortest_close, shortest_describe };

cy_op *cy_op_shortest(cy_pool *p, cy_op *child, int from, int to, int path, int rel,
    int dir, cy_sym *types, size_t ntypes, int64_t min, int64_t max, int all,
    const cy_nodechk *relchk, int reversed)
{
	op_shortest *x = cy_op_new(p, sizeof *x, &shortest_vt, child);
	if (!x)
		return NULL;
	x->from = from;
	x->to = to;
	x->path = path;
	x->rel = rel;
	x->dir = dir;
	x->types = types;
	x->ntypes = ntypes;
	x->min = min;
	x->max = max;
	x->all = all;
	x->reversed = reversed;
	if (relchk)
		x->relchk = *relchk;
	return &x->o;
}

