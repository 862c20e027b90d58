/*
 * export_csv.c: the whole graph as a directory of neo4j-admin import CSV
 * files (export.h has the layout), and what the exporters share: how Neo4j
 * stores values, symbol ranks and the property order (the JSONL exporter
 * uses these two as well), the citation property and the relationship
 * order.
 *
 * Two passes.  The first reads every node and relationship to learn the
 * files (one per first label, one per type and pair of end labels) and the
 * type of each of their columns.  The second writes the files, a chunk of
 * them at a time so that the number of open files stays bounded, each
 * chunk one more read of the graph.  Nothing is held per node or
 * relationship but the first label of each node.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "redact.h"
#include "export.h"

/* Files open at once in the second pass. */
#define CSV_CHUNK 128

/* ================================================================ shared */

static const char *const kind_names[] = {
	[EX_K_NONE] = "string", [EX_K_STRING] = "string", [EX_K_LONG] = "long",
	[EX_K_DOUBLE] = "double", [EX_K_BOOLEAN] = "boolean", [EX_K_DATE] = "date",
	[EX_K_DATETIME] = "datetime", [EX_K_LOCALDATETIME] = "localdatetime",
	[EX_K_DURATION] = "duration", [EX_K_TIME] = "time", [EX_K_LOCALTIME] = "localtime",
};

const char *ex_kind_name(ex_kind k)
{
	return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "string";
}

/* The kind of a scalar, or EX_K_NONE when v is not one. */
static ex_kind scalar_kind(const gr_value *v)
{
	switch (v->type) {
	case GR_STRING: return EX_K_STRING;
	case GR_INT: return EX_K_LONG;
	case GR_FLOAT: return EX_K_DOUBLE;
	case GR_BOOL: return EX_K_BOOLEAN;
	case GR_DATE: return EX_K_DATE;
	case GR_DATETIME: return v->u.dt.dt_offset == GR_TZ_NONE ? EX_K_LOCALDATETIME : EX_K_DATETIME;
	case GR_DURATION: return EX_K_DURATION;
	case GR_TIME: return v->u.tm.tm_offset == GR_TZ_NONE ? EX_K_LOCALTIME : EX_K_TIME;
	default: return EX_K_NONE;
	}
}

int ex_neo4j_kind(const gr_value *v, ex_kind *kind, int *array, const char **why)
{
	ex_kind k = scalar_kind(v), first = EX_K_NONE;

	if (k != EX_K_NONE) {
		*kind = k;
		*array = 0;
		return 0;
	}
	if (v->type == GR_MAP) {
		*why = "a map";
		return -1;
	}
	if (v->type != GR_LIST) {
		*why = "not a property value";
		return -1;
	}
	for (size_t i = 0; i < v->u.list.n; i++) {
		const gr_value *item = &v->u.list.items[i];
		k = scalar_kind(item);
		if (k == EX_K_NONE) {
			*why = item->type == GR_NULL ? "a list holding null" :
			    item->type == GR_LIST ? "a list holding lists" : "a list holding maps";
			return -1;
		}
		if (i == 0)
			first = k;
		else if (k != first) {
			*why = "a list of mixed types";
			return -1;
		}
	}
	*kind = first;
	*array = 1;
	return 0;
}

typedef struct sym_name { uint16_t sn_id; const char *sn_name; size_t sn_len; } sym_name;

static int cmp_sym_name(const void *a, const void *b)
{
	const sym_name *x = a, *y = b;
	size_t n = x->sn_len < y->sn_len ? x->sn_len : y->sn_len;
	int c = memcmp(x->sn_name, y->sn_name, n);
	return c ? c : (x->sn_len > y->sn_len) - (x->sn_len < y->sn_len);
}

int ex_symbol_ranks(gr_txn *txn, uint32_t **rank, gr_error *err)
{
	st_txn *st = gr_store_txn(txn);
	sym_name *all = NULL;
	size_t n = 0, cap = 0;
	uint16_t id = 0;
	const char *name;
	size_t len;

	if (!(*rank = calloc(65536, sizeof **rank)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	while (st_sym_next(st, &id, &name, &len) == ST_OK) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			sym_name *na = realloc(all, nc * sizeof *na);
			if (!na) {
				free(all);
				free(*rank);
				*rank = NULL;
				return gr_fail(err, GR_ENOMEM, "out of memory");
			}
			all = na;
			cap = nc;
		}
		all[n].sn_id = id;
		all[n].sn_name = name;
		all[n++].sn_len = len;
		if (id == 0xffff)
			break;
	}
	if (n > 1)
		qsort(all, n, sizeof *all, cmp_sym_name);
	for (size_t i = 0; i < n; i++)
		(*rank)[all[i].sn_id] = (uint32_t)i + 1;
	free(all);
	return GR_OK;
}

void ex_sort_props(gr_prop *p, size_t np, const uint32_t *rank)
{
	for (size_t i = 1; i < np; i++) {
		gr_prop cur = p[i];
		size_t j = i;
		for (; j > 0 && rank[p[j - 1].p_key] > rank[cur.p_key]; j--)
			p[j] = p[j - 1];
		p[j] = cur;
	}
}

void ex_sources_name(gr_txn *txn, char *buf)
{
	static const char base[] = "sources";
	size_t under = 0;
	uint16_t id;

	for (;;) {
		memset(buf, '_', under);
		memcpy(buf + under, base, sizeof base);
		if (under >= 63 - sizeof base || gr_sym(txn, buf, under + sizeof base - 1, 0, &id) != GR_OK)
			return;
		under++;
	}
}

int ex_cites_value(gr_txn *txn, const gr_cite *c, size_t nc, gr_value *out)
{
	gr_value list = gr_list(nc);

	for (size_t i = 0; i < nc; i++) {
		const char *key, *conf = gr_confidence_name(c[i].c_conf);
		size_t klen, clen;
		char *s;
		if (gr_node_key_get(txn, c[i].c_source, &key, &klen) != GR_OK || !conf) {
			gr_value_free(&list);
			return -2;
		}
		clen = strlen(conf);
		if (!(s = malloc(klen + clen + 2))) {
			gr_value_free(&list);
			return -1;
		}
		memcpy(s, key, klen);
		s[klen] = '|';
		memcpy(s + klen + 1, conf, clen + 1);
		if (gr_list_push(&list, gr_string_own(s, klen + clen + 1)) < 0) {
			gr_value_free(&list);
			return -1;
		}
	}
	*out = list;
	return 0;
}

static int cmp_edge_ref(const void *a, const void *b, const uint32_t *rank)
{
	const ex_edge_ref *x = a, *y = b;
	uint32_t rx = rank[x->er_type], ry = rank[y->er_type];
	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->er_dst != y->er_dst)
		return x->er_dst < y->er_dst ? -1 : 1;
	return (x->er_edge > y->er_edge) - (x->er_edge < y->er_edge);
}

/* Sorts one node's out-edges (an insertion sort for the usual few, a
 * merge sort with a scratch array for hubs). */
static void sort_edge_refs(ex_edge_ref *e, ex_edge_ref *tmp, size_t n, const uint32_t *rank)
{
	if (n < 16) {
		for (size_t i = 1; i < n; i++) {
			ex_edge_ref cur = e[i];
			size_t j = i;
			for (; j > 0 && cmp_edge_ref(&e[j - 1], &cur, rank) > 0; j--)
				e[j] = e[j - 1];
			e[j] = cur;
		}
		return;
	}
	size_t half = n / 2, i = 0, j = half, k = 0;
	sort_edge_refs(e, tmp, half, rank);
	sort_edge_refs(e + half, tmp, n - half, rank);
	while (i < half && j < n)
		tmp[k++] = cmp_edge_ref(&e[j], &e[i], rank) < 0 ? e[j++] : e[i++];
	while (i < half)
		tmp[k++] = e[i++];
	while (j < n)
		tmp[k++] = e[j++];
	memcpy(e, tmp, n * sizeof *e);
}

int ex_each_edge(gr_txn *txn, const uint32_t *rank, int (*fn)(void *arg, const ex_edge_ref *e), void *arg,
    gr_error *err)
{
	st_txn *st = gr_store_txn(txn);
	st_adj_iter *it = NULL;
	ex_edge_ref *es = NULL, *tmp = NULL;
	size_t cap = 0;
	uint32_t src = 0;
	const void *rec;
	size_t len;
	int rc = GR_OK, r;

	if (st_adj_open(st, &it) != ST_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	while (rc == GR_OK && (r = st_node_next(st, &src, &rec, &len)) == ST_OK) {
		size_t n = 0;
		st_adj a;
		if (st_adj_seek(it, ST_OUT, src, 0, 0) != ST_OK) {
			rc = gr_fail(err, GR_EIO, "reading relationships: %s", st_strerror());
			break;
		}
		while ((r = st_adj_read(it, &a)) == 1) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 64;
				ex_edge_ref *ne = realloc(es, nc * sizeof *ne), *nt;
				if (ne)
					es = ne;
				if (!ne || !(nt = realloc(tmp, nc * sizeof *nt))) {
					rc = gr_fail(err, GR_ENOMEM, "out of memory");
					break;
				}
				tmp = nt;
				cap = nc;
			}
			es[n].er_src = src;
			es[n].er_dst = a.a_nbr;
			es[n].er_edge = a.a_edge;
			es[n++].er_type = a.a_type;
		}
		if (rc == GR_OK && r < 0)
			rc = gr_fail(err, GR_EIO, "reading relationships: %s", st_strerror());
		if (rc != GR_OK)
			break;
		sort_edge_refs(es, tmp, n, rank);
		for (size_t k = 0; k < n && rc == GR_OK; k++)
			rc = fn(arg, &es[k]);
	}
	free(es);
	free(tmp);
	st_adj_close(it);
	return rc;
}

/* ================================================================ CSV */

/* One property column of a file. */
typedef struct csv_col {
	uint16_t cc_sym;         /* property name; 0: the citation column */
	uint8_t cc_kind;         /* ex_kind of the values (of the items of lists) */
	uint8_t cc_array;        /* values are lists */
	uint8_t cc_seen;         /* a value has been met */
	uint8_t cc_string;       /* written as strings (see cc_why) */
	uint32_t cc_pos;         /* position among the property columns */
	char cc_why[128];
} csv_col;

/* One output file. */
typedef struct csv_out {
	int co_rels;
	uint16_t co_label;       /* node file: the first label, 0: none */
	uint16_t co_type, co_from, co_to;   /* relationship file; 0: no label */
	csv_col *co_cols;        /* sorted by symbol id */
	size_t co_ncols, co_colcap;
	csv_col co_cites;        /* the citation column, when co_has_cites */
	int co_has_cites;
	int co_key_prop;         /* a node has a property named key */
	size_t co_index;         /* position in the sorted file list */
	char *co_name;
	char *co_space;          /* node file: the ID space */
	FILE *co_file;
	uint64_t co_rows;
} csv_out;

/* The relationship file table: (type, from, to) -> file. */
typedef struct rel_slot { uint64_t rs_key; csv_out *rs_out; } rel_slot;

typedef struct csv_ctx {
	gr_txn *x_txn;
	gr_error *x_err;
	const char *x_dir;
	ex_note_fn x_note;
	void *x_arg;
	uint32_t *x_rank;        /* symbol id -> rank of its name */
	int32_t *x_first;        /* node id -> first label; 0: none, -1: no node */
	uint32_t x_maxid;
	csv_out **x_files;       /* node files, then relationship files */
	size_t x_nfiles, x_nodefiles, x_filecap;
	csv_out **x_bylabel;     /* first label -> node file (65536) */
	rel_slot *x_rels;        /* open addressing, x_relcap a power of 2 */
	size_t x_nrels, x_relcap;
	uint16_t x_keysym;       /* the symbol "key", 0 if none */
	uint8_t *x_semi_labels;  /* labels holding ';' (a bit each) */
	struct csv_slot { const gr_value *sl_val; const csv_col *sl_col; } *x_slots;   /* one row, by column */
	size_t x_nslots;
	size_t x_lo, x_hi;       /* the files of this chunk of the second pass */
	gr_buf x_line, x_field;
	ex_csv_result *x_res;
} csv_ctx;

static int nomem(csv_ctx *x)
{
	return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
}

static void note(csv_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(csv_ctx *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!x->x_note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->x_note(x->x_arg, msg);
}

static const char *sym(csv_ctx *x, uint16_t id)
{
	return gr_sym_name(x->x_txn, id, NULL);
}

/* ---------------------------------------------------------------- pass 1 */

static csv_out *file_new(csv_ctx *x)
{
	csv_out *o;
	if (x->x_nfiles == x->x_filecap) {
		size_t nc = x->x_filecap ? x->x_filecap * 2 : 32;
		csv_out **nf = realloc(x->x_files, nc * sizeof *nf);
		if (!nf)
			return NULL;
		x->x_files = nf;
		x->x_filecap = nc;
	}
	if (!(o = calloc(1, sizeof *o)))
		return NULL;
	x->x_files[x->x_nfiles++] = o;
	return o;
}

static uint64_t rel_key(uint16_t type, uint16_t from, uint16_t to)
{
	return (uint64_t)type << 32 | (uint64_t)from << 16 | to;
}

static size_t rel_hash(uint64_t k, size_t cap)
{
	k ^= k >> 29;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 32;
	return (size_t)k & (cap - 1);
}

/* The relationship file of (type, from, to), or NULL. */
static csv_out *rel_file_find(const csv_ctx *x, uint16_t type, uint16_t from, uint16_t to)
{
	uint64_t k = rel_key(type, from, to);
	if (!x->x_relcap)
		return NULL;
	for (size_t i = rel_hash(k, x->x_relcap); x->x_rels[i].rs_out; i = (i + 1) & (x->x_relcap - 1))
		if (x->x_rels[i].rs_key == k)
			return x->x_rels[i].rs_out;
	return NULL;
}

/* The relationship file of (type, from, to), made when new; NULL: no memory. */
static csv_out *rel_file(csv_ctx *x, uint16_t type, uint16_t from, uint16_t to)
{
	uint64_t k = rel_key(type, from, to);
	size_t i;
	csv_out *o;

	if ((o = rel_file_find(x, type, from, to)))
		return o;
	if (2 * (x->x_nrels + 1) > x->x_relcap) {
		size_t nc = x->x_relcap ? x->x_relcap * 2 : 64;
		rel_slot *ns = calloc(nc, sizeof *ns);
		if (!ns)
			return NULL;
		for (size_t j = 0; j < x->x_relcap; j++)
			if (x->x_rels[j].rs_out) {
				for (i = rel_hash(x->x_rels[j].rs_key, nc); ns[i].rs_out; i = (i + 1) & (nc - 1))
					;
				ns[i] = x->x_rels[j];
			}
		free(x->x_rels);
		x->x_rels = ns;
		x->x_relcap = nc;
	}
	if (!(o = file_new(x)))
		return NULL;
	o->co_rels = 1;
	o->co_type = type;
	o->co_from = from;
	o->co_to = to;
	for (i = rel_hash(k, x->x_relcap); x->x_rels[i].rs_out; i = (i + 1) & (x->x_relcap - 1))
		;
	x->x_rels[i].rs_key = k;
	x->x_rels[i].rs_out = o;
	x->x_nrels++;
	return o;
}

/* The column of property s in o (a binary search); NULL when absent,
 * with *at (when not NULL) where it would go. */
static csv_col *col_find(const csv_out *o, uint16_t s, size_t *at)
{
	size_t lo = 0, hi = o->co_ncols;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->co_cols[mid].cc_sym == s)
			return &o->co_cols[mid];
		if (o->co_cols[mid].cc_sym < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (at)
		*at = lo;
	return NULL;
}

/* The column of property s in o, added when new; NULL: no memory. */
static csv_col *col_get(csv_out *o, uint16_t s)
{
	size_t lo;
	csv_col *c = col_find(o, s, &lo);

	if (c)
		return c;
	if (o->co_ncols == o->co_colcap) {
		size_t nc = o->co_colcap ? o->co_colcap * 2 : 8;
		csv_col *ncs = realloc(o->co_cols, nc * sizeof *ncs);
		if (!ncs)
			return NULL;
		o->co_cols = ncs;
		o->co_colcap = nc;
	}
	memmove(&o->co_cols[lo + 1], &o->co_cols[lo], (o->co_ncols - lo) * sizeof *o->co_cols);
	memset(&o->co_cols[lo], 0, sizeof o->co_cols[lo]);
	o->co_cols[lo].cc_sym = s;
	o->co_ncols++;
	return &o->co_cols[lo];
}

static void col_fallback(csv_col *c, const char *why)
{
	if (c->cc_string)
		return;
	c->cc_string = 1;
	snprintf(c->cc_why, sizeof c->cc_why, "%s", why);
}

/* The type of a column as a header writes it: "date[]", "long". */
static void type_text(int kind, int array, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", ex_kind_name((ex_kind)kind), array ? "[]" : "");
}

/* Why the CSV cannot carry v although Neo4j can store it, or NULL. */
static const char *csv_cannot_carry(const gr_value *v, ex_kind kind, int array)
{
	if (kind == EX_K_DURATION) {
		char text[192];
		gr_duration back;
		for (size_t i = 0; i < (array ? v->u.list.n : 1); i++) {
			const gr_duration *du = array ? &v->u.list.items[i].u.du : &v->u.du;
			size_t n = gr_format_duration(du, text);
			if (gr_parse_duration(text, n, &back) < 0 || back.du_months != du->du_months ||
			    back.du_days != du->du_days || back.du_secs != du->du_secs || back.du_nanos != du->du_nanos)
				return "a duration its ISO-8601 text does not give back exactly";
		}
	}
	if (!array || kind != EX_K_STRING)
		return NULL;
	if (v->u.list.n == 1 && v->u.list.items[0].u.s.len == 0)
		return "a list of one empty string, which reads back as an empty list";
	for (size_t i = 0; i < v->u.list.n; i++)
		if (memchr(v->u.list.items[i].u.s.ptr, ';', v->u.list.items[i].u.s.len))
			return "a list item holding ';', the array delimiter";
	return NULL;
}

/* Takes value v into the type of column c. */
static void col_merge(csv_col *c, const gr_value *v)
{
	ex_kind kind;
	int array;
	const char *why;
	char a[32], b[32], msg[128];

	if (c->cc_string)
		return;
	if (ex_neo4j_kind(v, &kind, &array, &why) < 0) {
		snprintf(msg, sizeof msg, "it holds %s, which Neo4j cannot store", why);
		col_fallback(c, msg);
		return;
	}
	if ((why = csv_cannot_carry(v, kind, array))) {
		snprintf(msg, sizeof msg, "it holds %s", why);
		col_fallback(c, msg);
		return;
	}
	if (!c->cc_seen) {
		c->cc_seen = 1;
		c->cc_kind = (uint8_t)kind;
		c->cc_array = (uint8_t)array;
		return;
	}
	if (c->cc_array == array && (kind == c->cc_kind || (array && (kind == EX_K_NONE || c->cc_kind == EX_K_NONE)))) {
		if (kind != EX_K_NONE)
			c->cc_kind = (uint8_t)kind;
		return;
	}
	type_text(c->cc_kind, c->cc_array, a, sizeof a);
	type_text(kind, array, b, sizeof b);
	snprintf(msg, sizeof msg, "its values are of several types (%s and %s)", a, b);
	col_fallback(c, msg);
}

/* Takes one node or relationship's properties and citations into o. */
static int scan_record(csv_ctx *x, csv_out *o, const gr_prop *p, size_t np, const gr_cite *cites, size_t nc)
{
	for (size_t i = 0; i < np; i++) {
		csv_col *c;
		if (!o->co_rels && p[i].p_key == x->x_keysym) {
			o->co_key_prop = 1;
			continue;
		}
		if (!(c = col_get(o, p[i].p_key)))
			return nomem(x);
		col_merge(c, &p[i].p_val);
	}
	if (nc) {
		gr_value cv;
		int r = ex_cites_value(x->x_txn, cites, nc, &cv);
		if (r == -2)
			return gr_fail(x->x_err, GR_ECORRUPT, "a citation names a node that does not exist");
		if (r < 0)
			return nomem(x);
		o->co_has_cites = 1;
		col_merge(&o->co_cites, &cv);
		gr_value_free(&cv);
	}
	return GR_OK;
}

static int scan_nodes(csv_ctx *x)
{
	st_txn *st = gr_store_txn(x->x_txn);
	uint32_t id = 0, next = 0;
	const void *rec;
	size_t len;
	int rc, r;

	st_id_next(st, 0, &next);
	x->x_maxid = next ? next : 1;
	while (st_node_next(st, &id, &rec, &len) == ST_OK)
		if (id > x->x_maxid)
			x->x_maxid = id;
	if (!(x->x_first = malloc(((size_t)x->x_maxid + 1) * sizeof *x->x_first)) ||
	    !(x->x_bylabel = calloc(65536, sizeof *x->x_bylabel)) || !(x->x_semi_labels = calloc(65536 / 8, 1)))
		return nomem(x);
	for (size_t i = 0; i <= x->x_maxid; i++)
		x->x_first[i] = -1;
	id = 0;
	while ((r = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		uint16_t first;
		csv_out *o;
		if ((rc = gr_node_load(x->x_txn, id, &n, x->x_err)) != GR_OK)
			return rc;
		if (ex_redact_source(x->x_txn, &n) < 0) {
			gr_node_clear(&n);
			return nomem(x);
		}
		first = n.n_nlabels ? n.n_labels[0] : 0;
		x->x_first[id] = first;
		for (size_t l = 0; l < n.n_nlabels; l++)
			if (strchr(sym(x, n.n_labels[l]), ';'))
				x->x_semi_labels[n.n_labels[l] / 8] |= (uint8_t)(1u << (n.n_labels[l] % 8));
		if (!(o = x->x_bylabel[first])) {
			if (!(o = x->x_bylabel[first] = file_new(x))) {
				gr_node_clear(&n);
				return nomem(x);
			}
			o->co_label = first;
		}
		rc = scan_record(x, o, n.n_props, n.n_nprops, n.n_cites, n.n_ncites);
		gr_node_clear(&n);
		if (rc != GR_OK)
			return rc;
	}
	if (r != ST_ENOTFOUND)
		return gr_fail(x->x_err, GR_EIO, "reading nodes: %s", st_strerror());
	x->x_nodefiles = x->x_nfiles;
	return GR_OK;
}

/* The first labels of a relationship's ends, checking both exist. */
static int edge_ends(csv_ctx *x, const ex_edge_ref *e, uint16_t *from, uint16_t *to)
{
	if (e->er_dst > x->x_maxid || x->x_first[e->er_dst] < 0)
		return gr_fail(x->x_err, GR_ECORRUPT, "relationship %u ends at node %u, which does not exist", e->er_edge,
		    e->er_dst);
	*from = (uint16_t)x->x_first[e->er_src];
	*to = (uint16_t)x->x_first[e->er_dst];
	return GR_OK;
}

static int scan_edge(void *arg, const ex_edge_ref *e)
{
	csv_ctx *x = arg;
	gr_edge ge;
	uint16_t from = 0, to = 0;
	csv_out *o;
	int rc;

	if ((rc = edge_ends(x, e, &from, &to)) != GR_OK)
		return rc;
	if (!(o = rel_file(x, e->er_type, from, to)))
		return nomem(x);
	gr_edge_init(&ge);
	ge.e_id = e->er_edge;
	ge.e_src = e->er_src;
	ge.e_dst = e->er_dst;
	ge.e_type = e->er_type;
	if ((rc = gr_edge_load_props(x->x_txn, &ge, x->x_err)) == GR_OK)
		rc = scan_record(x, o, ge.e_props, ge.e_nprops, ge.e_cites, ge.e_ncites);
	gr_edge_clear(&ge);
	return rc;
}

/* ---------------------------------------------------------------- names */

/* Compares two names by symbol rank; 0 (no label) after every label. */
static int rank_cmp(const csv_ctx *x, uint16_t a, uint16_t b)
{
	uint32_t ra = a ? x->x_rank[a] : UINT32_MAX, rb = b ? x->x_rank[b] : UINT32_MAX;
	return (ra > rb) - (ra < rb);
}

static int cmp_files(const csv_ctx *x, const csv_out *p, const csv_out *q)
{
	int c;
	if (p->co_rels != q->co_rels)
		return p->co_rels - q->co_rels;
	if (!p->co_rels)
		return rank_cmp(x, p->co_label, q->co_label);
	if ((c = rank_cmp(x, p->co_type, q->co_type)) || (c = rank_cmp(x, p->co_from, q->co_from)))
		return c;
	return rank_cmp(x, p->co_to, q->co_to);
}

/* Sorts the files (an insertion sort: there are few). */
static void sort_files(csv_ctx *x)
{
	for (size_t i = 1; i < x->x_nfiles; i++) {
		csv_out *cur = x->x_files[i];
		size_t j = i;
		for (; j > 0 && cmp_files(x, x->x_files[j - 1], cur) > 0; j--)
			x->x_files[j] = x->x_files[j - 1];
		x->x_files[j] = cur;
	}
}

/* Appends name made safe for file names (at most about 60 bytes). */
static int put_safe(gr_buf *b, const char *name)
{
	size_t n = strlen(name), i;
	for (i = 0; i < n && i < 60; i++) {
		unsigned char ch = (unsigned char)name[i];
		int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '_' || ch == '-' || ch == '.' || ch >= 0x80;
		if (gr_buf_byte(b, keep ? ch : '_') < 0)
			return -1;
	}
	/* end on a whole UTF-8 character */
	while (i < n && ((unsigned char)name[i] & 0xc0) == 0x80) {
		if (gr_buf_byte(b, (unsigned char)name[i]) < 0)
			return -1;
		i++;
	}
	return 0;
}

static int name_taken(const csv_ctx *x, size_t upto, const char *name)
{
	for (size_t i = 0; i < upto; i++)
		if (strcasecmp(x->x_files[i]->co_name, name) == 0)
			return 1;
	return 0;
}

/* Gives every file its name: nodes-<Label>.csv, rels-<TYPE>-<From>-<To>.csv. */
static int name_files(csv_ctx *x)
{
	gr_buf b = { 0 };
	int rc = GR_OK;

	for (size_t i = 0; i < x->x_nfiles && rc == GR_OK; i++) {
		csv_out *o = x->x_files[i];
		size_t stem;
		char *name;
		b.b_len = 0;
		if (!o->co_rels) {
			rc = gr_buf_put(&b, "nodes-", 6) < 0 || put_safe(&b, o->co_label ? sym(x, o->co_label) : "_") < 0;
		} else {
			rc = gr_buf_put(&b, "rels-", 5) < 0 || put_safe(&b, sym(x, o->co_type)) < 0 ||
			    gr_buf_byte(&b, '-') < 0 || put_safe(&b, o->co_from ? sym(x, o->co_from) : "_") < 0 ||
			    gr_buf_byte(&b, '-') < 0 || put_safe(&b, o->co_to ? sym(x, o->co_to) : "_") < 0;
		}
		stem = b.b_len;
		if (rc || !(name = malloc(stem + 32))) {
			rc = nomem(x);
			break;
		}
		memcpy(name, b.b_data, stem);
		strcpy(name + stem, ".csv");
		for (unsigned k = 2; name_taken(x, i, name); k++)
			snprintf(name + stem, 32, "-%u.csv", k);
		o->co_name = name;
	}
	gr_buf_free(&b);
	return rc;
}

/* Whether a label can be an ID space in a header: neo4j-admin splits a
 * header field at its last ':' and reads the space between parentheses. */
static int space_safe(const char *label)
{
	return *label && !strpbrk(label, ":(){}");
}

/* Whether a node file other than o has o's ID space. */
static int space_taken(const csv_ctx *x, const csv_out *o)
{
	for (size_t i = 0; i < x->x_nodefiles; i++)
		if (x->x_files[i] != o && x->x_files[i]->co_space && strcmp(x->x_files[i]->co_space, o->co_space) == 0)
			return 1;
	return 0;
}

/* Gives every node file its ID space: the first label where a header can
 * carry it; otherwise (and for nodes without labels, "_") the file name's
 * stem, with '_' appended until no other file has it. */
static int choose_spaces(csv_ctx *x)
{
	for (size_t i = 0; i < x->x_nodefiles; i++) {
		csv_out *o = x->x_files[i];
		if (o->co_label && space_safe(sym(x, o->co_label)) && !(o->co_space = strdup(sym(x, o->co_label))))
			return nomem(x);
	}
	for (size_t i = 0; i < x->x_nodefiles; i++) {
		csv_out *o = x->x_files[i];
		size_t n, added = 0;
		if (o->co_space)
			continue;
		n = o->co_label ? strlen(o->co_name) - 10 : 1;     /* nodes-STEM.csv */
		if (!(o->co_space = malloc(n + x->x_nodefiles + 2)))
			return nomem(x);
		memcpy(o->co_space, o->co_label ? o->co_name + 6 : "_", n);
		o->co_space[n] = 0;
		/* fewer than x_nodefiles other spaces: one of these is free */
		while (space_taken(x, o) && added++ <= x->x_nodefiles) {
			o->co_space[n++] = '_';
			o->co_space[n] = 0;
		}
	}
	return GR_OK;
}

/* Orders the columns of every file by name and reports the notes. */
static int plan_files(csv_ctx *x)
{
	size_t most = 0;

	sort_files(x);
	for (size_t i = 0; i < x->x_nfiles; i++)
		x->x_files[i]->co_index = i;
	if (name_files(x) != GR_OK || choose_spaces(x) != GR_OK)
		return GR_ENOMEM;
	for (uint32_t s = 1; s < 65536; s++)
		if (x->x_semi_labels[s / 8] & (1u << (s % 8)))
			note(x, "label %s holds ';', which separates labels in :LABEL columns", sym(x, (uint16_t)s));
	for (size_t i = 0; i < x->x_nfiles; i++) {
		csv_out *o = x->x_files[i];
		size_t nc = o->co_ncols;
		uint32_t *order;
		if (nc > most)
			most = nc;
		if (!(order = malloc((nc + 1) * sizeof *order)))
			return nomem(x);
		/* positions by name: an insertion sort of indexes by rank */
		for (size_t k = 0; k < nc; k++) {
			size_t j = k;
			for (; j > 0 && x->x_rank[o->co_cols[order[j - 1]].cc_sym] > x->x_rank[o->co_cols[k].cc_sym]; j--)
				order[j] = order[j - 1];
			order[j] = (uint32_t)k;
		}
		for (size_t k = 0; k < nc; k++)
			o->co_cols[order[k]].cc_pos = (uint32_t)k;
		if (o->co_key_prop)
			note(x, "%s: property key not written: the key:ID column holds the node key", o->co_name);
		for (size_t k = 0; k < nc; k++) {
			const csv_col *c = &o->co_cols[order[k]];
			if (c->cc_string)
				note(x, "%s: column %s written as strings: %s", o->co_name, sym(x, c->cc_sym), c->cc_why);
		}
		if (o->co_has_cites && o->co_cites.cc_string)
			note(x, "%s: column %s written as strings: %s", o->co_name, x->x_res->cr_sources, o->co_cites.cc_why);
		free(order);
	}
	if (!(x->x_slots = calloc(most + 1, sizeof *x->x_slots)))
		return nomem(x);
	x->x_nslots = most + 1;
	return GR_OK;
}

/* ---------------------------------------------------------------- pass 2 */

/* Appends s[0..n) to the line as one CSV field, quoted when it must be
 * (or when quote is set). */
static int put_field(csv_ctx *x, const char *s, size_t n, int quote)
{
	gr_buf *b = &x->x_line;
	if (!quote)
		quote = n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote)
		return gr_buf_put(b, s, n);
	if (gr_buf_byte(b, '"') < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r')
			x->x_res->cr_multiline = 1;
		if ((s[i] == '"' && gr_buf_byte(b, '"') < 0) || gr_buf_byte(b, (unsigned char)s[i]) < 0)
			return -1;
	}
	return gr_buf_byte(b, '"');
}

static int put_cstr(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/* Appends the text of a scalar as a typed column holds it. */
static int put_scalar(gr_buf *b, const gr_value *v)
{
	char tmp[192];
	size_t n;

	switch (v->type) {
	case GR_STRING:
		return gr_buf_put(b, v->u.s.ptr, v->u.s.len);
	case GR_INT:
		snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i);
		return put_cstr(b, tmp);
	case GR_FLOAT:
		if (isnan(v->u.f))
			return put_cstr(b, "NaN");
		if (isinf(v->u.f))
			return put_cstr(b, v->u.f > 0 ? "Infinity" : "-Infinity");
		n = ex_format_float(v->u.f, tmp);
		return gr_buf_put(b, tmp, n);
	case GR_BOOL:
		return put_cstr(b, v->u.b ? "true" : "false");
	case GR_DATE:
		n = gr_format_date(v->u.date, tmp);
		return gr_buf_put(b, tmp, n);
	case GR_DATETIME:
		n = gr_format_datetime(&v->u.dt, tmp);
		return gr_buf_put(b, tmp, n);
	case GR_DURATION:
		n = gr_format_duration(&v->u.du, tmp);
		return gr_buf_put(b, tmp, n);
	case GR_TIME:
		n = gr_format_time(&v->u.tm, tmp);
		return gr_buf_put(b, tmp, n);
	default:
		return -1;
	}
}

/* Appends value v of column c as one field. */
static int put_value(csv_ctx *x, const csv_col *c, const gr_value *v)
{
	gr_buf *f = &x->x_field;
	f->b_len = 0;
	if (c->cc_string) {
		if (v->type == GR_LIST || v->type == GR_MAP) {
			if (ex_jsonl_value(f, v) < 0)
				return -1;
		} else if (put_scalar(f, v) < 0) {
			return -1;
		}
	} else if (v->type == GR_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++)
			if ((i && gr_buf_byte(f, ';') < 0) || put_scalar(f, &v->u.list.items[i]) < 0)
				return -1;
	} else if (put_scalar(f, v) < 0) {
		return -1;
	}
	/* an empty string or list must be told from no value */
	return put_field(x, (const char *)f->b_data, f->b_len, f->b_len == 0);
}

static int put_header_col(csv_ctx *x, const char *name, const csv_col *c)
{
	gr_buf *f = &x->x_field;
	int plain = !c->cc_string && c->cc_kind == EX_K_STRING && !c->cc_array;
	f->b_len = 0;
	if (put_cstr(f, name) < 0)
		return -1;
	if (c->cc_string || plain) {
		/* a string column: the type only when the name would hide it */
		if (strchr(name, ':') && put_cstr(f, ":string") < 0)
			return -1;
	} else {
		char t[32];
		type_text(c->cc_kind, c->cc_array, t, sizeof t);
		if (gr_buf_byte(f, ':') < 0 || put_cstr(f, t) < 0)
			return -1;
	}
	return put_field(x, (const char *)f->b_data, f->b_len, 0);
}

/* A ":ID(Space)"-like header field with the ID space of first label label. */
static int put_space_col(csv_ctx *x, const char *head, uint16_t label)
{
	gr_buf *f = &x->x_field;
	f->b_len = 0;
	if (put_cstr(f, head) < 0 || put_cstr(f, x->x_bylabel[label]->co_space) < 0 || gr_buf_byte(f, ')') < 0)
		return -1;
	return put_field(x, (const char *)f->b_data, f->b_len, 0);
}

static int write_line(csv_ctx *x, csv_out *o)
{
	if (gr_buf_byte(&x->x_line, '\n') < 0)
		return nomem(x);
	if (fwrite(x->x_line.b_data, 1, x->x_line.b_len, o->co_file) != x->x_line.b_len)
		return gr_fail(x->x_err, GR_EIO, "%s: cannot write: %s", o->co_name, strerror(errno));
	x->x_line.b_len = 0;
	return GR_OK;
}

static int write_header(csv_ctx *x, csv_out *o)
{
	int r;
	x->x_line.b_len = 0;
	if (!o->co_rels)
		r = put_space_col(x, "key:ID(", o->co_label);
	else
		r = put_space_col(x, ":START_ID(", o->co_from) < 0 || gr_buf_byte(&x->x_line, ',') < 0 ||
		    put_space_col(x, ":END_ID(", o->co_to) < 0 ? -1 : 0;
	for (size_t pos = 0; pos < o->co_ncols && r == 0; pos++)
		for (size_t k = 0; k < o->co_ncols; k++)
			if (o->co_cols[k].cc_pos == pos) {
				r = gr_buf_byte(&x->x_line, ',') < 0 || put_header_col(x, sym(x, o->co_cols[k].cc_sym), &o->co_cols[k]) < 0;
				break;
			}
	if (r == 0 && o->co_has_cites)
		r = gr_buf_byte(&x->x_line, ',') < 0 || put_header_col(x, x->x_res->cr_sources, &o->co_cites) < 0;
	if (r == 0)
		r = put_cstr(&x->x_line, o->co_rels ? ",:TYPE" : ",:LABEL");
	return r < 0 ? nomem(x) : write_line(x, o);
}

/* Appends the property fields (and the citation field) of one row. */
static int put_props(csv_ctx *x, const csv_out *o, const gr_prop *p, size_t np, const gr_cite *cites, size_t nc)
{
	int r = 0;
	memset(x->x_slots, 0, x->x_nslots * sizeof *x->x_slots);
	for (size_t i = 0; i < np; i++) {
		const csv_col *c = col_find(o, p[i].p_key, NULL);
		if (c) {
			x->x_slots[c->cc_pos].sl_val = &p[i].p_val;
			x->x_slots[c->cc_pos].sl_col = c;
		}
	}
	for (size_t pos = 0; pos < o->co_ncols && r == 0; pos++) {
		if (gr_buf_byte(&x->x_line, ',') < 0)
			return -1;
		if (x->x_slots[pos].sl_val)
			r = put_value(x, x->x_slots[pos].sl_col, x->x_slots[pos].sl_val);
	}
	if (r == 0 && o->co_has_cites) {
		if (gr_buf_byte(&x->x_line, ',') < 0)
			return -1;
		if (nc) {
			gr_value cv;
			if ((r = ex_cites_value(x->x_txn, cites, nc, &cv)) < 0)
				return r;
			r = put_value(x, &o->co_cites, &cv);
			gr_value_free(&cv);
		}
	}
	return r;
}

static int write_node(csv_ctx *x, csv_out *o, uint32_t id)
{
	gr_node n;
	int rc, r;

	if ((rc = gr_node_load(x->x_txn, id, &n, x->x_err)) != GR_OK)
		return rc;
	if (ex_redact_source(x->x_txn, &n) < 0) {
		gr_node_clear(&n);
		return nomem(x);
	}
	x->x_line.b_len = 0;
	r = put_field(x, n.n_key, n.n_keylen, 0);
	if (r == 0)
		r = put_props(x, o, n.n_props, n.n_nprops, n.n_cites, n.n_ncites);
	if (r == 0) {
		gr_buf *f = &x->x_field;
		f->b_len = 0;
		for (size_t l = 0; l < n.n_nlabels && r == 0; l++)
			r = (l && gr_buf_byte(f, ';') < 0) || put_cstr(f, sym(x, n.n_labels[l])) < 0 ? -1 : 0;
		/* no labels: an empty field, not "" */
		if (r == 0)
			r = gr_buf_byte(&x->x_line, ',') < 0 ? -1 :
			    f->b_len ? put_field(x, (const char *)f->b_data, f->b_len, 0) : 0;
	}
	gr_node_clear(&n);
	if (r == -2)
		return gr_fail(x->x_err, GR_ECORRUPT, "node %u cites a node that does not exist", id);
	if (r < 0)
		return nomem(x);
	o->co_rows++;
	return write_line(x, o);
}

static int write_nodes(csv_ctx *x)
{
	st_txn *st = gr_store_txn(x->x_txn);
	uint32_t id = 0;
	const void *rec;
	size_t len;
	int r, rc;

	while ((r = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		csv_out *o = x->x_bylabel[x->x_first[id] < 0 ? 0 : x->x_first[id]];
		if (!o || o->co_index < x->x_lo || o->co_index >= x->x_hi)
			continue;
		if ((rc = write_node(x, o, id)) != GR_OK)
			return rc;
	}
	if (r != ST_ENOTFOUND)
		return gr_fail(x->x_err, GR_EIO, "reading nodes: %s", st_strerror());
	return GR_OK;
}

static int write_edge(void *arg, const ex_edge_ref *e)
{
	csv_ctx *x = arg;
	const char *key;
	size_t klen;
	uint16_t from = 0, to = 0;
	csv_out *o;
	gr_edge ge;
	int rc, r;

	if ((rc = edge_ends(x, e, &from, &to)) != GR_OK)
		return rc;
	o = rel_file_find(x, e->er_type, from, to);
	if (!o || o->co_index < x->x_lo || o->co_index >= x->x_hi)
		return GR_OK;
	gr_edge_init(&ge);
	ge.e_id = e->er_edge;
	ge.e_src = e->er_src;
	ge.e_dst = e->er_dst;
	ge.e_type = e->er_type;
	if ((rc = gr_edge_load_props(x->x_txn, &ge, x->x_err)) != GR_OK)
		return rc;
	x->x_line.b_len = 0;
	r = gr_node_key_get(x->x_txn, e->er_src, &key, &klen) != GR_OK ? -3 : put_field(x, key, klen, 0);
	if (r == 0)
		r = gr_buf_byte(&x->x_line, ',') < 0 ? -1 :
		    gr_node_key_get(x->x_txn, e->er_dst, &key, &klen) != GR_OK ? -3 : put_field(x, key, klen, 0);
	if (r == 0)
		r = put_props(x, o, ge.e_props, ge.e_nprops, ge.e_cites, ge.e_ncites);
	if (r == 0) {
		const char *t = sym(x, e->er_type);
		r = gr_buf_byte(&x->x_line, ',') < 0 ? -1 : put_field(x, t, strlen(t), 0);
	}
	gr_edge_clear(&ge);
	if (r == -3)
		return gr_fail(x->x_err, GR_ECORRUPT, "relationship %u: cannot read the key of an end node", e->er_edge);
	if (r == -2)
		return gr_fail(x->x_err, GR_ECORRUPT, "relationship %u cites a node that does not exist", e->er_edge);
	if (r < 0)
		return nomem(x);
	o->co_rows++;
	return write_line(x, o);
}

/* Closes the files of the chunk; with keep, making sure they are on disk. */
static int close_chunk(csv_ctx *x, int keep)
{
	int rc = GR_OK;
	for (size_t i = x->x_lo; i < x->x_hi; i++) {
		csv_out *o = x->x_files[i];
		if (!o->co_file)
			continue;
		if (keep && rc == GR_OK && (fflush(o->co_file) != 0 || fsync(fileno(o->co_file)) < 0))
			rc = gr_fail(x->x_err, GR_EIO, "%s: cannot write: %s", o->co_name, strerror(errno));
		if (fclose(o->co_file) != 0 && keep && rc == GR_OK)
			rc = gr_fail(x->x_err, GR_EIO, "%s: cannot write: %s", o->co_name, strerror(errno));
		o->co_file = NULL;
	}
	return rc;
}

static char *file_path(const csv_ctx *x, const csv_out *o)
{
	size_t n = strlen(x->x_dir) + strlen(o->co_name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", x->x_dir, o->co_name);
	return p;
}

static int write_chunk(csv_ctx *x)
{
	int rc = GR_OK, any_nodes = 0, any_rels = 0;

	for (size_t i = x->x_lo; i < x->x_hi && rc == GR_OK; i++) {
		csv_out *o = x->x_files[i];
		char *path = file_path(x, o);
		if (!path)
			return nomem(x);
		if (!(o->co_file = fopen(path, "w")))
			rc = gr_fail(x->x_err, GR_EIO, "%s: cannot create: %s", path, strerror(errno));
		free(path);
		if (rc == GR_OK) {
			setvbuf(o->co_file, NULL, _IOFBF, 1 << 16);
			rc = write_header(x, o);
		}
		any_nodes |= !o->co_rels;
		any_rels |= o->co_rels;
	}
	if (rc == GR_OK && any_nodes)
		rc = write_nodes(x);
	if (rc == GR_OK && any_rels)
		rc = ex_each_edge(x->x_txn, x->x_rank, write_edge, x, x->x_err);
	if (close_chunk(x, rc == GR_OK) != GR_OK && rc == GR_OK)
		rc = GR_EIO;
	return rc;
}

/* Removes the files written so far. */
static void remove_files(csv_ctx *x, size_t upto)
{
	for (size_t i = 0; i < upto && i < x->x_nfiles; i++) {
		char *path = file_path(x, x->x_files[i]);
		if (path)
			unlink(path);
		free(path);
	}
}

/* Hands the file list over to the result. */
static int fill_result(csv_ctx *x)
{
	ex_csv_result *res = x->x_res;
	if (x->x_nfiles && !(res->cr_files = calloc(x->x_nfiles, sizeof *res->cr_files)))
		return nomem(x);
	for (size_t i = 0; i < x->x_nfiles; i++) {
		csv_out *o = x->x_files[i];
		res->cr_files[i].cf_name = o->co_name;
		o->co_name = NULL;
		res->cr_files[i].cf_rels = o->co_rels;
		res->cr_files[i].cf_rows = o->co_rows;
		if (o->co_rels)
			res->cr_rels += o->co_rows;
		else
			res->cr_nodes += o->co_rows;
	}
	res->cr_nfiles = x->x_nfiles;
	return GR_OK;
}

void ex_csv_result_free(ex_csv_result *res)
{
	for (size_t i = 0; i < res->cr_nfiles; i++)
		free(res->cr_files[i].cf_name);
	free(res->cr_files);
	res->cr_files = NULL;
	res->cr_nfiles = 0;
}

int ex_csv(gr_txn *txn, const char *dir, ex_note_fn note_fn, void *arg, ex_csv_result *res, gr_error *err)
{
	csv_ctx x;
	int rc;

	memset(res, 0, sizeof *res);
	memset(&x, 0, sizeof x);
	x.x_txn = txn;
	x.x_err = err;
	x.x_dir = dir;
	x.x_note = note_fn;
	x.x_arg = arg;
	x.x_res = res;
	ex_sources_name(txn, res->cr_sources);
	if (gr_sym(txn, "key", 3, 0, &x.x_keysym) != GR_OK)
		x.x_keysym = 0;
	if ((rc = ex_symbol_ranks(txn, &x.x_rank, err)) == GR_OK && (rc = scan_nodes(&x)) == GR_OK &&
	    (rc = ex_each_edge(txn, x.x_rank, scan_edge, &x, err)) == GR_OK)
		rc = plan_files(&x);
	for (x.x_lo = 0; rc == GR_OK && x.x_lo < x.x_nfiles; x.x_lo = x.x_hi) {
		x.x_hi = x.x_lo + CSV_CHUNK < x.x_nfiles ? x.x_lo + CSV_CHUNK : x.x_nfiles;
		rc = write_chunk(&x);
	}
	if (rc != GR_OK)
		remove_files(&x, x.x_hi);
	else
		rc = fill_result(&x);
	for (size_t i = 0; i < x.x_nfiles; i++) {
		free(x.x_files[i]->co_cols);
		free(x.x_files[i]->co_name);
		free(x.x_files[i]->co_space);
		free(x.x_files[i]);
	}
	free(x.x_files);
	free(x.x_rels);
	free(x.x_bylabel);
	free(x.x_first);
	free(x.x_semi_labels);
	free(x.x_rank);
	free(x.x_slots);
	gr_buf_free(&x.x_line);
	gr_buf_free(&x.x_field);
	if (rc != GR_OK)
		ex_csv_result_free(res);
	return rc;
}

/* ---------------------------------------------------------------- command */

/* Appends s quoted for a POSIX shell when it needs to be. */
static int put_shell(gr_buf *b, const char *s)
{
	int plain = *s != 0;
	for (const char *p = s; *p && plain; p++)
		plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("_-./=:+,@%", *p);
	if (plain)
		return put_cstr(b, s);
	if (gr_buf_byte(b, '\'') < 0)
		return -1;
	for (const char *p = s; *p; p++)
		if ((*p == '\'' ? put_cstr(b, "'\\''") : gr_buf_byte(b, (unsigned char)*p)) < 0)
			return -1;
	return gr_buf_byte(b, '\'');
}

int ex_csv_neo4j_command(const ex_csv_result *res, const char *dir, gr_buf *out)
{
	if (put_cstr(out, "neo4j-admin database import full") < 0)
		return -1;
	if (res->cr_multiline && put_cstr(out, " --multiline-fields=true") < 0)
		return -1;
	for (size_t i = 0; i < res->cr_nfiles; i++) {
		const ex_csv_file *f = &res->cr_files[i];
		size_t n = strlen(dir) + strlen(f->cf_name) + 20;
		char *arg = malloc(n);
		int r;
		if (!arg)
			return -1;
		snprintf(arg, n, "%s=%s/%s", f->cf_rels ? "--relationships" : "--nodes", dir, f->cf_name);
		r = gr_buf_byte(out, ' ') < 0 || put_shell(out, arg) < 0 ? -1 : 0;
		free(arg);
		if (r < 0)
			return -1;
	}
	return 0;
}
