/*
 * import_ftm.c: FollowTheMoney entity lines (plain FtM, OpenSanctions'
 * exports with caption/datasets/referents/first_seen..., and delta files of
 * {"op":"ADD"|"MOD"|"DEL","entity":{...}}), read with cJSON: every FtM value
 * is a string, so nothing is lost (the native JSONL keeps its own exact
 * parser for 64-bit integers).
 *
 * Two passes over every FtM input of an import: ig_import_ftm(r, f, 0)
 * stores the entities that are nodes and notes the link entities and the
 * entity references (addressEntity, holder) of nodes; ig_import_ftm(r, f,
 * 1) then makes the relationships, once every node of every input exists,
 * whatever the order of the lines.  The mapping is described in ingest.h.
 *
 * Every node and relationship written records which dataset said which of
 * its values (ftm_said.h), so that a line said again (a delta's MOD, or the
 * next export) replaces what its datasets said: values, references and
 * links they no longer give are taken back unless someone else gives them,
 * and what nobody cites any more is `withdrawn`, never deleted.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "ingest.h"
#include "import_ftm.h"
#include "ftm_said.h"

/* Namespaces of the state's map. */
enum { NS_NODE = 1, NS_DATASET = 2, NS_PROGRAM = 3 };

/* A link line to make in the second pass. */
typedef struct ftm_pending {
	const ig_file *pd_file;
	size_t pd_off, pd_len;
	uint64_t pd_line;
	int pd_op;
} ftm_pending;

/* A dataset of --datasets. */
typedef struct ftm_dataset {
	char *ds_name, *ds_title, *ds_publisher, *ds_url, *ds_type;
} ftm_dataset;

struct ig_ftm {
	ig_map *fs_map;            /* NS_NODE: FtM id or referent -> node; NS_DATASET: -> Source */
	ftm_pending *fs_links;
	size_t fs_nlinks, fs_caplinks;
	gr_buf fs_refs;            /* [u32 from][u8 kind][u16 len][id][u32 line] node references */
	gr_buf fs_lines;           /* the statement of each node line with references or a sweep:
	                            * [u8 which][u8 nsets][u8 existed][i32 date][id \0][dataset \0]... */
	gr_buf fs_sweep;           /* [u32 node][u32 line][u8 assert]: nodes said again, whose
	                            * references no longer given lose the line's statement */
	ftm_dataset *fs_sets;
	size_t fs_nsets;
	uint16_t fs_labels[16];    /* entity labels present before the import */
	size_t fs_nlabels;
	int fs_ready, fs_db_empty;
	uint64_t fs_notes;         /* warnings in this attempt */
	ig_ftm_program *fs_progs;  /* the Sanction nodes said in this import */
	size_t fs_nprogs, fs_capprogs;
	struct ftm_chunk {         /* the arena each line's JSON tree is parsed into */
		char *ch_mem;
		size_t ch_cap;
	} fs_chunks[64];
	size_t fs_nchunks, fs_chunk, fs_used;
	struct ftm_symname {       /* property names by symbol, read once */
		char *sn_name;
		size_t sn_len;
	} *fs_names;
};

/* Warnings shown one by one; beyond this many, only counted. */
#define NOTES_SHOWN 100

enum { OP_ADD = IG_FTM_ADD, OP_MOD = IG_FTM_MOD, OP_DEL = IG_FTM_DEL };

static int pending_add(ig_run *r, ig_ftm *s, const ig_file *f, size_t off, size_t len, uint64_t line, int op);

/* ---------------------------------------------------------------- state */

static int state_get(ig_run *r, ig_ftm **out)
{
	static const char *const labels[] = { "Vessel", "Company", "Organization", "LegalEntity", "Person",
		"Aircraft", "Address", "Asset", "Passport", "Identification", "PublicBody", "Airplane" };
	ig_ftm *s = r->r_ftm;
	uint32_t next = 0;

	if (!s) {
		if (!(s = calloc(1, sizeof *s)) || !(s->fs_map = ig_map_new())) {
			free(s);
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		}
		r->r_ftm = s;
	}
	if (!s->fs_ready) {
		next = gr_id_next(r->r_txn, 0);
		s->fs_db_empty = next <= 1;
		for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
			uint16_t id;
			if (gr_sym(r->r_txn, labels[i], strlen(labels[i]), 0, &id) == GR_OK &&
			    s->fs_nlabels < sizeof s->fs_labels / sizeof s->fs_labels[0])
				s->fs_labels[s->fs_nlabels++] = id;
		}
		s->fs_ready = 1;
	}
	*out = s;
	return GR_OK;
}

void ig_ftm_free(ig_ftm *s)
{
	if (!s)
		return;
	ig_map_free(s->fs_map);
	free(s->fs_links);
	gr_buf_free(&s->fs_refs);
	gr_buf_free(&s->fs_lines);
	gr_buf_free(&s->fs_sweep);
	for (size_t i = 0; i < s->fs_nprogs; i++) {
		free(s->fs_progs[i].pg_print);
		free(s->fs_progs[i].pg_cites);
	}
	free(s->fs_progs);
	for (size_t i = 0; i < s->fs_nchunks; i++)
		free(s->fs_chunks[i].ch_mem);
	if (s->fs_names)
		for (size_t i = 0; i < 65536; i++)
			free(s->fs_names[i].sn_name);
	free(s->fs_names);
	for (size_t i = 0; i < s->fs_nsets; i++) {
		free(s->fs_sets[i].ds_name);
		free(s->fs_sets[i].ds_title);
		free(s->fs_sets[i].ds_publisher);
		free(s->fs_sets[i].ds_url);
		free(s->fs_sets[i].ds_type);
	}
	free(s->fs_sets);
	free(s);
}

/* A note on something kept but not as given (a value failing a check, an
 * ambiguous referent, a link to an entity that is nowhere): reported once
 * (also across replays), never an error. */
static void note(ig_run *r, const ig_file *f, uint64_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void note(ig_run *r, const ig_file *f, uint64_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n = snprintf(msg, sizeof msg, "%s:%llu: warning: ", f->f_name, (unsigned long long)line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (r->r_ftm && r->r_ftm->fs_notes++ >= NOTES_SHOWN)
		return;
	if (r->r_nbad++ >= r->r_reported && r->r_opt->o_report)
		r->r_opt->o_report(r->r_opt->o_arg, msg);
}

void ig_ftm_finish(ig_run *r)
{
	char msg[128];
	if (!r->r_ftm || r->r_ftm->fs_notes <= NOTES_SHOWN || !r->r_opt->o_report)
		return;
	snprintf(msg, sizeof msg, "warning: %llu more FtM warnings not shown",
	    (unsigned long long)(r->r_ftm->fs_notes - NOTES_SHOWN));
	r->r_opt->o_report(r->r_opt->o_arg, msg);
}

/* ---------------------------------------------------------------- parsing */

/* cJSON allocates every item and string of a tree on its own; a line's
 * tree lives only while its line is read, so it is parsed into an arena
 * that the next line reuses (cJSON's hooks are global: they are set for
 * the parse only, and a tree parsed so is never given to cJSON_Delete). */
static ig_ftm *arena_of;

static void *arena_alloc(size_t n)
{
	ig_ftm *s = arena_of;
	n = (n + 15) & ~(size_t)15;
	while (s->fs_chunk < s->fs_nchunks && s->fs_used + n > s->fs_chunks[s->fs_chunk].ch_cap) {
		s->fs_chunk++;
		s->fs_used = 0;
	}
	if (s->fs_chunk == s->fs_nchunks) {
		size_t grow = (size_t)1 << (20 + (s->fs_nchunks < 12 ? s->fs_nchunks : 12));
		size_t cap = n > grow ? n : grow;
		if (s->fs_nchunks == sizeof s->fs_chunks / sizeof s->fs_chunks[0] ||
		    !(s->fs_chunks[s->fs_nchunks].ch_mem = malloc(cap)))
			return NULL;
		s->fs_chunks[s->fs_nchunks++].ch_cap = cap;
		s->fs_used = 0;
	}
	s->fs_used += n;
	return s->fs_chunks[s->fs_chunk].ch_mem + s->fs_used - n;
}

static void arena_free(void *p)
{
	(void)p;       /* the whole arena is reused by the next line */
}

cJSON *ig_ftm_parse(ig_ftm *s, const char *text, size_t len)
{
	cJSON_Hooks hooks = { arena_alloc, arena_free };
	cJSON *root;
	ig_ftm_parsed(s);
	arena_of = s;
	cJSON_InitHooks(&hooks);
	root = cJSON_ParseWithLength(text, len);
	cJSON_InitHooks(NULL);
	arena_of = NULL;
	return root;
}

void ig_ftm_parsed(ig_ftm *s)
{
	/* a line far larger than most gives its memory back */
	while (s->fs_nchunks > 3)
		free(s->fs_chunks[--s->fs_nchunks].ch_mem);
	s->fs_chunk = 0;
	s->fs_used = 0;
}

/* ---------------------------------------------------------------- datasets index */

static char *json_str_dup(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
	return cJSON_IsString(v) && v->valuestring ? strdup(v->valuestring) : NULL;
}

int ig_ftm_datasets(ig_run *r, const char *data, size_t len, const char *name)
{
	ig_ftm *s;
	cJSON *root, *sets, *d;
	int rc;

	if ((rc = state_get(r, &s)) != GR_OK)
		return rc;
	if (s->fs_nsets)
		return GR_OK;          /* read once; a replay keeps it */
	if (!(root = cJSON_ParseWithLength(data, len)))
		return gr_fail(r->r_err, GR_EINVALID, "%s: not a JSON dataset index", name);
	sets = cJSON_GetObjectItemCaseSensitive(root, "datasets");
	if (!cJSON_IsArray(sets)) {
		cJSON_Delete(root);
		return gr_fail(r->r_err, GR_EINVALID, "%s: no \"datasets\" list (OpenSanctions' index.json)", name);
	}
	s->fs_sets = calloc((size_t)cJSON_GetArraySize(sets) + 1, sizeof *s->fs_sets);
	if (!s->fs_sets) {
		cJSON_Delete(root);
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	cJSON_ArrayForEach(d, sets) {
		ftm_dataset *ds = &s->fs_sets[s->fs_nsets];
		const cJSON *pub = cJSON_GetObjectItemCaseSensitive(d, "publisher");
		if (!(ds->ds_name = json_str_dup(d, "name")))
			continue;
		ds->ds_title = json_str_dup(d, "title");
		ds->ds_url = json_str_dup(d, "url");
		ds->ds_type = json_str_dup(d, "type");
		if (cJSON_IsObject(pub))
			ds->ds_publisher = json_str_dup(pub, "name");
		s->fs_nsets++;
	}
	cJSON_Delete(root);
	return GR_OK;
}

static const ftm_dataset *dataset_find(const ig_ftm *s, const char *name)
{
	for (size_t i = 0; i < s->fs_nsets; i++)
		if (strcmp(s->fs_sets[i].ds_name, name) == 0)
			return &s->fs_sets[i];
	return NULL;
}

/* ---------------------------------------------------------------- values */

/* Sets property `name` of (p, np) to v (consumed). */
static int prop_put(ig_run *r, gr_prop **p, size_t *np, const char *name, gr_value v)
{
	uint16_t key;
	int rc;
	if (v.type == GR_NULL)
		return GR_ENOMEM;
	if ((rc = ig_sym(r, name, strlen(name), 1, &key)) != GR_OK) {
		gr_value_free(&v);
		return rc;
	}
	return gr_props_set(p, np, key, v) ? GR_ENOMEM : GR_OK;
}

/* Appends a string to a list property (created when absent), skipping a
 * value the list already holds. */
static int prop_append(ig_run *r, gr_prop **p, size_t *np, const char *name, const char *s)
{
	uint16_t key;
	gr_value *cur;
	int rc;
	if ((rc = ig_sym(r, name, strlen(name), 1, &key)) != GR_OK)
		return rc;
	cur = (gr_value *)gr_props_get(*p, *np, key);
	if (!cur) {
		gr_value l = gr_list(2);
		if (gr_list_push(&l, gr_cstring(s)) < 0)
			return GR_ENOMEM;
		return gr_props_set(p, np, key, l) ? GR_ENOMEM : GR_OK;
	}
	for (size_t i = 0; i < cur->u.list.n; i++)
		if (cur->u.list.items[i].type == GR_STRING && strcmp(cur->u.list.items[i].u.s.ptr, s) == 0)
			return GR_OK;
	return gr_list_push(cur, gr_cstring(s)) < 0 ? GR_ENOMEM : GR_OK;
}

/* FtM's camelCase property name in snake_case ("imoNumber" -> "imo_number"). */
static void snake(const char *in, char *out, size_t n)
{
	size_t o = 0;
	for (; *in && o + 2 < n; in++) {
		if (isupper((unsigned char)*in)) {
			if (o)
				out[o++] = '_';
			out[o++] = (char)tolower((unsigned char)*in);
		} else {
			out[o++] = *in;
		}
	}
	out[o] = 0;
}

/* Properties with a name of their own in sanctgraph (both ways: the
 * exporter holds the same table). */
static const struct { const char *ftm, *sg; } renamed[] = {
	{ "imoNumber", "imo" }, { "callSign", "call_sign" }, { "pastFlags", "past_flags" },
	{ "pastNames", "past_names" }, { "previousName", "past_names" },
	{ "grossRegisteredTonnage", "gross_tonnage" }, { "alias", "aliases" },
};

static const char *const country_props[] = { "country", "nationality", "citizenship", "jurisdiction",
	"flag", "pastFlags", "mainCountry", "birthCountry", "deathCountry", "residency", "incorporationCountry" };

static int is_country_prop(const char *name)
{
	for (size_t i = 0; i < sizeof country_props / sizeof country_props[0]; i++)
		if (strcmp(country_props[i], name) == 0)
			return 1;
	return 0;
}

/* The sanctgraph name of FtM property `name`. */
static void sg_name(const char *name, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
		if (strcmp(renamed[i].ftm, name) == 0) {
			snprintf(out, n, "%s", renamed[i].sg);
			return;
		}
	snake(name, out, n);
}

/* One FtM string as a property value: an ISO date or datetime becomes that
 * temporal, a country code is upper-cased, anything else stays a string. */
static gr_value text_value(int country, const char *s)
{
	size_t len = strlen(s);
	if (country && len < 16) {
		char up[16];
		for (size_t i = 0; i <= len; i++)
			up[i] = (char)toupper((unsigned char)s[i]);
		return gr_string(up, len);
	}
	return gr_value_from_text(s, len);
}

static gr_value ftm_value(const char *prop, const char *s)
{
	return text_value(is_country_prop(prop), s);
}

/* Whether the text is all digits (after blanks), with its value in *v. */
static int parse_count(const char *s, int64_t *v)
{
	int64_t x = 0;
	int digits = 0;
	for (; *s; s++) {
		if (*s == ',' || *s == ' ')
			continue;
		if (*s < '0' || *s > '9' || x > (INT64_MAX - 9) / 10)
			return 0;
		x = x * 10 + (*s - '0');
		digits++;
	}
	*v = x;
	return digits > 0;
}

/* ---------------------------------------------------------------- entities */

/* Vessel properties checked by the domain: a value failing the check is
 * kept as <name>_raw and reported. */
static int vessel_value_ok(const char *sg, const char *s, char *why, size_t n)
{
	if (strcmp(sg, "imo") == 0) {
		/* "IMO 9161003" is the IMO number 9161003 */
		while (*s && (*s < '0' || *s > '9'))
			s++;
		return gr_imo_valid(s, strlen(s), why, n) == 0;
	}
	if (strcmp(sg, "mmsi") == 0)
		return gr_mmsi_valid(s, strlen(s), why, n) == 0;
	if (strcmp(sg, "flag") == 0 || strcmp(sg, "past_flags") == 0) {
		char up[8];
		size_t len = strlen(s);
		if (len >= sizeof up)
			return gr_flag_valid(s, len, why, n) == 0;
		for (size_t i = 0; i <= len; i++)
			up[i] = (char)toupper((unsigned char)s[i]);
		return gr_flag_valid(up, len, why, n) == 0;
	}
	return 1;
}

/* Properties sanctgraph stores as numbers (Port lat/lon, WPI numbers,
 * AIS gap hours): an FtM string that reads as one is stored as one, so
 * that a graph exported as FtM reloads with its numbers and passes the
 * checks on them. */
static int numeric_name(const char *sg)
{
	static const char *const names[] = { "lat", "lon", "latitude", "longitude", "wpi", "hours", "build_year",
		"length", "width", "draft" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i], sg) == 0)
			return 1;
	return 0;
}

/* The number text s reads as, for a property numeric_name() names. */
static int numeric_text(const char *s, gr_value *out)
{
	char *end;
	if (!*s)
		return 0;
	if (strspn(s, "-0123456789") == strlen(s) && strlen(s) < 19) {
		*out = gr_int(strtoll(s, &end, 10));
		return *end == 0;
	}
	*out = gr_float(strtod(s, &end));
	return *end == 0 && strlen(s) < 64;
}

static int numeric_value(const char *sg, const char *s, gr_value *out)
{
	return numeric_name(sg) && numeric_text(s, out);
}

static int is_tonnage(const char *sg)
{
	return strcmp(sg, "tonnage") == 0 || strcmp(sg, "gross_tonnage") == 0 || strcmp(sg, "deadweight_tonnage") == 0;
}

/* Entity references of node schemata that become relationships. */
static const struct { const char *prop, *type; } node_refs[] = {
	{ "addressEntity", "HAS_ADDRESS" }, { "holder", "HELD_BY" }, { "parent", "PART_OF" },
};

static int node_ref_kind(const char *prop)
{
	for (size_t i = 0; i < sizeof node_refs / sizeof node_refs[0]; i++)
		if (strcmp(node_refs[i].prop, prop) == 0)
			return (int)i;
	return -1;
}

const char *ig_ftm_ref_type(const char *prop)
{
	int k = node_ref_kind(prop);
	return k < 0 ? NULL : node_refs[k].type;
}

/* Maps the `properties` of an entity into node n.  Vessel identifiers and
 * flags are checked; names go to name / aliases. */
static int node_props(ig_run *r, const ig_file *f, uint64_t line, int vessel, const cJSON *props,
    const char *caption, gr_node *n)
{
	const cJSON *prop;
	int rc;
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(props, "name");

	/* name: the caption when it is one of the names, else the first */
	if (cJSON_IsArray(names) && cJSON_GetArraySize(names) > 0) {
		const cJSON *v;
		const char *main = NULL;
		cJSON_ArrayForEach(v, names)
			if (cJSON_IsString(v) && caption && strcmp(v->valuestring, caption) == 0)
				main = caption;
		if (!main && cJSON_IsString(names->child))
			main = names->child->valuestring;
		if (main && (rc = prop_put(r, &n->n_props, &n->n_nprops, "name", gr_cstring(main))) != GR_OK)
			return rc;
		cJSON_ArrayForEach(v, names)
			if (cJSON_IsString(v) && main && strcmp(v->valuestring, main) != 0 &&
			    (rc = prop_append(r, &n->n_props, &n->n_nprops, "aliases", v->valuestring)) != GR_OK)
				return rc;
	}
	cJSON_ArrayForEach(prop, props) {
		char sg[128], raw[140], why[256];
		const cJSON *v;
		int nvals = cJSON_GetArraySize(prop), multi = 0, tonnage, ident, numeric, country;
		gr_value list;

		if (!cJSON_IsArray(prop) || nvals == 0 || strcmp(prop->string, "name") == 0 ||
		    node_ref_kind(prop->string) >= 0)
			continue;
		sg_name(prop->string, sg, sizeof sg);
		multi = nvals > 1 || strcmp(sg, "aliases") == 0 || strcmp(sg, "past_names") == 0 ||
		    strcmp(sg, "past_flags") == 0;
		/* what the property is, found once for all its values */
		tonnage = vessel && is_tonnage(sg);
		ident = strcmp(sg, "imo") == 0 ? 1 : strcmp(sg, "mmsi") == 0 || strcmp(sg, "call_sign") == 0 ? 2 : 0;
		numeric = numeric_name(sg);
		country = is_country_prop(prop->string);
		list = gr_list((size_t)nvals);
		cJSON_ArrayForEach(v, prop) {
			gr_value val;
			if (!cJSON_IsString(v))
				continue;
			if (vessel && !vessel_value_ok(sg, v->valuestring, why, sizeof why)) {
				snprintf(raw, sizeof raw, "%s_raw", sg);
				note(r, f, line, "%s %s: %s; kept as %s", prop->string, v->valuestring, why, raw);
				if ((rc = prop_append(r, &n->n_props, &n->n_nprops, raw, v->valuestring)) != GR_OK)
					goto fail;
				continue;
			}
			if (tonnage) {
				int64_t t;
				if (!parse_count(v->valuestring, &t)) {
					snprintf(raw, sizeof raw, "%s_raw", sg);
					note(r, f, line, "%s %s is not a whole number; kept as %s", prop->string, v->valuestring, raw);
					if ((rc = prop_append(r, &n->n_props, &n->n_nprops, raw, v->valuestring)) != GR_OK)
						goto fail;
					continue;
				}
				val = gr_int(t);
			} else if (ident) {
				/* identifiers are strings as written (contract) */
				const char *d = v->valuestring;
				if (ident == 1)
					while (*d && (*d < '0' || *d > '9'))
						d++;
				val = gr_cstring(d);
			} else if (!numeric || !numeric_text(v->valuestring, &val)) {
				val = text_value(country, v->valuestring);
			}
			if (val.type == GR_NULL || gr_list_push(&list, val) < 0) {
				rc = GR_ENOMEM;
				goto fail;
			}
		}
		if (list.u.list.n == 0) {
			gr_value_free(&list);
			continue;
		}
		if (strcmp(sg, "aliases") == 0 || strcmp(sg, "past_names") == 0) {
			/* merged with names already noted */
			for (size_t i = 0; i < list.u.list.n; i++)
				if (list.u.list.items[i].type == GR_STRING &&
				    (rc = prop_append(r, &n->n_props, &n->n_nprops, sg, list.u.list.items[i].u.s.ptr)) != GR_OK)
					goto fail;
			gr_value_free(&list);
			continue;
		}
		if (!multi) {
			gr_value one = list.u.list.items[0];
			list.u.list.n = 0;
			gr_value_free(&list);
			list = one;
		}
		if ((rc = prop_put(r, &n->n_props, &n->n_nprops, sg, list)) != GR_OK)
			return rc;
		continue;
fail:
		gr_value_free(&list);
		return rc;
	}
	return GR_OK;
}

/* The Source node of dataset `name` (made on first use). */
static int dataset_source(ig_run *r, ig_ftm *s, const char *name, uint32_t *id)
{
	const ftm_dataset *ds;
	gr_node n;
	uint16_t label;
	int rc, registry;
	gr_error e;

	if (ig_map_get(s->fs_map, NS_DATASET, name, strlen(name), id))
		return GR_OK;
	ds = dataset_find(s, name);
	/* OpenSanctions' "external" datasets are company and person registers
	 * (ext_ru_egrul, ext_gb_coh_psc ...); the others are lists */
	registry = strncmp(name, "ext_", 4) == 0 || (ds && ds->ds_type && strcmp(ds->ds_type, "external") == 0);
	gr_node_init(&n);
	if ((rc = ig_sym(r, "Source", 6, 1, &label)) != GR_OK)
		return gr_fail(r->r_err, rc, "cannot store a label");
	if (!(n.n_labels = malloc(sizeof *n.n_labels)) || !(n.n_key = strdup(name))) {
		gr_node_clear(&n);
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	n.n_labels[0] = label;
	n.n_nlabels = 1;
	n.n_keylen = strlen(name);
	rc = prop_put(r, &n.n_props, &n.n_nprops, "kind", gr_cstring(registry ? "registry" : "sanctions-list"));
	if (rc == GR_OK)
		rc = prop_put(r, &n.n_props, &n.n_nprops, "title", gr_cstring(ds && ds->ds_title ? ds->ds_title : name));
	if (rc == GR_OK)
		rc = prop_put(r, &n.n_props, &n.n_nprops, "publisher",
		    gr_cstring(ds && ds->ds_publisher ? ds->ds_publisher : "OpenSanctions"));
	if (rc == GR_OK && ds && ds->ds_url)
		rc = prop_put(r, &n.n_props, &n.n_nprops, "url", gr_cstring(ds->ds_url));
	if (rc == GR_OK && (rc = gr_bulk_node(r->r_bulk, &n, id, &e)) != GR_OK)
		gr_fail(r->r_err, rc, "dataset %s: %s", name, e.msg);
	else if (rc != GR_OK)
		gr_fail(r->r_err, rc, "out of memory");
	gr_node_clear(&n);
	if (rc == GR_OK && ig_map_put(s->fs_map, NS_DATASET, name, strlen(name), *id) < 0)
		rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return rc;
}

/* Citations of the entity's datasets, confirmed. */
static int entity_cites(ig_run *r, ig_ftm *s, const cJSON *ent, gr_cite **c, size_t *nc)
{
	const cJSON *sets = cJSON_GetObjectItemCaseSensitive(ent, "datasets"), *d;
	int rc;
	cJSON_ArrayForEach(d, sets) {
		uint32_t id;
		if (!cJSON_IsString(d) || !*d->valuestring)
			continue;
		if ((rc = dataset_source(r, s, d->valuestring, &id)) != GR_OK)
			return rc;
		if (gr_cites_add(c, nc, id, GR_CONFIRMED))
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

/* The datasets an entity came through, as its statements name them: ""
 * (no Source) when it names none. */
int ig_ftm_sets(ig_run *r, ig_ftm *s, const cJSON *ent, ftm_sets *o)
{
	const cJSON *sets = cJSON_GetObjectItemCaseSensitive(ent, "datasets"), *d;
	int rc;
	o->fx_n = 0;
	if (cJSON_IsArray(sets))
		cJSON_ArrayForEach(d, sets) {
			uint32_t id;
			size_t i;
			if (!cJSON_IsString(d) || !*d->valuestring || o->fx_n == 256)
				continue;
			for (i = 0; i < o->fx_n && strcmp(o->fx_names[i], d->valuestring) != 0; i++)
				;
			if (i < o->fx_n)
				continue;
			if ((rc = dataset_source(r, s, d->valuestring, &id)) != GR_OK)
				return rc;
			o->fx_names[o->fx_n] = d->valuestring;
			o->fx_srcs[o->fx_n++] = id;
		}
	if (!o->fx_n) {
		o->fx_names[0] = "";
		o->fx_srcs[0] = 0;
		o->fx_n = 1;
	}
	return GR_OK;
}

/* The Source node of dataset ds, made by this import or before; 0. */
static uint32_t source_of(void *arg, const char *ds)
{
	ig_run *r = arg;
	uint32_t id;
	uint16_t label;
	if (r->r_ftm && ig_map_get(r->r_ftm->fs_map, NS_DATASET, ds, strlen(ds), &id))
		return id;
	if (ig_sym(r, "Source", 6, 0, &label) != GR_OK || gr_bulk_lookup(r->r_bulk, label, ds, strlen(ds), &id) != GR_OK)
		return 0;
	return id;
}

static int32_t delta_date(const char *name);

/* A statement of entity id through the datasets of sets. */
void ig_ftm_say_init(ig_say *say, ig_run *r, const ig_file *f, const char *id, const ftm_sets *sets, int which,
    int assert, int existed)
{
	memset(say, 0, sizeof *say);
	say->sy_id = id;
	say->sy_sets = sets->fx_names;
	say->sy_srcs = sets->fx_srcs;
	say->sy_nsets = sets->fx_n;
	say->sy_which = which;
	say->sy_assert = assert;
	say->sy_existed = existed;
	say->sy_date = delta_date(f->f_name);
	say->sy_source = source_of;
	say->sy_arg = r;
}

/* Whose statements a line replaces: those of the datasets it names; a MOD
 * naming none replaces every dataset's (a per-dataset delta must not take
 * back what another dataset's export said of the same entity). */
int ig_ftm_which(int op, const ftm_sets *sets)
{
	return op == OP_MOD && sets->fx_n == 1 && !*sets->fx_names[0] ? IG_SAY_ALL : IG_SAY_GIVEN;
}

/* Notes the statement of a node line for the second pass (its references,
 * and the references it no longer gives): the offset of the note. */
static int line_keep(ig_run *r, ig_ftm *s, const ig_say *say, uint32_t *off)
{
	unsigned char head[7] = { (unsigned char)say->sy_which, (unsigned char)say->sy_nsets,
		(unsigned char)say->sy_existed };
	memcpy(head + 3, &say->sy_date, 4);
	*off = (uint32_t)s->fs_lines.b_len;
	if (gr_buf_put(&s->fs_lines, head, 7) < 0 || gr_buf_put(&s->fs_lines, say->sy_id, strlen(say->sy_id) + 1) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	for (size_t i = 0; i < say->sy_nsets; i++)
		if (gr_buf_put(&s->fs_lines, say->sy_sets[i], strlen(say->sy_sets[i]) + 1) < 0)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

int ig_ftm_line_say(ig_run *r, ig_ftm *s, const ig_file *f, uint32_t off, int assert, ig_say *say, ftm_sets *sets)
{
	const unsigned char *p = s->fs_lines.b_data + off;
	const char *q;
	const char *id;
	int32_t date;
	(void)f;
	memcpy(&date, p + 3, 4);
	q = (const char *)p + 7;
	id = q;
	q += strlen(q) + 1;
	sets->fx_n = p[1];
	for (size_t i = 0; i < p[1]; i++) {
		sets->fx_names[i] = q;
		sets->fx_srcs[i] = *q ? source_of(r, q) : 0;
		q += strlen(q) + 1;
	}
	memset(say, 0, sizeof *say);
	say->sy_id = id;
	say->sy_sets = sets->fx_names;
	say->sy_srcs = sets->fx_srcs;
	say->sy_nsets = p[1];
	say->sy_which = p[0];
	say->sy_assert = assert;
	say->sy_existed = 1;
	say->sy_date = date;
	say->sy_source = source_of;
	say->sy_arg = r;
	return p[2];
}

/* A node said again: what the line's datasets said before is replaced
 * by what it says now. */
static int node_say_again(ig_run *r, uint32_t id, const gr_node *n, const ig_say *say, gr_error *e)
{
	gr_node cur;
	ig_said_result res;
	ig_say mine = *say;
	int rc;
	if ((rc = gr_node_load(r->r_txn, id, &cur, e)) != GR_OK)
		return rc;
	mine.sy_self = cur.n_key;
	say = &mine;
	for (size_t i = 0; i < n->n_nlabels; i++)
		if (!gr_node_has_label(&cur, n->n_labels[i])) {
			uint16_t *nl = realloc(cur.n_labels, (cur.n_nlabels + 1) * sizeof *nl);
			if (!nl) {
				gr_node_clear(&cur);
				return gr_fail(e, GR_ENOMEM, "out of memory");
			}
			nl[cur.n_nlabels++] = n->n_labels[i];
			cur.n_labels = nl;
		}
	rc = ig_said_apply(r, say, &cur.n_props, &cur.n_nprops, &cur.n_cites, &cur.n_ncites, n->n_props, n->n_nprops, &res);
	if (rc != GR_OK)
		gr_fail(e, rc, "out of memory");
	else
		rc = gr_bulk_node_replace(r->r_bulk, &cur, e);
	gr_node_clear(&cur);
	return rc;
}

/* Resolves an FtM id or referent: this import's entities first, then the
 * nodes of the database under the entity labels.  Returns the number of
 * distinct nodes found (0, 1 or 2 meaning "several"), the first in *id. */
static int resolve_id(ig_run *r, ig_ftm *s, const char *text, uint32_t *id)
{
	size_t len = strlen(text);
	uint32_t found = 0, cand;
	int n = 0;
	if (ig_map_get(s->fs_map, NS_NODE, text, len, id))
		return *id == IG_AMBIGUOUS ? 2 : 1;
	if (s->fs_db_empty)
		return 0;
	for (size_t i = 0; i < s->fs_nlabels; i++)
		if (gr_node_by_key(r->r_txn, s->fs_labels[i], text, len, &cand) == GR_OK && cand != found) {
			found = cand;
			n++;
		}
	*id = found;
	return n > 1 ? 2 : n;
}

/* Notes key alias Label:text of node id, written after the bulk load. */
static int alias_note(ig_run *r, uint32_t id, uint16_t label, const char *text)
{
	size_t llen, tlen = strlen(text);
	const char *lname = gr_sym_name(r->r_txn, label, &llen);
	unsigned char head[6];
	size_t len = llen + 1 + tlen;
	if (len > 0xffff)
		return GR_OK;
	memcpy(head, &id, 4);
	head[4] = (unsigned char)len;
	head[5] = (unsigned char)(len >> 8);
	if (gr_buf_put(&r->r_aliases, head, 6) < 0 || gr_buf_put(&r->r_aliases, lname, llen) < 0 ||
	    gr_buf_byte(&r->r_aliases, ':') < 0 || gr_buf_put(&r->r_aliases, text, tlen) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

/* The Vessel key from imoNumber ("IMO" + 7 digits with a valid check
 * digit), or 0. */
static int vessel_key(const cJSON *props, char key[16])
{
	const cJSON *imo = cJSON_GetObjectItemCaseSensitive(props, "imoNumber"), *v;
	cJSON_ArrayForEach(v, imo) {
		const char *d = cJSON_IsString(v) ? v->valuestring : "";
		while (*d && (*d < '0' || *d > '9'))
			d++;
		if (strlen(d) == 7 && gr_imo_valid(d, 7, NULL, 0) == 0) {
			snprintf(key, 16, "IMO%s", d);
			return 1;
		}
	}
	return 0;
}

/* Notes node id for the sweep of its references in the second pass. */
static int sweep_note(ig_run *r, ig_ftm *s, uint32_t id, uint32_t lineoff, int assert)
{
	unsigned char a = (unsigned char)assert;
	if (gr_buf_put(&s->fs_sweep, &id, 4) < 0 || gr_buf_put(&s->fs_sweep, &lineoff, 4) < 0 ||
	    gr_buf_put(&s->fs_sweep, &a, 1) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

/* Stores a node entity (ADD or MOD). */
static int entity_node(ig_run *r, ig_ftm *s, const ig_file *f, uint64_t line, const cJSON *ent,
    const char *id, const char *schema, int op)
{
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(ent, "properties");
	const cJSON *refs = cJSON_GetObjectItemCaseSensitive(ent, "referents"), *v;
	const cJSON *cap = cJSON_GetObjectItemCaseSensitive(ent, "caption");
	static const char *const meta[] = { "first_seen", "last_seen", "last_change" };
	int vessel = strcmp(schema, "Vessel") == 0, rc;
	uint16_t label;
	uint32_t target = 0, nid, lineoff = 0;
	char key[16];
	gr_node n;
	gr_error e;
	ftm_sets sets;
	ig_say say;
	int hasrefs = 0;

	gr_node_init(&n);
	if ((rc = ig_sym(r, schema, strlen(schema), 1, &label)) != GR_OK)
		return ig_bad(r, f, line, "schema \"%s\" cannot be a label", schema);
	/* the node this entity is: its own key, or the one node its id or a
	 * referent already names */
	{
		int hits = resolve_id(r, s, id, &target);
		const char *why = id;
		cJSON_ArrayForEach(v, refs) {
			uint32_t t;
			int h;
			if (hits > 1 || !cJSON_IsString(v))
				continue;
			if ((h = resolve_id(r, s, v->valuestring, &t)) == 0)
				continue;
			if (h > 1 || (hits == 1 && t != target)) {
				hits = 2;
				why = v->valuestring;
			} else {
				hits = 1;
				target = t;
			}
		}
		if (hits > 1) {
			note(r, f, line, "%s: referent %s names two or more nodes; not merged", id, why);
			target = 0;
		}
	}
	if (!(n.n_labels = malloc(2 * sizeof *n.n_labels)))
		goto nomem;
	if (target) {
		const char *k;
		size_t klen, nl = 0;
		uint16_t first;
		if (gr_node_labels(r->r_txn, target, &first, 1, &nl) != GR_OK || gr_node_key_get(r->r_txn, target, &k, &klen) != GR_OK)
			target = 0;
		else {
			n.n_labels[0] = nl ? first : label;
			n.n_nlabels = 1;
			if (nl && first != label)
				n.n_labels[n.n_nlabels++] = label;
			if (!(n.n_key = strndup(k, klen)))
				goto nomem;
			n.n_keylen = klen;
		}
	}
	if (!target) {
		n.n_labels[0] = label;
		n.n_nlabels = 1;
		if (!(n.n_key = strdup(vessel && vessel_key(props, key) ? key : id)))
			goto nomem;
		n.n_keylen = strlen(n.n_key);
	}
	if ((rc = node_props(r, f, line, vessel, props, cJSON_IsString(cap) ? cap->valuestring : NULL, &n)) != GR_OK)
		goto done;
	if (strcmp(n.n_key, id) != 0 && (rc = prop_put(r, &n.n_props, &n.n_nprops, "ftm_id", gr_cstring(id))) != GR_OK)
		goto done;
	cJSON_ArrayForEach(v, refs)
		if (cJSON_IsString(v) && (rc = prop_append(r, &n.n_props, &n.n_nprops, "referents", v->valuestring)) != GR_OK)
			goto done;
	for (size_t i = 0; i < 3; i++) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(ent, meta[i]);
		if (cJSON_IsString(m) && (rc = prop_put(r, &n.n_props, &n.n_nprops, meta[i],
		    gr_value_from_text(m->valuestring, strlen(m->valuestring)))) != GR_OK)
			goto done;
	}
	v = cJSON_GetObjectItemCaseSensitive(ent, "target");
	if (cJSON_IsBool(v) && (rc = prop_put(r, &n.n_props, &n.n_nprops, "target", gr_bool(cJSON_IsTrue(v)))) != GR_OK)
		goto done;
	if ((rc = ig_ftm_sets(r, s, ent, &sets)) != GR_OK)
		goto done;
	if (!target && gr_bulk_lookup(r->r_bulk, n.n_labels[0], n.n_key, n.n_keylen, &target) != GR_OK)
		target = 0;
	ig_ftm_say_init(&say, r, f, id, &sets, ig_ftm_which(op, &sets), 1, target != 0);
	if (target)
		rc = node_say_again(r, target, &n, &say, &e);
	else if ((say.sy_self = n.n_key, rc = ig_said_fresh(r, &say, &n.n_props, &n.n_nprops, &n.n_cites, &n.n_ncites)) == GR_OK)
		rc = gr_bulk_node_own(r->r_bulk, &n, &nid, &e);
	else
		e = *r->r_err;
	if (target)
		nid = target;
	if (rc != GR_OK) {
		if (rc == GR_EINVALID) {
			/* a check the value-by-value mapping did not foresee */
			note(r, f, line, "%s: %s; entity skipped", id, e.msg);
			rc = GR_OK;
		} else {
			rc = ig_graph_error(r, f, line, rc, &e);
		}
		goto done;
	}
	r->r_stats.s_nodes++;
	/* the id and the referents resolve to the node from now on */
	if (ig_map_put(s->fs_map, NS_NODE, id, strlen(id), nid) < 0)
		goto nomem;
	if (strcmp(n.n_key, id) != 0 && (rc = alias_note(r, nid, n.n_labels[0], id)) != GR_OK)
		goto done;
	cJSON_ArrayForEach(v, refs) {
		uint32_t old;
		if (!cJSON_IsString(v))
			continue;
		if (ig_map_get(s->fs_map, NS_NODE, v->valuestring, strlen(v->valuestring), &old) && old != nid)
			old = IG_AMBIGUOUS;
		else
			old = nid;
		if (ig_map_put(s->fs_map, NS_NODE, v->valuestring, strlen(v->valuestring), old) < 0)
			goto nomem;
		if (strcmp(v->valuestring, n.n_key) != 0 && (rc = alias_note(r, nid, n.n_labels[0], v->valuestring)) != GR_OK)
			goto done;
	}
	/* entity references become relationships in the second pass; a node
	 * said again loses those it no longer gives */
	cJSON_ArrayForEach(v, props)
		hasrefs |= node_ref_kind(v->string) >= 0;
	if ((hasrefs || target) && (rc = line_keep(r, s, &say, &lineoff)) != GR_OK)
		goto done;
	if (target && (rc = sweep_note(r, s, nid, lineoff, 1)) != GR_OK)
		goto done;
	cJSON_ArrayForEach(v, props) {
		int kind = node_ref_kind(v->string);
		const cJSON *x;
		if (kind < 0)
			continue;
		cJSON_ArrayForEach(x, v) {
			size_t len = cJSON_IsString(x) ? strlen(x->valuestring) : 0;
			unsigned char head[7];
			if (!len || len > 0xffff)
				continue;
			memcpy(head, &nid, 4);
			head[4] = (unsigned char)kind;
			head[5] = (unsigned char)len;
			head[6] = (unsigned char)(len >> 8);
			if (gr_buf_put(&s->fs_refs, head, 7) < 0 || gr_buf_put(&s->fs_refs, x->valuestring, len) < 0 ||
			    gr_buf_put(&s->fs_refs, &lineoff, 4) < 0)
				goto nomem;
		}
	}
	rc = GR_OK;
	goto done;
nomem:
	rc = gr_fail(r->r_err, GR_ENOMEM, "out of memory");
done:
	gr_node_clear(&n);
	return rc;
}

/* ---------------------------------------------------------------- deltas */

/* The date of a delta: the YYYYMMDD of a directory or file name such as
 * OpenSanctions' 20240528014702-pfh/entities.delta.json, else today. */
static int32_t delta_date(const char *name)
{
	for (const char *p = name; *p; p++) {
		size_t n = 0;
		while (p[n] >= '0' && p[n] <= '9')
			n++;
		if (n >= 8) {
			int32_t days;
			char d[11] = { p[0], p[1], p[2], p[3], '-', p[4], p[5], '-', p[6], p[7], 0 };
			if (gr_parse_date(d, 10, &days) == 0)
				return days;
		}
		if (n)
			p += n - 1;
	}
	return (int32_t)(time(NULL) / 86400);
}

/* DEL of a node: the entity's datasets (every dataset of it when the line
 * names none, as OpenSanctions' DEL lines do) no longer say anything about
 * it: their statements and citations go, the values stay; a node no
 * dataset cites any more gets `withdrawn`, the delta's date.  Its
 * references lose the statement in the second pass.  A DEL of an id that
 * names no node is a link's, also for the second pass. */
static int entity_del(ig_run *r, ig_ftm *s, const ig_file *f, uint64_t line, const cJSON *ent, const char *id,
    size_t off, size_t len)
{
	uint32_t nid, lineoff;
	ftm_sets sets;
	ig_say say;
	ig_said_result res;
	gr_node n;
	gr_error e;
	int rc;

	if (resolve_id(r, s, id, &nid) != 1)
		return pending_add(r, s, f, off, len, line, OP_DEL);
	if ((rc = ig_ftm_sets(r, s, ent, &sets)) != GR_OK)
		return rc;
	if (sets.fx_n == 1 && !*sets.fx_names[0])
		sets.fx_n = 0;
	ig_ftm_say_init(&say, r, f, id, &sets, sets.fx_n ? IG_SAY_GIVEN : IG_SAY_ALL, 0, 1);
	if ((rc = gr_node_load(r->r_txn, nid, &n, &e)) != GR_OK)
		return ig_graph_error(r, f, line, rc, &e);
	say.sy_self = n.n_key;
	rc = ig_said_apply(r, &say, &n.n_props, &n.n_nprops, &n.n_cites, &n.n_ncites, NULL, 0, &res);
	if (rc == GR_OK && (rc = gr_bulk_node_replace(r->r_bulk, &n, &e)) != GR_OK)
		rc = ig_graph_error(r, f, line, rc, &e);
	gr_node_clear(&n);
	if (rc == GR_OK && (rc = line_keep(r, s, &say, &lineoff)) == GR_OK)
		rc = sweep_note(r, s, nid, lineoff, 0);
	return rc;
}

/* ---------------------------------------------------------------- lines */

/* The entity of a line and its delta operation. */
static int line_entity(ig_run *r, const ig_file *f, uint64_t line, cJSON *root, cJSON **ent, int *op)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(root, "op");
	*op = OP_ADD;
	*ent = NULL;
	if (!cJSON_IsObject(root))
		return ig_bad(r, f, line, "an FtM line is a JSON object");
	if (o) {
		if (!cJSON_IsString(o))
			return ig_bad(r, f, line, "\"op\" must be ADD, MOD or DEL");
		if (strcmp(o->valuestring, "ADD") == 0)
			*op = OP_ADD;
		else if (strcmp(o->valuestring, "MOD") == 0)
			*op = OP_MOD;
		else if (strcmp(o->valuestring, "DEL") == 0)
			*op = OP_DEL;
		else
			return ig_bad(r, f, line, "unknown delta op \"%s\" (ADD, MOD or DEL)", o->valuestring);
		root = cJSON_GetObjectItemCaseSensitive(root, "entity");
		if (!cJSON_IsObject(root))
			return ig_bad(r, f, line, "a delta line needs an \"entity\" object");
	}
	*ent = root;
	return GR_OK;
}

static int pending_add(ig_run *r, ig_ftm *s, const ig_file *f, size_t off, size_t len, uint64_t line, int op)
{
	if (s->fs_nlinks == s->fs_caplinks) {
		size_t cap = s->fs_caplinks ? s->fs_caplinks * 2 : 1024;
		ftm_pending *np = realloc(s->fs_links, cap * sizeof *np);
		if (!np)
			return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
		s->fs_links = np;
		s->fs_caplinks = cap;
	}
	s->fs_links[s->fs_nlinks++] = (ftm_pending){ f, off, len, line, op };
	return GR_OK;
}

/* First pass over one line. */
static int ftm_line(ig_run *r, ig_ftm *s, const ig_file *f, size_t off, size_t len, uint64_t line)
{
	cJSON *root = ig_ftm_parse(s, f->f_data + off, len), *ent;
	const cJSON *id, *schema;
	int op, rc;

	if (!root)
		return ig_bad(r, f, line, "invalid JSON");
	if ((rc = line_entity(r, f, line, root, &ent, &op)) != GR_OK || !ent)
		goto done;     /* an error, or reported and skipped */
	id = cJSON_GetObjectItemCaseSensitive(ent, "id");
	schema = cJSON_GetObjectItemCaseSensitive(ent, "schema");
	if (!cJSON_IsString(id) || !*id->valuestring || strlen(id->valuestring) > 1000) {
		rc = ig_bad(r, f, line, "an entity needs a string \"id\"");
		goto done;
	}
	if (op == OP_DEL) {
		rc = entity_del(r, s, f, line, ent, id->valuestring, off, len);
		goto done;
	}
	if (!cJSON_IsString(schema) || !*schema->valuestring) {
		rc = ig_bad(r, f, line, "entity %s needs a string \"schema\"", id->valuestring);
		goto done;
	}
	if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(ent, "properties"))) {
		rc = ig_bad(r, f, line, "entity %s needs a \"properties\" object", id->valuestring);
		goto done;
	}
	if (ig_ftm_link(schema->valuestring))
		rc = pending_add(r, s, f, off, len, line, op);
	else
		rc = entity_node(r, s, f, line, ent, id->valuestring, schema->valuestring, op);
done:
	ig_ftm_parsed(s);
	return rc;
}

int ig_import_ftm(ig_run *r, const ig_file *f, int pass)
{
	ig_ftm *s;
	const char *p = f->f_data, *end = f->f_data + f->f_len;
	uint64_t line = 0, records = 0;
	int rc;

	if ((rc = state_get(r, &s)) != GR_OK)
		return rc;
	if (pass == 1)
		return ig_ftm_links(r, s, f);
	if (f->f_len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *q;
		size_t len;
		if (!eol)
			eol = end;
		line++;
		len = (size_t)(eol - p);
		for (q = p; q < eol && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < eol) {
			if ((rc = ftm_line(r, s, f, (size_t)(p - f->f_data), len, line)) != GR_OK)
				return rc;
			records++;
			ig_progress(r, f, (uint64_t)(eol - f->f_data), records, 0);
		}
		p = eol + 1;
	}
	ig_progress(r, f, f->f_len, records, 1);
	return GR_OK;
}

/* ---------------------------------------------------------------- second pass */

/* For import_ftm_links.c: the pieces of the first pass it reuses. */
int ig_ftm_resolve(ig_run *r, ig_ftm *s, const char *text, uint32_t *id)
{
	return resolve_id(r, s, text, id);
}

int ig_ftm_cites(ig_run *r, ig_ftm *s, const cJSON *ent, gr_cite **c, size_t *nc)
{
	return entity_cites(r, s, ent, c, nc);
}

void ig_ftm_note(ig_run *r, const ig_file *f, uint64_t line, const char *msg)
{
	note(r, f, line, "%s", msg);
}

void ig_ftm_sg_name(const char *ftm, char *out, size_t n)
{
	sg_name(ftm, out, n);
}

gr_value ig_ftm_value(const char *prop, const char *s)
{
	char sg[128];
	gr_value v;
	sg_name(prop, sg, sizeof sg);
	if (numeric_value(sg, s, &v))
		return v;
	return ftm_value(prop, s);
}

int ig_ftm_prop_put(ig_run *r, gr_prop **p, size_t *np, const char *name, gr_value v)
{
	return prop_put(r, p, np, name, v);
}

size_t ig_ftm_pending(const ig_ftm *s, const ig_file *f, size_t i, size_t *off, size_t *len, uint64_t *line, int *op)
{
	for (; i < s->fs_nlinks; i++)
		if (s->fs_links[i].pd_file == f) {
			*off = s->fs_links[i].pd_off;
			*len = s->fs_links[i].pd_len;
			*line = s->fs_links[i].pd_line;
			*op = s->fs_links[i].pd_op;
			return i;
		}
	return (size_t)-1;
}

const gr_buf *ig_ftm_refs(const ig_ftm *s)
{
	return &s->fs_refs;
}

int ig_ftm_db_empty(const ig_ftm *s)
{
	return s->fs_db_empty;
}

gr_buf *ig_ftm_sweep(ig_ftm *s)
{
	return &s->fs_sweep;
}

void ig_ftm_pass_done(ig_ftm *s)
{
	s->fs_refs.b_len = 0;
	s->fs_sweep.b_len = 0;
	s->fs_lines.b_len = 0;
}

const char *ig_ftm_sym_name(ig_run *r, uint16_t key, size_t *len)
{
	ig_ftm *s = r->r_ftm;
	struct ftm_symname *sn;
	const char *name;
	if (!s || (!s->fs_names && !(s->fs_names = calloc(65536, sizeof *s->fs_names))))
		return gr_sym_name(r->r_txn, key, len);
	sn = &s->fs_names[key];
	if (!sn->sn_name) {
		name = gr_sym_name(r->r_txn, key, &sn->sn_len);
		if (!(sn->sn_name = strndup(name, sn->sn_len))) {
			*len = sn->sn_len;
			return name;
		}
	}
	*len = sn->sn_len;
	return sn->sn_name;
}

ig_ftm_program *ig_ftm_program_get(ig_run *r, ig_ftm *s, const char *key, const char *print, size_t plen)
{
	uint32_t i;
	ig_ftm_program *pg;
	if (ig_map_get(s->fs_map, NS_PROGRAM, key, strlen(key), &i))
		return &s->fs_progs[i];
	if (s->fs_nprogs == s->fs_capprogs) {
		size_t cap = s->fs_capprogs ? s->fs_capprogs * 2 : 16;
		ig_ftm_program *np = realloc(s->fs_progs, cap * sizeof *np);
		if (!np)
			return NULL;
		s->fs_progs = np;
		s->fs_capprogs = cap;
	}
	pg = &s->fs_progs[s->fs_nprogs];
	memset(pg, 0, sizeof *pg);
	if (!(pg->pg_print = malloc(plen ? plen : 1)))
		return NULL;
	memcpy(pg->pg_print, print, plen);
	pg->pg_plen = plen;
	if (ig_map_put(s->fs_map, NS_PROGRAM, key, strlen(key), (uint32_t)s->fs_nprogs) < 0) {
		free(pg->pg_print);
		return NULL;
	}
	s->fs_nprogs++;
	return pg;
}
