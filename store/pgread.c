/*
 * pgread.c: a new process's point reads, through pread instead of LMDB's
 * map.
 *
 * Why: on the machines sanctgraph is measured on (virtual machines), the
 * first touch of a page of a file mapping costs a process 20 to 75 us,
 * while a 4 KiB pread of the same page from the page cache costs 3 to 5.
 * A point query in a new process (look a vessel up by key, read its calls)
 * touches 7 to 35 pages of the map, each once: most of its time, and a
 * search through the ownership graph (a shortest path) a few hundred, at
 * random.  So the first pages a process reads in read transactions
 * (PR_BUDGET of them) are read here, from the file; after that, or once a
 * scan begins (PR_SCAN steps, or st_pr_stop), the process reads in bulk,
 * and LMDB's map (no copy, pages mapped 16 at a time) is the faster way.
 *
 * Every page a new process touches for the first time costs it a few
 * microseconds (the hypervisor fills its own page tables), while a pread
 * into a page already touched costs one or two.  So a page read once is
 * read into one scratch page, and the value wanted copied out of it into
 * a page of values (a key lookup's node record, a few dozen bytes); only a
 * page read a second time in a snapshot (a root, a branch near it) is kept.
 * Kept pages and values lie in a region mapped for them and populated a
 * few pages at a time (a populated page costs a process a third of one
 * touched cold); values point into it as into the map.
 *
 * What is read: the snapshot of the caller's read transaction (its meta
 * page names the roots; a named table's record is read from the main
 * table as LMDB reads it, and a table whose flags are not the store's is
 * left to LMDB).  The walk at open (verify.c) hands over the meta page and
 * the main table's pages it read, so a first statement starts at its own
 * table.  LMDB keeps
 * every page of that snapshot while the transaction lives, so what pread
 * returns cannot change under us.  A page is never reused for another: a
 * new snapshot only forgets which pages are which, so values outlive the
 * transaction as map pointers do.
 *
 * Every offset, size and page number is checked before use, so a damaged
 * page gives ST_ECORRUPT with a message, never a read outside a buffer.
 *
 * Each entry point returns ST_OK, ST_ENOTFOUND, an error, or PR_ASIDE:
 * "not done here", for the caller to ask LMDB (a write transaction, the
 * budget spent, a table shape not handled, a snapshot this path cannot
 * confirm).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "store_int.h"
#include "lmdbfmt.h"

#define PR_BUDGET 1024     /* pages a process reads here before using the map only */
#define PR_SEEN 256        /* pages read once that a snapshot remembers */
#define PR_MEMO_KEY 16     /* the longest key whose value a table remembers */
#define PR_SCAN 256        /* steps of scans after which it uses the map only */
#define PR_STEP 8          /* pages populated at a time */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

struct st_pr {
	int fd;
	size_t psize;
	uint64_t npages;             /* of the snapshot: its last page + 1 */
	uint64_t txnid;              /* the snapshot known, 0 none */
	dbrec main;
	dbrec tab[ST_NDBI];
	uint32_t tab_known, tab_bad; /* bit per table: record read; this path not for it */
	int off;                     /* this path is done for the process */
	unsigned scan;               /* steps of scans seen */
	unsigned long reads;         /* preads made (tests) */
	unsigned budget;             /* pages: PR_BUDGET but in tests */
	unsigned char *region;       /* budget pages, mapped at first use */
	unsigned used, populated;    /* pages of it holding data; made ready */
	unsigned first;              /* pg[] entries from `first` on are the snapshot's */
	uint64_t *pg;                /* the page each region page holds (an overflow run: its first) */
	unsigned pages;              /* pages read, kept or not: at most the budget */
	unsigned char *scratch;      /* a page read once: valid until the next read */
	uint64_t scratch_pg;         /* the page it holds, NO_PAGE none */
	uint64_t seen[PR_SEEN];      /* pages of the snapshot read into scratch */
	unsigned nseen;
	unsigned char *vals;         /* the page of values copied out of scratch */
	size_t vals_used;            /* bytes of it used */
	uint32_t memo_ok;            /* bit per table: memo[] holds its last key read */
	struct {
		unsigned char key[PR_MEMO_KEY];
		size_t klen;
		MDB_val val;
	} memo[ST_NDBI];             /* a record read many times in a row (a node's properties) */
};

static int cmp_memn(const unsigned char *a, size_t al, const unsigned char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);
	return c ? c : (al < bl ? -1 : al > bl);
}

void st_pr_free(st_env *env)
{
	struct st_pr *pr = env->e_pr;
	if (!pr)
		return;
	if (pr->region)
		munmap(pr->region, (size_t)pr->budget * pr->psize);
	free(pr->pg);
	free(pr);
	env->e_pr = NULL;
}

static int damaged(uint64_t pg, const char *what)
{
	st_seterr("page %llu of the database file is damaged (%s)", (unsigned long long)pg, what);
	return st_corrupt();
}

/* Reads `len` bytes at `off` of the file: 0, or an error set. */
static int pr_pread(struct st_pr *pr, void *buf, size_t len, uint64_t off, uint64_t pg)
{
	size_t got = 0;
	pr->reads++;
	while (got < len) {
		ssize_t r = pread(pr->fd, (char *)buf + got, len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			st_seterr("page %llu of the database file cannot be read: %s", (unsigned long long)pg,
			    r < 0 ? strerror(errno) : "the file ends before it");
			return st_corrupt();
		}
		got += (size_t)r;
	}
	return ST_OK;
}

/* Room for n more pages in the region: their address, or NULL (PR_ASIDE
 * from then on) when the budget is spent. */
static unsigned char *pr_room(struct st_pr *pr, unsigned n)
{
	unsigned char *p;
	if (n > pr->budget - pr->used) {
		pr->off = 1;
		return NULL;
	}
	if (!pr->region) {
		void *m = mmap(NULL, (size_t)pr->budget * pr->psize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED) {
			pr->off = 1;
			return NULL;
		}
		pr->region = m;
	}
	if (pr->used + n > pr->populated) {
		/* made ready a few at a time: cheaper than a fault per page */
		unsigned to = pr->used + n + PR_STEP - 1;
		to -= to % PR_STEP;
		if (to > pr->budget)
			to = pr->budget;
		(void)madvise(pr->region + (size_t)pr->populated * pr->psize, (size_t)(to - pr->populated) * pr->psize,
		    MADV_POPULATE_WRITE);
		pr->populated = to;
	}
	p = pr->region + (size_t)pr->used * pr->psize;
	return p;
}

/* Where page `pg` of the snapshot is kept (an overflow run: where it
 * starts), or NULL when it has not been read. */
static unsigned char *pr_kept(const struct st_pr *pr, uint64_t pg)
{
	for (unsigned i = pr->used; i-- > pr->first;)
		if (pr->pg[i] == pg)
			return pr->region + (size_t)i * pr->psize;
	return NULL;
}

/* A page just read as page `pg`: ST_OK if its header holds together. */
static int pr_check(const struct st_pr *pr, uint64_t pg, const unsigned char *buf)
{
	unsigned flags = g16(buf + 10) & ~P_TRANSIENT, lower = g16(buf + 12), upper = g16(buf + 14);
	if (g64(buf) != pg)
		return damaged(pg, "it names another page");
	if ((flags & P_OVERFLOW) || lower < PGHDR || lower > upper || upper > pr->psize || (lower - PGHDR) % 2)
		return damaged(pg, "bad free-space bounds");
	return ST_OK;
}

/* A region page of its own (scratch, values): its address, or NULL. */
static unsigned char *pr_own(struct st_pr *pr)
{
	unsigned char *p = pr_room(pr, 1);
	if (p)
		pr->pg[pr->used++] = NO_PAGE;
	return p;
}

/* Whether page `pg` was read once before in this snapshot; if not, it is
 * remembered now. */
static int pr_seen(struct st_pr *pr, uint64_t pg)
{
	for (unsigned i = 0; i < pr->nseen && i < PR_SEEN; i++)
		if (pr->seen[i] == pg)
			return 1;
	pr->seen[pr->nseen++ % PR_SEEN] = pg;
	return 0;
}

/* Page `pg` of the snapshot, checked: a page kept, or (read the first
 * time) the scratch page, valid until the next call. */
static int pr_page(struct st_pr *pr, uint64_t pg, const unsigned char **out)
{
	unsigned char *buf;
	int rc, keep;
	if ((*out = pr_kept(pr, pg)))
		return ST_OK;
	if (pg < 2 || pg >= pr->npages)
		return damaged(pg, "a page number past the end of the file");
	if (pr->scratch_pg == pg) {
		/* read again: the scratch page is kept from now on, when it lies
		 * among the snapshot's pages (pr_kept looks only there) */
		size_t i = (size_t)(pr->scratch - pr->region) / pr->psize;
		*out = pr->scratch;
		if (i >= pr->first) {
			pr->pg[i] = pg;
			pr->scratch = NULL;
			pr->scratch_pg = NO_PAGE;
		}
		return ST_OK;
	}
	if (pr->pages >= pr->budget) {
		pr->off = 1;
		return PR_ASIDE;
	}
	keep = pr_seen(pr, pg);
	if (keep ? !(buf = pr_room(pr, 1)) : !pr->scratch && !(pr->scratch = pr_own(pr)))
		return PR_ASIDE;
	if (!keep) {
		buf = pr->scratch;
		pr->scratch_pg = NO_PAGE;
	}
	pr->pages++;
	if ((rc = pr_pread(pr, buf, pr->psize, pg * pr->psize, pg)) != ST_OK || (rc = pr_check(pr, pg, buf)) != ST_OK)
		return rc;
	if (keep)
		pr->pg[pr->used++] = pg;
	else
		pr->scratch_pg = pg;
	*out = buf;
	return ST_OK;
}

/* A value that lies in the scratch page is copied into the page of
 * values, so that it lives as long as a kept page: ST_OK or PR_ASIDE. */
static int pr_hold(struct st_pr *pr, MDB_val *v)
{
	const unsigned char *d = v->mv_data;
	size_t at;
	if (!pr->scratch || d < pr->scratch || d >= pr->scratch + pr->psize)
		return ST_OK;
	at = (pr->vals_used + 7) & ~(size_t)7;
	if (!pr->vals || at + v->mv_size > pr->psize) {
		if (v->mv_size > pr->psize || !(pr->vals = pr_own(pr)))
			return PR_ASIDE;
		at = 0;
	}
	memcpy(pr->vals + at, d, v->mv_size);
	pr->vals_used = at + v->mv_size;
	v->mv_data = pr->vals + at;
	return ST_OK;
}

/* The node at index i of page p (n bytes): NULL if it does not lie in it. */
static const unsigned char *node_at(const unsigned char *p, size_t n, unsigned i)
{
	size_t off = g16(p + PGHDR + 2 * i), ks;
	if (off < g16(p + 14) || off + NODESZ > n)
		return NULL;
	ks = g16(p + off + 6);
	if (ks > MAX_KEY || off + NODESZ + ks > n)
		return NULL;
	return p + off;
}

static unsigned nkeys(const unsigned char *p)
{
	return (unsigned)(g16(p + 12) - PGHDR) / 2;
}

/* Finds the leaf node holding `key` (exact) in tree d: ST_OK with *leaf
 * its page and *node the node, ST_ENOTFOUND, or an error or PR_ASIDE.
 * With key NULL: the last node. */
static int pr_search(struct st_pr *pr, const dbrec *d, const unsigned char *key, size_t klen,
    const unsigned char **leaf, const unsigned char **node)
{
	const unsigned char *p, *nd;
	uint64_t pg = d->root;
	unsigned nk, lo, hi;
	int rc;
	if (d->root == NO_PAGE)
		return ST_ENOTFOUND;
	if (d->depth == 0 || d->depth > MAX_DEPTH)
		return damaged(d->root, "a tree of impossible depth");
	for (unsigned level = d->depth; level > 1; level--) {
		if ((rc = pr_page(pr, pg, &p)) != ST_OK)
			return rc;
		if ((g16(p + 10) & ~P_TRANSIENT) != P_BRANCH || (nk = nkeys(p)) == 0)
			return damaged(pg, "a branch page expected");
		/* the last child whose first key is <= key; the first child's key
		 * is not stored (it stands for everything below the second's) */
		lo = key ? 1 : nk;
		hi = nk;
		while (lo < hi) {
			unsigned mid = lo + (hi - lo) / 2;
			if (!(nd = node_at(p, pr->psize, mid)))
				return damaged(pg, "a node outside its page");
			if (cmp_memn(nd + NODESZ, g16(nd + 6), key, klen) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!(nd = node_at(p, pr->psize, lo - 1)))
			return damaged(pg, "a node outside its page");
		pg = node_child(nd);
	}
	if ((rc = pr_page(pr, pg, &p)) != ST_OK)
		return rc;
	if ((g16(p + 10) & ~P_TRANSIENT) != P_LEAF)
		return damaged(pg, "a leaf page expected");
	*leaf = p;
	if ((nk = nkeys(p)) == 0)
		return ST_ENOTFOUND;
	if (!key) {
		if (!(*node = node_at(p, pr->psize, nk - 1)))
			return damaged(pg, "a node outside its page");
		return ST_OK;
	}
	lo = 0;
	hi = nk;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c;
		if (!(nd = node_at(p, pr->psize, mid)))
			return damaged(pg, "a node outside its page");
		c = cmp_memn(nd + NODESZ, g16(nd + 6), key, klen);
		if (c == 0) {
			*node = nd;
			return ST_OK;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ST_ENOTFOUND;
}

/* The environment's state for this path, made with room for `budget`
 * pages; NULL when the path is not to be used. */
static struct st_pr *pr_env(st_env *env, unsigned budget)
{
	struct st_pr *pr = env->e_pr;
	MDB_stat ms;
	if (pr || env->e_pr_off)
		return pr;
	if (!(pr = calloc(1, sizeof *pr)) || !(pr->pg = malloc(budget * sizeof *pr->pg)) ||
	    mdb_env_get_fd(env->e_env, &pr->fd) || mdb_env_stat(env->e_env, &ms) || ms.ms_psize < 512) {
		if (pr)
			free(pr->pg);
		free(pr);
		env->e_pr_off = 1;
		return NULL;
	}
	pr->psize = ms.ms_psize;
	pr->budget = budget;
	pr->scratch_pg = NO_PAGE;
	env->e_pr = pr;
	return pr;
}

int st_pr_set_budget(st_env *env, unsigned pages)
{
	st_pr_free(env);
	env->e_pr_off = pages == 0;
	return pages == 0 || pr_env(env, pages) ? ST_OK : ST_ENOMEM;
}

/* A new snapshot, named by its meta page m (checked): the pages read for
 * another are kept (values may point into them) but not found again.
 * ST_OK, or PR_ASIDE when the file is shorter than the snapshot. */
static int pr_snapshot(st_env *env, struct st_pr *pr, const unsigned char *m)
{
	pr->txnid = 0;
	pr->first = pr->used;
	pr->tab_known = pr->tab_bad = 0;
	pr->scratch_pg = NO_PAGE;
	pr->nseen = 0;
	pr->memo_ok = 0;
	dbrec_read(m + PGHDR + META_MAINDB, &pr->main);
	pr->npages = g64(m + PGHDR + META_LASTPG) + 1;
	if (pr->npages > st_file_size(env) / pr->psize)
		return PR_ASIDE;
	pr->txnid = g64(m + PGHDR + META_TXNID);
	return ST_OK;
}

void st_pr_seed(st_env *env, const unsigned char *meta)
{
	struct st_pr *pr = env->e_nolock ? NULL : pr_env(env, PR_BUDGET);
	if (pr && !pr->off && meta_ok(meta))
		(void)pr_snapshot(env, pr, meta);
}

void st_pr_seed_page(st_env *env, uint64_t txnid, uint64_t pg, const unsigned char *page)
{
	struct st_pr *pr = env->e_pr;
	unsigned char *buf;
	if (!pr || pr->off || pr->txnid != txnid || pg < 2 || pg >= pr->npages || pr_kept(pr, pg) ||
	    !(buf = pr_room(pr, 1)))
		return;
	memcpy(buf, page, pr->psize);
	pr->pg[pr->used++] = pg;
}

/* The current snapshot and table `db`'s record: ST_OK, or PR_ASIDE. */
static int pr_table(st_txn *t, int db, struct st_pr **out)
{
	st_env *env = t->t_env;
	struct st_pr *pr = env->e_pr;
	uint64_t txnid;
	int rc;
	if (t->t_write || env->e_nolock || (env->e_absent >> db & 1))
		return PR_ASIDE;
	if (!pr && !(pr = pr_env(env, PR_BUDGET)))
		return PR_ASIDE;
	if (pr->off)
		return PR_ASIDE;
	txnid = mdb_txn_id(t->t_txn);
	if (pr->txnid != txnid) {
		unsigned char m[PGHDR + 136];
		int found = 0;
		for (int i = 0; i < 2 && !found; i++) {
			if (pr_pread(pr, m, sizeof m, (uint64_t)i * pr->psize, (uint64_t)i) != ST_OK)
				return PR_ASIDE;
			found = meta_ok(m) && g64(m + PGHDR + META_TXNID) == txnid;
		}
		/* not found: writers moved on twice since the transaction began */
		if (!found || pr_snapshot(env, pr, m) != ST_OK)
			return PR_ASIDE;
	}
	if (pr->tab_bad >> db & 1)
		return PR_ASIDE;
	if (!(pr->tab_known >> db & 1)) {
		const char *name = st_dbi_names[db];
		const unsigned char *leaf, *nd;
		dbrec *d = &pr->tab[db];
		rc = pr_search(pr, &pr->main, (const unsigned char *)name, strlen(name), &leaf, &nd);
		if (rc != ST_OK)
			return rc == ST_ENOTFOUND ? PR_ASIDE : rc;
		if (!(g16(nd + 4) & F_SUBDATA) || node_dsize(nd) != DBREC ||
		    (size_t)(nd - leaf) + NODESZ + g16(nd + 6) + DBREC > pr->psize)
			return damaged(g64(leaf), "a malformed table record");
		dbrec_read(nd + NODESZ + g16(nd + 6), d);
		/* LMDB's own record of the table comes from the same page of the
		 * same snapshot (asking it would read that page through the map) */
		if ((d->flags & (MDB_DUPSORT | MDB_DUPFIXED)) != st_dbi_flags[db]) {
			pr->tab_bad |= 1u << db;
			return PR_ASIDE;
		}
		pr->tab_known |= 1u << db;
	}
	*out = pr;
	return ST_OK;
}

/* A leaf node's value (node nd of page leaf): in the page, or in the run
 * of overflow pages it names, read into the region. */
static int node_value(struct st_pr *pr, const unsigned char *leaf, const unsigned char *nd, MDB_val *val)
{
	size_t at = (size_t)(nd - leaf) + NODESZ + g16(nd + 6), ds = node_dsize(nd);
	if (g16(nd + 4) & F_BIGDATA) {
		unsigned char *buf;
		uint64_t pg, pages;
		int rc;
		if (at + 8 > pr->psize)
			return damaged(g64(leaf), "a node outside its page");
		pg = g64(leaf + at);
		pages = ((uint64_t)ds + PGHDR + pr->psize - 1) / pr->psize;
		if (pg < 2 || pg >= pr->npages || pages > pr->npages - pg)
			return damaged(pg, "a value past the end of the file");
		if ((buf = pr_kept(pr, pg))) {
			val->mv_data = buf + PGHDR;
			val->mv_size = ds;
			return ST_OK;
		}
		if (pages > pr->budget - pr->pages || !(buf = pr_room(pr, (unsigned)pages)))
			return PR_ASIDE;
		pr->pages += (unsigned)pages;
		if ((rc = pr_pread(pr, buf, (size_t)pages * pr->psize, pg * pr->psize, pg)) != ST_OK)
			return rc;
		if (g64(buf) != pg || !(g16(buf + 10) & P_OVERFLOW) || g32(buf + 12) < pages)
			return damaged(pg, "a malformed overflow page");
		for (unsigned i = 0; i < pages; i++)
			pr->pg[pr->used++] = i ? NO_PAGE : pg;
		val->mv_data = buf + PGHDR;
		val->mv_size = ds;
		return ST_OK;
	}
	if (at + ds > pr->psize)
		return damaged(g64(leaf), "a value that does not fit its page");
	val->mv_data = (void *)(leaf + at);
	val->mv_size = ds;
	return pr_hold(pr, val);
}

int st_pr_get(st_txn *t, int db, const MDB_val *key, MDB_val *val)
{
	struct st_pr *pr;
	const unsigned char *leaf, *nd;
	int rc;
	if (st_dbi_flags[db] & MDB_DUPSORT)
		return PR_ASIDE;
	if ((rc = pr_table(t, db, &pr)) != ST_OK)
		return rc;
	if ((pr->memo_ok >> db & 1) && key->mv_size == pr->memo[db].klen &&
	    memcmp(key->mv_data, pr->memo[db].key, key->mv_size) == 0) {
		*val = pr->memo[db].val;
		return ST_OK;
	}
	if ((rc = pr_search(pr, &pr->tab[db], key->mv_data, key->mv_size, &leaf, &nd)) != ST_OK)
		return rc;
	if (g16(nd + 4) & (F_SUBDATA | F_DUPDATA))
		return damaged(g64(leaf), "duplicates in a table without them");
	if ((rc = node_value(pr, leaf, nd, val)) != ST_OK)
		return rc;
	/* values live as long as the process: the same key, the same value */
	pr->memo_ok &= ~(1u << db);
	if (key->mv_size <= PR_MEMO_KEY) {
		memcpy(pr->memo[db].key, key->mv_data, key->mv_size);
		pr->memo[db].klen = key->mv_size;
		pr->memo[db].val = *val;
		pr->memo_ok |= 1u << db;
	}
	return ST_OK;
}

int st_pr_last_key(st_txn *t, int db, MDB_val *key)
{
	struct st_pr *pr;
	const unsigned char *leaf, *nd;
	int rc;
	if ((rc = pr_table(t, db, &pr)) != ST_OK)
		return rc;
	if ((rc = pr_search(pr, &pr->tab[db], NULL, 0, &leaf, &nd)) != ST_OK)
		return rc;
	key->mv_data = (void *)(nd + NODESZ);
	key->mv_size = g16(nd + 6);
	return pr_hold(pr, key);
}

/* A page of fixed-size duplicates `n` bytes long (a sub-page inside a
 * node, or a sub-tree's leaf): their number and where they lie. */
static int fixed_dups(const unsigned char *sp, size_t n, uint64_t pg, size_t want, MDB_val *all, uint64_t *count)
{
	unsigned flags = g16(sp + 10) & ~P_TRANSIENT & ~P_SUBP;
	size_t nk, ks;
	if (n < PGHDR || flags != (P_LEAF | P_LEAF2) || g16(sp + 12) < PGHDR || g16(sp + 12) > g16(sp + 14) ||
	    g16(sp + 14) > n)
		return damaged(pg, "a malformed page of duplicates");
	nk = nkeys(sp);
	ks = g16(sp + 8);
	if (ks != want || PGHDR + nk * ks > n || nk == 0)
		return damaged(pg, "a malformed page of duplicates");
	*count = nk;
	if (all) {
		all->mv_data = (void *)(sp + PGHDR);
		all->mv_size = nk * ks;
	}
	return ST_OK;
}

int st_pr_dups(st_txn *t, int db, const MDB_val *key, MDB_val *all, uint64_t *count)
{
	struct st_pr *pr;
	const unsigned char *leaf, *nd;
	size_t at, ds, want = st_dup_size[db];
	unsigned fl;
	int rc;
	if ((st_dbi_flags[db] & (MDB_DUPSORT | MDB_DUPFIXED)) != (MDB_DUPSORT | MDB_DUPFIXED))
		return PR_ASIDE;
	if ((rc = pr_table(t, db, &pr)) != ST_OK)
		return rc;
	if ((rc = pr_search(pr, &pr->tab[db], key->mv_data, key->mv_size, &leaf, &nd)) != ST_OK)
		return rc;
	fl = g16(nd + 4);
	ds = node_dsize(nd);
	at = (size_t)(nd - leaf) + NODESZ + g16(nd + 6);
	if (fl & F_BIGDATA)
		return damaged(g64(leaf), "a large value in a table of duplicates");
	if (at + ds > pr->psize)
		return damaged(g64(leaf), "a value that does not fit its page");
	if (!(fl & F_DUPDATA)) {
		/* one value: no page of duplicates */
		if (ds != want)
			return damaged(g64(leaf), "a value of the wrong size");
		*count = 1;
		if (!all)
			return ST_OK;
		all->mv_data = (void *)(leaf + at);
		all->mv_size = ds;
		return pr_hold(pr, all);
	}
	if (!(fl & F_SUBDATA)) {
		rc = fixed_dups(leaf + at, ds, g64(leaf), want, all, count);
		return rc == ST_OK && all ? pr_hold(pr, all) : rc;
	}
	{
		/* a sub-tree of duplicates: its record counts them; one leaf
		 * page of them is read here, more are LMDB's */
		dbrec sub;
		const unsigned char *p;
		if (ds != DBREC)
			return damaged(g64(leaf), "a malformed duplicate tree record");
		dbrec_read(leaf + at, &sub);
		*count = sub.entries;
		if (!all)
			return ST_OK;
		if (sub.depth != 1)
			return PR_ASIDE;
		if (sub.root < 2 || sub.root >= pr->npages)
			return damaged(sub.root, "a page number past the end of the file");
		if ((rc = pr_page(pr, sub.root, &p)) != ST_OK ||
		    (rc = fixed_dups(p, pr->psize, sub.root, want, all, count)) != ST_OK)
			return rc;
		return pr_hold(pr, all);
	}
}

unsigned long st_pr_reads(const st_env *env)
{
	return env->e_pr ? env->e_pr->reads : 0;
}

void st_pr_stop(st_txn *t)
{
	st_env *env = t->t_env;
	if (env->e_pr)
		env->e_pr->off = 1;
	else
		env->e_pr_off = 1;
}

void st_pr_scan(st_txn *t)
{
	st_env *env = t->t_env;
	if (env->e_pr ? ++env->e_pr->scan > PR_SCAN : 0)
		env->e_pr->off = 1;
}

int st_get(st_txn *t, int db, const MDB_val *k, MDB_val *v, const char *what)
{
	int rc = st_pr_get(t, db, k, v);
	if (rc != PR_ASIDE)
		return rc;
	if ((rc = mdb_get(t->t_txn, DBI(t, db), (MDB_val *)k, v)))
		return st_mdb_err(rc, what);
	return st_val_ok(t, v, what);
}
