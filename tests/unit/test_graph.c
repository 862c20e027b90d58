/*
 * test_graph.c: the model: node and edge records with their indexes,
 * domain checks that store nothing, key uniqueness and resolution, search,
 * deletion, the bulk loader's merging, the change log and check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"
#include "graph/graph_int.h"   /* white-box: the store under the graph */

#include "graph/graph.h"

static char dir[64];
static gr_db *db;

static int setup(void)
{
	return unit_db_open("graph", dir, sizeof dir, &db);
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static uint16_t sym(gr_txn *t, const char *s)
{
	uint16_t id = 0;
	gr_sym(t, s, strlen(s), 1, &id);
	return id;
}

/* Builds a node of one label with string properties "k=v". */
static void make_node(gr_txn *t, gr_node *n, const char *label, const char *key, const char *const *props)
{
	gr_node_init(n);
	n->n_labels = malloc(sizeof *n->n_labels);
	n->n_labels[0] = sym(t, label);
	n->n_nlabels = 1;
	n->n_key = strdup(key);
	n->n_keylen = strlen(key);
	for (; props && *props; props++) {
		const char *eq = strchr(*props, '=');
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - *props), *props);
		gr_props_set(&n->n_props, &n->n_nprops, sym(t, name), gr_value_from_text(eq + 1, strlen(eq + 1)));
	}
}

typedef struct add_arg { const char *label, *key; const char *const *props; uint32_t id; } add_arg;

static int add_fn(gr_txn *t, void *arg, gr_error *err)
{
	add_arg *a = arg;
	gr_node n;
	int rc;
	make_node(t, &n, a->label, a->key, a->props);
	rc = gr_node_save(t, &n, err);
	a->id = n.n_id;
	gr_node_clear(&n);
	return rc;
}

static uint64_t log_head(void)
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

static void test_failed_check_stores_nothing(void)
{
	static const char *const bad[] = { "name=LADY R", "imo=9161004", NULL };
	add_arg a = { "Vessel", "IMO9161003", bad, 0 };
	gr_error err = { 0 };
	uint64_t before = log_head();
	CU_ASSERT_EQUAL(gr_write(db, add_fn, &a, &err), GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "imo"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Vessel:IMO9161003"));
	CU_ASSERT_EQUAL(log_head(), before);   /* no record, no log entry */
	static const char *const badkey[] = { "name=X", NULL };
	add_arg b = { "Vessel", "IMO1234568", badkey, 0 };
	CU_ASSERT_EQUAL(gr_write(db, add_fn, &b, &err), GR_EINVALID);
}

static void test_save_load_resolve(void)
{
	static const char *const props[] = { "name=LADY R", "imo=9161003", "flag=RU", "seen=2024-04-14", NULL };
	static const char *const port[] = { "name=Rajin", "locode=KPRJN", NULL };
	add_arg a = { "Vessel", "IMO9161003", props, 0 }, p = { "Port", "KPRJN", port, 0 };
	gr_error err = { 0 };
	gr_txn *t;
	gr_node n;
	uint32_t id;
	uint64_t before = log_head();
	CU_ASSERT_EQUAL_FATAL(gr_write(db, add_fn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, add_fn, &p, &err), GR_OK);
	CU_ASSERT_EQUAL(log_head(), before + 2);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:IMO9161003", &id, &err), GR_OK);
	CU_ASSERT_EQUAL(id, a.id);
	CU_ASSERT_EQUAL(gr_resolve(t, "KPRJN", &id, &err), GR_OK);
	CU_ASSERT_EQUAL(id, p.id);
	CU_ASSERT_EQUAL(gr_resolve(t, "Port:IMO9161003", &id, &err), GR_ENOTFOUND);
	CU_ASSERT_EQUAL(gr_node_load(t, a.id, &n, &err), GR_OK);
	const gr_value *v = gr_props_get(n.n_props, n.n_nprops, gr_sym_cached(t, "name"));
	CU_ASSERT(v && v->type == GR_STRING && strcmp(v->u.s.ptr, "LADY R") == 0);
	uint16_t seen;
	CU_ASSERT_EQUAL(gr_sym(t, "seen", 4, 0, &seen), GR_OK);
	v = gr_props_get(n.n_props, n.n_nprops, seen);
	CU_ASSERT(v && v->type == GR_DATE);
	gr_value one;
	CU_ASSERT_EQUAL(gr_node_prop(t, a.id, seen, &one), GR_OK);
	CU_ASSERT(one.type == GR_DATE && one.u.date == v->u.date);
	gr_node_clear(&n);
	gr_abort(t);
}

static int dup_fn(gr_txn *t, void *arg, gr_error *err)
{
	gr_node n;
	int rc;
	(void)arg;
	make_node(t, &n, "Port", "KPRJN", NULL);
	rc = gr_node_save(t, &n, err);   /* n_id 0: a new node with a taken key */
	gr_node_clear(&n);
	return rc;
}

static void test_key_is_unique_within_label(void)
{
	gr_error err = { 0 };
	CU_ASSERT_EQUAL(gr_write(db, dup_fn, NULL, &err), GR_EEXISTS);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Port:KPRJN exists"));
}

typedef struct edge_arg { uint32_t id, src, dst; } edge_arg;

static int edge_fn(gr_txn *t, void *arg, gr_error *err)
{
	edge_arg *a = arg;
	gr_edge e;
	int rc;
	gr_edge_init(&e);
	gr_resolve(t, "Vessel:IMO9161003", &e.e_src, err);
	gr_resolve(t, "Port:KPRJN", &e.e_dst, err);
	e.e_type = sym(t, "SIGHTED_AT");
	gr_props_set(&e.e_props, &e.e_nprops, sym(t, "date"), gr_value_from_text("2024-04-14", 10));
	rc = gr_edge_create(t, &e, err);
	a->id = e.e_id;
	a->src = e.e_src;
	a->dst = e.e_dst;
	gr_edge_clear(&e);
	return rc;
}

static void test_edges_and_check(void)
{
	edge_arg a, b;
	gr_error err = { 0 };
	gr_txn *t;
	gr_edge e;
	char problems[4096] = "";
	CU_ASSERT_EQUAL_FATAL(gr_write(db, edge_fn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_write(db, edge_fn, &b, &err), GR_OK);   /* repeated edge */
	CU_ASSERT_NOT_EQUAL(a.id, b.id);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_edge_load(t, a.src, b.id, &e, &err), GR_OK);
	CU_ASSERT_EQUAL(e.e_dst, a.dst);
	CU_ASSERT_EQUAL(e.e_nprops, 1);
	gr_edge_clear(&e);
	CU_ASSERT_EQUAL(gr_check(t, unit_report_to_buf, problems, &err), 0);
	if (problems[0])
		fprintf(stderr, "%s", problems);
	gr_abort(t);
}

static int delete_fn(gr_txn *t, void *arg, gr_error *err)
{
	uint32_t id;
	int rc = gr_resolve(t, arg, &id, err);
	if (rc == GR_OK && (rc = gr_node_delete(t, id, 0, err)) == GR_EINVALID)
		rc = gr_node_delete(t, id, 1, err);   /* it has edges: detach */
	return rc;
}

static void test_detach_delete(void)
{
	gr_error err = { 0 };
	gr_txn *t;
	uint32_t id;
	char problems[4096] = "";
	CU_ASSERT_EQUAL(gr_write(db, delete_fn, "Port:KPRJN", &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "Port:KPRJN", &id, &err), GR_ENOTFOUND);
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:IMO9161003", &id, &err), GR_OK);
	uint64_t out;
	CU_ASSERT_EQUAL(st_adj_count(gr_store_txn(t), ST_OUT, id, 0, &out), ST_OK);
	CU_ASSERT_EQUAL(out, 0);
	CU_ASSERT_EQUAL(gr_check(t, unit_report_to_buf, problems, &err), 0);
	if (problems[0])
		fprintf(stderr, "%s", problems);
	gr_abort(t);
}

static void test_find_folds_case_and_accents(void)
{
	static const char *const props[] = { "name=Vostochnyy Pórt", NULL };
	add_arg a = { "Port", "RUVYP", props, 0 };
	gr_error err = { 0 };
	gr_txn *t;
	gr_hit *hits;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, add_fn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_find(t, "VOSTOCHNYY port", 0, &hits, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 1);
	if (n)
		CU_ASSERT_EQUAL(hits[0].h_node, a.id);
	gr_hits_free(hits, n);
	CU_ASSERT_EQUAL(gr_find(t, "9161003", 0, &hits, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 1);
	gr_hits_free(hits, n);
	gr_abort(t);
}

typedef struct bulk_arg { uint32_t a, b; } bulk_arg;

static int bulk_fn(gr_txn *t, void *arg, gr_error *err)
{
	bulk_arg *ba = arg;
	gr_bulk *b;
	gr_node n;
	gr_edge e;
	static const char *const p1[] = { "name=EAGLE", NULL };
	static const char *const p2[] = { "flag=PA", NULL };
	int rc;
	if (gr_bulk_begin(t, &b) != GR_OK)
		return GR_ENOMEM;
	make_node(t, &n, "Vessel", "IMO9074729", p1);
	rc = gr_bulk_node(b, &n, &ba->a, err);
	gr_node_clear(&n);
	make_node(t, &n, "Vessel", "IMO9074729", p2);   /* the same node again: merged */
	if (rc == GR_OK)
		rc = gr_bulk_node(b, &n, &ba->b, err);
	gr_node_clear(&n);
	gr_edge_init(&e);
	e.e_src = ba->a;
	e.e_dst = ba->a;
	e.e_type = sym(t, "AIS_GAP");
	if (rc == GR_OK)
		rc = gr_bulk_edge(b, &e, err);
	if (rc == GR_OK)
		return gr_bulk_finish(b, err);
	gr_bulk_free(b);
	return rc;
}

static void test_bulk_merges_repeated_nodes(void)
{
	bulk_arg ba;
	gr_error err = { 0 };
	gr_txn *t;
	gr_node n;
	char problems[4096] = "";
	CU_ASSERT_EQUAL_FATAL(gr_write(db, bulk_fn, &ba, &err), GR_OK);
	CU_ASSERT_EQUAL(ba.a, ba.b);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_node_load(t, ba.a, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n.n_nprops, 2);
	gr_node_clear(&n);
	CU_ASSERT_EQUAL(gr_check(t, unit_report_to_buf, problems, &err), 0);
	if (problems[0])
		fprintf(stderr, "%s", problems);
	gr_abort(t);
}

int test_graph_register(void)
{
	static const unit_test tests[] = {
		{ "failed_check_stores_nothing", test_failed_check_stores_nothing },
		{ "save_load_resolve", test_save_load_resolve },
		{ "key_is_unique_within_label", test_key_is_unique_within_label },
		{ "edges_and_check", test_edges_and_check },
		{ "detach_delete", test_detach_delete },
		{ "find_folds_case_and_accents", test_find_folds_case_and_accents },
		{ "bulk_merges_repeated_nodes", test_bulk_merges_repeated_nodes },
	};
	return unit_suite("graph", setup, teardown, tests, sizeof tests / sizeof *tests);
}
