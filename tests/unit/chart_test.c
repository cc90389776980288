/* Chart geometry: bars inside the picture, the marked year, gaps and an
 * earlier report's value, read back through a template. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "helpers.h"
#include "theme.h"
#include "util.h"

TestSuite(chart, .init = t_init);

/* Renders points p as one line per mark: "bar CLASS x y w h",
 * "gap x1 x2 y", "old cx cy r", "year CLASS x y vy". */
static char *
marks(const struct sg_chart_point *p, size_t n, int mark,
    enum sg_chart_size size)
{
	static const char tmpl[] = "<p data-sg-bare>size <b data-sg-bare "
	    "data-sg-text=\"ch_width\"></b> <b data-sg-bare data-sg-text="
	    "\"ch_height\"></b> <b data-sg-bare data-sg-text=\"ch_viewbox\">"
	    "</b> axis <b data-sg-bare data-sg-text=\"ch_axis_y\"></b>\n</p>"
	    "<p data-sg-bare data-sg-each=\"pts\"><i data-sg-bare "
	    "data-sg-if=\"p_bar_class\">bar <b data-sg-bare data-sg-text="
	    "\"p_bar_class\"></b> <b data-sg-bare data-sg-text=\"p_x\"></b> "
	    "<b data-sg-bare data-sg-text=\"p_y\"></b> <b data-sg-bare "
	    "data-sg-text=\"p_w\"></b> <b data-sg-bare data-sg-text=\"p_h\">"
	    "</b>\n</i><i data-sg-bare data-sg-if=\"p_gap_y\">gap <b "
	    "data-sg-bare data-sg-text=\"p_gap_x1\"></b> <b data-sg-bare "
	    "data-sg-text=\"p_gap_x2\"></b> <b data-sg-bare data-sg-text="
	    "\"p_gap_y\"></b>\n</i><i data-sg-bare data-sg-if=\"p_old_cx\">"
	    "old <b data-sg-bare data-sg-text=\"p_old_cx\"></b> <b "
	    "data-sg-bare data-sg-text=\"p_old_cy\"></b> <b data-sg-bare "
	    "data-sg-text=\"p_old_r\"></b>\n</i>year <b data-sg-bare "
	    "data-sg-text=\"p_year\"></b> <b data-sg-bare data-sg-text="
	    "\"p_year_class\"></b> <b data-sg-bare data-sg-text=\"p_tx\"></b> "
	    "<b data-sg-bare data-sg-text=\"p_ty\"></b> <b data-sg-bare "
	    "data-sg-text=\"p_vy\"></b>\n</p>";
	struct sg_theme *t = sg_theme_new("");
	struct sg_vars *v = sg_vars_new();
	struct sg_vars **it = calloc(n + 1, sizeof(*it));
	struct sg_diag d = {0};
	struct sg_buf out = {0};

	cr_assert_eq(sg_theme_add(t, "parts/marks", tmpl, strlen(tmpl), &d),
	    0);
	for (size_t i = 0; i < n; i++)
		it[i] = sg_vars_item(v, "pts");
	sg_chart_vars(v, it, p, n, mark, size);
	cr_assert_eq(sg_theme_part(t, "marks", v, &out, &d), 0);
	free(it);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
	return out.data ? out.data : strdup("");
}

Test(chart, spark_marks_the_year_and_draws_gaps_and_old_values)
{
	struct sg_chart_point p[] = {
		{2022, 0, 0, 0, 0},
		{2023, 1, 522, 1, 520},
		{2024, 1, 592, 0, 0},
	};
	char *m = marks(p, 3, 2024, SG_CHART_SPARK);

	cr_assert(strstr(m, "size 106 46 0 0 106 46 axis 28.0\n"), "%s", m);
	cr_assert(strstr(m, "gap 12.0 26.0 27.0\nyear 2022 year 19.0 43.0 "),
	    "%s", m);
	/* The tallest bar reaches the top; the marked one is 2024. */
	cr_assert(strstr(m, "bar bar 46.0 5.1 14.0 22.9\nold 53.0 5.2 3\n"
	    "year 2023 year 53.0 43.0"), "%s", m);
	cr_assert(strstr(m, "bar bar bar-mark 80.0 2.0 14.0 26.0\n"
	    "year 2024 year year-mark 87.0 43.0"), "%s", m);
	free(m);
}

Test(chart, trend_keeps_negative_bars_inside_the_picture)
{
	struct sg_chart_point p[] = {
		{2023, 1, -3.5, 0, 0},
		{2024, 1, 12500.41, 0, 0},
	};
	char *m = marks(p, 2, 0, SG_CHART_TREND);

	cr_assert(strstr(m, "size 128 80 0 0 128 80 "), "%s", m);
	cr_assert_null(strstr(m, "bar-mark"), "%s", m);
	cr_assert_null(strstr(m, " -"), "a negative coordinate: %s", m);
	/* The value is written above its bar, the year under the axis. */
	cr_assert(strstr(m, "year 2024 year 94.0 76.0 11.0\n"), "%s", m);
	free(m);
}

Test(chart, nothing_to_draw)
{
	struct sg_chart_point p[] = {
		{2023, 0, 0, 0, 0},
		{2024, 0, 0, 0, 0},
	};

	cr_assert_not(sg_chart_drawable(p, 2));
	cr_assert_not(sg_chart_drawable(p, 0));
	p[1].has = 1;
	cr_assert(sg_chart_drawable(p, 2));
}
