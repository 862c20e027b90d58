/*
 * limits.c: how long a statement may run and how much memory it may take,
 * and stopping it on request (Ctrl-C).
 *
 * The executor calls cy_tick() at every row an operator pulls and inside
 * the loops that do much work within one pull (variable-length expansion,
 * shortest paths, list comprehensions); every 1024th tick looks at the
 * clock, the heap and the interrupt flag.  A pull costs well under a
 * millisecond, so a statement stops within a fraction of a second of its
 * limit.
 *
 * Memory is what the heap holds beyond what it held when the statement
 * started: glibc's own count of bytes in use (mallinfo2: in-use chunks and
 * mmapped blocks), or AddressSanitizer's under ASan, whose allocator glibc
 * does not see.  That counts every allocation the statement makes (rows,
 * lists, maps, sort buffers, the parsed text) and nothing it does not:
 * LMDB's pages are a file mapping, not heap.  Builders that are about to
 * make one large value (range()) ask cy_limit_reserve() first, so that a
 * single allocation cannot leap past the limit between two looks.
 */
#include <errno.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
/* after engine.h: <signal.h> defines si_value, a field name of ast.h */
#include <signal.h>

#if defined(__SANITIZE_ADDRESS__)
#define CY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CY_ASAN 1
#endif
#endif

#ifdef CY_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

static volatile sig_atomic_t stop_requested;

void cy_interrupt(void)
{
	stop_requested = 1;
}

int cy_interrupted(void)
{
	return stop_requested != 0;
}

void cy_interrupt_clear(void)
{
	stop_requested = 0;
}

double cy_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

uint64_t cy_heap_in_use(void)
{
#ifdef CY_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();
	return (uint64_t)mi.uordblks + (uint64_t)mi.hblkhd;
#endif
}

/* "2 s", "1.5 s", "512 MiB": the limits as the messages name them. */
static void fmt_seconds(uint64_t ms, char *buf, size_t n)
{
	if (ms % 1000 == 0)
		snprintf(buf, n, "%llu s", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, n, "%.3g s", (double)ms / 1000.0);
}

void cy_format_size(uint64_t bytes, char *buf, size_t n)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;
	uint64_t v = bytes;
	while (u < 4 && v >= 1024 && v % 1024 == 0) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, "%llu %s", (unsigned long long)v, units[u]);
}

void cy_limits_start(cy_limits *l)
{
	l->start_ms = cy_clock_ms();
	l->deadline_ms = l->timeout_ms ? l->start_ms + (double)l->timeout_ms : 0;
	l->base = l->max_bytes ? cy_heap_in_use() : 0;
}

/* Fills err and returns CY_ELIMIT when a limit is reached (extra: bytes
 * about to be allocated); else CY_OK. */
int cy_limits_hit(const cy_limits *l, uint64_t extra, cy_error *err)
{
	char what[64];
	const char *msg = NULL;
	if (stop_requested) {
		msg = "interrupted";
	} else if (l && l->timeout_ms && cy_clock_ms() >= l->deadline_ms) {
		fmt_seconds(l->timeout_ms, what, sizeof what);
		msg = "time";
	} else if (l && l->max_bytes) {
		uint64_t now = cy_heap_in_use();
		uint64_t used = now > l->base ? now - l->base : 0;
		if (used + extra > l->max_bytes || extra > l->max_bytes) {
			cy_format_size(l->max_bytes, what, sizeof what);
			msg = "memory";
		}
	}
	if (!msg)
		return CY_OK;
	if (err) {
		memset(err, 0, sizeof *err);
		err->code = CY_ELIMIT;
		if (!strcmp(msg, "interrupted"))
			snprintf(err->message, sizeof err->message, "interrupted (Ctrl-C): the statement was stopped and nothing it wrote was kept");
		else if (!strcmp(msg, "time"))
			snprintf(err->message, sizeof err->message,
			    "the statement ran past the time limit of %s (--timeout or $SANCTGRAPH_TIMEOUT) and was stopped", what);
		else
			snprintf(err->message, sizeof err->message,
			    "the statement needed more than the memory limit of %s (--max-memory or $SANCTGRAPH_MAX_MEMORY) and was stopped", what);
	}
	return CY_ELIMIT;
}

int cy_limit_check(cy_ctx *c)
{
	if (c->failed)
		return -1;
	if (cy_limits_hit(c->lim, 0, c->err) == CY_OK)
		return 0;
	c->failed = 1;
	c->grc = GR_EINVALID;
	return -1;
}

int cy_limit_reserve(cy_ctx *c, uint64_t bytes)
{
	if (!c->lim || (!c->lim->max_bytes && !stop_requested))
		return 0;
	if (c->failed)
		return -1;
	if (cy_limits_hit(c->lim, bytes, c->err) == CY_OK)
		return 0;
	c->failed = 1;
	c->grc = GR_EINVALID;
	return -1;
}

/* ---- the options' values ---- */

int cy_parse_seconds(const char *s, uint64_t *ms)
{
	char *end;
	double v;
	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0 || v > 1e9)
		return -1;
	if (*end == 's' && !end[1])
		end++;
	if (*end)
		return -1;
	*ms = (uint64_t)llround(v * 1000.0);
	if (v > 0 && *ms == 0)
		*ms = 1;
	return 0;
}

int cy_parse_size(const char *s, uint64_t *bytes)
{
	char *end;
	unsigned long long v;
	uint64_t mul = 1;
	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': mul = 1ULL << 10; end++; break;
	case 'm': case 'M': mul = 1ULL << 20; end++; break;
	case 'g': case 'G': mul = 1ULL << 30; end++; break;
	case 't': case 'T': mul = 1ULL << 40; end++; break;
	default: break;
	}
	if (mul > 1 && (*end == 'i' || *end == 'I'))
		end++;
	if (mul > 1 && (*end == 'b' || *end == 'B'))
		end++;
	if (*end || (v && mul > UINT64_MAX / v))
		return -1;
	*bytes = (uint64_t)v * mul;
	return 0;
}
