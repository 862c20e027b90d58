/*
 * fuzz_cypher.c: libFuzzer target for the whole Cypher path: parser,
 * checks, planner, executor (reads and writes) and the output formats, on a
 * fresh copy of a small graph for each input (fuzz_db.h), with a time and
 * memory limit on every statement as `shell` has.  The input's first byte
 * chooses the output format; the rest is the script.  Any crash, leak or
 * sanitizer report is a bug, and so is a failure without a message or a
 * database that `check` finds damaged afterwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_db_template(
	    "CREATE (s:Source {key: 'planet-2024-04-14', publisher: 'Planet', kind: 'imagery'}),"
	    " (v:Vessel {key: 'IMO9161003', name: 'LADY R', imo: '9161003', flag: 'RU'}),"
	    " (w:Vessel {key: 'IMO9000003', name: 'OTHER', tonnage: 1200, tags: ['a', 'b']}),"
	    " (p:Port {key: 'RUVYP', name: 'Vysotsk', country: 'RU'}),"
	    " (q:Port {key: 'ZASIM', name: 'Simon\\'s Town', country: 'ZA'}),"
	    " (c:Company {key: 'c1', name: 'Ocean Star Ltd', since: date('2020-01-01')}),"
	    " (v)-[:CALLED_AT {start: date('2024-04-02'), end: date('2024-04-04')}]->(p),"
	    " (v)-[:SIGHTED_AT {date: date('2024-04-14'), at: datetime('2024-04-14T10:00:00Z')}]->(q),"
	    " (v)-[:OWNED_BY {since: date('2021-05-01'), share: 0.5}]->(c),"
	    " (w)-[:OWNED_BY]->(c), (c)-[:LINKED_TO]->(c)");
	if (!(devnull = fopen("/dev/null", "w")))
		fuzz_die("no /dev/null");
	return 0;
}

static void problem(void *arg, const char *msg)
{
	fprintf(stderr, "fuzz: check: %s\n", msg);
	(void)arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cy_format formats[] = { CY_FMT_TABLE, CY_FMT_CSV, CY_FMT_JSON, CY_FMT_JSONL };
	cy_session *s;
	cy_writer *w;
	cy_error err;
	gr_db *db;
	gr_txn *t;
	gr_error gerr;
	int rc;
	if (size < 1)
		return 0;
	db = fuzz_db_fresh();
	if (cy_session_new(db, &s) != CY_OK || !(w = cy_writer_new(devnull, formats[data[0] & 3])))
		fuzz_die("out of memory");
	cy_session_limits(s, 1000, 64ULL << 20);
	cy_session_param(s, "p", gr_int(1));
	rc = cy_run_text(s, (const char *)data + 1, size - 1, w, NULL, 0, NULL, &err);
	if (rc != CY_OK) {
		char msg[1024];
		if (!err.message[0] || err.offset > size - 1)
			fuzz_die("an error without a message or outside the text");
		cy_error_format(&err, (const char *)data + 1, size - 1, msg, sizeof msg);
	}
	cy_writer_free(w);
	cy_session_free(s);
	if (gr_begin(db, 0, &t, &gerr) != GR_OK)
		fuzz_die(gerr.msg);
	if (gr_check(t, problem, NULL, &gerr) != 0)
		fuzz_die("check found problems after the statements");
	gr_abort(t);
	/* kept open for the next input when nothing was committed */
	return 0;
}
