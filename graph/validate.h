/*
 * validate.h: the checks at the door for the built-in schema (contract,
 * Data model), beyond the identifier checks of domain.h:
 *
 *   - temporal properties (date, start, end, since, until, listed,
 *     delisted) of built-in relationship types and of Source nodes hold a
 *     date or datetime; a partial date "2024-04" or "2024" (or the integer
 *     2024) becomes the first day of its period in date/start/since/listed,
 *     the last in end/until/delisted, and the record gets `precision`
 *     ("month" or "year", the coarser when both occur); start <= end;
 *   - built-in relationship types connect the labels of the contract's
 *     table (CALLED_AT: Vessel -> Port, ...);
 *   - imo, mmsi and call_sign are strings (an integer becomes its digits);
 *     a Vessel key "IMO 9161003", "imo9161003" or "9161003" becomes
 *     "IMO9161003", and such an `imo` becomes "9161003";
 *   - at the command line and in imports only (not Cypher): a label or type
 *     that differs from a built-in one only in case, or by one typo in a
 *     name of five letters or more, is refused, naming the built-in.
 * Messages name the record and the field.
 */
#ifndef SG_VALIDATE_H
#define SG_VALIDATE_H

#include "graph.h"

/* Normalises (partial dates) and checks edge e; err names the relationship
 * and the field. */
int gr_edge_check(gr_txn *t, gr_edge *e, gr_error *err);
/* Normalises node n: identifiers to strings, IMO forms, Source dates
 * (gr_node_check then checks the values). */
int gr_node_normalise(gr_txn *t, gr_node *n, gr_error *err);
/* A Vessel key in IMO form ("IMO 9161003", "imo9161003", "9161003") as
 * "IMO9161003" into out (at least 11 bytes): 1 when that differs from the
 * key, 0 when the key is already so, -1 when it is not in IMO form. */
int gr_imo_key_normalise(const char *key, size_t len, char *out);

/* Whether `name` is a near miss of a built-in label (is_type 0) or type
 * (1): 1 and the built-in in *builtin, else 0 (exact built-ins and names
 * far from all of them are fine). */
int gr_builtin_near_miss(const char *name, size_t len, int is_type, const char **builtin);
/* The same, as an error "label vessel: did you mean Vessel? ..." (GR_OK
 * when the name is fine). */
int gr_builtin_name_check(const char *name, size_t len, int is_type, gr_error *err);

/* A partial or full date: "2024-04-02" (also a datetime text), "2024-04",
 * "2024".  last: the last day of a partial period.  Returns 0 with the
 * value (date or datetime) and *precision (NULL, "month", "year"), or -1. */
int gr_parse_partial_date(const char *s, size_t len, int last, gr_value *out, const char **precision);

#endif
