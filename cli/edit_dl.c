/*
 * edit_dl.c: libedit loaded on first use (edit_dl.h).
 */
#include <stdio.h>

#define CLI_EDIT_DL_IMPL
#include "../store/dl.h"
#include "edit_dl.h"

cli_edit_api cli_edit;

int cli_edit_load(char *why, size_t n)
{
	static int state;          /* 0 not tried, 1 loaded, -1 failed */
	static char failed[256];
	if (state == 0) {
		static const char *const names[] = { "libedit.so.2", NULL };
		cli_edit_api a;
		const sg_dlsym syms[] = {
			{ "readline", (void **)&a.readline },
			{ "using_history", (void **)&a.using_history },
			{ "add_history", (void **)&a.add_history },
			{ "stifle_history", (void **)&a.stifle_history },
			{ "read_history", (void **)&a.read_history },
			{ "write_history", (void **)&a.write_history },
			{ "rl_readline_name", (void **)&a.readline_name },
			{ "rl_catch_signals", (void **)&a.catch_signals },
		};
		if (sg_dl_open(names, syms, sizeof syms / sizeof syms[0], failed, sizeof failed) == 0) {
			cli_edit = a;
			state = 1;
		} else {
			state = -1;
		}
	}
	if (state < 0) {
		snprintf(why, n, "line editing is not available: %s", failed);
		return -1;
	}
	return 0;
}
