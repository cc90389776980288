/*
 * End to end: what the pages give a reader beyond the text (issue 18) —
 * the cover's order, phone numbers as tel: links, the site icon from
 * site.yml or an empty one, ratios written N:1, headings without skipped
 * levels, missing figures as their caption, regions and landmarks named
 * once, and the topic filter folded when there are many topics.  Pages are
 * read back with libxml2.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xpath.h>

#include "helpers.h"
#include "util.h"

TestSuite(e2e_readers, .init = t_init, .timeout = 120);

/* Position of the first node matching xpath in document order (1-based
 * count of preceding elements), or 0 if none. */
static int
order(htmlDocPtr doc, const char *xpath)
{
	char *xp = sg_xasprintf("count((%s)[1]/preceding::*)", xpath);
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xp, ctx);
	int n = t_count(doc, xpath) ? (int)o->floatval + 1 : 0;

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	free(xp);
	return n;
}

Test(e2e_readers, cover_lists_the_contents_before_statement_and_preface)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "2024/index.html");
	int h1 = order(doc, "//h1"), toc = order(doc, "//nav[@class='toc']");
	int st = order(doc, "//section[@class='statement']");
	int pre = order(doc, "//section[@class='preface']");
	int figs = order(doc, "//h2[@id='figs-h']");

	cr_assert(h1 && toc && st && pre && figs);
	cr_assert(h1 < toc && toc < figs && figs < st && st < pre,
	    "h1 %d toc %d figures %d statement %d preface %d", h1, toc, figs,
	    st, pre);
	/* A jump to the contents from the top; the sections of the eight
	 * chapters that have them and the three lists folded. */
	cr_assert_eq(t_count(doc, "//header[@class='cover']//a[@href='#toc-h']"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='toc']//li/details[not(@open)]"
	    "/ol[@class='toc-sections']"), 8);
	cr_assert_eq(t_count(doc, "//section[@class='lists']/details[not(@open)]"), 3);
	/* The statement without spaces around the school's name. */
	char *s = t_text(doc, "//section[@class='statement']/p[1]");
	cr_assert(strstr(s, "学校对乐清市总工会职业技术学校质量年度报告"), "%s", s);
	free(s);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

Test(e2e_readers, phones_are_tel_links_and_pages_have_an_empty_icon)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "2024/02-talent/index.html");

	cr_assert_eq(t_count(doc, "//footer//a[starts-with(@href, 'tel:')]"), 4);
	cr_assert_eq(t_count(doc, "//footer//a[@href='tel:62072957' and .='62072957']"), 1);
	cr_assert_eq(t_count(doc, "//footer//a[@href='mailto:yzzjxoffice@163.com']"), 1);
	/* No icon in site.yml: an empty one, so no request for /favicon.ico. */
	cr_assert_eq(t_count(doc, "//head/link[@rel='icon' and @href='data:,']"), 1);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

Test(e2e_readers, site_icon_is_copied_and_linked)
{
	char *dir = t_copy_example();
	char *yml = sg_xasprintf("%s/site.yml", dir);
	char *text = t_read(yml, NULL);
	char *more = sg_xasprintf("%sicon: content/icon.png\n", text);
	static const char png[] = "\x89PNG\r\n\x1a\n";

	t_write(dir, "site.yml", more);
	t_write(dir, "content/icon.png", png);
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "2024/cases/1/index.html");
	cr_assert_eq(t_count(doc, "//head/link[@rel='icon' and "
	    "@href='../../../favicon.png']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "404.html");
	cr_assert_eq(t_count(doc, "//head/link[@rel='icon' and "
	    "@href='/zlnb/favicon.png']"), 1);
	xmlFreeDoc(doc);
	char *fav = sg_xasprintf("%s/favicon.png", pub);
	size_t len;
	char *got = t_read(fav, &len);
	cr_assert(got && len == strlen(png) && memcmp(got, png, len) == 0);
	free(got);
	free(fav);
	free(pub);

	/* An icon that is not there: a warning at its line, the empty icon. */
	char *bad = sg_xasprintf("%sicon: content/nope.png\n", text);
	t_write(dir, "site.yml", bad);
	char *err = NULL;
	char *args = sg_xasprintf("-C %s build --force", dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	cr_assert(strstr(err, "site.yml:") && strstr(err, "warning: icon "
	    "'content/nope.png' is not a file in the site folder"), "%s", err);
	pub = sg_xasprintf("%s/public", dir);
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//head/link[@rel='icon' and @href='data:,']"), 1);
	xmlFreeDoc(doc);
	free(err);
	free(args);
	free(bad);
	free(pub);
	free(more);
	free(text);
	free(yml);
	free(dir);
}

Test(e2e_readers, ratios_are_written_n_to_1)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "2024/indicators/index.html");

	/* The CSV says 19.10 and 18.10. */
	cr_assert_eq(t_count(doc, "//tr[th[starts-with(., '生师比')]]"
	    "/td[@class='n' and .='19.1:1']"), 1);
	cr_assert_eq(t_count(doc, "//tr[th[starts-with(., '生师比')]]"
	    "/td[@class='n' and @data-label='2024 年' and .='18.1:1']"), 1);
	cr_assert_eq(t_count(doc, "//tr[th[starts-with(., '生师比')]]//svg/"
	    "*[local-name()='title' and contains(., '2024 年 18.1:1')]"), 1);
	/* Every value cell says which column it is in. */
	cr_assert_eq(t_count(doc, "//table[contains(@class, 'ind-table')]//tbody"
	    "//td[not(@data-label) and not(@class='no')]"), 0);
	/* The core mark is kept with the name's last character. */
	cr_assert_eq(t_count(doc, "//th[starts-with(., '毕业生人数')]"
	    "/span[@class='core-end' and .='数*']"), 1);
	cr_assert_eq(t_count(doc, "//th[.//span[@class='core']]"
	    "[not(span[@class='core-end'])]"), 0);
	cr_assert_gt(t_count(doc, "//svg[contains(@class, 'chart-spark')]/"
	    "*[local-name()='text' and contains(@class, 'year-mark') and .='2024']"), 10);
	xmlFreeDoc(doc);
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//li[p[@class='fig-label' and .='生师比']]"
	    "//span[@class='num' and .='18.1:1']"), 1);
	/* No template spaces around the values of a sentence. */
	char *note = t_text(doc, "(//p[@class='fig-note'])[1]");
	cr_assert(strncmp(note, "按毕业生", strlen("按毕业生")) == 0, "%s", note);
	free(note);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

Test(e2e_readers, headings_regions_and_missing_figures)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	/* Case 2 has only ### headings: on its page they are h2. */
	htmlDocPtr doc = t_page(pub, "2024/cases/2/index.html");
	cr_assert_eq(t_count(doc, "//main//h3"), 0);
	cr_assert_eq(t_count(doc, "//main//div[@class='prose']/h2"), 2);
	xmlFreeDoc(doc);
	/* In the print view it stays below its case's h3. */
	doc = t_page(pub, "2024/print/index.html");
	cr_assert_eq(t_count(doc, "//section[@id='case-2']/h4"), 2);
	xmlFreeDoc(doc);

	doc = t_page(pub, "2024/02-talent/index.html");
	/* A missing image: the caption alone, no placeholder box. */
	cr_assert_gt(t_count(doc, "//figure[contains(@class, 'figure-missing')]"), 5);
	cr_assert_eq(t_count(doc, "//figure[contains(@class, 'figure-missing')]"
	    "/*[not(self::figcaption)]"), 0);
	/* Every table region is named, by its own caption. */
	cr_assert_eq(t_count(doc, "//*[@role='region' and @aria-label='表格']"), 0);
	cr_assert_gt(t_count(doc, "//figure[contains(@class, 'figure-table')]"
	    "/div[@role='region' and @aria-labelledby=../figcaption/@id]"), 1);
	xmlFreeDoc(doc);

	/* Indicator sections are no landmarks beside their table regions. */
	doc = t_page(pub, "2024/indicators/index.html");
	cr_assert_eq(t_count(doc, "//section[@class='indicator' and @aria-labelledby]"), 0);
	cr_assert_eq(t_count(doc, "//div[@role='region' and @aria-labelledby='ind-1-h']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "indicators/index.html");
	cr_assert_eq(t_count(doc, "//section[@class='indicator' and @aria-labelledby]"), 0);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

Test(e2e_readers, many_topics_fold_into_one_control)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "cases/index.html");

	/* Six cases, 14 topics. */
	cr_assert_eq(t_count(doc, "//nav[@aria-label='按主题筛选']/details"
	    "[@class='filter-fold' and not(@open)]//a[@data-tag]"), 15);
	cr_assert_eq(t_count(doc, "//nav[@aria-label='按主题筛选']/div"), 0);
	xmlFreeDoc(doc);
	/* A topic's page names the topic chosen in the closed control. */
	doc = t_page(pub, "cases/tags/德育/index.html");
	char *now = t_text(doc, "//details[@class='filter-fold']//span[@class='filter-now']");
	cr_assert_str_eq(now, "德育");
	free(now);
	xmlFreeDoc(doc);
	free(pub);

	/* Few topics: the links as they are. */
	char *small = t_tmpdir();
	t_minimal_site(small);
	t_write(small, "content/2024/cases/01-k.md", "---\ntitle: 案\n"
	    "tags: [甲, 乙]\n---\n正文。\n");
	t_write(small, "content/2024/01-a.md", "---\ntitle: 章\n---\n"
	    "[案例](cases/01-k.md)\n");
	char *opts = sg_xasprintf("--theme '%s/themes/default'", t_root());
	pub = t_build(small, opts);
	free(opts);
	doc = t_page(pub, "cases/index.html");
	cr_assert_eq(t_count(doc, "//details[@class='filter-fold']"), 0);
	cr_assert_eq(t_count(doc, "//nav[@aria-label='按主题筛选']/div//a[@data-tag]"), 3);
	xmlFreeDoc(doc);
	free(pub);
	free(small);
	free(dir);
}
