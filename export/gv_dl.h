/*
 * gv_dl.h: the part of Graphviz (libgvc, libcgraph) that diagram.c uses,
 * loaded on first use (store/dl.h) so that commands which draw nothing do
 * not pay for it at start-up.  Include this instead of <graphviz/gvc.h>
 * and call ex_gv_load() before any other Graphviz name.
 */
#ifndef SG_GV_DL_H
#define SG_GV_DL_H

#include <stddef.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

typedef struct ex_gv_api {
	Agraph_t *(*agopen)(char *, Agdesc_t, Agdisc_t *);
	int (*agclose)(Agraph_t *);
	int (*agwrite)(Agraph_t *, void *);
	Agnode_t *(*agnode)(Agraph_t *, char *, int);
	Agnode_t *(*agsubnode)(Agraph_t *, Agnode_t *, int);
	Agedge_t *(*agedge)(Agraph_t *, Agnode_t *, Agnode_t *, char *, int);
	char *(*agstrdup)(Agraph_t *, char *);
	char *(*agstrdup_html)(Agraph_t *, char *);
	char *(*agstrbind)(Agraph_t *, char *);
	int (*agstrfree)(Agraph_t *, char *);
	Agsym_t *(*agattr)(Agraph_t *, int, char *, char *);
	int (*agsafeset)(void *, char *, char *, char *);
	Agraph_t *(*agsubg)(Agraph_t *, char *, int);
	agerrlevel_t (*agseterr)(agerrlevel_t);
	agusererrf (*agseterrf)(agusererrf);
	Agdesc_t *directed;
	Agmemdisc_t *memdisc;
	Agiodisc_t *iodisc;
	GVC_t *(*gvContext)(void);
	int (*gvLayout)(GVC_t *, graph_t *, const char *);
	int (*gvRenderData)(GVC_t *, graph_t *, const char *, char **, unsigned int *);
	void (*gvFreeRenderData)(char *);
	int (*gvFreeLayout)(GVC_t *, graph_t *);
	int (*gvFreeContext)(GVC_t *);
} ex_gv_api;

extern ex_gv_api ex_gv;

/* Loads Graphviz once; 0, or -1 with why filled. */
int ex_gv_load(char *why, size_t n);

/* gv_dl.c itself fills the table by these names. */
#ifndef EX_GV_DL_IMPL
#define agopen ex_gv.agopen
#define agclose ex_gv.agclose
#define agwrite ex_gv.agwrite
#define agnode ex_gv.agnode
#define agsubnode ex_gv.agsubnode
#define agedge ex_gv.agedge
#define agstrdup ex_gv.agstrdup
#define agstrdup_html ex_gv.agstrdup_html
#define agstrbind ex_gv.agstrbind
#define agstrfree ex_gv.agstrfree
#define agattr ex_gv.agattr
#define agsafeset ex_gv.agsafeset
#define agsubg ex_gv.agsubg
#define agseterr ex_gv.agseterr
#define agseterrf ex_gv.agseterrf
#define Agdirected (*ex_gv.directed)
#define AgMemDisc (*ex_gv.memdisc)
#define AgIoDisc (*ex_gv.iodisc)
#define gvContext ex_gv.gvContext
#define gvLayout ex_gv.gvLayout
#define gvRenderData ex_gv.gvRenderData
#define gvFreeRenderData ex_gv.gvFreeRenderData
#define gvFreeLayout ex_gv.gvFreeLayout
#define gvFreeContext ex_gv.gvFreeContext
#endif

#endif
