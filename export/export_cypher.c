/*
 * export_cypher.c: the whole graph as a Cypher script that recreates it in
 * an empty Neo4j database, and that `sanctgraph query -f` runs as well
 * (export.h has the form).  Nodes are created in batches by CREATE, then
 * each relationship by MATCHing its two ends on their first label and key.
 * A first pass over the nodes finds keys that Neo4j could match twice.
 * Every name is backquoted and no comment holds text from the data: a
 * label with a newline in it must not become a statement of its own.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "export.h"

/* Nodes per CREATE statement. */
#define CY_BATCH 100

typedef struct cy_ctx {
	gr_txn *y_txn;
	FILE *y_out;
	gr_error *y_err;
	ex_note_fn y_note;
	void *y_arg;
	uint32_t *y_rank;        /* symbol id -> rank of its name */
	uint16_t y_keysym;       /* the symbol "key", 0 if none */
	char y_sources[64];      /* the citation property */
	uint64_t *y_noted;       /* (owner, property) pairs already noted */
	size_t y_nnoted, y_notecap;
	uint8_t *y_keyprop;      /* first labels whose nodes have a property key (bits) */
	gr_buf y_line;
} cy_ctx;

static int nomem(cy_ctx *y)
{
	return gr_fail(y->y_err, GR_ENOMEM, "out of memory");
}

static void note(cy_ctx *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(cy_ctx *y, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!y->y_note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	y->y_note(y->y_arg, msg);
}

static const char *sym(cy_ctx *y, uint16_t id)
{
	return gr_sym_name(y->y_txn, id, NULL);
}

static int put_cstr(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/* ---------------------------------------------------------------- values */

/* Appends a label, type or property name in backquotes, a backquote in it
 * doubled: always, so that no name, whatever it holds, is read as anything
 * but a name (a script made from hostile data must not run its text). */
static int put_name(gr_buf *b, const char *s)
{
	if (gr_buf_byte(b, '`') < 0)
		return -1;
	for (const char *p = s; *p; p++)
		if ((*p == '`' && gr_buf_byte(b, '`') < 0) || gr_buf_byte(b, (unsigned char)*p) < 0)
			return -1;
	return gr_buf_byte(b, '`');
}

/* Appends a string literal in single quotes. */
static int put_string(gr_buf *b, const char *s, size_t n)
{
	return gr_cypher_string(b, s, n);
}

/* Appends fn('text') for a temporal. */
static int put_call(gr_buf *b, const char *fn, const char *text, size_t n)
{
	return put_cstr(b, fn) < 0 || gr_buf_byte(b, '(') < 0 || put_string(b, text, n) < 0 ? -1 : gr_buf_byte(b, ')');
}

static int put_duration(gr_buf *b, const gr_duration *du)
{
	char tmp[192];
	size_t n = ex_format_duration_exact(du, tmp);

	if (n)
		return put_call(b, "duration", tmp, n);
	snprintf(tmp, sizeof tmp, "duration({months: %lld, days: %lld, seconds: %lld, nanoseconds: %ld})",
	    (long long)du->du_months, (long long)du->du_days, (long long)du->du_secs, (long)du->du_nanos);
	return put_cstr(b, tmp);
}

/* Appends the literal of a value Neo4j can store (ex_neo4j_kind). */
static int put_literal(gr_buf *b, const gr_value *v)
{
	char tmp[96];
	size_t n;

	switch (v->type) {
	case GR_STRING:
		return put_string(b, v->u.s.ptr, v->u.s.len);
	case GR_INT:
		if (v->u.i == INT64_MIN)
			return put_cstr(b, "-9223372036854775807 - 1");
		snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
		return put_cstr(b, tmp);
	case GR_FLOAT:
		if (isnan(v->u.f))
			return put_cstr(b, "0.0 / 0.0");
		if (isinf(v->u.f))
			return put_cstr(b, v->u.f > 0 ? "1.0 / 0.0" : "-1.0 / 0.0");
		n = ex_format_float(v->u.f, tmp);
		/* openCypher writes exponents without '+' */
		for (size_t i = 0; i < n; i++)
			if (tmp[i] == '+') {
				memmove(tmp + i, tmp + i + 1, n - i);
				n--;
			}
		return gr_buf_put(b, tmp, n);
	case GR_BOOL:
		return put_cstr(b, v->u.b ? "true" : "false");
	case GR_DATE:
		n = gr_format_date(v->u.date, tmp);
		return put_call(b, "date", tmp, n);
	case GR_DATETIME:
		n = gr_format_datetime(&v->u.dt, tmp);
		return put_call(b, v->u.dt.dt_offset == GR_TZ_NONE ? "localdatetime" : "datetime", tmp, n);
	case GR_DURATION:
		return put_duration(b, &v->u.du);
	case GR_TIME:
		n = gr_format_time(&v->u.tm, tmp);
		return put_call(b, v->u.tm.tm_offset == GR_TZ_NONE ? "localtime" : "time", tmp, n);
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (size_t i = 0; i < v->u.list.n; i++)
			if ((i && put_cstr(b, ", ") < 0) || put_literal(b, &v->u.list.items[i]) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	default:
		return -1;
	}
}

/* Notes once per (owner, property) that a value was written as JSON text. */
static int note_json(cy_ctx *y, int rel, uint16_t owner, uint16_t prop, const char *why)
{
	uint64_t k = (uint64_t)rel << 32 | (uint64_t)owner << 16 | prop;
	for (size_t i = 0; i < y->y_nnoted; i++)
		if (y->y_noted[i] == k)
			return 0;
	if (y->y_nnoted == y->y_notecap) {
		size_t nc = y->y_notecap ? y->y_notecap * 2 : 16;
		uint64_t *nn = realloc(y->y_noted, nc * sizeof *nn);
		if (!nn)
			return -1;
		y->y_noted = nn;
		y->y_notecap = nc;
	}
	y->y_noted[y->y_nnoted++] = k;
	note(y, "%s%s.%s: written as its JSON text: it holds %s, which Neo4j cannot store",
	    rel ? "relationships " : owner ? "" : "nodes without labels", owner ? sym(y, owner) : "", sym(y, prop), why);
	return 0;
}

/* Appends a property value: its literal, or its JSON text as a string. */
static int put_value(cy_ctx *y, gr_buf *b, int rel, uint16_t owner, uint16_t prop, const gr_value *v)
{
	ex_kind kind;
	int array, r;
	const char *why;
	gr_buf json = { 0 };

	if (ex_neo4j_kind(v, &kind, &array, &why) == 0)
		return put_literal(b, v);
	if (note_json(y, rel, owner, prop, why) < 0 || ex_jsonl_value(&json, v) < 0) {
		gr_buf_free(&json);
		return -1;
	}
	r = put_string(b, (const char *)json.b_data, json.b_len);
	gr_buf_free(&json);
	return r;
}

/*
 * Appends " {key: K, props..., sources: [...]}" (key only for nodes; the
 * braces only when there is something in them; the space when space is
 * set).  Returns 0, -1 when out of memory, -2 for a citation of a missing
 * node.
 */
static int put_map(cy_ctx *y, gr_buf *b, int space, int rel, uint16_t owner, const char *key, size_t klen, gr_prop *p,
    size_t np, const gr_cite *c, size_t nc)
{
	const char *open = space ? " {" : "{";
	int any = 0, r;

	ex_sort_props(p, np, y->y_rank);
	if (key) {
		if (put_cstr(b, open) < 0 || put_cstr(b, "`key`: ") < 0 || put_string(b, key, klen) < 0)
			return -1;
		any = 1;
	}
	for (size_t i = 0; i < np; i++) {
		if (!rel && p[i].p_key == y->y_keysym)
			continue;
		if (put_cstr(b, any ? ", " : open) < 0 || put_name(b, sym(y, p[i].p_key)) < 0 || put_cstr(b, ": ") < 0 ||
		    put_value(y, b, rel, owner, p[i].p_key, &p[i].p_val) < 0)
			return -1;
		any = 1;
	}
	if (nc) {
		gr_value cv;
		if ((r = ex_cites_value(y->y_txn, c, nc, &cv)) < 0)
			return r;
		r = put_cstr(b, any ? ", " : open) < 0 || put_name(b, y->y_sources) < 0 || put_cstr(b, ": ") < 0 ||
		    put_literal(b, &cv) < 0 ? -1 : 0;
		gr_value_free(&cv);
		if (r < 0)
			return -1;
		any = 1;
	}
	return any ? gr_buf_byte(b, '}') : 0;
}

static int flush(cy_ctx *y)
{
	if (fwrite(y->y_line.b_data, 1, y->y_line.b_len, y->y_out) != y->y_line.b_len)
		return gr_fail(y->y_err, GR_EIO, "cannot write: %s", strerror(errno));
	y->y_line.b_len = 0;
	return GR_OK;
}

/* ---------------------------------------------------------------- nodes */

/*
 * The first pass: the set of first labels (into labels, a bit each),
 * labels whose nodes have a property named key, and nodes that Neo4j
 * could not tell apart from another node when matching on label and key.
 */
static int survey_nodes(cy_ctx *y, uint8_t *labels)
{
	st_txn *st = gr_store_txn(y->y_txn);
	uint32_t id = 0;
	const void *rec;
	size_t len;
	int r, rc = GR_OK;

	while (rc == GR_OK && (r = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		if ((rc = gr_node_load(y->y_txn, id, &n, y->y_err)) != GR_OK)
			return rc;
		if (ex_redact_source(y->y_txn, &n) < 0) {
			gr_node_clear(&n);
			return gr_fail(y->y_err, GR_ENOMEM, "out of memory");
		}
		if (n.n_nlabels)
			labels[n.n_labels[0] / 8] |= (uint8_t)(1u << (n.n_labels[0] % 8));
		if (y->y_keysym && gr_props_get(n.n_props, n.n_nprops, y->y_keysym)) {
			uint16_t l = n.n_nlabels ? n.n_labels[0] : 0;
			if (!(y->y_keyprop[l / 8] & (1u << (l % 8))))
				note(y, "%s%s: property key not written: the key property holds the node key",
				    l ? "" : "nodes without labels", l ? sym(y, l) : "");
			y->y_keyprop[l / 8] |= (uint8_t)(1u << (l % 8));
		}
		/* another node whose first label is one of n's others, same key */
		for (size_t l = 1; l < n.n_nlabels; l++) {
			uint32_t other;
			if (gr_node_by_key(y->y_txn, n.n_labels[l], n.n_key, n.n_keylen, &other) == GR_OK && other != id)
				note(y, "%s:%s and %s:%s are the same node to MATCH (:%s {key: ...}) in Neo4j: relationships "
				    "of %s:%s may be created twice", sym(y, n.n_labels[0]), n.n_key, sym(y, n.n_labels[l]), n.n_key,
				    sym(y, n.n_labels[l]), sym(y, n.n_labels[l]), n.n_key);
		}
		gr_node_clear(&n);
	}
	if (rc == GR_OK && r != ST_ENOTFOUND)
		rc = gr_fail(y->y_err, GR_EIO, "reading nodes: %s", st_strerror());
	return rc;
}

/* The comment at the top: what the script is, and the indexes to make.
 * Only our own text: the citation property's name is "sources" with
 * underscores before it (ex_sources_name), never a name from the data. */
static int write_preamble(cy_ctx *y, size_t nlabels)
{
	gr_buf *b = &y->y_line;
	char count[256];

	snprintf(count, sizeof count, "// In Neo4j, a large graph loads much faster with an index made first on the key\n"
	    "// of each of the %zu labels nodes are created with (the first of each node):\n"
	    "//   CREATE INDEX IF NOT EXISTS FOR (n:`Label`) ON (n.`key`);\n", nlabels);
	if (put_cstr(b, "// sanctgraph export --format cypher: run in an empty Neo4j database (cypher-shell -f FILE)\n"
	    "// or with `sanctgraph query -f FILE`.  Node keys are the property `key`; citations\n"
	    "// are the property `") < 0 || put_cstr(b, y->y_sources) < 0 ||
	    put_cstr(b, "`, a list of 'SOURCE-KEY|CONFIDENCE' strings.\n") < 0 || put_cstr(b, count) < 0)
		return nomem(y);
	return flush(y);
}

/* The number of distinct first labels (bits set in labels). */
static size_t count_labels(const uint8_t *labels)
{
	size_t n = 0;
	for (uint32_t s = 1; s < 65536; s++)
		n += (labels[s / 8] >> (s % 8)) & 1;
	return n;
}

/* Appends the labels of a node pattern (":A:B"). */
static int put_labels(cy_ctx *y, gr_buf *b, const uint16_t *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (gr_buf_byte(b, ':') < 0 || put_name(b, sym(y, labels[i])) < 0)
			return -1;
	return 0;
}

static int write_nodes(cy_ctx *y)
{
	st_txn *st = gr_store_txn(y->y_txn);
	gr_buf *b = &y->y_line;
	uint32_t id = 0;
	const void *rec;
	size_t len, inbatch = 0;
	int r, rc = GR_OK;

	while (rc == GR_OK && (r = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		int w;
		if ((rc = gr_node_load(y->y_txn, id, &n, y->y_err)) != GR_OK)
			return rc;
		if (ex_redact_source(y->y_txn, &n) < 0) {
			gr_node_clear(&n);
			return gr_fail(y->y_err, GR_ENOMEM, "out of memory");
		}
		w = put_cstr(b, inbatch ? ",\n       (" : "CREATE (") < 0 || put_labels(y, b, n.n_labels, n.n_nlabels) < 0 ? -1 :
		    put_map(y, b, n.n_nlabels > 0, 0, n.n_nlabels ? n.n_labels[0] : 0, n.n_key, n.n_keylen, n.n_props, n.n_nprops, n.n_cites,
		    n.n_ncites);
		if (w == 0)
			w = gr_buf_byte(b, ')');
		if (w == 0 && ++inbatch == CY_BATCH) {
			w = put_cstr(b, ";\n");
			inbatch = 0;
		}
		gr_node_clear(&n);
		if (w == -2)
			rc = gr_fail(y->y_err, GR_ECORRUPT, "node %u cites a node that does not exist", id);
		else if (w < 0)
			rc = nomem(y);
		else if (b->b_len >= 1 << 16)
			rc = flush(y);
	}
	if (rc == GR_OK && r != ST_ENOTFOUND)
		rc = gr_fail(y->y_err, GR_EIO, "reading nodes: %s", st_strerror());
	if (rc == GR_OK && inbatch && put_cstr(b, ";\n") < 0)
		rc = nomem(y);
	return rc == GR_OK ? flush(y) : rc;
}

/* ---------------------------------------------------------------- relationships */

/* Appends "(v:Label {key: K})" matching node id; *nolabel set when it has no labels. */
static int put_match(cy_ctx *y, gr_buf *b, char v, uint32_t id, int *nolabel)
{
	uint16_t first;
	size_t nl, klen;
	const char *key;

	if (gr_node_labels(y->y_txn, id, &first, 1, &nl) != GR_OK || gr_node_key_get(y->y_txn, id, &key, &klen) != GR_OK)
		return -3;
	*nolabel = nl == 0;
	if (gr_buf_byte(b, '(') < 0 || gr_buf_byte(b, (unsigned char)v) < 0 || (nl && put_labels(y, b, &first, 1) < 0) ||
	    put_cstr(b, " {`key`: ") < 0 || put_string(b, key, klen) < 0)
		return -1;
	return put_cstr(b, "})");
}

static int write_edge(void *arg, const ex_edge_ref *e)
{
	cy_ctx *y = arg;
	gr_buf *b = &y->y_line;
	int a_bare = 0, b_bare = 0, self = e->er_src == e->er_dst, r;
	gr_edge ge;
	int rc;

	gr_edge_init(&ge);
	ge.e_id = e->er_edge;
	ge.e_src = e->er_src;
	ge.e_dst = e->er_dst;
	ge.e_type = e->er_type;
	if ((rc = gr_edge_load_props(y->y_txn, &ge, y->y_err)) != GR_OK)
		return rc;
	r = put_cstr(b, "MATCH ") < 0 ? -1 : put_match(y, b, 'a', e->er_src, &a_bare);
	if (r == 0 && !self)
		r = put_cstr(b, ", ") < 0 ? -1 : put_match(y, b, 'b', e->er_dst, &b_bare);
	if (r == 0 && (a_bare || b_bare))
		r = put_cstr(b, a_bare && b_bare && !self ? " WHERE size(labels(a)) = 0 AND size(labels(b)) = 0" :
		    a_bare ? " WHERE size(labels(a)) = 0" : " WHERE size(labels(b)) = 0") < 0 ? -1 : 0;
	if (r == 0)
		r = put_cstr(b, " CREATE (a)-[:") < 0 || put_name(b, gr_sym_name(y->y_txn, e->er_type, NULL)) < 0 ? -1 :
		    put_map(y, b, 1, 1, e->er_type, NULL, 0, ge.e_props, ge.e_nprops, ge.e_cites, ge.e_ncites);
	if (r == 0)
		r = put_cstr(b, self ? "]->(a);\n" : "]->(b);\n");
	gr_edge_clear(&ge);
	if (r == -3)
		return gr_fail(y->y_err, GR_ECORRUPT, "relationship %u: an end node cannot be read", e->er_edge);
	if (r == -2)
		return gr_fail(y->y_err, GR_ECORRUPT, "relationship %u cites a node that does not exist", e->er_edge);
	if (r < 0)
		return nomem(y);
	return b->b_len >= 1 << 16 ? flush(y) : GR_OK;
}

int ex_cypher(gr_txn *txn, FILE *out, ex_note_fn note_fn, void *arg, gr_error *err)
{
	cy_ctx y;
	uint8_t *labels = NULL;
	int rc;

	memset(&y, 0, sizeof y);
	y.y_txn = txn;
	y.y_out = out;
	y.y_err = err;
	y.y_note = note_fn;
	y.y_arg = arg;
	ex_sources_name(txn, y.y_sources);
	if (gr_sym(txn, "key", 3, 0, &y.y_keysym) != GR_OK)
		y.y_keysym = 0;
	if (!(labels = calloc(65536 / 8, 1)) || !(y.y_keyprop = calloc(65536 / 8, 1)))
		rc = nomem(&y);
	else if ((rc = ex_symbol_ranks(txn, &y.y_rank, err)) == GR_OK && (rc = survey_nodes(&y, labels)) == GR_OK &&
	    (rc = write_preamble(&y, count_labels(labels))) == GR_OK && (rc = write_nodes(&y)) == GR_OK &&
	    (rc = ex_each_edge(txn, y.y_rank, write_edge, &y, err)) == GR_OK)
		rc = flush(&y);
	if (rc == GR_OK && fflush(out) != 0)
		rc = gr_fail(err, GR_EIO, "cannot write: %s", strerror(errno));
	free(labels);
	free(y.y_keyprop);
	free(y.y_rank);
	free(y.y_noted);
	gr_buf_free(&y.y_line);
	return rc;
}
