/* Template parts: rendered from C into a buffer, included by templates,
 * and the built-in theme's standing in for those a theme lacks. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "theme.h"
#include "util.h"

TestSuite(parts, .init = t_init);

#define LAYOUT "<!DOCTYPE html><html><head><title>x</title></head><body>" \
    "<main data-sg-slot=\"main\"></main></body></html>"

static htmlDocPtr
parse(const struct sg_buf *b)
{
	htmlDocPtr doc = htmlReadMemory(b->data ? b->data : "", (int)b->len,
	    "part.html", "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);

	cr_assert_not_null(doc);
	return doc;
}

static void
add(struct sg_theme *t, const char *name, const char *html)
{
	struct sg_diag d = {0};

	cr_assert_eq(sg_theme_add(t, name, html, strlen(html), &d), 0,
	    "%s: %s", name, d.n ? d.v[0].msg : "");
	sg_diag_clear(&d);
}

/* A part is appended to what the buffer holds, its text escaped, its
 * lists repeated; the file's last line break is not part of it. */
Test(parts, render_into_a_buffer)
{
	struct sg_theme *t = sg_theme_new("th");
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_diag d = {0};
	htmlDocPtr doc;
	char *s;

	add(t, "parts/card", "<aside class=\"card\"><p data-sg-text=\"title\">"
	    "</p><ul><li data-sg-each=\"tags\" data-sg-text=\"tag\"></li></ul>"
	    "</aside>\n");
	sg_vars_text(v, "title", "<b>德育</b> & 案例");
	sg_vars_text(sg_vars_item(v, "tags"), "tag", "一");
	sg_vars_text(sg_vars_item(v, "tags"), "tag", "二");
	sg_buf_puts(&b, "<p>before</p>");
	cr_assert_eq(sg_theme_part(t, "card", v, &b, &d), 0);
	cr_assert_eq(d.n, 0);
	cr_assert(sg_has_suffix(b.data, "</aside>"), "%s", b.data);
	doc = parse(&b);
	cr_assert_eq(t_count(doc, "//p[.='before']"), 1, "%s", b.data);
	s = t_text(doc, "//aside[@class='card']/p");
	cr_assert_str_eq(s, "<b>德育</b> & 案例");
	free(s);
	cr_assert_eq(t_count(doc, "//aside//b"), 0, "%s", b.data);
	cr_assert_eq(t_count(doc, "//aside/ul/li"), 2);
	xmlFreeDoc(doc);
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
}

/* Asking for a part the theme does not have names the file expected. */
Test(parts, missing_part_names_the_file)
{
	struct sg_theme *t = sg_theme_new("themes/mine");
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_diag d = {0};

	sg_buf_puts(&b, "kept");
	cr_assert_eq(sg_theme_part(t, "figure", v, &b, &d), -1);
	cr_assert_str_eq(b.data, "kept");
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.v[0].file, "themes/mine/parts/figure.html");
	cr_assert(t_has(&d, SG_ERROR, 0, "no part figure"));
	sg_diag_clear(&d);
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
}

/* data-sg-include puts a part's markup in a page template or another
 * part, with the values of where it is included. */
Test(parts, include_in_template_and_part)
{
	struct sg_theme *t = sg_theme_new("th");
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_diag d = {0};
	htmlDocPtr doc;
	size_t len;
	char *html, *s;

	add(t, "layout", LAYOUT);
	add(t, "parts/name", "<b data-sg-text=\"name\"></b>");
	add(t, "parts/row", "<li data-sg-include=\"name\"></li>");
	add(t, "page", "<ul><template data-sg-bare data-sg-each=\"people\" "
	    "data-sg-include=\"row\"></template></ul>");
	sg_vars_text(sg_vars_item(v, "people"), "name", "甲");
	sg_vars_text(sg_vars_item(v, "people"), "name", "乙");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert_null(strstr(html, "data-sg-"), "%s", html);
	cr_assert_null(strstr(html, "template"), "%s", html);
	b.data = html;
	b.len = len;
	doc = parse(&b);
	cr_assert_eq(t_count(doc, "//main/ul/li/b"), 2, "%s", html);
	s = t_text(doc, "//main/ul/li[2]/b");
	cr_assert_str_eq(s, "乙");
	free(s);
	xmlFreeDoc(doc);
	free(html);
	/* The same part rendered from C. */
	b = (struct sg_buf){0};
	cr_assert_eq(sg_theme_part(t, "row", sg_vars_item(v, "people"), &b,
	    &d), 0);
	cr_assert_str_eq(b.data, "<li><b></b></li>");
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* An include of a part found nowhere, or of itself, is refused when the
 * theme is compiled, naming the file that includes it. */
Test(parts, bad_includes_are_errors)
{
	struct sg_theme *t = sg_theme_new("th");
	struct sg_diag d = {0};
	const char *loop = "<p data-sg-include=\"loop\"></p>";
	const char *page = "<p data-sg-include=\"nowhere\"></p>";

	cr_assert_eq(sg_theme_add(t, "page", page, strlen(page), &d), -1);
	cr_assert(t_has(&d, SG_ERROR, 0, "the theme has no part nowhere"));
	cr_assert_str_eq(d.v[0].file, "page");
	sg_diag_clear(&d);
	cr_assert_eq(sg_theme_add(t, "parts/loop", loop, strlen(loop), &d), -1);
	cr_assert(t_has(&d, SG_ERROR, 0, "includes itself"));
	sg_diag_clear(&d);
	sg_theme_free(t);

	/* In a theme folder: the part's file is named. */
	char *dir = t_tmpdir();
	t_write(dir, "layout.html", LAYOUT);
	t_write(dir, "parts/figure.html", "<figure data-sg-include=\"nope\">"
	    "</figure>");
	cr_assert_null(sg_theme_load(dir, &d));
	char *want = sg_xasprintf("%s/parts/figure.html", dir);
	cr_assert(d.n > 0);
	cr_assert_str_eq(d.v[0].file, want);
	cr_assert(t_has(&d, SG_ERROR, 0, "data-sg-include=\"nope\""));
	free(want);
	sg_diag_clear(&d);
	sg_rm_rf(dir);
	free(dir);
}

/* data-sg-bare writes an element's content without its tags; a value of
 * data-sg-attr-X with braces is a pattern, written when every value it
 * names is set. */
Test(parts, bare_and_attribute_patterns)
{
	struct sg_theme *t = sg_theme_new("th");
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_diag d = {0};

	add(t, "parts/p", "<a href=\"#\" data-sg-attr-href=\"cases/{y}/{n}/\" "
	    "title=\"none\" data-sg-attr-title=\"案例 {n} {gone}\">案例 "
	    "<span data-sg-bare data-sg-text=\"n\">x</span></a>");
	sg_vars_text(v, "y", "2024年");
	sg_vars_text(v, "n", "3 & 4");
	cr_assert_eq(sg_theme_part(t, "p", v, &b, &d), 0);
	cr_assert_str_eq(b.data, "<a href=\"cases/2024%E5%B9%B4/3%20&%204/\" "
	    "title=\"none\">案例 3 &amp; 4</a>");
	sg_buf_clear(&b);
	sg_vars_text(v, "gone", "\"在\"");
	cr_assert_eq(sg_theme_part(t, "p", v, &b, &d), 0);
	cr_assert(strstr(b.data, "title='案例 3 &amp; 4 \"在\"'"), "%s", b.data);
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* A theme with only some parts of its own has the built-in theme's for
 * the rest, and a built-in part includes the theme's own. */
Test(parts, missing_parts_fall_back_to_the_built_in_theme)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_theme *t;
	htmlDocPtr doc;
	char *s;

	t_write(dir, "layout.html", LAYOUT);
	t_write(dir, "parts/figure-caption.html", "<em class=\"mine\" "
	    "data-sg-text=\"caption\"></em>\n");
	t = sg_theme_load(dir, &d);
	cr_assert_not_null(t, "%s", d.n ? d.v[0].msg : "");
	sg_vars_text(v, "id", "fig-1-1");
	sg_vars_text(v, "src", "images/a.png");
	sg_vars_text(v, "alt", "图");
	sg_vars_text(v, "caption", "招生情况");
	cr_assert_eq(sg_theme_part(t, "figure", v, &b, &d), 0);
	doc = parse(&b);
	cr_assert_eq(t_count(doc, "//figure[@id='fig-1-1']/img"
	    "[@src='images/a.png']"), 1, "%s", b.data);
	s = t_text(doc, "//figure/figcaption/em[@class='mine']");
	cr_assert_str_eq(s, "招生情况", "%s", b.data);
	free(s);
	cr_assert_eq(t_count(doc, "//span[@class='num']"), 0, "%s", b.data);
	xmlFreeDoc(doc);
	sg_buf_clear(&b);
	/* Parts the theme never mentions are there too. */
	cr_assert_eq(sg_theme_part(t, "case-card", v, &b, &d), 0);
	cr_assert(strstr(b.data, "<aside class=\"case-card\""), "%s", b.data);
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
	sg_rm_rf(dir);
	free(dir);
}

/* The built-in theme has every part the Markdown renderer asks for. */
Test(parts, built_in_theme_has_the_renderer_s_parts)
{
	static const char *const names[] = {"heading", "figure",
	    "figure-missing", "figure-table", "data-table", "pipe-table",
	    "table-block", "case-section", "case-card", "tags", NULL};
	const struct sg_theme *t = sg_theme_builtin();
	struct sg_diag d = {0};

	cr_assert_not_null(t);
	cr_assert_eq(t, sg_theme_builtin());
	for (size_t i = 0; names[i]; i++) {
		struct sg_vars *v = sg_vars_new();
		struct sg_buf b = {0};
		cr_assert_eq(sg_theme_part(t, names[i], v, &b, &d), 0, "%s",
		    names[i]);
		sg_buf_clear(&b);
		sg_vars_free(v);
	}
	cr_assert_eq(d.n, 0);
}

/* The bound on repetition grows with the items given: a table of 60,000
 * cells renders whole, a list nested in itself is still refused. */
Test(parts, long_tables_render_runaway_lists_do_not, .timeout = 60)
{
	struct sg_theme *t = sg_theme_new("th");
	struct sg_vars *v = sg_vars_new();
	struct sg_buf b = {0};
	struct sg_diag d = {0};
	size_t cells = 0;

	add(t, "parts/t", "<table><tr data-sg-each=\"rows\"><td "
	    "data-sg-each=\"cells\" data-sg-text=\"x\"></td></tr></table>");
	add(t, "parts/loop", "<ul><li data-sg-each=\"rows\"><ul><li "
	    "data-sg-each=\"rows\"><ul><li data-sg-each=\"rows\" "
	    "data-sg-text=\"x\"></li></ul></li></ul></li></ul>");
	for (int i = 0; i < 20000; i++) {
		struct sg_vars *row = sg_vars_item(v, "rows");
		for (int j = 0; j < 3; j++)
			sg_vars_text(sg_vars_item(row, "cells"), "x", "1");
	}
	cr_assert_eq(sg_theme_part(t, "t", v, &b, &d), 0);
	for (const char *p = b.data; (p = strstr(p, "<td>1</td>")); p++)
		cells++;
	cr_assert_eq(cells, 60000);
	sg_buf_clear(&b);
	cr_assert_eq(sg_theme_part(t, "loop", v, &b, &d), -1);
	cr_assert(t_has(&d, SG_ERROR, 0, "repeats elements more than"));
	cr_assert_eq(b.len, 0);
	sg_buf_clear(&b);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}
