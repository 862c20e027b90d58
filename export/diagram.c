/*
 * diagram.c: relationship diagrams through libcgraph and libgvc.
 *
 * A loaded subgraph (subgraph.h) becomes a Graphviz graph: one node per
 * entity with an HTML-like label (name, label and key, sanction line,
 * source numbers), ports inside a cluster per country, one edge per
 * relationship styled by its confidence, invisible edges that push places
 * visited later to the right, a title and a legend.  diagram.h describes
 * the visual language.  Every piece of user text in a label goes through
 * put_label (XML character references, and backslashes doubled because
 * Graphviz expands \N and \G even in HTML-like labels); tooltips, plain
 * Graphviz strings, have their backslashes doubled too.
 */
#define _GNU_SOURCE   /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gv_dl.h"

#include "diagram.h"

#define FONT "DejaVu Sans"
#define KEY_MAX 40          /* most sources listed in the legend */
#define WRAP 30             /* characters per line of a node name */

/* ---- the visual language ---- */

typedef struct node_style {
	const char *ns_label;    /* NULL: the default for other labels */
	const char *ns_shape, *ns_style, *ns_fill, *ns_line;
} node_style;

static const node_style node_styles[] = {
	{ "Vessel", "box", "rounded,filled", "#dbeafe", "#1d4ed8" },
	{ "Port", "house", "filled", "#dcfce7", "#15803d" },
	{ "Company", "box", "filled", "#fef3c7", "#b45309" },
	{ "Person", "ellipse", "filled", "#f3e8ff", "#7e22ce" },
	{ "Cargo", "box3d", "filled", "#ffedd5", "#c2410c" },
	{ "Sanction", "octagon", "filled", "#fee2e2", "#b91c1c" },
	{ "Source", "note", "filled", "#f5f5f4", "#57534e" },
	{ NULL, "hexagon", "filled", "#f1f5f9", "#64748b" },
};
#define NSTYLES (sizeof node_styles / sizeof node_styles[0])
#define STYLE_DEFAULT (NSTYLES - 1)
#define STYLE_SOURCE (NSTYLES - 2)

#define RED "#b91c1c"

/* Edge looks: index 0 uncited, 1..4 the confidences, 5 the AIS gap. */
typedef struct edge_style {
	const char *es_name, *es_style, *es_color, *es_width;
} edge_style;

static const edge_style edge_styles[] = {
	{ "no source cited", "solid", "#9ca3af", "0.8" },
	{ "confirmed", "solid", "#111827", "1.6" },
	{ "probable", "dashed", "#1f2937", "1.4" },
	{ "possible", "dotted", "#374151", "1.6" },
	{ "suspected (?)", "dotted", "#d97706", "1.8" },
	{ "AIS dark period", "dashed,bold", "#6b7280", "2.6" },
};
#define EDGE_GAP 5

/* ---- graphviz plumbing ---- */

static char gv_message[512];

/* Keeps the last error Graphviz reports instead of printing it. */
static int gv_error(char *msg)
{
	size_t n;
	snprintf(gv_message, sizeof gv_message, "%s", msg);
	n = strlen(gv_message);
	while (n && (gv_message[n - 1] == '\n' || gv_message[n - 1] == ' '))
		gv_message[--n] = 0;
	return 0;
}

static void set(void *obj, const char *name, const char *value)
{
	agsafeset(obj, (char *)name, (char *)value, (char *)"");
}

/* Object ids in creation order.  cgraph's own discipline makes a named
 * object's id the address of its interned name, and orders subgraphs (the
 * country clusters) by id, so their order in the output changes from run
 * to run.  This one numbers names as they are first seen (even ids) and
 * anonymous objects from a counter (odd ids), so the same graph built the
 * same way always has the same ids.  (Declining to map names, leaving them
 * to cgraph's internal map, is no way out: closing a subgraph, as sfdp's
 * component packing does, closes that map for the whole graph.) */
typedef struct seq_state {
	Agraph_t *ss_g;
	char **ss_names;          /* ss_names[k]: the name of id 2 * (k + 1) */
	size_t ss_n, ss_cap;
	uintptr_t *ss_keys;       /* open addressing: interned name -> index + 1 */
	size_t *ss_vals;
	size_t ss_slots;
	IDTYPE ss_anon;           /* next odd id */
} seq_state;

static void *seq_open(Agraph_t *g, Agdisc_t *disc)
{
	seq_state *st = calloc(1, sizeof *st);
	(void)disc;
	if (st) {
		st->ss_g = g;
		st->ss_anon = 1;
	}
	return st;
}

static size_t seq_slot(const seq_state *st, uintptr_t key)
{
	size_t i = (size_t)((key >> 3) * 0x9e3779b97f4a7c15u) & (st->ss_slots - 1);
	while (st->ss_keys[i] && st->ss_keys[i] != key)
		i = (i + 1) & (st->ss_slots - 1);
	return i;
}

/* Gives interned name s an index; -1 when out of memory. */
static long seq_add(seq_state *st, char *s)
{
	if ((st->ss_n + 1) * 2 > st->ss_slots) {
		seq_state bigger = *st;
		bigger.ss_slots = st->ss_slots ? st->ss_slots * 2 : 256;
		if (!(bigger.ss_keys = calloc(bigger.ss_slots, sizeof *bigger.ss_keys)) ||
		    !(bigger.ss_vals = calloc(bigger.ss_slots, sizeof *bigger.ss_vals))) {
			free(bigger.ss_keys);
			return -1;
		}
		for (size_t i = 0; i < st->ss_slots; i++)
			if (st->ss_keys[i]) {
				size_t j = seq_slot(&bigger, st->ss_keys[i]);
				bigger.ss_keys[j] = st->ss_keys[i];
				bigger.ss_vals[j] = st->ss_vals[i];
			}
		free(st->ss_keys);
		free(st->ss_vals);
		*st = bigger;
	}
	if (st->ss_n == st->ss_cap) {
		size_t nc = st->ss_cap ? st->ss_cap * 2 : 256;
		char **nn = realloc(st->ss_names, nc * sizeof *nn);
		if (!nn)
			return -1;
		st->ss_names = nn;
		st->ss_cap = nc;
	}
	size_t slot = seq_slot(st, (uintptr_t)s);
	st->ss_keys[slot] = (uintptr_t)s;
	st->ss_vals[slot] = st->ss_n + 1;
	st->ss_names[st->ss_n] = s;
	return (long)st->ss_n++;
}

static long seq_map(void *state, int objtype, char *str, IDTYPE *id, int createflag)
{
	seq_state *st = state;
	char *s;
	size_t slot;
	long k;
	(void)objtype;
	if (!st)
		return 0;
	if (!str) {
		*id = st->ss_anon;
		st->ss_anon += 2;
		return 1;
	}
	if (!(s = createflag ? agstrdup(st->ss_g, str) : agstrbind(st->ss_g, str)))
		return 0;
	if (st->ss_slots && st->ss_keys[slot = seq_slot(st, (uintptr_t)s)]) {
		*id = (IDTYPE)st->ss_vals[slot] * 2;
		return 1;
	}
	if (!createflag || (k = seq_add(st, s)) < 0)
		return 0;
	*id = (IDTYPE)(k + 1) * 2;
	return 1;
}

static long seq_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state, (void)objtype, (void)id;
	return 0;
}

static void seq_free(void *state, int objtype, IDTYPE id)
{
	(void)state, (void)objtype, (void)id;   /* names live as long as the graph */
}

static char *seq_print(void *state, int objtype, IDTYPE id)
{
	seq_state *st = state;
	(void)objtype;
	if (!st || id == 0 || id % 2 || id / 2 > st->ss_n)
		return NULL;
	return st->ss_names[id / 2 - 1];
}

static void seq_close(void *state)
{
	seq_state *st = state;
	if (!st)
		return;
	free(st->ss_names);
	free(st->ss_keys);
	free(st->ss_vals);
	free(st);
}

static void seq_register(void *state, int objtype, void *obj)
{
	(void)state, (void)objtype, (void)obj;
}

static Agiddisc_t seq_ids = { seq_open, seq_map, seq_alloc, seq_free, seq_print, seq_close, seq_register };

/* Sets an HTML-like label from buffer b (without the outer < >). */
static int set_html(Agraph_t *g, void *obj, const char *name, gr_buf *b)
{
	char *h;
	if (gr_buf_byte(b, 0))
		return -1;
	h = agstrdup_html(g, (char *)b->b_data);
	if (!h)
		return -1;
	agsafeset(obj, (char *)name, h, (char *)"");
	agstrfree(g, h);
	b->b_len = 0;
	return 0;
}

/* A plain Graphviz string (tooltips): backslashes doubled, controls dropped. */
static int put_esc(gr_buf *b, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			continue;
		if ((*s == '\\' && gr_buf_byte(b, '\\')) || gr_buf_byte(b, (unsigned char)*s))
			return -1;
	}
	return 0;
}

static int set_tooltip(void *obj, gr_buf *b)
{
	if (gr_buf_byte(b, 0))
		return -1;
	set(obj, "tooltip", (const char *)b->b_data);
	b->b_len = 0;
	return 0;
}

/* ---- text ---- */

/* Text for an HTML-like label: XML-escaped (ex_put_xml), and backslashes
 * doubled, since Graphviz still expands \N, \G, \E, \T and \H inside
 * HTML-like labels and reads "\\" as one backslash. */
static int put_label(gr_buf *b, const char *s, size_t len)
{
	const char *end = s + len, *bs;
	while ((bs = memchr(s, '\\', (size_t)(end - s))) != NULL) {
		if (ex_put_xml(b, s, (size_t)(bs - s)) || ex_puts(b, "\\\\"))
			return -1;
		s = bs + 1;
	}
	return ex_put_xml(b, s, (size_t)(end - s));
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* s escaped, broken into lines of about `width` characters at spaces. */
static int put_wrapped(gr_buf *b, const char *s, size_t width)
{
	size_t line = 0;
	while (*s) {
		const char *sp = strchr(s, ' ');
		size_t wl = sp ? (size_t)(sp - s) : strlen(s), wc = utf8_chars(s, wl);
		if (line && line + 1 + wc > width) {
			if (ex_puts(b, "<BR/>"))
				return -1;
			line = 0;
		} else if (line && ex_puts(b, " ")) {
			return -1;
		}
		if (put_label(b, s, wl))
			return -1;
		line += wc + (line ? 1 : 0);
		s += wl;
		while (*s == ' ')
			s++;
	}
	return 0;
}

/* "[1,2,5-7]": the sorted source numbers of a claim's citations. */
static int put_cites(gr_buf *b, const ex_subgraph *sg, const gr_cite *c, size_t nc)
{
	size_t nums[64], n = 0;
	for (size_t i = 0; i < nc && n < 64; i++) {
		size_t k = ex_source_number(sg, c[i].c_source), j = n;
		if (!k)
			continue;
		while (j > 0 && nums[j - 1] > k)
			j--;
		if (j > 0 && nums[j - 1] == k)
			continue;
		memmove(nums + j + 1, nums + j, (n - j) * sizeof *nums);
		nums[j] = k;
		n++;
	}
	if (!n)
		return 0;
	if (ex_puts(b, "["))
		return -1;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && nums[j + 1] == nums[j] + 1)
			j++;
		if (ex_printf(b, "%s%zu", i ? "," : "", nums[i]))
			return -1;
		if (j >= i + 2 ? ex_printf(b, "-%zu", nums[j]) : 0)
			return -1;
		i = j >= i + 2 ? j + 1 : i + 1;
	}
	return ex_puts(b, "]");
}

/* ---- building the graph ---- */

typedef struct builder {
	gr_txn *bd_txn;
	const ex_subgraph *bd_sg;
	const ex_diagram_opts *bd_opts;
	Agraph_t *bd_g;
	Agnode_t **bd_agn;        /* per sg_nodes entry; NULL: not drawn */
	size_t *bd_style;         /* per sg_nodes entry: index in node_styles */
	int bd_large;
	int bd_numbers;           /* source numbers on claims */
	unsigned bd_used_nodes[NSTYLES];
	unsigned bd_used_edges[EDGE_GAP + 1];
	int bd_used_sanctioned, bd_used_clusters;
	size_t bd_drawn_nodes, bd_drawn_edges, bd_collapsed;
	gr_buf bd_b, bd_t;        /* label and tooltip scratch */
} builder;

static size_t node_index(const builder *bd, uint32_t id)
{
	const ex_node *x = ex_subgraph_node(bd->bd_sg, id);
	return x ? (size_t)(x - bd->bd_sg->sg_nodes) : (size_t)-1;
}

static size_t style_of(gr_txn *t, const gr_node *n)
{
	for (size_t i = 0; i < n->n_nlabels; i++) {
		const char *l = gr_sym_name(t, n->n_labels[i], NULL);
		for (size_t k = 0; k < STYLE_DEFAULT; k++)
			if (strcmp(l, node_styles[k].ns_label) == 0)
				return k;
	}
	return STYLE_DEFAULT;
}

static int node_label(builder *bd, const ex_node *x)
{
	const ex_subgraph *sg = bd->bd_sg;
	gr_buf *b = &bd->bd_b;
	const char *name = ex_node_name(sg, &x->xn), *flag, *status;
	const char *key = x->xn.n_key ? x->xn.n_key : "";

	if (ex_puts(b, "<B>") || put_wrapped(b, name, WRAP) || ex_puts(b, "</B>"))
		return -1;
	if (bd->bd_large)
		return x->xn_sanctioned ? ex_puts(b, "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"" RED "\">SANCTIONED</FONT>") : 0;
	if (ex_puts(b, "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"#475569\">") || put_label(b, x->xn_label, strlen(x->xn_label)))
		return -1;
	/* a short key is an identifier worth reading (IMO9161003, RUVYP); a long
	 * one is a slug, left to the tooltip and the report */
	if (strcmp(key, name) && utf8_chars(key, strlen(key)) <= 12 && (ex_puts(b, " \xc2\xb7 ") || put_label(b, key, strlen(key))))
		return -1;
	if ((flag = ex_node_str(&x->xn, sg->sg_sym.flag)) && (ex_puts(b, " \xc2\xb7 flag ") || put_label(b, flag, strlen(flag))))
		return -1;
	if ((status = ex_node_str(&x->xn, sg->sg_sym.status)) && (ex_puts(b, " \xc2\xb7 ") || put_label(b, status, strlen(status))))
		return -1;
	if (ex_puts(b, "</FONT>"))
		return -1;
	if (x->xn_sanctioned) {
		if (ex_puts(b, "<BR/><FONT POINT-SIZE=\"9\" COLOR=\"" RED "\"><B>SANCTIONED</B>"))
			return -1;
		if (x->xn_programs && (ex_puts(b, " \xc2\xb7 ") || put_wrapped(b, x->xn_programs, WRAP)))
			return -1;
		if (ex_puts(b, "</FONT>"))
			return -1;
	}
	if (bd->bd_numbers && x->xn.n_ncites) {
		if (ex_puts(b, "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#6b7280\">") ||
		    put_cites(b, sg, x->xn.n_cites, x->xn.n_ncites) || ex_puts(b, "</FONT>"))
			return -1;
	}
	return 0;
}

static int add_nodes(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	size_t nreal = 0;
	int *linked = calloc(sg->sg_nnodes ? sg->sg_nnodes : 1, sizeof *linked);
	if (!linked)
		return -1;
	/* a Source is drawn only when a relationship links it */
	for (size_t i = 0; i < sg->sg_nedges; i++) {
		size_t s = node_index(bd, sg->sg_edges[i].xe.e_src), d = node_index(bd, sg->sg_edges[i].xe.e_dst);
		if (s != (size_t)-1)
			linked[s] = 1;
		if (d != (size_t)-1)
			linked[d] = 1;
	}
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		bd->bd_style[i] = style_of(bd->bd_txn, &sg->sg_nodes[i].xn);
		if (bd->bd_style[i] != STYLE_SOURCE || linked[i])
			nreal++;
	}
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		const ex_node *x = &sg->sg_nodes[i];
		const node_style *ns = &node_styles[bd->bd_style[i]];
		char name[16], ref[700];
		Agnode_t *n;
		if (nreal && bd->bd_style[i] == STYLE_SOURCE && !linked[i])
			continue;
		snprintf(name, sizeof name, "n%u", x->xn.n_id);
		n = bd->bd_agn[i] = agnode(bd->bd_g, name, 1);
		if (!n || node_label(bd, x) || set_html(bd->bd_g, n, "label", &bd->bd_b))
			goto fail;
		set(n, "shape", ns->ns_shape);
		set(n, "style", ns->ns_style);
		set(n, "fillcolor", ns->ns_fill);
		set(n, "color", x->xn_sanctioned ? RED : ns->ns_line);
		if (x->xn_sanctioned) {
			set(n, "peripheries", "2");
			set(n, "penwidth", "1.6");
			bd->bd_used_sanctioned = 1;
		}
		gr_node_ref(bd->bd_txn, x->xn.n_id, ref, sizeof ref);
		if (put_esc(&bd->bd_t, ref) || set_tooltip(n, &bd->bd_t))
			goto fail;
		bd->bd_used_nodes[bd->bd_style[i]]++;
		bd->bd_drawn_nodes++;
	}
	free(linked);
	return 0;
fail:
	free(linked);
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The country code of a port: `country`, else its LOCODE's first letters. */
static const char *port_country(const ex_subgraph *sg, const gr_node *n, char cc[3])
{
	const char *c = ex_node_str(n, sg->sg_sym.country);
	if (!c && (c = ex_node_str(n, sg->sg_sym.locode)) && strlen(c) < 2)
		c = NULL;
	if (!c)
		return NULL;
	cc[0] = c[0];
	cc[1] = c[1];
	cc[2] = 0;
	return cc;
}

/* Puts ports in a cluster per country, clusters in code order. */
static int add_clusters(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	char **codes = calloc(sg->sg_nnodes ? sg->sg_nnodes : 1, sizeof *codes);
	size_t ncodes = 0;
	int rc = -1;
	if (!codes)
		return -1;
	for (size_t i = 0; i < sg->sg_nnodes; i++) {
		char cc[3];
		if (bd->bd_agn[i] && bd->bd_style[i] == 1 && port_country(sg, &sg->sg_nodes[i].xn, cc)) {
			int seen = 0;
			for (size_t k = 0; k < ncodes && !seen; k++)
				seen = strcmp(codes[k], cc) == 0;
			if (!seen && !(codes[ncodes++] = strdup(cc)))
				goto done;
		}
	}
	if (ncodes)
		qsort(codes, ncodes, sizeof *codes, cmp_str);
	for (size_t k = 0; k < ncodes; k++) {
		char name[32];
		const char *country = gr_country_name(codes[k]);
		Agraph_t *c;
		snprintf(name, sizeof name, "cluster_country_%s", codes[k]);
		if (!(c = agsubg(bd->bd_g, name, 1)))
			goto done;
		if (ex_puts(&bd->bd_b, "<B>") || put_label(&bd->bd_b, country ? country : codes[k], strlen(country ? country : codes[k])) ||
		    ex_puts(&bd->bd_b, "</B>") || set_html(bd->bd_g, c, "label", &bd->bd_b))
			goto done;
		set(c, "style", "rounded,dashed,filled");
		set(c, "color", "#86efac");
		set(c, "fillcolor", "#f7fdf8");
		set(c, "fontcolor", "#15803d");
		set(c, "fontsize", "11");
		set(c, "labeljust", "l");
		for (size_t i = 0; i < sg->sg_nnodes; i++) {
			char cc[3];
			if (bd->bd_agn[i] && bd->bd_style[i] == 1 && port_country(sg, &sg->sg_nodes[i].xn, cc) && strcmp(cc, codes[k]) == 0)
				agsubnode(c, bd->bd_agn[i], 1);
		}
		bd->bd_used_clusters = 1;
	}
	rc = 0;
done:
	for (size_t k = 0; k < ncodes; k++)
		free(codes[k]);
	free(codes);
	return rc;
}

/* Which look an edge (or a collapsed group, conf its strongest) takes. */
static size_t edge_look(const builder *bd, const ex_edge *x, int conf)
{
	if (bd->bd_sg->sg_sym.ais_gap && x->xe.e_type == bd->bd_sg->sg_sym.ais_gap)
		return EDGE_GAP;
	return conf >= GR_CONFIRMED && conf <= GR_SUSPECTED ? (size_t)conf : 0;
}

/* The label and tooltip of a relationship, or of `count` collapsed ones
 * whose dates span `when`. */
static int edge_text(builder *bd, const ex_edge *x, size_t count, const ex_dates *when, int conf)
{
	const ex_subgraph *sg = bd->bd_sg;
	gr_buf *b = &bd->bd_b, *t = &bd->bd_t;
	const char *type = gr_sym_name(bd->bd_txn, x->xe.e_type, NULL);
	const ex_node *from = ex_subgraph_node(sg, x->xe.e_src), *to = ex_subgraph_node(sg, x->xe.e_dst);
	size_t look = edge_look(bd, x, conf);
	char dates[64];
	ex_dates_format(when, dates);
	/* tooltip: "from — TYPE → to, dates, confidence" */
	if (put_esc(t, from ? ex_node_name(sg, &from->xn) : "?") || ex_puts(t, " \xe2\x80\x94 ") || put_esc(t, type) ||
	    ex_puts(t, " \xe2\x86\x92 ") || put_esc(t, to ? ex_node_name(sg, &to->xn) : "?") ||
	    (dates[0] && (ex_puts(t, ", ") || put_esc(t, dates))) ||
	    ex_printf(t, ", %s", conf ? gr_confidence_name(conf) : "no source") ||
	    (count > 1 && ex_printf(t, ", %zu relationships", count)))
		return -1;
	if (bd->bd_large && count < 2)
		return 0;
	if (look == EDGE_GAP) {
		long days = ex_gap_days(sg, x);
		if (days >= 0 ? ex_printf(b, "<B>AIS dark %ld day%s</B>", days, days == 1 ? "" : "s") : ex_puts(b, "<B>AIS dark</B>"))
			return -1;
		if (conf == GR_SUSPECTED && ex_puts(b, " ?"))
			return -1;
	} else {
		if (conf == GR_SUSPECTED && ex_puts(b, "<B>?</B> "))
			return -1;
		if (put_label(b, type, strlen(type)))
			return -1;
	}
	if (count > 1 && ex_printf(b, " \xc3\x97%zu", count))
		return -1;
	if (bd->bd_large)
		return 0;
	if (dates[0] && (ex_puts(b, "<BR/><FONT POINT-SIZE=\"9\">") || put_label(b, dates, strlen(dates)) || ex_puts(b, "</FONT>")))
		return -1;
	if (bd->bd_numbers && x->xe.e_ncites && count == 1 &&
	    (ex_puts(b, "<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#6b7280\">") || put_cites(b, sg, x->xe.e_cites, x->xe.e_ncites) ||
	    ex_puts(b, "</FONT>")))
		return -1;
	return 0;
}

/* Draws one edge for the relationships sg_edges[idx[0..count)] (count > 1:
 * parallel ones collapsed into a counted edge). */
static int draw_edge(builder *bd, const size_t *idx, size_t count)
{
	const ex_subgraph *sg = bd->bd_sg;
	const ex_edge *x = &sg->sg_edges[idx[0]];
	size_t s = node_index(bd, x->xe.e_src), d = node_index(bd, x->xe.e_dst), look;
	ex_dates when = x->xe_when;
	int conf = x->xe_conf;
	const edge_style *es;
	char name[24];
	Agedge_t *e;
	if (s == (size_t)-1 || d == (size_t)-1 || !bd->bd_agn[s] || !bd->bd_agn[d])
		return 0;
	for (size_t i = 1; i < count; i++) {
		const ex_edge *y = &sg->sg_edges[idx[i]];
		const ex_dates *w = &y->xe_when;
		if (y->xe_conf && (!conf || y->xe_conf < conf))
			conf = y->xe_conf;
		if ((w->xd_flags & EX_D_START) && (!(when.xd_flags & EX_D_START) || w->xd_start < when.xd_start))
			when.xd_start = w->xd_start, when.xd_flags |= EX_D_START;
		if ((w->xd_flags & EX_D_END) && (!(when.xd_flags & EX_D_END) || w->xd_end > when.xd_end))
			when.xd_end = w->xd_end, when.xd_flags |= EX_D_END;
	}
	if (count > 1)
		when.xd_flags &= ~(unsigned)EX_D_OTHER;
	look = edge_look(bd, x, conf);
	es = &edge_styles[look];
	snprintf(name, sizeof name, "e%u", x->xe.e_id);
	if (!(e = agedge(bd->bd_g, bd->bd_agn[s], bd->bd_agn[d], name, 1)))
		return -1;
	if (edge_text(bd, x, count, &when, conf) || set_tooltip(e, &bd->bd_t))
		return -1;
	if (bd->bd_b.b_len && set_html(bd->bd_g, e, "label", &bd->bd_b))
		return -1;
	set(e, "style", es->es_style);
	set(e, "color", look == EDGE_GAP || conf != GR_SUSPECTED ? es->es_color : edge_styles[GR_SUSPECTED].es_color);
	set(e, "penwidth", es->es_width);
	if (conf == GR_SUSPECTED || look == 0 || look == EDGE_GAP)
		set(e, "fontcolor", look == EDGE_GAP ? "#4b5563" : es->es_color);
	if (look == EDGE_GAP)
		set(e, "arrowhead", "empty");
	bd->bd_used_edges[look]++;
	if (look == EDGE_GAP && conf == GR_SUSPECTED)
		bd->bd_used_edges[GR_SUSPECTED]++;
	bd->bd_drawn_edges++;
	if (count > 1)
		bd->bd_collapsed += count;
	return 0;
}

static const ex_subgraph *sort_sg;

/* Orders edge indexes by (from, to, type, id) to find parallel edges. */
static int cmp_parallel(const void *a, const void *b)
{
	const gr_edge *x = &sort_sg->sg_edges[*(const size_t *)a].xe, *y = &sort_sg->sg_edges[*(const size_t *)b].xe;
	if (x->e_src != y->e_src)
		return x->e_src < y->e_src ? -1 : 1;
	if (x->e_dst != y->e_dst)
		return x->e_dst < y->e_dst ? -1 : 1;
	if (x->e_type != y->e_type)
		return x->e_type < y->e_type ? -1 : 1;
	return x->e_id < y->e_id ? -1 : x->e_id > y->e_id;
}

static int same_pair(const ex_subgraph *sg, size_t a, size_t b)
{
	const gr_edge *x = &sg->sg_edges[a].xe, *y = &sg->sg_edges[b].xe;
	return x->e_src == y->e_src && x->e_dst == y->e_dst && x->e_type == y->e_type;
}

typedef struct edge_group {
	size_t g_first, g_count;
} edge_group;

static const size_t *sort_idx;

static int cmp_group(const void *a, const void *b)
{
	size_t x = sort_idx[((const edge_group *)a)->g_first], y = sort_idx[((const edge_group *)b)->g_first];
	return x < y ? -1 : x > y;
}

static int add_edges(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	size_t *idx = NULL, ngroups = 0;
	edge_group *groups = NULL;
	int rc = -1;
	if (!sg->sg_nedges)
		return 0;
	if (!(idx = malloc(sg->sg_nedges * sizeof *idx)))
		return -1;
	for (size_t i = 0; i < sg->sg_nedges; i++)
		idx[i] = i;
	if (!bd->bd_large) {
		for (size_t i = 0; i < sg->sg_nedges; i++)
			if (draw_edge(bd, &idx[i], 1))
				goto done;
		rc = 0;
		goto done;
	}
	sort_sg = sg;
	qsort(idx, sg->sg_nedges, sizeof *idx, cmp_parallel);
	/* groups of parallel edges, drawn in the order of their first id */
	if (!(groups = malloc(sg->sg_nedges * sizeof *groups)))
		goto done;
	for (size_t i = 0; i < sg->sg_nedges;) {
		size_t j = i + 1;
		while (j < sg->sg_nedges && same_pair(sg, idx[i], idx[j]))
			j++;
		groups[ngroups].g_first = i;
		groups[ngroups++].g_count = j - i;
		i = j;
	}
	sort_idx = idx;
	qsort(groups, ngroups, sizeof *groups, cmp_group);
	for (size_t k = 0; k < ngroups; k++)
		if (draw_edge(bd, idx + groups[k].g_first, groups[k].g_count))
			goto done;
	rc = 0;
done:
	free(groups);
	free(idx);
	return rc;
}

/* ---- time order: places visited later further right ---- */

typedef struct visit {
	uint32_t v_src, v_dst, v_edge;
	int32_t v_day;
} visit;

static int cmp_visit(const void *a, const void *b)
{
	const visit *x = a, *y = b;
	if (x->v_src != y->v_src)
		return x->v_src < y->v_src ? -1 : 1;
	if (x->v_day != y->v_day)
		return x->v_day < y->v_day ? -1 : 1;
	return x->v_edge < y->v_edge ? -1 : x->v_edge > y->v_edge;
}

/* For each node with dated relationships to several others, an invisible
 * edge from each place to the next one it reached later, unless the two
 * are already linked.  An AIS gap counts at its end (the arrival). */
static int add_time_order(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	visit *v = NULL;
	size_t n = 0, made = 0;
	int rc = -1;
	if (!sg->sg_nedges)
		return 0;
	if (!(v = malloc(sg->sg_nedges * sizeof *v)))
		return -1;
	for (size_t i = 0; i < sg->sg_nedges; i++) {
		const ex_edge *x = &sg->sg_edges[i];
		unsigned f = x->xe_when.xd_flags;
		if (!(f & (EX_D_START | EX_D_END)) || (f & EX_D_OTHER) || x->xe.e_src == x->xe.e_dst)
			continue;
		v[n].v_src = x->xe.e_src;
		v[n].v_dst = x->xe.e_dst;
		v[n].v_edge = x->xe.e_id;
		if (edge_look(bd, x, x->xe_conf) == EDGE_GAP)
			v[n].v_day = f & EX_D_END ? x->xe_when.xd_end : x->xe_when.xd_start;
		else
			v[n].v_day = f & EX_D_START ? x->xe_when.xd_start : x->xe_when.xd_end;
		n++;
	}
	if (n)
		qsort(v, n, sizeof *v, cmp_visit);
	for (size_t i = 0; i < n;) {
		size_t j = i, prev = (size_t)-1;
		while (j < n && v[j].v_src == v[i].v_src)
			j++;
		for (size_t k = i; k < j; k++) {
			size_t a, b;
			int first = 1;
			for (size_t m = i; m < k && first; m++)    /* the first visit of each place counts */
				first = v[m].v_dst != v[k].v_dst;
			if (!first)
				continue;
			if (prev != (size_t)-1 && v[k].v_day > v[prev].v_day) {
				a = node_index(bd, v[prev].v_dst);
				b = node_index(bd, v[k].v_dst);
				if (a != (size_t)-1 && b != (size_t)-1 && bd->bd_agn[a] && bd->bd_agn[b] &&
				    !agedge(bd->bd_g, bd->bd_agn[a], bd->bd_agn[b], NULL, 0) &&
				    !agedge(bd->bd_g, bd->bd_agn[b], bd->bd_agn[a], NULL, 0)) {
					char name[32];
					Agedge_t *e;
					snprintf(name, sizeof name, "time%zu", ++made);
					if (!(e = agedge(bd->bd_g, bd->bd_agn[a], bd->bd_agn[b], name, 1)))
						goto done;
					set(e, "style", "invis");
					set(e, "weight", "2");
					set(e, "tooltip", "");
				}
			}
			prev = k;
		}
		i = j;
	}
	rc = 0;
done:
	free(v);
	return rc;
}

/* ---- title and legend ---- */

static int add_title(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	const char *title = bd->bd_opts && bd->bd_opts->title ? bd->bd_opts->title : "sanctgraph";
	const char *sub = bd->bd_opts ? bd->bd_opts->subtitle : NULL;
	gr_buf *b = &bd->bd_b;
	if (ex_puts(b, "<TABLE BORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\"><TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"18\"><B>") ||
	    put_label(b, title, strlen(title)) ||
	    ex_puts(b, "</B></FONT></TD></TR><TR><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\" COLOR=\"#475569\">"))
		return -1;
	if (sub && (put_label(b, sub, strlen(sub)) || ex_puts(b, " \xc2\xb7 ")))
		return -1;
	if (ex_printf(b, "%zu entit%s \xc2\xb7 %zu relationship%s \xc2\xb7 %zu source%s",
	    bd->bd_drawn_nodes, bd->bd_drawn_nodes == 1 ? "y" : "ies", sg->sg_nedges, sg->sg_nedges == 1 ? "" : "s",
	    sg->sg_nsources, sg->sg_nsources == 1 ? "" : "s"))
		return -1;
	if (sg->sg_dated) {
		char a[64], z[64];
		gr_format_date(sg->sg_first, a);
		gr_format_date(sg->sg_last, z);
		if (strcmp(a, z) ? ex_printf(b, " \xc2\xb7 %s to %s", a, z) : ex_printf(b, " \xc2\xb7 %s", a))
			return -1;
	}
	if (ex_puts(b, "</FONT></TD></TR></TABLE>"))
		return -1;
	return set_html(bd->bd_g, bd->bd_g, "label", b);
}

static const char *const shape_words[NSTYLES] = {
	"rounded box", "house", "box", "ellipse", "3-D box", "octagon", "note", "hexagon"
};

static int legend_row(gr_buf *b, const char *cell, const char *text)
{
	return ex_printf(b, "<TR><TD %s>", cell) || ex_puts(b, "</TD><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">") ||
	    ex_puts(b, text) || ex_puts(b, "</FONT></TD></TR>");
}

/* The labels drawn in the default style, "Tanker, Aircraft" (escaped). */
static int put_other_labels(builder *bd, gr_buf *b)
{
	const ex_subgraph *sg = bd->bd_sg;
	size_t shown = 0;
	for (size_t i = 0; i < sg->sg_nnodes && shown < 4; i++) {
		const char *l = sg->sg_nodes[i].xn_label;
		int seen = 0;
		if (!bd->bd_agn[i] || bd->bd_style[i] != STYLE_DEFAULT)
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = bd->bd_agn[k] && bd->bd_style[k] == STYLE_DEFAULT && strcmp(sg->sg_nodes[k].xn_label, l) == 0;
		if (seen)
			continue;
		if ((shown && ex_puts(b, ", ")) || (shown == 3 ? ex_puts(b, "\xe2\x80\xa6") : put_label(b, *l ? l : "no label", strlen(*l ? l : "no label"))))
			return -1;
		shown++;
	}
	return 0;
}

static int add_legend(builder *bd)
{
	const ex_subgraph *sg = bd->bd_sg;
	gr_buf *b = &bd->bd_b, row = { 0 };
	Agnode_t *n;
	int rc = -1;
	if (ex_puts(b, "<TABLE BORDER=\"1\" COLOR=\"#cbd5e1\" CELLBORDER=\"0\" CELLSPACING=\"3\" CELLPADDING=\"3\" "
	    "BGCOLOR=\"#ffffff\"><TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Legend</B></TD></TR>"))
		goto done;
	for (size_t k = 0; k < NSTYLES; k++) {
		const node_style *ns = &node_styles[k];
		char cell[160];
		if (!bd->bd_used_nodes[k])
			continue;
		snprintf(cell, sizeof cell, "BORDER=\"1\" COLOR=\"%s\" BGCOLOR=\"%s\"><FONT POINT-SIZE=\"9\">%s</FONT",
		    ns->ns_line, ns->ns_fill, ns->ns_label ? ns->ns_label : "other");
		row.b_len = 0;
		if (ns->ns_label ? ex_puts(&row, shape_words[k]) : (put_other_labels(bd, &row) || ex_printf(&row, " (%s)", shape_words[k])))
			goto done;
		if (gr_buf_byte(&row, 0) || legend_row(b, cell, (const char *)row.b_data))
			goto done;
	}
	if (bd->bd_used_sanctioned &&
	    legend_row(b, "BORDER=\"2\" COLOR=\"" RED "\"><FONT POINT-SIZE=\"8\" COLOR=\"" RED "\"><B>SANCTIONED</B></FONT", "sanctioned: red double border"))
		goto done;
	if (bd->bd_used_clusters &&
	    legend_row(b, "BORDER=\"1\" STYLE=\"dashed\" COLOR=\"#86efac\" BGCOLOR=\"#f7fdf8\"><FONT POINT-SIZE=\"8\" COLOR=\"#15803d\"><B>Country</B></FONT",
	    "ports grouped by country"))
		goto done;
	for (size_t k = 1; k <= EDGE_GAP; k++) {
		size_t look = k == EDGE_GAP ? 0 : k;   /* uncited after the confidences */
		const edge_style *es = &edge_styles[k == EDGE_GAP ? 0 : k];
		char cell[200];
		if (!bd->bd_used_edges[look])
			continue;
		snprintf(cell, sizeof cell, "WIDTH=\"48\" HEIGHT=\"12\" SIDES=\"B\" BORDER=\"%s\" STYLE=\"%s\" COLOR=\"%s\"",
		    look == GR_CONFIRMED || look == GR_SUSPECTED ? "2" : look == 0 ? "1" : "2",
		    strcmp(es->es_style, "solid") ? es->es_style : "solid", es->es_color);
		if (legend_row(b, cell, look ? es->es_name : "no source cited"))
			goto done;
	}
	if (bd->bd_used_edges[EDGE_GAP] &&
	    legend_row(b, "WIDTH=\"48\" HEIGHT=\"12\" SIDES=\"B\" BORDER=\"3\" STYLE=\"dashed\" COLOR=\"#6b7280\"", "AIS dark period (no transmissions)"))
		goto done;
	if (bd->bd_collapsed && ex_printf(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">"
	    "\xc3\x97N: N relationships of one type between two entities</FONT></TD></TR>"))
		goto done;
	if (sg->sg_nsources) {
		if (ex_printf(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\"><B>Sources</B> <FONT POINT-SIZE=\"9\">(%zu; not drawn", sg->sg_nsources))
			goto done;
		if (!bd->bd_numbers) {
			if (ex_puts(b, ", listed in the report)</FONT></TD></TR>"))
				goto done;
		} else if (bd->bd_opts && bd->bd_opts->for_report) {
			if (ex_puts(b, "; [n] on a claim: source n below)</FONT></TD></TR>"))
				goto done;
		} else {
			if (ex_puts(b, "; [n] on a claim)</FONT></TD></TR>"))
				goto done;
			for (size_t i = 0; i < sg->sg_nsources; i++) {
				const ex_source *s = &sg->sg_sources[i];
				const char *pub = ex_node_str(&s->xs, sg->sg_sym.publisher), *kind = ex_node_str(&s->xs, sg->sg_sym.kind);
				row.b_len = 0;
				if (ex_printf(&row, "[%zu] ", i + 1) || ex_puts(&row, pub ? pub : ex_node_name(sg, &s->xs)) ||
				    (kind && (ex_puts(&row, ", ") || ex_puts(&row, kind))))
					goto done;
				if (s->xs_dated) {
					char d[64];
					gr_format_date(s->xs_date, d);
					if (ex_printf(&row, ", %s", d))
						goto done;
				}
				if (gr_buf_byte(&row, 0) || ex_puts(b, "<TR><TD COLSPAN=\"2\" ALIGN=\"LEFT\" BALIGN=\"LEFT\"><FONT POINT-SIZE=\"9\">") ||
				    put_wrapped(b, (const char *)row.b_data, 52) || ex_puts(b, "</FONT></TD></TR>"))
					goto done;
			}
		}
	}
	if (ex_puts(b, "</TABLE>"))
		goto done;
	if (!(n = agnode(bd->bd_g, (char *)"legend", 1)) || set_html(bd->bd_g, n, "label", b))
		goto done;
	set(n, "shape", "plaintext");
	set(n, "peripheries", "0");
	set(n, "margin", "0");
	set(n, "style", "");
	set(n, "tooltip", "legend");
	if (!bd->bd_large) {
		Agraph_t *r = agsubg(bd->bd_g, (char *)"legend_rank", 1);
		if (!r)
			goto done;
		set(r, "rank", "source");
		agsubnode(r, n, 1);
	}
	rc = 0;
done:
	gr_buf_free(&row);
	return rc;
}

/* ---- rendering ---- */

/* One Graphviz context for the process: Graphviz 2.43's pango plugin keeps
 * a pointer into the font cache of the context that laid out text last, so
 * a second context after gvFreeContext() reads freed memory. */
static GVC_t *shared_gvc;

static void free_shared_gvc(void)
{
	if (shared_gvc)
		gvFreeContext(shared_gvc);
	shared_gvc = NULL;
}

static GVC_t *gvc_get(void)
{
	if (!shared_gvc && (shared_gvc = gvContext()) != NULL)
		atexit(free_shared_gvc);
	return shared_gvc;
}

int ex_diagram_format_ok(const char *fmt)
{
	return fmt && (strcmp(fmt, "svg") == 0 || strcmp(fmt, "png") == 0 || strcmp(fmt, "pdf") == 0 || strcmp(fmt, "dot") == 0);
}

const char *ex_diagram_format_of(const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}

static void defaults(Agraph_t *g, int large)
{
	static const char *const graph_attrs[][2] = {
		{ "charset", "UTF-8" }, { "fontname", FONT }, { "fontsize", "12" }, { "bgcolor", "white" },
		{ "pad", "0.3" }, { "labelloc", "t" }, { "labeljust", "l" },
	};
	for (size_t i = 0; i < sizeof graph_attrs / sizeof graph_attrs[0]; i++)
		agattr(g, AGRAPH, (char *)graph_attrs[i][0], (char *)graph_attrs[i][1]);
	agattr(g, AGRAPH, (char *)"label", (char *)"");
	agattr(g, AGRAPH, (char *)"style", (char *)"");
	agattr(g, AGRAPH, (char *)"rank", (char *)"");
	if (large) {
		set(g, "layout", "sfdp");
		set(g, "overlap", "prism");
		set(g, "splines", "false");
		set(g, "outputorder", "edgesfirst");
	} else {
		set(g, "layout", "dot");
		set(g, "rankdir", "LR");
		set(g, "nodesep", "0.3");
		set(g, "ranksep", "0.45");
	}
	agattr(g, AGNODE, (char *)"fontname", (char *)FONT);
	agattr(g, AGNODE, (char *)"fontsize", (char *)(large ? "9" : "11"));
	agattr(g, AGNODE, (char *)"margin", (char *)"0.12,0.05");
	agattr(g, AGNODE, (char *)"penwidth", (char *)"1.2");
	agattr(g, AGNODE, (char *)"label", (char *)"");
	agattr(g, AGNODE, (char *)"peripheries", (char *)"1");
	agattr(g, AGEDGE, (char *)"fontname", (char *)FONT);
	agattr(g, AGEDGE, (char *)"fontsize", (char *)"10");
	agattr(g, AGEDGE, (char *)"arrowsize", (char *)"0.7");
	agattr(g, AGEDGE, (char *)"label", (char *)"");
}

/* Replaces Graphviz's version comment so output does not depend on it. */
static void svg_fixup(char *p, size_t *len)
{
	static const char mark[] = "<!-- Generated by graphviz";
	static const char ours[] = "<!-- Generated by sanctgraph -->";
	char *s = memmem(p, *len, mark, sizeof mark - 1), *e;
	if (!s || !(e = memmem(s, *len - (size_t)(s - p), "-->", 3)))
		return;
	e += 3;
	if ((size_t)(e - s) < sizeof ours - 1)
		return;
	memcpy(s, ours, sizeof ours - 1);
	memmove(s + sizeof ours - 1, e, *len - (size_t)(e - p));
	*len -= (size_t)(e - s) - (sizeof ours - 1);
	p[*len] = 0;
}

/* Cairo stamps a PDF with the time it was made; the stamp is replaced, in
 * place and at the same length (the cross-reference offsets stay right),
 * by the epoch, so the same figure gives the same bytes. */
static void pdf_fixup(char *p, size_t len)
{
	static const char *const keys[] = { "/CreationDate (", "/ModDate (" };
	static const char epoch[] = "D:19700101000000Z";
	for (size_t k = 0; k < 2; k++) {
		char *s = memmem(p, len, keys[k], strlen(keys[k])), *e;
		if (!s)
			continue;
		s += strlen(keys[k]);
		e = memchr(s, ')', len - (size_t)(s - p));
		if (e && (size_t)(e - s) == sizeof epoch - 1)
			memcpy(s, epoch, sizeof epoch - 1);
	}
}

int ex_diagram_render(gr_txn *txn, const ex_subgraph *sg, const char *fmt, const ex_diagram_opts *opts,
    char **out, size_t *len, ex_diagram_info *info, gr_error *err)
{
	builder bd = { 0 };
	GVC_t *gvc = NULL;
	char *data = NULL, *copy;
	unsigned int dlen = 0;
	size_t large_n = opts && opts->large_nodes ? opts->large_nodes : EX_LARGE_NODES;
	size_t large_e = opts && opts->large_edges ? opts->large_edges : EX_LARGE_EDGES;
	Agdisc_t disc;
	agusererrf old_errf;
	agerrlevel_t old_level;
	int laid_out = 0, rc = GR_OK;
	char why[300];

	*out = NULL;
	*len = 0;
	if (!ex_diagram_format_ok(fmt))
		return gr_fail(err, GR_EUSAGE, "unknown format '%s' (use svg, png, pdf or dot)", fmt ? fmt : "");
	if (!sg->sg_nnodes)
		return gr_fail(err, GR_EINVALID, "nothing to draw: the selection has no nodes");
	if (ex_gv_load(why, sizeof why) != 0)
		return gr_fail(err, GR_EIO, "%s", why);
	disc.mem = &AgMemDisc;
	disc.id = &seq_ids;
	disc.io = &AgIoDisc;
	old_errf = agseterrf(gv_error);
	old_level = agseterr(AGERR);
	gv_message[0] = 0;
	bd.bd_txn = txn;
	bd.bd_sg = sg;
	bd.bd_opts = opts;
	bd.bd_large = sg->sg_nnodes > large_n || sg->sg_nedges > large_e;
	bd.bd_numbers = !bd.bd_large && sg->sg_nsources <= KEY_MAX;
	if (!(bd.bd_agn = calloc(sg->sg_nnodes, sizeof *bd.bd_agn)) || !(bd.bd_style = calloc(sg->sg_nnodes, sizeof *bd.bd_style)) ||
	    !(bd.bd_g = agopen((char *)"sanctgraph", Agdirected, &disc)))
		goto nomem;
	defaults(bd.bd_g, bd.bd_large);
	if (add_nodes(&bd) || (!bd.bd_large && add_clusters(&bd)) || add_edges(&bd) ||
	    (!bd.bd_large && add_time_order(&bd)) || add_legend(&bd) || (!(opts && opts->for_report) && add_title(&bd)))
		goto nomem;
	if (strcmp(fmt, "dot") == 0) {
		size_t mlen = 0;
		FILE *f = open_memstream(&data, &mlen);
		if (!f)
			goto nomem;
		if (agwrite(bd.bd_g, f) != 0) {
			fclose(f);
			free(data);
			data = NULL;
			rc = gr_fail(err, GR_EIO, "graphviz cannot write the graph%s%s", gv_message[0] ? ": " : "", gv_message);
			goto fail;
		}
		if (fclose(f) != 0 || !data)
			goto nomem;
		*out = data;
		*len = mlen;
		data = NULL;
	} else {
		if (!(gvc = gvc_get()))
			goto nomem;
		if (gvLayout(gvc, bd.bd_g, bd.bd_large ? "sfdp" : "dot") != 0) {
			rc = gr_fail(err, GR_EIO, "graphviz layout failed%s%s", gv_message[0] ? ": " : "", gv_message);
			goto fail;
		}
		laid_out = 1;
		if (gvRenderData(gvc, bd.bd_g, fmt, &data, &dlen) != 0 || !data) {
			rc = gr_fail(err, GR_EIO, "graphviz cannot render %s%s%s", fmt, gv_message[0] ? ": " : "", gv_message);
			goto fail;
		}
		if (!(copy = malloc((size_t)dlen + 1)))
			goto nomem;
		memcpy(copy, data, dlen);
		copy[dlen] = 0;
		*len = dlen;
		if (strcmp(fmt, "svg") == 0)
			svg_fixup(copy, len);
		else if (strcmp(fmt, "pdf") == 0)
			pdf_fixup(copy, *len);
		*out = copy;
	}
	if (info) {
		memset(info, 0, sizeof *info);
		info->di_large = bd.bd_large;
		info->di_nodes = bd.bd_drawn_nodes;
		info->di_edges = sg->sg_nedges;
		info->di_drawn_edges = bd.bd_drawn_edges;
		info->di_collapsed = bd.bd_collapsed;
		info->di_sources = sg->sg_nsources;
	}
	goto fail;
nomem:
	rc = gr_fail(err, GR_ENOMEM, "out of memory");
fail:
	if (gvc) {
		if (data)
			gvFreeRenderData(data);
		if (laid_out)
			gvFreeLayout(gvc, bd.bd_g);
	} else {
		free(data);
	}
	if (bd.bd_g)
		agclose(bd.bd_g);
	free(bd.bd_agn);
	free(bd.bd_style);
	gr_buf_free(&bd.bd_b);
	gr_buf_free(&bd.bd_t);
	agseterr(old_level);
	agseterrf(old_errf);
	return rc;
}

int ex_write_file(const char *path, const void *bytes, size_t len, gr_error *err)
{
	size_t plen = strlen(path);
	char *tmp = malloc(plen + 8);
	mode_t mask;
	int fd = -1, rc = GR_OK;
	FILE *f = NULL;
	if (!tmp)
		return gr_fail(err, GR_ENOMEM, "out of memory");
	memcpy(tmp, path, plen);
	memcpy(tmp + plen, ".XXXXXX", 8);
	if ((fd = mkstemp(tmp)) < 0) {
		rc = gr_fail(err, GR_EIO, "cannot write %s: %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "wb"))) {
		rc = gr_fail(err, GR_EIO, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	fd = -1;
	if ((len && fwrite(bytes, 1, len, f) != len) || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = gr_fail(err, GR_EIO, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	if (fclose(f) != 0) {
		f = NULL;
		rc = gr_fail(err, GR_EIO, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		rc = gr_fail(err, GR_EIO, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return GR_OK;
fail:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
}

int ex_diagram_write(gr_txn *txn, const ex_subgraph *sg, const char *path, const char *fmt,
    const ex_diagram_opts *opts, ex_diagram_info *info, gr_error *err)
{
	char *data;
	size_t len;
	int rc;
	if (!fmt)
		fmt = ex_diagram_format_of(path);
	if ((rc = ex_diagram_render(txn, sg, fmt, opts, &data, &len, info, err)) != GR_OK)
		return rc;
	rc = ex_write_file(path, data, len, err);
	free(data);
	return rc;
}

int ex_diagram_all(gr_txn *txn, const char *path, const char *format, const char *title, gr_error *err)
{
	ex_subgraph sg;
	ex_diagram_opts opts = { .title = title };
	int rc;
	ex_subgraph_init(&sg);
	if ((rc = ex_subgraph_all(txn, &sg, err)) == GR_OK && (rc = ex_subgraph_load(txn, &sg, err)) == GR_OK)
		rc = ex_diagram_write(txn, &sg, path, format, &opts, NULL, err);
	ex_subgraph_free(&sg);
	return rc;
}
