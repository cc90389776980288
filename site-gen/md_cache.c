/*
 * md_cache: a document's parse as an entry of the build cache (cache.h),
 * so that a build parses only the documents that changed.
 *
 * What a parse makes of a document depends on three things:
 *   - the document itself: its bytes, its path and page, its place in the
 *     report (the preface, chapter N, case N and whether a chapter links
 *     it), the report's folder, year and output prefix — the entry's key;
 *   - the theme whose parts and words render it — in the key too;
 *   - what it looks up in other files: the documents it links (their
 *     page; a case's number, title, summary and tags, which its card
 *     shows), the CSV tables it shows (their cells) and the files it
 *     links (whether they are there) — recorded by md_parse.c as each
 *     lookup's answer, and asked again before an entry is taken.
 * The entry holds all a build keeps of a parse: the findings, headings,
 * the files it shows, what numbering needs, the HTML of each page with
 * its number placeholders (md_int.h) and a case's search document.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "md_int.h"
#include "search_docs.h"
#include "theme.h"
#include "util.h"

#define KIND	"md"

static uint64_t
hash_tree(uint64_t k, const char *dir)
{
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *e = ents[i]->d_name;
		char *p = sg_path_join(dir, e);
		char *data;
		size_t len;

		if (*e != '.' && strcmp(e, "assets") != 0) {
			if (sg_is_dir(p))
				k = hash_tree(sg_cache_mix_str(k, e), p);
			else if (sg_file_read(p, &data, &len) == 0) {
				k = sg_cache_mix_str(k, e);
				k = sg_cache_mix(k, data, len);
				free(data);
			}
		}
		free(p);
		free(ents[i]);
	}
	if (n > 0)
		free(ents);
	return k;
}

uint64_t
sg_md_cache_theme(const struct sg_theme *t)
{
	const char *dir = t ? sg_theme_dir(t) : NULL;
	uint64_t k = sg_cache_mix_str(SG_CACHE_KEY0, dir);

	/* The built-in theme is part of the program, which the cache's
	 * identity covers. */
	if (dir && !sg_data_is_builtin(dir))
		k = hash_tree(k, dir);
	return k;
}

uint64_t
sg_md_cache_key(const struct sg_site *site, const struct sg_report *r,
    const struct sg_doc *doc)
{
	uint64_t k = sg_cache_mix_str(SG_CACHE_KEY0, "md 1");
	const struct sg_case *kase = NULL;

	k = sg_cache_mix_u64(k, site->parts_key);
	k = sg_cache_mix_str(k, doc->path);
	k = sg_cache_mix_u64(k, doc->size);
	k = sg_cache_mix_u64(k, doc->hash);
	k = sg_cache_mix_u64(k, doc->body_off);
	k = sg_cache_mix_u64(k, (uint64_t)doc->body_line);
	k = sg_cache_mix_str(k, doc->title);
	k = sg_cache_mix_str(k, doc->page);
	k = sg_cache_mix_u64(k, (uint64_t)r->year);
	k = sg_cache_mix_str(k, r->dir);
	k = sg_cache_mix_str(k, r->prefix);
	k = sg_cache_mix_u64(k, doc == r->preface);
	for (size_t i = 0; i < r->nchapters; i++)
		if (&r->chapters[i].doc == doc)
			k = sg_cache_mix_u64(k, 1000 +
			    (uint64_t)r->chapters[i].index);
	for (size_t i = 0; i < r->ncases; i++)
		if (&r->cases[i].doc == doc)
			kase = &r->cases[i];
	if (kase) {
		k = sg_cache_mix_u64(k, (uint64_t)kase->n);
		k = sg_cache_mix_u64(k, (uint64_t)kase->linked_pre);
		k = sg_cache_mix_str(k, kase->summary);
		k = sg_cache_mix_u64(k, kase->tags.n);
		for (size_t i = 0; i < kase->tags.n; i++)
			k = sg_cache_mix_str(k, kase->tags.v[i]);
	}
	return k;
}

/* ---- writing ---- */

static void
put_search(struct sg_buf *b, const struct sg_search_docs *ds)
{
	sg_cache_w_u64(b, ds->n);
	for (size_t i = 0; i < ds->n; i++) {
		const struct sg_search_doc *e = &ds->v[i];
		sg_cache_w_i64(b, e->kind);
		sg_cache_w_i64(b, e->year);
		sg_cache_w_str(b, e->title);
		sg_cache_w_str(b, e->url);
		sg_cache_w_str(b, e->context);
		sg_cache_w_str(b, e->snippet);
		sg_cache_w_str(b, e->passage);
		sg_cache_w_str(b, e->text.data);
		sg_cache_w_str(b, e->body.data);
		sg_cache_w_u64(b, e->room);
		sg_cache_w_i64(b, e->covered);
	}
}

void
sg_md_cache_put(struct sg_site *site, const struct sg_report *r,
    struct sg_doc *doc, uint64_t key, const struct sg_diag *pd)
{
	struct sg_mdinfo *mi = doc->info;
	struct sg_buf b = {0};
	size_t *html_at = sg_xcalloc(mi->nfrag + 1, sizeof(*html_at));
	uint64_t at;

	(void)r;
	sg_cache_w_u64(&b, mi->nprobes);
	sg_buf_add(&b, mi->probes.data ? mi->probes.data : "",
	    mi->probes.len);
	sg_cache_w_u64(&b, doc->body_off == SG_DOC_NOBODY);
	sg_cache_w_diag(&b, pd, 0);
	sg_cache_w_u64(&b, doc->nheads);
	for (size_t i = 0; i < doc->nheads; i++) {
		sg_cache_w_i64(&b, doc->heads[i].level);
		sg_cache_w_str(&b, doc->heads[i].text);
		sg_cache_w_str(&b, doc->heads[i].id);
	}
	sg_cache_w_strv(&b, &doc->sources);
	sg_cache_w_u64(&b, mi->nnumbered);
	sg_cache_w_u64(&b, mi->nnum);
	for (size_t i = 0; i < mi->nnum; i++) {
		sg_cache_w_u64(&b, (uint64_t)mi->num[i].kind);
		sg_cache_w_str(&b, mi->num[i].text);
		sg_cache_w_str(&b, mi->num[i].kase ?
		    mi->num[i].kase->doc.path : NULL);
	}
	sg_cache_w_u64(&b, mi->nfrag);
	for (size_t i = 0; i < mi->nfrag; i++) {
		const struct md_frag *f = &mi->frag[i];
		sg_cache_w_str(&b, f->page);
		sg_cache_w_u64(&b, (uint64_t)f->mode);
		sg_cache_w_u64(&b, strlen(f->html) + 1);
		html_at[i] = b.len;
		sg_buf_puts(&b, f->html);
		sg_cache_w_u64(&b, f->ncases);
		for (size_t j = 0; j < f->ncases; j++)
			sg_cache_w_str(&b, f->cases[j]->path);
	}
	size_t search_off = b.len;
	put_search(&b, &mi->search);
	at = sg_cache_put(site->cache, KIND, doc->path, key, b.data, b.len);
	if (at != UINT64_MAX && mi->search.n) {
		const struct sg_theme *th = mi->search.theme;
		sg_search_docs_clear(&mi->search);
		mi->search.theme = th;
		mi->cache = site->cache;
		mi->search_at = at + search_off;
		mi->search_len = b.len - search_off;
	}
	/* Its pages read the HTML back when they are written: memory holds
	 * no document's HTML meanwhile. */
	for (size_t i = 0; at != UINT64_MAX && i < mi->nfrag; i++) {
		struct md_frag *f = &mi->frag[i];
		f->alen = strlen(f->html);
		f->at = at + html_at[i];
		free(f->html);
		f->html = NULL;
	}
	free(html_at);
	sg_buf_clear(&b);
}

/* ---- reading ---- */

static void
get_search(struct sg_cache_r *rd, struct sg_search_docs *ds)
{
	uint64_t n = sg_cache_r_u64(rd);

	if (n > (uint64_t)(rd->end - rd->p)) {
		rd->bad = 1;
		return;
	}
	ds->v = n ? sg_xcalloc(n, sizeof(*ds->v)) : NULL;
	ds->cap = n;
	for (uint64_t i = 0; i < n && !rd->bad; i++) {
		struct sg_search_doc *e = &ds->v[ds->n++];
		char *text, *body;

		e->kind = (int)sg_cache_r_i64(rd);
		e->year = (int)sg_cache_r_i64(rd);
		e->title = sg_cache_r_str(rd);
		e->url = sg_cache_r_str(rd);
		e->context = sg_cache_r_str(rd);
		e->snippet = sg_cache_r_str(rd);
		e->passage = sg_cache_r_str(rd);
		text = sg_cache_r_str(rd);
		body = sg_cache_r_str(rd);
		if (text)
			sg_buf_puts(&e->text, text);
		if (body)
			sg_buf_puts(&e->body, body);
		free(text);
		free(body);
		e->room = sg_cache_r_u64(rd);
		e->covered = (int)sg_cache_r_i64(rd);
	}
}

/* The rule ids a parse's findings carry, as the static strings findings
 * hold; another id read back makes the entry unreadable (a miss). */
static const char *
rule_id(const char *id)
{
	static const char *const ids[] = {"image-missing", NULL};

	for (size_t i = 0; ids[i]; i++)
		if (strcmp(id, ids[i]) == 0)
			return ids[i];
	return NULL;
}

/* Restores into doc (whose parse fields are empty) what rd holds after
 * the lookups; the findings to pd.  Leaves rd bad if it does not read. */
static void
restore(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    struct sg_cache_r *rd, const unsigned char *base, struct sg_diag *pd)
{
	struct sg_mdinfo *mi = sg_xcalloc(1, sizeof(*mi));
	uint64_t n;

	doc->info = mi;
	if (sg_cache_r_u64(rd))
		doc->body_off = SG_DOC_NOBODY;
	sg_cache_r_diag(rd, pd, rule_id);
	n = sg_cache_r_u64(rd);
	if (n > (uint64_t)(rd->end - rd->p))
		rd->bad = 1;
	for (uint64_t i = 0; i < n && !rd->bad; i++) {
		doc->heads = sg_xrealloc(doc->heads, (doc->nheads + 1) *
		    sizeof(*doc->heads));
		struct sg_heading *h = &doc->heads[doc->nheads++];
		h->level = (int)sg_cache_r_i64(rd);
		h->text = sg_cache_r_str(rd);
		h->id = sg_cache_r_str(rd);
		if (h->text == NULL || h->id == NULL)
			rd->bad = 1;
	}
	sg_cache_r_strv(rd, &doc->sources);
	mi->nnumbered = sg_cache_r_u64(rd);
	n = sg_cache_r_u64(rd);
	if (n > (uint64_t)(rd->end - rd->p) || mi->nnumbered > n)
		rd->bad = 1;
	else if (n)
		mi->num = sg_xcalloc(n, sizeof(*mi->num));
	for (uint64_t i = 0; i < n && !rd->bad; i++) {
		struct md_num *e = &mi->num[mi->nnum++];
		char *kase;

		e->kind = (enum ann_kind)sg_cache_r_u64(rd);
		e->text = sg_cache_r_str(rd);
		kase = sg_cache_r_str(rd);
		if (e->kind == A_CASE && (kase == NULL ||
		    sg_md_find_doc(site, kase, &e->kase) == NULL ||
		    e->kase == NULL))
			rd->bad = 1;
		free(kase);
	}
	n = sg_cache_r_u64(rd);
	if (n > (uint64_t)(rd->end - rd->p))
		rd->bad = 1;
	else if (n)
		mi->frag = sg_xcalloc(n, sizeof(*mi->frag));
	for (uint64_t i = 0; i < n && !rd->bad; i++) {
		struct md_frag *f = &mi->frag[mi->nfrag++];
		uint64_t nc;

		f->r = r;
		f->page = sg_cache_r_str(rd);
		f->mode = (enum sg_md_mode)sg_cache_r_u64(rd);
		f->view = sg_cache_r_view(rd, &f->vlen);
		f->at = UINT64_MAX;
		nc = sg_cache_r_u64(rd);
		if (f->page == NULL || f->view == NULL ||
		    nc > (uint64_t)(rd->end - rd->p)) {
			rd->bad = 1;
			break;
		}
		f->cases = nc ? sg_xcalloc(nc, sizeof(*f->cases)) : NULL;
		for (uint64_t j = 0; j < nc && !rd->bad; j++) {
			char *p = sg_cache_r_str(rd);
			struct sg_case *k;
			if (p == NULL || (f->cases[f->ncases++] =
			    sg_md_find_doc(site, p, &k)) == NULL)
				rd->bad = 1;
			free(p);
		}
	}
	/* Read when the index is made. */
	mi->search.theme = site->parts;
	mi->search_at = (uint64_t)(rd->p - base);
	mi->search_len = (size_t)(rd->end - rd->p);
	mi->cache = site->cache;
	rd->p = rd->end;
}

void
sg_md_cache_search(struct sg_doc *doc)
{
	struct sg_mdinfo *mi = doc->info;
	struct sg_cache_r rd;
	char *bytes;

	if (mi == NULL || mi->search_len == 0 ||
	    (bytes = sg_cache_fetch(mi->cache, mi->search_at,
	    mi->search_len)) == NULL)
		return;
	sg_cache_r_init(&rd, bytes, mi->search_len);
	get_search(&rd, &mi->search);
	free(bytes);
	mi->search_len = 0;
	if (!sg_cache_r_done(&rd)) {
		const struct sg_theme *th = mi->search.theme;
		sg_search_docs_clear(&mi->search);
		mi->search.theme = th;
	}
}

int
sg_md_cache_take(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc, uint64_t key, struct sg_diag *d)
{
	struct sg_diag pd = {0};
	struct sg_cache_r rd;
	const char *data;
	size_t len;
	uint64_t n;

	if (!sg_cache_get(site->cache, KIND, doc->path, key, &data, &len))
		return -1;
	sg_cache_r_init(&rd, data, len);
	/* Every lookup still answers the same. */
	n = sg_cache_r_u64(&rd);
	for (uint64_t i = 0; i < n && !rd.bad; i++) {
		int kind = (int)sg_cache_r_u64(&rd);
		char *path = sg_cache_r_str(&rd);
		uint64_t was = sg_cache_r_u64(&rd);

		if (path == NULL || sg_md_probe(site, r, kind, path) != was)
			rd.bad = 1;
		free(path);
	}
	if (rd.bad)
		return -1;
	size_t body_off = doc->body_off;
	restore(site, r, doc, &rd, (const unsigned char *)data, &pd);
	if (!sg_cache_r_done(&rd)) {
		/* Unreadable: parse it after all, as if never cached. */
		sg_md_free(doc);
		doc->body_off = body_off;
		sg_diag_clear(&pd);
		return -1;
	}
	for (size_t i = 0; i < pd.n; i++)
		sg_diag_rule(d, pd.v[i].sev, pd.v[i].rule, pd.v[i].file,
		    pd.v[i].line, pd.v[i].col, "%s", pd.v[i].msg);
	sg_diag_clear(&pd);
	/* The HTML is read again from the file when its page is written. */
	for (size_t i = 0; i < doc->info->nfrag; i++) {
		struct md_frag *f = &doc->info->frag[i];
		f->at = sg_cache_at(data) + (uint64_t)(f->view - data);
		f->alen = f->vlen;
		f->view = NULL;
	}
	doc->info->search_at += sg_cache_at(data);
	sg_cache_done(site->cache, data);
	doc->released = 1;
	return 0;
}
