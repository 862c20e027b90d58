/*
 * ftm_said.c: which FollowTheMoney dataset said what, and saying it again
 * (see ftm_said.h for the record and the rules).
 *
 * The record rides on the item it describes, so it is written, merged,
 * exported and checked with the item, and the item's citations stay the
 * one place that says which sources back it: the record only says which
 * values each FtM dataset gave, so that a delta's MOD can take back the
 * values and citations that dataset no longer gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftm_said.h"
#include "import_ftm.h"

/* One (entity, dataset) statement and the hashes of the values it gave. */
typedef struct said_ent {
	char *se_id, *se_ds;
	uint32_t *se_h;
	size_t se_nh;
} said_ent;

typedef struct said {
	said_ent *s_e;
	size_t s_n, s_cap;
} said;

static void said_clear(said *s)
{
	for (size_t i = 0; i < s->s_n; i++) {
		free(s->s_e[i].se_id);
		free(s->s_e[i].se_ds);
		free(s->s_e[i].se_h);
	}
	free(s->s_e);
	memset(s, 0, sizeof *s);
}

/* Appends a statement; the strings and hashes are copied. */
static int said_add(said *s, const char *id, size_t idlen, const char *ds, size_t dslen, const uint32_t *h, size_t nh)
{
	said_ent *e;
	if (s->s_n == s->s_cap) {
		size_t cap = s->s_cap ? s->s_cap * 2 : 4;
		said_ent *ne = realloc(s->s_e, cap * sizeof *ne);
		if (!ne)
			return -1;
		s->s_e = ne;
		s->s_cap = cap;
	}
	e = &s->s_e[s->s_n];
	memset(e, 0, sizeof *e);
	if (!(e->se_id = strndup(id, idlen)) || !(e->se_ds = strndup(ds, dslen)) ||
	    (nh && !(e->se_h = malloc(nh * sizeof *e->se_h)))) {
		free(e->se_id);
		free(e->se_ds);
		return -1;
	}
	if (nh)
		memcpy(e->se_h, h, nh * sizeof *h);
	e->se_nh = nh;
	s->s_n++;
	return 0;
}

static void said_drop(said *s, size_t i)
{
	free(s->s_e[i].se_id);
	free(s->s_e[i].se_ds);
	free(s->s_e[i].se_h);
	s->s_e[i] = s->s_e[--s->s_n];
}

/* ---------------------------------------------------------------- text form */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* " LEN:BYTES" at *p: 0 and the field, or -1. */
static int field(const char **p, const char *end, const char **out, size_t *len)
{
	const char *q = *p;
	size_t n = 0;
	if (q >= end || *q++ != ' ')
		return -1;
	while (q < end && *q >= '0' && *q <= '9' && n < 100000)
		n = n * 10 + (size_t)(*q++ - '0');
	if (q >= end || *q++ != ':' || (size_t)(end - q) < n)
		return -1;
	*out = q;
	*len = n;
	*p = q + n;
	return 0;
}

/* Reads one statement string into s (several datasets: several entries);
 * a string that is not one is ignored (a hand-edited record).  The entity
 * id is " @" for the item's own (self), " ~" for "before". */
static int parse_one(said *s, const char *t, size_t len, const char *self)
{
	const char *p = t, *end = t + len, *id, *ds;
	size_t nh = 0, idlen, dslen;
	uint32_t *h;
	int rc = 0;
	while (p + 8 <= end && *p != ' ')
		p += 8, nh++;
	if (p > end || (p < end && *p != ' '))
		return 0;
	if (!(h = malloc((nh ? nh : 1) * sizeof *h)))
		return -1;
	for (size_t i = 0; i < nh; i++) {
		uint32_t x = 0;
		for (size_t k = 0; k < 8; k++) {
			int d = hexval(t[i * 8 + k]);
			if (d < 0) {
				free(h);
				return 0;
			}
			x = x << 4 | (uint32_t)d;
		}
		h[i] = x;
	}
	if (p + 2 <= end && p[0] == ' ' && (p[1] == '@' || p[1] == '~')) {
		id = p[1] == '@' && self ? self : "";
		idlen = strlen(id);
		p += 2;
		if (p[-1] == '@' && !self)
			p = end;      /* nobody's: ignored */
	} else if (field(&p, end, &id, &idlen) < 0) {
		p = end;
	}
	if (p < end)
		while (rc == 0 && field(&p, end, &ds, &dslen) == 0)
			rc = said_add(s, id, idlen, ds, dslen, h, nh);
	free(h);
	return rc;
}

static int said_parse(said *s, const gr_value *v, const char *self)
{
	if (!v)
		return 0;
	if (v->type == GR_STRING)
		return parse_one(s, v->u.s.ptr, v->u.s.len, self);
	if (v->type != GR_LIST)
		return 0;
	for (size_t i = 0; i < v->u.list.n; i++)
		if (v->u.list.items[i].type == GR_STRING &&
		    parse_one(s, v->u.list.items[i].u.s.ptr, v->u.list.items[i].u.s.len, self) < 0)
			return -1;
	return 0;
}

static int hashes_cmp(const said_ent *a, const said_ent *b)
{
	if (a->se_nh != b->se_nh)
		return a->se_nh < b->se_nh ? -1 : 1;
	return a->se_nh ? memcmp(a->se_h, b->se_h, a->se_nh * sizeof *a->se_h) : 0;
}

static int ent_order(const void *x, const void *y)
{
	const said_ent *a = x, *b = y;
	int c = strcmp(a->se_id, b->se_id);
	if (!c)
		c = hashes_cmp(a, b);
	return c ? c : strcmp(a->se_ds, b->se_ds);
}

static int put_field(gr_buf *b, const char *s)
{
	char n[24];
	int l = snprintf(n, sizeof n, " %zu:", strlen(s));
	return gr_buf_put(b, n, (size_t)l) < 0 || gr_buf_put(b, s, strlen(s)) < 0 ? -1 : 0;
}

/* The record as a list of strings, one per group of datasets that gave
 * the same values; GR_NULL (no property) when there is no statement. */
static int said_value(said *s, gr_value *out, const char *self)
{
	gr_buf b = { 0 };
	*out = gr_null();
	if (!s->s_n)
		return 0;
	qsort(s->s_e, s->s_n, sizeof *s->s_e, ent_order);
	*out = gr_list(s->s_n);
	if (out->type != GR_LIST)
		return -1;
	for (size_t i = 0; i < s->s_n;) {
		size_t j = i;
		char hex[9];
		b.b_len = 0;
		for (size_t k = 0; k < s->s_e[i].se_nh; k++) {
			static const char digits[] = "0123456789abcdef";
			for (int d = 0; d < 8; d++)
				hex[d] = digits[(s->s_e[i].se_h[k] >> (28 - 4 * d)) & 15];
			if (gr_buf_put(&b, hex, 8) < 0)
				goto nomem;
		}
		if (!*s->s_e[i].se_id || (self && strcmp(s->s_e[i].se_id, self) == 0)) {
			if (gr_buf_put(&b, *s->s_e[i].se_id ? " @" : " ~", 2) < 0)
				goto nomem;
		} else if (put_field(&b, s->s_e[i].se_id) < 0) {
			goto nomem;
		}
		for (; j < s->s_n && strcmp(s->s_e[j].se_id, s->s_e[i].se_id) == 0 && hashes_cmp(&s->s_e[j], &s->s_e[i]) == 0; j++)
			if (put_field(&b, s->s_e[j].se_ds) < 0)
				goto nomem;
		if (gr_list_push(out, gr_string((const char *)b.b_data, b.b_len)) < 0)
			goto nomem;
		i = j;
	}
	gr_buf_free(&b);
	return 0;
nomem:
	gr_buf_free(&b);
	gr_value_free(out);
	return -1;
}

/* ---------------------------------------------------------------- hashes */

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 16777619u;
	return h;
}

/* The hash of one value of property `name` (a list's items are hashed one
 * by one, so that a dataset can give some of a list's items). */
static uint32_t value_hash(gr_buf *tmp, const char *name, size_t nlen, const gr_value *v)
{
	uint32_t h = fnv(2166136261u, name, nlen);
	h = fnv(h, "", 1);
	tmp->b_len = 0;
	if (v->type == GR_STRING)
		return fnv(fnv(h, "s", 1), v->u.s.ptr, v->u.s.len);
	if (gr_value_encode(tmp, v) < 0)
		return h;
	return fnv(h, tmp->b_data, tmp->b_len);
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int has_hash(const uint32_t *h, size_t n, uint32_t x)
{
	return n && bsearch(&x, h, n, sizeof *h, u32_cmp) != NULL;
}

/* Properties no statement is about: the record itself, `withdrawn`, the
 * export's bookkeeping that every line restates (first_seen, last_seen,
 * last_change, target), a link's `claim`, which is its id, and the ids the
 * node answers to (referents, ftm_id), which stay in the key index. */
#define NSKIP 7
typedef struct keys {
	uint16_t k_said, k_withdrawn;
	uint16_t k_skip[NSKIP];
} keys;

static int skipped(const keys *k, uint16_t key)
{
	if (key == k->k_said || key == k->k_withdrawn)
		return 1;
	for (size_t i = 0; i < NSKIP; i++)
		if (key == k->k_skip[i])
			return 1;
	return 0;
}

/* The sorted, distinct hashes of the values of p[0..np). */
static int hashes_of(ig_run *r, const keys *k, const gr_prop *p, size_t np, uint32_t **out, size_t *n)
{
	size_t cap = 0;
	gr_buf tmp = { 0 };
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < np; i++) {
		size_t nlen, items;
		const char *name;
		const gr_value *v = &p[i].p_val;
		if (skipped(k, p[i].p_key))
			continue;
		name = ig_ftm_sym_name(r, p[i].p_key, &nlen);
		items = v->type == GR_LIST ? v->u.list.n : 1;
		if (*n + items > cap) {
			size_t nc = cap ? cap * 2 : 16;
			uint32_t *nh;
			while (nc < *n + items)
				nc *= 2;
			if (!(nh = realloc(*out, nc * sizeof *nh))) {
				gr_buf_free(&tmp);
				return -1;
			}
			*out = nh;
			cap = nc;
		}
		if (v->type == GR_LIST)
			for (size_t j = 0; j < v->u.list.n; j++)
				(*out)[(*n)++] = value_hash(&tmp, name, nlen, &v->u.list.items[j]);
		else
			(*out)[(*n)++] = value_hash(&tmp, name, nlen, v);
	}
	gr_buf_free(&tmp);
	if (*n > 1) {
		size_t w = 1;
		qsort(*out, *n, sizeof **out, u32_cmp);
		for (size_t i = 1; i < *n; i++)
			if ((*out)[i] != (*out)[w - 1])
				(*out)[w++] = (*out)[i];
		*n = w;
	}
	return 0;
}

/* ---------------------------------------------------------------- applying */

/* Removes from (*p, *np) every value whose hash is in gone[0..ngone) and
 * not in keep[0..nkeep); counts them. */
static int values_drop(ig_run *r, const keys *k, gr_prop **p, size_t *np, const uint32_t *gone, size_t ngone,
    const uint32_t *keep, size_t nkeep, size_t *removed)
{
	gr_buf tmp = { 0 };
	for (size_t i = 0; i < *np;) {
		gr_value *v = &(*p)[i].p_val;
		size_t nlen;
		const char *name;
		int drop = 0;
		if (skipped(k, (*p)[i].p_key)) {
			i++;
			continue;
		}
		name = ig_ftm_sym_name(r, (*p)[i].p_key, &nlen);
		if (v->type == GR_LIST) {
			size_t w = 0;
			for (size_t j = 0; j < v->u.list.n; j++) {
				uint32_t h = value_hash(&tmp, name, nlen, &v->u.list.items[j]);
				if (has_hash(gone, ngone, h) && !has_hash(keep, nkeep, h)) {
					gr_value_free(&v->u.list.items[j]);
					(*removed)++;
				} else {
					v->u.list.items[w++] = v->u.list.items[j];
				}
			}
			v->u.list.n = w;
			drop = w == 0;
		} else {
			uint32_t h = value_hash(&tmp, name, nlen, v);
			drop = has_hash(gone, ngone, h) && !has_hash(keep, nkeep, h);
			*removed += (size_t)drop;
		}
		if (drop) {
			if (gr_props_set(p, np, (*p)[i].p_key, gr_null())) {
				gr_buf_free(&tmp);
				return -1;
			}
			continue;      /* the array closed up over i */
		}
		i++;
	}
	gr_buf_free(&tmp);
	return 0;
}

static int list_holds(const gr_value *l, const gr_value *v)
{
	for (size_t i = 0; i < l->u.list.n; i++)
		if (l->u.list.items[i].type == v->type && gr_value_equal(&l->u.list.items[i], v) == 1)
			return 1;
	return 0;
}

/* Merges in[0..nin) into (*p, *np): a list gains the items it lacks; any
 * other value replaces what is held. */
static int values_merge(gr_prop **p, size_t *np, const gr_prop *in, size_t nin)
{
	for (size_t i = 0; i < nin; i++) {
		gr_value *cur = (gr_value *)gr_props_get(*p, *np, in[i].p_key), c;
		const gr_value *v = &in[i].p_val;
		if (cur && cur->type == GR_LIST && v->type == GR_LIST) {
			for (size_t j = 0; j < v->u.list.n; j++)
				if (!list_holds(cur, &v->u.list.items[j]) &&
				    (gr_value_copy(&c, &v->u.list.items[j]) || gr_list_push(cur, c) < 0))
					return -1;
			continue;
		}
		if (gr_value_copy(&c, v) || gr_props_set(p, np, in[i].p_key, c))
			return -1;
	}
	return 0;
}

static int in_sets(const ig_say *say, const char *ds)
{
	for (size_t i = 0; i < say->sy_nsets; i++)
		if (strcmp(say->sy_sets[i], ds) == 0)
			return 1;
	return 0;
}

/* Whether a statement of s (other than those taken back) is through ds. */
static int still_says(const said *s, const char *ds)
{
	for (size_t i = 0; i < s->s_n; i++)
		if (strcmp(s->s_e[i].se_ds, ds) == 0)
			return 1;
	return 0;
}

static void cite_drop(gr_cite *c, size_t *nc, uint32_t src, size_t *removed)
{
	for (size_t i = 0; i < *nc; i++)
		if (c[i].c_source == src) {
			memmove(&c[i], &c[i + 1], (*nc - i - 1) * sizeof *c);
			(*nc)--;
			(*removed)++;
			return;
		}
}

static int keys_get(ig_run *r, keys *k)
{
	int rc;
	static const char *const skip[NSKIP] = { "first_seen", "last_seen", "last_change", "target", "claim",
		"referents", "ftm_id" };
	if ((rc = ig_sym(r, "ftm_said", 8, 1, &k->k_said)) != GR_OK)
		return rc;
	for (size_t i = 0; i < NSKIP; i++)
		if (ig_sym(r, skip[i], strlen(skip[i]), 0, &k->k_skip[i]) != GR_OK)
			k->k_skip[i] = 0xffff;
	return ig_sym(r, "withdrawn", 9, 1, &k->k_withdrawn);
}

/* The statements of say's entity that it takes back: moved out of s into
 * gone (their hashes united in *gh). */
static int take_back(const ig_say *say, said *s, said *gone, uint32_t **gh, size_t *ngh)
{
	for (size_t i = 0; i < s->s_n;) {
		said_ent *e = &s->s_e[i];
		if (strcmp(e->se_id, say->sy_id) != 0 || (say->sy_which == IG_SAY_GIVEN && !in_sets(say, e->se_ds))) {
			i++;
			continue;
		}
		if (said_add(gone, e->se_id, strlen(e->se_id), e->se_ds, strlen(e->se_ds), NULL, 0) < 0)
			return -1;
		if (e->se_nh) {
			uint32_t *nh = realloc(*gh, (*ngh + e->se_nh) * sizeof *nh);
			if (!nh)
				return -1;
			memcpy(nh + *ngh, e->se_h, e->se_nh * sizeof *nh);
			*gh = nh;
			*ngh += e->se_nh;
		}
		said_drop(s, i);
	}
	if (*ngh > 1)
		qsort(*gh, *ngh, sizeof **gh, u32_cmp);
	return 0;
}

/* The union of the hashes of every statement of s. */
static int kept_hashes(const said *s, uint32_t **out, size_t *n)
{
	size_t total = 0;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < s->s_n; i++)
		total += s->s_e[i].se_nh;
	if (!total)
		return 0;
	if (!(*out = malloc(total * sizeof **out)))
		return -1;
	for (size_t i = 0; i < s->s_n; i++) {
		memcpy(*out + *n, s->s_e[i].se_h, s->s_e[i].se_nh * sizeof **out);
		*n += s->s_e[i].se_nh;
	}
	qsort(*out, *n, sizeof **out, u32_cmp);
	return 0;
}

int ig_said_apply(ig_run *r, const ig_say *say, gr_prop **p, size_t *np, gr_cite **c, size_t *nc,
    const gr_prop *in, size_t nin, ig_said_result *res)
{
	said s = { 0 }, gone = { 0 };
	uint32_t *gh = NULL, *kh = NULL, *nh = NULL;
	size_t ngh = 0, nkh = 0, nnh = 0, before = *nc;
	int recorded;
	keys k;
	gr_value rec;
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = keys_get(r, &k)) != GR_OK)
		return rc;
	if (said_parse(&s, gr_props_get(*p, *np, k.k_said), say->sy_self) < 0)
		goto nomem;
	recorded = s.s_n > 0;
	/* first contact: what the item holds came from elsewhere */
	if (!s.s_n && say->sy_existed && say->sy_assert && *np) {
		if (hashes_of(r, &k, *p, *np, &kh, &nkh) < 0 || (nkh && said_add(&s, "", 0, "", 0, kh, nkh) < 0))
			goto nomem;
		free(kh);
		kh = NULL;
	}
	if (take_back(say, &s, &gone, &gh, &ngh) < 0)
		goto nomem;
	res->sr_had = gone.s_n > 0;
	if (say->sy_assert) {
		if (hashes_of(r, &k, in, nin, &nh, &nnh) < 0)
			goto nomem;
		for (size_t i = 0; i < say->sy_nsets; i++)
			if (said_add(&s, say->sy_id, strlen(say->sy_id), say->sy_sets[i], strlen(say->sy_sets[i]), nh, nnh) < 0)
				goto nomem;
		if (kept_hashes(&s, &kh, &nkh) < 0 ||
		    values_drop(r, &k, p, np, gh, ngh, kh, nkh, &res->sr_values_removed) < 0 ||
		    values_merge(p, np, in, nin) < 0)
			goto nomem;
	}
	/* citations of the datasets that no longer say anything about it */
	for (size_t i = 0; i < gone.s_n; i++) {
		const char *ds = gone.s_e[i].se_ds;
		uint32_t src;
		if (!*ds || still_says(&s, ds) || !(src = say->sy_source(say->sy_arg, ds)))
			continue;
		cite_drop(*c, nc, src, &res->sr_cites_removed);
	}
	if (!say->sy_assert && !recorded) {
		/* a record from before statements were kept: the datasets given
		 * (all of them when none is) lose their citations */
		for (size_t i = 0; i < *nc;) {
			int drop = !say->sy_nsets;
			for (size_t j = 0; j < say->sy_nsets; j++)
				drop |= say->sy_srcs[j] && (*c)[i].c_source == say->sy_srcs[j];
			if (drop) {
				(*c)[i] = (*c)[--*nc];
				res->sr_cites_removed++;
			} else {
				i++;
			}
		}
	}
	if (say->sy_assert)
		for (size_t i = 0; i < say->sy_nsets; i++)
			if (say->sy_srcs[i] && gr_cites_add(c, nc, say->sy_srcs[i], GR_CONFIRMED))
				goto nomem;
	if (!*nc && (before || !say->sy_assert) && !gr_props_get(*p, *np, k.k_withdrawn)) {
		if (gr_props_set(p, np, k.k_withdrawn, gr_date(say->sy_date)))
			goto nomem;
		res->sr_withdrawn = 1;
	} else if (*nc && say->sy_assert && *nc > 0 && gr_props_get(*p, *np, k.k_withdrawn)) {
		/* cited again */
		if (gr_props_set(p, np, k.k_withdrawn, gr_null()))
			goto nomem;
	}
	if (said_value(&s, &rec, say->sy_self) < 0 || gr_props_set(p, np, k.k_said, rec))
		goto nomem;
	rc = GR_OK;
	goto done;
nomem:
	rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
done:
	said_clear(&s);
	said_clear(&gone);
	free(gh);
	free(kh);
	free(nh);
	return rc;
}

int ig_said_has(ig_run *r, const gr_prop *p, size_t np, const char *id)
{
	said s = { 0 };
	uint16_t key;
	int found = 0;
	if (ig_sym(r, "ftm_said", 8, 0, &key) != GR_OK || said_parse(&s, gr_props_get(p, np, key), NULL) < 0) {
		said_clear(&s);
		return 0;
	}
	for (size_t i = 0; i < s.s_n && !found; i++)
		found = strcmp(s.s_e[i].se_id, id) == 0;
	said_clear(&s);
	return found;
}

int ig_said_fresh(ig_run *r, const ig_say *say, gr_prop **p, size_t *np, gr_cite **c, size_t *nc)
{
	said s = { 0 };
	uint32_t *h = NULL;
	size_t nh = 0;
	keys k;
	gr_value rec;
	int rc;
	if ((rc = keys_get(r, &k)) != GR_OK)
		return rc;
	if (hashes_of(r, &k, *p, *np, &h, &nh) < 0)
		goto nomem;
	for (size_t i = 0; i < say->sy_nsets; i++) {
		if (said_add(&s, say->sy_id, strlen(say->sy_id), say->sy_sets[i], strlen(say->sy_sets[i]), h, nh) < 0)
			goto nomem;
		if (say->sy_srcs[i] && gr_cites_add(c, nc, say->sy_srcs[i], GR_CONFIRMED))
			goto nomem;
	}
	if (said_value(&s, &rec, say->sy_self) < 0 || gr_props_set(p, np, k.k_said, rec))
		goto nomem;
	rc = GR_OK;
	goto done;
nomem:
	rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
done:
	said_clear(&s);
	free(h);
	return rc;
}
