/*
 * dl.h: optional libraries loaded at run time, on first use.
 *
 * A point query should not pay for what it does not use: libcrypto (the
 * change log's SHA-256, needed by writes and `check`), Graphviz (`diagram`,
 * `report`), libarchive (compressed imports) and libedit (`shell`) together
 * cost several milliseconds of dynamic linking at every start.  Each is
 * opened here by its SONAME when first needed; the code that uses one
 * includes its *_dl.h header, which maps the library's function names onto
 * a table filled by sg_dl_open.
 */
#ifndef SG_DL_H
#define SG_DL_H

#include <stddef.h>

typedef struct sg_dlsym {
	const char *name;   /* the symbol as the library exports it */
	void **slot;        /* where its address goes */
} sg_dlsym;

/* Opens the first library of sonames (a NULL-terminated list) that loads,
 * and resolves every symbol of syms into its slot.  Returns 0, or -1 with
 * why filled ("cannot load libgvc.so.6: ...") and no slot changed. */
int sg_dl_open(const char *const *sonames, const sg_dlsym *syms, size_t nsyms, char *why, size_t n);

/* One optional library, loaded at most once per process. */
typedef struct sg_dllib {
	int state;          /* 0 not tried, 1 loaded, -1 failed */
	char why[256];      /* why it failed */
} sg_dllib;

/* Loads lib on its first call (sg_dl_open) and remembers the outcome:
 * 0 when loaded, -1 when it is not usable (lib->why says why). */
int sg_dl_once(sg_dllib *lib, const char *const *sonames, const sg_dlsym *syms, size_t nsyms);

#endif
