/*
 * evidence.h: the evidence standard.  Which items of the graph are claims,
 * how many independent sources support each, retracting a source, and
 * merging two nodes found to be the same entity.  Graph-layer functions:
 * no argv, no printing; the CLI (cli/cmd_evidence.c) presents the results.
 *
 * Claims.  A relationship is a claim when its type is one of the
 * evidence-bearing types of the built-in schema (CALLED_AT, SIGHTED_AT,
 * AIS_GAP, OWNED_BY, MANAGED_BY, OPERATED_BY, LINKED_TO, SANCTIONED_UNDER,
 * TRANSFERRED_TO, CARRIED, LOADED_AT, DELIVERED_TO), or it cites at least
 * one source, or its type is named in gr_audit_opts.ao_types.  A node is a
 * claim when it is not a Source and
 *   - it is labelled Cargo (a suspected consignment), or
 *   - it is labelled Sanction (a designation or programme), or
 *   - it is designated: it starts a SANCTIONED_UNDER relationship, shares a
 *     relationship of any type with a Sanction node, or has the property
 *     `sanctioned` set to true, or
 *   - it cites at least one source (whatever it asserts, it asserts it on
 *     evidence, and the evidence can be weighed).
 * The first of these that applies is the claim's reason.  Ports, companies
 * and the like that cite nothing and are designated by nothing are
 * reference entities, not claims.
 *
 * Independence.  Two sources are independent when their publishers differ.
 * Publishers are compared after folding as `find` does (case, accents,
 * punctuation) with all whitespace removed, so "Planet Labs PBC" and
 * "planet labs, PBC" are one publisher; several sources of one publisher
 * count once.  A Source with no (or an empty) `publisher` is its own
 * publisher.  A citation of a node that no longer exists or is not a
 * Source counts as its own publisher too (check reports it).
 *
 * Ownership: every gr_claim and gr_merge_report is filled by the function
 * that returns it and released by the matching *_free / *_clear function;
 * strings in them are malloc'd and owned by the structure.
 *
 * Errors: functions return GR_OK or a negative GR_E* code (graph.h) and fill
 * err, as the rest of the graph layer does.
 */
#ifndef SG_EVIDENCE_H
#define SG_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>
#include "graph.h"

/* The default of --min-sources: two independent sources. */
#define GR_MIN_SOURCES 2

/* One cited source as a claim shows it. */
typedef struct gr_claim_source {
	uint32_t cs_id;          /* the Source node */
	char *cs_key;            /* its key ("#id" when the node is gone) */
	char *cs_publisher;      /* its publisher as stored, or NULL */
	uint8_t cs_conf;         /* GR_CONFIRMED .. GR_SUSPECTED */
} gr_claim_source;

typedef struct gr_claim {
	char cl_kind;            /* 'n' node, 'e' relationship */
	uint32_t cl_id;          /* the node id or the relationship id */
	uint32_t cl_src, cl_dst; /* a relationship's endpoints; a node: its id */
	uint16_t cl_type;        /* a relationship's type symbol; 0 for a node */
	char *cl_subject;        /* "Label:key" of the node or the start node */
	char *cl_relation;       /* the relationship type; NULL for a node */
	char *cl_object;         /* "Label:key" of the end node; NULL for a node */
	const char *cl_reason;   /* a node's reason: "Cargo", "Sanction",
	                            "designated" or "cited"; static; NULL for
	                            a relationship */
	gr_value cl_dates;       /* map of the date and datetime properties */
	gr_claim_source *cl_sources;
	size_t cl_nsources;
	size_t cl_independent;   /* distinct publishers among cl_sources (in
	                            gr_audit, among those that count under
	                            ao_min_conf) */
	size_t cl_before;        /* gr_retract: the count before the retraction */
} gr_claim;

/* Releases the claims c[0..n) and the array. */
void gr_claims_free(gr_claim *c, size_t n);

/* ---- independence ---- */

/*
 * The normal form under which two publishers are the same: the text folded
 * as gr_fold() does (case, accents, punctuation to spaces) with every space
 * removed.  Returns a malloc'd string the caller frees, "" when nothing but
 * punctuation and spaces was given; NULL when memory runs out.
 */
char *gr_publisher_norm(const char *publisher, size_t len);

/*
 * The number of distinct strings among keys[0..n); sorts keys in place.
 * NULL entries are each distinct (a source that is its own publisher).
 */
size_t gr_count_distinct(char **keys, size_t n);

/*
 * Counts the independent sources among the citations c[0..nc): reads each
 * cited Source's `publisher` and counts distinct normal forms, a source
 * without one counting once on its own.
 *
 * Returns GR_OK and *count, GR_ENOMEM or GR_EIO.
 */
int gr_independent(gr_txn *txn, const gr_cite *c, size_t nc, size_t *count, gr_error *err);

/* ---- the audit ---- */

typedef struct gr_audit_opts {
	unsigned ao_min_sources;       /* N: claims with fewer are reported (0: none) */
	const uint16_t *ao_labels;     /* only claims about a node with one of
	                                  these labels (the node, or either end
	                                  of a relationship); NULL: any */
	size_t ao_nlabels;
	const uint16_t *ao_types;      /* only relationship claims of these
	                                  types (node claims are left out);
	                                  such types count as evidence-bearing;
	                                  NULL: any */
	size_t ao_ntypes;
	uint8_t ao_min_conf;           /* a citation weaker than this level
	                                  (GR_CONFIRMED .. GR_SUSPECTED) does
	                                  not count; 0: every citation counts */
	size_t ao_total;               /* out: number of claims examined */
} gr_audit_opts;

/*
 * Finds every claim (see the top of this file) that passes the filters of o
 * and has fewer than o->ao_min_sources independent sources.
 *
 * txn: a read or write transaction.
 * o: options; o->ao_total receives the number of claims examined.
 * out, n: a malloc'd array of the claims found, weakest first (no source at
 *   all first, then by the independent count; nodes before relationships
 *   at equal counts, each in id order).  The caller frees it with
 *   gr_claims_free(); *out is NULL when *n is 0.
 *
 * Returns GR_OK, GR_ENOMEM, GR_EIO or GR_ECORRUPT (a record that cannot be
 * decoded; err names it).
 */
int gr_audit(gr_txn *txn, gr_audit_opts *o, gr_claim **out, size_t *n, gr_error *err);

/* ---- retraction ---- */

/*
 * Finds the Source node with key `key` ("Source:" before it is allowed).
 * Returns GR_OK and *id, or GR_ENOTFOUND ("unknown source KEY").
 */
int gr_source_find(gr_txn *txn, const char *key, uint32_t *id, gr_error *err);

/*
 * Retracts Source node `source`: every node and relationship citing it loses
 * that citation (each record rewritten with gr_node_save/gr_edge_save), then
 * the Source node is deleted with its relationships, if it has any.  All in
 * txn: commit it, or run this under gr_write(), for one transaction.
 *
 * txn: a write transaction; with dry_run a read transaction will do, and
 *   nothing is written.
 * min_sources: the standard for the list below.
 * out, n: the claims that the retraction leaves below the standard: those
 *   that met it before and not after, and those left with no source at
 *   all; cl_before holds the independent count before, cl_independent and
 *   cl_sources the state after.  Free with gr_claims_free().
 * ncites: the number of citations removed (or that would be).
 *
 * Returns GR_OK; GR_ENOTFOUND when `source` is not a Source node; GR_EIO,
 * GR_ENOMEM, GR_EMAPFULL (under gr_write: replayed) on storage failures.
 * On failure nothing is returned in out and the transaction must be
 * aborted.
 */
int gr_retract(gr_txn *txn, uint32_t source, unsigned min_sources, int dry_run,
    gr_claim **out, size_t *n, size_t *ncites, gr_error *err);

/* ---- merging ---- */

/* A property on which the two merged nodes disagreed. */
typedef struct gr_merge_conflict {
	char *mc_prop;           /* the property */
	char *mc_kept_in;        /* where the other value went: "past_names", "past_<prop>" */
	gr_value mc_kept;        /* the survivor's value, which stays */
	gr_value mc_other;       /* the merged node's value */
} gr_merge_conflict;

typedef struct gr_merge_report {
	uint32_t mr_survivor;
	char *mr_survivor_ref;   /* "Label:key" of the survivor */
	char *mr_merged_ref;     /* "Label:key" the merged node had, now an alias */
	size_t mr_edges_moved;
	size_t mr_cites_moved;   /* citations the merged node made, now the survivor's */
	size_t mr_cites_repointed; /* citations of the merged node (a Source) now citing the survivor */
	size_t mr_labels_added;
	size_t mr_props_added;
	gr_merge_conflict *mr_conflicts;
	size_t mr_nconflicts;
} gr_merge_report;

void gr_merge_report_clear(gr_merge_report *r);

/*
 * Merges into `keep` what is known of `from`, under the merge rule, in
 * memory (nothing is written; txn is used for symbols and so must be a
 * write transaction):
 *   - labels: keep's, then from's that keep lacks;
 *   - citations: united; a source both cite keeps the stronger confidence;
 *   - properties: one keep lacks is taken; equal values stay as they are;
 *     for `name` and `flag` a different value of from goes into
 *     `past_names` / `past_flags`; for any other property, when either
 *     value is a list the two become one list (keep's items first, from's
 *     that are new after), otherwise keep's value stays and from's goes
 *     into the list `past_<prop>`.  Nothing is dropped: each such
 *     disagreement is appended to r->mr_conflicts;
 *   - from's key becomes "Label:key" in keep's `merged_keys` list, with
 *     the entries of from's own `merged_keys` (a node that had absorbed
 *     others).
 * Citations of `from` itself (when from is a Source) become citations of
 * keep.  r may be NULL.
 *
 * Returns GR_OK, GR_ENOMEM, or GR_EINVALID (a symbol cannot be made).
 */
int gr_merge_nodes(gr_txn *txn, gr_node *keep, const gr_node *from, gr_merge_report *r, gr_error *err);

/*
 * Merges node `from` into node `keep`, which survives: gr_merge_nodes()
 * for labels, properties and citations; every relationship of `from`
 * re-created on keep's side with its type, properties and citations (one
 * between the two becomes a self-loop of keep, as does a self-loop of
 * from) and the original deleted; citations of `from` when it is a Source
 * re-pointed to keep; `from` deleted; and its key, and the aliases it held,
 * left in the key index pointing at keep, so that "Label:key" still
 * resolves.
 *
 * txn: a write transaction (under gr_write() the change log records one
 *   transaction).
 * r: filled with what was done (r->mr_* zeroed first); may be NULL.
 *
 * Returns GR_OK; GR_ENOTFOUND when a node does not exist; GR_EINVALID when
 * keep == from, or both have labels and their first labels differ (a
 * Vessel cannot be merged into a Port), or the merged node fails the
 * domain checks; GR_EIO, GR_ENOMEM, GR_EMAPFULL.  On failure the
 * transaction must be aborted (gr_write does).
 */
int gr_merge(gr_txn *txn, uint32_t keep, uint32_t from, gr_merge_report *r, gr_error *err);

/* ---- rules ---- */

/*
 * A rules file: named Cypher queries, each returning the rows that break
 * the rule.
 *
 *	-- name: every sanctioned vessel has an IMO number
 *	MATCH (v:Vessel)-[:SANCTIONED_UNDER]->(:Sanction)
 *	WHERE v.imo IS NULL
 *	RETURN v.key AS vessel;
 *
 * A line "-- name: TEXT" starts a rule; its query runs to the next such
 * line or the end of the file, and one trailing ';' is allowed.  Other
 * lines whose first non-blank characters are "-- " (or a line of just
 * "--") are comments, as are Cypher's own // and block comments.  Each rule
 * is one read-only statement.  Blank lines and comments may come before the
 * first rule; nothing else may.
 */
typedef struct gr_rule {
	char *ru_name;
	unsigned ru_line;        /* the line of its "-- name:" header */
	struct cy_script *ru_script; /* the parsed statement (cypher/parse.h) */
	char *ru_text;           /* the file's text with all but this rule
	                            blanked (rs_len bytes and a NUL), so that
	                            positions in it are positions in the file */
} gr_rule;

typedef struct gr_rules {
	gr_rule *rs_rules;
	size_t rs_n;
	char *rs_text;           /* the file's text, owned */
	size_t rs_len;
} gr_rules;

/*
 * Parses and checks a rules file's text (len bytes; copied).
 * err receives, on failure, "LINE:COLUMN: rule "NAME": what is wrong" with
 * the line and column in the file (or "LINE: ..." for a header problem).
 * Returns GR_OK, GR_EINVALID (a syntax or semantic error, an empty rule, a
 * rule that writes, more than one statement in a rule, no rules at all),
 * GR_ENOMEM.
 */
int gr_rules_parse(const char *text, size_t len, gr_rules *out, gr_error *err);
void gr_rules_clear(gr_rules *r);

#endif
