/*
 * upgrade.c: converting a database of an older format to this build's, in
 * place (`sanctgraph upgrade`).
 *
 * A format change is a list of steps, each converting one table's records
 * to the next format (upgrade_steps below): a database of format f has
 * every table copied record by record, in key order, through the steps of
 * that table whose format is above f, into a new database; tables without
 * a step are copied as they are.  A later format adds its steps to the
 * list (and raises ST_FORMAT_VERSION); a step may emit any number of
 * records for one it reads.
 *
 * In order, so that a process killed at any moment leaves either the old
 * database or the new one in place, never a mix:
 *   1. the old database is opened (its pages walked first, as `check`
 *      does) and read in one snapshot;
 *   2. the new one is written to DIR/upgrade.tmp and synced;
 *   3. it is opened as a database of this format and checked: its pages,
 *      its state digest recomputed against the one it carries (relationship
 *      records, nodes, adjacency and positions are digested record by
 *      record, so a conversion that lost or changed one shows), and every
 *      other table's entry count against the old one's;
 *   4. the old database is backed up to DIR.formatN-backup (as `backup`
 *      writes: to a hidden directory, renamed when complete);
 *   5. with the write lock held, if nothing was committed since the
 *      snapshot and no other process has the database open, the new
 *      data.mdb is renamed over the old one (one atomic rename) and the
 *      directory synced.
 * A leftover DIR/upgrade.tmp is removed by the next run.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"

typedef struct st_up up_ctx;

/* One table's conversion to format s_to (st_up_convert, store_int.h). */
typedef struct up_step {
	unsigned s_to;
	int s_table;
	st_up_convert s_convert;
} up_step;

struct st_up {
	const up_step *steps[8];   /* this table's steps, in format order */
	size_t nsteps, stage;
	MDB_cursor *out;
	int dup;
	unsigned char last[ST_MAX_KEY + 16];
	size_t lastlen;
	int have_last;
	unsigned char *buf;        /* a step's output */
	size_t bufcap;
	char *why;
	size_t n;
};

/* ---- the steps ---- */

/* 2 -> 3: edge blocks get an offset table, or one length (edges.c).  A
 * malformed record is refused with a message in c->why. */
static int edges_2_to_3(up_ctx *c, const MDB_val *key, const MDB_val *val)
{
	MDB_val v;
	if (st_blk_from_v2(val->mv_data, val->mv_size, &c->buf, &c->bufcap, &v.mv_size) != ST_OK) {
		st_upgrade_why(c, "edge block %u is malformed; restore the database from a backup",
		    key->mv_size == 4 ? st_get32(key->mv_data) : 0);
		return ST_ECORRUPT;
	}
	v.mv_data = c->buf;
	return st_upgrade_emit(c, key, &v);
}

/* Every step, in format order: a new format adds its steps here. */
static const up_step upgrade_steps[] = {
	{ 3, ST_EDGES, edges_2_to_3 },
};

void st_upgrade_why(up_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->why, c->n, fmt, ap);
	va_end(ap);
}

/* ---- copying a table ---- */

static int up_put(up_ctx *c, const MDB_val *key, const MDB_val *val)
{
	MDB_val k = *key, v = *val;
	unsigned flags = MDB_APPEND;
	int rc;
	if (c->dup && c->have_last && key->mv_size == c->lastlen && memcmp(key->mv_data, c->last, c->lastlen) == 0)
		flags = MDB_APPENDDUP;
	rc = mdb_cursor_put(c->out, &k, &v, flags);
	if (rc == MDB_KEYEXIST) {
		/* a step may emit out of order: then an ordinary insertion */
		k = *key;
		v = *val;
		rc = mdb_cursor_put(c->out, &k, &v, 0);
		if (rc == MDB_KEYEXIST)
			rc = 0;   /* the same duplicate twice */
	}
	if (rc)
		return st_mdb_err(rc, "new database");
	if (key->mv_size <= sizeof c->last) {
		memcpy(c->last, key->mv_data, key->mv_size);
		c->lastlen = key->mv_size;
		c->have_last = 1;
	} else {
		c->have_last = 0;
	}
	return ST_OK;
}

/* Passes a record to the next step of its table, or after the last one
 * into the new table. */
int st_upgrade_emit(up_ctx *c, const MDB_val *key, const MDB_val *val)
{
	size_t s = c->stage;
	int rc;
	if (s >= c->nsteps)
		return up_put(c, key, val);
	c->stage = s + 1;
	rc = c->steps[s]->s_convert(c, key, val);
	c->stage = s;
	return rc;
}

/* Copies table `db` of the old snapshot into the new environment. */
static int copy_table(st_txn *old, unsigned format, MDB_env *nenv, MDB_dbi ndbi, int db, up_ctx *c)
{
	MDB_txn *nt;
	MDB_cursor *in;
	MDB_val k, v;
	int rc;
	c->nsteps = c->stage = 0;
	c->have_last = 0;
	c->dup = (st_dbi_flags[db] & MDB_DUPSORT) != 0;
	for (size_t i = 0; i < sizeof upgrade_steps / sizeof upgrade_steps[0]; i++)
		if (upgrade_steps[i].s_table == db && upgrade_steps[i].s_to > format && c->nsteps < 8)
			c->steps[c->nsteps++] = &upgrade_steps[i];
	if ((rc = mdb_txn_begin(nenv, NULL, 0, &nt)))
		return st_mdb_err(rc, "new database");
	if ((rc = mdb_drop(nt, ndbi, 0)) || (rc = mdb_cursor_open(nt, ndbi, &c->out))) {
		mdb_txn_abort(nt);
		return st_mdb_err(rc, "new database");
	}
	if (old->t_env->e_absent & 1u << db) {
		/* a table the old format did not have: empty in the new one */
		c->out = NULL;
		return st_mdb_err(mdb_txn_commit(nt), "new database");
	}
	if ((rc = mdb_cursor_open(old->t_txn, DBI(old, db), &in))) {
		mdb_txn_abort(nt);
		return st_mdb_err(rc, "old database");
	}
	for (rc = mdb_cursor_get(in, &k, &v, MDB_FIRST); rc == 0; rc = mdb_cursor_get(in, &k, &v, MDB_NEXT)) {
		if (st_val_ok(old, &k, st_dbi_names[db]) != ST_OK || st_val_ok(old, &v, st_dbi_names[db]) != ST_OK) {
			rc = ST_ECORRUPT;
			snprintf(c->why, c->n, "%s", st_strerror());
			break;
		}
		if ((rc = st_upgrade_emit(c, &k, &v)) != ST_OK)
			break;
	}
	mdb_cursor_close(in);
	if (rc == MDB_NOTFOUND)
		rc = ST_OK;
	else if (rc > 0)
		rc = st_mdb_err(rc, st_dbi_names[db]);
	if (rc != ST_OK) {
		mdb_txn_abort(nt);
		return rc;
	}
	return st_mdb_err(mdb_txn_commit(nt), "new database");
}

/* Writes the converted database into directory `tmp` (made afresh). */
static int write_new(st_env *env, st_txn *old, unsigned format, const char *tmp, char *why, size_t n)
{
	MDB_env *nenv;
	MDB_dbi dbi[ST_NDBI];
	MDB_txn *nt;
	up_ctx c = { .why = why, .n = n };
	size_t map = (size_t)env->e_file * 2 + ((size_t)64 << 20);
	int rc;
	if (mkdir(tmp, 0775) != 0) {
		snprintf(why, n, "cannot create %s: %s", tmp, strerror(errno));
		return ST_EIO;
	}
	if ((rc = mdb_env_create(&nenv)))
		return st_mdb_err(rc, "new database");
	if ((rc = mdb_env_set_maxdbs(nenv, ST_NDBI)) || (rc = mdb_env_set_mapsize(nenv, map)) ||
	    (rc = mdb_env_open(nenv, tmp, MDB_NOTLS | MDB_NOSYNC, 0664)) || (rc = mdb_txn_begin(nenv, NULL, 0, &nt))) {
		mdb_env_close(nenv);
		snprintf(why, n, "cannot create the new database in %s: %s", tmp, mdb_strerror(rc));
		return ST_EIO;
	}
	for (int i = 0; i < ST_NDBI && rc == 0; i++)
		rc = mdb_dbi_open(nt, st_dbi_names[i], st_dbi_flags[i] | MDB_CREATE, &dbi[i]);
	if (rc || (rc = mdb_txn_commit(nt))) {
		mdb_env_close(nenv);
		snprintf(why, n, "cannot create the new database in %s: %s", tmp, mdb_strerror(rc));
		return ST_EIO;
	}
	for (int i = 0; i < ST_NDBI && rc == ST_OK; i++) {
		why[0] = 0;
		rc = copy_table(old, format, nenv, dbi[i], i, &c);
		if (rc == ST_EMAPFULL) {
			/* a step made the table larger than guessed: a larger map,
			 * and the table again */
			map *= 2;
			if (mdb_env_set_mapsize(nenv, map) == 0)
				rc = copy_table(old, format, nenv, dbi[i], i, &c);
		}
		if (rc != ST_OK && !why[0])
			snprintf(why, n, "copying the table %s: %s", st_dbi_names[i], st_strerror());
	}
	free(c.buf);
	if (rc == ST_OK) {
		unsigned char ver[4];
		MDB_val k = { 7, "version" }, v = { 4, ver };
		st_put32(ver, ST_FORMAT_VERSION);
		if ((rc = mdb_txn_begin(nenv, NULL, 0, &nt)) == 0 && (rc = mdb_put(nt, dbi[ST_META], &k, &v, 0)) == 0)
			rc = mdb_txn_commit(nt);
		else if (rc)
			mdb_txn_abort(nt);
		if (rc == 0)
			rc = mdb_env_sync(nenv, 1);
		if (rc) {
			snprintf(why, n, "writing the new database: %s", rc == ENOSPC ? "no space left on device" : mdb_strerror(rc));
			rc = ST_EIO;
		}
	}
	mdb_env_close(nenv);
	return rc;
}

/* Positions format 1 (an 18-byte record per position) becomes format 2's
 * blocks inside the new database, in one write transaction, before it is
 * checked: the state digest does not change (st_pos_upgrade). */
static int convert_positions(const char *tmp, char *why, size_t n)
{
	st_env *ne;
	st_txn *t;
	int rc;
	if ((rc = st_open(tmp, 0, &ne, why, n)) != ST_OK)
		return rc;
	if ((rc = st_txn_begin(ne, 1, &t)) != ST_OK) {
		snprintf(why, n, "the new database: %s", st_strerror());
		st_close(ne);
		return rc;
	}
	if ((rc = st_pos_upgrade(t, NULL)) != ST_OK) {
		snprintf(why, n, "converting the AIS positions: %s", st_strerror());
		st_txn_abort(t);
	} else if ((rc = st_txn_commit(t)) != ST_OK) {
		snprintf(why, n, "writing the new database: %s", st_strerror());
	}
	st_close(ne);
	return rc;
}

/* ---- checking the new database ---- */

static void count_report(void *arg, const char *msg)
{
	char *first = arg;
	if (!first[0])
		snprintf(first, 256, "%s", msg);
}

/* Meta entries the conversion adds: convert_positions records the
 * positions format where the old database had none recorded. */
static size_t added_meta(st_txn *old)
{
	MDB_val k = { 10, "pos_format" }, v;
	return mdb_get(old->t_txn, DBI(old, ST_META), &k, &v) == MDB_NOTFOUND ? 1 : 0;
}

/* Opens the new database as one of this format and checks it against the
 * old snapshot. */
static int check_new(st_txn *old, const char *tmp, char *why, size_t n)
{
	st_env *ne;
	st_txn *t;
	char first[256] = "";
	unsigned char stored[ST_DIGEST_LEN], actual[ST_DIGEST_LEN];
	int rc, have;
	long bad;
	if ((rc = st_open(tmp, 0, &ne, why, n)) != ST_OK)
		return rc;
	if ((rc = st_txn_begin(ne, 0, &t)) != ST_OK) {
		snprintf(why, n, "the new database: %s", st_strerror());
		st_close(ne);
		return rc;
	}
	if (st_hash_ready(ne) != ST_OK) {
		snprintf(why, n, "cannot check the new database: %s", st_strerror());
		st_txn_abort(t);
		st_close(ne);
		return ST_EIO;
	}
	bad = st_verify(t, count_report, first, 1);
	have = bad == 0 && st_digest_stored(t, stored) == ST_OK;
	if (bad == 0 && have && (st_digest_recompute(t, actual) != ST_OK || memcmp(stored, actual, ST_DIGEST_LEN) != 0)) {
		bad = 1;
		snprintf(first, sizeof first, "its records do not add up to the digest it carries");
	}
	for (int i = 0; i < ST_NDBI && bad == 0; i++) {
		MDB_stat a, b;
		int converted = 0;
		for (size_t s = 0; s < sizeof upgrade_steps / sizeof upgrade_steps[0]; s++)
			converted |= upgrade_steps[s].s_table == i;
		converted |= i == ST_POS || i == ST_POSB;   /* convert_positions */
		if (converted)
			continue;
		if (mdb_stat(old->t_txn, DBI(old, i), &a) || mdb_stat(t->t_txn, DBI(t, i), &b) ||
		    a.ms_entries + (i == ST_META ? added_meta(old) : 0) != b.ms_entries) {
			bad = 1;
			snprintf(first, sizeof first, "the table %s holds %llu entries, the old one %llu", st_dbi_names[i],
			    (unsigned long long)b.ms_entries, (unsigned long long)a.ms_entries);
		}
	}
	st_txn_abort(t);
	st_close(ne);
	if (bad) {
		snprintf(why, n, "the converted database does not check out (%s); the old one is unchanged",
		    bad < 0 ? st_strerror() : first);
		return ST_ECORRUPT;
	}
	return ST_OK;
}

/* ---- in place ---- */

/* The id of another process that has the database open (holds LMDB's
 * shared lock on lock.mdb), or 0.  Our own lock does not count. */
static long other_user(const char *dir)
{
	char p[4300];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	int fd;
	snprintf(p, sizeof p, "%s/lock.mdb", dir);
	if ((fd = open(p, O_RDWR | O_CLOEXEC)) < 0)
		return 0;
	if (fcntl(fd, F_GETLK, &fl) != 0)
		fl.l_type = F_UNLCK;
	close(fd);
	return fl.l_type == F_UNLCK ? 0 : fl.l_pid ? (long)fl.l_pid : -1;
}

/* The first of DIR.formatN-backup, -backup.2, ... that does not exist. */
static int backup_name(const char *dir, unsigned format, char *out, size_t n)
{
	char d[4096];
	struct stat sb;
	size_t l;
	snprintf(d, sizeof d, "%s", dir);
	for (l = strlen(d); l > 1 && d[l - 1] == '/'; l--)
		d[l - 1] = 0;
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(out, n, "%s.format%u-backup", d, format);
		else
			snprintf(out, n, "%s.format%u-backup.%d", d, format, i);
		if (stat(out, &sb) != 0 && errno == ENOENT)
			return 0;
	}
	return -1;
}

/* Step 5: the new file over the old, if nothing changed meanwhile. */
static int swap_in(st_env *env, uint64_t snap, const char *dir, const char *tmp, char *why, size_t n)
{
	MDB_txn *w;
	char from[4300], to[4300];
	long other;
	int rc = mdb_txn_begin(env->e_env, NULL, 0, &w);
	if (rc) {
		snprintf(why, n, "cannot lock the database for writing: %s", mdb_strerror(rc));
		return ST_EIO;
	}
	if ((uint64_t)mdb_txn_id(w) != snap + 1) {
		mdb_txn_abort(w);
		snprintf(why, n, "%s was written to while it was being converted: run upgrade again", dir);
		return ST_EBUSY;
	}
	if ((other = other_user(dir)) != 0) {
		mdb_txn_abort(w);
		snprintf(why, n, "%s is open in another process (pid %ld): close it and run upgrade again", dir, other);
		return ST_EBUSY;
	}
	snprintf(from, sizeof from, "%s/data.mdb", tmp);
	snprintf(to, sizeof to, "%s/data.mdb", dir);
	rc = rename(from, to);
	if (rc == 0)
		st_sync_path(dir, 1);
	else
		snprintf(why, n, "cannot put the new database in place: %s", strerror(errno));
	mdb_txn_abort(w);
	return rc ? ST_EIO : ST_OK;
}

int st_upgrade(const char *dir, unsigned *from, char *backup, size_t bn, char *why, size_t n)
{
	st_env *env;
	st_txn *old = NULL;
	char tmp[4096], first[256] = "";
	uint64_t snap;
	int rc;
	long bad;
	backup[0] = 0;
	if ((rc = st_open_old(dir, from, &env, why, n)) != ST_OK)
		return rc;
	if (*from == ST_FORMAT_VERSION) {
		st_close(env);
		return ST_OK;
	}
	if (env->e_rdonly) {
		snprintf(why, n, "%s is read-only (this user or file system cannot write it): it cannot be upgraded in place", dir);
		st_close(env);
		return ST_ERDONLY;
	}
	snprintf(tmp, sizeof tmp, "%s/upgrade.tmp", dir);
	st_remove_db_dir(tmp);   /* left by an upgrade that was killed */
	if ((rc = st_txn_begin(env, 0, &old)) != ST_OK) {
		snprintf(why, n, "%s: %s", dir, st_strerror());
		goto done;
	}
	snap = (uint64_t)mdb_txn_id(old->t_txn);
	/* the old file's structure is walked before LMDB reads every page */
	if ((bad = st_verify_pages(old, count_report, first, 1)) != 0) {
		snprintf(why, n, "%s is damaged (%s): restore it from a backup before upgrading", dir,
		    bad < 0 ? "its pages could not be read" : first);
		rc = ST_ECORRUPT;
		goto done;
	}
	if ((rc = write_new(env, old, *from, tmp, why, n)) != ST_OK || (rc = convert_positions(tmp, why, n)) != ST_OK ||
	    (rc = check_new(old, tmp, why, n)) != ST_OK)
		goto done;
	if (backup_name(dir, *from, backup, bn) != 0) {
		snprintf(why, n, "no free name for the backup beside %s", dir);
		rc = ST_EEXISTS;
		goto done;
	}
	if ((rc = st_backup(env, backup, why, n)) != ST_OK) {
		backup[0] = 0;
		goto done;
	}
	rc = swap_in(env, snap, dir, tmp, why, n);
done:
	st_txn_abort(old);
	st_close(env);
	st_remove_db_dir(tmp);
	return rc;
}
