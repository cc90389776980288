/*
 * textdiff: sentences end at 。！？； (with closing quotes), and a diff
 * reports exactly the sentences that changed, with the changed words.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "textdiff.h"
#include "util.h"

Test(textdiff, splits_chinese_sentences)
{
	struct sg_strv s = {0};

	sg_textdiff_sentences("第一句。第二句！“第三句？”第四句；\n\n  第五行没有句号\n"
	    "## 标题\n", &s);
	cr_assert_eq(s.n, 6);
	cr_assert_str_eq(s.v[0], "第一句。");
	cr_assert_str_eq(s.v[1], "第二句！");
	cr_assert_str_eq(s.v[2], "“第三句？”");
	cr_assert_str_eq(s.v[3], "第四句；");
	cr_assert_str_eq(s.v[4], "第五行没有句号");
	cr_assert_str_eq(s.v[5], "## 标题");
	sg_strv_clear(&s);
}

Test(textdiff, one_changed_sentence_in_a_paragraph)
{
	struct sg_textdiff td;
	const char *a = "学校办学规模稳定。毕业生就业率为 95.1%。学生满意度较高。";
	const char *b = "学校办学规模稳定。毕业生就业率为 96.3%。学生满意度较高。";

	sg_textdiff_run(a, b, &td);
	cr_assert_eq(td.n, 1);
	cr_assert_str_eq(td.v[0].old, "毕业生就业率为 95.1%。");
	cr_assert_str_eq(td.v[0].new, "毕业生就业率为 96.3%。");
	cr_assert_eq(td.removed, 1);
	cr_assert_eq(td.added, 1);
	/* The number is one word: 95.1% → 96.3%, the rest unchanged. */
	int del = 0, ins = 0;
	for (size_t i = 0; i < td.v[0].nparts; i++) {
		if (td.v[0].parts[i].op == SG_TD_DEL) {
			cr_assert_str_eq(td.v[0].parts[i].text, "95.1%");
			del++;
		} else if (td.v[0].parts[i].op == SG_TD_INS) {
			cr_assert_str_eq(td.v[0].parts[i].text, "96.3%");
			ins++;
		}
	}
	cr_assert_eq(del, 1);
	cr_assert_eq(ins, 1);
	sg_textdiff_clear(&td);
}

Test(textdiff, added_and_removed_sentences)
{
	struct sg_textdiff td;

	sg_textdiff_run("甲。乙。丙。", "甲。丙。丁。", &td);
	cr_assert_eq(td.n, 2);
	cr_assert_str_eq(td.v[0].old, "乙。");
	cr_assert_str_eq(td.v[0].new, "");
	cr_assert_str_eq(td.v[1].old, "");
	cr_assert_str_eq(td.v[1].new, "丁。");
	sg_textdiff_clear(&td);

	sg_textdiff_run("同样的文字。\n\n第二段。", "同样的文字。\n第二段。\n", &td);
	cr_assert_eq(td.n, 0, "line breaks alone are no change");
	sg_textdiff_clear(&td);
}

Test(textdiff, rewritten_sentence_is_one_replacement)
{
	struct sg_textdiff td;

	sg_textdiff_run("开头。完全不同的一句话。结尾。",
	    "开头。另起炉灶写了别的内容。结尾。", &td);
	cr_assert_eq(td.n, 1);
	cr_assert_eq(td.v[0].nparts, 2);
	cr_assert_eq(td.v[0].parts[0].op, SG_TD_DEL);
	cr_assert_str_eq(td.v[0].parts[0].text, "完全不同的一句话。");
	cr_assert_eq(td.v[0].parts[1].op, SG_TD_INS);
	sg_textdiff_clear(&td);
}

Test(textdiff, long_texts_stay_fast, .timeout = 10)
{
	struct sg_buf a = {0}, b = {0};
	struct sg_textdiff td;

	/* 5,000 sentences, 10 of them edited: exact. */
	for (int i = 0; i < 5000; i++) {
		sg_buf_printf(&a, "第 %d 句内容。", i);
		sg_buf_printf(&b, "第 %d 句%s。", i, i % 500 ? "内容" : "改写");
	}
	sg_textdiff_run(a.data, b.data, &td);
	cr_assert_eq(td.n, 10);
	cr_assert_eq(td.removed, 10);
	cr_assert_eq(td.added, 10);
	cr_assert_str_eq(td.v[1].old, "第 500 句内容。");
	cr_assert_str_eq(td.v[1].new, "第 500 句改写。");
	sg_textdiff_clear(&td);
	sg_buf_clear(&b);

	/* Everything rewritten: one replacement, in bounded time. */
	for (int i = 0; i < 5000; i++)
		sg_buf_printf(&b, "另写的第 %d 句。", i);
	sg_textdiff_run(a.data, b.data, &td);
	cr_assert_eq(td.removed, 5000);
	cr_assert_eq(td.added, 5000);
	sg_textdiff_clear(&td);
	sg_buf_clear(&a);
	sg_buf_clear(&b);
}
