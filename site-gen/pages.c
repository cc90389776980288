/*
 * pages: the render stage — the theme's assets and each report's files
 * copied into the staging output, every page kind rendered (one module
 * each, page_*.c; see pages_int.h), chapters, cases and listing pages on
 * the render pool, each published revision's report under <year>/r<N>/
 * rendered by the same page kinds, then the sitemap and feed of the pages
 * made.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "diag.h"
#include "doc.h"
#include "history.h"
#include "page_indicators.h"
#include "output.h"
#include "pages_int.h"
#include "pdf.h"
#include "pool.h"
#include "sitemap.h"
#include "theme.h"
#include "source.h"
#include "util.h"

/* A report's images and CSVs, from its source: a file of the working
 * tree is copied, one of a git tree (an archive) is read and written. */
static void
copy_report_files(struct sg_pages *b, struct sg_site *s, struct sg_report *r)
{
	struct sg_strv files = {0};

	for (size_t i = 0; i < r->images.n; i++)
		sg_strv_push(&files, sg_xstrdup(r->images.v[i]));
	for (size_t i = 0; i < r->ntables; i++)
		sg_strv_push(&files, sg_xstrdup(r->tables[i].rel));
	for (size_t i = 0; i < files.n; i++) {
		char *src = sg_xasprintf("%s/%s", r->dir, files.v[i]);
		char *real = sg_source_realpath(s->src, src);
		char *dst = sg_xasprintf("%s%s", r->prefix, files.v[i]);
		char *data;
		size_t len;
		if (real) {
			if (sg_output_copy(b->o, real, dst, b->d) == -1)
				b->failed = 1;
		} else if (sg_source_read(s->src, src, &data, &len, b->d) == -1) {
			b->failed = 1;
		} else {
			if (sg_output_write(b->o, dst, data, len, b->d) == -1)
				b->failed = 1;
			free(data);
		}
		b->st->files++;
		free(src);
		free(real);
		free(dst);
	}
	sg_strv_clear(&files);
}

/* The assets of the built-in theme, from the binary (data.h). */
static void
copy_builtin_assets(struct sg_pages *b, const char *dir)
{
	char *pre = sg_xasprintf("%s/assets/", dir + strlen(SG_DATA_BUILTIN));
	size_t n = strlen(pre);

	for (const struct sg_data_file *f = sg_data_files; f->path; f++) {
		if (strncmp(f->path, pre, n) != 0)
			continue;
		char *dst = sg_xasprintf("assets/%s", f->path + n);
		if (sg_output_write(b->o, dst, (const char *)f->data, f->len,
		    b->d) == -1)
			b->failed = 1;
		free(dst);
	}
	free(pre);
}

/* The theme's assets, before any page: the PDF's print document uses
 * them from the staging folder.  Each report's files come with its
 * pages. */
static void
copy_files(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	const char *dir = sg_theme_dir(b->theme);
	char *assets = sg_path_join(dir, "assets");

	if (sg_data_is_builtin(dir))
		copy_builtin_assets(b, dir);
	else if (sg_is_dir(assets) &&
	    sg_output_copy_tree(b->o, assets, "assets", b->d) == -1)
		b->failed = 1;
	free(assets);
	if (s->icon) {
		char *real = sg_source_realpath(s->src, s->icon);
		char *data;
		size_t len;
		if (real) {
			if (sg_output_copy(b->o, real, sg_page_icon_name(s),
			    b->d) == -1)
				b->failed = 1;
		} else if (sg_source_read(s->src, s->icon, &data, &len,
		    b->d) == -1 ||
		    sg_output_write(b->o, sg_page_icon_name(s), data, len,
		    b->d) == -1)
			b->failed = 1;
		else
			free(data);
		free(real);
	}
}

/* Every page of one report: cover, chapters, print view, cases, tables. */
struct doc_jobs {
	struct sg_pages		*b;
	struct sg_report	*r;
};

/* Job i: chapter i, then the cases.  Each renders only its own document
 * (a chapter shows its cases as cards, from their front matter). */
static void
doc_job(void *arg, size_t i)
{
	struct doc_jobs *j = arg;

	if (i < j->r->nchapters)
		sg_page_chapter(j->b, j->r, i);
	else
		sg_page_case(j->b, j->r, i - j->r->nchapters);
}

/* Every page and file of report r of site s: cover, chapters, print
 * view, cases, tables.  The print view shows every chapter and case, so it
 * waits for them; its PDF is typeset from the staged images, and the
 * cover links the PDF with its size, so the files come first and the
 * cover last. */
static void
report_pages(struct sg_pages *b, struct sg_site *s, struct sg_report *r)
{
	struct doc_jobs j = {b, r};

	copy_report_files(b, s, r);
	sg_pool_run(r->nchapters + r->ncases, doc_job, &j);
	sg_page_print(b, r);
	sg_page_cover(b, r);
	if (r->nindicators)
		sg_page_indicators(b, r);
}

/*
 * The published revisions of the current years that have their report
 * (history.h): each one's pages and files under <year>/r<N>/, rendered
 * like the current report's, before the history pages, which list the
 * hashes of its downloads.
 */
static void
archive_pages(struct sg_pages *b)
{
	struct sg_site *s = b->site;

	for (size_t y = 0; y < s->nreports; y++) {
		struct sg_report *r = &s->reports[y];
		size_t n;
		struct sg_rev *revs = sg_history_year(s->hist, r->year, &n);

		for (size_t i = 0; i < n; i++) {
			if (revs[i].report == NULL)
				continue;
			report_pages(b, revs[i].site, revs[i].report);
			if (sg_indpage_write_report(revs[i].report, b->o,
			    &b->st->files, b->d) == -1)
				b->failed = 1;
			sg_page_history_archive(b, &revs[i], r);
		}
	}
}

/* The pages sg_pages_build will render, for a progress line. */
static size_t
count_pages(const struct sg_site *s)
{
	struct sg_strv tags = {0};
	size_t *ntag = NULL, ncases = 0;
	size_t n = 2;		/* home, 404 */

	for (size_t y = 0; y < s->nreports; y++) {
		const struct sg_report *r = &s->reports[y];
		n += 2 + r->nchapters + r->ncases + (r->nindicators ? 1 : 0);
		if (r->ncases)
			n += sg_page_listing_pages(r->ncases);
		ncases += r->ncases;
		for (size_t i = 0; i < r->ncases; i++)
			for (size_t t = 0; t < r->cases[i].tags.n; t++) {
				const char *tag = r->cases[i].tags.v[t];
				size_t u = 0;
				while (u < tags.n &&
				    strcmp(tags.v[u], tag) != 0)
					u++;
				if (u == tags.n) {
					sg_strv_push(&tags, sg_xstrdup(tag));
					ntag = sg_xrealloc(ntag, tags.n *
					    sizeof(*ntag));
					ntag[u] = 0;
				}
				ntag[u]++;
			}
	}
	n += sg_page_listing_pages(ncases);
	for (size_t u = 0; u < tags.n; u++)
		n += sg_page_listing_pages(ntag[u]);
	free(ntag);
	sg_strv_clear(&tags);
	return n;
}

static int
cmp_ref(const void *pa, const void *pb)
{
	const struct sg_page_ref *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c == 0)
		c = a->feed_only - b->feed_only;
	if (c == 0)
		c = strcmp(a->title, b->title);
	return c;
}

int
sg_pages_build(struct sg_site *site, struct sg_theme *theme,
    struct sg_output *o, struct sg_build_stats *st, struct sg_diag *d)
{
	struct sg_pages b;
	void (*progress)(void *, size_t, size_t) = st->progress;
	void *progress_arg = st->progress_arg;
	struct sg_pdf *pdf = st->pdf;

	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.lock, NULL);
	memset(st, 0, sizeof(*st));
	st->progress = progress;
	st->progress_arg = progress_arg;
	st->pdf = pdf;
	st->total = count_pages(site);
	b.site = site;
	b.theme = theme;
	b.o = o;
	b.d = d;
	b.st = st;
	sg_page_cards_init(&b);
	copy_files(&b);
	sg_page_home(&b);
	for (size_t y = 0; y < site->nreports; y++)
		report_pages(&b, site, &site->reports[y]);
	sg_page_listings(&b);
	if (sg_indpage_any(site))
		sg_page_trends(&b);
	sg_page_search(&b);
	archive_pages(&b);
	sg_page_history(&b);
	sg_page_notfound(&b);
	if (!b.failed && sg_indpage_write(site, o, &st->files, d) == -1)
		b.failed = 1;
	/* A document read again for its page that had changed. */
	if (sg_doc_failures(site, d) > 0)
		b.failed = 1;
	/* Pages rendered on several threads arrive in any order. */
	if (b.nrefs > 1)
		qsort(b.refs, b.nrefs, sizeof(*b.refs), cmp_ref);
	if (!b.failed && (sg_sitemap_write(site, b.refs, b.nrefs, o, d) == -1 ||
	    sg_feed_write(site, b.refs, b.nrefs, o, d) == -1))
		b.failed = 1;
	for (size_t i = 0; i < b.nrefs; i++) {
		free(b.refs[i].path);
		free(b.refs[i].lastmod);
		free(b.refs[i].published);
		free(b.refs[i].title);
		free(b.refs[i].summary);
	}
	free(b.refs);
	sg_page_cards_clear(&b);
	return b.failed ? -1 : 0;
}

