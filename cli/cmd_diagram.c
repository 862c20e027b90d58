/*
 * cmd_diagram.c: the commands that draw: `diagram` (a relationship diagram
 * through Graphviz, in SVG, PNG, PDF or DOT) and `report` (one
 * self-contained HTML file with the diagram, a timeline, the claims and
 * their sources).  Both show the whole graph, the neighbourhood of one
 * node (--around REF --hops N) or what a Cypher query returns (--query).
 */
#define _GNU_SOURCE   /* open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../export/diagram.h"
#include "../export/report.h"
#include "../export/subgraph.h"
#include "../graph/cypher/cypher.h"
#include "../export/redact.h"
#include "../ingest/reader.h"

static const char diagram_help[] =
"usage: sanctgraph diagram [--query CYPHER | --around REF [--hops N]]\n"
"                          [--format svg|png|pdf|dot] [--title TEXT]\n"
"                          [--include-confidential] -o FILE\n"
"\n"
"Draws entities and the claims between them through Graphviz: a shape and\n"
"colour per label, sanctioned entities in red with a double border, ports\n"
"grouped by country, edge style by confidence (solid confirmed, dashed\n"
"probable, dotted possible, amber dotted \"?\" suspected, thin grey uncited),\n"
"dates and source numbers on the edges, AIS dark periods drawn apart, and a\n"
"legend listing what the figure uses and its sources.\n"
"\n"
"  (no selection)      the whole database\n"
"  --around REF        REF (Label:key or key) and everything within N hops\n"
"  --hops N            hops for --around (default 1)\n"
"  --query CYPHER      the nodes, relationships and paths the query returns\n"
"  --param NAME=VALUE  a query parameter (repeatable)\n"
"  --format F          svg, png, pdf or dot (default: from the extension)\n"
"  --title TEXT        the figure's title\n"
"  --include-confidential\n"
"                      name confidential sources (confidential: true) as\n"
"                      they are; by default each shows as \"confidential\n"
"                      source (publisher withheld)\", without title,\n"
"                      publisher, URL or SHA-256\n"
"  -o FILE             where to write (- for standard output)\n"
"\n"
"More than 500 entities or 1,500 relationships are laid out force-directed\n"
"(sfdp), with parallel relationships of one type collapsed into one counted\n"
"edge.  The same data and options give byte-identical SVG.\n";

static const char report_help[] =
"usage: sanctgraph report [--query CYPHER | --around REF [--hops N]]\n"
"                         [--title TEXT] [--include-confidential] -o FILE.html\n"
"\n"
"Writes one self-contained HTML file (nothing loaded from elsewhere): a\n"
"summary, the diagram as inline SVG, a timeline of dated claims, a table of\n"
"every claim shown with numbered citations, and the list of sources\n"
"(publisher, kind, date, URL, SHA-256).  It prints cleanly on A4.\n"
"\n"
"  (no selection)      the whole database\n"
"  --around REF        REF (Label:key or key) and everything within N hops\n"
"  --hops N            hops for --around (default 1)\n"
"  --query CYPHER      the nodes, relationships and paths the query returns\n"
"  --param NAME=VALUE  a query parameter (repeatable)\n"
"  --title TEXT        the report's title\n"
"  --include-confidential\n"
"                      name confidential sources (confidential: true) as\n"
"                      they are; by default each is listed as\n"
"                      \"confidential source (publisher withheld)\", still\n"
"                      numbered and counted, without title, publisher, URL\n"
"                      or SHA-256\n"
"  -o FILE             where to write (- for standard output)\n";

typedef struct draw_args {
	const char *query, *around, *format, *title, *out;
	unsigned hops;
	char **params;
	size_t nparams;
} draw_args;

/* Parses the options both commands share; report: no --format. */
static int parse_args(cli *c, int argc, char **argv, int report, draw_args *a)
{
	memset(a, 0, sizeof *a);
	a->hops = 1;
	if (!(a->params = calloc((size_t)argc, sizeof *a->params)))
		return cli_error(c, "out of memory"), EXIT_ERR;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char **slot = NULL;
		if (strcmp(o, "--query") == 0)
			slot = &a->query;
		else if (strcmp(o, "--around") == 0)
			slot = &a->around;
		else if (strcmp(o, "--format") == 0 && !report)
			slot = &a->format;
		else if (strcmp(o, "--title") == 0)
			slot = &a->title;
		else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0)
			slot = &a->out;
		if (slot) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s needs a value", o);
			*slot = argv[++i];
		} else if (strcmp(o, "--hops") == 0) {
			char *end;
			long h;
			if (i + 1 >= argc)
				return cli_usage(c, "--hops needs a number");
			errno = 0;
			h = strtol(argv[++i], &end, 10);
			if (errno || *end || end == argv[i] || h < 0 || h > 1000)
				return cli_usage(c, "--hops wants a whole number from 0 to 1000, not '%s'", argv[i]);
			a->hops = (unsigned)h;
		} else if (strcmp(o, "--include-confidential") == 0) {
			ex_set_include_confidential(1);
		} else if (strcmp(o, "--param") == 0) {
			if (i + 1 >= argc || !strchr(argv[i + 1], '='))
				return cli_usage(c, "--param wants NAME=VALUE");
			a->params[a->nparams++] = argv[++i];
		} else {
			return cli_usage(c, o[0] == '-' && o[1] ? "unknown option %s" : "unexpected argument '%s'", o);
		}
	}
	if (a->query && a->around)
		return cli_usage(c, "--query and --around cannot be used together");
	if (a->nparams && !a->query)
		return cli_usage(c, "--param goes with --query");
	if (!a->out)
		return cli_usage(c, "-o FILE is required");
	return EXIT_OK;
}

/* The directory of path exists and can be written: fail early, before the
 * layout work. */
static int check_writable(cli *c, const char *path)
{
	char *dir = strdup(path), *slash;
	int ok;
	if (!dir)
		return cli_error(c, "out of memory"), -1;
	slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	ok = access(slash ? dir : ".", W_OK | X_OK) == 0;
	if (!ok)
		cli_error(c, "cannot write %s: %s", path, strerror(errno));
	free(dir);
	return ok ? 0 : -1;
}

/* The query's selection (cli_query_subgraph, query_select.c). */
static int select_query(cli *c, const draw_args *a, gr_txn **t, ex_subgraph *sg)
{
	return cli_query_subgraph(c, a->query, a->params, a->nparams, t, sg);
}

/* Opens the database and fills sg (loaded) from the options; on success *t
 * is the read transaction the caller ends.  Sets the default title and the
 * selection line. */
static int select_subgraph(cli *c, const draw_args *a, gr_txn **t, ex_subgraph *sg, char *title, size_t tn,
    char *selection, size_t sn)
{
	gr_error err = { 0 };
	uint32_t root = 0;
	int rc;
	*t = NULL;
	if (cli_open(c, 0))
		return EXIT_ERR;
	if (a->query) {
		if ((rc = select_query(c, a, t, sg)) != EXIT_OK)
			goto fail;
		snprintf(title, tn, "Query result");
		snprintf(selection, sn, "query: %.*s%s", 160, a->query, strlen(a->query) > 160 ? "\xe2\x80\xa6" : "");
	} else {
		if (gr_begin(c->db, 0, t, &err) != GR_OK) {
			cli_error(c, "%s", err.msg);
			return EXIT_ERR;
		}
		if (a->around) {
			char ref[600];
			if (gr_resolve(*t, a->around, &root, &err) != GR_OK ||
			    ex_subgraph_around(*t, root, a->hops, sg, &err) != GR_OK)
				goto graph_fail;
			gr_node_ref(*t, root, ref, sizeof ref);
			snprintf(selection, sn, "%s and everything within %u hop%s", ref, a->hops, a->hops == 1 ? "" : "s");
		} else {
			if (ex_subgraph_all(*t, sg, &err) != GR_OK)
				goto graph_fail;
			snprintf(title, tn, "All entities");
			snprintf(selection, sn, "the whole database");
		}
	}
	if (ex_subgraph_load(*t, sg, &err) != GR_OK)
		goto graph_fail;
	if (root && ex_subgraph_node(sg, root))
		snprintf(title, tn, "%s", ex_node_name(sg, &ex_subgraph_node(sg, root)->xn));
	if (!sg->sg_nnodes) {
		cli_error(c, "nothing to draw: the selection has no nodes");
		rc = EXIT_ERR;
		goto fail;
	}
	return EXIT_OK;
graph_fail:
	cli_error(c, "%s", err.msg);
	rc = cli_status(err.code) == EXIT_OK ? EXIT_ERR : cli_status(err.code);
fail:
	if (*t)
		gr_abort(*t);
	*t = NULL;
	return rc;
}

static void say_large(cli *c, const ex_diagram_info *info)
{
	if (!info->di_large)
		return;
	fprintf(stderr, "sanctgraph: %s: large subgraph (%zu entities, %zu relationships): laid out with sfdp (force-directed)",
	    c->cmd, info->di_nodes, info->di_edges);
	if (info->di_collapsed)
		fprintf(stderr, "; %zu parallel relationships collapsed into counted edges", info->di_collapsed);
	fprintf(stderr, "; %zu edges drawn\n", info->di_drawn_edges);
}

static void say_written(const char *path, const char *fmt, const ex_diagram_info *info)
{
	printf("wrote %s (%s: %zu entit%s, %zu relationship%s, %zu source%s)\n", path, fmt,
	    info->di_nodes, info->di_nodes == 1 ? "y" : "ies", info->di_edges, info->di_edges == 1 ? "" : "s",
	    info->di_sources, info->di_sources == 1 ? "" : "s");
}

/* The format a diagram is drawn in: --format, or the output file's
 * extension (svg to standard output); NULL after saying why not. */
static const char *diagram_format(cli *c, const draw_args *a)
{
	const char *fmt = a->format ? a->format : strcmp(a->out, "-") == 0 ? "svg" : ex_diagram_format_of(a->out);
	if (ex_diagram_format_ok(fmt))
		return fmt;
	if (!*fmt)
		cli_error(c, "cannot tell the format of %s: give --format svg, png, pdf or dot", a->out);
	else
		cli_error(c, "unknown format '%s' (use svg, png, pdf or dot)", fmt);
	return NULL;
}

/* Renders the subgraph as the HTML report or a diagram in fmt into the
 * file out, or onto standard output for "-". */
static void render(gr_txn *t, const ex_subgraph *sg, int report, const char *out, const char *fmt,
    const char *title, const char *selection, ex_diagram_info *info, gr_error *err)
{
	ex_diagram_opts dopts = { .title = title, .subtitle = selection };
	ex_report_opts ropts = { .title = title, .selection = selection };
	char *data;
	size_t len;

	if (strcmp(out, "-") && report)
		ex_report_write(t, sg, out, &ropts, info, err);
	else if (strcmp(out, "-"))
		ex_diagram_write(t, sg, out, fmt, &dopts, info, err);
	else if ((report ? ex_report_render(t, sg, &ropts, &data, &len, info, err) :
	    ex_diagram_render(t, sg, fmt, &dopts, &data, &len, info, err)) == GR_OK) {
		if (fwrite(data, 1, len, stdout) != len)
			gr_fail(err, GR_EIO, "cannot write to standard output: %s", strerror(errno));
		free(data);
	}
}

/* diagram and report: the same selection and output, drawn as a diagram
 * or as the HTML report around one. */
static int draw_cmd(cli *c, int argc, char **argv, int report, const char *help)
{
	draw_args a;
	ex_subgraph sg;
	ex_diagram_info info;
	gr_error err = { 0 };
	gr_txn *t = NULL;
	char title[600], selection[700];
	const char *fmt = "html";
	int status;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	ex_subgraph_init(&sg);
	if ((status = parse_args(c, argc, argv, report, &a)) != EXIT_OK)
		goto done;
	if (!report && (fmt = diagram_format(c, &a)) == NULL) {
		status = EXIT_ERR;
		goto done;
	}
	if (strcmp(a.out, "-") && check_writable(c, a.out)) {
		status = EXIT_ERR;
		goto done;
	}
	if ((status = select_subgraph(c, &a, &t, &sg, title, sizeof title, selection, sizeof selection)) != EXIT_OK)
		goto done;
	render(t, &sg, report, a.out, fmt, a.title ? a.title : title, selection, &info, &err);
	if (err.code != GR_OK) {
		cli_error(c, "%s", err.msg);
		status = EXIT_ERR;
		goto done;
	}
	say_large(c, &info);
	if (strcmp(a.out, "-"))
		say_written(a.out, fmt, &info);
done:
	if (t)
		gr_abort(t);
	ex_subgraph_free(&sg);
	free(a.params);
	return status;
}

int cmd_diagram(cli *c, int argc, char **argv)
{
	return draw_cmd(c, argc, argv, 0, diagram_help);
}

int cmd_report(cli *c, int argc, char **argv)
{
	return draw_cmd(c, argc, argv, 1, report_help);
}
