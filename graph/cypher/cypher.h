/*
 * cypher.h: the openCypher query engine.
 *
 * The front end (parse.h) turns text into a checked syntax tree; this engine
 * plans each statement into a tree of pull-based operators (plan.c), runs it
 * against the graph (exec.c, expr.c, func.c, agg.c, update.c) and writes the
 * rows in the contract's output formats (output.c).
 *
 *	cy_session *s;
 *	cy_writer *w;
 *	cy_error err;
 *	cy_session_new(db, &s);
 *	w = cy_writer_new(stdout, CY_FMT_TABLE);
 *	if (cy_run_text(s, text, len, w, NULL, NULL, &err) != CY_OK) {
 *		char msg[2048];
 *		cy_error_format(&err, text, len, msg, sizeof msg);
 *		fprintf(stderr, "sanctgraph: query: %s\n", msg);
 *	}
 *	cy_writer_free(w);
 *	cy_session_free(s);
 *
 * Transactions: a statement that only reads runs in a read transaction
 * (it never blocks writers); a statement that writes runs in one write
 * transaction through gr_write(), so it is replayed from scratch when the
 * map grows, and it is recorded in the change log when it changed anything.
 * Each statement is its own transaction: when statement 3 of a script
 * fails, what statements 1 and 2 wrote stays.
 *
 * Ownership: a session owns its parameters and caches; a writer owns its
 * buffers, not its FILE.  Values given to cy_session_param() are taken over.
 *
 * Errors: functions return CY_OK or a negative code (parse.h's, or those
 * below) and fill a cy_error whose line and column (1-based, 0 when no
 * position applies) point into the text that was run, and whose offset is a
 * byte offset into that text, ready for cy_error_format().
 */
#ifndef SG_CYPHER_H
#define SG_CYPHER_H

#include <stdio.h>
#include <stdint.h>
#include "parse.h"
#include "../graph.h"

#define CY_ERUNTIME  (-4)  /* evaluation failed: a type error, a division by zero, a missing parameter */
#define CY_EDB       (-5)  /* the store or the graph layer failed */
#define CY_EEMPTY    (-6)  /* the text holds no statement */
#define CY_ELIMIT    (-7)  /* a time or memory limit was reached, or the statement was interrupted */

/* Output formats of the contract. */
typedef enum cy_format {
	CY_FMT_TABLE,      /* aligned columns, for people */
	CY_FMT_CSV,        /* RFC 4180 with a header row; null is an empty field */
	CY_FMT_JSON,       /* one {"columns":[...],"rows":[[...],...]} per statement */
	CY_FMT_JSONL,      /* one object per row, column name to value */
	CY_FMT_NONE        /* rows are counted and dropped */
} cy_format;

typedef struct cy_session cy_session;
typedef struct cy_writer cy_writer;

/* What one statement did: result rows and time spent (parse, plan,
 * execution and writing the rows), in milliseconds. */
typedef struct cy_stats {
	uint64_t rows;
	double ms;
} cy_stats;

/* ---- sessions ---- */

/* A session runs statements on db (opened by the caller, who closes it
 * after cy_session_free).  Holds the parameters and the caches that stay
 * valid as long as the database does not change (label bitmaps, candidate
 * sets of anchors).  Returns CY_OK or CY_ENOMEM. */
int cy_session_new(gr_db *db, cy_session **out);
void cy_session_free(cy_session *s);

/* Sets parameter $name to v, taking ownership of v.  Returns CY_OK or
 * CY_ENOMEM. */
int cy_session_param(cy_session *s, const char *name, gr_value v);

/* The value of a --param VALUE: a Cypher literal when the whole text is one
 * (42, 'text', true, [1, 2], {a: 1}, null, -1.5), otherwise the text as a
 * string.  *out is new and owned by the caller.  Returns CY_OK or
 * CY_ENOMEM. */
int cy_param_value(const char *text, gr_value *out);

/* Evaluates a constant expression (a literal, or arithmetic and functions
 * of literals) outside any query.  Returns CY_OK, CY_ERUNTIME or CY_ENOMEM. */
int cy_eval_constant(const cy_expr *e, gr_value *out, cy_error *err);

/* ---- running ---- */

/*
 * Runs every statement of `text` (statements separated by ';', a trailing
 * ';' allowed) in order, each parsed, planned and run on its own, its rows
 * written to w as one block.  Stops at the first statement that fails; a
 * failed statement writes nothing (neither to the database nor, as far as
 * it was still held, to w).
 *
 * A statement may start with EXPLAIN (its plan is the result: one column
 * `plan`, one row per operator, and nothing runs) or PROFILE (it runs, its
 * rows are written, and the plan with the rows each operator produced goes
 * to stderr).
 *
 * stats, nstats: when stats is not NULL, the figures of statement i go to
 *   stats[i] for i < nstats; *nrun (may be NULL) receives the number of
 *   statements that completed.
 * err: positions are relative to text.
 *
 * Returns CY_OK, CY_EEMPTY (no statement at all), CY_ESYNTAX, CY_ESEMANTIC,
 * CY_ERUNTIME, CY_EDB or CY_ENOMEM.
 */
int cy_run_text(cy_session *s, const char *text, size_t len, cy_writer *w,
    cy_stats *stats, size_t nstats, size_t *nrun, cy_error *err);

/* One result row as cy_run_rows hands it over: the index of its statement
 * in the text, the column names and the values (nodes and relationships as
 * ids, read through the caller's transaction).  Valid during the call. */
typedef struct cy_row {
	size_t stmt;
	const char *const *names;
	const gr_value *vals;
	size_t ncols;
} cy_row;

/*
 * Runs every statement of `text` as cy_run_text does, but inside the
 * caller's transaction txn, handing each result row to fn instead of a
 * writer: what the rows name is read from the same snapshot as the
 * caller's other reads.  fn returns 0 to go on, or non-zero to stop (the
 * remaining rows and statements are skipped and CY_OK is returned).  A
 * statement that writes needs a write transaction (else CY_ESEMANTIC, and
 * nothing runs); EXPLAIN's rows are its plan, one column `plan`.  The
 * transaction stays the caller's to commit or abort.
 */
int cy_run_rows(cy_session *s, gr_txn *txn, const char *text, size_t len,
    int (*fn)(void *arg, const cy_row *row), void *arg, cy_error *err);

/*
 * Limits for each statement the session runs from now on: timeout_ms of
 * wall-clock time and max_bytes of heap beyond what the process held when
 * the statement started (0: no limit).  A statement past a limit, or one
 * running when cy_interrupt() is called, stops within a fraction of a
 * second with CY_ELIMIT and a message naming the limit; its transaction
 * is aborted.
 */
void cy_session_limits(cy_session *s, uint64_t timeout_ms, uint64_t max_bytes);

/* Asks the running statement to stop (async-signal-safe: for a SIGINT
 * handler); cy_interrupt_clear() before the next statement. */
void cy_interrupt(void);
int cy_interrupted(void);
void cy_interrupt_clear(void);

/* "2", "1.5", "30s" as milliseconds; "512M", "2G", "2GiB", "65536" as bytes
 * (K, M, G, T are powers of 1024).  0 or -1 when the text is not one. */
int cy_parse_seconds(const char *s, uint64_t *ms);
int cy_parse_size(const char *s, uint64_t *bytes);
/* "512 MiB", "1000 bytes". */
void cy_format_size(uint64_t bytes, char *buf, size_t n);
/* Calls fn, before each statement of cy_run_text runs, for each label,
 * relationship type or property it reads that the database has never held
 * ("line 1, column 10: the database has never held the label 'Vesel' ...");
 * the statement runs all the same, as openCypher says. */
void cy_session_on_warning(cy_session *s, void (*fn)(void *arg, const char *msg), void *arg);

/* Calls fn after each statement of cy_run_text (for --timing lines). */
void cy_session_on_stmt(cy_session *s, void (*fn)(void *arg, size_t index,
    const cy_stats *st), void *arg);

/*
 * Parses and runs `text`, printing each statement's rows to out in format
 * fmt: the one-call form for the demo and for other commands.  Errors are
 * rendered into err as cy_run_text does.
 */
int cy_query_print(gr_db *db, const char *text, FILE *out, cy_format fmt,
    cy_error *err);

/* ---- output ---- */

/* A writer of result blocks in format fmt onto out.  Rows of a reading
 * statement stream out as they come; those of a writing statement are held
 * until its transaction commits.  Returns NULL when out of memory. */
cy_writer *cy_writer_new(FILE *out, cy_format fmt);
/* Flushes what is pending and frees the writer (not its FILE). */
void cy_writer_free(cy_writer *w);
/* 1 when writing to out failed (disk full, closed pipe). */
int cy_writer_failed(const cy_writer *w);
/* csv: raw set writes strings as they are; otherwise (the default) a string
 * that begins with =, +, -, @, tab or CR gets a leading ' so that a
 * spreadsheet does not take it for a formula (OWASP's advice). */
void cy_writer_set_raw(cy_writer *w, int raw);

/* Appends the JSON form of v to b (contract shapes: nodes with kind, id,
 * labels, key and properties; relationships; paths), reading what nodes
 * and relationships hold through txn.  Returns 0, or -1 on ENOMEM. */
int cy_value_json(gr_txn *txn, gr_buf *b, const gr_value *v);
/* Appends the display form of v used by the table and CSV formats:
 * (Vessel:IMO9161003 {name: 'LADY R'}), [:SIGHTED_AT {date: 2024-04-02}],
 * strings bare at the top level. */
int cy_value_text(gr_txn *txn, gr_buf *b, const gr_value *v);

#endif
