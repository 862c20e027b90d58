/*
 * cyparse: reads an openCypher script from stdin (or -e TEXT) and prints
 * its syntax tree as S-expressions, one line per statement, or the error.
 * Used by the parser tests and the TCK sweep, and for debugging.
 *
 *	cyparse [-n] [-s] [-k] [-e QUERY]
 *	  -n  parse only, skip the semantic checks
 *	  -s  show slots (@N) on variables, nodes and relationships
 *	  -k  on error print only the TCK error kind (e.g. UndefinedVariable)
 *	  -c  print the result columns of each statement instead of the tree
 *
 * Exit status: 0 parsed, 1 syntax or semantic error, 2 usage or I/O error.
 */
#include "graph/cypher/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	int parse_only = 0, kind_only = 0, columns = 0;
	unsigned flags = 0;
	const char *query = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0)
			parse_only = 1;
		else if (strcmp(argv[i], "-s") == 0)
			flags |= CY_SEXPR_SLOTS;
		else if (strcmp(argv[i], "-k") == 0)
			kind_only = 1;
		else if (strcmp(argv[i], "-c") == 0)
			columns = 1;
		else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc)
			query = argv[++i];
		else {
			fprintf(stderr, "usage: cyparse [-n] [-s] [-k] [-c] [-e QUERY]\n");
			return 2;
		}
	}
	size_t len;
	char *text;
	if (query) {
		len = strlen(query);
		text = malloc(len + 1);
		if (text)
			memcpy(text, query, len + 1);
	} else {
		text = read_all(stdin, &len);
	}
	if (text == NULL) {
		fprintf(stderr, "cyparse: cannot read the query\n");
		return 2;
	}
	cy_script *sc;
	cy_error err;
	int rc = parse_only ? cy_parse_only(text, len, &sc, &err)
	    : cy_parse(text, len, &sc, &err);
	if (rc != CY_OK) {
		if (kind_only) {
			printf("%s\n", cy_errkind_name(err.kind));
		} else {
			char buf[2048];
			cy_error_format(&err, text, len, buf, sizeof buf);
			printf("error: %s\n", buf);
		}
		free(text);
		return 1;
	}
	if (columns) {
		for (size_t i = 0; i < sc->sc_n; i++) {
			const cy_stmt *st = sc->sc_stmts[i];
			for (size_t k = 0; k < st->st_ncolumns; k++)
				printf("%s%s", k ? " | " : "", st->st_columns[k]);
			printf("\n");
		}
	} else {
		char *s = cy_script_sexpr(sc, flags);
		if (s == NULL) {
			fprintf(stderr, "cyparse: out of memory\n");
			cy_script_free(sc);
			free(text);
			return 2;
		}
		fputs(s, stdout);
		free(s);
	}
	cy_script_free(sc);
	free(text);
	return 0;
}
