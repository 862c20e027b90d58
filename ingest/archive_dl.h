/*
 * archive_dl.h: the part of libarchive that reads compressed input (gzip,
 * zip, zstd), loaded on first use (store/dl.h): most imports read plain
 * files, and libarchive with its own dependencies costs milliseconds at
 * every start.  Include this instead of <archive.h>; when the library
 * cannot be loaded, archive_read_new() returns NULL and
 * in_archive_error() says why.
 */
#ifndef SG_ARCHIVE_DL_H
#define SG_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

typedef struct in_archive_api {
	struct archive *(*read_new)(void);
	int (*support_filter_all)(struct archive *);
	int (*support_format_zip)(struct archive *);
	int (*support_format_raw)(struct archive *);
	int (*open_memory)(struct archive *, const void *, size_t);
	int (*next_header)(struct archive *, struct archive_entry **);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	const char *(*error_string)(struct archive *);
	int (*read_free)(struct archive *);
	const char *(*entry_pathname)(struct archive_entry *);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *);
} in_archive_api;

const in_archive_api *in_archive(void);
const char *in_archive_error(void);

#ifndef IN_ARCHIVE_DL_IMPL
#define archive_read_new() (in_archive()->read_new())
#define archive_read_support_filter_all(a) (in_archive()->support_filter_all(a))
#define archive_read_support_format_zip(a) (in_archive()->support_format_zip(a))
#define archive_read_support_format_raw(a) (in_archive()->support_format_raw(a))
#define archive_read_open_memory(a, d, n) (in_archive()->open_memory((a), (d), (n)))
#define archive_read_next_header(a, e) (in_archive()->next_header((a), (e)))
#define archive_read_data(a, b, n) (in_archive()->read_data((a), (b), (n)))
#define archive_error_string(a) (in_archive()->error_string(a))
#define archive_read_free(a) (in_archive()->read_free(a))
#define archive_entry_pathname(e) (in_archive()->entry_pathname(e))
#define archive_entry_filetype(e) (in_archive()->entry_filetype(e))
#endif

#endif
