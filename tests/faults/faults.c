/*
 * faults.c: an LD_PRELOAD library that makes one allocation, or one write,
 * fail, so that the sweep (tests/faults/sweep) can try every point at which
 * a command may run out of memory or disk.
 *
 *   SG_FAULT_ALLOC=N   the N-th malloc/calloc/realloc/strdup/strndup counted
 *                      from the moment main() is entered returns NULL
 *                      (ENOMEM); every other one succeeds
 *   SG_FAULT_IO=N      the N-th write/pwrite/writev/pwritev/fsync/fdatasync
 *                      fails with ENOSPC
 *   SG_FAULT_KILL=N    the process is killed (SIGKILL) at the N-th write,
 *                      sync or rename, before it happens: renames are
 *                      counted as writes only when this is set
 *                      (tests/e2e/upgrade.sh kills `upgrade` at each)
 *   SG_FAULT_COUNT=F   at exit, writes "ALLOCS WRITES" (the counts seen) to F
 *   SG_FAULT_TRACE=1   prints "alloc N" and a short backtrace to stderr for
 *                      every allocation (to find where a point lies)
 *
 * Counting starts at main(), not at load: the dynamic loader and the
 * constructors of the libraries (Graphviz, OpenSSL) allocate before main,
 * and a failure there is not something the program can answer.  We enter
 * main through our own __libc_start_main, which glibc's crt1 calls.
 *
 * Allocations go to glibc's __libc_* entry points, so the wrapper never
 * recurses into itself and needs no dlsym before it can allocate.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static int started;                 /* main() has been entered */
static unsigned long alloc_n, alloc_fail;
static unsigned long io_n, io_fail, io_kill;
static const char *count_file;
static int trace;

static unsigned long env_num(const char *name)
{
	const char *s = getenv(name);
	return s && *s ? strtoul(s, NULL, 10) : 0;
}

/* 1 when this allocation is the one to fail. */
static int alloc_fails(void)
{
	if (!started)
		return 0;
	++alloc_n;
	if (trace) {
		void *frames[8];
		char line[32];
		int n, len;
		started = 0;    /* backtrace() itself may allocate */
		n = backtrace(frames, 8);
		len = snprintf(line, sizeof line, "alloc %lu\n", alloc_n);
		if (write(2, line, (size_t)len) < 0)
			n = 0;
		backtrace_symbols_fd(frames + 2, n > 2 ? n - 2 : 0, 2);
		started = 1;
	}
	return alloc_n == alloc_fail;
}

static int io_fails(void)
{
	if (!started)
		return 0;
	if (++io_n == io_kill)
		raise(SIGKILL);
	if (io_n == io_fail) {
		errno = ENOSPC;
		return 1;
	}
	return 0;
}

void *malloc(size_t n)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	/* realloc(p, 0) frees: not an allocation that can fail */
	if (n && alloc_fails()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

/* strdup and strndup are counted once each, as the allocation they are. */
char *strdup(const char *s)
{
	size_t len = strlen(s);
	char *d = malloc(len + 1);
	if (d)
		memcpy(d, s, len + 1);
	return d;
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);
	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef ssize_t (*pwritev_fn)(int, const struct iovec *, int, off_t);
typedef int (*sync_fn)(int);

/* The real function, looked up once. */
#define NEXT(type, name) \
	static type real; \
	if (!real) \
		real = (type)dlsym(RTLD_NEXT, name)

ssize_t write(int fd, const void *buf, size_t n)
{
	NEXT(write_fn, "write");
	return io_fails() ? -1 : real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(pwrite_fn, "pwrite");
	return io_fails() ? -1 : real(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
	NEXT(pwrite_fn, "pwrite64");
	return io_fails() ? -1 : real(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	NEXT(writev_fn, "writev");
	return io_fails() ? -1 : real(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	NEXT(pwritev_fn, "pwritev");
	return io_fails() ? -1 : real(fd, iov, cnt, off);
}

int fsync(int fd)
{
	NEXT(sync_fn, "fsync");
	return io_fails() ? -1 : real(fd);
}

int fdatasync(int fd)
{
	NEXT(sync_fn, "fdatasync");
	return io_fails() ? -1 : real(fd);
}

typedef int (*rename_fn)(const char *, const char *);

int rename(const char *from, const char *to)
{
	NEXT(rename_fn, "rename");
	return io_kill && io_fails() ? -1 : real(from, to);
}

static void report(void)
{
	FILE *f;
	started = 0;
	if (count_file && (f = fopen(count_file, "w"))) {
		fprintf(f, "%lu %lu\n", alloc_n, io_n);
		fclose(f);
	}
}

typedef int (*main_fn)(int, char **, char **);
static main_fn real_main;

static int faulty_main(int argc, char **argv, char **envp)
{
	alloc_fail = env_num("SG_FAULT_ALLOC");
	io_fail = env_num("SG_FAULT_IO");
	io_kill = env_num("SG_FAULT_KILL");
	count_file = getenv("SG_FAULT_COUNT");
	trace = env_num("SG_FAULT_TRACE") != 0;
	atexit(report);
	started = 1;
	return real_main(argc, argv, envp);
}

int __libc_start_main(main_fn main_, int argc, char **argv, void (*init)(void),
    void (*fini)(void), void (*rtld_fini)(void), void *stack_end)
{
	int (*real)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *) =
	    (int (*)(main_fn, int, char **, void (*)(void), void (*)(void), void (*)(void), void *))
	    dlsym(RTLD_NEXT, "__libc_start_main");
	real_main = main_;
	return real(faulty_main, argc, argv, init, fini, rtld_fini, stack_end);
}
