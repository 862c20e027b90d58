/*
 * test_iter.c: the cursors of graph/iter.h, through which the layers above
 * graph/ read the store: nodes (all, by label), relationships (one node,
 * one type, one neighbour, all), symbols, counts, stopping early, and the
 * log's head and hash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>

#include "fixture.h"
#include "graph/graph.h"

static char dir[64];
static gr_db *db;
static uint32_t ids[4];   /* Vessel a, Vessel b, Port p, Company c */
static uint16_t l_vessel, l_port, l_company, t_called, t_owned;

static int add_node(gr_txn *t, const char *label, const char *key, uint16_t *lsym, uint32_t *id, gr_error *err)
{
	gr_node n;
	int rc;
	gr_node_init(&n);
	if ((rc = gr_sym(t, label, strlen(label), 1, lsym)) != GR_OK)
		return rc;
	n.n_labels = malloc(sizeof *n.n_labels);
	n.n_labels[0] = *lsym;
	n.n_nlabels = 1;
	n.n_key = strdup(key);
	n.n_keylen = strlen(key);
	rc = gr_node_save(t, &n, err);
	*id = n.n_id;
	gr_node_clear(&n);
	return rc;
}

static int add_edge(gr_txn *t, uint32_t src, uint16_t type, uint32_t dst, gr_error *err)
{
	gr_edge e;
	gr_edge_init(&e);
	e.e_src = src;
	e.e_dst = dst;
	e.e_type = type;
	return gr_edge_create(t, &e, err);
}

/* a -CALLED_AT-> p twice, b -CALLED_AT-> p, a -OWNED_BY-> c */
static int build(gr_txn *t, void *arg, gr_error *err)
{
	(void)arg;
	if (add_node(t, "Vessel", "a", &l_vessel, &ids[0], err) || add_node(t, "Vessel", "b", &l_vessel, &ids[1], err) ||
	    add_node(t, "Port", "p", &l_port, &ids[2], err) || add_node(t, "Company", "c", &l_company, &ids[3], err) ||
	    gr_sym(t, "CALLED_AT", 9, 1, &t_called) || gr_sym(t, "OWNED_BY", 8, 1, &t_owned))
		return GR_EIO;
	return add_edge(t, ids[0], t_called, ids[2], err) || add_edge(t, ids[0], t_called, ids[2], err) ||
	    add_edge(t, ids[1], t_called, ids[2], err) || add_edge(t, ids[0], t_owned, ids[3], err) ? GR_EIO : GR_OK;
}

static int setup(void)
{
	gr_error err;
	if (unit_db_open("iter", dir, sizeof dir, &db))
		return -1;
	return gr_write(db, build, NULL, &err) == GR_OK ? 0 : -1;
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static void test_nodes(void)
{
	gr_txn *t;
	gr_error err;
	gr_nodes ns;
	gr_node n;
	uint32_t seen[8];
	size_t k = 0;
	int r;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	gr_nodes_open(t, 0, &ns, &err);
	while ((r = gr_nodes_next(&ns)) == 1 && k < 8) {
		seen[k++] = ns.ns_id;
		CU_ASSERT(gr_nodes_load(&ns, &n) == GR_OK);
		CU_ASSERT(n.n_id == ns.ns_id);
		gr_node_clear(&n);
	}
	CU_ASSERT(r == 0 && k == 4);
	CU_ASSERT(seen[0] == ids[0] && seen[3] == ids[3]);
	CU_ASSERT(gr_nodes_next(&ns) == 0);   /* stays at the end */
	/* by label: both vessels, decoded by id */
	gr_nodes_open(t, l_vessel, &ns, &err);
	CU_ASSERT(gr_nodes_next(&ns) == 1 && ns.ns_id == ids[0]);
	CU_ASSERT(gr_nodes_load(&ns, &n) == GR_OK && strcmp(n.n_key, "a") == 0);
	gr_node_clear(&n);
	CU_ASSERT(gr_nodes_next(&ns) == 1 && ns.ns_id == ids[1]);
	CU_ASSERT(gr_nodes_next(&ns) == 0);
	CU_ASSERT(gr_node_count(t) == 4);
	CU_ASSERT(gr_label_count(t, l_vessel) == 2 && gr_label_count(t, l_port) == 1);
	CU_ASSERT(gr_id_next(t, 0) > ids[3]);
	gr_abort(t);
}

static void test_rels(void)
{
	gr_txn *t;
	gr_error err;
	gr_rels it;
	gr_rel a;
	int n, r;
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	CU_ASSERT_FATAL(gr_rels_open(t, &it, &err) == GR_OK);
	CU_ASSERT(gr_rels_next(&it, &a) == 0);   /* not positioned: nothing */
	/* a's outgoing: two calls, then the owner (sorted by type code) */
	CU_ASSERT(gr_rels_seek(&it, ids[0], GR_OUT, 0, 0) == GR_OK);
	for (n = 0; (r = gr_rels_next(&it, &a)) == 1; n++)
		CU_ASSERT(a.r_src == ids[0] && a.r_nbr == a.r_dst && (a.r_type == t_called || a.r_type == t_owned));
	CU_ASSERT(r == 0 && n == 3);
	/* one type only, and stopping early then seeking again */
	CU_ASSERT(gr_rels_seek(&it, ids[0], GR_OUT, t_owned, 0) == GR_OK);
	CU_ASSERT(gr_rels_next(&it, &a) == 1 && a.r_dst == ids[3] && a.r_type == t_owned);
	CU_ASSERT(gr_rels_next(&it, &a) == 0);
	CU_ASSERT(gr_rels_seek(&it, ids[0], GR_OUT, t_called, 0) == GR_OK);
	CU_ASSERT(gr_rels_next(&it, &a) == 1);
	/* incoming at the port, from each vessel: r_nbr is the start node */
	CU_ASSERT(gr_rels_seek(&it, ids[2], GR_IN, t_called, ids[1]) == GR_OK);
	CU_ASSERT(gr_rels_next(&it, &a) == 1 && a.r_src == ids[1] && a.r_dst == ids[2] && a.r_nbr == ids[1]);
	CU_ASSERT(gr_rels_next(&it, &a) == 0);
	CU_ASSERT(gr_rels_seek(&it, ids[2], GR_IN, 0, 0) == GR_OK);
	for (n = 0; gr_rels_next(&it, &a) == 1; n++)
		CU_ASSERT(a.r_dst == ids[2]);
	CU_ASSERT(n == 3);
	/* a type the node has none of */
	CU_ASSERT(gr_rels_seek(&it, ids[3], GR_OUT, t_called, 0) == GR_OK);
	CU_ASSERT(gr_rels_next(&it, &a) == 0);
	/* every relationship, by start node; each found again by its start */
	gr_rels_all(&it);
	for (n = 0; (r = gr_rels_next(&it, &a)) == 1; n++) {
		uint16_t type;
		uint32_t dst;
		CU_ASSERT(gr_edge_find(t, a.r_src, a.r_edge, &type, &dst) == GR_OK && type == a.r_type && dst == a.r_dst);
	}
	CU_ASSERT(r == 0 && n == 4);
	{
		uint16_t type;
		uint32_t dst;
		CU_ASSERT(gr_edge_find(t, ids[1], 999999, &type, &dst) == GR_ENOTFOUND);
	}
	gr_rels_close(&it);
	gr_rels_close(&it);   /* twice is harmless */
	gr_abort(t);
}

static void test_syms_log(void)
{
	gr_txn *t;
	gr_error err;
	gr_syms sy;
	int found = 0, n = 0;
	uint16_t prev = 0;
	unsigned char h[GR_DIGEST_LEN];
	char hex[2 * GR_DIGEST_LEN + 1];
	CU_ASSERT_FATAL(gr_begin(db, 0, &t, &err) == GR_OK);
	gr_syms_open(t, &sy);
	while (gr_syms_next(&sy) == 1) {
		CU_ASSERT(sy.sy_id > prev);
		prev = sy.sy_id;
		found += sy.sy_id == t_owned && sy.sy_len == 8 && strcmp(sy.sy_name, "OWNED_BY") == 0;
		n++;
	}
	CU_ASSERT(found == 1 && n >= 5);
	CU_ASSERT(gr_log_head(t) >= 1);
	CU_ASSERT(gr_log_hash(t, gr_log_head(t), h) == GR_OK);
	CU_ASSERT(gr_log_hash(t, gr_log_head(t) + 1, h) == GR_ENOTFOUND);
	gr_sha256("abc", 3, h);
	gr_hex(h, sizeof h, hex);
	CU_ASSERT_STRING_EQUAL(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	gr_abort(t);
}

int test_iter_register(void)
{
	static const unit_test tests[] = {
		{ "nodes, by label, counts", test_nodes },
		{ "relationships by node, type, neighbour, all", test_rels },
		{ "symbols, log hash, sha256", test_syms_log },
	};
	return unit_suite("graph cursors", setup, teardown, tests, sizeof tests / sizeof *tests);
}
