/*
 * ftm_said.h: which FollowTheMoney dataset said what (ingest/ftm_said.c).
 * Internal to ingest/.
 *
 * A node or relationship the FtM importer writes records, in its property
 * `ftm_said`, the statements made about it: for each FtM entity (its id)
 * and each dataset it came through, the values it gave (as 32-bit hashes of
 * property name and value).  Each string of the list is one group of
 * datasets that gave the same values:
 *
 *     HHHHHHHH... LEN:ID LEN:DATASET ...
 *
 * eight hex digits per value hash (sorted), then the entity id and the
 * datasets, each as its byte length, a colon and its bytes; the id is "@"
 * when it is the item's own (the node's key, the link's claim) and "~" for
 * the values the item held before any FtM line said anything about it
 * (another importer's, or a hand edit's), which no FtM line can take back.
 * The dataset "" stands for a line that names no datasets.  The export's
 * bookkeeping (first_seen, last_seen, last_change, target) and a link's
 * `claim` are restated by every line and not recorded.
 *
 * Saying again replaces: the values a statement no longer gives are removed
 * unless another statement (another dataset, another entity, or "before")
 * gives them too; a dataset that no longer says anything about the item
 * loses its citation; an item left with no citation gets `withdrawn`.
 */
#ifndef SG_FTM_SAID_H
#define SG_FTM_SAID_H

#include "ingest.h"

enum {
	IG_SAY_GIVEN = 0,   /* replaces the statements of the datasets given */
	IG_SAY_ALL = 1      /* replaces every dataset's statement of the entity (a MOD or DEL naming none) */
};

typedef struct ig_say {
	const char *sy_id;           /* the FtM entity id */
	const char *sy_self;         /* the item's own id (a node's key, a link's claim), written " @"; or NULL */
	const char *const *sy_sets;  /* the datasets it came through ("" for none) */
	const uint32_t *sy_srcs;     /* their Source nodes (0 for "") */
	size_t sy_nsets;
	int sy_which;                /* IG_SAY_GIVEN or IG_SAY_ALL */
	int sy_assert;               /* 1: the values of `in` are said; 0: nothing is (DEL, a link that moved) */
	int sy_existed;              /* the item existed before this line */
	int32_t sy_date;             /* `withdrawn` when no citation is left */
	/* the Source of dataset `ds` (0 when there is none) */
	uint32_t (*sy_source)(void *arg, const char *ds);
	void *sy_arg;
} ig_say;

/* What applying a statement did. */
typedef struct ig_said_result {
	size_t sr_values_removed, sr_cites_removed;
	int sr_withdrawn;            /* `withdrawn` was set now */
	int sr_had;                  /* the item held a statement of the entity before */
} ig_said_result;

/*
 * Applies `say` to an item whose properties are (*p, *np) and citations
 * (*c, *nc): the statements of the entity that it replaces go (with the
 * values and citations nobody else gives), then, with sy_assert, the
 * properties in[0..nin) are merged (a list gains the items it lacks, any
 * other value replaces the one held) and the datasets cited, confirmed.
 * `ftm_said` is rewritten.  Values of `in` are copied.  GR_OK or GR_ENOMEM
 * (reported through r).
 */
int ig_said_apply(ig_run *r, const ig_say *say, gr_prop **p, size_t *np, gr_cite **c, size_t *nc,
    const gr_prop *in, size_t nin, ig_said_result *res);

/* The record of a new item (nothing held before): `ftm_said` for the
 * properties it has, and the datasets cited, in place. */
int ig_said_fresh(ig_run *r, const ig_say *say, gr_prop **p, size_t *np, gr_cite **c, size_t *nc);

/* Whether the item's `ftm_said` holds a statement of entity `id`. */
int ig_said_has(ig_run *r, const gr_prop *p, size_t np, const char *id);

#endif
