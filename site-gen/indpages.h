/*
 * indpages: what the appendix tables look like on the site — the six tables
 * of a year (/<year>/indicators/ and the print view) with change and
 * charts, the trends across years (/indicators/), the home page's key
 * figures — and the downloads (CSV, JSON, indicators.json) written beside
 * them.  pages.c puts the HTML into the theme's templates.
 */
#ifndef SG_INDPAGES_H
#define SG_INDPAGES_H

#include <stddef.h>

#include "sg.h"

struct sg_diag;
struct sg_output;
struct sg_vars;

enum {
	SG_INDPAGE_PRINT = 1	/* no download links */
};

/* 1 if any report has a typed indicator table (the site has /indicators/). */
int sg_indpage_any(const struct sg_site *s);

/*
 * HTML of report r's six tables for the page at output dir page (e.g.
 * "2024/indicators/"): units, core marks, indented sub-rows, values with
 * 不适用 / 未填报, the change from the year before, an SVG chart per row,
 * download links.  Caller frees.
 */
char *sg_indpage_tables(const struct sg_site *s, const struct sg_report *r,
    const char *page, int flags);

/* HTML of every indicator's values across all years of the site, grouped
 * by table, with a chart and restatements shown.  Caller frees. */
char *sg_indpage_trends(const struct sg_site *s, const char *page);

/*
 * Adds report r's key figures to v as list "figures" (fig_label, fig_value,
 * fig_unit, fig_change, fig_class, fig_arrow, fig_word, fig_note) and sets
 * figures_year and figures_url.  Returns the number of figures.
 */
size_t sg_indpage_figures(const struct sg_site *s, const struct sg_report *r,
    struct sg_vars *v, const char *page);

/*
 * Writes <year>/indicators/N-slug.csv and .json for every table read, and
 * indicators.json.  Adds the number of files to *files.  0, or -1 after a
 * fatal finding.
 */
/* Writes one report's tables as CSV and JSON under its prefix (an
 * archived revision's too).  Adds to *files.  Returns 0 or -1. */
/* The files a report offers for download, as output paths: each
 * appendix table's CSV and JSON and each narrative table's CSV.  Appended
 * to out. */
void sg_indpage_downloads(const struct sg_report *r, struct sg_strv *out);
int sg_indpage_write_report(const struct sg_report *r, struct sg_output *o,
    size_t *files, struct sg_diag *d);
int sg_indpage_write(const struct sg_site *s, struct sg_output *o,
    size_t *files, struct sg_diag *d);

#endif
