/*
 * history: the disclosure history kept in git, read with libgit2 — the
 * annotated tags disclosure/<year>/r<N> that `site-gen publish` creates,
 * each revision's report loaded from its tagged tree (source_git.c), what
 * changed between consecutive revisions (changes.c), and when each source
 * file last changed (sitemap lastmod).  No git binary is involved.
 */
#ifndef SG_HISTORY_H
#define SG_HISTORY_H

#include <stddef.h>

#include "changes.h"
#include "sg.h"
#include "util.h"
#include "withdrawal.h"

struct sg_diag;
struct sg_lastmod;
struct git_repository;
struct git_tree;

/* One published revision of a year's report. */
struct sg_rev {
	int		  year;
	int		  n;		/* r<N> */
	char		 *tag;		/* disclosure/2024/r1 */
	char		  commit[41];	/* the tagged commit, hex */
	char		  short_id[8];
	long long	  time;		/* when it was tagged (Unix time) */
	int		  offset;	/* the tagger's zone, minutes east of UTC */
	char		  date[11];	/* YYYY-MM-DD in the tagger's zone */
	char		  when[17];	/* YYYY-MM-DD HH:MM in the tagger's zone */
	char		  iso[21];	/* YYYY-MM-DDTHH:MM:SSZ */
	char		 *author;	/* the tagger's name */
	char		 *email;
	char		 *note;
	char		 *allowed;	/* reason given with --allow-findings */
	struct sg_strv	  findings;	/* the findings it was published with */
	/* Filled by sg_history_load_rev: */
	struct sg_site	 *site;		/* the archived model (owned) */
	struct sg_source *src;		/* its git-tree source (owned) */
	struct sg_report *report;	/* borrowed from site; NULL if the
					   tagged tree has no such year */
	/* Filled by sg_history_load: */
	int		  has_changes;	/* 0 for r1, the first publication */
	struct sg_changes changes;	/* since the previous revision */
	/* Filled while its pages are written (page_history.c): */
	struct sg_strv	  fixity;	/* "path\tsha256" of each download */
};

struct sg_history {
	struct git_repository	*repo;
	char			*prefix;	/* the site folder inside the work
						   tree: "" or "site/" */
	int			 shallow;
	struct sg_rev		*revs;		/* by year, then N */
	size_t			 nrevs;
	struct sg_withdrawal	*wd;		/* withdrawals, oldest first */
	size_t			 nwd;
	struct sg_lastmod	*lastmod;	/* history.c's file times */
	int			*clean;		/* sg_history_clean's answers: */
	size_t			 nclean;	/* year, value pairs */
};

/* libgit2's message for its last error on this thread (never NULL). */
const char *sg_history_git_msg(void);

/*
 * Finds and opens the repository holding dir as git does: searching up
 * from dir, stopping below GIT_CEILING_DIRECTORIES.  Returns libgit2's
 * code: 0 with *out set (caller frees with git_repository_free),
 * GIT_ENOTFOUND if there is none, another negative code on failure.
 */
int sg_history_repo_open(const char *dir, struct git_repository **out);

/*
 * Opens the git repository holding the site folder dir (which may be the
 * work tree's root or a folder in it).  Sets *out to NULL and returns 0 if
 * there is none; returns -1 after a finding if there is one that cannot
 * be opened.  Free with sg_history_free.
 */
int sg_history_open(const char *dir, struct sg_history **out,
    struct sg_diag *d);
/* Adopts repo (now owned by the history) for the site folder dir. */
struct sg_history *sg_history_wrap(struct git_repository *repo,
    const char *dir, struct sg_diag *d);
void sg_history_free(struct sg_history *h);

/*
 * What a build needs, in two steps.  First, before the site is loaded:
 * opens the repository of dir and reads its disclosure tags (a public
 * build reads the years from them).  Then, once the site is loaded: the
 * revisions of its years and the file times.  Problems become warnings:
 * a site builds without its history.  Returns the history (free with
 * sg_history_free, after the pages are written) or NULL.
 */
struct sg_history *sg_history_open_build(const char *dir, struct sg_diag *d);
void sg_history_load_build(struct sg_history *h, struct sg_site *site,
    struct sg_diag *d);

/* Reads every disclosure tag into h->revs.  0, or -1 after a finding. */
int sg_history_read(struct sg_history *h, struct sg_diag *d);
/* The revisions of year, r1 first: sets *n and returns a pointer into
 * h->revs (NULL if none). */
struct sg_rev *sg_history_year(const struct sg_history *h, int year,
    size_t *n);
/* Finds "r2", "2" or "disclosure/2024/r2" for year, or NULL. */
struct sg_rev *sg_history_find(const struct sg_history *h, int year,
    const char *name);
/* The content source of the site folder at commit id (hex): its tree
 * with every withdrawal applied (withdrawal.h).  The history must
 * outlive it.  Sets *out (free with sg_source_free); 0, or -1 after a
 * finding. */
int sg_history_source(struct sg_history *h, const char *commit,
    struct sg_source **out, struct sg_diag *d);
/* The site folder's tree at commit id (hex) (caller frees with
 * git_tree_free).  0, or -1 after a finding. */
int sg_history_tree(struct sg_history *h, const char *commit,
    struct git_tree **out, struct sg_diag *d);

/*
 * Loads rev's report from its tagged tree, its pages under
 * "<year>/r<N>/"; links to other years resolve in outer (borrowed, may be
 * NULL).  Findings of the archived content are not reported: it was
 * published as it is.  0, or -1 after a finding.
 */
int sg_history_load_rev(struct sg_history *h, struct sg_rev *rev,
    struct sg_site *outer, struct sg_diag *d);
/* Loads every revision of the years in site (all years if site is NULL)
 * and what changed between consecutive ones.  0, or -1 after a finding. */
int sg_history_load(struct sg_history *h, struct sg_site *site,
    struct sg_diag *d);

/*
 * Works out when each file under content/ (and site.yml) last changed: the
 * last commit on the current branch that touched it, or now if the working
 * tree differs.  In a shallow clone those dates would be wrong: warns and
 * leaves lastmod unknown.  0, or -1 after a finding.
 */
int sg_history_times(struct sg_history *h, struct sg_diag *d);
/*
 * When a page last changed, as a W3C datetime in UTC, or NULL if unknown
 * (no repository, shallow clone).  Its sources are src (a file or folder,
 * may be NULL) and doc with the files it shows (may be NULL); an archived
 * report's pages date from their tag.  Caller frees.
 */
char *sg_history_lastmod(const struct sg_history *h,
    const struct sg_report *r, const char *src, const struct sg_doc *doc);

/* 1 if the working tree's content/<year>/, site.yml and themes/ are as
 * the year's latest revision published them; 0 if not or unknown. */
/* How many files of the working tree's content/<year>/ differ from the
 * year's latest revision (changed, added or removed); -1 if unknown. */
int sg_history_pending(struct sg_history *h, int year);
int sg_history_clean(struct sg_history *h, int year);
/* HEAD's commit, abbreviated, into buf[8]; 0, or -1 if there is none. */
int sg_history_head(struct sg_history *h, char buf[8]);

/*
 * The site as the public saw it when the archived report r was published:
 * r for its year and, for each other year, its revision public at that
 * time (none for a year not yet published then) — so that an archive's
 * charts, key figures and restatements hold nothing later.  A shallow
 * view of s (the reports copied by value, owned by s and the history):
 * free with sg_history_view_free.  NULL for a current report: use s.
 */
struct sg_site *sg_history_view_at(const struct sg_site *s,
    const struct sg_report *r);
void sg_history_view_free(struct sg_site *v);

/* The annotated tag message publish writes: note, then trailer lines
 * (Disclosure, Published, Allowed-Findings, Finding).  Caller frees. */
char *sg_history_message(const char *note, int year, int n,
    const char *published, const char *allowed,
    const struct sg_strv *findings);

#endif
