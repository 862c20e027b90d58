/*
 * iter.h: reading the whole graph in order, and the store's bookkeeping,
 * for the layers above graph/ (export, ingest, cli), which never see the
 * store itself.
 *
 * The iterators are cursors the caller declares on its stack: open, then
 * next() until it returns 0 (the end) or a negative GR_E* code (err, given
 * at open, says what went wrong); the caller may stop at any row.  No row
 * allocates: a relationship cursor allocates once, at open, and must be
 * closed; node and symbol cursors hold no resources.  A cursor belongs to
 * one transaction and is valid until it ends; names and records it hands
 * out are valid for the transaction (of a write transaction, until its
 * next write).
 */
#ifndef SG_ITER_H
#define SG_ITER_H

#include <stddef.h>
#include <stdint.h>

/* Directions of a relationship seen from a node. */
enum { GR_OUT = 0, GR_IN = 1 };

/* The longest node key or indexed text, in bytes. */
#define GR_MAX_KEY 480

/* ---- nodes ---- */

typedef struct gr_nodes {
	gr_txn *ns_txn;
	gr_error *ns_err;
	uint16_t ns_label;      /* 0: every node */
	int ns_done;
	uint32_t ns_id;         /* the current node (after next() returned 1) */
	const void *ns_rec;     /* its record, when the scan read it (label 0) */
	size_t ns_len;
} gr_nodes;

/* A cursor over the nodes in id order: all of them (label 0), or those
 * carrying label. */
void gr_nodes_open(gr_txn *txn, uint16_t label, gr_nodes *it, gr_error *err);
/* 1 and it->ns_id set, 0 at the end, or a negative error. */
int gr_nodes_next(gr_nodes *it);
/* Decodes the current node into n (from the record already read when the
 * cursor scans every node, else by its id). */
int gr_nodes_load(gr_nodes *it, gr_node *n);

/* ---- relationships ---- */

typedef struct gr_rel {
	uint32_t r_edge;        /* the relationship's id */
	uint32_t r_src, r_dst;  /* its start and end node */
	uint32_t r_nbr;         /* the end other than the node sought (r_dst for a full scan) */
	uint16_t r_type;
} gr_rel;

struct st_adj_iter;
typedef struct gr_rels {
	gr_txn *rs_txn;
	gr_error *rs_err;
	struct st_adj_iter *rs_cur;
	int rs_mode;            /* 0 not positioned, 1 one node, 2 every relationship */
	int rs_dir;
	uint32_t rs_node;       /* mode 1: the node sought; mode 2: the start node */
} gr_rels;

/* Opens a cursor over adjacency (GR_OK or GR_ENOMEM); close it with
 * gr_rels_close (also after a failed open). */
int gr_rels_open(gr_txn *txn, gr_rels *it, gr_error *err);
/* Positions the cursor on node's relationships in direction dir (GR_OUT,
 * GR_IN), optionally of one type (0: all) and to one neighbour (0: all);
 * next() then yields them sorted by type, neighbour, id. */
int gr_rels_seek(gr_rels *it, uint32_t node, int dir, uint16_t type, uint32_t nbr);
/* Positions the cursor on every relationship, by start node. */
void gr_rels_all(gr_rels *it);
/* 1 and *r set, 0 at the end, or a negative error. */
int gr_rels_next(gr_rels *it, gr_rel *r);
void gr_rels_close(gr_rels *it);

/* The type and end node of relationship `edge` starting at src;
 * GR_ENOTFOUND.  Linear in src's out-degree. */
int gr_edge_find(gr_txn *txn, uint32_t src, uint32_t edge, uint16_t *type, uint32_t *dst);

/* ---- symbols (labels, types, property names) ---- */

typedef struct gr_syms {
	gr_txn *sy_txn;
	int sy_done;
	uint16_t sy_id;         /* the current symbol */
	const char *sy_name;    /* its name, NUL-terminated */
	size_t sy_len;
} gr_syms;

/* A cursor over every symbol in id order. */
void gr_syms_open(gr_txn *txn, gr_syms *it);
int gr_syms_next(gr_syms *it);
/* Interns name (write transactions) like gr_sym, with err saying why a
 * name cannot be a symbol. */
int gr_sym_intern(gr_txn *txn, const char *name, size_t len, uint16_t *id, gr_error *err);

/* ---- counts and bookkeeping ---- */

uint64_t gr_node_count(gr_txn *txn);
uint64_t gr_label_count(gr_txn *txn, uint16_t label);
/* The next node (edge 0) or relationship (edge 1) id to be handed out. */
uint32_t gr_id_next(gr_txn *txn, int edge);
/* Bytes of the database file, and bytes in use. */
int gr_db_size(gr_db *db, uint64_t *file_bytes, uint64_t *used_bytes);
/* A consistent, compacted copy of the database into dir (new or empty). */
int gr_backup(gr_db *db, const char *dir, gr_error *err);
/* After reading without a lock file: GR_EIO when a writer may have reused
 * pages this process read (err says so), else GR_OK. */
int gr_read_stale(gr_db *db, gr_error *err);
/* After a command: GR_ECORRUPT when a read met a damaged page, with a
 * message naming the database (what the command printed may not), else
 * GR_OK. */
int gr_damage_noted(gr_db *db, gr_error *err);
/* Adds key as another key (alias) of node within label, in the key index:
 * GR_OK, GR_EEXISTS when it names a node already, or an error. */
int gr_key_alias(gr_txn *txn, uint16_t label, const char *key, size_t len, uint32_t node, gr_error *err);

/* The newest change-log record's sequence number (0: none), and the hash of
 * record seq (GR_ENOTFOUND). */
uint64_t gr_log_head(gr_txn *txn);
int gr_log_hash(gr_txn *txn, uint64_t seq, unsigned char hash[32]);

#define GR_DIGEST_LEN 32

/* SHA-256, and hex digits of n bytes into out (2n + 1 bytes). */
void gr_sha256(const void *p, size_t n, unsigned char out[GR_DIGEST_LEN]);
/* The same, part bytes at a time, calling done(part, its length, arg) after
 * each: a caller can give back the pages of a large mapped input. */
void gr_sha256_parts(const void *p, size_t n, size_t part, void (*done)(const void *, size_t, void *), void *arg,
    unsigned char out[GR_DIGEST_LEN]);
void gr_hex(const unsigned char *p, size_t n, char *out);

#endif
