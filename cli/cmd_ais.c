/*
 * cmd_ais.c: `detect` (events from AIS positions, graph/ais_detect.h) and
 * `track` (a vessel's positions as CSV or GeoJSON for maps).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../graph/ais_detect.h"

static const char detect_help[] =
"usage: sanctgraph [--db DIR] detect [--gaps] [--port-calls] [--encounters]\n"
"                  [--min-gap-hours H] [--port-radius-km K] [--port-exit-km K]\n"
"                  [--from DATE] [--to DATE]\n"
"\n"
"Derives events from the imported AIS positions (all kinds when none is\n"
"named), with Global Fishing Watch's definitions as defaults:\n"
"  --gaps        AIS_GAP (vessel to itself): consecutive positions of one MMSI\n"
"                at least --min-gap-hours (12) apart.  GFW's \"intentional\n"
"                disabling\" subset also needs >= 50 nm from shore and good\n"
"                reception; without coverage data every gap is reported\n"
"  --port-calls  CALLED_AT: within --port-radius-km (3) of the nearest Port\n"
"                with lat/lon at SOG < 1 knot, until beyond --port-exit-km (4)\n"
"                or no position for 4 h\n"
"  --encounters  ENCOUNTERED (lower MMSI first): within 500 m for >= 2 h, the\n"
"                median SOG of each < 2 knots, >= 10 km from every Port;\n"
"                meetings < 4 h apart are one; tracks compared every 10 min,\n"
"                interpolated across at most 1 h\n"
"  --from, --to  only positions in this window (dates or datetimes, UTC)\n"
"Also: --port-max-knots, --port-stop-hours, --enc-distance-m, --enc-hours,\n"
"--enc-max-knots, --enc-port-km, --enc-merge-hours, --interp-hours,\n"
"--resample-minutes.\n"
"\n"
"Each edge cites the ais Sources of its positions (probable) and records its\n"
"rule and thresholds in `method`.  An edge of the same type between the same\n"
"vessels (or port) whose span overlaps is the same claim: it is widened and\n"
"updated, so running detect again changes nothing.\n";

static const char track_help[] =
"usage: sanctgraph [--db DIR] track REF|MMSI [--from DATE] [--to DATE]\n"
"                  [--format csv|geojson] [--min-gap-hours H]\n"
"\n"
"A vessel's AIS positions in time order (every MMSI it has carried).  csv:\n"
"mmsi,time,lat,lon,sog,cog,heading.  geojson: a FeatureCollection with one\n"
"LineString per continuous stretch (broken where positions are\n"
"--min-gap-hours (12) apart; [longitude, latitude] order) and the derived\n"
"events (AIS_GAP, CALLED_AT, ENCOUNTERED) as Points with their properties,\n"
"for QGIS, kepler.gl or geojson.io.\n";

/* A DATE or DATETIME; a date's end of day when `end`.  0 or -1. */
static int parse_when(const char *s, int end, int64_t *out)
{
	int32_t days;
	gr_datetime dt;
	if (gr_parse_date(s, strlen(s), &days) == 0) {
		*out = (int64_t)days * 86400 + (end ? 86399 : 0);
		return 0;
	}
	if (gr_parse_datetime(s, strlen(s), &dt) == 0) {
		*out = dt.dt_secs - (dt.dt_offset == GR_TZ_NONE ? 0 : (int64_t)dt.dt_offset * 60);
		return 0;
	}
	return -1;
}

static int parse_number(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return *s && !*end && isfinite(*out) && *out >= 0 ? 0 : -1;
}

typedef struct detect_arg {
	gr_detect_opts o;
	gr_detect_stats st;
} detect_arg;

static int detect_txn(gr_txn *t, void *arg, gr_error *err)
{
	detect_arg *a = arg;
	return gr_detect(t, &a->o, &a->st, err);
}

/* Options taking a number: name and where it goes. */
static double *num_opt(gr_detect_opts *o, const char *name)
{
	static const struct { const char *n; size_t off; } opts[] = {
		{ "--min-gap-hours", offsetof(gr_detect_opts, min_gap_hours) },
		{ "--port-radius-km", offsetof(gr_detect_opts, port_radius_km) },
		{ "--port-exit-km", offsetof(gr_detect_opts, port_exit_km) },
		{ "--port-max-knots", offsetof(gr_detect_opts, port_max_knots) },
		{ "--port-stop-hours", offsetof(gr_detect_opts, port_stop_hours) },
		{ "--enc-distance-m", offsetof(gr_detect_opts, enc_distance_m) },
		{ "--enc-hours", offsetof(gr_detect_opts, enc_min_hours) },
		{ "--enc-max-knots", offsetof(gr_detect_opts, enc_max_knots) },
		{ "--enc-port-km", offsetof(gr_detect_opts, enc_port_km) },
		{ "--enc-merge-hours", offsetof(gr_detect_opts, enc_merge_hours) },
		{ "--interp-hours", offsetof(gr_detect_opts, interp_hours) },
		{ "--resample-minutes", offsetof(gr_detect_opts, resample_minutes) },
	};
	for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (strcmp(name, opts[i].n) == 0)
			return (double *)((char *)o + opts[i].off);
	return NULL;
}

int cmd_detect(cli *c, int argc, char **argv)
{
	detect_arg a;
	gr_error err = { 0 };
	int rc;
	if (cli_help(argc, argv, detect_help))
		return EXIT_OK;
	gr_detect_defaults(&a.o);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		double *num = num_opt(&a.o, o);
		if (strcmp(o, "--gaps") == 0)
			a.o.d_gaps = 1;
		else if (strcmp(o, "--port-calls") == 0)
			a.o.d_port_calls = 1;
		else if (strcmp(o, "--encounters") == 0)
			a.o.d_encounters = 1;
		else if (num || strcmp(o, "--from") == 0 || strcmp(o, "--to") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s needs a value", o);
			if (num && (parse_number(argv[i + 1], num) || (*num == 0 && strcmp(o, "--port-stop-hours") != 0)))
				return cli_usage(c, "%s: '%s' is not a positive number", o, argv[i + 1]);
			if (!num && parse_when(argv[i + 1], strcmp(o, "--to") == 0, strcmp(o, "--to") == 0 ? &a.o.to : &a.o.from))
				return cli_usage(c, "%s: '%s' is not a date or datetime (YYYY-MM-DD[Thh:mm:ss])", o, argv[i + 1]);
			i++;
		} else
			return cli_usage(c, "unknown argument '%s'", o);
	}
	if (!a.o.d_gaps && !a.o.d_port_calls && !a.o.d_encounters)
		a.o.d_gaps = a.o.d_port_calls = a.o.d_encounters = 1;
	if (a.o.port_exit_km < a.o.port_radius_km)
		return cli_usage(c, "--port-exit-km (%g) is less than --port-radius-km (%g)", a.o.port_exit_km, a.o.port_radius_km);
	if (a.o.from > a.o.to)
		return cli_usage(c, "--from is after --to");
	if (cli_open(c, 0))
		return EXIT_ERR;
	if ((rc = gr_write(c->db, detect_txn, &a, &err)) != GR_OK) {
		cli_error(c, "%s", err.msg);
		return cli_status(rc);
	}
	printf("%llu MMSIs, %llu positions, %llu ports: %llu gaps, %llu port calls, %llu encounters; "
	    "%llu relationships created, %llu updated, %llu unchanged\n",
	    (unsigned long long)a.st.ds_mmsis, (unsigned long long)a.st.ds_positions, (unsigned long long)a.st.ds_ports,
	    (unsigned long long)a.st.ds_found[0], (unsigned long long)a.st.ds_found[1], (unsigned long long)a.st.ds_found[2],
	    (unsigned long long)a.st.ds_created, (unsigned long long)a.st.ds_updated, (unsigned long long)a.st.ds_unchanged);
	if (a.st.ds_ambiguous)
		fprintf(stderr, "sanctgraph: detect: %llu events overlap several claims of their kind and were stored as claims of their own\n",
		    (unsigned long long)a.st.ds_ambiguous);
	if (a.st.ds_no_vessel)
		fprintf(stderr, "sanctgraph: detect: %llu MMSIs have no Vessel and were skipped\n",
		    (unsigned long long)a.st.ds_no_vessel);
	return EXIT_OK;
}

/* ---------------------------------------------------------------- track */

static void print_time(int64_t secs)
{
	char buf[64];
	gr_datetime dt = { secs, 0, 0, 0 };
	gr_format_datetime(&dt, buf);
	fputs(buf, stdout);
}

static void print_json_value(const gr_value *v)
{
	gr_buf b = { 0 };
	if (gr_value_json(&b, v) == GR_OK)
		fwrite(b.b_data, 1, b.b_len, stdout);
	else
		fputs("null", stdout);
	gr_buf_free(&b);
}

static void csv_track(uint32_t mmsi, const gr_pos *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%09u,", mmsi);
		print_time(p[i].ps_time);
		printf(",%.7f,%.7f,", p[i].ps_lat, p[i].ps_lon);
		if (!isnan(p[i].ps_sog))
			printf("%.1f", p[i].ps_sog);
		putchar(',');
		if (!isnan(p[i].ps_cog))
			printf("%.1f", p[i].ps_cog);
		putchar(',');
		if (p[i].ps_heading != 511)
			printf("%d", p[i].ps_heading);
		putchar('\n');
	}
}

static void feature_sep(int *first)
{
	fputs(*first ? "\n" : ",\n", stdout);
	*first = 0;
}

/* One LineString (or a Point for a lone position) per stretch. */
static void geojson_track(uint32_t mmsi, const char *ref, const gr_pos *p, size_t n, int64_t gap, int *first)
{
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && p[j].ps_time - p[j - 1].ps_time < gap)
			j++;
		feature_sep(first);
		printf("{\"type\":\"Feature\",\"geometry\":{\"type\":\"%s\",\"coordinates\":", j - i > 1 ? "LineString" : "Point");
		if (j - i > 1)
			putchar('[');
		for (size_t k = i; k < j; k++)
			printf("%s[%.7f,%.7f]", k > i ? "," : "", p[k].ps_lon, p[k].ps_lat);
		if (j - i > 1)
			putchar(']');
		printf("},\"properties\":{\"kind\":\"track\",\"mmsi\":\"%09u\",\"vessel\":", mmsi);
		{
			gr_value v = gr_cstring(ref);
			print_json_value(&v);
			gr_value_free(&v);
		}
		fputs(",\"start\":\"", stdout);
		print_time(p[i].ps_time);
		fputs("\",\"end\":\"", stdout);
		print_time(p[j - 1].ps_time);
		printf("\",\"positions\":%zu}}", j - i);
		i = j;
	}
}

static int num_value(const gr_value *v, double *out)
{
	if (v && v->type == GR_FLOAT)
		return *out = v->u.f, 1;
	if (v && v->type == GR_INT)
		return *out = (double)v->u.i, 1;
	return 0;
}

/* The derived events of a vessel as Points. */
static void geojson_events(gr_txn *t, uint32_t vessel, int64_t from, int64_t to, int *first)
{
	static const char *const types[] = { "AIS_GAP", "CALLED_AT", "ENCOUNTERED" };
	for (int dir = 0; dir < 2; dir++)
		for (size_t ty = 0; ty < 3; ty++) {
			uint16_t type, ks, ke, klat, klon;
			gr_rels it;
			gr_rel a;
			if (gr_sym(t, types[ty], strlen(types[ty]), 0, &type) != GR_OK || (dir == 1 && ty != 2))
				continue;
			if (gr_rels_open(t, &it, NULL) != GR_OK || gr_rels_seek(&it, vessel, dir == 0 ? GR_OUT : GR_IN, type, 0) != GR_OK) {
				gr_rels_close(&it);
				continue;
			}
			gr_sym(t, "start", 5, 0, &ks);
			gr_sym(t, "end", 3, 0, &ke);
			klat = klon = 0;
			gr_sym(t, ty == 0 ? "lat_off" : "lat", ty == 0 ? 7 : 3, 0, &klat);
			gr_sym(t, ty == 0 ? "lon_off" : "lon", ty == 0 ? 7 : 3, 0, &klon);
			while (gr_rels_next(&it, &a) == 1) {
				gr_edge e;
				gr_error err;
				const gr_value *s, *en;
				double lat, lon;
				char other[600];
				gr_edge_init(&e);
				e.e_id = a.r_edge;
				if (gr_edge_load_props(t, &e, &err) != GR_OK)
					continue;
				s = gr_props_get(e.e_props, e.e_nprops, ks);
				en = gr_props_get(e.e_props, e.e_nprops, ke);
				if ((s && s->type == GR_DATETIME && s->u.dt.dt_secs > to) ||
				    (en && en->type == GR_DATETIME && en->u.dt.dt_secs < from)) {
					gr_edge_clear(&e);
					continue;
				}
				if (ty == 1) {   /* a port call sits at its port */
					gr_value vl, vo;
					int ok = gr_node_prop(t, a.r_nbr, gr_sym_cached(t, "lat"), &vl) == GR_OK &&
					    gr_node_prop(t, a.r_nbr, gr_sym_cached(t, "lon"), &vo) == GR_OK;
					ok = ok && num_value(&vl, &lat) && num_value(&vo, &lon);
					if (!ok) {
						gr_edge_clear(&e);
						continue;
					}
				} else if (!num_value(gr_props_get(e.e_props, e.e_nprops, klat), &lat) ||
				    !num_value(gr_props_get(e.e_props, e.e_nprops, klon), &lon)) {
					gr_edge_clear(&e);
					continue;
				}
				feature_sep(first);
				printf("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]},"
				    "\"properties\":{\"kind\":\"event\",\"type\":\"%s\",\"id\":%u", lon, lat, types[ty], a.r_edge);
				gr_node_ref(t, a.r_nbr, other, sizeof other);
				if (ty != 0) {
					gr_value v = gr_cstring(other);
					fputs(dir == 0 ? ",\"to\":" : ",\"from\":", stdout);
					print_json_value(&v);
					gr_value_free(&v);
				}
				for (size_t k = 0; k < e.e_nprops; k++) {
					size_t nl;
					const char *name = gr_sym_name(t, e.e_props[k].p_key, &nl);
					gr_value nv = gr_string(name, nl);
					putchar(',');
					print_json_value(&nv);
					putchar(':');
					print_json_value(&e.e_props[k].p_val);
					gr_value_free(&nv);
				}
				fputs("}}", stdout);
				gr_edge_clear(&e);
			}
			gr_rels_close(&it);
		}
}

int cmd_track(cli *c, int argc, char **argv)
{
	const char *target = NULL, *format = "csv";
	int64_t from = 0, to = 0xffffffffLL;
	double gap_hours = 12;
	uint32_t mmsis[16], vessel = 0, m;
	size_t nm = 0, npos = 0;
	gr_txn *t;
	gr_error err = { 0 };
	char ref[600] = "";
	int status = EXIT_OK, first = 1;

	if (cli_help(argc, argv, track_help))
		return EXIT_OK;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (strcmp(o, "--from") == 0 || strcmp(o, "--to") == 0 || strcmp(o, "--format") == 0 ||
		    strcmp(o, "--min-gap-hours") == 0) {
			if (i + 1 >= argc)
				return cli_usage(c, "%s needs a value", o);
			if (strcmp(o, "--format") == 0) {
				format = argv[++i];
				if (strcmp(format, "csv") && strcmp(format, "geojson"))
					return cli_usage(c, "unknown format '%s' (csv or geojson)", format);
			} else if (strcmp(o, "--min-gap-hours") == 0) {
				if (parse_number(argv[++i], &gap_hours) || gap_hours <= 0)
					return cli_usage(c, "--min-gap-hours: '%s' is not a positive number", argv[i]);
			} else if (parse_when(argv[i + 1], o[2] == 't', o[2] == 't' ? &to : &from)) {
				return cli_usage(c, "%s: '%s' is not a date or datetime", o, argv[i + 1]);
			} else {
				i++;
			}
		} else if (o[0] == '-' && o[1]) {
			return cli_usage(c, "unknown option %s", o);
		} else if (target) {
			return cli_usage(c, "one vessel at a time ('%s' and '%s')", target, o);
		} else {
			target = o;
		}
	}
	if (!target)
		return cli_usage(c, "which vessel? give REF or MMSI");
	if (cli_read(c, &t))
		return EXIT_ERR;
	if (gr_mmsi_parse(target, strlen(target), &m) == 0) {
		mmsis[nm++] = m;
		if (gr_mmsi_vessel(t, m, &vessel) != GR_OK)
			vessel = 0;
	} else if (gr_resolve(t, target, &vessel, &err) != GR_OK) {
		cli_error(c, "%s", err.msg);
		gr_abort(t);
		return cli_status(err.code ? err.code : GR_ENOTFOUND);
	} else {
		nm = gr_vessel_mmsis(t, vessel, mmsis, 16);
	}
	if (vessel)
		gr_node_ref(t, vessel, ref, sizeof ref);
	if (strcmp(format, "csv") == 0)
		puts("mmsi,time,lat,lon,sog,cog,heading");
	else
		fputs("{\"type\":\"FeatureCollection\",\"features\":[", stdout);
	for (size_t i = 0; i < nm; i++) {
		gr_pos *p;
		size_t n;
		if (gr_pos_read(t, mmsis[i], from, to, &p, &n, &err) != GR_OK) {
			cli_error(c, "%s", err.msg);
			status = EXIT_ERR;
			break;
		}
		npos += n;
		if (strcmp(format, "csv") == 0)
			csv_track(mmsis[i], p, n);
		else
			geojson_track(mmsis[i], ref, p, n, (int64_t)llround(gap_hours * 3600), &first);
		free(p);
	}
	if (strcmp(format, "geojson") == 0) {
		if (vessel && status == EXIT_OK)
			geojson_events(t, vessel, from, to, &first);
		fputs("\n]}\n", stdout);
	}
	if (nm == 0 && status == EXIT_OK) {
		cli_error(c, "%s has no MMSI (mmsi property) to give positions", target);
		status = EXIT_ERR;
	} else if (npos == 0 && status == EXIT_OK) {
		cli_error(c, "no positions of %s%s", target, from > 0 || to < 0xffffffffLL ? " in that window" : "");
		status = EXIT_ERR;
	}
	gr_abort(t);
	return status;
}
