/*
 * import_ais.c: AIS position CSV files (contract, "AIS").
 *
 * Dialects, told from the header (columns are found by name, so their
 * order does not matter):
 *   1  MarineCadastre 2015-2023: MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,
 *      VesselName,IMO,CallSign,VesselType,...; times 2022-03-31T00:00:01
 *   2  MarineCadastre 2025: mmsi,base_date_time,longitude,latitude,...
 *   3  Danish Maritime Authority: # Timestamp,Type of mobile,MMSI,Latitude,
 *      Longitude,...,IMO,Callsign,Name,...; times 31/03/2022 00:00:01 and
 *      "Unknown" for a missing value
 *
 * Rows are read into a compact array, sorted by MMSI and time, and stored
 * one MMSI at a time (store/positions.c appends a sorted run).  A row whose
 * MMSI is not 9 digits, or whose position is "not available" (lat 91,
 * lon 181, or out of range), is counted and skipped, not an error; a row
 * whose time or coordinates cannot be read is a bad record.  Each MMSI is
 * linked to a Vessel (positions.h): the IMO-keyed vessel when the IMO
 * column holds a valid number (IMO0000000 and numbers under 1000000 are
 * placeholders), else the vessel that has the MMSI, else a new Vessel keyed
 * MMSI + 9 digits; the driver's reconcile step merges MMSI... vessels into
 * IMO vessels that carry their MMSI.  One Source per import, keyed by the
 * SHA-256 of the AIS inputs, so importing the same files again changes
 * nothing.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ingest.h"
#include "reader.h"
#include "../graph/positions.h"

enum { C_MMSI, C_TIME, C_LAT, C_LON, C_SOG, C_COG, C_HEADING, C_NAME, C_IMO, C_CALLSIGN, C_NCOLS };

#define NS_AIS_VESSEL 0xA15A15u   /* r_ids namespace: MMSI -> vessel node */
/* Rows held before they are stored: a day of MarineCadastre (8 million
 * rows, 24 bytes each) sorted at once, so that each vessel's blocks are
 * written once and appended in key order; a longer file is stored a day at
 * a time, merged into the blocks already written. */
#define AIS_CHUNK ((size_t)1 << 23)
#define SOG_NA 1023u                 /* AIS's own "not available" values */
#define COG_NA 4095u
#define HDG_NA 511u

typedef struct ais_row {
	uint32_t a_mmsi, a_time;
	int32_t a_lat, a_lon;        /* 1e-7 degrees */
	uint32_t a_motion;           /* SOG (0.1 knot) bits 0-9, COG (0.1 degree)
	                              * 10-21, heading 22-30, at AIS's widths */
	uint32_t a_v;                /* index of its MMSI in s_ves */
} ais_row;

typedef struct ais_vessel {
	uint32_t v_mmsi;
	char v_imo[8];               /* 7 digits or "" */
	size_t v_name, v_namelen;    /* into the arena */
	size_t v_cs, v_cslen;
} ais_vessel;

typedef struct ais_state {
	ais_row *s_rows;
	size_t s_nrows, s_caprows;
	ais_vessel *s_ves;
	size_t s_nves, s_capves;
	ig_map *s_vmap;              /* MMSI -> index in s_ves + 1 */
	gr_buf s_arena;
	int s_dialect;
	int s_col[C_NCOLS];
} ais_state;

/* ---------------------------------------------------------------- header */

/* Lowercase letters and digits of a header field ("# Timestamp" ->
 * "timestamp", "base_date_time" -> "basedatetime"). */
static size_t norm_name(const char *s, size_t len, char *out, size_t max)
{
	size_t o = 0;
	for (size_t i = 0; i < len && o + 1 < max; i++)
		if (isalnum((unsigned char)s[i]))
			out[o++] = (char)tolower((unsigned char)s[i]);
	out[o] = 0;
	return o;
}

static int col_of(const char *n)
{
	static const struct { const char *name; int col; } names[] = {
		{ "mmsi", C_MMSI }, { "basedatetime", C_TIME }, { "timestamp", C_TIME },
		{ "lat", C_LAT }, { "latitude", C_LAT }, { "lon", C_LON }, { "longitude", C_LON },
		{ "sog", C_SOG }, { "cog", C_COG }, { "heading", C_HEADING },
		{ "vesselname", C_NAME }, { "name", C_NAME }, { "imo", C_IMO },
		{ "callsign", C_CALLSIGN },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(n, names[i].name) == 0)
			return names[i].col;
	return -1;
}

/* Fills cols[] from header fields; returns the dialect or 0. */
static int header_cols(const char *const *f, const size_t *fl, size_t nf, int *cols)
{
	char n[64];
	int typeofmobile = 0, latitude = 0, basedt = 0, ts = 0;
	for (int i = 0; i < C_NCOLS; i++)
		cols[i] = -1;
	for (size_t i = 0; i < nf; i++) {
		int c;
		norm_name(f[i], fl[i], n, sizeof n);
		typeofmobile |= strcmp(n, "typeofmobile") == 0;
		latitude |= strcmp(n, "latitude") == 0;
		basedt |= strcmp(n, "basedatetime") == 0;
		ts |= strcmp(n, "timestamp") == 0;
		if ((c = col_of(n)) >= 0 && cols[c] < 0)
			cols[c] = (int)i;
	}
	if (cols[C_MMSI] < 0 || cols[C_TIME] < 0 || cols[C_LAT] < 0 || cols[C_LON] < 0)
		return 0;
	if (ts && typeofmobile)
		return 3;
	if (basedt)
		return latitude ? 2 : 1;
	return 0;
}

int ig_ais_dialect(const char *line, size_t len)
{
	const char *f[64];
	size_t fl[64], nf = 0;
	int cols[C_NCOLS];
	const char *p = line, *end = line + len;
	if (len && end[-1] == '\r')
		end--;
	while (p <= end && nf < 64) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		f[nf] = p;
		fl[nf++] = (size_t)(e - p);
		if (!comma)
			break;
		p = comma + 1;
	}
	return header_cols(f, fl, nf, cols);
}

/* ---------------------------------------------------------------- fields */

/* A plain decimal ("-123.45678") without strtod: AIS files hold millions;
 * anything else (exponents, blanks, junk) goes through strtod. */
static int fast_decimal(const char *s, size_t len, double *out)
{
	static const double scale[] = { 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9 };
	size_t i = 0, nd = 0, nf = 0;
	uint64_t v = 0;
	int neg = 0;
	if (i < len && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9' && nd < 9; i++, nd++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9' && nf < 9; i++, nf++)
			v = v * 10 + (uint64_t)(s[i] - '0');
	if (i != len || nd + nf == 0)
		return -1;
	*out = (neg ? -(double)v : (double)v) * scale[nf];
	return 0;
}

static int parse_num(const sg_csv_field *f, double *out)
{
	char buf[64], *end;
	size_t len = f->f_len;
	const char *s = f->f_ptr;
	if (len && fast_decimal(s, len, out) == 0)
		return 0;
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = 0;
	*out = strtod(buf, &end);
	return *end || !isfinite(*out) ? -1 : 0;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "2022-03-31T00:00:01" (or a space for T, fraction and zone Z ignored),
 * or the DMA's "31/03/2022 00:00:01", as seconds since 1970 (UTC). */
static int parse_time(const char *s, size_t len, int64_t *out)
{
	int y, mo, d, h, mi, se = 0;
	while (len && s[len - 1] == ' ')
		len--;
	if (len >= 19 && s[2] == '/' && s[5] == '/') {
		if (digits(s, 2, &d) || digits(s + 3, 2, &mo) || digits(s + 6, 4, &y) || s[10] != ' ')
			return -1;
		s += 11;
	} else if (len >= 16 && s[4] == '-' && s[7] == '-' && (s[10] == 'T' || s[10] == ' ')) {
		if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d))
			return -1;
		s += 11;
	} else {
		return -1;
	}
	if (digits(s, 2, &h) || s[2] != ':' || digits(s + 3, 2, &mi))
		return -1;
	if (s[5] == ':' && digits(s + 6, 2, &se))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	{
		int32_t days = gr_days_from_civil(y, (unsigned)mo, (unsigned)d);
		int64_t y2, dummy;
		unsigned m2, d2;
		gr_civil_from_days(days, &y2, &m2, &d2);
		if (m2 != (unsigned)mo || d2 != (unsigned)d)   /* 2022-02-30 */
			return -1;
		(void)dummy;
		*out = (int64_t)days * 86400 + h * 3600 + mi * 60 + se;
	}
	return 0;
}

/* The 7 digits of a real IMO number in the field, or 0: "IMO1234567",
 * "1234567"; IMO0000000, numbers under 1000000, junk and a bad check digit
 * are placeholders. */
static int parse_imo(const sg_csv_field *f, char out[8])
{
	const char *s = f->f_ptr;
	size_t len = f->f_len;
	int v;
	if (len >= 3 && strncasecmp(s, "IMO", 3) == 0)
		s += 3, len -= 3;
	while (len && *s == ' ')
		s++, len--;
	if (len != 7 || digits(s, 7, &v) || v < 1000000 || gr_imo_valid(s, 7, NULL, 0))
		return 0;
	memcpy(out, s, 7);
	out[7] = 0;
	return 1;
}

static int unknown(const sg_csv_field *f)
{
	return f->f_len == 0 || (f->f_len == 7 && strncasecmp(f->f_ptr, "Unknown", 7) == 0);
}

/* ---------------------------------------------------------------- rows */

static const sg_csv_field *fld(const sg_csv_record *rec, const ais_state *s, int c)
{
	static const sg_csv_field none = { "", 0, 0 };
	int i = s->s_col[c];
	return i >= 0 && (size_t)i < rec->r_nfields ? &rec->r_fields[i] : &none;
}

/* The MMSI's entry in s_ves (*vi its index), made on first sight, with
 * the name, call sign and IMO of the first row that has them. */
static int note_vessel(ais_state *s, uint32_t mmsi, const sg_csv_record *rec, uint32_t *vi)
{
	uint32_t idx;
	ais_vessel *v;
	const sg_csv_field *name = fld(rec, s, C_NAME), *cs = fld(rec, s, C_CALLSIGN);
	char imo[8];
	if (ig_map_get(s->s_vmap, 0, (const char *)&mmsi, 4, &idx)) {
		v = &s->s_ves[idx - 1];
	} else {
		if (s->s_nves == s->s_capves) {
			size_t nc = s->s_capves ? s->s_capves * 2 : 1024;
			ais_vessel *nv = realloc(s->s_ves, nc * sizeof *nv);
			if (!nv)
				return GR_ENOMEM;
			s->s_ves = nv;
			s->s_capves = nc;
		}
		v = &s->s_ves[s->s_nves++];
		memset(v, 0, sizeof *v);
		v->v_mmsi = mmsi;
		if (ig_map_put(s->s_vmap, 0, (const char *)&mmsi, 4, (uint32_t)s->s_nves))
			return GR_ENOMEM;
	}
	*vi = (uint32_t)(v - s->s_ves);
	if (!v->v_imo[0] && parse_imo(fld(rec, s, C_IMO), imo))
		memcpy(v->v_imo, imo, 8);
	if (!v->v_namelen && !unknown(name) && name->f_len < 200) {
		v->v_name = s->s_arena.b_len;
		v->v_namelen = name->f_len;
		if (gr_buf_put(&s->s_arena, name->f_ptr, name->f_len))
			return GR_ENOMEM;
	}
	if (!v->v_cslen && !unknown(cs) && cs->f_len < 40) {
		v->v_cs = s->s_arena.b_len;
		v->v_cslen = cs->f_len;
		if (gr_buf_put(&s->s_arena, cs->f_ptr, cs->f_len))
			return GR_ENOMEM;
	}
	return GR_OK;
}

static int read_row(ig_run *r, const ig_file *f, ais_state *s, const sg_csv_record *rec)
{
	const sg_csv_field *fm = fld(rec, s, C_MMSI), *ft = fld(rec, s, C_TIME);
	uint32_t mmsi, vi, sog, cog, hd;
	int64_t t;
	double lat, lon, v;
	ais_row *a;

	r->r_stats.s_pos_rows++;
	if (gr_mmsi_parse(fm->f_ptr, fm->f_len, &mmsi)) {
		r->r_stats.s_pos_badmmsi++;
		return GR_OK;
	}
	if (parse_time(ft->f_ptr, ft->f_len, &t) || t < 0 || t > 0xffffffffLL)
		return ig_bad(r, f, rec->r_line, "invalid time \"%.*s\"", (int)(ft->f_len > 40 ? 40 : ft->f_len), ft->f_ptr);
	if (parse_num(fld(rec, s, C_LAT), &lat) || parse_num(fld(rec, s, C_LON), &lon))
		return ig_bad(r, f, rec->r_line, "invalid latitude or longitude");
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {   /* 91 / 181: not available */
		r->r_stats.s_pos_unavail++;
		return GR_OK;
	}
	if (note_vessel(s, mmsi, rec, &vi))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (s->s_nrows == s->s_caprows) {
		size_t nc = s->s_caprows ? s->s_caprows * 2 : 1 << 16;
		ais_row *nr = realloc(s->s_rows, nc * sizeof *nr);
		if (!nr)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		s->s_rows = nr;
		s->s_caprows = nc;
	}
	a = &s->s_rows[s->s_nrows++];
	a->a_mmsi = mmsi;
	a->a_time = (uint32_t)t;
	a->a_lat = (int32_t)lround(lat * 1e7);
	a->a_lon = (int32_t)lround(lon * 1e7);
	a->a_v = vi;
	/* AIS: SOG 102.3 and COG 360 are "not available" */
	sog = parse_num(fld(rec, s, C_SOG), &v) == 0 && v >= 0 && v <= 102.2 ? (uint32_t)lround(v * 10) : SOG_NA;
	cog = parse_num(fld(rec, s, C_COG), &v) == 0 && v >= 0 && v <= 359.95 ? (uint32_t)lround(v * 10) : COG_NA;
	hd = parse_num(fld(rec, s, C_HEADING), &v) == 0 && v >= 0 && v < 360 ? (uint32_t)v : HDG_NA;
	a->a_motion = sog | (cog < 3600 ? cog : COG_NA) << 10 | hd << 22;
	return GR_OK;
}

static int cmp_row(const void *x, const void *y)
{
	const ais_row *a = x, *b = y;
	if (a->a_mmsi != b->a_mmsi)
		return a->a_mmsi < b->a_mmsi ? -1 : 1;
	if (a->a_time != b->a_time)
		return a->a_time < b->a_time ? -1 : 1;
	return 0;
}

/* ---------------------------------------------------------------- graph */

static const char *basename_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Gives back the pages of a mapped input that have been read: the rows
 * are copied out, and a day's file is 900 MB that would otherwise count
 * in the process's memory until the end. */
static void drop_read(const ig_file *f, uint64_t done, uint64_t *dropped)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), upto;
	if (!f->f_mapped || done < ((uint64_t)1 << 24))
		return;
	upto = (done - ((uint64_t)1 << 20)) / page * page;   /* keep the current record's page */
	if (upto > *dropped) {
		madvise((char *)f->f_data + *dropped, upto - *dropped, MADV_DONTNEED);
		*dropped = upto;
	}
}

/* The same for a part of the input hashed (gr_sha256_parts): the mapping
 * starts on a page and the parts are whole pages. */
static void drop_part(const void *p, size_t n, void *arg)
{
	(void)arg;
	madvise((void *)p, n, MADV_DONTNEED);
}

/* The import's Source: made once, from every AIS input. */
static int ais_source(ig_run *r, int dialect)
{
	gr_node n;
	unsigned char h[GR_DIGEST_LEN];
	char hex[2 * GR_DIGEST_LEN + 1], key[32];
	gr_buf title = { 0 }, all = { 0 };
	uint16_t lab, k;
	int rc = GR_OK;
	const char *publisher = r->r_opt->o_publisher ? r->r_opt->o_publisher :
	    dialect == 3 ? "Danish Maritime Authority" : "MarineCadastre";

	if (r->r_ais_source)
		return GR_OK;
	/* the digest of the digests of the inputs, in the order given */
	gr_buf_put(&title, "AIS positions: ", 15);
	for (size_t i = 0, first = 1; i < r->r_nfiles; i++) {
		const ig_file *f = &r->r_files[i];
		if (f->f_format != IG_AIS)
			continue;
		if (f->f_mapped)
			gr_sha256_parts(f->f_data, f->f_len, (size_t)1 << 26, drop_part, NULL, h);
		else
			gr_sha256(f->f_data ? f->f_data : "", f->f_len, h);
		if (gr_buf_put(&all, h, sizeof h) || (!first && gr_buf_put(&title, ", ", 2)) ||
		    gr_buf_put(&title, basename_of(f->f_name), strlen(basename_of(f->f_name)))) {
			rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
			goto done;
		}
		first = 0;
	}
	gr_sha256(all.b_data, all.b_len, h);
	gr_hex(h, sizeof h, hex);
	snprintf(key, sizeof key, "ais-%.16s", hex);
	gr_node_init(&n);
	if ((rc = ig_sym(r, "Source", 6, 1, &lab)) != GR_OK ||
	    !(n.n_labels = malloc(sizeof *n.n_labels)) || !(n.n_key = strdup(key))) {
		rc = rc ? gr_fail(r->r_err, rc, "cannot store a label") : gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		gr_node_clear(&n);
		goto done;
	}
	n.n_labels[0] = lab;
	n.n_nlabels = 1;
	n.n_keylen = strlen(key);
	{
		static const char *const names[] = { "title", "publisher", "kind", "sha256" };
		const char *vals[4] = { NULL, publisher, "ais", hex };
		for (int i = 0; i < 4 && rc == GR_OK; i++) {
			gr_value v = i == 0 ? gr_string((const char *)title.b_data, title.b_len) : gr_cstring(vals[i]);
			if ((rc = ig_sym(r, names[i], strlen(names[i]), 1, &k)) == GR_OK)
				rc = gr_props_set(&n.n_props, &n.n_nprops, k, v) ? GR_ENOMEM : GR_OK;
			else
				gr_value_free(&v);
		}
	}
	/* the same files again: the Source is there already, untouched */
	if (rc == GR_OK && gr_bulk_lookup(r->r_bulk, lab, key, strlen(key), &r->r_ais_source) == GR_OK)
		;
	else if (rc == GR_OK)
		rc = gr_bulk_node(r->r_bulk, &n, &r->r_ais_source, r->r_err);
	else
		gr_fail(r->r_err, rc, "cannot make the AIS source");
	gr_node_clear(&n);
done:
	gr_buf_free(&title);
	gr_buf_free(&all);
	return rc;
}

static int set_prop(ig_run *r, gr_node *n, const char *name, const char *val, size_t len)
{
	uint16_t k;
	int rc = ig_sym(r, name, strlen(name), 1, &k);
	if (rc)
		return rc;
	return gr_props_set(&n->n_props, &n->n_nprops, k, gr_string(val, len)) ? GR_ENOMEM : GR_OK;
}

static int has_prop(ig_run *r, uint32_t node, const char *name)
{
	uint16_t k;
	gr_value v;
	int has;
	if (ig_sym(r, name, strlen(name), 0, &k) != GR_OK || gr_node_prop(r->r_txn, node, k, &v) != GR_OK)
		return 0;
	has = v.type != GR_NULL;
	gr_value_free(&v);
	return has;
}

/* The node's list property `name` with `text` added (when missing), as a
 * new value in *out; 0, or GR_ENOMEM. */
static int list_plus(ig_run *r, uint32_t node, const char *name, const char *text, size_t len, gr_value *out)
{
	uint16_t k;
	gr_value cur = gr_null();
	*out = gr_list(0);
	if (ig_sym(r, name, strlen(name), 0, &k) == GR_OK && gr_node_prop(r->r_txn, node, k, &cur) == GR_OK) {
		if (cur.type == GR_LIST) {
			gr_value_free(out);
			*out = cur;
			cur = gr_null();
		} else if (cur.type == GR_STRING && gr_list_push(out, cur)) {
			return GR_ENOMEM;
		} else if (cur.type == GR_STRING) {
			cur = gr_null();
		}
	}
	gr_value_free(&cur);
	for (size_t i = 0; i < out->u.list.n; i++)
		if (out->u.list.items[i].type == GR_STRING && out->u.list.items[i].u.s.len == len &&
		    memcmp(out->u.list.items[i].u.s.ptr, text, len) == 0)
			return GR_OK;
	return gr_list_push(out, gr_string(text, len)) ? GR_ENOMEM : GR_OK;
}

/* An IMO vessel that carries another MMSI gets this one too: in
 * `past_mmsi` (its positions follow the vessel) and as the alias key
 * Vessel:MMSI... (so the MMSI finds the vessel). */
static int second_mmsi(ig_run *r, uint32_t vi, const char *mm, gr_node *n)
{
	uint16_t k;
	gr_value v, cur;
	char alias[24];
	int rc, same;
	if (ig_sym(r, "mmsi", 4, 0, &k) != GR_OK || gr_node_prop(r->r_txn, vi, k, &cur) != GR_OK)
		return GR_OK;
	same = cur.type != GR_STRING || (cur.u.s.len == 9 && memcmp(cur.u.s.ptr, mm, 9) == 0);
	gr_value_free(&cur);
	if (same)
		return GR_OK;
	if ((rc = list_plus(r, vi, "past_mmsi", mm, 9, &v)) != GR_OK ||
	    (rc = ig_sym(r, "past_mmsi", 9, 1, &k)) != GR_OK || (rc = gr_props_set(&n->n_props, &n->n_nprops, k, v) ? GR_ENOMEM : GR_OK))
		return rc;
	snprintf(alias, sizeof alias, "Vessel:MMSI%s", mm);
	if ((rc = list_plus(r, vi, "merged_keys", alias, strlen(alias), &v)) != GR_OK ||
	    (rc = ig_sym(r, "merged_keys", 11, 1, &k)) != GR_OK)
		return rc;
	return gr_props_set(&n->n_props, &n->n_nprops, k, v) ? GR_ENOMEM : GR_OK;
}

/* Whether node cites the import's Source already. */
static int cites_source(ig_run *r, uint32_t node)
{
	gr_node n;
	gr_error e;
	int found = 0;
	if (gr_node_load(r->r_txn, node, &n, &e) != GR_OK)
		return 0;
	for (size_t i = 0; i < n.n_ncites; i++)
		found |= n.n_cites[i].c_source == r->r_ais_source;
	gr_node_clear(&n);
	return found;
}

/* The vessel already linked to this MMSI (in this import or the store). */
static uint32_t mmsi_vessel_now(ig_run *r, uint32_t mmsi, uint16_t vessel)
{
	uint32_t id;
	char key[16];
	if (ig_map_get(r->r_ids, NS_AIS_VESSEL, (const char *)&mmsi, 4, &id))
		return id;
	if (gr_mmsi_vessel(r->r_txn, mmsi, &id) == GR_OK)
		return id;
	snprintf(key, sizeof key, "MMSI%09u", mmsi);
	return gr_bulk_lookup(r->r_bulk, vessel, key, 13, &id) == GR_OK ? id : 0;
}

/* Links one MMSI to its Vessel (creating or updating it). */
static int link_vessel(ig_run *r, const ig_file *f, ais_state *s, const ais_vessel *v)
{
	gr_node n;
	gr_value saved = gr_null();
	uint16_t vessel;
	uint32_t vm, vi = 0, id;
	char key[16], mm[10];
	int rc;
	const char *name = (const char *)s->s_arena.b_data + v->v_name;

	if ((rc = ig_sym(r, "Vessel", 6, 1, &vessel)) != GR_OK)
		return gr_fail(r->r_err, rc, "cannot store a label");
	snprintf(mm, sizeof mm, "%09u", v->v_mmsi);
	vm = mmsi_vessel_now(r, v->v_mmsi, vessel);
	if (v->v_imo[0]) {
		snprintf(key, sizeof key, "IMO%s", v->v_imo);
		if (gr_bulk_lookup(r->r_bulk, vessel, key, 10, &vi) != GR_OK)
			vi = 0;
	} else if (vm) {
		const char *k;
		size_t kl;
		if (gr_node_key_get(r->r_txn, vm, &k, &kl) != GR_OK || kl >= sizeof key)
			return gr_fail(r->r_err, GR_EIO, "vessel %u unreadable", vm);
		memcpy(key, k, kl);
		key[kl] = 0;
		vi = vm;
	} else {
		snprintf(key, sizeof key, "MMSI%s", mm);
	}
	if (v->v_imo[0] && vm && vm != vi && r->r_opt->o_report) {
		char ref[600], msg[900];
		gr_node_ref(r->r_txn, vm, ref, sizeof ref);
		if (strncmp(ref, "Vessel:MMSI", 11) != 0) {
			snprintf(msg, sizeof msg, "%s: MMSI %s is %s's, its IMO column says IMO%s: the IMO wins",
			    f->f_name, mm, ref, v->v_imo);
			r->r_opt->o_report(r->r_opt->o_arg, msg);
		}
	}
	gr_node_init(&n);
	if (!(n.n_labels = malloc(sizeof *n.n_labels)) || !(n.n_key = strdup(key))) {
		gr_node_clear(&n);
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	n.n_labels[0] = vessel;
	n.n_nlabels = 1;
	n.n_keylen = strlen(key);
	rc = GR_OK;
	if (!vi || !has_prop(r, vi, "mmsi"))
		rc = set_prop(r, &n, "mmsi", mm, 9);
	if (rc == GR_OK && !vi && v->v_imo[0])
		rc = set_prop(r, &n, "imo", v->v_imo, 7);
	if (rc == GR_OK && v->v_namelen && (!vi || !has_prop(r, vi, "name")))
		rc = set_prop(r, &n, "name", name, v->v_namelen);
	if (rc == GR_OK && v->v_cslen && (!vi || !has_prop(r, vi, "call_sign")))
		rc = set_prop(r, &n, "call_sign", (const char *)s->s_arena.b_data + v->v_cs, v->v_cslen);
	if (rc == GR_OK && vi && v->v_imo[0])
		rc = second_mmsi(r, vi, mm, &n);
	if (rc == GR_OK && gr_cites_add(&n.n_cites, &n.n_ncites, r->r_ais_source, GR_PROBABLE))
		rc = GR_ENOMEM;
	if (rc == GR_OK)
		rc = ig_aliases_save(r, &n, &saved);
	if (rc != GR_OK) {
		gr_node_clear(&n);
		return gr_fail(r->r_err, rc, "cannot describe vessel %s", key);
	}
	if (vi && n.n_nprops == 0 && cites_source(r, vi)) {
		/* nothing new to say about it: leave it as it is */
		gr_node_clear(&n);
		gr_value_free(&saved);
		return ig_map_put(r->r_ids, NS_AIS_VESSEL, (const char *)&v->v_mmsi, 4, vi) ?
		    gr_fail(r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
	}
	rc = gr_bulk_node(r->r_bulk, &n, &id, r->r_err);
	gr_node_clear(&n);
	if (ig_aliases_note(r, &saved, id, rc == GR_OK) != GR_OK && rc == GR_OK)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (rc != GR_OK)
		return ig_graph_error(r, f, 1, rc, r->r_err);
	if (ig_map_put(r->r_ids, NS_AIS_VESSEL, (const char *)&v->v_mmsi, 4, id))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

/* Groups the rows by vessel in place, in O(n): one pass counts each
 * vessel's rows, a second swaps every row straight into its vessel's range
 * (an American flag sort; a full qsort of a day's rows took a fifth of the
 * import's time and borrows a buffer as large as the rows).  start[v] ..
 * start[v + 1] is vessel v's range afterwards. */
static int group_rows(ais_state *s, size_t **startp)
{
	size_t nv = s->s_nves, *start = calloc(nv + 1, sizeof *start), *next = malloc((nv + 1) * sizeof *next);
	ais_row *rows = s->s_rows;
	if (!start || !next) {
		free(start);
		free(next);
		return GR_ENOMEM;
	}
	for (size_t i = 0; i < s->s_nrows; i++)
		start[rows[i].a_v + 1]++;
	for (size_t v = 0; v < nv; v++)
		start[v + 1] += start[v];
	memcpy(next, start, (nv + 1) * sizeof *next);
	for (size_t b = 0; b < nv; b++)
		while (next[b] < start[b + 1]) {
			uint32_t v = rows[next[b]].a_v;
			if (v == b) {
				next[b]++;
			} else {   /* row goes to its vessel's next free place */
				ais_row tmp = rows[next[v]];
				rows[next[v]++] = rows[next[b]];
				rows[next[b]] = tmp;
			}
		}
	free(next);
	*startp = start;
	return GR_OK;
}

static const ais_vessel *cmp_ves_base;

static int cmp_ves(const void *x, const void *y)
{
	uint32_t a = cmp_ves_base[*(const uint32_t *)x].v_mmsi, b = cmp_ves_base[*(const uint32_t *)y].v_mmsi;
	return a < b ? -1 : a > b;
}

/* Stores one vessel's rows, sorted by time. */
static int store_vessel(ig_run *r, ais_row *rows, size_t n, gr_pos **p, size_t *cap)
{
	uint64_t added = 0;
	int rc;
	if (n > *cap) {
		gr_pos *np = realloc(*p, n * sizeof *np);
		if (!np)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		*p = np;
		*cap = n;
	}
	qsort(rows, n, sizeof *rows, cmp_row);
	for (size_t k = 0; k < n; k++) {
		const ais_row *a = &rows[k];
		gr_pos *q = &(*p)[k];
		uint32_t sog = a->a_motion & 1023u, cog = a->a_motion >> 10 & 4095u;
		q->ps_time = a->a_time;
		q->ps_lat = a->a_lat / 1e7;
		q->ps_lon = a->a_lon / 1e7;
		q->ps_sog = sog == SOG_NA ? NAN : sog / 10.0;
		q->ps_cog = cog == COG_NA ? NAN : cog / 10.0;
		q->ps_heading = (int)(a->a_motion >> 22 & 511u);
		q->ps_source = r->r_ais_source;
	}
	rc = gr_pos_add(r->r_txn, rows[0].a_mmsi, *p, n, &added, r->r_err);
	r->r_stats.s_positions += added;
	return rc;
}

/* Stores the rows vessel by vessel in MMSI order, so that the blocks are
 * written once each and in key order (appended when the table is new). */
static int store_rows(ig_run *r, ais_state *s)
{
	size_t *start = NULL, cap = 0;
	uint32_t *order;
	gr_pos *p = NULL;
	int rc;
	if (!s->s_nrows)
		return GR_OK;
	if (!(order = malloc(s->s_nves * sizeof *order)) || group_rows(s, &start) != GR_OK) {
		free(order);
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	for (size_t v = 0; v < s->s_nves; v++)
		order[v] = (uint32_t)v;
	cmp_ves_base = s->s_ves;
	qsort(order, s->s_nves, sizeof *order, cmp_ves);
	rc = GR_OK;
	for (size_t i = 0; i < s->s_nves && rc == GR_OK; i++) {
		uint32_t v = order[i];
		if (start[v + 1] > start[v])
			rc = store_vessel(r, s->s_rows + start[v], start[v + 1] - start[v], &p, &cap);
	}
	free(p);
	free(start);
	free(order);
	return rc;
}

/* Sorts and stores the rows read so far and empties the array. */
static int flush_rows(ig_run *r, ais_state *s)
{
	uint64_t before = r->r_stats.s_positions;
	int rc = store_rows(r, s);
	r->r_stats.s_pos_dup += s->s_nrows - (r->r_stats.s_positions - before);
	s->s_nrows = 0;
	return rc;
}

static void state_free(ais_state *s)
{
	free(s->s_rows);
	free(s->s_ves);
	ig_map_free(s->s_vmap);
	gr_buf_free(&s->s_arena);
}

int ig_import_ais(ig_run *r, const ig_file *f)
{
	char why[512];
	sg_csv *c;
	sg_csv_record rec;
	ais_state s;
	uint64_t records = 0, done, total, dropped = 0;
	int rc;

	memset(&s, 0, sizeof s);
	if (!(s.s_vmap = ig_map_new()))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (!(c = sg_csv_open_mem(f->f_data ? f->f_data : "", f->f_len, f->f_name, ',', why, sizeof why))) {
		state_free(&s);
		return gr_fail(r->r_err, GR_EIO, "%s", why);
	}
	sg_csv_set_strict(c, 0);
	if ((rc = sg_csv_next(c, &rec)) <= 0) {
		rc = rc == 0 ? GR_OK : gr_fail(r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
		goto done;
	}
	{
		const char *fp[64];
		size_t fl[64], nf = rec.r_nfields < 64 ? rec.r_nfields : 64;
		for (size_t i = 0; i < nf; i++) {
			fp[i] = rec.r_fields[i].f_ptr;
			fl[i] = rec.r_fields[i].f_len;
		}
		if (!(s.s_dialect = header_cols(fp, fl, nf, s.s_col))) {
			rc = gr_fail(r->r_err, GR_EINVALID, "%s:1: not an AIS header (MarineCadastre MMSI,BaseDateTime,LAT,LON,... or the Danish Maritime Authority's # Timestamp,Type of mobile,MMSI,...)", f->f_name);
			goto done;
		}
	}
	if ((rc = ais_source(r, s.s_dialect)) != GR_OK)
		goto done;
	while ((rc = sg_csv_next(c, &rec)) == 1) {
		if ((rc = read_row(r, f, &s, &rec)) != GR_OK)
			goto done;
		if (s.s_nrows >= AIS_CHUNK && (rc = flush_rows(r, &s)) != GR_OK)
			goto done;
		records++;
		sg_csv_progress(c, &done, &total);
		ig_progress(r, f, done, records, 0);
		if ((records & 0xffff) == 0)
			drop_read(f, done, &dropped);
	}
	if (rc < 0) {
		rc = gr_fail(r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
		goto done;
	}
	for (size_t i = 0; i < s.s_nves && rc == GR_OK; i++)
		rc = link_vessel(r, f, &s, &s.s_ves[i]);
	if (rc == GR_OK)
		rc = flush_rows(r, &s);
	r->r_stats.s_nodes += s.s_nves;
	ig_progress(r, f, f->f_len, records, 1);
done:
	sg_csv_close(c);
	state_free(&s);
	return rc;
}

/* ---------------------------------------------------------------- JSONL */

static int json_num(const gr_value *o, const char *name, double *out, int *present)
{
	const gr_value *v = gr_map_get(o, name);
	*present = v && v->type != GR_NULL;
	if (!*present)
		return 0;
	if (v->type == GR_INT)
		*out = (double)v->u.i;
	else if (v->type == GR_FLOAT)
		*out = v->u.f;
	else
		return -1;
	return 0;
}

/* Positions of JSONL lines, gathered while they name one MMSI (an export
 * writes each MMSI's positions together, in time order). */
struct ig_pos_pending {
	uint32_t pp_mmsi;
	gr_pos *pp_p;
	size_t pp_n, pp_cap;
};

#define POS_PENDING_MAX ((size_t)1 << 16)

/* Stores the pending positions and empties the list. */
static int pending_store(ig_run *r, struct ig_pos_pending *pp)
{
	gr_error e;
	int rc = GR_OK;
	if (pp->pp_n && (rc = gr_pos_add(r->r_txn, pp->pp_mmsi, pp->pp_p, pp->pp_n, NULL, &e)) != GR_OK)
		rc = gr_fail(r->r_err, rc, "%s", e.msg);
	pp->pp_n = 0;
	return rc;
}

int ig_positions_flush(ig_run *r, int store)
{
	struct ig_pos_pending *pp = r->r_pospend;
	int rc = GR_OK;
	if (!pp)
		return GR_OK;
	if (store)
		rc = pending_store(r, pp);
	free(pp->pp_p);
	free(pp);
	r->r_pospend = NULL;
	return rc;
}

/* Adds p of mmsi to the pending positions, storing those of another MMSI. */
static int pending_add(ig_run *r, uint32_t mmsi, const gr_pos *p)
{
	struct ig_pos_pending *pp = r->r_pospend;
	int rc;
	if (!pp && !(pp = r->r_pospend = calloc(1, sizeof *pp)))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (pp->pp_n && (pp->pp_mmsi != mmsi || pp->pp_n >= POS_PENDING_MAX) && (rc = pending_store(r, pp)) != GR_OK)
		return rc;
	if (pp->pp_n == pp->pp_cap) {
		gr_pos *np = realloc(pp->pp_p, (pp->pp_cap = pp->pp_cap ? pp->pp_cap * 2 : 256) * sizeof *np);
		if (!np)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		pp->pp_p = np;
	}
	pp->pp_mmsi = mmsi;
	pp->pp_p[pp->pp_n++] = *p;
	return GR_OK;
}

int ig_position_record(ig_run *r, const gr_value *pos, char *why, size_t n)
{
	static const char *const allowed[] = { "mmsi", "time", "lat", "lon", "sog", "cog", "heading", "source", NULL };
	const gr_value *m, *t, *s;
	gr_datetime dt;
	gr_pos p;
	uint32_t mmsi;
	uint16_t lab;
	double h = 511;
	int has_lat, has_lon, has_sog, has_cog, has_h, rc;

	if (pos->type != GR_MAP)
		return snprintf(why, n, "\"position\" is an object"), -1;
	for (size_t i = 0; i < pos->u.map.n; i++) {
		size_t k = 0;
		while (allowed[k] && strcmp(allowed[k], pos->u.map.keys[i]) != 0)
			k++;
		if (!allowed[k])
			return snprintf(why, n, "unknown member \"%s\" in a position", pos->u.map.keys[i]), -1;
	}
	m = gr_map_get(pos, "mmsi");
	t = gr_map_get(pos, "time");
	s = gr_map_get(pos, "source");
	if (!m || m->type != GR_STRING || gr_mmsi_parse(m->u.s.ptr, m->u.s.len, &mmsi))
		return snprintf(why, n, "a position's \"mmsi\" is a string of 9 digits"), -1;
	if (!t || t->type != GR_STRING || gr_parse_datetime(t->u.s.ptr, t->u.s.len, &dt))
		return snprintf(why, n, "a position's \"time\" is an ISO-8601 datetime"), -1;
	memset(&p, 0, sizeof p);
	p.ps_time = dt.dt_secs - (dt.dt_offset == GR_TZ_NONE ? 0 : (int64_t)dt.dt_offset * 60);
	if (json_num(pos, "lat", &p.ps_lat, &has_lat) || json_num(pos, "lon", &p.ps_lon, &has_lon) || !has_lat || !has_lon ||
	    p.ps_lat < -90 || p.ps_lat > 90 || p.ps_lon < -180 || p.ps_lon > 180)
		return snprintf(why, n, "a position needs \"lat\" (-90..90) and \"lon\" (-180..180)"), -1;
	if (json_num(pos, "sog", &p.ps_sog, &has_sog) || json_num(pos, "cog", &p.ps_cog, &has_cog) ||
	    json_num(pos, "heading", &h, &has_h))
		return snprintf(why, n, "a position's sog, cog and heading are numbers or null"), -1;
	if (!has_sog)
		p.ps_sog = NAN;
	if (!has_cog)
		p.ps_cog = NAN;
	p.ps_heading = has_h ? (int)h : 511;
	if (p.ps_time < 0 || p.ps_time > 0xffffffffLL)
		return snprintf(why, n, "a position's time is out of range (1970..2106)"), -1;
	if (!s || s->type != GR_STRING)
		return snprintf(why, n, "a position names its \"source\" (a Source key)"), -1;
	if (ig_sym(r, "Source", 6, 1, &lab) != GR_OK ||
	    gr_bulk_lookup(r->r_bulk, lab, s->u.s.ptr, s->u.s.len, &p.ps_source) != GR_OK)
		return snprintf(why, n, "no Source %s (Source lines come before positions)", s->u.s.ptr), -1;
	if ((rc = pending_add(r, mmsi, &p)) != GR_OK)
		return rc;
	r->r_stats.s_positions++;
	return GR_OK;
}
