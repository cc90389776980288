/*
 * End to end: the parts of a site's theme (themes/<name>/parts/) make the
 * figures, tables and case cards of its pages; parts it lacks are the
 * built-in theme's.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

TestSuite(parts_e2e, .init = t_init, .timeout = 120);

/* A part of the site's theme replaces the built-in markup on every page
 * that shows it; a built-in part includes the theme's own. */
Test(parts_e2e, theme_part_changes_the_page)
{
	char *site = t_copy_example(), *pub, *s;
	htmlDocPtr doc;

	t_write(site, "themes/default/parts/case-card.html",
	    "<aside class=\"my-card\" data-sg-attr-aria-label=\"Case {n}\">"
	    "<a href=\"\" data-sg-attr-href=\"url\"><span data-sg-bare "
	    "data-sg-text=\"title\"></span></a></aside>\n");
	t_write(site, "themes/default/parts/figure-caption.html",
	    "<small class=\"fig-no\" data-sg-text=\"label\"></small>"
	    "<span data-sg-text=\"caption\"></span>\n");
	pub = t_build(site, "--no-pdf");
	doc = t_page(pub, "2024/03-support/index.html");
	cr_assert_eq(t_count(doc, "//aside[@class='case-card']"), 0);
	cr_assert_eq(t_count(doc, "//aside[@class='my-card']"), 3);
	cr_assert_eq(t_count(doc, "//aside[@class='my-card'][@aria-label="
	    "'Case 3']/a[@href='../cases/3/']"), 1);
	cr_assert_eq(t_count(doc, "//aside[@class='my-card']/p"), 0);
	xmlFreeDoc(doc);
	/* The built-in figure part, with the theme's caption in it. */
	doc = t_page(pub, "2024/cases/1/index.html");
	s = t_text(doc, "//figure[@id='fig-2-14']/figcaption/small"
	    "[@class='fig-no']");
	cr_assert_not_null(s);
	cr_assert_str_eq(s, "图 2-14");
	free(s);
	cr_assert_eq(t_count(doc, "//figure[@id='fig-2-14']/figcaption"), 1);
	cr_assert_eq(t_count(doc, "//figcaption/span[@class='num']"), 0);
	xmlFreeDoc(doc);
	sg_rm_rf(site);
	free(pub);
	free(site);
}

/* A theme without parts/ (exported by an older site-gen) builds the same
 * pages as the theme with them. */
Test(parts_e2e, theme_without_parts_has_the_built_in_ones)
{
	char *site = t_copy_example(), *pub, *parts, *page, *a, *b;
	size_t la, lb;

	pub = t_build(site, "--no-pdf");
	page = sg_xasprintf("%s/2024/03-support/index.html", pub);
	a = t_read(page, &la);
	cr_assert_not_null(a);
	cr_assert(strstr(a, "<aside class=\"case-card\""));
	cr_assert(strstr(a, "<div class=\"table-block\""));
	parts = sg_xasprintf("%s/themes/default/parts", site);
	cr_assert_eq(sg_rm_rf(parts), 0);
	cr_assert(!sg_is_dir(parts));
	cr_assert_eq(sg_rm_rf(pub), 0);
	free(t_build(site, "--no-pdf"));
	b = t_read(page, &lb);
	cr_assert_not_null(b);
	cr_assert_eq(la, lb);
	cr_assert(memcmp(a, b, la) == 0);
	sg_rm_rf(site);
	free(a);
	free(b);
	free(page);
	free(parts);
	free(pub);
	free(site);
}

/* A part that includes one found nowhere stops the build, naming it. */
Test(parts_e2e, broken_part_fails_the_build)
{
	char *site = t_copy_example(), *err = NULL;
	char *args = sg_xasprintf("-C '%s' build --no-pdf", site);
	int rc;

	t_write(site, "themes/default/parts/figure.html",
	    "<figure data-sg-include=\"no-such-part\"></figure>\n");
	rc = t_run(args, &err);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "themes/default/parts/figure.html"), "%s", err);
	cr_assert(strstr(err, "data-sg-include=\"no-such-part\""), "%s", err);
	sg_rm_rf(site);
	free(args);
	free(err);
	free(site);
}
