/*
 * sg.h: the model a build works on.  load.c fills it from a content
 * source, md_parse.c numbers its documents and md_render.c renders them,
 * pages.c turns it into pages.  The site owns the whole tree; pointers between siblings
 * (a case's chapter, a figure's page) are borrowed.
 */
#ifndef SG_H
#define SG_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * Bounds on content, so that hostile or broken input ends with a clear
 * error in bounded time and memory instead of exhausting the machine.
 */
#define SG_MAX_FILE		(16u << 20)	/* bytes of one content file */
#define SG_MAX_CSV_ROWS		100000		/* rows of one CSV */
#define SG_MAX_DEPTH		64		/* nested lists and quotes */
#define SG_MAX_TABLE_CELLS	200000		/* rows × columns of a pipe table */
#define SG_MAX_YAML		(1u << 20)	/* bytes of one YAML text */
#define SG_MAX_YAML_DEPTH	32		/* nested YAML lists and mappings */

struct cmark_node;
struct sg_table;
struct sg_mdinfo;
struct sg_ind_table;
struct sg_schema;
struct sg_history;
struct sg_rev;
struct sg_source;
struct sg_theme;
struct sg_cache;
struct sg_stamp;

/* Something numbered in a report: a figure or a table. */
struct sg_ref {
	char	*label;		/* "图 2-1" */
	char	*id;		/* anchor: "fig-2-1" */
	char	*caption;	/* plain text */
	char	*page;		/* output path of the page that shows it, e.g.
				   "2024/02-talent/" (borrowed from doc) */
};

struct sg_heading {
	int	 level;
	char	*text;
	char	*id;
};

/* A Markdown file: chapter, case or the report's preface. */
struct sg_doc {
	char			*path;		/* content/2024/01-school.md */
	char			*name;		/* 01-school */
	char			*title;
	char			*page;		/* output dir, e.g. 2024/01-school/ */
	int			 body_line;	/* file line of the body's first line */
	/* The text is not kept: stages read the file again (doc.h). */
	struct sg_source	*src;		/* borrowed: where it was read, or
						   NULL if it could not be */
	size_t			 size;		/* bytes of the file as read */
	uint64_t		 hash;		/* of those bytes (sg_doc_hash) */
	size_t			 body_off;	/* where the body starts in them;
						   SG_DOC_NOBODY: renders empty */
	struct cmark_node	*ast;
	struct sg_mdinfo	*info;		/* md_parse.c's annotations */
	struct sg_heading	*heads;
	size_t			 nheads;
	/* Once released (sg_md_parse frees the tree), a page the parse did
	 * not render parses it again; these keep what the numbering and
	 * history need. */
	int			 released;
	struct sg_strv		 labels;	/* label, id, label, id, … */
	struct sg_strv		 sources;	/* files the doc shows */
	struct sg_strv		 allow;		/* front matter allow: rule ids
						   not flagged in this file */
	struct sg_strv		 public;	/* front matter public: values
						   published on purpose */
};

struct sg_case {
	struct sg_doc	 doc;
	int		 n;		/* 案例 n */
	struct sg_strv	 tags;
	char		*summary;
	int		 chapter;	/* index of the linking chapter, or -1 */
	int		 fm_chapter;	/* chapter: from front matter, or 0 */
	int		 linked;	/* times linked from chapters */
	int		 linked_pre;	/* linked: known before numbering */
};

struct sg_chapter {
	struct sg_doc	 doc;
	char		*number;	/* 一 */
	int		 index;		/* 1-based chapter number */
};

/* A CSV data table (narrative table or appendix indicator table). */
struct sg_data {
	char		*path;		/* content/2024/tables/aid.csv */
	char		*rel;		/* tables/aid.csv, relative to the year */
	char		*title;		/* indicator tables: their national name */
	struct sg_table	*table;		/* NULL if it failed to load */
	struct sg_ind_table *ind;	/* indicators/: typed, or NULL */
};

struct sg_report {
	int		 year;
	char		*dir;		/* content/2024 */
	char		*prefix;	/* output folder: "2024/", or "2024/r1/"
					   for an archived revision */
	const struct sg_rev *rev;	/* borrowed: the revision an archived
					   report shows; NULL if current */
	char		*title;
	char		*published;	/* YYYY-MM-DD */
	char		*template;
	int		 template_line;	/* in report.yml */
	const struct sg_schema *schema;	/* borrowed from the site, or NULL */
	char		*statement;
	char		*signatory;
	struct sg_doc	*preface;	/* index.md, or NULL */
	struct sg_chapter *chapters;
	size_t		 nchapters;
	struct sg_case	*cases;
	size_t		 ncases;
	struct sg_data	*tables;	/* tables/NAME.csv */
	size_t		 ntables;
	struct sg_data	*indicators;	/* indicators/NAME.csv */
	size_t		 nindicators;
	struct sg_ref	*figures;
	size_t		 nfigures;
	struct sg_ref	*reftables;
	size_t		 nreftables;
	struct sg_strv	 images;	/* images/ files to copy (rel paths) */
	char		*yml;		/* report.yml as read (check.c) */
	struct sg_strv	 public;	/* report.yml public: values published
					   on purpose in any file of the year */
	struct sg_strv	 allow;		/* report.yml allow: "rel\trule" pairs,
					   e.g. "tables/x.csv\tprivacy" */
};

struct sg_site {
	char		*root;		/* site directory */
	char		*title;
	char		*school;
	char		*school_en;
	char		*description;
	char		*base_url;	/* always ends with '/' */
	char		*base_path;	/* path part of base_url, "/" or "/x/" */
	char		*language;
	char		*theme;
	char		*motto;
	char		*address;
	char		*email;
	char		*website;
	struct sg_strv	 phones;
	int		 preview;	/* a preview of the working tree (serve,
					   build --drafts): every page says so
					   and asks not to be indexed */
	char		*icon;		/* site.yml icon: the school's icon,
					   a file of the site folder, copied
					   to the output as favicon.EXT; NULL
					   for none (or not usable) */
	int		 release;	/* free document trees as soon as they
					   are numbered (builds; see
					   sg_md_release) */
	struct sg_map	 docs;		/* content path → struct sg_doc *, for
					   links (md_parse.c fills it) */
	struct sg_report *reports;	/* ascending by year */
	size_t		 nreports;
	struct sg_source *src;		/* borrowed */
	struct sg_schema *schemas;	/* templates loaded (indicators.c) */
	struct sg_site	*outer;		/* borrowed: for an archived revision,
					   the current site, where links to
					   other years resolve; else NULL */
	struct sg_history *hist;	/* borrowed: disclosure history, NULL
					   without a repository */
	const struct sg_theme *parts;	/* borrowed: the build's theme, whose
					   parts (theme.h) md_render.c writes
					   figures, tables and case cards
					   with; NULL: the built-in theme's */
	char		*yml;		/* site.yml as read (check.c) */
	struct sg_cache	*cache;		/* borrowed: the build cache
					   (cache.h), or NULL for none */
	uint64_t	 parts_key;	/* parts' files as the build cache
					   keys them (md_cache.c) */
	struct sg_stamp	*files;		/* borrowed: what the build's scan
					   saw of the working tree's files
					   (sg_stamp_file_id), when the site
					   reads them; else NULL */
};

#endif
