/*
 * fuzz_json.c: libFuzzer target for the JSON reader (ingest/json.c) and
 * the JSONL value convention (typed wrappers, dates): any crash, leak or
 * sanitizer report is a bug; an error must say where.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/reader.h"
#include "ingest/ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	gr_value v, prop;
	sg_json_error err;
	char why[256];
	memset(&err, 0, sizeof err);
	if (sg_json_parse((const char *)data, size, &v, &err) != SG_JSON_OK) {
		if (err.je_offset > size || !err.je_msg[0])
			abort();   /* an error must point into the text and say why */
		return 0;
	}
	/* the object's members as JSONL props would be read */
	if (v.type == GR_MAP)
		for (size_t i = 0; i < v.u.map.n; i++)
			if (ig_value_from_json(&v.u.map.vals[i], &prop, why, sizeof why) == 0)
				gr_value_free(&prop);
	if (ig_value_from_json(&v, &prop, why, sizeof why) == 0)
		gr_value_free(&prop);
	gr_value_free(&v);
	return 0;
}
