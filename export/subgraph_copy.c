/*
 * subgraph_copy.c: `export --query`: the part of the graph a query returns,
 * made whole (the relationships between its nodes and the Sources they
 * cite) and copied into a database of its own, so that every exporter
 * writes it exactly as it writes a whole database.
 *
 * The copy keeps every label, key, property, citation and relationship of
 * the selection; node and relationship ids are new, given in the original
 * order, so the exports come out in the original relative order.  A
 * citation of a Source outside the selection cannot be copied and is left
 * out (only Sources cited by a Source can be: the Sources cited by the
 * selected nodes and relationships are selected).
 */
#include <stdlib.h>
#include <string.h>

#include "subgraph.h"

/* Adds the Sources of citations c[0..nc). */
static int add_cited(ex_subgraph *sg, const gr_cite *c, size_t nc)
{
	for (size_t i = 0; i < nc; i++)
		if (ex_subgraph_add_node(sg, c[i].c_source) != GR_OK)
			return GR_ENOMEM;
	return GR_OK;
}

int ex_subgraph_close(gr_txn *t, ex_subgraph *sg, gr_error *err)
{
	gr_rels it;
	size_t nids, nrefs;
	gr_rel a;
	int rc, r;

	ex_subgraph_finish(sg);
	if ((rc = gr_rels_open(t, &it, err)) != GR_OK) {
		gr_rels_close(&it);
		return rc;
	}
	/* the relationships whose two ends are selected */
	nids = sg->sg_nids;
	for (size_t i = 0; i < nids && rc == GR_OK; i++) {
		uint32_t id = sg->sg_ids[i];
		if ((rc = gr_rels_seek(&it, id, GR_OUT, 0, 0)) != GR_OK)
			break;
		while ((r = gr_rels_next(&it, &a)) == 1)
			if (ex_subgraph_has(sg, a.r_nbr) && ex_subgraph_add_edge(sg, a.r_edge, a.r_type, id, a.r_nbr) != GR_OK) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				break;
			}
		if (rc == GR_OK && r < 0)
			rc = r;
	}
	gr_rels_close(&it);
	if (rc != GR_OK)
		return rc;
	/* the Sources they cite (adding appends: only the nodes and
	 * relationships selected so far are read) */
	ex_subgraph_finish(sg);
	nids = sg->sg_nids;
	nrefs = sg->sg_nrefs;
	for (size_t i = 0; i < nids && rc == GR_OK; i++) {
		gr_node n;
		if ((rc = gr_node_load(t, sg->sg_ids[i], &n, err)) != GR_OK)
			return rc;
		if (add_cited(sg, n.n_cites, n.n_ncites) != GR_OK)
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
		gr_node_clear(&n);
	}
	for (size_t i = 0; i < nrefs && rc == GR_OK; i++) {
		gr_edge e;
		gr_edge_init(&e);
		if ((rc = gr_edge_load(t, sg->sg_refs[i].r_src, sg->sg_refs[i].r_id, &e, err)) != GR_OK)
			return rc;
		if (add_cited(sg, e.e_cites, e.e_ncites) != GR_OK)
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
		gr_edge_clear(&e);
	}
	ex_subgraph_finish(sg);
	return rc;
}

/* ---------------------------------------------------------------- copy */

typedef struct copy_ctx {
	gr_txn *cc_src;
	const ex_subgraph *cc_sg;
	uint16_t *cc_sym;        /* source symbol -> copy's symbol (0: not yet) */
	uint32_t *cc_new;        /* parallel to sg_ids: the copy's node id */
} copy_ctx;

static int sym_map(copy_ctx *c, gr_txn *dst, uint16_t id, uint16_t *out, gr_error *err)
{
	size_t len;
	const char *name;
	int rc;
	if (c->cc_sym[id]) {
		*out = c->cc_sym[id];
		return GR_OK;
	}
	name = gr_sym_name(c->cc_src, id, &len);
	if ((rc = gr_sym(dst, name, len, 1, out)) != GR_OK)
		return gr_fail(err, rc, "cannot copy the name %.*s", (int)len, name);
	c->cc_sym[id] = *out;
	return GR_OK;
}

/* The copy's id of selected node id, or 0. */
static uint32_t node_map(const copy_ctx *c, uint32_t id)
{
	size_t lo = 0, hi = c->cc_sg->sg_nids;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->cc_sg->sg_ids[mid] < id)
			lo = mid + 1;
		else if (c->cc_sg->sg_ids[mid] > id)
			hi = mid;
		else
			return c->cc_new[mid];
	}
	return 0;
}

static int props_map(copy_ctx *c, gr_txn *dst, gr_prop *p, size_t np, gr_error *err)
{
	for (size_t i = 0; i < np; i++) {
		int rc = sym_map(c, dst, p[i].p_key, &p[i].p_key, err);
		if (rc != GR_OK)
			return rc;
	}
	/* records keep properties sorted by symbol id */
	for (size_t i = 1; i < np; i++)
		for (size_t j = i; j > 0 && p[j - 1].p_key > p[j].p_key; j--) {
			gr_prop t = p[j];
			p[j] = p[j - 1];
			p[j - 1] = t;
		}
	return GR_OK;
}

/* Citations mapped to the copy's Sources; those outside are dropped. */
static void cites_map(const copy_ctx *c, gr_cite *ct, size_t *nc)
{
	size_t j = 0;
	for (size_t i = 0; i < *nc; i++) {
		uint32_t to = node_map(c, ct[i].c_source);
		if (to) {
			ct[j] = ct[i];
			ct[j++].c_source = to;
		}
	}
	*nc = j;
}

static int copy_body(gr_txn *dst, void *arg, gr_error *err)
{
	copy_ctx *c = arg;
	const ex_subgraph *sg = c->cc_sg;
	int rc = GR_OK;

	memset(c->cc_sym, 0, 65536 * sizeof *c->cc_sym);
	/* nodes without their citations, then the citations (a Source may
	 * cite a Source made after it) */
	for (size_t i = 0; i < sg->sg_nids && rc == GR_OK; i++) {
		gr_node n;
		if ((rc = gr_node_load(c->cc_src, sg->sg_ids[i], &n, err)) != GR_OK)
			return rc;
		for (size_t l = 0; l < n.n_nlabels && rc == GR_OK; l++)
			rc = sym_map(c, dst, n.n_labels[l], &n.n_labels[l], err);
		if (rc == GR_OK)
			rc = props_map(c, dst, n.n_props, n.n_nprops, err);
		n.n_ncites = 0;
		n.n_id = 0;
		if (rc == GR_OK)
			rc = gr_node_save(dst, &n, err);
		c->cc_new[i] = n.n_id;
		gr_node_clear(&n);
	}
	for (size_t i = 0; i < sg->sg_nids && rc == GR_OK; i++) {
		gr_node n, m;
		if ((rc = gr_node_load(c->cc_src, sg->sg_ids[i], &n, err)) != GR_OK)
			return rc;
		cites_map(c, n.n_cites, &n.n_ncites);
		if (n.n_ncites && (rc = gr_node_load(dst, c->cc_new[i], &m, err)) == GR_OK) {
			gr_cite *t = m.n_cites;
			m.n_cites = n.n_cites;
			m.n_ncites = n.n_ncites;
			n.n_cites = t;
			n.n_ncites = 0;
			rc = gr_node_save(dst, &m, err);
			gr_node_clear(&m);
		}
		gr_node_clear(&n);
	}
	for (size_t i = 0; i < sg->sg_nrefs && rc == GR_OK; i++) {
		const ex_edge_ref *r = &sg->sg_refs[i];
		gr_edge e;
		gr_edge_init(&e);
		if ((rc = gr_edge_load(c->cc_src, r->r_src, r->r_id, &e, err)) != GR_OK)
			return rc;
		e.e_src = node_map(c, r->r_src);
		e.e_dst = node_map(c, r->r_dst);
		e.e_id = 0;
		cites_map(c, e.e_cites, &e.e_ncites);
		if ((rc = sym_map(c, dst, r->r_type, &e.e_type, err)) == GR_OK &&
		    (rc = props_map(c, dst, e.e_props, e.e_nprops, err)) == GR_OK)
			rc = gr_edge_create(dst, &e, err);
		gr_edge_clear(&e);
	}
	return rc;
}

int ex_subgraph_copy(gr_txn *src, const ex_subgraph *sg, gr_db *dst, gr_error *err)
{
	copy_ctx c = { src, sg, NULL, NULL };
	int rc;
	if (!(c.cc_sym = calloc(65536, sizeof *c.cc_sym)) || !(c.cc_new = calloc(sg->sg_nids + 1, sizeof *c.cc_new))) {
		free(c.cc_sym);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	rc = gr_write(dst, copy_body, &c, err);
	free(c.cc_sym);
	free(c.cc_new);
	return rc;
}
