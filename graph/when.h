/*
 * when.h: when a relationship happened, decided in one place for every
 * command that orders or shows relationships in time (timeline, path
 * --time-ordered, report, diagram).
 *
 * The rule: `date` makes an event of one day; otherwise the first of
 * `start`, `since`, `listed` opens a span and the first of `end`, `until`,
 * `delisted` closes it (either may be missing: an open span).  Values are
 * dates or datetimes, read as UTC calendar days (the contract's rule for
 * claims).  Any other property, even a date, does not date the edge.
 */
#ifndef SG_WHEN_H
#define SG_WHEN_H

#include "graph.h"

enum { GR_WHEN_START = 1, GR_WHEN_END = 2 };

typedef struct gr_when {
	unsigned w_flags;          /* GR_WHEN_START, GR_WHEN_END: the ends known */
	int32_t w_first, w_last;   /* days since 1970-01-01; equal for an event */
	const char *w_start_name;  /* "date", "start", "since", "listed"; NULL */
	const char *w_end_name;    /* "date", "end", "until", "delisted"; NULL */
} gr_when;

/* The UTC calendar day of a date or datetime value: 1 and *day set, or 0
 * when v is neither. */
int gr_value_day(const gr_value *v, int32_t *day);

/* The dates of an edge from its properties: 1 when it is dated, else 0
 * (then *w has no flags). */
int gr_when_of_props(gr_txn *txn, const gr_prop *p, size_t np, gr_when *w);
/* The same for stored edge `edge`. */
int gr_edge_when(gr_txn *txn, uint32_t edge, gr_when *w);

/* First and last day of a dated edge (an open end takes the other's day). */
int32_t gr_when_first(const gr_when *w);
int32_t gr_when_last(const gr_when *w);

/* "2024-04-02", "2024-04-03..2024-04-14", "from 2024-04-03" (or "since",
 * "listed" after the property), "until 2024-04-14" (or "delisted"); "" when
 * undated.  buf holds at least 64 bytes; returns the length. */
size_t gr_when_format(const gr_when *w, char *buf);

#endif
