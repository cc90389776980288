/*
 * source_git: the content-source interface over a git tree gives what the
 * filesystem source gives for the same files, and a site loads from it.
 */
#include <criterion/criterion.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "source.h"
#include "util.h"

static void
init(void)
{
	t_init();
	git_libgit2_init();
}

static void
fini(void)
{
	git_libgit2_shutdown();
}

TestSuite(source_git, .init = init, .fini = fini);

/* dir's files as a tree in a new repository there (libgit2 only). */
static git_tree *
tree_of(const char *dir, git_repository **repo)
{
	git_index *idx;
	git_oid id;
	git_tree *t;
	git_strarray all = {0};

	cr_assert_eq(git_repository_init(repo, dir, 0), 0);
	cr_assert_eq(git_repository_index(&idx, *repo), 0);
	cr_assert_eq(git_index_add_all(idx, &all, 0, NULL, NULL), 0);
	cr_assert_eq(git_index_write_tree(&id, idx), 0);
	git_index_free(idx);
	cr_assert_eq(git_tree_lookup(&t, *repo, &id), 0);
	return t;
}

Test(source_git, reads_lists_and_kinds_like_the_filesystem)
{
	char *dir = t_tmpdir();
	git_repository *repo;
	struct sg_strv names = {0};
	char *data;
	size_t len;

	t_minimal_site(dir);
	t_write(dir, "content/2024/b.md", "乙");
	t_write(dir, "content/2024/a.md", "甲");
	t_write(dir, "content/2024/cases/01-x.md", "案例");
	t_write(dir, "content/2024/.hidden", "x");
	git_tree *t = tree_of(dir, &repo);
	struct sg_source *s = sg_source_git_new(t);
	git_tree_free(t);	/* the source keeps its own reference */

	cr_assert_eq(s->ops->read(s->ctx, "content/2024/a.md", &data, &len), 0);
	cr_assert_eq(len, strlen("甲"));
	cr_assert_str_eq(data, "甲");
	free(data);
	cr_assert_eq(s->ops->read(s->ctx, "content/2024/none.md", &data, &len),
	    -1);
	cr_assert_eq(s->ops->read(s->ctx, "content/2024", &data, &len), -1);
	cr_assert_eq(sg_source_kind(s, "content/2024"), SG_SOURCE_DIR);
	cr_assert_eq(sg_source_kind(s, "site.yml"), SG_SOURCE_FILE);
	cr_assert_eq(sg_source_kind(s, "nothing"), 0);
	cr_assert_null(sg_source_realpath(s, "site.yml"));

	cr_assert_eq(sg_source_list(s, "content/2024", SG_SOURCE_FILE, &names), 0);
	cr_assert_eq(names.n, 3);
	cr_assert_str_eq(names.v[0], "a.md");
	cr_assert_str_eq(names.v[1], "b.md");
	cr_assert_str_eq(names.v[2], "report.yml");
	sg_strv_clear(&names);
	cr_assert_eq(sg_source_list(s, "content/2024", SG_SOURCE_DIR, &names), 0);
	cr_assert_eq(names.n, 1);
	cr_assert_str_eq(names.v[0], "cases");
	sg_strv_clear(&names);
	cr_assert_eq(sg_source_list(s, ".", SG_SOURCE_FILE | SG_SOURCE_DIR,
	    &names), 0);
	cr_assert_eq(names.n, 2);
	sg_strv_clear(&names);
	cr_assert_eq(sg_source_list(s, "site.yml", SG_SOURCE_FILE, &names), -1);
	sg_source_free(s);
	git_repository_free(repo);
	free(dir);
}

Test(source_git, an_archive_loads_under_its_prefix)
{
	char *dir = t_tmpdir();
	git_repository *repo;
	struct sg_diag d = {0};

	t_minimal_site(dir);
	t_write(dir, "content/2023/report.yml", "title: 2023\nyear: 2023\n"
	    "published: 2023-12-01\ntemplate: zz-2024\n");
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n\n见"
	    "[案例](cases/01-x.md)。\n");
	t_write(dir, "content/2024/cases/01-x.md", "---\ntitle: 一个案例\n---\n"
	    "正文。\n");
	git_tree *t = tree_of(dir, &repo);
	struct sg_source *s = sg_source_git_new(t);
	git_tree_free(t);
	struct sg_site *site = sg_load_archive(s, 2024, "2024/r3/", NULL, &d);

	cr_assert_eq(site->nreports, 1, "only the year asked for");
	cr_assert_eq(site->reports[0].year, 2024);
	cr_assert_str_eq(site->reports[0].prefix, "2024/r3/");
	cr_assert_str_eq(site->reports[0].chapters[0].doc.page, "2024/r3/01-a/");
	cr_assert_str_eq(site->reports[0].cases[0].doc.page, "2024/r3/cases/1/");
	cr_assert(!sg_diag_failed(&d));
	sg_load_free(site);
	sg_source_free(s);
	sg_diag_clear(&d);
	git_repository_free(repo);
	free(dir);
}
