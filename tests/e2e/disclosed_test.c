/*
 * End to end: the public site is the disclosed record.  Once a site has
 * disclosure tags, public/ shows each year as its latest tag and nothing
 * unpublished; the preview shows the working tree and says so on every
 * page; an archive holds nothing disclosed later.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <git2.h>
#include <jansson.h>
#include <libxml/xpath.h>
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
	char *home = t_tmpdir();
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	free(home);
}

TestSuite(disclosed, .init = init, .timeout = 180);

#define AUTHOR	"--author '教务处 <jwc@example.edu.cn>'"
#define ALLOW	" --allow-findings '照片在文本提取中丢失'"
#define OLD_SENTENCE	"近年来学生积极向团组织靠拢的比例逐年上升。"
#define NEW_SENTENCE	"近年来学生积极向团组织靠拢的比例逐年稳步上升。"

/* A copy of the example in a new repository on an unborn main branch. */
static char *
example_repo(void)
{
	char *dir = t_copy_example();
	git_repository *repo;
	git_repository_init_options o;

	git_libgit2_init();
	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	o.initial_head = "main";
	cr_assert_eq(git_repository_init_ext(&repo, dir, &o), 0);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return dir;
}

/* Runs site-gen -C dir args; its stdout in *out (caller frees). */
static int
run(const char *dir, const char *args, char **out)
{
	char *f = sg_xasprintf("%s/.out.txt", dir);
	char *cmd = sg_xasprintf("'%s' -C '%s' %s > '%s' 2>/dev/null",
	    getenv("SG_BIN") ? getenv("SG_BIN") : "build/site-gen", dir, args,
	    f);
	int st = system(cmd);

	if (out)
		*out = t_read(f, NULL);
	unlink(f);
	free(cmd);
	free(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void
edit(const char *dir, const char *rel, const char *from, const char *to)
{
	char *p = sg_path_join(dir, rel), *text = t_read(p, NULL), *at;

	cr_assert_not_null(text, "%s", p);
	at = strstr(text, from);
	cr_assert_not_null(at, "'%s' not in %s", from, rel);
	*at = '\0';
	char *n = sg_xasprintf("%s%s%s", text, to, at + strlen(from));
	cr_assert_eq(sg_file_write(p, n, strlen(n)), 0);
	free(n);
	free(text);
	free(p);
}

static void
publish(const char *dir, const char *note)
{
	char *a = sg_xasprintf("publish 2024 -m '%s' " AUTHOR ALLOW, note);
	cr_assert_eq(run(dir, a, NULL), 0, "publish %s", note);
	free(a);
}

/* Every file under dir/sub whose bytes hold needle, one per line. */
static char *
holding(const char *dir, const char *sub, const char *needle)
{
	char *root = sg_path_join(dir, sub);
	struct sg_buf b = {0};
	size_t n, len;
	char **files = t_files(root, &n);

	for (size_t i = 0; i < n; i++) {
		char *p = sg_path_join(root, files[i]), *text = t_read(p, &len);
		if (text && memmem(text, len, needle, strlen(needle)))
			sg_buf_printf(&b, "%s\n", files[i]);
		free(text);
		free(p);
	}
	t_free_list(files, n);
	free(root);
	return sg_buf_take(&b);
}

/* The text of every HTML page under dir, checked by check(doc, path). */
static size_t
each_page(const char *dir, void (*check)(htmlDocPtr, const char *))
{
	size_t n, pages = 0;
	char **files = t_files(dir, &n);

	for (size_t i = 0; i < n; i++) {
		if (!sg_has_suffix(files[i], ".html"))
			continue;
		htmlDocPtr doc = t_page(dir, files[i]);
		check(doc, files[i]);
		xmlFreeDoc(doc);
		pages++;
	}
	t_free_list(files, n);
	return pages;
}

static void
is_preview(htmlDocPtr doc, const char *path)
{
	cr_assert_eq(t_count(doc, "//meta[@name='robots' and "
	    "contains(@content,'noindex')]"), 1, "%s: no noindex", path);
	char *b = t_text(doc, "//*[contains(@class,'preview-banner')]");
	cr_assert(b && strstr(b, "预览（未发布）"), "%s: no preview banner", path);
	free(b);
}

static void
is_public(htmlDocPtr doc, const char *path)
{
	cr_assert_eq(t_count(doc, "//meta[@name='robots']"), 0, "%s", path);
	cr_assert_eq(t_count(doc, "//*[contains(@class,'preview-banner')]"), 0,
	    "%s", path);
	/* Words for the publisher are not for readers. */
	char *all = t_text(doc, "/html");
	cr_assert(all, "%s", path);
	cr_assert(!strstr(all, "尚未发布"), "%s: 尚未发布", path);
	cr_assert(!strstr(all, "site-gen"), "%s: names the tool", path);
	cr_assert(!strstr(all, "publish"), "%s: a command", path);
	free(all);
	/* The footer names the revision, never a bare commit hash. */
	char *rev = t_text(doc, "//footer//*[contains(@class,'revision')]");
	if (rev) {
		cr_assert(strstr(rev, "版本：r"), "%s: footer '%s'", path, rev);
		for (const char *c = rev; *c; c++)
			cr_assert(!(strspn(c, "0123456789abcdef") >= 7), "%s: a "
			    "hash in the footer '%s'", path, rev);
	}
	free(rev);
}

Test(disclosed, public_shows_the_tags_and_the_preview_the_working_tree)
{
	char *dir = example_repo(), *out, *s;

	publish(dir, "首次公开");
	/* After the tag: an unpublished edit and a year never published. */
	edit(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	cr_assert_eq(run(dir, "new year 2025", NULL), 0);

	cr_assert_eq(run(dir, "build", &out), 0);
	cr_assert(strstr(out, "site-gen: 2024: public shows r1; 1 file changed "
	    "since: publish to disclose it"), "%s", out);
	cr_assert(strstr(out, "site-gen: 2025: not published, left out"), "%s",
	    out);
	free(out);
	s = holding(dir, "public", NEW_SENTENCE);
	cr_assert_str_eq(s, "", "unpublished text in public/:\n%s", s);
	free(s);
	s = holding(dir, "public/2024/02-talent", OLD_SENTENCE);
	cr_assert_str_eq(s, "index.html\n");
	free(s);
	char *y = sg_path_join(dir, "public/2025");
	cr_assert(!sg_is_dir(y), "an unpublished year in public/");
	free(y);
	htmlDocPtr home = t_page(dir, "public/index.html");
	cr_assert_eq(t_count(home, "//a[contains(@href,'2025')]"), 0);
	xmlFreeDoc(home);
	char *pub = sg_path_join(dir, "public");
	cr_assert_gt(each_page(pub, is_public), 50);
	free(pub);

	/* The preview: the working tree, every page marked. */
	cr_assert_eq(run(dir, "build --drafts", NULL), 2, "--drafts needs -o");
	cr_assert_eq(run(dir, "build --drafts -o preview", NULL), 0);
	s = holding(dir, "preview/2024/02-talent", NEW_SENTENCE);
	cr_assert_str_eq(s, "index.html\n");
	free(s);
	y = sg_path_join(dir, "preview/2025/index.html");
	cr_assert(sg_is_file(y), "the preview lacks the new year");
	free(y);
	char *prev = sg_path_join(dir, "preview");
	cr_assert_gt(each_page(prev, is_preview), 50);
	char *rp = sg_path_join(prev, "robots.txt"), *robots = t_read(rp, NULL);
	cr_assert(robots && strstr(robots, "Disallow: /"), "%s", robots);
	free(robots);
	free(rp);
	free(prev);

	/* Publishing discloses the edit. */
	publish(dir, "修订");
	cr_assert_eq(run(dir, "build", &out), 0);
	cr_assert(strstr(out, "site-gen: 2024: public shows r2\n"), "%s", out);
	free(out);
	s = holding(dir, "public/2024/02-talent", NEW_SENTENCE);
	cr_assert_str_eq(s, "index.html\n");
	free(s);
	sg_rm_rf(dir);
	free(dir);
}

Test(disclosed, an_archive_holds_nothing_disclosed_later)
{
	char *dir = example_repo(), *s;

	publish(dir, "首次公开");
	edit(dir, "content/2024/indicators/1-scorecard.csv", "4,月收入,元,3600,3600",
	    "4,月收入,元,3600,3987");
	publish(dir, "更正月收入");
	cr_assert_eq(run(dir, "build", NULL), 0);

	s = holding(dir, "public/2024/r1", "3987");
	cr_assert_str_eq(s, "", "r1 holds a value of r2:\n%s", s);
	free(s);
	s = holding(dir, "public/2024/r2", "3987");
	cr_assert(strstr(s, "indicators/index.html"), "%s", s);
	cr_assert(strstr(s, "indicators/1-scorecard.csv"), "%s", s);
	free(s);
	s = holding(dir, "public/2024/indicators", "3987");
	cr_assert(strstr(s, "index.html"), "%s", s);
	free(s);
	/* r1's chart of 月收入 says 3600 for 2024. */
	htmlDocPtr doc = t_page(dir, "public/2024/r1/indicators/index.html");
	char *t = t_text(doc, "//tr[.//*[contains(text(),'月收入')]]"
	    "//*[local-name()='title' or local-name()='desc']");
	cr_assert(t && strstr(t, "3600") && !strstr(t, "3987"), "%s", t);
	free(t);
	xmlFreeDoc(doc);
	sg_rm_rf(dir);
	free(dir);
}

Test(disclosed, a_site_that_never_published_shows_its_working_tree)
{
	char *dir = t_copy_example(), *out;

	cr_assert_eq(run(dir, "build", &out), 0);
	cr_assert(!strstr(out, "not published"), "%s", out);
	free(out);
	char *pub = sg_path_join(dir, "public");
	cr_assert_gt(each_page(pub, is_public), 30);
	free(pub);
	sg_rm_rf(dir);
	free(dir);
}

/* The SHA-256 of a file as coreutils computes it (caller frees). */
static char *
sha256sum(const char *path)
{
	char *cmd = sg_xasprintf("sha256sum '%s'", path), line[256];
	FILE *fp = popen(cmd, "r");
	char *hex = NULL;

	cr_assert_not_null(fp);
	if (fgets(line, sizeof(line), fp) && strlen(line) > 64) {
		line[64] = '\0';
		hex = sg_xstrdup(line);
	}
	pclose(fp);
	free(cmd);
	return hex;
}

Test(disclosed, the_ledger_lists_the_sha256_of_every_download)
{
	char *dir = example_repo();
	json_error_t err;

	publish(dir, "首次公开");
	edit(dir, "content/2024/indicators/1-scorecard.csv", "4,月收入,元,3600,3600",
	    "4,月收入,元,3600,3987");
	publish(dir, "更正月收入");
	cr_assert_eq(run(dir, "build", NULL), 0);

	char *lp = sg_path_join(dir, "public/history/ledger.json");
	json_t *root = json_load_file(lp, 0, &err);
	cr_assert_not_null(root, "ledger.json: %s (line %d)", err.text,
	    err.line);
	json_t *revs = json_object_get(root, "revisions");
	cr_assert_eq(json_array_size(revs), 2);
	const char *hash_r[2] = {NULL, NULL};
	for (size_t i = 0; i < 2; i++) {
		json_t *r = json_array_get(revs, i);
		cr_assert_eq(json_integer_value(json_object_get(r, "year")), 2024);
		cr_assert_eq(json_integer_value(json_object_get(r, "revision")),
		    (json_int_t)i + 1);
		json_t *files = json_object_get(r, "files");
		/* Six appendix tables as CSV and JSON, and the narrative CSVs. */
		cr_assert_geq(json_array_size(files), 12);
		for (size_t k = 0; k < json_array_size(files); k++) {
			json_t *f = json_array_get(files, k);
			const char *path = json_string_value(json_object_get(f,
			    "path"));
			const char *sha = json_string_value(json_object_get(f,
			    "sha256"));
			char *full = sg_xasprintf("%s/public/%s", dir, path);
			char *want = sha256sum(full);
			cr_assert(want && sha && strcmp(want, sha) == 0,
			    "%s: ledger %s, file %s", path, sha, want);
			if (strstr(path, "1-scorecard.csv"))
				hash_r[i] = sha;
			free(want);
			free(full);
		}
	}
	/* The amended table has a new hash; the page lists both. */
	cr_assert(hash_r[0] && hash_r[1] && strcmp(hash_r[0], hash_r[1]) != 0);
	htmlDocPtr doc = t_page(dir, "public/2024/history/index.html");
	char *x0 = sg_xasprintf("//details[contains(@class,'fixity')]//code"
	    "[text()='%s']", hash_r[0]);
	char *x1 = sg_xasprintf("//details[contains(@class,'fixity')]//code"
	    "[text()='%s']", hash_r[1]);
	cr_assert_eq(t_count(doc, x0), 1);
	cr_assert_eq(t_count(doc, x1), 1);
	free(x0);
	free(x1);
	xmlFreeDoc(doc);
	json_decref(root);
	free(lp);
	sg_rm_rf(dir);
	free(dir);
}

Test(disclosed, a_withdrawal_takes_the_bytes_down_and_keeps_the_record)
{
	char *dir = example_repo(), *s, *out;
	char *csv = sg_path_join(dir, "content/2024/tables/aid-2023.csv");
	char *want = sha256sum(csv);
	json_error_t err;

	publish(dir, "首次公开");
	edit(dir, "content/2024/02-talent.md", OLD_SENTENCE, NEW_SENTENCE);
	publish(dir, "修订");
	s = holding(dir, "public", "102000");
	cr_assert_neq(strlen(s), 0, "the table is not published at all");
	free(s);

	/* Bad requests change nothing. */
	cr_assert_eq(run(dir, "withdraw 2024 r1 tables/aid-2023.csv " AUTHOR,
	    NULL), 2, "no reason");
	cr_assert_eq(run(dir, "withdraw 2024 r9 tables/aid-2023.csv --reason x "
	    AUTHOR, NULL), 1, "no such revision");
	cr_assert_eq(run(dir, "withdraw 2024 r1 tables/none.csv --reason x "
	    AUTHOR, NULL), 1, "no such file");
	cr_assert_eq(run(dir, "withdraw 2024 r1 02-talent.md --passage 不在文中 "
	    "--reason x " AUTHOR, NULL), 1, "no such passage");

	cr_assert_eq(run(dir, "withdraw 2024 r1 tables/aid-2023.csv --reason "
	    "'含学生个人信息' " AUTHOR, &out), 0);
	cr_assert(strstr(out, "2 revisions published it"), "%s", out);
	free(out);
	cr_assert_eq(run(dir, "withdraw 2024 r1 02-talent.md --passage '"
	    OLD_SENTENCE "' --reason 测试撤回 " AUTHOR, NULL), 0);
	cr_assert_eq(run(dir, "withdraw 2024 r1 tables/aid-2023.csv --reason "
	    "again " AUTHOR, &out), 0);
	cr_assert(strstr(out, "already withdrawn by withdrawal/2024/w1"), "%s",
	    out);
	free(out);

	/* No output file holds the withdrawn bytes: pages, print view,
	 * downloads, search index, feed. */
	s = holding(dir, "public", "102000");
	cr_assert_str_eq(s, "", "withdrawn table still in:\n%s", s);
	free(s);
	s = holding(dir, "public", OLD_SENTENCE);
	cr_assert_str_eq(s, "", "withdrawn passage still in:\n%s", s);
	free(s);
	/* The notice stands where they were. */
	htmlDocPtr doc = t_page(dir, "public/2024/r1/02-talent/index.html");
	char *t = t_text(doc, "//main");
	cr_assert(t && strstr(t, "已依法撤回：测试撤回"), "%s", t);
	cr_assert(strstr(t, "已依法撤回：含学生个人信息"), "no table notice");
	free(t);
	xmlFreeDoc(doc);
	char *np = sg_path_join(dir, "public/2024/r1/tables/aid-2023.csv");
	char *notice = t_read(np, NULL);
	cr_assert(notice && strstr(notice, "已依法撤回：含学生个人信息"), "%s",
	    notice);
	free(notice);
	free(np);

	/* The record: the ledger and the history page, with the hash of
	 * what was withdrawn. */
	char *lp = sg_path_join(dir, "public/history/ledger.json");
	json_t *root = json_load_file(lp, 0, &err);
	cr_assert_not_null(root, "%s", err.text);
	json_t *wd = json_object_get(root, "withdrawals");
	cr_assert_eq(json_array_size(wd), 2);
	json_t *w0 = json_array_get(wd, 0);
	cr_assert_str_eq(json_string_value(json_object_get(w0, "path")),
	    "2024/tables/aid-2023.csv");
	cr_assert_str_eq(json_string_value(json_object_get(w0, "reason")),
	    "含学生个人信息");
	cr_assert_str_eq(json_string_value(json_object_get(w0, "sha256")), want);
	cr_assert_eq(json_integer_value(json_object_get(w0, "revision")), 1);
	json_decref(root);
	free(lp);
	doc = t_page(dir, "public/2024/history/index.html");
	char *x = sg_xasprintf("//*[@id='r1']//*[contains(@class,'withdrawals')]"
	    "//code[text()='%s']", want);
	cr_assert_eq(t_count(doc, x), 1);
	free(x);
	xmlFreeDoc(doc);

	/* History is not rewritten: r1's tree still holds the file. */
	git_libgit2_init();
	git_repository *repo;
	git_object *o;
	cr_assert_eq(git_repository_open(&repo, dir), 0);
	cr_assert_eq(git_revparse_single(&o, repo,
	    "disclosure/2024/r1:content/2024/tables/aid-2023.csv"), 0);
	cr_assert(memmem(git_blob_rawcontent((git_blob *)o),
	    (size_t)git_blob_rawsize((git_blob *)o), "102000", 6));
	git_object_free(o);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(want);
	free(csv);
	sg_rm_rf(dir);
	free(dir);
}

Test(disclosed, a_changed_table_cell_reads_as_its_row_old_and_new)
{
	char *dir = example_repo();

	t_write(dir, "content/2024/10-extra.md", "---\ntitle: 附录\n---\n\n"
	    "表：2022—2024 届毕业生统计表\n\n| 届别 | 人数 |\n|---|--:|\n"
	    "| 2023 届 | 540 |\n| 2024 届 | 592 |\n");
	publish(dir, "首次公开");
	edit(dir, "content/2024/10-extra.md", "| 2024 届 | 592 |",
	    "| 2024 届 | 600 |");
	publish(dir, "更正人数");
	cr_assert_eq(run(dir, "build", NULL), 0);
	htmlDocPtr doc = t_page(dir, "public/2024/history/index.html");
	cr_assert_eq(t_count(doc, "//li[@id='r2']//p[@class='row-change' and "
	    "contains(., '2024 届')]"), 1);
	cr_assert_eq(t_count(doc, "//li[@id='r2']//ul[@class='cell-changes']/li"
	    "[del='592' and ins='600']"), 1);
	/* No Markdown pipes left in what the reader sees of the change. */
	cr_assert_eq(t_count(doc, "//li[@id='r2']//*[self::del or self::ins]"
	    "[contains(., '|')]"), 0);
	xmlFreeDoc(doc);
	sg_rm_rf(dir);
	free(dir);
}

Test(disclosed, an_error_in_what_was_published_does_not_stop_the_public_site)
{
	char *dir = example_repo(), *out;
	char *err_path = sg_xasprintf("%s/.err.txt", dir);

	/* Published with its finding allowed: an ID number in a chapter. */
	edit(dir, "content/2024/02-talent.md", OLD_SENTENCE,
	    OLD_SENTENCE "学生证件号 11010519491231002X。");
	publish(dir, "首次公开");
	/* The public build shows the record, and says where to mend it. */
	char *cmd = sg_xasprintf("'%s' -C '%s' build --force > /dev/null 2> '%s'",
	    getenv("SG_BIN") ? getenv("SG_BIN") : "build/site-gen", dir,
	    err_path);
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	out = t_read(err_path, NULL);
	cr_assert(out && strstr(out, "content/2024/02-talent.md:17: warning:") &&
	    strstr(out, "as published in r1: publish a correction, or withdraw "
	    "it"), "%s", out);
	free(out);
	/* The preview of the working tree still stops on it. */
	cr_assert_eq(run(dir, "build --drafts -o preview", NULL), 1);
	free(cmd);
	free(err_path);
	sg_rm_rf(dir);
	free(dir);
}
