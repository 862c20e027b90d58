/*
 * report_track.c: the "Tracks" section of `report`: for each vessel of the
 * selection that has AIS positions, an inline SVG sketch of its track
 * (an equirectangular projection around the track, lines broken where
 * positions are 12 h or more apart, at most 2,000 points per vessel) with
 * the known ports inside the frame marked and named.  No map tiles: the
 * report stays one self-contained file.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subgraph.h"
#include "../graph/ais_detect.h"

#define W 640.0
#define H 400.0
#define MAXPTS 2000
#define MAXPORTS 200

int ex_report_tracks(gr_buf *b, gr_txn *t, const ex_subgraph *sg);

static int putf(gr_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int putf(gr_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	return n < 0 ? -1 : gr_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static int put_escaped(gr_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		const char *e = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;" : s[i] == '"' ? "&quot;" : NULL;
		if (e ? ex_puts(b, e) : gr_buf_byte(b, (unsigned char)s[i]))
			return -1;
	}
	return 0;
}

typedef struct frame {
	double lat0, lat1, lon0, lon1, kx;   /* kx: cos(mid latitude) */
	double scale, ox, oy;
} frame;

static void project(const frame *f, double lat, double lon, double *x, double *y)
{
	*x = f->ox + (lon - f->lon0) * f->kx * f->scale;
	*y = f->oy + (f->lat1 - lat) * f->scale;
}

static void fit(frame *f)
{
	double mid = (f->lat0 + f->lat1) / 2, dw, dh;
	double pad = fmax(0.02, fmax(f->lat1 - f->lat0, f->lon1 - f->lon0) * 0.08);
	f->lat0 -= pad, f->lat1 += pad, f->lon0 -= pad, f->lon1 += pad;
	f->kx = fmax(0.05, cos(mid * M_PI / 180));
	dw = (f->lon1 - f->lon0) * f->kx;
	dh = f->lat1 - f->lat0;
	f->scale = fmin((W - 20) / dw, (H - 20) / dh);
	f->ox = (W - dw * f->scale) / 2;
	f->oy = (H - dh * f->scale) / 2;
}

/* One vessel's sketch from its positions (all MMSIs, concatenated). */
static int sketch(gr_buf *b, gr_txn *t, const char *ref, gr_pos *p, size_t n, const gr_port_index *pi)
{
	frame f = { 90, -90, 180, -180, 1, 1, 0, 0 };
	size_t step = n > MAXPTS ? (n + MAXPTS - 1) / MAXPTS : 1, np;
	uint32_t ids[MAXPORTS];
	double ll[MAXPORTS][2];
	int open_line = 0;
	for (size_t i = 0; i < n; i++) {
		f.lat0 = fmin(f.lat0, p[i].ps_lat), f.lat1 = fmax(f.lat1, p[i].ps_lat);
		f.lon0 = fmin(f.lon0, p[i].ps_lon), f.lon1 = fmax(f.lon1, p[i].ps_lon);
	}
	fit(&f);
	if (ex_puts(b, "<figure class=\"track\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 400\" "
	    "width=\"640\" height=\"400\" role=\"img\"><rect width=\"640\" height=\"400\" fill=\"#eef4f8\"/>"))
		return -1;
	for (size_t i = 0; i < n; i += step) {
		double x, y;
		int brk = i > 0 && p[i].ps_time - p[i - step].ps_time >= 12 * 3600;
		project(&f, p[i].ps_lat, p[i].ps_lon, &x, &y);
		if (open_line && brk && ex_puts(b, "\"/>"))
			return -1;
		if (!open_line || brk) {
			if (ex_puts(b, "<polyline fill=\"none\" stroke=\"#1f5fa8\" stroke-width=\"1.5\" points=\""))
				return -1;
			open_line = 1;
		}
		if (putf(b, "%.1f,%.1f ", x, y))
			return -1;
	}
	if (open_line && ex_puts(b, "\"/>"))
		return -1;
	np = gr_port_index_box(pi, f.lat0, f.lat1, f.lon0, f.lon1, ids, ll, MAXPORTS);
	for (size_t i = 0; i < np; i++) {
		double x, y;
		const char *k;
		size_t kl;
		gr_value name = gr_null();
		project(&f, ll[i][0], ll[i][1], &x, &y);
		if (putf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"#b03030\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "font-size=\"10\" fill=\"#602020\">", x - 3, y - 3, x + 5, y - 4))
			return -1;
		if (gr_node_prop(t, ids[i], gr_sym_cached(t, "name"), &name) == GR_OK && name.type == GR_STRING) {
			if (put_escaped(b, name.u.s.ptr, name.u.s.len))
				return gr_value_free(&name), -1;
		} else if (gr_node_key_get(t, ids[i], &k, &kl) == GR_OK && put_escaped(b, k, kl)) {
			return -1;
		}
		gr_value_free(&name);
		if (ex_puts(b, "</text>"))
			return -1;
	}
	if (ex_puts(b, "</svg><figcaption>") || put_escaped(b, ref, strlen(ref)) ||
	    putf(b, ": %zu AIS positions; lines break at gaps of 12 h or more; red squares are known ports"
	    " (%.3f..%.3f N, %.3f..%.3f E)</figcaption></figure>\n", n, f.lat0, f.lat1, f.lon0, f.lon1))
		return -1;
	return 0;
}

int ex_report_tracks(gr_buf *b, gr_txn *t, const ex_subgraph *sg)
{
	gr_port_index *pi = NULL;
	gr_error err;
	int any = 0, rc = 0;
	uint16_t vessel = gr_sym_cached(t, "Vessel");
	if (!vessel)
		return 0;
	for (size_t i = 0; i < sg->sg_nnodes && rc == 0; i++) {
		const gr_node *nd = &sg->sg_nodes[i].xn;
		uint32_t mm[16];
		size_t nm;
		gr_pos *all = NULL;
		size_t nall = 0;
		char ref[600];
		if (!gr_node_has_label(nd, vessel) || !(nm = gr_vessel_mmsis(t, nd->n_id, mm, 16)))
			continue;
		for (size_t k = 0; k < nm && rc == 0; k++) {
			gr_pos *p;
			size_t n;
			gr_pos *na;
			if (gr_pos_read(t, mm[k], 0, 0xffffffffLL, &p, &n, &err) != GR_OK)
				continue;
			if (n && !(na = realloc(all, (nall + n) * sizeof *na)))
				rc = -1;
			else if (n) {
				all = na;
				memcpy(all + nall, p, n * sizeof *p);
				nall += n;
			}
			free(p);
		}
		if (rc == 0 && nall) {
			if (!pi && gr_port_index_load(t, &pi, &err) != GR_OK)
				rc = -1;
			gr_node_ref(t, nd->n_id, ref, sizeof ref);
			if (rc == 0 && !any && ex_puts(b, "<section id=\"tracks\"><h2>Tracks</h2>"))
				rc = -1;
			any = 1;
			if (rc == 0)
				rc = sketch(b, t, ref, all, nall, pi);
		}
		free(all);
	}
	if (rc == 0 && any && ex_puts(b, "</section>\n"))
		rc = -1;
	gr_port_index_free(pi);
	return rc;
}
