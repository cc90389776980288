/*
 * page_common: what every page kind fills and does alike — the values
 * every page has (site, navigation, assets), breadcrumbs, links relative
 * to the page, a page's sitemap entry, and writing the rendered page.
 * Links between pages are relative to the page, so the site works under
 * any base path and from a folder.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "page_indicators.h"
#include "output.h"
#include "pages_int.h"
#include "sitemap.h"
#include "theme.h"
#include "util.h"

void
sg_page_link(struct sg_vars *v, const char *name, const char *page,
    const char *target)
{
	char *rel = sg_path_rel(page, target);

	sg_vars_text(v, name, rel);
	free(rel);
}

/* A page for the sitemap (and the feed, if it has a summary).  Its
 * lastmod comes from git: the newest change of src (a file or folder, ""
 * for all content) and of doc with the files it shows. */
void
sg_page_ref(struct sg_pages *b, const char *path, const struct sg_report *r,
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
const char *
sg_page_icon_name(const struct sg_site *s)
{
	return sg_has_suffix(s->icon, ".png") ? "favicon.png" :
	    sg_has_suffix(s->icon, ".svg") ? "favicon.svg" : "favicon.ico";
}

/* Sets name to the theme's word key: sg_theme_word, with its name, value
 * pairs after key. */
void
sg_page_word(struct sg_pages *b, struct sg_vars *v, const char *name,
    const char *key, ...)
{
	va_list ap;
	char *w;

	va_start(ap, key);
	w = sg_theme_vword(b->theme, key, ap);
	va_end(ap);
	sg_vars_text(v, name, w);
	free(w);
}

/* The breadcrumb to the home page, first on every page but the home. */
void
sg_page_crumb_home(struct sg_pages *b, struct sg_vars *v, const char *page)
{
	char *home = sg_theme_word(b->theme, "crumb_home", NULL);

	sg_page_crumb(v, page, home, "");
	free(home);
}

/* Values every page has: site, navigation, assets. */
struct sg_vars *
sg_page_vars(struct sg_pages *b, const char *page, const char *title,
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
		sg_page_word(b, v, "page_title", "page_title", "title", title,
		    "site", s->title, NULL);
	sg_vars_text(v, "description", description ? description :
	    s->description ? s->description : s->title);
	canon = sg_sitemap_url(s, page);
	sg_vars_text(v, "canonical", canon);
	free(canon);
	sg_page_link(v, "home_url", page, "");
	sg_page_link(v, "cases_url", page, "cases/");
	sg_page_link(v, "search_url", page, "search/");
	sg_page_link(v, "css_url", page, "assets/style.css");
	sg_page_link(v, "print_css_url", page, "assets/print.css");
	sg_page_link(v, "feed_url", page, "atom.xml");
	if (sg_indpage_any(s))
		sg_page_link(v, "trends_url", page, "indicators/");
	sg_page_link(v, "ledger_url", page, "history/");
	for (size_t i = s->nreports; i > 0; i--) {
		struct sg_report *r = &s->reports[i - 1];
		struct sg_vars *y = sg_vars_item(v, "years");
		char *p = sg_xasprintf("%d/", r->year);
		sg_page_word(b, y, "year_label", "year_label", "year",
		    SG_WORD_NUM(r->year), NULL);
		sg_page_link(y, "year_url", page, p);
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
			sg_page_word(b, p, "phone_sep", "phone_sep", NULL);
		sg_buf_clear(&tel);
	}
	if (s->icon)
		sg_page_link(v, "icon_url", page, sg_page_icon_name(s));
	return v;
}

void
sg_page_render(struct sg_pages *b, const char *kind, const char *page,
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

void
sg_page_crumb(struct sg_vars *v, const char *page, const char *label,
    const char *target)
{
	struct sg_vars *c = sg_vars_item(v, "crumbs");

	sg_vars_text(c, "crumb_label", label);
	sg_page_link(c, "crumb_url", page, target);
}

void
sg_page_crumb_report(struct sg_vars *v, const char *page,
    const struct sg_report *r)
{
	sg_page_crumb(v, page, r->title, r->prefix);
}

char *
sg_page_chapter_heading(struct sg_pages *b, const struct sg_chapter *ch)
{
	return sg_theme_word(b->theme, "chapter_heading", "number", ch->number,
	    "title", ch->doc.title, NULL);
}

void
sg_page_part_var(struct sg_pages *b, struct sg_vars *v, const char *name,
    const char *part)
{
	struct sg_buf html = {0};

	if (sg_theme_part(b->theme, part, v, &html, b->d) == 0)
		sg_vars_html_own(v, name, html.data ? html.data :
		    sg_xstrdup(""));
	else
		sg_buf_clear(&html);
}
