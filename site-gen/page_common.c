/*
 * page_common: what every page kind fills and does alike — the values
 * every page has (site, navigation, assets), breadcrumbs, links relative
 * to the page, a page's sitemap entry, and writing the rendered page;
 * the values every page of a report has (with its revision) and the case
 * cards that several page kinds show.
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

/* A new entry of the page list, with its path and title (the caller
 * holds the lock). */
static struct sg_page_ref *
new_ref(struct sg_pages *b, const char *path, const char *title)
{
	struct sg_page_ref *p;

	b->refs = sg_xrealloc(b->refs, (b->nrefs + 1) * sizeof(*b->refs));
	p = &b->refs[b->nrefs++];
	memset(p, 0, sizeof(*p));
	p->path = sg_xstrdup(path);
	p->title = sg_xstrdup(title);
	return p;
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
	p = new_ref(b, path, title);
	p->lastmod = lastmod;
	p->published = r && r->published ? sg_xstrdup(r->published) : NULL;
	/* An archived revision has one feed entry, made by page_history.c. */
	p->summary = summary && !(r && r->rev) ? sg_xstrdup(summary) : NULL;
	pthread_mutex_unlock(&b->lock);
}

void
sg_page_ref_dated(struct sg_pages *b, const char *path, const char *lastmod,
    const char *title, const char *summary, int feed_only)
{
	struct sg_page_ref *p;

	pthread_mutex_lock(&b->lock);
	p = new_ref(b, path, title);
	p->lastmod = lastmod ? sg_xstrdup(lastmod) : NULL;
	p->summary = summary ? sg_xstrdup(summary) : NULL;
	p->feed_only = feed_only;
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

/* ---- values every page of a report has ---- */

void
sg_page_flag(struct sg_vars *v, const char *name, int on)
{
	if (on)
		sg_vars_text(v, name, "1");
}

/* The footer's revision: a published one, its number, date and kind. */
static void
public_rev(struct sg_vars *v, const struct sg_rev *r)
{
	sg_page_flag(v, "revision", 1);
	sg_page_flag(v, "label_public", 1);
	sg_vars_textf(v, "label_rev", "%d", r->n);
	sg_vars_text(v, "label_date", r->date);
	sg_page_flag(v, "label_first", r->n == 1);
}

/*
 * The revision values of a report page: first publication, latest
 * revision and history link (cover), the revision tag and commit id
 * (footer), and for an archived revision the banner to the current one.
 */
static void
revision_vars(const struct sg_site *s, const struct sg_report *r,
    struct sg_vars *v, const char *page)
{
	struct sg_history *h = s->hist;
	size_t n;
	struct sg_rev *revs = sg_history_year(h, r->year, &n);
	char *p = sg_xasprintf("%d/history/", r->year);
	sg_page_link(v, "history_url", page, p);
	free(p);
	if (n) {
		const struct sg_rev *last = &revs[n - 1];
		sg_vars_text(v, "first_published", revs[0].date);
		sg_vars_textf(v, "latest_rev", "r%d", last->n);
		sg_vars_text(v, "latest_rev_date", last->date);
		sg_vars_textf(v, "rev_count", "%zu", n);
	}
	if (r->rev) {
		public_rev(v, r->rev);
		sg_page_flag(v, "archived", 1);
		sg_vars_textf(v, "archive_year", "%d", r->year);
		p = sg_xasprintf("%d/", r->year);
		sg_page_link(v, "current_url", page, p);
		free(p);
	} else if (h && n) {
		const struct sg_rev *last = &revs[n - 1];
		/* A preview says whether it differs from what is public. */
		if (s->preview && !sg_history_clean(h, r->year)) {
			sg_page_flag(v, "revision", 1);
			sg_page_flag(v, "label_dirty", 1);
			sg_vars_textf(v, "label_rev", "%d", last->n);
		} else
			public_rev(v, last);
	} else if (s->preview) {
		sg_page_flag(v, "revision", 1);
		sg_page_flag(v, "label_unpublished", 1);
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

void
sg_page_report_common(struct sg_pages *b, struct sg_vars *v,
    struct sg_report *r, const char *page)
{
	char *p;

	sg_vars_text(v, "report_title", r->title);
	sg_vars_textf(v, "report_year", "%d", r->year);
	sg_vars_text(v, "published", r->published);
	lines(v, "statement", r->statement);
	lines(v, "signatory_lines", r->signatory);
	sg_page_link(v, "report_url", page, r->prefix);
	p = sg_xasprintf("%sprint/", r->prefix);
	sg_page_link(v, "print_url", page, p);
	free(p);
	if (r->nindicators) {
		p = sg_xasprintf("%sindicators/", r->prefix);
		sg_page_link(v, "indicators_url", page, p);
		free(p);
	}
	revision_vars(b->site, r, v, page);
}

/* The report's PDF file, beside its cover: 2024/report-2024.pdf, and
 * 2024/r1/report-2024-r1.pdf for an archived revision.  Caller frees. */
char *
sg_page_pdf_name(const struct sg_report *r)
{
	if (r->rev)
		return sg_xasprintf("%sreport-%d-r%d.pdf", r->prefix, r->year,
		    r->rev->n);
	return sg_xasprintf("%sreport-%d.pdf", r->prefix, r->year);
}

/* ---- case cards ---- */

static void
card_init(struct sg_pages *b, struct sg_case_card *c,
    const struct sg_report *r, const struct sg_case *k)
{
	c->r = r;
	c->k = k;
	c->label = sg_theme_word(b->theme, "case_label", "n",
	    SG_WORD_NUM(k->n), NULL);
	c->year = sg_theme_word(b->theme, "year_label", "year",
	    SG_WORD_NUM(r->year), NULL);
	c->year_num = sg_xasprintf("%d", r->year);
	c->chapter = k->chapter >= 0 && (size_t)k->chapter < r->nchapters ?
	    sg_page_chapter_heading(b, &r->chapters[k->chapter]) : NULL;
	c->tag_pages = sg_xcalloc(k->tags.n + 1, sizeof(char *));
	for (size_t t = 0; t < k->tags.n; t++)
		c->tag_pages[t] = sg_xasprintf("cases/tags/%s/", k->tags.v[t]);
}

static void
card_clear(struct sg_case_card *c)
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
void
sg_page_card_vars(struct sg_vars *it, const char *page,
    const struct sg_case_card *c)
{
	const struct sg_case *k = c->k;

	sg_vars_text(it, "case_label", c->label);
	sg_vars_text(it, "case_title", k->doc.title);
	sg_vars_text(it, "case_summary", k->summary);
	sg_vars_text(it, "case_year", c->year);
	sg_vars_text(it, "case_year_num", c->year_num);
	sg_page_link(it, "case_url", page, k->doc.page);
	if (c->chapter) {
		sg_vars_text(it, "case_chapter", c->chapter);
		sg_page_link(it, "case_chapter_url", page,
		    c->r->chapters[k->chapter].doc.page);
	}
	for (size_t t = 0; t < k->tags.n; t++) {
		struct sg_vars *tg = sg_vars_item(it, "case_tags");
		sg_vars_text(tg, "tag", k->tags.v[t]);
		sg_page_link(tg, "tag_url", page, c->tag_pages[t]);
	}
}

/* Every case's card, once per build, newest year first as the listings
 * show them: case pages, contents, the home page and the listings all
 * take theirs from here. */
void
sg_page_cards_init(struct sg_pages *b)
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
			card_init(b, &b->cards[c++], r, &r->cases[i]);
	}
}

void
sg_page_cards_clear(struct sg_pages *b)
{
	for (size_t i = 0; i < b->ncards; i++)
		card_clear(&b->cards[i]);
	free(b->cards);
	free(b->cards_first);
}

/* Case i of r as a card on page.  An archived revision is not among the
 * site's reports: its cards are made here. */
void
sg_page_case_item(struct sg_pages *b, struct sg_vars *it, const char *page,
    const struct sg_report *r, size_t i)
{
	struct sg_site *s = b->site;
	struct sg_case_card c;

	for (size_t y = 0; y < s->nreports; y++)
		if (&s->reports[y] == r) {
			sg_page_card_vars(it, page,
			    &b->cards[b->cards_first[y] + i]);
			return;
		}
	card_init(b, &c, r, &r->cases[i]);
	sg_page_card_vars(it, page, &c);
	card_clear(&c);
}
