/*
 * cmd_evidence.c: the commands of the evidence standard: audit (claims
 * below N independent sources, or a file of Cypher rules), retract (remove
 * a source and see what falls) and merge (two records of one entity).
 * The graph work is in graph/evidence.c; this file parses arguments and
 * prints.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cyrun.h"
#include "../graph/evidence.h"
#include "../graph/cypher/cypher.h"

enum { FMT_TABLE, FMT_JSON };

static int parse_format(const char *s)
{
	if (strcmp(s, "table") == 0)
		return FMT_TABLE;
	if (strcmp(s, "json") == 0)
		return FMT_JSON;
	return -1;
}

/* A non-negative count for --min-sources: 0 and *out set, or -1. */
static int parse_count(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end || v > 1000000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Symbol ids of a comma-separated list of names; a name never interned is
 * 0, which matches nothing.  Returns a malloc'd array or NULL (ENOMEM). */
static uint16_t *parse_syms(gr_txn *t, const char *list, size_t *n)
{
	size_t cap = 1;
	uint16_t *ids;
	*n = 0;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	if (!(ids = calloc(cap, sizeof *ids)))
		return NULL;
	for (const char *p = list; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && p[0] == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len) {
			uint16_t id = 0;
			if (gr_sym(t, p, len, 0, &id) != GR_OK)
				id = 0;
			ids[(*n)++] = id;
		}
		p += comma ? (size_t)(comma - p) + 1 : strlen(p);
	}
	return ids;
}

/* ---- printing claims ---- */

static void put_buf(gr_buf *b)
{
	if (b->b_len)
		fwrite(b->b_data, 1, b->b_len, stdout);
	b->b_len = 0;
}

static int json_str(gr_buf *b, const char *s)
{
	if (!s)
		return gr_buf_put(b, "null", 4);
	return gr_json_string(b, s, strlen(s));
}

static int json_lit(gr_buf *b, const char *s)
{
	return gr_buf_put(b, s, strlen(s));
}

static int json_uint(gr_buf *b, unsigned long long v)
{
	char num[32];
	int l = snprintf(num, sizeof num, "%llu", v);
	return gr_buf_put(b, num, (size_t)l);
}

/* min_conf: audit --min-confidence (0: none), which marks each source
 * whether it counts. */
static int claim_json(gr_buf *b, const gr_claim *c, int retraction, int min_conf)
{
	int rc = 0;
	rc |= json_lit(b, "{\"kind\":");
	rc |= json_str(b, c->cl_kind == 'n' ? "node" : "relationship");
	rc |= json_lit(b, ",\"id\":");
	rc |= json_uint(b, c->cl_id);
	rc |= json_lit(b, ",\"subject\":");
	rc |= json_str(b, c->cl_subject);
	if (c->cl_kind == 'e') {
		rc |= json_lit(b, ",\"type\":");
		rc |= json_str(b, c->cl_relation);
		rc |= json_lit(b, ",\"object\":");
		rc |= json_str(b, c->cl_object);
	} else {
		rc |= json_lit(b, ",\"reason\":");
		rc |= json_str(b, c->cl_reason);
	}
	rc |= json_lit(b, ",\"dates\":");
	rc |= c->cl_dates.type == GR_MAP ? gr_value_json(b, &c->cl_dates) : json_lit(b, "{}");
	if (retraction) {
		rc |= json_lit(b, ",\"before\":");
		rc |= json_uint(b, c->cl_before);
	}
	rc |= json_lit(b, ",\"independent\":");
	rc |= json_uint(b, c->cl_independent);
	rc |= json_lit(b, ",\"sources\":[");
	for (size_t i = 0; i < c->cl_nsources; i++) {
		const gr_claim_source *s = &c->cl_sources[i];
		rc |= json_lit(b, i ? ",{\"key\":" : "{\"key\":");
		rc |= json_str(b, s->cs_key);
		rc |= json_lit(b, ",\"publisher\":");
		rc |= json_str(b, s->cs_publisher);
		rc |= json_lit(b, ",\"confidence\":");
		rc |= json_str(b, gr_confidence_name(s->cs_conf));
		if (min_conf)
			rc |= json_lit(b, s->cs_conf <= min_conf ? ",\"counted\":true" : ",\"counted\":false");
		rc |= json_lit(b, "}");
	}
	rc |= json_lit(b, "]}");
	return rc ? -1 : 0;
}

/* One claim for people:
 *   1  Vessel:IMO9161003 -[SIGHTED_AT]-> Port:KPRJN  date 2024-04-14
 *        yomiuri-2024-06-09 (The Yomiuri Shimbun, probable)
 * with "2 -> 1" as the count of a retraction. */
static void claim_print(const gr_claim *c, int retraction, int min_conf)
{
	gr_buf b = { 0 };
	char count[48];

	if (retraction)
		snprintf(count, sizeof count, "%zu -> %zu", c->cl_before, c->cl_independent);
	else
		snprintf(count, sizeof count, "%zu", c->cl_independent);
	printf("%-*s  ", retraction ? 6 : 2, count);
	if (c->cl_kind == 'e')
		printf("%s -[%s]-> %s", c->cl_subject, c->cl_relation, c->cl_object);
	else
		printf("%s  (node: %s)", c->cl_subject, c->cl_reason ? c->cl_reason : "claim");
	if (c->cl_dates.type == GR_MAP)
		for (size_t i = 0; i < c->cl_dates.u.map.n; i++) {
			b.b_len = 0;
			if (gr_value_text(&b, &c->cl_dates.u.map.vals[i]) == 0)
				printf("%s%s %.*s", i ? ", " : "  ", c->cl_dates.u.map.keys[i], (int)b.b_len, (const char *)b.b_data);
		}
	putchar('\n');
	printf("%*s", retraction ? 8 : 4, "");
	if (!c->cl_nsources)
		printf("no sources");
	for (size_t i = 0; i < c->cl_nsources; i++) {
		const gr_claim_source *s = &c->cl_sources[i];
		printf("%s%s (%s%s%s%s)", i ? ", " : "", s->cs_key, s->cs_publisher ? s->cs_publisher : "",
		    s->cs_publisher ? ", " : "", gr_confidence_name(s->cs_conf) ? gr_confidence_name(s->cs_conf) : "?",
		    min_conf && s->cs_conf > min_conf ? ": not counted" : "");
	}
	putchar('\n');
	gr_buf_free(&b);
}

/* ---- audit --rules ---- */

/* --timeout, --max-memory: a rule must not hang a CI job, so there are
 * limits by default (cyrun.h). */
static cli_limits rules_limits;

/* Runs each rule; prints its findings under its name.  Returns EXIT_OK,
 * EXIT_FOUND (a rule returned rows) or EXIT_ERR. */
static int run_rules(cli *c, const char *path, const gr_rules *rs, int fmt)
{
	cy_session *s = NULL;
	gr_buf out = { 0 };
	int status = EXIT_OK, bad = 0;

	if (cy_session_new(c->db, &s) != CY_OK) {
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	if (cli_limits_apply(c, &rules_limits, CLI_DEFAULT_TIMEOUT_MS, CLI_DEFAULT_MAX_BYTES, s) < 0) {
		cy_session_free(s);
		return EXIT_USAGE;
	}
	/* the findings are gathered and printed once every rule has run */
	if (fmt == FMT_JSON)
		bad |= json_lit(&out, "{\"rules\":[");
	for (size_t i = 0; i < rs->rs_n && status != EXIT_ERR; i++) {
		const gr_rule *ru = &rs->rs_rules[i];
		char *text = NULL, head[64];
		size_t tlen = 0;
		FILE *mem = open_memstream(&text, &tlen);
		cy_writer *w = mem ? cy_writer_new(mem, fmt == FMT_JSON ? CY_FMT_JSON : CY_FMT_TABLE) : NULL;
		cy_stats st = { 0, 0 };
		cy_error err;
		int rc;

		memset(&err, 0, sizeof err);
		if (!w) {
			if (mem)
				fclose(mem);
			free(text);
			cli_error(c, "out of memory");
			status = EXIT_ERR;
			break;
		}
		rc = cy_run_text(s, ru->ru_text, rs->rs_len, w, &st, 1, NULL, &err);
		cy_writer_free(w);
		fclose(mem);
		if (rc != CY_OK) {
			if (err.line)
				cli_error(c, "%s:%u:%u: rule \"%s\": %s", path, err.line, err.column, ru->ru_name, err.message);
			else
				cli_error(c, "%s:%u: rule \"%s\": %s", path, ru->ru_line, ru->ru_name, err.message);
			status = EXIT_ERR;
		} else if (fmt == FMT_JSON) {
			while (tlen && (text[tlen - 1] == '\n' || text[tlen - 1] == ' '))
				tlen--;
			bad |= json_lit(&out, i ? ",{\"name\":" : "{\"name\":");
			bad |= json_str(&out, ru->ru_name);
			bad |= json_lit(&out, ",\"line\":");
			bad |= json_uint(&out, ru->ru_line);
			bad |= json_lit(&out, ",\"violations\":");
			bad |= json_uint(&out, st.rows);
			bad |= json_lit(&out, ",\"result\":");
			bad |= gr_buf_put(&out, text, tlen);
			bad |= json_lit(&out, "}");
		} else {
			int l = snprintf(head, sizeof head, "): %llu row%s\n", (unsigned long long)st.rows, st.rows == 1 ? "" : "s");
			bad |= json_lit(&out, i ? "\n-- " : "-- ");
			bad |= json_lit(&out, ru->ru_name);
			bad |= json_lit(&out, " (line ");
			bad |= json_uint(&out, ru->ru_line);
			bad |= gr_buf_put(&out, head, (size_t)l);
			if (st.rows)
				bad |= gr_buf_put(&out, text, tlen);
		}
		free(text);
		if (status != EXIT_ERR && st.rows)
			status = EXIT_FOUND;
	}
	if (fmt == FMT_JSON)
		bad |= json_lit(&out, "]}\n");
	if (bad && status != EXIT_ERR) {
		cli_error(c, "out of memory");
		status = EXIT_ERR;
	}
	if (status != EXIT_ERR)
		put_buf(&out);
	gr_buf_free(&out);
	cy_session_free(s);
	return status;
}

static int audit_rules(cli *c, const char *path, int fmt)
{
	gr_rules rs;
	gr_error err = { 0 };
	size_t len;
	char *text = cli_read_file(path, &len);
	int status;

	if (!text) {
		cli_error(c, "cannot read %s", path);
		return EXIT_ERR;
	}
	if (gr_rules_parse(text, len, &rs, &err) != GR_OK) {
		cli_error(c, "%s:%s", path, err.msg);
		free(text);
		return EXIT_ERR;
	}
	free(text);
	status = cli_open(c, 0) ? EXIT_ERR : run_rules(c, path, &rs, fmt);
	gr_rules_clear(&rs);
	return status;
}

int cmd_audit(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph audit [--min-sources N] [--min-confidence C] [--labels L,L] [--types T,T]\n"
	"                        [--format table|json]\n"
	"       sanctgraph audit --rules FILE [--format table|json]\n"
	"\n"
	"Lists every claim supported by fewer than N (default 2) independent\n"
	"sources, weakest first: claims with no source at all, then by count.\n"
	"Sources are independent when their publishers differ (compared ignoring\n"
	"case, accents, punctuation and spaces); a Source without a publisher is\n"
	"its own publisher.\n"
	"\n"
	"Claims are relationships of the evidence-bearing types (CALLED_AT,\n"
	"SIGHTED_AT, AIS_GAP, OWNED_BY, MANAGED_BY, OPERATED_BY, LINKED_TO,\n"
	"SANCTIONED_UNDER, TRANSFERRED_TO, CARRIED, LOADED_AT, DELIVERED_TO) and\n"
	"any relationship that cites a source; and nodes other than Sources that\n"
	"are Cargo or Sanction nodes, are designated (start a SANCTIONED_UNDER\n"
	"relationship, are linked to a Sanction node, or have sanctioned=true),\n"
	"or cite a source.\n"
	"\n"
	"  --min-sources N   the standard (default 2)\n"
	"  --min-confidence C  a citation weaker than C (confirmed, probable,\n"
	"                    possible, suspected) does not count: with `possible`,\n"
	"                    claims resting only on suspected sources fall short;\n"
	"                    such citations are shown marked `not counted`\n"
	"  --labels L,L      only claims about nodes with one of these labels\n"
	"                    (the node itself, or either end of a relationship)\n"
	"  --types T,T       only relationships of these types (no node claims);\n"
	"                    a type named here is audited even if not listed above\n"
	"  --format F        table (default) or json:\n"
	"                    {\"min_sources\":N,\"total\":N,\"claims\":[{\"kind\":..,\"id\":..,\n"
	"                    \"subject\":..,\"type\":..,\"object\":..,\"dates\":{..},\n"
	"                    \"independent\":N,\"sources\":[{\"key\":..,\"publisher\":..,\n"
	"                    \"confidence\":..}]}]}\n"
	"  --rules FILE      run the named Cypher rules in FILE instead: each rule\n"
	"                    is a query returning the rows that break it.\n"
	"  --timeout S, --max-memory SIZE  limits of each rule (default 60 s and\n"
	"                    2G, or $SANCTGRAPH_TIMEOUT and $SANCTGRAPH_MAX_MEMORY)\n"
	"\n"
	"Rules file format:\n"
	"  -- name: every sanctioned vessel has an IMO number\n"
	"  MATCH (v:Vessel)-[:SANCTIONED_UNDER]->(:Sanction)\n"
	"  WHERE v.imo IS NULL\n"
	"  RETURN v.key AS vessel;\n"
	"A line \"-- name: NAME\" starts a rule, which runs to the next such line;\n"
	"one read-only statement per rule, a trailing ';' allowed; other lines\n"
	"starting with \"-- \" are comments.  A rule that does not parse is an\n"
	"error naming it and its line:column in the file.\n"
	"\n"
	"Exit status: 0 when every claim (rule) passes, 3 when any falls short\n"
	"(returns rows), 1 on error.\n";
	gr_audit_opts o;
	const char *labels = NULL, *types = NULL, *rules = NULL;
	uint16_t *label_ids = NULL, *type_ids = NULL;
	int fmt = FMT_TABLE, status = EXIT_ERR, rc, min_given = 0;
	gr_claim *claims = NULL;
	size_t n = 0;
	gr_txn *t = NULL;
	gr_error err = { 0 };

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&o, 0, sizeof o);
	o.ao_min_sources = GR_MIN_SOURCES;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((rc = cli_limit_opt(c, argc, argv, &i, &rules_limits)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
		} else if (strcmp(a, "--min-sources") == 0) {
			if (i + 1 >= argc || parse_count(argv[++i], &o.ao_min_sources))
				return cli_usage(c, "--min-sources needs a non-negative number");
			min_given = 1;
		} else if (strcmp(a, "--min-confidence") == 0) {
			int lv;
			if (i + 1 >= argc || (lv = gr_confidence_parse(argv[++i])) <= 0)
				return cli_usage(c, "--min-confidence needs confirmed, probable, possible or suspected");
			o.ao_min_conf = (uint8_t)lv;
			min_given = 1;
		} else if (strcmp(a, "--labels") == 0 || strcmp(a, "--label") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--labels needs a comma-separated list of labels");
			labels = argv[++i];
		} else if (strcmp(a, "--types") == 0 || strcmp(a, "--type") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--types needs a comma-separated list of relationship types");
			types = argv[++i];
		} else if (strcmp(a, "--format") == 0) {
			if (i + 1 >= argc || (fmt = parse_format(argv[++i])) < 0)
				return cli_usage(c, "--format needs table or json");
		} else if (strcmp(a, "--rules") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--rules needs a file");
			rules = argv[++i];
		} else {
			return cli_usage(c, "unexpected argument '%s'", a);
		}
	}
	if (rules) {
		if (labels || types || min_given)
			return cli_usage(c, "--rules cannot be combined with --min-sources, --labels or --types");
		return audit_rules(c, rules, fmt);
	}
	if (cli_read(c, &t))
		return EXIT_ERR;
	if ((labels && !(label_ids = parse_syms(t, labels, &o.ao_nlabels))) ||
	    (types && !(type_ids = parse_syms(t, types, &o.ao_ntypes)))) {
		cli_error(c, "out of memory");
		goto done;
	}
	if (labels && !o.ao_nlabels)
		return free(label_ids), free(type_ids), gr_abort(t), cli_usage(c, "--labels names no label");
	if (types && !o.ao_ntypes)
		return free(label_ids), free(type_ids), gr_abort(t), cli_usage(c, "--types names no type");
	o.ao_labels = label_ids;
	o.ao_types = type_ids;
	if ((rc = gr_audit(t, &o, &claims, &n, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		status = cli_status(rc);
		goto done;
	}
	if (fmt == FMT_JSON) {
		gr_buf b = { 0 };
		int bad = json_lit(&b, "{\"min_sources\":") || json_uint(&b, o.ao_min_sources) ||
		    (o.ao_min_conf && (json_lit(&b, ",\"min_confidence\":") ||
		    json_str(&b, gr_confidence_name(o.ao_min_conf)))) ||
		    json_lit(&b, ",\"total\":") || json_uint(&b, o.ao_total) || json_lit(&b, ",\"claims\":[");
		for (size_t i = 0; i < n && !bad; i++)
			bad = (i && json_lit(&b, ",")) || claim_json(&b, &claims[i], 0, o.ao_min_conf);
		bad = bad || json_lit(&b, "]}\n");
		if (bad) {
			gr_buf_free(&b);
			cli_error(c, "out of memory");
			goto done;
		}
		put_buf(&b);
		gr_buf_free(&b);
	} else if (n == 0) {
		printf("all %zu claims have at least %u independent source%s%s%s\n", o.ao_total, o.ao_min_sources,
		    o.ao_min_sources == 1 ? "" : "s", o.ao_min_conf ? " at confidence " : "",
		    o.ao_min_conf ? gr_confidence_name(o.ao_min_conf) : "");
	} else {
		printf("%zu of %zu claims have fewer than %u independent source%s%s%s (count, claim, dates; its sources):\n\n",
		    n, o.ao_total, o.ao_min_sources, o.ao_min_sources == 1 ? "" : "s",
		    o.ao_min_conf ? " at confidence " : "", o.ao_min_conf ? gr_confidence_name(o.ao_min_conf) : "");
		for (size_t i = 0; i < n; i++)
			claim_print(&claims[i], 0, o.ao_min_conf);
	}
	status = n ? EXIT_FOUND : EXIT_OK;
done:
	gr_claims_free(claims, n);
	free(label_ids);
	free(type_ids);
	gr_abort(t);
	return status;
}

/* ---- retract ---- */

typedef struct retract_args {
	const char *key;
	unsigned min;
	int dry_run;
	char *publisher;
	gr_claim *claims;
	size_t n, ncites;
} retract_args;

static void retract_reset(retract_args *a)
{
	gr_claims_free(a->claims, a->n);
	free(a->publisher);
	a->claims = NULL;
	a->publisher = NULL;
	a->n = a->ncites = 0;
}

/* Finds the source, notes its publisher and retracts it (replayable). */
static int retract_txn(gr_txn *t, void *arg, gr_error *err)
{
	retract_args *a = arg;
	uint32_t sid;
	uint16_t pub;
	int rc;

	retract_reset(a);
	if ((rc = gr_source_find(t, a->key, &sid, err)) != GR_OK)
		return rc;
	if (gr_sym(t, "publisher", 9, 0, &pub) == GR_OK) {
		gr_value v;
		if (gr_node_prop(t, sid, pub, &v) == GR_OK && v.type == GR_STRING)
			a->publisher = strdup(v.u.s.ptr);
		gr_value_free(&v);
	}
	return gr_retract(t, sid, a->min, a->dry_run, &a->claims, &a->n, &a->ncites, err);
}

/* Runs fn in a write transaction, or for a dry run in one that is thrown
 * away: a read transaction, or a write one (writes) when fn must make the
 * change to tell what it would do. */
static int write_or_dry_run(cli *c, int dry, int writes, int (*fn)(gr_txn *, void *, gr_error *),
    void *arg, gr_error *err)
{
	gr_txn *t;
	int rc;
	if (!dry)
		return gr_write(c->db, fn, arg, err);
	if ((rc = gr_begin(c->db, writes, &t, err)) == GR_OK) {
		rc = fn(t, arg, err);
		gr_abort(t);
	}
	return rc;
}

int cmd_retract(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph retract SOURCE [--dry-run] [--min-sources N] [--format table|json]\n"
	"\n"
	"Removes the Source node SOURCE (its key) and every citation of it, in one\n"
	"transaction, and lists the claims that fall because of it: those that\n"
	"met the standard of N (default 2) independent sources and no longer do,\n"
	"and those left with no source at all.  Each shows its count before and\n"
	"after and the sources that remain.\n"
	"\n"
	"  --dry-run         list what would fall; change nothing\n"
	"  --min-sources N   the standard (default 2)\n"
	"  --min-confidence C  a citation weaker than C (confirmed, probable,\n"
	"                    possible, suspected) does not count: with `possible`,\n"
	"                    claims resting only on suspected sources fall short;\n"
	"                    such citations are shown marked `not counted`\n"
	"  --format F        table (default) or json: {\"source\":..,\"publisher\":..,\n"
	"                    \"dry_run\":..,\"min_sources\":N,\"citations_removed\":N,\n"
	"                    \"claims\":[{.. as audit, with \"before\":N}]}\n";
	retract_args a;
	gr_error err = { 0 };
	int fmt = FMT_TABLE, rc, status = EXIT_ERR;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&a, 0, sizeof a);
	a.min = GR_MIN_SOURCES;
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (strcmp(s, "--dry-run") == 0 || strcmp(s, "-n") == 0) {
			a.dry_run = 1;
		} else if (strcmp(s, "--min-sources") == 0) {
			if (i + 1 >= argc || parse_count(argv[++i], &a.min))
				return cli_usage(c, "--min-sources needs a non-negative number");
		} else if (strcmp(s, "--format") == 0) {
			if (i + 1 >= argc || (fmt = parse_format(argv[++i])) < 0)
				return cli_usage(c, "--format needs table or json");
		} else if (s[0] == '-' && s[1]) {
			return cli_usage(c, "unknown option %s", s);
		} else if (a.key) {
			return cli_usage(c, "expected one SOURCE");
		} else {
			a.key = s;
		}
	}
	if (!a.key)
		return cli_usage(c, "expected SOURCE, the key of a Source node");
	if (cli_open(c, 0))
		return EXIT_ERR;
	rc = write_or_dry_run(c, a.dry_run, 0, retract_txn, &a, &err);
	if (rc != GR_OK) {
		cli_error(c, "%s", err.msg);
		status = cli_status(rc);
		goto done;
	}
	if (fmt == FMT_JSON) {
		gr_buf b = { 0 };
		int bad = json_lit(&b, "{\"source\":") || json_str(&b, a.key) ||
		    json_lit(&b, ",\"publisher\":") || json_str(&b, a.publisher) ||
		    json_lit(&b, a.dry_run ? ",\"dry_run\":true" : ",\"dry_run\":false") ||
		    json_lit(&b, ",\"min_sources\":") || json_uint(&b, a.min) ||
		    json_lit(&b, ",\"citations_removed\":") || json_uint(&b, a.ncites) ||
		    json_lit(&b, ",\"claims\":[");
		for (size_t i = 0; i < a.n && !bad; i++)
			bad = (i && json_lit(&b, ",")) || claim_json(&b, &a.claims[i], 1, 0);
		bad = bad || json_lit(&b, "]}\n");
		if (bad) {
			gr_buf_free(&b);
			cli_error(c, "out of memory");
			goto done;
		}
		put_buf(&b);
		gr_buf_free(&b);
	} else {
		printf("%s %s%s%s%s: %zu citation%s %s\n", a.dry_run ? "would retract" : "retracted", a.key,
		    a.publisher ? " (" : "", a.publisher ? a.publisher : "", a.publisher ? ")" : "",
		    a.ncites, a.ncites == 1 ? "" : "s", a.dry_run ? "would be removed; nothing changed (--dry-run)" : "removed");
		if (!a.n) {
			printf("no claim falls below %u independent source%s\n", a.min, a.min == 1 ? "" : "s");
		} else {
			printf("%zu claim%s %s below %u independent source%s (before -> after, claim; remaining sources):\n\n",
			    a.n, a.n == 1 ? "" : "s", a.dry_run ? (a.n == 1 ? "would fall" : "would fall") : (a.n == 1 ? "falls" : "fall"),
			    a.min, a.min == 1 ? "" : "s");
			for (size_t i = 0; i < a.n; i++)
				claim_print(&a.claims[i], 1, 0);
		}
	}
	status = EXIT_OK;
done:
	retract_reset(&a);
	return status;
}

/* ---- merge ---- */

typedef struct merge_args {
	const char *keep, *from;
	int force;
	gr_merge_report r;
} merge_args;

/* A node's valid IMO number (from `imo`, else an IMO key) into out[8]:
 * 1, or 0 when it has none. */
static int node_imo(gr_txn *t, uint32_t id, char out[8])
{
	uint16_t k;
	gr_value v;
	const char *key;
	size_t len;
	if (gr_sym(t, "imo", 3, 0, &k) == GR_OK && gr_node_prop(t, id, k, &v) == GR_OK) {
		int ok = v.type == GR_STRING && gr_imo_valid(v.u.s.ptr, v.u.s.len, NULL, 0) == 0;
		if (ok)
			memcpy(out, v.u.s.ptr, 7);
		gr_value_free(&v);
		if (ok) {
			out[7] = 0;
			return 1;
		}
	}
	if (gr_node_key_get(t, id, &key, &len) == GR_OK && gr_imo_key_valid(key, len, NULL, 0) == 0) {
		memcpy(out, key + 3, 7);
		out[7] = 0;
		return 1;
	}
	return 0;
}

static int merge_txn(gr_txn *t, void *arg, gr_error *err)
{
	merge_args *a = arg;
	uint32_t keep, from;
	int rc;
	gr_merge_report_clear(&a->r);
	if ((rc = gr_resolve(t, a->keep, &keep, err)) != GR_OK || (rc = gr_resolve(t, a->from, &from, err)) != GR_OK)
		return rc;
	if (keep == from && strcmp(a->keep, a->from) != 0)
		return gr_fail(err, GR_EINVALID, "cannot merge %s with itself: %s is the same node", a->keep, a->from);
	if (!a->force) {
		char x[8], y[8];
		uint16_t vessel;
		if (gr_sym(t, "Vessel", 6, 0, &vessel) == GR_OK && gr_node_has_label_id(t, keep, vessel) &&
		    gr_node_has_label_id(t, from, vessel) && node_imo(t, keep, x) && node_imo(t, from, y) && strcmp(x, y))
			return gr_fail(err, GR_EINVALID,
			    "refusing to merge %s into %s: different valid IMO numbers (%s, %s) are two ships; "
			    "give --force if the record is wrong", a->from, a->keep, y, x);
	}
	return gr_merge(t, keep, from, &a->r, err);
}

int cmd_merge(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph merge REF REF [--dry-run] [--force]\n"
	"\n"
	"Merges two nodes found to be the same entity, in one transaction.  The\n"
	"first REF survives; the second is merged into it and deleted:\n"
	"  - its relationships move to the survivor with their type, properties\n"
	"    and citations (one between the two becomes a self-loop);\n"
	"  - its labels, citations and properties join the survivor's: a property\n"
	"    the survivor lacks is taken; on a conflict the survivor's value stays\n"
	"    and the other is kept, never dropped: a different name goes into\n"
	"    past_names, a flag into past_flags, any other value into the list\n"
	"    past_<prop>; list values are united.  A source both cite keeps the\n"
	"    stronger confidence;\n"
	"  - its key stays an alias: \"Label:key\" is added to the survivor's\n"
	"    merged_keys and still resolves in show, find, link and queries.\n"
	"Both must have the same first label (or one has none): a Vessel cannot\n"
	"be merged into a Port.  Two vessels with different valid IMO numbers are\n"
	"two ships: refused without --force.\n"
	"\n"
	"  --dry-run   print what would move, change nothing\n"
	"  --force     merge vessels whose IMO numbers differ\n"
	"\n"
	"example: sanctgraph merge Vessel:IMO9161003 Vessel:LADY-R\n";
	merge_args a;
	gr_error err = { 0 };
	gr_buf b = { 0 };
	int rc, dry = 0;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&a, 0, sizeof a);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			dry = 1;
		else if (strcmp(argv[i], "--force") == 0)
			a.force = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			return cli_usage(c, "unknown option %s", argv[i]);
		else if (!a.keep)
			a.keep = argv[i];
		else if (!a.from)
			a.from = argv[i];
		else
			return cli_usage(c, "unexpected argument '%s'", argv[i]);
	}
	if (!a.from)
		return cli_usage(c, "expected two node references: the survivor, then the node merged into it");
	if (cli_open(c, 0))
		return EXIT_ERR;
	/* a dry run is the merge itself, in a transaction that is thrown away */
	rc = write_or_dry_run(c, dry, 1, merge_txn, &a, &err);
	if (rc != GR_OK) {
		cli_error(c, "%s", err.msg);
		gr_merge_report_clear(&a.r);
		return cli_status(rc);
	}
	printf("%s %s into %s (#%u)%s\n", dry ? "would merge" : "merged", a.r.mr_merged_ref, a.r.mr_survivor_ref,
	    a.r.mr_survivor, dry ? " (dry run: nothing changed)" : "");
	printf("  %zu relationship%s moved, %zu citation%s added, %zu label%s added, %zu propert%s added",
	    a.r.mr_edges_moved, a.r.mr_edges_moved == 1 ? "" : "s", a.r.mr_cites_moved, a.r.mr_cites_moved == 1 ? "" : "s",
	    a.r.mr_labels_added, a.r.mr_labels_added == 1 ? "" : "s", a.r.mr_props_added, a.r.mr_props_added == 1 ? "y" : "ies");
	if (a.r.mr_cites_repointed)
		printf(", %zu citation%s of it now cite%s the survivor", a.r.mr_cites_repointed,
		    a.r.mr_cites_repointed == 1 ? "" : "s", a.r.mr_cites_repointed == 1 ? "s" : "");
	putchar('\n');
	for (size_t i = 0; i < a.r.mr_nconflicts; i++) {
		const gr_merge_conflict *k = &a.r.mr_conflicts[i];
		size_t mid;
		b.b_len = 0;
		gr_value_text(&b, &k->mc_kept);
		mid = b.b_len;
		gr_value_text(&b, &k->mc_other);
		printf("  %s: kept \"%.*s\"; \"%.*s\" kept in %s\n", k->mc_prop, (int)mid, (const char *)b.b_data,
		    (int)(b.b_len - mid), (const char *)b.b_data + mid, k->mc_kept_in);
	}
	printf("  %s remains an alias of %s\n", a.r.mr_merged_ref, a.r.mr_survivor_ref);
	gr_buf_free(&b);
	gr_merge_report_clear(&a.r);
	return EXIT_OK;
}
