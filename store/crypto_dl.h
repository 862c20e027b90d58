/*
 * crypto_dl.h: the part of libcrypto the store uses (SHA-256 through EVP),
 * loaded on first use (dl.h).  Include this instead of <openssl/evp.h>:
 * the EVP names below then call through st_crypto(), whose functions fail
 * (NULL, 0) when libcrypto cannot be loaded; st_crypto_error() says why.
 */
#ifndef SG_CRYPTO_DL_H
#define SG_CRYPTO_DL_H

#include <openssl/evp.h>

typedef struct st_crypto_api {
	EVP_MD_CTX *(*md_ctx_new)(void);
	void (*md_ctx_free)(EVP_MD_CTX *);
	EVP_MD *(*md_fetch)(OSSL_LIB_CTX *, const char *, const char *);
	int (*digest)(const void *, size_t, unsigned char *, unsigned int *, const EVP_MD *, ENGINE *);
	int (*digest_init_ex)(EVP_MD_CTX *, const EVP_MD *, ENGINE *);
	int (*digest_update)(EVP_MD_CTX *, const void *, size_t);
	int (*digest_final_ex)(EVP_MD_CTX *, unsigned char *, unsigned int *);
} st_crypto_api;

/* The loaded functions, or ones that fail when libcrypto is unusable. */
const st_crypto_api *st_crypto(void);
/* Why libcrypto could not be loaded, or NULL. */
const char *st_crypto_error(void);

#define EVP_MD_CTX_new() (st_crypto()->md_ctx_new())
#define EVP_MD_CTX_free(c) (st_crypto()->md_ctx_free(c))
#define EVP_MD_fetch(l, a, p) (st_crypto()->md_fetch((l), (a), (p)))
#define EVP_Digest(d, n, o, ol, md, e) (st_crypto()->digest((d), (n), (o), (ol), (md), (e)))
#define EVP_DigestInit_ex(c, md, e) (st_crypto()->digest_init_ex((c), (md), (e)))
#define EVP_DigestUpdate(c, d, n) (st_crypto()->digest_update((c), (d), (n)))
#define EVP_DigestFinal_ex(c, o, ol) (st_crypto()->digest_final_ex((c), (o), (ol)))

#endif
