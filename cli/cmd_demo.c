/*
 * cmd_demo.c: the built-in reference case (Lady R, April 2024), loaded in
 * one transaction, the chain question answered, and the diagram written.
 *
 * Facts: The Yomiuri Shimbun's analysis of 9 June 2024, OFAC's SDN list of
 * 2024-05-03 (entry 37095) and the World Port Index (ports 60725, 60510);
 * see ../shared/case-lady-r.md.  Each claim cites the sources that carry it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../graph/claim.h"
#include "../export/diagram.h"
#include "../graph/cypher/cypher.h"
#include "../export/report.h"

/* A node: label, key, then "prop=value" strings (typed as on the command
 * line); a citation list "source:confidence,...". */
typedef struct demo_node {
	const char *label, *key;
	const char *props[8];
	const char *cites;
} demo_node;

typedef struct demo_edge {
	const char *from, *type, *to;
	const char *props[4];
	const char *cites;
} demo_edge;

static const demo_node demo_nodes[] = {
	{ "Source", "planet-2024-04-02", { "title=PlanetScope image of Vostochny port, 2 April 2024", "publisher=Planet Labs PBC", "kind=satellite-imagery", "date=2024-04-02" }, NULL },
	{ "Source", "planet-2024-04-03", { "title=PlanetScope image of Vostochny port, 3 April 2024", "publisher=Planet Labs PBC", "kind=satellite-imagery", "date=2024-04-03" }, NULL },
	{ "Source", "planet-2024-04-14", { "title=PlanetScope image of Rajin port, 14 April 2024", "publisher=Planet Labs PBC", "kind=satellite-imagery", "date=2024-04-14" }, NULL },
	{ "Source", "marinetraffic-ladyr-2024-04", { "title=AIS position history of LADY R, April 2024 (no transmissions)", "publisher=MarineTraffic", "kind=ais" }, NULL },
	{ "Source", "yomiuri-2024-06-09", { "title=Russian Cargo Ship Possibly Docked at North Korean Port", "publisher=The Yomiuri Shimbun", "kind=media", "date=2024-06-09" }, NULL },
	{ "Source", "imo-ship-images", { "title=Ship images published by the International Maritime Organization, used for identification", "publisher=International Maritime Organization", "kind=registry" }, NULL },
	{ "Source", "ofac-sdn-2024-05-03", { "title=Specially Designated Nationals list, entry 37095", "publisher=U.S. Treasury, Office of Foreign Assets Control", "kind=sanctions-list", "date=2024-05-03", "url=https://www.treasury.gov/ofac/downloads/sdn.csv" }, NULL },
	{ "Vessel", "IMO9161003", { "name=LADY R", "imo=\"9161003\"", "flag=RU", "type=ro-ro cargo", "gross_tonnage=7260" }, "ofac-sdn-2024-05-03:confirmed,imo-ship-images:probable" },
	{ "Port", "RUVYP", { "name=Vostochny", "locode=RUVYP", "country=RU", "lat=42.75", "lon=133.083333", "wpi=60725", "aliases=[\"Vostochnyy Port\"]" }, NULL },
	{ "Port", "KPRJN", { "name=Rajin", "locode=KPRJN", "country=KP", "lat=42.233333", "lon=130.3", "wpi=60510", "aliases=[\"Najin\"]" }, NULL },
	{ "Port", "KP-UNIDENTIFIED", { "name=North Korea (port not identified)", "country=KP" }, NULL },
	{ "Company", "TRANSMORFLOT-LLC", { "name=TRANSMORFLOT LLC", "country=RU" }, "ofac-sdn-2024-05-03:confirmed" },
	{ "Sanction", "RUSSIA-EO14024", { "authority=OFAC", "program=RUSSIA-EO14024" }, "ofac-sdn-2024-05-03:confirmed" },
	{ "Vessel", "KP-TANKERS-2024-04", { "name=North Korean oil tankers (unnamed)", "flag=KP", "type=tanker", "note=several vessels, not identified in the report" }, "yomiuri-2024-06-09:possible" },
	{ "Cargo", "ladyr-munitions-2024-04", { "kind=weapons and ammunition", "status=suspected", "note=would violate UN Security Council resolutions on North Korea" }, "yomiuri-2024-06-09:suspected" },
	{ "Cargo", "kp-refined-petroleum-2024-04", { "kind=refined petroleum products", "status=suspected", "note=against the UN Security Council cap on such imports" }, "yomiuri-2024-06-09:suspected" },
};

static const demo_edge demo_edges[] = {
	{ "Vessel:IMO9161003", "SIGHTED_AT", "Port:RUVYP", { "date=2024-04-02", "note=anchored at a pier with piles of containers" }, "planet-2024-04-02:probable,yomiuri-2024-06-09:probable,imo-ship-images:possible" },
	{ "Vessel:IMO9161003", "SIGHTED_AT", "Port:RUVYP", { "date=2024-04-03" }, "planet-2024-04-03:probable,yomiuri-2024-06-09:probable" },
	{ "Vessel:IMO9161003", "AIS_GAP", "Port:KPRJN", { "start=2024-04-03", "end=2024-04-14", "hours=264" }, "marinetraffic-ladyr-2024-04:probable,yomiuri-2024-06-09:probable" },
	{ "Vessel:IMO9161003", "SIGHTED_AT", "Port:KPRJN", { "date=2024-04-14", "note=docked" }, "planet-2024-04-14:probable,yomiuri-2024-06-09:probable" },
	{ "Vessel:IMO9161003", "CARRIED", "Cargo:ladyr-munitions-2024-04", { "date=2024-04-14" }, "yomiuri-2024-06-09:suspected" },
	{ "Cargo:ladyr-munitions-2024-04", "LOADED_AT", "Port:KPRJN", { "date=2024-04-14" }, "yomiuri-2024-06-09:suspected" },
	{ "Vessel:IMO9161003", "SANCTIONED_UNDER", "Sanction:RUSSIA-EO14024", { "listed=2024-05-03" }, "ofac-sdn-2024-05-03:confirmed" },
	{ "Vessel:IMO9161003", "LINKED_TO", "Company:TRANSMORFLOT-LLC", { NULL }, "ofac-sdn-2024-05-03:confirmed" },
	{ "Vessel:KP-TANKERS-2024-04", "CALLED_AT", "Port:RUVYP", { "start=2024-04-01", "end=2024-04-30", "date_precision=month" }, "yomiuri-2024-06-09:possible" },
	{ "Vessel:KP-TANKERS-2024-04", "CARRIED", "Cargo:kp-refined-petroleum-2024-04", { NULL }, "yomiuri-2024-06-09:suspected" },
	{ "Cargo:kp-refined-petroleum-2024-04", "LOADED_AT", "Port:RUVYP", { "start=2024-04-01", "end=2024-04-30" }, "yomiuri-2024-06-09:suspected" },
	{ "Cargo:kp-refined-petroleum-2024-04", "DELIVERED_TO", "Port:KP-UNIDENTIFIED", { NULL }, "yomiuri-2024-06-09:suspected" },
};

/* Parses "key:conf,key:conf" into citations. */
static int demo_cites(gr_txn *t, const char *spec, gr_cite **c, size_t *nc, gr_error *err)
{
	char buf[512], *save, *tok;
	uint16_t source;
	if (!spec)
		return GR_OK;
	if (gr_sym(t, "Source", 6, 1, &source) != GR_OK)
		return gr_fail(err, GR_EIO, "cannot intern Source");
	snprintf(buf, sizeof buf, "%s", spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strrchr(tok, ':');
		uint32_t sid;
		*colon = 0;
		if (gr_node_by_key(t, source, tok, strlen(tok), &sid) != GR_OK)
			return gr_fail(err, GR_ENOTFOUND, "demo: unknown source %s", tok);
		if (gr_cites_add(c, nc, sid, (uint8_t)gr_confidence_parse(colon + 1)))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

static int demo_props(gr_txn *t, const char *const *props, size_t max, gr_prop **p, size_t *np, gr_error *err)
{
	for (size_t i = 0; i < max && props[i]; i++) {
		char *name;
		gr_value v;
		uint16_t key;
		if (cli_parse_prop(props[i], &name, &v) != 0)
			return gr_fail(err, GR_EINVALID, "demo: bad property %s", props[i]);
		int rc = gr_sym(t, name, strlen(name), 1, &key);
		free(name);
		if (rc != GR_OK || gr_props_set(p, np, key, v) != GR_OK)
			return gr_fail(err, GR_EIO, "demo: cannot set %s", props[i]);
	}
	return GR_OK;
}

static int demo_load(gr_txn *t, void *arg, gr_error *err)
{
	int rc = GR_OK;
	(void)arg;
	for (size_t i = 0; i < sizeof demo_nodes / sizeof demo_nodes[0] && rc == GR_OK; i++) {
		const demo_node *d = &demo_nodes[i];
		gr_node n;
		uint16_t label;
		uint32_t existing;
		gr_node_init(&n);
		if ((rc = gr_sym(t, d->label, strlen(d->label), 1, &label)) != GR_OK)
			break;
		if (gr_node_by_key(t, label, d->key, strlen(d->key), &existing) == GR_OK) {
			rc = gr_node_load(t, existing, &n, err);   /* demo run twice: update */
		} else {
			n.n_labels = malloc(sizeof *n.n_labels);
			n.n_key = strdup(d->key);
			if (!n.n_labels || !n.n_key)
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
			else {
				n.n_labels[0] = label;
				n.n_nlabels = 1;
				n.n_keylen = strlen(d->key);
			}
		}
		if (rc == GR_OK)
			rc = demo_props(t, d->props, 8, &n.n_props, &n.n_nprops, err);
		if (rc == GR_OK)
			rc = demo_cites(t, d->cites, &n.n_cites, &n.n_ncites, err);
		if (rc == GR_OK)
			rc = gr_node_save(t, &n, err);
		gr_node_clear(&n);
	}
	for (size_t i = 0; i < sizeof demo_edges / sizeof demo_edges[0] && rc == GR_OK; i++) {
		const demo_edge *d = &demo_edges[i];
		gr_edge e;
		gr_edge_init(&e);
		if ((rc = gr_resolve(t, d->from, &e.e_src, err)) == GR_OK &&
		    (rc = gr_resolve(t, d->to, &e.e_dst, err)) == GR_OK &&
		    (rc = gr_sym(t, d->type, strlen(d->type), 1, &e.e_type)) == GR_OK &&
		    (rc = demo_props(t, d->props, 4, &e.e_props, &e.e_nprops, err)) == GR_OK &&
		    (rc = demo_cites(t, d->cites, &e.e_cites, &e.e_ncites, err)) == GR_OK)
			rc = gr_claim_say(t, &e, 0, 0, NULL, err);   /* demo run twice: the same claims */
		gr_edge_clear(&e);
	}
	return rc;
}

/* The demo's question, in openCypher (tests/query/lady-r-chain.cypher
 * holds the same query and its expected rows). */
static const char demo_question[] =
"MATCH (v:Vessel)-[a:SIGHTED_AT|CALLED_AT]->(ru:Port {country: 'RU'}),\n"
"      (v)-[b:SIGHTED_AT|CALLED_AT]->(kp:Port {country: 'KP'})\n"
"WHERE coalesce(b.date, b.start) >= coalesce(a.date, a.end)\n"
"  AND coalesce(b.date, b.start) <= coalesce(a.date, a.end) + duration('P30D')\n"
"RETURN v.name AS vessel, ru.name AS ru_port, coalesce(a.date, a.start) AS seen_ru,\n"
"       kp.name AS kp_port, coalesce(b.date, b.start) AS seen_kp,\n"
"       duration.inDays(coalesce(a.date, a.end), coalesce(b.date, b.start)).days AS days,\n"
"       [s IN sources(a) | s.key] AS ru_sources, [s IN sources(b) | s.key] AS kp_sources\n"
"ORDER BY seen_ru, seen_kp\n";

/* The report's name beside the diagram: lady-r.svg -> lady-r.html. */
static char *report_name(const char *out)
{
	const char *dot = strrchr(out, '.'), *slash = strrchr(out, '/');
	size_t stem = dot && (!slash || dot > slash) ? (size_t)(dot - out) : strlen(out);
	char *s = malloc(stem + 6);
	if (s) {
		memcpy(s, out, stem);
		memcpy(s + stem, ".html", 6);
	}
	return s;
}

/* Writes the styled diagram of the whole case and its HTML report. */
static int demo_figures(gr_txn *t, const char *out, const char *html, gr_error *err)
{
	static const char title[] = "Lady R, April 2024";
	static const char sub[] = "Vostochny (Russia) to Rajin (North Korea) while dark on AIS";
	ex_subgraph sg;
	ex_diagram_opts dopts = { .title = title, .subtitle = sub };
	ex_report_opts ropts = { .title = title, .selection = "The built-in reference case: the whole demo database" };
	int rc;
	ex_subgraph_init(&sg);
	if ((rc = ex_subgraph_all(t, &sg, err)) == GR_OK && (rc = ex_subgraph_load(t, &sg, err)) == GR_OK &&
	    (rc = ex_diagram_write(t, &sg, out, NULL, &dopts, NULL, err)) == GR_OK)
		rc = ex_report_write(t, &sg, html, &ropts, NULL, err);
	ex_subgraph_free(&sg);
	return rc;
}

/* Whether `path` can be written: its directory exists and is writable,
 * and it is not itself a directory.  Checked before the case is loaded,
 * so that a wrong -o leaves the database as it was.  Prints the error. */
static int writable_output(cli *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	struct stat st;
	int ok = 0;
	if (!dir) {
		cli_error(c, "out of memory");
		return 0;
	}
	if (stat(dir, &st) != 0)
		cli_error(c, "cannot write %s: directory %s: %s", path, dir, strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		cli_error(c, "cannot write %s: %s is not a directory", path, dir);
	else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		cli_error(c, "cannot write %s: it is a directory", path);
	else
		ok = 1;
	if (ok) {
		/* creating a file there is the only sure test (root passes
		 * access(), read-only mounts and /proc do not take files) */
		char *probe = NULL;
		int fd = -1;
		if (asprintf(&probe, "%s/.sanctgraph-probe-XXXXXX", dir) < 0 || (fd = mkstemp(probe)) < 0) {
			cli_error(c, "cannot write %s: directory %s: %s", path, dir, probe ? strerror(errno) : "out of memory");
			ok = 0;
		} else {
			close(fd);
			unlink(probe);
		}
		free(probe);
	}
	free(dir);
	return ok;
}

int cmd_demo(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph demo [-o FILE]\n"
	"\n"
	"Loads the built-in Lady R case (April 2024: a Russian cargo ship seen at\n"
	"Vostochny, dark on AIS, then seen at Rajin in North Korea; North Korean\n"
	"tankers loading refined petroleum at Vostochny) with every source, prints\n"
	"which vessels were seen at a Russian port and then a North Korean port\n"
	"within 30 days and on what sources, and writes the diagram (default\n"
	"lady-r.svg; the format follows the extension: svg, png, pdf, dot) and,\n"
	"beside it, the HTML evidence report (lady-r.html).\n";
	const char *out = "lady-r.svg";
	char *html;
	gr_error err = { 0 };
	gr_txn *t;
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else
			return cli_usage(c, "unexpected argument '%s'", argv[i]);
	}
	if (!ex_diagram_format_ok(ex_diagram_format_of(out))) {
		cli_error(c, "cannot tell the diagram format of %s: name it .svg, .png, .pdf or .dot", out);
		return EXIT_ERR;
	}
	if (!writable_output(c, out))
		return EXIT_ERR;
	if (cli_open(c, 1))
		return EXIT_ERR;
	if ((rc = gr_write(c->db, demo_load, NULL, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	if (gr_begin(c->db, 0, &t, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	printf("loaded the Lady R case into %s\n\n", c->db_dir);
	printf("Which vessel was seen at a Russian port and then at a North Korean port\n"
	    "within 30 days, and on what sources?\n\n%s\n", demo_question);
	fflush(stdout);
	{
		cy_error qerr;
		if (cy_query_print(c->db, demo_question, stdout, CY_FMT_TABLE, &qerr) != CY_OK) {
			gr_abort(t);
			cli_error(c, "%s", qerr.message);
			return EXIT_ERR;
		}
		putchar('\n');
	}
	if (!(html = report_name(out))) {
		gr_abort(t);
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	rc = demo_figures(t, out, html, &err);
	gr_abort(t);
	if (rc != GR_OK) {
		cli_error(c, "%s", err.msg);
		free(html);
		return EXIT_ERR;
	}
	printf("diagram written to %s\nreport written to %s\n", out, html);
	free(html);
	return EXIT_OK;
}
