/*
 * md_render: a parsed and numbered document to its page's HTML fragment
 * (md_parse.c parses, annotates and numbers; see md_int.h).  Each
 * annotation becomes its figure, table, case card or link, with URLs
 * relative to the page rendered — the markup is the theme's parts
 * (themes/default/parts/, theme.h), filled with values here; the rest is
 * cmark-gfm's own HTML, in its safe mode.
 */
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <stdint.h>
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

/* HTML of a node's inline children, as a new string. */
static char *
inlines(cmark_node *parent)
{
	struct sg_buf b = {0};

	for (cmark_node *c = cmark_node_first_child(parent); c;
	    c = cmark_node_next(c)) {
		char *h = cmark_render_html(c, MD_OPTS, sg_md_exts);
		size_t n = strlen(h);
		while (n > 0 && h[n - 1] == '\n' &&
		    cmark_node_get_type(c) != CMARK_NODE_SOFTBREAK)
			n--;
		sg_buf_add(&b, h, n);
		free(h);
	}
	return b.data ? sg_buf_take(&b) : sg_xstrdup("");
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

/* See md_int.h. */
const struct sg_theme *
sg_md_theme(const struct sg_site *site)
{
	for (; site; site = site->outer)
		if (site->parts)
			return site->parts;
	return sg_theme_builtin();
}

/*
 * Appends part name with v to b, and frees v.  A theme from sg_theme_load
 * has every part the built-in theme has, so there is nothing to report:
 * a part that repeats without end writes nothing.
 */
static void
part(const struct sg_theme *t, const char *name, struct sg_vars *v,
    struct sg_buf *b)
{
	struct sg_diag d = {0};

	if (t)
		sg_theme_part(t, name, v, b, &d);
	sg_diag_clear(&d);
	sg_vars_free(v);
}

/* A CSV table: part data-table.  capid names the caption (NULL: none). */
static void
data_table(const struct sg_theme *th, struct sg_buf *b,
    const struct sg_table *t, const char *capid, const char *label,
    const char *caption)
{
	struct sg_vars *v = sg_vars_new();

	sg_vars_text(v, "capid", capid);
	if (capid) {
		sg_vars_text(v, "label", label);
		sg_vars_text(v, "caption", caption);
	}
	if (!row_empty(t->cells[0], t->ncols))
		for (size_t j = 0; j < t->ncols; j++)
			sg_vars_text(sg_vars_item(v, "head"), "text",
			    t->cells[0][j]);
	for (size_t i = 1; i < t->nrows; i++) {
		struct sg_vars *row = sg_vars_item(v, "rows");
		for (size_t j = 0; j < t->ncols; j++) {
			struct sg_vars *c = sg_vars_item(row, "cells");
			sg_vars_text(c, "text", t->cells[i][j]);
			if (looks_numeric(t->cells[i][j]))
				sg_vars_text(c, "num", "1");
		}
	}
	part(th, "data-table", v, b);
}

/* A GFM table: part pipe-table, each cell with its column's alignment. */
static void
pipe_table(const struct sg_theme *th, struct sg_buf *b, cmark_node *tbl,
    const char *capid, const char *label, cmark_node *caption)
{
	uint8_t *align = cmark_gfm_extensions_get_table_alignments(tbl);
	uint16_t ncols = cmark_gfm_extensions_get_table_columns(tbl);
	struct sg_vars *v = sg_vars_new();

	sg_vars_text(v, "capid", capid);
	sg_vars_text(v, "label", label);
	if (caption) {
		sg_vars_text(v, "captioned", "1");
		sg_vars_html_own(v, "caption", inlines(caption));
	}
	for (cmark_node *row = cmark_node_first_child(tbl); row;
	    row = cmark_node_next(row)) {
		int head = cmark_gfm_extensions_get_table_row_is_header(row);
		struct sg_vars *r = head ? v : sg_vars_item(v, "rows");
		uint16_t col = 0;

		for (cmark_node *cell = cmark_node_first_child(row); cell;
		    cell = cmark_node_next(cell), col++) {
			struct sg_vars *c = sg_vars_item(r, head ? "head" :
			    "cells");
			char al = align && col < ncols ? (char)align[col] : 0;
			const char *flag = al == 'l' ? "left" : al == 'c' ?
			    "center" : al == 'r' ? "right" : NULL;

			if (flag) {
				sg_vars_text(c, flag, "1");
				sg_vars_text(c, "aligned", "1");
			}
			sg_vars_html_own(c, "html", inlines(cell));
		}
	}
	part(th, "pipe-table", v, b);
}

/* Sets name to the URL of target from page, percent-encoded like cmark's
 * own links (案例 tags are Chinese). */
static void
url_var(struct sg_vars *v, const char *name, const char *page,
    const char *target)
{
	char *p = sg_path_rel(page, target), *rel = sg_url_safe(p);
	struct sg_buf u = {0};

	free(p);
	sg_buf_urlenc(&u, rel ? rel : "");
	sg_vars_text(v, name, u.data ? u.data : "");
	sg_buf_clear(&u);
	free(rel);
}

static void
render_ann(struct sg_site *site, struct sg_report *r, struct ann *a,
    const char *page, enum sg_md_mode mode, int idprefix, int shift,
    struct sg_buf *b)
{
	const struct sg_theme *th = sg_md_theme(site);
	struct sg_vars *v = sg_vars_new();
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
		char h[16];

		snprintf(h, sizeof(h), "h%d", lv);
		sg_vars_text(v, h, "1");
		if (idprefix)
			sg_vars_textf(v, "id", "c%d-%s", idprefix, a->id);
		else
			sg_vars_text(v, "id", a->id);
		sg_vars_html_own(v, "content", inlines(a->orig));
		part(th, "heading", v, b);
		break;
	}
	case A_FIGURE: {
		struct sg_buf tb = {0};

		sg_vars_text(v, "id", a->id ? a->id : "");
		sg_vars_text(v, "label", a->label);
		sg_vars_text(v, "caption", a->text);
		/* A table in a figure is a region named by the caption. */
		capid = a->id && a->data && a->data->table ?
		    sg_xasprintf("%s-cap", a->id) : NULL;
		if (a->data && a->data->table) {
			data_table(th, &tb, a->data->table, capid, NULL, NULL);
			sg_vars_html_own(v, "table", sg_buf_take(&tb));
		} else if (!a->missing)
			url_var(v, "src", page, a->target);
		sg_vars_text(v, "alt", a->alt);
		sg_vars_text(v, "capid", capid);
		/* A missing image is only its caption, in a slim line that
		 * says so (style.css). */
		part(th, a->data ? "figure-table" : a->missing ?
		    "figure-missing" : "figure", v, b);
		free(capid);
		break;
	}
	case A_CSVTABLE:
	case A_PIPETABLE: {
		struct sg_buf tb = {0};

		capid = sg_xasprintf("%s-cap", a->id ? a->id : "tbl");
		sg_vars_text(v, "id", a->id ? a->id : "");
		/* The mark where the table starts is for the PDF's 续表 line
		 * above the pages it continues on (pdf.css). */
		sg_vars_text(v, "label", a->label);
		if (a->kind == A_CSVTABLE) {
			if (a->data->table)
				data_table(th, &tb, a->data->table, capid,
				    a->label, a->text);
			url_var(v, "csv_url", page, a->target);
		} else
			pipe_table(th, &tb, a->orig, capid, a->label,
			    a->caption);
		if (tb.data)
			sg_vars_html_own(v, "table", sg_buf_take(&tb));
		if (a->note)
			sg_vars_html_own(v, "note", inlines(a->note));
		part(th, "table-block", v, b);
		free(capid);
		break;
	}
	case A_CASE: {
		struct sg_case *k = a->kase;
		sg_vars_textf(v, "n", "%d", k->n);
		sg_vars_text(v, "title", k->doc.title);
		if (mode == SG_MD_INLINE) {
			sg_vars_textf(v, "id", "case-%d", k->n);
			sg_vars_textf(v, "title_id", "case-%d-t", k->n);
			sg_vars_html_own(v, "content", sg_md_render(site, r,
			    &k->doc, page, mode));
			part(th, "case-section", v, b);
			break;
		}
		url_var(v, "url", page, k->doc.page);
		sg_vars_text(v, "summary", k->summary);
		for (size_t i = 0; i < k->tags.n; i++) {
			struct sg_vars *it = sg_vars_item(v, "case_tags");
			char *t = sg_xasprintf("cases/tags/%s/", k->tags.v[i]);
			sg_vars_text(it, "tag", k->tags.v[i]);
			url_var(it, "tag_url", page, t);
			free(t);
		}
		part(th, "case-card", v, b);
		break;
	}
	default:
		sg_vars_free(v);
		return;
	}
	/* Each block ends its line, as cmark's own blocks do. */
	sg_buf_putc(b, '\n');
}

/* The document being prerendered on this thread (sg_md_prerender): the
 * cases it shows inline become placeholders. */
static _Thread_local struct md_frag *pre;
static _Thread_local struct sg_doc *pre_doc;

/* doc's HTML from its tree, which is held. */
static char *
render_tree(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const char *page, enum sg_md_mode mode)
{
	struct sg_mdinfo *mi = doc->info;
	struct sg_buf b = {0};
	int idprefix = 0, top = 0, shift = 0;

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
	return cmark_render_html(doc->ast, MD_OPTS, sg_md_exts);
}

/* Reads the placeholder at s (MD_PH …); returns past it, or NULL. */
static const char *
placeholder(const char *s, char *kind, size_t *n)
{
	char *end;

	if (*s != MD_PH || (s[1] != 'L' && s[1] != 'I' && s[1] != 'C') ||
	    s[2] < '0' || s[2] > '9')
		return NULL;
	*kind = s[1];
	*n = strtoul(s + 2, &end, 10);
	return *end == MD_PH ? end + 1 : NULL;
}

/*
 * 0 if every MD_PH in html starts a placeholder of doc's (nnumbered
 * figures and tables, f's cases), each figure's and table's label and id
 * and each case are there, and each case once; else -1: then the page
 * parses the document again.
 */
static int
frag_ok(const struct md_frag *f, size_t nnumbered)
{
	unsigned char *seen = sg_xcalloc(nnumbered * 2 + f->ncases + 1, 1);
	const char *s = f->html;
	int rc = 0;

	while (rc == 0 && (s = strchr(s, MD_PH)) != NULL) {
		char kind;
		size_t n, slot;

		if ((s = placeholder(s, &kind, &n)) == NULL ||
		    n >= (kind == 'C' ? f->ncases : nnumbered)) {
			rc = -1;
			break;
		}
		slot = kind == 'C' ? nnumbered * 2 + n : n * 2 + (kind == 'I');
		if (kind == 'C' && seen[slot])
			rc = -1;
		seen[slot] = 1;
	}
	for (size_t i = 0; rc == 0 && i < nnumbered * 2 + f->ncases; i++)
		if (!seen[i])
			rc = -1;
	free(seen);
	return rc;
}

/* Renders doc for page in mode with placeholders into a new fragment of
 * doc's (dropped if its placeholders do not check out). */
static void
prerender(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const char *page, enum sg_md_mode mode)
{
	struct sg_mdinfo *mi = doc->info;
	struct md_frag f = {r, NULL, mode, NULL, NULL, 0, UINT64_MAX, 0, NULL,
	    0};

	pre = &f;
	pre_doc = doc;
	f.html = render_tree(site, r, doc, page, mode);
	pre = NULL;
	pre_doc = NULL;
	/* Held until the page is written: no slack from cmark's buffer. */
	f.html = sg_xrealloc(f.html, strlen(f.html) + 1);
	if (frag_ok(&f, mi->nnumbered) == -1) {
		free(f.html);
		free(f.cases);
		return;
	}
	f.page = sg_xstrdup(page);
	mi->frag = sg_xrealloc(mi->frag, (mi->nfrag + 1) * sizeof(*mi->frag));
	mi->frag[mi->nfrag++] = f;
}

void
sg_md_prerender(struct sg_site *site, struct sg_report *r, struct sg_doc *doc)
{
	struct sg_mdinfo *mi = doc->info;
	char *print;
	size_t k = 0;
	int inline_ = 0;
	const struct sg_site *up = site;

	/* Only a build renders pages (it has set the theme first); check
	 * and the other readers of the site parse and render nothing more. */
	while (up && up->parts == NULL)
		up = up->outer;
	if (up == NULL)
		return;
	/* Each figure and table shows its number and id as placeholders. */
	for (size_t i = 0; i < mi->n; i++) {
		struct ann *a = &mi->v[i];
		if (a->kind != A_FIGURE && a->kind != A_CSVTABLE &&
		    a->kind != A_PIPETABLE)
			continue;
		free(a->label);
		free(a->id);
		a->label = sg_xasprintf("%cL%zu%c", MD_PH, k, MD_PH);
		a->id = sg_xasprintf("%cI%zu%c", MD_PH, k, MD_PH);
		k++;
	}
	/* The pages of pages.c: its own (the cover for the preface), and
	 * the print view's, where chapters and the cases they link show
	 * inline.  Another page parses the document again. */
	print = sg_xasprintf("%sprint/", r->prefix);
	prerender(site, r, doc, doc == r->preface ? r->prefix : doc->page,
	    SG_MD_CARDS);
	for (size_t i = 0; i < r->nchapters; i++)
		inline_ |= &r->chapters[i].doc == doc;
	/* A case's doc is its first member. */
	if (r->ncases && (struct sg_case *)doc >= r->cases &&
	    (struct sg_case *)doc < r->cases + r->ncases)
		inline_ |= ((struct sg_case *)doc)->linked_pre;
	if (doc == r->preface) {
		prerender(site, r, doc, print, SG_MD_CARDS);
		inline_ = 1;	/* for the PDF */
	}
	if (inline_)
		prerender(site, r, doc, print, SG_MD_INLINE);
	free(print);
}

void
sg_md_frags_free(struct sg_mdinfo *mi)
{
	for (size_t i = 0; i < mi->nfrag; i++) {
		free(mi->frag[i].page);
		free(mi->frag[i].html);
		free(mi->frag[i].cases);
	}
	free(mi->frag);
	mi->frag = NULL;
	mi->nfrag = 0;
}

/* The label (0) or id (1) numbering gave figure or table n of doc, or
 * NULL if it was not numbered. */
static const char *
number_of(const struct sg_doc *doc, size_t n, int id)
{
	size_t k = n * 2 + (size_t)id;

	if (n * 2 + 1 >= doc->labels.n || *doc->labels.v[k] == '\0')
		return NULL;
	return doc->labels.v[k];
}

/* f's HTML with its placeholders filled in, or NULL if a figure or
 * table was not numbered (its markup differs: it is parsed again) or its
 * HTML cannot be read back from the cache. */
static char *
fill(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const struct md_frag *f, const char *page)
{
	struct sg_buf b = {0};
	const char *s, *m;
	char *back = NULL;

	for (size_t i = 0; i < doc->info->nnumbered; i++)
		if (number_of(doc, i, 0) == NULL || number_of(doc, i, 1) == NULL)
			return NULL;
	if (f->html)
		s = f->html;
	else if ((s = back = sg_cache_fetch(site->cache, f->at,
	    f->alen)) == NULL)
		return NULL;
	while ((m = strchr(s, MD_PH)) != NULL) {
		char kind;
		size_t n;

		sg_buf_add(&b, s, (size_t)(m - s));
		s = placeholder(m, &kind, &n);	/* checked by frag_ok */
		if (kind == 'C') {
			char *inner = sg_md_render(site, r, f->cases[n], page,
			    f->mode);
			sg_buf_puts(&b, inner);
			free(inner);
		} else
			sg_buf_html(&b, number_of(doc, n, kind == 'I'));
	}
	sg_buf_puts(&b, s);
	free(back);
	return b.data ? sg_buf_take(&b) : sg_xstrdup("");
}

char *
sg_md_render(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const char *page, enum sg_md_mode mode)
{
	struct sg_mdinfo *mi = doc->info;
	char *html;

	if (pre && doc != pre_doc) {
		/* A case inline in the document being prerendered. */
		pre->cases = sg_xrealloc(pre->cases, (pre->ncases + 1) *
		    sizeof(*pre->cases));
		pre->cases[pre->ncases] = doc;
		return sg_xasprintf("%cC%zu%c", MD_PH, pre->ncases++, MD_PH);
	}
	if (doc->ast)
		return render_tree(site, r, doc, page, mode);
	for (size_t i = 0; mi && i < mi->nfrag; i++) {
		struct md_frag *f = &mi->frag[i];
		if (f->r != r || f->mode != mode || strcmp(f->page, page) != 0 ||
		    (html = fill(site, r, doc, f, page)) == NULL)
			continue;
		/* A page is written once: memory holds the HTML of the pages
		 * still to come.  Asked again, the document is parsed. */
		free(f->page);
		free(f->html);
		free(f->cases);
		*f = mi->frag[--mi->nfrag];
		return html;
	}
	if (doc->released) {
		sg_md_reparse(site, r, doc);
		html = render_tree(site, r, doc, page, mode);
		sg_md_free_tree(doc);
		return html;
	}
	return sg_xstrdup("");
}
