/* Front matter, site.yml and report.yml: every error names file:line. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "helpers.h"
#include "load.h"
#include "sg.h"
#include "source.h"

TestSuite(frontmatter, .init = t_init);

static int
parse(const char *text, struct sg_diag *d, struct sg_fm *fm)
{
	return sg_fm_parse(fm, "x.md", text, strlen(text), d);
}

Test(frontmatter, splits_yaml_and_body)
{
	struct sg_diag d = {0};
	struct sg_fm fm;
	const char *t = "---\ntitle: 学校情况\nnumber: 一\n---\n\n正文第一段。\n";

	cr_assert_eq(parse(t, &d, &fm), 0);
	cr_assert_str_eq(sg_config_str(&fm.yaml, sg_config_root(&fm.yaml),
	    "title"), "学校情况");
	cr_assert_str_eq(fm.body, "\n正文第一段。\n");
	cr_assert_eq(fm.body_line, 5);
	cr_assert_eq(d.n, 0);
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, no_front_matter_is_all_body)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	cr_assert_eq(parse("# 标题\n", &d, &fm), 0);
	cr_assert_eq(fm.yaml.loaded, 0);
	cr_assert_str_eq(fm.body, "# 标题\n");
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, unclosed_is_an_error_at_line_1)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	cr_assert_eq(parse("---\ntitle: x\n\n正文\n", &d, &fm), -1);
	cr_assert(t_has(&d, SG_ERROR, 1, "is not closed"));
	cr_assert(t_has(&d, SG_ERROR, 1, "expected a line '---'"));
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, malformed_yaml_names_the_file_line)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	/* Line 3 of the file: an unclosed flow sequence. */
	cr_assert_eq(parse("---\ntitle: ok\ntags: [a, b\n---\n", &d, &fm), -1);
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.v[0].file, "x.md");
	cr_assert(d.v[0].line >= 3 && d.v[0].line <= 4, "line %d", d.v[0].line);
	cr_assert(strstr(d.v[0].msg, "malformed YAML"));
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, colon_in_value_is_reported)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	cr_assert_eq(parse("---\ntitle: 案例: 标题: 又一个\n---\n", &d, &fm), -1);
	cr_assert(t_has(&d, SG_ERROR, 2, "malformed YAML"));
	cr_assert(t_has(&d, SG_ERROR, 2, "quote values"));
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, invalid_utf8_names_the_line)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	cr_assert_eq(parse("---\ntitle: a\n---\n好\n\xff\xfe\n", &d, &fm), -1);
	cr_assert(t_has(&d, SG_ERROR, 5, "invalid UTF-8"));
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, duplicate_key_is_an_error)
{
	struct sg_diag d = {0};
	struct sg_fm fm;

	cr_assert_eq(parse("---\ntitle: a\ntitle: b\n---\n", &d, &fm), -1);
	cr_assert(t_has(&d, SG_ERROR, 3, "duplicate key 'title' (first given "
	    "on line 2)"));
	sg_fm_clear(&fm);
	sg_diag_clear(&d);
}

Test(frontmatter, missing_title_and_all_errors_reported_together)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;

	t_minimal_site(dir);
	t_write(dir, "content/2024/01-a.md", "---\nnumber: 一\n---\n正文\n");
	t_write(dir, "content/2024/02-b.md", "---\ntitle: [x\n---\n正文\n");
	t_write(dir, "content/2024/03-c.md", "---\ntitle: c\n正文\n");
	t_write(dir, "content/2024/cases/01-k.md", "---\ntitle: k\n---\n\xc3\x28\n");
	s = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 1, "missing required key 'title'"));
	cr_assert(t_has(&d, SG_ERROR, 0, "malformed YAML"));
	cr_assert(t_has(&d, SG_ERROR, 1, "is not closed"));
	cr_assert(t_has(&d, SG_ERROR, 4, "invalid UTF-8"));
	cr_assert_eq(sg_diag_count(&d, SG_ERROR), 4);
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

Test(frontmatter, report_yml_checks)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;

	t_minimal_site(dir);
	t_write(dir, "content/2024/report.yml", "title: x\nyear: 2023\n"
	    "published: 27/12/2024\n");
	s = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 2, "does not match the folder"));
	cr_assert(t_has(&d, SG_ERROR, 3, "expected YYYY-MM-DD"));
	/* template is optional (a report of no edition's frame). */
	cr_assert_not(t_has(&d, SG_ERROR, 0, "'template'"));
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

Test(frontmatter, site_yml_title_defaults_from_the_school)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;

	t_write(dir, "site.yml", "school: 测试学校\nbase_url: https://e.cn/r/\n");
	s = t_load(dir, &src, &d);
	cr_assert_not(t_has(&d, SG_ERROR, 0, "site.yml"), "%s", d.n ? d.v[0].msg : "");
	cr_assert_str_eq(s->title, "测试学校 教育质量年度报告");
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	/* Neither title nor school: the title is missing. */
	t_write(dir, "site.yml", "base_url: https://e.cn/r/\n");
	s = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 1, "missing required key 'title'"));
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

Test(frontmatter, site_yml_base_url_must_be_absolute)
{
	char *dir = t_tmpdir();
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;

	t_minimal_site(dir);
	t_write(dir, "site.yml", "title: t\nbase_url: /r/\n");
	s = t_load(dir, &src, &d);
	cr_assert(t_has(&d, SG_ERROR, 2, "not an absolute http(s) URL"));
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}
