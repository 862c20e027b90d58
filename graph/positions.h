/*
 * positions.h: AIS positions as the graph layer sees them, and the link
 * from an MMSI to its Vessel node.
 *
 * Positions are not nodes: they live in the store's `positions` table (see
 * store.h), a time series per MMSI.  A Vessel's positions are those of the
 * MMSIs in its `mmsi` and `past_mmsi` properties, so that `merge` (which
 * moves a differing mmsi into past_mmsi) moves the positions with it.  An
 * MMSI's Vessel is the Vessel whose mmsi it is, else the Vessel keyed (or
 * aliased) "MMSI" + the 9 digits.
 */
#ifndef SG_POSITIONS_H
#define SG_POSITIONS_H

#include "graph.h"

typedef struct gr_pos {
	int64_t ps_time;         /* seconds since 1970 (UTC) */
	double ps_lat, ps_lon;   /* degrees */
	double ps_sog, ps_cog;   /* knots, degrees; NaN when not available */
	int ps_heading;          /* degrees; 511 when not available */
	uint32_t ps_source;      /* Source node id */
} gr_pos;

/* Stores n positions of one MMSI (p is sorted here, in place); a position
 * equal to a stored one in all but its source is not stored again.
 * *added (may be NULL) is how many were new. */
int gr_pos_add(gr_txn *txn, uint32_t mmsi, gr_pos *p, size_t n, uint64_t *added, gr_error *err);
/* The positions of one MMSI with from <= time <= to, in time order, into
 * a malloc'd array (free()). */
int gr_pos_read(gr_txn *txn, uint32_t mmsi, int64_t from, int64_t to, gr_pos **out, size_t *n, gr_error *err);
/* Every MMSI that has positions, ascending, into a malloc'd array. */
int gr_pos_mmsis(gr_txn *txn, uint32_t **out, size_t *n, gr_error *err);
/* Deletes all positions of an MMSI. */
int gr_pos_delete(gr_txn *txn, uint32_t mmsi, uint64_t *deleted, gr_error *err);
/* Number of positions and the bytes of their table's pages. */
int gr_pos_stat(gr_txn *txn, uint64_t *count, uint64_t *bytes, gr_error *err);
/* Converts positions stored in positions format 1 (an 18-byte record each,
 * before 2026-12-07) to the current blocks, inside the caller's write
 * transaction; the state digest does not change.  *converted (may be NULL)
 * receives the number of positions moved; 0 when there were none.  For
 * `sanctgraph upgrade`: until it has run, positions refuse to be read. */
int gr_pos_upgrade(gr_txn *txn, uint64_t *converted, gr_error *err);

/* The MMSIs of a vessel node (mmsi, then past_mmsi), up to max. */
size_t gr_vessel_mmsis(gr_txn *txn, uint32_t node, uint32_t *out, size_t max);
/* The Vessel of an MMSI: the one keyed Vessel:MMSI<9 digits> or holding
 * it as an alias (an import where the IMO won leaves one), else the one
 * whose `mmsi` it is (an IMO-keyed one first); GR_ENOTFOUND. */
int gr_mmsi_vessel(gr_txn *txn, uint32_t mmsi, uint32_t *node);
/* Parses exactly 9 digits into *mmsi: 0, or -1. */
int gr_mmsi_parse(const char *s, size_t len, uint32_t *mmsi);

/*
 * An MMSI... vessel is merged into the IMO-keyed Vessel that carries its
 * MMSI, whatever the order in which they arrived: this sweeps every Vessel
 * keyed "MMSI" + 9 digits and merges it (gr_merge) into the one other
 * Vessel whose `mmsi` is the same, when that one has an IMO key.  *merged
 * (may be NULL) counts the merges; report (may be NULL) is told each one.
 */
int gr_ais_reconcile(gr_txn *txn, uint64_t *merged, void (*report)(void *arg, const char *msg), void *arg, gr_error *err);

/* Great-circle distance in metres (haversine, mean Earth radius). */
double gr_geo_distance(double lat1, double lon1, double lat2, double lon2);

#endif
