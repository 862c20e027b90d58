/*
 * fold.c: name folding for search (see fold.h), on top of utf8proc.
 *
 * Three passes: make the input valid UTF-8 (invalid bytes taken as
 * Latin-1), let utf8proc case-fold, decompose and strip marks, then
 * collapse separators to single spaces.
 */
#include "fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/*
 * A valid UTF-8 copy of s[0..len): each byte that does not start a valid
 * sequence becomes the Latin-1 character of that value.  NULL on ENOMEM.
 */
static unsigned char *repair_utf8(const unsigned char *s, size_t len, size_t *outlen)
{
	unsigned char *out;
	size_t i = 0, n = 0;

	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	out = malloc(2 * len + 1);     /* a Latin-1 byte takes at most 2 */
	if (out == NULL)
		return NULL;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k > 0) {
			memcpy(out + n, s + i, (size_t)k);
			n += (size_t)k;
			i += (size_t)k;
		} else {
			n += (size_t)utf8proc_encode_char(s[i], out + n);
			i++;
		}
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* Characters that separate words: whitespace, punctuation, controls and
 * modifier symbols (the spacing forms of accents). */
static int is_separator(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
	case UTF8PROC_CATEGORY_PC:
	case UTF8PROC_CATEGORY_PD:
	case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE:
	case UTF8PROC_CATEGORY_PI:
	case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_CC:
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_SK:
		return 1;
	default:
		return 0;
	}
}

/*
 * Latin letters that Unicode does not decompose, though readers take them
 * for accented or joined letters: their usual ASCII spelling, so that
 * "Ørsted" finds "Orsted" and "Łódź" finds "Lodz".  Case folding has
 * already made them lowercase.
 */
static const struct { utf8proc_int32_t cp; const char *ascii; } plain_letters[] = {
	{0x00e6, "ae"}, /* æ */ {0x00f0, "d"}, /* ð */  {0x00f8, "o"}, /* ø */
	{0x00fe, "th"}, /* þ */ {0x0111, "d"}, /* đ */  {0x0127, "h"}, /* ħ */
	{0x0131, "i"}, /* ı */  {0x0142, "l"}, /* ł */  {0x0153, "oe"}, /* œ */
	{0x0167, "t"}, /* ŧ */
};

static const char *plain_spelling(utf8proc_int32_t cp)
{
	size_t i;

	if (cp < 0xe6 || cp > 0x167)
		return NULL;
	for (i = 0; i < sizeof plain_letters / sizeof plain_letters[0]; i++)
		if (plain_letters[i].cp == cp)
			return plain_letters[i].ascii;
	return NULL;
}

#define FOLD_FLAGS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | \
	UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* ASCII text, most of what an import folds, folds a byte at a time, by
 * what utf8proc makes of each ASCII character, asked once: dropped, a
 * separator, one ASCII character (ascii_to), or not known (the slow way). */
enum { A_DROP, A_SEP, A_CHAR, A_SLOW };
static unsigned char ascii_kind[128], ascii_to[128];
static int ascii_ready;

static void ascii_table(void)
{
	for (int c = 0; c < 128; c++) {
		utf8proc_uint8_t in[1] = { (utf8proc_uint8_t)c }, *m = NULL;
		utf8proc_ssize_t n = utf8proc_map(in, 1, &m, FOLD_FLAGS);
		ascii_kind[c] = A_SLOW;
		if (n == 0) {
			ascii_kind[c] = A_DROP;
		} else if (n == 1 && m[0] < 128) {
			ascii_kind[c] = is_separator(m[0]) ? A_SEP : A_CHAR;
			ascii_to[c] = m[0];
		}
		free(m);   /* out of memory: that character goes the slow way */
	}
	ascii_ready = 1;
}

/* gr_fold of ASCII s, or NULL with *slow set when it has to go the slow
 * way (or with *slow clear when memory runs out). */
static char *fold_ascii(const unsigned char *s, size_t len, size_t *outlen, int *slow)
{
	char *out;
	size_t n = 0;
	int pending_space = 0;
	*slow = 1;
	if (!ascii_ready)
		ascii_table();
	for (size_t i = 0; i < len; i++)
		if (s[i] >= 128 || ascii_kind[s[i]] == A_SLOW)
			return NULL;
	*slow = 0;
	if (!(out = malloc(len + 1)))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		switch (ascii_kind[s[i]]) {
		case A_SEP:
			pending_space = n > 0;
			break;
		case A_CHAR:
			if (pending_space)
				out[n++] = ' ';
			pending_space = 0;
			out[n++] = (char)ascii_to[s[i]];
			break;
		default:
			break;
		}
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
}

char *gr_fold(const char *s, size_t len, size_t *outlen)
{
	unsigned char *valid = NULL, *mapped = NULL;
	char *out = NULL;
	size_t vlen, i, n = 0;
	utf8proc_ssize_t mlen;
	int pending_space = 0;

	if (s == NULL)
		len = 0;
	else {
		int slow;
		char *fast = fold_ascii((const unsigned char *)s, len, outlen, &slow);
		if (fast || !slow)
			return fast;
	}
	valid = repair_utf8((const unsigned char *)(s ? s : ""), len, &vlen);
	if (valid == NULL)
		goto done;
	mlen = utf8proc_map(valid, (utf8proc_ssize_t)vlen, &mapped, FOLD_FLAGS);
	if (mlen < 0)
		goto done;
	/* Collapsing only shrinks the text. */
	out = malloc((size_t)mlen + 1);
	if (out == NULL)
		goto done;
	for (i = 0; i < (size_t)mlen;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(mapped + i, mlen - (utf8proc_ssize_t)i, &cp);
		if (k <= 0) {          /* cannot happen: utf8proc wrote it */
			i++;
			continue;
		}
		if (is_separator(cp)) {
			pending_space = n > 0;
		} else {
			const char *plain = plain_spelling(cp);
			if (pending_space)
				out[n++] = ' ';
			pending_space = 0;
			/* each replacement is no longer than its 2-byte letter */
			if (plain != NULL) {
				memcpy(out + n, plain, strlen(plain));
				n += strlen(plain);
			} else {
				memcpy(out + n, mapped + i, (size_t)k);
				n += (size_t)k;
			}
		}
		i += (size_t)k;
	}
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
done:
	free(valid);
	free(mapped);
	return out;
}
