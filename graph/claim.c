/*
 * claim.c: claim identity (type, endpoints, `claim`, time span), finding the
 * claim an edge says again, and merging what it says into it.  See claim.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "claim.h"
#include "validate.h"

int gr_value_utc_day(const gr_value *v, int32_t *day)
{
	int64_t s;
	if (v->type == GR_DATE) {
		*day = v->u.date;
		return 0;
	}
	if (v->type != GR_DATETIME)
		return -1;
	/* dt_secs is UTC (a local datetime is taken as UTC); floor division */
	s = v->u.dt.dt_secs;
	*day = (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
	return 0;
}

/* The day of property symbol `k` (0: absent), when it holds a date or
 * datetime. */
static int prop_day(const gr_prop *p, size_t np, uint16_t k, int32_t *day)
{
	const gr_value *v;
	if (!k || !(v = gr_props_get(p, np, k)))
		return -1;
	return gr_value_utc_day(v, day);
}

void gr_claim_span(gr_txn *t, const gr_prop *p, size_t np, gr_span *s)
{
	int32_t a, b;
	int hs = prop_day(p, np, gr_symc(t, SYM_START), &a) == 0, he = prop_day(p, np, gr_symc(t, SYM_END), &b) == 0;
	memset(s, 0, sizeof *s);
	if (hs || he) {
		s->sp_has = 1;
		s->sp_lo = hs ? a : b;
		s->sp_hi = he ? b : a;
		if (s->sp_hi < s->sp_lo) {   /* refused by the checks; be safe */
			int32_t x = s->sp_lo;
			s->sp_lo = s->sp_hi;
			s->sp_hi = x;
		}
	} else if (prop_day(p, np, gr_symc(t, SYM_DATE), &a) == 0) {
		s->sp_has = 1;
		s->sp_lo = s->sp_hi = a;
	}
}

int gr_spans_match(const gr_span *a, const gr_span *b)
{
	if (!a->sp_has || !b->sp_has)
		return !a->sp_has && !b->sp_has;
	return a->sp_lo <= b->sp_hi && b->sp_lo <= a->sp_hi;
}

/* What identifies a claim beyond its type and endpoints. */
typedef struct claim_id {
	gr_span ci_span;
	const gr_value *ci_claim;   /* NULL: no `claim` */
} claim_id;

static void claim_id_of(gr_txn *t, const gr_edge *e, claim_id *c)
{
	uint16_t k = gr_symc(t, SYM_CLAIM);
	gr_claim_span(t, e->e_props, e->e_nprops, &c->ci_span);
	c->ci_claim = k ? gr_props_get(e->e_props, e->e_nprops, k) : NULL;
}

static int claim_ids_same(const claim_id *a, const claim_id *b)
{
	if (!a->ci_claim || !b->ci_claim) {
		if (a->ci_claim || b->ci_claim)
			return 0;
	} else if (gr_value_equal(a->ci_claim, b->ci_claim) != 1) {
		return 0;
	}
	return gr_spans_match(&a->ci_span, &b->ci_span);
}

int gr_claim_same(gr_txn *t, const gr_edge *a, const gr_edge *b)
{
	claim_id x, y;
	if (a->e_type != b->e_type || a->e_src != b->e_src || a->e_dst != b->e_dst)
		return 0;
	claim_id_of(t, a, &x);
	claim_id_of(t, b, &y);
	return claim_ids_same(&x, &y);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Appends id to *ids when edge id is the same claim as the one whose
 * identity is `want`. */
static int consider(gr_txn *t, const claim_id *want, uint32_t id, uint32_t **ids, size_t *n, size_t *cap, gr_error *err)
{
	gr_edge o;
	claim_id have;
	int rc, same;
	gr_edge_init(&o);
	o.e_id = id;
	if ((rc = gr_edge_load_props(t, &o, err)) != GR_OK)
		return rc;
	claim_id_of(t, &o, &have);
	same = claim_ids_same(want, &have);
	gr_edge_clear(&o);
	if (!same)
		return GR_OK;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		uint32_t *ni = realloc(*ids, nc * sizeof *ni);
		if (!ni)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		*ids = ni;
		*cap = nc;
	}
	(*ids)[(*n)++] = id;
	return GR_OK;
}

int gr_claim_candidates(gr_txn *t, const gr_edge *e, int scan_store, const uint32_t *extra, size_t nextra,
    uint32_t **ids, size_t *n, gr_error *err)
{
	st_adj_iter *it;
	st_adj a;
	size_t cap = 0;
	claim_id want;
	int rc = GR_OK, r;

	*ids = NULL;
	*n = 0;
	claim_id_of(t, e, &want);
	if (scan_store) {
		if (st_adj_open(t->x_st, &it) != ST_OK)
			return gr_fail(err, GR_ENOMEM, "out of memory");
		if (st_adj_seek(it, ST_OUT, e->e_src, e->e_type, e->e_dst) == ST_OK) {
			while (rc == GR_OK && (r = st_adj_read(it, &a)) == 1)
				if (a.a_type == e->e_type && a.a_nbr == e->e_dst && a.a_edge != e->e_id)
					rc = consider(t, &want, a.a_edge, ids, n, &cap, err);
			if (rc == GR_OK && r < 0)
				rc = gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
		}
		st_adj_close(it);
	}
	for (size_t i = 0; i < nextra && rc == GR_OK; i++)
		if (extra[i] != e->e_id)
			rc = consider(t, &want, extra[i], ids, n, &cap, err);
	if (rc != GR_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	if (*n > 1)
		qsort(*ids, *n, sizeof **ids, cmp_u32);
	return GR_OK;
}

/* Whether edge id has exactly the span of e. */
static int same_span(gr_txn *t, const gr_edge *e, uint32_t id)
{
	gr_edge o;
	gr_span a, b;
	int same;
	gr_edge_init(&o);
	o.e_id = id;
	if (gr_edge_load_props(t, &o, NULL) != GR_OK)
		return 0;
	gr_claim_span(t, e->e_props, e->e_nprops, &a);
	gr_claim_span(t, o.e_props, o.e_nprops, &b);
	same = a.sp_has == b.sp_has && (!a.sp_has || (a.sp_lo == b.sp_lo && a.sp_hi == b.sp_hi));
	gr_edge_clear(&o);
	return same;
}

int gr_claim_pick(gr_txn *t, const gr_edge *e, const uint32_t *ids, size_t n, unsigned occurrence,
    uint32_t *pick, int *ambiguous)
{
	*ambiguous = 0;
	if (occurrence >= 2) {
		if (n < occurrence)
			return -1;
		*pick = ids[occurrence - 1];
		return 0;
	}
	if (n == 0)
		return -1;
	if (n == 1) {
		*pick = ids[0];
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (same_span(t, e, ids[i])) {
			*pick = ids[i];
			return 0;
		}
	*ambiguous = 1;
	return -1;
}

/* ---- merging ---- */

/* Whether list l holds a value equal to v. */
static int list_has(const gr_value *l, const gr_value *v)
{
	for (size_t i = 0; i < l->u.list.n; i++)
		if (gr_value_equal(&l->u.list.items[i], v) == 1 && l->u.list.items[i].type == v->type)
			return 1;
	return 0;
}

/* Equal as stored: same kind and Cypher-equal (1 and 1.0 differ here). */
static int stored_equal(const gr_value *a, const gr_value *b)
{
	if (a->type != b->type)
		return 0;
	if (a->type == GR_LIST) {
		if (a->u.list.n != b->u.list.n)
			return 0;
		for (size_t i = 0; i < a->u.list.n; i++)
			if (!stored_equal(&a->u.list.items[i], &b->u.list.items[i]))
				return 0;
		return 1;
	}
	return gr_value_equal(a, b) == 1;
}

/* Keeps value v, which differs from what cur holds in property `name`, in
 * `<name>_alt`. */
static int keep_alt(gr_txn *t, gr_edge *cur, const char *name, const gr_value *v, gr_claim_result *res,
    int *changed, gr_error *err)
{
	char alt[300];
	uint16_t k;
	gr_value *old = NULL, l, c;
	int rc;
	snprintf(alt, sizeof alt, "%s_alt", name);
	if ((rc = gr_sym(t, alt, strlen(alt), 1, &k)) != GR_OK)
		return gr_fail(err, rc, "cannot add property %s", alt);
	for (size_t i = 0; i < cur->e_nprops; i++)
		if (cur->e_props[i].p_key == k)
			old = &cur->e_props[i].p_val;
	if (old && old->type == GR_LIST && list_has(old, v))
		return GR_OK;
	if (old && stored_equal(old, v))
		return GR_OK;
	if (gr_value_copy(&c, v))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (old && old->type == GR_LIST) {
		if (gr_list_push(old, c))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	} else {
		l = gr_list(2);
		if (l.type != GR_LIST) {
			gr_value_free(&c);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
		if (old) {
			gr_value o;
			if (gr_value_copy(&o, old) || gr_list_push(&l, o)) {
				gr_value_free(&c);
				gr_value_free(&l);
				return gr_fail(err, GR_ENOMEM, "out of memory");
			}
		}
		if (gr_list_push(&l, c) || gr_props_set(&cur->e_props, &cur->e_nprops, k, l))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	*changed = 1;
	if (res) {
		if (!res->cr_conflicts++)
			snprintf(res->cr_conflict, sizeof res->cr_conflict, "%s", name);
	}
	return GR_OK;
}

/* Merges one property value into cur. */
static int merge_prop(gr_txn *t, gr_edge *cur, uint16_t key, const gr_value *v, int flags, gr_claim_result *res,
    int *changed, gr_error *err)
{
	gr_value *old = NULL, c;
	const char *name;
	for (size_t i = 0; i < cur->e_nprops; i++)
		if (cur->e_props[i].p_key == key)
			old = &cur->e_props[i].p_val;
	if (old && stored_equal(old, v))
		return GR_OK;
	if (!old || (flags & GR_CLAIM_REFRESH)) {
		if (gr_value_copy(&c, v) || gr_props_set(&cur->e_props, &cur->e_nprops, key, c))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		*changed = 1;
		return GR_OK;
	}
	if (old->type == GR_LIST && v->type == GR_LIST) {
		/* a list gains the items it lacks */
		for (size_t i = 0; i < v->u.list.n; i++) {
			if (list_has(old, &v->u.list.items[i]))
				continue;
			if (gr_value_copy(&c, &v->u.list.items[i]) || gr_list_push(old, c))
				return gr_fail(err, GR_ENOMEM, "out of memory");
			*changed = 1;
		}
		return GR_OK;
	}
	name = gr_sym_name(t, key, NULL);
	return keep_alt(t, cur, name, v, res, changed, err);
}

int gr_claim_merge(gr_txn *t, gr_edge *cur, const gr_edge *in, int flags, gr_claim_result *res, int *changed,
    gr_error *err)
{
	int rc;
	*changed = 0;
	for (size_t i = 0; i < in->e_nprops; i++)
		if ((rc = merge_prop(t, cur, in->e_props[i].p_key, &in->e_props[i].p_val, flags, res, changed, err)) != GR_OK)
			return rc;
	for (size_t i = 0; i < in->e_ncites; i++) {
		size_t j;
		for (j = 0; j < cur->e_ncites && cur->e_cites[j].c_source != in->e_cites[i].c_source; j++)
			;
		if (j < cur->e_ncites && cur->e_cites[j].c_conf == in->e_cites[i].c_conf) {
			if (res)
				res->cr_cites_same++;
			continue;
		}
		if (res && j == cur->e_ncites)
			res->cr_cites_added++;
		else if (res)
			res->cr_cites_changed++;
		if (gr_cites_add(&cur->e_cites, &cur->e_ncites, in->e_cites[i].c_source, in->e_cites[i].c_conf))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		*changed = 1;
	}
	return GR_OK;
}

/* ---- saying a claim ---- */

int gr_claim_say(gr_txn *t, gr_edge *e, int flags, unsigned occurrence, gr_claim_result *res, gr_error *err)
{
	gr_claim_result local;
	uint32_t *ids = NULL, pick = 0;
	size_t n = 0;
	int rc, ambiguous = 0;

	if (!res)
		res = &local;
	memset(res, 0, sizeof *res);
	if ((rc = gr_edge_check(t, e, err)) != GR_OK)
		return rc;
	if (!(flags & GR_CLAIM_NEW)) {
		e->e_id = 0;
		if ((rc = gr_claim_candidates(t, e, 1, NULL, 0, &ids, &n, err)) != GR_OK)
			return rc;
		if (gr_claim_pick(t, e, ids, n, occurrence, &pick, &ambiguous) == 0) {
			gr_edge cur;
			int changed = 0;
			free(ids);
			if ((rc = gr_edge_load_like(t, e, pick, &cur, err)) == GR_OK &&
			    (rc = gr_claim_merge(t, &cur, e, flags, res, &changed, err)) == GR_OK && changed)
				rc = gr_edge_save(t, &cur, err);
			gr_edge_clear(&cur);
			e->e_id = pick;
			res->cr_edge = pick;
			res->cr_outcome = changed ? GR_CLAIM_UPDATED : GR_CLAIM_UNCHANGED;
			return rc;
		}
		if (ambiguous)
			gr_claim_note_others(res, ids, n);
		free(ids);
	}
	if ((rc = gr_edge_create(t, e, err)) != GR_OK)
		return rc;
	gr_claim_note_created(res, e, ambiguous);
	return GR_OK;
}

/* The edges from e's start to its end of its type that agree with what e
 * names: its `claim` when it has one, its span when it has one. */
static int named_claims(gr_txn *t, const gr_edge *e, uint32_t **ids, size_t *n, gr_error *err)
{
	st_adj_iter *it;
	st_adj a;
	size_t cap = 0;
	gr_span want;
	uint16_t ck = 0;
	const gr_value *cv = NULL;
	int rc = GR_OK, r = 0;

	*ids = NULL;
	*n = 0;
	gr_claim_span(t, e->e_props, e->e_nprops, &want);
	if (gr_sym(t, "claim", 5, 0, &ck) == GR_OK)
		cv = gr_props_get(e->e_props, e->e_nprops, ck);
	if (st_adj_open(t->x_st, &it) != ST_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (st_adj_seek(it, ST_OUT, e->e_src, e->e_type, e->e_dst) == ST_OK)
		while (rc == GR_OK && (r = st_adj_read(it, &a)) == 1) {
			gr_edge o;
			gr_span sp;
			int ok;
			if (a.a_type != e->e_type || a.a_nbr != e->e_dst)
				continue;
			gr_edge_init(&o);
			o.e_id = a.a_edge;
			if ((rc = gr_edge_load_props(t, &o, err)) != GR_OK)
				break;
			gr_claim_span(t, o.e_props, o.e_nprops, &sp);
			ok = (!want.sp_has || gr_spans_match(&want, &sp)) &&
			    (!cv || (gr_props_get(o.e_props, o.e_nprops, ck) &&
			     gr_value_equal(cv, gr_props_get(o.e_props, o.e_nprops, ck)) == 1));
			gr_edge_clear(&o);
			if (!ok)
				continue;
			if (*n == cap) {
				size_t nc = cap ? cap * 2 : 8;
				uint32_t *ni = realloc(*ids, nc * sizeof *ni);
				if (!ni) {
					rc = gr_fail(err, GR_ENOMEM, "out of memory");
					break;
				}
				*ids = ni;
				cap = nc;
			}
			(*ids)[(*n)++] = a.a_edge;
		}
	st_adj_close(it);
	if (rc == GR_OK && r < 0)
		rc = gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	if (rc != GR_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	} else if (*n > 1) {
		qsort(*ids, *n, sizeof **ids, cmp_u32);
	}
	return rc;
}

int gr_claim_find(gr_txn *t, const gr_edge *e, uint32_t *id, gr_error *err)
{
	uint32_t *ids;
	size_t n;
	char names[400] = "";
	int rc;
	if ((rc = named_claims(t, e, &ids, &n, err)) != GR_OK)
		return rc;
	if (n == 1) {
		*id = ids[0];
		free(ids);
		return GR_OK;
	}
	for (size_t i = 0; i < n && strlen(names) + 16 < sizeof names; i++)
		snprintf(names + strlen(names), sizeof names - strlen(names), "%s~%u", i ? ", " : "", ids[i]);
	free(ids);
	if (n == 0)
		return gr_fail(err, GR_ENOTFOUND, "no such claim");
	return gr_fail(err, GR_EAMBIGUOUS, "the claim is ambiguous: it matches %s (name one by ~ID)", names);
}

int gr_edge_by_id(gr_txn *t, uint32_t id, gr_edge *e, gr_error *err)
{
	st_adj_iter *it;
	st_adj a;
	uint32_t src = 0;
	int r;
	gr_edge_init(e);
	if (st_adj_open(t->x_st, &it) != ST_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	while ((r = st_adj_scan(it, &src, &a)) == 1)
		if (a.a_edge == id)
			break;
	st_adj_close(it);
	if (r < 0)
		return gr_fail(err, GR_EIO, "adjacency: %s", st_strerror());
	if (r != 1)
		return gr_fail(err, GR_ENOTFOUND, "no relationship ~%u", id);
	e->e_id = id;
	e->e_src = src;
	e->e_dst = a.a_nbr;
	e->e_type = a.a_type;
	return gr_edge_load_props(t, e, err);
}

const gr_counts *gr_txn_counts_peek(const gr_txn *t)
{
	return &t->x_counts;
}

void gr_claim_note_others(gr_claim_result *res, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n && res->cr_nothers < GR_CLAIM_MAXOTHERS; i++)
		res->cr_others[res->cr_nothers++] = ids[i];
}

void gr_claim_note_created(gr_claim_result *res, const gr_edge *e, int ambiguous)
{
	res->cr_edge = e->e_id;
	res->cr_outcome = ambiguous ? GR_CLAIM_AMBIGUOUS : GR_CLAIM_CREATED;
	res->cr_cites_added = e->e_ncites;
}
