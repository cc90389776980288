/*
 * pages: one function per page kind, each filling a sg_vars set for its
 * template.  Links between pages are relative to the page, so the site
 * works under any base path and from a folder; only 404.html, served at
 * any depth, uses base_url's path.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "diag.h"
#include "doc.h"
#include "indicators.h"
#include "indpages.h"
#include "page_history.h"
#include "history.h"
#include "markdown.h"
#include "output.h"
#include "pages.h"
#include "pdf.h"
#include "pool.h"
#include "search.h"
#include "sitemap.h"
#include "table.h"
#include "theme.h"
#include "source.h"
#include "util.h"

#define SG_RELATED_MAX	6
#define SG_CASES_PER_PAGE	100	/* cards on a page of a case listing */

/* A build in progress: one type, opaque to the page modules beyond this
 * file (page_history.c), which reach it through the sg_pages_* calls. */
struct sg_pages {
	struct sg_site		*site;
	struct sg_theme		*theme;
	struct sg_output	*o;
	struct sg_diag		*d;
	struct sg_build_stats	*st;
	struct sg_page_ref	*refs;
	size_t			 nrefs;
	/* Set by any render thread that fails: atomic, not under lock. */
	atomic_int		 failed;
	/* Chapter and case pages render on several threads: the counts,
	 * the page list and history lookups go through this lock. */
	pthread_mutex_t		 lock;
	/* Every case card of the site's reports, newest year first
	 * (cards_first[y]: report y's first); read-only once made. */
	struct card		*cards;
	size_t			*cards_first;
	size_t			 ncards;
};

static void
link_var(struct sg_vars *v, const char *name, const char *page,
    const char *target)
{
	char *rel = sg_path_rel(page, target);

	sg_vars_text(v, name, rel);
	free(rel);
}

/* A page for the sitemap (and the feed, if it has a summary).  Its
 * lastmod comes from git: the newest change of src (a file or folder, ""
 * for all content) and of doc with the files it shows. */
static void
add_ref(struct sg_pages *b, const char *path, const struct sg_report *r,
    const char *src, const struct sg_doc *doc, const char *title,
    const char *summary)
{
	struct sg_page_ref *p;
	char *lastmod = sg_history_lastmod(b->site->hist, r, src, doc);

	pthread_mutex_lock(&b->lock);
	b->refs = sg_xrealloc(b->refs, (b->nrefs + 1) * sizeof(*b->refs));
	p = &b->refs[b->nrefs++];
	memset(p, 0, sizeof(*p));
	p->path = sg_xstrdup(path);
	p->lastmod = lastmod;
	p->published = r && r->published ? sg_xstrdup(r->published) : NULL;
	p->title = sg_xstrdup(title);
	/* An archived revision has one feed entry, made by page_history.c. */
	p->summary = summary && !(r && r->rev) ? sg_xstrdup(summary) : NULL;
	pthread_mutex_unlock(&b->lock);
}

/* Where site.yml's icon is written: favicon.png, .svg or .ico. */
static const char *
icon_name(const struct sg_site *s)
{
	return sg_has_suffix(s->icon, ".png") ? "favicon.png" :
	    sg_has_suffix(s->icon, ".svg") ? "favicon.svg" : "favicon.ico";
}

/* Values every page has: site, navigation, assets. */
static struct sg_vars *
page_vars(struct sg_pages *b, const char *page, const char *title,
    const char *description)
{
	struct sg_site *s = b->site;
	struct sg_vars *v = sg_vars_new();
	char *canon;

	sg_vars_text(v, "lang", s->language);
	sg_vars_text(v, "site_title", s->title);
	if (s->preview)
		sg_vars_text(v, "preview", "1");
	sg_vars_text(v, "school", s->school);
	sg_vars_text(v, "school_en", s->school_en);
	sg_vars_text(v, "motto", s->motto);
	sg_vars_text(v, "title", title);
	if (strcmp(title, s->title) == 0)
		sg_vars_text(v, "page_title", title);
	else
		sg_vars_textf(v, "page_title", "%s · %s", title, s->title);
	sg_vars_text(v, "description", description ? description :
	    s->description ? s->description : s->title);
	canon = sg_sitemap_url(s, page);
	sg_vars_text(v, "canonical", canon);
	free(canon);
	link_var(v, "home_url", page, "");
	link_var(v, "cases_url", page, "cases/");
	link_var(v, "search_url", page, "search/");
	link_var(v, "css_url", page, "assets/style.css");
	link_var(v, "print_css_url", page, "assets/print.css");
	link_var(v, "feed_url", page, "atom.xml");
	if (sg_indpage_any(s))
		link_var(v, "trends_url", page, "indicators/");
	link_var(v, "ledger_url", page, "history/");
	for (size_t i = s->nreports; i > 0; i--) {
		struct sg_report *r = &s->reports[i - 1];
		struct sg_vars *y = sg_vars_item(v, "years");
		char *p = sg_xasprintf("%d/", r->year);
		sg_vars_textf(y, "year_label", "%d 年度", r->year);
		link_var(y, "year_url", page, p);
		free(p);
	}
	sg_vars_text(v, "address", s->address);
	sg_vars_text(v, "email", s->email);
	if (s->email)
		sg_vars_textf(v, "mailto", "mailto:%s", s->email);
	sg_vars_text(v, "website", s->website);
	/* Each number a tel: link of its digits (and + or -). */
	for (size_t i = 0; i < s->phones.n; i++) {
		struct sg_vars *p = sg_vars_item(v, "phones");
		struct sg_buf tel = {0};
		sg_buf_puts(&tel, "tel:");
		for (const char *c = s->phones.v[i]; *c; c++)
			if ((*c >= '0' && *c <= '9') || *c == '+' || *c == '-')
				sg_buf_putc(&tel, *c);
		sg_vars_text(p, "phone", s->phones.v[i]);
		sg_vars_text(p, "tel", tel.data);
		if (i)
			sg_vars_text(p, "phone_sep", "、");
		sg_buf_clear(&tel);
	}
	if (s->icon)
		link_var(v, "icon_url", page, icon_name(s));
	return v;
}

static void
render(struct sg_pages *b, const char *kind, const char *page,
    struct sg_vars *v)
{
	size_t len;
	char *html, *rel;

	html = sg_theme_render(b->theme, kind, v, &len, b->d);
	sg_vars_free(v);
	if (html == NULL) {
		b->failed = 1;
		return;
	}
	rel = *page ? sg_xasprintf("%sindex.html", page) :
	    sg_xstrdup("index.html");
	if (strcmp(kind, "404") == 0) {
		free(rel);
		rel = sg_xstrdup("404.html");
	}
	if (sg_output_write(b->o, rel, html, len, b->d) == -1)
		b->failed = 1;
	pthread_mutex_lock(&b->lock);
	b->st->pages++;
	if (b->st->progress)
		b->st->progress(b->st->progress_arg, b->st->pages, b->st->total);
	pthread_mutex_unlock(&b->lock);
	free(rel);
	free(html);
}

static void
crumb(struct sg_vars *v, const char *page, const char *label,
    const char *target)
{
	struct sg_vars *c = sg_vars_item(v, "crumbs");

	sg_vars_text(c, "crumb_label", label);
	link_var(c, "crumb_url", page, target);
}

static void
crumb_report(struct sg_vars *v, const char *page, const struct sg_report *r)
{
	crumb(v, page, r->title, r->prefix);
}

static char *
chapter_heading(const struct sg_chapter *ch)
{
	return sg_xasprintf("%s、%s", ch->number, ch->doc.title);
}

/* A case card's values that do not depend on the page showing it: the
 * listings compute them once per case, not once per listing. */
struct card {
	const struct sg_report	*r;
	const struct sg_case	*k;
	char			*label;		/* 案例 N */
	char			*year;		/* 2024 年度 */
	char			*year_num;
	char			*chapter;	/* its chapter's heading */
	char			**tag_pages;	/* cases/tags/<tag>/ */
};

static void
card_init(struct card *c, const struct sg_report *r, const struct sg_case *k)
{
	c->r = r;
	c->k = k;
	c->label = sg_xasprintf("案例 %d", k->n);
	c->year = sg_xasprintf("%d 年度", r->year);
	c->year_num = sg_xasprintf("%d", r->year);
	c->chapter = k->chapter >= 0 && (size_t)k->chapter < r->nchapters ?
	    chapter_heading(&r->chapters[k->chapter]) : NULL;
	c->tag_pages = sg_xcalloc(k->tags.n + 1, sizeof(char *));
	for (size_t t = 0; t < k->tags.n; t++)
		c->tag_pages[t] = sg_xasprintf("cases/tags/%s/", k->tags.v[t]);
}

static void
card_clear(struct card *c)
{
	free(c->label);
	free(c->year);
	free(c->year_num);
	free(c->chapter);
	for (size_t t = 0; t < c->k->tags.n; t++)
		free(c->tag_pages[t]);
	free(c->tag_pages);
}

/* The card's values as seen from page. */
static void
card_vars(struct sg_vars *it, const char *page, const struct card *c)
{
	const struct sg_case *k = c->k;

	sg_vars_text(it, "case_label", c->label);
	sg_vars_text(it, "case_title", k->doc.title);
	sg_vars_text(it, "case_summary", k->summary);
	sg_vars_text(it, "case_year", c->year);
	sg_vars_text(it, "case_year_num", c->year_num);
	link_var(it, "case_url", page, k->doc.page);
	if (c->chapter) {
		sg_vars_text(it, "case_chapter", c->chapter);
		link_var(it, "case_chapter_url", page,
		    c->r->chapters[k->chapter].doc.page);
	}
	for (size_t t = 0; t < k->tags.n; t++) {
		struct sg_vars *tg = sg_vars_item(it, "case_tags");
		sg_vars_text(tg, "tag", k->tags.v[t]);
		link_var(tg, "tag_url", page, c->tag_pages[t]);
	}
}

/* Every case's card, once per build, newest year first as the listings
 * show them: case pages, contents, the home page and the listings all
 * take theirs from here. */
static void
cards_init(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	size_t c = 0;

	for (size_t y = 0; y < s->nreports; y++)
		b->ncards += s->reports[y].ncases;
	b->cards = sg_xcalloc(b->ncards + 1, sizeof(*b->cards));
	b->cards_first = sg_xcalloc(s->nreports + 1, sizeof(*b->cards_first));
	for (size_t y = s->nreports; y > 0; y--) {
		struct sg_report *r = &s->reports[y - 1];
		b->cards_first[y - 1] = c;
		for (size_t i = 0; i < r->ncases; i++)
			card_init(&b->cards[c++], r, &r->cases[i]);
	}
}

static void
cards_clear(struct sg_pages *b)
{
	for (size_t i = 0; i < b->ncards; i++)
		card_clear(&b->cards[i]);
	free(b->cards);
	free(b->cards_first);
}

/* Case i of r as a card on page.  An archived revision is not among the
 * site's reports: its cards are made here. */
static void
case_item(struct sg_pages *b, struct sg_vars *it, const char *page,
    const struct sg_report *r, size_t i)
{
	struct sg_site *s = b->site;
	struct card c;

	for (size_t y = 0; y < s->nreports; y++)
		if (&s->reports[y] == r) {
			card_vars(it, page, &b->cards[b->cards_first[y] + i]);
			return;
		}
	card_init(&c, r, &r->cases[i]);
	card_vars(it, page, &c);
	card_clear(&c);
}

static void
home_page(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	struct sg_vars *v = page_vars(b, "", s->title, NULL);

	for (size_t i = s->nreports; i > 0; i--) {
		struct sg_report *r = &s->reports[i - 1];
		struct sg_vars *it = sg_vars_item(v, "reports");
		char *p = sg_xasprintf("%d/", r->year);
		sg_vars_text(it, "report_title", r->title);
		sg_vars_textf(it, "report_year", "%d", r->year);
		sg_vars_text(it, "report_published", r->published);
		if (r->nindicators)
			sg_vars_textf(it, "report_counts", "%zu 章 · %zu 个案例 · "
			    "%zu 张附表", r->nchapters, r->ncases, r->nindicators);
		else
			sg_vars_textf(it, "report_counts", "%zu 章 · %zu 个案例",
			    r->nchapters, r->ncases);
		link_var(it, "report_url", "", p);
		free(p);
	}
	if (s->nreports > 0) {
		struct sg_report *r = &s->reports[s->nreports - 1];
		sg_vars_textf(v, "latest_year", "%d", r->year);
		for (size_t i = 0; i < r->ncases && i < 6; i++)
			case_item(b, sg_vars_item(v, "cases"), "", r, i);
		sg_indpage_figures(s, r, v, "");
	}
	render(b, "home", "", v);
	add_ref(b, "", NULL, "", NULL, s->title, NULL);
}

static void
contents(struct sg_pages *b, struct sg_vars *v, const char *page,
    struct sg_report *r)
{
	for (size_t i = 0; i < r->nchapters; i++) {
		struct sg_chapter *ch = &r->chapters[i];
		struct sg_vars *it = sg_vars_item(v, "chapters");
		char *h = chapter_heading(ch);
		sg_vars_text(it, "chapter_title", h);
		link_var(it, "chapter_url", page, ch->doc.page);
		sg_vars_textf(it, "chapter_anchor", "#chapter-%d", ch->index);
		free(h);
		for (size_t j = 0; j < ch->doc.nheads; j++) {
			struct sg_heading *hd = &ch->doc.heads[j];
			if (hd->level != 2)
				continue;
			struct sg_vars *sec = sg_vars_item(it, "sections");
			char *t = sg_xasprintf("%s#%s", ch->doc.page, hd->id);
			sg_vars_text(sec, "section_title", hd->text);
			link_var(sec, "section_url", page, t);
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
		link_var(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#%s", r->figures[i].id);
		free(t);
	}
	for (size_t i = 0; i < r->nreftables; i++) {
		struct sg_vars *it = sg_vars_item(v, "tables");
		char *t = sg_xasprintf("%s#%s", r->reftables[i].page,
		    r->reftables[i].id);
		sg_vars_text(it, "ref_label", r->reftables[i].label);
		sg_vars_text(it, "ref_caption", r->reftables[i].caption);
		link_var(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#%s", r->reftables[i].id);
		free(t);
	}
	for (size_t i = 0; i < r->ncases; i++) {
		struct sg_vars *it = sg_vars_item(v, "cases");
		case_item(b, it, page, r, i);
		sg_vars_textf(it, "case_anchor", "#case-%d", r->cases[i].n);
	}
	for (size_t i = 0; i < r->nindicators; i++) {
		struct sg_vars *it = sg_vars_item(v, "indicators");
		/* Numbered as in the national template. */
		int n = r->indicators[i].ind ?
		    r->indicators[i].ind->schema->number : (int)i + 1;
		char *t = sg_xasprintf("%sindicators/#ind-%d", r->prefix, n);
		sg_vars_textf(it, "ref_label", "附表 %d", n);
		sg_vars_text(it, "ref_caption", r->indicators[i].title);
		link_var(it, "ref_url", page, t);
		sg_vars_textf(it, "ref_anchor", "#ind-%d", n);
		free(t);
	}
}

/* One list item per line of a multi-line value. */
static void
lines(struct sg_vars *v, const char *list, const char *text)
{
	char *s, *line, *save = NULL;

	if (text == NULL)
		return;
	s = sg_xstrdup(text);
	for (line = strtok_r(s, "\n", &save); line;
	    line = strtok_r(NULL, "\n", &save))
		sg_vars_text(sg_vars_item(v, list), "line", line);
	free(s);
}

static void
report_common(struct sg_pages *b, struct sg_vars *v, struct sg_report *r,
    const char *page)
{
	char *p;

	sg_vars_text(v, "report_title", r->title);
	sg_vars_textf(v, "report_year", "%d", r->year);
	sg_vars_text(v, "published", r->published);
	lines(v, "statement", r->statement);
	lines(v, "signatory_lines", r->signatory);
	link_var(v, "report_url", page, r->prefix);
	p = sg_xasprintf("%sprint/", r->prefix);
	link_var(v, "print_url", page, p);
	free(p);
	if (r->nindicators) {
		p = sg_xasprintf("%sindicators/", r->prefix);
		link_var(v, "indicators_url", page, p);
		free(p);
	}
	sg_page_history_report_vars(b->site, r, v, page);
}

/* The report's PDF file, beside its cover: 2024/report-2024.pdf, and
 * 2024/r1/report-2024-r1.pdf for an archived revision.  Caller frees. */
static char *
pdf_name(const struct sg_report *r)
{
	if (r->rev)
		return sg_xasprintf("%sreport-%d-r%d.pdf", r->prefix, r->year,
		    r->rev->n);
	return sg_xasprintf("%sreport-%d.pdf", r->prefix, r->year);
}

/* The cover's link to the PDF, with its size, once it was made. */
static void
pdf_link(struct sg_pages *b, struct sg_vars *v, const char *page,
    const struct sg_report *r)
{
	char *rel = pdf_name(r);
	const struct sg_pdf_file *f = sg_pdf_find(b->st->pdf, rel);

	if (f) {
		link_var(v, "pdf_url", page, rel);
		if (f->size >= 1024 * 1024)
			sg_vars_textf(v, "pdf_size", "%.1f MB",
			    (double)f->size / (1024.0 * 1024.0));
		else
			sg_vars_textf(v, "pdf_size", "%zu KB",
			    (f->size + 1023) / 1024);
	}
	free(rel);
}

static void
cover_page(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xstrdup(r->prefix);
	struct sg_vars *v = page_vars(b, page, r->title, NULL);

	report_common(b, v, r, page);
	crumb(v, page, "首页", "");
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_CARDS));
	}
	contents(b, v, page, r);
	pdf_link(b, v, page, r);
	render(b, "report", page, v);
	add_ref(b, page, r, r->dir, NULL, r->title, r->title);
	free(page);
}

static void
chapter_page(struct sg_pages *b, struct sg_report *r, size_t i)
{
	struct sg_chapter *ch = &r->chapters[i];
	const char *page = ch->doc.page;
	char *h = chapter_heading(ch);
	struct sg_vars *v = page_vars(b, page, h, NULL);

	report_common(b, v, r, page);
	crumb(v, page, "首页", "");
	crumb_report(v, page, r);
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
		char *t = chapter_heading(&r->chapters[i - 1]);
		sg_vars_text(v, "prev_title", t);
		link_var(v, "prev_url", page, r->chapters[i - 1].doc.page);
		free(t);
	}
	if (i + 1 < r->nchapters) {
		char *t = chapter_heading(&r->chapters[i + 1]);
		sg_vars_text(v, "next_title", t);
		link_var(v, "next_url", page, r->chapters[i + 1].doc.page);
		free(t);
	}
	render(b, "chapter", page, v);
	add_ref(b, page, r, NULL, &ch->doc, h, NULL);
	free(h);
}

/*
 * The report as a PDF: the theme's pdf.html, a print document of its own
 * with the same content as the print view (content: its chapters and
 * appendix), typeset by pdf.c into <prefix>report-<year>.pdf.
 */
static void
pdf_page(struct sg_pages *b, struct sg_report *r, const char *page,
    const char *content)
{
	struct sg_pdf *q = b->st->pdf;
	struct sg_vars *v;
	struct sg_strv inputs = {0};
	char *html, *rel;
	size_t len;

	if (!sg_pdf_wanted(q, r->prefix))
		return;
	v = page_vars(b, page, r->title, NULL);
	report_common(b, v, r, page);
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_INLINE));
	}
	contents(b, v, page, r);
	sg_vars_html(v, "content", content);
	/* The theme's assets are staged before any page. */
	link_var(v, "pdf_css_url", page, "assets/pdf.css");
	sg_strv_push(&inputs, sg_xasprintf("%s/assets/pdf.css", b->o->stage));
	for (size_t i = 0; i < r->images.n; i++)
		sg_strv_push(&inputs, sg_xasprintf("%s/%s%s", b->o->stage,
		    r->prefix, r->images.v[i]));
	html = sg_theme_render(b->theme, "pdf", v, &len, b->d);
	sg_vars_free(v);
	rel = pdf_name(r);
	if (html == NULL || sg_pdf_render(q, b->o, rel, page, html, len,
	    &inputs, b->d) == -1)
		b->failed = 1;
	else if (sg_pdf_find(q, rel))
		b->st->files++;
	free(rel);
	free(html);
	sg_strv_clear(&inputs);
}

static void
print_page(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xasprintf("%sprint/", r->prefix);
	char *title = sg_xasprintf("%s（打印版）", r->title);
	struct sg_vars *v = page_vars(b, page, title, NULL);
	struct sg_buf body = {0};

	report_common(b, v, r, page);
	crumb(v, page, "首页", "");
	crumb_report(v, page, r);
	if (r->preface) {
		sg_vars_text(v, "preface_title", r->preface->title);
		sg_vars_html_own(v, "preface", sg_md_render(b->site, r,
		    r->preface, page, SG_MD_CARDS));
	}
	contents(b, v, page, r);
	for (size_t i = 0; i < r->nchapters; i++) {
		struct sg_chapter *ch = &r->chapters[i];
		char *h = chapter_heading(ch);
		char *html = sg_md_render(b->site, r, &ch->doc, page,
		    SG_MD_INLINE);
		sg_buf_printf(&body, "<section class=\"print-chapter\" "
		    "id=\"chapter-%d\"><h2 class=\"chapter-title\">", ch->index);
		sg_buf_html(&body, h);
		sg_buf_puts(&body, "</h2>\n");
		sg_buf_puts(&body, html);
		sg_buf_puts(&body, "</section>\n");
		free(html);
		free(h);
	}
	if (r->nindicators) {
		char *ind = sg_indpage_tables(b->site, r, page,
		    SG_INDPAGE_PRINT);
		sg_buf_puts(&body, "<section class=\"print-chapter\" "
		    "id=\"appendix\"><h2 class=\"chapter-title\">附表</h2>\n");
		sg_buf_puts(&body, ind);
		sg_buf_puts(&body, "</section>\n");
		free(ind);
	}
	pdf_page(b, r, page, body.data ? body.data : "");
	sg_vars_html_own(v, "content", sg_buf_take(&body));
	render(b, "print", page, v);
	add_ref(b, page, r, r->dir, NULL, title, NULL);
	free(title);
	free(page);
}

static int
shares_tag(const struct sg_case *a, const struct sg_case *b)
{
	for (size_t i = 0; i < a->tags.n; i++)
		if (sg_strv_has(&b->tags, a->tags.v[i]))
			return 1;
	return 0;
}

/* Previous and next case in reading order across years: the last case of
 * the year before precedes a year's first case. */
static void
case_neighbours(struct sg_pages *b, struct sg_vars *v, const char *page,
    struct sg_report *r, size_t i)
{
	struct sg_site *s = b->site;
	size_t y = 0;
	struct sg_report *pr = r, *nr = r;
	struct sg_case *prev = NULL, *next = NULL;

	/* An archived revision is not among the site's reports: its
	 * neighbours stay within it. */
	while (y < s->nreports && &s->reports[y] != r)
		y++;
	if (i > 0)
		prev = &r->cases[i - 1];
	else if (y < s->nreports)
		for (size_t j = y; j > 0 && prev == NULL; j--)
			if (s->reports[j - 1].ncases) {
				pr = &s->reports[j - 1];
				prev = &pr->cases[pr->ncases - 1];
			}
	if (i + 1 < r->ncases)
		next = &r->cases[i + 1];
	else if (y < s->nreports)
		for (size_t j = y + 1; j < s->nreports && next == NULL; j++)
			if (s->reports[j].ncases) {
				nr = &s->reports[j];
				next = &nr->cases[0];
			}
	if (prev) {
		if (pr == r)
			sg_vars_textf(v, "prev_title", "案例 %d %s", prev->n,
			    prev->doc.title);
		else
			sg_vars_textf(v, "prev_title", "%d 年度案例 %d %s",
			    pr->year, prev->n, prev->doc.title);
		link_var(v, "prev_url", page, prev->doc.page);
	}
	if (next) {
		if (nr == r)
			sg_vars_textf(v, "next_title", "案例 %d %s", next->n,
			    next->doc.title);
		else
			sg_vars_textf(v, "next_title", "%d 年度案例 %d %s",
			    nr->year, next->n, next->doc.title);
		link_var(v, "next_url", page, next->doc.page);
	}
}

static void
case_page(struct sg_pages *b, struct sg_report *r, size_t i)
{
	struct sg_case *k = &r->cases[i];
	const char *page = k->doc.page;
	char *title = sg_xasprintf("案例 %d %s", k->n, k->doc.title);
	struct sg_vars *v = page_vars(b, page, k->doc.title, k->summary);

	report_common(b, v, r, page);
	crumb(v, page, "首页", "");
	crumb_report(v, page, r);
	crumb(v, page, "案例", "cases/");
	case_item(b, v, page, r, i);
	sg_vars_html_own(v, "content", sg_md_render(b->site, r, &k->doc, page,
	    SG_MD_CARDS));
	case_neighbours(b, v, page, r, i);
	/* A handful of related cases, newest year first: a list of every
	 * case sharing a tag helps nobody and grows with the square of the
	 * site. */
	size_t nrel = 0;
	for (size_t y = b->site->nreports; y > 0 && nrel < SG_RELATED_MAX; y--) {
		struct sg_report *ry = &b->site->reports[y - 1];
		for (size_t j = 0; j < ry->ncases && nrel < SG_RELATED_MAX; j++)
			if (strcmp(ry->cases[j].doc.path, k->doc.path) != 0 &&
			    shares_tag(k, &ry->cases[j])) {
				case_item(b, sg_vars_item(v, "related"), page,
				    ry, j);
				nrel++;
			}
	}
	render(b, "case", page, v);
	add_ref(b, page, r, NULL, &k->doc, title, k->summary ? k->summary :
	    title);
	free(title);
}

static void
indicators_page(struct sg_pages *b, struct sg_report *r)
{
	char *page = sg_xasprintf("%sindicators/", r->prefix);
	char *title = sg_xasprintf("%d 年度附表", r->year);
	char *src = sg_xasprintf("%s/indicators", r->dir);
	struct sg_vars *v = page_vars(b, page, title, NULL);

	report_common(b, v, r, page);
	crumb(v, page, "首页", "");
	crumb_report(v, page, r);
	sg_vars_text(v, "heading", title);
	sg_vars_html_own(v, "content", sg_indpage_tables(b->site, r, page, 0));
	render(b, "indicators", page, v);
	add_ref(b, page, r, src, NULL, title, NULL);
	free(src);
	free(title);
	free(page);
}

/* /indicators/: every indicator across the years of the site. */
static void
trends_page(struct sg_pages *b)
{
	const char *page = "indicators/";
	struct sg_vars *v = page_vars(b, page, "历年指标趋势", NULL);

	crumb(v, page, "首页", "");
	sg_vars_text(v, "heading", "历年指标趋势");
	link_var(v, "json_url", page, "indicators.json");
	sg_vars_html_own(v, "content", sg_indpage_trends(b->site, page));
	render(b, "trends", page, v);
	add_ref(b, page, NULL, "content", NULL, "历年指标趋势", NULL);
}

/* Every tag of every case, sorted; caller clears. */
static void
all_tags(struct sg_site *s, struct sg_strv *tags)
{
	for (size_t y = 0; y < s->nreports; y++)
		for (size_t i = 0; i < s->reports[y].ncases; i++) {
			struct sg_case *k = &s->reports[y].cases[i];
			for (size_t t = 0; t < k->tags.n; t++)
				if (!sg_strv_has(tags, k->tags.v[t]))
					sg_strv_push(tags, sg_xstrdup(k->tags.v[t]));
		}
	if (tags->n > 1)
		qsort(tags->v, tags->n, sizeof(char *), sg_strcmp_p);
}

/*
 * The filter links of the cases pages: plain links to one page per tag
 * (cases/tags/<tag>/) and per year (<year>/cases/); the link to the
 * listing being shown is marked current ("page" on its first page, "true"
 * on the others).  cases.js filters /cases/ in place instead.
 */
static void
case_filters(struct sg_pages *b, struct sg_vars *v, const char *page,
    const struct sg_strv *tags, const char *cur_tag, int cur_year,
    const char *current)
{
	struct sg_site *s = b->site;

	link_var(v, "all_url", page, "cases/");
	/* Many topics fold into one control (the theme's choice of how). */
	if (tags->n > 8)
		sg_vars_textf(v, "tags_fold", "%zu", tags->n);
	if (cur_tag == NULL && cur_year == 0)
		sg_vars_text(v, "all_current", current);
	for (size_t u = 0; u < tags->n; u++) {
		struct sg_vars *tv = sg_vars_item(v, "tags");
		char *p = sg_xasprintf("cases/tags/%s/", tags->v[u]);
		sg_vars_text(tv, "tag", tags->v[u]);
		link_var(tv, "tag_url", page, p);
		if (cur_tag && strcmp(cur_tag, tags->v[u]) == 0)
			sg_vars_text(tv, "tag_current", current);
		free(p);
	}
	for (size_t y = s->nreports; y > 0; y--) {
		struct sg_report *r = &s->reports[y - 1];
		struct sg_vars *yv;
		char *p;
		if (r->ncases == 0)
			continue;
		yv = sg_vars_item(v, "filter_years");
		p = sg_xasprintf("%d/cases/", r->year);
		sg_vars_textf(yv, "filter_year", "%d", r->year);
		sg_vars_textf(yv, "filter_year_label", "%d 年度", r->year);
		link_var(yv, "filter_year_url", page, p);
		if (cur_year == r->year)
			sg_vars_text(yv, "filter_year_current", current);
		free(p);
	}
	if (cur_tag)
		sg_vars_text(v, "current_tag", cur_tag);
}

/* One listing of cases: all of them (/cases/), a tag's or a year's, split
 * into pages of SG_CASES_PER_PAGE cards. */
struct listing {
	const char		*tag;		/* a tag's listing */
	const struct sg_report	*year;		/* a year's listing */
	char			*base;		/* its first page */
	char			*title;
	const struct card	**cards;	/* borrowed from the build */
	size_t			 n;
	size_t			 pages;
};

/* Page p (0-based) of listing l: base, base/page/2/, … */
static char *
listing_page_path(const struct listing *l, size_t p)
{
	return p == 0 ? sg_xstrdup(l->base) :
	    sg_xasprintf("%spage/%zu/", l->base, p + 1);
}

/*
 * The page links of a listing of more than one page: previous and next
 * (rel=prev/next), the first and last pages, and two on each side of the
 * current one (aria-current="page"), with a gap where pages are left out
 * (a gap of one page shows that page instead).
 */
static void
pager(struct sg_vars *v, const struct listing *l, const char *page, size_t cur)
{
	size_t last = l->pages - 1, lo, hi, shown = 0;
	char *t;

	if (l->pages < 2)
		return;
	if (cur > 0) {
		t = listing_page_path(l, cur - 1);
		link_var(v, "prev_page_url", page, t);
		free(t);
	}
	if (cur < last) {
		t = listing_page_path(l, cur + 1);
		link_var(v, "next_page_url", page, t);
		free(t);
	}
	lo = cur > 2 ? cur - 2 : 0;
	hi = cur + 2 < last ? cur + 2 : last;
	if (lo == 2)
		lo = 1;
	if (hi + 2 == last)
		hi = last - 1;
	for (size_t p = 0; p <= last; p++) {
		struct sg_vars *it;
		if (p != 0 && p != last && (p < lo || p > hi))
			continue;
		if (p > shown + 1)
			sg_vars_text(sg_vars_item(v, "pages"), "page_gap", "…");
		it = sg_vars_item(v, "pages");
		t = listing_page_path(l, p);
		sg_vars_textf(it, "page_num", "%zu", p + 1);
		sg_vars_textf(it, "page_label", "第 %zu 页", p + 1);
		link_var(it, "page_url", page, t);
		if (p == cur)
			sg_vars_text(it, "page_current", "page");
		free(t);
		shown = p;
	}
}

struct listing_jobs {
	struct sg_pages		*b;
	struct listing		*v;
	size_t			 n;
	const struct sg_strv	*tags;
	size_t			*first;	/* job number of each listing's
					   first page */
};

/* Job i: one page of one listing. */
static void
listing_job(void *arg, size_t i)
{
	struct listing_jobs *j = arg;
	struct sg_pages *b = j->b;
	size_t li = 0, p, end;
	const struct listing *l;
	char *page, *title;
	struct sg_vars *v;

	while (li + 1 < j->n && j->first[li + 1] <= i)
		li++;
	l = &j->v[li];
	p = i - j->first[li];
	page = listing_page_path(l, p);
	title = p == 0 ? sg_xstrdup(l->title) :
	    sg_xasprintf("%s（第 %zu 页）", l->title, p + 1);
	v = page_vars(b, page, title, NULL);
	crumb(v, page, "首页", "");
	if (l->tag || l->year || p > 0)
		crumb(v, page, "案例", "cases/");
	if (l->tag == NULL && l->year == NULL)
		link_var(v, "cases_js_url", page, "assets/cases.js");
	sg_vars_text(v, "heading", title);
	case_filters(b, v, page, j->tags, l->tag, l->year ? l->year->year : 0,
	    p == 0 ? "page" : "true");
	end = (p + 1) * SG_CASES_PER_PAGE < l->n ?
	    (p + 1) * SG_CASES_PER_PAGE : l->n;
	for (size_t c = p * SG_CASES_PER_PAGE; c < end; c++)
		card_vars(sg_vars_item(v, "cases"), page, l->cards[c]);
	if (l->pages > 1)
		sg_vars_textf(v, "count", "共 %zu 个案例 · 本页第 %zu–%zu 个"
		    "（第 %zu 页，共 %zu 页）", l->n, p * SG_CASES_PER_PAGE + 1,
		    end, p + 1, l->pages);
	else
		sg_vars_textf(v, "count", "共 %zu 个案例", l->n);
	pager(v, l, page, p);
	render(b, "cases", page, v);
	if (l->year)
		add_ref(b, page, l->year, l->year->dir, NULL, title, NULL);
	else
		add_ref(b, page, NULL, "content", NULL, title, NULL);
	free(title);
	free(page);
}

/* Cases per listing page, and the listing pages of a site (for the
 * progress count). */
static size_t
listing_pages(size_t n)
{
	return n == 0 ? 1 : (n + SG_CASES_PER_PAGE - 1) / SG_CASES_PER_PAGE;
}

/*
 * The case listings: /cases/ and one per tag, newest year first, and
 * <year>/cases/ for each year with cases; every page of every listing is
 * a job of the render pool.
 */
static void
case_listings(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	struct sg_strv tags = {0};
	const struct card **newest;
	struct listing *ls;
	struct listing_jobs j;
	size_t ncases = 0, nl = 0, njobs = 0, c = 0;

	all_tags(s, &tags);
	ncases = b->ncards;
	newest = sg_xcalloc(ncases + 1, sizeof(*newest));
	for (size_t i = 0; i < ncases; i++)
		newest[i] = &b->cards[i];
	ls = sg_xcalloc(tags.n + s->nreports + 1, sizeof(*ls));
	for (size_t t = 0; t <= tags.n; t++) {
		struct listing *l = &ls[nl++];
		l->tag = t < tags.n ? tags.v[t] : NULL;
		l->base = l->tag ? sg_xasprintf("cases/tags/%s/", l->tag) :
		    sg_xstrdup("cases/");
		l->title = l->tag ? sg_xasprintf("案例 · %s", l->tag) :
		    sg_xstrdup("案例");
		if (l->tag == NULL) {
			l->cards = newest;
			l->n = ncases;
			continue;
		}
		l->cards = sg_xcalloc(ncases + 1, sizeof(*l->cards));
		for (size_t i = 0; i < ncases; i++)
			if (sg_strv_has(&newest[i]->k->tags, l->tag))
				l->cards[l->n++] = newest[i];
	}
	/* A year's cards are a run of the newest-first list. */
	c = ncases;
	for (size_t y = 0; y < s->nreports; y++) {
		struct sg_report *r = &s->reports[y];
		struct listing *l;
		c -= r->ncases;
		if (r->ncases == 0)
			continue;
		l = &ls[nl++];
		l->year = r;
		l->base = sg_xasprintf("%d/cases/", r->year);
		l->title = sg_xasprintf("%d 年度案例", r->year);
		l->cards = newest + c;
		l->n = r->ncases;
	}
	j.b = b;
	j.v = ls;
	j.n = nl;
	j.tags = &tags;
	j.first = sg_xcalloc(nl + 1, sizeof(*j.first));
	for (size_t i = 0; i < nl; i++) {
		ls[i].pages = listing_pages(ls[i].n);
		j.first[i] = njobs;
		njobs += ls[i].pages;
	}
	sg_pool_run(njobs, listing_job, &j);

	for (size_t i = 0; i < nl; i++) {
		if (ls[i].tag)
			free(ls[i].cards);
		free(ls[i].base);
		free(ls[i].title);
	}
	free(ls);
	free(j.first);
	free(newest);
	sg_strv_clear(&tags);
}

/* search/: the form and results list filled by search.js from the
 * index under search/ (see search.h), which is written here too. */
static void
search_page(struct sg_pages *b)
{
	const char *page = "search/";
	struct sg_vars *v = page_vars(b, page, "搜索", NULL);
	struct sg_search_index ix;

	sg_search_build(b->site, &ix);
	crumb(v, page, "首页", "");
	link_var(v, "root_url", page, "");
	link_var(v, "search_js_url", page, "assets/search.js");
	link_var(v, "search_index_url", page, "search/index.json");
	render(b, "search", page, v);
	add_ref(b, page, NULL, "content", NULL, "搜索", NULL);
	for (size_t i = 0; i < ix.nfiles; i++) {
		if (sg_output_write(b->o, ix.files[i].path, ix.files[i].data,
		    ix.files[i].len, b->d) == -1)
			b->failed = 1;
		b->st->files++;
	}
	sg_search_clear(&ix);
}

static void
notfound_page(struct sg_pages *b)
{
	struct sg_vars *v = page_vars(b, "", "页面未找到", NULL);

	/* Served for any missing URL: links must not be relative. */
	sg_vars_text(v, "home_url", b->site->base_path);
	sg_vars_textf(v, "cases_url", "%scases/", b->site->base_path);
	sg_vars_textf(v, "search_url", "%ssearch/", b->site->base_path);
	sg_vars_textf(v, "css_url", "%sassets/style.css", b->site->base_path);
	sg_vars_textf(v, "print_css_url", "%sassets/print.css",
	    b->site->base_path);
	sg_vars_textf(v, "feed_url", "%satom.xml", b->site->base_path);
	if (sg_indpage_any(b->site))
		sg_vars_textf(v, "trends_url", "%sindicators/",
		    b->site->base_path);
	sg_vars_textf(v, "ledger_url", "%shistory/", b->site->base_path);
	if (b->site->icon)
		sg_vars_textf(v, "icon_url", "%s%s", b->site->base_path,
		    icon_name(b->site));
	render(b, "404", "", v);
}

/* A report's images and CSVs, from its source: a file of the working
 * tree is copied, one of a git tree (an archive) is read and written. */
static void
copy_report_files(struct sg_pages *b, struct sg_site *s, struct sg_report *r)
{
	struct sg_strv files = {0};

	for (size_t i = 0; i < r->images.n; i++)
		sg_strv_push(&files, sg_xstrdup(r->images.v[i]));
	for (size_t i = 0; i < r->ntables; i++)
		sg_strv_push(&files, sg_xstrdup(r->tables[i].rel));
	for (size_t i = 0; i < files.n; i++) {
		char *src = sg_xasprintf("%s/%s", r->dir, files.v[i]);
		char *real = sg_source_realpath(s->src, src);
		char *dst = sg_xasprintf("%s%s", r->prefix, files.v[i]);
		char *data;
		size_t len;
		if (real) {
			if (sg_output_copy(b->o, real, dst, b->d) == -1)
				b->failed = 1;
		} else if (sg_source_read(s->src, src, &data, &len, b->d) == -1) {
			b->failed = 1;
		} else {
			if (sg_output_write(b->o, dst, data, len, b->d) == -1)
				b->failed = 1;
			free(data);
		}
		b->st->files++;
		free(src);
		free(real);
		free(dst);
	}
	sg_strv_clear(&files);
}

/* The assets of the built-in theme, from the binary (data.h). */
static void
copy_builtin_assets(struct sg_pages *b, const char *dir)
{
	char *pre = sg_xasprintf("%s/assets/", dir + strlen(SG_DATA_BUILTIN));
	size_t n = strlen(pre);

	for (const struct sg_data_file *f = sg_data_files; f->path; f++) {
		if (strncmp(f->path, pre, n) != 0)
			continue;
		char *dst = sg_xasprintf("assets/%s", f->path + n);
		if (sg_output_write(b->o, dst, (const char *)f->data, f->len,
		    b->d) == -1)
			b->failed = 1;
		free(dst);
	}
	free(pre);
}

/* The theme's assets, before any page: the PDF's print document uses
 * them from the staging folder.  Each report's files come with its
 * pages. */
static void
copy_files(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	const char *dir = sg_theme_dir(b->theme);
	char *assets = sg_path_join(dir, "assets");

	if (sg_data_is_builtin(dir))
		copy_builtin_assets(b, dir);
	else if (sg_is_dir(assets) &&
	    sg_output_copy_tree(b->o, assets, "assets", b->d) == -1)
		b->failed = 1;
	free(assets);
	if (s->icon) {
		char *real = sg_source_realpath(s->src, s->icon);
		char *data;
		size_t len;
		if (real) {
			if (sg_output_copy(b->o, real, icon_name(s), b->d) == -1)
				b->failed = 1;
		} else if (sg_source_read(s->src, s->icon, &data, &len,
		    b->d) == -1 ||
		    sg_output_write(b->o, icon_name(s), data, len, b->d) == -1)
			b->failed = 1;
		else
			free(data);
		free(real);
	}
}

/* Every page of one report: cover, chapters, print view, cases, tables. */
struct doc_jobs {
	struct sg_pages		*b;
	struct sg_report	*r;
};

/* Job i: chapter i, then the cases.  Each renders only its own document
 * (a chapter shows its cases as cards, from their front matter). */
static void
doc_job(void *arg, size_t i)
{
	struct doc_jobs *j = arg;

	if (i < j->r->nchapters)
		chapter_page(j->b, j->r, i);
	else
		case_page(j->b, j->r, i - j->r->nchapters);
}

/* Every page and file of report r of site s: cover, chapters, print
 * view, cases, tables.  The print view shows every chapter and case, so it
 * waits for them; its PDF is typeset from the staged images, and the
 * cover links the PDF with its size, so the files come first and the
 * cover last. */
static void
report_pages(struct sg_pages *b, struct sg_site *s, struct sg_report *r)
{
	struct doc_jobs j = {b, r};

	copy_report_files(b, s, r);
	sg_pool_run(r->nchapters + r->ncases, doc_job, &j);
	print_page(b, r);
	cover_page(b, r);
	if (r->nindicators)
		indicators_page(b, r);
}

/*
 * The handle page modules beyond this file (page_history.c) get: the build
 * itself, behind an incomplete type.
 */

struct sg_site *
sg_pages_site(struct sg_pages *p)
{
	return p->site;
}

struct sg_output *
sg_pages_output(struct sg_pages *p)
{
	return p->o;
}

void
sg_pages_write(struct sg_pages *p, const char *rel, const char *data,
    size_t len)
{
	if (sg_output_write(p->o, rel, data, len, p->d) == -1)
		p->failed = 1;
	else
		p->st->files++;
}

struct sg_vars *
sg_pages_vars(struct sg_pages *p, const char *page, const char *title,
    const char *description)
{
	return page_vars(p, page, title, description);
}

void
sg_pages_render(struct sg_pages *p, const char *kind, const char *page,
    struct sg_vars *v)
{
	render(p, kind, page, v);
}

void
sg_pages_crumb(struct sg_vars *v, const char *page, const char *label,
    const char *target)
{
	crumb(v, page, label, target);
}

void
sg_pages_ref(struct sg_pages *p, const char *path, const char *lastmod,
    const char *title, const char *summary, int feed_only)
{
	struct sg_pages *b = p;
	struct sg_page_ref *r;

	b->refs = sg_xrealloc(b->refs, (b->nrefs + 1) * sizeof(*b->refs));
	r = &b->refs[b->nrefs++];
	memset(r, 0, sizeof(*r));
	r->path = sg_xstrdup(path);
	r->lastmod = lastmod ? sg_xstrdup(lastmod) : NULL;
	r->title = sg_xstrdup(title);
	r->summary = summary ? sg_xstrdup(summary) : NULL;
	r->feed_only = feed_only;
}

const struct sg_pdf_file *
sg_pages_pdf(struct sg_pages *p, const struct sg_report *r)
{
	char *rel = pdf_name(r);
	const struct sg_pdf_file *f = sg_pdf_find(p->st->pdf, rel);

	free(rel);
	return f;
}

void
sg_pages_report(struct sg_pages *p, struct sg_site *s, struct sg_report *r)
{
	report_pages(p, s, r);
	if (sg_indpage_write_report(r, p->o, &p->st->files,
	    p->d) == -1)
		p->failed = 1;
}

/* The pages sg_pages_build will render, for a progress line. */
static size_t
count_pages(const struct sg_site *s)
{
	struct sg_strv tags = {0};
	size_t *ntag = NULL, ncases = 0;
	size_t n = 2;		/* home, 404 */

	for (size_t y = 0; y < s->nreports; y++) {
		const struct sg_report *r = &s->reports[y];
		n += 2 + r->nchapters + r->ncases + (r->nindicators ? 1 : 0);
		if (r->ncases)
			n += listing_pages(r->ncases);
		ncases += r->ncases;
		for (size_t i = 0; i < r->ncases; i++)
			for (size_t t = 0; t < r->cases[i].tags.n; t++) {
				const char *tag = r->cases[i].tags.v[t];
				size_t u = 0;
				while (u < tags.n &&
				    strcmp(tags.v[u], tag) != 0)
					u++;
				if (u == tags.n) {
					sg_strv_push(&tags, sg_xstrdup(tag));
					ntag = sg_xrealloc(ntag, tags.n *
					    sizeof(*ntag));
					ntag[u] = 0;
				}
				ntag[u]++;
			}
	}
	n += listing_pages(ncases);
	for (size_t u = 0; u < tags.n; u++)
		n += listing_pages(ntag[u]);
	free(ntag);
	sg_strv_clear(&tags);
	return n;
}

static int
cmp_ref(const void *pa, const void *pb)
{
	const struct sg_page_ref *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);

	if (c == 0)
		c = a->feed_only - b->feed_only;
	if (c == 0)
		c = strcmp(a->title, b->title);
	return c;
}

int
sg_pages_build(struct sg_site *site, struct sg_theme *theme,
    struct sg_output *o, struct sg_build_stats *st, struct sg_diag *d)
{
	struct sg_pages b;
	void (*progress)(void *, size_t, size_t) = st->progress;
	void *progress_arg = st->progress_arg;
	struct sg_pdf *pdf = st->pdf;

	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.lock, NULL);
	memset(st, 0, sizeof(*st));
	st->progress = progress;
	st->progress_arg = progress_arg;
	st->pdf = pdf;
	st->total = count_pages(site);
	b.site = site;
	b.theme = theme;
	b.o = o;
	b.d = d;
	b.st = st;
	cards_init(&b);
	copy_files(&b);
	home_page(&b);
	for (size_t y = 0; y < site->nreports; y++)
		report_pages(&b, site, &site->reports[y]);
	case_listings(&b);
	if (sg_indpage_any(site))
		trends_page(&b);
	search_page(&b);
	sg_page_history_build(&b);
	notfound_page(&b);
	if (!b.failed && sg_indpage_write(site, o, &st->files, d) == -1)
		b.failed = 1;
	/* A document read again for its page that had changed. */
	if (sg_doc_failures(site, d) > 0)
		b.failed = 1;
	/* Pages rendered on several threads arrive in any order. */
	if (b.nrefs > 1)
		qsort(b.refs, b.nrefs, sizeof(*b.refs), cmp_ref);
	if (!b.failed && (sg_sitemap_write(site, b.refs, b.nrefs, o, d) == -1 ||
	    sg_feed_write(site, b.refs, b.nrefs, o, d) == -1))
		b.failed = 1;
	for (size_t i = 0; i < b.nrefs; i++) {
		free(b.refs[i].path);
		free(b.refs[i].lastmod);
		free(b.refs[i].published);
		free(b.refs[i].title);
		free(b.refs[i].summary);
	}
	free(b.refs);
	cards_clear(&b);
	return b.failed ? -1 : 0;
}
