/* sitemap.xml (an index past 50,000 URLs) and robots.txt, read back with
 * libxml2. */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "helpers.h"
#include "output.h"
#include "sitemap.h"
#include "util.h"

TestSuite(sitemap, .init = t_init, .timeout = 60);

static struct sg_site *
site(void)
{
	struct sg_site *s = sg_xcalloc(1, sizeof(*s));

	s->base_url = sg_xstrdup("https://www.example.edu.cn/");
	s->title = sg_xstrdup("质量年报");
	s->school = sg_xstrdup("示例学校");
	s->language = sg_xstrdup("zh-CN");
	return s;
}

static void
site_free(struct sg_site *s)
{
	free(s->base_url);
	free(s->title);
	free(s->school);
	free(s->language);
	free(s);
}

/* n pages "p<i>/", every third with a summary (a feed entry). */
static struct sg_page_ref *
refs(size_t n)
{
	struct sg_page_ref *v = sg_xcalloc(n, sizeof(*v));

	for (size_t i = 0; i < n; i++) {
		v[i].path = sg_xasprintf("p%zu/", i);
		v[i].title = sg_xasprintf("第 %zu 页", i);
		v[i].published = sg_xstrdup("2024-12-27");
		if (i % 3 == 0)
			v[i].summary = sg_xstrdup("摘要 <b>&</b>");
	}
	return v;
}

static void
refs_free(struct sg_page_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].title);
		free(v[i].published);
		free(v[i].summary);
	}
	free(v);
}

static int
count(xmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr cx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r;
	int n;

	xmlXPathRegisterNs(cx, (const xmlChar *)"s",
	    (const xmlChar *)"http://www.sitemaps.org/schemas/sitemap/0.9");
	xmlXPathRegisterNs(cx, (const xmlChar *)"a",
	    (const xmlChar *)"http://www.w3.org/2005/Atom");
	r = xmlXPathEvalExpression((const xmlChar *)xpath, cx);
	cr_assert_not_null(r, "%s", xpath);
	n = r->nodesetval ? r->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(cx);
	return n;
}

static xmlDocPtr
xml(const char *dir, const char *rel)
{
	char *p = sg_path_join(dir, rel);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);

	cr_assert_not_null(doc, "%s does not parse", p);
	free(p);
	return doc;
}

Test(sitemap, past_50000_urls_an_index_of_parts)
{
	char *dir = t_tmpdir(), *pub = sg_path_join(dir, "public");
	struct sg_site *s = site();
	const size_t n = 50001;
	struct sg_page_ref *v = refs(n);
	struct sg_output o = {0};
	struct sg_diag d = {0};
	xmlDocPtr doc;

	/* A feed-only entry is not a page: never in the sitemap. */
	v[7].feed_only = 1;
	cr_assert_eq(sg_output_begin(&o, pub, &d), 0);
	cr_assert_eq(sg_sitemap_write(s, v, n, &o, &d), 0);
	cr_assert_eq(sg_output_commit(&o, &d), 0);

	doc = xml(pub, "sitemap.xml");
	cr_assert_eq(count(doc, "/s:sitemapindex/s:sitemap"), 2);
	cr_assert_eq(count(doc, "/s:sitemapindex/s:sitemap[1]/s:loc"
	    "[.='https://www.example.edu.cn/sitemap-1.xml']"), 1);
	cr_assert_eq(count(doc, "/s:sitemapindex/s:sitemap[2]/s:loc"
	    "[.='https://www.example.edu.cn/sitemap-2.xml']"), 1);
	xmlFreeDoc(doc);
	doc = xml(pub, "sitemap-1.xml");
	cr_assert_eq(count(doc, "/s:urlset/s:url"), 49999);
	cr_assert_eq(count(doc, "//s:loc[.='https://www.example.edu.cn/p7/']"),
	    0);
	cr_assert_eq(count(doc, "/s:urlset/s:url[1]/s:loc"
	    "[.='https://www.example.edu.cn/p0/']"), 1);
	xmlFreeDoc(doc);
	doc = xml(pub, "sitemap-2.xml");
	cr_assert_eq(count(doc, "/s:urlset/s:url"), 1);
	cr_assert_eq(count(doc, "/s:urlset/s:url/s:loc"
	    "[.='https://www.example.edu.cn/p50000/']"), 1);
	xmlFreeDoc(doc);

	char *robots = sg_path_join(pub, "robots.txt");
	char *text = t_read(robots, NULL);
	cr_assert(strstr(text, "\nSitemap: https://www.example.edu.cn/"
	    "sitemap.xml\n"), "%s", text);
	free(text);
	free(robots);
	sg_output_clear(&o);
	sg_diag_clear(&d);
	refs_free(v, n);
	site_free(s);
	sg_rm_rf(dir);
	free(pub);
	free(dir);
}
