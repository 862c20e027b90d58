/*
 * value_text.c: the text forms of a gr_value (value.h): JSON, the display
 * form of tables and CSV, Cypher literals, and the string escaping they
 * share; and the reading of a command-line or JSON string as a temporal
 * value.  The ISO-8601 forms themselves live in temporal.c.
 */
#include "value.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int buf_str(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

/*
 * The shortest decimal form of a finite double that reads back to the same
 * value: "0.5", "1.0", "1e20", "-1.5e-7".  There is always a '.' or an
 * exponent, so the text stays a float when read back; the exponent has no
 * '+' and no leading zeros, which makes it a valid Cypher literal too.
 */
static void format_double(double d, char *buf, size_t size)
{
	char tmp[48], *e, *w;
	const char *r;
	int prec;

	/* Any decimal of at most 15 digits survives the trip through a normal
	 * double, so when 15 digits suffice %g's trimmed output is already the
	 * shortest; subnormals hold fewer digits and are searched from 1. */
	prec = d > -DBL_MIN && d < DBL_MIN && d != 0 ? 1 : 15;
	for (; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* a locale's decimal comma, should one be in force */
	for (e = tmp; *e; e++)
		if (*e == ',')
			*e = '.';
	e = strchr(tmp, 'e');
	if (e != NULL) {
		/* rewrite "e+07" as "e7", "e-07" as "e-7" */
		w = e + 1;
		r = e + 1;
		if (*r == '+')
			r++;
		else if (*r == '-')
			*w++ = *r++;
		while (*r == '0' && r[1] != '\0')
			r++;
		memmove(w, r, strlen(r) + 1);
	} else if (strchr(tmp, '.') == NULL) {
		strcat(tmp, ".0");
	}
	snprintf(buf, size, "%s", tmp);
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;
		if (c == 0xed && s[1] >= 0xa0)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

/* The escape of byte c inside a quoted string, other than of the quote:
 * '\\' and the control characters with a short form, any other byte as
 * \u00XX written into esc (8 bytes).  The JSON and the Cypher forms
 * escape these alike. */
static const char *escape_byte(unsigned c, char esc[8])
{
	switch (c) {
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	case '\b': return "\\b";
	case '\f': return "\\f";
	default:
		snprintf(esc, 8, "\\u%04x", c);
		return esc;
	}
}

/* Valid UTF-8 passes through; control characters, U+2028/U+2029 (which
 * break JavaScript) and each byte of an invalid sequence are escaped, the
 * last as the Latin-1 character of that byte. */
int gr_json_string(gr_buf *b, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, k;
	char esc[8];

	if (gr_buf_byte(b, '"') < 0)
		return -1;
	while (i < len) {
		unsigned c = u[i];
		const char *rep = NULL;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = utf8_valid_len(u + i, len - i);
			if (k > 0 && !(k == 3 && c == 0xe2 && u[i + 1] == 0x80 &&
			               (u[i + 2] == 0xa8 || u[i + 2] == 0xa9))) {
				i += k;
				continue;
			}
			if (k == 3) {
				snprintf(esc, sizeof esc, "\\u%04x", 0x2000 + (u[i + 2] & 0x3f));
				rep = esc;
			}
		}
		if (rep == NULL) {
			rep = c == '"' ? "\\\"" : escape_byte(c, esc);
			k = 1;
		}
		if (gr_buf_put(b, s + run, i - run) < 0 || buf_str(b, rep) < 0)
			return -1;
		i += k;
		run = i;
	}
	if (gr_buf_put(b, s + run, i - run) < 0)
		return -1;
	return gr_buf_byte(b, '"');
}

int gr_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

size_t gr_fmt_uint(char *buf, uint64_t v, unsigned width)
{
	char tmp[20];
	size_t n = 0, len;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < sizeof tmp)
		tmp[n++] = '0';
	for (len = 0; n > 0; len++)
		buf[len] = tmp[--n];
	buf[len] = '\0';
	return len;
}

size_t gr_fmt_int(char *buf, int64_t v)
{
	if (v >= 0)
		return gr_fmt_uint(buf, (uint64_t)v, 1);
	buf[0] = '-';
	return 1 + gr_fmt_uint(buf + 1, -(uint64_t)v, 1);
}

static int put_int(gr_buf *b, int64_t i)
{
	char tmp[24];
	return gr_buf_put(b, tmp, gr_fmt_int(tmp, i));
}

static int put_temporal(gr_buf *b, const gr_value *v)
{
	char tmp[96];

	switch (v->type) {
	case GR_DATE:
		gr_format_date(v->u.date, tmp);
		break;
	case GR_DATETIME:
		gr_format_datetime_short(&v->u.dt, tmp);
		break;
	case GR_TIME:
		gr_format_time_short(&v->u.tm, tmp);
		break;
	default:
		gr_format_duration(&v->u.du, tmp);
		break;
	}
	return buf_str(b, tmp);
}

/* Path members printed as their ids, for the JSON form. */
static int json_path_ids(gr_buf *b, const gr_path *p)
{
	size_t i, n = p ? p->pa_len : 0;

	if (buf_str(b, "{\"kind\":\"path\",\"nodes\":[") < 0)
		return -1;
	for (i = 0; p != NULL && i <= n; i++)
		if ((i && gr_buf_byte(b, ',') < 0) || put_int(b, p->pa_nodes[i].u.node.id) < 0)
			return -1;
	if (buf_str(b, "],\"relationships\":[") < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((i && gr_buf_byte(b, ',') < 0) || put_int(b, p->pa_rels[i].u.edge.id) < 0)
			return -1;
	return buf_str(b, "]}");
}

int gr_value_json(gr_buf *b, const gr_value *v)
{
	char tmp[96];
	size_t i, n;

	switch (v->type) {
	case GR_BOOL:
		return buf_str(b, v->u.b ? "true" : "false");
	case GR_INT:
		return put_int(b, v->u.i);
	case GR_FLOAT:
		if (isnan(v->u.f))
			return buf_str(b, "\"NaN\"");
		if (isinf(v->u.f))
			return buf_str(b, v->u.f > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		format_double(v->u.f, tmp, sizeof tmp);
		return buf_str(b, tmp);
	case GR_STRING:
		return gr_json_string(b, v->u.s.ptr, v->u.s.len);
	case GR_DATE:
	case GR_DATETIME:
	case GR_TIME:
	case GR_DURATION:
		if (v->type == GR_DATE)
			n = gr_format_date(v->u.date, tmp);
		else if (v->type == GR_DATETIME)
			n = gr_format_datetime_short(&v->u.dt, tmp);
		else if (v->type == GR_TIME)
			n = gr_format_time_short(&v->u.tm, tmp);
		else
			n = gr_format_duration(&v->u.du, tmp);
		return gr_json_string(b, tmp, n);
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (i = 0; i < v->u.list.n; i++)
			if ((i && gr_buf_byte(b, ',') < 0) || gr_value_json(b, &v->u.list.items[i]) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	case GR_MAP:
		if (gr_buf_byte(b, '{') < 0)
			return -1;
		for (i = 0; i < v->u.map.n; i++) {
			const char *k = v->u.map.keys[i];
			if ((i && gr_buf_byte(b, ',') < 0) || gr_json_string(b, k, strlen(k)) < 0 ||
			    gr_buf_byte(b, ':') < 0 || gr_value_json(b, &v->u.map.vals[i]) < 0)
				return -1;
		}
		return gr_buf_byte(b, '}');
	case GR_NODE:
		return put_int(b, v->u.node.id);
	case GR_EDGE:
		return put_int(b, v->u.edge.id);
	case GR_PATH:
		return json_path_ids(b, v->u.path);
	default:
		return buf_str(b, "null");
	}
}

/* A string as a Cypher string literal in single quotes. */
int gr_cypher_string(gr_buf *b, const char *s, size_t len)
{
	size_t i, run = 0;
	char esc[8];

	if (gr_buf_byte(b, '\'') < 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *rep;

		if (c >= 0x20 && c != 0x7f && c != '\'' && c != '\\')
			continue;
		rep = c == '\'' ? "\\'" : escape_byte(c, esc);
		if (gr_buf_put(b, s + run, i - run) < 0 || buf_str(b, rep) < 0)
			return -1;
		run = i + 1;
	}
	if (gr_buf_put(b, s + run, len - run) < 0)
		return -1;
	return gr_buf_byte(b, '\'');
}

/* A map key: bare when it is an identifier, else in backquotes. */
static int cypher_key(gr_buf *b, const char *k)
{
	size_t i, n = strlen(k);
	int plain = n > 0;

	for (i = 0; i < n && plain; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		      (i > 0 && c >= '0' && c <= '9')))
			plain = 0;
	}
	if (plain)
		return gr_buf_put(b, k, n);
	if (gr_buf_byte(b, '`') < 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((k[i] == '`' && gr_buf_byte(b, '`') < 0) || gr_buf_byte(b, (unsigned char)k[i]) < 0)
			return -1;
	return gr_buf_byte(b, '`');
}

/* Output styles shared by the display and Cypher forms. */
enum { STYLE_TEXT, STYLE_TEXT_NESTED, STYLE_CYPHER };

static int put_styled(gr_buf *b, const gr_value *v, int style)
{
	char tmp[96];
	size_t i;
	int inner = style == STYLE_CYPHER ? STYLE_CYPHER : STYLE_TEXT_NESTED;

	switch (v->type) {
	case GR_BOOL:
		return buf_str(b, v->u.b ? "true" : "false");
	case GR_INT:
		return put_int(b, v->u.i);
	case GR_FLOAT:
		if (isnan(v->u.f))
			return buf_str(b, style == STYLE_CYPHER ? "0.0 / 0.0" : "NaN");
		if (isinf(v->u.f)) {
			if (style == STYLE_CYPHER)
				return buf_str(b, v->u.f > 0 ? "1.0 / 0.0" : "-1.0 / 0.0");
			return buf_str(b, v->u.f > 0 ? "Infinity" : "-Infinity");
		}
		format_double(v->u.f, tmp, sizeof tmp);
		return buf_str(b, tmp);
	case GR_STRING:
		if (style == STYLE_TEXT)
			return gr_buf_put(b, v->u.s.ptr, v->u.s.len);
		return gr_cypher_string(b, v->u.s.ptr, v->u.s.len);
	case GR_DATE:
	case GR_DATETIME:
	case GR_TIME:
	case GR_DURATION:
		if (style != STYLE_CYPHER)
			return put_temporal(b, v);
		if (buf_str(b, v->type == GR_DATE ? "date('" :
		               v->type == GR_DATETIME ? "datetime('" :
		               v->type != GR_TIME ? "duration('" :
		               v->u.tm.tm_offset == GR_TZ_NONE ? "localtime('" : "time('") < 0 ||
		    put_temporal(b, v) < 0)
			return -1;
		return buf_str(b, "')");
	case GR_LIST:
		if (gr_buf_byte(b, '[') < 0)
			return -1;
		for (i = 0; i < v->u.list.n; i++)
			if ((i && buf_str(b, ", ") < 0) || put_styled(b, &v->u.list.items[i], inner) < 0)
				return -1;
		return gr_buf_byte(b, ']');
	case GR_MAP:
		if (gr_buf_byte(b, '{') < 0)
			return -1;
		for (i = 0; i < v->u.map.n; i++)
			if ((i && buf_str(b, ", ") < 0) || cypher_key(b, v->u.map.keys[i]) < 0 ||
			    buf_str(b, ": ") < 0 || put_styled(b, &v->u.map.vals[i], inner) < 0)
				return -1;
		return gr_buf_byte(b, '}');
	case GR_NODE:
	case GR_EDGE:
	case GR_PATH:
		return gr_value_json(b, v);
	default:
		return buf_str(b, "null");
	}
}

int gr_value_text(gr_buf *b, const gr_value *v)
{
	return put_styled(b, v, STYLE_TEXT);
}

int gr_value_cypher(gr_buf *b, const gr_value *v)
{
	return put_styled(b, v, STYLE_CYPHER);
}

gr_value gr_value_from_text(const char *s, size_t len)
{
	gr_value v = gr_null();
	int32_t days;

	if (s == NULL)
		return v;
	if (gr_parse_date(s, len, &days) == 0)
		return gr_date(days);
	if (gr_parse_datetime(s, len, &v.u.dt) == 0) {
		v.type = GR_DATETIME;
		return v;
	}
	return gr_string(s, len);
}
