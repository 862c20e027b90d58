/*
 * verify.c: the page structure of data.mdb, read from the file with pread
 * rather than through LMDB's map.  LMDB trusts its pages: a damaged page
 * offset, node size or child page number sends its cursors outside the
 * file (SIGSEGV, SIGBUS) or round in circles.  `check` walks the B-trees
 * here first, and only a database that passes is read through LMDB.
 *
 * What is checked, for the snapshot of the caller's read transaction:
 * both meta pages; every page reachable from the main, free and named
 * tables' roots (and each sorted-duplicate sub-tree) lies below the last
 * page, is reached once only (so the walk ends), has the type its parent
 * implies, and keeps its node offsets, key and value sizes inside the page;
 * overflow pages lie inside the file and hold their value; a tree's depth
 * and its branch, leaf and overflow page and entry counts are what its
 * table record says; no page is both in use and on the free list.
 *
 * The layout read is described in lmdbfmt.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_int.h"
#include "lmdbfmt.h"

/* What one tree walk found, compared with its table record at the end. */
typedef struct tally {
	uint64_t branch, leaf, overflow, entries;
} tally;

enum { T_MAIN, T_FREE, T_PLAIN, T_DUPS, T_DUPTREE };

typedef struct walker {
	int fd;
	size_t psize;
	uint64_t npages;          /* last page + 1 */
	unsigned char *used;      /* one bit a page: reached */
	unsigned char *freed;     /* one bit a page: on the free list */
	void (*report)(void *, const char *);
	void *arg;
	long problems, max;
	const char *table;        /* for messages */
	int main_only;            /* the main and free tables only, not the named ones */
	st_env *seed;             /* hand the main table's pages to pgread.c (at open) */
	uint64_t txnid;
	int fixed;                /* the table being walked is MDB_DUPFIXED */
	size_t fixsize;           /* and its duplicates' size, once seen (0 not yet) */
} walker;

static void bad(walker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bad(walker *w, const char *fmt, ...)
{
	char msg[512], full[640];
	va_list ap;
	if (++w->problems > w->max || !w->report)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "page structure: %s%s%s", w->table ? w->table : "", w->table ? ": " : "", msg);
	w->report(w->arg, full);
}

static int bit_set(unsigned char *m, uint64_t i)
{
	int was = (m[i >> 3] >> (i & 7)) & 1;
	m[i >> 3] |= (unsigned char)(1u << (i & 7));
	return was;
}

static int bit_get(const unsigned char *m, uint64_t i)
{
	return (m[i >> 3] >> (i & 7)) & 1;
}

/* Reads page `pg` into buf and marks it reached: -1 (reported) when it is
 * out of range, unreadable, or reached before. */
static int page_read(walker *w, uint64_t pg, unsigned char *buf)
{
	ssize_t r;
	if (pg < 2 || pg >= w->npages) {
		bad(w, "page number %llu is outside the file's %llu pages", (unsigned long long)pg, (unsigned long long)w->npages);
		return -1;
	}
	if (bit_set(w->used, pg)) {
		bad(w, "page %llu is reached twice", (unsigned long long)pg);
		return -1;
	}
	r = pread(w->fd, buf, w->psize, (off_t)(pg * w->psize));
	if (r != (ssize_t)w->psize) {
		bad(w, "page %llu cannot be read: %s", (unsigned long long)pg, r < 0 ? strerror(errno) : "short read");
		return -1;
	}
	if (g64(buf) != pg) {
		bad(w, "page %llu says it is page %llu", (unsigned long long)pg, (unsigned long long)g64(buf));
		return -1;
	}
	return 0;
}

static void walk_tree(walker *w, const dbrec *d, int kind, tally *out);

/* A free-list record's value: [u64 count][count page numbers]. */
static void free_list(walker *w, const unsigned char *v, size_t len)
{
	uint64_t n;
	if (len < 8 || (n = g64(v)) != len / 8 - 1 || len % 8) {
		bad(w, "malformed free-list record of %zu bytes", len);
		return;
	}
	for (uint64_t i = 1; i <= n; i++) {
		uint64_t pg = g64(v + 8 * i);
		if (pg < 2 || pg >= w->npages)
			bad(w, "free page %llu is outside the file", (unsigned long long)pg);
		else if (bit_set(w->freed, pg))
			bad(w, "page %llu is on the free list twice", (unsigned long long)pg);
	}
}

/* A value held in overflow pages starting at `pg`: checks and marks them;
 * for the free list, reads the value too. */
static void overflow(walker *w, uint64_t pg, uint64_t size, int kind, tally *t)
{
	unsigned char *buf = malloc(w->psize);
	uint64_t pages;
	if (!buf) {
		bad(w, "out of memory");
		return;
	}
	if (page_read(w, pg, buf) < 0)
		goto done;
	pages = g32(buf + 12);
	if ((g16(buf + 10) & ~P_TRANSIENT) != P_OVERFLOW || pages == 0 || pages > w->npages - pg ||
	    size > pages * w->psize - PGHDR) {
		bad(w, "overflow page %llu is malformed (%llu pages for a value of %llu bytes)",
		    (unsigned long long)pg, (unsigned long long)pages, (unsigned long long)size);
		goto done;
	}
	for (uint64_t i = 1; i < pages; i++)
		if (bit_set(w->used, pg + i)) {
			bad(w, "page %llu is reached twice", (unsigned long long)(pg + i));
			goto done;
		}
	t->overflow += pages;
	if (kind == T_FREE) {
		unsigned char *v = malloc(size ? size : 1);
		if (!v || pread(w->fd, v, size, (off_t)(pg * w->psize + PGHDR)) != (ssize_t)size)
			bad(w, "free-list value on page %llu cannot be read", (unsigned long long)pg);
		else
			free_list(w, v, size);
		free(v);
	}
done:
	free(buf);
}

/* The nodes of a leaf page, or of a page of duplicates kept inside a node
 * (`sub`), `n` bytes long. */
static void leaf_nodes(walker *w, const unsigned char *p, size_t n, int kind, int sub, tally *t)
{
	unsigned nk = (unsigned)(g16(p + 12) - PGHDR) / 2;
	if (kind == T_DUPTREE && w->fixed != !!(g16(p + 10) & P_LEAF2)) {
		bad(w, "a page of duplicates is %sfixed-size in a table whose duplicates are %s",
		    w->fixed ? "not " : "", w->fixed ? "fixed-size" : "not");
		return;
	}
	if (g16(p + 10) & P_LEAF2) {
		/* fixed-size duplicates packed after the header */
		size_t ks = g16(p + 8);
		if (!w->fixsize)
			w->fixsize = ks;
		if (kind != T_DUPTREE || ks == 0 || ks != w->fixsize || PGHDR + (size_t)nk * ks > n)
			bad(w, "fixed-size page of %u entries of %zu bytes is malformed", nk, ks);
		else
			t->entries += nk;
		return;
	}
	for (unsigned i = 0; i < nk; i++) {
		size_t off = g16(p + PGHDR + 2 * i), ks, ds;
		unsigned fl;
		const unsigned char *nd;
		if (off < g16(p + 14) || off + NODESZ > n) {
			bad(w, "node %u lies outside its page", i);
			return;
		}
		nd = p + off;
		fl = g16(nd + 4);
		ks = g16(nd + 6);
		ds = node_dsize(nd);
		if (ks > MAX_KEY || off + NODESZ + ks > n) {
			bad(w, "node %u: key of %zu bytes does not fit", i, ks);
			return;
		}
		if (fl & F_BIGDATA) {
			if (sub || kind == T_DUPTREE || (fl & (F_SUBDATA | F_DUPDATA)) || off + NODESZ + ks + 8 > n) {
				bad(w, "node %u: malformed large value", i);
				return;
			}
			overflow(w, g64(nd + NODESZ + ks), ds, kind, t);
			t->entries++;
			continue;
		}
		if (off + NODESZ + ks + ds > n) {
			bad(w, "node %u: value of %zu bytes does not fit its page", i, ds);
			return;
		}
		if (kind == T_DUPTREE) {
			if (ds != 0 || fl) {
				bad(w, "node %u: a duplicate carries a value", i);
				return;
			}
			t->entries++;
		} else if ((fl & F_SUBDATA) && !(fl & F_DUPDATA)) {
			/* a named table's record in the main table */
			dbrec d;
			tally sub_t = { 0 };
			const char *was = w->table;
			char name[80];
			if (kind != T_MAIN || ds != DBREC) {
				bad(w, "node %u: malformed table record", i);
				return;
			}
			snprintf(name, sizeof name, "table \"%.*s\"", (int)(ks < 60 ? ks : 60), (const char *)nd + NODESZ);
			dbrec_read(nd + NODESZ + ks, &d);
			if (w->main_only) {
				t->entries++;
				continue;
			}
			w->table = name;
			w->fixed = (d.flags & MDB_DUPFIXED) != 0;
			w->fixsize = 0;
			if ((d.flags & MDB_DUPFIXED) && !(d.flags & MDB_DUPSORT))
				bad(w, "fixed-size duplicates in a table without duplicates");
			else
				walk_tree(w, &d, d.flags & MDB_DUPSORT ? T_DUPS : T_PLAIN, &sub_t);
			w->table = was;
			t->entries++;
		} else if (fl & F_DUPDATA) {
			if (kind != T_DUPS || sub) {
				bad(w, "node %u: duplicates in a table without them", i);
				return;
			}
			if (fl & F_SUBDATA) {
				dbrec d;
				tally dt = { 0 };
				if (ds != DBREC) {
					bad(w, "node %u: malformed duplicate tree record", i);
					return;
				}
				dbrec_read(nd + NODESZ + ks, &d);
				walk_tree(w, &d, T_DUPTREE, &dt);
				t->entries += d.entries;
			} else {
				const unsigned char *sp = nd + NODESZ + ks;
				unsigned sf = g16(sp + 10) & ~P_TRANSIENT;
				if (ds < PGHDR || (sf != (P_LEAF | P_SUBP) && sf != (P_LEAF | P_LEAF2 | P_SUBP)) || g16(sp + 12) < PGHDR ||
				    g16(sp + 12) > g16(sp + 14) || g16(sp + 14) > ds) {
					bad(w, "node %u: malformed page of duplicates", i);
					return;
				}
				tally st = { 0 };
				leaf_nodes(w, sp, ds, T_DUPTREE, 1, &st);
				t->entries += st.entries;
			}
		} else {
			if (kind == T_FREE)
				free_list(w, nd + NODESZ + ks, ds);
			t->entries++;
		}
	}
}

/* Walks the subtree at page `pg`, `depth` levels above the leaves. */
static void walk_page(walker *w, uint64_t pg, unsigned depth, int kind, tally *t)
{
	unsigned char *p = malloc(w->psize);
	unsigned flags, lower, upper, nk;
	if (!p) {
		bad(w, "out of memory");
		return;
	}
	if (page_read(w, pg, p) < 0)
		goto done;
	flags = g16(p + 10) & ~P_TRANSIENT;
	lower = g16(p + 12);
	upper = g16(p + 14);
	if (lower < PGHDR || lower > upper || upper > w->psize || (lower - PGHDR) % 2) {
		bad(w, "page %llu: bad free-space bounds %u..%u", (unsigned long long)pg, lower, upper);
		goto done;
	}
	nk = (lower - PGHDR) / 2;
	if (w->seed && kind == T_MAIN)
		st_pr_seed_page(w->seed, w->txnid, pg, p);
	if (depth > 1) {
		if (flags != P_BRANCH || nk == 0) {
			bad(w, "page %llu: expected a branch page", (unsigned long long)pg);
			goto done;
		}
		t->branch++;
		for (unsigned i = 0; i < nk && w->problems <= w->max; i++) {
			size_t off = g16(p + PGHDR + 2 * i);
			const unsigned char *nd;
			if (off < upper || off + NODESZ > w->psize || off + NODESZ + g16(p + off + 6) > w->psize ||
			    g16(p + off + 6) > MAX_KEY) {
				bad(w, "page %llu: node %u lies outside the page", (unsigned long long)pg, i);
				goto done;
			}
			nd = p + off;
			walk_page(w, node_child(nd), depth - 1, kind, t);
		}
	} else {
		if (flags != P_LEAF && (flags != (P_LEAF | P_LEAF2) || kind != T_DUPTREE)) {
			bad(w, "page %llu: expected a leaf page", (unsigned long long)pg);
			goto done;
		}
		t->leaf++;
		leaf_nodes(w, p, w->psize, kind, 0, t);
	}
done:
	free(p);
}

static void walk_tree(walker *w, const dbrec *d, int kind, tally *out)
{
	tally t = { 0 };
	if (d->root == NO_PAGE) {
		if (d->depth || d->entries || d->branch || d->leaf || d->overflow)
			bad(w, "an empty tree with non-zero counts");
		return;
	}
	if (d->depth == 0 || d->depth > MAX_DEPTH) {
		bad(w, "tree depth %u", d->depth);
		return;
	}
	walk_page(w, d->root, d->depth, kind, &t);
	if (w->problems)
		return;   /* the counts would only repeat what was said */
	if (t.branch != d->branch || t.leaf != d->leaf || t.overflow != d->overflow)
		bad(w, "%llu branch, %llu leaf and %llu overflow pages found, the table record says %llu, %llu and %llu",
		    (unsigned long long)t.branch, (unsigned long long)t.leaf, (unsigned long long)t.overflow,
		    (unsigned long long)d->branch, (unsigned long long)d->leaf, (unsigned long long)d->overflow);
	if (kind != T_FREE && t.entries != d->entries)
		bad(w, "%llu entries found, the table record says %llu",
		    (unsigned long long)t.entries, (unsigned long long)d->entries);
	if (out) {
		out->branch += t.branch;
		out->leaf += t.leaf;
		out->overflow += t.overflow;
		out->entries += t.entries;
	}
}

/* Reads meta page `i` (0 or 1) into m (PGHDR + 136 bytes): 0 if valid. */
static int meta_read(int fd, size_t psize, int i, unsigned char *m, size_t len)
{
	if (pread(fd, m, len, (off_t)(i * psize)) != (ssize_t)len)
		return -1;
	if (!meta_ok(m))
		return -1;
	return 0;
}

/* The walk of the snapshot `txnid` (the meta page that names it). */
static long verify(st_env *env, uint64_t txnid, int main_only, int seed, void (*report)(void *, const char *), void *arg, long max)
{
	walker w = { 0 };
	unsigned char m[2][PGHDR + 152];
	int ok[2], which = -1;
	MDB_stat ms;
	dbrec freedb, maindb;
	tally ignore = { 0 };

	w.report = report;
	w.arg = arg;
	w.max = max;
	w.main_only = main_only;
	if (mdb_env_get_fd(env->e_env, &w.fd) || mdb_env_stat(env->e_env, &ms)) {
		st_seterr("cannot read the database file");
		return -1;
	}
	w.psize = ms.ms_psize;
	for (int i = 0; i < 2; i++) {
		ok[i] = meta_read(w.fd, w.psize, i, m[i], sizeof m[i]) == 0;
		if (!ok[i])
			bad(&w, "meta page %d is damaged", i);
		else if (g64(m[i] + PGHDR + META_TXNID) == txnid)
			which = i;
	}
	if (which < 0) {
		if (w.problems)
			return w.problems;
		st_seterr("the database moved on while it was being checked; run check again");
		return -1;
	}
	{
		const unsigned char *mm = m[which] + PGHDR;
		dbrec_read(mm + META_FREEDB, &freedb);
		dbrec_read(mm + META_MAINDB, &maindb);
		w.npages = g64(mm + META_LASTPG) + 1;
		if (freedb.pad != w.psize) {
			bad(&w, "meta page %d gives a page size of %u, the file uses %zu", which, freedb.pad, w.psize);
			return w.problems;
		}
		if (w.npages > st_file_size(env) / w.psize) {
			bad(&w, "the last page, %llu, lies past the end of the file", (unsigned long long)w.npages - 1);
			return w.problems;
		}
	}
	if (!(w.used = calloc(w.npages / 8 + 1, 1)) || !(w.freed = calloc(w.npages / 8 + 1, 1))) {
		free(w.used);
		st_seterr("out of memory");
		return -1;
	}
	w.table = "free list";
	walk_tree(&w, &freedb, T_FREE, &ignore);
	w.table = "main table";
	if (seed && !w.problems) {
		/* the first statement's reads begin at this snapshot's main table */
		st_pr_seed(env, m[which]);
		w.seed = env;
		w.txnid = txnid;
	}
	walk_tree(&w, &maindb, T_MAIN, &ignore);
	w.table = NULL;
	if (!w.problems)
		for (uint64_t pg = 2; pg < w.npages; pg++)
			if (bit_get(w.used, pg) && bit_get(w.freed, pg)) {
				bad(&w, "page %llu is both in use and on the free list", (unsigned long long)pg);
				break;
			}
	free(w.used);
	free(w.freed);
	return w.problems;
}

long st_verify_pages(st_txn *t, void (*report)(void *, const char *), void *arg, long max)
{
	return verify(t->t_env, mdb_txn_id(t->t_txn), 0, 0, report, arg, max);
}

long st_verify(st_txn *t, void (*report)(void *, const char *), void *arg, long max)
{
	return st_verify_pages(t, report, arg, max);
}

static void first_problem(void *arg, const char *msg)
{
	char *buf = arg;
	if (!*buf)
		snprintf(buf, 512, "%s", msg);
}

int st_verify_open(st_env *env, int full, char *why, size_t n)
{
	MDB_txn *txn;
	char first[512] = "";
	long bad;
	int rc = mdb_txn_begin(env->e_env, NULL, MDB_RDONLY, &txn);
	if (rc)
		return st_mdb_err(rc, "begin read");
	bad = verify(env, mdb_txn_id(txn), !full, 1, first_problem, first, 1);
	mdb_txn_abort(txn);
	if (bad > 0) {
		snprintf(why, n, "%s is damaged (%s); run `sanctgraph check`, restore it from a backup", env->e_dir, first);
		return ST_ECORRUPT;
	}
	return ST_OK;
}
