/*
 * diagram.h: relationship diagrams rendered through Graphviz's libraries
 * (libcgraph builds the graph, libgvc lays it out and renders it).
 */
#ifndef SG_DIAGRAM_H
#define SG_DIAGRAM_H

#include "../graph/graph.h"

/* Renders every node and relationship of the database to `path`.  format is
 * "svg", "png", "pdf" or "dot", or NULL to take it from path's extension.
 * The file is written to a temporary name and renamed, so a failure leaves
 * no partial file.  Returns GR_OK or an error in err. */
int ex_diagram_all(gr_txn *txn, const char *path, const char *format, const char *title, gr_error *err);

#endif
