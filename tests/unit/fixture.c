/*
 * fixture.c: a fresh database per unit suite (fixture.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

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
