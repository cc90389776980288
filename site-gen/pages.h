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

#endif
