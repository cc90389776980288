/*
 * search: the search index a build writes for the search page
 * (search/index.json, read by themes/default/assets/search.js).  Chinese is
 * written without spaces and site-gen ships no segmenter dictionary, so the
 * keys are character bigrams of each run of Han characters plus each single
 * Han character; ASCII letters and digits (full-width ones folded, letters
 * lowered) make word tokens.  Documents are chapters, their sections, cases
 * and the indicator tables and their rows.
 */
#ifndef SG_SEARCH_H
#define SG_SEARCH_H

#include <stddef.h>

#include "sg.h"

/* What an index holds, for reports and tests. */
struct sg_search_stats {
	size_t	docs;		/* documents (hits the page can show) */
	size_t	keys;		/* distinct characters, bigrams and words */
	size_t	postings;	/* (key, document) pairs */
	size_t	bytes;		/* size of the JSON */
};

/* Kinds of document, as written in the index. */
enum sg_search_kind {
	SG_SEARCH_CHAPTER = 0,
	SG_SEARCH_SECTION = 1,
	SG_SEARCH_CASE = 2,
	SG_SEARCH_INDICATOR = 3
};

/*
 * Builds the JSON index of every report of site (Markdown bodies are read
 * from each doc's body, so the model need only be loaded).  URLs in it are
 * relative to the site root.  Returns the JSON (caller frees) and fills st
 * when it is not NULL.
 */
char *sg_search_index(const struct sg_site *site, struct sg_search_stats *st);

/*
 * Appends s to b as a JSON string with its quotes.  Escapes what JSON
 * requires, and also < > & U+2028 U+2029 so the text is safe anywhere a
 * script may read it; bytes that are not UTF-8 become U+FFFD.
 */
void sg_search_json_str(struct sg_buf *b, const char *s);

#endif
