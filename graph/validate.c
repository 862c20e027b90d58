/*
 * validate.c: normalising and checking records against the built-in schema
 * at the door: temporal properties, endpoint labels, identifiers, and near
 * misses of built-in names.  See validate.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph_int.h"
#include "validate.h"
#include "claim.h"

static const char *const builtin_labels[] = {
	"Vessel", "Port", "Company", "Person", "Source", "Cargo", "Sanction", "Organization", "LegalEntity", NULL
};

static const char *const builtin_types[] = {
	"CALLED_AT", "SIGHTED_AT", "AIS_GAP", "ENCOUNTERED", "TRANSFERRED_TO", "CARRIED", "LOADED_AT",
	"DELIVERED_TO", "OWNED_BY", "MANAGED_BY", "OPERATED_BY", "DIRECTOR_OF", "SANCTIONED_UNDER",
	"LINKED_TO", NULL
};


/* ---- near misses ---- */

/* Whether a and b (same case) are one edit apart: a substitution, an
 * insertion, a deletion or two neighbours swapped. */
static int one_edit(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i = 0;
	if (la > lb + 1 || lb > la + 1)
		return 0;
	while (i < la && i < lb && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i]))
		i++;
	if (la == lb) {
		if (i == la)
			return 1;
		if (strncasecmp(a + i + 1, b + i + 1, la - i - 1) == 0)
			return 1;   /* substitution */
		return i + 1 < la && tolower((unsigned char)a[i]) == tolower((unsigned char)b[i + 1]) &&
		    tolower((unsigned char)a[i + 1]) == tolower((unsigned char)b[i]) &&
		    strncasecmp(a + i + 2, b + i + 2, la - i - 2) == 0;
	}
	if (la > lb)
		return strncasecmp(a + i + 1, b + i, lb - i) == 0;
	return strncasecmp(a + i, b + i + 1, la - i) == 0;
}

int gr_builtin_near_miss(const char *name, size_t len, int is_type, const char **builtin)
{
	const char *const *names = is_type ? builtin_types : builtin_labels;
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return 0;
	for (size_t i = 0; names[i]; i++) {
		size_t bl = strlen(names[i]);
		if ((bl == len && strncasecmp(names[i], name, len) == 0) ||
		    (bl >= 5 && one_edit(name, len, names[i], bl))) {
			*builtin = names[i];
			return 1;
		}
	}
	return 0;
}

int gr_builtin_name_check(const char *name, size_t len, int is_type, gr_error *err)
{
	const char *b;
	if (!gr_builtin_near_miss(name, len, is_type, &b))
		return GR_OK;
	return gr_fail(err, GR_EINVALID, "%s %.*s: did you mean the built-in %s %s? (a near miss skips its checks)",
	    is_type ? "type" : "label", (int)(len > 64 ? 64 : len), name, is_type ? "type" : "label", b);
}

/* ---- partial dates ---- */

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int gr_parse_partial_date(const char *s, size_t len, int last, gr_value *out, const char **precision)
{
	int64_t y;
	unsigned m = 1, d = 1;
	*precision = NULL;
	*out = gr_value_from_text(s, len);
	if (out->type == GR_DATE || out->type == GR_DATETIME)
		return 0;
	gr_value_free(out);
	if (len == 4 && digits(s, 4)) {
		*precision = "year";
		y = atoi(s);
		if (last) {
			m = 12;
			d = 31;
		}
	} else if (len == 7 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2)) {
		*precision = "month";
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
		if (m < 1 || m > 12)
			return -1;
		if (last) {
			static const unsigned mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
			d = mdays[m - 1] + (m == 2 && is_leap(y));
		}
	} else {
		return -1;
	}
	*out = gr_date(gr_days_from_civil(y, m, d));
	return 0;
}

/* ---- temporal properties ---- */

static int temporal_kind(gr_txn *t, uint16_t key);

static int coarser(const char *a, const char *b)
{
	/* year > month > NULL */
	if (!b)
		return 0;
	return !a || (strcmp(b, "year") == 0 && strcmp(a, "month") == 0);
}

/* Normalises and checks the temporal properties of a property array; `who`
 * (or NULL) names the record in messages. */
static int check_temporals(gr_txn *t, gr_prop **props, size_t *np, const char *who, gr_error *err)
{
	const char *precision = NULL;
	int rc;
	for (size_t i = 0; i < *np; i++) {
		size_t len;
		const char *name, *prec = NULL;
		gr_value *v = &(*props)[i].p_val, nv;
		int kind = (*props)[i].p_key ? temporal_kind(t, (*props)[i].p_key) : 0, last = kind == 2;
		char text[32];
		if (!kind || v->type == GR_DATE || v->type == GR_DATETIME)
			continue;
		name = gr_sym_name(t, (*props)[i].p_key, &len);
		if (v->type == GR_INT && v->u.i >= 1000 && v->u.i <= 9999) {
			snprintf(text, sizeof text, "%lld", (long long)v->u.i);
			if (gr_parse_partial_date(text, 4, last, &nv, &prec) < 0)
				return gr_fail(err, GR_EINVALID, "%s%s%.*s: %s is not a date", who ? who : "", who ? ": " : "", (int)len, name, text);
		} else if (v->type != GR_STRING || gr_parse_partial_date(v->u.s.ptr, v->u.s.len, last, &nv, &prec) < 0) {
			gr_buf b = { 0 };
			gr_value_text(&b, v);
			rc = gr_fail(err, GR_EINVALID,
			    "%s%s%.*s: \"%.*s\" is not an ISO-8601 date (YYYY-MM-DD, YYYY-MM or YYYY) or datetime",
			    who ? who : "", who ? ": " : "", (int)len, name, (int)(b.b_len > 64 ? 64 : b.b_len), b.b_data ? (char *)b.b_data : "");
			gr_buf_free(&b);
			return rc;
		}
		gr_value_free(v);
		*v = nv;
		if (coarser(precision, prec))
			precision = prec;
	}
	if (precision) {
		uint16_t k;
		if ((rc = gr_sym(t, "precision", 9, 1, &k)) != GR_OK)
			return gr_fail(err, rc, "cannot add property precision");
		if (gr_props_set(props, np, k, gr_cstring(precision)) != GR_OK)
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

/* start <= end, compared as instants where both are datetimes and as
 * days otherwise. */
static int check_order(gr_txn *t, const gr_prop *p, size_t np, const char *who, gr_error *err)
{
	uint16_t ks, ke;
	const gr_value *s, *e;
	int32_t ds, de;
	int later;
	if (!(ks = gr_symc(t, SYM_START)) || !(ke = gr_symc(t, SYM_END)) ||
	    !(s = gr_props_get(p, np, ks)) || !(e = gr_props_get(p, np, ke)))
		return GR_OK;
	if (s->type == GR_DATETIME && e->type == GR_DATETIME)
		later = s->u.dt.dt_secs > e->u.dt.dt_secs ||
		    (s->u.dt.dt_secs == e->u.dt.dt_secs && s->u.dt.dt_nanos > e->u.dt.dt_nanos);
	else if (gr_value_utc_day(s, &ds) == 0 && gr_value_utc_day(e, &de) == 0)
		later = ds > de;
	else
		return GR_OK;
	if (later) {
		char a[64], b[64];
		gr_buf x = { 0 }, y = { 0 };
		gr_value_text(&x, s);
		gr_value_text(&y, e);
		snprintf(a, sizeof a, "%.*s", (int)x.b_len, x.b_data ? (char *)x.b_data : "");
		snprintf(b, sizeof b, "%.*s", (int)y.b_len, y.b_data ? (char *)y.b_data : "");
		gr_buf_free(&x);
		gr_buf_free(&y);
		return gr_fail(err, GR_EINVALID, "%s%sstart %s is after end %s", who ? who : "", who ? ": " : "", a, b);
	}
	return GR_OK;
}

/* ---- endpoint labels ---- */

/* The labels the endpoint rules name, one bit each: a node's labels are
 * read once per transaction as a mask (an import checks millions of edges
 * against a few thousand nodes), and the rules test masks. */
enum {
	LB_VESSEL = 1 << 0, LB_PORT = 1 << 1, LB_CARGO = 1 << 2, LB_SANCTION = 1 << 3, LB_PERSON = 1 << 4,
	LB_SOURCE = 1 << 5, LB_COMPANY = 1 << 6, LB_ORGANIZATION = 1 << 7, LB_LEGALENTITY = 1 << 8,
	LB_KNOWN = 1 << 15   /* in the caches: the entry is filled */
};
static const char *const rule_labels[] = { "Vessel", "Port", "Cargo", "Sanction", "Person", "Source", "Company",
	"Organization", "LegalEntity", NULL };
#define LB_NODE_CACHE_MAX (1u << 24)   /* node ids cached; above, read each time */

/* The rule bits of label symbol sym (memoised per transaction). */
static unsigned label_bits(gr_txn *t, uint16_t sym)
{
	const char *name;
	unsigned m = LB_KNOWN;
	if (!t->x_labbits && !(t->x_labbits = calloc(65536, sizeof *t->x_labbits)))
		return 0;
	if (t->x_labbits[sym])
		return t->x_labbits[sym] & ~LB_KNOWN;
	name = gr_sym_name(t, sym, NULL);
	for (size_t i = 0; name && rule_labels[i]; i++)
		if (strcmp(name, rule_labels[i]) == 0)
			m |= 1u << i;
	t->x_labbits[sym] = (uint16_t)m;
	return m & ~LB_KNOWN;
}

static int node_cache_fit(gr_txn *t, uint32_t id)
{
	size_t n;
	uint16_t *nc;
	if (id < t->x_nnodebits)
		return 1;
	if (id >= LB_NODE_CACHE_MAX)
		return 0;
	for (n = t->x_nnodebits ? t->x_nnodebits : 4096; n <= id; n *= 2)
		;
	if (!(nc = realloc(t->x_nodebits, n * sizeof *nc)))
		return 0;
	memset(nc + t->x_nnodebits, 0, (n - t->x_nnodebits) * sizeof *nc);
	t->x_nodebits = nc;
	t->x_nnodebits = n;
	return 1;
}

/* The rule bits of node id's labels (its first 16); 0 for no node. */
static unsigned labels_of(gr_txn *t, uint32_t id)
{
	uint16_t ids[16];
	size_t n = 0;
	unsigned m = 0;
	if (id < t->x_nnodebits && t->x_nodebits[id])
		return t->x_nodebits[id] & ~LB_KNOWN;
	if (gr_node_labels(t, id, ids, 16, &n) != GR_OK)
		return 0;
	for (size_t i = 0; i < n && i < 16; i++)
		m |= label_bits(t, ids[i]);
	if (node_cache_fit(t, id))
		t->x_nodebits[id] = (uint16_t)(m | LB_KNOWN);
	return m;
}

void gr_node_labels_changed(gr_txn *t, uint32_t id)
{
	if (id < t->x_nnodebits)
		t->x_nodebits[id] = 0;
}

#define L_VESSEL LB_VESSEL
#define L_PORT LB_PORT
#define L_CARGO LB_CARGO
#define L_SANCTION LB_SANCTION
#define L_VESSEL_PORT (LB_VESSEL | LB_PORT)
#define L_NOT_OWNER (LB_PERSON | LB_PORT | LB_SOURCE | LB_SANCTION | LB_CARGO)
#define L_OWNER (LB_COMPANY | LB_ORGANIZATION | LB_LEGALENTITY | LB_PERSON)
#define L_BODY (LB_COMPANY | LB_ORGANIZATION | LB_LEGALENTITY)
#define L_DIRECTOR (LB_PERSON | LB_COMPANY | LB_ORGANIZATION | LB_LEGALENTITY)

typedef struct endpoint_rule {
	const char *type;
	unsigned from;             /* 0: any */
	int from_not;              /* from lists what the start may NOT be */
	unsigned to;
	const char *from_text, *to_text;
} endpoint_rule;

static const endpoint_rule rules[] = {
	{ "CALLED_AT", L_VESSEL, 0, L_PORT, "a Vessel", "a Port" },
	{ "SIGHTED_AT", L_VESSEL, 0, L_PORT, "a Vessel", "a Port" },
	{ "AIS_GAP", L_VESSEL, 0, L_VESSEL_PORT, "a Vessel", "the same Vessel or a Port" },
	{ "ENCOUNTERED", L_VESSEL, 0, L_VESSEL, "a Vessel", "a Vessel" },
	{ "TRANSFERRED_TO", L_VESSEL, 0, L_VESSEL, "a Vessel", "a Vessel" },
	{ "CARRIED", L_VESSEL, 0, L_CARGO, "a Vessel", "a Cargo" },
	{ "LOADED_AT", L_CARGO, 0, L_PORT, "a Cargo", "a Port" },
	{ "DELIVERED_TO", L_CARGO, 0, L_PORT, "a Cargo", "a Port" },
	{ "OWNED_BY", L_NOT_OWNER, 1, L_OWNER, "anything but a Person, Port, Source, Sanction or Cargo",
	  "a Company, Organization, LegalEntity or Person" },
	{ "MANAGED_BY", L_NOT_OWNER, 1, L_OWNER, "anything but a Person, Port, Source, Sanction or Cargo",
	  "a Company, Organization, LegalEntity or Person" },
	{ "OPERATED_BY", L_NOT_OWNER, 1, L_OWNER, "anything but a Person, Port, Source, Sanction or Cargo",
	  "a Company, Organization, LegalEntity or Person" },
	{ "DIRECTOR_OF", L_DIRECTOR, 0, L_BODY, "a Person, Company, Organization or LegalEntity",
	  "a Company, Organization or LegalEntity" },
	{ "SANCTIONED_UNDER", 0, 0, L_SANCTION, "any node", "a Sanction" },
	{ "LINKED_TO", 0, 0, 0, NULL, NULL },
};

static const endpoint_rule *rule_of(const char *type, size_t len)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strlen(rules[i].type) == len && memcmp(rules[i].type, type, len) == 0)
			return &rules[i];
	return NULL;
}

/* What a symbol is to the checks, memoised per transaction (symbols never
 * change meaning): bit 7 known, bits 0-1 temporal kind (1 first day of a
 * partial period, 2 last), bits 2-6 the endpoint rule + 1. */
static unsigned symkind(gr_txn *t, uint16_t sym)
{
	static const char *const first[] = { "date", "start", "since", "listed", NULL };
	static const char *const last[] = { "end", "until", "delisted", NULL };
	const endpoint_rule *r;
	const char *name;
	size_t len;
	unsigned k = 0x80;
	if (!t->x_symkind && !(t->x_symkind = calloc(65536, 1)))
		return 0;
	if (t->x_symkind[sym])
		return t->x_symkind[sym];
	name = gr_sym_name(t, sym, &len);
	for (size_t i = 0; first[i]; i++)
		if (strlen(first[i]) == len && memcmp(first[i], name, len) == 0)
			k |= 1;
	for (size_t i = 0; last[i]; i++)
		if (strlen(last[i]) == len && memcmp(last[i], name, len) == 0)
			k |= 2;
	if ((r = rule_of(name, len)) != NULL)
		k |= (unsigned)((r - rules) + 1) << 2;
	t->x_symkind[sym] = (unsigned char)k;
	return k;
}

/* 1: a temporal property taking the first day of a partial period, 2:
 * the last, 0: not temporal. */
static int temporal_kind(gr_txn *t, uint16_t key)
{
	return (int)(symkind(t, key) & 3);
}

/* Checks the endpoint labels; 0, or -1 with *which ("from" or "to"). */
static int endpoints_ok(gr_txn *t, const gr_edge *e, const endpoint_rule *r, const char **which)
{
	unsigned from, to;
	int ok_from, ok_to;
	if (!r->from && !r->to)
		return 0;
	from = labels_of(t, e->e_src);
	to = labels_of(t, e->e_dst);
	ok_from = !r->from || (r->from_not ? !(from & r->from) : (from & r->from) != 0);
	ok_to = !r->to || (to & r->to) != 0;
	if (ok_to && strcmp(r->type, "AIS_GAP") == 0 && !(to & L_PORT) && e->e_dst != e->e_src)
		ok_to = 0;
	*which = !ok_from ? "from" : !ok_to ? "to" : NULL;
	return *which ? -1 : 0;
}

/* "Vessel:X -[TYPE]-> Port:Y", for messages (built only on an error). */
static void edge_who(gr_txn *t, const gr_edge *e, const char *type, char *who, size_t n)
{
	char a[260], b[260];
	gr_node_ref(t, e->e_src, a, sizeof a);
	gr_node_ref(t, e->e_dst, b, sizeof b);
	snprintf(who, n, "%s -[%s]-> %s", a, type, b);
}

int gr_edge_check(gr_txn *t, gr_edge *e, gr_error *err)
{
	unsigned k = symkind(t, e->e_type);
	const char *which;
	const endpoint_rule *r = (k >> 2) & 31 ? &rules[((k >> 2) & 31) - 1] : NULL;
	char who[600];
	int rc;
	for (size_t i = 0; i < e->e_ncites; i++)
		if (e->e_cites[i].c_conf < GR_CONFIRMED || e->e_cites[i].c_conf > GR_SUSPECTED)
			return gr_fail(err, GR_EINVALID, "unknown confidence");
	if (!r)
		return GR_OK;
	if (endpoints_ok(t, e, r, &which) < 0) {
		edge_who(t, e, r->type, who, sizeof who);
		if (*which == 'f')
			return gr_fail(err, GR_EINVALID, "%s: from: %s starts at %s (reversed or mislabelled?)", who, r->type,
			    r->from_text);
		return gr_fail(err, GR_EINVALID, "%s: to: %s ends at %s (reversed or mislabelled?)", who, r->type, r->to_text);
	}
	/* the messages name the record: on an error, check again with it */
	if ((rc = check_temporals(t, &e->e_props, &e->e_nprops, NULL, err)) != GR_OK ||
	    (rc = check_order(t, e->e_props, e->e_nprops, NULL, err)) != GR_OK) {
		if (err) {
			char msg[sizeof err->msg];
			edge_who(t, e, r->type, who, sizeof who);
			snprintf(msg, sizeof msg, "%s", err->msg);
			gr_fail(err, rc, "%s: %s", who, msg);
		}
		return rc;
	}
	return GR_OK;
}

/* ---- nodes ---- */

int gr_imo_key_normalise(const char *key, size_t len, char *out)
{
	size_t i = 0;
	if (len >= 3 && strncasecmp(key, "IMO", 3) == 0) {
		i = 3;
		if (i < len && (key[i] == ' ' || key[i] == '-' || key[i] == ':'))
			i++;
	}
	if (len - i != 7 || !digits(key + i, 7))
		return -1;
	memcpy(out, "IMO", 3);
	memcpy(out + 3, key + i, 7);
	out[10] = 0;
	return len != 10 || memcmp(out, key, 10) != 0;
}

/* An identifier given as an integer becomes its digits; an `imo` in IMO
 * form becomes its 7 digits. */
static int normalise_ident(gr_txn *t, gr_node *n, const char *name, int imo)
{
	uint16_t k;
	gr_value *v = NULL;
	char buf[32];
	if (gr_sym(t, name, strlen(name), 0, &k) != GR_OK)
		return GR_OK;
	for (size_t i = 0; i < n->n_nprops; i++)
		if (n->n_props[i].p_key == k)
			v = &n->n_props[i].p_val;
	if (!v)
		return GR_OK;
	if (v->type == GR_INT) {
		int l = snprintf(buf, sizeof buf, "%lld", (long long)v->u.i);
		*v = gr_string(buf, (size_t)l);   /* an integer owns nothing */
		return v->type == GR_STRING ? GR_OK : GR_ENOMEM;
	}
	if (imo && v->type == GR_STRING && v->u.s.len != 7 && gr_imo_key_normalise(v->u.s.ptr, v->u.s.len, buf) >= 0) {
		gr_value nv = gr_string(buf + 3, 7);
		if (nv.type != GR_STRING)
			return GR_ENOMEM;
		gr_value_free(v);
		*v = nv;
	}
	return GR_OK;
}

int gr_node_normalise(gr_txn *t, gr_node *n, gr_error *err)
{
	uint16_t vessel = gr_symc(t, SYM_VESSEL), source = gr_symc(t, SYM_SOURCE);
	char key[11];
	int rc;
	if (normalise_ident(t, n, "imo", 0) || normalise_ident(t, n, "mmsi", 0) ||
	    normalise_ident(t, n, "call_sign", 0))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (vessel && gr_node_has_label(n, vessel)) {
		key[0] = 0;
		if (normalise_ident(t, n, "imo", 1))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		if (n->n_labels[0] == vessel && n->n_keylen && gr_imo_key_normalise(n->n_key, n->n_keylen, key) == 1) {
			char *nk = strdup(key);
			if (!nk)
				return gr_fail(err, GR_ENOMEM, "out of memory");
			free(n->n_key);
			n->n_key = nk;
			n->n_keylen = 10;
		}
	}
	if (source && gr_node_has_label(n, source)) {
		char who[300];
		snprintf(who, sizeof who, "Source:%.200s", n->n_key ? n->n_key : "");
		if ((rc = check_temporals(t, &n->n_props, &n->n_nprops, who, err)) != GR_OK)
			return rc;
		return check_order(t, n->n_props, n->n_nprops, who, err);
	}
	return GR_OK;
}
