/*
 * cmd_export.c: `export`: the whole graph as native JSONL (export/export.h)
 * to standard output, or to a file that appears only once it is complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "../export/export.h"

static const char export_help[] =
"usage: sanctgraph [--db DIR] export [--format jsonl] [-o PATH]\n"
"\n"
"Writes the whole graph as JSONL, one node or relationship per line, in the\n"
"form `import` reads back exactly: import(export(db)) == db.  Source nodes\n"
"come first, then the other nodes, then the relationships; the same\n"
"database always gives the same bytes.\n"
"\n"
"options:\n"
"  --format F     jsonl (the default); ftm, csv and cypher are not supported yet\n"
"  -o, --output PATH\n"
"                 write to PATH (replaced only when the export is complete)\n"
"                 instead of standard output\n";

/* Exports to a temporary file next to path, then renames it into place. */
static int export_to_file(cli *c, gr_txn *txn, const char *path)
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
	if (ex_jsonl(txn, f, &err) != GR_OK) {
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

int cmd_export(cli *c, int argc, char **argv)
{
	const char *format = "jsonl", *out = NULL;
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
		} else if (strcmp(a, "--query") == 0 || strncmp(a, "--query=", 8) == 0) {
			cli_error(c, "--query is not supported yet");
			return EXIT_ERR;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage(c, "unknown option %s", a);
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (strcmp(format, "ftm") == 0 || strcmp(format, "csv") == 0 || strcmp(format, "cypher") == 0) {
		cli_error(c, "format %s is not supported yet", format);
		return EXIT_ERR;
	}
	if (strcmp(format, "jsonl") != 0)
		return cli_usage(c, "unknown format '%s' (jsonl, ftm, csv or cypher)", format);
	if (out && !*out)
		return cli_usage(c, "-o needs a path");
	if (cli_open(c, 0))
		return EXIT_ERR;
	if (gr_begin(c->db, 0, &txn, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	if (out && strcmp(out, "-") != 0) {
		status = export_to_file(c, txn, out);
	} else if (ex_jsonl(txn, stdout, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		status = EXIT_ERR;
	} else {
		status = EXIT_OK;
	}
	gr_abort(txn);
	return status;
}
