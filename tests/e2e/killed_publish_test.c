/*
 * A publish killed at any point leaves a valid repository: every object
 * readable, every disclosure tag on a commit that holds the report, and a
 * lock the next publish reports and takes over.
 */
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <git2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

#define AUTHOR "--author '教务处 <jwc@example.edu.cn>' --allow-findings " \
    "'照片在文本提取中丢失，附表问题待学校核实'"

static int
count_object(const git_oid *id, void *payload)
{
	git_odb *odb = ((void **)payload)[0];
	size_t *n = ((void **)payload)[1];
	git_odb_object *o;

	cr_assert_eq(git_odb_read(&o, odb, id), 0, "object %s unreadable",
	    git_oid_tostr_s(id));
	git_odb_object_free(o);
	(*n)++;
	return 0;
}

/* Checks the repository in dir; returns the number of disclosure tags. */
static size_t
check_repo(const char *dir)
{
	git_repository *repo;
	git_odb *odb;
	git_strarray tags;
	size_t nobj = 0;
	void *payload[2];

	cr_assert_eq(git_repository_open(&repo, dir), 0, "%s",
	    git_error_last() ? git_error_last()->message : "");
	cr_assert_eq(git_repository_odb(&odb, repo), 0);
	payload[0] = odb;
	payload[1] = &nobj;
	cr_assert_eq(git_odb_foreach(odb, count_object, payload), 0);
	cr_assert_gt(nobj, 0);
	cr_assert_eq(git_tag_list_match(&tags, "disclosure/2024/*", repo), 0);
	for (size_t i = 0; i < tags.count; i++) {
		char *ref = sg_xasprintf("refs/tags/%s", tags.strings[i]);
		git_object *commit;
		git_tree *tree;
		git_tree_entry *e;
		cr_assert_eq(git_revparse_single(&commit, repo, ref), 0, "%s", ref);
		git_object *peeled;
		cr_assert_eq(git_object_peel(&peeled, commit, GIT_OBJECT_COMMIT), 0);
		cr_assert_eq(git_commit_tree(&tree, (git_commit *)peeled), 0);
		cr_assert_eq(git_tree_entry_bypath(&e, tree,
		    "content/2024/report.yml"), 0, "%s lacks the report", ref);
		git_tree_entry_free(e);
		cr_assert_eq(git_tree_entry_bypath(&e, tree,
		    "content/2024/09-challenges.md"), 0);
		git_tree_entry_free(e);
		git_tree_free(tree);
		git_object_free(peeled);
		git_object_free(commit);
		free(ref);
	}
	size_t n = tags.count;
	git_strarray_dispose(&tags);
	git_odb_free(odb);
	git_repository_free(repo);
	return n;
}

Test(killed_publish, repository_stays_valid, .timeout = 600)
{
	char *site = t_copy_example();
	const char *bin = getenv("SG_BIN") ? getenv("SG_BIN") : "build/site-gen";
	char *args = sg_xasprintf("-C '%s' publish 2024 -m 首次发布 " AUTHOR, site);
	char *chapter = sg_xasprintf("%s/content/2024/09-challenges.md", site);
	char *err = NULL;
	struct timespec t0, t1;
	long ns;
	size_t tags;

	git_libgit2_init();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	free(err);
	ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	cr_assert_eq(check_repo(site), 1);
	srand(7);
	for (int i = 0; i < 20; i++) {
		char *orig = t_read(chapter, NULL);
		char *text = sg_xasprintf("%s\n修订第 %d 次。\n", orig, i);
		char *note = sg_xasprintf("修订 %d", i);
		pid_t pid;
		int st;

		sg_file_write(chapter, text, strlen(text));
		if ((pid = fork()) == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, 1);
			dup2(null, 2);
			execl(bin, bin, "-C", site, "publish", "2024", "-m", note,
			    "--author", "教务处 <jwc@example.edu.cn>",
			    "--allow-findings", "照片缺失", (char *)NULL);
			_exit(127);
		}
		struct timespec d = {0, (long)((double)rand() / RAND_MAX * ns * 1.1)};
		nanosleep(&d, NULL);
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		check_repo(site);
		free(orig);
		free(text);
		free(note);
	}
	/* The next publish goes through: a stale lock is reported and taken
	 * over, and the amendment gets the next tag. */
	tags = check_repo(site);
	free(args);
	args = sg_xasprintf("-C '%s' publish 2024 -m 最终修订 " AUTHOR, site);
	int rc = t_run(args, &err);
	cr_assert_eq(rc, 0, "%s", err);
	size_t after = check_repo(site);
	cr_assert(after == tags + 1 || (after == tags && strstr(err,
	    "nothing changed")), "tags %zu → %zu: %s", tags, after, err);
	free(err);
	free(args);
	free(chapter);
	free(site);
	git_libgit2_shutdown();
}

Test(killed_publish, stale_lock_is_reported_and_taken_over)
{
	char *site = t_copy_example();
	char *args = sg_xasprintf("-C '%s' publish 2024 -m 首次发布 " AUTHOR, site);
	char *err = NULL, *lock;
	pid_t pid;

	cr_assert_eq(t_run(args, NULL), 0);
	/* A lock naming a process that no longer runs. */
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	lock = sg_xasprintf("%s/.git/site-gen-publish.lock", site);
	char *text = sg_xasprintf("%ld\n", (long)pid);
	sg_file_write(lock, text, strlen(text));
	t_write(site, "content/2024/09-challenges.md", "---\ntitle: 挑战与对策\n"
	    "---\n改写后的一段。\n");
	free(args);
	args = sg_xasprintf("-C '%s' publish 2024 -m 修订 " AUTHOR, site);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	cr_assert(strstr(err, "warning: removed the lock of process"), "%s", err);
	cr_assert(!sg_is_file(lock));
	free(err);
	free(text);
	free(lock);
	free(args);
	free(site);
}
