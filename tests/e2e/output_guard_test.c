/*
 * The output folder: a build replaces it whole, so it must never be a
 * folder the user wrote.  Each refusal leaves every file where it was.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(output_guard, .timeout = 120);

/* Every file below dir with its bytes, one line a file: a fingerprint to
 * compare before and after (names, sizes and bytes).  Caller frees. */
static char *
snapshot(const char *dir)
{
	struct sg_buf b = {0};
	size_t n, len;
	char **files = t_files(dir, &n);

	for (size_t i = 0; i < n; i++) {
		char *p = sg_path_join(dir, files[i]), *text = t_read(p, &len);
		sg_buf_printf(&b, "%s %zu\n", files[i], text ? len : 0);
		if (text)
			sg_buf_add(&b, text, len);
		free(text);
		free(p);
	}
	t_free_list(files, n);
	return sg_buf_take(&b);
}

/* Runs build -o out in site; returns the status, *err its stderr. */
static int
build_to(const char *site, const char *out, const char *more, char **err)
{
	char *a = sg_xasprintf("-q -C '%s' build -o '%s' %s", site, out, more);
	int rc = t_run(a, err);

	free(a);
	return rc;
}

/* A build into out is refused with status 2, says why (needle), and leaves
 * the whole site as it was. */
static void
refused(const char *out, const char *needle)
{
	char *site = t_copy_example(), *err;
	t_write(site, ".git/config", "[core]\n\tbare = false\n");
	t_write(site, "schemas/zz-2024.yml.keep", "x\n");
	char *before = snapshot(site);

	cr_assert_eq(build_to(site, out, "", &err), 2, "-o %s: %s", out, err);
	cr_assert(strstr(err, needle), "-o %s: %s", out, err);
	char *after = snapshot(site);
	cr_assert_str_eq(after, before, "-o %s changed the site", out);
	free(after);
	free(before);
	free(err);
	/* --force-output does not open these. */
	cr_assert_eq(build_to(site, out, "--force-output", &err), 2, "%s", err);
	after = snapshot(site);
	free(after);
	free(err);
	sg_rm_rf(site);
	free(site);
}

Test(output_guard, refuses_the_site_and_what_it_holds)
{
	refused("content", "inside the site's content/");
	refused("content/2024", "inside the site's content/");
	refused(".git", "inside the site's .git/");
	refused("themes/default", "inside the site's themes/");
	refused("schemas", "inside the site's schemas/");
	refused(".", "the site folder itself");
	refused("./", "the site folder itself");
	refused("..", "a folder above the site");
	refused("new/../content", "inside the site's content/");
}

Test(output_guard, refuses_a_folder_of_the_users_unless_forced)
{
	char *site = t_copy_example(), *err;
	char *victim = sg_path_join(site, "victim");
	char *keep = sg_path_join(site, "victim/important.txt");

	t_write(site, "victim/important.txt", "mine\n");
	cr_assert_eq(build_to(site, "victim/", "", &err), 2, "%s", err);
	cr_assert(strstr(err, "--force-output"), "%s", err);
	free(err);
	char *text = t_read(keep, NULL);
	cr_assert_str_eq(text, "mine\n");
	free(text);

	/* Asked for in so many words, the folder is replaced. */
	cr_assert_eq(build_to(site, "victim", "--force-output", &err), 0, "%s",
	    err);
	free(err);
	cr_assert(!sg_is_file(keep));
	char *idx = sg_path_join(victim, "index.html");
	cr_assert(sg_is_file(idx));
	free(idx);
	/* From then on it is a build's folder: no flag needed. */
	cr_assert_eq(build_to(site, "victim", "--force", &err), 0, "%s", err);
	free(err);
	sg_rm_rf(site);
	free(keep);
	free(victim);
	free(site);
}

Test(output_guard, an_empty_or_new_folder_and_a_builds_folder_are_fine)
{
	char *site = t_copy_example(), *err;
	char *empty = sg_path_join(site, "empty");

	mkdir(empty, 0755);
	cr_assert_eq(build_to(site, "empty", "", &err), 0, "%s", err);
	free(err);
	cr_assert_eq(build_to(site, "deep/new/out", "", &err), 0, "%s", err);
	free(err);

	/* A build that failed removes the stamp; the folder stays a build's. */
	cr_assert_eq(build_to(site, "public", "", &err), 0, "%s", err);
	free(err);
	char *stamp = sg_path_join(site, ".public.sg-stamp");
	cr_assert(unlink(stamp) == 0);
	cr_assert_eq(build_to(site, "public", "", &err), 0, "%s", err);
	free(err);

	/* A file is not a folder to replace. */
	t_write(site, "notes.txt", "mine\n");
	cr_assert_eq(build_to(site, "notes.txt", "--force-output", &err), 2,
	    "%s", err);
	cr_assert(strstr(err, "not a folder"), "%s", err);
	free(err);
	char *np = sg_path_join(site, "notes.txt"), *text = t_read(np, NULL);
	cr_assert_str_eq(text, "mine\n");
	free(text);
	free(np);
	free(stamp);
	sg_rm_rf(site);
	free(empty);
	free(site);
}

Test(output_guard, a_link_to_content_is_refused)
{
	char *site = t_copy_example(), *err;
	char *link = sg_path_join(site, "out");

	cr_assert(symlink("content", link) == 0);
	cr_assert_eq(build_to(site, "out", "--force-output", &err), 2, "%s",
	    err);
	cr_assert(strstr(err, "content/"), "%s", err);
	free(err);
	char *md = sg_path_join(site, "content/2024/01-school.md");
	cr_assert(sg_is_file(md));
	free(md);
	sg_rm_rf(site);
	free(link);
	free(site);
}

Test(output_guard, an_empty_output_name_is_a_usage_error)
{
	char *site = t_copy_example(), *err;

	cr_assert_eq(build_to(site, "", "", &err), 2, "%s", err);
	cr_assert(strstr(err, "-o wants a folder name"), "%s", err);
	free(err);
	sg_rm_rf(site);
	free(site);
}
