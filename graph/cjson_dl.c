/*
 * cjson_dl.c: cJSON loaded on first use (cjson_dl.h).
 */
#include <stdio.h>

#define SG_CJSON_DL_IMPL
#include "dl.h"
#include "cjson_dl.h"

/* the library's functions, once loaded */
static struct {
#define SG_CJSON_SLOT(type, name, params, args) type (*name) params;
	SG_CJSON_FUNCS(SG_CJSON_SLOT)
#undef SG_CJSON_SLOT
	void (*Delete)(cJSON *);
	void (*free)(void *);
	void (*InitHooks)(cJSON_Hooks *);
} api;

/* 0 when libcjson is loaded; -1, said once on stderr, when it cannot be. */
static int load(void)
{
	static sg_dllib lib;
	static const char *const names[] = { "libcjson.so.1", NULL };
	if (lib.state == 0) {
		const sg_dlsym syms[] = {
#define SG_CJSON_SYM(type, name, params, args) { "cJSON_" #name, (void **)&api.name },
			SG_CJSON_FUNCS(SG_CJSON_SYM)
#undef SG_CJSON_SYM
			{ "cJSON_Delete", (void **)&api.Delete }, { "cJSON_free", (void **)&api.free },
			{ "cJSON_InitHooks", (void **)&api.InitHooks },
		};
		if (sg_dl_once(&lib, names, syms, sizeof syms / sizeof syms[0]) < 0)
			fprintf(stderr, "sanctgraph: cJSON is not usable: %s\n", lib.why);
	}
	return lib.state > 0 ? 0 : -1;
}

#define SG_CJSON_TRAMPOLINE(type, name, params, args) \
	type sg_cJSON_##name params { return load() == 0 ? api.name args : (type)0; }
SG_CJSON_FUNCS(SG_CJSON_TRAMPOLINE)
#undef SG_CJSON_TRAMPOLINE

void sg_cJSON_Delete(cJSON *item)
{
	if (item && load() == 0)
		api.Delete(item);
}

void sg_cJSON_free(void *p)
{
	if (p && load() == 0)
		api.free(p);
}

void sg_cJSON_InitHooks(cJSON_Hooks *hooks)
{
	if (load() == 0)
		api.InitHooks(hooks);
}
