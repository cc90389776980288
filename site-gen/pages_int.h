/*
 * pages_int: what the page modules share with the render stage (pages.c)
 * — the build in progress, the values every page has, and the case cards
 * several page kinds show.  pages.c calls the page kinds; a page kind
 * uses page_common.c and the modules below the pages (page_indicators.h
 * for the indicator values, history.h, theme.h, ...), never another page
 * kind nor pages.c.  One page kind per file:
 *
 *   page_common.c      values every page and every report page has,
 *                      crumbs, links, case cards, writing a page
 *   page_home.c        the home page
 *   page_report.c      report cover, chapter, print view and its PDF
 *   page_tables.c      a report's appendix tables, the trends across years
 *   page_case.c        case pages, the case listings per tag and year
 *   page_search.c      the search page
 *   page_history.c     the history pages, the ledger, an archive's hashes
 *   page_notfound.c    the 404 page
 */
#ifndef SG_PAGES_INT_H
#define SG_PAGES_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "pages.h"

struct sg_case_card;
struct sg_page_ref;
struct sg_rev;
struct sg_vars;

/* A build in progress: one type, opaque beyond the page modules. */
struct sg_pages {
	struct sg_site		*site;
	struct sg_theme		*theme;
	struct sg_output	*o;
	struct sg_diag		*d;
	struct sg_build_stats	*st;
	struct sg_page_ref	*refs;
	size_t			 nrefs;
	/* Set by any render thread that fails: atomic, not under lock. */
	atomic_int		 failed;
	/* Chapter and case pages render on several threads: the counts,
	 * the page list and history lookups go through this lock. */
	pthread_mutex_t		 lock;
	/* Every case card of the site's reports, newest year first
	 * (cards_first[y]: report y's first); read-only once made. */
	struct sg_case_card	*cards;
	size_t			*cards_first;
	size_t			 ncards;
};

/* --- page_common.c --- */

/* Sets name to the link from page to target, relative to page. */
void sg_page_link(struct sg_vars *v, const char *name, const char *page,
    const char *target);
/* A page for the sitemap (and the feed, if it has a summary), its lastmod
 * from git: the newest change of src (a file or folder, "" for all
 * content) and of doc with the files it shows.  Takes the lock. */
void sg_page_ref(struct sg_pages *b, const char *path,
    const struct sg_report *r, const char *src, const struct sg_doc *doc,
    const char *title, const char *summary);
/* Where site.yml's icon is written: favicon.png, .svg or .ico. */
const char *sg_page_icon_name(const struct sg_site *s);
/* Values every page has: site, navigation, assets.  sg_page_render
 * frees them. */
struct sg_vars *sg_page_vars(struct sg_pages *b, const char *page,
    const char *title, const char *description);
/* Renders page kind with v (freed here) into <page>index.html, or
 * 404.html; a failure fails the build. */
void sg_page_render(struct sg_pages *b, const char *kind, const char *page,
    struct sg_vars *v);
/* Sets name to "1" if on: a flag for data-sg-if. */
void sg_page_flag(struct sg_vars *v, const char *name, int on);
/* Adds a breadcrumb to target (crumbs_report: the report's cover). */
void sg_page_crumb(struct sg_vars *v, const char *page, const char *label,
    const char *target);
void sg_page_crumb_report(struct sg_vars *v, const char *page,
    const struct sg_report *r);
/* A sitemap entry whose lastmod the caller knows (a revision's time), or
 * with feed_only only a feed entry.  Takes the lock. */
void sg_page_ref_dated(struct sg_pages *b, const char *path,
    const char *lastmod, const char *title, const char *summary,
    int feed_only);
/* The home page's breadcrumb, in the theme's words. */
void sg_page_crumb_home(struct sg_pages *b, struct sg_vars *v,
    const char *page);
/* Sets text name to the theme's word key (theme.h sg_theme_word: name,
 * value pairs after key, ended by NULL). */
void sg_page_word(struct sg_pages *b, struct sg_vars *v, const char *name,
    const char *key, ...) __attribute__((sentinel));
/* "一、<title>": a chapter as the pages head it.  Caller frees. */
char *sg_page_chapter_heading(struct sg_pages *b, const struct sg_chapter *ch);
/* Values every page of report r has (title, statement, its links and
 * its revision: first publication, latest revision and history link, the
 * revision shown in the footer, an archive's banner to the current
 * report). */
void sg_page_report_common(struct sg_pages *b, struct sg_vars *v,
    struct sg_report *r, const char *page);
/* The report's PDF file, beside its cover.  Caller frees. */
char *sg_page_pdf_name(const struct sg_report *r);
/* Sets HTML value name of v to theme part part filled with v (the
 * built-in theme's if the theme lacks it): what a template made before the
 * part existed shows in its place.  A failure is a finding in b's list. */
void sg_page_part_var(struct sg_pages *b, struct sg_vars *v,
    const char *name, const char *part);

/* A case card's values that do not depend on the page showing it: the
 * listings compute them once per case, not once per listing. */
struct sg_case_card {
	const struct sg_report	*r;
	const struct sg_case	*k;
	char			*label;		/* 案例 N */
	char			*year;		/* 2024 年度 */
	char			*year_num;
	char			*chapter;	/* its chapter's heading */
	char			**tag_pages;	/* cases/tags/<tag>/ */
};

/* Every case's card (b->cards), once per build; sg_page_cards_clear
 * frees them. */
void sg_page_cards_init(struct sg_pages *b);
void sg_page_cards_clear(struct sg_pages *b);
/* Card c's values into it, as seen from page. */
void sg_page_card_vars(struct sg_vars *it, const char *page,
    const struct sg_case_card *c);
/* Case i of r as a card on page. */
void sg_page_case_item(struct sg_pages *b, struct sg_vars *it,
    const char *page, const struct sg_report *r, size_t i);

/* --- page_home.c --- */

void sg_page_home(struct sg_pages *b);

/* --- page_report.c --- */

void sg_page_cover(struct sg_pages *b, struct sg_report *r);
void sg_page_chapter(struct sg_pages *b, struct sg_report *r, size_t i);
/* The print view, and the PDF typeset from the same chapters. */
void sg_page_print(struct sg_pages *b, struct sg_report *r);

/* --- page_tables.c --- */

void sg_page_indicators(struct sg_pages *b, struct sg_report *r);
void sg_page_trends(struct sg_pages *b);

/* --- page_case.c --- */

void sg_page_case(struct sg_pages *b, struct sg_report *r, size_t i);
/* Every page of every case listing, on the render pool. */
void sg_page_listings(struct sg_pages *b);
/* The pages of a listing of n cases (for the progress count). */
size_t sg_page_listing_pages(size_t n);

/* --- page_history.c --- */

/* The hashes of the downloads of rev's archive, just written (its
 * fixity, which the history pages list), and its feed entry; cur is the
 * current report of its year. */
void sg_page_history_archive(struct sg_pages *b, struct sg_rev *rev,
    const struct sg_report *cur);
/* The history pages: /<year>/history/ of each year (every revision with
 * its note and what changed), the ledger /history/ of every publication
 * and amendment, and /history/ledger.json. */
void sg_page_history(struct sg_pages *b);

/* --- page_search.c, page_notfound.c --- */

void sg_page_search(struct sg_pages *b);
void sg_page_notfound(struct sg_pages *b);

#endif
