/*
 * End to end: check's reading of each document taken from the build
 * cache.  The findings a build prints with the cache are those of a
 * build without it (--force, into another folder), byte for byte, cold
 * and warm, on one thread and on four; an edit of one document changes
 * only that document's findings; and what a document's findings depend
 * on outside it — site.yml's contact phones, report.yml's public: list,
 * an allow: of report.yml, a narrative table, the template, the rule
 * data — changes them on the next build, never answered from the cache.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util.h"

TestSuite(check_cache, .init = t_init, .timeout = 600);

/* A case that publishes a mobile number: an error of check's. */
static const char *kase = "content/2024/cases/07-phone.md";
static const char *phone = "13812345678";

/* The findings of stderr as build prints them: every line but the -v
 * lines of times and counts, which say "site-gen: ". */
static char *
findings(const char *err)
{
	struct sg_buf b = {0};

	sg_buf_puts(&b, "");
	for (const char *p = err; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
		char *line = sg_xstrndup(p, n);
		if (strncmp(line, "site-gen: ", 10) != 0 ||
		    strstr(line, " warnings in ") != NULL)
			sg_buf_add(&b, p, n);
		free(line);
		p += n;
	}
	return sg_buf_take(&b);
}

/* The entries the last build hit and made, from -v. */
static long last_hit, last_made;

/* Builds dir into out (with --force and other options in opts); its
 * findings (caller frees), asserting the exit status is want. */
static char *
build(const char *dir, const char *out, int jobs, const char *opts,
    int want, const char *when)
{
	char *cmd = sg_xasprintf("-C '%s' -v build --no-pdf -j %d -o %s %s",
	    dir, jobs, out, opts), *err, *f;
	int st = t_run(cmd, &err);
	const char *c;

	cr_assert_eq(st, want, "%s: exit %d: %s", when, st, err);
	c = strstr(err, " hit, ");
	cr_assert(c && sscanf(c, " hit, %ld made", &last_made) == 1,
	    "%s: no cache line: %s", when, err);
	while (c > err && c[-1] != ' ')
		c--;
	last_hit = strtol(c, NULL, 10);
	f = findings(err);
	free(err);
	free(cmd);
	return f;
}

/* The findings of a build with the cache, asserted the same as those of
 * one without it (caller frees). */
static char *
both(const char *dir, int jobs, int want, const char *when)
{
	char *got = build(dir, "out", jobs, "", want, when);
	long hit = last_hit, made = last_made;
	char *ref = build(dir, "ref", jobs, "--force", want, when);

	last_hit = hit;
	last_made = made;
	cr_assert_str_eq(got, ref, "%s: the findings with the cache differ "
	    "from those without it:\n%s\n--- without:\n%s", when, got, ref);
	free(ref);
	return got;
}

/* The lines of findings f about file (with "-" about every other). */
static char *
lines_of(const char *f, const char *file)
{
	struct sg_buf b = {0};
	int other = *file == '-';

	sg_buf_puts(&b, "");
	for (const char *p = f; *p;) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
		int of = strncmp(p, file + other, strlen(file + other)) == 0;
		if (of != other && strncmp(p, "site-gen: ", 10) != 0)
			sg_buf_add(&b, p, n);
		p += n;
	}
	return sg_buf_take(&b);
}

/* 1 if the cache beside dir/out holds an entry ("check", name): the
 * index writes each string as its length + 1 (one byte below 127) and
 * its bytes, kind then name. */
static int
cached(const char *dir, const char *name)
{
	char *path = sg_xasprintf("%s/.out.sg-cache", dir);
	char *want = sg_xasprintf("\6check%c%s", (int)strlen(name) + 1, name);
	size_t len, n = strlen(want);
	char *data = t_read(path, &len);
	int r = 0;

	for (size_t i = 0; data && !r && i + n <= len; i++)
		r = memcmp(data + i, want, n) == 0;
	free(data);
	free(want);
	free(path);
	return r;
}

/* The Markdown documents of dir's content. */
static long
documents(const char *dir)
{
	char *content = sg_path_join(dir, "content");
	size_t n;
	char **f = t_files(content, &n);
	long k = 0;

	for (size_t i = 0; i < n; i++)
		k += sg_has_suffix(f[i], ".md");
	t_free_list(f, n);
	free(content);
	return k;
}

static void
touch(const char *dir, const char *rel)
{
	char *cmd = sg_xasprintf("touch '%s/%s'", dir, rel);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

static void
rm(char *dir)
{
	char *cmd = sg_xasprintf("rm -rf '%s'", dir);

	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(dir);
}

/* The example site with the case that publishes a number. */
static char *
site(void)
{
	char *dir = t_copy_example();
	char *text = sg_xasprintf("---\ntitle: 家校联系\nsummary: 联系方式。\n"
	    "---\n\n班主任电话 %s，欢迎家长来电。\n", phone);

	t_write(dir, kase, text);
	free(text);
	return dir;
}

static void
warm(int jobs)
{
	char *dir = site(), *cold, *again;
	long made;

	cold = both(dir, jobs, 1, "cold");
	made = last_made;
	cr_assert(strstr(cold, kase) && strstr(cold, "a mobile phone number"),
	    "the case's number is found: %s", cold);
	cr_assert(cached(dir, kase), "the case's check is in the cache");
	cr_assert(cached(dir, "content/2024/01-school.md"));
	touch(dir, "content/2024/index.md");
	again = both(dir, jobs, 1, "warm");
	/* Each document's reading by check is one of them. */
	cr_assert(last_hit == made && last_made == 0, "warm: %ld hit, %ld "
	    "made of the %ld made cold", last_hit, last_made, made);
	cr_assert_str_eq(again, cold, "a warm build's findings are a cold "
	    "one's");
	free(again);
	free(cold);
	rm(dir);
}

Test(check_cache, warm_findings_are_cold_findings_on_one_thread)
{
	warm(1);
}

Test(check_cache, warm_findings_are_cold_findings_on_four)
{
	warm(4);
}

Test(check_cache, an_edit_changes_only_that_documents_findings)
{
	char *dir = site(), *before, *after, *a, *b;
	const char *edited = "content/2024/02-talent.md";

	before = both(dir, 2, 1, "cold");
	/* Another number, in a chapter: a finding of its own. */
	t_replace(dir, edited, "## （一）学生素质\n",
	    "## （一）学生素质\n\n联系电话 13912345678。\n");
	after = both(dir, 2, 1, "a chapter edited");
	a = lines_of(before, edited);
	b = lines_of(after, edited);
	cr_assert_str_neq(a, b, "the edited chapter's findings change");
	cr_assert(strstr(b, "a mobile phone number"), "%s", b);
	free(a);
	free(b);
	char *other = sg_xasprintf("-%s", edited);
	a = lines_of(before, other);
	b = lines_of(after, other);
	cr_assert_str_eq(a, b, "no other file's findings change");
	free(a);
	free(b);
	free(other);
	free(before);
	free(after);
	rm(dir);
}

Test(check_cache, site_yml_phones_reach_the_cached_findings)
{
	char *dir = site(), *f;

	f = both(dir, 2, 1, "cold");
	cr_assert(strstr(f, "a mobile phone number"));
	free(f);
	/* The school's own number, published on purpose. */
	t_replace(dir, "site.yml", "\"62072118\"]",
	    "\"62072118\", \"13812345678\"]");
	f = both(dir, 2, 0, "site.yml lists the number");
	cr_assert_null(strstr(f, "a mobile phone number"), "%s", f);
	/* Every document's reading was looked up, and made again. */
	cr_assert_geq(last_made, documents(dir), "%ld made", last_made);
	free(f);
	rm(dir);
}

Test(check_cache, report_yml_reaches_the_cached_findings)
{
	char *dir = site(), *f, *g;
	const char *yml = "content/2024/report.yml";

	f = both(dir, 2, 1, "cold");
	cr_assert(strstr(f, "a mobile phone number"));
	/* An allow: of report.yml is for its tables and other files; the
	 * case's own front matter allows for the case. */
	t_replace(dir, yml, "template: zz-2024\n", "template: zz-2024\n"
	    "allow:\n  cases/07-phone.md: [privacy]\n");
	g = both(dir, 2, 1, "report.yml allow:");
	cr_assert_str_eq(g, f);
	free(g);
	t_replace(dir, yml, "template: zz-2024\n", "template: zz-2024\n"
	    "public: [\"13812345678\"]\n");
	g = both(dir, 2, 0, "report.yml public: lists the number");
	cr_assert_null(strstr(g, "a mobile phone number"), "%s", g);
	free(g);
	free(f);
	rm(dir);
}

/* The site's copy of a file of the repository's schemas/. */
static void
copy_schema(const char *dir, const char *rel)
{
	char *from = sg_path_join(t_root(), rel);
	char *text = t_read(from, NULL);

	cr_assert_not_null(text, "%s", from);
	t_write(dir, rel, text);
	free(text);
	free(from);
}

/* A finding of dir that says says (on a cold build) is gone once rel's
 * from is to: a build with the cache finds that too. */
static void
gone(char *dir, const char *says, const char *rel, const char *from,
    const char *to, const char *when)
{
	char *f = both(dir, 2, 0, "before");

	cr_assert(strstr(f, says), "%s", f);
	free(f);
	t_replace(dir, rel, from, to);
	f = both(dir, 2, 0, when);
	cr_assert_null(strstr(f, says), "%s: %s", when, f);
	free(f);
	rm(dir);
}

Test(check_cache, a_narrative_table_reaches_the_cached_findings)
{
	/* trend-words reads the series: now it rises every year. */
	gone(t_copy_example(), "02-talent.md:35: warning: the text says "
	    "“稳步攀升”", "content/2024/tables/fitness-5y.csv", "99.24%",
	    "99.70%", "the table's series rises");
}

Test(check_cache, the_template_reaches_the_cached_findings)
{
	char *dir = t_copy_example();

	/* Without the phrase, the text states no such figure. */
	copy_schema(dir, "schemas/zz-2024.yml");
	gone(dir, "01-school.md:33: warning: 高级专业技术职务专任教师比例",
	    "schemas/zz-2024.yml",
	    "      text: [\"高级职称{_}人,占专任教师{n}%\"]\n", "",
	    "the template's phrase removed");
}

Test(check_cache, the_rule_data_reaches_the_cached_findings)
{
	char *dir = t_copy_example();

	copy_schema(dir, "schemas/checks/trend.yml");
	gone(dir, "the text says “稳步攀升”", "schemas/checks/trend.yml",
	    " 稳步攀升,", "", "a word of the rule data removed");
}
