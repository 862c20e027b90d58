/*
 * fastpath.c: the storage access paths measured on their own, below the
 * query engine (built and run by bench/fastpath).
 *
 *   adjacency scan   every `out` entry of every node, read in batches:
 *                    million entries a second
 *   property read    one relationship property (of one type) for each of
 *                    that type's relationships, in the order the scan met
 *                    them (scan order), and in the order the end nodes'
 *                    incoming relationships meet them (a port's calls: no
 *                    order in the table): ns a read
 *   expansion seek   positioning on one node's relationships of that type
 *                    and reading the first: ns a seek, for the type's start
 *                    nodes in three orders: ascending (as a label scan
 *                    meets them), as the second hop of a two-hop pattern
 *                    meets them ((end)<-[:TYPE]-(start)-[:TYPE]->(): each
 *                    end node's start nodes in turn, ascending within one
 *                    end node), and shuffled (the worst case)
 *
 * Each figure is the best of three runs, each in a new read transaction,
 * as CPU time (the machine is
 * shared; CPU time is steadier than wall time).  The store is reached
 * directly: this measures the store, not a user of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph/graph.h"
#include "graph/graph_int.h"  /* gr_store_txn: this program measures the store itself */
#include "graph/value.h"
#include "store/store.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct ids { uint32_t *v; size_t n, cap; } ids;

static void ids_add(ids *a, uint32_t x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1 << 16;
		if (!(a->v = realloc(a->v, a->cap * sizeof *a->v))) {
			fprintf(stderr, "fastpath: out of memory\n");
			exit(1);
		}
	}
	a->v[a->n++] = x;
}

/* One adjacency scan: entries seen; the type's edges, distinct start
 * nodes and end nodes collected when the lists are given. */
static uint64_t scan(st_txn *st, uint16_t type, ids *edges, ids *starts, ids *ends)
{
	st_adj_iter *it;
	st_adj e;
	uint32_t src = 0, last = 0;
	uint64_t n = 0;
	int rc;
	if (st_adj_open(st, &it) != ST_OK)
		exit(1);
	while ((rc = st_adj_scan(it, &src, &e)) == 1) {
		n++;
		if (edges && e.a_type == type) {
			ids_add(edges, e.a_edge);
			if (src != last)
				ids_add(starts, last = src);
			ids_add(ends, e.a_nbr);
		}
	}
	st_adj_close(it);
	if (rc < 0) {
		fprintf(stderr, "fastpath: scan: %s\n", st_strerror());
		exit(1);
	}
	return n;
}

/* The start nodes of `type` in the order a two-hop expansion meets them:
 * for each end node in id order, its `in` entries of the type. */
static void two_hop_order(st_txn *st, uint16_t type, const ids *ends, ids *out, ids *in_edges)
{
	st_adj_iter *it;
	st_adj e;
	if (st_adj_open(st, &it) != ST_OK)
		exit(1);
	for (size_t i = 0; i < ends->n; i++) {
		if (st_adj_seek(it, ST_IN, ends->v[i], type, 0) != ST_OK)
			exit(1);
		while (st_adj_read(it, &e) == 1) {
			ids_add(out, e.a_nbr);
			ids_add(in_edges, e.a_edge);
		}
	}
	st_adj_close(it);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static double read_props(gr_txn *txn, const ids *edges, uint16_t key, uint64_t *found)
{
	double t = cpu_now();
	*found = 0;
	for (size_t i = 0; i < edges->n; i++) {
		gr_value v;
		if (gr_edge_prop(txn, edges->v[i], key, &v) != GR_OK) {
			fprintf(stderr, "fastpath: relationship %u: cannot read its property\n", edges->v[i]);
			exit(1);
		}
		*found += v.type != GR_NULL;
		gr_value_free(&v);
	}
	return cpu_now() - t;
}

static double seeks(st_txn *st, const ids *starts, uint16_t type)
{
	st_adj_iter *it;
	st_adj e;
	double t;
	if (st_adj_open(st, &it) != ST_OK)
		exit(1);
	t = cpu_now();
	for (size_t i = 0; i < starts->n; i++)
		if (st_adj_seek(it, ST_OUT, starts->v[i], type, 0) != ST_OK || st_adj_read(it, &e) != 1) {
			fprintf(stderr, "fastpath: node %u: no relationship found again\n", starts->v[i]);
			exit(1);
		}
	t = cpu_now() - t;
	st_adj_close(it);
	return t;
}

int main(int argc, char **argv)
{
	const char *type_name = argc > 2 ? argv[2] : "CALLED_AT", *prop = argc > 3 ? argv[3] : "start";
	gr_db *db;
	gr_txn *txn;
	gr_error err;
	uint16_t type, key;
	ids edges = { 0 }, starts = { 0 }, ends = { 0 }, hop2 = { 0 }, shuffled = { 0 }, in_edges = { 0 };
	double best_scan = 1e9, best_prop = 1e9, best_prop_in = 1e9, best_seek[3] = { 1e9, 1e9, 1e9 };
	const ids *orders[3] = { &starts, &hop2, &shuffled };
	uint64_t n = 0, found = 0;
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: fastpath DB [TYPE [PROPERTY]]\n");
		return 2;
	}
	if (gr_open(argv[1], 0, &db, &err) != GR_OK || gr_begin(db, 0, &txn, &err) != GR_OK) {
		fprintf(stderr, "fastpath: %s: %s\n", argv[1], err.msg);
		return 1;
	}
	if (gr_sym(txn, type_name, strlen(type_name), 0, &type) != GR_OK ||
	    gr_sym(txn, prop, strlen(prop), 0, &key) != GR_OK) {
		fprintf(stderr, "fastpath: no relationship type %s or property %s\n", type_name, prop);
		return 1;
	}
	scan(gr_store_txn(txn), type, &edges, &starts, &ends);
	/* the end nodes, once each, in id order */
	qsort(ends.v, ends.n, sizeof *ends.v, cmp_u32);
	{
		size_t m = 0;
		for (size_t i = 0; i < ends.n; i++)
			if (!m || ends.v[i] != ends.v[m - 1])
				ends.v[m++] = ends.v[i];
		ends.n = m;
	}
	two_hop_order(gr_store_txn(txn), type, &ends, &hop2, &in_edges);
	/* a fixed shuffle of the start nodes */
	for (size_t i = 0; i < starts.n; i++)
		ids_add(&shuffled, starts.v[i]);
	srand(1);
	for (size_t i = shuffled.n; i > 1; i--) {
		size_t j = (size_t)rand() % i;
		uint32_t x = shuffled.v[i - 1];
		shuffled.v[i - 1] = shuffled.v[j];
		shuffled.v[j] = x;
	}
	/* each measurement in a transaction of its own, as each statement of
	 * a query has: what a transaction keeps (store/edges.c, tables.c)
	 * starts empty in each */
	for (int run = 0; run < 3; run++) {
		double t, p;
		gr_abort(txn);
		if (gr_begin(db, 0, &txn, &err) != GR_OK)
			return 1;
		t = cpu_now();
		n = scan(gr_store_txn(txn), type, NULL, NULL, NULL);
		t = cpu_now() - t;
		best_scan = t < best_scan ? t : best_scan;
		p = read_props(txn, &edges, key, &found);
		best_prop = p < best_prop ? p : best_prop;
		gr_abort(txn);
		if (gr_begin(db, 0, &txn, &err) != GR_OK)
			return 1;
		p = read_props(txn, &in_edges, key, &found);
		best_prop_in = p < best_prop_in ? p : best_prop_in;
		for (int o = 0; o < 3; o++) {
			double s;
			gr_abort(txn);
			if (gr_begin(db, 0, &txn, &err) != GR_OK)
				return 1;
			s = seeks(gr_store_txn(txn), orders[o], type) / (orders[o]->n ? orders[o]->n : 1);
			best_seek[o] = s < best_seek[o] ? s : best_seek[o];
		}
	}
	printf("adjacency scan   %10.1f M entries/s  (%llu entries)\n", n / best_scan / 1e6, (unsigned long long)n);
	printf("property read    %10.1f ns a read    (%zu %s.%s, %llu set)\n", best_prop * 1e9 / (edges.n ? edges.n : 1),
	    edges.n, type_name, prop, (unsigned long long)found);
	printf("property read    %10.1f ns a read    (the same, as the end nodes' incoming ones meet them)\n",
	    best_prop_in * 1e9 / (in_edges.n ? in_edges.n : 1));
	printf("expansion seek   %10.1f ns a seek    (%zu start nodes, ascending)\n", best_seek[0] * 1e9, starts.n);
	printf("expansion seek   %10.1f ns a seek    (%zu, as a two-hop pattern meets them)\n", best_seek[1] * 1e9, hop2.n);
	printf("expansion seek   %10.1f ns a seek    (%zu, shuffled)\n", best_seek[2] * 1e9, shuffled.n);
	gr_abort(txn);
	gr_close(db);
	free(edges.v);
	free(starts.v);
	free(ends.v);
	free(hop2.v);
	free(shuffled.v);
	free(in_edges.v);
	return 0;
}
