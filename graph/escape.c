/*
 * escape.c: control characters escaped for display (escape.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Length of the control character at s[i] (1, or 2 for a C1 in UTF-8), or
 * 0 when s[i] does not start one. */
static size_t control_at(const unsigned char *s, size_t n, size_t i)
{
	if (s[i] < 0x20 || s[i] == 0x7f)
		return 1;
	if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
		return 2;
	return 0;
}

long gr_text_control(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++)
		if (control_at(u, n, i))
			return (long)i;
	return -1;
}

int gr_text_escape(gr_buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0;   /* start of the bytes not yet copied */
	for (size_t i = 0; i < n; i++) {
		size_t k = control_at(u, n, i);
		char esc[8];
		if (!k)
			continue;
		if (gr_buf_put(b, s + run, i - run) < 0)
			return -1;
		if (k == 2)
			snprintf(esc, sizeof esc, "\\u%04x", u[i + 1]);
		else if (u[i] == '\n')
			snprintf(esc, sizeof esc, "\\n");
		else if (u[i] == '\r')
			snprintf(esc, sizeof esc, "\\r");
		else if (u[i] == '\t')
			snprintf(esc, sizeof esc, "\\t");
		else
			snprintf(esc, sizeof esc, "\\x%02x", u[i]);
		if (gr_buf_put(b, esc, strlen(esc)) < 0)
			return -1;
		i += k - 1;
		run = i + 1;
	}
	return gr_buf_put(b, s + run, n - run);
}

const char *gr_escn(const char *s, size_t n)
{
	static char *ring[8];
	static unsigned next;
	gr_buf b = { 0 };
	char **slot = &ring[next++ % 8];
	if (gr_text_escape(&b, s, n) < 0 || gr_buf_byte(&b, 0) < 0) {
		gr_buf_free(&b);
		gr_nomem_note();
		return "?";
	}
	free(*slot);
	*slot = (char *)b.b_data;
	return *slot;
}

const char *gr_esc(const char *s)
{
	if (!s)
		return "";
	return gr_text_control(s, strlen(s)) < 0 ? s : gr_escn(s, strlen(s));
}
