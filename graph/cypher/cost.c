/*
 * cost.c: sampled statistics for the cost-based planner (cost.h).
 */
#include "cost.h"

#define DEGREE_CAP 512        /* relationships counted per sampled node */

static uint64_t samples_taken;

uint64_t cy_cost_samples(void)
{
	return samples_taken;
}

int cy_cost_sample(cy_ctx *c, uint16_t label, uint32_t *out, size_t max, size_t *n)
{
	uint32_t hi = 0, id, last = 0;
	size_t per = (max + CY_SAMPLE_RUNS - 1) / CY_SAMPLE_RUNS;
	*n = 0;
	samples_taken++;
	if (!max || st_id_next(c->st, 0, &hi) != ST_OK || hi <= 1)
		return 0;
	/* ids run from 1 to hi - 1: CY_SAMPLE_RUNS runs of neighbouring nodes
	 * of the label, the runs spread evenly over the ids */
	double step = (double)(hi - 1) / (double)CY_SAMPLE_RUNS;
	for (size_t r = 0; r < CY_SAMPLE_RUNS && *n < max; r++) {
		uint32_t from = 1 + (uint32_t)(step * (double)r);
		if (from <= last)
			from = last + 1;
		id = from - 1;
		for (size_t k = 0; k < per && *n < max; k++) {
			if (label) {
				int rc = st_label_next(c->st, label, &id);
				if (rc == ST_ENOTFOUND || (rc != ST_OK && *n))
					return 0;
				if (rc != ST_OK)
					return -1;
			} else {
				const void *rec;
				size_t len;
				if (st_node_next(c->st, &id, &rec, &len) != ST_OK)
					return 0;
			}
			if (id <= last)
				break;
			out[(*n)++] = id;
			last = id;
		}
	}
	return 0;
}

size_t cy_cost_pick(const uint32_t *ids, size_t nids, uint32_t *out, size_t max)
{
	size_t per = (max + CY_SAMPLE_RUNS - 1) / CY_SAMPLE_RUNS, n = 0;
	if (nids <= max) {
		for (size_t i = 0; i < nids; i++)
			out[i] = ids[i];
		return nids;
	}
	for (size_t r = 0; r < CY_SAMPLE_RUNS; r++)
		for (size_t i = r * nids / CY_SAMPLE_RUNS, k = 0; k < per && n < max && i < nids; i++, k++)
			out[n++] = ids[i];
	return n;
}

/* Relationships of one type and direction at a node, counted up to the
 * cap; past it, the node's whole degree in that direction stands in. */
static uint64_t degree_of(cy_ctx *c, uint32_t id, int stdir, uint16_t type)
{
	uint64_t all = 0;
	if (st_adj_count(c->st, stdir, id, 0, &all) != ST_OK)
		return 0;
	if (!type || all <= DEGREE_CAP) {
		uint64_t n = 0;
		if (!type)
			return all;
		return st_adj_count(c->st, stdir, id, type, &n) == ST_OK ? n : 0;
	}
	return all;
}

double cy_cost_degree(cy_ctx *c, const uint32_t *ids, size_t n, int dir, cy_sym *types, size_t ntypes)
{
	uint16_t tid[64];
	size_t nt = 0;
	if (!n)
		return 1;
	for (size_t i = 0; i < ntypes && nt < 64; i++) {
		uint16_t t = cy_sym_get(c, &types[i]);
		if (t)
			tid[nt++] = t;
	}
	if (ntypes && !nt)
		return 0;   /* no such relationship type: nothing to expand */
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		for (int d = 0; d < 2; d++) {
			int stdir = d ? ST_IN : ST_OUT;
			if ((dir == CY_DIR_RIGHT && stdir != ST_OUT) || (dir == CY_DIR_LEFT && stdir != ST_IN))
				continue;
			if (!nt)
				sum += (double)degree_of(c, ids[i], stdir, 0);
			for (size_t t = 0; t < nt; t++)
				sum += (double)degree_of(c, ids[i], stdir, tid[t]);
		}
	}
	return sum / (double)n;
}

double cy_cost_selectivity(cy_ctx *c, const uint32_t *ids, size_t n, const cy_nodechk *k)
{
	size_t pass = 0;
	if (!n)
		return 1;
	for (size_t i = 0; i < n; i++) {
		int ok = cy_node_ok(c, k, ids[i]);
		if (ok < 0)
			return 1;
		pass += ok > 0;
	}
	/* none of the sample passing says "rare", not "never" */
	return pass ? (double)pass / (double)n : 0.5 / (double)n;
}
