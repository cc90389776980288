/*
 * scaffold: `site-gen new year|case` — files a new report or case starts
 * from.  Nothing that exists is ever overwritten.  Paths are relative to
 * the site directory (the current directory).
 */
#ifndef SG_SCAFFOLD_H
#define SG_SCAFFOLD_H

#include "util.h"

struct sg_diag;

/* What a scaffold call did; clear with sg_scaffold_clear. */
struct sg_scaffold {
	struct sg_strv	created;	/* files written */
	struct sg_strv	kept;		/* files that existed and were kept */
	size_t		headers_only;	/* appendix tables with no rows (no
					   table of the year before) */
	int		number;		/* new case: its 案例 number */
};

/*
 * Creates content/<year>/: report.yml, index.md, the nine chapters of the
 * national template, the six appendix tables (rows and the previous-year
 * column from content/<year-1>/indicators/) and empty cases/, tables/,
 * images/.  Refuses (error, nothing written) when report.yml exists.
 * Returns 0, or -1 after a finding.
 */
int sg_scaffold_year(int year, struct sg_scaffold *res, struct sg_diag *d);

/*
 * Creates content/<year>/cases/NN-<slug>.md, NN one past the highest case
 * number, with front matter for title.  slug NULL: from the title's ASCII
 * letters, else "case".  Returns 0, or -1 after a finding.
 */
int sg_scaffold_case(int year, const char *title, const char *slug,
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
