/*
 * bulk.c: loading many nodes and edges in one transaction.
 *
 * Records are written as they come (ids ascending, so LMDB appends); the
 * adjacency and index entries are gathered and written sorted at the end,
 * which keeps B-tree pages full and the import fast.  Nodes created in the
 * bulk are indexed at the end from their final record, so a node given
 * twice (merged) is indexed once, correctly.  A node that existed before the
 * bulk is updated through gr_node_save, which maintains its indexes at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

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
	kslot *ns = calloc(n, sizeof *ns);
	if (!ns)
		return GR_ENOMEM;
	for (size_t i = 0; i < b->b_nslots; i++)
		if (b->b_slots[i].ks_id) {
			size_t j = b->b_slots[i].ks_hash & (n - 1);
			while (ns[j].ks_id)
				j = (j + 1) & (n - 1);
			ns[j] = b->b_slots[i];
		}
	free(b->b_slots);
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
		unsigned char *na = realloc(b->b_arena, cap);
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
	st_id_next(t->x_st, 0, &b->b_next_node);
	st_id_next(t->x_st, 1, &b->b_next_edge);
	*out = b;
	return GR_OK;
}

void gr_bulk_free(gr_bulk *b)
{
	if (!b)
		return;
	free(b->b_adj);
	free(b->b_new);
	st_batch_free(b->b_batch);
	free(b->b_slots);
	free(b->b_arena);
	gr_buf_free(&b->b_buf);
	free(b);
}

int gr_bulk_lookup(gr_bulk *b, uint16_t label, const char *key, size_t len, uint32_t *id)
{
	uint32_t x = map_get(b, label, key, len);
	if (x) {
		*id = x;
		return GR_OK;
	}
	return gr_node_by_key(b->b_t, label, key, len, id);
}

/* Merges src into dst: labels added, properties overwritten, citations added.
 * src's values are moved. */
static int node_merge(gr_node *dst, gr_node *src)
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
	for (size_t i = 0; i < src->n_ncites; i++)
		if (gr_cites_add(&dst->n_cites, &dst->n_ncites, src->n_cites[i].c_source, src->n_cites[i].c_conf))
			return GR_ENOMEM;
	return GR_OK;
}

int gr_bulk_node(gr_bulk *b, gr_node *n, uint32_t *id, gr_error *err)
{
	gr_txn *t = b->b_t;
	uint16_t first = n->n_nlabels ? n->n_labels[0] : 0;
	uint32_t existing = 0;
	int rc, in_bulk = 0;

	if (n->n_keylen) {
		existing = map_get(b, first, n->n_key, n->n_keylen);
		in_bulk = existing != 0;
		if (!existing && gr_node_by_key(t, first, n->n_key, n->n_keylen, &existing) != GR_OK)
			existing = 0;
	}
	if (existing) {
		gr_node cur;
		if ((rc = gr_node_load(t, existing, &cur, err)) != GR_OK)
			return rc;
		if ((rc = node_merge(&cur, n)) != GR_OK) {
			gr_node_clear(&cur);
			return gr_fail(err, rc, "out of memory");
		}
		if (in_bulk) {
			/* indexed at the end from the final record */
			if ((rc = gr_node_check(t, &cur, err)) == GR_OK &&
			    (rc = gr_node_encode(&b->b_buf, &cur)) == GR_OK &&
			    (rc = st_node_put(t->x_st, existing, b->b_buf.b_data, b->b_buf.b_len)))
				rc = gr_st_err(rc, err, "node");
		} else {
			rc = gr_node_save(t, &cur, err);
		}
		gr_node_clear(&cur);
		*id = existing;
		return rc;
	}
	if ((rc = gr_node_check(t, n, err)) != GR_OK)
		return rc;
	if (b->b_next_node == 0xffffffffu)
		return gr_fail(err, GR_EINVALID, "out of node ids");
	n->n_id = b->b_next_node++;
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
	*id = n->n_id;
	return GR_OK;
}

int gr_bulk_edge(gr_bulk *b, gr_edge *e, gr_error *err)
{
	gr_txn *t = b->b_t;
	int rc;
	if (b->b_next_edge == 0xffffffffu)
		return gr_fail(err, GR_EINVALID, "out of relationship ids");
	for (size_t i = 0; i < e->e_ncites; i++)
		if (e->e_cites[i].c_conf < GR_CONFIRMED || e->e_cites[i].c_conf > GR_SUSPECTED)
			return gr_fail(err, GR_EINVALID, "unknown confidence");
	e->e_id = b->b_next_edge++;
	if ((rc = gr_edge_encode(&b->b_buf, e)) != GR_OK)
		return gr_fail(err, rc, "a property value of the relationship cannot be stored");
	if (b->b_buf.b_len && (rc = st_edge_put(t->x_st, e->e_id, b->b_buf.b_data, b->b_buf.b_len)))
		return gr_st_err(rc, err, "edge");
	if (b->b_nadj == b->b_capadj) {
		size_t cap = b->b_capadj ? b->b_capadj * 2 : 1 << 16;
		st_adj_bulk *na = realloc(b->b_adj, cap * sizeof *na);
		if (!na)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		b->b_adj = na;
		b->b_capadj = cap;
	}
	b->b_adj[b->b_nadj].b_src = e->e_src;
	b->b_adj[b->b_nadj].b_dst = e->e_dst;
	b->b_adj[b->b_nadj].b_edge = e->e_id;
	b->b_adj[b->b_nadj].b_type = e->e_type;
	b->b_nadj++;
	for (size_t i = 0; i < e->e_ncites; i++) {
		st_cite c = { 'e', e->e_id, e->e_src, e->e_cites[i].c_conf };
		if ((rc = st_batch_cite(b->b_batch, e->e_cites[i].c_source, &c)))
			return gr_st_err(rc, err, "citation index");
	}
	t->x_changed = 1;
	t->x_counts.edges_created++;
	t->x_counts.cites_added += e->e_ncites;
	return GR_OK;
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
	if (rc == GR_OK && (rc = st_id_set_next(t->x_st, 0, b->b_next_node)))
		rc = gr_st_err(rc, err, "node ids");
	if (rc == GR_OK && (rc = st_id_set_next(t->x_st, 1, b->b_next_edge)))
		rc = gr_st_err(rc, err, "edge ids");
	if (rc == GR_OK && (rc = st_adj_add_many(t->x_st, b->b_adj, b->b_nadj)))
		rc = gr_st_err(rc, err, "adjacency");
	if (rc == GR_OK && (rc = st_batch_flush(t->x_st, b->b_batch)))
		rc = gr_st_err(rc, err, "indexes");
	if (rc == GR_ENOMEM)
		gr_fail(err, rc, "out of memory");
	gr_bulk_free(b);
	return rc;
}
