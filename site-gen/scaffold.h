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

void sg_scaffold_clear(struct sg_scaffold *res);

/* The file name ("02-talent.md") of the national chapter whose standard
 * title starts title (特色创新——… is 08-innovation.md), or NULL. */
const char *sg_scaffold_chapter_file(const char *title);
/* An ASCII file-name part from a title, "case" when it has none.  Caller
 * frees. */
char *sg_scaffold_slug(const char *title);
/* title as a double-quoted YAML scalar.  Caller frees. */
char *sg_scaffold_yaml_quote(const char *s);
/* Appends one CSV field to b, after a comma unless first, quoted when it
 * has to be (RFC 4180). */
void sg_scaffold_csv_field(struct sg_buf *b, const char *s, int first);

#endif
