/*
 * cmd_shell.c: the `shell` command, an interactive Cypher session as
 * sqlite3 and cypher-shell give: line editing and history (libedit, kept
 * in ~/.sanctgraph_history), statements over several lines ended by ';',
 * a few :commands, and the time and memory limits on by default.  With
 * stdin not a terminal it reads a script: no prompt, no history.
 *
 * Statements run through the same path as `query` (cyrun.c), in one
 * session for the whole shell so that parameters and caches carry over.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "edit_dl.h"

#include "cli.h"
#include "cyrun.h"
/* after cyrun.h: <signal.h> defines si_value, a field name of ast.h */
#include <signal.h>

#define PROMPT "sanctgraph> "
#define PROMPT_MORE "        ...> "

typedef struct shell {
	cli *c;
	cy_session *s;
	cy_format fmt;
	cli_limits lim;
	char *timeout, *max_memory;   /* owned copies of what :timeout, :max-memory set */
	int tty;
	char *history;                /* the history file, NULL when there is none */
	char *last;                   /* the newest history entry */
	char *buf;                    /* the statement being typed */
	size_t len, cap;
	int failed;                   /* a statement failed (the exit status of a script) */
} shell;

static const char shell_help[] =
	"Statements end with ';' and may span lines.  Commands:\n"
	"  :help                          this text\n"
	"  :format table|json|jsonl|csv   how rows are printed (now: %s)\n"
	"  :param NAME=VALUE              $NAME in later statements (a Cypher literal,\n"
	"                                 else a string)\n"
	"  :timeout SECONDS|none          time limit of each statement (now: %s)\n"
	"  :max-memory SIZE|none          memory limit of each statement (now: %s)\n"
	"  :quit                          leave (so does Ctrl-D)\n"
	"Ctrl-C stops the running statement.\n";

static const char *format_name(cy_format f)
{
	switch (f) {
	case CY_FMT_CSV: return "csv";
	case CY_FMT_JSON: return "json";
	case CY_FMT_JSONL: return "jsonl";
	default: return "table";
	}
}

/* Whether t ends a statement: its last character outside strings,
 * backquoted names and comments is ';', and none of those is left open. */
static int stmt_complete(const char *t, size_t n)
{
	int last_semi = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = t[i];
		if (ch == '\'' || ch == '"' || ch == '`') {
			for (i++; i < n && t[i] != ch; i++)
				if (t[i] == '\\' && ch != '`')
					i++;
			if (i >= n)
				return 0;
			last_semi = 0;
		} else if (ch == '/' && i + 1 < n && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (ch == '/' && i + 1 < n && t[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(t[i] == '*' && t[i + 1] == '/'); i++)
				;
			if (i + 1 >= n)
				return 0;
			i++;
		} else if (ch == ';') {
			last_semi = 1;
		} else if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') {
			last_semi = 0;
		}
	}
	return last_semi;
}

static int only_blank(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r')
			return 0;
	return 1;
}

static int append_line(shell *sh, const char *line)
{
	size_t n = strlen(line);
	if (sh->len + n + 2 > sh->cap) {
		size_t cap = (sh->len + n + 2) * 2;
		char *nb = realloc(sh->buf, cap);
		if (!nb)
			return -1;
		sh->buf = nb;
		sh->cap = cap;
	}
	memcpy(sh->buf + sh->len, line, n);
	sh->len += n;
	sh->buf[sh->len++] = '\n';
	sh->buf[sh->len] = 0;
	return 0;
}

/* The statement as one history entry: up-arrow recalls it whole. */
static void remember_line(shell *sh, const char *text, size_t n)
{
	char *one;
	if (!sh->tty)
		return;
	while (n && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	if (!n || !(one = strndup(text, n)))
		return;
	for (char *p = one; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	if (sh->last && !strcmp(sh->last, one)) {
		free(one);   /* the statement recalled and run again */
		return;
	}
	add_history(one);
	free(sh->last);
	sh->last = one;
	/* written at once, so a session killed later keeps it */
	if (sh->history)
		(void)write_history(sh->history);   /* not worth stopping for */
}

static void run_buffer(shell *sh)
{
	if (!only_blank(sh->buf, sh->len)) {
		remember_line(sh, sh->buf, sh->len);
		if (cli_run_cypher(sh->c, sh->s, sh->buf, sh->len, sh->fmt, 0, stdout) != EXIT_OK)
			sh->failed = 1;
	}
	sh->len = 0;
	if (sh->buf)
		sh->buf[0] = 0;
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n' || e[-1] == ';'))
		*--e = 0;
	return s;
}

static int set_limit(shell *sh, char **slot, const char *v, int is_time)
{
	char *copy = strdup(v), *old_t = sh->timeout, *old_m = sh->max_memory;
	if (!copy) {
		cli_error(sh->c, "out of memory");
		return -1;
	}
	*slot = copy;
	sh->lim.timeout = sh->timeout;
	sh->lim.max_memory = sh->max_memory;
	if (cli_limits_apply(sh->c, &sh->lim, CLI_DEFAULT_TIMEOUT_MS, CLI_DEFAULT_MAX_BYTES, sh->s) < 0) {
		free(copy);
		sh->timeout = old_t;
		sh->max_memory = old_m;
		sh->lim.timeout = old_t;
		sh->lim.max_memory = old_m;
		cli_limits_apply(sh->c, &sh->lim, CLI_DEFAULT_TIMEOUT_MS, CLI_DEFAULT_MAX_BYTES, sh->s);
		return -1;
	}
	free(is_time ? old_t : old_m);
	return 0;
}

static const char *limit_text(const char *given, const char *env, const char *def)
{
	if (given)
		return given;
	if ((env = getenv(env)) && *env)
		return env;
	return def;
}

/* A :command line; returns 1 to leave the shell. */
static int colon_command(shell *sh, char *line)
{
	char *cmd = trim(line + 1), *arg = cmd;
	while (*arg && *arg != ' ' && *arg != '\t')
		arg++;
	if (*arg)
		*arg++ = 0;
	arg = trim(arg);
	if (!strcmp(cmd, "quit") || !strcmp(cmd, "exit") || !strcmp(cmd, "q"))
		return 1;
	if (!strcmp(cmd, "help") || !strcmp(cmd, "h")) {
		printf(shell_help, format_name(sh->fmt),
		    limit_text(sh->timeout, "SANCTGRAPH_TIMEOUT", "60 s"),
		    limit_text(sh->max_memory, "SANCTGRAPH_MAX_MEMORY", "2G"));
	} else if (!strcmp(cmd, "format")) {
		if (!*arg)
			printf("%s\n", format_name(sh->fmt));
		else if (cli_parse_format(arg, &sh->fmt) < 0) {
			cli_error(sh->c, ":format takes table, csv, json or jsonl, not '%s'", arg);
			sh->failed = 1;
		}
	} else if (!strcmp(cmd, "timeout") || !strcmp(cmd, "max-memory")) {
		int is_time = cmd[0] == 't';
		if (!*arg)
			printf("%s\n", is_time ? limit_text(sh->timeout, "SANCTGRAPH_TIMEOUT", "60 s")
			    : limit_text(sh->max_memory, "SANCTGRAPH_MAX_MEMORY", "2G"));
		else if (set_limit(sh, is_time ? &sh->timeout : &sh->max_memory, arg, is_time) < 0)
			sh->failed = 1;
	} else if (!strcmp(cmd, "param")) {
		char *eq = strchr(arg, '='), *name;
		gr_value v;
		if (!eq || eq == arg) {
			cli_error(sh->c, ":param needs NAME=VALUE");
			sh->failed = 1;
			return 0;
		}
		*eq = 0;
		name = trim(arg);
		if (cy_param_value(trim(eq + 1), &v) != CY_OK || cy_session_param(sh->s, name, v) != CY_OK) {
			cli_error(sh->c, "out of memory");
			sh->failed = 1;
		}
	} else {
		cli_error(sh->c, "unknown command ':%s' (:help lists them)", cmd);
		sh->failed = 1;
	}
	fflush(stdout);
	return 0;
}

/* The next line of input without its newline (malloc'd), or NULL at the
 * end. */
static char *next_line(shell *sh)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	if (sh->tty)
		return readline(sh->len ? PROMPT_MORE : PROMPT);
	errno = 0;
	if ((n = getline(&line, &cap, stdin)) < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[--n] = 0;
	return line;
}

static void open_history(shell *sh)
{
	const char *home = getenv("HOME");
	size_t n;
	using_history();
	stifle_history(1000);
	if (!home || !*home)
		return;
	n = strlen(home) + sizeof "/.sanctgraph_history";
	if (!(sh->history = malloc(n)))
		return;
	snprintf(sh->history, n, "%s/.sanctgraph_history", home);
	read_history(sh->history);   /* none yet is fine */
}

static void loop(shell *sh)
{
	char *line;
	if (sh->tty)
		printf("sanctgraph shell on %s: end statements with ';', :help for help, :quit to leave\n",
		    sh->c->db_dir);
	while ((line = next_line(sh))) {
		char *t = line;
		while (*t == ' ' || *t == '\t')
			t++;
		if (sh->len == 0 && *t == ':') {
			remember_line(sh, t, strlen(t));
			int quit = colon_command(sh, t);
			free(line);
			if (quit)
				return;
			continue;
		}
		if (append_line(sh, line) < 0) {
			free(line);
			cli_error(sh->c, "out of memory");
			sh->failed = 1;
			return;
		}
		free(line);
		if (stmt_complete(sh->buf, sh->len))
			run_buffer(sh);
	}
	if (sh->tty)
		printf("\n");
	/* a script's last statement may lack its ';' */
	run_buffer(sh);
}

int cmd_shell(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph shell [--format table|json|jsonl|csv] [--timeout SECONDS]\n"
	"                        [--max-memory SIZE]\n"
	"\n"
	"An interactive openCypher session: line editing, history in\n"
	"~/.sanctgraph_history, statements over several lines ended by ';', and\n"
	":help, :format, :param, :timeout, :max-memory, :quit.  Each statement runs\n"
	"in its own transaction, as with `query`.  With stdin not a terminal it\n"
	"runs the script it reads (no prompt) and exits 1 if a statement failed.\n"
	"\n"
	"  --format F          table (default), csv, json or jsonl\n"
	"  --timeout SECONDS   stop a statement that runs longer (default 60, or\n"
	"                      $SANCTGRAPH_TIMEOUT; none: no limit)\n"
	"  --max-memory SIZE   stop a statement that needs more memory (default 2G,\n"
	"                      or $SANCTGRAPH_MAX_MEMORY; none: no limit)\n";
	shell sh;
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&sh, 0, sizeof sh);
	sh.c = c;
	sh.fmt = CY_FMT_TABLE;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((rc = cli_limit_opt(c, argc, argv, &i, &sh.lim)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
		} else if (!strcmp(a, "--format") || !strncmp(a, "--format=", 9)) {
			const char *v = a[8] == '=' ? a + 9 : i + 1 < argc ? argv[++i] : NULL;
			if (!v || cli_parse_format(v, &sh.fmt) < 0)
				return cli_usage(c, "--format takes table, csv, json or jsonl");
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	/* :timeout and :max-memory replace these later */
	if ((sh.lim.timeout && !(sh.timeout = strdup(sh.lim.timeout))) ||
	    (sh.lim.max_memory && !(sh.max_memory = strdup(sh.lim.max_memory)))) {
		free(sh.timeout);
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	sh.lim.timeout = sh.timeout;
	sh.lim.max_memory = sh.max_memory;
	if (cli_open(c, 0) || cy_session_new(c->db, &sh.s) != CY_OK) {
		if (c->db)
			cli_error(c, "out of memory");
		free(sh.timeout);
		free(sh.max_memory);
		return EXIT_ERR;
	}
	if (cli_limits_apply(c, &sh.lim, CLI_DEFAULT_TIMEOUT_MS, CLI_DEFAULT_MAX_BYTES, sh.s) < 0) {
		cy_session_free(sh.s);
		free(sh.timeout);
		free(sh.max_memory);
		return EXIT_USAGE;
	}
	sh.tty = isatty(STDIN_FILENO);
	if (sh.tty) {
		char why[320];
		if (cli_edit_load(why, sizeof why) != 0) {
			/* still a session, without editing or history */
			cli_error(c, "%s; reading plain lines", why);
			sh.tty = 0;
		}
	}
	if (sh.tty) {
		rl_readline_name = "sanctgraph";
		/* Ctrl-C stops a running statement (cyrun.c); at the prompt it
		 * is ignored rather than ending the session (libedit would
		 * re-raise it): Ctrl-U clears a line, Ctrl-D or :quit leave */
		rl_catch_signals = 0;
		signal(SIGINT, SIG_IGN);
		open_history(&sh);
	}
	loop(&sh);
	cy_session_free(sh.s);
	free(sh.buf);
	free(sh.history);
	free(sh.last);
	free(sh.timeout);
	free(sh.max_memory);
	return sh.tty || !sh.failed ? EXIT_OK : EXIT_ERR;
}
