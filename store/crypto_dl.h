/*
 * crypto_dl.h: the part of libcrypto the store uses (SHA-256), loaded on
 * first use (dl.h): reads never need it, and linking libcrypto costs
 * milliseconds at every start.  Include this instead of <openssl/sha.h>:
 * the names below then call through st_crypto(), whose functions fail
 * (return 0) when libcrypto cannot be loaded; st_crypto_error() says why.
 *
 * SHA256_Init/Update/Final are deprecated in OpenSSL 3 in favour of EVP,
 * but EVP fetches the digest from a provider, which allocates, and OpenSSL
 * 3.0 crashes later on a lock whose allocation failed during that fetch;
 * these allocate nothing and cannot fail once loaded.
 */
#ifndef SG_CRYPTO_DL_H
#define SG_CRYPTO_DL_H

#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

typedef struct st_crypto_api {
	int (*sha256_init)(SHA256_CTX *);
	int (*sha256_update)(SHA256_CTX *, const void *, size_t);
	int (*sha256_final)(unsigned char *, SHA256_CTX *);
	void (*sha256_transform)(SHA256_CTX *, const unsigned char *);   /* one 64-byte block */
} st_crypto_api;

/* The loaded functions, or ones that fail when libcrypto is unusable. */
const st_crypto_api *st_crypto(void);
/* Why libcrypto could not be loaded, or NULL. */
const char *st_crypto_error(void);

#ifndef ST_CRYPTO_DL_IMPL
#define SHA256_Init(c) (st_crypto()->sha256_init(c))
#define SHA256_Update(c, d, n) (st_crypto()->sha256_update((c), (d), (n)))
#define SHA256_Final(o, c) (st_crypto()->sha256_final((o), (c)))
#define SHA256_Transform(c, b) (st_crypto()->sha256_transform((c), (b)))
#endif

#endif
