/*
 * test_bulk.c: the bulk import's own edges found by (src, type, dst)
 * (graph/bulk_pending.c) and its big arrays (store/bigmem.c): every way a
 * source's edges can come (one run, a long run, scattered, back after
 * others) gives exactly the edges a plain scan gives, newest first.
 */
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "graph/graph_int.h"
#include "graph/bulk_pending.h"
#include "store/bigmem.h"

typedef struct found { uint32_t ids[4096]; size_t n; } found;

static int note(void *arg, uint32_t edge)
{
	found *f = arg;
	if (f->n < sizeof f->ids / sizeof f->ids[0])
		f->ids[f->n++] = edge;
	return 0;
}

/* Compares gr_pending_each with a scan of adj[0..n) for every key there. */
static int agrees(const gr_pending *p, const st_adj_bulk *adj, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		found f = { .n = 0 }, w = { .n = 0 };
		gr_pending_each(p, adj, adj[i].b_src, adj[i].b_type, adj[i].b_dst, note, &f);
		for (size_t k = n; k-- > 0;)
			if (adj[k].b_src == adj[i].b_src && adj[k].b_dst == adj[i].b_dst && adj[k].b_type == adj[i].b_type)
				note(&w, adj[k].b_edge);
		if (f.n != w.n || memcmp(f.ids, w.ids, f.n * sizeof f.ids[0]) != 0)
			return 0;
	}
	return 1;
}

/* Fills n entries from `pick`, adds them one by one, checks as it goes. */
static void run_case(size_t n, void (*pick)(size_t i, st_adj_bulk *a))
{
	gr_pending p;
	st_adj_bulk *adj = calloc(n, sizeof *adj);
	int ok = 1;
	memset(&p, 0, sizeof p);
	CU_ASSERT_PTR_NOT_NULL_FATAL(adj);
	for (size_t i = 0; i < n && ok; i++) {
		pick(i, &adj[i]);
		adj[i].b_edge = (uint32_t)i + 100;
		CU_ASSERT_EQUAL(gr_pending_add(&p, adj, i), GR_OK);
		if (i % 97 == 0 || i + 1 == n)
			ok = agrees(&p, adj, i + 1);
	}
	CU_ASSERT(ok);
	/* a node never a source, and one past every array */
	found f = { .n = 0 };
	gr_pending_each(&p, adj, 0, 1, 1, note, &f);
	gr_pending_each(&p, adj, 4000000000u, 1, 1, note, &f);
	CU_ASSERT_EQUAL(f.n, 0);
	gr_pending_free(&p);
	free(adj);
}

/* grouped by source, 20 each, some repeated targets */
static void grouped(size_t i, st_adj_bulk *a)
{
	a->b_src = (uint32_t)(i / 20) + 1;
	a->b_dst = (uint32_t)(i * 7 % 13);
	a->b_type = 3;
}

/* grouped, but sources with runs far longer than a run may be */
static void long_runs(size_t i, st_adj_bulk *a)
{
	a->b_src = (uint32_t)(i / 300) + 1;
	a->b_dst = (uint32_t)(i % 17);
	a->b_type = (uint16_t)(1 + i % 2);
}

/* grouped by target: every source's edges scattered */
static void scattered(size_t i, st_adj_bulk *a)
{
	a->b_src = (uint32_t)(i % 50) + 1;
	a->b_dst = (uint32_t)(i / 50) % 7;
	a->b_type = 5;
}

/* runs, and sources that come back after others */
static void mixed(size_t i, st_adj_bulk *a)
{
	size_t r = (i * 2654435761u) >> 7;
	a->b_src = (uint32_t)((i / 10) % 40) + 1 + (uint32_t)(r % 3 == 0 ? 1000 : 0);
	a->b_dst = (uint32_t)(r % 5);
	a->b_type = (uint16_t)(1 + r % 2);
}

static void test_pending_orders(void)
{
	run_case(3000, grouped);
	run_case(3000, long_runs);
	run_case(6000, scattered);   /* enough hashed entries to grow the table */
	run_case(6000, mixed);
}

static void test_big_arrays(void)
{
	size_t small = 1000, big = (size_t)3 << 20;
	unsigned char *p = st_big_alloc(small);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	for (size_t i = 0; i < small; i++)
		CU_ASSERT_EQUAL_FATAL(p[i], 0);
	memset(p, 7, small);
	/* from malloc to a mapping, then a mapping grown: kept, rest zero */
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = st_big_realloc(p, big));
	CU_ASSERT(p[0] == 7 && p[small - 1] == 7 && p[small] == 0 && p[big - 1] == 0);
	p[big - 1] = 9;
	CU_ASSERT_PTR_NOT_NULL_FATAL(p = st_big_realloc(p, 4 * big));
	CU_ASSERT(p[0] == 7 && p[big - 1] == 9 && p[big] == 0 && p[4 * big - 1] == 0);
	CU_ASSERT_PTR_EQUAL(st_big_realloc(p, 10), p);   /* never shrinks */
	st_big_free(p);
	st_big_free(NULL);
}

int test_bulk_register(void)
{
	CU_pSuite s = CU_add_suite("bulk", NULL, NULL);
	if (!s ||
	    !CU_add_test(s, "pending edges in every order", test_pending_orders) ||
	    !CU_add_test(s, "big arrays", test_big_arrays))
		return -1;
	return 0;
}
