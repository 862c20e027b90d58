/*
 * store.h: sanctgraph's storage engine on LMDB.
 *
 * The store knows LMDB, bytes and the physical layout of a property graph; it
 * knows nothing of values, Cypher or the command line.  Everything above it
 * goes through this header.
 *
 * One LMDB environment per database directory, opened once per process.
 * All integers in keys are big-endian so that ranges scan in numeric order.
 * Node and edge ids are 32-bit (1 .. 2^32-1; 0 means none); symbol ids
 * (labels, relationship types, property keys share one table) are 16-bit.
 *
 * Sub-databases and their key layout:
 *
 *   meta     string key -> bytes: "version" (u32: the format, see
 *            store_int.h; older ones are refused, `upgrade` converts
 *            them), "next_node", "next_edge"
 *            (u32: the next id to hand out), "digest" (32 bytes, the state
 *            digest below), "log_head" (u64 seq of the newest log record)
 *   sym      name bytes -> u16 symbol id
 *   symid    u16 symbol id -> name bytes and a NUL
 *   nodes    u32 node id -> node record (encoded by graph/, opaque here)
 *   edges    u32 block number (edge id >> 6) -> edge block: a u64 bitmap of
 *            the ids present (bit i: id (block << 6) + i), then their
 *            records in id order, each found in O(1): all of one length
 *            (given once), or through an offset table (edges.c).
 *            Blocking saves LMDB's 18 bytes of per-entry overhead on the most
 *            numerous item.  An edge's type and endpoints live in the
 *            adjacency entries below; its record holds properties and
 *            citations only, and an edge with neither has no record.
 *   out, in  DUPSORT|DUPFIXED u32 node id -> 9-byte entries
 *            [u8 type code][u32 neighbour][u32 edge id]: `out` is keyed by
 *            the edge's start node, `in` by its end node.  Sorted by type,
 *            then neighbour, then edge, so one type, or the edges between
 *            two nodes, are one range.  The type code stands for a
 *            relationship type's symbol (meta "tc"+u16 symbol -> u8 code,
 *            "ts"+u8 code -> u16 symbol): adjacency is most of a database,
 *            and one byte less per entry is a tenth of it.  A database
 *            holds at most 255 relationship types.
 *   labels   DUPSORT|DUPFIXED u16 label -> u32 node id
 *   keys     [u16 label][key bytes] -> u32 node id: the node key, unique
 *            within the node's first label; merged-away keys stay here as
 *            aliases of the survivor
 *   ident    DUPSORT|DUPFIXED [u8 kind][normalised text] -> u32 node id:
 *            names, past names, aliases and identifiers (IMO, MMSI, call sign)
 *   cites    DUPSORT|DUPFIXED u32 source node id -> 10-byte entries
 *            [u8 'n' or 'e'][u32 node or edge id][u32 edge's start node,
 *            0 for a node][u8 confidence]
 *   log      u64 sequence number -> change-log record
 *            [32 hash][32 previous hash][body], hash = SHA-256(previous || body)
 *   posblk   [u32 MMSI][u32 time] -> a block of AIS positions (positions
 *            format 2, meta "pos_format"): the MMSI's positions from that
 *            time on, about a kilobyte of them, each stored as varint
 *            differences from the one before (time in seconds since 1970
 *            UTC, lat/lon in 1e-7 degrees scaled down by the block's common
 *            power of ten, motion at AIS's widths: SOG in 0.1 knot with
 *            1023 not available, COG in 0.1 degree with 4095, heading in
 *            degrees with 511; source an index into meta "pos_src", a list
 *            of u32 Source node ids, index 1 first).  Exact layout in
 *            store/positions.c.  A vessel's track is one range of keys; no
 *            second is split between blocks; a position equal to a stored
 *            one in all but its source is not stored again.  About 10 bytes
 *            a position on disk for a day of MarineCadastre.  A position is
 *            part of the state digest (tag 'p', key the MMSI, value its
 *            18-byte record of format 1: [u32 time][i32 lat][i32 lon]
 *            [u32 motion: SOG bits 0-9, COG 10-21, heading 22-30][u16
 *            source]), whatever its blocking.
 *   positions DUPSORT|DUPFIXED u32 MMSI -> those 18-byte records: positions
 *            format 1, read only by st_pos_upgrade (empty afterwards).
 *
 * DUPFIXED record sizes are checked here on every write: LMDB 0.9.24
 * silently truncates a value of the wrong size.
 *
 * State digest.  Every write to primary data (a node record, an edge record,
 * an `out` entry) adds SHA-256 of the item to, or subtracts it from, a
 * 256-bit sum kept in meta "digest" (a multiset hash: order-independent and
 * updatable in O(1) per change).  `check` recomputes the sum from the data;
 * the change log records it after every transaction, so an edit made to the
 * data outside sanctgraph shows as a mismatch.
 *
 * Errors: functions return 0 on success or a negative ST_E* code; the
 * message of the last error is available from st_strerror().
 */
#ifndef SG_STORE_H
#define SG_STORE_H

#include <stddef.h>
#include <stdint.h>

enum {
	ST_OK = 0,
	ST_ENOTFOUND = -1,  /* no such key */
	ST_EIO = -2,        /* LMDB or the file system failed */
	ST_EMAPFULL = -3,   /* the map is full: st_write() grows it and replays */
	ST_ENODB = -4,      /* the directory holds no database */
	ST_ECORRUPT = -5,   /* stored bytes are malformed */
	ST_EEXISTS = -6,    /* the key exists already */
	ST_ELIMIT = -7,     /* out of ids or symbols */
	ST_ENOMEM = -8,
	ST_EBUSY = -9,      /* the database is locked (write transaction or version) */
	ST_ERDONLY = -10    /* the database was opened read-only: no writes */
};

typedef struct st_env st_env;
typedef struct st_txn st_txn;

/* An adjacency entry as the store returns it. */
typedef struct st_adj {
	uint16_t a_type;
	uint32_t a_nbr;
	uint32_t a_edge;
} st_adj;

/* A citation entry. */
typedef struct st_cite {
	uint8_t c_kind;     /* 'n' node, 'e' edge */
	uint32_t c_id;
	uint32_t c_src;     /* an edge's start node; 0 for a node */
	uint8_t c_conf;
} st_cite;

enum { ST_OUT = 0, ST_IN = 1 };

#define ST_DIGEST_LEN 32
#define ST_MAX_KEY 480      /* longest key or indexed text, in bytes */

/* ---- environment ---- */

/* Opens the database in directory `dir`.  With `create`, makes the directory
 * and an empty database when missing; without, fails with ST_ENODB when the
 * directory holds no database.  Clears stale reader slots.  `why` (n bytes)
 * receives a message on failure. */
int st_open(const char *dir, int create, st_env **out, char *why, size_t n);
void st_close(st_env *env);
/* The command ("query") that the message of a damaged page's fault names,
 * as other errors do (fault.c); kept, not copied: a string that outlives
 * the env. */
void st_fault_command(st_env *env, const char *cmd);
/* Whether a store call of this process met a damaged page (LMDB's
 * MDB_CORRUPTED, a value reaching outside the file): 1 with the first one
 * as a message naming env's database in why[0..n), else 0. */
int st_damage_noted(const st_env *env, char *why, size_t n);
/* 1 if the database was opened read-only (this user or mount cannot write). */
int st_readonly(const st_env *env);
/* Opened without a lock file, a reader is invisible to writers, who may
 * reuse the pages it reads once two transactions commit after it began:
 * returns ST_EIO with a message if that happened since the first read
 * transaction of this process began, else 0. */
int st_read_stale(st_env *env);
/* The page structure of the database (B-trees, overflow pages, free list,
 * entry counts), read from the file: problems are reported (at most `max`);
 * returns their number, or -1 with st_strerror() when it could not run. */
long st_verify(st_txn *txn, void (*report)(void *, const char *), void *arg, long max);
/* Bytes in use on disk and the number of pages in use. */
int st_size(st_env *env, uint64_t *file_bytes, uint64_t *used_bytes);
/* A consistent, compacted copy into directory `dir` (created, must be empty). */
int st_backup(st_env *env, const char *dir, char *why, size_t n);
/* Converts the database in `dir` from an older format to this build's in
 * place (store/upgrade.c): written beside, checked, the old one backed up
 * to the directory named in `backup` (bn bytes), then swapped in with one
 * rename.  *from receives the format found; ST_OK with *from equal to the
 * current format means there was nothing to do (and no backup).  On
 * failure the old database is unchanged and `why` says why. */
int st_upgrade(const char *dir, unsigned *from, char *backup, size_t bn, char *why, size_t n);
/* The message of the last error in this process. */
const char *st_strerror(void);

/* ---- transactions ---- */

/* Begins a read (write = 0) or write transaction.  Read transactions see a
 * snapshot and never block writers; one writer at a time. */
int st_txn_begin(st_env *env, int write, st_txn **out);
/* Commits (write) or ends (read).  The transaction is freed either way. */
int st_txn_commit(st_txn *txn);
void st_txn_abort(st_txn *txn);

/* Runs fn(txn, arg) in a write transaction and commits it if fn returns 0.
 * When a write fails with ST_EMAPFULL the transaction is aborted, the map
 * doubled and fn called again from the start: fn must be replayable.  Returns
 * fn's status, or the commit's. */
int st_write(st_env *env, int (*fn)(st_txn *, void *), void *arg);

/* ---- meta and symbols ---- */

int st_meta_get(st_txn *txn, const char *name, const void **val, size_t *len);
int st_meta_put(st_txn *txn, const char *name, const void *val, size_t len);
/* Looks up a symbol; ST_ENOTFOUND if absent. */
int st_sym_find(st_txn *txn, const char *name, size_t len, uint16_t *id);
/* Looks up or creates a symbol (write transactions). */
int st_sym_intern(st_txn *txn, const char *name, size_t len, uint16_t *id);
/* The name of a symbol, NUL-terminated; valid for the transaction. */
int st_sym_name(st_txn *txn, uint16_t id, const char **name, size_t *len);
/* Iterates symbols in id order: start with *id = 0; returns ST_ENOTFOUND at end. */
int st_sym_next(st_txn *txn, uint16_t *id, const char **name, size_t *len);

/* ---- nodes ---- */

/* Allocates `count` consecutive fresh node (or edge) ids; *first is the first. */
int st_node_alloc(st_txn *txn, uint32_t count, uint32_t *first);
int st_edge_alloc(st_txn *txn, uint32_t count, uint32_t *first);
/* The next id to be handed out (edge: 0 nodes, 1 edges), and setting it:
 * bulk loaders take ids from a local counter and store the counter once. */
int st_id_next(st_txn *txn, int edge, uint32_t *next);
int st_id_set_next(st_txn *txn, int edge, uint32_t next);
/* The record of node `id`; bytes valid until the next write in this
 * transaction or its end. */
int st_node_get(st_txn *txn, uint32_t id, const void **rec, size_t *len);
int st_node_put(st_txn *txn, uint32_t id, const void *rec, size_t len);
int st_node_del(st_txn *txn, uint32_t id);
/* Iterates nodes in id order: start with *id = 0; ST_ENOTFOUND at the end. */
int st_node_next(st_txn *txn, uint32_t *id, const void **rec, size_t *len);
uint64_t st_node_count(st_txn *txn);

/* ---- edges (records; endpoints are in the adjacency) ---- */

int st_edge_get(st_txn *txn, uint32_t id, const void **rec, size_t *len);
int st_edge_put(st_txn *txn, uint32_t id, const void *rec, size_t len);
int st_edge_del(st_txn *txn, uint32_t id);
/* Iterates edge records in id order: start with *id = 0. */
int st_edge_next(st_txn *txn, uint32_t *id, const void **rec, size_t *len);

/* ---- adjacency ---- */

/* Adds the edge to both `out` of src and `in` of dst. */
int st_adj_add(st_txn *txn, uint32_t src, uint16_t type, uint32_t dst, uint32_t edge);
int st_adj_del(st_txn *txn, uint32_t src, uint16_t type, uint32_t dst, uint32_t edge);

/* A cursor over one node's adjacency in one direction, optionally one type
 * (type 0 = all) and one neighbour (nbr 0 = all).  Reads a page of entries at
 * a time (MDB_GET_MULTIPLE). */
typedef struct st_adj_iter st_adj_iter;
int st_adj_open(st_txn *txn, st_adj_iter **out);
/* Positions the iterator; then st_adj_read() yields entries. */
int st_adj_seek(st_adj_iter *it, int dir, uint32_t node, uint16_t type, uint32_t nbr);
/* Next entry: 1 and *e set, 0 at the end, or a negative error. */
int st_adj_read(st_adj_iter *it, st_adj *e);
void st_adj_close(st_adj_iter *it);
/* Number of entries of one node, direction and type (0 = all). */
int st_adj_count(st_txn *txn, int dir, uint32_t node, uint16_t type, uint64_t *count);
/* Iterates every `out` entry of every node in node order: *node = 0 first. */
int st_adj_scan(st_adj_iter *it, uint32_t *src, st_adj *e);
/* Finds edge `edge` among the `out` entries of its start node `src`: fills
 * *type and *dst, or returns ST_ENOTFOUND.  Linear in src's out-degree. */
int st_edge_find(st_txn *txn, uint32_t src, uint32_t edge, uint16_t *type, uint32_t *dst);

/* Bulk adjacency for imports: entries[i] = {src, type, dst, edge}; sorted
 * here, then appended where LMDB allows (MDB_APPEND/APPENDDUP).  The
 * entries are the sort's scratch: their order and contents are not kept. */
typedef struct st_adj_bulk {
	uint32_t b_src, b_dst, b_edge;
	uint16_t b_type;
} st_adj_bulk;
int st_adj_add_many(st_txn *txn, st_adj_bulk *entries, size_t n);

/* ---- label, key and text indexes ---- */

int st_label_add(st_txn *txn, uint16_t label, uint32_t node);
int st_label_del(st_txn *txn, uint16_t label, uint32_t node);
uint64_t st_label_count(st_txn *txn, uint16_t label);
/* Calls fn for every node of a label, in id order, reading the index a
 * page at a time (MDB_GET_MULTIPLE). */
int st_label_each(st_txn *txn, uint16_t label, void (*fn)(void *arg, uint32_t node), void *arg);
/* Iterates nodes of a label in id order; start with *node = 0. */
int st_label_next(st_txn *txn, uint16_t label, uint32_t *node);

int st_key_get(st_txn *txn, uint16_t label, const char *key, size_t len, uint32_t *node);
/* Adds the key; ST_EEXISTS when the key is taken (by another node). */
int st_key_put(st_txn *txn, uint16_t label, const char *key, size_t len, uint32_t node);
int st_key_del(st_txn *txn, uint16_t label, const char *key, size_t len);
/* Iterates the whole key index: start with *label = 0 and *len = 0. */
int st_key_next(st_txn *txn, uint16_t *label, const char **key, size_t *len, uint32_t *node);

int st_ident_add(st_txn *txn, char kind, const char *text, size_t len, uint32_t node);
int st_ident_del(st_txn *txn, char kind, const char *text, size_t len, uint32_t node);
/* Calls fn for every entry whose text starts with `prefix` (len 0: all of
 * kind; kind 0: all kinds); fn returns non-zero to stop. */
int st_ident_scan(st_txn *txn, char kind, const char *prefix, size_t len,
    int (*fn)(void *arg, char kind, const char *text, size_t tlen, uint32_t node), void *arg);

/* Bulk index entries for imports, inserted in sorted order. */
typedef struct st_index_batch st_index_batch;
st_index_batch *st_batch_new(void);
int st_batch_label(st_index_batch *b, uint16_t label, uint32_t node);
int st_batch_key(st_index_batch *b, uint16_t label, const char *key, size_t len, uint32_t node);
int st_batch_ident(st_index_batch *b, char kind, const char *text, size_t len, uint32_t node);
int st_batch_cite(st_index_batch *b, uint32_t source, const st_cite *c);
int st_batch_flush(st_txn *txn, st_index_batch *b);
void st_batch_free(st_index_batch *b);

/* ---- citations (reverse index: source -> citing items) ---- */

int st_cite_add(st_txn *txn, uint32_t source, const st_cite *c);
int st_cite_del(st_txn *txn, uint32_t source, const st_cite *c);
/* Calls fn for every citation of `source`. */
int st_cite_scan(st_txn *txn, uint32_t source, int (*fn)(void *arg, const st_cite *c), void *arg);
/* Iterates all (source, citation) pairs: start with *source = 0. */
int st_cite_next(st_txn *txn, uint32_t *source, st_cite *c);

/* ---- AIS positions (store/positions.c) ---- */

#define ST_POS_NONE16 0xffffu   /* sog or cog not available */
typedef struct st_pos {
	uint32_t p_time;         /* seconds since 1970-01-01T00:00:00Z */
	int32_t p_lat, p_lon;    /* 1e-7 degrees */
	uint16_t p_sog, p_cog;   /* 0.1 knot, 0.1 degree; ST_POS_NONE16 */
	uint16_t p_heading;      /* degrees; 511 not available */
	uint16_t p_src;          /* index into the position sources (1..) */
} st_pos;

/* Stores positions of one MMSI, sorted by time (the caller sorts);
 * positions equal to a stored one but for the source are skipped.
 * *added (may be NULL) receives how many were new. */
int st_pos_put_many(st_txn *txn, uint32_t mmsi, const st_pos *p, size_t n, uint64_t *added);
/* A cursor over one MMSI's positions from time t0 on (st_pos_read yields
 * them in time order: 1 and *p, 0 at the end of that MMSI, or an error). */
typedef struct st_pos_iter st_pos_iter;
int st_pos_open(st_txn *txn, st_pos_iter **out);
int st_pos_seek(st_pos_iter *it, uint32_t mmsi, uint32_t t0);
int st_pos_read(st_pos_iter *it, st_pos *p);
void st_pos_close(st_pos_iter *it);
/* The MMSI after *mmsi that has positions (start with *mmsi = 0), and how
 * many it has: ST_OK, or ST_ENOTFOUND at the end. */
int st_pos_next_mmsi(st_txn *txn, uint32_t *mmsi, uint64_t *count);
/* Deletes every position of one MMSI (for tests and repairs). */
int st_pos_del_mmsi(st_txn *txn, uint32_t mmsi, uint64_t *deleted);
/* Number of positions stored, and pages used by the table (its own pages
 * and its per-MMSI sub-pages), in bytes. */
int st_pos_stat(st_txn *txn, uint64_t *count, uint64_t *bytes);
/* Moves the positions of positions format 1 (the `positions` table) into
 * the blocks of format 2 and records format 2 in meta "pos_format"; the
 * state digest is unchanged.  Until then every st_pos_ call refuses with a
 * message naming `sanctgraph upgrade`. */
int st_pos_upgrade(st_txn *txn, uint64_t *converted);
/* The order of positions in a block: time, then the report's fields; 0
 * for the same report from whichever source. */
int st_pos_cmp(const st_pos *x, const st_pos *y);
/* The Source node id of a position source index; 0 if unknown.  The index of
 * a Source node id, added when new (write transactions). */
uint32_t st_pos_source(st_txn *txn, uint16_t idx);
int st_pos_source_index(st_txn *txn, uint32_t node, uint16_t *idx);

/* ---- change log ---- */

/* Appends a record with body `body`; chains it to the previous record.
 * *seq receives its sequence number (from 1). */
int st_log_append(st_txn *txn, const void *body, size_t len, uint64_t *seq);
/* Reads record `seq`: its hash, previous hash and body (valid for the txn). */
int st_log_get(st_txn *txn, uint64_t seq, const unsigned char **hash,
    const unsigned char **prev, const void **body, size_t *len);
uint64_t st_log_head(st_txn *txn);
/* The snapshot a read transaction sees: LMDB's transaction id, which
 * every commit advances (no page is read for it). */
uint64_t st_txn_snapshot(st_txn *txn);
/* How many times a read met damage (ST_ECORRUPT) in this process, a count
 * that only grows, and the message of the last. */
uint64_t st_damage_seen(const char **msg);
/* The number of records in the log. */
uint64_t st_log_count(st_txn *txn);
/* The sequence number of the newest record as recorded in meta "log_head"
 * when it was written (0 if none): differs from st_log_head() when records
 * were deleted from the end. */
uint64_t st_log_head_recorded(st_txn *txn);

/* ---- digests ---- */

/* While many items are written (a bulk import), hash the digest's items on
 * a second thread; st_digest_sync (called by whatever reads the digest, and
 * by commit and abort) adds them in and stops it. */
void st_digest_async(st_txn *txn);
void st_digest_sync(st_txn *txn);
/* The state digest as of this transaction's writes so far. */
void st_digest_current(st_txn *txn, unsigned char out[ST_DIGEST_LEN]);
/* The change this transaction made to the state digest so far (the sum of
 * what it added minus what it removed). */
void st_digest_delta(st_txn *txn, unsigned char out[ST_DIGEST_LEN]);
/* Recomputes the state digest from the stored data. */
int st_digest_recompute(st_txn *txn, unsigned char out[ST_DIGEST_LEN]);
/* SHA-256 of a buffer (OpenSSL's libcrypto). */
void st_sha256(const void *p, size_t n, unsigned char out[ST_DIGEST_LEN]);
/* The same, part bytes at a time, calling done(part, its length, arg) after
 * each: a caller can give back the pages of a large mapped input. */
void st_sha256_parts(const void *p, size_t n, size_t part, void (*done)(const void *, size_t, void *), void *arg,
    unsigned char out[ST_DIGEST_LEN]);
void st_hex(const unsigned char *p, size_t n, char *out);

/* Writes the stored state digest (meta) of the transaction's snapshot. */
int st_digest_stored(st_txn *txn, unsigned char out[ST_DIGEST_LEN]);

#endif
