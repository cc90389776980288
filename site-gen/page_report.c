/*
 * page_report: the pages of one report — its cover with the contents, a
 * page per chapter, the print view of the whole report, and the PDF,
 * typeset from the same chapters as the print view.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "indicators.h"
#include "page_indicators.h"
#include "markdown.h"
#include "output.h"
#include "pages_int.h"
#include "pdf.h"
#include "theme.h"
#include "util.h"

/* The report's contents on page.  With bodies (the print view and the
 * PDF), each chapter's item also has the chapter's HTML and the id its
 * contents entry links to. */
static void
contents(struct sg_pages *b, struct sg_vars *v, const char *page,
    struct sg_report *r, char *const *bodies)
{
	for (size_t i = 0; i < r->nchapters; i++) {
		struct sg_chapter *ch = &r->chapters[i];
		struct sg_vars *it = sg_vars_item(v, "chapters");
		char *h = sg_page_chapter_heading(b, ch);
		sg_vars_text(it, "chapter_title", h);
		sg_page_link(it, "chapter_url", page, ch->doc.page);
		sg_vars_textf(it, "chapter_anchor", "#chapter-%d", ch->index);
		if (bodies) {
			sg_vars_textf(it, "chapter_id", "chapter-%d",
			    ch->index);
			sg_vars_html(it, "chapter_html", bodies[i]);
		}
		free(h);
		for (size_t j = 0; j < ch->doc.nheads; j++) {
			struct sg_heading *hd = &ch->doc.heads[j];
			if (hd->level != 2)
				continue;
			struct sg_vars *sec = sg_vars_item(it, "sections");
			char *t = sg_xasprintf("%s#%s", ch->doc.page, hd->id);
			sg_vars_text(sec, "section_title", hd->text);
			sg_page_link(sec, "section_url", page, t);
			/* Where the print view and the PDF have it. */
			sg_vars_textf(sec, "section_anchor", "#c%d-%s",
			    ch->index, hd->id);
			free(t);
		}
	}
	for (size_t i = 0; i < r->nfigures; i++) {
		struct sg_vars *it = sg_vars_item(v, "figures");
		char *t = sg_xasprintf("%s#%s", r->figures[i].page, r->figures[i].id);
		sg_vars_text(it, "ref_label", r->figures[i].label);
		sg_vars_text(it, "ref_caption", r->figures[i].caption);
		sg_page_link(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#%s", r->figures[i].id);
		free(t);
	}
	for (size_t i = 0; i < r->nreftables; i++) {
		struct sg_vars *it = sg_vars_item(v, "tables");
		char *t = sg_xasprintf("%s#%s", r->reftables[i].page,
		    r->reftables[i].id);
		sg_vars_text(it, "ref_label", r->reftables[i].label);
		sg_vars_text(it, "ref_caption", r->reftables[i].caption);
		sg_page_link(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#%s", r->reftables[i].id);
		free(t);
	}
	for (size_t i = 0; i < r->ncases; i++) {
		struct sg_vars *it = sg_vars_item(v, "cases");
		sg_page_case_item(b, it, page, r, i);
		sg_vars_textf(it, "case_anchor", "#case-%d", r->cases[i].n);
	}
	for (size_t i = 0; i < r->nindicators; i++) {
		struct sg_vars *it = sg_vars_item(v, "indicators");
		/* Numbered as in the national template. */
		int n = r->indicators[i].ind ?
		    r->indicators[i].ind->schema->number : (int)i + 1;
		char *t = sg_xasprintf("%sindicators/#ind-%d", r->prefix, n);
		sg_page_word(b, it, "ref_label", "indicator_label", "n",
		    SG_WORD_NUM(n), NULL);
		sg_vars_text(it, "ref_caption", r->indicators[i].title);
		sg_page_link(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#ind-%d", n);
		free(t);
	}
}

/* The cover's link to the PDF, with its size, once it was made. */
static void
pdf_link(struct sg_pages *b, struct sg_vars *v, const char *page,
    const struct sg_report *r)
{
	char *rel = sg_page_pdf_name(r);
	const struct sg_pdf_file *f = sg_pdf_find(b->st->pdf, rel);

	if (f) {
		sg_page_link(v, "pdf_url", page, rel);
		if (f->size >= 1024 * 1024)
			sg_vars_textf(v, "pdf_size", "%.1f MB",
			    (double)f->size / (1024.0 * 1024.0));
		else
			sg_vars_textf(v, "pdf_size", "%zu KB",
			    (f->size + 1023) / 1024);
	}
	free(rel);
}

void
sg_page_cover(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xstrdup(r->prefix);
	struct sg_vars *v = sg_page_vars(b, page, r->title, NULL);

	sg_page_report_common(b, v, r, page);
	sg_page_crumb_home(b, v, page);
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_CARDS));
	}
	contents(b, v, page, r, NULL);
	pdf_link(b, v, page, r);
	sg_page_render(b, "report", page, v);
	sg_page_ref(b, page, r, r->dir, NULL, r->title, r->title);
	free(page);
}

void
sg_page_chapter(struct sg_pages *b, struct sg_report *r, size_t i)
{
	struct sg_chapter *ch = &r->chapters[i];
	const char *page = ch->doc.page;
	char *h = sg_page_chapter_heading(b, ch);
	struct sg_vars *v = sg_page_vars(b, page, h, NULL);

	sg_page_report_common(b, v, r, page);
	sg_page_crumb_home(b, v, page);
	sg_page_crumb_report(v, page, r);
	sg_vars_text(v, "heading", h);
	sg_vars_html_own(v, "content", sg_md_render(b->site, r, &ch->doc, page,
	    SG_MD_CARDS));
	for (size_t j = 0; j < ch->doc.nheads; j++) {
		struct sg_heading *hd = &ch->doc.heads[j];
		if (hd->level != 2)
			continue;
		struct sg_vars *sec = sg_vars_item(v, "sections");
		sg_vars_text(sec, "section_title", hd->text);
		sg_vars_textf(sec, "section_url", "#%s", hd->id);
	}
	if (i > 0) {
		char *t = sg_page_chapter_heading(b, &r->chapters[i - 1]);
		sg_vars_text(v, "prev_title", t);
		sg_page_link(v, "prev_url", page, r->chapters[i - 1].doc.page);
		free(t);
	}
	if (i + 1 < r->nchapters) {
		char *t = sg_page_chapter_heading(b, &r->chapters[i + 1]);
		sg_vars_text(v, "next_title", t);
		sg_page_link(v, "next_url", page, r->chapters[i + 1].doc.page);
		free(t);
	}
	sg_page_render(b, "chapter", page, v);
	sg_page_ref(b, page, r, NULL, &ch->doc, h, NULL);
	free(h);
}

/*
 * The report as a PDF: the theme's pdf.html, a print document of its own
 * with the same content as the print view (bodies: its chapters' HTML;
 * appendix: the appendix tables, or NULL), typeset by pdf.c into
 * <prefix>report-<year>.pdf.
 */
static void
pdf_page(struct sg_pages *b, struct sg_report *r, const char *page,
    char *const *bodies, const char *appendix)
{
	struct sg_pdf *q = b->st->pdf;
	struct sg_vars *v;
	struct sg_strv inputs = {0};
	char *html, *rel;
	size_t len;

	if (!sg_pdf_wanted(q, r->prefix))
		return;
	v = sg_page_vars(b, page, r->title, NULL);
	sg_page_report_common(b, v, r, page);
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_INLINE));
	}
	contents(b, v, page, r, bodies);
	sg_vars_html(v, "appendix", appendix);
	/* A theme exported before print.html and pdf.html laid out the
	 * chapters themselves has them in its content. */
	sg_page_part_var(b, v, "content", "print-chapters");
	/* The theme's assets are staged before any page. */
	sg_page_link(v, "pdf_css_url", page, "assets/pdf.css");
	sg_strv_push(&inputs, sg_xasprintf("%s/assets/pdf.css", b->o->stage));
	for (size_t i = 0; i < r->images.n; i++)
		sg_strv_push(&inputs, sg_xasprintf("%s/%s%s", b->o->stage,
		    r->prefix, r->images.v[i]));
	html = sg_theme_render(b->theme, "pdf", v, &len, b->d);
	sg_vars_free(v);
	rel = sg_page_pdf_name(r);
	if (html == NULL || sg_pdf_render(q, b->o, rel, page, html, len,
	    &inputs, b->d) == -1)
		b->failed = 1;
	else if (sg_pdf_find(q, rel))
		b->st->files++;
	free(rel);
	free(html);
	sg_strv_clear(&inputs);
}

void
sg_page_print(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xasprintf("%sprint/", r->prefix);
	char *title = sg_theme_word(b->theme, "print_title", "title",
	    r->title, NULL);
	struct sg_vars *v = sg_page_vars(b, page, title, NULL);
	char **bodies = sg_xcalloc(r->nchapters + 1, sizeof(*bodies));
	char *appendix = NULL;

	sg_page_report_common(b, v, r, page);
	sg_page_crumb_home(b, v, page);
	sg_page_crumb_report(v, page, r);
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_CARDS));
	}
	/* Rendered once for the print view and its PDF. */
	for (size_t i = 0; i < r->nchapters; i++)
		bodies[i] = sg_md_render(b->site, r, &r->chapters[i].doc, page,
		    SG_MD_INLINE);
	if (r->nindicators)
		appendix = sg_indpage_tables(b->theme, b->site, r,
		    SG_INDPAGE_PRINT, b->d);
	pdf_page(b, r, page, bodies, appendix);
	contents(b, v, page, r, bodies);
	sg_vars_html_own(v, "appendix", appendix);
	/* A theme exported before print.html and pdf.html laid out the
	 * chapters themselves has them in its content. */
	sg_page_part_var(b, v, "content", "print-chapters");
	sg_page_render(b, "print", page, v);
	sg_page_ref(b, page, r, r->dir, NULL, title, NULL);
	for (size_t i = 0; i < r->nchapters; i++)
		free(bodies[i]);
	free(bodies);
	free(title);
	free(page);
}
