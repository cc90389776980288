/*
 * page_indicators: the values of the indicator pages — the six tables of
 * a year with change and charts (the theme's indicator-tables.html) and
 * the trends across years (trends.html) — and the key figures, built from
 * indicators.c's typed tables and series with chart.c's geometry; and the
 * download files.  The markup and its words are the theme's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "indicators.h"
#include "history.h"
#include "indwrite.h"
#include "output.h"
#include "page_indicators.h"
#include "schema.h"
#include "theme.h"
#include "util.h"

int
sg_indpage_any(const struct sg_site *s)
{
	for (size_t i = 0; i < s->nreports; i++)
		for (size_t j = 0; j < s->reports[i].nindicators; j++)
			if (s->reports[i].indicators[j].ind)
				return 1;
	return 0;
}

/* A row without a unit states a ratio (生师比): written N:1, without the
 * trailing zeros of its decimals (18.10 → "18.1:1"). */
static int
is_ratio(const char *unit)
{
	char *n = sg_schema_norm_unit(unit ? unit : "");
	int none = *n == '\0';

	free(n);
	return none;
}

/* The number of v as a reader sees it: a ratio as N:1, else its text.
 * Caller frees. */
static char *
value_num(const struct sg_ind_value *v, const char *unit)
{
	char *t;
	size_t n;

	if (!is_ratio(unit))
		return sg_xstrdup(v->text);
	t = sg_xasprintf("%s:1", v->text);
	if (strchr(v->text, '.')) {
		n = strlen(v->text);
		while (n > 1 && v->text[n - 1] == '0')
			n--;
		if (v->text[n - 1] == '.')
			n--;
		memcpy(t + n, ":1", 3);
	}
	return t;
}

static void put(struct sg_vars *it, const char *pre, const char *name,
    const char *text);

/* Sets value v (NULL: not filled in) on it as <pre>_num, the number, or
 * the flag <pre>_na or <pre>_empty; the words are the theme's. */
static void
value_vars(struct sg_vars *it, const char *pre, const struct sg_ind_value *v,
    const char *unit)
{
	char *t;

	if (v == NULL || v->state == SG_IND_EMPTY)
		put(it, pre, "empty", "1");
	else if (v->state == SG_IND_NA)
		put(it, pre, "na", "1");
	else {
		t = value_num(v, unit);
		put(it, pre, "num", t);
		free(t);
	}
}

/* A unit as the tables show it; NULL for none (the theme writes a dash). */
static const char *
show_unit(const char *u)
{
	char *n = sg_schema_norm_unit(u);
	int none = *n == '\0';

	free(n);
	return none ? NULL : u;
}

/* The earliest statement that differs from the newest, or NULL. */
static const struct sg_ind_disclosure *
restated_from(const struct sg_ind_point *p)
{
	if (!p->restated)
		return NULL;
	for (size_t k = 0; k < p->ndiscs; k++)
		if (p->discs[k].v->state != SG_IND_EMPTY &&
		    !sg_ind_value_same(p->discs[k].v, p->v))
			return &p->discs[k];
	return NULL;
}

static int
has_year(const int *v, size_t n, int y)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == y)
			return 1;
	return 0;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Every year any report gives a value for, up to upto (0: all),
 * ascending; *n set.  Caller frees. */
static int *
site_years(const struct sg_site *s, int upto, size_t *n)
{
	int *years = NULL;

	*n = 0;
	for (size_t i = 0; i < s->nreports; i++)
		for (size_t j = 0; j < s->reports[i].nindicators; j++) {
			const struct sg_ind_table *t = s->reports[i].indicators[j].ind;
			for (size_t y = 0; t && y < t->nyears; y++)
				if ((!upto || t->years[y] <= upto) &&
				    !has_year(years, *n, t->years[y])) {
					years = sg_xrealloc(years, (*n + 1) *
					    sizeof(int));
					years[(*n)++] = t->years[y];
				}
		}
	if (*n)
		qsort(years, *n, sizeof(int), cmp_int);
	return years;
}

/*
 * The chart of a series over years (all charts of a page share them; a
 * year without a value is a gap) as item r_chart of row: its title's
 * label and unit, and per year the value (p_num, p_na, p_empty or
 * p_nodata) and an earlier report's (p_old_report, p_old_num), with
 * chart.c's geometry.  No item when nothing has a number.
 */
static void
chart_vars(struct sg_vars *row, const struct sg_ind_series *se,
    const int *years, size_t ny, int mark, const char *id, const char *label,
    const char *unit, enum sg_chart_size size)
{
	struct sg_chart_point *pts = sg_xcalloc(ny + 1, sizeof(*pts));
	struct sg_vars **items = sg_xcalloc(ny + 1, sizeof(*items));
	struct sg_vars *ch;

	for (size_t i = 0; i < ny; i++) {
		const struct sg_ind_point *p = sg_ind_series_at(se, years[i]);
		const struct sg_ind_disclosure *old = p ? restated_from(p) : NULL;

		pts[i].year = years[i];
		if (p == NULL)
			continue;
		pts[i].has = p->v->state == SG_IND_NUM;
		pts[i].v = p->v->v;
		if (old && old->v->state == SG_IND_NUM) {
			pts[i].has_old = 1;
			pts[i].old = old->v->v;
		}
	}
	if (!sg_chart_drawable(pts, ny))
		goto out;
	ch = sg_vars_item(row, "r_chart");
	sg_vars_textf(ch, "ch_tid", "%s-t", id);
	sg_vars_text(ch, "ch_label", label);
	sg_vars_text(ch, "ch_unit", show_unit(unit));
	for (size_t i = 0; i < ny; i++) {
		const struct sg_ind_point *p = sg_ind_series_at(se, years[i]);
		const struct sg_ind_disclosure *old = p ? restated_from(p) : NULL;
		struct sg_vars *it = items[i] = sg_vars_item(ch, "ch_points");

		if (i == 0)
			sg_vars_text(it, "p_first", "1");
		if (p == NULL) {
			sg_vars_text(it, "p_nodata", "1");
			continue;
		}
		value_vars(it, "p", p->v, unit);
		if (pts[i].has_old) {
			char *t = value_num(old->v, unit);
			sg_vars_textf(it, "p_old_report", "%d", old->report);
			sg_vars_text(it, "p_old_num", t);
			free(t);
		}
	}
	sg_chart_vars(ch, items, pts, ny, mark, size);
out:
	free(items);
	free(pts);
}

/* The row header's values: the label, split before its last character
 * for a core row (the mark stays on that character's line), or for a
 * second-unit row the indicator's name and unit. */
static void
row_header(struct sg_vars *it, const struct sg_schema_row *sr,
    const struct sg_ind_row *row)
{
	const char *label = row && *row->label ? row->label : sr->name;

	if (sr->main >= 0) {
		sg_vars_text(it, "r_cont", "1");
		sg_vars_text(it, "r_name", sr->name);
		sg_vars_text(it, "r_by_unit", sr->unit);
	} else if (sr->core && *label) {
		size_t last = strlen(label) - 1;
		char *head;
		while (last > 0 && ((unsigned char)label[last] & 0xC0) == 0x80)
			last--;
		head = sg_xstrndup(label, last);
		sg_vars_text(it, "r_core", "1");
		sg_vars_text(it, "r_head", head);
		sg_vars_text(it, "r_last", label + last);
		free(head);
	} else
		sg_vars_text(it, "r_label", label);
}

/* The row's classes: its depth, and cont for a second-unit row. */
static void
row_class(struct sg_vars *it, const struct sg_schema_row *sr)
{
	static const char *const c[] = {"", "sub d1", "sub d2", "sub d3"};

	sg_vars_textf(it, "r_class", "%s%s", c[sr->depth > 3 ? 3 : sr->depth],
	    sr->main >= 0 ? " cont" : "");
}

/* Sets <pre>_<name> on it to text. */
static void
put(struct sg_vars *it, const char *pre, const char *name, const char *text)
{
	char key[48];

	snprintf(key, sizeof(key), "%s_%s", pre, name);
	sg_vars_text(it, key, text);
}

/*
 * Sets change c on it under prefix pre: <pre>_missing, <pre>_na, or
 * <pre>_num and then <pre>_same, or <pre>_up / <pre>_down with the sign,
 * the amount (<pre>_delta) and <pre>_points, the relative change
 * <pre>_pct or <pre>_zero (the year before was 0).  Returns the class
 * word: up, down, same or none (style.css draws the arrow from it).
 */
static const char *
change_vars(struct sg_vars *it, const char *pre, const struct sg_ind_change *c)
{
	const char *minus = "\xE2\x88\x92";	/* U+2212 */
	char *d, *pct;

	if (c->kind == SG_CHANGE_MISSING) {
		put(it, pre, "missing", "1");
		return "none";
	}
	if (c->kind == SG_CHANGE_NA) {
		put(it, pre, "na", "1");
		return "none";
	}
	put(it, pre, "num", "1");
	if (c->dir == 0) {
		put(it, pre, "same", "1");
		return "same";
	}
	put(it, pre, c->dir > 0 ? "up" : "down", "1");
	put(it, pre, "sign", c->dir > 0 ? "+" : minus);
	d = sg_ind_fmt(fabs(c->delta), c->decimals);
	put(it, pre, "delta", d);
	free(d);
	if (c->points)
		put(it, pre, "points", "1");
	else if (c->has_pct) {
		pct = sg_xasprintf("%s%.1f", c->pct >= 0 ? "+" : minus,
		    fabs(c->pct));
		put(it, pre, "pct", pct);
		free(pct);
	} else
		put(it, pre, "zero", "1");
	return c->dir > 0 ? "up" : "down";
}

/* The change cell of a row: r_chg_*, and why a change is missing. */
static void
change_cell(struct sg_vars *it, const struct sg_ind_value *prev,
    const struct sg_ind_value *cur, const char *unit)
{
	struct sg_ind_change c;

	sg_ind_change(prev, cur, sg_ind_unit_is_percent(unit), &c);
	sg_vars_textf(it, "r_chg_class", "chg %s", change_vars(it, "r_chg",
	    &c));
	if (c.kind == SG_CHANGE_MISSING)
		sg_vars_text(it, cur == NULL || cur->state == SG_IND_EMPTY ?
		    "r_chg_cur_empty" : prev == NULL ? "r_chg_noprev" :
		    "r_chg_prev_empty", "1");
}

/* The section of a table: its ids, number and name. */
static struct sg_vars *
table_item(struct sg_vars *v, const char *list, const char *idp,
    const struct sg_schema_table *st)
{
	struct sg_vars *it = sg_vars_item(v, list);

	sg_vars_textf(it, "t_id", "%s-%d", idp, st->number);
	sg_vars_textf(it, "t_hid", "%s-%d-h", idp, st->number);
	sg_vars_textf(it, "t_no", "%d", st->number);
	sg_vars_text(it, "t_name", st->name);
	return it;
}

static void
one_table(struct sg_vars *v, const struct sg_site *s,
    const struct sg_report *r, const struct sg_schema_table *st, int flags)
{
	const struct sg_ind_table *t = sg_ind_report_table(r, st);
	struct sg_vars *ti = table_item(v, "ind_tables", "ind", st);
	int prev_year = r->year - 1, *years;
	size_t ny;

	if (t == NULL) {
		sg_vars_text(ti, "t_missing", "1");
		return;
	}
	years = site_years(s, r->year, &ny);
	sg_vars_textf(ti, "t_year", "%d", r->year);
	sg_vars_textf(ti, "t_prev", "%d", prev_year);
	for (size_t y = 0; y < t->nyears; y++)
		sg_vars_textf(sg_vars_item(ti, "t_years"), "y_year", "%d",
		    t->years[y]);
	for (size_t c = 0; c < st->ncols; c++)
		sg_vars_text(sg_vars_item(ti, "t_cols"), "col_name",
		    st->cols[c].name);
	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_schema_row *sr = &st->rows[i];
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);
		const char *unit = row && *row->unit ? row->unit : sr->unit;
		struct sg_vars *ri = sg_vars_item(ti, "t_rows");
		struct sg_ind_series se;
		const struct sg_ind_point *pp;
		char *id;

		row_class(ri, sr);
		sg_vars_text(ri, "r_no", sr->no ? sr->no : "");
		row_header(ri, sr, row);
		sg_vars_text(ri, "r_unit", show_unit(unit));
		sg_ind_series(s, sr->key, r->year, &se);
		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_point *p = sg_ind_series_at(&se,
			    t->years[y]);
			const struct sg_ind_disclosure *old = p ?
			    restated_from(p) : NULL;
			struct sg_vars *ci = sg_vars_item(ri, "r_cells");

			/* c_year: for the column's name where a narrow
			 * screen shows the row as a block. */
			sg_vars_textf(ci, "c_year", "%d", t->years[y]);
			value_vars(ci, "c", row ? &row->values[y] : NULL, unit);
			if (old && old->report != r->year) {
				sg_vars_text(ci, "c_old", "1");
				sg_vars_textf(ci, "c_old_report", "%d",
				    old->report);
				value_vars(ci, "o", old->v, unit);
			}
		}
		pp = sg_ind_series_at(&se, prev_year);
		change_cell(ri, pp ? pp->v : NULL, sg_ind_get(t, (int)i,
		    r->year), unit);
		id = sg_xasprintf("c%d-%zu", st->number, i);
		chart_vars(ri, &se, years, ny, r->year, id, sr->name, unit,
		    SG_CHART_SPARK);
		free(id);
		sg_ind_series_clear(&se);
		for (size_t c = 0; c < st->ncols; c++) {
			struct sg_vars *ci = sg_vars_item(ri, "r_cols");
			sg_vars_text(ci, "col_name", st->cols[c].name);
			if (row && row->cols[c].state != SG_IND_EMPTY)
				sg_vars_text(ci, "col_text", row->cols[c].text);
		}
	}
	free(years);
	for (size_t i = 0; i < t->notes.n; i++)
		sg_vars_text(sg_vars_item(ti, "t_notes"), "note",
		    t->notes.v[i]);
	if (!(flags & SG_INDPAGE_PRINT)) {
		sg_vars_textf(ti, "t_csv", "%d-%s.csv", st->number, st->slug);
		sg_vars_textf(ti, "t_json", "%d-%s.json", st->number, st->slug);
	}
}

char *
sg_indpage_tables(struct sg_theme *theme, const struct sg_site *s,
    const struct sg_report *r, int flags, struct sg_diag *d)
{
	struct sg_vars *v = sg_vars_new();
	/* An archive's trends end with what was public when it was. */
	struct sg_site *at = sg_history_view_at(s, r);
	struct sg_buf html = {0};

	for (size_t i = 0; r->schema && i < r->schema->ntables; i++)
		one_table(v, at ? at : s, r, &r->schema->tables[i], flags);
	sg_history_view_free(at);
	if (sg_theme_part(theme, "indicator-tables", v, &html, d) == -1)
		sg_buf_clear(&html);
	sg_vars_free(v);
	return html.data ? html.data : sg_xstrdup("");
}

/* ---- trends ---- */

static const struct sg_report *
report_of(const struct sg_site *s, int year)
{
	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].year == year && s->reports[i].schema)
			return &s->reports[i];
	return NULL;
}

void
sg_indpage_trends(const struct sg_site *s, const char *page,
    struct sg_vars *v)
{
	const struct sg_report *latest = NULL;
	int *years = NULL;
	size_t ny = 0;

	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].schema)
			latest = &s->reports[i];
	if (latest == NULL)
		return;
	years = site_years(s, 0, &ny);
	for (size_t k = 0; k < latest->schema->ntables; k++) {
		const struct sg_schema_table *st = &latest->schema->tables[k];
		struct sg_vars *ti = table_item(v, "trend_tables", "trend", st);

		for (size_t y = 0; y < ny; y++) {
			struct sg_vars *yi = sg_vars_item(ti, "t_years");
			sg_vars_textf(yi, "y_year", "%d", years[y]);
			if (report_of(s, years[y])) {
				char *to = sg_xasprintf("%d/indicators/#ind-%d",
				    years[y], st->number);
				char *rel = sg_path_rel(page, to);
				sg_vars_text(yi, "y_url", rel);
				free(rel);
				free(to);
			}
		}
		for (size_t i = 0; i < st->nrows; i++) {
			const struct sg_schema_row *sr = &st->rows[i];
			struct sg_vars *ri = sg_vars_item(ti, "t_rows");
			struct sg_ind_series se;
			char *id;

			sg_ind_series(s, sr->key, 0, &se);
			row_class(ri, sr);
			row_header(ri, sr, NULL);
			sg_vars_text(ri, "r_unit", show_unit(sr->unit));
			for (size_t y = 0; y < ny; y++) {
				const struct sg_ind_point *p = sg_ind_series_at(&se,
				    years[y]);
				const struct sg_ind_disclosure *old = p ?
				    restated_from(p) : NULL;
				struct sg_vars *ci = sg_vars_item(ri, "r_cells");

				if (p == NULL) {
					sg_vars_text(ci, "c_nodata", "1");
					continue;
				}
				value_vars(ci, "c", p->v, sr->unit);
				if (old) {
					sg_vars_text(ci, "c_old", "1");
					sg_vars_textf(ci, "c_old_report", "%d",
					    old->report);
					sg_vars_textf(ci, "c_report", "%d",
					    p->report);
					value_vars(ci, "o", old->v, sr->unit);
				}
			}
			id = sg_xasprintf("t%d-%zu", st->number, i);
			chart_vars(ri, &se, years, ny, 0, id, sr->name,
			    sr->unit, SG_CHART_TREND);
			free(id);
			sg_ind_series_clear(&se);
		}
	}
	free(years);
}

/* ---- home page ---- */

size_t
sg_indpage_figures(const struct sg_site *s, const struct sg_report *r,
    struct sg_vars *v, const char *page)
{
	struct sg_ind_figure *f;
	size_t n;
	char *to, *rel;
	struct sg_site *at = sg_history_view_at(s, r);

	/* The block links to the report's indicators page: none without
	 * appendix tables. */
	f = r->nindicators ? sg_ind_figures(at ? at : s, r, &n) : NULL;
	sg_history_view_free(at);
	if (f == NULL)
		return 0;
	sg_vars_textf(v, "figures_year", "%d", r->year);
	to = sg_xasprintf("%sindicators/", r->prefix);
	rel = sg_path_rel(page, to);
	sg_vars_text(v, "figures_url", rel);
	free(rel);
	free(to);
	for (size_t i = 0; i < n; i++) {
		struct sg_vars *it = sg_vars_item(v, "figures");

		sg_vars_text(it, "fig_label", f[i].f->label);
		value_vars(it, "fig", &f[i].cur, f[i].unit);
		if (f[i].cur.state == SG_IND_NUM && show_unit(f[i].unit))
			sg_vars_text(it, "fig_unit", f[i].unit);
		sg_vars_textf(it, "fig_class", "fig-change %s",
		    change_vars(it, "fig_chg", &f[i].change));
		sg_vars_textf(it, "fig_prev", "%d", f[i].prev_year);
		if (f[i].prev.state == SG_IND_NA)
			sg_vars_text(it, "fig_prev_na", "1");
		sg_vars_text(it, "fig_note", f[i].f->note);
	}
	sg_ind_figures_free(f, n);
	return n;
}

/* ---- downloads ---- */

/* Where appendix table t of r is offered as ext ("csv", "json"). */
static char *
download_path(const struct sg_report *r, const struct sg_ind_table *t,
    const char *ext)
{
	return sg_xasprintf("%sindicators/%d-%s.%s", r->prefix,
	    t->schema->number, t->schema->slug, ext);
}

void
sg_indpage_downloads(const struct sg_report *r, struct sg_strv *out)
{
	for (size_t j = 0; j < r->nindicators; j++) {
		const struct sg_ind_table *t = r->indicators[j].ind;
		if (t == NULL)
			continue;
		sg_strv_push(out, download_path(r, t, "csv"));
		sg_strv_push(out, download_path(r, t, "json"));
	}
	for (size_t i = 0; i < r->ntables; i++)
		sg_strv_push(out, sg_xasprintf("%s%s", r->prefix,
		    r->tables[i].rel));
}

int
sg_indpage_write_report(const struct sg_report *r, struct sg_output *o,
    size_t *files, struct sg_diag *d)
{
	size_t len;

	for (size_t j = 0; j < r->nindicators; j++) {
		const struct sg_ind_table *t = r->indicators[j].ind;
		struct sg_buf b = {0};
		char *csv, *path;
		int rc;
		if (t == NULL)
			continue;
		csv = sg_ind_csv(t, &len);
		path = download_path(r, t, "csv");
		rc = sg_output_write(o, path, csv, len, d);
		free(csv);
		free(path);
		if (rc == -1)
			return -1;
		sg_ind_json(&b, t, r->template);
		sg_buf_puts(&b, "\n");
		path = download_path(r, t, "json");
		rc = sg_output_write(o, path, b.data, b.len, d);
		free(path);
		sg_buf_clear(&b);
		if (rc == -1)
			return -1;
		*files += 2;
	}
	return 0;
}

int
sg_indpage_write(const struct sg_site *s, struct sg_output *o, size_t *files,
    struct sg_diag *d)
{
	char *json;
	size_t len;

	for (size_t i = 0; i < s->nreports; i++)
		if (sg_indpage_write_report(&s->reports[i], o, files, d) == -1)
			return -1;
	if (!sg_indpage_any(s))
		return 0;
	json = sg_ind_site_json(s, &len);
	if (sg_output_write(o, "indicators.json", json, len, d) == -1) {
		free(json);
		return -1;
	}
	free(json);
	(*files)++;
	return 0;
}
