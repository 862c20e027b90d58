/*
 * ofac.h: what ingest/import_ofac.c and ingest/ofac_remarks.c share: an
 * SDN entry as read from the files, before it becomes a node.
 *
 * Ownership: an of_entry owns its strings, its property set and its lists;
 * of_entry_free releases them.  Values given to of_set/of_push are taken.
 */
#ifndef SG_OFAC_H
#define SG_OFAC_H

#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

/* SDN_Type, as the node label it becomes. */
enum { OT_COMPANY = 0, OT_PERSON, OT_VESSEL, OT_AIRCRAFT };

/* Properties by name, in the order first set (a node's props are sorted
 * by symbol later). */
typedef struct of_props {
	char **p_names;
	gr_value *p_vals;
	size_t p_n, p_cap;
} of_props;

/* Sets name to v (replacing).  Returns 0, or -1 when out of memory (v is
 * freed either way on failure). */
int of_set(of_props *ps, const char *name, gr_value v);
/* Appends v to the list property name (made when absent); a string already
 * in the list is not added twice.  0 or -1 (out of memory). */
int of_push(of_props *ps, const char *name, gr_value v);
const gr_value *of_get(const of_props *ps, const char *name);
void of_props_free(of_props *ps);

/* A "Linked To: NAME" of the Remarks. */
typedef struct of_link {
	char *l_name;
	int l_final;             /* the last remark: a final '.' may be the remark's */
} of_link;

typedef struct of_entry {
	const ig_file *e_file;
	uint64_t e_line;
	uint32_t e_num;          /* ent_num */
	int e_type;              /* OT_* */
	char *e_name;
	char e_key[24];          /* "IMO9161003" or "ofac-37095" */
	of_props e_props;
	char **e_programs;
	size_t e_nprograms;
	of_link *e_links;
	size_t e_nlinks;
	char *e_remarks;         /* sdn.csv's Remarks, then sdn_comments.csv's */
	size_t e_remarks_len;
	uint32_t e_node;         /* the node, once written */
} of_entry;

void of_entry_free(of_entry *e);

/* Called for each country name that has no ISO code. */
typedef int (*of_unknown_fn)(void *arg, const of_entry *e, const char *what, const char *text, size_t len);

/*
 * Reads e->e_remarks into e: the IMO number (the key of a vessel),
 * MMSI, aliases (a.k.a.), past names (f.k.a.), former and other flags,
 * year of build, other call signs and types, national registry numbers,
 * nationality and citizenship (people), the country of registration
 * (entities), aircraft model, tail number and serial, and the "Linked To"
 * names.  A country name without an ISO code is kept as `<prop>_raw` and
 * passed to unknown().  Returns 0, or -1 when out of memory.
 */
int of_parse_remarks(of_entry *e, of_unknown_fn unknown, void *arg);

/* An IMO number: 7 digits with a valid check digit. */
int of_imo_ok(const char *s, size_t len);

#endif
