/*
 * arena.h: zeroed allocations that live until their arena is cleared.
 * The front end's tree (one arena a script) and a plan's operators (one a
 * statement) live in one each.
 *
 * The first blocks are a page each, larger ones follow: most of a point
 * query's memory is pages a new process touches for the first time (about
 * 10 us each on the virtual machines it is measured on), so a small
 * statement should touch few, while a large one still gets large blocks.
 */
#ifndef CY_ARENA_H
#define CY_ARENA_H

#include <stddef.h>

typedef struct cy_arena_block cy_arena_block;
typedef struct cy_arena {
	cy_arena_block *head;     /* the newest block first */
	size_t blocks;            /* ordinary blocks made */
} cy_arena;                   /* all zero: empty */

cy_arena *cy_arena_new(void);
void cy_arena_free(cy_arena *a);
/* Frees every block; the arena is empty again. */
void cy_arena_clear(cy_arena *a);
/* n zeroed bytes, 16-aligned; NULL on ENOMEM. */
void *cy_arena_alloc(cy_arena *a, size_t n);
char *cy_arena_strndup(cy_arena *a, const char *s, size_t n);
/* A copy of the n-element array old with room for cap elements. */
void *cy_arena_grow(cy_arena *a, void *old, size_t n, size_t cap, size_t elem);
/* Gives back p early when it has a block of its own (a big array that is no
 * longer needed, as the tokens once parsed); else it stays until the end. */
void cy_arena_release(cy_arena *a, void *p);

#endif
