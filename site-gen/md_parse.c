/*
 * md_parse: report Markdown parsed with cmark-gfm, annotated and numbered
 * (md_render.c turns it into HTML fragments).
 *
 * Parsing annotates the AST once: each special place (a figure, a table,
 * a case link, a heading, a link) becomes an annotation, and where the
 * output differs from cmark's own HTML the node is replaced by a custom
 * block whose HTML is filled in at render time, because URLs are relative
 * to the page being rendered and a case shows as a card or in full.
 * The replaced original nodes are kept, detached, to render their inline
 * content.  Everything inside runs cmark's safe mode: raw HTML and
 * javascript: URLs never reach the output.
 */
#include <cmark-gfm.h>
#include <pthread.h>
#include <stdint.h>
#include <cmark-gfm-core-extensions.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "diag.h"
#include "doc.h"
#include "markdown.h"
#include "md_int.h"
#include "source.h"
#include "table.h"
#include "theme.h"
#include "util.h"

cmark_llist *sg_md_exts;
/* Documents parse on several threads; their images join one list. */
static pthread_mutex_t images_lock = PTHREAD_MUTEX_INITIALIZER;
static cmark_mem *mem;

void
sg_md_init(void)
{
	static const char *names[] = {"table", "strikethrough", "autolink",
	    "tagfilter"};

	cmark_gfm_core_extensions_ensure_registered();
	mem = cmark_get_default_mem_allocator();
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(names[i]);
		if (e)
			sg_md_exts = cmark_llist_append(mem, sg_md_exts, e);
	}
}

void
sg_md_shutdown(void)
{
	cmark_llist_free(mem, sg_md_exts);
	sg_md_exts = NULL;
}

static struct ann *
ann_add(struct sg_mdinfo *mi, enum ann_kind kind, cmark_node *node)
{
	struct ann *a;

	if (mi->n == mi->cap) {
		mi->cap = mi->cap ? mi->cap * 2 : 16;
		mi->v = sg_xrealloc(mi->v, mi->cap * sizeof(*mi->v));
	}
	a = &mi->v[mi->n++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->node = node;
	return a;
}

/* Plain text of a node's TEXT and CODE descendants. */
static void
plain(cmark_node *n, struct sg_buf *b)
{
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			sg_buf_puts(b, cmark_node_get_literal(c));
			break;
		case CMARK_NODE_LINEBREAK:
			sg_buf_putc(b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
}

static char *
plain_text(cmark_node *n)
{
	struct sg_buf b = {0};

	plain(n, &b);
	return sg_buf_take(&b);
}

char *
sg_md_slug(const char *text)
{
	struct sg_buf b = {0};
	const char *s = text;
	int dash = 0;

	while (*s) {
		const char *start = s;
		int cp = sg_utf8_next(&s);

		if (cp < 0) {
			s = start + 1;
			continue;
		}
		if (cp < 0x80 && ((cp >= '0' && cp <= '9') ||
		    (cp >= 'a' && cp <= 'z') || cp == '_')) {
			if (dash && b.len)
				sg_buf_putc(&b, '-');
			dash = 0;
			sg_buf_putc(&b, (char)cp);
		} else if (cp >= 'A' && cp <= 'Z') {
			if (dash && b.len)
				sg_buf_putc(&b, '-');
			dash = 0;
			sg_buf_putc(&b, (char)(cp - 'A' + 'a'));
		} else if ((cp >= 0x3000 && cp <= 0x303F) ||
		    (cp >= 0xFF00 && cp <= 0xFFEF)) {
			/* CJK brackets and stops: dropped, as in （一）. */
		} else if (cp >= 0x80 && !sg_is_punct(cp)) {
			if (dash && b.len)
				sg_buf_putc(&b, '-');
			dash = 0;
			sg_buf_add(&b, start, (size_t)(s - start));
		} else
			dash = 1;
	}
	if (b.len == 0)
		sg_buf_puts(&b, "section");
	return sg_buf_take(&b);
}

static int
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The only child of a paragraph, ignoring blank text around it. */
static cmark_node *
sole_child(cmark_node *para)
{
	cmark_node *only = NULL;

	for (cmark_node *c = cmark_node_first_child(para); c;
	    c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_SOFTBREAK)
			continue;
		if (t == CMARK_NODE_TEXT &&
		    strspn(cmark_node_get_literal(c), " \t") ==
		    strlen(cmark_node_get_literal(c)))
			continue;
		if (only)
			return NULL;
		only = c;
	}
	return only;
}

static const char *note_prefixes[] = {
	"数据来源：", "数据来源:", "资料来源：", "资料来源:", "统计时间：",
	"统计时间:", "注：", "注:", NULL
};

static int
is_note(cmark_node *para)
{
	cmark_node *first;
	const char *lit;

	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return 0;
	first = cmark_node_first_child(para);
	if (first == NULL || cmark_node_get_type(first) != CMARK_NODE_TEXT)
		return 0;
	lit = cmark_node_get_literal(first);
	for (const char **p = note_prefixes; *p; p++)
		if (starts_with(lit, *p))
			return 1;
	return 0;
}

static int
is_table(cmark_node *n)
{
	return n && strcmp(cmark_node_get_type_string(n), "table") == 0;
}

/* A paragraph "表：caption" right before a table. */
static int
is_table_caption(cmark_node *para)
{
	cmark_node *first;
	const char *lit;

	if (cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH ||
	    !is_table(cmark_node_next(para)))
		return 0;
	first = cmark_node_first_child(para);
	if (first == NULL || cmark_node_get_type(first) != CMARK_NODE_TEXT)
		return 0;
	lit = cmark_node_get_literal(first);
	return starts_with(lit, "表：") || starts_with(lit, "表:");
}

/* Replaces node by an empty custom block; returns the block. */
static cmark_node *
replace_custom(cmark_node *node)
{
	cmark_node *cb = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);

	cmark_node_insert_before(node, cb);
	cmark_node_unlink(node);
	return cb;
}

static int
has_scheme(const char *url)
{
	const char *s = url;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.')
		s++;
	return *s == ':';
}

/* Indexes every document of the site by path (once: links between
 * thousands of pages would otherwise search them all each time).  A case
 * is stored as its struct sg_case, whose first member is the doc. */
void
sg_md_index(struct sg_site *site)
{
	sg_map_clear(&site->docs);
	for (size_t i = 0; i < site->nreports; i++) {
		struct sg_report *r = &site->reports[i];
		if (r->preface)
			sg_map_put(&site->docs, r->preface->path, r->preface);
		for (size_t j = 0; j < r->nchapters; j++)
			sg_map_put(&site->docs, r->chapters[j].doc.path,
			    &r->chapters[j].doc);
		for (size_t j = 0; j < r->ncases; j++)
			sg_map_put(&site->docs, r->cases[j].doc.path,
			    &r->cases[j]);
	}
	sg_map_put(&site->docs, "", site);	/* marks the index as built */
}

struct sg_doc *
sg_md_find_doc(struct sg_site *site, const char *path, struct sg_case **kase)
{
	void *hit;

	*kase = NULL;
	if (sg_map_get(&site->docs, "") == NULL)
		sg_md_index(site);
	if ((hit = sg_map_get(&site->docs, path)) != NULL) {
		/* Cases are stored as cases: tell them apart by address. */
		for (size_t i = 0; i < site->nreports; i++) {
			struct sg_report *r = &site->reports[i];
			if (r->ncases && (struct sg_case *)hit >= r->cases &&
			    (struct sg_case *)hit < r->cases + r->ncases) {
				*kase = hit;
				return &(*kase)->doc;
			}
		}
		return hit;
	}
	/* An archived revision links other years' current pages. */
	return site->outer ? sg_md_find_doc(site->outer, path, kase) : NULL;
}

static struct sg_data *
find_data(struct sg_report *r, const char *rel)
{
	for (size_t i = 0; i < r->ntables; i++)
		if (strcmp(r->tables[i].rel, rel) == 0)
			return &r->tables[i];
	for (size_t i = 0; i < r->nindicators; i++)
		if (strcmp(r->indicators[i].rel, rel) == 0)
			return &r->indicators[i];
	return NULL;
}

struct ctx {
	int			 depth;		/* of nested containers */
	int			 too_deep;
	struct sg_site		*site;
	struct sg_report	*r;
	struct sg_doc		*doc;
	struct sg_diag		*d;
	char			*docdir;	/* content/2024/ or …/cases/ */
	struct sg_map		 ids;	/* id → next suffix to try */
};

/* A document's page depends on other files only through what resolve
 * looks up: each lookup is recorded with its answer, so that the build
 * cache can tell the page would come out the same (md_cache.c). */
static void
probe(struct ctx *c, int kind, const char *path)
{
	struct sg_mdinfo *mi = c->doc->info;

	sg_cache_w_u64(&mi->probes, (uint64_t)kind);
	sg_cache_w_str(&mi->probes, path);
	sg_cache_w_u64(&mi->probes, sg_md_probe(c->site, c->r, kind, path));
	mi->nprobes++;
}

uint64_t
sg_md_probe(struct sg_site *site, struct sg_report *r, int kind,
    const char *path)
{
	struct sg_case *k;
	struct sg_doc *doc;
	struct sg_data *dt;
	uint64_t h = SG_CACHE_KEY0;

	switch (kind) {
	case MD_PROBE_DOC:
		if ((doc = sg_md_find_doc(site, path, &k)) == NULL)
			return 0;
		/* What a link and a case card show of it. */
		h = sg_cache_mix_str(h, doc->page);
		if (k) {
			h = sg_cache_mix_u64(h, (uint64_t)k->n);
			h = sg_cache_mix_str(h, doc->title);
			h = sg_cache_mix_str(h, k->summary);
			for (size_t i = 0; i < k->tags.n; i++)
				h = sg_cache_mix_str(h, k->tags.v[i]);
		}
		return h;
	case MD_PROBE_DATA:
		if ((dt = find_data(r, path)) == NULL)
			return 0;
		return sg_table_key(h, dt->table);
	default:
		return (uint64_t)sg_source_kind(site->src, path) + 2;
	}
}

static int
line_of(struct ctx *c, cmark_node *n)
{
	return c->doc->body_line + cmark_node_get_start_line(n) - 1;
}

static int
col_of(cmark_node *n)
{
	return cmark_node_get_start_column(n);
}

/*
 * Resolves a local URL of the doc to a content path and the output path it
 * becomes.  Returns 0 with *out set (caller frees) and *frag, or -1 after
 * a finding.  *kase and *data are set when it names a case or a CSV.
 */
static int
resolve(struct ctx *c, cmark_node *n, const char *url, int image, char **out,
    char **frag, struct sg_case **kase, struct sg_data **data,
    struct sg_doc **target)
{
	const char *hash = strchr(url, '#');
	char *path = hash ? sg_xstrndup(url, (size_t)(hash - url)) :
	    sg_xstrdup(url);
	char *joined, *norm;
	size_t rlen = strlen(c->r->dir);
	int rc = -1;

	*out = NULL;
	*frag = sg_xstrdup(hash ? hash : "");
	*kase = NULL;
	*data = NULL;
	*target = NULL;
	if (path[0] == '/') {
		sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
		    col_of(n), "%s '%s' is an absolute path; expected a path "
		    "relative to this file, inside %s/", image ? "image" :
		    "link", url, c->r->dir);
		goto out;
	}
	joined = sg_path_join(c->docdir, path);
	norm = sg_path_norm(joined);
	free(joined);
	if (norm == NULL || strncmp(norm, c->r->dir, rlen) != 0 ||
	    norm[rlen] != '/') {
		/* Other years' content is fine to link; outside content/ not. */
		if (norm && strncmp(norm, "content/", 8) == 0 &&
		    sg_has_suffix(norm, ".md")) {
			/* fall through to the document lookup below */
		} else {
			sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
			    col_of(n), "%s '%s' points outside the report's "
			    "folder; expected a file inside %s/", image ?
			    "image" : "link", url, c->r->dir);
			free(norm);
			goto out;
		}
	}
	if (sg_has_suffix(norm, ".md")) {
		*target = sg_md_find_doc(c->site, norm, kase);
		probe(c, MD_PROBE_DOC, norm);
		if (*target == NULL) {
			sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
			    col_of(n), "broken link '%s': no content file %s; "
			    "expected a chapter or case file", url, norm);
			free(norm);
			goto out;
		}
		*out = sg_xstrdup((*target)->page);
		free(norm);
		rc = 0;
		goto out;
	}
	const char *rel = norm + rlen + 1;
	if (sg_has_suffix(norm, ".csv")) {
		*data = find_data(c->r, rel);
		probe(c, MD_PROBE_DATA, rel);
		if (*data == NULL) {
			sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
			    col_of(n), "broken link '%s': no table %s; expected "
			    "a CSV file under %s/tables/", url, norm, c->r->dir);
			free(norm);
			goto out;
		}
		*out = sg_xasprintf("%s%s", c->r->prefix, rel);
		free(norm);
		rc = 0;
		goto out;
	}
	int kind = sg_source_kind(c->site->src, norm);
	probe(c, MD_PROBE_FILE, norm);
	if (kind == SG_SOURCE_OUTSIDE) {
		sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
		    col_of(n), "%s '%s' is a link to a file outside the report's "
		    "folder; expected a real file inside %s/", image ? "image" : "link",
		    url, c->r->dir);
		free(norm);
		goto out;
	}
	if (kind != SG_SOURCE_FILE) {
		if (image) {
			/* The caller reports it: a missing figure still shows. */
			*out = sg_xasprintf("%s%s", c->r->prefix, rel);
			free(norm);
			rc = 1;
			goto out;
		}
		sg_diag_add(c->d, SG_ERROR, c->doc->path, line_of(c, n),
		    col_of(n), "broken link '%s': %s does not exist; expected "
		    "a file in the report's folder", url, norm);
		free(norm);
		goto out;
	}
	pthread_mutex_lock(&images_lock);
	if (!sg_strv_has(&c->r->images, rel))
		sg_strv_push(&c->r->images, sg_xstrdup(rel));
	pthread_mutex_unlock(&images_lock);
	*out = sg_xasprintf("%s%s", c->r->prefix, rel);
	free(norm);
	rc = 0;
out:
	free(path);
	if (rc == -1) {
		free(*frag);
		*frag = NULL;
	}
	return rc;
}

/* Ends a bare-URL autolink at the first CJK character: cmark-gfm's
 * autolink extension runs on into Chinese text. */
static void
fix_autolink(cmark_node *link)
{
	cmark_node *t = cmark_node_first_child(link);
	const char *url = cmark_node_get_url(link), *s;
	const char *lit;

	if (t == NULL || cmark_node_next(t) != NULL ||
	    cmark_node_get_type(t) != CMARK_NODE_TEXT)
		return;
	lit = cmark_node_get_literal(t);
	if (strstr(url, lit) == NULL)
		return;		/* not an autolink: text differs from URL */
	for (s = lit; *s; ) {
		const char *start = s;
		int cp = sg_utf8_next(&s);
		if (cp < 0)
			return;
		if (sg_is_cjk(cp)) {
			size_t keep = (size_t)(start - lit);
			char *head = sg_xstrndup(lit, keep);
			char *rest = sg_xstrdup(start);
			size_t ulen = strlen(url) - strlen(lit) + keep;
			char *nurl = sg_xstrndup(url, ulen);
			cmark_node *after = cmark_node_new(CMARK_NODE_TEXT);

			cmark_node_set_literal(after, rest);
			cmark_node_insert_after(link, after);
			cmark_node_set_literal(t, head);
			cmark_node_set_url(link, nurl);
			free(head);
			free(rest);
			free(nurl);
			return;
		}
	}
}

/*
 * base, or base-2, base-3 … if taken.  Each id taken maps to the next
 * suffix to try with it as a base, so 5,000 identical headings cost 5,000
 * look-ups, not 5,000² string compares.  Caller frees.
 */
static char *
unique_id(struct ctx *c, const char *base)
{
	uintptr_t next = (uintptr_t)sg_map_get(&c->ids, base);
	char *id;

	if (next == 0) {
		sg_map_put(&c->ids, base, (void *)(uintptr_t)2);
		return sg_xstrdup(base);
	}
	for (;; next++) {
		id = sg_xasprintf("%s-%ju", base, (uintmax_t)next);
		if (sg_map_get(&c->ids, id) == NULL)
			break;
		free(id);
	}
	sg_map_put(&c->ids, base, (void *)(next + 1));
	sg_map_put(&c->ids, id, (void *)(uintptr_t)2);
	return id;
}

/* Detaches the paragraph after node if it is a source note. */
static cmark_node *
take_note(cmark_node *node)
{
	cmark_node *next = cmark_node_next(node);

	if (!is_note(next))
		return NULL;
	cmark_node_unlink(next);
	return next;
}

static void walk(struct ctx *c, cmark_node *parent);

static void
inline_links(struct ctx *c, cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		const char *url;

		if (ev != CMARK_EVENT_ENTER ||
		    (t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
			continue;
		if (t == CMARK_NODE_LINK)
			fix_autolink(n);
		url = cmark_node_get_url(n);
		if (url && has_scheme(url)) {
			/* Out of the site: the one URL allowlist, beyond what
			 * cmark's safe mode drops (javascript:, data: …). */
			char *safe = sg_url_safe(url);
			if (safe == NULL)
				cmark_node_set_url(n, "");
			free(safe);
			continue;
		}
		if (url == NULL || *url == '\0' || *url == '#' ||
		    starts_with(url, "//"))
			continue;
		struct ann *a = ann_add(c->doc->info, A_LINK, n);
		struct sg_case *k;
		struct sg_data *dt;
		struct sg_doc *td;
		a->image = t == CMARK_NODE_IMAGE;
		int rc = resolve(c, n, url, a->image, &a->target, &a->frag, &k,
		    &dt, &td);
		if (rc == 1)
			sg_diag_rule(c->d, SG_WARNING, "image-missing",
			    c->doc->path, line_of(c, n), col_of(n),
			    "image '%s' not found; expected the file "
			    "in %s/", url, c->r->dir);
	}
	cmark_iter_free(it);
}

static void
do_paragraph(struct ctx *c, cmark_node *p)
{
	cmark_node *only = sole_child(p);
	struct ann *a;
	struct sg_case *k;
	struct sg_data *dt;
	struct sg_doc *td;
	char *target, *frag;
	int line = line_of(c, p);
	int rc;

	if (only && cmark_node_get_type(only) == CMARK_NODE_IMAGE) {
		const char *url = cmark_node_get_url(only);
		if (url == NULL || *url == '\0' || has_scheme(url)) {
			sg_diag_add(c->d, SG_ERROR, c->doc->path, line,
			    col_of(only), "figure image '%s' is not a file of "
			    "the report; expected a path like images/2-01.jpg",
			    url ? url : "");
			return;
		}
		rc = resolve(c, only, url, 1, &target, &frag, &k, &dt, &td);
		if (rc == -1)
			return;
		a = ann_add(c->doc->info, A_FIGURE, replace_custom(p));
		a->orig = p;
		a->target = target;
		a->frag = frag;
		a->data = dt;
		a->missing = rc == 1;
		a->text = sg_xstrdup(cmark_node_get_title(only) ?
		    cmark_node_get_title(only) : "");
		a->alt = plain_text(only);
		if (*a->text == '\0')
			sg_diag_add(c->d, SG_WARNING, c->doc->path, line,
			    col_of(only), "figure '%s' has no caption; expected "
			    "![](%s \"caption\")", url, url);
		if (a->missing)
			sg_diag_rule(c->d, SG_WARNING, "image-missing",
			    c->doc->path, line, col_of(only), "missing image "
			    "'%s' (figure '%s'): the page shows its caption "
			    "only; expected the file %s/%s", url, a->text,
			    c->r->dir, strchr(target, '/') + 1);
		return;
	}
	if (only && cmark_node_get_type(only) == CMARK_NODE_LINK) {
		const char *url = cmark_node_get_url(only);
		if (url && !has_scheme(url) && *url != '#' &&
		    (sg_has_suffix(url, ".csv") || strstr(url, ".md"))) {
			rc = resolve(c, only, url, 0, &target, &frag, &k, &dt, &td);
			if (rc == -1)
				return;
			if (dt) {
				a = ann_add(c->doc->info, A_CSVTABLE, NULL);
				a->note = take_note(p);
				a->node = replace_custom(p);
				a->orig = p;
				a->target = target;
				a->frag = frag;
				a->data = dt;
				a->text = plain_text(only);
				return;
			}
			if (k && td != c->doc) {
				a = ann_add(c->doc->info, A_CASE, replace_custom(p));
				a->orig = p;
				a->kase = k;
				a->target = target;
				a->frag = frag;
				return;
			}
			free(target);
			free(frag);
		}
	}
	if (is_table_caption(p)) {
		cmark_node *tbl = cmark_node_next(p);
		cmark_node *first = cmark_node_first_child(p);
		const char *lit = cmark_node_get_literal(first);
		char *rest = sg_xstrdup(lit + (starts_with(lit, "表：") ?
		    strlen("表：") : strlen("表:")));

		cmark_node_set_literal(first, rest);
		free(rest);
		cmark_node_unlink(p);
		a = ann_add(c->doc->info, A_PIPETABLE, NULL);
		a->caption = p;
		a->text = plain_text(p);
		a->note = take_note(tbl);
		inline_links(c, tbl);
		a->node = replace_custom(tbl);
		a->orig = tbl;
		return;
	}
	inline_links(c, p);
}

/* Removes soft breaks between two CJK characters: a browser shows a line
 * break inside Chinese text as a stray space. */
static void
join_cjk_breaks(cmark_node *block)
{
	cmark_iter *it = cmark_iter_new(block);
	cmark_event_type ev;
	cmark_node *dead[64];
	size_t ndead = 0;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it), *pv, *nx;
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(n) != CMARK_NODE_SOFTBREAK)
			continue;
		pv = cmark_node_previous(n);
		nx = cmark_node_next(n);
		if (pv && nx && cmark_node_get_type(pv) == CMARK_NODE_TEXT &&
		    cmark_node_get_type(nx) == CMARK_NODE_TEXT) {
			const char *a = cmark_node_get_literal(pv);
			const char *b = cmark_node_get_literal(nx);
			size_t la = strlen(a);
			const char *last = a + la;
			while (last > a && ((unsigned char)last[-1] & 0xC0) == 0x80)
				last--;
			if (last > a)
				last--;
			const char *bp = b;
			if (la && sg_is_cjk(sg_utf8_next(&last)) &&
			    *b && sg_is_cjk(sg_utf8_next(&bp)) &&
			    ndead < sizeof(dead) / sizeof(*dead))
				dead[ndead++] = n;
		}
	}
	cmark_iter_free(it);
	for (size_t i = 0; i < ndead; i++)
		cmark_node_free(dead[i]);
}

static void
walk(struct ctx *c, cmark_node *parent)
{
	cmark_node **kids = NULL;
	size_t nkids = 0;

	/* Snapshot the children: passes below detach captions and notes and
	 * replace nodes by custom blocks. */
	for (cmark_node *n = cmark_node_first_child(parent); n;
	    n = cmark_node_next(n)) {
		kids = sg_xrealloc(kids, (nkids + 1) * sizeof(*kids));
		kids[nkids++] = n;
	}
	for (size_t i = 0; i < nkids; i++) {
		cmark_node *n = kids[i];

		if (cmark_node_parent(n) != parent)
			continue;	/* taken as a caption, note or table */
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			join_cjk_breaks(n);
			do_paragraph(c, n);
			break;
		case CMARK_NODE_HEADING: {
			struct ann *a;
			char *slug;
			join_cjk_breaks(n);
			inline_links(c, n);
			a = ann_add(c->doc->info, A_HEADING, NULL);
			a->level = cmark_node_get_heading_level(n);
			a->text = plain_text(n);
			slug = sg_md_slug(a->text);
			a->id = unique_id(c, slug);
			free(slug);
			a->node = replace_custom(n);
			a->orig = n;
			break;
		}
		case CMARK_NODE_BLOCK_QUOTE:
		case CMARK_NODE_LIST:
		case CMARK_NODE_ITEM:
			if (c->depth >= SG_MAX_DEPTH) {
				if (!c->too_deep++)
					sg_diag_add(c->d, SG_ERROR, c->doc->path,
					    line_of(c, n), col_of(n), "lists or "
					    "quotes nested more than %d levels "
					    "deep; expected flatter text",
					    SG_MAX_DEPTH / 2);
				break;
			}
			c->depth++;
			walk(c, n);
			c->depth--;
			break;
		default:
			if (is_table(n)) {
				struct ann *a;
				inline_links(c, n);
				a = ann_add(c->doc->info, A_PIPETABLE, NULL);
				a->text = sg_xstrdup("");
				a->note = take_note(n);
				a->node = replace_custom(n);
				a->orig = n;
			}
			break;
		}
	}
	free(kids);
}

/*
 * cmark-gfm pads every row of a table to the header's width, so a small
 * file with a wide header and many short rows becomes millions of nodes.
 * Find such tables in the text before cmark does.  Returns 0 or -1.
 */
static int
check_tables(const struct sg_doc *doc, const char *body, struct sg_diag *d)
{
	const char *s = body;
	int line = doc->body_line, bad = 0;
	size_t cols = 0, rows = 0;
	int start = 0;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		size_t pipes = 0, dashes = 0, other = 0;

		for (size_t i = 0; i < n; i++)
			switch (s[i]) {
			case '|': pipes++; break;
			case '-': dashes++; break;
			case ':': case ' ': case '\t': case '\r': break;
			default: other++;
			}
		if (cols && (n == 0 || strspn(s, " \t\r") == n)) {
			cols = rows = 0;	/* a blank line ends the table */
		} else if (cols) {
			rows++;
		} else if (dashes && !other && pipes) {
			/* Outer pipes do not add columns: |a|b| is two. */
			size_t a = strspn(s, " \t"), z = n;
			while (z > a && strchr(" \t\r", s[z - 1]))
				z--;
			cols = pipes + 1 - (s[a] == '|') - (z > a && s[z - 1] == '|');
			start = line;
		}
		if (cols && rows * cols > SG_MAX_TABLE_CELLS && !bad) {
			sg_diag_add(d, SG_ERROR, doc->path, start, 0, "table has "
			    "%zu columns and more than %zu rows; expected at most "
			    "%d cells (put large data in a CSV file)", cols, rows,
			    SG_MAX_TABLE_CELLS);
			bad = 1;
		}
		line++;
		s += n + (e ? 1 : 0);
	}
	return bad ? -1 : 0;
}

/* The case doc is in r, or NULL. */
static struct sg_case *
case_of(const struct sg_report *r, struct sg_doc *doc)
{
	struct sg_case *k = (struct sg_case *)doc;	/* doc is its first */

	return r->ncases && k >= r->cases && k < r->cases + r->ncases ? k : NULL;
}

/* Problems go to d; a file that cannot be read again as it was loaded
 * goes to rd (NULL: to its source, see sg_doc_read).  With search, a
 * case's search document is made from the tree before it is annotated. */
static void
parse_ast(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    struct sg_diag *d, struct sg_diag *rd, int search)
{
	struct sg_case *k;
	cmark_parser *p;
	struct ctx c;
	const char *body;
	char *text;

	/* The text is read for the parse and freed after: the tree keeps
	 * copies of what it needs. */
	sg_doc_read(doc, &text, &body, rd);
	if (check_tables(doc, body, d) == -1) {
		/* Render nothing of it: the error stops the build. */
		doc->body_off = SG_DOC_NOBODY;
		body = "";
	}
	p = cmark_parser_new_with_mem(MD_OPTS, mem);

	for (cmark_llist *l = sg_md_exts; l; l = l->next)
		cmark_parser_attach_syntax_extension(p, l->data);
	cmark_parser_feed(p, body, strlen(body));
	doc->ast = cmark_parser_finish(p);
	cmark_parser_free(p);
	/* Parsed again (sg_md_reparse): the annotations join what was kept. */
	if (doc->info == NULL)
		doc->info = sg_xcalloc(1, sizeof(*doc->info));
	sg_buf_clear(&doc->info->probes);
	doc->info->nprobes = 0;
	/* An archived revision has no search index of its own. */
	if (search && site->outer == NULL && (k = case_of(r, doc)) != NULL) {
		doc->info->search.theme = site->parts;
		sg_search_docs_case_tree(&doc->info->search, r->year, k,
		    doc->ast, body);
	}
	free(text);

	memset(&c, 0, sizeof(c));
	c.site = site;
	c.r = r;
	c.doc = doc;
	c.d = d;
	c.docdir = sg_path_dir(doc->path);
	walk(&c, doc->ast);
	free(c.docdir);
	sg_map_clear(&c.ids);
}

static int
numbered(const struct ann *a)
{
	return a->kind == A_FIGURE || a->kind == A_CSVTABLE ||
	    a->kind == A_PIPETABLE;
}

/* What numbering needs once the tree is gone: figures, tables and case
 * links in reading order. */
static void
keep_numbering(struct sg_mdinfo *mi)
{
	size_t n = 0;

	for (size_t i = 0; i < mi->n; i++)
		n += numbered(&mi->v[i]) || mi->v[i].kind == A_CASE;
	mi->num = n ? sg_xcalloc(n, sizeof(*mi->num)) : NULL;
	for (size_t i = 0; i < mi->n; i++) {
		const struct ann *a = &mi->v[i];
		struct md_num *e = &mi->num[mi->nnum];

		if (numbered(a)) {
			e->kind = a->kind;
			e->text = sg_xstrdup(a->text ? a->text : "");
			mi->nnumbered++;
		} else if (a->kind == A_CASE) {
			e->kind = A_CASE;
			e->kase = a->kase;
		} else
			continue;
		mi->nnum++;
	}
}

/* The images a document taken from the build cache shows join its
 * report's list, as resolve adds them when it parses. */
static void
add_images(struct sg_site *site, struct sg_report *r, const struct sg_doc *doc)
{
	size_t dlen = strlen(r->dir);

	for (size_t i = 0; i < doc->sources.n; i++) {
		const char *p = doc->sources.v[i];
		if (strncmp(p, r->dir, dlen) != 0 || p[dlen] != '/' ||
		    sg_has_suffix(p, ".md") || sg_has_suffix(p, ".csv") ||
		    sg_source_kind(site->src, p) != SG_SOURCE_FILE)
			continue;
		pthread_mutex_lock(&images_lock);
		if (!sg_strv_has(&r->images, p + dlen + 1))
			sg_strv_push(&r->images, sg_xstrdup(p + dlen + 1));
		pthread_mutex_unlock(&images_lock);
	}
}

/*
 * Parses, annotates and renders the document while its tree is in cache,
 * then frees the tree: a build holds each document's HTML, not its tree,
 * and parses it once.  Numbers come later (sg_md_number), as placeholders
 * the render fills in (md_render.c).
 */
void
sg_md_parse(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    struct sg_diag *d)
{
	/* Only a build's documents render (site->parts), and an archived
	 * revision's come from the history, not the cache. */
	int cache = site->cache && site->parts && site->outer == NULL &&
	    doc->info == NULL;
	struct sg_diag pd = {0};
	uint64_t key = 0;

	if (cache) {
		key = sg_md_cache_key(site, r, doc);
		if (sg_md_cache_take(site, r, doc, key, d) == 0) {
			add_images(site, r, doc);
			return;
		}
	}
	parse_ast(site, r, doc, cache ? &pd : d, cache ? &pd : d, 1);
	/* Headings for the contents. */
	for (size_t i = 0; i < doc->info->n; i++) {
		struct ann *a = &doc->info->v[i];
		if (a->kind != A_HEADING)
			continue;
		doc->heads = sg_xrealloc(doc->heads,
		    (doc->nheads + 1) * sizeof(*doc->heads));
		doc->heads[doc->nheads].level = a->level;
		doc->heads[doc->nheads].text = sg_xstrdup(a->text);
		doc->heads[doc->nheads].id = sg_xstrdup(a->id);
		doc->nheads++;
	}
	keep_numbering(doc->info);
	sg_md_sources(r, doc, &doc->sources);
	sg_md_prerender(site, r, doc);
	sg_md_free_tree(doc);
	doc->released = 1;
	if (cache) {
		/* A file that changed while it was read is not kept. */
		if (sg_diag_count(&pd, SG_FATAL) == 0)
			sg_md_cache_put(site, r, doc, key, &pd);
		for (size_t i = 0; i < pd.n; i++)
			sg_diag_rule(d, pd.v[i].sev, pd.v[i].rule,
			    pd.v[i].file, pd.v[i].line, pd.v[i].col, "%s",
			    pd.v[i].msg);
		sg_diag_clear(&pd);
	}
	sg_buf_clear(&doc->info->probes);
	doc->info->nprobes = 0;
}

/* Trees are freed as each document is parsed (sg_md_parse); this frees
 * one still held. */
void
sg_md_release(const struct sg_report *r, struct sg_doc *doc)
{
	(void)r;
	if (doc->ast == NULL)
		return;
	sg_md_free_tree(doc);
	doc->released = 1;
}

void
sg_md_release_early(const struct sg_report *r, struct sg_doc *doc)
{
	sg_md_release(r, doc);
	if (doc->info)
		doc->info->early = 1;
}

void
sg_md_linked(struct sg_report *r)
{
	for (size_t i = 0; i < r->nchapters; i++) {
		struct sg_mdinfo *mi = r->chapters[i].doc.info;
		for (size_t j = 0; mi && j < mi->nnum; j++)
			if (mi->num[j].kind == A_CASE)
				mi->num[j].kase->linked_pre = 1;
	}
}

void
sg_md_release_all(struct sg_site *site)
{
	for (size_t i = 0; i < site->nreports; i++) {
		struct sg_report *r = &site->reports[i];
		if (r->preface)
			sg_md_release(r, r->preface);
		for (size_t j = 0; j < r->nchapters; j++)
			sg_md_release(r, &r->chapters[j].doc);
		for (size_t j = 0; j < r->ncases; j++)
			sg_md_release(r, &r->cases[j].doc);
	}
}

/* Parses a released doc again and gives it back its numbers.  Its
 * findings were reported when it was first parsed. */
void
sg_md_reparse(struct sg_site *site, struct sg_report *r, struct sg_doc *doc)
{
	struct sg_diag scratch = {0};
	size_t k = 0;

	parse_ast(site, r, doc, &scratch, NULL, 0);
	sg_diag_clear(&scratch);
	/* The labels numbering gave, in order (the first numbering of a
	 * document released early, see number_doc). */
	for (size_t i = 0; i < doc->info->n; i++) {
		struct ann *a = &doc->info->v[i];
		if (!numbered(a) || k + 1 >= doc->labels.n)
			continue;
		free(a->label);
		free(a->id);
		a->label = *doc->labels.v[k] ? sg_xstrdup(doc->labels.v[k]) : NULL;
		a->id = *doc->labels.v[k + 1] ? sg_xstrdup(doc->labels.v[k + 1]) :
		    NULL;
		k += 2;
	}
}

static void
add_ref(struct sg_ref **v, size_t *n, const char *label, const char *id,
    const char *caption, const char *page)
{
	*v = sg_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].label = sg_xstrdup(label);
	(*v)[*n].id = sg_xstrdup(id);
	(*v)[*n].caption = sg_xstrdup(caption);
	(*v)[*n].page = (char *)page;
	(*n)++;
}

/*
 * Numbers doc's figures and tables into doc->labels (label, id, label,
 * id, …) and r's lists, and the cases it links in place.  Numbered
 * again, a document keeps its last labels; one released before numbering
 * (a case no chapter links) keeps its first, and its case links do not
 * count.
 */
static void
number_doc(const struct sg_theme *t, struct sg_report *r, struct sg_doc *doc,
    int chapter, int *fig, int *tbl, int depth, struct sg_diag *d)
{
	struct sg_mdinfo *mi = doc->info;

	if (mi == NULL)
		return;		/* not parsed yet: a later year's */
	if (!mi->early)
		sg_strv_clear(&doc->labels);
	for (size_t i = 0; i < mi->nnum; i++) {
		struct md_num *e = &mi->num[i];
		char *label, *id;

		switch (e->kind) {
		case A_FIGURE:
			(*fig)++;
			label = sg_theme_word(t, "figure_label", "chapter",
			    SG_WORD_NUM(chapter), "n", SG_WORD_NUM(*fig), NULL);
			id = sg_xasprintf("fig-%d-%d", chapter, *fig);
			add_ref(&r->figures, &r->nfigures, label, id, e->text,
			    doc->page);
			sg_strv_push(&doc->labels, label);
			sg_strv_push(&doc->labels, id);
			break;
		case A_CSVTABLE:
		case A_PIPETABLE:
			(*tbl)++;
			label = sg_theme_word(t, "table_label", "chapter",
			    SG_WORD_NUM(chapter), "n", SG_WORD_NUM(*tbl), NULL);
			id = sg_xasprintf("tbl-%d-%d", chapter, *tbl);
			add_ref(&r->reftables, &r->nreftables, label, id,
			    e->text, doc->page);
			sg_strv_push(&doc->labels, label);
			sg_strv_push(&doc->labels, id);
			break;
		case A_CASE:
			if (mi->early)
				break;
			e->kase->linked++;
			if (e->kase->linked > 1 || depth > 0)
				break;
			e->kase->chapter = chapter - 1;
			number_doc(t, r, &e->kase->doc, chapter, fig, tbl,
			    depth + 1, d);
			break;
		default:
			break;
		}
	}
}

/* Figures and tables numbered so far in one chapter ("fig-3-2" is of 3). */
struct chapter_count {
	int	 ch;
	int	 fig, tbl;
};

static struct chapter_count *
chapter_count(struct chapter_count **cnt, size_t *ncnt, int ch)
{
	size_t i;

	for (i = 0; i < *ncnt && (*cnt)[i].ch != ch; i++)
		;
	if (i == *ncnt) {
		*cnt = sg_xrealloc(*cnt, (*ncnt + 1) * sizeof(**cnt));
		(*cnt)[*ncnt] = (struct chapter_count){ch, 0, 0};
		(*ncnt)++;
	}
	return &(*cnt)[i];
}

/* Counts the figures (fig) or tables of v[*seen..n) into cnt. */
static void
count_refs(struct chapter_count **cnt, size_t *ncnt, const struct sg_ref *v,
    size_t n, size_t *seen, int fig)
{
	for (; *seen < n; (*seen)++) {
		struct chapter_count *c = chapter_count(cnt, ncnt,
		    atoi(v[*seen].id + strlen("fig-")));
		if (fig)
			c->fig++;
		else
			c->tbl++;
	}
}

void
sg_md_number(const struct sg_site *site, struct sg_report *r,
    struct sg_diag *d)
{
	const struct sg_theme *t = sg_md_theme(site);
	struct chapter_count *cnt = NULL;
	size_t ncnt = 0, seenf = 0, seent = 0;

	for (size_t i = 0; i < r->ncases; i++) {
		r->cases[i].linked = 0;
		r->cases[i].chapter = -1;
	}
	for (size_t i = 0; i < r->nchapters; i++) {
		int fig = 0, tbl = 0;
		number_doc(t, r, &r->chapters[i].doc, r->chapters[i].index,
		    &fig, &tbl, 0, d);
	}
	/* A case no chapter links is still published; its figures are
	 * numbered after its front-matter chapter's own. */
	for (size_t i = 0; i < r->ncases; i++) {
		struct sg_case *k = &r->cases[i];
		if (k->linked)
			continue;
		sg_diag_add(d, SG_WARNING, k->doc.path, 1, 0, "case %d is not "
		    "linked from any chapter; expected a paragraph "
		    "[案例 %d](cases/%s.md) in its chapter", k->n, k->n,
		    k->doc.name);
		/* Counted as refs are added: a report of many unlinked cases
		 * would otherwise count all its figures for each. */
		int ch = k->fm_chapter, fig, tbl;
		count_refs(&cnt, &ncnt, r->figures, r->nfigures, &seenf, 1);
		count_refs(&cnt, &ncnt, r->reftables, r->nreftables, &seent, 0);
		fig = chapter_count(&cnt, &ncnt, ch)->fig;
		tbl = chapter_count(&cnt, &ncnt, ch)->tbl;
		if (ch > 0)
			k->chapter = ch - 1;
		number_doc(t, r, &k->doc, ch, &fig, &tbl, 1, d);
	}
	free(cnt);
}


char *
sg_md_plain(const char *markdown, size_t maxchars)
{
	cmark_node *doc = cmark_parse_document(markdown, strlen(markdown),
	    CMARK_OPT_DEFAULT);
	cmark_node *p;
	struct sg_buf b = {0};
	const char *s;
	size_t chars = 0;

	for (p = cmark_node_first_child(doc); p; p = cmark_node_next(p))
		if (cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH)
			break;
	if (p)
		plain(p, &b);
	cmark_node_free(doc);
	if (b.data == NULL)
		return sg_xstrdup("");
	for (s = b.data; *s && chars < maxchars; chars++)
		if (sg_utf8_next(&s) < 0)
			break;
	if (*s) {
		b.len = (size_t)(s - b.data);
		b.data[b.len] = '\0';
		sg_buf_puts(&b, "…");
	}
	return sg_buf_take(&b);
}

void
sg_md_sources(const struct sg_report *r, const struct sg_doc *doc,
    struct sg_strv *out)
{
	size_t plen = strlen(r->prefix);

	/* Once the tree is freed, what it showed was kept (sg_md_parse). */
	if (doc->info == NULL || doc->ast == NULL) {
		for (size_t i = 0; i < doc->sources.n; i++)
			if (!sg_strv_has(out, doc->sources.v[i]))
				sg_strv_push(out, sg_xstrdup(doc->sources.v[i]));
		return;
	}
	for (size_t i = 0; i < doc->info->n; i++) {
		const struct ann *a = &doc->info->v[i];
		char *p = NULL;

		if (a->kind == A_CASE && a->kase)
			p = sg_xstrdup(a->kase->doc.path);
		else if (a->data)
			p = sg_xstrdup(a->data->path);
		else if (a->target && strncmp(a->target, r->prefix, plen) == 0 &&
		    !sg_has_suffix(a->target, "/"))
			p = sg_xasprintf("%s/%s", r->dir, a->target + plen);
		if (p && !sg_strv_has(out, p))
			sg_strv_push(out, p);
		else
			free(p);
	}
}

/* Frees the AST and annotations only. */
void
sg_md_free_tree(struct sg_doc *doc)
{
	struct sg_mdinfo *mi = doc->info;

	if (mi) {
		for (size_t i = 0; i < mi->n; i++) {
			struct ann *a = &mi->v[i];
			if (a->kind != A_LINK && a->orig)
				cmark_node_free(a->orig);
			if (a->caption)
				cmark_node_free(a->caption);
			if (a->note)
				cmark_node_free(a->note);
			free(a->label);
			free(a->id);
			free(a->text);
			free(a->alt);
			free(a->target);
			free(a->frag);
		}
		free(mi->v);
		mi->v = NULL;
		mi->n = mi->cap = 0;
	}
	if (doc->ast)
		cmark_node_free(doc->ast);
	doc->ast = NULL;
}

void
sg_md_free_info(struct sg_doc *doc)
{
	struct sg_mdinfo *mi = doc->info;

	sg_md_free_tree(doc);
	if (mi == NULL)
		return;
	for (size_t i = 0; i < mi->nnum; i++)
		free(mi->num[i].text);
	free(mi->num);
	sg_md_frags_free(mi);
	sg_search_docs_clear(&mi->search);
	sg_buf_clear(&mi->probes);
	free(mi);
	doc->info = NULL;
}

size_t
sg_md_search_take(struct sg_doc *doc, struct sg_search_docs *into)
{
	struct sg_search_docs *from = doc->info ? &doc->info->search : NULL;
	size_t n;

	/* Waiting in the build cache: read back first. */
	if (from && from->n == 0)
		sg_md_cache_search(doc);
	if ((n = from ? from->n : 0) == 0)
		return 0;
	if (into->n + n > into->cap) {
		into->cap = into->n + n;
		into->v = sg_xrealloc(into->v, into->cap * sizeof(*into->v));
	}
	memcpy(into->v + into->n, from->v, n * sizeof(*from->v));
	into->n += n;
	free(from->v);
	memset(from, 0, sizeof(*from));
	return n;
}

void
sg_md_free(struct sg_doc *doc)
{
	sg_md_free_info(doc);
	for (size_t i = 0; i < doc->nheads; i++) {
		free(doc->heads[i].text);
		free(doc->heads[i].id);
	}
	free(doc->heads);
	doc->heads = NULL;
	doc->nheads = 0;
	sg_strv_clear(&doc->labels);
	sg_strv_clear(&doc->sources);
	doc->released = 0;
}
