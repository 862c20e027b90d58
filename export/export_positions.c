/*
 * export_positions.c: AIS positions in the native JSONL export, one line
 * each after the nodes and relationships, in MMSI then time order:
 *
 *   {"position":{"mmsi":"273000001","time":"2024-04-14T03:00:00Z",
 *    "lat":42.26,"lon":130.32,"sog":0.2,"cog":10,"heading":null,
 *    "source":"ais-0cbc7ae5e890418e"}}
 *
 * `source` is the key of the Source node that brought the position;
 * `import` reads these lines back (ingest/import_ais.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "../graph/positions.h"

static void put_num(FILE *out, const char *name, double v)
{
	if (isnan(v))
		fprintf(out, ",\"%s\":null", name);
	else
		fprintf(out, ",\"%s\":%.10g", name, v);
}

int ex_jsonl_positions(gr_txn *txn, FILE *out, gr_error *err)
{
	uint32_t *mm = NULL, last_src = 0;
	size_t nm = 0;
	gr_buf key = { 0 };
	int rc;

	if ((rc = gr_pos_mmsis(txn, &mm, &nm, err)) != GR_OK)
		return rc;
	for (size_t i = 0; i < nm && rc == GR_OK; i++) {
		gr_pos *p;
		size_t n;
		if ((rc = gr_pos_read(txn, mm[i], 0, 0xffffffffLL, &p, &n, err)) != GR_OK)
			break;
		for (size_t k = 0; k < n; k++) {
			char t[64];
			gr_datetime dt = { p[k].ps_time, 0, 0, 0 };
			if (p[k].ps_source != last_src || !key.b_len) {
				const char *kk;
				size_t kl;
				key.b_len = 0;
				if (gr_node_key_get(txn, p[k].ps_source, &kk, &kl) != GR_OK)
					kk = "", kl = 0;
				if (gr_json_string(&key, kk, kl)) {
					rc = gr_fail(err, GR_ENOMEM, "out of memory");
					break;
				}
				last_src = p[k].ps_source;
			}
			gr_format_datetime(&dt, t);
			fprintf(out, "{\"position\":{\"mmsi\":\"%09u\",\"time\":\"%s\"", mm[i], t);
			put_num(out, "lat", p[k].ps_lat);
			put_num(out, "lon", p[k].ps_lon);
			put_num(out, "sog", p[k].ps_sog);
			put_num(out, "cog", p[k].ps_cog);
			put_num(out, "heading", p[k].ps_heading == 511 ? NAN : p[k].ps_heading);
			fprintf(out, ",\"source\":%.*s}}\n", (int)key.b_len, (const char *)key.b_data);
		}
		free(p);
	}
	free(mm);
	gr_buf_free(&key);
	if (rc == GR_OK && (ferror(out) || fflush(out) != 0))
		rc = gr_fail(err, GR_EIO, "cannot write: %s", strerror(errno));
	return rc;
}
