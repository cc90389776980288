/*
 * chart: SVG bar charts written as text.  Every number is printed with
 * "%.1f" (the C locale: main never calls setlocale) and every text goes
 * through sg_buf_html, so the fragment is well-formed XML.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "util.h"

struct geo {
	double	 slot, bar, top, bottom, height, width, lo, hi;
};

static double
ypos(const struct geo *g, double v)
{
	return g->top + (g->hi - v) / (g->hi - g->lo) * (g->bottom - g->top);
}

static void
title(struct sg_buf *b, const char *label, const char *unit,
    const struct sg_chart_point *p, size_t n)
{
	sg_buf_html(b, label);
	if (unit && *unit) {
		sg_buf_puts(b, "（");
		sg_buf_html(b, unit);
		sg_buf_puts(b, "）");
	}
	sg_buf_puts(b, "：");
	for (size_t i = 0; i < n; i++) {
		sg_buf_printf(b, "%s%d 年 ", i ? "，" : "", p[i].year);
		sg_buf_html(b, p[i].text ? p[i].text : "未填报");
		if (p[i].has_old) {
			sg_buf_puts(b, "（");
			sg_buf_html(b, p[i].old_text ? p[i].old_text : "");
			sg_buf_puts(b, "）");
		}
	}
}

char *
sg_chart_svg(const char *id, const char *label, const char *unit,
    const struct sg_chart_point *p, size_t n, int mark,
    enum sg_chart_size size)
{
	struct sg_buf b = {0};
	struct geo g;
	int any = 0;
	int big = size == SG_CHART_TREND;

	g.lo = 0;
	g.hi = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i].has) {
			any = 1;
			g.lo = fmin(g.lo, p[i].v);
			g.hi = fmax(g.hi, p[i].v);
		}
		if (p[i].has_old) {
			g.lo = fmin(g.lo, p[i].old);
			g.hi = fmax(g.hi, p[i].old);
		}
	}
	if (!any)
		return NULL;
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

	sg_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"chart %s\" width=\"%.0f\" height=\"%.0f\" "
	    "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"",
	    big ? "chart-trend" : "chart-spark", g.width, g.height, g.width,
	    g.height);
	sg_buf_html(&b, id);
	sg_buf_puts(&b, "-t\"><title id=\"");
	sg_buf_html(&b, id);
	sg_buf_puts(&b, "-t\">");
	title(&b, label, unit, p, n);
	sg_buf_puts(&b, "</title>");
	/* The zero line. */
	sg_buf_printf(&b, "<line class=\"axis\" x1=\"0\" y1=\"%.1f\" x2=\"%.0f\" "
	    "y2=\"%.1f\" stroke=\"currentColor\" stroke-width=\"1\"/>",
	    ypos(&g, 0), g.width, ypos(&g, 0));
	for (size_t i = 0; i < n; i++) {
		double cx = (big ? 4 : 2) + g.slot * ((double)i + 0.5);
		double x = cx - g.bar / 2;
		if (p[i].has) {
			double y0 = ypos(&g, fmax(p[i].v, 0));
			double y1 = ypos(&g, fmin(p[i].v, 0));
			double h = y1 - y0 < 1 ? 1 : y1 - y0;
			sg_buf_printf(&b, "<rect class=\"bar%s\" x=\"%.1f\" "
			    "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"currentColor\"/>", p[i].year == mark ?
			    " bar-mark" : "", x, y0, g.bar, h);
		} else {
			/* No number: a short dashed mark on the zero line. */
			sg_buf_printf(&b, "<line class=\"gap\" x1=\"%.1f\" "
			    "y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"currentColor\" stroke-dasharray=\"2 2\"/>",
			    x, ypos(&g, 0) - 1, x + g.bar, ypos(&g, 0) - 1);
		}
		if (p[i].has_old)
			sg_buf_printf(&b, "<circle class=\"old\" cx=\"%.1f\" "
			    "cy=\"%.1f\" r=\"%d\" fill=\"none\" "
			    "stroke=\"currentColor\" stroke-width=\"2\"/>", cx,
			    ypos(&g, p[i].old), big ? 5 : 3);
		if (!big) {
			sg_buf_printf(&b, "<text class=\"year%s\" x=\"%.1f\" "
			    "y=\"%.1f\" text-anchor=\"middle\">%d</text>",
			    p[i].year == mark ? " year-mark" : "", cx,
			    g.height - 3, p[i].year);
			continue;
		}
		sg_buf_printf(&b, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" "
		    "text-anchor=\"middle\">", cx, p[i].has ?
		    ypos(&g, fmax(p[i].v, 0)) - 5 : ypos(&g, 0) - 5);
		sg_buf_html(&b, p[i].text ? p[i].text : "未填报");
		sg_buf_printf(&b, "</text><text class=\"year\" x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"middle\">%d</text>", cx,
		    g.height - 4, p[i].year);
	}
	sg_buf_puts(&b, "</svg>");
	return sg_buf_take(&b);
}
