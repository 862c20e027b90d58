/*
 * claim.h: the identity of a claim, and saying a claim again.
 *
 * An edge is a claim (contract, Data model).  Its identity is its type, its
 * two endpoints, its `claim` property (absent counts as a value) and its
 * time span: [start, end], else [date, date], as UTC calendar days; a span
 * with one open end runs to the other's day; an edge with none of these has
 * no span.  Two edges of one type between the same endpoints are the same
 * claim when their `claim` values are equal and their spans overlap, or
 * neither has a span.
 *
 * Saying a claim (gr_claim_say, gr_bulk_claim) finds the existing edges that
 * are the same claim (the candidates, in id order):
 *   - none: a new edge is made;
 *   - one: the new citations and properties are merged into it;
 *   - several: the first whose span is exactly the new one's (the same
 *     claim said again), else the new claim is stored as its own edge and
 *     reported as ambiguous (the candidates are named).
 * With an occurrence K >= 2 (the JSONL `occurrence` member, written by
 * export on the K-th look-alike edge in id order) the claim is the K-th
 * candidate, or a new edge when there are fewer.  GR_CLAIM_NEW always makes
 * a new edge (link --new, Cypher CREATE).
 *
 * Merging properties: a property the claim lacks is added; an equal value
 * changes nothing; a differing value never replaces what is stored and is
 * never dropped: a list gains the new items it lacks, any other value is
 * kept in the list `<prop>_alt` (each value once) and counted as a
 * conflict, so the caller can report it.  Citations: a new source is
 * added; a source already cited takes the confidence given now (a refreshed
 * file may revise it).  A claim whose record would not change is not
 * written, so
 * saying it again leaves the database and the change log as they were.
 */
#ifndef SG_CLAIM_H
#define SG_CLAIM_H

#include "graph.h"

typedef struct gr_span {
	int sp_has;          /* 0: no dates */
	int32_t sp_lo, sp_hi;  /* UTC days since 1970-01-01, inclusive */
} gr_span;

/* The UTC calendar day of a date or datetime value: 0 and *day, or -1. */
int gr_value_utc_day(const gr_value *v, int32_t *day);
/* The span of a property array (`start`, `end`, `date`). */
void gr_claim_span(gr_txn *t, const gr_prop *p, size_t np, gr_span *s);
/* Whether two spans make the same claim: they overlap, or neither exists. */
int gr_spans_match(const gr_span *a, const gr_span *b);
/* Whether a and b (same type and endpoints assumed) are the same claim. */
int gr_claim_same(gr_txn *t, const gr_edge *a, const gr_edge *b);

enum gr_claim_outcome {
	GR_CLAIM_CREATED = 1,   /* a new edge */
	GR_CLAIM_UPDATED,       /* citations or properties added to a claim */
	GR_CLAIM_UNCHANGED,     /* the claim already said all of it */
	GR_CLAIM_AMBIGUOUS      /* a new edge: it overlaps several claims */
};

#define GR_CLAIM_NEW 1          /* flag: always make a new edge */
#define GR_CLAIM_REFRESH 2      /* flag: a differing value replaces the stored
                                 * one (a claim re-derived from more data, as
                                 * detect does: the span that grew wins) */
#define GR_CLAIM_MAXOTHERS 8

typedef struct gr_claim_result {
	int cr_outcome;
	uint32_t cr_edge;                 /* the edge made or merged into */
	uint32_t cr_others[GR_CLAIM_MAXOTHERS];   /* ambiguous: the claims it overlaps */
	size_t cr_nothers;
	size_t cr_cites_added, cr_cites_changed, cr_cites_same;   /* changed: a new confidence */
	size_t cr_conflicts;              /* differing values kept in <prop>_alt */
	char cr_conflict[64];             /* the first such property */
} gr_claim_result;

/* Says claim e (type, endpoints, properties, citations set; e->e_id is
 * set on return).  occurrence: 0 or 1 for a plain claim, K >= 2 as above. */
int gr_claim_say(gr_txn *t, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err);

/* Merges the properties and citations of `in` into `cur` as above (flags:
 * GR_CLAIM_REFRESH); *changed is set when cur changed.  Values of `in` are
 * copied. */
int gr_claim_merge(gr_txn *t, gr_edge *cur, const gr_edge *in, int flags, gr_claim_result *res, int *changed,
    gr_error *err);

/* The candidates for claim e: existing edges from e->e_src to e->e_dst of
 * e->e_type that are the same claim (scan_store 0: none is in the
 * adjacency yet), plus those of extra[0..nextra) that are (edges not yet
 * in the adjacency, for bulk loads), in id order.  *ids is malloc'd. */
int gr_claim_candidates(gr_txn *t, const gr_edge *e, int scan_store, const uint32_t *extra, size_t nextra,
    uint32_t **ids, size_t *n, gr_error *err);
/* Picks among the candidates (gr_claim_say's rule): 0 and *pick set, or
 * -1 when a new edge is due (*ambiguous set when that is because there are
 * several). */
int gr_claim_pick(gr_txn *t, const gr_edge *e, const uint32_t *ids, size_t n, unsigned occurrence,
    uint32_t *pick, int *ambiguous);
/* What res says of a claim stored as a new edge e: the claims it overlaps
 * when that is ambiguous (ids[0..n)), its id, outcome and citations. */
void gr_claim_note_others(gr_claim_result *res, const uint32_t *ids, size_t n);
void gr_claim_note_created(gr_claim_result *res, const gr_edge *e, int ambiguous);

/* Finds an existing claim named by type, endpoints and the identifying
 * properties given (what `cite`, `set`, `unlink` take: a span given must
 * overlap, a `claim` given must be equal; what is not given is not
 * compared): the one such edge, else GR_ENOTFOUND, or GR_EAMBIGUOUS naming
 * them as ~ID. */
int gr_claim_find(gr_txn *t, const gr_edge *e, uint32_t *id, gr_error *err);
/* Loads relationship `id` wherever it starts (a scan of edge records'
 * adjacency; GR_ENOTFOUND). */
int gr_edge_by_id(gr_txn *t, uint32_t id, gr_edge *e, gr_error *err);

/* The counts of what t changed so far, without marking t changed (as
 * gr_txn_counts does): how a command tells "updated" from "unchanged". */
const gr_counts *gr_txn_counts_peek(const gr_txn *t);

/* ---- bulk loads (imports): the same rules within one gr_bulk ---- */

/* Says claim e within bulk b (edges made earlier in the bulk count as
 * existing); also checks the type against the near misses of built-in
 * types.  gr_bulk_edge(b, e, err) is gr_bulk_claim(b, e, 0, 0, NULL, err). */
int gr_bulk_claim(gr_bulk *b, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err);

/* Replaces the whole record of node n->n_id or edge e->e_id (existing, in
 * the store or made in this bulk) with n or e as given: what an importer
 * that knows which source said what (ingest/ftm_said.c) writes after taking
 * back what a source no longer says.  An unchanged record is not written.
 * Counted as updated or unchanged. */
int gr_bulk_node_replace(gr_bulk *b, gr_node *n, gr_error *err);
int gr_bulk_edge_replace(gr_bulk *b, gr_edge *e, gr_error *err);
/* Edge i (0, 1, ...) made in this bulk: 1 and its ends, type and id, or 0
 * past the last. */
size_t gr_bulk_new_edges(const gr_bulk *b, size_t i, uint32_t *src, uint32_t *dst, uint16_t *type, uint32_t *id);
/* The edges made in this bulk from e->e_src to e->e_dst of e->e_type
 * (*ids malloc'd). */
int gr_bulk_edges_between(const gr_bulk *b, const gr_edge *e, uint32_t **ids, size_t *n);

/* gr_bulk_node and gr_bulk_edge for an importer that owns n or e: their
 * arrays are used (and values normalised) in place rather than copied;
 * the caller still clears them. */
int gr_bulk_node_own(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err);
int gr_bulk_edge_own(gr_bulk *b, gr_edge *e, gr_error *err);
/* Counts nodes said again unchanged (and their citations) that the
 * importer did not hand to the bulk, knowing they would not change. */
void gr_bulk_count_same(gr_bulk *b, uint64_t nodes, uint64_t cites);

/* What a bulk load did, record by record. */
typedef struct gr_bulk_counts {
	uint64_t bc_nodes_created, bc_nodes_updated, bc_nodes_unchanged;
	uint64_t bc_edges_created, bc_edges_updated, bc_edges_unchanged;
	uint64_t bc_cites_added, bc_cites_updated, bc_cites_unchanged;
	uint64_t bc_ambiguous, bc_conflicts;
} gr_bulk_counts;
/* The counts so far (call before gr_bulk_finish, which frees b). */
void gr_bulk_counts_get(const gr_bulk *b, gr_bulk_counts *c);

#endif
