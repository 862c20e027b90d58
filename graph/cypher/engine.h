/*
 * engine.h: what the files of the query engine share (session.c, plan.c,
 * compile.c, exec.c, expand.c, agg.c, update.c, expr.c, func.c, output.c);
 * not for use outside graph/cypher.
 *
 * A statement runs as a tree of operators (cy_op) that pull rows from their
 * child, volcano style.  A row is an array of values indexed by the slots
 * cy_check() assigned (ast.h); one array, ctx->row, flows through the
 * whole tree of a single query: each operator writes the slots it binds and
 * leaves the others alone, so an operator that runs its input again
 * (OPTIONAL MATCH, pattern predicates) simply resets its inner operators.
 * Operators that must see all their input (ORDER BY, aggregation, the
 * writing clauses) copy rows out and move them back.
 *
 * Expressions are compiled (cx) once per statement from the syntax tree:
 * constants folded, parameters substituted, property and label names kept
 * as symbol references resolved on first use (and again after a write,
 * which may have created the symbol), pattern expressions turned into
 * small operator trees.
 */
#ifndef SG_CYPHER_ENGINE_H
#define SG_CYPHER_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "cypher.h"
#include "arena.h"
#include "../graph.h"
#include "../graph_int.h"   /* the engine reads the store directly */

typedef struct cy_ctx cy_ctx;
typedef struct cy_op cy_op;
typedef struct cx cx;

/* Values that own heap memory. */
#define CY_HEAP(t) ((t) == GR_STRING || (t) == GR_LIST || (t) == GR_MAP || (t) == GR_PATH)

/* Cheap forms of gr_null(), gr_bool() and gr_value_free() for the inner
 * loops. */
static inline gr_value cy_nullv(void)
{
	gr_value v;
	v.type = GR_NULL;
	return v;
}

static inline gr_value cy_boolv(int b)
{
	gr_value v;
	v.type = GR_BOOL;
	v.u.b = b != 0;
	return v;
}

static inline void cy_free(gr_value *v)
{
	if (CY_HEAP(v->type))
		gr_value_free(v);
	v->type = GR_NULL;
}

/* Stores v into a row slot, freeing what was there. */
static inline void cy_put(gr_value *slot, gr_value v)
{
	if (CY_HEAP(slot->type))
		gr_value_free(slot);
	*slot = v;
}

/* ---- arena: everything a statement's plan allocates ---- */

typedef struct cy_pool {
	cy_arena *mem;              /* the plan's operators and their state: the
	                             * statement's arena when set, else own */
	cy_arena own;
	gr_value **consts;          /* compiled constants to free */
	size_t nconsts, cconsts;
	cy_op **ops;                /* every operator, to close */
	size_t nops, cops;
	void **regexes;             /* compiled regular expressions */
	size_t nregexes, cregexes;
	const char *text;           /* the statement, for EXPLAIN */
	size_t textlen;
} cy_pool;

void *cy_alloc(cy_pool *p, size_t n);     /* zeroed; NULL on ENOMEM */
/* Registers a value to free with the plan; 0 or -1. */
int cy_pool_value(cy_pool *p, gr_value *v);
/* Registers a compiled regex_t (allocated by malloc) to free with the plan. */
int cy_pool_regex(cy_pool *p, void *re);
void cy_pool_free(cy_pool *p);

/* ---- symbols resolved lazily ---- */

typedef struct cy_sym {
	const char *name;
	uint16_t id;       /* 0: absent */
	uint8_t is_key;    /* the name is "key": a node's key */
	uint32_t gen;      /* ctx->gen when resolved */
} cy_sym;

/* A symbol reference for name (not copied: it must outlive the plan). */
static inline cy_sym cy_sym_of(const char *name)
{
	cy_sym s = { name, 0, name[0] == 'k' && name[1] == 'e' && name[2] == 'y' && !name[3], 0 };
	return s;
}

uint16_t cy_sym_get(cy_ctx *c, cy_sym *s);

/* ---- label membership ---- */

/* A bitmap of the nodes carrying one label (or NULL while not built). */
typedef struct cy_bitmap {
	uint64_t *bits;
	uint32_t nbits;
} cy_bitmap;

/* Whether node id carries label (symbol id); reads the record or a
 * bitmap built once the same label has been asked about often. */
int cy_has_label(cy_ctx *c, uint32_t id, uint16_t label);
/* The session's bitmap of label, built now if needed; NULL on ENOMEM. */
const cy_bitmap *cy_label_bitmap(cy_ctx *c, uint16_t label);
/* The session's memory of label checks made by reading records: 1 has,
 * 0 has not, -1 not known; cy_label_note() records an answer. */
int cy_label_known(cy_ctx *c, uint32_t id, uint16_t label);
void cy_label_note(cy_ctx *c, uint32_t id, uint16_t label, int has);

/* ---- limits (limits.c) ---- */

typedef struct cy_limits {
	uint64_t timeout_ms;        /* 0: none */
	uint64_t max_bytes;         /* 0: none */
	double start_ms, deadline_ms;
	uint64_t base;              /* heap in use when the statement started */
} cy_limits;

double cy_clock_ms(void);
uint64_t cy_heap_in_use(void);
/* Starts a statement's clock and memory count. */
void cy_limits_start(cy_limits *l);
/* CY_ELIMIT with err filled when l (may be NULL: only the interrupt
 * counts) is past a limit, counting extra bytes about to be allocated. */
int cy_limits_hit(const cy_limits *l, uint64_t extra, cy_error *err);

/* ---- the statement's run-time context ---- */

struct cy_ctx {
	cy_session *s;
	gr_txn *txn;
	st_txn *st;
	int write;                  /* a write transaction */
	const char *text;           /* the statement's text (positions point here) */
	size_t textlen;
	cy_error *err;
	int grc;                    /* graph error code of a failure (GR_EMAPFULL: replay) */
	int failed;                 /* err holds the first error */
	gr_value *row;              /* the current row of the single query running */
	uint32_t gen;               /* bumped after every write */
	cy_pool *pool;
	int have_now;
	gr_datetime now;            /* statement time, for date() and datetime() */
	uint32_t label_asks[64];    /* label checks by record read, per label (hashed) */
	uint32_t label_need[64];    /* how many make a bitmap worth building (0: not known yet) */
	int planning;               /* in cy_plan_stmt: its samples' label checks make no bitmap */
#define CY_CTX_BITMAPS 4
	uint16_t bm_label[CY_CTX_BITMAPS];   /* bitmaps at hand */
	const cy_bitmap *bm[CY_CTX_BITMAPS];
	int bm_next;
	int merging;                /* MERGE creates: null properties are errors */
	uint32_t *del_edges;        /* relationships this statement deleted */
	size_t ndel_edges, cdel_edges;
	const cy_limits *lim;       /* the session's, for this statement */
	uint32_t ticks;             /* cy_tick() calls */
};

/* Checks the limits now: 0, or -1 with ctx->err set (CY_ELIMIT). */
int cy_limit_check(cy_ctx *c);
/* Before allocating about bytes at once: -1 when that would pass the
 * memory limit. */
int cy_limit_reserve(cy_ctx *c, uint64_t bytes);

/* Called for each unit of work; looks at the limits every 1024th time. */
static inline int cy_tick(cy_ctx *c)
{
	if (__builtin_expect((++c->ticks & 1023) == 0, 0))
		return cy_limit_check(c);
	return 0;
}

/* Whether relationship id was deleted by this statement. */
int cy_edge_deleted(const cy_ctx *c, uint32_t id);

/* Fills ctx->err with a run-time error at e (may be NULL); returns -1. */
int cy_fail(cy_ctx *c, const cy_expr *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A graph-layer failure: keeps code (GR_EMAPFULL replays) and message. */
int cy_fail_graph(cy_ctx *c, int code, const char *msg);
int cy_nomem(cy_ctx *c);
/* positions(), point(), point.distance() (func_ais.c). */
int cy_call_ais(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out);

/* ---- compiled expressions ---- */

enum cx_kind {
	CX_CONST, CX_SLOT, CX_PROP, CX_INDEX, CX_SLICE, CX_HASLABELS, CX_LIST,
	CX_MAP, CX_CALL, CX_CASE, CX_NOT, CX_NEG, CX_ISNULL, CX_ISNOTNULL, CX_AND,
	CX_OR, CX_XOR, CX_CMP, CX_IN, CX_STROP, CX_REGEX, CX_ARITH, CX_LISTCOMP,
	CX_QUANT, CX_REDUCE, CX_EXISTS, CX_PATLIST, CX_PATCOMP, CX_PATH, CX_AGG,
	CX_PROPSLOT   /* slot.prop with slot a node or relationship: the fast path */
};

/* A named path's makeup: node slots and relationship slots (a
 * variable-length one holds a list of relationships). */
typedef struct cx_pathdef {
	int *nodes;
	int *rels;
	uint8_t *varlen;
	size_t nrels;
} cx_pathdef;

struct cx {
	uint8_t k;                  /* enum cx_kind */
	uint8_t op;                 /* cy_op, cy_quant, or a cy_func_id */
	uint8_t bool_ctx;           /* a pattern used as a predicate */
	const cy_expr *src;         /* for positions and names */
	gr_value v;                 /* CX_CONST */
	int slot;                   /* SLOT, PROPSLOT, AGG, comprehension variable */
	int slot2;                  /* reduce: the accumulator */
	cx **a;                     /* operands */
	size_t n;
	cy_sym sym;                 /* PROP, PROPSLOT: the key */
	cy_sym *labels;             /* HASLABELS */
	size_t nlabels;
	const char *const *keys;    /* MAP */
	cy_op *sub;                 /* EXISTS, PATLIST, PATCOMP: the pattern's operators */
	cx_pathdef *path;           /* PATH, PATLIST */
	const cy_func *fn;          /* CALL */
	void *re;                   /* REGEX: compiled pattern when constant */
	int *refs;                  /* EXISTS, PATLIST, PATCOMP: outer slots used */
	size_t nrefs;
	/* PROPSLOT: the last value read, for the same entity and generation */
	uint32_t memo_id, memo_gen;
	uint8_t memo_type;
	gr_value memo;
};

/* Evaluates e into *out (owned by the caller; GR_NULL on error).
 * Returns 0, or -1 with ctx->err set. */
int cx_eval(cy_ctx *c, cx *e, gr_value *out);
/* The value of e, borrowed when it is a slot or a constant, else computed
 * into *tmp.  The caller frees *tmp (which starts as GR_NULL) in any case.
 * NULL on error. */
const gr_value *cx_ref(cy_ctx *c, cx *e, gr_value *tmp);
/* A predicate: *truth is 1 true, 0 false, -1 null.  A non-boolean value
 * is a type error.  Returns 0 or -1. */
int cx_pred(cy_ctx *c, cx *e, int *truth);
/* A property of a node, relationship, map or temporal value (key "key" of
 * a node is its key).  Returns 0 or -1. */
int cy_prop(cy_ctx *c, const cy_expr *at, const gr_value *obj, cy_sym *key, gr_value *out);
/* The labels, properties (without the key) of nodes and relationships. */
int cy_node_props_map(cy_ctx *c, uint32_t id, gr_value *out);
int cy_edge_props_map(cy_ctx *c, const gr_value *edge, gr_value *out);
/* The stored record (properties, citations) of relationship value v into
 * *e (initialised here; gr_edge_clear it): 0, or -1 failing the query. */
int cy_edge_load(cy_ctx *c, const gr_value *v, gr_edge *e);
/* Calls a non-aggregate function on evaluated arguments (func.c). */
int cy_call(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out);
/* Arithmetic of two values (expr.c), op a cy_op. */
int cy_arith(cy_ctx *c, const cy_expr *at, int op, const gr_value *a, const gr_value *b, gr_value *out);
/* A temporal accessor (date.year, duration.days); 1 when key applies to
 * v, 0 when it does not. */
int cy_temporal_field(const gr_value *v, const char *key, gr_value *out);
/* Builds a named path from its slots in the current row. */
int cy_build_path(cy_ctx *c, const cy_expr *at, const cx_pathdef *pd, gr_value *out);
/* DISTINCT and grouping equality: nulls are alike, else Cypher equality. */
int cy_equiv(const gr_value *a, const gr_value *b);
uint64_t cy_hash(const gr_value *v);
/* The statement's clock (date(), datetime() with no argument). */
void cy_now(cy_ctx *c, gr_datetime *dt);
/* The statement's clock (cy_now), or with realtime the wall clock, in UTC. */
void cy_clock_now(cy_ctx *c, int realtime, gr_datetime *dt);
/* date(x), datetime(x) and localdatetime(x) of func.c, and
 * date/datetime/localdatetime.truncate(unit, x[, map]) of func_temporal.c. */
int cy_fn_date(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out);
int cy_fn_datetime(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out, int local);
/* The wider ISO-8601 text forms a query accepts (temporal_text.c):
 * basic, reduced, week and ordinal dates; 0 or -1. */
int cy_parse_date_text(const char *s, size_t len, int32_t *days);
int cy_parse_datetime_text(const char *s, size_t len, gr_datetime *dt);
int cy_fn_truncate(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out);
/* Named time zones (func_tz.c), each failing with cy_fail at `at`: the id
 * of a zone name; dt's wall clock (dt_secs) or instant in a zone (prefer:
 * an offset in minutes to keep, or GR_TZ_NONE); a "...[Zone/Name]" string
 * (1 when it has no zone in brackets); the zone name of a datetime in buf
 * (1, or 0 when it has none); that dt's zone, if any, can be read. */
int cy_zone_find(cy_ctx *c, const cy_expr *at, const char *name, uint16_t *zone);
int cy_zone_check(cy_ctx *c, const cy_expr *at, const gr_datetime *dt);
int cy_zone_local(cy_ctx *c, const cy_expr *at, uint16_t zone, int32_t prefer, gr_datetime *dt);
int cy_zone_instant(cy_ctx *c, const cy_expr *at, uint16_t zone, gr_datetime *dt);
/* dt (zoned) at the same instant in the zone s names: an offset or a name. */
int cy_zone_convert(cy_ctx *c, const cy_expr *at, const char *s, gr_datetime *dt);
/* duration.between/inMonths/inDays/inSeconds (op) of a local time and a
 * datetime in a named zone: 1 and *out, or 0 when a, b are not such. */
int cy_zone_time_between(const gr_value *a, const gr_value *b, int op, gr_duration *out);
int cy_parse_zoned(cy_ctx *c, const cy_expr *at, const gr_value *s, gr_datetime *dt);
int cy_zone_text(const gr_datetime *dt, char *buf, size_t n);
/* time and localtime (func_time.c): time(), localtime(), their clocks and
 * truncations; a time's accessors (1 when key applies); duration.between
 * and friends when a side is a time; a time as a datetime on 1970-01-01
 * (its own wall clock and zone). */
int cy_call_time(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out);
int cy_fn_time(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out, int local);
int cy_time_field(const gr_value *v, const char *key, gr_value *out);
int cy_time_between(cy_ctx *c, cx *e, const gr_value *a, const gr_value *b, gr_value *out);
gr_datetime cy_time_as_datetime(const gr_time *tm);
/* The clock fields every temporal type with a time of day shares
 * (func_time.c's table): the accessor k (hour ... nanosecond) of nod,
 * nanoseconds into a day; the offset accessors (offsetMinutes, timezone
 * ...) of offset o, with dt's zone name when dt is given (1 when k applies);
 * a map's hour ... nanosecond, each absent one taken from base, checked and
 * summed into *nod (floats: a float counts as its integer part). */
int cy_clock_field(int64_t nod, const char *k, gr_value *out);
int cy_offset_field(int32_t o, const gr_datetime *dt, const char *k, gr_value *out);
int cy_clock_from_map(cy_ctx *c, cx *e, const gr_value *m, int64_t base, int floats, int64_t *nod);
/* An integer field k of a map: 1 and *out when present, 0 when absent (or
 * null), -1 when it is not an integer (with floats: a number, whose
 * integer part it takes). */
int cy_map_int(const gr_value *m, const char *k, int floats, int64_t *out);
/* A zone name or offset ("Z", "+01:00") as minutes east of UTC; 0 or -1. */
int cy_zone_offset(const char *s, int32_t *off);
/* A time of day in the forms time() accepts beyond gr_parse_time's:
 * 214032.142, 2140, 21, zones +hh and +hhmm (temporal_text.c). */
int cy_parse_time_text(const char *s, size_t len, gr_time *tm);

/* ---- operators ---- */

typedef struct cy_opvt {
	const char *name;
	/* 1: a row is in ctx->row; 0: no more; -1: error (ctx->err set). */
	int (*next)(cy_ctx *c, cy_op *op);
	/* Forget the iteration: the next pull starts from a fresh input row.
	 * Resets the child too. */
	void (*reset)(cy_op *op);
	void (*close)(cy_op *op);
	/* Appends a short description of the operator's arguments. */
	void (*describe)(cy_op *op, gr_buf *b);
} cy_opvt;

struct cy_op {
	const cy_opvt *vt;
	cy_op *child;
	cy_op *inner;               /* OPTIONAL, MERGE: the correlated sub-plan */
	uint64_t rows;              /* rows produced, for PROFILE */
	double est;                 /* rows the planner expects (0: no estimate) */
	const char *text;           /* the statement, for EXPLAIN */
	size_t textlen;
};

static inline int cy_next(cy_ctx *c, cy_op *op)
{
	if (cy_tick(c) < 0)
		return -1;
	int rc = op->vt->next(c, op);
	if (rc > 0)
		op->rows++;
	return rc;
}

static inline void cy_reset(cy_op *op)
{
	if (op)
		op->vt->reset(op);
}

/* Registers op with the pool so that it is closed with the plan. */
void *cy_op_new(cy_pool *p, size_t size, const cy_opvt *vt, cy_op *child);

/* A check of a node against labels and a property map, fused into the
 * operator that binds the node. */
typedef struct cy_nodechk {
	cy_sym *labels;
	size_t nlabels;
	cy_sym *pkeys;
	cx **pvals;
	size_t nprops;
	const uint32_t *cand;       /* when set: the node must be one of these (sorted) */
	size_t ncand;
} cy_nodechk;

/* 1 when node id passes, 0 when not, -1 on error. */
int cy_node_ok(cy_ctx *c, const cy_nodechk *k, uint32_t id);
/* The same for a relationship's property map. */
int cy_edge_ok(cy_ctx *c, const cy_nodechk *k, const gr_value *edge);

/* Helpers the operator files share (exec.c). */
int cy_chk_empty(const cy_nodechk *k);
/* Whether edge differs from every relationship held in slots uniq. */
int cy_rel_unique(const gr_value *row, const int *uniq, size_t n, uint32_t edge);
void cy_reset_child(cy_op *op);
void cy_put_str(gr_buf *b, const char *s);
int *cy_copy_ints(cy_pool *p, const int *v, size_t n);
/* The source text of an expression, for EXPLAIN. */
void cy_describe_expr(cy_op *op, const cx *e, gr_buf *b);

/* Constructors of the operators (exec.c, expand.c, agg.c, update.c). */
cy_op *cy_op_once(cy_pool *p);
enum { CY_SCAN_ALL, CY_SCAN_LABEL, CY_SCAN_KEY, CY_SCAN_IDS, CY_SCAN_BOUND };
cy_op *cy_op_scan(cy_pool *p, cy_op *child, int mode, int slot, cy_sym *label,
    cx *key, uint32_t *ids, size_t nids, const cy_nodechk *chk);
cy_op *cy_op_expand(cy_pool *p, cy_op *child, int from, int rel, int to, int dir,
    cy_sym *types, size_t ntypes, int into, const cy_nodechk *tochk,
    const cy_nodechk *relchk, const int *uniq, size_t nuniq);
/* Batch (batch.c): hands on its input CY_BATCH rows at a time in the order
 * of node slot key's id, holding the slots bound[] marks; name is key's
 * variable (may be NULL), for EXPLAIN. */
#define CY_BATCH 16384
cy_op *cy_op_batch(cy_pool *p, cy_op *child, int key, const char *name, const uint8_t *bound, int nslots);
/* Whether the Batch has handed on (or is handing on) its whole input as
 * one batch, in its key's order. */
int cy_batch_whole(cy_op *op);
/* Tells an Aggregate that its rows come through Batch op `batch`, keyed by
 * node slot `slot`, with nothing between that reorders them (agg.c). */
void cy_agg_sorted(cy_op *op, cy_op *batch, int slot);
/* ExpandJoin (xjoin.c): Expand of one relationship type, not BOTH, to a
 * node that must be one of tochk's candidates, read from the candidates'
 * side; the rows and their order are Expand's.  Read transactions only. */
cy_op *cy_op_xjoin(cy_pool *p, cy_op *child, int from, int rel, int to, int dir, cy_sym *type,
    const cy_nodechk *tochk, const cy_nodechk *relchk, const int *uniq, size_t nuniq,
    const uint8_t *bound, int nslots);
cy_op *cy_op_varexpand(cy_pool *p, cy_op *child, int from, int rel, int to, int dir,
    cy_sym *types, size_t ntypes, int64_t min, int64_t max, int into,
    const cy_nodechk *tochk, const cy_nodechk *relchk, const int *uniq, size_t nuniq,
    int reversed);
cy_op *cy_op_shortest(cy_pool *p, cy_op *child, int from, int to, int path, int rel,
    int dir, cy_sym *types, size_t ntypes, int64_t min, int64_t max, int all,
    const cy_nodechk *relchk, int reversed);
cy_op *cy_op_filter(cy_pool *p, cy_op *child, cx *pred);
/* Evaluates exprs[i] into slots[i]. */
cy_op *cy_op_project(cy_pool *p, cy_op *child, cx **exprs, int *slots, size_t n);
cy_op *cy_op_unwind(cy_pool *p, cy_op *child, cx *list, int slot);
cy_op *cy_op_optional(cy_pool *p, cy_op *child, cy_op *inner, const int *slots, size_t n);
cy_op *cy_op_distinct(cy_pool *p, cy_op *child, const int *slots, size_t n);
cy_op *cy_op_skip(cy_pool *p, cy_op *child, cx *count);
cy_op *cy_op_limit(cy_pool *p, cy_op *child, cx *count);
/* call.c: the list of values of a built-in procedure (CY_F_PROC_*). */
int cy_proc_eval(cy_ctx *c, int fn_id, gr_value *out);
/* Whether OP or anything it pulls from writes to the graph. */
int cy_op_writes(const cy_op *op);
/* ORDER BY keys[i] (desc[i]) over rows of width slots. */
cy_op *cy_op_sort(cy_pool *p, cy_op *child, cx **keys, const int *desc, size_t nkeys, int width);
/* Tells a sort that a constant SKIP skip (or none) and LIMIT limit follow. */
void cy_sort_bound(cy_op *sort, cx *skip, cx *limit);
/* Aggregation: group by keys (exprs into key slots), compute the
 * aggregate calls aggs (each into its agg_slot), then the aggregating
 * items (exprs into slots). */
cy_op *cy_op_aggregate(cy_pool *p, cy_op *child, cx **keys, const int *kslots, size_t nkeys,
    cx **aggs, size_t naggs, cx **items, const int *islots, size_t nitems, int width);
cy_op *cy_op_create(cy_pool *p, cy_op *child, const cy_path *const *paths, size_t npaths,
    cx ***nprops, cx ***rprops, int width);
cy_op *cy_op_set(cy_pool *p, cy_op *child, const cy_set_item *items, size_t n,
    cx **values, int width);
cy_op *cy_op_delete(cy_pool *p, cy_op *child, cx **exprs, size_t n, int detach, int width);
cy_op *cy_op_merge(cy_pool *p, cy_op *child, cy_op *match, const cy_path *path,
    cx **nprops, cx **rprops, const cy_set_item *on_create, cx **oc_vals, size_t noc,
    const cy_set_item *on_match, cx **om_vals, size_t nom, int width);

/* A set of value tuples (DISTINCT, grouping): tuples are compared with
 * cy_equiv and copied in when added. */
typedef struct cy_tset {
	size_t width;
	gr_value *vals;             /* n tuples of width values */
	uint64_t *hashes;
	size_t n, cap;
	uint32_t *table;            /* open addressing: index + 1, 0 empty */
	size_t tsize;
} cy_tset;
/* Adds tuple (copied) unless an equal one is there: *added, and *index
 * the tuple's number.  Returns 0 or -1 on ENOMEM. */
int cy_tset_add(cy_tset *s, const gr_value *tuple, int *added, size_t *index);
void cy_tset_free(cy_tset *s);

/* Rows held by eager operators. */
typedef struct cy_rows {
	gr_value *v;
	size_t width, n, cap, pos;
} cy_rows;
int cy_rows_push(cy_rows *r, const gr_value *row);       /* deep copy */
/* Deep copies of row[slots[0..n)] (row[0..n) when slots is NULL) into
 * dst[0..n): 0, or -1 out of memory with nothing left in dst. */
int cy_slots_copy(gr_value *dst, const gr_value *row, const int *slots, size_t n);
/* Moves src[0..n) into the row's slots, leaving src null. */
void cy_slots_put(gr_value *row, const int *slots, gr_value *src, size_t n);

/* Rows held compactly (cells.c): the slots slots[0..nslots) of each, a
 * node or relationship in a few bytes, other values kept aside whole.
 * Set slots and nslots, then cy_cells_alloc once with the first row (its
 * values size the cells) for `rows` rows, whose memory is touched only as
 * they are set.  cy_cells_get puts held row i's values into row: with take
 * the kept-aside values move (the row is read once), else they are copied.
 * cy_cells_clear frees what was kept aside, for a new chunk of rows. */
typedef struct cy_cells {
	const int *slots;
	size_t nslots;
	uint8_t *width;
	size_t rowlen, rows;
	unsigned char *cells;
	gr_value *aside;
	size_t naside, asidecap;
} cy_cells;
int cy_cells_alloc(cy_cells *h, const gr_value *row, size_t rows);
int cy_cells_set(cy_cells *h, size_t i, const gr_value *row);
int cy_cells_get(cy_cells *h, size_t i, gr_value *row, int take);
void cy_cells_clear(cy_cells *h);
void cy_cells_free(cy_cells *h);
/* Moves row i into dst (freeing what dst held). */
void cy_rows_move_out(cy_rows *r, size_t i, gr_value *dst);
void cy_rows_free(cy_rows *r);

/* Applies SET/REMOVE items on the current row (update.c); used by MERGE. */
int cy_apply_set(cy_ctx *c, const cy_set_item *items, cx **values, size_t n);
/* Creates the path pattern for the current row (update.c). */
int cy_create_path(cy_ctx *c, const cy_path *pa, cx **nprops, cx **rprops);

/* ---- plans ---- */

/* The operators of one single query and where its columns are. */
typedef struct cy_part {
	cy_op *root;
	int nslots;
	int *cols;          /* the slots of the RETURN items, in column order */
	size_t ncols;
} cy_part;

typedef struct cy_plan {
	cy_part *parts;
	size_t nparts;
	int distinct;       /* UNION without ALL */
} cy_plan;

/* Plans statement st (checked) inside txn: parameters are substituted,
 * anchors chosen with what the store holds.  Returns 0 or -1. */
int cy_plan_stmt(cy_ctx *c, const cy_stmt *st, cy_plan *plan);
/* The plan as text lines (EXPLAIN, PROFILE) into b, one operator a line. */
void cy_plan_describe(cy_ctx *c, const cy_plan *plan, int profile, gr_buf *b);

/* The planner's state while it plans one single query (plan.c and
 * compile.c). */
typedef struct cy_planner {
	cy_ctx *c;
	cy_pool *pool;
	const cy_query *q;
	int nslots;
	uint8_t *bound;     /* slot bound by the operators planned so far */
	uint8_t *local;     /* slot declared inside an expression */
	int order_free;     /* the MATCH being planned feeds a consumer that
	                     * ignores row order: its expansions may batch */
	cy_op *batch;       /* the last Batch planned before that consumer, */
	int batch_slot;     /* ... and its node slot */
	int shown;          /* EXPLAIN or PROFILE: every estimate is shown,
	                     * not only those a choice depends on */
} cy_planner;

/* Compiles an expression; bool_ctx: a pattern in it is a predicate.
 * NULL on error (ctx->err set). */
cx *cy_compile(cy_planner *P, const cy_expr *e, int bool_ctx);
/* Compiles the aggregate call e (its arguments; its result slot). */
cx *cy_compile_agg(cy_planner *P, const cy_expr *e);
/* 1 when every slot e reads is bound or local to it. */
int cy_ready(const cy_planner *P, const cx *e);
/* Plans path patterns on top of op (MATCH, OPTIONAL MATCH's inner part,
 * MERGE's match, pattern expressions); where may be NULL. */
cy_op *cy_plan_patterns(cy_planner *P, cy_op *op, cy_path *const *paths, size_t npaths,
    const cy_expr *where);

/* Session internals shared with plan.c (session.c). */
const gr_value *cy_session_param_get(cy_session *s, const char *name);
/* A cached list of candidate node ids for an anchor, keyed by text that
 * identifies label and property filter; valid while the database is
 * unchanged.  get: NULL when absent. */
int cy_cache_get(cy_ctx *c, const char *key, uint32_t **ids, size_t *n);
void cy_cache_put(cy_ctx *c, const char *key, const uint32_t *ids, size_t n);

/* ---- results ---- */

/* The writer interface the runner uses (output.c). */
int cy_writer_begin(cy_writer *w, char **columns, size_t n, int hold);
int cy_writer_row(cy_writer *w, gr_txn *txn, const gr_value *vals, size_t n);
int cy_writer_end(cy_writer *w);
/* Drops what the current block wrote so far (a replayed transaction). */
void cy_writer_rewind(cy_writer *w);
/* Sends a held block out (after commit). */
int cy_writer_flush(cy_writer *w);

/* Calls fn for each label, relationship type and property key that st
 * reads and that the database has never held (unknown.c): the statement
 * still runs; msg says what.  Returns CY_OK or CY_ENOMEM. */
typedef void (*cy_warn_fn)(void *arg, uint32_t line, uint32_t col, const char *msg);
int cy_unknown_names(gr_txn *txn, const cy_stmt *st, cy_warn_fn fn, void *arg);

#endif
