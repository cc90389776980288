/*
 * End to end: `site-gen new year|case` on a copy of the example — the
 * national layout, the previous year's values moved into the
 * previous-year column, case numbering, and that nothing is overwritten.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "source.h"
#include "table.h"
#include "util.h"

TestSuite(new, .init = t_init, .timeout = 60);

static int
run_in(const char *site, const char *args)
{
	char *a = sg_xasprintf("-C '%s' %s", site, args);
	char *err = NULL;
	int rc = t_run(a, &err);

	if (rc != 0 && err && *err)
		cr_log_info("site-gen %s: %s", args, err);
	free(err);
	free(a);
	return rc;
}

static struct sg_table *
csv(const char *site, const char *rel)
{
	char *p = sg_path_join(site, rel);
	size_t len;
	char *data = t_read(p, &len);
	struct sg_diag d = {0};
	struct sg_table *t;

	cr_assert_not_null(data, "%s missing", rel);
	t = sg_table_parse(rel, data, len, &d);
	cr_assert_not_null(t, "%s does not parse", rel);
	cr_assert_eq(d.n, 0);
	free(data);
	free(p);
	return t;
}

Test(new, year_lays_out_the_national_template)
{
	static const char *const names[] = {"1-scorecard", "2-satisfaction",
	    "3-resources", "4-service", "5-international", "6-policy"};
	char *site = t_copy_example();

	cr_assert_eq(run_in(site, "new year 2025"), 0);

	/* Chapters with their standard titles, in order; report.yml loads. */
	struct sg_source *src;
	struct sg_diag d = {0};
	struct sg_site *s = t_load(site, &src, &d);
	cr_assert_eq(sg_diag_count(&d, SG_ERROR), 0);
	cr_assert_eq(s->nreports, 2);
	struct sg_report *r = &s->reports[1];
	cr_assert_eq(r->year, 2025);
	cr_assert_str_eq(r->title, "乐清市总工会职业技术学校 2025 年度教育质量报告");
	cr_assert_str_eq(r->template, "zz-2024");
	cr_assert_eq(r->nchapters, 9);
	const char *titles[] = {"学校情况", "人才培养", "发展保障", "产教融合",
	    "文化传承", "服务贡献", "政策落实", "特色创新", "挑战与对策"};
	for (size_t i = 0; i < 9; i++)
		cr_assert_str_eq(r->chapters[i].doc.title, titles[i]);
	cr_assert_not_null(r->preface);
	cr_assert_eq(r->nindicators, 6);
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);

	/* Each appendix table: every row of 2024, 2024's values in the
	 * 2024 column, 2025 empty, other columns kept and empty. */
	for (size_t i = 0; i < 6; i++) {
		char *o = sg_xasprintf("content/2024/indicators/%s.csv", names[i]);
		char *n = sg_xasprintf("content/2025/indicators/%s.csv", names[i]);
		struct sg_table *old = csv(site, o), *t = csv(site, n);
		cr_assert_eq(t->nrows, old->nrows, "%s", n);
		cr_assert_eq(t->ncols, old->ncols, "%s", n);
		cr_assert_str_eq(t->cells[0][3], "2024年");
		cr_assert_str_eq(t->cells[0][4], "2025年");
		for (size_t c = 5; c < t->ncols; c++)
			cr_assert_str_eq(t->cells[0][c], old->cells[0][c]);
		for (size_t row = 1; row < t->nrows; row++) {
			for (size_t c = 0; c < 3; c++)
				cr_assert_str_eq(t->cells[row][c], old->cells[row][c]);
			cr_assert_str_eq(t->cells[row][3], old->cells[row][4],
			    "%s row %zu", n, row);
			for (size_t c = 4; c < t->ncols; c++)
				cr_assert_str_eq(t->cells[row][c], "");
		}
		sg_table_free(old);
		sg_table_free(t);
		free(o);
		free(n);
	}
	struct sg_table *t = csv(site, "content/2025/indicators/1-scorecard.csv");
	cr_assert_str_eq(t->cells[1][1], "毕业生人数*");
	cr_assert_str_eq(t->cells[1][3], "592");
	sg_table_free(t);

	/* The new year builds. */
	cr_assert_eq(run_in(site, "build"), 0);
	char *p = sg_path_join(site, "public/2025/index.html");
	cr_assert(sg_is_file(p));
	free(p);
	sg_rm_rf(site);
	free(site);
}

Test(new, year_never_overwrites)
{
	char *site = t_copy_example();
	char *ch = sg_path_join(site, "content/2025/01-school.md");
	char *ch2 = sg_path_join(site, "content/2025/02-talent.md");
	char *ry = sg_path_join(site, "content/2025/report.yml");

	cr_assert_eq(run_in(site, "new year 2025"), 0);
	t_write(site, "content/2025/01-school.md", "---\ntitle: 已写好的\n---\n正文\n");
	/* Once report.yml exists, the year is taken: nothing is written. */
	cr_assert_eq(run_in(site, "new year 2025"), 1);
	char *text = t_read(ch, NULL);
	cr_assert_str_eq(text, "---\ntitle: 已写好的\n---\n正文\n");
	free(text);
	/* The 2024 report is there already. */
	cr_assert_eq(run_in(site, "new year 2024"), 1);

	/* Without report.yml the missing files are made, the others kept. */
	unlink(ry);
	unlink(ch2);
	cr_assert_eq(run_in(site, "new year 2025"), 0);
	text = t_read(ch, NULL);
	cr_assert_str_eq(text, "---\ntitle: 已写好的\n---\n正文\n");
	free(text);
	cr_assert(sg_is_file(ry));
	cr_assert(sg_is_file(ch2));
	free(ch);
	free(ch2);
	free(ry);
	sg_rm_rf(site);
	free(site);
}

Test(new, year_without_a_previous_year)
{
	char *site = t_tmpdir();

	t_minimal_site(site);
	cr_assert_eq(run_in(site, "new year 2030"), 0);
	char *p = sg_path_join(site, "content/2030/indicators/3-resources.csv");
	char *text = t_read(p, NULL);
	/* The template's rows, with no values. */
	cr_assert(strncmp(text, "序号,指标,单位,2029年,2030年\n1,生师比*,,,\n",
	    strlen("序号,指标,单位,2029年,2030年\n1,生师比*,,,\n")) == 0, "%s", text);
	free(text);
	free(p);
	char *b = sg_xasprintf("build --theme '%s/themes/default'", t_root());
	cr_assert_eq(run_in(site, b), 0);
	free(b);
	sg_rm_rf(site);
	free(site);
}

Test(new, case_takes_the_next_number)
{
	char *site = t_copy_example();
	char *p;

	cr_assert_eq(run_in(site, "new case 2024 '“智慧”工坊：AI 与 \"摄影\"'"), 0);
	p = sg_path_join(site, "content/2024/cases/07-ai.md");
	cr_assert(sg_is_file(p), "no 07-ai.md");
	free(p);
	cr_assert_eq(run_in(site, "new case 2024 数字家长学校"), 0);
	p = sg_path_join(site, "content/2024/cases/08-case.md");
	cr_assert(sg_is_file(p), "no 08-case.md");
	free(p);
	cr_assert_eq(run_in(site, "new case 2024 机器人社团 --slug robot-club"), 0);
	p = sg_path_join(site, "content/2024/cases/09-robot-club.md");
	cr_assert(sg_is_file(p));
	free(p);

	/* The titles survive YAML quoting; numbers follow on. */
	struct sg_source *src;
	struct sg_diag d = {0};
	struct sg_site *s = t_load(site, &src, &d);
	struct sg_report *r = &s->reports[0];
	cr_assert_eq(sg_diag_count(&d, SG_ERROR), 0);
	cr_assert_eq(r->ncases, 9);
	cr_assert_eq(r->cases[6].n, 7);
	cr_assert_str_eq(r->cases[6].doc.title, "“智慧”工坊：AI 与 \"摄影\"");
	cr_assert_eq(r->cases[8].n, 9);
	cr_assert_str_eq(r->cases[8].doc.title, "机器人社团");
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);

	/* A gap: the next number follows the highest. */
	t_write(site, "content/2024/cases/12-later.md", "---\ntitle: 后来\n---\n");
	cr_assert_eq(run_in(site, "new case 2024 再一个"), 0);
	p = sg_path_join(site, "content/2024/cases/13-case.md");
	cr_assert(sg_is_file(p));
	free(p);
	sg_rm_rf(site);
	free(site);
}

Test(new, usage_and_refusals)
{
	char *site = t_copy_example();

	cr_assert_eq(run_in(site, "new"), 2);
	cr_assert_eq(run_in(site, "new year"), 2);
	cr_assert_eq(run_in(site, "new year 25"), 2);
	cr_assert_eq(run_in(site, "new case 2024"), 2);
	cr_assert_eq(run_in(site, "new case 2024 ''"), 2);
	cr_assert_eq(run_in(site, "new month 2024"), 2);
	/* No such year: nothing is created. */
	cr_assert_eq(run_in(site, "new case 2031 标题"), 1);
	char *p = sg_path_join(site, "content/2031");
	cr_assert(!sg_is_dir(p));
	free(p);
	cr_assert_eq(run_in(site, "new case 2024 标题 --slug ../x"), 1);
	sg_rm_rf(site);
	free(site);
}
