/*
 * crypto_dl.c: libcrypto's SHA-256, loaded on first use (crypto_dl.h).
 */
#include <stddef.h>

#include "dl.h"
#include "crypto_dl.h"

static EVP_MD_CTX *no_ctx_new(void) { return NULL; }
static void no_ctx_free(EVP_MD_CTX *c) { (void)c; }
static EVP_MD *no_fetch(OSSL_LIB_CTX *l, const char *a, const char *p) { (void)l; (void)a; (void)p; return NULL; }
static int no_digest(const void *d, size_t n, unsigned char *o, unsigned int *ol, const EVP_MD *md, ENGINE *e)
{
	(void)d; (void)n; (void)o; (void)ol; (void)md; (void)e;
	return 0;
}
static int no_init(EVP_MD_CTX *c, const EVP_MD *md, ENGINE *e) { (void)c; (void)md; (void)e; return 0; }
static int no_update(EVP_MD_CTX *c, const void *d, size_t n) { (void)c; (void)d; (void)n; return 0; }
static int no_final(EVP_MD_CTX *c, unsigned char *o, unsigned int *ol) { (void)c; (void)o; (void)ol; return 0; }

static st_crypto_api api = {
	no_ctx_new, no_ctx_free, no_fetch, no_digest, no_init, no_update, no_final
};
static int state;          /* 0 not tried, 1 loaded, -1 failed */
static char why[256];

const st_crypto_api *st_crypto(void)
{
	if (state == 0) {
		static const char *const names[] = { "libcrypto.so.3", NULL };
		st_crypto_api a;
		const sg_dlsym syms[] = {
			{ "EVP_MD_CTX_new", (void **)&a.md_ctx_new },
			{ "EVP_MD_CTX_free", (void **)&a.md_ctx_free },
			{ "EVP_MD_fetch", (void **)&a.md_fetch },
			{ "EVP_Digest", (void **)&a.digest },
			{ "EVP_DigestInit_ex", (void **)&a.digest_init_ex },
			{ "EVP_DigestUpdate", (void **)&a.digest_update },
			{ "EVP_DigestFinal_ex", (void **)&a.digest_final_ex },
		};
		if (sg_dl_open(names, syms, sizeof syms / sizeof syms[0], why, sizeof why) == 0) {
			api = a;
			state = 1;
		} else {
			state = -1;
		}
	}
	return &api;
}

const char *st_crypto_error(void)
{
	return state < 0 ? why : NULL;
}
