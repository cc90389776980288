/*
 * End to end: starting a site from nothing — `new site`, the theme and
 * templates the binary carries, reports without appendix tables (the
 * 2016–2020 frame, no template at all), the outline check, `new year`'s
 * school and template, a refused publish, `theme export`, and the
 * README's "Start a new site" steps with the binary `make install` puts
 * in a DESTDIR, run from a folder outside the source tree.
 */
#include <criterion/criterion.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "helpers.h"
#include "indicators.h"
#include "load.h"
#include "sg.h"
#include "source.h"
#include "util.h"

TestSuite(newsite, .init = t_init, .timeout = 300);

/* The binary under test, as an absolute path (commands run elsewhere). */
static char *
bin(void)
{
	const char *b = getenv("SG_BIN");

	if (b && *b == '/')
		return sg_xstrdup(b);
	return sg_xasprintf("%s/%s", t_root(), b ? b : "build/site-gen");
}

/* Runs exe (NULL: the binary under test) in folder dir with args. */
static int
sg_in(const char *exe, const char *dir, const char *args, char **out,
    char **err)
{
	char *b = exe ? sg_xstrdup(exe) : bin();
	char *cmd = sg_xasprintf("cd '%s' && NO_COLOR=1 '%s' %s", dir, b, args);
	int rc = t_sh(cmd, out, err);

	free(cmd);
	free(b);
	return rc;
}

static char *
read_at(const char *dir, const char *rel)
{
	char *p = sg_path_join(dir, rel), *s = t_read(p, NULL);

	free(p);
	return s;
}

/* 1 if dir/rel is a folder (a file). */
static int
dir_at(const char *dir, const char *rel)
{
	char *p = sg_path_join(dir, rel);
	int r = sg_is_dir(p);

	free(p);
	return r;
}

static int
file_at(const char *dir, const char *rel)
{
	char *p = sg_path_join(dir, rel);
	int r = sg_is_file(p);

	free(p);
	return r;
}

static void
write_chapters(const char *site, int year)
{
	char *a = sg_xasprintf("content/%d/01-school.md", year);
	char *b = sg_xasprintf("content/%d/02-students.md", year);

	t_write(site, a, "---\ntitle: 学校情况\n---\n\n## （一）学校概况\n\n"
	    "学校创办于 1985 年，是一所公办中等职业学校。\n");
	t_write(site, b, "---\ntitle: 学生发展\n---\n\n## （一）学生素质\n\n"
	    "学生在技能大赛中获省级奖项十二项。\n");
	free(a);
	free(b);
}

/* No finding of any kind about appendix tables or indicators. */
static void
no_table_findings(const char *what, const char *text)
{
	static const char *const words[] = {"附表", "indicator", "appendix",
	    "table-", "core-empty", "未填报", NULL};

	for (const char *const *w = words; *w; w++)
		cr_assert(text == NULL || strstr(text, *w) == NULL,
		    "%s mentions '%s':\n%s", what, *w, text);
}

/* Every relative link of every page in pub leads to a file there. */
static void
links_resolve(const char *pub)
{
	size_t n;
	char **files = t_files(pub, &n);

	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html"))
			continue;
		htmlDocPtr doc = t_page(pub, files[i]);
		xmlXPathContextPtr x = xmlXPathNewContext(doc);
		xmlXPathObjectPtr o = xmlXPathEvalExpression(
		    (const xmlChar *)"//a/@href | //link/@href", x);
		char *dir = sg_path_dir(files[i]);
		for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++) {
			char *h = (char *)xmlNodeGetContent(o->nodesetval->nodeTab[k]);
			char *hash = strchr(h, '#'), *rel, *norm, *p;
			if (hash)
				*hash = '\0';
			if (*h == '\0' || strchr(h, ':') || *h == '/') {
				xmlFree(h);
				continue;
			}
			rel = sg_xasprintf("%s%s%s", dir, h,
			    sg_has_suffix(h, "/") ? "index.html" : "");
			norm = sg_path_norm(rel);
			cr_assert_not_null(norm, "%s: link %s leaves the site",
			    files[i], h);
			p = sg_path_join(pub, norm);
			cr_assert(sg_is_file(p), "%s: link %s leads to no page",
			    files[i], h);
			free(p);
			free(norm);
			free(rel);
			xmlFree(h);
		}
		free(dir);
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(x);
		xmlFreeDoc(doc);
	}
	t_free_list(files, n);
}

Test(newsite, new_site_writes_a_site_and_never_overwrites)
{
	char *dir = t_tmpdir(), *site = sg_path_join(dir, "s");
	char *out = NULL, *err = NULL, *yml, *again;
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;

	cr_assert_eq(sg_in(NULL, dir, "new site s --school 测试职业学校 "
	    "--base-url https://r.example.edu.cn/zlnb/ --year 2020", &out,
	    &err), 0, "%s", err);
	cr_assert(strstr(out, "created s/site.yml"), "%s", out);
	cr_assert(strstr(out, "created s/content/2020/report.yml"), "%s", out);
	cr_assert(strstr(out, "template zz-2016"), "%s", out);
	/* The next three commands. */
	cr_assert(strstr(out, "site-gen serve"), "%s", out);
	cr_assert(strstr(out, "site-gen check 2020"), "%s", out);
	cr_assert(strstr(out, "site-gen publish 2020 -m"), "%s", out);
	free(out);
	free(err);

	/* site.yml has no title: it comes from the school. */
	s = t_load(site, &src, &d);
	cr_assert_eq(sg_diag_count(&d, SG_ERROR), 0);
	cr_assert_str_eq(s->title, "测试职业学校 教育质量年度报告");
	cr_assert_str_eq(s->school, "测试职业学校");
	cr_assert_str_eq(s->base_url, "https://r.example.edu.cn/zlnb/");
	cr_assert_eq(s->nreports, 1);
	cr_assert_str_eq(s->reports[0].template, "zz-2016");
	cr_assert_eq(s->reports[0].nchapters, 8);
	cr_assert_str_eq(s->reports[0].chapters[0].doc.title, "学校情况");
	cr_assert_str_eq(s->reports[0].chapters[7].doc.title, "主要问题和改进措施");
	cr_assert_eq(s->reports[0].nindicators, 0);
	cr_assert(strstr(s->reports[0].statement, "测试职业学校"));
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	again = read_at(site, ".gitignore");
	cr_assert(again && strstr(again, "/public/"));
	free(again);

	/* A second time: refused, nothing touched. */
	yml = read_at(site, "site.yml");
	t_write(site, "site.yml", "school: 改过的学校\nbase_url: https://x.cn/\n");
	cr_assert_eq(sg_in(NULL, dir, "new site s --school 别的学校", &out,
	    &err), 1);
	cr_assert(strstr(err, "a site exists here already"), "%s", err);
	again = read_at(site, "site.yml");
	cr_assert_str_eq(again, "school: 改过的学校\nbase_url: https://x.cn/\n");
	free(again);
	free(yml);
	free(out);
	free(err);

	/* Usage: --school is required. */
	cr_assert_eq(sg_in(NULL, dir, "new site t", NULL, &err), 2);
	cr_assert(strstr(err, "--school"), "%s", err);
	free(err);
	free(site);
	free(dir);
}

Test(newsite, a_report_without_appendix_tables_builds_and_checks_clean)
{
	char *dir = t_tmpdir(), *site = sg_path_join(dir, "s"), *pub;
	char *out = NULL, *err = NULL, *css, *ours;
	htmlDocPtr doc;

	cr_assert_eq(sg_in(NULL, dir, "new site s --school 测试职业学校 "
	    "--base-url https://r.example.edu.cn/zlnb/ --year 2020", NULL, NULL),
	    0);
	write_chapters(site, 2020);
	/* The folder has only site.yml and content/: theme and template are
	 * the binary's. */
	cr_assert_not(dir_at(site, "themes"));
	cr_assert_eq(sg_in(NULL, site, "check --strict 2020", &out, &err), 0,
	    "%s", err);
	cr_assert(strstr(err, "0 errors, 0 warnings"), "%s", err);
	no_table_findings("check", err);
	free(out);
	free(err);
	cr_assert_eq(sg_in(NULL, site, "build", &out, &err), 0, "%s", err);
	no_table_findings("build", err);
	cr_assert(strstr(out, "0 warnings"), "%s", out);
	free(out);
	free(err);

	pub = sg_path_join(site, "public");
	cr_assert_not(dir_at(pub, "2020/indicators"));
	cr_assert_not(dir_at(pub, "indicators"));
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//*[contains(@class,'key-figures')]"), 0);
	cr_assert_geq(t_count(doc, "//a[@href='2020/']"), 1);
	cr_assert_eq(t_count(doc, "//a[contains(@href,'indicators')]"), 0);
	xmlFreeDoc(doc);
	doc = t_page(pub, "2020/index.html");
	cr_assert_eq(t_count(doc, "//a[contains(@href,'indicators')]"), 0);
	cr_assert_geq(t_count(doc, "//a[contains(@href,'01-school')]"), 1);
	xmlFreeDoc(doc);
	doc = t_page(pub, "2020/01-school/index.html");
	char *text = t_text(doc, "//main");
	cr_assert(text && strstr(text, "学校创办于 1985 年"), "%s", text);
	free(text);
	xmlFreeDoc(doc);
	links_resolve(pub);

	/* The assets are the built-in theme's, byte for byte. */
	css = read_at(pub, "assets/style.css");
	ours = read_at(t_root(), "themes/default/assets/style.css");
	cr_assert(css && ours && strcmp(css, ours) == 0);
	free(css);
	free(ours);
	free(pub);
	free(site);
	free(dir);
}

Test(newsite, no_template_is_one_note_and_no_table_findings)
{
	char *site = t_tmpdir(), *err = NULL, *out = NULL, *pub, *n;
	htmlDocPtr doc;
	int notes = 0;

	t_write(site, "site.yml", "school: 测试学校\nbase_url: https://e.cn/r/\n");
	t_write(site, "content/2019/report.yml", "title: 测试学校 2019 年度报告\n"
	    "year: 2019\npublished: 2019-12-27\n");
	write_chapters(site, 2019);
	cr_assert_eq(sg_in(NULL, site, "-v build", &out, &err), 0, "%s", err);
	for (const char *p = err; (p = strstr(p, "no template")) != NULL; p++)
		notes++;
	cr_assert_eq(notes, 1, "%s", err);
	cr_assert(strstr(err, "content/2019/report.yml: note: no template"),
	    "%s", err);
	cr_assert_not(strstr(err, "warning:"), "%s", err);
	no_table_findings("build", strstr(err, "no template") + 80);
	free(out);
	free(err);
	cr_assert_eq(sg_in(NULL, site, "check --strict", NULL, &err), 0, "%s",
	    err);
	free(err);
	pub = sg_path_join(site, "public");
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//*[contains(@class,'key-figures')]"), 0);
	n = t_text(doc, "//title");
	cr_assert_str_eq(n, "测试学校 教育质量年度报告");
	free(n);
	xmlFreeDoc(doc);
	links_resolve(pub);
	free(pub);
	free(site);
}

Test(newsite, a_missing_part_of_the_outline_is_a_warning)
{
	char *site = t_tmpdir(), *err = NULL;

	t_write(site, "site.yml", "school: 测试学校\nbase_url: https://e.cn/r/\n");
	t_write(site, "content/2020/report.yml", "title: 测试学校 2020 年度报告\n"
	    "year: 2020\npublished: 2020-12-27\ntemplate: zz-2016\n");
	t_write(site, "content/2020/01-school.md", "---\ntitle: 学校情况\n---\n");
	/* A title may go on after the part's; "also" names another. */
	t_write(site, "content/2020/02-x.md", "---\ntitle: 学生发展——技能成才\n---\n");
	t_write(site, "content/2020/03-x.md", "---\ntitle: 服务贡献\n---\n");
	cr_assert_eq(sg_in(NULL, site, "check 2020", NULL, &err), 0, "%s", err);
	cr_assert(strstr(err, "content/2020/report.yml:4: warning: no chapter "
	    "质量保障措施"), "%s", err);
	cr_assert(strstr(err, "no chapter 主要问题和改进措施"), "%s", err);
	cr_assert_not(strstr(err, "no chapter 学校情况"), "%s", err);
	cr_assert_not(strstr(err, "no chapter 学生发展"), "%s", err);
	cr_assert_not(strstr(err, "no chapter 社会贡献"), "%s", err);
	cr_assert(strstr(err, "5 warnings"), "%s", err);
	free(err);
	cr_assert_eq(sg_in(NULL, site, "check --strict 2020", NULL, NULL), 1);
	free(site);
}

Test(newsite, new_year_takes_the_school_and_the_template)
{
	char *site = t_tmpdir(), *out = NULL, *err = NULL, *yml;

	/* An empty folder: build says how to start. */
	cr_assert_eq(sg_in(NULL, site, "build", NULL, &err), 1);
	cr_assert(strstr(err, "site.yml: error: missing; expected site.yml with "
	    "school and base_url"), "%s", err);
	cr_assert(strstr(err, "site-gen new site DIR --school"), "%s", err);
	free(err);
	/* No site.yml, then one without school: refused, nothing written. */
	cr_assert_eq(sg_in(NULL, site, "new year 2020", NULL, &err), 1);
	cr_assert(strstr(err, "no site.yml here"), "%s", err);
	free(err);
	t_write(site, "site.yml", "title: 某网站\nbase_url: https://e.cn/r/\n");
	cr_assert_eq(sg_in(NULL, site, "new year 2020", NULL, &err), 1);
	cr_assert(strstr(err, "site.yml names no school"), "%s", err);
	cr_assert_not(dir_at(site, "content"));
	free(err);

	t_write(site, "site.yml", "title: 某网站\nschool: 某某职业学校\n"
	    "base_url: https://e.cn/r/\n");
	/* 2020: the 2016–2020 frame, by its years. */
	cr_assert_eq(sg_in(NULL, site, "new year 2020", &out, NULL), 0);
	cr_assert(strstr(out, "template zz-2016 (the edition for the year): 8 "
	    "chapters, no appendix tables"), "%s", out);
	free(out);
	yml = read_at(site, "content/2020/report.yml");
	cr_assert(strstr(yml, "title: 某某职业学校 2020 年度教育质量报告\n"), "%s",
	    yml);
	cr_assert(strstr(yml, "template: zz-2016\n"), "%s", yml);
	free(yml);
	cr_assert_not(dir_at(site, "content/2020/indicators"));
	/* 2021: as the year before, although 2021 is the national frame's. */
	cr_assert_eq(sg_in(NULL, site, "new year 2021", &out, NULL), 0);
	cr_assert(strstr(out, "template zz-2016, as the 2020 report does"),
	    "%s", out);
	free(out);
	/* --template: the Zhejiang 2024 outline and its six tables. */
	cr_assert_eq(sg_in(NULL, site, "new year 2024 --template zz-2024", &out,
	    NULL), 0);
	cr_assert(strstr(out, "9 chapters and 6 appendix tables"), "%s", out);
	free(out);
	cr_assert(file_at(site, "content/2024/09-challenges.md"));
	cr_assert(file_at(site,
	    "content/2024/indicators/6-policy.csv"));
	/* With no 2023 tables, the template's rows, which read back as its
	 * rows and nothing else. */
	{
		struct sg_diag d = {0};
		struct sg_source *src;
		struct sg_site *s = t_load(site, &src, &d);
		const struct sg_report *r = &s->reports[s->nreports - 1];
		cr_assert_eq(r->year, 2024);
		cr_assert_eq(r->nindicators, 6);
		for (size_t i = 0; i < 6; i++) {
			const struct sg_ind_table *t = r->indicators[i].ind;
			cr_assert_not_null(t, "%s", r->indicators[i].path);
			cr_assert_eq(t->nrows, t->schema->nrows, "%s",
			    r->indicators[i].path);
		}
		for (size_t i = 0; i < d.n; i++)
			cr_assert(d.v[i].sev < SG_ERROR || !strstr(d.v[i].file,
			    "2024/indicators"), "%s: %s", d.v[i].file, d.v[i].msg);
		sg_load_free(s);
		sg_source_free(src);
		sg_diag_clear(&d);
	}
	out = read_at(site, "content/2024/indicators/1-scorecard.csv");
	cr_assert(strstr(out, "序号,指标,单位,2023年,2024年\n1,毕业生人数*,人,,\n"),
	    "%s", out);
	cr_assert(strstr(out, "\n,其中：升学人数,人,,\n"), "%s", out);
	free(out);
	/* The national frame's seven parts. */
	cr_assert_eq(sg_in(NULL, site, "new year 2023 --template national-2024",
	    &out, NULL), 0);
	cr_assert(strstr(out, "7 chapters and 6 appendix tables"), "%s", out);
	free(out);
	yml = read_at(site, "content/2023/04-international.md");
	cr_assert(yml && strstr(yml, "title: 国际合作"));
	free(yml);
	/* An unknown template: every place looked in. */
	cr_assert_eq(sg_in(NULL, site, "new year 2025 --template nope", NULL,
	    &err), 1);
	cr_assert(strstr(err, "schemas/nope.yml in the site folder"), "%s", err);
	cr_assert(strstr(err, "share/site-gen/schemas/nope.yml"), "%s", err);
	cr_assert(strstr(err, "zz-2016"), "%s", err);
	cr_assert_not(dir_at(site, "content/2025"));
	free(err);
	free(site);
}

Test(newsite, a_refused_publish_says_so_and_names_the_years_findings)
{
	char *site = t_tmpdir(), *out = NULL, *err = NULL;

	t_write(site, "site.yml", "school: 测试学校\nbase_url: https://e.cn/r/\n");
	t_write(site, "content/2019/report.yml", "title: 测试学校 2019 年度报告\n"
	    "year: 2019\npublished: 2019-12-27\ntemplate: zz-2016\n"
	    "allow: {report.yml: [outline]}\n");
	/* 2019: an error for check (a missing image), a warning in build. */
	t_write(site, "content/2019/01-school.md", "---\ntitle: 学校情况\n---\n\n"
	    "![](images/x.jpg \"校园\")\n");
	t_write(site, "content/2020/report.yml", "title: 测试学校 2020 年度报告\n"
	    "year: 2020\npublished: 2020-12-27\ntemplate: zz-2016\n"
	    "allow: {report.yml: [outline]}\n");
	t_write(site, "content/2020/01-school.md", "---\ntitle: 学校情况\n---\n\n"
	    "联系电话 13812345678。\n");
	cr_assert_eq(sg_in(NULL, site, "publish 2020 -m 首次发布 --author "
	    "'Office <o@e.cn>'", &out, &err), 1);
	cr_assert(strstr(err, "nothing was published"), "%s", err);
	cr_assert(strstr(err, "--allow-findings REASON"), "%s", err);
	cr_assert(strstr(err, "content/2020/01-school.md:5: error"), "%s", err);
	cr_assert_not(strstr(err, "content/2019"), "%s", err);
	cr_assert(strstr(err, "1 errors, 0 warnings"), "%s", err);
	cr_assert_not(dir_at(site, ".git"));
	free(out);
	free(err);

	/* Fixed: published, although 2019 still has its error. */
	t_write(site, "content/2020/01-school.md", "---\ntitle: 学校情况\n---\n\n"
	    "联系电话见学校网站。\n");
	cr_assert_eq(sg_in(NULL, site, "publish 2020 -m 首次发布 --author "
	    "'Office <o@e.cn>'", &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "published disclosure/2020/r1"), "%s", out);
	free(out);
	free(err);
	free(site);
}

Test(newsite, theme_lookup_export_and_override)
{
	char *site = t_tmpdir(), *out = NULL, *err = NULL, *pub, *a, *b;
	size_t n, m;
	char **mine, **src;
	htmlDocPtr doc;

	t_write(site, "site.yml", "school: 测试学校\nbase_url: https://e.cn/r/\n"
	    "theme: fancy\n");
	write_chapters(site, 2020);
	t_write(site, "content/2020/report.yml", "title: 测试学校 2020 年度报告\n"
	    "year: 2020\npublished: 2020-12-27\ntemplate: zz-2016\n"
	    "allow: {report.yml: [outline]}\n");
	/* A theme found nowhere: every place looked in. */
	cr_assert_eq(sg_in(NULL, site, "build", NULL, &err), 1);
	cr_assert(strstr(err, "theme 'fancy' not found; looked in themes/fancy/ "
	    "of the site, "), "%s", err);
	cr_assert(strstr(err, "share/site-gen/themes/fancy"), "%s", err);
	cr_assert(strstr(err, "built into site-gen"), "%s", err);
	free(err);

	/* Exported: the source tree's theme, file for file. */
	cr_assert_eq(sg_in(NULL, site, "theme export themes/fancy", &out, NULL),
	    0);
	cr_assert(strstr(out, "created themes/fancy/layout.html"), "%s", out);
	free(out);
	a = sg_path_join(site, "themes/fancy");
	b = sg_path_join(t_root(), "themes/default");
	mine = t_files(a, &n);
	src = t_files(b, &m);
	cr_assert_eq(n, m);
	for (size_t i = 0; i < n; i++) {
		char *x = read_at(a, mine[i]), *y = read_at(b, src[i]);
		cr_assert_str_eq(mine[i], src[i]);
		cr_assert(x && y && strcmp(x, y) == 0, "%s differs", mine[i]);
		free(x);
		free(y);
	}
	t_free_list(mine, n);
	t_free_list(src, m);
	/* Again: nothing overwritten. */
	t_write(site, "themes/fancy/404.html", "<p>mine</p>\n");
	cr_assert_eq(sg_in(NULL, site, "theme export themes/fancy", &out, NULL),
	    0);
	cr_assert(strstr(out, "kept    themes/fancy/404.html (exists)"), "%s",
	    out);
	free(out);
	out = read_at(site, "themes/fancy/404.html");
	cr_assert_str_eq(out, "<p>mine</p>\n");
	free(out);
	t_write(site, "themes/fancy/404.html", "<p>页面未找到</p>\n");

	/* The site's own theme is used, and a change to it rebuilds. */
	pub = t_build(site, "");
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//*[@id='mine']"), 0);
	xmlFreeDoc(doc);
	out = read_at(site, "themes/fancy/layout.html");
	char *p = strstr(out, "<body");
	cr_assert_not_null(p);
	p = strchr(p, '>') + 1;
	char *edited = sg_xasprintf("%.*s<p id=\"mine\">本校</p>%s",
	    (int)(p - out), out, p);
	t_write(site, "themes/fancy/layout.html", edited);
	free(edited);
	free(out);
	free(pub);
	pub = t_build(site, "");
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//*[@id='mine']"), 1);
	xmlFreeDoc(doc);
	free(pub);
	free(a);
	free(b);
	free(site);
}

/*
 * The README's "Start a new site", step by step, with the binary that
 * make install puts in a DESTDIR, run from a folder outside the source
 * tree: no file of the source tree is read.
 */
Test(newsite, readme_steps_with_the_installed_binary, .timeout = 600)
{
	char *dest = t_tmpdir(), *work = t_tmpdir(), *site, *exe, *cmd;
	char *out = NULL, *err = NULL, *all, *pub;
	htmlDocPtr doc;

	cmd = sg_xasprintf("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "
	    "'%s' install DESTDIR='%s' PREFIX=/opt/sg", t_root(), dest);
	cr_assert_eq(t_sh(cmd, NULL, &err), 0, "make install: %s", err);
	free(cmd);
	free(err);
	exe = sg_xasprintf("%s/opt/sg/bin/site-gen", dest);
	cr_assert(sg_is_file(exe));
	site = sg_path_join(work, "myschool");

	cr_assert_eq(sg_in(exe, work, "new site myschool --school "
	    "某某市职业技术学校 --base-url https://www.example.edu.cn/zlnb/ "
	    "--year 2020", &out, &err), 0, "%s", err);
	free(out);
	free(err);
	write_chapters(site, 2020);
	cr_assert_eq(sg_in(exe, site, "check 2020", &out, &err), 0, "%s", err);
	all = sg_xasprintf("%s%s", out, err);
	free(out);
	free(err);
	cr_assert_eq(sg_in(exe, site, "publish 2020 -m 首次发布 --author "
	    "'教务处 <office@example.edu.cn>'", &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "published disclosure/2020/r1"), "%s", out);
	cmd = sg_xasprintf("%s%s%s", all, out, err);
	free(all);
	all = cmd;
	free(out);
	free(err);
	cr_assert_eq(sg_in(exe, site, "build", &out, &err), 0, "%s", err);
	cmd = sg_xasprintf("%s%s%s", all, out, err);
	free(all);
	all = cmd;
	free(out);
	free(err);
	no_table_findings("the steps", all);
	cr_assert_not(strstr(all, " error:"), "%s", all);
	cr_assert_not(strstr(all, " warning:"), "%s", all);
	free(all);

	/* The site shows the report. */
	pub = sg_path_join(site, "public");
	doc = t_page(pub, "index.html");
	cr_assert_geq(t_count(doc, "//a[@href='2020/']"), 1);
	cr_assert_eq(t_count(doc, "//*[contains(@class,'key-figures')]"), 0);
	xmlFreeDoc(doc);
	doc = t_page(pub, "2020/02-students/index.html");
	char *text = t_text(doc, "//main");
	cr_assert(text && strstr(text, "获省级奖项十二项"), "%s", text);
	free(text);
	xmlFreeDoc(doc);
	links_resolve(pub);

	/* The installed folder comes before the built-in copy: a template
	 * changed there is the one used. */
	cmd = sg_xasprintf("sed -i 's/title: 学生发展, file: 02-students.md/"
	    "title: 学生成长, file: 02-students.md/' "
	    "'%s/opt/sg/share/site-gen/schemas/zz-2016.yml'", dest);
	cr_assert_eq(t_sh(cmd, NULL, NULL), 0);
	free(cmd);
	cr_assert_eq(sg_in(exe, site, "new year 2019", NULL, &err), 0, "%s", err);
	free(err);
	out = read_at(site, "content/2019/02-students.md");
	cr_assert(out && strstr(out, "title: 学生成长"), "%s", out);
	free(out);

	/* So does a theme there, and editing it makes the next build a
	 * real one. */
	cmd = sg_xasprintf("sed -i 's|<body\\([^>]*\\)>|<body\\1><p id=\"inst\">"
	    "x</p>|' '%s/opt/sg/share/site-gen/themes/default/layout.html'",
	    dest);
	cr_assert_eq(t_sh(cmd, NULL, NULL), 0);
	free(cmd);
	cr_assert_eq(sg_in(exe, site, "build", NULL, &err), 0, "%s", err);
	free(err);
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//p[@id='inst']"), 1);
	xmlFreeDoc(doc);

	/* The binary copied alone still has its theme and templates. */
	cmd = sg_xasprintf("mkdir -p '%s/lone' && cp '%s' '%s/lone/site-gen'",
	    work, exe, work);
	cr_assert_eq(t_sh(cmd, NULL, NULL), 0);
	free(cmd);
	free(exe);
	exe = sg_xasprintf("%s/lone/site-gen", work);
	cr_assert_eq(sg_in(exe, site, "new year 2018", NULL, &err), 0, "%s", err);
	free(err);
	out = read_at(site, "content/2018/02-students.md");
	cr_assert(out && strstr(out, "title: 学生发展"), "%s", out);
	free(out);
	cr_assert_eq(sg_in(exe, site, "build -o out2", NULL, &err), 0, "%s", err);
	free(err);
	cr_assert(file_at(site, "out2/assets/style.css"));
	doc = t_page(site, "out2/index.html");
	cr_assert_eq(t_count(doc, "//p[@id='inst']"), 0);
	xmlFreeDoc(doc);
	free(pub);
	free(exe);
	free(site);
	free(work);
	free(dest);
}
