/*
 * ftm_links.h: FollowTheMoney's link schemata and the relationship types
 * they are here, one table for the FtM importer and exporter alike.
 */
#ifndef SG_FTM_LINKS_H
#define SG_FTM_LINKS_H

typedef struct gr_ftm_link {
	const char *schema;     /* the FtM schema: "Ownership" */
	const char *from, *to;  /* its properties naming the two ends (to NULL:
	                         * a Sanction, whose other end is its program) */
	const char *type;       /* the relationship type: "OWNED_BY" */
} gr_ftm_link;

/* The link schema of an FtM entity, or NULL when its schema is none. */
const gr_ftm_link *gr_ftm_link_by_schema(const char *schema);
/* The schema a relationship of `type` is written as, or NULL: LINKED_TO by
 * the schema it came from (ftm_schema, when one of LINKED_TO's), else as an
 * UnknownLink. */
const gr_ftm_link *gr_ftm_link_by_type(const char *type, const char *ftm_schema);

#endif
