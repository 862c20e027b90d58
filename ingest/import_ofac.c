/*
 * import_ofac.c: OFAC's SDN list (the legacy CSV files) into the graph,
 * and a later list as a refresh of it (contract, "Real-world formats").
 *
 * The files: sdn.csv (no header; ent_num, SDN_Name, SDN_Type, Program,
 * Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
 * Remarks; "-0- " is empty; CRLF; a final 0x1A byte), and, when given in
 * the same command, add.csv, alt.csv and sdn_comments.csv, told apart by
 * their first record (ig_ofac_kind) in any order.
 *
 * What each entry becomes: a Vessel keyed "IMO" + the number from
 * "Vessel Registration Identification" (ofac-ENT_NUM otherwise, and then
 * also an alias key for the IMO-keyed ones), or a Person, Company or
 * Aircraft keyed ofac-ENT_NUM; the Remarks give further properties
 * (ingest/ofac_remarks.c).  Each program is a Sanction node keyed by the
 * program, reached by SANCTIONED_UNDER dated `listed`; each "Linked To"
 * a LINKED_TO edge.  One Source, ofac-sdn-DATE, is cited by every node and
 * edge the list makes, confidence confirmed.
 *
 * A refresh: the SANCTIONED_UNDER edges that cite any ofac-sdn-* Source
 * are the graph's picture of the lists imported so far.  An edge the new
 * list repeats gains the new citation (and loses `delisted`, gaining
 * `relisted`, when it had been delisted); one it does not repeat gets
 * `delisted` = the new list's date.  Nothing is deleted.  Importing a list
 * again is a no-op: every node, property, edge and citation is already
 * there, and edges are updated in place, never made twice.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ofac.h"
#include "reader.h"
#include "../graph/fold.h"

#define OFAC_PUBLISHER "U.S. Treasury, Office of Foreign Assets Control"

static const char *const type_labels[] = {
	[OT_COMPANY] = "Company", [OT_PERSON] = "Person", [OT_VESSEL] = "Vessel", [OT_AIRCRAFT] = "Aircraft",
};

/* An SANCTIONED_UNDER edge of an earlier list. */
typedef struct old_edge {
	uint32_t o_src, o_dst, o_edge;
	int o_delisted;          /* it had `delisted` */
	int o_seen;              /* the new list repeats it */
} old_edge;

/* The state of one OFAC import. */
typedef struct ofac {
	ig_run *o_r;
	const ig_file *o_sdn;
	of_entry *o_ents;
	size_t o_nents, o_capents;
	ig_map *o_bynum;         /* ent_num (4 bytes) -> index */
	ig_map *o_byname;        /* folded name -> index + 1, or IG_AMBIGUOUS */
	int32_t o_date;          /* the list's date (days) */
	char o_datestr[11];
	uint32_t o_source;       /* the Source node */
	/* Source nodes of earlier lists, and their SANCTIONED_UNDER edges */
	uint32_t *o_sources;
	size_t o_nsources;
	old_edge *o_old;
	size_t o_nold, o_capold;
	ig_map *o_oldmap;        /* (src, dst) -> index into o_old */
	ig_map *o_links;         /* (src, dst) of LINKED_TO made or cited here */
	ig_map *o_progs;         /* program -> Sanction node id */
	char **o_folded;         /* folded entry names, once needed (index_folded) */
	uint16_t o_sym_su, o_sym_lt, o_sym_listed, o_sym_delisted, o_sym_relisted;
} ofac;

/* ---------------------------------------------------------------- fields */

/* A field with "-0-" (OFAC's empty) and blanks taken off. */
static void field_text(const sg_csv_field *f, const char **s, size_t *len)
{
	*s = f->f_ptr;
	*len = f->f_len;
	while (*len && ((*s)[0] == ' ' || (*s)[0] == '\t'))
		(*s)++, (*len)--;
	while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
	if (*len == 3 && memcmp(*s, "-0-", 3) == 0)
		*len = 0;
}

/* An entry number: 1 to 9 digits. */
static int ent_num(const sg_csv_field *f, uint32_t *num)
{
	const char *s;
	size_t len;
	uint64_t v = 0;
	field_text(f, &s, &len);
	if (!len || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*num = (uint32_t)v;
	return 0;
}

/* Whether the record is the 0x1A (DOS end-of-file) byte OFAC ends with. */
static int eof_record(const sg_csv_record *rec)
{
	return rec->r_nfields == 1 && rec->r_fields[0].f_len >= 1 && rec->r_fields[0].f_ptr[0] == 0x1a;
}

int ig_ofac_kind(const char *data, size_t len)
{
	size_t fields = 1, i = 0;
	int quoted = 0, digits = 1;
	char third[8];
	size_t tl = 0;

	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (i >= len || data[i] < '0' || data[i] > '9')
		return IG_OFAC_NONE;
	for (; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
		char c = data[i];
		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (c == ',' && !quoted) {
			fields++;
			continue;
		}
		if (fields == 1 && (c < '0' || c > '9'))
			digits = 0;
		if (fields == 3 && tl < sizeof third - 1)
			third[tl++] = (char)(c | 0x20);
	}
	third[tl] = 0;
	if (!digits)
		return IG_OFAC_NONE;
	switch (fields) {
	case 12: return IG_OFAC_SDN_FILE;
	case 6: return IG_OFAC_ADD;
	case 5: return strcmp(third, "aka") == 0 || strcmp(third, "fka") == 0 || strcmp(third, "nka") == 0 ?
		    IG_OFAC_ALT : IG_OFAC_NONE;
	case 2: return IG_OFAC_COMMENTS;
	default: return IG_OFAC_NONE;
	}
}

/* ---------------------------------------------------------------- notes */

static int unknown_country(void *arg, const of_entry *e, const char *what, const char *text, size_t len)
{
	ofac *o = arg;
	return ig_note(o->o_r, 'n', "%s:%llu: %s \"%.*s\" has no ISO 3166 code: kept as %s_raw", e->e_file->f_name,
	    (unsigned long long)e->e_line, what, (int)len, text, what) == GR_OK ? 0 : -1;
}

/* ---------------------------------------------------------------- sdn.csv */

static int add_program(of_entry *e, const char *s, size_t len)
{
	char **np;
	while (len && (*s == '[' || *s == ' '))
		s++, len--;
	while (len && (s[len - 1] == ']' || s[len - 1] == ' '))
		len--;
	if (!len)
		return 0;
	for (size_t i = 0; i < e->e_nprograms; i++)
		if (strlen(e->e_programs[i]) == len && memcmp(e->e_programs[i], s, len) == 0)
			return 0;
	if (!(np = realloc(e->e_programs, (e->e_nprograms + 1) * sizeof *np)))
		return -1;
	e->e_programs = np;
	return (np[e->e_nprograms] = strndup(s, len)) ? (e->e_nprograms++, 0) : -1;
}

/* "IRAN] [NPWMD] [IFSR": the programs, split at "] [". */
static int programs(of_entry *e, const char *s, size_t len)
{
	const char *end = s + len;
	while (s < end) {
		const char *sep = NULL;
		for (const char *p = s; p + 1 < end; p++)
			if (p[0] == ']' && p[1] == ' ') {
				sep = p;
				break;
			}
		if (add_program(e, s, (size_t)((sep ? sep : end) - s)) < 0)
			return -1;
		s = sep ? sep + 1 : end;
	}
	return 0;
}

/* Tonnage and GRT: digits with thousands commas ("318,000"). */
static int tonnage(of_entry *e, const char *name, const char *s, size_t len)
{
	int64_t v = 0;
	size_t digits = 0;
	char raw[32];
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ',')
			continue;
		if (s[i] < '0' || s[i] > '9' || ++digits > 15) {
			snprintf(raw, sizeof raw, "%s_raw", name);
			return of_set(&e->e_props, raw, gr_string(s, len));
		}
		v = v * 10 + (s[i] - '0');
	}
	return digits ? of_set(&e->e_props, name, gr_int(v)) : 0;
}

static of_entry *new_entry(ofac *o)
{
	if (o->o_nents == o->o_capents) {
		size_t cap = o->o_capents ? o->o_capents * 2 : 1024;
		of_entry *ne = realloc(o->o_ents, cap * sizeof *ne);
		if (!ne)
			return NULL;
		o->o_ents = ne;
		o->o_capents = cap;
	}
	memset(&o->o_ents[o->o_nents], 0, sizeof o->o_ents[0]);
	return &o->o_ents[o->o_nents++];
}

/* One sdn.csv record into a new entry. */
static int sdn_record(ofac *o, const ig_file *f, const sg_csv_record *rec)
{
	ig_run *r = o->o_r;
	const sg_csv_field *fl = rec->r_fields;
	of_entry *e;
	const char *s;
	size_t len;
	uint32_t num, dup;

	if (rec->r_nfields != 12)
		return ig_bad(r, f, rec->r_line, "an SDN record has 12 fields, this one %zu", rec->r_nfields);
	if (ent_num(&fl[0], &num) < 0)
		return ig_bad(r, f, rec->r_line, "ent_num \"%.*s\" is not a number", (int)fl[0].f_len, fl[0].f_ptr);
	if (ig_map_get(o->o_bynum, 0, (const char *)&num, 4, &dup))
		return ig_bad(r, f, rec->r_line, "entry %u is listed twice", num);
	field_text(&fl[1], &s, &len);
	if (!len)
		return ig_bad(r, f, rec->r_line, "entry %u has no name", num);
	if (!(e = new_entry(o)))
		goto nomem;
	e->e_file = f;
	e->e_line = rec->r_line;
	e->e_num = num;
	if (!(e->e_name = strndup(s, len)))
		goto nomem;
	field_text(&fl[2], &s, &len);
	e->e_type = len == 10 && strncasecmp(s, "individual", 10) == 0 ? OT_PERSON :
	    len == 6 && strncasecmp(s, "vessel", 6) == 0 ? OT_VESSEL :
	    len == 8 && strncasecmp(s, "aircraft", 8) == 0 ? OT_AIRCRAFT : OT_COMPANY;
	snprintf(e->e_key, sizeof e->e_key, "ofac-%u", num);
	if (ig_map_put(o->o_bynum, 0, (const char *)&num, 4, (uint32_t)(o->o_nents - 1)) < 0 ||
	    of_set(&e->e_props, "name", gr_string(e->e_name, strlen(e->e_name))) < 0)
		goto nomem;
	field_text(&fl[3], &s, &len);
	if (programs(e, s, len) < 0)
		goto nomem;
	field_text(&fl[4], &s, &len);
	if (len && of_set(&e->e_props, "title", gr_string(s, len)) < 0)
		goto nomem;
	field_text(&fl[5], &s, &len);
	if (len && of_set(&e->e_props, "call_sign", gr_string(s, len)) < 0)
		goto nomem;
	field_text(&fl[6], &s, &len);
	if (len && of_set(&e->e_props, "type", gr_string(s, len)) < 0)
		goto nomem;
	field_text(&fl[7], &s, &len);
	if (tonnage(e, "tonnage", s, len) < 0)
		goto nomem;
	field_text(&fl[8], &s, &len);
	if (tonnage(e, "gross_tonnage", s, len) < 0)
		goto nomem;
	field_text(&fl[9], &s, &len);
	if (len) {
		const char *code = ig_country_code(s, len);
		if (code ? of_set(&e->e_props, "flag", gr_string(code, 2)) < 0 :
		    !(len == 15 && memcmp(s, "None Identified", 15) == 0) &&
		    (unknown_country(o, e, "flag", s, len) < 0 || of_set(&e->e_props, "flag_raw", gr_string(s, len)) < 0))
			goto nomem;
	}
	field_text(&fl[10], &s, &len);
	if (len && of_set(&e->e_props, "owner", gr_string(s, len)) < 0)
		goto nomem;
	field_text(&fl[11], &s, &len);
	if (len && !(e->e_remarks = strndup(s, len)))
		goto nomem;
	e->e_remarks_len = len;
	return GR_OK;
nomem:
	return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
}

/* Reads a file's records, calling fn for each; the 0x1A record is skipped. */
static int each_record(ofac *o, const ig_file *f, int (*fn)(ofac *, const ig_file *, const sg_csv_record *))
{
	char why[256];
	sg_csv *c = sg_csv_open_mem(f->f_data, f->f_len, f->f_name, ',', why, sizeof why);
	sg_csv_record rec;
	int got, rc = GR_OK;
	if (!c)
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "%s", why);
	sg_csv_set_strict(c, 0);
	while (rc == GR_OK && (got = sg_csv_next(c, &rec)) == 1) {
		uint64_t done, total;
		if (eof_record(&rec))
			continue;
		rc = fn(o, f, &rec);
		sg_csv_progress(c, &done, &total);
		ig_progress(o->o_r, f, done, o->o_nents, 0);
	}
	if (rc == GR_OK && got < 0)
		rc = gr_fail(o->o_r->r_err, GR_EINVALID, "%s", sg_csv_error(c));
	ig_progress(o->o_r, f, f->f_len, o->o_nents, 1);
	sg_csv_close(c);
	return rc;
}

/* ---------------------------------------------------------------- companion files */

/* The entry a companion record is about, or NULL (reported as bad). */
static of_entry *entry_of(ofac *o, const ig_file *f, const sg_csv_record *rec, size_t nfields, int *rc)
{
	uint32_t num, idx;
	*rc = GR_OK;
	if (rec->r_nfields != nfields) {
		*rc = ig_bad(o->o_r, f, rec->r_line, "expected %zu fields, found %zu", nfields, rec->r_nfields);
		return NULL;
	}
	if (ent_num(&rec->r_fields[0], &num) < 0) {
		*rc = ig_bad(o->o_r, f, rec->r_line, "Ent_num \"%.*s\" is not a number", (int)rec->r_fields[0].f_len,
		    rec->r_fields[0].f_ptr);
		return NULL;
	}
	if (!ig_map_get(o->o_bynum, 0, (const char *)&num, 4, &idx)) {
		*rc = ig_bad(o->o_r, f, rec->r_line, "entry %u is not in %s", num, o->o_sdn->f_name);
		return NULL;
	}
	return &o->o_ents[idx];
}

/* sdn_comments.csv: Ent_num, the rest of the Remarks. */
static int comment_record(ofac *o, const ig_file *f, const sg_csv_record *rec)
{
	int rc;
	of_entry *e = entry_of(o, f, rec, 2, &rc);
	size_t len;
	char *nr;
	if (!e)
		return rc;
	/* the text as it is: it continues the Remarks mid-word */
	len = rec->r_fields[1].f_len;
	if (!(nr = realloc(e->e_remarks, e->e_remarks_len + len + 1)))
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	if (rec->r_fields[1].f_len)
		memcpy(nr + e->e_remarks_len, rec->r_fields[1].f_ptr, rec->r_fields[1].f_len);
	e->e_remarks = nr;
	e->e_remarks_len += rec->r_fields[1].f_len;
	nr[e->e_remarks_len] = 0;
	return GR_OK;
}

/* add.csv: Ent_num, Add_num, Address, City/State/Province/Postal Code,
 * Country, Add_remarks: a one-line address, and the country as a code. */
static int address_record(ofac *o, const ig_file *f, const sg_csv_record *rec)
{
	int rc;
	of_entry *e = entry_of(o, f, rec, 6, &rc);
	char line[1024];
	size_t n = 0;
	if (!e)
		return rc;
	for (size_t i = 2; i <= 4; i++) {
		const char *s;
		size_t len;
		field_text(&rec->r_fields[i], &s, &len);
		if (!len)
			continue;
		n += (size_t)snprintf(line + n, sizeof line - n, "%s%.*s", n ? ", " : "", (int)len, s);
		if (n >= sizeof line)
			n = sizeof line - 1;
		if (i == 4) {
			const char *code = ig_country_code(s, len);
			if (code ? of_push(&e->e_props, "countries", gr_string(code, 2)) < 0 :
			    unknown_country(o, e, "country", s, len) < 0)
				return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
		}
	}
	if (n && of_push(&e->e_props, "addresses", gr_string(line, n)) < 0)
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

/* alt.csv: Ent_num, alt_num, alt_type, alt_name, alt_remarks. */
static int alias_record(ofac *o, const ig_file *f, const sg_csv_record *rec)
{
	int rc;
	of_entry *e = entry_of(o, f, rec, 5, &rc);
	const char *type, *name;
	size_t tlen, nlen;
	if (!e)
		return rc;
	field_text(&rec->r_fields[2], &type, &tlen);
	field_text(&rec->r_fields[3], &name, &nlen);
	if (!nlen)
		return GR_OK;
	if (tlen == 3 && strncasecmp(type, "aka", 3) == 0)
		rc = of_push(&e->e_props, "aliases", gr_string(name, nlen));
	else if (tlen == 3 && strncasecmp(type, "fka", 3) == 0)
		rc = of_push(&e->e_props, "past_names", gr_string(name, nlen));
	else if (tlen == 3 && strncasecmp(type, "nka", 3) == 0)
		/* now known as: the new name, the old one kept */
		rc = of_push(&e->e_props, "past_names", gr_string(e->e_name, strlen(e->e_name))) < 0 ? -1 :
		    of_set(&e->e_props, "name", gr_string(name, nlen));
	else
		return ig_bad(o->o_r, f, rec->r_line, "alt_type \"%.*s\" is none of aka, fka, nka", (int)tlen, type);
	return rc < 0 ? gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
}

/* ---------------------------------------------------------------- reading the files */

/* Sorts the inputs by kind and reads them: sdn.csv first. */
static int read_files(ofac *o, const ig_file *const *files, size_t n)
{
	const ig_file *by_kind[5][8];
	size_t count[5] = { 0 };
	int rc = GR_OK;

	for (size_t i = 0; i < n; i++) {
		int k = ig_ofac_kind(files[i]->f_data, files[i]->f_len);
		if (k == IG_OFAC_NONE)
			return gr_fail(o->o_r->r_err, GR_EINVALID, "%s: not an OFAC SDN file (sdn.csv, add.csv, alt.csv "
			    "or sdn_comments.csv)", files[i]->f_name);
		if (count[k] == 8)
			return gr_fail(o->o_r->r_err, GR_EUSAGE, "%s: too many files of one kind", files[i]->f_name);
		by_kind[k][count[k]++] = files[i];
	}
	if (count[IG_OFAC_SDN_FILE] != 1)
		return gr_fail(o->o_r->r_err, GR_EUSAGE, count[IG_OFAC_SDN_FILE] ?
		    "give one sdn.csv per import (%s and %s are both SDN lists)" :
		    "the OFAC files need their sdn.csv in the same import%s%s", count[IG_OFAC_SDN_FILE] ?
		    by_kind[IG_OFAC_SDN_FILE][0]->f_name : "", count[IG_OFAC_SDN_FILE] ? by_kind[IG_OFAC_SDN_FILE][1]->f_name : "");
	o->o_sdn = by_kind[IG_OFAC_SDN_FILE][0];
	rc = each_record(o, o->o_sdn, sdn_record);
	for (size_t i = 0; rc == GR_OK && i < count[IG_OFAC_COMMENTS]; i++)
		rc = each_record(o, by_kind[IG_OFAC_COMMENTS][i], comment_record);
	for (size_t i = 0; rc == GR_OK && i < o->o_nents; i++)
		if (o->o_ents[i].e_remarks_len) {
			of_entry *e = &o->o_ents[i];
			if (of_set(&e->e_props, "remarks", gr_string(e->e_remarks, e->e_remarks_len)) < 0 ||
			    of_parse_remarks(e, unknown_country, o) < 0)
				rc = gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
		}
	for (size_t i = 0; rc == GR_OK && i < count[IG_OFAC_ADD]; i++)
		rc = each_record(o, by_kind[IG_OFAC_ADD][i], address_record);
	for (size_t i = 0; rc == GR_OK && i < count[IG_OFAC_ALT]; i++)
		rc = each_record(o, by_kind[IG_OFAC_ALT][i], alias_record);
	/* one country among the addresses is the entry's country */
	for (size_t i = 0; rc == GR_OK && i < o->o_nents; i++) {
		of_entry *e = &o->o_ents[i];
		const gr_value *c = of_get(&e->e_props, "countries");
		if (c && c->u.list.n == 1 && of_set(&e->e_props, "country", gr_string(c->u.list.items[0].u.s.ptr, 2)) < 0)
			rc = gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	}
	return rc;
}

/* ---------------------------------------------------------------- the graph as it was */

static int sym(ofac *o, const char *name, uint16_t *id)
{
	int rc = ig_sym(o->o_r, name, strlen(name), 1, id);
	return rc == GR_OK ? GR_OK : gr_fail(o->o_r->r_err, rc, "cannot store the name %s", name);
}

/* The date of an "ofac-sdn-YYYY-MM-DD" key, or -1. */
static int list_key_date(const char *key, size_t len, int32_t *days)
{
	if (len != 19 || memcmp(key, "ofac-sdn-", 9) != 0)
		return -1;
	return gr_parse_date(key + 9, 10, days) == 0 ? 0 : -1;
}

/* Finds the Sources of earlier lists (and the newest one's date) and the
 * SANCTIONED_UNDER edges that cite them. */
static int read_old_lists(ofac *o, int32_t *newest)
{
	gr_txn *t = o->o_r->r_txn;
	uint16_t source = gr_sym_cached(t, "Source"), sanction = 0;
	uint32_t id;
	gr_nodes ns;
	gr_rels it;
	int rc = GR_OK;

	*newest = -0x7fffffff;
	if (!source)
		return GR_OK;
	gr_nodes_open(t, source, &ns, o->o_r->r_err);
	while (gr_nodes_next(&ns) == 1) {
		const char *key;
		size_t klen;
		int32_t d;
		uint32_t *na;
		id = ns.ns_id;
		if (gr_node_key_get(t, id, &key, &klen) != GR_OK || list_key_date(key, klen, &d) < 0)
			goto next;
		if (d > *newest)
			*newest = d;
		if (!(na = realloc(o->o_sources, (o->o_nsources + 1) * sizeof *na)))
			return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
		o->o_sources = na;
		na[o->o_nsources++] = id;
next:
		;
	}
	if (!o->o_nsources || gr_sym(t, "Sanction", 8, 0, &sanction) != GR_OK)
		return GR_OK;
	if ((rc = gr_rels_open(t, &it, o->o_r->r_err)) != GR_OK) {
		gr_rels_close(&it);
		return rc;
	}
	gr_nodes_open(t, sanction, &ns, o->o_r->r_err);
	while (rc == GR_OK && gr_nodes_next(&ns) == 1) {
		gr_rel a;
		int got;
		id = ns.ns_id;
		if ((rc = gr_rels_seek(&it, id, GR_IN, o->o_sym_su, 0)) != GR_OK)
			break;
		while (rc == GR_OK && (got = gr_rels_next(&it, &a)) == 1) {
			gr_edge e;
			int ofac_cited = 0;
			gr_edge_init(&e);
			e.e_id = a.r_edge;
			e.e_src = a.r_nbr;
			e.e_dst = id;
			e.e_type = o->o_sym_su;
			if ((rc = gr_edge_load_props(t, &e, o->o_r->r_err)) != GR_OK)
				break;
			for (size_t c = 0; c < e.e_ncites && !ofac_cited; c++)
				for (size_t s = 0; s < o->o_nsources; s++)
					ofac_cited |= e.e_cites[c].c_source == o->o_sources[s];
			if (ofac_cited) {
				old_edge *no;
				uint32_t pair[2] = { a.r_nbr, id };
				if (o->o_nold == o->o_capold) {
					size_t cap = o->o_capold ? o->o_capold * 2 : 1024;
					if (!(no = realloc(o->o_old, cap * sizeof *no)))
						rc = gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
					else
						o->o_old = no, o->o_capold = cap;
				}
				if (rc == GR_OK) {
					no = &o->o_old[o->o_nold];
					no->o_src = a.r_nbr;
					no->o_dst = id;
					no->o_edge = a.r_edge;
					no->o_delisted = o->o_sym_delisted && gr_props_get(e.e_props, e.e_nprops, o->o_sym_delisted);
					no->o_seen = 0;
					if (ig_map_put(o->o_oldmap, 0, (const char *)pair, 8, (uint32_t)o->o_nold++) < 0 ||
					    (!no->o_delisted && ig_map_put(o->o_oldmap, 1, (const char *)&a.r_nbr, 4, 1) < 0))
						rc = gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
				}
			}
			gr_edge_clear(&e);
		}
	}
	gr_rels_close(&it);
	return rc;
}

/* ---------------------------------------------------------------- nodes */

/* What put_node found. */
typedef struct put_result {
	int pr_existed;          /* the node was there before */
	char pr_changed[256];    /* names of the properties that changed, ", "-separated */
	int pr_nchanged;
} put_result;

/*
 * Adds or merges node n (its props and citations taken) through the bulk
 * loader, unless the node exists and already holds every property value
 * and the citation: then nothing is written (a re-import is a no-op).
 */
static int put_node(ofac *o, gr_node *n, uint32_t *id, put_result *res, uint64_t line)
{
	ig_run *r = o->o_r;
	gr_node cur;
	uint32_t existing;
	int rc, same = 1;

	memset(res, 0, sizeof *res);
	*id = 0;
	if (gr_bulk_lookup(r->r_bulk, n->n_labels[0], n->n_key, n->n_keylen, &existing) == GR_OK) {
		res->pr_existed = 1;
		if ((rc = gr_node_load(r->r_txn, existing, &cur, r->r_err)) != GR_OK)
			return rc;
		for (size_t i = 0; i < n->n_nprops; i++) {
			const gr_value *v = gr_props_get(cur.n_props, cur.n_nprops, n->n_props[i].p_key);
			if (!v || !gr_value_equal(v, &n->n_props[i].p_val)) {
				size_t l = strlen(res->pr_changed);
				const char *name = gr_sym_name(r->r_txn, n->n_props[i].p_key, NULL);
				same = 0;
				res->pr_nchanged++;
				snprintf(res->pr_changed + l, sizeof res->pr_changed - l, "%s%s", l ? ", " : "", name);
			}
		}
		for (size_t i = 0; i < n->n_ncites && same; i++) {
			size_t c = 0;
			while (c < cur.n_ncites && (cur.n_cites[c].c_source != n->n_cites[i].c_source ||
			    cur.n_cites[c].c_conf != n->n_cites[i].c_conf))
				c++;
			same = c < cur.n_ncites;
		}
		for (size_t i = 1; i < n->n_nlabels && same; i++)
			same = gr_node_has_label(&cur, n->n_labels[i]);
		gr_node_clear(&cur);
		if (same) {
			*id = existing;
			r->r_stats.s_nodes++;
			return GR_OK;
		}
	}
	if ((rc = gr_bulk_node(r->r_bulk, n, id, r->r_err)) != GR_OK)
		return ig_graph_error(r, o->o_sdn, line, rc, r->r_err);
	r->r_stats.s_nodes++;
	return GR_OK;
}

/* A node of one label and key, citing the list. */
static int node_start(ofac *o, gr_node *n, const char *label, const char *key)
{
	uint16_t l;
	int rc;
	gr_node_init(n);
	if ((rc = sym(o, label, &l)) != GR_OK)
		return rc;
	if (!(n->n_labels = malloc(sizeof *n->n_labels)) || !(n->n_key = strdup(key)))
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	n->n_labels[0] = l;
	n->n_nlabels = 1;
	n->n_keylen = strlen(key);
	if (o->o_source && gr_cites_add(&n->n_cites, &n->n_ncites, o->o_source, GR_CONFIRMED))
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

static int node_prop(ofac *o, gr_node *n, const char *name, gr_value v)
{
	uint16_t k;
	int rc;
	if ((rc = sym(o, name, &k)) != GR_OK) {
		gr_value_free(&v);
		return rc;
	}
	return gr_props_set(&n->n_props, &n->n_nprops, k, v) ? gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
}

/* The list's Source node. */
static int write_source(ofac *o)
{
	gr_node n;
	put_result res;
	char key[32], title[96];
	int rc;
	snprintf(key, sizeof key, "ofac-sdn-%s", o->o_datestr);
	snprintf(title, sizeof title, "OFAC Specially Designated Nationals (SDN) list of %s", o->o_datestr);
	o->o_source = 0;
	if ((rc = node_start(o, &n, "Source", key)) == GR_OK &&
	    (rc = node_prop(o, &n, "title", gr_cstring(title))) == GR_OK &&
	    (rc = node_prop(o, &n, "publisher", gr_cstring(OFAC_PUBLISHER))) == GR_OK &&
	    (rc = node_prop(o, &n, "kind", gr_cstring("sanctions-list"))) == GR_OK &&
	    (rc = node_prop(o, &n, "date", gr_date(o->o_date))) == GR_OK &&
	    (rc = node_prop(o, &n, "url", gr_cstring("https://www.treasury.gov/ofac/downloads/sdn.csv"))) == GR_OK)
		rc = put_node(o, &n, &o->o_source, &res, 0);
	gr_node_clear(&n);
	return rc;
}

/* The Sanction node of a program (made once per import). */
static int program_node(ofac *o, const char *prog, uint32_t *id)
{
	gr_node n;
	put_result res;
	int rc;
	if (ig_map_get(o->o_progs, 0, prog, strlen(prog), id))
		return GR_OK;
	if ((rc = node_start(o, &n, "Sanction", prog)) == GR_OK &&
	    (rc = node_prop(o, &n, "program", gr_cstring(prog))) == GR_OK &&
	    (rc = node_prop(o, &n, "name", gr_cstring(prog))) == GR_OK &&
	    (rc = node_prop(o, &n, "authority", gr_cstring(OFAC_PUBLISHER))) == GR_OK &&
	    (rc = put_node(o, &n, id, &res, 0)) == GR_OK &&
	    ig_map_put(o->o_progs, 0, prog, strlen(prog), *id) < 0)
		rc = gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	gr_node_clear(&n);
	return rc;
}

/* Adds "Label:key" to the node's merged_keys (the old ones kept), so that
 * an IMO-keyed vessel is also found as Vessel:ofac-N. */
static int alias_key(ofac *o, gr_node *n, const of_entry *e)
{
	char alias[40];
	gr_value list = gr_list(2);
	uint16_t mk;
	uint32_t existing;
	int rc;
	snprintf(alias, sizeof alias, "Vessel:ofac-%u", e->e_num);
	if ((rc = sym(o, "merged_keys", &mk)) != GR_OK)
		return rc;
	if (gr_bulk_lookup(o->o_r->r_bulk, n->n_labels[0], n->n_key, n->n_keylen, &existing) == GR_OK) {
		gr_value old = gr_null();
		if (gr_node_prop(o->o_r->r_txn, existing, mk, &old) == GR_OK && old.type == GR_LIST) {
			gr_value_free(&list);
			list = old;
		} else {
			gr_value_free(&old);
		}
	}
	for (size_t i = 0; i < list.u.list.n; i++)
		if (list.u.list.items[i].type == GR_STRING && list.u.list.items[i].u.s.len == strlen(alias) &&
		    memcmp(list.u.list.items[i].u.s.ptr, alias, strlen(alias)) == 0)
			return gr_props_set(&n->n_props, &n->n_nprops, mk, list) ? gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
	if (gr_list_push(&list, gr_cstring(alias)) != 0) {
		gr_value_free(&list);
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	}
	return gr_props_set(&n->n_props, &n->n_nprops, mk, list) ? gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory") : GR_OK;
}

/* Writes an entry's node; res says whether it was there and what changed. */
static int write_entry(ofac *o, of_entry *e, put_result *res)
{
	gr_node n;
	gr_value saved = gr_null();
	int rc;

	if ((rc = node_start(o, &n, type_labels[e->e_type], e->e_key)) != GR_OK)
		goto done;
	for (size_t i = 0; i < e->e_props.p_n && rc == GR_OK; i++) {
		rc = node_prop(o, &n, e->e_props.p_names[i], e->e_props.p_vals[i]);
		e->e_props.p_vals[i] = gr_null();
	}
	if (rc == GR_OK && e->e_type == OT_VESSEL && e->e_key[0] == 'I')
		rc = alias_key(o, &n, e);
	if (rc == GR_OK && (rc = ig_aliases_save(o->o_r, &n, &saved)) == GR_OK) {
		rc = put_node(o, &n, &e->e_node, res, e->e_line);
		if (rc == GR_OK)
			rc = ig_aliases_note(o->o_r, &saved, e->e_node, e->e_node != 0);
		else
			gr_value_free(&saved);
	}
done:
	gr_node_clear(&n);
	return rc;
}

/* ---------------------------------------------------------------- edges */

/* A new edge citing the list, with `listed` for SANCTIONED_UNDER. */
static int new_edge(ofac *o, uint32_t src, uint16_t type, uint32_t dst, uint64_t line)
{
	ig_run *r = o->o_r;
	gr_edge e;
	int rc = GR_OK;
	gr_edge_init(&e);
	e.e_src = src;
	e.e_dst = dst;
	e.e_type = type;
	if ((type == o->o_sym_su && gr_props_set(&e.e_props, &e.e_nprops, o->o_sym_listed, gr_date(o->o_date))) ||
	    gr_cites_add(&e.e_cites, &e.e_ncites, o->o_source, GR_CONFIRMED))
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	else if ((rc = gr_bulk_edge(r->r_bulk, &e, r->r_err)) != GR_OK)
		rc = ig_graph_error(r, o->o_sdn, line, rc, r->r_err);
	else
		r->r_stats.s_edges++;
	gr_edge_clear(&e);
	return rc;
}

/* Whether an edge already cites the list (as confirmed). */
static int cites_list(const ofac *o, const gr_edge *e)
{
	for (size_t i = 0; i < e->e_ncites; i++)
		if (e->e_cites[i].c_source == o->o_source && e->e_cites[i].c_conf == GR_CONFIRMED)
			return 1;
	return 0;
}

/* An edge of an earlier list that this list repeats: the citation added,
 * `delisted` turned into `relisted`, `listed` moved back for an older
 * list.  Nothing is written when nothing changes. */
static int repeat_edge(ofac *o, old_edge *old)
{
	ig_run *r = o->o_r;
	gr_edge e;
	const gr_value *listed;
	int rc, dirty = 0;

	gr_edge_init(&e);
	if ((rc = gr_edge_load(r->r_txn, old->o_src, old->o_edge, &e, r->r_err)) != GR_OK)
		return rc;
	if (!cites_list(o, &e)) {
		if (gr_cites_add(&e.e_cites, &e.e_ncites, o->o_source, GR_CONFIRMED))
			goto nomem;
		dirty = 1;
	}
	if (old->o_delisted) {
		if (gr_props_set(&e.e_props, &e.e_nprops, o->o_sym_delisted, gr_null()) ||
		    gr_props_set(&e.e_props, &e.e_nprops, o->o_sym_relisted, gr_date(o->o_date)))
			goto nomem;
		dirty = 1;
	}
	listed = gr_props_get(e.e_props, e.e_nprops, o->o_sym_listed);
	if (!listed || (listed->type == GR_DATE && listed->u.date > o->o_date)) {
		if (gr_props_set(&e.e_props, &e.e_nprops, o->o_sym_listed, gr_date(o->o_date)))
			goto nomem;
		dirty = 1;
	}
	if (dirty)
		rc = gr_edge_save(r->r_txn, &e, r->r_err);
	gr_edge_clear(&e);
	return rc;
nomem:
	gr_edge_clear(&e);
	return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
}

/* The programs of an entry: *gained counts programs new to it, and the
 * entry's old edges are marked as seen. */
static int write_programs(ofac *o, of_entry *e, int *gained, int *relisted)
{
	ig_run *r = o->o_r;
	int rc = GR_OK;
	*gained = *relisted = 0;
	for (size_t i = 0; i < e->e_nprograms && rc == GR_OK; i++) {
		uint32_t prog, idx, pair[2];
		if ((rc = program_node(o, e->e_programs[i], &prog)) != GR_OK || !prog)
			continue;
		pair[0] = e->e_node;
		pair[1] = prog;
		if (ig_map_get(o->o_links, 1, (const char *)pair, 8, &idx))
			continue;   /* two entries of one vessel: one edge */
		if (ig_map_put(o->o_links, 1, (const char *)pair, 8, 1) < 0)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		if (ig_map_get(o->o_oldmap, 0, (const char *)pair, 8, &idx)) {
			old_edge *old = &o->o_old[idx];
			old->o_seen = 1;
			*relisted += old->o_delisted;
			if (!o->o_r->r_opt->o_dry_run)
				rc = repeat_edge(o, old);
		} else {
			(*gained)++;
			if (!o->o_r->r_opt->o_dry_run)
				rc = new_edge(o, e->e_node, o->o_sym_su, prog, e->e_line);
		}
	}
	return rc;
}

/* ---------------------------------------------------------------- Linked To */

/* The folded names (namespace 2 of o_byname), made on first need: most
 * "Linked To" names are written exactly as the entry's. */
static int index_folded(ofac *o)
{
	if (o->o_folded)
		return GR_OK;
	if (!(o->o_folded = calloc(o->o_nents ? o->o_nents : 1, sizeof *o->o_folded)))
		return -1;
	for (size_t i = 0; i < o->o_nents; i++) {
		const char *name = o->o_ents[i].e_name;
		size_t fl;
		uint32_t v;
		if (!(o->o_folded[i] = gr_fold(name, strlen(name), &fl)) ||
		    ig_map_put(o->o_byname, 2, o->o_folded[i], fl, ig_map_get(o->o_byname, 2, o->o_folded[i], fl, &v) ?
		    IG_AMBIGUOUS : (uint32_t)i + 1) < 0)
			return -1;
	}
	return GR_OK;
}

/* The entries named `name` (their indexes in ids, at most max; *n of
 * them): the exact name, then the exact name without a final full stop
 * that may be the remark's, then the folded name.  -1 when out of memory. */
static long entries_named(ofac *o, const of_link *l, uint32_t *ids, size_t max)
{
	size_t len = strlen(l->l_name), tl = len, n = 0, fl = 0;
	uint32_t v;
	char *f = NULL;
	int found = ig_map_get(o->o_byname, 1, l->l_name, len, &v);

	if (!found && l->l_final && len > 1 && l->l_name[len - 1] == '.')
		found = ig_map_get(o->o_byname, 1, l->l_name, tl = len - 1, &v);
	if (!found) {
		if (index_folded(o) < 0 || !(f = gr_fold(l->l_name, len, &fl)))
			return -1;
		found = ig_map_get(o->o_byname, 2, f, fl, &v);
	}
	if (found && v != IG_AMBIGUOUS) {
		ids[n++] = v - 1;
	} else if (found) {
		/* several entries share the name: find them all */
		for (size_t i = 0; i < o->o_nents && n < max; i++)
			if (f ? strcmp(o->o_folded[i], f) == 0 :
			    strlen(o->o_ents[i].e_name) == tl && memcmp(o->o_ents[i].e_name, l->l_name, tl) == 0)
				ids[n++] = (uint32_t)i;
	}
	free(f);
	return (long)n;
}

/* The exact name index (namespace 1): index + 1, or IG_AMBIGUOUS. */
static int index_names(ofac *o)
{
	for (size_t i = 0; i < o->o_nents; i++) {
		const char *name = o->o_ents[i].e_name;
		size_t len = strlen(name);
		uint32_t v;
		if (ig_map_put(o->o_byname, 1, name, len, ig_map_get(o->o_byname, 1, name, len, &v) ?
		    IG_AMBIGUOUS : (uint32_t)i + 1) < 0)
			return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

/* A LINKED_TO edge from src to dst citing the list: the one there is
 * (cited), or a new one. */
static int link_edge(ofac *o, uint32_t src, uint32_t dst, uint64_t line)
{
	ig_run *r = o->o_r;
	uint32_t pair[2] = { src, dst }, v;
	gr_rels it;
	gr_rel a;
	int found = 0, rc = GR_OK;

	if (!src || !dst || ig_map_get(o->o_links, 2, (const char *)pair, 8, &v))
		return GR_OK;
	if (ig_map_put(o->o_links, 2, (const char *)pair, 8, 1) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (r->r_opt->o_dry_run)
		return GR_OK;
	if ((rc = gr_rels_open(r->r_txn, &it, r->r_err)) == GR_OK &&
	    (rc = gr_rels_seek(&it, src, GR_OUT, o->o_sym_lt, dst)) == GR_OK && gr_rels_next(&it, &a) == 1 &&
	    a.r_nbr == dst && a.r_type == o->o_sym_lt)
		found = 1;
	gr_rels_close(&it);
	if (rc != GR_OK)
		return rc;
	if (found) {
		gr_edge e;
		gr_edge_init(&e);
		if ((rc = gr_edge_load(r->r_txn, src, a.r_edge, &e, r->r_err)) == GR_OK && !cites_list(o, &e)) {
			if (gr_cites_add(&e.e_cites, &e.e_ncites, o->o_source, GR_CONFIRMED))
				rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
			else
				rc = gr_edge_save(r->r_txn, &e, r->r_err);
		}
		gr_edge_clear(&e);
		return rc;
	}
	return new_edge(o, src, o->o_sym_lt, dst, line);
}

/* The Company an unmatched "Linked To" name becomes. */
static int unresolved_node(ofac *o, const char *name, size_t len, uint32_t *id)
{
	gr_node n;
	put_result res;
	size_t fl;
	char *f = gr_fold(name, len, &fl), *key;
	int rc;
	if (!f || !(key = malloc(fl + 11))) {
		free(f);
		return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < fl; i++)
		if (f[i] == ' ')
			f[i] = '-';
	snprintf(key, fl + 11, "ofac-name-%s", f);
	free(f);
	if ((rc = node_start(o, &n, "Company", key)) == GR_OK &&
	    (rc = node_prop(o, &n, "name", gr_string(name, len))) == GR_OK &&
	    (rc = node_prop(o, &n, "unresolved", gr_bool(1))) == GR_OK)
		rc = put_node(o, &n, id, &res, 0);
	gr_node_clear(&n);
	free(key);
	return rc;
}

static int write_links(ofac *o, of_entry *e)
{
	int rc = GR_OK;
	for (size_t i = 0; i < e->e_nlinks && rc == GR_OK; i++) {
		const of_link *l = &e->e_links[i];
		uint32_t ids[8], dst;
		long got = entries_named(o, l, ids, 8);
		size_t n = got > 0 ? (size_t)got : 0;
		if (got < 0)
			return gr_fail(o->o_r->r_err, GR_ENOMEM, "out of memory");
		if (n > 1) {
			char list[256];
			size_t off = 0;
			for (size_t k = 0; k < n; k++)
				if ((off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", k ? ", " : "",
				    o->o_ents[ids[k]].e_key)) >= sizeof list)
					off = sizeof list - 1;
			rc = ig_note(o->o_r, 'n', "%s:%llu: \"Linked To: %s\" names %zu entries (%s): linked to each",
			    e->e_file->f_name, (unsigned long long)e->e_line, l->l_name, n, list);
		}
		for (size_t k = 0; k < n && rc == GR_OK; k++)
			rc = link_edge(o, e->e_node, o->o_ents[ids[k]].e_node, e->e_line);
		if (n || rc != GR_OK)
			continue;
		/* no entry of that name: the remark's full stop is not part of it */
		size_t len = strlen(l->l_name);
		if (l->l_final && len > 1 && l->l_name[len - 1] == '.')
			len--;
		if ((rc = unresolved_node(o, l->l_name, len, &dst)) == GR_OK)
			rc = ig_note(o->o_r, 'n', "%s:%llu: \"Linked To: %.*s\" names no entry: linked to an unresolved Company",
			    e->e_file->f_name, (unsigned long long)e->e_line, (int)len, l->l_name);
		if (rc == GR_OK)
			rc = link_edge(o, e->e_node, dst, e->e_line);
	}
	return rc;
}

/* ---------------------------------------------------------------- delisting */

static int cmp_old_src(const void *a, const void *b)
{
	const old_edge *x = a, *y = b;
	return x->o_src < y->o_src ? -1 : x->o_src > y->o_src ? 1 : (x->o_dst > y->o_dst) - (x->o_dst < y->o_dst);
}

/* The program (Sanction key) of node id, for messages. */
static void node_key(ofac *o, uint32_t id, char *buf, size_t n)
{
	if (gr_node_ref(o->o_r->r_txn, id, buf, n) != GR_OK)
		snprintf(buf, n, "#%u", id);
}

/* Marks the old edges this list does not repeat as delisted; counts the
 * entries that left the list (every program gone) and those that lost
 * some.  `listed` holds the nodes of this list's entries (ig_map, ns 3). */
static int delist(ofac *o, ig_map *listed)
{
	ig_run *r = o->o_r;
	int rc = GR_OK;
	if (o->o_nold)
		qsort(o->o_old, o->o_nold, sizeof *o->o_old, cmp_old_src);
	for (size_t i = 0; i < o->o_nold && rc == GR_OK;) {
		size_t j = i;
		uint32_t v;
		int gone = 0, in_list = ig_map_get(listed, 3, (const char *)&o->o_old[i].o_src, 4, &v);
		char progs[512] = "", ref[128];
		size_t off = 0;
		for (; j < o->o_nold && o->o_old[j].o_src == o->o_old[i].o_src && rc == GR_OK; j++) {
			old_edge *old = &o->o_old[j];
			gr_edge e;
			if (old->o_seen || old->o_delisted)
				continue;
			gone++;
			if (r->r_opt->o_dry_run) {
				char pk[128];
				const char *colon;
				node_key(o, old->o_dst, pk, sizeof pk);
				colon = strchr(pk, ':');
				if ((off += (size_t)snprintf(progs + off, sizeof progs - off, "%s%s", off ? ", " : "",
				    colon ? colon + 1 : pk)) >= sizeof progs)
					off = sizeof progs - 1;
				continue;
			}
			gr_edge_init(&e);
			if ((rc = gr_edge_load(r->r_txn, old->o_src, old->o_edge, &e, r->r_err)) == GR_OK) {
				if (gr_props_set(&e.e_props, &e.e_nprops, o->o_sym_delisted, gr_date(o->o_date)))
					rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
				else
					rc = gr_edge_save(r->r_txn, &e, r->r_err);
			}
			gr_edge_clear(&e);
		}
		if (gone && !in_list) {
			r->r_stats.s_delisted++;
			if (r->r_opt->o_dry_run) {
				node_key(o, o->o_old[i].o_src, ref, sizeof ref);
				rc = ig_note(r, 'd', "- %s delisted from %s", ref, progs);
			}
		} else if (gone) {
			/* still listed, under fewer programs: changed */
			if (v == 2) {
				r->r_stats.s_unchanged--;
				r->r_stats.s_changed++;
			}
			if (r->r_opt->o_dry_run) {
				node_key(o, o->o_old[i].o_src, ref, sizeof ref);
				rc = ig_note(r, 'd', "~ %s delisted from %s only", ref, progs);
			}
		}
		i = j;
	}
	return rc;
}

/* ---------------------------------------------------------------- the import */

static void ofac_free(ofac *o)
{
	for (size_t i = 0; i < o->o_nents; i++)
		of_entry_free(&o->o_ents[i]);
	free(o->o_ents);
	for (size_t i = 0; o->o_folded && i < o->o_nents; i++)
		free(o->o_folded[i]);
	free(o->o_folded);
	free(o->o_sources);
	free(o->o_old);
	ig_map_free(o->o_bynum);
	ig_map_free(o->o_byname);
	ig_map_free(o->o_oldmap);
	ig_map_free(o->o_links);
	ig_map_free(o->o_progs);
}

/* The list date from --list-date, and the refusal of an older list. */
static int settle_date(ofac *o, int32_t newest)
{
	const ig_options *opt = o->o_r->r_opt;
	char nb[16];
	if (!opt->o_list_date)
		return gr_fail(o->o_r->r_err, GR_EUSAGE, "ofac-sdn needs --list-date DATE: the files do not say when "
		    "they were published");
	if (strlen(opt->o_list_date) != 10 || gr_parse_date(opt->o_list_date, 10, &o->o_date) != 0)
		return gr_fail(o->o_r->r_err, GR_EUSAGE, "--list-date: \"%s\" is not a date (YYYY-MM-DD)", opt->o_list_date);
	gr_format_date(o->o_date, o->o_datestr);
	if (newest > o->o_date && !opt->o_force) {
		gr_format_date(newest, nb);
		return gr_fail(o->o_r->r_err, GR_EINVALID, "the list of %s is older than the newest one imported (%s): "
		    "give --force to import it all the same", o->o_datestr, nb);
	}
	return GR_OK;
}

/* One entry: its node, its programs, and what changed for the diff. */
static int entry(ofac *o, of_entry *e, ig_map *listed)
{
	ig_run *r = o->o_r;
	put_result res;
	int gained, relisted, rc, had_old;
	uint32_t v;

	if ((rc = write_entry(o, e, &res)) != GR_OK || !e->e_node)
		return rc;
	if (ig_map_get(listed, 3, (const char *)&e->e_node, 4, &v) &&
	    (rc = ig_note(r, 'n', "%s:%llu: entry %u has the key %s of an earlier entry: one node for both",
	    e->e_file->f_name, (unsigned long long)e->e_line, e->e_num, e->e_key)) != GR_OK)
		return rc;
	had_old = ig_map_get(o->o_oldmap, 1, (const char *)&e->e_node, 4, &v);
	if ((rc = write_programs(o, e, &gained, &relisted)) != GR_OK)
		return rc;
	if (!had_old) {
		r->r_stats.s_added++;
		if (r->r_opt->o_dry_run)
			rc = ig_note(r, 'd', "+ %s:%s %s%s", type_labels[e->e_type], e->e_key, e->e_name,
			    relisted ? " (relisted)" : "");
	} else if (gained || relisted || res.pr_nchanged) {
		r->r_stats.s_changed++;
		if (r->r_opt->o_dry_run)
			rc = ig_note(r, 'd', "~ %s:%s %s: %s%s%s", type_labels[e->e_type], e->e_key, e->e_name,
			    gained || relisted ? "programs added" : "", (gained || relisted) && res.pr_nchanged ? ", " : "",
			    res.pr_changed);
	} else {
		r->r_stats.s_unchanged++;
	}
	/* what delist() needs to know: 1 added, 2 unchanged, 3 changed */
	if (rc == GR_OK && ig_map_put(listed, 3, (const char *)&e->e_node, 4,
	    !had_old ? 1 : gained || relisted || res.pr_nchanged ? 3 : 2) < 0)
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return rc;
}

int ig_import_ofac(ig_run *r, const ig_file *const *files, size_t n)
{
	ofac o;
	ig_map *listed = NULL;
	int32_t newest;
	int rc;

	memset(&o, 0, sizeof o);
	o.o_r = r;
	if (!(o.o_bynum = ig_map_new()) || !(o.o_byname = ig_map_new()) || !(o.o_oldmap = ig_map_new()) ||
	    !(o.o_links = ig_map_new()) || !(o.o_progs = ig_map_new()) || !(listed = ig_map_new())) {
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = sym(&o, "SANCTIONED_UNDER", &o.o_sym_su)) != GR_OK || (rc = sym(&o, "LINKED_TO", &o.o_sym_lt)) != GR_OK ||
	    (rc = sym(&o, "listed", &o.o_sym_listed)) != GR_OK || (rc = sym(&o, "delisted", &o.o_sym_delisted)) != GR_OK ||
	    (rc = sym(&o, "relisted", &o.o_sym_relisted)) != GR_OK)
		goto done;
	if ((rc = read_old_lists(&o, &newest)) != GR_OK || (rc = settle_date(&o, newest)) != GR_OK)
		goto done;
	if ((rc = read_files(&o, files, n)) != GR_OK || (rc = index_names(&o)) != GR_OK)
		goto done;
	if ((rc = write_source(&o)) != GR_OK)
		goto done;
	r->r_stats.s_list = 1;
	for (size_t i = 0; i < o.o_nents && rc == GR_OK; i++)
		rc = entry(&o, &o.o_ents[i], listed);
	for (size_t i = 0; i < o.o_nents && rc == GR_OK; i++)
		if (o.o_ents[i].e_node)
			rc = write_links(&o, &o.o_ents[i]);
	if (rc == GR_OK)
		rc = delist(&o, listed);
done:
	ig_map_free(listed);
	ofac_free(&o);
	return rc;
}
