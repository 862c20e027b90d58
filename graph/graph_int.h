/*
 * graph_int.h: shared by the files of graph/; not for use outside it.
 */
#ifndef SG_GRAPH_INT_H
#define SG_GRAPH_INT_H

#include "graph.h"
#include "../store/store.h"

/* Built-in names whose symbol ids are cached per transaction. */
enum {
	SYM_NAME, SYM_PAST_NAMES, SYM_ALIASES, SYM_IMO, SYM_MMSI, SYM_CALL_SIGN,
	SYM_FLAG, SYM_PAST_FLAGS, SYM_LOCODE, SYM_LAT, SYM_LON, SYM_VESSEL, SYM_PORT,
	SYM_SOURCE, SYM_MERGED_KEYS,
	/* claim identity and temporal checks (claim.c, validate.c) */
	SYM_DATE, SYM_START, SYM_END, SYM_SINCE, SYM_UNTIL, SYM_LISTED, SYM_DELISTED, SYM_CLAIM,
	SYM_NCACHED
};
extern const char *const gr_cached_names[SYM_NCACHED];

struct gr_db {
	st_env *d_env;
	char *d_author;
	const char *(*d_author_fn)(void);   /* asked for d_author at the first write */
	char *d_command;
};

struct gr_txn {
	gr_db *x_db;
	st_txn *x_st;
	int x_write;
	gr_counts x_counts;
	int x_changed;
	uint16_t x_sym[SYM_NCACHED];    /* 0: not looked up or absent */
	unsigned char x_symknown[SYM_NCACHED];
	gr_buf x_buf;                   /* scratch for record encoding */
	unsigned char *x_symkind;       /* per symbol, what validate.c found (lazy) */
	uint16_t *x_labbits;            /* per label symbol, and */
	uint16_t *x_nodebits;           /* per node id: the labels validate.c's rules name (lazy) */
	size_t x_nnodebits;
};

int gr_st_err(int st, gr_error *err, const char *what);
/* The store under a database and a transaction: for graph/ (and its unit
 * tests) only; the layers above reach the store through graph.h. */
st_env *gr_store(gr_db *db);
st_txn *gr_store_txn(gr_txn *txn);
/* Gives a node without a key a generated one, "~id", unique in its label. */
int gr_key_generate(gr_txn *t, gr_node *n, gr_error *err);
uint16_t gr_symc(gr_txn *t, int which);

int gr_node_encode(gr_buf *b, const gr_node *n);
int gr_edge_encode(gr_buf *b, const gr_edge *e);
int gr_node_decode(const void *rec, size_t len, gr_node *n);
int gr_edge_decode(const void *rec, size_t len, gr_edge *e);
int gr_record_node_prop(const void *rec, size_t len, uint16_t key, gr_value *out);
int gr_record_edge_prop(const void *rec, size_t len, uint16_t key, gr_value *out);
int gr_record_node_key(const void *rec, size_t len, const char **key, size_t *klen);
int gr_record_node_labels(const void *rec, size_t len, uint16_t *labels, size_t max, size_t *n);

/* Relationship id, of e's type between e's ends, as stored: its
 * properties and citations read into *out (initialised here; clear it
 * with gr_edge_clear whatever this returns). */
int gr_edge_load_like(gr_txn *t, const gr_edge *e, uint32_t id, gr_edge *out, gr_error *err);

/* Forgets what validate.c keeps of node id's labels: called wherever a
 * node record is written or deleted. */
void gr_node_labels_changed(gr_txn *t, uint32_t id);

/* Calls fn for each text-index entry a node carries (kind, folded text). */
int gr_node_idents(gr_txn *t, const gr_node *n, int (*fn)(void *arg, char kind, const char *s, size_t len), void *arg);

#endif
