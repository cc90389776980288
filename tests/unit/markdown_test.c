/* Numbering, anchors, captions, case cards, CSV tables and safe mode. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "load.h"
#include "markdown.h"
#include "sg.h"
#include "source.h"
#include "util.h"

TestSuite(markdown, .init = t_init);

struct fx {
	char		*dir;
	struct sg_source *src;
	struct sg_site	*site;
	struct sg_diag	 d;
};

static void
fx_load(struct fx *f)
{
	memset(&f->d, 0, sizeof(f->d));
	f->site = t_load(f->dir, &f->src, &f->d);
}

static void
fx_free(struct fx *f)
{
	sg_load_free(f->site);
	sg_source_free(f->src);
	sg_diag_clear(&f->d);
	free(f->dir);
}

static char *
render(struct fx *f, size_t chapter, const char *page)
{
	struct sg_report *r = &f->site->reports[0];

	return sg_md_render(f->site, r, &r->chapters[chapter].doc, page,
	    SG_MD_CARDS);
}

static void
numbered_site(struct fx *f)
{
	f->dir = t_tmpdir();
	t_minimal_site(f->dir);
	t_write(f->dir, "content/2024/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "## （一）学校概况\n\n正文。\n\n"
	    "![](images/1-1.jpg \"校园全景\")\n\n"
	    "[基本办学指标](tables/basic.csv)\n\n统计时间：2024 年 12 月\n");
	t_write(f->dir, "content/2024/02-b.md", "---\ntitle: 人才培养\n---\n"
	    "![](images/2-1.jpg \"第一图\")\n\n"
	    "[案例 1](cases/01-k.md)\n\n"
	    "![](images/2-3.jpg \"第三图\")\n\n"
	    "表：毕业生统计\n\n| 届 | 人数 |\n|---|--:|\n| 2024 | 592 |\n\n"
	    "数据来源：教务处\n");
	t_write(f->dir, "content/2024/cases/01-k.md", "---\ntitle: 禁毒竞赛\n"
	    "tags: [禁毒教育, 德育]\nsummary: 获三等奖。\n---\n"
	    "![](../images/2-2.jpg \"案例中的图\")\n");
	t_write(f->dir, "content/2024/tables/basic.csv",
	    "序号,指标,现有条件\n1,生师比,18:1\n2,\"占地面积, 平方米\",61562\n");
	t_write(f->dir, "content/2024/images/1-1.jpg", "jpg");
	fx_load(f);
}

Test(markdown, figures_and_tables_numbered_per_chapter_with_cases_in_place)
{
	struct fx f;
	struct sg_report *r;

	numbered_site(&f);
	r = &f.site->reports[0];
	cr_assert_eq(r->nfigures, 4);
	cr_assert_str_eq(r->figures[0].label, "图 1-1");
	cr_assert_str_eq(r->figures[1].label, "图 2-1");
	cr_assert_str_eq(r->figures[2].label, "图 2-2");
	cr_assert_str_eq(r->figures[2].caption, "案例中的图");
	cr_assert_str_eq(r->figures[2].page, "2024/cases/1/");
	cr_assert_str_eq(r->figures[3].label, "图 2-3");
	cr_assert_eq(r->nreftables, 2);
	cr_assert_str_eq(r->reftables[0].label, "表 1-1");
	cr_assert_str_eq(r->reftables[0].caption, "基本办学指标");
	cr_assert_str_eq(r->reftables[1].label, "表 2-1");
	cr_assert_str_eq(r->reftables[1].caption, "毕业生统计");
	cr_assert_eq(r->cases[0].chapter, 1);
	fx_free(&f);
}

Test(markdown, missing_image_is_reported_and_still_captioned)
{
	struct fx f;
	char *html;

	numbered_site(&f);
	cr_assert(t_has(&f.d, SG_WARNING, 4, "missing image 'images/2-1.jpg'"));
	cr_assert(!t_has(&f.d, SG_WARNING, 0, "images/1-1.jpg"));
	html = render(&f, 1, "2024/02-b/");
	cr_assert(strstr(html, "<figure class=\"figure figure-missing\" "
	    "id=\"fig-2-1\">"));
	cr_assert(strstr(html, "<span class=\"num\">图 2-1</span> 第一图"));
	free(html);
	html = render(&f, 0, "2024/01-a/");
	cr_assert(strstr(html, "<img src=\"../images/1-1.jpg\""), "%s", html);
	free(html);
	fx_free(&f);
}

Test(markdown, csv_link_becomes_captioned_table_with_note)
{
	struct fx f;
	char *html;

	numbered_site(&f);
	html = render(&f, 0, "2024/01-a/");
	cr_assert(strstr(html, "<caption id=\"tbl-1-1-cap\"><span class=\"num\">"
	    "表 1-1</span> 基本办学指标</caption>"), "%s", html);
	cr_assert(strstr(html, "<th scope=\"col\">指标</th>"));
	cr_assert(strstr(html, "<td>占地面积, 平方米</td>"));
	cr_assert(strstr(html, "<p class=\"table-note\">统计时间：2024 年 12 月</p>"));
	cr_assert(strstr(html, "href=\"../tables/basic.csv\""));
	/* The note paragraph is not repeated outside the table. */
	cr_assert_null(strstr(strstr(html, "统计时间") + 1, "统计时间"));
	free(html);
	fx_free(&f);
}

Test(markdown, pipe_table_caption_and_scope)
{
	struct fx f;
	char *html;

	numbered_site(&f);
	html = render(&f, 1, "2024/02-b/");
	cr_assert(strstr(html, "<span class=\"num\">表 2-1</span> 毕业生统计"
	    "</caption>"), "%s", html);
	cr_assert(strstr(html, "<th scope=\"col\">届</th>"));
	cr_assert(strstr(html, "<td class=\"n\">592</td>"));
	cr_assert(strstr(html, "<p class=\"table-note\">数据来源：教务处</p>"));
	cr_assert_null(strstr(html, "<p>表："));
	free(html);
	fx_free(&f);
}

Test(markdown, case_link_becomes_card_and_inline_in_print)
{
	struct fx f;
	struct sg_report *r;
	char *html;

	numbered_site(&f);
	r = &f.site->reports[0];
	html = render(&f, 1, "2024/02-b/");
	cr_assert(strstr(html, "<aside class=\"case-card\""));
	cr_assert(strstr(html, "<a href=\"../cases/1/\">禁毒竞赛</a>"));
	cr_assert(strstr(html, "获三等奖。"));
	/* Percent-encoded, as cmark writes a link's URL. */
	cr_assert(strstr(html, "href=\"../../cases/tags/"
	    "%E7%A6%81%E6%AF%92%E6%95%99%E8%82%B2/\""), "%s", html);
	cr_assert_null(strstr(html, "[案例 1]"));
	free(html);
	html = sg_md_render(f.site, r, &r->chapters[1].doc, "2024/print/",
	    SG_MD_INLINE);
	cr_assert(strstr(html, "<section class=\"case\" id=\"case-1\""));
	cr_assert(strstr(html, "图 2-2</span> 案例中的图"));
	free(html);
	fx_free(&f);
}

/* A page's HTML is made while the document is parsed, its numbers filled
 * in later; asked for again, or for a page the parse did not foresee, the
 * document is parsed again: the same HTML either way. */
Test(markdown, html_made_at_parse_is_the_html_of_a_parse_again)
{
	struct fx f;
	struct sg_report *r;
	char *first, *again;

	numbered_site(&f);
	r = &f.site->reports[0];
	for (size_t i = 0; i < r->nchapters; i++) {
		first = render(&f, i, r->chapters[i].doc.page);
		again = render(&f, i, r->chapters[i].doc.page);
		cr_assert(strstr(first, i ? "图 2-3" : "表 1-1"), "%s", first);
		cr_assert_null(strchr(first, '\xff'), "%s", first);
		cr_assert_str_eq(first, again);
		free(first);
		free(again);
	}
	first = sg_md_render(f.site, r, &r->chapters[1].doc, "2024/print/",
	    SG_MD_INLINE);
	again = sg_md_render(f.site, r, &r->chapters[1].doc, "2024/print/",
	    SG_MD_INLINE);
	cr_assert(strstr(first, "图 2-2</span> 案例中的图"), "%s", first);
	cr_assert_null(strchr(first, '\xff'), "%s", first);
	cr_assert_str_eq(first, again);
	free(first);
	free(again);
	fx_free(&f);
}

Test(markdown, heading_anchors_are_stable_and_unique)
{
	struct fx f;
	struct sg_doc *doc;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "## （一）学校概况\n\n### 1. Hello, World!\n\n## （一）学校概况\n\n"
	    "## ！！\n");
	fx_load(&f);
	doc = &f.site->reports[0].chapters[0].doc;
	cr_assert_eq(doc->nheads, 4);
	cr_assert_str_eq(doc->heads[0].id, "一学校概况");
	cr_assert_str_eq(doc->heads[1].id, "1-hello-world");
	cr_assert_str_eq(doc->heads[2].id, "一学校概况-2");
	cr_assert_str_eq(doc->heads[3].id, "section");
	char *html = render(&f, 0, "2024/01-a/");
	cr_assert(strstr(html, "<h2 id=\"一学校概况\">（一）学校概况</h2>"), "%s",
	    html);
	free(html);
	fx_free(&f);
}

Test(markdown, slug_rules)
{
	char *s;

	s = sg_md_slug("（三）教师队伍");
	cr_assert_str_eq(s, "三教师队伍");
	free(s);
	s = sg_md_slug("  A  B—C ");
	cr_assert_str_eq(s, "a-b-c");
	free(s);
}

Test(markdown, raw_html_and_script_urls_do_not_reach_the_output)
{
	struct fx f;
	char *html;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "<script>alert(1)</script>\n\n正文<img src=x onerror=alert(1)>。\n\n"
	    "[点我](javascript:alert(1)) [链接](vbscript:x) "
	    "![图](data:text/html;base64,PHNjcmlwdD4=)\n\n"
	    "<iframe src=\"https://evil.example/\"></iframe>\n");
	fx_load(&f);
	html = render(&f, 0, "2024/01-a/");
	cr_assert_null(strstr(html, "<script"));
	cr_assert_null(strstr(html, "onerror"));
	cr_assert_null(strstr(html, "javascript:"));
	cr_assert_null(strstr(html, "vbscript:"));
	cr_assert_null(strstr(html, "data:text/html"));
	cr_assert_null(strstr(html, "<iframe"));
	/* What is not dangerous stays, read back with libxml2: the text
	 * around the raw HTML, and the links as text without their URLs
	 * (an empty page would pass the absences above). */
	htmlDocPtr doc = htmlReadMemory(html, (int)strlen(html), "a.html",
	    "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET);
	cr_assert_not_null(doc);
	cr_assert_eq(t_count(doc, "//p[starts-with(normalize-space(.), "
	    "'正文')][contains(., '。')]"), 1, "%s", html);
	cr_assert_eq(t_count(doc, "//a[.='点我']"), 1, "%s", html);
	cr_assert_eq(t_count(doc, "//a[.='链接']"), 1, "%s", html);
	cr_assert_eq(t_count(doc, "//a[@href!='']"), 0, "%s", html);
	cr_assert_eq(t_count(doc, "//script | //iframe | //*[@onerror]"), 0);
	xmlFreeDoc(doc);
	free(html);
	fx_free(&f);
}

Test(markdown, autolink_stops_at_chinese_text)
{
	struct fx f;
	char *html;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "学校网站 https://yqzghzx.yqer.cn/abc，欢迎访问。\n");
	fx_load(&f);
	html = render(&f, 0, "2024/01-a/");
	cr_assert(strstr(html, "<a href=\"https://yqzghzx.yqer.cn/abc\">"
	    "https://yqzghzx.yqer.cn/abc</a>，欢迎访问。"), "%s", html);
	free(html);
	fx_free(&f);
}

Test(markdown, broken_links_are_errors_with_line)
{
	struct fx f;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "见[第二章](02-nope.md)。\n\n[表](tables/nope.csv)\n\n"
	    "[外部](../../../etc/passwd) [绝对](/etc/passwd)\n");
	fx_load(&f);
	cr_assert(t_has(&f.d, SG_ERROR, 4, "broken link '02-nope.md'"));
	cr_assert(t_has(&f.d, SG_ERROR, 6, "broken link 'tables/nope.csv'"));
	cr_assert(t_has(&f.d, SG_ERROR, 8, "points outside the report's folder"));
	cr_assert(t_has(&f.d, SG_ERROR, 8, "is an absolute path"));
	fx_free(&f);
}

Test(markdown, links_between_chapters_are_rewritten)
{
	struct fx f;
	char *html;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "见[第二章](02-b.md#xyz)。\n");
	t_write(f.dir, "content/2024/02-b.md", "---\ntitle: b\n---\n正文\n");
	fx_load(&f);
	cr_assert_eq(f.d.n, 0);
	html = render(&f, 0, "2024/01-a/");
	cr_assert(strstr(html, "<a href=\"../02-b/#xyz\">第二章</a>"), "%s", html);
	free(html);
	fx_free(&f);
}

Test(markdown, case_numbers_duplicate_and_missing)
{
	struct fx f;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/cases/01-a.md", "---\ntitle: a\n---\nx\n");
	t_write(f.dir, "content/2024/cases/01-b.md", "---\ntitle: b\n---\nx\n");
	t_write(f.dir, "content/2024/cases/x.md", "---\ntitle: c\n---\nx\n");
	fx_load(&f);
	cr_assert(t_has(&f.d, SG_ERROR, 1, "case number 1 is also used by"));
	cr_assert(t_has(&f.d, SG_ERROR, 1, "case has no number"));
	cr_assert(t_has(&f.d, SG_WARNING, 1, "is not linked from any chapter"));
	fx_free(&f);
}

/* Pathological: de-duplication was cubic (2,000 headings took 18 s). */
Test(markdown, many_identical_headings_get_unique_anchors_fast, .timeout = 10)
{
	struct sg_buf b = {0};
	struct fx f;
	struct sg_doc *doc;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&b, "---\ntitle: a\n---\n## 同-3\n\n");
	for (int i = 0; i < 5000; i++)
		sg_buf_puts(&b, "## 同\n\n");
	sg_buf_puts(&b, "## 同-2\n\n");
	t_write(f.dir, "content/2024/01-a.md", b.data);
	sg_buf_clear(&b);
	fx_load(&f);
	doc = &f.site->reports[0].chapters[0].doc;
	cr_assert_eq(doc->nheads, 5002);
	cr_assert_str_eq(doc->heads[0].id, "同-3");
	cr_assert_str_eq(doc->heads[1].id, "同");
	cr_assert_str_eq(doc->heads[2].id, "同-2");
	cr_assert_str_eq(doc->heads[3].id, "同-4");
	cr_assert_str_eq(doc->heads[5000].id, "同-5001");
	cr_assert_str_eq(doc->heads[5001].id, "同-2-2");
	fx_free(&f);
}
