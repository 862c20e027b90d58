/*
 * graph.c: database handles, transactions and the change log, symbols,
 * node and edge writes with their indexes, and reference resolution.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "graph_int.h"
#include "domain.h"
#include "fold.h"
#include "validate.h"

const char *const gr_cached_names[SYM_NCACHED] = {
	"name", "past_names", "aliases", "imo", "mmsi", "call_sign",
	"flag", "past_flags", "locode", "lat", "lon", "Vessel", "Port",
	"Source", "merged_keys",
	"date", "start", "end", "since", "until", "listed", "delisted", "claim"
};

int gr_fail(gr_error *err, int code, const char *fmt, ...)
{
	if (err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
		va_end(ap);
		err->code = code;
	}
	return code;
}

int gr_st_err(int st, gr_error *err, const char *what)
{
	switch (st) {
	case ST_OK: return GR_OK;
	case ST_ENOTFOUND: return gr_fail(err, GR_ENOTFOUND, "%s: not found", what);
	case ST_EMAPFULL: return gr_fail(err, GR_EMAPFULL, "%s: database map full", what);
	case ST_ECORRUPT: return gr_fail(err, GR_ECORRUPT, "%s: corrupt data: %s", what, st_strerror());
	case ST_EEXISTS: return gr_fail(err, GR_EEXISTS, "%s: exists already", what);
	case ST_ENOMEM: return gr_fail(err, GR_ENOMEM, "out of memory");
	case ST_ELIMIT: return gr_fail(err, GR_EINVALID, "%s: %s", what, st_strerror());
	case ST_ERDONLY: return gr_fail(err, GR_EIO, "%s", st_strerror());
	default:
		/* the store's message may name the step already ("commit: ...") */
		if (strncmp(st_strerror(), what, strlen(what)) == 0 && st_strerror()[strlen(what)] == ':')
			return gr_fail(err, GR_EIO, "%s", st_strerror());
		return gr_fail(err, GR_EIO, "%s: %s", what, st_strerror());
	}
}

/* ---- database and transactions ---- */

int gr_open(const char *dir, int create, gr_db **out, gr_error *err)
{
	gr_db *db;
	char why[1024];
	int rc;
	*out = NULL;
	if (!(db = calloc(1, sizeof *db)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	rc = st_open(dir, create, &db->d_env, why, sizeof why);
	if (rc) {
		free(db);
		return gr_fail(err, rc == ST_ENODB ? GR_ENOTFOUND : rc == ST_ECORRUPT ? GR_ECORRUPT : GR_EIO, "%s", why);
	}
	db->d_author = strdup("unknown");
	db->d_command = strdup("");
	*out = db;
	return GR_OK;
}

void gr_close(gr_db *db)
{
	if (!db)
		return;
	st_close(db->d_env);
	free(db->d_author);
	free(db->d_command);
	free(db);
}

st_env *gr_store(gr_db *db) { return db->d_env; }

int gr_set_author(gr_db *db, const char *author)
{
	db->d_author_fn = NULL;
	free(db->d_author);
	db->d_author = strdup(author ? author : "unknown");
	return db->d_author ? GR_OK : GR_ENOMEM;
}

void gr_set_author_fn(gr_db *db, const char *(*fn)(void))
{
	db->d_author_fn = fn;
}

int gr_set_command(gr_db *db, const char *command)
{
	free(db->d_command);
	db->d_command = strdup(command ? command : "");
	return db->d_command ? GR_OK : GR_ENOMEM;
}

void gr_set_command_name(gr_db *db, const char *name)
{
	st_fault_command(db->d_env, name);
}

int gr_begin(gr_db *db, int write, gr_txn **out, gr_error *err)
{
	gr_txn *t = calloc(1, sizeof *t);
	int rc;
	*out = NULL;
	if (!t)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if ((rc = st_txn_begin(db->d_env, write, &t->x_st))) {
		free(t);
		return gr_st_err(rc, err, "begin");
	}
	t->x_db = db;
	t->x_write = write;
	*out = t;
	return GR_OK;
}

static void txn_free(gr_txn *t)
{
	gr_buf_free(&t->x_buf);
	free(t->x_symkind);
	free(t->x_labbits);
	free(t->x_nodebits);
	free(t);
}

void gr_abort(gr_txn *t)
{
	if (!t)
		return;
	st_txn_abort(t->x_st);
	txn_free(t);
}

static int counts_map(gr_value *m, const gr_counts *c)
{
#define C(f) if (c->f && gr_map_set(m, #f, gr_int((int64_t)c->f))) return GR_ENOMEM
	C(nodes_created); C(nodes_updated); C(nodes_deleted);
	C(edges_created); C(edges_updated); C(edges_deleted);
	C(labels_added); C(labels_removed); C(props_set);
	C(cites_added); C(cites_removed);
#undef C
	return GR_OK;
}

/* The log body: an encoded map {time, author, command, counts, digest, delta}. */
static int log_append(gr_txn *t, gr_error *err)
{
	gr_value m = gr_map(), counts = gr_map();
	unsigned char dg[32], dl[32];
	gr_buf b = { 0 };
	uint64_t seq;
	int rc;

	if (t->x_db->d_author_fn && gr_set_author(t->x_db, t->x_db->d_author_fn()) != GR_OK) {
		gr_value_free(&m);
		gr_value_free(&counts);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	st_digest_current(t->x_st, dg);
	st_digest_delta(t->x_st, dl);
	if (counts_map(&counts, &t->x_counts) ||
	    gr_map_set(&m, "time", gr_int((int64_t)time(NULL))) ||
	    gr_map_set(&m, "author", gr_cstring(t->x_db->d_author)) ||
	    gr_map_set(&m, "command", gr_cstring(t->x_db->d_command)) ||
	    gr_map_set(&m, "counts", counts) ||
	    gr_map_set(&m, "digest", gr_string((const char *)dg, 32)) ||
	    gr_map_set(&m, "delta", gr_string((const char *)dl, 32)) ||
	    gr_value_encode(&b, &m)) {
		gr_value_free(&m);
		gr_buf_free(&b);
		return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	rc = st_log_append(t->x_st, b.b_data, b.b_len, &seq);
	gr_value_free(&m);
	gr_buf_free(&b);
	return gr_st_err(rc, err, "change log");
}

int gr_commit(gr_txn *t, gr_error *err)
{
	int rc;
	if (t->x_write && t->x_changed && (rc = log_append(t, err)) != GR_OK) {
		gr_abort(t);
		return rc;
	}
	rc = st_txn_commit(t->x_st);
	txn_free(t);
	return gr_st_err(rc, err, "commit");
}

typedef struct write_ctx {
	gr_db *db;
	int (*fn)(gr_txn *, void *, gr_error *);
	void *arg;
	gr_error *err;
	int status;
} write_ctx;

static int write_body(st_txn *st, void *arg)
{
	write_ctx *w = arg;
	gr_txn *t = calloc(1, sizeof *t);
	int rc;
	if (!t)
		return ST_ENOMEM;
	t->x_db = w->db;
	t->x_st = st;
	t->x_write = 1;
	rc = w->fn(t, w->arg, w->err);
	if (rc == GR_OK && t->x_changed)
		rc = log_append(t, w->err);
	/* a value lost to a failed allocation may be in what fn or the change
	 * log wrote */
	if (rc == GR_OK && gr_nomem_take()) {
		gr_nomem_note();   /* still lost: the command fails too */
		rc = gr_fail(w->err, GR_ENOMEM, "out of memory");
	}
	txn_free(t);
	w->status = rc;
	if (rc == GR_EMAPFULL)
		return ST_EMAPFULL;
	return rc == GR_OK ? ST_OK : ST_EIO;
}

int gr_write(gr_db *db, int (*fn)(gr_txn *, void *, gr_error *), void *arg, gr_error *err)
{
	write_ctx w = { db, fn, arg, err, GR_OK };
	int rc = st_write(db->d_env, write_body, &w);
	if (w.status != GR_OK)
		return w.status;
	return gr_st_err(rc, err, "commit");
}

st_txn *gr_store_txn(gr_txn *t) { return t->x_st; }
gr_db *gr_txn_db(gr_txn *t) { return t->x_db; }
gr_counts *gr_txn_counts(gr_txn *t) { t->x_changed = 1; return &t->x_counts; }
int gr_txn_writable(gr_txn *t) { return t->x_write; }

/* ---- symbols ---- */

int gr_sym(gr_txn *t, const char *name, size_t len, int create, uint16_t *id)
{
	int rc = st_sym_find(t->x_st, name, len, id);
	if (rc == ST_ENOTFOUND && create && t->x_write) {
		rc = st_sym_intern(t->x_st, name, len, id);
		/* a new name: the cached lookups of absent names are stale */
		memset(t->x_symknown, 0, sizeof t->x_symknown);
	}
	if (rc == ST_ENOTFOUND)
		return GR_ENOTFOUND;
	if (rc == ST_ELIMIT)
		return GR_EINVALID;
	if (rc == ST_EMAPFULL)
		return GR_EMAPFULL;   /* gr_write grows the map and replays */
	return rc ? GR_EIO : GR_OK;
}

const char *gr_sym_name(gr_txn *t, uint16_t id, size_t *len)
{
	const char *name;
	size_t l;
	if (st_sym_name(t->x_st, id, &name, &l) != ST_OK) {
		name = "?";
		l = 1;
	}
	if (len)
		*len = l;
	return name;
}

uint16_t gr_symc(gr_txn *t, int which)
{
	if (!t->x_symknown[which]) {   /* gr_sym forgets these when it makes a name */
		uint16_t id = 0;
		const char *nm = gr_cached_names[which];
		if (st_sym_find(t->x_st, nm, strlen(nm), &id) != ST_OK)
			id = 0;
		t->x_sym[which] = id;
		t->x_symknown[which] = 1;
	}
	return t->x_sym[which];
}

uint16_t gr_sym_cached(gr_txn *t, const char *name)
{
	for (int i = 0; i < SYM_NCACHED; i++)
		if (strcmp(gr_cached_names[i], name) == 0)
			return gr_symc(t, i);
	return 0;
}

/* ---- reading nodes ---- */

int gr_node_load(gr_txn *t, uint32_t id, gr_node *n, gr_error *err)
{
	const void *rec;
	size_t len;
	int rc = st_node_get(t->x_st, id, &rec, &len);
	gr_node_init(n);
	if (rc == ST_ENOTFOUND)
		return gr_fail(err, GR_ENOTFOUND, "no node with id %u", id);
	if (rc)
		return gr_st_err(rc, err, "node");
	if ((rc = gr_node_decode(rec, len, n)) != GR_OK) {
		gr_node_clear(n);
		return gr_fail(err, rc, "node %u: malformed record", id);
	}
	n->n_id = id;
	return GR_OK;
}

int gr_node_exists(gr_txn *t, uint32_t id)
{
	const void *rec;
	size_t len;
	return id && st_node_get(t->x_st, id, &rec, &len) == ST_OK;
}

int gr_node_prop(gr_txn *t, uint32_t id, uint16_t key, gr_value *out)
{
	const void *rec;
	size_t len;
	int rc = st_node_get(t->x_st, id, &rec, &len);
	*out = gr_null();
	if (rc)
		return rc == ST_ENOTFOUND ? GR_ENOTFOUND : GR_EIO;
	return gr_record_node_prop(rec, len, key, out);
}

int gr_node_key_get(gr_txn *t, uint32_t id, const char **key, size_t *klen)
{
	const void *rec;
	size_t len;
	int rc = st_node_get(t->x_st, id, &rec, &len);
	if (rc)
		return rc == ST_ENOTFOUND ? GR_ENOTFOUND : GR_EIO;
	return gr_record_node_key(rec, len, key, klen);
}

int gr_node_labels(gr_txn *t, uint32_t id, uint16_t *labels, size_t max, size_t *n)
{
	const void *rec;
	size_t len;
	int rc = st_node_get(t->x_st, id, &rec, &len);
	if (rc)
		return rc == ST_ENOTFOUND ? GR_ENOTFOUND : GR_EIO;
	return gr_record_node_labels(rec, len, labels, max, n);
}

int gr_node_has_label_id(gr_txn *t, uint32_t id, uint16_t label)
{
	uint16_t labels[32];
	size_t n;
	if (gr_node_labels(t, id, labels, 32, &n) != GR_OK)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (labels[i] == label)
			return 1;
	return 0;
}

int gr_node_by_key(gr_txn *t, uint16_t label, const char *key, size_t len, uint32_t *id)
{
	char imo[11];
	int rc;
	/* Vessel keys are stored as IMO9161003 whatever form was given */
	if (label && label == gr_symc(t, SYM_VESSEL) && gr_imo_key_normalise(key, len, imo) == 1) {
		key = imo;
		len = 10;
	}
	rc = st_key_get(t->x_st, label, key, len, id);
	if (rc == ST_ENOTFOUND)
		return GR_ENOTFOUND;
	return rc ? GR_EIO : GR_OK;
}

int gr_node_ref(gr_txn *t, uint32_t id, char *buf, size_t n)
{
	const void *rec;
	size_t len, nl, kl;
	uint16_t labels[1];
	const char *key;
	if (st_node_get(t->x_st, id, &rec, &len) != ST_OK ||
	    gr_record_node_labels(rec, len, labels, 1, &nl) ||
	    gr_record_node_key(rec, len, &key, &kl)) {
		snprintf(buf, n, "#%u", id);
		return GR_ENOTFOUND;
	}
	if (nl) {
		size_t ll;
		const char *lab = gr_sym_name(t, labels[0], &ll);
		snprintf(buf, n, "%.*s:%.*s", (int)ll, lab, (int)kl, key);
	} else {
		snprintf(buf, n, "%.*s", (int)kl, key);
	}
	return GR_OK;
}

int gr_resolve(gr_txn *t, const char *ref, uint32_t *id, gr_error *err)
{
	const char *colon = strchr(ref, ':');
	uint16_t sym = 0;
	uint32_t found = 0, cand;
	size_t nfound = 0;
	char names[512] = "";
	const char *name;
	size_t nlen;

	if (colon && colon > ref && gr_sym(t, ref, (size_t)(colon - ref), 0, &sym) == GR_OK) {
		if (gr_node_by_key(t, sym, colon + 1, strlen(colon + 1), id) == GR_OK)
			return GR_OK;
		return gr_fail(err, GR_ENOTFOUND, "no node %s", ref);
	}
	if (ref[0] == '#' && ref[1]) {
		char *end;
		unsigned long v = strtoul(ref + 1, &end, 10);
		if (!*end && v && v <= 0xffffffffu && gr_node_exists(t, (uint32_t)v)) {
			*id = (uint32_t)v;
			return GR_OK;
		}
	}
	/* a bare key: try it under every label */
	sym = 0;
	while (st_sym_next(t->x_st, &sym, &name, &nlen) == ST_OK) {
		if (gr_node_by_key(t, sym, ref, strlen(ref), &cand) == GR_OK && cand != found) {
			found = cand;
			nfound++;
			if (strlen(names) + nlen + strlen(ref) + 4 < sizeof names)
				snprintf(names + strlen(names), sizeof names - strlen(names), "%s%.*s:%s",
				    nfound > 1 ? ", " : "", (int)nlen, name, ref);
		}
		if (sym == 0xffff)
			break;
	}
	if (st_key_get(t->x_st, 0, ref, strlen(ref), &cand) == ST_OK && cand != found) {
		found = cand;
		nfound++;
	}
	if (nfound == 1) {
		*id = found;
		return GR_OK;
	}
	if (nfound > 1)
		return gr_fail(err, GR_EAMBIGUOUS, "%s is ambiguous: %s", ref, names);
	return gr_fail(err, GR_ENOTFOUND, "no node %s", ref);
}

/* ---- domain checks ---- */

static const char *node_label0(gr_txn *t, const gr_node *n)
{
	return n->n_nlabels ? gr_sym_name(t, n->n_labels[0], NULL) : "";
}

static int check_string(gr_txn *t, const gr_node *n, const char *field, const gr_value *v,
    int (*valid)(const char *, size_t, char *, size_t), gr_error *err)
{
	char why[256];
	if (v->type == GR_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++)
			if (check_string(t, n, field, &v->u.list.items[i], valid, err))
				return GR_EINVALID;
		return GR_OK;
	}
	if (v->type == GR_INT) {
		char num[32];
		snprintf(num, sizeof num, "%lld", (long long)v->u.i);
		if (valid(num, strlen(num), why, sizeof why) == 0)
			return GR_OK;
		return gr_fail(err, GR_EINVALID, "%s:%s: %s: %s in \"%s\"", node_label0(t, n), n->n_key, field, why, num);
	}
	if (v->type != GR_STRING)
		return gr_fail(err, GR_EINVALID, "%s:%s: %s must be a string", node_label0(t, n), n->n_key, field);
	if (valid(v->u.s.ptr, v->u.s.len, why, sizeof why) != 0)
		return gr_fail(err, GR_EINVALID, "%s:%s: %s: %s in \"%.*s\"", node_label0(t, n), n->n_key, field, why,
		    (int)(v->u.s.len > 64 ? 64 : v->u.s.len), v->u.s.ptr);
	return GR_OK;
}

static int check_coord(gr_txn *t, const gr_node *n, const char *field, const gr_value *v, double lim, gr_error *err)
{
	double d;
	if (v->type == GR_INT)
		d = (double)v->u.i;
	else if (v->type == GR_FLOAT)
		d = v->u.f;
	else
		return gr_fail(err, GR_EINVALID, "%s:%s: %s must be a number", node_label0(t, n), n->n_key, field);
	if (!(d >= -lim && d <= lim))
		return gr_fail(err, GR_EINVALID, "%s:%s: %s %g is outside -%g..%g", node_label0(t, n), n->n_key, field, d, lim, lim);
	return GR_OK;
}

int gr_node_check(gr_txn *t, const gr_node *n, gr_error *err)
{
	uint16_t vessel = gr_symc(t, SYM_VESSEL), port = gr_symc(t, SYM_PORT);
	const gr_value *v;
	char why[256];
	int rc;

	if (vessel && gr_node_has_label(n, vessel)) {
		if (n->n_keylen == 10 && strncmp(n->n_key, "IMO", 3) == 0 &&
		    gr_imo_key_valid(n->n_key, n->n_keylen, why, sizeof why) != 0)
			return gr_fail(err, GR_EINVALID, "Vessel:%s: key: %s in \"%s\"", n->n_key, why, n->n_key);
#define CHK(sym, field, fn) \
		if (gr_symc(t, sym) && (v = gr_props_get(n->n_props, n->n_nprops, gr_symc(t, sym))) && \
		    (rc = check_string(t, n, field, v, fn, err))) return rc
		CHK(SYM_IMO, "imo", gr_imo_valid);
		CHK(SYM_MMSI, "mmsi", gr_mmsi_valid);
		CHK(SYM_FLAG, "flag", gr_flag_valid);
		CHK(SYM_PAST_FLAGS, "past_flags", gr_flag_valid);
	}
	if (port && gr_node_has_label(n, port)) {
		CHK(SYM_LOCODE, "locode", gr_locode_valid);
#undef CHK
		if (gr_symc(t, SYM_LAT) && (v = gr_props_get(n->n_props, n->n_nprops, gr_symc(t, SYM_LAT))) &&
		    (rc = check_coord(t, n, "lat", v, 90, err)))
			return rc;
		if (gr_symc(t, SYM_LON) && (v = gr_props_get(n->n_props, n->n_nprops, gr_symc(t, SYM_LON))) &&
		    (rc = check_coord(t, n, "lon", v, 180, err)))
			return rc;
	}
	for (size_t i = 0; i < n->n_ncites; i++)
		if (n->n_cites[i].c_conf < GR_CONFIRMED || n->n_cites[i].c_conf > GR_SUSPECTED)
			return gr_fail(err, GR_EINVALID, "%s:%s: unknown confidence", node_label0(t, n), n->n_key);
	return GR_OK;
}

/* ---- text index entries of a node ---- */

static int idents_of_value(int (*fn)(void *, char, const char *, size_t), void *arg, char kind, const gr_value *v, int fold)
{
	int rc = GR_OK;
	if (v->type == GR_LIST) {
		for (size_t i = 0; i < v->u.list.n && rc == GR_OK; i++)
			rc = idents_of_value(fn, arg, kind, &v->u.list.items[i], fold);
		return rc;
	}
	if (v->type == GR_INT) {
		char num[32];
		int l = snprintf(num, sizeof num, "%lld", (long long)v->u.i);
		return fn(arg, kind, num, (size_t)l);
	}
	if (v->type != GR_STRING || v->u.s.len == 0)
		return GR_OK;
	if (fold) {
		size_t fl;
		char *f = gr_fold(v->u.s.ptr, v->u.s.len, &fl);
		if (!f)
			return GR_ENOMEM;
		rc = fl ? fn(arg, kind, f, fl) : GR_OK;
		free(f);
		return rc;
	}
	return fn(arg, kind, v->u.s.ptr, v->u.s.len);
}

int gr_node_idents(gr_txn *t, const gr_node *n, int (*fn)(void *arg, char kind, const char *s, size_t len), void *arg)
{
	static const struct { int sym; char kind; int fold; } fields[] = {
		{ SYM_NAME, 'n', 1 }, { SYM_PAST_NAMES, 'p', 1 }, { SYM_ALIASES, 'a', 1 },
		{ SYM_MERGED_KEYS, 'a', 1 },
		{ SYM_IMO, 'i', 0 }, { SYM_MMSI, 'm', 0 }, { SYM_CALL_SIGN, 'c', 1 },
	};
	int rc;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		uint16_t s = gr_symc(t, fields[i].sym);
		const gr_value *v;
		if (!s || !(v = gr_props_get(n->n_props, n->n_nprops, s)))
			continue;
		/* an IMO number that is also the key ("IMO" + number) is found
		 * through the key index: no second entry */
		if (fields[i].kind == 'i' && v->type == GR_STRING && n->n_keylen == v->u.s.len + 3 &&
		    memcmp(n->n_key, "IMO", 3) == 0 && memcmp(n->n_key + 3, v->u.s.ptr, v->u.s.len) == 0)
			continue;
		if ((rc = idents_of_value(fn, arg, fields[i].kind, v, fields[i].fold)))
			return rc;
	}
	return GR_OK;   /* keys are found through the key index */
}

typedef struct ident_ctx { gr_txn *t; uint32_t id; int add; } ident_ctx;

static int ident_apply(void *arg, char kind, const char *s, size_t len)
{
	ident_ctx *c = arg;
	int rc = c->add ? st_ident_add(c->t->x_st, kind, s, len, c->id) : st_ident_del(c->t->x_st, kind, s, len, c->id);
	return rc == ST_OK ? GR_OK : rc == ST_EMAPFULL ? GR_EMAPFULL : GR_EIO;
}

/* Adds (add=1) or removes every index entry and citation of node n. */
static int node_index(gr_txn *t, const gr_node *n, int add, gr_error *err)
{
	ident_ctx ic = { t, n->n_id, add };
	uint16_t first = n->n_nlabels ? n->n_labels[0] : 0;
	int rc;
	for (size_t i = 0; i < n->n_nlabels; i++) {
		rc = add ? st_label_add(t->x_st, n->n_labels[i], n->n_id) : st_label_del(t->x_st, n->n_labels[i], n->n_id);
		if (rc && !(rc == ST_ENOTFOUND && !add))
			return gr_st_err(rc, err, "label index");
	}
	if (add) {
		rc = st_key_put(t->x_st, first, n->n_key, n->n_keylen, n->n_id);
		if (rc == ST_EEXISTS) {
			size_t ll;
			const char *lab = first ? gr_sym_name(t, first, &ll) : "";
			return gr_fail(err, GR_EEXISTS, "%s:%s exists already", lab, n->n_key);
		}
	} else {
		uint32_t cur;
		rc = ST_OK;
		if (st_key_get(t->x_st, first, n->n_key, n->n_keylen, &cur) == ST_OK && cur == n->n_id)
			rc = st_key_del(t->x_st, first, n->n_key, n->n_keylen);
	}
	if (rc)
		return gr_st_err(rc, err, "key index");
	if ((rc = gr_node_idents(t, n, ident_apply, &ic)) != GR_OK)
		return rc == GR_EMAPFULL ? gr_fail(err, rc, "map full") : gr_fail(err, rc, "text index: %s", st_strerror());
	for (size_t i = 0; i < n->n_ncites; i++) {
		st_cite c = { 'n', n->n_id, 0, n->n_cites[i].c_conf };
		rc = add ? st_cite_add(t->x_st, n->n_cites[i].c_source, &c) : st_cite_del(t->x_st, n->n_cites[i].c_source, &c);
		if (rc)
			return gr_st_err(rc, err, "citation index");
	}
	return GR_OK;
}

static int check_cites(gr_txn *t, const gr_cite *c, size_t nc, gr_error *err)
{
	uint16_t source = gr_symc(t, SYM_SOURCE);
	for (size_t i = 0; i < nc; i++) {
		if (c[i].c_conf < GR_CONFIRMED || c[i].c_conf > GR_SUSPECTED)
			return gr_fail(err, GR_EINVALID, "unknown confidence");
		if (!source || !gr_node_has_label_id(t, c[i].c_source, source))
			return gr_fail(err, GR_ENOTFOUND, "cited source #%u is not a Source node", c[i].c_source);
	}
	return GR_OK;
}

/* Counts the citations a rewrite of a record added or removed. */
static void count_cites(gr_txn *t, size_t before, size_t after)
{
	if (after > before)
		t->x_counts.cites_added += after - before;
	else
		t->x_counts.cites_removed += before - after;
}

/* Whether the record of node (kind 'n') or edge ('e') id would stay the
 * same with n or e written. */
static int record_unchanged(gr_txn *t, char kind, uint32_t id, const gr_node *n, const gr_edge *e)
{
	const void *rec;
	size_t len;
	int rc = kind == 'n' ? st_node_get(t->x_st, id, &rec, &len) : st_edge_get(t->x_st, id, &rec, &len);
	if (rc == ST_ENOTFOUND && kind == 'e') {
		rec = NULL;
		len = 0;
	} else if (rc != ST_OK) {
		return 0;
	}
	if ((kind == 'n' ? gr_node_encode(&t->x_buf, n) : gr_edge_encode(&t->x_buf, e)) != GR_OK)
		return 0;
	return t->x_buf.b_len == len && (len == 0 || memcmp(t->x_buf.b_data, rec, len) == 0);
}

int gr_key_generate(gr_txn *t, gr_node *n, gr_error *err)
{
	uint16_t first = n->n_nlabels ? n->n_labels[0] : 0;
	char k[32];
	uint32_t other;
	int l = snprintf(k, sizeof k, "~%u", n->n_id);
	/* "~id" unless an imported node took it: then "~id.1", "~id.2" ... */
	for (unsigned i = 1; st_key_get(t->x_st, first, k, (size_t)l, &other) == ST_OK && other != n->n_id; i++)
		l = snprintf(k, sizeof k, "~%u.%u", n->n_id, i);
	free(n->n_key);
	if (!(n->n_key = strdup(k)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	n->n_keylen = (size_t)l;
	return GR_OK;
}

int gr_node_save(gr_txn *t, gr_node *n, gr_error *err)
{
	gr_node old;
	int rc, existed = 0;

	if ((rc = gr_node_normalise(t, n, err)) != GR_OK || (rc = gr_node_check(t, n, err)) != GR_OK)
		return rc;
	if ((rc = check_cites(t, n->n_cites, n->n_ncites, err)) != GR_OK)
		return rc;
	gr_node_init(&old);
	if (n->n_id == 0) {
		if ((rc = st_node_alloc(t->x_st, 1, &n->n_id)))
			return gr_st_err(rc, err, "node id");
	} else if ((rc = gr_node_load(t, n->n_id, &old, NULL)) == GR_OK) {
		existed = 1;
	} else if (rc != GR_ENOTFOUND) {
		return gr_fail(err, rc, "node %u: cannot read", n->n_id);
	}
	if (n->n_keylen == 0 && (rc = gr_key_generate(t, n, err)) != GR_OK)
		return rc;
	if (existed && record_unchanged(t, 'n', n->n_id, n, NULL)) {
		/* saying the same again: nothing to write, nothing to log */
		gr_node_clear(&old);
		return GR_OK;
	}
	if (existed && (rc = node_index(t, &old, 0, err)) != GR_OK)
		goto done;
	if ((rc = node_index(t, n, 1, err)) != GR_OK)
		goto done;
	if ((rc = gr_node_encode(&t->x_buf, n)) != GR_OK) {
		rc = gr_fail(err, rc, "%s:%s: a property value cannot be stored", node_label0(t, n), n->n_key);
		goto done;
	}
	gr_node_labels_changed(t, n->n_id);
	if ((rc = st_node_put(t->x_st, n->n_id, t->x_buf.b_data, t->x_buf.b_len))) {
		rc = gr_st_err(rc, err, "node");
		goto done;
	}
	t->x_changed = 1;
	if (existed)
		t->x_counts.nodes_updated++;
	else
		t->x_counts.nodes_created++;
	count_cites(t, old.n_ncites, n->n_ncites);
done:
	gr_node_clear(&old);
	return rc;
}

int gr_node_delete(gr_txn *t, uint32_t id, int detach, gr_error *err)
{
	gr_node n;
	st_adj_iter *it;
	st_adj a;
	int rc;

	if ((rc = gr_node_load(t, id, &n, err)) != GR_OK)
		return rc;
	for (int dir = 0; dir < 2; dir++) {
		if ((rc = st_adj_open(t->x_st, &it)))
			goto fail_st;
		/* re-seek after each deletion: the cursor's page changes */
		for (;;) {
			if ((rc = st_adj_seek(it, dir, id, 0, 0)) != ST_OK)
				break;
			rc = st_adj_read(it, &a);
			if (rc <= 0)
				break;
			if (!detach) {
				st_adj_close(it);
				gr_node_clear(&n);
				return gr_fail(err, GR_EINVALID, "cannot delete node %u: it still has relationships (use DETACH DELETE)", id);
			}
			gr_edge e;
			gr_edge_init(&e);
			e.e_id = a.a_edge;
			e.e_type = a.a_type;
			e.e_src = dir == ST_OUT ? id : a.a_nbr;
			e.e_dst = dir == ST_OUT ? a.a_nbr : id;
			rc = gr_edge_delete(t, &e, err);
			gr_edge_clear(&e);
			if (rc != GR_OK) {
				st_adj_close(it);
				gr_node_clear(&n);
				return rc;
			}
		}
		st_adj_close(it);
		if (rc < 0)
			goto fail_st;
	}
	if ((rc = node_index(t, &n, 0, err)) != GR_OK) {
		gr_node_clear(&n);
		return rc;
	}
	gr_node_labels_changed(t, id);
	rc = st_node_del(t->x_st, id);
	t->x_counts.cites_removed += n.n_ncites;
	gr_node_clear(&n);
	if (rc)
		return gr_st_err(rc, err, "node");
	t->x_changed = 1;
	t->x_counts.nodes_deleted++;
	return GR_OK;
fail_st:
	gr_node_clear(&n);
	return gr_st_err(rc, err, "adjacency");
}

/* ---- edges ---- */

static int edge_cites(gr_txn *t, const gr_edge *e, int add, gr_error *err)
{
	for (size_t i = 0; i < e->e_ncites; i++) {
		st_cite c = { 'e', e->e_id, e->e_src, e->e_cites[i].c_conf };
		int rc = add ? st_cite_add(t->x_st, e->e_cites[i].c_source, &c) : st_cite_del(t->x_st, e->e_cites[i].c_source, &c);
		if (rc)
			return gr_st_err(rc, err, "citation index");
	}
	return GR_OK;
}

int gr_edge_create(gr_txn *t, gr_edge *e, gr_error *err)
{
	int rc;
	if (!gr_node_exists(t, e->e_src))
		return gr_fail(err, GR_ENOTFOUND, "no start node #%u", e->e_src);
	if (!gr_node_exists(t, e->e_dst))
		return gr_fail(err, GR_ENOTFOUND, "no end node #%u", e->e_dst);
	if ((rc = gr_edge_check(t, e, err)) != GR_OK)
		return rc;
	if ((rc = check_cites(t, e->e_cites, e->e_ncites, err)) != GR_OK)
		return rc;
	if ((rc = st_edge_alloc(t->x_st, 1, &e->e_id)))
		return gr_st_err(rc, err, "edge id");
	if ((rc = gr_edge_encode(&t->x_buf, e)) != GR_OK)
		return gr_fail(err, rc, "a property value of the relationship cannot be stored");
	if (t->x_buf.b_len && (rc = st_edge_put(t->x_st, e->e_id, t->x_buf.b_data, t->x_buf.b_len)))
		return gr_st_err(rc, err, "edge");
	if ((rc = st_adj_add(t->x_st, e->e_src, e->e_type, e->e_dst, e->e_id)))
		return gr_st_err(rc, err, "adjacency");
	if ((rc = edge_cites(t, e, 1, err)) != GR_OK)
		return rc;
	t->x_changed = 1;
	t->x_counts.edges_created++;
	t->x_counts.cites_added += e->e_ncites;
	return GR_OK;
}

int gr_edge_load_props(gr_txn *t, gr_edge *e, gr_error *err)
{
	const void *rec;
	size_t len;
	int rc = st_edge_get(t->x_st, e->e_id, &rec, &len);
	gr_edge_clear(e);
	if (rc == ST_ENOTFOUND)
		return GR_OK;   /* no properties, no citations */
	if (rc)
		return gr_st_err(rc, err, "edge");
	if ((rc = gr_edge_decode(rec, len, e)) != GR_OK) {
		gr_edge_clear(e);
		return gr_fail(err, rc, "edge %u: malformed record", e->e_id);
	}
	return GR_OK;
}

int gr_edge_load_like(gr_txn *t, const gr_edge *e, uint32_t id, gr_edge *out, gr_error *err)
{
	gr_edge_init(out);
	out->e_id = id;
	out->e_src = e->e_src;
	out->e_dst = e->e_dst;
	out->e_type = e->e_type;
	return gr_edge_load_props(t, out, err);
}

int gr_edge_load(gr_txn *t, uint32_t src, uint32_t id, gr_edge *e, gr_error *err)
{
	int rc;
	gr_edge_init(e);
	e->e_id = id;
	e->e_src = src;
	if ((rc = st_edge_find(t->x_st, src, id, &e->e_type, &e->e_dst)) == ST_ENOTFOUND)
		return gr_fail(err, GR_ENOTFOUND, "no relationship %u from node %u", id, src);
	if (rc)
		return gr_st_err(rc, err, "adjacency");
	return gr_edge_load_props(t, e, err);
}

int gr_edge_prop(gr_txn *t, uint32_t id, uint16_t key, gr_value *out)
{
	const void *rec;
	size_t len;
	int rc = st_edge_get(t->x_st, id, &rec, &len);
	*out = gr_null();
	if (rc == ST_ENOTFOUND)
		return GR_OK;
	if (rc)
		return GR_EIO;
	return gr_record_edge_prop(rec, len, key, out);
}

int gr_edge_save(gr_txn *t, gr_edge *e, gr_error *err)
{
	gr_edge old;
	int rc;
	if ((rc = gr_edge_check(t, e, err)) != GR_OK)
		return rc;
	if ((rc = check_cites(t, e->e_cites, e->e_ncites, err)) != GR_OK)
		return rc;
	if (record_unchanged(t, 'e', e->e_id, NULL, e))
		return GR_OK;
	if ((rc = gr_edge_load_like(t, e, e->e_id, &old, err)) != GR_OK)
		return rc;
	if ((rc = edge_cites(t, &old, 0, err)) != GR_OK || (rc = edge_cites(t, e, 1, err)) != GR_OK)
		goto done;
	if ((rc = gr_edge_encode(&t->x_buf, e)) != GR_OK) {
		rc = gr_fail(err, rc, "a property value of the relationship cannot be stored");
		goto done;
	}
	if ((rc = st_edge_put(t->x_st, e->e_id, t->x_buf.b_data, t->x_buf.b_len))) {
		rc = gr_st_err(rc, err, "edge");
		goto done;
	}
	t->x_changed = 1;
	t->x_counts.edges_updated++;
	count_cites(t, old.e_ncites, e->e_ncites);
done:
	gr_edge_clear(&old);
	return rc;
}

int gr_edge_delete(gr_txn *t, const gr_edge *e, gr_error *err)
{
	gr_edge old;
	int rc;
	if ((rc = gr_edge_load_like(t, e, e->e_id, &old, err)) != GR_OK)
		return rc;
	rc = st_adj_del(t->x_st, e->e_src, e->e_type, e->e_dst, e->e_id);
	if (rc == ST_ENOTFOUND) {
		gr_edge_clear(&old);
		return gr_fail(err, GR_ENOTFOUND, "no relationship %u", e->e_id);
	}
	if (rc || (rc = st_edge_put(t->x_st, e->e_id, NULL, 0))) {
		gr_edge_clear(&old);
		return gr_st_err(rc, err, "edge");
	}
	rc = edge_cites(t, &old, 0, err);
	t->x_counts.cites_removed += old.e_ncites;
	gr_edge_clear(&old);
	if (rc)
		return rc;
	t->x_changed = 1;
	t->x_counts.edges_deleted++;
	return GR_OK;
}

/* ---- change log ---- */

void gr_log_entry_clear(gr_log_entry *e)
{
	free(e->l_author);
	free(e->l_command);
	memset(e, 0, sizeof *e);
}

int gr_log_read(gr_txn *t, uint64_t seq, gr_log_entry *e, gr_error *err)
{
	const unsigned char *hash, *prev, *p, *end;
	const void *body;
	size_t len;
	gr_value m;
	const gr_value *v;
	int rc;

	memset(e, 0, sizeof *e);
	if ((rc = st_log_get(t->x_st, seq, &hash, &prev, &body, &len)))
		return gr_st_err(rc, err, "change log");
	p = body;
	end = p + len;
	if (gr_value_decode(&p, end, &m) || m.type != GR_MAP || p != end) {
		if (m.type != GR_NULL)
			gr_value_free(&m);
		return gr_fail(err, GR_ECORRUPT, "change log record %llu is malformed", (unsigned long long)seq);
	}
	e->l_seq = seq;
	memcpy(e->l_hash, hash, 32);
	memcpy(e->l_prev, prev, 32);
	if ((v = gr_map_get(&m, "time")) && v->type == GR_INT)
		e->l_time = v->u.i;
	v = gr_map_get(&m, "author");
	e->l_author = strdup(v && v->type == GR_STRING ? v->u.s.ptr : "");
	v = gr_map_get(&m, "command");
	e->l_command = strdup(v && v->type == GR_STRING ? v->u.s.ptr : "");
	if ((v = gr_map_get(&m, "digest")) && v->type == GR_STRING && v->u.s.len == 32)
		memcpy(e->l_digest, v->u.s.ptr, 32);
	if ((v = gr_map_get(&m, "delta")) && v->type == GR_STRING && v->u.s.len == 32)
		memcpy(e->l_delta, v->u.s.ptr, 32);
	if ((v = gr_map_get(&m, "counts")) && v->type == GR_MAP) {
		const gr_value *c;
#define C(f) if ((c = gr_map_get(v, #f)) && c->type == GR_INT) e->l_counts.f = (uint64_t)c->u.i
		C(nodes_created); C(nodes_updated); C(nodes_deleted);
		C(edges_created); C(edges_updated); C(edges_deleted);
		C(labels_added); C(labels_removed); C(props_set);
		C(cites_added); C(cites_removed);
#undef C
	}
	gr_value_free(&m);
	return GR_OK;
}
