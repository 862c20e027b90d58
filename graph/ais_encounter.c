/*
 * ais_encounter.c: ship-to-ship encounters (ais_detect.h).
 *
 * Each track is resampled on a common clock (every resample_minutes,
 * interpolating linearly between two positions at most interp_hours apart),
 * points near a port are dropped, and each time slot's points are bucketed
 * in a grid of about 1 km cells, so that only neighbours are compared: the
 * cost grows with the number of points, not with the pairs of vessels.
 * Pairs within enc_distance_m at a slot are then grouped per pair into runs
 * of consecutive slots; runs of enc_min_hours or more, less than
 * enc_merge_hours apart, make one meeting, kept when each vessel's median
 * speed over it is under enc_max_knots and its mean position is at least
 * enc_port_km from every port.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"
#include "ais_detect.h"

#define ENC_CELL 0.01          /* degrees of latitude per grid row */
#define M_PER_DEG 111195.0

typedef struct slot_pt {
	uint32_t sp_slot, sp_v;      /* time slot; vessel index (ascending MMSI) */
	float sp_lat, sp_lon, sp_sog;
	uint32_t sp_src;
	int64_t sp_key;              /* grid cell within the slot */
} slot_pt;

typedef struct pair_obs {
	uint32_t po_a, po_b, po_slot;
	float po_dist, po_lat, po_lon, po_sog_a, po_sog_b;
	uint32_t po_src_a, po_src_b;
} pair_obs;

typedef struct vec {
	void *v_data;
	size_t v_n, v_cap, v_size;
} vec;

static void *vec_push(vec *v)
{
	if (v->v_n == v->v_cap) {
		size_t nc = v->v_cap ? v->v_cap * 2 : 4096;
		void *nd = realloc(v->v_data, nc * v->v_size);
		if (!nd)
			return NULL;
		v->v_data = nd;
		v->v_cap = nc;
	}
	return (char *)v->v_data + v->v_size * v->v_n++;
}

static double row_width(int64_t row)
{
	double lat = (row + 0.5) * ENC_CELL - 90, c = cos(lat * M_PI / 180);
	return ENC_CELL / (c < 0.02 ? 0.02 : c);
}

static int64_t row_of(double lat)
{
	return (int64_t)floor((lat + 90) / ENC_CELL);
}

static int64_t key_of(int64_t row, double lon)
{
	return row * 1000000 + (int64_t)floor((lon + 180) / row_width(row));
}

/* The speed at a slot between positions a and b, when SOG is missing:
 * from the distance travelled. */
static double slot_speed(const gr_pos *a, const gr_pos *b, double f)
{
	if (!isnan(a->ps_sog) && !isnan(b->ps_sog))
		return a->ps_sog + (b->ps_sog - a->ps_sog) * f;
	if (!isnan(a->ps_sog) && f < 0.5)
		return a->ps_sog;
	if (!isnan(b->ps_sog))
		return b->ps_sog;
	if (b->ps_time > a->ps_time)
		return gr_geo_distance(a->ps_lat, a->ps_lon, b->ps_lat, b->ps_lon) / 1852.0 /
		    ((double)(b->ps_time - a->ps_time) / 3600.0);
	return isnan(a->ps_sog) ? 0 : a->ps_sog;
}

/* Resamples one track into slot points. */
static int resample(const gr_detect_opts *o, const gr_port_index *pi, uint32_t v, const gr_pos *p, size_t n,
    vec *out)
{
	int64_t step = (int64_t)llround(o->resample_minutes * 60), maxgap = (int64_t)llround(o->interp_hours * 3600);
	size_t j = 0;
	if (!n || step <= 0)
		return 0;
	for (int64_t T = (p[0].ps_time + step - 1) / step * step; T <= p[n - 1].ps_time; T += step) {
		const gr_pos *a, *b;
		double f, lat, lon;
		slot_pt *s;
		while (j + 1 < n && p[j + 1].ps_time <= T)
			j++;
		a = &p[j];
		b = j + 1 < n ? &p[j + 1] : a;
		if (a->ps_time != T && b->ps_time - a->ps_time > maxgap)
			continue;
		f = b->ps_time > a->ps_time ? (double)(T - a->ps_time) / (double)(b->ps_time - a->ps_time) : 0;
		lat = a->ps_lat + (b->ps_lat - a->ps_lat) * f;
		lon = a->ps_lon + (b->ps_lon - a->ps_lon) * f;
		if (gr_port_nearest(pi, lat, lon, o->enc_port_km * 1000, NULL))
			continue;
		if (!(s = vec_push(out)))
			return -1;
		s->sp_slot = (uint32_t)(T / step);
		s->sp_v = v;
		s->sp_lat = (float)lat;
		s->sp_lon = (float)lon;
		s->sp_sog = (float)slot_speed(a, b, f);
		s->sp_src = f < 0.5 ? a->ps_source : b->ps_source;
		s->sp_key = key_of(row_of(lat), lon);
	}
	return 0;
}

static int cmp_slot(const void *x, const void *y)
{
	const slot_pt *a = x, *b = y;
	if (a->sp_slot != b->sp_slot)
		return a->sp_slot < b->sp_slot ? -1 : 1;
	if (a->sp_key != b->sp_key)
		return a->sp_key < b->sp_key ? -1 : 1;
	return a->sp_v < b->sp_v ? -1 : a->sp_v > b->sp_v;
}

static size_t key_first(const slot_pt *s, size_t lo, size_t hi, int64_t key)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].sp_key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The close pairs of one slot's points s[lo, hi), sorted by cell. */
static int slot_pairs(const gr_detect_opts *o, const slot_pt *s, size_t lo, size_t hi, const uint32_t *ves, vec *out)
{
	for (size_t i = lo; i < hi; i++) {
		const slot_pt *a = &s[i];
		int64_t row = row_of(a->sp_lat);
		double c = cos(a->sp_lat * M_PI / 180);
		double dlon = o->enc_distance_m / (M_PER_DEG * (c < 0.02 ? 0.02 : c));
		for (int64_t r = row - 1; r <= row + 1; r++) {
			int64_t k0 = key_of(r, a->sp_lon - dlon), k1 = key_of(r, a->sp_lon + dlon);
			for (size_t j = key_first(s, lo, hi, k0); j < hi && s[j].sp_key <= k1; j++) {
				const slot_pt *b = &s[j];
				double d;
				pair_obs *po;
				if (b->sp_v <= a->sp_v || ves[b->sp_v] == ves[a->sp_v])
					continue;
				d = gr_geo_distance(a->sp_lat, a->sp_lon, b->sp_lat, b->sp_lon);
				if (d > o->enc_distance_m)
					continue;
				if (!(po = vec_push(out)))
					return -1;
				po->po_a = a->sp_v;
				po->po_b = b->sp_v;
				po->po_slot = a->sp_slot;
				po->po_dist = (float)d;
				po->po_lat = (a->sp_lat + b->sp_lat) / 2;
				po->po_lon = (a->sp_lon + b->sp_lon) / 2;
				po->po_sog_a = a->sp_sog;
				po->po_sog_b = b->sp_sog;
				po->po_src_a = a->sp_src;
				po->po_src_b = b->sp_src;
			}
		}
	}
	return 0;
}

static int cmp_obs(const void *x, const void *y)
{
	const pair_obs *a = x, *b = y;
	if (a->po_a != b->po_a)
		return a->po_a < b->po_a ? -1 : 1;
	if (a->po_b != b->po_b)
		return a->po_b < b->po_b ? -1 : 1;
	return a->po_slot < b->po_slot ? -1 : a->po_slot > b->po_slot;
}

static int cmp_float(const void *x, const void *y)
{
	float a = *(const float *)x, b = *(const float *)y;
	return a < b ? -1 : a > b;
}

static double median(float *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_float);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* One meeting: the observations in the kept runs runs[0..nr) (index
 * ranges into obs).  Checks speed and port distance, then writes it. */
static int meeting(gr_txn *t, const gr_detect_opts *o, const gr_port_index *pi, const pair_obs *obs,
    const size_t (*runs)[2], size_t nr, const uint32_t *ves, int64_t step, const char *method,
    gr_detect_stats *st, gr_error *err)
{
	size_t n = 0, k = 0, ns = 0, cap = 0;
	float *sa, *sb, mind = 1e30f;
	double lat = 0, lon = 0;
	uint32_t *src = NULL;
	gr_event ev;
	int rc = GR_OK;
	for (size_t r = 0; r < nr; r++)
		n += runs[r][1] - runs[r][0];
	if (!(sa = malloc(2 * n * sizeof *sa)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	sb = sa + n;
	for (size_t r = 0; r < nr; r++)
		for (size_t i = runs[r][0]; i < runs[r][1]; i++, k++) {
			sa[k] = obs[i].po_sog_a;
			sb[k] = obs[i].po_sog_b;
			lat += obs[i].po_lat;
			lon += obs[i].po_lon;
			if (obs[i].po_dist < mind)
				mind = obs[i].po_dist;
			if (gr_idset_add(&src, &ns, &cap, obs[i].po_src_a) || gr_idset_add(&src, &ns, &cap, obs[i].po_src_b))
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
		}
	lat /= (double)n;
	lon /= (double)n;
	if (rc == GR_OK && median(sa, n) < o->enc_max_knots && median(sb, n) < o->enc_max_knots &&
	    !gr_port_nearest(pi, lat, lon, o->enc_port_km * 1000, NULL)) {
		memset(&ev, 0, sizeof ev);
		ev.ev_type = "ENCOUNTERED";
		ev.ev_src = ves[obs[runs[0][0]].po_a];
		ev.ev_dst = ves[obs[runs[0][0]].po_b];
		ev.ev_start = (int64_t)obs[runs[0][0]].po_slot * step;
		ev.ev_end = (int64_t)obs[runs[nr - 1][1] - 1].po_slot * step;
		ev.ev_names[0] = "hours";
		ev.ev_names[1] = "lat";
		ev.ev_vals[1] = round(lat * 1e5) / 1e5;
		ev.ev_names[2] = "lon";
		ev.ev_vals[2] = round(lon * 1e5) / 1e5;
		ev.ev_names[3] = "min_distance_m";
		ev.ev_vals[3] = round(mind * 10) / 10;
		ev.ev_nvals = 4;
		ev.ev_method = method;
		ev.ev_sources = src;
		ev.ev_nsources = ns;
		st->ds_found[2]++;
		rc = gr_event_write(t, &ev, st, err);
	}
	free(sa);
	free(src);
	return rc;
}

/* The meetings of one pair: obs[lo, hi) sorted by slot. */
static int pair_meetings(gr_txn *t, const gr_detect_opts *o, const gr_port_index *pi, const pair_obs *obs,
    size_t lo, size_t hi, const uint32_t *ves, const char *method, gr_detect_stats *st, gr_error *err)
{
	int64_t step = (int64_t)llround(o->resample_minutes * 60);
	int64_t minrun = (int64_t)llround(o->enc_min_hours * 3600), merge = (int64_t)llround(o->enc_merge_hours * 3600);
	size_t (*runs)[2] = NULL, nr = 0, cap = 0;
	int rc = GR_OK;
	for (size_t i = lo; i < hi;) {
		size_t j = i + 1;
		while (j < hi && obs[j].po_slot == obs[j - 1].po_slot + 1)
			j++;
		if (((int64_t)obs[j - 1].po_slot - obs[i].po_slot) * step >= minrun) {
			/* a run long enough; flush the meeting before it when far */
			if (nr && ((int64_t)obs[i].po_slot - obs[runs[nr - 1][1] - 1].po_slot) * step >= merge) {
				if ((rc = meeting(t, o, pi, obs, (const size_t (*)[2])runs, nr, ves, step, method, st, err)) != GR_OK)
					break;
				nr = 0;
			}
			if (nr == cap) {
				size_t nc = cap ? cap * 2 : 8;
				size_t (*nrr)[2] = realloc(runs, nc * sizeof *nrr);
				if (!nrr) {
					rc = gr_fail(err, GR_ENOMEM, "out of memory");
					break;
				}
				runs = nrr;
				cap = nc;
			}
			runs[nr][0] = i;
			runs[nr][1] = j;
			nr++;
		}
		i = j;
	}
	if (rc == GR_OK && nr)
		rc = meeting(t, o, pi, obs, (const size_t (*)[2])runs, nr, ves, step, method, st, err);
	free(runs);
	return rc;
}

int gr_detect_encounters(gr_txn *t, const gr_detect_opts *o, const gr_port_index *pi,
    const uint32_t *mmsi, const uint32_t *ves, size_t nv, gr_detect_stats *st, gr_error *err)
{
	vec pts = { NULL, 0, 0, sizeof(slot_pt) }, obs = { NULL, 0, 0, sizeof(pair_obs) };
	char method[300];
	int rc = GR_OK;

	snprintf(method, sizeof method,
	    "encounter: within %g m for >= %g h, median SOG of each < %g kn, >= %g km from every Port, meetings < %g h apart merged; tracks resampled every %g min, interpolated across <= %g h (GFW)",
	    o->enc_distance_m, o->enc_min_hours, o->enc_max_knots, o->enc_port_km, o->enc_merge_hours,
	    o->resample_minutes, o->interp_hours);
	for (size_t v = 0; v < nv && rc == GR_OK; v++) {
		gr_pos *p;
		size_t n;
		if ((rc = gr_pos_read(t, mmsi[v], o->from, o->to, &p, &n, err)) != GR_OK)
			break;
		if (resample(o, pi, (uint32_t)v, p, n, &pts))
			rc = gr_fail(err, GR_ENOMEM, "out of memory");
		free(p);
	}
	if (rc == GR_OK) {
		slot_pt *s = pts.v_data;
		if (pts.v_n)
			qsort(s, pts.v_n, sizeof *s, cmp_slot);
		for (size_t i = 0; i < pts.v_n && rc == GR_OK;) {
			size_t j = i;
			while (j < pts.v_n && s[j].sp_slot == s[i].sp_slot)
				j++;
			if (slot_pairs(o, s, i, j, ves, &obs))
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
			i = j;
		}
	}
	free(pts.v_data);
	if (rc == GR_OK) {
		pair_obs *ob = obs.v_data;
		if (obs.v_n)
			qsort(ob, obs.v_n, sizeof *ob, cmp_obs);
		for (size_t i = 0; i < obs.v_n && rc == GR_OK;) {
			size_t j = i;
			while (j < obs.v_n && ob[j].po_a == ob[i].po_a && ob[j].po_b == ob[i].po_b)
				j++;
			rc = pair_meetings(t, o, pi, ob, i, j, ves, method, st, err);
			i = j;
		}
	}
	free(obs.v_data);
	return rc;
}
