/*
 * cmd_export.c: `export`: the whole graph as native JSONL, as a Cypher
 * script, or as a directory of neo4j-admin import CSV files
 * (export/export.h), to standard output or to a file or directory that
 * appears only once it is complete.
 */
#define _XOPEN_SOURCE 700   /* nftw */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../export/export.h"
#include "../export/redact.h"

static const char export_help[] =
"usage: sanctgraph [--db DIR] export [--format jsonl|ftm|csv|cypher] [-o PATH]\n"
"                  [--query CYPHER [--param NAME=VALUE]...]\n"
"                                     [--include-confidential]\n"
"\n"
"Writes the whole graph, or with --query the subgraph the query returns:\n"
"its nodes, relationships and paths, every relationship between those\n"
"nodes, and the Source nodes they cite.  The same database always gives\n"
"the same bytes.\n"
"\n"
"  jsonl   one node or relationship per line, in the form `import` reads\n"
"          back exactly: import(export(db)) == db.  Source nodes come first,\n"
"          then the other nodes, then the relationships.\n"
"  csv     neo4j-admin import files in the directory -o DIR (which must not\n"
"          exist or be empty): nodes-<Label>.csv per first label and\n"
"          rels-<TYPE>-<From>-<To>.csv per relationship type and end labels,\n"
"          typed columns, citations in a `sources` column of KEY|CONFIDENCE\n"
"          items.  Prints the neo4j-admin command that loads them;\n"
"          `sanctgraph import DIR/*.csv` reads them back too.\n"
"  ftm     FollowTheMoney entity lines, as OpenSanctions publishes them:\n"
"          nodes as entities (schema = first label), OWNED_BY, DIRECTOR_OF,\n"
"          SANCTIONED_UNDER, LINKED_TO ... as Ownership, Directorship,\n"
"          Sanction, Family ... entities, cited Sources as datasets.\n"
"          `import --format ftm` reads it back; Source nodes, confidences,\n"
"          second labels and value types other than dates are not kept.\n"
"  cypher  a script of CREATE statements that rebuilds the graph in Neo4j\n"
"          (or with `sanctgraph query -f`); citations as for csv.\n"
"  ftm     FollowTheMoney entity lines (not in this build yet).\n"
"A confidential source (a Source with confidential: true) is written in\n"
"full only in jsonl; csv and cypher (and ftm) write it as \"confidential\n"
"source (publisher withheld)\" with no title, publisher, url or sha256,\n"
"unless --include-confidential.\n"
"Values Neo4j cannot store (maps, nested or mixed lists) are written as\n"
"their JSON text; a warning on stderr names each such column or property.\n"
"\n"
"options:\n"
"  --format F     jsonl (the default), ftm, csv or cypher\n"
"  --query CYPHER the subgraph of the query's result instead of the whole graph\n"
"  --param NAME=VALUE\n"
"                 a query parameter (repeatable), as for `query`\n"
"  --include-confidential\n"
"                 write confidential sources as they are in every format\n"
"  --no-positions  jsonl: leave out the AIS positions ({\"position\": ...} lines)\n"
"  -o, --output PATH\n"
"                 write to PATH (replaced only when the export is complete)\n"
"                 instead of standard output; a directory for csv\n";

/* Prints an exporter's note as a warning. */
static void print_note(void *arg, const char *msg)
{
	cli *c = arg;
	fprintf(stderr, "sanctgraph: %s: warning: %s\n", c->cmd, msg);
}

/* A whole-graph exporter writing to a stream. */
typedef int (*stream_exporter)(cli *c, gr_txn *txn, FILE *out, gr_error *err);

static int no_positions;   /* --no-positions */

static int write_jsonl(cli *c, gr_txn *txn, FILE *out, gr_error *err)
{
	int rc = ex_jsonl(txn, out, err);
	return rc == GR_OK && !no_positions ? ex_jsonl_positions(txn, out, err) : rc;
}

static int write_ftm(cli *c, gr_txn *txn, FILE *out, gr_error *err)
{
	return ex_ftm(txn, out, err);
}

static int write_cypher(cli *c, gr_txn *txn, FILE *out, gr_error *err)
{
	return ex_cypher(txn, out, print_note, c, err);
}

/* Exports to a temporary file next to path, then renames it into place. */
static int export_to_file(cli *c, gr_txn *txn, const char *path, stream_exporter writer)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 16);
	FILE *f = NULL;
	gr_error err = { 0 };
	mode_t mask;
	int fd = -1, rc = EXIT_ERR;

	if (!tmp) {
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	snprintf(tmp, len + 16, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		cli_error(c, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return EXIT_ERR;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(f = fdopen(fd, "w"))) {
		cli_error(c, "%s: %s", tmp, strerror(errno));
		close(fd);
		goto done;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	if (writer(c, txn, f, &err) != GR_OK) {
		cli_error(c, "%s: %s", path, err.msg);
		fclose(f);
		goto done;
	}
	if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
		cli_error(c, "%s: cannot write: %s", path, strerror(errno));
		fclose(f);
		goto done;
	}
	if (fclose(f) != 0) {
		cli_error(c, "%s: cannot write: %s", path, strerror(errno));
		goto done;
	}
	if (rename(tmp, path) < 0) {
		cli_error(c, "%s: cannot replace: %s", path, strerror(errno));
		goto done;
	}
	rc = EXIT_OK;
done:
	if (rc != EXIT_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* Whether directory path is empty (1), not (0), or unreadable (-1). */
static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	int empty = 1;
	if (!d)
		return -1;
	while (empty && (de = readdir(d)))
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

/* Exports as neo4j-admin CSV into a new directory DIR.tmp-PID, renamed to
 * dir once complete; prints the neo4j-admin command on stdout. */
static int export_csv_dir(cli *c, gr_txn *txn, const char *path)
{
	size_t len = strlen(path);
	char *dir = NULL, *tmp = NULL;
	ex_csv_result res;
	gr_error err = { 0 };
	gr_buf cmd = { 0 };
	struct stat sb;
	int rc = EXIT_ERR, made = 0;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (!(dir = strndup(path, len)) || !(tmp = malloc(len + 32))) {
		cli_error(c, "out of memory");
		goto done;
	}
	if (stat(dir, &sb) == 0) {
		int empty = S_ISDIR(sb.st_mode) ? dir_empty(dir) : -2;
		if (empty == -2) {
			cli_error(c, "%s exists and is not a directory", dir);
			goto done;
		}
		if (empty < 0) {
			cli_error(c, "%s: %s", dir, strerror(errno));
			goto done;
		}
		if (!empty) {
			cli_error(c, "%s exists and is not empty: give a new or empty directory", dir);
			goto done;
		}
	}
	snprintf(tmp, len + 32, "%s.tmp-%ld", dir, (long)getpid());
	if (mkdir(tmp, 0777) < 0) {
		cli_error(c, "%s: cannot create: %s", tmp, strerror(errno));
		goto done;
	}
	made = 1;
	if (ex_csv(txn, tmp, print_note, c, &res, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		goto done;
	}
	if (rename(tmp, dir) < 0) {
		cli_error(c, "%s: cannot create: %s", dir, strerror(errno));
		for (size_t i = 0; i < res.cr_nfiles; i++) {
			char *f = malloc(strlen(tmp) + strlen(res.cr_files[i].cf_name) + 2);
			if (f) {
				sprintf(f, "%s/%s", tmp, res.cr_files[i].cf_name);
				unlink(f);
				free(f);
			}
		}
		ex_csv_result_free(&res);
		goto done;
	}
	made = 0;
	if (ex_csv_neo4j_command(&res, dir, &cmd) < 0 || gr_buf_byte(&cmd, 0) < 0) {
		cli_error(c, "out of memory");
	} else {
		size_t nf = 0;
		for (size_t i = 0; i < res.cr_nfiles; i++)
			nf += !res.cr_files[i].cf_rels;
		fprintf(stderr, "exported %llu nodes (%zu files) and %llu relationships (%zu files) to %s\n",
		    (unsigned long long)res.cr_nodes, nf, (unsigned long long)res.cr_rels, res.cr_nfiles - nf, dir);
		printf("%s\n", (char *)cmd.b_data);
		rc = fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
	}
	ex_csv_result_free(&res);
done:
	if (made)
		rmdir(tmp);
	gr_buf_free(&cmd);
	free(dir);
	free(tmp);
	return rc;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

int cmd_export(cli *c, int argc, char **argv)
{
	const char *format = "jsonl", *out = NULL, *query = NULL;
	char **params = NULL, *tmpdir = NULL;
	size_t nparams = 0;
	gr_db *tmpdb = NULL;
	stream_exporter writer = NULL;    /* NULL: csv */
	gr_txn *txn = NULL;
	gr_error err = { 0 };
	int status;

	if (cli_help(argc, argv, export_help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s needs a format", a);
			format = argv[++i];
		} else if (strncmp(a, "--format=", 9) == 0) {
			format = a + 9;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s needs a path", a);
			out = argv[++i];
		} else if (strncmp(a, "--output=", 9) == 0) {
			out = a + 9;
		} else if (strcmp(a, "--include-confidential") == 0) {
			ex_set_include_confidential(1);
		} else if (strcmp(a, "--query") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--query needs a Cypher query");
			query = argv[++i];
		} else if (strncmp(a, "--query=", 8) == 0) {
			query = a + 8;
		} else if (strcmp(a, "--param") == 0) {
			if (i + 1 >= argc || !strchr(argv[i + 1], '='))
				return cli_usage(c, "--param needs NAME=VALUE");
			if (!params && !(params = calloc((size_t)argc, sizeof *params))) {
				cli_error(c, "out of memory");
				return EXIT_ERR;
			}
			params[nparams++] = argv[++i];
		} else if (strcmp(a, "--no-positions") == 0) {
			no_positions = 1;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(c, "unknown option %s", a);
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (strcmp(format, "ftm") == 0)
		writer = write_ftm;
	else if (strcmp(format, "jsonl") == 0)
		writer = write_jsonl;
	else if (strcmp(format, "cypher") == 0)
		writer = write_cypher;
	else if (strcmp(format, "csv") != 0)
		return cli_usage(c, "unknown format '%s' (jsonl, ftm, csv or cypher)", format);
	if (out && !*out)
		return cli_usage(c, "-o needs a path");
	if (!writer && (!out || strcmp(out, "-") == 0))
		return cli_usage(c, "--format csv writes a directory of files: give it with -o DIR");
	if (nparams && !query)
		return free(params), cli_usage(c, "--param goes with --query");
	if (query ? cli_query_copy(c, query, params, nparams, &tmpdir, &tmpdb, &txn) != EXIT_OK : cli_read(c, &txn) != 0) {
		status = EXIT_ERR;
		goto done;
	}
	if (!writer) {
		status = export_csv_dir(c, txn, out);
	} else if (out && strcmp(out, "-") != 0) {
		status = export_to_file(c, txn, out, writer);
	} else if (writer(c, txn, stdout, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		status = EXIT_ERR;
	} else {
		status = EXIT_OK;
	}
done:
	if (txn)
		gr_abort(txn);
	if (tmpdb)
		gr_close(tmpdb);
	if (tmpdir)
		nftw(tmpdir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
	free(params);
	return status;
}
