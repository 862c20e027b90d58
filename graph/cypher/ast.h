/*
 * ast.h: the abstract syntax tree of an openCypher script.
 *
 * cy_parse() (parse.h) turns query text into a cy_script: statements, each a
 * chain of single queries joined by UNION, each a list of clauses holding
 * patterns and expressions.  cy_check() then resolves every variable to a
 * row slot and annotates the tree for the planner and executor (fields
 * marked "after cy_check" below are -1 or 0 before it runs).
 *
 * Every node records a 1-based line and column (counted in UTF-8
 * characters) so later stages can point at the source in errors: for most
 * nodes the first token; for an operator the operator itself (the "/" of
 * a division, the "." of a property access, the "[" of an index or slice,
 * the ":" of a label test, the IS of IS NULL).  Expressions also record
 * their byte span in the script text (e_off, e_len), parentheses included.
 *
 * Ownership: the whole tree, all its strings and arrays live in one arena
 * owned by the cy_script; cy_script_free() releases everything at once.
 * Nothing in the tree may be freed on its own; stages that rewrite the tree
 * allocate through cy_script_alloc() (parse.h).
 *
 * Slots: a row is an array of values indexed by slot.  Within one single
 * query (one part of a UNION) every binding gets its own slot: each pattern
 * variable (named or anonymous), UNWIND variable, projected column,
 * comprehension variable and aggregate call.  cy_query.q_nslots is the row
 * width.  A variable is visible only where openCypher scoping says it is, so
 * an executor may keep stale slots around without harm.
 */
#ifndef SG_CYPHER_AST_H
#define SG_CYPHER_AST_H

#include <stddef.h>
#include <stdint.h>

typedef struct cy_expr cy_expr;
typedef struct cy_path cy_path;
typedef struct cy_clause cy_clause;
typedef struct cy_query cy_query;
typedef struct cy_stmt cy_stmt;
typedef struct cy_script cy_script;
typedef struct cy_func cy_func;

/* ---- expressions ---- */

typedef enum cy_expr_kind {
	CY_E_NULL,       /* null */
	CY_E_BOOL,       /* u.b */
	CY_E_INT,        /* u.i; a negative literal is folded: -5 is INT -5 */
	CY_E_FLOAT,      /* u.f */
	CY_E_STRING,     /* u.s: decoded UTF-8, may contain NUL (use len) */
	CY_E_PARAM,      /* u.param: $name or $0 */
	CY_E_VAR,        /* u.var: a variable reference */
	CY_E_LIST,       /* u.list: [a, b] */
	CY_E_MAP,        /* u.map: {k: v} */
	CY_E_PROP,       /* u.prop: obj.key */
	CY_E_INDEX,      /* u.index: obj[idx] */
	CY_E_SLICE,      /* u.slice: obj[from..to], from/to may be NULL */
	CY_E_HASLABELS,  /* u.labels: obj:L1:L2 */
	CY_E_CALL,       /* u.call: f(args), count(*), count(DISTINCT x) */
	CY_E_CASE,       /* u.kase: simple (subject set) or searched */
	CY_E_UNARY,      /* e_op, u.bin.a: NOT, -, +, IS NULL, IS NOT NULL */
	CY_E_BINARY,     /* e_op, u.bin.a, u.bin.b */
	CY_E_LISTCOMP,   /* u.comp: [x IN src WHERE where | proj] */
	CY_E_QUANT,      /* u.comp, e_op a cy_quant: all(x IN src WHERE where) */
	CY_E_REDUCE,     /* u.reduce: reduce(acc = init, x IN src | body) */
	CY_E_PATTERN,    /* u.pat.path: a pattern used as an expression */
	CY_E_PATCOMP     /* u.pat: [path WHERE where | proj] */
} cy_expr_kind;

typedef enum cy_opcode {
	CY_OP_OR, CY_OP_XOR, CY_OP_AND, CY_OP_NOT,
	CY_OP_EQ, CY_OP_NE, CY_OP_LT, CY_OP_GT, CY_OP_LE, CY_OP_GE,
	CY_OP_IN, CY_OP_STARTS_WITH, CY_OP_ENDS_WITH, CY_OP_CONTAINS, CY_OP_REGEX,
	CY_OP_IS_NULL, CY_OP_IS_NOT_NULL,
	CY_OP_ADD, CY_OP_SUB, CY_OP_MUL, CY_OP_DIV, CY_OP_MOD, CY_OP_POW,
	CY_OP_NEG, CY_OP_POS
} cy_opcode;

typedef enum cy_quant { CY_Q_ALL, CY_Q_ANY, CY_Q_NONE, CY_Q_SINGLE } cy_quant;

struct cy_expr {
	uint8_t e_kind;        /* cy_expr_kind */
	uint8_t e_op;          /* cy_opcode (UNARY, BINARY) or cy_quant (QUANT) */
	uint16_t e_height;     /* height of the subtree (1 for a leaf) */
	uint32_t e_line, e_col;
	uint32_t e_off, e_len; /* source bytes [e_off, e_off+e_len) of the script */
	union {
		int b;
		int64_t i;
		double f;
		struct { char *ptr; size_t len; } s;
		struct { char *name; } param;
		struct {
			char *name;
			int slot;              /* after cy_check */
		} var;
		struct { cy_expr **items; size_t n; } list;
		struct { char **keys; cy_expr **vals; size_t n; } map;
		struct { cy_expr *obj; char *key; } prop;
		struct { cy_expr *obj, *idx; } index;
		struct { cy_expr *obj, *from, *to; } slice;
		struct { cy_expr *obj; char **labels; size_t n; } labels;
		struct {
			char *name;            /* as written, e.g. "duration.between" */
			cy_expr **args;
			size_t n;
			int distinct;          /* count(DISTINCT x) */
			int star;              /* count(*) */
			const cy_func *fn;     /* after cy_check */
			int agg_slot;          /* after cy_check: aggregates only */
		} call;
		struct {
			cy_expr *subject;      /* NULL for a searched CASE */
			cy_expr **whens, **thens;
			size_t n;
			cy_expr *els;          /* NULL when no ELSE */
		} kase;
		struct { cy_expr *a, *b; } bin;
		struct {
			char *var;
			int slot;              /* after cy_check */
			cy_expr *src, *where, *proj;   /* where, proj may be NULL */
		} comp;
		struct {
			char *acc;
			int acc_slot;          /* after cy_check */
			cy_expr *init;
			char *var;
			int slot;              /* after cy_check */
			cy_expr *src, *body;
		} reduce;
		struct {
			cy_path *path;
			cy_expr *where, *proj; /* PATCOMP only; where may be NULL */
		} pat;
	} u;
};

/* ---- patterns ---- */

typedef enum cy_dir {
	CY_DIR_BOTH = 0,       /* -[]- or <-[]-> */
	CY_DIR_RIGHT = 1,      /* -[]-> */
	CY_DIR_LEFT = 2        /* <-[]- */
} cy_dir;

#define CY_ARROW_LEFT 1    /* rp_arrows: a '<' was written */
#define CY_ARROW_RIGHT 2   /* rp_arrows: a '>' was written */

typedef struct cy_node_pat {
	uint32_t np_line, np_col;
	char *np_var;          /* NULL when anonymous */
	char **np_labels;
	size_t np_nlabels;
	cy_expr *np_props;     /* CY_E_MAP, CY_E_PARAM or NULL */
	int np_slot;           /* after cy_check; anonymous nodes get slots too */
	int np_new;            /* after cy_check: 1 where this occurrence binds
	                          the variable, 0 where it was bound before (in an
	                          earlier clause or earlier in this one) */
} cy_node_pat;

typedef struct cy_rel_pat {
	uint32_t rp_line, rp_col;
	char *rp_var;
	char **rp_types;       /* alternatives: [:A|B] */
	size_t rp_ntypes;
	cy_expr *rp_props;
	uint8_t rp_dir;        /* cy_dir */
	uint8_t rp_arrows;     /* CY_ARROW_* as written */
	uint8_t rp_varlen;     /* 1 for a variable-length relationship */
	int64_t rp_min;        /* varlen bounds: * is 1..-1, *2 is 2..2, */
	int64_t rp_max;        /* *..3 is 1..3, *2.. is 2..-1 (-1: no bound) */
	int rp_slot;           /* after cy_check; a varlen one holds a list */
	int rp_new;            /* after cy_check, as np_new */
} cy_rel_pat;

typedef enum cy_shortest { CY_SP_NONE, CY_SP_SHORTEST, CY_SP_ALL } cy_shortest;

/* One path pattern: nodes[0] rels[0] nodes[1] ... rels[n-2] nodes[n-1]. */
struct cy_path {
	uint32_t pa_line, pa_col;
	uint32_t pa_off, pa_len;
	char *pa_var;          /* p = ..., or NULL */
	int pa_slot;           /* after cy_check; -1 when unnamed */
	uint8_t pa_shortest;   /* cy_shortest */
	cy_node_pat *pa_nodes;
	size_t pa_nnodes;      /* at least 1 */
	cy_rel_pat *pa_rels;   /* pa_nnodes - 1 of them */
};

/* ---- clauses ---- */

typedef enum cy_clause_kind {
	CY_C_MATCH, CY_C_UNWIND, CY_C_WITH, CY_C_RETURN, CY_C_CREATE,
	CY_C_MERGE, CY_C_SET, CY_C_REMOVE, CY_C_DELETE
} cy_clause_kind;

typedef struct cy_proj_item {
	uint32_t pi_line, pi_col;
	cy_expr *pi_expr;
	char *pi_name;         /* column name: the alias, else the source text */
	int pi_alias;          /* 1 when AS was written */
	int pi_star;           /* 1 when added by expanding * (after cy_check) */
	int pi_slot;           /* after cy_check: the slot the value goes to */
	int pi_agg;            /* after cy_check: the expression aggregates */
} cy_proj_item;

typedef struct cy_sort_item {
	cy_expr *so_expr;
	int so_desc;
} cy_sort_item;

/*
 * WITH and RETURN.  After cy_check:
 * - pr_items holds the expansion of * first (pi_star set), then the
 *   written items; each item's value goes to pi_slot.
 * - When pr_aggregating, items with pi_agg == 0 are the grouping keys.
 *   Inside aggregating items, a subexpression equal to a grouping key has
 *   been replaced by a CY_E_VAR of that key's slot, and every aggregate call
 *   is listed in pr_aggs with its own u.call.agg_slot.  To produce a group:
 *   set the key slots, set each aggregate's slot to its result, then evaluate
 *   the aggregating items (an aggregate CALL evaluates to its slot).
 * - pr_order and pr_where see the new columns (by name) and, unless the
 *   projection aggregates or is DISTINCT, the variables of before it.  When
 *   it aggregates or is DISTINCT, subexpressions equal to a projected item
 *   have been replaced by a CY_E_VAR of that item's slot, so ORDER BY
 *   refers to projected slots only.
 * - pr_skip and pr_limit are constant expressions (no variables).
 */
typedef struct cy_projection {
	int pr_distinct;
	int pr_star;
	cy_proj_item *pr_items;
	size_t pr_nitems;
	cy_sort_item *pr_order;
	size_t pr_norder;
	cy_expr *pr_skip, *pr_limit;
	cy_expr *pr_where;     /* WITH ... WHERE only */
	int pr_aggregating;    /* after cy_check */
	cy_expr **pr_aggs;     /* after cy_check: the CY_E_CALL aggregates */
	size_t pr_naggs;
} cy_projection;

typedef enum cy_set_kind {
	CY_SET_PROP,           /* SET si_target = si_value (target a CY_E_PROP) */
	CY_SET_REPLACE,        /* SET n = map */
	CY_SET_MERGE,          /* SET n += map */
	CY_SET_LABELS,         /* SET n:A:B */
	CY_REMOVE_PROP,        /* REMOVE n.p (target a CY_E_PROP) */
	CY_REMOVE_LABELS       /* REMOVE n:A */
} cy_set_kind;

typedef struct cy_set_item {
	uint8_t si_kind;       /* cy_set_kind */
	uint32_t si_line, si_col;
	cy_expr *si_target;    /* CY_E_PROP for *_PROP, else CY_E_VAR */
	cy_expr *si_value;     /* SET only */
	char **si_labels;      /* *_LABELS only */
	size_t si_nlabels;
} cy_set_item;

struct cy_clause {
	uint8_t c_kind;        /* cy_clause_kind */
	uint32_t c_line, c_col;
	union {
		struct {
			int optional;
			cy_path **paths;
			size_t npaths;
			cy_expr *where;
		} match;
		struct { cy_path **paths; size_t npaths; } create;
		struct {
			cy_path *path;
			cy_set_item *on_create;
			size_t non_create;
			cy_set_item *on_match;
			size_t non_match;
		} merge;
		struct { cy_set_item *items; size_t n; } set;   /* SET and REMOVE */
		struct { int detach; cy_expr **exprs; size_t n; } del;
		struct {
			cy_expr *expr;
			char *var;
			int slot;      /* after cy_check */
		} unwind;
		cy_projection proj;    /* WITH and RETURN */
	} u;
};

/* A single query: clauses up to RETURN (or up to the last update). */
struct cy_query {
	uint32_t q_line, q_col;
	cy_clause **q_clauses;
	size_t q_n;
	int q_nslots;          /* after cy_check: the row width */
	char **q_slot_names;   /* after cy_check: a name per slot, for EXPLAIN;
	                          hidden slots are named like "  anon_3" */
};

typedef enum cy_mode { CY_MODE_RUN, CY_MODE_EXPLAIN, CY_MODE_PROFILE } cy_mode;

struct cy_stmt {
	uint32_t st_line, st_col;
	size_t st_off, st_len; /* the statement's bytes in the script text */
	char *st_text;         /* a NUL-terminated copy of them (no ';') */
	uint8_t st_mode;       /* cy_mode: EXPLAIN or PROFILE written first */
	cy_query **st_parts;   /* single queries joined by UNION */
	size_t st_nparts;
	int st_union_all;      /* 1 for UNION ALL (cannot be mixed with UNION) */
	char **st_columns;     /* after cy_check: result column names */
	size_t st_ncolumns;
	int st_updating;       /* after cy_check: the statement writes */
};

struct cy_script {
	cy_stmt **sc_stmts;
	size_t sc_n;
	char *sc_text;         /* a NUL-terminated copy of the whole input */
	size_t sc_len;
	struct cy_arena *sc_arena;
	int sc_checked;        /* cy_check succeeded */
};

/* ---- the function table (sema.c) ---- */

typedef enum cy_func_id {
	CY_F_ID, CY_F_LABELS, CY_F_TYPE, CY_F_KEYS, CY_F_PROPERTIES, CY_F_NODES,
	CY_F_RELATIONSHIPS, CY_F_LENGTH, CY_F_SIZE, CY_F_COALESCE, CY_F_HEAD,
	CY_F_LAST, CY_F_TAIL, CY_F_RANGE, CY_F_REVERSE, CY_F_TOLOWER, CY_F_TOUPPER,
	CY_F_TOSTRING, CY_F_TOINTEGER, CY_F_TOFLOAT, CY_F_TOBOOLEAN, CY_F_ABS,
	CY_F_SIGN, CY_F_CEIL, CY_F_FLOOR, CY_F_ROUND, CY_F_SQRT, CY_F_EXP,
	CY_F_LOG, CY_F_LOG10, CY_F_RAND, CY_F_STARTNODE, CY_F_ENDNODE,
	CY_F_EXISTS, CY_F_TRIM, CY_F_LTRIM, CY_F_RTRIM, CY_F_REPLACE,
	CY_F_SUBSTRING, CY_F_LEFT, CY_F_RIGHT, CY_F_SPLIT, CY_F_DATE,
	CY_F_DATETIME, CY_F_LOCALDATETIME, CY_F_LOCALTIME, CY_F_TIME,
	CY_F_DURATION, CY_F_DURATION_BETWEEN, CY_F_SOURCES, CY_F_TIMESTAMP,
	CY_F_PI, CY_F_E, CY_F_SIN, CY_F_COS, CY_F_TAN, CY_F_ASIN, CY_F_ACOS,
	CY_F_ATAN, CY_F_ATAN2, CY_F_DEGREES, CY_F_RADIANS,
	CY_F_DURATION_IN_MONTHS, CY_F_DURATION_IN_DAYS, CY_F_DURATION_IN_SECONDS,
	CY_F_CITATIONS,
	CY_F_POSITIONS, CY_F_POINT, CY_F_POINT_DISTANCE,   /* func_ais.c */
	CY_F_DATE_TRUNCATE, CY_F_DATETIME_TRUNCATE, CY_F_LOCALDATETIME_TRUNCATE,
	CY_F_CLOCK_DATE, CY_F_CLOCK_DATETIME, CY_F_CLOCK_LOCALDATETIME,
	CY_F_FROMEPOCH, CY_F_FROMEPOCHMILLIS,
	CY_F_CLOCK_TIME, CY_F_CLOCK_LOCALTIME, CY_F_TIME_TRUNCATE, CY_F_LOCALTIME_TRUNCATE,   /* func_time.c */
	CY_F_PROC_LABELS, CY_F_PROC_TYPES, CY_F_PROC_KEYS,   /* call.c */
	/* aggregates: */
	CY_F_COUNT, CY_F_COLLECT, CY_F_MIN, CY_F_MAX, CY_F_SUM, CY_F_AVG,
	CY_F_STDEV, CY_F_STDEVP, CY_F_PERCENTILECONT, CY_F_PERCENTILEDISC,
	CY_F__COUNT
} cy_func_id;

struct cy_func {
	const char *fn_name;   /* canonical spelling; lookup ignores case */
	uint8_t fn_id;         /* cy_func_id */
	uint8_t fn_min, fn_max;/* arity; fn_max 255 means any */
	uint8_t fn_agg;        /* 1 for an aggregate */
};

/* ---- internal to the front end (lexer.c, parser.c, pattern.c, sema.c, ast.c) ---- */
#ifdef CY_INTERNAL
#include <stdarg.h>

struct cy_error;

#include "arena.h"

typedef enum cy_tok_kind {
	CY_T_EOF, CY_T_IDENT, CY_T_QIDENT, CY_T_INT, CY_T_FLOAT, CY_T_STRING,
	CY_T_PARAM, CY_T_LPAREN, CY_T_RPAREN, CY_T_LBRACKET, CY_T_RBRACKET,
	CY_T_LBRACE, CY_T_RBRACE, CY_T_COMMA, CY_T_DOT, CY_T_DOTDOT, CY_T_COLON,
	CY_T_SEMI, CY_T_PIPE, CY_T_PLUS, CY_T_MINUS, CY_T_STAR, CY_T_SLASH,
	CY_T_PERCENT, CY_T_CARET, CY_T_EQ, CY_T_NE, CY_T_LT, CY_T_GT, CY_T_LE,
	CY_T_GE, CY_T_REGEX, CY_T_PLUSEQ
} cy_tok_kind;

typedef struct cy_token {
	uint8_t kind;          /* cy_tok_kind */
	uint8_t overflow;      /* CY_T_INT: does not fit in 64 bits */
	uint32_t line, col;
	uint32_t off, len;     /* bytes in the text */
	int32_t match;         /* brackets: index of the matching one, or -1 */
	union {
		struct { char *ptr; size_t len; } s;   /* IDENT, QIDENT, STRING, PARAM */
		uint64_t u;                             /* INT: the magnitude */
		double f;                               /* FLOAT */
	} v;
} cy_token;

/* Splits text into tokens (the last one CY_T_EOF) allocated in a. Returns
 * CY_OK, CY_ESYNTAX or CY_ENOMEM. */
int cy_lex(cy_arena *a, const char *text, size_t len, cy_token **toks,
    size_t *ntoks, struct cy_error *err);

/* Fills err (when not NULL); returns code. */
int cy_error_set(struct cy_error *err, int code, int kind, uint32_t line,
    uint32_t col, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Calls fn on the address of every direct child expression of e, including
 * those inside patterns, until fn returns non-zero; returns that value. */
typedef int (*cy_child_fn)(cy_expr **child, void *ctx);
int cy_expr_children(cy_expr *e, cy_child_fn fn, void *ctx);
int cy_path_exprs(cy_path *p, cy_child_fn fn, void *ctx);
/* Structural equality, ignoring positions; variables compare by name and
 * slot. */
int cy_expr_equal(const cy_expr *a, const cy_expr *b);
/* A deep copy in a, or NULL when out of memory. */
cy_expr *cy_expr_copy(cy_arena *a, const cy_expr *e);
cy_path *cy_path_copy(cy_arena *a, const cy_path *p);
/* Keyword test: case-insensitive, bare identifiers only. */
int cy_tok_is(const cy_token *t, const char *kw);
#endif

#endif
