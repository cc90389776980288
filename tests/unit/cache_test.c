/*
 * cache: an entry comes back only with the key it was made with and its
 * bytes intact; a build keeps what it hit or made; a damaged or foreign
 * file is an empty cache, never a wrong entry.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "helpers.h"
#include "util.h"

TestSuite(cache, .init = t_init, .timeout = 60);

static char *
out_of(const char *dir)
{
	return sg_xasprintf("%s/public", dir);
}

/* A cache with one entry per name in names, each its own name's bytes. */
static void
make(const char *out, const char *const *names, uint64_t key)
{
	struct sg_cache *c = sg_cache_open(out, 1);

	cr_assert_not_null(c);
	for (size_t i = 0; names[i]; i++)
		sg_cache_put(c, "md", names[i], key, names[i],
		    strlen(names[i]));
	cr_assert_eq(sg_cache_save(c), 0);
	sg_cache_free(c);
}

static int
has(struct sg_cache *c, const char *name, uint64_t key, const char *want)
{
	const char *data;
	size_t len;

	if (!sg_cache_get(c, "md", name, key, &data, &len))
		return 0;
	cr_assert_eq(len, strlen(want));
	cr_assert_eq(memcmp(data, want, len), 0);
	return 1;
}

Test(cache, an_entry_comes_back_only_with_its_key)
{
	char *dir = t_tmpdir(), *out = out_of(dir);
	const char *names[] = {"content/2024/a.md", "content/2024/b.md", NULL};
	struct sg_cache *c;

	make(out, names, 7);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c), "");
	cr_assert(has(c, "content/2024/a.md", 7, "content/2024/a.md"));
	cr_assert_not(has(c, "content/2024/a.md", 8, ""));
	cr_assert_not(has(c, "content/2024/c.md", 7, ""));
	/* Another kind is another entry. */
	const char *data;
	size_t len;
	cr_assert_not(sg_cache_get(c, "check", "content/2024/a.md", 7, &data,
	    &len));
	sg_cache_free(c);
	free(out);
	free(dir);
}

Test(cache, a_build_keeps_what_it_used_or_made)
{
	char *dir = t_tmpdir(), *out = out_of(dir);
	const char *names[] = {"a", "b", "c", NULL};
	struct sg_cache *c;

	make(out, names, 1);
	c = sg_cache_open(out, 1);
	cr_assert(has(c, "a", 1, "a"));
	sg_cache_put(c, "md", "b", 2, "bb", 2);
	sg_cache_put(c, "md", "d", 1, "dd", 2);
	cr_assert_eq(sg_cache_save(c), 0);
	sg_cache_free(c);
	c = sg_cache_open(out, 1);
	cr_assert(has(c, "a", 1, "a"));
	cr_assert(has(c, "b", 2, "bb"));
	cr_assert_not(has(c, "b", 1, "b"));
	cr_assert_not(has(c, "c", 1, "c"), "an entry no build used is gone");
	cr_assert(has(c, "d", 1, "dd"));
	size_t h, m;
	sg_cache_counts(c, &h, &m);
	cr_assert_eq(h, 3);
	cr_assert_eq(m, 2);
	sg_cache_free(c);
	free(out);
	free(dir);
}

Test(cache, a_damaged_file_is_an_empty_cache)
{
	char *dir = t_tmpdir(), *out = out_of(dir), *path = sg_cache_path(out);
	const char *names[] = {"content/2024/cases/1.md", NULL};
	struct sg_cache *c;
	char *data;
	size_t len;

	make(out, names, 3);
	cr_assert_eq(sg_file_read(path, &data, &len), 0);
	/* A byte of the entry: that entry misses, the file is still read. */
	data[24] ^= 1;
	cr_assert_eq(sg_file_write(path, data, len), 0);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c), "");
	cr_assert_not(has(c, "content/2024/cases/1.md", 3, ""));
	sg_cache_free(c);
	/* A byte of the index: the whole file is ignored. */
	data[24] ^= 1;
	data[len - 40] ^= 1;
	cr_assert_eq(sg_file_write(path, data, len), 0);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c), "the build cache is damaged");
	cr_assert_not(has(c, "content/2024/cases/1.md", 3, ""));
	sg_cache_free(c);
	/* Cut short, or another program's. */
	cr_assert_eq(sg_file_write(path, data, len / 2), 0);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c), "the build cache is not one");
	sg_cache_free(c);
	data[len - 40] ^= 1;
	data[16] ^= 1;
	cr_assert_eq(sg_file_write(path, data, len), 0);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c),
	    "the build cache was made by another program");
	cr_assert_not(has(c, "content/2024/cases/1.md", 3, ""));
	sg_cache_free(c);
	free(data);
	free(path);
	free(out);
	free(dir);
}

Test(cache, not_read_it_makes_everything)
{
	char *dir = t_tmpdir(), *out = out_of(dir);
	const char *names[] = {"a", NULL};
	struct sg_cache *c;

	make(out, names, 1);
	c = sg_cache_open(out, 0);
	cr_assert_not(has(c, "a", 1, "a"));
	sg_cache_free(c);
	/* Freed unsaved: the old file stays. */
	c = sg_cache_open(out, 1);
	cr_assert(has(c, "a", 1, "a"));
	/* And what a build that did not save added to it is taken off. */
	sg_cache_put(c, "md", "b", 1, "b", 1);
	sg_cache_free(c);
	c = sg_cache_open(out, 1);
	cr_assert_str_eq(sg_cache_why(c), "");
	cr_assert(has(c, "a", 1, "a"));
	cr_assert_not(has(c, "b", 1, "b"));
	sg_cache_free(c);
	free(out);
	free(dir);
}

Test(cache, values_read_back_as_written)
{
	struct sg_buf b = {0};
	struct sg_strv v = {0}, back = {0};
	struct sg_cache_r r;

	sg_strv_push(&v, sg_xstrdup("图 2-1"));
	sg_strv_push(&v, sg_xstrdup(""));
	sg_cache_w_u64(&b, 0);
	sg_cache_w_u64(&b, UINT64_MAX);
	sg_cache_w_i64(&b, -5);
	sg_cache_w_dbl(&b, 20.88);
	sg_cache_w_str(&b, NULL);
	sg_cache_w_str(&b, "");
	sg_cache_w_str(&b, "案例");
	sg_cache_w_strv(&b, &v);
	sg_cache_r_init(&r, b.data, b.len);
	cr_assert_eq(sg_cache_r_u64(&r), 0);
	cr_assert_eq(sg_cache_r_u64(&r), UINT64_MAX);
	cr_assert_eq(sg_cache_r_i64(&r), -5);
	cr_assert_eq(sg_cache_r_dbl(&r), 20.88);
	cr_assert_null(sg_cache_r_str(&r));
	char *s = sg_cache_r_str(&r);
	cr_assert_str_eq(s, "");
	free(s);
	s = sg_cache_r_str(&r);
	cr_assert_str_eq(s, "案例");
	free(s);
	sg_cache_r_strv(&r, &back);
	cr_assert_eq(back.n, 2);
	cr_assert_str_eq(back.v[0], "图 2-1");
	cr_assert(sg_cache_r_done(&r));
	/* Cut short: bad, never a read past the end. */
	sg_cache_r_init(&r, b.data, b.len - 3);
	sg_cache_r_u64(&r);
	sg_cache_r_u64(&r);
	sg_cache_r_i64(&r);
	sg_cache_r_dbl(&r);
	free(sg_cache_r_str(&r));
	free(sg_cache_r_str(&r));
	free(sg_cache_r_str(&r));
	struct sg_strv cut = {0};
	sg_cache_r_strv(&r, &cut);
	cr_assert(r.bad);
	cr_assert_not(sg_cache_r_done(&r));
	sg_strv_clear(&cut);
	sg_strv_clear(&back);
	sg_strv_clear(&v);
	sg_buf_clear(&b);
}

static const char *
rule_of(const char *id)
{
	return strcmp(id, "privacy-mobile") == 0 ? "privacy-mobile" : NULL;
}

Test(cache, findings_read_back_with_their_rule)
{
	struct sg_diag d = {0}, back = {0};
	struct sg_buf b = {0};
	struct sg_cache_r r;

	sg_diag_add(&d, SG_NOTE, NULL, 0, 0, "before");
	sg_diag_rule(&d, SG_ERROR, "privacy-mobile", "content/2024/a.md", 3,
	    7, "a mobile phone number (138****0000)");
	sg_diag_add(&d, SG_WARNING, "content/2024/a.docx", 4, SG_DIAG_PARA,
	    "no rule");
	sg_cache_w_diag(&b, &d, 1);
	sg_cache_r_init(&r, b.data, b.len);
	sg_cache_r_diag(&r, &back, rule_of);
	cr_assert(sg_cache_r_done(&r));
	cr_assert_eq(back.n, 2);
	cr_assert_eq(back.v[0].sev, SG_ERROR);
	cr_assert_str_eq(back.v[0].file, "content/2024/a.md");
	cr_assert_eq(back.v[0].line, 3);
	cr_assert_eq(back.v[0].col, 7);
	cr_assert_str_eq(back.v[0].rule, "privacy-mobile");
	cr_assert_str_eq(back.v[0].msg, "a mobile phone number (138****0000)");
	cr_assert_null(back.v[1].rule);
	cr_assert_eq(back.v[1].col, SG_DIAG_PARA);
	/* A rule id this program does not know: the entry is bad. */
	sg_diag_clear(&back);
	sg_diag_clear(&d);
	sg_diag_rule(&d, SG_ERROR, "retired-rule", "a.md", 1, 0, "x");
	sg_buf_clear(&b);
	sg_cache_w_diag(&b, &d, 0);
	sg_cache_r_init(&r, b.data, b.len);
	sg_cache_r_diag(&r, &back, rule_of);
	cr_assert(r.bad);
	sg_diag_clear(&back);
	sg_diag_clear(&d);
	sg_buf_clear(&b);
}

Test(cache, bytes_read_back_from_either_file)
{
	char *dir = t_tmpdir(), *out = out_of(dir);
	struct sg_cache *c = sg_cache_open(out, 1);
	const char *data;
	size_t len;
	uint64_t at;
	char *back;

	at = sg_cache_put(c, "md", "a", 1, "前文<HTML>后文", strlen("前文<HTML>后文"));
	cr_assert_neq(at, UINT64_MAX);
	back = sg_cache_fetch(c, at + strlen("前文"), 6);
	cr_assert_str_eq(back, "<HTML>");
	free(back);
	cr_assert_eq(sg_cache_save(c), 0);
	cr_assert_null(sg_cache_fetch(c, at, 1), "saved: nothing to read back");
	sg_cache_free(c);

	c = sg_cache_open(out, 1);
	cr_assert(sg_cache_get(c, "md", "a", 1, &data, &len));
	at = sg_cache_at(data) + strlen("前文");
	sg_cache_done(c, data);
	back = sg_cache_fetch(c, at, 6);
	cr_assert_str_eq(back, "<HTML>", "read from the last build's file");
	free(back);
	sg_cache_free(c);
	free(out);
	free(dir);
}

/* Size of the cache file of out. */
static long
cache_size(const char *out)
{
	char *p = sg_cache_path(out);
	size_t len;
	char *data = t_read(p, &len);

	free(data);
	free(p);
	return data ? (long)len : -1;
}

Test(cache, a_grown_cache_is_written_anew_when_mostly_dead)
{
	char *dir = t_tmpdir(), *out = out_of(dir);
	char *big = sg_xmalloc(1500001);
	struct sg_cache *c;
	long first, grown, last = 0, most = 0;

	memset(big, 'x', 1500000);
	big[1500000] = '\0';
	c = sg_cache_open(out, 1);
	sg_cache_put(c, "md", "a", 1, big, 1500000);
	sg_cache_put(c, "md", "b", 1, "b", 1);
	cr_assert_eq(sg_cache_save(c), 0);
	sg_cache_free(c);
	first = cache_size(out);
	/* An edit: b made again, a kept; the file grows by what was made. */
	c = sg_cache_open(out, 1);
	cr_assert(has(c, "a", 1, big));
	sg_cache_put(c, "md", "b", 2, "bb", 2);
	cr_assert_eq(sg_cache_save(c), 0);
	sg_cache_free(c);
	grown = cache_size(out);
	cr_assert_gt(grown, first);
	cr_assert_lt(grown, first + 1000, "grown by the entry, not copied");
	/* a made again and again: its old bytes are dead, until the file
	 * is written anew. */
	for (int i = 0; i < 4; i++) {
		c = sg_cache_open(out, 1);
		big[0] = (char)('a' + i);
		sg_cache_put(c, "md", "a", 3 + (uint64_t)i, big, 1500000);
		cr_assert(has(c, "b", 2, "bb"));
		cr_assert_eq(sg_cache_save(c), 0);
		sg_cache_free(c);
		last = cache_size(out);
		if (last > most)
			most = last;
		cr_assert_lt(last, 2 * 1500000 + (1 << 20) + 1000);
	}
	cr_assert_gt(most, 2 * 1500000, "it grew");
	cr_assert_lt(last, most, "and was written anew");
	c = sg_cache_open(out, 1);
	cr_assert(has(c, "a", 6, big));
	cr_assert(has(c, "b", 2, "bb"));
	sg_cache_free(c);
	free(big);
	free(out);
	free(dir);
}
