/*
 * cells.c: rows held compactly, for the operators that hold a chunk of
 * their input (Batch, ExpandJoin).
 *
 * A held row keeps only some slots (those bound below the operator), each
 * in a cell sized by the first row's value there: [tag][u32 node id] (5
 * bytes) or [tag][relationship] (17).  A value its cell cannot hold (a
 * string, a list, a relationship where a node was) is kept aside whole and
 * the cell holds its index.  Rows of 40-byte values took 120 bytes each
 * for three slots; in a new process every fresh page of them costs a page
 * fault, and they were Q5's and Q7's largest share at scale 4.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define CELL_NODE 5     /* [tag][u32] */
#define CELL_EDGE 17    /* [tag][16 bytes] */
#define TAG_ASIDE 0xff  /* the cell holds an index into aside */

int cy_cells_alloc(cy_cells *h, const gr_value *row, size_t rows)
{
	h->rowlen = 0;
	if (!h->width && !(h->width = malloc(h->nslots ? h->nslots : 1)))
		return -1;
	for (size_t k = 0; k < h->nslots; k++) {
		h->width[k] = row[h->slots[k]].type == GR_EDGE ? CELL_EDGE : CELL_NODE;
		h->rowlen += h->width[k];
	}
	/* this size is mapped by malloc untouched: only rows held cost */
	if (!(h->cells = malloc(rows * h->rowlen + 1)))
		return -1;
	h->rows = rows;
	return 0;
}

/* Stores v (which stays the caller's) in a cell of `width` bytes. */
static int cell_set(cy_cells *h, unsigned char *cell, size_t width, const gr_value *v)
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
		if (width < CELL_EDGE)
			break;
		cell[0] = GR_EDGE;
		memcpy(cell + 1, &v->u.edge, sizeof v->u.edge);
		return 0;
	default:
		break;
	}
	if (h->naside == h->asidecap) {
		size_t nc = h->asidecap ? h->asidecap * 2 : 64;
		gr_value *na = nc > UINT32_MAX ? NULL : realloc(h->aside, nc * sizeof *na);
		if (!na)
			return -1;
		h->aside = na;
		h->asidecap = nc;
	}
	if (cy_slots_copy(&h->aside[h->naside], v, NULL, 1) < 0)
		return -1;
	i = (uint32_t)h->naside++;
	cell[0] = TAG_ASIDE;
	memcpy(cell + 1, &i, sizeof i);
	return 0;
}

int cy_cells_set(cy_cells *h, size_t i, const gr_value *row)
{
	unsigned char *cell = h->cells + i * h->rowlen;
	for (size_t k = 0; k < h->nslots; k++) {
		if (cell_set(h, cell, h->width[k], &row[h->slots[k]]) < 0)
			return -1;
		cell += h->width[k];
	}
	return 0;
}

int cy_cells_get(cy_cells *h, size_t i, gr_value *row, int take)
{
	const unsigned char *cell = h->cells + i * h->rowlen;
	for (size_t k = 0; k < h->nslots; k++) {
		gr_value v = cy_nullv();
		uint32_t a;
		switch (cell[0]) {
		case GR_NODE:
			v.type = GR_NODE;
			memcpy(&v.u.node.id, cell + 1, sizeof v.u.node.id);
			break;
		case GR_EDGE:
			v.type = GR_EDGE;
			memcpy(&v.u.edge, cell + 1, sizeof v.u.edge);
			break;
		case TAG_ASIDE:
			memcpy(&a, cell + 1, sizeof a);
			if (take) {
				v = h->aside[a];
				h->aside[a] = cy_nullv();
			} else if (cy_slots_copy(&v, &h->aside[a], NULL, 1) < 0) {
				return -1;
			}
			break;
		}
		cy_put(&row[h->slots[k]], v);
		cell += h->width[k];
	}
	return 0;
}

void cy_cells_clear(cy_cells *h)
{
	for (size_t i = 0; i < h->naside; i++)
		cy_free(&h->aside[i]);
	h->naside = 0;
}

void cy_cells_free(cy_cells *h)
{
	cy_cells_clear(h);
	free(h->aside);
	free(h->cells);
	free(h->width);
	h->aside = NULL;
	h->cells = NULL;
	h->width = NULL;
	h->asidecap = h->rows = h->rowlen = 0;
}
