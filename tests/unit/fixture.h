/*
 * fixture.h: what the unit suites share: a fresh database per suite (or
 * per test), through graph/ or straight on the store.
 */
#ifndef SG_UNIT_FIXTURE_H
#define SG_UNIT_FIXTURE_H

#include <stddef.h>
#include <CUnit/CUnit.h>
#include "graph/graph.h"
#include "store/store.h"

/* Opens a new, empty database /tmp/sg-unit-NAME.PID (removing one left
 * over) into *db, with author "unit"; its path goes to dir[0..n).  0, or
 * -1 when it cannot be made. */
int unit_db_open(const char *name, char *dir, size_t n, gr_db **db);
/* Closes db and removes its directory: 0, or -1. */
int unit_db_close(const char *dir, gr_db *db);
/* The same for a bare store (no graph/ around it): a new, empty store
 * /tmp/sg-unit-NAME.PID, its path into dir[0..n); NULL when it cannot be
 * made.  unit_env_close closes it, removes it, and fails the running test
 * if it cannot. */
st_env *unit_env_open(const char *name, char *dir, size_t n);
void unit_env_close(const char *dir, st_env *env);

/* A problem reporter for gr_check: appends msg and a newline to arg, a
 * char[4096] starting empty, as long as it has room. */
void unit_report_to_buf(void *arg, const char *msg);

/* One test of a suite, and a suite of them: CU_add_suite(name, init,
 * clean) with tests[0..n) added in order; 0, or -1. */
typedef struct unit_test {
	const char *name;
	CU_TestFunc fn;
} unit_test;
int unit_suite(const char *name, CU_InitializeFunc init, CU_CleanupFunc clean, const unit_test *tests, size_t n);

#endif
