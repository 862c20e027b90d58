/*
 * bulk.c: loading many nodes and edges in one transaction.
 *
 * Records are written as they come (ids ascending, so LMDB appends); the
 * adjacency and index entries are gathered and written sorted at the end,
 * which keeps B-tree pages full and the import fast.  Nodes created in the
 * bulk are indexed at the end from their final record, so a node given
 * twice (merged) is indexed once, correctly.  A node that existed before the
 * bulk is updated through gr_node_save, which maintains its indexes at once.
 *
 * Edges are claims (claim.h): an edge said again merges into the claim it
 * repeats, whether that claim is in the store or was made earlier in this
 * bulk (found among its source's pending entries: bulk_pending.c).  Edges
 * made here have their citations indexed at the end from their final
 * record, as nodes do, so merging into them is a record rewrite.
 *
 * Memory: the big arrays live in huge-page mappings and the heap grows in
 * big steps with huge pages (store/bigmem.h), and the state digest's items
 * are hashed on a second thread (store/digestq.c): on the virtual machines
 * this runs on, fresh pages and hashing were about a quarter of an import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "bulk_pending.h"
#include "claim.h"
#include "validate.h"
#include "../store/bigmem.h"

typedef struct kslot {
	uint32_t ks_id;       /* 0: empty */
	uint32_t ks_hash;
	uint32_t ks_off;      /* into the arena: [u16 label][u16 len][key] */
} kslot;

struct gr_bulk {
	gr_txn *b_t;
	st_adj_bulk *b_adj;
	size_t b_nadj, b_capadj;
	uint32_t *b_new;      /* nodes created in this bulk */
	size_t b_nnew, b_capnew;
	st_index_batch *b_batch;
	kslot *b_slots;
	size_t b_nslots, b_used;
	unsigned char *b_arena;
	size_t b_alen, b_acap;
	uint32_t b_next_node, b_next_edge;
	uint32_t b_first_edge;   /* edges from here on were made in this bulk */
	uint32_t b_first_node;   /* and nodes */
	gr_pending b_pending; /* b_adj by (src, type, dst) */
	unsigned char *b_typeok;   /* symbols checked against near misses: 1 fine, 2 not */
	int b_edge_cites;     /* an edge record written here cites a source: index at the end */
	gr_bulk_counts b_counts;
	gr_buf b_buf;
};

static uint32_t key_hash(uint16_t label, const char *k, size_t len)
{
	uint32_t h = 2166136261u ^ label;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h ? h : 1;
}

static int slot_match(const gr_bulk *b, const kslot *s, uint16_t label, const char *k, size_t len)
{
	const unsigned char *p = b->b_arena + s->ks_off;
	return (uint16_t)(p[0] << 8 | p[1]) == label && (size_t)(p[2] << 8 | p[3]) == len && memcmp(p + 4, k, len) == 0;
}

static int map_grow(gr_bulk *b)
{
	size_t n = b->b_nslots ? b->b_nslots * 2 : 1 << 14;
	kslot *ns = st_big_alloc(n * sizeof *ns);
	if (!ns)
		return GR_ENOMEM;
	for (size_t i = 0; i < b->b_nslots; i++)
		if (b->b_slots[i].ks_id) {
			size_t j = b->b_slots[i].ks_hash & (n - 1);
			while (ns[j].ks_id)
				j = (j + 1) & (n - 1);
			ns[j] = b->b_slots[i];
		}
	st_big_free(b->b_slots);
	b->b_slots = ns;
	b->b_nslots = n;
	return GR_OK;
}

static uint32_t map_get(const gr_bulk *b, uint16_t label, const char *k, size_t len)
{
	uint32_t h = key_hash(label, k, len);
	if (!b->b_nslots)
		return 0;
	for (size_t j = h & (b->b_nslots - 1);; j = (j + 1) & (b->b_nslots - 1)) {
		const kslot *s = &b->b_slots[j];
		if (!s->ks_id)
			return 0;
		if (s->ks_hash == h && slot_match(b, s, label, k, len))
			return s->ks_id;
	}
}

static int map_put(gr_bulk *b, uint16_t label, const char *k, size_t len, uint32_t id)
{
	uint32_t h = key_hash(label, k, len);
	size_t j;
	if (len > 0xffff)
		return GR_EINVALID;
	if ((b->b_used + 1) * 2 > b->b_nslots && map_grow(b))
		return GR_ENOMEM;
	if (b->b_alen + 4 + len > b->b_acap) {
		size_t cap = b->b_acap ? b->b_acap * 2 : 1 << 20;
		while (cap < b->b_alen + 4 + len)
			cap *= 2;
		unsigned char *na = st_big_realloc(b->b_arena, cap);
		if (!na)
			return GR_ENOMEM;
		b->b_arena = na;
		b->b_acap = cap;
	}
	unsigned char *p = b->b_arena + b->b_alen;
	p[0] = (unsigned char)(label >> 8);
	p[1] = (unsigned char)label;
	p[2] = (unsigned char)(len >> 8);
	p[3] = (unsigned char)len;
	memcpy(p + 4, k, len);
	for (j = h & (b->b_nslots - 1); b->b_slots[j].ks_id; j = (j + 1) & (b->b_nslots - 1))
		;
	b->b_slots[j].ks_id = id;
	b->b_slots[j].ks_hash = h;
	b->b_slots[j].ks_off = (uint32_t)b->b_alen;
	b->b_alen += 4 + len;
	b->b_used++;
	return GR_OK;
}

int gr_bulk_begin(gr_txn *t, gr_bulk **out)
{
	gr_bulk *b = calloc(1, sizeof *b);
	*out = NULL;
	if (!b || !(b->b_batch = st_batch_new())) {
		free(b);
		return GR_ENOMEM;
	}
	b->b_t = t;
	st_big_heap_setup();
	st_digest_async(t->x_st);
	st_id_next(t->x_st, 0, &b->b_next_node);
	st_id_next(t->x_st, 1, &b->b_next_edge);
	b->b_first_edge = b->b_next_edge;
	b->b_first_node = b->b_next_node;
	*out = b;
	return GR_OK;
}

void gr_bulk_free(gr_bulk *b)
{
	if (!b)
		return;
	st_digest_sync(b->b_t->x_st);   /* the hashing thread stops with the bulk */
	st_big_free(b->b_adj);
	free(b->b_new);
	st_batch_free(b->b_batch);
	st_big_free(b->b_slots);
	st_big_free(b->b_arena);
	gr_pending_free(&b->b_pending);
	free(b->b_typeok);
	gr_buf_free(&b->b_buf);
	free(b);
}

void *gr_big_alloc(size_t n)
{
	return st_big_alloc(n);
}

void *gr_big_realloc(void *p, size_t n)
{
	return st_big_realloc(p, n);
}

void gr_big_free(void *p)
{
	st_big_free(p);
}

int gr_bulk_lookup(gr_bulk *b, uint16_t label, const char *key, size_t len, uint32_t *id)
{
	uint32_t x = map_get(b, label, key, len);
	if (x) {
		*id = x;
		return GR_OK;
	}
	if (b->b_first_node <= 1)
		return GR_ENOTFOUND;   /* the store held no node: nothing to look up there */
	return gr_node_by_key(b->b_t, label, key, len, id);
}

/* Merges src into dst: labels added, properties overwritten, citations added.
 * src's values are moved.  Counts the citations added and already there. */
static int node_merge(gr_bulk *b, gr_node *dst, gr_node *src)
{
	for (size_t i = 0; i < src->n_nlabels; i++)
		if (!gr_node_has_label(dst, src->n_labels[i])) {
			uint16_t *nl = realloc(dst->n_labels, (dst->n_nlabels + 1) * sizeof *nl);
			if (!nl)
				return GR_ENOMEM;
			nl[dst->n_nlabels++] = src->n_labels[i];
			dst->n_labels = nl;
		}
	for (size_t i = 0; i < src->n_nprops; i++) {
		if (gr_props_set(&dst->n_props, &dst->n_nprops, src->n_props[i].p_key, src->n_props[i].p_val))
			return GR_ENOMEM;
		src->n_props[i].p_val = gr_null();
	}
	for (size_t i = 0; i < src->n_ncites; i++) {
		size_t j;
		for (j = 0; j < dst->n_ncites && dst->n_cites[j].c_source != src->n_cites[i].c_source; j++)
			;
		if (j < dst->n_ncites && dst->n_cites[j].c_conf == src->n_cites[i].c_conf)
			b->b_counts.bc_cites_unchanged++;
		else if (j == dst->n_ncites)
			b->b_counts.bc_cites_added++;
		else
			b->b_counts.bc_cites_updated++;
		if (gr_cites_add(&dst->n_cites, &dst->n_ncites, src->n_cites[i].c_source, src->n_cites[i].c_conf))
			return GR_ENOMEM;
	}
	return GR_OK;
}

/* Refuses a label or type that is a near miss of a built-in one (checked
 * once per symbol). */
static int name_check(gr_bulk *b, uint16_t sym, int is_type, gr_error *err)
{
	size_t len;
	const char *name;
	int rc;
	if (!b->b_typeok && !(b->b_typeok = calloc(65536, 1)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (b->b_typeok[sym] == 1)
		return GR_OK;
	name = gr_sym_name(b->b_t, sym, &len);
	rc = gr_builtin_name_check(name, len, is_type, err);
	if (rc == GR_OK)
		b->b_typeok[sym] = 1;
	return rc;
}

/* Updates node `existing` (in the store, or made in this bulk) with n. */
static int node_update(gr_bulk *b, uint32_t existing, int in_bulk, gr_node *n, gr_error *err)
{
	gr_txn *t = b->b_t;
	const void *rec;
	size_t len;
	gr_node cur;
	int rc;
	if ((rc = gr_node_load(t, existing, &cur, err)) != GR_OK)
		return rc;
	if ((rc = node_merge(b, &cur, n)) != GR_OK) {
		gr_node_clear(&cur);
		return gr_fail(err, rc, "out of memory");
	}
	if ((rc = gr_node_normalise(t, &cur, err)) == GR_OK && (rc = gr_node_check(t, &cur, err)) == GR_OK &&
	    (rc = gr_node_encode(&b->b_buf, &cur)) == GR_OK) {
		int same = st_node_get(t->x_st, existing, &rec, &len) == ST_OK && len == b->b_buf.b_len &&
		    memcmp(rec, b->b_buf.b_data, len) == 0;
		if (same)
			b->b_counts.bc_nodes_unchanged++;
		else
			b->b_counts.bc_nodes_updated++;
		if (same)
			;   /* said again: nothing to write */
		else if (in_bulk) {
			/* indexed at the end from the final record */
			gr_node_labels_changed(t, existing);
			if ((rc = st_node_put(t->x_st, existing, b->b_buf.b_data, b->b_buf.b_len)))
				rc = gr_st_err(rc, err, "node");
			t->x_changed = 1;
		} else {
			rc = gr_node_save(t, &cur, err);
		}
	}
	gr_node_clear(&cur);
	return rc;
}

/* Deep copies of props and citations: importers lend arrays they own (CSV
 * rows point into the file), and the checks normalise values in place. */
static int props_copy(gr_prop **dst, size_t *nd, const gr_prop *src, size_t ns)
{
	*dst = NULL;
	*nd = 0;
	if (!ns)
		return GR_OK;
	if (!(*dst = calloc(ns, sizeof **dst)))
		return GR_ENOMEM;
	for (size_t i = 0; i < ns; i++) {
		(*dst)[i].p_key = src[i].p_key;
		if (gr_value_copy(&(*dst)[i].p_val, &src[i].p_val))
			return GR_ENOMEM;
		*nd = i + 1;
	}
	return GR_OK;
}

static int cites_copy(gr_cite **dst, size_t *nd, const gr_cite *src, size_t ns)
{
	*dst = NULL;
	*nd = 0;
	if (!ns)
		return GR_OK;
	if (!(*dst = malloc(ns * sizeof **dst)))
		return GR_ENOMEM;
	memcpy(*dst, src, ns * sizeof **dst);
	*nd = ns;
	return GR_OK;
}

static int node_copy(gr_node *w, const gr_node *n)
{
	gr_node_init(w);
	w->n_id = n->n_id;
	if (n->n_nlabels) {
		if (!(w->n_labels = malloc(n->n_nlabels * sizeof *w->n_labels)))
			return GR_ENOMEM;
		memcpy(w->n_labels, n->n_labels, n->n_nlabels * sizeof *w->n_labels);
		w->n_nlabels = n->n_nlabels;
	}
	if (n->n_keylen) {
		if (!(w->n_key = malloc(n->n_keylen + 1)))
			return GR_ENOMEM;
		memcpy(w->n_key, n->n_key, n->n_keylen);
		w->n_key[n->n_keylen] = 0;
		w->n_keylen = n->n_keylen;
	}
	if (props_copy(&w->n_props, &w->n_nprops, n->n_props, n->n_nprops) ||
	    cites_copy(&w->n_cites, &w->n_ncites, n->n_cites, n->n_ncites))
		return GR_ENOMEM;
	return GR_OK;
}

static int bulk_node(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err);

int gr_bulk_node(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err)
{
	gr_node w;
	int rc;
	if (node_copy(&w, n) != GR_OK) {
		gr_node_clear(&w);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	rc = bulk_node(b, &w, id, err);
	if (rc == GR_OK && !n->n_keylen && w.n_keylen) {
		/* the caller sees the generated key, as before */
		n->n_key = w.n_key;
		n->n_keylen = w.n_keylen;
		w.n_key = NULL;
	}
	if (rc == GR_OK)
		n->n_id = *id;
	gr_node_clear(&w);
	return rc;
}

int gr_bulk_node_own(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err)
{
	int rc = bulk_node(b, n, id, err);
	if (rc == GR_OK)
		n->n_id = *id;
	return rc;
}

static int bulk_node(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err)
{
	gr_txn *t = b->b_t;
	uint16_t first = n->n_nlabels ? n->n_labels[0] : 0;
	uint32_t existing = 0;
	int rc, in_bulk = 0;

	for (size_t i = 0; i < n->n_nlabels; i++)
		if ((rc = name_check(b, n->n_labels[i], 0, err)) != GR_OK)
			return rc;
	if ((rc = gr_node_normalise(t, n, err)) != GR_OK)
		return rc;
	if (n->n_keylen) {
		existing = map_get(b, first, n->n_key, n->n_keylen);
		in_bulk = existing != 0;
		if (!existing && (b->b_first_node <= 1 || gr_node_by_key(t, first, n->n_key, n->n_keylen, &existing) != GR_OK))
			existing = 0;
	}
	if (existing) {
		*id = existing;
		return node_update(b, existing, in_bulk, n, err);
	}
	if ((rc = gr_node_check(t, n, err)) != GR_OK)
		return rc;
	if (b->b_next_node == 0xffffffffu)
		return gr_fail(err, GR_EINVALID, "out of node ids");
	n->n_id = b->b_next_node++;
	st_big_heap_hint();
	if (!n->n_keylen) {
		/* "~id", or "~id.1" ... when an imported node holds that key */
		char k[32];
		uint32_t other;
		int l = snprintf(k, sizeof k, "~%u", n->n_id);
		for (unsigned i = 1; map_get(b, first, k, (size_t)l) ||
		    gr_node_by_key(t, first, k, (size_t)l, &other) == GR_OK; i++)
			l = snprintf(k, sizeof k, "~%u.%u", n->n_id, i);
		free(n->n_key);
		if (!(n->n_key = strdup(k)))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		n->n_keylen = (size_t)l;
	}
	if ((rc = gr_node_encode(&b->b_buf, n)) != GR_OK)
		return gr_fail(err, rc, "a property value cannot be stored");
	gr_node_labels_changed(t, n->n_id);
	if ((rc = st_node_put(t->x_st, n->n_id, b->b_buf.b_data, b->b_buf.b_len)))
		return gr_st_err(rc, err, "node");
	if ((rc = map_put(b, first, n->n_key, n->n_keylen, n->n_id)) != GR_OK)
		return gr_fail(err, rc, "key too long or out of memory");
	if (b->b_nnew == b->b_capnew) {
		size_t cap = b->b_capnew ? b->b_capnew * 2 : 4096;
		uint32_t *nn = realloc(b->b_new, cap * sizeof *nn);
		if (!nn)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		b->b_new = nn;
		b->b_capnew = cap;
	}
	b->b_new[b->b_nnew++] = n->n_id;
	t->x_changed = 1;
	t->x_counts.nodes_created++;
	b->b_counts.bc_nodes_created++;
	b->b_counts.bc_cites_added += n->n_ncites;
	*id = n->n_id;
	return GR_OK;
}

/* ---- edges made in this bulk, by (src, type, dst) ---- */

typedef struct id_list { uint32_t *ids; size_t n, cap; } id_list;

static int id_note(void *arg, uint32_t edge)
{
	id_list *l = arg;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 4;
		uint32_t *ni = realloc(l->ids, nc * sizeof *ni);
		if (!ni)
			return GR_ENOMEM;
		l->ids = ni;
		l->cap = nc;
	}
	l->ids[l->n++] = edge;
	return 0;
}

/* The edges made in this bulk from src to dst of type (malloc'd). */
static int pending_edges(const gr_bulk *b, const gr_edge *e, uint32_t **ids, size_t *n)
{
	id_list l = { NULL, 0, 0 };
	int rc = gr_pending_each(&b->b_pending, b->b_adj, e->e_src, e->e_type, e->e_dst, id_note, &l);
	if (rc != 0) {
		free(l.ids);
		l.ids = NULL;
		l.n = 0;
	}
	*ids = l.ids;
	*n = l.n;
	return rc ? GR_ENOMEM : GR_OK;
}

/* Writes a new edge: its record now, adjacency and citations at the end. */
static int edge_new(gr_bulk *b, gr_edge *e, gr_error *err)
{
	gr_txn *t = b->b_t;
	int rc;
	if (b->b_next_edge == 0xffffffffu)
		return gr_fail(err, GR_EINVALID, "out of relationship ids");
	e->e_id = b->b_next_edge++;
	st_big_heap_hint();
	if ((rc = gr_edge_encode(&b->b_buf, e)) != GR_OK)
		return gr_fail(err, rc, "a property value of the relationship cannot be stored");
	if (b->b_buf.b_len && (rc = st_edge_put(t->x_st, e->e_id, b->b_buf.b_data, b->b_buf.b_len)))
		return gr_st_err(rc, err, "edge");
	if (e->e_ncites)
		b->b_edge_cites = 1;
	if (b->b_nadj == b->b_capadj) {
		size_t cap = b->b_capadj ? b->b_capadj * 2 : 1 << 16;
		st_adj_bulk *na = st_big_realloc(b->b_adj, cap * sizeof *na);
		if (!na)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		b->b_adj = na;
		b->b_capadj = cap;
	}
	b->b_adj[b->b_nadj].b_src = e->e_src;
	b->b_adj[b->b_nadj].b_dst = e->e_dst;
	b->b_adj[b->b_nadj].b_edge = e->e_id;
	b->b_adj[b->b_nadj].b_type = e->e_type;
	if (gr_pending_add(&b->b_pending, b->b_adj, b->b_nadj) != GR_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	b->b_nadj++;
	t->x_changed = 1;
	t->x_counts.edges_created++;
	t->x_counts.cites_added += e->e_ncites;
	b->b_counts.bc_edges_created++;
	b->b_counts.bc_cites_added += e->e_ncites;
	return GR_OK;
}

/* Merges e into the claim `pick`, made in this bulk or in the store. */
static int edge_merge(gr_bulk *b, gr_edge *e, uint32_t pick, int flags, gr_claim_result *res, gr_error *err)
{
	gr_txn *t = b->b_t;
	gr_edge cur;
	int rc, changed = 0;
	gr_edge_init(&cur);
	cur.e_id = pick;
	cur.e_src = e->e_src;
	cur.e_dst = e->e_dst;
	cur.e_type = e->e_type;
	if ((rc = gr_edge_load_props(t, &cur, err)) == GR_OK &&
	    (rc = gr_claim_merge(t, &cur, e, flags, res, &changed, err)) == GR_OK && changed) {
		if (pick >= b->b_first_edge) {
			/* citations are indexed at the end from this record */
			if (cur.e_ncites)
				b->b_edge_cites = 1;
			if ((rc = gr_edge_encode(&b->b_buf, &cur)) != GR_OK)
				rc = gr_fail(err, rc, "a property value of the relationship cannot be stored");
			else if ((rc = st_edge_put(t->x_st, pick, b->b_buf.b_data, b->b_buf.b_len)))
				rc = gr_st_err(rc, err, "edge");
			t->x_changed = 1;
		} else {
			rc = gr_edge_save(t, &cur, err);
		}
	}
	gr_edge_clear(&cur);
	e->e_id = pick;
	res->cr_edge = pick;
	res->cr_outcome = changed ? GR_CLAIM_UPDATED : GR_CLAIM_UNCHANGED;
	if (rc == GR_OK) {
		if (changed)
			b->b_counts.bc_edges_updated++;
		else
			b->b_counts.bc_edges_unchanged++;
		b->b_counts.bc_cites_added += res->cr_cites_added;
		b->b_counts.bc_cites_updated += res->cr_cites_changed;
		b->b_counts.bc_cites_unchanged += res->cr_cites_same;
		b->b_counts.bc_conflicts += res->cr_conflicts;
	}
	return rc;
}

/* ---- replacing what an importer said (ingest/ftm_said.c) ---- */

int gr_bulk_node_replace(gr_bulk *b, gr_node *n, gr_error *err)
{
	gr_txn *t = b->b_t;
	const void *rec;
	size_t len;
	int rc, same;
	if ((rc = gr_node_normalise(t, n, err)) != GR_OK || (rc = gr_node_check(t, n, err)) != GR_OK)
		return rc;
	if ((rc = gr_node_encode(&b->b_buf, n)) != GR_OK)
		return gr_fail(err, rc, "a property value cannot be stored");
	same = st_node_get(t->x_st, n->n_id, &rec, &len) == ST_OK && len == b->b_buf.b_len &&
	    memcmp(rec, b->b_buf.b_data, len) == 0;
	if (same) {
		b->b_counts.bc_nodes_unchanged++;
		return GR_OK;
	}
	b->b_counts.bc_nodes_updated++;
	if (n->n_id < b->b_first_node) {
		gr_node w;
		if (node_copy(&w, n) != GR_OK) {
			gr_node_clear(&w);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
		rc = gr_node_save(t, &w, err);
		gr_node_clear(&w);
		return rc;
	}
	/* made in this bulk: indexed at the end from the final record */
	t->x_changed = 1;
	gr_node_labels_changed(t, n->n_id);
	if ((rc = st_node_put(t->x_st, n->n_id, b->b_buf.b_data, b->b_buf.b_len)))
		return gr_st_err(rc, err, "node");
	return GR_OK;
}

int gr_bulk_edge_replace(gr_bulk *b, gr_edge *e, gr_error *err)
{
	gr_txn *t = b->b_t;
	const void *rec;
	size_t len;
	int rc, same;
	if ((rc = gr_edge_check(t, e, err)) != GR_OK)
		return rc;
	if ((rc = gr_edge_encode(&b->b_buf, e)) != GR_OK)
		return gr_fail(err, rc, "a property value of the relationship cannot be stored");
	if (st_edge_get(t->x_st, e->e_id, &rec, &len) != ST_OK)
		len = 0, rec = NULL;
	same = len == b->b_buf.b_len && (!len || memcmp(rec, b->b_buf.b_data, len) == 0);
	if (same) {
		b->b_counts.bc_edges_unchanged++;
		return GR_OK;
	}
	b->b_counts.bc_edges_updated++;
	if (e->e_id < b->b_first_edge)
		return gr_edge_save(t, e, err);
	if (e->e_ncites)
		b->b_edge_cites = 1;
	t->x_changed = 1;
	if ((rc = st_edge_put(t->x_st, e->e_id, b->b_buf.b_data, b->b_buf.b_len)))
		return gr_st_err(rc, err, "edge");
	return GR_OK;
}

size_t gr_bulk_new_edges(const gr_bulk *b, size_t i, uint32_t *src, uint32_t *dst, uint16_t *type, uint32_t *id)
{
	if (i >= b->b_nadj)
		return 0;
	*src = b->b_adj[i].b_src;
	*dst = b->b_adj[i].b_dst;
	*type = b->b_adj[i].b_type;
	*id = b->b_adj[i].b_edge;
	return 1;
}

int gr_bulk_edges_between(const gr_bulk *b, const gr_edge *e, uint32_t **ids, size_t *n)
{
	return pending_edges(b, e, ids, n) == GR_OK ? GR_OK : GR_ENOMEM;
}

static int bulk_claim(gr_bulk *b, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err);

int gr_bulk_claim(gr_bulk *b, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err)
{
	gr_edge w;
	int rc;
	gr_edge_init(&w);
	w.e_src = e->e_src;
	w.e_dst = e->e_dst;
	w.e_type = e->e_type;
	if (props_copy(&w.e_props, &w.e_nprops, e->e_props, e->e_nprops) ||
	    cites_copy(&w.e_cites, &w.e_ncites, e->e_cites, e->e_ncites)) {
		gr_edge_clear(&w);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	rc = bulk_claim(b, &w, flags, occurrence, res, err);
	e->e_id = w.e_id;
	gr_edge_clear(&w);
	return rc;
}

static int bulk_claim(gr_bulk *b, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err)
{
	gr_txn *t = b->b_t;
	gr_claim_result local;
	uint32_t *extra = NULL, *ids = NULL, pick;
	size_t nextra = 0, n = 0;
	int rc, ambiguous = 0;

	if (!res)
		res = &local;
	memset(res, 0, sizeof *res);
	if ((rc = name_check(b, e->e_type, 1, err)) != GR_OK || (rc = gr_edge_check(t, e, err)) != GR_OK)
		return rc;
	if (!(flags & GR_CLAIM_NEW)) {
		e->e_id = 0;
		if (pending_edges(b, e, &extra, &nextra) != GR_OK)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		/* an endpoint made in this bulk has no stored adjacency yet */
		rc = gr_claim_candidates(t, e, e->e_src < b->b_first_node && e->e_dst < b->b_first_node, extra, nextra,
		    &ids, &n, err);
		free(extra);
		if (rc != GR_OK)
			return rc;
		if (gr_claim_pick(t, e, ids, n, occurrence, &pick, &ambiguous) == 0) {
			free(ids);
			return edge_merge(b, e, pick, flags, res, err);
		}
		if (ambiguous)
			gr_claim_note_others(res, ids, n);
		free(ids);
	}
	if ((rc = edge_new(b, e, err)) != GR_OK)
		return rc;
	gr_claim_note_created(res, e, ambiguous);
	if (ambiguous)
		b->b_counts.bc_ambiguous++;
	return GR_OK;
}

int gr_bulk_edge_own(gr_bulk *b, gr_edge *e, gr_error *err)
{
	return bulk_claim(b, e, 0, 0, NULL, err);
}

void gr_bulk_count_same(gr_bulk *b, uint64_t nodes, uint64_t cites)
{
	b->b_counts.bc_nodes_unchanged += nodes;
	b->b_counts.bc_cites_unchanged += cites;
}

int gr_bulk_edge(gr_bulk *b, gr_edge *e, gr_error *err)
{
	return gr_bulk_claim(b, e, 0, 0, NULL, err);
}

void gr_bulk_counts_get(const gr_bulk *b, gr_bulk_counts *c)
{
	*c = b->b_counts;
}

typedef struct ident_arg { st_index_batch *batch; uint32_t id; } ident_arg;

static int batch_ident_id(void *arg, char kind, const char *s, size_t len)
{
	ident_arg *a = arg;
	return st_batch_ident(a->batch, kind, s, len, a->id) ? GR_ENOMEM : GR_OK;
}

int gr_bulk_finish(gr_bulk *b, gr_error *err)
{
	gr_txn *t = b->b_t;
	uint16_t source = gr_symc(t, SYM_SOURCE);
	int rc = GR_OK;

	for (size_t i = 0; i < b->b_nnew && rc == GR_OK; i++) {
		gr_node n;
		ident_arg ia = { b->b_batch, b->b_new[i] };
		if ((rc = gr_node_load(t, b->b_new[i], &n, err)) != GR_OK)
			break;
		for (size_t l = 0; l < n.n_nlabels && rc == GR_OK; l++)
			rc = st_batch_label(b->b_batch, n.n_labels[l], n.n_id) ? GR_ENOMEM : GR_OK;
		if (rc == GR_OK && st_batch_key(b->b_batch, n.n_nlabels ? n.n_labels[0] : 0, n.n_key, n.n_keylen, n.n_id))
			rc = gr_fail(err, GR_EINVALID, "key %s: %s", n.n_key, st_strerror());
		if (rc == GR_OK)
			rc = gr_node_idents(t, &n, batch_ident_id, &ia);
		for (size_t c = 0; c < n.n_ncites && rc == GR_OK; c++) {
			st_cite ci = { 'n', n.n_id, 0, n.n_cites[c].c_conf };
			if (!source || !gr_node_has_label_id(t, n.n_cites[c].c_source, source))
				rc = gr_fail(err, GR_ENOTFOUND, "node %s cites #%u, which is not a Source", n.n_key, n.n_cites[c].c_source);
			else if (st_batch_cite(b->b_batch, n.n_cites[c].c_source, &ci))
				rc = GR_ENOMEM;
		}
		gr_node_clear(&n);
	}
	/* edges made here that cite: reading back millions of records that
	 * cannot (a CSV import's) would cost more than indexing */
	for (size_t i = 0; i < b->b_nadj && rc == GR_OK && b->b_edge_cites; i++) {
		gr_edge e;
		gr_edge_init(&e);
		e.e_id = b->b_adj[i].b_edge;
		if ((rc = gr_edge_load_props(t, &e, err)) != GR_OK)
			break;
		for (size_t c = 0; c < e.e_ncites && rc == GR_OK; c++) {
			st_cite ci = { 'e', e.e_id, b->b_adj[i].b_src, e.e_cites[c].c_conf };
			if (st_batch_cite(b->b_batch, e.e_cites[c].c_source, &ci))
				rc = GR_ENOMEM;
		}
		gr_edge_clear(&e);
	}
	if (rc == GR_OK && (rc = st_id_set_next(t->x_st, 0, b->b_next_node)))
		rc = gr_st_err(rc, err, "node ids");
	if (rc == GR_OK && (rc = st_id_set_next(t->x_st, 1, b->b_next_edge)))
		rc = gr_st_err(rc, err, "edge ids");
	/* no more lookups: their memory goes back before the sort takes more */
	gr_pending_free(&b->b_pending);
	st_big_free(b->b_slots);
	st_big_free(b->b_arena);
	b->b_slots = NULL;
	b->b_arena = NULL;
	b->b_nslots = b->b_used = b->b_alen = b->b_acap = 0;
	if (rc == GR_OK && (rc = st_adj_add_many(t->x_st, b->b_adj, b->b_nadj)))
		rc = gr_st_err(rc, err, "adjacency");
	if (rc == GR_OK && (rc = st_batch_flush(t->x_st, b->b_batch)))
		rc = gr_st_err(rc, err, "indexes");
	if (rc == GR_ENOMEM)
		gr_fail(err, rc, "out of memory");
	gr_bulk_free(b);
	return rc;
}
