/*
 * sema.c: the semantic checks of openCypher and the annotations the
 * executor relies on.
 *
 * Walks each single query clause by clause keeping the variables in scope,
 * as openCypher defines it: MATCH, CREATE, MERGE and UNWIND add variables;
 * WITH replaces the scope by what it projects; comprehensions add variables
 * for their own body only.  Each binding gets a slot (ast.h).  Along the way
 * it rejects what the openCypher TCK expects to fail at compile time:
 * undefined variables, a variable used as two kinds of thing, aggregation
 * where it is not allowed, unknown functions, static type errors on
 * literals, malformed CREATE and MERGE patterns, bad SKIP/LIMIT, clause
 * orders that end without RETURN.
 *
 * Static types are coarse: what literals, patterns and a few functions make
 * certain.  Anything unknown (a parameter, a property) is TY_ANY and is
 * never an error here; the executor checks values at run time.
 *
 * WITH and RETURN (aggregation, *, column names) are checked in
 * sema_proj.c; what the two files share is in sema_int.h.
 */
#include "sema_int.h"
#include "ascii.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const type_names[] = {
	"Any", "Null", "Boolean", "Integer", "Float", "String", "List", "Map",
	"Node", "Relationship", "Path", "List<Relationship>",
};

/* ---- the function table ---- */

static const cy_func functions[] = {
	{ "abs", CY_F_ABS, 1, 1, 0 },
	{ "acos", CY_F_ACOS, 1, 1, 0 },
	{ "asin", CY_F_ASIN, 1, 1, 0 },
	{ "atan", CY_F_ATAN, 1, 1, 0 },
	{ "atan2", CY_F_ATAN2, 2, 2, 0 },
	{ "avg", CY_F_AVG, 1, 1, 1 },
	{ "ceil", CY_F_CEIL, 1, 1, 0 },
	{ "coalesce", CY_F_COALESCE, 1, 255, 0 },
	{ "collect", CY_F_COLLECT, 1, 1, 1 },
	{ "cos", CY_F_COS, 1, 1, 0 },
	{ "count", CY_F_COUNT, 0, 1, 1 },
	{ "date", CY_F_DATE, 0, 1, 0 },
	{ "date.realtime", CY_F_CLOCK_DATE, 0, 1, 0 },
	{ "date.statement", CY_F_CLOCK_DATE, 0, 1, 0 },
	{ "date.transaction", CY_F_CLOCK_DATE, 0, 1, 0 },
	{ "date.truncate", CY_F_DATE_TRUNCATE, 2, 3, 0 },
	{ "datetime.fromepoch", CY_F_FROMEPOCH, 2, 2, 0 },
	{ "datetime.fromepochmillis", CY_F_FROMEPOCHMILLIS, 1, 1, 0 },
	{ "datetime.realtime", CY_F_CLOCK_DATETIME, 0, 1, 0 },
	{ "datetime.statement", CY_F_CLOCK_DATETIME, 0, 1, 0 },
	{ "datetime.transaction", CY_F_CLOCK_DATETIME, 0, 1, 0 },
	{ "datetime.truncate", CY_F_DATETIME_TRUNCATE, 2, 3, 0 },
	{ "localdatetime.realtime", CY_F_CLOCK_LOCALDATETIME, 0, 1, 0 },
	{ "localdatetime.statement", CY_F_CLOCK_LOCALDATETIME, 0, 1, 0 },
	{ "localdatetime.transaction", CY_F_CLOCK_LOCALDATETIME, 0, 1, 0 },
	{ "localdatetime.truncate", CY_F_LOCALDATETIME_TRUNCATE, 2, 3, 0 },
	{ "datetime", CY_F_DATETIME, 0, 1, 0 },
	{ "degrees", CY_F_DEGREES, 1, 1, 0 },
	{ "duration", CY_F_DURATION, 1, 1, 0 },
	{ "duration.between", CY_F_DURATION_BETWEEN, 2, 2, 0 },
	{ "duration.inDays", CY_F_DURATION_IN_DAYS, 2, 2, 0 },
	{ "duration.inMonths", CY_F_DURATION_IN_MONTHS, 2, 2, 0 },
	{ "duration.inSeconds", CY_F_DURATION_IN_SECONDS, 2, 2, 0 },
	{ "e", CY_F_E, 0, 0, 0 },
	{ "endNode", CY_F_ENDNODE, 1, 1, 0 },
	{ "exists", CY_F_EXISTS, 1, 1, 0 },
	{ "exp", CY_F_EXP, 1, 1, 0 },
	{ "floor", CY_F_FLOOR, 1, 1, 0 },
	{ "head", CY_F_HEAD, 1, 1, 0 },
	{ "id", CY_F_ID, 1, 1, 0 },
	{ "keys", CY_F_KEYS, 1, 1, 0 },
	{ "labels", CY_F_LABELS, 1, 1, 0 },
	{ "last", CY_F_LAST, 1, 1, 0 },
	{ "left", CY_F_LEFT, 2, 2, 0 },
	{ "length", CY_F_LENGTH, 1, 1, 0 },
	{ "localdatetime", CY_F_LOCALDATETIME, 0, 1, 0 },
	{ "log", CY_F_LOG, 1, 1, 0 },
	{ "log10", CY_F_LOG10, 1, 1, 0 },
	{ "ltrim", CY_F_LTRIM, 1, 1, 0 },
	{ "max", CY_F_MAX, 1, 1, 1 },
	{ "min", CY_F_MIN, 1, 1, 1 },
	{ "nodes", CY_F_NODES, 1, 1, 0 },
	{ "percentileCont", CY_F_PERCENTILECONT, 2, 2, 1 },
	{ "percentileDisc", CY_F_PERCENTILEDISC, 2, 2, 1 },
	{ "pi", CY_F_PI, 0, 0, 0 },
	{ "point", CY_F_POINT, 1, 1, 0 },
	{ "point.distance", CY_F_POINT_DISTANCE, 2, 2, 0 },
	{ "positions", CY_F_POSITIONS, 1, 3, 0 },
	{ "properties", CY_F_PROPERTIES, 1, 1, 0 },
	{ "radians", CY_F_RADIANS, 1, 1, 0 },
	{ "rand", CY_F_RAND, 0, 0, 0 },
	{ "range", CY_F_RANGE, 2, 3, 0 },
	{ "relationships", CY_F_RELATIONSHIPS, 1, 1, 0 },
	{ "replace", CY_F_REPLACE, 3, 3, 0 },
	{ "reverse", CY_F_REVERSE, 1, 1, 0 },
	{ "right", CY_F_RIGHT, 2, 2, 0 },
	{ "round", CY_F_ROUND, 1, 3, 0 },
	{ "rtrim", CY_F_RTRIM, 1, 1, 0 },
	{ "sign", CY_F_SIGN, 1, 1, 0 },
	{ "sin", CY_F_SIN, 1, 1, 0 },
	{ "size", CY_F_SIZE, 1, 1, 0 },
	{ "sources", CY_F_SOURCES, 1, 1, 0 },
	{ "citations", CY_F_CITATIONS, 1, 1, 0 },
	/* the procedures of call.c: no query can write these names */
	{ "CALL db.labels", CY_F_PROC_LABELS, 0, 0, 0 },
	{ "CALL db.relationshipTypes", CY_F_PROC_TYPES, 0, 0, 0 },
	{ "CALL db.propertyKeys", CY_F_PROC_KEYS, 0, 0, 0 },
	{ "split", CY_F_SPLIT, 2, 2, 0 },
	{ "sqrt", CY_F_SQRT, 1, 1, 0 },
	{ "startNode", CY_F_STARTNODE, 1, 1, 0 },
	{ "stDev", CY_F_STDEV, 1, 1, 1 },
	{ "stDevP", CY_F_STDEVP, 1, 1, 1 },
	{ "substring", CY_F_SUBSTRING, 2, 3, 0 },
	{ "sum", CY_F_SUM, 1, 1, 1 },
	{ "tail", CY_F_TAIL, 1, 1, 0 },
	{ "tan", CY_F_TAN, 1, 1, 0 },
	{ "timestamp", CY_F_TIMESTAMP, 0, 0, 0 },
	{ "toBoolean", CY_F_TOBOOLEAN, 1, 1, 0 },
	{ "toFloat", CY_F_TOFLOAT, 1, 1, 0 },
	{ "toInteger", CY_F_TOINTEGER, 1, 1, 0 },
	{ "toLower", CY_F_TOLOWER, 1, 1, 0 },
	{ "toString", CY_F_TOSTRING, 1, 1, 0 },
	{ "toUpper", CY_F_TOUPPER, 1, 1, 0 },
	{ "trim", CY_F_TRIM, 1, 1, 0 },
	{ "type", CY_F_TYPE, 1, 1, 0 },
};

const cy_func *
cy_func_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
		if (cy_ascii_ieq0(functions[i].fn_name, name))
			return &functions[i];
	return cy_time_func_lookup(name);
}


int
fail(sema *s, int kind, uint32_t line, uint32_t col, uint32_t off,
    const char *fmt, ...)
{
	if (!s->failed && s->err) {
		char msg[sizeof s->err->message];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		/* The byte offset from the line and column, so that every caller
		 * need only know the position of its node. */
		const char *t = s->sc->sc_text;
		size_t n = s->sc->sc_len, i = 0;
		for (uint32_t l = 1; l < line && i < n; i++)
			if (t[i] == '\n')
				l++;
		for (uint32_t c = 1; c < col && i < n; c++) {
			i++;
			while (i < n && ((unsigned char)t[i] & 0xC0) == 0x80)
				i++;
		}
		(void)off;
		cy_error_set(s->err, CY_ESEMANTIC, kind, line, col, i, "%s", msg);
	}
	s->failed = 1;
	return -1;
}

int
nomem(sema *s)
{
	if (!s->failed)
		cy_error_set(s->err, CY_ENOMEM, CY_ERR_NO_MEMORY, 0, 0, 0, "out of memory");
	s->failed = 1;
	return -1;
}

/* A new slot named name (hidden slots get a generated name). */
int
new_slot(sema *s, const char *name)
{
	cy_query *q = s->q;
	if ((size_t)s->nslots == s->slot_cap) {
		size_t cap = s->slot_cap ? s->slot_cap * 2 : 16;
		char **n = cy_arena_grow(s->a, q->q_slot_names, s->slot_cap, cap, sizeof *n);
		if (n == NULL)
			return nomem(s);
		q->q_slot_names = n;
		s->slot_cap = cap;
	}
	if (name == NULL) {
		char buf[32];
		snprintf(buf, sizeof buf, "  anon_%d", s->nslots);
		name = buf;
		if ((q->q_slot_names[s->nslots] = cy_arena_strndup(s->a, buf,
		    strlen(buf))) == NULL)
			return nomem(s);
	} else {
		q->q_slot_names[s->nslots] = (char *)name;
	}
	q->q_nslots = s->nslots + 1;
	return s->nslots++;
}

static uint64_t
name_hash(const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h;
}

/* The table entry for name, added (unbound) when missing; NULL on ENOMEM
 * when add is set, or when missing and add is not set. */
static name_slot *
name_find(sema *s, const char *name, int add)
{
	if (add && (s->nnames + 1) * 2 > s->namecap) {
		size_t cap = s->namecap ? s->namecap * 2 : 64;
		name_slot *t = cy_arena_alloc(s->a, cap * sizeof *t);
		if (t == NULL)
			return NULL;
		for (size_t i = 0; i < s->namecap; i++) {
			if (s->names[i].name == NULL)
				continue;
			size_t j = name_hash(s->names[i].name) & (cap - 1);
			while (t[j].name)
				j = (j + 1) & (cap - 1);
			t[j] = s->names[i];
		}
		s->names = t;
		s->namecap = cap;
	}
	if (s->namecap == 0)
		return NULL;
	size_t j = name_hash(name) & (s->namecap - 1);
	while (s->names[j].name) {
		if (strcmp(s->names[j].name, name) == 0)
			return &s->names[j];
		j = (j + 1) & (s->namecap - 1);
	}
	if (!add)
		return NULL;
	s->names[j].name = name;
	s->names[j].idx = -1;
	s->nnames++;
	return &s->names[j];
}

static sym *
lookup(sema *s, const char *name)
{
	name_slot *e = name_find(s, name, 0);
	return e && e->idx >= 0 ? &s->vars[e->idx] : NULL;
}

/* Drops the bindings made since the scope had mark of them. */
static void
scope_pop(sema *s, size_t mark)
{
	while (s->nvars > mark) {
		sym *v = &s->vars[--s->nvars];
		name_slot *e = name_find(s, v->name, 0);
		if (e)
			e->idx = v->prev;
	}
}

/* Makes the last n bindings the whole scope. */
void
scope_keep_last(sema *s, size_t n)
{
	if (n)
		memmove(s->vars, s->vars + s->nvars - n, n * sizeof *s->vars);
	s->nvars = n;
	for (size_t i = 0; i < s->namecap; i++)
		s->names[i].idx = -1;
	for (size_t i = 0; i < n; i++) {
		name_slot *e = name_find(s, s->vars[i].name, 0);
		s->vars[i].prev = e ? e->idx : -1;
		if (e)
			e->idx = (int)i;
	}
}

/* Binds name to slot in the current scope; returns the slot or -1. */
int
declare_at(sema *s, const char *name, int type, int slot)
{
	if (s->nvars == s->vcap) {
		size_t cap = s->vcap ? s->vcap * 2 : 16;
		sym *v = cy_arena_grow(s->a, s->vars, s->nvars, cap, sizeof *v);
		if (v == NULL)
			return nomem(s);
		s->vars = v;
		s->vcap = cap;
	}
	name_slot *e = name_find(s, name, 1);
	if (e == NULL)
		return nomem(s);
	s->vars[s->nvars] = (sym){ name, slot, (uint8_t)type, s->clause, e->idx };
	e->idx = (int)s->nvars++;
	return slot;
}

/* Binds name to a new slot. */
static int
declare(sema *s, const char *name, int type)
{
	int slot = new_slot(s, name);
	return slot < 0 ? -1 : declare_at(s, name, type, slot);
}

static const char *
kind_word(int type)
{
	switch (type) {
	case TY_NODE: return "a node";
	case TY_REL: return "a relationship";
	case TY_PATH: return "a path";
	case TY_RELLIST: return "a list of relationships";
	default: return "a value";
	}
}

/* ---- expressions ---- */

static int check_pattern_expr(sema *s, cy_expr *e);

/* An expression in a predicate position (WHERE, an operand of NOT, AND,
 * OR, XOR, the argument of exists(), a CASE condition): the only places
 * where a bare pattern such as (a)-->() may stand, as in Neo4j 5. */
static int
check_pred(sema *s, cy_expr *e)
{
	s->pred = 1;
	return check_expr(s, e);
}

int
is_known(int t)
{
	return t != TY_ANY && t != TY_NULL;
}

static int
check_bool_operand(sema *s, cy_expr *e, int t, const char *op)
{
	if (is_known(t) && t != TY_BOOL)
		return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
		    "type mismatch: %s expects a Boolean but was %s", op, type_names[t]);
	return 0;
}

static int
arith_type(int op, int a, int b)
{
	int num_a = a == TY_INT || a == TY_FLOAT, num_b = b == TY_INT || b == TY_FLOAT;
	if (op == CY_OP_ADD && (a == TY_LIST || b == TY_LIST))
		return TY_LIST;
	if (op == CY_OP_ADD && a == TY_STRING && (b == TY_STRING || num_b))
		return TY_STRING;
	if (op == CY_OP_ADD && b == TY_STRING && num_a)
		return TY_STRING;
	if (op == CY_OP_POW && num_a && num_b)
		return TY_FLOAT;
	if (num_a && num_b)
		return a == TY_INT && b == TY_INT ? TY_INT : TY_FLOAT;
	return TY_ANY;
}

/* Argument types a function cannot take (checked on the first argument),
 * and the type it returns. */
static int
check_call_types(sema *s, cy_expr *e, const cy_func *fn, int t0)
{
	unsigned ok = ~0u;
	switch (fn->fn_id) {
	case CY_F_LABELS:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE);
		break;
	case CY_F_TYPE:
	case CY_F_STARTNODE:
	case CY_F_ENDNODE:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_REL);
		break;
	case CY_F_LENGTH:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_PATH) | TB(TY_STRING) | TB(TY_LIST);
		break;
	case CY_F_NODES:
	case CY_F_RELATIONSHIPS:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_PATH);
		break;
	case CY_F_ID:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE) | TB(TY_REL);
		break;
	case CY_F_KEYS:
	case CY_F_PROPERTIES:
		ok = PROP_OK;
		break;
	case CY_F_SIZE:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_STRING) | TB(TY_LIST) | TB(TY_RELLIST);
		break;
	case CY_F_SOURCES:
	case CY_F_CITATIONS:
		ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE) | TB(TY_REL);
		break;
	}
	if (e->u.call.n > 0 && !(ok & TB(t0)))
		return FAIL_AT(s, e->u.call.args[0], CY_ERR_INVALID_ARGUMENT_TYPE,
		    "type mismatch: %s() cannot take %s", fn->fn_name, type_names[t0]);
	switch (fn->fn_id) {
	case CY_F_ID: case CY_F_LENGTH: case CY_F_SIZE: case CY_F_COUNT:
	case CY_F_TOINTEGER: case CY_F_SIGN: case CY_F_TIMESTAMP:
		return TY_INT;
	case CY_F_LABELS: case CY_F_KEYS: case CY_F_NODES: case CY_F_COLLECT:
	case CY_F_RANGE: case CY_F_SPLIT: case CY_F_TAIL: case CY_F_SOURCES:
	case CY_F_CITATIONS: case CY_F_PROC_LABELS: case CY_F_PROC_TYPES:
	case CY_F_PROC_KEYS:
		return TY_LIST;
	case CY_F_RELATIONSHIPS:
		return TY_RELLIST;
	case CY_F_TYPE: case CY_F_TOSTRING: case CY_F_TOLOWER: case CY_F_TOUPPER:
	case CY_F_TRIM: case CY_F_LTRIM: case CY_F_RTRIM: case CY_F_REPLACE:
	case CY_F_SUBSTRING: case CY_F_LEFT: case CY_F_RIGHT:
		return TY_STRING;
	case CY_F_TOFLOAT: case CY_F_SQRT: case CY_F_EXP: case CY_F_LOG:
	case CY_F_LOG10: case CY_F_RAND: case CY_F_AVG: case CY_F_STDEV:
	case CY_F_STDEVP: case CY_F_PI: case CY_F_E: case CY_F_SIN: case CY_F_COS:
	case CY_F_TAN: case CY_F_ASIN: case CY_F_ACOS: case CY_F_ATAN:
	case CY_F_ATAN2: case CY_F_DEGREES: case CY_F_RADIANS:
		return TY_FLOAT;
	case CY_F_TOBOOLEAN: case CY_F_EXISTS:
		return TY_BOOL;
	case CY_F_PROPERTIES:
		return TY_MAP;
	case CY_F_STARTNODE: case CY_F_ENDNODE:
		return TY_NODE;
	default:
		return TY_ANY;
	}
}

static int
check_call(sema *s, cy_expr *e)
{
	const cy_func *fn = cy_func_lookup(e->u.call.name);
	if (fn == NULL)
		return FAIL_AT(s, e, CY_ERR_UNKNOWN_FUNCTION, "unknown function '%s'",
		    e->u.call.name);
	e->u.call.fn = fn;
	size_t n = e->u.call.n + (e->u.call.star ? 1 : 0);
	if (n < fn->fn_min || (fn->fn_max != 255 && n > fn->fn_max)) {
		if (fn->fn_min == fn->fn_max)
			return FAIL_AT(s, e, CY_ERR_INVALID_NUMBER_OF_ARGUMENTS,
			    "%s() takes %d argument%s, not %zu", fn->fn_name,
			    fn->fn_min, fn->fn_min == 1 ? "" : "s", n);
		return FAIL_AT(s, e, CY_ERR_INVALID_NUMBER_OF_ARGUMENTS,
		    "%s() takes %d to %d arguments, not %zu", fn->fn_name,
		    fn->fn_min, fn->fn_max, n);
	}
	if (e->u.call.distinct && !fn->fn_agg)
		return FAIL_AT(s, e, CY_ERR_UNEXPECTED_SYNTAX,
		    "DISTINCT can only be used in an aggregate function, not in %s()",
		    fn->fn_name);
	if (fn->fn_id == CY_F_RAND && s->in_agg)
		return FAIL_AT(s, e, CY_ERR_NON_CONSTANT_EXPRESSION,
		    "rand() cannot be used inside an aggregate function");
	int t0 = TY_ANY;
	if (fn->fn_agg) {
		if (s->in_agg)
			return FAIL_AT(s, e, CY_ERR_NESTED_AGGREGATION,
			    "an aggregate function cannot be used inside another "
			    "aggregate function");
		if (!s->agg_ok)
			return FAIL_AT(s, e, CY_ERR_INVALID_AGGREGATION,
			    "aggregate function %s() is not allowed in %s",
			    fn->fn_name, s->agg_where ? s->agg_where : "this context");
		s->in_agg = 1;
		for (size_t i = 0; i < e->u.call.n; i++) {
			int t = check_expr(s, e->u.call.args[i]);
			if (t < 0)
				return -1;
			if (i == 0)
				t0 = t;
		}
		s->in_agg = 0;
		if ((e->u.call.agg_slot = new_slot(s, NULL)) < 0)
			return -1;
		if (s->naggs == s->aggcap) {
			size_t cap = s->aggcap ? s->aggcap * 2 : 8;
			cy_expr **m = cy_arena_grow(s->a, s->aggs, s->naggs, cap, sizeof *m);
			if (m == NULL)
				return nomem(s);
			s->aggs = m;
			s->aggcap = cap;
		}
		s->aggs[s->naggs++] = e;
	} else {
		for (size_t i = 0; i < e->u.call.n; i++) {
			s->pred = fn->fn_id == CY_F_EXISTS;
			s->pred_fn = fn->fn_name;
			int t = check_expr(s, e->u.call.args[i]);
			if (t < 0)
				return -1;
			if (i == 0)
				t0 = t;
		}
	}
	return check_call_types(s, e, fn, t0);
}

/* The WHERE (a predicate) and the projection, each optional, of a list or
 * pattern comprehension or a quantifier: 0, or -1. */
static int
check_where_proj(sema *s, cy_expr *where, cy_expr *proj)
{
	int t;
	if (where && ((t = check_pred(s, where)) < 0 || check_bool_operand(s, where, t, "WHERE") < 0))
		return -1;
	return proj && check_expr(s, proj) < 0 ? -1 : 0;
}

/* [x IN src WHERE p | e], all(x IN src WHERE p), reduce(...). */
static int
check_scoped(sema *s, cy_expr *e)
{
	size_t mark = s->nvars;
	int save_ok = s->agg_ok, t, rc = -1;
	const char *save_where = s->agg_where;
	if (e->e_kind == CY_E_REDUCE) {
		if (check_expr(s, e->u.reduce.init) < 0 || check_expr(s, e->u.reduce.src) < 0)
			return -1;
		s->agg_ok = 0;
		s->agg_where = "reduce()";
		if ((e->u.reduce.acc_slot = declare(s, e->u.reduce.acc, TY_ANY)) < 0
		    || (e->u.reduce.slot = declare(s, e->u.reduce.var, TY_ANY)) < 0
		    || check_expr(s, e->u.reduce.body) < 0)
			goto out;
		rc = TY_ANY;
		goto out;
	}
	if ((t = check_expr(s, e->u.comp.src)) < 0)
		return -1;
	if (is_known(t) && t != TY_LIST && t != TY_RELLIST)
		return FAIL_AT(s, e->u.comp.src, CY_ERR_INVALID_ARGUMENT_TYPE,
		    "type mismatch: expected a list but was %s", type_names[t]);
	s->agg_ok = 0;
	s->agg_where = "a list comprehension";
	if ((e->u.comp.slot = declare(s, e->u.comp.var,
	    t == TY_RELLIST ? TY_REL : TY_ANY)) < 0)
		goto out;
	if (check_where_proj(s, e->u.comp.where, e->u.comp.proj) < 0)
		goto out;
	rc = e->e_kind == CY_E_QUANT ? TY_BOOL : TY_LIST;
out:
	scope_pop(s, mark);
	s->agg_ok = save_ok;
	s->agg_where = save_where;
	return rc;
}

int
check_expr(sema *s, cy_expr *e)
{
	int ta, tb, pred = s->pred;
	const char *pred_fn = s->pred_fn;
	s->pred = 0;
	s->pred_fn = NULL;
	switch (e->e_kind) {
	case CY_E_NULL: return TY_NULL;
	case CY_E_BOOL: return TY_BOOL;
	case CY_E_INT: return TY_INT;
	case CY_E_FLOAT: return TY_FLOAT;
	case CY_E_STRING: return TY_STRING;
	case CY_E_PARAM: return TY_ANY;
	case CY_E_VAR: {
		sym *v = lookup(s, e->u.var.name);
		if (s->const_what && (v == NULL || v->slot < s->const_lo))
			return FAIL_AT(s, e, CY_ERR_NON_CONSTANT_EXPRESSION,
			    "%s must be a constant expression, it cannot use "
			    "variable `%s`", s->const_what, e->u.var.name);
		if (v == NULL)
			return FAIL_AT(s, e, CY_ERR_UNDEFINED_VARIABLE,
			    "variable `%s` not defined", e->u.var.name);
		e->u.var.slot = v->slot;
		return v->type;
	}
	case CY_E_LIST:
		for (size_t i = 0; i < e->u.list.n; i++)
			if (check_expr(s, e->u.list.items[i]) < 0)
				return -1;
		return TY_LIST;
	case CY_E_MAP:
		for (size_t i = 0; i < e->u.map.n; i++)
			if (check_expr(s, e->u.map.vals[i]) < 0)
				return -1;
		return TY_MAP;
	case CY_E_PROP:
		if ((ta = check_expr(s, e->u.prop.obj)) < 0)
			return -1;
		if (!(PROP_OK & TB(ta)))
			return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
			    "type mismatch: cannot read property '%s' of %s",
			    e->u.prop.key, type_names[ta]);
		return TY_ANY;
	case CY_E_INDEX:
		if ((ta = check_expr(s, e->u.index.obj)) < 0
		    || check_expr(s, e->u.index.idx) < 0)
			return -1;
		return ta == TY_RELLIST ? TY_REL : TY_ANY;
	case CY_E_SLICE:
		if (check_expr(s, e->u.slice.obj) < 0
		    || (e->u.slice.from && check_expr(s, e->u.slice.from) < 0)
		    || (e->u.slice.to && check_expr(s, e->u.slice.to) < 0))
			return -1;
		return TY_LIST;
	case CY_E_HASLABELS:
		if ((ta = check_expr(s, e->u.labels.obj)) < 0)
			return -1;
		if (is_known(ta) && ta != TY_NODE && ta != TY_REL)
			return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
			    "type mismatch: a label test needs a node but was %s",
			    type_names[ta]);
		return TY_BOOL;
	case CY_E_CALL:
		return check_call(s, e);
	case CY_E_CASE:
		if (e->u.kase.subject && check_expr(s, e->u.kase.subject) < 0)
			return -1;
		for (size_t i = 0; i < e->u.kase.n; i++)
			if ((e->u.kase.subject ? check_expr(s, e->u.kase.whens[i])
			    : check_pred(s, e->u.kase.whens[i])) < 0
			    || check_expr(s, e->u.kase.thens[i]) < 0)
				return -1;
		if (e->u.kase.els && check_expr(s, e->u.kase.els) < 0)
			return -1;
		return TY_ANY;
	case CY_E_UNARY:
		if ((ta = e->e_op == CY_OP_NOT ? check_pred(s, e->u.bin.a)
		    : check_expr(s, e->u.bin.a)) < 0)
			return -1;
		switch (e->e_op) {
		case CY_OP_NOT:
			if (check_bool_operand(s, e->u.bin.a, ta, "NOT") < 0)
				return -1;
			return TY_BOOL;
		case CY_OP_IS_NULL:
		case CY_OP_IS_NOT_NULL:
			return TY_BOOL;
		default:
			if (is_known(ta) && ta != TY_INT && ta != TY_FLOAT)
				return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
				    "type mismatch: expected a number but was %s",
				    type_names[ta]);
			return ta == TY_INT || ta == TY_FLOAT ? ta : TY_ANY;
		}
	case CY_E_BINARY:
		pred = e->e_op == CY_OP_AND || e->e_op == CY_OP_OR || e->e_op == CY_OP_XOR;
		s->pred = pred;
		if ((ta = check_expr(s, e->u.bin.a)) < 0)
			return -1;
		s->pred = pred;
		if ((tb = check_expr(s, e->u.bin.b)) < 0)
			return -1;
		switch (e->e_op) {
		case CY_OP_AND: case CY_OP_OR: case CY_OP_XOR: {
			const char *op = e->e_op == CY_OP_AND ? "AND"
			    : e->e_op == CY_OP_OR ? "OR" : "XOR";
			if (check_bool_operand(s, e->u.bin.a, ta, op) < 0
			    || check_bool_operand(s, e->u.bin.b, tb, op) < 0)
				return -1;
			return TY_BOOL;
		}
		case CY_OP_ADD: case CY_OP_SUB: case CY_OP_MUL: case CY_OP_DIV:
		case CY_OP_MOD: case CY_OP_POW:
			return arith_type(e->e_op, ta, tb);
		default:
			return TY_BOOL;
		}
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
	case CY_E_REDUCE:
		return check_scoped(s, e);
	case CY_E_PATTERN:
		if (!pred && e->u.pat.path->pa_shortest == CY_SP_NONE)
			return FAIL_AT(s, e, CY_ERR_UNEXPECTED_SYNTAX,
			    pred_fn && strcmp(pred_fn, "size") == 0
			    ? "size() of a pattern is not supported: count the matches "
			    "with COUNT { pattern }"
			    : "a pattern can only be used as a predicate (in WHERE, "
			    "with NOT, AND, OR, or in exists()); count its matches with "
			    "COUNT { pattern } or collect them with [pattern | ...]");
		return check_pattern_expr(s, e);
	case CY_E_PATCOMP:
		return check_pattern_expr(s, e);
	}
	return TY_ANY;
}

/* ---- patterns ---- */

enum pat_ctx { PAT_MATCH, PAT_CREATE, PAT_MERGE, PAT_EXPR, PAT_COMP };

static const char *const pat_clause[] = { "MATCH", "CREATE", "MERGE", "", "" };

/* Binds or resolves one node or relationship variable of a pattern.
 * Returns the slot, or -1. */
static int
bind_element(sema *s, const char *var, int type, int varlen, int ctx,
    int has_detail, int single, uint32_t line, uint32_t col, int *is_new)
{
	*is_new = 1;
	if (var == NULL)
		return new_slot(s, NULL);
	sym *v = lookup(s, var);
	if (v == NULL) {
		if (ctx == PAT_EXPR)
			return fail(s, CY_ERR_UNDEFINED_VARIABLE, line, col, 0,
			    "variable `%s` not defined (a pattern expression cannot "
			    "bind new variables)", var);
		return declare(s, var, varlen ? TY_RELLIST : type);
	}
	*is_new = 0;
	if (v->type == TY_PATH && v->clause == s->clause && s->cur_path
	    && strcmp(s->cur_path, var) == 0)
		return fail(s, CY_ERR_VARIABLE_ALREADY_BOUND, line, col, 0,
		    "variable `%s` is already declared as a path", var);
	unsigned ok;
	if (type == TY_NODE)
		ok = TB(TY_NODE) | TB(TY_ANY);
	else if (varlen)
		ok = TB(TY_RELLIST) | TB(TY_LIST) | TB(TY_ANY);
	else
		ok = TB(TY_REL) | TB(TY_ANY);
	if (!(ok & TB(v->type))) {
		if (v->type == TY_PATH || is_known(v->type))
			return fail(s, CY_ERR_VARIABLE_TYPE_CONFLICT, line, col, 0,
			    "variable `%s` is %s, it cannot be used as %s", var,
			    v->type == TY_PATH || v->type >= TY_NODE ? kind_word(v->type)
			    : type_names[v->type], kind_word(varlen ? TY_RELLIST : type));
	}
	if (type == TY_REL && (ctx == PAT_CREATE || ctx == PAT_MERGE))
		return fail(s, CY_ERR_VARIABLE_ALREADY_BOUND, line, col, 0,
		    "variable `%s` is already declared, %s cannot use a bound "
		    "relationship", var, pat_clause[ctx]);
	if (type == TY_REL && v->clause == s->clause && ctx == PAT_MATCH)
		return fail(s, CY_ERR_RELATIONSHIP_UNIQUENESS, line, col, 0,
		    "relationship variable `%s` is used twice in one pattern", var);
	if (type == TY_NODE && (ctx == PAT_CREATE || ctx == PAT_MERGE)
	    && (has_detail || single))
		return fail(s, CY_ERR_VARIABLE_ALREADY_BOUND, line, col, 0,
		    has_detail ? "variable `%s` is already declared, %s cannot add "
		    "labels or properties to it" : "variable `%s` is already declared",
		    var, pat_clause[ctx]);
	if (v->type == TY_ANY)
		v->type = (uint8_t)(varlen ? TY_RELLIST : type);
	return v->slot;
}

static int
check_props(sema *s, cy_expr *props, int ctx)
{
	if (props == NULL)
		return 0;
	if (props->e_kind == CY_E_PARAM && (ctx == PAT_MATCH || ctx == PAT_MERGE
	    || ctx == PAT_EXPR || ctx == PAT_COMP))
		return FAIL_AT(s, props, CY_ERR_INVALID_PARAMETER_USE,
		    "a parameter cannot be used as a property map in %s; write "
		    "{key: $param.key} instead", ctx == PAT_MERGE ? "MERGE" : "MATCH");
	return check_expr(s, props) < 0 ? -1 : 0;
}

/* Binds the variables of one path (pass 1: variables; the property maps are
 * checked by check_path_props once the whole pattern is bound). */
static int
bind_path(sema *s, cy_path *pa, int ctx)
{
	if (pa->pa_var) {
		if (lookup(s, pa->pa_var))
			return fail(s, CY_ERR_VARIABLE_ALREADY_BOUND, pa->pa_line,
			    pa->pa_col, pa->pa_off, "variable `%s` is already declared",
			    pa->pa_var);
		if ((pa->pa_slot = declare(s, pa->pa_var, TY_PATH)) < 0)
			return -1;
	}
	s->cur_path = pa->pa_var;
	int single = pa->pa_nnodes == 1;
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		cy_node_pat *np = &pa->pa_nodes[i];
		int detail = np->np_nlabels > 0 || np->np_props != NULL;
		if ((np->np_slot = bind_element(s, np->np_var, TY_NODE, 0, ctx, detail,
		    single, np->np_line, np->np_col, &np->np_new)) < 0)
			return -1;
		if (i + 1 == pa->pa_nnodes)
			break;
		cy_rel_pat *rp = &pa->pa_rels[i];
		if ((rp->rp_slot = bind_element(s, rp->rp_var, TY_REL, rp->rp_varlen,
		    ctx, 0, 0, rp->rp_line, rp->rp_col, &rp->rp_new)) < 0)
			return -1;
		if (ctx == PAT_CREATE || ctx == PAT_MERGE) {
			if (rp->rp_varlen)
				return fail(s, CY_ERR_CREATING_VAR_LENGTH, rp->rp_line,
				    rp->rp_col, 0, "%s cannot use a variable-length "
				    "relationship", pat_clause[ctx]);
			if (rp->rp_ntypes != 1)
				return fail(s, CY_ERR_NO_SINGLE_RELATIONSHIP_TYPE, rp->rp_line,
				    rp->rp_col, 0, "a relationship in %s needs exactly one "
				    "type, like -[:KNOWS]->", pat_clause[ctx]);
			if (ctx == PAT_CREATE && rp->rp_dir == CY_DIR_BOTH)
				return fail(s, CY_ERR_REQUIRES_DIRECTED_RELATIONSHIP,
				    rp->rp_line, rp->rp_col, 0, "a relationship in CREATE "
				    "needs one direction, -[]-> or <-[]-");
			if (ctx == PAT_MERGE && rp->rp_arrows == (CY_ARROW_LEFT | CY_ARROW_RIGHT))
				return fail(s, CY_ERR_REQUIRES_DIRECTED_RELATIONSHIP,
				    rp->rp_line, rp->rp_col, 0, "a relationship in MERGE "
				    "cannot point both ways");
		}
	}
	s->cur_path = NULL;
	return 0;
}

static int
check_path_props(sema *s, cy_path *pa, int ctx)
{
	for (size_t i = 0; i < pa->pa_nnodes; i++) {
		if (check_props(s, pa->pa_nodes[i].np_props, ctx) < 0)
			return -1;
		if (i + 1 < pa->pa_nnodes && check_props(s, pa->pa_rels[i].rp_props, ctx) < 0)
			return -1;
	}
	return 0;
}

/* A pattern in an expression: (a)-->(b) binds nothing new; a pattern
 * comprehension binds its new variables for its own body. */
static int
check_pattern_expr(sema *s, cy_expr *e)
{
	size_t mark = s->nvars;
	int ctx = e->e_kind == CY_E_PATTERN ? PAT_EXPR : PAT_COMP;
	int save_ok = s->agg_ok, rc = -1;
	const char *save_where = s->agg_where;
	s->agg_ok = 0;
	s->agg_where = "a pattern";
	if (bind_path(s, e->u.pat.path, ctx) < 0
	    || check_path_props(s, e->u.pat.path, ctx) < 0)
		goto out;
	if (check_where_proj(s, e->u.pat.where, e->u.pat.proj) < 0)
		goto out;
	rc = e->e_kind == CY_E_PATCOMP ? TY_LIST
	    : e->u.pat.path->pa_shortest == CY_SP_SHORTEST ? TY_PATH : TY_ANY;
out:
	scope_pop(s, mark);
	s->agg_ok = save_ok;
	s->agg_where = save_where;
	return rc;
}

/* ---- clauses ---- */

/* An expression where aggregates are not allowed. */
int
check_plain(sema *s, cy_expr *e, const char *where)
{
	int save_ok = s->agg_ok;
	const char *save_where = s->agg_where;
	s->agg_ok = 0;
	s->agg_where = where;
	int t = check_expr(s, e);
	s->agg_ok = save_ok;
	s->agg_where = save_where;
	return t;
}

int
check_where(sema *s, cy_expr *e)
{
	s->pred = 1;
	int t = check_plain(s, e, "WHERE");
	if (t < 0)
		return -1;
	return check_bool_operand(s, e, t, "WHERE");
}

static int
check_match(sema *s, cy_clause *c)
{
	for (size_t i = 0; i < c->u.match.npaths; i++)
		if (bind_path(s, c->u.match.paths[i], PAT_MATCH) < 0)
			return -1;
	s->agg_ok = 0;
	s->agg_where = "MATCH";
	for (size_t i = 0; i < c->u.match.npaths; i++)
		if (check_path_props(s, c->u.match.paths[i], PAT_MATCH) < 0)
			return -1;
	if (c->u.match.where && check_where(s, c->u.match.where) < 0)
		return -1;
	return 0;
}

static int
check_create(sema *s, cy_path **paths, size_t n, int ctx)
{
	for (size_t i = 0; i < n; i++)
		if (bind_path(s, paths[i], ctx) < 0)
			return -1;
	s->agg_ok = 0;
	s->agg_where = pat_clause[ctx];
	for (size_t i = 0; i < n; i++)
		if (check_path_props(s, paths[i], ctx) < 0)
			return -1;
	return 0;
}

/* The target of SET/REMOVE n:L, n = m, n += m must be a node or
 * relationship (or unknown). */
static int
check_entity(sema *s, cy_expr *target, int labels)
{
	int t = check_plain(s, target, "SET");
	if (t < 0)
		return -1;
	unsigned ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE) | (labels ? 0 : TB(TY_REL));
	if (!(ok & TB(t)))
		return FAIL_AT(s, target, CY_ERR_INVALID_ARGUMENT_TYPE,
		    "type mismatch: expected a node%s but `%s` is %s",
		    labels ? "" : " or relationship", target->u.var.name, type_names[t]);
	return 0;
}

static int
check_set_items(sema *s, cy_set_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cy_set_item *si = &items[i];
		switch (si->si_kind) {
		case CY_SET_PROP:
		case CY_REMOVE_PROP: {
			cy_expr *obj = si->si_target->u.prop.obj;
			int t = check_plain(s, obj, "SET");
			if (t < 0)
				return -1;
			if (!((TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE) | TB(TY_REL)) & TB(t)))
				return FAIL_AT(s, si->si_target, CY_ERR_INVALID_ARGUMENT_TYPE,
				    "type mismatch: can only set properties of nodes and "
				    "relationships, not of %s", type_names[t]);
			break;
		}
		case CY_SET_REPLACE:
		case CY_SET_MERGE:
			if (check_entity(s, si->si_target, 0) < 0)
				return -1;
			break;
		case CY_SET_LABELS:
		case CY_REMOVE_LABELS:
			if (check_entity(s, si->si_target, 1) < 0)
				return -1;
			break;
		}
		if (si->si_value) {
			int t = check_plain(s, si->si_value, "SET");
			if (t < 0)
				return -1;
			if ((si->si_kind == CY_SET_REPLACE || si->si_kind == CY_SET_MERGE)
			    && !((PROP_OK) & TB(t)))
				return FAIL_AT(s, si->si_value, CY_ERR_INVALID_ARGUMENT_TYPE,
				    "type mismatch: expected a map but was %s", type_names[t]);
		}
	}
	return 0;
}

static int
check_delete(sema *s, cy_clause *c)
{
	for (size_t i = 0; i < c->u.del.n; i++) {
		cy_expr *e = c->u.del.exprs[i];
		if (e->e_kind == CY_E_HASLABELS)
			return FAIL_AT(s, e, CY_ERR_INVALID_DELETE,
			    "DELETE removes nodes, relationships and paths; use "
			    "REMOVE to remove a label");
		int t = check_plain(s, e, "DELETE");
		if (t < 0)
			return -1;
		unsigned ok = TB(TY_ANY) | TB(TY_NULL) | TB(TY_NODE) | TB(TY_REL)
		    | TB(TY_PATH) | TB(TY_LIST) | TB(TY_RELLIST);
		if (!(ok & TB(t)))
			return FAIL_AT(s, e, CY_ERR_INVALID_ARGUMENT_TYPE,
			    "type mismatch: DELETE expects a node, relationship or "
			    "path but was %s", type_names[t]);
	}
	return 0;
}

static int
check_unwind(sema *s, cy_clause *c)
{
	int t = check_plain(s, c->u.unwind.expr, "UNWIND");
	if (t < 0)
		return -1;
	if (lookup(s, c->u.unwind.var))
		return fail(s, CY_ERR_VARIABLE_ALREADY_BOUND, c->c_line, c->c_col, 0,
		    "variable `%s` is already declared", c->u.unwind.var);
	c->u.unwind.slot = declare(s, c->u.unwind.var, t == TY_RELLIST ? TY_REL : TY_ANY);
	return c->u.unwind.slot < 0 ? -1 : 0;
}


/* ---- queries and statements ---- */

static int
is_updating(int kind)
{
	return kind == CY_C_CREATE || kind == CY_C_MERGE || kind == CY_C_SET
	    || kind == CY_C_REMOVE || kind == CY_C_DELETE;
}

static const char *const clause_names[] = {
	[CY_C_MATCH] = "MATCH", [CY_C_UNWIND] = "UNWIND", [CY_C_WITH] = "WITH",
	[CY_C_RETURN] = "RETURN", [CY_C_CREATE] = "CREATE", [CY_C_MERGE] = "MERGE",
	[CY_C_SET] = "SET", [CY_C_REMOVE] = "REMOVE", [CY_C_DELETE] = "DELETE",
};

static int
check_query(sema *s, cy_stmt *st, cy_query *q, int in_union)
{
	int updated = 0;       /* an update since the last WITH */
	int last_update = -1;
	s->q = q;
	s->nslots = 0;
	s->slot_cap = 0;
	scope_keep_last(s, 0);
	s->naggs = 0;
	q->q_slot_names = NULL;
	q->q_nslots = 0;
	for (size_t i = 0; i < q->q_n; i++) {
		cy_clause *c = q->q_clauses[i];
		s->clause = (int)i + 1;
		s->agg_ok = 0;
		s->agg_where = clause_names[c->c_kind];
		if (c->c_kind == CY_C_RETURN && i + 1 < q->q_n)
			return fail(s, CY_ERR_INVALID_CLAUSE_COMPOSITION, c->c_line,
			    c->c_col, 0, "RETURN can only be used at the end of a query");
		if ((c->c_kind == CY_C_MATCH || c->c_kind == CY_C_UNWIND) && updated)
			return fail(s, CY_ERR_INVALID_CLAUSE_COMPOSITION, c->c_line,
			    c->c_col, 0, "%s cannot follow %s without a WITH in between",
			    clause_names[c->c_kind], clause_names[last_update]);
		int rc = 0;
		switch (c->c_kind) {
		case CY_C_MATCH:
			rc = check_match(s, c);
			break;
		case CY_C_UNWIND:
			rc = check_unwind(s, c);
			break;
		case CY_C_WITH:
		case CY_C_RETURN:
			rc = check_projection(s, c, c->c_kind == CY_C_RETURN);
			break;
		case CY_C_CREATE:
			rc = check_create(s, c->u.create.paths, c->u.create.npaths, PAT_CREATE);
			break;
		case CY_C_MERGE:
			rc = check_create(s, &c->u.merge.path, 1, PAT_MERGE);
			if (rc == 0)
				rc = check_set_items(s, c->u.merge.on_create, c->u.merge.non_create);
			if (rc == 0)
				rc = check_set_items(s, c->u.merge.on_match, c->u.merge.non_match);
			break;
		case CY_C_SET:
		case CY_C_REMOVE:
			rc = check_set_items(s, c->u.set.items, c->u.set.n);
			break;
		case CY_C_DELETE:
			rc = check_delete(s, c);
			break;
		}
		if (rc < 0)
			return -1;
		if (is_updating(c->c_kind)) {
			updated = 1;
			last_update = c->c_kind;
			st->st_updating = 1;
		} else if (c->c_kind == CY_C_WITH) {
			updated = 0;
		}
	}
	cy_clause *last = q->q_clauses[q->q_n - 1];
	if (last->c_kind == CY_C_RETURN)
		return 0;
	if (in_union)
		return fail(s, CY_ERR_INVALID_CLAUSE_COMPOSITION, last->c_line,
		    last->c_col, 0, "each query of a UNION must end with RETURN");
	if (!is_updating(last->c_kind))
		return fail(s, CY_ERR_INVALID_CLAUSE_COMPOSITION, last->c_line,
		    last->c_col, 0, "a query cannot end with %s, it must end with "
		    "RETURN or an updating clause", clause_names[last->c_kind]);
	return 0;
}

static int
check_stmt(sema *s, cy_stmt *st)
{
	st->st_columns = NULL;
	st->st_ncolumns = 0;
	for (size_t i = 0; i < st->st_nparts; i++) {
		cy_query *q = st->st_parts[i];
		if (check_query(s, st, q, st->st_nparts > 1) < 0)
			return -1;
		cy_clause *last = q->q_clauses[q->q_n - 1];
		if (last->c_kind != CY_C_RETURN)
			continue;
		cy_projection *pr = &last->u.proj;
		if (i == 0) {
			st->st_columns = cy_arena_alloc(s->a, (pr->pr_nitems + 1) * sizeof(char *));
			if (st->st_columns == NULL)
				return nomem(s);
			for (size_t k = 0; k < pr->pr_nitems; k++)
				st->st_columns[k] = pr->pr_items[k].pi_name;
			st->st_ncolumns = pr->pr_nitems;
			continue;
		}
		int same = pr->pr_nitems == st->st_ncolumns;
		for (size_t k = 0; same && k < pr->pr_nitems; k++)
			same = strcmp(pr->pr_items[k].pi_name, st->st_columns[k]) == 0;
		if (!same)
			return fail(s, CY_ERR_DIFFERENT_COLUMNS_IN_UNION, q->q_line,
			    q->q_col, 0, "all queries of a UNION must return the same "
			    "column names in the same order");
	}
	return 0;
}

int
cy_check(cy_script *script, cy_error *err)
{
	if (script->sc_checked)
		return CY_OK;
	sema s;
	memset(&s, 0, sizeof s);
	s.sc = script;
	s.a = script->sc_arena;
	s.err = err;
	for (size_t i = 0; i < script->sc_n; i++)
		if (check_stmt(&s, script->sc_stmts[i]) < 0)
			return err ? err->code : CY_ESEMANTIC;
	script->sc_checked = 1;
	return CY_OK;
}
