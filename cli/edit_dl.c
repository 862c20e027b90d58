/*
 * edit_dl.c: libedit loaded on first use (edit_dl.h).
 */
#include <stdio.h>

#define CLI_EDIT_DL_IMPL
#include "../graph/dl.h"
#include "edit_dl.h"

cli_edit_api cli_edit;

int cli_edit_load(char *why, size_t n)
{
	static sg_dllib lib;
	if (lib.state == 0) {
		static const char *const names[] = { "libedit.so.2", NULL };
		const sg_dlsym syms[] = {
			{ "readline", (void **)&cli_edit.readline },
			{ "using_history", (void **)&cli_edit.using_history },
			{ "add_history", (void **)&cli_edit.add_history },
			{ "stifle_history", (void **)&cli_edit.stifle_history },
			{ "read_history", (void **)&cli_edit.read_history },
			{ "write_history", (void **)&cli_edit.write_history },
			{ "rl_readline_name", (void **)&cli_edit.readline_name },
			{ "rl_catch_signals", (void **)&cli_edit.catch_signals },
		};
		sg_dl_once(&lib, names, syms, sizeof syms / sizeof syms[0]);
	}
	if (lib.state < 0) {
		snprintf(why, n, "line editing is not available: %s", lib.why);
		return -1;
	}
	return 0;
}
