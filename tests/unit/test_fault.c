/*
 * test_fault.c: store/fault.c's decision whether a SIGSEGV or SIGBUS is a
 * damaged database's (a message, exit 1) or a bug of ours (a crash, as
 * before): where LMDB's code is, the map's range, whether the open
 * database's pages have all been walked; then real faults in a child
 * process, inside LMDB and in our own code.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "fixture.h"

#include "store/store_int.h"

static char dir[64];

/* A store whose map is known: a value read back through it (not by
 * pread, as a new process's first point reads are: store/pgread.c). */
static st_env *mapped_env(void)
{
	st_env *env = unit_env_open("fault", dir, sizeof dir);
	st_txn *t;
	if (!env || st_pr_set_budget(env, 0) != ST_OK)
		return NULL;
	if (st_txn_begin(env, 1, &t) == ST_OK) {
		st_edge_put(t, 1, "x", 1);
		st_txn_commit(t);
	}
	if (st_txn_begin(env, 0, &t) == ST_OK) {
		st_edge_get(t, 1, &(const void *){ NULL }, &(size_t){ 0 });
		st_txn_abort(t);
	}
	return env;
}

static void test_lmdb_code(void)
{
	st_env *env = mapped_env();   /* the first open finds LMDB's code */
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	unit_env_close(dir, env);
	/* LMDB's public and static functions, not ours, not data */
	CU_ASSERT_TRUE(st_fault_in_lmdb((uintptr_t)mdb_cursor_open + 1));
	CU_ASSERT_TRUE(st_fault_in_lmdb((uintptr_t)mdb_env_open));
	CU_ASSERT_FALSE(st_fault_in_lmdb((uintptr_t)st_fault_damage + 1));
	CU_ASSERT_FALSE(st_fault_in_lmdb((uintptr_t)test_lmdb_code));
	CU_ASSERT_FALSE(st_fault_in_lmdb((uintptr_t)dir));
	CU_ASSERT_FALSE(st_fault_in_lmdb(0));
}

static void test_decision(void)
{
	st_env *env = mapped_env();
	uintptr_t lmdb = (uintptr_t)mdb_cursor_open + 1, ours = (uintptr_t)test_decision + 1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	CU_ASSERT_PTR_NOT_NULL_FATAL(env->e_map);
	uintptr_t in = (uintptr_t)env->e_map + 100, out = (uintptr_t)dir;
	/* a small file is walked wholly at open: a fault in LMDB is ours */
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, lmdb, 16), -1);
	/* a SIGBUS in the map is the file's, wherever it was raised */
	CU_ASSERT(st_fault_damage(SIGBUS, ours, in) >= 0);
	CU_ASSERT_EQUAL(st_fault_damage(SIGBUS, ours, out), -1);
	/* a SIGSEGV in the map is a write to it: ours */
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, ours, in), -1);
	/* not walked (a file over 1 MiB): LMDB's faults are the file's */
	st_fault_open(env, 0);
	CU_ASSERT(st_fault_damage(SIGSEGV, lmdb, 16) >= 0);
	CU_ASSERT(st_fault_damage(SIGBUS, lmdb, out) >= 0);
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, ours, 16), -1);
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, 0, 16), -1);   /* no PC known */
	/* walked before a write: ours again */
	st_fault_walked(env);
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, lmdb, 16), -1);
	st_fault_open(env, 0);
	unit_env_close(dir, env);
	/* closed: nothing is the database's */
	CU_ASSERT_EQUAL(st_fault_damage(SIGSEGV, lmdb, 16), -1);
	CU_ASSERT_EQUAL(st_fault_damage(SIGBUS, ours, in), -1);
}

/* Runs fn in a child with an open store not walked; its stderr into
 * err[0..n), its wait status returned. */
static int in_child(void (*fn)(void), char *err, size_t n)
{
	int fd[2], status = -1;
	size_t got = 0;
	ssize_t r;
	pid_t pid;
	err[0] = 0;
	fflush(NULL);
	if (pipe(fd) != 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		st_env *env;
		close(fd[0]);
		dup2(fd[1], 2);
		if (!(env = mapped_env()))
			_exit(7);
		st_fault_open(env, 0);
		st_fault_command(env, "unit");
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (got + 1 < n && (r = read(fd[0], err + got, n - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = 0;
	close(fd[0]);
	waitpid(pid, &status, 0);
	snprintf(dir, sizeof dir, "/tmp/sg-unit-fault.%d", (int)pid);
	st_remove_db_dir(dir);
	return status;
}

static void lmdb_faults(void)
{
	MDB_val k, v;
	/* a cursor that is no cursor: LMDB reads through it */
	mdb_cursor_get((MDB_cursor *)(uintptr_t)64, &k, &v, MDB_FIRST);
}

/* read at run time: the compiler cannot see where it points */
static int *volatile nowhere = (int *)(uintptr_t)64;

static void we_fault(void)
{
	*nowhere = 1;
}

static void test_real_faults(void)
{
	char err[4096], want[128];
	int status = in_child(lmdb_faults, err, sizeof err);
	/* exit 1 (under valgrind, its error exit) with the message */
	CU_ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "sanctgraph: unit: /tmp/sg-unit-fault."));
	snprintf(want, sizeof want, "is damaged (LMDB faulted reading a page: SIGSEGV); run `sanctgraph check`");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	/* our own fault still crashes (or AddressSanitizer reports it) */
	status = in_child(we_fault, err, sizeof err);
	CU_ASSERT_TRUE((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) ||
	    (WIFEXITED(status) && WEXITSTATUS(status) != 0 && strstr(err, "Sanitizer")));
	CU_ASSERT_PTR_NULL(strstr(err, "is damaged"));
}

/* The watchdog: two ticks in LMDB's code with no call into LMDB begun
 * between them is a loop inside one call, on a database not wholly walked;
 * a call begun between them, a tick in our code, or a walked database is
 * not. */
static void test_stuck(void)
{
	st_env *env = mapped_env();
	uintptr_t lmdb = (uintptr_t)mdb_cursor_open + 1, ours = (uintptr_t)test_stuck + 1;
	CU_ASSERT_PTR_NOT_NULL_FATAL(env);
	st_fault_open(env, 0);   /* as a file over 1 MiB: not walked */
	st_fault_stuck(ours);
	CU_ASSERT_EQUAL(st_fault_stuck(lmdb), -1);      /* the first tick in LMDB */
	CU_ASSERT(st_fault_stuck(lmdb) >= 0);           /* the second, no call between: stuck */
	st_fault_stuck(ours);
	CU_ASSERT_EQUAL(st_fault_stuck(lmdb), -1);
	st_lmdb_calls++;                                /* a scan: its calls return */
	CU_ASSERT_EQUAL(st_fault_stuck(lmdb), -1);
	CU_ASSERT(st_fault_stuck(lmdb) >= 0);
	CU_ASSERT_EQUAL(st_fault_stuck(ours), -1);
	st_fault_walked(env);
	st_fault_stuck(lmdb);
	CU_ASSERT_EQUAL(st_fault_stuck(lmdb), -1);      /* walked: LMDB cannot be misled */
	unit_env_close(dir, env);
}

int test_fault_register(void)
{
	static const unit_test tests[] = {
		{ "lmdb_code", test_lmdb_code },
		{ "decision", test_decision },
		{ "real_faults", test_real_faults },
		{ "stuck", test_stuck },
	};
	return unit_suite("damage faults", NULL, NULL, tests, sizeof tests / sizeof *tests);
}
