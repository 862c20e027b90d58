/*
 * cmd_import.c: `import`: loads JSONL, neo4j-admin CSV, OFAC's SDN list or
 * the World Port Index in one transaction (ingest/ingest.h does the work);
 * prints progress on a terminal and a summary line on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "../ingest/ingest.h"

static const char import_help[] =
"usage: sanctgraph [--db DIR] import [FILE...] [--format F] [--skip-bad] [--publisher P]\n"
"                  [--nodes [Label=]FILE]... [--relationships [TYPE=]FILE]...\n"
"                  [--list-date DATE [--dry-run] [--force]]\n"
"\n"
"Loads files into the database in one transaction: all of them land, or\n"
"none does.  FILE \"-\" (or no FILE, with data piped in) is standard input.\n"
"Files compressed with gzip, zstd, bzip2 or xz are read as they are; a zip\n"
"archive is read member by member.\n"
"\n"
"options:\n"
"  --format F        jsonl (native, what `export` writes), csv (neo4j-admin\n"
"                    import CSV), ofac-sdn (OFAC's sdn.csv, with add.csv,\n"
"                    alt.csv and sdn_comments.csv in any order) or wpi (the\n"
"                    World Port Index); guessed from the content when not given\n"
"  --list-date DATE  ofac-sdn: the date of the list (required); a later list\n"
"                    refreshes the graph: entries that are gone get `delisted`\n"
"  --dry-run         write nothing; ofac-sdn: print what the list would add (+),\n"
"                    change (~) and delist (-)\n"
"  --force           ofac-sdn: import a list older than the newest one imported\n"
"  --nodes [Label[:Label]=]FILE\n"
"                    a CSV node file: header like key:ID(Vessel),name,:LABEL,\n"
"                    tonnage:int,aliases:string[]; the :ID is the node key\n"
"  --relationships [TYPE=]FILE\n"
"                    a CSV relationship file: :START_ID(Vessel),:END_ID(Port),\n"
"                    start:date,:TYPE; node files load first whatever the order\n"
"  --datasets FILE   with ftm: OpenSanctions' dataset index (index.json),\n"
"                    for the titles and publishers of the datasets' Sources\n"
"  --skip-bad        report each bad record (FILE:LINE) on stderr, skip it and\n"
"                    load the rest\n"
"\n"
"JSONL lines:\n"
"  {\"node\":\"Vessel\",\"key\":\"IMO9161003\",\"props\":{\"name\":\"LADY R\"},\n"
"   \"sources\":[{\"key\":\"planet-2024-04-14\",\"confidence\":\"probable\"}]}\n"
"  {\"edge\":\"SIGHTED_AT\",\"from\":\"Vessel:IMO9161003\",\"to\":\"Port:KPRJN\",\n"
"   \"props\":{\"date\":\"2024-04-14\"}}\n"
"Strings that are ISO dates or datetimes become temporals; {\"$string\":...},\n"
"{\"$date\":...}, {\"$datetime\":...}, {\"$duration\":\"P30D\"}, {\"$time\":\"12:30:00+01:00\"},\n"
"{\"$localtime\":\"12:30:00\"} and {\"$float\":\"NaN\"} give a type explicitly.\n"
"\n"
"A relationship line is a claim: when the same claim exists (same type,\n"
"endpoints, `claim` and overlapping dates) its sources and properties are\n"
"added to it instead of making another; a differing value is kept in\n"
"<property>_alt.  Importing the same file twice changes nothing.  Prints\n"
"what was created, updated and left unchanged.\n"
"\n"
"FtM (--format ftm): FollowTheMoney entity lines as OpenSanctions publishes\n"
"them (entities.ftm.json, and delta files of {\"op\":...,\"entity\":...}):\n"
"schemata become labels, Ownership/Directorship/Sanction/Family/... become\n"
"OWNED_BY/DIRECTOR_OF/SANCTIONED_UNDER/LINKED_TO relationships, datasets\n"
"become cited Sources, referents become aliases (ofac-32733 finds the\n"
"entity).  Values failing a domain check are kept as <name>_raw and reported.\n"
"\n"
"AIS (--format ais, or told from the header): MarineCadastre CSV (2015-2023\n"
"and 2025 headers) and the Danish Maritime Authority's; positions are stored\n"
"per MMSI, each MMSI linked to a Vessel; --publisher P names the Source's\n"
"publisher (default MarineCadastre / Danish Maritime Authority).\n";

/* What the progress and report callbacks print to. */
typedef struct import_ui {
	cli *u_cli;
	int u_line;          /* a progress line is showing */
} import_ui;

static void clear_progress(import_ui *u)
{
	if (u->u_line) {
		fputs("\r\033[K", stderr);
		u->u_line = 0;
	}
}

static void ui_report(void *arg, const char *msg)
{
	import_ui *u = arg;
	clear_progress(u);
	cli_error(u->u_cli, "%s", msg);
}

/* Notes on stderr; the dry run's diff lines are the result: stdout. */
static void ui_note(void *arg, char kind, const char *msg)
{
	import_ui *u = arg;
	clear_progress(u);
	if (kind == 'd')
		printf("%s\n", msg);
	else
		cli_error(u->u_cli, "note: %s", msg);
}

/* n with thousands separators. */
static const char *grouped(uint64_t n, char *buf, size_t size)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)n), o = 0;
	for (int i = 0; i < len && (size_t)o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

static void ui_progress(void *arg, const char *name, uint64_t done, uint64_t total, uint64_t records)
{
	import_ui *u = arg;
	const char *base;
	char num[40];
	if (!name) {
		fprintf(stderr, "\r\033[Kwriting indexes for %s records", grouped(records, num, sizeof num));
		u->u_line = 1;
		return;
	}
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (total)
		fprintf(stderr, "\r\033[Kimporting %s: %3d%%  %s records", base,
		    (int)(done * 100 / total), grouped(records, num, sizeof num));
	else
		fprintf(stderr, "\r\033[Kimporting %s: %s records", base, grouped(records, num, sizeof num));
	u->u_line = 1;
}

/* What an AIS import did with its rows (nothing when there were none). */
static void ais_summary(const ig_stats *s)
{
	char a[40], b[40];
	if (s->s_pos_rows)
		fprintf(stderr, "AIS: %s rows, %s new positions, %llu duplicates, %llu not available (lat 91/lon 181), %llu MMSIs not 9 digits\n",
		    grouped(s->s_pos_rows, a, sizeof a), grouped(s->s_positions, b, sizeof b), (unsigned long long)s->s_pos_dup,
		    (unsigned long long)s->s_pos_unavail, (unsigned long long)s->s_pos_badmmsi);
	if (s->s_vessels_merged)
		fprintf(stderr, "AIS: %llu MMSI vessels merged into the IMO vessels that carry their MMSI\n",
		    (unsigned long long)s->s_vessels_merged);
}

/* Adds an input; returns 0 or -1 when out of memory. */
static int add_input(ig_input **in, size_t *n, const char *arg, ig_role role, int prefixed)
{
	ig_input *ni = realloc(*in, (*n + 1) * sizeof *ni);
	const char *eq = prefixed ? strchr(arg, '=') : NULL;
	if (!ni)
		return -1;
	*in = ni;
	memset(&ni[*n], 0, sizeof ni[*n]);
	ni[*n].in_role = role;
	/* Label=FILE, unless what precedes '=' looks like a directory */
	if (eq && eq > arg && !memchr(arg, '/', (size_t)(eq - arg))) {
		char *prefix = strndup(arg, (size_t)(eq - arg));
		if (!prefix)
			return -1;
		ni[*n].in_prefix = prefix;
		ni[*n].in_path = eq + 1;
	} else {
		ni[*n].in_path = arg;
	}
	++*n;
	return 0;
}

/* What the import created, updated and left unchanged (stdout: a result). */
static void print_counts(const gr_bulk_counts *k)
{
	char a[40], b[40], c[40];
	printf("nodes: %s created, %s updated, %s unchanged\n", grouped(k->bc_nodes_created, a, sizeof a),
	    grouped(k->bc_nodes_updated, b, sizeof b), grouped(k->bc_nodes_unchanged, c, sizeof c));
	printf("relationships: %s created, %s updated, %s unchanged", grouped(k->bc_edges_created, a, sizeof a),
	    grouped(k->bc_edges_updated, b, sizeof b), grouped(k->bc_edges_unchanged, c, sizeof c));
	if (k->bc_ambiguous)
		printf(" (%s ambiguous, stored as their own)", grouped(k->bc_ambiguous, a, sizeof a));
	printf("\ncitations: %s added, %s updated, %s unchanged\n", grouped(k->bc_cites_added, a, sizeof a),
	    grouped(k->bc_cites_updated, b, sizeof b), grouped(k->bc_cites_unchanged, c, sizeof c));
	if (k->bc_conflicts)
		printf("differing values kept in <property>_alt: %s\n", grouped(k->bc_conflicts, a, sizeof a));
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_import(cli *c, int argc, char **argv)
{
	ig_input *inputs = NULL;
	size_t ninputs = 0;
	int format = IG_AUTO, skip_bad = 0, status = EXIT_OK, csv_only = 0, dry_run = 0, force = 0;
	const char *list_date = NULL;
	const char *datasets = NULL;
	ig_options opt;
	ig_stats stats;
	import_ui ui = { c, 0 };
	gr_error err = { 0 };
	struct timespec t0;
	char nodes[40], edges[40];
	const char *publisher = NULL;

	if (cli_help(argc, argv, import_help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		size_t optlen = eq ? (size_t)(eq - a) : strlen(a);
		int is_nodes = strncmp(a, "--nodes", optlen) == 0 && optlen == 7;
		int is_rels = strncmp(a, "--relationships", optlen) == 0 && optlen == 15;
		int is_format = strncmp(a, "--format", optlen) == 0 && optlen == 8;
		int is_date = strncmp(a, "--list-date", optlen) == 0 && optlen == 11;
		int is_datasets = strncmp(a, "--datasets", optlen) == 0 && optlen == 10;
		int is_publisher = strncmp(a, "--publisher", optlen) == 0 && optlen == 11;

		if (is_nodes || is_rels || is_format || is_date || is_datasets || is_publisher) {
			if (eq) {
				val = eq + 1;
			} else if (i + 1 < argc) {
				val = argv[++i];
			} else {
				status = cli_usage(c, "%s needs a value", a);
				goto done;
			}
		}
		if (is_datasets) {
			datasets = val;
		} else if (is_format) {
			if ((format = ig_format_parse(val)) < 0) {
				status = cli_usage(c, "unknown format '%s' (jsonl, csv, ofac-sdn, wpi or ftm)", val);
				goto done;
			}
		} else if (is_date) {
			list_date = val;
		} else if (strcmp(a, "--dry-run") == 0) {
			dry_run = 1;
		} else if (strcmp(a, "--force") == 0) {
			force = 1;
		} else if (is_publisher) {
			publisher = val;
		} else if (is_nodes || is_rels) {
			csv_only = 1;
			if (add_input(&inputs, &ninputs, val, is_nodes ? IG_ROLE_NODES : IG_ROLE_RELS, 1) < 0)
				goto nomem;
		} else if (strcmp(a, "--skip-bad") == 0) {
			skip_bad = 1;
		} else if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				if (add_input(&inputs, &ninputs, argv[i], IG_ROLE_ANY, 0) < 0)
					goto nomem;
		} else if (a[0] == '-' && a[1]) {
			status = cli_usage(c, "unknown option %s", a);
			goto done;
		} else if (add_input(&inputs, &ninputs, a, IG_ROLE_ANY, 0) < 0) {
			goto nomem;
		}
	}
	if (format != IG_AUTO && format != IG_JSONL && format != IG_CSV && format != IG_OFAC_SDN && format != IG_WPI && format != IG_FTM && format != IG_AIS) {
		cli_error(c, "format %s is not supported yet", ig_format_name(format));
		status = EXIT_ERR;
		goto done;
	}
	if (csv_only && (format == IG_JSONL || format == IG_FTM)) {
		status = cli_usage(c, "--nodes and --relationships take CSV files, not --format %s", ig_format_name((ig_format)format));
		goto done;
	}
	if (ninputs == 0) {
		if (isatty(0)) {
			status = cli_usage(c, "no input: give FILE..., --nodes or --relationships, or pipe data in");
			goto done;
		}
		if (add_input(&inputs, &ninputs, "-", IG_ROLE_ANY, 0) < 0)
			goto nomem;
	}
	for (size_t i = 0; i < ninputs; i++)
		if (inputs[i].in_role == IG_ROLE_ANY || format != IG_AUTO)
			inputs[i].in_format = (ig_format)format;
	if (cli_open(c, 0)) {
		status = EXIT_ERR;
		goto done;
	}
	memset(&opt, 0, sizeof opt);
	opt.o_inputs = inputs;
	opt.o_ninputs = ninputs;
	opt.o_skip_bad = skip_bad;
	opt.o_datasets = datasets;
	opt.o_report = ui_report;
	opt.o_progress = isatty(2) ? ui_progress : NULL;
	opt.o_arg = &ui;
	opt.o_note = ui_note;
	opt.o_list_date = list_date;
	opt.o_dry_run = dry_run;
	opt.o_force = force;
	opt.o_publisher = publisher;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((status = ig_import(c->db, &opt, &stats, &err)) != GR_OK) {
		clear_progress(&ui);
		cli_error(c, "%s", err.msg);
		status = cli_status(status);
		goto done;
	}
	clear_progress(&ui);
	if (stats.s_list) {
		char a[40], ch[40], de[40], un[40];
		fprintf(stderr, "%s%s entr%s added, %s changed, %s delisted, %s unchanged\n", dry_run ? "dry run: " : "",
		    grouped(stats.s_added, a, sizeof a), stats.s_added == 1 ? "y" : "ies", grouped(stats.s_changed, ch, sizeof ch),
		    grouped(stats.s_delisted, de, sizeof de), grouped(stats.s_unchanged, un, sizeof un));
	}
	if (dry_run) {
		if (!stats.s_list)
			fprintf(stderr, "dry run: %s node record%s, %s relationship record%s; nothing written\n",
			    grouped(stats.s_nodes, nodes, sizeof nodes), stats.s_nodes == 1 ? "" : "s",
			    grouped(stats.s_edges, edges, sizeof edges), stats.s_edges == 1 ? "" : "s");
		status = EXIT_OK;
		goto done;
	}
	fprintf(stderr, "imported %s node%s, %s relationship%s in %.1f s", grouped(stats.s_nodes, nodes, sizeof nodes),
	    stats.s_nodes == 1 ? "" : "s", grouped(stats.s_edges, edges, sizeof edges), stats.s_edges == 1 ? "" : "s",
	    seconds_since(&t0));
	if (skip_bad)
		fprintf(stderr, "; skipped %llu bad record%s", (unsigned long long)stats.s_skipped,
		    stats.s_skipped == 1 ? "" : "s");
	fputc('\n', stderr);
	print_counts(&stats.s_counts);
	ais_summary(&stats);
	status = EXIT_OK;
	goto done;
nomem:
	cli_error(c, "out of memory");
	status = EXIT_ERR;
done:
	for (size_t i = 0; i < ninputs; i++)
		free((char *)inputs[i].in_prefix);
	free(inputs);
	return status;
}
