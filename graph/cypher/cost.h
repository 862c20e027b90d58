/*
 * cost.h: the statistics the planner weighs plans with.
 *
 * Nothing here is kept beside the data to go stale: label counts are the
 * label index's own (LMDB counts a key's duplicates), and degrees and
 * property selectivities are measured on a small sample of the nodes
 * concerned, read in the statement's own transaction, so every write is
 * reflected at once.  A sample is a few runs of neighbouring nodes spread
 * evenly over the ids: neighbours' records and adjacency share pages, and
 * in a new process each page read first costs a page fault (32 nodes apart
 * were 85 of Q7's at scale 4).  Degree counts stop at a cap per node so
 * that a hub is never walked whole.
 */
#ifndef SG_CY_COST_H
#define SG_CY_COST_H

#include "engine.h"

#define CY_SAMPLE 32          /* nodes per sample */
#define CY_SAMPLE_RUNS 4      /* ... in this many runs of neighbours */

/* Up to max node ids of label (0: of every label) in CY_SAMPLE_RUNS runs
 * spread evenly over the id range; *n receives the count.  -1 on a storage
 * error. */
int cy_cost_sample(cy_ctx *c, uint16_t label, uint32_t *out, size_t max, size_t *n);
/* How many samples this process has taken (for tests: what is planned
 * without reading a sample). */
uint64_t cy_cost_samples(void);
/* Picks of a sorted id array (a counted candidate set), likewise in runs. */
size_t cy_cost_pick(const uint32_t *ids, size_t nids, uint32_t *out, size_t max);
/* The mean number of relationships of the given types (none: any) in
 * direction dir (CY_DIR_*) per node of ids; -1 on error. */
double cy_cost_degree(cy_ctx *c, const uint32_t *ids, size_t n, int dir, cy_sym *types, size_t ntypes);
/* The fraction of ids that pass k, with a floor for an empty sample. */
double cy_cost_selectivity(cy_ctx *c, const uint32_t *ids, size_t n, const cy_nodechk *k);

#endif
