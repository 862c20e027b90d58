/*
 * fuzz_db.h: a fresh small database for each fuzz input, shared by the
 * harnesses that write (importers, the Cypher executor).
 *
 * fuzz_db_template() makes one database at start (empty, or loaded by a
 * Cypher script) and keeps its data.mdb in memory; fuzz_db_fresh() gives
 * a database in that state: the one of the last input when that input
 * committed nothing (its change log's head did not move), else a new copy
 * of the template written into a scratch directory (on /dev/shm when there
 * is one) and opened.  Every input starts from the same state, so a crash
 * reproduces from its input alone; reusing the database when nothing
 * changed makes the harnesses ten times faster.
 */
#ifndef SG_FUZZ_DB_H
#define SG_FUZZ_DB_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph/graph.h"
#include "graph/cypher/cypher.h"

static char fuzz_dir[256];
static char *fuzz_image;
static size_t fuzz_image_len;
static gr_db *fuzz_open_db;        /* the database of the last input */
static uint64_t fuzz_head;         /* the template's change-log head */

static uint64_t fuzz_db_head(gr_db *db)
{
	gr_txn *t;
	gr_error err;
	uint64_t h;
	if (gr_begin(db, 0, &t, &err) != GR_OK)
		return UINT64_MAX;
	h = gr_log_head(t);
	gr_abort(t);
	return h;
}

static void fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

static void fuzz_rm_db(void)
{
	char p[300];
	snprintf(p, sizeof p, "%s/db/data.mdb", fuzz_dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/db/lock.mdb", fuzz_dir);
	unlink(p);
}

static void fuzz_cleanup(void)
{
	char p[300];
	if (fuzz_open_db)
		gr_close(fuzz_open_db);
	fuzz_open_db = NULL;
	fuzz_rm_db();
	snprintf(p, sizeof p, "%s/db", fuzz_dir);
	rmdir(p);
	snprintf(p, sizeof p, "%s/input", fuzz_dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/input2", fuzz_dir);
	unlink(p);
	rmdir(fuzz_dir);
}

/* Makes the template: a new database, with setup (Cypher) run on it when
 * not NULL. */
static void fuzz_db_template(const char *setup)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	char p[300];
	gr_db *db;
	gr_error err;
	cy_error cerr;
	FILE *f;
	long n;
	snprintf(fuzz_dir, sizeof fuzz_dir, "%s/sg-fuzz-%ld", base, (long)getpid());
	mkdir(fuzz_dir, 0700);
	snprintf(p, sizeof p, "%s/db", fuzz_dir);
	if (gr_open(p, 1, &db, &err) != GR_OK)
		fuzz_die(err.msg);
	gr_set_author(db, "fuzz");
	gr_set_command(db, "fuzz");
	if (setup && cy_query_print(db, setup, NULL, CY_FMT_NONE, &cerr) != CY_OK)
		fuzz_die(cerr.message);
	fuzz_head = fuzz_db_head(db);
	gr_close(db);
	snprintf(p, sizeof p, "%s/db/data.mdb", fuzz_dir);
	if (!(f = fopen(p, "rb")) || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		fuzz_die("cannot read the template");
	if (!(fuzz_image = malloc((size_t)n)) || fread(fuzz_image, 1, (size_t)n, f) != (size_t)n)
		fuzz_die("cannot read the template");
	fuzz_image_len = (size_t)n;
	fclose(f);
	atexit(fuzz_cleanup);
}

/* A database in the template's state; give it back with fuzz_db_done(). */
static gr_db *fuzz_db_fresh(void)
{
	char p[300];
	gr_db *db;
	gr_error err;
	int fd;
	if (fuzz_open_db) {
		if (fuzz_db_head(fuzz_open_db) == fuzz_head)
			return fuzz_open_db;
		gr_close(fuzz_open_db);
		fuzz_open_db = NULL;
	}
	fuzz_rm_db();
	snprintf(p, sizeof p, "%s/db/data.mdb", fuzz_dir);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, fuzz_image, fuzz_image_len) != (ssize_t)fuzz_image_len || close(fd) != 0)
		fuzz_die("cannot copy the template");
	snprintf(p, sizeof p, "%s/db", fuzz_dir);
	if (gr_open(p, 0, &db, &err) != GR_OK)
		fuzz_die(err.msg);
	gr_set_author(db, "fuzz");
	gr_set_command(db, "fuzz");
	return fuzz_open_db = db;
}

/* Writes bytes to the scratch file NAME ("input", "input2"); returns its
 * path (static). */
static const char *fuzz_file(const char *name, const void *data, size_t len)
{
	static char p[2][300];
	int k = strcmp(name, "input") != 0;
	int fd;
	snprintf(p[k], sizeof p[k], "%s/%s", fuzz_dir, name);
	if ((fd = open(p[k], O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    (len && write(fd, data, len) != (ssize_t)len) || close(fd) != 0)
		fuzz_die("cannot write the input");
	return p[k];
}

#endif
