/*
 * archive_dl.c: libarchive loaded on first use (archive_dl.h).
 */
#include <stddef.h>

#define IN_ARCHIVE_DL_IMPL
#include "../store/dl.h"
#include "archive_dl.h"

static struct archive *no_read_new(void) { return NULL; }

static in_archive_api api = { .read_new = no_read_new };
static int state;          /* 0 not tried, 1 loaded, -1 failed */
static char why[256];

const in_archive_api *in_archive(void)
{
	if (state == 0) {
		static const char *const names[] = { "libarchive.so.13", NULL };
		in_archive_api a;
		const sg_dlsym syms[] = {
			{ "archive_read_new", (void **)&a.read_new },
			{ "archive_read_support_filter_all", (void **)&a.support_filter_all },
			{ "archive_read_support_format_zip", (void **)&a.support_format_zip },
			{ "archive_read_support_format_raw", (void **)&a.support_format_raw },
			{ "archive_read_open_memory", (void **)&a.open_memory },
			{ "archive_read_next_header", (void **)&a.next_header },
			{ "archive_read_data", (void **)&a.read_data },
			{ "archive_error_string", (void **)&a.error_string },
			{ "archive_read_free", (void **)&a.read_free },
			{ "archive_entry_pathname", (void **)&a.entry_pathname },
			{ "archive_entry_filetype", (void **)&a.entry_filetype },
		};
		if (sg_dl_open(names, syms, sizeof syms / sizeof syms[0], why, sizeof why) == 0) {
			api = a;
			state = 1;
		} else {
			state = -1;
		}
	}
	return &api;
}

const char *in_archive_error(void)
{
	return state < 0 ? why : NULL;
}
