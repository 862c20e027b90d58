/*
 * check.c: verification of a database: records, indexes both ways,
 * adjacency symmetry, citations, the change log's hash chain and the state
 * digest.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "bitset.h"

#define MAX_REPORTS 100

typedef struct chk {
	gr_txn *t;
	void (*report)(void *, const char *);
	void *arg;
	long problems;
} chk;

static void problem(chk *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(chk *c, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (++c->problems > MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->report(c->arg, msg);
}

typedef struct idn_ctx { chk *c; uint32_t id; const char *key; } idn_ctx;
typedef struct want { uint32_t id; size_t len; int found; } want;

static int want_cb(void *a, char kind, const char *text, size_t tl, uint32_t node)
{
	want *w = a;
	(void)kind;
	(void)text;
	if (tl != w->len)
		return 1;   /* sorted: past the exact entries */
	if (node == w->id) {
		w->found = 1;
		return 1;
	}
	return 0;
}

static int ident_present(void *arg, char kind, const char *s, size_t len)
{
	idn_ctx *x = arg;
	want w = { x->id, len, 0 };
	size_t kl = len > ST_MAX_KEY - 1 ? ST_MAX_KEY - 1 : len;
	while (kl < len && kl > 0 && ((unsigned char)s[kl] & 0xc0) == 0x80)
		kl--;
	w.len = kl;
	st_ident_scan(x->c->t->x_st, kind, s, kl, want_cb, &w);
	if (!w.found)
		problem(x->c, "node %s: text index lacks %c:\"%.*s\"", x->key, kind, (int)len, s);
	return GR_OK;
}

static void check_nodes(chk *c)
{
	uint32_t id = 0;
	const void *rec;
	size_t len;
	int rc;
	while ((rc = st_node_next(c->t->x_st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		uint32_t owner;
		gr_node_init(&n);
		if (gr_node_decode(rec, len, &n) != GR_OK) {
			problem(c, "node %u: malformed record", id);
			gr_node_clear(&n);
			continue;
		}
		n.n_id = id;
		for (size_t i = 0; i < n.n_nlabels; i++) {
			uint32_t x = id - 1;
			if (st_label_next(c->t->x_st, n.n_labels[i], &x) != ST_OK || x != id)
				problem(c, "node %s: label index lacks label %s", n.n_key, gr_sym_name(c->t, n.n_labels[i], NULL));
		}
		if (st_key_get(c->t->x_st, n.n_nlabels ? n.n_labels[0] : 0, n.n_key, n.n_keylen, &owner) != ST_OK)
			problem(c, "node %u: key \"%s\" missing from the key index", id, n.n_key);
		else if (owner != id)
			problem(c, "node %u: key \"%s\" indexed to node %u", id, n.n_key, owner);
		{
			idn_ctx x = { c, id, n.n_key };
			gr_node_idents(c->t, &n, ident_present, &x);
		}
		for (size_t i = 0; i < n.n_ncites; i++) {
			uint16_t source = gr_symc(c->t, SYM_SOURCE);
			if (!source || !gr_node_has_label_id(c->t, n.n_cites[i].c_source, source))
				problem(c, "node %s cites #%u, which is not a Source node", n.n_key, n.n_cites[i].c_source);
		}
		gr_node_clear(&n);
	}
	if (rc != ST_ENOTFOUND)
		problem(c, "nodes: %s", st_strerror());
}


/* Whether key is one of the FtM ids node id answers to (its `ftm_id`, or
 * one of its `referents`): the FtM import makes them aliases. */
static int ftm_alias(gr_txn *t, uint32_t id, const char *key, size_t klen)
{
	static const char *const props[] = { "ftm_id", "referents" };
	int ok = 0;
	for (size_t p = 0; p < 2 && !ok; p++) {
		uint16_t s;
		gr_value v;
		if (gr_sym(t, props[p], strlen(props[p]), 0, &s) != GR_OK || gr_node_prop(t, id, s, &v) != GR_OK)
			continue;
		if (v.type == GR_STRING)
			ok = v.u.s.len == klen && memcmp(v.u.s.ptr, key, klen) == 0;
		else if (v.type == GR_LIST)
			for (size_t i = 0; i < v.u.list.n && !ok; i++)
				ok = v.u.list.items[i].type == GR_STRING && v.u.list.items[i].u.s.len == klen &&
				    memcmp(v.u.list.items[i].u.s.ptr, key, klen) == 0;
		gr_value_free(&v);
	}
	return ok;
}

static void check_indexes(chk *c)
{
	uint16_t sym = 0, label;
	const char *name, *key;
	size_t nlen, klen;
	uint32_t node;
	int rc;

	/* every label entry names a node with that label */
	while (st_sym_next(c->t->x_st, &sym, &name, &nlen) == ST_OK) {
		uint32_t x = 0;
		while (st_label_next(c->t->x_st, sym, &x) == ST_OK) {
			if (!gr_node_has_label_id(c->t, x, sym))
				problem(c, "label index: %.*s lists node %u, which lacks that label", (int)nlen, name, x);
			if (x == 0xffffffffu)
				break;
		}
		if (sym == 0xffff)
			break;
	}
	/* every key entry belongs to its node, as key or merged alias */
	label = 0;
	klen = 0;
	key = NULL;
	while ((rc = st_key_next(c->t->x_st, &label, &key, &klen, &node)) == ST_OK) {
		const char *nk;
		size_t nkl;
		uint16_t labels[1];
		size_t nl;
		if (gr_node_key_get(c->t, node, &nk, &nkl) != GR_OK) {
			problem(c, "key index: \"%.*s\" points at missing node %u", (int)klen, key, node);
			continue;
		}
		gr_node_labels(c->t, node, labels, 1, &nl);
		if (nkl == klen && memcmp(nk, key, klen) == 0 && (nl ? labels[0] : 0) == label)
			continue;
		/* an alias left by a merge */
		gr_value mk;
		int ok = 0;
		uint16_t s = gr_symc(c->t, SYM_MERGED_KEYS);
		if (s && gr_node_prop(c->t, node, s, &mk) == GR_OK) {
			if (mk.type == GR_LIST)
				for (size_t i = 0; i < mk.u.list.n; i++) {
					const gr_value *v = &mk.u.list.items[i];
					const char *colon = v->type == GR_STRING ? strchr(v->u.s.ptr, ':') : NULL;
					const char *kk = colon ? colon + 1 : v->type == GR_STRING ? v->u.s.ptr : "";
					if (strlen(kk) == klen && memcmp(kk, key, klen) == 0)
						ok = 1;
				}
			gr_value_free(&mk);
		}
		if (!ok)
			ok = ftm_alias(c->t, node, key, klen);
		if (!ok)
			problem(c, "key index: \"%.*s\" points at node %u, whose key is \"%.*s\"", (int)klen, key, node, (int)nkl, nk);
	}
	if (rc != ST_ENOTFOUND)
		problem(c, "key index: %s", st_strerror());
}

static void check_edges(chk *c)
{
	st_adj_iter *it, *probe;
	st_adj e;
	uint32_t src = 0, id = 0, last_src = 0;
	gr_bitset seen = { 0 };
	const void *rec;
	size_t len;
	uint64_t nout = 0, nin = 0;
	int rc;

	if (st_adj_open(c->t->x_st, &it) || st_adj_open(c->t->x_st, &probe)) {
		problem(c, "adjacency: cannot open a cursor");
		return;
	}
	while ((rc = st_adj_scan(it, &src, &e)) == 1) {
		nout++;
		if (src != last_src && !gr_node_exists(c->t, src))
			problem(c, "relationship %u: start node %u does not exist", e.a_edge, src);
		last_src = src;
		if (!gr_node_exists(c->t, e.a_nbr))
			problem(c, "relationship %u: end node %u does not exist", e.a_edge, e.a_nbr);
		if (gr_bitset_add(&seen, e.a_edge) == 1)
			problem(c, "relationship %u appears twice in the adjacency", e.a_edge);
		/* the mirror entry in `in` */
		st_adj m;
		int found = 0;
		if (st_adj_seek(probe, ST_IN, e.a_nbr, e.a_type, src) == ST_OK)
			while (st_adj_read(probe, &m) == 1)
				if (m.a_edge == e.a_edge) {
					found = 1;
					break;
				}
		if (!found)
			problem(c, "relationship %u: missing from the incoming adjacency of node %u", e.a_edge, e.a_nbr);
	}
	if (rc < 0)
		problem(c, "adjacency: %s", st_strerror());
	/* count incoming entries: equal counts plus every out entry mirrored
	 * means the two agree */
	id = 0;
	while (st_node_next(c->t->x_st, &id, &rec, &len) == ST_OK) {
		uint64_t k;
		if (st_adj_count(c->t->x_st, ST_IN, id, 0, &k) == ST_OK)
			nin += k;
	}
	if (nin != nout)
		problem(c, "adjacency: %llu outgoing entries but %llu incoming", (unsigned long long)nout, (unsigned long long)nin);
	/* every edge record belongs to an edge */
	id = 0;
	while ((rc = st_edge_next(c->t->x_st, &id, &rec, &len)) == ST_OK) {
		gr_edge ed;
		gr_edge_init(&ed);
		if (!gr_bitset_has(&seen, id))
			problem(c, "relationship record %u has no adjacency entry", id);
		if (gr_edge_decode(rec, len, &ed) != GR_OK)
			problem(c, "relationship %u: malformed record", id);
		gr_edge_clear(&ed);
	}
	if (rc != ST_ENOTFOUND)
		problem(c, "relationships: %s", st_strerror());
	st_adj_close(it);
	st_adj_close(probe);
	gr_bitset_free(&seen);
}

static void check_cites(chk *c)
{
	uint32_t source = 0;
	st_cite ci;
	int rc;
	while ((rc = st_cite_next(c->t->x_st, &source, &ci)) == ST_OK) {
		gr_node n;
		gr_edge e;
		int ok = 0;
		if (ci.c_kind == 'n') {
			if (gr_node_load(c->t, ci.c_id, &n, NULL) == GR_OK) {
				for (size_t i = 0; i < n.n_ncites; i++)
					ok |= n.n_cites[i].c_source == source && n.n_cites[i].c_conf == ci.c_conf;
				gr_node_clear(&n);
			}
		} else if (gr_edge_load(c->t, ci.c_src, ci.c_id, &e, NULL) == GR_OK) {
			for (size_t i = 0; i < e.e_ncites; i++)
				ok |= e.e_cites[i].c_source == source && e.e_cites[i].c_conf == ci.c_conf;
			gr_edge_clear(&e);
		}
		if (!ok)
			problem(c, "citation index: source #%u listed for %s %u, which does not cite it",
			    source, ci.c_kind == 'n' ? "node" : "relationship", ci.c_id);
	}
	if (rc != ST_ENOTFOUND)
		problem(c, "citation index: %s", st_strerror());
}

static void check_log(chk *c)
{
	uint64_t head = st_log_head(c->t->x_st), recorded = st_log_head_recorded(c->t->x_st);
	unsigned char prev[32] = { 0 }, h[32], stored[32], actual[32];
	char hex[65];
	gr_log_entry last = { 0 };
	int have_last = 0;

	if (recorded != head) {
		if (recorded > head)
			problem(c, "change log: record %llu is missing (the log ends at %llu)", (unsigned long long)head + 1, (unsigned long long)head);
		else
			problem(c, "change log: record %llu was added outside sanctgraph", (unsigned long long)recorded + 1);
	}
	{
		/* a damaged key could claim billions of records: walk no further
		 * than the records there are */
		uint64_t n = st_log_count(c->t->x_st);
		if (head > 2 * n + 1000) {
			problem(c, "change log: the newest record is numbered %llu but the log holds %llu records",
			    (unsigned long long)head, (unsigned long long)n);
			head = 2 * n + 1000;
		}
	}
	for (uint64_t seq = 1; seq <= head; seq++) {
		const unsigned char *hash, *pv;
		const void *body;
		size_t len;
		if (st_log_get(c->t->x_st, seq, &hash, &pv, &body, &len) != ST_OK) {
			problem(c, "change log: record %llu is missing or unreadable", (unsigned long long)seq);
			memset(prev, 0xff, sizeof prev);
			continue;
		}
		if (memcmp(pv, prev, 32) != 0)
			problem(c, "change log: record %llu does not chain to record %llu", (unsigned long long)seq, (unsigned long long)seq - 1);
		{
			unsigned char *buf = malloc(32 + len);
			if (!buf)
				return;
			memcpy(buf, pv, 32);
			memcpy(buf + 32, body, len);
			st_sha256(buf, 32 + len, h);
			free(buf);
		}
		if (memcmp(h, hash, 32) != 0)
			problem(c, "change log: record %llu has been altered (its hash does not match its content)", (unsigned long long)seq);
		memcpy(prev, hash, 32);
	}
	if (head && gr_log_read(c->t, head, &last, NULL) == GR_OK)
		have_last = 1;
	if (st_digest_stored(c->t->x_st, stored) != ST_OK || st_digest_recompute(c->t->x_st, actual) != ST_OK) {
		problem(c, "state digest: cannot compute: %s", st_strerror());
	} else {
		if (memcmp(stored, actual, 32) != 0) {
			st_hex(actual, 32, hex);
			problem(c, "data altered outside sanctgraph: the state digest of the stored data (%.16s...) differs from the one recorded", hex);
		} else if (have_last && memcmp(last.l_digest, actual, 32) != 0) {
			problem(c, "data altered outside sanctgraph: the state digest differs from the one in change-log record %llu", (unsigned long long)head);
		}
	}
	if (have_last)
		gr_log_entry_clear(&last);
}

static void report_page(void *arg, const char *msg)
{
	chk *c = arg;
	c->report(c->arg, msg);
}

/* Every name maps to its id and back: a damaged name would rename a label,
 * type or property everywhere while the data digest stays the same. */
static void check_symbols(chk *c)
{
	uint16_t sym = 0, back;
	const char *name;
	size_t len;
	int rc;
	while ((rc = st_sym_next(c->t->x_st, &sym, &name, &len)) == ST_OK) {
		if (st_sym_find(c->t->x_st, name, len, &back) != ST_OK || back != sym)
			problem(c, "symbol %u (\"%.*s\") is not indexed under its name", sym, (int)len, name);
		if (sym == 0xffff)
			break;
	}
	if (rc != ST_ENOTFOUND)
		problem(c, "symbols: %s", st_strerror());
}

long gr_check(gr_txn *t, void (*report)(void *arg, const char *msg), void *arg, gr_error *err)
{
	chk c = { t, report, arg, 0 };
	long pages;
	(void)err;
	/* the page structure first: reading a damaged one through LMDB could
	 * crash or never end, so nothing else is read unless it is sound */
	pages = st_verify(t->x_st, report_page, &c, MAX_REPORTS);
	if (pages != 0) {
		if (pages < 0)
			problem(&c, "page structure: %s", st_strerror());
		else
			c.problems = pages;
		report(arg, "(the page structure is damaged: the other checks were not run)");
		return c.problems;
	}
	check_symbols(&c);
	check_nodes(&c);
	check_indexes(&c);
	check_edges(&c);
	check_cites(&c);
	check_log(&c);
	if (c.problems > MAX_REPORTS) {
		char msg[64];
		snprintf(msg, sizeof msg, "... and %ld more problems", c.problems - MAX_REPORTS);
		report(arg, msg);
	}
	return c.problems;
}
