/*
 * End to end: `site-gen import` on .docx files made by real producers
 * (tests/fixtures/import/make_fixtures.py: python-docx, LibreOffice,
 * hand-written OOXML as WPS writes it).  The acceptance test imports the
 * bundled report's print view as LibreOffice saves it to .docx, builds
 * the result and compares it with content/2024 read independently: its
 * Markdown through cmark-gfm, its CSV through libcsv, the pages through
 * libxml2.
 */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <criterion/criterion.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "helpers.h"
#include "import.h"
#include "load.h"
#include "sg.h"
#include "source.h"
#include "table.h"
#include "util.h"

TestSuite(import, .init = t_init, .timeout = 120);

static char *
fixture(const char *name)
{
	return sg_xasprintf("%s/tests/fixtures/import/%s", t_root(), name);
}

/* Runs `site-gen import`; returns the exit status, stderr in *err. */
static int
import(const char *docx, const char *args, char **err)
{
	char *f = fixture(docx);
	char *a = sg_xasprintf("import '%s' %s", f, args);
	int rc = t_run(a, err);

	free(a);
	free(f);
	return rc;
}

/* s without any whitespace (ASCII or U+3000): layout may differ. */
static char *
squeeze(const char *s)
{
	struct sg_buf b = {0};

	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
			continue;
		if (strncmp(s, "\u3000", 3) == 0) {
			s += 2;
			continue;
		}
		sg_buf_putc(&b, *s);
	}
	return b.data ? sg_buf_take(&b) : sg_xstrdup("");
}

/* Every text of the nodes matching xpath, in document order. */
static void
texts(htmlDocPtr doc, const char *xpath, struct sg_strv *out)
{
	xmlXPathContextPtr cx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression((const xmlChar *)xpath,
	    cx);

	for (int i = 0; r && r->nodesetval && i < r->nodesetval->nodeNr; i++) {
		xmlChar *t = xmlNodeGetContent(r->nodesetval->nodeTab[i]);
		sg_strv_push(out, squeeze((char *)t));
		xmlFree(t);
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(cx);
}

/* A Markdown file's body (after its front matter), parsed by cmark-gfm
 * with the table extension. */
static cmark_node *
md_parse(const char *path)
{
	char *text = t_read(path, NULL);
	const char *body;
	cmark_parser *p;
	cmark_node *doc;

	cr_assert_not_null(text, "%s missing", path);
	body = text;
	if (strncmp(text, "---\n", 4) == 0 && strstr(text + 4, "\n---\n"))
		body = strstr(text + 4, "\n---\n") + 5;
	p = cmark_parser_new(CMARK_OPT_DEFAULT);
	cmark_parser_attach_syntax_extension(p,
	    cmark_find_syntax_extension("table"));
	cmark_parser_feed(p, body, strlen(body));
	doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	free(text);
	return doc;
}

/* The text of node n's descendants. */
static void
node_text(cmark_node *n, struct sg_buf *b)
{
	for (cmark_node *c = cmark_node_first_child(n); c;
	    c = cmark_node_next(c)) {
		const char *lit = cmark_node_get_literal(c);
		if (lit && (cmark_node_get_type(c) == CMARK_NODE_TEXT ||
		    cmark_node_get_type(c) == CMARK_NODE_CODE))
			sg_buf_puts(b, lit);
		else if (cmark_node_get_type(c) == CMARK_NODE_SOFTBREAK)
			sg_buf_putc(b, ' ');
		node_text(c, b);
	}
}

/* Sentences of a Markdown file's paragraphs, headings and list items
 * (split after 。！？；), and the cells of its pipe tables. */
static void
md_sentences(const char *path, struct sg_strv *sent, struct sg_strv *cells)
{
	cmark_node *doc = md_parse(path);
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		const char *ts = cmark_node_get_type_string(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (strcmp(ts, "table_cell") == 0) {
			struct sg_buf b = {0};
			node_text(n, &b);
			sg_strv_push(cells, squeeze(b.data ? b.data : ""));
			sg_buf_clear(&b);
			continue;
		}
		if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH &&
		    cmark_node_get_type(n) != CMARK_NODE_HEADING)
			continue;
		struct sg_buf b = {0};
		node_text(n, &b);
		char *s = squeeze(b.data ? b.data : "");
		sg_buf_clear(&b);
		for (char *p = s; *p; ) {
			char *e = p, *best = NULL;
			static const char *const ends[] = {"。", "！", "？", "；"};
			for (size_t k = 0; k < 4; k++) {
				char *f = strstr(p, ends[k]);
				if (f && (best == NULL || f < best))
					best = f;
			}
			e = best ? best + 3 : p + strlen(p);
			if (e - p >= 12)	/* four characters or more */
				sg_strv_push(sent, sg_xstrndup(p, (size_t)(e - p)));
			p = e;
		}
		free(s);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

static void
csv_cells(const char *path, struct sg_strv *cells)
{
	size_t len;
	char *data = t_read(path, &len);
	struct sg_diag d = {0};
	struct sg_table *t = sg_table_parse(path, data, len, &d);

	cr_assert_not_null(t, "%s does not parse", path);
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			sg_strv_push(cells, squeeze(t->cells[r][c]));
	sg_table_free(t);
	sg_diag_clear(&d);
	free(data);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(import, bundled_report_round_trips)
{
	char *site = t_copy_example();
	char *orig = sg_path_join(site, "orig-2024");
	char *year = sg_path_join(site, "content/2024");
	struct sg_strv capsA = {0}, casesA = {0}, capsB = {0}, casesB = {0};
	struct sg_strv sent = {0}, cells = {0}, pcells = {0};
	struct sg_import_stats st;
	struct sg_diag d = {0};
	char *pub;
	htmlDocPtr p;

	/* The original, built: its captions with their numbers, its cases. */
	pub = t_build(site, "");
	static const char *const marks = "//main//strong | //main//em | "
	    "//main//blockquote | //main//h2 | //main//h3 | //main//h4 | "
	    "//main//h5 | //main//h6";
	p = t_page(pub, "2024/print/index.html");
	texts(p, "//main//figcaption | //main//table/caption", &capsA);
	int marksA = t_count(p, marks);
	xmlFreeDoc(p);
	for (int k = 1; k <= 6; k++) {
		char *rel = sg_xasprintf("2024/cases/%d/index.html", k);
		p = t_page(pub, rel);
		texts(p, "//main//h1", &casesA);
		xmlFreeDoc(p);
		free(rel);
	}
	free(pub);
	cr_assert_eq(capsA.n, 66);

	/* The original's text and cells, read from its sources. */
	cr_assert_eq(rename(year, orig), 0);
	char *list = sg_xasprintf("cd '%s' && ls *.md cases/*.md tables/*.csv "
	    "> files.txt", orig);
	cr_assert_eq(system(list), 0);
	free(list);
	char *lf = sg_path_join(orig, "files.txt");
	char *names = t_read(lf, NULL);
	for (char *n = strtok(names, "\n"); n; n = strtok(NULL, "\n")) {
		char *path = sg_path_join(orig, n);
		if (sg_has_suffix(n, ".md"))
			md_sentences(path, &sent, &cells);
		else
			csv_cells(path, &cells);
		free(path);
	}
	free(names);
	free(lf);
	cr_assert_gt(sent.n, 600, "%zu sentences, %zu cells", sent.n, cells.n);

	/* The import itself, timed in process. */
	char *docx = fixture("bundled-print.docx");
	double t0 = now();
	int rc = sg_import_docx(docx, "bundled-print.docx", site, year, 2024,
	    &st, &d);
	double dt = now() - t0;
	cr_log_info("import of the bundled report: %.3f s", dt);
	fprintf(stderr, "import of the bundled report: %.3f s\n", dt);
	cr_assert_eq(rc, 0);
#if defined(__SANITIZE_ADDRESS__)
	cr_assert_lt(dt, 5.0);
#else
	cr_assert_lt(dt, 1.0, "import took %.3f s; expected under a second", dt);
#endif
	cr_assert_eq(st.chapters, 9);
	cr_assert_eq(st.cases, 6);
	cr_assert_eq(st.figures, 51);
	cr_assert_eq(st.appendix, 6);
	cr_assert(t_has(&d, SG_WARNING, 0, "has no image in the document"));
	sg_diag_clear(&d);
	free(docx);

	/* The report marks a caption （保密）: check stops the build on it
	 * until the school says why it stays, as the bundled copy does. */
	char *cp = sg_path_join(year, "cases/05-case.md"), *ct = t_read(cp, NULL);
	cr_assert(ct && strncmp(ct, "---\n", 4) == 0, "%s", cp);
	char *nt = sg_xasprintf("---\nallow: [\"confidential: 原文标题\"]\n%s",
	    ct + 4);
	cr_assert_eq(sg_file_write(cp, nt, strlen(nt)), 0);
	free(nt);
	free(ct);
	free(cp);

	/* Built again: the imported report's print view against the sources. */
	pub = t_build(site, "--force");
	p = t_page(pub, "2024/print/index.html");
	struct sg_strv body = {0};
	texts(p, "//main", &body);
	texts(p, "//main//td | //main//th", &pcells);
	texts(p, "//main//figcaption | //main//table/caption", &capsB);
	/* Bold, block quotes and every heading level come back too. */
	cr_expect_eq(t_count(p, marks), marksA);
	xmlFreeDoc(p);
	cr_assert_eq(body.n, 1);
	size_t found = 0;
	for (size_t i = 0; i < sent.n; i++) {
		if (strstr(body.v[0], sent.v[i]))
			found++;
		else
			cr_log_info("sentence not found: %s", sent.v[i]);
	}
	cr_log_info("%zu of %zu sentences", found, sent.n);
	cr_assert_geq(found * 100, sent.n * 99, "%zu of %zu sentences came "
	    "back; expected at least 99%%", found, sent.n);
	struct sg_map have = {0};
	for (size_t i = 0; i < pcells.n; i++)
		sg_map_put(&have, pcells.v[i], pcells.v[i]);
	for (size_t i = 0; i < cells.n; i++)
		cr_expect(*cells.v[i] == '\0' || sg_map_get(&have, cells.v[i]),
		    "table cell “%s” lost", cells.v[i]);
	sg_map_clear(&have);
	/* Every caption with the same number, in the same order. */
	cr_assert_eq(capsB.n, capsA.n);
	for (size_t i = 0; i < capsA.n; i++)
		cr_expect_str_eq(capsB.v[i], capsA.v[i]);
	/* The six cases, numbered as before, with their titles. */
	for (int k = 1; k <= 6; k++) {
		char *rel = sg_xasprintf("2024/cases/%d/index.html", k);
		p = t_page(pub, rel);
		texts(p, "//main//h1", &casesB);
		xmlFreeDoc(p);
		free(rel);
	}
	cr_assert_eq(casesB.n, casesA.n);
	for (size_t i = 0; i < casesA.n; i++)
		cr_expect_str_eq(casesB.v[i], casesA.v[i]);
	/* Each case's own text is on its own page, not left in a chapter. */
	list = sg_xasprintf("cd '%s' && ls cases/*.md > files.txt", orig);
	cr_assert_eq(system(list), 0);
	free(list);
	lf = sg_path_join(orig, "files.txt");
	names = t_read(lf, NULL);
	int k = 0;
	for (char *n = strtok(names, "\n"); n; n = strtok(NULL, "\n")) {
		struct sg_strv cs = {0}, ccells = {0}, page = {0};
		char *path = sg_path_join(orig, n);
		char *rel = sg_xasprintf("2024/cases/%d/index.html", ++k);
		md_sentences(path, &cs, &ccells);
		p = t_page(pub, rel);
		texts(p, "//main", &page);
		xmlFreeDoc(p);
		size_t in = 0;
		for (size_t i = 0; i < cs.n; i++)
			in += strstr(page.v[0], cs.v[i]) != NULL;
		cr_expect_eq(in, cs.n, "case %d: %zu of %zu sentences on its "
		    "page", k, in, cs.n);
		sg_strv_clear(&cs);
		sg_strv_clear(&ccells);
		sg_strv_clear(&page);
		free(rel);
		free(path);
	}
	cr_expect_eq(k, 6);
	free(names);
	free(lf);
	/* The appendix tables as the originals, cell for cell. */
	static const char *const ind[] = {"1-scorecard", "2-satisfaction",
	    "3-resources", "4-service", "5-international", "6-policy"};
	for (size_t k = 0; k < 6; k++) {
		struct sg_strv a = {0}, b = {0};
		char *pa = sg_xasprintf("%s/indicators/%s.csv", orig, ind[k]);
		char *pb = sg_xasprintf("%s/indicators/%s.csv", year, ind[k]);
		csv_cells(pa, &a);
		csv_cells(pb, &b);
		cr_expect_eq(a.n, b.n, "%s: %zu cells, expected %zu", ind[k],
		    b.n, a.n);
		size_t same = 0;
		for (size_t i = 0; i < a.n && i < b.n; i++)
			same += strcmp(a.v[i], b.v[i]) == 0;
		cr_log_info("%s: %zu of %zu cells as published", ind[k], same,
		    a.n);
		sg_strv_clear(&a);
		sg_strv_clear(&b);
		free(pa);
		free(pb);
	}
	sg_strv_clear(&body);
	sg_strv_clear(&capsA);
	sg_strv_clear(&capsB);
	sg_strv_clear(&casesA);
	sg_strv_clear(&casesB);
	sg_strv_clear(&sent);
	sg_strv_clear(&cells);
	sg_strv_clear(&pcells);
	free(pub);
	free(year);
	free(orig);
	free(site);
}

/* Headings (text, level) of a Markdown file, "## （一）办学条件" each. */
static void
headings(const char *path, struct sg_strv *out)
{
	cmark_node *doc = md_parse(path);

	for (cmark_node *n = cmark_node_first_child(doc); n;
	    n = cmark_node_next(n))
		if (cmark_node_get_type(n) == CMARK_NODE_HEADING) {
			struct sg_buf b = {0};
			for (int k = 0; k < cmark_node_get_heading_level(n); k++)
				sg_buf_putc(&b, '#');
			sg_buf_putc(&b, ' ');
			node_text(n, &b);
			sg_strv_push(out, sg_buf_take(&b));
		}
	cmark_node_free(doc);
}

static void
wps(const char *name)
{
	char *dir = t_tmpdir();
	char *into = sg_xasprintf("--year 2025 --into '%s/y'", dir);
	char *err = NULL;
	struct sg_strv h1 = {0}, h2 = {0};

	cr_assert_eq(import(name, into, &err), 0, "%s", err);
	char *f1 = sg_xasprintf("%s/y/01-school.md", dir);
	char *f2 = sg_xasprintf("%s/y/02-talent.md", dir);
	headings(f1, &h1);
	headings(f2, &h2);
	cr_assert_eq(h1.n, 2, "%s: %zu headings in chapter 1", name, h1.n);
	cr_expect_str_eq(h1.v[0], "## （一）办学条件");
	cr_expect_str_eq(h1.v[1], "## （二）师资队伍");
	cr_assert_eq(h2.n, 1);
	cr_expect_str_eq(h2.v[0], "## （一）学生发展");
	char *t1 = t_read(f1, NULL);
	cr_expect(strstr(t1, "title: \"学校情况\"") != NULL, "%s", t1);
	cr_expect(strstr(t1, "61562 平方米") != NULL);
	/* The case, linked where it stood, ends at the next chapter. */
	cr_expect(strstr(t1, "[案例 1](cases/01-case.md)") != NULL, "%s", t1);
	char *fc = sg_xasprintf("%s/y/cases/01-case.md", dir);
	char *tc = t_read(fc, NULL);
	cr_assert_not_null(tc, "%s: no case file", name);
	cr_expect(strstr(tc, "title: \"青蓝工程助力教师成长\"") != NULL, "%s", tc);
	cr_expect(strstr(tc, "新老教师结对 20 对") != NULL, "%s", tc);
	cr_expect(strstr(tc, "学生") == NULL, "%s: the case runs on: %s", name,
	    tc);
	free(tc);
	free(fc);
	/* Fields by their shown text: a SEQ caption, a HYPERLINK. */
	cr_expect(strstr(t1, "![](images/1-01.jpg \"校园鸟瞰\")") != NULL, "%s", t1);
	cr_expect(strstr(t1, "详见[学校网站](<https://example.cn/>)。") != NULL,
	    "%s", t1);
	/* What could not be carried over, at its paragraph. */
	char *eq = sg_xasprintf("%s:¶8: warning: an equation", name);
	char *ch = sg_xasprintf("%s:¶9: warning: a chart object", name);
	cr_expect(strstr(err, eq) != NULL, "%s", err);
	cr_expect(strstr(err, ch) != NULL, "%s", err);
	free(eq);
	free(ch);
	free(t1);
	free(f1);
	free(f2);
	sg_strv_clear(&h1);
	sg_strv_clear(&h2);
	free(err);
	free(into);
	free(dir);
}

Test(import, wps_numeric_style_ids)
{
	wps("wps-numeric.docx");
}

Test(import, wps_outline_levels_only)
{
	wps("wps-outline.docx");
}

Test(import, wps_typed_numbering)
{
	wps("wps-typed.docx");
}

static const struct sg_report *
report_of(const struct sg_site *s, int year)
{
	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].year == year)
			return &s->reports[i];
	return NULL;
}

Test(import, styled_document_from_python_docx)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' --year 2025", site);
	char *err = NULL;
	struct sg_source *src;
	struct sg_diag d = {0};

	cr_assert_eq(import("styled.docx", args, &err), 0, "%s", err);
	cr_expect(strstr(err, "warning: merged cells") != NULL, "%s", err);
	free(err);

	struct sg_site *s = t_load(site, &src, &d);
	const struct sg_report *r = report_of(s, 2025);
	cr_assert_not_null(r);
	cr_expect_str_eq(r->title, "示范职业学校 2025 年度教育质量报告");
	cr_expect_str_eq(r->published, "2025-06-30");
	cr_expect(strstr(r->statement, "特此声明") != NULL);
	cr_expect(strstr(r->signatory, "示范职业学校（盖章）") != NULL);
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);

	/* The image, byte for byte a PNG; the merged cell filled in. */
	char *img = sg_xasprintf("%s/content/2025/images/1-01.png", site);
	size_t len;
	char *png = t_read(img, &len);
	cr_assert_not_null(png);
	cr_expect(len > 8 && memcmp(png, "\x89PNG", 4) == 0);
	free(png);
	free(img);
	struct sg_strv cells = {0};
	char *csv = sg_xasprintf("%s/content/2025/tables/1-01.csv", site);
	csv_cells(csv, &cells);
	cr_assert_eq(cells.n, 12);
	cr_expect_str_eq(cells.v[3], "信息技术类");
	cr_expect_str_eq(cells.v[6], "信息技术类");
	sg_strv_clear(&cells);
	free(csv);

	/* Built: the figure and the table with their captions and numbers,
	 * the case linked from its chapter, the bold and italic runs. */
	char *pub = t_build(site, "");
	htmlDocPtr p = t_page(pub, "2025/01-school/index.html");
	char *cap = t_text(p, "//main//figcaption");
	cr_assert_not_null(cap);
	char *c2 = squeeze(cap);
	cr_expect_str_eq(c2, "图1-1学校校园全景");
	cr_expect_eq(t_count(p, "//main//figure//img"), 2);
	cr_expect_eq(t_count(p, "//main//figure[.//img[contains(@src, "
	    "'1-02.png')]]//figcaption[contains(., '新建实训楼')]"), 1);
	char *tc = t_text(p, "//main//table/caption");
	char *t2 = squeeze(tc ? tc : "");
	cr_expect_str_eq(t2, "表1-1专业设置情况");
	cr_expect_eq(t_count(p, "//main//a[@href='https://www.example.edu.cn/']"),
	    1);
	xmlFreeDoc(p);
	p = t_page(pub, "2025/index.html");
	cr_expect_eq(t_count(p, "//main//strong[.='立德树人']"), 1);
	cr_expect_eq(t_count(p, "//main//em[.='三教改革']"), 1);
	/* A line break, lists numbered by their styles. */
	cr_expect_eq(t_count(p, "//main//p[strong='立德树人']/br"), 1);
	cr_expect_eq(t_count(p, "//main//ul/li[.='计算机应用专业']"), 1);
	cr_expect_eq(t_count(p, "//main//ul/li[.='会计事务专业']"), 1);
	cr_expect_eq(t_count(p, "//main//ol/li[.='深化产教融合']"), 1);
	xmlFreeDoc(p);
	p = t_page(pub, "2025/cases/1/index.html");
	char *h = t_text(p, "//main//h1");
	cr_expect(h && strstr(h, "技能大赛育人实践"), "%s", h);
	xmlFreeDoc(p);
	/* Bold lines typed as headings: a section, a case in it with its
	 * own numbered heading, the next section after the case. */
	struct sg_strv hs = {0};
	char *ch2 = sg_xasprintf("%s/content/2025/02-talent.md", site);
	headings(ch2, &hs);
	cr_assert_eq(hs.n, 4, "%zu headings", hs.n);
	cr_expect_str_eq(hs.v[2], "## （三）师资建设");
	cr_expect_str_eq(hs.v[3], "## （四）社会评价");
	sg_strv_clear(&hs);
	free(ch2);
	char *c2f = sg_xasprintf("%s/content/2025/cases/02-case.md", site);
	headings(c2f, &hs);
	cr_assert_eq(hs.n, 1, "%zu headings in case 2", hs.n);
	cr_expect_str_eq(hs.v[0], "## 1. 结对帮扶");
	sg_strv_clear(&hs);
	free(c2f);
	/* 目录 entries are not copied. */
	char *ch1 = sg_xasprintf("%s/content/2025/01-school.md", site);
	char *t = t_read(ch1, NULL);
	cr_expect(strstr(t, "人才培养") == NULL);
	free(t);
	free(ch1);
	free(h);
	free(cap);
	free(c2);
	free(tc);
	free(t2);
	free(pub);
	free(args);
	free(site);
}

Test(import, writer_notes_changes_boxes_and_images_in_tables)
{
	char *dir = t_tmpdir();
	char *args = sg_xasprintf("--year 2025 --into '%s/y'", dir);
	char *err = NULL;

	cr_assert_eq(import("writer.docx", args, &err), 0, "%s", err);
	cr_expect(strstr(err, "writer.docx:¶7: warning: a comment is dropped"),
	    "%s", err);
	free(err);
	char *f = sg_xasprintf("%s/y/01-school.md", dir);
	char *t = t_read(f, NULL);
	/* Tracked changes as accepted. */
	cr_expect(strstr(t, "新增实训室 3 间") != NULL, "%s", t);
	cr_expect(strstr(t, "旧的说法") == NULL);
	/* The two images of a layout table, each with its caption. */
	cr_expect(strstr(t, "![](images/1-01.png \"实训楼\")") != NULL, "%s", t);
	cr_expect(strstr(t, "![](images/1-02.png \"图书馆\")") != NULL, "%s", t);
	cr_expect(strstr(t, "[案例 1](cases/01-case.md)") != NULL);
	/* An anchored image with its caption; a text box's text. */
	cr_expect(strstr(t, "![](images/1-03.png \"校门\")") != NULL, "%s", t);
	cr_expect(strstr(t, "学校大门朝南。") != NULL, "%s", t);
	/* An image inside a group of shapes. */
	cr_expect(strstr(t, "![](images/1-04.png \"校徽\")") != NULL, "%s", t);
	cr_expect(strstr(t, "校训：修身立业，博技创新。") != NULL, "%s", t);
	cr_expect(strstr(t, "学校文化建设持续推进。") != NULL, "%s", t);
	free(t);
	free(f);
	/* Footnote and endnote as Markdown footnotes, read back by cmark. */
	f = sg_xasprintf("%s/y/index.md", dir);
	cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES);
	t = t_read(f, NULL);
	cmark_parser_feed(p, t, strlen(t));
	cmark_node *doc = cmark_parser_finish(p);
	char *html = cmark_render_html(doc, CMARK_OPT_FOOTNOTES, NULL);
	cr_expect(strstr(html, "见教育部办公厅通知。") != NULL, "%s", html);
	cr_expect(strstr(html, "统计口径同上年。") != NULL, "%s", html);
	cr_expect(strstr(html, "footnote") != NULL, "%s", html);
	free(html);
	cmark_node_free(doc);
	cmark_parser_free(p);
	free(t);
	free(f);
	f = sg_xasprintf("%s/y/cases/01-case.md", dir);
	t = t_read(f, NULL);
	cr_expect(strstr(t, "title: \"智慧家长沙龙\"") != NULL, "%s", t);
	cr_expect(strstr(t, "参与家长 300 余人") != NULL);
	free(t);
	free(f);
	free(args);
	free(dir);
}

Test(import, refuses_an_existing_year)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' --year 2024", site);
	char *ch = sg_xasprintf("%s/content/2024/02-talent.md", site);
	char *before = t_read(ch, NULL), *after, *err = NULL;
	size_t n0, n1;
	char *c24 = sg_xasprintf("%s/content", site);
	char **l0 = t_files(c24, &n0), **l1;

	cr_assert_eq(import("styled.docx", args, &err), 1);
	cr_expect(strstr(err, "content/2024: error: exists") != NULL, "%s", err);
	after = t_read(ch, NULL);
	cr_expect_str_eq(after, before);
	l1 = t_files(c24, &n1);
	cr_expect_eq(n1, n0, "files under content/ changed");
	t_free_list(l0, n0);
	t_free_list(l1, n1);
	free(err);
	free(before);
	free(after);
	free(ch);
	free(c24);
	free(args);
	free(site);
}

Test(import, not_a_docx)
{
	char *dir = t_tmpdir();
	char *err = NULL;

	t_write(dir, "report.docx", "这不是 Word 文件\n");
	char *a = sg_xasprintf("import '%s/report.docx' --year 2025 --into "
	    "'%s/y'", dir, dir);
	cr_assert_eq(t_run(a, &err), 1);
	cr_expect(strstr(err, "error: not a .docx file") != NULL, "%s", err);
	char *y = sg_path_join(dir, "y");
	cr_expect(!sg_is_dir(y), "nothing is written");
	free(y);
	free(a);
	free(err);
	free(dir);
}

Test(import, doc_without_libreoffice_says_how)
{
	char *dir = t_tmpdir();
	char *err = NULL;
	char *old = getenv("PATH") ? sg_xstrdup(getenv("PATH")) : NULL;

	setenv("PATH", "/nonexistent", 1);
	char *a = sg_xasprintf("--year 2025 --into '%s/y'", dir);
	int rc = import("writer.doc", a, &err);
	if (old)
		setenv("PATH", old, 1);
	cr_assert_eq(rc, 1);
	cr_expect(strstr(err, "libreoffice-writer-nogui") != NULL, "%s", err);
	cr_expect(strstr(err, ".docx") != NULL);
	free(old);
	free(a);
	free(err);
	free(dir);
}

Test(import, doc_converted_with_libreoffice, .timeout = 180)
{
	if (system("command -v soffice >/dev/null 2>&1") != 0) {
		cr_skip_test("LibreOffice (soffice) is not installed");
		return;
	}
	char *dir = t_tmpdir();
	char *err = NULL;
	char *a = sg_xasprintf("--year 2025 --into '%s/y'", dir);

	cr_assert_eq(import("writer.doc", a, &err), 0, "%s", err);
	char *f = sg_xasprintf("%s/y/01-school.md", dir);
	char *t = t_read(f, NULL);
	cr_assert_not_null(t);
	cr_expect(strstr(t, "61562 平方米") != NULL, "%s", t);
	free(t);
	free(f);
	free(a);
	free(err);
	free(dir);
}

/* ---- hostile packages, written here with libzip ---- */

#include <zip.h>

static const char *const W_DOC = "<?xml version=\"1.0\"?><w:document "
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body>%s</w:body></w:document>";

/* A package of (name, text) pairs, NULL-terminated, at dir/name. */
static char *
package(const char *dir, const char *name, const char *const *parts)
{
	char *path = sg_path_join(dir, name);
	int err;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	cr_assert_not_null(z);
	for (size_t i = 0; parts[i]; i += 2) {
		zip_source_t *s = zip_source_buffer(z, parts[i + 1],
		    strlen(parts[i + 1]), 0);
		cr_assert_geq(zip_file_add(z, parts[i], s, ZIP_FL_ENC_UTF_8), 0);
	}
	cr_assert_eq(zip_close(z), 0);
	return path;
}

static int
import_path(const char *path, const char *dir, char **err)
{
	char *a = sg_xasprintf("import '%s' --year 2025 --into '%s/y'", path,
	    dir);
	int rc = t_run(a, err);

	free(a);
	return rc;
}

Test(import, hostile_packages_are_findings, .timeout = 60)
{
	char *dir = t_tmpdir(), *err = NULL, *p, *y = sg_path_join(dir, "y");

	/* No document part; a document part that is not XML. */
	p = package(dir, "empty.docx", (const char *const[]){"a.txt", "x", NULL});
	cr_expect_eq(import_path(p, dir, &err), 1);
	cr_expect(strstr(err, "no readable word/document.xml") != NULL, "%s", err);
	cr_expect(!sg_is_dir(y));
	free(err);
	free(p);
	p = package(dir, "bad.docx", (const char *const[]){"word/document.xml",
	    "<w:document><w:body><w:p>", NULL});
	cr_expect_eq(import_path(p, dir, &err), 1);
	free(err);
	free(p);

	/* Styles based on each other in a ring, a cell spanning 64 columns
	 * in each of 3000 rows, a numbering level pointing at itself: it
	 * finishes, and writes what it can. */
	struct sg_buf body = {0};
	sg_buf_puts(&body, "<w:p><w:pPr><w:pStyle w:val=\"A\"/></w:pPr><w:r>"
	    "<w:t>一、学校情况</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"B\"/>"
	    "</w:pPr><w:r><w:t>二、人才培养</w:t></w:r></w:p><w:tbl>");
	for (int r = 0; r < 3000; r++)
		sg_buf_puts(&body, "<w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"64\"/>"
		    "<w:vMerge/></w:tcPr><w:p><w:r><w:t>格</w:t></w:r></w:p></w:tc>"
		    "<w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>");
	sg_buf_puts(&body, "</w:tbl><w:p><w:pPr><w:numPr><w:ilvl w:val=\"8\"/>"
	    "<w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:fldChar "
	    "w:fldCharType=\"begin\"/></w:r><w:r><w:t>文字</w:t></w:r></w:p>"
	    "<w:p><w:r><w:t>后面的文字仍在。</w:t></w:r></w:p>");
	char *doc = sg_xasprintf(W_DOC, body.data);
	static const char *const ns = "xmlns:w=\"http://schemas.openxmlformats."
	    "org/wordprocessingml/2006/main\"";
	char *styles = sg_xasprintf("<w:styles %s><w:style w:type=\"paragraph\" "
	    "w:styleId=\"A\"><w:basedOn w:val=\"B\"/></w:style><w:style "
	    "w:type=\"paragraph\" w:styleId=\"B\"><w:name w:val=\"heading 1\"/>"
	    "<w:basedOn w:val=\"A\"/></w:style></w:styles>", ns);
	char *num = sg_xasprintf("<w:numbering %s><w:abstractNum "
	    "w:abstractNumId=\"0\"><w:lvl w:ilvl=\"8\"><w:numFmt "
	    "w:val=\"chineseCounting\"/><w:lvlText w:val=\"%%9%%9%%1%%5.\"/>"
	    "</w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId "
	    "w:val=\"0\"/></w:num></w:numbering>", ns);
	p = package(dir, "ring.docx", (const char *const[]){"word/document.xml",
	    doc, "word/styles.xml", styles, "word/numbering.xml", num, NULL});
	cr_expect_eq(import_path(p, dir, &err), 0, "%s", err);
	char *f = sg_xasprintf("%s/y/02-talent.md", dir);
	char *t = t_read(f, NULL);
	cr_assert_not_null(t);
	cr_expect(strstr(t, "后面的文字仍在。") != NULL, "%s", t);
	free(t);
	free(f);
	free(err);
	free(p);
	free(doc);
	free(styles);
	free(num);
	sg_buf_clear(&body);
	free(y);
	free(dir);
}

Test(import, title_in_the_chapters_heading_style)
{
	char *dir = t_tmpdir(), *err = NULL;
	char *h = sg_xasprintf("<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr>"
	    "<w:r><w:t>%s</w:t></w:r></w:p>", "示范学校 2025 年度质量报告");
	char *body = sg_xasprintf("%s<w:p><w:pPr><w:outlineLvl w:val=\"0\"/>"
	    "</w:pPr><w:r><w:t>一、学校情况</w:t></w:r></w:p><w:p><w:r><w:t>"
	    "正文一。</w:t></w:r></w:p><w:p><w:pPr><w:outlineLvl w:val=\"0\"/>"
	    "</w:pPr><w:r><w:t>二、人才培养</w:t></w:r></w:p><w:p><w:r><w:t>"
	    "正文二。</w:t></w:r></w:p>", h);
	char *doc = sg_xasprintf(W_DOC, body);
	char *p = package(dir, "t.docx", (const char *const[]){
	    "word/document.xml", doc, NULL});

	cr_assert_eq(import_path(p, dir, &err), 0, "%s", err);
	char *ry = sg_xasprintf("%s/y/report.yml", dir);
	char *t = t_read(ry, NULL);
	cr_expect(strstr(t, "title: \"示范学校 2025 年度质量报告\"") != NULL, "%s", t);
	free(t);
	char *c1 = sg_xasprintf("%s/y/01-school.md", dir);
	char *c2 = sg_xasprintf("%s/y/02-talent.md", dir);
	char *c3 = sg_xasprintf("%s/y/03-support.md", dir);
	cr_expect(sg_is_file(c1) && sg_is_file(c2) && !sg_is_file(c3));
	free(c1);
	free(c2);
	free(c3);
	free(ry);
	free(err);
	free(p);
	free(doc);
	free(body);
	free(h);
	free(dir);
}

Test(import, numbering_formats_as_word_shows_them)
{
	static const char *const fmts[][3] = {
		{"chineseCounting", "（%1）", "（十一）"},
		{"decimalEnclosedCircle", "%1", "⑪"},
		{"upperRoman", "%1.", "XI."},
		{"lowerLetter", "%1)", "k)"},
		{"decimalFullWidth", "%1．", "１１．"},
		{"ideographTraditional", "%1、", "甲、"},
	};
	char *dir = t_tmpdir(), *err = NULL;
	struct sg_buf body = {0}, num = {0};

	sg_buf_puts(&body, "<w:p><w:pPr><w:outlineLvl w:val=\"0\"/></w:pPr><w:r>"
	    "<w:t>一、学校情况</w:t></w:r></w:p><w:p><w:pPr><w:outlineLvl "
	    "w:val=\"0\"/></w:pPr><w:r><w:t>二、人才培养</w:t></w:r></w:p>");
	sg_buf_puts(&num, "<w:numbering xmlns:w=\"http://schemas.openxmlformats."
	    "org/wordprocessingml/2006/main\">");
	for (int k = 0; k < 6; k++) {
		/* Format k starts at 11 (甲 at 1): the eleventh item shown. */
		sg_buf_printf(&num, "<w:abstractNum w:abstractNumId=\"%d\"><w:lvl "
		    "w:ilvl=\"0\"><w:start w:val=\"%d\"/><w:numFmt w:val=\"%s\"/>"
		    "<w:lvlText w:val=\"%s\"/></w:lvl></w:abstractNum><w:num "
		    "w:numId=\"%d\"><w:abstractNumId w:val=\"%d\"/></w:num>", k,
		    k == 5 ? 1 : 11, fmts[k][0], fmts[k][1], k + 1, k);
		sg_buf_printf(&body, "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
		    "<w:numId w:val=\"%d\"/></w:numPr></w:pPr><w:r><w:t>第%d项"
		    "</w:t></w:r></w:p>", k + 1, k);
	}
	sg_buf_puts(&num, "</w:numbering>");
	char *doc = sg_xasprintf(W_DOC, body.data);
	char *p = package(dir, "n.docx", (const char *const[]){
	    "word/document.xml", doc, "word/numbering.xml", num.data, NULL});

	cr_assert_eq(import_path(p, dir, &err), 0, "%s", err);
	char *f = sg_xasprintf("%s/y/02-talent.md", dir);
	char *t = t_read(f, NULL);
	for (int k = 0; k < 6; k++) {
		char *want = sg_xasprintf("%s%s第%d项", fmts[k][2],
		    (unsigned char)fmts[k][2][strlen(fmts[k][2]) - 1] < 0x80 ?
		    " " : "", k);
		cr_expect(strstr(t, want) != NULL, "%s not in\n%s", want, t);
		free(want);
	}
	free(t);
	free(f);
	free(err);
	free(p);
	free(doc);
	sg_buf_clear(&body);
	sg_buf_clear(&num);
	free(dir);
}
