/*
 * iter.c: cursors over nodes, relationships and symbols, and the store's
 * bookkeeping, for the layers above graph/ (see iter.h).
 *
 * Each cursor is a thin, allocation-free layer over the store's own
 * iteration: the store re-seeks from the last key on every step, so a cursor
 * survives the caller's other reads (and writes) in the same transaction.
 */
#include <string.h>

#include "graph_int.h"

/* ---- nodes ---- */

void gr_nodes_open(gr_txn *txn, uint16_t label, gr_nodes *it, gr_error *err)
{
	memset(it, 0, sizeof *it);
	it->ns_txn = txn;
	it->ns_err = err;
	it->ns_label = label;
}

int gr_nodes_next(gr_nodes *it)
{
	int rc;
	if (it->ns_done)
		return 0;
	if (it->ns_label)
		rc = st_label_next(it->ns_txn->x_st, it->ns_label, &it->ns_id);
	else
		rc = st_node_next(it->ns_txn->x_st, &it->ns_id, &it->ns_rec, &it->ns_len);
	if (rc == ST_OK)
		return 1;
	it->ns_done = 1;
	it->ns_rec = NULL;
	if (rc == ST_ENOTFOUND)
		return 0;
	return gr_st_err(rc, it->ns_err, it->ns_label ? "reading a label's nodes" : "reading nodes");
}

int gr_nodes_load(gr_nodes *it, gr_node *n)
{
	int rc;
	if (!it->ns_rec)
		return gr_node_load(it->ns_txn, it->ns_id, n, it->ns_err);
	gr_node_init(n);
	if ((rc = gr_node_decode(it->ns_rec, it->ns_len, n)) != GR_OK) {
		gr_node_clear(n);
		return gr_fail(it->ns_err, rc, "node %u: malformed record", it->ns_id);
	}
	n->n_id = it->ns_id;
	return GR_OK;
}

/* ---- relationships ---- */

int gr_rels_open(gr_txn *txn, gr_rels *it, gr_error *err)
{
	memset(it, 0, sizeof *it);
	it->rs_txn = txn;
	it->rs_err = err;
	if (st_adj_open(txn->x_st, &it->rs_cur) != ST_OK)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

void gr_rels_close(gr_rels *it)
{
	st_adj_close(it->rs_cur);
	it->rs_cur = NULL;
	it->rs_mode = 0;
}

int gr_rels_seek(gr_rels *it, uint32_t node, int dir, uint16_t type, uint32_t nbr)
{
	int rc = st_adj_seek(it->rs_cur, dir == GR_IN ? ST_IN : ST_OUT, node, type, nbr);
	it->rs_node = node;
	it->rs_dir = dir;
	if (rc != ST_OK) {
		it->rs_mode = 0;
		return gr_st_err(rc, it->rs_err, "reading relationships");
	}
	it->rs_mode = 1;
	return GR_OK;
}

void gr_rels_all(gr_rels *it)
{
	it->rs_mode = 2;
	it->rs_node = 0;
	it->rs_dir = GR_OUT;
}

int gr_rels_next(gr_rels *it, gr_rel *r)
{
	st_adj a;
	int rc;
	if (it->rs_mode == 1)
		rc = st_adj_read(it->rs_cur, &a);
	else if (it->rs_mode == 2)
		rc = st_adj_scan(it->rs_cur, &it->rs_node, &a);
	else
		return 0;
	if (rc <= 0) {
		it->rs_mode = 0;
		return rc == 0 ? 0 : gr_st_err(rc, it->rs_err, "reading relationships");
	}
	r->r_edge = a.a_edge;
	r->r_type = a.a_type;
	r->r_nbr = a.a_nbr;
	r->r_src = it->rs_dir == GR_IN ? a.a_nbr : it->rs_node;
	r->r_dst = it->rs_dir == GR_IN ? it->rs_node : a.a_nbr;
	return 1;
}

int gr_edge_find(gr_txn *txn, uint32_t src, uint32_t edge, uint16_t *type, uint32_t *dst)
{
	int rc = st_edge_find(txn->x_st, src, edge, type, dst);
	return rc == ST_OK ? GR_OK : rc == ST_ENOTFOUND ? GR_ENOTFOUND : GR_EIO;
}

/* ---- symbols ---- */

void gr_syms_open(gr_txn *txn, gr_syms *it)
{
	memset(it, 0, sizeof *it);
	it->sy_txn = txn;
}

int gr_syms_next(gr_syms *it)
{
	int rc;
	if (it->sy_done)
		return 0;
	rc = st_sym_next(it->sy_txn->x_st, &it->sy_id, &it->sy_name, &it->sy_len);
	if (rc == ST_OK)
		return 1;
	it->sy_done = 1;
	return rc == ST_ENOTFOUND ? 0 : GR_EIO;
}

int gr_sym_intern(gr_txn *txn, const char *name, size_t len, uint16_t *id, gr_error *err)
{
	int rc = gr_sym(txn, name, len, 1, id);
	if (rc == GR_EINVALID)
		return gr_fail(err, rc, "%s", st_strerror());
	if (rc == GR_ENOTFOUND)   /* a read transaction cannot intern */
		return gr_fail(err, GR_EIO, "cannot add a name in a read transaction");
	return rc == GR_OK ? GR_OK : gr_fail(err, rc, "storage error");
}

/* ---- counts and bookkeeping ---- */

uint64_t gr_node_count(gr_txn *txn)
{
	return st_node_count(txn->x_st);
}

uint64_t gr_label_count(gr_txn *txn, uint16_t label)
{
	return st_label_count(txn->x_st, label);
}

uint32_t gr_id_next(gr_txn *txn, int edge)
{
	uint32_t next = 0;
	if (st_id_next(txn->x_st, edge, &next) != ST_OK)
		return 0;
	return next;
}

int gr_db_size(gr_db *db, uint64_t *file_bytes, uint64_t *used_bytes)
{
	return st_size(db->d_env, file_bytes, used_bytes) == ST_OK ? GR_OK : GR_EIO;
}

int gr_backup(gr_db *db, const char *dir, gr_error *err)
{
	char why[1024];
	if (st_backup(db->d_env, dir, why, sizeof why) != ST_OK)
		return gr_fail(err, GR_EIO, "%s", why);
	return GR_OK;
}

int gr_read_stale(gr_db *db, gr_error *err)
{
	if (st_read_stale(db->d_env) != ST_OK)
		return gr_fail(err, GR_EIO, "%s", st_strerror());
	return GR_OK;
}

int gr_damage_noted(gr_db *db, gr_error *err)
{
	char why[sizeof err->msg];
	if (st_damage_noted(db->d_env, why, sizeof why))
		return gr_fail(err, GR_ECORRUPT, "%s", why);
	return GR_OK;
}

int gr_key_alias(gr_txn *txn, uint16_t label, const char *key, size_t len, uint32_t node, gr_error *err)
{
	int rc = st_key_put(txn->x_st, label, key, len, node);
	if (rc == ST_EEXISTS)
		return GR_EEXISTS;
	return gr_st_err(rc, err, "key index");
}

uint64_t gr_log_head(gr_txn *txn)
{
	return st_log_head(txn->x_st);
}

int gr_log_hash(gr_txn *txn, uint64_t seq, unsigned char hash[32])
{
	const unsigned char *h, *prev;
	const void *body;
	size_t len;
	if (st_log_get(txn->x_st, seq, &h, &prev, &body, &len) != ST_OK)
		return GR_ENOTFOUND;
	memcpy(hash, h, 32);
	return GR_OK;
}

void gr_sha256(const void *p, size_t n, unsigned char out[32])
{
	st_sha256(p, n, out);
}

void gr_sha256_parts(const void *p, size_t n, size_t part, void (*done)(const void *, size_t, void *), void *arg,
    unsigned char out[32])
{
	st_sha256_parts(p, n, part, done, arg, out);
}

void gr_hex(const unsigned char *p, size_t n, char *out)
{
	st_hex(p, n, out);
}
