/*
 * test_evidence.c: the evidence standard at the graph layer: publishers
 * folded and counted once, which items are claims, the merge rule for
 * conflicting values, merging with relationships and aliases, retraction
 * (dry run and real), and the rules-file parser.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/graph.h"
#include "graph/graph_int.h"   /* white-box: the store under the graph */
#include "graph/evidence.h"

/* ---- fixtures: a fresh database per test, loaded from specs ---- */

static char dir[96];

static gr_db *fresh_db(const char *name)
{
	gr_db *db = NULL;
	char suite[64];
	snprintf(suite, sizeof suite, "evidence-%s", name);
	return unit_db_open(suite, dir, sizeof dir, &db) == 0 ? db : NULL;
}

static void drop_db(gr_db *db)
{
	if (unit_db_close(dir, db) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static uint16_t sym(gr_txn *t, const char *s)
{
	uint16_t id = 0;
	gr_sym(t, s, strlen(s), 1, &id);
	return id;
}

/* "label", "key", "k=v" properties, "source:confidence" citations */
typedef struct node_spec {
	const char *label, *label2, *key;
	const char *props[6];
	const char *cites[4];
} node_spec;

typedef struct edge_spec {
	const char *from, *type, *to;
	const char *props[3];
	const char *cites[4];
} edge_spec;

typedef struct fixture {
	const node_spec *nodes;
	size_t nn;
	const edge_spec *edges;
	size_t ne;
} fixture;

static int set_props(gr_txn *t, gr_prop **p, size_t *np, const char *const *props, size_t max)
{
	for (size_t i = 0; i < max && props[i]; i++) {
		const char *eq = strchr(props[i], '=');
		char name[64];
		gr_value v;
		snprintf(name, sizeof name, "%.*s", (int)(eq - props[i]), props[i]);
		if (eq[1] == '#')
			v = gr_int(atoll(eq + 2));
		else if (strcmp(eq + 1, "true") == 0)
			v = gr_bool(1);
		else if (eq[1] == '[') {
			/* [a|b|c]: a list of strings */
			char buf[128], *save, *tok;
			snprintf(buf, sizeof buf, "%.*s", (int)strlen(eq + 2) - 1, eq + 2);
			v = gr_list(4);
			for (tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
				gr_list_push(&v, gr_cstring(tok));
		} else
			v = gr_value_from_text(eq + 1, strlen(eq + 1));
		if (gr_props_set(p, np, sym(t, name), v))
			return GR_ENOMEM;
	}
	return GR_OK;
}

static int set_cites(gr_txn *t, gr_cite **c, size_t *nc, const char *const *cites, gr_error *err)
{
	for (size_t i = 0; i < 4 && cites[i]; i++) {
		char key[64];
		const char *colon = strchr(cites[i], ':');
		uint32_t id;
		snprintf(key, sizeof key, "%.*s", (int)(colon - cites[i]), cites[i]);
		if (gr_node_by_key(t, sym(t, "Source"), key, strlen(key), &id) != GR_OK)
			return gr_fail(err, GR_ENOTFOUND, "fixture: no source %s", key);
		gr_cites_add(c, nc, id, (uint8_t)gr_confidence_parse(colon + 1));
	}
	return GR_OK;
}

static int load_fn(gr_txn *t, void *arg, gr_error *err)
{
	const fixture *f = arg;
	int rc = GR_OK;
	for (size_t i = 0; i < f->nn && rc == GR_OK; i++) {
		const node_spec *s = &f->nodes[i];
		gr_node n;
		gr_node_init(&n);
		n.n_labels = malloc(2 * sizeof *n.n_labels);
		n.n_labels[n.n_nlabels++] = sym(t, s->label);
		if (s->label2)
			n.n_labels[n.n_nlabels++] = sym(t, s->label2);
		n.n_key = strdup(s->key);
		n.n_keylen = strlen(s->key);
		if ((rc = set_props(t, &n.n_props, &n.n_nprops, s->props, 6)) == GR_OK &&
		    (rc = set_cites(t, &n.n_cites, &n.n_ncites, s->cites, err)) == GR_OK)
			rc = gr_node_save(t, &n, err);
		gr_node_clear(&n);
	}
	for (size_t i = 0; i < f->ne && rc == GR_OK; i++) {
		const edge_spec *s = &f->edges[i];
		gr_edge e;
		gr_edge_init(&e);
		if ((rc = gr_resolve(t, s->from, &e.e_src, err)) == GR_OK &&
		    (rc = gr_resolve(t, s->to, &e.e_dst, err)) == GR_OK) {
			e.e_type = sym(t, s->type);
			if ((rc = set_props(t, &e.e_props, &e.e_nprops, s->props, 3)) == GR_OK &&
			    (rc = set_cites(t, &e.e_cites, &e.e_ncites, s->cites, err)) == GR_OK)
				rc = gr_edge_create(t, &e, err);
		}
		gr_edge_clear(&e);
	}
	return rc;
}

/* 0 when check finds nothing (problems printed otherwise). */
static long check_db(gr_db *db)
{
	gr_txn *t;
	gr_error err;
	char problems[4096] = "";
	long n;
	if (gr_begin(db, 0, &t, &err) != GR_OK)
		return -1;
	n = gr_check(t, unit_report_to_buf, problems, &err);
	if (problems[0])
		fprintf(stderr, "%s", problems);
	gr_abort(t);
	return n;
}

static uint64_t log_head(gr_db *db)
{
	gr_txn *t;
	gr_error err;
	uint64_t h;
	if (gr_begin(db, 0, &t, &err) != GR_OK)
		return 0;
	h = st_log_head(gr_store_txn(t));
	gr_abort(t);
	return h;
}

static const node_spec sources[] = {
	{ "Source", NULL, "s-alpha", { "publisher=Alpha News" }, { NULL } },
	{ "Source", NULL, "s-alpha2", { "publisher=  alpha NEWS." }, { NULL } },
	{ "Source", NULL, "s-beta", { "publisher=Beta Wire" }, { NULL } },
	{ "Source", NULL, "s-own", { "kind=media" }, { NULL } },
	{ "Source", NULL, "s-own2", { "publisher=--" }, { NULL } },
};

/* ---- independence ---- */

static void test_publisher_norm_ignores_case_space_punctuation(void)
{
	char *a = gr_publisher_norm("Planet Labs PBC", 15);
	char *b = gr_publisher_norm("  planet  labs, pbc ", 20);
	char *c = gr_publisher_norm("Planet Lab PBC", 14);
	char *d = gr_publisher_norm(" -- ", 4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_STRING_NOT_EQUAL(a, c);
	CU_ASSERT_STRING_EQUAL(d, "");
	free(a);
	free(b);
	free(c);
	free(d);
}

static void test_count_distinct_counts_duplicates_once(void)
{
	char *keys[] = { "b", "a", "b", NULL, "a", NULL, "c" };
	CU_ASSERT_EQUAL(gr_count_distinct(keys, 7), 5);   /* a, b, c and two NULLs */
	CU_ASSERT_EQUAL(gr_count_distinct(keys, 0), 0);
}

static void test_independent_counts_a_publisher_once(void)
{
	gr_db *db = fresh_db("indep");
	fixture f = { sources, 5, NULL, 0 };
	gr_error err = { 0 };
	gr_txn *t;
	gr_cite c[5];
	size_t n;
	const char *keys[] = { "s-alpha", "s-alpha2", "s-beta", "s-own", "s-own2" };
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &f, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	for (int i = 0; i < 5; i++) {
		CU_ASSERT_EQUAL(gr_node_by_key(t, gr_sym_cached(t, "Source"), keys[i], strlen(keys[i]), &c[i].c_source), GR_OK);
		c[i].c_conf = GR_PROBABLE;
	}
	CU_ASSERT_EQUAL(gr_independent(t, c, 2, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 1);          /* "Alpha News" and "alpha NEWS." */
	CU_ASSERT_EQUAL(gr_independent(t, c, 3, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(gr_independent(t, c, 5, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 4);          /* no publisher, or only punctuation: its own */
	CU_ASSERT_EQUAL(gr_independent(t, c, 0, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 0);
	gr_abort(t);
	drop_db(db);
}

/* ---- the audit ---- */

static const node_spec audit_nodes[] = {
	{ "Vessel", NULL, "V1", { "name=ONE" }, { NULL } },              /* no claim */
	{ "Port", NULL, "P1", { "name=Port One" }, { NULL } },           /* no claim */
	{ "Cargo", NULL, "C1", { "kind=arms" }, { NULL } },              /* 0: Cargo */
	{ "Company", NULL, "K1", { NULL }, { "s-beta:confirmed" } },     /* 1: cited */
	{ "Sanction", NULL, "S1", { NULL }, { "s-beta:confirmed" } },    /* 1: Sanction */
	{ "Vessel", NULL, "V2", { "sanctioned=true" }, { NULL } },       /* 0: designated */
	{ "Vessel", NULL, "V3", { NULL }, { NULL } },                    /* 0: designated by edge */
	{ "Vessel", NULL, "V4", { NULL }, { "s-alpha:probable", "s-beta:possible" } },  /* 2: fine */
};

static const edge_spec audit_edges[] = {
	{ "Vessel:V1", "SIGHTED_AT", "Port:P1", { "date=2024-04-14" }, { "s-alpha:probable", "s-alpha2:probable" } },  /* 1 */
	{ "Vessel:V1", "CALLED_AT", "Port:P1", { NULL }, { "s-alpha:probable", "s-beta:probable" } },   /* 2 */
	{ "Vessel:V1", "NEAR", "Port:P1", { NULL }, { NULL } },                                         /* no claim */
	{ "Vessel:V1", "NEAR", "Port:P1", { NULL }, { "s-own:possible" } },                             /* 1 */
	{ "Vessel:V1", "CALLED_AT", "Port:P1", { "start=2024-04-01" }, { NULL } },                      /* 0 */
	{ "Vessel:V1", "CALLED_AT", "Port:P1", { NULL }, { "s-own:possible", "s-own2:possible" } },     /* 2 */
	{ "Vessel:V3", "SANCTIONED_UNDER", "Sanction:S1", { NULL }, { "s-alpha:confirmed", "s-beta:confirmed" } }, /* 2 */
};

static gr_db *audit_db(void)
{
	gr_db *db = fresh_db("audit");
	fixture f = { sources, 5, NULL, 0 }, g = { audit_nodes, 8, audit_edges, 7 };
	gr_error err = { 0 };
	if (!db || gr_write(db, load_fn, &f, &err) != GR_OK || gr_write(db, load_fn, &g, &err) != GR_OK) {
		fprintf(stderr, "audit fixture: %s\n", err.msg);
		return NULL;
	}
	return db;
}

static size_t audit_count(gr_txn *t, unsigned min, const char *labels, const char *types, size_t *total)
{
	gr_audit_opts o;
	gr_error err;
	gr_claim *c;
	size_t n;
	uint16_t l = 0, ty = 0;
	memset(&o, 0, sizeof o);
	o.ao_min_sources = min;
	if (labels) {
		gr_sym(t, labels, strlen(labels), 0, &l);
		o.ao_labels = &l;
		o.ao_nlabels = 1;
	}
	if (types) {
		gr_sym(t, types, strlen(types), 0, &ty);
		o.ao_types = &ty;
		o.ao_ntypes = 1;
	}
	if (gr_audit(t, &o, &c, &n, &err) != GR_OK)
		return (size_t)-1;
	gr_claims_free(c, n);
	*total = o.ao_total;
	return n;
}

static void test_audit_finds_exactly_the_weak_claims(void)
{
	gr_db *db = audit_db();
	gr_txn *t;
	gr_error err = { 0 };
	gr_audit_opts o;
	gr_claim *c = NULL;
	size_t n = 0, total;
	/* weakest first: the unsupported ones, nodes before relationships */
	static const char *const want[][3] = {
		{ "Cargo:C1", NULL, "Cargo" }, { "Vessel:V2", NULL, "designated" }, { "Vessel:V3", NULL, "designated" },
		{ "Vessel:V1", "CALLED_AT", NULL },
		{ "Company:K1", NULL, "cited" }, { "Sanction:S1", NULL, "Sanction" },
		{ "Vessel:V1", "SIGHTED_AT", NULL }, { "Vessel:V1", "NEAR", NULL },
	};
	static const size_t counts[] = { 0, 0, 0, 0, 1, 1, 1, 1 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	memset(&o, 0, sizeof o);
	o.ao_min_sources = GR_MIN_SOURCES;
	CU_ASSERT_EQUAL_FATAL(gr_audit(t, &o, &c, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(o.ao_total, 12);   /* C1 K1 S1 V2 V3 V4 and six relationships */
	CU_ASSERT_EQUAL_FATAL(n, 8);
	for (size_t i = 0; i < n; i++) {
		CU_ASSERT_STRING_EQUAL(c[i].cl_subject, want[i][0]);
		CU_ASSERT_EQUAL(c[i].cl_independent, counts[i]);
		if (want[i][1]) {
			CU_ASSERT_EQUAL(c[i].cl_kind, 'e');
			CU_ASSERT_STRING_EQUAL(c[i].cl_relation, want[i][1]);
			CU_ASSERT_STRING_EQUAL(c[i].cl_object, "Port:P1");
		} else {
			CU_ASSERT_EQUAL(c[i].cl_kind, 'n');
			CU_ASSERT_STRING_EQUAL(c[i].cl_reason, want[i][2]);
		}
	}
	/* the sighting: two sources of one publisher, its date */
	CU_ASSERT_EQUAL(c[6].cl_nsources, 2);
	CU_ASSERT_STRING_EQUAL(c[6].cl_sources[1].cs_key, "s-alpha2");
	CU_ASSERT_STRING_EQUAL(c[6].cl_sources[1].cs_publisher, "  alpha NEWS.");
	CU_ASSERT_EQUAL(c[6].cl_sources[1].cs_conf, GR_PROBABLE);
	CU_ASSERT(c[6].cl_dates.type == GR_MAP && c[6].cl_dates.u.map.n == 1 &&
	    strcmp(c[6].cl_dates.u.map.keys[0], "date") == 0);
	CU_ASSERT_PTR_NULL(c[7].cl_sources[0].cs_publisher);
	gr_claims_free(c, n);

	CU_ASSERT_EQUAL(audit_count(t, 1, NULL, NULL, &total), 4);
	CU_ASSERT_EQUAL(audit_count(t, 3, NULL, NULL, &total), 12);
	CU_ASSERT_EQUAL(audit_count(t, 0, NULL, NULL, &total), 0);
	CU_ASSERT_EQUAL(audit_count(t, 2, NULL, "CALLED_AT", &total), 1);
	CU_ASSERT_EQUAL(total, 3);
	CU_ASSERT_EQUAL(audit_count(t, 2, NULL, "NEAR", &total), 2);   /* named: uncited NEAR counts too */
	CU_ASSERT_EQUAL(total, 2);
	CU_ASSERT_EQUAL(audit_count(t, 2, "Cargo", NULL, &total), 1);
	CU_ASSERT_EQUAL(audit_count(t, 2, "Sanction", NULL, &total), 1);   /* S1; V3's edge has 2 */
	CU_ASSERT_EQUAL(total, 2);
	CU_ASSERT_EQUAL(audit_count(t, 2, "Port", NULL, &total), 3);
	gr_abort(t);
	drop_db(db);
}

/* audit --min-confidence: a citation weaker than the level does not count */
static void test_audit_min_confidence(void)
{
	gr_db *db = audit_db();
	gr_txn *t;
	gr_error err = { 0 };
	gr_audit_opts o;
	gr_claim *c = NULL;
	size_t n = 0;
	int v4 = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	memset(&o, 0, sizeof o);
	o.ao_min_sources = GR_MIN_SOURCES;
	o.ao_min_conf = GR_PROBABLE;
	CU_ASSERT_EQUAL_FATAL(gr_audit(t, &o, &c, &n, &err), GR_OK);
	/* the 8 weak ones, V4 (probable + possible) and the CALLED_AT that
	 * rests on two possible sources */
	CU_ASSERT_EQUAL(n, 10);
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].cl_subject, "Vessel:V4") == 0) {
			v4 = 1;
			CU_ASSERT_EQUAL(c[i].cl_independent, 1);
			CU_ASSERT_EQUAL(c[i].cl_nsources, 2);   /* both shown */
		}
	CU_ASSERT(v4);
	gr_claims_free(c, n);
	o.ao_min_conf = GR_CONFIRMED;   /* the probable pair no longer counts either */
	CU_ASSERT_EQUAL_FATAL(gr_audit(t, &o, &c, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 11);
	gr_claims_free(c, n);
	o.ao_min_conf = GR_SUSPECTED;   /* everything counts: as without */
	CU_ASSERT_EQUAL_FATAL(gr_audit(t, &o, &c, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 8);
	gr_claims_free(c, n);
	gr_abort(t);
	drop_db(db);
}

/* ---- merging ---- */

typedef struct merge_arg {
	const node_spec *keep, *from;
	gr_node out;
	gr_merge_report r;
} merge_arg;

static void spec_node(gr_txn *t, const node_spec *s, uint32_t id, gr_node *n)
{
	gr_error err;
	gr_node_init(n);
	n->n_id = id;
	n->n_labels = malloc(2 * sizeof *n->n_labels);
	n->n_labels[n->n_nlabels++] = sym(t, s->label);
	if (s->label2)
		n->n_labels[n->n_nlabels++] = sym(t, s->label2);
	n->n_key = strdup(s->key);
	n->n_keylen = strlen(s->key);
	set_props(t, &n->n_props, &n->n_nprops, s->props, 6);
	set_cites(t, &n->n_cites, &n->n_ncites, s->cites, &err);
}

static int merge_nodes_fn(gr_txn *t, void *arg, gr_error *err)
{
	merge_arg *m = arg;
	gr_node from;
	int rc;
	spec_node(t, m->keep, 1, &m->out);
	spec_node(t, m->from, 2, &from);
	rc = gr_merge_nodes(t, &m->out, &from, &m->r, err);
	gr_node_clear(&from);
	return rc;
}

static const gr_value *prop(gr_txn *t, const gr_node *n, const char *name)
{
	uint16_t k;
	if (gr_sym(t, name, strlen(name), 0, &k) != GR_OK)
		return NULL;
	return gr_props_get(n->n_props, n->n_nprops, k);
}

/* 1 when v is a list of exactly the strings given (NULL-terminated). */
static int list_is(const gr_value *v, const char *const *want)
{
	size_t n = 0;
	while (want[n])
		n++;
	if (!v || v->type != GR_LIST || v->u.list.n != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (v->u.list.items[i].type != GR_STRING || strcmp(v->u.list.items[i].u.s.ptr, want[i]) != 0)
			return 0;
	return 1;
}

static void test_merge_keeps_conflicting_values(void)
{
	static const node_spec keep = { "Vessel", NULL, "IMO9161003",
		{ "name=LADY R", "flag=RU", "gross_tonnage=#7260", "aliases=[Lady R]", "past_names=[SIRIUS]", "type=ro-ro" },
		{ "s-alpha:probable", "s-own:possible" } };
	static const node_spec from = { "Vessel", "Ship", "LADY-R",
		{ "name=LADY-R", "flag=SL", "gross_tonnage=#7300", "aliases=[Lady R|LADY R.]", "mmsi=273445480", "type=ro-ro" },
		{ "s-alpha:confirmed", "s-beta:possible" } };
	gr_db *db = fresh_db("mergeprops");
	fixture f = { sources, 5, NULL, 0 };
	merge_arg m = { &keep, &from, { 0 }, { 0 } };
	gr_error err = { 0 };
	gr_txn *t;
	const gr_value *v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &f, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, merge_nodes_fn, &m, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	v = prop(t, &m.out, "name");
	CU_ASSERT(v && v->type == GR_STRING && strcmp(v->u.s.ptr, "LADY R") == 0);
	CU_ASSERT(list_is(prop(t, &m.out, "past_names"), (const char *const[]){ "SIRIUS", "LADY-R", NULL }));
	v = prop(t, &m.out, "flag");
	CU_ASSERT(v && v->type == GR_STRING && strcmp(v->u.s.ptr, "RU") == 0);
	CU_ASSERT(list_is(prop(t, &m.out, "past_flags"), (const char *const[]){ "SL", NULL }));
	v = prop(t, &m.out, "gross_tonnage");
	CU_ASSERT(v && v->type == GR_INT && v->u.i == 7260);
	v = prop(t, &m.out, "past_gross_tonnage");
	CU_ASSERT(v && v->type == GR_LIST && v->u.list.n == 1 && v->u.list.items[0].type == GR_INT &&
	    v->u.list.items[0].u.i == 7300);
	CU_ASSERT(list_is(prop(t, &m.out, "aliases"), (const char *const[]){ "Lady R", "LADY R.", NULL }));
	v = prop(t, &m.out, "mmsi");
	CU_ASSERT(v && v->type == GR_STRING && strcmp(v->u.s.ptr, "273445480") == 0);
	CU_ASSERT(list_is(prop(t, &m.out, "merged_keys"), (const char *const[]){ "Vessel:LADY-R", NULL }));
	CU_ASSERT_PTR_NULL(prop(t, &m.out, "past_type"));   /* equal values: no conflict */
	/* labels united; citations united, the stronger confidence kept */
	CU_ASSERT_EQUAL(m.out.n_nlabels, 2);
	CU_ASSERT_EQUAL(m.out.n_ncites, 3);
	CU_ASSERT_EQUAL(m.out.n_cites[0].c_conf, GR_CONFIRMED);
	CU_ASSERT_EQUAL(m.out.n_cites[2].c_conf, GR_POSSIBLE);
	/* the report */
	CU_ASSERT_EQUAL_FATAL(m.r.mr_nconflicts, 3);
	CU_ASSERT_STRING_EQUAL(m.r.mr_conflicts[0].mc_prop, "name");
	CU_ASSERT_STRING_EQUAL(m.r.mr_conflicts[0].mc_kept_in, "past_names");
	CU_ASSERT_STRING_EQUAL(m.r.mr_conflicts[0].mc_other.u.s.ptr, "LADY-R");
	CU_ASSERT_STRING_EQUAL(m.r.mr_conflicts[2].mc_kept_in, "past_gross_tonnage");
	CU_ASSERT_EQUAL(m.r.mr_labels_added, 1);
	CU_ASSERT_EQUAL(m.r.mr_cites_moved, 1);
	CU_ASSERT_EQUAL(m.r.mr_props_added, 1);
	gr_abort(t);
	gr_node_clear(&m.out);
	gr_merge_report_clear(&m.r);
	drop_db(db);
}

typedef struct merge_refs {
	const char *keep, *from;
	gr_merge_report r;
} merge_refs;

static int merge_fn(gr_txn *t, void *arg, gr_error *err)
{
	merge_refs *m = arg;
	uint32_t a, b;
	int rc;
	gr_merge_report_clear(&m->r);
	if ((rc = gr_resolve(t, m->keep, &a, err)) != GR_OK || (rc = gr_resolve(t, m->from, &b, err)) != GR_OK)
		return rc;
	return gr_merge(t, a, b, &m->r, err);
}

static const node_spec merge_nodes[] = {
	{ "Vessel", NULL, "IMO9161003", { "name=LADY R", "flag=RU" }, { "s-alpha:probable" } },
	{ "Vessel", NULL, "LADY-R", { "name=LADY-R", "merged_keys=[Vessel:OLD-R]" }, { "s-beta:probable" } },
	{ "Port", NULL, "RUVYP", { "name=Vostochny" }, { NULL } },
	{ "Port", NULL, "KPRJN", { "name=Rajin" }, { NULL } },
};

static const edge_spec merge_edges[] = {
	{ "Vessel:IMO9161003", "SIGHTED_AT", "Port:KPRJN", { "date=2024-04-14" }, { "s-alpha:probable" } },
	{ "Vessel:LADY-R", "CALLED_AT", "Port:RUVYP", { "start=2024-03-20" }, { "s-beta:probable", "s-own:possible" } },
	{ "Vessel:LADY-R", "LINKED_TO", "Vessel:IMO9161003", { NULL }, { NULL } },
	{ "Vessel:LADY-R", "AIS_GAP", "Vessel:LADY-R", { "hours=#12" }, { NULL } },
	{ "Port:KPRJN", "SEEN_WITH", "Vessel:LADY-R", { NULL }, { NULL } },
};

/* Adds the alias Vessel:OLD-R pointing at LADY-R, as an earlier merge would. */
static int old_alias_fn(gr_txn *t, void *arg, gr_error *err)
{
	uint32_t id;
	(void)arg;
	if (gr_resolve(t, "Vessel:LADY-R", &id, err) != GR_OK)
		return GR_ENOTFOUND;
	return st_key_put(gr_store_txn(t), sym(t, "Vessel"), "OLD-R", 5, id) ? GR_EIO : GR_OK;
}

static void test_merge_moves_edges_and_keeps_aliases(void)
{
	gr_db *db = fresh_db("merge");
	fixture f = { sources, 5, NULL, 0 }, g = { merge_nodes, 4, merge_edges, 5 };
	merge_refs m = { "Vessel:IMO9161003", "Vessel:LADY-R", { 0 } };
	gr_error err = { 0 };
	gr_txn *t;
	gr_hit *hits;
	gr_log_entry le;
	size_t n;
	uint32_t keep, id;
	uint64_t out = 0, in = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &f, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &g, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, old_alias_fn, NULL, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, merge_fn, &m, &err), GR_OK);
	CU_ASSERT_EQUAL(m.r.mr_edges_moved, 4);
	CU_ASSERT_EQUAL(check_db(db), 0);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:IMO9161003", &keep, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:LADY-R", &id, &err), GR_OK);
	CU_ASSERT_EQUAL(id, keep);
	CU_ASSERT_EQUAL(gr_resolve(t, "LADY-R", &id, &err), GR_OK);
	CU_ASSERT_EQUAL(id, keep);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:OLD-R", &id, &err), GR_OK);   /* an alias it held */
	CU_ASSERT_EQUAL(id, keep);
	CU_ASSERT_EQUAL(st_node_count(gr_store_txn(t)), 5 + 3);
	/* out: SIGHTED_AT, CALLED_AT, LINKED_TO (self), AIS_GAP (self);
	 * in: the two self-loops and SEEN_WITH */
	st_adj_count(gr_store_txn(t), ST_OUT, keep, 0, &out);
	st_adj_count(gr_store_txn(t), ST_IN, keep, 0, &in);
	CU_ASSERT_EQUAL(out, 4);
	CU_ASSERT_EQUAL(in, 3);
	CU_ASSERT_EQUAL(gr_find(t, "old-r", 0, &hits, &n, &err), GR_OK);   /* only as an alias */
	CU_ASSERT(n == 1 && hits[0].h_node == keep);
	gr_hits_free(hits, n);
	/* one change-log record with meaningful counts */
	CU_ASSERT_EQUAL(gr_log_read(t, st_log_head(gr_store_txn(t)), &le, &err), GR_OK);
	CU_ASSERT_EQUAL(le.l_counts.nodes_deleted, 1);
	CU_ASSERT_EQUAL(le.l_counts.nodes_updated, 1);
	CU_ASSERT_EQUAL(le.l_counts.edges_created, 4);
	CU_ASSERT_EQUAL(le.l_counts.edges_deleted, 4);
	gr_log_entry_clear(&le);
	gr_abort(t);
	gr_merge_report_clear(&m.r);

	/* bad input changes nothing */
	uint64_t head = log_head(db);
	merge_refs self = { "Vessel:IMO9161003", "Vessel:LADY-R", { 0 } };
	merge_refs port = { "Vessel:IMO9161003", "Port:RUVYP", { 0 } };
	merge_refs none = { "Vessel:IMO9161003", "Vessel:NOPE", { 0 } };
	CU_ASSERT_EQUAL(gr_write(db, merge_fn, &self, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "with itself"));
	CU_ASSERT_EQUAL(gr_write(db, merge_fn, &port, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "a Port is not a Vessel"));
	CU_ASSERT_EQUAL(gr_write(db, merge_fn, &none, &err), GR_ENOTFOUND);
	CU_ASSERT_EQUAL(log_head(db), head);
	gr_merge_report_clear(&self.r);
	gr_merge_report_clear(&port.r);
	gr_merge_report_clear(&none.r);
	drop_db(db);
}

static void test_merge_of_sources_repoints_citations(void)
{
	static const node_spec dup[] = {
		{ "Source", NULL, "s-alpha-copy", { "publisher=Alpha News", "url=https://example.org/a" }, { NULL } },
		{ "Vessel", NULL, "V1", { NULL }, { "s-alpha-copy:confirmed", "s-beta:possible" } },
		{ "Port", NULL, "P1", { NULL }, { NULL } },
	};
	static const edge_spec dup_edges[] = {
		{ "Vessel:V1", "CALLED_AT", "Port:P1", { NULL }, { "s-alpha-copy:probable", "s-alpha:possible" } },
	};
	gr_db *db = fresh_db("mergesrc");
	fixture f = { sources, 5, NULL, 0 }, g = { dup, 3, dup_edges, 1 };
	merge_refs m = { "Source:s-alpha", "Source:s-alpha-copy", { 0 } };
	gr_error err = { 0 };
	gr_txn *t;
	gr_node n;
	uint32_t v, s;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &f, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, load_fn, &g, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, merge_fn, &m, &err), GR_OK);
	CU_ASSERT_EQUAL(m.r.mr_cites_repointed, 2);
	CU_ASSERT_EQUAL(check_db(db), 0);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Source:s-alpha", &s, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:V1", &v, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_node_load(t, v, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n.n_ncites, 2);
	CU_ASSERT(n.n_cites[0].c_source == s || n.n_cites[1].c_source == s);
	gr_node_clear(&n);
	gr_abort(t);
	gr_merge_report_clear(&m.r);
	drop_db(db);
}

/* ---- retraction ---- */

typedef struct retract_arg {
	const char *key;
	int dry_run;
	gr_claim *c;
	size_t n, ncites;
} retract_arg;

static int retract_fn(gr_txn *t, void *arg, gr_error *err)
{
	retract_arg *a = arg;
	uint32_t id;
	int rc;
	gr_claims_free(a->c, a->n);
	a->c = NULL;
	a->n = 0;
	if ((rc = gr_source_find(t, a->key, &id, err)) != GR_OK)
		return rc;
	return gr_retract(t, id, GR_MIN_SOURCES, a->dry_run, &a->c, &a->n, &a->ncites, err);
}

static void test_retract_lists_what_falls(void)
{
	gr_db *db = audit_db();
	retract_arg dry = { "s-beta", 1, NULL, 0, 0 }, real = { "Source:s-beta", 0, NULL, 0, 0 };
	retract_arg unknown = { "s-nope", 0, NULL, 0, 0 };
	gr_error err = { 0 };
	gr_txn *t;
	gr_log_entry le;
	uint32_t id;
	uint64_t head;

	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	head = log_head(db);
	/* s-beta supports K1 (1 -> 0), S1 (1 -> 0), V4 (2 -> 1), the second
	 * CALLED_AT (2 -> 1) and SANCTIONED_UNDER (2 -> 1) */
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(retract_fn(t, &dry, &err), GR_OK);
	gr_abort(t);
	CU_ASSERT_EQUAL(dry.ncites, 5);
	CU_ASSERT_EQUAL_FATAL(dry.n, 5);
	CU_ASSERT_STRING_EQUAL(dry.c[0].cl_subject, "Company:K1");
	CU_ASSERT_EQUAL(dry.c[0].cl_before, 1);
	CU_ASSERT_EQUAL(dry.c[0].cl_independent, 0);
	CU_ASSERT_STRING_EQUAL(dry.c[2].cl_subject, "Vessel:V4");
	CU_ASSERT_EQUAL(dry.c[2].cl_before, 2);
	CU_ASSERT_EQUAL(dry.c[2].cl_independent, 1);
	CU_ASSERT_EQUAL(dry.c[2].cl_nsources, 1);
	CU_ASSERT_EQUAL(log_head(db), head);   /* nothing written */

	CU_ASSERT_EQUAL(gr_write(db, retract_fn, &unknown, &err), GR_ENOTFOUND);
	CU_ASSERT_STRING_EQUAL(err.msg, "unknown source s-nope");
	CU_ASSERT_EQUAL(gr_write(db, retract_fn, &real, &err), GR_OK);
	CU_ASSERT_EQUAL(real.n, dry.n);
	CU_ASSERT_EQUAL(log_head(db), head + 1);
	CU_ASSERT_EQUAL(check_db(db), 0);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Source:s-beta", &id, &err), GR_ENOTFOUND);
	CU_ASSERT_EQUAL(gr_log_read(t, head + 1, &le, &err), GR_OK);
	CU_ASSERT_EQUAL(le.l_counts.nodes_deleted, 1);
	CU_ASSERT_EQUAL(le.l_counts.nodes_updated, 3);
	CU_ASSERT_EQUAL(le.l_counts.edges_updated, 2);
	CU_ASSERT_EQUAL(le.l_counts.cites_removed, 5);
	gr_log_entry_clear(&le);
	gr_abort(t);
	gr_claims_free(dry.c, dry.n);
	gr_claims_free(real.c, real.n);
	gr_claims_free(unknown.c, unknown.n);
	drop_db(db);
}

/* ---- rules files ---- */

static void test_rules_parse_names_and_positions(void)
{
	static const char good[] =
	    "// checks for the Lady R case\n"
	    "-- name: every sanctioned vessel has an IMO number\n"
	    "MATCH (v:Vessel)-[:SANCTIONED_UNDER]->(:Sanction)\n"
	    "-- a comment inside the rule\n"
	    "WHERE v.imo IS NULL\n"
	    "RETURN v.key AS vessel;\n"
	    "\n"
	    "--   name:   sightings cite sources  \n"
	    "MATCH (v)-[s:SIGHTED_AT]->(p) WHERE size(sources(s)) = 0 RETURN v, p\n";
	static const char bad[] =
	    "-- name: fine\n"
	    "MATCH (n) RETURN n;\n"
	    "-- name: broken\n"
	    "MATCH (n:Vessel)\n"
	    "WHERE n.imo = \n"
	    "RETURN n;\n";
	gr_rules rs;
	gr_error err = { 0 };

	CU_ASSERT_EQUAL_FATAL(gr_rules_parse(good, strlen(good), &rs, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(rs.rs_n, 2);
	CU_ASSERT_STRING_EQUAL(rs.rs_rules[0].ru_name, "every sanctioned vessel has an IMO number");
	CU_ASSERT_EQUAL(rs.rs_rules[0].ru_line, 2);
	CU_ASSERT_STRING_EQUAL(rs.rs_rules[1].ru_name, "sightings cite sources");
	CU_ASSERT_EQUAL(rs.rs_rules[1].ru_line, 8);
	CU_ASSERT_EQUAL(strlen(rs.rs_rules[1].ru_text), strlen(good));
	gr_rules_clear(&rs);

	CU_ASSERT_EQUAL(gr_rules_parse(bad, strlen(bad), &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rule \"broken\""));
	CU_ASSERT_EQUAL(strncmp(err.msg, "6:1: ", 5), 0);   /* RETURN where an expression should be */
	CU_ASSERT_EQUAL(gr_rules_parse("MATCH (n) RETURN n", 18, &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "1: text before the first rule"));
	CU_ASSERT_EQUAL(gr_rules_parse("-- name: a\nRETURN 1\n-- name: a\nRETURN 2\n", 40, &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "named twice"));
	CU_ASSERT_EQUAL(gr_rules_parse("-- name: w\nCREATE (n:X) RETURN n\n", 33, &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must not write"));
	CU_ASSERT_EQUAL(gr_rules_parse("-- name: two\nRETURN 1; RETURN 2\n", 32, &rs, &err), GR_EINVALID);
	CU_ASSERT_EQUAL(gr_rules_parse("-- name: empty\n\n-- name: next\nRETURN 1\n", 39, &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "rule \"empty\""));
	CU_ASSERT_EQUAL(gr_rules_parse("\n// nothing\n", 12, &rs, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "no rules"));
}

int test_evidence_register(void)
{
	static const unit_test tests[] = {
		{ "publisher_norm_ignores_case_space_punctuation", test_publisher_norm_ignores_case_space_punctuation },
		{ "count_distinct_counts_duplicates_once", test_count_distinct_counts_duplicates_once },
		{ "independent_counts_a_publisher_once", test_independent_counts_a_publisher_once },
		{ "audit_finds_exactly_the_weak_claims", test_audit_finds_exactly_the_weak_claims },
		{ "audit_min_confidence", test_audit_min_confidence },
		{ "merge_keeps_conflicting_values", test_merge_keeps_conflicting_values },
		{ "merge_moves_edges_and_keeps_aliases", test_merge_moves_edges_and_keeps_aliases },
		{ "merge_of_sources_repoints_citations", test_merge_of_sources_repoints_citations },
		{ "retract_lists_what_falls", test_retract_lists_what_falls },
		{ "rules_parse_names_and_positions", test_rules_parse_names_and_positions },
	};
	return unit_suite("evidence", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
