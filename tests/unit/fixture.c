/*
 * fixture.c: a fresh database or store per unit suite (fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

static int remove_dir(const char *dir)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int unit_db_open(const char *name, char *dir, size_t n, gr_db **db)
{
	gr_error err;
	snprintf(dir, n, "/tmp/sg-unit-%s.%d", name, (int)getpid());
	if (remove_dir(dir) != 0 || gr_open(dir, 1, db, &err) != GR_OK)
		return -1;
	return gr_set_author(*db, "unit") == GR_OK && gr_set_command(*db, "unit test") == GR_OK ? 0 : -1;
}

int unit_db_close(const char *dir, gr_db *db)
{
	gr_close(db);
	return remove_dir(dir);
}

st_env *unit_env_open(const char *name, char *dir, size_t n)
{
	st_env *env;
	char why[256];
	snprintf(dir, n, "/tmp/sg-unit-%s.%d", name, (int)getpid());
	if (remove_dir(dir) != 0 || st_open(dir, 1, &env, why, sizeof why) != ST_OK)
		return NULL;
	return env;
}

void unit_env_close(const char *dir, st_env *env)
{
	st_close(env);
	if (remove_dir(dir) != 0)
		CU_FAIL("cleanup");
}

int unit_suite(const char *name, CU_InitializeFunc init, CU_CleanupFunc clean, const unit_test *tests, size_t n)
{
	CU_pSuite s = CU_add_suite(name, init, clean);
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!CU_add_test(s, tests[i].name, tests[i].fn))
			return -1;
	return 0;
}

void unit_report_to_buf(void *arg, const char *msg)
{
	char *buf = arg;
	strncat(buf, msg, 4000 - strlen(buf));
	strncat(buf, "\n", 4000 - strlen(buf));
}
