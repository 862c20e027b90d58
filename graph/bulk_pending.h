/*
 * bulk_pending.h: the edges a bulk has made, found by (src, type, dst), so
 * that a claim said again merges into the one made earlier (bulk.c).
 */
#ifndef SG_BULK_PENDING_H
#define SG_BULK_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"

typedef struct gr_pending {
	uint32_t *p_last;     /* per node: its newest entry + 1; 0: none */
	uint8_t *p_state;     /* per node: run length, or PEND_HASHED */
	size_t p_nodes;       /* nodes the two arrays cover */
	uint32_t *p_link;     /* per entry + 1: the previous entry of its source
	                       * (run) or of its bucket (hashed) */
	size_t p_cap;         /* entries p_link covers */
	uint32_t *p_heads;    /* per bucket of (src, type, dst): an entry + 1 */
	size_t p_nheads, p_nhashed;
} gr_pending;

/* Files entry i (of adj, which holds entries 0..i) under its source;
 * GR_ENOMEM. */
int gr_pending_add(gr_pending *p, const st_adj_bulk *adj, size_t i);
/* Calls fn with each entry of adj (newest first) from src to dst of type,
 * until it returns nonzero, which is returned. */
int gr_pending_each(const gr_pending *p, const st_adj_bulk *adj, uint32_t src, uint16_t type, uint32_t dst,
    int (*fn)(void *arg, uint32_t edge), void *arg);
void gr_pending_free(gr_pending *p);

#endif
