/*
 * bigmem.h: memory for the big arrays of a bulk import (pending adjacency,
 * sort buffers), where pages are the cost.
 *
 * On the virtual machines sanctgraph runs on, the first touch of a fresh
 * 4 KiB page costs about 10 us, so an array of 100 MiB costs a quarter of a
 * second before it holds anything.  Arrays of 1 MiB and more are anonymous
 * mappings that ask for transparent huge pages (one fault per 2 MiB) and
 * grow with mremap (no copy, no fresh pages for the old contents).  Smaller
 * ones come from malloc.  Contents beyond what was there are zero.
 */
#ifndef SG_BIGMEM_H
#define SG_BIGMEM_H

#include <stddef.h>

/* n bytes, zeroed; NULL when out of memory. */
void *st_big_alloc(size_t n);
/* p (from st_big_alloc, or NULL) resized to n bytes, the new part zeroed;
 * NULL when out of memory, and then p is unchanged. */
void *st_big_realloc(void *p, size_t n);
void st_big_free(void *p);


/* For a bulk import: malloc's heap grows in big steps and is never given
 * back, and st_big_heap_hint, called often, asks for huge pages for what it
 * has grown by (LMDB takes each dirty page of a write from malloc).  The
 * settings hold for the rest of the process. */
void st_big_heap_setup(void);
void st_big_heap_hint(void);

#endif
