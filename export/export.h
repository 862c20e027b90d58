/*
 * export.h: writing the graph in other forms.
 *
 * export/export_jsonl.c  the native JSONL format that `import` reads back
 *                        exactly (ingest/ingest.h describes the format and
 *                        its typed-value convention)
 *
 * Exporters read through a gr_txn (a read transaction gives a consistent
 * snapshot) and write to a stdio stream; they know nothing of argv.
 * Errors: GR_OK or a negative GR_E* code with the message in a gr_error.
 */
#ifndef SG_EXPORT_H
#define SG_EXPORT_H

#include <stdio.h>
#include "../graph/graph.h"

/*
 * Writes the whole graph as native JSONL to `out`: first the nodes that
 * have the label Source, then the other nodes, each group in node id
 * order; then, for Source nodes that cite a Source written after them, a
 * line adding those citations; then the relationships, grouped by start
 * node in the order the nodes were written, and within one start node by
 * type name, end node (in written order) and relationship id.  Properties
 * are written sorted by name, labels and citations in their stored order.
 * The output depends only on the stored graph, not on its node, edge or
 * symbol ids, so export(import(export(db))) == export(db) byte for byte.
 *
 * Returns GR_OK; GR_EIO when writing fails (errno says why); GR_ENOMEM;
 * GR_ECORRUPT when a stored record cannot be decoded.
 */
int ex_jsonl(gr_txn *txn, FILE *out, gr_error *err);

/*
 * Appends the JSONL form of property value v to b: plain JSON where it
 * reads back to the same value (integers exact, floats in their shortest
 * exact form and always with a '.' or an exponent, dates and datetimes as
 * ISO-8601 strings), typed wrappers where it would not: {"$string":...}
 * for a string that reads as a date or datetime, {"$duration":...},
 * {"$float":"NaN"} and the infinities, {"$map":{...}}.
 * Returns 0, or -1 when out of memory or v is not a property value (a
 * node, relationship or path).
 */
int ex_jsonl_value(gr_buf *b, const gr_value *v);

/*
 * Writes the shortest decimal text that strtod() reads back as exactly d
 * (finite d) into buf (at least 32 bytes), with ".0" added when it would
 * otherwise read as an integer ("5.0", "-0.0", "1e+300").  Returns its
 * length.
 */
size_t ex_format_float(double d, char *buf);

#endif
