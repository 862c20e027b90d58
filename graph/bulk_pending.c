/*
 * bulk_pending.c: finding a bulk's own edges by (src, type, dst) without a
 * random memory access per row.
 *
 * A hash table over every pending edge costs two cache misses per
 * relationship row (its bucket, then the entry), which at millions of rows
 * was the largest part of an import.  Imports usually give a node's
 * relationships together (CSV files grouped by :START_ID, JSONL as it was
 * exported), so each source keeps a chain of its entries instead: while
 * they form at most PEND_RUNS runs of contiguous entries (one per file that
 * has the node as a source, say), PEND_RUN entries in all, a lookup walks
 * them, which is a few cache lines read in order.  A source whose entries
 * are scattered, or many, has them moved to the hash table, which serves it
 * from then on.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "bulk_pending.h"
#include "../store/bigmem.h"

/* p_state: the source's entries (low 6 bits) and runs - 1 (high 2), or
 * PEND_HASHED */
#define PEND_RUN 48
#define PEND_RUNS 4
#define PEND_HASHED 255
#define ST_COUNT(st) ((st) & 63u)
#define ST_RUNS(st) (((st) >> 6) + 1u)

static size_t bucket(const gr_pending *p, uint32_t src, uint16_t type, uint32_t dst)
{
	uint64_t h = ((uint64_t)src * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)dst * 0xbf58476d1ce4e5b9ull) ^ type;
	h ^= h >> 29;
	return (size_t)(h & (p->p_nheads - 1));
}

static void hash_put(gr_pending *p, const st_adj_bulk *adj, size_t k)
{
	size_t j = bucket(p, adj[k].b_src, adj[k].b_type, adj[k].b_dst);
	p->p_link[k] = p->p_heads[j];
	p->p_heads[j] = (uint32_t)k + 1;
}

/* Room in the table for `more` hashed entries: at most one per bucket on
 * average.  A larger table is rebuilt from the hashed sources' entries
 * among the first n, oldest first, so that chains stay newest first. */
static int hash_room(gr_pending *p, const st_adj_bulk *adj, size_t n, size_t more)
{
	size_t nh = p->p_nheads ? p->p_nheads : 1 << 12;
	uint32_t *h;
	if (p->p_nheads && p->p_nhashed + more <= p->p_nheads)
		return GR_OK;
	while (nh < p->p_nhashed + more)
		nh *= 4;
	if (!(h = st_big_alloc(nh * sizeof *h)))
		return GR_ENOMEM;
	st_big_free(p->p_heads);
	p->p_heads = h;
	p->p_nheads = nh;
	for (size_t k = 0; k < n; k++)
		if (p->p_state[adj[k].b_src] == PEND_HASHED)
			hash_put(p, adj, k);
	return GR_OK;
}

/* Moves source src's run (entries before i) to the hash table. */
static int to_hash(gr_pending *p, const st_adj_bulk *adj, size_t i, uint32_t src)
{
	uint32_t run[PEND_RUN], nrun = 0;
	for (uint32_t k = p->p_last[src]; k && nrun < PEND_RUN; k = p->p_link[k - 1])
		run[nrun++] = k - 1;
	if (hash_room(p, adj, i, nrun + 1) != GR_OK)
		return GR_ENOMEM;
	while (nrun > 0)
		hash_put(p, adj, run[--nrun]);
	p->p_nhashed += ST_COUNT(p->p_state[src]);
	p->p_state[src] = PEND_HASHED;
	return GR_OK;
}

/* Arrays that cover node src and entry i. */
static int cover(gr_pending *p, uint32_t src, size_t i)
{
	if (src >= p->p_nodes) {
		size_t n = p->p_nodes ? p->p_nodes * 2 : 1 << 12;
		uint32_t *last;
		uint8_t *state;
		while (n <= src)
			n *= 2;
		if (!(last = st_big_realloc(p->p_last, n * sizeof *last)))
			return GR_ENOMEM;
		p->p_last = last;
		if (!(state = st_big_realloc(p->p_state, n)))
			return GR_ENOMEM;
		p->p_state = state;
		p->p_nodes = n;
	}
	if (i >= p->p_cap) {
		size_t n = p->p_cap ? p->p_cap * 2 : 1 << 16;
		uint32_t *link = st_big_realloc(p->p_link, n * sizeof *link);
		if (!link)
			return GR_ENOMEM;
		p->p_link = link;
		p->p_cap = n;
	}
	return GR_OK;
}

int gr_pending_add(gr_pending *p, const st_adj_bulk *adj, size_t i)
{
	uint32_t src = adj[i].b_src;
	uint8_t st;
	if (i >= 0xffffffffu || cover(p, src, i) != GR_OK)
		return GR_ENOMEM;
	st = p->p_state[src];
	if (st != PEND_HASHED) {
		int same_run = p->p_last[src] == i;   /* entry i - 1 is src's */
		if (st == 0 || (ST_COUNT(st) < PEND_RUN && (same_run || ST_RUNS(st) < PEND_RUNS))) {
			/* the first entry, the run going on, or a new run */
			p->p_link[i] = p->p_last[src];
			p->p_last[src] = (uint32_t)i + 1;
			p->p_state[src] = (uint8_t)(st == 0 ? 1 : st + 1 + (same_run ? 0 : 64));
			return GR_OK;
		}
		if (to_hash(p, adj, i, src) != GR_OK)
			return GR_ENOMEM;
	}
	if (hash_room(p, adj, i, 1) != GR_OK)
		return GR_ENOMEM;
	hash_put(p, adj, i);
	p->p_nhashed++;
	p->p_last[src] = (uint32_t)i + 1;
	return GR_OK;
}

int gr_pending_each(const gr_pending *p, const st_adj_bulk *adj, uint32_t src, uint16_t type, uint32_t dst,
    int (*fn)(void *arg, uint32_t edge), void *arg)
{
	uint32_t k;
	int rc;
	if (src >= p->p_nodes || !p->p_state[src])
		return 0;
	k = p->p_state[src] == PEND_HASHED ? p->p_heads[bucket(p, src, type, dst)] : p->p_last[src];
	for (; k; k = p->p_link[k - 1]) {
		const st_adj_bulk *a = &adj[k - 1];
		if (a->b_src == src && a->b_dst == dst && a->b_type == type && (rc = fn(arg, a->b_edge)) != 0)
			return rc;
	}
	return 0;
}

void gr_pending_free(gr_pending *p)
{
	st_big_free(p->p_last);
	st_big_free(p->p_state);
	st_big_free(p->p_link);
	st_big_free(p->p_heads);
	memset(p, 0, sizeof *p);
}
