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

static const char usage_text[] =
"usage: sanctgraph [--db DIR] [--author NAME] COMMAND [ARGS]\n"
"\n"
"A sanctions-evidence graph database: vessels, ports, companies and the\n"
"claims that link them, each with its sources and a confidence.\n"
"\n"
"commands:\n"
"  init                 create an empty database\n"
"  demo [-o FILE]       load the built-in Lady R case and draw it\n"
"  add LABEL KEY [PROP=VALUE ...] [--source KEY [--confidence C]]...\n"
"  link FROM TYPE TO [PROP=VALUE ...] [--source KEY [--confidence C]]...\n"
"  show REF             a node with its properties, edges and sources\n"
"  find TEXT [--label L]  case- and accent-insensitive search\n"
"  import [FILE...] [--format jsonl|csv] [--nodes F] [--relationships F]\n"
"  export [--format jsonl] [-o PATH]\n"
"  stats                counts by label and type, size on disk\n"
"  diagram [--query CYPHER | --around REF [--hops N]] [--format svg|png|pdf|dot] -o FILE\n"
"                       a relationship diagram through Graphviz\n"
"  report [--query CYPHER | --around REF [--hops N]] -o FILE.html\n"
"                       one self-contained HTML evidence report\n"
"  audit [--min-sources N] [--labels L,L] [--types T,T] [--format table|json]\n"
"                       claims with fewer than N independent sources\n"
"  audit --rules FILE   run named Cypher rules; rows are violations\n"
"  retract SOURCE [--dry-run]  remove a source; list the claims that fall\n"
"  merge REF REF        merge the second node into the first (which survives)\n"
"  log [--limit N] [--format text|json]  the change log, newest first\n"
"  check                verify indexes, edges and the change log\n"
"  backup DIR           a consistent copy, safe while others work\n"
"\n"
"options:\n"
"  --db DIR       the database directory (default $SANCTGRAPH_DB, else ./sanctgraph.db)\n"
"  --author NAME  who is making changes (default $SANCTGRAPH_AUTHOR, else the login name)\n"
"  --help, --version\n"
"\n"
"Run `sanctgraph COMMAND --help` for a command's options.\n"
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
	gr_set_author(c->db, c->author);
	gr_set_command(c->db, c->cmdline);
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

int cli_parse_prop(const char *arg, char **name, gr_value *val)
{
	const char *eq = strchr(arg, '=');
	const char *v;
	if (!eq || eq == arg)
		return -1;
	*name = strndup(arg, (size_t)(eq - arg));
	v = eq + 1;
	if (v[0] == '"' && strlen(v) >= 2 && v[strlen(v) - 1] == '"') {
		/* "9161003": quotes keep a value that would be read as a number,
		 * boolean, date or list a string; other quoted text is kept as
		 * written, quotes included */
		char *inner = strndup(v + 1, strlen(v) - 2), *iname = NULL, *arg2;
		gr_value t;
		int typed = 0;
		if (inner && asprintf(&arg2, "x=%s", inner) >= 0) {
			if (cli_parse_prop(arg2, &iname, &t) == 0) {
				typed = t.type != GR_STRING;
				gr_value_free(&t);
			}
			free(iname);
			free(arg2);
		}
		if (typed) {
			*val = gr_string_own(inner, strlen(inner));
			return 0;
		}
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
		if (sg_json_parse(v, strlen(v), &l, &je) == 0 && l.type == GR_LIST) {
			/* list items that are ISO dates become dates, as JSON strings do */
			for (size_t i = 0; i < l.u.list.n; i++) {
				gr_value *it = &l.u.list.items[i];
				if (it->type == GR_STRING) {
					gr_value t = gr_value_from_text(it->u.s.ptr, it->u.s.len);
					gr_value_free(it);
					*it = t;
				}
			}
			*val = l;
			return 0;
		}
		if (l.type != GR_NULL)
			gr_value_free(&l);
	}
	*val = gr_value_from_text(v, strlen(v));
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
};

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
	if ((env = getenv("SANCTGRAPH_AUTHOR")) && *env) {
		c.author = env;
	} else {
		struct passwd *pw = getpwuid(getuid());
		c.author = pw ? pw->pw_name : (getenv("USER") ? getenv("USER") : "unknown");
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
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
			fprintf(stderr, "sanctgraph: unknown option %s\n%s", a, usage_text);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) == 0) {
			c.cmd = commands[k].name;
			c.cmdline = join_args(argc - 1, argv + 1);
			status = commands[k].fn(&c, argc - i, argv + i);
			if (c.db && st_read_stale(gr_store(c.db)) != ST_OK) {
				/* read without a lock while a writer moved on */
				fprintf(stderr, "sanctgraph: %s: %s\n", c.cmd, st_strerror());
				status = EXIT_ERR;
			}
			if (c.db)
				gr_close(c.db);
			free(c.cmdline);
			if (fflush(stdout) != 0 && status == EXIT_OK) {
				fprintf(stderr, "sanctgraph: %s: cannot write output: %s\n", c.cmd, strerror(errno));
				status = EXIT_ERR;
			}
			return status;
		}
	}
	fprintf(stderr, "sanctgraph: unknown command '%s' (see `sanctgraph --help`)\n", argv[i]);
	return EXIT_USAGE;
}
