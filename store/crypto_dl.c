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

static st_crypto_api api = { no_init, no_update, no_final };
static int state;          /* 0 not tried, 1 loaded, -1 failed */
static char why[256];

const st_crypto_api *st_crypto(void)
{
	if (state == 0) {
		static const char *const names[] = { "libcrypto.so.3", NULL };
		st_crypto_api a;
		const sg_dlsym syms[] = {
			{ "SHA256_Init", (void **)&a.sha256_init },
			{ "SHA256_Update", (void **)&a.sha256_update },
			{ "SHA256_Final", (void **)&a.sha256_final },
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
