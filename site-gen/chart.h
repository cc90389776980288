/*
 * chart: small SVG charts of an indicator across years, as well-formed XML
 * fragments for inline use in HTML: role="img", a <title> (referenced by
 * aria-labelledby) that states every value in words, and in the large
 * form the values and years as <text>.  Colours come from the stylesheet
 * (classes), so charts follow light and dark themes.
 */
#ifndef SG_CHART_H
#define SG_CHART_H

#include <stddef.h>

struct sg_chart_point {
	int		 year;
	int		 has;		/* a number to draw */
	double		 v;
	const char	*text;		/* "522", "不适用", "未填报" */
	int		 has_old;	/* an earlier report said otherwise */
	double		 old;
	const char	*old_text;	/* "2023 年报告：520" */
};

enum sg_chart_size {
	SG_CHART_SPARK,		/* inline in a table row: bars only */
	SG_CHART_TREND		/* with values and years written out */
};

/*
 * An SVG bar chart of the points (ascending by year).  id must be unique
 * on the page (it prefixes the title's id); label and unit go into the
 * title; the bar of year mark (0: none) is highlighted.  Returns the
 * markup (caller frees), or NULL when no point has a number.
 */
char *sg_chart_svg(const char *id, const char *label, const char *unit,
    const struct sg_chart_point *p, size_t n, int mark,
    enum sg_chart_size size);

#endif
