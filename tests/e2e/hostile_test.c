/*
 * Hostile and broken content: nothing injected, nothing published from
 * outside the site, clear errors in bounded time and memory, and a build
 * killed at any point leaves the previous public/ whole.
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(hostile, .init = t_init, .timeout = 240);

static const char *evil = "<script>alert(\"x\")</script>&amp;\"'";

/* s quoted for YAML's single-quoted style; caller frees. */
static char *
yq(const char *s)
{
	struct sg_buf b = {0};

	sg_buf_putc(&b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			sg_buf_putc(&b, '\'');
		sg_buf_putc(&b, *s);
	}
	sg_buf_putc(&b, '\'');
	return sg_buf_take(&b);
}

static char *
hostile_site(void)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/themes' '%s/'", t_root(), dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	t_write(dir, "site.yml", "title: '<i>学校</i> & \"报告\"'\nschool: "
	    "'<script>s</script>'\nbase_url: https://example.edu.cn/r/\n");
	t_write(dir, "content/2024/report.yml", "title: '</title><script>x</script>'\n"
	    "year: 2024\npublished: 2024-12-27\ntemplate: zz-2024\n"
	    "statement: '<b onclick=\"x\">声明</b>'\n");
	char *q = yq(evil);
	char *ch = sg_xasprintf("---\ntitle: %s\n---\n"
	    "<script>alert(1)</script>\n\n<iframe src=\"https://evil.example/\">"
	    "</iframe>\n\n正文<img src=x onerror=alert(1)>。<a href=\"x\" "
	    "onmouseover=\"alert(1)\">a</a>\n\n"
	    "[点](javascript:alert(1)) [点](JaVaScRiPt:alert(1)) "
	    "[点](vbscript:msgbox(1)) [点](data:text/html;base64,PHNjcmlwdD4=)\n\n"
	    "![x](javascript:alert(1)) ![y](data:text/html,<script>x</script>)\n\n"
	    "[案例 1](cases/01-k.md)\n", q);
	t_write(dir, "content/2024/01-a.md", ch);
	free(ch);
	free(q);
	t_write(dir, "content/2024/cases/01-k.md", "---\ntitle: '\"><svg onload=x>'\n"
	    "tags: ['<b>德育', '&amp;\"']\nsummary: '</p><script>x</script>'\n"
	    "---\n正文\n");
	return dir;
}

Test(hostile, nothing_injected_anywhere)
{
	char *dir = hostile_site();
	char *args = sg_xasprintf("-C '%s' build", dir);
	char *err = NULL, *pub = sg_xasprintf("%s/public", dir);
	size_t n;
	int rc = t_run(args, &err);

	cr_assert_eq(rc, 0, "%s", err);
	char **files = t_files(pub, &n);
	cr_assert_gt(n, 5);
	for (size_t i = 0; i < n; i++) {
		char *p = sg_xasprintf("%s/%s", pub, files[i]);
		char *raw = t_read(p, NULL);
		cr_assert_null(strstr(raw, "<script>"), "%s", files[i]);
		cr_assert_null(strstr(raw, "<iframe"), "%s", files[i]);
		cr_assert_null(strstr(raw, "<svg onload"), "%s", files[i]);
		cr_assert_null(strcasestr(raw, "javascript:"), "%s", files[i]);
		cr_assert_null(strstr(raw, "vbscript:"), "%s", files[i]);
		cr_assert_null(strstr(raw, "data:text/html"), "%s", files[i]);
		if (sg_has_suffix(files[i], ".html")) {
			htmlDocPtr doc = t_html(p);
			cr_assert_not_null(doc);
			/* No event handler attributes, no inline script, no
			 * script from another host. */
			cr_assert_eq(t_count(doc, "//@*[starts-with(name(), 'on')]"),
			    0, "%s", files[i]);
			cr_assert_eq(t_count(doc, "//script[not(@src) or "
			    "contains(@src, ':') or starts-with(@src, '//')]"), 0,
			    "%s", files[i]);
			cr_assert_eq(t_count(doc, "//meta[@http-equiv="
			    "'Content-Security-Policy' and contains(@content, "
			    "\"script-src 'self'\")]"), 1, "%s", files[i]);
			xmlFreeDoc(doc);
		}
		if (sg_has_suffix(files[i], ".xml")) {
			xmlDocPtr x = xmlReadMemory(raw, (int)strlen(raw), "x", NULL,
			    XML_PARSE_NONET);
			cr_assert_not_null(x, "%s is not XML", files[i]);
			xmlFreeDoc(x);
		}
		free(raw);
		free(p);
	}
	/* The values are shown as text, exactly. */
	char *p = sg_xasprintf("%s/2024/01-a/index.html", pub);
	htmlDocPtr doc = t_html(p);
	char *h1 = t_text(doc, "//h1");
	cr_assert(strstr(h1, evil), "%s", h1);
	char *title = t_text(doc, "//title");
	cr_assert(strstr(title, "<i>学校</i> & \"报告\""), "%s", title);
	free(h1);
	free(title);
	xmlFreeDoc(doc);
	free(p);
	p = sg_xasprintf("%s/atom.xml", pub);
	xmlDocPtr atom = xmlReadFile(p, NULL, XML_PARSE_NONET);
	xmlChar *all = xmlNodeGetContent(xmlDocGetRootElement(atom));
	cr_assert(strstr((char *)all, "</title><script>x</script>"));
	xmlFree(all);
	xmlFreeDoc(atom);
	free(p);
	t_free_list(files, n);
	free(err);
	free(args);
	free(pub);
	free(dir);
}

Test(hostile, paths_out_of_the_site_are_errors)
{
	char *dir = t_tmpdir();
	char *args = sg_xasprintf("-C '%s' build", dir), *err = NULL;

	t_minimal_site(dir);
	char *cmd = sg_xasprintf("cp -R '%s/themes' '%s/' && mkdir -p "
	    "'%s/content/2024/images' && ln -s /etc/passwd "
	    "'%s/content/2024/images/p.jpg' && ln -s /etc "
	    "'%s/content/2024/tables'", t_root(), dir, dir, dir, dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	t_write(dir, "content/2024/01-a.md", "---\ntitle: a\n---\n"
	    "![](images/p.jpg \"x\")\n\n[a](../../site.yml) [b](/etc/passwd) "
	    "[c](../2023/../../../x.md)\n");
	cr_assert_eq(t_run(args, &err), 1, "%s", err);
	cr_assert(strstr(err, "01-a.md:4:1: error: image 'images/p.jpg' is a link "
	    "to a file outside the report's folder"), "%s", err);
	cr_assert(strstr(err, "'../../site.yml' points outside"), "%s", err);
	cr_assert(strstr(err, "'/etc/passwd' is an absolute path"), "%s", err);
	cr_assert(strstr(err, "'../2023/../../../x.md' points outside"), "%s", err);
	free(err);
	char *pub = sg_xasprintf("%s/public", dir);
	cr_assert(!sg_is_dir(pub));
	free(pub);
	free(args);
	free(dir);
}

/* Runs a build of dir; asserts exit 1 with needle in stderr, and returns
 * the seconds it took.  Peak memory of children is checked by callers. */
static double
expect_error(const char *dir, const char *needle)
{
	char *args = sg_xasprintf("-C '%s' build", dir), *err = NULL;
	struct timespec a, b;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &a);
	rc = t_run(args, &err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	cr_assert_eq(rc, 1, "exit %d: %.500s", rc, err ? err : "");
	cr_assert(strstr(err, needle), "%.2000s", err);
	free(err);
	free(args);
	return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
}

static long
child_peak_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return ru.ru_maxrss / 1024;
}

Test(hostile, huge_and_broken_inputs_end_in_bounded_time_and_memory)
{
	char *dir = t_tmpdir();
	struct sg_buf b = {0};
	char *p;
	FILE *fp;
	double t;

	t_minimal_site(dir);
	/* 50 MB of Markdown. */
	p = sg_xasprintf("%s/content/2024/01-big.md", dir);
	t_write(dir, "content/2024/01-big.md", "");
	fp = fopen(p, "w");
	fputs("---\ntitle: 大\n---\n", fp);
	for (int i = 0; i < 50 * 1024; i++)
		fputs("学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨，以就业为导向。"
		    "学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨，以就业为导"
		    "向。学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨，以就业为"
		    "导向。学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨，以就业"
		    "为导向。学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨。\n\n"
		    "学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨，以就业为导向"
		    "。学校坚持以服务为宗旨，以就业为导向。学校坚持以服务为宗旨。\n\n", fp);
	fclose(fp);
	t = expect_error(dir, "01-big.md: error: file is");
	cr_assert_lt(t, 10.0, "50 MB file took %.1f s", t);
	unlink(p);
	free(p);

	/* A million-row CSV. */
	p = sg_xasprintf("%s/content/2024/tables/rows.csv", dir);
	t_write(dir, "content/2024/tables/rows.csv", "");
	fp = fopen(p, "w");
	fputs("序号,指标,值\n", fp);
	for (int i = 0; i < 1000000; i++)
		fprintf(fp, "%d,x,%d\n", i, i);
	fclose(fp);
	t = expect_error(dir, "rows.csv:100001: error: more than 100000 rows");
	cr_assert_lt(t, 10.0, "1M-row CSV took %.1f s", t);
	unlink(p);
	free(p);

	/* A list nested 10,000 levels deep. */
	for (int i = 0; i < 10000; i++)
		sg_buf_puts(&b, "- ");
	sg_buf_puts(&b, "深\n");
	p = sg_xasprintf("---\ntitle: 深\n---\n%s", b.data);
	t_write(dir, "content/2024/01-deep.md", p);
	free(p);
	t = expect_error(dir, "01-deep.md:4:65: error: lists or quotes nested more "
	    "than 32 levels deep");
	cr_assert_lt(t, 10.0, "deep list took %.1f s", t);
	p = sg_xasprintf("%s/content/2024/01-deep.md", dir);
	unlink(p);
	free(p);
	sg_buf_clear(&b);

	/* A table of 3,000 columns padded over 3,000 short rows (cmark-gfm
	 * would make nine million cells). */
	sg_buf_puts(&b, "---\ntitle: 表\n---\n");
	for (int i = 0; i < 3000; i++)
		sg_buf_puts(&b, "|a");
	sg_buf_puts(&b, "|\n");
	for (int i = 0; i < 3000; i++)
		sg_buf_puts(&b, "|-");
	sg_buf_puts(&b, "|\n");
	for (int i = 0; i < 3000; i++)
		sg_buf_puts(&b, "|\n");
	t_write(dir, "content/2024/01-wide.md", b.data);
	sg_buf_clear(&b);
	t = expect_error(dir, "01-wide.md:5: error: table has 3000 columns");
	cr_assert_lt(t, 10.0, "wide table took %.1f s", t);
	p = sg_xasprintf("%s/content/2024/01-wide.md", dir);
	unlink(p);
	free(p);

	/* Invalid UTF-8 (a GBK file saved as Markdown). */
	t_write(dir, "content/2024/01-gbk.md", "---\ntitle: x\n---\n\xc0\xd6\xc7\xe5\n");
	expect_error(dir, "01-gbk.md:4: error: invalid UTF-8");

	cr_assert_lt(child_peak_mb(), 512, "peak %ld MB", child_peak_mb());
	free(dir);
}

static char *
listing(const char *pub)
{
	char *cmd = sg_xasprintf("cd '%s' && find . -type f | sort | xargs md5sum",
	    pub);
	FILE *fp = popen(cmd, "r");
	struct sg_buf b = {0};
	char line[512];

	while (fgets(line, sizeof(line), fp))
		sg_buf_puts(&b, line);
	pclose(fp);
	free(cmd);
	return sg_buf_take(&b);
}

Test(hostile, killed_builds_leave_public_whole, .timeout = 600)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' build", site);
	char *pub = sg_xasprintf("%s/public", site);
	const char *bin = getenv("SG_BIN") ? getenv("SG_BIN") : "build/site-gen";
	char *a, *b, *chapter = sg_xasprintf("%s/content/2024/09-challenges.md",
	    site);
	char *orig = t_read(chapter, NULL), *changed;
	struct timespec t0, t1;
	long ns;
	int full = 0;

	/* Two complete states: A (as is) and B (one chapter changed). */
	changed = sg_xasprintf("%s\n新增的一段。\n", orig);
	sg_file_write(chapter, changed, strlen(changed));
	cr_assert_eq(t_run(args, NULL), 0);
	b = listing(pub);
	sg_file_write(chapter, orig, strlen(orig));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(t_run(args, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a = listing(pub);
	cr_assert_str_neq(a, b);
	ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	srand(42);
	for (int i = 0; i < 50; i++) {
		const char *text = i % 2 ? orig : changed;
		pid_t pid;
		int st;

		sg_file_write(chapter, text, strlen(text));
		if ((pid = fork()) == 0) {
			int null = open("/dev/null", 1);
			dup2(null, 1);
			dup2(null, 2);
			execl(bin, bin, "-C", site, "build", (char *)NULL);
			_exit(127);
		}
		/* Anywhere from start-up to just past the end of a build. */
		struct timespec d = {0, (long)((double)rand() / RAND_MAX * ns * 1.2)};
		nanosleep(&d, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		if (WIFEXITED(st))
			full++;
		char *now = listing(pub);
		cr_assert(strcmp(now, a) == 0 || strcmp(now, b) == 0,
		    "run %d: public/ is neither the old nor the new site", i);
		free(now);
	}
	fprintf(stderr, "killed builds: %d of 50 finished before the kill\n", full);
	free(a);
	free(b);
	free(orig);
	free(changed);
	free(chapter);
	free(args);
	free(pub);
	free(site);
}
