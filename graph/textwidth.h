/*
 * textwidth.h: display width of UTF-8 text in terminal columns.
 */
#ifndef SG_TEXTWIDTH_H
#define SG_TEXTWIDTH_H

#include <stddef.h>

/* The columns s[0..n) takes on a terminal: 2 for East Asian wide and
 * full-width characters, 0 for combining marks and other zero-width
 * characters, 1 for the rest (and for each byte that is not UTF-8), by
 * utf8proc_charwidth. */
size_t gr_text_width(const char *s, size_t n);

#endif
