/*
 * reader.h: the low-level readers importers are built on.
 *
 * ingest/json.c    a strict JSON (RFC 8259) parser that produces gr_values
 * ingest/csvread.c a streaming RFC 4180 CSV reader for large files, and the
 *                  neo4j-admin header and typed-field conventions
 *
 * The readers know nothing of the data model (labels, keys, sources): they
 * turn bytes into values and records, and say exactly where bytes were wrong.
 * Importers (ingest/import_*.c) decide what the values mean.
 *
 * Ownership: values written to a `gr_value *out` belong to the caller, who
 * releases them with gr_value_free().  Records and fields returned by the CSV
 * reader point into the reader's buffers and stay valid until the next call
 * to sg_csv_next() or sg_csv_close() on that reader.
 *
 * Messages are lowercase, with no full stop, what went wrong first.
 */
#ifndef SG_READER_H
#define SG_READER_H

#include <stddef.h>
#include <stdint.h>

#include "../graph/value.h"

/* ================================================================ JSON */

/* Containers nested deeper than this are rejected. */
#define SG_JSON_MAX_DEPTH 256

/* Return codes of sg_json_parse. */
enum {
	SG_JSON_OK = 0,
	SG_JSON_ESYNTAX = -1,   /* malformed or out-of-range input; see the error */
	SG_JSON_ENOMEM = -2     /* out of memory */
};

/* Where and why a JSON text was rejected. */
typedef struct sg_json_error {
	size_t je_offset;       /* 0-based byte offset of the offending byte */
	size_t je_column;       /* 1-based column of it, in UTF-8 characters (a BOM not counted) */
	char je_msg[128];       /* e.g. "expected ',' or '}' after object member" */
} sg_json_error;

/*
 * Parses exactly one JSON value from text[0..len) (text need not be
 * NUL-terminated) into *out.  Whitespace may surround the value; anything
 * else after it is an error.  A UTF-8 byte order mark at the very start is
 * ignored (RFC 8259 8.1).
 *
 * Mapping: object -> GR_MAP (key order preserved; duplicate keys and keys
 * containing \u0000 are rejected); array -> GR_LIST; string -> GR_STRING
 * (escapes decoded, surrogate pairs joined to UTF-8; strings are never
 * turned into temporals here: use gr_value_from_text where the data model
 * says so); true/false -> GR_BOOL; null -> GR_NULL; a number without
 * fraction or exponent -> GR_INT, exact (an integer outside the 64-bit
 * range is an error, never rounded); any other number -> GR_FLOAT (strtod;
 * a magnitude beyond the double range is an error).
 *
 * Rejected: trailing commas, leading zeros, invalid escapes, lone
 * surrogates, invalid UTF-8 and unescaped control characters in strings,
 * NaN/Infinity, nesting deeper than SG_JSON_MAX_DEPTH, trailing garbage.
 *
 * Parameters:
 *   text, len  the JSON text (one JSONL line, without or with its newline)
 *   out        receives the value on success; untouched on failure
 *   err        may be NULL; on failure receives offset, column and message
 * Returns SG_JSON_OK, SG_JSON_ESYNTAX or SG_JSON_ENOMEM.  Nothing is left
 * allocated on failure.
 */
int sg_json_parse(const char *text, size_t len, gr_value *out, sg_json_error *err);

/* ================================================================ CSV */

typedef struct sg_csv sg_csv;

/* One field of a record.  f_ptr is not NUL-terminated. */
typedef struct sg_csv_field {
	const char *f_ptr;
	size_t f_len;
	int f_quoted;           /* 1 if the field was enclosed in quotes */
} sg_csv_field;

/* One record: its fields and the 1-based line on which it starts. */
typedef struct sg_csv_record {
	const sg_csv_field *r_fields;
	size_t r_nfields;
	uint64_t r_line;
} sg_csv_record;

/*
 * Opens a CSV file for reading.  `path` "-" reads standard input (named
 * "<stdin>" in messages).  A regular file is memory-mapped; anything else
 * (a pipe, a terminal) is read through a buffer that grows to hold the
 * largest record.  `delim` separates fields (',' for neo4j-admin files,
 * '\t' for TSV); it may not be '"', '\r' or '\n'.
 * Returns the reader, or NULL with a message "PATH: why" in why[0..n).
 */
sg_csv *sg_csv_open(const char *path, char delim, char *why, size_t n);

/*
 * As sg_csv_open, on an open descriptor; `name` is used in messages.  The
 * descriptor is not closed by sg_csv_close (the caller owns it).
 */
sg_csv *sg_csv_open_fd(int fd, const char *name, char delim, char *why, size_t n);

/*
 * As sg_csv_open, on bytes in memory, which are not copied and must stay
 * valid and unchanged until sg_csv_close.
 */
sg_csv *sg_csv_open_mem(const char *data, size_t len, const char *name, char delim,
    char *why, size_t n);

/*
 * Strict mode (the default, as neo4j-admin): a '"' inside an unquoted field
 * is an error.  With strict 0 it is taken literally (for hand-made files
 * such as OFAC's).  Text after a closing quote is an error in both modes.
 */
void sg_csv_set_strict(sg_csv *c, int strict);

/*
 * Reads the next record into *rec.  Fields of quoted fields have their
 * doubled quotes ("") undone and may contain newlines.  Lines ending in
 * "\r\n" or "\n" are accepted, the last line need not end in a newline, a
 * UTF-8 byte order mark at the start is skipped, and empty lines (no bytes
 * at all before the newline) are skipped but counted.
 * Returns 1 and fills *rec; 0 at the end of input; -1 on malformed input
 * (unterminated quote, stray quote, text after a closing quote) or an I/O
 * or memory error, with sg_csv_error() telling why.  After -1 every further
 * call returns -1.
 */
int sg_csv_next(sg_csv *c, sg_csv_record *rec);

/* The last error as "NAME:LINE: what went wrong" (or "NAME: ..." when no
 * line applies), or "" if there was none. */
const char *sg_csv_error(const sg_csv *c);
/* The 1-based line of the last error, 0 when none applies. */
uint64_t sg_csv_error_line(const sg_csv *c);
/* The name used in messages (the path, "<stdin>" or the name given). */
const char *sg_csv_name(const sg_csv *c);

/* Progress: bytes consumed so far and the total size (0 when unknown, e.g.
 * for a pipe). */
void sg_csv_progress(const sg_csv *c, uint64_t *done, uint64_t *total);

/* Closes the reader and releases everything it holds.  NULL is harmless. */
void sg_csv_close(sg_csv *c);

/* ------------------------------------------- neo4j-admin header and fields */

/* What a header column is. */
typedef enum sg_csv_kind {
	SG_COL_PROPERTY = 0,    /* name[:type] */
	SG_COL_ID,              /* [name]:ID[(Space)]: the node key */
	SG_COL_LABEL,           /* :LABEL, labels separated by ';' */
	SG_COL_START_ID,        /* :START_ID[(Space)] */
	SG_COL_END_ID,          /* :END_ID[(Space)] */
	SG_COL_TYPE,            /* :TYPE, the relationship type */
	SG_COL_IGNORE           /* [name]:IGNORE */
} sg_csv_kind;

/* Value types of typed columns (names are case-insensitive in headers).
 * int and long are both 64-bit here (sanctgraph has one integer type);
 * short and byte are range-checked as neo4j-admin does; float and double
 * are both stored as doubles. */
typedef enum sg_csv_type {
	SG_CT_STRING = 0,
	SG_CT_INT,
	SG_CT_LONG,
	SG_CT_SHORT,
	SG_CT_BYTE,
	SG_CT_FLOAT,
	SG_CT_DOUBLE,
	SG_CT_BOOLEAN,
	SG_CT_DATE,
	SG_CT_DATETIME,         /* zoned; a value without a zone is taken as UTC */
	SG_CT_LOCALDATETIME,    /* no zone allowed */
	SG_CT_DURATION,
	SG_CT_TIME,             /* a time of day; zoned, UTC when it has none */
	SG_CT_LOCALTIME         /* no zone allowed */
} sg_csv_type;

/* One parsed header column. */
typedef struct sg_csv_col {
	sg_csv_kind c_kind;
	sg_csv_type c_type;     /* value type; the element type when c_array */
	int c_array;            /* "type[]": values are lists */
	char c_array_delim;     /* separates array elements; ';' by default */
	char *c_name;           /* property name; "" when the header names none */
	char *c_space;          /* ID space of ID/START_ID/END_ID, NULL if global */
	char *c_header;         /* the header field as written, for messages */
} sg_csv_col;

/*
 * Parses a header record into column specs.  Each field is "name",
 * "name:type", "name:type[]", or a special column ":ID", "name:ID",
 * ":ID(Space)", "name:ID(Space)", ":LABEL", ":START_ID[(Space)]",
 * ":END_ID[(Space)]", ":TYPE", "[name]:IGNORE".  A column without a type is
 * a string.  Rejected with a reason: unknown types, an ID space on other
 * columns, a property column without a name, an empty column name, two
 * columns with the same property name, more than one :ID, :START_ID,
 * :END_ID or :TYPE column, and "{...}" column options.
 * On success *cols (free with sg_csv_cols_free) and *ncols are set and 0 is
 * returned; on failure -1 with the reason in why[0..n), nothing allocated.
 */
int sg_csv_header_parse(const sg_csv_record *hdr, sg_csv_col **cols, size_t *ncols,
    char *why, size_t n);

void sg_csv_cols_free(sg_csv_col *cols, size_t ncols);

/* The lowercase name of a column type ("int", "datetime", ...). */
const char *sg_csv_type_name(sg_csv_type t);

/*
 * Converts field `f` to the typed value of column `col`.
 *   - An empty field means no value: *out is GR_NULL (the property is
 *     absent), as neo4j-admin does.  A quoted empty field ("") in a string
 *     column is the empty string, in an array column the empty list.
 *   - string: kept exactly as is (never converted to a temporal).
 *   - int/long/short/byte: optional sign and decimal digits, exact, range
 *     checked; float/double: decimal (or NaN/Infinity), via strtod;
 *     boolean: true/false in any case.  Blanks around these are ignored.
 *   - date, datetime, localdatetime, duration, time, localtime: ISO-8601
 *     (gr_parse_*); a time without a zone is taken as UTC.
 *   - arrays: the field split on col->c_array_delim into a GR_LIST of the
 *     element type; an empty element is an error except in string[].
 * Returns 0 with *out set, or -1 with a reason such as
 * `invalid int value "12x" for tonnage:int` in why[0..n).
 */
int sg_csv_field_value(const sg_csv_col *col, const sg_csv_field *f, gr_value *out,
    char *why, size_t n);

/*
 * Iterates over the parts of s[*pos..end) separated by `delim`, as used by
 * :LABEL columns ("Vessel;Sanctioned").  Blanks around a part are trimmed
 * and empty parts skipped.  Returns 1 with the part in *part and *len and *pos
 * advanced, or 0 when no part is left.
 *     const char *pos = f->f_ptr, *lab; size_t len;
 *     while (sg_csv_split_next(&pos, f->f_ptr + f->f_len, ';', &lab, &len)) ...
 */
int sg_csv_split_next(const char **pos, const char *end, char delim,
    const char **part, size_t *len);

/* The labels of a :LABEL field as a GR_LIST of GR_STRINGs (possibly empty).
 * Returns 0, or -1 when out of memory. */
int sg_csv_labels(const sg_csv_field *f, char delim, gr_value *out);

#endif
