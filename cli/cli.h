/*
 * cli.h: what the command files of cli/ share: the global options, error
 * reporting in the contract's format, and opening the database.
 *
 * Each command is `int cmd_NAME(cli *c, int argc, char **argv)` with argv[0]
 * the command name; it returns the process exit status: 0 success, 1 runtime
 * error, 2 usage error, 3 problems found (audit, check).
 */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <stdio.h>
#include "../graph/graph.h"

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2, EXIT_FOUND = 3 };

typedef struct cli {
	const char *db_dir;       /* --db, $SANCTGRAPH_DB, ./sanctgraph.db */
	const char *author;       /* --author, $SANCTGRAPH_AUTHOR, $LOGNAME, $USER, user id */
	const char *cmd;          /* the command being run */
	char *cmdline;            /* the whole command line, for the change log */
	gr_db *db;
} cli;

/* Prints "sanctgraph: <cmd>: <message>" to stderr. */
void cli_error(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the error and the command's usage hint; returns EXIT_USAGE. */
int cli_usage(cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens the database (create: make it if missing).  Prints the error and
 * returns non-zero on failure. */
int cli_open(cli *c, int create);
/* cli_open, also giving gr_open's status (GR_ECORRUPT: a damaged file). */
int cli_open_status(cli *c, int create, int *code);
/* Opens the database (never creating it) and begins a read transaction;
 * prints the error and returns non-zero on failure. */
int cli_read(cli *c, gr_txn **t);
/* Resolves REF (Label:key, key, #id) to a node id; when there is no such
 * node, prints the error with what `find` finds for it ("did you mean");
 * returns 0 or non-zero after printing. */
int cli_resolve(cli *c, gr_txn *t, const char *ref, uint32_t *id);
/* Exit status for a graph error code. */
int cli_status(int gr_code);

/* `--help` text of a command, printed when argv has --help or -h; returns
 * 1 when help was printed. */
int cli_help(int argc, char **argv, const char *text);

/* Parses "PROP=VALUE" into a property name and a typed value: integers
 * (exact), floats, true/false, ISO dates and datetimes, JSON lists
 * (`[..]`), otherwise a string.  Double quotes keep a value that would be
 * typed a string ("9161003", "true"); other text in quotes is kept as
 * written, quotes included.  Returns 0, -1 when there is no '=', -2 when
 * out of memory. */
int cli_parse_prop(const char *arg, char **name, gr_value *val);

/* Reads a whole file ("-" for stdin) into a malloc'd NUL-terminated buffer. */
char *cli_read_file(const char *path, size_t *len);

/* Runs query (with --param NAME=VALUE texts) and adds the nodes,
 * relationships and paths of its rows to sg (finished, not loaded); on
 * success *t is a read transaction of the database for the caller to end.
 * Prints the error and returns EXIT_ERR on failure (query_select.c). */
struct ex_subgraph;
int cli_query_subgraph(cli *c, const char *query, char *const *params, size_t nparams, gr_txn **t,
    struct ex_subgraph *sg);
/* As cli_query_subgraph, then the selection made whole (ex_subgraph_close)
 * and copied into a new database in a new temporary directory *tmpdir
 * (malloc'd; the caller closes *tmpdb and removes the directory); on
 * success *txn is a read transaction of the copy. */
int cli_query_copy(cli *c, const char *query, char *const *params, size_t nparams, char **tmpdir,
    gr_db **tmpdb, gr_txn **txn);

int cmd_init(cli *c, int argc, char **argv);
int cmd_add(cli *c, int argc, char **argv);
int cmd_link(cli *c, int argc, char **argv);
int cmd_show(cli *c, int argc, char **argv);
int cmd_find(cli *c, int argc, char **argv);
int cmd_import(cli *c, int argc, char **argv);
int cmd_export(cli *c, int argc, char **argv);
int cmd_stats(cli *c, int argc, char **argv);
int cmd_log(cli *c, int argc, char **argv);
int cmd_check(cli *c, int argc, char **argv);
int cmd_backup(cli *c, int argc, char **argv);
int cmd_upgrade(cli *c, int argc, char **argv);
int cmd_demo(cli *c, int argc, char **argv);
int cmd_query(cli *c, int argc, char **argv);
int cmd_path(cli *c, int argc, char **argv);
int cmd_timeline(cli *c, int argc, char **argv);
int cmd_diagram(cli *c, int argc, char **argv);
int cmd_report(cli *c, int argc, char **argv);
int cmd_audit(cli *c, int argc, char **argv);
int cmd_retract(cli *c, int argc, char **argv);
int cmd_merge(cli *c, int argc, char **argv);
int cmd_shell(cli *c, int argc, char **argv);
int cmd_cite(cli *c, int argc, char **argv);
int cmd_uncite(cli *c, int argc, char **argv);
int cmd_set(cli *c, int argc, char **argv);
int cmd_unset(cli *c, int argc, char **argv);
int cmd_unlink(cli *c, int argc, char **argv);
int cmd_detect(cli *c, int argc, char **argv);
int cmd_track(cli *c, int argc, char **argv);

#endif
