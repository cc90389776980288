/*
 * md_render: a parsed and numbered document to its page's HTML fragment
 * (md_parse.c parses, annotates and numbers; see md_int.h).  Each
 * annotation becomes its figure, table, case card or link, with URLs
 * relative to the page rendered; the rest is cmark-gfm's own HTML, in
 * its safe mode.
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
#include "util.h"

/* HTML of a node's inline children. */
static void
render_inlines(cmark_node *parent, struct sg_buf *b)
{
	for (cmark_node *c = cmark_node_first_child(parent); c;
	    c = cmark_node_next(c)) {
		char *h = cmark_render_html(c, MD_OPTS, sg_md_exts);
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
