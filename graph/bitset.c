/*
 * bitset.c: the growable id bitmap of bitset.h.
 */
#include <stdlib.h>
#include <string.h>

#include "bitset.h"

int gr_bitset_add(gr_bitset *s, uint32_t i)
{
	size_t wi = i / 64;
	int was;
	if (wi >= s->n) {
		size_t n = s->n ? s->n : 64;
		while (n <= wi)
			n *= 2;
		uint64_t *nw = realloc(s->w, n * sizeof *nw);
		if (!nw)
			return -1;
		memset(nw + s->n, 0, (n - s->n) * sizeof *nw);
		s->w = nw;
		s->n = n;
	}
	was = (s->w[wi] >> (i % 64)) & 1;
	s->w[wi] |= (uint64_t)1 << (i % 64);
	return was;
}

int gr_bitset_has(const gr_bitset *s, uint32_t i)
{
	return i / 64 < s->n && ((s->w[i / 64] >> (i % 64)) & 1);
}

void gr_bitset_free(gr_bitset *s)
{
	free(s->w);
	s->w = NULL;
	s->n = 0;
}
