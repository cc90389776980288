/*
 * doc: reads a document's file again when a stage needs its text (see
 * doc.h).  The model keeps only the file's size, a hash of its bytes and
 * where its body starts.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "doc.h"
#include "sg.h"
#include "source.h"
#include "util.h"

/* Creating a source's list of late findings. */
static pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t
sg_doc_hash(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ len, w;
	size_t i = 0;

	/* Eight bytes a step: the files of a large site are hashed on every
	 * read, so this must cost little next to parsing them. */
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xFF51AFD7ED558CCDull;
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s + i, len - i);
	h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
	return h ^ (h >> 29);
}

void
sg_doc_loaded(struct sg_doc *doc, struct sg_source *src, const char *text,
    size_t len, size_t body_off)
{
	doc->src = src;
	doc->size = len;
	doc->hash = sg_doc_hash(text, len);
	doc->body_off = body_off;
}

/* Records a failed read in d, else with the source. */
static void
fail(const struct sg_doc *doc, struct sg_diag *d, const char *why)
{
	struct sg_source *s = doc->src;

	if (d == NULL) {
		pthread_mutex_lock(&late_lock);
		if (s->late == NULL)
			s->late = sg_xcalloc(1, sizeof(*s->late));
		pthread_mutex_unlock(&late_lock);
		d = s->late;
	}
	sg_diag_add(d, SG_FATAL, doc->path, 0, 0, "%s while the site was "
	    "being built; expected it to stay as it was read (build again)",
	    why);
}

int
sg_doc_read(const struct sg_doc *doc, char **text, const char **body,
    struct sg_diag *d)
{
	char *data = NULL;
	size_t len = 0;

	*body = "";
	if (doc->src == NULL) {
		*text = sg_xstrdup("");
		*body = *text;
		return 0;
	}
	if (doc->src->ops->read(doc->src->ctx, doc->path, &data, &len) == -1) {
		char why[160];
		snprintf(why, sizeof(why), "cannot be read again (%s)",
		    strerror(errno));
		fail(doc, d, why);
		*text = sg_xstrdup("");
		*body = *text;
		return -1;
	}
	if (len != doc->size || sg_doc_hash(data, len) != doc->hash) {
		fail(doc, d, "changed");
		free(data);
		*text = sg_xstrdup("");
		*body = *text;
		return -1;
	}
	*text = data;
	/* Loading took the text as a C string: so do its readers. */
	len = strlen(data);
	*body = data + (doc->body_off != SG_DOC_NOBODY &&
	    doc->body_off <= len ? doc->body_off : len);
	return 0;
}

size_t
sg_doc_failures(struct sg_site *site, struct sg_diag *d)
{
	struct sg_source *s = site->src;
	size_t n;

	if (s == NULL || s->late == NULL)
		return 0;
	n = s->late->n;
	sg_diag_merge(d, s->late);
	return n;
}
