/*
 * sitemap: the XML a search engine or a feed reader reads.  xmlTextWriter
 * does the escaping; URLs are percent-encoded here because it does not.
 */
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "output.h"
#include "sitemap.h"
#include "util.h"

#define SITEMAP_MAX	50000

char *
sg_sitemap_url(const struct sg_site *s, const char *path)
{
	struct sg_buf b = {0};

	sg_buf_puts(&b, s->base_url);
	sg_buf_urlenc(&b, path);
	return sg_buf_take(&b);
}

#define W(x)	do { if ((x) < 0) goto fail; } while (0)
#define X(s)	((const xmlChar *)(s))

static int
finish(xmlTextWriterPtr w, xmlBufferPtr buf, struct sg_output *o,
    const char *rel, struct sg_diag *d)
{
	int rc;

	xmlFreeTextWriter(w);
	rc = sg_output_write(o, rel, (const char *)xmlBufferContent(buf),
	    (size_t)xmlBufferLength(buf), d);
	xmlBufferFree(buf);
	return rc;
}

static int
write_urlset(const struct sg_site *s, const struct sg_page_ref *v, size_t n,
    struct sg_output *o, const char *rel, struct sg_diag *d)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);

	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, X("urlset")));
	W(xmlTextWriterWriteAttribute(w, X("xmlns"),
	    X("http://www.sitemaps.org/schemas/sitemap/0.9")));
	for (size_t i = 0; i < n; i++) {
		if (v[i].feed_only)
			continue;
		char *url = sg_sitemap_url(s, v[i].path);
		int r = xmlTextWriterStartElement(w, X("url"));
		if (r >= 0)
			r = xmlTextWriterWriteElement(w, X("loc"), X(url));
		free(url);
		W(r);
		if (v[i].lastmod)
			W(xmlTextWriterWriteElement(w, X("lastmod"),
			    X(v[i].lastmod)));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndDocument(w));
	return finish(w, buf, o, rel, d);
fail:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	sg_diag_add(d, SG_FATAL, rel, 0, 0, "cannot write XML");
	return -1;
}

int
sg_sitemap_write(const struct sg_site *s, const struct sg_page_ref *v,
    size_t n, struct sg_output *o, struct sg_diag *d)
{
	xmlBufferPtr buf = NULL;
	xmlTextWriterPtr w = NULL;
	char *robots, *url;
	int rc;

	if (n <= SITEMAP_MAX) {
		if (write_urlset(s, v, n, o, "sitemap.xml", d) == -1)
			return -1;
	} else {
		buf = xmlBufferCreate();
		w = xmlNewTextWriterMemory(buf, 0);
		size_t parts = (n + SITEMAP_MAX - 1) / SITEMAP_MAX;

		W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
		W(xmlTextWriterStartElement(w, X("sitemapindex")));
		W(xmlTextWriterWriteAttribute(w, X("xmlns"),
		    X("http://www.sitemaps.org/schemas/sitemap/0.9")));
		for (size_t p = 0; p < parts; p++) {
			char *rel = sg_xasprintf("sitemap-%zu.xml", p + 1);
			size_t cnt = n - p * SITEMAP_MAX;
			if (cnt > SITEMAP_MAX)
				cnt = SITEMAP_MAX;
			if (write_urlset(s, v + p * SITEMAP_MAX, cnt, o, rel,
			    d) == -1) {
				free(rel);
				xmlFreeTextWriter(w);
				xmlBufferFree(buf);
				return -1;
			}
			url = sg_sitemap_url(s, rel);
			free(rel);
			int r = xmlTextWriterStartElement(w, X("sitemap"));
			if (r >= 0)
				r = xmlTextWriterWriteElement(w, X("loc"),
				    X(url));
			free(url);
			W(r);
			W(xmlTextWriterEndElement(w));
		}
		W(xmlTextWriterEndDocument(w));
		if (finish(w, buf, o, "sitemap.xml", d) == -1)
			return -1;
	}
	url = sg_sitemap_url(s, "sitemap.xml");
	/* A preview is not the disclosed record: no crawler should keep it. */
	robots = s->preview ? sg_xstrdup("User-agent: *\nDisallow: /\n") :
	    sg_xasprintf("User-agent: *\nAllow: /\n\nSitemap: %s\n", url);
	rc = sg_output_write(o, "robots.txt", robots, strlen(robots), d);
	free(url);
	free(robots);
	return rc;
fail:
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	sg_diag_add(d, SG_FATAL, "sitemap.xml", 0, 0, "cannot write XML");
	return -1;
}

/* When a feed entry last changed: from git, else its publication date. */
static const char *
entry_date(const struct sg_page_ref *r)
{
	return r->lastmod ? r->lastmod : r->published;
}

/* An Atom date-time from a W3C datetime or a plain date. */
static char *
atom_time(const char *t)
{
	return strchr(t, 'T') ? sg_xstrdup(t) : sg_xasprintf("%sT00:00:00Z", t);
}

/* A <link> to url, with rel if given. */
static int
put_link(xmlTextWriterPtr w, const char *rel, const char *url)
{
	W(xmlTextWriterStartElement(w, X("link")));
	if (rel)
		W(xmlTextWriterWriteAttribute(w, X("rel"), X(rel)));
	W(xmlTextWriterWriteAttribute(w, X("href"), X(url)));
	W(xmlTextWriterEndElement(w));
	return 0;
fail:
	return -1;
}

/* The feed's or an entry's <id> and <link>: both the URL of path. */
static int
put_id_link(xmlTextWriterPtr w, const struct sg_site *s, const char *path)
{
	char *url = sg_sitemap_url(s, path);
	int rc = 0;

	if (xmlTextWriterWriteElement(w, X("id"), X(url)) < 0 ||
	    put_link(w, NULL, url) == -1)
		rc = -1;
	free(url);
	return rc;
}

int
sg_feed_write(const struct sg_site *s, const struct sg_page_ref *v, size_t n,
    struct sg_output *o, struct sg_diag *d)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
	const char *updated = "1970-01-01";
	char *url = NULL, *stamp = NULL;

	for (size_t i = 0; i < n; i++)
		if (v[i].summary && entry_date(&v[i]) &&
		    strcmp(entry_date(&v[i]), updated) > 0)
			updated = entry_date(&v[i]);
	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, X("feed")));
	W(xmlTextWriterWriteAttribute(w, X("xmlns"), X("http://www.w3.org/2005/Atom")));
	W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(s->language)));
	W(xmlTextWriterWriteElement(w, X("title"), X(s->title)));
	W(put_id_link(w, s, ""));
	url = sg_sitemap_url(s, "atom.xml");
	W(put_link(w, "self", url));
	free(url);
	url = NULL;
	stamp = atom_time(updated);
	W(xmlTextWriterWriteElement(w, X("updated"), X(stamp)));
	free(stamp);
	stamp = NULL;
	W(xmlTextWriterStartElement(w, X("author")));
	W(xmlTextWriterWriteElement(w, X("name"), X(s->school)));
	W(xmlTextWriterEndElement(w));
	for (size_t i = 0; i < n; i++) {
		if (v[i].summary == NULL)
			continue;
		W(xmlTextWriterStartElement(w, X("entry")));
		W(xmlTextWriterWriteElement(w, X("title"), X(v[i].title)));
		W(put_id_link(w, s, v[i].path));
		stamp = atom_time(entry_date(&v[i]) ? entry_date(&v[i]) :
		    updated);
		W(xmlTextWriterWriteElement(w, X("updated"), X(stamp)));
		free(stamp);
		stamp = NULL;
		W(xmlTextWriterWriteElement(w, X("summary"), X(v[i].summary)));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndDocument(w));
	return finish(w, buf, o, "atom.xml", d);
fail:
	free(url);
	free(stamp);
	xmlFreeTextWriter(w);
	xmlBufferFree(buf);
	sg_diag_add(d, SG_FATAL, "atom.xml", 0, 0, "cannot write XML");
	return -1;
}
