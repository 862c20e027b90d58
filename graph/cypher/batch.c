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
 * slot before writing it), compactly (cells.c): in a new process each
 * fresh page of held rows is a page fault.  For the same reason the rows'
 * memory is allocated whole once, the pages touched only as rows arrive,
 * rather than grown by copying.  Operators below may read the row again when
 * asked for their next row (an expansion checks the relationships of its
 * input row), so the row they last produced is put back before they are
 * asked again.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

typedef struct bent {
	uint32_t id, i;   /* the ordering node's id, the row's arrival */
} bent;

typedef struct op_batch {
	cy_op o;
	int key;                    /* the node slot whose id orders a batch */
	const char *name;           /* its variable, for EXPLAIN */
	int *slots;                 /* the slots a row holds here */
	size_t nslots, max;
	cy_cells held;              /* the rows held */
	size_t reserved;            /* rows counted against the memory limit */
	gr_value *last;             /* the input's last row, put back before asking again */
	bent *ord;
	size_t n, pos;
	int done, have_last;
	unsigned fills;             /* batches read since the start */
} op_batch;

static void batch_drop(op_batch *b)
{
	cy_cells_clear(&b->held);
	if (b->have_last)
		for (size_t k = 0; k < b->nslots; k++)
			cy_free(&b->last[k]);
	b->n = b->pos = 0;
	b->have_last = 0;
}

/* Room for one more row: the first time, the cells' sizes and the whole
 * batch's memory (untouched until used); the memory limit is charged as
 * rows arrive, 256 at a time. */
static int grow(cy_ctx *c, op_batch *b)
{
	if (!b->held.cells) {
		b->held.slots = b->slots;
		b->held.nslots = b->nslots;
		if (cy_cells_alloc(&b->held, c->row, b->max) < 0 || !(b->ord = malloc(b->max * sizeof *b->ord))) {
			cy_cells_free(&b->held);
			return cy_nomem(c);
		}
	}
	if (b->n == b->reserved) {
		if (cy_limit_reserve(c, 256 * (b->held.rowlen + sizeof *b->ord)) < 0)
			return -1;
		b->reserved += 256;
	}
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
		if ((!b->held.cells || b->n == b->reserved) && grow(c, b) < 0)
			return -1;
		if (cy_cells_set(&b->held, b->n, c->row) < 0)
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
	cy_cells_get(&b->held, b->ord[b->pos++].i, c->row, 1);   /* take: no copy to fail */
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
	cy_cells_free(&b->held);
	b->reserved = 0;
	free(b->ord);
	free(b->last);
	b->last = NULL;
	b->ord = NULL;
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
