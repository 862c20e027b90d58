/*
 * input.c: the one place where import inputs are read.  Every format's
 * importer sees an ig_file: bytes in memory, whatever the input was.
 *
 *   - a regular file is memory-mapped;
 *   - "-" (standard input), a pipe or a terminal is read whole;
 *   - a gzip, zstd, bzip2 or xz stream (recognised by its magic bytes, not
 *     by the file name) is decompressed through libarchive's filters;
 *   - a zip archive gives one input per member file, named
 *     "ARCHIVE.zip:MEMBER" in messages (directories and macOS "__MACOSX/"
 *     entries are skipped).
 *
 * Inputs are held whole because the import transaction may be replayed on
 * a larger map and must then read them again.  A decompressed input larger
 * than SPILL_BYTES goes to an unlinked temporary file that is mapped, so a
 * day of AIS (about 900 MB) does not have to fit in the heap.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive_dl.h"   /* libarchive, loaded on first use */
#include "ingest.h"

/* Decompressed output beyond this many bytes is spilled to a temp file. */
#define SPILL_BYTES ((size_t)256 << 20)

/* What the first bytes of an input say it is. */
typedef enum wrap { W_PLAIN, W_STREAM, W_ZIP } wrap;

static wrap wrap_of(const unsigned char *p, size_t len)
{
	if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return W_STREAM;                        /* gzip */
	if (len >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
		return W_STREAM;                        /* zstd */
	if (len >= 3 && memcmp(p, "BZh", 3) == 0)
		return W_STREAM;                        /* bzip2 */
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return W_STREAM;                        /* xz */
	if (len >= 4 && p[0] == 'P' && p[1] == 'K' && ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return W_ZIP;
	return W_PLAIN;
}

/* Reads all of fd into a malloc'd buffer. */
static int read_all(int fd, char **data, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		ssize_t got;
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 1 << 16;
			char *nb = realloc(buf, nc);
			if (!nb) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = nb;
			cap = nc;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return -1;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	*data = buf;
	*len = n;
	return 0;
}

/* ---------------------------------------------------------------- output sink */

/* Where one decompressed member goes: the heap, then a temp file. */
typedef struct sink {
	char *s_buf;
	size_t s_len, s_cap;
	int s_fd;             /* -1 until spilled */
	size_t s_flen;        /* bytes written to the file */
} sink;

static int sink_spill(sink *s)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/sanctgraph-input.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((s->s_fd = mkstemp(path)) < 0)
		return -1;
	unlink(path);
	return 0;
}

static int sink_write(sink *s, const void *p, size_t n)
{
	if (s->s_fd < 0 && s->s_len + n > SPILL_BYTES) {
		if (sink_spill(s) < 0)
			return -1;
		if (s->s_len && gr_write_all(s->s_fd, s->s_buf, s->s_len) < 0)
			return -1;
		s->s_flen = s->s_len;
		free(s->s_buf);
		s->s_buf = NULL;
		s->s_len = s->s_cap = 0;
	}
	if (s->s_fd >= 0) {
		if (gr_write_all(s->s_fd, p, n) < 0)
			return -1;
		s->s_flen += n;
		return 0;
	}
	if (s->s_len + n > s->s_cap) {
		size_t cap = s->s_cap ? s->s_cap * 2 : 1 << 16;
		char *nb;
		while (cap < s->s_len + n)
			cap *= 2;
		if (!(nb = realloc(s->s_buf, cap)))
			return -1;
		s->s_buf = nb;
		s->s_cap = cap;
	}
	memcpy(s->s_buf + s->s_len, p, n);
	s->s_len += n;
	return 0;
}

/* Hands the sink's bytes to f (mapped when spilled). */
static int sink_finish(sink *s, ig_file *f)
{
	if (s->s_fd >= 0) {
		size_t flen = s->s_flen;
		void *m = flen ? mmap(NULL, flen, PROT_READ, MAP_PRIVATE, s->s_fd, 0) : NULL;
		close(s->s_fd);
		s->s_fd = -1;
		s->s_flen = 0;
		if (m == MAP_FAILED)
			return -1;
		f->f_data = m;
		f->f_len = flen;
		f->f_mapped = m != NULL;
		return 0;
	}
	f->f_data = s->s_buf;
	f->f_len = s->s_len;
	f->f_mapped = 0;
	s->s_buf = NULL;
	s->s_len = s->s_cap = 0;   /* the next member starts afresh */
	return 0;
}

static void sink_drop(sink *s)
{
	free(s->s_buf);
	if (s->s_fd >= 0)
		close(s->s_fd);
	s->s_buf = NULL;
	s->s_fd = -1;
}

/* ---------------------------------------------------------------- decompression */

static int add_file(ig_file **files, size_t *n, const ig_file *f)
{
	ig_file *nf = realloc(*files, (*n + 1) * sizeof *nf);
	if (!nf)
		return -1;
	*files = nf;
	nf[(*n)++] = *f;
	return 0;
}

/* Whether a zip member is worth importing: a regular file outside the
 * resource-fork folders macOS adds. */
static int member_wanted(struct archive_entry *e)
{
	const char *p = archive_entry_pathname(e);
	if (archive_entry_filetype(e) != AE_IFREG)
		return 0;
	return !p || (strncmp(p, "__MACOSX/", 9) != 0 && !strstr(p, "/__MACOSX/"));
}

/*
 * Decompresses data[0..len) (a stream or a zip) into one ig_file per member,
 * appended to *files; `tmpl` gives the format, role and prefix.  `name` is
 * the input's name; zip members are named "NAME:MEMBER".
 */
static int unpack(const char *name, const char *data, size_t len, wrap w, const ig_file *tmpl,
    ig_file **files, size_t *n, gr_error *err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	char buf[1 << 16];
	int rc = GR_OK, r, members = 0;
	sink s = { NULL, 0, 0, -1, 0 };

	if (!a)
		return in_archive_error() ? gr_fail(err, GR_EIO, "%s: cannot read compressed input: %s", name, in_archive_error()) :
		    gr_fail(err, GR_ENOMEM, "out of memory");
	archive_read_support_filter_all(a);
	if (w == W_ZIP)
		archive_read_support_format_zip(a);
	else
		archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		rc = gr_fail(err, GR_EINVALID, "%s: cannot decompress: %s", name, archive_error_string(a));
		goto done;
	}
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		ig_file f = *tmpl;
		ssize_t got;
		if (w == W_ZIP && !member_wanted(e))
			continue;
		while ((got = archive_read_data(a, buf, sizeof buf)) > 0)
			if (sink_write(&s, buf, (size_t)got) < 0) {
				rc = gr_fail(err, GR_EIO, "%s: cannot hold the decompressed data: %s", name, strerror(errno));
				goto done;
			}
		if (got < 0) {
			rc = gr_fail(err, GR_EINVALID, "%s: cannot decompress: %s", name, archive_error_string(a));
			goto done;
		}
		if (w == W_ZIP) {
			size_t l = strlen(name) + strlen(archive_entry_pathname(e)) + 2;
			char *nm = malloc(l);
			if (!nm) {
				rc = gr_fail(err, GR_ENOMEM, "out of memory");
				goto done;
			}
			snprintf(nm, l, "%s:%s", name, archive_entry_pathname(e));
			f.f_owned_name = nm;
			f.f_name = nm;
		}
		if (sink_finish(&s, &f) < 0 || add_file(files, n, &f) < 0) {
			ig_file_unload(&f);
			rc = gr_fail(err, GR_ENOMEM, "%s: out of memory", name);
			goto done;
		}
		members++;
	}
	if (r != ARCHIVE_EOF)
		rc = gr_fail(err, GR_EINVALID, "%s: cannot decompress: %s", name, archive_error_string(a));
	else if (!members)
		rc = gr_fail(err, GR_EINVALID, "%s: the archive holds no file", name);
done:
	sink_drop(&s);
	archive_read_free(a);
	return rc;
}

/* ---------------------------------------------------------------- inputs */

int ig_input_load(const ig_input *in, ig_file **files, size_t *n, gr_error *err)
{
	struct stat sb;
	char *data = NULL;
	size_t len = 0;
	int fd, is_stdin = strcmp(in->in_path, "-") == 0, mapped = 0, rc;
	ig_file f;
	wrap w;

	memset(&f, 0, sizeof f);
	f.f_name = is_stdin ? "<stdin>" : in->in_path;
	f.f_format = in->in_format;
	f.f_role = in->in_role;
	f.f_prefix = in->in_prefix;
	fd = is_stdin ? 0 : open(in->in_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return gr_fail(err, GR_EIO, "%s: cannot open: %s", f.f_name, strerror(errno));
	if (fstat(fd, &sb) < 0)
		goto fail;
	if (S_ISDIR(sb.st_mode)) {
		errno = EISDIR;
		goto fail;
	}
	if (S_ISREG(sb.st_mode) && !is_stdin) {
		len = (size_t)sb.st_size;
		if (len) {
			data = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
			if (data == MAP_FAILED)
				goto fail;
			madvise(data, len, MADV_SEQUENTIAL);
			mapped = 1;
		}
	} else if (read_all(fd, &data, &len) < 0) {
		goto fail;
	}
	if (!is_stdin)
		close(fd);
	/* an empty input still has an address: readers compute data + len */
	if (!data && !(data = malloc(1)))
		return gr_fail(err, GR_ENOMEM, "out of memory");
	w = wrap_of((const unsigned char *)data, len);
	if (w == W_PLAIN) {
		f.f_data = data;
		f.f_len = len;
		f.f_mapped = mapped;
		if (add_file(files, n, &f) < 0) {
			ig_file_unload(&f);
			return gr_fail(err, GR_ENOMEM, "out of memory");
		}
		return GR_OK;
	}
	rc = unpack(f.f_name, data, len, w, &f, files, n, err);
	if (mapped)
		munmap(data, len);
	else
		free(data);
	return rc;
fail:
	gr_fail(err, GR_EIO, "%s: cannot read: %s", f.f_name, strerror(errno));
	if (!is_stdin)
		close(fd);
	return GR_EIO;
}

void ig_file_unload(ig_file *f)
{
	if (f->f_mapped)
		munmap((void *)f->f_data, f->f_len);
	else
		free((void *)f->f_data);
	free(f->f_owned_name);
	f->f_owned_name = NULL;
	f->f_data = NULL;
}
