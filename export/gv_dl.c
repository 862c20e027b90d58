/*
 * gv_dl.c: Graphviz loaded on first use (gv_dl.h).
 */
#include <stdio.h>
#include <string.h>

#define EX_GV_DL_IMPL
#include "../graph/dl.h"
#include "gv_dl.h"

ex_gv_api ex_gv;

int ex_gv_load(char *why, size_t n)
{
	static sg_dllib lib;
	/* libgvc depends on libcgraph: one handle resolves both. */
	static const char *const names[] = { "libgvc.so.6", NULL };
	if (lib.state == 0) {
		const sg_dlsym syms[] = {
			{ "agopen", (void **)&ex_gv.agopen }, { "agclose", (void **)&ex_gv.agclose },
			{ "agwrite", (void **)&ex_gv.agwrite }, { "agnode", (void **)&ex_gv.agnode },
			{ "agsubnode", (void **)&ex_gv.agsubnode }, { "agedge", (void **)&ex_gv.agedge },
			{ "agstrdup", (void **)&ex_gv.agstrdup }, { "agstrdup_html", (void **)&ex_gv.agstrdup_html }, { "agstrbind", (void **)&ex_gv.agstrbind },
			{ "agstrfree", (void **)&ex_gv.agstrfree }, { "agattr", (void **)&ex_gv.agattr },
			{ "agsafeset", (void **)&ex_gv.agsafeset }, { "agsubg", (void **)&ex_gv.agsubg },
			{ "agseterr", (void **)&ex_gv.agseterr }, { "agseterrf", (void **)&ex_gv.agseterrf },
			{ "Agdirected", (void **)&ex_gv.directed }, { "AgMemDisc", (void **)&ex_gv.memdisc },
			{ "AgIoDisc", (void **)&ex_gv.iodisc }, { "gvContext", (void **)&ex_gv.gvContext },
			{ "gvLayout", (void **)&ex_gv.gvLayout }, { "gvRenderData", (void **)&ex_gv.gvRenderData },
			{ "gvFreeRenderData", (void **)&ex_gv.gvFreeRenderData },
			{ "gvFreeLayout", (void **)&ex_gv.gvFreeLayout }, { "gvFreeContext", (void **)&ex_gv.gvFreeContext },
		};
		sg_dl_once(&lib, names, syms, sizeof syms / sizeof syms[0]);
	}
	if (lib.state < 0) {
		snprintf(why, n, "Graphviz is not usable: %s", lib.why);
		return -1;
	}
	return 0;
}
