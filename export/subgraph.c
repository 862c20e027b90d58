/*
 * subgraph.c: choosing what a diagram or report shows (the whole graph, a
 * neighbourhood, a query result), loading it with its dates, confidences,
 * sanctions and sources, and the text helpers both exporters share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subgraph.h"
#include "../graph/when.h"
#include "../graph/citing.h"
#include "redact.h"

/* ---- selection ---- */

void ex_subgraph_init(ex_subgraph *sg)
{
	memset(sg, 0, sizeof *sg);
}

void ex_subgraph_free(ex_subgraph *sg)
{
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		gr_node_clear(&sg->sg_nodes[i].xn);
		free(sg->sg_nodes[i].xn_programs);
	}
	for (size_t i = 0; i < sg->sg_nedges; i++)
		gr_edge_clear(&sg->sg_edges[i].xe);
	for (size_t i = 0; i < sg->sg_nsources; i++)
		gr_node_clear(&sg->sg_sources[i].xs);
	free(sg->sg_ids);
	free(sg->sg_refs);
	free(sg->sg_nodes);
	free(sg->sg_edges);
	free(sg->sg_sources);
	free(sg->sg_srcidx);
	free(sg->sg_srcnum);
	memset(sg, 0, sizeof *sg);
}

/* Makes room for one more item of size `size` in *arr (n used, *cap slots). */
static int grow(void **arr, size_t n, size_t *cap, size_t size)
{
	void *p;
	size_t nc;
	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 64;
	if (!(p = realloc(*arr, nc * size)))
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

int ex_subgraph_add_node(ex_subgraph *sg, uint32_t id)
{
	if (grow((void **)&sg->sg_ids, sg->sg_nids, &sg->sg_capids, sizeof *sg->sg_ids))
		return GR_ENOMEM;
	sg->sg_ids[sg->sg_nids++] = id;
	return GR_OK;
}

int ex_subgraph_add_edge(ex_subgraph *sg, uint32_t id, uint16_t type, uint32_t src, uint32_t dst)
{
	if (grow((void **)&sg->sg_refs, sg->sg_nrefs, &sg->sg_caprefs, sizeof *sg->sg_refs))
		return GR_ENOMEM;
	sg->sg_refs[sg->sg_nrefs++] = (ex_edge_ref){ .r_id = id, .r_src = src, .r_dst = dst, .r_type = type };
	if (ex_subgraph_add_node(sg, src) || ex_subgraph_add_node(sg, dst))
		return GR_ENOMEM;
	return GR_OK;
}

int ex_subgraph_add_value(ex_subgraph *sg, const gr_value *v)
{
	int rc = GR_OK;
	switch (v->type) {
	case GR_NODE:
		return ex_subgraph_add_node(sg, v->u.node.id);
	case GR_EDGE:
		return ex_subgraph_add_edge(sg, v->u.edge.id, (uint16_t)v->u.edge.type, v->u.edge.src, v->u.edge.dst);
	case GR_PATH:
		for (size_t i = 0; rc == GR_OK && i <= v->u.path->pa_len; i++)
			rc = ex_subgraph_add_value(sg, &v->u.path->pa_nodes[i]);
		for (size_t i = 0; rc == GR_OK && i < v->u.path->pa_len; i++)
			rc = ex_subgraph_add_value(sg, &v->u.path->pa_rels[i]);
		return rc;
	case GR_LIST:
		for (size_t i = 0; rc == GR_OK && i < v->u.list.n; i++)
			rc = ex_subgraph_add_value(sg, &v->u.list.items[i]);
		return rc;
	case GR_MAP:
		for (size_t i = 0; rc == GR_OK && i < v->u.map.n; i++)
			rc = ex_subgraph_add_value(sg, &v->u.map.vals[i]);
		return rc;
	default:
		return GR_OK;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_ref(const void *a, const void *b)
{
	const ex_edge_ref *x = a, *y = b;
	return x->r_id < y->r_id ? -1 : x->r_id > y->r_id;
}

void ex_subgraph_finish(ex_subgraph *sg)
{
	size_t j = 0;
	if (sg->sg_nids)
		qsort(sg->sg_ids, sg->sg_nids, sizeof *sg->sg_ids, cmp_u32);
	for (size_t i = 0; i < sg->sg_nids; i++)
		if (j == 0 || sg->sg_ids[j - 1] != sg->sg_ids[i])
			sg->sg_ids[j++] = sg->sg_ids[i];
	sg->sg_nids = j;
	if (sg->sg_nrefs)
		qsort(sg->sg_refs, sg->sg_nrefs, sizeof *sg->sg_refs, cmp_ref);
	j = 0;
	for (size_t i = 0; i < sg->sg_nrefs; i++)
		if (j == 0 || sg->sg_refs[j - 1].r_id != sg->sg_refs[i].r_id)
			sg->sg_refs[j++] = sg->sg_refs[i];
	sg->sg_nrefs = j;
}

int ex_subgraph_has(const ex_subgraph *sg, uint32_t id)
{
	return sg->sg_nids && bsearch(&id, sg->sg_ids, sg->sg_nids, sizeof id, cmp_u32) != NULL;
}

int ex_subgraph_all(gr_txn *t, ex_subgraph *sg, gr_error *err)
{
	gr_nodes ns;
	gr_rels it;
	gr_rel a;
	int rc;
	gr_nodes_open(t, 0, &ns, err);
	while ((rc = gr_nodes_next(&ns)) == 1)
		if (ex_subgraph_add_node(sg, ns.ns_id))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	if (rc < 0)
		return rc;
	if ((rc = gr_rels_open(t, &it, err)) != GR_OK) {
		gr_rels_close(&it);
		return rc;
	}
	gr_rels_all(&it);
	while ((rc = gr_rels_next(&it, &a)) == 1)
		if (ex_subgraph_add_edge(sg, a.r_edge, a.r_type, a.r_src, a.r_dst)) {
			gr_rels_close(&it);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
	gr_rels_close(&it);
	if (rc < 0)
		return rc;
	ex_subgraph_finish(sg);
	return GR_OK;
}

/* ---- neighbourhood ---- */

/* A set of node ids (open addressing; 0 is never an id). */
typedef struct idset {
	uint32_t *s_slot;
	size_t s_n, s_cap;
} idset;

static size_t idset_pos(const idset *s, uint32_t id)
{
	size_t i = (size_t)(id * 2654435761u) & (s->s_cap - 1);
	while (s->s_slot[i] && s->s_slot[i] != id)
		i = (i + 1) & (s->s_cap - 1);
	return i;
}

/* Adds id: 1 when new, 0 when present, -1 out of memory. */
static int idset_add(idset *s, uint32_t id)
{
	if ((s->s_n + 1) * 2 > s->s_cap) {
		idset bigger = { NULL, 0, s->s_cap ? s->s_cap * 2 : 256 };
		if (!(bigger.s_slot = calloc(bigger.s_cap, sizeof *bigger.s_slot)))
			return -1;
		for (size_t i = 0; i < s->s_cap; i++)
			if (s->s_slot[i])
				bigger.s_slot[idset_pos(&bigger, s->s_slot[i])] = s->s_slot[i];
		bigger.s_n = s->s_n;
		free(s->s_slot);
		*s = bigger;
	}
	size_t i = idset_pos(s, id);
	if (s->s_slot[i])
		return 0;
	s->s_slot[i] = id;
	s->s_n++;
	return 1;
}

static int idset_has(const idset *s, uint32_t id)
{
	return s->s_cap && s->s_slot[idset_pos(s, id)] == id;
}

typedef struct cite_seed {
	gr_txn *cs_txn;
	idset *cs_seen;
	ex_subgraph *cs_sg;
	uint32_t **cs_next;
	size_t *cs_nnext, *cs_capnext;
	int cs_rc;
} cite_seed;

static int seed_push(cite_seed *cs, uint32_t id)
{
	int r = idset_add(cs->cs_seen, id);
	if (r < 0 || (r == 1 && (grow((void **)cs->cs_next, *cs->cs_nnext, cs->cs_capnext, sizeof **cs->cs_next) ||
	    ex_subgraph_add_node(cs->cs_sg, id))))
		return -1;
	if (r == 1)
		(*cs->cs_next)[(*cs->cs_nnext)++] = id;
	return 0;
}

/* One citation of the root Source: the cited node, or the cited edge's
 * endpoints, join the first hop. */
static int seed_cite(cite_seed *cs, const gr_citing *c)
{
	uint16_t type;
	uint32_t dst;
	if (c->ci_kind == 'n') {
		if (seed_push(cs, c->ci_id))
			return cs->cs_rc = GR_ENOMEM;
	} else if (gr_edge_find(cs->cs_txn, c->ci_src, c->ci_id, &type, &dst) == GR_OK) {
		if (seed_push(cs, c->ci_src) || seed_push(cs, dst))
			return cs->cs_rc = GR_ENOMEM;
	}
	return 0;
}

int ex_subgraph_around(gr_txn *t, uint32_t root, unsigned hops, ex_subgraph *sg, gr_error *err)
{
	gr_rels it;
	idset seen = { 0 };
	uint32_t *cur = NULL, *next = NULL;
	size_t ncur = 0, nnext = 0, capcur = 0, capnext = 0;
	uint16_t source = 0;
	gr_rel a;
	int rc = GR_OK, r;

	if (!gr_node_exists(t, root))
		return gr_fail(err, GR_ENOTFOUND, "no node with id %u", root);
	if ((rc = gr_rels_open(t, &it, err)) != GR_OK)
		goto fail;
	if (idset_add(&seen, root) < 0 || ex_subgraph_add_node(sg, root) ||
	    grow((void **)&next, 0, &capnext, sizeof *next))
		goto nomem;
	next[nnext++] = root;
	/* a Source's first hop is what it cites */
	if (hops > 0 && gr_sym(t, "Source", 6, 0, &source) == GR_OK && gr_node_has_label_id(t, root, source) == 1) {
		cite_seed cs = { t, &seen, sg, &next, &nnext, &capnext, GR_OK };
		gr_citing *ci;
		size_t nci;
		nnext = 0;
		if ((rc = gr_cited_by(t, root, &ci, &nci, err)) != GR_OK)
			goto fail;
		for (size_t i = 0; i < nci && cs.cs_rc == GR_OK; i++)
			seed_cite(&cs, &ci[i]);
		free(ci);
		if (cs.cs_rc != GR_OK)
			goto nomem;
		hops--;
	}
	for (unsigned h = 0; h < hops && nnext; h++) {
		uint32_t *swap = cur;
		size_t capswap = capcur;
		cur = next, ncur = nnext, capcur = capnext;
		next = swap, nnext = 0, capnext = capswap;
		for (size_t i = 0; i < ncur; i++) {
			for (int dir = GR_OUT; dir <= GR_IN; dir++) {
				if ((rc = gr_rels_seek(&it, cur[i], dir, 0, 0)) != GR_OK)
					goto fail;
				while ((r = gr_rels_next(&it, &a)) == 1) {
					int added = idset_add(&seen, a.r_nbr);
					if (added < 0)
						goto nomem;
					if (!added)
						continue;
					if (grow((void **)&next, nnext, &capnext, sizeof *next) || ex_subgraph_add_node(sg, a.r_nbr))
						goto nomem;
					next[nnext++] = a.r_nbr;
				}
				if (r < 0) {
					rc = r;
					goto fail;
				}
			}
		}
	}
	/* every relationship between the nodes found (adding an edge appends its
	 * endpoints again: only the nodes found so far are scanned) */
	for (size_t i = 0, found = sg->sg_nids; i < found; i++) {
		uint32_t id = sg->sg_ids[i];
		if ((rc = gr_rels_seek(&it, id, GR_OUT, 0, 0)) != GR_OK)
			goto fail;
		while ((r = gr_rels_next(&it, &a)) == 1)
			if (idset_has(&seen, a.r_nbr) && ex_subgraph_add_edge(sg, a.r_edge, a.r_type, id, a.r_nbr))
				goto nomem;
		if (r < 0) {
			rc = r;
			goto fail;
		}
	}
	ex_subgraph_finish(sg);
	goto fail;
nomem:
	rc = gr_fail(err, GR_ENOMEM, "out of memory");
fail:
	gr_rels_close(&it);
	free(seen.s_slot);
	free(cur);
	free(next);
	return rc;
}

/* ---- loading ---- */

static uint16_t sym_of(gr_txn *t, const char *name)
{
	uint16_t id = 0;
	if (gr_sym(t, name, strlen(name), 0, &id) != GR_OK)
		return 0;
	return id;
}

static void syms_lookup(gr_txn *t, ex_syms *s)
{
	s->name = sym_of(t, "name");
	s->title = sym_of(t, "title");
	s->program = sym_of(t, "program");
	s->authority = sym_of(t, "authority");
	s->kind = sym_of(t, "kind");
	s->status = sym_of(t, "status");
	s->key_date = sym_of(t, "date");
	s->start = sym_of(t, "start");
	s->end = sym_of(t, "end");
	s->date_precision = sym_of(t, "date_precision");
	s->publisher = sym_of(t, "publisher");
	s->url = sym_of(t, "url");
	s->sha256 = sym_of(t, "sha256");
	s->flag = sym_of(t, "flag");
	s->imo = sym_of(t, "imo");
	s->locode = sym_of(t, "locode");
	s->country = sym_of(t, "country");
	s->sanctioned = sym_of(t, "sanctioned");
	s->hours = sym_of(t, "hours");
	s->sanctioned_under = sym_of(t, "SANCTIONED_UNDER");
	s->ais_gap = sym_of(t, "AIS_GAP");
	s->source_label = sym_of(t, "Source");
}

const char *ex_node_str(const gr_node *n, uint16_t key)
{
	const gr_value *v = key ? gr_props_get(n->n_props, n->n_nprops, key) : NULL;
	return v && v->type == GR_STRING && v->u.s.len ? v->u.s.ptr : NULL;
}

const char *ex_edge_str(const gr_edge *e, uint16_t key)
{
	const gr_value *v = key ? gr_props_get(e->e_props, e->e_nprops, key) : NULL;
	return v && v->type == GR_STRING && v->u.s.len ? v->u.s.ptr : NULL;
}

const char *ex_node_name(const ex_subgraph *sg, const gr_node *n)
{
	const char *s;
	if ((s = ex_node_str(n, sg->sg_sym.name)) || (s = ex_node_str(n, sg->sg_sym.title)) ||
	    (s = ex_node_str(n, sg->sg_sym.program)) || (s = ex_node_str(n, sg->sg_sym.kind)))
		return s;
	return n->n_key ? n->n_key : "";
}

/* The value layer's day of a date or datetime, or -1 when it is neither. */
static int value_day(const gr_value *v, int32_t *day)
{
	return gr_value_day(v, day) ? 0 : -1;
}

/* An edge's dates by the one rule of graph/when.h (as timeline and path
 * read them).  A date that only opens or only closes a span under another
 * name than start/end ("listed", "since", "delisted") reads as a marker:
 * "listed 2024-05-03". */
static void edge_dates(gr_txn *t, const ex_syms *sy, const gr_edge *e, ex_dates *d)
{
	const char *prec;
	gr_when w;
	memset(d, 0, sizeof *d);
	if (gr_when_of_props(t, e->e_props, e->e_nprops, &w)) {
		if (w.w_flags & GR_WHEN_START)
			d->xd_flags |= EX_D_START, d->xd_start = w.w_first;
		if (w.w_flags & GR_WHEN_END)
			d->xd_flags |= EX_D_END, d->xd_end = w.w_last;
		if (w.w_flags == GR_WHEN_START && strcmp(w.w_start_name, "start") != 0) {
			d->xd_flags |= EX_D_END | EX_D_OTHER;
			d->xd_end = d->xd_start;
			snprintf(d->xd_what, sizeof d->xd_what, "%s", w.w_start_name);
		} else if (w.w_flags == GR_WHEN_END && strcmp(w.w_end_name, "end") != 0) {
			d->xd_flags |= EX_D_START | EX_D_OTHER;
			d->xd_start = d->xd_end;
			snprintf(d->xd_what, sizeof d->xd_what, "%s", w.w_end_name);
		}
	}
	if ((prec = ex_edge_str(e, sy->date_precision)) && strcmp(prec, "month") == 0)
		d->xd_flags |= EX_D_MONTH;
}

static int strongest(const gr_cite *c, size_t n)
{
	int best = 0;
	for (size_t i = 0; i < n; i++)
		if (c[i].c_conf >= GR_CONFIRMED && c[i].c_conf <= GR_SUSPECTED && (!best || c[i].c_conf < best))
			best = c[i].c_conf;
	return best;
}

/* Whether node id is sanctioned, and under what (xn_programs). */
static int node_sanctions(gr_txn *t, const ex_syms *sy, gr_rels *it, ex_node *x, gr_error *err)
{
	const gr_value *flag = sy->sanctioned ? gr_props_get(x->xn.n_props, x->xn.n_nprops, sy->sanctioned) : NULL;
	gr_buf b = { 0 };
	uint32_t prev = 0;
	gr_rel a;
	int r;
	if (flag && ((flag->type == GR_BOOL && flag->u.b) ||
	    (flag->type == GR_STRING && strcmp(flag->u.s.ptr, "true") == 0)))
		x->xn_sanctioned = 1;
	if (!sy->sanctioned_under)
		return GR_OK;
	if ((r = gr_rels_seek(it, x->xn.n_id, GR_OUT, sy->sanctioned_under, 0)) != GR_OK)
		return r;
	while ((r = gr_rels_next(it, &a)) == 1) {
		gr_node target;
		const char *prog;
		x->xn_sanctioned = 1;
		if (a.r_nbr == prev || gr_node_load(t, a.r_nbr, &target, NULL) != GR_OK)
			continue;
		prev = a.r_nbr;
		if (!(prog = ex_node_str(&target, sy->program)) && !(prog = ex_node_str(&target, sy->name)))
			prog = target.n_key ? target.n_key : "?";
		if ((b.b_len && ex_puts(&b, ", ")) || ex_puts(&b, prog)) {
			gr_node_clear(&target);
			gr_buf_free(&b);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
		gr_node_clear(&target);
	}
	if (b.b_len && gr_buf_byte(&b, 0)) {
		gr_buf_free(&b);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	if (b.b_len)
		x->xn_programs = (char *)b.b_data;
	else
		gr_buf_free(&b);
	return r < 0 ? r : GR_OK;
}

static const ex_syms *sort_syms;

static int cmp_source(const void *a, const void *b)
{
	const ex_source *x = a, *y = b;
	const char *px, *py;
	int c;
	if (x->xs_dated != y->xs_dated)
		return x->xs_dated ? -1 : 1;
	if (x->xs_dated && x->xs_date != y->xs_date)
		return x->xs_date < y->xs_date ? -1 : 1;
	px = ex_node_str(&x->xs, sort_syms->publisher);
	py = ex_node_str(&y->xs, sort_syms->publisher);
	if ((c = strcmp(px ? px : "", py ? py : "")) != 0)
		return c;
	if ((c = strcmp(x->xs.n_key ? x->xs.n_key : "", y->xs.n_key ? y->xs.n_key : "")) != 0)
		return c;
	return x->xs.n_id < y->xs.n_id ? -1 : x->xs.n_id > y->xs.n_id;
}

static int load_sources(gr_txn *t, ex_subgraph *sg, gr_error *err)
{
	uint32_t *ids = NULL;
	size_t n = 0, cap = 0, j = 0;
	int rc = GR_OK;
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		const gr_node *nd = &sg->sg_nodes[i].xn;
		for (size_t k = 0; k < nd->n_ncites; k++) {
			if (grow((void **)&ids, n, &cap, sizeof *ids))
				goto nomem;
			ids[n++] = nd->n_cites[k].c_source;
		}
		if (sg->sg_sym.source_label && gr_node_has_label(nd, sg->sg_sym.source_label)) {
			if (grow((void **)&ids, n, &cap, sizeof *ids))
				goto nomem;
			ids[n++] = nd->n_id;
		}
	}
	for (size_t i = 0; i < sg->sg_nedges; i++)
		for (size_t k = 0; k < sg->sg_edges[i].xe.e_ncites; k++) {
			if (grow((void **)&ids, n, &cap, sizeof *ids))
				goto nomem;
			ids[n++] = sg->sg_edges[i].xe.e_cites[k].c_source;
		}
	if (n)
		qsort(ids, n, sizeof *ids, cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (j == 0 || ids[j - 1] != ids[i])
			ids[j++] = ids[i];
	n = j;
	if (n && (!(sg->sg_sources = calloc(n, sizeof *sg->sg_sources)) ||
	    !(sg->sg_srcidx = calloc(n, sizeof *sg->sg_srcidx)) || !(sg->sg_srcnum = calloc(n, sizeof *sg->sg_srcnum))))
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		ex_source *s = &sg->sg_sources[sg->sg_nsources];
		int32_t day;
		if ((rc = gr_node_load(t, ids[i], &s->xs, err)) != GR_OK) {
			rc = gr_fail(err, rc == GR_ENOTFOUND ? GR_ECORRUPT : rc, "a citation names source %u, which cannot be read", ids[i]);
			goto fail;
		}
		sg->sg_nsources++;
		if (ex_redact_source(t, &s->xs) < 0)
			goto nomem;
		if (sg->sg_sym.key_date && value_day(gr_props_get(s->xs.n_props, s->xs.n_nprops, sg->sg_sym.key_date), &day) == 0) {
			s->xs_dated = 1;
			s->xs_date = day;
		}
	}
	sort_syms = &sg->sg_sym;
	if (n)
		qsort(sg->sg_sources, n, sizeof *sg->sg_sources, cmp_source);
	/* ids is sorted: number each id by its place in the ordered list */
	for (size_t i = 0; i < n; i++) {
		sg->sg_srcidx[i] = ids[i];
		for (size_t k = 0; k < n; k++)
			if (sg->sg_sources[k].xs.n_id == ids[i]) {
				sg->sg_srcnum[i] = k + 1;
				break;
			}
	}
	goto fail;
nomem:
	rc = gr_fail(err, GR_ENOMEM, "out of memory");
fail:
	free(ids);
	return rc;
}

int ex_subgraph_load(gr_txn *t, ex_subgraph *sg, gr_error *err)
{
	gr_rels it = { 0 };
	int rc = GR_OK;
	syms_lookup(t, &sg->sg_sym);
	if ((sg->sg_nids && !(sg->sg_nodes = calloc(sg->sg_nids, sizeof *sg->sg_nodes))) ||
	    (sg->sg_nrefs && !(sg->sg_edges = calloc(sg->sg_nrefs, sizeof *sg->sg_edges)))) {
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = gr_rels_open(t, &it, err)) != GR_OK)
		goto fail;
	for (size_t i = 0; i < sg->sg_nids; i++) {
		ex_node *x = &sg->sg_nodes[sg->sg_nnodes];
		if ((rc = gr_node_load(t, sg->sg_ids[i], &x->xn, err)) != GR_OK) {
			rc = gr_fail(err, rc == GR_ENOTFOUND ? GR_ECORRUPT : rc, "node %u cannot be read", sg->sg_ids[i]);
			goto fail;
		}
		sg->sg_nnodes++;
		if (ex_redact_source(t, &x->xn) < 0) {
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
			goto fail;
		}
		x->xn_label = x->xn.n_nlabels ? gr_sym_name(t, x->xn.n_labels[0], NULL) : "";
		x->xn_conf = strongest(x->xn.n_cites, x->xn.n_ncites);
		if ((rc = node_sanctions(t, &sg->sg_sym, &it, x, err)) != GR_OK)
			goto fail;
	}
	for (size_t i = 0; i < sg->sg_nrefs; i++) {
		const ex_edge_ref *r = &sg->sg_refs[i];
		ex_edge *x = &sg->sg_edges[sg->sg_nedges];
		gr_edge_init(&x->xe);
		x->xe.e_id = r->r_id;
		x->xe.e_type = r->r_type;
		x->xe.e_src = r->r_src;
		x->xe.e_dst = r->r_dst;
		sg->sg_nedges++;
		if ((rc = gr_edge_load_props(t, &x->xe, err)) != GR_OK)
			goto fail;
		edge_dates(t, &sg->sg_sym, &x->xe, &x->xe_when);
		x->xe_conf = strongest(x->xe.e_cites, x->xe.e_ncites);
		if (x->xe_when.xd_flags & (EX_D_START | EX_D_END)) {
			int32_t lo = x->xe_when.xd_flags & EX_D_START ? x->xe_when.xd_start : x->xe_when.xd_end;
			int32_t hi = x->xe_when.xd_flags & EX_D_END ? x->xe_when.xd_end : x->xe_when.xd_start;
			if (!sg->sg_dated || lo < sg->sg_first)
				sg->sg_first = lo;
			if (!sg->sg_dated || hi > sg->sg_last)
				sg->sg_last = hi;
			sg->sg_dated = 1;
		}
	}
	rc = load_sources(t, sg, err);
fail:
	gr_rels_close(&it);
	return rc;
}

static int cmp_node_id(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key, other = ((const ex_node *)elem)->xn.n_id;
	return id < other ? -1 : id > other;
}

const ex_node *ex_subgraph_node(const ex_subgraph *sg, uint32_t id)
{
	if (!sg->sg_nnodes)
		return NULL;
	return bsearch(&id, sg->sg_nodes, sg->sg_nnodes, sizeof *sg->sg_nodes, cmp_node_id);
}

size_t ex_source_number(const ex_subgraph *sg, uint32_t source)
{
	const uint32_t *p;
	if (!sg->sg_nsources)
		return 0;
	p = bsearch(&source, sg->sg_srcidx, sg->sg_nsources, sizeof *sg->sg_srcidx, cmp_u32);
	return p ? sg->sg_srcnum[p - sg->sg_srcidx] : 0;
}

/* ---- dates ---- */

size_t ex_dates_format(const ex_dates *d, char *buf)
{
	char a[64], b[64];
	int64_t y1, y2;
	unsigned m1, m2, d1, d2;
	int month = (d->xd_flags & EX_D_MONTH) != 0;
	buf[0] = 0;
	if (!(d->xd_flags & (EX_D_START | EX_D_END)))
		return 0;
	gr_format_date(d->xd_flags & EX_D_START ? d->xd_start : d->xd_end, a);
	gr_format_date(d->xd_flags & EX_D_END ? d->xd_end : d->xd_start, b);
	if (month) {
		a[7] = 0;   /* YYYY-MM */
		b[7] = 0;
	}
	if (d->xd_flags & EX_D_OTHER)
		return (size_t)snprintf(buf, 64, "%.24s %s", d->xd_what, a);
	if (!(d->xd_flags & EX_D_END))
		return (size_t)snprintf(buf, 64, "from %s", a);
	if (!(d->xd_flags & EX_D_START))
		return (size_t)snprintf(buf, 64, "until %s", b);
	if (strcmp(a, b) == 0)
		return (size_t)snprintf(buf, 64, "%s", a);
	gr_civil_from_days(d->xd_start, &y1, &m1, &d1);
	gr_civil_from_days(d->xd_end, &y2, &m2, &d2);
	if (!month && y1 == y2 && m1 == m2)
		return (size_t)snprintf(buf, 64, "%s..%02u", a, d2);
	return (size_t)snprintf(buf, 64, "%s..%s", a, b);
}

long ex_gap_days(const ex_subgraph *sg, const ex_edge *e)
{
	const gr_value *h;
	unsigned f = e->xe_when.xd_flags;
	if ((f & EX_D_START) && (f & EX_D_END) && !(f & EX_D_OTHER))
		return (long)e->xe_when.xd_end - e->xe_when.xd_start;
	h = sg->sg_sym.hours ? gr_props_get(e->xe.e_props, e->xe.e_nprops, sg->sg_sym.hours) : NULL;
	if (h && h->type == GR_INT && h->u.i >= 0)
		return (long)((h->u.i + 12) / 24);
	if (h && h->type == GR_FLOAT && h->u.f >= 0 && h->u.f < 1e9)
		return (long)((h->u.f + 12) / 24);
	return -1;
}

/* ---- text ---- */

int ex_puts(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s)) ? -1 : 0;
}

int ex_printf(gr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || gr_buf_reserve(b, (size_t)n + 1))
		return -1;
	va_start(ap, fmt);
	vsnprintf((char *)b->b_data + b->b_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->b_len += (size_t)n;
	return 0;
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t c;
	size_t len;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, c = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

int ex_put_xml(gr_buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		const char *rep = NULL;
		size_t n = utf8_seq(p, (size_t)(end - p));
		if (n == 0) {
			rep = "\xef\xbf\xbd";
			n = 1;
		} else if (n == 1) {
			switch (*p) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default:
				if (*p < 0x20 || *p == 0x7f)
					rep = " ";
			}
		}
		if (rep ? gr_buf_put(b, rep, strlen(rep)) : gr_buf_put(b, p, n))
			return -1;
		p += n;
	}
	return 0;
}
