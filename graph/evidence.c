/*
 * evidence.c: the evidence standard: which items are claims and how many
 * independent publishers support each (audit), retracting a source in one
 * transaction, merging two records of one entity, and parsing rules files.
 * The definitions these implement are at the top of evidence.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "evidence.h"
#include "claim.h"
#include "fold.h"
#include "bitset.h"
#include "cypher/parse.h"

/* The relationship types of the built-in schema that assert something. */
static const char *const claim_types[] = {
	"CALLED_AT", "SIGHTED_AT", "AIS_GAP", "OWNED_BY", "MANAGED_BY", "OPERATED_BY",
	"LINKED_TO", "SANCTIONED_UNDER", "TRANSFERRED_TO", "CARRIED", "LOADED_AT",
	"DELIVERED_TO",
};
#define NCLAIM_TYPES (sizeof claim_types / sizeof claim_types[0])

/* The symbol id of name, or 0 when it was never interned. */
static uint16_t sym_find(gr_txn *t, const char *name)
{
	uint16_t id = 0;
	if (gr_sym(t, name, strlen(name), 0, &id) != GR_OK)
		return 0;
	return id;
}

/* ---- a set of node ids ---- */

/* Adds every node of `label` to s. */
static int label_set(gr_txn *t, uint16_t label, gr_bitset *s)
{
	uint32_t id = 0;
	if (!label)
		return GR_OK;
	while (st_label_next(t->x_st, label, &id) == ST_OK) {
		if (gr_bitset_add(s, id) < 0)
			return GR_ENOMEM;
		if (id == 0xffffffffu)
			break;
	}
	return GR_OK;
}

/* ---- claims ---- */

static void claim_clear(gr_claim *c)
{
	free(c->cl_subject);
	free(c->cl_relation);
	free(c->cl_object);
	gr_value_free(&c->cl_dates);
	for (size_t i = 0; i < c->cl_nsources; i++) {
		free(c->cl_sources[i].cs_key);
		free(c->cl_sources[i].cs_publisher);
	}
	free(c->cl_sources);
	memset(c, 0, sizeof *c);
}

void gr_claims_free(gr_claim *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		claim_clear(&c[i]);
	free(c);
}

typedef struct claim_list {
	gr_claim *c;
	size_t n, cap;
} claim_list;

/* Appends *cl (moved: *cl is left zeroed). */
static int claims_push(claim_list *l, gr_claim *cl)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		gr_claim *nc = realloc(l->c, cap * sizeof *nc);
		if (!nc)
			return GR_ENOMEM;
		l->c = nc;
		l->cap = cap;
	}
	l->c[l->n++] = *cl;
	memset(cl, 0, sizeof *cl);
	return GR_OK;
}

static int claim_order(const void *a, const void *b)
{
	const gr_claim *x = a, *y = b;
	if (x->cl_independent != y->cl_independent)
		return x->cl_independent < y->cl_independent ? -1 : 1;
	if (x->cl_kind != y->cl_kind)
		return x->cl_kind == 'n' ? -1 : 1;
	return x->cl_id < y->cl_id ? -1 : x->cl_id > y->cl_id;
}

/* ---- independence ---- */

char *gr_publisher_norm(const char *publisher, size_t len)
{
	size_t fl, j = 0;
	char *f = gr_fold(publisher, len, &fl);
	if (!f)
		return NULL;
	for (size_t i = 0; i < fl; i++)
		if (f[i] != ' ')
			f[j++] = f[i];
	f[j] = 0;
	return f;
}

static int key_order(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	if (!x || !y)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

size_t gr_count_distinct(char **keys, size_t n)
{
	size_t count = 0;
	qsort(keys, n, sizeof *keys, key_order);
	for (size_t i = 0; i < n; i++)
		if (!keys[i] || i == 0 || !keys[i - 1] || strcmp(keys[i], keys[i - 1]) != 0)
			count++;
	return count;
}

/* Reads the key and publisher of cited node `id` into cs (copies), and its
 * independence key into *indep: the publisher's normal form, or "\001id"
 * when the source is its own publisher. */
static int source_read(gr_txn *t, uint16_t source_label, uint16_t pubsym, uint32_t id,
    gr_claim_source *cs, char **indep)
{
	const char *k;
	size_t kl;
	char own[16];
	gr_value v = gr_null();

	memset(cs, 0, sizeof *cs);
	*indep = NULL;
	cs->cs_id = id;
	if (gr_node_key_get(t, id, &k, &kl) == GR_OK) {
		cs->cs_key = strndup(k, kl);
	} else {
		snprintf(own, sizeof own, "#%u", id);
		cs->cs_key = strdup(own);
	}
	if (!cs->cs_key)
		return GR_ENOMEM;
	if (pubsym && source_label && gr_node_has_label_id(t, id, source_label) &&
	    gr_node_prop(t, id, pubsym, &v) == GR_OK && v.type == GR_STRING && v.u.s.len) {
		if (!(cs->cs_publisher = strndup(v.u.s.ptr, v.u.s.len)) ||
		    !(*indep = gr_publisher_norm(v.u.s.ptr, v.u.s.len))) {
			gr_value_free(&v);
			return GR_ENOMEM;
		}
		if (!**indep) {
			free(*indep);
			*indep = NULL;
		}
	}
	gr_value_free(&v);
	if (!*indep) {
		snprintf(own, sizeof own, "\001%u", id);
		if (!(*indep = strdup(own)))
			return GR_ENOMEM;
	}
	return GR_OK;
}

/* Fills the sources of cl from the citations c[0..nc) and counts the
 * independent ones. */
static int claim_sources(gr_txn *t, gr_claim *cl, const gr_cite *c, size_t nc, gr_error *err)
{
	uint16_t source_label = gr_symc(t, SYM_SOURCE), pubsym = sym_find(t, "publisher");
	char **keys = NULL;
	int rc = GR_OK;

	cl->cl_sources = NULL;
	cl->cl_nsources = 0;
	cl->cl_independent = 0;
	if (!nc)
		return GR_OK;
	if (!(keys = calloc(nc, sizeof *keys)) || !(cl->cl_sources = calloc(nc, sizeof *cl->cl_sources))) {
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		if ((rc = source_read(t, source_label, pubsym, c[i].c_source, &cl->cl_sources[i], &keys[i])) != GR_OK) {
			cl->cl_nsources = i + 1;
			rc = gr_fail(err, rc, "out of memory");
			goto done;
		}
		cl->cl_sources[i].cs_conf = c[i].c_conf;
	}
	cl->cl_nsources = nc;
	cl->cl_independent = gr_count_distinct(keys, nc);
done:
	if (keys)
		for (size_t i = 0; i < nc; i++)
			free(keys[i]);
	free(keys);
	return rc;
}

/* Counts cl's independent sources again, leaving out citations weaker
 * than min_conf (audit --min-confidence): the publisher of each that
 * counts, in normal form, a source without one being its own. */
static int recount(gr_claim *cl, uint8_t min_conf, gr_error *err)
{
	char **keys;
	size_t n = 0;
	int rc = GR_OK;
	if (!min_conf || !cl->cl_nsources)
		return GR_OK;
	if (!(keys = calloc(cl->cl_nsources, sizeof *keys)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < cl->cl_nsources && rc == GR_OK; i++) {
		const gr_claim_source *cs = &cl->cl_sources[i];
		char own[16];
		if (cs->cs_conf > min_conf)
			continue;   /* weaker than the standard */
		keys[n] = cs->cs_publisher ? gr_publisher_norm(cs->cs_publisher, strlen(cs->cs_publisher)) : NULL;
		if (keys[n] && !*keys[n]) {
			free(keys[n]);
			keys[n] = NULL;
		}
		if (!keys[n]) {
			snprintf(own, sizeof own, "\001%u", cs->cs_id);
			keys[n] = strdup(own);
		}
		if (!keys[n++])
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
	}
	if (rc == GR_OK)
		cl->cl_independent = gr_count_distinct(keys, n);
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

int gr_independent(gr_txn *t, const gr_cite *c, size_t nc, size_t *count, gr_error *err)
{
	gr_claim cl;
	int rc;
	memset(&cl, 0, sizeof cl);
	rc = claim_sources(t, &cl, c, nc, err);
	*count = rc == GR_OK ? cl.cl_independent : 0;
	claim_clear(&cl);
	return rc;
}

/* The date and datetime properties of p[0..np) as a map. */
static int claim_dates(gr_txn *t, gr_claim *cl, const gr_prop *p, size_t np, gr_error *err)
{
	cl->cl_dates = gr_map();
	for (size_t i = 0; i < np; i++) {
		gr_value v;
		if (p[i].p_val.type != GR_DATE && p[i].p_val.type != GR_DATETIME)
			continue;
		if (gr_value_copy(&v, &p[i].p_val) || gr_map_set(&cl->cl_dates, gr_sym_name(t, p[i].p_key, NULL), v))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

static char *node_ref_dup(gr_txn *t, uint32_t id)
{
	char buf[ST_MAX_KEY + 200];
	gr_node_ref(t, id, buf, sizeof buf);
	return strdup(buf);
}

/* Describes node n (a claim for `reason`) in cl, with citations c. */
static int claim_of_node(gr_txn *t, const gr_node *n, const char *reason, const gr_cite *c, size_t nc,
    gr_claim *cl, gr_error *err)
{
	int rc;
	memset(cl, 0, sizeof *cl);
	cl->cl_kind = 'n';
	cl->cl_id = cl->cl_src = cl->cl_dst = n->n_id;
	cl->cl_reason = reason;
	if (!(cl->cl_subject = node_ref_dup(t, n->n_id)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if ((rc = claim_dates(t, cl, n->n_props, n->n_nprops, err)) != GR_OK)
		return rc;
	return claim_sources(t, cl, c, nc, err);
}

/* Describes relationship e in cl, with citations c. */
static int claim_of_edge(gr_txn *t, const gr_edge *e, const gr_cite *c, size_t nc, gr_claim *cl, gr_error *err)
{
	int rc;
	memset(cl, 0, sizeof *cl);
	cl->cl_kind = 'e';
	cl->cl_id = e->e_id;
	cl->cl_src = e->e_src;
	cl->cl_dst = e->e_dst;
	cl->cl_type = e->e_type;
	if (!(cl->cl_subject = node_ref_dup(t, e->e_src)) || !(cl->cl_object = node_ref_dup(t, e->e_dst)) ||
	    !(cl->cl_relation = strdup(gr_sym_name(t, e->e_type, NULL))))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if ((rc = claim_dates(t, cl, e->e_props, e->e_nprops, err)) != GR_OK)
		return rc;
	return claim_sources(t, cl, c, nc, err);
}

/* What the audit needs to know to tell claims from other items. */
typedef struct claim_rules {
	uint16_t source, cargo, sanction, sanctioned_under, sanctioned;
	uint16_t types[NCLAIM_TYPES];
	gr_bitset sanction_nbrs;     /* nodes sharing a relationship with a Sanction node */
} claim_rules;

static int claim_rules_init(gr_txn *t, claim_rules *r, gr_error *err)
{
	uint32_t s = 0;
	st_adj_iter *it = NULL;
	st_adj a;
	int rc = GR_OK;

	memset(r, 0, sizeof *r);
	r->source = gr_symc(t, SYM_SOURCE);
	r->cargo = sym_find(t, "Cargo");
	r->sanction = sym_find(t, "Sanction");
	r->sanctioned_under = sym_find(t, "SANCTIONED_UNDER");
	r->sanctioned = sym_find(t, "sanctioned");
	for (size_t i = 0; i < NCLAIM_TYPES; i++)
		r->types[i] = sym_find(t, claim_types[i]);
	if (!r->sanction)
		return GR_OK;
	if (st_adj_open(t->x_st, &it))
		return gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	while (rc == GR_OK && st_label_next(t->x_st, r->sanction, &s) == ST_OK) {
		for (int dir = 0; dir < 2 && rc == GR_OK; dir++) {
			int got;
			if (st_adj_seek(it, dir, s, 0, 0) != ST_OK)
				continue;
			while ((got = st_adj_read(it, &a)) == 1)
				if (a.a_nbr != s && gr_bitset_add(&r->sanction_nbrs, a.a_nbr) < 0) {
					rc = gr_fail(err, GR_ENOMEM, "out of memory");
					break;
				}
			if (got < 0)
				rc = gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
		}
		if (s == 0xffffffffu)
			break;
	}
	st_adj_close(it);
	return rc;
}

static void claim_rules_clear(claim_rules *r)
{
	gr_bitset_free(&r->sanction_nbrs);
}

static int is_claim_type(const claim_rules *r, uint16_t type)
{
	for (size_t i = 0; i < NCLAIM_TYPES; i++)
		if (r->types[i] && r->types[i] == type)
			return 1;
	return 0;
}

/* Why node n is a claim, or NULL when it is not one.  Its citations are
 * given apart (the retraction asks about the node as it was). */
static const char *node_reason(gr_txn *t, const claim_rules *r, const gr_node *n, size_t ncites)
{
	const gr_value *v;
	if (r->source && gr_node_has_label(n, r->source))
		return NULL;
	if (r->cargo && gr_node_has_label(n, r->cargo))
		return "Cargo";
	if (r->sanction && gr_node_has_label(n, r->sanction))
		return "Sanction";
	if (gr_bitset_has(&r->sanction_nbrs, n->n_id))
		return "designated";
	if (r->sanctioned && (v = gr_props_get(n->n_props, n->n_nprops, r->sanctioned)) &&
	    v->type == GR_BOOL && v->u.b)
		return "designated";
	if (r->sanctioned_under) {
		uint64_t k = 0;
		if (st_adj_count(t->x_st, ST_OUT, n->n_id, r->sanctioned_under, &k) == ST_OK && k)
			return "designated";
	}
	return ncites ? "cited" : NULL;
}

/* ---- the audit ---- */

static int in_list(const uint16_t *l, size_t n, uint16_t x)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] == x)
			return 1;
	return 0;
}

typedef struct audit_ctx {
	gr_txn *t;
	gr_audit_opts *o;
	claim_rules r;
	gr_bitset labelled;          /* --labels: nodes with one of them */
	claim_list out;
} audit_ctx;

/* One claim the audit looks at, a relationship e or a node n (with the
 * reason it is one): counted, and kept, described in full, when fewer
 * independent sources than the minimum support it. */
static int audit_claim(audit_ctx *a, const gr_edge *e, const gr_node *n, const char *reason, gr_error *err)
{
	const gr_cite *cites = e ? e->e_cites : n->n_cites;
	size_t ncites = e ? e->e_ncites : n->n_ncites;
	gr_claim cl;
	int rc;

	a->o->ao_total++;
	memset(&cl, 0, sizeof cl);
	if ((rc = claim_sources(a->t, &cl, cites, ncites, err)) == GR_OK &&
	    (rc = recount(&cl, a->o->ao_min_conf, err)) == GR_OK &&
	    cl.cl_independent < a->o->ao_min_sources) {
		claim_clear(&cl);
		rc = e ? claim_of_edge(a->t, e, cites, ncites, &cl, err) :
		    claim_of_node(a->t, n, reason, cites, ncites, &cl, err);
		if (rc == GR_OK && (rc = recount(&cl, a->o->ao_min_conf, err)) == GR_OK &&
		    claims_push(&a->out, &cl) != GR_OK)
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
	}
	claim_clear(&cl);
	return rc;
}

static int audit_edges(audit_ctx *a, gr_error *err)
{
	gr_txn *t = a->t;
	st_adj_iter *it;
	st_adj adj;
	uint32_t src = 0;
	int got, rc = GR_OK;

	if (st_adj_open(t->x_st, &it))
		return gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	while ((got = st_adj_scan(it, &src, &adj)) == 1) {
		gr_edge e;
		int typed = a->o->ao_ntypes && in_list(a->o->ao_types, a->o->ao_ntypes, adj.a_type);
		if (a->o->ao_ntypes && !typed)
			continue;
		if (a->o->ao_nlabels && !gr_bitset_has(&a->labelled, src) && !gr_bitset_has(&a->labelled, adj.a_nbr))
			continue;
		gr_edge_init(&e);
		e.e_id = adj.a_edge;
		e.e_type = adj.a_type;
		e.e_src = src;
		e.e_dst = adj.a_nbr;
		if ((rc = gr_edge_load_props(t, &e, err)) != GR_OK)
			break;
		if (!typed && !is_claim_type(&a->r, adj.a_type) && !e.e_ncites) {
			gr_edge_clear(&e);
			continue;
		}
		rc = audit_claim(a, &e, NULL, NULL, err);
		gr_edge_clear(&e);
		if (rc != GR_OK)
			break;
	}
	st_adj_close(it);
	if (rc == GR_OK && got < 0)
		rc = gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	return rc;
}

static int audit_nodes(audit_ctx *a, gr_error *err)
{
	gr_txn *t = a->t;
	uint32_t id = 0;
	const void *rec;
	size_t len;
	int st, rc = GR_OK;

	while ((st = st_node_next(t->x_st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		const char *reason;
		if (a->o->ao_nlabels && !gr_bitset_has(&a->labelled, id))
			continue;
		gr_node_init(&n);
		if (gr_node_decode(rec, len, &n) != GR_OK) {
			gr_node_clear(&n);
			return gr_fail(err, GR_ECORRUPT, "node %u: malformed record", id);
		}
		n.n_id = id;
		if (!(reason = node_reason(t, &a->r, &n, n.n_ncites))) {
			gr_node_clear(&n);
			continue;
		}
		rc = audit_claim(a, NULL, &n, reason, err);
		gr_node_clear(&n);
		if (rc != GR_OK)
			return rc;
	}
	if (st != ST_ENOTFOUND)
		return gr_fail(err, GR_EIO, "nodes: %s", st_strerror());
	return GR_OK;
}

int gr_audit(gr_txn *t, gr_audit_opts *o, gr_claim **out, size_t *n, gr_error *err)
{
	audit_ctx a;
	int rc;

	*out = NULL;
	*n = 0;
	memset(&a, 0, sizeof a);
	a.t = t;
	a.o = o;
	o->ao_total = 0;
	if ((rc = claim_rules_init(t, &a.r, err)) != GR_OK)
		goto fail;
	for (size_t i = 0; i < o->ao_nlabels; i++)
		if (label_set(t, o->ao_labels[i], &a.labelled) != GR_OK) {
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
			goto fail;
		}
	if (!o->ao_ntypes && (rc = audit_nodes(&a, err)) != GR_OK)
		goto fail;
	if ((rc = audit_edges(&a, err)) != GR_OK)
		goto fail;
	if (a.out.n)
		qsort(a.out.c, a.out.n, sizeof *a.out.c, claim_order);
	*out = a.out.c;
	*n = a.out.n;
	claim_rules_clear(&a.r);
	gr_bitset_free(&a.labelled);
	return GR_OK;
fail:
	gr_claims_free(a.out.c, a.out.n);
	claim_rules_clear(&a.r);
	gr_bitset_free(&a.labelled);
	return rc;
}

/* ---- retraction ---- */

int gr_source_find(gr_txn *t, const char *key, uint32_t *id, gr_error *err)
{
	uint16_t source = gr_symc(t, SYM_SOURCE);
	if (strncmp(key, "Source:", 7) == 0)
		key += 7;
	if (!*key)
		return gr_fail(err, GR_ENOTFOUND, "no source key given");
	if (!source || gr_node_by_key(t, source, key, strlen(key), id) != GR_OK ||
	    !gr_node_has_label_id(t, *id, source))
		return gr_fail(err, GR_ENOTFOUND, "unknown source %s", key);
	return GR_OK;
}

typedef struct cite_list {
	st_cite *c;
	size_t n, cap;
	int oom;
} cite_list;

static int cite_collect(void *arg, const st_cite *c)
{
	cite_list *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		st_cite *nc = realloc(l->c, cap * sizeof *nc);
		if (!nc) {
			l->oom = 1;
			return 1;
		}
		l->c = nc;
		l->cap = cap;
	}
	l->c[l->n++] = *c;
	return 0;
}

/* The citing items of `source`, collected before anything is rewritten. */
static int citing_items(gr_txn *t, uint32_t source, cite_list *l, gr_error *err)
{
	int rc;
	memset(l, 0, sizeof *l);
	rc = st_cite_scan(t->x_st, source, cite_collect, l);
	if (l->oom)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (rc)
		return gr_st_err(rc, err, "citation index");
	return GR_OK;
}

/* Removes every citation of `source` from c[0..*nc); returns how many. */
static size_t cites_drop(gr_cite *c, size_t *nc, uint32_t source)
{
	size_t j = 0, removed = 0;
	for (size_t i = 0; i < *nc; i++) {
		if (c[i].c_source == source)
			removed++;
		else
			c[j++] = c[i];
	}
	*nc = j;
	return removed;
}

/* Saves a node whose citations went down by `removed`, and counts them
 * (gr_node_save counts added citations only). */
static int node_save_fewer(gr_txn *t, gr_node *n, size_t removed, gr_error *err)
{
	uint64_t before = t->x_counts.cites_removed;
	int rc = gr_node_save(t, n, err);
	if (rc == GR_OK && t->x_counts.cites_removed == before)
		gr_txn_counts(t)->cites_removed += removed;
	return rc;
}

/* Whether a claim that went from `before` to `after` is reported. */
static int falls(size_t before, size_t after, unsigned min)
{
	return after == 0 || (before >= min && after < min);
}

/* Keeps cl, which had `before` independent sources, in out when the
 * retraction makes it fall. */
static int keep_if_falls(claim_list *out, gr_claim *cl, size_t before, unsigned min, gr_error *err)
{
	cl->cl_before = before;
	if (falls(before, cl->cl_independent, min) && claims_push(out, cl) != GR_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

static int retract_node(gr_txn *t, claim_rules *r, uint32_t id, uint32_t source, unsigned min,
    int dry_run, claim_list *out, size_t *ncites, gr_error *err)
{
	gr_node n;
	gr_claim cl;
	size_t before, removed;
	const char *reason;
	int rc;

	memset(&cl, 0, sizeof cl);
	if ((rc = gr_node_load(t, id, &n, err)) != GR_OK)
		return rc;
	if ((rc = gr_independent(t, n.n_cites, n.n_ncites, &before, err)) != GR_OK)
		goto done;
	reason = node_reason(t, r, &n, n.n_ncites);
	removed = cites_drop(n.n_cites, &n.n_ncites, source);
	*ncites += removed;
	if (reason) {
		if ((rc = claim_of_node(t, &n, reason, n.n_cites, n.n_ncites, &cl, err)) != GR_OK)
			goto done;
		if ((rc = keep_if_falls(out, &cl, before, min, err)) != GR_OK)
			goto done;
	}
	if (!dry_run)
		rc = node_save_fewer(t, &n, removed, err);
done:
	claim_clear(&cl);
	gr_node_clear(&n);
	return rc;
}

static int retract_edge(gr_txn *t, uint32_t src, uint32_t id, uint32_t source, unsigned min,
    int dry_run, claim_list *out, size_t *ncites, gr_error *err)
{
	gr_edge e;
	gr_claim cl;
	size_t before;
	int rc;

	memset(&cl, 0, sizeof cl);
	if ((rc = gr_edge_load(t, src, id, &e, err)) != GR_OK)
		return rc;
	if ((rc = gr_independent(t, e.e_cites, e.e_ncites, &before, err)) != GR_OK)
		goto done;
	*ncites += cites_drop(e.e_cites, &e.e_ncites, source);
	if ((rc = claim_of_edge(t, &e, e.e_cites, e.e_ncites, &cl, err)) != GR_OK)
		goto done;
	if ((rc = keep_if_falls(out, &cl, before, min, err)) != GR_OK)
		goto done;
	if (!dry_run)
		rc = gr_edge_save(t, &e, err);
done:
	claim_clear(&cl);
	gr_edge_clear(&e);
	return rc;
}

int gr_retract(gr_txn *t, uint32_t source, unsigned min, int dry_run,
    gr_claim **out, size_t *n, size_t *ncites, gr_error *err)
{
	claim_rules r;
	cite_list items;
	claim_list found = { 0 };
	uint16_t source_label = gr_symc(t, SYM_SOURCE);
	int rc;

	*out = NULL;
	*n = 0;
	*ncites = 0;
	memset(&items, 0, sizeof items);
	if (!source_label || !gr_node_has_label_id(t, source, source_label))
		return gr_fail(err, GR_ENOTFOUND, "node #%u is not a Source", source);
	if (!dry_run && !t->x_write)
		return gr_fail(err, GR_EUSAGE, "retract: a read-only transaction");
	if ((rc = claim_rules_init(t, &r, err)) != GR_OK)
		return rc;
	if ((rc = citing_items(t, source, &items, err)) != GR_OK)
		goto fail;
	for (size_t i = 0; i < items.n; i++) {
		const st_cite *c = &items.c[i];
		if (c->c_kind == 'n' && c->c_id == source)
			continue;   /* a Source citing itself goes with it */
		if (c->c_kind == 'n')
			rc = retract_node(t, &r, c->c_id, source, min, dry_run, &found, ncites, err);
		else
			rc = retract_edge(t, c->c_src, c->c_id, source, min, dry_run, &found, ncites, err);
		if (rc != GR_OK)
			goto fail;
	}
	if (!dry_run && (rc = gr_node_delete(t, source, 1, err)) != GR_OK)
		goto fail;
	if (found.n)
		qsort(found.c, found.n, sizeof *found.c, claim_order);
	*out = found.c;
	*n = found.n;
	free(items.c);
	claim_rules_clear(&r);
	return GR_OK;
fail:
	gr_claims_free(found.c, found.n);
	free(items.c);
	claim_rules_clear(&r);
	return rc;
}

/* ---- merging ---- */

void gr_merge_report_clear(gr_merge_report *r)
{
	free(r->mr_survivor_ref);
	free(r->mr_merged_ref);
	for (size_t i = 0; i < r->mr_nconflicts; i++) {
		free(r->mr_conflicts[i].mc_prop);
		free(r->mr_conflicts[i].mc_kept_in);
		gr_value_free(&r->mr_conflicts[i].mc_kept);
		gr_value_free(&r->mr_conflicts[i].mc_other);
	}
	free(r->mr_conflicts);
	memset(r, 0, sizeof *r);
}

/* Adds a citation of source with conf, keeping the stronger confidence
 * (the lower level) when source is cited already.  1 when it was new. */
static int cite_unite(gr_cite **c, size_t *nc, uint32_t source, uint8_t conf, int *added)
{
	*added = 0;
	for (size_t i = 0; i < *nc; i++)
		if ((*c)[i].c_source == source) {
			if (conf < (*c)[i].c_conf)
				(*c)[i].c_conf = conf;
			return GR_OK;
		}
	*added = 1;
	return gr_cites_add(c, nc, source, conf);
}

/* Replaces citations of `from` by citations of `to` in c[0..*nc). */
static int cites_repoint(gr_cite **c, size_t *nc, uint32_t from, uint32_t to)
{
	for (size_t i = 0; i < *nc; i++) {
		if ((*c)[i].c_source != from)
			continue;
		uint8_t conf = (*c)[i].c_conf;
		int added;
		memmove(*c + i, *c + i + 1, (*nc - i - 1) * sizeof **c);
		--*nc;
		if (cite_unite(c, nc, to, conf, &added))
			return GR_ENOMEM;
		return GR_OK;   /* gr_cites_add keeps one citation per source */
	}
	return GR_OK;
}

static int list_has(const gr_value *l, const gr_value *v)
{
	for (size_t i = 0; i < l->u.list.n; i++)
		if (gr_value_equal(&l->u.list.items[i], v) == 1)
			return 1;
	return 0;
}

/* The union of cur (a list or a single value; may be NULL) and add (a list
 * or a single value) as a new list in *out: cur's items first. */
static int list_unite(const gr_value *cur, const gr_value *add, gr_value *out)
{
	const gr_value *items = add->type == GR_LIST ? add->u.list.items : add;
	size_t n = add->type == GR_LIST ? add->u.list.n : 1;
	gr_value copy;

	*out = gr_list(4);
	if (out->type != GR_LIST)
		return GR_ENOMEM;
	if (cur && cur->type == GR_LIST) {
		for (size_t i = 0; i < cur->u.list.n; i++)
			if (gr_value_copy(&copy, &cur->u.list.items[i]) || gr_list_push(out, copy))
				goto oom;
	} else if (cur && cur->type != GR_NULL) {
		if (gr_value_copy(&copy, cur) || gr_list_push(out, copy))
			goto oom;
	}
	for (size_t i = 0; i < n; i++) {
		if (list_has(out, &items[i]))
			continue;
		if (gr_value_copy(&copy, &items[i]) || gr_list_push(out, copy))
			goto oom;
	}
	return GR_OK;
oom:
	gr_value_free(out);
	return GR_ENOMEM;
}

/* Sets property `key` of n to the union of its value and add. */
static int prop_unite(gr_node *n, uint16_t key, const gr_value *add)
{
	gr_value u;
	if (list_unite(gr_props_get(n->n_props, n->n_nprops, key), add, &u))
		return GR_ENOMEM;
	return gr_props_set(&n->n_props, &n->n_nprops, key, u) ? GR_ENOMEM : GR_OK;
}

static int conflict_note(gr_merge_report *r, const char *prop, const char *into,
    const gr_value *kept, const gr_value *other)
{
	gr_merge_conflict *c;
	if (!r)
		return GR_OK;
	c = realloc(r->mr_conflicts, (r->mr_nconflicts + 1) * sizeof *c);
	if (!c)
		return GR_ENOMEM;
	r->mr_conflicts = c;
	c += r->mr_nconflicts;
	memset(c, 0, sizeof *c);
	r->mr_nconflicts++;
	if (!(c->mc_prop = strdup(prop)) || !(c->mc_kept_in = strdup(into)) ||
	    gr_value_copy(&c->mc_kept, kept) || gr_value_copy(&c->mc_other, other))
		return GR_ENOMEM;
	return GR_OK;
}

/* Merges property (key, v) of the merged node into keep. */
static int merge_prop(gr_txn *t, gr_node *keep, uint16_t key, const gr_value *v, gr_merge_report *r, gr_error *err)
{
	const gr_value *cur = gr_props_get(keep->n_props, keep->n_nprops, key);
	const char *name = gr_sym_name(t, key, NULL);
	char hist[ST_MAX_KEY];
	uint16_t hkey;
	gr_value kept, copy;
	int rc;

	if (!cur) {
		if (gr_value_copy(&copy, v) || gr_props_set(&keep->n_props, &keep->n_nprops, key, copy))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		if (r)
			r->mr_props_added++;
		return GR_OK;
	}
	if (gr_value_equal(cur, v) == 1)
		return GR_OK;
	if (key != gr_symc(t, SYM_NAME) && key != gr_symc(t, SYM_FLAG) &&
	    (cur->type == GR_LIST || v->type == GR_LIST))
		return prop_unite(keep, key, v) ? gr_fail(err, GR_ENOMEM, "out of memory") : GR_OK;
	/* a real disagreement: keep's value stays, the other becomes history */
	if (key == gr_symc(t, SYM_NAME))
		snprintf(hist, sizeof hist, "past_names");
	else if (key == gr_symc(t, SYM_FLAG))
		snprintf(hist, sizeof hist, "past_flags");
	else if ((size_t)snprintf(hist, sizeof hist, "past_%s", name) >= sizeof hist)
		return gr_fail(err, GR_EINVALID, "property name %s is too long to keep its past values", name);
	if ((rc = gr_sym(t, hist, strlen(hist), 1, &hkey)) != GR_OK)
		return gr_fail(err, rc == GR_ENOMEM ? GR_ENOMEM : GR_EINVALID, "cannot make property %s", hist);
	if (gr_value_copy(&kept, cur))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	rc = conflict_note(r, name, hist, &kept, v);
	gr_value_free(&kept);
	if (rc || prop_unite(keep, hkey, v))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

int gr_merge_nodes(gr_txn *t, gr_node *keep, const gr_node *from, gr_merge_report *r, gr_error *err)
{
	char ref[ST_MAX_KEY + 100];
	uint16_t mk;
	gr_value alias;
	int rc;

	/* labels */
	for (size_t i = 0; i < from->n_nlabels; i++) {
		uint16_t *nl;
		if (gr_node_has_label(keep, from->n_labels[i]))
			continue;
		if (!(nl = realloc(keep->n_labels, (keep->n_nlabels + 1) * sizeof *nl)))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		nl[keep->n_nlabels++] = from->n_labels[i];
		keep->n_labels = nl;
		if (r)
			r->mr_labels_added++;
	}
	/* citations: keep's of `from` now of keep; from's own, united */
	if (cites_repoint(&keep->n_cites, &keep->n_ncites, from->n_id, keep->n_id))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < from->n_ncites; i++) {
		uint32_t s = from->n_cites[i].c_source == from->n_id ? keep->n_id : from->n_cites[i].c_source;
		int added;
		if (cite_unite(&keep->n_cites, &keep->n_ncites, s, from->n_cites[i].c_conf, &added))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		if (r && added)
			r->mr_cites_moved++;
	}
	/* properties */
	for (size_t i = 0; i < from->n_nprops; i++)
		if ((rc = merge_prop(t, keep, from->n_props[i].p_key, &from->n_props[i].p_val, r, err)) != GR_OK)
			return rc;
	/* the merged key stays as an alias */
	if (from->n_nlabels)
		snprintf(ref, sizeof ref, "%s:%s", gr_sym_name(t, from->n_labels[0], NULL), from->n_key);
	else
		snprintf(ref, sizeof ref, ":%s", from->n_key);
	if ((rc = gr_sym(t, "merged_keys", 11, 1, &mk)) != GR_OK)
		return gr_fail(err, rc == GR_ENOMEM ? GR_ENOMEM : GR_EINVALID, "cannot make property merged_keys");
	alias = gr_cstring(ref);
	if (alias.type != GR_STRING)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	rc = prop_unite(keep, mk, &alias);
	gr_value_free(&alias);
	return rc ? gr_fail(err, GR_ENOMEM, "out of memory") : GR_OK;
}

typedef struct edge_list {
	gr_edge *e;
	size_t n, cap;
} edge_list;

static int edges_push(edge_list *l, uint32_t id, uint16_t type, uint32_t src, uint32_t dst)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		gr_edge *ne = realloc(l->e, cap * sizeof *ne);
		if (!ne)
			return GR_ENOMEM;
		l->e = ne;
		l->cap = cap;
	}
	gr_edge_init(&l->e[l->n]);
	l->e[l->n].e_id = id;
	l->e[l->n].e_type = type;
	l->e[l->n].e_src = src;
	l->e[l->n].e_dst = dst;
	l->n++;
	return GR_OK;
}

/* Every relationship of node `id`, a self-loop once. */
static int node_edges(gr_txn *t, uint32_t id, edge_list *l, gr_error *err)
{
	st_adj_iter *it;
	st_adj a;
	int got = 0, rc = GR_OK;

	if (st_adj_open(t->x_st, &it))
		return gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	for (int dir = 0; dir < 2 && rc == GR_OK; dir++) {
		if (st_adj_seek(it, dir, id, 0, 0) != ST_OK)
			continue;
		while ((got = st_adj_read(it, &a)) == 1) {
			if (dir == ST_IN && a.a_nbr == id)
				continue;   /* listed as outgoing */
			if (edges_push(l, a.a_edge, a.a_type, dir == ST_OUT ? id : a.a_nbr, dir == ST_OUT ? a.a_nbr : id)) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				break;
			}
		}
		if (got < 0)
			rc = gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	}
	st_adj_close(it);
	return rc;
}

/* Re-creates relationship *old on keep's side and deletes the original.
 * It is said as a claim (claim.h): the same claim keep already makes
 * (type, ends, `claim`, overlapping span) takes its citations and
 * properties rather than standing twice. */
static int edge_move(gr_txn *t, const gr_edge *old, uint32_t keep, uint32_t from, gr_error *err)
{
	gr_edge e;
	int rc;
	if ((rc = gr_edge_load_like(t, old, old->e_id, &e, err)) != GR_OK)
		goto done;
	e.e_id = 0;
	e.e_src = old->e_src == from ? keep : old->e_src;
	e.e_dst = old->e_dst == from ? keep : old->e_dst;
	if ((rc = gr_claim_say(t, &e, 0, 0, NULL, err)) == GR_OK)
		rc = gr_edge_delete(t, old, err);
done:
	gr_edge_clear(&e);
	return rc;
}

/* Makes a citation of `from` by a node or relationship one of `keep`. */
static int cite_move(gr_txn *t, const st_cite *c, uint32_t keep, uint32_t from, gr_error *err)
{
	int rc;
	if (c->c_kind == 'n') {
		gr_node n;
		if ((rc = gr_node_load(t, c->c_id, &n, err)) != GR_OK)
			return rc;
		size_t before = n.n_ncites;
		if ((rc = cites_repoint(&n.n_cites, &n.n_ncites, from, keep)) != GR_OK)
			rc = gr_fail(err, rc, "out of memory");
		else
			rc = node_save_fewer(t, &n, before - n.n_ncites, err);
		gr_node_clear(&n);
		return rc;
	}
	gr_edge e;
	if ((rc = gr_edge_load(t, c->c_src, c->c_id, &e, err)) != GR_OK)
		return rc;
	if ((rc = cites_repoint(&e.e_cites, &e.e_ncites, from, keep)) != GR_OK)
		rc = gr_fail(err, rc, "out of memory");
	else
		rc = gr_edge_save(t, &e, err);
	gr_edge_clear(&e);
	return rc;
}

/* Splits a merged_keys entry "Label:key" (":key" for no label). */
static int alias_split(gr_txn *t, const gr_value *v, uint16_t *label, const char **key, size_t *klen)
{
	const char *colon;
	if (v->type != GR_STRING || !(colon = memchr(v->u.s.ptr, ':', v->u.s.len)))
		return -1;
	*label = 0;
	if (colon > v->u.s.ptr && gr_sym(t, v->u.s.ptr, (size_t)(colon - v->u.s.ptr), 0, label) != GR_OK)
		return -1;
	*key = colon + 1;
	*klen = v->u.s.len - (size_t)(colon + 1 - v->u.s.ptr);
	return 0;
}

/* Makes (label, key) resolve to node `to`: already so (the survivor took
 * over the label and has that key), or a new entry. */
static int key_point(gr_txn *t, uint16_t label, const char *key, size_t len, uint32_t to)
{
	uint32_t owner;
	if (st_key_get(t->x_st, label, key, len, &owner) == ST_OK && owner == to)
		return ST_OK;
	return st_key_put(t->x_st, label, key, len, to);
}

/* Points the key-index entries held by `from` (its key and the aliases it
 * had absorbed) at keep.  Run after `from` is deleted. */
static int aliases_move(gr_txn *t, const gr_node *from, uint32_t keep, gr_error *err)
{
	uint16_t mk = gr_symc(t, SYM_MERGED_KEYS);
	const gr_value *l = mk ? gr_props_get(from->n_props, from->n_nprops, mk) : NULL;
	int rc;

	if ((rc = key_point(t, from->n_nlabels ? from->n_labels[0] : 0, from->n_key, from->n_keylen, keep)))
		return gr_st_err(rc, err, "key index");
	for (size_t i = 0; l && l->type == GR_LIST && i < l->u.list.n; i++) {
		uint16_t label;
		const char *key;
		size_t klen;
		uint32_t owner;
		if (alias_split(t, &l->u.list.items[i], &label, &key, &klen) ||
		    st_key_get(t->x_st, label, key, klen, &owner) != ST_OK || owner != from->n_id)
			continue;
		if ((rc = st_key_del(t->x_st, label, key, klen)) || (rc = key_point(t, label, key, klen, keep)))
			return gr_st_err(rc, err, "key index");
	}
	return GR_OK;
}

int gr_merge(gr_txn *t, uint32_t keep_id, uint32_t from_id, gr_merge_report *r, gr_error *err)
{
	gr_merge_report local;
	gr_node keep, from;
	edge_list edges = { 0 };
	cite_list citing;
	int rc;

	if (!r)
		r = &local;
	memset(r, 0, sizeof *r);
	memset(&citing, 0, sizeof citing);
	gr_node_init(&keep);
	gr_node_init(&from);
	if (!t->x_write) {
		rc = gr_fail(err, GR_EUSAGE, "merge: a read-only transaction");
		goto done;
	}
	if ((rc = gr_node_load(t, keep_id, &keep, err)) != GR_OK || (rc = gr_node_load(t, from_id, &from, err)) != GR_OK)
		goto done;
	if (!(r->mr_survivor_ref = node_ref_dup(t, keep_id)) || !(r->mr_merged_ref = node_ref_dup(t, from_id))) {
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
		goto done;
	}
	r->mr_survivor = keep_id;
	if (keep_id == from_id) {
		rc = gr_fail(err, GR_EINVALID, "cannot merge %s with itself", r->mr_survivor_ref);
		goto done;
	}
	if (keep.n_nlabels && from.n_nlabels && keep.n_labels[0] != from.n_labels[0]) {
		rc = gr_fail(err, GR_EINVALID, "cannot merge %s into %s: a %s is not a %s",
		    r->mr_merged_ref, r->mr_survivor_ref, gr_sym_name(t, from.n_labels[0], NULL),
		    gr_sym_name(t, keep.n_labels[0], NULL));
		goto done;
	}
	if ((rc = gr_merge_nodes(t, &keep, &from, r, err)) != GR_OK)
		goto done;
	/* relationships move to the survivor */
	if ((rc = node_edges(t, from_id, &edges, err)) != GR_OK)
		goto done;
	for (size_t i = 0; i < edges.n; i++)
		if ((rc = edge_move(t, &edges.e[i], keep_id, from_id, err)) != GR_OK)
			goto done;
	r->mr_edges_moved = edges.n;
	/* who cites `from` (a Source), once its relationships have moved */
	if ((rc = citing_items(t, from_id, &citing, err)) != GR_OK)
		goto done;
	if ((rc = gr_node_delete(t, from_id, 0, err)) != GR_OK)
		goto done;
	if ((rc = gr_node_save(t, &keep, err)) != GR_OK)
		goto done;
	if ((rc = aliases_move(t, &from, keep_id, err)) != GR_OK)
		goto done;
	for (size_t i = 0; i < citing.n; i++) {
		const st_cite *c = &citing.c[i];
		if (c->c_kind == 'n' && (c->c_id == keep_id || c->c_id == from_id))
			continue;   /* done in memory */
		if ((rc = cite_move(t, c, keep_id, from_id, err)) != GR_OK)
			goto done;
		r->mr_cites_repointed++;
	}
	{
		gr_counts *k = gr_txn_counts(t);
		k->labels_added += r->mr_labels_added;
		k->props_set += r->mr_props_added + r->mr_nconflicts;
	}
	rc = GR_OK;
done:
	gr_node_clear(&keep);
	gr_node_clear(&from);
	free(edges.e);
	free(citing.c);
	if (r == &local)
		gr_merge_report_clear(&local);
	return rc;
}

/* ---- rules ---- */

void gr_rules_clear(gr_rules *rs)
{
	for (size_t i = 0; i < rs->rs_n; i++) {
		free(rs->rs_rules[i].ru_name);
		cy_script_free(rs->rs_rules[i].ru_script);
		free(rs->rs_rules[i].ru_text);
	}
	free(rs->rs_rules);
	free(rs->rs_text);
	memset(rs, 0, sizeof *rs);
}

/* The line starting at p (up to end): its first non-blank character. */
static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p;
}

/* "-- name: TEXT" header: 1 and the name's bounds. */
static int rule_header(const char *p, const char *eol, const char **name, size_t *nlen)
{
	p = skip_blanks(p, eol);
	if (eol - p < 3 || strncmp(p, "--", 2) != 0)
		return 0;
	p = skip_blanks(p + 2, eol);
	if (eol - p < 5 || strncmp(p, "name:", 5) != 0)
		return 0;
	p = skip_blanks(p + 5, eol);
	while (eol > p && (eol[-1] == ' ' || eol[-1] == '\t' || eol[-1] == '\r'))
		eol--;
	*name = p;
	*nlen = (size_t)(eol - p);
	return 1;
}

/* A comment line of the rules format: "-- ..." or just "--". */
static int rule_comment(const char *p, const char *eol)
{
	p = skip_blanks(p, eol);
	return eol - p >= 2 && p[0] == '-' && p[1] == '-' &&
	    (eol - p == 2 || p[2] == ' ' || p[2] == '\t' || p[2] == '\r');
}

/* Parses the rule in text[from..to) with everything else blanked, so that
 * the parser's line and column are the file's. */
static int rule_compile(gr_rules *rs, gr_rule *ru, size_t from, size_t to, gr_error *err)
{
	char *copy = malloc(rs->rs_len + 1);
	cy_script *sc = NULL;
	cy_error ce;
	int rc;

	if (!copy)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < rs->rs_len; i++) {
		char ch = rs->rs_text[i];
		copy[i] = ch == '\n' || (i >= from && i < to) ? ch : ' ';
	}
	copy[rs->rs_len] = 0;
	/* comment lines inside the rule are blanked too */
	for (size_t i = from; i < to;) {
		const char *eol = memchr(copy + i, '\n', to - i);
		size_t e = eol ? (size_t)(eol - copy) : to;
		if (rule_comment(copy + i, copy + e))
			memset(copy + i, ' ', e - i);
		i = e + 1;
	}
	{
		size_t i = from;
		while (i < to && (copy[i] == ' ' || copy[i] == '\t' || copy[i] == '\r' || copy[i] == '\n'))
			i++;
		if (i == to) {
			free(copy);
			return gr_fail(err, GR_EINVALID, "%u: rule \"%s\" has no query", ru->ru_line, ru->ru_name);
		}
	}
	memset(&ce, 0, sizeof ce);
	rc = cy_parse(copy, rs->rs_len, &sc, &ce);
	ru->ru_text = copy;
	if (rc == CY_ENOMEM)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (rc != CY_OK) {
		if (ce.line)
			return gr_fail(err, GR_EINVALID, "%u:%u: rule \"%s\": %s", ce.line, ce.column, ru->ru_name, ce.message);
		return gr_fail(err, GR_EINVALID, "%u: rule \"%s\": %s", ru->ru_line, ru->ru_name, ce.message);
	}
	if (sc->sc_n != 1) {
		unsigned line = sc->sc_n > 1 ? sc->sc_stmts[1]->st_line : ru->ru_line;
		cy_script_free(sc);
		return gr_fail(err, GR_EINVALID, "%u: rule \"%s\": %s", line, ru->ru_name,
		    "a rule is one statement (start the next rule with its own \"-- name:\" line)");
	}
	if (sc->sc_stmts[0]->st_updating) {
		unsigned line = sc->sc_stmts[0]->st_line, col = sc->sc_stmts[0]->st_col;
		cy_script_free(sc);
		return gr_fail(err, GR_EINVALID, "%u:%u: rule \"%s\": a rule must not write to the database", line, col, ru->ru_name);
	}
	ru->ru_script = sc;
	return GR_OK;
}

int gr_rules_parse(const char *text, size_t len, gr_rules *rs, gr_error *err)
{
	size_t pos = 0, body = 0;
	unsigned line = 1;
	gr_rule *cur = NULL;
	int rc = GR_OK;

	memset(rs, 0, sizeof *rs);
	if (!(rs->rs_text = malloc(len + 1)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	memcpy(rs->rs_text, text, len);
	rs->rs_text[len] = 0;
	rs->rs_len = len;
	for (;;) {
		const char *p = rs->rs_text + pos, *eol;
		const char *name;
		size_t nlen, e;
		int at_end = pos >= len;
		if (!at_end) {
			eol = memchr(p, '\n', len - pos);
			e = eol ? (size_t)(eol - rs->rs_text) : len;
		} else {
			e = len;
		}
		if (at_end || rule_header(p, rs->rs_text + e, &name, &nlen)) {
			/* the previous rule ends here */
			if (cur && (rc = rule_compile(rs, cur, body, pos, err)) != GR_OK)
				goto fail;
			if (at_end)
				break;
			gr_rule *nr = realloc(rs->rs_rules, (rs->rs_n + 1) * sizeof *nr);
			if (!nr) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				goto fail;
			}
			rs->rs_rules = nr;
			cur = &nr[rs->rs_n++];
			memset(cur, 0, sizeof *cur);
			cur->ru_line = line;
			if (!nlen) {
				rc = gr_fail(err, GR_EINVALID, "%u: a rule needs a name after \"-- name:\"", line);
				goto fail;
			}
			if (!(cur->ru_name = strndup(name, nlen))) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				goto fail;
			}
			for (size_t i = 0; i + 1 < rs->rs_n; i++)
				if (strcmp(rs->rs_rules[i].ru_name, cur->ru_name) == 0) {
					rc = gr_fail(err, GR_EINVALID, "%u: rule \"%s\" is named twice (first on line %u)",
					    line, cur->ru_name, rs->rs_rules[i].ru_line);
					goto fail;
				}
			body = e < len ? e + 1 : len;
		} else if (!cur && skip_blanks(p, rs->rs_text + e) < rs->rs_text + e && !rule_comment(p, rs->rs_text + e) &&
		    strncmp(skip_blanks(p, rs->rs_text + e), "//", 2) != 0) {
			rc = gr_fail(err, GR_EINVALID, "%u: text before the first rule (a rule starts with \"-- name: NAME\")", line);
			goto fail;
		}
		pos = e + 1;
		line++;
	}
	if (!rs->rs_n) {
		rc = gr_fail(err, GR_EINVALID, "no rules (a rule starts with a line \"-- name: NAME\")");
		goto fail;
	}
	return GR_OK;
fail:
	gr_rules_clear(rs);
	return rc;
}
