/*
 * citing.c: the claims that cite a source (see citing.h).
 */
#include <stdlib.h>

#include "graph_int.h"
#include "citing.h"

typedef struct citing_list {
	gr_citing *c;
	size_t n, cap;
	int oom;
} citing_list;

static int collect(void *arg, const st_cite *c)
{
	citing_list *l = arg;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		gr_citing *nc = realloc(l->c, cap * sizeof *nc);
		if (!nc) {
			l->oom = 1;
			return 1;
		}
		l->c = nc;
		l->cap = cap;
	}
	l->c[l->n++] = (gr_citing){ (char)c->c_kind, c->c_id, c->c_src, c->c_conf };
	return 0;
}

static int order(const void *a, const void *b)
{
	const gr_citing *x = a, *y = b;
	if (x->ci_kind != y->ci_kind)
		return x->ci_kind == 'n' ? -1 : 1;
	return x->ci_id < y->ci_id ? -1 : x->ci_id > y->ci_id;
}

int gr_cited_by(gr_txn *t, uint32_t source, gr_citing **out, size_t *n, gr_error *err)
{
	citing_list l = { 0 };
	int rc = st_cite_scan(t->x_st, source, collect, &l);
	*out = NULL;
	*n = 0;
	if (l.oom) {
		free(l.c);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	if (rc < 0) {
		free(l.c);
		return gr_st_err(rc, err, "citations");
	}
	if (l.n)
		qsort(l.c, l.n, sizeof *l.c, order);
	*out = l.c;
	*n = l.n;
	return GR_OK;
}
