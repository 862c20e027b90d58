/*
 * expr.c: evaluation of compiled expressions with openCypher's semantics:
 * three-valued logic, null propagation, exact integer arithmetic (overflow
 * and integer division by zero are errors), comparisons that give null
 * across types, list and string operators, comprehensions, quantifiers,
 * CASE, property access on nodes, relationships, maps and temporal values,
 * and pattern expressions run as small operator trees.
 */
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* ---- errors ---- */

int cy_fail(cy_ctx *c, const cy_expr *e, const char *fmt, ...)
{
	if (!c->failed && c->err) {
		va_list ap;
		cy_error *err = c->err;
		memset(err, 0, sizeof *err);
		err->code = CY_ERUNTIME;
		err->kind = CY_ERR_NONE;
		if (e) {
			/* the caret goes where line and column say */
			size_t i = 0, n = c->text ? c->textlen : 0;
			err->line = e->e_line;
			err->column = e->e_col;
			for (uint32_t l = 1; l < e->e_line && i < n; i++)
				if (c->text[i] == '\n')
					l++;
			for (uint32_t k = 1; k < e->e_col && i < n; k++) {
				i++;
				while (i < n && ((unsigned char)c->text[i] & 0xC0) == 0x80)
					i++;
			}
			err->offset = c->text ? i : e->e_off;
		}
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	}
	c->failed = 1;
	return -1;
}

int cy_fail_graph(cy_ctx *c, int code, const char *msg)
{
	if (!c->failed) {
		if (c->err) {
			memset(c->err, 0, sizeof *c->err);
			c->err->code = code == GR_ENOMEM ? CY_ENOMEM : CY_EDB;
			snprintf(c->err->message, sizeof c->err->message, "%.250s", msg);
		}
		c->grc = code;
	}
	c->failed = 1;
	return -1;
}

int cy_nomem(cy_ctx *c)
{
	return cy_fail_graph(c, GR_ENOMEM, "out of memory");
}

int cy_edge_deleted(const cy_ctx *c, uint32_t id)
{
	for (size_t i = 0; i < c->ndel_edges; i++)
		if (c->del_edges[i] == id)
			return 1;
	return 0;
}

uint16_t cy_sym_get(cy_ctx *c, cy_sym *s)
{
	if (s->gen != c->gen) {
		uint16_t id = 0;
		if (gr_sym(c->txn, s->name, strlen(s->name), 0, &id) != GR_OK)
			id = 0;
		s->id = id;
		s->gen = c->gen;
	}
	return s->id;
}

static const char *type_name(const gr_value *v)
{
	switch (v->type) {
	case GR_NULL: return "Null";
	case GR_BOOL: return "Boolean";
	case GR_INT: return "Integer";
	case GR_FLOAT: return "Float";
	case GR_STRING: return "String";
	case GR_DATE: return "Date";
	case GR_DATETIME: return v->u.dt.dt_offset == GR_TZ_NONE ? "LocalDateTime" : "DateTime";
	case GR_TIME: return v->u.tm.tm_offset == GR_TZ_NONE ? "LocalTime" : "Time";
	case GR_DURATION: return "Duration";
	case GR_LIST: return "List";
	case GR_MAP: return "Map";
	case GR_NODE: return "Node";
	case GR_EDGE: return "Relationship";
	case GR_PATH: return "Path";
	default: return "Any";
	}
}

const char *cy_type_name(const gr_value *v);
const char *cy_type_name(const gr_value *v)
{
	return type_name(v);
}

/* ---- properties ---- */

int cy_prop(cy_ctx *c, const cy_expr *at, const gr_value *obj, cy_sym *key, gr_value *out)
{
	uint16_t sym;
	int rc;
	*out = cy_nullv();
	switch (obj->type) {
	case GR_NULL:
		return 0;
	case GR_NODE:
		if (key->is_key) {
			const char *k;
			size_t kl;
			if (gr_node_key_get(c->txn, obj->u.node.id, &k, &kl) != GR_OK)
				return c->write ? cy_fail(c, at, "the node was deleted") : 0;
			*out = gr_string(k, kl);
			return out->type == GR_STRING ? 0 : cy_nomem(c);
		}
		if (!(sym = cy_sym_get(c, key)))
			return c->write && !gr_node_exists(c->txn, obj->u.node.id)
			    ? cy_fail(c, at, "cannot read property '%s': the node was deleted", key->name) : 0;
		rc = gr_node_prop(c->txn, obj->u.node.id, sym, out);
		if (rc == GR_ENOTFOUND)
			return c->write ? cy_fail(c, at, "cannot read property '%s': the node was deleted", key->name) : 0;
		return rc == GR_OK ? 0 : cy_fail_graph(c, rc, "cannot read a node's property");
	case GR_EDGE:
		if (c->ndel_edges && cy_edge_deleted(c, obj->u.edge.id))
			return cy_fail(c, at, "cannot read property '%s': the relationship was deleted", key->name);
		if (!(sym = cy_sym_get(c, key)))
			return 0;
		rc = gr_edge_prop(c->txn, obj->u.edge.id, sym, out);
		return rc == GR_OK ? 0 : cy_fail_graph(c, rc, "cannot read a relationship's property");
	case GR_MAP: {
		const gr_value *v = gr_map_get(obj, key->name);
		if (v && gr_value_copy(out, v) < 0)
			return cy_nomem(c);
		return 0;
	}
	case GR_DATE:
	case GR_DATETIME:
	case GR_TIME:
	case GR_DURATION:
		if (cy_temporal_field(obj, key->name, out))
			return 0;
		return cy_fail(c, at, "%s has no field '%s'", type_name(obj), key->name);
	default:
		return cy_fail(c, at, "type mismatch: cannot read property '%s' of %s",
		    key->name, type_name(obj));
	}
}

/* Decodes every property of a record into a map (without the key). */
static int props_to_map(cy_ctx *c, const gr_prop *p, size_t np, gr_value *out)
{
	*out = gr_map();
	for (size_t i = 0; i < np; i++) {
		gr_value v;
		const char *name = gr_sym_name(c->txn, p[i].p_key, NULL);
		if (gr_value_copy(&v, &p[i].p_val) < 0 || gr_map_set(out, name, v) < 0) {
			cy_free(out);
			return cy_nomem(c);
		}
	}
	return 0;
}

int cy_node_props_map(cy_ctx *c, uint32_t id, gr_value *out)
{
	gr_node n;
	gr_error ge;
	int rc = gr_node_load(c->txn, id, &n, &ge);
	*out = cy_nullv();
	if (rc == GR_ENOTFOUND) {
		*out = gr_map();
		return 0;
	}
	if (rc != GR_OK)
		return cy_fail_graph(c, rc, ge.msg);
	rc = props_to_map(c, n.n_props, n.n_nprops, out);
	gr_node_clear(&n);
	return rc;
}

int cy_edge_load(cy_ctx *c, const gr_value *v, gr_edge *e)
{
	gr_error ge;
	int rc;
	gr_edge_init(e);
	e->e_id = v->u.edge.id;
	e->e_src = v->u.edge.src;
	e->e_dst = v->u.edge.dst;
	e->e_type = (uint16_t)v->u.edge.type;
	if ((rc = gr_edge_load_props(c->txn, e, &ge)) != GR_OK)
		return cy_fail_graph(c, rc, ge.msg);
	return 0;
}

int cy_edge_props_map(cy_ctx *c, const gr_value *edge, gr_value *out)
{
	gr_edge e;
	int rc;
	*out = cy_nullv();
	if (cy_edge_load(c, edge, &e) < 0)
		return -1;
	rc = props_to_map(c, e.e_props, e.e_nprops, out);
	gr_edge_clear(&e);
	return rc;
}

/* ---- equality for DISTINCT and grouping ---- */

int cy_equiv(const gr_value *a, const gr_value *b)
{
	if (a->type == GR_NULL || b->type == GR_NULL)
		return a->type == b->type;
	if (a->type == GR_FLOAT && b->type == GR_FLOAT && isnan(a->u.f) && isnan(b->u.f))
		return 1;
	if (a->type == GR_LIST && b->type == GR_LIST) {
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!cy_equiv(&a->u.list.items[i], &b->u.list.items[i]))
				return 0;
		return 1;
	}
	if (a->type == GR_MAP && b->type == GR_MAP) {
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (size_t i = 0; i < a->u.map.n; i++) {
			const gr_value *o = gr_map_get(b, a->u.map.keys[i]);
			if (!o || !cy_equiv(&a->u.map.vals[i], o))
				return 0;
		}
		return 1;
	}
	return gr_value_equal(a, b) == 1;
}

uint64_t cy_hash(const gr_value *v)
{
	return gr_value_hash(v);
}

/* ---- arithmetic ---- */

static int is_num(const gr_value *v)
{
	return v->type == GR_INT || v->type == GR_FLOAT;
}

static double num(const gr_value *v)
{
	return v->type == GR_INT ? (double)v->u.i : v->u.f;
}

static const char *op_name(int op)
{
	switch (op) {
	case CY_OP_ADD: return "+";
	case CY_OP_SUB: return "-";
	case CY_OP_MUL: return "*";
	case CY_OP_DIV: return "/";
	case CY_OP_MOD: return "%";
	case CY_OP_POW: return "^";
	default: return "?";
	}
}

static int list_concat(cy_ctx *c, const gr_value *a, const gr_value *b, gr_value *out)
{
	size_t na = a->type == GR_LIST ? a->u.list.n : 1;
	size_t nb = b->type == GR_LIST ? b->u.list.n : 1;
	gr_value l = gr_list(na + nb), x;
	for (size_t i = 0; i < na + nb; i++) {
		const gr_value *src = i < na ? (a->type == GR_LIST ? &a->u.list.items[i] : a)
		    : (b->type == GR_LIST ? &b->u.list.items[i - na] : b);
		if (gr_value_copy(&x, src) < 0 || gr_list_push(&l, x) < 0) {
			cy_free(&l);
			return cy_nomem(c);
		}
	}
	*out = l;
	return 0;
}

static int string_of_scalar(const gr_value *v, gr_buf *b)
{
	return gr_value_text(b, v);
}

/*
 * duration * number and duration / number, as Neo4j computes them: an
 * integer factor multiplies each component exactly; otherwise each
 * component is scaled on its own and what a unit leaves over (half a month,
 * a third of a day) flows down to the next, rounded to the nanosecond so
 * that binary fractions leave no stray nanoseconds, and the nanoseconds
 * are truncated toward zero (P1DT1.000000001S / 2 is PT12H0.5S, not ...S).
 */
static int duration_scale(cy_ctx *c, const cy_expr *at, const gr_duration *d, double f, int div, gr_value *out)
{
	const __int128 day = (__int128)86400 * 1000000000;
	double m, days, secs, nanos;
	__int128 rest, total;
	gr_duration r;

	if (div && f == 0)
		return cy_fail(c, at, "division of a duration by zero");
	if (!div && f == trunc(f) && fabs(f) < 9007199254740992.0) {
		int64_t k = (int64_t)f;
		__int128 ns = ((__int128)d->du_secs * 1000000000 + d->du_nanos) * k;
		if (__builtin_mul_overflow(d->du_months, k, &r.du_months) ||
		    __builtin_mul_overflow(d->du_days, k, &r.du_days) ||
		    ns / 1000000000 > INT64_MAX || ns / 1000000000 < INT64_MIN)
			return cy_fail(c, at, "duration overflow in multiplication");
		r.du_secs = (int64_t)(ns / 1000000000);
		r.du_nanos = (int32_t)(ns % 1000000000);
		if (r.du_nanos < 0) {
			r.du_nanos += 1000000000;
			r.du_secs--;
		}
		goto done;
	}
	m = div ? (double)d->du_months / f : (double)d->du_months * f;
	days = div ? (double)d->du_days / f : (double)d->du_days * f;
	secs = div ? (double)d->du_secs / f : (double)d->du_secs * f;
	nanos = div ? (double)d->du_nanos / f : (double)d->du_nanos * f;
	if (!isfinite(m) || !isfinite(days) || !isfinite(secs) || !isfinite(nanos) || fabs(m) >= 9.2e18 ||
	    fabs(days) >= 9.2e18 || fabs(secs) >= 9.2e18 || fabs(nanos) >= 9.2e18)
		return cy_fail(c, at, "duration overflow in %s", div ? "division" : "multiplication");
	r.du_months = (int64_t)trunc(m);
	/* months to days (an average month, 2629746 s), days to seconds */
	total = (__int128)trunc(days) * day + llround((days - trunc(days)) * 86400e9) +
	    llround((m - trunc(m)) * 2629746e9);
	r.du_days = (int64_t)(total / day);
	rest = total % day;
	total = (__int128)trunc(secs) * 1000000000 + llround((secs - trunc(secs)) * 1e9) + rest;
	/* the nanoseconds, with what the seconds left, truncated */
	rest = total % 1000000000;
	total += (__int128)trunc((double)rest + nanos) - rest;
	r.du_secs = (int64_t)(total / 1000000000);
	r.du_nanos = (int32_t)(total % 1000000000);
	if (r.du_nanos < 0) {
		r.du_nanos += 1000000000;
		r.du_secs--;
	}
done:
	out->type = GR_DURATION;
	out->u.du = r;
	return 0;
}

static void duration_add(const gr_duration *a, const gr_duration *b, int sign, gr_duration *r)
{
	int64_t nanos = (int64_t)a->du_nanos + sign * (int64_t)b->du_nanos;
	r->du_months = a->du_months + sign * b->du_months;
	r->du_days = a->du_days + sign * b->du_days;
	r->du_secs = a->du_secs + sign * b->du_secs;
	while (nanos < 0) {
		nanos += 1000000000;
		r->du_secs--;
	}
	while (nanos >= 1000000000) {
		nanos -= 1000000000;
		r->du_secs++;
	}
	r->du_nanos = (int32_t)nanos;
}

static int temporal_plus(cy_ctx *c, const cy_expr *at, const gr_value *t, const gr_duration *d, int sign, gr_value *out)
{
	if (t->type == GR_DATE) {
		int32_t days;
		if (gr_date_add(t->u.date, d, sign, &days) != 0)
			return cy_fail(c, at, "date out of range");
		*out = gr_date(days);
		return 0;
	}
	if (t->type == GR_TIME) {
		out->type = GR_TIME;
		gr_time_add(&t->u.tm, d, sign, &out->u.tm);
		return 0;
	}
	out->type = GR_DATETIME;
	if (cy_zone_check(c, at, &t->u.dt) < 0) {
		*out = cy_nullv();
		return -1;
	}
	if (gr_datetime_add(&t->u.dt, d, sign, &out->u.dt) != 0) {
		*out = cy_nullv();
		return cy_fail(c, at, "datetime out of range");
	}
	return 0;
}

int cy_arith(cy_ctx *c, const cy_expr *at, int op, const gr_value *a, const gr_value *b, gr_value *out)
{
	*out = cy_nullv();
	if (op == CY_OP_ADD && (a->type == GR_LIST || b->type == GR_LIST))
		return list_concat(c, a, b, out);
	if (a->type == GR_NULL || b->type == GR_NULL)
		return 0;
	if (a->type == GR_INT && b->type == GR_INT) {
		int64_t x = a->u.i, y = b->u.i, r;
		switch (op) {
		case CY_OP_ADD:
			if (__builtin_add_overflow(x, y, &r))
				return cy_fail(c, at, "integer overflow in %lld + %lld", (long long)x, (long long)y);
			break;
		case CY_OP_SUB:
			if (__builtin_sub_overflow(x, y, &r))
				return cy_fail(c, at, "integer overflow in %lld - %lld", (long long)x, (long long)y);
			break;
		case CY_OP_MUL:
			if (__builtin_mul_overflow(x, y, &r))
				return cy_fail(c, at, "integer overflow in %lld * %lld", (long long)x, (long long)y);
			break;
		case CY_OP_DIV:
			if (y == 0)
				return cy_fail(c, at, "division by zero");
			if (x == INT64_MIN && y == -1)
				return cy_fail(c, at, "integer overflow in %lld / -1", (long long)x);
			r = x / y;
			break;
		case CY_OP_MOD:
			if (y == 0)
				return cy_fail(c, at, "division by zero");
			r = y == -1 ? 0 : x % y;
			break;
		case CY_OP_POW:
			*out = gr_float(pow((double)x, (double)y));
			return 0;
		default:
			return cy_fail(c, at, "unknown operator");
		}
		*out = gr_int(r);
		return 0;
	}
	if (is_num(a) && is_num(b)) {
		double x = num(a), y = num(b), r;
		switch (op) {
		case CY_OP_ADD: r = x + y; break;
		case CY_OP_SUB: r = x - y; break;
		case CY_OP_MUL: r = x * y; break;
		case CY_OP_DIV: r = x / y; break;
		case CY_OP_MOD: r = fmod(x, y); break;
		case CY_OP_POW: r = pow(x, y); break;
		default: return cy_fail(c, at, "unknown operator");
		}
		*out = gr_float(r);
		return 0;
	}
	if (op == CY_OP_ADD && (a->type == GR_STRING || b->type == GR_STRING)) {
		gr_buf s = { 0 };
		const gr_value *other = a->type == GR_STRING ? b : a;
		if (other->type != GR_STRING && !is_num(other) && other->type != GR_BOOL)
			goto mismatch;
		if (string_of_scalar(a, &s) < 0 || string_of_scalar(b, &s) < 0 || gr_buf_byte(&s, 0) < 0) {
			gr_buf_free(&s);
			return cy_nomem(c);
		}
		*out = gr_string_own((char *)s.b_data, s.b_len - 1);
		return 0;
	}
	if (a->type == GR_DURATION && b->type == GR_DURATION && (op == CY_OP_ADD || op == CY_OP_SUB)) {
		out->type = GR_DURATION;
		duration_add(&a->u.du, &b->u.du, op == CY_OP_ADD ? 1 : -1, &out->u.du);
		return 0;
	}
	if ((a->type == GR_DATE || a->type == GR_DATETIME || a->type == GR_TIME) && b->type == GR_DURATION &&
	    (op == CY_OP_ADD || op == CY_OP_SUB))
		return temporal_plus(c, at, a, &b->u.du, op == CY_OP_ADD ? 1 : -1, out);
	if ((b->type == GR_DATE || b->type == GR_DATETIME || b->type == GR_TIME) && a->type == GR_DURATION &&
	    op == CY_OP_ADD)
		return temporal_plus(c, at, b, &a->u.du, 1, out);
	if (a->type == GR_DURATION && is_num(b) && (op == CY_OP_MUL || op == CY_OP_DIV))
		return duration_scale(c, at, &a->u.du, num(b), op == CY_OP_DIV, out);
	if (b->type == GR_DURATION && is_num(a) && op == CY_OP_MUL)
		return duration_scale(c, at, &b->u.du, num(a), 0, out);
mismatch:
	return cy_fail(c, at, "type mismatch: cannot apply %s to %s and %s", op_name(op),
	    type_name(a), type_name(b));
}

/* ---- comparisons and string operators ---- */

static gr_value tri(int t)
{
	return t < 0 ? cy_nullv() : cy_boolv(t);
}

static int compare_op(int op, const gr_value *a, const gr_value *b)
{
	int cmp, rc;
	switch (op) {
	case CY_OP_EQ:
		return gr_value_equal(a, b);
	case CY_OP_NE:
		rc = gr_value_equal(a, b);
		return rc < 0 ? -1 : !rc;
	}
	rc = gr_value_compare(a, b, &cmp);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return 0;    /* NaN */
	switch (op) {
	case CY_OP_LT: return cmp < 0;
	case CY_OP_GT: return cmp > 0;
	case CY_OP_LE: return cmp <= 0;
	default: return cmp >= 0;
	}
}

static int in_list(cy_ctx *c, const cy_expr *at, const gr_value *x, const gr_value *l)
{
	int unknown = 0;
	if (l->type == GR_NULL)
		return -1;
	if (l->type != GR_LIST)
		return cy_fail(c, at, "type mismatch: IN expects a list but was %s", type_name(l)), -2;
	for (size_t i = 0; i < l->u.list.n; i++) {
		int r = gr_value_equal(x, &l->u.list.items[i]);
		if (r == 1)
			return 1;
		if (r < 0)
			unknown = 1;
	}
	return unknown ? -1 : 0;
}

static int string_op(int op, const gr_value *a, const gr_value *b)
{
	const char *s, *t;
	size_t n, m;
	if (a->type != GR_STRING || b->type != GR_STRING)
		return -1;
	s = a->u.s.ptr;
	n = a->u.s.len;
	t = b->u.s.ptr;
	m = b->u.s.len;
	if (m > n)
		return 0;
	switch (op) {
	case CY_OP_STARTS_WITH:
		return memcmp(s, t, m) == 0;
	case CY_OP_ENDS_WITH:
		return memcmp(s + n - m, t, m) == 0;
	default:
		if (m == 0)
			return 1;
		for (size_t i = 0; i + m <= n; i++)
			if (s[i] == t[0] && memcmp(s + i, t, m) == 0)
				return 1;
		return 0;
	}
}

/* Translates a Java-style regular expression into POSIX ERE, anchored. */
static int regex_compile(const char *pat, size_t len, regex_t *re)
{
	gr_buf b = { 0 };
	int flags = REG_EXTENDED | REG_NOSUB, rc;
	size_t i = 0;
	if (len >= 4 && memcmp(pat, "(?i)", 4) == 0) {
		flags |= REG_ICASE;
		i = 4;
	}
	if (gr_buf_put(&b, "^(", 2) < 0)
		goto nomem;
	for (; i < len; i++) {
		if (pat[i] == '\\' && i + 1 < len) {
			const char *rep = NULL;
			switch (pat[i + 1]) {
			case 'd': rep = "[0-9]"; break;
			case 'D': rep = "[^0-9]"; break;
			case 's': rep = "[[:space:]]"; break;
			case 'S': rep = "[^[:space:]]"; break;
			case 'w': rep = "[[:alnum:]_]"; break;
			case 'W': rep = "[^[:alnum:]_]"; break;
			}
			if (rep) {
				if (gr_buf_put(&b, rep, strlen(rep)) < 0)
					goto nomem;
				i++;
				continue;
			}
			if (gr_buf_put(&b, pat + i, 2) < 0)
				goto nomem;
			i++;
			continue;
		}
		if (gr_buf_byte(&b, (unsigned char)pat[i]) < 0)
			goto nomem;
	}
	if (gr_buf_put(&b, ")$", 3) < 0)
		goto nomem;
	rc = regcomp(re, (char *)b.b_data, flags);
	gr_buf_free(&b);
	return rc == 0 ? 0 : -1;
nomem:
	gr_buf_free(&b);
	return -2;
}

void cy_regex_free(void *re);
void cy_regex_free(void *re)
{
	regfree(re);
}

static int regex_match(cy_ctx *c, cx *e, const gr_value *s, const gr_value *p, int *truth)
{
	regex_t tmp, *re = e->re;
	int rc;
	*truth = -1;
	if (s->type != GR_STRING || p->type != GR_STRING)
		return 0;
	if (!re) {
		re = &tmp;
		if ((rc = regex_compile(p->u.s.ptr, p->u.s.len, re)) != 0)
			return rc == -2 ? cy_nomem(c) : cy_fail(c, e->src, "invalid regular expression '%s'", p->u.s.ptr);
		if (e->a[1]->k == CX_CONST) {
			/* keep the compiled pattern of a constant */
			regex_t *keep = cy_alloc(c->pool, sizeof(regex_t));
			if (keep && cy_pool_regex(c->pool, keep) == 0) {
				memcpy(keep, re, sizeof *re);
				e->re = re = keep;
			}
		}
	}
	*truth = regexec(re, s->u.s.ptr, 0, NULL, 0) == 0;
	if (re == &tmp)
		regfree(&tmp);
	return 0;
}

/* ---- lists ---- */

static int list_index(cy_ctx *c, cx *e, const gr_value *o, const gr_value *i, gr_value *out)
{
	*out = cy_nullv();
	if (o->type == GR_NULL || i->type == GR_NULL)
		return 0;
	if (o->type == GR_LIST) {
		int64_t k, n = (int64_t)o->u.list.n;
		if (i->type != GR_INT)
			return cy_fail(c, e->a[1]->src, "type mismatch: a list index must be an integer, not %s", type_name(i));
		k = i->u.i < 0 ? n + i->u.i : i->u.i;
		if (k < 0 || k >= n)
			return 0;
		return gr_value_copy(out, &o->u.list.items[k]) < 0 ? cy_nomem(c) : 0;
	}
	if (o->type == GR_MAP || o->type == GR_NODE || o->type == GR_EDGE) {
		cy_sym key;
		if (i->type != GR_STRING)
			return cy_fail(c, e->a[1]->src, "type mismatch: a map key must be a string, not %s", type_name(i));
		key = cy_sym_of(i->u.s.ptr);
		return cy_prop(c, e->src, o, &key, out);
	}
	return cy_fail(c, e->src, "type mismatch: cannot index %s", type_name(o));
}

static int64_t clamp_index(int64_t k, int64_t n)
{
	if (k < 0)
		k += n;
	if (k < 0)
		return 0;
	return k > n ? n : k;
}

static int list_slice(cy_ctx *c, cx *e, gr_value *out)
{
	gr_value t0 = cy_nullv(), t1 = cy_nullv(), t2 = cy_nullv(), x;
	const gr_value *o, *f = NULL, *t = NULL;
	int rc = -1;
	*out = cy_nullv();
	if (!(o = cx_ref(c, e->a[0], &t0)))
		goto done;
	if (e->a[1] && !(f = cx_ref(c, e->a[1], &t1)))
		goto done;
	if (e->a[2] && !(t = cx_ref(c, e->a[2], &t2)))
		goto done;
	rc = 0;
	if (o->type == GR_NULL || (f && f->type == GR_NULL) || (t && t->type == GR_NULL))
		goto done;
	if (o->type != GR_LIST || (f && f->type != GR_INT) || (t && t->type != GR_INT)) {
		rc = cy_fail(c, e->src, "type mismatch: a slice needs a list and integer bounds");
		goto done;
	}
	int64_t n = (int64_t)o->u.list.n;
	int64_t from = f ? clamp_index(f->u.i, n) : 0, to = t ? clamp_index(t->u.i, n) : n;
	*out = gr_list(to > from ? (size_t)(to - from) : 0);
	for (int64_t k = from; k < to; k++)
		if (gr_value_copy(&x, &o->u.list.items[k]) < 0 || gr_list_push(out, x) < 0) {
			rc = cy_nomem(c);
			break;
		}
done:
	cy_free(&t0);
	cy_free(&t1);
	cy_free(&t2);
	return rc;
}

/* Comprehensions, quantifiers and reduce: the source list. */
static int comp_source(cy_ctx *c, cx *e, gr_value *src)
{
	if (cx_eval(c, e->a[0], src) < 0)
		return -1;
	if (src->type != GR_NULL && src->type != GR_LIST) {
		int rc = cy_fail(c, e->a[0]->src, "type mismatch: expected a list but was %s", type_name(src));
		cy_free(src);
		return rc;
	}
	return 0;
}

/* Moves item i of the list src into the variable of a comprehension,
 * quantifier or reduce (one step of the statement's budget): 0, or -1. */
static int comp_bind(cy_ctx *c, cx *e, gr_value *src, size_t i)
{
	int rc = cy_tick(c);
	if (rc < 0)
		return rc;
	cy_put(&c->row[e->slot], src->u.list.items[i]);
	src->u.list.items[i] = cy_nullv();
	return 0;
}

static int eval_listcomp(cy_ctx *c, cx *e, gr_value *out)
{
	gr_value src, x;
	int rc = 0;
	if (comp_source(c, e, &src) < 0)
		return -1;
	if (src.type == GR_NULL) {
		*out = cy_nullv();
		return 0;
	}
	*out = gr_list(src.u.list.n);
	for (size_t i = 0; i < src.u.list.n && rc == 0; i++) {
		int truth = 1;
		if ((rc = comp_bind(c, e, &src, i)) < 0 || (e->a[1] && (rc = cx_pred(c, e->a[1], &truth)) < 0))
			break;
		if (truth != 1)
			continue;
		if (e->a[2]) {
			if ((rc = cx_eval(c, e->a[2], &x)) < 0)
				break;
		} else if (gr_value_copy(&x, &c->row[e->slot]) < 0) {
			rc = cy_nomem(c);
			break;
		}
		if (gr_list_push(out, x) < 0)
			rc = cy_nomem(c);
	}
	cy_free(&src);
	if (rc < 0)
		cy_free(out);
	return rc;
}

static int eval_quant(cy_ctx *c, cx *e, gr_value *out)
{
	gr_value src;
	size_t ntrue = 0, nnull = 0, nfalse = 0;
	int rc = 0;
	*out = cy_nullv();
	if (comp_source(c, e, &src) < 0)
		return -1;
	if (src.type == GR_NULL)
		return 0;
	for (size_t i = 0; i < src.u.list.n; i++) {
		int truth = 1;
		if ((rc = comp_bind(c, e, &src, i)) < 0 || (e->a[1] && (rc = cx_pred(c, e->a[1], &truth)) < 0))
			break;
		if (truth == 1)
			ntrue++;
		else if (truth == 0)
			nfalse++;
		else
			nnull++;
		if ((e->op == CY_Q_ANY && ntrue) || (e->op == CY_Q_ALL && nfalse) ||
		    (e->op == CY_Q_NONE && ntrue) || (e->op == CY_Q_SINGLE && ntrue > 1))
			break;
	}
	cy_free(&src);
	if (rc < 0)
		return -1;
	switch (e->op) {
	case CY_Q_ALL:
		*out = nfalse ? cy_boolv(0) : nnull ? cy_nullv() : cy_boolv(1);
		break;
	case CY_Q_ANY:
		*out = ntrue ? cy_boolv(1) : nnull ? cy_nullv() : cy_boolv(0);
		break;
	case CY_Q_NONE:
		*out = ntrue ? cy_boolv(0) : nnull ? cy_nullv() : cy_boolv(1);
		break;
	default:
		*out = ntrue > 1 ? cy_boolv(0) : nnull ? cy_nullv() : cy_boolv(ntrue == 1);
		break;
	}
	return 0;
}

static int eval_reduce(cy_ctx *c, cx *e, gr_value *out)
{
	gr_value src, acc;
	int rc = 0;
	*out = cy_nullv();
	/* a[0] src, a[1] init, a[2] body */
	if (cx_eval(c, e->a[1], &acc) < 0)
		return -1;
	if (comp_source(c, e, &src) < 0) {
		cy_free(&acc);
		return -1;
	}
	if (src.type == GR_NULL) {
		cy_free(&acc);
		return 0;
	}
	cy_put(&c->row[e->slot2], acc);
	for (size_t i = 0; i < src.u.list.n && rc == 0; i++) {
		if ((rc = comp_bind(c, e, &src, i)) < 0)
			break;
		if ((rc = cx_eval(c, e->a[2], &acc)) == 0)
			cy_put(&c->row[e->slot2], acc);
	}
	cy_free(&src);
	if (rc < 0)
		return -1;
	if (gr_value_copy(out, &c->row[e->slot2]) < 0)
		return cy_nomem(c);
	return 0;
}

static int eval_case(cy_ctx *c, cx *e, gr_value *out)
{
	/* a: [subject or NULL], whens/thens interleaved, [else] in e->a[n-1]
	 * when e->op says so: layout a[0] subject (NULL for searched), then
	 * pairs, then else (NULL when absent). */
	size_t npairs = (e->n - 2) / 2;
	gr_value tmp = cy_nullv(), t2;
	const gr_value *subj = NULL;
	int rc = 0;
	if (e->a[0] && !(subj = cx_ref(c, e->a[0], &tmp)))
		return -1;
	for (size_t i = 0; i < npairs; i++) {
		cx *w = e->a[1 + 2 * i], *t = e->a[2 + 2 * i];
		int hit;
		if (subj) {
			const gr_value *wv;
			t2 = cy_nullv();
			if (!(wv = cx_ref(c, w, &t2))) {
				rc = -1;
				break;
			}
			hit = gr_value_equal(subj, wv) == 1;
			cy_free(&t2);
		} else {
			int truth;
			if ((rc = cx_pred(c, w, &truth)) < 0)
				break;
			hit = truth == 1;
		}
		if (hit) {
			cy_free(&tmp);
			return cx_eval(c, t, out);
		}
	}
	cy_free(&tmp);
	if (rc < 0)
		return -1;
	if (e->a[e->n - 1])
		return cx_eval(c, e->a[e->n - 1], out);
	*out = cy_nullv();
	return 0;
}

/* ---- paths ---- */

int cy_build_path(cy_ctx *c, const cy_expr *at, const cx_pathdef *pd, gr_value *out)
{
	gr_path *p = NULL;
	size_t cap = pd->nrels, len = 0;
	uint32_t cur;
	(void)at;
	*out = cy_nullv();
	for (size_t i = 0; i < pd->nrels; i++)
		if (pd->varlen[i] && c->row[pd->rels[i]].type == GR_LIST)
			cap += c->row[pd->rels[i]].u.list.n;
	if (c->row[pd->nodes[0]].type != GR_NODE)
		return 0;
	if (!(p = calloc(1, sizeof *p)) || !(p->pa_nodes = malloc((cap + 1) * sizeof(gr_value))) ||
	    !(p->pa_rels = malloc((cap ? cap : 1) * sizeof(gr_value))))
		goto nomem;
	cur = c->row[pd->nodes[0]].u.node.id;
	p->pa_nodes[0] = c->row[pd->nodes[0]];
	for (size_t i = 0; i < pd->nrels; i++) {
		const gr_value *r = &c->row[pd->rels[i]];
		if (pd->varlen[i]) {
			if (r->type != GR_LIST)
				goto null;
			for (size_t k = 0; k < r->u.list.n; k++) {
				const gr_value *ed = &r->u.list.items[k];
				if (ed->type != GR_EDGE)
					goto null;
				cur = ed->u.edge.src == cur ? ed->u.edge.dst : ed->u.edge.src;
				p->pa_rels[len] = *ed;
				p->pa_nodes[++len] = (gr_value){ .type = GR_NODE, .u.node.id = cur };
			}
		} else {
			if (r->type != GR_EDGE || c->row[pd->nodes[i + 1]].type != GR_NODE)
				goto null;
			cur = r->u.edge.src == cur ? r->u.edge.dst : r->u.edge.src;
			p->pa_rels[len] = *r;
			p->pa_nodes[++len] = (gr_value){ .type = GR_NODE, .u.node.id = cur };
		}
	}
	p->pa_len = len;
	out->type = GR_PATH;
	out->u.path = p;
	return 0;
null:
	free(p->pa_nodes);
	free(p->pa_rels);
	free(p);
	return 0;
nomem:
	if (p) {
		free(p->pa_nodes);
		free(p->pa_rels);
		free(p);
	}
	return cy_nomem(c);
}

/* Runs a pattern's operators for the current row: EXISTS stops at the
 * first match, PATLIST collects paths, PATCOMP projections. */
static int eval_pattern(cy_ctx *c, cx *e, gr_value *out)
{
	int rc;
	gr_value x;
	cy_reset(e->sub);
	if (e->k == CX_EXISTS) {
		rc = cy_next(c, e->sub);
		if (rc < 0)
			return -1;
		*out = cy_boolv(rc > 0);
		return 0;
	}
	*out = gr_list(0);
	while ((rc = cy_next(c, e->sub)) > 0) {
		if (e->k == CX_PATLIST)
			rc = cy_build_path(c, e->src, e->path, &x);
		else
			rc = cx_eval(c, e->a[0], &x);
		if (rc < 0)
			break;
		if (gr_list_push(out, x) < 0) {
			rc = cy_nomem(c);
			break;
		}
	}
	if (rc < 0) {
		cy_free(out);
		return -1;
	}
	return 0;
}

/* ---- the evaluator ---- */

int cx_pred(cy_ctx *c, cx *e, int *truth)
{
	gr_value tmp = cy_nullv();
	const gr_value *v;
	if (e->k == CX_EXISTS) {
		if (eval_pattern(c, e, &tmp) < 0)
			return -1;
		*truth = tmp.u.b;
		return 0;
	}
	if (e->k == CX_CMP && e->a[0]->k == CX_SLOT && e->a[1]->k == CX_SLOT) {
		/* o <> v on every row of an expansion: the comparison of two
		 * variables, without making a value of its answer */
		*truth = compare_op(e->op, &c->row[e->a[0]->slot], &c->row[e->a[1]->slot]);
		return 0;
	}
	if (!(v = cx_ref(c, e, &tmp)))
		return -1;
	if (v->type == GR_BOOL)
		*truth = v->u.b;
	else if (v->type == GR_NULL)
		*truth = -1;
	else if (v->type == GR_LIST && e->k == CX_PATLIST)
		*truth = v->u.list.n > 0;
	else {
		int rc = cy_fail(c, e->src, "type mismatch: expected a boolean but was %s", type_name(v));
		cy_free(&tmp);
		return rc;
	}
	cy_free(&tmp);
	return 0;
}

const gr_value *cx_ref(cy_ctx *c, cx *e, gr_value *tmp)
{
	switch (e->k) {
	case CX_SLOT:
	case CX_AGG:
		return &c->row[e->slot];
	case CX_CONST:
		return &e->v;
	default:
		return cx_eval(c, e, tmp) < 0 ? NULL : tmp;
	}
}

/* Two operands, borrowed. */
#define OPERANDS(c, e, ta, tb, a, b) \
	do { \
		if (!((a) = cx_ref((c), (e)->a[0], &(ta))) || !((b) = cx_ref((c), (e)->a[1], &(tb)))) { \
			cy_free(&(ta)); \
			return -1; \
		} \
	} while (0)

int cx_eval(cy_ctx *c, cx *e, gr_value *out)
{
	gr_value ta = cy_nullv(), tb = cy_nullv();
	const gr_value *a, *b;
	int rc = 0, x, y;

	*out = cy_nullv();
	switch (e->k) {
	case CX_CONST:
		return gr_value_copy(out, &e->v) < 0 ? cy_nomem(c) : 0;
	case CX_SLOT:
	case CX_AGG:
		return gr_value_copy(out, &c->row[e->slot]) < 0 ? cy_nomem(c) : 0;
	case CX_PROPSLOT: {
		const gr_value *o = &c->row[e->slot];
		uint32_t id;
		if (o->type != GR_NODE && o->type != GR_EDGE)
			return cy_prop(c, e->src, o, &e->sym, out);
		id = o->type == GR_NODE ? o->u.node.id : o->u.edge.id;
		if (e->memo_gen == c->gen && e->memo_type == o->type && e->memo_id == id)
			return gr_value_copy(out, &e->memo) < 0 ? cy_nomem(c) : 0;
		if (cy_prop(c, e->src, o, &e->sym, out) < 0)
			return -1;
		/* the same entity is often asked again for the next row */
		cy_free(&e->memo);
		e->memo_gen = 0;
		if (gr_value_copy(&e->memo, out) == 0) {
			e->memo_gen = c->gen;
			e->memo_type = o->type;
			e->memo_id = id;
		}
		return 0;
	}
	case CX_PROP:
		if (!(a = cx_ref(c, e->a[0], &ta)))
			return -1;
		rc = cy_prop(c, e->src, a, &e->sym, out);
		break;
	case CX_INDEX:
		OPERANDS(c, e, ta, tb, a, b);
		rc = list_index(c, e, a, b, out);
		break;
	case CX_SLICE:
		return list_slice(c, e, out);
	case CX_HASLABELS:
		if (!(a = cx_ref(c, e->a[0], &ta)))
			return -1;
		if (a->type == GR_NODE) {
			int all = 1;
			for (size_t i = 0; i < e->nlabels && all; i++) {
				uint16_t l = cy_sym_get(c, &e->labels[i]);
				all = l && gr_node_has_label_id(c->txn, a->u.node.id, l);
			}
			*out = cy_boolv(all);
		} else if (a->type == GR_EDGE) {
			uint16_t l = e->nlabels == 1 ? cy_sym_get(c, &e->labels[0]) : 0;
			*out = cy_boolv(l && l == a->u.edge.type);
		} else if (a->type != GR_NULL) {
			rc = cy_fail(c, e->src, "type mismatch: a label test needs a node but was %s", type_name(a));
		}
		break;
	case CX_LIST:
		*out = gr_list(e->n);
		for (size_t i = 0; i < e->n; i++) {
			gr_value v;
			if (cx_eval(c, e->a[i], &v) < 0) {
				cy_free(out);
				return -1;
			}
			if (gr_list_push(out, v) < 0) {
				cy_free(out);
				return cy_nomem(c);
			}
		}
		return 0;
	case CX_MAP:
		*out = gr_map();
		for (size_t i = 0; i < e->n; i++) {
			gr_value v;
			if (cx_eval(c, e->a[i], &v) < 0) {
				cy_free(out);
				return -1;
			}
			if (gr_map_set(out, e->keys[i], v) < 0) {
				cy_free(out);
				return cy_nomem(c);
			}
		}
		return 0;
	case CX_CALL: {
		gr_value args[8], *av = args;
		size_t n = e->n, i;
		if (e->op == CY_F_COALESCE) {
			for (i = 0; i < n; i++) {
				if (cx_eval(c, e->a[i], out) < 0)
					return -1;
				if (out->type != GR_NULL)
					return 0;
			}
			return 0;
		}
		if (n > 8 && !(av = calloc(n, sizeof *av)))
			return cy_nomem(c);
		for (i = 0; i < n; i++)
			if (cx_eval(c, e->a[i], &av[i]) < 0)
				break;
		rc = i < n ? -1 : cy_call(c, e, av, n, out);
		for (size_t k = 0; k < i; k++)
			cy_free(&av[k]);
		if (av != args)
			free(av);
		return rc;
	}
	case CX_CASE:
		return eval_case(c, e, out);
	case CX_NOT:
		if (cx_pred(c, e->a[0], &x) < 0)
			return -1;
		*out = tri(x < 0 ? -1 : !x);
		return 0;
	case CX_AND:
		if (cx_pred(c, e->a[0], &x) < 0)
			return -1;
		if (x == 0) {
			/* still a type error when the other side is not a boolean */
			if (cx_pred(c, e->a[1], &y) < 0)
				return -1;
			*out = cy_boolv(0);
			return 0;
		}
		if (cx_pred(c, e->a[1], &y) < 0)
			return -1;
		*out = y == 0 ? cy_boolv(0) : tri(x < 0 || y < 0 ? -1 : 1);
		return 0;
	case CX_OR:
		if (cx_pred(c, e->a[0], &x) < 0 || cx_pred(c, e->a[1], &y) < 0)
			return -1;
		*out = x == 1 || y == 1 ? cy_boolv(1) : tri(x < 0 || y < 0 ? -1 : 0);
		return 0;
	case CX_XOR:
		if (cx_pred(c, e->a[0], &x) < 0 || cx_pred(c, e->a[1], &y) < 0)
			return -1;
		*out = tri(x < 0 || y < 0 ? -1 : x != y);
		return 0;
	case CX_ISNULL:
	case CX_ISNOTNULL:
		if (!(a = cx_ref(c, e->a[0], &ta)))
			return -1;
		*out = cy_boolv((a->type == GR_NULL) == (e->k == CX_ISNULL));
		break;
	case CX_NEG:
		if (!(a = cx_ref(c, e->a[0], &ta)))
			return -1;
		if (e->op == CY_OP_POS) {
			if (a->type != GR_NULL && !is_num(a))
				rc = cy_fail(c, e->src, "type mismatch: expected a number but was %s", type_name(a));
			else
				rc = gr_value_copy(out, a) < 0 ? cy_nomem(c) : 0;
		} else if (a->type == GR_INT) {
			if (a->u.i == INT64_MIN)
				rc = cy_fail(c, e->src, "integer overflow in -(%lld)", (long long)a->u.i);
			else
				*out = gr_int(-a->u.i);
		} else if (a->type == GR_FLOAT) {
			*out = gr_float(-a->u.f);
		} else if (a->type == GR_DURATION) {
			gr_duration z = { 0, 0, 0, 0 };
			out->type = GR_DURATION;
			duration_add(&z, &a->u.du, -1, &out->u.du);
		} else if (a->type != GR_NULL) {
			rc = cy_fail(c, e->src, "type mismatch: cannot negate %s", type_name(a));
		}
		break;
	case CX_CMP:
		OPERANDS(c, e, ta, tb, a, b);
		*out = tri(compare_op(e->op, a, b));
		break;
	case CX_IN:
		OPERANDS(c, e, ta, tb, a, b);
		x = in_list(c, e->src, a, b);
		if (x == -2)
			rc = -1;
		else
			*out = tri(x);
		break;
	case CX_STROP:
		OPERANDS(c, e, ta, tb, a, b);
		*out = tri(string_op(e->op, a, b));
		break;
	case CX_REGEX:
		OPERANDS(c, e, ta, tb, a, b);
		if ((rc = regex_match(c, e, a, b, &x)) == 0)
			*out = tri(x);
		break;
	case CX_ARITH:
		OPERANDS(c, e, ta, tb, a, b);
		rc = cy_arith(c, e->src, e->op, a, b, out);
		break;
	case CX_LISTCOMP:
		return eval_listcomp(c, e, out);
	case CX_QUANT:
		return eval_quant(c, e, out);
	case CX_REDUCE:
		return eval_reduce(c, e, out);
	case CX_EXISTS:
	case CX_PATLIST:
	case CX_PATCOMP:
		return eval_pattern(c, e, out);
	case CX_PATH:
		return cy_build_path(c, e->src, e->path, out);
	default:
		return cy_fail(c, e->src, "cannot evaluate this expression");
	}
	cy_free(&ta);
	cy_free(&tb);
	return rc < 0 ? -1 : 0;
}
