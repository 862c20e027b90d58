/*
 * domain.h: the checks the data model makes on maritime identifiers and
 * coordinates (contract, "Domain labels"), the confidence levels of a
 * citation, and country names for diagrams.
 *
 * Every check takes the text as a pointer and a length (it need not be
 * NUL-terminated), returns 0 when the value is valid, and otherwise returns
 * -1 and writes a short lowercase reason, without the value itself, to
 * why[0..n) (NUL-terminated, cut to fit; why may be NULL when n is 0).  The
 * caller adds the value: `invalid IMO check digit in "9161004"`.
 * Checks are exact: no spaces are trimmed and no case is folded.
 */
#ifndef SG_DOMAIN_H
#define SG_DOMAIN_H

#include <stddef.h>

/* An IMO ship number: 7 digits whose last is the check digit (the sum of the
 * first six times 7, 6, 5, 4, 3, 2, modulo 10). */
int gr_imo_valid(const char *s, size_t len, char *why, size_t n);

/* A vessel key of the form "IMO" + 7 digits, the digits checked as above. */
int gr_imo_key_valid(const char *s, size_t len, char *why, size_t n);

/* An MMSI: exactly 9 digits. */
int gr_mmsi_valid(const char *s, size_t len, char *why, size_t n);

/* An ISO 3166-1 alpha-2 code in upper case: an assigned code, or a
 * user-assigned one (AA, QM-QZ, XA-XZ, ZZ; XK is used for Kosovo). */
int gr_flag_valid(const char *s, size_t len, char *why, size_t n);

/* A UN/LOCODE written as 5 characters: a country code that gr_flag_valid
 * accepts, then 3 of A-Z and 2-9 ("RUVYP"). */
int gr_locode_valid(const char *s, size_t len, char *why, size_t n);

/* Latitude in -90..90 and longitude in -180..180 (NaN is invalid). */
int gr_lat_valid(double v, char *why, size_t n);
int gr_lon_valid(double v, char *why, size_t n);

/* Confidence of a citation, strongest first. */
enum gr_confidence {
	GR_CONFIRMED = 1,
	GR_PROBABLE = 2,
	GR_POSSIBLE = 3,
	GR_SUSPECTED = 4
};

/* "confirmed", "probable", "possible" or "suspected" (any case) to 1..4;
 * -1 for anything else or NULL. */
int gr_confidence_parse(const char *s);

/* The name of level 1..4 ("confirmed" ...), or NULL. */
const char *gr_confidence_name(int level);

/* The common English short name of an alpha-2 code ("RU" -> "Russia",
 * "KP" -> "North Korea", "XK" -> "Kosovo"); NULL for other codes, including
 * the other user-assigned ones.  A static string. */
const char *gr_country_name(const char *alpha2);

#endif
