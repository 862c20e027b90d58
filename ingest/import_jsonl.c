/*
 * import_jsonl.c: the native JSONL format (ingest.h): node and edge lines,
 * node references, citations, and the typed-value convention that lets
 * `export` round-trip every value the model stores.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "reader.h"

/* ---------------------------------------------------------------- values */

static int why_set(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int why_set(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

/* An int64 member of a $duration object (absent: 0). */
static int duration_part(const gr_value *o, const char *name, int64_t *out, char *why, size_t n)
{
	const gr_value *v = gr_map_get(o, name);
	*out = 0;
	if (!v)
		return 0;
	if (v->type != GR_INT)
		return why_set(why, n, "$duration: \"%s\" must be an integer", name);
	*out = v->u.i;
	return 0;
}

/* The value of a typed wrapper {"$kind": arg}. */
static int unwrap(const char *kind, const gr_value *arg, gr_value *out, char *why, size_t n)
{
	const char *s = arg->type == GR_STRING ? arg->u.s.ptr : NULL;
	size_t len = arg->type == GR_STRING ? arg->u.s.len : 0;

	*out = gr_null();
	if (strcmp(kind, "$string") == 0) {
		if (!s)
			return why_set(why, n, "$string takes a string");
		*out = gr_string(s, len);
		return out->type == GR_STRING ? 0 : why_set(why, n, "out of memory");
	}
	if (strcmp(kind, "$date") == 0) {
		int32_t days;
		if (!s || gr_parse_date(s, len, &days) < 0)
			return why_set(why, n, "$date takes an ISO-8601 date such as \"2024-04-14\"");
		*out = gr_date(days);
		return 0;
	}
	if (strcmp(kind, "$datetime") == 0) {
		if (!s || gr_parse_datetime(s, len, &out->u.dt) < 0)
			return why_set(why, n, "$datetime takes an ISO-8601 datetime such as \"2024-04-14T10:00:00Z\"");
		out->type = GR_DATETIME;
		return 0;
	}
	if (strcmp(kind, "$time") == 0 || strcmp(kind, "$localtime") == 0) {
		int local = kind[1] == 'l';
		if (!s || gr_parse_time(s, len, &out->u.tm) < 0 || (out->u.tm.tm_offset == GR_TZ_NONE) != local)
			return why_set(why, n, local ? "$localtime takes an ISO-8601 time of day with no zone such as \"12:30:00\""
			                             : "$time takes an ISO-8601 time of day with a zone such as \"12:30:00+01:00\"");
		out->type = GR_TIME;
		return 0;
	}
	if (strcmp(kind, "$duration") == 0) {
		gr_duration du = { 0, 0, 0, 0 };
		int64_t nanos;
		if (s) {
			if (gr_parse_duration(s, len, &du) < 0)
				return why_set(why, n, "$duration takes an ISO-8601 duration such as \"P30D\"");
		} else if (arg->type == GR_MAP) {
			for (size_t i = 0; i < arg->u.map.n; i++) {
				const char *k = arg->u.map.keys[i];
				if (strcmp(k, "months") && strcmp(k, "days") && strcmp(k, "seconds") && strcmp(k, "nanos"))
					return why_set(why, n, "$duration: unknown member \"%s\"", k);
			}
			if (duration_part(arg, "months", &du.du_months, why, n) < 0 ||
			    duration_part(arg, "days", &du.du_days, why, n) < 0 ||
			    duration_part(arg, "seconds", &du.du_secs, why, n) < 0 ||
			    duration_part(arg, "nanos", &nanos, why, n) < 0)
				return -1;
			if (nanos < 0 || nanos > 999999999)
				return why_set(why, n, "$duration: \"nanos\" must be 0 to 999999999");
			du.du_nanos = (int32_t)nanos;
		} else {
			return why_set(why, n, "$duration takes an ISO-8601 duration or {\"months\",\"days\",\"seconds\",\"nanos\"}");
		}
		out->type = GR_DURATION;
		out->u.du = du;
		return 0;
	}
	if (strcmp(kind, "$float") == 0) {
		if (arg->type == GR_FLOAT)
			*out = gr_float(arg->u.f);
		else if (arg->type == GR_INT)
			*out = gr_float((double)arg->u.i);
		else if (s && strcmp(s, "NaN") == 0)
			*out = gr_float(NAN);
		else if (s && strcmp(s, "Infinity") == 0)
			*out = gr_float(INFINITY);
		else if (s && strcmp(s, "-Infinity") == 0)
			*out = gr_float(-INFINITY);
		else
			return why_set(why, n, "$float takes a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
		return 0;
	}
	if (strcmp(kind, "$map") == 0) {
		gr_value m = gr_map();
		if (arg->type != GR_MAP)
			return why_set(why, n, "$map takes an object");
		for (size_t i = 0; i < arg->u.map.n; i++) {
			gr_value v;
			if (ig_value_from_json(&arg->u.map.vals[i], &v, why, n) < 0)
				goto map_fail;
			if (gr_map_set(&m, arg->u.map.keys[i], v) < 0) {
				why_set(why, n, "out of memory");
				goto map_fail;
			}
		}
		*out = m;
		return 0;
map_fail:
		gr_value_free(&m);
		return -1;
	}
	return why_set(why, n, "unknown typed value \"%s\" (use $string, $date, $datetime, $duration, $float or $map)", kind);
}

int ig_value_from_json(const gr_value *j, gr_value *out, char *why, size_t n)
{
	switch (j->type) {
	case GR_NULL:
	case GR_BOOL:
	case GR_INT:
	case GR_FLOAT:
		*out = *j;
		return 0;
	case GR_STRING:
		*out = gr_value_from_text(j->u.s.ptr, j->u.s.len);
		return out->type == GR_NULL ? why_set(why, n, "out of memory") : 0;
	case GR_LIST: {
		gr_value l = gr_list(j->u.list.n);
		if (l.type != GR_LIST)
			return why_set(why, n, "out of memory");
		for (size_t i = 0; i < j->u.list.n; i++) {
			gr_value v;
			if (ig_value_from_json(&j->u.list.items[i], &v, why, n) < 0) {
				gr_value_free(&l);
				return -1;
			}
			if (gr_list_push(&l, v) < 0) {
				gr_value_free(&l);
				return why_set(why, n, "out of memory");
			}
		}
		*out = l;
		return 0;
	}
	case GR_MAP:
		if (j->u.map.n == 1 && j->u.map.keys[0][0] == '$')
			return unwrap(j->u.map.keys[0], &j->u.map.vals[0], out, why, n);
		return why_set(why, n, "a map is not a property value (typed values are {\"$date\":...} and the like)");
	default:
		return why_set(why, n, "not a property value");
	}
}

/* ---------------------------------------------------------------- records */

/* One JSONL line being imported. */
typedef struct line_ctx {
	ig_run *l_r;
	const ig_file *l_f;
	uint64_t l_line;
	char l_why[600];
} line_ctx;

/* Notes why the line is bad; returns -1. */
static int bad(line_ctx *lc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(line_ctx *lc, const char *fmt, ...)
{
	char msg[sizeof lc->l_why];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	memcpy(lc->l_why, msg, sizeof msg);
	return -1;
}

/* Finds a node by label symbol (0: none) and key among the nodes of this
 * import and the database. */
static int find_labelled(line_ctx *lc, uint16_t label, const char *key, size_t len, uint32_t *id)
{
	return gr_bulk_lookup(lc->l_r->r_bulk, label, key, len, id);
}

/* Resolves a bare key (NUL-terminated): the nodes of this import, then the
 * database; it must name one node. */
static int find_bare(line_ctx *lc, const char *key, size_t len, uint32_t *id)
{
	ig_run *r = lc->l_r;
	uint32_t mine = 0, db = 0;
	int have = ig_map_get(r->r_bare, 0, key, len, &mine);
	gr_error e;
	int rc;

	if (have && mine == IG_AMBIGUOUS)
		return bad(lc, "%s is ambiguous: several nodes have that key (write Label:%s)", key, key);
	rc = gr_resolve(r->r_txn, key, &db, &e);
	if (rc == GR_EAMBIGUOUS)
		return bad(lc, "%s", e.msg);
	if (rc != GR_OK && rc != GR_ENOTFOUND)
		return bad(lc, "%s", e.msg);
	if (have && rc == GR_OK && db != mine)
		return bad(lc, "%s is ambiguous: several nodes have that key (write Label:%s)", key, key);
	if (!have && rc != GR_OK)
		return bad(lc, "no node %s", key);
	*id = have ? mine : db;
	return 0;
}

/* Resolves a node reference (a string or {"label":L,"key":K}); `what`
 * names the member for messages. */
static int resolve_ref(line_ctx *lc, const gr_value *v, const char *what, uint32_t *id)
{
	ig_run *r = lc->l_r;
	uint16_t sym = 0;

	if (v->type == GR_STRING) {
		const char *s = v->u.s.ptr;
		ig_ref ref;
		if (v->u.s.len == 0 || memchr(s, 0, v->u.s.len))
			return bad(lc, "%s: not a node reference", what);
		ig_ref_split(s, v->u.s.len, &ref);
		if (ref.rf_label && ref.rf_llen == 0) {
			if (find_labelled(lc, 0, ref.rf_key, ref.rf_klen, id) != GR_OK)
				return bad(lc, "%s: no node without labels has the key %s", what, ref.rf_key);
			return 0;
		}
		if (ref.rf_label && ig_sym(r, ref.rf_label, ref.rf_llen, 0, &sym) == GR_OK) {
			if (find_labelled(lc, sym, ref.rf_key, ref.rf_klen, id) != GR_OK)
				return bad(lc, "%s: no node %s", what, s);
			return 0;
		}
		if (find_bare(lc, s, v->u.s.len, id) < 0)
			return bad(lc, "%s: %s", what, lc->l_why);
		return 0;
	}
	if (v->type == GR_MAP) {
		const gr_value *lab = gr_map_get(v, "label"), *key = gr_map_get(v, "key");
		for (size_t i = 0; i < v->u.map.n; i++)
			if (strcmp(v->u.map.keys[i], "label") && strcmp(v->u.map.keys[i], "key"))
				return bad(lc, "%s: unknown member \"%s\" in a node reference", what, v->u.map.keys[i]);
		if (!key || key->type != GR_STRING)
			return bad(lc, "%s: a node reference needs a \"key\" string", what);
		if (lab && lab->type != GR_NULL && (lab->type != GR_STRING || lab->u.s.len == 0))
			return bad(lc, "%s: \"label\" must be a label or null", what);
		if (lab && lab->type == GR_STRING && ig_sym(r, lab->u.s.ptr, lab->u.s.len, 0, &sym) != GR_OK)
			return bad(lc, "%s: no node %s:%s", what, lab->u.s.ptr, key->u.s.ptr);
		if (find_labelled(lc, sym, key->u.s.ptr, key->u.s.len, id) != GR_OK)
			return bad(lc, "%s: no node %s%s%s", what, sym ? lab->u.s.ptr : "", sym ? ":" : "(without labels) ",
			    key->u.s.ptr);
		return 0;
	}
	return bad(lc, "%s: a node reference is \"Label:key\" or {\"label\":...,\"key\":...}", what);
}

/* Parses "sources" into citations. */
static int parse_sources(line_ctx *lc, const gr_value *v, gr_cite **cites, size_t *nc)
{
	ig_run *r = lc->l_r;
	uint16_t source = 0;
	int have_source = ig_sym(r, "Source", 6, 0, &source) == GR_OK;

	if (v->type != GR_LIST)
		return bad(lc, "\"sources\" must be a list of {\"key\":...,\"confidence\":...}");
	for (size_t i = 0; i < v->u.list.n; i++) {
		const gr_value *c = &v->u.list.items[i], *key, *ref, *conf;
		int level = GR_PROBABLE;
		uint32_t id;

		if (c->type != GR_MAP)
			return bad(lc, "source %zu: a citation is {\"key\":...,\"confidence\":...}", i + 1);
		for (size_t k = 0; k < c->u.map.n; k++) {
			const char *m = c->u.map.keys[k];
			if (strcmp(m, "key") && strcmp(m, "ref") && strcmp(m, "confidence"))
				return bad(lc, "source %zu: unknown member \"%s\"", i + 1, m);
		}
		key = gr_map_get(c, "key");
		ref = gr_map_get(c, "ref");
		conf = gr_map_get(c, "confidence");
		if (conf && conf->type != GR_NULL) {
			if (conf->type != GR_STRING || (level = gr_confidence_parse(conf->u.s.ptr)) < 0)
				return bad(lc, "unknown confidence %s%s%s (use confirmed, probable, possible or suspected)",
				    conf->type == GR_STRING ? "\"" : "", conf->type == GR_STRING ? conf->u.s.ptr : "(not a string)",
				    conf->type == GR_STRING ? "\"" : "");
		}
		if ((key != NULL) == (ref != NULL))
			return bad(lc, "source %zu: give \"key\" (a Source key) or \"ref\" (a node reference)", i + 1);
		if (key) {
			if (key->type != GR_STRING)
				return bad(lc, "source %zu: \"key\" must be a string", i + 1);
			if (!have_source || find_labelled(lc, source, key->u.s.ptr, key->u.s.len, &id) != GR_OK)
				return bad(lc, "unknown source %s (no Source node has that key)", key->u.s.ptr);
		} else {
			if (resolve_ref(lc, ref, "source", &id) < 0)
				return -1;
			if (!have_source || !gr_node_has_label_id(r->r_txn, id, source))
				return bad(lc, "source %zu: the node is not a Source", i + 1);
		}
		if (gr_cites_add(cites, nc, id, (uint8_t)level) != GR_OK)
			return bad(lc, "out of memory");
	}
	return 0;
}

/* Parses "props" into a property array (sorted by symbol, as graph.h wants). */
static int parse_props(line_ctx *lc, const gr_value *v, gr_prop **props, size_t *np)
{
	if (v->type != GR_MAP)
		return bad(lc, "\"props\" must be an object");
	for (size_t i = 0; i < v->u.map.n; i++) {
		const char *name = v->u.map.keys[i];
		char why[300];
		uint16_t sym;
		gr_value val;

		if (!name[0])
			return bad(lc, "a property name cannot be empty");
		if (ig_value_from_json(&v->u.map.vals[i], &val, why, sizeof why) < 0)
			return bad(lc, "property %s: %s", name, why);
		if (val.type == GR_NULL)
			continue;
		if (ig_sym(lc->l_r, name, strlen(name), 1, &sym) != GR_OK) {
			gr_value_free(&val);
			return bad(lc, "property %s: cannot add the name (%s)", gr_esc(name), ig_name_why(name, strlen(name)));
		}
		if (gr_props_set(props, np, sym, val) != GR_OK)
			return bad(lc, "out of memory");
	}
	return 0;
}

/* Checks that an object has only the members in `allowed` (NULL-ended). */
static int only_members(line_ctx *lc, const gr_value *o, const char *const *allowed)
{
	for (size_t i = 0; i < o->u.map.n; i++) {
		const char *k = o->u.map.keys[i];
		size_t a;
		for (a = 0; allowed[a] && strcmp(allowed[a], k); a++)
			;
		if (!allowed[a])
			return bad(lc, "unknown member \"%s\"", k);
	}
	return 0;
}

/* Adds label `name` to n (once). */
static int add_label(line_ctx *lc, gr_node *n, const gr_value *name)
{
	uint16_t sym, *nl;
	if (name->type != GR_STRING || name->u.s.len == 0)
		return bad(lc, "a label is a non-empty string");
	if (ig_sym(lc->l_r, name->u.s.ptr, name->u.s.len, 1, &sym) != GR_OK)
		return bad(lc, "label %s: cannot add the name (%s)", gr_escn(name->u.s.ptr, name->u.s.len),
		    ig_name_why(name->u.s.ptr, name->u.s.len));
	if (gr_node_has_label(n, sym))
		return 0;
	if (!(nl = realloc(n->n_labels, (n->n_nlabels + 1) * sizeof *nl)))
		return bad(lc, "out of memory");
	nl[n->n_nlabels++] = sym;
	n->n_labels = nl;
	return 0;
}

/* Notes a node's key in the bare-key map. */
static int note_bare_key(ig_run *r, const char *key, size_t len, uint32_t id)
{
	uint32_t cur;
	if (ig_map_get(r->r_bare, 0, key, len, &cur) && (cur == id || cur == IG_AMBIGUOUS))
		return 0;
	return ig_map_put(r->r_bare, 0, key, len, ig_map_get(r->r_bare, 0, key, len, &cur) ? IG_AMBIGUOUS : id);
}

static int node_record(line_ctx *lc, const gr_value *o, const gr_value *first)
{
	static const char *const allowed[] = { "node", "key", "labels", "props", "sources", NULL };
	ig_run *r = lc->l_r;
	const gr_value *key = gr_map_get(o, "key"), *labels = gr_map_get(o, "labels");
	const gr_value *props = gr_map_get(o, "props"), *sources = gr_map_get(o, "sources");
	gr_node n;
	gr_error e;
	gr_value aliases;
	uint32_t id = 0;
	int rc = -1;

	gr_node_init(&n);
	if (only_members(lc, o, allowed) < 0)
		goto done;
	if (first->type == GR_STRING) {
		if (add_label(lc, &n, first) < 0)
			goto done;
	} else if (first->type != GR_NULL) {
		bad(lc, "\"node\" must be the node's label (a string), or null for a node without labels");
		goto done;
	}
	if (labels && labels->type != GR_NULL) {
		if (labels->type != GR_LIST) {
			bad(lc, "\"labels\" must be a list of strings");
			goto done;
		}
		if (first->type == GR_NULL && labels->u.list.n) {
			bad(lc, "a node with \"node\":null has no labels");
			goto done;
		}
		for (size_t i = 0; i < labels->u.list.n; i++)
			if (add_label(lc, &n, &labels->u.list.items[i]) < 0)
				goto done;
	}
	if (key && key->type != GR_NULL) {
		if (key->type != GR_STRING) {
			bad(lc, "\"key\" must be a string");
			goto done;
		}
		if (key->u.s.len > ST_MAX_KEY) {
			bad(lc, "key of %zu bytes is longer than %d", key->u.s.len, ST_MAX_KEY);
			goto done;
		}
		if (memchr(key->u.s.ptr, 0, key->u.s.len)) {
			bad(lc, "a key cannot contain a NUL character");
			goto done;
		}
		if (key->u.s.len && !(n.n_key = strdup(key->u.s.ptr))) {
			bad(lc, "out of memory");
			goto done;
		}
		n.n_keylen = key->u.s.len;
	}
	if (props && props->type != GR_NULL && parse_props(lc, props, &n.n_props, &n.n_nprops) < 0)
		goto done;
	if (sources && sources->type != GR_NULL && parse_sources(lc, sources, &n.n_cites, &n.n_ncites) < 0)
		goto done;
	if (ig_aliases_save(r, &n, &aliases) != GR_OK) {
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		lc->l_why[0] = 0;
		goto done;
	}
	rc = gr_bulk_node(r->r_bulk, &n, &id, &e);
	if (ig_aliases_note(r, &aliases, id, rc == GR_OK) != GR_OK) {
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		lc->l_why[0] = 0;
		goto done;
	}
	if (rc != GR_OK) {
		rc = ig_graph_error(r, lc->l_f, lc->l_line, rc, &e);
		lc->l_why[0] = 0;
		goto done;
	}
	if (note_bare_key(r, n.n_key, n.n_keylen, id) < 0) {
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		lc->l_why[0] = 0;
		goto done;
	}
	r->r_stats.s_nodes++;
done:
	gr_node_clear(&n);
	return rc;
}

static int edge_record(line_ctx *lc, const gr_value *o, const gr_value *type)
{
	static const char *const allowed[] = { "edge", "from", "to", "props", "sources", "occurrence", NULL };
	ig_run *r = lc->l_r;
	const gr_value *from = gr_map_get(o, "from"), *to = gr_map_get(o, "to");
	const gr_value *props = gr_map_get(o, "props"), *sources = gr_map_get(o, "sources");
	const gr_value *occ = gr_map_get(o, "occurrence");
	gr_edge e;
	gr_error ge;
	gr_claim_result cr;
	unsigned occurrence = 1;
	int rc = -1;

	gr_edge_init(&e);
	if (only_members(lc, o, allowed) < 0)
		goto done;
	if (type->type != GR_STRING || type->u.s.len == 0) {
		bad(lc, "\"edge\" must be the relationship type (a string)");
		goto done;
	}
	if (!from || !to) {
		bad(lc, "a relationship needs \"from\" and \"to\"");
		goto done;
	}
	if (occ && occ->type != GR_NULL) {
		if (occ->type != GR_INT || occ->u.i < 1 || occ->u.i > 0x7fffffff) {
			bad(lc, "\"occurrence\" must be a positive integer (the K-th look-alike of a claim)");
			goto done;
		}
		occurrence = (unsigned)occ->u.i;
	}
	if (ig_sym(r, type->u.s.ptr, type->u.s.len, 1, &e.e_type) != GR_OK) {
		bad(lc, "type %s: cannot add the name (%s)", gr_escn(type->u.s.ptr, type->u.s.len),
		    ig_name_why(type->u.s.ptr, type->u.s.len));
		goto done;
	}
	if (resolve_ref(lc, from, "from", &e.e_src) < 0 || resolve_ref(lc, to, "to", &e.e_dst) < 0)
		goto done;
	if (props && props->type != GR_NULL && parse_props(lc, props, &e.e_props, &e.e_nprops) < 0)
		goto done;
	if (sources && sources->type != GR_NULL && parse_sources(lc, sources, &e.e_cites, &e.e_ncites) < 0)
		goto done;
	if ((rc = gr_bulk_claim(r->r_bulk, &e, 0, occurrence, &cr, &ge)) != GR_OK) {
		rc = ig_graph_error(r, lc->l_f, lc->l_line, rc, &ge);
		lc->l_why[0] = 0;
		goto done;
	}
	ig_claim_note(r, lc->l_f, lc->l_line, &cr);
	r->r_stats.s_edges++;
done:
	gr_edge_clear(&e);
	return rc;
}

/* Imports one line.  Returns GR_OK (imported or skipped) or an error that
 * ends the import. */
static int jsonl_line(ig_run *r, const ig_file *f, uint64_t line, const char *p, size_t len)
{
	line_ctx lc;
	sg_json_error je;
	gr_value o;
	const gr_value *node, *edge;
	int rc;

	lc.l_r = r;
	lc.l_f = f;
	lc.l_line = line;
	lc.l_why[0] = 0;
	rc = sg_json_parse(p, len, &o, &je);
	if (rc == SG_JSON_ENOMEM)
		return gr_fail(r->r_err, GR_ENOMEM, "%s:%llu: out of memory", f->f_name, (unsigned long long)line);
	if (rc != SG_JSON_OK)
		return ig_bad(r, f, line, "invalid JSON at column %zu: %s", je.je_column, je.je_msg);
	if (o.type != GR_MAP) {
		gr_value_free(&o);
		return ig_bad(r, f, line, "a record is a JSON object with \"node\" or \"edge\"");
	}
	node = gr_map_get(&o, "node");
	edge = gr_map_get(&o, "edge");
	if (gr_map_get(&o, "position") && o.u.map.n == 1)   /* AIS, import_ais.c */
		rc = ig_position_record(r, gr_map_get(&o, "position"), lc.l_why, sizeof lc.l_why);
	else if ((node != NULL) == (edge != NULL))
		rc = bad(&lc, "a record has either \"node\" or \"edge\"");
	else if (node)
		rc = node_record(&lc, &o, node);
	else
		rc = edge_record(&lc, &o, edge);
	gr_value_free(&o);
	if (rc < 0 && lc.l_why[0])
		return ig_bad(r, f, line, "%s", lc.l_why);
	return rc;
}

int ig_import_jsonl(ig_run *r, const ig_file *f)
{
	const char *p = f->f_data, *end = f->f_data + f->f_len;
	uint64_t line = 0, records = 0;
	int rc;

	if (f->f_len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end, *q;
		line++;
		for (q = p; q < eol && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < eol) {
			if ((rc = jsonl_line(r, f, line, p, (size_t)(eol - p))) != GR_OK)
				return rc;
			records++;
			ig_progress(r, f, (uint64_t)(eol - f->f_data), records, 0);
		}
		p = nl ? nl + 1 : end;
	}
	ig_progress(r, f, f->f_len, records, 1);
	return GR_OK;
}
