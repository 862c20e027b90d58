/*
 * citing.h: what cites a source: the nodes and relationships (claims) that
 * name it among their citations, read from the citation index.
 */
#ifndef SG_CITING_H
#define SG_CITING_H

#include "graph.h"

typedef struct gr_citing {
	char ci_kind;        /* 'n' node, 'e' relationship */
	uint32_t ci_id;      /* the node, or the relationship */
	uint32_t ci_src;     /* a relationship's start node; 0 for a node */
	uint8_t ci_conf;     /* the citation's confidence */
} gr_citing;

/* The items citing `source`, nodes first then relationships, each by id;
 * *out is malloc'd (free() it).  Returns GR_OK, GR_ENOMEM or GR_EIO. */
int gr_cited_by(gr_txn *txn, uint32_t source, gr_citing **out, size_t *n, gr_error *err);

#endif
