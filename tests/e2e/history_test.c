/*
 * End to end: the disclosure history.  Repositories are made in temporary
 * folders with libgit2 (never the git binary); site-gen publishes into
 * them, and the tests read back tags, commits and the built site.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <stdarg.h>
#include <git2.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "changes.h"
#include "diag.h"
#include "helpers.h"
#include "history.h"
#include "util.h"

static void
init(void)
{
	t_init();
	git_libgit2_init();
	/* No user-level git configuration: the author must come from
	 * --author or the repository. */
	char *home = t_tmpdir();
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(home);
}

static void
fini(void)
{
	git_libgit2_shutdown();
}

TestSuite(history, .init = init, .fini = fini, .timeout = 120);

#define AUTHOR	"--author '教务处 <jwc@example.edu.cn>'"
/* The example report has real problems check reports (and its photos were
 * lost): publishing it means saying so. */
#define ALLOW	" --allow-findings '照片在文本提取中丢失，附表问题待学校核实'"
#define OLD_SENTENCE	"近年来学生积极向团组织靠拢的比例逐年上升。"
#define NEW_SENTENCE	"近年来学生积极向团组织靠拢的比例逐年稳步上升。"

/* A copy of the example in a new repository on an unborn main branch. */
static char *
example_repo(void)
{
	char *dir = t_copy_example();
	git_repository *repo;
	git_repository_init_options o;

	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.initial_head = "main";
	cr_assert_eq(git_repository_init_ext(&repo, dir, &o), 0);
	git_repository_free(repo);
	return dir;
}

static git_repository *
open_repo(const char *dir)
{
	git_repository *repo = NULL;

	cr_assert_eq(git_repository_open(&repo, dir), 0);
	return repo;
}

static int
publish(const char *dir, const char *note, const char *extra, char **err)
{
	char *args = sg_xasprintf("-C '%s' publish 2024 -m '%s' %s", dir, note,
	    extra ? extra : AUTHOR ALLOW);
	int rc = t_run(args, err);

	free(args);
	return rc;
}

/* Runs site-gen with args, its output to dir/out.txt. */
static int
run_out(const char *dir, const char *args)
{
	char *cmd = sg_xasprintf("'%s' -C '%s' %s > '%s/out.txt' 2>/dev/null",
	    getenv("SG_BIN") ? getenv("SG_BIN") : "build/site-gen", dir, args,
	    dir);
	int st = system(cmd);

	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static size_t
ntags(git_repository *repo)
{
	git_strarray a = {0};
	size_t n;

	cr_assert_eq(git_tag_list(&a, repo), 0);
	n = a.count;
	git_strarray_dispose(&a);
	return n;
}

/* HEAD's commit id as hex, or "" on an unborn branch. */
static void
head_id(git_repository *repo, char out[41])
{
	git_oid id;

	out[0] = '\0';
	if (git_reference_name_to_id(&id, repo, "HEAD") == 0)
		git_oid_tostr(out, 41, &id);
}

static size_t
ncommits(git_repository *repo)
{
	git_revwalk *w;
	git_oid id;
	size_t n = 0;

	if (git_repository_head_unborn(repo) == 1)
		return 0;
	cr_assert_eq(git_revwalk_new(&w, repo), 0);
	git_revwalk_push_head(w);
	while (git_revwalk_next(&id, w) == 0)
		n++;
	git_revwalk_free(w);
	return n;
}


static htmlDocPtr
page(const char *dir, const char *rel)
{
	char *p = sg_xasprintf("%s/public/%s", dir, rel);
	htmlDocPtr doc = t_html(p);

	cr_assert_not_null(doc, "cannot parse %s", p);
	free(p);
	return doc;
}

/* The 毕业生人数 row's 2024 cell on an indicators page. */
static char *
graduates(const char *dir, const char *rel)
{
	htmlDocPtr doc = page(dir, rel);
	char *v = t_text(doc, "//tbody/tr[th[starts-with(., '毕业生人数')]]/td[4]");

	xmlFreeDoc(doc);
	cr_assert_not_null(v, "no 毕业生人数 row in %s", rel);
	return v;
}

static int
contains(const char *dir, const char *rel, const char *needle)
{
	char *p = sg_xasprintf("%s/%s", dir, rel);
	char *s = t_read(p, NULL);
	int found = s && strstr(s, needle) != NULL;

	free(s);
	free(p);
	return found;
}

static void
pct_decode(char *s)
{
	char *w = s;

	for (; *s; s++) {
		unsigned int c;
		if (*s == '%' && sscanf(s + 1, "%2x", &c) == 1) {
			*w++ = (char)c;
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/* Every relative link and image of every page under dir/public/sub
 * points at a file that exists. */
static void
links_resolve(const char *dir, const char *sub)
{
	char *pub = sg_xasprintf("%s/public", dir);
	char *base = sg_xasprintf("%s/%s", pub, sub);
	size_t n, links = 0;
	char **files = t_files(base, &n);

	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html"))
			continue;
		char *rel = sg_xasprintf("%s%s", sub, files[i]);
		htmlDocPtr doc = page(dir, rel);
		xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
		xmlXPathObjectPtr o = xmlXPathEvalExpression(
		    (const xmlChar *)"//@href | //@src", ctx);
		char *pdir = sg_path_dir(rel);
		for (int k = 0; o->nodesetval && k < o->nodesetval->nodeNr; k++) {
			xmlChar *v = xmlNodeGetContent(o->nodesetval->nodeTab[k]);
			char *u = sg_xstrdup((char *)v), *h = strchr(u, '#');
			if (h)
				*h = '\0';
			pct_decode(u);
			if (*u && strchr(u, ':') == NULL) {
				char *j = sg_xasprintf("%s%s", pdir, u);
				char *norm = sg_path_norm(j);
				cr_assert_not_null(norm, "%s: %s", rel, v);
				char *f = sg_xasprintf("%s/%s%s%s", pub, norm,
				    *norm && sg_has_suffix(u, "/") ? "/" : "",
				    sg_has_suffix(u, "/") ? "index.html" : "");
				cr_assert(sg_is_file(f), "%s: %s -> %s missing", rel,
				    v, f);
				links++;
				free(f);
				free(norm);
				free(j);
			}
			free(u);
			xmlFree(v);
		}
		free(pdir);
		xmlXPathFreeObject(o);
		xmlXPathFreeContext(ctx);
		xmlFreeDoc(doc);
		free(rel);
	}
	cr_assert_gt(links, 0);
	t_free_list(files, n);
	free(base);
	free(pub);
}

/* Publishes r1, amends one indicator value and one sentence, publishes
 * r2: the tags, notes, semantic diff and built pages. */
Test(history, publish_amend_publish)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	git_object *o = NULL;
	char c1[41];
	int rc;

	rc = publish(dir, "首次发布 2024 年度报告", NULL, &err);
	cr_assert_eq(rc, 0, "publish r1: %s", err);
	free(err);
	cr_assert_eq(ntags(repo), 1);
	cr_assert_eq(ncommits(repo), 1);
	head_id(repo, c1);
	/* Annotated, on main, carrying the note. */
	cr_assert_eq(git_revparse_single(&o, repo, "refs/tags/disclosure/2024/r1"),
	    0);
	cr_assert_eq(git_object_type(o), GIT_OBJECT_TAG);
	cr_assert(strncmp(git_tag_message((git_tag *)o), "首次发布 2024 年度报告\n",
	    strlen("首次发布 2024 年度报告\n")) == 0);
	cr_assert_str_eq(git_tag_tagger((git_tag *)o)->name, "教务处");
	char tagged[41];
	git_oid_tostr(tagged, sizeof(tagged), git_tag_target_id((git_tag *)o));
	cr_assert_str_eq(tagged, c1);
	git_object_free(o);
	git_reference *head;
	cr_assert_eq(git_reference_lookup(&head, repo, "HEAD"), 0);
	cr_assert_str_eq(git_reference_symbolic_target(head), "refs/heads/main");
	git_reference_free(head);

	/* Amend one indicator value and one sentence. */
	t_replace(dir, "content/2024/indicators/1-scorecard.csv",
	    "1,毕业生人数*,人,522,592", "1,毕业生人数*,人,522,600");
	t_replace(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	rc = publish(dir, "更正毕业生人数", NULL, &err);
	cr_assert_eq(rc, 0, "publish r2: %s", err);
	free(err);
	cr_assert_eq(ntags(repo), 2);
	cr_assert_eq(ncommits(repo), 2);

	/* The semantic diff, from the two tagged trees. */
	struct sg_diag d = {0};
	struct sg_history *h = NULL;
	cr_assert_eq(sg_history_open(dir, &h, &d), 0);
	cr_assert_not_null(h);
	cr_assert_eq(sg_history_read(h, &d), 0);
	cr_assert_eq(h->nrevs, 2);
	struct sg_rev *r1 = sg_history_find(h, 2024, "r1");
	struct sg_rev *r2 = sg_history_find(h, 2024, "disclosure/2024/r2");
	cr_assert_not_null(r1);
	cr_assert_not_null(r2);
	cr_assert_str_eq(r1->note, "首次发布 2024 年度报告");
	cr_assert_str_eq(r2->note, "更正毕业生人数");
	cr_assert_str_eq(r2->author, "教务处");
	/* Published over check's findings, with the reason recorded. */
	cr_assert_not_null(r2->allowed);
	cr_assert_eq(sg_history_load_rev(h, r1, NULL, &d), 0);
	cr_assert_eq(sg_history_load_rev(h, r2, NULL, &d), 0);
	struct sg_changes ch = {0};
	sg_changes_compute(r1->report, r2->report, &ch);
	char *text = sg_changes_text(&ch);
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].obj, SG_CH_INDICATOR);
	cr_assert_eq(ch.v[0].op, SG_CH_VALUE);
	cr_assert_str_eq(ch.v[0].name, "人才培养质量计分卡");
	cr_assert_str_eq(ch.v[0].row, "毕业生人数*");
	cr_assert_str_eq(ch.v[0].col, "2024年");
	cr_assert_str_eq(ch.v[0].old, "592");
	cr_assert_str_eq(ch.v[0].new, "600");
	cr_assert_eq(ch.v[1].obj, SG_CH_CHAPTER);
	cr_assert_eq(ch.v[1].op, SG_CH_EDITED);
	cr_assert_str_eq(ch.v[1].file, "02-talent.md");
	cr_assert_eq(ch.v[1].text.n, 1);
	cr_assert_str_eq(ch.v[1].text.v[0].old, OLD_SENTENCE);
	cr_assert_str_eq(ch.v[1].text.v[0].new, NEW_SENTENCE);
	free(text);
	sg_changes_clear(&ch);
	sg_history_free(h);
	sg_diag_clear(&d);

	/* The terminal shows the same. */
	cr_assert_eq(run_out(dir, "diff 2024 r1 r2"), 0);
	cr_assert(contains(dir, "out.txt", "毕业生人数* · 2024年: 592 → 600"));
	cr_assert(contains(dir, "out.txt", "逐年{+稳步+}上升。"));

	/* /2024/r1/ is the report as first published, /2024/ the current. */
	char *v = graduates(dir, "2024/r1/indicators/index.html");
	cr_assert_str_eq(v, "592");
	free(v);
	v = graduates(dir, "2024/indicators/index.html");
	cr_assert_str_eq(v, "600");
	free(v);
	cr_assert(contains(dir, "public/2024/r1/02-talent/index.html",
	    OLD_SENTENCE));
	cr_assert(contains(dir, "public/2024/02-talent/index.html", NEW_SENTENCE));
	cr_assert(contains(dir, "public/2024/r1/indicators/1-scorecard.csv",
	    "522,592"));
	htmlDocPtr doc = page(dir, "2024/r1/02-talent/index.html");
	cr_assert_eq(t_count(doc, "//*[@class='archive-banner']//a[@href='../../"
	    "02-talent/' or @href='../../']"), 1);
	/* The footer names the revision for readers, not the commit. */
	char *rev = t_text(doc, "//footer//p[@class='revision']");
	c1[7] = '\0';
	cr_assert(strstr(rev, "版本：r1（") && strstr(rev, "首次公开"), "%s", rev);
	cr_assert(!strstr(rev, c1), "%s shows the commit %s", rev, c1);
	free(rev);
	xmlFreeDoc(doc);

	/* The current report names its latest revision and history. */
	doc = page(dir, "2024/index.html");
	rev = t_text(doc, "//footer//p[@class='revision']");
	cr_assert(strstr(rev, "版本：r2（") && strstr(rev, "修订"), "%s", rev);
	free(rev);
	cr_assert_eq(t_count(doc, "//a[@href='history/']"), 1);
	cr_assert_eq(t_count(doc, "//span[.='r2']"), 1);
	xmlFreeDoc(doc);

	/* The history page: both revisions, the change marked up. */
	doc = page(dir, "2024/history/index.html");
	cr_assert_eq(t_count(doc, "//li[@id='r1' or @id='r2']"), 2);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//table//tr[th[.='毕业生人数*']]"
	    "[td/del[.='592']][td/ins[.='600']]"), 1);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//ins[.='稳步']"), 1);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//*[@class='hunk-label']"), 2);
	cr_assert_eq(t_count(doc, "//li[@id='r1']//ins"), 0);
	cr_assert_eq(t_count(doc, "//p[@class='rev-note'][.='更正毕业生人数']"), 1);
	xmlFreeDoc(doc);

	/* The ledger: newest first. */
	doc = page(dir, "history/index.html");
	cr_assert_eq(t_count(doc, "//tbody/tr"), 2);
	char *first = t_text(doc, "//tbody/tr[1]/th");
	cr_assert(strstr(first, "r2"), "%s", first);
	free(first);
	xmlFreeDoc(doc);

	/* The feed: one entry per publication and amendment. */
	char *p = sg_xasprintf("%s/public/atom.xml", dir);
	xmlDocPtr feed = xmlReadFile(p, NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx = xmlXPathNewContext(feed);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"a",
	    (const xmlChar *)"http://www.w3.org/2005/Atom");
	xmlXPathObjectPtr xo = xmlXPathEvalExpression((const xmlChar *)
	    "//a:entry[a:id[contains(., '/2024/r1/') or contains(., '/2024/r2/')]]",
	    ctx);
	cr_assert_eq(xo->nodesetval ? xo->nodesetval->nodeNr : 0, 2);
	xmlXPathFreeObject(xo);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(feed);
	free(p);

	/* Archived pages link within their revision and to the site. */
	links_resolve(dir, "2024/r1/");
	links_resolve(dir, "2024/history/");
	links_resolve(dir, "history/");

	git_repository_free(repo);
	free(dir);
}

/* Each usage error of publish: exit 2, what was expected on stderr, and
 * nothing committed or tagged. */
Test(history, publish_usage_errors_change_nothing)
{
	static const struct {
		const char *args, *says;
	} c[] = {
		{"publish", "expected one YEAR, such as 2024"},
		{"publish 24 -m 注", "expected one YEAR, such as 2024"},
		{"publish 2024 2025 -m 注", "expected one YEAR, such as 2024"},
		{"publish 2024", "expected -m NOTE saying what this publication"},
		{"publish 2024 -m ''", "expected -m NOTE saying what this"},
		{"publish 2024 -m 注 --allow-findings ''",
		    "--allow-findings needs a reason"},
		{"publish 2024 -m 注 --author '教务处'",
		    "--author '教务处' is not \"NAME <EMAIL>\""},
		{"publish 2024 -m 注 --frobnicate",
		    "unrecognized option '--frobnicate'"},
	};
	char *dir = example_repo();
	git_repository *repo = open_repo(dir);

	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		char *args = sg_xasprintf("-C '%s' %s", dir, c[i].args), *err;
		int rc = t_run(args, &err);
		cr_assert_eq(rc, 2, "%s: exit %d: %s", c[i].args, rc, err);
		cr_assert(strstr(err, c[i].says), "%s: %s", c[i].args, err);
		free(err);
		free(args);
	}
	cr_assert_eq(ntags(repo), 0);
	cr_assert_eq(git_repository_head_unborn(repo), 1);
	git_repository_free(repo);
	free(dir);
}

/* Publishes r1, then renames chapter 9 (挑战与对策 → 挑战与应对) in the
 * working tree. */
static void
publish_and_rename(const char *dir)
{
	char *err = NULL;
	int rc = publish(dir, "首次发布", NULL, &err);

	cr_assert_eq(rc, 0, "publish r1: %s", err);
	free(err);
	t_replace(dir, "content/2024/09-challenges.md", "title: 挑战与对策",
	    "title: 挑战与应对");
}

/* r2 renames a chapter, removes a case and adds one: the history page
 * lists each under 增删与更名, read back with libxml2. */
Test(history, history_page_lists_added_removed_and_renamed)
{
	char *dir = example_repo(), *err = NULL, *pub, *rm;
	htmlDocPtr doc;
	int rc;

	publish_and_rename(dir);
	t_replace(dir, "content/2024/08-innovation.md",
	    "[案例 6](cases/06-sheying.md)", "");
	rm = sg_path_join(dir, "content/2024/cases/06-sheying.md");
	cr_assert_eq(unlink(rm), 0);
	free(rm);
	t_write(dir, "content/2024/cases/07-xinzeng.md", "---\ntitle: 新增的案例\n"
	    "tags: [测试]\nsummary: 一个新案例。\n---\n\n新案例的正文。\n");
	rc = publish(dir, "调整章节与案例", NULL, &err);
	cr_assert_eq(rc, 0, "publish r2: %s", err);
	free(err);
	pub = t_build(dir, "");
	doc = t_page(pub, "2024/history/index.html");
	const char *li = "//ul[@class='change-list']/li";
	char *xp = sg_xasprintf("%s[span[@class='change-op']='更名']"
	    "[del='挑战与对策'][ins='挑战与应对']", li);
	cr_assert_eq(t_count(doc, xp), 1, "no rename of the chapter");
	free(xp);
	xp = sg_xasprintf("%s[span[@class='change-op']='删除']"
	    "[contains(del, '用图像记录美好生活')]", li);
	cr_assert_eq(t_count(doc, xp), 1, "no removed case");
	free(xp);
	xp = sg_xasprintf("%s[span[@class='change-op']='新增']"
	    "[contains(ins, '新增的案例')]", li);
	cr_assert_eq(t_count(doc, xp), 1, "no added case");
	free(xp);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

/* A theme exported before history.html listed the changes itself shows
 * them in rev_changes, from the built-in part revision-changes. */
Test(history, history_page_of_an_older_theme_still_lists_the_changes)
{
	char *dir = example_repo(), *err = NULL, *pub, *cmd;
	htmlDocPtr doc;
	int rc;

	publish_and_rename(dir);
	rc = publish(dir, "改章节标题", NULL, &err);
	cr_assert_eq(rc, 0, "publish r2: %s", err);
	free(err);
	cmd = sg_xasprintf("cd '%s/themes/default' && rm parts/"
	    "revision-changes.html && sed -i 's|<div class=\"changes\" "
	    "data-sg-if=\"rev_changed\" data-sg-include=\"revision-changes\">"
	    "</div>|<div class=\"changes\" data-sg-if=\"rev_changes\" "
	    "data-sg-html=\"rev_changes\"></div>|' history.html && ! grep -q "
	    "revision-changes history.html", dir);
	cr_assert_eq(system(cmd), 0);
	pub = t_build(dir, "");
	doc = t_page(pub, "2024/history/index.html");
	cr_assert_eq(t_count(doc, "//li[@id='r2']/div[@class='changes']"
	    "/ul[@class='change-list']/li[span[@class='change-op']='更名']"
	    "[del='挑战与对策'][ins='挑战与应对']"), 1);
	cr_assert_eq(t_count(doc, "//li[@id='r1']/div[@class='changes']"), 0);
	xmlFreeDoc(doc);
	free(cmd);
	free(pub);
	free(dir);
}

/* The number of nodes under r2's entry of the history page at the XPath
 * that fmt and its arguments make. */
static int __attribute__((format(printf, 2, 3)))
in_r2(htmlDocPtr doc, const char *fmt, ...)
{
	char *sub, *xp;
	va_list ap;
	int n;

	va_start(ap, fmt);
	cr_assert_geq(vasprintf(&sub, fmt, ap), 0);
	va_end(ap);
	xp = sg_xasprintf("//li[@id='r2']//%s", sub);
	n = t_count(doc, xp);
	free(xp);
	free(sub);
	return n;
}

/*
 * r2 changes every kind of thing the history page lists; r3 changes only
 * spacing.  The page, read back with libxml2, shows each in its list:
 * the value table, rows and columns added and removed, a report field, a
 * file renamed, and each edited passage with its label and marked words.
 */
Test(history, history_page_shows_every_kind_of_change)
{
	char *dir = example_repo(), *err = NULL, *pub, *from, *to;
	htmlDocPtr doc;
	int rc;

	rc = publish(dir, "首次发布", NULL, &err);
	cr_assert_eq(rc, 0, "publish r1: %s", err);
	free(err);
	t_replace(dir, "content/2024/indicators/2-satisfaction.csv",
	    "1,在校生满意度*,%,,,,", "1,在校生满意度*,%,,,,95");
	t_replace(dir, "content/2024/indicators/4-service.csv",
	    "9,非学历培训到账经费,万元,-,-", "10,新增的指标,项,1,2");
	t_replace(dir, "content/2024/tables/graduates-2022-2024.csv", "初次就业起薪",
	    "起薪");
	t_replace(dir, "content/2024/report.yml", "年度教育质量报告\n",
	    "年度教育质量报告（修订）\n");
	t_replace(dir, "content/2024/report.yml", "  特此声明。\n",
	    "  特此郑重声明。\n  另行补充一行。\n");
	from = sg_path_join(dir, "content/2024/cases/05-mentor-system.md");
	to = sg_path_join(dir, "content/2024/cases/05-mentor.md");
	cr_assert_eq(rename(from, to), 0);
	free(from);
	free(to);
	t_replace(dir, "content/2024/03-support.md", "(cases/05-mentor-system.md)",
	    "(cases/05-mentor.md)");
	t_replace(dir, "content/2024/09-challenges.md", "建立合作机制：与其他学校、"
	    "教育机构或企业建立合作关系，共享资源，互利共赢。\n\n", "");
	t_replace(dir, "content/2024/09-challenges.md", "提供有力依据。",
	    "提供有力依据。\n\n全新的一段话。");
	rc = publish(dir, "修订各处", NULL, &err);
	cr_assert_eq(rc, 0, "publish r2: %s", err);
	free(err);
	t_replace(dir, "content/2024/09-challenges.md", "全新的一段话。",
	    "全新的一段话。\n\n");
	rc = publish(dir, "只改空行", NULL, &err);
	cr_assert_eq(rc, 0, "publish r3: %s", err);
	free(err);
	pub = t_build(dir, "");
	doc = t_page(pub, "2024/history/index.html");

	/* Each list under its heading. */
	cr_assert_eq(in_r2(doc, "div[@class='changes']/h3[.='数据修改']"), 1);
	cr_assert_eq(in_r2(doc, "div[@class='changes']/h3[.='增删与更名']"), 1);
	cr_assert_eq(in_r2(doc, "div[@class='changes']/h3[.='文字修改']"), 1);
	/* A value that was empty: （空） in the old column, the new marked. */
	cr_assert_eq(in_r2(doc, "table[@class='value-changes']/tbody/tr"
	    "[td[1]='满意度调查表'][th[@scope='row']='在校生满意度*']"
	    "[td[2]='调查方式'][td[3]='（空）'][not(td[3]/del)][td[4]/ins='95']"
	    "[td[5]='%%']"), 1, "no value change with an empty old value");
	/* Rows and columns added and removed, named by table. */
	const char *li = "ul[@class='change-list']/li";
	struct { const char *op, *rest; } want[] = {
		{"新增行", "[starts-with(., '新增行 服务贡献表：')]"
		    "[contains(ins, '新增的指标')][not(del)]"},
		{"删除行", "[starts-with(., '删除行 服务贡献表：')]"
		    "[contains(del, '非学历培训到账经费')][not(ins)]"},
		{"新增列", "[.='新增列 graduates-2022-2024：起薪']"},
		{"删除列", "[.='删除列 graduates-2022-2024：初次就业起薪']"},
		{"修改", "[starts-with(., '修改 标题：')]"
		    "[del='乐清市总工会职业技术学校 2024 年度教育质量报告']"
		    "[ins='乐清市总工会职业技术学校 2024 年度教育质量报告（修订）']"},
		{"文件更名", "[starts-with(., '文件更名 案例 ')]"
		    "[del='cases/05-mentor-system.md'][ins='cases/05-mentor.md']"},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_assert_eq(in_r2(doc, "%s[span[@class='change-op']='%s']%s", li,
		    want[i].op, want[i].rest), 1, "no %s item", want[i].op);
	/* A report field's text: its name, the count, a line break kept. */
	const char *sec = "section[@class='doc-change'][h4[starts-with(., "
	    "'报告信息 · 内容真实性责任声明')][span[@class='change-op']="
	    "'修改 1 处']]";
	cr_assert_eq(in_r2(doc, "%s//p[@class='hunk-old'][span[@class="
	    "'hunk-label']='原文：'][.='原文：特此声明。']", sec), 1,
	    "no old side of the statement");
	cr_assert_eq(in_r2(doc, "%s//p[@class='hunk-new'][span[@class="
	    "'hunk-label']='改为：'][ins[1]='郑重'][ins[2]/br]", sec), 1,
	    "no new side of the statement");
	/* A passage only removed, one only added. */
	cr_assert_eq(in_r2(doc, "ol[@class='hunks']/li[p[@class='hunk-old']"
	    "[span[@class='hunk-label']='删除：'][contains(del, '建立合作机制')]]"
	    "[not(p[@class='hunk-new'])]"), 1, "no removed passage");
	cr_assert_eq(in_r2(doc, "ol[@class='hunks']/li[p[@class='hunk-new']"
	    "[span[@class='hunk-label']='新增：'][ins='全新的一段话。']]"
	    "[not(p[@class='hunk-old'])]"), 1, "no added passage");
	/* A changed link: the words around it unmarked, the change marked. */
	cr_assert_eq(in_r2(doc, "p[@class='hunk-new'][contains(., "
	    "'[案例 5](cases/05-mentor')][ins]"), 1);
	/* r3 changed nothing a reader would see, and says so. */
	cr_assert_eq(t_count(doc, "//li[@id='r3']//div[@class='changes']"
	    "[.='与上一版本相比内容没有变化。']"), 1);
	cr_assert_eq(in_r2(doc, "p[.='与上一版本相比内容没有变化。']"), 0);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

/* A published file of the report that cannot be written into the output
 * (a file "print" where the print view's folder goes) is an error for the
 * working tree and for the archived r1, read from git, in the build that
 * publish runs: exit 3, and under make asan nothing leaks on that path. */
Test(history, an_archived_file_that_cannot_be_written)
{
	char *dir = example_repo(), *err = NULL;
	int rc;

	t_write(dir, "content/2024/print", "x");
	char *ch = sg_xasprintf("%s/content/2024/09-challenges.md", dir);
	char *text = t_read(ch, NULL);
	char *more = sg_xasprintf("%s\n![打印](print \"打印图\")\n", text);
	t_write(dir, "content/2024/09-challenges.md", more);
	rc = publish(dir, "首次发布", NULL, &err);
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	/* The archive's print page, or the file in its way, cannot be
	 * written: which of them fails first depends on the order. */
	cr_assert(strstr(err, "2024/r1/print") && strstr(err, "fatal: cannot "
	    "write"), "%s", err);
	free(err);
	free(more);
	free(text);
	free(ch);
	free(dir);
}

Test(history, publish_without_changes_creates_nothing)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	char before[41], after[41];

	cr_assert_eq(publish(dir, "首次发布", NULL, NULL), 0);
	head_id(repo, before);
	cr_assert_eq(run_out(dir, "publish 2024 -m '再发一次' " AUTHOR ALLOW), 0);
	(void)err;
	head_id(repo, after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(ntags(repo), 1);
	cr_assert_eq(ncommits(repo), 1);
	cr_assert(contains(dir, "out.txt", "nothing changed"));
	git_repository_free(repo);
	free(dir);
}

/* A site with reports for 2023 and 2024, each published once. */
static char *
two_year_site(void)
{
	char *dir = example_repo();

	t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\n"
	    "year: 2023\npublished: 2023-12-27\ntemplate: zz-2024\n");
	t_write(dir, "content/2023/01-overview.md", "---\ntitle: 概况\n---\n\n"
	    "学校概况第一句。学校概况第二句。\n");
	return dir;
}

Test(history, dirty_file_in_another_year_is_left_alone)
{
	char *dir = two_year_site(), *err = NULL;
	git_repository *repo = open_repo(dir);
	char *args;

	/* 2024 first: 2023 stays untracked, then gets its own r1. */
	cr_assert_eq(publish(dir, "2024 首次发布", NULL, &err), 0, "%s", err);
	free(err);
	args = sg_xasprintf("-C '%s' publish 2023 -m '2023 补录' " AUTHOR ALLOW,
	    dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	free(args);
	cr_assert_eq(ntags(repo), 2);

	/* An unpublished edit of 2023 and a stray file; amend 2024. */
	t_write(dir, "content/2023/01-overview.md", "---\ntitle: 概况\n---\n\n"
	    "学校概况第一句。草稿修改中。\n");
	t_write(dir, "notes.txt", "草稿\n");
	t_replace(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	/* The user has staged the 2023 draft: it must stay staged, and out
	 * of the 2024 commit. */
	git_index *idx;
	cr_assert_eq(git_repository_index(&idx, repo), 0);
	cr_assert_eq(git_index_add_bypath(idx, "content/2023/01-overview.md"), 0);
	cr_assert_eq(git_index_write(idx), 0);
	git_index_free(idx);
	cr_assert_eq(run_out(dir, "publish 2024 -m '修订' " AUTHOR ALLOW), 0);
	cr_assert(contains(dir, "out.txt", "content/2023/01-overview.md"));
	cr_assert(contains(dir, "out.txt", "notes.txt"));

	/* The working file is untouched and still modified... */
	cr_assert(contains(dir, "content/2023/01-overview.md", "草稿修改中"));
	unsigned int st = 0;
	cr_assert_eq(git_status_file(&st, repo, "content/2023/01-overview.md"), 0);
	cr_assert_eq(st, GIT_STATUS_INDEX_MODIFIED, "status %u", st);
	cr_assert_eq(git_status_file(&st, repo, "notes.txt"), 0);
	cr_assert(st & GIT_STATUS_WT_NEW);
	/* ...and the new commit has 2023 as it was published. */
	git_object *blob;
	cr_assert_eq(git_revparse_single(&blob, repo,
	    "HEAD:content/2023/01-overview.md"), 0);
	cr_assert(strstr(git_blob_rawcontent((git_blob *)blob), "第二句"));
	git_object_free(blob);
	cr_assert_eq(git_revparse_single(&blob, repo, "HEAD:notes.txt"),
	    GIT_ENOTFOUND);
	cr_assert_eq(git_revparse_single(&blob, repo,
	    "HEAD:content/2024/02-talent.md"), 0);
	cr_assert(strstr(git_blob_rawcontent((git_blob *)blob), NEW_SENTENCE));
	git_object_free(blob);
	/* What was published is what the index and HEAD now hold. */
	cr_assert_eq(git_status_file(&st, repo, "content/2024/02-talent.md"), 0);
	cr_assert_eq(st, GIT_STATUS_CURRENT, "status %u", st);
	git_repository_free(repo);
	free(dir);
}

Test(history, failing_check_blocks_publish)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	char before[41], after[41];
	git_index *idx;

	cr_assert_eq(publish(dir, "首次发布", NULL, NULL), 0);
	head_id(repo, before);
	t_write(dir, "content/2024/tables/aid-2023.csv", "a,b\n1,2,3\n");
	t_replace(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	cr_assert_eq(publish(dir, "坏表格", AUTHOR, &err), 1);
	cr_assert(strstr(err, "content/2024/tables/aid-2023.csv:2:"), "%s", err);
	free(err);
	head_id(repo, after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(ntags(repo), 1);
	cr_assert_eq(ncommits(repo), 1);
	/* Nothing was staged either. */
	unsigned int st = 0;
	cr_assert_eq(git_status_file(&st, repo, "content/2024/02-talent.md"), 0);
	cr_assert_eq(st, GIT_STATUS_WT_MODIFIED);
	cr_assert_eq(git_repository_index(&idx, repo), 0);
	git_index_free(idx);

	/* On a repository with no commits the same: nothing is created. */
	char *dir2 = example_repo();
	git_repository *repo2 = open_repo(dir2);
	t_write(dir2, "content/2024/tables/aid-2023.csv", "a,b\n1,2,3\n");
	cr_assert_eq(publish(dir2, "坏表格", AUTHOR, NULL), 1);
	cr_assert_eq(git_repository_head_unborn(repo2), 1);
	cr_assert_eq(ntags(repo2), 0);
	git_repository_free(repo2);
	free(dir2);

	/* --allow-findings publishes, recording the findings and reason. */
	cr_assert_eq(publish(dir, "按时发布", AUTHOR " --allow-findings "
	    "'数据表待学校核对'", &err), 0, "%s", err);
	free(err);
	cr_assert_eq(ntags(repo), 2);
	git_object *o;
	cr_assert_eq(git_revparse_single(&o, repo, "refs/tags/disclosure/2024/r2"),
	    0);
	const char *msg = git_tag_message((git_tag *)o);
	cr_assert(strstr(msg, "Allowed-Findings: 数据表待学校核对\n"), "%s", msg);
	cr_assert(strstr(msg, "Finding: content/2024/tables/aid-2023.csv:2:"),
	    "%s", msg);
	git_object_free(o);
	htmlDocPtr doc = page(dir, "2024/history/index.html");
	/* Folded under one line; each finding as file and line. */
	cr_assert_eq(t_count(doc, "//li[@id='r2']//details[@class='rev-findings']"
	    "/summary[contains(., '数据表待学校核对')]"), 1);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//details[@class='rev-findings']"
	    "//li[.//code[text()='content/2024/tables/aid-2023.csv'] and "
	    "contains(., '第 2 行')]"), 1);
	/* Each rule named in Chinese; a finding of no rule says so. */
	cr_assert_gt(t_count(doc, "//li[@id='r2']//details[@class='rev-findings']"
	    "//li[strong='图片缺失' and .//code[text()="
	    "'content/2024/02-talent.md']]"), 10);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//details[@class='rev-findings']"
	    "//li[.//code[text()='content/2024/tables/aid-2023.csv']]"
	    "/strong[text()='其他检查问题']"), 1);
	xmlFreeDoc(doc);
	git_repository_free(repo);
	free(dir);
}

Test(history, refuses_detached_head_and_concurrent_runs)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	char c1[41];
	git_oid id;

	cr_assert_eq(publish(dir, "首次发布", NULL, NULL), 0);
	head_id(repo, c1);
	t_replace(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);

	/* Another publish holds the lock (this process stands in for it). */
	char *lock = sg_xasprintf("%s/.git/site-gen-publish.lock", dir);
	char *pid = sg_xasprintf("%ld\n", (long)getpid());
	cr_assert_eq(sg_file_write(lock, pid, strlen(pid)), 0);
	cr_assert_eq(publish(dir, "并发", NULL, &err), 3);
	cr_assert(strstr(err, "another site-gen publish is running"), "%s", err);
	free(err);
	cr_assert_eq(ntags(repo), 1);
	cr_assert(contains(dir, ".git/site-gen-publish.lock", pid), "kept");
	unlink(lock);
	free(pid);

	/* Detached HEAD: refused, nothing created. */
	git_oid_fromstr(&id, c1);
	cr_assert_eq(git_repository_set_head_detached(repo, &id), 0);
	cr_assert_eq(publish(dir, "游离", NULL, &err), 3);
	cr_assert(strstr(err, "HEAD is detached"), "%s", err);
	free(err);
	cr_assert_eq(ntags(repo), 1);
	cr_assert_eq(git_repository_set_head(repo, "refs/heads/main"), 0);
	/* A lock left by a process that is gone is taken over. */
	cr_assert_eq(sg_file_write(lock, "999999999\n", 10), 0);
	cr_assert_eq(publish(dir, "修订", NULL, &err), 0, "%s", err);
	free(err);
	cr_assert_eq(ntags(repo), 2);
	struct stat sb;
	cr_assert_neq(stat(lock, &sb), 0, "the lock is released");
	free(lock);
	git_repository_free(repo);
	free(dir);
}

Test(history, author_from_repository_config_or_error)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	git_config *cfg;

	/* Neither --author nor a configured user: a clear error. */
	cr_assert_eq(publish(dir, "首次发布", ALLOW, &err), 2);
	cr_assert(strstr(err, "--author"), "%s", err);
	free(err);
	cr_assert_eq(ntags(repo), 0);

	cr_assert_eq(git_repository_config(&cfg, repo), 0);
	cr_assert_eq(git_config_set_string(cfg, "user.name", "校办"), 0);
	cr_assert_eq(git_config_set_string(cfg, "user.email", "xb@example.cn"), 0);
	git_config_free(cfg);
	cr_assert_eq(publish(dir, "首次发布", ALLOW, &err), 0, "%s", err);
	free(err);
	git_object *o;
	cr_assert_eq(git_revparse_single(&o, repo, "refs/tags/disclosure/2024/r1"),
	    0);
	cr_assert_str_eq(git_tag_tagger((git_tag *)o)->name, "校办");
	git_object_free(o);
	git_repository_free(repo);
	free(dir);
}

Test(history, publish_creates_the_repository)
{
	char *dir = t_copy_example(), *err = NULL;

	cr_assert_eq(publish(dir, "首次发布", NULL, &err), 0, "%s", err);
	free(err);
	git_repository *repo = open_repo(dir);
	git_reference *head;
	cr_assert_eq(git_reference_lookup(&head, repo, "HEAD"), 0);
	cr_assert_str_eq(git_reference_symbolic_target(head), "refs/heads/main");
	git_reference_free(head);
	cr_assert_eq(ntags(repo), 1);
	/* public/ is output, not content: git does not list it. */
	unsigned int st = 0;
	cr_assert_eq(git_status_file(&st, repo, "public/index.html"), 0);
	cr_assert(st & GIT_STATUS_IGNORED, "status %u", st);
	git_repository_free(repo);
	free(dir);
}

/* ---- lastmod ---- */

static int
build(const char *dir, char **err)
{
	char *args = sg_xasprintf("-C '%s' build", dir);
	int rc = t_run(args, err);

	free(args);
	return rc;
}

Test(history, sitemap_lastmod_from_commits)
{
	char *dir = example_repo(), *err = NULL;
	git_repository *repo = open_repo(dir);
	char *v;

	/* 2024-12-01 08:00 and 2024-12-20 10:00 UTC. */
	t_git_commit(repo, "first", 1733040000);
	t_replace(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	t_git_commit(repo, "second", 1734688800);
	cr_assert_eq(build(dir, &err), 0, "%s", err);
	free(err);
	v = t_lastmod(dir, "2024/01-school/");
	cr_assert_str_eq(v, "2024-12-01T08:00:00Z");
	free(v);
	v = t_lastmod(dir, "2024/02-talent/");
	cr_assert_str_eq(v, "2024-12-20T10:00:00Z");
	free(v);
	/* The cover lists every chapter: its sources are the whole year. */
	v = t_lastmod(dir, "2024/");
	cr_assert_str_eq(v, "2024-12-20T10:00:00Z");
	free(v);

	/* A change in the working tree counts as now. */
	t_replace(dir, "content/2024/03-support.md", "。", "。新增一句。");
	time_t before = time(NULL);
	cr_assert_eq(build(dir, NULL), 0);
	v = t_lastmod(dir, "2024/03-support/");
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	cr_assert_not_null(strptime(v, "%Y-%m-%dT%H:%M:%SZ", &tm), "%s", v);
	time_t t = timegm(&tm);
	cr_assert(t >= before - 1 && t <= time(NULL) + 1, "%s", v);
	free(v);
	v = t_lastmod(dir, "2024/01-school/");
	cr_assert_str_eq(v, "2024-12-01T08:00:00Z");
	free(v);

	/* A shallow clone would date everything by its one commit: warn and
	 * leave lastmod out. */
	char *shallow = sg_xasprintf("%s/.git/shallow", dir);
	char head[42];
	head_id(repo, head);
	strcat(head, "\n");
	cr_assert_eq(sg_file_write(shallow, head, strlen(head)), 0);
	cr_assert_eq(build(dir, &err), 0, "%s", err);
	cr_assert(strstr(err, "shallow clone"), "%s", err);
	free(err);
	v = t_lastmod(dir, "2024/01-school/");
	cr_assert_str_eq(v, "");
	free(v);
	free(shallow);
	git_repository_free(repo);
	free(dir);
}

Test(history, site_without_repository_has_no_lastmod)
{
	char *dir = t_copy_example(), *err = NULL;

	cr_assert_eq(build(dir, &err), 0, "%s", err);
	free(err);
	cr_assert(!contains(dir, "public/sitemap.xml", "<lastmod>"));
	/* Its history pages exist and speak to readers. */
	cr_assert(contains(dir, "public/2024/history/index.html",
	    "本报告公开后的每一次修订都将在此列出"));
	cr_assert(!contains(dir, "public/2024/history/index.html", "site-gen"));
	cr_assert(contains(dir, "public/history/index.html", "记录将在此列出"));
	free(dir);
}

Test(history, cli_history_and_diff)
{
	char *dir = example_repo(), *err = NULL;

	cr_assert_eq(publish(dir, "首次发布", NULL, NULL), 0);
	t_replace(dir, "content/2024/indicators/1-scorecard.csv",
	    "1,毕业生人数*,人,522,592", "1,毕业生人数*,人,522,600");
	cr_assert_eq(publish(dir, "更正", NULL, NULL), 0);
	cr_assert_eq(run_out(dir, "history 2024"), 0);
	cr_assert(contains(dir, "out.txt", "disclosure/2024/r2"));
	cr_assert(contains(dir, "out.txt", "changes: 1 value"));
	cr_assert(contains(dir, "out.txt", "first publication"));
	char *args = sg_xasprintf("-C '%s' diff 2024 r1 r9", dir);
	cr_assert_eq(t_run(args, &err), 1);
	cr_assert(strstr(err, "no revision 'r9' of 2024"), "%s", err);
	free(err);
	free(args);
	args = sg_xasprintf("-C '%s' diff 2024", dir);
	cr_assert_eq(t_run(args, NULL), 2);
	free(args);
	cr_assert_eq(t_run("publish --help", NULL), 0);
	cr_assert_eq(t_run("history --help", NULL), 0);
	cr_assert_eq(t_run("diff --help", NULL), 0);
	free(dir);
}
