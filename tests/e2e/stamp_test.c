/*
 * End to end: the build stamp.  A second build with nothing changed is
 * skipped: it says so, touches no output file and reports the same
 * findings with the same exit status.  Each thing the output depends on,
 * changed, makes the next build a real one whose output shows the
 * change; so do a damaged stamp and --force.  A failed build leaves no
 * stamp behind.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <fcntl.h>
#include <git2.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "history.h"
#include "util.h"

static void
init(void)
{
	t_init();
	git_libgit2_init();
	/* No user-level git configuration. */
	char *home = t_tmpdir();
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	free(home);
}

static void
fini(void)
{
	git_libgit2_shutdown();
}

TestSuite(stamp, .init = init, .fini = fini, .timeout = 180);

/* Runs site-gen -C site ARGS; its standard output and error in *out and
 * *err (caller frees). */
static int
run(const char *site, const char *args, char **out, char **err)
{
	const char *bin = getenv("SG_BIN");
	char of[] = "/tmp/sg-out-XXXXXX", ef[] = "/tmp/sg-err-XXXXXX";
	int fo = mkstemp(of), fe = mkstemp(ef), st;

	cr_assert(fo >= 0 && fe >= 0);
	close(fo);
	close(fe);
	char *cmd = sg_xasprintf("'%s' -C '%s' %s >%s 2>%s", bin ? bin :
	    "build/site-gen", site, args, of, ef);
	st = system(cmd);
	free(cmd);
	*out = t_read(of, NULL);
	*err = t_read(ef, NULL);
	/* Sanitizer reports go to the test log, where make asan looks. */
	if (*err && (strstr(*err, "Sanitizer") || strstr(*err, "runtime error:")))
		fprintf(stderr, "site-gen %s:\n%s\n", args, *err);
	unlink(of);
	unlink(ef);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int
skipped(const char *out)
{
	return strstr(out, "site-gen: nothing changed since the last build of "
	    "public (") != NULL;
}

static int
built(const char *out)
{
	int p, f;

	return sscanf(out, "site-gen: %d pages and %d files in public: ", &p,
	    &f) == 2;
}

/* A build of site into public/ that is real, or skipped (want_skip). */
static void
build(const char *site, int want_skip)
{
	char *out, *err;
	int rc = run(site, "build", &out, &err);

	cr_assert_eq(rc, 0, "%s", err);
	if (want_skip)
		cr_assert(skipped(out), "not skipped: %s", out);
	else
		cr_assert(built(out), "not built: %s", out);
	free(out);
	free(err);
}

/* A real build, which -v says is one because of why. */
static void
rebuild(const char *site, const char *why)
{
	char *out, *err;
	int rc = run(site, "-v build", &out, &err);
	char *line = sg_xasprintf("site-gen: building: %s", why);

	cr_assert_eq(rc, 0, "%s", err);
	cr_assert(built(out), "skipped: %s", out);
	cr_assert(strstr(err, line), "expected '%s' in:\n%.2000s", line, err);
	free(line);
	free(out);
	free(err);
}

/* Every file and folder below dir, with its stat. */
struct snap {
	char		**files;
	size_t		  n;
	struct stat	 *st;
	struct stat	  root;
};

static void
snap(const char *dir, struct snap *s)
{
	s->files = t_files(dir, &s->n);
	s->st = sg_xcalloc(s->n, sizeof(*s->st));
	cr_assert_eq(lstat(dir, &s->root), 0);
	for (size_t i = 0; i < s->n; i++) {
		char *p = sg_path_join(dir, s->files[i]);
		cr_assert_eq(lstat(p, &s->st[i]), 0);
		free(p);
	}
}

static int
same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
	    a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Asserts a and b are the same files, untouched. */
static void
snap_same(const struct snap *a, const struct snap *b)
{
	cr_assert_eq(a->n, b->n);
	cr_assert(same_stat(&a->root, &b->root), "the output folder was replaced");
	for (size_t i = 0; i < a->n; i++) {
		cr_assert_str_eq(a->files[i], b->files[i]);
		cr_assert(same_stat(&a->st[i], &b->st[i]), "%s was touched",
		    a->files[i]);
	}
}

static void
snap_free(struct snap *s)
{
	t_free_list(s->files, s->n);
	free(s->st);
}

/* 1 if the file holds needle. */
static int
holds(const char *site, const char *rel, const char *needle)
{
	char *p = sg_path_join(site, rel), *text = t_read(p, NULL);
	int in = text && strstr(text, needle) != NULL;

	free(text);
	free(p);
	return in;
}


/* Sets the file's mtime back to what it was: only its ctime shows the
 * change then. */
static void
set_mtime(const char *site, const char *rel, const struct stat *was)
{
	char *p = sg_path_join(site, rel);
	struct timespec ts[2] = {was->st_atim, was->st_mtim};

	cr_assert_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
	free(p);
}

static void
stat_of(const char *site, const char *rel, struct stat *st)
{
	char *p = sg_path_join(site, rel);

	cr_assert_eq(stat(p, st), 0, "%s", p);
	free(p);
}

Test(stamp, second_build_is_skipped_with_the_same_findings)
{
	char *site = t_copy_example(), *out1, *err1, *out2, *err2;
	char *pub = sg_path_join(site, "public");
	struct snap a, b;
	int rc1, rc2;

	rc1 = run(site, "build", &out1, &err1);
	cr_assert_eq(rc1, 0, "%s", err1);
	cr_assert(built(out1), "%s", out1);
	/* The example's 93 warnings. */
	cr_assert(strstr(err1, "93 warnings"), "%s", err1);
	snap(pub, &a);
	rc2 = run(site, "build", &out2, &err2);
	snap(pub, &b);
	cr_assert_eq(rc2, rc1);
	cr_assert(skipped(out2), "%s", out2);
	int pages, files, warns;
	cr_assert_eq(sscanf(out2, "site-gen: nothing changed since the last "
	    "build of public (%d pages and %d files); %d warnings; ", &pages,
	    &files, &warns), 3, "%s", out2);
	cr_assert_gt(pages, 30);
	cr_assert_gt(files, 30);
	cr_assert_eq(warns, 93);
	char *counts = sg_xasprintf("%d pages and %d files", pages, files);
	cr_assert(strstr(out1, counts), "%s / %s", out1, out2);
	free(counts);
	/* The same findings, word for word, and not a file touched. */
	cr_assert_str_eq(err2, err1);
	snap_same(&a, &b);

	/* The stamp is beside public/, never published. */
	char *sp = sg_path_join(site, ".public.sg-stamp");
	struct stat st;
	cr_assert_eq(stat(sp, &st), 0);
	for (size_t i = 0; i < a.n; i++)
		cr_assert_null(strstr(a.files[i], "stamp"), "%s", a.files[i]);
	free(sp);

	/* -q: the findings only, and still skipped. */
	free(out2);
	free(err2);
	cr_assert_eq(run(site, "-q build", &out2, &err2), 0);
	cr_assert_str_eq(out2, "");
	cr_assert(strstr(err2, "warning: missing image"), "%s", err2);
	snap_free(&b);
	snap(pub, &b);
	snap_same(&a, &b);

	snap_free(&a);
	snap_free(&b);
	free(out1);
	free(err1);
	free(out2);
	free(err2);
	free(pub);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, stamp_sits_beside_any_output_folder)
{
	char *site = t_copy_example(), *out, *err;
	char *args = sg_xasprintf("build -o '%s/out/www/'", site);

	cr_assert_eq(run(site, args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, " files in "), "%s", out);
	free(out);
	free(err);
	char *sp = sg_path_join(site, "out/.www.sg-stamp");
	struct stat st;
	cr_assert_eq(stat(sp, &st), 0);
	cr_assert_eq(run(site, args, &out, &err), 0, "%s", err);
	cr_assert(strstr(out, "nothing changed since the last build of"), "%s",
	    out);
	free(out);
	free(err);
	/* Another output folder is another build. */
	cr_assert_eq(run(site, "build", &out, &err), 0, "%s", err);
	cr_assert(built(out), "%s", out);
	free(out);
	free(err);
	free(sp);
	free(args);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, an_edited_chapter_rebuilds)
{
	char *site = t_copy_example();

	build(site, 0);
	build(site, 1);
	t_replace(site, "content/2024/01-school.md", "## （一）学校概况",
	    "## （一）学校概况\n\n新增的一句说明文字。\n");
	rebuild(site, "content/2024/01-school.md changed");
	cr_assert(holds(site, "public/2024/01-school/index.html",
	    "新增的一句说明文字。"));
	/* And the build after that is skipped again. */
	build(site, 1);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, an_image_of_a_new_size_rebuilds)
{
	char *site = t_copy_example();
	struct stat was, now;

	/* One of the lost photos, found. */
	t_write(site, "content/2024/images/8-01.jpg", "first photo");
	build(site, 0);
	build(site, 1);
	stat_of(site, "public/2024/images/8-01.jpg", &now);
	cr_assert_eq(now.st_size, 11);
	/* New bytes, the old mtime: the size and ctime show it. */
	stat_of(site, "content/2024/images/8-01.jpg", &was);
	t_write(site, "content/2024/images/8-01.jpg", "a longer second photo");
	set_mtime(site, "content/2024/images/8-01.jpg", &was);
	rebuild(site, "content/2024/images/8-01.jpg changed");
	stat_of(site, "public/2024/images/8-01.jpg", &now);
	cr_assert_eq(now.st_size, 21);
	cr_assert(holds(site, "public/2024/images/8-01.jpg", "second photo"));
	sg_rm_rf(site);
	free(site);
}

Test(stamp, the_same_size_and_mtime_still_rebuilds)
{
	char *site = t_copy_example();
	struct stat was;

	build(site, 0);
	/* An edit that keeps the size and puts the mtime back, as cp -p or
	 * rsync -t over a file would: the ctime still shows it. */
	stat_of(site, "content/2024/cases/06-sheying.md", &was);
	t_replace(site, "content/2024/cases/06-sheying.md", "第三，", "第四，");
	set_mtime(site, "content/2024/cases/06-sheying.md", &was);
	rebuild(site, "content/2024/cases/06-sheying.md changed");
	cr_assert(holds(site, "public/2024/cases/6/index.html", "第四，"));
	sg_rm_rf(site);
	free(site);
}

Test(stamp, a_new_case_rebuilds)
{
	char *site = t_copy_example();
	struct stat st;

	build(site, 0);
	t_write(site, "content/2024/cases/07-new.md", "---\ntitle: 新的案例\n"
	    "summary: 一个新案例。\n---\n\n新案例的正文。\n");
	rebuild(site, "content/2024/cases changed");
	char *p = sg_path_join(site, "public/2024/cases/7/index.html");
	cr_assert_eq(stat(p, &st), 0);
	htmlDocPtr doc = t_html(p);
	cr_assert_not_null(doc);
	cr_assert_eq(t_count(doc, "//h1[contains(., '新的案例')]"), 1);
	xmlFreeDoc(doc);
	free(p);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, a_deleted_case_rebuilds)
{
	char *site = t_copy_example();
	char *p = sg_path_join(site, "public/2024/cases/7/index.html");
	struct stat st;

	/* The example's cases are all linked from chapters: one that is not. */
	t_write(site, "content/2024/cases/07-new.md", "---\ntitle: 新的案例\n"
	    "summary: 一个新案例。\n---\n\n新案例的正文。\n");
	build(site, 0);
	cr_assert_eq(stat(p, &st), 0);
	build(site, 1);
	char *cf = sg_path_join(site, "content/2024/cases/07-new.md");
	cr_assert_eq(unlink(cf), 0);
	rebuild(site, "content/2024/cases changed");
	cr_assert_eq(stat(p, &st), -1, "the deleted case's page is left");
	free(cf);
	free(p);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, an_edited_template_rebuilds)
{
	char *site = t_copy_example();

	build(site, 0);
	t_replace(site, "themes/default/layout.html", "<body",
	    "<body data-stamp-test=\"1\"");
	rebuild(site, "themes/default/layout.html changed");
	cr_assert(holds(site, "public/index.html", "data-stamp-test=\"1\""));
	cr_assert(holds(site, "public/2024/01-school/index.html",
	    "data-stamp-test=\"1\""));
	sg_rm_rf(site);
	free(site);
}

Test(stamp, a_theme_given_with_theme_is_covered)
{
	char *site = t_copy_example(), *out, *err;
	char *theme = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/themes/default/.' '%s/'", t_root(),
	    theme);
	char *args = sg_xasprintf("build --theme '%s'", theme);

	cr_assert_eq(system(cmd), 0);
	/* Another theme folder than the last build: a real build. */
	build(site, 0);
	cr_assert_eq(run(site, args, &out, &err), 0, "%s", err);
	cr_assert(built(out), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(run(site, args, &out, &err), 0, "%s", err);
	cr_assert(skipped(out), "%s", out);
	free(out);
	free(err);
	/* A file of it edited. */
	t_replace(theme, "layout.html", "<body", "<body data-outside=\"1\"");
	free(args);
	args = sg_xasprintf("-v build --theme '%s'", theme);
	cr_assert_eq(run(site, args, &out, &err), 0, "%s", err);
	cr_assert(built(out), "%s", out);
	cr_assert(strstr(err, "layout.html changed"), "%.2000s", err);
	cr_assert(holds(site, "public/index.html", "data-outside=\"1\""));
	free(out);
	free(err);
	free(args);
	free(cmd);
	sg_rm_rf(theme);
	free(theme);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, an_edited_site_yml_rebuilds)
{
	char *site = t_copy_example();

	build(site, 0);
	t_replace(site, "site.yml", "motto: 修身立业 博技创新",
	    "motto: 修身立业 博技创新 笃行致远");
	rebuild(site, "site.yml changed");
	cr_assert(holds(site, "public/index.html", "笃行致远"));
	sg_rm_rf(site);
	free(site);
}

/* ---- git ---- */

Test(stamp, a_new_commit_or_tag_rebuilds)
{
	char *site = t_copy_example(), *v;
	git_repository *repo;
	git_repository_init_options o;

	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.initial_head = "main";
	cr_assert_eq(git_repository_init_ext(&repo, site, &o), 0);
	/* 2024-12-01 08:00 UTC. */
	t_git_commit(repo, "first", 1733040000);
	build(site, 0);
	v = t_lastmod(site, "2024/01-school/");
	cr_assert_str_eq(v, "2024-12-01T08:00:00Z");
	free(v);
	build(site, 1);

	/* A change committed (2024-12-20 10:00 UTC): the work tree's files
	 * are as they were, HEAD and the index are not. */
	char *p = sg_path_join(site, "content/2024/01-school.md");
	struct stat was;
	cr_assert_eq(stat(p, &was), 0);
	t_replace(site, "content/2024/01-school.md", "## （一）学校概况",
	    "## （一）学校概况\n\n一句。\n");
	build(site, 0);
	v = t_lastmod(site, "2024/01-school/");
	cr_assert_str_neq(v, "2024-12-01T08:00:00Z");	/* now: uncommitted */
	free(v);
	build(site, 1);
	t_git_commit(repo, "second", 1734688800);
	rebuild(site, "the git repository (HEAD, tags, index or configuration) "
	    "changed");
	v = t_lastmod(site, "2024/01-school/");
	cr_assert_str_eq(v, "2024-12-20T10:00:00Z");
	free(v);
	build(site, 1);

	/* A disclosure tag: the revision's archive appears. */
	git_object *head;
	git_signature *sig;
	git_oid tid;
	cr_assert_eq(git_revparse_single(&head, repo, "HEAD"), 0);
	cr_assert_eq(git_signature_new(&sig, "教务处", "jwc@example.edu.cn",
	    1734688900, 480), 0);
	char *msg = sg_history_message("首次发布", 2024, 1,
	    "2024-12-20T18:01:40+08:00", NULL, NULL);
	cr_assert_eq(git_tag_create(&tid, repo, "disclosure/2024/r1", head, sig,
	    msg, 0), 0);
	free(msg);
	git_signature_free(sig);
	git_object_free(head);
	char *arch = sg_path_join(site, "public/2024/r1/01-school/index.html");
	struct stat st;
	cr_assert_eq(stat(arch, &st), -1);
	rebuild(site, "the git repository (HEAD, tags, index or configuration) "
	    "changed");
	cr_assert_eq(stat(arch, &st), 0, "no archive of r1");
	build(site, 1);

	/* git status rewrites the index to refresh its stat cache: what the
	 * index says is the same, and the build is skipped. */
	git_index *idx;
	cr_assert_eq(git_repository_index(&idx, repo), 0);
	cr_assert_eq(git_index_read(idx, 1), 0);
	struct stat i1, i2;
	char *ip = sg_path_join(site, ".git/index");
	cr_assert_eq(stat(ip, &i1), 0);
	cr_assert_eq(git_index_write(idx), 0);
	cr_assert_eq(stat(ip, &i2), 0);
	cr_assert(i1.st_ino != i2.st_ino || i1.st_ctim.tv_nsec !=
	    i2.st_ctim.tv_nsec, "the index was not written");
	build(site, 1);
	/* A file taken out of the index (git rm --cached): the work tree
	 * is the same, but the page is uncommitted now. */
	cr_assert_eq(git_index_remove_bypath(idx, "content/2024/01-school.md"),
	    0);
	cr_assert_eq(git_index_write(idx), 0);
	git_index_free(idx);
	rebuild(site, "the git repository (HEAD, tags, index or configuration) "
	    "changed");
	v = t_lastmod(site, "2024/01-school/");
	cr_assert_str_neq(v, "2024-12-20T10:00:00Z");
	cr_assert_str_neq(v, "");
	free(v);
	free(ip);
	free(arch);
	free(p);
	git_repository_free(repo);
	sg_rm_rf(site);
	free(site);
}

/* ---- the output ---- */

Test(stamp, a_file_deleted_from_the_output_rebuilds)
{
	char *site = t_copy_example();
	char *p = sg_path_join(site, "public/2024/01-school/index.html");
	char *before, *after;

	build(site, 0);
	before = t_read(p, NULL);
	cr_assert_not_null(before);
	cr_assert_eq(unlink(p), 0);
	rebuild(site, "public/2024/01-school changed");
	after = t_read(p, NULL);
	cr_assert_not_null(after, "not written again");
	cr_assert_str_eq(after, before);
	free(before);
	free(after);
	/* A whole folder of it. */
	char *dir = sg_path_join(site, "public/2024/cases");
	cr_assert_eq(sg_rm_rf(dir), 0);
	rebuild(site, "public/2024 changed");
	cr_assert(holds(site, "public/2024/cases/6/index.html", "摄影"));
	free(dir);
	free(p);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, a_file_changed_in_the_output_rebuilds)
{
	char *site = t_copy_example();
	char *p = sg_path_join(site, "public/index.html");
	char *before, *after;
	struct stat was, now;
	size_t n;

	build(site, 0);
	before = t_read(p, &n);
	cr_assert_not_null(before);
	stat_of(site, "public/index.html", &was);
	/* The same size, the old mtime, written in place. */
	char *edited = sg_xstrdup(before);
	char *at = strstr(edited, "<title>");
	cr_assert_not_null(at);
	memcpy(at, "<TITLE>", 7);
	int fd = open(p, O_WRONLY);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, edited, n), (ssize_t)n);
	close(fd);
	set_mtime(site, "public/index.html", &was);
	stat_of(site, "public/index.html", &now);
	cr_assert_eq(now.st_size, was.st_size);
	cr_assert_eq(now.st_ino, was.st_ino);
	rebuild(site, "public/index.html changed");
	after = t_read(p, NULL);
	cr_assert_str_eq(after, before);
	free(edited);
	free(before);
	free(after);
	free(p);
	sg_rm_rf(site);
	free(site);
}

/* ---- the stamp itself ---- */

/* The stamp's checksum: FNV-1a, 64 bits (checked against the published
 * vectors in util_test.c). */
static unsigned long long
fnv(const char *p, size_t n)
{
	return sg_fnv1a64(SG_FNV64_INIT, p, n);
}

/* text (a whole stamp without its last line) with a right checksum. */
static void
write_signed(const char *path, const char *text, size_t len)
{
	struct sg_buf b = {0};

	sg_buf_add(&b, text, len);
	sg_buf_printf(&b, "end %016llx\n", fnv(text, len));
	cr_assert_eq(sg_file_write(path, b.data, b.len), 0);
	sg_buf_clear(&b);
}

/* The stamp with from replaced by to (first occurrence), re-signed. */
static void
resign(const char *path, const char *good, size_t len, const char *from,
    const char *to)
{
	const char *at = strstr(good, from);
	struct sg_buf b = {0};
	size_t body = len - 21;		/* without "end HEX\n" */

	cr_assert(at && (size_t)(at - good) < body, "'%s' not in the stamp",
	    from);
	sg_buf_add(&b, good, (size_t)(at - good));
	sg_buf_puts(&b, to);
	sg_buf_add(&b, at + strlen(from), body - (size_t)(at - good) -
	    strlen(from));
	write_signed(path, b.data, b.len);
	sg_buf_clear(&b);
}

Test(stamp, a_damaged_stamp_means_a_full_build)
{
	char *site = t_copy_example();
	char *sp = sg_path_join(site, ".public.sg-stamp");
	char *good;
	size_t len;

	build(site, 0);
	good = t_read(sp, &len);
	cr_assert_not_null(good);
	cr_assert_gt(len, 1000);
	cr_assert(sg_has_suffix(good, "\n"));
	/* A re-signed copy of the good one is good: the checksum is what
	 * the tests below think it is. */
	resign(sp, good, len, "[findings]", "[findings]");
	build(site, 1);

	/* Cut short anywhere. */
	size_t cuts[] = {0, 1, 20, 40, len / 3, len / 2, len - 22, len - 21,
	    len - 2, len - 1};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(*cuts); i++) {
		cr_assert_eq(sg_file_write(sp, good, cuts[i]), 0);
		rebuild(site, "the build stamp is damaged or of another version");
	}
	/* One byte changed. */
	char *bad = sg_xstrdup(good);
	bad[len / 2] ^= 1;
	cr_assert_eq(sg_file_write(sp, bad, len), 0);
	rebuild(site, "the build stamp is damaged or of another version");
	free(bad);
	/* Another version of site-gen wrote it. */
	resign(sp, good, len, "site-gen build stamp 1 ", "site-gen build stamp 0 ");
	rebuild(site, "the build stamp is damaged or of another version");
	/* Checksums right, contents wrong: never believed, never a crash. */
	const char *lies[][2] = {
		{"\n[findings]\n", "\n[findings]\nf 1 2\n"},
		{"\n[findings]\n", "\n[findings]\nf 9 1 1 - =x =y\n"},
		{"\n[findings]\n", "\n[findings]\nf 1 1 1 - =x =%zz\n"},
		{"\n[findings]\n", "\n[findings]\nf 1 1 1 - =x =%00\n"},
		{"\n[findings]\n", "\n[findings]\nf 1 99999999999 1 - =x =y\n"},
		{"\n[result]\nresult 0 ", "\n[result]\nresult x "},
		{"\n[result]\nresult 0 ", "\n[result]\nresult 0 0 0 0 "},
		{"\n[result]\n", "\n"},
		{"[tree 1 =.]\n", "[tree 1 ]\n"},
		{"[tree 1 =.]\n", "[tree 2 =.]\n"},
		{"[tree 1 =.]\n", "[tree 1 =.]\ngarbage\n"},
		{"[env]\n", "[nv]\n"},
		{"[env]\n", ""},
	};
	for (size_t i = 0; i < sizeof(lies) / sizeof(*lies); i++) {
		resign(sp, good, len, lies[i][0], lies[i][1]);
		char *out, *err;
		int rc = run(site, "build", &out, &err);
		cr_assert_eq(rc, 0, "%s: %s", lies[i][1], err);
		cr_assert(built(out), "believed '%s': %s", lies[i][1], out);
		free(out);
		free(err);
	}
	/* Intact, but a record that does not hold: site.yml recorded as
	 * missing. */
	const char *eol = strstr(good, " =site.yml\n");
	cr_assert_not_null(eol);
	const char *bol = eol;
	while (bol > good && bol[-1] != '\n')
		bol--;
	char *line = sg_xstrndup(bol, (size_t)(eol - bol) + 11);
	resign(sp, good, len, line, "- 2 =site.yml\n");
	free(line);
	rebuild(site, "site.yml is new");
	build(site, 1);

	/* Unreadable: a folder in its place.  The build goes on; the stamp
	 * cannot be written, which -v says. */
	cr_assert_eq(unlink(sp), 0);
	cr_assert_eq(mkdir(sp, 0755), 0);
	char *out, *err;
	cr_assert_eq(run(site, "-v build", &out, &err), 0);
	cr_assert(built(out), "%s", out);
	cr_assert(strstr(err, "the build stamp cannot be read"), "%.2000s", err);
	cr_assert(strstr(err, "cannot write the build stamp"), "%.2000s", err);
	free(out);
	free(err);
	cr_assert_eq(rmdir(sp), 0);
	build(site, 0);
	build(site, 1);
	free(good);
	free(sp);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, replayed_findings_are_the_recorded_ones)
{
	char *site = t_copy_example();
	char *sp = sg_path_join(site, ".public.sg-stamp");
	char *good, *out, *err;
	size_t len;

	build(site, 0);
	good = t_read(sp, &len);
	/* What the stamp says is what is shown: a finding with every odd
	 * character a message can have. */
	resign(sp, good, len, "\n[findings]\n", "\n[findings]\n"
	    "f 1 7 3 =unit =content/2024/a%20b.md =one%0atwo%25%20three\n");
	cr_assert_eq(run(site, "build", &out, &err), 0);
	cr_assert(skipped(out), "%s", out);
	cr_assert(strstr(out, "; 94 warnings;"), "%s", out);
	/* A line break is shown, not printed (issue 21). */
	cr_assert(strstr(err, "content/2024/a b.md:7:3: warning: one\\ntwo% "
	    "three\n"), "%.3000s", err);
	free(out);
	free(err);
	free(good);
	free(sp);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, force_always_builds)
{
	char *site = t_copy_example(), *out, *err;
	char *pub = sg_path_join(site, "public");
	struct snap a, b;

	build(site, 0);
	snap(pub, &a);
	cr_assert_eq(run(site, "build --force", &out, &err), 0, "%s", err);
	cr_assert(built(out), "%s", out);
	/* Nothing changed: every file kept. */
	cr_assert(strstr(out, ": 0 written, "), "%s", out);
	free(out);
	free(err);
	snap(pub, &b);
	cr_assert_eq(a.n, b.n);
	/* It leaves a stamp like any build. */
	build(site, 1);
	cr_assert_eq(run(site, "help build", &out, &err), 0);
	cr_assert(strstr(out, "--force"), "%s", out);
	free(out);
	free(err);
	snap_free(&a);
	snap_free(&b);
	free(pub);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, a_failed_build_leaves_no_stamp)
{
	char *site = t_copy_example(), *out, *err;
	char *sp = sg_path_join(site, ".public.sg-stamp");
	char *cf = "content/2024/cases/04-three-teachings-reform.md";
	char *p = sg_path_join(site, cf), *text;
	struct stat st, was;
	size_t n;

	build(site, 0);
	cr_assert_eq(stat(sp, &st), 0);
	text = t_read(p, &n);
	stat_of(site, cf, &was);
	t_write(site, cf, "---\ntitle: [broken\n---\n");
	cr_assert_eq(run(site, "build", &out, &err), 1);
	cr_assert(strstr(err, "error"), "%s", err);
	free(out);
	free(err);
	cr_assert_eq(stat(sp, &st), -1, "a stamp is left after a failed build");
	/* The file back as it was, bytes and mtime: still a real build,
	 * whose output is right. */
	cr_assert_eq(sg_file_write(p, text, n), 0);
	set_mtime(site, cf, &was);
	rebuild(site, "no build stamp from a previous build");
	cr_assert(holds(site, "public/2024/cases/4/index.html", "三教"));
	build(site, 1);
	free(text);
	free(p);
	free(sp);
	sg_rm_rf(site);
	free(site);
}

Test(stamp, publish_builds_and_its_stamp_holds_only_without_errors)
{
	char *site = t_copy_example(), *out, *err;
	const char *pub = "publish 2024 -m '发布' --author '教务处 "
	    "<jwc@example.edu.cn>' --allow-findings '待核实'";
	char *sp = sg_path_join(site, ".public.sg-stamp");
	struct stat st;

	/* Published with an error allowed: the site is built despite it. */
	t_replace(site, "content/2024/01-school.md", "## （一）学校概况",
	    "## （一）学校概况\n\n见[说明](nothing.md)。\n");
	cr_assert_eq(run(site, pub, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	cr_assert_eq(stat(sp, &st), 0);
	/* The public site shows the record: the error, published, is a
	 * warning there, and the build that publish made is the one kept. */
	cr_assert_eq(run(site, "-v build", &out, &err), 0);
	cr_assert(skipped(out), "%s", out);
	cr_assert(strstr(err, "broken link") && strstr(err, "as published in "
	    "r1"), "%.2000s", err);
	free(out);
	free(err);
	cr_assert_eq(stat(sp, &st), 0);
	/* The preview of the working tree stops at it, as a build without
	 * --allow-findings does. */
	cr_assert_eq(run(site, "build --drafts -o preview", &out, &err), 1);
	cr_assert(strstr(err, "broken link"), "%.2000s", err);
	free(out);
	free(err);

	/* Fixed and published again: that build's stamp serves the next
	 * build, which has nothing left to do. */
	t_replace(site, "content/2024/01-school.md", "见[说明](nothing.md)。",
	    "见说明。");
	cr_assert_eq(run(site, pub, &out, &err), 0, "%s", err);
	free(out);
	free(err);
	build(site, 1);
	cr_assert(holds(site, "public/2024/01-school/index.html", "见说明。"));
	free(sp);
	sg_rm_rf(site);
	free(site);
}
