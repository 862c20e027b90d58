/*
 * dl.c: run-time loading of the optional libraries (see dl.h).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "dl.h"

int sg_dl_open(const char *const *sonames, const sg_dlsym *syms, size_t nsyms, char *why, size_t n)
{
	const char *last = "no library named";
	const char *name = sonames[0] ? sonames[0] : "?";
	for (size_t i = 0; sonames[i]; i++) {
		void *h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			const char *e = dlerror();
			last = e ? e : "not found";
			name = sonames[i];
			continue;
		}
		void **found = calloc(nsyms ? nsyms : 1, sizeof *found);
		if (!found) {
			dlclose(h);
			snprintf(why, n, "out of memory");
			return -1;
		}
		size_t k;
		for (k = 0; k < nsyms; k++) {
			dlerror();
			found[k] = dlsym(h, syms[k].name);
			if (!found[k])
				break;
		}
		if (k < nsyms) {
			snprintf(why, n, "%s has no symbol %s", sonames[i], syms[k].name);
			free(found);
			dlclose(h);
			return -1;
		}
		for (k = 0; k < nsyms; k++)
			*syms[k].slot = found[k];
		free(found);
		return 0;   /* the handle stays open for the life of the process */
	}
	snprintf(why, n, "cannot load %s: %s", name, last);
	return -1;
}

int sg_dl_once(sg_dllib *lib, const char *const *sonames, const sg_dlsym *syms, size_t nsyms)
{
	if (lib->state == 0)
		lib->state = sg_dl_open(sonames, syms, nsyms, lib->why, sizeof lib->why) == 0 ? 1 : -1;
	return lib->state > 0 ? 0 : -1;
}
