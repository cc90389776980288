/*
 * End to end: long case listings are split into pages of 100 cards —
 * /cases/, each tag's and each year's — with a navigation of page links
 * (rel=prev/next, aria-current on the page shown), the counts, and every
 * case on exactly one page of each listing it belongs to.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

TestSuite(pagination, .init = t_init, .timeout = 180);

/* A site of n cases in 2024 (every one tagged 甲, every second also 乙)
 * and old ones in 2023. */
static char *
site(int n, int old)
{
	char *dir = t_tmpdir();
	struct sg_buf ch = {0};

	t_minimal_site(dir);
	sg_buf_puts(&ch, "---\ntitle: 学校情况\n---\n正文。\n\n");
	for (int i = 1; i <= n; i++) {
		char *rel = sg_xasprintf("content/2024/cases/%04d-k.md", i);
		char *md = sg_xasprintf("---\ntitle: 案例标题%d\ntags: [%s]\n"
		    "summary: 摘要%d。\n---\n正文%d。\n", i, i % 2 ? "甲, 乙" : "甲",
		    i, i);
		t_write(dir, rel, md);
		sg_buf_printf(&ch, "[案例](cases/%04d-k.md)\n\n", i);
		free(md);
		free(rel);
	}
	t_write(dir, "content/2024/01-a.md", ch.data);
	sg_buf_clear(&ch);
	if (old) {
		t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\n"
		    "year: 2023\npublished: 2023-12-20\ntemplate: zz-2024\n");
		sg_buf_puts(&ch, "---\ntitle: 往年\n---\n");
		for (int i = 1; i <= old; i++) {
			char *rel = sg_xasprintf("content/2023/cases/%04d-o.md", i);
			char *md = sg_xasprintf("---\ntitle: 往年案例%d\ntags: [甲]\n"
			    "---\n正文。\n", i);
			t_write(dir, rel, md);
			sg_buf_printf(&ch, "[案例](cases/%04d-o.md)\n\n", i);
			free(md);
			free(rel);
		}
		t_write(dir, "content/2023/01-a.md", ch.data);
		sg_buf_clear(&ch);
	}
	return dir;
}

/* The fixture site has no theme of its own. */
static char *
build(const char *dir)
{
	char *opts = sg_xasprintf("--theme '%s/themes/default'", t_root());
	char *pub = t_build(dir, opts);

	free(opts);
	return pub;
}

static int
exists(const char *pub, const char *rel)
{
	char *p = sg_xasprintf("%s/%s", pub, rel);
	int r = sg_is_file(p);

	free(p);
	return r;
}

/*
 * The cases a listing shows, page after page, as the paths of their pages
 * (each card's link resolved from the page showing it); returns how many
 * pages.
 */
static int
listing(const char *pub, const char *base, struct sg_strv *seen)
{
	int pages = 0;

	for (int p = 1; ; p++) {
		char *dirp = p == 1 ? sg_xstrdup(base) :
		    sg_xasprintf("%spage/%d/", base, p);
		char *rel = sg_xasprintf("%sindex.html", dirp);
		if (!exists(pub, rel)) {
			free(rel);
			free(dirp);
			break;
		}
		htmlDocPtr doc = t_page(pub, rel);
		int n = t_count(doc, "//li[@class='case-card']");
		cr_assert(n >= 1 && n <= 100, "%s: %d cards", rel, n);
		for (int i = 1; i <= n; i++) {
			char *xp = sg_xasprintf("(//li[@class='case-card'])[%d]"
			    "//p[@class='case-title']/a/@href", i);
			char *href = t_text(doc, xp);
			char *joined = sg_xasprintf("%s%s", dirp, href);
			char *norm = sg_path_norm(joined);
			cr_assert_not_null(norm, "%s: %s", rel, href);
			/* sg_path_norm drops the trailing slash. */
			sg_strv_push(seen, sg_xasprintf("%s/", norm));
			free(norm);
			free(joined);
			free(href);
			free(xp);
		}
		xmlFreeDoc(doc);
		free(rel);
		free(dirp);
		pages++;
	}
	return pages;
}

/* Each entry of seen once: no case shown twice. */
static void
all_distinct(const struct sg_strv *seen)
{
	for (size_t i = 0; i < seen->n; i++)
		for (size_t j = i + 1; j < seen->n; j++)
			cr_assert_str_neq(seen->v[i], seen->v[j], "%s twice",
			    seen->v[i]);
}

Test(pagination, hundred_and_one_cases_make_two_pages)
{
	char *dir = site(101, 0);
	char *pub = build(dir);
	struct sg_strv seen = {0};
	htmlDocPtr doc;

	/* Every case on exactly one page, in order. */
	cr_assert_eq(listing(pub, "cases/", &seen), 2);
	cr_assert_eq(seen.n, 101);
	all_distinct(&seen);
	cr_assert_str_eq(seen.v[0], "2024/cases/1/");
	cr_assert_str_eq(seen.v[100], "2024/cases/101/");
	sg_strv_clear(&seen);

	doc = t_page(pub, "cases/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 100);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination' and @aria-label]"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a"), 3);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='next' and @href='page/2/']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='prev']"), 0);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a[@aria-current='page' "
	    "and .='1' and @href='./' and @aria-label='第 1 页']"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a[not(@aria-current) "
	    "and .='2' and @href='page/2/']"), 1);
	cr_assert_eq(t_count(doc, "//p[@id='case-count' and .='共 101 个案例 · "
	    "本页第 1–100 个（第 1 页，共 2 页）']"), 1);
	cr_assert_eq(t_count(doc, "//script[@src='../assets/cases.js']"), 1);
	cr_assert_eq(t_count(doc, "//a[@aria-current='page' and @data-tag='']"), 1);
	xmlFreeDoc(doc);

	doc = t_page(pub, "cases/page/2/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='prev' and @href='../../']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='next']"), 0);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a[@aria-current='page' "
	    "and .='2' and @href='./']"), 1);
	cr_assert_eq(t_count(doc, "//p[@id='case-count' and .='共 101 个案例 · "
	    "本页第 101–101 个（第 2 页，共 2 页）']"), 1);
	cr_assert_eq(t_count(doc, "//title[contains(., '案例（第 2 页）')]"), 1);
	cr_assert_eq(t_count(doc, "//h1[.='案例（第 2 页）']"), 1);
	/* Links from a deeper page still resolve. */
	cr_assert_eq(t_count(doc, "//li[@class='case-card']//p[@class='case-title']"
	    "/a[@href='../../../2024/cases/101/']"), 1);
	cr_assert_eq(t_count(doc, "//link[@rel='stylesheet' and "
	    "@href='../../../assets/style.css']"), 1);
	cr_assert_eq(t_count(doc, "//script[@src='../../../assets/cases.js']"), 1);
	/* The "all" filter is the listing shown, not this page. */
	cr_assert_eq(t_count(doc, "//a[@aria-current='true' and @data-tag='' and "
	    "@href='../../']"), 1);
	xmlFreeDoc(doc);

	/* 甲: all 101, two pages; 乙: 51, one page and no page links. */
	cr_assert_eq(listing(pub, "cases/tags/甲/", &seen), 2);
	cr_assert_eq(seen.n, 101);
	all_distinct(&seen);
	sg_strv_clear(&seen);
	cr_assert_eq(listing(pub, "cases/tags/乙/", &seen), 1);
	cr_assert_eq(seen.n, 51);
	sg_strv_clear(&seen);
	doc = t_page(pub, "cases/tags/乙/index.html");
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']"), 0);
	cr_assert_eq(t_count(doc, "//p[@id='case-count' and .='共 51 个案例']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "cases/tags/甲/page/2/index.html");
	cr_assert_eq(t_count(doc, "//nav//a[@rel='prev' and @href='../../']"), 1);
	cr_assert_eq(t_count(doc, "//a[@aria-current='true' and @data-tag='甲']"), 1);
	cr_assert_eq(t_count(doc, "//script"), 0);
	xmlFreeDoc(doc);

	/* The year's listing too. */
	cr_assert_eq(listing(pub, "2024/cases/", &seen), 2);
	cr_assert_eq(seen.n, 101);
	all_distinct(&seen);
	sg_strv_clear(&seen);
	doc = t_page(pub, "2024/cases/page/2/index.html");
	cr_assert_eq(t_count(doc, "//a[@aria-current='true' and @data-year='2024' "
	    "and @href='../../']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='prev' and @href='../../']"), 1);
	xmlFreeDoc(doc);

	/* Every page is in the sitemap. */
	char *p = sg_xasprintf("%s/sitemap.xml", pub);
	char *sm = t_read(p, NULL);
	cr_assert(strstr(sm, "/cases/page/2/</loc>"));
	cr_assert(strstr(sm, "/2024/cases/page/2/</loc>"));
	cr_assert(strstr(sm, "/cases/tags/%E7%94%B2/page/2/</loc>") ||
	    strstr(sm, "/cases/tags/甲/page/2/</loc>"), "%s", sm);
	free(sm);
	free(p);
	free(pub);
	sg_rm_rf(dir);
	free(dir);
}

/* Newest year first across pages; a year's listing holds only its own. */
Test(pagination, years_run_on_across_pages)
{
	char *dir = site(99, 3);
	char *pub = build(dir);
	struct sg_strv seen = {0};

	cr_assert_eq(listing(pub, "cases/", &seen), 2);
	cr_assert_eq(seen.n, 102);
	all_distinct(&seen);
	cr_assert_str_eq(seen.v[98], "2024/cases/99/");
	cr_assert_str_eq(seen.v[99], "2023/cases/1/");
	cr_assert_str_eq(seen.v[101], "2023/cases/3/");
	sg_strv_clear(&seen);
	cr_assert_eq(listing(pub, "2024/cases/", &seen), 1);
	cr_assert_eq(seen.n, 99);
	sg_strv_clear(&seen);
	cr_assert_eq(listing(pub, "2023/cases/", &seen), 1);
	cr_assert_eq(seen.n, 3);
	sg_strv_clear(&seen);
	free(pub);
	sg_rm_rf(dir);
	free(dir);
}

/* Many pages: the first, the last, two on each side of the current one,
 * and gaps. */
Test(pagination, page_links_are_a_window)
{
	char *dir = site(801, 0);
	char *pub = build(dir);
	htmlDocPtr doc;
	const char *nums = "//nav[@class='pagination']//li[a[not(@rel)] or "
	    "span[@class='gap']]";

	doc = t_page(pub, "cases/index.html");
	/* 1 2 3 … 9 */
	cr_assert_eq(t_count(doc, nums), 5);
	cr_assert_eq(t_count(doc, "(//nav[@class='pagination']//li)[4]"
	    "/span[@class='gap' and .='…']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[.='9' and @href='page/9/']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "cases/page/5/index.html");
	/* ‹ 1 2 3 4 5 6 7 8 9 › : no gap next to the ends */
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//span[@class='gap']"), 0);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a[not(@rel)]"), 9);
	xmlFreeDoc(doc);
	doc = t_page(pub, "cases/page/6/index.html");
	/* ‹ 1 … 4 5 6 7 8 9 › */
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//span[@class='gap']"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='pagination']//a[not(@rel)]"), 7);
	cr_assert_eq(t_count(doc, "//nav//a[@aria-current='page' and .='6']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='prev' and @href='../5/']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[@rel='next' and @href='../7/']"), 1);
	cr_assert_eq(t_count(doc, "//nav//a[.='1' and @href='../../']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "cases/page/9/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 1);
	xmlFreeDoc(doc);
	cr_assert(!exists(pub, "cases/page/10/index.html"));
	cr_assert(!exists(pub, "cases/page/1/index.html"));
	free(pub);
	sg_rm_rf(dir);
	free(dir);
}
