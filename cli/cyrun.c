/*
 * cyrun.c: running Cypher from the command line: formats, errors,
 * --timeout, --max-memory and Ctrl-C (the engine does the stopping:
 * graph/cypher/limits.c).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cyrun.h"
/* after cyrun.h: <signal.h> defines si_value, a field name of ast.h */
#include <signal.h>

int cli_limit_opt(cli *c, int argc, char **argv, int *i, cli_limits *l)
{
	static const char *const names[] = { "--timeout", "--max-memory" };
	for (int k = 0; k < 2; k++) {
		size_t n = strlen(names[k]);
		const char *a = argv[*i], *v;
		if (strncmp(a, names[k], n) || (a[n] && a[n] != '='))
			continue;
		if (a[n] == '=')
			v = a + n + 1;
		else if (*i + 1 < argc)
			v = argv[++*i];
		else {
			cli_usage(c, "%s needs a value", names[k]);
			return -1;
		}
		if (k == 0)
			l->timeout = v;
		else
			l->max_memory = v;
		return 1;
	}
	return 0;
}

static int is_none(const char *v)
{
	return !strcasecmp(v, "none") || !strcasecmp(v, "off");
}

int cli_limits_apply(cli *c, const cli_limits *l, uint64_t def_ms, uint64_t def_bytes, cy_session *s)
{
	const char *t = l->timeout, *m = l->max_memory, *from_t = "--timeout", *from_m = "--max-memory";
	uint64_t ms = def_ms, bytes = def_bytes;
	if (!t && (t = getenv("SANCTGRAPH_TIMEOUT")) && *t)
		from_t = "$SANCTGRAPH_TIMEOUT";
	if (!m && (m = getenv("SANCTGRAPH_MAX_MEMORY")) && *m)
		from_m = "$SANCTGRAPH_MAX_MEMORY";
	if (t && *t) {
		if (is_none(t))
			ms = 0;
		else if (cy_parse_seconds(t, &ms) < 0) {
			cli_usage(c, "%s takes a number of seconds (as 30 or 2.5), not '%s'", from_t, t);
			return -1;
		}
	}
	if (m && *m) {
		if (is_none(m))
			bytes = 0;
		else if (cy_parse_size(m, &bytes) < 0) {
			cli_usage(c, "%s takes a size (as 512M or 2G), not '%s'", from_m, m);
			return -1;
		}
	}
	cy_session_limits(s, ms, bytes);
	return 0;
}

static struct sigaction saved;
static int caught;

static void on_sigint(int sig)
{
	if (cy_interrupted()) {
		/* the statement did not stop: the user insists */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	cy_interrupt();
}

void cli_sigint_catch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	cy_interrupt_clear();
	if (sigaction(SIGINT, &sa, caught ? NULL : &saved) == 0)
		caught = 1;
}

void cli_sigint_restore(void)
{
	if (caught)
		sigaction(SIGINT, &saved, NULL);
	caught = 0;
}

int cli_parse_format(const char *s, cy_format *f)
{
	if (!strcmp(s, "table"))
		*f = CY_FMT_TABLE;
	else if (!strcmp(s, "csv"))
		*f = CY_FMT_CSV;
	else if (!strcmp(s, "json"))
		*f = CY_FMT_JSON;
	else if (!strcmp(s, "jsonl"))
		*f = CY_FMT_JSONL;
	else
		return -1;
	return 0;
}

int cli_run_cypher(cli *c, cy_session *s, const char *text, size_t len, cy_format fmt, int raw, FILE *out)
{
	cy_writer *w = cy_writer_new(out, fmt);
	cy_error err;
	int rc, failed;
	if (!w) {
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	cy_writer_set_raw(w, raw);
	cli_sigint_catch();
	rc = cy_run_text(s, text, len, w, NULL, 0, NULL, &err);
	cli_sigint_restore();
	failed = cy_writer_failed(w);
	cy_writer_free(w);   /* sends what is left */
	/* rows that did not reach the output (disk full, /dev/full) are a failure */
	failed |= fflush(out) != 0 || ferror(out);
	if (rc != CY_OK) {
		char msg[4096];
		cy_error_format(&err, text, len, msg, sizeof msg);
		cli_error(c, "%s", msg);
		return EXIT_ERR;
	}
	if (failed) {
		cli_error(c, "cannot write the results");
		return EXIT_ERR;
	}
	return EXIT_OK;
}
