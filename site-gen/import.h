/*
 * import: `site-gen import FILE.docx --year YEAR` — a school's Word report
 * turned into a new content/<year>/ in the documented format: report.yml
 * and index.md from the cover, statement and preface; NN-slug.md chapters;
 * cases/, tables/, indicators/ (the six appendix tables matched to the
 * template) and images/.  It never overwrites: an existing year is
 * refused, and the folder appears whole or not at all.
 */
#ifndef SG_IMPORT_H
#define SG_IMPORT_H

#include <stdio.h>

struct sg_diag;

struct sg_import_stats {
	int	chapters;
	int	cases;
	int	figures;	/* captioned or not */
	int	images;		/* figures with their image written */
	int	tables;		/* narrative tables */
	int	appendix;	/* appendix tables matched to the template */
	int	appendix_all;	/* tables the template has */
	size_t	findings;	/* warnings of the import */
};

/*
 * Imports the .docx at path (named shown in findings) into the folder out (which must not exist, or
 * be empty), for report year, matching appendix tables to the template in
 * the site folder site.  Losses are warnings at path:¶N.  Returns 0, or -1
 * after an error finding (nothing written).
 */
int sg_import_docx(const char *path, const char *shown, const char *site,
    const char *out, int year, struct sg_import_stats *st, struct sg_diag *d);

#endif
