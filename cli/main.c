/*
 * main.c: the sanctgraph binary: global options, command dispatch, and the
 * helpers every command shares (errors, opening the database, properties
 * from the command line).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "../ingest/reader.h"

#define SG_VERSION "0.1.0"

/* The global help lists every command of the contract in this order, one
 * synopsis each; a command this build does not have yet is marked so, and
 * each new command only needs its line here and its entry in commands[]. */
static const struct synopsis {
	const char *name, *args, *what;
} synopses[] = {
	{ "init", "", "create an empty database" },
	{ "demo", "[-o FILE]", "load the built-in Lady R case and draw it" },
	{ "add", "LABEL KEY [PROP=VALUE ...] [--source KEY [--confidence C]]...", "create or update a node" },
	{ "link", "FROM TYPE TO [PROP=VALUE ...] [--source KEY [--confidence C]]... [--new]", "create a claim, or cite an existing one" },
	{ "cite", "TARGET --source KEY [--confidence C]...", "add citations to a node or claim" },
	{ "uncite", "TARGET --source KEY", "remove a citation" },
	{ "set", "REF|CLAIM PROP=VALUE...", "correct properties" },
	{ "unset", "REF|CLAIM PROP...", "remove properties" },
	{ "unlink", "CLAIM", "remove a claim" },
	{ "show", "REF", "a node with its properties, edges and sources" },
	{ "find", "TEXT [--label L]", "case- and accent-insensitive search" },
	{ "import", "[FILE...] [--format jsonl|ftm|ofac-sdn|csv|ais|wpi]", "load files (one transaction)" },
	{ "export", "[--format jsonl|ftm|csv|cypher] [-o PATH] [--query CYPHER]", "write the graph or a subgraph" },
	{ "query", "[CYPHER | -f FILE | -] [--param N=V]... [--format table|json|jsonl|csv]", "run openCypher" },
	{ "path", "FROM TO [--max-hops N] [--types T,T] [--time-ordered] [--all] [--format text|json]", "shortest connection" },
	{ "timeline", "REF [--from DATE] [--to DATE]", "an entity's dated edges, with sources" },
	{ "diagram", "[--query CYPHER | --around REF [--hops N]] [--format svg|png|pdf|dot] -o FILE", "a Graphviz diagram" },
	{ "report", "[--query CYPHER | --around REF [--hops N]] -o FILE.html", "one self-contained HTML evidence report" },
	{ "audit", "[--min-sources N] [--min-confidence C] [--format table|json]", "claims short of independent sources" },
	{ "retract", "SOURCE [--dry-run]", "remove a source; list the claims that fall" },
	{ "merge", "REF REF [--dry-run] [--force]", "merge the second node into the first" },
	{ "detect", "[--gaps] [--port-calls] [--encounters] [--from DATE] [--to DATE]", "derive events from AIS positions" },
	{ "track", "REF|MMSI [--from DATE] [--to DATE] [--format csv|geojson]", "a vessel's AIS positions" },
	{ "shell", "", "an interactive Cypher session" },
	{ "log", "[--limit N] [--head]", "the change log, newest first" },
	{ "check", "[--head HASH]", "verify indexes, edges and the change log" },
	{ "stats", "", "counts by label and type, size on disk" },
	{ "backup", "DIR", "a consistent copy, safe while others work" },
	{ "upgrade", "[DB]", "convert a database of an older format, keeping a backup" },
	{ "help", "[COMMAND]", "this text, or a command's help" },
};

static const char usage_head[] =
"usage: sanctgraph [--db DIR] [--author NAME] COMMAND [ARGS]\n"
"\n"
"A sanctions-evidence graph database: vessels, ports, companies and the\n"
"claims that link them, each with its sources and a confidence.\n"
"\n"
"commands:\n";

static const char usage_tail[] =
"\n"
"options:\n"
"  --db DIR       the database directory (default $SANCTGRAPH_DB, else ./sanctgraph.db)\n"
"  --author NAME  who is making changes (default $SANCTGRAPH_AUTHOR, $LOGNAME\n"
"                 or $USER, else the name of the user id)\n"
"  --help, --version\n"
"\n"
"Run `sanctgraph help COMMAND` or `sanctgraph COMMAND --help` for a command's options.\n"
"Exit status: 0 success, 1 error, 2 usage error, 3 problems found (audit, check).\n";

static cli *current;

void cli_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "sanctgraph: %s: ", c && c->cmd ? c->cmd : "error");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage(cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "sanctgraph: %s: ", c && c->cmd ? c->cmd : "usage");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see `sanctgraph %s --help`)\n", c && c->cmd ? c->cmd : "");
	return EXIT_USAGE;
}

int cli_help(int argc, char **argv, const char *text)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(text, stdout);
			return 1;
		}
	}
	return 0;
}

int cli_read(cli *c, gr_txn **t)
{
	gr_error err = { 0 };
	if (cli_open(c, 0))
		return 1;
	if (gr_begin(c->db, 0, t, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return 1;
	}
	return 0;
}

int cli_status(int code)
{
	switch (code) {
	case GR_OK: return EXIT_OK;
	case GR_EUSAGE: return EXIT_USAGE;
	default: return EXIT_ERR;
	}
}

/* Creates the parent directories of dir, as `mkdir -p` would: `init` of
 * a database in a folder that does not exist yet should just work. */
static int make_parents(cli *c, const char *dir)
{
	char *p = strdup(dir);
	if (!p) {
		cli_error(c, "out of memory");
		return 1;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			cli_error(c, "cannot create %s: %s", p, strerror(errno));
			free(p);
			return 1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

int cli_open(cli *c, int create)
{
	int code;
	return cli_open_status(c, create, &code);
}

static const char *default_author(void);

int cli_open_status(cli *c, int create, int *code)
{
	gr_error err = { 0 };
	*code = GR_OK;
	if (c->db)
		return 0;
	if (create && make_parents(c, c->db_dir))
		return 1;
	if ((*code = gr_open(c->db_dir, create, &c->db, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return 1;
	}
	/* both go into the change log: a write without them is not made (the
	 * default author is looked up by the first write: reads never need it) */
	if (!c->author)
		gr_set_author_fn(c->db, default_author);
	if ((c->author && gr_set_author(c->db, c->author) != GR_OK) || gr_set_command(c->db, c->cmdline) != GR_OK) {
		cli_error(c, "out of memory");
		gr_close(c->db);
		c->db = NULL;
		return 1;
	}
	gr_set_command_name(c->db, c->cmd);
	return 0;
}

static int all_digits(const char *s, int allow_sign)
{
	if (allow_sign && (*s == '-' || *s == '+'))
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* A value from the text after '=' (see cli_parse_prop); 0, or -2 when out
 * of memory. */
static int parse_value(const char *v, gr_value *val)
{
	size_t vlen = strlen(v);
	if (v[0] == '"' && vlen >= 2 && v[vlen - 1] == '"') {
		/* "9161003": quotes keep a value that would be read as a number,
		 * boolean, date or list a string; other quoted text is kept as
		 * written, quotes included */
		char *inner = strndup(v + 1, vlen - 2);
		gr_value t;
		if (!inner || parse_value(inner, &t) < 0) {
			free(inner);
			return -2;
		}
		if (t.type != GR_STRING) {
			gr_value_free(&t);
			*val = gr_string_own(inner, vlen - 2);
			return 0;
		}
		gr_value_free(&t);
		free(inner);
	}
	if (all_digits(v, 1)) {
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 10);
		if (errno == 0 && !*end) {
			*val = gr_int(x);
			return 0;
		}
	}
	if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
		*val = gr_bool(v[0] == 't');
		return 0;
	}
	if ((isdigit((unsigned char)v[0]) || ((v[0] == '-' || v[0] == '+') && isdigit((unsigned char)v[1]))) &&
	    strpbrk(v, ".eE") && !strchr(v, ':')) {
		char *end;
		double d = strtod(v, &end);
		if (!*end) {
			*val = gr_float(d);
			return 0;
		}
	}
	if (v[0] == '[') {
		sg_json_error je;
		gr_value l;
		int rc = sg_json_parse(v, vlen, &l, &je);
		if (rc == SG_JSON_ENOMEM)
			return -2;
		if (rc == SG_JSON_OK && l.type == GR_LIST) {
			/* list items that are ISO dates become dates, as JSON strings do */
			for (size_t i = 0; i < l.u.list.n; i++) {
				gr_value *it = &l.u.list.items[i];
				if (it->type == GR_STRING) {
					gr_value t = gr_value_from_text(it->u.s.ptr, it->u.s.len);
					if (t.type == GR_NULL) {
						gr_value_free(&l);
						return -2;
					}
					gr_value_free(it);
					*it = t;
				}
			}
			*val = l;
			return 0;
		}
		if (rc == SG_JSON_OK)
			gr_value_free(&l);
	}
	/* text never reads as null: null here is a string that could not be
	 * allocated */
	*val = gr_value_from_text(v, vlen);
	return val->type == GR_NULL ? -2 : 0;
}

int cli_parse_prop(const char *arg, char **name, gr_value *val)
{
	const char *eq = strchr(arg, '='), *v;
	size_t vlen;
	*name = NULL;
	if (!eq || eq == arg)
		return -1;
	if (!(*name = strndup(arg, (size_t)(eq - arg))))
		return -2;
	/* identifiers are strings as written: mmsi=012345678 keeps its zero */
	v = eq + 1;
	vlen = strlen(v);
	if ((strcmp(*name, "imo") == 0 || strcmp(*name, "mmsi") == 0 || strcmp(*name, "call_sign") == 0) &&
	    !(v[0] == '"' && vlen >= 2 && v[vlen - 1] == '"')) {
		*val = gr_string(v, vlen);
		if (val->type == GR_STRING)
			return 0;
		free(*name);
		*name = NULL;
		return -2;
	}
	if (parse_value(eq + 1, val) < 0) {
		free(*name);
		*name = NULL;
		return -2;
	}
	return 0;
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 65536 + 1 > cap) {
			size_t nc = cap ? cap * 2 : 131072;
			char *nb = realloc(buf, nc);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap = nc;
		}
		size_t r = fread(buf + n, 1, 65536, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

/* The author when --author is not given: $SANCTGRAPH_AUTHOR, $LOGNAME or
 * $USER, and only when none is set the password database (getpwuid
 * allocates, through NSS, and glibc does not survive every failure in it). */
static const char *default_author(void)
{
	static const char *const vars[] = { "SANCTGRAPH_AUTHOR", "LOGNAME", "USER" };
	struct passwd *pw;
	for (size_t k = 0; k < sizeof vars / sizeof vars[0]; k++) {
		const char *v = getenv(vars[k]);
		if (v && *v)
			return v;
	}
	pw = getpwuid(getuid());
	return pw && pw->pw_name && *pw->pw_name ? pw->pw_name : "unknown";
}

static const struct command {
	const char *name;
	int (*fn)(cli *, int, char **);
} commands[] = {
	{ "init", cmd_init }, { "demo", cmd_demo }, { "add", cmd_add }, { "link", cmd_link },
	{ "show", cmd_show }, { "find", cmd_find }, { "import", cmd_import }, { "export", cmd_export },
	{ "stats", cmd_stats }, { "log", cmd_log }, { "check", cmd_check }, { "backup", cmd_backup },
	{ "query", cmd_query }, { "path", cmd_path }, { "timeline", cmd_timeline },
	{ "diagram", cmd_diagram }, { "report", cmd_report },
	{ "audit", cmd_audit }, { "retract", cmd_retract }, { "merge", cmd_merge },
	{ "shell", cmd_shell },
	{ "cite", cmd_cite }, { "uncite", cmd_uncite }, { "set", cmd_set }, { "unset", cmd_unset },
	{ "unlink", cmd_unlink },
	{ "detect", cmd_detect }, { "track", cmd_track },
	{ "upgrade", cmd_upgrade },
};

static const struct command *find_command(const char *name)
{
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(name, commands[k].name) == 0)
			return &commands[k];
	return NULL;
}

/* The global help: each synopsis on its line when it fits in 80 columns,
 * else its description on the next line. */
static void print_usage(FILE *f)
{
	fputs(usage_head, f);
	for (size_t k = 0; k < sizeof synopses / sizeof synopses[0]; k++) {
		const struct synopsis *s = &synopses[k];
		int built = strcmp(s->name, "help") == 0 || find_command(s->name);
		char line[256];
		snprintf(line, sizeof line, "  %s%s%s", s->name, *s->args ? " " : "", s->args);
		if (strlen(line) < 23)
			fprintf(f, "%-23s%s%s\n", line, s->what, built ? "" : " (not in this build)");
		else
			fprintf(f, "%s\n%23s%s%s\n", line, "", s->what, built ? "" : " (not in this build)");
	}
	fputs(usage_tail, f);
}

/* `sanctgraph help [COMMAND]`: the global help, or the command's own
 * --help text (every command prints it before touching the database). */
static int run_help(cli *c, int argc, char **argv)
{
	const struct command *cmd;
	char *hargv[3];
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_usage(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cli_usage(c, "give one command name");
	if (!(cmd = find_command(argv[1]))) {
		for (size_t k = 0; k < sizeof synopses / sizeof synopses[0]; k++)
			if (strcmp(argv[1], synopses[k].name) == 0) {
				cli_error(c, "'%s' is not in this build", argv[1]);
				return EXIT_ERR;
			}
		return cli_usage(c, "unknown command '%s'", argv[1]);
	}
	hargv[0] = argv[1];
	hargv[1] = "--help";
	hargv[2] = NULL;
	c->cmd = cmd->name;
	return cmd->fn(c, 2, hargv);
}

static char *join_args(int argc, char **argv)
{
	size_t len = 1;
	char *s;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 3;
	if (!(s = malloc(len)))
		return NULL;
	s[0] = 0;
	for (int i = 0; i < argc; i++) {
		int quote = argv[i][0] == 0 || strpbrk(argv[i], " \t'\"") != NULL;
		if (i)
			strcat(s, " ");
		if (quote)
			strcat(s, "'");
		strcat(s, argv[i]);
		if (quote)
			strcat(s, "'");
	}
	return s;
}

int main(int argc, char **argv)
{
	cli c = { 0 };
	int i, status;
	const char *env;

	current = &c;
	c.db_dir = (env = getenv("SANCTGRAPH_DB")) && *env ? env : "./sanctgraph.db";
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			print_usage(stdout);
			return EXIT_OK;
		} else if (strcmp(a, "--version") == 0) {
			printf("sanctgraph %s\n", SG_VERSION);
			return EXIT_OK;
		} else if (strcmp(a, "--db") == 0 && i + 1 < argc) {
			c.db_dir = argv[++i];
		} else if (strncmp(a, "--db=", 5) == 0) {
			c.db_dir = a + 5;
		} else if (strcmp(a, "--author") == 0 && i + 1 < argc) {
			c.author = argv[++i];
		} else if (strncmp(a, "--author=", 9) == 0) {
			c.author = a + 9;
		} else {
			fprintf(stderr, "sanctgraph: unknown option %s\n", a);
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		c.cmd = "help";
		return run_help(&c, argc - i, argv + i);
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) == 0) {
			gr_error stale;
			c.cmd = commands[k].name;
			/* the change log records the command line: without it, no command */
			if (!(c.cmdline = join_args(argc - 1, argv + 1))) {
				cli_error(&c, "out of memory");
				return EXIT_ERR;
			}
			status = commands[k].fn(&c, argc - i, argv + i);
			if (c.db && gr_read_stale(c.db, &stale) != GR_OK) {
				/* read without a lock while a writer moved on */
				fprintf(stderr, "sanctgraph: %s: %s\n", c.cmd, stale.msg);
				status = EXIT_ERR;
			}
			/* a damaged page the command's own message may not name
			 * (`check` reports damage itself, and exits 3) */
			if (c.db && status != EXIT_FOUND && gr_damage_noted(c.db, &stale) != GR_OK) {
				fprintf(stderr, "sanctgraph: %s: %s\n", c.cmd, stale.msg);
				status = EXIT_ERR;
			}
			/* a value lost to a failed allocation may be missing from
			 * what the command printed */
			if (gr_nomem_take() && status == EXIT_OK) {
				cli_error(&c, "out of memory");
				status = EXIT_ERR;
			}
			if (c.db)
				gr_close(c.db);
			free(c.cmdline);
			/* a write that failed earlier (disk full, /dev/full) leaves the
			 * error flag: printing less than the result is a failure */
			errno = 0;
			if ((fflush(stdout) != 0 || ferror(stdout)) && status == EXIT_OK) {
				fprintf(stderr, "sanctgraph: %s: cannot write output: %s\n", c.cmd,
				    strerror(errno ? errno : EIO));
				status = EXIT_ERR;
			}
			return status;
		}
	}
	fprintf(stderr, "sanctgraph: unknown command '%s' (see `sanctgraph --help`)\n", argv[i]);
	return EXIT_USAGE;
}
