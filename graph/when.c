/*
 * when.c: the one rule that dates a relationship (see when.h).
 */
#include <stdio.h>
#include <string.h>

#include "when.h"

/* Property names in order of preference for each end. */
static const char *const start_names[] = { "start", "since", "listed" };
static const char *const end_names[] = { "end", "until", "delisted" };

int gr_value_day(const gr_value *v, int32_t *day)
{
	if (!v)
		return 0;
	if (v->type == GR_DATE) {
		*day = v->u.date;
		return 1;
	}
	if (v->type == GR_DATETIME) {
		/* dt_secs is the UTC instant (a local datetime reads as UTC) */
		int64_t s = v->u.dt.dt_secs;
		*day = (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
		return 1;
	}
	return 0;
}

/* The day of property `name` among p: 1 and *day, or 0. */
static int prop_day(gr_txn *t, const gr_prop *p, size_t np, const char *name, int32_t *day)
{
	uint16_t k;
	if (gr_sym(t, name, strlen(name), 0, &k) != GR_OK)
		return 0;
	return gr_value_day(gr_props_get(p, np, k), day);
}

int gr_when_of_props(gr_txn *t, const gr_prop *p, size_t np, gr_when *w)
{
	int32_t day;
	memset(w, 0, sizeof *w);
	if (prop_day(t, p, np, "date", &day)) {
		w->w_flags = GR_WHEN_START | GR_WHEN_END;
		w->w_first = w->w_last = day;
		w->w_start_name = w->w_end_name = "date";
		return 1;
	}
	for (size_t i = 0; i < sizeof start_names / sizeof start_names[0]; i++)
		if (prop_day(t, p, np, start_names[i], &day)) {
			w->w_flags |= GR_WHEN_START;
			w->w_first = day;
			w->w_start_name = start_names[i];
			break;
		}
	for (size_t i = 0; i < sizeof end_names / sizeof end_names[0]; i++)
		if (prop_day(t, p, np, end_names[i], &day)) {
			w->w_flags |= GR_WHEN_END;
			w->w_last = day;
			w->w_end_name = end_names[i];
			break;
		}
	return w->w_flags != 0;
}

int gr_edge_when(gr_txn *t, uint32_t edge, gr_when *w)
{
	gr_edge e;
	int dated = 0;
	memset(w, 0, sizeof *w);
	gr_edge_init(&e);
	e.e_id = edge;
	if (gr_edge_load_props(t, &e, NULL) == GR_OK)
		dated = gr_when_of_props(t, e.e_props, e.e_nprops, w);
	gr_edge_clear(&e);
	return dated;
}

int32_t gr_when_first(const gr_when *w)
{
	return w->w_flags & GR_WHEN_START ? w->w_first : w->w_last;
}

int32_t gr_when_last(const gr_when *w)
{
	if (!(w->w_flags & GR_WHEN_END) || w->w_last < gr_when_first(w))
		return gr_when_first(w);
	return w->w_last;
}

size_t gr_when_format(const gr_when *w, char *buf)
{
	char a[64], b[64];
	buf[0] = 0;
	if (!w->w_flags)
		return 0;
	gr_format_date(gr_when_first(w), a);
	gr_format_date(gr_when_last(w), b);
	if (!(w->w_flags & GR_WHEN_END))
		return (size_t)snprintf(buf, 64, "%s %s",
		    strcmp(w->w_start_name, "start") == 0 ? "from" : w->w_start_name, a);
	if (!(w->w_flags & GR_WHEN_START))
		return (size_t)snprintf(buf, 64, "%s %s",
		    strcmp(w->w_end_name, "end") == 0 ? "until" : w->w_end_name, b);
	if (strcmp(a, b) == 0)
		return (size_t)snprintf(buf, 64, "%s", a);
	return (size_t)snprintf(buf, 64, "%s..%s", a, b);
}
