/*
 * test_ais.c: AIS positions: MMSI parsing, great-circle distance, header
 * dialects, the positions table (sorted appends, out-of-order inserts,
 * duplicates kept once, windows, the state digest) and the port grid.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"
#include "graph/graph_int.h"   /* white-box: the store under the graph */

#include "graph/ais_detect.h"
#include "ingest/ingest.h"

static char dir[64];
static gr_db *db;

static int setup(void)
{
	return unit_db_open("ais", dir, sizeof dir, &db);
}

static int teardown(void)
{
	return unit_db_close(dir, db);
}

static void test_mmsi_parse(void)
{
	uint32_t m = 0;
	CU_ASSERT_EQUAL(gr_mmsi_parse("273000001", 9, &m), 0);
	CU_ASSERT_EQUAL(m, 273000001u);
	CU_ASSERT_EQUAL(gr_mmsi_parse("012345678", 9, &m), 0);
	CU_ASSERT_EQUAL(m, 12345678u);
	CU_ASSERT_EQUAL(gr_mmsi_parse("2190064", 7, &m), -1);      /* a base station */
	CU_ASSERT_EQUAL(gr_mmsi_parse("27300000a", 9, &m), -1);
	CU_ASSERT_EQUAL(gr_mmsi_parse("2730000011", 10, &m), -1);
	CU_ASSERT_EQUAL(gr_mmsi_parse("", 0, &m), -1);
}

static void test_distance(void)
{
	/* one degree of longitude on the equator, of latitude anywhere */
	CU_ASSERT_DOUBLE_EQUAL(gr_geo_distance(0, 0, 0, 1), 111195.08, 0.5);
	CU_ASSERT_DOUBLE_EQUAL(gr_geo_distance(10, 20, 11, 20), 111195.08, 0.5);
	CU_ASSERT_DOUBLE_EQUAL(gr_geo_distance(42.75, 133.083333, 42.75, 133.083333), 0, 1e-9);
	/* across the antimeridian: 0.2 degrees, not 359.8 */
	CU_ASSERT_DOUBLE_EQUAL(gr_geo_distance(0, 179.9, 0, -179.9), 22239.0, 1.0);
	/* antipodes: half the circumference */
	CU_ASSERT_DOUBLE_EQUAL(gr_geo_distance(0, 0, 0, 180), M_PI * 6371008.8, 1.0);
}

static void test_dialects(void)
{
	const char *mc = "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass";
	const char *mc25 = "mmsi,base_date_time,longitude,latitude,sog,cog,heading,vessel_name,imo,call_sign,vessel_type,status,length,width,draft,cargo,transceiver\r";
	const char *dma = "# Timestamp,Type of mobile,MMSI,Latitude,Longitude,Navigational status,ROT,SOG,COG,Heading,IMO,Callsign,Name,Ship type";
	CU_ASSERT_EQUAL(ig_ais_dialect(mc, strlen(mc)), 1);
	CU_ASSERT_EQUAL(ig_ais_dialect(mc25, strlen(mc25)), 2);
	CU_ASSERT_EQUAL(ig_ais_dialect(dma, strlen(dma)), 3);
	CU_ASSERT_EQUAL(ig_ais_dialect("MMSI,BaseDateTime,LAT", 21), 0);   /* no LON */
	CU_ASSERT_EQUAL(ig_ais_dialect("key:ID,name", 11), 0);
	CU_ASSERT_EQUAL(ig_format_detect(mc, strlen(mc)), IG_AIS);
	CU_ASSERT_EQUAL(ig_format_detect(dma, strlen(dma)), IG_AIS);
}

static gr_pos pos(int64_t t, double lat, double lon, double sog, uint32_t src)
{
	gr_pos p;
	memset(&p, 0, sizeof p);
	p.ps_time = t;
	p.ps_lat = lat;
	p.ps_lon = lon;
	p.ps_sog = sog;
	p.ps_cog = NAN;
	p.ps_heading = 511;
	p.ps_source = src;
	return p;
}

typedef struct put_arg {
	uint32_t mmsi;
	gr_pos *p;
	size_t n;
	uint64_t added;
} put_arg;

static int put_txn(gr_txn *t, void *arg, gr_error *err)
{
	put_arg *a = arg;
	return gr_pos_add(t, a->mmsi, a->p, a->n, &a->added, err);
}

static void test_positions_table(void)
{
	gr_error err;
	gr_txn *t;
	gr_pos first[3] = { pos(1000, 42.0, 131.0, 10, 7), pos(400, -33.5, -70.25, NAN, 7), pos(700, 1e-7, -1e-7, 0.1, 7) };
	/* one duplicate (same but the source), one new in the middle, one after */
	gr_pos second[3] = { pos(700, 1e-7, -1e-7, 0.1, 9), pos(500, 10, 10, 1, 9), pos(2000, 10, 10, 1, 9) };
	put_arg a = { 273000001, first, 3, 0 };
	gr_pos *got;
	size_t n;
	unsigned char d1[ST_DIGEST_LEN], d2[ST_DIGEST_LEN];
	uint64_t count, bytes;

	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL(a.added, 3);
	a.p = second;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL(a.added, 2);
	a.mmsi = 12345678;   /* another MMSI, sorted before */
	a.p = first;
	a.n = 1;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);

	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_pos_read(t, 273000001, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(n, 5);
	CU_ASSERT_EQUAL(got[0].ps_time, 400);
	CU_ASSERT_DOUBLE_EQUAL(got[0].ps_lat, -33.5, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(got[0].ps_lon, -70.25, 1e-9);
	CU_ASSERT(isnan(got[0].ps_sog));
	CU_ASSERT_EQUAL(got[0].ps_source, 7);
	CU_ASSERT_EQUAL(got[1].ps_time, 500);
	CU_ASSERT_EQUAL(got[1].ps_source, 9);
	CU_ASSERT_EQUAL(got[2].ps_time, 700);
	CU_ASSERT_EQUAL(got[2].ps_source, 7);       /* the first source stays */
	CU_ASSERT_DOUBLE_EQUAL(got[2].ps_lat, 1e-7, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(got[2].ps_sog, 0.1, 1e-9);
	CU_ASSERT_EQUAL(got[4].ps_time, 2000);
	free(got);
	/* a window, inclusive at both ends */
	CU_ASSERT_EQUAL(gr_pos_read(t, 273000001, 500, 1000, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 3);
	free(got);
	CU_ASSERT_EQUAL(gr_pos_read(t, 999999999, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 0);
	free(got);
	{
		uint32_t *mm;
		CU_ASSERT_EQUAL(gr_pos_mmsis(t, &mm, &n, &err), GR_OK);
		CU_ASSERT_EQUAL(n, 2);
		if (n == 2) {
			CU_ASSERT_EQUAL(mm[0], 12345678u);
			CU_ASSERT_EQUAL(mm[1], 273000001u);
		}
		free(mm);
	}
	CU_ASSERT_EQUAL(gr_pos_stat(t, &count, &bytes, &err), GR_OK);
	CU_ASSERT_EQUAL(count, 6);
	/* the stored digest is the recomputed one, positions included */
	CU_ASSERT_EQUAL(st_digest_stored(gr_store_txn(t), d1), ST_OK);
	CU_ASSERT_EQUAL(st_digest_recompute(gr_store_txn(t), d2), ST_OK);
	CU_ASSERT_EQUAL(memcmp(d1, d2, sizeof d1), 0);
	gr_abort(t);
}

typedef struct port_arg { const char *key; double lat, lon; } port_arg;

static int ports_txn(gr_txn *t, void *arg, gr_error *err)
{
	const port_arg *p = arg;
	uint16_t lab, klat, klon;
	int rc;
	for (; p->key; p++) {
		gr_node n;
		gr_node_init(&n);
		if ((rc = gr_sym(t, "Port", 4, 1, &lab)) || (rc = gr_sym(t, "lat", 3, 1, &klat)) || (rc = gr_sym(t, "lon", 3, 1, &klon)))
			return rc;
		n.n_labels = malloc(sizeof *n.n_labels);
		n.n_labels[0] = lab;
		n.n_nlabels = 1;
		n.n_key = strdup(p->key);
		n.n_keylen = strlen(p->key);
		gr_props_set(&n.n_props, &n.n_nprops, klat, gr_float(p->lat));
		gr_props_set(&n.n_props, &n.n_nprops, klon, gr_float(p->lon));
		rc = gr_node_save(t, &n, err);
		gr_node_clear(&n);
		if (rc)
			return rc;
	}
	return GR_OK;
}

static void test_port_grid(void)
{
	static const port_arg ports[] = {
		{ "KPRJN", 42.2333, 130.3 }, { "RUVYP", 42.75, 133.083333 },
		{ "EDGE", 10.05, 179.999 }, { "NORTH", 89.9, 0 }, { NULL, 0, 0 },
	};
	gr_error err;
	gr_txn *t;
	gr_port_index *pi;
	double d;
	uint32_t rajin, got;

	CU_ASSERT_EQUAL_FATAL(gr_write(db, ports_txn, (void *)ports, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_port_index_load(t, &pi, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_port_index_size(pi), 4);
	CU_ASSERT_EQUAL(gr_resolve(t, "Port:KPRJN", &rajin, &err), GR_OK);
	/* 2.5 km north of Rajin: within 3 km, not within 2 */
	got = gr_port_nearest(pi, 42.2333 + 2500 / 111195.0, 130.3, 3000, &d);
	CU_ASSERT_EQUAL(got, rajin);
	CU_ASSERT_DOUBLE_EQUAL(d, 2500, 1);
	CU_ASSERT_EQUAL(gr_port_nearest(pi, 42.2333 + 2500 / 111195.0, 130.3, 2000, NULL), 0);
	/* across a cell boundary and the antimeridian */
	CU_ASSERT_NOT_EQUAL(gr_port_nearest(pi, 10.05, -179.99, 3000, NULL), 0);
	/* near the pole, where a degree of longitude is short */
	CU_ASSERT_NOT_EQUAL(gr_port_nearest(pi, 89.9, 120, 30000, NULL), 0);
	CU_ASSERT_EQUAL(gr_port_nearest(pi, 0, 0, 10000, NULL), 0);
	gr_port_index_free(pi);
	gr_abort(t);
}

int test_ais_register(void)
{
	static const unit_test tests[] = {
		{ "mmsi_parse", test_mmsi_parse },
		{ "distance", test_distance },
		{ "dialects", test_dialects },
		{ "positions_table", test_positions_table },
		{ "port_grid", test_port_grid },
	};
	return unit_suite("ais", setup, teardown, tests, sizeof tests / sizeof *tests);
}
