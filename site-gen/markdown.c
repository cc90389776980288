/*
 * markdown: report Markdown to HTML fragments with cmark-gfm.
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

#include "diag.h"
#include "doc.h"
#include "markdown.h"
#include "source.h"
#include "table.h"
#include "util.h"

#define MD_OPTS	(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES)

enum ann_kind {
	A_FIGURE,	/* paragraph that is one image */
	A_CSVTABLE,	/* paragraph that is one link to a CSV */
	A_PIPETABLE,	/* GFM table */
	A_CASE,		/* paragraph that is one link to a case file */
	A_HEADING,
	A_LINK		/* any other link or inline image to a local file */
};

struct ann {
	enum ann_kind	 kind;
	cmark_node	*node;		/* in the tree (custom block or link) */
	cmark_node	*orig;		/* detached original */
	cmark_node	*caption;	/* detached caption paragraph */
	cmark_node	*note;		/* detached source-note paragraph */
	char		*label;		/* 图 2-1 */
	char		*id;
	char		*text;		/* caption or heading text */
	char		*alt;
	char		*target;	/* output path, NULL for external */
	char		*frag;		/* "#x" or "" */
	int		 missing;	/* image file not found */
	int		 image;		/* A_LINK: an image src */
	int		 level;
	struct sg_data	*data;
	struct sg_case	*kase;
};

struct sg_mdinfo {
	struct ann	*v;
	size_t		 n;
	size_t		 cap;
};

static cmark_llist *exts;
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
			exts = cmark_llist_append(mem, exts, e);
	}
}

void
sg_md_shutdown(void)
{
	cmark_llist_free(mem, exts);
	exts = NULL;
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

static struct sg_doc *
find_doc(struct sg_site *site, const char *path, struct sg_case **kase)
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
	return site->outer ? find_doc(site->outer, path, kase) : NULL;
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
		*target = find_doc(c->site, norm, kase);
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

/* Problems go to d; a file that cannot be read again as it was loaded
 * goes to rd (NULL: to its source, see sg_doc_read). */
static void
parse_ast(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    struct sg_diag *d, struct sg_diag *rd)
{
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

	for (cmark_llist *l = exts; l; l = l->next)
		cmark_parser_attach_syntax_extension(p, l->data);
	cmark_parser_feed(p, body, strlen(body));
	doc->ast = cmark_parser_finish(p);
	cmark_parser_free(p);
	free(text);
	doc->info = sg_xcalloc(1, sizeof(*doc->info));

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

void
sg_md_parse(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    struct sg_diag *d)
{
	parse_ast(site, r, doc, d, d);
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
}

static int
numbered(const struct ann *a)
{
	return a->kind == A_FIGURE || a->kind == A_CSVTABLE ||
	    a->kind == A_PIPETABLE;
}

static void free_info(struct sg_doc *doc);

void
sg_md_release(const struct sg_report *r, struct sg_doc *doc)
{
	if (doc->info == NULL || doc->released)
		return;
	for (size_t i = 0; i < doc->info->n; i++) {
		const struct ann *a = &doc->info->v[i];
		if (!numbered(a))
			continue;
		sg_strv_push(&doc->labels, sg_xstrdup(a->label ? a->label : ""));
		sg_strv_push(&doc->labels, sg_xstrdup(a->id ? a->id : ""));
	}
	sg_md_sources(r, doc, &doc->sources);
	free_info(doc);
	doc->released = 1;
}

void
sg_md_release_early(const struct sg_report *r, struct sg_doc *doc)
{
	if (doc->info == NULL || doc->released)
		return;
	for (size_t i = 0; i < doc->info->n; i++) {
		const struct ann *a = &doc->info->v[i];
		if (numbered(a))
			sg_strv_push(&doc->pending, sg_xasprintf("%c%s",
			    a->kind == A_FIGURE ? 'F' : 'T', a->text ? a->text : ""));
	}
	sg_md_sources(r, doc, &doc->sources);
	free_info(doc);
	doc->released = 1;
}

void
sg_md_linked(struct sg_report *r)
{
	for (size_t i = 0; i < r->nchapters; i++) {
		struct sg_mdinfo *mi = r->chapters[i].doc.info;
		for (size_t j = 0; mi && j < mi->n; j++)
			if (mi->v[j].kind == A_CASE && mi->v[j].kase)
				mi->v[j].kase->linked_pre = 1;
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
static void
reparse(struct sg_site *site, struct sg_report *r, struct sg_doc *doc)
{
	struct sg_diag scratch = {0};
	size_t k = 0;

	parse_ast(site, r, doc, &scratch, NULL);
	sg_diag_clear(&scratch);
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
add_ref(struct sg_ref **v, size_t *n, struct ann *a, const char *page)
{
	*v = sg_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].label = sg_xstrdup(a->label);
	(*v)[*n].id = sg_xstrdup(a->id);
	(*v)[*n].caption = sg_xstrdup(a->text);
	(*v)[*n].page = (char *)page;
	(*n)++;
}

/* Numbering of a doc released before numbering: from its pending list. */
static void
number_pending(struct sg_report *r, struct sg_doc *doc, int chapter, int *fig,
    int *tbl)
{
	struct ann a;

	memset(&a, 0, sizeof(a));
	for (size_t i = 0; i < doc->pending.n; i++) {
		const char *p = doc->pending.v[i];
		int isfig = p[0] == 'F';
		int n = isfig ? ++*fig : ++*tbl;
		a.label = sg_xasprintf("%s %d-%d", isfig ? "图" : "表", chapter, n);
		a.id = sg_xasprintf("%s-%d-%d", isfig ? "fig" : "tbl", chapter, n);
		a.text = (char *)p + 1;
		if (isfig)
			add_ref(&r->figures, &r->nfigures, &a, doc->page);
		else
			add_ref(&r->reftables, &r->nreftables, &a, doc->page);
		sg_strv_push(&doc->labels, a.label);
		sg_strv_push(&doc->labels, a.id);
	}
}

static void
number_doc(struct sg_report *r, struct sg_doc *doc, int chapter, int *fig,
    int *tbl, int depth, struct sg_diag *d)
{
	struct sg_mdinfo *mi = doc->info;

	if (mi == NULL && doc->released) {
		number_pending(r, doc, chapter, fig, tbl);
		return;
	}

	for (size_t i = 0; mi && i < mi->n; i++) {
		struct ann *a = &mi->v[i];

		switch (a->kind) {
		case A_FIGURE:
			free(a->label);
			free(a->id);
			(*fig)++;
			a->label = sg_xasprintf("图 %d-%d", chapter, *fig);
			a->id = sg_xasprintf("fig-%d-%d", chapter, *fig);
			add_ref(&r->figures, &r->nfigures, a, doc->page);
			break;
		case A_CSVTABLE:
		case A_PIPETABLE:
			free(a->label);
			free(a->id);
			(*tbl)++;
			a->label = sg_xasprintf("表 %d-%d", chapter, *tbl);
			a->id = sg_xasprintf("tbl-%d-%d", chapter, *tbl);
			add_ref(&r->reftables, &r->nreftables, a, doc->page);
			break;
		case A_CASE:
			a->kase->linked++;
			if (a->kase->linked > 1 || depth > 0)
				break;
			a->kase->chapter = chapter - 1;
			number_doc(r, &a->kase->doc, chapter, fig, tbl, depth + 1, d);
			break;
		default:
			break;
		}
	}
}

/* Figures and tables numbered so far in one chapter ("图 3-2" is of 3). */
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
		    atoi(v[*seen].label + strlen("图 ")));
		if (fig)
			c->fig++;
		else
			c->tbl++;
	}
}

void
sg_md_number(struct sg_report *r, struct sg_diag *d)
{
	struct chapter_count *cnt = NULL;
	size_t ncnt = 0, seenf = 0, seent = 0;

	for (size_t i = 0; i < r->ncases; i++) {
		r->cases[i].linked = 0;
		r->cases[i].chapter = -1;
	}
	for (size_t i = 0; i < r->nchapters; i++) {
		int fig = 0, tbl = 0;
		number_doc(r, &r->chapters[i].doc, r->chapters[i].index, &fig,
		    &tbl, 0, d);
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
		number_doc(r, &k->doc, ch, &fig, &tbl, 1, d);
	}
	free(cnt);
}

/* HTML of a node's inline children. */
static void
render_inlines(cmark_node *parent, struct sg_buf *b)
{
	for (cmark_node *c = cmark_node_first_child(parent); c;
	    c = cmark_node_next(c)) {
		char *h = cmark_render_html(c, MD_OPTS, exts);
		size_t n = strlen(h);
		while (n > 0 && h[n - 1] == '\n' &&
		    cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK)
			n--;
		sg_buf_add(b, h, n);
		free(h);
	}
}

static int
looks_numeric(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(".,%:", *s))
			return 0;
	}
	return digits > 0;
}

static int
row_empty(char **cells, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cells[i][0])
			return 0;
	return 1;
}

static void
data_table(struct sg_buf *b, const struct sg_table *t, const char *capid,
    const char *label, const char *caption)
{
	size_t first = 1;

	sg_buf_puts(b, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\"");
	if (capid) {
		sg_buf_puts(b, " aria-labelledby=\"");
		sg_buf_html(b, capid);
		sg_buf_puts(b, "\"");
	} else
		sg_buf_puts(b, " aria-label=\"表格\"");
	sg_buf_puts(b, "><table>");
	if (label && capid) {
		sg_buf_puts(b, "<caption id=\"");
		sg_buf_html(b, capid);
		sg_buf_puts(b, "\"><span class=\"num\">");
		sg_buf_html(b, label);
		sg_buf_puts(b, "</span> ");
		sg_buf_html(b, caption);
		sg_buf_puts(b, "</caption>");
	}
	if (!row_empty(t->cells[0], t->ncols)) {
		sg_buf_puts(b, "<thead><tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			sg_buf_puts(b, "<th scope=\"col\">");
			sg_buf_html(b, t->cells[0][j]);
			sg_buf_puts(b, "</th>");
		}
		sg_buf_puts(b, "</tr></thead>");
	}
	sg_buf_puts(b, "<tbody>");
	for (size_t i = first; i < t->nrows; i++) {
		sg_buf_puts(b, "<tr>");
		for (size_t j = 0; j < t->ncols; j++) {
			const char *v = t->cells[i][j];
			sg_buf_puts(b, looks_numeric(v) ? "<td class=\"n\">" :
			    "<td>");
			sg_buf_html(b, v);
			sg_buf_puts(b, "</td>");
		}
		sg_buf_puts(b, "</tr>");
	}
	sg_buf_puts(b, "</tbody></table></div>");
}

static void
pipe_table(struct sg_buf *b, cmark_node *tbl, const char *capid,
    const char *label, cmark_node *caption)
{
	uint8_t *align = cmark_gfm_extensions_get_table_alignments(tbl);
	uint16_t ncols = cmark_gfm_extensions_get_table_columns(tbl);
	int in_body = 0;

	sg_buf_puts(b, "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" "
	    "aria-labelledby=\"");
	sg_buf_html(b, capid);
	sg_buf_puts(b, "\"><table><caption id=\"");
	sg_buf_html(b, capid);
	sg_buf_puts(b, "\"><span class=\"num\">");
	sg_buf_html(b, label);
	sg_buf_puts(b, "</span>");
	if (caption) {
		sg_buf_putc(b, ' ');
		render_inlines(caption, b);
	}
	sg_buf_puts(b, "</caption>");
	for (cmark_node *row = cmark_node_first_child(tbl); row;
	    row = cmark_node_next(row)) {
		int head = cmark_gfm_extensions_get_table_row_is_header(row);
		uint16_t col = 0;

		if (head)
			sg_buf_puts(b, "<thead>");
		else if (!in_body) {
			sg_buf_puts(b, "<tbody>");
			in_body = 1;
		}
		sg_buf_puts(b, "<tr>");
		for (cmark_node *cell = cmark_node_first_child(row); cell;
		    cell = cmark_node_next(cell), col++) {
			const char *al = "";
			if (align && col < ncols)
				al = align[col] == 'l' ? " class=\"l\"" :
				    align[col] == 'c' ? " class=\"c\"" :
				    align[col] == 'r' ? " class=\"n\"" : "";
			sg_buf_puts(b, head ? "<th scope=\"col\"" : "<td");
			sg_buf_puts(b, al);
			sg_buf_putc(b, '>');
			render_inlines(cell, b);
			sg_buf_puts(b, head ? "</th>" : "</td>");
		}
		sg_buf_puts(b, "</tr>");
		if (head)
			sg_buf_puts(b, "</thead>");
	}
	if (in_body)
		sg_buf_puts(b, "</tbody>");
	sg_buf_puts(b, "</table></div>");
}

static void
note_html(struct sg_buf *b, cmark_node *note)
{
	if (note == NULL)
		return;
	sg_buf_puts(b, "<p class=\"table-note\">");
	render_inlines(note, b);
	sg_buf_puts(b, "</p>");
}

static void
url_attr(struct sg_buf *b, const char *page, const char *target,
    const char *frag)
{
	char *p = sg_path_rel(page, target), *rel = sg_url_safe(p);
	struct sg_buf u = {0};

	free(p);
	/* Percent-encoded like cmark's own links: 案例 tags are Chinese. */
	sg_buf_urlenc(&u, rel ? rel : "");
	if (frag)
		sg_buf_urlenc(&u, frag);
	sg_buf_html(b, u.data ? u.data : "");
	sg_buf_clear(&u);
	free(rel);
}

static void
tag_links(struct sg_buf *b, const char *page, const struct sg_strv *tags)
{
	if (tags->n == 0)
		return;
	sg_buf_puts(b, "<ul class=\"tags\" aria-label=\"主题\">");
	for (size_t i = 0; i < tags->n; i++) {
		char *t = sg_xasprintf("cases/tags/%s/", tags->v[i]);
		sg_buf_puts(b, "<li><a href=\"");
		url_attr(b, page, t, NULL);
		sg_buf_puts(b, "\">");
		sg_buf_html(b, tags->v[i]);
		sg_buf_puts(b, "</a></li>");
		free(t);
	}
	sg_buf_puts(b, "</ul>");
}

static void
render_ann(struct sg_site *site, struct sg_report *r, struct ann *a,
    const char *page, enum sg_md_mode mode, int idprefix, int shift,
    struct sg_buf *b)
{
	char *capid;

	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	switch (a->kind) {
	case A_HEADING: {
		/* In the print view chapters are h2: their sections go down one.
		 * On its own page a document whose headings start below h2
		 * (a case with only ###) moves them up: no level skipped. */
		int lv = idprefix && a->level < 6 ? a->level + 1 :
		    a->level - shift;
		sg_buf_printf(b, "<h%d id=\"", lv);
		if (idprefix)
			sg_buf_printf(b, "c%d-", idprefix);
		sg_buf_html(b, a->id);
		sg_buf_puts(b, "\">");
		render_inlines(a->orig, b);
		sg_buf_printf(b, "</h%d>\n", lv);
		break;
	}
	case A_FIGURE:
		sg_buf_puts(b, "<figure class=\"figure");
		if (a->data)
			sg_buf_puts(b, " figure-table");
		else if (a->missing)
			sg_buf_puts(b, " figure-missing");
		sg_buf_puts(b, "\" id=\"");
		sg_buf_html(b, a->id ? a->id : "");
		sg_buf_puts(b, "\">");
		/* A table in a figure is a region named by the caption. */
		capid = a->id && a->data && a->data->table ?
		    sg_xasprintf("%s-cap", a->id) : NULL;
		if (a->data && a->data->table)
			data_table(b, a->data->table, capid, NULL, NULL);
		else if (a->missing) {
			/* Only the caption, in a slim line that says the
			 * image is missing (style.css). */
		} else {
			sg_buf_puts(b, "<img src=\"");
			url_attr(b, page, a->target, NULL);
			sg_buf_puts(b, "\" alt=\"");
			sg_buf_html(b, a->alt);
			sg_buf_puts(b, "\" loading=\"lazy\" decoding=\"async\">");
		}
		sg_buf_puts(b, "<figcaption");
		if (capid) {
			sg_buf_puts(b, " id=\"");
			sg_buf_html(b, capid);
			sg_buf_puts(b, "\"");
		}
		sg_buf_puts(b, "><span class=\"num\">");
		sg_buf_html(b, a->label ? a->label : "图");
		sg_buf_puts(b, "</span> ");
		sg_buf_html(b, a->text);
		sg_buf_puts(b, "</figcaption></figure>\n");
		free(capid);
		break;
	case A_CSVTABLE:
	case A_PIPETABLE:
		capid = sg_xasprintf("%s-cap", a->id ? a->id : "tbl");
		sg_buf_puts(b, "<div class=\"table-block\" id=\"");
		sg_buf_html(b, a->id ? a->id : "");
		/* Where the table starts, for the PDF's 续表 line above the
		 * pages it continues on (pdf.css); hidden on the site. */
		sg_buf_puts(b, "\"><p class=\"table-mark\" hidden><span "
		    "data-label=\"");
		sg_buf_html(b, a->label ? a->label : "表");
		sg_buf_puts(b, "\"></span></p>");
		if (a->kind == A_CSVTABLE) {
			if (a->data->table)
				data_table(b, a->data->table, capid, a->label,
				    a->text);
			sg_buf_puts(b, "<p class=\"table-download\"><a href=\"");
			url_attr(b, page, a->target, NULL);
			sg_buf_puts(b, "\" download>下载 CSV</a></p>");
		} else
			pipe_table(b, a->orig, capid, a->label ? a->label : "表",
			    a->caption);
		note_html(b, a->note);
		sg_buf_puts(b, "</div>\n");
		free(capid);
		break;
	case A_CASE: {
		struct sg_case *k = a->kase;
		if (mode == SG_MD_INLINE) {
			char *inner = sg_md_render(site, r, &k->doc, page, mode);
			sg_buf_printf(b, "<section class=\"case\" id=\"case-%d\" "
			    "aria-labelledby=\"case-%d-t\"><h3 id=\"case-%d-t\">"
			    "<span class=\"num\">案例 %d</span> ", k->n, k->n,
			    k->n, k->n);
			sg_buf_html(b, k->doc.title);
			sg_buf_puts(b, "</h3>\n");
			sg_buf_puts(b, inner);
			sg_buf_puts(b, "</section>\n");
			free(inner);
			break;
		}
		sg_buf_puts(b, "<aside class=\"case-card\" aria-label=\"");
		sg_buf_printf(b, "案例 %d\"><p class=\"case-label\">案例 %d</p>"
		    "<p class=\"case-title\"><a href=\"", k->n, k->n);
		url_attr(b, page, k->doc.page, NULL);
		sg_buf_puts(b, "\">");
		sg_buf_html(b, k->doc.title);
		sg_buf_puts(b, "</a></p>");
		if (k->summary) {
			sg_buf_puts(b, "<p class=\"case-summary\">");
			sg_buf_html(b, k->summary);
			sg_buf_puts(b, "</p>");
		}
		tag_links(b, page, &k->tags);
		sg_buf_puts(b, "</aside>\n");
		break;
	}
	default:
		break;
	}
}

char *
sg_md_render(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const char *page, enum sg_md_mode mode)
{
	struct sg_mdinfo *mi = doc->info;
	struct sg_buf b = {0};
	int idprefix = 0, top = 0, shift = 0;
	char *html;

	if (doc->released && doc->ast == NULL) {
		reparse(site, r, doc);
		html = sg_md_render(site, r, doc, page, mode);
		free_info(doc);
		return html;
	}
	if (doc->ast == NULL)
		return sg_xstrdup("");
	/* On the one-page print view, heading ids of all chapters meet. */
	if (mode == SG_MD_INLINE) {
		for (size_t i = 0; i < r->nchapters; i++)
			if (&r->chapters[i].doc == doc)
				idprefix = r->chapters[i].index;
		for (size_t i = 0; i < r->ncases; i++)
			if (&r->cases[i].doc == doc)
				idprefix = 100 + r->cases[i].n;
	}
	/* Links first: headings and captions render their inline children. */
	for (size_t i = 0; i < mi->n; i++) {
		struct ann *a = &mi->v[i];
		if (a->kind == A_LINK && a->target) {
			char *rel = sg_path_rel(page, a->target);
			char *url = sg_xasprintf("%s%s", rel, a->frag ? a->frag : "");
			char *safe = sg_url_safe(url);
			cmark_node_set_url(a->node, safe ? safe : "");
			free(safe);
			free(rel);
			free(url);
		}
	}
	for (size_t i = 0; i < mi->n; i++)
		if (mi->v[i].kind == A_HEADING && (top == 0 ||
		    mi->v[i].level < top))
			top = mi->v[i].level;
	if (top > 2)
		shift = top - 2;
	for (size_t i = 0; i < mi->n; i++) {
		struct ann *a = &mi->v[i];
		if (a->kind == A_LINK)
			continue;
		render_ann(site, r, a, page, mode, idprefix, shift, &b);
		cmark_node_set_on_enter(a->node, b.data ? b.data : "");
	}
	sg_buf_clear(&b);
	html = cmark_render_html(doc->ast, MD_OPTS, exts);
	return html;
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

	if (doc->info == NULL) {
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
static void
free_info(struct sg_doc *doc)
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
		free(mi);
		doc->info = NULL;
	}
	if (doc->ast)
		cmark_node_free(doc->ast);
	doc->ast = NULL;
}

void
sg_md_free(struct sg_doc *doc)
{
	free_info(doc);
	for (size_t i = 0; i < doc->nheads; i++) {
		free(doc->heads[i].text);
		free(doc->heads[i].id);
	}
	free(doc->heads);
	doc->heads = NULL;
	doc->nheads = 0;
	sg_strv_clear(&doc->labels);
	sg_strv_clear(&doc->sources);
	sg_strv_clear(&doc->pending);
	doc->released = 0;
}
