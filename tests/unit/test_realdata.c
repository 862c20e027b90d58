/*
 * test_realdata.c: the pieces of the real-world importers that are data
 * rules: country names to ISO codes (ingest/countries.c), telling OFAC's
 * four files apart (ig_ofac_kind) and reading the Remarks of sdn.csv
 * (ingest/ofac_remarks.c), on statements copied from the real list.
 */
#include <CUnit/Basic.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "graph/domain.h"
#include "ingest/ofac.h"

int test_realdata_register(void);

static const char *code(const char *name)
{
	return ig_country_code(name, strlen(name));
}

static void test_country_names_as_ofac_writes_them(void)
{
	static const char *const pairs[][2] = {
		{"St. Kitts & Nevis", "KN"}, {"Saint Kitts and Nevis", "KN"}, {"St. Kitts and Nevis", "KN"},
		{"Democratic People's Republic of Korea", "KP"}, {"Korea, North", "KP"}, {"Korea, South", "KR"},
		{"Man, Isle of", "IM"}, {"Virgin Islands, British", "VG"}, {"British Virgin Islands", "VG"},
		{"Congo, Democratic Republic of the", "CD"}, {"Burma", "MM"}, {"The Gambia", "GM"},
		{"Gambia, The", "GM"}, {"North Macedonia, The Republic of", "MK"}, {"Palestinian", "PS"},
		{"Region: Gaza", "PS"}, {"St. Vincent and the Grenadines", "VC"}, {"Cabo Verde", "CV"},
		{"Sao Tome and Principe", "ST"}, {"São Tomé and Príncipe", "ST"}, {"Türkiye", "TR"},
		{"Côte d'Ivoire", "CI"}, {"Russia", "RU"}, {"RUSSIAN FEDERATION", "RU"}, {"  Iran ", "IR"},
		{"Hong Kong", "HK"}, {"Kosovo", "XK"}, {"ru", "RU"}, {"XK", "XK"}, {"Trinidad & Tobago", "TT"},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		const char *got = code(pairs[i][0]);
		CU_ASSERT_PTR_NOT_NULL(got);
		if (got)
			CU_ASSERT_STRING_EQUAL(got, pairs[i][1]);
	}
}

static void test_unknown_country_names_have_no_code(void)
{
	CU_ASSERT_PTR_NULL(code("Atlantis"));
	CU_ASSERT_PTR_NULL(code(""));
	CU_ASSERT_PTR_NULL(code("possibly Palestinian"));
	CU_ASSERT_PTR_NULL(code("None Identified"));
	CU_ASSERT_PTR_NULL(code("ZQ"));          /* not assigned */
	CU_ASSERT_PTR_NULL(code("Korea"));       /* which one? */
	CU_ASSERT_PTR_NULL(code("St."));
}

/* Every code's own short name leads back to it: no name of the table is
 * taken by two codes. */
static void test_every_short_name_round_trips(void)
{
	char c[3] = "AA";
	int n = 0;
	for (c[0] = 'A'; c[0] <= 'Z'; c[0]++)
		for (c[1] = 'A'; c[1] <= 'Z'; c[1]++) {
			const char *name = gr_country_name(c), *back;
			if (!name)
				continue;
			n++;
			back = code(name);
			CU_ASSERT_PTR_NOT_NULL(back);
			if (back && strcmp(back, c) != 0) {
				fprintf(stderr, "%s -> %s, not %s\n", name, back, c);
				CU_FAIL("a short name maps to another code");
			}
		}
	CU_ASSERT(n >= 249);
}

static void test_ofac_files_told_apart(void)
{
	static const char sdn[] = "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
	static const char add[] = "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n";
	static const char alt[] = "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n";
	static const char cmt[] = "36,\"more remarks, with a comma\"\r\n";
	static const char multi[] = "36,\"a quoted\r\nnewline\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n";
	CU_ASSERT_EQUAL(ig_ofac_kind(sdn, strlen(sdn)), IG_OFAC_SDN_FILE);
	CU_ASSERT_EQUAL(ig_ofac_kind(add, strlen(add)), IG_OFAC_ADD);
	CU_ASSERT_EQUAL(ig_ofac_kind(alt, strlen(alt)), IG_OFAC_ALT);
	CU_ASSERT_EQUAL(ig_ofac_kind(cmt, strlen(cmt)), IG_OFAC_COMMENTS);
	CU_ASSERT_EQUAL(ig_ofac_kind(multi, strlen(multi)), IG_OFAC_SDN_FILE);
	CU_ASSERT_EQUAL(ig_ofac_kind("a,b\n", 4), IG_OFAC_NONE);
	CU_ASSERT_EQUAL(ig_ofac_kind("36,12,\"xyz\",\"N\",-0- \n", 21), IG_OFAC_NONE);
	CU_ASSERT_EQUAL(ig_ofac_kind("", 0), IG_OFAC_NONE);
	CU_ASSERT_EQUAL(ig_format_detect(sdn, strlen(sdn)), IG_OFAC_SDN);
	CU_ASSERT_EQUAL(ig_format_detect(add, strlen(add)), IG_AUTO);
}

/* Parses remarks as an entry of type t; the caller frees *e. */
static void parse(of_entry *e, int t, const char *remarks)
{
	memset(e, 0, sizeof *e);
	e->e_type = t;
	strcpy(e->e_key, "ofac-1");
	e->e_remarks = strdup(remarks);
	e->e_remarks_len = strlen(remarks);
	CU_ASSERT_EQUAL(of_parse_remarks(e, NULL, NULL), 0);
}

static const char *str(const of_entry *e, const char *name)
{
	const gr_value *v = of_get(&e->e_props, name);
	static char buf[128];
	if (!v)
		return "";
	if (v->type == GR_LIST)
		v = v->u.list.n ? &v->u.list.items[v->u.list.n - 1] : v;
	if (v->type != GR_STRING)
		return "?";
	snprintf(buf, sizeof buf, "%.*s", (int)v->u.s.len, v->u.s.ptr);
	return buf;
}

static void test_remarks_imo_variants(void)
{
	of_entry e;
	parse(&e, OT_VESSEL, "Vessel Registration Identification IMO  8730455.");
	CU_ASSERT_STRING_EQUAL(e.e_key, "IMO8730455");
	of_entry_free(&e);
	parse(&e, OT_VESSEL, "Vessel Registration Identification IMO 9256860 (Russia); MMSI 273352130.");
	CU_ASSERT_STRING_EQUAL(e.e_key, "IMO9256860");
	CU_ASSERT_STRING_EQUAL(str(&e, "mmsi"), "273352130");
	of_entry_free(&e);
	parse(&e, OT_VESSEL, "Vessel Registration Identification 8606173.");
	CU_ASSERT_STRING_EQUAL(e.e_key, "IMO8606173");
	of_entry_free(&e);
	parse(&e, OT_VESSEL, "Vessel Registration Identification RS 150443 (Russia).");
	CU_ASSERT_STRING_EQUAL(e.e_key, "ofac-1");
	CU_ASSERT_STRING_EQUAL(str(&e, "registration_numbers"), "RS 150443 (Russia)");
	CU_ASSERT_PTR_NULL(of_get(&e.e_props, "imo"));
	of_entry_free(&e);
	parse(&e, OT_VESSEL, "Vessel Registration Identification 15411 (Malta).");
	CU_ASSERT_STRING_EQUAL(e.e_key, "ofac-1");
	of_entry_free(&e);
	/* a wrong check digit is no IMO number */
	parse(&e, OT_VESSEL, "Vessel Registration Identification IMO 9161004.");
	CU_ASSERT_STRING_EQUAL(e.e_key, "ofac-1");
	of_entry_free(&e);
	/* a company keeps its label and the number as its IMO company number */
	parse(&e, OT_COMPANY, "Transactions Prohibited; Vessel Registration Identification IMO 5878589.");
	CU_ASSERT_STRING_EQUAL(e.e_key, "ofac-1");
	CU_ASSERT_STRING_EQUAL(str(&e, "imo"), "5878589");
	of_entry_free(&e);
}

static void test_remarks_names_flags_and_links(void)
{
	of_entry e;
	parse(&e, OT_VESSEL, "Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; alt. Former Vessel Flag None "
	    "Identified; Vessel Year of Build 1998; f.k.a. 'ALPHA'; a.k.a. 'BETA'; Linked To: MILENYUM ENERGY S.A.; "
	    "Linked To: BLUE ENERGY TRADE LTD. CO.");
	CU_ASSERT_STRING_EQUAL(str(&e, "past_flags"), "TV");
	CU_ASSERT_EQUAL(of_get(&e.e_props, "past_flags")->u.list.n, 2);
	CU_ASSERT_STRING_EQUAL(str(&e, "past_names"), "ALPHA");
	CU_ASSERT_STRING_EQUAL(str(&e, "aliases"), "BETA");
	CU_ASSERT_EQUAL(of_get(&e.e_props, "build_year")->u.i, 1998);
	CU_ASSERT_EQUAL_FATAL(e.e_nlinks, 2);
	CU_ASSERT_STRING_EQUAL(e.e_links[0].l_name, "MILENYUM ENERGY S.A.");
	CU_ASSERT_FALSE(e.e_links[0].l_final);
	/* the last one keeps its full stop for the importer to judge */
	CU_ASSERT_STRING_EQUAL(e.e_links[1].l_name, "BLUE ENERGY TRADE LTD. CO.");
	CU_ASSERT_TRUE(e.e_links[1].l_final);
	of_entry_free(&e);
	parse(&e, OT_PERSON, "DOB 1970; nationality possibly Palestinian;arrested 23 Apr 2002; citizen Korea, North.");
	CU_ASSERT_STRING_EQUAL(str(&e, "nationality_raw"), "possibly Palestinian");
	CU_ASSERT_STRING_EQUAL(str(&e, "citizenship"), "KP");
	of_entry_free(&e);
}

int test_realdata_register(void)
{
	static const unit_test tests[] = {
		{"country names as OFAC writes them", test_country_names_as_ofac_writes_them},
		{"unknown country names have no code", test_unknown_country_names_have_no_code},
		{"every short name round-trips", test_every_short_name_round_trips},
		{"OFAC files told apart", test_ofac_files_told_apart},
		{"remarks: IMO variants", test_remarks_imo_variants},
		{"remarks: names, flags and links", test_remarks_names_flags_and_links},
	};
	return unit_suite("realdata", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
