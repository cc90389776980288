/* Template filling: text is escaped by construction, lists and conditions. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "theme.h"
#include "util.h"

TestSuite(theme, .init = t_init);

static struct sg_theme *
theme(const char *page)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_theme *t;

	t_write(dir, "layout.html", "<!DOCTYPE html><html lang=\"zh-CN\"><head>"
	    "<meta charset=\"utf-8\"><title data-sg-text=\"title\">x</title>"
	    "</head><body><main data-sg-slot=\"main\"></main></body></html>");
	t_write(dir, "page.html", page);
	t = sg_theme_load(dir, &d);
	cr_assert_not_null(t);
	sg_diag_clear(&d);
	free(dir);
	return t;
}

Test(theme, text_is_escaped_and_utf8)
{
	struct sg_theme *t = theme("<h1 data-sg-text=\"title\">x</h1>"
	    "<a href=\"#\" data-sg-attr-href=\"url\" data-sg-text=\"title\"></a>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;

	sg_vars_text(v, "title", "<script>alert(\"学校\")</script> & 案例");
	sg_vars_text(v, "url", "a\"onmouseover=\"x");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert_null(strstr(html, "<script>"));
	cr_assert(strstr(html, "&lt;script&gt;alert(\"学校\")&lt;/script&gt; "
	    "&amp; 案例"), "%s", html);
	/* libxml2 percent-encodes the quote in a URL attribute. */
	cr_assert(strstr(html, "href=\"a%22onmouseover=%22x\""), "%s", html);
	cr_assert(strstr(html, "<!DOCTYPE html>"));
	cr_assert_null(strstr(html, "data-sg-"));
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

Test(theme, each_if_unless_and_html)
{
	struct sg_theme *t = theme("<ul><li data-sg-each=\"items\" "
	    "data-sg-text=\"name\"></li></ul><p data-sg-if=\"none\">gone</p>"
	    "<p data-sg-unless=\"none\">kept</p><div data-sg-html=\"body\"></div>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;

	sg_vars_text(sg_vars_item(v, "items"), "name", "一");
	sg_vars_text(sg_vars_item(v, "items"), "name", "二");
	sg_vars_html(v, "body", "<figure id=\"f\"><figcaption>图</figcaption>"
	    "</figure>");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert(strstr(html, "<ul><li>一</li><li>二</li></ul>"), "%s", html);
	cr_assert_null(strstr(html, "gone"));
	cr_assert(strstr(html, "<p>kept</p>"));
	cr_assert(strstr(html, "<figure id=\"f\"><figcaption>图</figcaption>"
	    "</figure>"), "%s", html);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* data-sg-bare writes what an element holds without its tags: text,
 * a condition and a list that stand in the text around them. */
Test(theme, bare_writes_only_the_content_with_conditions_and_lists)
{
	struct sg_theme *t = theme("<p>甲<span data-sg-bare "
	    "data-sg-text=\"a\" class=\"x\"></span>乙<b data-sg-bare "
	    "data-sg-if=\"on\">开</b><b data-sg-bare data-sg-unless=\"on\">"
	    "关</b><span data-sg-bare data-sg-each=\"lines\"><span "
	    "data-sg-bare data-sg-text=\"line\"></span><br data-sg-if=\"br\">"
	    "</span>丙</p>");
	struct sg_vars *v = sg_vars_new(), *it;
	struct sg_diag d = {0};
	size_t len;
	char *html;

	sg_vars_text(v, "a", "<值>");
	sg_vars_text(v, "on", "1");
	it = sg_vars_item(v, "lines");
	sg_vars_text(it, "line", "一");
	sg_vars_text(it, "br", "1");
	sg_vars_text(sg_vars_item(v, "lines"), "line", "二");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert(strstr(html, "<p>甲&lt;值&gt;乙开一<br>二丙</p>"), "%s", html);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

Test(theme, missing_layout_is_an_error)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};

	t_write(dir, "page.html", "<p>x</p>");
	cr_assert_null(sg_theme_load(dir, &d));
	cr_assert(t_has(&d, SG_ERROR, 0, "no layout.html"));
	sg_diag_clear(&d);
	free(dir);
}

/* A list inside a list of the same name repeats per item; a template that
 * asks for exponentially many copies is refused, quickly. */
Test(theme, runaway_repetition_is_an_error, .timeout = 10)
{
	struct sg_theme *t = theme("<ul><li data-sg-each=\"items\"><ul><li "
	    "data-sg-each=\"items\"><ul><li data-sg-each=\"items\"><ul><li "
	    "data-sg-each=\"items\" data-sg-text=\"name\"></li></ul></li></ul>"
	    "</li></ul></li></ul>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;

	for (int i = 0; i < 40; i++)
		sg_vars_text(sg_vars_item(v, "items"), "name", "x");
	cr_assert_null(sg_theme_render(t, "page", v, &len, &d));
	cr_assert(t_has(&d, SG_ERROR, 0, "repeats elements more than"));
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* A data-sg-attr-X value replaces the template's X in place and leaves it
 * when unset; an X the template lacks is added; void elements stay void. */
Test(theme, attributes_in_place_and_defaults)
{
	struct sg_theme *t = theme("<a class=\"k\" href=\"d/\" title=\"t\" "
	    "data-sg-attr-href=\"u\" data-sg-attr-rel=\"rel\">x</a>"
	    "<a href=\"keep/\" data-sg-attr-href=\"unset\">y</a>"
	    "<img src=\"a.png\" alt=\"\" data-sg-attr-alt=\"alt\">"
	    "<ol><li data-sg-each=\"items\" data-sg-if=\"name\" "
	    "data-sg-text=\"name\"></li></ol>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;

	sg_vars_text(v, "u", "案例/1/");
	sg_vars_text(v, "rel", "next");
	sg_vars_text(v, "alt", "图 & 表");
	sg_vars_text(sg_vars_item(v, "items"), "name", "一");
	sg_vars_item(v, "items");
	sg_vars_text(sg_vars_item(v, "items"), "name", "三");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert_eq(len, strlen(html));
	cr_assert(strstr(html, "<a class=\"k\" href=\"%E6%A1%88%E4%BE%8B/1/\" "
	    "title=\"t\" rel=\"next\">x</a>"), "%s", html);
	cr_assert(strstr(html, "<a href=\"keep/\">y</a>"), "%s", html);
	cr_assert(strstr(html, "<img src=\"a.png\" alt=\"图 &amp; 表\">"),
	    "%s", html);
	cr_assert_null(strstr(html, "</img>"));
	/* The item without a name is dropped by its own data-sg-if. */
	cr_assert(strstr(html, "<ol><li>一</li><li>三</li></ol>"), "%s", html);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

Test(theme, layout_without_slot_is_an_error)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};

	t_write(dir, "layout.html", "<!DOCTYPE html><html><body><main></main>"
	    "</body></html>");
	t_write(dir, "page.html", "<p>x</p>");
	cr_assert_null(sg_theme_load(dir, &d));
	cr_assert(t_has(&d, SG_ERROR, 0, "no data-sg-slot"));
	sg_diag_clear(&d);
	free(dir);
}

/* A data-sg-slot in a page template is not a second way into the page
 * (that would render it inside itself without end). */
Test(theme, slot_in_page_stays_empty, .timeout = 10)
{
	struct sg_theme *t = theme("<p>a</p><div data-sg-slot=\"main\">"
	    "<p>b</p></div>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;

	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert(strstr(html, "<main><p>a</p><div></div></main>"), "%s", html);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* One allowlist for every URL attribute: a value of javascript:… leaves
 * no attribute at all. */
Test(theme, url_attributes_go_through_the_allowlist)
{
	struct sg_theme *t = theme("<a class=\"w\" href=\"#\" "
	    "data-sg-attr-href=\"website\">w</a><a class=\"c\" "
	    "data-sg-attr-href=\"chapter\">c</a><img alt=\"\" "
	    "data-sg-attr-src=\"pic\"><a class=\"m\" "
	    "data-sg-attr-href=\"mail\">m</a><a class=\"j\" "
	    "data-sg-attr-href=\"raw\">j</a><form><button "
	    "data-sg-attr-formaction=\"raw\">b</button></form>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;

	sg_vars_text(v, "website", "java\tscript:alert(1)");
	char *rel = sg_path_rel("2024/", "2024/javascript:alert(1)/");
	sg_vars_text(v, "chapter", rel);
	free(rel);
	sg_vars_text(v, "raw", "javascript:alert(1)/");
	sg_vars_text(v, "pic", "data:image/svg+xml,<svg onload=alert(1)>");
	sg_vars_text(v, "mail", "mailto:a@b.cn");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	htmlDocPtr doc = htmlReadMemory(html, (int)len, "x.html", "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	cr_assert_eq(t_count(doc, "//a[@class='w'][@href]"), 0, "%s", html);
	cr_assert_eq(t_count(doc, "//img[@src]"), 0, "%s", html);
	cr_assert_eq(t_count(doc, "//a[@class='j'][@href]"), 0, "%s", html);
	cr_assert_eq(t_count(doc, "//button[@formaction]"), 0, "%s", html);
	char *c = t_text(doc, "//a[@class='c']/@href");
	cr_assert_str_eq(c, "./javascript:alert(1)/", "%s", html);
	free(c);
	c = t_text(doc, "//a[@class='m']/@href");
	cr_assert_str_eq(c, "mailto:a@b.cn");
	free(c);
	xmlFreeDoc(doc);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}

/* pdf.html: a whole document of its own (head and all), not put in the
 * layout, and its marker attribute does not reach the output. */
Test(theme, document_template_is_not_put_in_the_layout)
{
	struct sg_theme *t = theme("<!DOCTYPE html><html lang=\"zh-CN\" "
	    "data-sg-document><head><meta charset=\"utf-8\"><title "
	    "data-sg-text=\"title\">x</title><link rel=\"stylesheet\" href=\"\" "
	    "data-sg-attr-href=\"css\"></head><body><h1 data-sg-text=\"title\">"
	    "</h1></body></html>");
	struct sg_vars *v = sg_vars_new();
	struct sg_diag d = {0};
	size_t len;
	char *html;
	htmlDocPtr doc;

	sg_vars_text(v, "title", "报告");
	sg_vars_text(v, "css", "../assets/pdf.css");
	html = sg_theme_render(t, "page", v, &len, &d);
	cr_assert_not_null(html);
	cr_assert(strncmp(html, "<!DOCTYPE html>", 15) == 0, "%s", html);
	cr_assert_null(strstr(html, "data-sg-"), "%s", html);
	doc = htmlReadMemory(html, (int)len, "p.html", "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_eq(t_count(doc, "//main"), 0, "%s", html);
	cr_assert_eq(t_count(doc, "//title[.='报告']"), 1);
	cr_assert_eq(t_count(doc, "//h1[.='报告']"), 1);
	cr_assert_eq(t_count(doc, "//link[@href='../assets/pdf.css']"), 1);
	cr_assert_eq(t_count(doc, "//html"), 1);
	cr_assert(sg_theme_has(t, "page") && !sg_theme_has(t, "pdf"));
	xmlFreeDoc(doc);
	free(html);
	sg_vars_free(v);
	sg_theme_free(t);
	sg_diag_clear(&d);
}
