/*
 * build: the one pipeline — load → check → render → write — that build,
 * serve and publish all run, with the same findings and severities.
 *
 * What it shows: in a site with disclosure tags, each year as the tree of
 * its latest disclosure/<year>/r<N> tag, and no year that was never
 * published; with SG_BUILD_DRAFTS (serve, build --drafts) the working
 * tree, every page marked as a preview.  A site without a repository or
 * without any tag shows its working tree.
 */
#ifndef SG_BUILD_H
#define SG_BUILD_H

#include <stddef.h>

#include "util.h"

struct sg_diag;

#define SG_BUILD_KEEP_GOING	1	/* write the site despite content errors
					   (a publication with --allow-findings) */
#define SG_BUILD_FORCE		2	/* build even if the build stamp says
					   nothing changed (stamp.h) */
#define SG_BUILD_FORCE_OUTPUT	4	/* replace an output folder that no
					   build made */
#define SG_BUILD_DRAFTS		8	/* the working tree, as a preview */
#define SG_BUILD_NO_STAMP	16	/* neither replay nor write a stamp
					   (serve, whose folder is its own) */
#define SG_BUILD_NO_PDF		32	/* typeset no PDF (pdf.h); neither do
					   drafts */
#define SG_BUILD_CACHE		64	/* use the build cache (cache.h) even
					   without a stamp; with FORCE it is
					   written, not read */

struct sg_build_opts {
	const char	*out;		/* the output folder */
	const char	*theme_opt;	/* --theme, or NULL */
	int		 flags;		/* SG_BUILD_* */
	const char	*base_url;	/* instead of site.yml's (serve), or
					   NULL */
	int		 verbose;	/* time each stage (res->phases) */
	/* Called after each page when set. */
	void		(*progress)(void *arg, size_t done, size_t total);
	void		*progress_arg;
	const char	*pdf_only;	/* a report's output folder ("2024/"):
					   only its PDF, even with SG_NO_PDF
					   set (site-gen pdf); or NULL */
};

struct sg_build_res {
	int		 skipped;	/* nothing changed: the stamp's findings
					   were replayed */
	size_t		 pages;		/* HTML pages */
	size_t		 files;		/* other files */
	size_t		 written;	/* files whose bytes changed */
	size_t		 kept;		/* files kept as they were */
	struct sg_strv	 changed;	/* output paths written (serve) */
	struct sg_strv	 years;		/* one line a year: what the output
					   shows of it */
	struct sg_strv	 phases;	/* with verbose: "stage seconds" */
	char		*why;		/* with verbose: why the build was not
					   skipped */
};

/*
 * Runs the pipeline for the site in the current folder.  Content problems
 * go to d; returns the exit status (0 ok, 1 content errors, 2 an output
 * folder refused, 3 I/O or internal failure).  res is filled in either
 * case; free what it holds with sg_build_res_clear.
 */
int sg_build_run(const struct sg_build_opts *o, struct sg_build_res *res,
    struct sg_diag *d);
void sg_build_res_clear(struct sg_build_res *res);

#endif
