/*
 * search: the search index a build writes for the search page (search/,
 * read by themes/default/assets/search.js).  Chinese is written without
 * spaces and site-gen ships no segmenter dictionary, so the keys are
 * character bigrams of each run of Han characters plus each single Han
 * character; ASCII letters and digits (full-width ones folded, letters
 * lowered) make word tokens.  Documents are chapters, their sections,
 * cases and the indicator tables and their rows.
 *
 * The index is split so that a query downloads little of it, whatever the
 * size of the site:
 *
 *   search/index.json    what the files are: document count, chunk size,
 *                        shard count and a stamp of the contents
 *   search/k/XX.json     shard XX of the postings: every key whose hash
 *                        (sg_search_shard) is XX, with the documents
 *                        holding it anywhere ("k") and in their title ("t")
 *   search/d/XX.json     documents XX*chunk … as [kind, year, title, url,
 *                        context, snippet, passage]: the passage is the
 *                        text (whitespace folded, "" when the snippet is
 *                        all of it) the page cuts the snippet around the
 *                        first match from, and checks phrases in
 *
 * Documents are numbered newest year first, and within a year cases, then
 * chapters and sections, then indicator tables, which is the order hits of
 * equal score are shown in: a page can rank its hits without the documents
 * and fetch only the chunks of the hits it shows.
 */
#ifndef SG_SEARCH_H
#define SG_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "sg.h"

/* Code points of body text indexed per document; the title, headings,
 * tags and summary are indexed whole. */
#define SG_SEARCH_BODY_MAX	3000
/* Documents per file of search/d/. */
#define SG_SEARCH_CHUNK		32
/* Postings bytes a shard aims at; the shard count is the power of two that
 * keeps the average shard under it, at most SG_SEARCH_SHARDS_MAX. */
#define SG_SEARCH_SHARD_BYTES	8192
#define SG_SEARCH_SHARDS_MAX	8192

/* What an index holds, for reports and tests. */
struct sg_search_stats {
	size_t	docs;		/* documents (hits the page can show) */
	size_t	keys;		/* distinct characters, bigrams and words */
	size_t	postings;	/* (key, document) pairs */
	size_t	bytes;		/* all files */
	size_t	doc_bytes;	/* search/d/ */
	size_t	shard_bytes;	/* search/k/ */
	size_t	shard_max;	/* the largest shard */
	size_t	shards;
	size_t	chunks;
};

/* Kinds of document, as written in the index. */
enum sg_search_kind {
	SG_SEARCH_CHAPTER = 0,
	SG_SEARCH_SECTION = 1,
	SG_SEARCH_CASE = 2,
	SG_SEARCH_INDICATOR = 3
};

/* One file of the index; path is relative to the site root. */
struct sg_search_file {
	char	*path;
	char	*data;
	size_t	 len;
	int	 cached;	/* data is the build cache's (cache.h):
				   given back with sg_cache_done */
	uint32_t sum;		/* FNV-1a of data, for the stamp */
};

struct sg_search_index {
	struct sg_search_file	*files;		/* index.json first */
	size_t			 nfiles;
	struct sg_search_stats	 st;
	struct sg_cache		*cache;		/* borrowed: the cache the
						   cached files are from */
};

/*
 * Builds the index of every report of site into ix, whose files the
 * caller writes and frees with sg_search_clear.  A case's document is the
 * one its parse made (sg_md_search_take, taken from the model), else its
 * body is read and parsed again, as chapters' are.  URLs in it are
 * relative to the site root.  With site->cache, a document's keys, a
 * chunk and a shard come from the build cache when what they are made of
 * is unchanged, so that an edit costs what it changes; the files are the
 * same bytes either way.
 */
void sg_search_build(struct sg_site *site, struct sg_search_index *ix);
void sg_search_clear(struct sg_search_index *ix);

/* The shard of key (a UTF-8 character, bigram or word) among n shards:
 * FNV-1a of its bytes modulo n, as search.js computes it. */
size_t sg_search_shard(const char *key, size_t n);

/* The file name of part i of n (shards, chunks): i in lower-case hex,
 * zero-padded to the width of n - 1 and at least 2, ".json".  Caller
 * frees. */
char *sg_search_part_name(size_t i, size_t n);

#endif
