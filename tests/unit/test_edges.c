/*
 * test_edges.c: the edge block layout (store/edges.c): uniform and offset
 * table blocks, u32 offsets past 64 KiB, rewrites within a block, reads in
 * a read transaction from the blocks it keeps, and damaged blocks refused:
 * offsets out of range, out of order, lengths that do not fill the block.
 * And the adjacency a read transaction keeps (store/tables.c): seeks from
 * it read what seeks through LMDB read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "store/store_int.h"

static char dir[64];

/* A fresh store per test, in dir. */
static st_env *fresh_env(void)
{
	st_env *env = unit_env_open("edges", dir, sizeof dir);
	/* what is tested here is reading through the map, which a new
	 * process's first few dozen point reads do not (store/pgread.c) */
	if (env && st_pr_set_budget(env, 0) != ST_OK)
		return NULL;
	return env;
}

static void drop_env(st_env *env)
{
	unit_env_close(dir, env);
}

/* The packed bytes of block `no` as stored (copied into buf). */
static size_t stored_block(st_env *env, uint32_t no, unsigned char *buf, size_t cap)
{
	st_txn *t;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	size_t n = 0;
	if (st_txn_begin(env, 0, &t) != ST_OK)
		return 0;
	st_put32(kb, no);
	if (mdb_get(t->t_txn, DBI(t, ST_EDGES), &k, &v) == 0 && v.mv_size <= cap) {
		memcpy(buf, v.mv_data, v.mv_size);
		n = v.mv_size;
	}
	st_txn_abort(t);
	return n;
}

/* Stores raw bytes as block `no`, past the store's own checks. */
static int put_block(st_env *env, uint32_t no, const unsigned char *b, size_t n)
{
	MDB_txn *m;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v = { n, (void *)b };
	st_put32(kb, no);
	if (mdb_txn_begin(env->e_env, NULL, 0, &m))
		return -1;
	if (mdb_put(m, env->e_dbi[ST_EDGES], &k, &v, 0)) {
		mdb_txn_abort(m);
		return -1;
	}
	return mdb_txn_commit(m) ? -1 : 0;
}

static void test_uniform_and_table(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	unsigned char b[4096];
	const void *rec;
	size_t len, n;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	/* block 0: ids 1..63 all 4 bytes; block 1: lengths vary */
	for (uint32_t id = 1; id < 64; id++)
		CU_ASSERT_EQUAL(st_edge_put(t, id, "abcd", 4), ST_OK);
	for (uint32_t id = 64; id < 128; id += 3)
		CU_ASSERT_EQUAL(st_edge_put(t, id, "0123456789", 1 + id % 9), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);

	n = stored_block(env, 0, b, sizeof b);
	CU_ASSERT_EQUAL(n, 10 + 63 * 4);             /* uniform: no table */
	CU_ASSERT_EQUAL(st_get16(b + 8), 4);
	CU_ASSERT_EQUAL(st_blk_check(b, n), 0);
	n = stored_block(env, 1, b, sizeof b);
	CU_ASSERT_EQUAL(st_get16(b + 8), 0);         /* an offset table */
	CU_ASSERT_EQUAL(st_blk_check(b, n), 0);

	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (uint32_t id = 64; id < 128; id++) {
		int rc = st_edge_get(t, id, &rec, &len);
		if ((id - 64) % 3) {
			CU_ASSERT_EQUAL(rc, ST_ENOTFOUND);
		} else {
			CU_ASSERT_EQUAL(rc, ST_OK);
			CU_ASSERT(len == 1 + id % 9 && memcmp(rec, "0123456789", len) == 0);
		}
	}
	CU_ASSERT_EQUAL(st_edge_get(t, 63, &rec, &len), ST_OK);   /* back to block 0 */
	CU_ASSERT(len == 4 && memcmp(rec, "abcd", 4) == 0);
	CU_ASSERT_EQUAL(st_edge_get(t, 200, &rec, &len), ST_ENOTFOUND);   /* no block */
	st_txn_abort(t);

	/* rewrites: a uniform block becomes a table and back */
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_put(t, 10, "longer", 6), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 10, &rec, &len), ST_OK);
	CU_ASSERT(len == 6 && memcmp(rec, "longer", 6) == 0);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	n = stored_block(env, 0, b, sizeof b);
	CU_ASSERT_EQUAL(st_get16(b + 8), 0);
	CU_ASSERT_EQUAL(n, 10 + 63 * 2 + 62 * 4 + 6);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_put(t, 10, "wxyz", 4), ST_OK);
	CU_ASSERT_EQUAL(st_edge_del(t, 11), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	n = stored_block(env, 0, b, sizeof b);
	CU_ASSERT_EQUAL(n, 10 + 62 * 4);
	CU_ASSERT_EQUAL(st_get16(b + 8), 4);
	drop_env(env);
}

static void test_wide_offsets(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	static unsigned char big[30000], b[200000];
	const void *rec;
	size_t len, n;
	uint32_t id = 0;
	int seen = 0;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (unsigned char)(i * 7);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	/* three records of different lengths past 64 KiB: u32 offsets */
	CU_ASSERT_EQUAL(st_edge_put(t, 2, big, 30000), ST_OK);
	CU_ASSERT_EQUAL(st_edge_put(t, 3, big + 1, 29999), ST_OK);
	CU_ASSERT_EQUAL(st_edge_put(t, 40, big + 2, 29998), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	n = stored_block(env, 0, b, sizeof b);
	CU_ASSERT_EQUAL(n, 10 + 3 * 4 + 30000 + 29999 + 29998);
	CU_ASSERT_EQUAL(st_blk_check(b, n), 0);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 40, &rec, &len), ST_OK);
	CU_ASSERT(len == 29998 && memcmp(rec, big + 2, len) == 0);
	while (st_edge_next(t, &id, &rec, &len) == ST_OK)
		seen++;
	CU_ASSERT_EQUAL(seen, 3);
	st_txn_abort(t);
	drop_env(env);
}

/* Many blocks read in one read transaction, in a scattered order and
 * twice: after the first 8,192 lookups they come from the blocks it keeps
 * (uniform ones through the kept length), and read the same. */
static void test_kept_blocks(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	const void *rec;
	size_t len;
	char want[32];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (uint32_t id = 1; id < 64 * 400; id++) {
		int l = snprintf(want, sizeof want, "r%08u", id);
		if (id % 64 == 7 && (id >> 6) % 2)
			l = snprintf(want, sizeof want, "longer r%08u", id);   /* odd blocks: offset tables */
		if (id % 5 != 3)
			CU_ASSERT_EQUAL(st_edge_put(t, id, want, (size_t)l), ST_OK);
	}
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < 64 * 400; i++) {
			uint32_t id = (i * 7919u) % (64 * 400);   /* every id once, scattered */
			int l = snprintf(want, sizeof want, "r%08u", id), rc;
			if (id % 64 == 7 && (id >> 6) % 2)
				l = snprintf(want, sizeof want, "longer r%08u", id);
			rc = st_edge_get(t, id, &rec, &len);
			if (id == 0 || id % 5 == 3) {
				CU_ASSERT_EQUAL(rc, ST_ENOTFOUND);
			} else {
				CU_ASSERT_EQUAL(rc, ST_OK);
				CU_ASSERT(rc == ST_OK && len == (size_t)l && memcmp(rec, want, len) == 0);
			}
		}
	CU_ASSERT_PTR_NOT_NULL(t->t_bc);
	st_txn_abort(t);
	drop_env(env);
}

/* Damaged blocks: each is refused by the O(1) read, the full check and
 * the scan, and none is read past. */
static void test_damaged_blocks(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	unsigned char good[4096], bad[4096];
	const unsigned char *r;
	const void *rec;
	size_t n, len;
	uint32_t id;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (uint32_t i = 64; i < 74; i++)
		CU_ASSERT_EQUAL(st_edge_put(t, i, "0123456789", 1 + i % 5), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	n = stored_block(env, 1, good, sizeof good);
	CU_ASSERT_FATAL(n == 10 + 10 * 2 + 2 * (1 + 2 + 3 + 4 + 5));
	CU_ASSERT_EQUAL(st_blk_record(good, n, 5, &r, &len), 1);
	CU_ASSERT(len == 1 + 69 % 5);

	struct { const char *what; size_t at, len; unsigned v; } cases[] = {
		{ "end past the block", 10 + 2 * 5, 2, 0x7fff },
		{ "end before the table", 10 + 2 * 5, 2, 12 },
		{ "ends out of order", 10 + 2 * 4, 2, st_get16(good + 10 + 2 * 2) },
		{ "last end short of the block", 10 + 2 * 9, 2, (unsigned)n - 1 },
		{ "uniform length that does not fill the block", 8, 2, 3 },
		{ "bitmap with more records than the table", 0, 8, 0xffff },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		memcpy(bad, good, n);
		if (cases[c].len == 2)
			st_put16(bad + cases[c].at, (uint16_t)cases[c].v);
		else
			st_put64(bad + cases[c].at, ((uint64_t)1 << 63) | 0xffffffffull);
		CU_ASSERT_EQUAL(st_blk_check(bad, n), -1);
		if (st_blk_check(bad, n) != -1)
			fprintf(stderr, "not refused: %s\n", cases[c].what);
		/* an O(1) read of any record gives a record inside the block or
		 * refuses it */
		for (unsigned low = 0; low < 64; low++) {
			int rc = st_blk_record(bad, n, low, &r, &len);
			CU_ASSERT(rc <= 0 || (r >= bad + 10 && r + len <= bad + n && len > 0));
		}
		CU_ASSERT_EQUAL_FATAL(put_block(env, 1, bad, n), 0);
		CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
		id = 0;
		CU_ASSERT_EQUAL(st_edge_next(t, &id, &rec, &len), ST_ECORRUPT);
		st_txn_abort(t);
		/* never rewritten from it (the checks before a first write may
		 * refuse the transaction already) */
		if (st_txn_begin(env, 1, &t) == ST_OK) {
			CU_ASSERT_EQUAL(st_edge_put(t, 70, "x", 1), ST_ECORRUPT);
			st_txn_abort(t);
		}
	}
	/* the record read itself refuses an end out of range */
	memcpy(bad, good, n);
	st_put16(bad + 10 + 2 * 5, 0x7fff);
	CU_ASSERT_EQUAL(st_blk_record(bad, n, 5, &r, &len), -1);
	CU_ASSERT_EQUAL(st_blk_record(bad, n, 6, &r, &len), -1);
	CU_ASSERT_EQUAL(st_blk_record(bad, 9, 5, &r, &len), -1);   /* shorter than its header */
	CU_ASSERT_EQUAL_FATAL(put_block(env, 1, bad, n), 0);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 69, &rec, &len), ST_ECORRUPT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st_strerror(), "edge block 1 is malformed"));
	st_txn_abort(t);
	/* a block shorter than its header, read in a read transaction */
	CU_ASSERT_EQUAL_FATAL(put_block(env, 1, good, 9), 0);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 65, &rec, &len), ST_ECORRUPT);
	st_txn_abort(t);
	/* many lookups: the transaction keeps every block it finds, and a
	 * damaged one is refused from there as well */
	CU_ASSERT_EQUAL_FATAL(put_block(env, 1, bad, n), 0);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (int i = 0; i < 9000; i++) {
		int rc = st_edge_get(t, (uint32_t)(64 * (2 + i % 300) + 1), &rec, &len);   /* blocks with no records */
		CU_ASSERT_EQUAL(rc, ST_ENOTFOUND);
	}
	CU_ASSERT_PTR_NOT_NULL(t->t_bc);
	CU_ASSERT_EQUAL(st_edge_get(t, 69, &rec, &len), ST_ECORRUPT);
	CU_ASSERT_EQUAL(st_edge_get(t, 69, &rec, &len), ST_ECORRUPT);   /* and again, from the kept slot */
	CU_ASSERT_EQUAL(st_edge_get(t, 64, &rec, &len), ST_OK);         /* record 0 is whole */
	st_txn_abort(t);
	drop_env(env);
}

/* All entries of one seek, as "type:nbr:edge;" text. */
static void seek_text(st_adj_iter *it, int d, uint32_t node, uint16_t type, uint32_t nbr, char *out, size_t n)
{
	st_adj e;
	size_t at = 0;
	out[0] = 0;
	if (st_adj_seek(it, d, node, type, nbr) != ST_OK) {
		snprintf(out, n, "error");
		return;
	}
	while (st_adj_read(it, &e) == 1 && at + 40 < n)
		at += (size_t)snprintf(out + at, n - at, "%u:%u:%u;", e.a_type, e.a_nbr, e.a_edge);
}

static void test_kept_adjacency(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_adj_iter *it;
	uint16_t ta, tb;
	uint32_t edge = 1;
	static char first[400][2][4][2048], again[2048];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_sym_intern(t, "A", 1, &ta), ST_OK);
	CU_ASSERT_EQUAL(st_sym_intern(t, "B", 1, &tb), ST_OK);
	/* nodes 1..399: a few entries of two types; node 5: 3,000 entries,
	 * more than one page; node 7: none */
	for (uint32_t n = 1; n < 400; n++)
		for (uint32_t k = 0; n != 7 && k < (n == 5 ? 3000u : n % 6); k++)
			CU_ASSERT_EQUAL(st_adj_add(t, n, k % 2 ? ta : tb, 1 + (n * 31 + k * 17) % 399, edge++), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_adj_open(t, &it), ST_OK);
	/* the reference, through LMDB: too few seeks for the transaction to
	 * keep anything */
	for (uint32_t n = 1; n < 400; n++)
		for (int d = 0; d < 2; d++) {
			seek_text(it, d, n, 0, 0, first[n][d][0], sizeof first[n][d][0]);
			seek_text(it, d, n, ta, 0, first[n][d][1], sizeof first[n][d][1]);
			seek_text(it, d, n, tb, 0, first[n][d][2], sizeof first[n][d][2]);
			seek_text(it, d, n, tb, 1 + (n * 31) % 399, first[n][d][3], sizeof first[n][d][3]);
		}
	CU_ASSERT_PTR_NULL(t->t_ac[0]);
	CU_ASSERT_STRING_EQUAL(first[7][ST_OUT][0], "");
	CU_ASSERT(strlen(first[5][ST_OUT][1]) > 1000);
	st_adj_close(it);
	st_txn_abort(t);
	/* a new transaction seeks enough to keep nodes' entries, then every
	 * seek again, in reverse: each node's first from LMDB, the rest from
	 * what it keeps */
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_adj_open(t, &it), ST_OK);
	for (int i = 0; i < 8200; i++)
		seek_text(it, ST_OUT, 398 + (uint32_t)(i % 2), 0, 0, again, sizeof again);
	CU_ASSERT_PTR_NOT_NULL(t->t_ac[0]);
	for (uint32_t n = 399; n >= 1; n--)
		for (int d = 0; d < 2; d++) {
			seek_text(it, d, n, 0, 0, again, sizeof again);
			CU_ASSERT_STRING_EQUAL(again, first[n][d][0]);
			seek_text(it, d, n, ta, 0, again, sizeof again);
			CU_ASSERT_STRING_EQUAL(again, first[n][d][1]);
			seek_text(it, d, n, tb, 0, again, sizeof again);
			CU_ASSERT_STRING_EQUAL(again, first[n][d][2]);
			seek_text(it, d, n, tb, 1 + (n * 31) % 399, again, sizeof again);
			CU_ASSERT_STRING_EQUAL(again, first[n][d][3]);
		}
	st_adj_close(it);
	st_txn_abort(t);
	drop_env(env);
}

/* Thousands of blocks read in one read transaction, four times over in a
 * scattered order: the blocks it keeps start at 4,096 slots and double as
 * the lookups that miss them mount, and every read through the moved
 * slots reads the same. */
static void test_growing_blocks(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	const void *rec;
	size_t len;
	char want[32];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	for (uint32_t b = 1; b <= 6000; b++) {
		int l = snprintf(want, sizeof want, "b%u", b);
		CU_ASSERT_EQUAL(st_edge_put(t, 64 * b + 1, want, (size_t)l), ST_OK);
	}
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (int pass = 0; pass < 4; pass++)
		for (uint32_t i = 0; i < 6000; i++) {
			uint32_t b = 1 + (i * 4099u + (uint32_t)pass) % 6000;
			int l = snprintf(want, sizeof want, "b%u", b), rc = st_edge_get(t, 64 * b + 1, &rec, &len);
			CU_ASSERT_EQUAL(rc, ST_OK);
			CU_ASSERT(rc == ST_OK && len == (size_t)l && memcmp(rec, want, len) == 0);
			CU_ASSERT_EQUAL(st_edge_get(t, 64 * b + 2, &rec, &len), ST_ENOTFOUND);
		}
	CU_ASSERT_PTR_NOT_NULL(t->t_bc);
	CU_ASSERT(t->t_bc_mask + 1 > 4096);
	st_txn_abort(t);
	drop_env(env);
}

/* The same for adjacency: 6,000 nodes sought four times over; the entries
 * kept start at 4,096 slots per direction and double. */
static void test_growing_adjacency(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	st_adj_iter *it;
	uint16_t ta;
	char got[256], want[64];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_sym_intern(t, "A", 1, &ta), ST_OK);
	/* the records only bound the table's size (by the highest node) */
	for (uint32_t n = 1; n <= 6000; n++) {
		CU_ASSERT_EQUAL(st_node_put(t, n, "x", 1), ST_OK);
		CU_ASSERT_EQUAL(st_adj_add(t, n, ta, 1 + n % 97, n), ST_OK);
	}
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_adj_open(t, &it), ST_OK);
	for (int pass = 0; pass < 4; pass++)
		for (uint32_t i = 0; i < 6000; i++) {
			uint32_t n = 1 + (i * 4099u + (uint32_t)pass) % 6000;
			snprintf(want, sizeof want, "%u:%u:%u;", ta, 1 + n % 97, n);
			seek_text(it, ST_OUT, n, 0, 0, got, sizeof got);
			CU_ASSERT_STRING_EQUAL(got, want);
		}
	CU_ASSERT_PTR_NOT_NULL(t->t_ac[ST_OUT]);
	CU_ASSERT(t->t_ac_mask[ST_OUT] + 1 > 4096);
	st_adj_close(it);
	st_txn_abort(t);
	drop_env(env);
}

/* The store knows where LMDB mapped the file (LMDB does not say: its
 * me_mapaddr is set only with MDB_FIXEDMAP), so a stored value that would
 * reach past the end of the file is refused instead of read (SIGBUS). */
static void test_map_bounds(void)
{
	st_env *env = fresh_env();
	st_txn *t;
	const unsigned char magic[4] = { 0xde, 0xc0, 0xef, 0xbe };
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_put(t, 1, "x", 1), ST_OK);
	CU_ASSERT_EQUAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_edge_get(t, 1, &(const void *){ NULL }, &(size_t){ 0 }), ST_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env->e_map);
	/* page 0 is a meta page: LMDB's magic follows its 16-byte header */
	CU_ASSERT_EQUAL(memcmp(env->e_map + 16, magic, 4), 0);
	MDB_val in = { 8, (void *)(env->e_map + env->e_file - 8) };
	MDB_val past = { 16, (void *)(env->e_map + env->e_file - 8) };
	CU_ASSERT_EQUAL(st_val_ok(t, &in, "test"), ST_OK);
	CU_ASSERT_EQUAL(st_val_ok(t, &past, "test"), ST_ECORRUPT);
	st_txn_abort(t);
	drop_env(env);
}

int test_edges_register(void)
{
	static const unit_test tests[] = {
		{ "uniform_and_table", test_uniform_and_table },
		{ "wide_offsets", test_wide_offsets },
		{ "kept_blocks", test_kept_blocks },
		{ "damaged_blocks", test_damaged_blocks },
		{ "kept_adjacency", test_kept_adjacency },
		{ "growing_blocks", test_growing_blocks },
		{ "growing_adjacency", test_growing_adjacency },
		{ "map_bounds", test_map_bounds },
	};
	return unit_suite("edge blocks", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
