/*
 * subgraph.h: the part of the graph a diagram or a report shows, and what
 * both need to know about it.
 *
 * A subgraph is chosen in one of three ways: the whole graph, the
 * neighbourhood of one node (`--around REF --hops N`: every node within N
 * relationships in either direction, and every relationship between the
 * nodes found), or the nodes, relationships and paths of a query result.
 * ex_subgraph_load() then reads everything the figures print: each node and
 * edge with its properties and citations, the dates of dated edges, the
 * strongest confidence of each claim, which entities are sanctioned, and
 * the cited sources in one numbering shared by the diagram and the report.
 *
 * Ownership: an ex_subgraph owns all its arrays and the nodes and edges it
 * loaded; ex_subgraph_free() releases everything.  Strings returned by the
 * helpers point into the subgraph or the transaction and stay valid while
 * both do.  Functions return GR_OK or a negative GR_E* code with err set.
 */
#ifndef SG_SUBGRAPH_H
#define SG_SUBGRAPH_H

#include <stddef.h>
#include <stdint.h>
#include "../graph/graph.h"

/* The dates of a claim, in days since 1970-01-01 (datetimes are taken at
 * their own wall-clock date). */
enum {
	EX_D_START = 1,      /* xd_start is set (from `date` or `start`) */
	EX_D_END = 2,        /* xd_end is set (from `date` or `end`) */
	EX_D_MONTH = 4,      /* date_precision = month: print YYYY-MM */
	EX_D_OTHER = 8       /* the date came from another date property, named xd_what */
};
typedef struct ex_dates {
	unsigned xd_flags;
	int32_t xd_start, xd_end;
	char xd_what[32];    /* the property name for EX_D_OTHER ("listed") */
} ex_dates;

/* A relationship as selected: id, type and endpoints. */
typedef struct ex_edge_ref {
	uint32_t r_id, r_src, r_dst;
	uint16_t r_type;
} ex_edge_ref;

/* A node of the subgraph once loaded. */
typedef struct ex_node {
	gr_node xn;              /* as stored; xn.n_id is its id */
	const char *xn_label;    /* first label name, "" for none */
	int xn_sanctioned;       /* has a SANCTIONED_UNDER edge or sanctioned=true */
	char *xn_programs;       /* the programmes it is sanctioned under, or NULL */
	int xn_conf;             /* strongest citation (GR_CONFIRMED..), 0 uncited */
} ex_node;

/* A relationship of the subgraph once loaded. */
typedef struct ex_edge {
	gr_edge xe;              /* type, endpoints, properties, citations */
	ex_dates xe_when;
	int xe_conf;             /* strongest citation, 0 uncited */
} ex_edge;

/* A cited source, numbered from 1 in the order of ex_subgraph.sg_sources:
 * dated sources first by date, then the undated, each by publisher and key. */
typedef struct ex_source {
	gr_node xs;
	int xs_dated;
	int32_t xs_date;
} ex_source;

/* Property and type names the figures read, looked up once (0: absent). */
typedef struct ex_syms {
	uint16_t name, title, program, authority, kind, status, key_date, start, end,
	    date_precision, publisher, url, sha256, flag, imo, locode, country,
	    sanctioned, hours, sanctioned_under, ais_gap, source_label;
} ex_syms;

typedef struct ex_subgraph {
	/* selection (ex_subgraph_add_*; sorted and unique after ex_subgraph_finish) */
	uint32_t *sg_ids;
	size_t sg_nids, sg_capids;
	ex_edge_ref *sg_refs;
	size_t sg_nrefs, sg_caprefs;
	/* loaded (ex_subgraph_load), in id order */
	ex_node *sg_nodes;
	size_t sg_nnodes;
	ex_edge *sg_edges;
	size_t sg_nedges;
	ex_source *sg_sources;
	size_t sg_nsources;
	uint32_t *sg_srcidx;     /* source ids sorted, parallel sg_srcnum */
	size_t *sg_srcnum;
	ex_syms sg_sym;
	int32_t sg_first, sg_last;   /* date range of the dated claims */
	int sg_dated;                /* whether sg_first/sg_last are set */
} ex_subgraph;

void ex_subgraph_init(ex_subgraph *sg);
void ex_subgraph_free(ex_subgraph *sg);

/* Adds a node id to the selection.  GR_ENOMEM. */
int ex_subgraph_add_node(ex_subgraph *sg, uint32_t id);
/* Adds a relationship and both its endpoints.  GR_ENOMEM. */
int ex_subgraph_add_edge(ex_subgraph *sg, uint32_t id, uint16_t type, uint32_t src, uint32_t dst);
/* Adds every node, relationship and path found in v, looking inside lists
 * and maps; other values are ignored.  GR_ENOMEM. */
int ex_subgraph_add_value(ex_subgraph *sg, const gr_value *v);
/* Sorts the selection by id and drops duplicates. */
void ex_subgraph_finish(ex_subgraph *sg);
/* Whether node id is selected (after ex_subgraph_finish). */
int ex_subgraph_has(const ex_subgraph *sg, uint32_t id);

/* Selects every node and relationship of the database. */
int ex_subgraph_all(gr_txn *txn, ex_subgraph *sg, gr_error *err);
/* Selects root and every node within `hops` relationships of it, followed
 * in both directions, and every relationship between the selected nodes.
 * When root is a Source, the nodes and relationships it cites are its first
 * hop.  GR_ENOTFOUND when root does not exist. */
int ex_subgraph_around(gr_txn *txn, uint32_t root, unsigned hops, ex_subgraph *sg, gr_error *err);

/* export --query (subgraph_copy.c).  Completes a selection (after
 * ex_subgraph_finish): adds every relationship whose two ends are
 * selected, then the Sources the selected nodes and relationships cite;
 * leaves it finished.  GR_ENOMEM, GR_EIO, GR_ECORRUPT. */
int ex_subgraph_close(gr_txn *txn, ex_subgraph *sg, gr_error *err);
/* Copies the selected nodes and relationships of src, with their labels,
 * keys, properties and citations (of selected Sources), into the database
 * dst (normally new and empty) in one write transaction. */
int ex_subgraph_copy(gr_txn *src, const ex_subgraph *sg, gr_db *dst, gr_error *err);

/* Loads the selected nodes and relationships (after ex_subgraph_finish),
 * their dates, confidences and sanctions, and numbers the cited sources.
 * A relationship whose record cannot be read is an error (GR_ECORRUPT). */
int ex_subgraph_load(gr_txn *txn, ex_subgraph *sg, gr_error *err);

/* The loaded node with this id, or NULL. */
const ex_node *ex_subgraph_node(const ex_subgraph *sg, uint32_t id);
/* The number (1..) of a cited source in the subgraph's list, or 0. */
size_t ex_source_number(const ex_subgraph *sg, uint32_t source);

/* What to call a node: its name, else its title, programme or kind, else
 * its key.  Never NULL. */
const char *ex_node_name(const ex_subgraph *sg, const gr_node *n);
/* A string property of n, or NULL. */
const char *ex_node_str(const gr_node *n, uint16_t key);
/* A string property of an edge, or NULL. */
const char *ex_edge_str(const gr_edge *e, uint16_t key);

/* Formats a claim's dates: "2024-04-02", "2024-04-02..03" (same month),
 * "2024-04-28..2024-05-03", "2024-04" (month precision), "from 2024-04-02",
 * "until 2024-04-14", "listed 2024-05-03"; "" when undated.  buf holds at
 * least 64 bytes.  Returns the length. */
size_t ex_dates_format(const ex_dates *d, char *buf);
/* The number of days an AIS gap lasted (from its dates, else `hours`), or
 * -1 when unknown. */
long ex_gap_days(const ex_subgraph *sg, const ex_edge *e);

/* A growable text buffer with the escapes the exporters need; every
 * function returns 0, or -1 when memory ran out (the buffer keeps what it
 * had).  Invalid UTF-8 is written as U+FFFD. */
int ex_puts(gr_buf *b, const char *s);
int ex_printf(gr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s with & < > " ' as character references (XML, HTML, Graphviz HTML-like
 * labels); control characters become spaces. */
int ex_put_xml(gr_buf *b, const char *s, size_t len);

#endif
