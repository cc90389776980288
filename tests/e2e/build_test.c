/*
 * End to end: the binary builds the bundled 2024 report, and every page is
 * parsed with libxml2 and checked; a broken build leaves public/ alone.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(e2e, .init = t_init, .timeout = 120);

/* Builds the example site once per test process into a temp folder. */
static char *
build_example(void)
{
	char *out = t_tmpdir();
	char *args = sg_xasprintf("-C '%s' build -o '%s/public'", t_root(), out);
	char *err = NULL;
	int rc = t_run(args, &err);

	cr_assert_eq(rc, 0, "build failed (%d): %s", rc, err ? err : "");
	free(err);
	free(args);
	char *pub = sg_xasprintf("%s/public", out);
	free(out);
	return pub;
}

Test(e2e, chapters_cases_figures_tables)
{
	char *pub = build_example();
	size_t n, chapters = 0, cases = 0;
	char **files = t_files(pub, &n);

	for (size_t i = 0; i < n; i++) {
		const char *f = files[i];
		if (strncmp(f, "2024/0", 6) == 0 && sg_has_suffix(f, "/index.html"))
			chapters++;
		/* 2024/cases/N/index.html; 2024/cases/index.html lists them */
		if (strncmp(f, "2024/cases/", 11) == 0 &&
		    sg_has_suffix(f, "/index.html") &&
		    strcmp(f, "2024/cases/index.html") != 0)
			cases++;
	}
	cr_assert_eq(chapters, 9);
	cr_assert_eq(cases, 6);

	/* 图 2-14 sits in case 1, which chapter 2 links. */
	htmlDocPtr doc = t_page(pub, "2024/cases/1/index.html");
	char *cap = t_text(doc, "//figure[@id='fig-2-14']/figcaption");
	cr_assert_not_null(cap);
	cr_assert_str_eq(cap, "图 2-14 2024 年全国青少年禁毒知识竞赛三等奖获得者郑拉拉");
	free(cap);
	cr_assert_eq(t_count(doc, "//h1[contains(., '全国青少年禁毒知识竞赛')]"), 1);
	xmlFreeDoc(doc);

	doc = t_page(pub, "2024/03-support/index.html");
	cap = t_text(doc, "//*[@id='tbl-3-1']//table/caption");
	cr_assert_not_null(cap);
	cr_assert_str_eq(cap, "表 3-1 2024 年各专业布局情况");
	free(cap);
	cr_assert_eq(t_count(doc, "//*[@id='tbl-3-1']//th[@scope='col']"), 4);
	cr_assert_eq(t_count(doc, "//h1[.='三、发展保障']"), 1);
	cr_assert_eq(t_count(doc, "//aside[@class='case-card']"), 3);
	xmlFreeDoc(doc);

	/* The cover lists every figure, table and case. */
	doc = t_page(pub, "2024/index.html");
	cr_assert_eq(t_count(doc, "//section[@aria-labelledby='figs-h']//li"), 58);
	cr_assert_eq(t_count(doc, "//section[@aria-labelledby='cases-h']//li"), 6);
	cr_assert(t_count(doc, "//a[contains(., '图 2-14')]") == 1);
	cr_assert(t_count(doc, "//a[contains(., '表 3-1')]") == 1);
	cr_assert_eq(t_count(doc, "//ol[@class='toc-chapters']/li"), 10);
	xmlFreeDoc(doc);

	/* Every page: lang, one h1, landmarks, UTF-8 text (not entities). */
	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html"))
			continue;
		doc = t_page(pub, files[i]);
		cr_assert_eq(t_count(doc, "/html[@lang='zh-CN']"), 1, "%s", files[i]);
		cr_assert_eq(t_count(doc, "//h1"), 1, "%s", files[i]);
		cr_assert_eq(t_count(doc, "//main"), 1, "%s", files[i]);
		cr_assert_eq(t_count(doc, "//*[starts-with(name(@*), 'data-sg')]"),
		    0, "%s", files[i]);
		/* Script files only (search, case filters): the CSP allows
		 * no inline script. */
		cr_assert_eq(t_count(doc, "//script[not(@src)]"), 0, "%s",
		    files[i]);
		xmlFreeDoc(doc);
		char *p = sg_xasprintf("%s/%s", pub, files[i]), *raw;
		raw = t_read(p, NULL);
		cr_assert_null(strstr(raw, "&#"), "%s has character entities",
		    files[i]);
		free(raw);
		free(p);
	}
	t_free_list(files, n);
	free(pub);
}

/* Percent-decodes s up to a '#' or '?' (or all of it); caller frees. */
static char *
decode(const char *s, int whole)
{
	struct sg_buf dec = {0};

	for (; *s && (whole || (*s != '#' && *s != '?')); s++) {
		if (*s == '%' && s[1] && s[2]) {
			char hex[3] = {s[1], s[2], 0};
			sg_buf_putc(&dec, (char)strtol(hex, NULL, 16));
			s += 2;
		} else
			sg_buf_putc(&dec, *s);
	}
	return sg_buf_take(&dec);
}

/* Resolves a relative URL of page rel to an output file, or NULL if the
 * link leaves the site (external). */
static char *
target(const char *rel, const char *url)
{
	char *u, *dir, *joined, *norm;

	size_t scheme = strspn(url, "abcdefghijklmnopqrstuvwxyz");

	/* Another site, or a scheme of its own (mailto:, tel:, data:). */
	if (strstr(url, "://") || (scheme > 0 && url[scheme] == ':') ||
	    url[0] == '#')
		return NULL;
	/* libxml2 percent-encodes non-ASCII in href. */
	u = decode(url, 0);
	dir = sg_path_dir(rel);
	joined = sg_xasprintf("%s%s", dir, u);
	norm = sg_path_norm(joined);
	cr_assert_not_null(norm, "%s: link %s leaves the site", rel, url);
	if (*norm == '\0' || sg_has_suffix(u, "/") || strcmp(u, ".") == 0 ||
	    strcmp(u, "./") == 0) {
		char *t = *norm ? sg_xasprintf("%s/index.html", norm) :
		    sg_xstrdup("index.html");
		free(norm);
		norm = t;
	}
	free(u);
	free(dir);
	free(joined);
	return norm;
}

Test(e2e, every_internal_link_resolves)
{
	char *pub = build_example();
	size_t n, links = 0;
	char **files = t_files(pub, &n);

	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html") ||
		    strcmp(files[i], "404.html") == 0)
			continue;
		htmlDocPtr doc = t_page(pub, files[i]);
		xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
		xmlXPathObjectPtr o = xmlXPathEvalExpression(
		    (const xmlChar *)"//@href | //@src", ctx);
		for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++) {
			xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[k]);
			char *t = target(files[i], (char *)v);
			if (t) {
				char *p = sg_xasprintf("%s/%s", pub, t);
				cr_assert(sg_is_file(p), "%s: %s -> %s missing",
				    files[i], v, t);
				free(p);
				links++;
			}
			/* Same-page anchors exist. */
			if (v[0] == '#' && v[1]) {
				char *id = decode((char *)v + 1, 1);
				char *xp = sg_xasprintf("//*[@id='%s']", id);
				free(id);
				cr_assert_eq(t_count(doc, xp), 1, "%s: anchor %s",
				    files[i], v);
				free(xp);
			}
			free(t);
			xmlFree(v);
		}
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
	}
	cr_assert_gt(links, 500, "only %zu links", links);
	t_free_list(files, n);
	free(pub);
}

Test(e2e, sitemap_lists_every_page_once)
{
	char *pub = build_example();
	char *p = sg_xasprintf("%s/sitemap.xml", pub);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	size_t n, pages = 0;
	char **files = t_files(pub, &n);
	struct sg_strv locs = {0};

	cr_assert_not_null(doc, "sitemap.xml is not XML");
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"s",
	    (const xmlChar *)"http://www.sitemaps.org/schemas/sitemap/0.9");
	xmlXPathObjectPtr o = xmlXPathEvalExpression(
	    (const xmlChar *)"/s:urlset/s:url/s:loc", ctx);
	cr_assert_not_null(o);
	for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++) {
		xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[k]);
		const char *base = "http://yqzghzx.yqer.cn/zlnb/";
		cr_assert(strncmp((char *)v, base, strlen(base)) == 0, "%s", v);
		for (const char *c = (char *)v; *c; c++)
			cr_assert((unsigned char)*c < 0x80, "unencoded %s", v);
		cr_assert(!sg_strv_has(&locs, (char *)v), "twice: %s", v);
		sg_strv_push(&locs, sg_xstrdup((char *)v));
		xmlFree(v);
	}
	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], "index.html"))
			continue;
		struct sg_buf b = {0};
		sg_buf_puts(&b, "http://yqzghzx.yqer.cn/zlnb/");
		char *dir = sg_path_dir(files[i]);
		sg_buf_urlenc(&b, dir);
		cr_assert(sg_strv_has(&locs, b.data), "not in sitemap: %s", b.data);
		free(dir);
		sg_buf_clear(&b);
		pages++;
	}
	cr_assert_eq(locs.n, pages);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(p);

	p = sg_xasprintf("%s/robots.txt", pub);
	char *robots = t_read(p, NULL);
	cr_assert(strstr(robots, "Sitemap: http://yqzghzx.yqer.cn/zlnb/sitemap.xml"));
	free(robots);
	free(p);
	p = sg_xasprintf("%s/atom.xml", pub);
	doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	cr_assert_not_null(doc, "atom.xml is not XML");
	xmlFreeDoc(doc);
	free(p);
	sg_strv_clear(&locs);
	t_free_list(files, n);
	free(pub);
}

Test(e2e, broken_content_exits_1_and_keeps_public)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' build", site);
	char *err = NULL, *before, *after, *cmd;
	int rc;

	cr_assert_eq(t_run(args, NULL), 0);
	cmd = sg_xasprintf("cd '%s' && find public -type f | sort | xargs md5sum",
	    site);
	before = sg_xasprintf("%s/before.txt", site);
	after = sg_xasprintf("%s/after.txt", site);
	char *c1 = sg_xasprintf("(%s) > '%s'", cmd, before);
	cr_assert_eq(system(c1), 0);

	/* Two broken files: both are reported, with file:line. */
	t_write(site, "content/2024/05-culture.md", "---\ntitle: 文化传承\n"
	    "tags: [a\n---\n正文\n");
	t_write(site, "content/2024/tables/aid-2023.csv", "a,b\n1,2,3\n");
	rc = t_run(args, &err);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "content/2024/05-culture.md:3:"), "%s", err);
	cr_assert(strstr(err, "content/2024/tables/aid-2023.csv:2:"), "%s", err);
	cr_assert(strstr(err, "error: row has 3 fields; expected 2"), "%s", err);

	char *c2 = sg_xasprintf("(%s) > '%s'", cmd, after);
	cr_assert_eq(system(c2), 0);
	char *b1 = t_read(before, NULL), *b2 = t_read(after, NULL);
	cr_assert_str_eq(b1, b2, "public/ changed after a failed build");
	cr_assert(strlen(b1) > 1000);

	/* No staging folder is left behind. */
	char *c3 = sg_xasprintf("ls -a '%s' | grep -q stage", site);
	cr_assert_neq(system(c3), 0);
	free(c1);
	free(c2);
	free(c3);
	free(b1);
	free(b2);
	free(err);
	free(cmd);
	free(before);
	free(after);
	free(args);
	free(site);
}

Test(e2e, cli_usage_and_help)
{
	char *err = NULL;

	cr_assert_eq(t_run("--help", NULL), 0);
	cr_assert_eq(t_run("build --help", NULL), 0);
	cr_assert_eq(t_run("--version", NULL), 0);
	cr_assert_eq(t_run("frobnicate", &err), 2);
	cr_assert(strstr(err, "unknown command 'frobnicate'"));
	free(err);
	cr_assert_eq(t_run("build --nope", NULL), 2);
	/* -j takes a whole number, nothing after it (in an empty folder,
	 * so that a build taking it anyway writes nothing here). */
	char *tmp = t_tmpdir();
	char *a = sg_xasprintf("-C '%s' build -j 2abc", tmp);
	cr_assert_eq(t_run(a, &err), 2);
	cr_assert(strstr(err, "-j wants a number of threads from 1 to 256, "
	    "not '2abc'"), "%s", err);
	free(err);
	free(a);
	a = sg_xasprintf("-C '%s' build -j 0", tmp);
	cr_assert_eq(t_run(a, NULL), 2);
	free(a);
	sg_rm_rf(tmp);
	free(tmp);
	cr_assert_eq(t_run("-C /nonexistent/dir build", NULL), 3);
}

/* A theme without a page kind's template fails the pages of that kind on
 * every render thread at once: reported once, exit 1, no output.  Under
 * make tsan this is also the test of the failure flag they all set. */
Test(e2e, missing_template_fails_on_every_thread)
{
	char *site = t_copy_example();
	char *tpl = sg_xasprintf("%s/themes/default/case.html", site);
	char *pub = sg_xasprintf("%s/public", site);
	char *args = sg_xasprintf("-C '%s' build -j 4", site);
	char *err = NULL;
	int rc;

	cr_assert_eq(unlink(tpl), 0);
	rc = t_run(args, &err);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "error: theme has no case.html; expected a "
	    "template for this page kind"), "%s", err);
	cr_assert(!sg_is_dir(pub), "a failed build left public/");
	sg_rm_rf(site);
	free(err);
	free(args);
	free(pub);
	free(tpl);
	free(site);
}

/* The print view's chapters and appendix are laid out by the theme's
 * print.html: a theme that heads them otherwise gets its own markup. */
Test(e2e, print_view_chapters_are_the_themes)
{
	char *site = t_copy_example();
	char *cmd = sg_xasprintf("sed -i -e 's|<h2 class=\"chapter-title\"\\(.*\\)"
	    "</h2>|<h1 class=\"chapter-title\"\\1</h1>|' -e 's|>附表</h1>|>附录"
	    "</h1>|' '%s/themes/default/parts/print-chapters.html'", site);
	char *pub, *want, *got;
	htmlDocPtr doc;
	int n;

	cr_assert_eq(system(cmd), 0);
	pub = t_build(site, "");
	doc = t_page(pub, "2024/print/index.html");
	n = t_count(doc, "//ol[@class='toc-chapters']/li");
	cr_assert_gt(n, 1);
	cr_assert_eq(t_count(doc, "//section[@class='print-chapter']/h2"), 0);
	cr_assert_eq(t_count(doc, "//section[@class='print-chapter']"
	    "/h1[@class='chapter-title']"), n + 1);
	want = t_text(doc, "//a[@href='#chapter-2']");
	got = t_text(doc, "//section[@id='chapter-2']/h1");
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	cr_assert_gt(t_count(doc, "//section[@id='chapter-2']//h3[@id]"), 0);
	got = t_text(doc, "//section[@id='appendix']/h1");
	cr_assert_str_eq(got, "附录");
	free(got);
	cr_assert_gt(t_count(doc, "//section[@id='appendix']"
	    "//section[@class='indicator']"), 0);
	xmlFreeDoc(doc);
	sg_rm_rf(site);
	free(pub);
	free(cmd);
	free(site);
}

/* A theme exported before print.html laid out the chapters puts them in
 * its content, and has no part print-chapters: its print view still holds
 * every chapter and the appendix. */
Test(e2e, print_view_of_an_older_theme_still_has_its_chapters)
{
	char *site = t_copy_example();
	char *cmd = sg_xasprintf("cd '%s/themes/default' && rm parts/"
	    "print-chapters.html && sed -i 's|<div class=\"prose\" "
	    "data-sg-include=\"print-chapters\"></div>|<div class=\"prose\" "
	    "data-sg-html=\"content\"></div>|' print.html && ! grep -q "
	    "print-chapters print.html", site);
	char *pub;
	htmlDocPtr doc;
	int n;

	cr_assert_eq(system(cmd), 0);
	pub = t_build(site, "");
	doc = t_page(pub, "2024/print/index.html");
	n = t_count(doc, "//ol[@class='toc-chapters']/li");
	cr_assert_gt(n, 1);
	cr_assert_eq(t_count(doc, "//div[@class='prose']/section"
	    "[@class='print-chapter']/h2[@class='chapter-title']"), n + 1);
	cr_assert_gt(t_count(doc, "//section[@id='appendix']"
	    "//section[@class='indicator']"), 0);
	xmlFreeDoc(doc);
	sg_rm_rf(site);
	free(pub);
	free(cmd);
	free(site);
}

/* The same for the trends page: an older trends.html puts the tables in
 * its content. */
Test(e2e, trends_page_of_an_older_theme_still_has_its_tables)
{
	char *site = t_copy_example();
	char *cmd = sg_xasprintf("cd '%s/themes/default' && rm parts/"
	    "trend-tables.html && sed -i 's|<div class=\"prose\" "
	    "data-sg-include=\"trend-tables\"></div>|<div class=\"prose\" "
	    "data-sg-html=\"content\"></div>|' trends.html && ! grep -q "
	    "trend-tables trends.html", site);
	char *pub;
	htmlDocPtr doc;

	cr_assert_eq(system(cmd), 0);
	pub = t_build(site, "");
	doc = t_page(pub, "indicators/index.html");
	cr_assert_eq(t_count(doc, "//div[@class='prose']/section"
	    "[@class='indicator']"), 6);
	cr_assert_gt(t_count(doc, "//table[contains(@class,'ind-trends')]"
	    "//td[@class='ind-chart']/svg"), 0);
	xmlFreeDoc(doc);
	sg_rm_rf(site);
	free(pub);
	free(cmd);
	free(site);
}

/* A theme asset whose path is too long to stat (the folder opens, the
 * file in it does not) is an error naming it, not a file left out. */
Test(e2e, an_asset_that_cannot_be_read_is_an_error)
{
	char *site = t_copy_example();
	char *dir = sg_xasprintf("%s/themes/default/assets", site);
	char name[256], *args, *err = NULL;
	size_t rel = strlen("themes/default/assets");
	int fd = open(dir, O_RDONLY | O_DIRECTORY), rc;

	/* Folders down to a relative path of about 4,000 bytes, then a file
	 * whose relative path passes PATH_MAX (4,096). */
	cr_assert_geq(fd, 0);
	while (rel < 3850) {
		memset(name, 'd', 200);
		name[200] = '\0';
		cr_assert_eq(mkdirat(fd, name, 0755), 0);
		int sub = openat(fd, name, O_RDONLY | O_DIRECTORY);
		cr_assert_geq(sub, 0);
		close(fd);
		fd = sub;
		rel += 201;
	}
	memset(name, 'f', 100);
	name[100] = '\0';
	int f = openat(fd, name, O_WRONLY | O_CREAT, 0644);
	cr_assert_geq(f, 0);
	cr_assert_eq(write(f, "x", 1), 1);
	close(f);
	close(fd);
	cr_assert_gt(rel + 101, 4096);
	cr_assert_lt(rel, 4096);

	args = sg_xasprintf("-C '%s' build", site);
	rc = t_run(args, &err);
	cr_assert_eq(rc, 3, "exit %d", rc);
	cr_assert(strstr(err, "fffff: fatal: cannot read: File name too long"),
	    "%.300s", err);
	/* rm(1) removes a tree deeper than PATH_MAX. */
	free(args);
	args = sg_xasprintf("rm -rf '%s'", site);
	cr_assert_eq(system(args), 0);
	free(err);
	free(args);
	free(dir);
	free(site);
}

/* The same input gives the same bytes whatever the number of threads. */
Test(e2e, output_does_not_depend_on_threads)
{
	char *a = t_tmpdir(), *b = t_tmpdir();
	char *args = sg_xasprintf("-C '%s' build -j 1 -o '%s/p'", t_root(), a);
	size_t na, nb;

	cr_assert_eq(t_run(args, NULL), 0);
	free(args);
	args = sg_xasprintf("-C '%s' build -j 4 -o '%s/p'", t_root(), b);
	cr_assert_eq(t_run(args, NULL), 0);
	free(args);
	char *pa = sg_xasprintf("%s/p", a), *pb = sg_xasprintf("%s/p", b);
	char **fa = t_files(pa, &na), **fb = t_files(pb, &nb);
	cr_assert_eq(na, nb);
	cr_assert_gt(na, 50);
	for (size_t i = 0; i < na; i++) {
		cr_assert_str_eq(fa[i], fb[i]);
		char *x = sg_xasprintf("%s/%s", pa, fa[i]);
		char *y = sg_xasprintf("%s/%s", pb, fb[i]);
		size_t lx, ly;
		char *dx = t_read(x, &lx), *dy = t_read(y, &ly);
		cr_assert(lx == ly && memcmp(dx, dy, lx) == 0, "%s differs", fa[i]);
		free(dx);
		free(dy);
		free(x);
		free(y);
	}
	t_free_list(fa, na);
	t_free_list(fb, nb);
	free(pa);
	free(pb);
	free(a);
	free(b);
}
