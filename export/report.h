/*
 * report.h: an evidence report as one self-contained HTML file.
 *
 * The report holds a title and a summary (counts, date range, sanctioned
 * entities), the diagram as inline SVG (diagram.h, rendered in memory), a
 * timeline of the dated claims in chronological order, a table of every
 * claim shown (subject, relation, object, dates, confidence) with numbered
 * citations [n], the entities shown with their identifiers and properties,
 * and the list of those sources (publisher, kind, date, URL, SHA-256 of the
 * archived document when recorded).  It carries its own
 * style sheet, with a print style for A4, and loads nothing: no scripts,
 * fonts, style sheets or images from elsewhere; only the sources' own URLs
 * are links.  Every piece of user text is HTML-escaped; a URL becomes a
 * link only when it is http or https.  The same data and options give the
 * same bytes.
 */
#ifndef SG_REPORT_H
#define SG_REPORT_H

#include <stddef.h>
#include "../graph/graph.h"
#include "subgraph.h"
#include "diagram.h"

typedef struct ex_report_opts {
	const char *title;       /* NULL: "Evidence report" */
	const char *selection;   /* how the subgraph was chosen, shown under the title, or NULL */
} ex_report_opts;

/* Builds the report of a loaded subgraph into a malloc'd NUL-terminated
 * buffer *out of *len bytes (the caller frees it).  info (may be NULL)
 * receives what the diagram did.  GR_EINVALID: the selection has no nodes;
 * GR_EIO: Graphviz failed; GR_ENOMEM. */
int ex_report_render(gr_txn *txn, const ex_subgraph *sg, const ex_report_opts *opts,
    char **out, size_t *len, ex_diagram_info *info, gr_error *err);

/* Renders the report and writes it to path through a temporary file and a
 * rename: a failure leaves no partial file. */
int ex_report_write(gr_txn *txn, const ex_subgraph *sg, const char *path, const ex_report_opts *opts,
    ex_diagram_info *info, gr_error *err);

#endif
