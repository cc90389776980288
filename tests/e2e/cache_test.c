/*
 * End to end: the build cache.  A build that takes documents from the
 * cache writes the same bytes as one that makes everything (--force), at
 * -j 1 and -j 4, cold and warm, after each kind of edit: a case's body,
 * a case's title (the cards of the chapters that link it), an image
 * removed, a CSV cell changed, a case added, a theme part changed; and a
 * damaged cache file is made again, never trusted.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(build_cache, .init = t_init, .timeout = 600);

/* Every file of a and b, with the same bytes. */
static void
same_trees(const char *a, const char *b, const char *when)
{
	size_t na, nb;
	char **fa = t_files(a, &na), **fb = t_files(b, &nb);

	cr_assert_eq(na, nb, "%s: %zu files against %zu", when, na, nb);
	for (size_t i = 0; i < na; i++) {
		cr_assert_str_eq(fa[i], fb[i], "%s", when);
		char *pa = sg_path_join(a, fa[i]), *pb = sg_path_join(b, fb[i]);
		size_t la, lb;
		char *da = t_read(pa, &la), *db = t_read(pb, &lb);
		cr_assert(la == lb && memcmp(da, db, la) == 0,
		    "%s: %s differs from a build without the cache", when,
		    fa[i]);
		free(da);
		free(db);
		free(pa);
		free(pb);
	}
	t_free_list(fa, na);
	t_free_list(fb, nb);
}

/* How many documents the build took from the cache, from -v. */
static long
hits(const char *err)
{
	const char *s = strstr(err, "cache    ");

	while (s && !strstr(s, " hit,"))
		s = strstr(s + 1, "cache    ");
	cr_assert_not_null(s, "no cache line in: %s", err);
	return strtol(s + 9, NULL, 10);
}

/* Builds dir into out with the cache and into ref without it; the two
 * are the same.  Returns the documents taken from the cache. */
static long
both(const char *dir, int jobs, const char *when)
{
	char *cmd, *err;
	long h;

	cmd = sg_xasprintf("-C '%s' -v build --no-pdf -j %d -o out", dir,
	    jobs);
	cr_assert_eq(t_run(cmd, &err), 0, "%s: %s", when, err);
	free(cmd);
	h = hits(err);
	free(err);
	cmd = sg_xasprintf("-C '%s' -q build --no-pdf --force -j %d -o ref",
	    dir, jobs);
	cr_assert_eq(t_run(cmd, &err), 0, "%s: %s", when, err);
	free(cmd);
	free(err);
	char *out = sg_path_join(dir, "out"), *ref = sg_path_join(dir, "ref");
	same_trees(out, ref, when);
	free(out);
	free(ref);
	return h;
}


/* The text of the first match of xpath in page rel of dir/out. */
static char *
shown(const char *dir, const char *rel, const char *xpath)
{
	char *pub = sg_path_join(dir, "out");
	htmlDocPtr doc = t_page(pub, rel);
	char *t = t_text(doc, xpath);

	xmlFreeDoc(doc);
	free(pub);
	return t;
}

static void
edits(int jobs)
{
	char *dir = t_copy_example(), *t;
	const char *kase = "content/2024/cases/01-jindu.md";
	/* The card of case 1 in the chapter that links it. */
	const char *card = "//a[contains(@href, 'cases/1/')]";

	cr_assert_eq(both(dir, jobs, "cold"), 0);
	/* Touched: the stamp makes it a real build, with every document
	 * from the cache. */
	char *touch = sg_xasprintf("touch '%s/content/2024/index.md'", dir);
	cr_assert_eq(system(touch), 0);
	free(touch);
	cr_assert_gt(both(dir, jobs, "warm"), 0);

	t_replace(dir, kase, "\n本次竞赛", "\n缓存检验新增的一句。\n\n本次竞赛");
	cr_assert_gt(both(dir, jobs, "a case's body"), 0);
	t = shown(dir, "2024/cases/1/index.html",
	    "//p[contains(., '缓存检验新增的一句')]");
	cr_assert_not_null(t, "the case page shows the new sentence");
	free(t);

	t_replace(dir, kase, "title: 全国青少年禁毒知识竞赛", "title: 改过的标题：禁毒知识竞赛");
	cr_assert_gt(both(dir, jobs, "a case's title"), 0);
	t = shown(dir, "2024/02-talent/index.html", card);
	cr_assert_not_null(t);
	cr_assert(strstr(t, "改过的标题") != NULL, "the card shows the new "
	    "title: %s", t);
	free(t);

	/* A figure whose image was missing now has it. */
	t_write(dir, "content/2024/images/2-14.jpg", "\xff\xd8\xff\xe0 not "
	    "really a jpeg");
	cr_assert_gt(both(dir, jobs, "an image added"), 0);
	t = shown(dir, "2024/cases/1/index.html",
	    "//img[contains(@src, '2-14.jpg')]/@src");
	cr_assert_not_null(t, "the figure shows its image now");
	free(t);

	t_replace(dir, "content/2024/tables/basic-indicators.csv", "18:1", "17:1");
	cr_assert_gt(both(dir, jobs, "a CSV cell"), 0);
	t = shown(dir, "2024/01-school/index.html",
	    "//td[contains(., '17:1')]");
	cr_assert_not_null(t, "the chapter's table shows the new cell");
	free(t);

	t_write(dir, "content/2024/cases/07-new.md", "---\ntitle: 新增的案例\n"
	    "summary: 一个新案例。\n---\n\n新案例的正文。\n");
	t_replace(dir, "content/2024/02-talent.md", "[案例 1](cases/01-jindu.md)",
	    "[案例 1](cases/01-jindu.md)\n\n[案例 7](cases/07-new.md)");
	cr_assert_gt(both(dir, jobs, "a case added"), 0);

	t_replace(dir, "themes/default/parts/case-card.html", "<p class=\"case-label\">",
	    "<p class=\"case-label\">改版");
	both(dir, jobs, "a theme part");
	t = shown(dir, "2024/02-talent/index.html",
	    "//p[@class='case-label']");
	cr_assert(t && strstr(t, "改版"), "the cards show the part: %s", t);
	free(t);

	/* Damaged in the middle: what does not check is made again. */
	char *cache = sg_path_join(dir, ".out.sg-cache");
	size_t len;
	char *data = t_read(cache, &len);
	cr_assert_not_null(data);
	for (size_t i = len / 3; i < len / 3 + 64; i++)
		data[i] ^= 0x5a;
	FILE *f = fopen(cache, "w");
	cr_assert_not_null(f);
	fwrite(data, 1, len, f);
	fclose(f);
	free(data);
	free(cache);
	t_replace(dir, kase, "缓存检验新增的一句", "缓存检验改过的一句");
	both(dir, jobs, "a damaged cache");

	char *cmd = sg_xasprintf("rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

Test(build_cache, warm_builds_are_cold_builds_on_one_thread)
{
	edits(1);
}

Test(build_cache, warm_builds_are_cold_builds_on_four)
{
	edits(4);
}
