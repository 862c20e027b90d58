/*
 * xjoin.c: the ExpandJoin operator: a one-hop expansion to a node that
 * must be one of a few candidates, read from the candidates' side.
 *
 * Expand seeks the adjacency of every input node: for thousands of input
 * nodes spread over a large table (vessels that called at a port), each
 * seek lands on its own page, and in a new process the first touch of a
 * page is most of a query's time.  When the node reached must be one of a
 * few candidates (the ports of one country), their relationships of the
 * type, read the other way, are a few runs of consecutive pages.  So the
 * operator holds a chunk of input rows, marks their nodes in a bitmap,
 * reads every candidate's entries keeping those that reach a marked node,
 * sorts what it kept by (node, candidate, relationship) and hands each
 * held row on with its matches, in the order the input came: for one
 * relationship type, the order Expand would give (a node's adjacency is
 * sorted by type, neighbour, relationship).
 *
 * As with Batch (batch.c), it holds only the slots bound below it, and
 * puts back the row its input last produced before asking for more.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define XJ_CHUNK 16384   /* input rows held at once */

typedef struct xpair {
	uint32_t node, cand, edge;
} xpair;

typedef struct op_xjoin {
	cy_op o;
	int from, rel, to, dir;
	cy_sym *type;
	const uint32_t *cand;
	size_t ncand;
	cy_nodechk relchk;
	int *uniq;
	size_t nuniq;
	const uint8_t *bound;       /* at plan time; slots[] made from it on first use */
	int nrow;
	int *slots;
	size_t nslots;
	cy_cells held;              /* the rows held (cells.c) */
	gr_value *last;
	uint32_t *ids;              /* each held row's node (0: not a node) */
	size_t n, cap, row;         /* held, allocated, the one being handed on */
	xpair *pairs;
	size_t npairs, pcap, pi, pend;
	uint64_t *mark;
	size_t nmark;
	int done, have_last, active;
	st_adj_iter *it;
} op_xjoin;

static void xj_drop(op_xjoin *x)
{
	cy_cells_clear(&x->held);
	if (x->have_last)
		for (size_t k = 0; k < x->nslots; k++)
			cy_free(&x->last[k]);
	x->n = x->row = x->npairs = x->pi = x->pend = 0;
	x->have_last = x->active = 0;
}

static int pair_cmp(const void *a, const void *b)
{
	const xpair *p = a, *q = b;
	if (p->node != q->node)
		return p->node < q->node ? -1 : 1;
	if (p->cand != q->cand)
		return p->cand < q->cand ? -1 : 1;
	return p->edge < q->edge ? -1 : p->edge > q->edge;
}

/* Holds the next chunk of input rows: 1, 0 at the end, -1 on error. */
static int xj_hold(cy_ctx *c, op_xjoin *x)
{
	int rc = 1;
	for (;;) {
		const gr_value *f;
		if (x->held.cells && x->n == x->cap)
			break;
		if ((rc = cy_next(c, x->o.child)) <= 0)
			break;
		if (!x->held.cells) {
			/* sized by the first row; malloc of this size maps zero
			 * pages: only the rows held cost */
			x->held.slots = x->slots;
			x->held.nslots = x->nslots;
			if (cy_cells_alloc(&x->held, c->row, XJ_CHUNK) < 0 ||
			    !(x->ids = malloc((size_t)XJ_CHUNK * sizeof *x->ids)) ||
			    !(x->last = calloc(x->nslots ? x->nslots : 1, sizeof *x->last)))
				return cy_nomem(c);
			if (cy_limit_reserve(c, (uint64_t)XJ_CHUNK * (x->held.rowlen + sizeof *x->ids)) < 0)
				return -1;
			x->cap = XJ_CHUNK;
		}
		if (cy_cells_set(&x->held, x->n, c->row) < 0)
			return cy_nomem(c);
		f = &c->row[x->from];
		x->ids[x->n++] = f->type == GR_NODE ? f->u.node.id : 0;
	}
	if (rc < 0)
		return -1;
	if (rc == 0)
		x->done = 1;
	else if (cy_slots_copy(x->last, c->row, x->slots, x->nslots) < 0)
		return cy_nomem(c);
	else
		x->have_last = 1;
	return x->n > 0;
}

/* Marks the held rows' nodes. */
static int xj_mark(cy_ctx *c, op_xjoin *x)
{
	uint32_t top = 0;
	size_t words;
	for (size_t i = 0; i < x->n; i++)
		if (x->ids[i] > top)
			top = x->ids[i];
	words = ((size_t)top >> 6) + 1;
	if (words > x->nmark) {
		uint64_t *m;
		if (cy_limit_reserve(c, words * sizeof *m) < 0)
			return -1;
		if (!(m = realloc(x->mark, words * sizeof *m)))
			return cy_nomem(c);
		x->mark = m;
		x->nmark = words;
	}
	memset(x->mark, 0, words * sizeof *x->mark);
	for (size_t i = 0; i < x->n; i++)
		if (x->ids[i])
			x->mark[x->ids[i] >> 6] |= 1ULL << (x->ids[i] & 63);
	return 0;
}

static int xj_push(cy_ctx *c, op_xjoin *x, uint32_t node, uint32_t cand, uint32_t edge)
{
	if (x->npairs == x->pcap) {
		size_t nc = x->pcap ? x->pcap * 2 : 1024;
		xpair *np;
		if (cy_limit_reserve(c, (nc - x->pcap) * sizeof *np) < 0)
			return -1;
		if (!(np = realloc(x->pairs, nc * sizeof *np)))
			return cy_nomem(c);
		x->pairs = np;
		x->pcap = nc;
	}
	x->pairs[x->npairs++] = (xpair){ node, cand, edge };
	return 0;
}

/* Reads every candidate's relationships of the type the other way,
 * keeping those that reach a held node. */
static int xj_scan(cy_ctx *c, op_xjoin *x)
{
	/* walked from the held node out, a candidate sees it coming in */
	int stdir = x->dir == CY_DIR_RIGHT ? ST_IN : ST_OUT;
	uint16_t type = cy_sym_get(c, x->type);
	st_adj a;
	int rc;
	x->npairs = 0;
	if (!type)
		return 0;   /* a type no relationship has */
	if (!x->it && st_adj_open(c->st, &x->it) != ST_OK)
		return cy_nomem(c);
	if (xj_mark(c, x) < 0)
		return -1;
	for (size_t i = 0; i < x->ncand; i++) {
		if (st_adj_seek(x->it, stdir, x->cand[i], type, 0) != ST_OK)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
		while ((rc = st_adj_read(x->it, &a)) > 0) {
			if (cy_tick(c) < 0)
				return -1;
			if ((a.a_nbr >> 6) < x->nmark && (x->mark[a.a_nbr >> 6] >> (a.a_nbr & 63)) & 1 &&
			    xj_push(c, x, a.a_nbr, x->cand[i], a.a_edge) < 0)
				return -1;
		}
		if (rc < 0)
			return cy_fail_graph(c, GR_EIO, "cannot read adjacency");
	}
	qsort(x->pairs, x->npairs, sizeof *x->pairs, pair_cmp);
	return 0;
}

/* Points pi..pend at the matches of held row x->row. */
static void xj_range(op_xjoin *x)
{
	uint32_t id = x->ids[x->row];
	size_t lo = 0, hi = x->npairs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (x->pairs[mid].node < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	x->pi = lo;
	while (hi < x->npairs && x->pairs[hi].node == id)
		hi++;
	x->pend = id ? hi : lo;
}

/* Puts held row i into the row (copies: it may go out more than once). */
static int xj_load(cy_ctx *c, op_xjoin *x, size_t i)
{
	return cy_cells_get(&x->held, i, c->row, 0) < 0 ? cy_nomem(c) : 0;
}

static int xj_slots(cy_ctx *c, op_xjoin *x)
{
	size_t n = 0;
	if (!(x->slots = malloc(((size_t)x->nrow + 1) * sizeof *x->slots)))
		return cy_nomem(c);
	for (int i = 0; i < x->nrow; i++)
		if (x->bound[i] || i == x->from)
			x->slots[n++] = i;
	x->nslots = n;
	return 0;
}

static int xjoin_next(cy_ctx *c, cy_op *op)
{
	op_xjoin *x = (op_xjoin *)op;
	int rc;
	if (!x->slots && xj_slots(c, x) < 0)
		return -1;
	for (;;) {
		if (!x->active) {
			if (x->have_last) {
				cy_slots_put(c->row, x->slots, x->last, x->nslots);
				x->have_last = 0;
			}
			cy_cells_clear(&x->held);
			x->n = x->row = 0;
			if (x->done)
				return 0;
			if ((rc = xj_hold(c, x)) <= 0)
				return rc;
			if (xj_scan(c, x) < 0)
				return -1;
			x->active = 1;
			x->row = 0;
			xj_range(x);
			if (xj_load(c, x, 0) < 0)
				return -1;
		}
		while (x->pi >= x->pend) {
			if (++x->row >= x->n) {
				x->active = 0;
				break;
			}
			xj_range(x);
			if (x->pi < x->pend && xj_load(c, x, x->row) < 0)
				return -1;
		}
		if (!x->active)
			continue;
		const xpair *p = &x->pairs[x->pi++];
		if (x->nuniq && !cy_rel_unique(c->row, x->uniq, x->nuniq, p->edge))
			continue;
		gr_value e = { .type = GR_EDGE };
		e.u.edge.id = p->edge;
		e.u.edge.type = cy_sym_get(c, x->type);
		e.u.edge.src = x->dir == CY_DIR_RIGHT ? p->node : p->cand;
		e.u.edge.dst = x->dir == CY_DIR_RIGHT ? p->cand : p->node;
		if (x->relchk.nprops && (rc = cy_edge_ok(c, &x->relchk, &e)) <= 0) {
			if (rc < 0)
				return -1;
			continue;
		}
		cy_put(&c->row[x->rel], e);
		cy_put(&c->row[x->to], (gr_value){ .type = GR_NODE, .u.node.id = p->cand });
		return 1;
	}
}

static void xjoin_reset(cy_op *op)
{
	op_xjoin *x = (op_xjoin *)op;
	if (x->held.cells)
		xj_drop(x);
	x->done = 0;
	cy_reset_child(op);
}

static void xjoin_close(cy_op *op)
{
	op_xjoin *x = (op_xjoin *)op;
	if (x->held.cells)
		xj_drop(x);
	cy_cells_free(&x->held);
	free(x->ids);
	free(x->last);
	free(x->pairs);
	free(x->mark);
	free(x->slots);
	st_adj_close(x->it);
	x->last = NULL;
	x->ids = NULL;
	x->pairs = NULL;
	x->mark = NULL;
	x->slots = NULL;
	x->it = NULL;
	x->cap = x->pcap = x->nmark = 0;
}

static void xjoin_describe(cy_op *op, gr_buf *b)
{
	op_xjoin *x = (op_xjoin *)op;
	char buf[96];
	cy_put_str(b, x->dir == CY_DIR_LEFT ? "<-[:" : "-[:");
	cy_put_str(b, x->type->name);
	cy_put_str(b, x->dir == CY_DIR_RIGHT ? "]->" : "]-");
	snprintf(buf, sizeof buf, " from the other end of %zu candidates", x->ncand);
	cy_put_str(b, buf);
}

static const cy_opvt xjoin_vt = { "ExpandJoin", xjoin_next, xjoin_reset, xjoin_close, xjoin_describe };

cy_op *cy_op_xjoin(cy_pool *p, cy_op *child, int from, int rel, int to, int dir, cy_sym *type,
    const cy_nodechk *tochk, const cy_nodechk *relchk, const int *uniq, size_t nuniq,
    const uint8_t *bound, int nslots)
{
	op_xjoin *x = cy_op_new(p, sizeof *x, &xjoin_vt, child);
	uint8_t *b;
	if (!x || !(b = cy_alloc(p, (size_t)nslots + 1)))
		return NULL;
	memcpy(b, bound, (size_t)nslots);
	x->from = from;
	x->rel = rel;
	x->to = to;
	x->dir = dir;
	x->type = type;
	x->cand = tochk->cand;
	x->ncand = tochk->ncand;
	if (relchk)
		x->relchk = *relchk;
	if (nuniq && !(x->uniq = cy_copy_ints(p, uniq, nuniq)))
		return NULL;
	x->nuniq = nuniq;
	x->bound = b;
	x->nrow = nslots;
	return &x->o;
}
