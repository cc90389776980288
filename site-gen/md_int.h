/*
 * md_int: what md_parse.c (parse, annotate, number) and md_render.c
 * (render) share — the annotations a parse leaves on a document and the
 * cmark-gfm extensions both attach.  Other modules use markdown.h.
 */
#ifndef SG_MD_INT_H
#define SG_MD_INT_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "markdown.h"
#include "search_docs.h"
#include "sg.h"

#define MD_OPTS	(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES)

enum ann_kind {
	A_FIGURE,	/* paragraph that is one image */
	A_CSVTABLE,	/* paragraph that is one link to a CSV */
	A_PIPETABLE,	/* GFM table */
	A_CASE,		/* paragraph that is one link to a case file */
	A_HEADING,
	A_LINK		/* any other link or inline image to a local file */
};

struct ann {
	enum ann_kind	 kind;
	cmark_node	*node;		/* in the tree (custom block or link) */
	cmark_node	*orig;		/* detached original */
	cmark_node	*caption;	/* detached caption paragraph */
	cmark_node	*note;		/* detached source-note paragraph */
	char		*label;		/* 图 2-1 */
	char		*id;
	char		*text;		/* caption or heading text */
	char		*alt;
	char		*target;	/* output path, NULL for external */
	char		*frag;		/* "#x" or "" */
	int		 missing;	/* image file not found */
	int		 image;		/* A_LINK: an image src */
	int		 level;
	struct sg_data	*data;
	struct sg_case	*kase;
};

/* What numbering needs of a figure or table (its caption) or of a case
 * link once the tree is freed, in reading order. */
struct md_num {
	enum ann_kind	 kind;		/* A_FIGURE, A_CSVTABLE, A_PIPETABLE,
					   A_CASE */
	char		*text;
	struct sg_case	*kase;
};

/*
 * A document's HTML for one page and mode, rendered while its tree was
 * held (sg_md_prerender).  Its figure and table labels and ids and the
 * cases it shows inline are placeholders, filled in when the page asks
 * for it: MD_PH, a kind ('L' label, 'I' id, 'C' case), a decimal number
 * (of the figure or table among the document's, or into cases), MD_PH.
 * MD_PH is a byte valid UTF-8 never holds, and every text rendered is
 * valid UTF-8 (cmark replaces bad bytes, loading decodes every file).
 */
#define MD_PH	'\xff'

struct md_frag {
	const struct sg_report	*r;
	char			*page;
	enum sg_md_mode		 mode;
	/* The HTML: held (html), or, with a build cache, not in memory —
	 * borrowed from the last build's cache file (view, vlen) or read
	 * back from the new one (at, alen; sg_cache_fetch). */
	char			*html;
	const char		*view;
	size_t			 vlen;
	uint64_t		 at;
	size_t			 alen;
	struct sg_doc		**cases;	/* shown inline, by number */
	size_t			 ncases;
};

struct sg_mdinfo {
	/* While the tree is held (doc->ast): its annotations. */
	struct ann	*v;
	size_t		 n;
	size_t		 cap;
	/* Kept once it is freed. */
	struct md_num	*num;
	size_t		 nnum;
	size_t		 nnumbered;	/* figures and tables in num */
	int		 early;		/* released before numbering: its case
					   links do not count (number_doc) */
	struct md_frag	*frag;
	size_t		 nfrag;
	/* A case's search document, made from the same tree
	 * (sg_md_search_take). */
	struct sg_search_docs search;
	/* With a build cache, the search documents wait in its file:
	 * search_len bytes at search_at (sg_cache_fetch). */
	struct sg_cache	*cache;
	uint64_t	 search_at;
	size_t		 search_len;
	/* What the parse looked up in other files (md_cache.c). */
	struct sg_buf	 probes;
	size_t		 nprobes;
};

/* The document of site (or of the current site, for an archived
 * revision) at content path, or NULL; *kase is set when it is a case. */
struct sg_doc *sg_md_find_doc(struct sg_site *site, const char *path,
    struct sg_case **kase);

/* What a parse looks up: a document by content path, a CSV of the
 * report by its path in the report's folder, a file's kind. */
enum { MD_PROBE_DOC = 1, MD_PROBE_DATA, MD_PROBE_FILE };
/* The answer to a lookup as a number: the same number, the same page. */
uint64_t sg_md_probe(struct sg_site *site, struct sg_report *r, int kind,
    const char *path);

/*
 * md_cache.c: a document's parse as a build cache entry.  sg_md_cache_key
 * is the key of what the document itself gives (its bytes, its place in
 * the report); sg_md_cache_take restores a hit whose lookups still answer
 * the same, adding its findings to d (0; -1 on a miss: parse it);
 * sg_md_cache_put records a parse made with the findings in pd, and
 * from then on its HTML is read back from the cache file, not held.
 */
uint64_t sg_md_cache_key(const struct sg_site *site,
    const struct sg_report *r, const struct sg_doc *doc);
int sg_md_cache_take(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc, uint64_t key, struct sg_diag *d);
void sg_md_cache_put(struct sg_site *site, const struct sg_report *r,
    struct sg_doc *doc, uint64_t key, const struct sg_diag *pd);
/* Reads the search documents of doc that wait in the cache file back
 * into doc->info->search (none if they cannot be read). */
void sg_md_cache_search(struct sg_doc *doc);

/* The core extensions every parse attaches and every render passes
 * (sg_md_init sets it). */
extern cmark_llist *sg_md_exts;

/* Parses doc again for its page (a released document's tree was freed
 * once numbered); its findings were reported the first time. */
void sg_md_reparse(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc);
/* Frees doc's tree and annotations, keeping what numbering recorded
 * and the prerendered HTML. */
void sg_md_free_tree(struct sg_doc *doc);
/* Frees all of doc->info as well. */
void sg_md_free_info(struct sg_doc *doc);

/* Renders doc, whose tree is held and not yet numbered, for each page its
 * report shows it on, with placeholders for its numbers (md_frag).  Call
 * before freeing the tree. */
void sg_md_prerender(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc);
/* Frees doc's prerendered HTML. */
void sg_md_frags_free(struct sg_mdinfo *mi);
/* The theme whose parts and words (theme.h) site's documents are
 * rendered with: the build's, or for an archived revision the current
 * site's; else the built-in one.  Borrowed. */
const struct sg_theme *sg_md_theme(const struct sg_site *site);

#endif
