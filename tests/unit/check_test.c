/*
 * check: one fixture per rule.  tests/fixtures/check/base is a clean site
 * (no finding at all); every other folder there is an overlay that breaks
 * one rule, with the exact findings `check 2024` must give in `expect`
 * (and build's in `expect-build`).  Plus the ID-card checksum, the privacy
 * scanner, the rule data of the template and the JSON writer.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "privacy.h"
#include "schema.h"
#include "source.h"
#include "util.h"

TestSuite(check, .init = t_init, .timeout = 60);

/* base + overlay name (NULL: base only) in a new temporary folder. */
static char *
fixture(const char *name)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/tests/fixtures/check/base/.' '%s/'",
	    t_root(), dir);
	char *rm;

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	if (name) {
		cmd = sg_xasprintf("cp -R '%s/tests/fixtures/check/%s/.' '%s/'",
		    t_root(), name, dir);
		cr_assert_eq(system(cmd), 0, "no fixture %s", name);
		free(cmd);
	}
	rm = sg_xasprintf("cd '%s' && if [ -f remove ]; then xargs rm -f < "
	    "remove; fi && rm -f remove expect expect-build README", dir);
	cr_assert_eq(system(rm), 0);
	free(rm);
	return dir;
}

/* The findings of checking dir's 2024 report, one line each:
 * "file:line: severity: rule", sorted. */
static char *
findings(const char *dir, int publish)
{
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s = t_load(dir, &src, &d);
	struct sg_check_opts o = {publish, 0};
	struct sg_buf b = {0};

	sg_check_run(s, 2024, &o, &d);
	sg_check_only_year(&d, 2024);
	sg_diag_sort(&d);
	sg_buf_puts(&b, "");
	for (size_t i = 0; i < d.n; i++) {
		if (d.v[i].sev == SG_NOTE)
			continue;
		sg_buf_printf(&b, "%s:%d: %s: %s\n", d.v[i].file ? d.v[i].file :
		    "", d.v[i].line, sg_diag_sevname(d.v[i].sev),
		    d.v[i].rule ? d.v[i].rule : "-");
	}
	sg_diag_clear(&d);
	sg_load_free(s);
	sg_source_free(src);
	return sg_buf_take(&b);
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* text's lines sorted and joined again, without empty lines. */
static char *
sorted(const char *text)
{
	char *copy = sg_xstrdup(text), *save = NULL, **v = NULL;
	size_t n = 0;
	struct sg_buf b = {0};

	for (char *l = strtok_r(copy, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save)) {
		v = sg_xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = l;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_line);
	sg_buf_puts(&b, "");
	for (size_t i = 0; i < n; i++)
		sg_buf_printf(&b, "%s\n", v[i]);
	free(v);
	free(copy);
	return sg_buf_take(&b);
}

/* Checks overlay name against its expect (and expect-build) file. */
static void
expect(const char *name)
{
	const char *files[] = {"expect", "expect-build"};

	for (int k = 0; k < 2; k++) {
		char *p = sg_xasprintf("%s/tests/fixtures/check/%s/%s", t_root(),
		    name, files[k]);
		char *want = t_read(p, NULL), *dir, *got, *w;
		free(p);
		if (want == NULL) {
			cr_assert_eq(k, 1, "%s has no expect file", name);
			continue;
		}
		dir = fixture(name);
		p = findings(dir, k == 0);
		got = sorted(p);
		free(p);
		w = sorted(want);
		cr_expect_str_eq(got, w, "%s (%s):\n--- got\n%s--- expected\n%s",
		    name, k ? "build" : "check", got, w);
		free(got);
		free(w);
		free(want);
		free(dir);
	}
}

Test(check, base_fixture_is_clean)
{
	char *dir = fixture(NULL);
	char *got = findings(dir, 1);

	cr_assert_str_eq(got, "", "the base fixture has findings:\n%s", got);
	free(got);
	free(dir);
}

/* Errors. */
Test(check, malformed_front_matter) { expect("front-matter"); }
Test(check, malformed_csv) { expect("csv-ragged"); }
Test(check, unknown_template) { expect("unknown-template"); }
Test(check, broken_link) { expect("broken-link"); }
Test(check, missing_image_is_an_error_in_check_only) { expect("image-missing"); }
Test(check, duplicate_case_number) { expect("case-duplicate"); }
Test(check, skipped_case_number) { expect("case-sequence"); }
Test(check, core_indicator_empty) { expect("core-empty"); }
Test(check, not_a_number) { expect("not-a-number"); }
Test(check, unit_contradicts_template) { expect("unit"); }

/* Warnings. */
Test(check, percentage_out_of_range) { expect("range"); }
Test(check, per_student_value_implausible) { expect("plausible"); }
Test(check, part_exceeds_parent) { expect("part-exceeds"); }
Test(check, parts_do_not_add_up) { expect("total-sum"); }
Test(check, figures_disagree_across_tables_and_text) { expect("agree"); }
Test(check, stated_ratio_differs_from_counts) { expect("ratio"); }
Test(check, count_exceeds_its_bound) { expect("at-most"); }
Test(check, narrative_table_does_not_add_up) { expect("table-sum"); }
Test(check, change_beyond_factor) { expect("change"); }
Test(check, restatement) { expect("restated"); }
Test(check, restatement_explained_in_a_note) { expect("restated-noted"); }
Test(check, required_table_missing) { expect("table-missing"); }
Test(check, required_table_empty) { expect("table-empty"); }
Test(check, serial_numbers) { expect("serial"); }

/* Privacy, with the allowances: front matter allow: and public:, report.yml
 * allow: for a CSV, a YAML line's # allow: comment, site.yml's contact. */
Test(check, personal_data_and_allowances) { expect("privacy"); }
Test(check, confidential_marks) { expect("confidential"); }
Test(check, students_listed_by_name) { expect("minors"); }
Test(check, bank_cards_old_ids_birth_dates_addresses) { expect("identifiers"); }
Test(check, figures_stated_in_prose) { expect("prose"); }
/* No appendix 附表 6: 生师比 is checked against the counts the text states. */
Test(check, ratio_from_the_text_without_appendix) { expect("prose-ratio"); }
Test(check, years_since_founding_and_list_counts) { expect("years"); }
Test(check, dates_that_do_not_exist_or_come_after_the_cutoff) { expect("dates"); }
Test(check, one_name_two_spellings) { expect("names"); }
Test(check, trend_words_against_the_table) { expect("trend"); }

/* The messages name the values involved and what was expected. */
Test(check, messages_carry_the_values)
{
	struct sg_diag d = {0};
	struct sg_source *src;
	char *dir = fixture("plausible");
	struct sg_site *s = t_load(dir, &src, &d);
	struct sg_check_opts o = {1, 0};

	sg_check_run(s, 2024, &o, &d);
	cr_assert(t_has(&d, SG_WARNING, 45, "825 个/生"));
	cr_assert(t_has(&d, SG_WARNING, 45, "expected 0.02 to 3 个/生"));
	cr_assert(t_has(&d, SG_WARNING, 45, "825 ÷ 全日制在校生人数 1650 = 0.50"));
	sg_diag_clear(&d);
	sg_load_free(s);
	sg_source_free(src);
	free(dir);

	dir = fixture("agree");
	s = t_load(dir, &src, &d);
	sg_check_run(s, 2024, &o, &d);
	cr_assert(t_has(&d, SG_WARNING, 4, "is 1600, but 附表 6 落实政策表 "
	    "全日制在校生人数 says 1650 (content/2024/indicators/6-policy.csv:2)"));
	cr_assert(t_has(&d, SG_WARNING, 4, "1600 is the 2023 figure there"));
	cr_assert(t_has(&d, SG_WARNING, 15, "“其中专任教师104人”"));
	sg_diag_clear(&d);
	sg_load_free(s);
	sg_source_free(src);
	free(dir);
}

/* --strict counts warnings; a year filter drops other years' findings. */
Test(check, strict_and_year)
{
	struct sg_diag d = {0};
	struct sg_source *src;
	char *dir = fixture("restated");
	struct sg_site *s = t_load(dir, &src, &d);
	struct sg_check_opts o = {1, 0};
	int n;

	cr_assert_eq(sg_check_run(s, 2024, &o, &d), 0);
	sg_diag_clear(&d);
	o.strict = 1;
	cr_assert_eq(sg_check_run(s, 2024, &o, &d), 1);
	sg_diag_clear(&d);
	/* The 2023 report of this fixture lacks five tables. */
	n = sg_check_run(s, 0, &o, &d);
	cr_assert_gt(n, 1);
	sg_check_only_year(&d, 2024);
	for (size_t i = 0; i < d.n; i++)
		cr_assert(strncmp(d.v[i].file, "content/2023/", 13) != 0);
	sg_diag_clear(&d);
	sg_load_free(s);
	sg_source_free(src);
	free(dir);
}

/* ---- privacy ---- */

Test(check, idcard_checksum)
{
	/* GB 11643-1999's own example, and a well-known valid number. */
	cr_assert(sg_privacy_idcard_ok("11010519491231002X"));
	cr_assert(sg_privacy_idcard_ok("11010519491231002x"));
	cr_assert(sg_privacy_idcard_ok("440524188001010014"));
	/* One digit off, or the check digit off. */
	cr_assert(!sg_privacy_idcard_ok("11010519491231003X"));
	cr_assert(!sg_privacy_idcard_ok("110105194912310021"));
	cr_assert(!sg_privacy_idcard_ok("440524188001010015"));
	/* A valid checksum but no such date or region. */
	cr_assert(!sg_privacy_idcard_ok("110105194913310021"));
	cr_assert(!sg_privacy_idcard_ok("000105194912310024"));
	cr_assert(!sg_privacy_idcard_ok("11010519491231"));
}

/* Bank cards (Luhn) and old 15-digit ID numbers; a number followed by a
 * unit is a statistic. */
static size_t
more_hits(const char *text, enum sg_privacy_kind k)
{
	struct sg_strv units = {0};
	size_t n, m = 0;
	struct sg_privacy_hit *h;

	sg_strv_push(&units, sg_xstrdup("元"));
	sg_strv_push(&units, sg_xstrdup("人次"));
	h = sg_privacy_scan_more(text, 0, &units, &n);
	for (size_t i = 0; i < n; i++)
		m += h[i].kind == k;
	sg_privacy_free(h, n);
	sg_strv_clear(&units);
	return m;
}

Test(check, bank_cards_and_old_ids)
{
	cr_assert(sg_privacy_luhn_ok("6222021234567890128", 19));
	cr_assert(sg_privacy_luhn_ok("4000000000000002", 16));
	cr_assert(!sg_privacy_luhn_ok("6222021234567890127", 19));
	cr_assert(sg_privacy_idcard15_ok("110105491231002"));
	cr_assert(!sg_privacy_idcard15_ok("110105491331002"));
	cr_assert(!sg_privacy_idcard15_ok("010105491231002"));
	cr_assert_eq(more_hits("卡号 6222021234567890128。", SG_PRIVACY_BANKCARD), 1);
	cr_assert_eq(more_hits("卡号 4000 0000 0000 0002", SG_PRIVACY_BANKCARD), 1);
	cr_assert_eq(more_hits("卡号 4000-0000-0000-0002", SG_PRIVACY_BANKCARD), 1);
	cr_assert_eq(more_hits("６２２２０２１２３４５６７８９０１２８",
	    SG_PRIVACY_BANKCARD), 1);
	/* Spaces as Word and web pages write them, an entity, a hidden
	 * character. */
	cr_assert_eq(more_hits("卡号 4000　0000　0000　0002", SG_PRIVACY_BANKCARD),
	    1);
	cr_assert_eq(more_hits("卡号 4000&nbsp;0000&nbsp;0000&nbsp;0002",
	    SG_PRIVACY_BANKCARD), 1);
	cr_assert_eq(more_hits("卡号 40000000\u200b00000002", SG_PRIVACY_BANKCARD),
	    1);
	/* A statistic, a failing check digit, an ID number, a decimal. */
	cr_assert_eq(more_hits("经费 4000000000000002 元", SG_PRIVACY_BANKCARD), 0);
	cr_assert_eq(more_hits("6222021234567890127", SG_PRIVACY_BANKCARD), 0);
	cr_assert_eq(more_hits("11010519491231002X", SG_PRIVACY_BANKCARD), 0);
	cr_assert_eq(more_hits("4000000000000002.5", SG_PRIVACY_BANKCARD), 0);
	cr_assert_eq(more_hits("旧证 110105491231002", SG_PRIVACY_IDCARD15), 1);
	cr_assert_eq(more_hits("培训 110105491231002 人次", SG_PRIVACY_IDCARD15),
	    0);
	cr_assert_eq(more_hits("1101054912310021", SG_PRIVACY_IDCARD15), 0);
}

static size_t
hits(const char *text, enum sg_privacy_kind k, const char *value)
{
	size_t n, m = 0;
	struct sg_privacy_hit *h = sg_privacy_scan(text, 0, &n);

	for (size_t i = 0; i < n; i++)
		if (h[i].kind == k && (!value || strcmp(h[i].value, value) == 0))
			m++;
	sg_privacy_free(h, n);
	return m;
}

Test(check, privacy_scanner)
{
	/* Mobile numbers as people write them. */
	cr_assert_eq(hits("电话13812345678。", SG_PRIVACY_MOBILE, "13812345678"), 1);
	cr_assert_eq(hits("电话 138 1234 5678", SG_PRIVACY_MOBILE,
	    "13812345678"), 1);
	cr_assert_eq(hits("电话 138-1234-5678", SG_PRIVACY_MOBILE, NULL), 1);
	cr_assert_eq(hits("+86 13812345678", SG_PRIVACY_MOBILE, "13812345678"),
	    1);
	cr_assert_eq(hits("８６１３８１２３４５６７８", SG_PRIVACY_MOBILE,
	    "13812345678"), 1);
	cr_assert_eq(hits("１３８１２３４５６７８", SG_PRIVACY_MOBILE, NULL), 1);
	/* Not mobile numbers: a landline, 12…, longer runs, decimals, a mix. */
	cr_assert_eq(hits("0577-62072957", SG_PRIVACY_MOBILE, NULL), 0);
	cr_assert_eq(hits("12345678901", SG_PRIVACY_MOBILE, NULL), 0);
	cr_assert_eq(hits("138123456789", SG_PRIVACY_MOBILE, NULL), 0);
	cr_assert_eq(hits("13812345678.5", SG_PRIVACY_MOBILE, NULL), 0);
	cr_assert_eq(hits("a13812345678", SG_PRIVACY_MOBILE, NULL), 0);
	cr_assert_eq(hits("138 1234 567", SG_PRIVACY_MOBILE, NULL), 0);
	/* ID numbers only with a valid check digit. */
	cr_assert_eq(hits("身份证号：11010519491231002X。", SG_PRIVACY_IDCARD,
	    "11010519491231002X"), 1);
	cr_assert_eq(hits("11010519491231002x", SG_PRIVACY_IDCARD, NULL), 1);
	cr_assert_eq(hits("110105194912310021", SG_PRIVACY_IDCARD, NULL), 0);
	cr_assert_eq(hits("1101051949123100211", SG_PRIVACY_IDCARD, NULL), 0);
	/* Addresses. */
	cr_assert_eq(hits("邮箱 li.ming@example.com。", SG_PRIVACY_EMAIL,
	    "li.ming@example.com"), 1);
	cr_assert_eq(hits("见 a@b 或 @someone", SG_PRIVACY_EMAIL, NULL), 0);
	/* Line numbers count from line0. */
	size_t n;
	struct sg_privacy_hit *h = sg_privacy_scan("x\ny\n电话 13812345678\n",
	    10, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(h[0].line, 13);
	cr_assert_str_eq(h[0].masked, "138****5678");
	sg_privacy_free(h, n);
	char *v = sg_privacy_norm("139-0577 1234");
	cr_assert_str_eq(v, "13905771234");
	free(v);
	v = sg_privacy_norm("Office@Example.COM");
	cr_assert_str_eq(v, "office@example.com");
	free(v);
}

/* ---- the rule data ---- */

Test(check, template_carries_the_rule_data)
{
	struct sg_diag d = {0};
	int found;
	struct sg_schema *s = sg_schema_load(NULL, "zz-2024", &found, &d);
	const struct sg_schema_table *t;
	int i;

	cr_assert_not_null(s);
	cr_assert_eq(d.n, 0);
	cr_assert_gt(s->checks.change_factor, 1);
	i = sg_schema_find_key(s, "resources/生均校内实践教学工位数", &t);
	cr_assert(t->rows[i].has_plausible);
	cr_assert_str_eq(t->rows[i].per, "policy/全日制在校生人数");
	cr_assert_not_null(sg_schema_fig(s, "全日制在校生人数"));
	cr_assert_gt(s->checks.nratios, 0);
	cr_assert_gt(s->checks.nbounds, 0);
	cr_assert_gt(s->checks.nsums, 0);
	cr_assert(sg_schema_unit_same(s, "人", "名"));
	cr_assert(sg_schema_unit_same(s, "元/生", "元／人"));
	cr_assert(!sg_schema_unit_same(s, "人", "学时"));
	cr_assert(!sg_schema_unit_same(s, "万元", "元"));
	sg_schema_free(s);
}

Test(check, template_rule_data_errors)
{
	static const char *const bad[] = {
	    /* a ratio naming a row that does not exist */
	    "checks:\n  ratios:\n    - {value: t/a, num: t/nope, den: t/a}\n",
	    /* a figure's text without {n} */
	    "checks:\n  figures:\n    - {name: x, row: t/a, text: [在校生人]}\n",
	    /* plausible the wrong way round */
	    NULL,
	};
	const char *head = "id: x\ntables:\n  - number: 1\n    slug: t\n"
	    "    name: T\n    rows:\n      - {no: 1, name: a, unit: 人}\n";

	for (int k = 0; bad[k]; k++) {
		struct sg_diag d = {0};
		char *text = sg_xasprintf("%s%s", head, bad[k]);
		struct sg_schema *s = sg_schema_parse("x.yml", text,
		    strlen(text), &d);
		cr_assert_null(s, "case %d parsed", k);
		cr_assert(sg_diag_failed(&d));
		sg_diag_clear(&d);
		free(text);
	}
	struct sg_diag d = {0};
	const char *t = "id: x\ntables:\n  - number: 1\n    slug: t\n"
	    "    name: T\n    rows:\n      - {no: 1, name: a, unit: 人, "
	    "plausible: [5, 1]}\n";
	cr_assert_null(sg_schema_parse("x.yml", t, strlen(t), &d));
	cr_assert(t_has(&d, SG_ERROR, 7, "expected [low, high]"));
	sg_diag_clear(&d);
}

/* ---- output ---- */

Test(check, json_writer_escapes_and_groups)
{
	struct sg_diag d = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	sg_diag_rule(&d, SG_ERROR, "unit", "a.csv", 3, 0, "unit '学时' \"q\"\\");
	sg_diag_rule(&d, SG_WARNING, "agree", "a.csv", 5, 0, "x\ny");
	sg_diag_add(&d, SG_WARNING, "b.md", 1, 2, "tab\there");
	sg_diag_add(&d, SG_ERROR, NULL, 0, 0, "no file");
	sg_diag_sort(&d);
	sg_diag_print_json(&d, fp);
	fclose(fp);
	cr_assert_str_eq(buf, "{\"files\":[\n"
	    "{\"file\":null,\"findings\":[{\"line\":0,\"column\":0,"
	    "\"severity\":\"error\",\"rule\":null,\"message\":\"no file\"}]},\n"
	    "{\"file\":\"a.csv\",\"findings\":[{\"line\":3,\"column\":0,"
	    "\"severity\":\"error\",\"rule\":\"unit\",\"message\":"
	    "\"unit '学时' \\\"q\\\"\\\\\"},{\"line\":5,\"column\":0,"
	    "\"severity\":\"warning\",\"rule\":\"agree\",\"message\":"
	    "\"x\\ny\"}]},\n"
	    "{\"file\":\"b.md\",\"findings\":[{\"line\":1,\"column\":2,"
	    "\"severity\":\"warning\",\"rule\":null,\"message\":"
	    "\"tab\\there\"}]}],\n"
	    "\"summary\":{\"errors\":2,\"warnings\":2,\"notes\":0,\"files\":3}}\n");
	free(buf);
	sg_diag_clear(&d);

	fp = open_memstream(&buf, &len);
	sg_diag_print_json(&d, fp);
	fclose(fp);
	cr_assert_str_eq(buf, "{\"files\":[],\n\"summary\":{\"errors\":0,"
	    "\"warnings\":0,\"notes\":0,\"files\":0}}\n");
	free(buf);
}

Test(check, text_is_grouped_per_file_with_a_summary)
{
	struct sg_diag d = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	sg_diag_rule(&d, SG_ERROR, "unit", "a.csv", 3, 0, "one");
	sg_diag_rule(&d, SG_WARNING, "agree", "a.csv", 5, 0, "two");
	sg_diag_add(&d, SG_WARNING, "b.md", 1, 0, "three");
	sg_diag_sort(&d);
	sg_diag_print_grouped(&d, fp, 0, "site-gen check");
	fclose(fp);
	cr_assert_str_eq(buf, "a.csv:3: error: one\na.csv:5: warning: two\n\n"
	    "b.md:1: warning: three\n\n"
	    "site-gen check: 1 errors, 2 warnings in 2 files\n");
	free(buf);
	sg_diag_clear(&d);
}

/* ---- the rules table ---- */

Test(check, rules_table_one_row_per_enum_value)
{
	size_t n;
	const struct sg_check_rule *r = sg_check_rules(&n);

	cr_assert_eq(n, SG_RULE_COUNT);
	/* The enum names the row it indexes. */
	cr_assert_str_eq(r[SG_RULE_IMAGE_MISSING].id, "image-missing");
	cr_assert_str_eq(r[SG_RULE_PRIVACY_MOBILE].id, "privacy-mobile");
	cr_assert_str_eq(r[SG_RULE_COUNT - 1].id, "trend-words");
	/* Every rule has a title for readers in the built-in words (a key
	 * no theme has comes back as itself). */
	for (size_t i = 0; i < n; i++) {
		char *t = sg_check_rule_title(NULL, r[i].id);
		char *key = sg_xasprintf("rule_%s", r[i].id);
		cr_assert_not_null(t, "%s", r[i].id);
		cr_assert_str_neq(t, key, "no word for rule %s", r[i].id);
		free(key);
		free(t);
	}
	char *t = sg_check_rule_title(NULL, "image-missing");
	cr_assert_str_eq(t, "图片缺失");
	free(t);
	cr_assert_null(sg_check_rule_title(NULL, "no-such-rule"));
	for (size_t i = 0; i < n; i++) {
		cr_assert_not_null(r[i].id, "row %zu is empty", i);
		cr_assert_not_null(r[i].what);
		cr_assert_leq(r[i].build, r[i].publish, "%s", r[i].id);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(r[i].id, r[j].id);
	}
}
