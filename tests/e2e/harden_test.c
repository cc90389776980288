/*
 * Hardening, round two (issue 21): nothing from outside a year published,
 * no URL past the scheme allowlist, no content silently lost, bounded time
 * on pathological input.  Each test builds a small site and runs the
 * binary.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

TestSuite(harden, .init = t_init, .timeout = 120);

/* A minimal site with the default theme and one chapter; caller frees. */
static char *
small_site(void)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/themes' '%s/'", t_root(), dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	t_minimal_site(dir);
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n正文。\n");
	return dir;
}

static void
sh(const char *fmt, const char *dir)
{
	char *cmd = sg_xasprintf(fmt, dir, dir, dir, dir);

	cr_assert_eq(system(cmd), 0, "%s", cmd);
	free(cmd);
}

/* Builds dir; returns the exit status, stderr in *err (caller frees). */
static int
build(const char *dir, char **err)
{
	char *args = sg_xasprintf("-C '%s' build", dir);
	int rc = t_run(args, err);

	free(args);
	return rc;
}

/* 1 if any file under dir holds needle. */
static int
tree_has(const char *dir, const char *needle)
{
	char *cmd = sg_xasprintf("grep -rqF -e '%s' '%s' 2>/dev/null", needle,
	    dir);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

Test(harden, a_link_out_of_the_year_is_not_published)
{
	char *dir = small_site(), *err = NULL;
	char *pub = sg_xasprintf("%s/public", dir);

	/* A secret in the site (as .git/config holds a remote's token). */
	t_write(dir, ".git/config", "url = https://tok:SECRET-TOKEN@x/\n");
	t_write(dir, "content/2023/pic.jpg", "OTHER-YEAR\n");
	sh("mkdir -p '%s/content/2024/images' && ln -s ../../../.git/config "
	    "'%s/content/2024/images/2-01.jpg' && ln -s ../../2023/pic.jpg "
	    "'%s/content/2024/images/2-02.jpg'", dir);
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 概况\n---\n"
	    "![图](images/2-01.jpg)\n\n![图](images/2-02.jpg)\n");
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "01-a.md:4:1: error: image 'images/2-01.jpg' "
	    "is a link to a file outside the report's folder"), "%s", err);
	cr_assert(strstr(err, "01-a.md:6:1: error: image 'images/2-02.jpg'"),
	    "%s", err);
	free(err);
	cr_assert(!tree_has(pub, "SECRET-TOKEN"));
	cr_assert(!tree_has(pub, "OTHER-YEAR"));
	free(pub);
	free(dir);
}

Test(harden, a_chapter_named_like_a_built_in_page_is_an_error)
{
	static const char *const names[] = {"cases", "print", "indicators",
	    "history", "r1", NULL};
	char *dir = small_site(), *err = NULL;

	for (size_t i = 0; names[i]; i++) {
		char *rel = sg_xasprintf("content/2024/%s.md", names[i]);
		t_write(dir, rel, "---\ntitle: 章\n---\n正文。\n");
		free(rel);
	}
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	for (size_t i = 0; names[i]; i++) {
		char *want = sg_xasprintf("content/2024/%s.md: error: a chapter "
		    "named '%s' would take the address 2024/%s/", names[i],
		    names[i], names[i]);
		cr_assert(strstr(err, want), "%s\n%s", want, err);
		free(want);
	}
	free(err);
	free(dir);
}

Test(harden, links_in_content_are_named_not_dropped)
{
	char *dir = small_site(), *err = NULL;
	char *elsewhere = t_tmpdir();

	t_write(elsewhere, "02-b.md", "---\ntitle: b\n---\n正文。\n");
	t_write(elsewhere, "cases/01-k.md", "---\ntitle: k\n---\n正文。\n");
	t_write(elsewhere, "t.csv", "a,b\n1,2\n");
	char *cmd = sg_xasprintf("cd '%s/content/2024' && ln -s '%s/02-b.md' "
	    "02-b.md && mkdir -p tables && ln -s '%s/t.csv' tables/t.csv && "
	    "ln -s '%s/cases' cases && cd .. && ln -s 2024 2025",
	    dir, elsewhere, elsewhere, elsewhere);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "content/2024/02-b.md: error: is a symbolic link "
	    "that leads out of content/2024/"), "%s", err);
	cr_assert(strstr(err, "content/2024/tables/t.csv: error: is a symbolic "
	    "link"), "%s", err);
	cr_assert(strstr(err, "content/2024/cases: error: is a symbolic link"),
	    "%s", err);
	cr_assert(strstr(err, "content/2025: error: is a symbolic link"), "%s",
	    err);
	free(err);

	/* content/ itself a link: an error, not an empty site. */
	char *site2 = small_site();
	cmd = sg_xasprintf("cd '%s' && mv content '%s/c' && ln -s '%s/c' content",
	    site2, elsewhere, elsewhere);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	cr_assert_eq(build(site2, &err), 1, "%s", err);
	cr_assert(strstr(err, "content: error: is a symbolic link"), "%s", err);
	free(err);
	free(site2);
	free(elsewhere);
	free(dir);
}

Test(harden, an_empty_schema_is_an_error_not_a_crash)
{
	static const char *const texts[] = {"", "# only a comment\n",
	    "# a\n# b\n", "\n\n  \n"};

	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		char *dir = small_site(), *err = NULL;
		t_write(dir, "schemas/zz-2024.yml", texts[i]);
		cr_assert_eq(build(dir, &err), 1, "text %zu: %s", i, err);
		cr_assert(strstr(err, "schemas/zz-2024.yml:1: error: the schema is "
		    "empty"), "%s", err);
		free(err);
		char *args = sg_xasprintf("-C '%s' check", dir);
		cr_assert_eq(t_run(args, &err), 1, "%s", err);
		cr_assert(strstr(err, "the schema is empty"), "%s", err);
		free(err);
		free(args);
		free(dir);
	}
}

/* Pathological YAML: 100,000 levels took 40 s inside libyaml. */
Test(harden, deep_or_huge_yaml_is_refused_before_libyaml, .timeout = 20)
{
	struct sg_buf b = {0};
	char *dir = small_site(), *err = NULL;

	sg_buf_puts(&b, "---\ntitle: a\nallow: ");
	for (int i = 0; i < 100000; i++)
		sg_buf_putc(&b, '[');
	for (int i = 0; i < 100000; i++)
		sg_buf_putc(&b, ']');
	sg_buf_puts(&b, "\n---\n正文。\n");
	t_write(dir, "content/2024/01-a.md", b.data);
	sg_buf_clear(&b);
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "content/2024/01-a.md:3:39: error: YAML nested "
	    "more than 32 levels deep"), "%s", err);
	free(err);

	/* The same in site.yml, as block mappings. */
	t_write(dir, "content/2024/01-a.md", "---\ntitle: a\n---\n正文。\n");
	sg_buf_puts(&b, "title: t\nbase_url: https://e.cn/\nmotto:\n");
	for (int i = 0; i < 40; i++) {
		for (int k = 0; k <= i; k++)
			sg_buf_puts(&b, " ");
		sg_buf_printf(&b, "k%d:\n", i);
	}
	t_write(dir, "site.yml", b.data);
	sg_buf_clear(&b);
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "site.yml:35:33:"), "%s", err);
	cr_assert(strstr(err, "nested more than 32 levels deep"), "%s", err);
	free(err);

	/* A report.yml of 2 MB. */
	t_minimal_site(dir);
	sg_buf_puts(&b, "title: t\nyear: 2024\npublished: 2024-12-27\n"
	    "template: zz-2024\nstatement: '");
	for (int i = 0; i < 2 << 20; i += 8)
		sg_buf_puts(&b, "aaaaaaaa");
	sg_buf_puts(&b, "'\n");
	t_write(dir, "content/2024/report.yml", b.data);
	sg_buf_clear(&b);
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "content/2024/report.yml:1: error: YAML text is "
	    "2048 KB; expected at most 1024 KB"), "%s", err);
	free(err);
	free(dir);
}

static char *
attr_of(const char *pub, const char *rel, const char *xpath)
{
	htmlDocPtr doc = t_page(pub, rel);
	char *v = t_text(doc, xpath);

	xmlFreeDoc(doc);
	return v;
}

Test(harden, no_url_past_the_allowlist)
{
	char *dir = small_site(), *err = NULL;

	t_write(dir, "content/2024/javascript:alert(1).md", "---\ntitle: 二\n---\n"
	    "[回](01-a.md) [外](ftp://x.example/) [邮](mailto:a@b.cn)\n");
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 一\n---\n"
	    "[下一章](./javascript:alert(1).md) [坏](javascript:alert(1).md)\n");
	char *pub = t_build(dir, "");
	/* The contents and the chapter's link: ./, so not a scheme. */
	char *h = attr_of(pub, "2024/index.html", "//main//a[contains(., '二')]/@href");
	cr_assert_str_eq(h, "./javascript:alert(1)/");
	free(h);
	h = attr_of(pub, "2024/01-a/index.html", "//main//a[. = '下一章']/@href");
	cr_assert_str_eq(h, "../javascript:alert(1)/");
	free(h);
	h = attr_of(pub, "2024/01-a/index.html", "//main//a[. = '坏']/@href");
	cr_assert(h == NULL || *h == '\0', "%s", h);
	free(h);
	h = attr_of(pub, "2024/javascript:alert(1)/index.html",
	    "//main//a[. = '外']/@href");
	cr_assert(h == NULL || *h == '\0', "%s", h);
	free(h);
	h = attr_of(pub, "2024/javascript:alert(1)/index.html",
	    "//main//a[. = '邮']/@href");
	cr_assert_str_eq(h, "mailto:a@b.cn");
	free(h);
	free(pub);

	/* site.yml's contact website: an error, never a link. */
	t_write(dir, "site.yml", "title: t\nbase_url: https://e.cn/\ncontact:\n"
	    "  website: \"javascript:alert(document.domain)\"\n");
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "site.yml:4: error: contact website "
	    "'javascript:alert(document.domain)' is not an http(s) address"),
	    "%s", err);
	free(err);
	free(dir);
}

/* The id of a process that has just ended. */
static long
dead_pid(void)
{
	pid_t p = fork();

	cr_assert_neq(p, -1);
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return (long)p;
}

Test(harden, staging_folders_of_dead_builds_are_swept_at_once)
{
	char *dir = small_site();
	char *dead = sg_xasprintf("%s/.public.stage-%ld-abcdef", dir, dead_pid());
	char *old = sg_xasprintf("%s/.public.old-%ld", dir, dead_pid());
	char *live = sg_xasprintf("%s/.public.stage-%ld-ghijkl", dir,
	    (long)getpid());
	char *anon = sg_xasprintf("%s/.public.stage-mnopqr", dir);

	t_write(dead, "index.html", "x");
	t_write(old, "index.html", "x");
	t_write(live, "index.html", "x");
	t_write(anon, "index.html", "x");
	free(t_build(dir, ""));
	cr_assert(!sg_is_dir(dead), "a dead build's staging folder was kept");
	cr_assert(!sg_is_dir(old));
	/* One of a running build stays; so does a fresh one without a pid. */
	cr_assert(sg_is_dir(live));
	cr_assert(sg_is_dir(anon));
	free(dead);
	free(old);
	free(live);
	free(anon);
	free(dir);
}

Test(harden, findings_show_control_characters_escaped)
{
	char *dir = small_site(), *err = NULL;

	t_write(dir, "content/2024/cases/01-k\x1b[2J\nx.txt", "x");
	t_write(dir, "content/2024/cases/02-k.md", "---\ntitle: k\n"
	    "tags: [\"a/\\e[31m\\nfake.md:1: error: x\"]\n---\n正文。\n");
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert_null(strchr(err, '\x1b'), "%s", err);
	cr_assert(strstr(err, "cases/01-k\\x1B[2J\\nx.txt: warning: not a case "
	    "file"), "%s", err);
	cr_assert(strstr(err, "tag 'a/\\x1B[31m\\nfake.md:1: error: x' cannot "
	    "name a page"), "%s", err);
	free(err);
	free(dir);
}

Test(harden, new_case_slug_is_a_plain_file_name)
{
	static const char *const bad[] = {"'a\nb'", "'a b'", "'$(id)'",
	    "\"$(printf 'k\\377')\"", "'-rf'", "'../x'", "'a;b'", "''"};
	char *dir = small_site(), *err = NULL;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *args = sg_xasprintf("-C '%s' new case 2024 标题 --slug %s",
		    dir, bad[i]);
		cr_assert_eq(t_run(args, &err), 1, "%s: %s", bad[i], err);
		cr_assert(strstr(err, "cannot be part of a file name"), "%s: %s",
		    bad[i], err);
		cr_assert_null(strchr(err, '\377'), "%s", err);
		free(err);
		free(args);
	}
	char *cases = sg_xasprintf("%s/content/2024/cases", dir);
	char **f = sg_is_dir(cases) ? t_files(cases, &n) : NULL;
	cr_assert(f == NULL || n == 0, "a case file was made");
	if (f)
		t_free_list(f, n);
	char *args = sg_xasprintf("-C '%s' new case 2024 标题 --slug jindu_2024-b",
	    dir);
	cr_assert_eq(t_run(args, &err), 0, "%s", err);
	free(err);
	free(args);
	char *made = sg_xasprintf("%s/01-jindu_2024-b.md", cases);
	cr_assert(sg_is_file(made));
	free(made);
	free(cases);
	free(dir);
}

Test(harden, tags_as_a_mapping_and_names_not_utf8_are_errors)
{
	char *dir = small_site(), *err = NULL;

	t_write(dir, "content/2024/cases/01-k.md", "---\ntitle: k\n"
	    "tags: {德育: 是}\n---\n正文。\n");
	t_write(dir, "content/2024/02-\xb0\xb8\xc0\xfd.md", "---\ntitle: 章\n---\n正文。\n");
	t_write(dir, "content/2024/cases/02-\xb0\xb8.md", "---\ntitle: k\n---\n正文。\n");
	cr_assert_eq(build(dir, &err), 1, "%s", err);
	cr_assert(strstr(err, "content/2024/cases/01-k.md:3: error: tags is a "
	    "mapping"), "%s", err);
	cr_assert(strstr(err, "content/2024/02-\\xB0\\xB8\\xC0\\xFD.md: error: "
	    "the file name is not UTF-8"), "%s", err);
	cr_assert(strstr(err, "content/2024/cases/02-\\xB0\\xB8.md: error: the "
	    "file name is not UTF-8"), "%s", err);
	free(err);
	free(dir);
}

Test(harden, an_empty_output_folder_is_a_usage_error)
{
	char *dir = small_site(), *err = NULL;
	char *args = sg_xasprintf("-C '%s' build -o ''", dir);

	cr_assert_eq(t_run(args, &err), 2, "%s", err);
	cr_assert(strstr(err, "site-gen build: -o needs a folder"), "%s", err);
	free(err);
	free(args);
	args = sg_xasprintf("-C '%s' publish 2024 -m x -o ''", dir);
	cr_assert_eq(t_run(args, &err), 2, "%s", err);
	cr_assert(strstr(err, "site-gen publish: -o needs a folder"), "%s", err);
	free(err);
	free(args);
	free(dir);
}
