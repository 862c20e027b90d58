/*
 * fold.h: the normal form of names used by `find` and the name index, so
 * that "LADY R", "Lady  R" and "lady-r" meet, and so do "Ōkubo" and "okubo".
 *
 * The form depends on the Unicode tables of the linked utf8proc; an index
 * built with one version should be rebuilt when that version changes the
 * folding of characters it holds.
 */
#ifndef SG_FOLD_H
#define SG_FOLD_H

#include <stddef.h>

/*
 * Folds s[0..len): Unicode case folding, compatibility decomposition (NFKD)
 * and removal of combining marks and default-ignorable characters (soft
 * hyphens, zero-width joiners); the Latin letters that do not decompose
 * take their usual ASCII spelling (ø o, æ ae, œ oe, ł l, đ d, ð d, þ th,
 * ı i, ħ h, ŧ t); then every run of whitespace, punctuation,
 * control characters and modifier symbols becomes one space, with none at
 * either end.  "Vostochnyy-Port" -> "vostochnyy port", "ÄÖÜß" -> "aouss".
 *
 * Bytes that are not valid UTF-8 are read as Latin-1 characters ("\xC9" is
 * É, which folds to "e"), so text from a Latin-1 file still matches.
 *
 * Returns a malloc'd NUL-terminated string the caller frees, its length in
 * *outlen when outlen is not NULL; NULL when memory runs out.
 */
char *gr_fold(const char *s, size_t len, size_t *outlen);

#endif
