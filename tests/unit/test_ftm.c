/*
 * test_ftm.c: unit tests of the FollowTheMoney importer and exporter
 * (ingest/import_ftm*.c, export/export_ftm.c) on small files: links before
 * their endpoints, the vessel key and checks, referents as aliases,
 * partial dates, and the FtM export's lines.
 */
#define _GNU_SOURCE   /* open_memstream */
#include <CUnit/Basic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "../../ingest/ingest.h"
#include "../../export/export.h"

static char ftm_dir[64];

typedef struct notes { int n; char all[4096]; } notes;

static void note_report(void *arg, const char *msg)
{
	notes *r = arg;
	r->n++;
	strncat(r->all, msg, sizeof r->all - strlen(r->all) - 2);
	strcat(r->all, "\n");
}

/* A database in a new directory with the FtM lines `text` imported. */
static gr_db *import_text(const char *text, notes *rep, gr_error *err, int *rc)
{
	char dbdir[96], path[96];
	gr_db *db = NULL;
	FILE *f;
	snprintf(ftm_dir, sizeof ftm_dir, "/tmp/sg-test-ftm.XXXXXX");
	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(ftm_dir));
	snprintf(dbdir, sizeof dbdir, "%s/db", ftm_dir);
	snprintf(path, sizeof path, "%s/in.ftm.json", ftm_dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(gr_open(dbdir, 1, &db, err), GR_OK);
	{
		ig_input in = { path, NULL, IG_ROLE_ANY, IG_AUTO };
		ig_options opt = { .o_inputs = &in, .o_ninputs = 1, .o_report = note_report, .o_arg = rep };
		*rc = ig_import(db, &opt, NULL, err);
	}
	return db;
}

static void done(gr_db *db)
{
	char cmd[128];
	gr_close(db);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", ftm_dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

/* A string property of node ref, or "" (into buf). */
static const char *node_str(gr_txn *t, const char *ref, const char *prop, char *buf, size_t n)
{
	uint32_t id;
	uint16_t key;
	gr_value v;
	gr_error err;
	buf[0] = 0;
	if (gr_resolve(t, ref, &id, &err) != GR_OK || gr_sym(t, prop, strlen(prop), 0, &key) != GR_OK ||
	    gr_node_prop(t, id, key, &v) != GR_OK)
		return buf;
	if (v.type == GR_STRING)
		snprintf(buf, n, "%s", v.u.s.ptr);
	else if (v.type == GR_INT)
		snprintf(buf, n, "%lld", (long long)v.u.i);
	gr_value_free(&v);
	return buf;
}

static const char lines[] =
	/* the link first: its endpoints come later */
	"{\"id\":\"own-1\",\"schema\":\"Ownership\",\"properties\":{\"asset\":[\"imo-vsl-9161003\"],\"owner\":[\"NK-co\"],"
	"\"startDate\":[\"2022-03\"]},\"datasets\":[\"us_ofac_sdn\"]}\n"
	"{\"properties\":{\"name\":[\"LADY R\"],\"imoNumber\":[\"9161003\"],\"flag\":[\"suhh\"],\"tonnage\":[\"3,100\"]},"
	"\"schema\":\"Vessel\",\"id\":\"imo-vsl-9161003\",\"datasets\":[\"us_ofac_sdn\",\"ext_ru_egrul\"]}\n"
	"{\"id\":\"NK-co\",\"schema\":\"Company\",\"caption\":\"TRANSMORFLOT\",\"properties\":{\"name\":[\"OOO TRANSMORFLOT\","
	"\"TRANSMORFLOT\"],\"jurisdiction\":[\"ru\"]},\"referents\":[\"ofac-45001\"],\"datasets\":[\"us_ofac_sdn\"]}\n";

static void test_links_before_their_endpoints(void)
{
	notes rep = { 0, "" };
	gr_error err;
	gr_txn *t;
	int rc;
	char buf[128];
	uint32_t v, c, via;
	gr_db *db = import_text(lines, &rep, &err, &rc);

	CU_ASSERT_EQUAL_FATAL(rc, GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	/* the vessel keyed by IMO, its FtM id an alias; the company's referent too */
	CU_ASSERT_EQUAL(gr_resolve(t, "Vessel:IMO9161003", &v, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "imo-vsl-9161003", &via, &err), GR_OK);
	CU_ASSERT_EQUAL(v, via);
	CU_ASSERT_EQUAL(gr_resolve(t, "Company:NK-co", &c, &err), GR_OK);
	CU_ASSERT_EQUAL(gr_resolve(t, "ofac-45001", &via, &err), GR_OK);
	CU_ASSERT_EQUAL(c, via);
	/* the caption is the name; other names aliases; countries upper case */
	CU_ASSERT_STRING_EQUAL(node_str(t, "Company:NK-co", "name", buf, sizeof buf), "TRANSMORFLOT");
	CU_ASSERT_STRING_EQUAL(node_str(t, "Company:NK-co", "jurisdiction", buf, sizeof buf), "RU");
	/* a flag failing the check is kept raw and reported; tonnage an integer */
	CU_ASSERT_STRING_EQUAL(node_str(t, "Vessel:IMO9161003", "flag", buf, sizeof buf), "");
	CU_ASSERT_STRING_EQUAL(node_str(t, "Vessel:IMO9161003", "tonnage", buf, sizeof buf), "3100");
	CU_ASSERT_PTR_NOT_NULL(strstr(rep.all, "in.ftm.json:2: warning: flag suhh"));
	CU_ASSERT_STRING_EQUAL(node_str(t, "Source:ext_ru_egrul", "kind", buf, sizeof buf), "registry");
	CU_ASSERT_STRING_EQUAL(node_str(t, "Source:us_ofac_sdn", "kind", buf, sizeof buf), "sanctions-list");
	gr_abort(t);
	done(db);
}

static void test_export_writes_ftm_lines(void)
{
	notes rep = { 0, "" };
	gr_error err;
	gr_txn *t;
	int rc;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	gr_db *db = import_text(lines, &rep, &err, &rc);

	CU_ASSERT_EQUAL_FATAL(rc, GR_OK);
	CU_ASSERT_EQUAL_FATAL(gr_begin(db, 0, &t, &err), GR_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = open_memstream(&text, &len));
	CU_ASSERT_EQUAL(ex_ftm(t, f, &err), GR_OK);
	fclose(f);
	gr_abort(t);
	/* the vessel under its own id, the ownership at its month precision */
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"id\":\"imo-vsl-9161003\",\"caption\":\"LADY R\",\"schema\":\"Vessel\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"flagRaw\":[\"suhh\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"imoNumber\":[\"9161003\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "{\"id\":\"own-1\",\"caption\":\"Ownership\",\"schema\":\"Ownership\","
	    "\"properties\":{\"asset\":[\"imo-vsl-9161003\"],\"owner\":[\"NK-co\"],\"startDate\":[\"2022-03\"]},"
	    "\"datasets\":[\"us_ofac_sdn\"]}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"jurisdiction\":[\"ru\"]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "\"referents\":[\"ofac-45001\"]"));
	CU_ASSERT_PTR_NULL(strstr(text, "\"schema\":\"Source\""));
	free(text);
	done(db);
}

static void test_bad_line_names_file_and_line(void)
{
	notes rep = { 0, "" };
	gr_error err;
	int rc;
	gr_db *db = import_text("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{}}\n\n{\"id\":\"b\",\"schema\":\"Person\"}\n",
	    &rep, &err, &rc);
	CU_ASSERT_EQUAL(rc, GR_EINVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "in.ftm.json:3: entity b needs a \"properties\" object"));
	done(db);
}

int test_ftm_register(void)
{
	static const unit_test tests[] = {
		{ "links before their endpoints", test_links_before_their_endpoints },
		{ "export writes ftm lines", test_export_writes_ftm_lines },
		{ "bad line names file and line", test_bad_line_names_file_and_line },
	};
	return unit_suite("ftm", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
