/*
 * The report as a PDF.  Most tests run a stand-in engine (a shell script
 * named weasyprint on PATH that logs its runs and writes a small file),
 * so they take no longer than a build: what is typeset when, with what
 * arguments, the findings, the cover's link and the record that keeps an
 * unchanged PDF.  One test typesets the bundled report with the real
 * engine once and reads the PDF with poppler-utils, another program than
 * the one that wrote it: every chapter title, the contents' page numbers
 * against the pages where each chapter and section start, 续表 on the
 * pages a table runs onto, page numbers without gaps, the CJK fonts
 * embedded, title, author and language.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <libxml/uri.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

/* A stand-in weasyprint in dir/bin: logs "run <args>" to dir/engine.log
 * and writes "%PDF-1.7 stand-in" and the print document's bytes to the
 * output (its 6th argument), or fails when dir/fail exists. */
static char *
fake_engine(const char *dir)
{
	char *bin = sg_path_join(dir, "bin");
	char *script = sg_xasprintf(
	    "#!/bin/sh\n"
	    "echo \"run $*\" >> '%s/engine.log'\n"
	    "if [ -f '%s/fail' ]; then echo 'Traceback: boom' >&2; "
	    "echo 'ValueError: no fonts' >&2; exit 1; fi\n"
	    "[ \"$1\" = --quiet ] && [ \"$2\" = --pdf-identifier ] || exit 9\n"
	    "{ echo '%%PDF-1.7 stand-in'; cat \"$4\"; } > \"$5\"\n", dir, dir);
	char *path = sg_path_join(bin, "weasyprint");

	t_write(bin, "weasyprint", script);
	cr_assert_eq(chmod(path, 0755), 0);
	free(script);
	free(path);
	return bin;
}

/* PATH with only the stand-in engine and the shell's tools. */
static void
use_engine(const char *bin)
{
	char *p = sg_xasprintf("%s:/usr/bin:/bin", bin);

	setenv("PATH", p, 1);
	setenv("SG_NO_PDF", "0", 1);
	free(p);
}

static int
engine_runs(const char *dir)
{
	char *log = sg_path_join(dir, "engine.log");
	char *text = t_read(log, NULL);
	int n = 0;

	for (char *p = text; p && (p = strstr(p, "run ")) != NULL; p += 4)
		n++;
	free(text);
	free(log);
	return n;
}

static char *
build_in(const char *dir, const char *opts, char **err)
{
	char *args = sg_xasprintf("-C '%s' build --force %s", dir, opts);
	int rc = t_run(args, err);

	cr_assert_eq(rc, 0, "build: %d\n%s", rc, err && *err ? *err : "");
	free(args);
	return sg_path_join(dir, "public");
}

/* The print document, its stylesheet and the cover's link. */
Test(pdf, build_typesets_each_report_and_links_it, .timeout = 120)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *pub, *pdf, *data, *href, *link;
	size_t len;
	htmlDocPtr doc;

	use_engine(bin);
	pub = build_in(dir, "", &err);
	cr_assert_eq(engine_runs(dir), 1);
	pdf = sg_path_join(pub, "2024/report-2024.pdf");
	data = t_read(pdf, &len);
	cr_assert_not_null(data, "no 2024/report-2024.pdf");
	cr_assert(strncmp(data, "%PDF-1.7 stand-in\n", 18) == 0);
	char *css = sg_path_join(pub, "assets/pdf.css");
	cr_assert_eq(access(css, R_OK), 0);
	free(css);
	/* The print document the engine got: the theme's pdf.html. */
	htmlDocPtr pd = htmlReadMemory(data + 18, (int)(len - 18), "pdf.html",
	    "UTF-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET);
	cr_assert_not_null(pd);
	/* The theme's stylesheet, staged with the site. */
	cr_assert_eq(t_count(pd, "//link[@rel='stylesheet' and "
	    "@href='../../assets/pdf.css']"), 1);
	cr_assert_eq(t_count(pd, "//meta[@name='author' and "
	    "@content='乐清市总工会职业技术学校']"), 1);
	cr_assert_eq(t_count(pd, "/html[@lang='zh-CN']"), 1);
	cr_assert_eq(t_count(pd, "//section[contains(@class,'cover')]"), 1);
	/* Contents entries point into the document: chapters, sections,
	 * figures, tables, cases, appendix tables. */
	cr_assert_eq(t_count(pd, "//li[@class='toc-chapter']/a"
	    "[starts-with(@href,'#chapter-')]"), 9);
	cr_assert_gt(t_count(pd, "//li[@class='toc-section']/a"
	    "[starts-with(@href,'#c1-')]"), 0);
	int broken = 0;
	xmlXPathContextPtr cx = xmlXPathNewContext(pd);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)
	    "//nav[@class='toc']//a/@href", cx);
	cr_assert_gt(o->nodesetval->nodeNr, 100);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		/* Percent-encoded as any URL: the engine decodes it. */
		xmlChar *h = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		char *id = xmlURIUnescapeString((char *)h + 1, 0, NULL);
		char *q = sg_xasprintf("//*[@id='%s']", id);
		if (h[0] != '#' || t_count(pd, q) != 1)
			broken++;
		free(q);
		xmlFree(id);
		xmlFree(h);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(cx);
	cr_assert_eq(broken, 0, "%d contents links lead nowhere", broken);
	/* Every table carries its mark for 续表. */
	cr_assert_eq(t_count(pd, "//div[@class='table-block']"),
	    t_count(pd, "//div[@class='table-block']/p[@class='table-mark']"
	    "/span[starts-with(@data-label,'表 ')]"));
	xmlFreeDoc(pd);
	/* Nothing of the print document is left in the output. */
	size_t n;
	char **files = t_files(pub, &n);
	for (size_t i = 0; i < n; i++)
		cr_assert_null(strstr(files[i], ".sg-pdf"), "%s", files[i]);
	t_free_list(files, n);
	/* The cover links it with its size. */
	doc = t_page(pub, "2024/index.html");
	href = t_text(doc, "//a[@type='application/pdf']/@href");
	link = t_text(doc, "//a[@type='application/pdf']");
	cr_assert_str_eq(href, "report-2024.pdf");
	cr_assert(strstr(link, "PDF") && strstr(link, " KB"), "%s", link);
	free(href);
	free(link);
	xmlFreeDoc(doc);
	free(data);
	free(pdf);
	free(pub);
	free(err);
	free(bin);
	free(dir);
}

/* A PDF whose print document and inputs did not change is kept. */
Test(pdf, unchanged_pdf_is_not_typeset_again, .timeout = 120)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *pub, *pdf, *rec, *a, *b;
	struct stat s1, s2;

	use_engine(bin);
	pub = build_in(dir, "", &err);
	free(err);
	pdf = sg_path_join(pub, "2024/report-2024.pdf");
	cr_assert_eq(stat(pdf, &s1), 0);
	rec = sg_xasprintf("%s/.public.sg-pdf", dir);
	a = t_read(rec, NULL);
	cr_assert_not_null(a, "no record beside public/");
	cr_assert(strstr(a, " 2024/report-2024.pdf\n"), "%s", a);
	free(build_in(dir, "", &err));
	free(err);
	cr_assert_eq(engine_runs(dir), 1, "typeset again with nothing changed");
	cr_assert_eq(stat(pdf, &s2), 0);
	cr_assert_eq(s1.st_ino, s2.st_ino, "the PDF was rewritten");
	/* A stale record (the PDF in public/ is not the one recorded) is
	 * not trusted. */
	t_write(pub, "2024/report-2024.pdf", "%PDF-1.7 edited by hand\n");
	free(build_in(dir, "", &err));
	free(err);
	cr_assert_eq(engine_runs(dir), 2);
	/* A changed chapter is typeset again; so is a changed stylesheet. */
	char *ch = sg_path_join(dir, "content/2024/09-challenges.md");
	char *text = t_read(ch, NULL);
	char *more = sg_xasprintf("%s\n新增一段。\n", text);
	t_write(dir, "content/2024/09-challenges.md", more);
	free(build_in(dir, "", &err));
	free(err);
	cr_assert_eq(engine_runs(dir), 3);
	t_write(dir, "themes/default/assets/pdf.css", "@page { size: A4; }\n");
	free(build_in(dir, "", &err));
	free(err);
	cr_assert_eq(engine_runs(dir), 4);
	b = t_read(rec, NULL);
	cr_assert_str_neq(a, b);
	free(a);
	free(b);
	free(text);
	free(more);
	free(ch);
	free(rec);
	free(pdf);
	free(pub);
	free(bin);
	free(dir);
}

/* No engine: build says so once, writes no PDF and no link; SG_NO_PDF
 * and --no-pdf: not a word. */
Test(pdf, missing_engine_is_said_once, .timeout = 120)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *pub, *pdf;
	htmlDocPtr doc;
	const char *p, *needle = "no PDF made: the typesetting engine "
	    "weasyprint is not installed";

	setenv("PATH", "/nonexistent", 1);
	setenv("SG_NO_PDF", "0", 1);
	pub = build_in(dir, "", &err);
	p = strstr(err, needle);
	cr_assert_not_null(p, "%s", err);
	cr_assert_null(strstr(p + 1, needle), "said more than once");
	pdf = sg_path_join(pub, "2024/report-2024.pdf");
	cr_assert_eq(access(pdf, F_OK), -1);
	doc = t_page(pub, "2024/index.html");
	cr_assert_eq(t_count(doc, "//a[@type='application/pdf']"), 0);
	xmlFreeDoc(doc);
	free(err);
	/* Off on purpose: silent, and no engine is run. */
	use_engine(bin);
	setenv("SG_NO_PDF", "1", 1);
	free(build_in(dir, "", &err));
	cr_assert_null(strstr(err, "PDF"), "%s", err);
	free(err);
	setenv("SG_NO_PDF", "0", 1);
	free(build_in(dir, "--no-pdf", &err));
	cr_assert_null(strstr(err, "PDF"), "%s", err);
	cr_assert_eq(engine_runs(dir), 0);
	cr_assert_eq(access(pdf, F_OK), -1);
	free(err);
	free(pdf);
	free(pub);
	free(bin);
	free(dir);
}

/* The engine failing is a warning naming why; the site is still built. */
Test(pdf, engine_failure_is_a_warning, .timeout = 120)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *pub, *pdf;

	use_engine(bin);
	t_write(dir, "fail", "");
	pub = build_in(dir, "", &err);
	cr_assert(strstr(err, "2024/report-2024.pdf: warning: no PDF made: ") &&
	    strstr(err, "exited with status 1: ValueError: no fonts"), "%s", err);
	pdf = sg_path_join(pub, "2024/report-2024.pdf");
	cr_assert_eq(access(pdf, F_OK), -1);
	free(err);
	free(pdf);
	free(pub);
	free(bin);
	free(dir);
}

Test(pdf, pdf_command_writes_one_report, .timeout = 120)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *args, *out, *data, *pub;

	use_engine(bin);
	/* Asked for by name, even with SG_NO_PDF set. */
	setenv("SG_NO_PDF", "1", 1);
	args = sg_xasprintf("-C '%s' pdf 2024 -o '%s/my report.pdf'", dir, dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	free(args);
	out = sg_xasprintf("%s/my report.pdf", dir);
	data = t_read(out, NULL);
	cr_assert_not_null(data);
	cr_assert(strncmp(data, "%PDF-1.7 stand-in\n", 18) == 0);
	cr_assert_eq(engine_runs(dir), 1);
	free(data);
	free(out);
	/* The default name, in the site folder; public/ is not made. */
	args = sg_xasprintf("-C '%s' pdf 2024", dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	free(args);
	out = sg_xasprintf("%s/report-2024.pdf", dir);
	cr_assert_eq(access(out, F_OK), 0);
	free(out);
	pub = sg_path_join(dir, "public");
	cr_assert_eq(access(pub, F_OK), -1);
	free(pub);
	/* No such year; not a year; no engine. */
	args = sg_xasprintf("-C '%s' pdf 1999", dir);
	cr_assert_eq(t_run(args, &err), 1);
	cr_assert(strstr(err, "no report for 1999"), "%s", err);
	free(err);
	free(args);
	args = sg_xasprintf("-C '%s' pdf 24", dir);
	cr_assert_eq(t_run(args, NULL), 2);
	free(args);
	setenv("PATH", "/nonexistent", 1);
	args = sg_xasprintf("-C '%s' pdf 2024", dir);
	cr_assert_eq(t_run(args, &err), 3);
	cr_assert(strstr(err, "weasyprint is not installed"), "%s", err);
	free(err);
	free(args);
	free(bin);
	free(dir);
}

/* ---- the real engine on the bundled report ---- */

/* Output of a command (caller frees). */
static char *
capture(const char *cmd)
{
	FILE *fp = popen(cmd, "r");
	struct sg_buf b = {0};
	char buf[4096];
	size_t k;

	cr_assert_not_null(fp);
	while ((k = fread(buf, 1, sizeof(buf), fp)) > 0)
		sg_buf_add(&b, buf, k);
	pclose(fp);
	return b.data ? b.data : sg_xstrdup("");
}

/* The text of page p, spaces and leader dots removed. */
static char *
page_text(const char *pdf, int p)
{
	char *cmd = sg_xasprintf("pdftotext -f %d -l %d '%s' -", p, p, pdf);
	char *t = capture(cmd), *w = t;

	for (char *r = t; *r; r++)
		if (*r != ' ' && *r != '.')
			*w++ = *r;
	*w = '\0';
	free(cmd);
	return t;
}

/* The page of named destination name, from pdfinfo -dests, or 0. */
static int
dest_page(const char *dests, const char *name)
{
	char *q = sg_xasprintf("\"%s\"\n", name);
	const char *p = strstr(dests, q), *l;

	free(q);
	if (p == NULL)
		return 0;
	for (l = p; l > dests && l[-1] != '\n'; l--)
		;
	return atoi(l);
}

static char *
squeeze(const char *s)
{
	char *t = sg_xstrdup(s), *w = t;

	for (char *r = t; *r; r++)
		if (*r != ' ')
			*w++ = *r;
	*w = '\0';
	return t;
}

Test(pdf, bundled_report_typeset, .timeout = 1200)
{
	char *dir, *pub, *pdf, *info, *fonts, *dests, *cmd, *err = NULL;
	char **pages;
	int npages, cont = 0;
	htmlDocPtr pd;
	xmlXPathContextPtr cx;
	xmlXPathObjectPtr o;

	if (system("command -v weasyprint >/dev/null && "
	    "command -v pdftotext >/dev/null") != 0)
		cr_skip_test("weasyprint or poppler-utils not installed "
		    "(make deps)");
	dir = t_copy_example();
	setenv("SG_NO_PDF", "0", 1);
	pub = build_in(dir, "", &err);
	free(err);
	pdf = sg_path_join(pub, "2024/report-2024.pdf");
	cr_assert_eq(access(pdf, R_OK), 0);

	cmd = sg_xasprintf("pdfinfo '%s'", pdf);
	info = capture(cmd);
	free(cmd);
	cr_assert(strstr(info, "Title:           乐清市总工会职业技术学校 2024 "
	    "年度教育质量报告\n"), "%s", info);
	cr_assert(strstr(info, "Author:          乐清市总工会职业技术学校\n"),
	    "%s", info);
	cr_assert(strstr(info, "Page size:       595.276 x 841.89 pts (A4)"),
	    "%s", info);
	npages = atoi(strstr(info, "Pages:") + 6);
	cr_assert_gt(npages, 40);
	/* The language is in the document catalogue. */
	size_t blen;
	char *bytes = t_read(pdf, &blen);
	cr_assert(memmem(bytes, blen, "/Lang (zh-CN)", 13));
	free(bytes);

	cmd = sg_xasprintf("pdffonts '%s'", pdf);
	fonts = capture(cmd);
	free(cmd);
	/* Noto CJK, embedded as subsets, with a Unicode map: text is text. */
	cr_assert(strstr(fonts, "+Noto-Serif-CJK-SC ") &&
	    strstr(fonts, "+Noto-Sans-CJK-SC"), "%s", fonts);
	for (char *l = strstr(fonts, "\n---"); l && (l = strchr(l + 1, '\n'));) {
		if (l[1] == '\0')
			break;
		cr_assert(strstr(l, " yes yes yes ") != NULL &&
		    strstr(l, " yes yes yes ") < strchr(l + 1, '\n'),
		    "a font not embedded with a Unicode map: %.80s", l + 1);
	}

	pages = sg_xcalloc((size_t)npages + 1, sizeof(*pages));
	for (int p = 1; p <= npages; p++)
		pages[p] = page_text(pdf, p);
	/* Page numbers: none on the cover, then 第 N 页 / 共 M 页 on every
	 * page, N running without gaps. */
	cr_assert_null(strstr(pages[1], "页/共"));
	for (int p = 2; p <= npages; p++) {
		char *want = sg_xasprintf("第%d页/共%d页", p, npages);
		cr_assert(strstr(pages[p], want), "page %d has no '%s'", p, want);
		free(want);
		/* The running header. */
		cr_assert(strstr(pages[p], "乐清市总工会职业技术学校·"), "page %d", p);
	}
	cr_assert(strstr(pages[1], "发布日期：2024-12-27"));

	/* The contents: each entry's page number is the page where its
	 * target starts (pdfinfo's named destinations) and shows its title.
	 * The print document says which entries there are. */
	cmd = sg_xasprintf("pdfinfo -dests '%s'", pdf);
	dests = capture(cmd);
	free(cmd);
	/* Bookmarks (poppler's outline): each chapter at its page. */
	cmd = sg_xasprintf("pdftohtml -xml -stdout -i -q -f 1 -l 1 '%s'", pdf);
	char *outline = capture(cmd);
	free(cmd);
	char *src = sg_xasprintf("%s/public/2024/print/index.html", dir);
	pd = t_html(src);
	free(src);
	cr_assert_not_null(pd);
	cx = xmlXPathNewContext(pd);
	o = xmlXPathEvalExpression((const xmlChar *)
	    "//ol[@class='toc-chapters']/li/a", cx);
	cr_assert_eq(o->nodesetval->nodeNr, 9);
	/* The contents pages: from 目录 to the first chapter. */
	int toc_first = 0, ch1 = dest_page(dests, "chapter-1");
	for (int p = 2; p <= npages && !toc_first; p++)
		if (strstr(pages[p], "目录\n"))
			toc_first = p;
	cr_assert(toc_first > 1 && ch1 > toc_first);
	struct sg_buf toc = {0};
	for (int p = toc_first; p < ch1; p++)
		sg_buf_puts(&toc, pages[p]);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr a = o->nodesetval->nodeTab[i];
		xmlChar *t = xmlNodeGetContent(a);
		xmlChar *h = xmlGetProp(a, (const xmlChar *)"href");
		char *title = squeeze((char *)t);
		int at = dest_page(dests, (char *)h + 1);
		char *entry = sg_xasprintf("%s%d\n", title, at);
		cr_assert_gt(at, toc_first);
		cr_assert(strstr(toc.data, entry), "contents lack '%s'", entry);
		cr_assert(strstr(pages[at], title), "page %d lacks %s", at, title);
		char *bm = sg_xasprintf("<item page=\"%d\">%s</item>", at,
		    (char *)t);
		cr_assert(strstr(outline, bm), "no bookmark %s", bm);
		free(bm);
		free(entry);
		free(title);
		xmlFree(t);
		xmlFree(h);
	}
	xmlXPathFreeObject(o);
	/* Sections: their headings as the print view has them. */
	o = xmlXPathEvalExpression((const xmlChar *)
	    "//section[@class='print-chapter']/div/h3[@id]", cx);
	cr_assert_gt(o->nodesetval->nodeNr, 25);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlNodePtr hd = o->nodesetval->nodeTab[i];
		xmlChar *t = xmlNodeGetContent(hd);
		xmlChar *id = xmlGetProp(hd, (const xmlChar *)"id");
		char *title = squeeze((char *)t);
		int at = dest_page(dests, (char *)id);
		char *entry = sg_xasprintf("%s%d\n", title, at);
		cr_assert_gt(at, 0, "no destination %s", id);
		cr_assert(strstr(toc.data, entry), "contents lack '%s'", entry);
		cr_assert(strstr(pages[at], title), "page %d lacks %s", at, title);
		char *bm = sg_xasprintf("<item page=\"%d\">%s</item>", at,
		    (char *)t);
		cr_assert(strstr(outline, bm), "no bookmark %s", bm);
		free(bm);
		free(entry);
		free(title);
		xmlFree(t);
		xmlFree(id);
	}
	xmlXPathFreeObject(o);
	/* The lists of figures, tables and cases, and the appendix tables. */
	const char *lists[] = {"图目录", "表目录", "案例目录", "附表1人才培养质量计分卡"};
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		cr_assert(strstr(toc.data, lists[i]), "contents lack %s", lists[i]);
	char *e = sg_xasprintf("案例1全国青少年禁毒知识竞赛彰显中职禁毒教育成效%d\n",
	    dest_page(dests, "case-1"));
	cr_assert(strstr(toc.data, e), "contents lack %s", e);
	free(e);
	e = sg_xasprintf("附表6落实政策表%d\n", dest_page(dests, "ind-6"));
	cr_assert(strstr(toc.data, e), "contents lack %s", e);
	free(e);

	/* 续表: on a page a table runs onto, above its repeated header row;
	 * never on the page where the table starts. */
	o = xmlXPathEvalExpression((const xmlChar *)
	    "//div[@class='table-block']/@id | //section[@class='indicator']/@id",
	    cx);
	for (int i = 0; i < o->nodesetval->nodeNr; i++) {
		xmlChar *id = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		int start = dest_page(dests, (char *)id), num = 0;
		char label[64], *want;
		cr_assert_gt(start, 0, "no destination %s", id);
		if (sscanf((char *)id, "tbl-%63s", label) == 1)
			want = sg_xasprintf("续表%s", label);
		else if (sscanf((char *)id, "ind-%d", &num) == 1)
			want = sg_xasprintf("续附表%d", num);
		else
			cr_assert_fail("id %s", id);
		cr_assert_null(strstr(pages[start], want), "%s on its first page %d",
		    want, start);
		for (int p = start + 1; p <= npages; p++) {
			if (!strstr(pages[p], want))
				break;
			cont++;
		}
		xmlFree(id);
		free(want);
	}
	xmlXPathFreeObject(o);
	/* The bundled report's appendix tables run over several pages. */
	cr_assert_gt(cont, 2, "only %d continued pages", cont);
	int any = 0;
	for (int p = 2; p <= npages; p++)
		any += strstr(pages[p], "续表") != NULL ||
		    strstr(pages[p], "续附表") != NULL;
	cr_assert_eq(any, cont, "续表 where no table continues");

	xmlXPathFreeContext(cx);
	xmlFreeDoc(pd);
	sg_buf_clear(&toc);
	for (int p = 1; p <= npages; p++)
		free(pages[p]);
	free(pages);
	free(dests);
	free(outline);
	free(fonts);
	free(info);
	free(pdf);
	free(pub);
	free(dir);
}

/* Archived revisions keep their own PDF, typeset from their tree, and
 * keep it on the next build. */
Test(pdf, archived_revisions_have_their_own, .timeout = 300)
{
	char *dir = t_copy_example(), *bin = fake_engine(dir), *err = NULL;
	char *args, *pub, *log, *a, *b, *r1;
	size_t la, lb;
	htmlDocPtr doc;

	use_engine(bin);
	setenv("SG_NO_PDF", "1", 1);
	args = sg_xasprintf("-C '%s' publish 2024 -m 首次发布 --author 'A <a@b.c>' "
	    "--allow-findings 照片缺失", dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	t_write(dir, "content/2024/09-challenges.md", "---\ntitle: 挑战与对策\n"
	    "---\n\n## （一）修订后的一节\n\n修订后的文字。\n");
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	free(args);
	setenv("SG_NO_PDF", "0", 1);
	pub = build_in(dir, "", &err);
	free(err);
	cr_assert_eq(engine_runs(dir), 3, "the current report, r1 and r2");
	r1 = sg_path_join(pub, "2024/r1/report-2024-r1.pdf");
	a = t_read(r1, &la);
	cr_assert_not_null(a);
	cr_assert_not_null(strstr(a, "（一）学校概况"));
	cr_assert_null(strstr(a, "修订后的文字"), "r1 shows a later text");
	/* The history ledger lists each archived PDF with its SHA-256. */
	char sha[65], *lj = sg_path_join(pub, "history/ledger.json");
	char *ledger = t_read(lj, NULL), *want;
	cr_assert_not_null(ledger);
	sg_sha256_hex(a, la, sha);
	want = sg_xasprintf("\"path\":\"2024/r1/report-2024-r1.pdf\",\"url\":"
	    "\"http://yqzghzx.yqer.cn/zlnb/2024/r1/report-2024-r1.pdf\","
	    "\"sha256\":\"%s\"", sha);
	cr_assert(strstr(ledger, want), "%s not in %s", want, ledger);
	free(want);
	free(ledger);
	free(lj);
	log = sg_path_join(pub, "2024/report-2024.pdf");
	b = t_read(log, &lb);
	cr_assert_not_null(strstr(b, "修订后的文字"));
	free(b);
	free(log);
	log = sg_path_join(pub, "2024/r2/report-2024-r2.pdf");
	b = t_read(log, &lb);
	cr_assert_not_null(strstr(b, "修订后的文字"));
	free(build_in(dir, "", &err));
	free(err);
	cr_assert_eq(engine_runs(dir), 3, "typeset again with nothing changed");
	doc = t_page(pub, "2024/r1/index.html");
	char *href = t_text(doc, "//a[@type='application/pdf']/@href");
	cr_assert_str_eq(href, "report-2024-r1.pdf");
	free(href);
	xmlFreeDoc(doc);
	free(a);
	free(b);
	free(log);
	free(r1);
	free(pub);
	free(bin);
	free(dir);
}
