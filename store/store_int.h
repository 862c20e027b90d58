/*
 * store_int.h: what env.c and tables.c share; not for use outside store/.
 */
#ifndef SG_STORE_INT_H
#define SG_STORE_INT_H

#include <lmdb.h>
#include "crypto_dl.h"
#include "store.h"

enum {
	ST_META, ST_SYM, ST_SYMID, ST_NODES, ST_EDGES, ST_OUTA, ST_INA,
	ST_LABELS, ST_KEYS, ST_IDENT, ST_CITES, ST_LOG,
	ST_POS,   /* AIS positions, format 1: only read by st_pos_upgrade */
	ST_POSB,  /* AIS positions in blocks: store/positions.c */
	ST_NDBI
};

/* The format this build reads and writes: 2: 9-byte adjacency entries,
 * bitmap edge blocks; 3: edge blocks with an offset table (edges.c).
 * store/upgrade.c converts formats from ST_UPGRADE_FROM on. */
#define ST_FORMAT_VERSION 3
#define ST_UPGRADE_FROM 2

/* st_open for `upgrade`: also opens the formats from ST_UPGRADE_FROM on,
 * whose format goes to *format. */
int st_open_old(const char *dir, unsigned *format, st_env **out, char *why, size_t n);

/* A step of `upgrade` (store/upgrade.c, upgrade_steps): converts one record
 * of one table to the step's format, passing what it makes (none, one or
 * more records, in key order where it can) to st_upgrade_emit; returns
 * ST_OK, or an error with a message set by st_upgrade_why. */
typedef struct st_up st_up;
typedef int (*st_up_convert)(st_up *c, const MDB_val *key, const MDB_val *val);
int st_upgrade_emit(st_up *c, const MDB_val *key, const MDB_val *val);
void st_upgrade_why(st_up *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ST_ADJ_LEN 9      /* [u8 type code][u32 neighbour][u32 edge] */
#define ST_CITE_LEN 10
#define ST_POS_LEN 18      /* see store/positions.c */
#define ST_TCODE_SLOTS 512 /* st_txn's type code table; a power of two > 255 */
#define ST_POS_FORMAT 2    /* positions format, meta "pos_format" */
#define ST_BLOCK_SHIFT 6
#define ST_BLOCK_MASK 63u

extern const unsigned st_dup_size[ST_NDBI];
extern const char *const st_dbi_names[ST_NDBI];
extern const unsigned st_dbi_flags[ST_NDBI];

struct st_env {
	MDB_env *e_env;
	MDB_dbi e_dbi[ST_NDBI];
	char *e_dir;
	int e_rdonly;               /* opened MDB_RDONLY: this user or mount cannot write */
	int e_nolock;               /* ... and without the lock file (MDB_NOLOCK) */
	uint64_t e_rd_first;        /* without a lock: txn id of the first read; 0 none */
	int e_write_checked;        /* the page check before the first write passed */
	const unsigned char *e_map; /* where data.mdb is mapped (0 if unknown) */
	uint64_t e_file;            /* data.mdb's size at open */
	unsigned e_absent;          /* opened for upgrade: tables the old format lacks (bit per table) */
	struct st_txn *e_spare;     /* an ended transaction's zeroed memory, for the next (no threads share an env) */
	struct st_ra *e_ra;         /* read-ahead (readahead.c); NULL until started */
	struct st_pr *e_pr;         /* point reads by pread (pgread.c); NULL until used */
	int e_pr_off;               /* ... not to be tried again */
};

/* The edge block being written (edges.c): consecutive writes to one block
 * are gathered here, unpacked, and written to LMDB once (st_block_flush). */
typedef struct st_block {
	uint32_t b_no;
	int b_valid, b_dirty;
	uint64_t b_bm;                     /* the ids present */
	uint32_t b_at[64], b_len[64];      /* each present record: where in b_data, its length */
	unsigned char *b_data;             /* records as written: a replaced one leaves a hole */
	size_t b_used, b_cap, b_live;      /* bytes used, allocated, and of present records */
	unsigned char *b_out;              /* the packed block, as written to LMDB */
	size_t b_outcap;
} st_block;

struct st_bslot {
	uint32_t s_no1;                 /* block number + 1; 0 empty */
	uint32_t s_len;
	const unsigned char *s_b;       /* NULL: no such block */
	uint64_t s_bm;                  /* its bitmap, */
	uint32_t s_uni;                 /* its one record length (0: an offset table) */
};

struct st_aslot {
	uint32_t s_node1;               /* node id + 1; 0 empty */
	uint32_t s_n;                   /* its entries, all of them */
	const unsigned char *s_chunk;
};

/* A transaction's relationship type codes, type symbol -> 1-byte code,
 * each looked up once: an open-addressed table (key type + 1, 0 free); a
 * database holds at most 255 codes, so it never fills.  Apart from the
 * transaction, which a point query on nodes alone then keeps to a page. */
struct st_tcodes {
	uint32_t tck[ST_TCODE_SLOTS];
	uint8_t tcv[ST_TCODE_SLOTS];
	uint16_t tsym[256];     /* code -> type symbol, 0 not yet looked up */
};

struct st_txn {
	st_env *t_env;
	MDB_txn *t_txn;
	int t_write;
	MDB_cursor *t_cur[ST_NDBI];
	uint64_t t_digest[4], t_delta[4];
	int t_digest_dirty;
	struct st_dq *t_dq;     /* digestq.c: items hashed on a second thread */
	st_block t_blk;
	uint32_t t_max_node;    /* highest node id stored, for MDB_APPEND; 0 unknown */
	MDB_cursor *t_labcur;   /* st_label_next's own cursor, and where it stands */
	uint16_t t_lab_label;
	uint32_t t_lab_node;
	int t_lab_ok;           /* 0 after any write to the label index */
	struct st_tcodes *t_tc; /* made by the first relationship type looked up */
	int t_max_node_known;
	int t_map_sought;       /* st_val_ok looked for the map in this transaction */
	/* read transactions: the edge block read last (edges.c), which stays
	 * mapped for the transaction: a scan reading the records of
	 * neighbouring ids finds them without searching the table again;
	 * and, once a transaction has looked up many, every block it looked
	 * up, direct-mapped by block number: a pattern read from its other
	 * end (a port's incoming calls) meets each block many times */
	/* recent blocks by number, until t_bc starts: a row that reads two
	 * relationships (a.end, b.start) alternates between their blocks */
	struct st_bslot t_rb1[8];
	struct st_bslot *t_rb;          /* the last block: one of t_rb1 or of t_bc */
	struct st_bslot *t_bc;
	size_t t_bc_mask;
	unsigned t_bc_misses;
	unsigned t_bc_next;             /* misses at which t_bc doubles */
	/* read transactions, likewise for adjacency (tables.c): once many
	 * seeks have missed, the entries of every node whose entries are one
	 * page, per direction, by node id: the second hop of a pattern seeks
	 * the same nodes again and again */
	struct st_aslot *t_ac[2];
	size_t t_ac_mask[2];
	unsigned t_ac_misses[2];        /* seeks that missed, per direction */
	unsigned t_ac_next[2];          /* ... at which the table doubles */
	unsigned t_ra_reads;    /* values read, until read-ahead starts (readahead.c) */
};


/* fault.c: while a database is open, a SIGSEGV or SIGBUS that is its
 * damage (see there) ends the process with a message naming it, exit 1.
 * st_fault_open registers an opened env (walked: all its pages checked
 * out), st_fault_map tells where its map now is (after e_map changes),
 * st_fault_walked that its pages have all been checked since; the
 * decision itself, for tests: the slot of the database a fault is the
 * damage of, or -1. */
void st_fault_open(st_env *env, int walked);
void st_fault_map(st_env *env);
void st_fault_walked(st_env *env);
void st_fault_close(st_env *env);
int st_fault_damage(int sig, uintptr_t pc, uintptr_t addr);
int st_fault_in_lmdb(uintptr_t pc);
/* The watchdog's decision at a tick that found the process at pc: the
 * open database (not wholly walked) whose damage keeps LMDB in one call
 * since the last tick, or -1. */
int st_fault_stuck(uintptr_t pc);

/* ST_ECORRUPT for stored bytes found malformed, the message set: noted as
 * the process's first damage (st_damage_noted), which the command reports
 * even where its own message says less, and counted (st_damage_seen). */
int st_corrupt(void);

/* Calls into LMDB that move a cursor or look a key up, counted: fault.c's
 * watchdog tells a long scan (whose calls return) from a damaged page's
 * loop inside one call.  Every store file reaches LMDB through these. */
extern volatile unsigned long st_lmdb_calls;
static inline int st_counted_cursor_get(MDB_cursor *c, MDB_val *k, MDB_val *v, MDB_cursor_op op)
{
	st_lmdb_calls++;
	return mdb_cursor_get(c, k, v, op);
}
static inline int st_counted_get(MDB_txn *t, MDB_dbi d, MDB_val *k, MDB_val *v)
{
	st_lmdb_calls++;
	return mdb_get(t, d, k, v);
}
#define mdb_cursor_get st_counted_cursor_get
#define mdb_get st_counted_get

#define DBI(t, i) ((t)->t_env->e_dbi[i])

static inline void st_put16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static inline void st_put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}
static inline void st_put64(unsigned char *p, uint64_t v) { st_put32(p, (uint32_t)(v >> 32)); st_put32(p + 4, (uint32_t)v); }
static inline uint16_t st_get16(const void *q) { const unsigned char *p = q; return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t st_get32(const void *q)
{
	const unsigned char *p = q;
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t st_get64(const void *q) { const unsigned char *p = q; return (uint64_t)st_get32(p) << 32 | st_get32(p + 4); }

static inline void st_adj_pack(unsigned char *p, uint8_t code, uint32_t nbr, uint32_t edge)
{
	p[0] = code; st_put32(p + 1, nbr); st_put32(p + 5, edge);
}

/* The 1-byte code of relationship type `type` (a symbol id): 0 and *code
 * set; ST_ENOTFOUND when the type has no code (so no edges) and create is 0;
 * ST_ELIMIT past 255 types.  The symbol of a code: 0 if unknown. */
int st_tcode(st_txn *t, uint16_t type, int create, uint8_t *code);
uint16_t st_tsym(st_txn *t, uint8_t code);

void st_seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int st_mdb_err(int rc, const char *what);
/* 0 if the value lies inside the mapped file, else ST_ECORRUPT with a
 * message: a damaged page can give a length that reaches past the file. */
int st_val_ok(st_txn *t, const MDB_val *v, const char *what);
/* readahead.c: a read transaction read a value at `p` in the map; and
 * freeing the environment's read-ahead state. */
void st_ra_note(st_txn *t, const void *p);
void st_ra_free(st_env *env);
/* data.mdb's size now (and remembered for st_val_ok). */
uint64_t st_file_size(st_env *env);
/* The page structure of the transaction's snapshot, read from the file
 * (verify.c): problems are reported, at most `max`; returns their number,
 * or -1 when the snapshot's meta page could not be found (a writer moved
 * on twice while this ran). */
long st_verify_pages(st_txn *t, void (*report)(void *, const char *), void *arg, long max);
/* At open, before LMDB reads any table: the main and free tables' pages
 * (full 0) or every page (full 1); ST_ECORRUPT with a message in why. */
int st_verify_open(st_env *env, int full, char *why, size_t n);
MDB_cursor *st_cursor(st_txn *t, int db);
/* Edge blocks (edges.c).  The record of edge `low` (0..63) of a packed
 * block: 1 and *rec, *len set, 0 if absent, -1 if the block is malformed
 * (reading only what that record needs: O(1)).  Whether a whole block is
 * well formed: 0 or -1. */
int st_blk_record(const unsigned char *b, size_t n, unsigned low, const unsigned char **rec, size_t *len);
int st_blk_check(const unsigned char *b, size_t n);
/* A format 2 block (bitmap, then [varint length][bytes] per record)
 * repacked as format 3 into *out (grown as needed; *cap its size):
 * ST_OK and *outlen, or ST_ECORRUPT when it is malformed. */
int st_blk_from_v2(const unsigned char *b, size_t n, unsigned char **out, size_t *cap, size_t *outlen);
int st_block_flush(st_txn *t);
/* pgread.c: a read transaction's first pages, read with pread rather than
 * through the map.  Each returns ST_OK, ST_ENOTFOUND, an error, or
 * PR_ASIDE: ask LMDB instead.  Values are copies that live as long as the
 * environment (never pass them to st_val_ok, which checks map pointers).
 * st_pr_get: a table without duplicates; st_pr_last_key: the last key;
 * st_pr_dups: the number of a key's fixed-size duplicates and, when all
 * is not NULL and they lie in one page, all of them, in order. */
#define PR_ASIDE 1
int st_pr_get(st_txn *t, int db, const MDB_val *key, MDB_val *val);
int st_pr_last_key(st_txn *t, int db, MDB_val *key);
int st_pr_dups(st_txn *t, int db, const MDB_val *key, MDB_val *all, uint64_t *count);
void st_pr_free(st_env *env);
/* The walk at open hands over what it read of the snapshot it walked:
 * its meta page (st_pr_seed) and the main table's pages, so that the
 * first statement does not read them again. */
void st_pr_seed(st_env *env, const unsigned char *meta);
void st_pr_seed_page(st_env *env, uint64_t txnid, uint64_t pg, const unsigned char *page);
/* Tests: room for `pages` pages on this path from now on, instead of the
 * few dozen a process gets; 0: the map only (values read before on this
 * path are freed). */
int st_pr_set_budget(st_env *env, unsigned pages);
/* Tests: the reads this path has made (meta pages included). */
unsigned long st_pr_reads(const st_env *env);
/* A scan is under way (every step of one calls st_pr_scan; past a few
 * dozen steps, or at st_pr_stop, the process reads through the map from
 * then on: pages read in order cost less mapped than read). */
void st_pr_scan(st_txn *t);
void st_pr_stop(st_txn *t);
/* A point read of a table without duplicates, through pgread.c when it
 * can, else LMDB: ST_OK with *v set, ST_ENOTFOUND, or an error. */
int st_get(st_txn *t, int db, const MDB_val *k, MDB_val *v, const char *what);
void st_digest_item(st_txn *t, int sign, char tag, const void *key, size_t klen, const void *val, size_t vlen);
int st_hash_ready(st_env *env);
/* digestq.c: 0 when the item went to the hashing thread, -1 when the
 * caller hashes it; st_digest_add adds a sum of item hashes. */
typedef struct st_dq st_dq;
int st_digest_queue(st_txn *t, char tag, const void *key, size_t klen, const void *val, size_t vlen);
void st_digest_add(st_txn *t, const uint64_t sum[4]);
void st_item_hash(st_env *env, char tag, const void *key, size_t klen, const void *val, size_t vlen, uint64_t out[4]);
void st_digest_from_bytes(uint64_t d[4], const unsigned char *b);
/* The digest sum of every stored AIS position (positions.c). */
int st_pos_digest(st_txn *t, uint64_t out[4]);
/* Records the positions format in meta "pos_format" (a new database). */
int st_pos_format_mark(st_txn *t);
void st_digest_to_bytes(const uint64_t d[4], unsigned char *b);
/* Adds (sign > 0) or takes away item hash x to or from the 256-bit sum d,
 * the digest of the stored items (env.c; positions.c sums with it too). */
void st_sum256_add(uint64_t d[4], const uint64_t x[4], int sign);
/* Files (env.c, for backup and upgrade): fsync of a file or directory by
 * path; removing a database directory made beside the real one (its
 * data.mdb, lock.mdb, then the directory). */
int st_sync_path(const char *path, int dir);
void st_remove_db_dir(const char *dir);

#endif
