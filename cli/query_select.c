/*
 * query_select.c: what `diagram`, `report` and `export` take from --query:
 * the nodes, relationships and paths of a Cypher query's result.
 */
#define _GNU_SOURCE   /* strndup */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../export/subgraph.h"
#include "../graph/cypher/cypher.h"

typedef struct row_sink {
	ex_subgraph *rs_sg;
	int rs_rc;           /* GR_ENOMEM when a row could not be added */
} row_sink;

/* One result row: its nodes, relationships and paths join the selection. */
static int add_row(void *arg, const cy_row *r)
{
	row_sink *k = arg;
	for (size_t i = 0; i < r->ncols && k->rs_rc == GR_OK; i++)
		k->rs_rc = ex_subgraph_add_value(k->rs_sg, &r->vals[i]);
	return k->rs_rc != GR_OK;   /* stops the query */
}

/* Runs the query and adds what its rows hold to sg.  The rows are read in
 * the transaction the caller goes on to draw from, so what the query found
 * is what is drawn: a write committed meanwhile is in neither. */
int cli_query_subgraph(cli *c, const char *query, char *const *params, size_t nparams, gr_txn **t, ex_subgraph *sg)
{
	cy_session *s = NULL;
	cy_error qerr;
	gr_error err = { 0 };
	row_sink sink = { sg, GR_OK };
	int rc, status = EXIT_ERR;

	memset(&qerr, 0, sizeof qerr);
	*t = NULL;
	if (cy_session_new(c->db, &s) != CY_OK)
		goto nomem;
	for (size_t i = 0; i < nparams; i++) {
		const char *eq = strchr(params[i], '=');
		char *name = strndup(params[i], (size_t)(eq - params[i]));
		gr_value v;
		if (!name || cy_param_value(eq + 1, &v) != CY_OK) {
			free(name);
			goto nomem;
		}
		rc = cy_session_param(s, name, v);
		free(name);
		if (rc != CY_OK)
			goto nomem;
	}
	if (gr_begin(c->db, 0, t, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		goto done;
	}
	rc = cy_run_rows(s, *t, query, strlen(query), add_row, &sink, &qerr);
	if (rc != CY_OK) {
		char msg[2048];
		cy_error_format(&qerr, query, strlen(query), msg, sizeof msg);
		cli_error(c, "query: %s", msg);
		goto done;
	}
	if (sink.rs_rc != GR_OK)
		goto nomem;
	ex_subgraph_finish(sg);
	status = EXIT_OK;
	goto done;
nomem:
	cli_error(c, "out of memory");
done:
	if (status != EXIT_OK && *t) {
		gr_abort(*t);
		*t = NULL;
	}
	if (s)
		cy_session_free(s);
	return status;
}

/* The subgraph of the query's result, copied into a new database in a
 * temporary directory (*tmpdir, removed by the caller with
 *nftw); on success *txn reads it. */
int cli_query_copy(cli *c, const char *query, char *const *params, size_t nparams, char **tmpdir,
    gr_db **tmpdb, gr_txn **txn)
{
	ex_subgraph sg;
	gr_txn *t = NULL;
	gr_error err = { 0 };
	const char *base = getenv("TMPDIR");
	char *dir;
	int status = EXIT_ERR;

	ex_subgraph_init(&sg);
	*tmpdir = NULL;
	if (cli_open(c, 0) || cli_query_subgraph(c, query, params, nparams, &t, &sg) != EXIT_OK)
		goto done;
	if (ex_subgraph_close(t, &sg, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		goto done;
	}
	if (!(dir = malloc(strlen(base && *base ? base : "/tmp") + 32))) {
		cli_error(c, "out of memory");
		goto done;
	}
	sprintf(dir, "%s/sanctgraph-export-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir)) {
		cli_error(c, "%s: cannot create: %s", dir, strerror(errno));
		free(dir);
		goto done;
	}
	*tmpdir = dir;
	if (gr_open(dir, 1, tmpdb, &err) != GR_OK || ex_subgraph_copy(t, &sg, *tmpdb, &err) != GR_OK ||
	    gr_begin(*tmpdb, 0, txn, &err) != GR_OK) {
		cli_error(c, "query subgraph: %s", err.msg);
		goto done;
	}
	status = EXIT_OK;
done:
	if (t)
		gr_abort(t);
	ex_subgraph_free(&sg);
	return status;
}

