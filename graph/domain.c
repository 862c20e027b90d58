/*
 * domain.c: maritime identifier checks (IMO, MMSI, flag, UN/LOCODE),
 * coordinate ranges, citation confidence levels and country names.
 *
 * The country table is ISO 3166-1 alpha-2 as assigned in 2024 (249 codes)
 * plus XK, sorted by code so that it can be searched with bsearch(); the
 * names are the short ones an investigator would write on a chart, not the
 * formal ones ("Russia", not "Russian Federation").
 */
#include "domain.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct country {
	char code[3];
	const char *name;
} country;

static const country countries[] = {
	{"AD", "Andorra"}, {"AE", "United Arab Emirates"}, {"AF", "Afghanistan"},
	{"AG", "Antigua and Barbuda"}, {"AI", "Anguilla"}, {"AL", "Albania"},
	{"AM", "Armenia"}, {"AO", "Angola"}, {"AQ", "Antarctica"}, {"AR", "Argentina"},
	{"AS", "American Samoa"}, {"AT", "Austria"}, {"AU", "Australia"}, {"AW", "Aruba"},
	{"AX", "Åland Islands"}, {"AZ", "Azerbaijan"},
	{"BA", "Bosnia and Herzegovina"}, {"BB", "Barbados"}, {"BD", "Bangladesh"},
	{"BE", "Belgium"}, {"BF", "Burkina Faso"}, {"BG", "Bulgaria"}, {"BH", "Bahrain"},
	{"BI", "Burundi"}, {"BJ", "Benin"}, {"BL", "Saint Barthélemy"}, {"BM", "Bermuda"},
	{"BN", "Brunei"}, {"BO", "Bolivia"}, {"BQ", "Caribbean Netherlands"},
	{"BR", "Brazil"}, {"BS", "Bahamas"}, {"BT", "Bhutan"}, {"BV", "Bouvet Island"},
	{"BW", "Botswana"}, {"BY", "Belarus"}, {"BZ", "Belize"},
	{"CA", "Canada"}, {"CC", "Cocos Islands"}, {"CD", "DR Congo"},
	{"CF", "Central African Republic"}, {"CG", "Congo"}, {"CH", "Switzerland"},
	{"CI", "Côte d'Ivoire"}, {"CK", "Cook Islands"}, {"CL", "Chile"},
	{"CM", "Cameroon"}, {"CN", "China"}, {"CO", "Colombia"}, {"CR", "Costa Rica"},
	{"CU", "Cuba"}, {"CV", "Cape Verde"}, {"CW", "Curaçao"},
	{"CX", "Christmas Island"}, {"CY", "Cyprus"}, {"CZ", "Czechia"},
	{"DE", "Germany"}, {"DJ", "Djibouti"}, {"DK", "Denmark"}, {"DM", "Dominica"},
	{"DO", "Dominican Republic"}, {"DZ", "Algeria"},
	{"EC", "Ecuador"}, {"EE", "Estonia"}, {"EG", "Egypt"}, {"EH", "Western Sahara"},
	{"ER", "Eritrea"}, {"ES", "Spain"}, {"ET", "Ethiopia"},
	{"FI", "Finland"}, {"FJ", "Fiji"}, {"FK", "Falkland Islands"},
	{"FM", "Micronesia"}, {"FO", "Faroe Islands"}, {"FR", "France"},
	{"GA", "Gabon"}, {"GB", "United Kingdom"}, {"GD", "Grenada"}, {"GE", "Georgia"},
	{"GF", "French Guiana"}, {"GG", "Guernsey"}, {"GH", "Ghana"}, {"GI", "Gibraltar"},
	{"GL", "Greenland"}, {"GM", "Gambia"}, {"GN", "Guinea"}, {"GP", "Guadeloupe"},
	{"GQ", "Equatorial Guinea"}, {"GR", "Greece"}, {"GS", "South Georgia"},
	{"GT", "Guatemala"}, {"GU", "Guam"}, {"GW", "Guinea-Bissau"}, {"GY", "Guyana"},
	{"HK", "Hong Kong"}, {"HM", "Heard and McDonald Islands"}, {"HN", "Honduras"},
	{"HR", "Croatia"}, {"HT", "Haiti"}, {"HU", "Hungary"},
	{"ID", "Indonesia"}, {"IE", "Ireland"}, {"IL", "Israel"}, {"IM", "Isle of Man"},
	{"IN", "India"}, {"IO", "British Indian Ocean Territory"}, {"IQ", "Iraq"},
	{"IR", "Iran"}, {"IS", "Iceland"}, {"IT", "Italy"},
	{"JE", "Jersey"}, {"JM", "Jamaica"}, {"JO", "Jordan"}, {"JP", "Japan"},
	{"KE", "Kenya"}, {"KG", "Kyrgyzstan"}, {"KH", "Cambodia"}, {"KI", "Kiribati"},
	{"KM", "Comoros"}, {"KN", "Saint Kitts and Nevis"}, {"KP", "North Korea"},
	{"KR", "South Korea"}, {"KW", "Kuwait"}, {"KY", "Cayman Islands"},
	{"KZ", "Kazakhstan"},
	{"LA", "Laos"}, {"LB", "Lebanon"}, {"LC", "Saint Lucia"}, {"LI", "Liechtenstein"},
	{"LK", "Sri Lanka"}, {"LR", "Liberia"}, {"LS", "Lesotho"}, {"LT", "Lithuania"},
	{"LU", "Luxembourg"}, {"LV", "Latvia"}, {"LY", "Libya"},
	{"MA", "Morocco"}, {"MC", "Monaco"}, {"MD", "Moldova"}, {"ME", "Montenegro"},
	{"MF", "Saint Martin"}, {"MG", "Madagascar"}, {"MH", "Marshall Islands"},
	{"MK", "North Macedonia"}, {"ML", "Mali"}, {"MM", "Myanmar"}, {"MN", "Mongolia"},
	{"MO", "Macao"}, {"MP", "Northern Mariana Islands"}, {"MQ", "Martinique"},
	{"MR", "Mauritania"}, {"MS", "Montserrat"}, {"MT", "Malta"}, {"MU", "Mauritius"},
	{"MV", "Maldives"}, {"MW", "Malawi"}, {"MX", "Mexico"}, {"MY", "Malaysia"},
	{"MZ", "Mozambique"},
	{"NA", "Namibia"}, {"NC", "New Caledonia"}, {"NE", "Niger"},
	{"NF", "Norfolk Island"}, {"NG", "Nigeria"}, {"NI", "Nicaragua"},
	{"NL", "Netherlands"}, {"NO", "Norway"}, {"NP", "Nepal"}, {"NR", "Nauru"},
	{"NU", "Niue"}, {"NZ", "New Zealand"},
	{"OM", "Oman"},
	{"PA", "Panama"}, {"PE", "Peru"}, {"PF", "French Polynesia"},
	{"PG", "Papua New Guinea"}, {"PH", "Philippines"}, {"PK", "Pakistan"},
	{"PL", "Poland"}, {"PM", "Saint Pierre and Miquelon"}, {"PN", "Pitcairn Islands"},
	{"PR", "Puerto Rico"}, {"PS", "Palestine"}, {"PT", "Portugal"}, {"PW", "Palau"},
	{"PY", "Paraguay"},
	{"QA", "Qatar"},
	{"RE", "Réunion"}, {"RO", "Romania"}, {"RS", "Serbia"}, {"RU", "Russia"},
	{"RW", "Rwanda"},
	{"SA", "Saudi Arabia"}, {"SB", "Solomon Islands"}, {"SC", "Seychelles"},
	{"SD", "Sudan"}, {"SE", "Sweden"}, {"SG", "Singapore"}, {"SH", "Saint Helena"},
	{"SI", "Slovenia"}, {"SJ", "Svalbard and Jan Mayen"}, {"SK", "Slovakia"},
	{"SL", "Sierra Leone"}, {"SM", "San Marino"}, {"SN", "Senegal"},
	{"SO", "Somalia"}, {"SR", "Suriname"}, {"SS", "South Sudan"},
	{"ST", "São Tomé and Príncipe"}, {"SV", "El Salvador"}, {"SX", "Sint Maarten"},
	{"SY", "Syria"}, {"SZ", "Eswatini"},
	{"TC", "Turks and Caicos Islands"}, {"TD", "Chad"},
	{"TF", "French Southern Territories"}, {"TG", "Togo"}, {"TH", "Thailand"},
	{"TJ", "Tajikistan"}, {"TK", "Tokelau"}, {"TL", "Timor-Leste"},
	{"TM", "Turkmenistan"}, {"TN", "Tunisia"}, {"TO", "Tonga"}, {"TR", "Turkey"},
	{"TT", "Trinidad and Tobago"}, {"TV", "Tuvalu"}, {"TW", "Taiwan"},
	{"TZ", "Tanzania"},
	{"UA", "Ukraine"}, {"UG", "Uganda"}, {"UM", "US Minor Outlying Islands"},
	{"US", "United States"}, {"UY", "Uruguay"}, {"UZ", "Uzbekistan"},
	{"VA", "Vatican City"}, {"VC", "Saint Vincent and the Grenadines"},
	{"VE", "Venezuela"}, {"VG", "British Virgin Islands"},
	{"VI", "US Virgin Islands"}, {"VN", "Vietnam"}, {"VU", "Vanuatu"},
	{"WF", "Wallis and Futuna"}, {"WS", "Samoa"},
	{"XK", "Kosovo"},
	{"YE", "Yemen"}, {"YT", "Mayotte"},
	{"ZA", "South Africa"}, {"ZM", "Zambia"}, {"ZW", "Zimbabwe"},
};

#define N_COUNTRIES (sizeof countries / sizeof countries[0])

/* Writes the reason for a failed check; always returns -1. */
static int fail(char *why, size_t n, const char *reason)
{
	if (why != NULL && n > 0)
		snprintf(why, n, "%s", reason);
	return -1;
}

static int all_digits(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int gr_imo_valid(const char *s, size_t len, char *why, size_t n)
{
	static const int weight[6] = {7, 6, 5, 4, 3, 2};
	int i, sum = 0;

	if (s == NULL || len != 7 || !all_digits(s, len))
		return fail(why, n, "an IMO number is 7 digits");
	for (i = 0; i < 6; i++)
		sum += (s[i] - '0') * weight[i];
	if (sum % 10 != s[6] - '0')
		return fail(why, n, "invalid IMO check digit");
	return 0;
}

int gr_imo_key_valid(const char *s, size_t len, char *why, size_t n)
{
	if (s == NULL || len != 10 || memcmp(s, "IMO", 3) != 0)
		return fail(why, n, "an IMO key is \"IMO\" and 7 digits");
	return gr_imo_valid(s + 3, 7, why, n);
}

int gr_mmsi_valid(const char *s, size_t len, char *why, size_t n)
{
	if (s == NULL || len != 9 || !all_digits(s, len))
		return fail(why, n, "an MMSI is 9 digits");
	return 0;
}

static int cmp_country(const void *key, const void *elem)
{
	const char *k = key;
	const country *c = elem;
	return memcmp(k, c->code, 2);
}

static const country *find_country(const char *code)
{
	return bsearch(code, countries, N_COUNTRIES, sizeof countries[0], cmp_country);
}

static int is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* AA, QM-QZ, XA-XZ and ZZ are left by ISO 3166 to its users. */
static int user_assigned(const char *s)
{
	return (s[0] == 'A' && s[1] == 'A') || (s[0] == 'Q' && s[1] >= 'M') ||
	       s[0] == 'X' || (s[0] == 'Z' && s[1] == 'Z');
}

int gr_flag_valid(const char *s, size_t len, char *why, size_t n)
{
	if (s == NULL || len != 2 || !is_upper(s[0]) || !is_upper(s[1]))
		return fail(why, n, "a flag is an ISO 3166 alpha-2 code: two capital letters");
	if (user_assigned(s) || find_country(s) != NULL)
		return 0;
	if (s[0] == 'U' && s[1] == 'K')
		return fail(why, n, "not an ISO 3166 code: the United Kingdom is GB");
	if (s[0] == 'E' && s[1] == 'U')
		return fail(why, n, "not an ISO 3166 country code: EU is reserved");
	return fail(why, n, "not an assigned ISO 3166 alpha-2 code");
}

int gr_locode_valid(const char *s, size_t len, char *why, size_t n)
{
	size_t i;

	if (s == NULL || len != 5)
		return fail(why, n, "a UN/LOCODE is 5 characters, like RUVYP");
	if (!is_upper(s[0]) || !is_upper(s[1]) || gr_flag_valid(s, 2, NULL, 0) < 0)
		return fail(why, n, "a UN/LOCODE starts with an ISO 3166 country code");
	for (i = 2; i < 5; i++)
		if (!is_upper(s[i]) && !(s[i] >= '2' && s[i] <= '9'))
			return fail(why, n, "a UN/LOCODE ends with 3 of A-Z and 2-9");
	return 0;
}

int gr_lat_valid(double v, char *why, size_t n)
{
	if (isnan(v) || v < -90.0 || v > 90.0)
		return fail(why, n, "latitude must be between -90 and 90");
	return 0;
}

int gr_lon_valid(double v, char *why, size_t n)
{
	if (isnan(v) || v < -180.0 || v > 180.0)
		return fail(why, n, "longitude must be between -180 and 180");
	return 0;
}

static const char *const confidence_names[] = {NULL, "confirmed", "probable", "possible", "suspected"};

int gr_confidence_parse(const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = GR_CONFIRMED; i <= GR_SUSPECTED; i++)
		if (strcasecmp(s, confidence_names[i]) == 0)
			return i;
	return -1;
}

const char *gr_confidence_name(int level)
{
	if (level < GR_CONFIRMED || level > GR_SUSPECTED)
		return NULL;
	return confidence_names[level];
}

const char *gr_country_name(const char *alpha2)
{
	const country *c;

	if (alpha2 == NULL || alpha2[0] == '\0' || alpha2[1] == '\0' || alpha2[2] != '\0')
		return NULL;
	c = find_country(alpha2);
	return c ? c->name : NULL;
}
