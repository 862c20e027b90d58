/*
 * ingest.h: the `import` command's engine: loading files of the native JSONL
 * format and neo4j-admin CSV into the graph, in one write transaction.
 *
 * ingest/import.c        the driver: inputs, format detection, the write
 *                        transaction, bad-record policy, progress, ID maps
 * ingest/import_jsonl.c  native JSONL records and the typed-value convention
 * ingest/import_csv.c    neo4j-admin node and relationship files
 * ingest/import_ofac.c   OFAC's SDN list (sdn.csv, add.csv, alt.csv,
 *                        sdn_comments.csv) and its refresh; the Remarks
 *                        are read by ingest/ofac_remarks.c (ingest/ofac.h)
 * ingest/import_wpi.c    the World Port Index
 * ingest/countries.c     country names to ISO 3166-1 alpha-2
 * ingest/input.c         every input: mapped, read from a pipe, or
 *                        decompressed (gzip, zstd, bzip2, xz, zip)
 *
 * One ig_import() call is one transaction through gr_write(): every input
 * lands or none does.  The transaction may be replayed from the start when
 * the LMDB map grows, so inputs are held in memory (files are mapped,
 * standard input is read whole before the transaction begins) and read again
 * on a replay; a bad record reported in one attempt is not reported again.
 *
 * ---- Native JSONL ----
 * One JSON object per line; blank lines are ignored.  A node:
 *
 *   {"node":"Vessel","key":"IMO9161003","labels":["Vessel","Sanctioned"],
 *    "props":{"name":"LADY R","imo":"9161003"},
 *    "sources":[{"key":"planet-2024-04-14","confidence":"probable"}]}
 *
 *   node     the first label, or null for a node without labels
 *   key      the key (a string); absent, null or "": a key is generated
 *   labels   optional: further labels; the node's labels are `node`
 *            followed by the members of `labels` other than it, in order
 *            (so both ["Vessel","Other"] and ["Other"] give Vessel, Other)
 *   props    optional: property name -> value (below); null omits it
 *   sources  optional: citations, each {"key":K,"confidence":C} naming the
 *            node Source:K, or {"ref":REF,"confidence":C} naming any node
 *            that has the label Source (REF as for edges).  C is one of
 *            confirmed, probable, possible, suspected; absent: probable.
 *
 * A node whose first label and key are already in the database, or earlier
 * in the import, is merged into that node: labels and citations added,
 * properties overwritten.  An edge:
 *
 *   {"edge":"SIGHTED_AT","from":"Vessel:IMO9161003","to":"Port:KPRJN",
 *    "props":{"date":"2024-04-14"},"sources":[...]}
 *
 * `from` and `to` are references: "Label:key"; ":key" for a node without
 * labels; a bare "key" when exactly one node has it (nodes earlier in the
 * import, then the database); "#id"; or {"label":L,"key":K} (label absent
 * or null: no label) for keys and labels that contain ':'.  An edge line is
 * a claim (graph/claim.h): when the same claim exists (in the database or
 * earlier in the import) its citations and properties are merged into it,
 * else a new edge is made.  "occurrence": K (K >= 2, as export writes it)
 * names the K-th look-alike of the claim in id order.  Any other member is
 * an error.
 *
 * Values.  JSON strings, numbers, booleans and arrays are property values;
 * integers are exact to 64 bits; a number with a fraction or an exponent is
 * a float; a string that is a full ISO-8601 date or datetime becomes that
 * temporal (contract); null leaves the property out (inside a list it is a
 * null item).  An object is not a property value, except these typed
 * wrappers, each an object with one member:
 *
 *   {"$string":"2024-01-01"}    a string, never turned into a temporal
 *   {"$date":"2024-01-01"}      a date
 *   {"$datetime":"2024-01-01T10:00:00+03:00"}   a datetime (no zone: local)
 *   {"$duration":"P1M2DT3H"}    a duration, ISO-8601 text, or
 *   {"$duration":{"months":1,"days":2,"seconds":3,"nanos":0}} exactly
 *   {"$time":"12:30:00+01:00"}  a time of day with a zone offset
 *   {"$localtime":"12:30:00"}   a time of day with none
 *   {"$float":"NaN"}            also "Infinity", "-Infinity" or a number
 *   {"$map":{...}}              a map value (maps are not Cypher property
 *                               values; this keeps one that was stored)
 *
 * `export` writes plain JSON wherever it reads back to the same value and a
 * wrapper only where it would not (durations and times are always wrapped), so
 * import(export(db)) == db.  It writes Source nodes first, so citations
 * resolve in one pass; a Source that cites a Source written after it gets
 * its citations in a later line {"node":L,"key":K,"sources":[...]}, which
 * merges them in.  A `merged_keys` property ("Label:key" entries left by
 * `merge`) also restores those keys as aliases of the node.
 *
 * ---- neo4j-admin CSV ----
 * As neo4j-admin import: node files with a header of `[name]:ID[(Space)]`,
 * `:LABEL` (';'-separated) and `name[:type][[]]` columns; relationship files
 * with `:START_ID[(Space)]`, `:END_ID[(Space)]`, `:TYPE` and properties.
 * `--nodes Label[:Label...]=F` adds labels to every row, `--relationships
 * TYPE=F` gives the type of rows whose :TYPE is empty.  The ID becomes the
 * node key (a named ID column is the key, not also a property).  IDs are
 * resolved within their ID space among the nodes of this import, then in
 * the database as Label:key with the space's name as the label (a global
 * space: any node with that key, if only one).  An empty field leaves the
 * property out.  Node files load before relationship files, whatever their
 * order.  A malformed CSV record (an unterminated quote) ends the import,
 * with or without skip_bad, as the reader cannot resynchronise.
 *
 * Inputs load in this order: CSV node files, JSONL files, CSV relationship
 * files, each group in the order given.
 *
 * ---- Errors ----
 * Functions return GR_OK or a negative GR_E* code with the message in a
 * gr_error.  A bad record's message is "NAME:LINE: what is wrong" (NAME is
 * the path as given, "<stdin>" for "-").
 */
#ifndef SG_INGEST_H
#define SG_INGEST_H

#include <stddef.h>
#include <stdint.h>
#include "../graph/graph.h"
#include "../graph/claim.h"
#include "../graph/escape.h"

/* Input formats.  JSONL, CSV, OFAC's SDN files and the World Port Index
 * are implemented; the others are recognised so that the command can say
 * they are not supported yet. */
typedef enum ig_format {
	IG_AUTO = 0,     /* guess from the content */
	IG_JSONL,
	IG_CSV,
	IG_FTM,
	IG_OFAC_SDN,
	IG_AIS,
	IG_WPI           /* the World Port Index CSV */
} ig_format;

/* The format named `name` ("jsonl", "csv", "ftm", "ofac-sdn", "ais"), or
 * -1 when the name is unknown. */
int ig_format_parse(const char *name);
/* The name of a format ("auto" for IG_AUTO). */
const char *ig_format_name(ig_format f);
/* Guesses the format of the first bytes of an input: the first non-blank
 * character '{' is JSONL (FTM when the object has "schema" and
 * "properties"); a first line with ":ID", ":START_ID" or ":END_ID" is
 * neo4j-admin CSV; one starting "MMSI,BaseDateTime" is AIS; OFAC's sdn.csv
 * has "-0-" placeholders.  Returns IG_AUTO when it cannot tell. */
ig_format ig_format_detect(const char *data, size_t len);

/* What a CSV input holds: from --nodes, --relationships, or its header. */
typedef enum ig_role { IG_ROLE_ANY = 0, IG_ROLE_NODES, IG_ROLE_RELS } ig_role;

/* One input as the command line gives it. */
typedef struct ig_input {
	const char *in_path;     /* a path, or "-" for standard input */
	const char *in_prefix;   /* "Label[:Label]" or "TYPE" of --nodes/--relationships X=F, or NULL */
	ig_role in_role;
	ig_format in_format;     /* IG_AUTO: guessed from the content */
} ig_input;

typedef struct ig_options {
	const ig_input *o_inputs;
	size_t o_ninputs;
	int o_skip_bad;          /* skip and report bad records instead of failing */
	/* A skipped bad record, "NAME:LINE: what" (called once per record,
	 * also across replays).  May be NULL. */
	void (*o_report)(void *arg, const char *msg);
	/* Progress through input `name`: bytes done of total, records so far
	 * in it.  Called at most about ten times a second, and once with
	 * done == total when the input is finished; then once with name NULL
	 * when every input is read and the indexes are being written.  May
	 * be NULL. */
	void (*o_progress)(void *arg, const char *name, uint64_t done, uint64_t total, uint64_t records);
	void *o_arg;
	/* OFAC's SDN list (ingest/import_ofac.c): the list's date (YYYY-MM-DD,
	 * required for that format), --force (import a list older than the
	 * newest one imported) and --dry-run (work out what would change,
	 * write nothing). */
	const char *o_list_date;
	int o_force;
	int o_dry_run;
	/* A note about the data that is not an error (an ambiguous or
	 * unresolved "Linked To", a country name with no ISO code), or with
	 * kind 'd' a line of the dry-run diff.  Called after the transaction,
	 * once per note, in order.  May be NULL. */
	void (*o_note)(void *arg, char kind, const char *msg);
	/* FtM: OpenSanctions' dataset index (index.json) giving the titles
	 * and publishers of the datasets' Sources, or NULL. */
	const char *o_datasets;
	const char *o_publisher; /* AIS: the Source's publisher (NULL: the format's provider) */
} ig_options;

typedef struct ig_stats {
	uint64_t s_nodes;        /* node records loaded (created or merged) */
	uint64_t s_edges;        /* relationship records loaded (made or merged) */
	uint64_t s_skipped;      /* bad records skipped (skip_bad) */
	gr_bulk_counts s_counts; /* created, updated, unchanged (graph/claim.h) */
	/* list imports (OFAC): entries new to the graph (or relisted),
	 * entries whose data or programmes changed, entries no longer listed,
	 * and entries as they were */
	uint64_t s_added, s_changed, s_delisted, s_unchanged;
	int s_list;              /* a list was imported: the four counts apply */
	/* AIS (import_ais.c) */
	uint64_t s_positions;    /* positions stored (new) */
	uint64_t s_pos_rows;     /* position rows read */
	uint64_t s_pos_dup;      /* rows already stored or repeated */
	uint64_t s_pos_unavail;  /* lat 91 / lon 181 (not available) */
	uint64_t s_pos_badmmsi;  /* MMSI not 9 digits */
	uint64_t s_vessels_merged; /* MMSI... vessels merged into IMO vessels */
} ig_stats;

/*
 * Imports the inputs of `opt` into `db` in one write transaction.
 * On success returns GR_OK with the counts in *stats (may be NULL).  On
 * failure nothing is written and err says why: GR_EINVALID for a bad
 * record ("NAME:LINE: what": bad JSON or CSV, a bad value, a failed domain
 * check, a missing node or source, an unknown confidence), a bad CSV
 * header, an input whose format cannot be told or is not supported yet;
 * GR_EIO when an input cannot be read ("NAME: cannot open: why");
 * GR_EUSAGE when standard input is given twice or JSONL is given as
 * --nodes/--relationships; GR_ENOMEM; or the storage error.
 */
int ig_import(gr_db *db, const ig_options *opt, ig_stats *stats, gr_error *err);

/*
 * Converts a parsed JSON value (sg_json_parse) to a property value under
 * the conventions above: strings that are ISO dates/datetimes become
 * temporals, typed wrappers are unwrapped, null stays GR_NULL, other
 * objects are rejected.  `json` is not consumed.  Returns 0 with *out set,
 * or -1 with a reason in why[0..n) (out of memory included).
 */
int ig_value_from_json(const gr_value *json, gr_value *out, char *why, size_t n);

/* A node reference split into label and key (pointers into the text). */
typedef struct ig_ref {
	const char *rf_label;    /* NULL: a bare key; "" (rf_llen 0): no label */
	size_t rf_llen;
	const char *rf_key;
	size_t rf_klen;
} ig_ref;

/*
 * Splits s[0..len) at its first ':' into a label and a key: "Vessel:IMO1"
 * gives Vessel and IMO1, ":k" the empty label (no label) and k, and a text
 * without ':' a bare key.  A label part is only a candidate: the importer
 * takes it as a label when such a label exists, else the whole text as a
 * bare key.  Always succeeds.
 */
void ig_ref_split(const char *s, size_t len, ig_ref *out);

/* ================================================================
 * For the format importers of ingest/ only.
 */

/* An input held in memory for the transaction. */
typedef struct ig_file {
	const char *f_name;      /* for messages */
	const char *f_data;
	size_t f_len;
	ig_format f_format;
	ig_role f_role;
	const char *f_prefix;
	int f_mapped;            /* f_data is an mmap (else malloc'd or NULL) */
	char *f_owned_name;      /* f_name when allocated (a zip member), else NULL */
} ig_file;

/*
 * Reads input `in` (a path, or "-" for standard input) into memory as one
 * or more ig_files appended to *files (*n counts them; *files is
 * realloc'd): gzip, zstd, bzip2 and xz streams are decompressed, a zip
 * archive gives one file per member ("NAME:MEMBER").  Returns GR_OK,
 * GR_EIO ("NAME: cannot open: why"), GR_EINVALID for a damaged archive
 * ("NAME: cannot decompress: why"), or GR_ENOMEM.
 */
int ig_input_load(const ig_input *in, ig_file **files, size_t *n, gr_error *err);
/* Releases what ig_input_load gave f. */
void ig_file_unload(ig_file *f);

/* A hash map from (namespace, bytes) to a u32, with its own key arena. */
typedef struct ig_map ig_map;
ig_map *ig_map_new(void);
void ig_map_free(ig_map *m);
/* 1 and *val when present, else 0. */
int ig_map_get(const ig_map *m, uint32_t ns, const char *key, size_t len, uint32_t *val);
/* Sets the value (adding the key when absent).  Returns 0, or -1 when out
 * of memory or the key is longer than 65535 bytes. */
int ig_map_put(ig_map *m, uint32_t ns, const char *key, size_t len, uint32_t val);

/* Returned by the transaction body of a dry run so that gr_write aborts
 * it (a positive value: no GR_E* code). */
#define IG_DRY_RUN 1

/* IG_AMBIGUOUS in the bare-key map: several nodes have that key. */
#define IG_AMBIGUOUS 0xffffffffu

/* The state of one attempt of the import transaction. */
typedef struct ig_ftm ig_ftm;   /* FtM importer state (import_ftm.c) */

typedef struct ig_run {
	gr_txn *r_txn;
	gr_bulk *r_bulk;
	const ig_options *r_opt;
	gr_error *r_err;
	ig_stats r_stats;        /* this attempt's counts */
	uint64_t r_nbad;         /* bad records met in this attempt */
	uint64_t r_reported;     /* bad records reported by earlier attempts */
	ig_map *r_ids;           /* CSV: (ID space, id) -> node id */
	ig_map *r_bare;          /* JSONL: key -> node id or IG_AMBIGUOUS */
	char **r_spaces;         /* CSV: ID space names; namespace = index + 1 */
	size_t r_nspaces;
	int r_fatal;             /* a storage error met by ig_sym, or 0 */
	gr_buf r_aliases;        /* merged_keys to index: [u32 node][u16 len][Label:key]... */
	gr_buf r_notes;          /* notes for o_note: [kind][text]\0 ... */
	uint64_t r_last_ns;      /* progress: time of the last report */
	unsigned r_tick;
	struct ig_symslot {      /* recently used symbols (ig_sym) */
		char ss_name[24];
		uint8_t ss_len;
		uint16_t ss_id;
	} r_syms[64];
	ig_ftm *r_ftm;           /* FtM: state across inputs and passes, or NULL */
	const ig_file *r_files;  /* every input of the import */
	size_t r_nfiles;
	uint32_t r_ais_source;   /* AIS: the import's Source node, once made */
} ig_run;

/*
 * A bad record at NAME:LINE.  With skip_bad: reports it (once), counts it
 * and returns GR_OK so the caller skips the record.  Otherwise sets the
 * run's error to "NAME:LINE: what" and returns GR_EINVALID.  When ig_sym
 * met a storage error (r_fatal), that error is returned instead: a record
 * is never skipped for the store's sake.
 */
int ig_bad(ig_run *r, const ig_file *f, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/*
 * A graph call on a record failed with rc and e.  Data errors (bad value,
 * failed check, missing or ambiguous node, key taken) are bad records as in
 * ig_bad; anything else (storage, memory, a full map) is returned as is,
 * with the message prefixed by NAME:LINE, for the transaction to abort or
 * replay.
 */
int ig_graph_error(ig_run *r, const ig_file *f, uint64_t line, int rc, const gr_error *e);
/* Reports progress through f (rate-limited; cheap to call per record). */
void ig_progress(ig_run *r, const ig_file *f, uint64_t done, uint64_t records, int final);
/* gr_sym() through a small cache of recent names.  A failure other than
 * GR_ENOTFOUND or GR_EINVALID (a bad name) is also noted in r_fatal. */
int ig_sym(ig_run *r, const char *name, size_t len, int create, uint16_t *id);
/* Why ig_sym could not add a name: it holds a control character (refused),
 * or it is too long or the names are all used. */
const char *ig_name_why(const char *name, size_t len);
/* The namespace number of a CSV ID space name (NULL: the global space, 0),
 * adding it when new; -1 when out of memory. */
long ig_space(ig_run *r, const char *name);

/*
 * Aliases.  A node that absorbed others in a merge lists their keys in
 * its `merged_keys` property ("Label:key", ":key" without a label), and
 * those keys resolve to it.  The property is imported as any other; these
 * two calls also restore the key-index entries, so that import(export(db))
 * keeps the aliases.  Before gr_bulk_node: ig_aliases_save copies n's
 * merged_keys (if any) into *saved (GR_NULL otherwise).  After it:
 * ig_aliases_note records them for node id (when ok) and frees *saved.
 * The driver writes them once the bulk load is finished; an alias that is
 * already another node's key is left to that node.  Both return GR_OK or
 * GR_ENOMEM.
 */
int ig_aliases_save(ig_run *r, const gr_node *n, gr_value *saved);
int ig_aliases_note(ig_run *r, gr_value *saved, uint32_t id, int ok);

/* Reports what saying a claim did when it needs the user's eye: an
 * ambiguous claim (stored as its own edge) or a differing value kept in
 * <prop>_alt; through o_report, as "NAME:LINE: ...". */
void ig_claim_note(ig_run *r, const ig_file *f, uint64_t line, const gr_claim_result *cr);

/* Import one input; GR_OK, or an error that ends the transaction. */
int ig_import_jsonl(ig_run *r, const ig_file *f);
int ig_import_csv(ig_run *r, const ig_file *f);
/* OFAC's SDN list: all of the command's OFAC files at once (sdn.csv, and
 * add.csv, alt.csv and sdn_comments.csv, told apart by their content). */
int ig_import_ofac(ig_run *r, const ig_file *const *files, size_t n);
/* The World Port Index CSV. */
int ig_import_wpi(ig_run *r, const ig_file *f);
/* Adds a note for o_note (kind 'n': a note, 'd': a dry-run diff line);
 * GR_OK or GR_ENOMEM. */
int ig_note(ig_run *r, char kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* What an OFAC file is, from its first record: sdn.csv (12 fields),
 * add.csv (6), alt.csv (5, the third aka/fka/nka), sdn_comments.csv (2),
 * each starting with an entry number; 0 when it is none of these. */
enum { IG_OFAC_NONE = 0, IG_OFAC_SDN_FILE, IG_OFAC_ADD, IG_OFAC_ALT, IG_OFAC_COMMENTS };
int ig_ofac_kind(const char *data, size_t len);

/*
 * The ISO 3166-1 alpha-2 code of a country as OFAC, the World Port Index
 * or a register writes it: "Russia", "St. Kitts & Nevis", "Korea, North",
 * "Democratic People's Republic of Korea", "Man, Isle of", an alpha-2 or
 * alpha-3 code ("RU", "RUS").  Case, accents, punctuation, "&"/"and",
 * "St."/"Saint" and "The" do not matter.  Returns the static two-letter
 * code, or NULL when the name is not known (ingest/countries.c).
 */
const char *ig_country_code(const char *name, size_t len);
/* FtM (import_ftm.c): pass 0 stores the entities that are nodes, pass 1
 * (once pass 0 has run over every FtM input) the relationships. */
int ig_import_ftm(ig_run *r, const ig_file *f, int pass);
/* Reads OpenSanctions' dataset index (--datasets) into the FtM state. */
int ig_ftm_datasets(ig_run *r, const char *data, size_t len, const char *name);
void ig_ftm_free(ig_ftm *s);
/* After a successful FtM import: says how many warnings were not shown
 * (the first 100 are). */
void ig_ftm_finish(ig_run *r);
/* AIS CSV (MarineCadastre 2015-2023 and 2025, Danish Maritime Authority). */
int ig_import_ais(ig_run *r, const ig_file *f);
/* The AIS dialect of a header line: 1 MarineCadastre 2015-2023, 2
 * MarineCadastre 2025, 3 Danish Maritime Authority, 0 none. */
int ig_ais_dialect(const char *line, size_t len);
/* A JSONL {"position": {...}} record (export's form): GR_OK, -1 with why
 * set for a bad record, or a storage error. */
int ig_position_record(ig_run *r, const gr_value *pos, char *why, size_t n);

#endif
