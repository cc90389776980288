/*
 * scaffold: `site-gen new site|year|case`, `theme export` — files a new
 * site, report or case starts from.  Nothing that exists is ever
 * overwritten.  Paths are relative to the site directory (the current
 * directory) unless a folder is given.
 */
#ifndef SG_SCAFFOLD_H
#define SG_SCAFFOLD_H

#include "util.h"

struct sg_diag;

/* What a scaffold call did; clear with sg_scaffold_clear. */
struct sg_scaffold {
	struct sg_strv	created;	/* files written */
	struct sg_strv	kept;		/* files that existed and were kept */
	size_t		headers_only;	/* appendix tables with the template's
					   rows (no table of the year before) */
	int		number;		/* new case: its 案例 number */
	/* new year: */
	char		*template;	/* the template written, or "none" */
	const char	*template_why;	/* why that one (static text) */
	int		from_year;	/* the year it was taken from, or 0 */
	size_t		chapters;	/* chapters of its outline */
	size_t		tables;		/* its appendix tables */
};

/*
 * Creates content/<year>/ as its template lays it out: report.yml naming
 * the school of site.yml and the template, index.md, the chapters of the
 * template's outline, its appendix tables (rows and the previous-year
 * column from content/<year-1>/indicators/) and empty cases/, tables/,
 * images/.  The template is template (an id) if not NULL, else the one
 * the latest earlier report names, else the one whose years cover year.
 * Refuses (error, nothing written) when report.yml exists, site.yml names
 * no school or no template is found.  Returns 0, or -1 after a finding.
 */
int sg_scaffold_year(int year, const char *template, struct sg_scaffold *res,
    struct sg_diag *d);

/*
 * Creates content/<year>/cases/NN-<slug>.md, NN one past the highest case
 * number, with front matter for title.  slug NULL: from the title's ASCII
 * letters, else "case".  Returns 0, or -1 after a finding.
 */
int sg_scaffold_case(int year, const char *title, const char *slug,
    struct sg_scaffold *res, struct sg_diag *d);

/*
 * Starts a site in folder dir (which may exist): a commented site.yml for
 * school and base_url, a .gitignore for the build output, content/.
 * Refuses (error, nothing written) when dir/site.yml exists.  Returns 0,
 * or -1 after a finding.
 */
int sg_scaffold_site(const char *dir, const char *school, const char *base_url,
    struct sg_scaffold *res, struct sg_diag *d);

/*
 * Writes the built-in files below folder from ("themes/default") into
 * folder to, keeping every file that exists.  Returns 0, or -1 after a
 * finding.
 */
int sg_scaffold_export(const char *from, const char *to,
    struct sg_scaffold *res, struct sg_diag *d);

void sg_scaffold_clear(struct sg_scaffold *res);

#endif
