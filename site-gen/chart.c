/*
 * chart: where the marks of a bar chart go.  Every number is printed with
 * "%.1f" (the C locale: main never calls setlocale); the markup is the
 * theme's.
 */
#include <math.h>

#include "chart.h"
#include "theme.h"

struct geo {
	double	 slot, bar, top, bottom, height, width, lo, hi;
};

static double
ypos(const struct geo *g, double v)
{
	return g->top + (g->hi - v) / (g->hi - g->lo) * (g->bottom - g->top);
}

int
sg_chart_drawable(const struct sg_chart_point *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].has)
			return 1;
	return 0;
}

void
sg_chart_vars(struct sg_vars *v, struct sg_vars *const *item,
    const struct sg_chart_point *p, size_t n, int mark,
    enum sg_chart_size size)
{
	struct geo g;
	int big = size == SG_CHART_TREND;

	g.lo = 0;
	g.hi = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i].has) {
			g.lo = fmin(g.lo, p[i].v);
			g.hi = fmax(g.hi, p[i].v);
		}
		if (p[i].has_old) {
			g.lo = fmin(g.lo, p[i].old);
			g.hi = fmax(g.hi, p[i].old);
		}
	}
	if (g.hi == g.lo)
		g.hi = g.lo + 1;
	/* A spark has its years under the bars, so that it reads without
	 * the table's header (on a phone the row is a block). */
	g.slot = big ? 60 : 34;
	g.bar = big ? 28 : 14;
	g.top = big ? 16 : 2;
	g.height = big ? 80 : 46;
	g.bottom = g.height - 18;
	g.width = (double)n * g.slot + (big ? 8 : 4);

	sg_vars_textf(v, "ch_width", "%.0f", g.width);
	sg_vars_textf(v, "ch_height", "%.0f", g.height);
	sg_vars_textf(v, "ch_viewbox", "0 0 %.0f %.0f", g.width, g.height);
	sg_vars_textf(v, "ch_axis_y", "%.1f", ypos(&g, 0));
	for (size_t i = 0; i < n; i++) {
		struct sg_vars *it = item[i];
		double cx = (big ? 4 : 2) + g.slot * ((double)i + 0.5);
		double x = cx - g.bar / 2;
		int marked = p[i].year == mark;

		if (p[i].has) {
			double y0 = ypos(&g, fmax(p[i].v, 0));
			double y1 = ypos(&g, fmin(p[i].v, 0));
			double h = y1 - y0 < 1 ? 1 : y1 - y0;
			sg_vars_text(it, "p_bar_class", marked ? "bar bar-mark" :
			    "bar");
			sg_vars_textf(it, "p_x", "%.1f", x);
			sg_vars_textf(it, "p_y", "%.1f", y0);
			sg_vars_textf(it, "p_w", "%.1f", g.bar);
			sg_vars_textf(it, "p_h", "%.1f", h);
		} else {
			/* No number: a short dashed mark on the zero line. */
			sg_vars_textf(it, "p_gap_x1", "%.1f", x);
			sg_vars_textf(it, "p_gap_x2", "%.1f", x + g.bar);
			sg_vars_textf(it, "p_gap_y", "%.1f", ypos(&g, 0) - 1);
		}
		if (p[i].has_old) {
			sg_vars_textf(it, "p_old_cx", "%.1f", cx);
			sg_vars_textf(it, "p_old_cy", "%.1f", ypos(&g, p[i].old));
			sg_vars_textf(it, "p_old_r", "%d", big ? 5 : 3);
		}
		sg_vars_textf(it, "p_year", "%d", p[i].year);
		sg_vars_textf(it, "p_tx", "%.1f", cx);
		sg_vars_textf(it, "p_ty", "%.1f", g.height - (big ? 4 : 3));
		sg_vars_textf(it, "p_vy", "%.1f", p[i].has ?
		    ypos(&g, fmax(p[i].v, 0)) - 5 : ypos(&g, 0) - 5);
		sg_vars_text(it, "p_year_class", marked ? "year year-mark" :
		    "year");
	}
}
