/*
 * import_ftm.h: what the two files of the FollowTheMoney importer share
 * (ingest/import_ftm.c: entities, datasets, deltas; ingest/import_ftm_links.c:
 * link schemata as relationships).  Internal to ingest/.
 */
#ifndef SG_IMPORT_FTM_H
#define SG_IMPORT_FTM_H

#include "../graph/cjson_dl.h"   /* cJSON, loaded on first use */
#include "ingest.h"
#include "ftm_said.h"

/* The datasets an entity came through, as its statements name them ("",
 * no Source, when it names none); the names point into the line. */
typedef struct ftm_sets {
	const char *fx_names[256];
	uint32_t fx_srcs[256];
	size_t fx_n;
} ftm_sets;

enum { IG_FTM_ADD = 0, IG_FTM_MOD, IG_FTM_DEL };

/* A Sanction node said in this import: what it was said with (its
 * properties' text) and the Sources cited so far, so that the same
 * programme said again by the next Sanction line is not merged again. */
typedef struct ig_ftm_program {
	uint32_t pg_id;            /* 0: not written yet */
	char *pg_print;
	size_t pg_plen;
	uint32_t *pg_cites;
	size_t pg_ncites;
} ig_ftm_program;

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
/* The nodes said again, whose references not given again lose the line's
 * statement: [u32 node][u32 line][u8 assert]. */
gr_buf *ig_ftm_sweep(ig_ftm *s);
/* The entity's datasets, their Sources made as needed. */
int ig_ftm_sets(ig_run *r, ig_ftm *s, const cJSON *ent, ftm_sets *o);
/* A statement of entity id through sets (ftm_said.h). */
void ig_ftm_say_init(ig_say *say, ig_run *r, const ig_file *f, const char *id, const ftm_sets *sets, int which,
    int assert, int existed);
/* The statement of a node line noted at offset off (names in *sets);
 * returns whether its node existed before the line. */
int ig_ftm_line_say(ig_run *r, ig_ftm *s, const ig_file *f, uint32_t off, int assert, ig_say *say, ftm_sets *sets);
/* Whether the database held no node before this import (nothing to look
 * up in the store). */
int ig_ftm_db_empty(const ig_ftm *s);
/* Whose statements a line of op replaces (IG_SAY_GIVEN or IG_SAY_ALL). */
int ig_ftm_which(int op, const ftm_sets *sets);
/* The cached name of property symbol key (gr_sym_name reads the store). */
const char *ig_ftm_sym_name(ig_run *r, uint16_t key, size_t *len);
/* The programme entry of Sanction node key, made on first use with print
 * (plen bytes); NULL when memory runs out. */
ig_ftm_program *ig_ftm_program_get(ig_run *r, ig_ftm *s, const char *key, const char *print, size_t plen);
/* Parses one line's JSON into the state's arena: the tree lives until
 * ig_ftm_parsed (or the next parse); never cJSON_Delete it. */
cJSON *ig_ftm_parse(ig_ftm *s, const char *text, size_t len);
void ig_ftm_parsed(ig_ftm *s);
/* Forgets the lines, references and sweeps of the first pass. */
void ig_ftm_pass_done(ig_ftm *s);

#endif
