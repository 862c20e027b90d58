/*
 * edit_dl.h: libedit's readline interface for `shell`, loaded on first use
 * (store/dl.h) so that no other command pays for it.  Include this
 * instead of <editline/readline.h> and call cli_edit_load() first; when it
 * fails the shell reads lines without editing.
 */
#ifndef SG_EDIT_DL_H
#define SG_EDIT_DL_H

#include <stdio.h>
#include <editline/readline.h>

typedef struct cli_edit_api {
	char *(*readline)(const char *);
	void (*using_history)(void);
	int (*add_history)(const char *);
	void (*stifle_history)(int);
	int (*read_history)(const char *);
	int (*write_history)(const char *);
	const char **readline_name;
	int *catch_signals;
} cli_edit_api;

extern cli_edit_api cli_edit;

/* Loads libedit once: 0, or -1 with why filled. */
int cli_edit_load(char *why, size_t n);

#ifndef CLI_EDIT_DL_IMPL
#define readline(p) (cli_edit.readline(p))
#define using_history() (cli_edit.using_history())
#define add_history(s) (cli_edit.add_history(s))
#define stifle_history(n) (cli_edit.stifle_history(n))
#define read_history(f) (cli_edit.read_history(f))
#define write_history(f) (cli_edit.write_history(f))
#define rl_readline_name (*cli_edit.readline_name)
#define rl_catch_signals (*cli_edit.catch_signals)
#endif

#endif
