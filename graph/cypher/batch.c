/*
 * batch.c: the Batch operator: holds up to CY_BATCH rows of its input and
 * hands them on in the order of one node's id.
 *
 * The planner puts it below an expansion whose rows reach it in no useful
 * order (the vessels of many owners) and whose rows go on to a consumer
 * that does not care in what order they come (a count): the expansion then
 * seeks its nodes' adjacency in key order, which a fresh import lays out in
 * file order, so it touches each page of the table once and in sequence
 * instead of at random, and a node met twice is sought twice in a row.  In
 * a new process most of a large query's time is the first touch of pages,
 * and touching them in order costs a fraction of touching them at random.
 *
 * It holds only the slots bound below it (nothing above reads another
 * slot before writing it), each in a cell of CELL bytes: a node's id or a
 * relationship whole, the index of a value kept aside for anything else.
 * A row of three 40-byte values took 120 bytes, and in a new process each
 * fresh page of them is a page fault: 224 of Q7's at scale 4.  Operators below may read the row again when
 * asked for their next row (an expansion checks the relationships of its
 * input row), so the row they last produced is put back before they are
 * asked again.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define CELL 17         /* [tag][16 bytes] */
#define TAG_SPILL 0xff  /* the cell holds an index into spill */

typedef struct bent {
	uint32_t id, i;   /* the ordering node's id, the row's arrival */
} bent;

typedef struct op_batch {
	cy_op o;
	int key;                    /* the node slot whose id orders a batch */
	const char *name;           /* its variable, for EXPLAIN */
	int *slots;                 /* the slots a row holds here */
	size_t nslots, max;
	unsigned char *cells;       /* held rows, nslots cells each */
	gr_value *spill;            /* values no cell holds, by index */
	size_t nspill, spillcap;
	gr_value *last;             /* the input's last row, put back before asking again */
	bent *ord;
	size_t n, pos, cap;
	int done, have_last;
	unsigned fills;             /* batches read since the start */
} op_batch;

/* Stores v (which stays the caller's) in a cell: 0, or -1 out of memory. */
static int cell_set(op_batch *b, unsigned char *cell, const gr_value *v)
{
	uint32_t i;
	switch (v->type) {
	case GR_NULL:
		cell[0] = GR_NULL;
		return 0;
	case GR_NODE:
		cell[0] = GR_NODE;
		memcpy(cell + 1, &v->u.node.id, sizeof v->u.node.id);
		return 0;
	case GR_EDGE:
		cell[0] = GR_EDGE;
		memcpy(cell + 1, &v->u.edge, sizeof v->u.edge);
		return 0;
	default:
		if (b->nspill == b->spillcap) {
			size_t nc = b->spillcap ? b->spillcap * 2 : 64;
			gr_value *ns = nc > UINT32_MAX ? NULL : realloc(b->spill, nc * sizeof *ns);
			if (!ns)
				return -1;
			b->spill = ns;
			b->spillcap = nc;
		}
		if (cy_slots_copy(&b->spill[b->nspill], v, NULL, 1) < 0)
			return -1;
		i = (uint32_t)b->nspill++;
		cell[0] = TAG_SPILL;
		memcpy(cell + 1, &i, sizeof i);
		return 0;
	}
}

/* The value a cell holds, handed over (a kept-aside value leaves spill). */
static gr_value cell_take(op_batch *b, const unsigned char *cell)
{
	gr_value v = cy_nullv();
	uint32_t i;
	switch (cell[0]) {
	case GR_NODE:
		v.type = GR_NODE;
		memcpy(&v.u.node.id, cell + 1, sizeof v.u.node.id);
		break;
	case GR_EDGE:
		v.type = GR_EDGE;
		memcpy(&v.u.edge, cell + 1, sizeof v.u.edge);
		break;
	case TAG_SPILL:
		memcpy(&i, cell + 1, sizeof i);
		v = b->spill[i];
		b->spill[i] = cy_nullv();
		break;
	}
	return v;
}

static void batch_drop(op_batch *b)
{
	for (size_t i = 0; i < b->nspill; i++)
		cy_free(&b->spill[i]);
	b->nspill = 0;
	if (b->have_last)
		for (size_t k = 0; k < b->nslots; k++)
			cy_free(&b->last[k]);
	b->n = b->pos = 0;
	b->have_last = 0;
}

static int grow(cy_ctx *c, op_batch *b)
{
	size_t nc = b->cap ? b->cap * 2 : 256;
	unsigned char *nv;
	bent *no;
	if (nc > b->max)
		nc = b->max;
	if (cy_limit_reserve(c, (nc - b->cap) * (b->nslots * CELL + sizeof *no)) < 0)
		return -1;
	if (!(nv = realloc(b->cells, nc * b->nslots * CELL + 1)))
		return cy_nomem(c);
	b->cells = nv;
	if (!(no = realloc(b->ord, nc * sizeof *no)))
		return cy_nomem(c);
	b->ord = no;
	b->cap = nc;
	return 0;
}

static int bent_cmp(const void *x, const void *y)
{
	const bent *a = x, *b = y;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* Reads the next batch: 1 when it holds rows, 0 at the end, -1 on error. */
static int batch_fill(cy_ctx *c, op_batch *b)
{
	int rc = 1;
	batch_drop(b);
	if (b->done)
		return 0;
	b->fills++;
	if (!b->last && !(b->last = calloc(b->nslots ? b->nslots : 1, sizeof *b->last)))
		return cy_nomem(c);
	while (b->n < b->max) {
		const gr_value *k;
		if ((rc = cy_next(c, b->o.child)) <= 0)
			break;
		if (b->n == b->cap && grow(c, b) < 0)
			return -1;
		for (size_t j = 0; j < b->nslots; j++)
			if (cell_set(b, b->cells + (b->n * b->nslots + j) * CELL, &c->row[b->slots[j]]) < 0)
				return cy_nomem(c);
		k = &c->row[b->key];
		b->ord[b->n].id = k->type == GR_NODE ? k->u.node.id : 0;
		b->ord[b->n].i = (uint32_t)b->n;
		b->n++;
	}
	if (rc < 0)
		return -1;
	if (rc == 0) {
		b->done = 1;
	} else {
		if (cy_slots_copy(b->last, c->row, b->slots, b->nslots) < 0)
			return cy_nomem(c);
		b->have_last = 1;
	}
	qsort(b->ord, b->n, sizeof *b->ord, bent_cmp);
	return b->n > 0;
}

static int batch_next(cy_ctx *c, cy_op *op)
{
	op_batch *b = (op_batch *)op;
	int rc;
	if (b->pos == b->n) {
		if (b->have_last) {
			/* the input's own row again, as it left it */
			cy_slots_put(c->row, b->slots, b->last, b->nslots);
			b->have_last = 0;
		}
		if ((rc = batch_fill(c, b)) <= 0)
			return rc;
	}
	{
		const unsigned char *row = b->cells + (size_t)b->ord[b->pos++].i * b->nslots * CELL;
		for (size_t k = 0; k < b->nslots; k++)
			cy_put(&c->row[b->slots[k]], cell_take(b, row + k * CELL));
	}
	return 1;
}

static void batch_reset(cy_op *op)
{
	op_batch *b = (op_batch *)op;
	batch_drop(b);
	b->done = 0;
	b->fills = 0;
	cy_reset_child(op);
}

static void batch_close(cy_op *op)
{
	op_batch *b = (op_batch *)op;
	batch_drop(b);
	free(b->cells);
	free(b->spill);
	free(b->ord);
	free(b->last);
	b->cells = NULL;
	b->spill = b->last = NULL;
	b->spillcap = 0;
	b->ord = NULL;
	b->cap = 0;
}

static void batch_describe(cy_op *op, gr_buf *b)
{
	op_batch *x = (op_batch *)op;
	char buf[64];
	cy_put_str(b, "in id order of ");
	cy_put_str(b, x->name ? x->name : "an anonymous node");
	snprintf(buf, sizeof buf, ", %zu rows at a time", x->max);
	cy_put_str(b, buf);
}

static const cy_opvt batch_vt = { "Batch", batch_next, batch_reset, batch_close, batch_describe };

cy_op *cy_op_batch(cy_pool *p, cy_op *child, int key, const char *name, const uint8_t *bound, int nslots)
{
	op_batch *b = cy_op_new(p, sizeof *b, &batch_vt, child);
	size_t n = 0;
	if (!b || !(b->slots = cy_alloc(p, ((size_t)nslots + 1) * sizeof *b->slots)))
		return NULL;
	for (int i = 0; i < nslots; i++)
		if (bound[i] || i == key)
			b->slots[n++] = i;
	b->nslots = n;
	b->key = key;
	b->name = name;
	b->max = CY_BATCH;
	return &b->o;
}

int cy_batch_whole(cy_op *op)
{
	op_batch *b = (op_batch *)op;
	return b->fills == 1 && b->done;
}
