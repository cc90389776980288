/*
 * End to end: the search page and index, the cases pages with their topic
 * and year filters, and the rule that pages carry no inline script (their
 * CSP allows only same-origin script files).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "search.h"
#include "util.h"

TestSuite(e2e_search, .init = t_init, .timeout = 120);

/* Field i of a document [kind, year, title, url, …]: a string, a number. */
static const char *
jstr(const json_t *d, size_t i)
{
	const char *s = json_string_value(json_array_get(d, i));

	cr_assert_not_null(s, "field %zu is not a string", i);
	return s;
}

static double
jnum(const json_t *d, size_t i)
{
	const json_t *n = json_array_get(d, i);

	cr_assert(json_is_number(n), "field %zu is not a number", i);
	return json_number_value(n);
}

/* Every document of the search index under pub, as one JSON array per
 * chunk, read with libjansson; *n set to the number of chunks.  Caller
 * frees with chunks_free. */
static json_t **
chunks(const char *pub, size_t *n)
{
	char *p = sg_xasprintf("%s/search/index.json", pub);
	char *json = t_read(p, NULL);
	json_t *meta, **v;
	size_t docs, chunk;

	cr_assert_not_null(json);
	meta = json_loads(json, 0, NULL);
	cr_assert_not_null(meta, "%s", json);
	docs = (size_t)json_integer_value(json_object_get(meta, "docs"));
	chunk = (size_t)json_integer_value(json_object_get(meta, "chunk"));
	cr_assert_gt(chunk, 0);
	*n = (docs + chunk - 1) / chunk;
	v = sg_xcalloc(*n + 1, sizeof(*v));
	for (size_t c = 0; c < *n; c++) {
		char *name = sg_search_part_name(c, *n);
		char *cp = sg_xasprintf("%s/search/d/%s", pub, name);
		char *data = t_read(cp, NULL);
		cr_assert_not_null(data, "%s missing", cp);
		v[c] = json_loads(data, 0, NULL);
		cr_assert(json_is_array(v[c]), "%s", cp);
		free(data);
		free(cp);
		free(name);
	}
	json_decref(meta);
	free(json);
	free(p);
	return v;
}

static void
chunks_free(json_t **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		json_decref(v[i]);
	free(v);
}

Test(e2e_search, every_search_hit_opens_an_existing_page_and_anchor)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	size_t n, docs = 0, anchors = 0, bytes = 0;
	json_t **v = chunks(pub, &n);
	char **files;
	size_t nfiles;

	for (size_t c = 0; c < n; c++)
		for (size_t i = 0; i < json_array_size(v[c]); i++) {
			const json_t *d = json_array_get(v[c], i);
			const char *title = jstr(d, 2), *url = jstr(d, 3);
			const char *hash = strchr(url, '#');
			char *file;

			cr_assert(*title, "a hit without a title");
			cr_assert_eq((int)jnum(d, 1), 2024);
			file = sg_xasprintf("%.*sindex.html", hash ?
			    (int)(hash - url) : (int)strlen(url), url);
			htmlDocPtr doc = t_page(pub, file);
			if (hash) {
				char *xp = sg_xasprintf("//*[@id='%s']", hash + 1);
				cr_assert_eq(t_count(doc, xp), 1, "%s: no anchor",
				    url);
				free(xp);
				anchors++;
			}
			xmlFreeDoc(doc);
			free(file);
			docs++;
		}
	cr_assert_gt(docs, 100, "%zu docs", docs);
	cr_assert_gt(anchors, 30);
	/* The first document is case 1, the first hit for 禁毒: its title
	 * has the bigram. */
	cr_assert_str_eq(jstr(json_array_get(v[0], 0), 2),
	    "全国青少年禁毒知识竞赛彰显中职禁毒教育成效");
	cr_assert_str_eq(jstr(json_array_get(v[0], 0), 3), "2024/cases/1/");
	chunks_free(v, n);
	/* The whole index stays small for the example. */
	files = t_files(pub, &nfiles);
	for (size_t i = 0; i < nfiles; i++)
		if (strncmp(files[i], "search/", 7) == 0 &&
		    sg_has_suffix(files[i], ".json")) {
			char *p = sg_xasprintf("%s/%s", pub, files[i]);
			size_t len;
			free(t_read(p, &len));
			bytes += len;
			free(p);
		}
	t_free_list(files, nfiles);
	cr_assert_lt(bytes, 400 * 1024, "index is %zu bytes", bytes);
	free(pub);
	free(dir);
}

Test(e2e_search, search_page_without_and_with_script)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "search/index.html");

	cr_assert_eq(t_count(doc, "//form[@id='search-form' and @role='search' and "
	    "@method='get' and @data-index='index.json' and @data-root='../']"
	    "//input[@name='q' and @id='search-q']"), 1);
	cr_assert_eq(t_count(doc, "//label[@for='search-q']"), 1);
	cr_assert_eq(t_count(doc, "//script[@src='../assets/search.js']"), 1);
	/* Without JavaScript: an explanation and the ways in. */
	cr_assert_eq(t_count(doc, "//*[@id='search-nojs']//a[@href='../2024/']"), 1);
	cr_assert_eq(t_count(doc, "//*[@id='search-nojs']//a[@href='../cases/']"), 1);
	cr_assert_eq(t_count(doc, "//*[@id='search-status' and @aria-live='polite']"), 1);
	xmlFreeDoc(doc);
	/* Every page's navigation leads to the search page. */
	doc = t_page(pub, "2024/cases/1/index.html");
	cr_assert_eq(t_count(doc, "//nav[@class='site-nav']//a[@href='../../../search/']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "404.html");
	cr_assert_eq(t_count(doc, "//nav//a[@href='/zlnb/search/']"), 1);
	xmlFreeDoc(doc);
	char *js = sg_xasprintf("%s/assets/search.js", pub);
	cr_assert(sg_is_file(js));
	free(js);
	free(pub);
	free(dir);
}

Test(e2e_search, pages_have_no_inline_script_or_handlers)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	size_t n, scripts = 0;
	char **files = t_files(pub, &n);

	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html"))
			continue;
		htmlDocPtr doc = t_page(pub, files[i]);
		cr_assert_eq(t_count(doc, "//script[not(@src) or normalize-space(.)]"),
		    0, "%s: inline script", files[i]);
		cr_assert_eq(t_count(doc, "//@*[starts-with(name(), 'on')]"), 0,
		    "%s: event handler attribute", files[i]);
		cr_assert_eq(t_count(doc, "//script[contains(@src, ':') or "
		    "starts-with(@src, '//')]"), 0, "%s: script from elsewhere",
		    files[i]);
		cr_assert_eq(t_count(doc, "//meta[@http-equiv='Content-Security-Policy' "
		    "and contains(@content, \"script-src 'self'\")]"), 1, "%s: CSP",
		    files[i]);
		scripts += (size_t)t_count(doc, "//script");
		xmlFreeDoc(doc);
	}
	cr_assert_eq(scripts, 2, "search.js and cases.js, once each");
	t_free_list(files, n);
	free(pub);
	free(dir);
}

Test(e2e_search, cases_by_topic_and_year_with_plain_links)
{
	char *dir = t_copy_example();
	char *pub = t_build(dir, "");
	htmlDocPtr doc = t_page(pub, "cases/index.html");

	cr_assert_eq(t_count(doc, "//li[@class='case-card' and @data-year='2024']"), 6);
	cr_assert_eq(t_count(doc, "//script[@src='../assets/cases.js']"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='case-filter']//a[@data-tag='家校共育' "
	    "and @href='tags/%E5%AE%B6%E6%A0%A1%E5%85%B1%E8%82%B2/']"), 1);
	cr_assert_eq(t_count(doc, "//nav[@class='case-filter']//a[@data-year='2024' "
	    "and @href='../2024/cases/']"), 1);
	cr_assert_eq(t_count(doc, "//a[@aria-current='page' and @data-tag='']"), 1);
	cr_assert_eq(t_count(doc, "//a[@aria-current='page' and @data-year='']"), 1);
	xmlFreeDoc(doc);

	doc = t_page(pub, "cases/tags/家校共育/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 2);
	cr_assert_eq(t_count(doc, "//li[@class='case-card'][not(.//a[.='家校共育'])]"), 0);
	cr_assert_eq(t_count(doc, "//script"), 0);
	cr_assert_eq(t_count(doc, "//a[@aria-current='page' and @data-tag='家校共育']"), 1);
	cr_assert_eq(t_count(doc, "//a[@aria-current]"), 1);
	xmlFreeDoc(doc);

	doc = t_page(pub, "2024/cases/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card' and @data-year='2024']"), 6);
	cr_assert_eq(t_count(doc, "//a[@aria-current='page' and @data-year='2024' and "
	    "@href='./']"), 1);
	cr_assert_eq(t_count(doc, "//h1[.='2024 年度案例']"), 1);
	cr_assert_eq(t_count(doc, "//script"), 0);
	xmlFreeDoc(doc);

	/* A case links to its chapter, the next case and related cases. */
	doc = t_page(pub, "2024/cases/1/index.html");
	cr_assert_eq(t_count(doc, "//p[@class='kicker']/span/a[@href='../../02-talent/']"), 1);
	cr_assert_eq(t_count(doc, "//a[@rel='next' and @href='../2/']"), 1);
	cr_assert_eq(t_count(doc, "//a[@rel='prev']"), 0);
	cr_assert_eq(t_count(doc, "//section[@class='related']//a[@href='../2/']"), 1);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

Test(e2e_search, cases_across_years)
{
	char *dir = t_copy_example();
	char *pub;
	htmlDocPtr doc;

	t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\nyear: 2023\n"
	    "published: 2023-12-20\ntemplate: zz-2024\n");
	t_write(dir, "content/2023/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "[案例](cases/01-old.md)\n");
	t_write(dir, "content/2023/cases/01-old.md", "---\ntitle: 往年的家访\n"
	    "tags: [家校共育]\nsummary: 老师走进学生家中。\n---\n正文。\n");
	pub = t_build(dir, "");

	doc = t_page(pub, "2024/cases/1/index.html");
	cr_assert_eq(t_count(doc, "//a[@rel='prev' and @href='../../../2023/cases/1/']"
	    "[contains(., '2023 年度案例 1 往年的家访')]"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "2023/cases/1/index.html");
	cr_assert_eq(t_count(doc, "//a[@rel='next' and @href='../../../2024/cases/1/']"), 1);
	cr_assert_eq(t_count(doc, "//section[@class='related']//a"), 2);
	xmlFreeDoc(doc);
	/* Newest year first on /cases/; one filter link per year. */
	doc = t_page(pub, "cases/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 7);
	cr_assert_eq(t_count(doc, "(//li[@class='case-card'])[1][@data-year='2024']"), 1);
	cr_assert_eq(t_count(doc, "(//li[@class='case-card'])[7][@data-year='2023']"), 1);
	cr_assert_eq(t_count(doc, "//a[@data-year='2023' and @href='../2023/cases/']"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "2023/cases/index.html");
	cr_assert_eq(t_count(doc, "//li[@class='case-card']"), 1);
	xmlFreeDoc(doc);

	/* Newest year first: the 2023 case follows the 2024 documents. */
	size_t n, found = 0, before2024 = 0;
	json_t **v = chunks(pub, &n);
	for (size_t c = 0; c < n; c++)
		for (size_t i = 0; i < json_array_size(v[c]); i++) {
			const json_t *d = json_array_get(v[c], i);
			if (strcmp(jstr(d, 2), "往年的家访") == 0) {
				cr_assert_eq((int)jnum(d, 1), 2023);
				cr_assert_str_eq(jstr(d, 3), "2023/cases/1/");
				found++;
			} else if ((int)jnum(d, 1) == 2024 && found)
				before2024++;
		}
	cr_assert_eq(found, 1);
	cr_assert_eq(before2024, 0);
	chunks_free(v, n);
	free(pub);
	free(dir);
}
