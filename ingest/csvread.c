/*
 * csvread.c: a streaming RFC 4180 CSV reader, and neo4j-admin's header and
 * typed-field conventions on top of it.
 *
 * The reader looks at a window of bytes [cs_data + cs_pos, cs_data + cs_len):
 * the whole file when it is memory-mapped (or given in memory), else a
 * buffer refilled from a descriptor.  A record is parsed in two passes.  The
 * first finds field boundaries; when it runs off the end of a buffer window
 * before the input ends it gives up (CSV_MORE), the buffer is compacted,
 * grown if the record fills it, and refilled to the brim, and the record is
 * parsed again from its start.  The second pass, once the record is whole,
 * copies quoted fields that contain doubled quotes into a scratch buffer
 * with the quotes undone; every other field points straight into the input.
 *
 * Line numbers count '\n' bytes, including those inside quoted fields, so
 * the line reported for a record is the one an editor shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reader.h"

#define CSV_MORE 2              /* internal: the window ends inside a record */
#ifndef CSV_BUFSIZE
#define CSV_BUFSIZE (1u << 20)  /* initial streaming buffer (-D to test refills) */
#endif
#define CSV_MAXSHOW 40          /* longest value quoted in a message */

struct sg_csv {
	char *cs_name;
	char cs_delim;
	int cs_strict;
	int cs_fd;                  /* streaming source, -1 when mapped or in memory */
	int cs_ownfd;               /* close cs_fd in sg_csv_close */
	void *cs_map;               /* the mapping, when mapped */
	size_t cs_maplen;
	char *cs_buf;               /* the streaming buffer */
	size_t cs_cap;

	const char *cs_data;        /* the window */
	size_t cs_pos, cs_len;
	int cs_eof;                 /* no input beyond cs_data + cs_len */
	int cs_started;             /* byte order mark handled */
	uint64_t cs_line;           /* line of cs_data + cs_pos */
	uint64_t cs_base;           /* input bytes before cs_data */
	uint64_t cs_total;          /* input size, 0 if unknown */

	sg_csv_field *cs_fields;
	unsigned char *cs_escaped;  /* per field: contains doubled quotes */
	size_t cs_fcap;
	char *cs_scratch;           /* unescaped quoted fields */
	size_t cs_scap;

	int cs_failed;
	uint64_t cs_errline;
	char cs_err[384];
	unsigned char cs_special[256]; /* delimiter, '"', '\r', '\n' */
};

/* ---------------------------------------------------------------- errors */

/* Records "NAME:LINE: message" (no line when line is 0); returns -1. */
static int csv_fail(sg_csv *c, uint64_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line)
		snprintf(c->cs_err, sizeof c->cs_err, "%s:%llu: %s", c->cs_name,
		    (unsigned long long)line, msg);
	else
		snprintf(c->cs_err, sizeof c->cs_err, "%s: %s", c->cs_name, msg);
	c->cs_errline = line;
	c->cs_failed = 1;
	return -1;
}

/* Writes a message into why[0..n) when why is given; returns -1. */
static int csv_why(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (why && n) {
		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Describes the byte at p for a message. */
static const char *csv_describe(const char *p, char *buf, size_t n)
{
	unsigned char b = (unsigned char)*p;

	if (b > 0x20 && b < 0x7f)
		snprintf(buf, n, "'%c'", b);
	else if (b == ' ')
		snprintf(buf, n, "space");
	else
		snprintf(buf, n, "byte 0x%02x", b);
	return buf;
}

/* ---------------------------------------------------------------- opening */

static sg_csv *csv_new(const char *name, char delim, char *why, size_t n)
{
	sg_csv *c;

	if (delim == '"' || delim == '\r' || delim == '\n' || delim == '\0') {
		csv_why(why, n, "%s: invalid field delimiter", name);
		return NULL;
	}
	if (!(c = calloc(1, sizeof *c)) || !(c->cs_name = strdup(name))) {
		free(c);
		csv_why(why, n, "%s: out of memory", name);
		return NULL;
	}
	c->cs_delim = delim;
	c->cs_strict = 1;
	c->cs_fd = -1;
	c->cs_line = 1;
	c->cs_special[(unsigned char)delim] = 1;
	c->cs_special['"'] = 1;
	c->cs_special['\r'] = 1;
	c->cs_special['\n'] = 1;
	return c;
}

sg_csv *sg_csv_open_mem(const char *data, size_t len, const char *name, char delim,
    char *why, size_t n)
{
	sg_csv *c = csv_new(name ? name : "<memory>", delim, why, n);

	if (!c)
		return NULL;
	c->cs_data = len ? data : "";
	c->cs_len = len;
	c->cs_eof = 1;
	c->cs_total = len;
	return c;
}

sg_csv *sg_csv_open_fd(int fd, const char *name, char delim, char *why, size_t n)
{
	struct stat st;
	sg_csv *c = csv_new(name, delim, why, n);
	off_t at;

	if (!c)
		return NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		at = lseek(fd, 0, SEEK_CUR);
		if (at < 0 || at > st.st_size)
			at = 0;
		c->cs_total = (uint64_t)st.st_size;
		if (st.st_size == 0) {
			c->cs_data = "";
			c->cs_eof = 1;
			return c;
		}
		c->cs_map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (c->cs_map != MAP_FAILED) {
			c->cs_maplen = (size_t)st.st_size;
			madvise(c->cs_map, c->cs_maplen, MADV_SEQUENTIAL);
			c->cs_data = c->cs_map;
			c->cs_len = c->cs_maplen;
			c->cs_pos = (size_t)at;
			c->cs_eof = 1;
			if (at > 0)
				c->cs_started = 1;     /* a byte order mark only counts at 0 */
			return c;
		}
		c->cs_map = NULL;               /* fall back to reading */
	}
	c->cs_fd = fd;
	c->cs_cap = CSV_BUFSIZE;
	if (!(c->cs_buf = malloc(c->cs_cap))) {
		csv_why(why, n, "%s: out of memory", name);
		sg_csv_close(c);
		return NULL;
	}
	c->cs_data = c->cs_buf;
	return c;
}

sg_csv *sg_csv_open(const char *path, char delim, char *why, size_t n)
{
	sg_csv *c;
	int fd;

	if (strcmp(path, "-") == 0)
		return sg_csv_open_fd(STDIN_FILENO, "<stdin>", delim, why, n);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		csv_why(why, n, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!(c = sg_csv_open_fd(fd, path, delim, why, n))) {
		close(fd);
		return NULL;
	}
	if (c->cs_fd < 0)
		close(fd);      /* mapped: the mapping outlives the descriptor */
	else
		c->cs_ownfd = 1;
	return c;
}

void sg_csv_set_strict(sg_csv *c, int strict)
{
	c->cs_strict = strict != 0;
}

void sg_csv_close(sg_csv *c)
{
	if (!c)
		return;
	if (c->cs_map)
		munmap(c->cs_map, c->cs_maplen);
	if (c->cs_ownfd)
		close(c->cs_fd);
	free(c->cs_buf);
	free(c->cs_fields);
	free(c->cs_escaped);
	free(c->cs_scratch);
	free(c->cs_name);
	free(c);
}

const char *sg_csv_error(const sg_csv *c)
{
	return c->cs_failed ? c->cs_err : "";
}

uint64_t sg_csv_error_line(const sg_csv *c)
{
	return c->cs_failed ? c->cs_errline : 0;
}

const char *sg_csv_name(const sg_csv *c)
{
	return c->cs_name;
}

void sg_csv_progress(const sg_csv *c, uint64_t *done, uint64_t *total)
{
	if (done)
		*done = c->cs_base + c->cs_pos;
	if (total)
		*total = c->cs_total;
}

/* ---------------------------------------------------------------- reading */

/*
 * Keeps the unparsed bytes, grows the buffer when they fill it, and reads
 * until the buffer is full or the input ends.  Returns 0 or -1.
 */
static int csv_fill(sg_csv *c)
{
	size_t keep = c->cs_len - c->cs_pos;
	ssize_t r;

	if (c->cs_pos > 0) {
		memmove(c->cs_buf, c->cs_buf + c->cs_pos, keep);
		c->cs_base += c->cs_pos;
		c->cs_pos = 0;
		c->cs_len = keep;
	}
	if (c->cs_len == c->cs_cap) {
		size_t ncap = c->cs_cap * 2;
		char *nb = ncap > c->cs_cap ? realloc(c->cs_buf, ncap) : NULL;

		if (!nb)
			return csv_fail(c, c->cs_line, "out of memory (record too large)");
		c->cs_buf = nb;
		c->cs_cap = ncap;
	}
	while (c->cs_len < c->cs_cap) {
		r = read(c->cs_fd, c->cs_buf + c->cs_len, c->cs_cap - c->cs_len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return csv_fail(c, 0, "read error: %s", strerror(errno));
		}
		if (r == 0) {
			c->cs_eof = 1;
			break;
		}
		c->cs_len += (size_t)r;
	}
	c->cs_data = c->cs_buf;
	return 0;
}

static int csv_grow_fields(sg_csv *c)
{
	size_t ncap = c->cs_fcap ? c->cs_fcap * 2 : 64;
	sg_csv_field *f = realloc(c->cs_fields, ncap * sizeof *f);
	unsigned char *e;

	if (!f)
		return -1;
	c->cs_fields = f;
	if (!(e = realloc(c->cs_escaped, ncap)))
		return -1;
	c->cs_escaped = e;
	c->cs_fcap = ncap;
	return 0;
}

static uint64_t csv_count_newlines(const char *p, const char *end)
{
	uint64_t n = 0;

	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

/* Undoes the doubled quotes of escaped fields, copying them into scratch. */
static int csv_unescape(sg_csv *c, size_t nf, size_t escbytes)
{
	size_t i, off = 0;

	if (escbytes > c->cs_scap) {
		char *s = realloc(c->cs_scratch, escbytes);
		if (!s)
			return -1;
		c->cs_scratch = s;
		c->cs_scap = escbytes;
	}
	for (i = 0; i < nf; i++) {
		sg_csv_field *f = &c->cs_fields[i];
		const char *s, *e;
		char *d;

		if (!c->cs_escaped[i])
			continue;
		d = c->cs_scratch + off;
		for (s = f->f_ptr, e = s + f->f_len; s < e; s++) {
			*d++ = *s;
			if (*s == '"')
				s++;    /* skip the second quote of the pair */
		}
		f->f_ptr = c->cs_scratch + off;
		f->f_len = (size_t)(d - f->f_ptr);
		off += f->f_len;
	}
	return 0;
}

/*
 * Parses one record from the window.  Returns 1 with *rec set, 0 at the end
 * of input, -1 on an error, or CSV_MORE when the window ends inside the
 * record and more input may follow (nothing is consumed then, except empty
 * lines before the record).
 */
static int csv_parse(sg_csv *c, sg_csv_record *rec)
{
	const char *base = c->cs_data;
	const char *p = base + c->cs_pos, *end = base + c->cs_len;
	const unsigned char *special = c->cs_special;
	const char delim = c->cs_delim;
	const int eof = c->cs_eof;
	uint64_t line = c->cs_line, start_line;
	size_t nf = 0, escbytes = 0;
	char what[24];

	/* empty lines */
	for (;;) {
		if (p >= end)
			break;
		if (*p == '\n') {
			p++;
			line++;
		} else if (*p == '\r' && p + 1 < end && p[1] == '\n') {
			p += 2;
			line++;
		} else if (*p == '\r' && p + 1 == end && eof) {
			p++;
		} else {
			break;
		}
	}
	c->cs_pos = (size_t)(p - base);
	c->cs_line = line;
	if (p >= end)
		return eof ? 0 : CSV_MORE;
	if (*p == '\r' && p + 1 == end)
		return CSV_MORE;

	start_line = line;
	for (;;) {
		sg_csv_field *f;

		if (nf == c->cs_fcap && csv_grow_fields(c) < 0)
			return csv_fail(c, start_line, "out of memory");
		f = &c->cs_fields[nf];
		if (p < end && *p == '"') {
			const char *s = ++p;
			uint64_t quote_line = line;
			int escaped = 0;

			for (;;) {
				const char *q = memchr(p, '"', (size_t)(end - p));
				if (!q) {
					if (!eof)
						return CSV_MORE;
					return csv_fail(c, quote_line,
					    "unterminated quoted field (field %zu of the record)", nf + 1);
				}
				line += csv_count_newlines(p, q);
				if (q + 1 >= end) {
					if (!eof)
						return CSV_MORE;
					p = q + 1;
					break;
				}
				if (q[1] == '"') {
					escaped = 1;
					p = q + 2;
					continue;
				}
				p = q + 1;
				break;
			}
			f->f_ptr = s;
			f->f_len = (size_t)(p - 1 - s);
			f->f_quoted = 1;
			c->cs_escaped[nf] = (unsigned char)escaped;
			if (escaped)
				escbytes += f->f_len;
		} else {
			const char *s = p;

			for (;;) {
				while (p < end && !special[(unsigned char)*p])
					p++;
				if (p >= end)
					break;
				if (*p == '"') {
					if (c->cs_strict)
						return csv_fail(c, line,
						    "unexpected '\"' in unquoted field %zu "
						    "(quote the whole field and double the quote)", nf + 1);
					p++;
					continue;
				}
				if (*p == '\r' && p + 1 < end && p[1] != '\n') {
					p++;    /* a lone carriage return is data */
					continue;
				}
				break;
			}
			f->f_ptr = s;
			f->f_len = (size_t)(p - s);
			f->f_quoted = 0;
			c->cs_escaped[nf] = 0;
		}
		nf++;

		/* what ends the field */
		if (p >= end) {
			if (!eof)
				return CSV_MORE;
			break;
		}
		if (*p == delim) {
			p++;
			continue;
		}
		if (*p == '\n') {
			p++;
			line++;
			break;
		}
		if (*p == '\r') {
			if (p + 1 >= end) {
				if (!eof)
					return CSV_MORE;
				p++;
				break;
			}
			if (p[1] == '\n') {
				p += 2;
				line++;
				break;
			}
		}
		/* only after a closing quote */
		return csv_fail(c, line, "unexpected %s after closing quote in field %zu",
		    csv_describe(p, what, sizeof what), nf);
	}
	if (escbytes && csv_unescape(c, nf, escbytes) < 0)
		return csv_fail(c, start_line, "out of memory");
	c->cs_pos = (size_t)(p - base);
	c->cs_line = line;
	rec->r_fields = c->cs_fields;
	rec->r_nfields = nf;
	rec->r_line = start_line;
	return 1;
}

int sg_csv_next(sg_csv *c, sg_csv_record *rec)
{
	int rc;

	if (c->cs_failed)
		return -1;
	if (!c->cs_started) {
		if (c->cs_fd >= 0 && csv_fill(c) < 0)
			return -1;
		if (c->cs_len - c->cs_pos >= 3 &&
		    memcmp(c->cs_data + c->cs_pos, "\xef\xbb\xbf", 3) == 0)
			c->cs_pos += 3;
		c->cs_started = 1;
	}
	for (;;) {
		rc = csv_parse(c, rec);
		if (rc != CSV_MORE)
			return rc;
		if (csv_fill(c) < 0)
			return -1;
	}
}

/* ---------------------------------------------------------------- headers */

static const char *const csv_type_names[] = {
	[SG_CT_STRING] = "string",
	[SG_CT_INT] = "int",
	[SG_CT_LONG] = "long",
	[SG_CT_SHORT] = "short",
	[SG_CT_BYTE] = "byte",
	[SG_CT_FLOAT] = "float",
	[SG_CT_DOUBLE] = "double",
	[SG_CT_BOOLEAN] = "boolean",
	[SG_CT_DATE] = "date",
	[SG_CT_DATETIME] = "datetime",
	[SG_CT_LOCALDATETIME] = "localdatetime",
	[SG_CT_DURATION] = "duration",
	[SG_CT_TIME] = "time",
	[SG_CT_LOCALTIME] = "localtime",
};

const char *sg_csv_type_name(sg_csv_type t)
{
	if ((size_t)t < sizeof csv_type_names / sizeof csv_type_names[0])
		return csv_type_names[t];
	return "?";
}

static const struct {
	const char *name;
	sg_csv_kind kind;
} csv_specials[] = {
	{ "ID", SG_COL_ID },
	{ "LABEL", SG_COL_LABEL },
	{ "START_ID", SG_COL_START_ID },
	{ "END_ID", SG_COL_END_ID },
	{ "TYPE", SG_COL_TYPE },
	{ "IGNORE", SG_COL_IGNORE },
};

/* Case-insensitive comparison of s[0..len) with the C string word. */
static int csv_word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

static char *csv_strndup(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

void sg_csv_cols_free(sg_csv_col *cols, size_t ncols)
{
	size_t i;

	if (!cols)
		return;
	for (i = 0; i < ncols; i++) {
		free(cols[i].c_name);
		free(cols[i].c_space);
		free(cols[i].c_header);
	}
	free(cols);
}

/* Parses header field f (column number i + 1) into *col. */
static int csv_parse_column(const sg_csv_field *f, size_t i, sg_csv_col *col, char *why, size_t n)
{
	const char *s = f->f_ptr, *spec, *space = NULL, *open;
	size_t len = f->f_len, name_len, spec_len, space_len = 0, k;
	long colon = -1;
	int depth = 0;

	col->c_array_delim = ';';
	if (!(col->c_header = csv_strndup(s, len)))
		return csv_why(why, n, "out of memory");
	for (k = 0; k < len; k++) {
		if (s[k] == '(' || s[k] == '{')
			depth++;
		else if (s[k] == ')' || s[k] == '}')
			depth--;
		else if (s[k] == ':' && depth == 0)
			colon = (long)k;
	}
	if (colon < 0) {
		if (len == 0)
			return csv_why(why, n, "empty column name in header column %zu", i + 1);
		col->c_kind = SG_COL_PROPERTY;
		col->c_type = SG_CT_STRING;
		col->c_name = csv_strndup(s, len);
		return col->c_name ? 0 : csv_why(why, n, "out of memory");
	}
	name_len = (size_t)colon;
	spec = s + colon + 1;
	spec_len = len - name_len - 1;
	if (memchr(spec, '{', spec_len))
		return csv_why(why, n, "unsupported column options in header column %zu \"%s\"",
		    i + 1, col->c_header);
	if ((open = memchr(spec, '(', spec_len)) != NULL) {
		if (spec[spec_len - 1] != ')')
			return csv_why(why, n, "unbalanced '(' in header column %zu \"%s\"",
			    i + 1, col->c_header);
		space = open + 1;
		space_len = (size_t)(spec + spec_len - 1 - space);
		spec_len = (size_t)(open - spec);
		if (space_len == 0)
			return csv_why(why, n, "empty id space in header column %zu \"%s\"",
			    i + 1, col->c_header);
	}
	if (spec_len == 0)
		return csv_why(why, n, "missing type after ':' in header column %zu \"%s\"",
		    i + 1, col->c_header);

	col->c_kind = SG_COL_PROPERTY;
	for (k = 0; k < sizeof csv_specials / sizeof csv_specials[0]; k++)
		if (csv_word_is(spec, spec_len, csv_specials[k].name)) {
			col->c_kind = csv_specials[k].kind;
			break;
		}
	if (space && col->c_kind != SG_COL_ID && col->c_kind != SG_COL_START_ID &&
	    col->c_kind != SG_COL_END_ID)
		return csv_why(why, n, "id space only allowed on :ID, :START_ID and :END_ID "
		    "(header column %zu \"%s\")", i + 1, col->c_header);
	col->c_type = SG_CT_STRING;
	if (col->c_kind == SG_COL_PROPERTY) {
		if (spec_len > 2 && spec[spec_len - 2] == '[' && spec[spec_len - 1] == ']') {
			col->c_array = 1;
			spec_len -= 2;
		}
		for (k = 0; k < sizeof csv_type_names / sizeof csv_type_names[0]; k++)
			if (csv_word_is(spec, spec_len, csv_type_names[k]))
				break;
		if (k == sizeof csv_type_names / sizeof csv_type_names[0])
			return csv_why(why, n, "unknown type \"%.*s\" in header column %zu \"%s\"",
			    (int)spec_len, spec, i + 1, col->c_header);
		col->c_type = (sg_csv_type)k;
		if (name_len == 0)
			return csv_why(why, n, "property column without a name in header column "
			    "%zu \"%s\"", i + 1, col->c_header);
	}
	if (!(col->c_name = csv_strndup(s, name_len)))
		return csv_why(why, n, "out of memory");
	if (space && !(col->c_space = csv_strndup(space, space_len)))
		return csv_why(why, n, "out of memory");
	return 0;
}

int sg_csv_header_parse(const sg_csv_record *hdr, sg_csv_col **cols, size_t *ncols,
    char *why, size_t n)
{
	static const char *const once[] = {
		[SG_COL_ID] = ":ID", [SG_COL_START_ID] = ":START_ID",
		[SG_COL_END_ID] = ":END_ID", [SG_COL_TYPE] = ":TYPE",
	};
	size_t nf = hdr->r_nfields, i, j;
	sg_csv_col *cs;

	if (nf == 0)
		return csv_why(why, n, "empty header");
	if (!(cs = calloc(nf, sizeof *cs)))
		return csv_why(why, n, "out of memory");
	for (i = 0; i < nf; i++)
		if (csv_parse_column(&hdr->r_fields[i], i, &cs[i], why, n) < 0)
			goto fail;
	for (i = 0; i < nf; i++) {
		int named = cs[i].c_kind == SG_COL_PROPERTY ||
		    (cs[i].c_kind == SG_COL_ID && cs[i].c_name[0]);
		int single = (size_t)cs[i].c_kind < sizeof once / sizeof once[0] &&
		    once[cs[i].c_kind] != NULL;

		for (j = 0; j < i; j++) {
			if (single && cs[j].c_kind == cs[i].c_kind) {
				csv_why(why, n, "more than one %s column in header (columns %zu and %zu)",
				    once[cs[i].c_kind], j + 1, i + 1);
				goto fail;
			}
			if (named && (cs[j].c_kind == SG_COL_PROPERTY ||
				(cs[j].c_kind == SG_COL_ID && cs[j].c_name[0])) &&
			    strcmp(cs[j].c_name, cs[i].c_name) == 0) {
				csv_why(why, n, "duplicate column name \"%s\" in header (columns %zu "
				    "and %zu)", cs[i].c_name, j + 1, i + 1);
				goto fail;
			}
		}
	}
	*cols = cs;
	*ncols = nf;
	return 0;
fail:
	sg_csv_cols_free(cs, nf);
	return -1;
}

/* ---------------------------------------------------------------- values */

/* Reports a bad value: "invalid int value "12x" for tonnage:int". */
static int csv_bad(char *why, size_t n, const sg_csv_col *col, const char *problem,
    const char *s, size_t len, size_t elem)
{
	int show = len > CSV_MAXSHOW ? CSV_MAXSHOW : (int)len;
	const char *more = len > CSV_MAXSHOW ? "..." : "";

	if (elem)
		return csv_why(why, n, "%s %s value \"%.*s%s\" in element %zu of %s",
		    problem, sg_csv_type_name(col->c_type), show, s, more, elem, col->c_header);
	return csv_why(why, n, "%s %s value \"%.*s%s\" for %s", problem,
	    sg_csv_type_name(col->c_type), show, s, more, col->c_header);
}

static int csv_parse_int(const char *s, size_t len, int64_t lo, int64_t hi, int64_t *out)
{
	const char *e = s + len;
	uint64_t acc = 0, limit;
	int neg = 0;

	if (s < e && (*s == '+' || *s == '-'))
		neg = *s++ == '-';
	if (s == e)
		return -1;
	limit = neg ? (uint64_t)-(lo + 1) + 1 : (uint64_t)hi;
	for (; s < e; s++) {
		unsigned d = (unsigned)(unsigned char)*s - '0';
		if (d > 9)
			return -1;
		if (acc > (limit - d) / 10)
			return -2;
		acc = acc * 10 + d;
	}
	if (!neg)
		*out = (int64_t)acc;
	else if (acc == (uint64_t)INT64_MAX + 1)
		*out = INT64_MIN;
	else
		*out = -(int64_t)acc;
	return 0;
}

/* Checks decimal float syntax (or NaN/Infinity) and converts. */
static int csv_parse_float(const char *s, size_t len, double *out)
{
	const char *p = s, *e = s + len;
	char small[64], *buf = small;
	int digits = 0;

	if (p < e && (*p == '+' || *p == '-'))
		p++;
	if (csv_word_is(p, (size_t)(e - p), "nan") || csv_word_is(p, (size_t)(e - p), "inf") ||
	    csv_word_is(p, (size_t)(e - p), "infinity")) {
		*out = (p > s && *s == '-') ? -INFINITY : INFINITY;
		if (csv_word_is(p, (size_t)(e - p), "nan"))
			*out = NAN;
		return 0;
	}
	while (p < e && *p >= '0' && *p <= '9')
		p++, digits++;
	if (p < e && *p == '.')
		for (p++; p < e && *p >= '0' && *p <= '9'; p++)
			digits++;
	if (!digits)
		return -1;
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return -1;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p != e)
		return -1;
	if (len >= sizeof small && !(buf = malloc(len + 1)))
		return -3;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	if (errno == ERANGE && isinf(*out))
		return -2;
	return 0;
}

/*
 * Converts one scalar s[0..len) of col's type.  elem is the 1-based array
 * element number for messages, 0 for a plain field.  A blank non-string
 * value is no value (GR_NULL) for a plain field and an error in an array.
 */
static int csv_scalar(const sg_csv_col *col, const char *s, size_t len, gr_value *out,
    size_t elem, char *why, size_t n)
{
	int64_t i, lo = INT64_MIN, hi = INT64_MAX;
	gr_datetime dt;
	gr_duration du;
	int32_t days;
	double d;
	int rc;

	if (col->c_type == SG_CT_STRING) {
		*out = gr_string(s, len);
		return out->type == GR_STRING ? 0 : csv_why(why, n, "out of memory");
	}
	while (len && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0) {
		if (elem)
			return csv_why(why, n, "empty element %zu in %s", elem, col->c_header);
		*out = gr_null();
		return 0;
	}
	memset(out, 0, sizeof *out);
	switch (col->c_type) {
	case SG_CT_SHORT:
		lo = INT16_MIN, hi = INT16_MAX;
		goto integer;
	case SG_CT_BYTE:
		lo = INT8_MIN, hi = INT8_MAX;
		goto integer;
	case SG_CT_INT:
	case SG_CT_LONG:
	integer:
		rc = csv_parse_int(s, len, lo, hi, &i);
		if (rc == -1)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		if (rc == -2)
			return csv_bad(why, n, col, "out of range", s, len, elem);
		*out = gr_int(i);
		return 0;
	case SG_CT_FLOAT:
	case SG_CT_DOUBLE:
		rc = csv_parse_float(s, len, &d);
		if (rc == -1)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		if (rc == -2)
			return csv_bad(why, n, col, "out of range", s, len, elem);
		if (rc < 0)
			return csv_why(why, n, "out of memory");
		*out = gr_float(d);
		return 0;
	case SG_CT_BOOLEAN:
		if (csv_word_is(s, len, "true"))
			*out = gr_bool(1);
		else if (csv_word_is(s, len, "false"))
			*out = gr_bool(0);
		else
			return csv_bad(why, n, col, "invalid (expected true or false)", s, len, elem);
		return 0;
	case SG_CT_DATE:
		if (gr_parse_date(s, len, &days) < 0)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		*out = gr_date(days);
		return 0;
	case SG_CT_DATETIME:
	case SG_CT_LOCALDATETIME:
		if (gr_parse_datetime(s, len, &dt) < 0)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		if (col->c_type == SG_CT_LOCALDATETIME && dt.dt_offset != GR_TZ_NONE)
			return csv_bad(why, n, col, "time zone in", s, len, elem);
		if (col->c_type == SG_CT_DATETIME && dt.dt_offset == GR_TZ_NONE)
			dt.dt_offset = 0;       /* neo4j-admin's default zone: UTC */
		out->type = GR_DATETIME;
		out->u.dt = dt;
		return 0;
	case SG_CT_TIME:
	case SG_CT_LOCALTIME:
		if (gr_parse_time(s, len, &out->u.tm) < 0)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		if (col->c_type == SG_CT_LOCALTIME && out->u.tm.tm_offset != GR_TZ_NONE)
			return csv_bad(why, n, col, "time zone in", s, len, elem);
		if (col->c_type == SG_CT_TIME && out->u.tm.tm_offset == GR_TZ_NONE)
			out->u.tm.tm_offset = 0;
		out->type = GR_TIME;
		return 0;
	case SG_CT_DURATION:
		if (gr_parse_duration(s, len, &du) < 0)
			return csv_bad(why, n, col, "invalid", s, len, elem);
		out->type = GR_DURATION;
		out->u.du = du;
		return 0;
	case SG_CT_STRING:
		break;
	}
	return csv_why(why, n, "unknown column type");
}

int sg_csv_field_value(const sg_csv_col *col, const sg_csv_field *f, gr_value *out,
    char *why, size_t n)
{
	const char *s = f->f_ptr, *e = s + f->f_len, *part;
	size_t count = 1, elem = 0;
	gr_value list, v;

	if (f->f_len == 0) {
		if (f->f_quoted && col->c_array)
			*out = gr_list(0);
		else if (f->f_quoted && col->c_type == SG_CT_STRING)
			*out = gr_string("", 0);
		else
			*out = gr_null();
		return 0;
	}
	if (!col->c_array)
		return csv_scalar(col, s, f->f_len, out, 0, why, n);

	for (part = s; (part = memchr(part, col->c_array_delim, (size_t)(e - part))) != NULL; part++)
		count++;
	list = gr_list(count);
	for (part = s; ; ) {
		const char *stop = memchr(part, col->c_array_delim, (size_t)(e - part));
		if (!stop)
			stop = e;
		if (csv_scalar(col, part, (size_t)(stop - part), &v, ++elem, why, n) < 0)
			goto fail;
		if (gr_list_push(&list, v) < 0) {       /* v is freed by it */
			csv_why(why, n, "out of memory");
			goto fail;
		}
		if (stop == e)
			break;
		part = stop + 1;
	}
	*out = list;
	return 0;
fail:
	gr_value_free(&list);
	return -1;
}

/* ---------------------------------------------------------------- labels */

int sg_csv_split_next(const char **pos, const char *end, char delim,
    const char **part, size_t *len)
{
	const char *p = *pos;

	while (p < end) {
		const char *s = p, *e;

		while (p < end && *p != delim)
			p++;
		e = p;
		if (p < end)
			p++;            /* past the delimiter */
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s) {
			*part = s;
			*len = (size_t)(e - s);
			*pos = p;
			return 1;
		}
	}
	*pos = p;
	return 0;
}

int sg_csv_labels(const sg_csv_field *f, char delim, gr_value *out)
{
	const char *pos = f->f_ptr, *end = f->f_ptr + f->f_len, *lab;
	size_t len, count = 0;
	gr_value list;

	while (sg_csv_split_next(&pos, end, delim, &lab, &len))
		count++;
	list = gr_list(count);
	pos = f->f_ptr;
	while (sg_csv_split_next(&pos, end, delim, &lab, &len)) {
		gr_value s = gr_string(lab, len);
		if (s.type != GR_STRING || gr_list_push(&list, s) < 0) {  /* s is freed by it */
			gr_value_free(&list);
			return -1;
		}
	}
	*out = list;
	return 0;
}
