/*
 * report.c: the evidence report, one self-contained HTML file (report.h):
 * summary, inline SVG diagram, timeline, claims with numbered citations,
 * and the source list.  Everything is written into one buffer, so the file
 * is written whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char style_sheet[] =
"*{box-sizing:border-box}\n"
"body{font-family:\"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif;color:#0f172a;margin:0 auto;max-width:1200px;"
"padding:24px 32px 40px;line-height:1.45;font-size:14px;background:#fff}\n"
"h1{font-size:26px;margin:0 0 4px}\n"
"h2{font-size:18px;margin:30px 0 10px;padding-bottom:4px;border-bottom:2px solid #e2e8f0}\n"
".selection{color:#475569;margin:0 0 18px}\n"
"dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:4px 18px;margin:0}\n"
"dl.summary dt{font-weight:600;color:#334155}\n"
"dl.summary dd{margin:0}\n"
"table{border-collapse:collapse;width:100%;font-size:13px}\n"
"th,td{border-bottom:1px solid #e2e8f0;padding:5px 8px;text-align:left;vertical-align:top}\n"
"th{background:#f8fafc;font-weight:600;white-space:nowrap}\n"
"thead{display:table-header-group}\n"
"tr{break-inside:avoid;page-break-inside:avoid}\n"
"td.n,th.n{text-align:right;color:#64748b;width:3em}\n"
".date{white-space:nowrap;font-variant-numeric:tabular-nums}\n"
".lab{color:#64748b;font-size:11px;white-space:nowrap}\n"
".rel{font-family:\"DejaVu Sans Mono\",monospace;font-size:12px;white-space:nowrap}\n"
".details{color:#475569;font-size:12px;min-width:12em}\n"
".sanctioned{color:#b91c1c;font-weight:700}\n"
".conf{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;white-space:nowrap}\n"
".confirmed{background:#dcfce7;color:#14532d}\n"
".probable{background:#e0f2fe;color:#0c4a6e}\n"
".possible{background:#f1f5f9;color:#334155}\n"
".suspected{background:#fef3c7;color:#92400e}\n"
".none{background:#fee2e2;color:#991b1b}\n"
".cites{white-space:nowrap;font-size:12px}\n"
"figure{margin:0;border:1px solid #e2e8f0;border-radius:6px;padding:8px;break-inside:avoid;page-break-inside:avoid}\n"
"figure svg{display:block;width:100%;height:auto}\n"
"figcaption{color:#475569;font-size:12px;margin-top:6px}\n"
"ol.sources{list-style:none;padding:0;margin:0}\n"
"ol.sources li{margin:0 0 10px;padding-left:3.2em;text-indent:-3.2em;break-inside:avoid;page-break-inside:avoid}\n"
".num{display:inline-block;width:3.2em;text-indent:0;font-weight:600}\n"
"code{font-family:\"DejaVu Sans Mono\",monospace;font-size:11px;word-break:break-all}\n"
"a{color:#1d4ed8}\n"
"footer{margin-top:32px;color:#64748b;font-size:12px}\n"
"@page{size:A4;margin:14mm 12mm 16mm 12mm}\n"
"@page landscape{size:A4 landscape;margin:10mm}\n"
"@media print{\n"
"body{max-width:none;padding:0;font-size:10pt}\n"
"h1{font-size:18pt}\n"
"h2{font-size:13pt;break-after:avoid;page-break-after:avoid}\n"
"table{font-size:8.5pt}\n"
".rel,.cites,.details{font-size:8pt}\n"
"figure{border:none;padding:0}\n"
"#diagram{page:landscape}\n"
"figure svg{max-height:170mm}\n"
"a{color:inherit;text-decoration:none}\n"
"section{break-inside:auto}\n"
"}\n";

/* ---- small writers ---- */

int ex_report_tracks(gr_buf *b, gr_txn *t, const ex_subgraph *sg);

static int is_source(const ex_subgraph *sg, const gr_node *n)
{
	return sg->sg_sym.source_label && gr_node_has_label(n, sg->sg_sym.source_label);
}

static int put_text(gr_buf *b, const char *s)
{
	return ex_put_xml(b, s ? s : "", s ? strlen(s) : 0);
}

static const char *conf_class(int conf)
{
	static const char *const names[] = { "none", "confirmed", "probable", "possible", "suspected" };
	return conf >= GR_CONFIRMED && conf <= GR_SUSPECTED ? names[conf] : names[0];
}

static int put_conf(gr_buf *b, int conf)
{
	return ex_printf(b, "<span class=\"conf %s\">%s</span>", conf_class(conf),
	    conf ? gr_confidence_name(conf) : "no source");
}

/* An entity: its name, sanctioned in red, then its label. */
static int put_entity(gr_buf *b, const ex_subgraph *sg, uint32_t id)
{
	const ex_node *x = ex_subgraph_node(sg, id);
	if (!x)
		return ex_printf(b, "#%u", id);
	if (ex_puts(b, x->xn_sanctioned ? "<span class=\"sanctioned\">" : "<span>") ||
	    put_text(b, ex_node_name(sg, &x->xn)) || ex_puts(b, "</span> <span class=\"lab\">") ||
	    put_text(b, x->xn_label) || ex_puts(b, "</span>"))
		return -1;
	return 0;
}

typedef struct numbered {
	size_t nb_num;
	int nb_conf;
} numbered;

static int cmp_numbered(const void *a, const void *b)
{
	const numbered *x = a, *y = b;
	return x->nb_num < y->nb_num ? -1 : x->nb_num > y->nb_num;
}

/* Citations as "[1] probable" lines, in source-number order. */
static int put_cites(gr_buf *b, const ex_subgraph *sg, const gr_cite *c, size_t nc)
{
	numbered *nb;
	size_t n = 0;
	int rc = 0;
	if (!nc)
		return ex_puts(b, "\xe2\x80\x94");
	if (!(nb = malloc(nc * sizeof *nb)))
		return -1;
	for (size_t i = 0; i < nc; i++) {
		size_t k = ex_source_number(sg, c[i].c_source);
		if (k) {
			nb[n].nb_num = k;
			nb[n++].nb_conf = c[i].c_conf;
		}
	}
	qsort(nb, n, sizeof *nb, cmp_numbered);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *cn = gr_confidence_name(nb[i].nb_conf);
		rc = ex_printf(b, "%s<a href=\"#src-%zu\">[%zu]</a> %s", i ? "<br>" : "", nb[i].nb_num, nb[i].nb_num, cn ? cn : "");
	}
	free(nb);
	return rc;
}

/* The properties of a claim that are not its dates, "note: docked; hours: 264". */
static int put_details(gr_buf *b, gr_txn *t, const ex_subgraph *sg, const gr_prop *p, size_t np, const ex_dates *when)
{
	const ex_syms *sy = &sg->sg_sym;
	gr_buf v = { 0 };
	int any = 0, rc = 0;
	for (size_t i = 0; i < np && rc == 0; i++) {
		uint16_t k = p[i].p_key;
		if (k && (k == sy->key_date || k == sy->start || k == sy->end || k == sy->date_precision))
			continue;
		if (when && (when->xd_flags & EX_D_OTHER) && strcmp(gr_sym_name(t, k, NULL), when->xd_what) == 0)
			continue;
		if (!when && k && k == sy->name)    /* an entity's name heads its row */
			continue;
		v.b_len = 0;
		if (gr_value_text(&v, &p[i].p_val)) {
			rc = -1;
			break;
		}
		rc = (any && ex_puts(b, "; ")) || put_text(b, gr_sym_name(t, k, NULL)) || ex_puts(b, ": ") ||
		    ex_put_xml(b, (const char *)v.b_data, v.b_len) ? -1 : 0;
		any = 1;
	}
	gr_buf_free(&v);
	return rc;
}

/* ---- ordering claims ---- */

static const ex_subgraph *sort_sg;

/* Dated claims first, by start (or end), then end, then id; undated by id. */
static int cmp_claims(const void *a, const void *b)
{
	const ex_edge *x = &sort_sg->sg_edges[*(const size_t *)a], *y = &sort_sg->sg_edges[*(const size_t *)b];
	unsigned fx = x->xe_when.xd_flags, fy = y->xe_when.xd_flags;
	int dx = (fx & (EX_D_START | EX_D_END)) != 0, dy = (fy & (EX_D_START | EX_D_END)) != 0;
	if (dx != dy)
		return dx ? -1 : 1;
	if (dx) {
		int32_t sx = fx & EX_D_START ? x->xe_when.xd_start : x->xe_when.xd_end;
		int32_t sy = fy & EX_D_START ? y->xe_when.xd_start : y->xe_when.xd_end;
		int32_t ex = fx & EX_D_END ? x->xe_when.xd_end : x->xe_when.xd_start;
		int32_t ey = fy & EX_D_END ? y->xe_when.xd_end : y->xe_when.xd_start;
		if (sx != sy)
			return sx < sy ? -1 : 1;
		if (ex != ey)
			return ex < ey ? -1 : 1;
	}
	return x->xe.e_id < y->xe.e_id ? -1 : x->xe.e_id > y->xe.e_id;
}

/* ---- sections ---- */

typedef struct count {
	const char *c_name;
	size_t c_n;
} count;

static int cmp_count(const void *a, const void *b)
{
	const count *x = a, *y = b;
	if (x->c_n != y->c_n)
		return x->c_n > y->c_n ? -1 : 1;
	return strcmp(x->c_name, y->c_name);
}

/* Adds one to name's tally in c[0..*n). */
static void tally(count *c, size_t *n, const char *name)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(c[i].c_name, name) == 0) {
			c[i].c_n++;
			return;
		}
	c[*n].c_name = name;
	c[(*n)++].c_n = 1;
}

static int put_tally(gr_buf *b, count *c, size_t n, size_t total)
{
	if (ex_printf(b, "%zu", total))
		return -1;
	if (!n)
		return 0;
	qsort(c, n, sizeof *c, cmp_count);
	if (ex_puts(b, " ("))
		return -1;
	for (size_t i = 0; i < n; i++)
		if ((i && ex_puts(b, ", ")) || put_text(b, *c[i].c_name ? c[i].c_name : "no label") || ex_printf(b, " %zu", c[i].c_n))
			return -1;
	return ex_puts(b, ")");
}

static int section_summary(gr_buf *b, gr_txn *t, const ex_subgraph *sg)
{
	size_t total = sg->sg_nnodes > sg->sg_nedges ? sg->sg_nnodes : sg->sg_nedges;
	count *c = malloc((total ? total : 1) * sizeof *c);
	size_t n = 0, byconf[5] = { 0 }, sanctioned = 0, entities = 0;
	int rc = -1;
	if (!c)
		return -1;
	if (ex_puts(b, "<section id=\"summary\"><h2>Summary</h2><dl class=\"summary\"><dt>Entities</dt><dd>"))
		goto done;
	for (size_t i = 0; i < sg->sg_nnodes; i++)
		if (!is_source(sg, &sg->sg_nodes[i].xn)) {
			tally(c, &n, sg->sg_nodes[i].xn_label);
			entities++;
		}
	if (put_tally(b, c, n, entities) || ex_puts(b, "</dd><dt>Relationships</dt><dd>"))
		goto done;
	n = 0;
	for (size_t i = 0; i < sg->sg_nedges; i++)
		tally(c, &n, gr_sym_name(t, sg->sg_edges[i].xe.e_type, NULL));
	if (put_tally(b, c, n, sg->sg_nedges) || ex_printf(b, "</dd><dt>Sources</dt><dd>%zu</dd>", sg->sg_nsources))
		goto done;
	if (sg->sg_dated) {
		char a[64], z[64];
		gr_format_date(sg->sg_first, a);
		gr_format_date(sg->sg_last, z);
		if (ex_printf(b, "<dt>Period</dt><dd class=\"date\">%s%s%s</dd>", a, strcmp(a, z) ? " to " : "", strcmp(a, z) ? z : ""))
			goto done;
	}
	for (size_t i = 0; i < sg->sg_nedges; i++)
		byconf[sg->sg_edges[i].xe_conf]++;
	for (size_t i = 0; i < sg->sg_nnodes; i++)
		if (sg->sg_nodes[i].xn.n_ncites && !is_source(sg, &sg->sg_nodes[i].xn))
			byconf[sg->sg_nodes[i].xn_conf]++;
	if (ex_puts(b, "<dt>Claims by confidence</dt><dd>"))
		goto done;
	for (int k = GR_CONFIRMED, any = 0; k <= GR_SUSPECTED + 1; k++) {
		int conf = k <= GR_SUSPECTED ? k : 0;
		if (!byconf[conf])
			continue;
		if ((any && ex_puts(b, " ")) || put_conf(b, conf) || ex_printf(b, " %zu", byconf[conf]))
			goto done;
		any = 1;
	}
	if (ex_puts(b, "</dd>"))
		goto done;
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		const ex_node *x = &sg->sg_nodes[i];
		if (!x->xn_sanctioned)
			continue;
		if (ex_puts(b, sanctioned++ ? "<br>" : "<dt>Sanctioned</dt><dd>") || put_entity(b, sg, x->xn.n_id))
			goto done;
		if (x->xn_programs && (ex_puts(b, " \xe2\x80\x94 ") || put_text(b, x->xn_programs)))
			goto done;
	}
	if ((sanctioned && ex_puts(b, "</dd>")) || ex_puts(b, "</dl></section>\n"))
		goto done;
	rc = 0;
done:
	free(c);
	return rc;
}

/* The Graphviz SVG without its XML prolog and fixed size, to scale with the page. */
static int put_svg(gr_buf *b, const char *svg, size_t len)
{
	const char *start = strstr(svg, "<svg"), *end;
	if (!start)
		return -1;
	end = strchr(start, '>');
	if (!end)
		return -1;
	if (ex_puts(b, "<svg"))
		return -1;
	/* copy the opening tag's attributes except width and height */
	for (const char *p = start + 4; p < end;) {
		const char *q;
		while (p < end && (*p == ' ' || *p == '\n' || *p == '\t'))
			p++;
		if (p >= end)
			break;
		q = strchr(p, '=');
		if (!q || q > end || q[1] != '"' || !(q = strchr(q + 2, '"')) || q > end)
			return -1;
		q++;
		if (strncmp(p, "width=", 6) && strncmp(p, "height=", 7) &&
		    (ex_puts(b, " ") || gr_buf_put(b, p, (size_t)(q - p))))
			return -1;
		p = q;
	}
	if (ex_puts(b, " role=\"img\" aria-label=\"relationship diagram\""))
		return -1;
	return gr_buf_put(b, end, len - (size_t)(end - svg)) ? -1 : 0;
}

static int section_diagram(gr_buf *b, gr_txn *t, const ex_subgraph *sg, const ex_report_opts *opts,
    ex_diagram_info *info, gr_error *err)
{
	ex_diagram_opts d = { 0 };
	char *svg = NULL;
	size_t len;
	int rc;
	d.title = opts && opts->title ? opts->title : "Evidence report";
	d.subtitle = opts ? opts->selection : NULL;
	d.for_report = 1;
	if ((rc = ex_diagram_render(t, sg, "svg", &d, &svg, &len, info, err)) != GR_OK)
		return rc;
	if (ex_puts(b, "<section id=\"diagram\"><h2>Diagram</h2><figure>") || put_svg(b, svg, len) ||
	    ex_puts(b, "<figcaption>Line style gives the strongest confidence of each claim (solid confirmed, dashed probable, "
	    "dotted possible, amber dotted with \xe2\x80\x9c?\xe2\x80\x9d suspected, thin grey no source); numbers in brackets are the sources "
	    "listed at the end.</figcaption></figure></section>\n"))
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
	free(svg);
	return rc;
}

static int claim_row_start(gr_buf *b, size_t num)
{
	return ex_printf(b, "<tr id=\"claim-%zu\"><td class=\"n\">C%zu</td>", num, num);
}

static int section_timeline(gr_buf *b, gr_txn *t, const ex_subgraph *sg, const size_t *order, const size_t *claimno)
{
	size_t shown = 0;
	if (ex_puts(b, "<section id=\"timeline\"><h2>Timeline</h2>"))
		return -1;
	for (size_t i = 0; i < sg->sg_nedges; i++) {
		const ex_edge *x = &sg->sg_edges[order[i]];
		char dates[64];
		if (!(x->xe_when.xd_flags & (EX_D_START | EX_D_END)))
			continue;
		if (!shown++ && ex_puts(b, "<table><thead><tr><th>Date</th><th>Event</th><th>Confidence</th><th>Sources</th>"
		    "<th class=\"n\">Claim</th></tr></thead><tbody>\n"))
			return -1;
		ex_dates_format(&x->xe_when, dates);
		if (ex_puts(b, "<tr><td class=\"date\">") || put_text(b, dates) || ex_puts(b, "</td><td>") ||
		    put_entity(b, sg, x->xe.e_src) || ex_puts(b, " <span class=\"rel\">") ||
		    put_text(b, gr_sym_name(t, x->xe.e_type, NULL)) || ex_puts(b, "</span> ") || put_entity(b, sg, x->xe.e_dst))
			return -1;
		if (sg->sg_sym.ais_gap && x->xe.e_type == sg->sg_sym.ais_gap) {
			long days = ex_gap_days(sg, x);
			if (days >= 0 && ex_printf(b, " <span class=\"details\">(no AIS transmissions for %ld day%s)</span>", days, days == 1 ? "" : "s"))
				return -1;
		}
		if (ex_puts(b, "</td><td>") || put_conf(b, x->xe_conf) || ex_puts(b, "</td><td class=\"cites\">") ||
		    put_cites(b, sg, x->xe.e_cites, x->xe.e_ncites) ||
		    ex_printf(b, "</td><td class=\"n\"><a href=\"#claim-%zu\">C%zu</a></td></tr>\n", claimno[order[i]], claimno[order[i]]))
			return -1;
	}
	if (!shown)
		return ex_puts(b, "<p>No dated claims in this selection.</p></section>\n");
	return ex_puts(b, "</tbody></table></section>\n");
}

static int section_claims(gr_buf *b, gr_txn *t, const ex_subgraph *sg, const size_t *order, size_t *claimno)
{
	size_t num = 0;
	if (ex_puts(b, "<section id=\"claims\"><h2>Claims</h2><table><thead><tr><th class=\"n\">#</th><th>Subject</th>"
	    "<th>Relation</th><th>Object</th><th>Dates</th><th>Confidence</th><th>Sources</th><th>Details</th></tr></thead><tbody>\n"))
		return -1;
	for (size_t i = 0; i < sg->sg_nedges; i++) {
		const ex_edge *x = &sg->sg_edges[order[i]];
		char dates[64];
		claimno[order[i]] = ++num;
		ex_dates_format(&x->xe_when, dates);
		if (claim_row_start(b, num) || ex_puts(b, "<td>") || put_entity(b, sg, x->xe.e_src) ||
		    ex_puts(b, "</td><td class=\"rel\">") || put_text(b, gr_sym_name(t, x->xe.e_type, NULL)) ||
		    ex_puts(b, "</td><td>") || put_entity(b, sg, x->xe.e_dst) || ex_puts(b, "</td><td class=\"date\">") ||
		    put_text(b, dates[0] ? dates : "\xe2\x80\x94") || ex_puts(b, "</td><td>") || put_conf(b, x->xe_conf) ||
		    ex_puts(b, "</td><td class=\"cites\">") || put_cites(b, sg, x->xe.e_cites, x->xe.e_ncites) ||
		    ex_puts(b, "</td><td class=\"details\">") || put_details(b, t, sg, x->xe.e_props, x->xe.e_nprops, &x->xe_when) ||
		    ex_puts(b, "</td></tr>\n"))
			return -1;
	}
	/* entities that carry citations: the claim is who or what they are */
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		const ex_node *x = &sg->sg_nodes[i];
		const char *flag;
		if (!x->xn.n_ncites || is_source(sg, &x->xn))
			continue;
		++num;
		if (claim_row_start(b, num) || ex_puts(b, "<td>") || put_entity(b, sg, x->xn.n_id) ||
		    ex_puts(b, "</td><td class=\"rel\">identified as</td><td>") || put_text(b, x->xn_label) ||
		    ex_puts(b, " <span class=\"lab\">") || put_text(b, x->xn.n_key) || ex_puts(b, "</span>"))
			return -1;
		if ((flag = ex_node_str(&x->xn, sg->sg_sym.flag)) && (ex_puts(b, " <span class=\"lab\">flag ") || put_text(b, flag) || ex_puts(b, "</span>")))
			return -1;
		if (ex_puts(b, "</td><td class=\"date\">\xe2\x80\x94</td><td>") || put_conf(b, x->xn_conf) ||
		    ex_puts(b, "</td><td class=\"cites\">") || put_cites(b, sg, x->xn.n_cites, x->xn.n_ncites) ||
		    ex_puts(b, "</td><td class=\"details\">see Entities</td></tr>\n"))
			return -1;
	}
	if (!num && ex_puts(b, "<tr><td colspan=\"8\">No claims in this selection.</td></tr>\n"))
		return -1;
	return ex_puts(b, "</tbody></table></section>\n");
}

static int cmp_entities(const void *a, const void *b)
{
	const ex_node *x = &sort_sg->sg_nodes[*(const size_t *)a], *y = &sort_sg->sg_nodes[*(const size_t *)b];
	int c = strcmp(x->xn_label, y->xn_label);
	if (c == 0)
		c = strcmp(ex_node_name(sort_sg, &x->xn), ex_node_name(sort_sg, &y->xn));
	return c ? c : (x->xn.n_id < y->xn.n_id ? -1 : x->xn.n_id > y->xn.n_id);
}

/* Every entity shown (sources have their own list), by label and name,
 * with its key and properties. */
static int section_entities(gr_buf *b, gr_txn *t, const ex_subgraph *sg)
{
	size_t *order = malloc((sg->sg_nnodes ? sg->sg_nnodes : 1) * sizeof *order), n = 0;
	int rc = -1;
	if (!order)
		return -1;
	for (size_t i = 0; i < sg->sg_nnodes; i++)
		if (!is_source(sg, &sg->sg_nodes[i].xn))
			order[n++] = i;
	sort_sg = sg;
	if (n)
		qsort(order, n, sizeof *order, cmp_entities);
	if (ex_puts(b, "<section id=\"entities\"><h2>Entities</h2>"))
		goto done;
	if (!n) {
		rc = ex_puts(b, "<p>Only sources are in this selection.</p></section>\n");
		goto done;
	}
	if (ex_puts(b, "<table><thead><tr><th>Entity</th><th>Label</th><th>Key</th><th>Properties</th><th>Sources</th></tr></thead><tbody>\n"))
		goto done;
	for (size_t k = 0; k < n; k++) {
		const ex_node *x = &sg->sg_nodes[order[k]];
		if (ex_puts(b, x->xn_sanctioned ? "<tr><td class=\"sanctioned\">" : "<tr><td>") || put_text(b, ex_node_name(sg, &x->xn)) ||
		    (x->xn_sanctioned && (ex_puts(b, "<br><span class=\"lab\">sanctioned") ||
		    (x->xn_programs && (ex_puts(b, ": ") || put_text(b, x->xn_programs))) || ex_puts(b, "</span>"))) ||
		    ex_puts(b, "</td><td>") || put_text(b, x->xn_label) || ex_puts(b, "</td><td class=\"rel\">") ||
		    put_text(b, x->xn.n_key) || ex_puts(b, "</td><td class=\"details\">") ||
		    put_details(b, t, sg, x->xn.n_props, x->xn.n_nprops, NULL) || ex_puts(b, "</td><td class=\"cites\">") ||
		    put_cites(b, sg, x->xn.n_cites, x->xn.n_ncites) || ex_puts(b, "</td></tr>\n"))
			goto done;
	}
	rc = ex_puts(b, "</tbody></table></section>\n");
done:
	free(order);
	return rc;
}

/* Whether url is an http or https address, safe to make a link of. */
static int web_url(const char *url)
{
	return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) && !strpbrk(url, " \t\r\n\"<>");
}

static int section_sources(gr_buf *b, const ex_subgraph *sg)
{
	const ex_syms *sy = &sg->sg_sym;
	if (ex_puts(b, "<section id=\"sources\"><h2>Sources</h2>"))
		return -1;
	if (!sg->sg_nsources)
		return ex_puts(b, "<p>No sources are cited in this selection.</p></section>\n");
	if (ex_puts(b, "<ol class=\"sources\">\n"))
		return -1;
	for (size_t i = 0; i < sg->sg_nsources; i++) {
		const ex_source *s = &sg->sg_sources[i];
		const char *pub = ex_node_str(&s->xs, sy->publisher), *title = ex_node_str(&s->xs, sy->title);
		const char *kind = ex_node_str(&s->xs, sy->kind), *url = ex_node_str(&s->xs, sy->url), *sha = ex_node_str(&s->xs, sy->sha256);
		if (ex_printf(b, "<li id=\"src-%zu\"><span class=\"num\">[%zu]</span>", i + 1, i + 1))
			return -1;
		if (pub && (ex_puts(b, "<b>") || put_text(b, pub) || ex_puts(b, "</b>. ")))
			return -1;
		if (title && (ex_puts(b, "<i>") || put_text(b, title) || ex_puts(b, "</i>. ")))
			return -1;
		if (kind && (put_text(b, kind) || ex_puts(b, s->xs_dated ? ", " : ". ")))
			return -1;
		if (s->xs_dated) {
			char d[64];
			gr_format_date(s->xs_date, d);
			if (ex_printf(b, "<span class=\"date\">%s</span>. ", d))
				return -1;
		}
		if (url) {
			if (web_url(url) ? (ex_puts(b, "<a href=\"") || put_text(b, url) || ex_puts(b, "\">") || put_text(b, url) || ex_puts(b, "</a>. "))
			    : (put_text(b, url) || ex_puts(b, ". ")))
				return -1;
		}
		if (sha && (ex_puts(b, "SHA-256 <code>") || put_text(b, sha) || ex_puts(b, "</code>. ")))
			return -1;
		if (ex_puts(b, "<span class=\"lab\">Source:") || put_text(b, s->xs.n_key) || ex_puts(b, "</span></li>\n"))
			return -1;
	}
	return ex_puts(b, "</ol></section>\n");
}

int ex_report_render(gr_txn *t, const ex_subgraph *sg, const ex_report_opts *opts,
    char **out, size_t *len, ex_diagram_info *info, gr_error *err)
{
	const char *title = opts && opts->title ? opts->title : "Evidence report";
	gr_buf b = { 0 };
	size_t *order = NULL, *claimno = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if (!sg->sg_nnodes)
		return gr_fail(err, GR_EINVALID, "nothing to report: the selection has no nodes");
	if (!(order = calloc(sg->sg_nedges + 1, sizeof *order)) || !(claimno = calloc(sg->sg_nedges + 1, sizeof *claimno)))
		goto nomem;
	for (size_t i = 0; i < sg->sg_nedges; i++)
		order[i] = i;
	sort_sg = sg;
	if (sg->sg_nedges)
		qsort(order, sg->sg_nedges, sizeof *order, cmp_claims);
	if (ex_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<meta name=\"generator\" content=\"sanctgraph\">\n<title>") || put_text(&b, title) ||
	    ex_puts(&b, "</title>\n<style>\n") || ex_puts(&b, style_sheet) || ex_puts(&b, "</style>\n</head>\n<body>\n<header><h1>") ||
	    put_text(&b, title) || ex_puts(&b, "</h1>"))
		goto nomem;
	if (opts && opts->selection &&
	    (ex_puts(&b, "<p class=\"selection\">") || put_text(&b, opts->selection) || ex_puts(&b, "</p>")))
		goto nomem;
	if (ex_puts(&b, "</header>\n") || section_summary(&b, t, sg))
		goto nomem;
	if ((rc = section_diagram(&b, t, sg, opts, info, err)) != GR_OK)
		goto fail;
	if (ex_report_tracks(&b, t, sg))   /* AIS tracks: report_track.c */
		goto nomem;
	/* the claims are numbered first so the timeline can point at them */
	{
		gr_buf claims = { 0 };
		if (section_claims(&claims, t, sg, order, claimno)) {
			gr_buf_free(&claims);
			goto nomem;
		}
		if (section_timeline(&b, t, sg, order, claimno) || gr_buf_put(&b, claims.b_data, claims.b_len)) {
			gr_buf_free(&claims);
			goto nomem;
		}
		gr_buf_free(&claims);
	}
	{
		/* the change log's head names the state the figures come from:
		 * `check --head HASH` proves later that it was not rolled back */
		char head[160] = "empty change log";
		unsigned char hash[32];
		uint64_t seq = gr_log_head(t);
		if (seq && gr_log_hash(t, seq, hash) == GR_OK) {
			char hex[65];
			gr_hex(hash, 32, hex);
			snprintf(head, sizeof head, "change log head %s (record %llu)", hex, (unsigned long long)seq);
		}
		if (section_entities(&b, t, sg) || section_sources(&b, sg) ||
		    ex_puts(&b, "<footer>Generated by sanctgraph. Every claim cites its sources; confidence is the strongest "
		    "citation of the claim.<br>State: <code>") || ex_puts(&b, head) ||
		    ex_puts(&b, "</code> (verify with <code>sanctgraph check --head HASH</code>).</footer>\n</body>\n</html>\n") ||
		    gr_buf_byte(&b, 0))
			goto nomem;
	}
	*out = (char *)b.b_data;
	*len = b.b_len - 1;
	free(order);
	free(claimno);
	return GR_OK;
nomem:
	rc = gr_fail(err, GR_ENOMEM, "out of memory");
fail:
	gr_buf_free(&b);
	free(order);
	free(claimno);
	return rc;
}

int ex_report_write(gr_txn *t, const ex_subgraph *sg, const char *path, const ex_report_opts *opts,
    ex_diagram_info *info, gr_error *err)
{
	char *html;
	size_t len;
	int rc;
	if ((rc = ex_report_render(t, sg, opts, &html, &len, info, err)) != GR_OK)
		return rc;
	rc = ex_write_file(path, html, len, err);
	free(html);
	return rc;
}
