/*
 * pathfind.h: shortest connections between two nodes, for Cypher's
 * shortestPath()/allShortestPaths() and the `path` command.
 *
 * Breadth-first over the adjacency of the store, either direction of the
 * edges or one, restricted to some relationship types.  One shortest path
 * is searched from both ends at once (each round grows the smaller
 * frontier); every shortest path, and paths whose dated edges run forward
 * in time, are searched from the start.
 *
 * Time order: an edge happens on its `date`, or over its `start` ..
 * `end` (dates, or the date part of datetimes; one of the two alone is a
 * day); edges with none of these are undated and impose nothing.  On a
 * time-ordered path each dated edge starts no earlier than the dated edge
 * before it ended, in the order the path walks them: a sighting on 2 April
 * then a port call from 3 to 14 April then a sighting on 14 April is in
 * order; a port call from 1 to 30 April then a sighting on 14 April is not.
 */
#ifndef SG_PATHFIND_H
#define SG_PATHFIND_H

#include <stddef.h>
#include <stdint.h>
#include "graph.h"

enum { GR_DIR_OUT = 0, GR_DIR_IN = 1, GR_DIR_BOTH = 2 };

/* One step of a path: the edge as stored (its own start and end). */
typedef struct gr_step {
	uint32_t s_edge;
	uint32_t s_src, s_dst;
	uint16_t s_type;
} gr_step;

typedef struct gr_pathspec {
	int ps_dir;                 /* GR_DIR_*, seen from the start node */
	const uint16_t *ps_types;   /* allowed types; none: any type */
	size_t ps_ntypes;
	int ps_min_hops;            /* 0 or 1: whether a node reaches itself */
	int ps_max_hops;            /* -1: no limit */
	int ps_all;                 /* every shortest path, not just one */
	int ps_time_ordered;        /* dated edges in non-decreasing time */
	/* optional: 1 when an edge may be used */
	int (*ps_edge_ok)(void *arg, const gr_step *s);
	void *ps_arg;
} gr_pathspec;

/* Receives each path found: nodes[0..len] from the start node to the end
 * node and steps[0..len-1] between them.  Returns 0 to go on, non-zero to
 * stop (an error, or enough). */
typedef int (*gr_path_fn)(void *arg, const uint32_t *nodes, const gr_step *steps, size_t len);

/*
 * Finds the shortest path(s) from `from` to `to` under ps and calls fn for
 * each (one, or all of the same shortest length with ps_all).
 * Returns the number of paths reported (0 when there is none within
 * ps_max_hops), or a negative GR_E* code with err set (GR_ENOMEM,
 * GR_EIO; GR_EINVALID when fn asked to stop).
 */
int gr_shortest_paths(gr_txn *txn, uint32_t from, uint32_t to, const gr_pathspec *ps,
    gr_path_fn fn, void *arg, gr_error *err);

/* The day of an edge for time ordering (see above): 1 and *day set to its
 * date or start (else end) when the edge is dated, 0 when not. */
int gr_edge_day(gr_txn *txn, uint32_t edge, int32_t *day);
/* Its first and last day (the same for a dated event): 1, or 0 when the
 * edge is undated. */
int gr_edge_span(gr_txn *txn, uint32_t edge, int32_t *first, int32_t *last);

#endif
