/*
 * cyrun.h: what the commands that run Cypher share (query, shell, audit
 * --rules): the output format names, running a text and reporting its
 * error, the --timeout and --max-memory options with their environment
 * defaults, and Ctrl-C stopping the running statement.
 */
#ifndef SG_CLI_CYRUN_H
#define SG_CLI_CYRUN_H

#include <stdint.h>
#include "cli.h"
#include "../graph/cypher/cypher.h"

/* The built-in limits of shell and audit --rules, where a statement must
 * not hang a session or a CI job; query has none unless asked. */
#define CLI_DEFAULT_TIMEOUT_MS 60000ULL
#define CLI_DEFAULT_MAX_BYTES (2ULL << 30)

typedef struct cli_limits {
	const char *timeout;      /* the options' text, NULL when not given */
	const char *max_memory;
} cli_limits;

/* When argv[*i] is --timeout or --max-memory (VALUE after a space or '='),
 * records it and returns 1; 0 when it is another argument; -1 when its
 * value is missing (a usage error was printed). */
int cli_limit_opt(cli *c, int argc, char **argv, int *i, cli_limits *l);

/* Sets s's limits: the option, else $SANCTGRAPH_TIMEOUT /
 * $SANCTGRAPH_MAX_MEMORY, else the defaults given (0: none).  "0", "none"
 * and "off" mean no limit.  Prints a usage error and returns -1 when a
 * value is not a number of seconds or a size (512M, 2G). */
int cli_limits_apply(cli *c, const cli_limits *l, uint64_t def_ms, uint64_t def_bytes, cy_session *s);

/* From now on Ctrl-C stops the running statement (a second one ends the
 * process at once); cli_sigint_restore() puts back what was there. */
void cli_sigint_catch(void);
void cli_sigint_restore(void);

/* "table", "csv", "json", "jsonl" as a cy_format; -1 for anything else. */
int cli_parse_format(const char *s, cy_format *f);

/*
 * Runs the statements of text on s, printing their rows to out in format
 * fmt; Ctrl-C stops the running statement.  An error is printed as
 * "sanctgraph: CMD: line L, column C: ..." with the statement's line and a
 * caret.  Returns EXIT_OK or EXIT_ERR (a failed statement, a stopped one,
 * or output that could not be written).
 */
int cli_run_cypher(cli *c, cy_session *s, const char *text, size_t len, cy_format fmt, int raw, FILE *out);

#define CLI_LIMITS_HELP \
	"  --timeout SECONDS   stop a statement that runs longer (default: $SANCTGRAPH_TIMEOUT)\n" \
	"  --max-memory SIZE   stop a statement that needs more memory, as 512M or 2G\n" \
	"                      (default: $SANCTGRAPH_MAX_MEMORY); 0 or none: no limit\n"

#endif
