/*
 * markdown: cmark-gfm parsing and the passes that make report Markdown
 * into report HTML — figures from image paragraphs, tables from pipe tables
 * and CSV links with their captions and source notes, case cards from
 * link-only paragraphs, heading anchors, links between content files, and
 * the per-chapter numbering of figures and tables (图 2-1, 表 3-1).
 */
#ifndef SG_MARKDOWN_H
#define SG_MARKDOWN_H

#include "sg.h"

struct sg_diag;

enum sg_md_mode {
	SG_MD_CARDS,		/* a case link shows the case's card */
	SG_MD_INLINE		/* a case link shows the whole case (print) */
};

/* Registers cmark-gfm's extensions; call once in main before threads. */
void sg_md_init(void);
void sg_md_shutdown(void);

/*
 * Parses doc's body (of report r; its file is read again, doc.h) and
 * annotates it: resolves links and images, finds captions, notes and case
 * links, and collects its headings.  Problems (a broken link, a missing
 * image) are added to d.  Renders it then for the pages r shows it on
 * (its own, the print view) with its numbers to come as placeholders, and
 * frees the tree: a build parses each document once.
 */
void sg_md_parse(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc, struct sg_diag *d);

/* Indexes the site's documents by path for links; call once after every
 * document is loaded and before sg_md_parse runs on several threads. */
void sg_md_index(struct sg_site *site);

/*
 * Numbers the figures and tables of report r in reading order — chapters
 * in order, each case at the place it is linked — and fills r->figures,
 * r->reftables and each case's chapter.  Call after every doc is parsed.
 */
void sg_md_number(const struct sg_site *site, struct sg_report *r,
    struct sg_diag *d);

/*
 * Renders doc as an HTML fragment for the page whose output directory is
 * page (e.g. "2024/01-school/"): the HTML sg_md_parse made for that page
 * with its numbers filled in, the first time it is asked for, else from
 * the document parsed again.  Caller frees the result.  Not safe to call
 * on the same doc from two threads at once.
 */
char *sg_md_render(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc, const char *page, enum sg_md_mode mode);

/* Plain text of a Markdown fragment's first paragraph, e.g. for a
 * description.  Caller frees. */
char *sg_md_plain(const char *markdown, size_t maxchars);

/* Appends to out the content files doc shows besides itself — CSV tables,
 * images, the cases whose cards it holds — as paths like
 * content/2024/tables/aid.csv, each once. */
void sg_md_sources(const struct sg_report *r, const struct sg_doc *doc,
    struct sg_strv *out);

/*
 * Frees doc's AST and annotations if they are still held, keeping its
 * numbering, headings, sources and rendered HTML (sg_md_parse frees them
 * already).
 */
void sg_md_release(const struct sg_report *r, struct sg_doc *doc);
/*
 * Marks a case no chapter links as released before numbering: its links
 * to cases do not count when numbering (as when it is linked from no
 * numbered document).  Call right after parsing, with sg_md_linked
 * called first so that linked cases are known.
 */
void sg_md_release_early(const struct sg_report *r, struct sg_doc *doc);
/* Marks (in linked) the cases the parsed chapters of r link to. */
void sg_md_linked(struct sg_report *r);
/* sg_md_release on every document of the site. */
void sg_md_release_all(struct sg_site *site);

/* Moves the search documents the parse made of doc (a case of the site,
 * not of an archived revision) to the end of into.  Returns how many: 0
 * when there are none, and search reads the file again. */
struct sg_search_docs;
size_t sg_md_search_take(struct sg_doc *doc, struct sg_search_docs *into);

/* What the theme t's files hash to, as the build cache keys the documents
 * rendered with it (site->parts_key; md_cache.c). */
uint64_t sg_md_cache_theme(const struct sg_theme *t);

/* Frees doc's AST and annotations (not the doc itself). */
void sg_md_free(struct sg_doc *doc);

/* An anchor id for heading text: ASCII letters lowered, CJK kept,
 * punctuation and spaces folded into '-'.  Caller frees. */
char *sg_md_slug(const char *text);

#endif
