/*
 * search_docs: the documents of the search index, made from the model:
 * a chapter's text before its first section and each of its sections of
 * level 2 or 3, a case with its tags and summary, an indicator table and
 * each of its rows.  Each gets its snippet and its passage (the text the
 * search page shows the matches in); body text is kept up to
 * SG_SEARCH_BODY_MAX code points.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "doc.h"
#include "search.h"
#include "search_docs.h"
#include "table.h"
#include "theme.h"
#include "util.h"

#define SNIPPET_CHARS	72	/* code points of a snippet */

/* Whitespace runs folded to one space, trimmed, cut at max code points
 * with an ellipsis.  Caller frees. */
static char *
snippet(const char *text, size_t max)
{
	struct sg_buf b = {0};
	const char *s = text ? text : "", *run = NULL;
	size_t n = 0;
	int space = 0;

	/* Characters between breaks are copied as one run: a passage is
	 * thousands of them. */
	while (*s) {
		const char *start = s;
		int cp = sg_search_next_cp(&s);
		if (cp < 0 || cp == ' ' || cp == '\n' || cp == '\t' ||
		    cp == '\r' || cp == 0x3000) {
			if (run)
				sg_buf_add(&b, run, (size_t)(start - run));
			run = NULL;
			if (cp < 0)
				s = start + 1;
			else
				space = b.len > 0;
			continue;
		}
		if (n == max) {
			if (run)
				sg_buf_add(&b, run, (size_t)(start - run));
			run = NULL;
			sg_buf_puts(&b, "…");
			break;
		}
		if (space) {
			sg_buf_putc(&b, ' ');
			n++;
			space = 0;
		}
		if (run == NULL)
			run = start;
		n++;
	}
	if (run)
		sg_buf_add(&b, run, (size_t)(s - run));
	return sg_buf_take(&b);
}

/* The passage of d: prefix (a case's summary, or NULL) and the body,
 * whitespace folded; NULL when the snippet already holds all of it. */
static void
set_passage(struct sg_search_doc *d, const char *prefix)
{
	struct sg_buf b = {0};
	char *p;

	if (prefix && *prefix) {
		sg_buf_puts(&b, prefix);
		sg_buf_putc(&b, '\n');
	}
	if (d->body.data)
		sg_buf_puts(&b, d->body.data);
	p = snippet(b.data, SG_SEARCH_BODY_MAX + 200);
	sg_buf_clear(&b);
	if (*p == '\0' || (d->snippet && strcmp(p, d->snippet) == 0)) {
		free(p);
		p = NULL;
	} else	/* Kept until the index is written: no slack. */
		p = sg_xrealloc(p, strlen(p) + 1);
	d->passage = p;
}

static struct sg_search_doc *
add_doc(struct sg_search_docs *ds, int kind, int year, const char *title,
    const char *url, const char *context)
{
	struct sg_search_doc *d;

	/* Small to start: most extraction jobs (a case) make one
	 * document, and every job's list lives until all are indexed. */
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 4;
		ds->v = sg_xrealloc(ds->v, ds->cap * sizeof(*ds->v));
	}
	d = &ds->v[ds->n++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->year = year;
	d->title = sg_xstrdup(title);
	d->url = sg_xstrdup(url);
	d->context = sg_xstrdup(context ? context : "");
	d->room = SG_SEARCH_BODY_MAX;
	return d;
}

/* Appends as much of s to d's body as it has room for, whole code
 * points. */
static void
body_add(struct sg_search_doc *d, const char *s)
{
	const char *p = s;

	/* Counts lead bytes: index_text deals with bytes that are not
	 * UTF-8. */
	while (*p && d->room > 0) {
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		d->room--;
	}
	if (p > s)
		sg_buf_add(&d->body, s, (size_t)(p - s));
}

static void
body_putc(struct sg_search_doc *d, char c)
{
	if (d->room > 0) {
		sg_buf_putc(&d->body, c);
		d->room--;
	}
}

/* Last code point of b is Han: a soft line break inside Chinese text is
 * not a space. */
static int
ends_han(const struct sg_buf *b)
{
	size_t i = b->len;
	const char *s;

	while (i > 0 && ((unsigned char)b->data[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || i == b->len)
		return 0;
	s = b->data + i - 1;
	return sg_search_is_han(sg_utf8_next(&s));
}

/* A heading inside a document: indexed whole, and body text for the
 * snippet. */
static void
heading_text(struct sg_search_doc *d, const char *text)
{
	sg_buf_puts(&d->text, text);
	sg_buf_putc(&d->text, '\n');
	body_add(d, text);
	body_putc(d, '\n');
}

/* An image's title (its figure caption) as text. */
static void
add_caption(struct sg_search_doc *d, cmark_node *img)
{
	const char *t = cmark_node_get_title(img);

	if (t && *t) {
		body_add(d, t);
		body_putc(d, ' ');
	}
}

/* A paragraph that is only a link to a case file shows as that case's
 * card: its link text ("案例") is not the chapter's text. */
static int
is_case_link(cmark_node *n)
{
	const char *url;

	if (cmark_node_get_type(n) != CMARK_NODE_LINK)
		return 0;
	url = cmark_node_get_url(n);
	return url && strstr(url, "cases/") && sg_has_suffix(url, ".md");
}

/* The text of one node of a document's Markdown, into d's body. */
static void
node_text(struct sg_search_doc *d, cmark_node *n, cmark_event_type ev)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_CODE_BLOCK:
		if (ev == CMARK_EVENT_ENTER)
			body_add(d, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_SOFTBREAK:
		if (!ends_han(&d->body))
			body_putc(d, ' ');
		break;
	case CMARK_NODE_LINEBREAK:
		body_putc(d, ' ');
		break;
	case CMARK_NODE_IMAGE:
		/* The title is the figure's caption. */
		if (ev == CMARK_EVENT_ENTER)
			add_caption(d, n);
		break;
	default:
		break;
	}
}

void
sg_search_docs_chapter(struct sg_search_docs *ds, int year,
    const struct sg_doc *doc, const char *heading, const char *url)
{
	const char *body;
	char *text;
	cmark_node *root;

	sg_doc_read(doc, &text, &body, NULL);
	root = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	free(text);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	size_t chapter = ds->n, nhead = 0, h2 = 0;
	struct sg_search_doc *cur;
	char *h2title = NULL;

	cur = add_doc(ds, SG_SEARCH_CHAPTER, year, heading, url, NULL);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev == CMARK_EVENT_EXIT) {
			if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_ITEM ||
			    t == CMARK_NODE_CODE_BLOCK)
				body_putc(cur, '\n');
			continue;
		}
		if (t == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(n);
			const struct sg_heading *hd = nhead < doc->nheads ?
			    &doc->heads[nhead] : NULL;
			nhead++;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			if (hd == NULL || hd->level != level || level > 3) {
				/* Deeper headings: text of their section. */
				if (hd)
					heading_text(cur, hd->text);
				continue;
			}
			char *u = sg_xasprintf("%s#%s", url, hd->id);
			char *ctx = level == 3 && h2title ?
			    sg_xasprintf("%s › %s", heading, h2title) :
			    sg_xstrdup(heading);
			cur = add_doc(ds, SG_SEARCH_SECTION, year, hd->text, u,
			    ctx);
			if (level == 2) {
				free(h2title);
				h2title = sg_xstrdup(hd->text);
				h2++;
			}
			free(u);
			free(ctx);
			continue;
		}
		if (is_case_link(n)) {
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			continue;
		}
		node_text(cur, n, ev);
	}
	cmark_iter_free(it);
	cmark_node_free(root);

	/* A chapter that opens straight with a section: list the sections. */
	cur = &ds->v[chapter];
	cur->snippet = snippet(cur->body.data, SNIPPET_CHARS);
	if (*cur->snippet == '\0' && h2 > 0) {
		struct sg_buf b = {0};
		for (size_t i = chapter + 1; i < ds->n; i++)
			if (strcmp(ds->v[i].context, heading) == 0) {
				if (b.len)
					sg_buf_puts(&b, " · ");
				sg_buf_puts(&b, ds->v[i].title);
			}
		free(cur->snippet);
		cur->snippet = snippet(b.data, SNIPPET_CHARS);
		sg_buf_clear(&b);
	}
	set_passage(cur, NULL);
	for (size_t i = chapter + 1; i < ds->n; i++) {
		ds->v[i].snippet = snippet(ds->v[i].body.data, SNIPPET_CHARS);
		set_passage(&ds->v[i], NULL);
	}
	free(h2title);
}

/* One step of a case's text walk: headings whole into the text, the rest
 * into the body. */
static void
case_event(struct sg_search_doc *d, cmark_iter *it, cmark_node *n,
    cmark_event_type ev)
{
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_HEADING: {
		/* Whole, even past the body's bound. */
		struct sg_buf h = {0};
		cmark_iter *hi = cmark_iter_new(n);
		while (cmark_iter_next(hi) != CMARK_EVENT_DONE) {
			cmark_node *c = cmark_iter_get_node(hi);
			cmark_node_type ct = cmark_node_get_type(c);
			if (ct == CMARK_NODE_TEXT || ct == CMARK_NODE_CODE)
				sg_buf_puts(&h, cmark_node_get_literal(c));
		}
		cmark_iter_free(hi);
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		if (h.data)
			heading_text(d, h.data);
		sg_buf_clear(&h);
		break;
	}
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_ITEM:
		if (ev == CMARK_EVENT_EXIT)
			body_putc(d, '\n');
		break;
	case CMARK_NODE_LINEBREAK:
		body_putc(d, '\n');
		break;
	default:
		node_text(d, n, ev);
		break;
	}
}

/* A case's document with its tags and summary, its text still to come.
 * The summary goes to the text unless the passage will hold it
 * (case_done). */
static struct sg_search_doc *
case_doc(struct sg_search_docs *ds, int year, const struct sg_case *k,
    int covered)
{
	char *ctx = sg_theme_word(ds->theme, "case_label", "n",
	    SG_WORD_NUM(k->n), NULL);
	struct sg_search_doc *d = add_doc(ds, SG_SEARCH_CASE, year,
	    k->doc.title, k->doc.page, ctx);

	free(ctx);
	for (size_t t = 0; t < k->tags.n; t++) {
		sg_buf_puts(&d->text, k->tags.v[t]);
		sg_buf_putc(&d->text, '\n');
	}
	d->covered = covered;
	if (k->summary && !covered) {
		sg_buf_puts(&d->text, k->summary);
		sg_buf_putc(&d->text, '\n');
	}
	return d;
}

static void
case_done(struct sg_search_doc *d, const struct sg_case *k)
{
	d->snippet = snippet(k->summary && *k->summary ? k->summary :
	    d->body.data, SNIPPET_CHARS);
	set_passage(d, k->summary);
	if (d->covered)
		sg_buf_clear(&d->body);
}

void
sg_search_docs_case(struct sg_search_docs *ds, int year,
    const struct sg_case *k)
{
	struct sg_search_doc *d = case_doc(ds, year, k, 0);
	const char *body;
	char *text;
	cmark_node *root;

	sg_doc_read(&k->doc, &text, &body, NULL);
	root = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	free(text);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		case_event(d, it, cmark_iter_get_node(it), ev);
	cmark_iter_free(it);
	cmark_node_free(root);
	case_done(d, k);
}

/* Where each line of body starts, as cmark counts lines (LF, CRLF, CR);
 * lines[n] is the end. */
static size_t *
line_starts(const char *body, size_t *n)
{
	size_t cap = 64, i = 0;
	size_t *v = sg_xrealloc(NULL, cap * sizeof(*v));
	const char *s = body;

	*n = 0;
	v[(*n)++] = 0;
	for (; s[i]; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n')
			i++;
		else if (s[i] != '\r' && s[i] != '\n')
			continue;
		if (*n == cap)
			v = sg_xrealloc(v, (cap *= 2) * sizeof(*v));
		v[(*n)++] = i + 1;
	}
	if (v[*n - 1] != i) {
		if (*n == cap)
			v = sg_xrealloc(v, (cap *= 2) * sizeof(*v));
		v[(*n)++] = i;
	}
	(*n)--;		/* lines; v[*n] is the end of the last */
	return v;
}

/*
 * The text of a pipe table (lines first..last of body, the table
 * extension's, with the paragraph lines it split off) as the plain parse
 * sees it: one paragraph.  Returns -1 when that is not sure: the table
 * runs on into the next line, or holds brackets (a reference link's
 * definition may be elsewhere), or alone does not parse as one paragraph.
 */
static int
table_text(struct sg_search_doc *d, const char *body, const size_t *ls,
    size_t nl, int first, int last)
{
	const char *s, *e;
	cmark_node *root, *p;
	int rc = -1;

	if (first < 1 || last < first || (size_t)last > nl)
		return -1;
	if ((size_t)last < nl) {
		const char *n = body + ls[last], *ne = body + ls[last + 1];
		for (; n < ne; n++)
			if (*n != ' ' && *n != '\t' && *n != '\r' && *n != '\n')
				return -1;
	}
	s = body + ls[first - 1];
	e = body + ls[last];
	for (const char *c = s; c < e; c++)
		if (*c == '[' || *c == ']')
			return -1;
	root = cmark_parse_document(s, (size_t)(e - s), CMARK_OPT_DEFAULT);
	p = cmark_node_first_child(root);
	if (p && cmark_node_next(p) == NULL &&
	    cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH &&
	    cmark_node_get_start_line(p) == 1 &&
	    cmark_node_get_end_line(p) == last - first + 1) {
		cmark_iter *it = cmark_iter_new(root);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
			case_event(d, it, cmark_iter_get_node(it), ev);
		cmark_iter_free(it);
		rc = 0;
	}
	cmark_node_free(root);
	return rc;
}

static int
type_is(cmark_node *n, const char *type)
{
	return n && strcmp(cmark_node_get_type_string(n), type) == 0;
}

/* A heading's text is taken whole (case_event): look inside it. */
static int
has_strike(cmark_node *n)
{
	cmark_iter *it = cmark_iter_new(n);
	int found = 0;

	while (!found && cmark_iter_next(it) != CMARK_EVENT_DONE)
		found = type_is(cmark_iter_get_node(it), "strikethrough");
	cmark_iter_free(it);
	return found;
}

int
sg_search_docs_case_tree(struct sg_search_docs *ds, int year,
    const struct sg_case *k, cmark_node *root, const char *body)
{
	size_t room = 0, nl = 0, *ls = NULL;
	struct sg_search_doc *d;
	cmark_iter *it;
	cmark_event_type ev;
	int rc = 0;

	/* Footnotes parse only with the extensions' option. */
	if (strstr(body, "[^"))
		return -1;
	/* The passage holds the summary and all the body: no need to keep
	 * them for indexing. */
	for (const char *p = k->summary ? k->summary : ""; *p; p++)
		room += ((unsigned char)*p & 0xC0) != 0x80;
	d = case_doc(ds, year, k, room + 1 + SG_SEARCH_BODY_MAX <=
	    SG_SEARCH_BODY_MAX + 200);
	it = cmark_iter_new(root);
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);

		if (type_is(n, "strikethrough") ||
		    (cmark_node_get_type(n) == CMARK_NODE_HEADING &&
		    ev == CMARK_EVENT_ENTER && has_strike(n)) ||
		    cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION ||
		    cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_REFERENCE) {
			rc = -1;
		} else if (type_is(n, "table")) {
			/* Its lines are a paragraph to the plain parse. */
			if (ev == CMARK_EVENT_EXIT)
				continue;
			if (cmark_node_parent(n) != root) {
				rc = -1;
				break;
			}
			if (ls == NULL)
				ls = line_starts(body, &nl);
			rc = table_text(d, body, ls, nl,
			    cmark_node_get_start_line(n),
			    cmark_node_get_end_line(n));
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH &&
		    cmark_node_get_start_line(n) == 0) {
			/* Split off by the table after it, whose lines it
			 * holds. */
			if (!type_is(cmark_node_next(n), "table"))
				rc = -1;
			else if (ev == CMARK_EVENT_ENTER)
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		} else
			case_event(d, it, n, ev);
	}
	cmark_iter_free(it);
	free(ls);
	if (rc == -1) {
		free(d->title);
		free(d->url);
		free(d->context);
		sg_buf_clear(&d->text);
		sg_buf_clear(&d->body);
		ds->n--;
		return -1;
	}
	case_done(d, k);
	/* Held from the parse until the index is built: no slack. */
	if (d->text.data) {
		d->text.data = sg_xrealloc(d->text.data, d->text.len + 1);
		d->text.cap = d->text.len + 1;
	}
	ds->v = sg_xrealloc(ds->v, ds->n * sizeof(*ds->v));
	ds->cap = ds->n;
	return 0;
}

/* An indicator table and each of its rows (指标 is column 1). */
static void
indicator_docs(struct sg_search_docs *ds, const struct sg_report *r, size_t i)
{
	const struct sg_data *dt = &r->indicators[i];
	const struct sg_table *t = dt->table;
	char *url = sg_xasprintf("%d/indicators/#ind-%zu", r->year, i + 1);
	char *title = sg_theme_word(ds->theme, "indicator_title", "n",
	    SG_WORD_NUM(i + 1), "title", dt->title ? dt->title : dt->rel, NULL);
	char *list_sep = sg_theme_word(ds->theme, "search_list_sep", NULL);
	char *sep = sg_theme_word(ds->theme, "search_sep", NULL);
	char *empty = sg_theme_word(ds->theme, "value_empty", NULL);
	struct sg_search_doc *d = add_doc(ds, SG_SEARCH_INDICATOR, r->year,
	    title, url, NULL);
	size_t table = ds->n - 1;
	struct sg_buf names = {0};

	for (size_t row = 1; t && t->ncols > 2 && row < t->nrows; row++) {
		const char *name = t->cells[row][1];
		struct sg_buf sn = {0};
		if (*name == '\0')
			continue;
		if (names.len)
			sg_buf_puts(&names, list_sep);
		sg_buf_puts(&names, name);
		if (*t->cells[row][2]) {
			char *w = sg_theme_word(ds->theme, "search_unit",
			    "unit", t->cells[row][2], NULL);
			sg_buf_puts(&sn, w);
			free(w);
		}
		for (size_t c = 3; c < t->ncols; c++) {
			const char *v = t->cells[row][c];
			char *w = sg_theme_word(ds->theme, "search_value",
			    "column", t->cells[0][c], "value", *v ? v : empty,
			    NULL);
			if (sn.len)
				sg_buf_puts(&sn, sep);
			sg_buf_puts(&sn, w);
			free(w);
		}
		d = add_doc(ds, SG_SEARCH_INDICATOR, r->year, name, url, title);
		d->snippet = snippet(sn.data, SNIPPET_CHARS);
		sg_buf_clear(&sn);
	}
	d = &ds->v[table];
	d->snippet = snippet(names.data, SNIPPET_CHARS);
	sg_buf_clear(&names);
	free(list_sep);
	free(sep);
	free(empty);
	free(url);
	free(title);
}

void
sg_search_docs_indicators(struct sg_search_docs *ds, const struct sg_report *r)
{
	for (size_t i = 0; i < r->nindicators; i++)
		indicator_docs(ds, r, i);
}

void
sg_search_docs_clear(struct sg_search_docs *ds)
{
	for (size_t i = 0; i < ds->n; i++) {
		free(ds->v[i].title);
		free(ds->v[i].url);
		free(ds->v[i].context);
		free(ds->v[i].snippet);
		free(ds->v[i].passage);
		sg_buf_clear(&ds->v[i].text);
		sg_buf_clear(&ds->v[i].body);
	}
	free(ds->v);
	memset(ds, 0, sizeof(*ds));
}
