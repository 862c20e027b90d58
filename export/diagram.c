/*
 * diagram.c: a plain relationship diagram of the whole graph through
 * libcgraph and libgvc: one box per node (label and name), one arrow per
 * relationship (type and date).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include "diagram.h"

/* Graphviz treats backslash escapes in labels specially: double them. */
static void label_escape(char *out, size_t n, const char *s)
{
	size_t j = 0;
	for (; *s && j + 2 < n; s++) {
		if (*s == '\\')
			out[j++] = '\\';
		out[j++] = *s;
	}
	out[j] = 0;
}

static const char *format_of(const char *path, const char *format)
{
	const char *dot = strrchr(path, '.');
	if (format)
		return format;
	return dot ? dot + 1 : "";
}

int ex_diagram_all(gr_txn *t, const char *path, const char *format, const char *title, gr_error *err)
{
	const char *fmt = format_of(path, format);
	GVC_t *gvc;
	Agraph_t *g;
	Agnode_t **nodes = NULL;
	uint32_t id = 0, maxid = 0;
	const void *rec;
	size_t len;
	char tmp[4096], buf[1200], esc[2400];
	uint16_t name = gr_sym_cached(t, "name");
	int rc = GR_OK;

	if (strcmp(fmt, "svg") && strcmp(fmt, "png") && strcmp(fmt, "pdf") && strcmp(fmt, "dot"))
		return gr_fail(err, GR_EUSAGE, "unknown diagram format '%s' (use svg, png, pdf or dot)", fmt);
	gvc = gvContext();
	g = agopen((char *)"sanctgraph", Agdirected, NULL);
	agattr(g, AGRAPH, (char *)"rankdir", (char *)"LR");
	agattr(g, AGRAPH, (char *)"label", (char *)(title ? title : ""));
	agattr(g, AGRAPH, (char *)"labelloc", (char *)"t");
	agattr(g, AGNODE, (char *)"shape", (char *)"box");
	agattr(g, AGNODE, (char *)"fontname", (char *)"Helvetica");
	agattr(g, AGEDGE, (char *)"fontname", (char *)"Helvetica");
	agattr(g, AGEDGE, (char *)"fontsize", (char *)"10");
	agattr(g, AGEDGE, (char *)"label", (char *)"");
	agattr(g, AGNODE, (char *)"label", (char *)"\\N");
	while (st_node_next(gr_store_txn(t), &id, &rec, &len) == ST_OK)
		maxid = id;
	if (!(nodes = calloc((size_t)maxid + 1, sizeof *nodes))) {
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
		goto done;
	}
	id = 0;
	while (st_node_next(gr_store_txn(t), &id, &rec, &len) == ST_OK) {
		char ref[600], nm[16];
		gr_value v = gr_null();
		uint16_t labels[1];
		size_t nl = 0;
		gr_node_ref(t, id, ref, sizeof ref);
		gr_node_labels(t, id, labels, 1, &nl);
		if (name)
			gr_node_prop(t, id, name, &v);
		snprintf(nm, sizeof nm, "n%u", id);
		nodes[id] = agnode(g, nm, 1);
		snprintf(buf, sizeof buf, "%s\n%s", nl ? gr_sym_name(t, labels[0], NULL) : "",
		    v.type == GR_STRING ? v.u.s.ptr : strchr(ref, ':') ? strchr(ref, ':') + 1 : ref);
		label_escape(esc, sizeof esc, buf);
		agset(nodes[id], (char *)"label", esc);
		gr_value_free(&v);
	}
	{
		st_adj_iter *it;
		st_adj a;
		uint32_t src = 0;
		if (st_adj_open(gr_store_txn(t), &it)) {
			rc = gr_fail(err, GR_EIO, "cannot read relationships");
			goto done;
		}
		while (st_adj_scan(it, &src, &a) == 1) {
			Agedge_t *e;
			char en[32];
			gr_value d = gr_null();
			uint16_t date = 0;
			char ds[64] = "";
			if (src > maxid || a.a_nbr > maxid || !nodes[src] || !nodes[a.a_nbr])
				continue;
			snprintf(en, sizeof en, "e%u", a.a_edge);
			e = agedge(g, nodes[src], nodes[a.a_nbr], en, 1);
			if (gr_sym(t, "date", 4, 0, &date) == GR_OK && gr_edge_prop(t, a.a_edge, date, &d) == GR_OK && d.type == GR_DATE)
				gr_format_date(d.u.date, ds);
			else if (gr_sym(t, "start", 5, 0, &date) == GR_OK && gr_edge_prop(t, a.a_edge, date, &d) == GR_OK && d.type == GR_DATE)
				gr_format_date(d.u.date, ds);
			gr_value_free(&d);
			snprintf(buf, sizeof buf, "%s%s%s", gr_sym_name(t, a.a_type, NULL), ds[0] ? "\n" : "", ds);
			label_escape(esc, sizeof esc, buf);
			agset(e, (char *)"label", esc);
		}
		st_adj_close(it);
	}
	snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
	if (gvLayout(gvc, g, "dot") != 0) {
		rc = gr_fail(err, GR_EIO, "graphviz layout failed");
		goto done;
	}
	if (gvRenderFilename(gvc, g, fmt, tmp) != 0) {
		gvFreeLayout(gvc, g);
		unlink(tmp);
		rc = gr_fail(err, GR_EIO, "cannot render %s to %s", fmt, path);
		goto done;
	}
	gvFreeLayout(gvc, g);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		rc = gr_fail(err, GR_EIO, "cannot write %s", path);
	}
done:
	free(nodes);
	agclose(g);
	gvFreeContext(gvc);
	return rc;
}
