/*
 * ascii.h: case-insensitive comparison of names (keywords, functions,
 * procedures) in ASCII, as strcasecmp does in the C locale.  Inline here
 * because a statement compares a few dozen names, and libc's version is
 * one more page of code and of locale tables a new process must touch.
 */
#ifndef CY_ASCII_H
#define CY_ASCII_H

#include <stddef.h>

static inline unsigned char cy_ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Whether the n bytes at a and b are equal but for ASCII case. */
static inline int cy_ascii_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cy_ascii_lower((unsigned char)a[i]) != cy_ascii_lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* Whether the strings a and b are equal but for ASCII case. */
static inline int cy_ascii_ieq0(const char *a, const char *b)
{
	for (;; a++, b++) {
		if (cy_ascii_lower((unsigned char)*a) != cy_ascii_lower((unsigned char)*b))
			return 0;
		if (*a == '\0')
			return 1;
	}
}

#endif
