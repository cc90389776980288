/*
 * search: the Chinese search index, the last thing a build writes next to
 * the pages.  See search.h for what is indexed; the format is
 *
 *   {"v":1,
 *    "docs":[[kind,year,"title","url","context","snippet"],…],
 *    "han":{"禁":"P毒P品P",…},
 *    "words":{"ai":"P",…}}
 *
 * "han" is keyed by a Han character; its value starts with the postings of
 * that character alone, then for each character that follows it somewhere,
 * that character and the postings of the bigram.  P is the ascending list
 * of document numbers (0-based positions in "docs"), each written as the
 * difference from the previous one (see put_postings) in ASCII letters and
 * digits only, so a group parses by scanning code points.  Grouping by first character saves repeating it in
 * every key, which is most of a bigram index's size.
 *
 * The tokenizer here and the one in search.js must agree: Han is U+3007,
 * U+3400–4DBF, U+4E00–9FFF, U+F900–FAFF and U+20000–2FA1F; full-width ASCII
 * U+FF01–FF5E folds to ASCII; a word is a run of [0-9a-z] after folding;
 * everything else separates tokens.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "load.h"
#include "search.h"
#include "table.h"
#include "util.h"

#define SNIPPET_CHARS	72	/* code points of a snippet */
#define WORD_MAX	40	/* longer ASCII runs are not indexed */

struct entry {
	char	*key;		/* UTF-8; NULL = empty slot */
	int	*ids;
	size_t	 n, cap;
};

struct index {
	struct entry	*v;
	size_t		 cap, n;
	size_t		 postings;
};

struct sdoc {
	int		 kind;
	int		 year;
	char		*title;
	char		*url;
	char		*context;
	char		*snippet;
	struct sg_buf	 text;	/* indexed with the title */
};

struct docs {
	struct sdoc	*v;
	size_t		 n;
};

static int
is_han(int cp)
{
	return cp == 0x3007 || (cp >= 0x3400 && cp <= 0x4DBF) ||
	    (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0x20000 && cp <= 0x2FA1F);
}

/* Full-width ASCII to ASCII, ASCII letters to lower case. */
static int
fold(int cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFEE0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	return cp;
}

static int
is_word_char(int cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
}

static unsigned long
hash(const char *s)
{
	unsigned long h = 2166136261UL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619UL;
	return h;
}

static struct entry *
slot(struct entry *v, size_t cap, const char *key)
{
	size_t i = hash(key) & (cap - 1);

	while (v[i].key && strcmp(v[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

/* Adds document id to key's postings (ids arrive in ascending order). */
static void
post(struct index *ix, const char *key, int id)
{
	struct entry *e;

	if (2 * (ix->n + 1) > ix->cap) {
		size_t ncap = ix->cap ? ix->cap * 2 : 1024;
		struct entry *nv = sg_xcalloc(ncap, sizeof(*nv));
		for (size_t i = 0; i < ix->cap; i++)
			if (ix->v[i].key)
				*slot(nv, ncap, ix->v[i].key) = ix->v[i];
		free(ix->v);
		ix->v = nv;
		ix->cap = ncap;
	}
	e = slot(ix->v, ix->cap, key);
	if (e->key == NULL) {
		e->key = sg_xstrdup(key);
		ix->n++;
	}
	if (e->n > 0 && e->ids[e->n - 1] == id)
		return;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 4;
		e->ids = sg_xrealloc(e->ids, e->cap * sizeof(*e->ids));
	}
	e->ids[e->n++] = id;
	ix->postings++;
}

static size_t
put_utf8(char *out, int cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Posts every token of text for document id. */
static void
index_text(struct index *ix, int id, const char *text)
{
	const char *s = text;
	char word[WORD_MAX + 1], key[9];
	size_t wn = 0;
	int prev = 0, wlong = 0;

	for (;;) {
		int cp = *s ? sg_utf8_next(&s) : 0;

		if (cp < 0) {		/* not UTF-8: skip the byte */
			s++;
			cp = ' ';
		}
		cp = fold(cp);
		if (is_word_char(cp)) {
			if (wn < WORD_MAX)
				word[wn++] = (char)cp;
			else
				wlong = 1;
			prev = 0;
			continue;
		}
		if (wn > 0) {
			word[wn] = '\0';
			if (!wlong)
				post(ix, word, id);
			wn = 0;
			wlong = 0;
		}
		if (cp == 0)
			break;
		if (!is_han(cp)) {
			prev = 0;
			continue;
		}
		key[put_utf8(key, cp)] = '\0';
		post(ix, key, id);
		if (prev) {
			size_t k = put_utf8(key, prev);
			key[k + put_utf8(key + k, cp)] = '\0';
			post(ix, key, id);
		}
		prev = cp;
	}
}

void
sg_search_json_str(struct sg_buf *b, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = str ? str : "";

	sg_buf_putc(b, '"');
	while (*s) {
		const char *start = s;
		int cp = sg_utf8_next(&s);
		char e[7] = {'\\', 'u', '0', '0', 0, 0, 0};

		if (cp < 0) {
			sg_buf_puts(b, "\\ufffd");
			s = start + 1;
			continue;
		}
		switch (cp) {
		case '"':
			sg_buf_puts(b, "\\\"");
			continue;
		case '\\':
			sg_buf_puts(b, "\\\\");
			continue;
		case '\n':
			sg_buf_puts(b, "\\n");
			continue;
		case '\t':
			sg_buf_puts(b, "\\t");
			continue;
		case 0x2028:
			sg_buf_puts(b, "\\u2028");
			continue;
		case 0x2029:
			sg_buf_puts(b, "\\u2029");
			continue;
		default:
			break;
		}
		if (cp < 0x20 || cp == '<' || cp == '>' || cp == '&') {
			e[4] = hex[cp >> 4];
			e[5] = hex[cp & 15];
			sg_buf_add(b, e, 6);
			continue;
		}
		sg_buf_add(b, start, (size_t)(s - start));
	}
	sg_buf_putc(b, '"');
}

/* Whitespace runs folded to one space, trimmed, cut at max code points
 * with an ellipsis.  Caller frees. */
static char *
snippet(const char *text, size_t max)
{
	struct sg_buf b = {0};
	const char *s = text ? text : "";
	size_t n = 0;
	int space = 0;

	while (*s) {
		const char *start = s;
		int cp = sg_utf8_next(&s);
		if (cp < 0) {
			s = start + 1;
			continue;
		}
		if (cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' ||
		    cp == 0x3000) {
			space = b.len > 0;
			continue;
		}
		if (n == max) {
			sg_buf_puts(&b, "…");
			break;
		}
		if (space) {
			sg_buf_putc(&b, ' ');
			n++;
			space = 0;
		}
		sg_buf_add(&b, start, (size_t)(s - start));
		n++;
	}
	return sg_buf_take(&b);
}

static struct sdoc *
add_doc(struct docs *ds, int kind, int year, const char *title,
    const char *url, const char *context)
{
	struct sdoc *d;

	ds->v = sg_xrealloc(ds->v, (ds->n + 1) * sizeof(*ds->v));
	d = &ds->v[ds->n++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->year = year;
	d->title = sg_xstrdup(title);
	d->url = sg_xstrdup(url);
	d->context = sg_xstrdup(context ? context : "");
	return d;
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
	return is_han(sg_utf8_next(&s));
}

/* An image's title (its figure caption) as text. */
static void
add_title(struct sg_buf *b, cmark_node *img)
{
	const char *t = cmark_node_get_title(img);

	if (t && *t) {
		sg_buf_puts(b, t);
		sg_buf_putc(b, ' ');
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

/*
 * Splits a chapter's Markdown into documents: the chapter (text before its
 * first section) and one per heading of level 2 or 3.  Heading anchors are
 * the ones markdown.c gave the headings, in the same order.
 */
static void
chapter_docs(struct docs *ds, int year, const struct sg_doc *doc,
    const char *heading, const char *url)
{
	cmark_node *root = cmark_parse_document(doc->body, strlen(doc->body),
	    CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	size_t chapter = ds->n, nhead = 0, h2 = 0;
	struct sdoc *cur;
	char *h2title = NULL;

	cur = add_doc(ds, SG_SEARCH_CHAPTER, year, heading, url, NULL);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);

		if (ev == CMARK_EVENT_EXIT) {
			if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_ITEM ||
			    t == CMARK_NODE_CODE_BLOCK)
				sg_buf_putc(&cur->text, '\n');
			continue;
		}
		switch (t) {
		case CMARK_NODE_HEADING: {
			int level = cmark_node_get_heading_level(n);
			const struct sg_heading *hd = nhead < doc->nheads ?
			    &doc->heads[nhead] : NULL;
			nhead++;
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			if (hd == NULL || hd->level != level || level > 3) {
				/* Deeper headings stay text of their section. */
				if (hd) {
					sg_buf_puts(&cur->text, hd->text);
					sg_buf_putc(&cur->text, '\n');
				}
				break;
			}
			char *u = sg_xasprintf("%s#%s", url, hd->id);
			char *ctx = level == 3 && h2title ?
			    sg_xasprintf("%s › %s", heading, h2title) :
			    sg_xstrdup(heading);
			cur = add_doc(ds, SG_SEARCH_SECTION, year, hd->text, u, ctx);
			if (level == 2) {
				free(h2title);
				h2title = sg_xstrdup(hd->text);
				h2++;
			}
			free(u);
			free(ctx);
			break;
		}
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			sg_buf_puts(&cur->text, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!ends_han(&cur->text))
				sg_buf_putc(&cur->text, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			sg_buf_putc(&cur->text, ' ');
			break;
		case CMARK_NODE_IMAGE:
			/* The title is the figure's caption. */
			add_title(&cur->text, n);
			break;
		case CMARK_NODE_LINK:
			if (is_case_link(n))
				cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(root);

	/* A chapter that opens straight with a section: list the sections. */
	cur = &ds->v[chapter];
	cur->snippet = snippet(cur->text.data, SNIPPET_CHARS);
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
	free(h2title);
}

/* A case: title, tags, summary and whole text as one document. */
static void
case_doc(struct docs *ds, int year, const struct sg_case *k)
{
	char *ctx = sg_xasprintf("案例 %d", k->n);
	struct sdoc *d = add_doc(ds, SG_SEARCH_CASE, year, k->doc.title,
	    k->doc.page, ctx);
	cmark_node *root = cmark_parse_document(k->doc.body,
	    strlen(k->doc.body), CMARK_OPT_DEFAULT);
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	struct sg_buf body = {0};

	for (size_t t = 0; t < k->tags.n; t++) {
		sg_buf_puts(&d->text, k->tags.v[t]);
		sg_buf_putc(&d->text, '\n');
	}
	if (k->summary) {
		sg_buf_puts(&d->text, k->summary);
		sg_buf_putc(&d->text, '\n');
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			if (ev == CMARK_EVENT_ENTER)
				sg_buf_puts(&body, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
			if (!ends_han(&body))
				sg_buf_putc(&body, ' ');
			break;
		case CMARK_NODE_IMAGE:
			if (ev == CMARK_EVENT_ENTER)
				add_title(&body, n);
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
		case CMARK_NODE_ITEM:
		case CMARK_NODE_LINEBREAK:
			if (ev == CMARK_EVENT_EXIT)
				sg_buf_putc(&body, '\n');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(root);
	if (body.data)
		sg_buf_puts(&d->text, body.data);
	d->snippet = snippet(k->summary && *k->summary ? k->summary :
	    body.data, SNIPPET_CHARS);
	sg_buf_clear(&body);
	free(ctx);
}

/* An indicator table and each of its rows (指标 is column 1). */
static void
indicator_docs(struct docs *ds, const struct sg_report *r, size_t i)
{
	const struct sg_data *dt = &r->indicators[i];
	const struct sg_table *t = dt->table;
	char *url = sg_xasprintf("%d/indicators/#ind-%zu", r->year, i + 1);
	char *title = sg_xasprintf("附表 %zu %s", i + 1,
	    dt->title ? dt->title : dt->rel);
	struct sdoc *d = add_doc(ds, SG_SEARCH_INDICATOR, r->year, title, url,
	    NULL);
	size_t table = ds->n - 1;
	struct sg_buf names = {0};

	for (size_t row = 1; t && t->ncols > 2 && row < t->nrows; row++) {
		const char *name = t->cells[row][1];
		struct sg_buf sn = {0};
		if (*name == '\0')
			continue;
		if (names.len)
			sg_buf_puts(&names, "、");
		sg_buf_puts(&names, name);
		if (*t->cells[row][2]) {
			sg_buf_puts(&sn, "单位：");
			sg_buf_puts(&sn, t->cells[row][2]);
		}
		for (size_t c = 3; c < t->ncols; c++) {
			const char *v = t->cells[row][c];
			if (sn.len)
				sg_buf_puts(&sn, " · ");
			sg_buf_printf(&sn, "%s：%s", t->cells[0][c],
			    *v ? v : "未填报");
		}
		d = add_doc(ds, SG_SEARCH_INDICATOR, r->year, name, url, title);
		d->snippet = snippet(sn.data, SNIPPET_CHARS);
		sg_buf_clear(&sn);
	}
	d = &ds->v[table];
	d->snippet = snippet(names.data, SNIPPET_CHARS);
	sg_buf_clear(&names);
	free(url);
	free(title);
}

/*
 * Postings as gaps with no separator: a gap g is written as g / 36 in base
 * 26 with the letters A–Z (nothing when it is 0), then g % 36 as one of
 * 0–9 a–z, which ends the number.  Most gaps take one character.
 */
static void
put_postings(struct sg_buf *b, const struct entry *e)
{
	static const char low[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	int prev = 0;

	for (size_t i = 0; i < e->n; i++) {
		char tmp[16];
		int gap = e->ids[i] - prev, q = gap / 36, k = 0;
		prev = e->ids[i];
		while (q > 0) {
			tmp[k++] = (char)('A' + q % 26);
			q /= 26;
		}
		while (k > 0)
			sg_buf_putc(b, tmp[--k]);
		sg_buf_putc(b, low[gap % 36]);
	}
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key,
	    ((const struct entry *)b)->key);
}

/* Length in bytes of the first UTF-8 character of s. */
static size_t
first_len(const char *s)
{
	const char *p = s;

	if (sg_utf8_next(&p) < 0)
		return 1;
	return (size_t)(p - s);
}

static void
write_keys(struct sg_buf *b, struct index *ix)
{
	struct entry *v = sg_xcalloc(ix->n ? ix->n : 1, sizeof(*v));
	size_t n = 0, i;

	for (i = 0; i < ix->cap; i++)
		if (ix->v[i].key)
			v[n++] = ix->v[i];
	/* Byte order of UTF-8 is code point order: a character comes right
	 * before the bigrams that start with it, and words (ASCII) first. */
	qsort(v, n, sizeof(*v), cmp_entry);
	sg_buf_puts(b, ",\n\"words\":{");
	for (i = 0; i < n && (unsigned char)v[i].key[0] < 0x80; i++) {
		if (i)
			sg_buf_putc(b, ',');
		sg_search_json_str(b, v[i].key);
		sg_buf_puts(b, ":\"");
		put_postings(b, &v[i]);
		sg_buf_putc(b, '"');
	}
	sg_buf_puts(b, "},\n\"han\":{");
	for (size_t first = i; i < n; ) {
		size_t fl = first_len(v[i].key);
		size_t j = i;

		if (i > first)
			sg_buf_puts(b, ",\n");
		sg_buf_putc(b, '"');
		sg_buf_add(b, v[i].key, fl);
		sg_buf_puts(b, "\":\"");
		if (v[i].key[fl] == '\0')
			put_postings(b, &v[j++]);
		for (; j < n && strncmp(v[j].key, v[i].key, fl) == 0 &&
		    v[j].key[fl] != '\0'; j++) {
			sg_buf_puts(b, v[j].key + fl);
			put_postings(b, &v[j]);
		}
		sg_buf_putc(b, '"');
		i = j;
	}
	sg_buf_puts(b, "}}\n");
	free(v);
}

char *
sg_search_index(const struct sg_site *site, struct sg_search_stats *st)
{
	struct docs ds = {0};
	struct index ix = {0};
	struct sg_buf b = {0};

	for (size_t y = 0; y < site->nreports; y++) {
		const struct sg_report *r = &site->reports[y];
		/* Cases first: on equal rank a case is what a reader wants. */
		for (size_t i = 0; i < r->ncases; i++)
			case_doc(&ds, r->year, &r->cases[i]);
		if (r->preface) {
			char *u = sg_xasprintf("%d/", r->year);
			chapter_docs(&ds, r->year, r->preface,
			    r->preface->title ? r->preface->title : r->title, u);
			free(u);
		}
		for (size_t i = 0; i < r->nchapters; i++) {
			const struct sg_chapter *ch = &r->chapters[i];
			char *h = sg_xasprintf("%s、%s", ch->number, ch->doc.title);
			chapter_docs(&ds, r->year, &ch->doc, h, ch->doc.page);
			free(h);
		}
		for (size_t i = 0; i < r->nindicators; i++)
			indicator_docs(&ds, r, i);
	}

	sg_buf_puts(&b, "{\"v\":1,\n\"docs\":[");
	for (size_t i = 0; i < ds.n; i++) {
		struct sdoc *d = &ds.v[i];
		if (d->snippet == NULL)
			d->snippet = snippet(d->text.data, SNIPPET_CHARS);
		index_text(&ix, (int)i, d->title);
		if (d->text.data)
			index_text(&ix, (int)i, d->text.data);
		sg_buf_printf(&b, "%s[%d,%d,", i ? ",\n" : "", d->kind, d->year);
		sg_search_json_str(&b, d->title);
		sg_buf_putc(&b, ',');
		sg_search_json_str(&b, d->url);
		sg_buf_putc(&b, ',');
		sg_search_json_str(&b, d->context);
		sg_buf_putc(&b, ',');
		sg_search_json_str(&b, d->snippet);
		sg_buf_putc(&b, ']');
	}
	sg_buf_putc(&b, ']');
	write_keys(&b, &ix);

	if (st) {
		st->docs = ds.n;
		st->keys = ix.n;
		st->postings = ix.postings;
		st->bytes = b.len;
	}
	for (size_t i = 0; i < ds.n; i++) {
		free(ds.v[i].title);
		free(ds.v[i].url);
		free(ds.v[i].context);
		free(ds.v[i].snippet);
		sg_buf_clear(&ds.v[i].text);
	}
	free(ds.v);
	for (size_t i = 0; i < ix.cap; i++) {
		free(ix.v[i].key);
		free(ix.v[i].ids);
	}
	free(ix.v);
	return sg_buf_take(&b);
}
