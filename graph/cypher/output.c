/*
 * output.c: result blocks in the contract's formats (table, csv, json,
 * jsonl) and the JSON and display forms of nodes, relationships and paths,
 * which need the transaction to read what they hold.
 *
 * A writer keeps what it has to say in a buffer: a reading statement's
 * rows go out whenever the buffer fills, a writing statement's stay until
 * cy_writer_flush() (after the commit), and cy_writer_rewind() forgets
 * them when the transaction is replayed or fails.  The table format holds
 * its cells until the block ends, to align the columns.
 */
#include <stdlib.h>
#include <string.h>

#include "../textwidth.h"
#include "engine.h"
#include "../escape.h"

struct cy_writer {
	FILE *out;
	cy_format fmt;
	gr_buf buf;
	int hold;               /* the current block waits for flush */
	size_t block_start;     /* where the current block begins in buf */
	int blocks;             /* blocks written (separators) */
	int blocks_at_start;
	int pending;            /* a block begun and not yet sent out */
	int failed;
	int raw;                /* csv: no quote before formula-like strings */
	char **cols;
	size_t ncols;
	uint64_t nrows;
	/* table: every cell's text, row after row */
	gr_buf cells;
	size_t *cell_end;
	size_t ncells, ccells;
};

cy_writer *cy_writer_new(FILE *out, cy_format fmt)
{
	cy_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->out = out;
	w->fmt = fmt;
	return w;
}

/* Writes n bytes to out: straight to its file descriptor, after whatever
 * was printed to it through stdio, since the bytes come already buffered
 * (64 KiB at a time); stdio's own buffer is then never made, a page and
 * an fstat less for a point query's answer.  A stream without one (a
 * memory stream) is written through stdio.  0, or -1. */
static int write_out(FILE *out, const unsigned char *p, size_t n)
{
	int fd;
	if (fflush(out) != 0)
		return -1;
	if ((fd = fileno(out)) < 0)
		return fwrite(p, 1, n, out) == n ? 0 : -1;
	return gr_write_all(fd, p, n);
}

static int drain(cy_writer *w)
{
	if (w->buf.b_len && w->out && !w->failed && write_out(w->out, w->buf.b_data, w->buf.b_len) < 0)
		w->failed = 1;
	w->buf.b_len = 0;
	w->block_start = 0;
	w->pending = 0;
	return w->failed ? -1 : 0;
}

static void free_cols(cy_writer *w)
{
	for (size_t i = 0; i < w->ncols; i++)
		free(w->cols[i]);
	free(w->cols);
	w->cols = NULL;
	w->ncols = 0;
}

void cy_writer_free(cy_writer *w)
{
	if (!w)
		return;
	drain(w);
	if (w->out)
		fflush(w->out);
	free_cols(w);
	gr_buf_free(&w->buf);
	gr_buf_free(&w->cells);
	free(w->cell_end);
	free(w);
}

int cy_writer_failed(const cy_writer *w)
{
	return w->failed;
}

void cy_writer_set_raw(cy_writer *w, int raw)
{
	w->raw = raw;
}

static int put(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/* ---- values ---- */

static int json_props(gr_txn *txn, gr_buf *b, const gr_prop *p, size_t np)
{
	if (gr_buf_byte(b, '{') < 0)
		return -1;
	for (size_t i = 0; i < np; i++) {
		size_t len;
		const char *name = gr_sym_name(txn, p[i].p_key, &len);
		if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, name, len) < 0 ||
		    gr_buf_byte(b, ':') < 0 || gr_value_json(b, &p[i].p_val) < 0)
			return -1;
	}
	return gr_buf_byte(b, '}');
}

static int json_node(gr_txn *txn, gr_buf *b, uint32_t id)
{
	gr_node n;
	char num[24];
	int rc;
	gr_fmt_uint(num, id, 1);
	if (put(b, "{\"kind\":\"node\",\"id\":") < 0 || put(b, num) < 0 || put(b, ",\"labels\":[") < 0)
		return -1;
	if (gr_node_load(txn, id, &n, NULL) != GR_OK)
		return put(b, "],\"key\":null,\"properties\":{}}");
	for (size_t i = 0; i < n.n_nlabels; i++) {
		size_t len;
		const char *name = gr_sym_name(txn, n.n_labels[i], &len);
		if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, name, len) < 0)
			goto fail;
	}
	if (put(b, "],\"key\":") < 0 || gr_json_string(b, n.n_key ? n.n_key : "", n.n_keylen) < 0 ||
	    put(b, ",\"properties\":") < 0 || json_props(txn, b, n.n_props, n.n_nprops) < 0)
		goto fail;
	rc = gr_buf_byte(b, '}');
	gr_node_clear(&n);
	return rc;
fail:
	gr_node_clear(&n);
	return -1;
}

static int json_edge(gr_txn *txn, gr_buf *b, const gr_value *v)
{
	gr_edge e;
	char num[24];
	size_t len;
	const char *type = gr_sym_name(txn, (uint16_t)v->u.edge.type, &len);
	int rc;
	gr_fmt_uint(num, v->u.edge.id, 1);
	if (put(b, "{\"kind\":\"relationship\",\"id\":") < 0 || put(b, num) < 0 || put(b, ",\"type\":") < 0 ||
	    gr_json_string(b, type, len) < 0)
		return -1;
	gr_fmt_uint(num, v->u.edge.src, 1);
	if (put(b, ",\"start\":") < 0 || put(b, num) < 0)
		return -1;
	gr_fmt_uint(num, v->u.edge.dst, 1);
	if (put(b, ",\"end\":") < 0 || put(b, num) < 0 || put(b, ",\"properties\":") < 0)
		return -1;
	gr_edge_init(&e);
	e.e_id = v->u.edge.id;
	if (gr_edge_load_props(txn, &e, NULL) != GR_OK)
		return put(b, "{}}");
	rc = json_props(txn, b, e.e_props, e.e_nprops) < 0 ? -1 : gr_buf_byte(b, '}');
	gr_edge_clear(&e);
	return rc;
}

int cy_value_json(gr_txn *txn, gr_buf *b, const gr_value *v)
{
	switch (v->type) {
	case GR_NODE:
		return json_node(txn, b, v->u.node.id);
	case GR_EDGE:
		return json_edge(txn, b, v);
	case GR_PATH: {
		const gr_path *p = v->u.path;
		if (put(b, "{\"kind\":\"path\",\"nodes\":[") < 0)
			return -1;
		for (size_t i = 0; i <= p->pa_len; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || json_node(txn, b, p->pa_nodes[i].u.node.id) < 0)
				return -1;
		if (put(b, "],\"relationships\":[") < 0)
			return -1;
		for (size_t i = 0; i < p->pa_len; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || json_edge(txn, b, &p->pa_rels[i]) < 0)
				return -1;
		return put(b, "]}");
	}
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (size_t i = 0; i < v->u.list.n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || cy_value_json(txn, b, &v->u.list.items[i]) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	case GR_MAP:
		if (gr_buf_byte(b, '{') < 0)
			return -1;
		for (size_t i = 0; i < v->u.map.n; i++) {
			const char *k = v->u.map.keys[i];
			if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, k, strlen(k)) < 0 ||
			    gr_buf_byte(b, ':') < 0 || cy_value_json(txn, b, &v->u.map.vals[i]) < 0)
				return -1;
		}
		return gr_buf_byte(b, '}');
	default:
		return gr_value_json(b, v);
	}
}

static int text_value(gr_txn *txn, gr_buf *b, const gr_value *v, int nested);

static int text_props(gr_txn *txn, gr_buf *b, const gr_prop *p, size_t np)
{
	if (!np)
		return 0;
	if (put(b, " {") < 0)
		return -1;
	for (size_t i = 0; i < np; i++) {
		size_t len;
		const char *name = gr_sym_name(txn, p[i].p_key, &len);
		if ((i && put(b, ", ") < 0) || gr_buf_put(b, name, len) < 0 || put(b, ": ") < 0 ||
		    text_value(txn, b, &p[i].p_val, 1) < 0)
			return -1;
	}
	return gr_buf_byte(b, '}');
}

/* (Label:key), with the properties when full. */
static int text_node(gr_txn *txn, gr_buf *b, uint32_t id, int full)
{
	gr_node n;
	int rc = 0;
	if (gr_node_load(txn, id, &n, NULL) != GR_OK) {
		char num[24];
		gr_fmt_uint(num, id, 1);
		return put(b, "(#") < 0 || put(b, num) < 0 ? -1 : put(b, ")");
	}
	if (gr_buf_byte(b, '(') < 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n.n_nlabels; i++) {
		size_t len;
		const char *name = gr_sym_name(txn, n.n_labels[i], &len);
		if ((i && gr_buf_byte(b, ':') < 0) || gr_buf_put(b, name, len) < 0)
			rc = -1;
	}
	if (rc == 0 && ((n.n_nlabels && gr_buf_byte(b, ':') < 0) || gr_buf_put(b, n.n_key, n.n_keylen) < 0))
		rc = -1;
	if (rc == 0 && full && text_props(txn, b, n.n_props, n.n_nprops) < 0)
		rc = -1;
	if (rc == 0)
		rc = gr_buf_byte(b, ')');
	gr_node_clear(&n);
	return rc;
}

static int text_edge(gr_txn *txn, gr_buf *b, const gr_value *v, int full)
{
	size_t len;
	const char *type = gr_sym_name(txn, (uint16_t)v->u.edge.type, &len);
	gr_edge e;
	int rc;
	if (put(b, "[:") < 0 || gr_buf_put(b, type, len) < 0)
		return -1;
	gr_edge_init(&e);
	e.e_id = v->u.edge.id;
	rc = 0;
	if (full && gr_edge_load_props(txn, &e, NULL) == GR_OK)
		rc = text_props(txn, b, e.e_props, e.e_nprops);
	gr_edge_clear(&e);
	return rc < 0 ? -1 : gr_buf_byte(b, ']');
}

static int text_value(gr_txn *txn, gr_buf *b, const gr_value *v, int nested)
{
	switch (v->type) {
	case GR_NODE:
		return text_node(txn, b, v->u.node.id, 1);
	case GR_EDGE:
		return text_edge(txn, b, v, 1);
	case GR_PATH: {
		const gr_path *p = v->u.path;
		uint32_t cur = p->pa_nodes[0].u.node.id;
		if (text_node(txn, b, cur, 0) < 0)
			return -1;
		for (size_t i = 0; i < p->pa_len; i++) {
			const gr_value *r = &p->pa_rels[i];
			int fwd = r->u.edge.src == cur;
			if (put(b, fwd ? "-" : "<-") < 0 || text_edge(txn, b, r, 0) < 0 || put(b, fwd ? "->" : "-") < 0)
				return -1;
			cur = p->pa_nodes[i + 1].u.node.id;
			if (text_node(txn, b, cur, 0) < 0)
				return -1;
		}
		return 0;
	}
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (size_t i = 0; i < v->u.list.n; i++)
			if ((i && put(b, ", ") < 0) || text_value(txn, b, &v->u.list.items[i], 1) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	case GR_MAP:
		if (gr_buf_byte(b, '{') < 0)
			return -1;
		for (size_t i = 0; i < v->u.map.n; i++)
			if ((i && put(b, ", ") < 0) || put(b, v->u.map.keys[i]) < 0 || put(b, ": ") < 0 ||
			    text_value(txn, b, &v->u.map.vals[i], 1) < 0)
				return -1;
		return gr_buf_byte(b, '}');
	case GR_STRING:
		if (nested) {
			/* quoted, as a literal */
			gr_value l = gr_list(0);
			size_t mark = b->b_len;
			int rc;
			l.u.list.items = (gr_value *)v;
			l.u.list.n = 1;
			rc = gr_value_text(b, &l);
			if (rc == 0 && b->b_len >= mark + 2) {
				memmove(b->b_data + mark, b->b_data + mark + 1, b->b_len - mark - 2);
				b->b_len -= 2;
			}
			return rc;
		}
		return gr_value_text(b, v);
	default:
		return gr_value_text(b, v);
	}
}

int cy_value_text(gr_txn *txn, gr_buf *b, const gr_value *v)
{
	return text_value(txn, b, v, 0);
}

/* ---- blocks ---- */

/* A text a spreadsheet would run as a formula, when it is a cell's whole
 * text: starts with =, +, -, @, tab or CR. */
static int formula_like(const char *s, size_t n)
{
	return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r');
}

static int csv_field(gr_buf *b, const char *s, size_t n);

/* A CSV field; guard puts a ' before a formula-like text. */
static int csv_cell(gr_buf *b, const char *s, size_t n, int guard)
{
	gr_buf t = { 0 };
	int rc;
	if (!guard || !formula_like(s, n))
		return csv_field(b, s, n);
	rc = gr_buf_byte(&t, '\'') < 0 || gr_buf_put(&t, s, n) < 0 ? -1 : csv_field(b, (char *)t.b_data, t.b_len);
	gr_buf_free(&t);
	return rc;
}

static int csv_field(gr_buf *b, const char *s, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
			quote = 1;
	if (!quote)
		return gr_buf_put(b, s, n);
	if (gr_buf_byte(b, '"') < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((s[i] == '"' && gr_buf_byte(b, '"') < 0) || gr_buf_byte(b, (unsigned char)s[i]) < 0)
			return -1;
	return gr_buf_byte(b, '"');
}

int cy_writer_begin(cy_writer *w, char **columns, size_t n, int hold)
{
	gr_buf *b = &w->buf;
	free_cols(w);
	w->hold = hold;
	w->pending = 1;
	w->block_start = b->b_len;
	w->blocks_at_start = w->blocks;
	w->nrows = 0;
	w->cells.b_len = 0;
	w->ncells = 0;
	if (!(w->cols = calloc(n + 1, sizeof *w->cols)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* a table's header is escaped as its cells are */
		gr_buf e = { 0 };
		if (w->fmt == CY_FMT_TABLE && (gr_text_escape(&e, columns[i], strlen(columns[i])) < 0 || gr_buf_byte(&e, 0) < 0)) {
			gr_buf_free(&e);
			return -1;
		}
		w->cols[i] = w->fmt == CY_FMT_TABLE ? (char *)e.b_data : strdup(columns[i]);
		if (!w->cols[i])
			return -1;
	}
	w->ncols = n;
	switch (w->fmt) {
	case CY_FMT_JSON:
		if (put(b, "{\"columns\":[") < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, columns[i], strlen(columns[i])) < 0)
				return -1;
		return put(b, "],\"rows\":[");
	case CY_FMT_CSV:
		if (!n)
			return 0;
		if (w->blocks && gr_buf_byte(b, '\n') < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || csv_cell(b, columns[i], strlen(columns[i]), !w->raw) < 0)
				return -1;
		return put(b, "\r\n");
	default:
		return 0;
	}
}

/* A table cell, its control characters escaped (the table is for a
 * terminal). */
static int add_cell(cy_writer *w, const char *s, size_t n)
{
	if (w->ncells == w->ccells) {
		size_t nc = w->ccells ? w->ccells * 2 : 64;
		size_t *ne = realloc(w->cell_end, nc * sizeof *ne);
		if (!ne)
			return -1;
		w->cell_end = ne;
		w->ccells = nc;
	}
	if (gr_text_escape(&w->cells, s, n) < 0)
		return -1;
	w->cell_end[w->ncells++] = w->cells.b_len;
	return 0;
}

int cy_writer_row(cy_writer *w, gr_txn *txn, const gr_value *vals, size_t n)
{
	gr_buf *b = &w->buf, t = { 0 };
	w->nrows++;
	switch (w->fmt) {
	case CY_FMT_JSON:
		if ((w->nrows > 1 && gr_buf_byte(b, ',') < 0) || gr_buf_byte(b, '[') < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || cy_value_json(txn, b, &vals[i]) < 0)
				return -1;
		if (gr_buf_byte(b, ']') < 0)
			return -1;
		break;
	case CY_FMT_JSONL:
		if (gr_buf_byte(b, '{') < 0)
			return -1;
		for (size_t i = 0; i < n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, w->cols[i], strlen(w->cols[i])) < 0 ||
			    gr_buf_byte(b, ':') < 0 || cy_value_json(txn, b, &vals[i]) < 0)
				return -1;
		if (put(b, "}\n") < 0)
			return -1;
		break;
	case CY_FMT_CSV:
		for (size_t i = 0; i < n; i++) {
			t.b_len = 0;
			if (i && gr_buf_byte(b, ',') < 0)
				goto fail;
			if (vals[i].type == GR_NULL)
				continue;
			/* only strings: numbers (-1), dates and the rest never change */
			if (cy_value_text(txn, &t, &vals[i]) < 0 ||
			    csv_cell(b, (char *)t.b_data, t.b_len, !w->raw && vals[i].type == GR_STRING) < 0)
				goto fail;
		}
		if (put(b, "\r\n") < 0)
			goto fail;
		break;
	case CY_FMT_TABLE:
		for (size_t i = 0; i < n; i++) {
			t.b_len = 0;
			if (cy_value_text(txn, &t, &vals[i]) < 0 || add_cell(w, t.b_data ? (char *)t.b_data : "", t.b_len) < 0)
				goto fail;
		}
		break;
	default:
		break;
	}
	gr_buf_free(&t);
	if (!w->hold && b->b_len > 65536)
		return drain(w);
	return 0;
fail:
	gr_buf_free(&t);
	return -1;
}

/* Display width in terminal columns (wide CJK characters take two). */
static size_t width_of(const char *s, size_t n)
{
	return gr_text_width(s, n);
}

static int pad(gr_buf *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (gr_buf_byte(b, ' ') < 0)
			return -1;
	return 0;
}

static int table_end(cy_writer *w)
{
	gr_buf *b = &w->buf;
	size_t n = w->ncols, *width;
	char foot[64];
	if (!n)
		return 0;
	if (!(width = calloc(n, sizeof *width)))
		return -1;
	for (size_t i = 0; i < n; i++)
		width[i] = width_of(w->cols[i], strlen(w->cols[i]));
	for (size_t k = 0; k < w->ncells; k++) {
		size_t start = k ? w->cell_end[k - 1] : 0;
		size_t wd = width_of((char *)w->cells.b_data + start, w->cell_end[k] - start);
		if (wd > width[k % n])
			width[k % n] = wd;
	}
	if (w->blocks && gr_buf_byte(b, '\n') < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if ((i && put(b, " | ") < 0) || put(b, w->cols[i]) < 0)
			goto fail;
		if (i + 1 < n && pad(b, width[i] - width_of(w->cols[i], strlen(w->cols[i]))) < 0)
			goto fail;
	}
	if (gr_buf_byte(b, '\n') < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (i && put(b, "-+-") < 0)
			goto fail;
		for (size_t k = 0; k < width[i]; k++)
			if (gr_buf_byte(b, '-') < 0)
				goto fail;
	}
	if (gr_buf_byte(b, '\n') < 0)
		goto fail;
	for (size_t k = 0; k < w->ncells; k++) {
		size_t start = k ? w->cell_end[k - 1] : 0, len = w->cell_end[k] - start;
		const char *s = (char *)w->cells.b_data + start;
		if (k % n && put(b, " | ") < 0)
			goto fail;
		if (gr_buf_put(b, s, len) < 0)
			goto fail;
		if (k % n + 1 < n && pad(b, width[k % n] - width_of(s, len)) < 0)
			goto fail;
		if (k % n + 1 == n && gr_buf_byte(b, '\n') < 0)
			goto fail;
	}
	snprintf(foot, sizeof foot, "(%llu row%s)\n", (unsigned long long)w->nrows, w->nrows == 1 ? "" : "s");
	if (put(b, foot) < 0)
		goto fail;
	free(width);
	return 0;
fail:
	free(width);
	return -1;
}

int cy_writer_end(cy_writer *w)
{
	gr_buf *b = &w->buf;
	int rc = 0;
	switch (w->fmt) {
	case CY_FMT_JSON:
		rc = put(b, "]}\n");
		w->blocks++;
		break;
	case CY_FMT_CSV:
		if (w->ncols)
			w->blocks++;
		break;
	case CY_FMT_TABLE:
		rc = table_end(w);
		if (w->ncols)
			w->blocks++;
		break;
	default:
		w->blocks++;
		break;
	}
	if (rc < 0)
		return -1;
	if (!w->hold)
		return drain(w);
	return 0;
}

void cy_writer_rewind(cy_writer *w)
{
	if (!w->pending)
		return;
	w->buf.b_len = w->block_start;
	w->blocks = w->blocks_at_start;
	w->cells.b_len = 0;
	w->ncells = 0;
	w->nrows = 0;
}

int cy_writer_flush(cy_writer *w)
{
	w->hold = 0;
	return drain(w);
}
