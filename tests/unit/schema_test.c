/* Templates: the zz-2024 file, name matching, broken schema files. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "load.h"
#include "schema.h"
#include "source.h"

static struct sg_schema *
zz2024(void)
{
	struct sg_diag d = {0};
	int found;
	struct sg_schema *s = sg_schema_load(NULL, "zz-2024", &found, &d);

	cr_assert_not_null(s);
	sg_diag_clear(&d);
	return s;
}

static int
same(const char *a, const char *b)
{
	char *x = sg_schema_norm(a), *y = sg_schema_norm(b);
	int r = strcmp(x, y) == 0;

	free(x);
	free(y);
	return r;
}

Test(schema, names_are_normalised)
{
	cr_assert(same("其中：A类：留在当地就业人数*", "A类:留在当地就业人数"));
	cr_assert(same(" 毕业生 人数＊", "毕业生人数"));
	cr_assert(same("毕业生人数★", "毕业生人数"));
	cr_assert(same("公共基础课(不含思想政治课)教学满意度",
	    "公共基础课（不含思想政治课）教学满意度"));
	cr_assert(same("\"双师型\"教师比例", "“双师型”教师比例"));
	cr_assert(same("ＡＢＣ　数量", "abc数量"));
	cr_assert(!same("毕业生人数", "毕业生去向落实人数"));
	/* Only a leading 其中 goes. */
	cr_assert(!same("其中：升学人数", "其中升学人数数"));
	char *u = sg_schema_norm_unit("—");
	cr_assert_str_eq(u, "");
	free(u);
	u = sg_schema_norm_unit("％");
	cr_assert_str_eq(u, "%");
	free(u);
	u = sg_schema_norm_unit("元／生");
	cr_assert_str_eq(u, "元/生");
	free(u);
	cr_assert(sg_schema_has_core_mark("毕业生人数 ＊"));
	cr_assert(!sg_schema_has_core_mark("毕业生人数"));
}

/* Folding, byte for byte: spaces go, marks become ASCII, the rest stays,
 * and bytes that are not UTF-8 are dropped one at a time. */
Test(schema, fold_keeps_or_makes_ascii)
{
	static const char *const cases[][2] = {
		{"Ａ１　b c\t\r\nd", "A1bcd"},
		{"“引号”「」【】〔〕‘’", "\"引号\"\"\"[][]''"},
		{"—–−─‐。★☆※", "-----.***"},
		{"a\xc2\xa0" "b\xe2\x80\x83" "c\xe2\x80\x8b" "d\xef\xbb\xbf" "e",
		    "abcde"},
		{"a\xff" "b\xe4" "c\xe4\xb8", "abc"},
		{"é𠀀中", "é𠀀中"},
		{"\xc0\xafx", "x"},		/* overlong '/' */
		{"", ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *f = sg_schema_fold(cases[i][0]);
		cr_assert_str_eq(f, cases[i][1], "case %zu", i);
		free(f);
	}
}

Test(schema, zz2024_has_the_six_tables)
{
	struct sg_schema *s = zz2024();
	static const char *const names[] = {"人才培养质量计分卡", "满意度调查表",
	    "教学资源表", "服务贡献表", "国际影响表", "落实政策表"};
	const struct sg_schema_table *t;
	int i;

	cr_assert_str_eq(s->id, "zz-2024");
	cr_assert_eq(s->ntables, 6);
	for (size_t k = 0; k < 6; k++) {
		cr_assert_str_eq(s->tables[k].name, names[k]);
		cr_assert_eq(s->tables[k].number, (int)k + 1);
	}
	/* Repeated names have distinct keys under their parents. */
	i = sg_schema_find_key(s,
	    "resources/虚拟仿真实训基地数/省级数量/接入国家智慧教育平台数", &t);
	cr_assert_geq(i, 0);
	cr_assert_eq(t->rows[i].depth, 2);
	cr_assert(t->rows[i].core);
	cr_assert(t->rows[i].part);
	cr_assert_str_eq(t->rows[t->rows[i].parent].key,
	    "resources/虚拟仿真实训基地数/省级数量");
	/* A second unit: 教学计划内课程总数 in 门, then in 学时. */
	i = sg_schema_find_key(s, "resources/教学计划内课程总数@学时", &t);
	cr_assert_geq(i, 0);
	cr_assert_eq(t->rows[i].main, i - 1);
	cr_assert_str_eq(t->rows[i].unit, "学时");
	cr_assert_str_eq(t->rows[i - 1].unit, "门");
	i = sg_schema_find_key(s,
	    "resources/教学计划内课程总数/课证融通课程数@学时", &t);
	cr_assert_str_eq(t->rows[t->rows[i].parent].key,
	    "resources/教学计划内课程总数@学时");
	cr_assert(t->rows[i].part);
	/* The template's unit, not the school's odd one. */
	i = sg_schema_find_key(s, "resources/在线精品课程数/在线精品课程课均学生数",
	    &t);
	cr_assert_str_eq(t->rows[i].unit, "人");
	cr_assert(!t->rows[i].part);
	i = sg_schema_find_key(s, "resources/生师比", &t);
	cr_assert_str_eq(t->rows[i].unit, "");
	cr_assert_str_eq(t->rows[i].no, "1");
	/* Different units under 其中 are not parts. */
	i = sg_schema_find_key(s, "international/在国外开办学校数/在校生数", &t);
	cr_assert(!t->rows[i].part);
	i = sg_schema_find_key(s, "scorecard/毕业生面向三次产业就业人数", &t);
	cr_assert(t->rows[i].total);
	cr_assert_eq(s->tables[1].ncols, 2);
	cr_assert(s->tables[1].cols[0].number);
	cr_assert_eq(s->nfigures, 6);
	cr_assert_str_eq(s->figures[2].per, "scorecard/毕业生人数");
	sg_schema_free(s);
}

Test(schema, files_name_their_table)
{
	struct sg_schema *s = zz2024();

	cr_assert_str_eq(sg_schema_table_for_file(s, "1-scorecard.csv")->slug,
	    "scorecard");
	cr_assert_str_eq(sg_schema_table_for_file(s, "policy.csv")->slug,
	    "policy");
	cr_assert_str_eq(sg_schema_table_for_file(s,
	    "附表3 教学资源表.csv")->slug, "resources");
	cr_assert_null(sg_schema_table_for_file(s, "7-other.csv"));
	sg_schema_free(s);
}

Test(schema, cursor_matches_repeated_names_in_order)
{
	struct sg_schema *s = zz2024();
	const struct sg_schema_table *t = sg_schema_table(s, "resources");
	struct sg_schema_cursor c;
	int row, a, b;

	sg_schema_cursor_init(&c, t);
	cr_assert_eq(sg_schema_cursor_match(&c, "在线精品课程数*", &row),
	    SG_SCHEMA_MATCHED);
	cr_assert_eq(sg_schema_cursor_match(&c, "其中：国家级数量*", &a),
	    SG_SCHEMA_MATCHED);
	cr_assert_str_eq(t->rows[a].key, "resources/在线精品课程数/国家级数量");
	cr_assert_eq(sg_schema_cursor_match(&c, "接入国家智慧教育平台数*", &a),
	    SG_SCHEMA_MATCHED);
	cr_assert_eq(sg_schema_cursor_match(&c, "省级数量", &row),
	    SG_SCHEMA_MATCHED);
	cr_assert_eq(sg_schema_cursor_match(&c, "接入国家智慧教育平台数", &b),
	    SG_SCHEMA_MATCHED);
	cr_assert_str_eq(t->rows[a].key,
	    "resources/在线精品课程数/国家级数量/接入国家智慧教育平台数");
	cr_assert_str_eq(t->rows[b].key,
	    "resources/在线精品课程数/省级数量/接入国家智慧教育平台数");
	/* A row out of place is found behind the cursor. */
	cr_assert_eq(sg_schema_cursor_match(&c, "生师比", &row),
	    SG_SCHEMA_MATCHED);
	cr_assert_str_eq(t->rows[row].key, "resources/生师比");
	/* No second unit after 生师比. */
	cr_assert_eq(sg_schema_cursor_match(&c, "", &row), SG_SCHEMA_NO_CONT);
	cr_assert_eq(sg_schema_cursor_match(&c, "教学计划内课程总数", &row),
	    SG_SCHEMA_MATCHED);
	cr_assert_eq(sg_schema_cursor_match(&c, " ", &b), SG_SCHEMA_MATCHED);
	cr_assert_eq(b, row + 1);
	cr_assert_eq(sg_schema_cursor_match(&c, "生师比*", &row),
	    SG_SCHEMA_DUPLICATE);
	cr_assert_str_eq(t->rows[row].key, "resources/生师比");
	cr_assert_eq(sg_schema_cursor_match(&c, "校园绿化率", &row),
	    SG_SCHEMA_UNKNOWN);
	sg_schema_cursor_clear(&c);
	sg_schema_free(s);
}

Test(schema, broken_files_are_findings_with_lines)
{
	struct sg_diag d = {0};
	const char *y = "id: x\ntables:\n  - number: 1\n    slug: a\n"
	    "    name: 表\n    rows:\n      - {name: 甲, unit: 人}\n"
	    "      - name: 乙\n        unit: 人\n        rows:\n"
	    "          - {name: 丙, unit: 元, part: yes}\n"
	    "      - {name: 甲, unit: 人}\n      - {unit: 人}\n"
	    "      - {name: 丁, unit: 人, core: maybe}\n";

	cr_assert_null(sg_schema_parse("x.yml", y, strlen(y), &d));
	cr_assert(t_has(&d, SG_ERROR, 11, "part row '丙' is in 元 but its "
	    "parent in 人"));
	cr_assert(t_has(&d, SG_ERROR, 12, "row a/甲 is given twice (first on "
	    "line 7)"));
	cr_assert(t_has(&d, SG_ERROR, 13, "missing or empty 'name'"));
	cr_assert(t_has(&d, SG_ERROR, 14, "'core' is not yes or no"));
	sg_diag_clear(&d);
	cr_assert_null(sg_schema_parse("x.yml", "id: x\ntables: {a: 1}\n", 20,
	    &d));
	cr_assert(t_has(&d, SG_ERROR, 2, "'tables' is not a list"));
	sg_diag_clear(&d);
	const char *kf = "id: x\ntables:\n  - {number: 1, slug: a, name: 表, "
	    "rows: [{name: 甲, unit: 人}]}\nkey_figures:\n"
	    "  - {label: 乙, value: a/乙}\n";
	cr_assert_null(sg_schema_parse("x.yml", kf, strlen(kf), &d));
	cr_assert(t_has(&d, SG_ERROR, 5, "key figure 乙 names a row"));
	sg_diag_clear(&d);
}

Test(schema, unknown_template_names_report_yml_line)
{
	char *dir = t_tmpdir();
	struct sg_source *src;
	struct sg_diag d = {0};
	struct sg_site *site;

	t_init();
	t_minimal_site(dir);
	t_write(dir, "content/2024/report.yml", "title: 测试学校 2024 年度报告\n"
	    "year: 2024\npublished: 2024-12-27\ntemplate: zz-1999\n");
	site = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 4, "unknown template 'zz-1999'"));
	cr_assert_null(site->reports[0].schema);
	sg_load_free(site);
	sg_source_free(src);
	sg_diag_clear(&d);

	/* A site may carry its own template in schemas/. */
	t_write(dir, "content/2024/report.yml", "title: 测试学校 2024 年度报告\n"
	    "year: 2024\npublished: 2024-12-27\ntemplate: local-1\n");
	t_write(dir, "schemas/local-1.yml", "id: local-1\ntables:\n"
	    "  - {number: 1, slug: scorecard, name: 计分卡, rows: "
	    "[{name: 毕业生人数, unit: 人}]}\n");
	t_write(dir, "content/2024/indicators/1-scorecard.csv",
	    "指标,单位,2024年\n毕业生人数,人,12\n");
	site = t_load(dir, &src, &d);
	cr_assert_eq(sg_diag_failed(&d), 0);
	cr_assert_str_eq(site->reports[0].schema->id, "local-1");
	cr_assert_not_null(site->reports[0].indicators[0].ind);
	cr_assert_str_eq(site->reports[0].indicators[0].title, "计分卡");
	sg_load_free(site);
	sg_source_free(src);
	sg_diag_clear(&d);

	t_write(dir, "content/2024/indicators/7-extra.csv", "指标,单位,2024年\n");
	site = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 0, "not one of the tables of template "
	    "local-1; expected one of 1-scorecard.csv"));
	sg_load_free(site);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

/* The editions: an outline, the years, and tables only where they are. */
Test(schema, editions_have_outlines_and_years)
{
	static const char *const zz2016[] = {"学校情况", "学生发展",
	    "质量保障措施", "校企合作", "社会贡献", "举办者履责", "特色创新",
	    "主要问题和改进措施"};
	static const char *const national[] = {"人才培养", "服务贡献",
	    "文化传承", "国际合作", "产教融合", "发展保障", "面临挑战"};
	struct sg_diag d = {0};
	struct sg_schema *s;
	int found;

	s = sg_schema_load(NULL, "zz-2016", &found, &d);
	cr_assert_not_null(s);
	cr_assert_eq(s->ntables, 0);
	cr_assert_eq(s->nfigures, 0);
	cr_assert_eq(s->first_year, 2016);
	cr_assert_eq(s->last_year, 2020);
	cr_assert_eq(s->nparts, 8);
	for (size_t i = 0; i < 8; i++)
		cr_assert_str_eq(s->parts[i].title, zz2016[i]);
	sg_schema_free(s);
	s = sg_schema_load(NULL, "national-2024", &found, &d);
	cr_assert_not_null(s);
	cr_assert_eq(s->ntables, 6);
	cr_assert_eq(s->first_year, 2021);
	cr_assert_eq(s->last_year, 0);
	cr_assert_eq(s->nparts, 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_str_eq(s->parts[i].title, national[i]);
	sg_schema_free(s);
	s = zz2024();
	cr_assert_eq(s->nparts, 9);
	cr_assert_str_eq(s->parts[8].title, "挑战与对策");
	cr_assert_str_eq(s->parts[8].file, "09-challenges.md");
	cr_assert_eq(s->first_year, 0);
	sg_schema_free(s);
	cr_assert_eq(sg_diag_count(&d, SG_WARNING), 0);

	/* Broken outlines and years are findings with lines. */
	const char *y = "id: x\nyears: [2020, 2016]\noutline:\n"
	    "  - {title: 甲, file: ../a.md}\n  - {file: b.md}\n"
	    "  - {title: 乙, file: c.md, required: perhaps}\n";
	cr_assert_null(sg_schema_parse("x.yml", y, strlen(y), &d));
	cr_assert(t_has(&d, SG_ERROR, 2, "'years' is not two years"));
	cr_assert(t_has(&d, SG_ERROR, 4, "outline file '../a.md' is not a "
	    "chapter file name"));
	cr_assert(t_has(&d, SG_ERROR, 5, "missing or empty 'title'"));
	cr_assert(t_has(&d, SG_ERROR, 6, "'required' is not yes or no"));
	sg_diag_clear(&d);
	/* No tables at all is a template too. */
	y = "id: x\noutline:\n  - {title: 甲, file: 01-a.md, required: no}\n";
	s = sg_schema_parse("x.yml", y, strlen(y), &d);
	cr_assert_not_null(s);
	cr_assert_eq(s->nparts, 1);
	cr_assert_eq(s->parts[0].required, 0);
	sg_schema_free(s);
	sg_diag_clear(&d);
}
