/*
 * textwidth.c: how many terminal columns text takes, for every table that
 * pads columns (query's table format and the commands' own listings), so
 * that Korean, Chinese and Japanese text (two columns a character) and
 * combining accents (none) line up with Latin text.
 */
#include <utf8proc.h>

#include "textwidth.h"

size_t gr_text_width(const char *s, size_t n)
{
	size_t w = 0, i = 0;
	while (i < n) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			w++;        /* a byte that is not UTF-8 shows as one cell */
			i++;
			continue;
		}
		int cw = utf8proc_charwidth(cp);
		w += cw > 0 ? (size_t)cw : 0;
		i += (size_t)k;
	}
	return w;
}
