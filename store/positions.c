/*
 * positions.c: AIS positions, a compact time series per MMSI (see the
 * `positions` table in store.h).
 *
 * Records are 18 bytes with the time first, big-endian, so that LMDB's
 * DUPSORT order (memcmp of the record) is time order and an MMSI's track
 * is one range of its duplicates.  Equality for "exact duplicate" is on
 * the first 16 bytes: the same report read from two files is one position,
 * whichever source stored it first.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define POS_CMP 16   /* bytes compared for duplicates: all but the source */

struct st_pos_iter {
	st_txn *pi_t;
	MDB_cursor *pi_cur;
	int pi_first;        /* the cursor stands on a record not yet read */
	int pi_done;
};

/* SOG, COG and heading share one word with AIS's own widths: 10 bits of
 * 0.1 knot (1023: not available), 12 bits of 0.1 degree (4095: not
 * available), 9 bits of degrees (511: not available). */
#define SOG_NA 1023u
#define COG_NA 4095u

static void pos_pack(unsigned char *b, const st_pos *p)
{
	uint32_t sog = p->p_sog < SOG_NA ? p->p_sog : SOG_NA;
	uint32_t cog = p->p_cog < 3600 ? p->p_cog : COG_NA;
	uint32_t hd = p->p_heading < 360 ? p->p_heading : 511;
	st_put32(b, p->p_time);
	st_put32(b + 4, (uint32_t)p->p_lat);
	st_put32(b + 8, (uint32_t)p->p_lon);
	st_put32(b + 12, sog | cog << 10 | hd << 22);
	st_put16(b + 16, p->p_src);
}

static void pos_unpack(const unsigned char *b, st_pos *p)
{
	uint32_t w = st_get32(b + 12);
	p->p_time = st_get32(b);
	p->p_lat = (int32_t)st_get32(b + 4);
	p->p_lon = (int32_t)st_get32(b + 8);
	p->p_sog = (w & 1023u) == SOG_NA ? ST_POS_NONE16 : (uint16_t)(w & 1023u);
	p->p_cog = (w >> 10 & 4095u) == COG_NA ? ST_POS_NONE16 : (uint16_t)(w >> 10 & 4095u);
	p->p_heading = (uint16_t)(w >> 22 & 511u);
	p->p_src = st_get16(b + 16);
}

/* Whether a record equal to b in all but the source is stored under k. */
static int pos_stored(MDB_cursor *c, MDB_val *k, const unsigned char *b)
{
	unsigned char probe[ST_POS_LEN];
	MDB_val kk = *k, v = { ST_POS_LEN, probe };
	memcpy(probe, b, POS_CMP);
	memset(probe + POS_CMP, 0, ST_POS_LEN - POS_CMP);
	if (mdb_cursor_get(c, &kk, &v, MDB_GET_BOTH_RANGE) != 0)
		return 0;
	return v.mv_size == ST_POS_LEN && memcmp(v.mv_data, b, POS_CMP) == 0;
}

int st_pos_put_many(st_txn *t, uint32_t mmsi, const st_pos *p, size_t n, uint64_t *added)
{
	MDB_cursor *c = st_cursor(t, ST_POS);
	unsigned char kb[4], last[ST_POS_LEN], b[ST_POS_LEN];
	MDB_val k = { 4, kb }, v;
	int have_last = 0, rc;
	uint64_t nadd = 0;

	if (!c)
		return ST_EIO;
	st_put32(kb, mmsi);
	if (mdb_cursor_get(c, &k, &v, MDB_SET_KEY) == 0 &&
	    mdb_cursor_get(c, &k, &v, MDB_LAST_DUP) == 0 && v.mv_size == ST_POS_LEN) {
		memcpy(last, v.mv_data, ST_POS_LEN);
		have_last = 1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned flags = MDB_NODUPDATA;
		pos_pack(b, &p[i]);
		if (have_last && memcmp(b, last, POS_CMP) == 0)
			continue;
		if (!have_last || memcmp(b, last, POS_CMP) > 0) {
			/* after everything stored: append, no search */
			flags = MDB_APPENDDUP;
			if (have_last && memcmp(b, last, ST_POS_LEN) <= 0)
				flags = MDB_NODUPDATA;
		} else {
			k.mv_size = 4;
			k.mv_data = kb;
			if (pos_stored(c, &k, b))
				continue;
		}
		k.mv_size = 4;
		k.mv_data = kb;
		v.mv_size = ST_POS_LEN;
		v.mv_data = b;
		rc = mdb_cursor_put(c, &k, &v, flags);
		if (rc == MDB_KEYEXIST)
			continue;
		if (rc)
			return st_mdb_err(rc, "positions");
		st_digest_item(t, 1, 'p', kb, 4, b, ST_POS_LEN);
		nadd++;
		if (!have_last || memcmp(b, last, ST_POS_LEN) > 0) {
			memcpy(last, b, ST_POS_LEN);
			have_last = 1;
		}
	}
	if (added)
		*added = nadd;
	return ST_OK;
}

int st_pos_del_mmsi(st_txn *t, uint32_t mmsi, uint64_t *deleted)
{
	MDB_cursor *c = st_cursor(t, ST_POS);
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	uint64_t nd = 0;
	int rc;
	if (!c)
		return ST_EIO;
	st_put32(kb, mmsi);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
	while (rc == 0) {
		if (v.mv_size == ST_POS_LEN)
			st_digest_item(t, -1, 'p', kb, 4, v.mv_data, ST_POS_LEN);
		nd++;
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP);
	}
	if (rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	k.mv_size = 4;
	k.mv_data = kb;
	rc = mdb_del(t->t_txn, DBI(t, ST_POS), &k, NULL);
	if (rc && rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	if (deleted)
		*deleted = nd;
	return ST_OK;
}

int st_pos_open(st_txn *t, st_pos_iter **out)
{
	st_pos_iter *it = calloc(1, sizeof *it);
	int rc;
	if (!it)
		return ST_ENOMEM;
	it->pi_t = t;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &it->pi_cur))) {
		free(it);
		return st_mdb_err(rc, "positions");
	}
	it->pi_done = 1;
	*out = it;
	return ST_OK;
}

int st_pos_seek(st_pos_iter *it, uint32_t mmsi, uint32_t t0)
{
	unsigned char kb[4], b[ST_POS_LEN];
	MDB_val k = { 4, kb }, v = { ST_POS_LEN, b };
	int rc;
	st_put32(kb, mmsi);
	memset(b, 0, sizeof b);
	st_put32(b, t0);
	rc = mdb_cursor_get(it->pi_cur, &k, &v, MDB_GET_BOTH_RANGE);
	it->pi_first = rc == 0;
	it->pi_done = rc != 0;
	if (rc && rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	return ST_OK;
}

int st_pos_read(st_pos_iter *it, st_pos *p)
{
	MDB_val k, v;
	int rc;
	if (it->pi_done)
		return 0;
	rc = mdb_cursor_get(it->pi_cur, &k, &v, it->pi_first ? MDB_GET_CURRENT : MDB_NEXT_DUP);
	it->pi_first = 0;
	if (rc == MDB_NOTFOUND) {
		it->pi_done = 1;
		return 0;
	}
	if (rc)
		return st_mdb_err(rc, "positions");
	if (v.mv_size != ST_POS_LEN) {
		st_seterr("positions: record of %zu bytes", v.mv_size);
		return ST_ECORRUPT;
	}
	pos_unpack(v.mv_data, p);
	return 1;
}

void st_pos_close(st_pos_iter *it)
{
	if (!it)
		return;
	mdb_cursor_close(it->pi_cur);
	free(it);
}

int st_pos_next_mmsi(st_txn *t, uint32_t *mmsi, uint64_t *count)
{
	MDB_cursor *c;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	size_t n = 0;
	int rc;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &c)))
		return st_mdb_err(rc, "positions");
	if (*mmsi == 0xffffffffu) {
		mdb_cursor_close(c);
		return ST_ENOTFOUND;
	}
	st_put32(kb, *mmsi + 1);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (rc == 0 && k.mv_size == 4) {
		*mmsi = st_get32(k.mv_data);
		if (count && mdb_cursor_count(c, &n) == 0)
			*count = n;
	}
	mdb_cursor_close(c);
	if (rc == MDB_NOTFOUND)
		return ST_ENOTFOUND;
	return rc ? st_mdb_err(rc, "positions") : k.mv_size == 4 ? ST_OK : ST_ECORRUPT;
}

int st_pos_stat(st_txn *t, uint64_t *count, uint64_t *bytes)
{
	MDB_stat s;
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t sub = 0;
	int rc = mdb_stat(t->t_txn, DBI(t, ST_POS), &s);
	if (rc)
		return st_mdb_err(rc, "positions");
	*count = s.ms_entries;
	/* mdb_stat counts the main tree only; an MMSI whose records outgrow a
	 * sub-page has its own tree, whose pages LMDB does not expose: count
	 * them as full leaf pages (sorted appends fill them) plus one branch
	 * page per 256 leaves */
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &c)))
		return st_mdb_err(rc, "positions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_NODUP)) {
		size_t n = 0;
		uint64_t per = (s.ms_psize - 16) / ST_POS_LEN, leaves;
		mdb_cursor_count(c, &n);
		if ((uint64_t)n * ST_POS_LEN <= s.ms_psize / 2)
			continue;   /* a sub-page inside the main tree's leaf: counted */
		leaves = (n + per - 1) / per;
		sub += leaves + (leaves > 1 ? (leaves + 255) / 256 : 0);
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	*bytes = (uint64_t)s.ms_psize * (s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages + sub);
	return ST_OK;
}

int st_pos_digest(st_txn *t, uint64_t out[4])
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t h[4];
	int rc;
	memset(out, 0, 4 * sizeof out[0]);
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &c)))
		return st_mdb_err(rc, "positions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		unsigned carry = 0;
		st_item_hash(t->t_env, 'p', k.mv_data, k.mv_size, v.mv_data, v.mv_size, h);
		for (int i = 0; i < 4; i++) {   /* the same 256-bit sum as env.c's */
			uint64_t s = out[i] + h[i];
			unsigned c1 = s < out[i];
			uint64_t s2 = s + carry;
			carry = c1 | (s2 < s);
			out[i] = s2;
		}
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "positions");
}

/* ---- sources: meta "pos_src" holds u32 Source node ids, index 1 first ---- */

uint32_t st_pos_source(st_txn *t, uint16_t idx)
{
	const void *v;
	size_t len;
	if (idx == 0 || st_meta_get(t, "pos_src", &v, &len) != ST_OK || (size_t)idx * 4 > len)
		return 0;
	return st_get32((const unsigned char *)v + 4 * (idx - 1));
}

int st_pos_source_index(st_txn *t, uint32_t node, uint16_t *idx)
{
	const void *v = NULL;
	size_t len = 0;
	unsigned char *nb;
	int rc = st_meta_get(t, "pos_src", &v, &len);
	if (rc && rc != ST_ENOTFOUND)
		return rc;
	if (rc == ST_ENOTFOUND)
		len = 0;
	for (size_t i = 0; i + 4 <= len; i += 4)
		if (st_get32((const unsigned char *)v + i) == node) {
			*idx = (uint16_t)(i / 4 + 1);
			return ST_OK;
		}
	if (len / 4 >= 0xfffe) {
		st_seterr("positions: more than 65534 AIS sources");
		return ST_ELIMIT;
	}
	if (!(nb = malloc(len + 4)))
		return ST_ENOMEM;
	if (len)
		memcpy(nb, v, len);
	st_put32(nb + len, node);
	rc = st_meta_put(t, "pos_src", nb, len + 4);
	free(nb);
	if (rc == ST_OK)
		*idx = (uint16_t)(len / 4 + 1);
	return rc;
}
