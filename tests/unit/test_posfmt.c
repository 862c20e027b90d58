/*
 * test_posfmt.c: AIS positions in blocks (positions format 2): many
 * positions in interleaved, overlapping batches read back exactly, windows
 * that start inside a block, seconds with many reports, deletion, the state
 * digest; and the upgrade of a database written in positions format 1
 * (tests/data/ais/posfmt1, made by the sanctgraph of 2026-12-07 before
 * this change: see its README).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "graph/graph_int.h"   /* white-box: the store under the graph */
#include "graph/positions.h"

static char dir[64];
static gr_db *db;

static int setup(void)
{
	return unit_db_open("posfmt", dir, sizeof dir, &db);
}

static int teardown(void)
{
	return unit_db_close(dir, db);
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

static int del_txn(gr_txn *t, void *arg, gr_error *err)
{
	put_arg *a = arg;
	return gr_pos_delete(t, a->mmsi, &a->added, err);
}

/* Position i of a track: a walk in the southern and western hemispheres
 * with 6-decimal coordinates, every 7th second shared by three reports,
 * and some SOG and COG not available. */
static gr_pos track_pos(size_t i, uint32_t src)
{
	gr_pos p;
	memset(&p, 0, sizeof p);
	p.ps_time = 1700000000 + (int64_t)(i / 3) * 61 + (i % 21 < 3 ? 0 : (int64_t)(i % 3) * 17);
	p.ps_lat = -33.85 + (double)((i * 7919) % 2000) / 1e6 + i * 1e-4;
	p.ps_lon = -151.2 - (double)((i * 104729) % 3000) / 1e6;
	p.ps_sog = i % 11 == 0 ? NAN : (double)(i % 150) / 10;
	p.ps_cog = i % 13 == 0 ? NAN : (double)(i * 37 % 3600) / 10;
	p.ps_heading = i % 5 == 0 ? 511 : (int)(i * 7 % 360);
	p.ps_source = src;
	return p;
}

static int pos_equal(const gr_pos *a, const gr_pos *b)
{
	return a->ps_time == b->ps_time && lround(a->ps_lat * 1e7) == lround(b->ps_lat * 1e7) &&
	    lround(a->ps_lon * 1e7) == lround(b->ps_lon * 1e7) &&
	    (isnan(a->ps_sog) ? isnan(b->ps_sog) : fabs(a->ps_sog - b->ps_sog) < 1e-6) &&
	    (isnan(a->ps_cog) ? isnan(b->ps_cog) : fabs(a->ps_cog - b->ps_cog) < 1e-6) &&
	    a->ps_heading == b->ps_heading;
}

static void digest_agrees(gr_txn *t)
{
	unsigned char d1[ST_DIGEST_LEN], d2[ST_DIGEST_LEN];
	CU_ASSERT_EQUAL(st_digest_stored(gr_store_txn(t), d1), ST_OK);
	CU_ASSERT_EQUAL(st_digest_recompute(gr_store_txn(t), d2), ST_OK);
	CU_ASSERT_EQUAL(memcmp(d1, d2, sizeof d1), 0);
}

#define NTRACK 3000

static void test_blocks(void)
{
	gr_error err;
	gr_txn *t;
	gr_pos *all = malloc(NTRACK * sizeof *all), *batch = malloc(NTRACK * sizeof *batch), *got;
	put_arg a = { 366000001, batch, 0, 0 };
	size_t n, nb, inwin = 0;
	uint64_t count, bytes, total = 0;

	CU_ASSERT_FATAL(all && batch);
	for (size_t i = 0; i < NTRACK; i++)
		all[i] = track_pos(i, 1);
	/* three batches out of time order: every third from 2, the second
	 * half, then everything (the rest new, the others duplicates from
	 * another source) */
	nb = 0;
	for (size_t i = 2; i < NTRACK; i += 3)
		batch[nb++] = all[NTRACK - 1 - i];
	a.n = nb;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL(a.added, nb);
	total += a.added;
	nb = 0;
	for (size_t i = NTRACK / 2; i < NTRACK; i++)
		batch[nb++] = all[i];
	a.n = nb;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	total += a.added;
	for (size_t i = 0; i < NTRACK; i++) {
		batch[i] = all[i];
		batch[i].ps_source = 2;
	}
	a.n = NTRACK;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	total += a.added;
	CU_ASSERT_EQUAL(total, NTRACK);
	/* a neighbour on each side, one of them 400 reports in one second */
	for (size_t i = 0; i < 400; i++) {
		batch[i] = track_pos(i, 1);
		batch[i].ps_time = 1700000000;
		batch[i].ps_lat = 10 + i * 1e-5;
	}
	a.mmsi = 366000000;
	a.n = 400;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL(a.added, 400);
	a.mmsi = 366000002;
	a.n = 1;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, put_txn, &a, &err), GR_OK);

	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_pos_read(t, 366000001, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL_FATAL(n, NTRACK);
	/* all came back, in time order, each once, with its first source */
	{
		size_t matched = 0, ordered = 1, src1 = 0;
		for (size_t i = 0; i < n; i++) {
			ordered &= i == 0 || got[i - 1].ps_time <= got[i].ps_time;
			src1 += got[i].ps_source == 1;
		}
		for (size_t i = 0; i < NTRACK; i++)
			for (size_t j = 0; j < n; j++)
				if (pos_equal(&all[i], &got[j])) {
					matched++;
					break;
				}
		CU_ASSERT(ordered);
		CU_ASSERT_EQUAL(matched, NTRACK);
		CU_ASSERT_EQUAL(src1, NTRACK / 3 + NTRACK / 2 - NTRACK / 6);
	}
	free(got);
	/* a window starting and ending inside blocks, inclusive */
	{
		int64_t lo = all[1234].ps_time, hi = all[2345].ps_time;
		for (size_t i = 0; i < NTRACK; i++)
			inwin += all[i].ps_time >= lo && all[i].ps_time <= hi;
		CU_ASSERT_EQUAL(gr_pos_read(t, 366000001, lo, hi, &got, &n, &err), GR_OK);
		CU_ASSERT_EQUAL(n, inwin);
		CU_ASSERT(n > 0 && got[0].ps_time == lo && got[n - 1].ps_time == hi);
		free(got);
	}
	CU_ASSERT_EQUAL(gr_pos_read(t, 366000000, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 400);
	free(got);
	CU_ASSERT_EQUAL(gr_pos_stat(t, &count, &bytes, &err), GR_OK);
	CU_ASSERT_EQUAL(count, NTRACK + 401);
	/* blocks, not 18-byte records: well under 18 bytes a position */
	CU_ASSERT(bytes < count * 16);
	digest_agrees(t);
	gr_abort(t);

	a.mmsi = 366000001;
	CU_ASSERT_EQUAL_FATAL(gr_write(db, del_txn, &a, &err), GR_OK);
	CU_ASSERT_EQUAL(a.added, NTRACK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_pos_stat(t, &count, &bytes, &err), GR_OK);
	CU_ASSERT_EQUAL(count, 401);
	digest_agrees(t);
	gr_abort(t);
	free(all);
	free(batch);
}

static int upgrade_txn(gr_txn *t, void *arg, gr_error *err)
{
	return gr_pos_upgrade(t, arg, err);
}

static void test_upgrade(void)
{
	char odir[64], backup[256], cmd[512];
	gr_db *odb;
	gr_txn *t;
	gr_error err;
	gr_pos *got;
	size_t n;
	unsigned from = 0;
	uint64_t conv = 0, count, bytes;

	snprintf(odir, sizeof odir, "/tmp/sg-unit-posfmt1.%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "rm -rf %s %s.format*-backup* && mkdir %s && cp tests/data/ais/posfmt1/data.mdb %s/",
	    odir, odir, odir, odir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);

	/* the old database refuses, naming the command that converts it */
	CU_ASSERT_NOT_EQUAL_FATAL(gr_open(odir, 0, &odb, &err), GR_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "sanctgraph upgrade"));

	/* upgrade converts the store and the positions in one go: its check
	 * recomputes the state digest the old version wrote */
	CU_ASSERT_EQUAL_FATAL(gr_upgrade(odir, &from, backup, sizeof backup, &err), GR_OK);
	CU_ASSERT(from < 3);
	CU_ASSERT_EQUAL_FATAL(gr_open(odir, 0, &odb, &err), GR_OK);
	gr_set_author(odb, "unit");
	gr_set_command(odb, "unit test");
	CU_ASSERT_EQUAL_FATAL(gr_begin(odb, 0, &t, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_pos_stat(t, &count, &bytes, &err), GR_OK);
	CU_ASSERT_EQUAL(count, 408);
	CU_ASSERT_EQUAL_FATAL(gr_pos_read(t, 366000001, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 400);
	if (n == 400) {   /* the first and last rows of old.csv's track */
		CU_ASSERT_EQUAL(got[0].ps_time, 1680307200);
		CU_ASSERT_EQUAL(got[399].ps_time, 1680307200 + 399 * 60);
		CU_ASSERT(got[0].ps_lat < -33.8 && got[0].ps_lon < -151.1);
	}
	free(got);
	CU_ASSERT_EQUAL_FATAL(gr_pos_read(t, 211000002, 0, 0xffffffffLL, &got, &n, &err), GR_OK);
	CU_ASSERT_EQUAL(n, 5);
	if (n == 5) {
		CU_ASSERT(isnan(got[0].ps_sog) && isnan(got[0].ps_cog) && got[0].ps_heading == 511);
		CU_ASSERT_DOUBLE_EQUAL(got[4].ps_lat, 54.14, 1e-9);
	}
	free(got);
	digest_agrees(t);
	gr_abort(t);
	/* nothing left to convert */
	CU_ASSERT_EQUAL(gr_write(odb, upgrade_txn, &conv, &err), GR_OK);
	CU_ASSERT_EQUAL(conv, 0);
	gr_close(odb);
	CU_ASSERT_EQUAL(gr_upgrade(odir, &from, backup, sizeof backup, &err), GR_OK);
	CU_ASSERT_EQUAL(from, 3);
	snprintf(cmd, sizeof cmd, "rm -rf %s %s.format*-backup*", odir, odir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

int test_posfmt_register(void)
{
	static const unit_test tests[] = {
		{ "blocks", test_blocks },
		{ "upgrade", test_upgrade },
	};
	return unit_suite("posfmt", setup, teardown, tests, sizeof tests / sizeof *tests);
}
