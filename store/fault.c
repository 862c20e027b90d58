/*
 * fault.c: a damaged data.mdb ends a command with a message, not a crash.
 *
 * LMDB trusts its pages.  verify.c walks them from the file before LMDB
 * reads them, but at open only wholly for a file up to 1 MiB (a larger one
 * gets its table of tables walked; the rest before the first write and by
 * `check`), so a damaged page deeper in a large file can send LMDB's
 * cursors anywhere: a node whose flags say "sub-database" on a table
 * without duplicates, an offset past its page.  While a database is open,
 * SIGSEGV and SIGBUS come here.  A fault is the database's damage when
 *   - it is raised in LMDB's own code while an open database has not had
 *     all its pages walked (a walked one cannot mislead LMDB: a fault
 *     there is a bug of ours, such as a freed cursor passed in), or
 *   - it is a SIGBUS on an address inside LMDB's map (the file was
 *     truncated under us, or the disk failed; a SIGSEGV inside the map is
 *     a write to it, which is ours).
 * Then the message names the database and the process exits 1, as other
 * damaged-file errors do.  Nothing is lost by leaving a write transaction
 * there: LMDB (without MDB_WRITEMAP) changes the file only in its commit,
 * its pages first and the meta page that makes them current last, and the
 * change log and digest are records in the same transaction.  Any other
 * fault is ours: the handler that was there before (the default, or
 * AddressSanitizer's) is put back and the instruction runs again, so our
 * bugs still crash loudly.  LMDB's assertions (`mdb_assert`) are its own
 * check of a page and take the same decision, through its assert hook.
 * What raises no fault: a page whose free-space bounds lie below its
 * header (a negative key count) can keep LMDB's node search going round
 * for ever.  So while such a database is open a watchdog ticks each
 * second of the process's CPU time (ITIMER_VIRTUAL, SIGVTALRM): a tick
 * that finds the process in LMDB's code, as the tick before did, with no
 * call into LMDB begun between them (st_lmdb_calls), has found one call
 * running a second where a sound page takes microseconds, and is the
 * same damage.  The long LMDB calls sanctgraph makes (a commit, a
 * compacting copy) come only after every page was walked.
 *
 * LMDB is linked in statically when its archive is installed: its code is
 * then inside the executable, and is found by name (all of LMDB's
 * functions, static ones included, are named mdb_*; none of ours are) in
 * the executable's symbol table, read only when a fault comes.  As a
 * shared library its code is the library's executable segment holding
 * mdb_cursor_open, found when the handlers are installed.  The first
 * database a process opens costs five system calls (sigaltstack twice,
 * mmap, sigaction twice) and the page holding the table below; the
 * alternative stack is mapped but not touched until a fault uses it.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#include "store_int.h"

#define FAULT_ENVS 4

/* What the handler needs of an open database.  Small: a process that
 * touches a new page of memory pays for it (tens of microseconds here). */
static struct fault_env {
	const st_env *key;        /* NULL: a free slot */
	const MDB_env *mdb;
	uintptr_t lo, hi;         /* LMDB's map; lo == hi unknown */
	int walked;               /* every page checked out */
	const char *dir, *cmd;    /* the env's e_dir; the command's name (static) or NULL */
} fenv[FAULT_ENVS];
static int installed;

static struct sigaction old_segv, old_bus;
volatile unsigned long st_lmdb_calls;
static int tick_in_lmdb;          /* the last tick found the process in LMDB */
static unsigned long tick_calls;  /* st_lmdb_calls at the last tick */
#define ALTSTACK (64 * 1024)

/* Where LMDB's code is, worked out when the handlers are installed: in
 * the executable (the linker's __executable_start to etext), or a shared
 * library's executable segment, found with dl_iterate_phdr (which a
 * signal handler may not call).  No new page is touched for either. */
extern char __executable_start[], etext[];
static int lm_where;          /* 0 unknown, 1 the library's range, 2 in the executable */
static uintptr_t lm_lo, lm_hi;

static int phdr_range(struct dl_phdr_info *info, size_t size, void *arg)
{
	uintptr_t at = *(uintptr_t *)arg;
	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t a = (uintptr_t)info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) && at >= a && at - a < ph->p_memsz) {
			lm_lo = a;
			lm_hi = a + ph->p_memsz;
			return 1;
		}
	}
	return 0;
}

static void find_lmdb(void)
{
	uintptr_t at = (uintptr_t)mdb_cursor_open;   /* not mdb_cursor_get: store_int.h wraps it */
	if (at >= (uintptr_t)__executable_start && at < (uintptr_t)etext)
		lm_where = 2;
	else if (dl_iterate_phdr(phdr_range, &at))
		lm_where = 1;
}

/* What to subtract from an address of the executable for its symbols'
 * values: the ELF header is mapped at __executable_start, and the segment
 * holding it says where the link put it. */
static uintptr_t exe_bias(void)
{
	const ElfW(Ehdr) *eh = (const void *)__executable_start;
	const ElfW(Phdr) *ph = (const void *)(__executable_start + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			return (uintptr_t)__executable_start - ph[i].p_vaddr;
	return 0;
}

/* Whether the function of the executable holding the link-time address
 * `at` is LMDB's, from the symbol table of /proc/self/exe: open and pread
 * only (safe in a signal handler), buffers on the stack. */
static int exe_fn_is_lmdb(uintptr_t at)
{
	ElfW(Ehdr) eh;
	ElfW(Shdr) sh, str;
	ElfW(Sym) sym[64];
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), found = 0, have = 0;
	if (fd < 0)
		return 0;
	if (pread(fd, &eh, sizeof eh, 0) != (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_shentsize != sizeof sh)
		goto out;
	for (unsigned i = 0; i < eh.e_shnum && !have; i++)
		have = pread(fd, &sh, sizeof sh, (off_t)(eh.e_shoff + (uint64_t)i * sizeof sh)) == (ssize_t)sizeof sh &&
		    sh.sh_type == SHT_SYMTAB;
	if (!have || sh.sh_link >= eh.e_shnum ||
	    pread(fd, &str, sizeof str, (off_t)(eh.e_shoff + (uint64_t)sh.sh_link * sizeof str)) != (ssize_t)sizeof str)
		goto out;
	for (uint64_t off = 0; off < sh.sh_size && !found; off += sizeof sym) {
		ssize_t got = pread(fd, sym, sizeof sym, (off_t)(sh.sh_offset + off));
		if (got <= 0)
			break;
		for (size_t k = 0; k < (size_t)got / sizeof *sym && !found; k++) {
			char name[4];
			/* ELF32_ST_TYPE is the same */
			if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || at < sym[k].st_value ||
			    at - sym[k].st_value >= sym[k].st_size || sym[k].st_name >= str.sh_size)
				continue;
			found = pread(fd, name, 4, (off_t)(str.sh_offset + sym[k].st_name)) == 4 &&
			    memcmp(name, "mdb_", 4) == 0;
		}
	}
out:
	close(fd);
	return found;
}

int st_fault_in_lmdb(uintptr_t pc)
{
	if (lm_where == 1)
		return pc >= lm_lo && pc < lm_hi;
	return lm_where == 2 && pc >= exe_bias() && exe_fn_is_lmdb(pc - exe_bias());
}

/* The open database a fault is the damage of, or -1 (see the top). */
/* The first open database not wholly walked (one LMDB may be misled
 * by), or -1. */
static int unwalked(void)
{
	for (int i = 0; i < FAULT_ENVS; i++)
		if (fenv[i].key && !fenv[i].walked)
			return i;
	return -1;
}

int st_fault_damage(int sig, uintptr_t pc, uintptr_t addr)
{
	int i;
	for (i = 0; i < FAULT_ENVS; i++)
		if (fenv[i].key && sig == SIGBUS && addr >= fenv[i].lo && addr < fenv[i].hi)
			return i;
	if ((i = unwalked()) < 0)
		return -1;
	return pc && st_fault_in_lmdb(pc) ? i : -1;
}

static uintptr_t fault_pc(const void *uc)
{
	const ucontext_t *u = uc;
#if defined(__x86_64__)
	return (uintptr_t)u->uc_mcontext.gregs[REG_RIP];
#elif defined(__i386__)
	return (uintptr_t)u->uc_mcontext.gregs[REG_EIP];
#elif defined(__aarch64__)
	return (uintptr_t)u->uc_mcontext.pc;
#else
	(void)u;
	return 0;   /* unknown here: only the map's SIGBUS is told apart */
#endif
}

static void say(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* "sanctgraph: CMD: DIR is damaged (WHY); run ..." as other damaged-file
 * errors say it, with write(2) only. */
static void damaged(int i, const char *why)
{
	const char *part[] = { "sanctgraph: ", fenv[i].cmd ? fenv[i].cmd : "", fenv[i].cmd ? ": " : "",
		fenv[i].dir, " is damaged (", why, "); run `sanctgraph check`, restore it from a backup\n" };
	for (size_t k = 0; k < sizeof part / sizeof *part; k++)
		say(part[k], strlen(part[k]));
	_exit(1);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	int i;
	/* a fault the kernel raised (not one sent by kill) */
	if (si->si_code > 0 && (i = st_fault_damage(sig, fault_pc(uc), (uintptr_t)si->si_addr)) >= 0)
		damaged(i, sig == SIGBUS ? "a read past the end of the file, or a disk error: SIGBUS"
		    : "LMDB faulted reading a page: SIGSEGV");
	/* ours: the fault repeats under the handler there was before */
	sigaction(sig, sig == SIGBUS ? &old_bus : &old_segv, NULL);
	if (si->si_code <= 0)
		raise(sig);
}

int st_fault_stuck(uintptr_t pc)
{
	int i = unwalked(), in = 0, stuck = -1;
	if (i >= 0 && (in = st_fault_in_lmdb(pc)) && tick_in_lmdb && st_lmdb_calls == tick_calls)
		stuck = i;
	tick_in_lmdb = in;
	tick_calls = st_lmdb_calls;
	return stuck;
}

/* The watchdog's tick (see the top). */
static void on_tick(int sig, siginfo_t *si, void *uc)
{
	int i, saved = errno;
	(void)sig;
	(void)si;
	if ((i = st_fault_stuck(fault_pc(uc))) >= 0)
		damaged(i, "LMDB went round in a loop for a second on a page: stopped");
	errno = saved;
}

/* LMDB's own consistency check failed: LMDB aborts when this returns. */
static void on_assert(MDB_env *e, const char *msg)
{
	for (int i = 0; i < FAULT_ENVS; i++)
		if (fenv[i].key && fenv[i].mdb == e && !fenv[i].walked) {
			char why[300];
			snprintf(why, sizeof why, "LMDB: %s", msg);
			damaged(i, why);
		}
}

static void install(void)
{
	struct sigaction sa;
	stack_t cur;
	/* for a fault on a stack that has no room left; mapped, not
	 * touched, until a fault uses it (AddressSanitizer has its own) */
	if (sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
		void *m = mmap(NULL, ALTSTACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
		stack_t st = { .ss_sp = m, .ss_size = ALTSTACK, .ss_flags = 0 };
		if (m != MAP_FAILED)
			sigaltstack(&st, NULL);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGBUS, &sa, &old_bus);
}

/* The watchdog, started with the first database not wholly walked; it
 * stays (a tick with no such database open does nothing). */
static void watch(void)
{
	static int started;
	struct sigaction sa, old;
	struct itimerval it = { { 1, 0 }, { 1, 0 } };
	if (started)
		return;
	started = 1;
	if (sigaction(SIGVTALRM, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
		return;   /* someone else's: leave it */
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_tick;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGVTALRM, &sa, NULL) == 0)
		setitimer(ITIMER_VIRTUAL, &it, NULL);
}

static struct fault_env *slot(const st_env *env)
{
	for (int i = 0; i < FAULT_ENVS; i++)
		if (fenv[i].key == env)
			return &fenv[i];
	return NULL;
}

void st_fault_command(st_env *env, const char *cmd)
{
	struct fault_env *f = slot(env);
	if (f)
		f->cmd = cmd;
}

void st_fault_open(st_env *env, int walked)
{
	struct fault_env *f = slot(env);
	if (!f && !(f = slot(NULL)))
		return;   /* more databases open than slots: these go unguarded */
	if (!installed) {
		find_lmdb();
		install();
		installed = 1;
	}
	if (f->key != env)
		f->cmd = NULL;
	f->mdb = env->e_env;
	f->walked = walked;
	if (!walked)
		watch();
	f->dir = env->e_dir;
	mdb_env_set_assert(env->e_env, on_assert);
	f->key = env;
	st_fault_map(env);
}

void st_fault_map(st_env *env)
{
	struct fault_env *f = slot(env);
	MDB_envinfo info;
	if (!f)
		return;
	f->lo = f->hi = 0;
	if (env->e_map && mdb_env_info(env->e_env, &info) == 0) {
		f->lo = (uintptr_t)env->e_map;
		f->hi = f->lo + info.me_mapsize;
	}
}

void st_fault_walked(st_env *env)
{
	struct fault_env *f = slot(env);
	if (f)
		f->walked = 1;
}

void st_fault_close(st_env *env)
{
	struct fault_env *f = slot(env);
	if (!f)
		return;
	/* the handlers stay: with no database open every fault is ours, and
	 * goes to the handler that was there before */
	f->key = NULL;
}
