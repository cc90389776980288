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

/* The theme whose parts (theme.h) a page's fragments are: the build's, or
 * for an archived revision the current site's; else the built-in one. */
static const struct sg_theme *
parts_of(const struct sg_site *site)
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
	const struct sg_theme *th = parts_of(site);
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

char *
sg_md_render(struct sg_site *site, struct sg_report *r, struct sg_doc *doc,
    const char *page, enum sg_md_mode mode)
{
	struct sg_mdinfo *mi = doc->info;
	struct sg_buf b = {0};
	int idprefix = 0, top = 0, shift = 0;
	char *html;

	if (doc->released && doc->ast == NULL) {
		sg_md_reparse(site, r, doc);
		html = sg_md_render(site, r, doc, page, mode);
		sg_md_free_info(doc);
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
	html = cmark_render_html(doc->ast, MD_OPTS, sg_md_exts);
	return html;
}
