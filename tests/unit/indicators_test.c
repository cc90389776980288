/* Indicator CSVs as schools produce them, typed values, and change. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "indicators.h"
#include "load.h"
#include "schema.h"
#include "source.h"
#include "table.h"
#include "util.h"

static struct sg_schema *
zz2024(void)
{
	struct sg_diag d = {0};
	int found;
	struct sg_schema *s = sg_schema_load(NULL, "zz-2024", &found, &d);

	cr_assert(found, "schemas/zz-2024.yml not found");
	cr_assert_not_null(s, "zz-2024 does not load");
	cr_assert_eq(d.n, 0);
	sg_diag_clear(&d);
	return s;
}

/* Reads fixture name as table slug of a 2024 report.  NULL on error;
 * findings in d. */
static struct sg_ind_table *
read_fixture(struct sg_schema *s, const char *slug, const char *name,
    struct sg_diag *d, char **enc)
{
	char *path = sg_xasprintf("%s/tests/fixtures/indicators/%s", t_root(),
	    name);
	size_t len;
	char *data = t_read(path, &len);
	struct sg_table *t;
	struct sg_ind_table *it = NULL;

	cr_assert_not_null(data, "%s", path);
	t = sg_table_parse(name, data, len, d);
	if (enc)
		*enc = t ? sg_xstrdup(t->encoding) : NULL;
	if (t)
		it = sg_ind_parse(sg_schema_table(s, slug), t, 2024, d);
	sg_table_free(t);
	free(data);
	free(path);
	return it;
}

static const struct sg_ind_value *
val(const struct sg_ind_table *t, const char *key, int year)
{
	int row = -1;

	for (size_t i = 0; i < t->schema->nrows; i++)
		if (strcmp(t->schema->rows[i].key, key) == 0)
			row = (int)i;
	cr_assert_geq(row, 0, "no row %s", key);
	return sg_ind_get(t, row, year);
}

static void
assert_num(const struct sg_ind_value *v, double x, const char *text)
{
	cr_assert_not_null(v);
	cr_assert_eq(v->state, SG_IND_NUM, "state %d for %s", v->state, text);
	cr_assert(fabs(v->v - x) < 1e-9, "%f != %f", v->v, x);
	cr_assert_str_eq(v->text, text);
}

Test(indicators, utf8_bom_crlf_quoted_title_and_note)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};
	struct sg_ind_table *t = read_fixture(s, "satisfaction",
	    "bom-crlf-quoted.csv", &d, NULL);

	cr_assert_not_null(t, "%s", d.n ? d.v[0].msg : "");
	cr_assert_eq(t->nyears, 2);
	cr_assert_eq(t->years[0], 2023);
	assert_num(val(t, "satisfaction/在校生满意度", 2024), 96.2, "96.20");
	/* "-" is not applicable, an empty cell is not filled in. */
	cr_assert_eq(val(t, "satisfaction/在校生满意度/课堂育人满意度", 2023)->state,
	    SG_IND_NA);
	cr_assert_eq(val(t, "satisfaction/在校生满意度/课堂育人满意度", 2024)->state,
	    SG_IND_EMPTY);
	/* Quoted fields keep their commas and line breaks. */
	const struct sg_ind_row *r = sg_ind_row(t, 0);
	cr_assert_eq(r->line, 3);
	assert_num(&r->cols[0], 1200, "1200");
	cr_assert_str_eq(r->cols[1].text, "问卷, 线上\n与线下");
	cr_assert(r->core_mark);
	cr_assert_str_eq(r->label, "在校生满意度");
	cr_assert_eq(t->notes.n, 1);
	cr_assert_str_eq(t->notes.v[0], "注：调查由第三方完成。");
	/* Rows the school left out are absent, not invented. */
	cr_assert_null(val(t, "satisfaction/教职工满意度", 2024));
	sg_ind_free(t);
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, gbk_file_made_with_iconv)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};
	char *enc = NULL;
	struct sg_ind_table *t = read_fixture(s, "scorecard", "gbk.csv", &d,
	    &enc);

	cr_assert_not_null(t);
	cr_assert_str_eq(enc, "GB18030");
	assert_num(val(t, "scorecard/毕业生人数", 2023), 522, "522");
	assert_num(val(t, "scorecard/毕业生去向落实人数/升学人数", 2024), 462,
	    "462");
	assert_num(val(t, "scorecard/毕业生本省去向落实率", 2024), 98.47,
	    "98.47");
	cr_assert_str_eq(sg_ind_row(t, 0)->label, "毕业生人数");
	free(enc);
	sg_ind_free(t);
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, fullwidth_thousands_percent_and_ratio)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};
	struct sg_ind_table *t = read_fixture(s, "resources", "fullwidth.csv",
	    &d, NULL);

	cr_assert_not_null(t, "%s", d.n ? d.v[0].msg : "");
	assert_num(val(t, "resources/生师比", 2023), 19.1, "19.1");
	assert_num(val(t, "resources/生师比", 2024), 18.1, "18.10");
	assert_num(val(t, "resources/“双师型”教师比例", 2023), 90.5, "90.5");
	assert_num(val(t, "resources/“双师型”教师比例", 2024), 91.17, "91.17");
	assert_num(val(t, "resources/“双师型”教师比例/高级“双师型”教师比例", 2023),
	    8.82, "8.82");
	assert_num(val(t, "resources/生均教学科研仪器设备值", 2023), 11346.87,
	    "11346.87");
	assert_num(val(t, "resources/互联网出口带宽", 2024), 2500, "2500");
	/* Out of national order: still matched by name. */
	cr_assert_lt(t->by_srow[t->schema->nrows - 1], t->by_srow[
	    t->schema->nrows - 4]);
	sg_ind_free(t);
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, dash_is_not_applicable_empty_is_not_filled)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};
	struct sg_ind_table *t = read_fixture(s, "policy", "dash-empty.csv", &d,
	    NULL);

	cr_assert_not_null(t);
	cr_assert_eq(val(t, "policy/年生均财政拨款水平", 2023)->state, SG_IND_NA);
	cr_assert_eq(val(t, "policy/年生均财政拨款水平", 2024)->state,
	    SG_IND_EMPTY);
	cr_assert_eq(val(t, "policy/年财政专项经费", 2023)->state, SG_IND_NA);
	cr_assert_eq(val(t, "policy/年财政专项经费", 2024)->state, SG_IND_NA);
	assert_num(val(t, "policy/全日制在校生人数", 2024), 1920, "1920");
	sg_ind_free(t);
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, ragged_row_is_an_error_at_its_line)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};

	cr_assert_null(read_fixture(s, "scorecard", "ragged.csv", &d, NULL));
	cr_assert(t_has(&d, SG_ERROR, 3, "row has 4 fields; expected 5"));
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, unknown_year_and_column_are_errors)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};

	cr_assert_null(read_fixture(s, "scorecard", "unknown-year.csv", &d,
	    NULL));
	cr_assert(t_has(&d, SG_ERROR, 1, "column '2025年' is not a year of this "
	    "report; expected year columns from 2004 to 2024"));
	sg_diag_clear(&d);
	cr_assert_null(read_fixture(s, "scorecard", "unknown-column.csv", &d,
	    NULL));
	cr_assert(t_has(&d, SG_ERROR, 1, "unknown column '备注'"));
	sg_diag_clear(&d);
	cr_assert_null(read_fixture(s, "scorecard", "no-report-year.csv", &d,
	    NULL));
	cr_assert(t_has(&d, SG_ERROR, 1, "no column for 2024年"));
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, unparsable_numbers_are_errors_with_line)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};

	cr_assert_null(read_fixture(s, "scorecard", "bad-number.csv", &d, NULL));
	cr_assert(t_has(&d, SG_ERROR, 2, "2024年 of 毕业生人数: '59二' is not a "
	    "number; expected a number like 1234"));
	cr_assert(t_has(&d, SG_ERROR, 3, "'12,34' is not a number"));
	cr_assert(t_has(&d, SG_ERROR, 4, "'36%' has a % sign but the row's unit "
	    "is not %"));
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, unknown_and_repeated_rows_are_errors)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};

	cr_assert_null(read_fixture(s, "scorecard", "unknown-row.csv", &d, NULL));
	cr_assert(t_has(&d, SG_ERROR, 3, "indicator '毕业生平均身高' is not in "
	    "附表 1 人才培养质量计分卡"));
	cr_assert(t_has(&d, SG_ERROR, 4, "row has no indicator name"));
	cr_assert(t_has(&d, SG_ERROR, 5, "is given again (first on line 2)"));
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, not_text_is_an_error)
{
	struct sg_schema *s = zz2024();
	struct sg_diag d = {0};

	cr_assert_null(read_fixture(s, "scorecard", "not-text.csv", &d, NULL));
	cr_assert(t_has(&d, SG_ERROR, 0, "not a text CSV file"));
	sg_schema_free(s);
	sg_diag_clear(&d);
}

Test(indicators, cell_values)
{
	static const struct {
		const char *cell, *unit;
		int ok, state;
		const char *text;
	} cases[] = {
		{"522", "人", 1, SG_IND_NUM, "522"},
		{" 1,234.50 ", "元", 1, SG_IND_NUM, "1234.50"},
		{"１２，３４５", "元", 1, SG_IND_NUM, "12345"},
		{"+5", "人", 1, SG_IND_NUM, "5"},
		{"－5", "人", 1, SG_IND_NUM, "-5"},
		{"-0", "人", 1, SG_IND_NUM, "0"},
		{"007", "人", 1, SG_IND_NUM, "7"},
		{"12.5%", "%", 1, SG_IND_NUM, "12.5"},
		{"18.1：1", "—", 1, SG_IND_NUM, "18.1"},
		{"-", "人", 1, SG_IND_NA, "-"},
		{"—", "人", 1, SG_IND_NA, "-"},
		{"／", "人", 1, SG_IND_NA, "-"},
		{"不适用", "人", 1, SG_IND_NA, "-"},
		{"", "人", 1, SG_IND_EMPTY, ""},
		{" \t", "人", 1, SG_IND_EMPTY, ""},
		{"12,34", "人", 0, 0, NULL},
		{"1,2345", "人", 0, 0, NULL},
		{",123", "人", 0, 0, NULL},
		{"1e5", "人", 0, 0, NULL},
		{"12.", "人", 0, 0, NULL},
		{"5%", "人", 0, 0, NULL},
		{"18.1:1", "人", 0, 0, NULL},
		{"约 30", "人", 0, 0, NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct sg_ind_value v;
		const char *why;
		int rc = sg_ind_value_parse(cases[i].cell, cases[i].unit, &v,
		    &why);
		cr_assert_eq(rc == 0, cases[i].ok, "'%s': rc %d", cases[i].cell,
		    rc);
		if (rc == 0) {
			cr_assert_eq(v.state, cases[i].state, "'%s'", cases[i].cell);
			cr_assert_str_eq(v.text, cases[i].text, "'%s'",
			    cases[i].cell);
		} else
			cr_assert_not_null(why);
		sg_ind_value_clear(&v);
	}
}

static char *
change(const char *a, const char *b, const char *unit,
    struct sg_ind_change *c)
{
	struct sg_ind_value x, y;
	const char *why;

	cr_assert_eq(sg_ind_value_parse(a, unit, &x, &why), 0);
	cr_assert_eq(sg_ind_value_parse(b, unit, &y, &why), 0);
	sg_ind_change(&x, &y, sg_ind_unit_is_percent(unit), c);
	sg_ind_value_clear(&x);
	sg_ind_value_clear(&y);
	return sg_ind_change_text(c);
}

Test(indicators, change_computation)
{
	struct sg_ind_change c;
	char *s;

	s = change("522", "592", "人", &c);
	cr_assert_str_eq(s, "+70 (+13.4%)");
	cr_assert_eq(c.dir, 1);
	cr_assert_str_eq(sg_ind_change_word(&c), "增加");
	free(s);
	s = change("19.10", "18.10", "", &c);
	cr_assert_str_eq(s, "\xE2\x88\x92" "1.00 (\xE2\x88\x92" "5.2%)");
	cr_assert_eq(c.dir, -1);
	free(s);
	/* Percentages change by points, not by percent of a percent. */
	s = change("20.88", "98.47", "%", &c);
	cr_assert_str_eq(s, "+77.59 个百分点");
	cr_assert(c.points);
	cr_assert(!c.has_pct);
	free(s);
	/* From zero: no relative change. */
	s = change("0", "3", "个", &c);
	cr_assert_str_eq(s, "+3 (上年为 0)");
	cr_assert(!c.has_pct);
	free(s);
	s = change("0", "0", "个", &c);
	cr_assert_str_eq(s, "持平");
	cr_assert_eq(c.dir, 0);
	free(s);
	/* Decimals: the finer of the two; 7.01 → 7.10 is +0.09. */
	s = change("7.01", "7.1", "人", &c);
	cr_assert_str_eq(s, "+0.09 (+1.3%)");
	free(s);
	s = change("26", "0", "人", &c);
	cr_assert_str_eq(s, "\xE2\x88\x92" "26 (\xE2\x88\x92" "100.0%)");
	free(s);
	/* Not applicable and not filled in are no change. */
	s = change("-", "91.17", "%", &c);
	cr_assert_eq(c.kind, SG_CHANGE_NA);
	cr_assert_str_eq(s, "不适用");
	cr_assert_null(sg_ind_change_word(&c));
	free(s);
	s = change("", "5", "人", &c);
	cr_assert_eq(c.kind, SG_CHANGE_MISSING);
	cr_assert_str_eq(s, "未填报");
	free(s);
	sg_ind_change(NULL, NULL, 0, &c);
	cr_assert_eq(c.kind, SG_CHANGE_MISSING);
}

/* The example's six CSVs: every row matches, every template row is found,
 * and the odd 序号 and units of the school's file stay as written. */
Test(indicators, example_tables_match_the_schema)
{
	struct sg_source *src;
	struct sg_diag d = {0};
	struct sg_site *site;

	t_init();
	site = t_load(t_root(), &src, &d);
	for (size_t i = 0; i < d.n; i++)
		cr_assert_lt(d.v[i].sev, SG_ERROR, "%s:%d: %s", d.v[i].file,
		    d.v[i].line, d.v[i].msg);
	struct sg_report *r = &site->reports[0];
	cr_assert_not_null(r->schema);
	cr_assert_str_eq(r->schema->id, "zz-2024");
	cr_assert_eq(r->nindicators, 6);
	for (size_t i = 0; i < r->nindicators; i++) {
		const struct sg_ind_table *t = r->indicators[i].ind;
		cr_assert_not_null(t, "%s", r->indicators[i].path);
		cr_assert_eq(t->nrows, t->schema->nrows, "%s: %zu of %zu rows",
		    t->file, t->nrows, t->schema->nrows);
		for (size_t k = 0; k < t->schema->nrows; k++)
			cr_assert_geq(t->by_srow[k], 0, "%s: %s", t->file,
			    t->schema->rows[k].key);
	}
	const struct sg_schema_table *st;
	int row = sg_schema_find_key(r->schema, "resources/生师比", &st);
	const struct sg_ind_row *ir = sg_ind_row(sg_ind_report_table(r, st), row);
	cr_assert_str_eq(ir->no, "i");
	row = sg_schema_find_key(r->schema,
	    "resources/在线精品课程数/在线精品课程课均学生数", &st);
	ir = sg_ind_row(sg_ind_report_table(r, st), row);
	cr_assert_str_eq(ir->unit, "学时");
	cr_assert_str_eq(st->rows[row].unit, "人");
	row = sg_schema_find_key(r->schema,
	    "resources/专业教学资源库数/校级数量/接入国家智慧教育平台数", &st);
	ir = sg_ind_row(sg_ind_report_table(r, st), row);
	cr_assert_str_eq(ir->no, "7");
	cr_assert_eq(ir->line, 22);
	sg_load_free(site);
	sg_source_free(src);
	sg_diag_clear(&d);
}
