/*
 * find.c: case- and accent-insensitive search over the text index: names,
 * past names and aliases by substring of their normalised form; keys, IMO,
 * MMSI and call signs exactly.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "graph_int.h"
#include "fold.h"

typedef struct find_ctx {
	gr_txn *t;
	const char *q;          /* folded query */
	size_t qlen;
	const char *raw;        /* the query as given, trimmed */
	size_t rawlen;
	uint16_t label;
	gr_hit *hits;
	size_t n, cap;
	int oom;
} find_ctx;

static int add_hit(find_ctx *c, char kind, const char *text, size_t len, uint32_t node)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->hits[i].h_node == node)
			return 0;
	if (c->label && !gr_node_has_label_id(c->t, node, c->label))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		gr_hit *nh = realloc(c->hits, cap * sizeof *nh);
		if (!nh) {
			c->oom = 1;
			return 1;
		}
		c->hits = nh;
		c->cap = cap;
	}
	c->hits[c->n].h_node = node;
	c->hits[c->n].h_kind = kind;
	c->hits[c->n].h_text = strndup(text, len);
	if (!c->hits[c->n].h_text) {
		c->oom = 1;
		return 1;
	}
	c->n++;
	return c->n >= 10000;
}

static int exact_cb(void *arg, char kind, const char *text, size_t len, uint32_t node)
{
	find_ctx *c = arg;
	return add_hit(c, kind, text, len, node);
}

static int substr_cb(void *arg, char kind, const char *text, size_t len, uint32_t node)
{
	find_ctx *c = arg;
	if (kind != 'n' && kind != 'p' && kind != 'a')
		return 0;
	if (c->qlen <= len && memmem(text, len, c->q, c->qlen))
		return add_hit(c, kind, text, len, node);
	return 0;
}

/* Exact lookups of kind `kind` for `s`: collects entries equal to s. */
typedef struct eq_ctx { find_ctx *c; size_t len; } eq_ctx;

static int eq_cb(void *arg, char kind, const char *text, size_t len, uint32_t node)
{
	eq_ctx *e = arg;
	if (len != e->len)
		return 1;   /* sorted: past the exact entries */
	return exact_cb(e->c, kind, text, len, node);
}

static int find_exact(find_ctx *c, char kind, const char *s, size_t len)
{
	eq_ctx e = { c, len };
	if (!len)
		return ST_OK;
	return st_ident_scan(c->t->x_st, kind, s, len, eq_cb, &e);
}

/* Keys equal to the query as given or upper-cased, under every label. */
static void find_keys(find_ctx *c)
{
	char up[ST_MAX_KEY + 1];
	uint16_t sym = 0;
	const char *name;
	size_t nlen;
	uint32_t node;
	if (c->rawlen == 0 || c->rawlen > ST_MAX_KEY)
		return;
	for (size_t i = 0; i < c->rawlen; i++)
		up[i] = (char)toupper((unsigned char)c->raw[i]);
	up[c->rawlen] = 0;
	for (;;) {
		if (st_key_get(c->t->x_st, sym, c->raw, c->rawlen, &node) == ST_OK)
			add_hit(c, 'k', c->raw, c->rawlen, node);
		if (st_key_get(c->t->x_st, sym, up, c->rawlen, &node) == ST_OK)
			add_hit(c, 'k', up, c->rawlen, node);
		if (sym == 0xffff || st_sym_next(c->t->x_st, &sym, &name, &nlen) != ST_OK)
			break;
	}
}

/* The stored text whose folded form is `folded`, among the strings of v
 * (a string or a list of them); NULL when none folds to it. */
static const gr_value *stored_form(const gr_value *v, const char *folded)
{
	if (v->type == GR_LIST) {
		for (size_t i = 0; i < v->u.list.n; i++) {
			const gr_value *r = stored_form(&v->u.list.items[i], folded);
			if (r)
				return r;
		}
		return NULL;
	}
	if (v->type == GR_STRING) {
		size_t fl;
		char *f = gr_fold(v->u.s.ptr, v->u.s.len, &fl);
		int same = f && strcmp(f, folded) == 0;
		free(f);
		return same ? v : NULL;
	}
	return NULL;
}

/* The index holds names, past names, aliases and call signs folded: a hit
 * shows the text as the node stores it (`SOCIETE MARITIME OCEANE S.A.`,
 * not `societe maritime oceane s a`).  A hit whose text is no longer found
 * keeps the folded form. */
static int unfold_hit(gr_txn *t, gr_hit *h)
{
	static const struct { char kind; int sym; } fields[] = {
		{ 'n', SYM_NAME }, { 'p', SYM_PAST_NAMES }, { 'a', SYM_ALIASES },
		{ 'a', SYM_MERGED_KEYS }, { 'c', SYM_CALL_SIGN },
	};
	gr_node n;
	const gr_value *v = NULL;
	if (!strchr("npac", h->h_kind) || gr_node_load(t, h->h_node, &n, NULL) != GR_OK)
		return 0;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !v; i++) {
		uint16_t sym = fields[i].kind == h->h_kind ? gr_symc(t, fields[i].sym) : 0;
		const gr_value *pv = sym ? gr_props_get(n.n_props, n.n_nprops, sym) : NULL;
		if (pv)
			v = stored_form(pv, h->h_text);
	}
	if (v) {
		char *s = strndup(v->u.s.ptr, v->u.s.len);
		if (!s) {
			gr_node_clear(&n);
			return -1;
		}
		free(h->h_text);
		h->h_text = s;
	}
	gr_node_clear(&n);
	return 0;
}

int gr_find(gr_txn *t, const char *text, uint16_t label, gr_hit **hits, size_t *n, gr_error *err)
{
	find_ctx c = { 0 };
	char digits[32];
	size_t nd = 0, fl;
	char *folded;
	int rc;

	*hits = NULL;
	*n = 0;
	while (isspace((unsigned char)*text))
		text++;
	c.t = t;
	c.label = label;
	c.raw = text;
	c.rawlen = strlen(text);
	while (c.rawlen && isspace((unsigned char)text[c.rawlen - 1]))
		c.rawlen--;
	if (!(folded = gr_fold(text, c.rawlen, &fl)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	c.q = folded;
	c.qlen = fl;
	if (!fl) {
		free(folded);
		return gr_fail(err, GR_EUSAGE, "nothing to search for");
	}
	/* identifiers: digits of the query, with an "IMO" prefix or not */
	for (size_t i = 0; i < c.rawlen && nd + 1 < sizeof digits; i++)
		if (isdigit((unsigned char)text[i]))
			digits[nd++] = text[i];
		else if (!(i < 3 && strncasecmp(text, "IMO", 3) == 0) && !isspace((unsigned char)text[i])) {
			nd = 0;
			break;
		}
	digits[nd] = 0;
	rc = ST_OK;
	if (nd == 7) {
		char key[40];   /* "IMO" + digits (7 here; the size satisfies -Wformat-truncation) */
		uint16_t vessel = gr_symc(t, SYM_VESSEL);
		uint32_t node;
		rc = find_exact(&c, 'i', digits, nd);
		snprintf(key, sizeof key, "IMO%s", digits);   /* IMO-keyed vessels */
		if (vessel && st_key_get(t->x_st, vessel, key, 10, &node) == ST_OK)
			add_hit(&c, 'i', digits, nd, node);
	}
	if (rc == ST_OK && nd == 9)
		rc = find_exact(&c, 'm', digits, nd);
	if (rc == ST_OK)
		rc = find_exact(&c, 'c', c.q, c.qlen);
	if (rc == ST_OK)
		find_keys(&c);
	if (rc == ST_OK) {
		rc = st_ident_scan(t->x_st, 'n', "", 0, substr_cb, &c);
		if (rc == ST_OK)
			rc = st_ident_scan(t->x_st, 'p', "", 0, substr_cb, &c);
		if (rc == ST_OK)
			rc = st_ident_scan(t->x_st, 'a', "", 0, substr_cb, &c);
	}
	free(folded);
	for (size_t i = 0; i < c.n && !c.oom && !rc; i++)
		if (unfold_hit(t, &c.hits[i]) < 0)
			c.oom = 1;
	if (c.oom || rc) {
		gr_hits_free(c.hits, c.n);
		return c.oom ? gr_fail(err, GR_ENOMEM, "out of memory") : gr_st_err(rc, err, "search");
	}
	*hits = c.hits;
	*n = c.n;
	return GR_OK;
}

void gr_hits_free(gr_hit *hits, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(hits[i].h_text);
	free(hits);
}
