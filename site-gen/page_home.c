/*
 * page_home: the home page (the reports, the latest year's first cases
 * and key figures) and the case cards that it, the report contents, the
 * case pages and the case listings show.
 */
#include <stdlib.h>

#include "page_indicators.h"
#include "pages_int.h"
#include "theme.h"
#include "util.h"

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

void
sg_page_home(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	struct sg_vars *v = sg_page_vars(b, "", s->title, NULL);

	for (size_t i = s->nreports; i > 0; i--) {
		struct sg_report *r = &s->reports[i - 1];
		struct sg_vars *it = sg_vars_item(v, "reports");
		char *p = sg_xasprintf("%d/", r->year);
		sg_vars_text(it, "report_title", r->title);
		sg_vars_textf(it, "report_year", "%d", r->year);
		sg_vars_text(it, "report_published", r->published);
		if (r->nindicators)
			sg_page_word(b, it, "report_counts", "report_counts",
			    "chapters", SG_WORD_NUM(r->nchapters), "cases",
			    SG_WORD_NUM(r->ncases), "tables",
			    SG_WORD_NUM(r->nindicators), NULL);
		else
			sg_page_word(b, it, "report_counts",
			    "report_counts_no_tables", "chapters",
			    SG_WORD_NUM(r->nchapters), "cases",
			    SG_WORD_NUM(r->ncases), NULL);
		sg_page_link(it, "report_url", "", p);
		free(p);
	}
	if (s->nreports > 0) {
		struct sg_report *r = &s->reports[s->nreports - 1];
		sg_vars_textf(v, "latest_year", "%d", r->year);
		for (size_t i = 0; i < r->ncases && i < 6; i++)
			sg_page_case_item(b, sg_vars_item(v, "cases"), "", r,
			    i);
		sg_indpage_figures(s, r, v, "");
	}
	sg_page_render(b, "home", "", v);
	sg_page_ref(b, "", NULL, "", NULL, s->title, NULL);
}
