/*
 * redact.c: confidential sources withheld from published outputs (see
 * redact.h).
 */
#include <string.h>

#include "redact.h"

static int include_confidential;

static uint16_t sym_of(gr_txn *t, const char *name)
{
	uint16_t id = 0;
	if (gr_sym(t, name, strlen(name), 0, &id) != GR_OK)
		return 0;
	return id;
}

void ex_set_include_confidential(int include)
{
	include_confidential = include;
}

int ex_include_confidential(void)
{
	return include_confidential;
}

int ex_is_confidential(gr_txn *t, const gr_node *n)
{
	uint16_t source = sym_of(t, "Source"), conf = sym_of(t, "confidential");
	const gr_value *v;
	int is_source = 0;
	if (!source || !conf)
		return 0;
	for (size_t i = 0; i < n->n_nlabels; i++)
		if (n->n_labels[i] == source)
			is_source = 1;
	v = gr_props_get(n->n_props, n->n_nprops, conf);
	return is_source && v && v->type == GR_BOOL && v->u.b;
}

int ex_redact_source(gr_txn *t, gr_node *n)
{
	static const char *const withheld[] = { "title", "publisher", "url", "sha256" };
	uint16_t title = sym_of(t, "title");
	size_t k = 0;
	if (include_confidential || !ex_is_confidential(t, n))
		return 0;
	for (size_t i = 0; i < n->n_nprops; i++) {
		const char *name = gr_sym_name(t, n->n_props[i].p_key, NULL);
		int drop = 0;
		for (size_t w = 0; w < sizeof withheld / sizeof withheld[0]; w++)
			drop |= strcmp(name, withheld[w]) == 0;
		if (drop)
			gr_value_free(&n->n_props[i].p_val);
		else
			n->n_props[k++] = n->n_props[i];
	}
	n->n_nprops = k;
	/* the title says what the reader is not told; a database that never
	 * held a title has no symbol for one, and then the key stands alone */
	if (title && gr_props_set(&n->n_props, &n->n_nprops, title,
	    gr_string(EX_CONFIDENTIAL_TEXT, strlen(EX_CONFIDENTIAL_TEXT))) != 0)
		return GR_ENOMEM;
	return 1;
}
