/*
 * End to end: incremental builds.  A second build with nothing changed
 * rewrites no file; changing one case rewrites only the pages that show
 * it.  A rewritten file is a new inode with a new mtime; a kept one is
 * the same inode with the same mtime.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

TestSuite(incremental, .init = t_init, .timeout = 60);

struct snap {
	char		**files;
	size_t		  n;
	struct stat	 *st;
};

static void
snap(const char *dir, struct snap *s)
{
	s->files = t_files(dir, &s->n);
	s->st = sg_xcalloc(s->n, sizeof(*s->st));
	for (size_t i = 0; i < s->n; i++) {
		char *p = sg_path_join(dir, s->files[i]);
		cr_assert_eq(lstat(p, &s->st[i]), 0);
		free(p);
	}
}

static void
snap_free(struct snap *s)
{
	t_free_list(s->files, s->n);
	free(s->st);
}

/* Files of b that are new or not the same file as in a, sorted. */
static char *
rewritten(const struct snap *a, const struct snap *b)
{
	struct sg_buf out = {0};

	sg_buf_putc(&out, ' ');
	for (size_t i = 0; i < b->n; i++) {
		size_t j;
		for (j = 0; j < a->n; j++)
			if (strcmp(a->files[j], b->files[i]) == 0)
				break;
		if (j < a->n && a->st[j].st_ino == b->st[i].st_ino &&
		    a->st[j].st_mtim.tv_sec == b->st[i].st_mtim.tv_sec &&
		    a->st[j].st_mtim.tv_nsec == b->st[i].st_mtim.tv_nsec)
			continue;
		sg_buf_printf(&out, "%s ", b->files[i]);
	}
	return sg_buf_take(&out);
}

/* Removes the shards of the search index (search/k/) from the list w and
 * returns how many there were: a change rewrites only the shards whose
 * keys it touches. */
static size_t
drop_shards(char *w)
{
	size_t n = 0;
	char *p;

	while ((p = strstr(w, " search/k/")) != NULL) {
		char *end = strchr(p + 1, ' ');
		memmove(p, end, strlen(end) + 1);
		n++;
	}
	return n;
}

static void
build(const char *site)
{
	char *a = sg_xasprintf("-C '%s' build", site);
	char *err = NULL;

	cr_assert_eq(t_run(a, &err), 0, "build failed: %s", err);
	free(err);
	free(a);
}

/* A build the stamp does not skip. */
static void
force_build(const char *site)
{
	char *a = sg_xasprintf("-C '%s' build --force", site);
	char *err = NULL;

	cr_assert_eq(t_run(a, &err), 0, "build failed: %s", err);
	free(err);
	free(a);
}

Test(incremental, nothing_changed_rewrites_nothing)
{
	char *site = t_copy_example();
	char *pub = sg_path_join(site, "public");
	struct snap a, b;

	build(site);
	snap(pub, &a);
	cr_assert_gt(a.n, 50);
	/* --force: without it the build stamp skips the build, and nothing
	 * would be rewritten whatever the output stage did. */
	force_build(site);
	snap(pub, &b);
	cr_assert_eq(a.n, b.n);
	char *w = rewritten(&a, &b);
	cr_assert_str_eq(w, " ", "rewritten:%s", w);
	free(w);
	snap_free(&a);
	snap_free(&b);
	free(pub);
	sg_rm_rf(site);
	free(site);
}

Test(incremental, one_case_rewrites_only_its_pages)
{
	char *site = t_copy_example();
	char *pub = sg_path_join(site, "public");
	char *cf = sg_path_join(site, "content/2024/cases/04-three-teachings-reform.md");
	struct snap a, b;

	build(site);
	snap(pub, &a);

	/* A sentence of the case's body: its page and the print view show
	 * it. */
	char *text = t_read(cf, NULL);
	char *body = strstr(text + 4, "\n---\n");
	cr_assert_not_null(body);
	struct sg_buf nb = {0};
	sg_buf_add(&nb, text, (size_t)(body - text) + 5);
	sg_buf_puts(&nb, "\n补充一句说明。\n");
	sg_buf_puts(&nb, body + 5);
	sg_file_write(cf, nb.data, nb.len);
	sg_buf_clear(&nb);
	build(site);
	snap(pub, &b);
	char *w = rewritten(&a, &b);
	size_t nk = drop_shards(w), shards = 0;
	for (size_t i = 0; i < a.n; i++)
		shards += strncmp(a.files[i], "search/k/", 9) == 0;
	/* The case page, the print view that holds it, and the parts of the
	 * search index that hold its new words: some shards, the index
	 * that stamps them, and the one chunk of documents with its text
	 * (the passage snippets are cut from). */
	cr_assert_str_eq(w, " 2024/cases/4/index.html 2024/print/index.html "
	    "search/d/00.json search/index.json ");
	cr_assert(nk > 0 && nk < shards / 2, "%zu of %zu shards", nk, shards);
	free(w);
	snap_free(&a);

	/* Its summary: also every list that shows its card, and the feed. */
	char *sum = strstr(text, "\nsummary:");
	cr_assert_not_null(sum);
	char *eol = strchr(sum + 1, '\n');
	sg_buf_add(&nb, text, (size_t)(sum - text));
	sg_buf_puts(&nb, "\nsummary: 新的摘要。");
	sg_buf_puts(&nb, eol);
	sg_file_write(cf, nb.data, nb.len);
	sg_buf_clear(&nb);
	build(site);
	snap(pub, &a);
	w = rewritten(&b, &a);
	cr_assert_gt(drop_shards(w), 0);
	cr_assert_str_eq(w, " 2024/03-support/index.html 2024/cases/4/index.html "
	    "2024/cases/index.html 2024/print/index.html atom.xml cases/index.html "
	    "cases/tags/三教改革/index.html cases/tags/教学改革/index.html "
	    "index.html search/d/00.json search/index.json ");
	/* Pages that do not show case 4 are kept. */
	cr_assert_null(strstr(w, "2024/01-school/"), "%s", w);
	cr_assert_null(strstr(w, "2024/cases/1/"), "%s", w);
	cr_assert_null(strstr(w, "assets/"), "%s", w);
	free(w);
	snap_free(&a);
	snap_free(&b);
	free(text);
	free(cf);
	free(pub);
	sg_rm_rf(site);
	free(site);
}

Test(incremental, a_failed_build_leaves_public_alone)
{
	char *site = t_copy_example();
	char *pub = sg_path_join(site, "public");
	struct snap a, b;

	build(site);
	snap(pub, &a);
	t_write(site, "content/2024/cases/04-three-teachings-reform.md",
	    "---\ntitle: [broken\n---\n");
	char *args = sg_xasprintf("-C '%s' build", site);
	cr_assert_eq(t_run(args, NULL), 1);
	free(args);
	snap(pub, &b);
	char *w = rewritten(&a, &b);
	cr_assert_str_eq(w, " ");
	cr_assert_eq(a.n, b.n);
	free(w);
	snap_free(&a);
	snap_free(&b);
	free(pub);
	sg_rm_rf(site);
	free(site);
}
