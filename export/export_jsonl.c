/*
 * export_jsonl.c: the whole graph as native JSONL (ingest/ingest.h has the
 * format), written so that importing it into an empty database and
 * exporting again gives the same bytes: nothing in the output depends on
 * node, edge or symbol ids, only on the stored graph and the order in which
 * its nodes and edges were created.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "../graph/claim.h"

/* ---------------------------------------------------------------- values */

size_t ex_format_float(double d, char *buf)
{
	char sci[40], digits[20];
	int prec, exp10, nd = 0, point, n = 0;
	const char *p;

	/* the fewest significant digits that read back exactly, as d.ddde±x */
	for (prec = 1; prec <= 17; prec++) {
		snprintf(sci, sizeof sci, "%.*e", prec - 1, d);
		if (strtod(sci, NULL) == d)
			break;
	}
	for (p = sci; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof digits)
			digits[nd++] = *p;
	exp10 = *p == 'e' ? atoi(p + 1) : 0;
	if (sci[0] == '-')
		buf[n++] = '-';
	point = exp10 + 1;          /* digits before the decimal point */
	if (exp10 < -6 || exp10 > 20) {
		/* as JavaScript: d.ddde±x outside 1e-6 .. 1e21 */
		buf[n++] = digits[0];
		if (nd > 1) {
			buf[n++] = '.';
			memcpy(buf + n, digits + 1, (size_t)nd - 1);
			n += nd - 1;
		}
		n += snprintf(buf + n, 32 - (size_t)n, "e%s%d", exp10 < 0 ? "-" : "+", exp10 < 0 ? -exp10 : exp10);
		return (size_t)n;
	}
	if (point <= 0) {
		buf[n++] = '0';
		buf[n++] = '.';
		for (int i = 0; i < -point; i++)
			buf[n++] = '0';
		memcpy(buf + n, digits, (size_t)nd);
		n += nd;
	} else if (point >= nd) {
		memcpy(buf + n, digits, (size_t)nd);
		n += nd;
		for (int i = nd; i < point; i++)
			buf[n++] = '0';
		buf[n++] = '.';
		buf[n++] = '0';
	} else {
		memcpy(buf + n, digits, (size_t)point);
		n += point;
		buf[n++] = '.';
		memcpy(buf + n, digits + point, (size_t)(nd - point));
		n += nd - point;
	}
	buf[n] = 0;
	return (size_t)n;
}

static int put_str(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/* Whether a string would be read back as a temporal (gr_value_from_text). */
static int reads_as_temporal(const char *s, size_t len)
{
	int32_t days;
	gr_datetime dt;
	if (len < 10 || !(s[0] == '+' || s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	return gr_parse_date(s, len, &days) == 0 || gr_parse_datetime(s, len, &dt) == 0;
}

size_t ex_format_duration_exact(const gr_duration *du, char *buf)
{
	size_t n = gr_format_duration(du, buf);
	gr_duration back;

	if (gr_parse_duration(buf, n, &back) == 0 && back.du_months == du->du_months &&
	    back.du_days == du->du_days && back.du_secs == du->du_secs && back.du_nanos == du->du_nanos)
		return n;
	return 0;
}

static int put_duration(gr_buf *b, const gr_duration *du)
{
	char tmp[192];
	size_t n = ex_format_duration_exact(du, tmp);

	if (n)
		return put_str(b, "{\"$duration\":") < 0 || gr_json_string(b, tmp, n) < 0 ? -1 : gr_buf_byte(b, '}');
	snprintf(tmp, sizeof tmp, "{\"$duration\":{\"months\":%lld,\"days\":%lld,\"seconds\":%lld,\"nanos\":%ld}}",
	    (long long)du->du_months, (long long)du->du_days, (long long)du->du_secs, (long)du->du_nanos);
	return put_str(b, tmp);
}

int ex_jsonl_value(gr_buf *b, const gr_value *v)
{
	char tmp[96];
	size_t n;

	switch (v->type) {
	case GR_NULL:
		return put_str(b, "null");
	case GR_BOOL:
		return put_str(b, v->u.b ? "true" : "false");
	case GR_INT:
		snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
		return put_str(b, tmp);
	case GR_FLOAT:
		if (isnan(v->u.f))
			return put_str(b, "{\"$float\":\"NaN\"}");
		if (isinf(v->u.f))
			return put_str(b, v->u.f > 0 ? "{\"$float\":\"Infinity\"}" : "{\"$float\":\"-Infinity\"}");
		n = ex_format_float(v->u.f, tmp);
		return gr_buf_put(b, tmp, n);
	case GR_STRING:
		if (reads_as_temporal(v->u.s.ptr, v->u.s.len))
			return put_str(b, "{\"$string\":") < 0 || gr_json_string(b, v->u.s.ptr, v->u.s.len) < 0 ? -1 :
			    gr_buf_byte(b, '}');
		return gr_json_string(b, v->u.s.ptr, v->u.s.len);
	case GR_DATE:
		n = gr_format_date(v->u.date, tmp);
		return gr_json_string(b, tmp, n);
	case GR_DATETIME:
		n = gr_format_datetime(&v->u.dt, tmp);
		return gr_json_string(b, tmp, n);
	case GR_DURATION:
		return put_duration(b, &v->u.du);
	case GR_TIME:
		/* typed: a bare "12:00" stays a string, on import as on the command line */
		n = gr_format_time(&v->u.tm, tmp);
		if (put_str(b, v->u.tm.tm_offset == GR_TZ_NONE ? "{\"$localtime\":" : "{\"$time\":") < 0 ||
		    gr_json_string(b, tmp, n) < 0)
			return -1;
		return gr_buf_byte(b, '}');
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (size_t i = 0; i < v->u.list.n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || ex_jsonl_value(b, &v->u.list.items[i]) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	case GR_MAP:
		if (put_str(b, "{\"$map\":{") < 0)
			return -1;
		for (size_t i = 0; i < v->u.map.n; i++) {
			const char *k = v->u.map.keys[i];
			if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, k, strlen(k)) < 0 ||
			    gr_buf_byte(b, ':') < 0 || ex_jsonl_value(b, &v->u.map.vals[i]) < 0)
				return -1;
		}
		return put_str(b, "}}");
	default:
		return -1;
	}
}

/* ---------------------------------------------------------------- the graph */

/* What the export knows of each node, by node id. */
typedef struct node_info {
	uint32_t ni_rank;        /* 1-based position in the output; 0: no node */
	uint32_t ni_ref;         /* offset of the reference's JSON in the arena */
	uint32_t ni_key;         /* offset of the key's JSON string */
	uint8_t ni_source_first; /* the first label is Source */
} node_info;

typedef struct ex_ctx {
	gr_txn *x_txn;
	FILE *x_out;
	gr_error *x_err;
	uint32_t *x_symrank;     /* symbol id -> rank of its name */
	node_info *x_nodes;      /* by node id */
	uint32_t x_maxid;        /* x_nodes has x_maxid + 1 entries */
	uint32_t *x_order;       /* node ids in output order */
	size_t x_norder;
	gr_buf x_arena;          /* NUL-separated JSON texts of refs and keys */
	gr_buf x_line;
} ex_ctx;

/* Appends a NUL-terminated JSON text to the arena; *off receives its offset. */
static int arena_add(ex_ctx *x, const gr_buf *text, uint32_t *off)
{
	if (x->x_arena.b_len > 0xffffffffu - text->b_len - 1)
		return -1;
	*off = (uint32_t)x->x_arena.b_len;
	return gr_buf_put(&x->x_arena, text->b_data, text->b_len) < 0 ? -1 : gr_buf_byte(&x->x_arena, 0);
}

static const char *arena_at(const ex_ctx *x, uint32_t off)
{
	return (const char *)x->x_arena.b_data + off;
}

/* Records node id's reference and key texts, and whether its first label
 * is Source. */
static int note_node(ex_ctx *x, uint32_t id, uint16_t source)
{
	gr_txn *t = x->x_txn;
	gr_buf tmp = { 0 };
	uint16_t labels[1];
	size_t nl, klen, llen;
	const char *key, *label;
	node_info *ni = &x->x_nodes[id];
	int rc = GR_ENOMEM;

	if (gr_node_labels(t, id, labels, 1, &nl) != GR_OK || gr_node_key_get(t, id, &key, &klen) != GR_OK)
		return gr_fail(x->x_err, GR_ECORRUPT, "node %u: malformed record", id);
	label = nl ? gr_sym_name(t, labels[0], &llen) : "";
	if (!nl)
		llen = 0;
	ni->ni_source_first = nl && labels[0] == source;
	if (gr_json_string(&tmp, key, klen) < 0 || arena_add(x, &tmp, &ni->ni_key) < 0)
		goto done;
	tmp.b_len = 0;
	if (memchr(label, ':', llen)) {
		if (put_str(&tmp, "{\"label\":") < 0 || gr_json_string(&tmp, label, llen) < 0 ||
		    put_str(&tmp, ",\"key\":") < 0 || gr_json_string(&tmp, key, klen) < 0 || gr_buf_byte(&tmp, '}') < 0)
			goto done;
	} else {
		char *s = malloc(llen + klen + 2);
		if (!s)
			goto done;
		memcpy(s, label, llen);
		s[llen] = ':';
		memcpy(s + llen + 1, key, klen);
		rc = gr_json_string(&tmp, s, llen + klen + 1);
		free(s);
		if (rc < 0) {
			rc = GR_ENOMEM;
			goto done;
		}
	}
	if (arena_add(x, &tmp, &ni->ni_ref) < 0)
		goto done;
	rc = GR_OK;
done:
	gr_buf_free(&tmp);
	return rc == GR_OK ? GR_OK : gr_fail(x->x_err, rc, "out of memory");
}

/* Puts the nodes in output order (Source nodes first) and notes each. */
static int order_nodes(ex_ctx *x)
{
	st_txn *st = gr_store_txn(x->x_txn);
	uint16_t source = 0;
	uint32_t id, next = 0, *others = NULL;
	size_t nothers = 0;
	const void *rec;
	size_t len;
	int rc;

	gr_sym(x->x_txn, "Source", 6, 0, &source);
	st_id_next(st, 0, &next);
	/* ids are below `next`; an import may have set it, so trust the data too */
	x->x_maxid = next ? next : 1;
	id = 0;
	while (st_node_next(st, &id, &rec, &len) == ST_OK)
		if (id > x->x_maxid)
			x->x_maxid = id;
	if (!(x->x_nodes = calloc((size_t)x->x_maxid + 1, sizeof *x->x_nodes)) ||
	    !(x->x_order = malloc(((size_t)x->x_maxid + 1) * sizeof *x->x_order)) ||
	    !(others = malloc(((size_t)x->x_maxid + 1) * sizeof *others)))
		return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
	id = 0;
	while ((rc = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		if (source && gr_node_has_label_id(x->x_txn, id, source))
			x->x_order[x->x_norder++] = id;
		else
			others[nothers++] = id;
		if ((rc = note_node(x, id, source)) != GR_OK) {
			free(others);
			return rc;
		}
	}
	memcpy(x->x_order + x->x_norder, others, nothers * sizeof *others);
	x->x_norder += nothers;
	free(others);
	for (size_t i = 0; i < x->x_norder; i++)
		x->x_nodes[x->x_order[i]].ni_rank = (uint32_t)i + 1;
	if (rc != ST_ENOTFOUND)
		return gr_fail(x->x_err, GR_EIO, "reading nodes: %s", st_strerror());
	return GR_OK;
}

/* Appends ,"props":{...} (sorted by name) when there are properties. */
static int put_props(ex_ctx *x, gr_buf *b, gr_prop *p, size_t np)
{
	if (!np)
		return 0;
	ex_sort_props(p, np, x->x_symrank);
	if (put_str(b, ",\"props\":{") < 0)
		return -1;
	for (size_t i = 0; i < np; i++) {
		size_t len;
		const char *name = gr_sym_name(x->x_txn, p[i].p_key, &len);
		if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, name, len) < 0 || gr_buf_byte(b, ':') < 0 ||
		    ex_jsonl_value(b, &p[i].p_val) < 0)
			return -1;
	}
	return gr_buf_byte(b, '}');
}

/* Appends ,"sources":[...] when there are citations. */
static int put_cites(ex_ctx *x, gr_buf *b, const gr_cite *c, size_t nc)
{
	if (!nc)
		return 0;
	if (put_str(b, ",\"sources\":[") < 0)
		return -1;
	for (size_t i = 0; i < nc; i++) {
		const node_info *ni = c[i].c_source <= x->x_maxid ? &x->x_nodes[c[i].c_source] : NULL;
		const char *conf = gr_confidence_name(c[i].c_conf);
		if (!ni || !ni->ni_rank || !conf)
			return -2;
		if ((i && gr_buf_byte(b, ',') < 0) ||
		    put_str(b, ni->ni_source_first ? "{\"key\":" : "{\"ref\":") < 0 ||
		    put_str(b, arena_at(x, ni->ni_source_first ? ni->ni_key : ni->ni_ref)) < 0 ||
		    put_str(b, ",\"confidence\":\"") < 0 || put_str(b, conf) < 0 || put_str(b, "\"}") < 0)
			return -1;
	}
	return gr_buf_byte(b, ']');
}

/* Writes the line in x_line and empties it. */
static int flush_line(ex_ctx *x)
{
	if (gr_buf_byte(&x->x_line, '\n') < 0)
		return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
	if (fwrite(x->x_line.b_data, 1, x->x_line.b_len, x->x_out) != x->x_line.b_len)
		return gr_fail(x->x_err, GR_EIO, "cannot write: %s", strerror(errno));
	x->x_line.b_len = 0;
	return GR_OK;
}

/* A failed put_*: -2 a citation of a missing node, else out of memory. */
static int put_failed(ex_ctx *x, int r, const char *what)
{
	if (r == -2)
		return gr_fail(x->x_err, GR_ECORRUPT, "%s cites a node that does not exist", what);
	return gr_fail(x->x_err, GR_ENOMEM, "out of memory, or a value that cannot be exported in %s", what);
}

/* Whether every citation of n is of a node written before it. */
static int cites_written(const ex_ctx *x, const gr_node *n)
{
	uint32_t own = x->x_nodes[n->n_id].ni_rank;
	for (size_t i = 0; i < n->n_ncites; i++) {
		uint32_t s = n->n_cites[i].c_source;
		if (s > x->x_maxid || x->x_nodes[s].ni_rank >= own)
			return 0;
	}
	return 1;
}

/* The start of a node line: {"node":L (or null),"key":K. */
static int put_node_head(ex_ctx *x, gr_buf *b, const gr_node *n)
{
	size_t len;
	const char *name;
	if (put_str(b, "{\"node\":") < 0)
		return -1;
	if (n->n_nlabels) {
		name = gr_sym_name(x->x_txn, n->n_labels[0], &len);
		if (gr_json_string(b, name, len) < 0)
			return -1;
	} else if (put_str(b, "null") < 0) {
		return -1;
	}
	return put_str(b, ",\"key\":") < 0 ? -1 : put_str(b, arena_at(x, x->x_nodes[n->n_id].ni_key));
}

static int write_nodes(ex_ctx *x)
{
	uint32_t *deferred = NULL;
	size_t ndeferred = 0;
	gr_buf *b = &x->x_line;
	int rc = GR_OK, r;

	for (int pass = 0; pass < 2 && rc == GR_OK; pass++) {
		size_t count = pass == 0 ? x->x_norder : ndeferred;
		for (size_t i = 0; i < count && rc == GR_OK; i++) {
			uint32_t id = pass == 0 ? x->x_order[i] : deferred[i];
			int defer;
			gr_node n;
			if ((rc = gr_node_load(x->x_txn, id, &n, x->x_err)) != GR_OK)
				break;
			defer = pass == 0 && !cites_written(x, &n);
			r = put_node_head(x, b, &n);
			if (r == 0 && pass == 0 && n.n_nlabels > 1) {
				r = put_str(b, ",\"labels\":[");
				for (size_t l = 0; l < n.n_nlabels && r == 0; l++) {
					size_t len;
					const char *name = gr_sym_name(x->x_txn, n.n_labels[l], &len);
					r = (l && gr_buf_byte(b, ',') < 0) || gr_json_string(b, name, len) < 0 ? -1 : 0;
				}
				if (r == 0)
					r = gr_buf_byte(b, ']');
			}
			if (r == 0 && pass == 0)
				r = put_props(x, b, n.n_props, n.n_nprops);
			if (r == 0 && !defer)
				r = put_cites(x, b, n.n_cites, n.n_ncites);
			if (r == 0)
				r = gr_buf_byte(b, '}');
			if (r < 0)
				rc = put_failed(x, r, "a node");
			else
				rc = flush_line(x);
			if (rc == GR_OK && defer) {
				if (!deferred && !(deferred = malloc(x->x_norder * sizeof *deferred)))
					rc = gr_fail(x->x_err, GR_ENOMEM, "out of memory");
				else
					deferred[ndeferred++] = id;
			}
			gr_node_clear(&n);
		}
	}
	free(deferred);
	return rc;
}

typedef struct out_edge { uint32_t oe_typerank, oe_dstrank, oe_edge, oe_dst; uint16_t oe_type; } out_edge;

static int cmp_out_edge(const void *a, const void *b)
{
	const out_edge *x = a, *y = b;
	if (x->oe_typerank != y->oe_typerank)
		return x->oe_typerank < y->oe_typerank ? -1 : 1;
	if (x->oe_dstrank != y->oe_dstrank)
		return x->oe_dstrank < y->oe_dstrank ? -1 : 1;
	return (x->oe_edge > y->oe_edge) - (x->oe_edge < y->oe_edge);
}

/* Writes one relationship; occurrence K >= 2 when K-1 earlier edges of
 * its group are the same claim (claim.h), so that an import finds it. */
static int write_edge(ex_ctx *x, uint32_t src, const out_edge *oe, unsigned occurrence)
{
	gr_buf *b = &x->x_line;
	gr_edge e;
	size_t len;
	const char *type;
	int rc, r;

	gr_edge_init(&e);
	e.e_id = oe->oe_edge;
	e.e_src = src;
	e.e_dst = oe->oe_dst;
	e.e_type = oe->oe_type;
	if ((rc = gr_edge_load_props(x->x_txn, &e, x->x_err)) != GR_OK)
		return rc;
	type = gr_sym_name(x->x_txn, e.e_type, &len);
	r = put_str(b, "{\"edge\":") < 0 || gr_json_string(b, type, len) < 0 ||
	    put_str(b, ",\"from\":") < 0 || put_str(b, arena_at(x, x->x_nodes[src].ni_ref)) < 0 ||
	    put_str(b, ",\"to\":") < 0 || put_str(b, arena_at(x, x->x_nodes[e.e_dst].ni_ref)) < 0 ? -1 : 0;
	if (r == 0)
		r = put_props(x, b, e.e_props, e.e_nprops);
	if (r == 0)
		r = put_cites(x, b, e.e_cites, e.e_ncites);
	if (r == 0 && occurrence >= 2) {
		char occ[40];
		snprintf(occ, sizeof occ, ",\"occurrence\":%u", occurrence);
		r = put_str(b, occ);
	}
	if (r == 0)
		r = gr_buf_byte(b, '}');
	rc = r < 0 ? put_failed(x, r, "a relationship") : flush_line(x);
	gr_edge_clear(&e);
	return rc;
}

/* The occurrence of each edge of a group (same start, type and end, in id
 * order): 1 + the number of earlier ones that are the same claim. */
static int group_occurrences(ex_ctx *x, uint32_t src, const out_edge *es, size_t n, unsigned **occ)
{
	gr_edge *ed = calloc(n, sizeof *ed);
	int rc = GR_OK;
	*occ = calloc(n, sizeof **occ);
	if (!ed || !*occ) {
		free(ed);
		free(*occ);
		*occ = NULL;
		return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n && rc == GR_OK; i++) {
		gr_edge_init(&ed[i]);
		ed[i].e_id = es[i].oe_edge;
		ed[i].e_src = src;
		ed[i].e_dst = es[i].oe_dst;
		ed[i].e_type = es[i].oe_type;
		rc = gr_edge_load_props(x->x_txn, &ed[i], x->x_err);
	}
	for (size_t i = 0; i < n && rc == GR_OK; i++) {
		(*occ)[i] = 1;
		for (size_t j = 0; j < i; j++)
			if (gr_claim_same(x->x_txn, &ed[j], &ed[i]))
				(*occ)[i]++;
	}
	for (size_t i = 0; i < n; i++)
		gr_edge_clear(&ed[i]);
	free(ed);
	return rc;
}

static int write_edges(ex_ctx *x)
{
	st_adj_iter *it = NULL;
	out_edge *es = NULL;
	size_t cap = 0;
	int rc = GR_OK;

	if (st_adj_open(gr_store_txn(x->x_txn), &it) != ST_OK)
		return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < x->x_norder && rc == GR_OK; i++) {
		uint32_t src = x->x_order[i];
		size_t n = 0;
		st_adj a;
		int r;
		if (st_adj_seek(it, ST_OUT, src, 0, 0) != ST_OK) {
			rc = gr_fail(x->x_err, GR_EIO, "reading relationships: %s", st_strerror());
			break;
		}
		while ((r = st_adj_read(it, &a)) == 1) {
			if (a.a_nbr > x->x_maxid || !x->x_nodes[a.a_nbr].ni_rank) {
				rc = gr_fail(x->x_err, GR_ECORRUPT, "relationship %u ends at node %u, which does not exist", a.a_edge, a.a_nbr);
				break;
			}
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				out_edge *ne = realloc(es, nc * sizeof *ne);
				if (!ne) {
					rc = gr_fail(x->x_err, GR_ENOMEM, "out of memory");
					break;
				}
				es = ne;
				cap = nc;
			}
			es[n].oe_typerank = x->x_symrank[a.a_type];
			es[n].oe_dstrank = x->x_nodes[a.a_nbr].ni_rank;
			es[n].oe_edge = a.a_edge;
			es[n].oe_dst = a.a_nbr;
			es[n++].oe_type = a.a_type;
		}
		if (rc == GR_OK && r < 0)
			rc = gr_fail(x->x_err, GR_EIO, "reading relationships: %s", st_strerror());
		if (rc != GR_OK)
			break;
		if (n > 1)
			qsort(es, n, sizeof *es, cmp_out_edge);
		for (size_t k = 0, g = 0; k < n && rc == GR_OK; k = g) {
			/* a group: one type to one node, in id order */
			unsigned *occ = NULL;
			for (g = k + 1; g < n && es[g].oe_type == es[k].oe_type && es[g].oe_dst == es[k].oe_dst; g++)
				;
			if (g - k > 1 && (rc = group_occurrences(x, src, es + k, g - k, &occ)) != GR_OK)
				break;
			for (size_t j = k; j < g && rc == GR_OK; j++)
				rc = write_edge(x, src, &es[j], occ ? occ[j - k] : 1);
			free(occ);
		}
	}
	free(es);
	st_adj_close(it);
	return rc;
}

int ex_jsonl(gr_txn *txn, FILE *out, gr_error *err)
{
	ex_ctx x;
	int rc;

	memset(&x, 0, sizeof x);
	x.x_txn = txn;
	x.x_out = out;
	x.x_err = err;
	if ((rc = ex_symbol_ranks(txn, &x.x_symrank, err)) == GR_OK && (rc = order_nodes(&x)) == GR_OK &&
	    (rc = write_nodes(&x)) == GR_OK)
		rc = write_edges(&x);
	if (rc == GR_OK && fflush(out) != 0)
		rc = gr_fail(err, GR_EIO, "cannot write: %s", strerror(errno));
	free(x.x_symrank);
	free(x.x_nodes);
	free(x.x_order);
	gr_buf_free(&x.x_arena);
	gr_buf_free(&x.x_line);
	return rc;
}
