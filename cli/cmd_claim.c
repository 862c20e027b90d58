/*
 * cmd_claim.c: corrections without Cypher: cite and uncite a node or a
 * claim, set and unset properties, unlink a claim.  Each runs through the
 * same checks and change log as add and link.
 *
 * A target is a node (REF: Label:key or a key) or a claim: `~ID` (the
 * relationship id that show and query print), or FROM TYPE TO followed by
 * the identifying properties that single it out (date=..., start=...
 * end=..., claim=...).  A claim that does not exist is an error, and so is
 * one that matches several relationships (they are named as ~ID).
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "recargs.h"
#include "../graph/claim.h"
#include "../graph/validate.h"

/* A target as given on the command line. */
typedef struct target {
	const char *ref;          /* a node, or "~ID" */
	const char *from, *type, *to;   /* a claim named by its endpoints */
	char **ident;             /* identifying PROP=VALUE of that claim */
	size_t nident;
	char text[600];           /* for messages */
} target;

/* The properties that name a claim among its look-alikes. */
static int identifying(const char *arg)
{
	static const char *const names[] = { "date=", "start=", "end=", "claim=", NULL };
	for (size_t i = 0; names[i]; i++)
		if (strncmp(arg, names[i], strlen(names[i])) == 0)
			return 1;
	return 0;
}

/* Splits argv[1..] into the target and the rest (rest[] gets what is
 * neither the target nor its identifying properties).  claim_possible:
 * three leading words are FROM TYPE TO (else only REF or ~ID). */
static int target_parse(cli *c, int argc, char **argv, target *tg, char ***rest, int *nrest, int words_after)
{
	int i = 1, nwords = 0;
	memset(tg, 0, sizeof *tg);
	*rest = calloc((size_t)argc + 1, sizeof **rest);
	tg->ident = calloc((size_t)argc + 1, sizeof *tg->ident);
	*nrest = 0;
	if (!*rest || !tg->ident)
		return cli_usage(c, "out of memory");
	while (i + nwords < argc && argv[i + nwords][0] != '-' && !strchr(argv[i + nwords], '='))
		nwords++;
	if (nwords == 0)
		return cli_usage(c, "expected a node REF, a claim FROM TYPE TO, or ~ID");
	/* FROM TYPE TO when three words lead and the command leaves them
	 * (unset takes property names as words: then the type must look like
	 * one, in capitals) */
	if (nwords >= 3 && argv[1][0] != '~' &&
	    (!words_after || (strspn(argv[2], "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789") == strlen(argv[2])))) {
		tg->from = argv[1];
		tg->type = argv[2];
		tg->to = argv[3];
		i = 4;
		snprintf(tg->text, sizeof tg->text, "%s -[%s]-> %s", tg->from, tg->type, tg->to);
	} else {
		tg->ref = argv[1];
		i = 2;
		snprintf(tg->text, sizeof tg->text, "%s", tg->ref);
	}
	for (; i < argc; i++) {
		if (tg->from && identifying(argv[i]))
			tg->ident[tg->nident++] = argv[i];
		else
			(*rest)[(*nrest)++] = argv[i];
	}
	return EXIT_OK;
}

static void target_free(target *tg)
{
	free(tg->ident);
}

/* A partial date naming a claim (date=2024-04, start=2024, end=2024-04):
 * the claim is the one within that period, as partial dates are stored
 * (the first day of the period in date and start, the last in end): date=
 * names the whole period, start= its first day, end= its last.  Returns 1
 * when v is no partial date (the caller sets it as it is), else GR_OK with
 * the span set on probe, or an error. */
static int partial_ident(gr_txn *t, gr_edge *probe, const char *name, const gr_value *v, gr_error *err)
{
	char text[32];
	const char *prec = NULL;
	gr_value lo, hi;
	uint16_t ks, ke;
	int is_date = strcmp(name, "date") == 0, is_end = strcmp(name, "end") == 0;
	if (!is_date && !is_end && strcmp(name, "start") != 0)
		return 1;
	if (v->type == GR_INT && v->u.i > 0 && v->u.i < 10000)
		snprintf(text, sizeof text, "%04lld", (long long)v->u.i);
	else if (v->type == GR_STRING && v->u.s.len < sizeof text)
		snprintf(text, sizeof text, "%s", v->u.s.ptr);
	else
		return 1;
	if (gr_parse_partial_date(text, strlen(text), 0, &lo, &prec) < 0 || !prec)
		return 1;
	if (gr_parse_partial_date(text, strlen(text), 1, &hi, &prec) < 0)
		return 1;
	if (gr_sym(t, "start", 5, 1, &ks) != GR_OK || gr_sym(t, "end", 3, 1, &ke) != GR_OK) {
		gr_value_free(&lo);
		gr_value_free(&hi);
		return gr_fail(err, GR_ENOMEM, "cannot name start and end");
	}
	if ((!is_end && gr_props_set(&probe->e_props, &probe->e_nprops, ks, lo)) ||
	    (!(is_date || is_end) ? 0 : gr_props_set(&probe->e_props, &probe->e_nprops, ke, hi)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	if (is_end)
		gr_value_free(&lo);
	if (!(is_date || is_end))
		gr_value_free(&hi);
	return GR_OK;
}

/* Resolves tg: *is_edge, and the loaded node or edge. */
static int target_load(gr_txn *t, const target *tg, int *is_edge, gr_node *n, gr_edge *e, gr_error *err)
{
	int rc;
	gr_node_init(n);
	gr_edge_init(e);
	*is_edge = 0;
	if (tg->ref && tg->ref[0] == '~') {
		char *end;
		unsigned long id = strtoul(tg->ref + 1, &end, 10);
		if (!tg->ref[1] || *end || id == 0 || id > 0xffffffffu)
			return gr_fail(err, GR_EUSAGE, "%s: a relationship id is ~ and a number", tg->ref);
		*is_edge = 1;
		return gr_edge_by_id(t, (uint32_t)id, e, err);
	}
	if (tg->ref) {
		uint32_t id;
		if ((rc = gr_resolve(t, tg->ref, &id, err)) != GR_OK)
			return rc;
		return gr_node_load(t, id, n, err);
	}
	*is_edge = 1;
	{
		gr_edge probe;
		uint32_t id;
		gr_edge_init(&probe);
		if ((rc = gr_builtin_name_check(tg->type, strlen(tg->type), 1, err)) != GR_OK ||
		    (rc = gr_resolve(t, tg->from, &probe.e_src, err)) != GR_OK ||
		    (rc = gr_resolve(t, tg->to, &probe.e_dst, err)) != GR_OK)
			return rc;
		if (gr_sym(t, tg->type, strlen(tg->type), 0, &probe.e_type) != GR_OK)
			return gr_fail(err, GR_ENOTFOUND, "no such claim: %s (no relationship has type %s)", tg->text, tg->type);
		for (size_t i = 0; i < tg->nident; i++) {
			char *name;
			gr_value v;
			uint16_t k;
			if (cli_parse_prop(tg->ident[i], &name, &v) != 0)
				continue;
			if ((rc = partial_ident(t, &probe, name, &v, err)) != 1) {
				free(name);
				gr_value_free(&v);
				if (rc != GR_OK) {
					gr_edge_clear(&probe);
					return rc;
				}
				continue;
			}
			rc = gr_sym(t, name, strlen(name), 0, &k);
			free(name);
			if (rc != GR_OK) {
				gr_value_free(&v);
				continue;
			}
			if (gr_props_set(&probe.e_props, &probe.e_nprops, k, v) != GR_OK) {
				gr_edge_clear(&probe);
				return gr_fail(err, GR_ENOMEM, "out of memory");
			}
		}
		rc = gr_claim_find(t, &probe, &id, err);
		gr_edge_clear(&probe);
		if (rc == GR_ENOTFOUND)
			return gr_fail(err, rc, "no such claim: %s%s%s (add it with `link`)", tg->text,
			    tg->nident ? " with " : "", tg->nident ? tg->ident[0] : "");
		if (rc != GR_OK)
			return rc;
		return gr_edge_load(t, probe.e_src, id, e, err);
	}
}

/* Saves the node or edge a target named. */
static int target_save(gr_txn *t, int is_edge, gr_node *n, gr_edge *e, gr_error *err)
{
	return is_edge ? gr_edge_save(t, e, err) : gr_node_save(t, n, err);
}

/* ---- cite, uncite ---- */

typedef struct cite_args {
	target tg;
	rec_args r;
	int remove;
	size_t added, same;
	char label[700];
} cite_args;

static int cite_txn(gr_txn *t, void *arg, gr_error *err)
{
	cite_args *a = arg;
	gr_node n;
	gr_edge e;
	gr_cite **cites;
	size_t *nc;
	int rc, is_edge;
	a->added = a->same = 0;
	if ((rc = target_load(t, &a->tg, &is_edge, &n, &e, err)) != GR_OK)
		goto done;
	cites = is_edge ? &e.e_cites : &n.n_cites;
	nc = is_edge ? &e.e_ncites : &n.n_ncites;
	if (is_edge) {
		char x[260], y[260];
		gr_node_ref(t, e.e_src, x, sizeof x);
		gr_node_ref(t, e.e_dst, y, sizeof y);
		snprintf(a->label, sizeof a->label, "%s -[%s]-> %s (~%u)", x, gr_sym_name(t, e.e_type, NULL), y, e.e_id);
	} else {
		gr_node_ref(t, n.n_id, a->label, sizeof a->label);
	}
	for (size_t i = 0; i < a->r.nsrc; i++) {
		uint16_t source;
		uint32_t sid;
		size_t j;
		if (gr_sym(t, "Source", 6, 0, &source) != GR_OK ||
		    gr_node_by_key(t, source, a->r.sources[i], strlen(a->r.sources[i]), &sid) != GR_OK) {
			rc = gr_fail(err, GR_ENOTFOUND, "unknown source %s (add it with `add Source %s publisher=...`)",
			    a->r.sources[i], a->r.sources[i]);
			goto done;
		}
		for (j = 0; j < *nc && (*cites)[j].c_source != sid; j++)
			;
		if (a->remove) {
			if (j == *nc) {
				rc = gr_fail(err, GR_ENOTFOUND, "%s does not cite %s", a->label, a->r.sources[i]);
				goto done;
			}
			memmove(*cites + j, *cites + j + 1, (*nc - j - 1) * sizeof **cites);
			--*nc;
			a->added++;
		} else {
			if (j < *nc && (*cites)[j].c_conf == a->r.confs[i])
				a->same++;
			else if (j == *nc)
				a->added++;
			if (gr_cites_add(cites, nc, sid, (uint8_t)a->r.confs[i]) != GR_OK) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				goto done;
			}
		}
	}
	rc = target_save(t, is_edge, &n, &e, err);
done:
	gr_node_clear(&n);
	gr_edge_clear(&e);
	return rc;
}

static int cite_cmd(cli *c, int argc, char **argv, int remove, const char *help)
{
	cite_args a;
	char **rest = NULL;
	int nrest, rc;
	gr_error err = { 0 };

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&a, 0, sizeof a);
	a.remove = remove;
	if ((rc = target_parse(c, argc, argv, &a.tg, &rest, &nrest, 0)) != EXIT_OK)
		goto out;
	/* the rest: --source KEY [--confidence C] ... */
	{
		char **av = calloc((size_t)nrest + 2, sizeof *av);
		if (!av) {
			rc = cli_usage(c, "out of memory");
			goto out;
		}
		av[0] = argv[0];
		for (int i = 0; i < nrest; i++)
			av[i + 1] = rest[i];
		rc = rec_args_parse(c, nrest + 1, av, 1, 0, &a.r);
		free(av);
	}
	if (rc != EXIT_OK)
		goto out;
	if (a.r.n) {
		rc = cli_usage(c, "%s takes sources, not properties (%s=...); use `set`", argv[0], a.r.names[0]);
		goto out;
	}
	if (!a.r.nsrc) {
		rc = cli_usage(c, "expected --source KEY");
		goto out;
	}
	if (remove)
		for (size_t i = 0; i < a.r.nsrc; i++)
			for (int k = 1; k < argc; k++)
				if (strcmp(argv[k], "--confidence") == 0 || strcmp(argv[k], "-c") == 0) {
					rc = cli_usage(c, "uncite takes no --confidence");
					goto out;
				}
	if (cli_open(c, 0)) {
		rc = EXIT_ERR;
		goto out;
	}
	if ((rc = gr_write(c->db, cite_txn, &a, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		rc = cli_status(rc);
		goto out;
	}
	if (remove)
		printf("uncited %s: %zu citation%s removed\n", a.label, a.added, a.added == 1 ? "" : "s");
	else
		printf("cited %s: %zu citation%s added, %zu already there\n", a.label, a.added, a.added == 1 ? "" : "s",
		    a.same);
	rc = EXIT_OK;
out:
	free(rest);
	target_free(&a.tg);
	rec_args_free(&a.r);
	return rc;
}

int cmd_cite(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph cite TARGET --source KEY [--confidence C]...\n"
	"\n"
	"Adds citations to an existing node or claim.  TARGET is a node (REF:\n"
	"Vessel:IMO9161003), a relationship by id (~12, as show and query print\n"
	"it), or a claim FROM TYPE TO with what singles it out: date=..., start=...\n"
	"end=..., claim=...  A claim that does not exist, or that matches several\n"
	"relationships (named as ~ID), is an error.  A source cited already takes\n"
	"the confidence given.\n"
	"\n"
	"  --source KEY       cite the Source node KEY (repeatable)\n"
	"  --confidence C     confirmed, probable (default), possible or suspected\n"
	"\n"
	"example: sanctgraph cite Vessel:IMO9161003 SIGHTED_AT Port:KPRJN date=2024-04-14 \\\n"
	"             --source reuters-2024-05-02 --confidence possible\n";
	return cite_cmd(c, argc, argv, 0, help);
}

int cmd_uncite(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph uncite TARGET --source KEY...\n"
	"\n"
	"Removes citations from a node or claim (TARGET as for `cite`).  A source\n"
	"that TARGET does not cite is an error.  To remove a source from every\n"
	"claim, use `retract`.\n";
	return cite_cmd(c, argc, argv, 1, help);
}

/* ---- set, unset, unlink ---- */

typedef struct set_args {
	target tg;
	char **rest;
	int nrest;
	int mode;              /* 's' set, 'u' unset, 'x' unlink */
	char label[700];
	int changed;
} set_args;

static int set_props(gr_txn *t, set_args *a, gr_prop **props, size_t *np, gr_error *err)
{
	for (int i = 0; i < a->nrest; i++) {
		char *name;
		gr_value v;
		uint16_t k;
		int rc;
		if (a->mode == 'u') {
			if (gr_sym(t, a->rest[i], strlen(a->rest[i]), 0, &k) != GR_OK || !gr_props_get(*props, *np, k))
				return gr_fail(err, GR_ENOTFOUND, "%s has no property %s", a->label, a->rest[i]);
			gr_props_set(props, np, k, gr_null());
			continue;
		}
		if (cli_parse_prop(a->rest[i], &name, &v) != 0)
			return gr_fail(err, GR_EUSAGE, "expected PROP=VALUE, got '%s'", a->rest[i]);
		if (strcmp(name, "key") == 0) {
			free(name);
			gr_value_free(&v);
			return gr_fail(err, GR_EUSAGE, "the key cannot be set (merge the node into one with that key)");
		}
		rc = gr_sym(t, name, strlen(name), 1, &k);
		free(name);
		if (rc != GR_OK) {
			gr_value_free(&v);
			return gr_fail(err, rc, "bad property name in '%s'", a->rest[i]);
		}
		if (gr_props_set(props, np, k, v) != GR_OK)
			return gr_fail(err, GR_ENOMEM, "out of memory");
	}
	return GR_OK;
}

static int set_txn(gr_txn *t, void *arg, gr_error *err)
{
	set_args *a = arg;
	gr_node n;
	gr_edge e;
	int rc, is_edge;
	uint64_t before;
	if ((rc = target_load(t, &a->tg, &is_edge, &n, &e, err)) != GR_OK)
		goto done;
	if (is_edge) {
		char x[260], y[260];
		gr_node_ref(t, e.e_src, x, sizeof x);
		gr_node_ref(t, e.e_dst, y, sizeof y);
		snprintf(a->label, sizeof a->label, "%s -[%s]-> %s (~%u)", x, gr_sym_name(t, e.e_type, NULL), y, e.e_id);
	} else {
		gr_node_ref(t, n.n_id, a->label, sizeof a->label);
	}
	if (a->mode == 'x') {
		if (!is_edge) {
			rc = gr_fail(err, GR_EUSAGE, "unlink takes a claim (FROM TYPE TO or ~ID), not a node");
			goto done;
		}
		rc = gr_edge_delete(t, &e, err);
		a->changed = 1;
		goto done;
	}
	if ((rc = set_props(t, a, is_edge ? &e.e_props : &n.n_props, is_edge ? &e.e_nprops : &n.n_nprops, err)) != GR_OK)
		goto done;
	before = gr_txn_counts_peek(t)->nodes_updated + gr_txn_counts_peek(t)->edges_updated;
	rc = target_save(t, is_edge, &n, &e, err);
	a->changed = gr_txn_counts_peek(t)->nodes_updated + gr_txn_counts_peek(t)->edges_updated != before;
done:
	gr_node_clear(&n);
	gr_edge_clear(&e);
	return rc;
}

static int set_cmd(cli *c, int argc, char **argv, int mode, const char *help)
{
	set_args a;
	gr_error err = { 0 };
	int rc;

	if (cli_help(argc, argv, help))
		return EXIT_OK;
	memset(&a, 0, sizeof a);
	a.mode = mode;
	if ((rc = target_parse(c, argc, argv, &a.tg, &a.rest, &a.nrest, mode == 'u')) != EXIT_OK)
		goto out;
	for (int i = 0; i < a.nrest; i++)
		if (a.rest[i][0] == '-' && a.rest[i][1] == '-') {
			rc = cli_usage(c, "unknown option %s", a.rest[i]);
			goto out;
		}
	if (mode != 'x' && a.nrest == 0) {
		rc = cli_usage(c, mode == 's' ? "expected PROP=VALUE after the target" : "expected PROP after the target");
		goto out;
	}
	if (mode == 'x' && a.nrest) {
		rc = cli_usage(c, "unexpected argument '%s'", a.rest[0]);
		goto out;
	}
	if (cli_open(c, 0)) {
		rc = EXIT_ERR;
		goto out;
	}
	if ((rc = gr_write(c->db, set_txn, &a, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		rc = cli_status(rc);
		goto out;
	}
	printf("%s %s\n", mode == 'x' ? "unlinked" : a.changed ? "updated" : "unchanged", a.label);
	rc = EXIT_OK;
out:
	free(a.rest);
	target_free(&a.tg);
	return rc;
}

int cmd_set(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph set REF|CLAIM PROP=VALUE...\n"
	"\n"
	"Sets properties of a node or a claim, with the checks of `add` and `link`\n"
	"(a bad date or IMO number stores nothing).  CLAIM is ~ID, or FROM TYPE TO\n"
	"with date=, start=, end= or claim= singling it out (those name the claim;\n"
	"to change them, name the claim by ~ID).  Values as for `add`.\n"
	"\n"
	"example: sanctgraph set Vessel:IMO9161003 flag=RU\n"
	"         sanctgraph set ~12 date=2024-04-15\n";
	return set_cmd(c, argc, argv, 's', help);
}

int cmd_unset(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph unset REF|CLAIM PROP...\n"
	"\n"
	"Removes properties of a node or a claim (CLAIM as for `set`; the type of\n"
	"FROM TYPE TO is written in capitals, as built-in types are).  A property\n"
	"that is not there is an error.\n";
	return set_cmd(c, argc, argv, 'u', help);
}

int cmd_unlink(cli *c, int argc, char **argv)
{
	static const char help[] =
	"usage: sanctgraph unlink CLAIM\n"
	"\n"
	"Deletes a claim: ~ID, or FROM TYPE TO with date=, start=, end= or claim=\n"
	"when several relationships of that type join the two nodes.  Its\n"
	"citations go with it; the change log records it.\n";
	return set_cmd(c, argc, argv, 'x', help);
}
