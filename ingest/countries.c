/*
 * countries.c: country names as sanctions lists, port indexes and
 * registers write them, to ISO 3166-1 alpha-2 codes.
 *
 * Sources.  The codes and English short names are ISO 3166-1 (the 249
 * codes assigned in 2024, as in graph/domain.c, plus XK for Kosovo, which
 * OFAC and the EU use).  The other spellings are those of OFAC's SDN list
 * and its add.csv (the Treasury's "Country" values and the country names
 * in Remarks: "Korea, North", "Burma", "Man, Isle of", "Virgin Islands,
 * British", "Congo, Democratic Republic of the", "Palestinian", "Region:
 * Gaza"), of the vessel flags in its Vess_flag column ("St. Kitts & Nevis",
 * "Democratic People's Republic of Korea"), of the ISO formal short forms
 * ("Iran (Islamic Republic of)", "Korea (the Republic of)") and a few
 * common ones ("UAE", "Holland").  "Region: Crimea" is Ukraine's and
 * "Region: Gaza"/"Region: West Bank" Palestine's, as OFAC's programmes
 * treat them.
 *
 * Names are compared in a normal form: folded to lower-case ASCII
 * (accents dropped), "&" read as "and", punctuation as space, the word
 * "the" dropped and "st" read as "saint".  So "St. Kitts & Nevis", "Saint
 * Kitts and Nevis" and "ST KITTS AND NEVIS" meet.  A name not in the table
 * has no code: the caller keeps the text (e.g. as `flag_raw`) and says so.
 */
#include <stdlib.h>
#include <string.h>

#include "ingest.h"
#include "../graph/fold.h"

typedef struct cname {
	const char *cn_name;
	const char cn_code[3];
} cname;

static const cname names[] = {
	{"Andorra", "AD"},
	{"United Arab Emirates", "AE"},
	{"Afghanistan", "AF"},
	{"Antigua and Barbuda", "AG"},
	{"Anguilla", "AI"},
	{"Albania", "AL"},
	{"Armenia", "AM"},
	{"Angola", "AO"},
	{"Antarctica", "AQ"},
	{"Argentina", "AR"},
	{"American Samoa", "AS"},
	{"Austria", "AT"},
	{"Australia", "AU"},
	{"Aruba", "AW"},
	{"Åland Islands", "AX"},
	{"Azerbaijan", "AZ"},
	{"Bosnia and Herzegovina", "BA"},
	{"Barbados", "BB"},
	{"Bangladesh", "BD"},
	{"Belgium", "BE"},
	{"Burkina Faso", "BF"},
	{"Bulgaria", "BG"},
	{"Bahrain", "BH"},
	{"Burundi", "BI"},
	{"Benin", "BJ"},
	{"Saint Barthélemy", "BL"},
	{"Bermuda", "BM"},
	{"Brunei", "BN"},
	{"Bolivia", "BO"},
	{"Caribbean Netherlands", "BQ"},
	{"Brazil", "BR"},
	{"Bahamas", "BS"},
	{"Bhutan", "BT"},
	{"Bouvet Island", "BV"},
	{"Botswana", "BW"},
	{"Belarus", "BY"},
	{"Belize", "BZ"},
	{"Canada", "CA"},
	{"Cocos Islands", "CC"},
	{"DR Congo", "CD"},
	{"Central African Republic", "CF"},
	{"Congo", "CG"},
	{"Switzerland", "CH"},
	{"Côte d'Ivoire", "CI"},
	{"Cook Islands", "CK"},
	{"Chile", "CL"},
	{"Cameroon", "CM"},
	{"China", "CN"},
	{"Colombia", "CO"},
	{"Costa Rica", "CR"},
	{"Cuba", "CU"},
	{"Cape Verde", "CV"},
	{"Curaçao", "CW"},
	{"Christmas Island", "CX"},
	{"Cyprus", "CY"},
	{"Czechia", "CZ"},
	{"Germany", "DE"},
	{"Djibouti", "DJ"},
	{"Denmark", "DK"},
	{"Dominica", "DM"},
	{"Dominican Republic", "DO"},
	{"Algeria", "DZ"},
	{"Ecuador", "EC"},
	{"Estonia", "EE"},
	{"Egypt", "EG"},
	{"Western Sahara", "EH"},
	{"Eritrea", "ER"},
	{"Spain", "ES"},
	{"Ethiopia", "ET"},
	{"Finland", "FI"},
	{"Fiji", "FJ"},
	{"Falkland Islands", "FK"},
	{"Micronesia", "FM"},
	{"Faroe Islands", "FO"},
	{"France", "FR"},
	{"Gabon", "GA"},
	{"United Kingdom", "GB"},
	{"Grenada", "GD"},
	{"Georgia", "GE"},
	{"French Guiana", "GF"},
	{"Guernsey", "GG"},
	{"Ghana", "GH"},
	{"Gibraltar", "GI"},
	{"Greenland", "GL"},
	{"Gambia", "GM"},
	{"Guinea", "GN"},
	{"Guadeloupe", "GP"},
	{"Equatorial Guinea", "GQ"},
	{"Greece", "GR"},
	{"South Georgia", "GS"},
	{"Guatemala", "GT"},
	{"Guam", "GU"},
	{"Guinea-Bissau", "GW"},
	{"Guyana", "GY"},
	{"Hong Kong", "HK"},
	{"Heard and McDonald Islands", "HM"},
	{"Honduras", "HN"},
	{"Croatia", "HR"},
	{"Haiti", "HT"},
	{"Hungary", "HU"},
	{"Indonesia", "ID"},
	{"Ireland", "IE"},
	{"Israel", "IL"},
	{"Isle of Man", "IM"},
	{"India", "IN"},
	{"British Indian Ocean Territory", "IO"},
	{"Iraq", "IQ"},
	{"Iran", "IR"},
	{"Iceland", "IS"},
	{"Italy", "IT"},
	{"Jersey", "JE"},
	{"Jamaica", "JM"},
	{"Jordan", "JO"},
	{"Japan", "JP"},
	{"Kenya", "KE"},
	{"Kyrgyzstan", "KG"},
	{"Cambodia", "KH"},
	{"Kiribati", "KI"},
	{"Comoros", "KM"},
	{"Saint Kitts and Nevis", "KN"},
	{"North Korea", "KP"},
	{"South Korea", "KR"},
	{"Kuwait", "KW"},
	{"Cayman Islands", "KY"},
	{"Kazakhstan", "KZ"},
	{"Laos", "LA"},
	{"Lebanon", "LB"},
	{"Saint Lucia", "LC"},
	{"Liechtenstein", "LI"},
	{"Sri Lanka", "LK"},
	{"Liberia", "LR"},
	{"Lesotho", "LS"},
	{"Lithuania", "LT"},
	{"Luxembourg", "LU"},
	{"Latvia", "LV"},
	{"Libya", "LY"},
	{"Morocco", "MA"},
	{"Monaco", "MC"},
	{"Moldova", "MD"},
	{"Montenegro", "ME"},
	{"Saint Martin", "MF"},
	{"Madagascar", "MG"},
	{"Marshall Islands", "MH"},
	{"North Macedonia", "MK"},
	{"Mali", "ML"},
	{"Myanmar", "MM"},
	{"Mongolia", "MN"},
	{"Macao", "MO"},
	{"Northern Mariana Islands", "MP"},
	{"Martinique", "MQ"},
	{"Mauritania", "MR"},
	{"Montserrat", "MS"},
	{"Malta", "MT"},
	{"Mauritius", "MU"},
	{"Maldives", "MV"},
	{"Malawi", "MW"},
	{"Mexico", "MX"},
	{"Malaysia", "MY"},
	{"Mozambique", "MZ"},
	{"Namibia", "NA"},
	{"New Caledonia", "NC"},
	{"Niger", "NE"},
	{"Norfolk Island", "NF"},
	{"Nigeria", "NG"},
	{"Nicaragua", "NI"},
	{"Netherlands", "NL"},
	{"Norway", "NO"},
	{"Nepal", "NP"},
	{"Nauru", "NR"},
	{"Niue", "NU"},
	{"New Zealand", "NZ"},
	{"Oman", "OM"},
	{"Panama", "PA"},
	{"Peru", "PE"},
	{"French Polynesia", "PF"},
	{"Papua New Guinea", "PG"},
	{"Philippines", "PH"},
	{"Pakistan", "PK"},
	{"Poland", "PL"},
	{"Saint Pierre and Miquelon", "PM"},
	{"Pitcairn Islands", "PN"},
	{"Puerto Rico", "PR"},
	{"Palestine", "PS"},
	{"Portugal", "PT"},
	{"Palau", "PW"},
	{"Paraguay", "PY"},
	{"Qatar", "QA"},
	{"Réunion", "RE"},
	{"Romania", "RO"},
	{"Serbia", "RS"},
	{"Russia", "RU"},
	{"Rwanda", "RW"},
	{"Saudi Arabia", "SA"},
	{"Solomon Islands", "SB"},
	{"Seychelles", "SC"},
	{"Sudan", "SD"},
	{"Sweden", "SE"},
	{"Singapore", "SG"},
	{"Saint Helena", "SH"},
	{"Slovenia", "SI"},
	{"Svalbard and Jan Mayen", "SJ"},
	{"Slovakia", "SK"},
	{"Sierra Leone", "SL"},
	{"San Marino", "SM"},
	{"Senegal", "SN"},
	{"Somalia", "SO"},
	{"Suriname", "SR"},
	{"South Sudan", "SS"},
	{"São Tomé and Príncipe", "ST"},
	{"El Salvador", "SV"},
	{"Sint Maarten", "SX"},
	{"Syria", "SY"},
	{"Eswatini", "SZ"},
	{"Turks and Caicos Islands", "TC"},
	{"Chad", "TD"},
	{"French Southern Territories", "TF"},
	{"Togo", "TG"},
	{"Thailand", "TH"},
	{"Tajikistan", "TJ"},
	{"Tokelau", "TK"},
	{"Timor-Leste", "TL"},
	{"Turkmenistan", "TM"},
	{"Tunisia", "TN"},
	{"Tonga", "TO"},
	{"Turkey", "TR"},
	{"Trinidad and Tobago", "TT"},
	{"Tuvalu", "TV"},
	{"Taiwan", "TW"},
	{"Tanzania", "TZ"},
	{"Ukraine", "UA"},
	{"Uganda", "UG"},
	{"US Minor Outlying Islands", "UM"},
	{"United States", "US"},
	{"Uruguay", "UY"},
	{"Uzbekistan", "UZ"},
	{"Vatican City", "VA"},
	{"Saint Vincent and the Grenadines", "VC"},
	{"Venezuela", "VE"},
	{"British Virgin Islands", "VG"},
	{"US Virgin Islands", "VI"},
	{"Vietnam", "VN"},
	{"Vanuatu", "VU"},
	{"Wallis and Futuna", "WF"},
	{"Samoa", "WS"},
	{"Kosovo", "XK"},
	{"Yemen", "YE"},
	{"Mayotte", "YT"},
	{"South Africa", "ZA"},
	{"Zambia", "ZM"},
	{"Zimbabwe", "ZW"},
	{"Aland Islands", "AX"},
	{"Bolivia (Plurinational State of)", "BO"},
	{"Brunei Darussalam", "BN"},
	{"Bonaire, Sint Eustatius and Saba", "BQ"},
	{"Cocos (Keeling) Islands", "CC"},
	{"Congo (the Democratic Republic of the)", "CD"},
	{"Democratic Republic of the Congo", "CD"},
	{"Congo (the)", "CG"},
	{"Republic of the Congo", "CG"},
	{"Cote d'Ivoire", "CI"},
	{"Ivory Coast", "CI"},
	{"Cabo Verde", "CV"},
	{"Czech Republic", "CZ"},
	{"Falkland Islands (Malvinas)", "FK"},
	{"Micronesia (Federated States of)", "FM"},
	{"Micronesia, Federated States of", "FM"},
	{"United Kingdom of Great Britain and Northern Ireland", "GB"},
	{"Great Britain", "GB"},
	{"Heard Island and McDonald Islands", "HM"},
	{"Holy See", "VA"},
	{"Iran (Islamic Republic of)", "IR"},
	{"Islamic Republic of Iran", "IR"},
	{"Korea (the Democratic People's Republic of)", "KP"},
	{"Democratic People's Republic of Korea", "KP"},
	{"Korea, North", "KP"},
	{"Korea, Democratic People's Republic of", "KP"},
	{"DPRK", "KP"},
	{"Korea (the Republic of)", "KR"},
	{"Republic of Korea", "KR"},
	{"Korea, South", "KR"},
	{"Korea, Republic of", "KR"},
	{"Lao People's Democratic Republic", "LA"},
	{"Macau", "MO"},
	{"Moldova (the Republic of)", "MD"},
	{"Republic of Moldova", "MD"},
	{"North Macedonia, The Republic of", "MK"},
	{"Republic of North Macedonia", "MK"},
	{"Macedonia", "MK"},
	{"Macedonia, The Former Yugoslav Republic of", "MK"},
	{"Burma", "MM"},
	{"Netherlands (Kingdom of the)", "NL"},
	{"Palestine, State of", "PS"},
	{"Palestinian", "PS"},
	{"Palestinian Territories", "PS"},
	{"Region: Gaza", "PS"},
	{"Region: West Bank", "PS"},
	{"Gaza", "PS"},
	{"West Bank", "PS"},
	{"Russian Federation", "RU"},
	{"Saint Helena, Ascension and Tristan da Cunha", "SH"},
	{"Svalbard and Jan Mayen Islands", "SJ"},
	{"Sint Maarten (Dutch part)", "SX"},
	{"Saint Martin (French part)", "MF"},
	{"Syrian Arab Republic", "SY"},
	{"Taiwan (Province of China)", "TW"},
	{"Tanzania, United Republic of", "TZ"},
	{"United Republic of Tanzania", "TZ"},
	{"Turkiye", "TR"},
	{"Republic of Turkiye", "TR"},
	{"United States Minor Outlying Islands", "UM"},
	{"United States of America", "US"},
	{"USA", "US"},
	{"Venezuela (Bolivarian Republic of)", "VE"},
	{"Viet Nam", "VN"},
	{"Virgin Islands (British)", "VG"},
	{"Virgin Islands, British", "VG"},
	{"Virgin Islands (U.S.)", "VI"},
	{"Virgin Islands, U.S.", "VI"},
	{"United States Virgin Islands", "VI"},
	{"Gambia, The", "GM"},
	{"Bahamas, The", "BS"},
	{"Swaziland", "SZ"},
	{"Sao Tome and Principe", "ST"},
	{"St. Kitts & Nevis", "KN"},
	{"Saint Kitts & Nevis", "KN"},
	{"St. Lucia", "LC"},
	{"St. Vincent & the Grenadines", "VC"},
	{"St. Pierre and Miquelon", "PM"},
	{"Saint Barthelemy", "BL"},
	{"Curacao", "CW"},
	{"Reunion", "RE"},
	{"Man, Isle of", "IM"},
	{"East Timor", "TL"},
	{"Cape Verde Islands", "CV"},
	{"Region: Crimea", "UA"},
	{"Crimea", "UA"},
	{"Region: Kurdistan Region", "IQ"},
	{"People's Republic of China", "CN"},
	{"China, People's Republic of", "CN"},
	{"Hong Kong SAR", "HK"},
	{"Hong Kong, China", "HK"},
	{"Macao SAR", "MO"},
	{"UAE", "AE"},
	{"UK", "GB"},
	{"Vatican", "VA"},
	{"Republic of Kosovo", "XK"},
	{"Libyan Arab Jamahiriya", "LY"},
	{"Zaire", "CD"},
	{"Congo, Democratic Republic of the", "CD"},
	{"Congo, Republic of the", "CG"},
	{"Bolivia, Plurinational State of", "BO"},
	{"Venezuela, Bolivarian Republic of", "VE"},
	{"Guinea-Conakry", "GN"},
	{"Marshall Is.", "MH"},
	{"Solomon Is.", "SB"},
	{"Cayman Is.", "KY"},
	{"Cook Is.", "CK"},
	{"Faroe Is.", "FO"},
	{"Turks & Caicos Islands", "TC"},
	{"Antigua & Barbuda", "AG"},
	{"Trinidad & Tobago", "TT"},
	{"Bosnia & Herzegovina", "BA"},
	{"Heard Island & McDonald Islands", "HM"},
	{"Wallis & Futuna", "WF"},
	{"Sao Tome & Principe", "ST"},
	{"Holland", "NL"},
	{"Slovak Republic", "SK"},
	{"Kyrgyz Republic", "KG"},
	{"Federated States of Micronesia", "FM"},
	{"Papua-New Guinea", "PG"},
	{"Equatorial-Guinea", "GQ"},
	{"Guinea Bissau", "GW"},
	{"Timor Leste", "TL"},
	{"Central African Rep.", "CF"},
	{"Dominican Rep.", "DO"},
};

#define N_NAMES (sizeof names / sizeof names[0])
#define NORM_MAX 64

typedef struct cnorm {
	char cm_norm[NORM_MAX];
	const char *cm_code;
} cnorm;

static cnorm table[N_NAMES];
static size_t table_n;

/* Appends word w[0..len) to out (with a separating space), applying the
 * word rules; returns the new length, or NORM_MAX when it does not fit. */
static size_t add_word(char *out, size_t o, const char *w, size_t len)
{
	if (len == 3 && memcmp(w, "the", 3) == 0)
		return o;
	if (len == 2 && memcmp(w, "st", 2) == 0) {
		w = "saint";
		len = 5;
	}
	if (o + len + 1 >= NORM_MAX)
		return NORM_MAX;
	if (o)
		out[o++] = ' ';
	memcpy(out + o, w, len);
	return o + len;
}

/* The normal form of s[0..len) into out[NORM_MAX]; 0 when it is empty or
 * too long. */
static int normalise(const char *s, size_t len, char *out)
{
	char *folded = NULL, word[NORM_MAX];
	size_t o = 0, wl = 0;
	int ok = 1;

	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80) {
			if (!(folded = gr_fold(s, len, &len)))
				return 0;
			s = folded;
			break;
		}
	for (size_t i = 0; i <= len && ok; i++) {
		char c = i < len ? s[i] : ' ';
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (wl + 1 >= sizeof word)
				ok = 0;
			else
				word[wl++] = c;
			continue;
		}
		if (wl) {
			o = add_word(out, o, word, wl);
			wl = 0;
		}
		if (c == '&')
			o = add_word(out, o, "and", 3);
		if (o >= NORM_MAX)
			ok = 0;
	}
	free(folded);
	if (!ok || !o)
		return 0;
	out[o] = 0;
	return 1;
}

static int cmp_norm(const void *a, const void *b)
{
	return strcmp(((const cnorm *)a)->cm_norm, ((const cnorm *)b)->cm_norm);
}

/* Builds the sorted table of normal forms once. */
static void table_build(void)
{
	if (table_n)
		return;
	for (size_t i = 0; i < N_NAMES; i++)
		if (normalise(names[i].cn_name, strlen(names[i].cn_name), table[table_n].cm_norm))
			table[table_n++].cm_code = names[i].cn_code;
	qsort(table, table_n, sizeof table[0], cmp_norm);
}

const char *ig_country_code(const char *name, size_t len)
{
	cnorm key;
	const cnorm *hit;

	while (len && (*name == ' ' || *name == '\t'))
		name++, len--;
	while (len && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	/* an alpha-2 code as given (upper or lower case) */
	if (len == 2) {
		char up[3] = { (char)(name[0] & ~0x20), (char)(name[1] & ~0x20), 0 };
		if (up[0] >= 'A' && up[0] <= 'Z' && up[1] >= 'A' && up[1] <= 'Z' &&
		    gr_flag_valid(up, 2, NULL, 0) == 0)
			for (size_t i = 0; i < N_NAMES; i++)
				if (memcmp(names[i].cn_code, up, 2) == 0)
					return names[i].cn_code;
	}
	table_build();
	if (!normalise(name, len, key.cm_norm))
		return NULL;
	hit = bsearch(&key, table, table_n, sizeof table[0], cmp_norm);
	return hit ? hit->cm_code : NULL;
}
