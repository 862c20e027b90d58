/*
 * export_ftm.c: the graph as FollowTheMoney entity lines (cJSON), in the
 * shape OpenSanctions publishes and `import --format ftm` reads back.
 *
 * The mapping is the importer's (ingest/import_ftm*.c) run backwards:
 *   - a node is an entity: schema = its first label, id = its `ftm_id`
 *     property or else its key, caption = its name, properties from its
 *     properties (snake_case back to camelCase, country codes lower case,
 *     every value a string), datasets = the keys of the Sources it cites,
 *     referents, first_seen, last_seen, last_change and target at the top;
 *     HAS_ADDRESS, HELD_BY and PART_OF relationships become its
 *     addressEntity, holder and parent properties;
 *   - a relationship's `claim` is the link entity's id (sg-rel-N when it
 *     has none);
 *   - OWNED_BY is an Ownership, DIRECTOR_OF a Directorship,
 *     SANCTIONED_UNDER a Sanction (its programme from the Sanction node),
 *     LINKED_TO the schema in its `ftm_schema` (else UnknownLink),
 *     EMPLOYED_BY, MEMBER_OF ... their schemata; any other relationship an
 *     UnknownLink whose role is its type (the importer gives sanctgraph's
 *     built-in types back from that role);
 *   - Source and Sanction nodes are not entities: they are the datasets
 *     and programmes of the others.
 * What FtM cannot hold, and a reload therefore does not give back: Source
 * nodes (only their keys survive, as dataset names; title, publisher, kind
 * and date are lost), citation confidences (all come back confirmed),
 * labels after the first, value types other than those the importer
 * restores (dates, Vessel tonnages, lat/lon/hours/wpi numbers, target;
 * other numbers and booleans come back as strings), Sanction nodes without
 * relationships and Sanction properties other than the programme and
 * authority, and types of relationships other than the FtM link schemata
 * and the built-in types (they come back as LINKED_TO with their type as
 * role).  A relationship without a claim gets the claim sg-rel-ID.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "export.h"
#include "../graph/ftm_links.h"

/* FtM names of properties renamed on import (inverse of the importer's). */
static const struct { const char *sg, *ftm; } renamed[] = {
	{ "imo", "imoNumber" }, { "call_sign", "callSign" }, { "past_flags", "pastFlags" },
	{ "gross_tonnage", "grossRegisteredTonnage" }, { "aliases", "alias" },
};

static const char *const country_props[] = { "country", "nationality", "citizenship", "jurisdiction",
	"flag", "pastFlags", "mainCountry", "birthCountry", "deathCountry", "residency", "incorporationCountry" };

/* Relationships that are node properties in FtM. */
static const struct { const char *type, *prop; } node_refs[] = {
	{ "HAS_ADDRESS", "addressEntity" }, { "HELD_BY", "holder" }, { "PART_OF", "parent" },
};

typedef struct ftm_ctx {
	gr_txn *x_txn;
	FILE *x_out;
	gr_error *x_err;
	uint32_t *x_rank;
	ex_edge_ref *x_edges;
	size_t x_nedges, x_capedges;
	uint16_t s_source, s_sanction, s_ftm_id, s_claim, s_name, s_ftm_schema, s_precision, s_program_id;
} ftm_ctx;

/* "past_names" -> "pastNames". */
static void camel(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (int up = 0; *in && o + 1 < n; in++) {
		if (*in == '_' && o) {
			up = 1;
			continue;
		}
		out[o++] = up ? (char)toupper((unsigned char)*in) : *in;
		up = 0;
	}
	out[o] = 0;
}

static void ftm_name(const char *sg, int vessel, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
		if (strcmp(renamed[i].sg, sg) == 0) {
			snprintf(out, n, "%s", renamed[i].ftm);
			return;
		}
	if (strcmp(sg, "past_names") == 0) {
		snprintf(out, n, "%s", vessel ? "pastNames" : "previousName");
		return;
	}
	camel(sg, out, n);
}

static int is_country(const char *ftm)
{
	for (size_t i = 0; i < sizeof country_props / sizeof country_props[0]; i++)
		if (strcmp(country_props[i], ftm) == 0)
			return 1;
	return 0;
}

/* One scalar value as FtM text into buf; 0 when it has none (a map). */
static int scalar_text(const gr_value *v, int lower, char *buf, size_t n, gr_buf *big)
{
	big->b_len = 0;
	switch (v->type) {
	case GR_STRING:
		if (lower && v->u.s.len < n) {
			for (size_t i = 0; i <= v->u.s.len; i++)
				buf[i] = (char)tolower((unsigned char)v->u.s.ptr[i]);
			return 1;
		}
		if (gr_buf_put(big, v->u.s.ptr, v->u.s.len + 1) < 0)
			return -1;
		return 2;
	case GR_INT:
		snprintf(buf, n, "%lld", (long long)v->u.i);
		return 1;
	case GR_FLOAT:
		ex_format_float(v->u.f, buf);
		return 1;
	case GR_BOOL:
		snprintf(buf, n, "%s", v->u.b ? "true" : "false");
		return 1;
	case GR_DATE:
		gr_format_date(v->u.date, buf);
		return 1;
	case GR_DATETIME:
		gr_format_datetime(&v->u.dt, buf);
		return 1;
	case GR_DURATION:
		gr_format_duration(&v->u.du, buf);
		return 1;
	case GR_TIME:
		gr_format_time(&v->u.tm, buf);
		return 1;
	default:
		return 0;
	}
}

/* Adds the value(s) of v to the string array arr. */
static int add_values(cJSON *arr, const gr_value *v, int lower)
{
	char buf[256];
	gr_buf big = { 0 };
	int rc = 0;
	size_t n = v->type == GR_LIST ? v->u.list.n : 1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const gr_value *x = v->type == GR_LIST ? &v->u.list.items[i] : v;
		int k = scalar_text(x, lower, buf, sizeof buf, &big);
		if (k < 0)
			rc = -1;
		else if (k > 0 && !cJSON_AddItemToArray(arr, cJSON_CreateString(k == 1 ? buf : (char *)big.b_data)))
			rc = -1;
	}
	gr_buf_free(&big);
	return rc;
}

/* The FtM id of node id: its ftm_id property, else its key (malloc'd). */
static char *entity_id(ftm_ctx *x, uint32_t id)
{
	gr_value v;
	const char *k;
	size_t kl;
	if (x->s_ftm_id && gr_node_prop(x->x_txn, id, x->s_ftm_id, &v) == GR_OK) {
		if (v.type == GR_STRING) {
			char *s = strdup(v.u.s.ptr);
			gr_value_free(&v);
			return s;
		}
		gr_value_free(&v);
	}
	if (gr_node_key_get(x->x_txn, id, &k, &kl) != GR_OK)
		return NULL;
	return strndup(k, kl);
}

/* The datasets of citations c[0..nc): the keys of the cited Sources. */
static int add_datasets(ftm_ctx *x, cJSON *obj, const gr_cite *c, size_t nc)
{
	cJSON *arr = cJSON_AddArrayToObject(obj, "datasets");
	if (!arr)
		return -1;
	for (size_t i = 0; i < nc; i++) {
		const char *k;
		size_t kl;
		char *s;
		if (gr_node_key_get(x->x_txn, c[i].c_source, &k, &kl) != GR_OK)
			continue;
		if (!(s = strndup(k, kl)) || !cJSON_AddItemToArray(arr, cJSON_CreateString(s))) {
			free(s);
			return -1;
		}
		free(s);
	}
	return 0;
}

static int write_obj(ftm_ctx *x, cJSON *obj)
{
	char *text = cJSON_PrintUnformatted(obj);
	int rc;
	if (!text)
		return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
	rc = fputs(text, x->x_out) < 0 || fputc('\n', x->x_out) < 0 ? gr_fail(x->x_err, GR_EIO, "cannot write") : GR_OK;
	cJSON_free(text);
	return rc;
}

/* ---------------------------------------------------------------- nodes */

static int is_meta(const char *name)
{
	return strcmp(name, "referents") == 0 || strcmp(name, "first_seen") == 0 || strcmp(name, "last_seen") == 0 ||
	    strcmp(name, "last_change") == 0 || strcmp(name, "target") == 0 || strcmp(name, "ftm_id") == 0;
}

/* The node's relationships that FtM keeps as its properties. */
static int node_ref_props(ftm_ctx *x, uint32_t id, cJSON *props)
{
	size_t lo = 0, hi = x->x_nedges;
	/* the edges come by start node id (ex_each_edge) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->x_edges[mid].er_src < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < x->x_nedges && x->x_edges[i].er_src == id; i++) {
		const ex_edge_ref *e = &x->x_edges[i];
		const char *tn;
		char *dst;
		cJSON *arr;
		tn = gr_sym_name(x->x_txn, e->er_type, NULL);
		for (size_t k = 0; k < sizeof node_refs / sizeof node_refs[0]; k++) {
			if (strcmp(node_refs[k].type, tn) != 0)
				continue;
			if (!(arr = cJSON_GetObjectItemCaseSensitive(props, node_refs[k].prop)) &&
			    !(arr = cJSON_AddArrayToObject(props, node_refs[k].prop)))
				return -1;
			if (!(dst = entity_id(x, e->er_dst)))
				return -1;
			if (!cJSON_AddItemToArray(arr, cJSON_CreateString(dst))) {
				free(dst);
				return -1;
			}
			free(dst);
		}
	}
	return 0;
}

static int write_node(ftm_ctx *x, const gr_node *n)
{
	const char *schema = n->n_nlabels ? gr_sym_name(x->x_txn, n->n_labels[0], NULL) : "Thing";
	int vessel = strcmp(schema, "Vessel") == 0, r = 0, rc;
	cJSON *obj = cJSON_CreateObject(), *props;
	char *id = entity_id(x, n->n_id);
	const gr_value *name = NULL;

	for (size_t i = 0; i < n->n_nprops; i++)
		if (n->n_props[i].p_key == x->s_name)
			name = &n->n_props[i].p_val;
	if (!obj || !id)
		goto nomem;
	if (!cJSON_AddStringToObject(obj, "id", id))
		goto nomem;
	if (name && name->type == GR_STRING && !cJSON_AddStringToObject(obj, "caption", name->u.s.ptr))
		goto nomem;
	if (!cJSON_AddStringToObject(obj, "schema", schema) || !(props = cJSON_AddObjectToObject(obj, "properties")))
		goto nomem;
	for (size_t i = 0; i < n->n_nprops && r == 0; i++) {
		const char *pn = gr_sym_name(x->x_txn, n->n_props[i].p_key, NULL);
		char fn[160];
		cJSON *arr;
		if (is_meta(pn))
			continue;
		ftm_name(pn, vessel, fn, sizeof fn);
		if (!(arr = cJSON_GetObjectItemCaseSensitive(props, fn)) && !(arr = cJSON_AddArrayToObject(props, fn)))
			goto nomem;
		r = add_values(arr, &n->n_props[i].p_val, is_country(fn));
	}
	if (r < 0 || node_ref_props(x, n->n_id, props) < 0 || add_datasets(x, obj, n->n_cites, n->n_ncites) < 0)
		goto nomem;
	for (size_t i = 0; i < n->n_nprops; i++) {
		const char *pn = gr_sym_name(x->x_txn, n->n_props[i].p_key, NULL);
		const gr_value *v = &n->n_props[i].p_val;
		char buf[256];
		gr_buf big = { 0 };
		if (!is_meta(pn) || strcmp(pn, "ftm_id") == 0)
			continue;
		if (strcmp(pn, "referents") == 0) {
			cJSON *arr = cJSON_AddArrayToObject(obj, "referents");
			if (!arr || add_values(arr, v, 0) < 0)
				goto nomem;
		} else if (strcmp(pn, "target") == 0 && v->type == GR_BOOL) {
			if (!cJSON_AddBoolToObject(obj, "target", v->u.b))
				goto nomem;
		} else if (scalar_text(v, 0, buf, sizeof buf, &big) == 1) {
			if (!cJSON_AddStringToObject(obj, pn, buf))
				goto nomem;
		}
		gr_buf_free(&big);
	}
	rc = write_obj(x, obj);
	cJSON_Delete(obj);
	free(id);
	return rc;
nomem:
	cJSON_Delete(obj);
	free(id);
	return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
}

/* ---------------------------------------------------------------- links */

/* A date property of a link, at its precision ("2022", "2022-03") when
 * the date is the boundary of such a period (the first day, or the last for
 * an end). */
static int link_date(cJSON *arr, const gr_value *v, const char *precision, int end)
{
	char buf[64];
	int64_t y;
	unsigned m, d;
	if (v->type != GR_DATE)
		return add_values(arr, v, 0);
	gr_format_date(v->u.date, buf);
	gr_civil_from_days(v->u.date, &y, &m, &d);
	if (precision && strcmp(precision, "year") == 0 && (end ? m == 12 && d == 31 : m == 1 && d == 1))
		buf[4] = 0;
	else if (precision && strcmp(precision, "month") == 0) {
		unsigned last = 31;
		int32_t next;
		gr_duration one = { 0, 1, 0, 0 };
		if (gr_date_add(v->u.date, &one, 1, &next) == 0) {
			int64_t ny;
			unsigned nm, nd;
			gr_civil_from_days(next, &ny, &nm, &nd);
			last = nd == 1 ? d : 0;
		}
		if (end ? d == last : d == 1)
			buf[7] = 0;
	}
	return cJSON_AddItemToArray(arr, cJSON_CreateString(buf)) ? 0 : -1;
}

/* The precision of date property pn of edge e: its own <pn>_precision,
 * else the edge's `precision`. */
static const char *date_precision(ftm_ctx *x, const gr_edge *e, const char *pn, const char *precision)
{
	char own[80];
	uint16_t key;
	const gr_value *v;
	snprintf(own, sizeof own, "%s_precision", pn);
	if (gr_sym(x->x_txn, own, strlen(own), 0, &key) == GR_OK && (v = gr_props_get(e->e_props, e->e_nprops, key)) &&
	    v->type == GR_STRING)
		return v->u.s.ptr;
	return precision;
}

/* Whether pn is a <date>_precision property (written within the date). */
static int is_date_precision(const char *pn)
{
	return strcmp(pn, "start_precision") == 0 || strcmp(pn, "end_precision") == 0 ||
	    strcmp(pn, "listed_precision") == 0;
}

static const char *link_prop_name(const char *sg)
{
	if (strcmp(sg, "start") == 0)
		return "startDate";
	if (strcmp(sg, "end") == 0)
		return "endDate";
	if (strcmp(sg, "listed") == 0)
		return "listingDate";
	return NULL;
}

static int add_ref(ftm_ctx *x, cJSON *props, const char *prop, uint32_t node)
{
	char *id = entity_id(x, node);
	cJSON *arr = cJSON_AddArrayToObject(props, prop);
	int ok = id && arr && cJSON_AddItemToArray(arr, cJSON_CreateString(id));
	free(id);
	return ok ? 0 : -1;
}

/* The programme of a Sanction node as Sanction properties. */
static int sanction_program(ftm_ctx *x, uint32_t node, const char *sanction_id, cJSON *props)
{
	gr_node n;
	gr_error e;
	const char *pid = NULL;
	if (gr_node_load(x->x_txn, node, &n, &e) != GR_OK)
		return -1;
	for (size_t i = 0; i < n.n_nprops; i++) {
		const char *pn = gr_sym_name(x->x_txn, n.n_props[i].p_key, NULL);
		char fn[160];
		cJSON *arr;
		if (strcmp(pn, "program_id") == 0 && n.n_props[i].p_val.type == GR_STRING)
			pid = n.n_props[i].p_val.u.s.ptr;
		if (strcmp(pn, "program") && strcmp(pn, "program_id") && strcmp(pn, "program_url") && strcmp(pn, "authority"))
			continue;
		camel(pn, fn, sizeof fn);
		if (cJSON_GetObjectItemCaseSensitive(props, fn))
			continue;       /* the relationship's own value */
		if (!(arr = cJSON_AddArrayToObject(props, fn)) || add_values(arr, &n.n_props[i].p_val, 0) < 0) {
			gr_node_clear(&n);
			return -1;
		}
	}
	/* keyed by the programme when it had no programId (by the Sanction's
	 * own id when it had neither) */
	if (!pid && !cJSON_GetObjectItemCaseSensitive(props, "program") && strcmp(n.n_key, sanction_id) != 0) {
		cJSON *arr = cJSON_AddArrayToObject(props, "program");
		if (!arr || !cJSON_AddItemToArray(arr, cJSON_CreateString(n.n_key))) {
			gr_node_clear(&n);
			return -1;
		}
	}
	gr_node_clear(&n);
	return 0;
}

static int write_link(ftm_ctx *x, const ex_edge_ref *ref)
{
	const char *type = gr_sym_name(x->x_txn, ref->er_type, NULL);
	const gr_ftm_link *ls;
	const char *ftm_schema = NULL, *precision = NULL;
	cJSON *obj = NULL, *props;
	gr_edge e;
	char idbuf[64];
	const char *id = NULL;
	int rc;

	for (size_t k = 0; k < sizeof node_refs / sizeof node_refs[0]; k++)
		if (strcmp(node_refs[k].type, type) == 0)
			return GR_OK;      /* written as a node property */
	gr_edge_init(&e);
	e.e_id = ref->er_edge;
	e.e_src = ref->er_src;
	e.e_dst = ref->er_dst;
	e.e_type = ref->er_type;
	if ((rc = gr_edge_load_props(x->x_txn, &e, x->x_err)) != GR_OK)
		return rc;
	for (size_t i = 0; i < e.e_nprops; i++) {
		const gr_value *v = &e.e_props[i].p_val;
		if (v->type != GR_STRING)
			continue;
		if (e.e_props[i].p_key == x->s_ftm_schema)
			ftm_schema = v->u.s.ptr;
		else if (e.e_props[i].p_key == x->s_precision)
			precision = v->u.s.ptr;
		else if (e.e_props[i].p_key == x->s_claim)
			id = v->u.s.ptr;
	}
	ls = gr_ftm_link_by_type(type, ftm_schema);
	if (!id) {
		snprintf(idbuf, sizeof idbuf, "sg-rel-%u", e.e_id);
		id = idbuf;
	}
	if (!(obj = cJSON_CreateObject()) || !cJSON_AddStringToObject(obj, "id", id) ||
	    !cJSON_AddStringToObject(obj, "caption", ls ? ls->schema : type) ||
	    !cJSON_AddStringToObject(obj, "schema", ls ? ls->schema : "UnknownLink") ||
	    !(props = cJSON_AddObjectToObject(obj, "properties")))
		goto nomem;
	if (add_ref(x, props, ls ? ls->from : "subject", e.e_src) < 0)
		goto nomem;
	if ((!ls || ls->to) && add_ref(x, props, ls ? ls->to : "object", e.e_dst) < 0)
		goto nomem;
	if (!ls) {
		cJSON *arr = cJSON_AddArrayToObject(props, "role");
		if (!arr || !cJSON_AddItemToArray(arr, cJSON_CreateString(type)))
			goto nomem;
	}
	for (size_t i = 0; i < e.e_nprops; i++) {
		uint16_t k = e.e_props[i].p_key;
		const char *pn = gr_sym_name(x->x_txn, k, NULL), *dn = link_prop_name(pn);
		char fn[160];
		cJSON *arr;
		if (k == x->s_claim || k == x->s_ftm_schema || k == x->s_precision || is_date_precision(pn))
			continue;
		if (dn)
			snprintf(fn, sizeof fn, "%s", dn);
		else
			camel(pn, fn, sizeof fn);
		if (!(arr = cJSON_GetObjectItemCaseSensitive(props, fn)) && !(arr = cJSON_AddArrayToObject(props, fn)))
			goto nomem;
		if ((dn || strcmp(pn, "date") == 0 ? link_date(arr, &e.e_props[i].p_val,
		    date_precision(x, &e, pn, precision), strcmp(pn, "end") == 0)
		    : add_values(arr, &e.e_props[i].p_val, is_country(fn))) < 0)
			goto nomem;
	}
	/* after the relationship's own values, which take precedence */
	if (ls && !ls->to && sanction_program(x, e.e_dst, id, props) < 0)
		goto nomem;
	if (add_datasets(x, obj, e.e_cites, e.e_ncites) < 0)
		goto nomem;
	rc = write_obj(x, obj);
	cJSON_Delete(obj);
	gr_edge_clear(&e);
	return rc;
nomem:
	cJSON_Delete(obj);
	gr_edge_clear(&e);
	return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
}

/* ---------------------------------------------------------------- driver */

static int collect_edge(void *arg, const ex_edge_ref *e)
{
	ftm_ctx *x = arg;
	if (x->x_nedges == x->x_capedges) {
		size_t cap = x->x_capedges ? x->x_capedges * 2 : 1024;
		ex_edge_ref *ne = realloc(x->x_edges, cap * sizeof *ne);
		if (!ne)
			return gr_fail(x->x_err, GR_ENOMEM, "out of memory");
		x->x_edges = ne;
		x->x_capedges = cap;
	}
	x->x_edges[x->x_nedges++] = *e;
	return GR_OK;
}

static void sym(ftm_ctx *x, const char *name, uint16_t *id)
{
	if (gr_sym(x->x_txn, name, strlen(name), 0, id) != GR_OK)
		*id = 0;
}

int ex_ftm(gr_txn *txn, FILE *out, gr_error *err)
{
	ftm_ctx x;
	st_txn *st = gr_store_txn(txn);
	uint32_t id = 0;
	const void *rec;
	size_t len;
	int rc, r;

	memset(&x, 0, sizeof x);
	x.x_txn = txn;
	x.x_out = out;
	x.x_err = err;
	sym(&x, "Source", &x.s_source);
	sym(&x, "Sanction", &x.s_sanction);
	sym(&x, "ftm_id", &x.s_ftm_id);
	sym(&x, "claim", &x.s_claim);
	sym(&x, "name", &x.s_name);
	sym(&x, "ftm_schema", &x.s_ftm_schema);
	sym(&x, "precision", &x.s_precision);
	if ((rc = ex_symbol_ranks(txn, &x.x_rank, err)) != GR_OK)
		return rc;
	if ((rc = ex_each_edge(txn, x.x_rank, collect_edge, &x, err)) != GR_OK)
		goto done;
	while (rc == GR_OK && (r = st_node_next(st, &id, &rec, &len)) == ST_OK) {
		gr_node n;
		if ((x.s_source && gr_node_has_label_id(txn, id, x.s_source)) ||
		    (x.s_sanction && gr_node_has_label_id(txn, id, x.s_sanction)))
			continue;
		if ((rc = gr_node_load(txn, id, &n, err)) != GR_OK)
			break;
		ex_sort_props(n.n_props, n.n_nprops, x.x_rank);
		rc = write_node(&x, &n);
		gr_node_clear(&n);
	}
	for (size_t i = 0; rc == GR_OK && i < x.x_nedges; i++)
		rc = write_link(&x, &x.x_edges[i]);
	if (rc == GR_OK && ferror(out))
		rc = gr_fail(err, GR_EIO, "cannot write");
done:
	free(x.x_rank);
	free(x.x_edges);
	return rc;
}
