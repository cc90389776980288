/*
 * Hardening, round two (issue 21): publish in a repository that another
 * git process holds, with odd locks and revisions, and what it reports.
 * Repositories are made and read with libgit2.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

static void
init(void)
{
	t_init();
	git_libgit2_init();
	char *home = t_tmpdir();
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(home);
}

static void
fini(void)
{
	git_libgit2_shutdown();
}

TestSuite(harden_publish, .init = init, .fini = fini, .timeout = 120);

#define AUTHOR	"--author '教务处 <jwc@example.edu.cn>' --allow-findings '测试'"

/* A small site with the default theme in a new repository. */
static char *
repo_site(void)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/themes' '%s/'", t_root(), dir);
	git_repository *repo;
	git_repository_init_options o;

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	t_minimal_site(dir);
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n正文。\n");
	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.initial_head = "main";
	cr_assert_eq(git_repository_init_ext(&repo, dir, &o), 0);
	git_repository_free(repo);
	return dir;
}

static int
publish(const char *dir, int year, const char *note, char **err)
{
	char *args = sg_xasprintf("-C '%s' publish %d -m '%s' " AUTHOR, dir,
	    year, note);
	int rc = t_run(args, err);

	free(args);
	return rc;
}

static void
head_id(const char *dir, char out[41])
{
	git_repository *repo;
	git_oid id;

	out[0] = '\0';
	cr_assert_eq(git_repository_open(&repo, dir), 0);
	if (git_reference_name_to_id(&id, repo, "HEAD") == 0)
		git_oid_tostr(out, 41, &id);
	git_repository_free(repo);
}

static size_t
ntags(const char *dir)
{
	git_repository *repo;
	git_strarray a = {0};
	size_t n;

	cr_assert_eq(git_repository_open(&repo, dir), 0);
	cr_assert_eq(git_tag_list(&a, repo), 0);
	n = a.count;
	git_strarray_dispose(&a);
	git_repository_free(repo);
	return n;
}

/* The status flags libgit2 gives path. */
static unsigned
status_of(const char *dir, const char *path)
{
	git_repository *repo;
	unsigned st = 0;

	cr_assert_eq(git_repository_open(&repo, dir), 0);
	cr_assert_eq(git_status_file(&st, repo, path), 0);
	git_repository_free(repo);
	return st;
}

Test(harden_publish, a_held_index_lock_is_refused_before_committing)
{
	char *dir = repo_site(), *err = NULL, *lock;
	char before[41], after[41];

	cr_assert_eq(publish(dir, 2024, "首次发布", &err), 0, "%s", err);
	free(err);
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n更正。\n");
	lock = sg_xasprintf("%s/.git/index.lock", dir);
	t_write(dir, ".git/index.lock", "");
	head_id(dir, before);
	cr_assert_eq(publish(dir, 2024, "更正", &err), 3, "%s", err);
	cr_assert(strstr(err, ".git/index.lock: fatal: another git process "
	    "seems to be running"), "%s", err);
	free(err);
	head_id(dir, after);
	cr_assert_str_eq(before, after);
	cr_assert_eq(ntags(dir), 1);
	/* Their lock is theirs: still there, and the index untouched. */
	cr_assert(sg_is_file(lock));
	unlink(lock);
	cr_assert_eq(status_of(dir, "content/2024/01-a.md"), GIT_STATUS_WT_MODIFIED);
	/* Released, the same publish goes through. */
	cr_assert_eq(publish(dir, 2024, "更正", &err), 0, "%s", err);
	free(err);
	cr_assert_eq(ntags(dir), 2);
	cr_assert_eq(status_of(dir, "content/2024/01-a.md"), GIT_STATUS_CURRENT);
	cr_assert(!sg_is_file(lock));
	free(lock);
	free(dir);
}
