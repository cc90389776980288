/*
 * page_indicators: the values the theme shows of the appendix tables —
 * the six tables of a year (/<year>/indicators/ and the print view) with
 * change and charts, the trends across years (/indicators/), the home
 * page's key figures — and the downloads (CSV, JSON, indicators.json)
 * written beside them.
 */
#ifndef SG_PAGE_INDICATORS_H
#define SG_PAGE_INDICATORS_H

#include <stddef.h>

#include "sg.h"

struct sg_diag;
struct sg_output;
struct sg_theme;
struct sg_vars;

enum {
	SG_INDPAGE_PRINT = 1	/* no download links */
};

/* 1 if any report has a typed indicator table (the site has /indicators/). */
int sg_indpage_any(const struct sg_site *s);

/*
 * HTML of report r's six tables, rendered with theme's
 * indicator-tables.html (it is put in the indicators page and the print
 * view; links are relative to the table's page): units, core marks,
 * indented sub-rows, values, not applicable or not filled in, the change
 * from the year before, a chart per row, download links.  Caller frees;
 * "" after a finding in d.
 */
char *sg_indpage_tables(struct sg_theme *theme, const struct sg_site *s,
    const struct sg_report *r, int flags, struct sg_diag *d);

/* Adds to v, as list trend_tables for trends.html, every indicator's
 * values across all years of the site, grouped by table, with a chart
 * and restatements; links are relative to page. */
void sg_indpage_trends(const struct sg_site *s, const char *page,
    struct sg_vars *v);

/*
 * Adds report r's key figures to v as list "figures" (fig_label, the
 * value fig_num or fig_na / fig_empty, fig_unit, fig_class, the change
 * fig_chg_* and the year compared with fig_prev, fig_prev_na, fig_note)
 * and sets figures_year and figures_url.  Returns the number of figures.
 */
size_t sg_indpage_figures(const struct sg_site *s, const struct sg_report *r,
    struct sg_vars *v, const char *page);

/* The files a report offers for download, as output paths: each
 * appendix table's CSV and JSON and each narrative table's CSV.  Appended
 * to out. */
void sg_indpage_downloads(const struct sg_report *r, struct sg_strv *out);
/* Writes one report's tables as CSV and JSON under its prefix (an
 * archived revision's too).  Adds to *files.  Returns 0 or -1. */
int sg_indpage_write_report(const struct sg_report *r, struct sg_output *o,
    size_t *files, struct sg_diag *d);
/*
 * Writes <year>/indicators/N-slug.csv and .json for every table read, and
 * indicators.json.  Adds the number of files to *files.  0, or -1 after a
 * fatal finding.
 */
int sg_indpage_write(const struct sg_site *s, struct sg_output *o,
    size_t *files, struct sg_diag *d);

#endif
