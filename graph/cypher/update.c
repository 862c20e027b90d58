/*
 * update.c: the writing clauses: CREATE, MERGE (with ON CREATE SET and ON
 * MATCH SET), SET, REMOVE, DELETE and DETACH DELETE.
 *
 * Each is a barrier: it reads every row of its input first, then writes
 * for each row in turn, then passes the rows on.  So no cursor is ever
 * open across a write (LMDB pointers read in a write transaction die with
 * the next write), and each clause sees the whole effect of the clauses
 * before it, as openCypher says.  Writes go through graph.h, which keeps
 * the indexes and the change-log counts; a write may fail with
 * GR_EMAPFULL, which the runner turns into a replay of the statement.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

const char *cy_type_name(const gr_value *v);

static void wrote(cy_ctx *c)
{
	c->gen++;    /* symbols may be new, caches are stale */
}

static int graph_err(cy_ctx *c, int rc, const gr_error *ge)
{
	return cy_fail_graph(c, rc, ge->msg);
}

/* ---- property values ---- */

/* Whether v can be stored as a property (lists of one kind of scalar). */
static int storable(const gr_value *v)
{
	switch (v->type) {
	case GR_BOOL: case GR_INT: case GR_FLOAT: case GR_STRING: case GR_DATE:
	case GR_DATETIME: case GR_TIME: case GR_DURATION:
		return 1;
	case GR_LIST:
		for (size_t i = 0; i < v->u.list.n; i++) {
			const gr_value *x = &v->u.list.items[i];
			if (x->type == GR_LIST || x->type == GR_MAP || x->type >= GR_NODE)
				return 0;
		}
		return 1;
	default:
		return 0;
	}
}

/* Sets (or removes, when v is null) property name on a loaded node or
 * edge's property array.  Takes v. */
static int props_set(cy_ctx *c, const cy_expr *at, gr_prop **p, size_t *np, const char *name, gr_value v)
{
	uint16_t key;
	if (v.type != GR_NULL && !storable(&v)) {
		int rc = cy_fail(c, at, "type mismatch: a property cannot hold %s", cy_type_name(&v));
		cy_free(&v);
		return rc;
	}
	if (gr_sym(c->txn, name, strlen(name), 1, &key) != GR_OK) {
		cy_free(&v);
		return cy_fail_graph(c, GR_EIO, "cannot intern a property name");
	}
	if (gr_props_set(p, np, key, v) != GR_OK)
		return cy_nomem(c);
	return 0;
}

/* Sets the key of a node from a value (strings; numbers as their text). */
static int node_set_key(cy_ctx *c, const cy_expr *at, gr_node *n, const gr_value *v)
{
	gr_buf b = { 0 };
	if (v->type == GR_NULL)
		return 0;
	if (v->type == GR_STRING) {
		if (gr_buf_put(&b, v->u.s.ptr, v->u.s.len) < 0)
			goto nomem;
	} else if (v->type == GR_INT || v->type == GR_FLOAT || v->type == GR_DATE || v->type == GR_DATETIME) {
		if (gr_value_text(&b, v) < 0)
			goto nomem;
	} else {
		return cy_fail(c, at, "type mismatch: a node key must be a string, not %s", cy_type_name(v));
	}
	if (b.b_len == 0) {
		gr_buf_free(&b);
		return cy_fail(c, at, "a node key cannot be empty");
	}
	if (gr_buf_byte(&b, 0) < 0)
		goto nomem;
	free(n->n_key);
	n->n_key = (char *)b.b_data;
	n->n_keylen = b.b_len - 1;
	return 0;
nomem:
	gr_buf_free(&b);
	return cy_nomem(c);
}

/* Sets every entry of map m on a node (key "key" sets the key). */
static int node_set_map(cy_ctx *c, const cy_expr *at, gr_node *n, const gr_value *m)
{
	for (size_t i = 0; i < m->u.map.n; i++) {
		gr_value v;
		if (!strcmp(m->u.map.keys[i], "key")) {
			if (node_set_key(c, at, n, &m->u.map.vals[i]) < 0)
				return -1;
			continue;
		}
		if (gr_value_copy(&v, &m->u.map.vals[i]) < 0)
			return cy_nomem(c);
		if (props_set(c, at, &n->n_props, &n->n_nprops, m->u.map.keys[i], v) < 0)
			return -1;
	}
	return 0;
}

static int edge_set_map(cy_ctx *c, const cy_expr *at, gr_edge *e, const gr_value *m)
{
	for (size_t i = 0; i < m->u.map.n; i++) {
		gr_value v;
		if (gr_value_copy(&v, &m->u.map.vals[i]) < 0)
			return cy_nomem(c);
		if (props_set(c, at, &e->e_props, &e->e_nprops, m->u.map.keys[i], v) < 0)
			return -1;
	}
	return 0;
}

/* The properties to create with: a map (a compiled map or parameter). */
static int eval_props(cy_ctx *c, cx *e, gr_value *out)
{
	*out = cy_nullv();
	if (!e)
		return 0;
	if (cx_eval(c, e, out) < 0)
		return -1;
	if (c->merging && out->type == GR_MAP)
		for (size_t i = 0; i < out->u.map.n; i++)
			if (out->u.map.vals[i].type == GR_NULL) {
				int rc = cy_fail(c, e->src, "MERGE cannot use a null property value for '%s'",
				    out->u.map.keys[i]);
				cy_free(out);
				return rc;
			}
	if (out->type != GR_MAP && out->type != GR_NULL) {
		int rc = cy_fail(c, e->src, "type mismatch: properties must be a map, not %s", cy_type_name(out));
		cy_free(out);
		return rc;
	}
	return 0;
}

/* ---- CREATE ---- */

static int create_node(cy_ctx *c, const cy_node_pat *np, cx *props, uint32_t *id)
{
	gr_node n;
	gr_error ge;
	gr_value m;
	int rc = -1;
	gr_node_init(&n);
	if (eval_props(c, props, &m) < 0)
		return -1;
	if (np->np_nlabels && !(n.n_labels = calloc(np->np_nlabels, sizeof *n.n_labels))) {
		rc = cy_nomem(c);
		goto done;
	}
	for (size_t i = 0; i < np->np_nlabels; i++) {
		uint16_t l;
		if (gr_sym(c->txn, np->np_labels[i], strlen(np->np_labels[i]), 1, &l) != GR_OK) {
			rc = cy_fail_graph(c, GR_EIO, "cannot intern a label");
			goto done;
		}
		if (!gr_node_has_label(&n, l))
			n.n_labels[n.n_nlabels++] = l;
	}
	if (m.type == GR_MAP && node_set_map(c, props ? props->src : NULL, &n, &m) < 0)
		goto done;
	if ((rc = gr_node_save(c->txn, &n, &ge)) != GR_OK) {
		rc = graph_err(c, rc, &ge);
		goto done;
	}
	wrote(c);
	*id = n.n_id;
	rc = 0;
done:
	cy_free(&m);
	gr_node_clear(&n);
	return rc;
}

static int create_edge(cy_ctx *c, const cy_rel_pat *rp, cx *props, uint32_t src, uint32_t dst, gr_value *out)
{
	gr_edge e;
	gr_error ge;
	gr_value m;
	int rc = -1;
	gr_edge_init(&e);
	if (eval_props(c, props, &m) < 0)
		return -1;
	if (gr_sym(c->txn, rp->rp_types[0], strlen(rp->rp_types[0]), 1, &e.e_type) != GR_OK) {
		rc = cy_fail_graph(c, GR_EIO, "cannot intern a relationship type");
		goto done;
	}
	e.e_src = src;
	e.e_dst = dst;
	if (m.type == GR_MAP && edge_set_map(c, props ? props->src : NULL, &e, &m) < 0)
		goto done;
	if ((rc = gr_edge_create(c->txn, &e, &ge)) != GR_OK) {
		rc = graph_err(c, rc, &ge);
		goto done;
	}
	wrote(c);
	out->type = GR_EDGE;
	out->u.edge.id = e.e_id;
	out->u.edge.type = e.e_type;
	out->u.edge.src = src;
	out->u.edge.dst = dst;
	rc = 0;
done:
	cy_free(&m);
	gr_edge_clear(&e);
	return rc;
}

int cy_create_path(cy_ctx *c, const cy_path *pa, cx **nprops, cx **rprops)
{
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		const cy_node_pat *np = &pa->pa_nodes[i];
		if (np->np_new) {
			uint32_t id = 0;
			if (create_node(c, np, nprops ? nprops[i] : NULL, &id) < 0)
				return -1;
			cy_put(&c->row[np->np_slot], (gr_value){ .type = GR_NODE, .u.node.id = id });
		} else if (c->row[np->np_slot].type != GR_NODE) {
			return cy_fail(c, NULL, "cannot create a relationship or path with a null node `%s`",
			    np->np_var ? np->np_var : "");
		}
	}
	for (size_t i = 0; i + 1 < pa->pa_nnodes; i++) {
		const cy_rel_pat *rp = &pa->pa_rels[i];
		uint32_t a = c->row[pa->pa_nodes[i].np_slot].u.node.id;
		uint32_t b = c->row[pa->pa_nodes[i + 1].np_slot].u.node.id;
		gr_value e;
		if (create_edge(c, rp, rprops ? rprops[i] : NULL, rp->rp_dir == CY_DIR_LEFT ? b : a,
		    rp->rp_dir == CY_DIR_LEFT ? a : b, &e) < 0)
			return -1;
		cy_put(&c->row[rp->rp_slot], e);
	}
	if (pa->pa_slot >= 0 && pa->pa_var) {
		cx_pathdef pd;
		int nodes[256], rels[256];
		uint8_t varlen[256] = { 0 };
		gr_value p;
		if (pa->pa_nnodes > 256)
			return cy_fail(c, NULL, "path too long");
		for (size_t i = 0; i < pa->pa_nnodes; i++)
			nodes[i] = pa->pa_nodes[i].np_slot;
		for (size_t i = 0; i + 1 < pa->pa_nnodes; i++)
			rels[i] = pa->pa_rels[i].rp_slot;
		pd.nodes = nodes;
		pd.rels = rels;
		pd.varlen = varlen;
		pd.nrels = pa->pa_nnodes - 1;
		if (cy_build_path(c, NULL, &pd, &p) < 0)
			return -1;
		cy_put(&c->row[pa->pa_slot], p);
	}
	return 0;
}

/* The shape all writing operators share: fill, write, hand out. */
typedef struct op_write op_write;
typedef int (*write_row_fn)(cy_ctx *c, op_write *w);

struct op_write {
	cy_op o;
	write_row_fn fn;
	cy_rows in, out;
	int filled;
	size_t pos;
	/* CREATE */
	const cy_path *const *paths;
	size_t npaths;
	cx ***nprops, ***rprops;
	/* SET, REMOVE, ON CREATE, ON MATCH */
	const cy_set_item *items;
	cx **values;
	size_t nitems;
	const cy_set_item *items2;
	cx **values2;
	size_t nitems2;
	/* DELETE */
	cx **exprs;
	size_t nexprs;
	int detach;
	/* MERGE */
	const cy_path *path;
	cx **mnprops, **mrprops;
};

static int write_next(cy_ctx *c, cy_op *op)
{
	op_write *w = (op_write *)op;
	int rc;
	if (!w->filled) {
		while ((rc = cy_next(c, op->child)) > 0)
			if (cy_rows_push(&w->in, c->row) < 0)
				return cy_nomem(c);
		if (rc < 0)
			return -1;
		if (w->fn(c, w) < 0)
			return -1;
		w->filled = 1;
		w->pos = 0;
	}
	if (w->pos >= w->out.n)
		return 0;
	cy_rows_move_out(&w->out, w->pos++, c->row);
	return 1;
}

int cy_op_writes(const cy_op *op)
{
	for (; op; op = op->child)
		if (op->vt->next == write_next || (op->inner && cy_op_writes(op->inner)))
			return 1;
	return 0;
}

static void write_reset(cy_op *op)
{
	op_write *w = (op_write *)op;
	size_t wi = w->in.width, wo = w->out.width;
	cy_rows_free(&w->in);
	cy_rows_free(&w->out);
	w->in.width = wi;
	w->out.width = wo;
	w->filled = 0;
	cy_reset(op->child);
}

static void write_close(cy_op *op)
{
	op_write *w = (op_write *)op;
	cy_rows_free(&w->in);
	cy_rows_free(&w->out);
}

static void write_describe(cy_op *op, gr_buf *b)
{
	(void)op;
	(void)b;
}

static op_write *write_new(cy_pool *p, const cy_opvt *vt, cy_op *child, int width, write_row_fn fn)
{
	op_write *w = cy_op_new(p, sizeof *w, vt, child);
	if (!w)
		return NULL;
	w->in.width = w->out.width = (size_t)width;
	w->fn = fn;
	return w;
}

static int create_rows(cy_ctx *c, op_write *w)
{
	for (size_t i = 0; i < w->in.n; i++) {
		cy_rows_move_out(&w->in, i, c->row);
		for (size_t k = 0; k < w->npaths; k++)
			if (cy_create_path(c, w->paths[k], w->nprops[k], w->rprops[k]) < 0)
				return -1;
		if (cy_rows_push(&w->out, c->row) < 0)
			return cy_nomem(c);
	}
	return 0;
}

static const cy_opvt create_vt = { "Create", write_next, write_reset, write_close, write_describe };

cy_op *cy_op_create(cy_pool *p, cy_op *child, const cy_path *const *paths, size_t npaths,
    cx ***nprops, cx ***rprops, int width)
{
	op_write *w = write_new(p, &create_vt, child, width, create_rows);
	if (!w)
		return NULL;
	w->paths = paths;
	w->npaths = npaths;
	w->nprops = nprops;
	w->rprops = rprops;
	return &w->o;
}

/* ---- SET and REMOVE ---- */

static int save_node(cy_ctx *c, gr_node *n)
{
	gr_error ge;
	int rc = gr_node_save(c->txn, n, &ge);
	if (rc != GR_OK)
		return graph_err(c, rc, &ge);
	wrote(c);
	return 0;
}

static int save_edge(cy_ctx *c, gr_edge *e)
{
	gr_error ge;
	int rc = gr_edge_save(c->txn, e, &ge);
	if (rc != GR_OK)
		return graph_err(c, rc, &ge);
	wrote(c);
	return 0;
}

/* The entity a SET or REMOVE item works on: a variable of the row. */
static int eval_target(cy_ctx *c, const cy_expr *e, gr_value *out)
{
	*out = cy_nullv();
	if (e->e_kind != CY_E_VAR || e->u.var.slot < 0)
		return cy_fail(c, e, "SET and REMOVE work on variables");
	return gr_value_copy(out, &c->row[e->u.var.slot]) < 0 ? cy_nomem(c) : 0;
}

static int set_one(cy_ctx *c, const cy_set_item *si, cx *value)
{
	gr_value target = cy_nullv(), v = cy_nullv();
	int rc = -1;
	const cy_expr *obj_expr = si->si_kind == CY_SET_PROP || si->si_kind == CY_REMOVE_PROP
	    ? si->si_target->u.prop.obj : si->si_target;
	if (eval_target(c, obj_expr, &target) < 0)
		return -1;
	if (value && cx_eval(c, value, &v) < 0)
		goto done;
	rc = 0;
	if (target.type == GR_NULL)
		goto done;
	if (target.type != GR_NODE && target.type != GR_EDGE) {
		rc = cy_fail(c, obj_expr, "type mismatch: SET and REMOVE need a node or relationship, not %s",
		    cy_type_name(&target));
		goto done;
	}
	if ((si->si_kind == CY_SET_LABELS || si->si_kind == CY_REMOVE_LABELS) && target.type != GR_NODE) {
		rc = cy_fail(c, obj_expr, "type mismatch: labels belong to nodes");
		goto done;
	}
	if ((si->si_kind == CY_SET_REPLACE || si->si_kind == CY_SET_MERGE)) {
		if (v.type == GR_NODE) {
			gr_value m;
			if (cy_node_props_map(c, v.u.node.id, &m) < 0) {
				rc = -1;
				goto done;
			}
			cy_free(&v);
			v = m;
		} else if (v.type == GR_EDGE) {
			gr_value m;
			if (cy_edge_props_map(c, &v, &m) < 0) {
				rc = -1;
				goto done;
			}
			v = m;
		} else if (v.type == GR_NULL && si->si_kind == CY_SET_REPLACE) {
			v = gr_map();
		} else if (v.type == GR_NULL) {
			goto done;
		} else if (v.type != GR_MAP) {
			rc = cy_fail(c, si->si_value, "type mismatch: expected a map but was %s", cy_type_name(&v));
			goto done;
		}
	}
	if (target.type == GR_NODE) {
		gr_node n;
		gr_error ge;
		if ((rc = gr_node_load(c->txn, target.u.node.id, &n, &ge)) != GR_OK) {
			rc = rc == GR_ENOTFOUND ? 0 : graph_err(c, rc, &ge);
			goto done;
		}
		switch (si->si_kind) {
		case CY_SET_PROP:
		case CY_REMOVE_PROP:
			if (!strcmp(si->si_target->u.prop.key, "key")) {
				if (si->si_kind == CY_REMOVE_PROP || v.type == GR_NULL)
					rc = cy_fail(c, si->si_target, "a node's key cannot be removed");
				else
					rc = node_set_key(c, si->si_target, &n, &v);
				break;
			}
			rc = props_set(c, si->si_target, &n.n_props, &n.n_nprops, si->si_target->u.prop.key, v);
			v = cy_nullv();
			break;
		case CY_SET_REPLACE:
			for (size_t i = 0; i < n.n_nprops; i++)
				cy_free(&n.n_props[i].p_val);
			n.n_nprops = 0;
			/* fall through */
		case CY_SET_MERGE: {
			gr_value m = gr_map();
			for (size_t i = 0; i < v.u.map.n; i++) {
				gr_value x;
				if (v.u.map.vals[i].type == GR_NULL && si->si_kind == CY_SET_REPLACE)
					continue;
				if (gr_value_copy(&x, &v.u.map.vals[i]) < 0 || gr_map_set(&m, v.u.map.keys[i], x) < 0) {
					cy_free(&m);
					gr_node_clear(&n);
					rc = cy_nomem(c);
					goto done;
				}
			}
			rc = node_set_map(c, si->si_value, &n, &m);
			cy_free(&m);
			break;
		}
		case CY_SET_LABELS:
		case CY_REMOVE_LABELS:
			for (size_t i = 0; i < si->si_nlabels && rc == 0; i++) {
				uint16_t l;
				const char *name = si->si_labels[i];
				if (si->si_kind == CY_SET_LABELS) {
					if (gr_sym(c->txn, name, strlen(name), 1, &l) != GR_OK) {
						rc = cy_fail_graph(c, GR_EIO, "cannot intern a label");
						break;
					}
					if (gr_node_has_label(&n, l))
						continue;
					uint16_t *nl = realloc(n.n_labels, (n.n_nlabels + 1) * sizeof *nl);
					if (!nl) {
						rc = cy_nomem(c);
						break;
					}
					n.n_labels = nl;
					n.n_labels[n.n_nlabels++] = l;
					gr_txn_counts(c->txn)->labels_added++;
				} else {
					if (gr_sym(c->txn, name, strlen(name), 0, &l) != GR_OK)
						continue;
					for (size_t k = 0; k < n.n_nlabels; k++)
						if (n.n_labels[k] == l) {
							memmove(n.n_labels + k, n.n_labels + k + 1,
							    (n.n_nlabels - k - 1) * sizeof *n.n_labels);
							n.n_nlabels--;
							gr_txn_counts(c->txn)->labels_removed++;
							break;
						}
				}
			}
			break;
		}
		if (rc == 0)
			rc = save_node(c, &n);
		gr_node_clear(&n);
		goto done;
	}
	/* a relationship */
	{
		gr_edge e;
		if ((rc = cy_edge_load(c, &target, &e)) < 0)
			goto done;
		switch (si->si_kind) {
		case CY_SET_PROP:
		case CY_REMOVE_PROP:
			rc = props_set(c, si->si_target, &e.e_props, &e.e_nprops, si->si_target->u.prop.key, v);
			v = cy_nullv();
			break;
		case CY_SET_REPLACE:
			for (size_t i = 0; i < e.e_nprops; i++)
				cy_free(&e.e_props[i].p_val);
			e.e_nprops = 0;
			/* fall through */
		default: {
			for (size_t i = 0; i < v.u.map.n && rc == 0; i++) {
				gr_value x;
				if (v.u.map.vals[i].type == GR_NULL && si->si_kind == CY_SET_REPLACE)
					continue;
				if (gr_value_copy(&x, &v.u.map.vals[i]) < 0)
					rc = cy_nomem(c);
				else
					rc = props_set(c, si->si_value, &e.e_props, &e.e_nprops, v.u.map.keys[i], x);
			}
			break;
		}
		}
		if (rc == 0)
			rc = save_edge(c, &e);
		gr_edge_clear(&e);
	}
done:
	cy_free(&target);
	cy_free(&v);
	return rc;
}

int cy_apply_set(cy_ctx *c, const cy_set_item *items, cx **values, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set_one(c, &items[i], values[i]) < 0)
			return -1;
	return 0;
}

static int set_rows(cy_ctx *c, op_write *w)
{
	for (size_t i = 0; i < w->in.n; i++) {
		cy_rows_move_out(&w->in, i, c->row);
		if (cy_apply_set(c, w->items, w->values, w->nitems) < 0)
			return -1;
		if (cy_rows_push(&w->out, c->row) < 0)
			return cy_nomem(c);
	}
	return 0;
}

static const cy_opvt set_vt = { "SetProperties", write_next, write_reset, write_close, write_describe };

cy_op *cy_op_set(cy_pool *p, cy_op *child, const cy_set_item *items, size_t n,
    cx **values, int width)
{
	op_write *w = write_new(p, &set_vt, child, width, set_rows);
	if (!w)
		return NULL;
	w->items = items;
	w->values = values;
	w->nitems = n;
	return &w->o;
}

/* ---- DELETE ---- */

typedef struct doomed {
	gr_value *edges;
	size_t nedges, cedges;
	uint32_t *nodes;
	size_t nnodes, cnodes;
} doomed;

static int doom_edge(doomed *d, const gr_value *e)
{
	if (d->nedges == d->cedges) {
		size_t nc = d->cedges ? d->cedges * 2 : 16;
		gr_value *n = realloc(d->edges, nc * sizeof *n);
		if (!n)
			return -1;
		d->edges = n;
		d->cedges = nc;
	}
	d->edges[d->nedges++] = *e;
	return 0;
}

static int doom_node(doomed *d, uint32_t id)
{
	if (d->nnodes == d->cnodes) {
		size_t nc = d->cnodes ? d->cnodes * 2 : 16;
		uint32_t *n = realloc(d->nodes, nc * sizeof *n);
		if (!n)
			return -1;
		d->nodes = n;
		d->cnodes = nc;
	}
	d->nodes[d->nnodes++] = id;
	return 0;
}

static int doom_value(cy_ctx *c, const cy_expr *at, doomed *d, const gr_value *v)
{
	switch (v->type) {
	case GR_NULL:
		return 0;
	case GR_NODE:
		return doom_node(d, v->u.node.id) < 0 ? cy_nomem(c) : 0;
	case GR_EDGE:
		return doom_edge(d, v) < 0 ? cy_nomem(c) : 0;
	case GR_PATH:
		for (size_t i = 0; i < v->u.path->pa_len; i++)
			if (doom_edge(d, &v->u.path->pa_rels[i]) < 0)
				return cy_nomem(c);
		for (size_t i = 0; i <= v->u.path->pa_len; i++)
			if (doom_node(d, v->u.path->pa_nodes[i].u.node.id) < 0)
				return cy_nomem(c);
		return 0;
	case GR_LIST:
		for (size_t i = 0; i < v->u.list.n; i++)
			if (doom_value(c, at, d, &v->u.list.items[i]) < 0)
				return -1;
		return 0;
	default:
		return cy_fail(c, at, "type mismatch: DELETE expects a node, relationship or path but was %s",
		    cy_type_name(v));
	}
}

static int note_deleted(cy_ctx *c, uint32_t edge)
{
	if (c->ndel_edges == c->cdel_edges) {
		size_t nc = c->cdel_edges ? c->cdel_edges * 2 : 16;
		uint32_t *n = realloc(c->del_edges, nc * sizeof *n);
		if (!n)
			return -1;
		c->del_edges = n;
		c->cdel_edges = nc;
	}
	c->del_edges[c->ndel_edges++] = edge;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int delete_rows(cy_ctx *c, op_write *w)
{
	doomed d;
	gr_error ge;
	int rc = 0;
	memset(&d, 0, sizeof d);
	for (size_t i = 0; i < w->in.n && rc == 0; i++) {
		cy_rows_move_out(&w->in, i, c->row);
		for (size_t k = 0; k < w->nexprs && rc == 0; k++) {
			gr_value v;
			if ((rc = cx_eval(c, w->exprs[k], &v)) < 0)
				break;
			rc = doom_value(c, w->exprs[k]->src, &d, &v);
			cy_free(&v);
		}
		if (rc == 0 && cy_rows_push(&w->out, c->row) < 0)
			rc = cy_nomem(c);
	}
	for (size_t i = 0; i < d.nedges && rc == 0; i++) {
		gr_edge e;
		gr_edge_init(&e);
		e.e_id = d.edges[i].u.edge.id;
		e.e_src = d.edges[i].u.edge.src;
		e.e_dst = d.edges[i].u.edge.dst;
		e.e_type = (uint16_t)d.edges[i].u.edge.type;
		int r = gr_edge_delete(c->txn, &e, &ge);
		if (r != GR_OK && r != GR_ENOTFOUND)
			rc = graph_err(c, r, &ge);
		else
			wrote(c);
		if (r == GR_OK && note_deleted(c, e.e_id) < 0)
			rc = cy_nomem(c);
	}
	if (d.nnodes)
		qsort(d.nodes, d.nnodes, sizeof *d.nodes, cmp_u32);
	for (size_t i = 0; i < d.nnodes && rc == 0; i++) {
		if (i && d.nodes[i] == d.nodes[i - 1])
			continue;
		int r = gr_node_delete(c->txn, d.nodes[i], w->detach, &ge);
		if (r == GR_EINVALID)
			rc = cy_fail(c, w->exprs[0]->src, "cannot delete a node that still has relationships; "
			    "delete them first or use DETACH DELETE");
		else if (r != GR_OK && r != GR_ENOTFOUND)
			rc = graph_err(c, r, &ge);
		else
			wrote(c);
	}
	free(d.edges);
	free(d.nodes);
	return rc;
}

static const cy_opvt delete_vt = { "Delete", write_next, write_reset, write_close, write_describe };

cy_op *cy_op_delete(cy_pool *p, cy_op *child, cx **exprs, size_t n, int detach, int width)
{
	op_write *w = write_new(p, &delete_vt, child, width, delete_rows);
	if (!w)
		return NULL;
	w->exprs = exprs;
	w->nexprs = n;
	w->detach = detach;
	return &w->o;
}

/* ---- MERGE ---- */

static int merge_rows(cy_ctx *c, op_write *w)
{
	cy_rows found = { 0 };
	int rc = 0;
	found.width = w->in.width;
	for (size_t i = 0; i < w->in.n && rc == 0; i++) {
		cy_rows_move_out(&w->in, i, c->row);
		cy_reset(w->o.inner);
		/* every match first: the writes below would invalidate cursors */
		while ((rc = cy_next(c, w->o.inner)) > 0)
			if (cy_rows_push(&found, c->row) < 0) {
				rc = cy_nomem(c);
				break;
			}
		if (rc < 0)
			break;
		cy_reset(w->o.inner);
		if (found.n == 0) {
			c->merging = 1;
			rc = cy_create_path(c, w->path, w->mnprops, w->mrprops);
			c->merging = 0;
			if (rc < 0)
				break;
			if ((rc = cy_apply_set(c, w->items, w->values, w->nitems)) < 0)
				break;
			if (cy_rows_push(&w->out, c->row) < 0)
				rc = cy_nomem(c);
			continue;
		}
		for (size_t k = 0; k < found.n && rc == 0; k++) {
			cy_rows_move_out(&found, k, c->row);
			if ((rc = cy_apply_set(c, w->items2, w->values2, w->nitems2)) < 0)
				break;
			if (cy_rows_push(&w->out, c->row) < 0)
				rc = cy_nomem(c);
		}
		cy_rows_free(&found);
		found.width = w->in.width;
	}
	cy_rows_free(&found);
	return rc;
}

static const cy_opvt merge_vt = { "Merge", write_next, write_reset, write_close, write_describe };

cy_op *cy_op_merge(cy_pool *p, cy_op *child, cy_op *match, const cy_path *path,
    cx **nprops, cx **rprops, const cy_set_item *on_create, cx **oc_vals, size_t noc,
    const cy_set_item *on_match, cx **om_vals, size_t nom, int width)
{
	op_write *w = write_new(p, &merge_vt, child, width, merge_rows);
	if (!w)
		return NULL;
	w->o.inner = match;
	w->path = path;
	w->mnprops = nprops;
	w->mrprops = rprops;
	w->items = on_create;
	w->values = oc_vals;
	w->nitems = noc;
	w->items2 = on_match;
	w->values2 = om_vals;
	w->nitems2 = nom;
	return &w->o;
}
