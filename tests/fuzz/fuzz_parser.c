/*
 * fuzz_parser.c: libFuzzer target for the openCypher front end.  Parses the
 * input as a script, runs the semantic checks, prints the tree, renders the
 * error, and frees everything; any crash, leak, sanitizer report or stack
 * overflow is a bug.
 *
 *	clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
 *	    graph/cypher/{ast,lexer,parser,pattern,sema}.c tests/fuzz/fuzz_parser.c \
 *	    -lm -o fuzz_parser
 *	./fuzz_parser -max_len=4096 tests/fuzz/corpus
 */
#include "graph/cypher/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cy_script *sc = NULL;
	cy_error err;
	char buf[512];

	/* Parse only, print, then check and print again: both trees must be
	 * sound whether or not the checks pass. */
	if (cy_parse_only(text, size, &sc, &err) == CY_OK) {
		free(cy_script_sexpr(sc, 0));
		if (cy_check(sc, &err) == CY_OK)
			free(cy_script_sexpr(sc, CY_SEXPR_SLOTS));
		else
			cy_error_format(&err, text, size, buf, sizeof buf);
		cy_script_free(sc);
	} else {
		cy_error_format(&err, text, size, buf, sizeof buf);
		if (err.offset > size)
			abort();
	}
	/* The same bytes as a standalone expression. */
	cy_expr *e;
	if (cy_parse_expression(text, size, &sc, &e, &err) == CY_OK) {
		(void)cy_expr_is_literal(e);
		free(cy_expr_sexpr(e, 0));
		cy_script_free(sc);
	}
	return 0;
}
