/*
 * bitset.h: a growable set of ids (node or relationship numbers) kept as a
 * bitmap, for graph/'s passes over a whole database (check, evidence).
 * Zero-initialise one; gr_bitset_free releases it.
 */
#ifndef SG_BITSET_H
#define SG_BITSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct gr_bitset {
	uint64_t *w;
	size_t n;      /* words in w */
} gr_bitset;

/* Adds i: 1 when it was in the set already, 0 when not, -1 out of memory. */
int gr_bitset_add(gr_bitset *s, uint32_t i);
int gr_bitset_has(const gr_bitset *s, uint32_t i);
void gr_bitset_free(gr_bitset *s);

#endif
