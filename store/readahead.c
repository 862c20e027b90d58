/*
 * readahead.c: mapping data.mdb's pages in bulk once a process reads many
 * of them in one part of the file.
 *
 * LMDB reads through its memory map, so the first touch of each page by a
 * process is a page fault.  On the machines we run on (a guest whose page
 * tables the hypervisor shadows) a fault costs about 30 us whether it maps
 * one page or the 16 around it that the kernel maps at once (its
 * fault-around window, 64 KiB), while MADV_POPULATE_READ maps a run of
 * pages for under a microsecond each.  The first touch of a mapped page
 * still costs the hypervisor's share (measured: 4 us a page in sequence,
 * 12 us at random), but not the fault.  A query that reads thousands of
 * nodes' adjacency or edge blocks touches most windows of those tables,
 * one fault each; populating a table's region at once saves most of them.
 * A fresh import also lays each table out in key order, so keys read in
 * order are pages read in order.
 *
 * The file is cut into regions of 1 MiB (RA_REGION_SHIFT).  Each region
 * remembers which of its fault-around windows a read has landed in; when
 * a second window of a region is hit, the region is populated in one call
 * (a few faults' worth): two windows hit in one region predict the rest.
 * Nothing is tracked until a transaction has made RA_AFTER reads, so a
 * point query never pays for it.  Populating only maps pages that are
 * already in the file; it changes nothing the reader sees, and if the
 * kernel lacks MADV_POPULATE_READ the reads simply fault as before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#include "store_int.h"

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

#define RA_AFTER 512            /* reads in a transaction before tracking */
#define RA_REGION_SHIFT 20      /* 1 MiB regions */
#define RA_WIN_SHIFT 16         /* 64 KiB: the kernel's fault-around window */
#define RA_WINS (1u << (RA_REGION_SHIFT - RA_WIN_SHIFT))
#define RA_DONE 0x8000u         /* populated */

struct st_ra {
	uintptr_t lo, hi;           /* the map's part that holds the file */
	size_t nreg;
	uint32_t *reg;              /* per region: windows hit, RA_DONE */
	int off;                    /* unavailable: never try again */
};

static struct st_ra *ra_start(st_env *env)
{
	struct st_ra *ra = calloc(1, sizeof *ra);
	/* the part of LMDB's map that holds the file, as the store knows it */
	uintptr_t lo = (uintptr_t)env->e_map, hi = lo + (uintptr_t)env->e_file;
	env->e_ra = ra;
	if (!ra)
		return NULL;
	if (!env->e_map || hi - lo < 2 * ((uintptr_t)1 << RA_REGION_SHIFT)) {
		ra->off = 1;
		return ra;
	}
	ra->lo = lo;
	ra->hi = hi;
	ra->nreg = ((hi - lo) >> RA_REGION_SHIFT) + 1;
	/* zero pages until used: one region of the file per entry */
	if (!(ra->reg = calloc(ra->nreg, sizeof *ra->reg)))
		ra->off = 1;
	return ra;
}

void st_ra_note(st_txn *t, const void *p)
{
	st_env *env = t->t_env;
	struct st_ra *ra = env->e_ra;
	uintptr_t a = (uintptr_t)p, s, e;
	size_t r;
	uint32_t w;
	if (t->t_write)
		return;
	if (!ra) {
		if (++t->t_ra_reads < RA_AFTER)
			return;
		if (!(ra = ra_start(env)))
			return;
	}
	if (ra->off || a < ra->lo || a >= ra->hi)
		return;
	r = (a - ra->lo) >> RA_REGION_SHIFT;
	if (ra->reg[r] & RA_DONE)
		return;
	w = 1u << (((a - ra->lo) >> RA_WIN_SHIFT) & (RA_WINS - 1));
	if (!(ra->reg[r] & w) && (ra->reg[r] |= w) != w) {
		/* a second window of the region */
		s = ra->lo + (r << RA_REGION_SHIFT);
		e = s + ((uintptr_t)1 << RA_REGION_SHIFT);
		if (e > ra->hi)
			e = ra->hi;
		ra->reg[r] |= RA_DONE;
		if (madvise((void *)s, e - s, MADV_POPULATE_READ) != 0 && errno == EINVAL)
			ra->off = 1;
	}
}

void st_ra_free(st_env *env)
{
	if (env->e_ra) {
		free(env->e_ra->reg);
		free(env->e_ra);
		env->e_ra = NULL;
	}
}
