/*
 * sitemap: sitemap.xml (sitemaps.org; a sitemap index past 50,000 URLs),
 * robots.txt and atom.xml, written with libxml2's xmlTextWriter.
 */
#ifndef SG_SITEMAP_H
#define SG_SITEMAP_H

#include "sg.h"

struct sg_diag;
struct sg_output;

/* One page of the site, for the sitemap and the feed. */
struct sg_page_ref {
	char	*path;		/* output dir, e.g. "2024/01-school/" */
	char	*lastmod;	/* W3C datetime (or date) of the last change of
				   its sources, from git; NULL if unknown */
	char	*published;	/* YYYY-MM-DD: the feed's date without lastmod */
	char	*title;
	char	*summary;	/* feed entries only; NULL = not in the feed */
	int	 feed_only;	/* a feed entry that is not a page of its own */
};

/* An absolute URL for output path, with non-ASCII percent-encoded
 * (RFC 3986).  Caller frees. */
char *sg_sitemap_url(const struct sg_site *s, const char *path);

/* Writes sitemap.xml (or an index and parts) and robots.txt. 0 or -1. */
int sg_sitemap_write(const struct sg_site *s, const struct sg_page_ref *v,
    size_t n, struct sg_output *o, struct sg_diag *d);
/* Writes atom.xml with the pages that have a summary. 0 or -1. */
int sg_feed_write(const struct sg_site *s, const struct sg_page_ref *v,
    size_t n, struct sg_output *o, struct sg_diag *d);

#endif
