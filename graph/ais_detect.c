/*
 * ais_detect.c: `detect`: gaps and port calls per MMSI, the port grid, and
 * writing events as claims that a second run finds again (ais_detect.h).
 * Encounters are in ais_encounter.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "ais_detect.h"
#include "claim.h"

void gr_detect_defaults(gr_detect_opts *o)
{
	memset(o, 0, sizeof *o);
	o->min_gap_hours = 12;
	o->port_radius_km = 3;
	o->port_exit_km = 4;
	o->port_max_knots = 1;
	o->port_stop_hours = 4;
	o->enc_distance_m = 500;
	o->enc_min_hours = 2;
	o->enc_max_knots = 2;
	o->enc_port_km = 10;
	o->enc_merge_hours = 4;
	o->interp_hours = 1;
	o->resample_minutes = 10;
	o->from = 0;
	o->to = 0xffffffffLL;
}

int gr_idset_add(uint32_t **set, size_t *n, size_t *cap, uint32_t id)
{
	if (!id)
		return 0;
	for (size_t i = 0; i < *n; i++)
		if ((*set)[i] == id)
			return 0;
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		uint32_t *ns = realloc(*set, nc * sizeof *ns);
		if (!ns)
			return -1;
		*set = ns;
		*cap = nc;
	}
	(*set)[(*n)++] = id;
	return 0;
}

/* ---------------------------------------------------------------- ports */

#define CELL_DEG 0.1
#define NLON 3600          /* 360 / CELL_DEG */
#define M_PER_DEG 111195.0

typedef struct port_pt {
	int64_t pp_cell;
	double pp_lat, pp_lon;
	uint32_t pp_id;
} port_pt;

struct gr_port_index {
	port_pt *pi_pts;
	size_t pi_n;
};

static int64_t cell_of(int ilat, int ilon)
{
	return (int64_t)ilat * NLON + ilon;
}

static int ilat_of(double lat)
{
	int i = (int)floor((lat + 90) / CELL_DEG);
	return i < 0 ? 0 : i > 1799 ? 1799 : i;
}

static int ilon_of(double lon)
{
	int i = (int)floor((lon + 180) / CELL_DEG);
	return ((i % NLON) + NLON) % NLON;
}

static int cmp_port(const void *a, const void *b)
{
	const port_pt *x = a, *y = b;
	return x->pp_cell < y->pp_cell ? -1 : x->pp_cell > y->pp_cell;
}

static int num_prop(gr_txn *t, uint32_t id, uint16_t k, double *out)
{
	gr_value v;
	int ok = 0;
	if (!k || gr_node_prop(t, id, k, &v) != GR_OK)
		return 0;
	if (v.type == GR_FLOAT && isfinite(v.u.f))
		*out = v.u.f, ok = 1;
	else if (v.type == GR_INT)
		*out = (double)v.u.i, ok = 1;
	gr_value_free(&v);
	return ok;
}

int gr_port_index_load(gr_txn *t, gr_port_index **out, gr_error *err)
{
	gr_port_index *pi = calloc(1, sizeof *pi);
	uint16_t port = gr_symc(t, SYM_PORT), klat = gr_symc(t, SYM_LAT), klon = gr_symc(t, SYM_LON);
	uint32_t id = 0;
	size_t cap = 0;
	int rc;
	if (!pi)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	*out = pi;
	if (!port)
		return GR_OK;
	while ((rc = st_label_next(t->x_st, port, &id)) == ST_OK) {
		double lat, lon;
		if (!num_prop(t, id, klat, &lat) || !num_prop(t, id, klon, &lon) ||
		    lat < -90 || lat > 90 || lon < -180 || lon > 180)
			continue;
		if (pi->pi_n == cap) {
			size_t nc = cap ? cap * 2 : 1024;
			port_pt *np = realloc(pi->pi_pts, nc * sizeof *np);
			if (!np)
				return gr_fail(err, GR_ENOMEM, "out of memory");
			pi->pi_pts = np;
			cap = nc;
		}
		pi->pi_pts[pi->pi_n].pp_cell = cell_of(ilat_of(lat), ilon_of(lon));
		pi->pi_pts[pi->pi_n].pp_lat = lat;
		pi->pi_pts[pi->pi_n].pp_lon = lon;
		pi->pi_pts[pi->pi_n].pp_id = id;
		pi->pi_n++;
	}
	if (rc != ST_ENOTFOUND)
		return gr_st_err(rc, err, "ports");
	if (pi->pi_n)
		qsort(pi->pi_pts, pi->pi_n, sizeof *pi->pi_pts, cmp_port);
	return GR_OK;
}

void gr_port_index_free(gr_port_index *pi)
{
	if (!pi)
		return;
	free(pi->pi_pts);
	free(pi);
}

size_t gr_port_index_size(const gr_port_index *pi)
{
	return pi ? pi->pi_n : 0;
}

size_t gr_port_index_box(const gr_port_index *pi, double lat0, double lat1, double lon0, double lon1,
    uint32_t *ids, double (*ll)[2], size_t max)
{
	size_t n = 0;
	/* the whole list is small (thousands): one pass, no grid walk */
	for (size_t i = 0; pi && i < pi->pi_n && n < max; i++) {
		const port_pt *p = &pi->pi_pts[i];
		if (p->pp_lat < lat0 || p->pp_lat > lat1 || p->pp_lon < lon0 || p->pp_lon > lon1)
			continue;
		ids[n] = p->pp_id;
		ll[n][0] = p->pp_lat;
		ll[n][1] = p->pp_lon;
		n++;
	}
	return n;
}

/* The first port of a cell (binary search), or pi_n. */
static size_t cell_first(const gr_port_index *pi, int64_t cell)
{
	size_t lo = 0, hi = pi->pi_n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pi->pi_pts[mid].pp_cell < cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t gr_port_nearest(const gr_port_index *pi, double lat, double lon, double max_m, double *dist)
{
	double best = max_m, c = cos(lat * M_PI / 180);
	uint32_t found = 0;
	int il = ilat_of(lat), io = ilon_of(lon);
	int dl = (int)ceil(max_m / M_PER_DEG / CELL_DEG);
	int dlo = c < 0.01 ? NLON : (int)ceil(max_m / (M_PER_DEG * c) / CELL_DEG);
	if (!pi || !pi->pi_n)
		return 0;
	if (2 * dlo + 1 >= NLON)
		dlo = NLON / 2;
	for (int a = il - dl; a <= il + dl; a++) {
		if (a < 0 || a > 1799)
			continue;
		for (int b = io - dlo; b <= io + dlo && b - (io - dlo) < NLON; b++) {
			int64_t cell = cell_of(a, ((b % NLON) + NLON) % NLON);
			for (size_t i = cell_first(pi, cell); i < pi->pi_n && pi->pi_pts[i].pp_cell == cell; i++) {
				double d = gr_geo_distance(lat, lon, pi->pi_pts[i].pp_lat, pi->pi_pts[i].pp_lon);
				if (d <= best) {
					best = d;
					found = pi->pi_pts[i].pp_id;
				}
			}
		}
	}
	if (dist)
		*dist = best;
	return found;
}

/* ---------------------------------------------------------------- writing events */

static gr_value dt_value(int64_t secs)
{
	gr_value v = gr_null();
	v.type = GR_DATETIME;
	v.u.dt.dt_secs = secs;
	v.u.dt.dt_nanos = 0;
	v.u.dt.dt_offset = 0;
	return v;
}

static int dt_secs(const gr_value *v, int64_t *s)
{
	if (!v)
		return 0;
	if (v->type == GR_DATETIME) {
		*s = v->u.dt.dt_secs;
		return 1;
	}
	if (v->type == GR_DATE) {
		*s = (int64_t)v->u.date * 86400;
		return 1;
	}
	return 0;
}

/* Sets prop `name` of e to val when it differs; *changed set then. */
static int put_prop(gr_txn *t, gr_edge *e, const char *name, gr_value val, int *changed, gr_error *err)
{
	uint16_t k;
	const gr_value *cur;
	int rc = gr_sym(t, name, strlen(name), 1, &k);
	if (rc != GR_OK) {
		gr_value_free(&val);
		return gr_fail(err, rc, "cannot store the name %s", name);
	}
	cur = gr_props_get(e->e_props, e->e_nprops, k);
	if (cur && gr_value_equal(cur, &val)) {
		gr_value_free(&val);
		return GR_OK;
	}
	*changed = 1;
	return gr_props_set(&e->e_props, &e->e_nprops, k, val) ? gr_fail(err, GR_ENOMEM, "out of memory") : GR_OK;
}

/* The span of the claim that e (type, endpoints, start and end set) is,
 * widened to take in [*start, *end]: a grown event keeps one claim whose
 * span is the union.  The claim is found as gr_claim_say will find it. */
static int widen_to_claim(gr_txn *t, const gr_edge *e, int64_t *start, int64_t *end, gr_error *err)
{
	uint32_t *ids = NULL, pick = 0;
	size_t n = 0;
	int ambiguous, rc;
	uint16_t ks, ke;
	gr_edge cur;
	int64_t s;
	if ((rc = gr_claim_candidates(t, e, 1, NULL, 0, &ids, &n, err)) != GR_OK)
		return rc;
	if (gr_claim_pick(t, e, ids, n, 0, &pick, &ambiguous) != 0 ||
	    gr_sym(t, "start", 5, 0, &ks) != GR_OK || gr_sym(t, "end", 3, 0, &ke) != GR_OK) {
		free(ids);
		return GR_OK;
	}
	free(ids);
	if ((rc = gr_edge_load_like(t, e, pick, &cur, err)) == GR_OK) {
		if (dt_secs(gr_props_get(cur.e_props, cur.e_nprops, ks), &s) && s < *start)
			*start = s;
		if (dt_secs(gr_props_get(cur.e_props, cur.e_nprops, ke), &s) && s > *end)
			*end = s;
	}
	gr_edge_clear(&cur);
	return rc;
}

/* An event is said as a claim through the shared claim path (claim.h):
 * the claim of the same type between the same endpoints whose span
 * overlaps it (made by an earlier detect, by `link` or by an import) is
 * the same claim, and takes the event's properties and AIS citations
 * (GR_CLAIM_REFRESH: a re-derived value replaces the stored one). */
int gr_event_write(gr_txn *t, const gr_event *ev, gr_detect_stats *st, gr_error *err)
{
	gr_edge e;
	gr_claim_result res;
	uint16_t type;
	int rc, changed = 0;
	int64_t start = ev->ev_start, end = ev->ev_end;

	if ((rc = gr_sym(t, ev->ev_type, strlen(ev->ev_type), 1, &type)) != GR_OK)
		return gr_fail(err, rc, "cannot store the type %s", ev->ev_type);
	gr_edge_init(&e);
	e.e_src = ev->ev_src;
	e.e_dst = ev->ev_dst;
	e.e_type = type;
	rc = put_prop(t, &e, "start", dt_value(start), &changed, err);
	if (rc == GR_OK)
		rc = put_prop(t, &e, "end", dt_value(end), &changed, err);
	if (rc == GR_OK && (rc = widen_to_claim(t, &e, &start, &end, err)) == GR_OK) {
		rc = put_prop(t, &e, "start", dt_value(start), &changed, err);
		if (rc == GR_OK)
			rc = put_prop(t, &e, "end", dt_value(end), &changed, err);
	}
	for (size_t i = 0; i < ev->ev_nvals && rc == GR_OK; i++) {
		double v = ev->ev_vals[i];
		if (strcmp(ev->ev_names[i], "hours") == 0)
			v = round((double)(end - start) / 36.0) / 100.0;
		rc = put_prop(t, &e, ev->ev_names[i], gr_float(v), &changed, err);
	}
	if (rc == GR_OK)
		rc = put_prop(t, &e, "method", gr_cstring(ev->ev_method), &changed, err);
	for (size_t i = 0; i < ev->ev_nsources && rc == GR_OK; i++)
		if (gr_cites_add(&e.e_cites, &e.e_ncites, ev->ev_sources[i], GR_PROBABLE))
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
	if (rc == GR_OK)
		rc = gr_claim_say(t, &e, GR_CLAIM_REFRESH, 0, &res, err);
	if (rc == GR_OK) {
		if (res.cr_outcome == GR_CLAIM_UPDATED)
			st->ds_updated++;
		else if (res.cr_outcome == GR_CLAIM_UNCHANGED)
			st->ds_unchanged++;
		else
			st->ds_created++;
		st->ds_ambiguous += res.cr_outcome == GR_CLAIM_AMBIGUOUS;
	}
	gr_edge_clear(&e);
	return rc;
}

/* ---------------------------------------------------------------- gaps */

static double r5(double v)
{
	return round(v * 1e5) / 1e5;
}

static int detect_gaps(gr_txn *t, const gr_detect_opts *o, uint32_t vessel, const gr_pos *p, size_t n,
    gr_detect_stats *st, gr_error *err)
{
	char method[160];
	int64_t min = (int64_t)llround(o->min_gap_hours * 3600);
	snprintf(method, sizeof method, "gap: consecutive AIS positions of one MMSI >= %g h apart (GFW)", o->min_gap_hours);
	for (size_t i = 1; i < n; i++) {
		gr_event ev;
		uint32_t src[2];
		int rc;
		if (p[i].ps_time - p[i - 1].ps_time < min)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.ev_type = "AIS_GAP";
		ev.ev_src = ev.ev_dst = vessel;
		ev.ev_start = p[i - 1].ps_time;
		ev.ev_end = p[i].ps_time;
		ev.ev_names[0] = "hours";
		ev.ev_names[1] = "lat_off";
		ev.ev_vals[1] = r5(p[i - 1].ps_lat);
		ev.ev_names[2] = "lon_off";
		ev.ev_vals[2] = r5(p[i - 1].ps_lon);
		ev.ev_names[3] = "lat_on";
		ev.ev_vals[3] = r5(p[i].ps_lat);
		ev.ev_names[4] = "lon_on";
		ev.ev_vals[4] = r5(p[i].ps_lon);
		ev.ev_nvals = 5;
		ev.ev_method = method;
		src[0] = p[i - 1].ps_source;
		src[1] = p[i].ps_source;
		ev.ev_sources = src;
		ev.ev_nsources = src[0] == src[1] ? 1 : 2;
		st->ds_found[0]++;
		if ((rc = gr_event_write(t, &ev, st, err)) != GR_OK)
			return rc;
	}
	return GR_OK;
}

/* ---------------------------------------------------------------- port calls */

static int emit_call(gr_txn *t, uint32_t vessel, uint32_t port, const gr_pos *p, size_t first, size_t last,
    const char *method, gr_detect_stats *st, gr_error *err)
{
	gr_event ev;
	uint32_t *src = NULL;
	size_t ns = 0, cap = 0;
	int rc = GR_OK;
	for (size_t i = first; i <= last; i++)
		if (gr_idset_add(&src, &ns, &cap, p[i].ps_source))
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
	memset(&ev, 0, sizeof ev);
	ev.ev_type = "CALLED_AT";
	ev.ev_src = vessel;
	ev.ev_dst = port;
	ev.ev_start = p[first].ps_time;
	ev.ev_end = p[last].ps_time;
	ev.ev_method = method;
	ev.ev_sources = src;
	ev.ev_nsources = ns;
	st->ds_found[1]++;
	if (rc == GR_OK)
		rc = gr_event_write(t, &ev, st, err);
	free(src);
	return rc;
}

static int detect_calls(gr_txn *t, const gr_detect_opts *o, const gr_port_index *pi, uint32_t vessel,
    const gr_pos *p, size_t n, gr_detect_stats *st, gr_error *err)
{
	char method[200];
	uint32_t port = 0;
	size_t first = 0, last = 0;
	double plat = 0, plon = 0;
	int64_t stop = (int64_t)llround(o->port_stop_hours * 3600);
	int rc;
	snprintf(method, sizeof method,
	    "port call: within %g km of the nearest Port at SOG < %g kn, until beyond %g km or no position for %g h (GFW)",
	    o->port_radius_km, o->port_max_knots, o->port_exit_km, o->port_stop_hours);
	for (size_t i = 0; i < n; i++) {
		if (port) {
			int left = p[i].ps_time - p[last].ps_time > stop ||
			    gr_geo_distance(p[i].ps_lat, p[i].ps_lon, plat, plon) > o->port_exit_km * 1000;
			if (!left) {
				last = i;
				continue;
			}
			if ((rc = emit_call(t, vessel, port, p, first, last, method, st, err)) != GR_OK)
				return rc;
			port = 0;
		}
		if (!isnan(p[i].ps_sog) && p[i].ps_sog < o->port_max_knots) {
			uint32_t near = gr_port_nearest(pi, p[i].ps_lat, p[i].ps_lon, o->port_radius_km * 1000, NULL);
			if (near) {
				size_t k;
				port = near;
				first = last = i;
				/* the port's own position, for the exit test */
				for (k = 0; k < pi->pi_n && pi->pi_pts[k].pp_id != near; k++)
					;
				plat = k < pi->pi_n ? pi->pi_pts[k].pp_lat : p[i].ps_lat;
				plon = k < pi->pi_n ? pi->pi_pts[k].pp_lon : p[i].ps_lon;
			}
		}
	}
	if (port)
		return emit_call(t, vessel, port, p, first, last, method, st, err);
	return GR_OK;
}

/* ---------------------------------------------------------------- driver */

int gr_detect(gr_txn *t, const gr_detect_opts *o, gr_detect_stats *st, gr_error *err)
{
	uint32_t *mm = NULL, *ves = NULL;
	size_t nm = 0, nv = 0;
	gr_port_index *pi = NULL;
	int rc;

	memset(st, 0, sizeof *st);
	if ((rc = gr_ais_reconcile(t, NULL, NULL, NULL, err)) != GR_OK)
		return rc;
	if ((rc = gr_pos_mmsis(t, &mm, &nm, err)) != GR_OK)
		return rc;
	if (!(ves = calloc(nm ? nm : 1, sizeof *ves))) {
		free(mm);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	if ((o->d_port_calls || o->d_encounters) && (rc = gr_port_index_load(t, &pi, err)) != GR_OK)
		goto done;
	st->ds_ports = gr_port_index_size(pi);
	for (size_t i = 0; i < nm && rc == GR_OK; i++) {
		gr_pos *p;
		size_t n;
		uint32_t v;
		if (gr_mmsi_vessel(t, mm[i], &v) != GR_OK) {
			st->ds_no_vessel++;
			continue;
		}
		mm[nv] = mm[i];
		ves[nv++] = v;
		if (!o->d_gaps && !o->d_port_calls)
			continue;
		if ((rc = gr_pos_read(t, mm[i], o->from, o->to, &p, &n, err)) != GR_OK)
			break;
		st->ds_mmsis++;
		st->ds_positions += n;
		if (o->d_gaps)
			rc = detect_gaps(t, o, v, p, n, st, err);
		if (rc == GR_OK && o->d_port_calls && pi->pi_n)
			rc = detect_calls(t, o, pi, v, p, n, st, err);
		free(p);
	}
	if (rc == GR_OK && o->d_encounters)
		rc = gr_detect_encounters(t, o, pi, mm, ves, nv, st, err);
done:
	gr_port_index_free(pi);
	free(mm);
	free(ves);
	return rc;
}
