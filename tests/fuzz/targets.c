/*
 * Fuzz targets over an in-memory site: no disk I/O per input, so libFuzzer
 * runs thousands of inputs a second.
 */
#include <libxml/parser.h>
#include <ctype.h>
#include <stdio.h>
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

/* YAML double-quoted form of s[0..n) (every byte kept: \xNN escapes). */
static void
yaml_dq(struct sg_buf *b, const char *s, size_t n)
{
	sg_buf_putc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sg_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			sg_buf_printf(b, "\\x%02x", c);
		else
			sg_buf_putc(b, (char)c);
	}
	sg_buf_putc(b, '"');
}

/*
 * The property the URL allowlist promises, checked independently of
 * sg_url_safe's code: what it lets through, read as a browser reads it
 * (controls and spaces before, tabs and line breaks anywhere dropped),
 * has no scheme but http, https, mailto and tel; and passing it again
 * changes nothing.
 */
static void
check_url(const char *in)
{
	char *out = sg_url_safe(in), *again, *seen;
	size_t k = 0;

	if (out == NULL)
		return;
	seen = sg_xcalloc(strlen(out) + 1, 1);
	const char *p = out;
	while (*p && (unsigned char)*p <= ' ')
		p++;
	for (; *p; p++)
		if (*p != '\t' && *p != '\n' && *p != '\r')
			seen[k++] = (char)tolower((unsigned char)*p);
	size_t n = 0;
	if (isalpha((unsigned char)seen[0]))
		while (isalnum((unsigned char)seen[n]) || seen[n] == '+' ||
		    seen[n] == '-' || seen[n] == '.')
			n++;
	if (n > 0 && seen[n] == ':' && !(n == 4 && !strncmp(seen, "http", 4)) &&
	    !(n == 5 && !strncmp(seen, "https", 5)) &&
	    !(n == 6 && !strncmp(seen, "mailto", 6)) &&
	    !(n == 3 && !strncmp(seen, "tel", 3))) {
		fprintf(stderr, "sg_url_safe let through a %.*s: URL\n", (int)n,
		    seen);
		abort();
	}
	again = sg_url_safe(out);
	if (again == NULL || strcmp(again, out) != 0) {
		fprintf(stderr, "sg_url_safe is not idempotent\n");
		abort();
	}
	free(again);
	free(seen);
	free(out);
}

int
sg_fuzz_urls(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();
	const char *f[4] = {"", "", "", ""};
	size_t fl[4] = {0, 0, 0, 0}, nf = 0;
	const char *p = (const char *)data, *end = p + size;
	struct sg_buf y = {0};

	/* Up to four NUL-separated fields: base_url, contact.website,
	 * contact.email, and a chapter's file name. */
	while (nf < 4 && p <= end) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		f[nf] = p;
		fl[nf++] = z ? (size_t)(z - p) : (size_t)(end - p);
		if (z == NULL)
			break;
		p = z + 1;
	}
	for (size_t i = 0; i < 3; i++) {
		char *v = sg_xstrndup(f[i], fl[i]);
		check_url(v);
		free(v);
	}
	sg_buf_puts(&y, "title: 测试\nbase_url: ");
	yaml_dq(&y, f[0], fl[0]);
	sg_buf_puts(&y, "\ncontact:\n  website: ");
	yaml_dq(&y, f[1], fl[1]);
	sg_buf_puts(&y, "\n  email: ");
	yaml_dq(&y, f[2], fl[2]);
	sg_buf_puts(&y, "\n");
	sg_source_mem_add(s, "site.yml", y.data, y.len);
	sg_buf_clear(&y);

	/* A chapter named by the fourth field, linked from another. */
	char *name = sg_xstrndup(f[3], fl[3]);
	name[strcspn(name, "/")] = '\0';
	char *path = sg_xasprintf("content/2024/%s.md", *name ? name : "x");
	char *link = sg_xasprintf("---\ntitle: 一\n---\n[下一章](./%s.md)\n",
	    *name ? name : "x");
	add(s, path, "---\ntitle: 二\n---\n正文\n");
	add(s, "content/2024/01-a.md", link);
	char *page = sg_xasprintf("2024/%s/", *name ? name : "x");
	char *rel = sg_path_rel("2024/", page);
	check_url(rel);
	if (strchr(rel, ':') && strcspn(rel, ":") < strcspn(rel, "/") &&
	    strncmp(rel, "./", 2) != 0) {
		fprintf(stderr, "sg_path_rel gave a scheme: %s\n", rel);
		abort();
	}
	free(rel);
	free(page);
	free(link);
	free(path);
	free(name);

	/* Loaded, the chapters' links rendered; the theme writes the site's
	 * website and mail links. */
	struct sg_diag d = {0};
	struct sg_site *site = sg_load_site(s, &d);
	for (size_t i = 0; i < site->nreports; i++) {
		struct sg_report *r = &site->reports[i];
		for (size_t c = 0; c < r->nchapters; c++)
			free(sg_md_render(site, r, &r->chapters[c].doc,
			    r->chapters[c].doc.page, SG_MD_CARDS));
	}
	struct sg_vars *v = sg_vars_new();
	size_t len;
	sg_vars_text(v, "title", site->title ? site->title : "");
	sg_vars_text(v, "url", site->website ? site->website : "");
	sg_vars_text(v, "name", site->email ? site->email : "");
	free(sg_theme_render(theme, "chapter", v, &len, &d));
	sg_vars_free(v);
	sg_load_free(site);
	sg_diag_clear(&d);
	sg_source_free(s);
	return 0;
}

int
sg_fuzz_schema(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();

	sg_source_mem_add(s, "schemas/zz-2024.yml", (const char *)data, size);
	add(s, "content/2024/indicators/1-scorecard.csv",
	    "序号,指标,单位,2023年,2024年\n1,毕业生人数*,人,522,592\n"
	    "2,毕业生去向落实人数,人,522,592\n,其中：升学人数,人,402,462\n"
	    "3,毕业生本省去向落实率,%,20.88,98.47\n");
	add(s, "content/2024/01-a.md", "---\ntitle: 一\n---\n毕业生 592 人。\n");
	render_all(s);
	sg_source_free(s);
	return 0;
}

int
sg_fuzz_anchors(const uint8_t *data, size_t size)
{
	struct sg_source *s = base_site();
	struct sg_buf b = {0};
	struct sg_diag d = {0};
	const char *p = (const char *)data, *end = p + size;

	/* Each line a heading: what de-duplication has to keep apart. */
	sg_buf_puts(&b, "---\ntitle: 一\n---\n");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		sg_buf_puts(&b, "## ");
		sg_buf_add(&b, p, n);
		sg_buf_puts(&b, "\n\n");
		p += n + 1;
	}
	sg_source_mem_add(s, "content/2024/01-a.md", b.data ? b.data : "",
	    b.len);
	sg_buf_clear(&b);
	struct sg_site *site = sg_load_site(s, &d);
	for (size_t y = 0; y < site->nreports; y++)
		for (size_t c = 0; c < site->reports[y].nchapters; c++) {
			struct sg_doc *doc = &site->reports[y].chapters[c].doc;
			struct sg_map ids = {0};
			for (size_t i = 0; i < doc->nheads; i++) {
				if (sg_map_get(&ids, doc->heads[i].id)) {
					fprintf(stderr, "anchor '%s' given twice\n",
					    doc->heads[i].id);
					abort();
				}
				sg_map_put(&ids, doc->heads[i].id, (void *)1);
			}
			sg_map_clear(&ids);
		}
	sg_load_free(site);
	sg_diag_clear(&d);
	sg_source_free(s);
	return 0;
}
