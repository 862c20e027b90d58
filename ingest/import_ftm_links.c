/*
 * import_ftm_links.c: the second pass of the FollowTheMoney importer: link
 * schemata become relationships between the nodes of the first pass (or
 * of the database), and node entity references (addressEntity, holder)
 * become relationships too.
 *
 *   Ownership      asset -> owner            OWNED_BY
 *   Directorship   director -> organization  DIRECTOR_OF
 *   Sanction       entity -> Sanction node   SANCTIONED_UNDER
 *   UnknownLink    subject -> object         LINKED_TO (ftm_schema, role)
 *   Associate      person -> associate       LINKED_TO (relationship)
 *   Family         person -> relative        LINKED_TO (relationship)
 *   Representation agent -> client           LINKED_TO (role)
 *   Employment, Membership, Succession, Occupancy, Payment, Debt: below.
 *
 * The link's FtM id is the relationship's `claim` (the contract's claim
 * identity): two links between the same nodes stay two claims, and the same
 * link imported again is the same claim.
 *
 * Dates: startDate -> start, endDate -> end, date -> date, listingDate ->
 * listed.  Several values: start, listed and date take the earliest, end
 * the latest; the others are reported and dropped.  A partial date ("2022",
 * "2022-03") is stored as the first day of its period (the last for end)
 * with `precision` year or month (<name>_precision for a second partial
 * date at another precision); a value that is no date is kept as
 * <name>_raw and reported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_ftm.h"
#include "ftm_said.h"
#include "../graph/claim.h"
#include "../graph/ftm_links.h"
#include "../graph/iter.h"


int ig_ftm_link(const char *schema)
{
	return gr_ftm_link_by_schema(schema) != NULL;
}

/* Sanction properties that describe the programme (the Sanction node);
 * the others describe the listing (the relationship). */
static int program_prop(const char *name)
{
	return strcmp(name, "program") == 0 || strcmp(name, "programId") == 0 || strcmp(name, "programUrl") == 0;
}

/* The date properties of links and their sanctgraph names; `latest` for
 * the end of a period. */
static const struct { const char *ftm, *sg; int latest; } dates[] = {
	{ "startDate", "start", 0 }, { "endDate", "end", 1 }, { "date", "date", 0 }, { "listingDate", "listed", 0 },
};

/* A date, partial or not, as days: the first day of its period (last with
 * latest); *prec 0 full, 1 month, 2 year.  -1 when it is no date. */
static int date_parse(const char *s, int latest, int32_t *days, int *prec)
{
	size_t len = strlen(s);
	char buf[16];
	gr_datetime dt;
	if (len >= 10 && gr_parse_date(s, 10, days) == 0 &&
	    (len == 10 || gr_parse_datetime(s, len, &dt) == 0)) {
		*prec = 0;
		return 0;
	}
	if (len == 7 && s[4] == '-') {
		snprintf(buf, sizeof buf, "%.7s-01", s);
		if (gr_parse_date(buf, 10, days) < 0)
			return -1;
		*prec = 1;
		if (latest) {
			gr_duration m = { 1, -1, 0, 0 };
			gr_date_add(*days, &m, 1, days);
		}
		return 0;
	}
	if (len == 4) {
		snprintf(buf, sizeof buf, "%.4s-%s", s, latest ? "12-31" : "01-01");
		if (gr_parse_date(buf, 10, days) < 0)
			return -1;
		*prec = 2;
		return 0;
	}
	return -1;
}

/* Maps one date property of a link into the edge's properties. */
static int link_date(ig_run *r, const ig_file *f, uint64_t line, const cJSON *prop, const char *sg, int latest,
    gr_prop **p, size_t *np)
{
	const cJSON *v;
	int32_t best = 0, d;
	int have = 0, prec = 0, bprec = 0, n = 0, rc;
	char msg[512], raw[64];

	gr_value raws = gr_list(0);
	snprintf(raw, sizeof raw, "%s_raw", sg);
	cJSON_ArrayForEach(v, prop) {
		if (!cJSON_IsString(v))
			continue;
		if (date_parse(v->valuestring, latest, &d, &prec) < 0) {
			snprintf(msg, sizeof msg, "%s \"%.200s\" is not a date; kept as %s", prop->string, v->valuestring, raw);
			ig_ftm_note(r, f, line, msg);
			if (gr_list_push(&raws, gr_cstring(v->valuestring)) < 0) {
				gr_value_free(&raws);
				return GR_ENOMEM;
			}
			continue;
		}
		n++;
		if (!have || (latest ? d > best : d < best)) {
			best = d;
			bprec = prec;
			have = 1;
		}
	}
	if (raws.u.list.n == 1) {
		gr_value one = gr_cstring(raws.u.list.items[0].u.s.ptr);
		gr_value_free(&raws);
		raws = one;
	}
	if (raws.type != GR_LIST || raws.u.list.n) {
		if ((rc = ig_ftm_prop_put(r, p, np, raw, raws)) != GR_OK)
			return rc;
	} else {
		gr_value_free(&raws);
	}
	if (!have)
		return GR_OK;
	if (n > 1) {
		snprintf(msg, sizeof msg, "%s has %d dates; %s takes the %s", prop->string, n, sg, latest ? "latest" : "earliest");
		ig_ftm_note(r, f, line, msg);
	}
	if ((rc = ig_ftm_prop_put(r, p, np, sg, gr_date(best))) != GR_OK)
		return rc;
	if (bprec) {
		/* the edge's `precision` is that of its first partial date; a
		 * later one at another precision gets <name>_precision */
		const char *pname = bprec == 1 ? "month" : "year";
		uint16_t key;
		const gr_value *cur = ig_sym(r, "precision", 9, 0, &key) == GR_OK ? gr_props_get(*p, *np, key) : NULL;
		char own[80];
		if (!cur)
			rc = ig_ftm_prop_put(r, p, np, "precision", gr_cstring(pname));
		else if (cur->type != GR_STRING || strcmp(cur->u.s.ptr, pname) != 0) {
			snprintf(own, sizeof own, "%s_precision", sg);
			rc = ig_ftm_prop_put(r, p, np, own, gr_cstring(pname));
		}
	}
	return rc;
}

/* A start after the end is refused by the domain: the end is kept as
 * end_raw (its text) and reported. */
static int span_check(ig_run *r, const ig_file *f, uint64_t line, gr_prop **p, size_t *np)
{
	uint16_t ks, ke;
	const gr_value *s, *e;
	char msg[160], text[16];
	if (ig_sym(r, "start", 5, 0, &ks) != GR_OK || ig_sym(r, "end", 3, 0, &ke) != GR_OK ||
	    !(s = gr_props_get(*p, *np, ks)) || !(e = gr_props_get(*p, *np, ke)) ||
	    s->type != GR_DATE || e->type != GR_DATE || s->u.date <= e->u.date)
		return GR_OK;
	gr_format_date(e->u.date, text);
	snprintf(msg, sizeof msg, "end %s is before start; kept as end_raw", text);
	ig_ftm_note(r, f, line, msg);
	if (gr_props_set(p, np, ke, gr_null()))
		return GR_ENOMEM;
	return ig_ftm_prop_put(r, p, np, "end_raw", gr_cstring(text));
}

/* Every property of a link but its endpoints (and, for a Sanction, its
 * programme) into the edge's properties. */
static int link_props(ig_run *r, const ig_file *f, uint64_t line, const gr_ftm_link *ls, const cJSON *props,
    gr_prop **p, size_t *np)
{
	const cJSON *prop;
	int rc;
	cJSON_ArrayForEach(prop, props) {
		char sg[128];
		const cJSON *v;
		gr_value list;
		size_t di;
		if (!cJSON_IsArray(prop) || !cJSON_GetArraySize(prop) || strcmp(prop->string, ls->from) == 0 ||
		    (ls->to && strcmp(prop->string, ls->to) == 0) ||
		    (!ls->to && program_prop(prop->string)))
			continue;
		for (di = 0; di < sizeof dates / sizeof dates[0]; di++)
			if (strcmp(dates[di].ftm, prop->string) == 0)
				break;
		if (di < sizeof dates / sizeof dates[0]) {
			if ((rc = link_date(r, f, line, prop, dates[di].sg, dates[di].latest, p, np)) != GR_OK)
				return rc;
			continue;
		}
		ig_ftm_sg_name(prop->string, sg, sizeof sg);
		list = gr_list((size_t)cJSON_GetArraySize(prop));
		cJSON_ArrayForEach(v, prop)
			if (cJSON_IsString(v) && gr_list_push(&list, ig_ftm_value(prop->string, v->valuestring)) < 0) {
				gr_value_free(&list);
				return GR_ENOMEM;
			}
		if (list.u.list.n == 1) {
			gr_value one = list.u.list.items[0];
			list.u.list.n = 0;
			gr_value_free(&list);
			list = one;
		}
		if ((rc = ig_ftm_prop_put(r, p, np, sg, list)) != GR_OK)
			return rc;
	}
	return span_check(r, f, line, p, np);
}

/* The first string of property `name`, or NULL. */
static const char *first_str(const cJSON *props, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, name);
	v = cJSON_IsArray(v) ? v->child : NULL;
	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* The Sanction node of a Sanction entity: keyed by its programId, else its
 * program, else its own id. */
static int sanction_node(ig_run *r, ig_ftm *s, const cJSON *ent, const char *id, const cJSON *props, uint32_t *out)
{
	const char *key = first_str(props, "programId");
	const char *program = first_str(props, "program"), *authority = first_str(props, "authority");
	const char *pid = key, *url = first_str(props, "programUrl");
	uint16_t label;
	gr_node n;
	gr_error e;
	int rc;
	char print[2048];
	int plen;
	ig_ftm_program *pg;

	if (!key)
		key = program ? program : id;
	/* the same programme said again with the same properties, through
	 * datasets it already cites, changes nothing: not merged again */
	plen = snprintf(print, sizeof print, "%s%c%s%c%s%c%s", program ? program : "", 0, pid ? pid : "", 0,
	    url ? url : "", 0, authority ? authority : "");
	if (plen < 0 || (size_t)plen >= sizeof print)
		pg = NULL;
	else if (!(pg = ig_ftm_program_get(r, s, key, print, (size_t)plen)))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (pg && pg->pg_id && pg->pg_plen == (size_t)plen && memcmp(pg->pg_print, print, (size_t)plen) == 0) {
		ftm_sets sets;
		size_t have = 0, n_real = 0;
		if ((rc = ig_ftm_sets(r, s, ent, &sets)) != GR_OK)
			return rc;
		for (size_t i = 0; i < sets.fx_n; i++) {
			if (!sets.fx_srcs[i])
				continue;
			n_real++;
			for (size_t j = 0; j < pg->pg_ncites; j++)
				if (pg->pg_cites[j] == sets.fx_srcs[i]) {
					have++;
					break;
				}
		}
		if (have == n_real) {
			gr_bulk_count_same(r->r_bulk, 1, n_real);
			r->r_stats.s_nodes++;
			*out = pg->pg_id;
			return GR_OK;
		}
	}
	gr_node_init(&n);
	if ((rc = ig_sym(r, "Sanction", 8, 1, &label)) != GR_OK)
		return gr_fail(r->r_err, rc, "cannot store a label");
	if (!(n.n_labels = malloc(sizeof *n.n_labels)) || !(n.n_key = strdup(key)))
		goto nomem;
	n.n_labels[0] = label;
	n.n_nlabels = 1;
	n.n_keylen = strlen(key);
	if ((program && ig_ftm_prop_put(r, &n.n_props, &n.n_nprops, "program", gr_cstring(program))) ||
	    (pid && ig_ftm_prop_put(r, &n.n_props, &n.n_nprops, "program_id", gr_cstring(pid))) ||
	    (url && ig_ftm_prop_put(r, &n.n_props, &n.n_nprops, "program_url", gr_cstring(url))) ||
	    (authority && ig_ftm_prop_put(r, &n.n_props, &n.n_nprops, "authority", gr_cstring(authority))))
		goto nomem;
	if ((rc = ig_ftm_cites(r, s, ent, &n.n_cites, &n.n_ncites)) != GR_OK) {
		gr_node_clear(&n);
		return rc;
	}
	rc = gr_bulk_node_own(r->r_bulk, &n, out, &e);
	if (rc == GR_OK && pg) {
		/* what it was said with; the Sources it cites now */
		uint32_t *nc = realloc(pg->pg_cites, (pg->pg_ncites + n.n_ncites + 1) * sizeof *nc);
		if (!nc) {
			gr_node_clear(&n);
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		}
		pg->pg_cites = nc;
		for (size_t i = 0; i < n.n_ncites; i++) {
			size_t j;
			for (j = 0; j < pg->pg_ncites && nc[j] != n.n_cites[i].c_source; j++)
				;
			if (j == pg->pg_ncites)
				nc[pg->pg_ncites++] = n.n_cites[i].c_source;
		}
		if (pg->pg_id && pg->pg_id != *out)
			pg->pg_ncites = 0;
		pg->pg_id = *out;
		if (pg->pg_plen != (size_t)plen || memcmp(pg->pg_print, print, (size_t)plen) != 0) {
			/* said with other properties: the next line merges again */
			pg->pg_id = 0;
		}
	}
	gr_node_clear(&n);
	if (rc != GR_OK)
		return gr_fail(r->r_err, rc, "sanction %s: %s", key, e.msg);
	r->r_stats.s_nodes++;
	return GR_OK;
nomem:
	gr_node_clear(&n);
	return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
}

/* Resolves endpoint property `prop` of a link: its first value that names
 * a node.  0 and a note when none does. */
static uint32_t endpoint(ig_run *r, ig_ftm *s, const ig_file *f, uint64_t line, const char *id,
    const cJSON *props, const char *prop)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(props, prop), *x;
	char msg[512];
	cJSON_ArrayForEach(x, v) {
		uint32_t node;
		if (cJSON_IsString(x) && ig_ftm_resolve(r, s, x->valuestring, &node) == 1)
			return node;
	}
	snprintf(msg, sizeof msg, "%s: %s %.200s is in neither the import nor the database; link skipped", id, prop,
	    cJSON_IsArray(v) && cJSON_IsString(v->child) ? v->child->valuestring : "(none)");
	ig_ftm_note(r, f, line, msg);
	return 0;
}

/* sanctgraph's own relationship types, which `export --format ftm` writes
 * as UnknownLinks whose role is the type: such a link gets its type back. */
static const char *const builtin_types[] = { "CALLED_AT", "SIGHTED_AT", "AIS_GAP", "ENCOUNTERED",
	"TRANSFERRED_TO", "CARRIED", "LOADED_AT", "DELIVERED_TO", "MANAGED_BY", "OPERATED_BY" };

static const char *builtin_role(const gr_ftm_link *ls, const cJSON *props)
{
	const char *role = strcmp(ls->schema, "UnknownLink") == 0 ? first_str(props, "role") : NULL;
	const cJSON *all = cJSON_GetObjectItemCaseSensitive(props, "role");
	if (!role || cJSON_GetArraySize(all) != 1)
		return ls->type;
	for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++)
		if (strcmp(builtin_types[i], role) == 0)
			return builtin_types[i];
	return ls->type;
}

/* Removes the `role` that named the type. */
static int drop_role(ig_run *r, gr_edge *e)
{
	uint16_t key;
	if (ig_sym(r, "role", 4, 0, &key) != GR_OK)
		return GR_OK;
	return gr_props_set(&e->e_props, &e->e_nprops, key, gr_null()) ? GR_ENOMEM : GR_OK;
}

/* ---------------------------------------------------------------- statements on relationships */

/* A relationship found in the store or this import. */
typedef struct ftm_rel {
	uint32_t fr_id, fr_src, fr_dst;
	uint16_t fr_type;
} ftm_rel;

typedef struct rel_list {
	ftm_rel *rl_r;
	size_t rl_n, rl_cap;
} rel_list;

static int rel_push(rel_list *l, uint32_t id, uint32_t src, uint32_t dst, uint16_t type)
{
	for (size_t i = 0; i < l->rl_n; i++)
		if (l->rl_r[i].fr_id == id)
			return 0;
	if (l->rl_n == l->rl_cap) {
		size_t cap = l->rl_cap ? l->rl_cap * 2 : 8;
		ftm_rel *nr = realloc(l->rl_r, cap * sizeof *nr);
		if (!nr)
			return -1;
		l->rl_r = nr;
		l->rl_cap = cap;
	}
	l->rl_r[l->rl_n++] = (ftm_rel){ id, src, dst, type };
	return 0;
}

/* The stored relationships of type at node (dir GR_OUT or GR_IN), to nbr
 * only when nbr is not 0. */
static int store_rels(ig_run *r, int dir, uint32_t node, uint16_t type, uint32_t nbr, rel_list *l)
{
	gr_rels it;
	gr_rel a;
	int rc = 0;
	if (gr_rels_open(r->r_txn, &it, r->r_err) != GR_OK) {
		gr_rels_close(&it);
		return GR_ENOMEM;
	}
	if (gr_rels_seek(&it, node, dir, type, nbr) == GR_OK)
		while (rc == 0 && (rc = gr_rels_next(&it, &a)) == 1) {
			rc = 0;
			if (a.r_type != type || (nbr && a.r_nbr != nbr))
				continue;
			if (rel_push(l, a.r_edge, a.r_src, a.r_dst, type) < 0)
				rc = -2;
		}
	gr_rels_close(&it);
	if (rc == -2)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	if (rc < 0)
		return gr_fail(r->r_err, GR_EIO, "adjacency: cannot read relationships");
	return GR_OK;
}

/* Whether relationship x is a statement of entity `id`: a link's `claim`
 * is its id; a node reference (claim NULL) carries its statement, or none
 * yet (made before statements were kept). */
static int rel_is(ig_run *r, const ftm_rel *x, const char *claim, const char *id, gr_edge *out, gr_error *ge)
{
	uint16_t k;
	const gr_value *v;
	gr_edge_init(out);
	out->e_id = x->fr_id;
	out->e_src = x->fr_src;
	out->e_dst = x->fr_dst;
	out->e_type = x->fr_type;
	if (gr_edge_load_props(r->r_txn, out, ge) != GR_OK)
		return -1;
	if (claim)
		return ig_sym(r, "claim", 5, 0, &k) == GR_OK && (v = gr_props_get(out->e_props, out->e_nprops, k)) &&
		    v->type == GR_STRING && strcmp(v->u.s.ptr, claim) == 0;
	return ig_sym(r, "ftm_said", 8, 0, &k) != GR_OK || !gr_props_get(out->e_props, out->e_nprops, k) ||
	    ig_said_has(r, out->e_props, out->e_nprops, id);
}

/* Applies say to relationship x (loaded in e) and writes it. */
static int rel_apply(ig_run *r, const ig_file *f, uint64_t line, gr_edge *e, const ig_say *say, const gr_edge *in)
{
	ig_said_result res;
	gr_error ge;
	int rc = ig_said_apply(r, say, &e->e_props, &e->e_nprops, &e->e_cites, &e->e_ncites,
	    in ? in->e_props : NULL, in ? in->e_nprops : 0, &res);
	if (rc != GR_OK)
		return rc;
	if ((rc = gr_bulk_edge_replace(r->r_bulk, e, &ge)) != GR_OK)
		return ig_graph_error(r, f, line, rc, &ge);
	return GR_OK;
}

/* Says relationship e (ends, type, properties; the statement's datasets
 * not yet cited) for say: the relationship between the same ends that is
 * this entity's (a link: its `claim` is the entity's id) is said again;
 * with moved, those of the entity elsewhere (a link whose end changed)
 * are no longer said; else e is a new claim.  *made: 1 when e was new. */
static int rel_say(ig_run *r, ig_ftm *s, const ig_file *f, uint64_t line, gr_edge *e, const char *claim,
    const ig_say *say, int moved, uint32_t *out)
{
	rel_list l = { 0 };
	uint32_t *ids = NULL;
	size_t nids = 0;
	int rc = GR_OK, said = 0;
	gr_error ge;

	if (!ig_ftm_db_empty(s)) {
		if ((rc = store_rels(r, GR_OUT, e->e_src, e->e_type, moved ? 0 : e->e_dst, &l)) == GR_OK && moved)
			rc = store_rels(r, GR_IN, e->e_dst, e->e_type, 0, &l);
	}
	if (rc == GR_OK && gr_bulk_edges_between(r->r_bulk, e, &ids, &nids) != GR_OK)
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < nids && rc == GR_OK; i++)
		if (rel_push(&l, ids[i], e->e_src, e->e_dst, e->e_type) < 0)
			rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	free(ids);
	for (size_t i = 0; i < l.rl_n && rc == GR_OK; i++) {
		ftm_rel *x = &l.rl_r[i];
		gr_edge cur;
		int is = rel_is(r, x, claim, say->sy_id, &cur, &ge);
		if (is < 0) {
			rc = ig_graph_error(r, f, line, GR_EIO, &ge);
		} else if (is && x->fr_src == e->e_src && x->fr_dst == e->e_dst && !said) {
			said = 1;
			*out = x->fr_id;
			rc = rel_apply(r, f, line, &cur, say, e);
		} else if (is && (x->fr_src != e->e_src || x->fr_dst != e->e_dst)) {
			ig_say gone = *say;
			gone.sy_assert = 0;
			rc = rel_apply(r, f, line, &cur, &gone, NULL);
		}
		gr_edge_clear(&cur);
	}
	free(l.rl_r);
	if (rc != GR_OK || said)
		return rc;
	if ((rc = ig_said_fresh(r, say, &e->e_props, &e->e_nprops, &e->e_cites, &e->e_ncites)) != GR_OK)
		return rc;
	if ((rc = gr_bulk_edge_own(r->r_bulk, e, &ge)) == GR_EINVALID)
		return gr_fail(r->r_err, rc, "%s", ge.msg);   /* the caller reports it */
	if (rc != GR_OK)
		return ig_graph_error(r, f, line, rc, &ge);
	r->r_stats.s_edges++;
	*out = e->e_id;
	return GR_OK;
}

/* One link entity as a relationship. */
static int link_entity(ig_run *r, ig_ftm *s, const ig_file *f, uint64_t line, const cJSON *ent, int op)
{
	const char *id = cJSON_GetObjectItemCaseSensitive(ent, "id")->valuestring;
	const char *schema = cJSON_GetObjectItemCaseSensitive(ent, "schema")->valuestring;
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(ent, "properties");
	const gr_ftm_link *ls = gr_ftm_link_by_schema(schema);
	const char *type;
	uint32_t from, to, made;
	gr_edge e;
	ftm_sets sets;
	ig_say say;
	int rc;

	if (!(from = endpoint(r, s, f, line, id, props, ls->from)))
		return GR_OK;
	if (ls->to) {
		if (!(to = endpoint(r, s, f, line, id, props, ls->to)))
			return GR_OK;
	} else if ((rc = sanction_node(r, s, ent, id, props, &to)) != GR_OK) {
		return rc;
	}
	gr_edge_init(&e);
	e.e_src = from;
	e.e_dst = to;
	type = builtin_role(ls, props);
	if ((rc = ig_sym(r, type, strlen(type), 1, &e.e_type)) != GR_OK)
		return gr_fail(r->r_err, rc, "cannot store a type");
	if ((rc = link_props(r, f, line, ls, props, &e.e_props, &e.e_nprops)) != GR_OK ||
	    (rc = ig_ftm_prop_put(r, &e.e_props, &e.e_nprops, "claim", gr_cstring(id))) != GR_OK ||
	    (type != ls->type && (rc = drop_role(r, &e)) != GR_OK) ||
	    (type == ls->type && strcmp(ls->type, "LINKED_TO") == 0 &&
	    (rc = ig_ftm_prop_put(r, &e.e_props, &e.e_nprops, "ftm_schema", gr_cstring(schema))) != GR_OK)) {
		gr_edge_clear(&e);
		return rc == GR_ENOMEM ? gr_fail(r->r_err, rc, "out of memory") : rc;
	}
	if ((rc = ig_ftm_sets(r, s, ent, &sets)) != GR_OK) {
		gr_edge_clear(&e);
		return rc;
	}
	ig_ftm_say_init(&say, r, f, id, &sets, ig_ftm_which(op, &sets), 1, 0);
	say.sy_self = id;       /* the relationship's claim */
	rc = rel_say(r, s, f, line, &e, id, &say, 1, &made);
	if (rc == GR_EINVALID) {
		/* a link the domain refuses (a Vessel as a director): reported,
		 * never an abort */
		char msg[1200];
		snprintf(msg, sizeof msg, "%s %s: %s; link skipped", schema, id, r->r_err->msg);
		ig_ftm_note(r, f, line, msg);
		rc = GR_OK;
	}
	gr_edge_clear(&e);
	return rc;
}

/* The node references noted in the first pass, as relationships citing
 * the node line's datasets; the relationships said for nodes that existed
 * are noted in `said` for the sweep. */
static int node_refs(ig_run *r, ig_ftm *s, const ig_file *f, ig_map *said)
{
	gr_buf *refs = (gr_buf *)ig_ftm_refs(s);
	const unsigned char *p = refs->b_data, *end = p + refs->b_len;
	static const char *const props[] = { "addressEntity", "holder", "parent" };
	int rc = GR_OK;
	while (p < end && rc == GR_OK) {
		uint32_t from, to, lineoff, made = 0;
		size_t len = (size_t)(p[5] | p[6] << 8);
		const char *type = ig_ftm_ref_type(props[p[4]]);
		char *text = strndup((const char *)p + 7, len);
		gr_edge e;
		ig_say say;
		ftm_sets sets;
		int existed;
		memcpy(&from, p, 4);
		memcpy(&lineoff, p + 7 + len, 4);
		p += 11 + len;
		if (!text)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		if (ig_ftm_resolve(r, s, text, &to) != 1) {
			free(text);
			continue;      /* an address OpenSanctions did not publish */
		}
		free(text);
		existed = ig_ftm_line_say(r, s, f, lineoff, 1, &say, &sets);
		gr_edge_init(&e);
		e.e_src = from;
		e.e_dst = to;
		if ((rc = ig_sym(r, type, strlen(type), 1, &e.e_type)) != GR_OK)
			return gr_fail(r->r_err, rc, "cannot store a type");
		rc = rel_say(r, s, f, 0, &e, NULL, &say, 0, &made);
		if (rc == GR_EINVALID)
			rc = ig_bad(r, f, 0, "%s", r->r_err->msg);
		if (rc == GR_OK && existed && made && ig_map_put(said, 1, (const char *)&made, 4, 1) < 0)
			rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		gr_edge_clear(&e);
	}
	return rc;
}

/* The references of nodes said again (or deleted) that the line no longer
 * gives: their statement of the line's entity goes, and uncited they get
 * `withdrawn`. */
static int sweep(ig_run *r, ig_ftm *s, const ig_file *f, const ig_map *said)
{
	gr_buf *sw = ig_ftm_sweep(s);
	static const char *const types[] = { "HAS_ADDRESS", "HELD_BY", "PART_OF" };
	int rc = GR_OK;
	if (ig_ftm_db_empty(s))
		return GR_OK;      /* nothing of the store to take back */
	for (size_t off = 0; off + 9 <= sw->b_len && rc == GR_OK; off += 9) {
		uint32_t node, lineoff, v;
		ig_say say;
		ftm_sets sets;
		memcpy(&node, sw->b_data + off, 4);
		memcpy(&lineoff, sw->b_data + off + 4, 4);
		ig_ftm_line_say(r, s, f, lineoff, 0, &say, &sets);
		for (size_t t = 0; t < 3 && rc == GR_OK; t++) {
			rel_list l = { 0 };
			uint16_t type;
			if (ig_sym(r, types[t], strlen(types[t]), 0, &type) != GR_OK)
				continue;
			rc = store_rels(r, GR_OUT, node, type, 0, &l);
			for (size_t i = 0; i < l.rl_n && rc == GR_OK; i++) {
				gr_edge cur;
				gr_error ge;
				int is;
				if (ig_map_get(said, 1, (const char *)&l.rl_r[i].fr_id, 4, &v))
					continue;
				is = rel_is(r, &l.rl_r[i], NULL, say.sy_id, &cur, &ge);
				if (is < 0)
					rc = ig_graph_error(r, f, 0, GR_EIO, &ge);
				else if (is)
					rc = rel_apply(r, f, 0, &cur, &say, NULL);
				gr_edge_clear(&cur);
			}
			free(l.rl_r);
		}
	}
	return rc;
}

/* The ids the DEL lines of f name, each to its pending index, in *want
 * (NULL when there are none). */
static int del_ids(ig_run *r, ig_ftm *s, const ig_file *f, ig_map **want)
{
	size_t i = 0, off, len, n = 0;
	uint64_t line;
	int op, rc = GR_OK;

	*want = NULL;
	while ((i = ig_ftm_pending(s, f, i, &off, &len, &line, &op)) != (size_t)-1) {
		i++;
		n += op == IG_FTM_DEL;
	}
	if (!n)
		return GR_OK;
	if (!(*want = ig_map_new()))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	for (i = 0; (i = ig_ftm_pending(s, f, i, &off, &len, &line, &op)) != (size_t)-1; i++) {
		cJSON *root, *ent, *id;
		if (op != IG_FTM_DEL)
			continue;
		if (!(root = cJSON_ParseWithLength(f->f_data + off, len)))
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		ent = cJSON_GetObjectItemCaseSensitive(root, "entity");
		id = cJSON_GetObjectItemCaseSensitive(ent, "id");
		if (cJSON_IsString(id) && ig_map_put(*want, 1, id->valuestring, strlen(id->valuestring), (uint32_t)i) < 0)
			rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		cJSON_Delete(root);
		if (rc != GR_OK)
			return rc;
	}
	return GR_OK;
}

/* Adds relationship id to l when its `claim` (property ck) is in want. */
static int claimed(ig_run *r, ig_map *want, uint16_t ck, rel_list *l, uint32_t id, uint32_t src,
    uint32_t dst, uint16_t type)
{
	gr_value cv;
	uint32_t v;
	int rc = GR_OK;
	if (gr_edge_prop(r->r_txn, id, ck, &cv) != GR_OK)
		return GR_OK;
	if (cv.type == GR_STRING && ig_map_get(want, 1, cv.u.s.ptr, cv.u.s.len, &v) &&
	    rel_push(l, id, src, dst, type) < 0)
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	gr_value_free(&cv);
	return rc;
}

/* The relationships that carry a DEL'd id as their `claim`: in the store,
 * then those this import made. */
static int del_rels(ig_run *r, ig_ftm *s, ig_map *want, rel_list *l)
{
	uint32_t src = 0, dst, id;
	uint16_t ck, type;
	int rc = GR_OK;

	if (ig_sym(r, "claim", 5, 0, &ck) != GR_OK)
		return GR_OK;
	if (!ig_ftm_db_empty(s)) {
		gr_rels it;
		gr_rel a;
		int got;
		if (gr_rels_open(r->r_txn, &it, r->r_err) != GR_OK) {
			rc = GR_ENOMEM;
		} else {
			gr_rels_all(&it);
			while (rc == GR_OK && (got = gr_rels_next(&it, &a)) == 1)
				rc = claimed(r, want, ck, l, a.r_edge, a.r_src, a.r_dst, a.r_type);
			if (rc == GR_OK && got < 0)
				rc = gr_fail(r->r_err, GR_EIO, "adjacency: cannot read relationships");
		}
		gr_rels_close(&it);
	}
	for (size_t k = 0; rc == GR_OK && gr_bulk_new_edges(r->r_bulk, k, &src, &dst, &type, &id); k++)
		rc = claimed(r, want, ck, l, id, src, dst, type);
	return rc;
}

/* DEL lines of links: every relationship whose `claim` is a DEL'd id, in
 * the store or made by this import, no longer said by the line's datasets
 * (all of them when it names none); applied line by line, and a DEL that
 * named nothing is reported. */
static int dels(ig_run *r, ig_ftm *s, const ig_file *f)
{
	size_t i, off, len;
	uint64_t line;
	int op, rc;
	ig_map *want;
	rel_list l = { 0 };

	if ((rc = del_ids(r, s, f, &want)) != GR_OK || !want) {
		ig_map_free(want);
		return rc;
	}
	rc = del_rels(r, s, want, &l);
	for (i = 0; rc == GR_OK && (i = ig_ftm_pending(s, f, i, &off, &len, &line, &op)) != (size_t)-1; i++) {
		cJSON *root, *ent, *id;
		size_t hits = 0;
		if (op != IG_FTM_DEL)
			continue;
		if (!(root = cJSON_ParseWithLength(f->f_data + off, len))) {
			rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
			break;
		}
		ent = cJSON_GetObjectItemCaseSensitive(root, "entity");
		id = cJSON_GetObjectItemCaseSensitive(ent, "id");
		for (size_t k = 0; rc == GR_OK && k < l.rl_n; k++) {
			gr_edge cur;
			gr_error ge;
			ftm_sets sets;
			ig_say say;
			int is = rel_is(r, &l.rl_r[k], id->valuestring, id->valuestring, &cur, &ge);
			if (is < 0) {
				rc = ig_graph_error(r, f, line, GR_EIO, &ge);
			} else if (is) {
				hits++;
				if ((rc = ig_ftm_sets(r, s, ent, &sets)) == GR_OK) {
					if (sets.fx_n == 1 && !*sets.fx_names[0])
						sets.fx_n = 0;
					ig_ftm_say_init(&say, r, f, id->valuestring, &sets, sets.fx_n ? IG_SAY_GIVEN : IG_SAY_ALL, 0, 1);
					say.sy_self = id->valuestring;
					rc = rel_apply(r, f, line, &cur, &say, NULL);
				}
			}
			gr_edge_clear(&cur);
		}
		if (rc == GR_OK && !hits) {
			char msg[1200];
			snprintf(msg, sizeof msg, "DEL %.1000s: no such entity; nothing to remove", id->valuestring);
			ig_ftm_note(r, f, line, msg);
		}
		cJSON_Delete(root);
	}
	free(l.rl_r);
	ig_map_free(want);
	return rc;
}

int ig_ftm_links(ig_run *r, ig_ftm *s, const ig_file *f)
{
	size_t i = 0, off, len;
	uint64_t line;
	int op, rc;

	ig_map *said = ig_map_new();
	if (!said)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	rc = node_refs(r, s, f, said);
	if (rc == GR_OK)
		rc = sweep(r, s, f, said);
	ig_map_free(said);
	ig_ftm_pass_done(s);
	if (rc != GR_OK)
		return rc;
	while ((i = ig_ftm_pending(s, f, i, &off, &len, &line, &op)) != (size_t)-1) {
		cJSON *root, *ent;
		i++;
		if (op == IG_FTM_DEL)
			continue;
		if (!(root = ig_ftm_parse(s, f->f_data + off, len)))
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		ent = cJSON_GetObjectItemCaseSensitive(root, "op") ? cJSON_GetObjectItemCaseSensitive(root, "entity") : root;
		rc = link_entity(r, s, f, line, ent, op);
		ig_ftm_parsed(s);
		if (rc != GR_OK)
			return rc;
	}
	return dels(r, s, f);
}
