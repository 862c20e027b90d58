/*
 * diagram.h: relationship diagrams rendered through Graphviz's libraries
 * (libcgraph builds the graph, libgvc lays it out and renders it; the `dot`
 * program is never run).
 *
 * The visual language, for an investigator reading at a glance:
 *   - one shape and colour per label: Vessel blue rounded box, Port green
 *     house, Company amber box, Person purple ellipse, Cargo orange 3-D box,
 *     Sanction red octagon, Source grey note, anything else a slate hexagon;
 *   - a sanctioned entity (a SANCTIONED_UNDER edge or sanctioned=true) has a
 *     red double border and a red "SANCTIONED" line naming the programme;
 *   - ports are grouped in a box per country, titled with the country name;
 *   - an edge's style is the confidence of its strongest citation: confirmed
 *     solid, probable dashed, possible dotted, suspected dotted in amber and
 *     marked "?"; an uncited edge is thin and grey;
 *   - dated edges carry their dates ("2024-04-02", "2024-04-03..14") and the
 *     numbers of their sources ("[1,5]"), listed in the legend's key;
 *   - an AIS_GAP edge is drawn on its own: bold dashed grey, "AIS dark N days";
 *   - left to right (rankdir=LR), places visited later further right;
 *   - a title, and a legend listing only what the figure uses.
 * Source nodes are not drawn in the body (they would add a node and a line
 * for every citation); each claim carries its source numbers instead, and
 * the legend lists the sources (or counts them when there are many).
 *
 * Large subgraphs (more than EX_LARGE_NODES nodes or EX_LARGE_EDGES
 * relationships) are laid out with sfdp (force-directed); parallel
 * relationships of one type between the same two nodes are collapsed into
 * one edge labelled with their count, and only collapsed edges are labelled.
 *
 * Output is byte-identical for the same data and options: nodes and edges
 * are added in id order, Graphviz's version comment (SVG) and Cairo's
 * creation time (PDF) are replaced.
 * Text is escaped for Graphviz (HTML-like labels, XML character references);
 * the charset is UTF-8 and the font DejaVu Sans.
 */
#ifndef SG_DIAGRAM_H
#define SG_DIAGRAM_H

#include <stddef.h>
#include "../graph/graph.h"
#include "subgraph.h"

#define EX_LARGE_NODES 500
#define EX_LARGE_EDGES 1500

typedef struct ex_diagram_opts {
	const char *title;       /* the figure's title; NULL: "sanctgraph" */
	const char *subtitle;    /* a second line under it (the selection), or NULL */
	size_t large_nodes;      /* 0: EX_LARGE_NODES */
	size_t large_edges;      /* 0: EX_LARGE_EDGES */
	int for_report;          /* for the HTML report: no title (the page has it), and
	                          * the legend refers to the report's source list */
} ex_diagram_opts;

/* What rendering did, for the command to tell the user. */
typedef struct ex_diagram_info {
	int di_large;            /* laid out with sfdp as a large subgraph */
	size_t di_nodes;         /* nodes drawn */
	size_t di_edges;         /* relationships shown */
	size_t di_drawn_edges;   /* edges drawn after collapsing */
	size_t di_collapsed;     /* relationships folded into counted edges */
	size_t di_sources;       /* sources cited */
} ex_diagram_info;

/* Whether fmt is a format the diagram can be written in: svg, png, pdf, dot. */
int ex_diagram_format_ok(const char *fmt);
/* The format for path: its extension ("x.svg" -> "svg"), or "" when none. */
const char *ex_diagram_format_of(const char *path);

/* Renders a loaded subgraph (ex_subgraph_load) in format fmt into a
 * malloc'd buffer *out of *len bytes (the caller frees it).  info may be
 * NULL.  GR_EUSAGE: unknown format; GR_EINVALID: nothing to draw; GR_EIO:
 * Graphviz failed (its message is in err); GR_ENOMEM. */
int ex_diagram_render(gr_txn *txn, const ex_subgraph *sg, const char *fmt, const ex_diagram_opts *opts,
    char **out, size_t *len, ex_diagram_info *info, gr_error *err);

/* Renders as above and writes the result to `path` (format fmt, or from
 * path's extension when fmt is NULL).  The file is written under a
 * temporary name in the same directory and renamed, so a failure leaves no
 * partial file and an existing file untouched. */
int ex_diagram_write(gr_txn *txn, const ex_subgraph *sg, const char *path, const char *fmt,
    const ex_diagram_opts *opts, ex_diagram_info *info, gr_error *err);

/* Writes bytes to `path` through a temporary file in the same directory and
 * a rename.  GR_EIO with the reason in err. */
int ex_write_file(const char *path, const void *data, size_t len, gr_error *err);

/* Renders every node and relationship of the database to `path` (format
 * from the extension when NULL), titled `title`. */
int ex_diagram_all(gr_txn *txn, const char *path, const char *format, const char *title, gr_error *err);

#endif
