/*
 * page_home: the home page — the reports, the latest year's first cases
 * and key figures (the case cards are page_common.c's).
 */
#include <stdlib.h>

#include "page_indicators.h"
#include "pages_int.h"
#include "theme.h"
#include "util.h"

void
sg_page_home(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	struct sg_vars *v = sg_page_vars(b, "", s->title, NULL);

	for (size_t i = s->nreports; i > 0; i--) {
		struct sg_report *r = &s->reports[i - 1];
		struct sg_vars *it = sg_vars_item(v, "reports");
		char *p = sg_xasprintf("%d/", r->year);
		sg_vars_text(it, "report_title", r->title);
		sg_vars_textf(it, "report_year", "%d", r->year);
		sg_vars_text(it, "report_published", r->published);
		if (r->nindicators)
			sg_page_word(b, it, "report_counts", "report_counts",
			    "chapters", SG_WORD_NUM(r->nchapters), "cases",
			    SG_WORD_NUM(r->ncases), "tables",
			    SG_WORD_NUM(r->nindicators), NULL);
		else
			sg_page_word(b, it, "report_counts",
			    "report_counts_no_tables", "chapters",
			    SG_WORD_NUM(r->nchapters), "cases",
			    SG_WORD_NUM(r->ncases), NULL);
		sg_page_link(it, "report_url", "", p);
		free(p);
	}
	if (s->nreports > 0) {
		struct sg_report *r = &s->reports[s->nreports - 1];
		sg_vars_textf(v, "latest_year", "%d", r->year);
		for (size_t i = 0; i < r->ncases && i < 6; i++)
			sg_page_case_item(b, sg_vars_item(v, "cases"), "", r,
			    i);
		sg_indpage_figures(s, r, v, "");
	}
	sg_page_render(b, "home", "", v);
	sg_page_ref(b, "", NULL, "", NULL, s->title, NULL);
}
