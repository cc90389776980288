/*
 * stamp: the build stamp, which lets `site-gen build` skip a build when
 * nothing its output depends on changed since the last one.  After a build
 * that put its output in place, the stamp records what the output was
 * made from (the binary, the options, every file the build can read, the
 * git state), what the output folder then held, and the findings the build
 * reported.  The next build checks all of it with stat calls; when every
 * record still holds, it reports the same findings and exit status
 * instead of building.  The stamp lives beside the output folder
 * (.public.sg-stamp next to public/), never inside what is published.
 */
#ifndef SG_STAMP_H
#define SG_STAMP_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

struct sg_diag;
struct sg_stamp;

/* What a build ended with, as the summary line shows it. */
struct sg_stamp_result {
	int	rc;		/* its exit status */
	size_t	pages;
	size_t	files;
	struct sg_strv said;	/* lines it printed beside its findings
				   (what public/ shows of each year) */
};

/*
 * A stamp for a build of the site in the current folder into out, with
 * --theme theme_opt (may be NULL) and keep_going as sg_cmd_build_run has
 * them.  Reads nothing yet.  Free with sg_stamp_free.
 */
struct sg_stamp *sg_stamp_new(const char *out, const char *theme_opt,
    int keep_going);
/* The PDF engine the build would run (its program is recorded), "" when
 * none is installed, or NULL when PDFs are off.  Before sg_stamp_replay. */
void sg_stamp_pdf(struct sg_stamp *s, const char *engine);

/* What the build shows ("public", "drafts"): a build of the other kind
 * into the same folder is never skipped.  Before sg_stamp_replay. */
void sg_stamp_mode(struct sg_stamp *s, const char *mode);
/*
 * 1 if the stamp beside out is intact and everything it records is as it
 * was: adds the findings of that build to d and sets *res.  0 otherwise
 * (no stamp, a broken one, something changed: sg_stamp_why says what),
 * and d is left as it was.  Never fails.
 */
int sg_stamp_replay(struct sg_stamp *s, struct sg_diag *d,
    struct sg_stamp_result *res);
/* Why the last sg_stamp_replay said 0; a string s owns. */
const char *sg_stamp_why(const struct sg_stamp *s);
/*
 * A real build begins: removes the stamp beside out, then records the
 * binary, the options, the git state and the site's files (site.yml,
 * content/, schemas/, themes/, the template folders) as they are before
 * the build reads them.  The findings the build adds to d from now on are
 * the ones sg_stamp_save keeps.
 */
void sg_stamp_scan(struct sg_stamp *s, const struct sg_diag *d);
/*
 * What the scan saw of the site's file at path (relative to the site, as
 * content/2024/cases/01-x.md): 1 with *id a hash of its stat, which
 * differs whenever its bytes could (a write changes its ctime, which
 * cannot be set back); 0 if it is not a regular file the scan recorded,
 * or the scan's times are not to be trusted.  After sg_stamp_scan; safe
 * on several threads.
 */
int sg_stamp_file_id(struct sg_stamp *s, const char *path, uint64_t *id);
/* Records the theme folder dir, before the build reads it. */
void sg_stamp_theme(struct sg_stamp *s, const char *dir);
/*
 * After the output was put in place: records the output folder and writes
 * the stamp (a temporary file renamed over the old one).  Writes nothing
 * when a file changed too recently to be sure of it; a failure to write
 * is a note in d, not an error.
 */
void sg_stamp_save(struct sg_stamp *s, const struct sg_stamp_result *res,
    struct sg_diag *d);
/* The stamp's file name for out: ".public.sg-stamp" beside it.  Caller
 * frees. */
char *sg_stamp_path(const char *out);
void sg_stamp_free(struct sg_stamp *s);

#endif
