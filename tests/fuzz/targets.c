/*
 * Fuzz targets over an in-memory site: no disk I/O per input, so libFuzzer
 * runs thousands of inputs a second.
 */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "load.h"
#include "markdown.h"
#include "sg.h"
#include "source.h"
#include "targets.h"
#include "theme.h"
#include "util.h"

static const char layout[] = "<!DOCTYPE html><html lang=\"zh-CN\"><head>"
    "<meta charset=\"utf-8\"><title data-sg-text=\"title\">x</title></head>"
    "<body><main data-sg-slot=\"main\"></main></body></html>";
static const char chapter[] = "<article><h1 data-sg-text=\"title\"></h1>"
    "<div data-sg-html=\"content\"></div><ul><li data-sg-each=\"items\">"
    "<a data-sg-attr-href=\"url\" data-sg-text=\"name\"></a></li></ul></article>";

static struct sg_theme *theme;

void
sg_fuzz_init(void)
{
	struct sg_diag d = {0};

	if (theme)
		return;
	xmlInitParser();
	sg_md_init();
	theme = sg_theme_new("");
	sg_theme_add(theme, "layout", layout, sizeof(layout) - 1, &d);
	sg_theme_add(theme, "chapter", chapter, sizeof(chapter) - 1, &d);
	sg_diag_clear(&d);
}

static void
add(struct sg_source *s, const char *path, const char *text)
{
	sg_source_mem_add(s, path, text, strlen(text));
}

static struct sg_source *
base_site(void)
{
	struct sg_source *s = sg_source_mem_new();

	add(s, "site.yml", "title: 测试\nbase_url: https://example.edu.cn/\n");
	add(s, "content/2024/report.yml", "title: 报告\nyear: 2024\n"
	    "published: 2024-12-27\ntemplate: zz-2024\n");
	add(s, "content/2024/cases/01-k.md", "---\ntitle: 案例\ntags: [德育]\n"
	    "---\n![](../images/x.jpg \"图\")\n\n[表](../tables/t.csv)\n");
	add(s, "content/2024/tables/t.csv", "a,b\n1,2\n");
	return s;
}

/* Loads the site in s and renders every document and the chapter pages. */
static void
render_all(struct sg_source *s)
{
	struct sg_diag d = {0};
	struct sg_site *site = sg_load_site(s, &d);

	for (size_t y = 0; y < site->nreports; y++) {
		struct sg_report *r = &site->reports[y];
		for (size_t i = 0; i < r->nchapters; i++) {
			struct sg_doc *doc = &r->chapters[i].doc;
			char *a = sg_md_render(site, r, doc, doc->page, SG_MD_CARDS);
			char *b = sg_md_render(site, r, doc, "2024/print/",
			    SG_MD_INLINE);
			struct sg_vars *v = sg_vars_new();
			size_t len;
			sg_vars_text(v, "title", doc->title);
			sg_vars_html_own(v, "content", a);
			free(sg_theme_render(theme, "chapter", v, &len, &d));
			sg_vars_free(v);
			free(b);
		}
		for (size_t i = 0; i < r->ncases; i++)
			free(sg_md_render(site, r, &r->cases[i].doc,
			    r->cases[i].doc.page, SG_MD_CARDS));
	}
	sg_diag_sort(&d);
	sg_diag_clear(&d);
	sg_load_free(site);
}

int
sg_fuzz_page(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();

	sg_source_mem_add(s, "content/2024/01-a.md", (const char *)data, size);
	add(s, "content/2024/02-b.md", "---\ntitle: 二\n---\n见[一](01-a.md#x)\n\n"
	    "[案例 1](cases/01-k.md)\n");
	render_all(s);
	sg_source_free(s);
	return 0;
}

int
sg_fuzz_csv(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();

	sg_source_mem_add(s, "content/2024/tables/t.csv", (const char *)data,
	    size);
	sg_source_mem_add(s, "content/2024/indicators/1-scorecard.csv",
	    (const char *)data, size);
	add(s, "content/2024/01-a.md", "---\ntitle: 一\n---\n[表](tables/t.csv)\n\n"
	    "数据来源：x\n\n![](tables/t.csv \"图\")\n\n[案例 1](cases/01-k.md)\n");
	render_all(s);
	sg_source_free(s);
	return 0;
}

int
sg_fuzz_config(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();

	if (size == 0)
		size = 0;
	else if (data[0] & 1)
		sg_source_mem_add(s, "site.yml", (const char *)data + 1, size - 1);
	else
		sg_source_mem_add(s, "content/2024/report.yml",
		    (const char *)data + 1, size - 1);
	add(s, "content/2024/01-a.md", "---\ntitle: 一\n---\n正文\n");
	render_all(s);
	sg_source_free(s);
	return 0;
}

int
sg_fuzz_theme(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - (const char *)data) : size;
	struct sg_theme *t = sg_theme_new("");
	struct sg_diag d = {0};
	struct sg_vars *v = sg_vars_new();
	size_t len;

	sg_theme_add(t, "layout", layout, sizeof(layout) - 1, &d);
	if (sg_theme_add(t, "page", (const char *)data, tlen, &d) == 0) {
		char *vals = nul ? sg_xstrndup(nul + 1, size - tlen - 1) :
		    sg_xstrdup("");
		char *save = NULL;
		int i = 0;
		/* Lines become values of a few names, items and HTML. */
		for (char *l = strtok_r(vals, "\n", &save); l;
		    l = strtok_r(NULL, "\n", &save), i++) {
			static const char *names[] = {"title", "url", "name",
			    "body", "x"};
			if (i % 5 == 3)
				sg_vars_html(v, names[3], l);
			else if (i % 5 == 4)
				sg_vars_text(sg_vars_item(v, "items"), "name", l);
			else
				sg_vars_text(v, names[i % 5], l);
		}
		free(vals);
		free(sg_theme_render(t, "page", v, &len, &d));
	}
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
	return 0;
}
