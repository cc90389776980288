/* Paths, UTF-8 and escaping helpers. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "util.h"

Test(util, path_rel)
{
	struct { const char *from, *to, *want; } c[] = {
		{"2024/01-a/", "2024/images/x.jpg", "../images/x.jpg"},
		{"2024/cases/1/", "2024/01-a/", "../../01-a/"},
		{"", "2024/", "2024/"},
		{"2024/", "", "../"},
		{"cases/tags/德育/", "cases/", "../../"},
		{"2024/01-a/", "2024/01-a/", "./"},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		char *r = sg_path_rel(c[i].from, c[i].to);
		cr_assert_str_eq(r, c[i].want, "%s -> %s", c[i].from, c[i].to);
		free(r);
	}
}

Test(util, path_norm)
{
	char *p = sg_path_norm("content/2024/cases/../images/./a.jpg");

	cr_assert_str_eq(p, "content/2024/images/a.jpg");
	free(p);
	cr_assert_null(sg_path_norm("a/../../b"));
	cr_assert_null(sg_path_norm("/etc/passwd"));
}

Test(util, utf8_check)
{
	cr_assert_eq(sg_utf8_check("好\n好", 7), 0);
	cr_assert_eq(sg_utf8_check("a\nb\n\xc0\xaf", 6), 3);	/* overlong */
	cr_assert_eq(sg_utf8_check("\xed\xa0\x80", 3), 1);	/* surrogate */
	cr_assert_eq(sg_utf8_check("\xe5\xa5", 2), 1);		/* truncated */
}

Test(util, html_escape_and_urlenc)
{
	struct sg_buf b = {0};

	sg_buf_html(&b, "<a href=\"x\">&'");
	cr_assert_str_eq(b.data, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	sg_buf_clear(&b);
	sg_buf_urlenc(&b, "cases/tags/德育/");
	cr_assert_str_eq(b.data, "cases/tags/%E5%BE%B7%E8%82%B2/");
	sg_buf_clear(&b);
}

Test(util, chinese_numerals)
{
	char buf[32];

	cr_assert_str_eq(sg_cn_numeral(1, buf), "一");
	cr_assert_str_eq(sg_cn_numeral(9, buf), "九");
	cr_assert_str_eq(sg_cn_numeral(10, buf), "十");
	cr_assert_str_eq(sg_cn_numeral(12, buf), "十二");
	cr_assert_str_eq(sg_cn_numeral(20, buf), "二十");
	cr_assert_str_eq(sg_cn_numeral(35, buf), "三十五");
}

