/*
 * ftm_links.c: FollowTheMoney's link schemata (ftm_links.h), as
 * followthemoney's schema YAML files name their end properties.
 */
#include <stddef.h>
#include <string.h>

#include "ftm_links.h"

static const gr_ftm_link links[] = {
	{ "Ownership", "asset", "owner", "OWNED_BY" },
	{ "Directorship", "director", "organization", "DIRECTOR_OF" },
	{ "Sanction", "entity", NULL, "SANCTIONED_UNDER" },
	{ "UnknownLink", "subject", "object", "LINKED_TO" },   /* LINKED_TO's default */
	{ "Associate", "person", "associate", "LINKED_TO" },
	{ "Family", "person", "relative", "LINKED_TO" },
	{ "Representation", "agent", "client", "LINKED_TO" },
	{ "Employment", "employee", "employer", "EMPLOYED_BY" },
	{ "Membership", "member", "organization", "MEMBER_OF" },
	{ "Succession", "predecessor", "successor", "SUCCEEDED_BY" },
	{ "Occupancy", "holder", "post", "HOLDS" },
	{ "Payment", "payer", "beneficiary", "PAID" },
	{ "Debt", "debtor", "creditor", "OWES" },
};
#define NLINKS (sizeof links / sizeof links[0])

const gr_ftm_link *gr_ftm_link_by_schema(const char *schema)
{
	for (size_t i = 0; schema && i < NLINKS; i++)
		if (strcmp(links[i].schema, schema) == 0)
			return &links[i];
	return NULL;
}

const gr_ftm_link *gr_ftm_link_by_type(const char *type, const char *ftm_schema)
{
	const gr_ftm_link *first = NULL;
	for (size_t i = 0; i < NLINKS; i++) {
		if (strcmp(links[i].type, type) != 0)
			continue;
		if (!first)
			first = &links[i];
		if (ftm_schema && strcmp(links[i].schema, ftm_schema) == 0)
			return &links[i];
	}
	return first;
}
