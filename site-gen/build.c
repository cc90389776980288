/*
 * build: the one pipeline.  build, serve and publish call sg_build_run,
 * so a page, a finding and its severity are the same whichever command
 * made them.
 *
 * The stages: the output folder is vetted (output.c); the build stamp
 * may say nothing changed (stamp.c); the disclosure history's tags are
 * read (history.c) and decide what is shown — the tagged tree of each
 * published year through a source view (source_view.c), or the working
 * tree for a preview or a site that never published; the site is loaded
 * (load.c) and checked with build's severities (check.c); the theme is
 * loaded, the history's revisions attached, every page rendered into a
 * staging folder (pages.c), each report typeset as a PDF with them
 * (pdf.c), and swapped in (output.c); the stamp is saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "cache.h"
#include "check.h"
#include "data.h"
#include "diag.h"
#include "history.h"
#include "load.h"
#include "markdown.h"
#include "output.h"
#include "pages.h"
#include "pdf.h"
#include "source.h"
#include "stamp.h"
#include "theme.h"
#include "util.h"

/* With verbose, how long each stage took: where a slow build spends it. */
static void
phase(const struct sg_build_opts *o, struct sg_build_res *res,
    const char *what, double *t)
{
	double n = sg_time_now();

	if (o->verbose)
		sg_strv_push(&res->phases, sg_xasprintf("%-8s %.3f s", what,
		    n - *t));
	*t = n;
}

/* The working tree's years: content/<year>/ folders. */
static void
work_years(struct sg_source *work, struct sg_strv *out)
{
	struct sg_strv all = {0};

	sg_source_list(work, "content", SG_SOURCE_DIR, &all);
	for (size_t i = 0; i < all.n; i++) {
		const char *y = all.v[i];
		if (strlen(y) == 4 && strspn(y, "0123456789") == 4)
			sg_strv_push(out, sg_xstrdup(y));
	}
	sg_strv_clear(&all);
}

/*
 * What a public build reads: a view of the working tree in which each
 * published year is the tree of its latest tag and no other year is
 * there.  Says, a line a year, what the output shows.  Returns the view
 * (free it before work), or NULL to read the working tree itself (no
 * history, or no year ever published).
 */
static struct sg_source *
disclosed(struct sg_source *work, struct sg_history *h, const char *out,
    struct sg_strv *lines, struct sg_diag *d)
{
	struct sg_source *view;
	struct sg_strv wy = {0};

	if (h == NULL || h->nrevs == 0)
		return NULL;
	view = sg_source_view_new(work);
	for (size_t i = 0; i < h->nrevs; i++) {
		const struct sg_rev *r = &h->revs[i];
		struct sg_source *ys;
		int pending;

		/* revs are by year, then N: take each year's last. */
		if (i + 1 < h->nrevs && h->revs[i + 1].year == r->year)
			continue;
		if (sg_history_source(h, r->commit, &ys, d) == -1)
			continue;
		sg_source_view_year(view, r->year, ys);
		pending = sg_history_pending(h, r->year);
		if (pending > 0)
			sg_strv_push(lines, sg_xasprintf("%d: %s shows r%d; %d "
			    "file%s changed since: publish to disclose %s",
			    r->year, out, r->n, pending, pending == 1 ? "" : "s",
			    pending == 1 ? "it" : "them"));
		else
			sg_strv_push(lines, sg_xasprintf("%d: %s shows r%d",
			    r->year, out, r->n));
	}
	work_years(work, &wy);
	for (size_t i = 0; i < wy.n; i++) {
		int year = atoi(wy.v[i]);
		size_t n;
		if (sg_history_year(h, year, &n) == NULL)
			sg_strv_push(lines, sg_xasprintf("%d: not published, "
			    "left out (build --drafts -o DIR previews it)", year));
	}
	sg_strv_clear(&wy);
	return view;
}

/* The PDF maker for a build (NULL for none: off, drafts, no engine — a
 * warning, once —, or a theme without pdf.html). */
static struct sg_pdf *
pdf_maker(const struct sg_build_opts *o, const char *engine, int off,
    const struct sg_theme *theme, struct sg_diag *d)
{
	struct sg_pdf *q;

	if (off)
		return NULL;
	if (engine == NULL) {
		sg_diag_add(d, SG_WARNING, NULL, 0, 0, "no PDF made: the "
		    "typesetting engine weasyprint is not installed; expected "
		    "it on PATH (make deps, or apt-get install weasyprint)");
		return NULL;
	}
	if (!sg_theme_has(theme, "pdf")) {
		sg_diag_add(d, SG_WARNING, sg_theme_dir(theme), 0, 0, "no PDF "
		    "made: the theme has no pdf.html; expected a print document "
		    "template (see themes/default/pdf.html)");
		return NULL;
	}
	q = sg_pdf_new(engine, o->out);
	if (o->pdf_only)
		sg_pdf_only(q, o->pdf_only);
	return q;
}

/*
 * In a public build the published years are what was disclosed: an error
 * in them (a rule newer than the publication, say) cannot stop the site
 * that shows the record.  From the finding at first on, an error in a
 * published year's file is a warning that says where to mend it.
 */
static void
as_published(struct sg_history *h, struct sg_diag *d, size_t first)
{
	for (size_t i = first; i < d->n; i++) {
		struct sg_diag_item *it = &d->v[i];
		size_t n;
		int year;
		struct sg_rev *v;
		if (it->sev != SG_ERROR || it->file == NULL ||
		    sscanf(it->file, "content/%4d/", &year) != 1 ||
		    (v = sg_history_year(h, year, &n)) == NULL)
			continue;
		char *m = it->msg;
		it->sev = SG_WARNING;
		it->msg = sg_xasprintf("%s (as published in r%d: publish a "
		    "correction, or withdraw it)", m, v[n - 1].n);
		free(m);
	}
}

int
sg_build_run(const struct sg_build_opts *o, struct sg_build_res *res,
    struct sg_diag *d)
{
	struct sg_source *work = NULL, *view = NULL;
	struct sg_site *site = NULL;
	struct sg_theme *theme = NULL;
	struct sg_history *hist = NULL;
	struct sg_output out = {0};
	struct sg_build_stats st = {0};
	struct sg_stamp *stamp = NULL;
	struct sg_stamp_result sr = {0};
	struct sg_cache *cache = NULL;
	struct sg_stamp *scan = NULL;
	double tp = sg_time_now();
	char *tdir = NULL;
	int rc = 0, keep_going = (o->flags & SG_BUILD_KEEP_GOING) != 0;
	int drafts = (o->flags & SG_BUILD_DRAFTS) != 0;
	/* A preview has no PDF: it would not say it is one. */
	int pdf_off = drafts || (o->flags & SG_BUILD_NO_PDF) != 0 ||
	    (o->pdf_only == NULL && sg_pdf_off());
	char *engine = pdf_off ? NULL : sg_pdf_engine();
	struct sg_pdf *pdf = NULL;

	memset(res, 0, sizeof(*res));
	/* Before anything else: a build replaces its output folder whole. */
	if (sg_output_check(o->out, o->theme_opt,
	    (o->flags & SG_BUILD_FORCE_OUTPUT) != 0, d) == -1)
		return 2;
	if (!(o->flags & SG_BUILD_NO_STAMP)) {
		stamp = sg_stamp_new(o->out, o->theme_opt, keep_going);
		sg_stamp_mode(stamp, drafts ? "drafts" : "public");
		sg_stamp_pdf(stamp, pdf_off ? NULL : engine ? engine : "");
		if (!(o->flags & SG_BUILD_FORCE) &&
		    sg_stamp_replay(stamp, d, &sr)) {
			phase(o, res, "stamp", &tp);
			res->skipped = 1;
			res->pages = sr.pages;
			res->files = sr.files;
			res->years = sr.said;
			rc = sr.rc;
			goto out;
		}
		if (o->verbose && !(o->flags & SG_BUILD_FORCE))
			res->why = sg_xstrdup(sg_stamp_why(stamp));
		sg_stamp_scan(stamp, d);
		phase(o, res, "stamp", &tp);
	}

	/* What the last build made of each input, unless told to make it
	 * all again.  Without a stamp (a folder to be thrown away) only when
	 * asked for (serve, which builds into its folder again and again). */
	if (stamp || (o->flags & SG_BUILD_CACHE)) {
		cache = sg_cache_open(o->out, !(o->flags & SG_BUILD_FORCE));
		if (o->verbose && cache && *sg_cache_why(cache))
			sg_strv_push(&res->phases, sg_xasprintf("cache    "
			    "%s", sg_cache_why(cache)));
		/* The scan tells which files are as they were (by their
		 * stat), so that those need not be read: serve, which keeps
		 * no stamp, scans for that alone. */
		if ((scan = stamp) == NULL && cache) {
			scan = sg_stamp_new(o->out, o->theme_opt, keep_going);
			sg_stamp_scan(scan, d);
		}
	}
	work = sg_source_fs_new(".");
	hist = sg_history_open_build(".", d);
	if (!drafts)
		view = disclosed(work, hist, o->out, &res->years, d);
	size_t first = d->n;
	site = sg_load_config(view ? view : work, SG_LOAD_RELEASE, d);
	site->preview = drafts;
	site->cache = cache;
	/* A public build of a site with a history reads git trees. */
	site->files = view ? NULL : scan;
	if (o->base_url) {
		/* The preview is served from the root of its server. */
		free(site->base_url);
		free(site->base_path);
		site->base_url = sg_xstrdup(o->base_url);
		site->base_path = sg_xstrdup("/");
	}
	/* The theme before the documents: they are rendered with its parts
	 * as they are parsed.  The built-in theme is part of the binary,
	 * which the stamp holds. */
	if ((tdir = sg_theme_find(o->theme_opt, site->theme, d)) != NULL &&
	    stamp && !sg_data_is_builtin(tdir))
		sg_stamp_theme(stamp, tdir);
	theme = tdir ? sg_theme_load(tdir, d) : NULL;
	site->parts = theme;
	sg_load_content(site, d);
	phase(o, res, "load", &tp);
	/* The findings of check, with build's severities. */
	sg_check_run(site, 0, &(struct sg_check_opts){0, 0}, d);
	if (view)
		as_published(hist, d, first);
	phase(o, res, "check", &tp);
	/* Content errors stop the build before anything is written. */
	if ((keep_going ? sg_diag_count(d, SG_FATAL) > 0 : sg_diag_failed(d)) ||
	    theme == NULL) {
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	site->hist = hist;
	sg_history_load_build(hist, site, d);
	phase(o, res, "history", &tp);
	/* Memory grows with the number of pages only by their metadata:
	 * each document's tree is rebuilt for its page and freed after. */
	sg_md_release_all(site);
	if (sg_output_begin(&out, o->out, d) == -1) {
		rc = 3;
		goto out;
	}
	st.progress = o->progress;
	st.progress_arg = o->progress_arg;
	st.pdf = pdf = pdf_maker(o, engine, pdf_off, theme, d);
	rc = sg_pages_build(site, theme, &out, &st, d);
	phase(o, res, "pages", &tp);
	if (rc == -1 ||
	    (keep_going ? sg_diag_count(d, SG_FATAL) > 0 : sg_diag_failed(d))) {
		sg_output_abort(&out);
		rc = sg_diag_count(d, SG_FATAL) ? 3 : 1;
		goto out;
	}
	if (sg_output_commit(&out, d) == -1) {
		sg_output_abort(&out);
		rc = 3;
		goto out;
	}
	phase(o, res, "commit", &tp);
	sg_pdf_save(pdf, d);
	res->pages = st.pages;
	res->files = st.files;
	res->written = out.written;
	res->kept = out.kept;
	res->changed = out.changed;
	out.changed = (struct sg_strv){0};
	if (stamp) {
		sr = (struct sg_stamp_result){0, st.pages, st.files,
		    res->years};
		sg_stamp_save(stamp, &sr, d);
		phase(o, res, "stamp", &tp);
	}
out:
	/* Its entries hold whatever the build ended with: a build stopped by
	 * a content error has made what the next one needs too. */
	if (cache && site && sg_cache_save(cache) == 0 && o->verbose) {
		size_t hits, misses;
		sg_cache_counts(cache, &hits, &misses);
		sg_strv_push(&res->phases, sg_xasprintf("cache    %zu hit, "
		    "%zu made", hits, misses));
	}
	sg_cache_free(cache);
	if (scan != stamp)
		sg_stamp_free(scan);
	sg_pdf_free(pdf);
	free(engine);
	sg_stamp_free(stamp);
	sg_output_clear(&out);
	sg_theme_free(theme);
	free(tdir);
	/* The site reads through the view, whose trees are the history's. */
	sg_load_free(site);
	sg_source_free(view);
	sg_history_free(hist);
	sg_source_free(work);
	return rc;
}

void
sg_build_res_clear(struct sg_build_res *res)
{
	sg_strv_clear(&res->changed);
	sg_strv_clear(&res->years);
	sg_strv_clear(&res->phases);
	free(res->why);
	memset(res, 0, sizeof(*res));
}
