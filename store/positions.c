/*
 * positions.c: AIS positions, a compact time series per MMSI (see the
 * `posblk` table in store.h).
 *
 * Positions format 2.  A vessel's positions are cut into blocks of about a
 * kilobyte, keyed [u32 MMSI][u32 time of the block's first position]
 * (big-endian, so an MMSI's blocks are one range in time order).  Inside a
 * block each position is stored as varint differences from the one before:
 * a position a minute after the last one, a few hundred metres on, costs
 * about ten bytes instead of the 18 of a fixed record.  Blocks never split
 * one second between them, so the block holding time t is the last one
 * whose key is at or before t.  A block is
 *   [u8 e][varint n] then n positions, each
 *   [varint dt][zigzag dlat / 10^e][zigzag dlon / 10^e]
 *   [zigzag dsog << 1 | source changed][zigzag dcog][zigzag dheading]
 *   [varint source, when changed]
 * with lat/lon in 1e-7 degrees divided by 10^e (MarineCadastre's 5
 * decimals make e = 2), motion fields at AIS's widths (SOG 1023, COG 4095
 * and heading 511: not available), the first position's differences taken
 * from the key's time and zeros.
 *
 * Positions sort by (time, lat, lon, SOG, COG, heading); one equal to a
 * stored one in all of these is the same report read twice and is kept
 * once, whichever source stored it first.  The state digest hashes each
 * position as the 18-byte record of positions format 1, so a digest does
 * not depend on the blocking, and upgrading does not change it.
 *
 * Positions format 1 (an 18-byte record per position in the DUPSORT table
 * `positions`) is no longer read: a database that still holds such records
 * refuses until `sanctgraph upgrade` has run st_pos_upgrade().
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define POS_FORMAT ST_POS_FORMAT
#define POS_KEY 8            /* [u32 MMSI][u32 first time] */
#define POS_BLK_TARGET 960   /* a block closes at this many bytes: four, with
                              * LMDB's node headers, fill a 4 KiB page */
#define POS_REC_MAX 30       /* longest encoded position */

#define SOG_NA 1023u
#define COG_NA 4095u

/* ---------------------------------------------------------------- records */

/* AIS's own ranges: anything else is "not available". */
static void pos_norm(st_pos *p)
{
	if (p->p_sog >= SOG_NA)
		p->p_sog = ST_POS_NONE16;
	if (p->p_cog >= 3600)
		p->p_cog = ST_POS_NONE16;
	if (p->p_heading >= 360)
		p->p_heading = 511;
}

static uint32_t sog_raw(const st_pos *p) { return p->p_sog == ST_POS_NONE16 ? SOG_NA : p->p_sog; }
static uint32_t cog_raw(const st_pos *p) { return p->p_cog == ST_POS_NONE16 ? COG_NA : p->p_cog; }

/* The 18-byte record of positions format 1: the state digest's item, and
 * what st_pos_upgrade reads. */
static void pos_pack18(unsigned char *b, const st_pos *p)
{
	st_put32(b, p->p_time);
	st_put32(b + 4, (uint32_t)p->p_lat);
	st_put32(b + 8, (uint32_t)p->p_lon);
	st_put32(b + 12, sog_raw(p) | cog_raw(p) << 10 | (uint32_t)p->p_heading << 22);
	st_put16(b + 16, p->p_src);
}

static void pos_unpack18(const unsigned char *b, st_pos *p)
{
	uint32_t w = st_get32(b + 12);
	p->p_time = st_get32(b);
	p->p_lat = (int32_t)st_get32(b + 4);
	p->p_lon = (int32_t)st_get32(b + 8);
	p->p_sog = (uint16_t)(w & 1023u);
	p->p_cog = (uint16_t)(w >> 10 & 4095u);
	p->p_heading = (uint16_t)(w >> 22 & 511u);
	p->p_src = st_get16(b + 16);
	if (p->p_sog == SOG_NA)
		p->p_sog = ST_POS_NONE16;
	if (p->p_cog == COG_NA)
		p->p_cog = ST_POS_NONE16;
}

static void digest_pos(st_txn *t, int sign, uint32_t mmsi, const st_pos *p)
{
	unsigned char kb[4], b[ST_POS_LEN];
	st_put32(kb, mmsi);
	pos_pack18(b, p);
	st_digest_item(t, sign, 'p', kb, 4, b, ST_POS_LEN);
}

/* Order of positions in a block; 0 means the same report (the source aside). */
int st_pos_cmp(const st_pos *x, const st_pos *y)
{
	if (x->p_time != y->p_time)
		return x->p_time < y->p_time ? -1 : 1;
	if (x->p_lat != y->p_lat)
		return x->p_lat < y->p_lat ? -1 : 1;
	if (x->p_lon != y->p_lon)
		return x->p_lon < y->p_lon ? -1 : 1;
	if (x->p_sog != y->p_sog)
		return x->p_sog < y->p_sog ? -1 : 1;
	if (x->p_cog != y->p_cog)
		return x->p_cog < y->p_cog ? -1 : 1;
	if (x->p_heading != y->p_heading)
		return x->p_heading < y->p_heading ? -1 : 1;
	return 0;
}

static int pos_qcmp(const void *a, const void *b)
{
	return st_pos_cmp(a, b);
}

/* ---------------------------------------------------------------- codec */

static size_t put_uv(unsigned char *b, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	return n;
}

static int get_uv(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t r = 0;
	for (int s = 0; *p < end && s < 64; s += 7) {
		unsigned c = *(*p)++;
		r |= (uint64_t)(c & 0x7f) << s;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }
static int64_t unzz(uint64_t v) { return (int64_t)(v >> 1) ^ -(int64_t)(v & 1); }

static const int32_t pow10_[5] = { 1, 10, 100, 1000, 10000 };

/* The largest e (up to 4) with every lat and lon of p a multiple of 10^e. */
static int run_scale(const st_pos *p, size_t n)
{
	int e = 4;
	for (size_t i = 0; i < n && e > 0; i++)
		while (e > 0 && (p[i].p_lat % pow10_[e] || p[i].p_lon % pow10_[e]))
			e--;
	return e;
}

/* The previous position while encoding or decoding a block. */
typedef struct pos_prev {
	int64_t time, lat, lon, sog, cog, hd, src;
} pos_prev;

static size_t enc_one(unsigned char *b, const st_pos *p, pos_prev *q, int e)
{
	size_t n = 0;
	int64_t src = p->p_src;
	int chg = src != q->src;
	n += put_uv(b + n, (uint64_t)((int64_t)p->p_time - q->time));
	n += put_uv(b + n, zz((p->p_lat - q->lat) / pow10_[e]));
	n += put_uv(b + n, zz((p->p_lon - q->lon) / pow10_[e]));
	n += put_uv(b + n, zz((int64_t)sog_raw(p) - q->sog) << 1 | (uint64_t)chg);
	n += put_uv(b + n, zz((int64_t)cog_raw(p) - q->cog));
	n += put_uv(b + n, zz((int64_t)p->p_heading - q->hd));
	if (chg)
		n += put_uv(b + n, (uint64_t)src);
	q->time = p->p_time;
	q->lat = p->p_lat;
	q->lon = p->p_lon;
	q->sog = sog_raw(p);
	q->cog = cog_raw(p);
	q->hd = p->p_heading;
	q->src = src;
	return n;
}

static int corrupt(uint32_t mmsi)
{
	st_seterr("positions: the block of MMSI %u is damaged", mmsi);
	return st_corrupt();
}

/* A growable array of positions. */
typedef struct pos_vec {
	st_pos *v_p;
	size_t v_n, v_cap;
} pos_vec;

static int vec_room(pos_vec *v, size_t more)
{
	if (v->v_n + more > v->v_cap) {
		size_t nc = v->v_cap ? v->v_cap : 256;
		st_pos *np;
		while (nc < v->v_n + more)
			nc *= 2;
		if (!(np = realloc(v->v_p, nc * sizeof *np)))
			return ST_ENOMEM;
		v->v_p = np;
		v->v_cap = nc;
	}
	return ST_OK;
}

/* The number of positions in a block, from its header. */
static int blk_count(const MDB_val *k, const MDB_val *v, uint64_t *n)
{
	const unsigned char *p = v->mv_data, *end = p + v->mv_size;
	if (k->mv_size != POS_KEY || v->mv_size < 2 || p[0] > 4 || (p++, get_uv(&p, end, n)) ||
	    *n > v->mv_size)
		return corrupt(k->mv_size >= 4 ? st_get32(k->mv_data) : 0);
	return ST_OK;
}

/* Appends the positions of block (k, v) to out. */
static int blk_decode(const MDB_val *k, const MDB_val *v, pos_vec *out)
{
	const unsigned char *p = v->mv_data, *end = p + v->mv_size;
	uint32_t mmsi = st_get32(k->mv_data);
	pos_prev q = { st_get32((const unsigned char *)k->mv_data + 4), 0, 0, 0, 0, 0, 0 };
	uint64_t n, f[6];
	int e, rc;
	if ((rc = blk_count(k, v, &n)) != ST_OK)
		return rc;
	e = p[0];
	p += 1;
	get_uv(&p, end, &f[0]);
	if ((rc = vec_room(out, (size_t)n)) != ST_OK)
		return rc;
	for (uint64_t i = 0; i < n; i++) {
		st_pos *s = &out->v_p[out->v_n];
		for (int j = 0; j < 6; j++)
			if (get_uv(&p, end, &f[j]))
				return corrupt(mmsi);
		q.time += (int64_t)f[0];
		q.lat += unzz(f[1]) * pow10_[e];
		q.lon += unzz(f[2]) * pow10_[e];
		q.sog += unzz(f[3] >> 1);
		q.cog += unzz(f[4]);
		q.hd += unzz(f[5]);
		if ((f[3] & 1) && get_uv(&p, end, &f[0]))
			return corrupt(mmsi);
		if (f[3] & 1)
			q.src = (int64_t)f[0];
		if (q.time > 0xffffffffLL || q.lat < INT32_MIN || q.lat > INT32_MAX || q.lon < INT32_MIN ||
		    q.lon > INT32_MAX || q.sog < 0 || q.sog > SOG_NA || q.cog < 0 || q.cog > COG_NA ||
		    q.hd < 0 || q.hd > 511 || q.src < 0 || q.src > 0xffff)
			return corrupt(mmsi);
		s->p_time = (uint32_t)q.time;
		s->p_lat = (int32_t)q.lat;
		s->p_lon = (int32_t)q.lon;
		s->p_sog = q.sog == SOG_NA ? ST_POS_NONE16 : (uint16_t)q.sog;
		s->p_cog = q.cog == COG_NA ? ST_POS_NONE16 : (uint16_t)q.cog;
		s->p_heading = (uint16_t)q.hd;
		s->p_src = (uint16_t)q.src;
		out->v_n++;
	}
	return p == end ? ST_OK : corrupt(mmsi);
}

/* ---------------------------------------------------------------- format */

/* Whether this transaction can use positions: ST_OK unless records of
 * positions format 1 are still stored (or a newer format is recorded). */
static int pos_ready(st_txn *t)
{
	MDB_stat s;
	const void *v;
	size_t len;
	int rc = mdb_stat(t->t_txn, DBI(t, ST_POS), &s);
	if (rc)
		return st_mdb_err(rc, "positions");
	if (s.ms_entries) {
		st_seterr("the AIS positions are stored in positions format 1, which this sanctgraph no longer reads: run `sanctgraph upgrade`");
		return ST_ENODB;
	}
	if (st_meta_get(t, "pos_format", &v, &len) == ST_OK && (len != 4 || st_get32(v) > POS_FORMAT)) {
		st_seterr("the AIS positions are stored in positions format %u, newer than this sanctgraph reads (%d)",
		    len == 4 ? st_get32(v) : 0, POS_FORMAT);
		return ST_ENODB;
	}
	return ST_OK;
}

int st_pos_format_mark(st_txn *t)
{
	unsigned char b[4];
	st_put32(b, POS_FORMAT);
	return st_meta_put(t, "pos_format", b, 4);
}

/* ---------------------------------------------------------------- writing */

static void key_of(unsigned char *kb, uint32_t mmsi, uint32_t time)
{
	st_put32(kb, mmsi);
	st_put32(kb + 4, time);
}

/* Writes the sorted positions p[0..n) of one MMSI as blocks. */
static int write_blocks(st_txn *t, MDB_cursor *c, uint32_t mmsi, const st_pos *p, size_t n)
{
	unsigned char *buf = NULL, kb[POS_KEY], *dst;
	size_t cap = 0, len = 0, hdr;
	int e = run_scale(p, n), rc = ST_OK, append = 0;
	MDB_val k, v;

	/* after every stored key (a new vessel in a sorted import): append */
	if (mdb_cursor_get(c, &k, &v, MDB_LAST) == MDB_NOTFOUND)
		append = 1;
	else if (k.mv_size == POS_KEY) {
		key_of(kb, mmsi, p[0].p_time);
		append = memcmp(kb, k.mv_data, POS_KEY) > 0;
	}
	for (size_t i = 0; i < n && rc == ST_OK;) {
		size_t j = i;
		pos_prev q = { p[i].p_time, 0, 0, 0, 0, 0, 0 };
		len = 0;
		while (j < n && (len < POS_BLK_TARGET || p[j].p_time == p[j - 1].p_time)) {
			if (len + POS_REC_MAX > cap) {
				unsigned char *nb = realloc(buf, cap = cap ? cap * 2 : 2048);
				if (!nb) {
					free(buf);
					return ST_ENOMEM;
				}
				buf = nb;
			}
			len += enc_one(buf + len, &p[j++], &q, e);
		}
		{
			unsigned char h[12];
			h[0] = (unsigned char)e;
			hdr = 1 + put_uv(h + 1, j - i);
			key_of(kb, mmsi, p[i].p_time);
			k.mv_size = POS_KEY;
			k.mv_data = kb;
			v.mv_size = hdr + len;
			v.mv_data = NULL;
			rc = st_mdb_err(mdb_cursor_put(c, &k, &v, MDB_RESERVE | (append ? MDB_APPEND : 0)), "positions");
			if (rc == ST_OK) {
				dst = v.mv_data;
				memcpy(dst, h, hdr);
				memcpy(dst + hdr, buf, len);
			}
		}
		i = j;
	}
	free(buf);
	return rc;
}

/* The cursor on the first block of mmsi that may hold time t or later:
 * the last block starting at or before t, else the first after it.
 * 1 found (k, v set), 0 none, or an error. */
static int seek_block(MDB_cursor *c, uint32_t mmsi, uint32_t t0, MDB_val *k, MDB_val *v)
{
	unsigned char kb[POS_KEY];
	int rc;
	key_of(kb, mmsi, t0);
	k->mv_size = POS_KEY;
	k->mv_data = kb;
	rc = mdb_cursor_get(c, k, v, MDB_SET_RANGE);
	if (rc && rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	if (rc == 0 && k->mv_size == POS_KEY && memcmp(k->mv_data, kb, POS_KEY) == 0)
		return 1;
	/* the block before may hold t0 */
	rc = mdb_cursor_get(c, k, v, rc == MDB_NOTFOUND ? MDB_LAST : MDB_PREV);
	if (rc == 0 && k->mv_size == POS_KEY && st_get32(k->mv_data) == mmsi)
		return 1;
	if (rc && rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	/* none before: the first after, if it is this MMSI's */
	rc = mdb_cursor_get(c, k, v, rc == MDB_NOTFOUND ? MDB_FIRST : MDB_NEXT);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc)
		return st_mdb_err(rc, "positions");
	return k->mv_size == POS_KEY && st_get32(k->mv_data) == mmsi;
}

/* Merges the sorted, distinct positions in[0..n) of one MMSI into its
 * stored blocks.  fresh: the positions are new to the digest (an import);
 * else they are in it already (an upgrade), and those dropped as
 * duplicates leave it. */
static int merge_write(st_txn *t, uint32_t mmsi, const st_pos *in, size_t n, int fresh, uint64_t *added)
{
	MDB_cursor *c = st_cursor(t, ST_POSB);
	MDB_val k, v;
	pos_vec old = { 0 }, out = { 0 };
	unsigned char (*keys)[POS_KEY] = NULL;
	size_t nkeys = 0, capkeys = 0, i = 0, j = 0;
	uint32_t tmax = in[n - 1].p_time;
	uint64_t nadd = 0;
	int rc, found;

	if (!c)
		return ST_EIO;
	/* the stored positions the new ones may interleave with */
	found = seek_block(c, mmsi, in[0].p_time, &k, &v);
	for (rc = found < 0 ? found : ST_OK; found == 1 && rc == ST_OK;) {
		size_t before = old.v_n;
		if (k.mv_size != POS_KEY || st_get32(k.mv_data) != mmsi || st_get32((unsigned char *)k.mv_data + 4) > tmax)
			break;
		if ((rc = blk_decode(&k, &v, &old)) != ST_OK)
			break;
		/* a full block wholly before the new positions stays as it is */
		if (nkeys == 0 && v.mv_size >= POS_BLK_TARGET && old.v_p[old.v_n - 1].p_time < in[0].p_time) {
			old.v_n = before;
		} else {
			if (nkeys == capkeys) {
				void *nk = realloc(keys, (capkeys = capkeys ? capkeys * 2 : 8) * POS_KEY);
				if (!nk) {
					rc = ST_ENOMEM;
					break;
				}
				keys = nk;
			}
			memcpy(keys[nkeys++], k.mv_data, POS_KEY);
		}
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
		found = rc == 0;
		rc = rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "positions");
	}
	if (rc == ST_OK)
		rc = vec_room(&out, old.v_n + n);
	/* merge: a stored position wins over an equal new one */
	while (rc == ST_OK && (i < old.v_n || j < n)) {
		int d = i == old.v_n ? 1 : j == n ? -1 : st_pos_cmp(&old.v_p[i], &in[j]);
		if (d <= 0)
			out.v_p[out.v_n++] = old.v_p[i++];
		if (d == 0 && !fresh)
			digest_pos(t, -1, mmsi, &in[j]);
		if (d > 0) {
			out.v_p[out.v_n++] = in[j];
			nadd++;
			if (fresh)
				digest_pos(t, 1, mmsi, &in[j]);
		}
		if (d >= 0)
			j++;
	}
	if (rc == ST_OK && nadd) {
		for (size_t x = 0; x < nkeys && rc == ST_OK; x++) {
			MDB_val dk = { POS_KEY, keys[x] };
			rc = st_mdb_err(mdb_del(t->t_txn, DBI(t, ST_POSB), &dk, NULL), "positions");
		}
		if (rc == ST_OK)
			rc = write_blocks(t, c, mmsi, out.v_p, out.v_n);
	}
	free(keys);
	free(old.v_p);
	free(out.v_p);
	if (added)
		*added = nadd;
	return rc;
}

int st_pos_put_many(st_txn *t, uint32_t mmsi, const st_pos *p, size_t n, uint64_t *added)
{
	st_pos *s;
	size_t m = 0;
	int rc, sorted = 1;
	if (added)
		*added = 0;
	if (!n)
		return ST_OK;
	if ((rc = pos_ready(t)) != ST_OK)
		return rc;
	if (!(s = malloc(n * sizeof *s)))
		return ST_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s[i] = p[i];
		pos_norm(&s[i]);
		sorted &= i == 0 || st_pos_cmp(&s[i - 1], &s[i]) <= 0;
	}
	if (!sorted)
		qsort(s, n, sizeof *s, pos_qcmp);
	for (size_t i = 0; i < n; i++)   /* the same report twice in the input: once */
		if (m == 0 || st_pos_cmp(&s[m - 1], &s[i]) != 0)
			s[m++] = s[i];
	rc = merge_write(t, mmsi, s, m, 1, added);
	free(s);
	return rc;
}

int st_pos_del_mmsi(st_txn *t, uint32_t mmsi, uint64_t *deleted)
{
	MDB_cursor *c = st_cursor(t, ST_POSB);
	MDB_val k, v;
	pos_vec blk = { 0 };
	uint64_t nd = 0;
	int rc, found;
	if (!c)
		return ST_EIO;
	if ((rc = pos_ready(t)) != ST_OK)
		return rc;
	/* the first block of the MMSI, again after each deletion */
	while ((found = seek_block(c, mmsi, 0, &k, &v)) == 1) {
		blk.v_n = 0;
		if ((rc = blk_decode(&k, &v, &blk)) != ST_OK)
			break;
		for (size_t i = 0; i < blk.v_n; i++)
			digest_pos(t, -1, mmsi, &blk.v_p[i]);
		nd += blk.v_n;
		if ((rc = st_mdb_err(mdb_cursor_del(c, 0), "positions")) != ST_OK)
			break;
	}
	if (found < 0)
		rc = found;
	free(blk.v_p);
	if (deleted)
		*deleted = nd;
	return rc;
}

/* ---------------------------------------------------------------- reading */

struct st_pos_iter {
	st_txn *pi_t;
	MDB_cursor *pi_cur;
	uint32_t pi_mmsi;
	pos_vec pi_blk;       /* the decoded block the cursor stands on */
	size_t pi_i;          /* next position of pi_blk to yield */
	int pi_done;
};

int st_pos_open(st_txn *t, st_pos_iter **out)
{
	st_pos_iter *it;
	int rc;
	if ((rc = pos_ready(t)) != ST_OK)
		return rc;
	if (!(it = calloc(1, sizeof *it)))
		return ST_ENOMEM;
	it->pi_t = t;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POSB), &it->pi_cur))) {
		free(it);
		return st_mdb_err(rc, "positions");
	}
	it->pi_done = 1;
	*out = it;
	return ST_OK;
}

int st_pos_seek(st_pos_iter *it, uint32_t mmsi, uint32_t t0)
{
	MDB_val k, v;
	int found = seek_block(it->pi_cur, mmsi, t0, &k, &v), rc;
	it->pi_mmsi = mmsi;
	it->pi_blk.v_n = 0;
	it->pi_i = 0;
	it->pi_done = found != 1;
	if (found < 0)
		return found;
	if (found == 1) {
		if ((rc = blk_decode(&k, &v, &it->pi_blk)) != ST_OK) {
			it->pi_done = 1;
			return rc;
		}
		while (it->pi_i < it->pi_blk.v_n && it->pi_blk.v_p[it->pi_i].p_time < t0)
			it->pi_i++;
	}
	return ST_OK;
}

int st_pos_read(st_pos_iter *it, st_pos *p)
{
	MDB_val k, v;
	int rc;
	while (!it->pi_done && it->pi_i == it->pi_blk.v_n) {
		rc = mdb_cursor_get(it->pi_cur, &k, &v, MDB_NEXT);
		if (rc == MDB_NOTFOUND || (rc == 0 && (k.mv_size != POS_KEY || st_get32(k.mv_data) != it->pi_mmsi))) {
			it->pi_done = 1;
			break;
		}
		if (rc)
			return st_mdb_err(rc, "positions");
		it->pi_blk.v_n = 0;
		it->pi_i = 0;
		if ((rc = blk_decode(&k, &v, &it->pi_blk)) != ST_OK)
			return rc;
	}
	if (it->pi_done)
		return 0;
	*p = it->pi_blk.v_p[it->pi_i++];
	return 1;
}

void st_pos_close(st_pos_iter *it)
{
	if (!it)
		return;
	mdb_cursor_close(it->pi_cur);
	free(it->pi_blk.v_p);
	free(it);
}

int st_pos_next_mmsi(st_txn *t, uint32_t *mmsi, uint64_t *count)
{
	MDB_cursor *c;
	unsigned char kb[POS_KEY];
	MDB_val k = { POS_KEY, kb }, v;
	uint64_t total = 0, n;
	uint32_t m;
	int rc;
	if (*mmsi == 0xffffffffu)
		return ST_ENOTFOUND;
	if ((rc = pos_ready(t)) != ST_OK)
		return rc;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POSB), &c)))
		return st_mdb_err(rc, "positions");
	key_of(kb, *mmsi + 1, 0);
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (rc) {
		mdb_cursor_close(c);
		return st_mdb_err(rc, "positions");
	}
	if (k.mv_size != POS_KEY) {
		mdb_cursor_close(c);
		return corrupt(0);
	}
	m = st_get32(k.mv_data);
	/* its count: the blocks' headers */
	for (; rc == 0 && count && k.mv_size == POS_KEY && st_get32(k.mv_data) == m;
	    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((rc = blk_count(&k, &v, &n)) != ST_OK) {
			mdb_cursor_close(c);
			return rc;
		}
		total += n;
	}
	mdb_cursor_close(c);
	if (rc && rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	*mmsi = m;
	if (count)
		*count = total;
	return ST_OK;
}

int st_pos_stat(st_txn *t, uint64_t *count, uint64_t *bytes)
{
	MDB_stat s;
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t total = 0, n;
	int rc;
	if ((rc = pos_ready(t)) != ST_OK)
		return rc;
	if ((rc = mdb_stat(t->t_txn, DBI(t, ST_POSB), &s)))
		return st_mdb_err(rc, "positions");
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POSB), &c)))
		return st_mdb_err(rc, "positions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if ((rc = blk_count(&k, &v, &n)) != ST_OK) {
			mdb_cursor_close(c);
			return rc;
		}
		total += n;
	}
	mdb_cursor_close(c);
	if (rc != MDB_NOTFOUND)
		return st_mdb_err(rc, "positions");
	*count = total;
	*bytes = (uint64_t)s.ms_psize * (s.ms_branch_pages + s.ms_leaf_pages + s.ms_overflow_pages);
	return ST_OK;
}

/* The digest items of records still in positions format 1: the same items,
 * so that the digest can be checked (and a write begun) before and during
 * the upgrade. */
static int digest_format1(st_txn *t, uint64_t out[4])
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t h[4];
	int rc;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &c)))
		return st_mdb_err(rc, "positions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		st_item_hash(t->t_env, 'p', k.mv_data, k.mv_size, v.mv_data, v.mv_size, h);
		st_sum256_add(out, h, 1);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "positions");
}

int st_pos_digest(st_txn *t, uint64_t out[4])
{
	MDB_cursor *c;
	MDB_val k, v;
	pos_vec blk = { 0 };
	uint64_t h[4];
	int rc;
	memset(out, 0, 4 * sizeof out[0]);
	if ((rc = digest_format1(t, out)) != ST_OK)
		return rc;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POSB), &c)))
		return st_mdb_err(rc, "positions");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		blk.v_n = 0;
		if ((rc = blk_decode(&k, &v, &blk)) != ST_OK)
			break;
		for (size_t i = 0; i < blk.v_n; i++) {
			unsigned char b[ST_POS_LEN];
			pos_pack18(b, &blk.v_p[i]);
			st_item_hash(t->t_env, 'p', k.mv_data, 4, b, ST_POS_LEN, h);
			st_sum256_add(out, h, 1);
		}
	}
	mdb_cursor_close(c);
	free(blk.v_p);
	if (rc == ST_ECORRUPT)
		return rc;
	return rc == MDB_NOTFOUND ? ST_OK : st_mdb_err(rc, "positions");
}

/* ---------------------------------------------------------------- upgrade */

int st_pos_upgrade(st_txn *t, uint64_t *converted)
{
	MDB_cursor *c;
	MDB_val k, v;
	pos_vec run = { 0 };
	uint64_t total = 0;
	int rc;
	if (converted)
		*converted = 0;
	if ((rc = mdb_cursor_open(t->t_txn, DBI(t, ST_POS), &c)))
		return st_mdb_err(rc, "positions");
	rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
	while (rc == 0) {
		uint32_t mmsi;
		size_t m = 0;
		if (k.mv_size != 4) {
			rc = corrupt(0);
			break;
		}
		mmsi = st_get32(k.mv_data);
		run.v_n = 0;
		for (; rc == 0; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_DUP)) {
			if (v.mv_size != ST_POS_LEN) {
				rc = corrupt(mmsi);
				break;
			}
			if ((rc = vec_room(&run, 1)) != ST_OK)
				break;
			pos_unpack18(v.mv_data, &run.v_p[run.v_n++]);
		}
		if (rc != MDB_NOTFOUND)
			break;
		qsort(run.v_p, run.v_n, sizeof *run.v_p, pos_qcmp);
		for (size_t i = 0; i < run.v_n; i++) {
			if (m && st_pos_cmp(&run.v_p[m - 1], &run.v_p[i]) == 0) {
				digest_pos(t, -1, mmsi, &run.v_p[i]);   /* never stored twice, but be exact */
				continue;
			}
			run.v_p[m++] = run.v_p[i];
		}
		if (m && (rc = merge_write(t, mmsi, run.v_p, m, 0, NULL)) != ST_OK)
			break;
		total += m;
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT_NODUP);
	}
	mdb_cursor_close(c);
	free(run.v_p);
	if (rc != MDB_NOTFOUND)
		return rc < 0 ? rc : st_mdb_err(rc, "positions");
	if ((rc = st_mdb_err(mdb_drop(t->t_txn, DBI(t, ST_POS), 0), "positions")) != ST_OK)
		return rc;
	if (converted)
		*converted = total;
	return st_pos_format_mark(t);
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
