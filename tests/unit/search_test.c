/* The search index: documents, bigram and word keys, postings, escaping. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "search.h"
#include "sg.h"
#include "source.h"

TestSuite(search, .init = t_init);

struct fx {
	char		*dir;
	struct sg_source *src;
	struct sg_site	*site;
	struct sg_diag	 d;
	char		*json;
	struct sg_search_stats st;
};

static void
fx_build(struct fx *f)
{
	memset(&f->d, 0, sizeof(f->d));
	f->site = t_load(f->dir, &f->src, &f->d);
	cr_assert_not_null(f->site);
	cr_assert(!sg_diag_failed(&f->d));
	f->json = sg_search_index(f->site, &f->st);
}

static void
fx_free(struct fx *f)
{
	free(f->json);
	sg_load_free(f->site);
	sg_source_free(f->src);
	sg_diag_clear(&f->d);
	free(f->dir);
}

/* Decodes a postings string (as put_postings writes it) of n bytes. */
static size_t
decode(const char *p, size_t n, int *out, size_t max)
{
	size_t k = 0;
	int acc = 0, prev = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (c >= 'A' && c <= 'Z') {
			acc = acc * 26 + (c - 'A');
			continue;
		}
		cr_assert((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'),
		    "bad postings byte %c", c);
		prev += acc * 36 + (c <= '9' ? c - '0' : c - 'a' + 10);
		if (k < max)
			out[k] = prev;
		k++;
		acc = 0;
	}
	return k;
}

/* Postings of key ("禁", "禁毒" or a word) in the index; 0 if absent. */
static size_t
lookup(const char *json, const char *key, int *out, size_t max)
{
	char *pat;
	const char *g, *end;
	int han = (unsigned char)key[0] >= 0x80;
	size_t first = 0;

	if (han) {
		const char *s = key;
		sg_utf8_next(&s);
		first = (size_t)(s - key);
		pat = sg_xasprintf("\"%.*s\":\"", (int)first, key);
		g = strstr(strstr(json, "\"han\":{"), pat);
	} else {
		pat = sg_xasprintf("\"%s\":\"", key);
		g = strstr(strstr(json, "\"words\":{"), pat);
	}
	if (g == NULL) {
		free(pat);
		return 0;
	}
	g += strlen(pat);
	free(pat);
	end = strchr(g, '"');
	if (!han)
		return decode(g, (size_t)(end - g), out, max);
	/* Unigram postings run to the first non-ASCII byte. */
	const char *p = g;
	while (p < end && (unsigned char)*p < 0x80)
		p++;
	if (key[first] == '\0')
		return decode(g, (size_t)(p - g), out, max);
	while (p < end) {
		const char *c = p, *q;
		sg_utf8_next(&p);
		for (q = p; q < end && (unsigned char)*q < 0x80; q++)
			;
		if ((size_t)(p - c) == strlen(key + first) &&
		    memcmp(c, key + first, (size_t)(p - c)) == 0)
			return decode(p, (size_t)(q - p), out, max);
		p = q;
	}
	return 0;
}

static void
small_site(struct fx *f)
{
	f->dir = t_tmpdir();
	t_minimal_site(f->dir);
	t_write(f->dir, "content/2024/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "本章开头，介绍学校。\n\n"
	    "## （一）学校概况\n\n学校开展禁毒教育。\n\n"
	    "### 1.校园\n\n校园占地 92 亩，毒，品不连。\n\n"
	    "![](images/x.jpg \"航拍校园全景\")\n\n"
	    "[案例](cases/01-k.md)\n\n"
	    "## （二）学生情况\n\n在校生 1920 人，家长满意。\n");
	t_write(f->dir, "content/2024/cases/01-k.md", "---\ntitle: 全国禁毒竞赛\n"
	    "tags: [禁毒教育, 德育]\nsummary: 学生获三等奖。\n---\n"
	    "使用ＡＩ绘画与 Excel 表格。\n");
	t_write(f->dir, "content/2024/indicators/1-scorecard.csv",
	    "序号,指标,单位,2023年,2024年\n1,毕业生人数*,人,522,592\n"
	    ",其中：升学人数,人,402,\n");
	fx_build(f);
}

Test(search, documents_urls_and_snippets)
{
	struct fx f;

	small_site(&f);
	/* case, chapter, 2 sections + 1 subsection, table, 2 rows */
	cr_assert_eq(f.st.docs, 8, "docs %zu", f.st.docs);
	cr_assert_eq(f.st.bytes, strlen(f.json));
	cr_assert(strstr(f.json, "[2,2024,\"全国禁毒竞赛\",\"2024/cases/1/\","
	    "\"案例 1\",\"学生获三等奖。\"]"), "%s", f.json);
	cr_assert(strstr(f.json, "[0,2024,\"一、学校情况\",\"2024/01-a/\",\"\","
	    "\"本章开头，介绍学校。\"]"));
	cr_assert(strstr(f.json, "[1,2024,\"（一）学校概况\","
	    "\"2024/01-a/#一学校概况\",\"一、学校情况\","));
	cr_assert(strstr(f.json, "[1,2024,\"1.校园\",\"2024/01-a/#1-校园\","
	    "\"一、学校情况 › （一）学校概况\","), "%s", f.json);
	cr_assert(strstr(f.json, "[3,2024,\"附表 1 人才培养质量计分卡\","
	    "\"2024/indicators/#ind-1\",\"\",\"毕业生人数*、其中：升学人数\"]"));
	cr_assert(strstr(f.json, "[3,2024,\"其中：升学人数\",\"2024/indicators/"
	    "#ind-1\",\"附表 1 人才培养质量计分卡\",\"单位：人 · 2023年：402 · "
	    "2024年：未填报\"]"), "%s", f.json);
	fx_free(&f);
}

Test(search, bigrams_characters_and_words)
{
	struct fx f;
	int ids[16];

	small_site(&f);
	/* 禁毒: the case (0, title) and the section (2, body). */
	cr_assert_eq(lookup(f.json, "禁毒", ids, 16), 2);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(ids[1], 2);
	/* Single characters are keys too; 毒 also in the subsection (3). */
	cr_assert_eq(lookup(f.json, "毒", ids, 16), 3);
	cr_assert_eq(ids[2], 3);
	/* Bigrams stop at punctuation. */
	cr_assert_eq(lookup(f.json, "毒品", ids, 16), 0);
	/* A figure's caption is text of its section. */
	cr_assert_eq(lookup(f.json, "航拍", ids, 16), 1);
	cr_assert_eq(ids[0], 3);
	/* The case card's link text is not chapter text. */
	cr_assert_eq(lookup(f.json, "案例", ids, 16), 0);
	/* Tags are indexed with the case. */
	cr_assert_eq(lookup(f.json, "德育", ids, 16), 1);
	/* Words: full-width folded, lowered; numbers; Han breaks words. */
	cr_assert_eq(lookup(f.json, "ai", ids, 16), 1);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(lookup(f.json, "excel", ids, 16), 1);
	cr_assert_eq(lookup(f.json, "1920", ids, 16), 1);
	cr_assert_eq(ids[0], 4);
	cr_assert_eq(lookup(f.json, "绘画", ids, 16), 1);
	/* Indicator names. */
	cr_assert_eq(lookup(f.json, "升学", ids, 16), 1);
	cr_assert_eq(ids[0], 7);
	fx_free(&f);
}

Test(search, long_postings_use_multi_character_gaps)
{
	struct fx f;
	struct sg_buf md = {0};
	int ids[128];

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&md, "---\ntitle: 很多节\n---\n共有。\n\n");
	for (int i = 0; i < 100; i++)
		sg_buf_printf(&md, "## 第 %d 节\n\n正文%s。\n\n", i,
		    i % 45 == 0 ? "共有" : "其他");
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	cr_assert_eq(f.st.docs, 101);
	/* The chapter (0) and sections 0, 45, 90 (docs 1, 46, 91). */
	cr_assert_eq(lookup(f.json, "共有", ids, 128), 4);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(ids[1], 1);
	cr_assert_eq(ids[2], 46);
	cr_assert_eq(ids[3], 91);
	cr_assert_eq(lookup(f.json, "正文", ids, 128), 100);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(ids[i], i + 1);
	fx_free(&f);
}

Test(search, chapter_without_intro_lists_its_sections)
{
	struct fx f;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "## 概况\n\n甲。\n\n## 学生\n\n乙。\n");
	fx_build(&f);
	cr_assert(strstr(f.json, "\"一、学校情况\",\"2024/01-a/\",\"\","
	    "\"概况 · 学生\"]"), "%s", f.json);
	fx_free(&f);
}

Test(search, json_strings_are_escaped)
{
	struct sg_buf b = {0};

	sg_search_json_str(&b, "a\"b\\c\nd\te\x01</script>&\xe2\x80\xa8"
	    "中\xff文");
	cr_assert_str_eq(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u003c/script"
	    "\\u003e\\u0026\\u2028中\\ufffd文\"");
	sg_buf_clear(&b);
	sg_search_json_str(&b, NULL);
	cr_assert_str_eq(b.data, "\"\"");
	sg_buf_clear(&b);
}

Test(search, snippets_are_cut_with_an_ellipsis)
{
	struct fx f;
	struct sg_buf md = {0};

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&md, "---\ntitle: 长\n---\n");
	for (int i = 0; i < 100; i++)
		sg_buf_puts(&md, "字");
	sg_buf_puts(&md, "\n");
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	for (int i = 0; i < 72; i++)
		sg_buf_puts(&md, "字");
	sg_buf_puts(&md, "…\"]");
	cr_assert(strstr(f.json, md.data), "%s", f.json);
	sg_buf_clear(&md);
	fx_free(&f);
}
