/*
 * edges.c: relationship records, kept 64 to an LMDB entry (an edge block).
 *
 * A block, key u32 block number (edge id >> 6):
 *
 *   [u64 bitmap: bit i set when edge (block << 6) + i has a record]
 *   [u16 L]
 *   L > 0: the k records present all have L bytes (the usual case: one
 *          relationship type's records have the same properties), and
 *          follow in id order: record j starts at 10 + j * L
 *   L = 0: an offset table, for each record present in id order the
 *          offset of its end from the start of the block, u16 each, or u32
 *          when the block is longer than 65,535 bytes; then the records,
 *          in id order, back to back: record j runs from the end of record
 *          j - 1 (the end of the table for the first) to its own end
 *
 * Either way reading one record costs a multiplication or two offsets:
 * O(1) in the block, where format 2 walked a varint length per record
 * before it (a quarter of the time of reading one relationship property in
 * scan order).  The uniform form is used exactly when every record has the
 * same length, so a block has one packing; the table's width follows from
 * the block's length alone.  Every offset read is checked against the block
 * before it is used: a damaged block is refused, never read past.
 *
 * Writes gather in the transaction's write block (st_block), unpacked: the
 * records in a buffer in the order written, with each one's place and
 * length, packed once when the transaction moves to another block or ends.
 * A bulk load appends 64 records to a block and packs it once.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define BLK_HDR 10   /* the bitmap and L */

static unsigned blk_width(size_t n)
{
	return n > 0xffff ? 4 : 2;
}

/* The j-th entry of the offset table. */
static size_t blk_off(const unsigned char *b, unsigned w, unsigned j)
{
	const unsigned char *p = b + BLK_HDR + (size_t)w * j;
	return w == 2 ? st_get16(p) : st_get32(p);
}

int st_blk_record(const unsigned char *b, size_t n, unsigned low, const unsigned char **rec, size_t *len)
{
	uint64_t bm, below;
	unsigned w, k, j, uni;
	size_t hdr, start, end;
	if (n < BLK_HDR)
		return -1;
	bm = st_get64(b);
	if (!((bm >> low) & 1))
		return 0;
	k = (unsigned)__builtin_popcountll(bm);
	below = low ? bm & (~(uint64_t)0 >> (64 - low)) : 0;
	j = (unsigned)__builtin_popcountll(below);
	if ((uni = st_get16(b + 8))) {
		if (n != BLK_HDR + (size_t)uni * k)
			return -1;
		*rec = b + BLK_HDR + (size_t)uni * j;
		*len = uni;
		return 1;
	}
	w = blk_width(n);
	hdr = BLK_HDR + (size_t)w * k;
	if (hdr > n)
		return -1;
	start = j ? blk_off(b, w, j - 1) : hdr;
	end = blk_off(b, w, j);
	if (start < hdr || end <= start || end > n)
		return -1;
	*rec = b + start;
	*len = end - start;
	return 1;
}

int st_blk_check(const unsigned char *b, size_t n)
{
	uint64_t bm;
	unsigned w, k, uni;
	size_t at, first = 0;
	int same = 1;
	if (n < BLK_HDR || !(bm = st_get64(b)))
		return -1;   /* a block with no record is deleted, never stored */
	k = (unsigned)__builtin_popcountll(bm);
	if ((uni = st_get16(b + 8)))
		return n == BLK_HDR + (size_t)uni * k ? 0 : -1;
	w = blk_width(n);
	at = BLK_HDR + (size_t)w * k;
	if (at > n)
		return -1;
	for (unsigned j = 0; j < k; j++) {
		size_t end = blk_off(b, w, j);
		if (end <= at || end > n)
			return -1;
		if (j == 0)
			first = end - at;
		same &= end - at == first;
		at = end;
	}
	/* the records fill the block exactly; equal lengths would have been
	 * packed uniform, and a u32 table is used only where u16 offsets could
	 * not reach */
	if (at != n || (same && first <= 0xffff))
		return -1;
	return w == 2 || BLK_HDR + 2 * (size_t)k + (n - BLK_HDR - 4 * (size_t)k) > 0xffff ? 0 : -1;
}

/* ---- the write block ---- */

static int grow(unsigned char **p, size_t *cap, size_t need)
{
	if (need > *cap) {
		size_t c = need * 2 < 4096 ? 4096 : need * 2;
		unsigned char *nd = realloc(*p, c);
		if (!nd)
			return ST_ENOMEM;
		*p = nd;
		*cap = c;
	}
	return ST_OK;
}

/* Packs the records present in `bm` (record i: len[i] bytes at base +
 * at[i], `live` bytes in all) into *out (grown as needed): *n receives the
 * block's length. */
static int blk_pack(uint64_t bm, const unsigned char *base, const uint32_t *at, const uint32_t *len, size_t live,
    unsigned char **out, size_t *cap, size_t *n)
{
	unsigned k = (unsigned)__builtin_popcountll(bm), w, j = 0;
	uint32_t uni = 0;
	size_t pos, total;
	int rc;
	for (unsigned i = 0; i < 64; i++)
		if ((bm >> i) & 1) {
			if (!uni)
				uni = len[i];
			else if (uni != len[i])
				uni = 0x10000;   /* not uniform */
		}
	if (uni > 0xffff)
		uni = 0;
	w = uni ? 0 : BLK_HDR + 2 * (size_t)k + live > 0xffff ? 4 : 2;
	total = BLK_HDR + (size_t)w * k + live;
	if ((rc = grow(out, cap, total)) != ST_OK)
		return rc;
	st_put64(*out, bm);
	st_put16(*out + 8, (uint16_t)uni);
	pos = BLK_HDR + (size_t)w * k;
	for (unsigned i = 0; i < 64; i++) {
		unsigned char *o;
		if (!((bm >> i) & 1))
			continue;
		memcpy(*out + pos, base + at[i], len[i]);
		pos += len[i];
		o = *out + BLK_HDR + (size_t)w * j++;
		if (w == 2)
			st_put16(o, (uint16_t)pos);
		else if (w == 4)
			st_put32(o, (uint32_t)pos);
	}
	*n = total;
	return ST_OK;
}

int st_blk_from_v2(const unsigned char *b, size_t n, unsigned char **out, size_t *cap, size_t *outlen)
{
	uint32_t at[64], len[64];
	const unsigned char *p = b + 8, *end = b + n;
	uint64_t bm;
	size_t live = 0;
	if (n < 8 || !(bm = st_get64(b)))
		return st_corrupt();
	for (unsigned i = 0; i < 64; i++) {
		uint64_t l = 0;
		int shift = 0;
		if (!((bm >> i) & 1))
			continue;
		/* [varint length][bytes], the length checked against the block */
		while (p < end && (*p & 0x80) && shift < 63) {
			l |= (uint64_t)(*p++ & 0x7f) << shift;
			shift += 7;
		}
		if (p >= end)
			return st_corrupt();
		l |= (uint64_t)*p++ << shift;
		if (l == 0 || l > (uint64_t)(end - p) || l > 0x7fffffff)
			return st_corrupt();
		at[i] = (uint32_t)(p - b);
		len[i] = (uint32_t)l;
		live += l;
		p += l;
	}
	if (p != end)
		return st_corrupt();
	return blk_pack(bm, b, at, len, live, out, cap, outlen);
}

int st_block_flush(st_txn *t)
{
	st_block *bk = &t->t_blk;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	int rc;
	if (!bk->b_valid || !bk->b_dirty)
		return ST_OK;
	st_put32(kb, bk->b_no);
	if (!bk->b_bm) {
		rc = mdb_del(t->t_txn, DBI(t, ST_EDGES), &k, NULL);
		if (rc == MDB_NOTFOUND)
			rc = 0;
	} else {
		MDB_cursor *c = st_cursor(t, ST_EDGES);
		MDB_val lk, lv;
		unsigned flags = 0;
		if (!c)
			return ST_EIO;
		if ((rc = blk_pack(bk->b_bm, bk->b_data, bk->b_at, bk->b_len, bk->b_live, &bk->b_out, &bk->b_outcap,
		    &v.mv_size)) != ST_OK)
			return rc;
		v.mv_data = bk->b_out;
		if (mdb_cursor_get(c, &lk, &lv, MDB_LAST) != 0 ||
		    (lk.mv_size == 4 && st_get32(lk.mv_data) < bk->b_no))
			flags = MDB_APPEND;
		rc = mdb_cursor_put(c, &k, &v, flags);
	}
	if (rc)
		return st_mdb_err(rc, "edge block");
	bk->b_dirty = 0;
	return ST_OK;
}

/* Appends a record to the write block's buffer as the record of `low`. */
static int blk_append(st_block *bk, unsigned low, const void *rec, size_t len)
{
	int rc;
	if (bk->b_used + len > bk->b_cap && bk->b_used > bk->b_live) {
		/* drop the holes replaced records left before growing */
		size_t at = 0;
		unsigned char *nd = malloc(bk->b_live + len + 4096);
		if (!nd)
			return ST_ENOMEM;
		for (unsigned i = 0; i < 64; i++)
			if ((bk->b_bm >> i) & 1) {
				memcpy(nd + at, bk->b_data + bk->b_at[i], bk->b_len[i]);
				bk->b_at[i] = (uint32_t)at;
				at += bk->b_len[i];
			}
		free(bk->b_data);
		bk->b_data = nd;
		bk->b_cap = bk->b_live + len + 4096;
		bk->b_used = at;
	}
	if ((rc = grow(&bk->b_data, &bk->b_cap, bk->b_used + len)) != ST_OK)
		return rc;
	memcpy(bk->b_data + bk->b_used, rec, len);
	bk->b_at[low] = (uint32_t)bk->b_used;
	bk->b_len[low] = (uint32_t)len;
	bk->b_used += len;
	bk->b_live += len;
	bk->b_bm |= (uint64_t)1 << low;
	return ST_OK;
}

/* Makes block `no` the write block, unpacking it from the table. */
static int block_load(st_txn *t, uint32_t no)
{
	st_block *bk = &t->t_blk;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	int rc;
	if (bk->b_valid && bk->b_no == no)
		return ST_OK;
	if ((rc = st_block_flush(t)) != ST_OK)
		return rc;
	bk->b_valid = 0;
	st_put32(kb, no);
	rc = mdb_get(t->t_txn, DBI(t, ST_EDGES), &k, &v);
	if (rc == MDB_NOTFOUND)
		v.mv_size = 0;
	else if (rc)
		return st_mdb_err(rc, "edge block");
	else if ((rc = st_val_ok(t, &v, "edge block")) != ST_OK)
		return rc;
	else if (st_blk_check(v.mv_data, v.mv_size) < 0) {
		st_seterr("edge block %u is malformed", no);
		return st_corrupt();
	}
	bk->b_bm = 0;
	bk->b_used = bk->b_live = 0;
	for (unsigned i = 0; v.mv_size && i < 64; i++) {
		const unsigned char *r;
		size_t len;
		if (st_blk_record(v.mv_data, v.mv_size, i, &r, &len) == 1 && (rc = blk_append(bk, i, r, len)) != ST_OK)
			return rc;
	}
	bk->b_no = no;
	bk->b_valid = 1;
	bk->b_dirty = 0;
	return ST_OK;
}

/* ---- records ---- */

/* Lookups in one read transaction before it keeps every block it finds,
 * and the most slots kept.  Late: in a new process every page of the
 * table touched first costs a page fault, more than the lookups of a
 * short query save. */
#define BC_AFTER 8192
#define BC_FIRST 4096
#define BC_MAX ((size_t)1 << 20)

/* Starts or doubles the transaction's block table, up to the size of the
 * edges table; as the adjacency's (tables.c, acache_grow), it doubles when
 * the lookups that missed reach twice its size, so that its fresh pages
 * stay in proportion to the lookups.  On failure blocks are looked up as
 * before. */
static void bcache_grow(st_txn *t)
{
	MDB_stat ms;
	struct st_bslot *old = t->t_bc, *nt;
	size_t n = old ? (t->t_bc_mask + 1) * 2 : BC_FIRST, cap = 1024;
	if (mdb_stat(t->t_txn, DBI(t, ST_EDGES), &ms) != 0)
		return;
	while (cap < BC_MAX && cap < ms.ms_entries * 2)
		cap *= 2;
	if (n > cap)
		n = cap;
	t->t_bc_next = t->t_bc_misses + 2 * (unsigned)n;
	if (old && n <= t->t_bc_mask + 1)
		return;
	/* calloc of this size maps zero pages: only the slots used cost */
	if (!(nt = calloc(n, sizeof *nt)))
		return;
	if (old) {
		for (size_t i = 0; i <= t->t_bc_mask; i++)
			if (old[i].s_no1)
				nt[(old[i].s_no1 - 1) & (n - 1)] = old[i];
		free(old);
	}
	t->t_rb = NULL;   /* it may have pointed into the old table */
	t->t_bc = nt;
	t->t_bc_mask = n - 1;
}

/* Fills a slot from a block as stored (b NULL: no such block).  The
 * bitmap and a uniform length are kept in the slot, so that a record is
 * found from the slot without reading the block's header again; a length
 * that does not fill the block is left to st_blk_record to refuse. */
static void slot_fill(struct st_bslot *s, uint32_t no, const unsigned char *b, size_t n)
{
	s->s_no1 = no + 1;
	s->s_b = b;
	s->s_len = (uint32_t)n;
	/* a block too short for its header: every record "present", so that
	 * st_blk_record is asked, and refuses it */
	s->s_bm = b ? ~(uint64_t)0 : 0;
	s->s_uni = 0;
	if (b && n >= BLK_HDR) {
		s->s_bm = st_get64(b);
		s->s_uni = st_get16(b + 8);
		if (n != BLK_HDR + (size_t)s->s_uni * (unsigned)__builtin_popcountll(s->s_bm))
			s->s_uni = 0;
	}
}

/* The slot of block `no` in a read transaction: the last one read, one of
 * t_bc, or looked up in the table; NULL on error. */
static struct st_bslot *block_slot(st_txn *t, uint32_t no, int *rc)
{
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	MDB_cursor *c;
	struct st_bslot *slot = &t->t_rb1[no & 7];
	*rc = ST_OK;
	if (t->t_rb && t->t_rb->s_no1 == no + 1)
		return t->t_rb;
	if (t->t_bc ? (slot = &t->t_bc[no & t->t_bc_mask])->s_no1 == no + 1 : slot->s_no1 == no + 1)
		return t->t_rb = slot;
	st_put32(kb, no);
	if ((*rc = st_pr_get(t, ST_EDGES, &k, &v)) == PR_ASIDE) {
		if (!(c = st_cursor(t, ST_EDGES))) {
			*rc = ST_EIO;
			return NULL;
		}
		/* through the cursor: LMDB searches only the leaf page it stands
		 * on when the key is there, as for neighbouring blocks in a scan */
		*rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
		if (*rc == MDB_NOTFOUND)
			*rc = ST_ENOTFOUND;
		else if (*rc)
			*rc = st_mdb_err(*rc, "edge");
		else if ((*rc = st_val_ok(t, &v, "edge")) == ST_OK)
			st_ra_note(t, v.mv_data);
		if ((*rc == ST_OK || *rc == ST_ENOTFOUND) &&
		    ++t->t_bc_misses == (t->t_bc ? t->t_bc_next : BC_AFTER)) {
			bcache_grow(t);
			if (t->t_bc)
				slot = &t->t_bc[no & t->t_bc_mask];
		}
	}
	/* pgread.c's answer or LMDB's */
	if (*rc == ST_ENOTFOUND) {
		v.mv_data = NULL;
		v.mv_size = 0;
	} else if (*rc) {
		return NULL;
	} else if (v.mv_size > 0xffffffffu) {
		st_seterr("edge block %u is malformed", no);
		*rc = st_corrupt();
		return NULL;
	}
	*rc = ST_OK;
	slot_fill(slot, no, v.mv_data, v.mv_size);
	return t->t_rb = slot;
}

/* The packed block `no` as stored in a write transaction (*b NULL when
 * there is none). */
static int block_get(st_txn *t, uint32_t no, const unsigned char **b, size_t *n)
{
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	MDB_cursor *c;
	int rc;
	if (!(c = st_cursor(t, ST_EDGES)))
		return ST_EIO;
	st_put32(kb, no);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_KEY);
	if (rc == MDB_NOTFOUND) {
		*b = NULL;
		*n = 0;
		return ST_OK;
	}
	if (rc)
		return st_mdb_err(rc, "edge");
	if ((rc = st_val_ok(t, &v, "edge")) != ST_OK)
		return rc;
	*b = v.mv_data;
	*n = v.mv_size;
	return ST_OK;
}

int st_edge_get(st_txn *t, uint32_t id, const void **rec, size_t *len)
{
	st_block *bk = &t->t_blk;
	const unsigned char *b = NULL, *r;
	size_t n = 0;
	unsigned low = id & ST_BLOCK_MASK;
	uint32_t no = id >> ST_BLOCK_SHIFT;
	int rc;
	if (bk->b_valid && bk->b_no == no) {
		if (!((bk->b_bm >> low) & 1))
			return ST_ENOTFOUND;
		*rec = bk->b_data + bk->b_at[low];
		*len = bk->b_len[low];
		return ST_OK;
	}
	if (!t->t_write) {
		struct st_bslot *s = block_slot(t, no, &rc);
		if (!s)
			return rc;
		if (!s->s_b || !((s->s_bm >> low) & 1))
			return ST_ENOTFOUND;
		if (s->s_uni) {
			/* all of one length, checked to fill the block when kept */
			uint64_t below = low ? s->s_bm & (~(uint64_t)0 >> (64 - low)) : 0;
			*rec = s->s_b + BLK_HDR + (size_t)s->s_uni * (unsigned)__builtin_popcountll(below);
			*len = s->s_uni;
			return ST_OK;
		}
		b = s->s_b;
		n = s->s_len;
	} else if ((rc = block_get(t, no, &b, &n)) != ST_OK) {
		return rc;
	}
	if (!b)
		return ST_ENOTFOUND;
	rc = st_blk_record(b, n, low, &r, len);
	if (rc < 0) {
		st_seterr("edge block %u is malformed", no);
		return st_corrupt();
	}
	if (rc == 0)
		return ST_ENOTFOUND;
	*rec = r;
	return ST_OK;
}

int st_edge_put(st_txn *t, uint32_t id, const void *rec, size_t len)
{
	st_block *bk = &t->t_blk;
	unsigned low = id & ST_BLOCK_MASK;
	unsigned char kb[4];
	int rc;
	if (len == 0) {
		rc = st_edge_del(t, id);
		return rc == ST_ENOTFOUND ? ST_OK : rc;
	}
	if (len > 0x7fffffff) {
		st_seterr("relationship record of %zu bytes is too long", len);
		return ST_ELIMIT;
	}
	if ((rc = block_load(t, id >> ST_BLOCK_SHIFT)) != ST_OK)
		return rc;
	st_put32(kb, id);
	if ((bk->b_bm >> low) & 1) {
		st_digest_item(t, -1, 'e', kb, 4, bk->b_data + bk->b_at[low], bk->b_len[low]);
		bk->b_live -= bk->b_len[low];
		bk->b_bm &= ~((uint64_t)1 << low);
	}
	if ((rc = blk_append(bk, low, rec, len)) != ST_OK)
		return rc;
	bk->b_dirty = 1;
	st_digest_item(t, +1, 'e', kb, 4, rec, len);
	return ST_OK;
}

int st_edge_del(st_txn *t, uint32_t id)
{
	st_block *bk = &t->t_blk;
	unsigned low = id & ST_BLOCK_MASK;
	unsigned char kb[4];
	int rc;
	if ((rc = block_load(t, id >> ST_BLOCK_SHIFT)) != ST_OK)
		return rc;
	if (!((bk->b_bm >> low) & 1))
		return ST_ENOTFOUND;
	st_put32(kb, id);
	st_digest_item(t, -1, 'e', kb, 4, bk->b_data + bk->b_at[low], bk->b_len[low]);
	bk->b_live -= bk->b_len[low];
	bk->b_bm &= ~((uint64_t)1 << low);
	bk->b_dirty = 1;
	return ST_OK;
}

int st_edge_next(st_txn *t, uint32_t *id, const void **rec, size_t *len)
{
	MDB_cursor *c;
	unsigned char kb[4];
	MDB_val k = { 4, kb }, v;
	uint32_t want = *id + 1;
	st_pr_scan(t);
	int rc;
	if (*id == 0xffffffffu)
		return ST_ENOTFOUND;
	if ((rc = st_block_flush(t)) != ST_OK)
		return rc;
	if (!(c = st_cursor(t, ST_EDGES)))
		return ST_EIO;
	st_put32(kb, want >> ST_BLOCK_SHIFT);
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint32_t no, base;
		uint64_t bm;
		if (st_val_ok(t, &v, "edges") != ST_OK)
			return st_corrupt();
		if (k.mv_size != 4 || (no = st_get32(k.mv_data)) > (0xffffffffu >> ST_BLOCK_SHIFT) ||
		    no < (want >> ST_BLOCK_SHIFT)) {
			st_seterr("edges: malformed or out-of-order block after relationship %u", want - 1);
			return st_corrupt();
		}
		base = no << ST_BLOCK_SHIFT;
		/* a scan enters each block once: check the whole of it then */
		if ((want <= base || *id == 0) && st_blk_check(v.mv_data, v.mv_size) < 0) {
			st_seterr("edge block %u is malformed", no);
			return st_corrupt();
		}
		bm = st_get64(v.mv_data);
		if (want > base)
			bm &= ~(uint64_t)0 << (want - base);
		if (bm) {
			unsigned low = (unsigned)__builtin_ctzll(bm);
			const unsigned char *r;
			if (st_blk_record(v.mv_data, v.mv_size, low, &r, len) != 1) {
				st_seterr("edge block %u is malformed", no);
				return st_corrupt();
			}
			*id = base + low;
			*rec = r;
			return ST_OK;
		}
	}
	return st_mdb_err(rc, "edges");
}
