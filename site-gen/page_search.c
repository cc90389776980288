/*
 * page_search: the search page, and the index search.js reads, which
 * search.c makes.
 */
#include <stdlib.h>

#include "output.h"
#include "pages_int.h"
#include "search.h"
#include "theme.h"
#include "util.h"

/* search/: the form and results list filled by search.js from the
 * index under search/ (see search.h), which is written here too. */
void
sg_page_search(struct sg_pages *b)
{
	const char *page = "search/";
	char *title = sg_theme_word(b->theme, "search_title", NULL);
	struct sg_vars *v = sg_page_vars(b, page, title, NULL);
	struct sg_search_index ix;

	sg_search_build(b->site, &ix);
	sg_page_crumb_home(b, v, page);
	sg_page_link(v, "root_url", page, "");
	sg_page_link(v, "search_js_url", page, "assets/search.js");
	sg_page_link(v, "search_index_url", page, "search/index.json");
	sg_page_render(b, "search", page, v);
	sg_page_ref(b, page, NULL, "content", NULL, title, NULL);
	free(title);
	for (size_t i = 0; i < ix.nfiles; i++) {
		if (sg_output_write(b->o, ix.files[i].path, ix.files[i].data,
		    ix.files[i].len, b->d) == -1)
			b->failed = 1;
		b->st->files++;
	}
	sg_search_clear(&ix);
}
