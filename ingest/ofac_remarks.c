/*
 * ofac_remarks.c: what the Remarks column of OFAC's sdn.csv says, as
 * properties.  Remarks are "; "-separated statements ending in a full
 * stop: "Vessel Registration Identification IMO 9161003; MMSI 273...;
 * Former Vessel Flag Malta; alt. Former Vessel Flag Tuvalu; a.k.a.
 * 'NAME'; Linked To: TRANSMORFLOT LLC."  The forms read here are those of
 * the real list (checked on the list of 2024-05-03):
 *
 *   Vessel Registration Identification IMO 9161003      the IMO number
 *   ... IMO  8730455 (two spaces), ... IMO 9256860 (Russia) (a suffix),
 *   ... 8606173 (no "IMO": taken when the check digit holds)
 *   ... RS 150443 (Russia), ... 15411 (Malta)           a national registry
 *                                                       number, not an IMO
 *   Identification Number IMO 9339301                   `imo` (on entities:
 *                                                       the company number)
 *   MMSI 273...; Vessel Year of Build 1998
 *   Former Vessel Flag X; alt. Former Vessel Flag Y     past_flags
 *   Other Vessel Flag X; Other Vessel Call Sign X; Other Vessel Type X
 *   a.k.a. 'X'; f.k.a. 'X'; n.k.a. 'X'                  aliases, past names
 *   nationality X; citizen X                            people
 *   Nationality of Registration X; Registration Country X   entities
 *   Aircraft Model X; Aircraft Tail Number X; Aircraft Manufacturer's
 *   Serial Number (MSN) X; Aircraft Operator X
 *   Linked To: NAME                                     a LINKED_TO edge
 *
 * An entity that is not a vessel keeps its label whatever its Remarks say:
 * nine DPRK shipping companies carry "Vessel Registration Identification
 * IMO ...", which is their IMO company number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofac.h"

/* ---------------------------------------------------------------- property sets */

static long of_find(const of_props *ps, const char *name)
{
	for (size_t i = 0; i < ps->p_n; i++)
		if (strcmp(ps->p_names[i], name) == 0)
			return (long)i;
	return -1;
}

const gr_value *of_get(const of_props *ps, const char *name)
{
	long i = of_find(ps, name);
	return i < 0 ? NULL : &ps->p_vals[i];
}

int of_set(of_props *ps, const char *name, gr_value v)
{
	long i = of_find(ps, name);
	if (i >= 0) {
		gr_value_free(&ps->p_vals[i]);
		ps->p_vals[i] = v;
		return 0;
	}
	if (ps->p_n == ps->p_cap) {
		size_t cap = ps->p_cap ? ps->p_cap * 2 : 8;
		char **nn = realloc(ps->p_names, cap * sizeof *nn);
		gr_value *nv;
		if (nn)
			ps->p_names = nn;
		if (!nn || !(nv = realloc(ps->p_vals, cap * sizeof *nv))) {
			gr_value_free(&v);
			return -1;
		}
		ps->p_vals = nv;
		ps->p_cap = cap;
	}
	if (!(ps->p_names[ps->p_n] = strdup(name))) {
		gr_value_free(&v);
		return -1;
	}
	ps->p_vals[ps->p_n++] = v;
	return 0;
}

int of_push(of_props *ps, const char *name, gr_value v)
{
	long i = of_find(ps, name);
	gr_value *l;
	if (i < 0) {
		if (of_set(ps, name, gr_list(4)) < 0) {
			gr_value_free(&v);
			return -1;
		}
		i = (long)ps->p_n - 1;
	}
	l = &ps->p_vals[i];
	for (size_t k = 0; k < l->u.list.n; k++)
		if (gr_value_equal(&l->u.list.items[k], &v)) {
			gr_value_free(&v);
			return 0;
		}
	if (gr_list_push(l, v) != 0) {
		gr_value_free(&v);
		return -1;
	}
	return 0;
}

void of_props_free(of_props *ps)
{
	for (size_t i = 0; i < ps->p_n; i++) {
		free(ps->p_names[i]);
		gr_value_free(&ps->p_vals[i]);
	}
	free(ps->p_names);
	free(ps->p_vals);
	memset(ps, 0, sizeof *ps);
}

void of_entry_free(of_entry *e)
{
	free(e->e_name);
	of_props_free(&e->e_props);
	for (size_t i = 0; i < e->e_nprograms; i++)
		free(e->e_programs[i]);
	free(e->e_programs);
	for (size_t i = 0; i < e->e_nlinks; i++)
		free(e->e_links[i].l_name);
	free(e->e_links);
	free(e->e_remarks);
	memset(e, 0, sizeof *e);
}

/* ---------------------------------------------------------------- helpers */

int of_imo_ok(const char *s, size_t len)
{
	int sum = 0;
	if (len != 7)
		return 0;
	for (size_t i = 0; i < 7; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (size_t i = 0; i < 6; i++)
		sum += (s[i] - '0') * (int)(7 - i);
	return sum % 10 == s[6] - '0';
}

/* Whether s[0..len) starts with the literal p; advances past it. */
static int eat(const char **s, size_t *len, const char *p)
{
	size_t n = strlen(p);
	if (*len < n || memcmp(*s, p, n) != 0)
		return 0;
	*s += n;
	*len -= n;
	return 1;
}

static void trim(const char **s, size_t *len)
{
	while (*len && (**s == ' ' || **s == '\t'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* A string property value. */
static int put_string(of_entry *e, const char *name, const char *s, size_t len, int list)
{
	if (!len)
		return 0;
	return list ? of_push(&e->e_props, name, gr_string(s, len)) : of_set(&e->e_props, name, gr_string(s, len));
}

/* A country name as a code in `name` (a list when list), or its text in
 * `name`_raw when it has none. */
static int put_country(of_entry *e, const char *name, const char *s, size_t len, int list,
    of_unknown_fn unknown, void *arg)
{
	const char *code;
	char raw[64];
	trim(&s, &len);
	if (!len || (len == 15 && memcmp(s, "None Identified", 15) == 0))
		return 0;
	if ((code = ig_country_code(s, len)))
		return put_string(e, name, code, 2, list);
	snprintf(raw, sizeof raw, "%s_raw", name);
	if (unknown && unknown(arg, e, name, s, len) < 0)
		return -1;
	return put_string(e, raw, s, len, 1);
}

/* The text between the first and the last single quote ('NAME'), or all. */
static void unquote(const char **s, size_t *len)
{
	const char *q1 = memchr(*s, '\'', *len), *q2 = NULL;
	for (size_t i = *len; i > 0; i--)
		if ((*s)[i - 1] == '\'') {
			q2 = *s + i - 1;
			break;
		}
	if (q1 && q2 && q2 > q1) {
		*len = (size_t)(q2 - q1 - 1);
		*s = q1 + 1;
	}
	trim(s, len);
}

/* ---------------------------------------------------------------- identifiers */

/* "Vessel Registration Identification REST": the IMO number when REST is
 * "IMO" + blanks + 7 digits, or 7 digits alone, with a valid check digit
 * (a "(Country)" suffix allowed); anything else is a national registry
 * number. */
static int registration(of_entry *e, const char *s, size_t len)
{
	const char *d = s;
	size_t dl = len, n = 0;
	if (eat(&d, &dl, "IMO"))
		while (dl && *d == ' ')
			d++, dl--;
	while (n < dl && d[n] >= '0' && d[n] <= '9')
		n++;
	if (n == 7 && of_imo_ok(d, 7) && (n == dl || d[n] == ' ')) {
		if (e->e_type == OT_VESSEL && strncmp(e->e_key, "IMO", 3) != 0) {
			memcpy(e->e_key, "IMO", 3);
			memcpy(e->e_key + 3, d, 7);
			e->e_key[10] = 0;
		}
		return put_string(e, "imo", d, 7, 0);
	}
	if (e->e_type != OT_VESSEL && n == dl && n)
		return put_string(e, "imo", d, n, 0);   /* a company number */
	return put_string(e, "registration_numbers", s, len, 1);
}

/* "Identification Number IMO nnnnnnn": the vessel's or company's IMO
 * number; other identification numbers stay in the remarks. */
static int identification(of_entry *e, const char *s, size_t len)
{
	size_t n = 0;
	if (!eat(&s, &len, "IMO"))
		return 0;
	trim(&s, &len);
	while (n < len && s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n || of_get(&e->e_props, "imo"))
		return 0;
	if (e->e_type == OT_VESSEL && !of_imo_ok(s, n))
		return put_string(e, "registration_numbers", s, len, 1);
	return put_string(e, "imo", s, n, 0);
}

static int add_link(of_entry *e, const char *s, size_t len, int final)
{
	of_link *nl;
	trim(&s, &len);
	if (!len)
		return 0;
	if (!(nl = realloc(e->e_links, (e->e_nlinks + 1) * sizeof *nl)))
		return -1;
	e->e_links = nl;
	if (!(nl[e->e_nlinks].l_name = strndup(s, len)))
		return -1;
	nl[e->e_nlinks++].l_final = final;
	return 0;
}

/* ---------------------------------------------------------------- statements */
/* Statements are separated by ';', most often with a space after it, not
 * always ("possibly Palestinian;arrested 23 Apr 2002"); no name in the real
 * list holds a ';'. */

/* One "; "-separated statement s[0..len) (final: the last one, whose
 * full stop has been taken off unless it may belong to a name). */
static int statement(of_entry *e, const char *s, size_t len, int final, of_unknown_fn unknown, void *arg)
{
	int vessel = e->e_type == OT_VESSEL;
	trim(&s, &len);
	eat(&s, &len, "alt. ");   /* "alt. Former Vessel Flag" reads as the first */
	if (eat(&s, &len, "Linked To: "))
		return add_link(e, s, len, final);
	/* the final full stop belongs to the remark, not to anything below */
	if (final && len && s[len - 1] == '.')
		len--;
	if (eat(&s, &len, "a.k.a. ")) {
		unquote(&s, &len);
		return put_string(e, "aliases", s, len, 1);
	}
	if (eat(&s, &len, "f.k.a. ") || eat(&s, &len, "n.k.a. ")) {
		unquote(&s, &len);
		return put_string(e, "past_names", s, len, 1);
	}
	if (eat(&s, &len, "Vessel Registration Identification ")) {
		trim(&s, &len);
		return registration(e, s, len);
	}
	if (eat(&s, &len, "Identification Number "))
		return identification(e, s, len);
	if (vessel && eat(&s, &len, "MMSI ")) {
		trim(&s, &len);
		return put_string(e, "mmsi", s, len, 0);
	}
	if (eat(&s, &len, "Former Vessel Flag "))
		return put_country(e, "past_flags", s, len, 1, unknown, arg);
	if (eat(&s, &len, "Other Vessel Flag "))
		return put_country(e, "other_flags", s, len, 1, unknown, arg);
	if (eat(&s, &len, "Other Vessel Call Sign ")) {
		trim(&s, &len);
		return put_string(e, "other_call_signs", s, len, 1);
	}
	if (eat(&s, &len, "Other Vessel Type ")) {
		trim(&s, &len);
		return put_string(e, "other_types", s, len, 1);
	}
	if (eat(&s, &len, "Vessel Year of Build ")) {
		int64_t y = 0;
		size_t n = 0;
		trim(&s, &len);
		for (; n < len && n < 6 && s[n] >= '0' && s[n] <= '9'; n++)
			y = y * 10 + (s[n] - '0');
		return n == 4 && n == len ? of_set(&e->e_props, "build_year", gr_int(y)) : 0;
	}
	if (e->e_type == OT_PERSON && eat(&s, &len, "nationality "))
		return put_country(e, "nationality", s, len, 1, unknown, arg);
	if (e->e_type == OT_PERSON && eat(&s, &len, "citizen "))
		return put_country(e, "citizenship", s, len, 1, unknown, arg);
	if (eat(&s, &len, "Nationality of Registration ") || eat(&s, &len, "Registration Country "))
		return put_country(e, "jurisdiction", s, len, 1, unknown, arg);
	if (e->e_type == OT_AIRCRAFT) {
		trim(&s, &len);
		if (eat(&s, &len, "Aircraft Model "))
			return put_string(e, "model", s, len, 1);
		if (eat(&s, &len, "Aircraft Tail Number "))
			return put_string(e, "registration_numbers", s, len, 1);
		if (eat(&s, &len, "Aircraft Manufacturer's Serial Number (MSN) "))
			return put_string(e, "serial_numbers", s, len, 1);
		if (eat(&s, &len, "Aircraft Operator "))
			return put_string(e, "operator", s, len, 1);
	}
	return 0;
}

int of_parse_remarks(of_entry *e, of_unknown_fn unknown, void *arg)
{
	const char *p = e->e_remarks, *end = p + e->e_remarks_len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p)), *next;
		next = semi ? semi + 1 : end;
		if (statement(e, p, (size_t)((semi ? semi : end) - p), !semi, unknown, arg) < 0)
			return -1;
		p = next;
	}
	return 0;
}
