/*
 * test_domain.c: identifier and coordinate checks, confidence levels and
 * country names (graph/domain.c), and name folding (graph/fold.c).
 */
#include <CUnit/Basic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "graph/domain.h"
#include "graph/fold.h"

int test_domain_register(void);

typedef int (*check_fn)(const char *, size_t, char *, size_t);

static int check(check_fn fn, const char *s)
{
	char why[128] = "untouched";
	int rc = fn(s, strlen(s), why, sizeof why);
	if (rc == 0) {
		CU_ASSERT_STRING_EQUAL(why, "untouched");   /* no reason for a valid value */
	} else {
		CU_ASSERT(why[0] >= 'a' && why[0] <= 'z');  /* a lowercase reason */
	}
	return rc;
}

static void test_imo_check_digit(void)
{
	char why[64];

	CU_ASSERT_EQUAL(check(gr_imo_valid, "9161003"), 0);        /* LADY R */
	CU_ASSERT_EQUAL(check(gr_imo_valid, "9161004"), -1);
	gr_imo_valid("9161004", 7, why, sizeof why);
	CU_ASSERT_STRING_EQUAL(why, "invalid IMO check digit");
	CU_ASSERT_EQUAL(check(gr_imo_valid, "9074729"), 0);
	CU_ASSERT_EQUAL(check(gr_imo_valid, "0000000"), 0);
	CU_ASSERT_EQUAL(check(gr_imo_valid, "916100"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_valid, "91610030"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_valid, "916100a"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_valid, " 9161003"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_valid, "IMO9161003"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_valid, ""), -1);
	/* the length bounds the check */
	CU_ASSERT_EQUAL(gr_imo_valid("91610039", 7, NULL, 0), 0);
	CU_ASSERT_EQUAL(gr_imo_valid(NULL, 0, NULL, 0), -1);
}

/* Exactly one check digit in ten is right. */
static void test_imo_one_digit_in_ten_valid(void)
{
	char s[8];
	int d, ok = 0;

	memcpy(s, "916100", 6);
	s[7] = '\0';
	for (d = 0; d < 10; d++) {
		s[6] = (char)('0' + d);
		ok += gr_imo_valid(s, 7, NULL, 0) == 0;
	}
	CU_ASSERT_EQUAL(ok, 1);
}

static void test_imo_key(void)
{
	char why[64];

	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "IMO9161003"), 0);
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "IMO9161004"), -1);
	gr_imo_key_valid("IMO9161004", 10, why, sizeof why);
	CU_ASSERT_STRING_EQUAL(why, "invalid IMO check digit");
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "imo9161003"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "IMO 9161003"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "IMO916100"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "9161003"), -1);
	CU_ASSERT_EQUAL(check(gr_imo_key_valid, "IMO"), -1);
}

static void test_mmsi(void)
{
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "273123456"), 0);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "273349410"), 0);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "27312345"), -1);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "2731234567"), -1);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "27312345a"), -1);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, "-27312345"), -1);
	CU_ASSERT_EQUAL(check(gr_mmsi_valid, ""), -1);
}

static void test_flags(void)
{
	char why[128];

	CU_ASSERT_EQUAL(check(gr_flag_valid, "RU"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "KP"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "PA"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "GB"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "AD"), 0);     /* first of the table */
	CU_ASSERT_EQUAL(check(gr_flag_valid, "ZW"), 0);     /* last of the table */
	CU_ASSERT_EQUAL(check(gr_flag_valid, "XK"), 0);
	/* user-assigned */
	CU_ASSERT_EQUAL(check(gr_flag_valid, "XX"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "XA"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "ZZ"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "AA"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "QM"), 0);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "QZ"), 0);
	/* not codes */
	CU_ASSERT_EQUAL(check(gr_flag_valid, "UK"), -1);
	gr_flag_valid("UK", 2, why, sizeof why);
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "GB"));
	CU_ASSERT_EQUAL(check(gr_flag_valid, "EU"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "QL"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "ZY"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "AB"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "R1"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "ru"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "RUS"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, "R"), -1);
	CU_ASSERT_EQUAL(check(gr_flag_valid, ""), -1);
}

/* Every named code is accepted and found: 249 assigned codes and XK.  A
 * table out of order would lose some to the binary search. */
static void test_country_table_is_complete_and_sorted(void)
{
	char code[3] = {0};
	int named = 0, accepted = 0;

	for (code[0] = 'A'; code[0] <= 'Z'; code[0]++)
		for (code[1] = 'A'; code[1] <= 'Z'; code[1]++) {
			if (gr_country_name(code) != NULL) {
				named++;
				CU_ASSERT_EQUAL(gr_flag_valid(code, 2, NULL, 0), 0);
			}
			accepted += gr_flag_valid(code, 2, NULL, 0) == 0;
		}
	CU_ASSERT_EQUAL(named, 250);
	/* user-assigned AA, QM-QZ (14), XA-XZ (26, XK among them), ZZ */
	CU_ASSERT_EQUAL(accepted, 249 + 1 + 14 + 26 + 1);
}

static void test_country_names(void)
{
	CU_ASSERT_STRING_EQUAL(gr_country_name("RU"), "Russia");
	CU_ASSERT_STRING_EQUAL(gr_country_name("KP"), "North Korea");
	CU_ASSERT_STRING_EQUAL(gr_country_name("KR"), "South Korea");
	CU_ASSERT_STRING_EQUAL(gr_country_name("PA"), "Panama");
	CU_ASSERT_STRING_EQUAL(gr_country_name("GB"), "United Kingdom");
	CU_ASSERT_STRING_EQUAL(gr_country_name("IR"), "Iran");
	CU_ASSERT_STRING_EQUAL(gr_country_name("XK"), "Kosovo");
	CU_ASSERT_PTR_NULL(gr_country_name("ZZ"));
	CU_ASSERT_PTR_NULL(gr_country_name("UK"));
	CU_ASSERT_PTR_NULL(gr_country_name("RUS"));
	CU_ASSERT_PTR_NULL(gr_country_name("R"));
	CU_ASSERT_PTR_NULL(gr_country_name(""));
	CU_ASSERT_PTR_NULL(gr_country_name("ru"));
	CU_ASSERT_PTR_NULL(gr_country_name(NULL));
}

static void test_locodes(void)
{
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVYP"), 0);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "KPRJN"), 0);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "NLRTM"), 0);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "XZABC"), 0);     /* international waters */
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVY2"), 0);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RU-VY"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RU VYP"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVY"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVYPX"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "ruvyp"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "R1VYP"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "UKLON"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVY1"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "RUVY0"), -1);
	CU_ASSERT_EQUAL(check(gr_locode_valid, "WPI60"), -1);
}

static void test_coordinates(void)
{
	char why[64];

	CU_ASSERT_EQUAL(gr_lat_valid(0, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lat_valid(90, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lat_valid(-90, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lat_valid(43.1167, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lat_valid(90.0001, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lat_valid(-91, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lat_valid(NAN, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lat_valid(INFINITY, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lon_valid(180, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lon_valid(-180, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lon_valid(132.9, why, sizeof why), 0);
	CU_ASSERT_EQUAL(gr_lon_valid(-180.5, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lon_valid(NAN, why, sizeof why), -1);
	CU_ASSERT_EQUAL(gr_lon_valid(-INFINITY, NULL, 0), -1);
}

static void test_reason_buffer_is_cut_and_terminated(void)
{
	char why[6] = "XXXXX";

	CU_ASSERT_EQUAL(gr_mmsi_valid("1", 1, why, sizeof why), -1);
	CU_ASSERT_EQUAL(strlen(why), 5);
	CU_ASSERT_EQUAL(gr_mmsi_valid("1", 1, why, 1), -1);
	CU_ASSERT_EQUAL(why[0], '\0');
	CU_ASSERT_EQUAL(gr_mmsi_valid("1", 1, NULL, 0), -1);
}

static void test_confidence_levels(void)
{
	CU_ASSERT_EQUAL(gr_confidence_parse("confirmed"), 1);
	CU_ASSERT_EQUAL(gr_confidence_parse("probable"), 2);
	CU_ASSERT_EQUAL(gr_confidence_parse("possible"), 3);
	CU_ASSERT_EQUAL(gr_confidence_parse("suspected"), 4);
	CU_ASSERT_EQUAL(gr_confidence_parse("Probable"), 2);
	CU_ASSERT_EQUAL(gr_confidence_parse("sure"), -1);
	CU_ASSERT_EQUAL(gr_confidence_parse("confirmed "), -1);
	CU_ASSERT_EQUAL(gr_confidence_parse(""), -1);
	CU_ASSERT_EQUAL(gr_confidence_parse(NULL), -1);
	CU_ASSERT_STRING_EQUAL(gr_confidence_name(1), "confirmed");
	CU_ASSERT_STRING_EQUAL(gr_confidence_name(4), "suspected");
	CU_ASSERT_PTR_NULL(gr_confidence_name(0));
	CU_ASSERT_PTR_NULL(gr_confidence_name(5));
	CU_ASSERT_PTR_NULL(gr_confidence_name(-1));
}

/* ---- folding ---- */

static void check_fold(const char *in, size_t len, const char *want)
{
	size_t n = 12345;
	char *out = gr_fold(in, len, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CU_ASSERT_STRING_EQUAL(out, want);
	CU_ASSERT_EQUAL(n, strlen(out));
	free(out);
}

#define FOLD(in, want) check_fold(in, strlen(in), want)

static void test_fold_case_accents_and_separators(void)
{
	FOLD("Lady  R", "lady r");
	FOLD("LADY R", "lady r");
	FOLD("  LADY R.  ", "lady r");
	FOLD("Vostochnyy-Port", "vostochnyy port");
	FOLD("\xc5\x8ckubo", "okubo");                              /* Ōkubo */
	FOLD("\xc3\x84\xc3\x96\xc3\x9c\xc3\x9f", "aouss");          /* ÄÖÜß */
	FOLD("Ra\xcc\x81jin", "rajin");                             /* combining acute */
	FOLD("\xef\xbc\xac\xef\xbc\xa1\xef\xbc\xa4\xef\xbc\xb9", "lady"); /* fullwidth */
	FOLD("\xef\xac\x81sh", "fish");                             /* ﬁ ligature */
	FOLD("\xc4\xb0stanbul", "istanbul");                        /* İ */
	FOLD("\xd0\x9b\xd0\x95\xd0\x94\xd0\x98 \xd0\xa0", "\xd0\xbb\xd0\xb5\xd0\xb4\xd0\xb8 \xd1\x80");
	FOLD("Vostoch\xc2\xadnyy", "vostochnyy");                   /* soft hyphen */
	FOLD("M/V \"Sparta IV\" (ex-Sparta)", "m v sparta iv ex sparta");
	FOLD("tab\tnew\nline\r\n", "tab new line");
	FOLD("a\xe2\x80\x83\xe2\x80\x94" "b", "a b");               /* em space, em dash */
	FOLD("\xc3\x98rsted", "orsted");                            /* Ø */
	FOLD("\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz");                  /* Łódź */
	FOLD("\xc3\x86GIR \xc5\x92uvre", "aegir oeuvre");
	FOLD("\xc3\x9e\xc3\xb3r", "thor");
	FOLD("9161003", "9161003");
	FOLD("", "");
	FOLD("---", "");
	FOLD(" . , ", "");
	check_fold("a\0b", 3, "a b");
	{
		char *out = gr_fold(NULL, 0, NULL);
		CU_ASSERT_PTR_NOT_NULL(out);
		CU_ASSERT_STRING_EQUAL(out ? out : "-", "");
		free(out);
	}
}

static void test_fold_reads_invalid_utf8_as_latin1(void)
{
	char *out;

	FOLD("Caf\xe9", "cafe");                                    /* Latin-1 é */
	FOLD("\xc9TOILE", "etoile");
	FOLD("\xff", "y");                                          /* ÿ */
	FOLD("abc\xe2\x82", "abca");                                /* cut sequence: â, then a control */
	FOLD("\xed\xa0\x80", "i");                                  /* surrogate bytes: í, nbsp, control */
	/* whatever the bytes, the output is valid UTF-8 and no longer needed */
	out = gr_fold("\xc0\xaf\xf5\x80\x80\x80\xfe", 7, NULL);
	CU_ASSERT_PTR_NOT_NULL(out);
	free(out);
}

/* Folding is idempotent: a folded name folds to itself. */
static void test_fold_is_idempotent(void)
{
	static const char *names[] = {
		"Lady R", "\xc5\x8ckubo", "\xc3\x84\xc3\x96\xc3\x9c\xc3\x9f", "Vostochnyy-Port",
		"\xd0\x9b\xd0\x95\xd0\x94\xd0\x98", "\xce\x9f\xce\x94\xce\xa5\xce\xa3\xce\xa3\xce\x95\xce\xa5\xce\xa3",
		"Caf\xe9", "\xef\xac\x81sh",
	};
	size_t i, n1, n2;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *a = gr_fold(names[i], strlen(names[i]), &n1);
		char *b = gr_fold(a, n1, &n2);
		CU_ASSERT_STRING_EQUAL(a, b);
		free(a);
		free(b);
	}
}

/* ASCII folds a byte at a time (fold.c's fast way); the same text with a
 * soft hyphen after it (dropped as default-ignorable) goes through
 * utf8proc: every ASCII character alone, in pairs and in generated names
 * must fold the same both ways. */
static void check_ascii_both_ways(const char *s, size_t len)
{
	char buf[64];
	size_t n1 = 0, n2 = 0;
	char *fast, *slow;
	memcpy(buf, s, len);
	memcpy(buf + len, "\xc2\xad", 2);
	fast = gr_fold(s, len, &n1);
	slow = gr_fold(buf, len + 2, &n2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fast);
	CU_ASSERT_PTR_NOT_NULL_FATAL(slow);
	CU_ASSERT_EQUAL(n1, n2);
	CU_ASSERT(n1 == n2 && memcmp(fast, slow, n1) == 0);
	free(fast);
	free(slow);
}

static void test_fold_ascii_fast_way(void)
{
	static const char *names[] = {
		"", " ", "LADY R", "  Lady--R  ", "IMO 9161003", "M/V \"Sea+Star\" (ex-Aria)", "a_b^c`d$e~f|g<h>i=j",
		"\x01\x7f\t\nX", "O'BRIEN & SONS, LTD.",
	};
	char two[2], gen[40];
	unsigned x = 12345;
	for (int c = 0; c < 128; c++) {
		two[0] = (char)c;
		check_ascii_both_ways(two, 1);
		two[1] = 'a';
		check_ascii_both_ways(two, 2);
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		check_ascii_both_ways(names[i], strlen(names[i]));
	for (int k = 0; k < 500; k++) {
		size_t len = (size_t)k % 40;
		for (size_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			gen[i] = (char)((x >> 16) % 128);
		}
		check_ascii_both_ways(gen, len);
	}
}

int test_domain_register(void)
{
	static const unit_test tests[] = {
		{"imo check digit", test_imo_check_digit},
		{"imo one digit in ten valid", test_imo_one_digit_in_ten_valid},
		{"imo key", test_imo_key},
		{"mmsi", test_mmsi},
		{"flags", test_flags},
		{"country table is complete and sorted", test_country_table_is_complete_and_sorted},
		{"country names", test_country_names},
		{"locodes", test_locodes},
		{"coordinates", test_coordinates},
		{"reason buffer is cut and terminated", test_reason_buffer_is_cut_and_terminated},
		{"confidence levels", test_confidence_levels},
		{"fold case, accents and separators", test_fold_case_accents_and_separators},
		{"fold reads invalid utf-8 as latin-1", test_fold_reads_invalid_utf8_as_latin1},
		{"fold is idempotent", test_fold_is_idempotent},
		{"fold ascii the fast way", test_fold_ascii_fast_way},
	};
	return unit_suite("domain", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
