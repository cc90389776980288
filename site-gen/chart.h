/*
 * chart: the geometry of small bar charts of an indicator across years —
 * the picture's size, the zero line, each year's bar (or gap mark), the
 * circle of an earlier report's value and where the year and value are
 * written — as values for the theme's SVG (indicator-tables.html,
 * trends.html).  Numbers are printed in the C locale with "%.1f".
 */
#ifndef SG_CHART_H
#define SG_CHART_H

#include <stddef.h>

struct sg_vars;

struct sg_chart_point {
	int		 year;
	int		 has;		/* a number to draw */
	double		 v;
	int		 has_old;	/* an earlier report said otherwise */
	double		 old;
};

enum sg_chart_size {
	SG_CHART_SPARK,		/* inline in a table row: bars and years */
	SG_CHART_TREND		/* with values and years written out */
};

/* 1 if any point has a number, so that there is a chart to draw. */
int sg_chart_drawable(const struct sg_chart_point *p, size_t n);

/*
 * Sets chart v's ch_width, ch_height, ch_viewbox and ch_axis_y, and for
 * each point i item[i]'s coordinates: p_bar_class, p_x, p_y, p_w, p_h (a
 * bar), or p_gap_x1, p_gap_x2, p_gap_y (no number); p_old_cx, p_old_cy,
 * p_old_r (an earlier value); p_year, p_tx, p_ty, p_vy (the year's and
 * value's text) and p_year_class; the bar and year of year mark (0: none) are
 * highlighted.  Points ascend by year; items are the caller's.
 */
void sg_chart_vars(struct sg_vars *v, struct sg_vars *const *item,
    const struct sg_chart_point *p, size_t n, int mark,
    enum sg_chart_size size);

#endif
