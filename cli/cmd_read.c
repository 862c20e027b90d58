/*
 * cmd_read.c: the commands that read: show, find, stats, log, check, backup.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cli.h"
#include "../graph/textwidth.h"
#include "../graph/citing.h"
#include "../graph/when.h"
#include "../graph/positions.h"
#include "../graph/escape.h"

/* Prints s[0..n) padded with spaces to `width` terminal columns (printf's
 * %-12s counts bytes: a Korean label would push its column out). */
static void print_padded(const char *s, size_t n, size_t width)
{
	size_t w;
	s = gr_escn(s, n);   /* control characters shown escaped */
	n = strlen(s);
	w = gr_text_width(s, n);
	fwrite(s, 1, n, stdout);
	for (; w < width; w++)
		putchar(' ');
}

static void print_value(gr_txn *t, const gr_value *v)
{
	gr_buf b = { 0 }, e = { 0 };
	(void)t;
	/* for a terminal: control characters escaped; out of memory fails
	 * the command (main asks gr_nomem_take) rather than print less */
	if (gr_value_text(&b, v) == 0 && gr_text_escape(&e, (char *)b.b_data, b.b_len) == 0)
		fwrite(e.b_data, 1, e.b_len, stdout);
	else
		gr_nomem_note();
	gr_buf_free(&b);
	gr_buf_free(&e);
}

/* The order to print properties in: by name, so that the same data reads
 * the same in every database (records keep them by symbol id).  Returns a
 * malloc'd index array, or NULL (then record order is used). */
static size_t *props_by_name(gr_txn *t, const gr_prop *p, size_t n)
{
	size_t *ix = malloc((n ? n : 1) * sizeof *ix);
	if (!ix)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		const char *name = gr_sym_name(t, p[i].p_key, NULL);
		while (j > 0 && strcmp(gr_sym_name(t, p[ix[j - 1]].p_key, NULL), name) > 0) {
			ix[j] = ix[j - 1];
			j--;
		}
		ix[j] = i;
	}
	return ix;
}

static void print_props(gr_txn *t, const gr_prop *p, size_t n, const char *indent)
{
	size_t *ix = props_by_name(t, p, n);
	for (size_t k = 0; k < n; k++) {
		size_t i = ix ? ix[k] : k;
		size_t nl;
		const char *name = gr_sym_name(t, p[i].p_key, &nl);
		printf("%s", indent);
		print_padded(name, nl, 12);
		putchar(' ');
		print_value(t, &p[i].p_val);
		putchar('\n');
	}
	free(ix);
}

static void print_inline_props(gr_txn *t, const gr_prop *p, size_t n)
{
	if (!n)
		return;
	size_t *ix = props_by_name(t, p, n);
	printf(" {");
	for (size_t k = 0; k < n; k++) {
		size_t i = ix ? ix[k] : k;
		printf("%s%s: ", k ? ", " : "", gr_esc(gr_sym_name(t, p[i].p_key, NULL)));
		print_value(t, &p[i].p_val);
	}
	putchar('}');
	free(ix);
}

static void print_cites(gr_txn *t, const gr_cite *c, size_t n)
{
	char ref[600];
	for (size_t i = 0; i < n; i++) {
		const char *key;
		size_t kl;
		if (gr_node_key_get(t, c[i].c_source, &key, &kl) == GR_OK)
			snprintf(ref, sizeof ref, "%.*s", (int)kl, key);
		else
			snprintf(ref, sizeof ref, "#%u", c[i].c_source);
		printf("%s%s (%s)", i ? ", " : "", gr_esc(ref), gr_confidence_name(c[i].c_conf) ? gr_confidence_name(c[i].c_conf) : "?");
	}
}

static int show_edges(gr_txn *t, uint32_t id, int dir, gr_error *err)
{
	gr_rels it;
	gr_rel a;
	int rc, any = 0;
	char ref[600];
	if ((rc = gr_rels_open(t, &it, err)) == GR_OK && (rc = gr_rels_seek(&it, id, dir, 0, 0)) == GR_OK) {
		while ((rc = gr_rels_next(&it, &a)) == 1) {
			gr_edge e;
			gr_edge_init(&e);
			e.e_id = a.r_edge;
			e.e_type = a.r_type;
			e.e_src = a.r_src;
			e.e_dst = a.r_dst;
			if (!any)
				printf("%s:\n", dir == GR_OUT ? "outgoing" : "incoming");
			any = 1;
			gr_node_ref(t, a.r_nbr, ref, sizeof ref);
			gr_edge_load_props(t, &e, NULL);
			printf(dir == GR_OUT ? "  ~%u -[%s" : "  ~%u <-[%s", a.r_edge, gr_esc(gr_sym_name(t, a.r_type, NULL)));
			print_inline_props(t, e.e_props, e.e_nprops);
			printf(dir == GR_OUT ? "]-> %s" : "]- %s", gr_esc(ref));
			if (e.e_ncites) {
				printf("  sources: ");
				print_cites(t, e.e_cites, e.e_ncites);
			}
			putchar('\n');
			gr_edge_clear(&e);
		}
	}
	gr_rels_close(&it);
	return rc < 0 ? -1 : 0;
}

/* What `find` finds for a reference that names no node: the text after a
 * known label's colon, or the whole reference; at most five suggestions. */
static void suggest(gr_txn *t, const char *ref, char *buf, size_t cap)
{
	const char *colon = strchr(ref, ':'), *text = ref;
	uint16_t label = 0, name = gr_sym_cached(t, "name");
	gr_hit *hits = NULL;
	size_t n = 0, used = 0;
	buf[0] = 0;
	if (colon && colon > ref && gr_sym(t, ref, (size_t)(colon - ref), 0, &label) == GR_OK)
		text = colon + 1;
	if (gr_find(t, text, label, &hits, &n, NULL) != GR_OK || n == 0) {
		if (label && gr_find(t, text, 0, &hits, &n, NULL) != GR_OK)
			n = 0;   /* the label may be the wrong one: try any */
	}
	for (size_t i = 0; i < n && i < 5 && used + 1 < cap; i++) {
		char r[600];
		gr_value v = gr_null();
		gr_node_ref(t, hits[i].h_node, r, sizeof r);
		if (name)
			gr_node_prop(t, hits[i].h_node, name, &v);
		used += (size_t)snprintf(buf + used, cap - used, "%s%s%s%s%s", i ? ", " : "", r,
		    v.type == GR_STRING ? " (" : "", v.type == GR_STRING ? v.u.s.ptr : "", v.type == GR_STRING ? ")" : "");
		gr_value_free(&v);
	}
	if (n > 5 && used + 1 < cap)
		snprintf(buf + used, cap - used, " and %zu more", n - 5);
	gr_hits_free(hits, n);
}

int cli_resolve(cli *c, gr_txn *t, const char *ref, uint32_t *id)
{
	gr_error err = { 0 };
	char sug[1024];
	int rc = gr_resolve(t, ref, id, &err);
	if (rc == GR_OK)
		return 0;
	if (rc != GR_ENOTFOUND) {
		cli_error(c, "%s", err.msg);
		return 1;
	}
	suggest(t, ref, sug, sizeof sug);
	if (sug[0])
		cli_error(c, "%s; did you mean %s?", err.msg, sug);
	else
		cli_error(c, "%s (and `sanctgraph find` finds nothing like it)", err.msg);
	return 1;
}

/* A Source's claims: every node and relationship that cites it, with the
 * confidence of that citation; relationships as `~ID` so that cite and
 * uncite can name them. */
static int show_citing(gr_txn *t, uint32_t source, gr_error *err)
{
	gr_citing *ci;
	size_t n;
	if (gr_cited_by(t, source, &ci, &n, err) != GR_OK)
		return -1;
	printf(n ? "cited by %zu claim%s:\n" : "cited by no claim\n", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char a[600], b[600], when[64];
		const char *conf = gr_confidence_name(ci[i].ci_conf);
		if (ci[i].ci_kind == 'n') {
			gr_node_ref(t, ci[i].ci_id, a, sizeof a);
			printf("  %s  (%s)\n", a, conf ? conf : "?");
			continue;
		}
		gr_edge e;
		gr_when w;
		if (gr_edge_load(t, ci[i].ci_src, ci[i].ci_id, &e, NULL) != GR_OK) {
			printf("  ~%u  (%s)\n", ci[i].ci_id, conf ? conf : "?");
			continue;
		}
		gr_node_ref(t, e.e_src, a, sizeof a);
		gr_node_ref(t, e.e_dst, b, sizeof b);
		gr_when_of_props(t, e.e_props, e.e_nprops, &w);
		gr_when_format(&w, when);
		printf("  ~%u  %s -[%s%s%s]-> %s  (%s)\n", e.e_id, a, gr_sym_name(t, e.e_type, NULL),
		    when[0] ? " " : "", when, b, conf ? conf : "?");
		gr_edge_clear(&e);
	}
	free(ci);
	return 0;
}

int cmd_show(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph show REF\n"
	"\n"
	"Prints a node (REF is Label:key, a key alone when unambiguous, or #id)\n"
	"with its labels, properties, cited sources and relationships; for a\n"
	"Source, also every claim (node, or relationship as ~ID) that cites it,\n"
	"with the confidence of that citation.\n";
	gr_txn *t;
	gr_error err = { 0 };
	gr_node n;
	uint32_t id;
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc != 2)
		return cli_usage(c, "expected one REF");
	if (cli_read(c, &t))
		return EXIT_ERR;
	if (cli_resolve(c, t, argv[1], &id)) {
		gr_abort(t);
		return EXIT_ERR;
	}
	if ((rc = gr_node_load(t, id, &n, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		gr_abort(t);
		return EXIT_ERR;
	}
	printf("%s:%s  (#%u)\n", n.n_nlabels ? gr_esc(gr_sym_name(t, n.n_labels[0], NULL)) : "", gr_escn(n.n_key, n.n_keylen), id);
	if (n.n_nlabels > 1) {
		printf("  labels       ");
		for (size_t i = 0; i < n.n_nlabels; i++)
			printf("%s%s", i ? ", " : "", gr_esc(gr_sym_name(t, n.n_labels[i], NULL)));
		putchar('\n');
	}
	print_props(t, n.n_props, n.n_nprops, "  ");
	if (n.n_ncites) {
		printf("  %-12s ", "sources");
		print_cites(t, n.n_cites, n.n_ncites);
		putchar('\n');
	}
	rc = show_edges(t, id, GR_OUT, &err) || show_edges(t, id, GR_IN, &err);
	if (!rc && gr_sym_cached(t, "Source") && gr_node_has_label_id(t, id, gr_sym_cached(t, "Source")))
		rc = show_citing(t, id, &err);
	gr_node_clear(&n);
	gr_abort(t);
	if (rc) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	return EXIT_OK;
}

int cmd_find(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph find TEXT [--label L]\n"
	"\n"
	"Case- and accent-insensitive search: names, past names and aliases that\n"
	"contain TEXT; keys, IMO numbers (with or without 'IMO'), MMSIs and call\n"
	"signs equal to it.  Prints one node a line: reference, name, what matched.\n";
	const char *text = NULL, *label = NULL;
	gr_txn *t;
	gr_error err = { 0 };
	gr_hit *hits;
	size_t n;
	uint16_t lab = 0;
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--label") == 0 || strcmp(argv[i], "-l") == 0) {
			if (++i >= argc)
				return cli_usage(c, "--label needs a label");
			label = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage(c, "unknown option %s", argv[i]);
		} else if (text) {
			return cli_usage(c, "expected one TEXT (quote it if it has spaces)");
		} else {
			text = argv[i];
		}
	}
	if (!text)
		return cli_usage(c, "expected TEXT");
	if (cli_read(c, &t))
		return EXIT_ERR;
	if (label && gr_sym(t, label, strlen(label), 0, &lab) != GR_OK) {
		gr_abort(t);
		return EXIT_OK;   /* no such label: nothing found */
	}
	if ((rc = gr_find(t, text, lab, &hits, &n, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		gr_abort(t);
		return cli_status(rc);
	}
	uint16_t name = gr_sym_cached(t, "name");
	for (size_t i = 0; i < n; i++) {
		char ref[600];
		gr_value v = gr_null();
		static const char *const kinds[] = { "n", "name", "p", "past name", "a", "alias", "i", "IMO", "m", "MMSI", "c", "call sign", "k", "key" };
		const char *kind = "";
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k += 2)
			if (kinds[k][0] == hits[i].h_kind)
				kind = kinds[k + 1];
		gr_node_ref(t, hits[i].h_node, ref, sizeof ref);
		if (name)
			gr_node_prop(t, hits[i].h_node, name, &v);
		printf("%s\t%s\t%s: %s\n", gr_esc(ref), v.type == GR_STRING ? gr_escn(v.u.s.ptr, v.u.s.len) : "", kind,
		    gr_esc(hits[i].h_text));
		gr_value_free(&v);
	}
	gr_hits_free(hits, n);
	gr_abort(t);
	return EXIT_OK;
}

/* AIS positions: how many, for how many MMSIs, and their pages.  -1 when
 * they cannot be read (stored in an older format: the message says). */
static int stats_positions(cli *c, gr_txn *t)
{
	uint64_t count = 0, bytes = 0;
	uint32_t *mmsis = NULL;
	size_t nmmsis = 0;
	gr_error err;
	if (gr_pos_stat(t, &count, &bytes, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return -1;
	}
	if (!count)
		return 0;
	if (gr_pos_mmsis(t, &mmsis, &nmmsis, &err) != GR_OK)
		nmmsis = 0;
	free(mmsis);
	printf("positions %llu\n  %-20s %zu\n  %-20s %.1f MiB (%.1f bytes per position)\n", (unsigned long long)count,
	    "MMSIs", nmmsis, "pages", bytes / 1048576.0, (double)bytes / (double)count);
	return 0;
}

int cmd_stats(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph stats\n\nCounts of nodes by label and relationships by type, and the size on disk.\n";
	gr_txn *t;
	gr_error err = { 0 };
	gr_syms sy;
	uint64_t *bytype, total = 0, file_bytes, used_bytes;
	gr_rels it = { 0 };
	gr_rel a;
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[1]);
	if (cli_read(c, &t))
		return EXIT_ERR;
	if (!(bytype = calloc(65536, sizeof *bytype)) || gr_rels_open(t, &it, &err) != GR_OK) {
		free(bytype);
		gr_rels_close(&it);
		gr_abort(t);
		cli_error(c, "out of memory");
		return EXIT_ERR;
	}
	gr_rels_all(&it);
	while ((rc = gr_rels_next(&it, &a)) == 1) {
		bytype[a.r_type]++;
		total++;
	}
	gr_rels_close(&it);
	printf("nodes %llu\n", (unsigned long long)gr_node_count(t));
	gr_syms_open(t, &sy);
	while (gr_syms_next(&sy) == 1) {
		uint64_t k = gr_label_count(t, sy.sy_id);
		if (k)
			printf("  "), print_padded(sy.sy_name, sy.sy_len, 20), printf(" %llu\n", (unsigned long long)k);
	}
	printf("relationships %llu\n", (unsigned long long)total);
	for (unsigned i = 1; i < 65536; i++)
		if (bytype[i])
		{
			size_t tl;
			const char *type = gr_sym_name(t, (uint16_t)i, &tl);
			printf("  "), print_padded(type, tl, 20), printf(" %llu\n", (unsigned long long)bytype[i]);
		}
	if (stats_positions(c, t) < 0) {
		free(bytype);
		gr_abort(t);
		return EXIT_ERR;
	}
	if (gr_db_size(c->db, &file_bytes, &used_bytes) == GR_OK)
		printf("size on disk %.1f MiB (%.1f MiB in use)\n", file_bytes / 1048576.0, used_bytes / 1048576.0);
	printf("change log %llu records\n", (unsigned long long)gr_log_head(t));
	free(bytype);
	gr_abort(t);
	if (rc < 0) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	return EXIT_OK;
}

static void print_counts(const gr_counts *k)
{
	int any = 0;
#define P(f, label) if (k->f) { printf("%s%s%llu %s", any ? ", " : "", label[0] == '-' ? "" : "", (unsigned long long)k->f, label); any = 1; }
	P(nodes_created, "nodes created");
	P(nodes_updated, "nodes updated");
	P(nodes_deleted, "nodes deleted");
	P(edges_created, "relationships created");
	P(edges_updated, "relationships updated");
	P(edges_deleted, "relationships deleted");
	P(labels_added, "labels added");
	P(labels_removed, "labels removed");
	P(props_set, "properties set");
	P(cites_added, "citations added");
	P(cites_removed, "citations removed");
#undef P
	if (!any)
		printf("no changes");
}

/* One change-log record as a JSON object (log --format json/jsonl). */
static int log_json(gr_buf *b, const gr_log_entry *e, const char *when)
{
	static const char *const names[] = {
		"nodes_created", "nodes_updated", "nodes_deleted", "edges_created", "edges_updated",
		"edges_deleted", "labels_added", "labels_removed", "props_set", "cites_added", "cites_removed",
	};
	const uint64_t vals[] = {
		e->l_counts.nodes_created, e->l_counts.nodes_updated, e->l_counts.nodes_deleted,
		e->l_counts.edges_created, e->l_counts.edges_updated, e->l_counts.edges_deleted,
		e->l_counts.labels_added, e->l_counts.labels_removed, e->l_counts.props_set,
		e->l_counts.cites_added, e->l_counts.cites_removed,
	};
	char num[80], hex[65];
	int rc = 0, l;

	l = snprintf(num, sizeof num, "{\"seq\":%llu,\"time\":", (unsigned long long)e->l_seq);
	rc |= gr_buf_put(b, num, (size_t)l);
	rc |= gr_json_string(b, when, strlen(when));
	rc |= gr_buf_put(b, ",\"author\":", 10);
	rc |= gr_json_string(b, e->l_author, strlen(e->l_author));
	rc |= gr_buf_put(b, ",\"command\":", 11);
	rc |= gr_json_string(b, e->l_command, strlen(e->l_command));
	rc |= gr_buf_put(b, ",\"counts\":{", 11);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		l = snprintf(num, sizeof num, "%s\"%s\":%llu", i ? "," : "", names[i], (unsigned long long)vals[i]);
		rc |= gr_buf_put(b, num, (size_t)l);
	}
	gr_hex(e->l_hash, 32, hex);
	rc |= gr_buf_put(b, "},\"hash\":\"", 10);
	rc |= gr_buf_put(b, hex, 64);
	gr_hex(e->l_prev, 32, hex);
	rc |= gr_buf_put(b, "\",\"prev\":\"", 10);
	rc |= gr_buf_put(b, hex, 64);
	gr_hex(e->l_digest, 32, hex);
	rc |= gr_buf_put(b, "\",\"digest\":\"", 12);
	rc |= gr_buf_put(b, hex, 64);
	rc |= gr_buf_put(b, "\"}", 2);
	return rc ? -1 : 0;
}

int cmd_log(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph log [--limit N] [--format text|json|jsonl] | log --head\n"
	"\n"
	"The change log, newest first: sequence number, time (UTC), author,\n"
	"command, what changed.  Every write transaction is one record, chained\n"
	"to the previous one by SHA-256 (`check` verifies the chain).\n"
	"\n"
	"  --head        print only the newest record's hash (64 hex digits), the\n"
	"                state to quote with a published figure (check --head)\n"
	"  --limit N     the newest N records only\n"
	"  --format F    text (default); json: one array of records; jsonl: one\n"
	"                record a line.  A record is {\"seq\":N,\"time\":\"ISO-8601 UTC\",\n"
	"                \"author\":..,\"command\":..,\"counts\":{\"nodes_created\":N,...},\n"
	"                \"hash\":HEX,\"prev\":HEX,\"digest\":HEX} (hash: SHA-256 of prev and\n"
	"                the record; digest: the state digest after the change).\n";
	long limit = -1;
	gr_txn *t;
	gr_error err = { 0 };
	uint64_t head;
	int fmt = 0;   /* 0 text, 1 json, 2 jsonl */
	int want_head = 0;
	gr_buf b = { 0 };

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "--limit") == 0 || strcmp(argv[i], "-n") == 0) && i + 1 < argc) {
			char *end;
			limit = strtol(argv[++i], &end, 10);
			if (*end || limit < 0)
				return cli_usage(c, "--limit needs a non-negative number");
		} else if (strcmp(argv[i], "--head") == 0) {
			want_head = 1;
		} else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			const char *f = argv[++i];
			if (strcmp(f, "text") == 0 || strcmp(f, "table") == 0)
				fmt = 0;
			else if (strcmp(f, "json") == 0)
				fmt = 1;
			else if (strcmp(f, "jsonl") == 0)
				fmt = 2;
			else
				return cli_usage(c, "--format needs text, json or jsonl");
		} else {
			return cli_usage(c, "unexpected argument '%s'", argv[i]);
		}
	}
	if (cli_read(c, &t))
		return EXIT_ERR;
	head = gr_log_head(t);
	if (want_head) {
		gr_log_entry e;
		char hex[65];
		if (!head) {
			gr_abort(t);
			cli_error(c, "the change log is empty");
			return EXIT_ERR;
		}
		if (gr_log_read(t, head, &e, &err) != GR_OK) {
			gr_abort(t);
			cli_error(c, "%s", err.msg);
			return EXIT_ERR;
		}
		gr_hex(e.l_hash, 32, hex);
		printf("%s\n", hex);
		gr_log_entry_clear(&e);
		gr_abort(t);
		return EXIT_OK;
	}
	if (fmt == 1)
		putchar('[');
	for (uint64_t seq = head; seq >= 1 && limit != 0; seq--, limit--) {
		gr_log_entry e;
		char when[32], hex[65];
		time_t tt;
		struct tm tm;
		if (gr_log_read(t, seq, &e, &err) != GR_OK) {
			if (fmt == 1)
				printf("]\n");
			cli_error(c, "%s", err.msg);
			gr_abort(t);
			gr_buf_free(&b);
			return EXIT_ERR;
		}
		tt = (time_t)e.l_time;
		gmtime_r(&tt, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (fmt) {
			b.b_len = 0;
			if (log_json(&b, &e, when) != 0) {
				gr_log_entry_clear(&e);
				gr_abort(t);
				gr_buf_free(&b);
				cli_error(c, "out of memory");
				return EXIT_ERR;
			}
			if (fmt == 1 && seq != head)
				putchar(',');
			fwrite(b.b_data, 1, b.b_len, stdout);
			if (fmt == 2)
				putchar('\n');
		} else {
			gr_hex(e.l_hash, 32, hex);
			printf("%llu  %s  %s  %.12s\n    %s\n    ", (unsigned long long)seq, when, gr_esc(e.l_author), hex,
			    gr_esc(e.l_command));
			print_counts(&e.l_counts);
			putchar('\n');
		}
		gr_log_entry_clear(&e);
	}
	if (fmt == 1)
		printf("]\n");
	gr_buf_free(&b);
	gr_abort(t);
	return EXIT_OK;
}

static void report_problem(void *arg, const char *msg)
{
	cli *c = arg;
	cli_error(c, "%s", msg);
}

/* Whether a change-log record's hash starts with `want` (hex). */
static int log_holds(gr_txn *t, const char *want)
{
	uint64_t head = gr_log_head(t);
	for (uint64_t seq = head; seq >= 1; seq--) {
		unsigned char hash[32];
		char hex[65];
		if (gr_log_hash(t, seq, hash) != GR_OK)
			continue;
		gr_hex(hash, 32, hex);
		if (strncasecmp(hex, want, strlen(want)) == 0)
			return 1;
	}
	return 0;
}

int cmd_check(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph check [--head HASH]\n"
	"\n"
	"Verifies the database: first its page structure, read from data.mdb\n"
	"(every B-tree page reached once, inside the file, well formed, with the\n"
	"counts its table records give; a damaged structure stops there); then\n"
	"every record decodes; label, key, text and citation indexes agree with\n"
	"the data both ways; names map to their ids and back; every relationship's\n"
	"nodes exist and its two adjacency entries agree; the change log's SHA-256\n"
	"chain is intact and the stored data matches the digest it records.\n"
	"  --head HASH   also require the chain to hold the record HASH (what\n"
	"                `log --head` printed, or a report footer shows; 12 or\n"
	"                more hex digits): a copy rolled back to an older state,\n"
	"                or a rewritten log, fails\n"
		"Exit status 3 when anything is wrong, a truncated or unreadable data.mdb\n"
	"included.\n";
	gr_txn *t;
	gr_error err = { 0 };
	long problems;
	int rc;
	const char *want = NULL;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--head") == 0 && i + 1 < argc)
			want = argv[++i];
		else
			return cli_usage(c, "unexpected argument '%s'", argv[i]);
	}
	if (want && (strlen(want) < 12 || strlen(want) > 64 || strspn(want, "0123456789abcdefABCDEF") != strlen(want)))
		return cli_usage(c, "--head takes a change-log hash: 12 to 64 hex digits (`log --head` prints it)");
	if (cli_open_status(c, 0, &rc) != 0)
		return rc == GR_ECORRUPT ? EXIT_FOUND : EXIT_ERR;   /* a damaged file is a finding */
	if (gr_begin(c->db, 0, &t, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	problems = gr_check(t, report_problem, c, &err);
	if (problems >= 0 && want && !log_holds(t, want)) {
		cli_error(c, "the change log does not contain %s: the database was rolled back to an older copy, "
		    "or its log rewritten", want);
		problems++;
	}
	if (problems == 0)
		printf("ok: %llu nodes, change log of %llu records verified\n",
		    (unsigned long long)gr_node_count(t), (unsigned long long)gr_log_head(t));
	else
		printf("%ld problem%s found\n", problems, problems == 1 ? "" : "s");
	gr_abort(t);
	return problems ? EXIT_FOUND : EXIT_OK;
}

int cmd_backup(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph backup DIR\n"
	"\n"
	"Writes a consistent, compacted copy of the database to DIR (new or empty),\n"
	"safe while other processes read and write.  DIR is itself a database.\n"
	"The copy is written to a hidden directory beside DIR and renamed to DIR\n"
	"when complete, so an interrupted backup leaves no DIR behind.\n";
	gr_error err = { 0 };
	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc != 2)
		return cli_usage(c, "expected DIR");
	if (cli_open(c, 0))
		return EXIT_ERR;
	if (gr_backup(c->db, argv[1], &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return EXIT_ERR;
	}
	printf("backed up %s to %s\n", c->db_dir, argv[1]);
	return EXIT_OK;
}
