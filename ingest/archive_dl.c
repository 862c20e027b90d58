/*
 * archive_dl.c: libarchive loaded on first use (archive_dl.h).
 */
#include <stddef.h>

#define IN_ARCHIVE_DL_IMPL
#include "../graph/dl.h"
#include "archive_dl.h"

static struct archive *no_read_new(void) { return NULL; }

static in_archive_api api = { .read_new = no_read_new };
static sg_dllib lib;

const in_archive_api *in_archive(void)
{
	if (lib.state == 0) {
		static const char *const names[] = { "libarchive.so.13", NULL };
		const sg_dlsym syms[] = {
			{ "archive_read_new", (void **)&api.read_new },
			{ "archive_read_support_filter_all", (void **)&api.support_filter_all },
			{ "archive_read_support_format_zip", (void **)&api.support_format_zip },
			{ "archive_read_support_format_raw", (void **)&api.support_format_raw },
			{ "archive_read_open_memory", (void **)&api.open_memory },
			{ "archive_read_next_header", (void **)&api.next_header },
			{ "archive_read_data", (void **)&api.read_data },
			{ "archive_error_string", (void **)&api.error_string },
			{ "archive_read_free", (void **)&api.read_free },
			{ "archive_entry_pathname", (void **)&api.entry_pathname },
			{ "archive_entry_filetype", (void **)&api.entry_filetype },
		};
		sg_dl_once(&lib, names, syms, sizeof syms / sizeof syms[0]);   /* else the stubs stay */
	}
	return &api;
}

const char *in_archive_error(void)
{
	return lib.state < 0 ? lib.why : NULL;
}
