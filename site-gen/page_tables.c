/*
 * page_tables: the indicator pages — a year's appendix tables
 * (/<year>/indicators/) and every indicator across the years
 * (/indicators/), their values from page_indicators.c.
 */
#include <stdlib.h>

#include "page_indicators.h"
#include "pages_int.h"
#include "theme.h"
#include "util.h"

void
sg_page_indicators(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xasprintf("%sindicators/", r->prefix);
	char *title = sg_theme_word(b->theme, "indicators_title", "year",
	    SG_WORD_NUM(r->year), NULL);
	char *src = sg_xasprintf("%s/indicators", r->dir);
	struct sg_vars *v = sg_page_vars(b, page, title, NULL);

	sg_page_report_common(b, v, r, page);
	sg_page_crumb_home(b, v, page);
	sg_page_crumb_report(v, page, r);
	sg_vars_text(v, "heading", title);
	sg_vars_html_own(v, "content", sg_indpage_tables(b->theme, b->site, r,
	    0, b->d));
	sg_page_render(b, "indicators", page, v);
	sg_page_ref(b, page, r, src, NULL, title, NULL);
	free(src);
	free(title);
	free(page);
}

/* /indicators/: every indicator across the years of the site. */
void
sg_page_trends(struct sg_pages *b)
{
	const char *page = "indicators/";
	char *title = sg_theme_word(b->theme, "trends_title", NULL);
	struct sg_vars *v = sg_page_vars(b, page, title, NULL);

	sg_page_crumb_home(b, v, page);
	sg_vars_text(v, "heading", title);
	sg_page_link(v, "json_url", page, "indicators.json");
	sg_indpage_trends(b->site, page, v);
	/* A theme exported before trends.html laid out the tables has
	 * them in its content. */
	sg_page_part_var(b, v, "content", "trend-tables");
	sg_page_render(b, "trends", page, v);
	sg_page_ref(b, page, NULL, "content", NULL, title, NULL);
	free(title);
}
