/*
 * recargs.h: PROP=VALUE and --source/--confidence arguments of the commands
 * that write records (add, link, cite, set), and how a claim is reported.
 */
#ifndef SG_RECARGS_H
#define SG_RECARGS_H

#include "cli.h"
#include "../graph/claim.h"

/* Properties and citations given on a command line. */
typedef struct rec_args {
	char **names;
	gr_value *vals;
	size_t n;
	char **sources;
	int *confs;
	size_t nsrc;
	const char *file;      /* add Source --file PATH */
	int allow_new;         /* set before parsing: --new is an option */
	int new_edge;          /* --new was given */
} rec_args;

void rec_args_free(rec_args *r);
/* Parses argv[from..]: PROP=VALUE, --source KEY, --confidence C, and
 * --file PATH when allow_file.  Prints the error and returns the exit
 * status on failure. */
int rec_args_parse(cli *c, int argc, char **argv, int from, int allow_file, rec_args *r);
/* Applies r's properties (PROP= removes one) and citations (source keys
 * resolved) to a property and a citation array. */
int rec_apply(gr_txn *t, rec_args *r, gr_prop **props, size_t *np, gr_cite **cites, size_t *nc, gr_error *err);
/* Prints what saying a claim did: "linked ...", "cited ..." or
 * "unchanged ...", and a warning for an ambiguous claim or a kept value. */
void link_report(cli *c, const char *from, const char *type, const char *to, const gr_claim_result *res);

#endif
