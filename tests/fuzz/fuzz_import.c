/*
 * fuzz_import.c: libFuzzer target for the importers, into a fresh small
 * database for each input (fuzz_db.h).  Built twice: as fuzz_import_jsonl
 * (the input is one JSONL file) and, with -DFUZZ_CSV, as fuzz_import_csv
 * (the input is a neo4j-admin node file, and after a line "%%" a
 * relationship file).  The last byte chooses --skip-bad.
 *
 * Beyond crashes, leaks and sanitizer reports, two properties: an import
 * that succeeds leaves a database `check` passes, and one that fails
 * leaves the database as it was (one transaction: all or nothing).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_db.h"
#include "ingest/ingest.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* one Source and one node, so references and citations can resolve */
	fuzz_db_template("CREATE (:Source {key: 'src-1', publisher: 'P'}), "
	    "(:Vessel {key: 'IMO9161003', name: 'LADY R', imo: '9161003'}), (:Port {key: 'RUVYP'})");
	return 0;
}

static void problem(void *arg, const char *msg)
{
	fprintf(stderr, "fuzz: check: %s\n", msg);
	(*(long *)arg)++;
}

/* The change log's head and the database's problems. */
static void inspect(gr_db *db, uint64_t *head, long *problems)
{
	gr_txn *t;
	gr_error err;
	long found = 0;
	if (gr_begin(db, 0, &t, &err) != GR_OK)
		fuzz_die(err.msg);
	*head = gr_log_head(t);
	if (problems && gr_check(t, problem, &found, &err) != 0)
		fuzz_die("check found problems after a successful import");
	gr_abort(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ig_input in[2];
	ig_options o;
	ig_stats st;
	gr_error err;
	size_t nin = 1;
	uint64_t before, after;
	gr_db *db;
	int rc;
	memset(in, 0, sizeof in);
	memset(&o, 0, sizeof o);
#ifdef FUZZ_CSV
	const uint8_t *sep = NULL;
	for (size_t i = 0; i + 3 <= size; i++)
		if ((i == 0 || data[i - 1] == '\n') && data[i] == '%' && data[i + 1] == '%' && data[i + 2] == '\n') {
			sep = data + i;
			break;
		}
	in[0].in_path = fuzz_file("input", data, sep ? (size_t)(sep - data) : size);
	in[0].in_role = IG_ROLE_NODES;
	in[0].in_format = IG_CSV;
	if (sep) {
		in[1].in_path = fuzz_file("input2", sep + 3, size - (size_t)(sep + 3 - data));
		in[1].in_role = IG_ROLE_RELS;
		in[1].in_format = IG_CSV;
		nin = 2;
	}
#else
	in[0].in_path = fuzz_file("input", data, size);
	in[0].in_format = IG_JSONL;
#endif
	o.o_inputs = in;
	o.o_ninputs = nin;
	o.o_skip_bad = size && (data[size - 1] & 1);
	db = fuzz_db_fresh();
	inspect(db, &before, NULL);
	memset(&err, 0, sizeof err);
	rc = ig_import(db, &o, &st, &err);
	if (rc == GR_OK) {
		long problems = 0;
		inspect(db, &after, &problems);
	} else {
		if (!err.msg[0])
			fuzz_die("a failed import must say why");
		inspect(db, &after, NULL);
		if (after != before)
			fuzz_die("a failed import changed the database");
	}
	/* kept open for the next input when nothing was committed */
	return 0;
}
