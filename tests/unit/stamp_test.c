/*
 * Unit tests of the build stamp's record and check (stamp.c), in process:
 * a file changed while the build runs, keeping its size and mtime, is
 * seen by the next check (the inputs are recorded before they are read);
 * findings come back as they were recorded.
 */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "helpers.h"
#include "stamp.h"
#include "util.h"

static void
init(void)
{
	git_libgit2_init();
}

static void
fini(void)
{
	git_libgit2_shutdown();
}

TestSuite(stamp_unit, .init = init, .fini = fini, .timeout = 30);

/* A site folder with one content file, entered (each test runs in its own
 * process). */
static char *
enter_site(void)
{
	char *dir = t_tmpdir();

	t_minimal_site(dir);
	cr_assert_eq(chdir(dir), 0);
	cr_assert_eq(sg_mkdir_p("public"), 0);
	t_write(".", "public/index.html", "<p>x</p>");
	return dir;
}

/* Writes text over path in place, keeping its mtime: only the ctime (and
 * the bytes) differ then. */
static void
overwrite(const char *path, const char *text)
{
	struct stat st;
	int fd;

	cr_assert_eq(stat(path, &st), 0);
	cr_assert((fd = open(path, O_WRONLY)) >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct timespec ts[2] = {st.st_atim, st.st_mtim};
	cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* A fresh check of the stamp in the current folder: 1 if it would skip. */
static int
would_skip(char **why)
{
	struct sg_stamp *s = sg_stamp_new("public", NULL, 0);
	struct sg_stamp_result r;
	struct sg_diag d = {0};
	int skip = sg_stamp_replay(s, &d, &r);

	*why = sg_xstrdup(sg_stamp_why(s));
	sg_diag_clear(&d);
	sg_stamp_free(s);
	return skip;
}

Test(stamp_unit, a_change_in_the_same_clock_tick_is_seen)
{
	char *dir = enter_site(), *why;
	struct sg_stamp *s = sg_stamp_new("public", NULL, 0);
	struct sg_stamp_result r = {0, 1, 0, {0}};
	struct sg_diag d = {0};

	/* Written just before the build reads it, and again (same size,
	 * same mtime) while it runs: the stamp must hold the times from
	 * before, which only the ctime tells from the new ones.  Where the
	 * kernel stamps both writes with one coarse clock tick (before Linux
	 * 6.13's multigrain times), the scan waits for the tick to pass, so
	 * that the second write's ctime differs there too. */
	t_write(".", "content/2024/a.md", "first");
	sg_stamp_scan(s, &d);
	overwrite("content/2024/a.md", "again");
	sg_stamp_save(s, &r, &d);
	sg_stamp_free(s);
	cr_assert_eq(d.n, 0);
	cr_assert_eq(would_skip(&why), 0, "skipped");
	cr_assert_str_eq(why, "content/2024/a.md changed");
	free(why);

	/* Recorded with nothing changing: skipped. */
	s = sg_stamp_new("public", NULL, 0);
	sg_stamp_scan(s, &d);
	sg_stamp_save(s, &r, &d);
	sg_stamp_free(s);
	cr_assert_eq(would_skip(&why), 1, "%s", why);
	free(why);
	sg_rm_rf(dir);
	free(dir);
}

Test(stamp_unit, findings_come_back_as_recorded)
{
	char *dir = enter_site();
	struct sg_stamp *s;
	struct sg_stamp_result r = {0, 12, 34, {0}}, back = {0};
	struct sg_diag d = {0}, again = {0};

	/* Findings from before the scan are not the build's. */
	sg_diag_add(&d, SG_WARNING, "before.md", 1, 1, "not the build's");
	s = sg_stamp_new("public", NULL, 1);
	sg_stamp_scan(s, &d);
	sg_diag_rule(&d, SG_WARNING, "image-missing", "content/2024/a b.md", 3,
	    7, "tab\there, newline\nthere, 100%% %%41 =-");
	sg_diag_add(&d, SG_NOTE, NULL, 0, 0, "%s", "");
	sg_diag_rule(&d, SG_ERROR, "no-such-rule", "x.csv", 2, 0, "e");
	sg_stamp_save(s, &r, &d);
	sg_stamp_free(s);
	sg_diag_clear(&d);

	/* A keep-going build (publish --allow-findings) replays them all. */
	s = sg_stamp_new("public", NULL, 1);
	cr_assert_eq(sg_stamp_replay(s, &again, &back), 1, "%s",
	    sg_stamp_why(s));
	sg_stamp_free(s);
	cr_assert_eq(back.pages, 12);
	cr_assert_eq(back.files, 34);
	cr_assert_eq(back.rc, 0);
	cr_assert_eq(again.n, 3);
	cr_assert_eq(again.v[0].sev, SG_WARNING);
	cr_assert_str_eq(again.v[0].rule, "image-missing");
	cr_assert_str_eq(again.v[0].file, "content/2024/a b.md");
	cr_assert_eq(again.v[0].line, 3);
	cr_assert_eq(again.v[0].col, 7);
	cr_assert_str_eq(again.v[0].msg, "tab\there, newline\nthere, 100% %41 =-");
	cr_assert_eq(again.v[1].sev, SG_NOTE);
	cr_assert_null(again.v[1].file);
	cr_assert_null(again.v[1].rule);
	cr_assert_str_eq(again.v[1].msg, "");
	cr_assert_eq(again.v[2].sev, SG_ERROR);
	cr_assert_null(again.v[2].rule);	/* not a rule of this version */
	sg_diag_clear(&again);

	/* A build that stops at errors does not replay them. */
	s = sg_stamp_new("public", NULL, 0);
	cr_assert_eq(sg_stamp_replay(s, &again, &back), 0);
	cr_assert(strstr(sg_stamp_why(s), "despite content errors"), "%s",
	    sg_stamp_why(s));
	cr_assert_eq(again.n, 0);
	sg_stamp_free(s);
	sg_rm_rf(dir);
	free(dir);
}

/* The id of a file's stat, as the scan saw it. */
static int
scanned_id(const char *path, uint64_t *id)
{
	struct sg_stamp *s = sg_stamp_new("public", NULL, 0);
	struct sg_diag d = {0};
	int rc;

	sg_stamp_scan(s, &d);
	rc = sg_stamp_file_id(s, path, id);
	sg_stamp_free(s);
	sg_diag_clear(&d);
	return rc;
}

Test(stamp_unit, a_file_rewritten_in_place_gets_another_id)
{
	char *dir = enter_site();
	uint64_t a, b, c;

	t_write(".", "content/2024/cases/01-一.md", "first");
	cr_assert(scanned_id("content/2024/cases/01-一.md", &a));
	cr_assert(scanned_id("content/2024/cases/01-一.md", &b));
	cr_assert_eq(a, b, "nothing changed: the same id");
	/* Same size, same mtime: the ctime still tells. */
	overwrite("content/2024/cases/01-一.md", "again");
	cr_assert(scanned_id("content/2024/cases/01-一.md", &c));
	cr_assert_neq(a, c);
	cr_assert_not(scanned_id("content/2024/cases/02-none.md", &c));
	cr_assert_not(scanned_id("content/2024", &c), "a folder has none");
	sg_rm_rf(dir);
	free(dir);
}
