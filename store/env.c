/*
 * env.c: the LMDB environment, transactions with map growth and replay,
 * meta values, symbols, the state digest and the hash-chained change log.
 * The graph-shaped tables (nodes, edges, adjacency, indexes) are in
 * tables.c; both share store_int.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "store_int.h"

static char st_errbuf[512];
/* The first damage a store call met in this process: the message the
 * command prints may say less ("cannot scan nodes"). */
static char st_damage[512];

const char *const st_dbi_names[ST_NDBI] = {
	"meta", "sym", "symid", "nodes", "edges", "out", "in", "labels", "keys", "ident", "cites", "log",
	"positions", "posblk"
};
const unsigned st_dbi_flags[ST_NDBI] = {
	0, 0, 0, 0, 0,
	MDB_DUPSORT | MDB_DUPFIXED, MDB_DUPSORT | MDB_DUPFIXED,
	MDB_DUPSORT | MDB_DUPFIXED, 0, MDB_DUPSORT | MDB_DUPFIXED,
	MDB_DUPSORT | MDB_DUPFIXED, 0,
	MDB_DUPSORT | MDB_DUPFIXED, 0
};
/* Fixed record size of each DUPFIXED table, checked on every write. */
const unsigned st_dup_size[ST_NDBI] = {
	0, 0, 0, 0, 0, ST_ADJ_LEN, ST_ADJ_LEN, 4, 0, 4, ST_CITE_LEN, 0,
	ST_POS_LEN, 0
};

/* data.mdb up to this size has its page structure walked at every open
 * (a few ms a MiB: kept small, since every command opens); larger ones
 * before the first write and by `check`.  Up to ST_DIGEST_AT_WRITE the
 * data digest is recomputed before the first write as well. */
#define ST_WALK_AT_OPEN ((uint64_t)1 << 20)
#define ST_DIGEST_AT_WRITE ((uint64_t)4 << 20)


void st_seterr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st_errbuf, sizeof st_errbuf, fmt, ap);
	va_end(ap);
}

const char *st_strerror(void)
{
	return st_errbuf;
}

/* Damage met by reads: counted, for the layers that would otherwise take
 * a damaged record for an absent one (a node whose labels cannot be read
 * has none; a statement that met any fails instead); and the first, for
 * the command to name even where its own message says less. */
static uint64_t st_damage_n;
static char st_damage_last[sizeof st_errbuf];

int st_corrupt(void)
{
	if (!st_damage[0])
		snprintf(st_damage, sizeof st_damage, "%s", st_errbuf);
	st_damage_n++;
	memcpy(st_damage_last, st_errbuf, sizeof st_damage_last);
	return ST_ECORRUPT;
}

uint64_t st_damage_seen(const char **msg)
{
	if (msg)
		*msg = st_damage_last;
	return st_damage_n;
}

int st_damage_noted(const st_env *env, char *why, size_t n)
{
	if (!st_damage[0])
		return 0;
	snprintf(why, n, "%s is damaged (%s); run `sanctgraph check`, restore it from a backup", env->e_dir, st_damage);
	return 1;
}

int st_mdb_err(int rc, const char *what)
{
	if (rc == 0)
		return ST_OK;
	if (rc == MDB_NOTFOUND)
		return ST_ENOTFOUND;
	if (rc == MDB_KEYEXIST)
		return ST_EEXISTS;
	if (rc == ENOSPC || rc == EDQUOT) {
		st_seterr("%s: no space left on device", what);
		return ST_EIO;
	}
	st_seterr("%s: %s", what, mdb_strerror(rc));
	if (rc == MDB_MAP_FULL)
		return ST_EMAPFULL;
	/* a cursor stack too deep: a tree deeper than a sound file's can be,
	 * a damaged page leading round in a circle */
	if (rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_BAD_VALSIZE || rc == MDB_CURSOR_FULL)
		return st_corrupt();
	if (rc == ENOMEM)
		return ST_ENOMEM;
	return ST_EIO;
}

/* ---- environment ---- */

static int dir_has_db(const char *dir)
{
	char path[4096];
	struct stat sb;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* Opens the tables; `old` non-NULL accepts the formats `upgrade` converts
 * as well, and receives the database's format. */
static int open_dbis(st_env *env, int create, unsigned *old)
{
	MDB_txn *txn;
	int rc = mdb_txn_begin(env->e_env, NULL, create ? 0 : MDB_RDONLY, &txn);
	if (rc)
		return st_mdb_err(rc, "begin");
	for (int i = 0; i < ST_NDBI; i++) {
		rc = mdb_dbi_open(txn, st_dbi_names[i], st_dbi_flags[i] | (create ? MDB_CREATE : 0), &env->e_dbi[i]);
		if (rc == MDB_NOTFOUND && (i == ST_POS || i == ST_POSB) && !create && old) {
			/* opened for `upgrade`, which must not write the old
			 * database: the new one gets the table */
			env->e_absent |= 1u << i;
			continue;
		}
		if (rc == MDB_NOTFOUND && (i == ST_POS || i == ST_POSB) && !create) {
			/* a database from before AIS positions, or before their
			 * blocks: add the (empty) table */
			mdb_txn_abort(txn);
			return open_dbis(env, 1, old);
		}
		if (rc) {
			if (rc == MDB_NOTFOUND) {
				/* some tables but not all: a damaged sanctgraph database */
				int others = 0;
				MDB_dbi d;
				for (int j = 0; j < ST_NDBI; j++)
					others += j != i && mdb_dbi_open(txn, st_dbi_names[j], 0, &d) == 0;
				mdb_txn_abort(txn);
				if (others) {
					st_seterr("damaged: the table \"%s\" is missing", st_dbi_names[i]);
					return st_corrupt();
				}
				st_seterr("not a sanctgraph database (no table \"%s\")", st_dbi_names[i]);
				return ST_ENODB;
			}
			mdb_txn_abort(txn);
			return st_mdb_err(rc, "open table");
		}
	}
	{
		MDB_val k = { 7, "version" }, v;
		rc = mdb_get(txn, env->e_dbi[ST_META], &k, &v);
		if (rc == MDB_NOTFOUND && create) {
			unsigned char ver[4];
			st_put32(ver, ST_FORMAT_VERSION);
			v.mv_size = 4;
			v.mv_data = ver;
			rc = mdb_put(txn, env->e_dbi[ST_META], &k, &v, 0);
			if (rc == 0) {   /* and of its positions (store/positions.c) */
				MDB_val pk = { 10, "pos_format" };
				st_put32(ver, ST_POS_FORMAT);
				rc = mdb_put(txn, env->e_dbi[ST_META], &pk, &v, 0);
			}
		} else if (rc == MDB_NOTFOUND) {
			mdb_txn_abort(txn);
			st_seterr("not a sanctgraph database (no format version)");
			return ST_ENODB;
		} else if (rc == 0 && old && v.mv_size == 4 && st_get32(v.mv_data) >= ST_UPGRADE_FROM &&
		    st_get32(v.mv_data) <= ST_FORMAT_VERSION) {
			*old = st_get32(v.mv_data);
		} else if (rc == 0 && (v.mv_size != 4 || st_get32(v.mv_data) != ST_FORMAT_VERSION)) {
			unsigned got = v.mv_size == 4 ? st_get32(v.mv_data) : 0;
			mdb_txn_abort(txn);
			if (got >= ST_UPGRADE_FROM && got < ST_FORMAT_VERSION)
				st_seterr("database format version %u is older than this sanctgraph's (%d): "
				    "run `sanctgraph upgrade` to convert it (the old one is kept as a backup)", got, ST_FORMAT_VERSION);
			else
				st_seterr("database format version %u, this sanctgraph reads version %d (export with the version that wrote it, import here)",
				    got, ST_FORMAT_VERSION);
			return ST_ENODB;
		}
		if (rc) {
			mdb_txn_abort(txn);
			return st_mdb_err(rc, "init");
		}
		rc = mdb_txn_commit(txn);   /* keeps the table handles */
	}
	return st_mdb_err(rc, "open");
}

/* A fresh MDB_env with our table count, reader slots and map size: LMDB
 * allows one mdb_env_open per MDB_env, so a retry needs a new one. */
static int env_make(st_env *env, size_t map)
{
	int rc;
	if ((rc = mdb_env_create(&env->e_env)) ||
	    (rc = mdb_env_set_maxdbs(env->e_env, ST_NDBI)) ||
	    (rc = mdb_env_set_maxreaders(env->e_env, 126)) ||
	    (rc = mdb_env_set_mapsize(env->e_env, map))) {
		if (env->e_env)
			mdb_env_close(env->e_env);
		env->e_env = NULL;
	}
	return rc;
}

/* Whether this process may create or write the lock file: without it a
 * reader must go without (MDB_NOLOCK). */
static int lock_writable(const char *dir)
{
	char path[4096];
	int fd;
	snprintf(path, sizeof path, "%s/lock.mdb", dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0664)) < 0)
		return 0;
	close(fd);
	return 1;
}

/* Opens the environment for writing, or, where this user or this mount
 * cannot write an existing database, for reading only: with the lock file
 * when it can be written, else without it. */
static int env_open_any(st_env *env, const char *dir, size_t map)
{
	int rc = env_make(env, map);
	if (rc)
		return rc;
	rc = mdb_env_open(env->e_env, dir, MDB_NOTLS, 0664);
	if ((rc != EACCES && rc != EROFS) || !dir_has_db(dir))
		return rc;
	mdb_env_close(env->e_env);
	env->e_env = NULL;
	if ((rc = env_make(env, map)))
		return rc;
	env->e_rdonly = 1;
	env->e_nolock = !lock_writable(dir);
	return mdb_env_open(env->e_env, dir, MDB_NOTLS | MDB_RDONLY | (env->e_nolock ? MDB_NOLOCK : 0), 0664);
}

/* Refuses a data.mdb shorter than its last page: LMDB maps past the end and
 * the first read there would raise SIGBUS. */
static int file_complete(st_env *env, const char *dir, char *why, size_t n)
{
	MDB_envinfo info;
	MDB_stat ms;
	char path[4096];
	struct stat sb;
	uint64_t need;
	snprintf(path, sizeof path, "%s/data.mdb", dir);
	if (mdb_env_info(env->e_env, &info) || mdb_env_stat(env->e_env, &ms) || stat(path, &sb) != 0) {
		snprintf(why, n, "cannot read %s: %s", path, strerror(errno));
		return ST_EIO;
	}
	need = ((uint64_t)info.me_last_pgno + 1) * ms.ms_psize;
	env->e_file = (uint64_t)sb.st_size;
	if ((uint64_t)sb.st_size < need) {
		snprintf(why, n, "%s is damaged: the file has %llu bytes but its pages reach to %llu (truncated?); restore it from a backup",
		    path, (unsigned long long)sb.st_size, (unsigned long long)need);
		return st_corrupt();
	}
	return ST_OK;
}

/* Where LMDB mapped data.mdb, so that values can be checked to lie inside
 * the file.  LMDB does not say (mdb_env_info's me_mapaddr is only set
 * with MDB_FIXEDMAP), so it is worked out from the first key of the main
 * table, read through the map in `txn` (or a read transaction of its own
 * when NULL): the page holding it starts at a page boundary with its own
 * page number in its header, so the map starts that many pages below.  The
 * number is believed only when the file holds the same page there (read
 * with pread: nothing below the page is touched on a damaged header's
 * word).  NULL when that cannot be had: the check then falls back to the
 * value's size. */
static const unsigned char *env_map(MDB_env *e, MDB_txn *txn)
{
	MDB_envinfo info;
	MDB_stat ms;
	MDB_txn *own = NULL;
	MDB_cursor *c = NULL;
	MDB_dbi main;
	MDB_val k, v;
	const unsigned char *base = NULL;
	if (!e || mdb_env_info(e, &info) || mdb_env_stat(e, &ms) || ms.ms_psize < 4096)
		return NULL;
	if (!txn && mdb_txn_begin(e, NULL, MDB_RDONLY, &own))
		return NULL;
	if (!mdb_dbi_open(txn ? txn : own, NULL, 0, &main) && !mdb_cursor_open(txn ? txn : own, main, &c) &&
	    !mdb_cursor_get(c, &k, &v, MDB_FIRST)) {
		uintptr_t page = (uintptr_t)k.mv_data & ~(uintptr_t)(ms.ms_psize - 1);
		uint64_t pgno;
		unsigned char *copy = malloc(ms.ms_psize);
		int fd;
		memcpy(&pgno, (const void *)page, sizeof pgno);
		if (copy && pgno >= 2 && pgno <= info.me_last_pgno && page / ms.ms_psize >= pgno &&
		    mdb_env_get_fd(e, &fd) == 0 &&
		    pread(fd, copy, ms.ms_psize, (off_t)(pgno * ms.ms_psize)) == (ssize_t)ms.ms_psize &&
		    memcmp(copy, (const void *)page, ms.ms_psize) == 0)
			base = (const unsigned char *)(page - (uintptr_t)pgno * ms.ms_psize);
		free(copy);
	}
	if (c)
		mdb_cursor_close(c);
	if (own)
		mdb_txn_abort(own);
	return base;
}

uint64_t st_file_size(st_env *env)
{
	struct stat sb;
	int fd;
	if (mdb_env_get_fd(env->e_env, &fd) == 0 && fstat(fd, &sb) == 0)
		env->e_file = (uint64_t)sb.st_size;
	return env->e_file;
}

static int val_inside(const st_env *env, const MDB_val *v)
{
	const unsigned char *p = v->mv_data;
	return v->mv_size <= env->e_file &&
	    (!env->e_map || (p >= env->e_map && (uint64_t)(p - env->e_map) <= env->e_file - v->mv_size));
}

int st_val_ok(st_txn *t, const MDB_val *v, const char *what)
{
	/* a write transaction's own values live in its dirty pages, off the map;
	 * writes start only on a database whose pages checked out */
	if (t->t_write || v->mv_size == 0)
		return ST_OK;
	if (!t->t_env->e_map && !t->t_map_sought) {
		/* not found at open (no table yet): once per transaction */
		t->t_map_sought = 1;
		t->t_env->e_map = env_map(t->t_env->e_env, t->t_txn);
		st_fault_map(t->t_env);
	}
	if (val_inside(t->t_env, v))
		return ST_OK;
	/* the file may have grown, or the map moved when it grew */
	st_file_size(t->t_env);
	t->t_env->e_map = env_map(t->t_env->e_env, t->t_txn);
	st_fault_map(t->t_env);
	if (val_inside(t->t_env, v))
		return ST_OK;
	st_seterr("%s: a stored value of %zu bytes reaches past the end of the file (damaged page)", what, v->mv_size);
	return st_corrupt();
}

static int open_env(const char *dir, int create, unsigned *old, st_env **out, char *why, size_t n);

/* A new map size maps the file again, maybe elsewhere (no transaction may
 * be open). */
static void map_moved(st_env *env)
{
	env->e_map = env_map(env->e_env, NULL);
	st_fault_map(env);
}

int st_open(const char *dir, int create, st_env **out, char *why, size_t n)
{
	return open_env(dir, create, NULL, out, why, n);
}

int st_open_old(const char *dir, unsigned *format, st_env **out, char *why, size_t n)
{
	*format = ST_FORMAT_VERSION;
	return open_env(dir, 0, format, out, why, n);
}

static int open_env(const char *dir, int create, unsigned *old, st_env **out, char *why, size_t n)
{
	st_env *env = NULL;
	int rc, dead = 0;
	struct stat sb;
	size_t map = (size_t)1 << 30;

	*out = NULL;
	if (stat(dir, &sb) != 0) {
		if (!create) {
			snprintf(why, n, "no database at %s (run `sanctgraph --db %s init`)", dir, dir);
			return ST_ENODB;
		}
		if (mkdir(dir, 0775) != 0) {
			snprintf(why, n, "cannot create %s: %s", dir, strerror(errno));
			return ST_EIO;
		}
	} else if (!S_ISDIR(sb.st_mode)) {
		snprintf(why, n, "%s is not a directory", dir);
		return ST_ENODB;
	} else if (!create && !dir_has_db(dir)) {
		snprintf(why, n, "no database at %s (run `sanctgraph --db %s init`)", dir, dir);
		return ST_ENODB;
	}
	if (!(env = calloc(1, sizeof *env)) || !(env->e_dir = strdup(dir))) {
		free(env);
		snprintf(why, n, "out of memory");
		return ST_ENOMEM;
	}
	/* At least 1 GiB, at least twice the file: the map is virtual address
	 * space, not disk; st_write() grows it further when a write needs it. */
	{
		char path[4096];
		const char *ms = getenv("SANCTGRAPH_MAPSIZE");   /* tests: a small map exercises growth */
		if (ms && *ms)
			map = (size_t)strtoull(ms, NULL, 10);
		snprintf(path, sizeof path, "%s/data.mdb", dir);
		if (stat(path, &sb) == 0 && (size_t)sb.st_size * 2 > map)
			map = (size_t)sb.st_size * 2;
	}
	if (!create && stat(dir, &sb) == 0 && dir_has_db(dir)) {
		/* LMDB would make an empty file a new database: it is a damaged one */
		char path[4096];
		snprintf(path, sizeof path, "%s/data.mdb", dir);
		if (stat(path, &sb) == 0 && sb.st_size < 2 * 4096) {
			snprintf(why, n, "%s is damaged: %lld bytes, shorter than its two meta pages (truncated?); restore it from a backup",
			    path, (long long)sb.st_size);
			st_close(env);
			return st_corrupt();
		}
	}
	if ((rc = env_open_any(env, dir, map)))
		goto fail;
	if ((rc = file_complete(env, dir, why, n)) != ST_OK) {
		st_close(env);
		return rc;
	}
	/* LMDB trusts its pages: the structure is walked from the file first,
	 * wholly when that is cheap, else the table of tables */
	if ((rc = st_verify_open(env, env->e_file <= ST_WALK_AT_OPEN, why, n)) != ST_OK) {
		st_close(env);
		return rc;
	}
	/* from here LMDB reads the pages: a fault is the file's damage when
	 * they have not all been walked (fault.c) */
	st_fault_open(env, env->e_file <= ST_WALK_AT_OPEN);
	env->e_map = env_map(env->e_env, NULL);   /* read through LMDB: after the walk */
	st_fault_map(env);
	if (!env->e_nolock)
		mdb_reader_check(env->e_env, &dead);   /* clear slots of dead readers */
	if ((rc = open_dbis(env, create && !env->e_rdonly, old)) != ST_OK) {
		snprintf(why, n, "%s: %s", dir, st_strerror());
		st_close(env);
		return rc;
	}
	*out = env;   /* libcrypto is loaded by the first write or check */
	return ST_OK;
fail:
	st_close(env);
	if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND || rc == MDB_VERSION_MISMATCH) {
		snprintf(why, n, "%s/data.mdb is damaged: %s; restore it from a backup", dir, mdb_strerror(rc));
		return st_corrupt();
	}
	snprintf(why, n, "cannot open database %s: %s", dir, mdb_strerror(rc));
	return rc == ENOMEM ? ST_ENOMEM : ST_EIO;
}

void st_close(st_env *env)
{
	if (!env)
		return;
	st_fault_close(env);
	if (env->e_env)
		mdb_env_close(env->e_env);
	free(env->e_spare);
	st_ra_free(env);
	st_pr_free(env);
	free(env->e_dir);
	free(env);
}

int st_readonly(const st_env *env)
{
	return env->e_rdonly;
}

int st_read_stale(st_env *env)
{
	MDB_envinfo info;
	if (!env->e_nolock || !env->e_rd_first)
		return ST_OK;
	if (mdb_env_info(env->e_env, &info) == 0 && (uint64_t)info.me_last_txnid < env->e_rd_first + 2)
		return ST_OK;
	st_seterr("%s changed while it was read without a lock (a read-only copy that is also being written): "
	    "what was read may come from reused pages; run the command again", env->e_dir);
	return ST_EIO;
}

int st_size(st_env *env, uint64_t *file_bytes, uint64_t *used_bytes)
{
	MDB_envinfo info;
	MDB_stat ms;
	const char *path;
	char p[4096];
	struct stat sb;

	if (mdb_env_info(env->e_env, &info) || mdb_env_stat(env->e_env, &ms))
		return ST_EIO;
	*used_bytes = (uint64_t)(info.me_last_pgno + 1) * ms.ms_psize;
	*file_bytes = 0;
	if (mdb_env_get_path(env->e_env, &path) == 0) {
		snprintf(p, sizeof p, "%s/data.mdb", path);
		if (stat(p, &sb) == 0)
			*file_bytes = (uint64_t)sb.st_blocks * 512;
	}
	return ST_OK;
}

int st_sync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC), rc;
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

void st_remove_db_dir(const char *tmp)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/data.mdb", tmp);
	unlink(path);
	snprintf(path, sizeof path, "%s/lock.mdb", tmp);
	unlink(path);
	rmdir(tmp);
}

/* The copy is written into a hidden directory beside `dir` and renamed to
 * `dir` only once complete and on disk: a backup killed part-way leaves no
 * `dir` that looks like a database. */
int st_backup(st_env *env, const char *dir, char *why, size_t n)
{
	struct stat sb;
	char tmp[4096], parent[4096], path[4200];
	const char *slash, *base;
	int rc;
	/* LMDB's compacting copy follows every page: walked first, so that a
	 * damaged file is refused rather than copied (or left to LMDB's
	 * mercy), and the copy's long call is not taken for a loop */
	if (env->e_file > ST_WALK_AT_OPEN && !env->e_write_checked) {
		if ((rc = st_verify_open(env, 1, why, n)) != ST_OK)
			return rc;
		st_fault_walked(env);
	}
	if (stat(dir, &sb) == 0) {
		DIR *d = opendir(dir);
		struct dirent *de;
		int empty = 1;
		if (!d) {
			snprintf(why, n, "%s: %s", dir, strerror(errno));
			return ST_EIO;
		}
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				empty = 0;
		closedir(d);
		if (!empty) {
			snprintf(why, n, "%s exists and is not empty", dir);
			return ST_EEXISTS;
		}
	}
	/* strip trailing slashes, then split into parent and name */
	snprintf(parent, sizeof parent, "%s", dir);
	for (size_t l = strlen(parent); l > 1 && parent[l - 1] == '/'; l--)
		parent[l - 1] = 0;
	slash = strrchr(parent, '/');
	base = slash ? slash + 1 : parent;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		snprintf(why, n, "%s: name a new directory for the backup", dir);
		return ST_EIO;
	}
	if (snprintf(tmp, sizeof tmp, "%.*s.%s.backup-%ld", slash ? (int)(slash - parent + 1) : 0, parent, base,
	    (long)getpid()) >= (int)sizeof tmp) {
		snprintf(why, n, "%s: path too long", dir);
		return ST_EIO;
	}
	if (slash)
		parent[slash == parent ? 1 : slash - parent] = 0;
	else
		strcpy(parent, ".");
	st_remove_db_dir(tmp);   /* a leftover of this pid's predecessor */
	if (mkdir(tmp, 0775) != 0) {
		snprintf(why, n, "cannot create %s: %s", tmp, strerror(errno));
		return ST_EIO;
	}
	rc = mdb_env_copy2(env->e_env, tmp, MDB_CP_COMPACT);
	if (rc) {
		snprintf(why, n, "copy to %s failed: %s", dir, rc == ENOSPC ? "no space left on device" : mdb_strerror(rc));
		st_remove_db_dir(tmp);
		return ST_EIO;
	}
	snprintf(path, sizeof path, "%s/data.mdb", tmp);
	if (st_sync_path(path, 0) != 0 || st_sync_path(tmp, 1) != 0 || rename(tmp, dir) != 0) {
		snprintf(why, n, "cannot complete the backup %s: %s", dir, errno == ENOSPC ? "no space left on device" : strerror(errno));
		st_remove_db_dir(tmp);
		return ST_EIO;
	}
	st_sync_path(parent, 1);
	return ST_OK;
}

/* ---- transactions ---- */

static void count_problem(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static uint64_t entries(st_txn *t, int db)
{
	MDB_stat ms;
	return mdb_stat(t->t_txn, DBI(t, db), &ms) ? ~(uint64_t)0 : ms.ms_entries;
}

/* Checks that cost nothing: tables kept in step hold as many entries, and
 * the newest change-log record is where meta says and hashes right. */
static int counts_agree(st_txn *t)
{
	uint64_t head = st_log_head(t);
	if (entries(t, ST_OUTA) != entries(t, ST_INA) || entries(t, ST_SYM) != entries(t, ST_SYMID) ||
	    head != st_log_head_recorded(t))
		return 0;
	if (head) {
		const unsigned char *h, *p;
		const void *body;
		size_t len;
		unsigned char *buf, sum[ST_DIGEST_LEN];
		int ok;
		if (st_log_get(t, head, &h, &p, &body, &len) != ST_OK || !(buf = malloc(ST_DIGEST_LEN + len)))
			return 0;
		memcpy(buf, p, ST_DIGEST_LEN);
		memcpy(buf + ST_DIGEST_LEN, body, len);
		st_sha256(buf, ST_DIGEST_LEN + len, sum);
		ok = memcmp(sum, h, ST_DIGEST_LEN) == 0;
		free(buf);
		return ok;
	}
	return 1;
}

/* Before the first write of a process: the page structure must be sound,
 * or the write would spread the damage (and LMDB might fault on it); and
 * where that is cheap (a small file) the data must match its digest. */
static int write_check(st_env *env)
{
	st_txn *t;
	long bad = 0;
	unsigned char stored[ST_DIGEST_LEN], actual[ST_DIGEST_LEN];
	int rc = st_txn_begin(env, 0, &t);
	if (rc)
		return rc;
	if (env->e_file > ST_WALK_AT_OPEN)   /* else walked at open */
		bad = st_verify_pages(t, count_problem, NULL, 1);
	if (bad == 0 && !counts_agree(t))
		bad = 1;
	if (bad == 0 && env->e_file <= ST_DIGEST_AT_WRITE &&
	    (st_digest_stored(t, stored) != ST_OK || st_digest_recompute(t, actual) != ST_OK ||
	     memcmp(stored, actual, ST_DIGEST_LEN) != 0))
		bad = 1;
	st_txn_abort(t);
	if (bad > 0) {
		st_seterr("%s is damaged (%s): refusing to write; run `sanctgraph check`", env->e_dir,
		    "its pages, counts, newest log record or digest do not check out");
		return st_corrupt();
	}
	env->e_write_checked = 1;
	st_fault_walked(env);
	return ST_OK;
}

int st_txn_begin(st_env *env, int write, st_txn **out)
{
	/* the last transaction's memory when there is one: a process's
	 * statements then do not each touch new heap pages for it */
	st_txn *t = env->e_spare ? env->e_spare : calloc(1, sizeof *t);
	int rc, tries = 0;
	env->e_spare = NULL;
	*out = NULL;
	if (write && env->e_rdonly) {
		free(t);
		st_seterr("%s is read-only (this user or file system cannot write it): reading commands work, writes do not", env->e_dir);
		return ST_ERDONLY;
	}
	if (write && !env->e_write_checked && (rc = write_check(env)) != ST_OK) {
		free(t);
		return rc;
	}
	if (!t)
		return ST_ENOMEM;
	t->t_env = env;
	t->t_write = write;
again:
	rc = mdb_txn_begin(env->e_env, NULL, write ? 0 : MDB_RDONLY, &t->t_txn);
	if (rc == MDB_MAP_RESIZED && tries++ < 3) {
		/* another process grew the map: adopt its size */
		mdb_env_set_mapsize(env->e_env, 0);
		map_moved(env);
		goto again;
	}
	if (rc) {
		free(t);
		return st_mdb_err(rc, write ? "begin write" : "begin read");
	}
	if (!write && env->e_nolock && !env->e_rd_first)
		env->e_rd_first = mdb_txn_id(t->t_txn);
	if (write && st_hash_ready(env) != ST_OK) {
		mdb_txn_abort(t->t_txn);
		free(t);
		return ST_EIO;
	}
	if (write) {
		const void *v;
		size_t len;
		if (st_meta_get(t, "digest", &v, &len) == ST_OK && len == ST_DIGEST_LEN)
			st_digest_from_bytes(t->t_digest, v);
	}
	*out = t;
	return ST_OK;
}

/* Closes the transaction's cursors (before it ends: LMDB requires it of
 * write transactions). */
static void close_cursors(st_txn *t)
{
	for (int i = 0; i < ST_NDBI; i++)
		if (t->t_cur[i]) {
			mdb_cursor_close(t->t_cur[i]);
			t->t_cur[i] = NULL;
		}
	if (t->t_labcur) {
		mdb_cursor_close(t->t_labcur);
		t->t_labcur = NULL;
	}
}

/* Whether the file system holding `dir` has (next to) no room left. */
static int disk_full(const char *dir)
{
	struct statvfs vs;
	return statvfs(dir, &vs) == 0 && (uint64_t)vs.f_bavail * vs.f_frsize < ((uint64_t)1 << 20);
}

static void txn_free(st_txn *t)
{
	st_digest_sync(t);   /* the thread stops */
	close_cursors(t);
	free(t->t_blk.b_data);
	free(t->t_blk.b_out);
	free(t->t_bc);
	free(t->t_ac[0]);
	free(t->t_ac[1]);
	free(t->t_tc);
	if (!t->t_env->e_spare) {
		st_env *env = t->t_env;
		memset(t, 0, sizeof *t);
		env->e_spare = t;
	} else {
		free(t);
	}
}

int st_txn_commit(st_txn *t)
{
	int rc = ST_OK;
	if (!t)
		return ST_OK;
	if (t->t_write) {
		unsigned char d[ST_DIGEST_LEN];
		if ((rc = st_block_flush(t)) != ST_OK)
			goto fail;
		st_digest_sync(t);
		if (t->t_digest_dirty) {
			st_digest_to_bytes(t->t_digest, d);
			if ((rc = st_meta_put(t, "digest", d, sizeof d)) != ST_OK)
				goto fail;
		}
	}
	close_cursors(t);
	rc = mdb_txn_commit(t->t_txn);
	t->t_txn = NULL;
	if (rc == EIO && disk_full(t->t_env->e_dir))
		rc = ENOSPC;   /* LMDB reports a short write as EIO */
	rc = st_mdb_err(rc, "commit");
	txn_free(t);
	return rc;
fail:
	st_txn_abort(t);
	return rc;
}

void st_txn_abort(st_txn *t)
{
	if (!t)
		return;
	close_cursors(t);
	if (t->t_txn)
		mdb_txn_abort(t->t_txn);
	txn_free(t);
}

int st_write(st_env *env, int (*fn)(st_txn *, void *), void *arg)
{
	for (int attempt = 0;; attempt++) {
		st_txn *t;
		int rc = st_txn_begin(env, 1, &t);
		if (rc)
			return rc;
		rc = fn(t, arg);
		if (rc == ST_OK)
			rc = st_txn_commit(t);
		else
			st_txn_abort(t);
		if (rc != ST_EMAPFULL || attempt >= 20)
			return rc;
		/* grow the map and replay the whole transaction */
		MDB_envinfo info;
		mdb_env_info(env->e_env, &info);
		if (mdb_env_set_mapsize(env->e_env, info.me_mapsize * 2))
			return ST_EMAPFULL;
		map_moved(env);
	}
}

MDB_cursor *st_cursor(st_txn *t, int db)
{
	if (!t->t_cur[db] && mdb_cursor_open(t->t_txn, t->t_env->e_dbi[db], &t->t_cur[db]))
		return NULL;
	return t->t_cur[db];
}

/* ---- meta and symbols ---- */

int st_meta_get(st_txn *t, const char *name, const void **val, size_t *len)
{
	MDB_val k = { strlen(name), (void *)name }, v;
	int rc = st_get(t, ST_META, &k, &v, "meta");
	if (rc)
		return rc;
	*val = v.mv_data;
	*len = v.mv_size;
	return ST_OK;
}

int st_meta_put(st_txn *t, const char *name, const void *val, size_t len)
{
	MDB_val k = { strlen(name), (void *)name }, v = { len, (void *)val };
	return st_mdb_err(mdb_put(t->t_txn, DBI(t, ST_META), &k, &v, 0), "meta");
}

int st_sym_find(st_txn *t, const char *name, size_t len, uint16_t *id)
{
	MDB_val k = { len, (void *)name }, v;
	int rc;
	if (len == 0 || len > ST_MAX_KEY)
		return ST_ENOTFOUND;
	if ((rc = st_get(t, ST_SYM, &k, &v, "symbol")))
		return rc;
	if (v.mv_size != 2)
		return st_corrupt();
	*id = st_get16(v.mv_data);
	return ST_OK;
}

int st_sym_intern(st_txn *t, const char *name, size_t len, uint16_t *id)
{
	unsigned char kb[2];
	const void *p;
	size_t plen;
	uint32_t next = 1;
	int rc = st_sym_find(t, name, len, id);
	if (rc != ST_ENOTFOUND)
		return rc;
	if (len == 0 || len > ST_MAX_KEY) {
		st_seterr("name of %zu bytes: names are 1 to %d bytes", len, ST_MAX_KEY);
		return ST_ELIMIT;
	}
	if (st_meta_get(t, "next_sym", &p, &plen) == ST_OK && plen == 4)
		next = st_get32(p);
	if (next > 0xffff) {
		st_seterr("this database has used all 65535 names it can hold (labels, relationship types and property names together, over its lifetime)");
		return ST_ELIMIT;
	}
	st_put16(kb, (uint16_t)next);
	{
		/* symid values keep a NUL so that names can be used as C strings */
		MDB_val k = { len, (void *)name }, v = { 2, kb };
		MDB_val k2 = { 2, kb }, v2 = { len + 1, NULL };
		unsigned char nb[4];
		if ((rc = mdb_put(t->t_txn, DBI(t, ST_SYM), &k, &v, MDB_NOOVERWRITE)) ||
		    (rc = mdb_put(t->t_txn, DBI(t, ST_SYMID), &k2, &v2, MDB_APPEND | MDB_RESERVE)))
			return st_mdb_err(rc, "symbol");
		memcpy(v2.mv_data, name, len);
		((char *)v2.mv_data)[len] = 0;
		st_put32(nb, next + 1);
		if ((rc = st_meta_put(t, "next_sym", nb, 4)) != ST_OK)
			return rc;
	}
	*id = (uint16_t)next;
	return ST_OK;
}

int st_sym_name(st_txn *t, uint16_t id, const char **name, size_t *len)
{
	unsigned char kb[2];
	MDB_val k = { 2, kb }, v;
	int rc;
	st_put16(kb, id);
	if ((rc = st_get(t, ST_SYMID, &k, &v, "symbol")))
		return rc;
	if (v.mv_size < 2 || v.mv_size > ST_MAX_KEY + 1 || ((const char *)v.mv_data)[v.mv_size - 1] != 0) {
		st_seterr("symbol %u: malformed name", id);
		return st_corrupt();
	}
	*name = v.mv_data;
	*len = v.mv_size - 1;
	return ST_OK;
}

int st_sym_next(st_txn *t, uint16_t *id, const char **name, size_t *len)
{
	MDB_cursor *c = st_cursor(t, ST_SYMID);
	unsigned char kb[2];
	MDB_val k = { 2, kb }, v;
	int rc;
	if (!c)
		return ST_EIO;
	if (*id == 0xffff)
		return ST_ENOTFOUND;
	st_put16(kb, (uint16_t)(*id + 1));
	rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	if (rc)
		return st_mdb_err(rc, "symbols");
	if (k.mv_size != 2 || st_get16(k.mv_data) <= *id || v.mv_size < 2 || v.mv_size > ST_MAX_KEY + 1 ||
	    ((const char *)v.mv_data)[v.mv_size - 1] != 0) {
		st_seterr("symbols: malformed or out-of-order entry after symbol %u", *id);
		return st_corrupt();
	}
	*id = st_get16(k.mv_data);
	*name = v.mv_data;
	*len = v.mv_size - 1;
	return ST_OK;
}

/* ---- relationship type codes ---- */

/* The transaction's code table, made at first use; NULL when there is no
 * memory for it (then every code is looked up in the table). */
static struct st_tcodes *tcodes(st_txn *t)
{
	if (!t->t_tc)
		t->t_tc = calloc(1, sizeof *t->t_tc);
	return t->t_tc;
}

/* The slot of type in the code table: its own, or the free one where it
 * would go. */
static unsigned tcode_slot(const struct st_tcodes *tc, uint16_t type)
{
	unsigned i = ((unsigned)type * 40503u) & (ST_TCODE_SLOTS - 1);
	while (tc->tck[i] && tc->tck[i] != (uint32_t)type + 1)
		i = (i + 1) & (ST_TCODE_SLOTS - 1);
	return i;
}

static void tcode_remember(struct st_tcodes *tc, uint16_t type, uint8_t code)
{
	unsigned i = tcode_slot(tc, type);
	tc->tck[i] = (uint32_t)type + 1;
	tc->tcv[i] = code;
}

int st_tcode(st_txn *t, uint16_t type, int create, uint8_t *code)
{
	unsigned char kb[4], cb[1];
	MDB_val k = { 4, kb }, v;
	int rc;
	struct st_tcodes *tc = tcodes(t);   /* NULL (no memory): looked up each time */
	if (tc) {
		unsigned slot = tcode_slot(tc, type);
		if (tc->tck[slot]) {
			*code = tc->tcv[slot];
			return ST_OK;
		}
	}
	kb[0] = 't';
	kb[1] = 'c';
	st_put16(kb + 2, type);
	rc = mdb_get(t->t_txn, DBI(t, ST_META), &k, &v);
	if (rc == 0 && v.mv_size == 1) {
		*code = *(const unsigned char *)v.mv_data;
		if (tc)
			tcode_remember(tc, type, *code);
		return ST_OK;
	}
	if (rc != MDB_NOTFOUND)
		return rc ? st_mdb_err(rc, "type code") : st_corrupt();
	if (!create)
		return ST_ENOTFOUND;
	{
		const void *p;
		size_t len;
		unsigned next = 1;
		unsigned char nb[1], tb[3];
		MDB_val k2 = { 3, tb }, v2 = { 2, NULL };
		unsigned char sb[2];
		if (st_meta_get(t, "next_tcode", &p, &len) == ST_OK && len == 1)
			next = *(const unsigned char *)p;
		if (next == 0 || next > 255) {
			st_seterr("too many relationship types (a database holds at most 255)");
			return ST_ELIMIT;
		}
		cb[0] = (unsigned char)next;
		v.mv_size = 1;
		v.mv_data = cb;
		tb[0] = 't';
		tb[1] = 's';
		tb[2] = (unsigned char)next;
		st_put16(sb, type);
		v2.mv_data = sb;
		nb[0] = (unsigned char)(next == 255 ? 0 : next + 1);
		if ((rc = mdb_put(t->t_txn, DBI(t, ST_META), &k, &v, 0)) ||
		    (rc = mdb_put(t->t_txn, DBI(t, ST_META), &k2, &v2, 0)))
			return st_mdb_err(rc, "type code");
		if ((rc = st_meta_put(t, "next_tcode", nb, 1)) != ST_OK)
			return rc;
		*code = (uint8_t)next;
		if (tc) {
			tcode_remember(tc, type, *code);
			tc->tsym[next] = type;
		}
		return ST_OK;
	}
}

uint16_t st_tsym(st_txn *t, uint8_t code)
{
	unsigned char kb[3];
	MDB_val k = { 3, kb }, v;
	struct st_tcodes *tc;
	if (code == 0)
		return 0;
	if ((tc = tcodes(t)) && tc->tsym[code])
		return tc->tsym[code];
	kb[0] = 't';
	kb[1] = 's';
	kb[2] = code;
	if (mdb_get(t->t_txn, DBI(t, ST_META), &k, &v) || v.mv_size != 2)
		return 0;
	if (tc)
		tc->tsym[code] = st_get16(v.mv_data);
	return st_get16(v.mv_data);
}

/* ---- ids ---- */

static int alloc_ids(st_txn *t, const char *name, uint32_t count, uint32_t *first)
{
	const void *p;
	size_t len;
	uint64_t next = 1;
	unsigned char nb[4];
	if (st_meta_get(t, name, &p, &len) == ST_OK && len == 4)
		next = st_get32(p);
	if (next == 0 || next + count > 0xffffffffull) {
		st_seterr("out of %s ids (a database holds at most 4294967294)", name + 5);
		return ST_ELIMIT;
	}
	*first = (uint32_t)next;
	st_put32(nb, (uint32_t)(next + count));
	return st_meta_put(t, name, nb, 4);
}

int st_id_next(st_txn *t, int edge, uint32_t *next)
{
	const void *p;
	size_t len;
	*next = 1;
	if (st_meta_get(t, edge ? "next_edge" : "next_node", &p, &len) == ST_OK && len == 4)
		*next = st_get32(p);
	return ST_OK;
}

int st_id_set_next(st_txn *t, int edge, uint32_t next)
{
	unsigned char nb[4];
	st_put32(nb, next);
	return st_meta_put(t, edge ? "next_edge" : "next_node", nb, 4);
}

int st_node_alloc(st_txn *t, uint32_t count, uint32_t *first)
{
	return alloc_ids(t, "next_node", count, first);
}

int st_edge_alloc(st_txn *t, uint32_t count, uint32_t *first)
{
	return alloc_ids(t, "next_edge", count, first);
}

/* ---- digests ---- */

static int item_hash_short(char tag, const void *key, size_t klen, const void *val, size_t vlen,
    unsigned char h[ST_DIGEST_LEN]);

/* 1 when libcrypto's SHA-256 gives the known digest of "abc" (FIPS 180-2). */
static int sha256_works(void)
{
	static const unsigned char abc[ST_DIGEST_LEN] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	unsigned char h[ST_DIGEST_LEN], h1[ST_DIGEST_LEN];
	st_sha256("abc", 3, h);
	/* and the one-block path of st_item_hash gives the same */
	return memcmp(h, abc, sizeof h) == 0 && item_hash_short('a', "b", 1, "c", 1, h1) && memcmp(h1, abc, sizeof h1) == 0;
}

void st_sha256(const void *p, size_t n, unsigned char out[ST_DIGEST_LEN])
{
	SHA256_CTX c;
	if (!SHA256_Init(&c) || !SHA256_Update(&c, p, n) || !SHA256_Final(out, &c))
		memset(out, 0, ST_DIGEST_LEN);   /* libcrypto unusable: writes are refused first (st_hash_ready) */
}

void st_sha256_parts(const void *p, size_t n, size_t part, void (*done)(const void *, size_t, void *), void *arg,
    unsigned char out[ST_DIGEST_LEN])
{
	SHA256_CTX c;
	const unsigned char *b = p;
	if (!SHA256_Init(&c)) {
		memset(out, 0, ST_DIGEST_LEN);
		return;
	}
	for (size_t i = 0; i < n; i += part) {
		size_t m = n - i < part ? n - i : part;
		if (!SHA256_Update(&c, b + i, m)) {
			memset(out, 0, ST_DIGEST_LEN);
			return;
		}
		if (done)
			done(b + i, m, arg);
	}
	if (!SHA256_Final(out, &c))
		memset(out, 0, ST_DIGEST_LEN);
}

void st_hex(const unsigned char *p, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[p[i] >> 4];
		out[2 * i + 1] = hx[p[i] & 15];
	}
	out[2 * n] = 0;
}

void st_digest_from_bytes(uint64_t d[4], const unsigned char *b)
{
	for (int i = 0; i < 4; i++) {
		uint64_t x = 0;
		for (int j = 7; j >= 0; j--)
			x = x << 8 | b[8 * i + j];
		d[i] = x;
	}
}

void st_digest_to_bytes(const uint64_t d[4], unsigned char *b)
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 8; j++)
			b[8 * i + j] = (unsigned char)(d[i] >> (8 * j));
}

void st_sum256_add(uint64_t d[4], const uint64_t x[4], int sign)
{
	if (sign > 0) {
		unsigned carry = 0;
		for (int i = 0; i < 4; i++) {
			uint64_t s = d[i] + x[i];
			unsigned c1 = s < d[i];
			uint64_t s2 = s + carry;
			carry = c1 | (s2 < s);
			d[i] = s2;
		}
	} else {
		unsigned borrow = 0;
		for (int i = 0; i < 4; i++) {
			uint64_t s = d[i] - x[i];
			unsigned b1 = d[i] < x[i];
			uint64_t s2 = s - borrow;
			borrow = b1 | (s < (uint64_t)borrow);
			d[i] = s2;
		}
	}
}

/* Loads libcrypto and checks its SHA-256 before the first write or check;
 * a write is refused when it is unusable. */
int st_hash_ready(st_env *env)
{
	static int works = -1;
	(void)env;
	if (works < 0)
		works = sha256_works();
	if (!works) {
		const char *e = st_crypto_error();
		st_seterr("cannot compute SHA-256: %s", e ? e : "libcrypto gives a wrong digest");
		return ST_EIO;
	}
	return ST_OK;
}

/* SHA-256 of tag, key, value when they fit one block (55 bytes): padded
 * here and compressed once.  For the short items most tables hold (an
 * adjacency entry is 14 bytes), Update and Final cost more than the
 * compression.  Returns 0 when they do not fit. */
static int item_hash_short(char tag, const void *key, size_t klen, const void *val, size_t vlen,
    unsigned char h[ST_DIGEST_LEN])
{
	unsigned char blk[64];
	size_t n = 1 + klen + vlen;
	uint64_t bits = (uint64_t)n * 8;
	SHA256_CTX c;
	if (n > 55)
		return 0;
	memset(blk, 0, sizeof blk);
	blk[0] = (unsigned char)tag;
	if (klen)
		memcpy(blk + 1, key, klen);
	if (vlen)
		memcpy(blk + 1 + klen, val, vlen);
	blk[n] = 0x80;
	for (int i = 0; i < 8; i++)
		blk[63 - i] = (unsigned char)(bits >> (8 * i));
	if (!SHA256_Init(&c))
		return 0;
	SHA256_Transform(&c, blk);
	for (int i = 0; i < 8; i++) {
		h[4 * i] = (unsigned char)(c.h[i] >> 24);
		h[4 * i + 1] = (unsigned char)(c.h[i] >> 16);
		h[4 * i + 2] = (unsigned char)(c.h[i] >> 8);
		h[4 * i + 3] = (unsigned char)c.h[i];
	}
	return 1;
}

/* Hash of one stored item: tag, key, value. */
void st_item_hash(st_env *env, char tag, const void *key, size_t klen, const void *val, size_t vlen, uint64_t out[4])
{
	unsigned char h[ST_DIGEST_LEN];
	if (st_hash_ready(env) != ST_OK) {
		memset(out, 0, 4 * sizeof out[0]);
		return;
	}
	if (!item_hash_short(tag, key, klen, val, vlen, h)) {
		SHA256_CTX c;
		/* these return 1 always (no allocation, no provider); checked all the same */
		if (!SHA256_Init(&c) || !SHA256_Update(&c, &tag, 1) || !SHA256_Update(&c, key, klen) ||
		    !SHA256_Update(&c, val, vlen) || !SHA256_Final(h, &c))
			memset(h, 0, sizeof h);
	}
	st_digest_from_bytes(out, h);
}

void st_digest_add(st_txn *t, const uint64_t sum[4])
{
	st_sum256_add(t->t_digest, sum, +1);
	st_sum256_add(t->t_delta, sum, +1);
	t->t_digest_dirty = 1;
}

void st_digest_item(st_txn *t, int sign, char tag, const void *key, size_t klen, const void *val, size_t vlen)
{
	uint64_t h[4];
	if (sign > 0 && t->t_dq && st_digest_queue(t, tag, key, klen, val, vlen) == 0) {
		t->t_digest_dirty = 1;   /* hashed on digestq.c's thread */
		return;
	}
	st_item_hash(t->t_env, tag, key, klen, val, vlen, h);
	st_sum256_add(t->t_digest, h, sign);
	st_sum256_add(t->t_delta, h, sign);
	t->t_digest_dirty = 1;
}

void st_digest_current(st_txn *t, unsigned char out[ST_DIGEST_LEN])
{
	st_digest_sync(t);
	st_digest_to_bytes(t->t_digest, out);
}

void st_digest_delta(st_txn *t, unsigned char out[ST_DIGEST_LEN])
{
	st_digest_sync(t);
	st_digest_to_bytes(t->t_delta, out);
}

int st_digest_stored(st_txn *t, unsigned char out[ST_DIGEST_LEN])
{
	const void *v;
	size_t len;
	int rc = st_meta_get(t, "digest", &v, &len);
	if (rc == ST_ENOTFOUND) {
		memset(out, 0, ST_DIGEST_LEN);
		return ST_OK;
	}
	if (rc)
		return rc;
	if (len != ST_DIGEST_LEN)
		return st_corrupt();
	memcpy(out, v, ST_DIGEST_LEN);
	return ST_OK;
}

int st_digest_recompute(st_txn *t, unsigned char out[ST_DIGEST_LEN])
{
	uint64_t sum[4] = { 0, 0, 0, 0 }, h[4];
	uint32_t id = 0;
	const void *rec;
	size_t len;
	unsigned char kb[4];
	int rc;

	while ((rc = st_node_next(t, &id, &rec, &len)) == ST_OK) {
		st_put32(kb, id);
		st_item_hash(t->t_env, 'n', kb, 4, rec, len, h);
		st_sum256_add(sum, h, 1);
	}
	if (rc != ST_ENOTFOUND)
		return rc;
	id = 0;
	while ((rc = st_edge_next(t, &id, &rec, &len)) == ST_OK) {
		st_put32(kb, id);
		st_item_hash(t->t_env, 'e', kb, 4, rec, len, h);
		st_sum256_add(sum, h, 1);
	}
	if (rc != ST_ENOTFOUND)
		return rc;
	{
		st_adj_iter *it;
		st_adj e;
		uint32_t src = 0;
		unsigned char eb[ST_ADJ_LEN];
		if ((rc = st_adj_open(t, &it)) != ST_OK)
			return rc;
		while ((rc = st_adj_scan(it, &src, &e)) == 1) {
			st_put32(kb, src);
			uint8_t code = 0;
			st_tcode(t, e.a_type, 0, &code);
			st_adj_pack(eb, code, e.a_nbr, e.a_edge);
			st_item_hash(t->t_env, 'o', kb, 4, eb, ST_ADJ_LEN, h);
			st_sum256_add(sum, h, 1);
		}
		st_adj_close(it);
		if (rc < 0)
			return rc;
	}
	if ((rc = st_pos_digest(t, h)) != ST_OK)   /* AIS positions */
		return rc;
	st_sum256_add(sum, h, 1);
	st_digest_to_bytes(sum, out);
	return ST_OK;
}

/* ---- change log ---- */

uint64_t st_log_head_recorded(st_txn *t)
{
	const void *v;
	size_t len;
	if (st_meta_get(t, "log_head", &v, &len) != ST_OK || len != 8)
		return 0;
	return st_get64(v);
}

uint64_t st_log_head(st_txn *t)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = st_pr_last_key(t, ST_LOG, &k);
	if (rc != PR_ASIDE)
		return rc == ST_OK && k.mv_size == 8 ? st_get64(k.mv_data) : 0;
	c = st_cursor(t, ST_LOG);
	rc = c ? mdb_cursor_get(c, &k, &v, MDB_LAST) : MDB_NOTFOUND;
	if (rc && rc != MDB_NOTFOUND)
		st_mdb_err(rc, "log");   /* a damaged page, noted: later calls see only a failed transaction */
	if (rc || k.mv_size != 8)
		return 0;
	return st_get64(k.mv_data);
}

uint64_t st_txn_snapshot(st_txn *t)
{
	return (uint64_t)mdb_txn_id(t->t_txn);
}

uint64_t st_log_count(st_txn *t)
{
	MDB_stat ms;
	if (mdb_stat(t->t_txn, DBI(t, ST_LOG), &ms))
		return 0;
	return ms.ms_entries;
}

int st_log_append(st_txn *t, const void *body, size_t len, uint64_t *seq)
{
	uint64_t head = st_log_head(t);
	unsigned char kb[8], *rec;
	unsigned char prev[ST_DIGEST_LEN];
	MDB_val k = { 8, kb }, v;
	int rc;

	memset(prev, 0, sizeof prev);
	if (head) {
		const unsigned char *h, *p;
		const void *b;
		size_t bl;
		if ((rc = st_log_get(t, head, &h, &p, &b, &bl)) != ST_OK)
			return rc;
		memcpy(prev, h, ST_DIGEST_LEN);
	}
	if (!(rec = malloc(2 * ST_DIGEST_LEN + len)))
		return ST_ENOMEM;
	memcpy(rec + ST_DIGEST_LEN, prev, ST_DIGEST_LEN);
	memcpy(rec + 2 * ST_DIGEST_LEN, body, len);
	st_sha256(rec + ST_DIGEST_LEN, ST_DIGEST_LEN + len, rec);
	st_put64(kb, head + 1);
	v.mv_size = 2 * ST_DIGEST_LEN + len;
	v.mv_data = rec;
	rc = mdb_put(t->t_txn, DBI(t, ST_LOG), &k, &v, MDB_APPEND);
	free(rec);
	if (rc)
		return st_mdb_err(rc, "log");
	/* the head is also kept apart, so a deleted newest record shows */
	if ((rc = st_meta_put(t, "log_head", kb, 8)) != ST_OK)
		return rc;
	*seq = head + 1;
	return ST_OK;
}

int st_log_get(st_txn *t, uint64_t seq, const unsigned char **hash,
    const unsigned char **prev, const void **body, size_t *len)
{
	unsigned char kb[8];
	MDB_val k = { 8, kb }, v;
	int rc;
	st_put64(kb, seq);
	if ((rc = mdb_get(t->t_txn, DBI(t, ST_LOG), &k, &v)))
		return st_mdb_err(rc, "log");
	if ((rc = st_val_ok(t, &v, "log")) != ST_OK)
		return rc;
	if (v.mv_size < 2 * ST_DIGEST_LEN) {
		st_seterr("log record %llu is truncated", (unsigned long long)seq);
		return st_corrupt();
	}
	*hash = v.mv_data;
	*prev = (const unsigned char *)v.mv_data + ST_DIGEST_LEN;
	*body = (const unsigned char *)v.mv_data + 2 * ST_DIGEST_LEN;
	*len = v.mv_size - 2 * ST_DIGEST_LEN;
	return ST_OK;
}
