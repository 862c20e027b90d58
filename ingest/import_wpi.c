/*
 * import_wpi.c: the World Port Index (NGA Publication 150) as Port nodes.
 *
 * Two headers are read, by column name: the snake_case one of the WPI
 * data set (index_number, port_name, country, port_latitude,
 * port_longitude, harbor_size, ...) and the one of NGA's own download
 * UpdatedPub150.csv ("World Port Index Number", "Main Port Name", "Country
 * Code", "Latitude", "Longitude", "Harbor Size", "UN/LOCODE").  Each row is
 * a Port keyed "WPI" + the index number, with name, country (ISO 3166
 * alpha-2: a code as given, a name through ig_country_code), lat, lon,
 * wpi (the index number, an integer), harbor_size (V, S, M or L, as WPI
 * writes it) and locode when the file has one.  A Port that already
 * carries that `wpi` number under another key (a UN/LOCODE key such as
 * RUVYP) is updated instead of a second node being made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest.h"
#include "reader.h"

enum { C_INDEX, C_NAME, C_COUNTRY, C_LAT, C_LON, C_SIZE, C_LOCODE, C_N };

/* Column names of each field, in either header. */
static const char *const col_names[C_N][3] = {
	[C_INDEX] = { "index_number", "World Port Index Number", NULL },
	[C_NAME] = { "port_name", "Main Port Name", NULL },
	[C_COUNTRY] = { "country", "Country Code", NULL },
	[C_LAT] = { "port_latitude", "Latitude", NULL },
	[C_LON] = { "port_longitude", "Longitude", NULL },
	[C_SIZE] = { "harbor_size", "Harbor Size", NULL },
	[C_LOCODE] = { "un_locode", "UN/LOCODE", NULL },
};

typedef struct wpi {
	ig_run *w_r;
	const ig_file *w_f;
	long w_col[C_N];         /* column of each field, -1 when absent */
	ig_map *w_known;         /* wpi number (8 bytes) -> existing Port id */
	uint16_t w_port, w_wpi;
} wpi;

static void field(const sg_csv_record *rec, long col, const char **s, size_t *len)
{
	*s = "";
	*len = 0;
	if (col < 0 || (size_t)col >= rec->r_nfields)
		return;
	*s = rec->r_fields[col].f_ptr;
	*len = rec->r_fields[col].f_len;
	while (*len && (**s == ' '))
		(*s)++, (*len)--;
	while (*len && (*s)[*len - 1] == ' ')
		(*len)--;
}

static int header(wpi *w, const sg_csv_record *rec)
{
	for (int c = 0; c < C_N; c++) {
		w->w_col[c] = -1;
		for (size_t i = 0; i < rec->r_nfields && w->w_col[c] < 0; i++)
			for (int k = 0; col_names[c][k]; k++)
				if (rec->r_fields[i].f_len == strlen(col_names[c][k]) &&
				    strncasecmp(rec->r_fields[i].f_ptr, col_names[c][k], rec->r_fields[i].f_len) == 0)
					w->w_col[c] = (long)i;
	}
	if (w->w_col[C_INDEX] < 0 || w->w_col[C_NAME] < 0)
		return gr_fail(w->w_r->r_err, GR_EINVALID, "%s:%llu: not a World Port Index header (no index_number "
		    "or port_name column)", w->w_f->f_name, (unsigned long long)rec->r_line);
	return GR_OK;
}

/* The Ports that already carry a `wpi` number. */
static int known_ports(wpi *w)
{
	gr_txn *t = w->w_r->r_txn;
	gr_nodes ns;
	uint32_t id;
	if (gr_sym(t, "Port", 4, 0, &w->w_port) != GR_OK || gr_sym(t, "wpi", 3, 0, &w->w_wpi) != GR_OK)
		return GR_OK;
	gr_nodes_open(t, w->w_port, &ns, NULL);
	while (gr_nodes_next(&ns) == 1) {
		id = ns.ns_id;
		gr_value v = gr_null();
		int64_t num = -1;
		if (gr_node_prop(t, id, w->w_wpi, &v) == GR_OK) {
			if (v.type == GR_INT)
				num = v.u.i;
			else if (v.type == GR_STRING && v.u.s.len && v.u.s.len < 12) {
				char buf[16], *end;
				memcpy(buf, v.u.s.ptr, v.u.s.len);
				buf[v.u.s.len] = 0;
				num = strtoll(buf, &end, 10);
				if (*end)
					num = -1;
			}
		}
		gr_value_free(&v);
		if (num >= 0 && ig_map_put(w->w_known, 0, (const char *)&num, 8, id) < 0)
			return gr_fail(w->w_r->r_err, GR_ENOMEM, "out of memory");
		if (id == 0xffffffffu)
			break;
	}
	return GR_OK;
}

static int set_prop(wpi *w, gr_node *n, const char *name, gr_value v)
{
	uint16_t k;
	int rc = ig_sym(w->w_r, name, strlen(name), 1, &k);
	if (rc != GR_OK) {
		gr_value_free(&v);
		return gr_fail(w->w_r->r_err, rc, "cannot store the name %s", name);
	}
	return gr_props_set(&n->n_props, &n->n_nprops, k, v) ? gr_fail(w->w_r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
}

/* A decimal coordinate; 0 and *out, or -1. */
static int coord(const char *s, size_t len, double *out)
{
	char buf[40], *end;
	if (!len || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	*out = strtod(buf, &end);
	return *end ? -1 : 0;
}

/* The node's label and key: Port:WPIn, or the Port that has that number. */
static int node_identity(wpi *w, gr_node *n, int64_t num)
{
	uint32_t id;
	char key[32];
	const char *k = key;
	size_t klen;
	if (!(n->n_labels = malloc(sizeof *n->n_labels)))
		return gr_fail(w->w_r->r_err, GR_ENOMEM, "out of memory");
	n->n_nlabels = 1;
	if (!w->w_port && ig_sym(w->w_r, "Port", 4, 1, &w->w_port) != GR_OK)
		return gr_fail(w->w_r->r_err, GR_EIO, "cannot store the label Port");
	n->n_labels[0] = w->w_port;
	klen = (size_t)snprintf(key, sizeof key, "WPI%lld", (long long)num);
	if (ig_map_get(w->w_known, 0, (const char *)&num, 8, &id) && gr_node_key_get(w->w_r->r_txn, id, &k, &klen) != GR_OK) {
		k = key;
		klen = strlen(key);
	}
	if (!(n->n_key = strndup(k, klen)))
		return gr_fail(w->w_r->r_err, GR_ENOMEM, "out of memory");
	n->n_keylen = klen;
	return GR_OK;
}

static int row(wpi *w, const sg_csv_record *rec)
{
	ig_run *r = w->w_r;
	const char *s;
	size_t len;
	int64_t num = 0;
	double lat, lon;
	gr_node n;
	uint32_t id;
	int rc;

	field(rec, w->w_col[C_INDEX], &s, &len);
	if (!len || len > 9)
		return ig_bad(r, w->w_f, rec->r_line, "index_number \"%.*s\" is not a number", (int)len, s);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return ig_bad(r, w->w_f, rec->r_line, "index_number \"%.*s\" is not a number", (int)len, s);
		num = num * 10 + (s[i] - '0');
	}
	gr_node_init(&n);
	if ((rc = node_identity(w, &n, num)) != GR_OK)
		goto done;
	rc = set_prop(w, &n, "wpi", gr_int(num));
	field(rec, w->w_col[C_NAME], &s, &len);
	if (rc == GR_OK && len)
		rc = set_prop(w, &n, "name", gr_string(s, len));
	field(rec, w->w_col[C_COUNTRY], &s, &len);
	if (rc == GR_OK && len) {
		const char *code = ig_country_code(s, len);
		if (!code && len == 2 && gr_flag_valid(s, 2, NULL, 0) == 0)
			code = s;   /* a user-assigned code WPI uses as given */
		if (code)
			rc = set_prop(w, &n, "country", gr_string(code, 2));
		else if ((rc = set_prop(w, &n, "country_raw", gr_string(s, len))) == GR_OK)
			rc = ig_note(r, 'n', "%s:%llu: country \"%.*s\" has no ISO 3166 code: kept as country_raw",
			    w->w_f->f_name, (unsigned long long)rec->r_line, (int)len, s);
	}
	field(rec, w->w_col[C_LAT], &s, &len);
	if (rc == GR_OK && len) {
		if (coord(s, len, &lat) < 0) {
			rc = ig_bad(r, w->w_f, rec->r_line, "latitude \"%.*s\" is not a number", (int)len, s);
			goto done;
		}
		rc = set_prop(w, &n, "lat", gr_float(lat));
	}
	field(rec, w->w_col[C_LON], &s, &len);
	if (rc == GR_OK && len) {
		if (coord(s, len, &lon) < 0) {
			rc = ig_bad(r, w->w_f, rec->r_line, "longitude \"%.*s\" is not a number", (int)len, s);
			goto done;
		}
		rc = set_prop(w, &n, "lon", gr_float(lon));
	}
	field(rec, w->w_col[C_SIZE], &s, &len);
	if (rc == GR_OK && len)
		rc = set_prop(w, &n, "harbor_size", gr_string(s, len));
	field(rec, w->w_col[C_LOCODE], &s, &len);
	if (rc == GR_OK && len) {
		/* "RU VYP" or "RUVYP" */
		char lc[8];
		size_t l = 0;
		for (size_t i = 0; i < len && l < 6; i++)
			if (s[i] != ' ')
				lc[l++] = s[i];
		if (l == 5 && gr_locode_valid(lc, 5, NULL, 0) == 0)
			rc = set_prop(w, &n, "locode", gr_string(lc, 5));
	}
	if (rc == GR_OK) {
		if ((rc = gr_bulk_node(r->r_bulk, &n, &id, r->r_err)) != GR_OK)
			rc = ig_graph_error(r, w->w_f, rec->r_line, rc, r->r_err);
		else
			r->r_stats.s_nodes++;
	}
done:
	gr_node_clear(&n);
	return rc;
}

int ig_import_wpi(ig_run *r, const ig_file *f)
{
	char why[256];
	wpi w;
	sg_csv *c;
	sg_csv_record rec;
	int got, rc = GR_OK, first = 1;
	uint64_t records = 0;

	memset(&w, 0, sizeof w);
	w.w_r = r;
	w.w_f = f;
	if (!(w.w_known = ig_map_new()))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if ((rc = known_ports(&w)) != GR_OK)
		goto done;
	if (!(c = sg_csv_open_mem(f->f_data, f->f_len, f->f_name, ',', why, sizeof why))) {
		rc = gr_fail(r->r_err, GR_ENOMEM, "%s", why);
		goto done;
	}
	sg_csv_set_strict(c, 0);
	while (rc == GR_OK && (got = sg_csv_next(c, &rec)) == 1) {
		uint64_t done, total;
		if (first) {
			rc = header(&w, &rec);
			first = 0;
			continue;
		}
		rc = row(&w, &rec);
		sg_csv_progress(c, &done, &total);
		ig_progress(r, f, done, ++records, 0);
	}
	if (rc == GR_OK && got < 0)
		rc = gr_fail(r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
	ig_progress(r, f, f->f_len, records, 1);
	sg_csv_close(c);
done:
	ig_map_free(w.w_known);
	return rc;
}
