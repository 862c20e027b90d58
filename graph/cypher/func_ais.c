/*
 * func_ais.c: AIS positions and geography in Cypher (contract, "AIS"):
 *
 *   positions(v [, from, to])  the positions of vessel v (a node, or an MMSI
 *       string) as a list of maps {time, lat, lon, sog, cog} in time order;
 *       from/to (dates or datetimes, inclusive; a date `to` runs to the end
 *       of its day) limit the window
 *   point({latitude, longitude})  a WGS-84 point, as Neo4j's, kept as a map
 *       {crs: 'wgs-84', srid: 4326, latitude, longitude, x, y}
 *   point.distance(a, b)  great-circle metres between two such points (or
 *       maps with latitude/longitude); null when either is null
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "../positions.h"

/* A date or datetime argument as seconds since 1970; end: a date's last
 * second.  1 and *secs, 0 for null, -1 for another type. */
static int when_arg(const gr_value *v, int end, int64_t *secs)
{
	if (v->type == GR_NULL)
		return 0;
	if (v->type == GR_DATE) {
		*secs = (int64_t)v->u.date * 86400 + (end ? 86399 : 0);
		return 1;
	}
	if (v->type == GR_DATETIME) {
		*secs = v->u.dt.dt_secs;
		return 1;
	}
	return -1;
}

static gr_value pos_map(const gr_pos *p)
{
	gr_value m = gr_map(), t = gr_null();
	t.type = GR_DATETIME;
	t.u.dt.dt_secs = p->ps_time;
	t.u.dt.dt_nanos = 0;
	t.u.dt.dt_offset = 0;
	gr_map_set(&m, "time", t);
	gr_map_set(&m, "lat", gr_float(p->ps_lat));
	gr_map_set(&m, "lon", gr_float(p->ps_lon));
	gr_map_set(&m, "sog", isnan(p->ps_sog) ? gr_null() : gr_float(p->ps_sog));
	gr_map_set(&m, "cog", isnan(p->ps_cog) ? gr_null() : gr_float(p->ps_cog));
	return m;
}

static int fn_positions(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	uint32_t mmsis[16], node;
	size_t nm = 0;
	int64_t from = 0, to = 0xffffffffLL;
	const gr_value *v = &args[0];
	gr_error ge;

	if (v->type == GR_NULL)
		return 0;
	if (n > 1 && when_arg(&args[1], 0, &from) < 0)
		return cy_fail(c, e->a[1]->src, "positions(): from must be a date or datetime");
	if (n > 2 && when_arg(&args[2], 1, &to) < 0)
		return cy_fail(c, e->a[2]->src, "positions(): to must be a date or datetime");
	if (v->type == GR_NODE) {
		nm = gr_vessel_mmsis(c->txn, v->u.node.id, mmsis, 16);
	} else if (v->type == GR_STRING && gr_mmsi_parse(v->u.s.ptr, v->u.s.len, &mmsis[0]) == 0) {
		nm = 1;
		(void)node;
	} else {
		return cy_fail(c, e->a[0]->src, "positions() expects a vessel node or a 9-digit MMSI string");
	}
	*out = gr_list(0);
	for (size_t i = 0; i < nm; i++) {
		gr_pos *p;
		size_t np;
		int rc = gr_pos_read(c->txn, mmsis[i], from, to, &p, &np, &ge);
		if (rc != GR_OK) {
			cy_free(out);
			return cy_fail_graph(c, rc, ge.msg);
		}
		for (size_t k = 0; k < np; k++)
			if (gr_list_push(out, pos_map(&p[k]))) {
				free(p);
				cy_free(out);
				return cy_nomem(c);
			}
		free(p);
	}
	return 0;
}

/* latitude/longitude (or y/x) of a map: 1, 0 when not a point. */
static int point_of(const gr_value *m, double *lat, double *lon)
{
	const gr_value *a, *o;
	if (m->type != GR_MAP)
		return 0;
	a = gr_map_get(m, "latitude");
	o = gr_map_get(m, "longitude");
	if (!a || !o) {
		a = gr_map_get(m, "y");
		o = gr_map_get(m, "x");
	}
	if (!a || !o || (a->type != GR_INT && a->type != GR_FLOAT) || (o->type != GR_INT && o->type != GR_FLOAT))
		return 0;
	*lat = a->type == GR_INT ? (double)a->u.i : a->u.f;
	*lon = o->type == GR_INT ? (double)o->u.i : o->u.f;
	return 1;
}

static int fn_point(cy_ctx *c, cx *e, gr_value *args, gr_value *out)
{
	double lat, lon;
	gr_value m;
	if (args[0].type == GR_NULL)
		return 0;
	if (!point_of(&args[0], &lat, &lon))
		return cy_fail(c, e->a[0]->src, "point() expects a map with numeric latitude and longitude");
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
		return cy_fail(c, e->a[0]->src, "point(): latitude must be within -90..90 and longitude -180..180");
	m = gr_map();
	if (gr_map_set(&m, "crs", gr_cstring("wgs-84")) || gr_map_set(&m, "srid", gr_int(4326)) ||
	    gr_map_set(&m, "latitude", gr_float(lat)) || gr_map_set(&m, "longitude", gr_float(lon)) ||
	    gr_map_set(&m, "x", gr_float(lon)) || gr_map_set(&m, "y", gr_float(lat))) {
		gr_value_free(&m);
		return cy_nomem(c);
	}
	*out = m;
	return 0;
}

static int fn_distance(cy_ctx *c, cx *e, gr_value *args, gr_value *out)
{
	double la1, lo1, la2, lo2;
	if (args[0].type == GR_NULL || args[1].type == GR_NULL)
		return 0;
	if (!point_of(&args[0], &la1, &lo1))
		return cy_fail(c, e->a[0]->src, "point.distance() expects two points");
	if (!point_of(&args[1], &la2, &lo2))
		return cy_fail(c, e->a[1]->src, "point.distance() expects two points");
	*out = gr_float(gr_geo_distance(la1, lo1, la2, lo2));
	return 0;
}

int cy_call_ais(cy_ctx *c, cx *e, gr_value *args, size_t n, gr_value *out)
{
	switch (e->op) {
	case CY_F_POSITIONS:
		return fn_positions(c, e, args, n, out);
	case CY_F_POINT:
		return fn_point(c, e, args, out);
	default:
		return fn_distance(c, e, args, out);
	}
}
