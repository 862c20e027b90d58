/*
 * graph.h: the evidence-bearing property graph on top of the store.
 *
 * Nodes have labels, a key unique within their first label, typed
 * properties and citations; edges have a type, two endpoints, properties and
 * citations.  A citation names a Source node and a confidence.  This layer
 * encodes records, keeps every index in step with the data, applies the
 * domain checks of the built-in schema, and writes one change-log record per
 * write transaction.  It knows nothing of argv or output formats.
 *
 * Record encodings (values as in value.h):
 *   node  [varint nlabels][varint label...][varint keylen][key]
 *         [varint nprops][(varint propkey, value)...][varint ncites]
 *         [(varint source id, u8 confidence)...]
 *   edge  [varint nprops][(varint propkey, value)...][varint ncites][...]
 *         (the citation count is left out when there are none)
 *         (an edge with no properties and no citations has no record)
 * Properties are kept sorted by key symbol id.
 *
 * Ownership: gr_node and gr_edge own their arrays and values;
 * gr_node_clear()/gr_edge_clear() free them.  Names returned by gr_sym_name
 * point into the store and stay valid for the transaction.
 *
 * Errors: functions return 0 or a negative GR_E* code and fill a gr_error
 * whose message says what is wrong (lowercase, no full stop).
 */
#ifndef SG_GRAPH_H
#define SG_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include "value.h"
#include "domain.h"   /* confidence levels GR_CONFIRMED .. GR_SUSPECTED */

enum {
	GR_OK = 0,
	GR_ENOTFOUND = -1,   /* no such node, edge, key or name */
	GR_EIO = -2,         /* storage failure */
	GR_EINVALID = -3,    /* bad data: failed domain check, bad value */
	GR_EEXISTS = -4,     /* key already taken */
	GR_EAMBIGUOUS = -5,  /* a bare key matches nodes of several labels */
	GR_ENOMEM = -6,
	GR_EMAPFULL = -7,    /* internal: the write is replayed on a larger map */
	GR_ECORRUPT = -8,
	GR_EUSAGE = -9
};

typedef struct gr_error {
	int code;
	char msg[1024];
} gr_error;

/* Sets err (if not NULL) and returns code. */
int gr_fail(gr_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

typedef struct gr_db gr_db;
typedef struct gr_txn gr_txn;


typedef struct gr_prop {
	uint16_t p_key;      /* symbol id of the property name */
	gr_value p_val;
} gr_prop;

typedef struct gr_cite {
	uint32_t c_source;   /* node id of the Source */
	uint8_t c_conf;      /* GR_CONFIRMED .. GR_SUSPECTED */
} gr_cite;

typedef struct gr_node {
	uint32_t n_id;
	uint16_t *n_labels;
	size_t n_nlabels;
	char *n_key;         /* NUL-terminated */
	size_t n_keylen;
	gr_prop *n_props;
	size_t n_nprops;
	gr_cite *n_cites;
	size_t n_ncites;
} gr_node;

typedef struct gr_edge {
	uint32_t e_id, e_src, e_dst;
	uint16_t e_type;
	gr_prop *e_props;
	size_t e_nprops;
	gr_cite *e_cites;
	size_t e_ncites;
} gr_edge;

/* Counts of what a transaction changed; the change log records them. */
typedef struct gr_counts {
	uint64_t nodes_created, nodes_updated, nodes_deleted;
	uint64_t edges_created, edges_updated, edges_deleted;
	uint64_t labels_added, labels_removed, props_set;
	uint64_t cites_added, cites_removed;
} gr_counts;

/* ---- database and transactions ---- */

/* Opens (create: creates) the database in `dir`. */
int gr_open(const char *dir, int create, gr_db **out, gr_error *err);
void gr_close(gr_db *db);
/* Who is recorded as the author of changes, and the command line; GR_OK,
 * or GR_ENOMEM. */
int gr_set_author(gr_db *db, const char *author);
/* Or the function that names the author, asked at the first write only:
 * a reading process does not look its user up. */
void gr_set_author_fn(gr_db *db, const char *(*fn)(void));
int gr_set_command(gr_db *db, const char *command);
/* The command's name ("query"): a damaged page that stops the process
 * names it in its message, as other errors do. */
void gr_set_command_name(gr_db *db, const char *name);

int gr_begin(gr_db *db, int write, gr_txn **out, gr_error *err);
/* Commits; a write transaction that changed anything appends one change-log
 * record (time, author, command, counts, state digest). */
int gr_commit(gr_txn *txn, gr_error *err);
void gr_abort(gr_txn *txn);
/* Runs fn in a write transaction and commits it; replays fn on a larger map
 * when the map is full (fn must be replayable).  On failure nothing is
 * written and err holds fn's error. */
int gr_write(gr_db *db, int (*fn)(gr_txn *, void *, gr_error *), void *arg, gr_error *err);
/* Converts the database in `dir` from an older format to this one in place,
 * keeping the old one as a backup whose path goes to backup[0..bn) (see
 * store.h st_upgrade).  *from receives the format found: this build's
 * means nothing was done.  The database must not be open. */
int gr_upgrade(const char *dir, unsigned *from, char *backup, size_t bn, gr_error *err);
gr_db *gr_txn_db(gr_txn *txn);
gr_counts *gr_txn_counts(gr_txn *txn);
int gr_txn_writable(gr_txn *txn);

/* ---- symbols: labels, types and property names share one table ---- */

/* Looks up `name`; with create, interns it.  GR_ENOTFOUND when absent. */
int gr_sym(gr_txn *txn, const char *name, size_t len, int create, uint16_t *id);
/* The name of a symbol, or "?" when unknown; valid for the transaction. */
const char *gr_sym_name(gr_txn *txn, uint16_t id, size_t *len);
/* The symbol ids of the built-in names (0 until interned). */
uint16_t gr_sym_cached(gr_txn *txn, const char *name);

/* ---- nodes ---- */

void gr_node_init(gr_node *n);
void gr_node_clear(gr_node *n);
/* Loads node `id`; GR_ENOTFOUND if there is none. */
int gr_node_load(gr_txn *txn, uint32_t id, gr_node *n, gr_error *err);
/* Whether node `id` exists. */
int gr_node_exists(gr_txn *txn, uint32_t id);
/* The node with this first label and key (or alias); GR_ENOTFOUND. */
int gr_node_by_key(gr_txn *txn, uint16_t label, const char *key, size_t len, uint32_t *id);
/* Resolves a reference "Label:key" or a bare key (unambiguous across
 * labels; GR_EAMBIGUOUS lists the candidates in err). */
int gr_resolve(gr_txn *txn, const char *ref, uint32_t *id, gr_error *err);
/* A display reference "Label:key" for node id into buf. */
int gr_node_ref(gr_txn *txn, uint32_t id, char *buf, size_t n);

/* Checks n against the built-in schema (Vessel imo/mmsi/flag..., Port
 * locode/lat/lon, IMO-form keys); err names the node and field. */
int gr_node_check(gr_txn *txn, const gr_node *n, gr_error *err);
/* Creates n (n->n_id == 0: a fresh id is assigned, and a key is generated
 * when n has none) or replaces node n->n_id; runs the checks and updates all
 * indexes and citations.  GR_EEXISTS when the key belongs to another node. */
int gr_node_save(gr_txn *txn, gr_node *n, gr_error *err);
/* Deletes a node; with detach its edges too, else GR_EINVALID if it has any. */
int gr_node_delete(gr_txn *txn, uint32_t id, int detach, gr_error *err);

/* Property helpers on a loaded node or edge (p/np: its property array). */
const gr_value *gr_props_get(const gr_prop *p, size_t np, uint16_t key);
/* Sets (val not GR_NULL) or removes (GR_NULL) a property; takes ownership
 * of val. */
int gr_props_set(gr_prop **p, size_t *np, uint16_t key, gr_value val);
int gr_node_has_label(const gr_node *n, uint16_t label);
/* Adds a citation (replacing the confidence of an existing one). */
int gr_cites_add(gr_cite **c, size_t *nc, uint32_t source, uint8_t conf);

/* Reads one property straight from node id's record, without decoding the
 * rest: 0 and *out set (GR_NULL when absent), or an error.  The key is
 * readable as the property named "key" via gr_node_key_get. */
int gr_node_prop(gr_txn *txn, uint32_t id, uint16_t key, gr_value *out);
int gr_node_key_get(gr_txn *txn, uint32_t id, const char **key, size_t *len);
int gr_node_labels(gr_txn *txn, uint32_t id, uint16_t *labels, size_t max, size_t *n);
int gr_node_has_label_id(gr_txn *txn, uint32_t id, uint16_t label);

/* ---- edges ---- */

void gr_edge_init(gr_edge *e);
void gr_edge_clear(gr_edge *e);
/* Creates an edge: assigns e->e_id, writes record, adjacency, citations.
 * Both endpoints must exist (GR_ENOTFOUND names the missing one). */
int gr_edge_create(gr_txn *txn, gr_edge *e, gr_error *err);
/* Loads the properties and citations of edge e->e_id into e (type and
 * endpoints must be set by the caller, as the adjacency gives them). */
int gr_edge_load_props(gr_txn *txn, gr_edge *e, gr_error *err);
/* Loads edge `id` whose start node is `src`. */
int gr_edge_load(gr_txn *txn, uint32_t src, uint32_t id, gr_edge *e, gr_error *err);
/* Rewrites the record (properties, citations) of an existing edge. */
int gr_edge_save(gr_txn *txn, gr_edge *e, gr_error *err);
int gr_edge_delete(gr_txn *txn, const gr_edge *e, gr_error *err);
int gr_edge_prop(gr_txn *txn, uint32_t id, uint16_t key, gr_value *out);

/* ---- text search ---- */

typedef struct gr_hit {
	uint32_t h_node;
	char h_kind;         /* 'n' name, 'p' past name, 'a' alias, 'i' IMO, 'm' MMSI, 'c' call sign, 'k' key */
	char *h_text;        /* the matching text, as stored */
} gr_hit;
/* Case- and accent-insensitive search: identifiers and keys exactly, names
 * by substring of the normalised text.  label 0: any label.  *hits is
 * malloc'd; free with gr_hits_free. */
int gr_find(gr_txn *txn, const char *text, uint16_t label, gr_hit **hits, size_t *n, gr_error *err);
void gr_hits_free(gr_hit *hits, size_t n);

/* ---- bulk loading (imports) ---- */

typedef struct gr_bulk gr_bulk;
int gr_bulk_begin(gr_txn *txn, gr_bulk **out);
/* Adds or updates a node: when a node with the same first label and key
 * exists (in the store or earlier in this bulk), its labels, properties
 * and citations are merged into it.  *id receives the node id. */
int gr_bulk_node(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err);
/* The id of a node with first label and key, in the store or added in this
 * bulk; GR_ENOTFOUND. */
int gr_bulk_lookup(gr_bulk *b, uint16_t label, const char *key, size_t len, uint32_t *id);
/* Adds an edge between existing nodes (ids resolved by the caller). */
int gr_bulk_edge(gr_bulk *b, gr_edge *e, gr_error *err);
/* Writes the pending adjacency and index entries; frees b. */
int gr_bulk_finish(gr_bulk *b, gr_error *err);
void gr_bulk_free(gr_bulk *b);
/* Memory for an importer's big tables (ID maps): huge-page mappings from
 * 1 MiB on, zeroed, grown without a copy (store/bigmem.h); NULL when out
 * of memory (realloc: the old block kept). */
void *gr_big_alloc(size_t n);
void *gr_big_realloc(void *p, size_t n);
void gr_big_free(void *p);

/* ---- change log ---- */

typedef struct gr_log_entry {
	uint64_t l_seq;
	int64_t l_time;          /* seconds since the epoch */
	char *l_author, *l_command;
	gr_counts l_counts;
	unsigned char l_hash[32], l_prev[32], l_digest[32], l_delta[32];
} gr_log_entry;
int gr_log_read(gr_txn *txn, uint64_t seq, gr_log_entry *e, gr_error *err);
void gr_log_entry_clear(gr_log_entry *e);

/* ---- verification ---- */

/* Verifies records decode, every index entry matches its data and vice
 * versa, every edge's nodes exist, citations point at Source nodes, and the
 * change log's chain and the state digest.  Calls report() once per problem
 * (up to a limit); returns the number of problems, or a negative error. */
long gr_check(gr_txn *txn, void (*report)(void *arg, const char *msg), void *arg, gr_error *err);

/* cursors over nodes, relationships and symbols; counts, backup, digests */
#include "iter.h"

#endif
