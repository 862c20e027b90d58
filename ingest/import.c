/*
 * import.c: the import driver.  Holds the inputs in memory, guesses their
 * formats, runs the importers in one replayable write transaction (CSV node
 * files, then JSONL files, then CSV relationship files), and provides what
 * the importers share: the bad-record policy, progress, ID maps and a
 * symbol cache.  See ingest.h for the formats.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest.h"
#include "../graph/positions.h"

/* ---------------------------------------------------------------- formats */

static const char *const format_names[] = {
	[IG_AUTO] = "auto", [IG_JSONL] = "jsonl", [IG_CSV] = "csv",
	[IG_FTM] = "ftm", [IG_OFAC_SDN] = "ofac-sdn", [IG_AIS] = "ais",
	[IG_WPI] = "wpi",
};

int ig_format_parse(const char *name)
{
	for (int f = IG_JSONL; f <= IG_WPI; f++)
		if (strcasecmp(name, format_names[f]) == 0)
			return f;
	return -1;
}

const char *ig_format_name(ig_format f)
{
	return (unsigned)f <= IG_WPI ? format_names[f] : "?";
}

/* Whether [p, end) contains the string s. */
static int has(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);
	for (; (size_t)(end - p) >= n; p++) {
		p = memchr(p, s[0], (size_t)(end - p) - n + 1);
		if (!p)
			return 0;
		if (memcmp(p, s, n) == 0)
			return 1;
	}
	return 0;
}

ig_format ig_format_detect(const char *data, size_t len)
{
	const char *p = data, *end = data + len, *eol;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p >= end)
		return IG_AUTO;
	eol = memchr(p, '\n', (size_t)(end - p));
	if (!eol)
		eol = end;
	/* FtM: an entity, or a delta line (OpenSanctions' DEL lines carry only
	 * {"op":"DEL","entity":{"id":...}}) */
	if (*p == '{')
		return ((has(p, eol, "\"schema\"") && has(p, eol, "\"properties\"")) ||
		    (has(p, eol, "\"op\"") && has(p, eol, "\"entity\""))) && !has(p, eol, "\"node\"") &&
		    !has(p, eol, "\"edge\"") ? IG_FTM : IG_JSONL;
	if (ig_ais_dialect(p, (size_t)(eol - p)))
		return IG_AIS;
	if (has(p, eol, ":ID") || has(p, eol, ":START_ID") || has(p, eol, ":END_ID"))
		return IG_CSV;
	/* the World Port Index: index_number,region_number,port_name,... (the
	 * NGA's own download says "World Port Index Number") */
	if ((has(p, eol, "index_number") && has(p, eol, "port_name")) ||
	    has(p, eol, "World Port Index Number"))
		return IG_WPI;
	if (ig_ofac_kind(p, (size_t)(end - p)) == IG_OFAC_SDN_FILE)
		return IG_OFAC_SDN;
	return IG_AUTO;
}

/* Whether the first line of a CSV input is a relationship header. */
static int csv_is_rels(const char *data, size_t len)
{
	const char *eol = memchr(data, '\n', len);
	const char *end = eol ? eol : data + len;
	return has(data, end, ":START_ID") || has(data, end, ":END_ID");
}

void ig_ref_split(const char *s, size_t len, ig_ref *out)
{
	const char *colon = memchr(s, ':', len);
	if (!colon) {
		out->rf_label = NULL;
		out->rf_llen = 0;
		out->rf_key = s;
		out->rf_klen = len;
		return;
	}
	out->rf_label = s;
	out->rf_llen = (size_t)(colon - s);
	out->rf_key = colon + 1;
	out->rf_klen = len - out->rf_llen - 1;
}

/* ---------------------------------------------------------------- maps */

typedef struct map_slot {
	uint32_t ms_hash;     /* 0: empty */
	uint32_t ms_val;
	uint64_t ms_off;      /* into the arena: [u32 ns][u16 len][key] */
} map_slot;

/* One table per namespace: a lookup in a small space (the 4,000 ports
 * every CALLED_AT row names) then stays in a few hundred KiB that the
 * cache keeps, instead of lines scattered over the table of every id. */
typedef struct map_tab {
	uint32_t m_ns;
	map_slot *m_slots;
	size_t m_nslots, m_used;
	char *m_arena;
	size_t m_alen, m_acap;
} map_tab;

struct ig_map {
	map_tab *m_tabs;      /* a few: one per ID space or kind of key */
	size_t m_ntabs;
};

static uint32_t map_hash(uint32_t ns, const char *k, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ns ^ ((uint64_t)len << 32), w;
	for (; len >= 8; k += 8, len -= 8) {
		memcpy(&w, k, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	if (len) {
		w = 0;
		memcpy(&w, k, len);
		h = (h ^ w) * 0x94d049bb133111ebull;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

ig_map *ig_map_new(void)
{
	return calloc(1, sizeof(ig_map));
}

void ig_map_free(ig_map *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->m_ntabs; i++) {
		gr_big_free(m->m_tabs[i].m_slots);
		gr_big_free(m->m_tabs[i].m_arena);
	}
	free(m->m_tabs);
	free(m);
}

/* The table of namespace ns, or NULL. */
static map_tab *map_tab_find(const ig_map *m, uint32_t ns)
{
	for (size_t i = 0; i < m->m_ntabs; i++)
		if (m->m_tabs[i].m_ns == ns)
			return &m->m_tabs[i];
	return NULL;
}

/* The table of namespace ns, made when absent; NULL when out of memory. */
static map_tab *map_tab_make(ig_map *m, uint32_t ns)
{
	map_tab *nt = map_tab_find(m, ns);
	if (nt)
		return nt;
	if (!(nt = realloc(m->m_tabs, (m->m_ntabs + 1) * sizeof *nt)))
		return NULL;
	m->m_tabs = nt;
	memset(&nt[m->m_ntabs], 0, sizeof *nt);
	nt[m->m_ntabs].m_ns = ns;
	return &nt[m->m_ntabs++];
}

static int slot_is(const map_tab *m, const map_slot *s, uint32_t ns, const char *k, size_t len)
{
	const unsigned char *p = (const unsigned char *)m->m_arena + s->ms_off;
	uint32_t sns;
	memcpy(&sns, p, 4);
	return sns == ns && (size_t)(p[4] | p[5] << 8) == len && memcmp(p + 6, k, len) == 0;
}

static map_slot *map_find(const map_tab *m, uint32_t h, uint32_t ns, const char *k, size_t len)
{
	size_t mask = m->m_nslots - 1;
	for (size_t j = h & mask;; j = (j + 1) & mask) {
		map_slot *s = &m->m_slots[j];
		if (!s->ms_hash || (s->ms_hash == h && slot_is(m, s, ns, k, len)))
			return s;
	}
}

int ig_map_get(const ig_map *m, uint32_t ns, const char *key, size_t len, uint32_t *val)
{
	const map_tab *tb;
	const map_slot *s;
	if (len > 0xffff || !(tb = map_tab_find(m, ns)) || !tb->m_nslots)
		return 0;
	s = map_find(tb, map_hash(ns, key, len), ns, key, len);
	if (!s->ms_hash)
		return 0;
	*val = s->ms_val;
	return 1;
}

static int map_grow(map_tab *m)
{
	size_t n = m->m_nslots ? m->m_nslots * 2 : 1024;
	map_slot *ns = gr_big_alloc(n * sizeof *ns);
	if (!ns)
		return -1;
	for (size_t i = 0; i < m->m_nslots; i++) {
		const map_slot *s = &m->m_slots[i];
		size_t j;
		if (!s->ms_hash)
			continue;
		for (j = s->ms_hash & (n - 1); ns[j].ms_hash; j = (j + 1) & (n - 1))
			;
		ns[j] = *s;
	}
	gr_big_free(m->m_slots);
	m->m_slots = ns;
	m->m_nslots = n;
	return 0;
}

int ig_map_put(ig_map *mm, uint32_t ns, const char *key, size_t len, uint32_t val)
{
	uint32_t h = map_hash(ns, key, len);
	map_tab *m;
	map_slot *s;
	unsigned char *p;

	if (len > 0xffff || !(m = map_tab_make(mm, ns)))
		return -1;
	if ((m->m_used + 1) * 4 > m->m_nslots * 3 && map_grow(m) < 0)
		return -1;
	s = map_find(m, h, ns, key, len);
	if (s->ms_hash) {
		s->ms_val = val;
		return 0;
	}
	if (m->m_alen + 6 + len > m->m_acap) {
		size_t cap = m->m_acap ? m->m_acap * 2 : 1 << 16;
		char *na;
		while (cap < m->m_alen + 6 + len)
			cap *= 2;
		if (!(na = gr_big_realloc(m->m_arena, cap)))
			return -1;
		m->m_arena = na;
		m->m_acap = cap;
	}
	p = (unsigned char *)m->m_arena + m->m_alen;
	memcpy(p, &ns, 4);
	p[4] = (unsigned char)len;
	p[5] = (unsigned char)(len >> 8);
	memcpy(p + 6, key, len);
	s->ms_hash = h;
	s->ms_val = val;
	s->ms_off = m->m_alen;
	m->m_alen += 6 + len;
	m->m_used++;
	return 0;
}

/* ---------------------------------------------------------------- shared */

int ig_bad(ig_run *r, const ig_file *f, uint64_t line, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n = snprintf(msg, sizeof msg, "%s:%llu: ", f->f_name, (unsigned long long)line);

	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
	va_end(ap);
	if (r->r_fatal)
		return gr_fail(r->r_err, r->r_fatal, "%s:%llu: cannot store a name: %s", f->f_name,
		    (unsigned long long)line, r->r_fatal == GR_ENOMEM ? "out of memory" : "storage error");
	if (!r->r_opt->o_skip_bad)
		return gr_fail(r->r_err, GR_EINVALID, "%s", msg);
	if (r->r_nbad++ >= r->r_reported && r->r_opt->o_report)
		r->r_opt->o_report(r->r_opt->o_arg, msg);
	r->r_stats.s_skipped++;
	return GR_OK;
}

int ig_graph_error(ig_run *r, const ig_file *f, uint64_t line, int rc, const gr_error *e)
{
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg, "%s", e->msg);
	switch (rc) {
	case GR_EINVALID:
	case GR_ENOTFOUND:
	case GR_EEXISTS:
	case GR_EAMBIGUOUS:
		return ig_bad(r, f, line, "%s", msg);
	default:
		gr_fail(r->r_err, rc, "%s:%llu: %s", f->f_name, (unsigned long long)line, msg);
		return rc;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ig_progress(ig_run *r, const ig_file *f, uint64_t done, uint64_t records, int final)
{
	uint64_t t;
	if (!r->r_opt->o_progress)
		return;
	if (!final && (++r->r_tick & 1023))
		return;
	t = now_ns();
	if (!final && t - r->r_last_ns < 100000000u)
		return;
	r->r_last_ns = t;
	r->r_opt->o_progress(r->r_opt->o_arg, f->f_name, final ? f->f_len : done, f->f_len, records);
}

const char *ig_name_why(const char *name, size_t len)
{
	return gr_text_control(name, len) >= 0 ? "it holds a control character" : "too long, or too many names";
}

int ig_sym(ig_run *r, const char *name, size_t len, int create, uint16_t *id)
{
	struct ig_symslot *s = NULL;
	int rc;
	/* a name with a newline or an escape sequence would reach every
	 * terminal and script that prints it: outside data cannot bring one */
	if (create && gr_text_control(name, len) >= 0)
		return GR_EINVALID;
	if (len < sizeof s->ss_name) {
		uint32_t h = map_hash(0, name, len);
		s = &r->r_syms[h % (sizeof r->r_syms / sizeof r->r_syms[0])];
		if (s->ss_id && s->ss_len == len && memcmp(s->ss_name, name, len) == 0) {
			*id = s->ss_id;
			return GR_OK;
		}
	}
	if ((rc = gr_sym(r->r_txn, name, len, create, id)) != GR_OK) {
		if (rc != GR_ENOTFOUND && rc != GR_EINVALID)
			r->r_fatal = rc;
		return rc;
	}
	if (s) {
		memcpy(s->ss_name, name, len);
		s->ss_len = (uint8_t)len;
		s->ss_id = *id;
	}
	return GR_OK;
}

long ig_space(ig_run *r, const char *name)
{
	char **ns;
	if (!name)
		return 0;
	for (size_t i = 0; i < r->r_nspaces; i++)
		if (strcmp(r->r_spaces[i], name) == 0)
			return (long)i + 1;
	if (!(ns = realloc(r->r_spaces, (r->r_nspaces + 1) * sizeof *ns)))
		return -1;
	r->r_spaces = ns;
	if (!(ns[r->r_nspaces] = strdup(name)))
		return -1;
	return (long)++r->r_nspaces;
}

void ig_claim_note(ig_run *r, const ig_file *f, uint64_t line, const gr_claim_result *cr)
{
	char msg[512];
	int n;
	if (!r->r_opt->o_report || r->r_nbad < r->r_reported)
		return;   /* a replay: reported by the first attempt */
	if (cr->cr_outcome == GR_CLAIM_AMBIGUOUS) {
		n = snprintf(msg, sizeof msg, "%s:%llu: warning: ambiguous claim: it overlaps", f->f_name,
		    (unsigned long long)line);
		for (size_t i = 0; i < cr->cr_nothers && n > 0 && (size_t)n < sizeof msg - 16; i++)
			n += snprintf(msg + n, sizeof msg - (size_t)n, "%s ~%u", i ? "," : "", cr->cr_others[i]);
		snprintf(msg + n, sizeof msg - (size_t)n, "; stored as its own relationship ~%u", cr->cr_edge);
		r->r_opt->o_report(r->r_opt->o_arg, msg);
	}
	if (cr->cr_conflicts) {
		snprintf(msg, sizeof msg, "%s:%llu: warning: relationship ~%u already has another %s: the new value is kept in %s_alt",
		    f->f_name, (unsigned long long)line, cr->cr_edge, cr->cr_conflict, cr->cr_conflict);
		r->r_opt->o_report(r->r_opt->o_arg, msg);
	}
}

int ig_note(ig_run *r, char kind, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (gr_buf_byte(&r->r_notes, (unsigned char)kind) < 0 || gr_buf_put(&r->r_notes, msg, strlen(msg) + 1) < 0)
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	return GR_OK;
}

/* ---------------------------------------------------------------- aliases */

int ig_aliases_save(ig_run *r, const gr_node *n, gr_value *saved)
{
	uint16_t mk;
	const gr_value *v;
	*saved = gr_null();
	if (!n->n_nprops || ig_sym(r, "merged_keys", 11, 0, &mk) != GR_OK ||
	    !(v = gr_props_get(n->n_props, n->n_nprops, mk)) || v->type != GR_LIST)
		return GR_OK;
	return gr_value_copy(saved, v) == 0 ? GR_OK : GR_ENOMEM;
}

int ig_aliases_note(ig_run *r, gr_value *saved, uint32_t id, int ok)
{
	int rc = GR_OK;
	for (size_t i = 0; ok && saved->type == GR_LIST && i < saved->u.list.n && rc == GR_OK; i++) {
		const gr_value *a = &saved->u.list.items[i];
		unsigned char head[6];
		if (a->type != GR_STRING || a->u.s.len > 0xffff || !memchr(a->u.s.ptr, ':', a->u.s.len))
			continue;
		memcpy(head, &id, 4);
		head[4] = (unsigned char)a->u.s.len;
		head[5] = (unsigned char)(a->u.s.len >> 8);
		if (gr_buf_put(&r->r_aliases, head, 6) < 0 || gr_buf_put(&r->r_aliases, a->u.s.ptr, a->u.s.len) < 0)
			rc = GR_ENOMEM;
	}
	gr_value_free(saved);
	return rc;
}

/* Puts the aliases noted during the import in the key index. */
static int aliases_apply(ig_run *r, gr_error *err)
{
	const unsigned char *p = r->r_aliases.b_data, *end;
	if (!p)
		return GR_OK;   /* none noted (NULL + 0 is undefined) */
	end = p + r->r_aliases.b_len;
	while (p < end) {
		uint32_t id;
		size_t len = (size_t)(p[4] | p[5] << 8);
		const char *text = (const char *)p + 6;
		ig_ref ref;
		uint16_t label = 0;
		int rc;
		memcpy(&id, p, 4);
		p += 6 + len;
		ig_ref_split(text, len, &ref);
		if (ref.rf_klen == 0 || ref.rf_klen > GR_MAX_KEY)
			continue;
		if (ref.rf_llen && (rc = ig_sym(r, ref.rf_label, ref.rf_llen, 1, &label)) != GR_OK) {
			if (rc == GR_EINVALID)
				continue;
			return gr_fail(err, rc, "merged_keys: cannot store the label of %.*s", (int)len, text);
		}
		rc = gr_key_alias(r->r_txn, label, ref.rf_key, ref.rf_klen, id, err);
		if (rc != GR_OK && rc != GR_EEXISTS)
			return rc;   /* GR_EMAPFULL: gr_write grows the map and replays */
	}
	return GR_OK;
}

/* ---------------------------------------------------------------- inputs */

/* Whether the input holds nothing but blanks (and a byte order mark). */
static int blank(const char *p, size_t len)
{
	size_t i = len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	for (; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

/* Settles each input's format and role; an input of a format not
 * implemented yet is an error.  OFAC's companion files (add.csv, alt.csv,
 * sdn_comments.csv) have no shape of their own that says "OFAC": they are
 * taken as OFAC when an sdn.csv is among the inputs. */
static int settle_formats(ig_file *files, size_t n, gr_error *err)
{
	int ofac = 0;
	for (size_t i = 0; i < n; i++)
		if (files[i].f_format == IG_OFAC_SDN || (files[i].f_format == IG_AUTO && files[i].f_role == IG_ROLE_ANY &&
		    ig_format_detect(files[i].f_data, files[i].f_len) == IG_OFAC_SDN))
			ofac = 1;
	for (size_t i = 0; i < n; i++) {
		ig_file *f = &files[i];
		if (f->f_role != IG_ROLE_ANY && f->f_format == IG_AUTO)
			f->f_format = IG_CSV;
		if (f->f_format == IG_AUTO) {
			f->f_format = ig_format_detect(f->f_data, f->f_len);
			if (f->f_format == IG_AUTO && ofac && ig_ofac_kind(f->f_data, f->f_len) != IG_OFAC_NONE)
				f->f_format = IG_OFAC_SDN;
			if (f->f_format == IG_AUTO && blank(f->f_data, f->f_len))
				f->f_format = IG_JSONL;   /* nothing to load either way */
			if (f->f_format == IG_AUTO)
				return gr_fail(err, GR_EINVALID, "%s: cannot tell the format (give --format)", f->f_name);
		}
		if (f->f_format != IG_JSONL && f->f_format != IG_CSV && f->f_format != IG_OFAC_SDN && f->f_format != IG_WPI && f->f_format != IG_FTM && f->f_format != IG_AIS)
			return gr_fail(err, GR_EINVALID, "format %s is not supported yet", ig_format_name(f->f_format));
		if (f->f_format != IG_CSV && f->f_role != IG_ROLE_ANY)
			return gr_fail(err, GR_EUSAGE, "%s: --nodes and --relationships take CSV files", f->f_name);
		if (f->f_format == IG_CSV && f->f_role == IG_ROLE_ANY)
			f->f_role = f->f_len && csv_is_rels(f->f_data, f->f_len) ? IG_ROLE_RELS : IG_ROLE_NODES;
	}
	return GR_OK;
}

/* ---------------------------------------------------------------- the transaction */

typedef struct import_ctx {
	const ig_options *x_opt;
	ig_file *x_files;
	size_t x_nfiles;
	uint64_t x_reported;
	ig_stats x_stats;
	gr_buf x_notes;          /* the notes of the attempt that finished */
	ig_file x_datasets;      /* --datasets, when given */
} import_ctx;

/* Imports the OFAC files among the inputs, together. */
static int run_ofac(ig_run *r, const import_ctx *x)
{
	const ig_file **of = NULL;
	size_t n = 0;
	int rc;
	for (size_t i = 0; i < x->x_nfiles; i++)
		n += x->x_files[i].f_format == IG_OFAC_SDN;
	if (!n)
		return GR_OK;
	if (!(of = calloc(n, sizeof *of)))
		return gr_fail(r->r_err, GR_ENOMEM, "out of memory");
	n = 0;
	for (size_t i = 0; i < x->x_nfiles; i++)
		if (x->x_files[i].f_format == IG_OFAC_SDN)
			of[n++] = &x->x_files[i];
	rc = ig_import_ofac(r, of, n);
	free(of);
	return rc;
}

static int import_body(gr_txn *txn, void *arg, gr_error *err)
{
	import_ctx *x = arg;
	ig_run r;
	int rc = GR_OK;

	memset(&r, 0, sizeof r);
	r.r_txn = txn;
	r.r_opt = x->x_opt;
	r.r_err = err;
	r.r_reported = x->x_reported;
	r.r_files = x->x_files;
	r.r_nfiles = x->x_nfiles;
	if (!(r.r_ids = ig_map_new()) || !(r.r_bare = ig_map_new())) {
		rc = gr_fail(err, GR_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = gr_bulk_begin(txn, &r.r_bulk)) != GR_OK) {
		gr_fail(err, rc, "cannot start the import");
		goto done;
	}
	if (x->x_datasets.f_name)
		rc = ig_ftm_datasets(&r, x->x_datasets.f_data, x->x_datasets.f_len, x->x_datasets.f_name);
	/* CSV node files, then OFAC's list, WPI ports, JSONL and FtM entities,
	 * then CSV relationship files and FtM links */
	for (int pass = 0; pass < 3 && rc == GR_OK; pass++) {
		if (pass == 1)
			rc = run_ofac(&r, x);
		for (size_t i = 0; i < x->x_nfiles && rc == GR_OK; i++) {
			const ig_file *f = &x->x_files[i];
			if (pass == 1 && f->f_format == IG_WPI)
				rc = ig_import_wpi(&r, f);
			else if (pass == 1 && f->f_format == IG_JSONL)
				rc = ig_import_jsonl(&r, f);
			else if (pass >= 1 && f->f_format == IG_FTM)
				rc = ig_import_ftm(&r, f, pass - 1);
			else if (pass == 1 && f->f_format == IG_AIS)
				rc = ig_import_ais(&r, f);
			else if (f->f_format == IG_CSV && (pass == 0 ? f->f_role == IG_ROLE_NODES : pass == 2 && f->f_role == IG_ROLE_RELS))
				rc = ig_import_csv(&r, f);
		}
	}
	/* a dry run stops here: the caller aborts the transaction */
	if (rc == GR_OK && x->x_opt->o_dry_run) {
		x->x_stats = r.r_stats;
		gr_buf_free(&x->x_notes);
		x->x_notes = r.r_notes;
		memset(&r.r_notes, 0, sizeof r.r_notes);
		rc = IG_DRY_RUN;
		goto done;
	}
	if (rc == GR_OK) {
		if (x->x_opt->o_progress)
			x->x_opt->o_progress(x->x_opt->o_arg, NULL, 0, 0, r.r_stats.s_nodes + r.r_stats.s_edges);
		gr_bulk_counts_get(r.r_bulk, &r.r_stats.s_counts);
		rc = gr_bulk_finish(r.r_bulk, err);
		r.r_bulk = NULL;
		if (rc == GR_OK)
			rc = aliases_apply(&r, err);
		/* an MMSI... vessel meets the IMO vessel that now carries its MMSI */
		if (rc == GR_OK)
			rc = gr_ais_reconcile(txn, &r.r_stats.s_vessels_merged, NULL, NULL, err);
		if (rc == GR_OK)
			ig_ftm_finish(&r);
	}
	x->x_stats = r.r_stats;
	if (rc == GR_OK) {
		gr_buf_free(&x->x_notes);
		x->x_notes = r.r_notes;
		memset(&r.r_notes, 0, sizeof r.r_notes);
	}
done:
	if (r.r_nbad > x->x_reported)
		x->x_reported = r.r_nbad;
	gr_bulk_free(r.r_bulk);
	ig_ftm_free(r.r_ftm);
	ig_map_free(r.r_ids);
	ig_map_free(r.r_bare);
	gr_buf_free(&r.r_aliases);
	gr_buf_free(&r.r_notes);
	for (size_t i = 0; i < r.r_nspaces; i++)
		free(r.r_spaces[i]);
	free(r.r_spaces);
	return rc;
}

int ig_import(gr_db *db, const ig_options *opt, ig_stats *stats, gr_error *err)
{
	import_ctx x;
	size_t nstdin = 0;
	int rc = GR_OK;

	memset(&x, 0, sizeof x);
	x.x_opt = opt;
	if (stats)
		memset(stats, 0, sizeof *stats);
	for (size_t i = 0; i < opt->o_ninputs; i++)
		if (strcmp(opt->o_inputs[i].in_path, "-") == 0 && ++nstdin > 1)
			return gr_fail(err, GR_EUSAGE, "standard input (-) can be read only once");
	for (size_t i = 0; i < opt->o_ninputs; i++)
		if ((rc = ig_input_load(&opt->o_inputs[i], &x.x_files, &x.x_nfiles, err)) != GR_OK)
			goto done;
	if ((rc = settle_formats(x.x_files, x.x_nfiles, err)) != GR_OK)
		goto done;
	if (opt->o_datasets) {
		ig_input din = { opt->o_datasets, NULL, IG_ROLE_ANY, IG_AUTO };
		ig_file *df = NULL;
		size_t dn = 0;
		if ((rc = ig_input_load(&din, &df, &dn, err)) != GR_OK)
			goto done;
		if (dn != 1) {
			for (size_t i = 0; i < dn; i++)
				ig_file_unload(&df[i]);
			free(df);
			rc = gr_fail(err, GR_EINVALID, "%s: --datasets takes one JSON file", opt->o_datasets);
			goto done;
		}
		x.x_datasets = df[0];
		free(df);
	}
	rc = gr_write(db, import_body, &x, err);
	if (rc == IG_DRY_RUN)
		rc = GR_OK;
	if (rc == GR_OK && stats)
		*stats = x.x_stats;
	if (rc == GR_OK && opt->o_note)
		for (size_t off = 0; off < x.x_notes.b_len;) {
			const char *p = (const char *)x.x_notes.b_data + off;
			size_t l = strlen(p + 1);
			opt->o_note(opt->o_arg, p[0], p + 1);
			off += l + 2;
		}
done:
	for (size_t i = 0; i < x.x_nfiles; i++)
		ig_file_unload(&x.x_files[i]);
	if (x.x_datasets.f_name)
		ig_file_unload(&x.x_datasets);
	free(x.x_files);
	gr_buf_free(&x.x_notes);
	return rc;
}
