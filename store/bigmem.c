/*
 * bigmem.c: big arrays in huge-page mappings (bigmem.h).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bigmem.h"

/* Every block starts with this header (64 bytes keeps the caller's data
 * aligned for anything): its usable size and whether it is a mapping. */
typedef struct big_head {
	size_t bh_size;     /* usable bytes after the header */
	size_t bh_mapped;   /* 1: mmap'd, 0: malloc'd */
	unsigned char bh_pad[48];
} big_head;

#define BIG_MAP_MIN ((size_t)1 << 20)
#define BIG_HUGE ((size_t)2 << 20)

static size_t map_len(size_t n)
{
	/* whole huge pages, so that the kernel can back all of it with them */
	return (n + sizeof(big_head) + BIG_HUGE - 1) & ~(BIG_HUGE - 1);
}

static big_head *map_new(size_t n)
{
	size_t len = map_len(n);
	void *p;
	if (len < n)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	madvise(p, len, MADV_HUGEPAGE);   /* a hint: refused, the pages are small */
	((big_head *)p)->bh_size = len - sizeof(big_head);
	((big_head *)p)->bh_mapped = 1;
	return p;
}

void *st_big_alloc(size_t n)
{
	big_head *h;
	if (n >= BIG_MAP_MIN)
		h = map_new(n);
	else if ((h = calloc(1, sizeof *h + n)) != NULL)
		h->bh_size = n;
	return h ? h + 1 : NULL;
}

void *st_big_realloc(void *p, size_t n)
{
	big_head *h, *nh;
	size_t old;
	if (!p)
		return st_big_alloc(n);
	h = (big_head *)p - 1;
	old = h->bh_size;
	if (n <= old)
		return p;
	if (h->bh_mapped) {
		size_t len = map_len(n);
		void *q;
		if (len < n)
			return NULL;
		q = mremap(h, old + sizeof *h, len, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			return NULL;
		madvise(q, len, MADV_HUGEPAGE);
		nh = q;
		nh->bh_size = len - sizeof *nh;
		return nh + 1;
	}
	if (n >= BIG_MAP_MIN) {
		if (!(nh = map_new(n)))
			return NULL;
		memcpy(nh + 1, p, old);
		free(h);
		return nh + 1;
	}
	if (!(nh = realloc(h, sizeof *nh + n)))
		return NULL;
	memset((unsigned char *)(nh + 1) + old, 0, n - old);
	nh->bh_size = n;
	return nh + 1;
}

void st_big_free(void *p)
{
	big_head *h;
	if (!p)
		return;
	h = (big_head *)p - 1;
	if (h->bh_mapped)
		munmap(h, h->bh_size + sizeof *h);
	else
		free(h);
}

/* The heap's end up to which huge pages were asked for; 0: not set up. */
static uintptr_t heap_advised;

#define HEAP_STEP ((size_t)64 << 20)

void st_big_heap_setup(void)
{
	if (heap_advised)
		return;
	/* grow 64 MiB at a time, so that most of each step is untouched when
	 * it is advised; keep freed memory (the next phase reuses it: fresh
	 * pages are what cost); big blocks from the heap, not new mappings */
	mallopt(M_TOP_PAD, (int)HEAP_STEP);
	mallopt(M_TRIM_THRESHOLD, INT_MAX);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	heap_advised = (uintptr_t)sbrk(0);
	st_big_heap_hint();
}

void st_big_heap_hint(void)
{
	uintptr_t top, from;
	if (!heap_advised)
		return;
	top = (uintptr_t)sbrk(0);
	if (top <= heap_advised)
		return;
	/* the kernel backs each whole 2 MiB of it not yet touched */
	from = heap_advised & ~(uintptr_t)4095;
	madvise((void *)from, top - from, MADV_HUGEPAGE);
	heap_advised = top;
}
