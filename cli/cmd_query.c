/*
 * cmd_query.c: the `query`, `path` and `timeline` commands: openCypher
 * statements from the command line, a file or stdin; the shortest
 * connection between two entities; an entity's dated relationships in
 * time order with their sources.  The engine and the output formats are
 * graph/cypher's; this file reads arguments and prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cyrun.h"
#include "../graph/cypher/cypher.h"
#include "../graph/pathfind.h"
#include "../graph/when.h"

/* ---- query ---- */

static void print_timing(void *arg, size_t index, const cy_stats *st)
{
	(void)arg;
	/* the contract's form, "1 rows" included */
	fprintf(stderr, "-- statement %zu: %.3f ms, %llu rows\n", index + 1, st->ms, (unsigned long long)st->rows);
}

/* Value of an option given as "--opt VALUE" or "--opt=VALUE". */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (!strcmp(argv[*i], name))
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

static int is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);
	return !strcmp(arg, name) || (!strncmp(arg, name, n) && arg[n] == '=');
}

/* A name the database never held: the query runs, the user is told. */
static void print_warning(void *arg, const char *msg)
{
	cli *c = arg;
	fprintf(stderr, "sanctgraph: %s: warning: %s\n", c->cmd, msg);
}

int cmd_query(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph query [CYPHER | -f FILE | -] [--param NAME=VALUE]...\n"
	"                        [--format table|json|jsonl|csv] [--raw] [--timing]\n"
	"                        [--timeout SECONDS] [--max-memory SIZE]\n"
	"\n"
	"Runs openCypher statements (several separated by ';') against the\n"
	"database, each in its own transaction, and prints each statement's rows.\n"
	"\n"
	"  CYPHER          the statements; -f FILE reads them from FILE, - from stdin\n"
	"  --param N=V     $N in the query: V read as a Cypher literal when it is one\n"
	"                  (42, 'text', [1, 2], {a: 1}, null), else as a string (an\n"
	"                  ISO-8601 date or datetime, 2024-04-02, is read as one)\n"
	"  --format F      table (default), csv, json (one document per statement)\n"
	"                  or jsonl (one object per row)\n"
	"  --timing        print '-- statement N: T ms, R rows' per statement to stderr\n"
	"  --raw           csv: write strings as they are; without it a string that\n"
	"                  begins with =, +, -, @, tab or CR gets a leading ' so that\n"
	"                  a spreadsheet does not run it as a formula (numbers never)\n"
	CLI_LIMITS_HELP
	"\n"
	"Nodes have n.key (their key), labels(n), sources(n) (the Source nodes they\n"
	"cite); dates and durations: date('2024-04-02') + duration('P30D'),\n"
	"duration.between(a, b).  EXPLAIN or PROFILE before a statement shows its plan.\n";
	const char *file = NULL, *inline_text = NULL, *v;
	cy_format fmt = CY_FMT_TABLE;
	int timing = 0, raw = 0, status = EXIT_ERR, rc;
	char *text = NULL;
	size_t len = 0;
	cy_session *s = NULL;
	cli_limits lim = { NULL, NULL };
	gr_value params = gr_map();

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((rc = cli_limit_opt(c, argc, argv, &i, &lim)) != 0) {
			if (rc < 0) {
				gr_value_free(&params);
				return EXIT_USAGE;
			}
		} else if (is_opt(a, "--param")) {
			gr_value pv;
			char *eq;
			if (!(v = opt_value(argc, argv, &i, "--param")) || !(eq = strchr(v, '=')) || eq == v) {
				gr_value_free(&params);
				return cli_usage(c, "--param needs NAME=VALUE");
			}
			char *name = strndup(v, (size_t)(eq - v));
			if (!name || cy_param_value(eq + 1, &pv) != CY_OK || gr_map_set(&params, name, pv) < 0) {
				free(name);
				gr_value_free(&params);
				cli_error(c, "out of memory");
				return EXIT_ERR;
			}
			free(name);
		} else if (is_opt(a, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format")) || cli_parse_format(v, &fmt) < 0) {
				gr_value_free(&params);
				return cli_usage(c, "--format takes table, csv, json or jsonl");
			}
		} else if (!strcmp(a, "--timing")) {
			timing = 1;
		} else if (!strcmp(a, "--raw")) {
			raw = 1;
		} else if (!strcmp(a, "-f") || is_opt(a, "--file")) {
			if (!(file = !strcmp(a, "-f") ? (i + 1 < argc ? argv[++i] : NULL) : opt_value(argc, argv, &i, "--file"))) {
				gr_value_free(&params);
				return cli_usage(c, "-f needs a file name");
			}
		} else if (!strcmp(a, "-")) {
			file = "-";
		} else if (a[0] == '-' && a[1] == '-') {
			gr_value_free(&params);
			return cli_usage(c, "unknown option '%s'", a);
		} else if (!inline_text && !file) {
			inline_text = a;
		} else {
			gr_value_free(&params);
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (!!inline_text + !!file != 1) {
		gr_value_free(&params);
		return cli_usage(c, "give the statements as an argument, with -f FILE, or - for stdin");
	}
	if (file) {
		if (!(text = cli_read_file(file, &len))) {
			cli_error(c, "%s: %s", strcmp(file, "-") ? file : "stdin", strerror(errno ? errno : EIO));
			gr_value_free(&params);
			return EXIT_ERR;
		}
	} else if (!(text = strdup(inline_text))) {
		gr_value_free(&params);
		cli_error(c, "out of memory");
		return EXIT_ERR;
	} else {
		len = strlen(text);
	}
	if (cli_open(c, 0))
		goto done;
	if (cy_session_new(c->db, &s) != CY_OK) {
		cli_error(c, "out of memory");
		goto done;
	}
	if (cli_limits_apply(c, &lim, 0, 0, s) < 0) {
		status = EXIT_USAGE;
		goto done;
	}
	for (size_t i = 0; i < params.u.map.n; i++) {
		if (cy_session_param(s, params.u.map.keys[i], params.u.map.vals[i]) != CY_OK) {
			cli_error(c, "out of memory");
			goto done;
		}
		params.u.map.vals[i] = gr_null();
	}
	if (timing)
		cy_session_on_stmt(s, print_timing, NULL);
	cy_session_on_warning(s, print_warning, c);
	status = cli_run_cypher(c, s, text, len, fmt, raw, stdout);
done:
	cy_session_free(s);
	gr_value_free(&params);
	free(text);
	return status;
}

/* ---- helpers shared by path and timeline ---- */

/* "2024-04-02", "2024-04-03..2024-04-14", "listed 2024-05-03" for a dated
 * edge (graph/when.h decides what is dated), "" for an undated one. */
static void edge_when(gr_txn *t, uint32_t edge, char *buf, size_t n)
{
	gr_when w;
	char s[64];
	gr_edge_when(t, edge, &w);
	gr_when_format(&w, s);
	snprintf(buf, n, "%s", s);
}

static int parse_types(gr_txn *t, const char *list, uint16_t *types, size_t max, size_t *n, int *unknown)
{
	char *copy = strdup(list), *save, *tok;
	*n = 0;
	*unknown = 0;
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint16_t id;
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		if (gr_sym(t, tok, strlen(tok), 0, &id) != GR_OK) {
			(*unknown)++;
			continue;
		}
		if (*n < max)
			types[(*n)++] = id;
	}
	free(copy);
	return 0;
}

/* ---- path ---- */

typedef struct path_print {
	gr_txn *t;
	int count;
	int json;
	gr_buf b;        /* json: the document so far */
	int oom;
} path_print;

/* Label:key and, when it has one, the node's name (else title):
 * `Vessel:IMO9161003 (LADY R)`. */
static void node_label(gr_txn *t, uint32_t id, char *buf, size_t n)
{
	static const char *const props[] = { "name", "title" };
	char ref[600];
	gr_node_ref(t, id, ref, sizeof ref);
	snprintf(buf, n, "%s", ref);
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
		uint16_t k = gr_sym_cached(t, props[i]);
		gr_value v = gr_null();
		if (k && gr_node_prop(t, id, k, &v) == GR_OK && v.type == GR_STRING && v.u.s.len) {
			snprintf(buf, n, "%s (%s)", ref, v.u.s.ptr);
			gr_value_free(&v);
			return;
		}
		gr_value_free(&v);
	}
}

static int buf_str(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/* A path as the query command's JSON writes one:
 * {"kind":"path","nodes":[...],"relationships":[...]}. */
static int path_json(path_print *pp, const uint32_t *nodes, const gr_step *steps, size_t len)
{
	gr_buf *b = &pp->b;
	if ((pp->count && gr_buf_byte(b, ',') < 0) || buf_str(b, "{\"kind\":\"path\",\"nodes\":[") < 0)
		return -1;
	for (size_t i = 0; i <= len; i++) {
		gr_value v = { .type = GR_NODE };
		v.u.node.id = nodes[i];
		if ((i && gr_buf_byte(b, ',') < 0) || cy_value_json(pp->t, b, &v) < 0)
			return -1;
	}
	if (buf_str(b, "],\"relationships\":[") < 0)
		return -1;
	for (size_t i = 0; i < len; i++) {
		gr_value v = { .type = GR_EDGE };
		v.u.edge.id = steps[i].s_edge;
		v.u.edge.type = steps[i].s_type;
		v.u.edge.src = steps[i].s_src;
		v.u.edge.dst = steps[i].s_dst;
		if ((i && gr_buf_byte(b, ',') < 0) || cy_value_json(pp->t, b, &v) < 0)
			return -1;
	}
	return buf_str(b, "]}");
}

static int print_path(void *arg, const uint32_t *nodes, const gr_step *steps, size_t len)
{
	path_print *pp = arg;
	char ref[800], when[160];
	if (pp->json) {
		if (path_json(pp, nodes, steps, len) < 0) {
			pp->oom = 1;
			return 1;
		}
		pp->count++;
		return 0;
	}
	node_label(pp->t, nodes[0], ref, sizeof ref);
	printf("%s", ref);
	for (size_t i = 0; i < len; i++) {
		size_t tl;
		const char *type = gr_sym_name(pp->t, steps[i].s_type, &tl);
		int fwd = steps[i].s_src == nodes[i];
		edge_when(pp->t, steps[i].s_edge, when, sizeof when);
		node_label(pp->t, nodes[i + 1], ref, sizeof ref);
		printf(" %s[%.*s%s%s]%s %s", fwd ? "-" : "<-", (int)tl, type, when[0] ? " " : "", when,
		    fwd ? "->" : "-", ref);
	}
	printf("\n");
	pp->count++;
	return 0;
}

int cmd_path(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph path FROM TO [--max-hops N] [--types T,T] [--time-ordered] [--all]\n"
	"                      [--format text|json]\n"
	"\n"
	"The shortest connection between two entities (Label:key or a key), over\n"
	"relationships in either direction, one path per line, each node with its\n"
	"name:\n"
	"  Vessel:IMO9161003 (LADY R) -[SIGHTED_AT 2024-04-02]-> Port:RUVYP (Vostochny)\n"
	"\n"
	"  --max-hops N    longest path to look for (default 10)\n"
	"  --types T,T     only these relationship types\n"
	"  --time-ordered  only paths whose dated relationships (date, or start/end)\n"
	"                  follow each other in time\n"
	"  --all           every shortest path, not just one\n"
	"  --format F      text (default) or json: one document {\"paths\":[...]},\n"
	"                  each path as `query --format json` writes one\n"
	"\n"
	"Exit status 1 when there is no such path.\n";
	const char *refs[2] = { NULL, NULL }, *types = NULL, *v;
	int max_hops = 10, time_ordered = 0, all = 0, nrefs = 0, status = EXIT_ERR, rc, json = 0;
	gr_txn *t = NULL;
	gr_error ge;
	uint32_t ids[2];
	uint16_t tl[64];
	size_t nt = 0;
	int unknown = 0;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (is_opt(a, "--max-hops")) {
			char *end;
			if (!(v = opt_value(argc, argv, &i, "--max-hops")))
				return cli_usage(c, "--max-hops needs a number");
			long n = strtol(v, &end, 10);
			if (*end || n < 1 || n > 1000)
				return cli_usage(c, "--max-hops takes a number from 1 to 1000, not '%s'", v);
			max_hops = (int)n;
		} else if (is_opt(a, "--types")) {
			if (!(types = opt_value(argc, argv, &i, "--types")))
				return cli_usage(c, "--types needs a list of relationship types");
		} else if (!strcmp(a, "--time-ordered")) {
			time_ordered = 1;
		} else if (!strcmp(a, "--all")) {
			all = 1;
		} else if (is_opt(a, "--format")) {
			if (!(v = opt_value(argc, argv, &i, "--format")) || (strcmp(v, "json") && strcmp(v, "text")))
				return cli_usage(c, "--format takes text or json");
			json = !strcmp(v, "json");
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage(c, "unknown option '%s'", a);
		} else if (nrefs < 2) {
			refs[nrefs++] = a;
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (nrefs != 2)
		return cli_usage(c, "give two entities, FROM and TO");
	if (cli_read(c, &t))
		return EXIT_ERR;
	for (int i = 0; i < 2; i++)
		if (cli_resolve(c, t, refs[i], &ids[i]))
			goto done;
	if (types && parse_types(t, types, tl, 64, &nt, &unknown) < 0) {
		cli_error(c, "out of memory");
		goto done;
	}
	if (types && nt == 0) {
		cli_error(c, "no relationship of type %s in the database", types);
		goto done;
	}
	gr_pathspec ps;
	path_print pp = { t, 0, json, { 0 }, 0 };
	memset(&ps, 0, sizeof ps);
	ps.ps_dir = GR_DIR_BOTH;
	ps.ps_types = tl;
	ps.ps_ntypes = nt;
	ps.ps_min_hops = 0;
	ps.ps_max_hops = max_hops;
	ps.ps_all = all;
	ps.ps_time_ordered = time_ordered;
	if (json && buf_str(&pp.b, "{\"paths\":[") < 0)
		pp.oom = 1;
	if ((rc = gr_shortest_paths(t, ids[0], ids[1], &ps, print_path, &pp, &ge)) < 0 || pp.oom) {
		cli_error(c, "%s", pp.oom ? "out of memory" : ge.msg);
		gr_buf_free(&pp.b);
		goto done;
	}
	if (json) {
		/* no path is an empty list and exit 1, as in text */
		if (buf_str(&pp.b, "]}\n") == 0)
			fwrite(pp.b.b_data, 1, pp.b.b_len, stdout);
		gr_buf_free(&pp.b);
	}
	if (rc == 0) {
		cli_error(c, "no %spath from %s to %s within %d hop%s%s", time_ordered ? "time-ordered " : "",
		    refs[0], refs[1], max_hops, max_hops == 1 ? "" : "s", types ? " over those types" : "");
		goto done;
	}
	status = EXIT_OK;
done:
	gr_abort(t);
	return status;
}

/* ---- timeline ---- */

typedef struct tl_event {
	int32_t day, end;
	uint32_t edge, src, dst;
	uint16_t type;
	int out;
} tl_event;

static int cmp_event(const void *a, const void *b)
{
	const tl_event *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->edge < y->edge ? -1 : x->edge > y->edge;
}

static void print_event(gr_txn *t, uint32_t self, const tl_event *e)
{
	char when[160], ref[600];
	size_t tl;
	const char *type = gr_sym_name(t, e->type, &tl);
	uint32_t other = e->out ? e->dst : e->src;
	gr_edge ed;
	gr_value name = gr_null();
	uint16_t nk = gr_sym_cached(t, "name");
	edge_when(t, e->edge, when, sizeof when);
	gr_node_ref(t, other, ref, sizeof ref);
	if (nk)
		gr_node_prop(t, other, nk, &name);
	printf("%-22s %s[%.*s]%s %s", when, e->out ? "-" : "<-", (int)tl, type, e->out ? "->" : "-", ref);
	if (other == self)
		printf(" (itself)");
	if (name.type == GR_STRING)
		printf("  %s", name.u.s.ptr);
	printf("\n");
	gr_value_free(&name);
	if (gr_edge_load(t, e->src, e->edge, &ed, NULL) == GR_OK) {
		for (size_t i = 0; i < ed.e_ncites; i++) {
			const char *k;
			size_t kl;
			if (gr_node_key_get(t, ed.e_cites[i].c_source, &k, &kl) != GR_OK)
				continue;
			printf("%s%.*s (%s)", i ? ", " : "    sources: ", (int)kl, k,
			    gr_confidence_name(ed.e_cites[i].c_conf));
		}
		if (ed.e_ncites)
			printf("\n");
		else
			printf("    sources: none\n");
		gr_edge_clear(&ed);
	}
}

int cmd_timeline(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph timeline REF [--from DATE] [--to DATE]\n"
	"\n"
	"The dated relationships of an entity (Label:key or a key), both ways, in\n"
	"time order, each with the sources it cites and their confidence.  A\n"
	"relationship is dated by its `date` (an event), or by a span from the\n"
	"first of `start`, `since`, `listed` to the first of `end`, `until`,\n"
	"`delisted` (either end may be open), as in `report` and `path\n"
	"--time-ordered`.  --from and --to (YYYY-MM-DD) keep those that overlap\n"
	"the period.\n";
	const char *ref = NULL, *v;
	int32_t from = INT32_MIN, to = INT32_MAX;
	gr_txn *t = NULL;
	uint32_t id;
	tl_event *ev = NULL;
	size_t nev = 0, cap = 0;
	gr_rels it = { 0 };
	gr_error err = { 0 };
	int status = EXIT_ERR;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (is_opt(a, "--from") || is_opt(a, "--to")) {
			int32_t *d = is_opt(a, "--from") ? &from : &to;
			if (!(v = opt_value(argc, argv, &i, d == &from ? "--from" : "--to")) ||
			    gr_parse_date(v, strlen(v), d) != 0)
				return cli_usage(c, "%s needs a date YYYY-MM-DD", d == &from ? "--from" : "--to");
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage(c, "unknown option '%s'", a);
		} else if (!ref) {
			ref = a;
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (!ref)
		return cli_usage(c, "give the entity, as Label:key or a key");
	if (cli_read(c, &t))
		return EXIT_ERR;
	if (cli_resolve(c, t, ref, &id))
		goto done;
	if (gr_rels_open(t, &it, &err) != GR_OK) {
		cli_error(c, "out of memory");
		goto done;
	}
	for (int dir = GR_OUT; dir <= GR_IN; dir++) {
		gr_rel a;
		int rc;
		if (gr_rels_seek(&it, id, dir, 0, 0) != GR_OK) {
			cli_error(c, "%s", err.msg);
			goto done;
		}
		while ((rc = gr_rels_next(&it, &a)) == 1) {
			int32_t day, end;
			gr_when w;
			if (dir == GR_IN && a.r_nbr == id)
				continue;   /* a self-loop, listed once */
			if (!gr_edge_when(t, a.r_edge, &w))
				continue;
			day = gr_when_first(&w);
			end = gr_when_last(&w);
			if (end < from || day > to)
				continue;
			if (nev == cap) {
				size_t nc = cap ? cap * 2 : 32;
				tl_event *ne = realloc(ev, nc * sizeof *ne);
				if (!ne) {
					cli_error(c, "out of memory");
					goto done;
				}
				ev = ne;
				cap = nc;
			}
			ev[nev++] = (tl_event){ day, end, a.r_edge, a.r_src, a.r_dst, a.r_type, dir == GR_OUT };
		}
		if (rc < 0) {
			cli_error(c, "%s", err.msg);
			goto done;
		}
	}
	qsort(ev, nev, sizeof *ev, cmp_event);
	{
		char self[600];
		gr_node_ref(t, id, self, sizeof self);
		if (nev == 0)
			fprintf(stderr, "sanctgraph: timeline: %s has no dated relationships%s\n", self,
			    from != INT32_MIN || to != INT32_MAX ? " in that period" : "");
		else
			printf("%s: %zu dated relationship%s\n", self, nev, nev == 1 ? "" : "s");
	}
	for (size_t i = 0; i < nev; i++)
		print_event(t, id, &ev[i]);
	status = EXIT_OK;
done:
	gr_rels_close(&it);
	free(ev);
	gr_abort(t);
	return status;
}
