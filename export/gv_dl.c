/*
 * gv_dl.c: Graphviz loaded on first use (gv_dl.h).
 */
#include <stdio.h>
#include <string.h>

#define EX_GV_DL_IMPL
#include "../store/dl.h"
#include "gv_dl.h"

ex_gv_api ex_gv;

int ex_gv_load(char *why, size_t n)
{
	static int state;          /* 0 not tried, 1 loaded, -1 failed */
	static char failed[256];
	/* libgvc depends on libcgraph: one handle resolves both. */
	static const char *const names[] = { "libgvc.so.6", NULL };
	if (state == 0) {
		ex_gv_api a;
		const sg_dlsym syms[] = {
			{ "agopen", (void **)&a.agopen }, { "agclose", (void **)&a.agclose },
			{ "agwrite", (void **)&a.agwrite }, { "agnode", (void **)&a.agnode },
			{ "agsubnode", (void **)&a.agsubnode }, { "agedge", (void **)&a.agedge },
			{ "agstrdup", (void **)&a.agstrdup }, { "agstrdup_html", (void **)&a.agstrdup_html }, { "agstrbind", (void **)&a.agstrbind },
			{ "agstrfree", (void **)&a.agstrfree }, { "agattr", (void **)&a.agattr },
			{ "agsafeset", (void **)&a.agsafeset }, { "agsubg", (void **)&a.agsubg },
			{ "agseterr", (void **)&a.agseterr }, { "agseterrf", (void **)&a.agseterrf },
			{ "Agdirected", (void **)&a.directed }, { "AgMemDisc", (void **)&a.memdisc },
			{ "AgIoDisc", (void **)&a.iodisc }, { "gvContext", (void **)&a.gvContext },
			{ "gvLayout", (void **)&a.gvLayout }, { "gvRenderData", (void **)&a.gvRenderData },
			{ "gvFreeRenderData", (void **)&a.gvFreeRenderData },
			{ "gvFreeLayout", (void **)&a.gvFreeLayout }, { "gvFreeContext", (void **)&a.gvFreeContext },
		};
		if (sg_dl_open(names, syms, sizeof syms / sizeof syms[0], failed, sizeof failed) == 0) {
			ex_gv = a;
			state = 1;
		} else {
			state = -1;
		}
	}
	if (state < 0) {
		snprintf(why, n, "Graphviz is not usable: %s", failed);
		return -1;
	}
	return 0;
}
