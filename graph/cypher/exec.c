/*
 * exec.c: what the operators share (the plan's memory pool, held rows,
 * node checks against labels and property maps, label membership) and the
 * simple reading operators: one row, node scans (all, by label, by key,
 * from a candidate list, a bound node's check), filters, projections,
 * UNWIND, OPTIONAL MATCH, DISTINCT, SKIP and LIMIT.  Walking relationships
 * is expand.c's, sorting and aggregation agg.c's, writing update.c's.
 *
 * Every operator follows one shape: when it has no input row it pulls one
 * from its child and sets up an iteration over what that row leads to;
 * each call then produces the next extension of the row, and when the
 * iteration is over it pulls again.  So LIMIT 1 stops the whole tree after
 * the first row, and only the operators that must (sort, aggregation,
 * writes) hold rows.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* ---- pool ---- */

void *cy_alloc(cy_pool *p, size_t n)
{
	return cy_arena_alloc(p->mem ? p->mem : &p->own, n);
}

static int pool_push(void ***arr, size_t *n, size_t *cap, void *x)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 32;
		void **na = realloc(*arr, nc * sizeof *na);
		if (!na)
			return -1;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*n)++] = x;
	return 0;
}

int cy_pool_value(cy_pool *p, gr_value *v)
{
	return pool_push((void ***)&p->consts, &p->nconsts, &p->cconsts, v);
}

int cy_pool_regex(cy_pool *p, void *re)
{
	return pool_push(&p->regexes, &p->nregexes, &p->cregexes, re);
}

void *cy_op_new(cy_pool *p, size_t size, const cy_opvt *vt, cy_op *child)
{
	cy_op *op = cy_alloc(p, size);
	if (!op)
		return NULL;
	if (pool_push((void ***)&p->ops, &p->nops, &p->cops, op) < 0)
		return NULL;
	op->vt = vt;
	op->child = child;
	op->text = p->text;
	op->textlen = p->textlen;
	return op;
}

void cy_regex_free(void *re);

void cy_pool_free(cy_pool *p)
{
	for (size_t i = p->nops; i-- > 0;)
		if (p->ops[i]->vt->close)
			p->ops[i]->vt->close(p->ops[i]);
	for (size_t i = 0; i < p->nconsts; i++)
		cy_free(p->consts[i]);
	for (size_t i = 0; i < p->nregexes; i++)
		cy_regex_free(p->regexes[i]);
	free(p->ops);
	free(p->consts);
	free(p->regexes);
	cy_arena_clear(&p->own);   /* a borrowed arena is its owner's to free */
	memset(p, 0, sizeof *p);
}

/* ---- held rows ---- */

int cy_rows_push(cy_rows *r, const gr_value *row)
{
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		gr_value *nv = realloc(r->v, nc * r->width * sizeof *nv);
		if (!nv)
			return -1;
		r->v = nv;
		r->cap = nc;
	}
	if (cy_slots_copy(r->v + r->n * r->width, row, NULL, r->width) < 0)
		return -1;
	r->n++;
	return 0;
}

int cy_slots_copy(gr_value *dst, const gr_value *row, const int *slots, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const gr_value *src = &row[slots ? (size_t)slots[k] : k];
		if (!CY_HEAP(src->type)) {
			dst[k] = *src;
		} else if (gr_value_copy(&dst[k], src) < 0) {
			while (k > 0)
				cy_free(&dst[--k]);
			return -1;
		}
	}
	return 0;
}

void cy_slots_put(gr_value *row, const int *slots, gr_value *src, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		cy_put(&row[slots[k]], src[k]);
		src[k] = cy_nullv();
	}
}

void cy_rows_move_out(cy_rows *r, size_t i, gr_value *dst)
{
	gr_value *src = r->v + i * r->width;
	for (size_t k = 0; k < r->width; k++) {
		cy_put(&dst[k], src[k]);
		src[k] = cy_nullv();
	}
}

void cy_rows_free(cy_rows *r)
{
	if (r->v)
		for (size_t i = 0; i < r->n * r->width; i++)
			cy_free(&r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = r->cap = r->pos = 0;
}

/* ---- checks ---- */

/* Whether this check of a label by record read is one too many, and a bitmap
 * of the label should be built.  The bitmap costs a read of the label index,
 * a few nanoseconds a node (in a new process, a page touched in sequence per
 * 1,000 nodes and one of fresh memory per 32,768); a record read costs a
 * seek and, in a new process, a page touched at random, some 10 us (random
 * records of a large label land on a new page nearly every read): so after
 * 32 checks, build it once the checks are more than a 2048th of the label's
 * nodes (and always after 2048). */
static int bitmap_worth(cy_ctx *c, uint16_t label)
{
	uint32_t asks;
	/* the planner checks a sample of a few dozen nodes: a bitmap of the
	 * whole label, read for them, would cost a point query more than
	 * they do (it was most of Q4's pages in a new process) */
	if (c->planning)
		return 0;
	asks = ++c->label_asks[label & 63];
	if (asks < 32)
		return 0;
	if (!c->label_need[label & 63]) {
		uint64_t n = st_label_count(c->st, label) / 2048;
		c->label_need[label & 63] = n < 32 ? 32 : n > 2048 ? 2048 : (uint32_t)n;
	}
	return asks >= c->label_need[label & 63];
}

int cy_has_label(cy_ctx *c, uint32_t id, uint16_t label)
{
	if (!c->write) {
		for (int i = 0; i < CY_CTX_BITMAPS; i++)
			if (c->bm_label[i] == label && c->bm[i]) {
				const cy_bitmap *bm = c->bm[i];
				return id < bm->nbits && (bm->bits[id >> 6] >> (id & 63)) & 1;
			}
		if (bitmap_worth(c, label)) {
			const cy_bitmap *bm = cy_label_bitmap(c, label);
			if (bm) {
				int slot = c->bm_next++ % CY_CTX_BITMAPS;
				c->bm_label[slot] = label;
				c->bm[slot] = bm;
				return id < bm->nbits && (bm->bits[id >> 6] >> (id & 63)) & 1;
			}
		}
		int known = cy_label_known(c, id, label);
		if (known >= 0)
			return known;
		known = gr_node_has_label_id(c->txn, id, label);
		cy_label_note(c, id, label, known);
		return known;
	}
	return gr_node_has_label_id(c->txn, id, label);
}

static int in_sorted(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ids[lo] == id;
}

/* Whether `key` is a key merged into node id (`merge` leaves the old key in
 * the key index, pointing at the survivor): {key: 'OLD'} still finds it. */
static int key_alias_of(cy_ctx *c, uint32_t id, const gr_value *key)
{
	uint16_t labels[16];
	size_t n = 0;
	uint32_t owner;
	if (gr_node_labels(c->txn, id, labels, 16, &n) != GR_OK)
		return 0;
	for (size_t i = 0; i <= n; i++)   /* every label, then none */
		if (st_key_get(c->st, i < n ? labels[i] : 0, key->u.s.ptr, key->u.s.len, &owner) == ST_OK && owner == id)
			return 1;
	return 0;
}

/* Whether every property of k's map equals its value on the node or
 * relationship ent: 1 when so, 0 when not, -1 on error.  On a node (only),
 * {key: 'OLD'} also matches a key merged into it (key_alias_of). */
static int props_ok(cy_ctx *c, const cy_nodechk *k, const gr_value *ent)
{
	for (size_t i = 0; i < k->nprops; i++) {
		gr_value have = cy_nullv(), tmp = cy_nullv();
		const gr_value *want;
		int eq;
		if (cy_prop(c, NULL, ent, &k->pkeys[i], &have) < 0)
			return -1;
		if (!(want = cx_ref(c, k->pvals[i], &tmp))) {
			cy_free(&have);
			return -1;
		}
		eq = gr_value_equal(&have, want) == 1;
		if (!eq && ent->type == GR_NODE && k->pkeys[i].is_key && want->type == GR_STRING)
			eq = key_alias_of(c, ent->u.node.id, want);
		cy_free(&have);
		cy_free(&tmp);
		if (!eq)
			return 0;
	}
	return 1;
}

int cy_node_ok(cy_ctx *c, const cy_nodechk *k, uint32_t id)
{
	gr_value node = { .type = GR_NODE, .u.node.id = id };

	if (k->cand && !c->write)
		return in_sorted(k->cand, k->ncand, id);
	for (size_t i = 0; i < k->nlabels; i++) {
		uint16_t l = cy_sym_get(c, &k->labels[i]);
		if (!l || !cy_has_label(c, id, l))
			return 0;
	}
	return props_ok(c, k, &node);
}

int cy_edge_ok(cy_ctx *c, const cy_nodechk *k, const gr_value *edge)
{
	return props_ok(c, k, edge);
}

int cy_chk_empty(const cy_nodechk *k)
{
	return !k || (!k->nlabels && !k->nprops && !k->cand);
}

/* Whether edge id differs from every relationship held in slots uniq. */
int cy_rel_unique(const gr_value *row, const int *uniq, size_t n, uint32_t edge)
{
	for (size_t i = 0; i < n; i++) {
		const gr_value *v = &row[uniq[i]];
		if (v->type == GR_EDGE) {
			if (v->u.edge.id == edge)
				return 0;
		} else if (v->type == GR_LIST) {
			for (size_t k = 0; k < v->u.list.n; k++)
				if (v->u.list.items[k].type == GR_EDGE && v->u.list.items[k].u.edge.id == edge)
					return 0;
		}
	}
	return 1;
}

void cy_reset_child(cy_op *op)
{
	cy_reset(op->child);
}

static void describe_none(cy_op *op, gr_buf *b)
{
	(void)op;
	(void)b;
}

void cy_put_str(gr_buf *b, const char *s)
{
	gr_buf_put(b, s, strlen(s));
}


int *cy_copy_ints(cy_pool *p, const int *v, size_t n)
{
	int *r = cy_alloc(p, (n ? n : 1) * sizeof *r);
	if (r && n)
		memcpy(r, v, n * sizeof *r);
	return r;
}

/* ---- one row ---- */

typedef struct op_once {
	cy_op o;
	int done;
} op_once;

static int once_next(cy_ctx *c, cy_op *op)
{
	op_once *o = (op_once *)op;
	(void)c;
	if (o->done)
		return 0;
	o->done = 1;
	return 1;
}

static void once_reset(cy_op *op)
{
	((op_once *)op)->done = 0;
}

static const cy_opvt once_vt = { "Argument", once_next, once_reset, NULL, describe_none };

cy_op *cy_op_once(cy_pool *p)
{
	return cy_op_new(p, sizeof(op_once), &once_vt, NULL);
}

/* ---- node scans ---- */

typedef struct op_scan {
	cy_op o;
	int mode, slot;
	cy_sym label;
	cx *key;
	uint32_t *ids;
	size_t nids;
	cy_nodechk chk;
	int active;
	uint32_t cur;
	size_t pos;
	uint32_t found[8];
	size_t nfound;
} op_scan;

/* Every node with this key whatever its first label, then checked. */
static int key_lookup(cy_ctx *c, op_scan *s)
{
	gr_value tmp = cy_nullv();
	const gr_value *k = cx_ref(c, s->key, &tmp);
	uint16_t label = cy_sym_get(c, &s->label), sym = 0;
	uint32_t id;
	const char *name;
	size_t nlen;
	s->nfound = 0;
	if (!k)
		return -1;
	if (k->type == GR_STRING && label &&
	    st_key_get(c->st, label, k->u.s.ptr, k->u.s.len, &id) == ST_OK)
		s->found[s->nfound++] = id;
	else if (k->type == GR_STRING && label) {
		/* the label may be a second label of a node keyed under its first */
		while (s->nfound < 8 && st_sym_next(c->st, &sym, &name, &nlen) == ST_OK) {
			if (sym != label && st_key_get(c->st, sym, k->u.s.ptr, k->u.s.len, &id) == ST_OK)
				s->found[s->nfound++] = id;
			if (sym == 0xffff)
				break;
		}
	}
	cy_free(&tmp);
	return 0;
}

static int scan_next(cy_ctx *c, cy_op *op)
{
	op_scan *s = (op_scan *)op;
	int rc;
	for (;;) {
		uint32_t id = 0;
		if (!s->active) {
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			s->active = 1;
			s->cur = 0;
			s->pos = 0;
			if (s->mode == CY_SCAN_KEY && key_lookup(c, s) < 0)
				return -1;
			if (s->mode == CY_SCAN_LABEL && !cy_sym_get(c, &s->label))
				s->active = 0;
			if (!s->active)
				continue;
		}
		switch (s->mode) {
		case CY_SCAN_ALL: {
			const void *rec;
			size_t len;
			rc = st_node_next(c->st, &s->cur, &rec, &len);
			if (rc == ST_ENOTFOUND) {
				s->active = 0;
				continue;
			}
			if (rc)
				return cy_fail_graph(c, GR_EIO, "cannot scan nodes");
			id = s->cur;
			break;
		}
		case CY_SCAN_LABEL:
			rc = st_label_next(c->st, cy_sym_get(c, &s->label), &s->cur);
			if (rc == ST_ENOTFOUND) {
				s->active = 0;
				continue;
			}
			if (rc)
				return cy_fail_graph(c, GR_EIO, "cannot scan a label");
			id = s->cur;
			break;
		case CY_SCAN_KEY:
			if (s->pos >= s->nfound) {
				s->active = 0;
				continue;
			}
			id = s->found[s->pos++];
			break;
		case CY_SCAN_IDS:
			if (s->pos >= s->nids) {
				s->active = 0;
				continue;
			}
			id = s->ids[s->pos++];
			if (c->write && !gr_node_exists(c->txn, id))
				continue;
			break;
		default: /* CY_SCAN_BOUND: check the node already bound */
			s->active = 0;
			if (c->row[s->slot].type != GR_NODE)
				continue;
			id = c->row[s->slot].u.node.id;
			if (!cy_chk_empty(&s->chk) && (rc = cy_node_ok(c, &s->chk, id)) <= 0) {
				if (rc < 0)
					return -1;
				continue;
			}
			return 1;
		}
		if (!cy_chk_empty(&s->chk) && (s->mode != CY_SCAN_IDS || s->chk.cand == NULL)) {
			if ((rc = cy_node_ok(c, &s->chk, id)) < 0)
				return -1;
			if (!rc)
				continue;
		}
		cy_put(&c->row[s->slot], (gr_value){ .type = GR_NODE, .u.node.id = id });
		return 1;
	}
}

static void scan_reset(cy_op *op)
{
	((op_scan *)op)->active = 0;
	cy_reset_child(op);
}

static void scan_describe(cy_op *op, gr_buf *b)
{
	op_scan *s = (op_scan *)op;
	char buf[64];
	switch (s->mode) {
	case CY_SCAN_ALL: cy_put_str(b, "all nodes"); break;
	case CY_SCAN_LABEL: cy_put_str(b, ":"); cy_put_str(b, s->label.name); break;
	case CY_SCAN_KEY: cy_put_str(b, "key index :"); cy_put_str(b, s->label.name); break;
	case CY_SCAN_IDS:
		snprintf(buf, sizeof buf, "%zu candidates", s->nids);
		cy_put_str(b, buf);
		break;
	default: cy_put_str(b, "bound node check"); break;
	}
	for (size_t i = 0; i < s->chk.nlabels; i++) {
		cy_put_str(b, i ? ":" : " check :");
		cy_put_str(b, s->chk.labels[i].name);
	}
	for (size_t i = 0; i < s->chk.nprops; i++) {
		cy_put_str(b, i ? ", " : " {");
		cy_put_str(b, s->chk.pkeys[i].name);
		if (i + 1 == s->chk.nprops)
			cy_put_str(b, "}");
	}
}

static const cy_opvt scan_vt = { "NodeScan", scan_next, scan_reset, NULL, scan_describe };

cy_op *cy_op_scan(cy_pool *p, cy_op *child, int mode, int slot, cy_sym *label,
    cx *key, uint32_t *ids, size_t nids, const cy_nodechk *chk)
{
	op_scan *s = cy_op_new(p, sizeof *s, &scan_vt, child);
	if (!s)
		return NULL;
	s->mode = mode;
	s->slot = slot;
	if (label)
		s->label = *label;
	s->key = key;
	s->ids = ids;
	s->nids = nids;
	if (chk)
		s->chk = *chk;
	return &s->o;
}

/* ---- filter, projection, UNWIND ---- */

typedef struct op_filter {
	cy_op o;
	cx *pred;
} op_filter;

static int filter_next(cy_ctx *c, cy_op *op)
{
	op_filter *f = (op_filter *)op;
	int rc, truth;
	while ((rc = cy_next(c, op->child)) > 0) {
		if (cx_pred(c, f->pred, &truth) < 0)
			return -1;
		if (truth == 1)
			return 1;
	}
	return rc;
}

void cy_describe_expr(cy_op *op, const cx *e, gr_buf *b);

static void filter_describe(cy_op *op, gr_buf *b)
{
	cy_describe_expr(op, ((op_filter *)op)->pred, b);
}

static const cy_opvt filter_vt = { "Filter", filter_next, cy_reset_child, NULL, filter_describe };

cy_op *cy_op_filter(cy_pool *p, cy_op *child, cx *pred)
{
	op_filter *f = cy_op_new(p, sizeof *f, &filter_vt, child);
	if (!f)
		return NULL;
	f->pred = pred;
	return &f->o;
}

typedef struct op_project {
	cy_op o;
	cx **exprs;
	int *slots;
	size_t n;
} op_project;

static int project_next(cy_ctx *c, cy_op *op)
{
	op_project *p = (op_project *)op;
	int rc = cy_next(c, op->child);
	if (rc <= 0)
		return rc;
	for (size_t i = 0; i < p->n; i++) {
		gr_value v;
		if (cx_eval(c, p->exprs[i], &v) < 0)
			return -1;
		cy_put(&c->row[p->slots[i]], v);
	}
	return 1;
}

static void project_describe(cy_op *op, gr_buf *b)
{
	op_project *p = (op_project *)op;
	for (size_t i = 0; i < p->n; i++) {
		if (i)
			cy_put_str(b, ", ");
		cy_describe_expr(op, p->exprs[i], b);
	}
}

static const cy_opvt project_vt = { "Projection", project_next, cy_reset_child, NULL, project_describe };

cy_op *cy_op_project(cy_pool *p, cy_op *child, cx **exprs, int *slots, size_t n)
{
	op_project *x = cy_op_new(p, sizeof *x, &project_vt, child);
	if (!x)
		return NULL;
	x->exprs = exprs;
	x->slots = slots;
	x->n = n;
	return &x->o;
}

typedef struct op_unwind {
	cy_op o;
	cx *list;
	int slot;
	gr_value cur;
	size_t pos;
	int active;
} op_unwind;

static int unwind_next(cy_ctx *c, cy_op *op)
{
	op_unwind *u = (op_unwind *)op;
	int rc;
	for (;;) {
		if (!u->active) {
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			cy_free(&u->cur);
			if (cx_eval(c, u->list, &u->cur) < 0)
				return -1;
			if (u->cur.type == GR_NULL)
				continue;
			if (u->cur.type != GR_LIST) {
				/* a single value unwinds to itself */
				cy_put(&c->row[u->slot], u->cur);
				u->cur = cy_nullv();
				return 1;
			}
			u->pos = 0;
			u->active = 1;
		}
		if (u->pos >= u->cur.u.list.n) {
			u->active = 0;
			continue;
		}
		cy_put(&c->row[u->slot], u->cur.u.list.items[u->pos]);
		u->cur.u.list.items[u->pos++] = cy_nullv();
		return 1;
	}
}

static void unwind_reset(cy_op *op)
{
	op_unwind *u = (op_unwind *)op;
	u->active = 0;
	cy_free(&u->cur);
	cy_reset_child(op);
}

static void unwind_close(cy_op *op)
{
	cy_free(&((op_unwind *)op)->cur);
}

static void unwind_describe(cy_op *op, gr_buf *b)
{
	cy_describe_expr(op, ((op_unwind *)op)->list, b);
}

static const cy_opvt unwind_vt = { "Unwind", unwind_next, unwind_reset, unwind_close, unwind_describe };

cy_op *cy_op_unwind(cy_pool *p, cy_op *child, cx *list, int slot)
{
	op_unwind *u = cy_op_new(p, sizeof *u, &unwind_vt, child);
	if (!u)
		return NULL;
	u->list = list;
	u->slot = slot;
	return &u->o;
}

/* ---- OPTIONAL MATCH ---- */

typedef struct op_optional {
	cy_op o;
	int *slots;
	size_t n;
	int active, matched;
} op_optional;

static int optional_next(cy_ctx *c, cy_op *op)
{
	op_optional *x = (op_optional *)op;
	int rc;
	for (;;) {
		if (!x->active) {
			if ((rc = cy_next(c, op->child)) <= 0)
				return rc;
			x->active = 1;
			x->matched = 0;
			cy_reset(op->inner);
		}
		if ((rc = cy_next(c, op->inner)) < 0)
			return -1;
		if (rc > 0) {
			x->matched = 1;
			return 1;
		}
		x->active = 0;
		if (!x->matched) {
			for (size_t i = 0; i < x->n; i++)
				cy_put(&c->row[x->slots[i]], cy_nullv());
			return 1;
		}
	}
}

static void optional_reset(cy_op *op)
{
	((op_optional *)op)->active = 0;
	cy_reset_child(op);
}

static const cy_opvt optional_vt = { "Optional", optional_next, optional_reset, NULL, describe_none };

cy_op *cy_op_optional(cy_pool *p, cy_op *child, cy_op *inner, const int *slots, size_t n)
{
	op_optional *x = cy_op_new(p, sizeof *x, &optional_vt, child);
	if (!x)
		return NULL;
	x->o.inner = inner;
	if (!(x->slots = cy_copy_ints(p, slots, n)))
		return NULL;
	x->n = n;
	return &x->o;
}

/* ---- DISTINCT, SKIP, LIMIT ---- */

typedef struct op_distinct {
	cy_op o;
	int *slots;
	size_t n;
	cy_tset seen;
	gr_value *tuple;
} op_distinct;

static int distinct_next(cy_ctx *c, cy_op *op)
{
	op_distinct *d = (op_distinct *)op;
	int rc, added;
	size_t idx;
	while ((rc = cy_next(c, op->child)) > 0) {
		for (size_t i = 0; i < d->n; i++)
			d->tuple[i] = c->row[d->slots[i]];
		if (cy_tset_add(&d->seen, d->tuple, &added, &idx) < 0)
			return cy_nomem(c);
		if (added)
			return 1;
	}
	return rc;
}

static void distinct_reset(cy_op *op)
{
	op_distinct *d = (op_distinct *)op;
	cy_tset_free(&d->seen);
	d->seen.width = d->n;
	cy_reset_child(op);
}

static void distinct_close(cy_op *op)
{
	cy_tset_free(&((op_distinct *)op)->seen);
}

static const cy_opvt distinct_vt = { "Distinct", distinct_next, distinct_reset, distinct_close, describe_none };

cy_op *cy_op_distinct(cy_pool *p, cy_op *child, const int *slots, size_t n)
{
	op_distinct *d = cy_op_new(p, sizeof *d, &distinct_vt, child);
	if (!d)
		return NULL;
	if (!(d->slots = cy_copy_ints(p, slots, n)) || !(d->tuple = cy_alloc(p, (n + 1) * sizeof(gr_value))))
		return NULL;
	d->n = n;
	d->seen.width = n;
	return &d->o;
}

typedef struct op_count {
	cy_op o;
	cx *count;
	int64_t n, seen;
	int ready;
} op_count;

static int count_value(cy_ctx *c, op_count *x, const char *what)
{
	gr_value v;
	if (x->ready)
		return 0;
	if (cx_eval(c, x->count, &v) < 0)
		return -1;
	if (v.type == GR_FLOAT && v.u.f == (double)(int64_t)v.u.f)
		v = gr_int((int64_t)v.u.f);
	if (v.type != GR_INT) {
		cy_free(&v);
		return cy_fail(c, x->count->src, "%s expects a non-negative integer", what);
	}
	if (v.u.i < 0)
		return cy_fail(c, x->count->src, "%s cannot be negative, it was %lld", what, (long long)v.u.i);
	x->n = v.u.i;
	x->ready = 1;
	return 0;
}

static int skip_next(cy_ctx *c, cy_op *op)
{
	op_count *x = (op_count *)op;
	int rc;
	if (count_value(c, x, "SKIP") < 0)
		return -1;
	while (x->seen < x->n) {
		if ((rc = cy_next(c, op->child)) <= 0)
			return rc;
		x->seen++;
	}
	return cy_next(c, op->child);
}

static int limit_next(cy_ctx *c, cy_op *op)
{
	op_count *x = (op_count *)op;
	int rc;
	if (count_value(c, x, "LIMIT") < 0)
		return -1;
	if (x->n == 0 && !x->seen && cy_op_writes(op->child)) {
		/* LIMIT 0 limits the rows, not the side effects: one pull runs
		 * the (eager) writes below, and the row is dropped */
		x->seen = 1;
		if ((rc = cy_next(c, op->child)) < 0)
			return -1;
	}
	if (x->seen >= x->n)
		return 0;
	if ((rc = cy_next(c, op->child)) > 0)
		x->seen++;
	return rc;
}

static void count_reset(cy_op *op)
{
	((op_count *)op)->seen = 0;
	cy_reset_child(op);
}

static void count_describe(cy_op *op, gr_buf *b)
{
	cy_describe_expr(op, ((op_count *)op)->count, b);
}

static const cy_opvt skip_vt = { "Skip", skip_next, count_reset, NULL, count_describe };
static const cy_opvt limit_vt = { "Limit", limit_next, count_reset, NULL, count_describe };

cy_op *cy_op_skip(cy_pool *p, cy_op *child, cx *count)
{
	op_count *x = cy_op_new(p, sizeof *x, &skip_vt, child);
	if (x)
		x->count = count;
	return x ? &x->o : NULL;
}

cy_op *cy_op_limit(cy_pool *p, cy_op *child, cx *count)
{
	op_count *x = cy_op_new(p, sizeof *x, &limit_vt, child);
	if (x)
		x->count = count;
	return x ? &x->o : NULL;
}
