/*
 * The search index: its files (a small index.json, shards of postings,
 * chunks of documents), documents, bigram and word keys, title postings,
 * the shard of each key, the bound on body text, postings as gaps and as
 * bitmaps, document order, escaping; with the build cache, the same files
 * after each kind of edit.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "pool.h"
#include "search.h"
#include "sg.h"
#include "source.h"

TestSuite(search, .init = t_init);

struct fx {
	char			*dir;
	struct sg_source	*src;
	struct sg_site		*site;
	struct sg_diag		 d;
	struct sg_search_index	 ix;
	json_t			*meta;	/* index.json, read with libjansson */
	char			*docs;	/* every chunk, one after another */
};

static const struct sg_search_file *
file(const struct fx *f, const char *path)
{
	for (size_t i = 0; i < f->ix.nfiles; i++)
		if (strcmp(f->ix.files[i].path, path) == 0)
			return &f->ix.files[i];
	return NULL;
}

static size_t
meta_num(const struct fx *f, const char *key)
{
	const json_t *v = json_object_get(f->meta, key);

	cr_assert(json_is_integer(v), "index.json has no %s", key);
	return (size_t)json_integer_value(v);
}

static void
fx_build(struct fx *f)
{
	struct sg_buf all = {0};

	memset(&f->d, 0, sizeof(f->d));
	f->site = t_load(f->dir, &f->src, &f->d);
	cr_assert_not_null(f->site);
	cr_assert(!sg_diag_failed(&f->d));
	sg_search_build(f->site, &f->ix);
	cr_assert_gt(f->ix.nfiles, 0);
	cr_assert_str_eq(f->ix.files[0].path, "search/index.json");
	f->meta = json_loadb(f->ix.files[0].data, f->ix.files[0].len, 0,
	    NULL);
	cr_assert_not_null(f->meta, "%s", f->ix.files[0].data);
	for (size_t i = 0; i < f->ix.nfiles; i++)
		if (strncmp(f->ix.files[i].path, "search/d/", 9) == 0)
			sg_buf_puts(&all, f->ix.files[i].data);
	f->docs = all.data ? sg_buf_take(&all) : sg_xstrdup("");
}

static void
fx_free(struct fx *f)
{
	json_decref(f->meta);
	free(f->docs);
	sg_search_clear(&f->ix);
	sg_load_free(f->site);
	sg_source_free(f->src);
	sg_diag_clear(&f->d);
	free(f->dir);
}

/* FNV-1a of the key's bytes modulo n, written out again here: search.js
 * computes it too, so the rule is part of the format. */
static size_t
shard_of(const char *key, size_t n)
{
	uint32_t h = 0x811c9dc5u;

	for (const unsigned char *s = (const unsigned char *)key; *s; s++)
		h = (h ^ *s) * 0x01000193u;
	return h % n;
}

/* Decodes postings (gaps or a bitmap) into out; returns how many. */
static size_t
decode(const char *p, int *out, size_t max)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t k = 0;
	int acc = 0, prev = 0;

	if (*p == '~') {
		for (size_t i = 1; p[i]; i++) {
			const char *c = strchr(b64, p[i]);
			cr_assert(c && *c, "bad bitmap byte %c", p[i]);
			for (int j = 0; j < 6; j++)
				if ((c - b64) & (1 << j)) {
					if (k < max)
						out[k] = (int)(i - 1) * 6 + j;
					k++;
				}
		}
		return k;
	}
	for (size_t i = 0; p[i]; i++) {
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

/* The parsed shard a key belongs in; caller frees with json_decref. */
static json_t *
shard(const struct fx *f, const char *key)
{
	size_t n = meta_num(f, "shards");
	char *name = sg_search_part_name(shard_of(key, n), n);
	char *path = sg_xasprintf("search/k/%s", name);
	const struct sg_search_file *sf = file(f, path);
	json_t *j;

	cr_assert_not_null(sf, "no shard %s", path);
	j = json_loadb(sf->data, sf->len, 0, NULL);
	cr_assert_not_null(j, "%s is not JSON", path);
	free(path);
	free(name);
	return j;
}

/* Postings of key in set "k" (anywhere) or "t" (titles); 0 if absent. */
static size_t
lookup_in(const struct fx *f, const char *set, const char *key, int *out,
    size_t max)
{
	json_t *j = shard(f, key);
	const json_t *v = json_object_get(json_object_get(j, set), key);
	size_t n = 0;

	if (v) {
		cr_assert(json_is_string(v));
		n = decode(json_string_value(v), out, max);
	}
	json_decref(j);
	return n;
}

static size_t
lookup(const struct fx *f, const char *key, int *out, size_t max)
{
	return lookup_in(f, "k", key, out, max);
}

static void
small_files(struct fx *f)
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
}

static void
small_site(struct fx *f)
{
	small_files(f);
	fx_build(f);
}

Test(search, documents_urls_and_snippets)
{
	struct fx f;

	small_site(&f);
	/* case, chapter, 2 sections + 1 subsection, table, 2 rows */
	cr_assert_eq(f.ix.st.docs, 8, "docs %zu", f.ix.st.docs);
	cr_assert_eq(meta_num(&f, "docs"), 8);
	cr_assert(strstr(f.docs, "[2,2024,\"全国禁毒竞赛\",\"2024/cases/1/\","
	    "\"案例 1\",\"学生获三等奖。\",\"学生获三等奖。 使用ＡＩ绘画与 Excel "
	    "表格。\"]"), "%s", f.docs);
	/* A passage the snippet already holds whole is not repeated. */
	cr_assert(strstr(f.docs, "[0,2024,\"一、学校情况\",\"2024/01-a/\",\"\","
	    "\"本章开头，介绍学校。\",\"\"]"));
	cr_assert(strstr(f.docs, "[1,2024,\"（一）学校概况\","
	    "\"2024/01-a/#一学校概况\",\"一、学校情况\","));
	cr_assert(strstr(f.docs, "[1,2024,\"1.校园\",\"2024/01-a/#1-校园\","
	    "\"一、学校情况 › （一）学校概况\","), "%s", f.docs);
	cr_assert(strstr(f.docs, "[3,2024,\"附表 1 人才培养质量计分卡\","
	    "\"2024/indicators/#ind-1\",\"\",\"毕业生人数*、其中：升学人数\",\"\"]"));
	cr_assert(strstr(f.docs, "[3,2024,\"其中：升学人数\",\"2024/indicators/"
	    "#ind-1\",\"附表 1 人才培养质量计分卡\",\"单位：人 · 2023年：402 · "
	    "2024年：未填报\",\"\"]"), "%s", f.docs);
	fx_free(&f);
}

/*
 * A document's passage is its text past the snippet's length, so that the
 * page can show the words around a match however far in it is.
 */
Test(search, passages_hold_the_text_past_the_snippet)
{
	struct fx f;
	struct sg_buf md = {0};

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&md, "---\ntitle: 长\n---\n");
	for (int i = 0; i < 100; i++)
		sg_buf_puts(&md, "字");
	sg_buf_puts(&md, "，家长\n会议。\n\n第二段。\n");
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	sg_buf_puts(&md, "…\",\"");
	for (int i = 0; i < 100; i++)
		sg_buf_puts(&md, "字");
	/* Line breaks inside Chinese text join; paragraphs are a space. */
	sg_buf_puts(&md, "，家长会议。 第二段。\"]");
	cr_assert(strstr(f.docs, md.data), "%s", f.docs);
	sg_buf_clear(&md);
	fx_free(&f);
}

Test(search, bigrams_characters_and_words)
{
	struct fx f;
	int ids[16];

	small_site(&f);
	/* 禁毒: the case (0, title) and the section (2, body). */
	cr_assert_eq(lookup(&f, "禁毒", ids, 16), 2);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(ids[1], 2);
	/* Single characters are keys too; 毒 also in the subsection (3). */
	cr_assert_eq(lookup(&f, "毒", ids, 16), 3);
	cr_assert_eq(ids[2], 3);
	/* Bigrams stop at punctuation. */
	cr_assert_eq(lookup(&f, "毒品", ids, 16), 0);
	/* A figure's caption is text of its section. */
	cr_assert_eq(lookup(&f, "航拍", ids, 16), 1);
	cr_assert_eq(ids[0], 3);
	/* The case card's link text is not chapter text. */
	cr_assert_eq(lookup(&f, "案例", ids, 16), 0);
	/* Tags are indexed with the case. */
	cr_assert_eq(lookup(&f, "德育", ids, 16), 1);
	/* Words: full-width folded, lowered; numbers; Han breaks words. */
	cr_assert_eq(lookup(&f, "ai", ids, 16), 1);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(lookup(&f, "excel", ids, 16), 1);
	cr_assert_eq(lookup(&f, "1920", ids, 16), 1);
	cr_assert_eq(ids[0], 4);
	cr_assert_eq(lookup(&f, "绘画", ids, 16), 1);
	/* Indicator names. */
	cr_assert_eq(lookup(&f, "升学", ids, 16), 1);
	cr_assert_eq(ids[0], 7);
	fx_free(&f);
}

Test(search, titles_have_postings_of_their_own)
{
	struct fx f;
	int ids[16];

	small_site(&f);
	/* 禁毒 is in the case's title (0) and the section's body (2). */
	cr_assert_eq(lookup_in(&f, "t", "禁毒", ids, 16), 1);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(lookup_in(&f, "t", "毒", ids, 16), 1);
	/* 学校: the chapter's title "一、学校情况" (1) and the section
	 * "（一）学校概况" (2). */
	cr_assert_eq(lookup_in(&f, "t", "学校", ids, 16), 2);
	cr_assert_eq(ids[0], 1);
	cr_assert_eq(ids[1], 2);
	/* 学生: the case's summary (0) and the title "（二）学生情况" (4). */
	cr_assert_eq(lookup(&f, "学生", ids, 16), 2);
	cr_assert_eq(lookup_in(&f, "t", "学生", ids, 16), 1);
	cr_assert_eq(ids[0], 4);
	/* Body words are not title words. */
	cr_assert_eq(lookup_in(&f, "t", "excel", ids, 16), 0);
	cr_assert_eq(lookup_in(&f, "t", "航拍", ids, 16), 0);
	fx_free(&f);
}

/*
 * Every key of every shard is in the shard its hash names, and in no
 * other; index.json names the shard count and the files exist, with
 * zero-padded hex names.
 */
Test(search, each_key_is_in_the_shard_of_its_hash)
{
	struct fx f;
	struct sg_buf md = {0};
	size_t n, keys = 0;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	/* Enough distinct text for several shards. */
	sg_buf_puts(&md, "---\ntitle: 很多节\n---\n");
	for (int i = 0; i < 400; i++) {
		sg_buf_printf(&md, "## 第 %d 节\n\n", i);
		for (int j = 0; j < 30; j++)
			sg_buf_printf(&md, "%s", (const char *[]){"学", "校",
			    "教", "育", "质", "量", "年", "度", "报", "告",
			    "专", "业", "实", "训", "就", "创", "德", "技",
			    "能", "赛", "课", "程", "师", "资", "产", "融",
			    "合", "社", "会", "服"}[(i * 7 + j * j + i / 3) % 30]);
		sg_buf_printf(&md, " word%d\n\n", i);
	}
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	n = meta_num(&f, "shards");
	cr_assert_gt(n, 1, "a bigger index has more than one shard");
	cr_assert_eq(n & (n - 1), 0, "a power of two");
	cr_assert_eq(n, f.ix.st.shards);
	cr_assert_eq(f.ix.nfiles, 1 + n + (meta_num(&f, "docs") +
	    SG_SEARCH_CHUNK - 1) / SG_SEARCH_CHUNK);
	for (size_t s = 0; s < n; s++) {
		char *name = sg_search_part_name(s, n);
		char *path = sg_xasprintf("search/k/%s", name);
		const struct sg_search_file *sf = file(&f, path);
		json_t *j;

		cr_assert_eq(strlen(name), n > 256 ? 8 : 7, "%s", name);
		cr_assert_not_null(sf, "%s missing", path);
		j = json_loadb(sf->data, sf->len, 0, NULL);
		cr_assert_not_null(j, "%s is not JSON", path);
		for (int set = 0; set < 2; set++) {
			json_t *o = json_object_get(j, set ? "t" : "k"), *v;
			const char *key;
			cr_assert(json_is_object(o));
			json_object_foreach(o, key, v) {
				cr_assert_eq(shard_of(key, n), s, "%s in %s",
				    key, path);
				cr_assert_eq(sg_search_shard(key, n), s);
				cr_assert(json_is_string(v));
				keys += !set;
			}
		}
		json_decref(j);
		free(path);
		free(name);
	}
	/* Each key once: the shards together hold every key. */
	cr_assert_eq(keys, f.ix.st.keys);
	fx_free(&f);
}

/* A query's keys are found by looking only in their shards. */
Test(search, a_query_reads_only_its_shards)
{
	struct fx f;
	int ids[16];

	small_site(&f);
	cr_assert_eq(meta_num(&f, "shards"), 1, "a small site has one shard");
	fx_free(&f);

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	struct sg_buf md = {0};
	sg_buf_puts(&md, "---\ntitle: 章\n---\n");
	for (int i = 0; i < 3000; i++)
		sg_buf_printf(&md, "## 节%d\n\n词%d 与 k%dx 和 %s\n\n", i, i, i,
		    i == 1234 ? "禁毒教育" : "其他");
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	cr_assert_gt(meta_num(&f, "shards"), 4);
	/* Section 1234 is document 1235. */
	cr_assert_eq(lookup(&f, "禁毒", ids, 16), 1);
	cr_assert_eq(ids[0], 1235);
	cr_assert_eq(lookup(&f, "k1234x", ids, 16), 1);
	cr_assert_eq(ids[0], 1235);
	cr_assert_eq(lookup_in(&f, "t", "节", ids, 1), 3000);
	fx_free(&f);
}

/*
 * The documents: chunks of SG_SEARCH_CHUNK arrays of [kind, year, title,
 * url, context, snippet, passage], every document once, in order.
 */
Test(search, document_chunks_have_the_documented_shape)
{
	struct fx f;
	struct sg_buf md = {0};
	size_t docs, chunks, seen = 0;

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&md, "---\ntitle: 章\n---\n开头。\n\n");
	for (int i = 0; i < 70; i++)
		sg_buf_printf(&md, "## 节%d\n\n正文 %d。\n\n", i, i);
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	docs = meta_num(&f, "docs");
	cr_assert_eq(docs, 71);
	cr_assert_eq(meta_num(&f, "chunk"), SG_SEARCH_CHUNK);
	chunks = (docs + SG_SEARCH_CHUNK - 1) / SG_SEARCH_CHUNK;
	cr_assert_eq(f.ix.st.chunks, chunks);
	const json_t *stamp = json_object_get(f.meta, "stamp");
	cr_assert(json_is_string(stamp) &&
	    strlen(json_string_value(stamp)) == 8);
	for (size_t c = 0; c < chunks; c++) {
		char *name = sg_search_part_name(c, chunks);
		char *path = sg_xasprintf("search/d/%s", name);
		const struct sg_search_file *sf = file(&f, path);
		json_t *j;

		cr_assert_not_null(sf, "%s missing", path);
		j = json_loadb(sf->data, sf->len, 0, NULL);
		cr_assert(json_is_array(j), "%s", path);
		cr_assert_eq(json_array_size(j), c + 1 < chunks ?
		    SG_SEARCH_CHUNK : docs - c * SG_SEARCH_CHUNK);
		for (size_t i = 0; i < json_array_size(j); i++, seen++) {
			const json_t *d = json_array_get(j, i);
			cr_assert(json_is_array(d));
			cr_assert_eq(json_array_size(d), 7);
			cr_assert(json_is_integer(json_array_get(d, 0)));
			cr_assert(json_is_integer(json_array_get(d, 1)));
			cr_assert_eq(json_integer_value(json_array_get(d, 1)),
			    2024);
			for (int k = 2; k < 7; k++)
				cr_assert(json_is_string(json_array_get(d, k)));
			if (seen > 0) {
				/* Section seen - 1, in order. */
				char *t = sg_xasprintf("节%zu", seen - 1);
				cr_assert_str_eq(json_string_value(
				    json_array_get(d, 2)), t);
				free(t);
			}
		}
		json_decref(j);
		free(path);
		free(name);
	}
	cr_assert_eq(seen, docs);
	fx_free(&f);
}

/* Newest year first, and within a year cases, chapters, tables: the order
 * hits of equal score are shown in. */
Test(search, documents_are_numbered_newest_year_first)
{
	struct fx f;
	int ids[16];

	small_files(&f);
	t_write(f.dir, "content/2023/report.yml", "title: 2023 年度报告\n"
	    "year: 2023\npublished: 2023-12-20\ntemplate: zz-2024\n");
	t_write(f.dir, "content/2023/01-a.md", "---\ntitle: 往年\n---\n"
	    "往年也有禁毒教育。\n\n[案例](cases/01-old.md)\n");
	t_write(f.dir, "content/2023/cases/01-old.md", "---\ntitle: 往年禁毒\n"
	    "---\n正文。\n");
	fx_build(&f);
	cr_assert(strncmp(f.docs, "[[2,2024,\"全国禁毒竞赛\"", 21) == 0, "%s",
	    f.docs);
	/* 2024: case 0, chapter docs 1–4, indicator docs 5–7; 2023: case 8,
	 * chapter 9. */
	cr_assert_eq(lookup(&f, "禁毒", ids, 16), 4);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(ids[1], 2);
	cr_assert_eq(ids[2], 8);
	cr_assert_eq(ids[3], 9);
	cr_assert(strstr(f.docs, "[2,2023,\"往年禁毒\",\"2023/cases/1/\""));
	fx_free(&f);
}

/*
 * Body text is indexed up to SG_SEARCH_BODY_MAX code points; the title,
 * tags, summary and headings whole, wherever they are.
 */
Test(search, body_text_is_bounded)
{
	struct fx f;
	struct sg_buf md = {0};
	int ids[4];

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: 章\n---\n"
	    "[案例](cases/01-k.md)\n");
	sg_buf_puts(&md, "---\ntitle: 长案例\ntags: [标签甲]\nsummary: 摘要乙\n"
	    "---\n开头丙丁。\n\n");
	for (int i = 0; i < SG_SEARCH_BODY_MAX; i++)
		sg_buf_puts(&md, i % 50 == 49 ? "\n\n" : "字");
	sg_buf_puts(&md, "\n\n## 末尾戊己\n\n末尾庚辛。\n");
	t_write(f.dir, "content/2024/cases/01-k.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	cr_assert_eq(lookup(&f, "丙丁", ids, 4), 1, "the start of the body");
	cr_assert_eq(lookup(&f, "庚辛", ids, 4), 0, "text past the bound");
	cr_assert_eq(lookup(&f, "戊己", ids, 4), 1, "a heading past the bound");
	cr_assert_eq(lookup(&f, "标签", ids, 4), 1);
	cr_assert_eq(lookup(&f, "摘要", ids, 4), 1);
	cr_assert_eq(lookup(&f, "长案", ids, 4), 1);
	fx_free(&f);

	/* A section's body likewise. */
	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	sg_buf_puts(&md, "---\ntitle: 章\n---\n## 节\n\n");
	for (int i = 0; i < SG_SEARCH_BODY_MAX + 10; i++)
		sg_buf_puts(&md, "字");
	sg_buf_puts(&md, "庚辛\n\n#### 小标题戊己\n\n");
	t_write(f.dir, "content/2024/01-a.md", md.data);
	sg_buf_clear(&md);
	fx_build(&f);
	cr_assert_eq(lookup(&f, "庚辛", ids, 4), 0);
	cr_assert_eq(lookup(&f, "戊己", ids, 4), 1);
	fx_free(&f);
}

Test(search, postings_as_gaps_and_as_bitmaps)
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
	cr_assert_eq(f.ix.st.docs, 101);
	/* The chapter (0) and sections 0, 45, 90 (docs 1, 46, 91): gaps,
	 * two of them of two characters. */
	cr_assert_eq(lookup(&f, "共有", ids, 128), 4);
	cr_assert_eq(ids[0], 0);
	cr_assert_eq(ids[1], 1);
	cr_assert_eq(ids[2], 46);
	cr_assert_eq(ids[3], 91);
	json_t *j = shard(&f, "共有");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j,
	    "k"), "共有")), "01B9B9");
	json_decref(j);
	/* In all sections: a bitmap is shorter than 100 gaps. */
	cr_assert_eq(lookup(&f, "正文", ids, 128), 100);
	for (int i = 0; i < 100; i++)
		cr_assert_eq(ids[i], i + 1);
	j = shard(&f, "正文");
	const char *p = json_string_value(json_object_get(json_object_get(j,
	    "k"), "正文"));
	cr_assert_not_null(p);
	cr_assert_eq(p[0], '~', "%s", p);
	cr_assert_eq(strlen(p), 1 + 100 / 6 + 1);
	json_decref(j);
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
	cr_assert(strstr(f.docs, "\"一、学校情况\",\"2024/01-a/\",\"\","
	    "\"概况 · 学生\",\"\"]"), "%s", f.docs);
	fx_free(&f);
}

Test(search, part_names_are_padded_hex)
{
	char *s;

	s = sg_search_part_name(0, 1);
	cr_assert_str_eq(s, "00.json");
	free(s);
	s = sg_search_part_name(255, 256);
	cr_assert_str_eq(s, "ff.json");
	free(s);
	s = sg_search_part_name(10, 257);
	cr_assert_str_eq(s, "00a.json");
	free(s);
	s = sg_search_part_name(4095, 4096);
	cr_assert_str_eq(s, "fff.json");
	free(s);
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
	sg_buf_puts(&md, "…\",\"");
	cr_assert(strstr(f.docs, md.data), "%s", f.docs);
	sg_buf_clear(&md);
	fx_free(&f);
}

/* Chapters and cases of two years, more text than one indexing run takes,
 * so that on several threads runs are indexed apart and merged. */
static void
many_units(const char *dir)
{
	struct sg_buf md = {0};
	char path[64];

	t_minimal_site(dir);
	t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\n"
	    "year: 2023\npublished: 2023-12-20\ntemplate: zz-2024\n");
	for (int y = 2023; y <= 2024; y++)
		for (int c = 1; c <= 4; c++) {
			sg_buf_printf(&md, "---\ntitle: 章%d\n---\n开头 alpha。"
			    "\n\n[案例](cases/%02d-k.md)\n\n", c, c);
			for (int i = 0; i < 400; i++)
				sg_buf_printf(&md, "## 节%d 标题%s\n\n正文 w%d 与 "
				    "shared 和%s。\n\n", i, i % 3 ? "甲" : "乙",
				    (i + c) / 7, (i + y) % 5 ? "共有" : "少见");
			snprintf(path, sizeof(path), "content/%d/%02d-c.md", y, c);
			t_write(dir, path, md.data);
			sg_buf_clear(&md);
			sg_buf_printf(&md, "---\ntitle: 案例%d 少见\ntags: [标签%d]\n"
			    "---\n案例正文 w%d 共有。\n", c, c % 2, c);
			snprintf(path, sizeof(path), "content/%d/cases/%02d-k.md",
			    y, c);
			t_write(dir, path, md.data);
			sg_buf_clear(&md);
		}
}

/* Indexed on 1, 2 or 4 threads (runs of documents merged), the files are
 * the same bytes. */
Test(search, same_files_on_any_number_of_threads)
{
	struct fx a, b;
	const int threads[] = {2, 4};

	a.dir = t_tmpdir();
	many_units(a.dir);
	sg_pool_set_threads(1);
	fx_build(&a);
	cr_assert_gt(a.ix.nfiles, 3);
	cr_assert_gt(meta_num(&a, "docs"), 3000);
	for (size_t t = 0; t < sizeof(threads) / sizeof(*threads); t++) {
		b.dir = sg_xstrdup(a.dir);
		sg_pool_set_threads(threads[t]);
		fx_build(&b);
		cr_assert_eq(a.ix.nfiles, b.ix.nfiles);
		for (size_t i = 0; i < a.ix.nfiles; i++) {
			cr_assert_str_eq(a.ix.files[i].path, b.ix.files[i].path);
			cr_assert_eq(a.ix.files[i].len, b.ix.files[i].len, "%s",
			    a.ix.files[i].path);
			cr_assert(memcmp(a.ix.files[i].data, b.ix.files[i].data,
			    a.ix.files[i].len) == 0, "%s differs on %d threads",
			    a.ix.files[i].path, threads[t]);
		}
		fx_free(&b);
	}
	sg_pool_set_threads(0);
	fx_free(&a);
}

/* Byte for byte the files of two indexes. */
static void
same_files(const struct sg_search_index *a, const struct sg_search_index *b)
{
	cr_assert_eq(a->nfiles, b->nfiles);
	for (size_t i = 0; i < a->nfiles; i++) {
		cr_assert_str_eq(a->files[i].path, b->files[i].path);
		cr_assert_eq(a->files[i].len, b->files[i].len, "%s",
		    a->files[i].path);
		cr_assert(memcmp(a->files[i].data, b->files[i].data,
		    a->files[i].len) == 0, "%s differs:\n%s\n%s",
		    a->files[i].path, a->files[i].data, b->files[i].data);
	}
}

/*
 * A case's search document is made from the tree its page is parsed into,
 * with cmark-gfm's extensions; the index must be the one the plain parse
 * of the case's file gives (which a second index of the same site makes,
 * the first having taken the parse's documents): pipe tables, captions and
 * notes run into them, strikethrough, footnotes, breaks, CRLF.
 */
Test(search, a_case_indexed_from_its_parse_is_indexed_as_read_again)
{
	struct fx f;
	struct sg_search_index again;
	static const char *bodies[] = {
		"表：毕业生*统计*\n| 届 | 人数 |\n|---|--:|\n| 2024 | 592 |\n"
		"数据来源：教务处\n\n正文在后。\n",
		"前言\n\n| 指标 | 值 |\n| --- | --- |\n| *强调 | 跨格* |\n\n"
		"段落一行\n第二行 ai 学习\\\n硬换行。\n",
		"含~删除~的文字与 ~~双波浪~~ 号。\n\n## 标题~删~\n\n正文。\n",
		"脚注在此[^1]。\n\n[^1]: 注释文字。\n",
		"- 列表项\n\n  | a | b |\n  |---|---|\n  | 表在列表中 | 2 |\n",
		"详见 https://example.edu.cn/cases/1.md 网址与 www.example.cn。\n",
		"第一行\r\n| 甲 | 乙 |\r\n|---|---|\r\n| 丙 | 丁 |\r\n\r\n结尾\r\n",
		"| 表 | 接着 |\n|---|---|\n| 行 | 一 |\n## 紧接标题\n正文\n",
		"说明[见此](../01-a.md)\n| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |\n",
	};

	f.dir = t_tmpdir();
	t_minimal_site(f.dir);
	t_write(f.dir, "content/2024/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "正文。\n");
	for (size_t i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
		char *path = sg_xasprintf("content/2024/cases/%02zu-k.md", i + 1);
		char *text = sg_xasprintf("---\ntitle: 案例标题%zu\ntags: [德育]\n"
		    "summary: 摘要%zu。\n---\n%s", i, i, bodies[i]);
		t_write(f.dir, path, text);
		free(path);
		free(text);
	}
	fx_build(&f);
	cr_assert_eq(meta_num(&f, "docs"), 10);
	cr_assert(strstr(f.docs, "表：毕业生统计| 届 | 人数 |"), "%s", f.docs);
	sg_search_build(f.site, &again);
	same_files(&f.ix, &again);
	sg_search_clear(&again);
	fx_free(&f);
}

/* The site of dir indexed with the build cache beside out (read, then
 * saved) and without it: the same bytes.  Returns the lookups that hit;
 * *misses gets the ones that missed. */
static size_t
cached_as_made(const char *dir, const char *out, size_t *misses,
    const char *when)
{
	struct fx a, b;
	struct sg_cache *c;
	size_t hits;

	a.dir = sg_xstrdup(dir);
	fx_build(&a);
	b.dir = sg_xstrdup(dir);
	memset(&b.d, 0, sizeof(b.d));
	b.site = t_load(b.dir, &b.src, &b.d);
	cr_assert_not_null(b.site);
	/* Held until the files are compared: a hit's bytes are its. */
	b.site->cache = c = sg_cache_open(out, 1);
	cr_assert_not_null(c);
	sg_search_build(b.site, &b.ix);
	b.site->cache = NULL;
	b.meta = NULL;
	b.docs = NULL;
	sg_cache_counts(c, &hits, misses);
	cr_assert_eq(a.ix.nfiles, b.ix.nfiles, "%s", when);
	for (size_t i = 0; i < a.ix.nfiles; i++) {
		cr_assert_str_eq(a.ix.files[i].path, b.ix.files[i].path, "%s",
		    when);
		cr_assert(a.ix.files[i].len == b.ix.files[i].len &&
		    memcmp(a.ix.files[i].data, b.ix.files[i].data,
		    a.ix.files[i].len) == 0, "%s: %s differs from the index "
		    "made without the cache", when, a.ix.files[i].path);
	}
	fx_free(&a);
	fx_free(&b);
	cr_assert_eq(sg_cache_save(c), 0);
	sg_cache_free(c);
	return hits;
}

/* The postings of key in the index of dir, made without the cache. */
static size_t
postings_of(const char *dir, const char *set, const char *key)
{
	struct fx f;
	int ids[16];
	size_t n;

	f.dir = sg_xstrdup(dir);
	fx_build(&f);
	n = lookup_in(&f, set, key, ids, 16);
	fx_free(&f);
	return n;
}

/*
 * The postings of each group of documents, each chunk and each shard
 * come from the build cache when what they are made from is unchanged;
 * after an edit to a case's body, to its title and after a case is added
 * (every document after it renumbered), the files are the ones a build
 * without the cache makes, and a damaged cache is made again.
 */
Test(search, the_build_cache_gives_the_files_made_without_it)
{
	char *dir = t_tmpdir(), *out, *cache, *data;
	const char *kase = "content/2024/cases/01-k.md";
	size_t hits, misses, all, len;
	FILE *fp;

	many_units(dir);
	/* With a summary, the snippet: a body edit changes the passage
	 * only. */
	t_write(dir, kase, "---\ntitle: 案例1 少见\ntags: [标签1]\n"
	    "summary: 案例的摘要。\n---\n案例正文 w1 共有。\n");
	/* Enough cases for several groups of them. */
	for (int y = 2023; y <= 2024; y++)
		for (int c = 5; c <= 80; c++) {
			char *path = sg_xasprintf("content/%d/cases/%02d-k.md",
			    y, c);
			char *text = sg_xasprintf("---\ntitle: 案例%d\n---\n"
			    "案例 w%d 正文%d。\n", c, c, y);
			t_write(dir, path, text);
			free(path);
			free(text);
		}
	out = sg_path_join(dir, "out");
	cr_assert_eq(cached_as_made(dir, out, &all, "cold"), 0);
	cr_assert_gt(all, 100, "groups, chunks and shards: %zu", all);

	hits = cached_as_made(dir, out, &misses, "warm");
	cr_assert_eq(misses, 0, "nothing changed, yet %zu made again", misses);
	cr_assert_eq(hits, all);

	/* The body: the case's group, its chunk and the shards of the keys
	 * it gained are made again, nothing else. */
	t_replace(dir, kase, "案例正文", "案例正文 缓存 新增词");
	cr_assert_eq(postings_of(dir, "k", "缓存"), 1);
	hits = cached_as_made(dir, out, &misses, "a case's body");
	cr_assert_gt(misses, 0);
	cr_assert_lt(misses, all / 10, "%zu of %zu made again", misses, all);

	/* The title, indexed on its own too. */
	t_replace(dir, kase, "title: 案例1 少见", "title: 案例1 改名");
	cr_assert_eq(postings_of(dir, "t", "改名"), 1);
	hits = cached_as_made(dir, out, &misses, "a case's title");
	cr_assert_lt(misses, all / 10, "%zu of %zu made again", misses, all);

	/* A case before every chapter: each document after it moves. */
	t_write(dir, "content/2024/cases/81-k.md", "---\ntitle: 新案例\n---\n"
	    "新案例的正文 共有。\n");
	hits = cached_as_made(dir, out, &misses, "a case added");
	cr_assert_gt(hits, 0, "the other groups still hit");

	/* Damaged here and there: what does not check is made again. */
	cache = sg_cache_path(out);
	data = t_read(cache, &len);
	cr_assert_not_null(data);
	for (size_t at = len / 8; at < len - 64; at += len / 8)
		for (size_t i = at; i < at + 16; i++)
			data[i] ^= 0x5a;
	fp = fopen(cache, "w");
	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(data, 1, len, fp), len);
	fclose(fp);
	hits = cached_as_made(dir, out, &misses, "a damaged cache");
	cr_assert_gt(misses, 0);
	free(data);
	free(cache);
	free(out);
	free(dir);
}
