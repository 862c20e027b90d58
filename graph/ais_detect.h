/*
 * ais_detect.h: events derived from AIS positions (contract, "AIS"), with
 * Global Fishing Watch's definitions as defaults.
 *
 *   gap        two consecutive positions of one MMSI at least min_gap_hours
 *              apart: AIS_GAP from the vessel to itself, start, end, hours,
 *              lat_off, lon_off, lat_on, lon_on.  (GFW's "intentional
 *              disabling" subset also needs >= 50 nm from shore and good
 *              reception; we have no coverage data, so every gap counts.)
 *   port call  enters within port_radius_km of the nearest Port with a
 *              lat/lon at SOG under port_max_knots; ends when it goes
 *              beyond port_exit_km or its positions stop for more than
 *              port_stop_hours: CALLED_AT vessel -> port, start, end.
 *   encounter  two vessels within enc_distance_m for enc_min_hours or
 *              more, each one's median SOG under enc_max_knots, at least
 *              enc_port_km from every Port; meetings less than
 *              enc_merge_hours apart are one.  Tracks are resampled every
 *              resample_minutes, interpolating across at most
 *              interp_hours, and compared slot by slot, bucketed by time
 *              and a lat/lon grid: ENCOUNTERED from the lower MMSI's
 *              vessel, start, end, hours, lat, lon, min_distance_m.
 *
 * Every edge cites the Sources of the positions it rests on (probable) and
 * records `method`.  An edge of the same type between the same nodes whose
 * [start, end] overlaps the event's is the same claim: its span is widened
 * and its properties and citations brought up to date, and it is left
 * untouched when nothing differs, so running detect twice changes nothing.
 */
#ifndef SG_AIS_DETECT_H
#define SG_AIS_DETECT_H

#include "graph.h"
#include "positions.h"

typedef struct gr_detect_opts {
	int d_gaps, d_port_calls, d_encounters;
	double min_gap_hours;          /* 12 */
	double port_radius_km;         /* 3 */
	double port_exit_km;           /* 4 */
	double port_max_knots;         /* 1 */
	double port_stop_hours;        /* 4 */
	double enc_distance_m;         /* 500 */
	double enc_min_hours;          /* 2 */
	double enc_max_knots;          /* 2 */
	double enc_port_km;            /* 10 */
	double enc_merge_hours;        /* 4 */
	double interp_hours;           /* 1 */
	double resample_minutes;       /* 10 */
	int64_t from, to;              /* seconds; the window of positions */
} gr_detect_opts;

typedef struct gr_detect_stats {
	uint64_t ds_found[3];          /* gaps, port calls, encounters found */
	uint64_t ds_created, ds_updated, ds_unchanged;
	uint64_t ds_ambiguous;         /* created, overlapping several claims */
	uint64_t ds_mmsis, ds_positions, ds_ports;
	uint64_t ds_no_vessel;         /* MMSIs without a Vessel (skipped) */
} gr_detect_stats;

void gr_detect_defaults(gr_detect_opts *o);
/* Runs the detectors named in o in a write transaction. */
int gr_detect(gr_txn *txn, const gr_detect_opts *o, gr_detect_stats *st, gr_error *err);

/* ---- shared by ais_detect.c and ais_encounter.c ---- */

typedef struct gr_port_index gr_port_index;
/* Every Port with numeric lat and lon, in a grid of 0.1-degree cells. */
int gr_port_index_load(gr_txn *txn, gr_port_index **out, gr_error *err);
void gr_port_index_free(gr_port_index *pi);
size_t gr_port_index_size(const gr_port_index *pi);
/* The ports inside a lat/lon box (lon0 <= lon1, no wrap), up to max:
 * their ids and positions; returns how many. */
size_t gr_port_index_box(const gr_port_index *pi, double lat0, double lat1, double lon0, double lon1,
    uint32_t *ids, double (*ll)[2], size_t max);
/* The nearest port within max_m metres: its node id (0: none) and *dist. */
uint32_t gr_port_nearest(const gr_port_index *pi, double lat, double lon, double max_m, double *dist);

/* An event to write (ais_detect.c): type name, endpoints, start/end, extra
 * float properties, method, sources. */
typedef struct gr_event {
	const char *ev_type;
	uint32_t ev_src, ev_dst;
	int64_t ev_start, ev_end;
	const char *ev_names[8];
	double ev_vals[8];
	size_t ev_nvals;
	const char *ev_method;
	uint32_t *ev_sources;
	size_t ev_nsources;
} gr_event;
int gr_event_write(gr_txn *txn, const gr_event *ev, gr_detect_stats *st, gr_error *err);

/* Adds a source id to a small set; 0 or -1 when out of memory. */
int gr_idset_add(uint32_t **set, size_t *n, size_t *cap, uint32_t id);

/* Encounters over all MMSIs (ais_encounter.c). */
int gr_detect_encounters(gr_txn *txn, const gr_detect_opts *o, const gr_port_index *pi,
    const uint32_t *mmsi, const uint32_t *vessel, size_t n, gr_detect_stats *st, gr_error *err);

#endif
