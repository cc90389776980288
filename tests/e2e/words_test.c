/*
 * End to end: a site theme's words.yml rewords the pages — a page title
 * in <title>, the heading and the breadcrumb, and a revision's title in
 * the feed — with the built-in words for every key it leaves out.
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

static void
init(void)
{
	t_init();
	/* No user-level git configuration for publish. */
	char *home = t_tmpdir();
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(home);
}

TestSuite(words_e2e, .init = init, .timeout = 180);

/* The text of the first node xpath finds in the XML file at path (the
 * Atom namespace bound to a:). */
static char *
xml_text(const char *path, const char *xpath)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *s = NULL;

	cr_assert_not_null(doc, "%s is not XML", path);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"a",
	    (const xmlChar *)"http://www.w3.org/2005/Atom");
	xmlXPathRegisterNs(ctx, (const xmlChar *)"s",
	    (const xmlChar *)"http://www.sitemaps.org/schemas/sitemap/0.9");
	o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
		s = sg_xstrdup((char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	return s;
}

Test(words_e2e, theme_words_change_titles_crumbs_and_feed)
{
	char *site = t_copy_example(), *pub, *s, *err = NULL, *args, *path;
	htmlDocPtr doc;
	int rc;

	/* Only a few keys: the others are the built-in theme's. */
	t_write(site, "themes/default/words.yml",
	    "crumb_home: Home\n"
	    "indicators_title: \"Appendix tables, {year}\"\n"
	    "feed_published: \"{title}: published (r{n})\"\n");
	args = sg_xasprintf("-C '%s' publish 2024 -m 'first' --author "
	    "'a <a@example.edu.cn>' --allow-findings 'known'", site);
	rc = t_run(args, &err);
	cr_assert_eq(rc, 0, "publish: %s", err ? err : "");
	free(err);
	free(args);
	pub = t_build(site, "--no-pdf");

	doc = t_page(pub, "2024/indicators/index.html");
	s = t_text(doc, "//title");
	cr_assert_not_null(s);
	cr_assert(strncmp(s, "Appendix tables, 2024 · ", 24) == 0, "%s", s);
	free(s);
	s = t_text(doc, "//h1");
	cr_assert_str_eq(s, "Appendix tables, 2024");
	free(s);
	s = t_text(doc, "//nav[contains(@class,'crumbs')]//li[1]/a");
	cr_assert_str_eq(s, "Home");
	free(s);
	s = t_text(doc, "//nav[contains(@class,'crumbs')]//li[last()]");
	cr_assert_str_eq(s, "Appendix tables, 2024");
	free(s);
	xmlFreeDoc(doc);
	/* A key left out: the built-in word. */
	doc = t_page(pub, "indicators/index.html");
	s = t_text(doc, "//h1");
	cr_assert_str_eq(s, "历年指标趋势");
	free(s);
	s = t_text(doc, "//nav[contains(@class,'crumbs')]//li[1]/a");
	cr_assert_str_eq(s, "Home");
	free(s);
	xmlFreeDoc(doc);

	/* The revision's feed entry, and the page still in the sitemap. */
	path = sg_xasprintf("%s/atom.xml", pub);
	s = xml_text(path, "//a:entry[a:id[contains(., '2024/r1/')] or "
	    "a:link[contains(@href, '2024/r1/')]]/a:title");
	cr_assert_not_null(s, "no feed entry for r1");
	cr_assert(sg_has_suffix(s, ": published (r1)"), "%s", s);
	free(s);
	free(path);
	path = sg_xasprintf("%s/sitemap.xml", pub);
	s = xml_text(path, "//s:loc[contains(., '2024/indicators/')]");
	cr_assert_not_null(s);
	free(s);
	free(path);
	sg_rm_rf(site);
	free(pub);
	free(site);
}
