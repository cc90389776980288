/*
 * End to end: `site-gen check` on the bundled 2024 report gives exactly the
 * findings of the real problems in it; its JSON is valid and shaped as
 * documented; exit codes of check, --strict and YEAR; build prints the same
 * findings with build's severities and stops on errors.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "helpers.h"
#include "util.h"

TestSuite(e2e_check, .init = t_init, .timeout = 120);

/* ---- a small JSON reader: enough to walk check's output ---- */

enum jt { J_NULL, J_NUM, J_STR, J_ARR, J_OBJ, J_BOOL };

struct jv {
	enum jt		 t;
	double		 num;
	char		*str;		/* J_STR */
	struct jv	*kids;		/* J_ARR items, J_OBJ values */
	char		**keys;		/* J_OBJ */
	size_t		 n;
};

static void
jws(const char **p)
{
	while (**p == ' ' || **p == '\n' || **p == '\r' || **p == '\t')
		(*p)++;
}

static int jparse(const char **p, struct jv *v, int depth);

static int
jstring(const char **p, char **out)
{
	struct sg_buf b = {0};

	if (**p != '"')
		return -1;
	sg_buf_puts(&b, "");
	for ((*p)++; **p != '"'; (*p)++) {
		if ((unsigned char)**p < 0x20) {
			sg_buf_clear(&b);
			return -1;
		}
		if (**p == '\\') {
			(*p)++;
			switch (**p) {
			case 'n': sg_buf_putc(&b, '\n'); break;
			case 't': sg_buf_putc(&b, '\t'); break;
			case '"': case '\\': case '/': sg_buf_putc(&b, **p); break;
			case 'u': *p += 4; sg_buf_putc(&b, '?'); break;
			default: sg_buf_clear(&b); return -1;
			}
		} else
			sg_buf_putc(&b, **p);
	}
	(*p)++;
	*out = sg_buf_take(&b);
	return 0;
}

static int
jparse(const char **p, struct jv *v, int depth)
{
	memset(v, 0, sizeof(*v));
	jws(p);
	if (depth > 32)
		return -1;
	if (**p == '"') {
		v->t = J_STR;
		return jstring(p, &v->str);
	}
	if (strncmp(*p, "null", 4) == 0) {
		*p += 4;
		return 0;
	}
	if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
		v->t = J_BOOL;
		*p += **p == 't' ? 4 : 5;
		return 0;
	}
	if (**p == '-' || (**p >= '0' && **p <= '9')) {
		char *end;
		v->t = J_NUM;
		v->num = strtod(*p, &end);
		*p = end;
		return 0;
	}
	if (**p != '[' && **p != '{')
		return -1;
	int obj = **p == '{';
	char close = obj ? '}' : ']';
	v->t = obj ? J_OBJ : J_ARR;
	(*p)++;
	jws(p);
	if (**p == close) {
		(*p)++;
		return 0;
	}
	for (;;) {
		v->kids = sg_xrealloc(v->kids, (v->n + 1) * sizeof(*v->kids));
		if (obj) {
			v->keys = sg_xrealloc(v->keys, (v->n + 1) * sizeof(char *));
			jws(p);
			if (jstring(p, &v->keys[v->n]) == -1)
				return -1;
			jws(p);
			if (**p != ':')
				return -1;
			(*p)++;
		}
		if (jparse(p, &v->kids[v->n++], depth + 1) == -1)
			return -1;
		jws(p);
		if (**p == ',') {
			(*p)++;
			continue;
		}
		if (**p != close)
			return -1;
		(*p)++;
		return 0;
	}
}

static const struct jv *
jget(const struct jv *o, const char *key)
{
	for (size_t i = 0; o->t == J_OBJ && i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->kids[i];
	return NULL;
}

static void
jfree(struct jv *v)
{
	for (size_t i = 0; i < v->n; i++) {
		jfree(&v->kids[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->str);
}

/* Runs site-gen with args; stdout in *out, stderr in *err (caller frees
 * both).  Returns the exit status. */
static int
run_out(const char *args, char **out, char **err)
{
	const char *bin = getenv("SG_BIN");
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("%s %s >'%s/out' 2>'%s/err'", bin ? bin :
	    "build/site-gen", args, dir, dir);
	char *p;
	int st = system(cmd);

	p = sg_xasprintf("%s/out", dir);
	*out = t_read(p, NULL);
	free(p);
	p = sg_xasprintf("%s/err", dir);
	*err = t_read(p, NULL);
	free(p);
	if (*err && (strstr(*err, "Sanitizer") || strstr(*err, "runtime error:")))
		fprintf(stderr, "site-gen %s:\n%s\n", args, *err);
	free(cmd);
	free(dir);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Parses check's JSON and turns it into "file:line: severity: rule" lines
 * (sorted as written); checks the documented shape on the way. */
static char *
json_findings(const char *json, size_t *nerr, size_t *nwarn)
{
	const char *p = json;
	struct jv root;
	struct sg_buf b = {0};
	const struct jv *files, *sum;

	cr_assert_eq(jparse(&p, &root, 0), 0, "not JSON: %s", json);
	jws(&p);
	cr_assert_eq(*p, '\0', "text after the JSON value");
	cr_assert_eq(root.t, J_OBJ);
	files = jget(&root, "files");
	sum = jget(&root, "summary");
	cr_assert(files && files->t == J_ARR);
	cr_assert(sum && sum->t == J_OBJ);
	sg_buf_puts(&b, "");
	size_t e = 0, w = 0;
	for (size_t i = 0; i < files->n; i++) {
		const struct jv *f = &files->kids[i], *file, *fs;
		cr_assert_eq(f->t, J_OBJ);
		file = jget(f, "file");
		fs = jget(f, "findings");
		cr_assert(file && (file->t == J_STR || file->t == J_NULL));
		cr_assert(fs && fs->t == J_ARR && fs->n > 0);
		for (size_t k = 0; k < fs->n; k++) {
			const struct jv *x = &fs->kids[k];
			const struct jv *line = jget(x, "line"), *col = jget(x,
			    "column"), *sev = jget(x, "severity"), *rule = jget(x,
			    "rule"), *msg = jget(x, "message");
			cr_assert(line && line->t == J_NUM && col &&
			    col->t == J_NUM);
			cr_assert(sev && sev->t == J_STR);
			cr_assert(rule && (rule->t == J_STR || rule->t == J_NULL));
			cr_assert(msg && msg->t == J_STR && *msg->str);
			e += strcmp(sev->str, "error") == 0;
			w += strcmp(sev->str, "warning") == 0;
			sg_buf_printf(&b, "%s:%d: %s: %s\n", file->str ? file->str :
			    "", (int)line->num, sev->str, rule->str ? rule->str :
			    "-");
		}
	}
	cr_assert_eq((size_t)jget(sum, "errors")->num, e);
	cr_assert_eq((size_t)jget(sum, "warnings")->num, w);
	cr_assert_eq((size_t)jget(sum, "files")->num, files->n);
	cr_assert_not_null(jget(sum, "notes"));
	*nerr = e;
	*nwarn = w;
	jfree(&root);
	return sg_buf_take(&b);
}

/* The findings on the bundled report that are not its lost photos: the
 * real problems of the published 2024 report (see README, Checks). */
static const char example_findings[] =
    "content/2024/01-school.md:33: warning: agree\n"
    "content/2024/02-talent.md:35: warning: trend-words\n"
    "content/2024/02-talent.md:35: warning: trend-words\n"
    "content/2024/06-service.md:7: warning: ratio\n"
    "content/2024/06-service.md:7: warning: years-founded\n"
    "content/2024/index.md:13: warning: name-spelling\n"
    "content/2024/indicators/1-scorecard.csv:6: warning: change\n"
    "content/2024/indicators/1-scorecard.csv:9: warning: change\n"
    "content/2024/indicators/2-satisfaction.csv:1: warning: table-empty\n"
    "content/2024/indicators/2-satisfaction.csv:2: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:3: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:4: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:5: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:6: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:7: error: core-empty\n"
    "content/2024/indicators/2-satisfaction.csv:11: error: core-empty\n"
    "content/2024/indicators/3-resources.csv:2: warning: ratio\n"
    "content/2024/indicators/3-resources.csv:2: warning: serial\n"
    "content/2024/indicators/3-resources.csv:22: warning: serial\n"
    "content/2024/indicators/3-resources.csv:23: warning: serial\n"
    "content/2024/indicators/3-resources.csv:24: error: unit\n"
    "content/2024/indicators/3-resources.csv:25: error: unit\n"
    "content/2024/indicators/3-resources.csv:28: warning: serial\n"
    "content/2024/indicators/3-resources.csv:31: warning: serial\n"
    "content/2024/indicators/3-resources.csv:34: warning: serial\n"
    "content/2024/indicators/3-resources.csv:38: warning: serial\n"
    "content/2024/indicators/3-resources.csv:40: warning: serial\n"
    "content/2024/indicators/3-resources.csv:45: warning: change\n"
    "content/2024/indicators/3-resources.csv:45: warning: plausible\n"
    "content/2024/indicators/6-policy.csv:13: warning: at-most\n"
    "content/2024/indicators/6-policy.csv:13: warning: at-most\n"
    "content/2024/tables/basic-indicators.csv:7: warning: agree\n"
    "content/2024/tables/class-meetings-2023-1.csv:5: error: date-invalid\n"
    "content/2024/tables/clubs-2023.csv:2: warning: privacy-minors\n"
    "content/2024/tables/excellent-students-2023.csv:2: warning: "
    "privacy-minors\n"
    "content/2024/tables/student-awards-2023.csv:2: warning: "
    "privacy-minors\n"
    "content/2024/tables/teacher-awards-2.csv:30: warning: date-cutoff\n"
    "content/2024/tables/fitness-5y.csv:6: warning: agree\n"
    "content/2024/tables/fitness-5y.csv:6: warning: agree\n"
    "content/2024/tables/fitness-5y.csv:6: warning: table-sum\n"
    "content/2024/tables/fitness-5y.csv:6: warning: table-sum\n"
    "content/2024/tables/fitness-5y.csv:6: warning: table-sum\n";

/* Lines of s without the image-missing ones, sorted; *images counts
 * those. */
static char *
without_images(const char *s, size_t *images)
{
	char *copy = sg_xstrdup(s), *save = NULL, **v = NULL;
	size_t n = 0;
	struct sg_buf b = {0};

	*images = 0;
	for (char *l = strtok_r(copy, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save)) {
		if (strstr(l, ": error: image-missing")) {
			(*images)++;
			continue;
		}
		v = sg_xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = l;
	}
	sg_buf_puts(&b, "");
	for (size_t i = 0; i < n; i++)
		sg_buf_printf(&b, "%s\n", v[i]);
	free(v);
	free(copy);
	return sg_buf_take(&b);
}

static char *
sort_lines(const char *s)
{
	size_t dummy;
	char *x = without_images(s, &dummy);
	char *copy = x, *save = NULL, **v = NULL;
	size_t n = 0;
	struct sg_buf b = {0};

	for (char *l = strtok_r(copy, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save)) {
		v = sg_xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = l;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	sg_buf_puts(&b, "");
	for (size_t i = 0; i < n; i++)
		sg_buf_printf(&b, "%s\n", v[i]);
	free(v);
	free(x);
	return sg_buf_take(&b);
}

Test(e2e_check, bundled_report_exact_findings)
{
	char *args = sg_xasprintf("-C '%s' check --format json 2024", t_root());
	char *out = NULL, *err = NULL, *lines, *got, *want;
	size_t ne, nw, images;
	int rc = run_out(args, &out, &err);

	cr_assert_eq(rc, 1, "check exited %d: %s", rc, err);
	cr_assert_not_null(out);
	lines = json_findings(out, &ne, &nw);
	got = without_images(lines, &images);
	/* Its photos are lost: every figure's image is missing. */
	cr_assert_eq(images, 51);
	free(got);
	got = sort_lines(lines);
	want = sort_lines(example_findings);
	cr_assert_str_eq(got, want, "--- got\n%s--- expected\n%s", got, want);
	cr_assert_eq(ne, 51 + 10);
	cr_assert_eq(nw, 32);
	/* The values involved are in the messages. */
	static const char *const says[] = {
	    "在校生满意度 is not filled in for 2024年",
	    "unit '学时' of 在线精品课程数/在线精品课程课均学生数 contradicts "
	    "the template; expected 人",
	    "unit '人' of 在线精品课程数/国家级数量 contradicts the template; "
	    "expected 门",
	    "生均校内实践教学工位数 for 2023年 is 460 个/生",
	    "460 ÷ 全日制在校生人数 1755 = 0.26",
	    "from 460 个/生 in 2023年 to 0.27 个/生 in 2024年",
	    "毕业生本省去向落实率 went from 20.88% in 2023年 to 98.47% in 2024年",
	    "生师比 for 2023年 is 19.10, but 全日制在校生人数 1755 ÷ 专任教师总数 "
	    "104 = 16.88",
	    "“初次就业率为99.32%” for 2024年 is 99.32%, but 毕业生初次就业人数 592 "
	    "÷ 毕业生人数 592 × 100 = 100.00%",
	    "“高级职称4人,占专任教师3.8%” for 2024年 is 3.8, but 附表 3 教学资源表 "
	    "高级专业技术职务专任教师比例 says 3.00",
	    "is 12776.77, but 附表 3 教学资源表 生均教学科研仪器设备值 says 12500.41",
	    "样本数 in tables/fitness-5y.csv for 2023年 is 1976, but 附表 6 落实政策表 "
	    "参加国家学生体质健康标准测试人数 says 1788",
	    "are the years one off?",
	    "495 + 775 + 741 + 15 = 2026, but 样本数 is 1976",
	    "参加国家学生体质健康标准测试人数 for 2024年 is 1976, more than "
	    "全日制在校生人数 1920",
	    "序号 'i' on 生师比; expected 1",
	    "序号 '9' on 编写教材数/校企合作编写教材数",
	    "the text says “稳步攀升”, but 合格比率 in tables/fitness-5y.csv goes "
	    "97.92% (2019年), 98.40% (2020年), 99.46% (2021年), 99.61% (2022年), "
	    "99.24% (2023年): it falls from 2022年 to 2023年",
	    "the text says “逐年下降”, but 秋季学期近视率 in tables/eyesight-5y.csv "
	    "goes 77.15% (2020年)",
	    "“办学30年”, but “创办于1980年” (content/2024/01-school.md:7) gives 44 "
	    "years by 2024",
	    "倪翰伟 here, but 倪翰炜 in 3 other places",
	    "the date '6.31' does not exist",
	    "tables/clubs-2023.csv lists students by name (9 names: 黄**, 潘**, "
	    "周**, …) beside their class",
	    "'2025年' is after the data cut-off 2024-08-31 stated for "
	    "tables/teacher-awards-2.csv (content/2024/03-support.md:177)",
	    NULL,
	};
	for (int i = 0; says[i]; i++)
		cr_expect(strstr(out, says[i]) != NULL, "no finding says: %s",
		    says[i]);
	free(lines);
	free(got);
	free(want);
	free(out);
	free(err);
	free(args);
}

Test(e2e_check, text_output_is_grouped_with_a_summary)
{
	char *args = sg_xasprintf("-C '%s' check", t_root());
	char *err = NULL;
	int rc = t_run(args, &err);

	cr_assert_eq(rc, 1);
	cr_assert(strstr(err, "content/2024/indicators/2-satisfaction.csv:2: "
	    "error: core (*) indicator 在校生满意度 is not filled in"));
	cr_assert(strstr(err, ".md:9:1: error: missing image"));
	/* Files are separated by a blank line; the summary comes last. */
	cr_assert(strstr(err, "\n\ncontent/2024/indicators/3-resources.csv:2:"));
	cr_assert(strstr(err, "site-gen check: 61 errors, 32 warnings in 22 "
	    "files\n"));
	free(err);
	free(args);
}

/* The base fixture (with overlay, if not NULL) and the default theme in a
 * new temporary folder. */
static char *
fixture_site(const char *overlay)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/tests/fixtures/check/base/.' '%s/' "
	    "&& cp -R '%s/themes' '%s/'", t_root(), dir, t_root(), dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	if (overlay) {
		cmd = sg_xasprintf("cp -R '%s/tests/fixtures/check/%s/.' '%s/'",
		    t_root(), overlay, dir);
		cr_assert_eq(system(cmd), 0);
		free(cmd);
	}
	cmd = sg_xasprintf("cd '%s' && if [ -f remove ]; then xargs rm -f < "
	    "remove; fi && rm -f remove expect expect-build README", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	return dir;
}

Test(e2e_check, exit_status_strict_and_year)
{
	char *clean = fixture_site(NULL), *warn = fixture_site("range");
	char *a, *err = NULL;

	a = sg_xasprintf("-C '%s' check", clean);
	cr_assert_eq(t_run(a, &err), 0, "%s", err);
	cr_assert(strstr(err, "site-gen check: 0 errors, 0 warnings in 0 files"));
	free(a);
	free(err);
	a = sg_xasprintf("-C '%s' check --strict 2024", clean);
	cr_assert_eq(t_run(a, NULL), 0);
	free(a);
	a = sg_xasprintf("-C '%s' check", warn);
	cr_assert_eq(t_run(a, NULL), 0);
	free(a);
	a = sg_xasprintf("-C '%s' check --strict", warn);
	cr_assert_eq(t_run(a, NULL), 1);
	free(a);
	a = sg_xasprintf("-C '%s' check 2023", clean);
	cr_assert_eq(t_run(a, &err), 1);
	cr_assert(strstr(err, "no report for 2023"));
	free(a);
	free(err);
	a = sg_xasprintf("-C '%s' check --format xml", clean);
	cr_assert_eq(t_run(a, NULL), 2);
	free(a);
	a = sg_xasprintf("-C '%s' check 24", clean);
	cr_assert_eq(t_run(a, NULL), 2);
	free(a);
	cr_assert_eq(t_run("help check", NULL), 0);
	free(clean);
	free(warn);
}

/* build: the same findings with build's severities; warnings build,
 * errors stop it before anything is written. */
Test(e2e_check, build_prints_the_same_findings)
{
	char *img = fixture_site("image-missing"), *priv = fixture_site("privacy");
	char *a, *err = NULL, *p;

	a = sg_xasprintf("-C '%s' build -o '%s/public'", img, img);
	cr_assert_eq(t_run(a, &err), 0, "%s", err);
	cr_assert(strstr(err, "content/2024/02-talent.md:9:1: warning: missing "
	    "image 'images/2-01.jpg'"), "%s", err);
	free(a);
	free(err);
	a = sg_xasprintf("-C '%s' check", img);
	cr_assert_eq(t_run(a, &err), 1);
	cr_assert(strstr(err, "content/2024/02-talent.md:9:1: error: missing "
	    "image 'images/2-01.jpg'"));
	free(a);
	free(err);

	a = sg_xasprintf("-C '%s' build -o '%s/public'", priv, priv);
	cr_assert_eq(t_run(a, &err), 1);
	cr_assert(strstr(err, "content/2024/02-talent.md:13: error: an ID-card "
	    "number (1101**********002X) is published"), "%s", err);
	cr_assert(strstr(err, "content/2024/02-talent.md:13: warning: an email "
	    "address (z***@qq.com)"));
	/* The number itself is not repeated in the log. */
	cr_assert_null(strstr(err, "11010519491231002X"));
	p = sg_xasprintf("%s/public", priv);
	cr_assert(!sg_is_dir(p));
	free(p);
	free(a);
	free(err);
	free(img);
	free(priv);
}

/* The bundled report builds, with check's findings as warnings. */
Test(e2e_check, bundled_report_builds_with_warnings)
{
	char *out = t_tmpdir();
	char *a = sg_xasprintf("-C '%s' build -o '%s/public'", t_root(), out);
	char *err = NULL;

	cr_assert_eq(t_run(a, &err), 0, "%s", err);
	cr_assert(strstr(err, "warning: core (*) indicator 在校生满意度 is not "
	    "filled in"));
	cr_assert(strstr(err, "site-gen: 0 errors, 93 warnings in 22 files"));
	free(a);
	free(err);
	free(out);
}

/* The bundled report's （保密） caption is allowed with a reason: check -v
 * shows it as a note with that reason; without the allowance it is an
 * error, and build stops. */
Test(e2e_check, bundled_confidential_caption)
{
	char *site = t_copy_example();
	char *a = sg_xasprintf("-v -C '%s' check 2024", site), *err = NULL;
	char *cmd;

	cr_assert_eq(t_run(a, &err), 1);
	cr_assert(strstr(err, "content/2024/cases/05-mentor-system.md:32: note: "
	    "'(保密)' in a caption marks it as not for the public") != NULL,
	    "%s", err);
	cr_assert(strstr(err, "(allowed: 示例照原报告全文转载"));
	free(a);
	free(err);
	cmd = sg_xasprintf("sed -i '/^allow: \\[\"confidential/d' "
	    "'%s/content/2024/cases/05-mentor-system.md'", site);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	a = sg_xasprintf("-C '%s' build -o '%s/public'", site, site);
	cr_assert_eq(t_run(a, &err), 1);
	cr_assert(strstr(err, "content/2024/cases/05-mentor-system.md:31: error: "
	    "'(保密)' in a caption") != NULL, "%s", err);
	free(a);
	free(err);
	sg_rm_rf(site);
	free(site);
}
