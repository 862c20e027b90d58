/*
 * lexer.c: splits openCypher text into tokens.
 *
 * The whole text is tokenized up front (queries are small), which lets the
 * parser look ahead freely: brackets are paired here (cy_token.match), so
 * deciding whether "(" starts a pattern or a parenthesized expression costs
 * a few comparisons, never a re-parse.
 *
 * Keywords are not recognized here: they are bare identifiers that the
 * parser compares case-insensitively; a backquoted name (CY_T_QIDENT) is
 * never a keyword.  Numbers keep their magnitude and an overflow flag so
 * that the parser can accept -9223372036854775808 as a negated literal.
 */
#define CY_INTERNAL
#include "parse.h"
#include "ascii.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lexer {
	cy_arena *a;
	const char *s;
	size_t n;
	size_t i;              /* current byte */
	/* position cursor: line and column of byte pos_off */
	size_t pos_off;
	uint32_t pos_line, pos_col;
	cy_token *toks;
	size_t ntoks, cap;
	cy_error *err;
} lexer;

/* Line and column of byte off (>= every earlier query). */
static void
lx_pos(lexer *lx, size_t off, uint32_t *line, uint32_t *col)
{
	if (off < lx->pos_off) {       /* not expected; restart from the top */
		lx->pos_off = 0;
		lx->pos_line = 1;
		lx->pos_col = 1;
	}
	while (lx->pos_off < off) {
		unsigned char c = (unsigned char)lx->s[lx->pos_off++];
		if (c == '\n') {
			lx->pos_line++;
			lx->pos_col = 1;
		} else if ((c & 0xC0) != 0x80) {
			lx->pos_col++;
		}
	}
	*line = lx->pos_line;
	*col = lx->pos_col;
}

static int
lx_error(lexer *lx, int kind, size_t off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
lx_error(lexer *lx, int kind, size_t off, const char *fmt, ...)
{
	uint32_t line, col;
	lx_pos(lx, off, &line, &col);
	if (lx->err) {
		char msg[sizeof lx->err->message];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		cy_error_set(lx->err, CY_ESYNTAX, kind, line, col, off, "%s", msg);
	}
	return CY_ESYNTAX;
}

static int
lx_nomem(lexer *lx)
{
	return cy_error_set(lx->err, CY_ENOMEM, CY_ERR_NO_MEMORY, 0, 0, 0,
	    "out of memory");
}

/* Decodes one UTF-8 character at s[i..n); returns its length (1-4) and
 * sets *cp, or 0 when the bytes are not valid UTF-8. */
static int
utf8_decode(const char *str, size_t i, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str + i;
	size_t left = n - i;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	uint32_t v, min;
	if ((c & 0xE0) == 0xC0) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (left < (size_t)len)
		return 0;
	for (int k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Unicode white space that openCypher accepts between tokens. */
static int
is_unicode_space(uint32_t cp)
{
	return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || cp == 0x180E
	    || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
	    || cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

/* Non-ASCII characters allowed in identifiers: an approximation of the
 * Unicode letter classes that leaves out punctuation and symbol blocks, so
 * that a stray em dash or minus sign is reported, not taken for a name. */
static int
is_unicode_letter(uint32_t cp)
{
	if (cp < 0x80)
		return 0;
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return 0;
	if (is_unicode_space(cp))
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF)
		return cp >= 0x2100 && cp <= 0x214F && cp != 0x2118;
	if ((cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F)
	    || (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0xFE10 && cp <= 0xFE6F)
	    || (cp >= 0xFF00 && cp <= 0xFF20) || (cp >= 0xFF3B && cp <= 0xFF40)
	    || (cp >= 0xFF5B && cp <= 0xFF65) || (cp >= 0xFFF0 && cp <= 0xFFFF))
		return 0;
	if (cp >= 0x1F000 && cp <= 0x1FAFF)
		return 0;
	return 1;
}

static int
is_ident_start_ascii(unsigned char c)
{
	return c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Length of the identifier character at i (ASCII letter, digit, '_' or a
 * Unicode letter), 0 when there is none. */
static int
ident_char_len(lexer *lx, size_t i, int start)
{
	if (i >= lx->n)
		return 0;
	unsigned char c = (unsigned char)lx->s[i];
	if (c < 0x80)
		return (is_ident_start_ascii(c) || (!start && is_digit(c))) ? 1 : 0;
	uint32_t cp;
	int len = utf8_decode(lx->s, i, lx->n, &cp);
	if (len == 0 || !is_unicode_letter(cp))
		return 0;
	return len;
}

/*
 * Where strings, backquoted names and comments end: the lexer and the
 * statement splitter (cy_split) share these so that they can never disagree
 * on where a ';' is.
 */

/* The index of the quote closing a string whose text starts at i (after
 * its opening quote), or n when it is not closed; a backslash escapes the
 * next byte. */
static size_t
string_end(const char *s, size_t i, size_t n, char quote)
{
	while (i < n && s[i] != quote)
		i += s[i] == '\\' ? 2 : 1;
	return i < n ? i : n;
}

/* The index of the backquote closing a name whose text starts at i, or n;
 * `` inside stands for one backquote. */
static size_t
name_end(const char *s, size_t i, size_t n)
{
	while (i < n && !(s[i] == '`' && !(i + 1 < n && s[i + 1] == '`')))
		i += s[i] == '`' ? 2 : 1;
	return i < n ? i : n;
}

/* The index just after the star-slash closing a block comment whose text
 * starts at i (after its opening slash-star), or n + 1 when it is not
 * closed. */
static size_t
comment_end(const char *s, size_t i, size_t n)
{
	for (; i + 1 < n; i++)
		if (s[i] == '*' && s[i + 1] == '/')
			return i + 2;
	return n + 1;
}

static cy_token *
lx_push(lexer *lx, int kind, size_t start)
{
	if (lx->ntoks == lx->cap) {
		size_t cap = lx->cap ? lx->cap * 2 : 64;
		cy_token *t = cy_arena_grow(lx->a, lx->toks, lx->ntoks, cap, sizeof *t);
		if (t == NULL)
			return NULL;
		lx->toks = t;
		lx->cap = cap;
	}
	cy_token *t = &lx->toks[lx->ntoks++];
	memset(t, 0, sizeof *t);
	t->kind = (uint8_t)kind;
	t->off = (uint32_t)start;
	t->len = (uint32_t)(lx->i - start);
	t->match = -1;
	lx_pos(lx, start, &t->line, &t->col);
	return t;
}

/* Pushes a token ending at lx->i whose value is the text buf[0..len). */
static int
lx_push_text(lexer *lx, int kind, size_t start, char *buf, size_t len)
{
	cy_token *t = lx_push(lx, kind, start);
	if (t == NULL)
		return lx_nomem(lx);
	t->v.s.ptr = buf;
	t->v.s.len = len;
	return CY_OK;
}

/* Copies s[from..to) as a NUL-terminated name, checking it is UTF-8. */
static int
lx_name(lexer *lx, cy_token *t, size_t from, size_t to)
{
	t->v.s.ptr = cy_arena_strndup(lx->a, lx->s + from, to - from);
	if (t->v.s.ptr == NULL)
		return lx_nomem(lx);
	t->v.s.len = to - from;
	return CY_OK;
}

/* Copies the UTF-8 character at s[*i] to buf + *len, moving both past it:
 * CY_OK, or the error (invalid UTF-8 in `what`) when it is not one. */
static int
copy_char(lexer *lx, size_t *i, char *buf, size_t *len, const char *what)
{
	uint32_t cp;
	int l = utf8_decode(lx->s, *i, lx->n, &cp);
	if (l == 0)
		return lx_error(lx, CY_ERR_INVALID_UNICODE_CHARACTER, *i, "invalid UTF-8 in %s", what);
	memcpy(buf + *len, lx->s + *i, (size_t)l);
	*len += (size_t)l;
	*i += (size_t)l;
	return CY_OK;
}

/* A backquoted name starting at lx->i; `` inside stands for one `. */
static int
lex_backquoted(lexer *lx, int kind, size_t start)
{
	size_t i = lx->i + 1, end = name_end(lx->s, i, lx->n);
	/* Found the end first: the buffer is no longer than the raw text. */
	if (end >= lx->n)
		return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, lx->i,
		    "unterminated backquoted name");
	char *buf = cy_arena_alloc(lx->a, end - i + 1);
	size_t len = 0;
	int rc;
	if (buf == NULL)
		return lx_nomem(lx);
	for (;;) {
		if (i >= lx->n)
			return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, lx->i,
			    "unterminated backquoted name");
		if (lx->s[i] == '`') {
			if (i + 1 < lx->n && lx->s[i + 1] == '`') {
				buf[len++] = '`';
				i += 2;
				continue;
			}
			i++;
			break;
		}
		if ((rc = copy_char(lx, &i, buf, &len, "name")) != CY_OK)
			return rc;
	}
	lx->i = i;
	return lx_push_text(lx, kind, start, buf, len);
}

static int
hex_digits(lexer *lx, size_t i, int count, uint32_t *out)
{
	uint32_t v = 0;
	for (int k = 0; k < count; k++) {
		if (i + (size_t)k >= lx->n)
			return -1;
		int h = hexval((unsigned char)lx->s[i + (size_t)k]);
		if (h < 0)
			return -1;
		v = v * 16 + (uint32_t)h;
	}
	*out = v;
	return 0;
}

/* A string literal in single or double quotes, escapes decoded. */
static int
lex_string(lexer *lx)
{
	size_t start = lx->i;
	char quote = lx->s[start];
	size_t i = start + 1, end = string_end(lx->s, i, lx->n, quote);
	if (end >= lx->n)
		return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
		    "unterminated string literal");
	/* Escapes only shrink the text: the raw length is enough. */
	char *buf = cy_arena_alloc(lx->a, end - i + 1);
	size_t len = 0;
	int rc;
	if (buf == NULL)
		return lx_nomem(lx);
	for (;;) {
		if (i >= lx->n)
			return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
			    "unterminated string literal");
		char c = lx->s[i];
		if (c == quote) {
			i++;
			break;
		}
		if (c != '\\') {
			if ((rc = copy_char(lx, &i, buf, &len, "string literal")) != CY_OK)
				return rc;
			continue;
		}
		if (i + 1 >= lx->n)
			return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
			    "unterminated string literal");
		char e = lx->s[i + 1];
		switch (e) {
		case '\\': buf[len++] = '\\'; i += 2; continue;
		case '\'': buf[len++] = '\''; i += 2; continue;
		case '"': buf[len++] = '"'; i += 2; continue;
		case 'n': case 'N': buf[len++] = '\n'; i += 2; continue;
		case 't': case 'T': buf[len++] = '\t'; i += 2; continue;
		case 'r': case 'R': buf[len++] = '\r'; i += 2; continue;
		case 'b': case 'B': buf[len++] = '\b'; i += 2; continue;
		case 'f': case 'F': buf[len++] = '\f'; i += 2; continue;
		case 'u': case 'U': {
			int ndig = e == 'u' ? 4 : 8;
			uint32_t cp;
			if (hex_digits(lx, i + 2, ndig, &cp) != 0)
				return lx_error(lx, CY_ERR_INVALID_UNICODE_LITERAL, i,
				    "invalid unicode escape, expected \\%c and %d hex digits",
				    e, ndig);
			size_t esc = i;
			i += 2 + (size_t)ndig;
			if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 <= lx->n
			    && lx->s[i] == '\\' && lx->s[i + 1] == 'u') {
				uint32_t lo;
				if (hex_digits(lx, i + 2, 4, &lo) == 0
				    && lo >= 0xDC00 && lo <= 0xDFFF) {
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					i += 6;
				}
			}
			if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
				return lx_error(lx, CY_ERR_INVALID_UNICODE_LITERAL, esc,
				    "invalid unicode escape: U+%04X is not a character",
				    (unsigned)cp);
			len += utf8_encode(cp, buf + len);
			continue;
		}
		default:
			return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, i,
			    "invalid escape sequence '\\%c' in string literal",
			    (e >= 0x20 && e < 0x7f) ? e : '?');
		}
	}
	lx->i = i;
	return lx_push_text(lx, CY_T_STRING, start, buf, len);
}

/* strtod in the "C" locale whatever the program's locale is. */
static double
c_strtod(const char *buf)
{
	const char *dp = localeconv()->decimal_point;
	if (dp == NULL || strcmp(dp, ".") == 0)
		return strtod(buf, NULL);
	char tmp[512];
	size_t o = 0, dl = strlen(dp);
	for (const char *p = buf; *p && o + dl + 1 < sizeof tmp; p++) {
		if (*p == '.') {
			memcpy(tmp + o, dp, dl);
			o += dl;
		} else {
			tmp[o++] = *p;
		}
	}
	tmp[o] = '\0';
	return strtod(tmp, NULL);
}

static int
lex_number(lexer *lx)
{
	size_t start = lx->i, i = start;
	const char *s = lx->s;
	size_t n = lx->n;
	int is_float = 0;
	uint64_t mag = 0;
	int overflow = 0;
	int base = 10;

	if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		base = 16;
		i += 2;
		size_t d0 = i;
		while (i < n && hexval((unsigned char)s[i]) >= 0) {
			uint64_t h = (uint64_t)hexval((unsigned char)s[i]);
			if (mag > (UINT64_MAX - h) / 16)
				overflow = 1;
			mag = mag * 16 + h;
			i++;
		}
		if (i == d0)
			return lx_error(lx, CY_ERR_INVALID_NUMBER_LITERAL, start,
			    "invalid hexadecimal integer literal");
	} else if (s[i] == '0' && i + 1 < n && (s[i + 1] == 'o' || s[i + 1] == 'O')) {
		base = 8;
		i += 2;
		size_t d0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '7') {
			if (mag > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 8)
				overflow = 1;
			mag = mag * 8 + (uint64_t)(s[i] - '0');
			i++;
		}
		if (i == d0)
			return lx_error(lx, CY_ERR_INVALID_NUMBER_LITERAL, start,
			    "invalid octal integer literal");
	} else {
		while (i < n && is_digit((unsigned char)s[i])) {
			uint64_t d = (uint64_t)(s[i] - '0');
			if (mag > (UINT64_MAX - d) / 10)
				overflow = 1;
			mag = mag * 10 + d;
			i++;
		}
		if (i + 1 < n && s[i] == '.' && is_digit((unsigned char)s[i + 1])) {
			is_float = 1;
			i++;
			while (i < n && is_digit((unsigned char)s[i]))
				i++;
		}
		if (i < n && (s[i] == 'e' || s[i] == 'E')) {
			size_t j = i + 1;
			if (j < n && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < n && is_digit((unsigned char)s[j])) {
				is_float = 1;
				i = j;
				while (i < n && is_digit((unsigned char)s[i]))
					i++;
			}
		}
		if (!is_float && i - start > 1 && s[start] == '0') {
			/* The old octal form 0777. */
			base = 8;
			mag = 0;
			overflow = 0;
			for (size_t k = start + 1; k < i; k++) {
				if (s[k] > '7')
					return lx_error(lx, CY_ERR_INVALID_NUMBER_LITERAL,
					    start, "invalid number literal '%.*s'",
					    (int)(i - start), s + start);
				if (mag > (UINT64_MAX - (uint64_t)(s[k] - '0')) / 8)
					overflow = 1;
				mag = mag * 8 + (uint64_t)(s[k] - '0');
			}
		}
	}
	/* A letter or digit right after a number: 0x1A2j, 12abc. */
	if (ident_char_len(lx, i, 0) > 0) {
		size_t j = i;
		int l;
		while ((l = ident_char_len(lx, j, 0)) > 0)
			j += (size_t)l;
		return lx_error(lx, CY_ERR_INVALID_NUMBER_LITERAL, start,
		    "invalid number literal '%.*s'", (int)(j - start > 40 ? 40 : j - start),
		    s + start);
	}
	(void)base;
	lx->i = i;
	cy_token *t = lx_push(lx, is_float ? CY_T_FLOAT : CY_T_INT, start);
	if (t == NULL)
		return lx_nomem(lx);
	if (is_float) {
		char buf[512];
		size_t len = i - start;
		if (len >= sizeof buf)
			len = sizeof buf - 1;  /* digits past 500 change nothing */
		memcpy(buf, s + start, len);
		buf[len] = '\0';
		t->v.f = c_strtod(buf);
		if (isinf(t->v.f))
			return lx_error(lx, CY_ERR_FLOAT_OVERFLOW, start,
			    "floating point literal is too large");
	} else {
		t->v.u = mag;
		t->overflow = (uint8_t)overflow;
	}
	return CY_OK;
}

/* Skips white space and comments. */
static int
skip_space(lexer *lx)
{
	while (lx->i < lx->n) {
		unsigned char c = (unsigned char)lx->s[lx->i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
		    || c == '\v') {
			lx->i++;
		} else if (c == '/' && lx->i + 1 < lx->n && lx->s[lx->i + 1] == '/') {
			while (lx->i < lx->n && lx->s[lx->i] != '\n')
				lx->i++;
		} else if (c == '/' && lx->i + 1 < lx->n && lx->s[lx->i + 1] == '*') {
			size_t start = lx->i;
			if ((lx->i = comment_end(lx->s, lx->i + 2, lx->n)) > lx->n)
				return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
				    "unterminated comment");
		} else if (c >= 0x80) {
			uint32_t cp;
			int l = utf8_decode(lx->s, lx->i, lx->n, &cp);
			if (l == 0 || !is_unicode_space(cp))
				return CY_OK;
			lx->i += (size_t)l;
		} else {
			return CY_OK;
		}
	}
	return CY_OK;
}

/* Pairs brackets: each opener gets the index of its closer and back. */
static int
pair_brackets(lexer *lx)
{
	int32_t *stack = malloc((lx->ntoks + 1) * sizeof *stack);
	size_t depth = 0;
	if (stack == NULL)
		return lx_nomem(lx);
	for (size_t k = 0; k < lx->ntoks; k++) {
		int kind = lx->toks[k].kind;
		if (kind == CY_T_LPAREN || kind == CY_T_LBRACKET || kind == CY_T_LBRACE) {
			stack[depth++] = (int32_t)k;
		} else if (kind == CY_T_RPAREN || kind == CY_T_RBRACKET
		    || kind == CY_T_RBRACE) {
			int want = kind == CY_T_RPAREN ? CY_T_LPAREN
			    : kind == CY_T_RBRACKET ? CY_T_LBRACKET : CY_T_LBRACE;
			if (depth > 0 && lx->toks[stack[depth - 1]].kind == want) {
				int32_t o = stack[--depth];
				lx->toks[o].match = (int32_t)k;
				lx->toks[k].match = o;
			}
		}
	}
	free(stack);
	return CY_OK;
}

/* The punctuation tokens, two-character ones first so that "<=" is not
 * read as "<" then "=". */
static const struct {
	char text[3];
	int kind;
} puncts[] = {
	{ "..", CY_T_DOTDOT }, { "+=", CY_T_PLUSEQ }, { "=~", CY_T_REGEX },
	{ "<>", CY_T_NE }, { "<=", CY_T_LE }, { ">=", CY_T_GE },
	{ "(", CY_T_LPAREN }, { ")", CY_T_RPAREN }, { "[", CY_T_LBRACKET },
	{ "]", CY_T_RBRACKET }, { "{", CY_T_LBRACE }, { "}", CY_T_RBRACE },
	{ ",", CY_T_COMMA }, { ":", CY_T_COLON }, { ";", CY_T_SEMI },
	{ "|", CY_T_PIPE }, { "-", CY_T_MINUS }, { "*", CY_T_STAR },
	{ "/", CY_T_SLASH }, { "%", CY_T_PERCENT }, { "^", CY_T_CARET },
	{ ".", CY_T_DOT }, { "+", CY_T_PLUS }, { "=", CY_T_EQ },
	{ "<", CY_T_LT }, { ">", CY_T_GT },
};

static int
lex_punct(lexer *lx)
{
	size_t start = lx->i;
	const char *s = lx->s + start;
	size_t left = lx->n - start;

	for (size_t k = 0; k < sizeof puncts / sizeof *puncts; k++) {
		size_t len = strlen(puncts[k].text);
		if (len <= left && memcmp(s, puncts[k].text, len) == 0) {
			lx->i += len;
			return lx_push(lx, puncts[k].kind, start) ? CY_OK : lx_nomem(lx);
		}
	}
	if (s[0] == '!' && left > 1 && s[1] == '=')
		return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
		    "unexpected '!=', use '<>' for inequality");
	unsigned char c = (unsigned char)s[0];
	if (c >= 0x80) {
		uint32_t cp;
		int l = utf8_decode(lx->s, start, lx->n, &cp);
		if (l == 0)
			return lx_error(lx, CY_ERR_INVALID_UNICODE_CHARACTER, start,
			    "invalid UTF-8 byte 0x%02X", c);
		return lx_error(lx, CY_ERR_INVALID_UNICODE_CHARACTER, start,
		    "invalid character '%.*s' (U+%04X)", l, s, (unsigned)cp);
	}
	if (c < 0x20 || c == 0x7f)
		return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
		    "unexpected control character 0x%02X", c);
	return lx_error(lx, CY_ERR_UNEXPECTED_SYNTAX, start,
	    "unexpected character '%c'", c);
}

int
cy_lex(cy_arena *a, const char *text, size_t len, cy_token **toks,
    size_t *ntoks, cy_error *err)
{
	lexer lx = { .a = a, .s = text, .n = len, .pos_line = 1, .pos_col = 1,
		.err = err };
	int rc;
	if (len > UINT32_MAX / 2)
		return cy_error_set(err, CY_ESYNTAX, CY_ERR_UNEXPECTED_SYNTAX, 0, 0,
		    0, "query text is too long");
	for (;;) {
		if ((rc = skip_space(&lx)) != CY_OK)
			return rc;
		if (lx.i >= lx.n)
			break;
		size_t start = lx.i;
		unsigned char c = (unsigned char)text[start];
		int l;
		if (c == '\'' || c == '"') {
			rc = lex_string(&lx);
		} else if (c == '`') {
			rc = lex_backquoted(&lx, CY_T_QIDENT, start);
		} else if (is_digit(c) || (c == '.' && start + 1 < len
		    && is_digit((unsigned char)text[start + 1]))) {
			rc = lex_number(&lx);
		} else if (c == '$') {
			lx.i++;
			if (lx.i < len && text[lx.i] == '`') {
				rc = lex_backquoted(&lx, CY_T_PARAM, start);
			} else {
				size_t from = lx.i;
				while ((l = ident_char_len(&lx, lx.i, 0)) > 0)
					lx.i += (size_t)l;
				if (lx.i == from)
					return lx_error(&lx, CY_ERR_UNEXPECTED_SYNTAX, start,
					    "expected a parameter name after '$'");
				cy_token *t = lx_push(&lx, CY_T_PARAM, start);
				rc = t ? lx_name(&lx, t, from, lx.i) : lx_nomem(&lx);
			}
		} else if ((l = ident_char_len(&lx, start, 1)) > 0) {
			lx.i += (size_t)l;
			while ((l = ident_char_len(&lx, lx.i, 0)) > 0)
				lx.i += (size_t)l;
			cy_token *t = lx_push(&lx, CY_T_IDENT, start);
			rc = t ? lx_name(&lx, t, start, lx.i) : lx_nomem(&lx);
		} else {
			rc = lex_punct(&lx);
		}
		if (rc != CY_OK)
			return rc;
	}
	cy_token *t = lx_push(&lx, CY_T_EOF, lx.n);
	if (t == NULL)
		return lx_nomem(&lx);
	if ((rc = pair_brackets(&lx)) != CY_OK)
		return rc;
	/* give back the doubling's spare room (a long literal list) */
	if (lx.cap > lx.ntoks + lx.ntoks / 8) {
		cy_token *fit = cy_arena_grow(lx.a, lx.toks, lx.ntoks, lx.ntoks, sizeof *fit);
		if (fit)
			lx.toks = fit;
	}
	*toks = lx.toks;
	*ntoks = lx.ntoks;
	return CY_OK;
}

int
cy_tok_is(const cy_token *t, const char *kw)
{
	return t->kind == CY_T_IDENT && strlen(kw) == t->v.s.len
	    && cy_ascii_ieq(t->v.s.ptr, kw, t->v.s.len);
}

/* Appends the piece [start, end) to the split; -1 when out of memory. */
static int
split_add(cy_piece **p, size_t *n, size_t *cap, size_t start, size_t end)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		cy_piece *np = realloc(*p, nc * sizeof *np);
		if (np == NULL)
			return -1;
		*p = np;
		*cap = nc;
	}
	(*p)[*n].off = start;
	(*p)[(*n)++].len = end - start;
	return 0;
}

int
cy_split(const char *t, size_t n, cy_piece **out, size_t *np, int *open)
{
	cy_piece *p = NULL;
	size_t cnt = 0, cap = 0, start = 0, i = 0;
	int solid = 0, state = CY_SPLIT_CLOSED;
	while (i < n && state == CY_SPLIT_CLOSED) {
		char ch = t[i];
		if (ch == '\'' || ch == '"' || ch == '`') {
			size_t e = ch == '`' ? name_end(t, i + 1, n)
			    : string_end(t, i + 1, n, ch);
			solid = 1;
			if (e >= n)
				state = ch == '`' ? CY_SPLIT_OPEN_NAME : CY_SPLIT_OPEN_STRING;
			i = e + 1;
		} else if (ch == '/' && i + 1 < n && t[i + 1] == '/') {
			while (i < n && t[i] != '\n')
				i++;
		} else if (ch == '/' && i + 1 < n && t[i + 1] == '*') {
			/* an unclosed comment is kept so that parsing reports it */
			if ((i = comment_end(t, i + 2, n)) > n) {
				solid = 1;
				state = CY_SPLIT_OPEN_COMMENT;
			}
		} else if (ch == ';') {
			if (solid && split_add(&p, &cnt, &cap, start, i) < 0)
				goto nomem;
			solid = 0;
			start = ++i;
		} else {
			if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
				solid = 1;
			i++;
		}
	}
	if (solid && split_add(&p, &cnt, &cap, start, n) < 0)
		goto nomem;
	*out = p;
	*np = cnt;
	if (open)
		*open = state;
	return CY_OK;
nomem:
	free(p);
	return CY_ENOMEM;
}

int
cy_script_complete(const char *t, size_t n)
{
	cy_piece *p;
	size_t np, last_end = 0;
	int open;
	if (cy_split(t, n, &p, &np, &open) != CY_OK)
		return 0;
	if (np)
		last_end = p[np - 1].off + p[np - 1].len;
	free(p);
	/* complete: at least one statement, nothing open, and the last one
	 * ended by its ';' (the text after it holds only blanks and comments) */
	return np > 0 && open == CY_SPLIT_CLOSED && last_end < n && t[last_end] == ';';
}
