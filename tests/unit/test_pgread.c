/*
 * test_pgread.c: the point reads a new process makes with pread rather
 * than through LMDB's map (store/pgread.c).  Every key of every table
 * read that way must give what LMDB gives: values in the page and in
 * overflow pages, duplicates kept one, in a page inside the node, and in
 * a tree of their own, absent keys, the last key; a later snapshot reads
 * what was written since while values read before stay as they were; and
 * a damaged page is an error, not a read outside the page.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "store/store_int.h"

static char dir[64];

#define NODES 3000

/* Node i's record: i-dependent bytes, a few of them over a page long. */
static size_t record(uint32_t i, unsigned char *buf)
{
	size_t len = i % 97 == 0 ? 5000 + i % 300 : 20 + (i * 7) % 400;
	for (size_t k = 0; k < len; k++)
		buf[k] = (unsigned char)(i * 31 + k);
	return len;
}

/* A store over 1 MiB (so that its open walks only the table of tables):
 * NODES nodes with keys, three labels (every node; one node; ten), and
 * out-entries: node 1 one, node 2 twenty, node 3 two thousand. */
static st_env *build(void)
{
	st_env *env = unit_env_open("pgread", dir, sizeof dir);
	st_txn *t;
	unsigned char buf[6000];
	uint16_t type;
	if (!env || st_txn_begin(env, 1, &t) != ST_OK)
		return NULL;
	if (st_sym_intern(t, "LINK", 4, &type) != ST_OK)
		return NULL;
	for (uint32_t i = 1; i <= NODES; i++) {
		char key[16];
		int kl = snprintf(key, sizeof key, "K%u", i);
		if (st_node_put(t, i, buf, record(i, buf)) != ST_OK || st_key_put(t, 1, key, (size_t)kl, i) != ST_OK ||
		    st_label_add(t, 1, i) != ST_OK)
			return NULL;
		if ((i == 7 && st_label_add(t, 2, i) != ST_OK) || (i % 300 == 0 && st_label_add(t, 3, i) != ST_OK))
			return NULL;
	}
	for (uint32_t e = 1; e <= 2021; e++) {
		uint32_t src = e == 1 ? 1 : e <= 21 ? 2 : 3;
		if (st_edge_put(t, e, "r", 1) != ST_OK || st_adj_add(t, src, type, 1 + e % NODES, e) != ST_OK)
			return NULL;
	}
	if (st_log_append(t, "one", 3, &(uint64_t){ 0 }) != ST_OK || st_txn_commit(t) != ST_OK)
		return NULL;
	return env;
}

/* A table's every key through this path and through LMDB. */
static void same_as_lmdb(st_txn *t, int db)
{
	MDB_cursor *c;
	MDB_val k, v, mine;
	long keys = 0;
	CU_ASSERT_EQUAL_FATAL(mdb_cursor_open(t->t_txn, DBI(t, db), &c), 0);
	for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_NODUP)) {
		keys++;
		if (st_dbi_flags[db] & MDB_DUPSORT) {
			uint64_t n = 0;
			size_t lmdb_n;
			MDB_val all, m = { 0, NULL };
			int got = st_pr_dups(t, db, &k, &all, &n);
			CU_ASSERT_EQUAL_FATAL(mdb_cursor_count(c, &lmdb_n), 0);
			if (got == PR_ASIDE) {
				/* more than a page of them: counted here, read by LMDB */
				CU_ASSERT_EQUAL(st_pr_dups(t, db, &k, NULL, &n), ST_OK);
				CU_ASSERT_EQUAL(n, lmdb_n);
				continue;
			}
			CU_ASSERT_EQUAL_FATAL(got, ST_OK);
			CU_ASSERT_EQUAL(n, lmdb_n);
			/* as the store asks: from the key, not from the last one's
			 * duplicates (LMDB's GET_MULTIPLE after NEXT_NODUP onto a
			 * single value returns the previous key's page) */
			CU_ASSERT_EQUAL(mdb_cursor_get(c, &k, &v, MDB_SET_KEY), 0);
			CU_ASSERT_EQUAL(mdb_cursor_get(c, &k, &m, MDB_GET_MULTIPLE), 0);
			if (!m.mv_data)
				m = v;   /* one value: LMDB has no page of them */
			CU_ASSERT_EQUAL(all.mv_size, m.mv_size);
			CU_ASSERT(all.mv_size == m.mv_size && memcmp(all.mv_data, m.mv_data, m.mv_size) == 0);
		} else {
			CU_ASSERT_EQUAL_FATAL(st_pr_get(t, db, &k, &mine), ST_OK);
			CU_ASSERT_EQUAL(mine.mv_size, v.mv_size);
			CU_ASSERT(mine.mv_size == v.mv_size && memcmp(mine.mv_data, v.mv_data, v.mv_size) == 0);
			CU_ASSERT_PTR_NOT_EQUAL(mine.mv_data, v.mv_data);   /* a copy read from the file */
		}
	}
	mdb_cursor_close(c);
	CU_ASSERT(keys > 0);
}

static void test_same_as_lmdb(void)
{
	st_env *env = build();
	st_txn *t;
	static const int tables[] = { ST_META, ST_SYM, ST_SYMID, ST_NODES, ST_EDGES, ST_OUTA, ST_INA,
		ST_LABELS, ST_KEYS, ST_LOG };
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_pr_set_budget(env, 1 << 16), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
		same_as_lmdb(t, tables[i]);
	{
		/* absent keys, the last key, and a count of a tree of duplicates */
		unsigned char kb[4];
		MDB_val k = { 4, kb }, v, last;
		uint64_t n = 0;
		st_put32(kb, NODES + 1);
		CU_ASSERT_EQUAL(st_pr_get(t, ST_NODES, &k, &v), ST_ENOTFOUND);
		st_put32(kb, 0);
		CU_ASSERT_EQUAL(st_pr_get(t, ST_NODES, &k, &v), ST_ENOTFOUND);
		CU_ASSERT_EQUAL(st_pr_dups(t, ST_OUTA, &k, NULL, &n), ST_ENOTFOUND);
		st_put32(kb, 3);
		CU_ASSERT_EQUAL(st_pr_dups(t, ST_OUTA, &k, NULL, &n), ST_OK);
		CU_ASSERT_EQUAL(n, 2000);
		CU_ASSERT_EQUAL(st_label_count(t, 1), NODES);
		CU_ASSERT_EQUAL(st_label_count(t, 2), 1);
		CU_ASSERT_EQUAL(st_label_count(t, 3), 10);
		CU_ASSERT_EQUAL(st_pr_last_key(t, ST_LOG, &last), ST_OK);
		CU_ASSERT_EQUAL(st_log_head(t), 1);
		CU_ASSERT_EQUAL(st_pr_get(t, ST_NODES, &(MDB_val){ 3, "abc" }, &v), ST_ENOTFOUND);
	}
	st_txn_abort(t);
	unit_env_close(dir, env);
}

/* A snapshot after a write reads the new value; what was read before is
 * still there, unchanged. */
static void test_new_snapshot(void)
{
	st_env *env = build();
	st_txn *t;
	const void *old, *now;
	size_t oldlen, nowlen;
	unsigned char before[6000];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_node_get(t, 5, &old, &oldlen), ST_OK);
	CU_ASSERT_PTR_NOT_NULL(env->e_pr);   /* read here, not through the map */
	memcpy(before, old, oldlen);
	st_txn_abort(t);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 5, "changed", 7), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_node_get(t, 5, &now, &nowlen), ST_OK);
	CU_ASSERT(nowlen == 7 && memcmp(now, "changed", 7) == 0);
	CU_ASSERT(memcmp(old, before, oldlen) == 0);
	st_txn_abort(t);
	unit_env_close(dir, env);
}

/* Node 1500's leaf page with its header overwritten: an error naming the
 * page, from this path; LMDB itself is never asked. */
static void test_damaged_page(void)
{
	st_env *env = build();
	st_txn *t;
	const void *rec;
	size_t len;
	uint64_t pg;
	char why[256];
	int fd;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	{
		/* where LMDB has the record: its page is the leaf */
		unsigned char kb[4];
		MDB_val k = { 4, kb }, v;
		st_put32(kb, 1500);
		CU_ASSERT_EQUAL_FATAL(mdb_get(t->t_txn, DBI(t, ST_NODES), &k, &v), 0);
		CU_ASSERT_EQUAL(st_val_ok(t, &v, "node"), ST_OK);   /* finds the map */
		CU_ASSERT_PTR_NOT_NULL_FATAL(env->e_map);
		pg = (uint64_t)((const unsigned char *)v.mv_data - env->e_map) / 4096;
	}
	st_txn_abort(t);
	st_close(env);
	{
		char path[128];
		unsigned char junk[16];
		memset(junk, 0xA5, sizeof junk);
		snprintf(path, sizeof path, "%s/data.mdb", dir);
		fd = open(path, O_WRONLY);
		CU_ASSERT_FATAL(fd >= 0);
		CU_ASSERT_EQUAL(pwrite(fd, junk, sizeof junk, (off_t)(pg * 4096)), (ssize_t)sizeof junk);
		close(fd);
	}
	CU_ASSERT_EQUAL_FATAL(st_open(dir, 0, &env, why, sizeof why), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_get(t, 1500, &rec, &len), ST_ECORRUPT);
	CU_ASSERT_PTR_NOT_NULL(strstr(st_strerror(), "damaged"));
	st_txn_abort(t);
	unit_env_close(dir, env);
}

/* Reads of node 5 in a new read transaction of `env`: how many preads. */
static unsigned long reads_for_node(st_env *env)
{
	st_txn *t;
	const void *rec;
	size_t len;
	unsigned long before = st_pr_reads(env);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_get(t, 5, &rec, &len), ST_OK);
	st_txn_abort(t);
	return st_pr_reads(env) - before;
}

/* The walk at open hands its meta page and the table of tables to this
 * path: a first point read reads only the pages of its own table. */
static void test_seeded_at_open(void)
{
	st_env *env = build();
	st_txn *t;
	MDB_stat ms;
	char why[256];
	unsigned long seeded, cold;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	st_close(env);
	CU_ASSERT_EQUAL_FATAL(st_open(dir, 0, &env, why, sizeof why), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(mdb_stat(t->t_txn, DBI(t, ST_NODES), &ms), 0);
	st_txn_abort(t);
	seeded = reads_for_node(env);
	CU_ASSERT_EQUAL(seeded, ms.ms_depth);
	/* the same read with nothing handed over: a meta page and the main
	 * table's pages as well */
	CU_ASSERT_EQUAL_FATAL(st_pr_set_budget(env, 64), ST_OK);
	cold = reads_for_node(env);
	CU_ASSERT(cold >= seeded + 2);
	unit_env_close(dir, env);
}

/* Values read through the scratch page are copies that stay as they were
 * while later reads overwrite it: every node read first, compared with
 * LMDB after. */
static void test_values_outlive_scratch(void)
{
	st_env *env = build();
	st_txn *t;
	static MDB_val got[NODES + 1];
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_pr_set_budget(env, 1 << 16), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	for (uint32_t i = 1; i <= NODES; i++) {
		unsigned char kb[4];
		st_put32(kb, i);
		CU_ASSERT_EQUAL_FATAL(st_pr_get(t, ST_NODES, &(MDB_val){ 4, kb }, &got[i]), ST_OK);
	}
	for (uint32_t i = 1; i <= NODES; i++) {
		unsigned char kb[4];
		MDB_val v;
		st_put32(kb, i);
		CU_ASSERT_EQUAL_FATAL(mdb_get(t->t_txn, DBI(t, ST_NODES), &(MDB_val){ 4, kb }, &v), 0);
		CU_ASSERT(got[i].mv_size == v.mv_size && memcmp(got[i].mv_data, v.mv_data, v.mv_size) == 0);
	}
	st_txn_abort(t);
	unit_env_close(dir, env);
}

/* Preads made by reading node `id` in transaction t. */
static unsigned long reads_of(st_env *env, st_txn *t, uint32_t id)
{
	unsigned long before = st_pr_reads(env);
	const void *rec;
	size_t len;
	CU_ASSERT_EQUAL(st_node_get(t, id, &rec, &len), ST_OK);
	return st_pr_reads(env) - before;
}

/* A page read once goes to scratch; read again it is kept; a key read
 * again is not looked up again. */
static void test_kept_when_read_again(void)
{
	st_env *env = build();
	st_txn *t;
	MDB_stat ms;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_EQUAL_FATAL(st_pr_set_budget(env, 64), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(mdb_stat(t->t_txn, DBI(t, ST_NODES), &ms), 0);
	CU_ASSERT_FATAL(ms.ms_depth >= 2);
	(void)reads_of(env, t, 5);                              /* meta and table pages as well */
	CU_ASSERT_EQUAL(reads_of(env, t, 5), 0);                /* the same key: remembered */
	CU_ASSERT_EQUAL(reads_of(env, t, 6), ms.ms_depth - 1);  /* branches again; the leaf is the scratch page */
	CU_ASSERT_EQUAL(reads_of(env, t, 7), 0);                /* all of its pages kept now */
	CU_ASSERT_EQUAL(reads_of(env, t, 5), 0);
	(void)reads_of(env, t, 2900);                           /* its leaf left in scratch */
	st_txn_abort(t);
	/* the same in a later snapshot, whose scratch page was made in an
	 * earlier one: kept where this snapshot's pages are found */
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 1, &t), ST_OK);
	CU_ASSERT_EQUAL(st_node_put(t, 5, "changed", 7), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_commit(t), ST_OK);
	CU_ASSERT_EQUAL_FATAL(st_txn_begin(env, 0, &t), ST_OK);
	(void)reads_of(env, t, 5);
	CU_ASSERT_EQUAL(reads_of(env, t, 6), ms.ms_depth - 1);
	CU_ASSERT_EQUAL(reads_of(env, t, 7), 0);
	CU_ASSERT_EQUAL(reads_of(env, t, 8), 0);
	st_txn_abort(t);
	unit_env_close(dir, env);
}

int test_pgread_register(void)
{
	static const unit_test tests[] = {
		{ "same_as_lmdb", test_same_as_lmdb },
		{ "new_snapshot", test_new_snapshot },
		{ "damaged_page", test_damaged_page },
		{ "seeded_at_open", test_seeded_at_open },
		{ "values_outlive_scratch", test_values_outlive_scratch },
		{ "kept_when_read_again", test_kept_when_read_again },
	};
	return unit_suite("pread point reads", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
