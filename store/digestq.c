/*
 * digestq.c: a bulk import's state-digest items hashed on a second thread.
 *
 * Every stored item adds SHA-256(tag, key, value) to the state digest (a
 * sum, so its order does not matter).  A bulk import of millions of edges
 * hashes each edge record and each adjacency entry: about a sixth of the
 * import's time, on the thread that parses and writes.  While a bulk runs,
 * st_digest_item copies the items it adds into a few buffers, a second
 * thread hashes them and keeps its own sum, and st_digest_sync adds that
 * sum in before anything reads the digest (the commit, the change log).
 * When a buffer or the thread cannot be had, items are hashed inline as
 * before: the result is the same either way.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define DQ_BUFS 8
#define DQ_BUF ((size_t)256 << 10)

struct st_dq {
	pthread_t q_thread;
	pthread_mutex_t q_mu;
	pthread_cond_t q_cv;
	st_env *q_env;
	unsigned char *q_buf[DQ_BUFS];   /* items: [tag][u8 klen][u16 vlen][key][val] */
	size_t q_len[DQ_BUFS];
	int q_ready[DQ_BUFS];            /* handed to the thread, not yet hashed */
	size_t q_fill;                   /* the buffer this side fills */
	size_t q_take;                   /* the next one the thread hashes */
	int q_stop;
	uint64_t q_sum[4];               /* the thread's sum */
};

static void sum_add(uint64_t d[4], const uint64_t x[4])
{
	unsigned carry = 0;
	for (int i = 0; i < 4; i++) {
		uint64_t s = d[i] + x[i];
		unsigned c1 = s < d[i];
		uint64_t s2 = s + carry;
		carry = c1 | (s2 < s);
		d[i] = s2;
	}
}

static void hash_buf(st_dq *q, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	while (p < end) {
		size_t kl = p[1], vl = (size_t)(p[2] | p[3] << 8);
		uint64_t h[4];
		st_item_hash(q->q_env, (char)p[0], p + 4, kl, p + 4 + kl, vl, h);
		sum_add(q->q_sum, h);
		p += 4 + kl + vl;
	}
}

static void *worker(void *arg)
{
	st_dq *q = arg;
	pthread_mutex_lock(&q->q_mu);
	for (;;) {
		size_t i = q->q_take;
		if (!q->q_ready[i]) {
			if (q->q_stop)
				break;
			pthread_cond_wait(&q->q_cv, &q->q_mu);
			continue;
		}
		pthread_mutex_unlock(&q->q_mu);
		hash_buf(q, q->q_buf[i], q->q_len[i]);
		pthread_mutex_lock(&q->q_mu);
		q->q_ready[i] = 0;
		q->q_take = (i + 1) % DQ_BUFS;
		pthread_cond_broadcast(&q->q_cv);
	}
	pthread_mutex_unlock(&q->q_mu);
	return NULL;
}

static void dq_free(st_dq *q)
{
	for (int i = 0; i < DQ_BUFS; i++)
		free(q->q_buf[i]);
	free(q);
}

void st_digest_async(st_txn *t)
{
	st_dq *q;
	if (t->t_dq || !t->t_write || st_hash_ready(t->t_env) != ST_OK || !(q = calloc(1, sizeof *q)))
		return;
	for (int i = 0; i < DQ_BUFS; i++)
		if (!(q->q_buf[i] = malloc(DQ_BUF))) {
			dq_free(q);
			return;
		}
	q->q_env = t->t_env;
	if (pthread_mutex_init(&q->q_mu, NULL)) {
		dq_free(q);
		return;
	}
	if (pthread_cond_init(&q->q_cv, NULL)) {
		pthread_mutex_destroy(&q->q_mu);
		dq_free(q);
		return;
	}
	if (pthread_create(&q->q_thread, NULL, worker, q)) {
		pthread_cond_destroy(&q->q_cv);
		pthread_mutex_destroy(&q->q_mu);
		dq_free(q);
		return;
	}
	t->t_dq = q;
}

/* Hands the buffer being filled to the thread and waits for the next one
 * to be free. */
static void hand_over(st_dq *q)
{
	pthread_mutex_lock(&q->q_mu);
	q->q_ready[q->q_fill] = 1;
	pthread_cond_broadcast(&q->q_cv);
	q->q_fill = (q->q_fill + 1) % DQ_BUFS;
	while (q->q_ready[q->q_fill])
		pthread_cond_wait(&q->q_cv, &q->q_mu);
	q->q_len[q->q_fill] = 0;
	pthread_mutex_unlock(&q->q_mu);
}

int st_digest_queue(st_txn *t, char tag, const void *key, size_t klen, const void *val, size_t vlen)
{
	st_dq *q = t->t_dq;
	unsigned char *p;
	size_t need = 4 + klen + vlen;
	if (!q || klen > 255 || vlen > 0xffff || need > DQ_BUF)
		return -1;
	if (q->q_len[q->q_fill] + need > DQ_BUF)
		hand_over(q);
	p = q->q_buf[q->q_fill] + q->q_len[q->q_fill];
	p[0] = (unsigned char)tag;
	p[1] = (unsigned char)klen;
	p[2] = (unsigned char)vlen;
	p[3] = (unsigned char)(vlen >> 8);
	if (klen)
		memcpy(p + 4, key, klen);
	if (vlen)
		memcpy(p + 4 + klen, val, vlen);
	q->q_len[q->q_fill] += need;
	return 0;
}

void st_digest_sync(st_txn *t)
{
	st_dq *q = t->t_dq;
	if (!q)
		return;
	t->t_dq = NULL;
	pthread_mutex_lock(&q->q_mu);
	if (q->q_len[q->q_fill])
		q->q_ready[q->q_fill] = 1;
	q->q_stop = 1;
	pthread_cond_broadcast(&q->q_cv);
	pthread_mutex_unlock(&q->q_mu);
	pthread_join(q->q_thread, NULL);
	pthread_cond_destroy(&q->q_cv);
	pthread_mutex_destroy(&q->q_mu);
	st_digest_add(t, q->q_sum);
	dq_free(q);
}
