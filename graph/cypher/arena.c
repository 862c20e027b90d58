/*
 * arena.c: the arena of arena.h.  An allocation larger than ARENA_BIG gets
 * a block of its own, marked as such, so that cy_arena_grow can resize it
 * in place and cy_arena_release can give it back.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_SMALL 4000          /* a block with its header: one page */
#define ARENA_LARGE (32 * 1024)   /* blocks after the first ARENA_NSMALL */
#define ARENA_NSMALL 8
#define ARENA_BIG 1024            /* larger allocations get a block of their own */

struct cy_arena_block {
	cy_arena_block *next;
	size_t used, size;
	int big;                      /* holds one big allocation */
	_Alignas(16) unsigned char data[];
};

cy_arena *cy_arena_new(void)
{
	return calloc(1, sizeof(cy_arena));
}

void cy_arena_clear(cy_arena *a)
{
	cy_arena_block *b = a->head;
	while (b) {
		cy_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->blocks = 0;
}

void cy_arena_free(cy_arena *a)
{
	if (a == NULL)
		return;
	cy_arena_clear(a);
	free(a);
}

static cy_arena_block *block_new(size_t size, int big)
{
	cy_arena_block *b = malloc(sizeof *b + size);
	if (b) {
		b->used = big ? size : 0;
		b->size = size;
		b->big = big;
	}
	return b;
}

void *cy_arena_alloc(cy_arena *a, size_t n)
{
	cy_arena_block *b = a->head;
	void *p;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = n ? (n + 15) & ~(size_t)15 : 16;
	if (n > ARENA_BIG) {
		/* behind the current block, which keeps taking small ones */
		cy_arena_block *big = block_new(n, 1);
		if (big == NULL)
			return NULL;
		if (b && !b->big) {
			big->next = b->next;
			b->next = big;
		} else {
			big->next = b;
			a->head = big;
		}
		memset(big->data, 0, n);
		return big->data;
	}
	if (b == NULL || b->big || b->size - b->used < n) {
		if ((b = block_new(a->blocks < ARENA_NSMALL ? ARENA_SMALL : ARENA_LARGE, 0)) == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->blocks++;
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *cy_arena_strndup(cy_arena *a, const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? cy_arena_alloc(a, n + 1) : NULL;
	if (p && n)
		memcpy(p, s, n);
	return p;
}

/* The block of its own that holds the big allocation at p, or NULL; *prev
 * receives the link that points to it. */
static cy_arena_block *big_block_of(cy_arena *a, void *p, cy_arena_block ***prev)
{
	for (cy_arena_block **l = &a->head; *l; l = &(*l)->next)
		if ((*l)->big && (*l)->data == p) {
			*prev = l;
			return *l;
		}
	return NULL;
}

void cy_arena_release(cy_arena *a, void *p)
{
	cy_arena_block **link, *b;
	if (a && p && (b = big_block_of(a, p, &link))) {
		*link = b->next;
		free(b);
	}
}

void *cy_arena_grow(cy_arena *a, void *old, size_t n, size_t cap, size_t elem)
{
	cy_arena_block **link, *b;
	size_t want;
	void *p;
	assert(cap >= n);
	if (elem == 0 || cap > SIZE_MAX / elem || cap * elem > SIZE_MAX / 2)
		return NULL;
	/* An array grown by doubling would leave every smaller copy behind
	 * in the arena (the token array of a long query: twice its size);
	 * one that already has its own block is resized in place instead. */
	want = (cap * elem + 15) & ~(size_t)15;
	if (old && want > ARENA_BIG && (b = big_block_of(a, old, &link))) {
		cy_arena_block *nb = realloc(b, sizeof *nb + want);
		if (nb == NULL)
			return NULL;
		if (want > nb->size)
			memset(nb->data + nb->size, 0, want - nb->size);
		nb->used = nb->size = want;
		*link = nb;
		return nb->data;
	}
	p = cy_arena_alloc(a, cap * elem);
	if (p && n)
		memcpy(p, old, n * elem);
	return p;
}
