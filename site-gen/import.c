/*
 * import: a Word report (docx.c's blocks) to a year's content folder.
 * Structure first: the chapter level is the heading level that carries
 * 一、二、…; above it and before it is the cover; 内容真实性责任声明 and 前言
 * by their titles go to report.yml and index.md; the printed 目录 is not
 * copied.  A 案例 N heading (or a box starting with one) opens a case that
 * ends at the heading that continues the chapter's own numbering.  Figures
 * pair images with the 图 caption next to them; tables are import_tab.c's.
 * Everything is built in memory and written by import_out.c; the reading
 * of typed numbers and captions is import_text.c's.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "docx.h"
#include "import.h"
#include "import_int.h"
#include "scaffold.h"
#include "schema.h"
#include "source.h"
#include "util.h"

enum section { COVER, STATEMENT, PREFACE, TOC, CHAPTER, APPENDIX };

struct walk {
	struct sg_import	*im;
	enum section	 sec;
	int		 chap_level;
	int		 styled;	/* the document has heading levels */
	struct sg_import_doc	 preface;
	char		*title;
	int		 title_strong;	/* from the Title style or a heading */
	int		 title_para;
	char		*published;
	struct sg_buf	 statement, signatory;
	int		 signing;	/* past 特此声明 */
	int		 case_level;	/* heading level of the open case */
	int		 case_box;	/* box of a boxed case, or 0 */
	int		 last_kind[10], last_ord[10];	/* chapter headings */
	int		 chap_ord;	/* the chapter's own number (一、 = 1) */
	int		 last_level;	/* of the last heading outside a case */
	char		*appendix_heading;
	size_t		 last_appendix;	/* files index + 1 of the last one */
	size_t		 quote_end;	/* where the last quote paragraph ends */
	size_t		 list_end;	/* where the last list item ends */
	/* A 图 caption above its image, waiting for it. */
	char		*pcap;
	/* Images waiting for their caption. */
	const struct sg_docx_image *pimg[64];
	int		 pimg_para[64];
	size_t		 npimg;
};

/* ---- figures ---- */

static void
quote_title(struct sg_buf *b, const char *t)
{
	sg_buf_puts(b, " \"");
	for (; *t; t++) {
		if (*t == '"' || *t == '\\')
			sg_buf_putc(b, '\\');
		sg_buf_putc(b, *t == '\n' ? ' ' : *t);
	}
	sg_buf_putc(b, '"');
}

/* Writes a figure of image img (NULL: its image is not in the file). */
static void
figure(struct walk *w, const struct sg_docx_image *img, int para,
    const char *caption)
{
	struct sg_import *im = w->im;
	const char *name = img ? sg_map_get(&im->media, img->part) : NULL;
	char *own = NULL;

	if (im->cur == NULL) {
		sg_diag_add(im->d, SG_WARNING, im->file, para, SG_DIAG_PARA,
		    "a figure outside any chapter is not imported; expected it "
		    "under a chapter heading");
		return;
	}
	if (name == NULL) {
		const char *ext = img ? img->ext : "jpg";
		if (strcmp(ext, "jpeg") == 0)
			ext = "jpg";
		own = sg_xasprintf("images/%d-%02d.%s", sg_import_chapter_no(im),
		    ++im->figno, ext);
		name = own;
	}
	if (img && own) {
		char *data;
		size_t len;
		if (sg_docx_part(im->x, img->part, &data, &len) == 0) {
			sg_import_add_file(im, sg_xstrdup(own), data, len);
			sg_map_put(&im->media, img->part,
			    im->files[im->nfiles - 1].path);
			im->images++;
			if (strcmp(img->ext, "emf") == 0 ||
			    strcmp(img->ext, "wmf") == 0)
				sg_diag_add(im->d, SG_WARNING, im->file, para,
				    SG_DIAG_PARA, "image %s is a Windows "
				    "metafile (%s) that browsers do not show; "
				    "expected it saved as PNG or JPEG", own,
				    img->ext);
		} else
			sg_diag_add(im->d, SG_WARNING, im->file, para,
			    SG_DIAG_PARA, "image %s cannot be read from the "
			    "package; the figure is kept without it", img->part);
	} else if (img)
		im->images++;
	if (img == NULL)
		sg_diag_add(im->d, SG_WARNING, im->file, para, SG_DIAG_PARA,
		    "figure “%s” has no image in the document; its caption "
		    "is kept and %s is to be supplied", caption ? caption : "",
		    name);
	im->figures++;
	sg_buf_printf(&im->cur->md, "![](%s%s", sg_import_prefix(im), name);
	if (caption && *caption)
		quote_title(&im->cur->md, caption);
	sg_buf_puts(&im->cur->md, ")\n\n");
	im->last_par_at = (size_t)-1;
	free(own);
}

static void
flush_images(struct walk *w)
{
	for (size_t k = 0; k < w->npimg; k++)
		figure(w, w->pimg[k], w->pimg_para[k], NULL);
	w->npimg = 0;
}

/* ---- documents ---- */

static void
end_doc(struct sg_import *im, struct sg_import_doc *doc)
{
	/* Markdown footnotes for the notes this document refers to. */
	struct sg_strv seen = {0};
	const char *p = doc->md.data ? doc->md.data : "";

	while ((p = strstr(p, "[^")) != NULL) {
		const char *e = strchr(p, ']');
		if (e == NULL)
			break;
		char *lab = sg_xstrndup(p + 2, (size_t)(e - p - 2));
		p = e;
		if (sg_strv_has(&seen, lab)) {
			free(lab);
			continue;
		}
		sg_strv_push(&seen, lab);
	}
	for (size_t i = 0; i < seen.n; i++) {
		const struct sg_docx_note *n = sg_docx_note(im->x, seen.v[i]);
		sg_buf_printf(&doc->md, "[^%s]: %s\n\n", seen.v[i],
		    n && *n->md ? n->md : "");
	}
	sg_strv_clear(&seen);
}

static void
end_case(struct walk *w)
{
	struct sg_import *im = w->im;

	if (!im->in_case)
		return;
	sg_import_table_flush(im);
	flush_images(w);
	end_doc(im, im->cur);
	im->in_case = 0;
	w->case_box = 0;
	im->cur = im->nchapters ? &im->chapters[im->nchapters - 1] :
	    w->sec == PREFACE ? &w->preface : NULL;
}

static void
end_chapter(struct walk *w)
{
	struct sg_import *im = w->im;

	end_case(w);
	sg_import_table_flush(im);
	flush_images(w);
	if (im->cur && im->cur != &w->preface)
		end_doc(im, im->cur);
	im->cur = NULL;
}

static void
start_case(struct walk *w, const struct sg_docx_block *b, int num,
    const char *title, int level, int box)
{
	struct sg_import *im = w->im;
	struct sg_import_doc *c;

	end_case(w);
	sg_import_table_flush(im);
	flush_images(w);
	im->cases = sg_xrealloc(im->cases, (im->ncases + 1) *
	    sizeof(*im->cases));
	c = &im->cases[im->ncases++];
	memset(c, 0, sizeof(*c));
	c->number = (int)im->ncases;
	c->chapter = sg_import_chapter_no(im);
	c->title = sg_import_one_line(*title ? title : "案例");
	if (num != c->number)
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "案例 %d is the document's case %d; it is numbered %d, in "
		    "order", num, c->number, c->number);
	if (im->cur)
		sg_buf_printf(&im->cur->md, "[案例 %d](cases/%02d-case.md)\n\n",
		    c->number, c->number);
	else
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "案例 %d comes before any chapter; no chapter links it",
		    c->number);
	im->cur = c;
	im->in_case = 1;
	im->last_par_at = (size_t)-1;
	w->case_level = level;
	w->case_box = box;
}

static void
start_chapter(struct walk *w, const char *title)
{
	struct sg_import *im = w->im;
	struct sg_import_doc *c;

	end_chapter(w);
	im->chapters = sg_xrealloc(im->chapters, (im->nchapters + 1) *
	    sizeof(*im->chapters));
	c = &im->chapters[im->nchapters++];
	memset(c, 0, sizeof(*c));
	c->number = (int)im->nchapters;
	c->title = sg_xstrdup(title);
	im->cur = c;
	im->figno = im->tabno = 0;
	im->last_par_at = (size_t)-1;
	w->sec = CHAPTER;
	memset(w->last_kind, 0, sizeof(w->last_kind));
	memset(w->last_ord, 0, sizeof(w->last_ord));
}

/* ---- blocks ---- */

/* A heading's shown text: its numbering label and its text. */
static char *
heading_text(const struct sg_docx_block *b)
{
	if (b->label && b->list == 0) {
		const char *l = b->label;
		size_t n = strlen(l);
		/* 一、学校情况 but "1. Intro": a space only after ASCII. */
		int space = n && (unsigned char)l[n - 1] < 0x80 && l[n - 1] != ' ';
		return sg_xasprintf("%s%s%s", l, space ? " " : "", b->text);
	}
	return sg_xstrdup(b->text);
}

/* The heading level of a paragraph, from its style or, in a document
 * without heading styles, from typed numbering of a short paragraph. */
static int
level_of(const struct walk *w, const struct sg_docx_block *b)
{
	int ord, num;
	const char *rest, *t;

	if (w->styled && b->level)
		return b->level;
	if (b->nimages || b->box || strlen(b->text) > 90 ||
	    strstr(b->text, "。"))
		return 0;
	char *s = heading_text(b);
	int k = sg_import_number_kind(s, &ord, &rest);
	int c = sg_import_case_heading(s, &num, &t);
	int sp = sg_import_special(s) != SP_NONE && strlen(s) < 40;
	free(s);
	if (!w->styled) {
		if (k == 0 && c)
			k = 2;
		if (k == 0 && sp)
			k = 1;
		return k;
	}
	/* A styled document may still type a heading as a bold line:
	 * （一） one below the chapters, 1. two below, …; a bold 案例 N one
	 * below the heading it stands under. */
	if (!b->bold || w->chap_level == 0)
		return 0;
	if (c)
		return w->last_level + 1 < 10 ? w->last_level + 1 : 9;
	if (k >= 2 && k <= 5)
		return w->chap_level + k - 1;
	return 0;
}

static void
emit_heading(struct walk *w, const char *text, int level)
{
	struct sg_import *im = w->im;
	int base = im->in_case ? w->case_level - 2 : w->chap_level - 1;
	int depth = level - base;
	int ls = 0;

	if (im->cur == NULL)
		return;
	sg_import_table_flush(im);
	flush_images(w);
	if (depth < 2)
		depth = 2;
	if (depth > 6)
		depth = 6;
	for (int k = 0; k < depth; k++)
		sg_buf_putc(&im->cur->md, '#');
	sg_buf_putc(&im->cur->md, ' ');
	sg_docx_md_escape(&im->cur->md, text, strlen(text), &ls);
	sg_buf_puts(&im->cur->md, "\n\n");
	im->last_par_at = (size_t)-1;
}

/* Does a heading at level with this numbering end the open case? */
static int
ends_case(struct walk *w, const char *text, int level)
{
	int ord;
	const char *rest;
	int kind = sg_import_number_kind(text, &ord, &rest);

	if (w->case_box)
		return 0;
	/* The next chapter, or the statement, preface, contents, appendix. */
	if (level <= w->chap_level && (sg_import_special(text) != SP_NONE ||
	    (kind == 1 && ord == w->chap_ord + 1)))
		return 1;
	if (w->styled) {
		/* By the outline: a deeper heading is the case's own; one at
		 * the case's level ends it when numbered as the chapter's
		 * headings at that level were before the case. */
		if (level != w->case_level)
			return level < w->case_level;
		return w->last_kind[level] != 0 && kind == w->last_kind[level];
	}
	/* Levels from typed numbering only: the case ends at the heading
	 * that continues the chapter's own numbering. */
	return level >= 1 && level < 10 && kind &&
	    kind == w->last_kind[level] && ord == w->last_ord[level] + 1;
}

static void
cover_text(struct walk *w, const struct sg_docx_block *b, const char *text)
{
	struct sg_import *im = w->im;
	const char *p;

	/* The Title style or a heading above the chapters is the title; a
	 * line naming the 报告 only until one comes. */
	if ((b->title || b->level) && !w->title_strong) {
		if (w->title)
			sg_diag_add(im->d, SG_WARNING, im->file, w->title_para,
			    SG_DIAG_PARA, "cover text “%s” is not kept; the "
			    "cover shows the title, the date and the statement",
			    w->title);
		free(w->title);
		w->title = sg_import_one_line(text);
		w->title_strong = 1;
		w->title_para = b->para;
		return;
	}
	if (w->title == NULL && strstr(text, "报告")) {
		w->title = sg_import_one_line(text);
		w->title_para = b->para;
		return;
	}
	if ((p = strstr(text, "发布日期")) != NULL && w->published == NULL) {
		int y, m, dd;
		const char *q = p + strlen("发布日期");
		while (*q && (*q < '0' || *q > '9'))
			q++;
		if (sscanf(q, "%4d-%2d-%2d", &y, &m, &dd) == 3 ||
		    sscanf(q, "%4d 年 %d 月 %d 日", &y, &m, &dd) == 3 ||
		    sscanf(q, "%4d年%d月%d日", &y, &m, &dd) == 3) {
			w->published = sg_xasprintf("%04d-%02d-%02d", y, m, dd);
			return;
		}
	}
	sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
	    "cover text “%s” is not kept; the cover shows the title, the "
	    "date and the statement", text);
}

static void
statement_text(struct walk *w, const char *text)
{
	struct sg_buf *b = w->signing ? &w->signatory : &w->statement;

	sg_buf_puts(b, text);
	sg_buf_putc(b, '\n');
	if (strstr(text, "特此声明"))
		w->signing = 1;
}

static void
emit_para(struct walk *w, const struct sg_docx_block *b)
{
	struct sg_import *im = w->im;
	struct sg_buf *md = &im->cur->md;
	size_t at = md->len;

	if (b->quote) {
		/* Quote paragraphs in a row are one block quote. */
		if (w->quote_end == md->len && md->len > 0) {
			md->data[--md->len] = '\0';
			sg_buf_puts(md, ">\n");
		}
		sg_buf_puts(md, "> ");
	}
	/* List items in a row make one tight list. */
	if (b->list && w->list_end == md->len && md->len > 0)
		md->data[--md->len] = '\0';
	if (b->list == 1)
		sg_buf_printf(md, "%*s- ", b->list_level * 2, "");
	else if (b->list == 2)
		sg_buf_printf(md, "%*s%d. ", b->list_level * 3, "", b->list_no);
	else if (b->label) {
		int ls = 1;
		sg_docx_md_escape(md, b->label, strlen(b->label), &ls);
		size_t n = strlen(b->label);
		if (n && (unsigned char)b->label[n - 1] < 0x80 &&
		    b->label[n - 1] != ' ')
			sg_buf_putc(md, ' ');
	}
	sg_buf_puts(md, b->md);
	sg_buf_puts(md, "\n\n");
	w->quote_end = b->quote ? md->len : (size_t)-1;
	w->list_end = b->list ? md->len : (size_t)-1;
	/* A short line with no sentence in it may be a figure's stand-in
	 * text ("图片缺失"), to drop if a caption without image follows. */
	im->last_par_at = strlen(b->text) <= 24 && !strstr(b->text, "。") &&
	    !b->list && !b->label ? at : (size_t)-1;
	im->last_par_para = b->para;
}

/* The next block after i that is not skipped, or NULL. */
static const struct sg_docx_block *
next_block(const struct sg_docx *x, size_t i)
{
	for (size_t k = i + 1; k < x->n; k++)
		if (!x->v[k].toc)
			return &x->v[k];
	return NULL;
}

static void
content(struct walk *w, size_t i)
{
	struct sg_import *im = w->im;
	const struct sg_docx_block *b = &im->x->v[i];
	const struct sg_docx_block *nx = next_block(im->x, i);
	const char *fig = sg_import_caption(b->text, "图");
	const char *tab = sg_import_caption(b->text, "表");

	if (b->caption && !fig && !tab && *b->text) {
		if (w->npimg || b->nimages)
			fig = b->text;
		else if (nx && nx->kind == SG_DOCX_TABLE)
			tab = b->text;
	}
	if (b->nimages) {
		sg_import_table_flush(im);
		for (size_t k = 0; k < b->nimages; k++) {
			if (w->npimg == 64)
				flush_images(w);	/* no caption for so many */
			w->pimg[w->npimg] = &b->images[k];
			w->pimg_para[w->npimg++] = b->para;
		}
		if (w->pcap && !fig) {
			figure(w, w->pimg[0], w->pimg_para[0], w->pcap);
			free(w->pcap);
			w->pcap = NULL;
			memmove(w->pimg, w->pimg + 1, (w->npimg - 1) *
			    sizeof(w->pimg[0]));
			memmove(w->pimg_para, w->pimg_para + 1, (w->npimg - 1) *
			    sizeof(w->pimg_para[0]));
			w->npimg--;
			flush_images(w);
			if (*b->text)
				emit_para(w, b);
			return;
		}
		if (fig) {
			figure(w, w->pimg[0], w->pimg_para[0], fig);
			memmove(w->pimg, w->pimg + 1, (w->npimg - 1) *
			    sizeof(w->pimg[0]));
			memmove(w->pimg_para, w->pimg_para + 1, (w->npimg - 1) *
			    sizeof(w->pimg_para[0]));
			w->npimg--;
		} else if (*b->text)
			emit_para(w, b);
		return;
	}
	if (fig) {
		if (w->npimg) {
			figure(w, w->pimg[0], w->pimg_para[0], fig);
			memmove(w->pimg, w->pimg + 1, (w->npimg - 1) *
			    sizeof(w->pimg[0]));
			memmove(w->pimg_para, w->pimg_para + 1, (w->npimg - 1) *
			    sizeof(w->pimg_para[0]));
			w->npimg--;
			return;
		}
		if (im->ptab && !im->ptab_caption && !im->ptab_figure &&
		    !im->ptab_note) {
			im->ptab_figure = sg_xstrdup(fig);
			return;
		}
		sg_import_table_flush(im);
		/* A caption above its image: the image comes next, with no
		 * caption of its own below it. */
		const struct sg_docx_block *n2 = nx ? next_block(im->x,
		    (size_t)(nx - im->x->v)) : NULL;
		if (nx && nx->kind == SG_DOCX_PARA && nx->nimages &&
		    !sg_import_caption(nx->text, "图") && !(n2 && n2->kind ==
		    SG_DOCX_PARA && !n2->nimages && sg_import_caption(n2->text, "图"))) {
			free(w->pcap);
			w->pcap = sg_xstrdup(fig);
			return;
		}
		if (im->last_par_at != (size_t)-1 && im->cur) {
			char *gone = sg_xstrdup(im->cur->md.data + im->last_par_at);
			gone[strcspn(gone, "\n")] = '\0';
			im->cur->md.len = im->last_par_at;
			im->cur->md.data[im->cur->md.len] = '\0';
			sg_diag_add(im->d, SG_WARNING, im->file, im->last_par_para,
			    SG_DIAG_PARA, "“%s” stands where the figure “%s” has "
			    "no image, and is not kept", gone, fig);
			free(gone);
		}
		figure(w, NULL, b->para, fig);
		return;
	}
	if (tab) {
		if (nx && nx->kind == SG_DOCX_TABLE) {
			sg_import_table_flush(im);
			flush_images(w);
			free(im->tab_caption);
			im->tab_caption = sg_xstrdup(tab);
			return;
		}
		if (im->ptab && !im->ptab_caption && !im->ptab_figure) {
			im->ptab_caption = sg_xstrdup(tab);
			return;
		}
	}
	if (im->ptab && !im->ptab_note && sg_import_is_note(b->text)) {
		im->ptab_note = sg_xstrdup(b->text);
		return;
	}
	if (b->links_only && b->link && sg_has_suffix(b->link, ".csv")) {
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "the link “%s” to a CSV download is not kept; the site "
		    "offers each table's CSV itself", b->text);
		return;
	}
	sg_import_table_flush(im);
	flush_images(w);
	if (im->cur == NULL)
		return;
	emit_para(w, b);
}

static void
heading(struct walk *w, const struct sg_docx_block *b, int level)
{
	struct sg_import *im = w->im;
	char *text = heading_text(b);

	/* A heading is one line: its line breaks are spaces. */
	for (char *p = text; *p; p++)
		if (*p == '\n')
			*p = ' ';
	enum sg_import_special sp = sg_import_special(text);
	int num, ord, kind;
	const char *ct, *rest;

	if (im->in_case && ends_case(w, text, level))
		end_case(w);
	if (level <= w->chap_level && !im->in_case) {
		kind = sg_import_number_kind(text, &ord, &rest);
		/* The report's title, in the chapters' heading style. */
		if (w->sec == COVER && sp == SP_NONE && (level < w->chap_level ||
		    (kind != 1 && strstr(text, "报告") && !w->title_strong))) {
			cover_text(w, b, text);
			goto out;
		}
		if (sp == SP_STATEMENT) {
			end_chapter(w);
			w->sec = STATEMENT;
		} else if (sp == SP_PREFACE) {
			end_chapter(w);
			w->sec = PREFACE;
			im->cur = &w->preface;
		} else if (sp == SP_TOC) {
			end_chapter(w);
			w->sec = TOC;
		} else if (sp == SP_APPENDIX) {
			end_chapter(w);
			w->sec = APPENDIX;
			free(w->appendix_heading);
			w->appendix_heading = sg_xstrdup(text);
		} else {
			/* The report's own chapter number: site-gen numbers. */
			rest = sg_import_chapter_title(text, &kind, &ord);
			start_chapter(w, rest);
			w->chap_ord = kind == 1 ? ord : w->chap_ord + 1;
			w->last_level = level;
		}
		goto out;
	}
	switch (w->sec) {
	case TOC:
		goto out;
	case COVER:
		cover_text(w, b, text);
		goto out;
	case STATEMENT:
		statement_text(w, text);
		goto out;
	case APPENDIX:
		free(w->appendix_heading);
		w->appendix_heading = sg_xstrdup(text);
		goto out;
	default:
		break;
	}
	if (sg_import_case_heading(text, &num, &ct)) {
		start_case(w, b, num, ct, level, 0);
		goto out;
	}
	if (!im->in_case && level < 10) {
		w->last_level = level;
		kind = sg_import_number_kind(text, &ord, &rest);
		w->last_kind[level] = kind;
		w->last_ord[level] = ord;
		for (int k = level + 1; k < 10; k++)
			w->last_kind[k] = w->last_ord[k] = 0;
	}
	emit_heading(w, text, level);
out:
	free(text);
}

static void
block(struct walk *w, size_t i)
{
	struct sg_import *im = w->im;
	const struct sg_docx_block *b = &im->x->v[i];
	int num;
	const char *ct;

	if (b->toc)
		return;		/* the site makes its own contents */
	if (im->in_case && w->case_box && b->box != w->case_box)
		end_case(w);
	if (b->kind == SG_DOCX_TABLE) {
		if (w->sec == CHAPTER || w->sec == PREFACE || w->sec == APPENDIX) {
			flush_images(w);
			int before = im->appendix;
			sg_import_table(im, b, w->sec == APPENDIX ? w->appendix_heading :
			    NULL);
			if (im->appendix > before)
				w->last_appendix = im->nfiles;
			else if (w->sec == APPENDIX && im->nchapters) {
				/* Not an appendix table: keep it with the last
				 * chapter rather than lose it. */
				im->cur = &im->chapters[im->nchapters - 1];
				sg_import_table_flush(im);
				im->cur = NULL;
			}
		} else if (w->sec != TOC)
			sg_diag_add(im->d, SG_WARNING, im->file, b->para,
			    SG_DIAG_PARA, "a table before the first chapter is "
			    "not imported");
		return;
	}
	int level = level_of(w, b);
	if (level > 0) {
		heading(w, b, level);
		return;
	}
	char *text = heading_text(b);
	enum sg_import_special sp = strlen(text) < 40 ? sg_import_special(text) : SP_NONE;
	if (!im->in_case && sp != SP_NONE && sp != SP_APPENDIX &&
	    (w->sec == COVER || w->sec == STATEMENT || w->sec == PREFACE ||
	    w->sec == TOC)) {
		/* 前言 or 目录 as a plain bold line. */
		struct sg_docx_block h = *b;
		free(text);
		h.level = w->chap_level;
		heading(w, &h, w->chap_level);
		return;
	}
	if (b->box && !im->in_case && (w->sec == CHAPTER) &&
	    sg_import_case_heading(text, &num, &ct)) {
		start_case(w, b, num, ct, 99, b->box);
		free(text);
		return;
	}
	if (b->nimages && (w->sec == COVER || w->sec == STATEMENT ||
	    w->sec == TOC))
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "%s image is not imported; the site's cover has none",
		    w->sec == COVER ? "a cover" : "an");
	switch (w->sec) {
	case COVER:
		if (*text)
			cover_text(w, b, text);
		break;
	case STATEMENT:
		if (*text)
			statement_text(w, text);
		break;
	case TOC:
		break;
	case APPENDIX:
		if (sg_import_is_note(text) && w->last_appendix) {
			struct sg_import_file *f = &im->files[w->last_appendix - 1];
			char *line = sg_xasprintf("%s\n", text);
			f->data = sg_xrealloc(f->data, f->len + strlen(line) + 1);
			memcpy(f->data + f->len, line, strlen(line) + 1);
			f->len += strlen(line);
			free(line);
		} else if (*text || b->nimages)
			sg_diag_add(im->d, SG_WARNING, im->file, b->para,
			    SG_DIAG_PARA, "text in the appendix section is not "
			    "imported: “%s”", text);
		break;
	default:
		content(w, i);
	}
	free(text);
}

/* The heading level of the chapters: the one that carries 一、二、… */
static int
chapter_level(struct walk *w)
{
	const struct sg_docx *x = w->im->x;
	int count[10] = {0}, any[10] = {0};

	for (size_t i = 0; i < x->n; i++) {
		const struct sg_docx_block *b = &x->v[i];
		if (b->kind != SG_DOCX_PARA || b->toc)
			continue;
		int l = level_of(w, b);
		if (l <= 0 || l >= 10)
			continue;
		char *t = heading_text(b);
		int ord;
		const char *rest;
		if (sg_import_number_kind(t, &ord, &rest) == 1)
			count[l]++;
		any[l]++;
		free(t);
	}
	for (int l = 1; l < 10; l++)
		if (count[l] >= 2)
			return l;
	for (int l = 1; l < 10; l++)
		if (any[l] >= 2)
			return l;
	return 1;
}

/* ---- writing ---- */

static char *
front(const char *title)
{
	char *q = sg_scaffold_yaml_quote(title);
	char *s = sg_xasprintf("---\ntitle: %s\n---\n\n", q);

	free(q);
	return s;
}

static void
yaml_block(struct sg_buf *b, const char *key, const struct sg_buf *v)
{
	if (v->len == 0)
		return;
	sg_buf_printf(b, "%s: |\n", key);
	for (const char *p = v->data; *p; ) {
		size_t n = strcspn(p, "\n");
		sg_buf_puts(b, "  ");
		sg_buf_add(b, p, n);
		sg_buf_putc(b, '\n');
		p += n + (p[n] == '\n');
	}
}

static void
collect(struct walk *w)
{
	struct sg_import *im = w->im;
	struct sg_buf y = {0};
	char *q;

	if (w->title == NULL) {
		w->title = sg_xasprintf("%d 年度教育质量报告", im->year);
		sg_diag_add(im->d, SG_WARNING, im->file, 0, 0, "no report title "
		    "found on the cover; report.yml says “%s”", w->title);
	}
	if (w->published == NULL) {
		time_t now = time(NULL);
		struct tm tm;
		char day[16];
		localtime_r(&now, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		w->published = sg_xstrdup(day);
		sg_diag_add(im->d, SG_WARNING, im->file, 0, 0, "no 发布日期 on "
		    "the cover; report.yml's published: is today, %s", day);
	}
	q = sg_scaffold_yaml_quote(w->title);
	sg_buf_printf(&y, "title: %s\nyear: %d\npublished: %s\ntemplate: %s\n",
	    q, im->year, w->published, im->schema ? im->schema->id : "zz-2024");
	free(q);
	yaml_block(&y, "statement", &w->statement);
	yaml_block(&y, "signatory", &w->signatory);
	size_t len = y.len;
	sg_import_add_file(im, sg_xstrdup("report.yml"), sg_buf_take(&y), len);

	struct sg_buf p = {0};
	char *f = front("前言");
	sg_buf_puts(&p, f);
	free(f);
	end_doc(im, &w->preface);
	if (w->preface.md.len)
		sg_buf_add(&p, w->preface.md.data, w->preface.md.len);
	len = p.len;
	sg_import_add_file(im, sg_xstrdup("index.md"), sg_buf_take(&p), len);

	for (size_t i = 0; i < im->nchapters; i++) {
		struct sg_import_doc *c = &im->chapters[i];
		const char *std = sg_scaffold_chapter_file(im->schema, c->title);
		char *slug = NULL;
		if (std == NULL)
			slug = sg_scaffold_slug(c->title);
		else
			slug = sg_xstrndup(std + 3, strlen(std) - 6);
		if (strcmp(slug, "case") == 0) {
			free(slug);
			slug = sg_xstrdup("chapter");
		}
		struct sg_buf m = {0};
		f = front(c->title);
		sg_buf_puts(&m, f);
		free(f);
		if (c->md.len)
			sg_buf_add(&m, c->md.data, c->md.len);
		len = m.len;
		sg_import_add_file(im, sg_xasprintf("%02zu-%s.md", i + 1, slug),
		    sg_buf_take(&m), len);
		free(slug);
	}
	for (size_t i = 0; i < im->ncases; i++) {
		struct sg_import_doc *c = &im->cases[i];
		struct sg_buf m = {0};
		f = front(c->title);
		sg_buf_puts(&m, f);
		free(f);
		if (c->md.len)
			sg_buf_add(&m, c->md.data, c->md.len);
		len = m.len;
		sg_import_add_file(im, sg_xasprintf("cases/%02d-case.md", c->number),
		    sg_buf_take(&m), len);
	}
}

static void
import_clear(struct sg_import *im, struct walk *w)
{
	for (size_t i = 0; i < im->nfiles; i++) {
		free(im->files[i].path);
		free(im->files[i].data);
	}
	free(im->files);
	for (size_t i = 0; i < im->nchapters; i++) {
		free(im->chapters[i].title);
		sg_buf_clear(&im->chapters[i].md);
	}
	free(im->chapters);
	for (size_t i = 0; i < im->ncases; i++) {
		free(im->cases[i].title);
		sg_buf_clear(&im->cases[i].md);
	}
	free(im->cases);
	sg_map_clear(&im->media);
	free(im->tab_caption);
	sg_schema_free(im->schema);
	sg_buf_clear(&w->preface.md);
	free(w->title);
	free(w->published);
	free(w->appendix_heading);
	free(w->pcap);
	sg_buf_clear(&w->statement);
	sg_buf_clear(&w->signatory);
}

/* The template of year: zz-<year> when there is one, else zz-2024. */
static struct sg_schema *
template_for(const char *site, int year, struct sg_diag *d)
{
	struct sg_source *src = sg_source_fs_new(site);
	char id[32];
	int found = 0;
	struct sg_schema *s;

	snprintf(id, sizeof(id), "zz-%d", year);
	s = sg_schema_load(src, id, &found, d);
	if (s == NULL && !found)
		s = sg_schema_load(src, "zz-2024", &found, d);
	sg_source_free(src);
	return s;
}

int
sg_import_docx(const char *path, const char *shown, const char *site,
    const char *out, int year, struct sg_import_stats *st, struct sg_diag *d)
{
	struct sg_import im = {0};
	struct walk w = {0};
	size_t before = sg_diag_count(d, SG_WARNING);
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if ((im.x = sg_docx_open(path, shown, d)) == NULL)
		return -1;
	im.d = d;
	im.file = shown;
	im.year = year;
	im.schema = template_for(site, year, d);
	im.last_par_at = (size_t)-1;
	w.im = &im;
	w.styled = im.x->has_headings;
	w.chap_level = chapter_level(&w);
	w.sec = COVER;
	w.quote_end = w.list_end = (size_t)-1;
	for (size_t i = 0; i < im.x->n; i++)
		block(&w, i);
	end_chapter(&w);
	if (im.nchapters == 0)
		sg_diag_add(d, SG_WARNING, shown, 0, 0, "no chapter headings "
		    "found (一、…); expected headings in a heading style or "
		    "typed as 一、标题 on their own line");
	collect(&w);
	if (im.schema)
		for (size_t i = 0; i < im.schema->ntables; i++)
			if (!im.appendix_done[im.schema->tables[i].number & 15])
				sg_diag_add(d, SG_WARNING, shown, 0, 0, "附表 %d %s "
				    "was not found in the document; expected a "
				    "table titled so, with the template's rows",
				    im.schema->tables[i].number,
				    im.schema->tables[i].name);
	if (sg_import_write_all(&im, out) == 0)
		rc = 0;
	st->chapters = (int)im.nchapters;
	st->cases = (int)im.ncases;
	st->figures = im.figures;
	st->images = im.images;
	st->tables = im.tables;
	st->appendix = im.appendix;
	st->appendix_all = im.schema ? (int)im.schema->ntables : 6;
	st->findings = sg_diag_count(d, SG_WARNING) - before;
	import_clear(&im, &w);
	sg_docx_free(im.x);
	return rc;
}
