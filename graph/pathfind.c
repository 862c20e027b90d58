/*
 * pathfind.c: breadth-first shortest paths over the store's adjacency
 * (see pathfind.h): bidirectional for one shortest path, from the start
 * with every parent kept for all shortest paths, and over (node, time)
 * states for time-ordered paths.
 */
#include <stdlib.h>
#include <string.h>

#include "pathfind.h"
#include "when.h"
#include "graph_int.h"

/* A visited node (or a (node, time) state) and how it was reached. */
typedef struct visit {
	uint32_t node;
	int32_t parent;         /* index of the visit it was reached from, -1 at the root */
	int32_t depth;
	int32_t clock;          /* time-ordered: the day reached (INT32_MIN: none yet) */
	gr_step step;           /* the edge from the parent */
	int32_t more;           /* all shortest: index into the extra parents, -1 */
} visit;

/* Extra parents of a visit (all shortest paths). */
typedef struct extra {
	int32_t parent;
	gr_step step;
	int32_t next;
} extra;

/* Node id -> visit index, open addressing. */
typedef struct nodemap {
	uint32_t *keys;
	int32_t *vals;
	size_t size, n;
} nodemap;

typedef struct side {
	visit *v;
	size_t n, cap;
	nodemap map;
	size_t lo, hi;          /* the frontier: v[lo..hi) */
	int depth;
	int dir;
} side;

typedef struct search {
	gr_txn *txn;
	const gr_pathspec *ps;
	st_adj_iter *it;
	gr_error *err;
	extra *ex;
	size_t nex, capex;
	uint16_t sym_date, sym_start, sym_end;
} search;

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static int map_grow(nodemap *m)
{
	size_t ns = m->size ? m->size * 2 : 1024;
	uint32_t *nk = calloc(ns, sizeof *nk);
	int32_t *nv = malloc(ns * sizeof *nv);
	if (!nk || !nv) {
		free(nk);
		free(nv);
		return -1;
	}
	for (size_t i = 0; i < m->size; i++) {
		if (!m->keys[i])
			continue;
		size_t h = hash32(m->keys[i]) & (ns - 1);
		while (nk[h])
			h = (h + 1) & (ns - 1);
		nk[h] = m->keys[i];
		nv[h] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = nk;
	m->vals = nv;
	m->size = ns;
	return 0;
}

static int32_t map_get(const nodemap *m, uint32_t node)
{
	if (!m->size)
		return -1;
	size_t h = hash32(node) & (m->size - 1);
	while (m->keys[h]) {
		if (m->keys[h] == node)
			return m->vals[h];
		h = (h + 1) & (m->size - 1);
	}
	return -1;
}

static int map_put(nodemap *m, uint32_t node, int32_t val)
{
	if ((m->n + 1) * 2 > m->size && map_grow(m) < 0)
		return -1;
	size_t h = hash32(node) & (m->size - 1);
	while (m->keys[h] && m->keys[h] != node)
		h = (h + 1) & (m->size - 1);
	if (!m->keys[h])
		m->n++;
	m->keys[h] = node;
	m->vals[h] = val;
	return 0;
}

static void map_free(nodemap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

static int side_add(side *s, const visit *v)
{
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 256;
		visit *nv = realloc(s->v, nc * sizeof *nv);
		if (!nv)
			return -1;
		s->v = nv;
		s->cap = nc;
	}
	s->v[s->n++] = *v;
	return 0;
}

static void side_free(side *s)
{
	free(s->v);
	map_free(&s->map);
}

static int type_ok(const gr_pathspec *ps, uint16_t t)
{
	if (!ps->ps_ntypes)
		return 1;
	for (size_t i = 0; i < ps->ps_ntypes; i++)
		if (ps->ps_types[i] == t)
			return 1;
	return 0;
}

/* The dates come from the one rule of when.c, as in timeline and report. */
int gr_edge_span(gr_txn *txn, uint32_t edge, int32_t *first, int32_t *last)
{
	gr_when w;
	if (!gr_edge_when(txn, edge, &w))
		return 0;
	*first = gr_when_first(&w);
	*last = gr_when_last(&w);
	return 1;
}

int gr_edge_day(gr_txn *txn, uint32_t edge, int32_t *day)
{
	int32_t last;
	return gr_edge_span(txn, edge, day, &last);
}

/* Calls step_fn for every usable edge of node in direction dir (GR_DIR_*). */
typedef int (*edge_fn)(search *q, void *arg, uint32_t nbr, const gr_step *st);

static int each_edge(search *q, uint32_t node, int dir, edge_fn fn, void *arg)
{
	const gr_pathspec *ps = q->ps;
	for (int pass = 0; pass < 2; pass++) {
		int stdir;
		if (dir == GR_DIR_OUT && pass == 1)
			break;
		if (dir == GR_DIR_IN && pass == 1)
			break;
		stdir = dir == GR_DIR_OUT ? ST_OUT : dir == GR_DIR_IN ? ST_IN : (pass ? ST_IN : ST_OUT);
		size_t nt = ps->ps_ntypes ? ps->ps_ntypes : 1;
		for (size_t t = 0; t < nt; t++) {
			st_adj a;
			int rc;
			if (st_adj_seek(q->it, stdir, node, ps->ps_ntypes ? ps->ps_types[t] : 0, 0) != ST_OK)
				return gr_fail(q->err, GR_EIO, "cannot read adjacency: %s", st_strerror());
			while ((rc = st_adj_read(q->it, &a)) == 1) {
				gr_step st;
				if (!type_ok(ps, a.a_type))
					continue;
				if (dir == GR_DIR_BOTH && stdir == ST_IN && a.a_nbr == node)
					continue;
				st.s_edge = a.a_edge;
				st.s_type = a.a_type;
				st.s_src = stdir == ST_OUT ? node : a.a_nbr;
				st.s_dst = stdir == ST_OUT ? a.a_nbr : node;
				if (ps->ps_edge_ok && !ps->ps_edge_ok(ps->ps_arg, &st))
					continue;
				if ((rc = fn(q, arg, a.a_nbr, &st)) != 0)
					return rc;
			}
			if (rc < 0)
				return gr_fail(q->err, GR_EIO, "cannot read adjacency: %s", st_strerror());
		}
	}
	return 0;
}

/* ---- one shortest path, from both ends ---- */

typedef struct bidi {
	side s[2];
	int cur;                /* the side being grown */
	int32_t from_ix;        /* the visit being expanded */
	int32_t meet[2];        /* visit indexes on each side where they met */
} bidi;

static int bidi_edge(search *q, void *arg, uint32_t nbr, const gr_step *st)
{
	bidi *b = arg;
	side *s = &b->s[b->cur], *o = &b->s[!b->cur];
	int32_t other;
	if (map_get(&s->map, nbr) >= 0)
		return 0;
	visit v = { nbr, b->from_ix, s->v[b->from_ix].depth + 1, 0, *st, -1 };
	if (side_add(s, &v) < 0 || map_put(&s->map, nbr, (int32_t)s->n - 1) < 0)
		return gr_fail(q->err, GR_ENOMEM, "out of memory");
	if ((other = map_get(&o->map, nbr)) >= 0) {
		b->meet[b->cur] = (int32_t)s->n - 1;
		b->meet[!b->cur] = other;
		return 1;
	}
	return 0;
}

static int report_bidi(search *q, bidi *b, gr_path_fn fn, void *arg)
{
	size_t len = (size_t)(b->s[0].v[b->meet[0]].depth + b->s[1].v[b->meet[1]].depth);
	uint32_t *nodes = malloc((len + 1) * sizeof *nodes);
	gr_step *steps = malloc((len ? len : 1) * sizeof *steps);
	int rc;
	if (!nodes || !steps) {
		free(nodes);
		free(steps);
		return gr_fail(q->err, GR_ENOMEM, "out of memory");
	}
	/* the start's side, walked back from the meeting node */
	size_t k = (size_t)b->s[0].v[b->meet[0]].depth;
	for (int32_t i = b->meet[0]; i >= 0; i = b->s[0].v[i].parent) {
		nodes[k] = b->s[0].v[i].node;
		if (k > 0)
			steps[k - 1] = b->s[0].v[i].step;
		if (k == 0)
			break;
		k--;
	}
	/* the end's side, walked forward to its root */
	k = (size_t)b->s[0].v[b->meet[0]].depth;
	for (int32_t i = b->meet[1]; b->s[1].v[i].parent >= 0; i = b->s[1].v[i].parent) {
		steps[k] = b->s[1].v[i].step;
		nodes[++k] = b->s[1].v[b->s[1].v[i].parent].node;
	}
	rc = fn(arg, nodes, steps, len);
	free(nodes);
	free(steps);
	if (rc)
		return gr_fail(q->err, GR_EINVALID, "path search stopped");
	return 1;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* The frontier v[lo..hi) as (node id << 32 | visit index), in node id
 * order: its nodes' relationships are then read in the adjacency table's
 * key order, neighbouring entries on pages already read, instead of one
 * page at random per node (a new process pays for every page it reads
 * first).  NULL when memory is short (the caller goes in visit order). */
static uint64_t *frontier_order(const side *s, size_t lo, size_t hi)
{
	uint64_t *o = malloc((hi - lo) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = lo; i < hi; i++)
		o[i - lo] = (uint64_t)s->v[i].node << 32 | (uint32_t)i;
	qsort(o, hi - lo, sizeof *o, cmp_u64);
	return o;
}

static int shortest_one(search *q, uint32_t from, uint32_t to, gr_path_fn fn, void *arg)
{
	const gr_pathspec *ps = q->ps;
	bidi b;
	int rc = 0;
	memset(&b, 0, sizeof b);
	b.s[0].dir = ps->ps_dir;
	b.s[1].dir = ps->ps_dir == GR_DIR_OUT ? GR_DIR_IN : ps->ps_dir == GR_DIR_IN ? GR_DIR_OUT : GR_DIR_BOTH;
	visit r0 = { from, -1, 0, 0, { 0, 0, 0, 0 }, -1 }, r1 = { to, -1, 0, 0, { 0, 0, 0, 0 }, -1 };
	if (side_add(&b.s[0], &r0) < 0 || side_add(&b.s[1], &r1) < 0 ||
	    map_put(&b.s[0].map, from, 0) < 0 || map_put(&b.s[1].map, to, 0) < 0) {
		rc = gr_fail(q->err, GR_ENOMEM, "out of memory");
		goto done;
	}
	b.s[0].hi = b.s[1].hi = 1;
	for (;;) {
		int hops = b.s[0].depth + b.s[1].depth;
		if (ps->ps_max_hops >= 0 && hops >= ps->ps_max_hops)
			break;
		if (b.s[0].lo == b.s[0].hi || b.s[1].lo == b.s[1].hi)
			break;
		b.cur = (b.s[0].hi - b.s[0].lo) <= (b.s[1].hi - b.s[1].lo) ? 0 : 1;
		side *s = &b.s[b.cur];
		size_t end = s->hi;
		uint64_t *order = end - s->lo > 1 ? frontier_order(s, s->lo, end) : NULL;
		for (size_t k = s->lo; k < end; k++) {
			size_t i = order ? (size_t)(uint32_t)order[k - s->lo] : k;
			b.from_ix = (int32_t)i;
			rc = each_edge(q, s->v[i].node, s->dir, bidi_edge, &b);
			if (rc != 0) {
				free(order);
				if (rc > 0)
					rc = report_bidi(q, &b, fn, arg);
				goto done;
			}
		}
		free(order);
		s->lo = end;
		s->hi = s->n;
		s->depth++;
	}
	rc = 0;
done:
	side_free(&b.s[0]);
	side_free(&b.s[1]);
	return rc;
}

/* ---- all shortest paths, and time-ordered paths, from the start ---- */

typedef struct fwd {
	side s;
	uint32_t to;
	int32_t from_ix;
	int found_depth;        /* depth where `to` was reached, or -1 */
	int time_ordered;
	int all;
} fwd;

static int add_extra(search *q, visit *v, int32_t parent, const gr_step *st)
{
	if (q->nex == q->capex) {
		size_t nc = q->capex ? q->capex * 2 : 64;
		extra *ne = realloc(q->ex, nc * sizeof *ne);
		if (!ne)
			return -1;
		q->ex = ne;
		q->capex = nc;
	}
	q->ex[q->nex] = (extra){ parent, *st, v->more };
	v->more = (int32_t)q->nex++;
	return 0;
}

static int fwd_edge(search *q, void *arg, uint32_t nbr, const gr_step *st)
{
	fwd *f = arg;
	side *s = &f->s;
	visit *cur = &s->v[f->from_ix];
	int32_t clock = cur->clock, seen;
	if (f->time_ordered) {
		int32_t first, last;
		if (gr_edge_span(q->txn, st->s_edge, &first, &last)) {
			if (first < clock)
				return 0;
			clock = last;
		}
		/* a state is worth keeping when it reaches the node earlier than
		 * any state before it (for every path: or as soon as one) */
		if ((seen = map_get(&s->map, nbr)) >= 0 && s->v[seen].clock <= clock &&
		    !(f->all && s->v[seen].depth == cur->depth + 1))
			return 0;
	} else if ((seen = map_get(&s->map, nbr)) >= 0) {
		if (f->all && s->v[seen].depth == cur->depth + 1 && seen >= (int32_t)s->hi) {
			if (add_extra(q, &s->v[seen], f->from_ix, st) < 0)
				return gr_fail(q->err, GR_ENOMEM, "out of memory");
		}
		return 0;
	}
	visit v = { nbr, f->from_ix, cur->depth + 1, clock, *st, -1 };
	if (side_add(s, &v) < 0 || map_put(&s->map, nbr, (int32_t)s->n - 1) < 0)
		return gr_fail(q->err, GR_ENOMEM, "out of memory");
	if (nbr == f->to) {
		f->found_depth = v.depth;
		if (!f->all)
			return 1;
	}
	return 0;
}

typedef struct emit_ctx {
	search *q;
	side *s;
	uint32_t *nodes;
	gr_step *steps;
	size_t len;
	gr_path_fn fn;
	void *arg;
	int reported;
	int stop;
} emit_ctx;

/* Walks back from visit i at depth d, through every parent. */
static int emit_back(emit_ctx *e, int32_t i, size_t d)
{
	visit *v = &e->s->v[i];
	e->nodes[d] = v->node;
	if (d == 0) {
		if (e->fn(e->arg, e->nodes, e->steps, e->len)) {
			e->stop = 1;
			return -1;
		}
		e->reported++;
		return 0;
	}
	e->steps[d - 1] = v->step;
	if (emit_back(e, v->parent, d - 1) < 0)
		return -1;
	for (int32_t x = v->more; x >= 0; x = e->q->ex[x].next) {
		e->steps[d - 1] = e->q->ex[x].step;
		if (emit_back(e, e->q->ex[x].parent, d - 1) < 0)
			return -1;
	}
	return 0;
}

static int shortest_fwd(search *q, uint32_t from, uint32_t to, gr_path_fn fn, void *arg)
{
	const gr_pathspec *ps = q->ps;
	fwd f;
	int rc = 0;
	memset(&f, 0, sizeof f);
	f.s.dir = ps->ps_dir;
	f.to = to;
	f.found_depth = -1;
	f.time_ordered = ps->ps_time_ordered;
	f.all = ps->ps_all;
	visit r = { from, -1, 0, INT32_MIN, { 0, 0, 0, 0 }, -1 };
	if (side_add(&f.s, &r) < 0 || map_put(&f.s.map, from, 0) < 0) {
		rc = gr_fail(q->err, GR_ENOMEM, "out of memory");
		goto done;
	}
	f.s.hi = 1;
	while (f.found_depth < 0 && f.s.lo < f.s.hi) {
		if (ps->ps_max_hops >= 0 && f.s.depth >= ps->ps_max_hops)
			break;
		size_t end = f.s.hi;
		for (size_t i = f.s.lo; i < end; i++) {
			if (f.s.v[i].node == to && i > 0)
				continue;
			f.from_ix = (int32_t)i;
			if ((rc = each_edge(q, f.s.v[i].node, f.s.dir, fwd_edge, &f)) < 0)
				goto done;
			if (rc > 0)
				break;
		}
		f.s.lo = end;
		f.s.hi = f.s.n;
		f.s.depth++;
	}
	rc = 0;
	if (f.found_depth < 0)
		goto done;
	{
		size_t len = (size_t)f.found_depth;
		emit_ctx e = { q, &f.s, malloc((len + 1) * sizeof(uint32_t)),
			malloc((len ? len : 1) * sizeof(gr_step)), len, fn, arg, 0, 0 };
		if (!e.nodes || !e.steps) {
			free(e.nodes);
			free(e.steps);
			rc = gr_fail(q->err, GR_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < f.s.n && !e.stop; i++) {
			if (f.s.v[i].node != to || f.s.v[i].depth != f.found_depth)
				continue;
			emit_back(&e, (int32_t)i, len);
			if (!ps->ps_all)
				break;
		}
		free(e.nodes);
		free(e.steps);
		rc = e.stop ? gr_fail(q->err, GR_EINVALID, "path search stopped") : e.reported;
	}
done:
	side_free(&f.s);
	return rc;
}

int gr_shortest_paths(gr_txn *txn, uint32_t from, uint32_t to, const gr_pathspec *ps,
    gr_path_fn fn, void *arg, gr_error *err)
{
	search q;
	int rc;
	memset(&q, 0, sizeof q);
	q.txn = txn;
	q.ps = ps;
	q.err = err;
	if (from == to) {
		gr_step none;
		memset(&none, 0, sizeof none);
		if (ps->ps_min_hops > 0)
			return 0;
		if (fn(arg, &from, &none, 0))
			return gr_fail(err, GR_EINVALID, "path search stopped");
		return 1;
	}
	if (ps->ps_max_hops == 0)
		return 0;
	if (st_adj_open(gr_store_txn(txn), &q.it) != ST_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (ps->ps_all || ps->ps_time_ordered)
		rc = shortest_fwd(&q, from, to, fn, arg);
	else
		rc = shortest_one(&q, from, to, fn, arg);
	st_adj_close(q.it);
	free(q.ex);
	return rc;
}
