/*
 * tables.c: the graph-shaped tables of the store: node records,
 * adjacency, and the label, key, text and citation indexes, including
 * sorted bulk insertion for imports (edge records: edges.c).  Layout:
 * store.h.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "bigmem.h"

/* A DUPFIXED write of the wrong size would be truncated silently by LMDB
 * 0.9.24: refuse it here. */
static int dup_put(st_txn *t, int db, MDB_val *k, MDB_val *v, unsigned flags)
{
	MDB_cursor *c;
	if (st_dup_size[db] && v->mv_size != st_dup_size[db]) {
		st_seterr("internal: record of %zu bytes for a table of %u-byte records", v->mv_size, st_dup_size[db]);
		return st_corrupt();
	}
	if (!(c = st_cursor(t, db)))
		return ST_EIO;
	if (db == ST_LABELS)
		t->t_lab_ok = 0;
	return st_mdb_err(mdb_cursor_put(c, k, v, flags), "write");
}

static int dup_del(st_txn *t, int db, MDB_val *k, MDB_val *v)
{
	int rc;
	if (db == ST_LABELS)
		t->t_lab_ok = 0;
	rc = mdb_del(t->t_txn, DBI(t, db), k, v);
	return st_mdb_err(rc, "delete");
}

/* Adds (add) or removes one entry of a duplicate table; adding one that is
 * there, or removing one that is not, is no error. */
static int dup_set(st_txn *t, int db, MDB_val *k, MDB_val *v, int add)
{
	int rc = add ? dup_put(t, db, k, v, MDB_NODUPDATA) : dup_del(t, db, k, v);
	return rc == (add ? ST_EEXISTS : ST_ENOTFOUND) ? ST_OK : rc;
}

/* ---- nodes ---- */

static uint32_t max_node(st_txn *t)
{
	if (!t->t_max_node_known) {
		MDB_cursor *c = st_cursor(t, ST_NODES);
		MDB_val k, v;
		int rc = c ? mdb_cursor_get(c, &k, &v, MDB_LAST) : MDB_NOTFOUND;
		t->t_max_node = 0;
		if (rc == 0 && k.mv_size == 4)
			t->t_max_node = st_get32(k.mv_data);
		else if (rc && rc != MDB_NOTFOUND)
			st_mdb_err(rc, "nodes");   /* a damaged page, noted: later calls see only a failed transaction */
		t->t_max_node_known = 1;
	}
	return t->t_max_node;
}

int st_node_get(st_txn *t, uint32_t id, const void **rec, size_t *len)
{
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	int rc;
	MDB_cursor *c;
	st_put32(kb, id);
	if ((rc = st_pr_get(t, ST_NODES, &k, &v)) != PR_ASIDE) {
		if (rc == ST_OK) {
			*rec = v.mv_data;
			*len = v.mv_size;
		}
		return rc;
	}
	if (!(c = st_cursor(t, ST_NODES)))
		return ST_EIO;
	/* the node after the one the cursor stands on (a scan of a label
	 * whose nodes were made together): one step, no search */
	if (id > 1 && mdb_cursor_get(c, &k, &v, MDB_GET_CURRENT) == 0 && k.mv_size == 4 &&
	    st_get32(k.mv_data) == id - 1) {
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
		if (rc == 0 && k.mv_size == 4 && st_get32(k.mv_data) == id)
			goto found;
		/* a damaged page: the search below would say only that the
		 * transaction has failed */
		if (rc && rc != MDB_NOTFOUND)
			return st_mdb_err(rc, "node");
	}
	k.mv_size = 4;
	k.mv_data = kb;
	/* through the table's cursor: a lookup near the last one (a label or
	 * adjacency scan reads ids in ascending order) searches only the leaf
	 * page the cursor is on, not the tree from its root */
	if ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY)))
		return st_mdb_err(rc, "node");
found:
	if ((rc = st_val_ok(t, &v, "node")) != ST_OK)
		return rc;
	st_ra_note(t, v.mv_data);
	*rec = v.mv_data;
	*len = v.mv_size;
	return ST_OK;
}

int st_node_put(st_txn *t, uint32_t id, const void *rec, size_t len)
{
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v = { len, (void *)rec };
	MDB_cursor *c = st_cursor(t, ST_NODES);
	int rc;
	if (!c)
		return ST_EIO;
	st_put32(kb, id);
	if (id > max_node(t)) {
		rc = mdb_cursor_put(c, &k, &v, MDB_APPEND);
		if (rc == 0)
			t->t_max_node = id;
	} else {
		MDB_val old;
		rc = mdb_get(t->t_txn, DBI(t, ST_NODES), &k, &old);
		if (rc == 0 && st_val_ok(t, &old, "node") != ST_OK)
			return st_corrupt();
		if (rc == 0)
			st_digest_item(t, -1, 'n', kb, 4, old.mv_data, old.mv_size);
		else if (rc != MDB_NOTFOUND)
			return st_mdb_err(rc, "node");
		rc = mdb_cursor_put(c, &k, &v, 0);
	}
	if (rc)
		return st_mdb_err(rc, "node");
	st_digest_item(t, +1, 'n', kb, 4, rec, len);
	return ST_OK;
}

int st_node_del(st_txn *t, uint32_t id)
{
	unsigned char kb[4];
	MDB_val k = { 4, kb }, old;
	int rc;
	st_put32(kb, id);
	if ((rc = mdb_get(t->t_txn, DBI(t, ST_NODES), &k, &old)))
		return st_mdb_err(rc, "node");
	if ((rc = st_val_ok(t, &old, "node")) != ST_OK)
		return rc;
	st_digest_item(t, -1, 'n', kb, 4, old.mv_data, old.mv_size);
	return st_mdb_err(mdb_del(t->t_txn, DBI(t, ST_NODES), &k, NULL), "node");
}

int st_node_next(st_txn *t, uint32_t *id, const void **rec, size_t *len)
{
	MDB_cursor *c = st_cursor(t, ST_NODES);
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	int rc;
	st_pr_scan(t);
	if (!c)
		return ST_EIO;
	if (*id == 0xffffffffu)
		return ST_ENOTFOUND;
	st_put32(kb, *id + 1);
	if ((rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE)))
		return st_mdb_err(rc, "nodes");
	if ((rc = st_val_ok(t, &v, "nodes")) != ST_OK)
		return rc;
	/* a key out of order would make a scan go back and never end */
	if (k.mv_size != 4 || st_get32(k.mv_data) <= *id) {
		st_seterr("nodes: malformed or out-of-order key after node %u", *id);
		return st_corrupt();
	}
	*id = st_get32(k.mv_data);
	*rec = v.mv_data;
	*len = v.mv_size;
	return ST_OK;
}

uint64_t st_node_count(st_txn *t)
{
	MDB_stat ms;
	if (mdb_stat(t->t_txn, DBI(t, ST_NODES), &ms))
		return 0;
	return ms.ms_entries;
}

/* ---- adjacency ---- */

struct st_adj_iter {
	st_txn *i_txn;
	MDB_cursor *i_cur;
	const unsigned char *i_chunk;   /* a page of entries */
	size_t i_n, i_pos;
	uint16_t i_type;
	uint32_t i_nbr;
	int i_state;                    /* 0 idle, 1 reading, 2 done */
	int i_whole;                    /* the chunk holds all of the node's entries */
	int i_scan_dir;
	uint32_t i_scan_key;
};

int st_adj_open(st_txn *t, st_adj_iter **out)
{
	st_adj_iter *it = calloc(1, sizeof *it);
	if (!it)
		return ST_ENOMEM;
	it->i_txn = t;
	*out = it;
	return ST_OK;
}

void st_adj_close(st_adj_iter *it)
{
	if (!it)
		return;
	if (it->i_cur)
		mdb_cursor_close(it->i_cur);
	free(it);
}

static int iter_cursor(st_adj_iter *it, int dir)
{
	int db = dir == ST_OUT ? ST_OUTA : ST_INA;
	if (it->i_cur && it->i_scan_dir == dir)
		return ST_OK;
	if (it->i_cur)
		mdb_cursor_close(it->i_cur);
	it->i_cur = NULL;
	if (mdb_cursor_open(it->i_txn->t_txn, DBI(it->i_txn, db), &it->i_cur))
		return ST_EIO;
	it->i_scan_dir = dir;
	return ST_OK;
}

/* First index in the chunk whose entry is >= the 10-byte `want`. */
static size_t chunk_lower(const unsigned char *c, size_t n, const unsigned char *want)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (memcmp(c + mid * ST_ADJ_LEN, want, ST_ADJ_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The page of duplicates holding the cursor's entry (MDB_GET_MULTIPLE).  A
 * key with a single value has no duplicate page: LMDB then returns success
 * without filling *m, and the value is the one just read, `cur`. */
static int get_multiple(st_txn *t, MDB_cursor *c, const MDB_val *cur, MDB_val *m)
{
	MDB_val k;
	int rc;
	m->mv_size = 0;
	m->mv_data = NULL;
	if ((rc = mdb_cursor_get(c, &k, m, MDB_GET_MULTIPLE)))
		return rc;
	if (!m->mv_data)
		*m = *cur;
	if (m->mv_size % ST_ADJ_LEN || m->mv_size == 0 || st_val_ok(t, m, "adjacency"))
		return MDB_CORRUPTED;
	return 0;
}

/* Seeks after which a read transaction keeps nodes' entries (st_aslot),
 * and the most slots kept per direction.  Late: in a new process every
 * page of the table touched first costs a page fault, more than the seeks
 * of a short query save.  The table starts small and doubles each time
 * the seeks that missed it reach twice its size, so the fresh pages it
 * touches stay in proportion to the seeks made: a table sized to the
 * graph from the start touched a page per node sought, each a fault, when
 * the nodes were sought once each (the vessels of sanctioned owners). */
#define AC_AFTER 8192
#define AC_FIRST 4096
#define AC_MAX ((size_t)1 << 21)

static void acache_grow(st_txn *t, int dir)
{
	struct st_aslot *old = t->t_ac[dir], *nt;
	size_t n = old ? (t->t_ac_mask[dir] + 1) * 2 : AC_FIRST, cap = 1024;
	uint32_t top = max_node(t);
	while (cap < AC_MAX && cap <= top)
		cap *= 2;
	if (n > cap)
		n = cap;
	t->t_ac_next[dir] = t->t_ac_misses[dir] + 2 * n;
	if (old && n <= t->t_ac_mask[dir] + 1)
		return;
	/* zero pages until used, as for the edge blocks */
	if (!(nt = calloc(n, sizeof *nt)))
		return;
	if (old) {
		for (size_t i = 0; i <= t->t_ac_mask[dir]; i++)
			if (old[i].s_node1)
				nt[(old[i].s_node1 - 1) & (n - 1)] = old[i];
		free(old);
	}
	t->t_ac[dir] = nt;
	t->t_ac_mask[dir] = n - 1;
}

int st_adj_seek(st_adj_iter *it, int dir, uint32_t node, uint16_t type, uint32_t nbr)
{
	unsigned char kb[4], want[ST_ADJ_LEN];
	MDB_val k = { 4, kb }, d = { ST_ADJ_LEN, want }, m;
	st_txn *t = it->i_txn;
	struct st_aslot *slot = NULL;
	int rc;
	if (iter_cursor(it, dir) != ST_OK)
		return ST_EIO;
	uint8_t code = 0;
	it->i_nbr = nbr;
	it->i_state = 2;
	it->i_whole = 0;
	if (type) {
		rc = st_tcode(t, type, 0, &code);
		if (rc == ST_ENOTFOUND)
			return ST_OK;   /* a type no edge has: nothing to read */
		if (rc)
			return rc;
	}
	it->i_type = code;
	st_adj_pack(want, code, code ? nbr : 0, 0);
	if (!t->t_write && t->t_ac[dir] && (slot = &t->t_ac[dir][node & t->t_ac_mask[dir]])->s_node1 == node + 1) {
		it->i_chunk = slot->s_chunk;
		it->i_n = slot->s_n;
		it->i_pos = chunk_lower(it->i_chunk, it->i_n, want);
		it->i_whole = 1;
		it->i_state = 1;
		return ST_OK;
	}
	st_put32(kb, node);
	{
		uint64_t all;
		if ((rc = st_pr_dups(t, dir == ST_OUT ? ST_OUTA : ST_INA, &k, &m, &all)) != PR_ASIDE) {
			if (rc == ST_ENOTFOUND)
				return ST_OK;
			if (rc)
				return rc;
			/* every entry of the node, in one copy */
			it->i_chunk = m.mv_data;
			it->i_n = m.mv_size / ST_ADJ_LEN;
			it->i_pos = chunk_lower(it->i_chunk, it->i_n, want);
			it->i_whole = 1;
			it->i_state = 1;
			return ST_OK;
		}
	}
	if (code)
		rc = mdb_cursor_get(it->i_cur, &k, &d, MDB_GET_BOTH_RANGE);
	else
		rc = mdb_cursor_get(it->i_cur, &k, &d, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND)
		return ST_OK;
	if (rc)
		return st_mdb_err(rc, "adjacency");
	if ((rc = get_multiple(t, it->i_cur, &d, &m)))
		return st_mdb_err(rc, "adjacency");
	it->i_chunk = m.mv_data;
	it->i_n = m.mv_size / ST_ADJ_LEN;
	it->i_pos = chunk_lower(it->i_chunk, it->i_n, want);
	it->i_state = 1;
	st_ra_note(t, m.mv_data);
	if (!t->t_write) {
		size_t all;
		if (++t->t_ac_misses[dir] == (t->t_ac[dir] ? t->t_ac_next[dir] : AC_AFTER))
			acache_grow(t, dir);
		/* kept when the page holds every entry of the node */
		if (t->t_ac[dir] && mdb_cursor_count(it->i_cur, &all) == 0 && all == it->i_n && it->i_n <= 0xffffffffu) {
			slot = &t->t_ac[dir][node & t->t_ac_mask[dir]];
			slot->s_node1 = node + 1;
			slot->s_n = (uint32_t)it->i_n;
			slot->s_chunk = it->i_chunk;
		}
	}
	return ST_OK;
}

int st_adj_read(st_adj_iter *it, st_adj *e)
{
	while (it->i_state == 1) {
		if (it->i_pos < it->i_n) {
			const unsigned char *p = it->i_chunk + it->i_pos * ST_ADJ_LEN;
			uint8_t code = p[0];
			uint32_t nbr = st_get32(p + 1);
			if (it->i_type && (code != it->i_type || (it->i_nbr && nbr != it->i_nbr))) {
				it->i_state = 2;
				return 0;
			}
			it->i_pos++;
			e->a_type = st_tsym(it->i_txn, code);
			e->a_nbr = nbr;
			e->a_edge = st_get32(p + 5);
			return 1;
		} else if (it->i_whole) {
			it->i_state = 2;   /* every entry of the node was in the chunk */
			return 0;
		} else {
			MDB_val k, m;
			int rc;
			st_pr_stop(it->i_txn);   /* a node with pages of entries: a scan */
			rc = mdb_cursor_get(it->i_cur, &k, &m, MDB_NEXT_MULTIPLE);
			if (rc == MDB_NOTFOUND) {
				it->i_state = 2;
				return 0;
			}
			if (rc)
				return st_mdb_err(rc, "adjacency");
			if (m.mv_size % ST_ADJ_LEN || m.mv_size == 0 || st_val_ok(it->i_txn, &m, "adjacency")) {
				st_seterr("adjacency: malformed page of entries");
				return st_corrupt();
			}
			it->i_chunk = m.mv_data;
			it->i_n = m.mv_size / ST_ADJ_LEN;
			it->i_pos = 0;
		}
	}
	return 0;
}

int st_adj_scan(st_adj_iter *it, uint32_t *src, st_adj *e)
{
	int rc;
	for (;;) {
		if (it->i_state == 1 && it->i_scan_key == *src && *src) {
			if ((rc = st_adj_read(it, e)) != 0)
				return rc;
		}
		/* next key after *src */
		unsigned char kb[4];
		MDB_val k = { 4, kb }, d, m;
		if (*src == 0xffffffffu)
			return 0;
		if (iter_cursor(it, ST_OUT) != ST_OK)
			return ST_EIO;
		st_put32(kb, *src + 1);
		rc = mdb_cursor_get(it->i_cur, &k, &d, MDB_SET_RANGE);
		if (rc == MDB_NOTFOUND)
			return 0;
		if (rc)
			return st_mdb_err(rc, "adjacency");
		if (k.mv_size != 4 || st_get32(k.mv_data) <= *src) {
			st_seterr("adjacency: malformed or out-of-order key after node %u", *src);
			return st_corrupt();
		}
		*src = st_get32(k.mv_data);
		it->i_scan_key = *src;
		if ((rc = get_multiple(it->i_txn, it->i_cur, &d, &m)))
			return st_mdb_err(rc, "adjacency");
		it->i_chunk = m.mv_data;
		it->i_n = m.mv_size / ST_ADJ_LEN;
		it->i_pos = 0;
		it->i_type = 0;
		it->i_whole = 0;
		it->i_state = 1;
	}
}

int st_adj_count(st_txn *t, int dir, uint32_t node, uint16_t type, uint64_t *count)
{
	st_adj_iter it = { 0 };
	st_adj e;
	int rc;
	*count = 0;
	it.i_txn = t;
	if (!type) {
		unsigned char kb[4];
		MDB_val k = { 4, kb }, d;
		size_t cnt;
		MDB_cursor *c = st_cursor(t, dir == ST_OUT ? ST_OUTA : ST_INA);
		if (!c)
			return ST_EIO;
		uint64_t all;
		st_put32(kb, node);
		if ((rc = st_pr_dups(t, dir == ST_OUT ? ST_OUTA : ST_INA, &k, NULL, &all)) != PR_ASIDE) {
			if (rc == ST_OK)
				*count = all;
			return rc == ST_ENOTFOUND ? ST_OK : rc;
		}
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY);
		if (rc == MDB_NOTFOUND)
			return ST_OK;
		if (rc || (rc = mdb_cursor_count(c, &cnt)))
			return st_mdb_err(rc, "adjacency");
		*count = cnt;
		return ST_OK;
	}
	if ((rc = st_adj_seek(&it, dir, node, type, 0)) == ST_OK)
		while ((rc = st_adj_read(&it, &e)) == 1)
			++*count;
	if (it.i_cur)
		mdb_cursor_close(it.i_cur);
	return rc < 0 ? rc : ST_OK;
}

int st_edge_find(st_txn *t, uint32_t src, uint32_t edge, uint16_t *type, uint32_t *dst)
{
	st_adj_iter it = { 0 };
	st_adj e;
	int rc, found = 0;
	it.i_txn = t;
	if ((rc = st_adj_seek(&it, ST_OUT, src, 0, 0)) == ST_OK)
		while ((rc = st_adj_read(&it, &e)) == 1)
			if (e.a_edge == edge) {
				*type = e.a_type;
				*dst = e.a_nbr;
				found = 1;
				break;
			}
	if (it.i_cur)
		mdb_cursor_close(it.i_cur);
	if (rc < 0)
		return rc;
	return found ? ST_OK : ST_ENOTFOUND;
}

/* Adds (sign +1) or removes (-1) an edge's two adjacency entries. */
static int adj_change(st_txn *t, int sign, uint32_t src, uint16_t type, uint32_t dst, uint32_t edge)
{
	unsigned char kb[4], eb[ST_ADJ_LEN];
	MDB_val k = { 4, kb }, v = { ST_ADJ_LEN, eb };
	int rc;
	uint8_t code;
	if ((rc = st_tcode(t, type, sign > 0, &code)) != ST_OK)
		return rc;
	st_put32(kb, src);
	st_adj_pack(eb, code, dst, edge);
	rc = sign > 0 ? dup_put(t, ST_OUTA, &k, &v, MDB_NODUPDATA) : dup_del(t, ST_OUTA, &k, &v);
	if (rc != ST_OK)
		return rc;
	st_digest_item(t, sign, 'o', kb, 4, eb, ST_ADJ_LEN);
	st_put32(kb, dst);
	st_adj_pack(eb, code, src, edge);
	return sign > 0 ? dup_put(t, ST_INA, &k, &v, MDB_NODUPDATA) : dup_del(t, ST_INA, &k, &v);
}

int st_adj_add(st_txn *t, uint32_t src, uint16_t type, uint32_t dst, uint32_t edge)
{
	return adj_change(t, +1, src, type, dst, edge);
}

int st_adj_del(st_txn *t, uint32_t src, uint16_t type, uint32_t dst, uint32_t edge)
{
	return adj_change(t, -1, src, type, dst, edge);
}

/* Inserts sorted (key, value) pairs into a DUPSORT table, appending where
 * the order allows so that pages fill completely. */
typedef struct kv { const unsigned char *k, *v; size_t kl, vl; } kv;

#define GROUP_MAX 1024

/* Puts one key's sorted values into a DUPFIXED table with MDB_MULTIPLE, up
 * to GROUP_MAX in one call: LMDB then finds the key once, not once per
 * value.  The first call takes `first` as its flags, later ones append.  A
 * value already there (MDB_NODUPDATA) is skipped, as dup_put's callers do. */
static int put_group(st_txn *t, int db, const kv *g, size_t n, unsigned first, unsigned flags)
{
	MDB_cursor *c = st_cursor(t, db);
	unsigned char vbuf[GROUP_MAX * 16];
	size_t sz = st_dup_size[db], x = 0;
	if (!c)
		return ST_EIO;
	if (db == ST_LABELS)
		t->t_lab_ok = 0;
	while (x < n) {
		size_t m = 0, done = 0;
		for (; x < n && m < GROUP_MAX; x++) {
			if (g[x].vl != sz) {
				st_seterr("internal: record of %zu bytes for a table of %zu-byte records", g[x].vl, sz);
				return st_corrupt();
			}
			if (x > 0 && memcmp(g[x].v, g[x - 1].v, sz) == 0)
				continue;   /* duplicate within the batch */
			memcpy(vbuf + m * sz, g[x].v, sz);
			m++;
		}
		while (done < m) {
			MDB_val k = { g[0].kl, (void *)g[0].k }, d[2] = { { sz, vbuf + done * sz }, { m - done, NULL } };
			int rc = mdb_cursor_put(c, &k, d, first | MDB_MULTIPLE);
			if (rc == MDB_KEYEXIST && (first & MDB_NODUPDATA)) {
				done += d[1].mv_size + 1;   /* already indexed: the ones before it went in */
				continue;
			}
			if (rc)
				return st_mdb_err(rc, "write");
			done = m;
			first = flags;
		}
	}
	return ST_OK;
}

/* Puts one key's sorted values one by one: the first with `first`, the
 * rest with `flags`. */
static int put_each(st_txn *t, int db, int dupsort, const kv *g, size_t n, unsigned first, unsigned flags)
{
	for (size_t x = 0; x < n; x++) {
		MDB_val k = { g[x].kl, (void *)g[x].k }, v = { g[x].vl, (void *)g[x].v };
		int rc;
		if (x > 0 && g[x].vl == g[x - 1].vl && memcmp(g[x].v, g[x - 1].v, g[x].vl) == 0)
			continue;   /* duplicate within the batch */
		rc = dup_put(t, db, &k, &v, x ? flags : first);
		if (rc == ST_EEXISTS && dupsort)
			rc = ST_OK;   /* already indexed */
		if (rc != ST_OK)
			return rc;
	}
	return ST_OK;
}

static int put_sorted(st_txn *t, int db, int dupsort, kv *items, size_t n)
{
	MDB_cursor *c = st_cursor(t, db);
	MDB_val lk, lv;
	unsigned char last[ST_MAX_KEY + 8];
	size_t lastlen = 0;
	int have_last, rc;
	if (!c)
		return ST_EIO;
	rc = mdb_cursor_get(c, &lk, &lv, MDB_LAST);
	have_last = rc == 0;
	if (have_last) {
		lastlen = lk.mv_size < sizeof last ? lk.mv_size : sizeof last;
		memcpy(last, lk.mv_data, lastlen);
	}
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		unsigned flags;
		while (j < n && items[j].kl == items[i].kl && memcmp(items[j].k, items[i].k, items[i].kl) == 0)
			j++;
		int cmp = 1;
		if (have_last) {
			size_t m = items[i].kl < lastlen ? items[i].kl : lastlen;
			cmp = memcmp(items[i].k, last, m);
			if (cmp == 0)
				cmp = items[i].kl < lastlen ? -1 : items[i].kl > lastlen;
		}
		if (cmp > 0) {
			flags = MDB_APPEND | (dupsort ? MDB_APPENDDUP : 0);
		} else if (dupsort) {
			MDB_val k = { items[i].kl, (void *)items[i].k }, d;
			flags = MDB_NODUPDATA;
			if (mdb_cursor_get(c, &k, &d, MDB_SET_KEY) == 0 &&
			    mdb_cursor_get(c, &k, &d, MDB_LAST_DUP) == 0 &&
			    d.mv_size == items[i].vl && memcmp(items[i].v, d.mv_data, d.mv_size) > 0)
				flags = MDB_APPENDDUP;
		} else {
			flags = 0;
		}
		st_big_heap_hint();   /* LMDB's new pages come from the heap */
		/* MDB_APPEND refuses a key equal to the last: only the group's
		 * first entry appends the key, the rest its dups */
		if (dupsort && st_dup_size[db] && st_dup_size[db] <= 16)
			rc = put_group(t, db, items + i, j - i, flags, cmp > 0 ? MDB_APPENDDUP : flags);
		else
			rc = put_each(t, db, dupsort, items + i, j - i, flags, cmp > 0 ? MDB_APPENDDUP : flags);
		if (rc != ST_OK)
			return rc;
		if (cmp > 0) {
			lastlen = items[i].kl < sizeof last ? items[i].kl : sizeof last;
			memcpy(last, items[i].k, lastlen);
			have_last = 1;
		}
		i = j;
	}
	return ST_OK;
}

static int cmp_kv(const void *a, const void *b)
{
	const kv *x = a, *y = b;
	size_t m = x->kl < y->kl ? x->kl : y->kl;
	int c = memcmp(x->k, y->k, m);
	if (c)
		return c;
	if (x->kl != y->kl)
		return x->kl < y->kl ? -1 : 1;
	m = x->vl < y->vl ? x->vl : y->vl;
	c = memcmp(x->v, y->v, m);
	if (c)
		return c;
	return x->vl < y->vl ? -1 : x->vl > y->vl;
}

/* The bulk adjacency entries are sorted in place, for each direction in
 * turn, as {node filed under, neighbour, edge, type code}: b_src is the
 * node and b_dst the neighbour (swapped for the incoming direction). */
static int adj_before(const st_adj_bulk *a, const st_adj_bulk *b)
{
	if (a->b_type != b->b_type)
		return a->b_type < b->b_type;
	if (a->b_dst != b->b_dst)
		return a->b_dst < b->b_dst;
	return a->b_edge < b->b_edge;
}

static int cmp_adj_sort(const void *x, const void *y)
{
	const st_adj_bulk *a = x, *b = y;
	return adj_before(a, b) ? -1 : adj_before(b, a) ? 1 : 0;
}

/* Orders entries by node with a counting sort (node ids are dense), then
 * each node's entries by (type, neighbour, edge): usually already in order
 * when the input came grouped, else insertion sort or qsort. */
static int adj_order(st_adj_bulk *v, size_t n, st_adj_bulk *tmp)
{
	uint32_t maxn = 0;
	size_t *start;
	for (size_t i = 0; i < n; i++)
		if (v[i].b_src > maxn)
			maxn = v[i].b_src;
	if (!(start = st_big_alloc(((size_t)maxn + 2) * sizeof *start)))
		return ST_ENOMEM;
	for (size_t i = 0; i < n; i++)
		start[v[i].b_src + 1]++;
	for (size_t k = 1; k <= (size_t)maxn + 1; k++)
		start[k] += start[k - 1];
	for (size_t i = 0; i < n; i++)
		tmp[start[v[i].b_src]++] = v[i];
	memcpy(v, tmp, n * sizeof *v);
	st_big_free(start);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1, sorted = 1;
		while (j < n && v[j].b_src == v[i].b_src) {
			if (sorted && adj_before(&v[j], &v[j - 1]))
				sorted = 0;
			j++;
		}
		if (!sorted) {
			if (j - i <= 32) {
				for (size_t a = i + 1; a < j; a++) {
					st_adj_bulk x = v[a];
					size_t b = a;
					while (b > i && adj_before(&x, &v[b - 1])) {
						v[b] = v[b - 1];
						b--;
					}
					v[b] = x;
				}
			} else {
				qsort(v + i, j - i, sizeof *v, cmp_adj_sort);
			}
		}
		i = j;
	}
	return ST_OK;
}

#define ADJ_CHUNK 65536

/* Writes v (sorted by adj_order) to the table of direction dir. */
static int adj_write(st_txn *t, int dir, const st_adj_bulk *v, size_t n, unsigned char *buf, kv *items)
{
	int rc = ST_OK;
	/* in chunks: a key split across two chunks is found again as an
	 * existing key, and its entries still append */
	for (size_t base = 0; base < n && rc == ST_OK; base += ADJ_CHUNK) {
		size_t m = n - base < ADJ_CHUNK ? n - base : ADJ_CHUNK;
		for (size_t i = 0; i < m; i++) {
			unsigned char *p = buf + i * 14;
			const st_adj_bulk *a = &v[base + i];
			st_put32(p, a->b_src);
			st_adj_pack(p + 4, (uint8_t)a->b_type, a->b_dst, a->b_edge);
			items[i].k = p;
			items[i].kl = 4;
			items[i].v = p + 4;
			items[i].vl = ST_ADJ_LEN;
			if (dir == ST_OUT)
				st_digest_item(t, +1, 'o', items[i].k, 4, items[i].v, ST_ADJ_LEN);
		}
		rc = put_sorted(t, dir == ST_OUT ? ST_OUTA : ST_INA, 1, items, m);
	}
	return rc;
}

int st_adj_add_many(st_txn *t, st_adj_bulk *e, size_t n)
{
	unsigned char *buf = NULL;
	st_adj_bulk *tmp = NULL;
	kv *items = NULL;
	uint16_t last_sym = 0;
	uint8_t last_code = 0;
	int rc = ST_OK;
	if (n == 0)
		return ST_OK;
	buf = malloc(ADJ_CHUNK * 14);
	items = malloc(ADJ_CHUNK * sizeof *items);
	tmp = st_big_alloc(n * sizeof *tmp);
	if (!buf || !items || !tmp) {
		rc = ST_ENOMEM;
		goto done;
	}
	/* symbols to type codes, once per distinct type */
	for (size_t i = 0; i < n; i++) {
		if (e[i].b_type != last_sym || !last_code) {
			last_sym = e[i].b_type;
			if ((rc = st_tcode(t, last_sym, 1, &last_code)) != ST_OK)
				goto done;
		}
		e[i].b_type = last_code;
	}
	for (int dir = 0; dir < 2 && rc == ST_OK; dir++) {
		if (dir == ST_IN)
			for (size_t i = 0; i < n; i++) {
				uint32_t x = e[i].b_src;
				e[i].b_src = e[i].b_dst;
				e[i].b_dst = x;
			}
		if ((rc = adj_order(e, n, tmp)) == ST_OK)
			rc = adj_write(t, dir, e, n, buf, items);
	}
done:
	free(buf);
	free(items);
	st_big_free(tmp);
	return rc;
}

/* ---- labels ---- */

int st_label_add(st_txn *t, uint16_t label, uint32_t node)
{
	unsigned char kb[2], vb[4];
	MDB_val k = { 2, kb }, v = { 4, vb };
	st_put16(kb, label);
	st_put32(vb, node);
	return dup_set(t, ST_LABELS, &k, &v, 1);
}

int st_label_del(st_txn *t, uint16_t label, uint32_t node)
{
	unsigned char kb[2], vb[4];
	MDB_val k = { 2, kb }, v = { 4, vb };
	st_put16(kb, label);
	st_put32(vb, node);
	return dup_del(t, ST_LABELS, &k, &v);
}

uint64_t st_label_count(st_txn *t, uint16_t label)
{
	MDB_cursor *c = st_cursor(t, ST_LABELS);
	unsigned char kb[2];
	MDB_val k = { 2, kb }, d;
	size_t n = 0;
	uint64_t all;
	int rc;
	st_put16(kb, label);
	if ((rc = st_pr_dups(t, ST_LABELS, &k, NULL, &all)) != PR_ASIDE)
		return rc == ST_OK ? all : 0;
	if (!c)
		return 0;
	if ((rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY)) == 0)
		rc = mdb_cursor_count(c, &n);
	if (rc && rc != MDB_NOTFOUND)
		st_mdb_err(rc, "labels");   /* a damaged page, noted: later calls see only a failed transaction */
	return rc ? 0 : n;
}

int st_label_each(st_txn *t, uint16_t label, void (*fn)(void *arg, uint32_t node), void *arg)
{
	MDB_cursor *c = st_cursor(t, ST_LABELS);
	unsigned char kb[2];
	MDB_val k = { 2, kb }, d;
	int rc;
	st_pr_stop(t);   /* a scan of the label: the map's pages in order serve it */
	if (!c)
		return ST_EIO;
	st_put16(kb, label);
	if ((rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY)))
		return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "labels");
	/* a page of entries at a time: one call per page, not per node */
	for (rc = mdb_cursor_get(c, &k, &d, MDB_GET_MULTIPLE); !rc;
	    rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_MULTIPLE)) {
		const unsigned char *p = d.mv_data;
		if (d.mv_size % 4) {
			st_seterr("label index: entries of %zu bytes", d.mv_size);
			return st_corrupt();
		}
		for (size_t i = 0; i < d.mv_size; i += 4)
			fn(arg, st_get32(p + i));
	}
	return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "labels");
}

int st_label_next(st_txn *t, uint16_t label, uint32_t *node)
{
	unsigned char kb[2], vb[4];
	MDB_val k = { 2, kb }, d = { 4, vb };
	int rc;
	st_pr_scan(t);
	if (!t->t_labcur && mdb_cursor_open(t->t_txn, DBI(t, ST_LABELS), &t->t_labcur))
		return ST_EIO;
	if (*node == 0xffffffffu)
		return ST_ENOTFOUND;
	if (t->t_lab_ok && t->t_lab_label == label && t->t_lab_node == *node) {
		/* the next of a scan in progress: one step, no search */
		rc = mdb_cursor_get(t->t_labcur, &k, &d, MDB_NEXT_DUP);
	} else {
		st_put16(kb, label);
		st_put32(vb, *node + 1);
		rc = mdb_cursor_get(t->t_labcur, &k, &d, MDB_GET_BOTH_RANGE);
	}
	if (rc || d.mv_size != 4 || st_get32(d.mv_data) <= *node) {
		t->t_lab_ok = 0;
		if (rc)
			return st_mdb_err(rc, "labels");
		st_seterr("label index: malformed or out-of-order entry after node %u", *node);
		return st_corrupt();
	}
	*node = st_get32(d.mv_data);
	t->t_lab_ok = 1;
	t->t_lab_label = label;
	t->t_lab_node = *node;
	return ST_OK;
}

/* ---- keys ---- */

static int key_bytes(unsigned char *kb, uint16_t label, const char *key, size_t len)
{
	if (len > ST_MAX_KEY) {
		st_seterr("key of %zu bytes is longer than %d", len, ST_MAX_KEY);
		return ST_ELIMIT;
	}
	st_put16(kb, label);
	memcpy(kb + 2, key, len);
	return ST_OK;
}

int st_key_get(st_txn *t, uint16_t label, const char *key, size_t len, uint32_t *node)
{
	unsigned char kb[ST_MAX_KEY + 2];
	MDB_val k = { len + 2, kb }, v;
	int rc;
	if (len > ST_MAX_KEY)
		return ST_ENOTFOUND;
	key_bytes(kb, label, key, len);
	if ((rc = st_get(t, ST_KEYS, &k, &v, "key")))
		return rc;
	if (v.mv_size != 4)
		return st_corrupt();
	*node = st_get32(v.mv_data);
	return ST_OK;
}

int st_key_put(st_txn *t, uint16_t label, const char *key, size_t len, uint32_t node)
{
	unsigned char kb[ST_MAX_KEY + 2], vb[4];
	MDB_val k = { len + 2, kb }, v = { 4, vb };
	uint32_t cur;
	int rc;
	if ((rc = key_bytes(kb, label, key, len)) != ST_OK)
		return rc;
	if (st_key_get(t, label, key, len, &cur) == ST_OK)
		return cur == node ? ST_OK : ST_EEXISTS;
	st_put32(vb, node);
	return st_mdb_err(mdb_put(t->t_txn, DBI(t, ST_KEYS), &k, &v, 0), "key");
}

int st_key_del(st_txn *t, uint16_t label, const char *key, size_t len)
{
	unsigned char kb[ST_MAX_KEY + 2];
	MDB_val k = { len + 2, kb };
	int rc;
	if ((rc = key_bytes(kb, label, key, len)) != ST_OK)
		return rc;
	return st_mdb_err(mdb_del(t->t_txn, DBI(t, ST_KEYS), &k, NULL), "key");
}

int st_key_next(st_txn *t, uint16_t *label, const char **key, size_t *len, uint32_t *node)
{
	MDB_cursor *c = st_cursor(t, ST_KEYS);
	unsigned char kb[ST_MAX_KEY + 3];
	MDB_val k, v;
	int rc;
	if (!c)
		return ST_EIO;
	if (*label == 0 && *len == 0) {
		rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	} else {
		key_bytes(kb, *label, *key, *len);
		k.mv_size = *len + 2;
		k.mv_data = kb;
		rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
		if (rc == 0 && k.mv_size == *len + 2 && memcmp(k.mv_data, kb, k.mv_size) == 0)
			rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	if (rc)
		return st_mdb_err(rc, "keys");
	if (k.mv_size < 2 || k.mv_size > ST_MAX_KEY + 2 || v.mv_size != 4) {
		st_seterr("key index: malformed entry");
		return st_corrupt();
	}
	if (*label || *len) {
		/* must come after the previous key, or a scan could go round */
		size_t m = k.mv_size < *len + 2 ? k.mv_size : *len + 2;
		int cmp = memcmp(k.mv_data, kb, m);
		if (cmp < 0 || (cmp == 0 && k.mv_size <= *len + 2)) {
			st_seterr("key index: out-of-order entry");
			return st_corrupt();
		}
	}
	*label = st_get16(k.mv_data);
	*key = (const char *)k.mv_data + 2;
	*len = k.mv_size - 2;
	*node = st_get32(v.mv_data);
	return ST_OK;
}

/* ---- text index ---- */

static size_t ident_key(unsigned char *kb, char kind, const char *text, size_t len)
{
	if (len > ST_MAX_KEY - 1) {
		len = ST_MAX_KEY - 1;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;   /* cut on a UTF-8 boundary */
	}
	kb[0] = (unsigned char)kind;
	memcpy(kb + 1, text, len);
	return len + 1;
}

/* Adds (add) or removes the entry kind+text -> node; adding one that is
 * there, or removing one that is not, is no error. */
static int ident_change(st_txn *t, int add, char kind, const char *text, size_t len, uint32_t node)
{
	unsigned char kb[ST_MAX_KEY + 1], vb[4];
	MDB_val k, v = { 4, vb };
	if (len == 0)
		return ST_OK;
	k.mv_size = ident_key(kb, kind, text, len);
	k.mv_data = kb;
	st_put32(vb, node);
	return dup_set(t, ST_IDENT, &k, &v, add);
}

int st_ident_add(st_txn *t, char kind, const char *text, size_t len, uint32_t node)
{
	return ident_change(t, 1, kind, text, len, node);
}

int st_ident_del(st_txn *t, char kind, const char *text, size_t len, uint32_t node)
{
	return ident_change(t, 0, kind, text, len, node);
}

int st_ident_scan(st_txn *t, char kind, const char *prefix, size_t len,
    int (*fn)(void *arg, char kind, const char *text, size_t tlen, uint32_t node), void *arg)
{
	MDB_cursor *c = st_cursor(t, ST_IDENT);
	unsigned char kb[ST_MAX_KEY + 1];
	MDB_val k, d;
	size_t plen = 0;
	int rc;
	if (!c)
		return ST_EIO;
	if (kind) {
		plen = ident_key(kb, kind, prefix, len);
		k.mv_size = plen;
		k.mv_data = kb;
		rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
	} else {
		rc = mdb_cursor_get(c, &k, &d, MDB_FIRST);
	}
	while (rc == 0) {
		if (plen && (k.mv_size < plen || memcmp(k.mv_data, kb, plen) != 0))
			return ST_OK;
		if (k.mv_size < 1 || k.mv_size > ST_MAX_KEY + 1 || d.mv_size != 4) {
			st_seterr("text index: malformed entry");
			return st_corrupt();
		}
		if (fn(arg, *(const char *)k.mv_data, (const char *)k.mv_data + 1, k.mv_size - 1, st_get32(d.mv_data)))
			return ST_OK;
		rc = mdb_cursor_get(c, &k, &d, MDB_NEXT);
	}
	return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "text index");
}

/* ---- citations ---- */

static void cite_pack(unsigned char *p, const st_cite *c)
{
	p[0] = c->c_kind;
	st_put32(p + 1, c->c_id);
	st_put32(p + 5, c->c_src);
	p[9] = c->c_conf;
}

/* Adds (add) or removes the citation c of source; one already there, or
 * not there, is no error. */
static int cite_change(st_txn *t, uint32_t source, const st_cite *c, int add)
{
	unsigned char kb[4], vb[ST_CITE_LEN];
	MDB_val k = { 4, kb }, v = { ST_CITE_LEN, vb };
	st_put32(kb, source);
	cite_pack(vb, c);
	return dup_set(t, ST_CITES, &k, &v, add);
}

int st_cite_add(st_txn *t, uint32_t source, const st_cite *c)
{
	return cite_change(t, source, c, 1);
}

int st_cite_del(st_txn *t, uint32_t source, const st_cite *c)
{
	return cite_change(t, source, c, 0);
}

static void cite_unpack(const unsigned char *p, st_cite *c)
{
	c->c_kind = p[0];
	c->c_id = st_get32(p + 1);
	c->c_src = st_get32(p + 5);
	c->c_conf = p[9];
}

int st_cite_scan(st_txn *t, uint32_t source, int (*fn)(void *arg, const st_cite *c), void *arg)
{
	MDB_cursor *c;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, d;
	st_cite ci;
	int rc;
	if (mdb_cursor_open(t->t_txn, DBI(t, ST_CITES), &c))
		return ST_EIO;
	st_put32(kb, source);
	for (rc = mdb_cursor_get(c, &k, &d, MDB_SET_KEY); rc == 0; rc = mdb_cursor_get(c, &k, &d, MDB_NEXT_DUP)) {
		if (d.mv_size != ST_CITE_LEN) {
			mdb_cursor_close(c);
			return st_corrupt();
		}
		cite_unpack(d.mv_data, &ci);
		if (fn(arg, &ci))
			break;
	}
	mdb_cursor_close(c);
	return rc == 0 || rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "citations");
}

int st_cite_next(st_txn *t, uint32_t *source, st_cite *ci)
{
	MDB_cursor *c = st_cursor(t, ST_CITES);
	unsigned char kb[4], vb[ST_CITE_LEN];
	MDB_val k = { 4, kb }, d = { ST_CITE_LEN, vb };
	int rc;
	if (!c)
		return ST_EIO;
	if (*source == 0) {
		rc = mdb_cursor_get(c, &k, &d, MDB_FIRST);
	} else {
		st_put32(kb, *source);
		cite_pack(vb, ci);
		rc = mdb_cursor_get(c, &k, &d, MDB_GET_BOTH_RANGE);
		if (rc == 0 && memcmp(d.mv_data, vb, ST_CITE_LEN) == 0)
			rc = mdb_cursor_get(c, &k, &d, MDB_NEXT);
		else if (rc == MDB_NOTFOUND) {
			st_put32(kb, *source + 1);
			k.mv_size = 4;
			k.mv_data = kb;
			rc = mdb_cursor_get(c, &k, &d, MDB_SET_RANGE);
		}
	}
	if (rc)
		return st_mdb_err(rc, "citations");
	if (k.mv_size != 4 || d.mv_size != ST_CITE_LEN) {
		st_seterr("citation index: malformed entry");
		return st_corrupt();
	}
	if (*source) {
		unsigned char now[4 + ST_CITE_LEN], was[4 + ST_CITE_LEN];
		memcpy(now, k.mv_data, 4);
		memcpy(now + 4, d.mv_data, ST_CITE_LEN);
		st_put32(was, *source);
		cite_pack(was + 4, ci);
		if (memcmp(now, was, sizeof now) <= 0) {
			st_seterr("citation index: out-of-order entry");
			return st_corrupt();
		}
	}
	*source = st_get32(k.mv_data);
	cite_unpack(d.mv_data, ci);
	return ST_OK;
}

/* ---- bulk index batches ---- */

typedef struct batch_tab {
	unsigned char *data;   /* entries: [u16 klen][u8 vlen][key][val] */
	size_t len, cap, n;
} batch_tab;

enum { B_LABELS, B_KEYS, B_IDENT, B_CITES, B_N };

struct st_index_batch {
	batch_tab tabs[B_N];
};

st_index_batch *st_batch_new(void)
{
	return calloc(1, sizeof(st_index_batch));
}

void st_batch_free(st_index_batch *b)
{
	if (!b)
		return;
	for (int i = 0; i < B_N; i++)
		st_big_free(b->tabs[i].data);
	free(b);
}

static int batch_add(batch_tab *tb, const void *k, size_t kl, const void *v, size_t vl)
{
	size_t need = 3 + kl + vl;
	if (tb->len + need > tb->cap) {
		size_t cap = tb->cap ? tb->cap * 2 : 1 << 16;
		while (cap < tb->len + need)
			cap *= 2;
		unsigned char *nd = st_big_realloc(tb->data, cap);
		if (!nd)
			return ST_ENOMEM;
		tb->data = nd;
		tb->cap = cap;
	}
	unsigned char *p = tb->data + tb->len;
	st_put16(p, (uint16_t)kl);
	p[2] = (unsigned char)vl;
	memcpy(p + 3, k, kl);
	memcpy(p + 3 + kl, v, vl);
	tb->len += need;
	tb->n++;
	return ST_OK;
}

int st_batch_label(st_index_batch *b, uint16_t label, uint32_t node)
{
	unsigned char kb[2], vb[4];
	st_put16(kb, label);
	st_put32(vb, node);
	return batch_add(&b->tabs[B_LABELS], kb, 2, vb, 4);
}

int st_batch_key(st_index_batch *b, uint16_t label, const char *key, size_t len, uint32_t node)
{
	unsigned char kb[ST_MAX_KEY + 2], vb[4];
	int rc;
	if ((rc = key_bytes(kb, label, key, len)) != ST_OK)
		return rc;
	st_put32(vb, node);
	return batch_add(&b->tabs[B_KEYS], kb, len + 2, vb, 4);
}

int st_batch_ident(st_index_batch *b, char kind, const char *text, size_t len, uint32_t node)
{
	unsigned char kb[ST_MAX_KEY + 1], vb[4];
	size_t kl;
	if (len == 0)
		return ST_OK;
	kl = ident_key(kb, kind, text, len);
	st_put32(vb, node);
	return batch_add(&b->tabs[B_IDENT], kb, kl, vb, 4);
}

int st_batch_cite(st_index_batch *b, uint32_t source, const st_cite *c)
{
	unsigned char kb[4], vb[ST_CITE_LEN];
	st_put32(kb, source);
	cite_pack(vb, c);
	return batch_add(&b->tabs[B_CITES], kb, 4, vb, ST_CITE_LEN);
}

/* An index entry and the first eight bytes it sorts by: most comparisons
 * of a large batch end on this integer rather than in two memcmp calls. */
typedef struct kv_sort {
	uint64_t ks_pk;
	kv ks_kv;
} kv_sort;

static int cmp_kv_sort(const void *a, const void *b)
{
	const kv_sort *x = a, *y = b;
	if (x->ks_pk != y->ks_pk)
		return x->ks_pk < y->ks_pk ? -1 : 1;
	return cmp_kv(&x->ks_kv, &y->ks_kv);
}

/* The sort prefix: the key's first bytes, zero-padded (a shorter key sorts
 * first, as cmp_kv has it); when every key of the batch has one length
 * below eight, the value's first bytes follow it (keys equal, cmp_kv goes
 * on to the values). */
static uint64_t kv_prefix(const kv *e, int fixed)
{
	uint64_t pk = 0;
	size_t n = 0;
	for (size_t i = 0; i < e->kl && n < 8; i++, n++)
		pk = pk << 8 | e->k[i];
	if (fixed)
		for (size_t i = 0; i < e->vl && n < 8; i++, n++)
			pk = pk << 8 | e->v[i];
	return n < 8 ? pk << (8 * (8 - n)) : pk;
}

int st_batch_flush(st_txn *t, st_index_batch *b)
{
	static const int dbs[B_N] = { ST_LABELS, ST_KEYS, ST_IDENT, ST_CITES };
	static const int dup[B_N] = { 1, 0, 1, 1 };
	int rc = ST_OK;
	for (int i = 0; i < B_N && rc == ST_OK; i++) {
		batch_tab *tb = &b->tabs[i];
		kv *items;
		kv_sort *ks;
		size_t off = 0;
		int fixed = 1, sorted = 1;
		if (!tb->n)
			continue;
		if (!(items = st_big_alloc(tb->n * sizeof *items)))
			return ST_ENOMEM;
		for (size_t x = 0; x < tb->n; x++) {
			const unsigned char *p = tb->data + off;
			items[x].kl = st_get16(p);
			items[x].vl = p[2];
			items[x].k = p + 3;
			items[x].v = p + 3 + items[x].kl;
			off += 3 + items[x].kl + items[x].vl;
			fixed &= items[x].kl == items[0].kl && items[x].kl < 8;
			/* the label index of nodes made label by label comes in
			 * order: no sort, no sort buffers */
			sorted &= x == 0 || cmp_kv(&items[x - 1], &items[x]) <= 0;
		}
		if (!sorted) {
			if (!(ks = st_big_alloc(tb->n * sizeof *ks))) {
				st_big_free(items);
				return ST_ENOMEM;
			}
			for (size_t x = 0; x < tb->n; x++) {
				ks[x].ks_kv = items[x];
				ks[x].ks_pk = kv_prefix(&items[x], fixed);
			}
			qsort(ks, tb->n, sizeof *ks, cmp_kv_sort);
			for (size_t x = 0; x < tb->n; x++)
				items[x] = ks[x].ks_kv;
			st_big_free(ks);
		}
		if (!dup[i]) {
			/* keys: a key may be given twice in one batch only for one node */
			for (size_t x = 1; x < tb->n; x++)
				if (items[x].kl == items[x - 1].kl && memcmp(items[x].k, items[x - 1].k, items[x].kl) == 0 &&
				    memcmp(items[x].v, items[x - 1].v, 4) != 0) {
					st_seterr("duplicate key in one batch");
					st_big_free(items);
					return ST_EEXISTS;
				}
		}
		rc = put_sorted(t, dbs[i], dup[i], items, tb->n);
		st_big_free(items);
		st_big_free(tb->data);
		memset(tb, 0, sizeof *tb);
	}
	return rc;
}
