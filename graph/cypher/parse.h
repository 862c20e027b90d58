/*
 * parse.h: the openCypher front end: lexer, parser and semantic checks.
 *
 * Text goes in, a checked syntax tree (ast.h) comes out, or an error with
 * the line and column it applies to.  The front end knows nothing of the
 * store or of the executor; it only reads the query.
 *
 *	cy_script *sc;
 *	cy_error err;
 *	if (cy_parse(text, len, &sc, &err) != 0) {
 *		char buf[1024];
 *		cy_error_format(&err, text, len, buf, sizeof buf);
 *		fprintf(stderr, "sanctgraph: query: %s\n", buf);
 *		return 1;
 *	}
 *	for (size_t i = 0; i < sc->sc_n; i++)
 *		run(sc->sc_stmts[i]);
 *	cy_script_free(sc);
 *
 * Ownership: cy_parse() copies the text it is given; the returned script
 * owns everything it points to and is released with cy_script_free().
 * The functions here keep no global state and are safe to call from
 * several threads on different scripts.
 *
 * Limits: expressions and patterns may nest CY_MAX_DEPTH deep; deeper input
 * is an error (CY_ERR_TOO_DEEP), never a stack overflow.
 */
#ifndef SG_CYPHER_PARSE_H
#define SG_CYPHER_PARSE_H

#include <stddef.h>
#include "ast.h"

#define CY_MAX_DEPTH 400

/* Return codes. */
#define CY_OK          0
#define CY_ESYNTAX   (-1)  /* the text is not a query: lexing or parsing failed */
#define CY_ESEMANTIC (-2)  /* it parses but cy_check rejected it */
#define CY_ENOMEM    (-3)  /* out of memory */

/* What exactly went wrong; the names follow the openCypher TCK's error
 * details (cy_errkind_name gives them). */
typedef enum cy_errkind {
	CY_ERR_NONE,
	CY_ERR_UNEXPECTED_SYNTAX,
	CY_ERR_INVALID_NUMBER_LITERAL,
	CY_ERR_INTEGER_OVERFLOW,
	CY_ERR_FLOAT_OVERFLOW,
	CY_ERR_INVALID_UNICODE_LITERAL,
	CY_ERR_INVALID_UNICODE_CHARACTER,
	CY_ERR_INVALID_RELATIONSHIP_PATTERN,
	CY_ERR_TOO_DEEP,
	CY_ERR_UNDEFINED_VARIABLE,
	CY_ERR_VARIABLE_TYPE_CONFLICT,
	CY_ERR_VARIABLE_ALREADY_BOUND,
	CY_ERR_RELATIONSHIP_UNIQUENESS,
	CY_ERR_INVALID_AGGREGATION,
	CY_ERR_NESTED_AGGREGATION,
	CY_ERR_AMBIGUOUS_AGGREGATION,
	CY_ERR_NON_CONSTANT_EXPRESSION,
	CY_ERR_NEGATIVE_INTEGER_ARGUMENT,
	CY_ERR_INVALID_ARGUMENT_TYPE,
	CY_ERR_COLUMN_NAME_CONFLICT,
	CY_ERR_NO_VARIABLES_IN_SCOPE,
	CY_ERR_NO_EXPRESSION_ALIAS,
	CY_ERR_NO_SINGLE_RELATIONSHIP_TYPE,
	CY_ERR_REQUIRES_DIRECTED_RELATIONSHIP,
	CY_ERR_CREATING_VAR_LENGTH,
	CY_ERR_INVALID_PARAMETER_USE,
	CY_ERR_INVALID_DELETE,
	CY_ERR_UNKNOWN_FUNCTION,
	CY_ERR_INVALID_NUMBER_OF_ARGUMENTS,
	CY_ERR_INVALID_CLAUSE_COMPOSITION,
	CY_ERR_DIFFERENT_COLUMNS_IN_UNION,
	CY_ERR_INVALID_UNION,
	CY_ERR_NO_MEMORY
} cy_errkind;

/* An error and where it applies.  line and column are 1-based, the column
 * counted in UTF-8 characters; both are 0 when no position applies.
 * offset is the byte offset into the text given to cy_parse. */
typedef struct cy_error {
	int code;              /* CY_ESYNTAX, CY_ESEMANTIC or CY_ENOMEM */
	int kind;              /* cy_errkind */
	unsigned line, column;
	size_t offset;
	char message[256];     /* lowercase, no full stop */
} cy_error;

/*
 * Parses and checks a script: one or more statements separated by ';'
 * (a trailing ';' and empty statements are allowed; ';' inside strings,
 * backquoted names and comments does not split).  Each statement may start
 * with EXPLAIN or PROFILE.  A script with no statement at all is an error.
 *
 * text, len: the query text, UTF-8; it need not be NUL-terminated and is
 *   copied, so the caller may free it afterwards.
 * out: set to the new script on success, to NULL on failure.
 * err: filled on failure (may be NULL).
 *
 * Returns CY_OK, CY_ESYNTAX (the text does not parse), CY_ESEMANTIC (it
 * parses but breaks a rule of the language: an undefined variable, an
 * unknown function ...) or CY_ENOMEM.  Equivalent to cy_parse_only()
 * followed by cy_check().
 */
int cy_parse(const char *text, size_t len, cy_script **out, cy_error *err);

/* Parses without the semantic checks: the tree has no slots or column
 * checks yet.  Returns CY_OK, CY_ESYNTAX or CY_ENOMEM. */
int cy_parse_only(const char *text, size_t len, cy_script **out, cy_error *err);

/*
 * The semantic checks (sema.c), run on every statement of a script that
 * cy_parse_only() produced: variable scoping and kinds, aggregation rules,
 * clause order, function names and arities, the static type errors the
 * openCypher TCK expects at compile time.  Annotates the tree (slots,
 * aggregation, star expansion, column names, resolved functions).
 * Returns CY_OK, CY_ESEMANTIC or CY_ENOMEM.  Calling it again after it
 * succeeded does nothing; after it failed the script can only be freed.
 */
int cy_check(cy_script *script, cy_error *err);

/*
 * Parses one standalone expression (the whole text), e.g. a --param value.
 * No semantic checks are made.  *out is owned by *holder, a script with no
 * statements that the caller frees with cy_script_free().  Returns CY_OK,
 * CY_ESYNTAX or CY_ENOMEM.
 */
int cy_parse_expression(const char *text, size_t len, cy_script **holder,
    cy_expr **out, cy_error *err);

/* 1 when e is a literal: null, a boolean, a number, a string, or a list or
 * map of literals.  Parameters and variables are not literals. */
int cy_expr_is_literal(const cy_expr *e);

/*
 * The one statement splitter (query, query -f, scripts, the shell): the
 * statement texts of a script, between ';' outside strings, backquoted
 * names and comments, by the lexer's own rules.  Pieces holding only
 * blanks and comments are left out; text that ends inside a string, name
 * or comment is kept as the last piece (so that parsing it reports the
 * unterminated string or comment at its line and column) and *open (may
 * be NULL) tells which.  *out is malloc'd (free() it; NULL when *np is 0).
 * Returns CY_OK or CY_ENOMEM.
 */
enum { CY_SPLIT_CLOSED, CY_SPLIT_OPEN_STRING, CY_SPLIT_OPEN_NAME, CY_SPLIT_OPEN_COMMENT };
typedef struct cy_piece {
	size_t off, len;
} cy_piece;
int cy_split(const char *text, size_t len, cy_piece **out, size_t *np, int *open);

/* 1 when text holds at least one statement and its last statement is
 * ended by ';' outside any string or comment: what a line-by-line reader
 * (the shell) waits for before running what it has. */
int cy_script_complete(const char *text, size_t len);

/* Frees a script and everything it owns.  NULL is allowed. */
void cy_script_free(cy_script *script);

/* Allocates n zeroed bytes owned by the script, released with it, for
 * stages that add to the tree.  Returns NULL when out of memory. */
void *cy_script_alloc(cy_script *script, size_t n);

/*
 * Renders an error for people:
 *	line 2, column 9: unexpected ')', expected an expression
 *	RETURN (1 + )
 *	            ^
 * text, len: the text given to cy_parse (to show the offending line); may
 * be NULL, then only the first line is written.  Like snprintf: writes at
 * most n bytes including the NUL and returns the length the whole rendering
 * needs.  Without a position only the message is written.
 */
int cy_error_format(const cy_error *err, const char *text, size_t len,
    char *buf, size_t n);

/* The TCK name of an error kind ("UndefinedVariable"), never NULL. */
const char *cy_errkind_name(int kind);

/* The function table entry for name (case-insensitive, "duration.between"
 * with its namespace), or NULL when there is no such function. */
const cy_func *cy_func_lookup(const char *name);
/* The functions of time and localtime (func_time.c), which it falls back to. */
const cy_func *cy_time_func_lookup(const char *name);

/*
 * The tree as one S-expression per statement, each on its own line, for
 * tests and debugging, e.g.
 *	(query (match (path (node a :L) (rel :T -> *1..) (node b))) (return (item (. a x) "a.x")))
 * flags: CY_SEXPR_SLOTS appends "@slot" to variables once checked.
 * Returns a malloc'd NUL-terminated string the caller frees, or NULL when
 * out of memory.
 */
#define CY_SEXPR_SLOTS 1
char *cy_script_sexpr(const cy_script *script, unsigned flags);
char *cy_expr_sexpr(const cy_expr *e, unsigned flags);

#endif
