/*
 * import_csv.c: neo4j-admin import CSV (ingest.h): node files and
 * relationship files.  The header is compiled once into a plan (column
 * roles, property symbols in storage order, ID spaces); rows then go
 * straight from the reader's fields to the bulk loader, reusing one set of
 * buffers, so that millions of relationships load without a malloc each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "reader.h"

typedef struct csv_prop {
	size_t cp_col;           /* column index */
	uint16_t cp_sym;         /* property name symbol */
} csv_prop;

/* A header compiled for loading rows, and the row buffers. */
typedef struct csv_plan {
	sg_csv_col *p_cols;
	size_t p_ncols;
	int p_rels;              /* a relationship file */
	long p_id, p_label, p_start, p_end, p_type;   /* column indexes, -1: none */
	uint32_t p_id_ns, p_start_ns, p_end_ns;       /* ID space namespaces */
	uint16_t *p_prefix;      /* labels of --nodes Label=F */
	size_t p_nprefix;
	uint16_t p_type_sym;     /* type of --relationships TYPE=F, 0: none */
	/* the last :TYPE value and endpoints resolved (rows come grouped) */
	char p_last_type[32];
	size_t p_last_tlen;
	uint16_t p_last_tsym;
	struct last_id { char li_key[32]; size_t li_len; uint32_t li_id; } p_last[2];
	csv_prop *p_props;       /* sorted by symbol */
	size_t p_nprops;
	int p_aliases;           /* a merged_keys column (ig_aliases_save) */
	/* row buffers */
	uint16_t *p_labels;
	size_t p_labcap;
	gr_prop *p_vals;
	unsigned char *p_owned;  /* p_vals[i] owns heap data */
	char p_key[GR_MAX_KEY + 1];
	char p_why[512];
} csv_plan;

static void plan_free(csv_plan *p)
{
	sg_csv_cols_free(p->p_cols, p->p_ncols);
	free(p->p_prefix);
	free(p->p_props);
	free(p->p_labels);
	free(p->p_vals);
	free(p->p_owned);
}

static int cmp_prop(const void *a, const void *b)
{
	const csv_prop *x = a, *y = b;
	return (x->cp_sym > y->cp_sym) - (x->cp_sym < y->cp_sym);
}

/* A header problem: ends the import. */
static int header_fail(ig_run *r, const ig_file *f, uint64_t line, const char *what)
{
	return gr_fail(r->r_err, GR_EINVALID, "%s:%llu: %s", f->f_name, (unsigned long long)line, what);
}

/* Compiles the header into p. */
static int plan_make(ig_run *r, const ig_file *f, const sg_csv_record *hdr, csv_plan *p)
{
	char why[512];
	long ns;

	p->p_id = p->p_label = p->p_start = p->p_end = p->p_type = -1;
	if (sg_csv_header_parse(hdr, &p->p_cols, &p->p_ncols, why, sizeof why) < 0)
		return header_fail(r, f, hdr->r_line, why);
	if (!(p->p_props = calloc(p->p_ncols, sizeof *p->p_props)) ||
	    !(p->p_vals = calloc(p->p_ncols, sizeof *p->p_vals)) ||
	    !(p->p_owned = calloc(p->p_ncols, 1)))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < p->p_ncols; i++) {
		const sg_csv_col *c = &p->p_cols[i];
		switch (c->c_kind) {
		case SG_COL_ID: p->p_id = (long)i; break;
		case SG_COL_LABEL: p->p_label = (long)i; break;
		case SG_COL_START_ID: p->p_start = (long)i; break;
		case SG_COL_END_ID: p->p_end = (long)i; break;
		case SG_COL_TYPE: p->p_type = (long)i; break;
		case SG_COL_IGNORE: break;
		case SG_COL_PROPERTY:
			if (ig_sym(r, c->c_name, strlen(c->c_name), 1, &p->p_props[p->p_nprops].cp_sym) != GR_OK) {
				snprintf(why, sizeof why, "column %s: cannot add the property name (%s)", gr_esc(c->c_header),
				    ig_name_why(c->c_name, strlen(c->c_name)));
				return header_fail(r, f, hdr->r_line, why);
			}
			p->p_props[p->p_nprops++].cp_col = i;
			p->p_aliases |= strcmp(c->c_name, "merged_keys") == 0;
			break;
		}
	}
	qsort(p->p_props, p->p_nprops, sizeof *p->p_props, cmp_prop);
	p->p_rels = p->p_start >= 0 || p->p_end >= 0 || p->p_type >= 0;
	if (p->p_rels && f->f_role == IG_ROLE_NODES)
		return header_fail(r, f, hdr->r_line, "a node file (--nodes) has relationship columns (:START_ID, :END_ID, :TYPE)");
	if (!p->p_rels && f->f_role == IG_ROLE_RELS)
		p->p_rels = 1;
	if (p->p_rels) {
		if (p->p_start < 0 || p->p_end < 0)
			return header_fail(r, f, hdr->r_line, "a relationship file needs :START_ID and :END_ID columns");
		if (p->p_id >= 0 || p->p_label >= 0)
			return header_fail(r, f, hdr->r_line, "a relationship file cannot have :ID or :LABEL columns");
		if ((ns = ig_space(r, p->p_cols[p->p_start].c_space)) < 0 ||
		    (p->p_start_ns = (uint32_t)ns, ns = ig_space(r, p->p_cols[p->p_end].c_space)) < 0)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		p->p_end_ns = (uint32_t)ns;
		if (f->f_prefix && ig_sym(r, f->f_prefix, strlen(f->f_prefix), 1, &p->p_type_sym) != GR_OK)
			return header_fail(r, f, hdr->r_line, "bad relationship type before '='");
		if (!p->p_type_sym && p->p_type < 0)
			return header_fail(r, f, hdr->r_line, "no relationship type: give a :TYPE column or --relationships TYPE=FILE");
		return GR_OK;
	}
	if (p->p_id >= 0) {
		if ((ns = ig_space(r, p->p_cols[p->p_id].c_space)) < 0)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		p->p_id_ns = (uint32_t)ns;
	}
	if (f->f_prefix) {
		const char *pos = f->f_prefix, *end = pos + strlen(pos), *lab;
		size_t len;
		if (!(p->p_prefix = calloc(strlen(pos) + 1, sizeof *p->p_prefix)))
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		while (sg_csv_split_next(&pos, end, ':', &lab, &len)) {
			uint16_t sym;
			if (ig_sym(r, lab, len, 1, &sym) != GR_OK)
				return header_fail(r, f, hdr->r_line, "bad label before '='");
			p->p_prefix[p->p_nprefix++] = sym;
		}
	}
	return GR_OK;
}

/* Frees the values the last row owned. */
static void row_clear(csv_plan *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p->p_owned[i]) {
			gr_value_free(&p->p_vals[i].p_val);
			p->p_owned[i] = 0;
		}
}

/* Converts the property fields of rec into p->p_vals; *np receives the
 * count.  With borrow, plain strings point into the reader's buffer.
 * Returns 0, or -1 with p->p_why set (nothing left owned). */
static int row_props(csv_plan *p, const sg_csv_record *rec, int borrow, size_t *np)
{
	static const sg_csv_field empty = { "", 0, 0 };
	size_t n = 0;

	for (size_t i = 0; i < p->p_nprops; i++) {
		const sg_csv_col *c = &p->p_cols[p->p_props[i].cp_col];
		const sg_csv_field *fl = p->p_props[i].cp_col < rec->r_nfields ? &rec->r_fields[p->p_props[i].cp_col] : &empty;
		gr_value *v = &p->p_vals[n].p_val;

		if (c->c_type == SG_CT_STRING && !c->c_array) {
			if (fl->f_len == 0 && !fl->f_quoted)
				continue;
			if (borrow) {
				v->type = GR_STRING;
				v->u.s.ptr = (char *)fl->f_ptr;
				v->u.s.len = fl->f_len;
			} else {
				*v = gr_string(fl->f_ptr, fl->f_len);
				if (v->type != GR_STRING) {
					snprintf(p->p_why, sizeof p->p_why, "out of memory");
					goto fail;
				}
				p->p_owned[n] = 1;
			}
		} else {
			if (sg_csv_field_value(c, fl, v, p->p_why, sizeof p->p_why) < 0)
				goto fail;
			if (v->type == GR_NULL)
				continue;
			p->p_owned[n] = 1;
		}
		p->p_vals[n++].p_key = p->p_props[i].cp_sym;
	}
	*np = n;
	return 0;
fail:
	row_clear(p, n);
	return -1;
}

/* Appends label sym to the row's labels (once). */
static int row_label(csv_plan *p, size_t *n, uint16_t sym)
{
	for (size_t i = 0; i < *n; i++)
		if (p->p_labels[i] == sym)
			return 0;
	if (*n == p->p_labcap) {
		size_t cap = p->p_labcap ? p->p_labcap * 2 : 8;
		uint16_t *nl = realloc(p->p_labels, cap * sizeof *nl);
		if (!nl)
			return -1;
		p->p_labels = nl;
		p->p_labcap = cap;
	}
	p->p_labels[(*n)++] = sym;
	return 0;
}

static int node_row(ig_run *r, const ig_file *f, csv_plan *p, const sg_csv_record *rec)
{
	uint64_t line = rec->r_line;
	size_t nlabels = 0, np = 0;
	gr_node n;
	gr_error e;
	gr_value aliases = { .type = GR_NULL };
	uint32_t id = 0;
	int rc;

	if (rec->r_nfields > p->p_ncols)
		return ig_bad(r, f, line, "%zu fields where the header has %zu", rec->r_nfields, p->p_ncols);
	for (size_t i = 0; i < p->p_nprefix; i++)
		if (row_label(p, &nlabels, p->p_prefix[i]) < 0)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (p->p_label >= 0 && (size_t)p->p_label < rec->r_nfields) {
		const sg_csv_field *fl = &rec->r_fields[p->p_label];
		const char *pos = fl->f_ptr, *lab;
		size_t len;
		while (sg_csv_split_next(&pos, fl->f_ptr + fl->f_len, ';', &lab, &len)) {
			uint16_t sym;
			if (ig_sym(r, lab, len, 1, &sym) != GR_OK)
				return ig_bad(r, f, line, "label \"%s\": cannot add the name (%s)", gr_escn(lab, len),
				    ig_name_why(lab, len));
			if (row_label(p, &nlabels, sym) < 0)
				return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		}
	}
	gr_node_init(&n);
	n.n_labels = p->p_labels;
	n.n_nlabels = nlabels;
	if (p->p_id >= 0) {
		const sg_csv_field *fl = (size_t)p->p_id < rec->r_nfields ? &rec->r_fields[p->p_id] : NULL;
		if (!fl || fl->f_len == 0)
			return ig_bad(r, f, line, "empty :ID");
		if (fl->f_len > GR_MAX_KEY)
			return ig_bad(r, f, line, "ID of %zu bytes is longer than %d", fl->f_len, GR_MAX_KEY);
		if (memchr(fl->f_ptr, 0, fl->f_len))
			return ig_bad(r, f, line, "an ID cannot contain a NUL character");
		memcpy(p->p_key, fl->f_ptr, fl->f_len);
		p->p_key[fl->f_len] = 0;
		n.n_key = p->p_key;
		n.n_keylen = fl->f_len;
	}
	if (row_props(p, rec, 0, &np) < 0)
		return ig_bad(r, f, line, "%s", p->p_why);
	n.n_props = p->p_vals;
	n.n_nprops = np;
	if (p->p_aliases && ig_aliases_save(r, &n, &aliases) != GR_OK) {
		row_clear(p, np);
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	rc = gr_bulk_node(r->r_bulk, &n, &id, &e);
	row_clear(p, np);
	if (n.n_key != p->p_key)
		free(n.n_key);     /* generated by the bulk loader */
	if (p->p_aliases && ig_aliases_note(r, &aliases, id, rc == GR_OK) != GR_OK)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (rc != GR_OK)
		return ig_graph_error(r, f, line, rc, &e);
	if (p->p_id >= 0 && ig_map_put(r->r_ids, p->p_id_ns, p->p_key, strlen(p->p_key), id) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	r->r_stats.s_nodes++;
	return GR_OK;
}

/* Resolves a :START_ID (which 0) or :END_ID (1) value: the previous row's,
 * this import's ID space, then the database (the space's name as the
 * label; a global ID as a bare key).  Returns 1 and *id, or 0 when there
 * is no such node. */
static int resolve_id(ig_run *r, csv_plan *p, int which, uint32_t ns, const char *space, const char *s, size_t len,
    uint32_t *id)
{
	struct last_id *last = &p->p_last[which];
	uint16_t sym;
	if (last->li_id && last->li_len == len && memcmp(last->li_key, s, len) == 0) {
		*id = last->li_id;
		return 1;
	}
	if (ig_map_get(r->r_ids, ns, s, len, id))
		goto found;
	if (len > GR_MAX_KEY || memchr(s, 0, len))
		return 0;
	if (space) {
		if (ig_sym(r, space, strlen(space), 0, &sym) != GR_OK || gr_bulk_lookup(r->r_bulk, sym, s, len, id) != GR_OK)
			return 0;
	} else {
		uint32_t mine;
		memcpy(p->p_key, s, len);
		p->p_key[len] = 0;
		if (ig_map_get(r->r_bare, 0, s, len, &mine) && mine != IG_AMBIGUOUS)
			*id = mine;
		else if (gr_resolve(r->r_txn, p->p_key, id, NULL) != GR_OK)
			return 0;
	}
	ig_map_put(r->r_ids, ns, s, len, *id);   /* a cache: failure is harmless */
found:
	if (len <= sizeof last->li_key) {
		memcpy(last->li_key, s, len);
		last->li_len = len;
		last->li_id = *id;
	}
	return 1;
}

static int rel_row(ig_run *r, const ig_file *f, csv_plan *p, const sg_csv_record *rec)
{
	static const sg_csv_field empty = { "", 0, 0 };
	uint64_t line = rec->r_line;
	const sg_csv_field *sf, *ef;
	size_t np = 0;
	gr_edge e;
	gr_claim_result cr;
	gr_error ge;
	int rc;

	if (rec->r_nfields > p->p_ncols)
		return ig_bad(r, f, line, "%zu fields where the header has %zu", rec->r_nfields, p->p_ncols);
	gr_edge_init(&e);
	e.e_type = p->p_type_sym;
	if (p->p_type >= 0 && (size_t)p->p_type < rec->r_nfields && rec->r_fields[p->p_type].f_len) {
		const sg_csv_field *tf = &rec->r_fields[p->p_type];
		if (p->p_last_tsym && tf->f_len == p->p_last_tlen && memcmp(tf->f_ptr, p->p_last_type, tf->f_len) == 0) {
			e.e_type = p->p_last_tsym;
		} else {
			if (ig_sym(r, tf->f_ptr, tf->f_len, 1, &e.e_type) != GR_OK)
				return ig_bad(r, f, line, "type \"%s\": cannot add the name (%s)", gr_escn(tf->f_ptr, tf->f_len),
				    ig_name_why(tf->f_ptr, tf->f_len));
			if (tf->f_len <= sizeof p->p_last_type) {
				memcpy(p->p_last_type, tf->f_ptr, tf->f_len);
				p->p_last_tlen = tf->f_len;
				p->p_last_tsym = e.e_type;
			}
		}
	}
	if (!e.e_type)
		return ig_bad(r, f, line, "empty :TYPE");
	sf = (size_t)p->p_start < rec->r_nfields ? &rec->r_fields[p->p_start] : &empty;
	ef = (size_t)p->p_end < rec->r_nfields ? &rec->r_fields[p->p_end] : &empty;
	if (!resolve_id(r, p, 0, p->p_start_ns, p->p_cols[p->p_start].c_space, sf->f_ptr, sf->f_len, &e.e_src))
		return ig_bad(r, f, line, "no node with :START_ID \"%.*s\"%s%s", (int)sf->f_len, sf->f_ptr,
		    p->p_cols[p->p_start].c_space ? " in ID space " : "",
		    p->p_cols[p->p_start].c_space ? p->p_cols[p->p_start].c_space : "");
	if (!resolve_id(r, p, 1, p->p_end_ns, p->p_cols[p->p_end].c_space, ef->f_ptr, ef->f_len, &e.e_dst))
		return ig_bad(r, f, line, "no node with :END_ID \"%.*s\"%s%s", (int)ef->f_len, ef->f_ptr,
		    p->p_cols[p->p_end].c_space ? " in ID space " : "",
		    p->p_cols[p->p_end].c_space ? p->p_cols[p->p_end].c_space : "");
	if (row_props(p, rec, 1, &np) < 0)
		return ig_bad(r, f, line, "%s", p->p_why);
	e.e_props = p->p_vals;
	e.e_nprops = np;
	rc = gr_bulk_claim(r->r_bulk, &e, 0, 0, &cr, &ge);
	row_clear(p, np);
	if (rc != GR_OK)
		return ig_graph_error(r, f, line, rc, &ge);
	ig_claim_note(r, f, line, &cr);
	r->r_stats.s_edges++;
	return GR_OK;
}

int ig_import_csv(ig_run *r, const ig_file *f)
{
	char why[512];
	sg_csv *c;
	sg_csv_record rec;
	csv_plan p;
	uint64_t records = 0, done, total;
	int rc;

	memset(&p, 0, sizeof p);
	if (!(c = sg_csv_open_mem(f->f_data ? f->f_data : "", f->f_len, f->f_name, ',', why, sizeof why)))
		return gr_fail(r->r_err, GR_EIO, "%s", why);
	rc = sg_csv_next(c, &rec);
	if (rc == 0)
		goto done;           /* an empty file */
	if (rc < 0) {
		rc = gr_fail(r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
		goto done;
	}
	if ((rc = plan_make(r, f, &rec, &p)) != GR_OK)
		goto done;
	while ((rc = sg_csv_next(c, &rec)) == 1) {
		if ((rc = p.p_rels ? rel_row(r, f, &p, &rec) : node_row(r, f, &p, &rec)) != GR_OK)
			goto done;
		records++;
		sg_csv_progress(c, &done, &total);
		ig_progress(r, f, done, records, 0);
	}
	if (rc < 0) {
		rc = gr_fail(r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
		goto done;
	}
	ig_progress(r, f, f->f_len, records, 1);
	rc = GR_OK;
done:
	plan_free(&p);
	sg_csv_close(c);
	return rc;
}
