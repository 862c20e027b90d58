/*
 * import_ftm.h: what the two files of the FollowTheMoney importer share
 * (ingest/import_ftm.c: entities, datasets, deltas; ingest/import_ftm_links.c:
 * link schemata as relationships).  Internal to ingest/.
 */
#ifndef SG_IMPORT_FTM_H
#define SG_IMPORT_FTM_H

#include "../graph/cjson_dl.h"   /* cJSON, loaded on first use */
#include "ingest.h"

/* Whether schema is a link schema (Ownership, Sanction, Family ...) that
 * becomes a relationship rather than a node. */
int ig_ftm_link(const char *schema);
/* The relationship type of a node schema's entity reference property
 * (addressEntity -> HAS_ADDRESS, holder -> HELD_BY, parent -> PART_OF),
 * or NULL. */
const char *ig_ftm_ref_type(const char *prop);
/* The second pass over f: its link lines and the node references noted. */
int ig_ftm_links(ig_run *r, ig_ftm *s, const ig_file *f);

/* From import_ftm.c, for the second pass. */
int ig_ftm_resolve(ig_run *r, ig_ftm *s, const char *text, uint32_t *id);
int ig_ftm_cites(ig_run *r, ig_ftm *s, const cJSON *ent, gr_cite **c, size_t *nc);
void ig_ftm_note(ig_run *r, const ig_file *f, uint64_t line, const char *msg);
void ig_ftm_sg_name(const char *ftm, char *out, size_t n);
gr_value ig_ftm_value(const char *prop, const char *s);
int ig_ftm_prop_put(ig_run *r, gr_prop **p, size_t *np, const char *name, gr_value v);
/* The first pending link line of f at or after index i: its index, or
 * (size_t)-1 when none is left. */
size_t ig_ftm_pending(const ig_ftm *s, const ig_file *f, size_t i, size_t *off, size_t *len, uint64_t *line, int *op);
const gr_buf *ig_ftm_refs(const ig_ftm *s);

#endif
