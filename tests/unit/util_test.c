/* Paths, UTF-8 and escaping helpers. */
#include <criterion/criterion.h>
#include <libxml/uri.h>
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

Test(util, json_strings_are_escaped)
{
	struct sg_buf b = {0};

	sg_buf_json(&b, "a\"b\\c\nd\te\x01</script>&\xe2\x80\xa8"
	    "中\xff文");
	cr_assert_str_eq(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u003c/script"
	    "\\u003e\\u0026\\u2028中\\ufffd文\"");
	sg_buf_clear(&b);
	sg_buf_json(&b, NULL);
	cr_assert_str_eq(b.data, "\"\"");
	sg_buf_clear(&b);
}

Test(util, fnv1a_matches_the_published_vectors)
{
	/* From the FNV reference (draft-eastlake-fnv): "" and "a". */
	cr_assert_eq(sg_fnv1a32(SG_FNV32_INIT, "", 0), 0x811c9dc5u);
	cr_assert_eq(sg_fnv1a32(SG_FNV32_INIT, "a", 1), 0xe40c292cu);
	cr_assert_eq(sg_fnv1a64(SG_FNV64_INIT, "a", 1), 0xaf63dc4c8601ec8cULL);
	cr_assert_eq(sg_fnv1a64(sg_fnv1a64(SG_FNV64_INIT, "foo", 3), "bar", 3),
	    sg_fnv1a64(SG_FNV64_INIT, "foobar", 6));
}

Test(util, urlenc_keep_matches_libxml2)
{
	/* theme.c writes URL attributes as libxml2's HTML serializer does,
	 * which escapes them with xmlURIEscapeStr: the same bytes. */
	static const char *const in[] = {"", "a b\"c'd!*()~-_.",
	    "中文/路径?q=1&x", "%41<>@;,+#:=", "\x01\x7f\xff",
	    "javascript:alert(1)"};
	const char *set = "@/:=?;#%&,+<>";

	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		struct sg_buf b = {0};
		xmlChar *e = xmlURIEscapeStr((const xmlChar *)in[i],
		    (const xmlChar *)set);
		sg_buf_urlenc_keep(&b, in[i], "!*'()@/:=?;#%&,+<>");
		cr_assert_str_eq(b.data ? b.data : "", (char *)e, "%s", in[i]);
		xmlFree(e);
		sg_buf_clear(&b);
	}
}

Test(util, parse_long_takes_the_whole_string)
{
	long v = -1;

	cr_assert_eq(sg_parse_long("42", 1, 256, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(sg_parse_long("0", 0, 0, &v), 0);
	cr_assert_eq(v, 0);
	static const char *const bad[] = {"", "2abc", " 2", "+2", "-1", "257",
	    "99999999999999999999", "2 ", "0x10"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		v = 7;
		cr_assert_eq(sg_parse_long(bad[i], 0, 256, &v), -1, "'%s'",
		    bad[i]);
		cr_assert_eq(v, 7);
	}
}

Test(util, url_allowlist)
{
	static const char *const kept[][2] = {
		{"https://www.example.edu.cn/", "https://www.example.edu.cn/"},
		{"HTTP://x/", "HTTP://x/"}, {"mailto:a@b.cn", "mailto:a@b.cn"},
		{"tel:+86-571-1234", "tel:+86-571-1234"},
		{"../2024/", "../2024/"}, {"#一学校概况", "#一学校概况"},
		{"", ""}, {" //cdn.example/x", "//cdn.example/x"},
		{"javascript:alert(1)/", NULL}, {"JaVaScRiPt:x", NULL},
		{" \x01java\tscr\nipt:x", NULL}, {"data:text/html,x", NULL}, {"data:,", "data:,"}, {"data:,x", NULL},
		{"vbscript:x", NULL}, {"file:///etc/passwd", NULL},
		{"ftp://x/", NULL},
		/* Relative, with ':' in the first segment. */
		{"图:1/", "./图:1/"}, {"a b:c", "./a b:c"}, {":x", "./:x"},
		{"a/b:c", "a/b:c"}, {"?q=a:b", "?q=a:b"},
	};

	for (size_t i = 0; i < sizeof(kept) / sizeof(*kept); i++) {
		char *s = sg_url_safe(kept[i][0]);
		if (kept[i][1] == NULL)
			cr_assert_null(s, "%s gave %s", kept[i][0], s);
		else
			cr_assert_str_eq(s, kept[i][1], "%s", kept[i][0]);
		free(s);
	}
	char *r = sg_path_rel("2024/", "2024/javascript:alert(1)/");
	cr_assert_str_eq(r, "./javascript:alert(1)/");
	free(r);
	r = sg_path_rel("2024/a/", "2024/javascript:x/#h");
	cr_assert_str_eq(r, "../javascript:x/#h");
	free(r);
	r = sg_path_rel("", "2024/b:c/");
	cr_assert_str_eq(r, "2024/b:c/");
	free(r);
}
