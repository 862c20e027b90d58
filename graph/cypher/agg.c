/*
 * agg.c: the operators that must see all their input: ORDER BY and
 * aggregation (count, collect, min, max, sum, avg, stDev, stDevP,
 * percentileCont, percentileDisc, each optionally DISTINCT), and the tuple
 * set that DISTINCT and grouping share.
 *
 * Grouping hashes the key values (cy_hash) and compares them with
 * cy_equiv, where nulls are alike.  A DISTINCT aggregate keeps a set of
 * the values it has seen; node values go to a set of ids, which becomes a
 * bitmap over the node ids when it grows large in a single group.
 */
#define _GNU_SOURCE     /* qsort_r */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

const char *cy_type_name(const gr_value *v);

/* ---- tuple sets ---- */

static uint64_t tuple_hash(const gr_value *t, size_t w)
{
	uint64_t h = 0x51ed270b27a4f1c3ULL;
	for (size_t i = 0; i < w; i++)
		h = (h ^ cy_hash(&t[i])) * 0x100000001b3ULL + (h >> 29);
	return h;
}

static int tuple_equiv(const gr_value *a, const gr_value *b, size_t w)
{
	for (size_t i = 0; i < w; i++)
		if (!cy_equiv(&a[i], &b[i]))
			return 0;
	return 1;
}

static int tset_rehash(cy_tset *s)
{
	size_t ns = s->tsize ? s->tsize * 2 : 64;
	uint32_t *nt = calloc(ns, sizeof *nt);
	if (!nt)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		size_t h = s->hashes[i] & (ns - 1);
		while (nt[h])
			h = (h + 1) & (ns - 1);
		nt[h] = (uint32_t)i + 1;
	}
	free(s->table);
	s->table = nt;
	s->tsize = ns;
	return 0;
}

int cy_tset_add(cy_tset *s, const gr_value *tuple, int *added, size_t *index)
{
	uint64_t h = tuple_hash(tuple, s->width);
	size_t pos;
	*added = 0;
	if ((s->n + 1) * 2 > s->tsize && tset_rehash(s) < 0)
		return -1;
	pos = h & (s->tsize - 1);
	while (s->table[pos]) {
		size_t i = s->table[pos] - 1;
		if (s->hashes[i] == h && tuple_equiv(s->vals + i * s->width, tuple, s->width)) {
			*index = i;
			return 0;
		}
		pos = (pos + 1) & (s->tsize - 1);
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;
		gr_value *nv = realloc(s->vals, nc * (s->width ? s->width : 1) * sizeof *nv);
		uint64_t *nh = realloc(s->hashes, nc * sizeof *nh);
		if (nv)
			s->vals = nv;
		if (nh)
			s->hashes = nh;
		if (!nv || !nh)
			return -1;
		s->cap = nc;
	}
	gr_value *dst = s->vals + s->n * s->width;
	for (size_t i = 0; i < s->width; i++)
		if (gr_value_copy(&dst[i], &tuple[i]) < 0) {
			for (size_t k = 0; k < i; k++)
				cy_free(&dst[k]);
			return -1;
		}
	s->hashes[s->n] = h;
	s->table[pos] = (uint32_t)s->n + 1;
	*index = s->n++;
	*added = 1;
	return 0;
}

void cy_tset_free(cy_tset *s)
{
	if (s->vals)
		for (size_t i = 0; i < s->n * s->width; i++)
			cy_free(&s->vals[i]);
	free(s->vals);
	free(s->hashes);
	free(s->table);
	size_t w = s->width;
	memset(s, 0, sizeof *s);
	s->width = w;
}

/* ---- ORDER BY ---- */

typedef struct op_sort {
	cy_op o;
	cx **keys;
	int *desc;
	size_t nkeys;
	cy_rows rows;           /* each row: the row's values, then the keys */
	size_t *seq;            /* each row's place in the input: ties keep it */
	size_t *order;
	int filled;
	size_t pos, width;
	/* ORDER BY ... [SKIP s] LIMIT l with constant s and l: only the first
	 * s + l rows are kept (top_k), so that a large input is not copied */
	cx *top_skip, *top_limit;
	size_t top_k;
	int bounded, has_worst;
} op_sort;

static int keys_cmp(const op_sort *s, const gr_value *ka, const gr_value *kb)
{
	for (size_t i = 0; i < s->nkeys; i++) {
		int c = gr_value_order(&ka[i], &kb[i]);
		if (c)
			return s->desc[i] ? -c : c;
	}
	return 0;
}

static int sort_cmp(const void *pa, const void *pb, void *arg)
{
	op_sort *s = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = keys_cmp(s, s->rows.v + a * s->rows.width + s->width,
	    s->rows.v + b * s->rows.width + s->width);
	if (c)
		return c;
	return s->seq[a] < s->seq[b] ? -1 : s->seq[a] > s->seq[b];
}

/* A constant SKIP or LIMIT's value; -1 when it is not a constant
 * non-negative integer (the Skip or Limit operator reports it then). */
static int64_t const_count(cy_ctx *c, cx *e)
{
	gr_value v;
	if (!e)
		return 0;
	if (e->k != CX_CONST || cx_eval(c, e, &v) < 0)
		return -1;
	if (v.type == GR_FLOAT && v.u.f >= 0 && v.u.f < 9e18 && v.u.f == (double)(int64_t)v.u.f)
		return (int64_t)v.u.f;
	if (v.type != GR_INT) {
		cy_free(&v);
		return -1;
	}
	return v.u.i;
}

static void sort_bound(cy_ctx *c, op_sort *s)
{
	int64_t skip = const_count(c, s->top_skip), limit = const_count(c, s->top_limit);
	s->bounded = s->top_limit && skip >= 0 && limit > 0 && limit < (1 << 24) && skip < (1 << 24);
	s->top_k = s->bounded ? (size_t)(skip + limit) : 0;
	s->has_worst = 0;
}

static int sort_order(cy_ctx *c, op_sort *s)
{
	free(s->order);
	if (!(s->order = malloc((s->rows.n ? s->rows.n : 1) * sizeof *s->order)))
		return cy_nomem(c);
	for (size_t i = 0; i < s->rows.n; i++)
		s->order[i] = i;
	qsort_r(s->order, s->rows.n, sizeof *s->order, sort_cmp, s);
	return 0;
}

/* Keeps the first top_k rows of those held, freeing the rest; the last
 * kept is the worst, which a later row must beat to be kept. */
static int sort_prune(cy_ctx *c, op_sort *s)
{
	size_t w = s->rows.width, k = s->top_k;
	gr_value *nv;
	size_t *ns;
	if (sort_order(c, s) < 0)
		return -1;
	if (!(nv = malloc(s->rows.cap * w * sizeof *nv)) || !(ns = malloc(s->rows.cap * sizeof *ns))) {
		free(nv);
		return cy_nomem(c);
	}
	for (size_t j = 0; j < s->rows.n; j++) {
		size_t i = s->order[j];
		if (j < k) {
			memcpy(nv + j * w, s->rows.v + i * w, w * sizeof *nv);
			ns[j] = s->seq[i];
		} else {
			for (size_t x = 0; x < w; x++)
				cy_free(&s->rows.v[i * w + x]);
		}
	}
	free(s->rows.v);
	free(s->seq);
	s->rows.v = nv;
	s->seq = ns;
	s->rows.n = k;
	s->has_worst = 1;
	return 0;
}

static int sort_keep(cy_ctx *c, op_sort *s, const gr_value *row, size_t seq)
{
	size_t cap = s->rows.cap;
	if (s->has_worst &&
	    keys_cmp(s, row + s->width, s->rows.v + (s->top_k - 1) * s->rows.width + s->width) >= 0)
		return 0;   /* no better than the worst kept, and later */
	if (cy_rows_push(&s->rows, row) < 0)
		return cy_nomem(c);
	if (s->rows.cap != cap || !s->seq) {
		size_t *ns = realloc(s->seq, s->rows.cap * sizeof *ns);
		if (!ns)
			return cy_nomem(c);
		s->seq = ns;
	}
	s->seq[s->rows.n - 1] = seq;
	/* pruned often for a small LIMIT: the rows held are fresh memory */
	if (s->bounded && s->rows.n >= 2 * s->top_k && s->rows.n >= s->top_k + 32)
		return sort_prune(c, s);
	return 0;
}

static int sort_next(cy_ctx *c, cy_op *op)
{
	op_sort *s = (op_sort *)op;
	int rc;
	if (!s->filled) {
		gr_value *tmp = calloc(s->rows.width, sizeof *tmp);
		size_t seq = 0;
		if (!tmp)
			return cy_nomem(c);
		sort_bound(c, s);
		while ((rc = cy_next(c, op->child)) > 0) {
			memcpy(tmp, c->row, s->width * sizeof *tmp);
			for (size_t i = 0; i < s->nkeys; i++)
				if (cx_eval(c, s->keys[i], &tmp[s->width + i]) < 0) {
					for (size_t k = 0; k < i; k++)
						cy_free(&tmp[s->width + k]);
					free(tmp);
					return -1;
				}
			rc = sort_keep(c, s, tmp, seq++);
			for (size_t i = 0; i < s->nkeys; i++)
				cy_free(&tmp[s->width + i]);
			if (rc < 0) {
				free(tmp);
				return -1;
			}
		}
		free(tmp);
		if (rc < 0 || sort_order(c, s) < 0)
			return -1;
		s->filled = 1;
		s->pos = 0;
	}
	if (s->pos >= s->rows.n)
		return 0;
	gr_value *src = s->rows.v + s->order[s->pos++] * s->rows.width;
	for (size_t k = 0; k < s->width; k++) {
		cy_put(&c->row[k], src[k]);
		src[k] = cy_nullv();
	}
	return 1;
}

static void sort_reset(cy_op *op)
{
	op_sort *s = (op_sort *)op;
	size_t w = s->rows.width;
	cy_rows_free(&s->rows);
	s->rows.width = w;
	free(s->order);
	s->order = NULL;
	free(s->seq);
	s->seq = NULL;
	s->filled = 0;
	cy_reset(op->child);
}

static void sort_close(cy_op *op)
{
	op_sort *s = (op_sort *)op;
	cy_rows_free(&s->rows);
	free(s->order);
	s->order = NULL;
	free(s->seq);
	s->seq = NULL;
}

void cy_describe_expr(cy_op *op, const cx *e, gr_buf *b);

static void sort_describe(cy_op *op, gr_buf *b)
{
	op_sort *s = (op_sort *)op;
	for (size_t i = 0; i < s->nkeys; i++) {
		if (i)
			gr_buf_put(b, ", ", 2);
		cy_describe_expr(op, s->keys[i], b);
		if (s->desc[i])
			gr_buf_put(b, " DESC", 5);
	}
}

static const cy_opvt sort_vt = { "Sort", sort_next, sort_reset, sort_close, sort_describe };

cy_op *cy_op_sort(cy_pool *p, cy_op *child, cx **keys, const int *desc, size_t nkeys, int width)
{
	op_sort *s = cy_op_new(p, sizeof *s, &sort_vt, child);
	if (!s)
		return NULL;
	s->keys = keys;
	if (!(s->desc = cy_alloc(p, (nkeys + 1) * sizeof *s->desc)))
		return NULL;
	memcpy(s->desc, desc, nkeys * sizeof *desc);
	s->nkeys = nkeys;
	s->width = (size_t)width;
	s->rows.width = (size_t)width + nkeys;
	return &s->o;
}

void cy_sort_bound(cy_op *op, cx *skip, cx *limit)
{
	op_sort *s = (op_sort *)op;
	s->top_skip = skip;
	s->top_limit = limit;
}

/* ---- aggregation ---- */

/* A set of node ids, then a bitmap once large. */
typedef struct idset {
	uint32_t *keys;
	size_t size, n;
	uint64_t *bits;
	size_t nbits;
} idset;

static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

/* 1 when id is new, 0 when seen, -1 on ENOMEM. */
static int idset_add(idset *s, uint32_t id, int may_bitmap)
{
	if (s->bits) {
		if ((size_t)id >= s->nbits) {
			size_t nb = ((size_t)id + 1 + 4095) & ~(size_t)4095;
			uint64_t *n = realloc(s->bits, nb / 8);
			if (!n)
				return -1;
			memset((char *)n + s->nbits / 8, 0, (nb - s->nbits) / 8);
			s->bits = n;
			s->nbits = nb;
		}
		uint64_t m = 1ULL << (id & 63);
		if (s->bits[id >> 6] & m)
			return 0;
		s->bits[id >> 6] |= m;
		s->n++;
		return 1;
	}
	if ((s->n + 1) * 2 > s->size) {
		if (may_bitmap && s->n >= 4096) {
			size_t maxid = 0;
			for (size_t i = 0; i < s->size; i++)
				if (s->keys[i] > maxid)
					maxid = s->keys[i];
			if (id > maxid)
				maxid = id;
			s->nbits = (maxid + 1 + 4095) & ~(size_t)4095;
			if (!(s->bits = calloc(s->nbits / 8, 1)))
				return -1;
			for (size_t i = 0; i < s->size; i++)
				if (s->keys[i])
					s->bits[s->keys[i] >> 6] |= 1ULL << (s->keys[i] & 63);
			free(s->keys);
			s->keys = NULL;
			s->size = 0;
			return idset_add(s, id, 1);
		}
		size_t ns = s->size ? s->size * 2 : 16;
		uint32_t *nk = calloc(ns, sizeof *nk);
		if (!nk)
			return -1;
		for (size_t i = 0; i < s->size; i++) {
			if (!s->keys[i])
				continue;
			size_t h = mix32(s->keys[i]) & (ns - 1);
			while (nk[h])
				h = (h + 1) & (ns - 1);
			nk[h] = s->keys[i];
		}
		free(s->keys);
		s->keys = nk;
		s->size = ns;
	}
	size_t h = mix32(id) & (s->size - 1);
	while (s->keys[h]) {
		if (s->keys[h] == id)
			return 0;
		h = (h + 1) & (s->size - 1);
	}
	s->keys[h] = id;
	s->n++;
	return 1;
}

static void idset_free(idset *s)
{
	free(s->keys);
	free(s->bits);
	memset(s, 0, sizeof *s);
}

/* What an aggregate other than a plain count keeps. */
typedef struct aggx {
	int64_t isum;
	double fsum, fsumsq;
	int is_float, overflow, has_dur;
	gr_duration dsum;
	gr_value acc;           /* min, max; collect: the list; percentiles: the values */
	idset nodes;            /* DISTINCT over nodes */
	cy_tset *seen;          /* DISTINCT over other values */
} aggx;

/* An aggregate's state in one group.  Counts, the commonest, need 16
 * bytes, not the 170 of the rest: a query counting per port has a state
 * for each of thousands of ports, and in a new process every fresh page
 * of them costs a page fault. */
typedef struct aggstate {
	int64_t count;
	uint32_t last1;         /* count(DISTINCT n) over rows in n's order: the last n's id + 1 */
	aggx *x;                /* the rest, made when first needed */
} aggstate;

typedef struct op_agg {
	cy_op o;
	cx **keys;
	int *kslots;
	size_t nkeys;
	cx **aggs;
	size_t naggs;
	cx **items;
	int *islots;
	size_t nitems;
	size_t width;
	cy_tset groups;         /* key tuples */
	/* When every key reads a slot (n, n.name): rows are first grouped by
	 * those slots' values, and the keys evaluated once per such group. */
	int *pslots;
	size_t npslots;
	cy_tset pre;
	size_t *pre_group;      /* pre-group -> group */
	size_t pre_cap;
	gr_value *ptuple;
	/* ... and when that is one slot holding a node: node id -> group in a
	 * table of plain ids, with no value hashed, copied or compared */
	uint32_t *nids;
	size_t *ngroup;
	size_t nsize, nn;
	aggstate *st;           /* groups.n * naggs */
	size_t stcap;
	/* When the rows come from a Batch (batch.c) that held its whole input,
	 * they reach here in the order of its node: count(DISTINCT) of that
	 * node then counts the changes per group, with no set of ids. */
	cy_op *sorted_src;
	int sorted_slot;
	int stream, stream_known;
	gr_value *tuple;
	int filled;
	size_t pos;
} op_agg;

static void aggstate_free(aggstate *a)
{
	aggx *x = a->x;
	if (x) {
		cy_free(&x->acc);
		idset_free(&x->nodes);
		if (x->seen) {
			cy_tset_free(x->seen);
			free(x->seen);
		}
		free(x);
	}
	memset(a, 0, sizeof *a);
}

/* Feeds one value to an aggregate. */
static int agg_feed(cy_ctx *c, cx *e, aggstate *a, gr_value *v, const gr_value *arg2, int single)
{
	int fn = e->op, rc;
	aggx *x;
	if (fn == CY_F_COUNT && e->src->u.call.star) {
		a->count++;
		return 0;
	}
	if (v->type == GR_NULL)
		return 0;
	if (fn == CY_F_COUNT && !e->src->u.call.distinct) {
		a->count++;
		return 0;
	}
	if (!(x = a->x) && !(x = a->x = calloc(1, sizeof *x)))
		return cy_nomem(c);
	if (e->src->u.call.distinct) {
		int added;
		size_t idx;
		if (v->type == GR_NODE) {
			if ((added = idset_add(&x->nodes, v->u.node.id, single)) < 0)
				return cy_nomem(c);
		} else {
			if (!x->seen && !(x->seen = calloc(1, sizeof *x->seen)))
				return cy_nomem(c);
			x->seen->width = 1;
			if (cy_tset_add(x->seen, v, &added, &idx) < 0)
				return cy_nomem(c);
		}
		if (!added)
			return 0;
	}
	switch (fn) {
	case CY_F_COUNT:
		a->count++;
		return 0;
	case CY_F_COLLECT:
		if (x->acc.type != GR_LIST)
			x->acc = gr_list(4);
		/* the list owns the value from here, even when the push fails
		 * (gr_list_push frees it then): the caller must not free it */
		rc = gr_list_push(&x->acc, *v);
		*v = cy_nullv();
		return rc < 0 ? cy_nomem(c) : 0;
	case CY_F_MIN:
	case CY_F_MAX: {
		int cmp;
		if (x->acc.type == GR_NULL) {
			x->acc = *v;
			*v = cy_nullv();
			return 0;
		}
		cmp = gr_value_order(v, &x->acc);
		if ((fn == CY_F_MIN && cmp < 0) || (fn == CY_F_MAX && cmp > 0)) {
			cy_free(&x->acc);
			x->acc = *v;
			*v = cy_nullv();
		}
		return 0;
	}
	case CY_F_SUM:
	case CY_F_AVG:
	case CY_F_STDEV:
	case CY_F_STDEVP:
		if (v->type == GR_DURATION && (fn == CY_F_SUM || fn == CY_F_AVG)) {
			x->has_dur = 1;
			x->dsum.du_months += v->u.du.du_months;
			x->dsum.du_days += v->u.du.du_days;
			x->dsum.du_secs += v->u.du.du_secs;
			x->dsum.du_nanos += v->u.du.du_nanos;
			if (x->dsum.du_nanos >= 1000000000) {
				x->dsum.du_nanos -= 1000000000;
				x->dsum.du_secs++;
			}
			a->count++;
			return 0;
		}
		if (v->type != GR_INT && v->type != GR_FLOAT)
			return cy_fail(c, e->src, "type mismatch: %s() expects numbers but got %s",
			    e->fn->fn_name, cy_type_name(v));
		a->count++;
		if (v->type == GR_FLOAT) {
			x->is_float = 1;
			x->fsum += v->u.f;
			x->fsumsq += v->u.f * v->u.f;
		} else {
			int64_t r = 0;
			if (!x->overflow && __builtin_add_overflow(x->isum, v->u.i, &r))
				x->overflow = 1;
			else
				x->isum = r;
			x->fsum += (double)v->u.i;
			x->fsumsq += (double)v->u.i * (double)v->u.i;
		}
		if (fn == CY_F_SUM && x->overflow && !x->is_float)
			return cy_fail(c, e->src, "integer overflow in sum()");
		return 0;
	case CY_F_PERCENTILECONT:
	case CY_F_PERCENTILEDISC:
		if (v->type != GR_INT && v->type != GR_FLOAT)
			return cy_fail(c, e->src, "type mismatch: %s() expects numbers but got %s",
			    e->fn->fn_name, cy_type_name(v));
		if (!arg2 || (arg2->type != GR_INT && arg2->type != GR_FLOAT) ||
		    (arg2->type == GR_INT ? (double)arg2->u.i : arg2->u.f) < 0 ||
		    (arg2->type == GR_INT ? (double)arg2->u.i : arg2->u.f) > 1)
			return cy_fail(c, e->src, "%s(): the percentile must be a number between 0.0 and 1.0",
			    e->fn->fn_name);
		if (x->acc.type != GR_LIST)
			x->acc = gr_list(8);
		rc = gr_list_push(&x->acc, *v);   /* consumes *v, as for collect */
		*v = cy_nullv();
		if (rc < 0)
			return cy_nomem(c);
		x->fsumsq = arg2->type == GR_INT ? (double)arg2->u.i : arg2->u.f;
		return 0;
	default:
		return cy_fail(c, e->src, "unknown aggregate");
	}
}

static int cmp_values(const void *a, const void *b)
{
	return gr_value_order(a, b);
}

static int agg_result(cy_ctx *c, cx *e, aggstate *a, gr_value *out)
{
	aggx none, *x = a->x;
	if (!x) {
		/* nothing was fed but nulls, or only counted */
		memset(&none, 0, sizeof none);
		x = &none;
	}
	*out = cy_nullv();
	switch (e->op) {
	case CY_F_COUNT:
		*out = gr_int(a->count);
		return 0;
	case CY_F_COLLECT:
		if (x->acc.type == GR_LIST) {
			*out = x->acc;
			x->acc = cy_nullv();
		} else {
			*out = gr_list(0);
		}
		return 0;
	case CY_F_MIN:
	case CY_F_MAX:
		*out = x->acc;
		x->acc = cy_nullv();
		return 0;
	case CY_F_SUM:
		if (x->has_dur) {
			out->type = GR_DURATION;
			out->u.du = x->dsum;
		} else if (x->is_float) {
			*out = gr_float(x->fsum);
		} else {
			*out = gr_int(x->isum);
		}
		return 0;
	case CY_F_AVG:
		if (!a->count)
			return 0;
		if (x->has_dur) {
			gr_value d = { .type = GR_DURATION, .u.du = x->dsum }, n = gr_int(a->count);
			return cy_arith(c, e->src, CY_OP_DIV, &d, &n, out);
		}
		*out = gr_float(x->is_float || x->overflow ? x->fsum / (double)a->count
		    : (double)x->isum / (double)a->count);
		return 0;
	case CY_F_STDEV:
	case CY_F_STDEVP: {
		double n = (double)a->count, mean, var;
		if (a->count == 0 || (e->op == CY_F_STDEV && a->count < 2)) {
			*out = gr_float(0);
			return 0;
		}
		mean = x->fsum / n;
		var = (x->fsumsq - n * mean * mean) / (e->op == CY_F_STDEV ? n - 1 : n);
		*out = gr_float(var > 0 ? sqrt(var) : 0);
		return 0;
	}
	case CY_F_PERCENTILECONT:
	case CY_F_PERCENTILEDISC: {
		size_t n;
		double p = x->fsumsq;
		if (x->acc.type != GR_LIST || !(n = x->acc.u.list.n))
			return 0;
		qsort(x->acc.u.list.items, n, sizeof(gr_value), cmp_values);
		gr_value *v = x->acc.u.list.items;
		if (e->op == CY_F_PERCENTILEDISC) {
			size_t k = p <= 0 ? 0 : (size_t)ceil(p * (double)n) - 1;
			if (k >= n)
				k = n - 1;
			*out = v[k];
			v[k] = cy_nullv();
			return 0;
		}
		double pos = p * (double)(n - 1);
		size_t lo = (size_t)floor(pos), hi = (size_t)ceil(pos);
		double vl = v[lo].type == GR_INT ? (double)v[lo].u.i : v[lo].u.f;
		double vh = v[hi].type == GR_INT ? (double)v[hi].u.i : v[hi].u.f;
		*out = gr_float(vl + (vh - vl) * (pos - (double)lo));
		return 0;
	}
	default:
		return cy_fail(c, e->src, "unknown aggregate");
	}
}

/* The entry of node id in the pre-grouping table (*added when new, its
 * group then to be set); NULL on ENOMEM. */
static size_t *node_pre(op_agg *g, uint32_t id, int *added)
{
	size_t h;
	if ((g->nn + 1) * 2 > g->nsize) {
		size_t ns = g->nsize ? g->nsize * 2 : 256;
		uint32_t *ni = calloc(ns, sizeof *ni);
		size_t *ng = malloc(ns * sizeof *ng);
		if (!ni || !ng) {
			free(ni);
			free(ng);
			return NULL;
		}
		for (size_t i = 0; i < g->nsize; i++) {
			if (!g->nids[i])
				continue;
			for (h = mix32(g->nids[i]) & (ns - 1); ni[h]; h = (h + 1) & (ns - 1))
				;
			ni[h] = g->nids[i];
			ng[h] = g->ngroup[i];
		}
		free(g->nids);
		free(g->ngroup);
		g->nids = ni;
		g->ngroup = ng;
		g->nsize = ns;
	}
	for (h = mix32(id) & (g->nsize - 1); g->nids[h]; h = (h + 1) & (g->nsize - 1))
		if (g->nids[h] == id) {
			*added = 0;
			return &g->ngroup[h];
		}
	g->nids[h] = id;
	g->nn++;
	*added = 1;
	return &g->ngroup[h];
}

static int agg_fill(cy_ctx *c, op_agg *g)
{
	int rc;
	while ((rc = cy_next(c, g->o.child)) > 0) {
		int added;
		size_t gi, pi = 0, *npre = NULL;
		if (!g->stream_known) {
			/* the Batch has read its first batch to hand on this row */
			g->stream = g->sorted_src && cy_batch_whole(g->sorted_src);
			g->stream_known = 1;
		}
		if (g->nkeys == 0 && g->groups.n == 1) {
			/* one group: no keys to look up */
			gi = 0;
			goto feed;
		}
		if (g->npslots == 1 && c->row[g->pslots[0]].type == GR_NODE &&
		    c->row[g->pslots[0]].u.node.id) {
			if (!(npre = node_pre(g, c->row[g->pslots[0]].u.node.id, &added)))
				return cy_nomem(c);
			if (!added) {
				gi = *npre;
				goto feed;
			}
		} else if (g->npslots) {
			for (size_t i = 0; i < g->npslots; i++)
				g->ptuple[i] = c->row[g->pslots[i]];
			if (cy_tset_add(&g->pre, g->ptuple, &added, &pi) < 0)
				return cy_nomem(c);
			if (!added) {
				gi = g->pre_group[pi];
				goto feed;
			}
			if (g->pre.n > g->pre_cap) {
				size_t nc = g->pre_cap ? g->pre_cap * 2 : 64;
				size_t *np = realloc(g->pre_group, nc * sizeof *np);
				if (!np)
					return cy_nomem(c);
				g->pre_group = np;
				g->pre_cap = nc;
			}
		}
		for (size_t i = 0; i < g->nkeys; i++)
			if (cx_eval(c, g->keys[i], &g->tuple[i]) < 0) {
				for (size_t k = 0; k < i; k++)
					cy_free(&g->tuple[k]);
				return -1;
			}
		rc = cy_tset_add(&g->groups, g->tuple, &added, &gi);
		for (size_t i = 0; i < g->nkeys; i++)
			cy_free(&g->tuple[i]);
		if (rc < 0)
			return cy_nomem(c);
		if (npre)
			*npre = gi;
		else if (g->npslots)
			g->pre_group[pi] = gi;
		if (added && g->groups.n * g->naggs > g->stcap) {
			size_t nc = g->stcap ? g->stcap * 2 : 16 * (g->naggs ? g->naggs : 1);
			while (nc < g->groups.n * g->naggs)
				nc *= 2;
			aggstate *ns = realloc(g->st, nc * sizeof *ns);
			if (!ns)
				return cy_nomem(c);
			g->st = ns;
			g->stcap = nc;
		}
		/* only the new group's states: the rest of the table stays
		 * untouched memory until a group needs it */
		if (added)
			memset(&g->st[gi * g->naggs], 0, g->naggs * sizeof *g->st);
feed:
		for (size_t k = 0; k < g->naggs; k++) {
			cx *e = g->aggs[k];
			gr_value v = cy_nullv(), v2 = cy_nullv();
			if (g->stream && e->op == CY_F_COUNT && e->src->u.call.distinct && e->n == 1 &&
			    e->a[0]->k == CX_SLOT && e->a[0]->slot == g->sorted_slot &&
			    c->row[g->sorted_slot].type == GR_NODE) {
				aggstate *a = &g->st[gi * g->naggs + k];
				uint32_t id1 = c->row[g->sorted_slot].u.node.id + 1;
				if (a->last1 != id1) {
					a->last1 = id1;
					a->count++;
				}
				continue;
			}
			if (e->n > 0 && e->a[0]->k == CX_SLOT && !CY_HEAP(c->row[e->a[0]->slot].type))
				v = c->row[e->a[0]->slot];
			else if (e->n > 0 && cx_eval(c, e->a[0], &v) < 0)
				return -1;
			if (e->n > 1 && cx_eval(c, e->a[1], &v2) < 0) {
				cy_free(&v);
				return -1;
			}
			rc = agg_feed(c, e, &g->st[gi * g->naggs + k], &v, e->n > 1 ? &v2 : NULL, g->nkeys == 0);
			cy_free(&v);
			cy_free(&v2);
			if (rc < 0)
				return -1;
		}
	}
	if (rc < 0)
		return -1;
	/* no rows and no grouping keys: one group of empty aggregates */
	if (g->groups.n == 0 && g->nkeys == 0) {
		int added;
		size_t gi;
		if (cy_tset_add(&g->groups, g->tuple, &added, &gi) < 0)
			return cy_nomem(c);
		if (g->naggs && !(g->st = calloc(g->naggs, sizeof *g->st)))
			return cy_nomem(c);
		g->stcap = g->naggs;
	}
	g->filled = 1;
	g->pos = 0;
	return 0;
}

static int agg_next(cy_ctx *c, cy_op *op)
{
	op_agg *g = (op_agg *)op;
	if (!g->filled && agg_fill(c, g) < 0)
		return -1;
	if (g->pos >= g->groups.n)
		return 0;
	size_t gi = g->pos++;
	gr_value *key = g->groups.vals + gi * g->groups.width;
	for (size_t i = 0; i < g->nkeys; i++) {
		cy_put(&c->row[g->kslots[i]], key[i]);
		key[i] = cy_nullv();
	}
	for (size_t k = 0; k < g->naggs; k++) {
		gr_value r;
		if (agg_result(c, g->aggs[k], &g->st[gi * g->naggs + k], &r) < 0)
			return -1;
		cy_put(&c->row[g->aggs[k]->slot], r);
		aggstate_free(&g->st[gi * g->naggs + k]);
	}
	for (size_t i = 0; i < g->nitems; i++) {
		gr_value v;
		if (cx_eval(c, g->items[i], &v) < 0)
			return -1;
		cy_put(&c->row[g->islots[i]], v);
	}
	return 1;
}

static void agg_clear(op_agg *g)
{
	if (g->st)
		for (size_t i = 0; i < g->groups.n * g->naggs && i < g->stcap; i++)
			aggstate_free(&g->st[i]);
	free(g->st);
	g->st = NULL;
	g->stcap = 0;
	cy_tset_free(&g->groups);
	cy_tset_free(&g->pre);
	free(g->pre_group);
	g->pre_group = NULL;
	g->pre_cap = 0;
	free(g->nids);
	free(g->ngroup);
	g->nids = NULL;
	g->ngroup = NULL;
	g->nsize = g->nn = 0;
	g->filled = 0;
	g->stream = g->stream_known = 0;
}

static void agg_reset(cy_op *op)
{
	agg_clear((op_agg *)op);
	cy_reset(op->child);
}

static void agg_close(cy_op *op)
{
	agg_clear((op_agg *)op);
}

static void agg_describe(cy_op *op, gr_buf *b)
{
	op_agg *g = (op_agg *)op;
	for (size_t i = 0; i < g->nkeys; i++) {
		gr_buf_put(b, i ? ", " : "by ", i ? 2 : 3);
		cy_describe_expr(op, g->keys[i], b);
	}
	for (size_t i = 0; i < g->naggs; i++) {
		gr_buf_put(b, i || g->nkeys ? ", " : "", i || g->nkeys ? 2 : 0);
		cy_describe_expr(op, g->aggs[i], b);
	}
}

static const cy_opvt agg_vt = { "Aggregate", agg_next, agg_reset, agg_close, agg_describe };

cy_op *cy_op_aggregate(cy_pool *p, cy_op *child, cx **keys, const int *kslots, size_t nkeys,
    cx **aggs, size_t naggs, cx **items, const int *islots, size_t nitems, int width)
{
	op_agg *g = cy_op_new(p, sizeof *g, &agg_vt, child);
	if (!g)
		return NULL;
	g->keys = keys;
	g->nkeys = nkeys;
	g->aggs = aggs;
	g->naggs = naggs;
	g->items = items;
	g->nitems = nitems;
	g->width = (size_t)width;
	if (!(g->kslots = cy_alloc(p, (nkeys + 1) * sizeof(int))) ||
	    !(g->islots = cy_alloc(p, (nitems + 1) * sizeof(int))) ||
	    !(g->tuple = cy_alloc(p, (nkeys + 1) * sizeof(gr_value))))
		return NULL;
	memcpy(g->kslots, kslots, nkeys * sizeof(int));
	memcpy(g->islots, islots, nitems * sizeof(int));
	g->groups.width = nkeys;
	/* keys that only read slots: group by the slots first */
	size_t i;
	for (i = 0; i < nkeys; i++)
		if (keys[i]->k != CX_SLOT && keys[i]->k != CX_PROPSLOT)
			break;
	if (nkeys && i == nkeys) {
		if (!(g->pslots = cy_alloc(p, nkeys * sizeof(int))) ||
		    !(g->ptuple = cy_alloc(p, nkeys * sizeof(gr_value))))
			return NULL;
		for (i = 0; i < nkeys; i++) {
			size_t k;
			for (k = 0; k < g->npslots && g->pslots[k] != keys[i]->slot; k++)
				;
			if (k == g->npslots)
				g->pslots[g->npslots++] = keys[i]->slot;
		}
		g->pre.width = g->npslots;
	}
	return &g->o;
}

void cy_agg_sorted(cy_op *op, cy_op *batch, int slot)
{
	op_agg *g = (op_agg *)op;
	g->sorted_src = batch;
	g->sorted_slot = slot;
}
