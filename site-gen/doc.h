/*
 * doc: a document's text, read when a stage needs it.  Loading keeps what
 * is small — title, headings, numbers, front-matter fields — and where the
 * file came from; parsing (which renders the pages' HTML too), check,
 * search and history read the file again from its source (the working
 * tree or a git tree) and free it when done, so that memory holds the
 * text of one document per thread instead of the whole corpus.  The text read again must be the text that
 * was loaded: its size and hash are compared.
 */
#ifndef SG_DOC_H
#define SG_DOC_H

#include <stddef.h>
#include <stdint.h>

struct sg_diag;
struct sg_doc;
struct sg_site;
struct sg_source;

/* body_off of a document whose body renders as nothing: its file could
 * not be loaded, or its Markdown was refused (md_parse.c). */
#define SG_DOC_NOBODY	((size_t)-1)

/* Records that doc was read from src as text (len bytes) and that its
 * body starts body_off bytes in, or SG_DOC_NOBODY.  src is borrowed and
 * must outlive doc. */
void sg_doc_loaded(struct sg_doc *doc, struct sg_source *src,
    const char *text, size_t len, size_t body_off);

/*
 * Reads doc's file again: *text gets the file as loaded (NUL-terminated,
 * caller frees) and *body where its Markdown body starts in *text, or ""
 * if it has none.  A document whose file could not be read at load gives
 * "" for both.  Returns 0, or -1 if the file cannot be read now or is no
 * longer what was loaded: then both are "" (caller still frees *text) and
 * a fatal finding goes to d or, if d is NULL, to the source until
 * sg_doc_failures collects it.  Safe on several threads for different
 * documents.
 */
int sg_doc_read(const struct sg_doc *doc, char **text, const char **body,
    struct sg_diag *d);

/* Moves the findings of reads without a d (sg_doc_read) in site's source
 * into d.  Returns how many there were. */
size_t sg_doc_failures(struct sg_site *site, struct sg_diag *d);

/* A 64-bit hash of len bytes at s, to tell a file changed. */
uint64_t sg_doc_hash(const char *s, size_t len);

#endif
