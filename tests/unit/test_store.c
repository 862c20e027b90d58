/*
 * test_store.c: the LMDB layer: records, edge blocks, adjacency (including
 * single-entry keys, which LMDB stores without a duplicate page), record
 * size enforcement, sorted bulk insertion, map growth with replay, the
 * change-log chain and the state digest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "store/store.h"

static char dir[64];

/* A fresh store per test, in dir. */
static st_env *fresh_env(void)
{
	return unit_env_open("store", dir, sizeof dir);
}

static void drop_env(st_env *env)
{
	unit_env_close(dir, env);
}

static void test_open_missing_is_not_created(void)
{
	st_env *env;
	char why[256];
	CU_ASSERT_EQUAL(st_open("/tmp/sg-unit-no-such-db", 0, &env, why, sizeof why), ST_ENODB);
	CU_ASSERT_EQUAL(access("/tmp/sg-unit-no-such-db", F_OK), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "no database"));
}

static void test_node_records_roundtrip(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	const void *rec;
	size_t len;
	uint32_t id = 0, first;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_alloc(t, 3, &first), ST_OK);
	CU_ASSERT_EQUAL(first, 1);
	CU_ASSERT_EQUAL(st_node_put(t, 2, "bb", 2), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 1, "a", 1), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 3, "ccc", 3), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 2, "BB", 2), ST_OK);     /* replace */
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_get(t, 2, &rec, &len), ST_OK);
	CU_ASSERT(len == 2 && memcmp(rec, "BB", 2) == 0);
	CU_ASSERT_EQUAL(st_node_get(t, 9, &rec, &len), ST_ENOTFOUND);
	CU_ASSERT_EQUAL(st_node_count(t), 3);
	int n = 0;
	while (st_node_next(t, &id, &rec, &len) == ST_OK)
		CU_ASSERT_EQUAL(id, (uint32_t)++n);
	CU_ASSERT_EQUAL(n, 3);
	st_txn_abort(t);
	drop_env(env);
}

static void test_edge_blocks(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	const void *rec;
	size_t len;
	char buf[32];
	uint32_t id;
	int n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (id = 1; id <= 300; id++) {
		int l = snprintf(buf, sizeof buf, "edge-%u", id);
		if (id % 7 == 0)
			continue;   /* edges without a record */
		CU_ASSERT_EQUAL(st_edge_put(t, id, buf, (size_t)l), ST_OK);
	}
	CU_ASSERT_EQUAL(st_edge_put(t, 5, "five, longer now", 16), ST_OK);   /* replace inside a block */
	CU_ASSERT_EQUAL(st_edge_del(t, 6), ST_OK);
	CU_ASSERT_EQUAL(st_edge_del(t, 6), ST_ENOTFOUND);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 5, &rec, &len), ST_OK);
	CU_ASSERT(len == 16 && memcmp(rec, "five, longer now", 16) == 0);
	CU_ASSERT_EQUAL(st_edge_get(t, 64, &rec, &len), ST_OK);
	CU_ASSERT(len == 7 && memcmp(rec, "edge-64", 7) == 0);
	CU_ASSERT_EQUAL(st_edge_get(t, 7, &rec, &len), ST_ENOTFOUND);
	CU_ASSERT_EQUAL(st_edge_get(t, 6, &rec, &len), ST_ENOTFOUND);
	CU_ASSERT_EQUAL(st_edge_get(t, 301, &rec, &len), ST_ENOTFOUND);
	id = 0;
	n = 0;
	uint32_t prev = 0;
	while (st_edge_next(t, &id, &rec, &len) == ST_OK) {
		CU_ASSERT(id > prev);
		CU_ASSERT(id % 7 != 0 && id != 6);
		prev = id;
		n++;
	}
	CU_ASSERT_EQUAL(n, 300 - 42 - 1);
	st_txn_abort(t);
	drop_env(env);
}

static void test_adjacency(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_adj_iter *it;
	st_adj e;
	uint64_t cnt;
	int n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	/* node 1: one edge only (LMDB keeps a lone value without a dup page) */
	CU_ASSERT_EQUAL(st_adj_add(t, 1, 5, 2, 100), ST_OK);
	/* node 3: many edges of two types, and repeated edges to one node */
	for (uint32_t i = 0; i < 1000; i++)
		CU_ASSERT_EQUAL(st_adj_add(t, 3, (uint16_t)(i % 2 ? 7 : 9), 10 + i % 50, 200 + i), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_adj_open(t, &it), ST_OK);
	CU_ASSERT_EQUAL(st_adj_seek(it, ST_OUT, 1, 0, 0), ST_OK);
	CU_ASSERT_EQUAL(st_adj_read(it, &e), 1);
	CU_ASSERT(e.a_type == 5 && e.a_nbr == 2 && e.a_edge == 100);
	CU_ASSERT_EQUAL(st_adj_read(it, &e), 0);
	CU_ASSERT_EQUAL(st_adj_seek(it, ST_IN, 2, 5, 0), ST_OK);
	CU_ASSERT_EQUAL(st_adj_read(it, &e), 1);
	CU_ASSERT(e.a_nbr == 1 && e.a_edge == 100);
	CU_ASSERT_EQUAL(st_adj_seek(it, ST_OUT, 1, 6, 0), ST_OK);   /* other type */
	CU_ASSERT_EQUAL(st_adj_read(it, &e), 0);
	CU_ASSERT_EQUAL(st_adj_seek(it, ST_OUT, 3, 7, 0), ST_OK);
	n = 0;
	while (st_adj_read(it, &e) == 1) {
		CU_ASSERT_EQUAL(e.a_type, 7);
		n++;
	}
	CU_ASSERT_EQUAL(n, 500);   /* spans several pages: GET_MULTIPLE/NEXT_MULTIPLE */
	CU_ASSERT_EQUAL(st_adj_seek(it, ST_OUT, 3, 9, 10), ST_OK);  /* type and neighbour */
	n = 0;
	while (st_adj_read(it, &e) == 1) {
		CU_ASSERT(e.a_type == 9 && e.a_nbr == 10);
		n++;
	}
	CU_ASSERT_EQUAL(n, 20);   /* i = 0, 50, ..., 950 */
	CU_ASSERT_EQUAL(st_adj_count(t, ST_OUT, 3, 0, &cnt), ST_OK);
	CU_ASSERT_EQUAL(cnt, 1000);
	CU_ASSERT_EQUAL(st_adj_count(t, ST_OUT, 3, 9, &cnt), ST_OK);
	CU_ASSERT_EQUAL(cnt, 500);
	uint16_t ty;
	uint32_t dst;
	CU_ASSERT_EQUAL(st_edge_find(t, 3, 777, &ty, &dst), ST_OK);
	CU_ASSERT(ty == 7 && dst == 10 + 577 % 50);
	CU_ASSERT_EQUAL(st_edge_find(t, 3, 99999, &ty, &dst), ST_ENOTFOUND);
	/* a scan sees every outgoing entry once */
	uint32_t src = 0;
	n = 0;
	while (st_adj_scan(it, &src, &e) == 1)
		n++;
	CU_ASSERT_EQUAL(n, 1001);
	st_adj_close(it);
	st_txn_abort(t);
	drop_env(env);
}

/* Relationship type codes: 255 types whose symbols all fall in one slot of
 * a transaction's code table (multiples of 512 here; 0..65535 in general)
 * each keep their own code, in the writing transaction and in a later
 * reading one; a 256th type is refused. */
static void test_type_codes(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_adj_iter *it;
	st_adj e;
	uint16_t ty;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (uint32_t i = 0; i < 255; i++) {
		ty = (uint16_t)(i * 512 % 65536 + i / 128);   /* distinct, all colliding */
		CU_ASSERT_EQUAL(st_adj_add(t, 1 + i, ty, 1000 + i, 10 + i), ST_OK);
	}
	CU_ASSERT_EQUAL(st_adj_add(t, 300, 7, 301, 400), ST_ELIMIT);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_adj_open(t, &it), ST_OK);
	for (uint32_t i = 0; i < 255; i++) {
		ty = (uint16_t)(i * 512 % 65536 + i / 128);
		CU_ASSERT_EQUAL(st_adj_seek(it, ST_OUT, 1 + i, ty, 0), ST_OK);
		CU_ASSERT_EQUAL(st_adj_read(it, &e), 1);
		CU_ASSERT(e.a_type == ty && e.a_nbr == 1000 + i && e.a_edge == 10 + i);
	}
	st_adj_close(it);
	st_txn_abort(t);
	drop_env(env);
}

static void test_bulk_adjacency_and_digest(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_adj_bulk b[5000];
	unsigned char cur[32], re[32];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	for (uint32_t i = 0; i < 5000; i++) {
		b[i].b_src = 1 + (i * 7919) % 97;
		b[i].b_dst = 1 + (i * 104729) % 89;
		b[i].b_edge = 1 + i;
		b[i].b_type = (uint16_t)(1 + i % 3);
	}
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_adj_add_many(t, b, 2500), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 1, "x", 1), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	/* a second batch into existing keys: inserts, not appends */
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_adj_add_many(t, b + 2500, 2500), ST_OK);
	CU_ASSERT_EQUAL(st_adj_add(t, 1, 1, 1, 9999), ST_OK);
	CU_ASSERT_EQUAL(st_adj_del(t, 1, 1, 1, 9999), ST_OK);
	st_digest_current(t, cur);
	CU_ASSERT_EQUAL(st_digest_recompute(t, re), ST_OK);
	CU_ASSERT(memcmp(cur, re, 32) == 0);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	uint64_t total = 0, in = 0, k;
	for (uint32_t n = 1; n <= 97; n++) {
		CU_ASSERT_EQUAL(st_adj_count(t, ST_OUT, n, 0, &k), ST_OK);
		total += k;
		CU_ASSERT_EQUAL(st_adj_count(t, ST_IN, n, 0, &k), ST_OK);
		in += k;
	}
	CU_ASSERT_EQUAL(total, 5000);
	CU_ASSERT_EQUAL(in, 5000);
	CU_ASSERT_EQUAL(st_digest_stored(t, cur), ST_OK);
	CU_ASSERT_EQUAL(st_digest_recompute(t, re), ST_OK);
	CU_ASSERT(memcmp(cur, re, 32) == 0);
	st_txn_abort(t);
	drop_env(env);
}


typedef struct label_seen {
	uint32_t n, last;
	uint64_t sum;
	int ordered;
} label_seen;

static void label_note(void *arg, uint32_t node)
{
	label_seen *ls = arg;
	if (ls->n == 0)
		ls->ordered = 1;
	if (node <= ls->last)
		ls->ordered = 0;
	ls->last = node;
	ls->sum += node;
	ls->n++;
}

static void test_indexes_and_batches(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_index_batch *b;
	uint32_t node;
	uint16_t l;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_sym_intern(t, "Vessel", 6, &l), ST_OK);
	CU_ASSERT_EQUAL(l, 1);
	CU_ASSERT_EQUAL(st_sym_intern(t, "Vessel", 6, &l), ST_OK);
	CU_ASSERT_EQUAL(l, 1);
	b = st_batch_new();
	for (uint32_t i = 1; i <= 1000; i++) {
		char k[16];
		int kl = snprintf(k, sizeof k, "K%05u", 1001 - i);
		CU_ASSERT_EQUAL(st_batch_key(b, 1, k, (size_t)kl, i), ST_OK);
		CU_ASSERT_EQUAL(st_batch_label(b, 1, i), ST_OK);
		CU_ASSERT_EQUAL(st_batch_ident(b, 'n', "same name", 9, i), ST_OK);
	}
	CU_ASSERT_EQUAL(st_batch_flush(t, b), ST_OK);
	st_batch_free(b);
	CU_ASSERT_EQUAL(st_key_get(t, 1, "K00001", 6, &node), ST_OK);
	CU_ASSERT_EQUAL(node, 1000);
	CU_ASSERT_EQUAL(st_key_put(t, 1, "K00001", 6, 5), ST_EEXISTS);
	CU_ASSERT_EQUAL(st_label_count(t, 1), 1000);
	/* the batched read sees every node once, in id order, across pages */
	label_seen ls = { 0 };
	CU_ASSERT_EQUAL(st_label_each(t, 1, label_note, &ls), ST_OK);
	CU_ASSERT_EQUAL(ls.n, 1000);
	CU_ASSERT_EQUAL(ls.sum, 1000u * 1001u / 2);
	CU_ASSERT_TRUE(ls.ordered);
	label_seen none = { 0 };
	CU_ASSERT_EQUAL(st_label_each(t, 7, label_note, &none), ST_OK);
	CU_ASSERT_EQUAL(none.n, 0);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	drop_env(env);
}

static int grow_body(st_txn *t, void *arg)
{
	int *calls = arg;
	char rec[900];
	int rc;
	++*calls;
	memset(rec, 'x', sizeof rec);
	for (uint32_t i = 1; i <= 2000; i++)
		if ((rc = st_node_put(t, i, rec, sizeof rec)) != ST_OK)
			return rc;
	return ST_OK;
}

static void test_map_growth_replays(void)
{
	st_env *env;
	st_txn *t;
	char why[256], cmd[128];
	int calls = 0;
	snprintf(dir, sizeof dir, "/tmp/sg-unit-store.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	setenv("SANCTGRAPH_MAPSIZE", "65536", 1);
	CU_ASSERT_EQUAL_FATAL(st_open(dir, 1, &env, why, sizeof why), ST_OK);
	unsetenv("SANCTGRAPH_MAPSIZE");
	CU_ASSERT_EQUAL(st_write(env, grow_body, &calls), ST_OK);
	CU_ASSERT(calls > 1);   /* the map filled at least once and was replayed */
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_count(t), 2000);
	st_txn_abort(t);
	drop_env(env);
}

/* 65,535 names in a database's lifetime: the next is refused with a
 * message naming the limit, not taken for a bad name. */
static void test_symbol_limit(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	uint16_t id = 0;
	char name[16];
	int rc = ST_OK;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (unsigned i = 1; i <= 65535 && rc == ST_OK; i++) {
		snprintf(name, sizeof name, "p%u", i);
		rc = st_sym_intern(t, name, strlen(name), &id);
	}
	CU_ASSERT_EQUAL(rc, ST_OK);
	CU_ASSERT_EQUAL(id, 65535);
	CU_ASSERT_EQUAL(st_sym_intern(t, "one-more", 8, &id), ST_ELIMIT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st_strerror(), "65535"));
	CU_ASSERT_EQUAL(st_sym_intern(t, "p7", 2, &id), ST_OK);   /* known names still resolve */
	CU_ASSERT_EQUAL(id, 7);
	st_txn_abort(t);
	drop_env(env);
}

static void damage(const char *path, long off, unsigned char byte)
{
	FILE *f = fopen(path, "r+b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fseek(f, off, SEEK_SET);
	fputc(byte, f);
	fclose(f);
}

/* The page walk: a sound database passes; a truncated file, and a root page
 * whose node offsets are damaged, are refused at open as damaged. */
static void test_page_walk(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	char why[512], path[128], cmd[400];
	uint32_t first;
	long problems;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_alloc(t, 500, &first), ST_OK);
	for (uint32_t i = 1; i <= 500; i++)
		CU_ASSERT_EQUAL(st_node_put(t, i, "record bytes of some length", 27), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	problems = st_verify(t, NULL, NULL, 0);
	CU_ASSERT_EQUAL(problems, 0);
	st_txn_abort(t);
	st_close(env);
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	snprintf(cmd, sizeof cmd, "cp %s %s.good", path, path);
	CU_ASSERT_EQUAL(system(cmd), 0);
	/* truncated: the last pages are gone */
	CU_ASSERT_EQUAL(truncate(path, 3 * 4096), 0);
	CU_ASSERT_EQUAL(st_open(dir, 0, &env, why, sizeof why), ST_ECORRUPT);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "truncated"));
	/* the main table's root page (from the newer meta page): the high byte
	 * of its free-space upper bound */
	snprintf(cmd, sizeof cmd, "cp %s.good %s", path, path);
	CU_ASSERT_EQUAL(system(cmd), 0);
	{
		FILE *f = fopen(path, "rb");
		uint64_t txn[2], root[2];
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		for (int i = 0; i < 2; i++) {
			fseek(f, i * 4096 + 16 + 72 + 40, SEEK_SET);
			CU_ASSERT_EQUAL(fread(&root[i], 8, 1, f), 1);
			fseek(f, i * 4096 + 16 + 128, SEEK_SET);
			CU_ASSERT_EQUAL(fread(&txn[i], 8, 1, f), 1);
		}
		fclose(f);
		damage(path, (long)root[txn[1] > txn[0]] * 4096 + 15, 0xff);
	}
	CU_ASSERT_EQUAL(st_open(dir, 0, &env, why, sizeof why), ST_ECORRUPT);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "damaged"));
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_log_chain(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	uint64_t seq;
	const unsigned char *h1, *p1, *h2, *p2;
	const void *b;
	size_t len;
	unsigned char zero[32] = { 0 };
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_log_append(t, "first", 5, &seq), ST_OK);
	CU_ASSERT_EQUAL(seq, 1);
	CU_ASSERT_EQUAL(st_log_append(t, "second", 6, &seq), ST_OK);
	CU_ASSERT_EQUAL(seq, 2);
	CU_ASSERT_EQUAL(st_log_get(t, 1, &h1, &p1, &b, &len), ST_OK);
	CU_ASSERT(memcmp(p1, zero, 32) == 0);
	CU_ASSERT_EQUAL(st_log_get(t, 2, &h2, &p2, &b, &len), ST_OK);
	CU_ASSERT(memcmp(p2, h1, 32) == 0);
	CU_ASSERT(len == 6 && memcmp(b, "second", 6) == 0);
	CU_ASSERT_EQUAL(st_log_head(t), 2);
	st_txn_abort(t);
	drop_env(env);
}

int test_store_register(void)
{
	static const unit_test tests[] = {
		{ "open_missing_is_not_created", test_open_missing_is_not_created },
		{ "node_records_roundtrip", test_node_records_roundtrip },
		{ "edge_blocks", test_edge_blocks },
		{ "adjacency", test_adjacency },
		{ "type_codes", test_type_codes },
		{ "bulk_adjacency_and_digest", test_bulk_adjacency_and_digest },
		{ "indexes_and_batches", test_indexes_and_batches },
		{ "map_growth_replays", test_map_growth_replays },
		{ "log_chain", test_log_chain },
		{ "symbol_limit", test_symbol_limit },
		{ "page_walk", test_page_walk },
	};
	return unit_suite("store", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
