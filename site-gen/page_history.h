/*
 * page_history: the pages of the disclosure history — /<year>/history/
 * (every revision with its note and what changed), /<year>/r<N>/ (the
 * report as it was published, rendered from its tag through pages.c), the
 * ledger /history/ of every publication and amendment, their feed
 * entries, and the revision shown on each report page.
 */
#ifndef SG_PAGE_HISTORY_H
#define SG_PAGE_HISTORY_H

#include "sg.h"

struct sg_pages;
struct sg_vars;

/* Renders the history pages and archived revisions of the build p. */
void sg_page_history_build(struct sg_pages *p);

/*
 * Sets the revision values of a report page: first publication, latest
 * revision and history link (cover), the revision tag and commit id
 * (footer), and for an archived revision the banner to the current one.
 */
void sg_page_history_report_vars(const struct sg_site *s,
    const struct sg_report *r, struct sg_vars *v, const char *page);

#endif
