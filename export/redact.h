/*
 * redact.h: confidential sources in what leaves the database.
 *
 * A Source with `confidential: true` may be cited and audited like any
 * other, but its identity must not be published: in the report, the
 * diagram and every export except jsonl (the native, complete form, for
 * backups and transfers between trusted databases) it shows as
 * "confidential source (publisher withheld)": its title becomes that text
 * and its publisher, url and sha256 (which could identify the document)
 * are left out.  Its key, kind, date and the citations' confidence stay,
 * so that the reader still sees how many sources support a claim and how
 * strongly.  `--include-confidential` on the command turns this off.
 */
#ifndef SG_REDACT_H
#define SG_REDACT_H

#include "../graph/graph.h"

#define EX_CONFIDENTIAL_TEXT "confidential source (publisher withheld)"

/* Whether the output being made includes confidential sources as they are
 * (the command's --include-confidential); off by default.  One setting
 * for the process: a command makes one output. */
void ex_set_include_confidential(int include);
int ex_include_confidential(void);

/* 1 when n is a Source with confidential = true. */
int ex_is_confidential(gr_txn *txn, const gr_node *n);

/* Withholds n's identity in place when it is a confidential Source and
 * the setting does not include them.  Returns 1 when it did, 0 when n is
 * left as it is, GR_ENOMEM. */
int ex_redact_source(gr_txn *txn, gr_node *n);

#endif
