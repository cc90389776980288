/*
 * Hardening, round two (issue 21): publish in a repository that another
 * git process holds, with odd locks and revisions, and what it reports.
 * Repositories are made and read with libgit2.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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

/* The message of tag name (caller frees), or NULL. */
static char *
tag_message(const char *dir, const char *name)
{
	git_repository *repo;
	git_object *o = NULL;
	char *msg = NULL;
	char *spec = sg_xasprintf("refs/tags/%s", name);

	cr_assert_eq(git_repository_open(&repo, dir), 0);
	if (git_revparse_single(&o, repo, spec) == 0 &&
	    git_object_type(o) == GIT_OBJECT_TAG)
		msg = sg_xstrdup(git_tag_message((git_tag *)o));
	git_object_free(o);
	git_repository_free(repo);
	free(spec);
	return msg;
}

Test(harden_publish, a_revision_number_at_int_max_does_not_overflow)
{
	char *dir = repo_site(), *err = NULL;
	git_repository *repo;
	git_object *r1 = NULL, *target = NULL;
	git_signature *sig;
	git_oid id;

	cr_assert_eq(publish(dir, 2024, "首次发布", &err), 0, "%s", err);
	free(err);
	/* A tag that site-gen did not make, with r1's message. */
	cr_assert_eq(git_repository_open(&repo, dir), 0);
	cr_assert_eq(git_revparse_single(&r1, repo, "refs/tags/disclosure/2024/r1"), 0);
	cr_assert_eq(git_revparse_single(&target, repo, "HEAD"), 0);
	cr_assert_eq(git_signature_now(&sig, "x", "x@example.edu.cn"), 0);
	cr_assert_eq(git_tag_create(&id, repo, "disclosure/2024/r2147483647",
	    target, sig, git_tag_message((git_tag *)r1), 0), 0);
	git_signature_free(sig);
	git_object_free(target);
	git_object_free(r1);
	git_repository_free(repo);

	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n更正。\n");
	cr_assert_eq(publish(dir, 2024, "更正", &err), 3, "%s", err);
	cr_assert(strstr(err, "r2147483647 is the highest revision number"),
	    "%s", err);
	cr_assert_null(strstr(err, "runtime error"), "%s", err);
	free(err);
	cr_assert_eq(ntags(dir), 2);
	free(dir);
}

Test(harden_publish, an_empty_or_garbage_lock_goes_stale)
{
	char *dir = repo_site(), *err = NULL;
	char *lock = sg_xasprintf("%s/.git/site-gen-publish.lock", dir);

	/* Just made: another publish may be about to write its pid. */
	t_write(dir, ".git/site-gen-publish.lock", "");
	cr_assert_eq(publish(dir, 2024, "首次发布", &err), 3, "%s", err);
	cr_assert(strstr(err, "another site-gen publish is running"), "%s", err);
	free(err);
	/* An hour old, empty or garbage: removed with a warning. */
	static const char *const texts[] = {"", "garbage\n", "12abc\n"};
	for (size_t i = 0; i < 3; i++) {
		t_write(dir, ".git/site-gen-publish.lock", texts[i]);
		struct timeval tv[2] = {{time(NULL) - 3600, 0},
		    {time(NULL) - 3600, 0}};
		cr_assert_eq(utimes(lock, tv), 0);
		char *note = sg_xasprintf("第 %zu 次", i + 1);
		char *body = sg_xasprintf("---\ntitle: 概况\n---\n%s\n", note);
		t_write(dir, "content/2024/01-a.md", body);
		free(body);
		cr_assert_eq(publish(dir, 2024, note, &err), 0, "%s", err);
		cr_assert(strstr(err, "warning: removed a lock without a process "
		    "id"), "%s", err);
		free(err);
		free(note);
		cr_assert(!sg_is_file(lock));
	}
	cr_assert_eq(ntags(dir), 3);
	free(lock);
	free(dir);
}

/* Runs publish with its stdout into *out (caller frees). */
static int
publish_out(const char *dir, int year, const char *note, char **out)
{
	const char *bin = getenv("SG_BIN");
	char *file = sg_xasprintf("%s.out", dir);
	char *cmd = sg_xasprintf("%s -C '%s' publish %d -m '%s' " AUTHOR
	    " > '%s' 2>/dev/null", bin ? bin : "build/site-gen", dir, year,
	    note, file);
	int st = system(cmd);

	*out = t_read(file, NULL);
	unlink(file);
	free(file);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

Test(harden_publish, other_changes_are_listed_in_git_status_columns)
{
	char *dir = repo_site(), *err = NULL, *out = NULL;
	git_repository *repo;
	git_index *idx;

	t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\n"
	    "year: 2023\npublished: 2023-12-27\ntemplate: zz-2024\n");
	t_write(dir, "content/2023/01-a.md", "---\ntitle: a\n---\n一。\n");
	t_write(dir, "content/2023/02-b.md", "---\ntitle: b\n---\n二。\n");
	cr_assert_eq(publish(dir, 2023, "2023", &err), 0, "%s", err);
	free(err);
	/* One change only in the work tree, one staged, one new file. */
	t_write(dir, "content/2023/01-a.md", "---\ntitle: a\n---\n一改。\n");
	t_write(dir, "content/2023/02-b.md", "---\ntitle: b\n---\n二改。\n");
	cr_assert_eq(git_repository_open(&repo, dir), 0);
	cr_assert_eq(git_repository_index(&idx, repo), 0);
	cr_assert_eq(git_index_add_bypath(idx, "content/2023/02-b.md"), 0);
	cr_assert_eq(git_index_write(idx), 0);
	git_index_free(idx);
	git_repository_free(repo);
	t_write(dir, "content/2023/03-c.md", "---\ntitle: c\n---\n三。\n");
	cr_assert_eq(publish_out(dir, 2024, "2024", &out), 0);
	cr_assert(strstr(out, "   M content/2023/01-a.md\n"), "[%s]", out);
	cr_assert(strstr(out, "  M  content/2023/02-b.md\n"), "%s", out);
	cr_assert(strstr(out, "  ?? content/2023/03-c.md\n"), "%s", out);
	free(out);
	free(dir);
}

Test(harden_publish, allowed_findings_of_another_year_are_not_recorded)
{
	char *dir = repo_site(), *err = NULL;

	t_write(dir, "content/2023/report.yml", "title: 2023 年度报告\n"
	    "year: 2023\npublished: 2023-12-27\ntemplate: zz-2024\n");
	t_write(dir, "content/2023/01-a.md", "---\ntitle: a\n---\n"
	    "[断](no-such-2023.md)\n");
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n"
	    "[断](no-such-2024.md)\n");
	cr_assert_eq(publish(dir, 2024, "首次发布", &err), 0, "%s", err);
	free(err);
	char *msg = tag_message(dir, "disclosure/2024/r1");
	cr_assert_not_null(msg);
	cr_assert(strstr(msg, "no-such-2024.md"), "%s", msg);
	cr_assert_null(strstr(msg, "no-such-2023.md"), "%s", msg);
	cr_assert_null(strstr(msg, "content/2023/"), "%s", msg);
	free(msg);
	free(dir);
}
