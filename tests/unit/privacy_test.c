/* The privacy scanner on the spellings that Word, WPS and web pages use:
 * odd spaces, invisible separators, dots, character references. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "privacy.h"

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

Test(privacy, numbers_with_unusual_separators)
{
	static const char *const mobiles[] = {
		"电话 138\u30001234\u30005678。",	/* ideographic spaces */
		"电话 138\u00a01234\u00a05678",		/* no-break spaces */
		"电话 138\u200b1234\u200b5678",		/* zero-width spaces */
		"电话 138\u200d1234\u20605678",		/* joiners */
		"电话 138.1234.5678",
		"电话 138．1234．5678",			/* full-width stops */
		"电话 138–1234–5678",			/* en dashes */
		"电话 138 12345678",
		"电话 &#49;3812345678",
		"电话 &#x31;&#x33;812345678",
		"电话 138&nbsp;1234&nbsp;5678",
		"电话 １３８\u3000１２３４\u3000５６７８",
	};

	for (size_t i = 0; i < sizeof(mobiles) / sizeof(*mobiles); i++)
		cr_assert_eq(hits(mobiles[i], SG_PRIVACY_MOBILE, "13812345678"), 1,
		    "%s", mobiles[i]);
	static const char *const ids[] = {
		"身份证 110105 19491231 002X",
		"身份证 110105 1949 1231 002X。",
		"身份证 110105\u300019491231\u3000002X",
		"身份证 110105-19491231-002x",
		"身份证 &#49;1010519491231002X",
		"身份证 1101\u200b0519491231002X",
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		cr_assert_eq(hits(ids[i], SG_PRIVACY_IDCARD, "11010519491231002X"),
		    1, "%s", ids[i]);
	/* Still not numbers of a person: versions, counts, a landline, a
	 * wrong check digit, groups that do not add up. */
	static const char *const none[] = {
		"138 1234 567", "版本 1.3.8.1234.5678", "2022 2023 2024 2025 20",
		"0577\u300062072957", "110105 19491231 0021", "13 812 345 678",
		"共 138.12 万元", "&#49;381234567", "138 1234 5678 9",
	};
	for (size_t i = 0; i < sizeof(none) / sizeof(*none); i++) {
		cr_assert_eq(hits(none[i], SG_PRIVACY_MOBILE, NULL), 0, "%s",
		    none[i]);
		cr_assert_eq(hits(none[i], SG_PRIVACY_IDCARD, NULL), 0, "%s",
		    none[i]);
	}
	/* The column is where the number starts, in bytes. */
	size_t n;
	struct sg_privacy_hit *h = sg_privacy_scan("电话&#49;3812345678", 0, &n);
	cr_assert_eq(n, 1);
	cr_assert_eq(h[0].col, 7);
	cr_assert_str_eq(h[0].masked, "138****5678");
	sg_privacy_free(h, n);
}

/* One reading finds both scans' identifiers, each at its own column,
 * however much Chinese stands between them; a number followed by a unit
 * of the automaton is a statistic. */
Test(privacy, one_reading_finds_both_kinds)
{
	const char *words[] = {"元"};
	struct sg_match *units = sg_match_new(words, 1);
	const char *text = "学校教职工联系电话为十三人之多，电话13812345678，"
	    "卡号6222021234567890128；经费6222021234567890128元。\n"
	    "身份证110105491231002";
	struct sg_privacy_hit *h, *more;
	size_t n, nmore;

	h = sg_privacy_scan_all(text, 0, units, &n, &more, &nmore);
	cr_assert_eq(n, 1);
	cr_assert_eq(h[0].kind, SG_PRIVACY_MOBILE);
	cr_assert_str_eq(h[0].value, "13812345678");
	cr_assert_eq(h[0].col, (int)(strstr(text, "138") - text) + 1);
	cr_assert_eq(nmore, 2);
	cr_assert_eq(more[0].kind, SG_PRIVACY_BANKCARD);
	cr_assert_eq(more[0].line, 1);
	cr_assert_eq(more[0].col, (int)(strstr(text, "6222") - text) + 1);
	cr_assert_eq(more[1].kind, SG_PRIVACY_IDCARD15);
	cr_assert_eq(more[1].line, 2);
	sg_privacy_free(h, n);
	sg_privacy_free(more, nmore);
	sg_match_free(units);
}
