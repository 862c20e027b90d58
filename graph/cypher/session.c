/*
 * session.c: running statements: a script split into statements, each
 * parsed, planned and run in its own transaction (read, or write through
 * gr_write with replay), its rows handed to the writer; parameters; and
 * the caches that live as long as the database does not change.
 *
 * The caches (label bitmaps, candidate lists of anchors) are keyed by the
 * snapshot: the change log's head and the state digest, both of which
 * move with every committed change.  A statement that reads checks them
 * when it starts; one that writes never uses them.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

/* Label answers noted per label before the session keeps a bitmap of them. */
#define CY_MEMO_AFTER 64

typedef struct cand_entry {
	struct cand_entry *next;
	char *key;
	uint32_t *ids;
	size_t n;
} cand_entry;

struct cy_session {
	gr_db *db;
	gr_value params;            /* GR_MAP */
	void (*on_stmt)(void *arg, size_t index, const cy_stats *st);
	void *on_stmt_arg;
	cy_limits lim;              /* time and memory of each statement */
	void (*on_warn)(void *arg, const char *msg);
	void *on_warn_arg;
	/* snapshot caches */
	int snap_valid;
	uint64_t snap_seq;        /* st_txn_snapshot */
	cy_bitmap **bitmaps;        /* by label symbol */
	size_t nbitmaps;
	cy_bitmap **memo;           /* by label: 2 bits a node, known and has */
	size_t nmemo;
	/* answers noted per label (by label % 64) before its memo is made:
	 * a point query's few label checks do not pay for a bitmap of every
	 * node id (tens of fresh heap pages in a new process) */
	uint8_t memo_wait[64];
	cand_entry *cands;
};

int cy_session_new(gr_db *db, cy_session **out)
{
	cy_session *s = calloc(1, sizeof *s);
	*out = NULL;
	if (!s)
		return CY_ENOMEM;
	s->db = db;
	s->params = gr_map();
	*out = s;
	return CY_OK;
}

static void drop_caches(cy_session *s)
{
	for (size_t i = 0; i < s->nbitmaps; i++)
		if (s->bitmaps[i]) {
			free(s->bitmaps[i]->bits);
			free(s->bitmaps[i]);
		}
	free(s->bitmaps);
	s->bitmaps = NULL;
	s->nbitmaps = 0;
	for (size_t i = 0; i < s->nmemo; i++)
		if (s->memo[i]) {
			free(s->memo[i]->bits);
			free(s->memo[i]);
		}
	free(s->memo);
	s->memo = NULL;
	s->nmemo = 0;
	memset(s->memo_wait, 0, sizeof s->memo_wait);
	while (s->cands) {
		cand_entry *n = s->cands->next;
		free(s->cands->key);
		free(s->cands->ids);
		free(s->cands);
		s->cands = n;
	}
	s->snap_valid = 0;
}

void cy_session_free(cy_session *s)
{
	if (!s)
		return;
	drop_caches(s);
	cy_free(&s->params);
	free(s);
}

int cy_session_param(cy_session *s, const char *name, gr_value v)
{
	return gr_map_set(&s->params, name, v) < 0 ? CY_ENOMEM : CY_OK;
}

const gr_value *cy_session_param_get(cy_session *s, const char *name)
{
	return gr_map_get(&s->params, name);
}

void cy_session_limits(cy_session *s, uint64_t timeout_ms, uint64_t max_bytes)
{
	s->lim.timeout_ms = timeout_ms;
	s->lim.max_bytes = max_bytes;
}

void cy_session_on_warning(cy_session *s, void (*fn)(void *arg, const char *msg), void *arg)
{
	s->on_warn = fn;
	s->on_warn_arg = arg;
}

void cy_session_on_stmt(cy_session *s, void (*fn)(void *arg, size_t index, const cy_stats *st), void *arg)
{
	s->on_stmt = fn;
	s->on_stmt_arg = arg;
}

/* Keeps the caches only when the database is as they saw it: the same
 * snapshot, which every commit replaces with a new one (the environment
 * keeps reading the file it opened, whatever is renamed over it).  The
 * log's head and the state digest said as much, but finding them read
 * pages nothing else in a statement may read: in a new process, page
 * faults that `RETURN 1` paid for. */
static void check_snapshot(cy_session *s, st_txn *st)
{
	uint64_t seq = st_txn_snapshot(st);
	if (s->snap_valid && s->snap_seq == seq)
		return;
	drop_caches(s);
	s->snap_valid = 1;
	s->snap_seq = seq;
}

static void bitmap_set(void *arg, uint32_t id)
{
	cy_bitmap *bm = arg;
	if (id < bm->nbits)
		bm->bits[id >> 6] |= 1ULL << (id & 63);
}

const cy_bitmap *cy_label_bitmap(cy_ctx *c, uint16_t label)
{
	cy_session *s = c->s;
	cy_bitmap *bm;
	uint32_t next = 0;
	if (c->write || !s->snap_valid)
		return NULL;
	if (label < s->nbitmaps && s->bitmaps[label])
		return s->bitmaps[label];
	if (label >= s->nbitmaps) {
		size_t n = (size_t)label + 1;
		cy_bitmap **nb = realloc(s->bitmaps, n * sizeof *nb);
		if (!nb)
			return NULL;
		memset(nb + s->nbitmaps, 0, (n - s->nbitmaps) * sizeof *nb);
		s->bitmaps = nb;
		s->nbitmaps = n;
	}
	if (st_id_next(c->st, 0, &next) != ST_OK || !(bm = calloc(1, sizeof *bm)))
		return NULL;
	bm->nbits = next + 64;
	if (!(bm->bits = calloc((bm->nbits + 63) / 64, sizeof *bm->bits))) {
		free(bm);
		return NULL;
	}
	if (st_label_each(c->st, label, bitmap_set, bm) != ST_OK) {
		free(bm->bits);
		free(bm);
		return NULL;
	}
	s->bitmaps[label] = bm;
	return bm;
}

int cy_label_known(cy_ctx *c, uint32_t id, uint16_t label)
{
	cy_session *s = c->s;
	const cy_bitmap *m;
	if (label >= s->nmemo || !(m = s->memo[label]) || (uint64_t)id * 2 + 1 >= m->nbits)
		return -1;
	uint64_t bits = m->bits[((uint64_t)id * 2) >> 6] >> (((uint64_t)id * 2) & 63);
	return bits & 1 ? (int)((bits >> 1) & 1) : -1;
}

void cy_label_note(cy_ctx *c, uint32_t id, uint16_t label, int has)
{
	cy_session *s = c->s;
	cy_bitmap *m;
	uint32_t next = 0;
	if (c->write || !s->snap_valid)
		return;
	if (s->memo_wait[label & 63] < CY_MEMO_AFTER) {
		s->memo_wait[label & 63]++;
		return;
	}
	if (label >= s->nmemo) {
		size_t n = (size_t)label + 1;
		cy_bitmap **nm = realloc(s->memo, n * sizeof *nm);
		if (!nm)
			return;
		memset(nm + s->nmemo, 0, (n - s->nmemo) * sizeof *nm);
		s->memo = nm;
		s->nmemo = n;
	}
	if (!(m = s->memo[label])) {
		if (st_id_next(c->st, 0, &next) != ST_OK || !(m = calloc(1, sizeof *m)))
			return;
		m->nbits = ((uint32_t)next + 64) * 2;
		if (!(m->bits = calloc((m->nbits + 63) / 64, sizeof *m->bits))) {
			free(m);
			return;
		}
		s->memo[label] = m;
	}
	if ((uint64_t)id * 2 + 1 >= m->nbits)
		return;
	uint64_t at = (uint64_t)id * 2;
	m->bits[at >> 6] |= (1ULL | (uint64_t)(has != 0) << 1) << (at & 63);
}

int cy_cache_get(cy_ctx *c, const char *key, uint32_t **ids, size_t *n)
{
	if (c->write || !c->s->snap_valid)
		return -1;
	for (cand_entry *e = c->s->cands; e; e = e->next)
		if (!strcmp(e->key, key)) {
			*ids = e->ids;
			*n = e->n;
			return 0;
		}
	return -1;
}

void cy_cache_put(cy_ctx *c, const char *key, const uint32_t *ids, size_t n)
{
	cand_entry *e;
	if (c->write || !c->s->snap_valid || !(e = calloc(1, sizeof *e)))
		return;
	e->key = strdup(key);
	e->ids = malloc((n ? n : 1) * sizeof *ids);
	if (!e->key || !e->ids) {
		free(e->key);
		free(e->ids);
		free(e);
		return;
	}
	if (n)
		memcpy(e->ids, ids, n * sizeof *ids);
	e->n = n;
	e->next = c->s->cands;
	c->s->cands = e;
}

/* ---- parameters and constants ---- */

static int literal_value(const cy_expr *e, gr_value *out)
{
	*out = cy_nullv();
	switch (e->e_kind) {
	case CY_E_NULL:
		return 0;
	case CY_E_BOOL:
		*out = cy_boolv(e->u.b);
		return 0;
	case CY_E_INT:
		*out = gr_int(e->u.i);
		return 0;
	case CY_E_FLOAT:
		*out = gr_float(e->u.f);
		return 0;
	case CY_E_STRING:
		*out = gr_string(e->u.s.ptr, e->u.s.len);
		return out->type == GR_STRING ? 0 : -1;
	case CY_E_LIST:
		*out = gr_list(e->u.list.n);
		for (size_t i = 0; i < e->u.list.n; i++) {
			gr_value v;
			if (literal_value(e->u.list.items[i], &v) < 0 || gr_list_push(out, v) < 0) {
				cy_free(out);
				return -1;
			}
		}
		return 0;
	case CY_E_MAP:
		*out = gr_map();
		for (size_t i = 0; i < e->u.map.n; i++) {
			gr_value v;
			if (literal_value(e->u.map.vals[i], &v) < 0 || gr_map_set(out, e->u.map.keys[i], v) < 0) {
				cy_free(out);
				return -1;
			}
		}
		return 0;
	default:
		return -2;
	}
}

int cy_eval_constant(const cy_expr *e, gr_value *out, cy_error *err)
{
	int rc = literal_value(e, out);
	if (rc == -1)
		return CY_ENOMEM;
	if (rc == -2) {
		if (err) {
			memset(err, 0, sizeof *err);
			err->code = CY_ERUNTIME;
			err->line = e->e_line;
			err->column = e->e_col;
			err->offset = e->e_off;
			snprintf(err->message, sizeof err->message, "not a constant");
		}
		return CY_ERUNTIME;
	}
	return CY_OK;
}

int cy_param_value(const char *text, gr_value *out)
{
	cy_script *holder = NULL;
	cy_expr *e;
	cy_error err;
	size_t len = strlen(text);
	if (cy_parse_expression(text, len, &holder, &e, &err) == CY_OK && cy_expr_is_literal(e)) {
		int rc = cy_eval_constant(e, out, &err);
		cy_script_free(holder);
		return rc;
	}
	cy_script_free(holder);
	*out = gr_value_from_text(text, len);
	return out->type == GR_NULL ? CY_ENOMEM : CY_OK;
}

/* Moves an error's position from a piece to the whole script. */
static void adjust_error(cy_error *err, const char *t, size_t off)
{
	unsigned line = 1, col = 1;
	if (!err || err->line == 0)
		return;
	for (size_t i = 0; i < off; i++) {
		if (t[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)t[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	if (err->line == 1)
		err->column += col - 1;
	err->line += line - 1;
	err->offset += off;
}

/* ---- running one statement ---- */

typedef struct run_arg {
	cy_session *s;
	const cy_stmt *st;
	const char *text;
	size_t len;
	cy_writer *w;
	uint64_t rows;
	cy_error *err;
	int rc;
	/* cy_run_rows: rows go to fn instead of w */
	int (*fn)(void *arg, const cy_row *row);
	void *fn_arg;
	size_t stmt;                /* the statement's index in the text */
	int stopped;                /* fn asked to stop */
	cy_arena *arena;            /* the parsed statement's, which outlives the plan: the
	                             * plan's memory continues its blocks */
} run_arg;

/* Where a statement's rows go: the writer, or the caller's row function
 * (which may stop the run: 1 then, with a->stopped set). */
static int out_begin(run_arg *a, char **cols, size_t n, int hold)
{
	return a->fn ? 0 : cy_writer_begin(a->w, cols, n, hold);
}

static int out_row(run_arg *a, gr_txn *txn, char **cols, const gr_value *vals, size_t n)
{
	cy_row r;
	if (!a->fn)
		return cy_writer_row(a->w, txn, vals, n);
	r.stmt = a->stmt;
	r.names = (const char *const *)cols;
	r.vals = vals;
	r.ncols = n;
	if (a->fn(a->fn_arg, &r) == 0)
		return 0;
	a->stopped = 1;
	return 1;
}

static int out_end(run_arg *a)
{
	return a->fn ? 0 : cy_writer_end(a->w);
}

static int emit_rows(cy_ctx *c, run_arg *a, const cy_plan *plan)
{
	cy_tset seen;
	gr_value *vals = NULL;
	size_t ncols = a->st->st_ncolumns;
	int rc = 0;
	memset(&seen, 0, sizeof seen);
	seen.width = ncols;
	if (!(vals = calloc(ncols + 1, sizeof *vals)))
		return cy_nomem(c);
	for (size_t p = 0; p < plan->nparts && rc == 0 && !a->stopped; p++) {
		const cy_part *part = &plan->parts[p];
		gr_value *row = calloc((size_t)part->nslots + 1, sizeof *row);
		if (!row) {
			rc = cy_nomem(c);
			break;
		}
		c->row = row;
		while ((rc = cy_next(c, part->root)) > 0) {
			int added = 1;
			size_t idx;
			for (size_t i = 0; i < ncols && i < part->ncols; i++)
				vals[i] = row[part->cols[i]];
			if (plan->distinct && cy_tset_add(&seen, vals, &added, &idx) < 0) {
				rc = cy_nomem(c);
				break;
			}
			if (!added || !ncols)
				continue;
			if ((rc = out_row(a, c->txn, a->st->st_columns, vals, ncols)) < 0) {
				rc = cy_fail_graph(c, GR_EIO, "cannot write the results");
				break;
			}
			a->rows++;
			if (rc > 0)
				break;   /* the caller has what it wanted */
		}
		/* free what the row holds before the operators close */
		for (int i = 0; i < part->nslots; i++)
			cy_free(&row[i]);
		free(row);
		c->row = NULL;
		if (rc > 0)
			rc = 0;
	}
	cy_tset_free(&seen);
	free(vals);
	return rc < 0 ? -1 : 0;
}

/* rc, or a failure when a read of the statement met a damaged page: a
 * damaged record must not pass for an absent one (a node whose labels
 * cannot be read has none, a key that cannot be found names no node).
 * The command then names the damage and the database (st_damage_noted). */
static int damage_met(cy_ctx *c, uint64_t before, int rc)
{
	if (rc != 0 || st_damage_seen(NULL) == before)
		return rc;
	return cy_fail_graph(c, GR_ECORRUPT, "a page this statement read is damaged: no answer");
}

static int exec_stmt(run_arg *a, gr_txn *txn)
{
	cy_ctx c;
	cy_pool pool;
	cy_plan plan;
	int rc;
	uint64_t damage = st_damage_seen(NULL);
	memset(&c, 0, sizeof c);
	memset(&pool, 0, sizeof pool);
	pool.mem = a->arena;
	c.s = a->s;
	c.txn = txn;
	c.st = gr_store_txn(txn);
	c.write = gr_txn_writable(txn);
	c.text = a->text;
	c.textlen = a->len;
	c.err = a->err;
	c.gen = 1;
	c.pool = &pool;
	c.lim = &a->s->lim;
	pool.text = a->text;
	pool.textlen = a->len;
	a->rows = 0;
	if (!c.write)
		check_snapshot(a->s, c.st);
	rc = cy_plan_stmt(&c, a->st, &plan);
	if (rc == 0)
		rc = cy_limit_check(&c);
	if (rc == 0 && a->st->st_mode == CY_MODE_EXPLAIN) {
		gr_buf b = { 0 };
		char *col = "plan";
		cy_plan_describe(&c, &plan, 0, &b);
		rc = out_begin(a, &col, 1, c.write);
		for (size_t i = 0, start = 0; rc == 0 && i < b.b_len; i++) {
			if (b.b_data[i] != '\n')
				continue;
			gr_value line = gr_string((char *)b.b_data + start, i - start);
			rc = out_row(a, txn, &col, &line, 1);
			cy_free(&line);
			start = i + 1;
			a->rows++;
		}
		gr_buf_free(&b);
		if (rc > 0)
			rc = 0;
		if (rc == 0)
			rc = out_end(a);
		if (rc < 0)
			rc = cy_fail_graph(&c, GR_EIO, "cannot write the results");
	} else if (rc == 0) {
		rc = out_begin(a, a->st->st_columns, a->st->st_ncolumns, c.write);
		if (rc == 0)
			rc = emit_rows(&c, a, &plan);
		rc = damage_met(&c, damage, rc);
		if (rc == 0 && out_end(a) < 0)
			rc = cy_fail_graph(&c, GR_EIO, "cannot write the results");
		if (rc == 0 && a->st->st_mode == CY_MODE_PROFILE) {
			gr_buf b = { 0 };
			cy_plan_describe(&c, &plan, 1, &b);
			fprintf(stderr, "%.*s", (int)b.b_len, b.b_data ? (char *)b.b_data : "");
			gr_buf_free(&b);
		}
	}
	cy_pool_free(&pool);
	free(c.del_edges);
	a->rc = rc < 0 ? (c.grc ? c.grc : GR_EINVALID) : GR_OK;
	return a->rc;
}

static int write_cb(gr_txn *txn, void *arg, gr_error *gerr)
{
	run_arg *a = arg;
	int rc;
	cy_writer_rewind(a->w);
	rc = exec_stmt(a, txn);
	if (rc != GR_OK && gerr)
		gr_fail(gerr, rc, "%.250s", a->err->message);
	return rc;
}

typedef struct warn_arg {
	cy_session *s;
	const char *text;
	size_t off;
} warn_arg;

/* A warning with its position in the whole script, as errors have. */
static void warn_at(void *arg, uint32_t line, uint32_t col, const char *msg)
{
	warn_arg *a = arg;
	cy_error pos = { 0 };
	char buf[400];
	pos.line = line;
	pos.column = col;
	adjust_error(&pos, a->text, a->off);
	snprintf(buf, sizeof buf, "line %u, column %u: %s", pos.line, pos.column, msg);
	a->s->on_warn(a->s->on_warn_arg, buf);
}

/* Warns of the labels, types and properties a statement reads that the
 * database has never held (unknown.c), looked up in txn, or in a read
 * transaction of its own when txn is NULL. */
static int warn_unknown(cy_session *s, gr_txn *txn, const cy_stmt *st, const char *text, size_t off, cy_error *err)
{
	warn_arg a = { s, text, off };
	gr_txn *own = NULL;
	gr_error ge;
	int rc;
	if (!txn && gr_begin(s->db, 0, &own, &ge) != GR_OK) {
		err->code = CY_EDB;
		snprintf(err->message, sizeof err->message, "%.200s", ge.msg);
		return CY_EDB;
	}
	rc = cy_unknown_names(txn ? txn : own, st, warn_at, &a);
	if (own)
		gr_abort(own);
	if (rc != CY_OK) {
		err->code = CY_ENOMEM;
		snprintf(err->message, sizeof err->message, "out of memory");
	}
	return rc;
}

/* Runs one statement; `script` and `off` place it in the whole text, for
 * the warnings of unknown names (a read statement's are looked up in its
 * own transaction, an updating one's before it). */
static int run_one(cy_session *s, const cy_script *sc, const char *script, size_t off,
    cy_writer *w, uint64_t *rows, cy_error *err)
{
	const cy_stmt *st = sc->sc_stmts[0];
	run_arg a = { s, st, sc->sc_text, sc->sc_len, w, 0, err, 0, NULL, NULL, 0, 0, sc->sc_arena };
	gr_error ge;
	int rc;
	memset(err, 0, sizeof *err);
	if (st->st_updating && st->st_mode != CY_MODE_EXPLAIN) {
		if (s->on_warn && (rc = warn_unknown(s, NULL, st, script, off, err)) != CY_OK)
			return rc;
		rc = gr_write(s->db, write_cb, &a, &ge);
		if (rc == GR_OK && cy_writer_flush(w) < 0) {
			snprintf(err->message, sizeof err->message, "cannot write the results");
			err->code = CY_EDB;
			return CY_EDB;
		}
		if (rc != GR_OK) {
			cy_writer_rewind(w);
			if (err->code == 0) {
				err->code = rc == GR_ENOMEM ? CY_ENOMEM : CY_EDB;
				snprintf(err->message, sizeof err->message, "%.250s", ge.msg);
			}
			return err->code;
		}
	} else {
		gr_txn *txn;
		if ((rc = gr_begin(s->db, 0, &txn, &ge)) != GR_OK) {
			err->code = CY_EDB;
			snprintf(err->message, sizeof err->message, "%.250s", ge.msg);
			return CY_EDB;
		}
		if (s->on_warn && (rc = warn_unknown(s, txn, st, script, off, err)) != CY_OK) {
			gr_abort(txn);
			return rc;
		}
		rc = exec_stmt(&a, txn);
		gr_abort(txn);
		if (rc != GR_OK) {
			cy_writer_rewind(w);    /* what has not gone out yet */
			return err->code ? err->code : CY_EDB;
		}
	}
	*rows = a.rows;
	return CY_OK;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The statements of a script (err cleared), or CY_ENOMEM or CY_EEMPTY
 * with err set and nothing to free. */
static int split_script(const char *text, size_t len, cy_piece **pieces, size_t *np, cy_error *err)
{
	memset(err, 0, sizeof *err);
	if (cy_split(text, len, pieces, np, NULL) != CY_OK) {
		err->code = CY_ENOMEM;
		snprintf(err->message, sizeof err->message, "out of memory");
		return CY_ENOMEM;
	}
	if (*np == 0) {
		free(*pieces);
		err->code = CY_EEMPTY;
		snprintf(err->message, sizeof err->message, "no statement to run");
		return CY_EEMPTY;
	}
	return CY_OK;
}

int cy_run_text(cy_session *s, const char *text, size_t len, cy_writer *w,
    cy_stats *stats, size_t nstats, size_t *nrun, cy_error *err)
{
	cy_piece *pieces;
	size_t np;
	int rc = CY_OK;
	if (nrun)
		*nrun = 0;
	if ((rc = split_script(text, len, &pieces, &np, err)) != CY_OK)
		return rc;
	for (size_t i = 0; i < np; i++) {
		const char *t = text + pieces[i].off;
		size_t l = pieces[i].len;
		cy_script *sc = NULL;
		cy_stats stt = { 0, 0 };
		double t0 = now_ms();
		cy_limits_start(&s->lim);
		rc = cy_parse(t, l, &sc, err);
		if (rc == CY_OK)
			rc = cy_limits_hit(&s->lim, 0, err);
		if (rc == CY_OK && sc->sc_n != 1) {
			rc = err->code = CY_ESYNTAX;
			snprintf(err->message, sizeof err->message, "expected one statement");
		}
		if (rc == CY_OK)
			rc = run_one(s, sc, text, pieces[i].off, w, &stt.rows, err);
		cy_script_free(sc);
		if (rc != CY_OK) {
			adjust_error(err, text, pieces[i].off);
			break;
		}
		stt.ms = now_ms() - t0;
		if (stats && i < nstats)
			stats[i] = stt;
		if (nrun)
			*nrun = i + 1;
		if (s->on_stmt)
			s->on_stmt(s->on_stmt_arg, i, &stt);
	}
	free(pieces);
	return rc;
}

int cy_run_rows(cy_session *s, gr_txn *txn, const char *text, size_t len,
    int (*fn)(void *arg, const cy_row *row), void *arg, cy_error *err)
{
	cy_piece *pieces;
	size_t np;
	int rc = CY_OK;
	if ((rc = split_script(text, len, &pieces, &np, err)) != CY_OK)
		return rc;
	for (size_t i = 0; i < np; i++) {
		cy_script *sc = NULL;
		run_arg a;
		cy_limits_start(&s->lim);
		rc = cy_parse(text + pieces[i].off, pieces[i].len, &sc, err);
		if (rc == CY_OK)
			rc = cy_limits_hit(&s->lim, 0, err);
		if (rc == CY_OK && sc->sc_n != 1) {
			rc = err->code = CY_ESYNTAX;
			snprintf(err->message, sizeof err->message, "expected one statement");
		}
		if (rc == CY_OK && sc->sc_stmts[0]->st_updating && sc->sc_stmts[0]->st_mode != CY_MODE_EXPLAIN &&
		    !gr_txn_writable(txn)) {
			/* the caller's snapshot is read-only: a write could not be seen */
			rc = err->code = CY_ESEMANTIC;
			err->line = sc->sc_stmts[0]->st_line;
			err->column = sc->sc_stmts[0]->st_col;
			err->offset = sc->sc_stmts[0]->st_off;
			snprintf(err->message, sizeof err->message,
			    "this statement writes (CREATE, MERGE, SET, DELETE or REMOVE); here a query may only read");
		}
		if (rc == CY_OK) {
			memset(&a, 0, sizeof a);
			a.s = s;
			a.st = sc->sc_stmts[0];
			a.text = sc->sc_text;
			a.len = sc->sc_len;
			a.err = err;
			a.fn = fn;
			a.fn_arg = arg;
			a.stmt = i;
			a.arena = sc->sc_arena;
			if (exec_stmt(&a, txn) != GR_OK)
				rc = err->code ? err->code : CY_EDB;
		}
		cy_script_free(sc);
		if (rc != CY_OK) {
			adjust_error(err, text, pieces[i].off);
			break;
		}
		if (a.stopped)
			break;
	}
	free(pieces);
	return rc;
}

int cy_query_print(gr_db *db, const char *text, FILE *out, cy_format fmt, cy_error *err)
{
	cy_session *s;
	cy_writer *w;
	int rc;
	memset(err, 0, sizeof *err);
	if (cy_session_new(db, &s) != CY_OK)
		return CY_ENOMEM;
	if (!(w = cy_writer_new(out, fmt))) {
		cy_session_free(s);
		return CY_ENOMEM;
	}
	rc = cy_run_text(s, text, strlen(text), w, NULL, 0, NULL, err);
	cy_writer_free(w);
	cy_session_free(s);
	return rc;
}
