/*
 * crypto_dl.c: libcrypto's SHA-256, loaded on first use (crypto_dl.h).
 */
#include <stddef.h>

#define ST_CRYPTO_DL_IMPL
#include "dl.h"
#include "crypto_dl.h"

static int no_init(SHA256_CTX *c) { (void)c; return 0; }
static int no_update(SHA256_CTX *c, const void *d, size_t n) { (void)c; (void)d; (void)n; return 0; }
static int no_final(unsigned char *o, SHA256_CTX *c) { (void)o; (void)c; return 0; }
static void no_transform(SHA256_CTX *c, const unsigned char *b) { (void)c; (void)b; }

static st_crypto_api api = { no_init, no_update, no_final, no_transform };
static sg_dllib lib;

const st_crypto_api *st_crypto(void)
{
	if (lib.state == 0) {   /* the table is read for every hash: load once */
		static const char *const names[] = { "libcrypto.so.3", NULL };
		const sg_dlsym syms[] = {
			{ "SHA256_Init", (void **)&api.sha256_init },
			{ "SHA256_Update", (void **)&api.sha256_update },
			{ "SHA256_Final", (void **)&api.sha256_final },
			{ "SHA256_Transform", (void **)&api.sha256_transform },
		};
		sg_dl_once(&lib, names, syms, sizeof syms / sizeof syms[0]);   /* else the stubs stay */
	}
	return &api;
}

const char *st_crypto_error(void)
{
	return lib.state < 0 ? lib.why : NULL;
}
