/*
 * helpers: shared test plumbing; see helpers.h.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <dirent.h>
#include <git2.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util.h"

/* Builds in the suite make no PDF (typesetting the example takes tens of
 * seconds); the PDF tests turn it back on (tests/e2e/pdf_test.c).  Set in
 * the runner, before the test processes start. */
ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	(void)set;
	setenv("SG_NO_PDF", "1", 0);
}

char *
t_tmpdir(void)
{
	char *t = sg_xstrdup("/tmp/sg-test-XXXXXX");

	if (mkdtemp(t) == NULL)
		abort();
	return t;
}

void
t_write(const char *dir, const char *rel, const char *text)
{
	char *p = sg_path_join(dir, rel);

	if (sg_file_write(p, text, strlen(text)) == -1)
		abort();
	free(p);
}

char *
t_read(const char *path, size_t *len)
{
	char *data;
	size_t n;

	if (sg_file_read(path, &data, &n) == -1)
		return NULL;
	if (len)
		*len = n;
	return data;
}

void
t_replace(const char *dir, const char *rel, const char *from, const char *to)
{
	char *p = sg_path_join(dir, rel), *text = t_read(p, NULL), *at;
	struct sg_buf b = {0};

	cr_assert_not_null(text, "%s", p);
	cr_assert_not_null(at = strstr(text, from), "'%s' not in %s", from, p);
	sg_buf_add(&b, text, (size_t)(at - text));
	sg_buf_puts(&b, to);
	sg_buf_puts(&b, at + strlen(from));
	cr_assert_eq(sg_file_write(p, b.data, b.len), 0);
	sg_buf_clear(&b);
	free(text);
	free(p);
}

const char *
t_root(void)
{
	const char *r = getenv("SG_ROOT");

	return r ? r : ".";
}

int
t_run(const char *args, char **err)
{
	const char *bin = getenv("SG_BIN");
	char *errf = sg_xstrdup("/tmp/sg-err-XXXXXX");
	int fd = mkstemp(errf), st;
	char *cmd;

	if (fd == -1)
		abort();
	close(fd);
	cmd = sg_xasprintf("%s %s >/dev/null 2>%s", bin ? bin : "build/site-gen",
	    args, errf);
	st = system(cmd);
	free(cmd);
	char *text = t_read(errf, NULL);
	/* Sanitizer reports of the binary go to the test log, where the
	 * asan target looks for them. */
	if (text && (strstr(text, "Sanitizer") || strstr(text, "runtime error:")))
		fprintf(stderr, "site-gen %s:\n%s\n", args, text);
	if (err)
		*err = text;
	else
		free(text);
	unlink(errf);
	free(errf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void
walk(const char *base, const char *rel, char ***v, size_t *n)
{
	char *path = *rel ? sg_path_join(base, rel) : sg_xstrdup(base);
	DIR *d = opendir(path);
	struct dirent *de;

	if (d == NULL) {
		free(path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char *r, *full;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		r = *rel ? sg_xasprintf("%s/%s", rel, de->d_name) :
		    sg_xstrdup(de->d_name);
		full = sg_path_join(base, r);
		if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			walk(base, r, v, n);
			free(r);
		} else {
			*v = sg_xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[(*n)++] = r;
		}
		free(full);
	}
	closedir(d);
	free(path);
}

char **
t_files(const char *dir, size_t *n)
{
	char **v = NULL;

	*n = 0;
	walk(dir, "", &v, n);
	qsort(v, *n, sizeof(*v), sg_strcmp_p);
	return v;
}

void
t_free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

htmlDocPtr
t_html(const char *path)
{
	return htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

int
t_count(htmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	int n = o && o->nodesetval ? o->nodesetval->nodeNr : 0;

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return n;
}

char *
t_text(htmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	char *s = NULL;

	if (o && o->nodesetval && o->nodesetval->nodeNr > 0) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
		s = sg_xstrdup(c ? (char *)c : "");
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

int
t_has(const struct sg_diag *d, enum sg_sev sev, int line, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == sev && (line <= 0 || d->v[i].line == line) &&
		    strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

char *
t_build(const char *dir, const char *opts)
{
	char *args = sg_xasprintf("-C '%s' build %s -o '%s/public'", dir, opts,
	    dir);
	char *err = NULL;
	int rc = t_run(args, &err);

	cr_assert_eq(rc, 0, "build failed (%d): %s", rc, err ? err : "");
	free(err);
	free(args);
	return sg_xasprintf("%s/public", dir);
}

htmlDocPtr
t_page(const char *pub, const char *rel)
{
	char *p = sg_xasprintf("%s/%s", pub, rel);
	htmlDocPtr doc = t_html(p);

	cr_assert_not_null(doc, "cannot parse %s", p);
	free(p);
	return doc;
}

char *
t_copy_example(void)
{
	char *dir = t_tmpdir();
	char *cmd = sg_xasprintf("cp -R '%s/content' '%s/themes' '%s/site.yml' "
	    "'%s/'", t_root(), t_root(), t_root(), dir);

	if (system(cmd) != 0)
		abort();
	free(cmd);
	return dir;
}

#include <libxml/parser.h>

#include "load.h"
#include "markdown.h"
#include "source.h"

void
t_init(void)
{
	xmlInitParser();
	sg_md_init();
}

void
t_minimal_site(const char *dir)
{
	t_write(dir, "site.yml", "title: 测试学校质量年报\nbase_url: "
	    "https://example.edu.cn/r/\nschool: 测试学校\n");
	t_write(dir, "content/2024/report.yml", "title: 测试学校 2024 年度报告\n"
	    "year: 2024\npublished: 2024-12-27\ntemplate: zz-2024\n");
}

struct sg_site *
t_load(const char *dir, struct sg_source **src, struct sg_diag *d)
{
	*src = sg_source_fs_new(dir);
	return sg_load_site(*src, d);
}

void
t_git_commit(git_repository *repo, const char *msg, long long t)
{
	git_index *idx;
	git_oid tree, id, parent;
	git_tree *tr;
	git_commit *pc = NULL;
	git_signature *sig;
	char *paths[] = {"content", "site.yml", "themes"};
	git_strarray ps = {paths, 3};

	cr_assert_eq(git_repository_index(&idx, repo), 0);
	cr_assert_eq(git_index_add_all(idx, &ps, 0, NULL, NULL), 0);
	cr_assert_eq(git_index_write(idx), 0);
	cr_assert_eq(git_index_write_tree(&tree, idx), 0);
	git_index_free(idx);
	cr_assert_eq(git_tree_lookup(&tr, repo, &tree), 0);
	cr_assert_eq(git_signature_new(&sig, "测试", "t@example.cn",
	    (git_time_t)t, 480), 0);
	if (git_reference_name_to_id(&parent, repo, "HEAD") == 0)
		cr_assert_eq(git_commit_lookup(&pc, repo, &parent), 0);
	const git_commit *parents[] = {pc};
	cr_assert_eq(git_commit_create(&id, repo, "HEAD", sig, sig, NULL, msg,
	    tr, pc ? 1 : 0, parents), 0);
	git_commit_free(pc);
	git_signature_free(sig);
	git_tree_free(tr);
}

char *
t_lastmod(const char *dir, const char *rel)
{
	char *p = sg_xasprintf("%s/public/sitemap.xml", dir);
	xmlDocPtr doc = xmlReadFile(p, NULL, XML_PARSE_NONET);
	char *xp = sg_xasprintf("/s:urlset/s:url[s:loc='http://yqzghzx.yqer.cn/"
	    "zlnb/%s']/s:lastmod", rel);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;
	char *v = sg_xstrdup("");

	cr_assert_not_null(doc);
	ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"s",
	    (const xmlChar *)"http://www.sitemaps.org/schemas/sitemap/0.9");
	o = xmlXPathEvalExpression((const xmlChar *)xp, ctx);
	if (o && o->nodesetval && o->nodesetval->nodeNr) {
		xmlChar *c = xmlNodeGetContent(o->nodesetval->nodeTab[0]);
		free(v);
		v = sg_xstrdup((char *)c);
		xmlFree(c);
	}
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(xp);
	free(p);
	return v;
}

int
t_sh(const char *cmd, char **out, char **err)
{
	char *dir = t_tmpdir();
	char *full = sg_xasprintf("(%s) >'%s/out' 2>'%s/err'", cmd, dir, dir);
	char *p;
	int st = system(full);

	p = sg_xasprintf("%s/out", dir);
	if (out)
		*out = t_read(p, NULL);
	unlink(p);
	free(p);
	p = sg_xasprintf("%s/err", dir);
	if (err)
		*err = t_read(p, NULL);
	unlink(p);
	free(p);
	rmdir(dir);
	free(dir);
	free(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
