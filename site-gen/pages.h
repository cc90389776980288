/*
 * pages: the list of pages a site has and the values each page kind fills
 * into its theme template — home, report cover with contents, chapter,
 * print view, case, cases index and tag pages, indicator tables, 404.
 */
#ifndef SG_PAGES_H
#define SG_PAGES_H

#include "sg.h"

struct sg_diag;
struct sg_output;
struct sg_pdf;
struct sg_theme;

struct sg_build_stats {
	size_t	pages;		/* HTML pages written */
	size_t	files;		/* other files written or copied */
	size_t	total;		/* pages the site has, known before the first */
	/* Called after each page when set (kept across sg_pages_build). */
	void	(*progress)(void *arg, size_t done, size_t total);
	void	*progress_arg;
	/* Typesets each report's PDF when set (kept across sg_pages_build;
	 * its sg_pdf_files are the PDFs the build made). */
	struct sg_pdf *pdf;
};

/*
 * Renders every page of site with theme into the staging output o, copies
 * the theme's assets and the content's images and CSVs, and writes the
 * sitemap, robots.txt and feed.  Returns 0, or -1 after a fatal finding.
 */
int sg_pages_build(struct sg_site *site, struct sg_theme *theme,
    struct sg_output *o, struct sg_build_stats *st, struct sg_diag *d);

/*
 * A build in progress, as page modules beyond pages.c (page_history.c) see
 * it.  They fill templates with the same site-wide values and add their
 * pages to the sitemap and feed.
 */
struct sg_pages;
struct sg_vars;
struct sg_site *sg_pages_site(struct sg_pages *p);
/* The theme the pages are rendered with, for its words (borrowed). */
const struct sg_theme *sg_pages_theme(struct sg_pages *p);
/* The staging output the pages go to (borrowed). */
struct sg_output *sg_pages_output(struct sg_pages *p);
/* Writes a file that is not a page (a failure fails the build). */
void sg_pages_write(struct sg_pages *p, const char *rel, const char *data,
    size_t len);
/* Values every page has (site, navigation, assets); render frees them. */
struct sg_vars *sg_pages_vars(struct sg_pages *p, const char *page,
    const char *title, const char *description);
void sg_pages_render(struct sg_pages *p, const char *kind, const char *page,
    struct sg_vars *v);
void sg_pages_crumb(struct sg_vars *v, const char *page, const char *label,
    const char *target);
/* Adds a sitemap entry (or, with feed_only, only a feed entry). */
void sg_pages_ref(struct sg_pages *p, const char *path, const char *lastmod,
    const char *title, const char *summary, int feed_only);
/* The PDF of report r made in this build (its path, size, SHA-256, for
 * the history ledger), or NULL.  Borrowed from the build. */
const struct sg_pdf_file *sg_pages_pdf(struct sg_pages *p,
    const struct sg_report *r);
/* Every page and file of report r of site s (an archived revision, whose
 * prefix puts it under <year>/r<N>/). */
void sg_pages_report(struct sg_pages *p, struct sg_site *s,
    struct sg_report *r);

#endif
