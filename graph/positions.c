/*
 * positions.c: AIS positions through the graph layer (see positions.h),
 * the MMSI -> Vessel link, and the merging of MMSI... vessels into the
 * IMO-keyed vessels that carry their MMSI.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "evidence.h"
#include "positions.h"

int gr_mmsi_parse(const char *s, size_t len, uint32_t *mmsi)
{
	uint32_t v = 0;
	if (len != 9)
		return -1;
	for (size_t i = 0; i < 9; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	*mmsi = v;
	return 0;
}

double gr_geo_distance(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8, d2r = M_PI / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	    cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * r * asin(sqrt(a));
}

/* ---- conversion to and from the store's fixed-point records ---- */

static uint16_t tenths(double v, double max)
{
	if (isnan(v) || v < 0 || v > max)
		return ST_POS_NONE16;
	return (uint16_t)lround(v * 10);
}

static int pos_to_st(gr_txn *t, const gr_pos *p, st_pos *s, uint32_t *last_src, uint16_t *last_idx)
{
	int rc;
	if (p->ps_time < 0 || p->ps_time > 0xffffffffLL)
		return GR_EINVALID;
	s->p_time = (uint32_t)p->ps_time;
	s->p_lat = (int32_t)lround(p->ps_lat * 1e7);
	s->p_lon = (int32_t)lround(p->ps_lon * 1e7);
	s->p_sog = tenths(p->ps_sog, 102.2);   /* AIS: 102.3 is not available */
	s->p_cog = tenths(p->ps_cog, 359.95);  /* 360: not available */
	s->p_heading = p->ps_heading >= 0 && p->ps_heading < 360 ? (uint16_t)p->ps_heading : 511;
	if (p->ps_source != *last_src) {
		if ((rc = st_pos_source_index(t->x_st, p->ps_source, last_idx)) != ST_OK)
			return rc == ST_EMAPFULL ? GR_EMAPFULL : rc == ST_ELIMIT ? GR_EINVALID : GR_EIO;
		*last_src = p->ps_source;
	}
	s->p_src = *last_idx;
	return GR_OK;
}

static void pos_from_st(gr_txn *t, const st_pos *s, gr_pos *p, uint16_t *last_idx, uint32_t *last_src)
{
	p->ps_time = s->p_time;
	p->ps_lat = s->p_lat / 1e7;
	p->ps_lon = s->p_lon / 1e7;
	p->ps_sog = s->p_sog == ST_POS_NONE16 ? NAN : s->p_sog / 10.0;
	p->ps_cog = s->p_cog == ST_POS_NONE16 ? NAN : s->p_cog / 10.0;
	p->ps_heading = s->p_heading;
	if (s->p_src != *last_idx) {
		*last_src = st_pos_source(t->x_st, s->p_src);
		*last_idx = s->p_src;
	}
	p->ps_source = *last_src;
}

/* The store's order of a block, then the source, for a total order. */
static int cmp_st_pos(const void *a, const void *b)
{
	const st_pos *x = a, *y = b;
	int c = st_pos_cmp(x, y);
	return c ? c : (int)x->p_src - (int)y->p_src;
}

int gr_pos_add(gr_txn *t, uint32_t mmsi, gr_pos *p, size_t n, uint64_t *added, gr_error *err)
{
	st_pos *s;
	uint32_t last_src = 0;
	uint16_t last_idx = 0;
	uint64_t nadd = 0;
	int rc = GR_OK;

	if (added)
		*added = 0;
	if (!n)
		return GR_OK;
	if (!(s = malloc(n * sizeof *s)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < n && rc == GR_OK; i++)
		if ((rc = pos_to_st(t, &p[i], &s[i], &last_src, &last_idx)) != GR_OK)
			gr_fail(err, rc, rc == GR_EINVALID ? "position time or source out of range" : "%s", st_strerror());
	if (rc == GR_OK) {
		qsort(s, n, sizeof *s, cmp_st_pos);
		if ((rc = st_pos_put_many(t->x_st, mmsi, s, n, &nadd)) != ST_OK)
			rc = gr_st_err(rc, err, "positions");
	}
	free(s);
	if (rc == GR_OK && nadd)
		t->x_changed = 1;
	if (added)
		*added = nadd;
	return rc;
}

int gr_pos_read(gr_txn *t, uint32_t mmsi, int64_t from, int64_t to, gr_pos **out, size_t *n, gr_error *err)
{
	st_pos_iter *it;
	st_pos s;
	gr_pos *v = NULL;
	size_t nv = 0, cap = 0;
	uint16_t last_idx = 0;
	uint32_t last_src = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (from < 0)
		from = 0;
	if (from > 0xffffffffLL || to < from)
		return GR_OK;
	if ((rc = st_pos_open(t->x_st, &it)) != ST_OK)
		return gr_st_err(rc, err, "positions");
	if ((rc = st_pos_seek(it, mmsi, (uint32_t)from)) != ST_OK) {
		st_pos_close(it);
		return gr_st_err(rc, err, "positions");
	}
	while ((rc = st_pos_read(it, &s)) == 1 && (int64_t)s.p_time <= to) {
		if (nv == cap) {
			size_t nc = cap ? cap * 2 : 256;
			gr_pos *nvv = realloc(v, nc * sizeof *nvv);
			if (!nvv) {
				rc = ST_ENOMEM;
				break;
			}
			v = nvv;
			cap = nc;
		}
		pos_from_st(t, &s, &v[nv++], &last_idx, &last_src);
	}
	st_pos_close(it);
	if (rc < 0) {
		free(v);
		return rc == ST_ENOMEM ? gr_fail(err, GR_ENOMEM, "out of memory") : gr_st_err(rc, err, "positions");
	}
	*out = v;
	*n = nv;
	return GR_OK;
}

int gr_pos_mmsis(gr_txn *t, uint32_t **out, size_t *n, gr_error *err)
{
	uint32_t m = 0, *v = NULL;
	size_t nv = 0, cap = 0;
	int rc;
	while ((rc = st_pos_next_mmsi(t->x_st, &m, NULL)) == ST_OK) {
		if (nv == cap) {
			size_t nc = cap ? cap * 2 : 256;
			uint32_t *nvv = realloc(v, nc * sizeof *nvv);
			if (!nvv) {
				free(v);
				return gr_fail(err, GR_ENOMEM, "out of memory");
			}
			v = nvv;
			cap = nc;
		}
		v[nv++] = m;
	}
	if (rc != ST_ENOTFOUND) {
		free(v);
		return gr_st_err(rc, err, "positions");
	}
	*out = v;
	*n = nv;
	return GR_OK;
}

int gr_pos_delete(gr_txn *t, uint32_t mmsi, uint64_t *deleted, gr_error *err)
{
	int rc = st_pos_del_mmsi(t->x_st, mmsi, deleted);
	if (rc)
		return gr_st_err(rc, err, "positions");
	t->x_changed = 1;
	return GR_OK;
}

int gr_pos_stat(gr_txn *t, uint64_t *count, uint64_t *bytes, gr_error *err)
{
	int rc = st_pos_stat(t->x_st, count, bytes);
	return rc ? gr_st_err(rc, err, "positions") : GR_OK;
}

int gr_pos_upgrade(gr_txn *t, uint64_t *converted, gr_error *err)
{
	uint64_t n = 0;
	int rc = st_pos_upgrade(t->x_st, &n);
	if (rc)
		return gr_st_err(rc, err, "positions");
	if (n)
		t->x_changed = 1;
	if (converted)
		*converted = n;
	return GR_OK;
}

/* ---- MMSI <-> Vessel ---- */

static size_t mmsis_of_value(const gr_value *v, uint32_t *out, size_t n, size_t max)
{
	uint32_t m;
	if (!v)
		return n;
	if (v->type == GR_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++)
			n = mmsis_of_value(&v->u.list.items[i], out, n, max);
		return n;
	}
	if (v->type == GR_STRING && n < max && gr_mmsi_parse(v->u.s.ptr, v->u.s.len, &m) == 0) {
		for (size_t i = 0; i < n; i++)
			if (out[i] == m)
				return n;
		out[n++] = m;
	}
	return n;
}

size_t gr_vessel_mmsis(gr_txn *t, uint32_t node, uint32_t *out, size_t max)
{
	gr_value v;
	size_t n = 0;
	uint16_t past;
	const char *key;
	size_t klen;
	uint32_t m;
	if (gr_symc(t, SYM_MMSI) && gr_node_prop(t, node, gr_symc(t, SYM_MMSI), &v) == GR_OK) {
		n = mmsis_of_value(&v, out, n, max);
		gr_value_free(&v);
	}
	if (gr_sym(t, "past_mmsi", 9, 0, &past) == GR_OK && gr_node_prop(t, node, past, &v) == GR_OK) {
		n = mmsis_of_value(&v, out, n, max);
		gr_value_free(&v);
	}
	/* a vessel keyed MMSI... that lost its mmsi property still names it */
	if (n == 0 && max && gr_node_key_get(t, node, &key, &klen) == GR_OK && klen == 13 &&
	    memcmp(key, "MMSI", 4) == 0 && gr_mmsi_parse(key + 4, 9, &m) == 0)
		out[n++] = m;
	return n;
}

typedef struct ident_find {
	gr_txn *t;
	uint16_t vessel;
	size_t len;
	uint32_t found[8];
	size_t nfound;
} ident_find;

static int ident_hit(void *arg, char kind, const char *text, size_t tlen, uint32_t node)
{
	ident_find *f = arg;
	(void)kind;
	(void)text;
	if (tlen != f->len)
		return 0;
	if (f->nfound < 8 && gr_node_has_label_id(f->t, node, f->vessel) == 1)
		f->found[f->nfound++] = node;
	return 0;
}

/* Vessels whose mmsi is this one (up to 8). */
static size_t vessels_by_mmsi(gr_txn *t, uint32_t mmsi, uint32_t *out)
{
	char d[16];
	ident_find f;
	memset(&f, 0, sizeof f);
	f.t = t;
	f.vessel = gr_symc(t, SYM_VESSEL);
	f.len = 9;
	if (!f.vessel)
		return 0;
	snprintf(d, sizeof d, "%09u", mmsi);
	st_ident_scan(t->x_st, 'm', d, 9, ident_hit, &f);
	memcpy(out, f.found, f.nfound * sizeof *out);
	return f.nfound;
}

int gr_mmsi_vessel(gr_txn *t, uint32_t mmsi, uint32_t *node)
{
	uint32_t found[8];
	char key[16];
	size_t n;
	uint16_t vessel = gr_symc(t, SYM_VESSEL);
	if (!vessel)
		return GR_ENOTFOUND;
	/* the key, or the alias the import left when the IMO won */
	snprintf(key, sizeof key, "MMSI%09u", mmsi);
	if (gr_node_by_key(t, vessel, key, 13, node) == GR_OK)
		return GR_OK;
	n = vessels_by_mmsi(t, mmsi, found);
	/* an IMO-keyed vessel first, as the IMO wins */
	for (size_t i = 0; i < n; i++) {
		const char *k;
		size_t kl;
		if (gr_node_key_get(t, found[i], &k, &kl) == GR_OK && kl == 10 && memcmp(k, "IMO", 3) == 0) {
			*node = found[i];
			return GR_OK;
		}
	}
	if (n) {
		*node = found[0];
		return GR_OK;
	}
	return GR_ENOTFOUND;
}

int gr_ais_reconcile(gr_txn *t, uint64_t *merged, void (*report)(void *arg, const char *msg), void *arg, gr_error *err)
{
	uint32_t *mm = NULL;
	size_t nm = 0;
	uint16_t vessel = gr_symc(t, SYM_VESSEL);
	int rc;

	if (merged)
		*merged = 0;
	if (!vessel)
		return GR_OK;
	if ((rc = gr_pos_mmsis(t, &mm, &nm, err)) != GR_OK)
		return rc;
	for (size_t i = 0; i < nm && rc == GR_OK; i++) {
		char key[16];
		uint32_t from, found[8], keep = 0;
		const char *k;
		size_t kl, n;
		snprintf(key, sizeof key, "MMSI%09u", mm[i]);
		if (gr_node_by_key(t, vessel, key, 13, &from) != GR_OK)
			continue;
		/* an alias of an earlier merge points at the survivor: done */
		if (gr_node_key_get(t, from, &k, &kl) != GR_OK || kl != 13 || memcmp(k, key, 13) != 0)
			continue;
		n = vessels_by_mmsi(t, mm[i], found);
		for (size_t j = 0; j < n; j++)
			if (found[j] != from && gr_node_key_get(t, found[j], &k, &kl) == GR_OK &&
			    kl == 10 && memcmp(k, "IMO", 3) == 0) {
				if (keep && keep != found[j]) {
					keep = 0;   /* two IMO vessels claim it: leave it to a person */
					break;
				}
				keep = found[j];
			}
		if (!keep)
			continue;
		{
			char ref[600], msg[800];
			gr_node_ref(t, keep, ref, sizeof ref);
			if ((rc = gr_merge(t, keep, from, NULL, err)) != GR_OK)
				break;
			if (merged)
				++*merged;
			if (report) {
				snprintf(msg, sizeof msg, "Vessel:%s merged into %s (same MMSI %09u)", key, ref, mm[i]);
				report(arg, msg);
			}
		}
	}
	free(mm);
	return rc;
}
