/*
 * record.c: node and edge records: encoding, decoding, and reading one
 * property straight from the stored bytes (the query engine's hot path).
 * Layout: graph.h.
 */
#include <stdlib.h>
#include <string.h>

#include "graph_int.h"

void gr_node_init(gr_node *n)
{
	memset(n, 0, sizeof *n);
}

static void props_free(gr_prop *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		gr_value_free(&p[i].p_val);
	free(p);
}

void gr_node_clear(gr_node *n)
{
	free(n->n_labels);
	free(n->n_key);
	props_free(n->n_props, n->n_nprops);
	free(n->n_cites);
	memset(n, 0, sizeof *n);
}

void gr_edge_init(gr_edge *e)
{
	memset(e, 0, sizeof *e);
}

void gr_edge_clear(gr_edge *e)
{
	props_free(e->e_props, e->e_nprops);
	free(e->e_cites);
	e->e_props = NULL;
	e->e_nprops = 0;
	e->e_cites = NULL;
	e->e_ncites = 0;
}

/* Where key is, or would go, in properties sorted by key. */
static size_t props_at(const gr_prop *p, size_t np, uint16_t key)
{
	size_t lo = 0, hi = np;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p[mid].p_key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const gr_value *gr_props_get(const gr_prop *p, size_t np, uint16_t key)
{
	size_t at = props_at(p, np, key);
	return at < np && p[at].p_key == key ? &p[at].p_val : NULL;
}

int gr_props_set(gr_prop **pp, size_t *np, uint16_t key, gr_value val)
{
	gr_prop *p = *pp;
	size_t lo = props_at(p, *np, key);
	if (lo < *np && p[lo].p_key == key) {
		gr_value_free(&p[lo].p_val);
		if (val.type == GR_NULL) {
			memmove(p + lo, p + lo + 1, (*np - lo - 1) * sizeof *p);
			--*np;
		} else {
			p[lo].p_val = val;
		}
		return GR_OK;
	}
	if (val.type == GR_NULL)
		return GR_OK;
	p = realloc(p, (*np + 1) * sizeof *p);
	if (!p) {
		gr_value_free(&val);
		return GR_ENOMEM;
	}
	memmove(p + lo + 1, p + lo, (*np - lo) * sizeof *p);
	p[lo].p_key = key;
	p[lo].p_val = val;
	*pp = p;
	++*np;
	return GR_OK;
}

int gr_node_has_label(const gr_node *n, uint16_t label)
{
	for (size_t i = 0; i < n->n_nlabels; i++)
		if (n->n_labels[i] == label)
			return 1;
	return 0;
}

int gr_cites_add(gr_cite **cp, size_t *nc, uint32_t source, uint8_t conf)
{
	gr_cite *c = *cp;
	for (size_t i = 0; i < *nc; i++)
		if (c[i].c_source == source) {
			c[i].c_conf = conf;
			return GR_OK;
		}
	c = realloc(c, (*nc + 1) * sizeof *c);
	if (!c)
		return GR_ENOMEM;
	c[*nc].c_source = source;
	c[*nc].c_conf = conf;
	*cp = c;
	++*nc;
	return GR_OK;
}

/* ---- encoding ---- */

static int encode_props_cites(gr_buf *b, const gr_prop *p, size_t np, const gr_cite *c, size_t nc)
{
	if (gr_buf_varint(b, np))
		return GR_ENOMEM;
	for (size_t i = 0; i < np; i++)
		if (gr_buf_varint(b, p[i].p_key) || gr_value_encode(b, &p[i].p_val))
			return GR_EINVALID;
	if (nc == 0)
		return GR_OK;   /* no citations: the count is left out */
	if (gr_buf_varint(b, nc))
		return GR_ENOMEM;
	for (size_t i = 0; i < nc; i++)
		if (gr_buf_varint(b, c[i].c_source) || gr_buf_byte(b, c[i].c_conf))
			return GR_ENOMEM;
	return GR_OK;
}

int gr_node_encode(gr_buf *b, const gr_node *n)
{
	b->b_len = 0;
	if (gr_buf_varint(b, n->n_nlabels))
		return GR_ENOMEM;
	for (size_t i = 0; i < n->n_nlabels; i++)
		if (gr_buf_varint(b, n->n_labels[i]))
			return GR_ENOMEM;
	if (gr_buf_varint(b, n->n_keylen) || gr_buf_put(b, n->n_key, n->n_keylen))
		return GR_ENOMEM;
	return encode_props_cites(b, n->n_props, n->n_nprops, n->n_cites, n->n_ncites);
}

int gr_edge_encode(gr_buf *b, const gr_edge *e)
{
	b->b_len = 0;
	if (e->e_nprops == 0 && e->e_ncites == 0)
		return GR_OK;   /* no record */
	return encode_props_cites(b, e->e_props, e->e_nprops, e->e_cites, e->e_ncites);
}

static int decode_props_cites(const unsigned char **pp, const unsigned char *end,
    gr_prop **props, size_t *nprops, gr_cite **cites, size_t *ncites)
{
	const unsigned char *p = *pp;
	uint64_t np, nc;
	if (gr_get_varint(&p, end, &np) || np > (uint64_t)(end - p))
		return GR_ECORRUPT;
	if (np && !(*props = calloc(np, sizeof **props)))
		return GR_ENOMEM;
	for (uint64_t i = 0; i < np; i++) {
		uint64_t k;
		if (gr_get_varint(&p, end, &k) || k > 0xffff ||
		    gr_value_decode(&p, end, &(*props)[i].p_val))
			return GR_ECORRUPT;
		(*props)[i].p_key = (uint16_t)k;
		*nprops = i + 1;
	}
	if (p == end) {   /* no citation count: no citations */
		*pp = p;
		return GR_OK;
	}
	if (gr_get_varint(&p, end, &nc) || nc > (uint64_t)(end - p))
		return GR_ECORRUPT;
	if (nc && !(*cites = calloc(nc, sizeof **cites)))
		return GR_ENOMEM;
	for (uint64_t i = 0; i < nc; i++) {
		uint64_t s;
		if (gr_get_varint(&p, end, &s) || s > 0xffffffffu || p >= end)
			return GR_ECORRUPT;
		(*cites)[i].c_source = (uint32_t)s;
		(*cites)[i].c_conf = *p++;
		*ncites = i + 1;
	}
	*pp = p;
	return GR_OK;
}

int gr_node_decode(const void *rec, size_t len, gr_node *n)
{
	const unsigned char *p = rec, *end = p + len;
	uint64_t nl, kl;
	int rc;
	if (gr_get_varint(&p, end, &nl) || nl > len)
		return GR_ECORRUPT;
	if (nl && !(n->n_labels = malloc(nl * sizeof *n->n_labels)))
		return GR_ENOMEM;
	for (uint64_t i = 0; i < nl; i++) {
		uint64_t l;
		if (gr_get_varint(&p, end, &l) || l > 0xffff)
			return GR_ECORRUPT;
		n->n_labels[i] = (uint16_t)l;
		n->n_nlabels = i + 1;
	}
	if (gr_get_varint(&p, end, &kl) || kl > (uint64_t)(end - p))
		return GR_ECORRUPT;
	if (!(n->n_key = malloc(kl + 1)))
		return GR_ENOMEM;
	memcpy(n->n_key, p, kl);
	n->n_key[kl] = 0;
	n->n_keylen = kl;
	p += kl;
	if ((rc = decode_props_cites(&p, end, &n->n_props, &n->n_nprops, &n->n_cites, &n->n_ncites)))
		return rc;
	return p == end ? GR_OK : GR_ECORRUPT;
}

int gr_edge_decode(const void *rec, size_t len, gr_edge *e)
{
	const unsigned char *p = rec, *end = p + len;
	int rc = decode_props_cites(&p, end, &e->e_props, &e->e_nprops, &e->e_cites, &e->e_ncites);
	if (rc)
		return rc;
	return p == end ? GR_OK : GR_ECORRUPT;
}

/* The key of a node record (after its labels); *pp is left at the
 * property section after it. */
static int node_head(const unsigned char **pp, const unsigned char *end, const char **key, size_t *klen)
{
	const unsigned char *p = *pp;
	uint64_t nl, kl, x;
	if (gr_get_varint(&p, end, &nl))
		return GR_ECORRUPT;
	for (uint64_t i = 0; i < nl; i++)
		if (gr_get_varint(&p, end, &x))
			return GR_ECORRUPT;
	if (gr_get_varint(&p, end, &kl) || kl > (uint64_t)(end - p))
		return GR_ECORRUPT;
	*key = (const char *)p;
	*klen = kl;
	*pp = p + kl;
	return GR_OK;
}

/* Finds property `key` in a property section; *out GR_NULL when absent. */
static int props_find(const unsigned char *p, const unsigned char *end, uint16_t key, gr_value *out)
{
	uint64_t np;
	*out = gr_null();
	if (gr_get_varint(&p, end, &np))
		return GR_ECORRUPT;
	for (uint64_t i = 0; i < np; i++) {
		uint64_t k;
		if (gr_get_varint(&p, end, &k))
			return GR_ECORRUPT;
		if (k == key)
			return gr_value_decode(&p, end, out) ? GR_ECORRUPT : GR_OK;
		if (k > key)
			return GR_OK;   /* sorted: not present */
		if (gr_value_skip(&p, end))
			return GR_ECORRUPT;
	}
	return GR_OK;
}

int gr_record_node_prop(const void *rec, size_t len, uint16_t key, gr_value *out)
{
	const unsigned char *p = rec, *end = p + len;
	const char *k;
	size_t kl;
	if (node_head(&p, end, &k, &kl))
		return GR_ECORRUPT;
	return props_find(p, end, key, out);
}

int gr_record_edge_prop(const void *rec, size_t len, uint16_t key, gr_value *out)
{
	const unsigned char *p = rec;
	return props_find(p, p + len, key, out);
}

int gr_record_node_key(const void *rec, size_t len, const char **key, size_t *klen)
{
	const unsigned char *p = rec;
	return node_head(&p, p + len, key, klen);
}

int gr_record_node_labels(const void *rec, size_t len, uint16_t *labels, size_t max, size_t *n)
{
	const unsigned char *p = rec, *end = p + len;
	uint64_t nl, x;
	if (gr_get_varint(&p, end, &nl))
		return GR_ECORRUPT;
	*n = 0;
	for (uint64_t i = 0; i < nl; i++) {
		if (gr_get_varint(&p, end, &x))
			return GR_ECORRUPT;
		if (*n < max)
			labels[(*n)++] = (uint16_t)x;
	}
	return GR_OK;
}
