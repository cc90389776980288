/*
 * changes: the semantic difference of two report models.  Tables are
 * compared cell by cell, rows keyed by their 指标 (a child row — one
 * without 序号 — by its parent and itself) and columns by header, so a
 * reordered or extended table shows only what really changed.  Documents
 * are matched by file name, then by title (a renamed file); their bodies
 * go through textdiff.c.
 */
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "doc.h"
#include "table.h"
#include "textdiff.h"
#include "theme.h"
#include "util.h"

static struct sg_change *
add(struct sg_changes *c, enum sg_change_obj obj, enum sg_change_op op,
    const char *name, const char *file)
{
	struct sg_change *ch;

	c->v = sg_xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	ch = &c->v[c->n++];
	memset(ch, 0, sizeof(*ch));
	ch->obj = obj;
	ch->op = op;
	ch->name = sg_xstrdup(name ? name : "");
	ch->file = file ? sg_xstrdup(file) : NULL;
	return ch;
}

static char *
dup0(const char *s)
{
	return s ? sg_xstrdup(s) : NULL;
}

static int
same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* ---- tables ---- */

static long
col_of(const struct sg_table *t, const char *header)
{
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->cells[0][c], header) == 0)
			return (long)c;
	return -1;
}

/* The column naming each row: 指标, else the one after 序号, else the
 * first. */
static size_t
key_col(const struct sg_table *t)
{
	long c = col_of(t, "指标");

	if (c >= 0)
		return (size_t)c;
	if (t->ncols > 1 && strcmp(t->cells[0][0], "序号") == 0)
		return 1;
	return 0;
}

/* Row keys, unique within the table: "父 › 子" for child rows, "x (2)"
 * for a repeated name. */
static char **
row_keys(const struct sg_table *t)
{
	char **k = sg_xcalloc(t->nrows, sizeof(*k));
	char **base = sg_xcalloc(t->nrows, sizeof(*base));
	size_t kc = key_col(t);
	long seq = col_of(t, "序号");
	const char *parent = NULL;

	for (size_t r = 1; r < t->nrows; r++) {
		const char *name = t->cells[r][kc];
		int n = 1;

		if (seq >= 0 && (size_t)seq != kc && *t->cells[r][seq] == '\0' &&
		    parent)
			base[r] = sg_xasprintf("%s › %s", parent, name);
		else {
			base[r] = sg_xstrdup(name);
			parent = name;
		}
		for (size_t q = 1; q < r; q++)
			n += strcmp(base[q], base[r]) == 0;
		k[r] = n > 1 ? sg_xasprintf("%s (%d)", base[r], n) :
		    sg_xstrdup(base[r]);
	}
	for (size_t r = 1; r < t->nrows; r++)
		free(base[r]);
	free(base);
	return k;
}

static long
find_key(char **keys, size_t n, const char *key)
{
	for (size_t r = 1; r < n; r++)
		if (strcmp(keys[r], key) == 0)
			return (long)r;
	return -1;
}

static char *
row_text(const struct sg_table *t, size_t r)
{
	struct sg_buf b = {0};

	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			sg_buf_puts(&b, ", ");
		sg_buf_printf(&b, "%s: %s", t->cells[0][c], t->cells[r][c]);
	}
	return sg_buf_take(&b);
}

static void
diff_table(struct sg_changes *out, enum sg_change_obj obj, const char *name,
    const char *file, const struct sg_table *a, const struct sg_table *b)
{
	char **ka, **kb;
	long unit_b = col_of(b, "单位"), seq_b = col_of(b, "序号");
	size_t kca = key_col(a), kcb = key_col(b);

	for (size_t c = 0; c < b->ncols; c++)
		if (col_of(a, b->cells[0][c]) < 0)
			add(out, obj, SG_CH_COL_ADDED, name, file)->col =
			    sg_xstrdup(b->cells[0][c]);
	for (size_t c = 0; c < a->ncols; c++)
		if (col_of(b, a->cells[0][c]) < 0)
			add(out, obj, SG_CH_COL_REMOVED, name, file)->col =
			    sg_xstrdup(a->cells[0][c]);
	ka = row_keys(a);
	kb = row_keys(b);
	for (size_t r = 1; r < b->nrows; r++) {
		long ra = find_key(ka, a->nrows, kb[r]);
		if (ra < 0) {
			struct sg_change *ch = add(out, obj, SG_CH_ROW_ADDED,
			    name, file);
			ch->row = sg_xstrdup(kb[r]);
			ch->new = row_text(b, r);
			continue;
		}
		for (size_t c = 0; c < b->ncols; c++) {
			long ca = col_of(a, b->cells[0][c]);
			/* 序号 only numbers the rows: renumbering is no change. */
			if (c == kcb || (long)c == seq_b || ca < 0 ||
			    (size_t)ca == kca ||
			    strcmp(a->cells[ra][ca], b->cells[r][c]) == 0)
				continue;
			struct sg_change *ch = add(out, obj, SG_CH_VALUE, name,
			    file);
			ch->row = sg_xstrdup(kb[r]);
			ch->col = sg_xstrdup(b->cells[0][c]);
			ch->old = sg_xstrdup(a->cells[ra][ca]);
			ch->new = sg_xstrdup(b->cells[r][c]);
			if (unit_b >= 0 && (size_t)unit_b != c &&
			    *b->cells[r][unit_b])
				ch->unit = sg_xstrdup(b->cells[r][unit_b]);
		}
	}
	for (size_t r = 1; r < a->nrows; r++)
		if (find_key(kb, b->nrows, ka[r]) < 0) {
			struct sg_change *ch = add(out, obj, SG_CH_ROW_REMOVED,
			    name, file);
			ch->row = sg_xstrdup(ka[r]);
			ch->old = row_text(a, r);
		}
	for (size_t r = 1; r < a->nrows; r++)
		free(ka[r]);
	for (size_t r = 1; r < b->nrows; r++)
		free(kb[r]);
	free(ka);
	free(kb);
}

static const struct sg_data *
find_data(const struct sg_data *v, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].rel, rel) == 0)
			return &v[i];
	return NULL;
}

static void
diff_datas(struct sg_changes *out, enum sg_change_obj obj,
    const struct sg_data *a, size_t na, const struct sg_data *b, size_t nb)
{
	for (size_t i = 0; i < nb; i++) {
		const struct sg_data *o = find_data(a, na, b[i].rel);
		if (o == NULL)
			add(out, obj, SG_CH_ADDED, b[i].title, b[i].rel);
		else if (o->table && b[i].table)
			diff_table(out, obj, b[i].title, b[i].rel, o->table,
			    b[i].table);
	}
	for (size_t i = 0; i < na; i++)
		if (find_data(b, nb, a[i].rel) == NULL)
			add(out, obj, SG_CH_REMOVED, a[i].title, a[i].rel);
}

/* ---- documents ---- */

struct docref {
	const struct sg_doc	*doc;
	char			*name;	/* 二、人才培养 / 案例 3 … */
	char			*file;	/* relative to the year */
	int			 used;
};

static void
docrefs_chapters(const struct sg_theme *t, const struct sg_report *r,
    struct docref **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	if (r == NULL)
		return;
	*v = sg_xcalloc(r->nchapters + 1, sizeof(**v));
	for (size_t i = 0; i < r->nchapters; i++) {
		const struct sg_chapter *ch = &r->chapters[i];
		(*v)[i].doc = &ch->doc;
		(*v)[i].name = sg_theme_word(t, "chapter_heading", "number",
		    ch->number, "title", ch->doc.title, NULL);
		(*v)[i].file = sg_xasprintf("%s.md", ch->doc.name);
	}
	*n = r->nchapters;
}

static void
docrefs_cases(const struct sg_theme *t, const struct sg_report *r,
    struct docref **v, size_t *n)
{
	*v = NULL;
	*n = 0;
	if (r == NULL)
		return;
	*v = sg_xcalloc(r->ncases + 1, sizeof(**v));
	for (size_t i = 0; i < r->ncases; i++) {
		const struct sg_case *k = &r->cases[i];
		(*v)[i].doc = &k->doc;
		(*v)[i].name = sg_theme_word(t, "case_title", "n",
		    SG_WORD_NUM(k->n), "title", k->doc.title, NULL);
		(*v)[i].file = sg_xasprintf("cases/%s.md", k->doc.name);
	}
	*n = r->ncases;
}

static void
docrefs_free(struct docref *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].file);
	}
	free(v);
}

static void
diff_doc(struct sg_changes *out, enum sg_change_obj obj,
    const struct docref *a, const struct docref *b)
{
	struct sg_textdiff td;
	const char *ab, *bb;
	char *at, *bt;

	if (strcmp(a->file, b->file) != 0) {
		struct sg_change *ch = add(out, obj, SG_CH_RENAMED, b->name,
		    b->file);
		ch->col = sg_xstrdup("file");
		ch->old = sg_xstrdup(a->file);
		ch->new = sg_xstrdup(b->file);
	}
	if (!same(a->doc->title, b->doc->title)) {
		struct sg_change *ch = add(out, obj, SG_CH_RENAMED, b->name,
		    b->file);
		ch->col = sg_xstrdup("title");
		ch->old = dup0(a->doc->title);
		ch->new = dup0(b->doc->title);
	}
	/* Identical files have identical bodies. */
	if (a->doc->size == b->doc->size && a->doc->hash == b->doc->hash &&
	    a->doc->body_off == b->doc->body_off)
		return;
	sg_doc_read(a->doc, &at, &ab, NULL);
	sg_doc_read(b->doc, &bt, &bb, NULL);
	if (same(ab, bb)) {
		free(at);
		free(bt);
		return;
	}
	sg_textdiff_run(ab, bb, &td);
	free(at);
	free(bt);
	if (td.n == 0) {
		sg_textdiff_clear(&td);
		return;		/* only spacing or line breaks */
	}
	add(out, obj, SG_CH_EDITED, b->name, b->file)->text = td;
}

static void
diff_docs(struct sg_changes *out, enum sg_change_obj obj, struct docref *a,
    size_t na, struct docref *b, size_t nb)
{
	/* Same file; then a removed and an added file with one title. */
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < na; j++)
			if (!a[j].used && strcmp(a[j].file, b[i].file) == 0) {
				a[j].used = b[i].used = 1;
				diff_doc(out, obj, &a[j], &b[i]);
				break;
			}
	for (size_t i = 0; i < nb; i++)
		for (size_t j = 0; j < na && !b[i].used; j++)
			if (!a[j].used && same(a[j].doc->title, b[i].doc->title)) {
				a[j].used = b[i].used = 1;
				diff_doc(out, obj, &a[j], &b[i]);
			}
	for (size_t i = 0; i < nb; i++)
		if (!b[i].used)
			add(out, obj, SG_CH_ADDED, b[i].name, b[i].file);
	for (size_t j = 0; j < na; j++)
		if (!a[j].used)
			add(out, obj, SG_CH_REMOVED, a[j].name, a[j].file);
}

/* ---- figures and numbered tables: by caption, as numbers shift ---- */

static int
has_caption(const struct sg_ref *v, size_t n, const char *caption,
    int *taken)
{
	for (size_t i = 0; i < n; i++)
		if (!taken[i] && same(v[i].caption, caption)) {
			taken[i] = 1;
			return 1;
		}
	return 0;
}

static void
diff_refs(struct sg_changes *out, enum sg_change_obj obj,
    const struct sg_ref *a, size_t na, const struct sg_ref *b, size_t nb)
{
	int *ta = sg_xcalloc(na + 1, sizeof(int));
	int *tb = sg_xcalloc(nb + 1, sizeof(int));

	for (size_t i = 0; i < nb; i++)
		if (!has_caption(a, na, b[i].caption, ta)) {
			struct sg_change *ch = add(out, obj, SG_CH_ADDED,
			    b[i].label, NULL);
			ch->new = dup0(b[i].caption);
		}
	for (size_t i = 0; i < na; i++)
		if (!has_caption(b, nb, a[i].caption, tb)) {
			struct sg_change *ch = add(out, obj, SG_CH_REMOVED,
			    a[i].label, NULL);
			ch->old = dup0(a[i].caption);
		}
	free(ta);
	free(tb);
}

/* ---- report.yml ---- */

static void
diff_field(struct sg_changes *out, const char *key, const char *a,
    const char *b, int text)
{
	struct sg_change *ch;
	char *field;

	if (same(a, b))
		return;
	/* The field as the theme names it (key: its word). */
	field = sg_theme_word(out->theme, key, NULL);
	if (text) {
		ch = add(out, SG_CH_REPORT, SG_CH_EDITED, field, "report.yml");
		sg_textdiff_run(a, b, &ch->text);
		free(field);
		return;
	}
	ch = add(out, SG_CH_REPORT, SG_CH_VALUE, field, "report.yml");
	ch->col = field;
	ch->old = sg_xstrdup(a ? a : "");
	ch->new = sg_xstrdup(b ? b : "");
}

void
sg_changes_compute(const struct sg_report *a, const struct sg_report *b,
    struct sg_changes *out)
{
	static const struct sg_report none;
	struct docref *da, *db;
	size_t na, nb;

	if (a == NULL)
		a = &none;
	if (b == NULL)
		b = &none;
	if (a != &none && b != &none) {
		diff_field(out, "change_title", a->title, b->title, 0);
		diff_field(out, "change_published", a->published, b->published,
		    0);
		diff_field(out, "change_statement", a->statement, b->statement,
		    1);
		diff_field(out, "change_signatory", a->signatory, b->signatory,
		    1);
	}
	diff_datas(out, SG_CH_INDICATOR, a->indicators, a->nindicators,
	    b->indicators, b->nindicators);
	if (a->preface || b->preface) {
		char *name = sg_theme_word(out->theme, "change_preface", NULL);
		struct docref pa = {a->preface, name, "index.md", 0};
		struct docref pb = {b->preface, name, "index.md", 0};
		if (a->preface && b->preface)
			diff_doc(out, SG_CH_PREFACE, &pa, &pb);
		else
			add(out, SG_CH_PREFACE, a->preface ? SG_CH_REMOVED :
			    SG_CH_ADDED, name, "index.md");
		free(name);
	}
	docrefs_chapters(out->theme, a == &none ? NULL : a, &da, &na);
	docrefs_chapters(out->theme, b == &none ? NULL : b, &db, &nb);
	diff_docs(out, SG_CH_CHAPTER, da, na, db, nb);
	docrefs_free(da, na);
	docrefs_free(db, nb);
	docrefs_cases(out->theme, a == &none ? NULL : a, &da, &na);
	docrefs_cases(out->theme, b == &none ? NULL : b, &db, &nb);
	diff_docs(out, SG_CH_CASE, da, na, db, nb);
	docrefs_free(da, na);
	docrefs_free(db, nb);
	diff_datas(out, SG_CH_TABLE, a->tables, a->ntables, b->tables,
	    b->ntables);
	diff_refs(out, SG_CH_FIGURE, a->figures, a->nfigures, b->figures,
	    b->nfigures);
	diff_refs(out, SG_CH_REFTABLE, a->reftables, a->nreftables,
	    b->reftables, b->nreftables);
}

void
sg_changes_clear(struct sg_changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct sg_change *ch = &c->v[i];
		free(ch->name);
		free(ch->file);
		free(ch->row);
		free(ch->col);
		free(ch->unit);
		free(ch->old);
		free(ch->new);
		sg_textdiff_clear(&ch->text);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* Counts distinct documents, not changes: a chapter renamed and edited
 * is one chapter. */
static size_t
distinct(const struct sg_changes *c, enum sg_change_obj obj)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		int seen = 0;
		if (c->v[i].obj != obj)
			continue;
		for (size_t j = 0; j < i; j++)
			if (c->v[j].obj == obj && same(c->v[j].file, c->v[i].file))
				seen = 1;
		n += !seen;
	}
	return n;
}

void
sg_changes_count(const struct sg_changes *c, struct sg_change_counts *n)
{
	memset(n, 0, sizeof(*n));
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_change *ch = &c->v[i];
		switch (ch->obj) {
		case SG_CH_REPORT:
			n->report++;
			break;
		case SG_CH_INDICATOR:
		case SG_CH_TABLE:
			if (ch->op == SG_CH_VALUE)
				n->values++;
			else if (ch->op == SG_CH_ADDED || ch->op == SG_CH_REMOVED)
				n->tables++;
			else
				n->rows++;
			break;
		case SG_CH_FIGURE:
		case SG_CH_REFTABLE:
			n->figures++;
			break;
		default:
			if (ch->op == SG_CH_EDITED)
				n->passages += ch->text.n;
			break;
		}
	}
	n->chapters = distinct(c, SG_CH_CHAPTER) + distinct(c, SG_CH_PREFACE);
	n->cases = distinct(c, SG_CH_CASE);
}

static void
item(struct sg_buf *b, size_t n, const char *one, const char *many)
{
	if (n == 0)
		return;
	if (b->len)
		sg_buf_puts(b, ", ");
	sg_buf_printf(b, "%zu %s", n, n == 1 ? one : many);
}

char *
sg_changes_summary(const struct sg_changes *c)
{
	struct sg_change_counts n;
	struct sg_buf b = {0};

	sg_changes_count(c, &n);
	item(&b, n.values, "value", "values");
	item(&b, n.rows, "table row or column", "table rows or columns");
	item(&b, n.tables, "data table", "data tables");
	item(&b, n.chapters, "chapter", "chapters");
	item(&b, n.cases, "case", "cases");
	item(&b, n.passages, "text passage", "text passages");
	item(&b, n.figures, "figure or table added/removed",
	    "figures or tables added/removed");
	item(&b, n.report, "report field", "report fields");
	if (b.len == 0)
		sg_buf_puts(&b, "no changes");
	return sg_buf_take(&b);
}

/* Appends the theme's word key for a count n, unless n is 0. */
static void
item_zh(const struct sg_theme *t, struct sg_buf *b, size_t n,
    const char *key)
{
	char *w;

	if (n == 0)
		return;
	if (b->len) {
		w = sg_theme_word(t, "changes_sep", NULL);
		sg_buf_puts(b, w);
		free(w);
	}
	w = sg_theme_word(t, key, "n", SG_WORD_NUM(n), NULL);
	sg_buf_puts(b, w);
	free(w);
}

char *
sg_changes_summary_zh(const struct sg_changes *c)
{
	struct sg_change_counts n;
	struct sg_buf b = {0};

	sg_changes_count(c, &n);
	item_zh(c->theme, &b, n.values, "changes_values");
	item_zh(c->theme, &b, n.rows, "changes_rows");
	item_zh(c->theme, &b, n.tables, "changes_tables");
	item_zh(c->theme, &b, n.chapters, "changes_chapters");
	item_zh(c->theme, &b, n.cases, "changes_cases");
	item_zh(c->theme, &b, n.passages, "changes_passages");
	item_zh(c->theme, &b, n.figures, "changes_figures");
	item_zh(c->theme, &b, n.report, "changes_report");
	if (b.len == 0) {
		char *w = sg_theme_word(c->theme, "changes_none", NULL);
		sg_buf_puts(&b, w);
		free(w);
	}
	return sg_buf_take(&b);
}

/* Indents each line of s by pre. */
static void
indented(struct sg_buf *b, const char *pre, const char *s)
{
	sg_buf_puts(b, pre);
	for (; *s; s++) {
		sg_buf_putc(b, *s);
		if (*s == '\n' && s[1])
			sg_buf_puts(b, "      ");
	}
	sg_buf_putc(b, '\n');
}

static void
text_hunks(struct sg_buf *b, const struct sg_textdiff *td)
{
	for (size_t i = 0; i < td->n; i++) {
		const struct sg_textdiff_hunk *h = &td->v[i];
		int mixed = 0;
		for (size_t j = 0; j < h->nparts; j++)
			if (h->parts[j].op == SG_TD_EQ)
				mixed = 1;
		if (*h->old && *h->new && mixed) {
			struct sg_buf w = {0};
			for (size_t j = 0; j < h->nparts; j++) {
				const struct sg_textdiff_part *p = &h->parts[j];
				sg_buf_puts(&w, p->op == SG_TD_DEL ? "[-" :
				    p->op == SG_TD_INS ? "{+" : "");
				sg_buf_puts(&w, p->text);
				sg_buf_puts(&w, p->op == SG_TD_DEL ? "-]" :
				    p->op == SG_TD_INS ? "+}" : "");
			}
			indented(b, "    ~ ", w.data);
			sg_buf_clear(&w);
			continue;
		}
		if (*h->old)
			indented(b, "    - ", h->old);
		if (*h->new)
			indented(b, "    + ", h->new);
	}
}

static const char *
obj_en(enum sg_change_obj o)
{
	switch (o) {
	case SG_CH_REPORT:	return "report";
	case SG_CH_INDICATOR:	return "indicator table";
	case SG_CH_TABLE:	return "data table";
	case SG_CH_PREFACE:	return "preface";
	case SG_CH_CHAPTER:	return "chapter";
	case SG_CH_CASE:	return "case";
	case SG_CH_FIGURE:	return "figure";
	default:		return "table";
	}
}

char *
sg_changes_text(const struct sg_changes *c)
{
	struct sg_buf b = {0};
	const char *last = NULL;

	for (size_t i = 0; i < c->n; i++) {
		const struct sg_change *ch = &c->v[i];
		int group = ch->obj == SG_CH_INDICATOR || ch->obj == SG_CH_TABLE ||
		    ch->op == SG_CH_EDITED || ch->op == SG_CH_RENAMED;

		if (group && (last == NULL || strcmp(last, ch->name) != 0)) {
			sg_buf_printf(&b, "%s %s", obj_en(ch->obj), ch->name);
			if (ch->file)
				sg_buf_printf(&b, " (%s)", ch->file);
			sg_buf_puts(&b, ":\n");
		}
		last = group ? ch->name : NULL;
		switch (ch->op) {
		case SG_CH_VALUE:
			if (ch->obj == SG_CH_REPORT)
				sg_buf_printf(&b, "report.yml %s: %s → %s\n",
				    ch->col, ch->old, ch->new);
			else
				sg_buf_printf(&b, "    %s · %s: %s → %s%s%s\n",
				    ch->row, ch->col, *ch->old ? ch->old : "(empty)",
				    *ch->new ? ch->new : "(empty)", ch->unit ?
				    " " : "", ch->unit ? ch->unit : "");
			break;
		case SG_CH_ROW_ADDED:
			sg_buf_printf(&b, "    + row %s (%s)\n", ch->row, ch->new);
			break;
		case SG_CH_ROW_REMOVED:
			sg_buf_printf(&b, "    - row %s (%s)\n", ch->row, ch->old);
			break;
		case SG_CH_COL_ADDED:
			sg_buf_printf(&b, "    + column %s\n", ch->col);
			break;
		case SG_CH_COL_REMOVED:
			sg_buf_printf(&b, "    - column %s\n", ch->col);
			break;
		case SG_CH_RENAMED:
			sg_buf_printf(&b, "    renamed (%s): %s → %s\n", ch->col,
			    ch->old, ch->new);
			break;
		case SG_CH_EDITED:
			text_hunks(&b, &ch->text);
			break;
		case SG_CH_ADDED:
		case SG_CH_REMOVED:
			sg_buf_printf(&b, "%s %s %s", ch->op == SG_CH_ADDED ?
			    "added" : "removed", obj_en(ch->obj), ch->name);
			if (ch->old || ch->new)
				sg_buf_printf(&b, " %s", ch->old ? ch->old : ch->new);
			if (ch->file)
				sg_buf_printf(&b, " (%s)", ch->file);
			sg_buf_putc(&b, '\n');
			break;
		}
	}
	return sg_buf_take(&b);
}
