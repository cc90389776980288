/*
 * page_case: a page per case (with its neighbours in reading order and a
 * few related cases), and the case listings — all cases, one per tag
 * and one per year — with their filter links and pager.
 */
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "pages_int.h"
#include "pool.h"
#include "theme.h"
#include "util.h"

#define SG_RELATED_MAX	6
#define SG_CASES_PER_PAGE	100	/* cards on a page of a case listing */

static int
shares_tag(const struct sg_case *a, const struct sg_case *b)
{
	for (size_t i = 0; i < a->tags.n; i++)
		if (sg_strv_has(&b->tags, a->tags.v[i]))
			return 1;
	return 0;
}

/* The breadcrumb to the cases index. */
static void
cases_crumb(struct sg_pages *b, struct sg_vars *v, const char *page)
{
	char *w = sg_theme_word(b->theme, "cases_title", NULL);

	sg_page_crumb(v, page, w, "cases/");
	free(w);
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
			sg_page_word(b, v, "prev_title", "case_title", "n",
			    SG_WORD_NUM(prev->n), "title", prev->doc.title,
			    NULL);
		else
			sg_page_word(b, v, "prev_title", "case_title_year",
			    "year", SG_WORD_NUM(pr->year), "n",
			    SG_WORD_NUM(prev->n), "title", prev->doc.title,
			    NULL);
		sg_page_link(v, "prev_url", page, prev->doc.page);
	}
	if (next) {
		if (nr == r)
			sg_page_word(b, v, "next_title", "case_title", "n",
			    SG_WORD_NUM(next->n), "title", next->doc.title,
			    NULL);
		else
			sg_page_word(b, v, "next_title", "case_title_year",
			    "year", SG_WORD_NUM(nr->year), "n",
			    SG_WORD_NUM(next->n), "title", next->doc.title,
			    NULL);
		sg_page_link(v, "next_url", page, next->doc.page);
	}
}

void
sg_page_case(struct sg_pages *b, struct sg_report *r, size_t i)
{
	struct sg_case *k = &r->cases[i];
	const char *page = k->doc.page;
	char *title = sg_theme_word(b->theme, "case_title", "n",
	    SG_WORD_NUM(k->n), "title", k->doc.title, NULL);
	struct sg_vars *v = sg_page_vars(b, page, k->doc.title, k->summary);

	sg_page_report_common(b, v, r, page);
	sg_page_crumb_home(b, v, page);
	sg_page_crumb_report(v, page, r);
	cases_crumb(b, v, page);
	sg_page_case_item(b, v, page, r, i);
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
				sg_page_case_item(b, sg_vars_item(v, "related"),
				    page, ry, j);
				nrel++;
			}
	}
	sg_page_render(b, "case", page, v);
	sg_page_ref(b, page, r, NULL, &k->doc, title, k->summary ? k->summary :
	    title);
	free(title);
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

	sg_page_link(v, "all_url", page, "cases/");
	/* Many topics fold into one control (the theme's choice of how). */
	if (tags->n > 8)
		sg_vars_textf(v, "tags_fold", "%zu", tags->n);
	if (cur_tag == NULL && cur_year == 0)
		sg_vars_text(v, "all_current", current);
	for (size_t u = 0; u < tags->n; u++) {
		struct sg_vars *tv = sg_vars_item(v, "tags");
		char *p = sg_xasprintf("cases/tags/%s/", tags->v[u]);
		sg_vars_text(tv, "tag", tags->v[u]);
		sg_page_link(tv, "tag_url", page, p);
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
		sg_page_word(b, yv, "filter_year_label", "year_label", "year",
		    SG_WORD_NUM(r->year), NULL);
		sg_page_link(yv, "filter_year_url", page, p);
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
	const struct sg_case_card **cards;	/* borrowed from the build */
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
pager(struct sg_pages *b, struct sg_vars *v, const struct listing *l,
    const char *page, size_t cur)
{
	size_t last = l->pages - 1, lo, hi, shown = 0;
	char *t;

	if (l->pages < 2)
		return;
	if (cur > 0) {
		t = listing_page_path(l, cur - 1);
		sg_page_link(v, "prev_page_url", page, t);
		free(t);
	}
	if (cur < last) {
		t = listing_page_path(l, cur + 1);
		sg_page_link(v, "next_page_url", page, t);
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
			sg_page_word(b, sg_vars_item(v, "pages"), "page_gap",
			    "cases_page_gap", NULL);
		it = sg_vars_item(v, "pages");
		t = listing_page_path(l, p);
		sg_vars_textf(it, "page_num", "%zu", p + 1);
		sg_page_word(b, it, "page_label", "cases_page_label", "page",
		    SG_WORD_NUM(p + 1), NULL);
		sg_page_link(it, "page_url", page, t);
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
	    sg_theme_word(b->theme, "cases_page_title", "title", l->title,
	    "page", SG_WORD_NUM(p + 1), NULL);
	v = sg_page_vars(b, page, title, NULL);
	sg_page_crumb_home(b, v, page);
	if (l->tag || l->year || p > 0)
		cases_crumb(b, v, page);
	if (l->tag == NULL && l->year == NULL)
		sg_page_link(v, "cases_js_url", page, "assets/cases.js");
	sg_vars_text(v, "heading", title);
	case_filters(b, v, page, j->tags, l->tag, l->year ? l->year->year : 0,
	    p == 0 ? "page" : "true");
	end = (p + 1) * SG_CASES_PER_PAGE < l->n ?
	    (p + 1) * SG_CASES_PER_PAGE : l->n;
	for (size_t c = p * SG_CASES_PER_PAGE; c < end; c++)
		sg_page_card_vars(sg_vars_item(v, "cases"), page, l->cards[c]);
	if (l->pages > 1)
		sg_page_word(b, v, "count", "cases_count_paged", "total",
		    SG_WORD_NUM(l->n), "first",
		    SG_WORD_NUM(p * SG_CASES_PER_PAGE + 1), "last",
		    SG_WORD_NUM(end), "page", SG_WORD_NUM(p + 1), "pages",
		    SG_WORD_NUM(l->pages), NULL);
	else
		sg_page_word(b, v, "count", "cases_count", "total",
		    SG_WORD_NUM(l->n), NULL);
	pager(b, v, l, page, p);
	sg_page_render(b, "cases", page, v);
	if (l->year)
		sg_page_ref(b, page, l->year, l->year->dir, NULL, title, NULL);
	else
		sg_page_ref(b, page, NULL, "content", NULL, title, NULL);
	free(title);
	free(page);
}

/* Cases per listing page, and the listing pages of a site (for the
 * progress count). */
size_t
sg_page_listing_pages(size_t n)
{
	return n == 0 ? 1 : (n + SG_CASES_PER_PAGE - 1) / SG_CASES_PER_PAGE;
}

/*
 * The case listings: /cases/ and one per tag, newest year first, and
 * <year>/cases/ for each year with cases; every page of every listing is
 * a job of the render pool.
 */
void
sg_page_listings(struct sg_pages *b)
{
	struct sg_site *s = b->site;
	struct sg_strv tags = {0};
	const struct sg_case_card **newest;
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
		l->title = l->tag ? sg_theme_word(b->theme, "cases_tag_title",
		    "tag", l->tag, NULL) : sg_theme_word(b->theme,
		    "cases_title", NULL);
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
		l->title = sg_theme_word(b->theme, "cases_year_title", "year",
		    SG_WORD_NUM(r->year), NULL);
		l->cards = newest + c;
		l->n = r->ncases;
	}
	j.b = b;
	j.v = ls;
	j.n = nl;
	j.tags = &tags;
	j.first = sg_xcalloc(nl + 1, sizeof(*j.first));
	for (size_t i = 0; i < nl; i++) {
		ls[i].pages = sg_page_listing_pages(ls[i].n);
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
