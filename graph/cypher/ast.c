/*
 * ast.c: what the front end's stages share about the tree: the arena that
 * owns it, error reporting, walking, comparing and copying expressions, and
 * the S-expression form the tests and the cyparse tool print.
 */
#define CY_INTERNAL
#include "parse.h"
#include "ascii.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the script's arena (arena.c) ---- */

void *
cy_script_alloc(cy_script *script, size_t n)
{
	return cy_arena_alloc(script->sc_arena, n);
}

void
cy_script_free(cy_script *script)
{
	if (script == NULL)
		return;
	/* The script itself lives in its arena. */
	cy_arena_free(script->sc_arena);
}

/* ---- errors ---- */

int
cy_error_set(cy_error *err, int code, int kind, uint32_t line, uint32_t col,
    size_t off, const char *fmt, ...)
{
	if (err == NULL)
		return code;
	err->code = code;
	err->kind = kind;
	err->line = line;
	err->column = col;
	err->offset = off;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return code;
}

static const char *const errkind_names[] = {
	[CY_ERR_NONE] = "None",
	[CY_ERR_UNEXPECTED_SYNTAX] = "UnexpectedSyntax",
	[CY_ERR_INVALID_NUMBER_LITERAL] = "InvalidNumberLiteral",
	[CY_ERR_INTEGER_OVERFLOW] = "IntegerOverflow",
	[CY_ERR_FLOAT_OVERFLOW] = "FloatingPointOverflow",
	[CY_ERR_INVALID_UNICODE_LITERAL] = "InvalidUnicodeLiteral",
	[CY_ERR_INVALID_UNICODE_CHARACTER] = "InvalidUnicodeCharacter",
	[CY_ERR_INVALID_RELATIONSHIP_PATTERN] = "InvalidRelationshipPattern",
	[CY_ERR_TOO_DEEP] = "TooDeeplyNested",
	[CY_ERR_UNDEFINED_VARIABLE] = "UndefinedVariable",
	[CY_ERR_VARIABLE_TYPE_CONFLICT] = "VariableTypeConflict",
	[CY_ERR_VARIABLE_ALREADY_BOUND] = "VariableAlreadyBound",
	[CY_ERR_RELATIONSHIP_UNIQUENESS] = "RelationshipUniquenessViolation",
	[CY_ERR_INVALID_AGGREGATION] = "InvalidAggregation",
	[CY_ERR_NESTED_AGGREGATION] = "NestedAggregation",
	[CY_ERR_AMBIGUOUS_AGGREGATION] = "AmbiguousAggregationExpression",
	[CY_ERR_NON_CONSTANT_EXPRESSION] = "NonConstantExpression",
	[CY_ERR_NEGATIVE_INTEGER_ARGUMENT] = "NegativeIntegerArgument",
	[CY_ERR_INVALID_ARGUMENT_TYPE] = "InvalidArgumentType",
	[CY_ERR_COLUMN_NAME_CONFLICT] = "ColumnNameConflict",
	[CY_ERR_NO_VARIABLES_IN_SCOPE] = "NoVariablesInScope",
	[CY_ERR_NO_EXPRESSION_ALIAS] = "NoExpressionAlias",
	[CY_ERR_NO_SINGLE_RELATIONSHIP_TYPE] = "NoSingleRelationshipType",
	[CY_ERR_REQUIRES_DIRECTED_RELATIONSHIP] = "RequiresDirectedRelationship",
	[CY_ERR_CREATING_VAR_LENGTH] = "CreatingVarLength",
	[CY_ERR_INVALID_PARAMETER_USE] = "InvalidParameterUse",
	[CY_ERR_INVALID_DELETE] = "InvalidDelete",
	[CY_ERR_UNKNOWN_FUNCTION] = "UnknownFunction",
	[CY_ERR_INVALID_NUMBER_OF_ARGUMENTS] = "InvalidNumberOfArguments",
	[CY_ERR_INVALID_CLAUSE_COMPOSITION] = "InvalidClauseComposition",
	[CY_ERR_DIFFERENT_COLUMNS_IN_UNION] = "DifferentColumnsInUnion",
	[CY_ERR_INVALID_UNION] = "InvalidClauseComposition",
	[CY_ERR_NO_MEMORY] = "OutOfMemory",
};

const char *
cy_errkind_name(int kind)
{
	if (kind < 0 || (size_t)kind >= sizeof errkind_names / sizeof *errkind_names
	    || errkind_names[kind] == NULL)
		return "Unknown";
	return errkind_names[kind];
}

/* snprintf-like appender used by cy_error_format. */
struct fmtbuf {
	char *buf;
	size_t n, len;
};

static void
fb_putc(struct fmtbuf *f, char c)
{
	if (f->len + 1 < f->n)
		f->buf[f->len] = c;
	f->len++;
}

int
cy_error_format(const cy_error *err, const char *text, size_t len, char *buf,
    size_t n)
{
	struct fmtbuf f = { buf, n, 0 };
	char head[64];
	if (err->line > 0) {
		snprintf(head, sizeof head, "line %u, column %u: ", err->line,
		    err->column);
		for (const char *p = head; *p; p++)
			fb_putc(&f, *p);
	}
	for (const char *p = err->message; *p; p++)
		fb_putc(&f, *p);
	if (err->line > 0 && text != NULL) {
		size_t off = err->offset > len ? len : err->offset;
		size_t start = off, end = off;
		while (start > 0 && text[start - 1] != '\n')
			start--;
		while (end < len && text[end] != '\n' && text[end] != '\r')
			end++;
		fb_putc(&f, '\n');
		for (size_t i = start; i < end; i++)
			fb_putc(&f, text[i]);
		fb_putc(&f, '\n');
		/* One blank per character before the column, tabs kept so the
		 * caret lines up in a terminal. */
		for (size_t i = start; i < off; i++) {
			unsigned char c = (unsigned char)text[i];
			if ((c & 0xC0) == 0x80)
				continue;
			fb_putc(&f, c == '\t' ? '\t' : ' ');
		}
		fb_putc(&f, '^');
	}
	if (n > 0)
		buf[f.len < n ? f.len : n - 1] = '\0';
	return (int)f.len;
}

/* ---- walking, comparing, copying ---- */

int
cy_path_exprs(cy_path *p, cy_child_fn fn, void *ctx)
{
	int rc;
	for (size_t i = 0; i < p->pa_nnodes; i++)
		if (p->pa_nodes[i].np_props
		    && (rc = fn(&p->pa_nodes[i].np_props, ctx)) != 0)
			return rc;
	for (size_t i = 0; i + 1 < p->pa_nnodes; i++)
		if (p->pa_rels[i].rp_props
		    && (rc = fn(&p->pa_rels[i].rp_props, ctx)) != 0)
			return rc;
	return 0;
}

#define VISIT(x) do { if ((x) && (rc = fn(&(x), ctx)) != 0) return rc; } while (0)

int
cy_expr_children(cy_expr *e, cy_child_fn fn, void *ctx)
{
	int rc;
	switch (e->e_kind) {
	case CY_E_LIST:
		for (size_t i = 0; i < e->u.list.n; i++)
			VISIT(e->u.list.items[i]);
		break;
	case CY_E_MAP:
		for (size_t i = 0; i < e->u.map.n; i++)
			VISIT(e->u.map.vals[i]);
		break;
	case CY_E_PROP:
		VISIT(e->u.prop.obj);
		break;
	case CY_E_INDEX:
		VISIT(e->u.index.obj);
		VISIT(e->u.index.idx);
		break;
	case CY_E_SLICE:
		VISIT(e->u.slice.obj);
		VISIT(e->u.slice.from);
		VISIT(e->u.slice.to);
		break;
	case CY_E_HASLABELS:
		VISIT(e->u.labels.obj);
		break;
	case CY_E_CALL:
		for (size_t i = 0; i < e->u.call.n; i++)
			VISIT(e->u.call.args[i]);
		break;
	case CY_E_CASE:
		VISIT(e->u.kase.subject);
		for (size_t i = 0; i < e->u.kase.n; i++) {
			VISIT(e->u.kase.whens[i]);
			VISIT(e->u.kase.thens[i]);
		}
		VISIT(e->u.kase.els);
		break;
	case CY_E_UNARY:
		VISIT(e->u.bin.a);
		break;
	case CY_E_BINARY:
		VISIT(e->u.bin.a);
		VISIT(e->u.bin.b);
		break;
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
		VISIT(e->u.comp.src);
		VISIT(e->u.comp.where);
		VISIT(e->u.comp.proj);
		break;
	case CY_E_REDUCE:
		VISIT(e->u.reduce.init);
		VISIT(e->u.reduce.src);
		VISIT(e->u.reduce.body);
		break;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		if ((rc = cy_path_exprs(e->u.pat.path, fn, ctx)) != 0)
			return rc;
		VISIT(e->u.pat.where);
		VISIT(e->u.pat.proj);
		break;
	default:
		break;
	}
	return 0;
}

static int
streq_opt(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
strs_equal(char **a, size_t na, char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

static int
path_equal(const cy_path *a, const cy_path *b)
{
	if (a->pa_nnodes != b->pa_nnodes || a->pa_shortest != b->pa_shortest
	    || !streq_opt(a->pa_var, b->pa_var))
		return 0;
	for (size_t i = 0; i < a->pa_nnodes; i++) {
		const cy_node_pat *x = &a->pa_nodes[i], *y = &b->pa_nodes[i];
		if (!streq_opt(x->np_var, y->np_var)
		    || !strs_equal(x->np_labels, x->np_nlabels, y->np_labels, y->np_nlabels)
		    || !cy_expr_equal(x->np_props, y->np_props))
			return 0;
	}
	for (size_t i = 0; i + 1 < a->pa_nnodes; i++) {
		const cy_rel_pat *x = &a->pa_rels[i], *y = &b->pa_rels[i];
		if (!streq_opt(x->rp_var, y->rp_var) || x->rp_dir != y->rp_dir
		    || x->rp_varlen != y->rp_varlen || x->rp_min != y->rp_min
		    || x->rp_max != y->rp_max
		    || !strs_equal(x->rp_types, x->rp_ntypes, y->rp_types, y->rp_ntypes)
		    || !cy_expr_equal(x->rp_props, y->rp_props))
			return 0;
	}
	return 1;
}

int
cy_expr_equal(const cy_expr *a, const cy_expr *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->e_kind != b->e_kind || a->e_op != b->e_op)
		return 0;
	switch (a->e_kind) {
	case CY_E_NULL:
		return 1;
	case CY_E_BOOL:
		return a->u.b == b->u.b;
	case CY_E_INT:
		return a->u.i == b->u.i;
	case CY_E_FLOAT:
		return memcmp(&a->u.f, &b->u.f, sizeof(double)) == 0;
	case CY_E_STRING:
		return a->u.s.len == b->u.s.len
		    && memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	case CY_E_PARAM:
		return strcmp(a->u.param.name, b->u.param.name) == 0;
	case CY_E_VAR:
		return strcmp(a->u.var.name, b->u.var.name) == 0
		    && a->u.var.slot == b->u.var.slot;
	case CY_E_LIST:
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!cy_expr_equal(a->u.list.items[i], b->u.list.items[i]))
				return 0;
		return 1;
	case CY_E_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (size_t i = 0; i < a->u.map.n; i++)
			if (strcmp(a->u.map.keys[i], b->u.map.keys[i]) != 0
			    || !cy_expr_equal(a->u.map.vals[i], b->u.map.vals[i]))
				return 0;
		return 1;
	case CY_E_PROP:
		return strcmp(a->u.prop.key, b->u.prop.key) == 0
		    && cy_expr_equal(a->u.prop.obj, b->u.prop.obj);
	case CY_E_INDEX:
		return cy_expr_equal(a->u.index.obj, b->u.index.obj)
		    && cy_expr_equal(a->u.index.idx, b->u.index.idx);
	case CY_E_SLICE:
		return cy_expr_equal(a->u.slice.obj, b->u.slice.obj)
		    && cy_expr_equal(a->u.slice.from, b->u.slice.from)
		    && cy_expr_equal(a->u.slice.to, b->u.slice.to);
	case CY_E_HASLABELS:
		return strs_equal(a->u.labels.labels, a->u.labels.n,
		    b->u.labels.labels, b->u.labels.n)
		    && cy_expr_equal(a->u.labels.obj, b->u.labels.obj);
	case CY_E_CALL:
		if (!cy_ascii_ieq0(a->u.call.name, b->u.call.name)
		    || a->u.call.n != b->u.call.n
		    || a->u.call.distinct != b->u.call.distinct
		    || a->u.call.star != b->u.call.star)
			return 0;
		for (size_t i = 0; i < a->u.call.n; i++)
			if (!cy_expr_equal(a->u.call.args[i], b->u.call.args[i]))
				return 0;
		return 1;
	case CY_E_CASE:
		if (a->u.kase.n != b->u.kase.n
		    || !cy_expr_equal(a->u.kase.subject, b->u.kase.subject)
		    || !cy_expr_equal(a->u.kase.els, b->u.kase.els))
			return 0;
		for (size_t i = 0; i < a->u.kase.n; i++)
			if (!cy_expr_equal(a->u.kase.whens[i], b->u.kase.whens[i])
			    || !cy_expr_equal(a->u.kase.thens[i], b->u.kase.thens[i]))
				return 0;
		return 1;
	case CY_E_UNARY:
		return cy_expr_equal(a->u.bin.a, b->u.bin.a);
	case CY_E_BINARY:
		return cy_expr_equal(a->u.bin.a, b->u.bin.a)
		    && cy_expr_equal(a->u.bin.b, b->u.bin.b);
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
		return strcmp(a->u.comp.var, b->u.comp.var) == 0
		    && a->u.comp.slot == b->u.comp.slot
		    && cy_expr_equal(a->u.comp.src, b->u.comp.src)
		    && cy_expr_equal(a->u.comp.where, b->u.comp.where)
		    && cy_expr_equal(a->u.comp.proj, b->u.comp.proj);
	case CY_E_REDUCE:
		return strcmp(a->u.reduce.acc, b->u.reduce.acc) == 0
		    && strcmp(a->u.reduce.var, b->u.reduce.var) == 0
		    && a->u.reduce.slot == b->u.reduce.slot
		    && a->u.reduce.acc_slot == b->u.reduce.acc_slot
		    && cy_expr_equal(a->u.reduce.init, b->u.reduce.init)
		    && cy_expr_equal(a->u.reduce.src, b->u.reduce.src)
		    && cy_expr_equal(a->u.reduce.body, b->u.reduce.body);
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		return path_equal(a->u.pat.path, b->u.pat.path)
		    && cy_expr_equal(a->u.pat.where, b->u.pat.where)
		    && cy_expr_equal(a->u.pat.proj, b->u.pat.proj);
	}
	return 0;
}

struct copy_ctx {
	cy_arena *a;
	int failed;
};

static int
copy_child(cy_expr **child, void *ctx)
{
	struct copy_ctx *c = ctx;
	cy_expr *n = cy_expr_copy(c->a, *child);
	if (n == NULL) {
		c->failed = 1;
		return 1;
	}
	*child = n;
	return 0;
}

cy_path *
cy_path_copy(cy_arena *a, const cy_path *p)
{
	cy_path *n = cy_arena_alloc(a, sizeof *n);
	if (n == NULL)
		return NULL;
	*n = *p;
	n->pa_nodes = cy_arena_grow(a, p->pa_nodes, p->pa_nnodes, p->pa_nnodes,
	    sizeof *p->pa_nodes);
	n->pa_rels = cy_arena_grow(a, p->pa_rels, p->pa_nnodes - 1,
	    p->pa_nnodes, sizeof *p->pa_rels);
	if (n->pa_nodes == NULL || n->pa_rels == NULL)
		return NULL;
	struct copy_ctx c = { a, 0 };
	cy_path_exprs(n, copy_child, &c);
	return c.failed ? NULL : n;
}

/* Copies the node and its arrays; strings are shared (they are never
 * changed after parsing). */
cy_expr *
cy_expr_copy(cy_arena *a, const cy_expr *e)
{
	cy_expr *n = cy_arena_alloc(a, sizeof *n);
	if (n == NULL)
		return NULL;
	*n = *e;
	switch (e->e_kind) {
	case CY_E_LIST:
		n->u.list.items = cy_arena_grow(a, e->u.list.items, e->u.list.n,
		    e->u.list.n, sizeof(cy_expr *));
		if (n->u.list.items == NULL)
			return NULL;
		break;
	case CY_E_MAP:
		n->u.map.vals = cy_arena_grow(a, e->u.map.vals, e->u.map.n,
		    e->u.map.n, sizeof(cy_expr *));
		if (n->u.map.vals == NULL)
			return NULL;
		break;
	case CY_E_CALL:
		n->u.call.args = cy_arena_grow(a, e->u.call.args, e->u.call.n,
		    e->u.call.n, sizeof(cy_expr *));
		if (n->u.call.args == NULL)
			return NULL;
		break;
	case CY_E_CASE:
		n->u.kase.whens = cy_arena_grow(a, e->u.kase.whens, e->u.kase.n,
		    e->u.kase.n, sizeof(cy_expr *));
		n->u.kase.thens = cy_arena_grow(a, e->u.kase.thens, e->u.kase.n,
		    e->u.kase.n, sizeof(cy_expr *));
		if (n->u.kase.whens == NULL || n->u.kase.thens == NULL)
			return NULL;
		break;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		n->u.pat.path = cy_path_copy(a, e->u.pat.path);
		if (n->u.pat.path == NULL)
			return NULL;
		/* The path's expressions are copied; only where/proj remain. */
		{
			struct copy_ctx c = { a, 0 };
			if (n->u.pat.where)
				copy_child(&n->u.pat.where, &c);
			if (n->u.pat.proj)
				copy_child(&n->u.pat.proj, &c);
			return c.failed ? NULL : n;
		}
	default:
		break;
	}
	struct copy_ctx c = { a, 0 };
	cy_expr_children(n, copy_child, &c);
	return c.failed ? NULL : n;
}

int
cy_expr_is_literal(const cy_expr *e)
{
	switch (e->e_kind) {
	case CY_E_NULL:
	case CY_E_BOOL:
	case CY_E_INT:
	case CY_E_FLOAT:
	case CY_E_STRING:
		return 1;
	case CY_E_LIST:
		for (size_t i = 0; i < e->u.list.n; i++)
			if (!cy_expr_is_literal(e->u.list.items[i]))
				return 0;
		return 1;
	case CY_E_MAP:
		for (size_t i = 0; i < e->u.map.n; i++)
			if (!cy_expr_is_literal(e->u.map.vals[i]))
				return 0;
		return 1;
	default:
		return 0;
	}
}

/* ---- S-expressions ---- */

struct sbuf {
	char *p;
	size_t len, cap;
	int failed;
	unsigned flags;
};

static void
sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

static void
sb_fmt(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
sb_fmt(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A string as a double-quoted literal with C-like escapes. */
static void
sb_quoted(struct sbuf *b, const char *s, size_t n)
{
	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sb_str(b, "\\\""); break;
		case '\\': sb_str(b, "\\\\"); break;
		case '\n': sb_str(b, "\\n"); break;
		case '\t': sb_str(b, "\\t"); break;
		case '\r': sb_str(b, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				sb_fmt(b, "\\u%04x", c);
			else
				sb_put(b, (const char *)&c, 1);
		}
	}
	sb_put(b, "\"", 1);
}

/* A name printed bare when it is a plain identifier, else backquoted. */
static void
sb_name(struct sbuf *b, const char *s)
{
	int plain = *s != '\0' && !(*s >= '0' && *s <= '9');
	for (const char *p = s; *p && plain; p++) {
		unsigned char c = (unsigned char)*p;
		if (!(c == '_' || c >= 0x80 || (c >= '0' && c <= '9')
		    || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
			plain = 0;
	}
	if (plain) {
		sb_str(b, s);
		return;
	}
	sb_put(b, "`", 1);
	for (const char *p = s; *p; p++) {
		if (*p == '`')
			sb_put(b, "`", 1);
		sb_put(b, p, 1);
	}
	sb_put(b, "`", 1);
}

static void
sb_double(struct sbuf *b, double d)
{
	char tmp[40];
	if (isnan(d)) {
		sb_str(b, "NaN");
		return;
	}
	if (isinf(d)) {
		sb_str(b, d > 0 ? "Infinity" : "-Infinity");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* The C library may use a decimal comma in some locales. */
	for (char *p = tmp; *p; p++)
		if (*p == ',')
			*p = '.';
	sb_str(b, tmp);
	if (strpbrk(tmp, ".e") == NULL)
		sb_str(b, ".0");
}

static const char *const op_names[] = {
	[CY_OP_OR] = "or", [CY_OP_XOR] = "xor", [CY_OP_AND] = "and",
	[CY_OP_NOT] = "not", [CY_OP_EQ] = "=", [CY_OP_NE] = "<>",
	[CY_OP_LT] = "<", [CY_OP_GT] = ">", [CY_OP_LE] = "<=", [CY_OP_GE] = ">=",
	[CY_OP_IN] = "in", [CY_OP_STARTS_WITH] = "starts-with",
	[CY_OP_ENDS_WITH] = "ends-with", [CY_OP_CONTAINS] = "contains",
	[CY_OP_REGEX] = "=~", [CY_OP_IS_NULL] = "is-null",
	[CY_OP_IS_NOT_NULL] = "is-not-null", [CY_OP_ADD] = "+",
	[CY_OP_SUB] = "-", [CY_OP_MUL] = "*", [CY_OP_DIV] = "/",
	[CY_OP_MOD] = "%", [CY_OP_POW] = "^", [CY_OP_NEG] = "neg",
	[CY_OP_POS] = "pos",
};

static const char *const quant_names[] = { "all", "any", "none", "single" };

static void sx_expr(struct sbuf *b, const cy_expr *e);
static void sx_path(struct sbuf *b, const cy_path *p);

static void
sx_slot(struct sbuf *b, int slot)
{
	if ((b->flags & CY_SEXPR_SLOTS) && slot >= 0)
		sb_fmt(b, "@%d", slot);
}

static void
sx_opt(struct sbuf *b, const cy_expr *e)
{
	sb_put(b, " ", 1);
	if (e)
		sx_expr(b, e);
	else
		sb_put(b, "_", 1);
}

static void
sx_expr(struct sbuf *b, const cy_expr *e)
{
	switch (e->e_kind) {
	case CY_E_NULL: sb_str(b, "null"); break;
	case CY_E_BOOL: sb_str(b, e->u.b ? "true" : "false"); break;
	case CY_E_INT: sb_fmt(b, "%lld", (long long)e->u.i); break;
	case CY_E_FLOAT: sb_double(b, e->u.f); break;
	case CY_E_STRING: sb_quoted(b, e->u.s.ptr, e->u.s.len); break;
	case CY_E_PARAM:
		sb_str(b, "$");
		if (strspn(e->u.param.name, "0123456789") == strlen(e->u.param.name))
			sb_str(b, e->u.param.name);
		else
			sb_name(b, e->u.param.name);
		break;
	case CY_E_VAR:
		sb_name(b, e->u.var.name);
		sx_slot(b, e->u.var.slot);
		break;
	case CY_E_LIST:
		sb_str(b, "(list");
		for (size_t i = 0; i < e->u.list.n; i++) {
			sb_str(b, " ");
			sx_expr(b, e->u.list.items[i]);
		}
		sb_str(b, ")");
		break;
	case CY_E_MAP:
		sb_str(b, "(map");
		for (size_t i = 0; i < e->u.map.n; i++) {
			sb_str(b, " (");
			sb_name(b, e->u.map.keys[i]);
			sb_str(b, " ");
			sx_expr(b, e->u.map.vals[i]);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	case CY_E_PROP:
		sb_str(b, "(. ");
		sx_expr(b, e->u.prop.obj);
		sb_str(b, " ");
		sb_name(b, e->u.prop.key);
		sb_str(b, ")");
		break;
	case CY_E_INDEX:
		sb_str(b, "([] ");
		sx_expr(b, e->u.index.obj);
		sb_str(b, " ");
		sx_expr(b, e->u.index.idx);
		sb_str(b, ")");
		break;
	case CY_E_SLICE:
		sb_str(b, "([..] ");
		sx_expr(b, e->u.slice.obj);
		sx_opt(b, e->u.slice.from);
		sx_opt(b, e->u.slice.to);
		sb_str(b, ")");
		break;
	case CY_E_HASLABELS:
		sb_str(b, "(: ");
		sx_expr(b, e->u.labels.obj);
		for (size_t i = 0; i < e->u.labels.n; i++) {
			sb_str(b, " ");
			sb_name(b, e->u.labels.labels[i]);
		}
		sb_str(b, ")");
		break;
	case CY_E_CALL:
		sb_str(b, "(call ");
		sb_str(b, e->u.call.name);
		if (e->u.call.distinct)
			sb_str(b, " distinct");
		if (e->u.call.star)
			sb_str(b, " *");
		for (size_t i = 0; i < e->u.call.n; i++) {
			sb_str(b, " ");
			sx_expr(b, e->u.call.args[i]);
		}
		sb_str(b, ")");
		sx_slot(b, e->u.call.fn && e->u.call.fn->fn_agg ? e->u.call.agg_slot : -1);
		break;
	case CY_E_CASE:
		sb_str(b, "(case");
		if (e->u.kase.subject) {
			sb_str(b, " ");
			sx_expr(b, e->u.kase.subject);
		}
		for (size_t i = 0; i < e->u.kase.n; i++) {
			sb_str(b, " (when ");
			sx_expr(b, e->u.kase.whens[i]);
			sb_str(b, " ");
			sx_expr(b, e->u.kase.thens[i]);
			sb_str(b, ")");
		}
		if (e->u.kase.els) {
			sb_str(b, " (else ");
			sx_expr(b, e->u.kase.els);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	case CY_E_UNARY:
	case CY_E_BINARY:
		sb_str(b, "(");
		sb_str(b, op_names[e->e_op]);
		sb_str(b, " ");
		sx_expr(b, e->u.bin.a);
		if (e->e_kind == CY_E_BINARY) {
			sb_str(b, " ");
			sx_expr(b, e->u.bin.b);
		}
		sb_str(b, ")");
		break;
	case CY_E_LISTCOMP:
	case CY_E_QUANT:
		sb_str(b, e->e_kind == CY_E_LISTCOMP ? "(listcomp "
		    : "(");
		if (e->e_kind == CY_E_QUANT) {
			sb_str(b, quant_names[e->e_op & 3]);
			sb_str(b, " ");
		}
		sb_name(b, e->u.comp.var);
		sx_slot(b, e->u.comp.slot);
		sb_str(b, " ");
		sx_expr(b, e->u.comp.src);
		if (e->u.comp.where) {
			sb_str(b, " (where ");
			sx_expr(b, e->u.comp.where);
			sb_str(b, ")");
		}
		if (e->u.comp.proj) {
			sb_str(b, " (project ");
			sx_expr(b, e->u.comp.proj);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	case CY_E_REDUCE:
		sb_str(b, "(reduce ");
		sb_name(b, e->u.reduce.acc);
		sx_slot(b, e->u.reduce.acc_slot);
		sb_str(b, " ");
		sx_expr(b, e->u.reduce.init);
		sb_str(b, " ");
		sb_name(b, e->u.reduce.var);
		sx_slot(b, e->u.reduce.slot);
		sb_str(b, " ");
		sx_expr(b, e->u.reduce.src);
		sb_str(b, " ");
		sx_expr(b, e->u.reduce.body);
		sb_str(b, ")");
		break;
	case CY_E_PATTERN:
	case CY_E_PATCOMP:
		sb_str(b, e->e_kind == CY_E_PATTERN ? "(pattern " : "(patcomp ");
		sx_path(b, e->u.pat.path);
		if (e->u.pat.where) {
			sb_str(b, " (where ");
			sx_expr(b, e->u.pat.where);
			sb_str(b, ")");
		}
		if (e->u.pat.proj) {
			sb_str(b, " (project ");
			sx_expr(b, e->u.pat.proj);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	}
}

static void
sx_names(struct sbuf *b, char **names, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		sb_str(b, i == 0 ? ":" : sep);
		sb_name(b, names[i]);
	}
}

static void
sx_path(struct sbuf *b, const cy_path *p)
{
	sb_str(b, "(path");
	if (p->pa_var) {
		sb_str(b, " ");
		sb_name(b, p->pa_var);
		sx_slot(b, p->pa_slot);
	}
	if (p->pa_shortest == CY_SP_SHORTEST)
		sb_str(b, " shortest");
	else if (p->pa_shortest == CY_SP_ALL)
		sb_str(b, " all-shortest");
	for (size_t i = 0; i < p->pa_nnodes; i++) {
		const cy_node_pat *np = &p->pa_nodes[i];
		sb_str(b, " (node");
		if (np->np_var) {
			sb_str(b, " ");
			sb_name(b, np->np_var);
		}
		if ((b->flags & CY_SEXPR_SLOTS) && np->np_slot >= 0)
			sb_fmt(b, "%s@%d%s", np->np_var ? "" : " ", np->np_slot,
			    np->np_new ? "" : "!");
		if (np->np_nlabels) {
			sb_str(b, " ");
			sx_names(b, np->np_labels, np->np_nlabels, ":");
		}
		if (np->np_props) {
			sb_str(b, " ");
			sx_expr(b, np->np_props);
		}
		sb_str(b, ")");
		if (i + 1 == p->pa_nnodes)
			break;
		const cy_rel_pat *rp = &p->pa_rels[i];
		sb_str(b, " (rel");
		if (rp->rp_var) {
			sb_str(b, " ");
			sb_name(b, rp->rp_var);
		}
		if ((b->flags & CY_SEXPR_SLOTS) && rp->rp_slot >= 0)
			sb_fmt(b, "%s@%d%s", rp->rp_var ? "" : " ", rp->rp_slot,
			    rp->rp_new ? "" : "!");
		if (rp->rp_ntypes) {
			sb_str(b, " ");
			sx_names(b, rp->rp_types, rp->rp_ntypes, "|");
		}
		sb_str(b, rp->rp_dir == CY_DIR_RIGHT ? " ->"
		    : rp->rp_dir == CY_DIR_LEFT ? " <-" : " --");
		if (rp->rp_varlen) {
			if (rp->rp_max < 0)
				sb_fmt(b, " *%lld..", (long long)rp->rp_min);
			else
				sb_fmt(b, " *%lld..%lld", (long long)rp->rp_min,
				    (long long)rp->rp_max);
		}
		if (rp->rp_props) {
			sb_str(b, " ");
			sx_expr(b, rp->rp_props);
		}
		sb_str(b, ")");
	}
	sb_str(b, ")");
}

static void
sx_set_items(struct sbuf *b, const cy_set_item *items, size_t n)
{
	static const char *const names[] = {
		[CY_SET_PROP] = "set-prop", [CY_SET_REPLACE] = "set-all",
		[CY_SET_MERGE] = "set-merge", [CY_SET_LABELS] = "set-labels",
		[CY_REMOVE_PROP] = "remove-prop",
		[CY_REMOVE_LABELS] = "remove-labels",
	};
	for (size_t i = 0; i < n; i++) {
		const cy_set_item *si = &items[i];
		sb_str(b, " (");
		sb_str(b, names[si->si_kind]);
		sb_str(b, " ");
		sx_expr(b, si->si_target);
		if (si->si_value) {
			sb_str(b, " ");
			sx_expr(b, si->si_value);
		}
		if (si->si_nlabels) {
			sb_str(b, " ");
			sx_names(b, si->si_labels, si->si_nlabels, ":");
		}
		sb_str(b, ")");
	}
}

static void
sx_projection(struct sbuf *b, const cy_clause *c)
{
	const cy_projection *pr = &c->u.proj;
	sb_str(b, c->c_kind == CY_C_WITH ? "(with" : "(return");
	if (pr->pr_distinct)
		sb_str(b, " distinct");
	if (pr->pr_star)
		sb_str(b, " *");
	for (size_t i = 0; i < pr->pr_nitems; i++) {
		const cy_proj_item *it = &pr->pr_items[i];
		if (it->pi_star)
			continue;
		sb_str(b, " (item ");
		sx_expr(b, it->pi_expr);
		sb_str(b, " ");
		sb_quoted(b, it->pi_name, strlen(it->pi_name));
		sx_slot(b, it->pi_slot);
		sb_str(b, ")");
	}
	if (pr->pr_norder) {
		sb_str(b, " (order");
		for (size_t i = 0; i < pr->pr_norder; i++) {
			sb_str(b, pr->pr_order[i].so_desc ? " (desc " : " (asc ");
			sx_expr(b, pr->pr_order[i].so_expr);
			sb_str(b, ")");
		}
		sb_str(b, ")");
	}
	if (pr->pr_skip) {
		sb_str(b, " (skip ");
		sx_expr(b, pr->pr_skip);
		sb_str(b, ")");
	}
	if (pr->pr_limit) {
		sb_str(b, " (limit ");
		sx_expr(b, pr->pr_limit);
		sb_str(b, ")");
	}
	if (pr->pr_where) {
		sb_str(b, " (where ");
		sx_expr(b, pr->pr_where);
		sb_str(b, ")");
	}
	sb_str(b, ")");
}

static void
sx_paths(struct sbuf *b, cy_path *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_str(b, " ");
		sx_path(b, paths[i]);
	}
}

static void
sx_clause(struct sbuf *b, const cy_clause *c)
{
	switch (c->c_kind) {
	case CY_C_MATCH:
		sb_str(b, c->u.match.optional ? "(optional-match" : "(match");
		sx_paths(b, c->u.match.paths, c->u.match.npaths);
		if (c->u.match.where) {
			sb_str(b, " (where ");
			sx_expr(b, c->u.match.where);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	case CY_C_UNWIND:
		sb_str(b, "(unwind ");
		sx_expr(b, c->u.unwind.expr);
		sb_str(b, " ");
		sb_name(b, c->u.unwind.var);
		sx_slot(b, c->u.unwind.slot);
		sb_str(b, ")");
		break;
	case CY_C_WITH:
	case CY_C_RETURN:
		sx_projection(b, c);
		break;
	case CY_C_CREATE:
		sb_str(b, "(create");
		sx_paths(b, c->u.create.paths, c->u.create.npaths);
		sb_str(b, ")");
		break;
	case CY_C_MERGE:
		sb_str(b, "(merge ");
		sx_path(b, c->u.merge.path);
		if (c->u.merge.non_create) {
			sb_str(b, " (on-create");
			sx_set_items(b, c->u.merge.on_create, c->u.merge.non_create);
			sb_str(b, ")");
		}
		if (c->u.merge.non_match) {
			sb_str(b, " (on-match");
			sx_set_items(b, c->u.merge.on_match, c->u.merge.non_match);
			sb_str(b, ")");
		}
		sb_str(b, ")");
		break;
	case CY_C_SET:
	case CY_C_REMOVE:
		sb_str(b, c->c_kind == CY_C_SET ? "(set" : "(remove");
		sx_set_items(b, c->u.set.items, c->u.set.n);
		sb_str(b, ")");
		break;
	case CY_C_DELETE:
		sb_str(b, c->u.del.detach ? "(detach-delete" : "(delete");
		for (size_t i = 0; i < c->u.del.n; i++) {
			sb_str(b, " ");
			sx_expr(b, c->u.del.exprs[i]);
		}
		sb_str(b, ")");
		break;
	}
}

static void
sx_stmt(struct sbuf *b, const cy_stmt *st)
{
	if (st->st_mode == CY_MODE_EXPLAIN)
		sb_str(b, "(explain ");
	else if (st->st_mode == CY_MODE_PROFILE)
		sb_str(b, "(profile ");
	if (st->st_nparts > 1)
		sb_str(b, st->st_union_all ? "(union-all " : "(union ");
	for (size_t i = 0; i < st->st_nparts; i++) {
		const cy_query *q = st->st_parts[i];
		if (i > 0)
			sb_str(b, " ");
		sb_str(b, "(query");
		for (size_t j = 0; j < q->q_n; j++) {
			sb_str(b, " ");
			sx_clause(b, q->q_clauses[j]);
		}
		sb_str(b, ")");
	}
	if (st->st_nparts > 1)
		sb_str(b, ")");
	if (st->st_mode != CY_MODE_RUN)
		sb_str(b, ")");
}

char *
cy_script_sexpr(const cy_script *script, unsigned flags)
{
	struct sbuf b = { NULL, 0, 0, 0, flags };
	sb_put(&b, "", 0);
	for (size_t i = 0; i < script->sc_n; i++) {
		sx_stmt(&b, script->sc_stmts[i]);
		sb_str(&b, "\n");
	}
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

char *
cy_expr_sexpr(const cy_expr *e, unsigned flags)
{
	struct sbuf b = { NULL, 0, 0, 0, flags };
	sb_put(&b, "", 0);
	sx_expr(&b, e);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	return b.p;
}
