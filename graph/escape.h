/*
 * escape.h: text from the data as a terminal may safely show it.
 *
 * A name or value can hold control characters (a newline in a label, an
 * ESC ]0;...BEL that retitles the terminal).  Everything printed for
 * people (query tables, show, find, stats, log) goes through
 * gr_text_escape, and names with control characters are refused where
 * outside data comes in (import, add, link): gr_text_control says where.
 */
#ifndef SG_ESCAPE_H
#define SG_ESCAPE_H

#include <stddef.h>
#include "value.h"

/* The byte offset of the first control character in s[0..n) -- C0
 * (0x00-0x1F), DEL, or a C1 control (U+0080-U+009F, in UTF-8 0xC2 0x80-0x9F)
 * -- or -1 when there is none. */
long gr_text_control(const char *s, size_t n);

/* Appends s[0..n) with every control character escaped: \n, \r, \t, \xHH
 * for the other C0 controls and DEL, \u0080-\u009f for C1 controls.  All
 * other bytes, a backslash included, are copied.  0, or -1 when out of
 * memory. */
int gr_text_escape(gr_buf *b, const char *s, size_t n);

/* s[0..n) escaped as by gr_text_escape, NUL-terminated, for a printf %s:
 * valid until eight more calls.  Out of memory: "?" (and gr_nomem_note, so
 * the command fails). */
const char *gr_escn(const char *s, size_t n);
/* The same for a NUL-terminated s; s itself when it holds no control
 * character (no allocation). */
const char *gr_esc(const char *s);

#endif
