/*
 * page_notfound: 404.html.  Served at any depth, it is the one page whose
 * links use base_url's path instead of being relative.
 */
#include <stdlib.h>

#include "page_indicators.h"
#include "pages_int.h"
#include "theme.h"
#include "util.h"

void
sg_page_notfound(struct sg_pages *b)
{
	char *title = sg_theme_word(b->theme, "notfound_title", NULL);
	struct sg_vars *v = sg_page_vars(b, "", title, NULL);

	free(title);
	/* Served for any missing URL: links must not be relative. */
	sg_vars_text(v, "home_url", b->site->base_path);
	sg_vars_textf(v, "cases_url", "%scases/", b->site->base_path);
	sg_vars_textf(v, "search_url", "%ssearch/", b->site->base_path);
	sg_vars_textf(v, "css_url", "%sassets/style.css", b->site->base_path);
	sg_vars_textf(v, "print_css_url", "%sassets/print.css",
	    b->site->base_path);
	sg_vars_textf(v, "feed_url", "%satom.xml", b->site->base_path);
	if (sg_indpage_any(b->site))
		sg_vars_textf(v, "trends_url", "%sindicators/",
		    b->site->base_path);
	sg_vars_textf(v, "ledger_url", "%shistory/", b->site->base_path);
	if (b->site->icon)
		sg_vars_textf(v, "icon_url", "%s%s", b->site->base_path,
		    sg_page_icon_name(b->site));
	sg_page_render(b, "404", "", v);
}
