/*
 * search_docs: the documents the search index covers, made from the
 * model (search.c indexes and writes them).  Within search only.
 */
#ifndef SG_SEARCH_DOCS_H
#define SG_SEARCH_DOCS_H

#include <stddef.h>

#include "sg.h"
#include "util.h"

struct sg_search_doc {
	int		 kind;		/* enum sg_search_kind */
	int		 year;
	char		*title;
	char		*url;		/* relative to the site root */
	char		*context;	/* chapter, section or table */
	char		*snippet;
	char		*passage;	/* the text the search page cuts a
					   snippet around a match from; NULL
					   when the snippet is all of it */
	struct sg_buf	 text;	/* indexed whole: tags, summary, headings */
	struct sg_buf	 body;	/* indexed up to SG_SEARCH_BODY_MAX */
	size_t		 room;	/* code points body can still take */
	int		 covered;	/* the passage (or the snippet, when
					   there is none) holds the body and
					   the summary: they are indexed from
					   it, and the body is not kept */
};

/* A growing list of documents; zero-initialised, freed with
 * sg_search_docs_clear. */
struct sg_search_docs {
	struct sg_search_doc	*v;
	size_t			 n, cap;
	/* borrowed: the theme whose words (theme.h) label the documents;
	 * NULL: the built-in theme's */
	const struct sg_theme	*theme;
};

/* Adds a case: its title, tags, summary, headings and text, as one
 * document.  Reads and parses its file. */
void sg_search_docs_case(struct sg_search_docs *ds, int year,
    const struct sg_case *k);
/*
 * The same from root, k's body (the text at body) as md_parse.c parsed
 * it, with cmark-gfm's extensions: the text is the one the plain parse
 * of sg_search_docs_case gives, pipe tables read as the paragraphs they
 * are without the extension.  Returns 0, or -1 having added nothing when
 * the two could differ (strikethrough, footnotes, a table that is not
 * surely one paragraph to the plain parse).
 */
struct cmark_node;
int sg_search_docs_case_tree(struct sg_search_docs *ds, int year,
    const struct sg_case *k, struct cmark_node *root, const char *body);
/*
 * Adds a chapter (or the preface) whose page is url, split into documents:
 * the text before its first section under heading, and one per heading of
 * level 2 or 3.  Heading anchors are the ones md_parse.c gave the
 * headings, in the same order.
 */
void sg_search_docs_chapter(struct sg_search_docs *ds, int year,
    const struct sg_doc *doc, const char *heading, const char *url);
/* Adds every indicator table of r and each of its rows. */
void sg_search_docs_indicators(struct sg_search_docs *ds,
    const struct sg_report *r);
void sg_search_docs_clear(struct sg_search_docs *ds);

/* 1 if cp is Han as the tokenizer counts it (see search.c).  Inline: it
 * runs for every character indexed. */
static inline int
sg_search_is_han(int cp)
{
	return (cp >= 0x4E00 && cp <= 0x9FFF) || cp == 0x3007 ||
	    (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* sg_utf8_next with the common cases first: ASCII and the three-byte
 * sequences of Chinese text.  The same results, -1 included.  Inline: the
 * tokenizer and the passages run it for every character. */
static inline int
sg_search_next_cp(const char **sp)
{
	const unsigned char *s = (const unsigned char *)*sp;
	int cp;

	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	}
	if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		cp = (s[0] & 0x0F) << 12 | (s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		*sp += 3;
		return cp;
	}
	return sg_utf8_next(sp);
}

#endif
