/*
 * lmdbfmt.h: LMDB 0.9's page layout, for the two readers of data.mdb that
 * do not go through LMDB's map: verify.c (`check`, and the page walk at
 * open) and pgread.c (a new process's point reads).  Not for use outside
 * store/.
 *
 * 64-bit little-endian layout (lmdb.h, mdb.c): a page is a 16-byte header
 * [u64 pgno][u16 pad][u16 flags][u16 lower][u16 upper] (lower/upper are a
 * u32 page count on overflow pages) and u16 node offsets after it.  A node
 * is [u16 lo][u16 hi][u16 flags][u16 key size][key][data]; on branch pages
 * lo, hi and flags are the child's page number.  A table record (MDB_db)
 * is [u32 pad][u16 flags][u16 depth][u64 branch][u64 leaf][u64 overflow]
 * [u64 entries][u64 root].  The meta follows the header of pages 0 and 1:
 * [u32 magic][u32 version][u64 address][u64 map size][MDB_db free]
 * [MDB_db main][u64 last page][u64 txn id] (offsets 24, 72, 120, 128); the
 * free table's pad holds the page size.  A page of fixed-size duplicates
 * (P_LEAF2) packs them after the header, their size in the header's pad.
 */
#ifndef SG_LMDBFMT_H
#define SG_LMDBFMT_H

#include <stdint.h>
#include <string.h>

#define PGHDR 16
#define NODESZ 8
#define DBREC 48
#define P_BRANCH 0x01
#define P_LEAF 0x02
#define P_OVERFLOW 0x04
#define P_META 0x08
#define P_LEAF2 0x20
#define P_SUBP 0x40
#define P_TRANSIENT 0x8010   /* P_DIRTY, P_KEEP: in-memory state a page may carry */
#define F_BIGDATA 0x01
#define F_SUBDATA 0x02
#define F_DUPDATA 0x04
#define META_MAGIC 0xBEEFC0DEu
#define META_TXNID 128       /* offsets in the meta, after the page header */
#define META_LASTPG 120
#define META_FREEDB 24
#define META_MAINDB (24 + DBREC)
#define MAX_DEPTH 32
#define MAX_KEY 511          /* LMDB's default MDB_MAXKEYSIZE */
#define NO_PAGE (~(uint64_t)0)

typedef struct dbrec {
	uint32_t pad;
	uint16_t flags, depth;
	uint64_t branch, leaf, overflow, entries, root;
} dbrec;

static inline uint16_t g16(const unsigned char *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t g32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t g64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static inline void dbrec_read(const unsigned char *p, dbrec *d)
{
	d->pad = g32(p);
	d->flags = g16(p + 4);
	d->depth = g16(p + 6);
	d->branch = g64(p + 8);
	d->leaf = g64(p + 16);
	d->overflow = g64(p + 24);
	d->entries = g64(p + 32);
	d->root = g64(p + 40);
}

/* Whether m (a page's first PGHDR + 8 bytes at least) is a meta page of
 * LMDB's data format 1. */
static inline int meta_ok(const unsigned char *m)
{
	return (g16(m + 10) & P_META) && g32(m + PGHDR) == META_MAGIC && g32(m + PGHDR + 4) == 1;
}

/* A branch node's child page number. */
static inline uint64_t node_child(const unsigned char *nd)
{
	return (uint64_t)g16(nd) | (uint64_t)g16(nd + 2) << 16 | (uint64_t)g16(nd + 4) << 32;
}

/* A leaf node's value size. */
static inline size_t node_dsize(const unsigned char *nd)
{
	return (size_t)g16(nd) | (size_t)g16(nd + 2) << 16;
}

#endif
