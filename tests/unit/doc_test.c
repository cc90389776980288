/*
 * doc: a document's text is not kept in the model but read again when a
 * stage needs it — the same text as loaded, or a fatal finding if the file
 * changed meanwhile.  And check, which reads documents on several threads,
 * gives its findings in the same order on any number of them.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "doc.h"
#include "helpers.h"
#include "load.h"
#include "markdown.h"
#include "pool.h"
#include "sg.h"
#include "source.h"
#include "util.h"

TestSuite(doc, .init = t_init, .timeout = 60);

#define CHAPTER	"---\ntitle: 学校情况\n---\n## 概况\n\n正文第一段。\n"

static struct sg_site *
load_built(const char *dir, struct sg_source **src, struct sg_diag *d)
{
	struct sg_site *s;

	*src = sg_source_fs_new(dir);
	s = sg_load_site_ex(*src, SG_LOAD_RELEASE, d);
	sg_md_release_all(s);
	return s;
}

Test(doc, read_again_gives_the_text_and_its_body)
{
	char *dir = t_tmpdir(), *text;
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;
	struct sg_doc *doc;
	const char *body;

	t_minimal_site(dir);
	t_write(dir, "content/2024/01-a.md", CHAPTER);
	t_write(dir, "content/2024/02-b.md", "没有 front matter 的文件\n");
	s = load_built(dir, &src, &d);
	cr_assert_eq(s->reports[0].nchapters, 2);
	doc = &s->reports[0].chapters[0].doc;
	cr_assert_eq(sg_doc_read(doc, &text, &body, &d), 0);
	cr_assert_str_eq(text, CHAPTER);
	cr_assert_str_eq(body, "## 概况\n\n正文第一段。\n");
	cr_assert_eq(doc->body_line, 4);
	free(text);
	/* A file refused at load: its text for check, no body. */
	doc = &s->reports[0].chapters[1].doc;
	cr_assert_eq(sg_doc_read(doc, &text, &body, &d), 0);
	cr_assert_str_eq(text, "没有 front matter 的文件\n");
	cr_assert_str_eq(body, "");
	free(text);
	cr_assert_eq(sg_diag_count(&d, SG_FATAL), 0);
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

Test(doc, a_file_changed_after_loading_fails_the_build)
{
	char *dir = t_tmpdir(), *html, *path;
	struct sg_diag d = {0};
	struct sg_source *src;
	struct sg_site *s;
	struct sg_report *r;

	t_minimal_site(dir);
	t_write(dir, "content/2024/01-a.md", CHAPTER);
	s = load_built(dir, &src, &d);
	r = &s->reports[0];
	html = sg_md_render(s, r, &r->chapters[0].doc, "2024/01-a/",
	    SG_MD_CARDS);
	cr_assert(strstr(html, "正文第一段") != NULL, "%s", html);
	free(html);
	cr_assert_eq(sg_doc_failures(s, &d), 0);

	/* Same size, other bytes: the hash tells. */
	t_write(dir, "content/2024/01-a.md", "---\ntitle: 学校情况\n---\n"
	    "## 概况\n\n正文第二段。\n");
	html = sg_md_render(s, r, &r->chapters[0].doc, "2024/01-a/",
	    SG_MD_CARDS);
	cr_assert_null(strstr(html, "正文第二段"), "%s", html);
	free(html);
	cr_assert_eq(sg_doc_failures(s, &d), 1);
	cr_assert_eq(sg_diag_count(&d, SG_FATAL), 1);
	cr_assert(t_has(&d, SG_FATAL, 0, "changed while the site was being "
	    "built"));
	cr_assert_str_eq(d.v[d.n - 1].file, "content/2024/01-a.md");

	/* Gone: the same. */
	path = sg_path_join(dir, "content/2024/01-a.md");
	cr_assert_eq(unlink(path), 0);
	free(path);
	free(sg_md_render(s, r, &r->chapters[0].doc, "2024/01-a/",
	    SG_MD_CARDS));
	cr_assert_eq(sg_doc_failures(s, &d), 1);
	cr_assert(t_has(&d, SG_FATAL, 0, "cannot be read again"));
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	free(dir);
}

/* Findings of check on the example (not those of loading), in the order
 * check made them. */
static char *
check_order(const char *dir, int threads)
{
	struct sg_diag ld = {0}, d = {0};
	struct sg_source *src;
	struct sg_site *s;
	struct sg_buf b = {0};

	sg_pool_set_threads(threads);
	s = t_load(dir, &src, &ld);
	sg_check_run(s, 0, &(struct sg_check_opts){1, 0}, &d);
	sg_pool_set_threads(0);
	sg_diag_clear(&ld);
	for (size_t i = 0; i < d.n; i++)
		sg_buf_printf(&b, "%s:%d: %s\n", d.v[i].file ? d.v[i].file : "",
		    d.v[i].line, d.v[i].msg);
	sg_load_free(s);
	sg_source_free(src);
	sg_diag_clear(&d);
	return sg_buf_take(&b);
}

Test(doc, check_finds_the_same_in_the_same_order_on_any_threads)
{
	char *dir = t_copy_example(), *one, *four;

	/* Personal data in a chapter and a case, so that documents looked
	 * at on other threads have findings of their own. */
	t_write(dir, "content/2024/cases/99-x.md", "---\ntitle: 联系\n"
	    "number: 99\n---\n联系电话 13812345678。\n");
	one = check_order(dir, 1);
	four = check_order(dir, 4);
	cr_assert(strstr(one, " says ") != NULL, "%s", one);
	cr_assert(strstr(one, "138****5678") != NULL, "%s", one);
	cr_assert_str_eq(one, four);
	free(one);
	free(four);
	free(dir);
}
