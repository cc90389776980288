/*
 * End to end: the appendix tables of the built example — the 2024 page
 * with change and charts, the downloads read back, the trends page and a
 * restatement between two reports, key figures, and errors.
 */
#include <criterion/criterion.h>
#include <csv.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "indicators.h"
#include "load.h"
#include "schema.h"
#include "source.h"
#include "table.h"
#include "util.h"

TestSuite(e2e_ind, .init = t_init, .timeout = 120);

static char *
text(htmlDocPtr doc, const char *xp)
{
	char *t = t_text(doc, xp);

	cr_assert_not_null(t, "nothing at %s", xp);
	return t;
}

/* The file parses as JSON, with libjansson (duplicate keys refused). */
static void
assert_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);

	cr_assert_not_null(j, "%s:%d: invalid JSON: %s", path, e.line, e.text);
	json_decref(j);
}

/* ---- tests ---- */

Test(e2e_ind, graduates_row_change_and_charts)
{
	char *dir = t_tmpdir();
	char *pub, *t;
	htmlDocPtr doc;
	const char *row = "//section[@id='ind-1']//tr[th[@scope='row'][starts-with"
	    "(., '毕业生人数')]]";
	char *xp;

	char *args = sg_xasprintf("-C '%s' build -o '%s/public'", t_root(), dir);
	cr_assert_eq(t_run(args, NULL), 0);
	free(args);
	pub = sg_xasprintf("%s/public", dir);
	doc = t_page(pub, "2024/indicators/index.html");
	cr_assert_eq(t_count(doc, "//section[@class='indicator']"), 6);
	cr_assert_eq(t_count(doc, row), 1);
	xp = sg_xasprintf("%s/td[@class='n'][1]", row);
	t = text(doc, xp);
	cr_assert_str_eq(t, "522");
	free(t);
	free(xp);
	xp = sg_xasprintf("%s/td[@class='n'][2]", row);
	t = text(doc, xp);
	cr_assert_str_eq(t, "592");
	free(t);
	free(xp);
	xp = sg_xasprintf("%s/td[contains(@class, 'chg')]", row);
	t = text(doc, xp);
	cr_assert(strstr(t, "+70 (+13.4%)"), "%s", t);
	cr_assert(strstr(t, "增加"), "no words for the arrow: %s", t);
	free(t);
	free(xp);
	/* The arrow is decoration; the words are there for screen readers. */
	xp = sg_xasprintf("%s/td[@class='chg up']/span[@aria-hidden='true']",
	    row);
	cr_assert_eq(t_count(doc, xp), 1);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='svg'][@role='img']", row);
	cr_assert_eq(t_count(doc, xp), 1);
	free(xp);
	/* Core mark with words; sub-rows indented; % rows in points. */
	cr_assert(t_count(doc, "//th[@scope='row']/span[@class='vh'][.="
	    "'（核心指标）']") > 40);
	cr_assert_eq(t_count(doc, "//section[@id='ind-1']//tr[contains(@class, "
	    "'sub')]"), 5);
	t = text(doc, "//section[@id='ind-1']//tr[th[starts-with(., "
	    "'毕业生本省去向落实率')]]/td[contains(@class, 'chg')]");
	cr_assert(strstr(t, "+77.59 个百分点"), "%s", t);
	free(t);
	/* 不适用 and 未填报 are said in words. */
	cr_assert(t_count(doc, "//section[@id='ind-3']//td[@class='n']"
	    "/span[@class='ind-na'][.='不适用']") > 10);
	cr_assert_eq(t_count(doc, "//section[@id='ind-2']//td[@class='n']"
	    "/span[@class='ind-empty'][.='未填报']"), 24);
	/* A second-unit row names its indicator for screen readers. */
	t = text(doc, "//section[@id='ind-3']//tr[contains(@class, 'cont')][1]"
	    "/th");
	cr_assert_str_eq(t, "教学计划内课程总数，按学时计");
	free(t);
	/* Downloads linked from each table. */
	cr_assert_eq(t_count(doc, "//section[@id='ind-3']//a[@href="
	    "'3-resources.csv']"), 1);
	cr_assert_eq(t_count(doc, "//section[@id='ind-3']//a[@href="
	    "'3-resources.json']"), 1);
	t = text(doc, "//section[@id='ind-3']//p[@class='table-download']");
	cr_assert_str_eq(t, "下载本表数据：CSV（教学资源表） · JSON（教学资源表）");
	free(t);
	cr_assert_eq(t_count(doc, "//p[@class='table-download']"), 6);
	/* The header names the columns and the years compared. */
	t = text(doc, "//section[@id='ind-1']//thead/tr");
	cr_assert(strstr(t, "序号指标单位2023 年2024 年较上年（2024 年较 2023 "
	    "年）历年趋势"), "%s", t);
	free(t);
	/* A change from an empty figure says so. */
	cr_assert_gt(t_count(doc, "//section[@id='ind-2']//td[@class='chg none']"
	    "/span[@class='ind-empty'][.='未填报']"), 10);
	/* A chart per row: a picture of the numbers, or words saying there
	 * are none. */
	cr_assert_eq(t_count(doc, "//tbody/tr"), t_count(doc, "//tbody/tr/td"
	    "[@class='ind-chart']"));
	cr_assert_eq(t_count(doc, "//td[@class='ind-chart'][not(*[name()="
	    "'svg']) and not(span[@class='vh'][.='无数值，不作图'])]"), 0);
	cr_assert_gt(t_count(doc, "//td[@class='ind-chart']/*[name()='svg']"),
	    50);
	xp = sg_xasprintf("%s//*[name()='svg']/*[name()='title']", row);
	t = text(doc, xp);
	cr_assert_str_eq(t, "毕业生人数（人）：2023 年 522，2024 年 592");
	free(t);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='rect'][@class='bar bar-mark']"
	    "/following-sibling::*[name()='text'][1][.='2024']", row);
	cr_assert_eq(t_count(doc, xp), 1);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='rect']", row);
	cr_assert_eq(t_count(doc, xp), 2);
	free(xp);
	xmlFreeDoc(doc);
	/* The print view has the tables without download links. */
	doc = t_page(pub, "2024/print/index.html");
	cr_assert_eq(t_count(doc, "//section[@id='appendix']//section"
	    "[@class='indicator']"), 6);
	cr_assert_eq(t_count(doc, "//section[@id='appendix']//p[@class="
	    "'table-download']"), 0);
	xmlFreeDoc(doc);

	/* Every SVG chart of the indicator pages is well-formed XML. */
	static const char *const pages[] = {"2024/indicators/index.html",
	    "indicators/index.html", "2024/print/index.html"};
	size_t charts = 0;
	for (size_t k = 0; k < 3; k++) {
		char *p = sg_xasprintf("%s/%s", pub, pages[k]);
		char *raw = t_read(p, NULL);
		for (char *s = strstr(raw, "<svg"); s; s = strstr(s + 1, "<svg")) {
			char *e = strstr(s, "</svg>");
			cr_assert_not_null(e);
			xmlDocPtr x = xmlReadMemory(s, (int)(e + 6 - s), "svg",
			    "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
			cr_assert_not_null(x, "%s: not XML: %.200s", pages[k], s);
			xmlNodePtr root = xmlDocGetRootElement(x);
			cr_assert_str_eq((char *)root->name, "svg");
			xmlChar *role = xmlGetProp(root, (const xmlChar *)"role");
			cr_assert_str_eq((char *)role, "img");
			xmlFree(role);
			cr_assert_str_eq((char *)root->children->name, "title");
			xmlFreeDoc(x);
			charts++;
		}
		free(raw);
		free(p);
	}
	cr_assert_gt(charts, 100, "only %zu charts", charts);

	/* Key figures on the home page. */
	doc = t_page(pub, "index.html");
	cr_assert_eq(t_count(doc, "//li[@class='fig']"), 6);
	t = text(doc, "//li[@class='fig'][p[@class='fig-label']='全日制在校生']"
	    "/p[@class='fig-value']");
	cr_assert(strstr(t, "1920") && strstr(t, "人"), "%s", t);
	free(t);
	t = text(doc, "//li[@class='fig'][p[@class='fig-label']='全日制在校生']"
	    "/p[contains(@class, 'fig-change')]");
	cr_assert(strstr(t, "较 2023 年 +165 (+9.4%)"), "%s", t);
	free(t);
	t = text(doc, "//li[@class='fig'][p[@class='fig-label']='生师比']"
	    "/p[contains(@class, 'fig-change')]");
	cr_assert(strstr(t, "减少") && strstr(t, "\xE2\x88\x92" "1.00"), "%s", t);
	free(t);
	t = text(doc, "//li[@class='fig'][p[@class='fig-label']='毕业去向落实率']"
	    "/p[@class='fig-value']");
	cr_assert(strstr(t, "100.0"), "%s", t);
	free(t);
	xmlFreeDoc(doc);
	free(pub);
	free(dir);
}

/* ---- CSV as libcsv reads it ---- */

struct rows {
	struct sg_strv	*v;
	size_t		 n;
};

static void
on_field(void *f, size_t len, void *arg)
{
	struct rows *rs = arg;

	if (rs->n == 0) {
		rs->v = sg_xrealloc(rs->v, sizeof(*rs->v));
		memset(rs->v, 0, sizeof(*rs->v));
		rs->n = 1;
	}
	sg_strv_push(&rs->v[rs->n - 1], sg_xstrndup(f ? f : "", len));
}

static void
on_row(int c, void *arg)
{
	struct rows *rs = arg;

	(void)c;
	rs->v = sg_xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	memset(&rs->v[rs->n], 0, sizeof(*rs->v));
	rs->n++;
}

static void
read_csv(const char *data, size_t len, struct rows *rs)
{
	struct csv_parser p;

	cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL), 0);
	cr_assert_eq(csv_parse(&p, data, len, on_field, on_row, rs), len,
	    "%s", csv_strerror(csv_error(&p)));
	csv_fini(&p, on_field, on_row, rs);
	csv_free(&p);
	/* The last row end opened a row that has nothing. */
	if (rs->n && rs->v[rs->n - 1].n == 0) {
		sg_strv_clear(&rs->v[rs->n - 1]);
		rs->n--;
	}
}

static const char *
cell(const struct rows *rs, size_t r, size_t c)
{
	cr_assert_lt(r, rs->n);
	cr_assert_lt(c, rs->v[r].n, "row %zu has %zu fields", r, rs->v[r].n);
	return rs->v[r].v[c];
}

static void
rows_free(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		sg_strv_clear(&rs->v[i]);
	free(rs->v);
}

Test(e2e_ind, downloads_read_back_to_the_same_values)
{
	char *dir = t_tmpdir();
	char *args = sg_xasprintf("-C '%s' build -o '%s/public'", t_root(), dir);
	struct sg_source *src;
	struct sg_diag d = {0};
	struct sg_site *site;
	size_t checked = 0;

	cr_assert_eq(t_run(args, NULL), 0);
	site = t_load(t_root(), &src, &d);
	struct sg_report *r = &site->reports[0];
	for (size_t i = 0; i < r->nindicators; i++) {
		const struct sg_ind_table *orig = r->indicators[i].ind;
		const struct sg_schema_table *st = orig->schema;
		char *p = sg_xasprintf("%s/public/2024/indicators/%d-%s.csv", dir,
		    st->number, st->slug);
		size_t len;
		char *csv = t_read(p, &len);
		struct sg_diag d2 = {0};

		cr_assert_not_null(csv, "%s", p);
		cr_assert(len > 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0,
		    "%s has no BOM", p);
		cr_assert_not_null(strstr(csv, "\r\n"));
		/* Read with libcsv itself, not with site-gen's reader: row
		 * k + 1 is the template's row k, a year's column its value in
		 * normal form ("" not filled in, "-" not applicable). */
		struct rows rs = {0};
		read_csv(csv + 3, len - 3, &rs);
		cr_assert_eq(rs.n, 1 + st->nrows + orig->notes.n, "%s", p);
		for (size_t y = 0; y < orig->nyears; y++) {
			char want[16];
			snprintf(want, sizeof(want), "%d年", orig->years[y]);
			cr_assert_str_eq(cell(&rs, 0, 3 + y), want);
		}
		for (size_t k = 0; k < st->nrows; k++)
			for (size_t y = 0; y < orig->nyears; y++) {
				const struct sg_ind_value *a = sg_ind_get(orig,
				    (int)k, orig->years[y]);
				cr_assert_str_eq(cell(&rs, k + 1, 3 + y),
				    a ? a->text : "", "%s %s %d", p,
				    st->rows[k].key, orig->years[y]);
				checked++;
			}
		rows_free(&rs);
		free(csv);
		free(p);
		sg_diag_clear(&d2);
		p = sg_xasprintf("%s/public/2024/indicators/%d-%s.json", dir,
		    st->number, st->slug);
		assert_json(p);
		free(p);
	}
	cr_assert_gt(checked, 200);
	char *p = sg_xasprintf("%s/public/indicators.json", dir);
	assert_json(p);
	char *j = t_read(p, NULL);
	cr_assert(strstr(j, "{\"id\": \"scorecard/毕业生人数\", \"no\": \"1\", "
	    "\"name\": \"毕业生人数\", \"unit\": \"人\", \"core\": true"));
	cr_assert(strstr(j, "{\"year\": 2024, \"status\": \"number\", "
	    "\"value\": 592}"));
	cr_assert(strstr(j, "\"parent\": \"resources/专业教学资源库数/国家级数量\""));
	free(j);
	free(p);
	sg_load_free(site);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(args);
	free(dir);
}

Test(e2e_ind, restatement_between_two_reports)
{
	char *site = t_copy_example();
	char *pub, *t;
	htmlDocPtr doc;

	t_write(site, "content/2023/report.yml", "title: 2023 年度教育质量报告\n"
	    "year: 2023\npublished: 2023-12-28\ntemplate: zz-2024\n");
	t_write(site, "content/2023/01-school.md", "---\ntitle: 学校概况\n---\n"
	    "正文。\n");
	/* The 2023 report said 520 graduates in 2023; 2024's says 522. */
	t_write(site, "content/2023/indicators/1-scorecard.csv",
	    "序号,指标,单位,2022年,2023年\n1,毕业生人数*,人,500,520\n"
	    "2,毕业生去向落实人数,人,0,522\n,其中：升学人数,人,,402\n");
	pub = t_build(site, "");

	doc = t_page(pub, "indicators/index.html");
	const char *row = "//section[@id='trend-1']//tr[th[starts-with(., "
	    "'毕业生人数')]]";
	char *xp = sg_xasprintf("%s/td[@class='n'][1]", row);
	t = text(doc, xp);
	cr_assert_str_eq(t, "500");
	free(t);
	free(xp);
	xp = sg_xasprintf("%s/td[@class='n'][2]", row);
	t = text(doc, xp);
	cr_assert(strstr(t, "522") && strstr(t, "更正") &&
	    strstr(t, "2023 年报告为 520") && strstr(t, "2024 年报告更正为 522"),
	    "%s", t);
	free(t);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='circle'][@class='old']", row);
	cr_assert_eq(t_count(doc, xp), 1);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='rect']", row);
	cr_assert_eq(t_count(doc, xp), 3);
	free(xp);
	/* 去向落实人数 agrees: no mark. */
	cr_assert_eq(t_count(doc, "//section[@id='trend-1']//tr[th[starts-with(.,"
	    " '毕业生去向落实人数')]]//small[@class='restated']"), 0);
	xmlFreeDoc(doc);

	/* The 2024 page marks its 2023 figure and charts three years. */
	doc = t_page(pub, "2024/indicators/index.html");
	row = "//section[@id='ind-1']//tr[th[starts-with(., '毕业生人数')]]";
	xp = sg_xasprintf("%s/td[@class='n'][1]/small[@class='restated']", row);
	t = text(doc, xp);
	cr_assert(strstr(t, "2023 年报告为 520"), "%s", t);
	free(t);
	free(xp);
	xp = sg_xasprintf("%s//*[name()='rect']", row);
	cr_assert_eq(t_count(doc, xp), 3);
	free(xp);
	xmlFreeDoc(doc);

	/* The 2023 page compares with 2022 from its own columns. */
	doc = t_page(pub, "2023/indicators/index.html");
	t = text(doc, "//section[@id='ind-1']//tr[th[starts-with(., "
	    "'毕业生人数')]]/td[contains(@class, 'chg')]");
	cr_assert(strstr(t, "+20 (+4.0%)"), "%s", t);
	free(t);
	t = text(doc, "//section[@id='ind-1']//tr[th[starts-with(., "
	    "'毕业生去向落实人数')]]/td[@class='chg up']");
	cr_assert(strstr(t, "增加+522 (上年为 0)"), "%s", t);
	free(t);
	t = text(doc, "//section[@id='ind-1']//tr[th[starts-with(., "
	    "'其中：升学人数')]]/td[@class='chg none']/span[@class='ind-empty']");
	cr_assert_str_eq(t, "上年未填报");
	free(t);
	cr_assert_eq(t_count(doc, "//section[@id='ind-6']/p[.="
	    "'本年度报告未提供此表。']"), 1);
	xmlFreeDoc(doc);

	char *p = sg_xasprintf("%s/indicators.json", pub);
	assert_json(p);
	char *j = t_read(p, NULL);
	cr_assert(strstr(j, "{\"id\": \"scorecard/毕业生人数\", \"year\": 2023, "
	    "\"disclosures\": [{\"report\": 2023, \"status\": \"number\", "
	    "\"value\": 520}, {\"report\": 2024, \"status\": \"number\", "
	    "\"value\": 522}]}"), "%s", strstr(j, "restatements"));
	free(j);
	free(p);
	free(pub);
	free(site);
}

Test(e2e_ind, bad_indicator_data_exits_1_with_file_line)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' build", site);
	char *err = NULL;
	int rc;

	t_write(site, "content/2024/indicators/1-scorecard.csv",
	    "序号,指标,单位,2023年,2024年\n1,毕业生人数*,人,522,五九二\n"
	    "2,毕业生身高,厘米,170,171\n");
	t_write(site, "content/2024/indicators/6-policy.csv",
	    "序号,指标,单位,2023年,2025年\n1,全日制在校生人数*,人,1755,1920\n");
	rc = t_run(args, &err);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "content/2024/indicators/1-scorecard.csv:2: error: "
	    "2024年 of 毕业生人数: '五九二' is not a number"), "%s", err);
	cr_assert(strstr(err, "content/2024/indicators/1-scorecard.csv:3: error: "
	    "indicator '毕业生身高' is not in 附表 1"), "%s", err);
	cr_assert(strstr(err, "content/2024/indicators/6-policy.csv:1: error: "
	    "column '2025年' is not a year of this report"), "%s", err);
	free(err);
	/* Nothing half-built. */
	char *pubdir = sg_xasprintf("%s/public", site);
	cr_assert(!sg_is_dir(pubdir));
	free(pubdir);

	t_write(site, "content/2024/report.yml", "title: 报告\nyear: 2024\n"
	    "published: 2024-12-27\ntemplate: zz-2099\n");
	rc = t_run(args, &err);
	cr_assert_eq(rc, 1);
	cr_assert(strstr(err, "content/2024/report.yml:4: error: unknown "
	    "template 'zz-2099'"), "%s", err);
	free(err);
	free(args);
	free(site);
}
