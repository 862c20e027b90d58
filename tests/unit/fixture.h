/*
 * fixture.h: what the unit suites share: a fresh database per suite.
 */
#ifndef SG_UNIT_FIXTURE_H
#define SG_UNIT_FIXTURE_H

#include <stddef.h>
#include "graph/graph.h"

/* Opens a new, empty database /tmp/sg-unit-NAME.PID (removing one left
 * over) into *db, with author "unit"; its path goes to dir[0..n).  0, or
 * -1 when it cannot be made. */
int unit_db_open(const char *name, char *dir, size_t n, gr_db **db);
/* Closes db and removes its directory: 0, or -1. */
int unit_db_close(const char *dir, gr_db *db);

#endif
