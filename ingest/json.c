/*
 * json.c: a strict RFC 8259 JSON parser that builds gr_values directly.
 *
 * Importers call it once per JSONL line, millions of times, so the hot loops
 * (whitespace, plain string bytes, digits) are inline scans over a byte
 * table and the parser keeps its scratch stacks in the parser struct, on the
 * C stack, until a line needs more.
 *
 * Containers are built bottom-up: the items of an open array or object are
 * pushed on a value stack (object keys on a key stack whose bytes live in a
 * scratch arena), and when the container closes they are moved into a list
 * or map of the exact size.  Every level frees what it pushed when it fails,
 * so a failed parse leaves nothing allocated.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"

typedef struct json_key {
	size_t k_off;           /* offset of the key's bytes in jp_arena */
	size_t k_len;
	size_t k_at;            /* offset of its opening quote in the text */
} json_key;

typedef struct json_parser {
	const unsigned char *jp_text;   /* the text as given */
	const unsigned char *jp_start;  /* the text, after a BOM */
	const unsigned char *jp_p;      /* where parsing continues */
	const unsigned char *jp_end;
	sg_json_error *jp_err;
	int jp_depth;

	gr_value *jp_vals;              /* items of open containers */
	size_t jp_nvals, jp_capvals;
	json_key *jp_keys;              /* keys of open objects */
	size_t jp_nkeys, jp_capkeys;
	char *jp_arena;                 /* key bytes, NUL-terminated */
	size_t jp_narena, jp_caparena;

	gr_value jp_vals0[32];
	json_key jp_keys0[32];
	char jp_arena0[512];
} json_parser;

/* Byte classes. */
#define JC_WS     1     /* space, tab, newline, carriage return */
#define JC_PLAIN  2     /* string byte needing no attention: 0x20..0x7f but '"' '\\' */
#define JC_DIGIT  4

/* GNU range designators; ranges do not overlap (-Woverride-init). */
static const unsigned char json_class[256] = {
	['\t'] = JC_WS, ['\n'] = JC_WS, ['\r'] = JC_WS,
	[' '] = JC_WS | JC_PLAIN, ['!'] = JC_PLAIN,
	[0x23 ... 0x2f] = JC_PLAIN,
	['0' ... '9'] = JC_PLAIN | JC_DIGIT,
	[0x3a ... 0x5b] = JC_PLAIN,
	[0x5d ... 0x7f] = JC_PLAIN,
};

#define IS_WS(c)    (json_class[(unsigned char)(c)] & JC_WS)
#define IS_DIGIT(c) (json_class[(unsigned char)(c)] & JC_DIGIT)

/* Describes the byte at p for a message: 'x', byte 0xNN, or end of input. */
static void json_describe(const json_parser *jp, const unsigned char *p, char *buf, size_t n)
{
	if (p >= jp->jp_end)
		snprintf(buf, n, "end of input");
	else if (*p > 0x20 && *p < 0x7f)
		snprintf(buf, n, "'%c'", *p);
	else if (*p == ' ')
		snprintf(buf, n, "space");
	else
		snprintf(buf, n, "byte 0x%02x", *p);
}

/* Records a syntax error at `at`; returns SG_JSON_ESYNTAX. */
static int json_fail(json_parser *jp, const unsigned char *at, const char *fmt, ...)
{
	sg_json_error *e = jp->jp_err;
	const unsigned char *q;
	size_t col = 1;
	va_list ap;

	if (!e)
		return SG_JSON_ESYNTAX;
	if (at > jp->jp_end)
		at = jp->jp_end;
	for (q = jp->jp_start; q < at; q++)
		if ((*q & 0xc0) != 0x80)
			col++;
	e->je_offset = (size_t)(at - jp->jp_text);
	e->je_column = col;
	va_start(ap, fmt);
	vsnprintf(e->je_msg, sizeof e->je_msg, fmt, ap);
	va_end(ap);
	return SG_JSON_ESYNTAX;
}

static int json_oom(json_parser *jp)
{
	if (jp->jp_err) {
		jp->jp_err->je_offset = (size_t)(jp->jp_p - jp->jp_text);
		jp->jp_err->je_column = 0;
		snprintf(jp->jp_err->je_msg, sizeof jp->jp_err->je_msg, "out of memory");
	}
	return SG_JSON_ENOMEM;
}

/* Grows a stack that may still live in the parser's built-in array. */
static int json_grow(void **stack, size_t *cap, size_t size, void *builtin, size_t used)
{
	size_t ncap = *cap * 2;
	void *p;

	if (*stack == builtin) {
		p = malloc(ncap * size);
		if (p)
			memcpy(p, *stack, used * size);
	} else {
		p = realloc(*stack, ncap * size);
	}
	if (!p)
		return -1;
	*stack = p;
	*cap = ncap;
	return 0;
}

static int json_push_val(json_parser *jp, gr_value v)
{
	if (jp->jp_nvals == jp->jp_capvals &&
	    json_grow((void **)&jp->jp_vals, &jp->jp_capvals, sizeof *jp->jp_vals,
		jp->jp_vals0, jp->jp_nvals) < 0)
		return -1;
	jp->jp_vals[jp->jp_nvals++] = v;
	return 0;
}

static void json_pop_vals(json_parser *jp, size_t base)
{
	while (jp->jp_nvals > base)
		gr_value_free(&jp->jp_vals[--jp->jp_nvals]);
}

/* Checks the UTF-8 sequence at p (first byte >= 0x80); returns its length,
 * or 0 when invalid (overlong, surrogate, above U+10FFFF, truncated). */
static size_t json_utf8_len(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0];
	size_t avail = (size_t)(end - p);

	if (c >= 0xc2 && c <= 0xdf) {
		if (avail >= 2 && (p[1] & 0xc0) == 0x80)
			return 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		if (avail >= 3 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
			if (c == 0xe0 && p[1] < 0xa0)
				return 0;       /* overlong */
			if (c == 0xed && p[1] >= 0xa0)
				return 0;       /* UTF-16 surrogate */
			return 3;
		}
	} else if (c >= 0xf0 && c <= 0xf4) {
		if (avail >= 4 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 &&
		    (p[3] & 0xc0) == 0x80) {
			if (c == 0xf0 && p[1] < 0x90)
				return 0;       /* overlong */
			if (c == 0xf4 && p[1] >= 0x90)
				return 0;       /* above U+10FFFF */
			return 4;
		}
	}
	return 0;
}

static int json_hex4(const unsigned char *p, const unsigned char *end, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		unsigned char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Scans the string whose opening quote is at q: validates raw bytes (UTF-8,
 * no control characters) and finds the closing quote.  Sets *body to the
 * first byte after the opening quote, *close to the closing quote and
 * *escaped when a backslash occurs.  Escapes are checked by json_unescape.
 */
static int json_scan_string(json_parser *jp, const unsigned char *q,
    const unsigned char **body, const unsigned char **close, int *escaped)
{
	const unsigned char *end = jp->jp_end;
	const unsigned char *open = q;
	int esc = 0;

	*body = ++q;
	for (;;) {
		size_t n;
		unsigned char c;

		while (q < end && (json_class[*q] & JC_PLAIN))
			q++;
		if (q >= end)
			return json_fail(jp, open, "unterminated string");
		c = *q;
		if (c == '"')
			break;
		if (c == '\\') {
			esc = 1;
			q++;
			if (q >= end)
				return json_fail(jp, open, "unterminated string");
			if (*q < 0x80) {
				if (*q < 0x20)
					return json_fail(jp, q, "invalid escape in string");
				q++;
				continue;
			}
			c = *q;     /* an escaped non-ASCII byte: let json_unescape complain */
		}
		if (c < 0x20)
			return json_fail(jp, q, "control character 0x%02x in string (must be escaped)", c);
		n = json_utf8_len(q, end);
		if (n == 0)
			return json_fail(jp, q, "invalid utf-8 in string");
		q += n;
	}
	*close = q;
	*escaped = esc;
	return 0;
}

/* Encodes code point cp as UTF-8 at d; returns the bytes written. */
static size_t json_put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | (cp >> 6));
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | (cp >> 12));
		d[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | (cp >> 18));
	d[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decodes the escaped string body [s, e) into dst, which has room for e - s
 * bytes (decoding never lengthens).  Sets *dlen and *has_nul (a \u0000).
 */
static int json_unescape(json_parser *jp, const unsigned char *s, const unsigned char *e,
    char *dst, size_t *dlen, int *has_nul)
{
	char *d = dst;
	unsigned cp, lo;

	*has_nul = 0;
	while (s < e) {
		const unsigned char *run = s;

		while (s < e && *s != '\\')
			s++;
		memcpy(d, run, (size_t)(s - run));
		d += s - run;
		if (s >= e)
			break;
		/* s at a backslash; the escaped byte exists (json_scan_string) */
		switch (s[1]) {
		case '"':  *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '/':  *d++ = '/'; break;
		case 'b':  *d++ = '\b'; break;
		case 'f':  *d++ = '\f'; break;
		case 'n':  *d++ = '\n'; break;
		case 'r':  *d++ = '\r'; break;
		case 't':  *d++ = '\t'; break;
		case 'u':
			if (json_hex4(s + 2, e, &cp) < 0)
				return json_fail(jp, s, "invalid \\u escape (expected 4 hex digits)");
			if (cp >= 0xdc00 && cp <= 0xdfff)
				return json_fail(jp, s, "lone surrogate \\u%04x in string", cp);
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (e - s < 12 || s[6] != '\\' || s[7] != 'u' ||
				    json_hex4(s + 8, e, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
					return json_fail(jp, s, "lone surrogate \\u%04x in string", cp);
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				s += 6;
			}
			if (cp == 0)
				*has_nul = 1;
			d += json_put_utf8(d, cp);
			s += 4;
			break;
		default:
			if (s[1] > 0x20 && s[1] < 0x7f)
				return json_fail(jp, s, "invalid escape '\\%c' in string", s[1]);
			return json_fail(jp, s, "invalid escape in string");
		}
		s += 2;
	}
	*dlen = (size_t)(d - dst);
	*d = '\0';
	return 0;
}

/* Parses a string value whose opening quote is at q. */
static int json_string(json_parser *jp, const unsigned char *q, gr_value *out)
{
	const unsigned char *body, *close;
	int esc, has_nul, rc;
	size_t len;
	char *buf;

	if ((rc = json_scan_string(jp, q, &body, &close, &esc)) != 0)
		return rc;
	jp->jp_p = close + 1;
	if (!esc) {
		*out = gr_string((const char *)body, (size_t)(close - body));
		if (out->type != GR_STRING)
			return json_oom(jp);
		return 0;
	}
	buf = malloc((size_t)(close - body) + 1);
	if (!buf)
		return json_oom(jp);
	if ((rc = json_unescape(jp, body, close, buf, &len, &has_nul)) != 0) {
		free(buf);
		return rc;
	}
	*out = gr_string_own(buf, len);
	return 0;
}

/* Parses an object key whose opening quote is at q into the key arena. */
static int json_key_parse(json_parser *jp, const unsigned char *q, json_key *key)
{
	const unsigned char *body, *close;
	int esc, has_nul, rc;
	size_t raw, len;
	char *dst;

	if ((rc = json_scan_string(jp, q, &body, &close, &esc)) != 0)
		return rc;
	raw = (size_t)(close - body);
	while (jp->jp_caparena - jp->jp_narena < raw + 1)
		if (json_grow((void **)&jp->jp_arena, &jp->jp_caparena, 1, jp->jp_arena0,
			jp->jp_narena) < 0)
			return json_oom(jp);
	dst = jp->jp_arena + jp->jp_narena;
	if (esc) {
		if ((rc = json_unescape(jp, body, close, dst, &len, &has_nul)) != 0)
			return rc;
		if (has_nul)
			return json_fail(jp, q, "object key contains \\u0000");
	} else {
		memcpy(dst, body, raw);
		dst[raw] = '\0';
		len = raw;
	}
	key->k_at = (size_t)(q - jp->jp_start);
	key->k_off = jp->jp_narena;
	key->k_len = len;
	jp->jp_narena += len + 1;
	jp->jp_p = close + 1;
	return 0;
}

/* Parses a number starting at p ('-' or a digit). */
static int json_number(json_parser *jp, const unsigned char *p, gr_value *out)
{
	const unsigned char *start = p, *end = jp->jp_end;
	uint64_t acc = 0;
	int neg = 0, overflow = 0, is_float = 0;

	if (*p == '-') {
		neg = 1;
		p++;
		if (p >= end || !IS_DIGIT(*p))
			return json_fail(jp, p, "expected digit after '-'");
	}
	if (*p == '0') {
		p++;
		if (p < end && IS_DIGIT(*p))
			return json_fail(jp, p - 1, "leading zero in number");
	} else {
		while (p < end && IS_DIGIT(*p)) {
			unsigned d = (unsigned)(*p - '0');
			if (acc > (UINT64_MAX - d) / 10)
				overflow = 1;
			else
				acc = acc * 10 + d;
			p++;
		}
	}
	if (p < end && *p == '.') {
		p++;
		if (p >= end || !IS_DIGIT(*p))
			return json_fail(jp, p, "expected digit after '.' in number");
		while (p < end && IS_DIGIT(*p))
			p++;
		is_float = 1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !IS_DIGIT(*p))
			return json_fail(jp, p, "expected digit in exponent of number");
		while (p < end && IS_DIGIT(*p))
			p++;
		is_float = 1;
	}
	jp->jp_p = p;
	if (!is_float) {
		uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
		if (overflow || acc > limit) {
			int n = (int)(p - start);
			return json_fail(jp, start, "integer %.*s%s out of 64-bit range",
			    n > 40 ? 40 : n, (const char *)start, n > 40 ? "..." : "");
		}
		if (!neg)
			*out = gr_int((int64_t)acc);
		else if (acc == (uint64_t)INT64_MAX + 1)
			*out = gr_int(INT64_MIN);
		else
			*out = gr_int(-(int64_t)acc);
		return 0;
	} else {
		size_t n = (size_t)(p - start);
		char small[64], *buf = small;
		double d;

		if (n >= sizeof small && !(buf = malloc(n + 1)))
			return json_oom(jp);
		memcpy(buf, start, n);
		buf[n] = '\0';
		errno = 0;
		d = strtod(buf, NULL);
		if (buf != small)
			free(buf);
		if (errno == ERANGE && isinf(d)) {
			int m = (int)n;
			return json_fail(jp, start, "number %.*s%s out of range",
			    m > 40 ? 40 : m, (const char *)start, m > 40 ? "..." : "");
		}
		*out = gr_float(d);
		return 0;
	}
}

static int json_value(json_parser *jp, gr_value *out);

static const unsigned char *json_skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && IS_WS(*p))
		p++;
	return p;
}

/* Parses the value at jp->jp_p, pushes it on the value stack, and steps over
 * the ',' or the closing bracket close that must follow it; item names the
 * value in the error ("array element", "object member").  Returns 0 with *pp
 * past the separator (and its white space after a ',') and *closed set when
 * close ended the container, or the failure status (the value may stay
 * pushed: the caller's json_pop_vals takes it back). */
static int json_item(json_parser *jp, int close, const char *item,
    const unsigned char **pp, int *closed)
{
	const unsigned char *end = jp->jp_end, *p;
	gr_value v;
	char what[24];
	int rc;

	if ((rc = json_value(jp, &v)) != 0)
		return rc;
	if (json_push_val(jp, v) < 0) {
		gr_value_free(&v);
		return json_oom(jp);
	}
	p = json_skip_ws(jp->jp_p, end);
	if (p < end && *p == ',') {
		p = json_skip_ws(p + 1, end);
		if (p < end && *p == close)
			return json_fail(jp, p, "trailing comma before '%c'", close);
		*pp = p;
		*closed = 0;
		return 0;
	}
	if (p < end && *p == close) {
		*pp = p + 1;
		*closed = 1;
		return 0;
	}
	json_describe(jp, p, what, sizeof what);
	return json_fail(jp, p, "expected ',' or '%c' after %s, found %s", close, item, what);
}

/* Parses an array whose '[' is at p. */
static int json_array(json_parser *jp, const unsigned char *p, gr_value *out)
{
	const unsigned char *end = jp->jp_end;
	size_t base = jp->jp_nvals, n;
	gr_value list;
	int rc, closed;

	if (++jp->jp_depth > SG_JSON_MAX_DEPTH)
		return json_fail(jp, p, "nesting deeper than %d levels", SG_JSON_MAX_DEPTH);
	p = json_skip_ws(p + 1, end);
	if (p < end && *p == ']') {
		p++;
		goto build;
	}
	do {
		jp->jp_p = p;
		if ((rc = json_item(jp, ']', "array element", &p, &closed)) != 0)
			goto fail;
	} while (!closed);
build:
	/* built by hand (value.h allows it, with cap = n): one allocation */
	n = jp->jp_nvals - base;
	list = gr_list(0);
	if (n) {
		if (!(list.u.list.items = malloc(n * sizeof *list.u.list.items))) {
			rc = json_oom(jp);
			goto fail;
		}
		memcpy(list.u.list.items, jp->jp_vals + base, n * sizeof *list.u.list.items);
		list.u.list.n = list.u.list.cap = n;
	}
	jp->jp_nvals = base;
	jp->jp_depth--;
	jp->jp_p = p;
	*out = list;
	return 0;
fail:
	json_pop_vals(jp, base);
	jp->jp_depth--;
	return rc;
}

static int json_key_cmp(const json_key *x, const json_key *y, const char *arena)
{
	if (x->k_len != y->k_len)
		return x->k_len < y->k_len ? -1 : 1;
	return memcmp(arena + x->k_off, arena + y->k_off, x->k_len);
}

/* Shell sort (qsort has no context argument in ISO C). */
static void json_sort_keys(json_key *k, size_t n, const char *arena)
{
	static const size_t gaps[] = { 701, 301, 132, 57, 23, 10, 4, 1 };
	size_t g, i, j;

	for (g = 0; g < sizeof gaps / sizeof gaps[0]; g++) {
		size_t gap = gaps[g];
		for (i = gap; i < n; i++) {
			json_key t = k[i];
			for (j = i; j >= gap && json_key_cmp(&k[j - gap], &t, arena) > 0; j -= gap)
				k[j] = k[j - gap];
			k[j] = t;
		}
	}
}

/* Finds a key that occurs twice among keys[0..n): returns 1 and sets *dup,
 * 0 when all differ, -1 when out of memory. */
static int json_find_duplicate(json_parser *jp, const json_key *keys, size_t n, json_key *dup)
{
	const char *ar = jp->jp_arena;
	json_key *sorted;
	size_t i, j;
	int found = 0;

	if (n <= 32) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (json_key_cmp(&keys[i], &keys[j], ar) == 0) {
					*dup = keys[i];
					return 1;
				}
		return 0;
	}
	if (!(sorted = malloc(n * sizeof *sorted)))
		return -1;
	memcpy(sorted, keys, n * sizeof *sorted);
	json_sort_keys(sorted, n, ar);
	for (i = 1; i < n; i++)
		if (json_key_cmp(&sorted[i - 1], &sorted[i], ar) == 0) {
			*dup = sorted[i].k_at > sorted[i - 1].k_at ? sorted[i] : sorted[i - 1];
			found = 1;
			break;
		}
	free(sorted);
	return found;
}

/* Parses an object whose '{' is at p. */
static int json_object(json_parser *jp, const unsigned char *p, gr_value *out)
{
	const unsigned char *end = jp->jp_end;
	size_t vbase = jp->jp_nvals, kbase = jp->jp_nkeys, abase = jp->jp_narena, i, n;
	json_key key, dup;
	gr_value map;
	char what[24];
	int rc, dupfound, closed;

	if (++jp->jp_depth > SG_JSON_MAX_DEPTH)
		return json_fail(jp, p, "nesting deeper than %d levels", SG_JSON_MAX_DEPTH);
	p = json_skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		p++;
		goto build;
	}
	for (;;) {
		if (p >= end || *p != '"') {
			json_describe(jp, p, what, sizeof what);
			rc = json_fail(jp, p, "expected string key in object, found %s", what);
			goto fail;
		}
		if ((rc = json_key_parse(jp, p, &key)) != 0)
			goto fail;
		if (jp->jp_nkeys == jp->jp_capkeys &&
		    json_grow((void **)&jp->jp_keys, &jp->jp_capkeys, sizeof *jp->jp_keys,
			jp->jp_keys0, jp->jp_nkeys) < 0) {
			rc = json_oom(jp);
			goto fail;
		}
		jp->jp_keys[jp->jp_nkeys++] = key;
		p = json_skip_ws(jp->jp_p, end);
		if (p >= end || *p != ':') {
			json_describe(jp, p, what, sizeof what);
			rc = json_fail(jp, p, "expected ':' after object key, found %s", what);
			goto fail;
		}
		jp->jp_p = p + 1;
		if ((rc = json_item(jp, '}', "object member", &p, &closed)) != 0)
			goto fail;
		if (closed)
			break;
	}
build:
	n = jp->jp_nkeys - kbase;
	dupfound = json_find_duplicate(jp, jp->jp_keys + kbase, n, &dup);
	if (dupfound < 0) {
		rc = json_oom(jp);
		goto fail;
	}
	if (dupfound) {
		int kl = dup.k_len > 40 ? 40 : (int)dup.k_len;
		rc = json_fail(jp, jp->jp_start + dup.k_at, "duplicate key \"%.*s%s\" in object", kl,
		    jp->jp_arena + dup.k_off, dup.k_len > 40 ? "..." : "");
		goto fail;
	}
	/* built by hand (value.h allows it: keys unique, cap = n) */
	map = gr_map();
	if (n) {
		map.u.map.keys = malloc(n * sizeof *map.u.map.keys);
		map.u.map.vals = malloc(n * sizeof *map.u.map.vals);
		if (!map.u.map.keys || !map.u.map.vals) {
			free(map.u.map.keys);
			free(map.u.map.vals);
			rc = json_oom(jp);
			goto fail;
		}
		for (i = 0; i < n; i++) {
			const json_key *k = &jp->jp_keys[kbase + i];
			if (!(map.u.map.keys[i] = malloc(k->k_len + 1))) {
				while (i > 0)
					free(map.u.map.keys[--i]);
				free(map.u.map.keys);
				free(map.u.map.vals);
				rc = json_oom(jp);
				goto fail;
			}
			memcpy(map.u.map.keys[i], jp->jp_arena + k->k_off, k->k_len + 1);
		}
		memcpy(map.u.map.vals, jp->jp_vals + vbase, n * sizeof *map.u.map.vals);
		map.u.map.n = map.u.map.cap = n;
	}
	jp->jp_nvals = vbase;
	jp->jp_nkeys = kbase;
	jp->jp_narena = abase;
	jp->jp_depth--;
	jp->jp_p = p;
	*out = map;
	return 0;
fail:
	json_pop_vals(jp, vbase);
	jp->jp_nkeys = kbase;
	jp->jp_narena = abase;
	jp->jp_depth--;
	return rc;
}

/* Parses the value starting at jp_p (after whitespace) into *out. */
static int json_value(json_parser *jp, gr_value *out)
{
	const unsigned char *end = jp->jp_end;
	const unsigned char *p = json_skip_ws(jp->jp_p, end);
	char what[24];

	if (p >= end)
		return json_fail(jp, p, "expected a value, found end of input");
	switch (*p) {
	case '{':
		return json_object(jp, p, out);
	case '[':
		return json_array(jp, p, out);
	case '"':
		return json_string(jp, p, out);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return json_number(jp, p, out);
	case 't':
		if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
			*out = gr_bool(1);
			jp->jp_p = p + 4;
			return 0;
		}
		return json_fail(jp, p, "invalid literal (expected true)");
	case 'f':
		if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
			*out = gr_bool(0);
			jp->jp_p = p + 5;
			return 0;
		}
		return json_fail(jp, p, "invalid literal (expected false)");
	case 'n':
		if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
			*out = gr_null();
			jp->jp_p = p + 4;
			return 0;
		}
		return json_fail(jp, p, "invalid literal (expected null)");
	case ']':
	case '}':
		return json_fail(jp, p, "expected a value, found '%c'", *p);
	default:
		json_describe(jp, p, what, sizeof what);
		return json_fail(jp, p, "expected a value, found %s", what);
	}
}

int sg_json_parse(const char *text, size_t len, gr_value *out, sg_json_error *err)
{
	json_parser jp;
	const unsigned char *p;
	gr_value v;
	char what[24];
	int rc;

	jp.jp_text = jp.jp_start = (const unsigned char *)text;
	jp.jp_end = jp.jp_start + len;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		jp.jp_start += 3;
	jp.jp_p = jp.jp_start;
	jp.jp_err = err;
	jp.jp_depth = 0;
	jp.jp_vals = jp.jp_vals0;
	jp.jp_nvals = 0;
	jp.jp_capvals = sizeof jp.jp_vals0 / sizeof jp.jp_vals0[0];
	jp.jp_keys = jp.jp_keys0;
	jp.jp_nkeys = 0;
	jp.jp_capkeys = sizeof jp.jp_keys0 / sizeof jp.jp_keys0[0];
	jp.jp_arena = jp.jp_arena0;
	jp.jp_narena = 0;
	jp.jp_caparena = sizeof jp.jp_arena0;

	rc = json_value(&jp, &v);
	if (rc == 0) {
		p = json_skip_ws(jp.jp_p, jp.jp_end);
		if (p < jp.jp_end) {
			gr_value_free(&v);
			json_describe(&jp, p, what, sizeof what);
			rc = json_fail(&jp, p, "unexpected %s after json value", what);
		}
	}
	if (jp.jp_vals != jp.jp_vals0)
		free(jp.jp_vals);
	if (jp.jp_keys != jp.jp_keys0)
		free(jp.jp_keys);
	if (jp.jp_arena != jp.jp_arena0)
		free(jp.jp_arena);
	if (rc == 0)
		*out = v;
	return rc;
}
