/*
 * sema_int.h: what the parts of the semantic checks share: the static
 * types, the scope of variables, the checker's state and the helpers that
 * sema.c (expressions, patterns, clauses, queries) and sema_proj.c (WITH
 * and RETURN) both use.  Internal to graph/cypher/sema*.c.
 *
 * The helpers keep their short names in the source; these macros give
 * their symbols a prefix, since they are not static.
 */
#ifndef SG_SEMA_INT_H
#define SG_SEMA_INT_H

#define CY_INTERNAL
#include "parse.h"

#define type_names cy_sema_type_names
#define fail cy_sema_fail
#define nomem cy_sema_nomem
#define check_expr cy_sema_check_expr
#define check_plain cy_sema_check_plain
#define check_where cy_sema_check_where
#define new_slot cy_sema_new_slot
#define declare_at cy_sema_declare_at
#define scope_keep_last cy_sema_scope_keep_last
#define is_known cy_sema_is_known
#define check_projection cy_sema_check_projection

/* ---- static types ---- */

enum {
	TY_ANY, TY_NULL, TY_BOOL, TY_INT, TY_FLOAT, TY_STRING, TY_LIST, TY_MAP,
	TY_NODE, TY_REL, TY_PATH, TY_RELLIST
};

#define TB(t) (1u << (t))
/* What may stand where a graph element or map is read from. */
#define PROP_OK (TB(TY_ANY) | TB(TY_NULL) | TB(TY_MAP) | TB(TY_NODE) | TB(TY_REL))

/* Their names, for messages. */
extern const char *const type_names[];

/* ---- scope ---- */

typedef struct sym {
	const char *name;
	int slot;
	uint8_t type;
	int clause;            /* the clause that bound it */
	int prev;              /* the binding of the same name it hides, or -1 */
} sym;

/* Name lookup: an open-addressing table from name to the index of its
 * innermost binding in sema.vars (-1: none now).  Names are never removed,
 * so probing stays simple when scopes are popped. */
typedef struct name_slot {
	const char *name;
	int idx;
} name_slot;

typedef struct sema {
	cy_script *sc;
	cy_arena *a;
	cy_error *err;
	cy_query *q;
	int nslots;
	size_t slot_cap;
	sym *vars;             /* visible, innermost last */
	size_t nvars, vcap;
	name_slot *names;      /* lookup table over vars */
	size_t nnames, namecap;
	int clause;            /* id of the clause being checked */
	/* expression context */
	int agg_ok;            /* aggregates allowed here */
	const char *agg_where; /* where we are, for the error message */
	int in_agg;            /* inside an aggregate's arguments */
	const char *const_what;/* SKIP/LIMIT: no variables at all... */
	int const_lo;          /* ...but those of its own comprehensions */
	const char *cur_path;  /* the named path being bound */
	cy_expr **aggs;        /* aggregates found (projection items) */
	size_t naggs, aggcap;
	int failed;
	int pred;              /* the next expression is a predicate position */
	const char *pred_fn;   /* the function whose argument it is, if any */
} sema;

/* Records a semantic error at line:col (the first one wins); returns -1. */
int fail(sema *s, int kind, uint32_t line, uint32_t col, uint32_t off,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#define FAIL_AT(s, e, kind, ...) fail((s), (kind), (e)->e_line, (e)->e_col, (e)->e_off, __VA_ARGS__)
/* Records running out of memory; returns -1. */
int nomem(sema *s);
/* The static type of e (a TY_), checked, or -1. */
int check_expr(sema *s, cy_expr *e);
/* An expression where aggregates are not allowed (where: for messages). */
int check_plain(sema *s, cy_expr *e, const char *where);
/* A WHERE predicate. */
int check_where(sema *s, cy_expr *e);
/* A new slot named name; binds name to slot; keeps only the last n
 * bindings in scope. */
int new_slot(sema *s, const char *name);
int declare_at(sema *s, const char *name, int type, int slot);
void scope_keep_last(sema *s, size_t n);
/* A type that is certain (not TY_ANY or TY_NULL). */
int is_known(int t);

/* WITH and RETURN (sema_proj.c). */
int check_projection(sema *s, cy_clause *c, int is_return);

#endif
