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
"  --author NAME  who is making changes (default $SANCTGRAPH_AUTHOR, $LOGNAME\n"
"                 or $USER, else the name of the user id)\n"
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

int cli_open(cli *c, int create)
{
	gr_error err = { 0 };
	if (c->db)
		return 0;
	if (gr_open(c->db_dir, create, &c->db, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return 1;
	}
	/* both go into the change log: a write without them is not made */
	if (gr_set_author(c->db, c->author) != GR_OK || gr_set_command(c->db, c->cmdline) != GR_OK) {
		cli_error(c, "out of memory");
		gr_close(c->db);
		c->db = NULL;
		return 1;
	}
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
	const char *eq = strchr(arg, '=');
	*name = NULL;
	if (!eq || eq == arg)
		return -1;
	if (!(*name = strndup(arg, (size_t)(eq - arg))))
		return -2;
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
	if (!c.author)
		c.author = default_author();
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(argv[i], commands[k].name) == 0) {
			c.cmd = commands[k].name;
			/* the change log records the command line: without it, no command */
			if (!(c.cmdline = join_args(argc - 1, argv + 1))) {
				cli_error(&c, "out of memory");
				return EXIT_ERR;
			}
			status = commands[k].fn(&c, argc - i, argv + i);
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
