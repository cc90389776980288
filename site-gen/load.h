/*
 * load: reads a site — site.yml and every content/<year>/ — from a content
 * source into the model of sg.h, then parses and numbers its Markdown.
 */
#ifndef SG_LOAD_H
#define SG_LOAD_H

#include "sg.h"

struct sg_diag;
struct sg_source;

/*
 * Loads the site in src.  Content problems are added to d and loading goes
 * on, so that one run reports them all.  Returns the site (caller frees
 * with sg_load_free); NULL only when site.yml cannot be read at all.
 */
struct sg_site *sg_load_site(struct sg_source *src, struct sg_diag *d);

/* For a build: document trees are freed once numbered and parsed again
 * for their pages (sg_md_release), so memory holds their metadata only. */
#define SG_LOAD_RELEASE	1
struct sg_site *sg_load_site_ex(struct sg_source *src, int flags,
    struct sg_diag *d);
/*
 * sg_load_site_ex in two steps, for a build that needs site.yml (its
 * theme) before the documents: sg_load_config reads site.yml only and
 * returns the site (caller frees with sg_load_free); sg_load_content then
 * loads its reports.  Documents are rendered for their pages as they are
 * parsed when site->parts is set by then (markdown.h).
 */
struct sg_site *sg_load_config(struct sg_source *src, int flags,
    struct sg_diag *d);
void sg_load_content(struct sg_site *s, struct sg_diag *d);
void sg_load_free(struct sg_site *site);

/*
 * Loads only the report of year from src — an archived revision read from
 * a git tree — with its pages under prefix (e.g. "2024/r1/").  site.yml is
 * not read: archives are shown in the current site's frame.  Links to other
 * years resolve in outer (borrowed, may be NULL).  Free with sg_load_free.
 */
struct sg_site *sg_load_archive(struct sg_source *src, int year,
    const char *prefix, struct sg_site *outer, struct sg_diag *d);

/* The national name of an appendix table from its file slug
 * ("1-scorecard" → 人才培养质量计分卡), or NULL. */
const char *sg_load_indicator_name(const char *file);

#endif
