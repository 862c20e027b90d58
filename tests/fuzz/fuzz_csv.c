/*
 * fuzz_csv.c: libFuzzer target for the CSV reader (ingest/csvread.c): the
 * records of the input (strict, then lenient as for OFAC's files), the
 * first record as a neo4j-admin header, and every later field converted
 * to its column's type.  Any crash, leak or sanitizer report is a bug.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/reader.h"

static void read_all(const char *text, size_t len, char delim, int strict)
{
	char why[256];
	sg_csv *c = sg_csv_open_mem(text, len, "fuzz", delim, why, sizeof why);
	sg_csv_record rec;
	sg_csv_col *cols = NULL;
	size_t ncols = 0;
	int rc, first = 1;
	if (!c)
		return;
	sg_csv_set_strict(c, strict);
	while ((rc = sg_csv_next(c, &rec)) == 1) {
		if (first) {
			first = 0;
			if (sg_csv_header_parse(&rec, &cols, &ncols, why, sizeof why) < 0)
				cols = NULL, ncols = 0;
			continue;
		}
		for (size_t i = 0; i < rec.r_nfields; i++) {
			gr_value v;
			if (i < ncols && sg_csv_field_value(&cols[i], &rec.r_fields[i], &v, why, sizeof why) == 0)
				gr_value_free(&v);
			if (sg_csv_labels(&rec.r_fields[i], ';', &v) == 0)
				gr_value_free(&v);
		}
	}
	if (rc < 0 && !sg_csv_error(c)[0])
		abort();   /* a failure must say why */
	sg_csv_cols_free(cols, ncols);
	sg_csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the reader may not read past the bytes it is given: a copy without
	 * a terminating NUL lets ASan see it */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	read_all(text, size, ',', 1);
	read_all(text, size, ',', 0);
	read_all(text, size, '\t', 1);
	free(text);
	return 0;
}
