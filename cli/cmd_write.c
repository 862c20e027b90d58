/*
 * cmd_write.c: the commands that write single records: init, add, link.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "recargs.h"
#include "../graph/claim.h"
#include "../graph/validate.h"
#include "../graph/escape.h"

/* A label, type or property name from the command line: names with
 * control characters are refused, as import refuses them.  0, or the
 * exit status after the message. */
static int check_name(cli *c, const char *what, const char *name)
{
	if (gr_text_control(name, strlen(name)) < 0)
		return EXIT_OK;
	cli_error(c, "%s '%s' holds a control character: names cannot", what, gr_esc(name));
	return EXIT_ERR;
}

int cmd_init(cli *c, int argc, char **argv)
{
	if (cli_help(argc, argv, "usage: sanctgraph [--db DIR] init\n\nCreates an empty database in DIR (harmless if one exists).\n"))
		return EXIT_OK;
	if (argc > 1)
		return cli_usage(c, "unexpected argument '%s'", argv[1]);
	if (cli_open(c, 1))
		return EXIT_ERR;
	printf("initialised %s\n", c->db_dir);
	return EXIT_OK;
}

void rec_args_free(rec_args *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->names[i]);
		gr_value_free(&r->vals[i]);
	}
	free(r->names);
	free(r->vals);
	free(r->sources);
	free(r->confs);
}

/* Room for one more property (names, vals) or citation (sources, confs). */
static int rec_args_grow(rec_args *r, int citation)
{
	if (citation) {
		char **s = realloc(r->sources, (r->nsrc + 1) * sizeof *s);
		int *cf;
		if (!s)
			return -1;
		r->sources = s;
		if (!(cf = realloc(r->confs, (r->nsrc + 1) * sizeof *cf)))
			return -1;
		r->confs = cf;
	} else {
		char **nm = realloc(r->names, (r->n + 1) * sizeof *nm);
		gr_value *v;
		if (!nm)
			return -1;
		r->names = nm;
		if (!(v = realloc(r->vals, (r->n + 1) * sizeof *v)))
			return -1;
		r->vals = v;
	}
	return 0;
}

/* Parses PROP=VALUE and --source/--confidence arguments from argv[from..]. */
int rec_args_parse(cli *c, int argc, char **argv, int from, int allow_file, rec_args *r)
{
	int allow_new = r->allow_new;
	memset(r, 0, sizeof *r);
	r->allow_new = allow_new;
	for (int i = from; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--source") == 0 || strcmp(a, "-s") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--source needs a source key");
			if (rec_args_grow(r, 1) < 0)
				goto nomem;
			r->sources[r->nsrc] = argv[++i];
			r->confs[r->nsrc++] = GR_PROBABLE;
		} else if (strcmp(a, "--confidence") == 0 || strcmp(a, "-c") == 0) {
			int conf;
			if (i + 1 >= argc)
				return cli_usage(c, "--confidence needs one of confirmed, probable, possible, suspected");
			if (!r->nsrc)
				return cli_usage(c, "--confidence must follow the --source it qualifies");
			if ((conf = gr_confidence_parse(argv[++i])) < 0) {
				cli_error(c, "unknown confidence '%s' (use confirmed, probable, possible or suspected)", argv[i]);
				return EXIT_ERR;
			}
			r->confs[r->nsrc - 1] = conf;
		} else if (r->allow_new && strcmp(a, "--new") == 0) {
			r->new_edge = 1;
		} else if (allow_file && strcmp(a, "--file") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "--file needs a path");
			r->file = argv[++i];
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage(c, "unknown option %s", a);
		} else {
			char *name;
			gr_value v;
			int prc = cli_parse_prop(a, &name, &v);
			if (prc == -1)
				return cli_usage(c, "expected PROP=VALUE, got '%s'", a);
			if (prc < 0)
				goto nomem;
			if (check_name(c, "property name", name) != EXIT_OK) {
				free(name);
				gr_value_free(&v);
				return EXIT_ERR;
			}
			if (rec_args_grow(r, 0) < 0) {
				free(name);
				gr_value_free(&v);
				goto nomem;
			}
			r->names[r->n] = name;
			r->vals[r->n++] = v;
		}
	}
	return EXIT_OK;
nomem:
	cli_error(c, "out of memory");
	return EXIT_ERR;
}

/* Applies the properties and citations of r to a property array and a
 * citation array (resolving source keys to Source nodes). */
int rec_apply(gr_txn *t, rec_args *r, gr_prop **props, size_t *np, gr_cite **cites, size_t *nc, gr_error *err)
{
	uint16_t source_label;
	gr_error why;
	int rc;
	for (size_t i = 0; i < r->n; i++) {
		uint16_t key;
		gr_value v;
		if (strcmp(r->names[i], "key") == 0)
			return gr_fail(err, GR_EUSAGE, "the key is given as the KEY argument, not as a property");
		if ((rc = gr_sym_intern(t, r->names[i], strlen(r->names[i]), &key, &why)) != GR_OK)
			return gr_fail(err, rc, "bad property name '%s': %s", r->names[i], why.msg);
		/* PROP= (empty) removes the property */
		if (r->vals[i].type == GR_STRING && r->vals[i].u.s.len == 0)
			v = gr_null();
		else if (gr_value_copy(&v, &r->vals[i]))
			return gr_fail(err, GR_ENOMEM, "out of memory");
		if ((rc = gr_props_set(props, np, key, v)) != GR_OK)
			return gr_fail(err, rc, "out of memory");
	}
	if (r->nsrc && gr_sym(t, "Source", 6, 0, &source_label) != GR_OK)
		return gr_fail(err, GR_ENOTFOUND, "unknown source %s (there are no Source nodes; add one with `add Source KEY`)", r->sources[0]);
	for (size_t i = 0; i < r->nsrc; i++) {
		uint32_t sid;
		if (gr_node_by_key(t, source_label, r->sources[i], strlen(r->sources[i]), &sid) != GR_OK)
			return gr_fail(err, GR_ENOTFOUND, "unknown source %s (add it with `add Source %s publisher=...`)", r->sources[i], r->sources[i]);
		if (gr_cites_add(cites, nc, sid, (uint8_t)r->confs[i]))
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

typedef struct add_args {
	const char *label, *key;
	rec_args r;
	char sha[65];
	uint32_t id;
	int created;         /* 1 created, 0 updated, -1 unchanged */
	char stored_key[300];   /* the key as stored (IMO forms normalised) */
} add_args;

static int add_txn(gr_txn *t, void *arg, gr_error *err)
{
	add_args *a = arg;
	uint16_t label;
	gr_node n;
	gr_error why;
	int rc;

	if ((rc = gr_builtin_name_check(a->label, strlen(a->label), 0, err)) != GR_OK)
		return rc;
	if ((rc = gr_sym_intern(t, a->label, strlen(a->label), &label, &why)) != GR_OK)
		return gr_fail(err, rc, "bad label '%s': %s", a->label, why.msg);
	gr_node_init(&n);
	a->created = 0;
	if (gr_node_by_key(t, label, a->key, strlen(a->key), &a->id) == GR_OK) {
		if ((rc = gr_node_load(t, a->id, &n, err)) != GR_OK)
			return rc;
		if (n.n_nlabels == 0 || n.n_labels[0] != label) {
			/* reached through a merged key: update the survivor */
		}
	} else {
		a->created = 1;
		if (!(n.n_labels = malloc(sizeof *n.n_labels)) || !(n.n_key = strdup(a->key))) {
			gr_node_clear(&n);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
		n.n_labels[0] = label;
		n.n_nlabels = 1;
		n.n_keylen = strlen(a->key);
	}
	if ((rc = rec_apply(t, &a->r, &n.n_props, &n.n_nprops, &n.n_cites, &n.n_ncites, err)) == GR_OK && a->sha[0]) {
		uint16_t k;
		if ((rc = gr_sym(t, "sha256", 6, 1, &k)) == GR_OK)
			rc = gr_props_set(&n.n_props, &n.n_nprops, k, gr_cstring(a->sha));
	}
	if (rc == GR_OK) {
		uint64_t before = gr_txn_counts_peek(t)->nodes_updated;
		rc = gr_node_save(t, &n, err);
		if (!a->created && gr_txn_counts_peek(t)->nodes_updated == before)
			a->created = -1;   /* said again: nothing changed */
	}
	snprintf(a->stored_key, sizeof a->stored_key, "%s", n.n_key ? n.n_key : a->key);
	a->id = n.n_id;
	gr_node_clear(&n);
	return rc;
}

int cmd_add(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph add LABEL KEY [PROP=VALUE ...] [--source KEY [--confidence C]]...\n"
	"\n"
	"Creates the node LABEL:KEY, or updates it when it exists: properties given\n"
	"are set (PROP= with nothing after '=' removes one), citations are added.\n"
	"VALUE is read as an integer, a float, true/false, an ISO-8601 date or\n"
	"datetime, a JSON list ([\"A\",\"B\"]), or else a string; double quotes keep\n"
	"such a value a string (imo='\"9161003\"').\n"
	"\n"
	"  --source KEY       cite the Source node KEY (repeatable)\n"
	"  --confidence C     confidence of the preceding --source: confirmed,\n"
	"                     probable (default), possible or suspected\n"
	"  --file PATH        (Source only) record the SHA-256 of an archived copy\n"
	"\n"
	"Checks: Vessel imo (check digit), mmsi (9 digits), flag (ISO 3166);\n"
	"Port locode (UN/LOCODE), lat, lon.  A failed check stores nothing.\n"
	"\n"
	"example: sanctgraph add Vessel IMO9161003 name='LADY R' imo=9161003 flag=RU\n";
	add_args a = { 0 };
	gr_error err = { 0 };
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-')
		return cli_usage(c, "expected LABEL KEY");
	a.label = argv[1];
	a.key = argv[2];
	if (!*a.label || !*a.key)
		return cli_usage(c, "LABEL and KEY must not be empty");
	if (check_name(c, "label", a.label) != EXIT_OK)
		return EXIT_ERR;
	if ((rc = rec_args_parse(c, argc, argv, 3, strcmp(a.label, "Source") == 0, &a.r)) != EXIT_OK)
		goto done;
	if (a.r.file) {
		size_t len;
		char *buf = cli_read_file(a.r.file, &len);
		unsigned char h[32];
		if (!buf) {
			cli_error(c, "cannot read %s", a.r.file);
			rc = EXIT_ERR;
			goto done;
		}
		gr_sha256(buf, len, h);
		gr_hex(h, 32, a.sha);
		free(buf);
	}
	if (cli_open(c, 0)) {
		rc = EXIT_ERR;
		goto done;
	}
	if ((rc = gr_write(c->db, add_txn, &a, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		rc = cli_status(rc);
		goto done;
	}
	printf("%s %s:%s\n", a.created > 0 ? "created" : a.created < 0 ? "unchanged" : "updated", a.label, a.stored_key);
	rc = EXIT_OK;
done:
	rec_args_free(&a.r);
	return rc;
}

typedef struct link_args {
	const char *from, *type, *to;
	rec_args r;
	gr_claim_result res;
} link_args;

static int link_txn(gr_txn *t, void *arg, gr_error *err)
{
	link_args *a = arg;
	gr_edge e;
	gr_error why;
	int rc;
	gr_edge_init(&e);
	if ((rc = gr_builtin_name_check(a->type, strlen(a->type), 1, err)) != GR_OK ||
	    (rc = gr_resolve(t, a->from, &e.e_src, err)) != GR_OK ||
	    (rc = gr_resolve(t, a->to, &e.e_dst, err)) != GR_OK)
		return rc;
	if ((rc = gr_sym_intern(t, a->type, strlen(a->type), &e.e_type, &why)) != GR_OK)
		return gr_fail(err, rc, "bad relationship type '%s': %s", a->type, why.msg);
	if ((rc = rec_apply(t, &a->r, &e.e_props, &e.e_nprops, &e.e_cites, &e.e_ncites, err)) == GR_OK)
		rc = gr_claim_say(t, &e, a->r.new_edge ? GR_CLAIM_NEW : 0, 0, &a->res, err);
	gr_edge_clear(&e);
	return rc;
}

void link_report(cli *c, const char *from, const char *type, const char *to, const gr_claim_result *res)
{
	switch (res->cr_outcome) {
	case GR_CLAIM_UPDATED:
		printf("cited %s -[%s]-> %s (relationship ~%u: %zu citation%s added)\n", from, type, to, res->cr_edge,
		    res->cr_cites_added, res->cr_cites_added == 1 ? "" : "s");
		break;
	case GR_CLAIM_UNCHANGED:
		printf("cited %s -[%s]-> %s (relationship ~%u already says all of it: nothing changed)\n", from, type, to,
		    res->cr_edge);
		break;
	default:
		printf("linked %s -[%s]-> %s (relationship ~%u)\n", from, type, to, res->cr_edge);
	}
	if (res->cr_outcome == GR_CLAIM_AMBIGUOUS) {
		char names[200] = "";
		for (size_t i = 0; i < res->cr_nothers && strlen(names) + 16 < sizeof names; i++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s~%u", i ? ", " : "", res->cr_others[i]);
		cli_error(c, "warning: ambiguous claim: it overlaps %s; stored as its own relationship ~%u", names,
		    res->cr_edge);
	}
	if (res->cr_conflicts)
		cli_error(c, "warning: relationship ~%u already has another %s: the new value is kept in %s_alt",
		    res->cr_edge, res->cr_conflict, res->cr_conflict);
}

int cmd_link(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph link FROM TYPE TO [PROP=VALUE ...] [--source KEY [--confidence C]]... [--new]\n"
	"\n"
	"Says the claim FROM -[TYPE]-> TO.  FROM and TO are node references,\n"
	"Label:key (Vessel:IMO9161003) or a key alone when it is unambiguous.\n"
	"A claim is its type, endpoints, `claim` property and dates (start/end or\n"
	"date, as UTC days): when the same claim exists (dates overlapping, or\n"
	"neither dated) its citations and new properties are added to it and\n"
	"`cited` is printed; a differing value never replaces the stored one and\n"
	"is kept in <prop>_alt.  Otherwise a relationship is made (`linked`); one\n"
	"that overlaps two or more claims is made and reported as ambiguous.\n"
	"\n"
	"  --source KEY       cite the Source node KEY (repeatable)\n"
	"  --confidence C     confidence of the preceding --source (default probable)\n"
	"  --new              make a separate relationship even when the claim exists\n"
	"\n"
	"example: sanctgraph link Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04-14 \\\n"
	"             --source planet-2024-04-14 --confidence probable\n";
	link_args a = { 0 };
	gr_error err = { 0 };
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	if (argc < 4 || argv[1][0] == '-' || argv[2][0] == '-' || argv[3][0] == '-')
		return cli_usage(c, "expected FROM TYPE TO");
	a.from = argv[1];
	a.type = argv[2];
	a.to = argv[3];
	a.r.allow_new = 1;
	if (check_name(c, "relationship type", a.type) != EXIT_OK)
		return EXIT_ERR;
	if ((rc = rec_args_parse(c, argc, argv, 4, 0, &a.r)) != EXIT_OK)
		goto done;
	if (cli_open(c, 0)) {
		rc = EXIT_ERR;
		goto done;
	}
	if ((rc = gr_write(c->db, link_txn, &a, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		rc = cli_status(rc);
		goto done;
	}
	link_report(c, a.from, a.type, a.to, &a.res);
	rc = EXIT_OK;
done:
	rec_args_free(&a.r);
	return rc;
}
