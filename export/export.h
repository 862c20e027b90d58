/*
 * export.h: writing the graph in other forms.
 *
 * export/export_jsonl.c  the native JSONL format that `import` reads back
 *                        exactly (ingest/ingest.h describes the format and
 *                        its typed-value convention)
 *
 * Exporters read through a gr_txn (a read transaction gives a consistent
 * snapshot) and write to a stdio stream; they know nothing of argv.
 * Errors: GR_OK or a negative GR_E* code with the message in a gr_error.
 */
#ifndef SG_EXPORT_H
#define SG_EXPORT_H

#include <stdio.h>
#include "../graph/graph.h"

/*
 * Writes the whole graph as native JSONL to `out`: first the nodes that
 * have the label Source, then the other nodes, each group in node id
 * order; then, for Source nodes that cite a Source written after them, a
 * line adding those citations; then the relationships, grouped by start
 * node in the order the nodes were written, and within one start node by
 * type name, end node (in written order) and relationship id.  Properties
 * are written sorted by name, labels and citations in their stored order.
 * The output depends only on the stored graph, not on its node, edge or
 * symbol ids, so export(import(export(db))) == export(db) byte for byte.
 *
 * Returns GR_OK; GR_EIO when writing fails (errno says why); GR_ENOMEM;
 * GR_ECORRUPT when a stored record cannot be decoded.
 */
int ex_jsonl(gr_txn *txn, FILE *out, gr_error *err);
/* The AIS positions as {"position": {...}} lines (export_positions.c). */
int ex_jsonl_positions(gr_txn *txn, FILE *out, gr_error *err);

/*
 * Appends the JSONL form of property value v to b: plain JSON where it
 * reads back to the same value (integers exact, floats in their shortest
 * exact form and always with a '.' or an exponent, dates and datetimes as
 * ISO-8601 strings), typed wrappers where it would not: {"$string":...}
 * for a string that reads as a date or datetime, {"$duration":...},
 * {"$float":"NaN"} and the infinities, {"$map":{...}}.
 * Returns 0, or -1 when out of memory or v is not a property value (a
 * node, relationship or path).
 */
int ex_jsonl_value(gr_buf *b, const gr_value *v);

/*
 * Writes the shortest decimal text that strtod() reads back as exactly d
 * (finite d) into buf (at least 32 bytes), with ".0" added when it would
 * otherwise read as an integer ("5.0", "-0.0", "1e+300").  Returns its
 * length.
 */
size_t ex_format_float(double d, char *buf);

/*
 * Writes the text of duration du (gr_format_duration) into buf (at least
 * 192 bytes) and returns its length when that text reads back
 * (gr_parse_duration) as exactly du; returns 0 when it does not, and the
 * duration needs writing field by field.
 */
size_t ex_format_duration_exact(const gr_duration *du, char *buf);

/* ================================================================
 * Handing a graph on to Neo4j: neo4j-admin import CSV
 * (export/export_csv.c) and a Cypher script (export/export_cypher.c).
 *
 * Neo4j stores fewer kinds of property value than sanctgraph: a property
 * is a scalar or a list of scalars of one kind, with no nulls.  Both
 * exporters write every other value (a nested or mixed list, a list with
 * nulls, a map) as a string holding its native JSONL text (ex_jsonl_value)
 * and say so through the note callback.
 *
 * Citations.  Neo4j has no citations, and a relationship cannot be the
 * start of another relationship, so a citation cannot become a CITES
 * relationship for relationship claims.  Both exporters write the
 * citations of a node or relationship as one more property, a list of
 * strings "KEY|CONFIDENCE" (KEY: the key of the cited Source node, in the
 * stored order), named `sources` unless that name is already taken in the
 * database (ex_sources_name).  Importing the files back into sanctgraph
 * gives that property, not citations.
 */

/* A note for the user about the export (a column written as strings, a
 * value Neo4j cannot store): a complete sentence fragment, lowercase,
 * without a full stop.  Called once per note, in a deterministic order. */
typedef void (*ex_note_fn)(void *arg, const char *msg);

/* One file of a CSV export. */
typedef struct ex_csv_file {
	char *cf_name;           /* file name within the directory */
	int cf_rels;             /* 0: a node file, 1: a relationship file */
	uint64_t cf_rows;        /* data rows (the header not counted) */
} ex_csv_file;

/* What ex_csv() wrote; release with ex_csv_result_free(). */
typedef struct ex_csv_result {
	ex_csv_file *cr_files;   /* node files by label name (the file of nodes
	                          * without labels last), then relationship
	                          * files by type, start label and end label */
	size_t cr_nfiles;
	uint64_t cr_nodes;       /* node rows written */
	uint64_t cr_rels;        /* relationship rows written */
	int cr_multiline;        /* a field holds a line break: neo4j-admin
	                          * needs --multiline-fields=true */
	char cr_sources[64];     /* name of the citation column */
} ex_csv_result;

/*
 * Writes the whole graph as neo4j-admin import CSV files into the existing
 * directory `dir`, which should be empty (files of the same names are
 * replaced).
 *
 * Node files: one per first label, `nodes-<Label>.csv` (`nodes-_.csv` for
 * nodes without labels), with the header
 *     key:ID(<Label>),<property columns>,<sources>:string[],:LABEL
 * The ID space is the first label; for a label a header cannot carry
 * (holding ':', '(', ')', '{' or '}') and for nodes without labels ("_")
 * it is the file name's stem instead, with '_' appended until it differs
 * from every other ID space.  :LABEL lists all labels, first label first,
 * separated by ';' (empty for a node without labels).  Relationship files: one per type,
 * start node's first label and end node's first label,
 * `rels-<TYPE>-<From>-<To>.csv`, with the header
 *     :START_ID(<From>),:END_ID(<To>),<property columns>,<sources>:string[],:TYPE
 * Names are made safe for file systems (bytes other than letters, digits,
 * '_', '-', '.' and UTF-8 become '_') and made unique with -2, -3 ....
 *
 * Property columns: one per property name used in the file, sorted by
 * name, typed after the values: `name` (string; `name:string` when the
 * name holds ':'), `:long`, `:double`, `:boolean`, `:date`, `:datetime`
 * (with a zone), `:localdatetime`, `:duration`, and `type[]` for lists
 * (items separated by ';').  A column whose values are of several kinds,
 * or which holds a value Neo4j cannot store or the CSV cannot carry (a
 * list item containing ';', a list holding one empty string), is written
 * as strings, and a note says so: scalars as text, lists and maps as
 * their JSONL text.  An empty field is no property; `""` is the empty
 * string or the empty list.  The sources column is present only in files
 * with citations.  A node property named `key` is not written (the key
 * column holds the node key; a note says so).
 *
 * Fields are quoted as RFC 4180 says (and when empty or starting or
 * ending with a blank).  Rows come in node id order; relationships by
 * start node id, then type name, end node id and relationship id.  The
 * same database gives the same files.
 *
 * note (may be NULL) receives the notes; *res the file list.  On failure
 * the files written so far are removed.  Returns GR_OK; GR_EIO when a
 * file cannot be created or written (the message names it); GR_ENOMEM;
 * GR_ECORRUPT when a stored record cannot be decoded.
 */
int ex_csv(gr_txn *txn, const char *dir, ex_note_fn note, void *arg, ex_csv_result *res, gr_error *err);
void ex_csv_result_free(ex_csv_result *res);

/*
 * Appends to `out` the shell command line that loads the files of `res`
 * from directory `dir` into Neo4j 5 (`neo4j-admin database import full`
 * with one --nodes=PATH or --relationships=PATH per file, and
 * --multiline-fields=true when needed), arguments quoted for a POSIX
 * shell.  The array delimiter is neo4j-admin's default, ';'.  Returns 0,
 * or -1 when out of memory.
 */
int ex_csv_neo4j_command(const ex_csv_result *res, const char *dir, gr_buf *out);

/*
 * Writes the whole graph to `out` as a Cypher script that recreates it
 * in an empty Neo4j database, and that `sanctgraph query -f` also runs:
 * nodes in node id order, up to 100 per statement
 *     CREATE (:Vessel:Sanctioned {key: 'IMO9161003', flag: 'RU', ...}),
 *            (...);
 * then one statement per relationship, in the order of the CSV export,
 *     MATCH (a:Vessel {key: 'IMO9161003'}), (b:Port {key: 'KPRJN'})
 *     CREATE (a)-[:SIGHTED_AT {date: date('2024-04-14')}]->(b);
 * (a node without labels is matched as (a {key: ...}) WHERE it has no
 * labels).  The node key is the property `key`; other properties follow
 * sorted by name, then the citations (see above).  Values: strings quoted
 * and escaped, integers exact, floats in their shortest exact form (NaN
 * and the infinities as 0.0 / 0.0, 1.0 / 0.0, -1.0 / 0.0), date('...'),
 * datetime('...'), localdatetime('...'), duration('...'), lists; a value
 * Neo4j cannot store as a JSONL string (with a note).  Names that are not
 * plain identifiers are quoted with backticks.  A relationship whose end
 * could be matched by two nodes in Neo4j (same key, the label of one
 * among the labels of the other) gets a note.
 *
 * Returns GR_OK; GR_EIO when writing fails; GR_ENOMEM; GR_ECORRUPT.
 */
int ex_cypher(gr_txn *txn, FILE *out, ex_note_fn note, void *arg, gr_error *err);

/*
 * Writes the graph as FollowTheMoney entity lines (export_ftm.c says how
 * nodes and relationships map, and what FtM cannot hold), in node id
 * order, then the link entities in the order of ex_each_edge.
 * Returns GR_OK; GR_EIO when writing fails; GR_ENOMEM; GR_ECORRUPT.
 */
int ex_ftm(gr_txn *txn, FILE *out, gr_error *err);

/* ---- shared by the exporters (defined in export_csv.c); ex_symbol_ranks
 * and ex_sort_props serve ex_jsonl too, the others the Neo4j exporters ---- */

/* The kinds of value Neo4j stores as properties. */
typedef enum ex_kind {
	EX_K_NONE = 0,           /* the element kind of an empty list */
	EX_K_STRING,
	EX_K_LONG,
	EX_K_DOUBLE,
	EX_K_BOOLEAN,
	EX_K_DATE,
	EX_K_DATETIME,           /* with a zone offset */
	EX_K_LOCALDATETIME,      /* without a zone */
	EX_K_DURATION,
	EX_K_TIME,               /* a time of day with a zone offset */
	EX_K_LOCALTIME           /* without a zone */
} ex_kind;

/* The neo4j-admin type name of a kind ("long", "datetime" ...). */
const char *ex_kind_name(ex_kind k);

/*
 * How Neo4j stores property value v: returns 0 with *kind and *array (1
 * for a list, whose items are all of *kind; EX_K_NONE when it is empty),
 * or -1 with *why saying why Neo4j cannot store it ("a map", "a list
 * holding lists" ...).
 */
int ex_neo4j_kind(const gr_value *v, ex_kind *kind, int *array, const char **why);

/*
 * Ranks every symbol by its name (byte order): *rank (malloc'd, 65536
 * entries, free() it) maps a symbol id to its 1-based rank.  Returns
 * GR_OK or GR_ENOMEM.
 */
int ex_symbol_ranks(gr_txn *txn, uint32_t **rank, gr_error *err);

/* Sorts properties p[0..np) by the rank of their names (rank from
 * ex_symbol_ranks), in place: an insertion sort, for the few properties
 * of one record. */
void ex_sort_props(gr_prop *p, size_t np, const uint32_t *rank);

/* The name of the citation property into buf (at least 64 bytes):
 * "sources", or "_sources", "__sources" ... when the database already
 * has a name "sources". */
void ex_sources_name(gr_txn *txn, char *buf);

/*
 * The citations c[0..nc) as a list of strings "KEY|CONFIDENCE" (into
 * *out, owned by the caller).  Returns 0, -1 when out of memory, -2 when
 * a citation names a node that does not exist.
 */
int ex_cites_value(gr_txn *txn, const gr_cite *c, size_t nc, gr_value *out);

/* A relationship as the adjacency gives it. */
typedef struct ex_edge_ref {
	uint32_t er_src, er_dst, er_edge;
	uint16_t er_type;
} ex_edge_ref;

/*
 * Calls fn(arg, &ref) for every relationship in export order: by start
 * node id, then type name (rank from ex_symbol_ranks), end node id and
 * relationship id.  Stops at the first fn result other than GR_OK and
 * returns it; otherwise returns GR_OK, GR_EIO or GR_ENOMEM.  The end node
 * is not checked to exist.
 */
int ex_each_edge(gr_txn *txn, const uint32_t *rank, int (*fn)(void *arg, const ex_edge_ref *e), void *arg,
    gr_error *err);

#endif
