/*
 * indpages: HTML fragments of the indicator pages and the key figures,
 * built from indicators.c's typed tables and series, with chart.c's SVG;
 * and the download files.  Text goes through sg_buf_html.
 */
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "diag.h"
#include "indicators.h"
#include "history.h"
#include "indpages.h"
#include "indwrite.h"
#include "output.h"
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

/* v as a reader sees it: a ratio as N:1, else its text; "未填报",
 * "不适用".  Caller frees. */
static char *
value_text(const struct sg_ind_value *v, const char *unit)
{
	char *t;
	size_t n;

	if (v == NULL || v->state == SG_IND_EMPTY)
		return sg_xstrdup("未填报");
	if (v->state == SG_IND_NA)
		return sg_xstrdup("不适用");
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

static void
value_html(struct sg_buf *b, const struct sg_ind_value *v, const char *unit)
{
	char *t;

	if (v == NULL || v->state == SG_IND_EMPTY)
		sg_buf_puts(b, "<span class=\"ind-empty\">未填报</span>");
	else if (v->state == SG_IND_NA)
		sg_buf_puts(b, "<span class=\"ind-na\">不适用</span>");
	else {
		t = value_text(v, unit);
		sg_buf_html(b, t);
		free(t);
	}
}

static const char *
show_unit(const char *u)
{
	char *n = sg_schema_norm_unit(u);
	int none = *n == '\0';

	free(n);
	return none ? "—" : u;
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

/* Chart points of a series over years (all charts of a page share them;
 * a year without a value is a gap); strings kept in owned.  *out
 * allocated (caller frees). */
static void
chart_points(const struct sg_ind_series *se, const int *years, size_t ny,
    const char *unit, struct sg_chart_point **out, struct sg_strv *owned)
{
	*out = sg_xcalloc(ny + 1, sizeof(**out));
	for (size_t i = 0; i < ny; i++) {
		const struct sg_ind_point *p = sg_ind_series_at(se, years[i]);
		const struct sg_ind_disclosure *old = p ? restated_from(p) : NULL;
		struct sg_chart_point *c = &(*out)[i];

		c->year = years[i];
		if (p == NULL) {
			c->text = "无数据";
			continue;
		}
		c->has = p->v->state == SG_IND_NUM;
		c->v = p->v->v;
		c->text = value_text(p->v, unit);
		sg_strv_push(owned, (char *)c->text);
		if (old && old->v->state == SG_IND_NUM) {
			char *ot = value_text(old->v, unit);
			char *t = sg_xasprintf("%d 年报告为 %s", old->report, ot);
			free(ot);
			sg_strv_push(owned, t);
			c->has_old = 1;
			c->old = old->v->v;
			c->old_text = t;
		}
	}
}

static void
chart_cell(struct sg_buf *b, const struct sg_ind_series *se, const int *years,
    size_t ny, int mark, const char *id, const char *label, const char *unit,
    enum sg_chart_size size)
{
	struct sg_chart_point *pts;
	struct sg_strv owned = {0};
	char *svg;

	chart_points(se, years, ny, unit, &pts, &owned);
	svg = sg_chart_svg(id, label, unit, pts, ny, mark, size);
	sg_buf_puts(b, "<td class=\"ind-chart\" data-label=\"历年趋势\">");
	if (svg)
		sg_buf_puts(b, svg);
	else
		sg_buf_puts(b, "<span class=\"vh\">无数值，不作图</span>");
	sg_buf_puts(b, "</td>");
	free(svg);
	free(pts);
	sg_strv_clear(&owned);
}

/* The row header: label, core mark, or for a second-unit row the unit.
 * The core mark stays on the line of the label's last character. */
static void
row_header(struct sg_buf *b, const struct sg_schema_table *st, int i,
    const struct sg_ind_row *row)
{
	const struct sg_schema_row *sr = &st->rows[i];
	const char *label = row && *row->label ? row->label : sr->name;

	sg_buf_puts(b, "<th scope=\"row\">");
	if (sr->main >= 0) {
		sg_buf_puts(b, "<span class=\"vh\">");
		sg_buf_html(b, sr->name);
		sg_buf_puts(b, "，</span>按");
		sg_buf_html(b, sr->unit);
		sg_buf_puts(b, "计");
	} else if (sr->core && *label) {
		size_t n = strlen(label), last = n - 1;
		char *head;
		while (last > 0 && ((unsigned char)label[last] & 0xC0) == 0x80)
			last--;
		head = sg_xstrndup(label, last);
		sg_buf_html(b, head);
		sg_buf_puts(b, "<span class=\"core-end\">");
		sg_buf_html(b, label + last);
		sg_buf_puts(b, "<span class=\"core\" aria-hidden=\"true\">*</span>"
		    "</span><span class=\"vh\">（核心指标）</span>");
		free(head);
	} else
		sg_buf_html(b, label);
	sg_buf_puts(b, "</th>");
}

static const char *
row_class(const struct sg_schema_row *sr)
{
	static const char *const c[] = {"", "sub d1", "sub d2", "sub d3"};

	return c[sr->depth > 3 ? 3 : sr->depth];
}

static void
change_cell(struct sg_buf *b, const struct sg_ind_value *prev,
    const struct sg_ind_value *cur, const char *unit)
{
	struct sg_ind_change c;
	const char *word, *cls = "none";
	char *text;

	sg_ind_change(prev, cur, sg_ind_unit_is_percent(unit), &c);
	word = sg_ind_change_word(&c);
	if (c.kind == SG_CHANGE_NUM)
		cls = c.dir > 0 ? "up" : c.dir < 0 ? "down" : "same";
	text = sg_ind_change_text(&c);
	sg_buf_printf(b, "<td class=\"chg %s\" data-label=\"较上年\">", cls);
	/* The arrow (▲ ▼ ＝) is drawn by style.css from the cell's class:
	 * it is decoration next to the words, and a glyph in the text would
	 * leave its contrast undecidable by checkers. */
	if (c.kind == SG_CHANGE_NUM)
		sg_buf_puts(b, "<span class=\"arrow\" aria-hidden=\"true\">"
		    "</span> ");
	if (word && c.dir != 0)
		sg_buf_printf(b, "<span class=\"vh\">%s</span>", word);
	if (c.kind == SG_CHANGE_MISSING)
		sg_buf_printf(b, "<span class=\"ind-empty\">%s</span>",
		    cur == NULL || cur->state == SG_IND_EMPTY ? "未填报" :
		    prev == NULL ? "无上年数据" : "上年未填报");
	else if (c.kind == SG_CHANGE_NA)
		sg_buf_puts(b, "<span class=\"ind-na\">不适用</span>");
	else
		sg_buf_html(b, text);
	sg_buf_puts(b, "</td>");
	free(text);
}

static void
download_links(struct sg_buf *b, const struct sg_schema_table *st)
{
	sg_buf_printf(b, "<p class=\"table-download\">下载本表数据："
	    "<a href=\"%d-", st->number);
	sg_buf_html(b, st->slug);
	sg_buf_puts(b, ".csv\" download>CSV<span class=\"vh\">（");
	sg_buf_html(b, st->name);
	sg_buf_printf(b, "）</span></a> · <a href=\"%d-", st->number);
	sg_buf_html(b, st->slug);
	sg_buf_puts(b, ".json\">JSON<span class=\"vh\">（");
	sg_buf_html(b, st->name);
	sg_buf_puts(b, "）</span></a></p>");
}

static void
one_table(struct sg_buf *b, const struct sg_site *s, const struct sg_report *r,
    const struct sg_schema_table *st, int flags)
{
	const struct sg_ind_table *t = sg_ind_report_table(r, st);
	int prev_year = r->year - 1, *years;
	size_t ny;

	/* The section is no landmark of its own: the table's region, named
	 * by the same heading, is.  The name in its own element: the PDF's
	 * 续表 line takes it. */
	sg_buf_printf(b, "<section class=\"indicator\" id=\"ind-%d\">"
	    "<h2 id=\"ind-%d-h\"><span>附表 %d ", st->number, st->number,
	    st->number);
	sg_buf_html(b, st->name);
	sg_buf_puts(b, "</span></h2>");
	if (t == NULL) {
		sg_buf_puts(b, "<p class=\"table-note\">本年度报告未提供此表。</p>"
		    "</section>\n");
		return;
	}
	years = site_years(s, r->year, &ny);
	sg_buf_printf(b, "<div class=\"table-scroll\" role=\"region\" "
	    "tabindex=\"0\" aria-labelledby=\"ind-%d-h\"><table "
	    "class=\"ind-table\"><thead><tr><th scope=\"col\" class=\"no\">序号</th>"
	    "<th scope=\"col\">指标</th><th scope=\"col\">单位</th>",
	    st->number);
	for (size_t y = 0; y < t->nyears; y++)
		sg_buf_printf(b, "<th scope=\"col\" class=\"n\">%d 年</th>",
		    t->years[y]);
	sg_buf_printf(b, "<th scope=\"col\">较上年<span class=\"vh\">（%d 年较 "
	    "%d 年）</span></th><th scope=\"col\">历年趋势</th>", r->year,
	    prev_year);
	for (size_t c = 0; c < st->ncols; c++) {
		sg_buf_puts(b, "<th scope=\"col\">");
		sg_buf_html(b, st->cols[c].name);
		sg_buf_puts(b, "</th>");
	}
	sg_buf_puts(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_schema_row *sr = &st->rows[i];
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);
		const char *unit = row && *row->unit ? row->unit : sr->unit;
		struct sg_ind_series se;
		const struct sg_ind_point *pp;
		char *id;

		sg_buf_printf(b, "<tr class=\"%s%s\">", row_class(sr),
		    sr->main >= 0 ? " cont" : "");
		sg_buf_puts(b, "<td class=\"no\">");
		sg_buf_html(b, sr->no ? sr->no : "");
		sg_buf_puts(b, "</td>");
		row_header(b, st, (int)i, row);
		sg_buf_puts(b, "<td class=\"unit\" data-label=\"单位\">");
		sg_buf_html(b, show_unit(unit));
		sg_buf_puts(b, "</td>");
		sg_ind_series(s, sr->key, r->year, &se);
		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_point *p = sg_ind_series_at(&se,
			    t->years[y]);
			const struct sg_ind_disclosure *old = p ?
			    restated_from(p) : NULL;
			/* data-label: the column's name where a narrow
			 * screen shows the row as a block. */
			sg_buf_printf(b, "<td class=\"n\" data-label=\"%d 年\">",
			    t->years[y]);
			value_html(b, row ? &row->values[y] : NULL, unit);
			if (old && old->report != r->year) {
				sg_buf_printf(b, "<small class=\"restated\">"
				    "<span class=\"mark\">更正</span> %d 年报告为 ",
				    old->report);
				value_html(b, old->v, unit);
				sg_buf_puts(b, "</small>");
			}
			sg_buf_puts(b, "</td>");
		}
		pp = sg_ind_series_at(&se, prev_year);
		change_cell(b, pp ? pp->v : NULL, sg_ind_get(t, (int)i,
		    r->year), unit);
		id = sg_xasprintf("c%d-%zu", st->number, i);
		chart_cell(b, &se, years, ny, r->year, id, sr->name,
		    show_unit(unit), SG_CHART_SPARK);
		free(id);
		sg_ind_series_clear(&se);
		for (size_t c = 0; c < st->ncols; c++) {
			sg_buf_puts(b, "<td class=\"col\" data-label=\"");
			sg_buf_html(b, st->cols[c].name);
			sg_buf_puts(b, "\">");
			if (row && row->cols[c].state != SG_IND_EMPTY)
				sg_buf_html(b, row->cols[c].text);
			else
				sg_buf_puts(b, "<span class=\"ind-empty\">未填报"
				    "</span>");
			sg_buf_puts(b, "</td>");
		}
		sg_buf_puts(b, "</tr>");
	}
	sg_buf_puts(b, "</tbody></table></div>");
	free(years);
	for (size_t i = 0; i < t->notes.n; i++) {
		sg_buf_puts(b, "<p class=\"table-note\">");
		sg_buf_html(b, t->notes.v[i]);
		sg_buf_puts(b, "</p>");
	}
	if (!(flags & SG_INDPAGE_PRINT))
		download_links(b, st);
	sg_buf_puts(b, "</section>\n");
}

char *
sg_indpage_tables(const struct sg_site *s, const struct sg_report *r,
    const char *page, int flags)
{
	struct sg_buf b = {0};
	/* An archive's trends end with what was public when it was. */
	struct sg_site *at = sg_history_view_at(s, r);

	(void)page;
	sg_buf_puts(&b, "");
	if (r->schema == NULL)
		goto out;
	for (size_t i = 0; i < r->schema->ntables; i++)
		one_table(&b, at ? at : s, r, &r->schema->tables[i], flags);
out:
	sg_history_view_free(at);
	return sg_buf_take(&b);
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

char *
sg_indpage_trends(const struct sg_site *s, const char *page)
{
	struct sg_buf b = {0};
	const struct sg_report *latest = NULL;
	int *years = NULL;
	size_t ny = 0;

	sg_buf_puts(&b, "");
	for (size_t i = 0; i < s->nreports; i++)
		if (s->reports[i].schema)
			latest = &s->reports[i];
	if (latest == NULL)
		return sg_buf_take(&b);
	years = site_years(s, 0, &ny);
	for (size_t k = 0; k < latest->schema->ntables; k++) {
		const struct sg_schema_table *st = &latest->schema->tables[k];
		sg_buf_printf(&b, "<section class=\"indicator\" id=\"trend-%d\">"
		    "<h2 id=\"trend-%d-h\">附表 %d ", st->number, st->number,
		    st->number);
		sg_buf_html(&b, st->name);
		sg_buf_printf(&b, "</h2><div class=\"table-scroll\" role=\"region\" "
		    "tabindex=\"0\" aria-labelledby=\"trend-%d-h\"><table "
		    "class=\"ind-table ind-trends\"><thead><tr>"
		    "<th scope=\"col\">指标</th><th scope=\"col\">单位</th>",
		    st->number);
		for (size_t y = 0; y < ny; y++) {
			const struct sg_report *ry = report_of(s, years[y]);
			sg_buf_puts(&b, "<th scope=\"col\" class=\"n\">");
			if (ry) {
				char *to = sg_xasprintf("%d/indicators/#ind-%d",
				    years[y], st->number);
				char *rel = sg_path_rel(page, to);
				char *safe = sg_url_safe(rel);
				sg_buf_puts(&b, "<a href=\"");
				sg_buf_html(&b, safe ? safe : "");
				free(safe);
				sg_buf_printf(&b, "\">%d 年</a>", years[y]);
				free(rel);
				free(to);
			} else
				sg_buf_printf(&b, "%d 年", years[y]);
			sg_buf_puts(&b, "</th>");
		}
		sg_buf_puts(&b, "<th scope=\"col\">趋势</th></tr></thead><tbody>");
		for (size_t i = 0; i < st->nrows; i++) {
			const struct sg_schema_row *sr = &st->rows[i];
			struct sg_ind_series se;
			char *id;

			sg_ind_series(s, sr->key, 0, &se);
			sg_buf_printf(&b, "<tr class=\"%s%s\">", row_class(sr),
			    sr->main >= 0 ? " cont" : "");
			row_header(&b, st, (int)i, NULL);
			sg_buf_puts(&b, "<td>");
			sg_buf_html(&b, show_unit(sr->unit));
			sg_buf_puts(&b, "</td>");
			for (size_t y = 0; y < ny; y++) {
				const struct sg_ind_point *p = sg_ind_series_at(&se,
				    years[y]);
				const struct sg_ind_disclosure *old = p ?
				    restated_from(p) : NULL;
				sg_buf_puts(&b, "<td class=\"n\">");
				if (p == NULL)
					sg_buf_puts(&b, "<span class=\"ind-empty\">"
					    "无数据</span>");
				else
					value_html(&b, p->v, sr->unit);
				if (p && old) {
					sg_buf_printf(&b, "<small class=\"restated\">"
					    "<span class=\"mark\">更正</span> %d 年报告"
					    "为 ", old->report);
					value_html(&b, old->v, sr->unit);
					sg_buf_printf(&b, "，%d 年报告更正为 ",
					    p->report);
					value_html(&b, p->v, sr->unit);
					sg_buf_puts(&b, "</small>");
				}
				sg_buf_puts(&b, "</td>");
			}
			id = sg_xasprintf("t%d-%zu", st->number, i);
			chart_cell(&b, &se, years, ny, 0, id, sr->name,
			    show_unit(sr->unit), SG_CHART_TREND);
			free(id);
			sg_ind_series_clear(&se);
			sg_buf_puts(&b, "</tr>");
		}
		sg_buf_puts(&b, "</tbody></table></div></section>\n");
	}
	free(years);
	return sg_buf_take(&b);
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
		struct sg_ind_change *c = &f[i].change;
		char *text = sg_ind_change_text(c);
		const char *word = sg_ind_change_word(c);

		char *val = value_text(&f[i].cur, f[i].unit);

		sg_vars_text(it, "fig_label", f[i].f->label);
		sg_vars_text(it, "fig_value", val);
		free(val);
		if (f[i].cur.state == SG_IND_NUM &&
		    strcmp(show_unit(f[i].unit), "—") != 0)
			sg_vars_text(it, "fig_unit", f[i].unit);
		if (c->kind == SG_CHANGE_NUM) {
			sg_vars_textf(it, "fig_class", "fig-change %s",
			    c->dir > 0 ? "up" : c->dir < 0 ? "down" : "same");
			/* fig_arrow stays empty: style.css draws the arrow from
			 * the up/down/same class, as in the tables. */
			if (c->dir != 0)
				sg_vars_text(it, "fig_word", word);
			sg_vars_textf(it, "fig_change", "较 %d 年 %s",
			    f[i].prev_year, text);
		} else {
			sg_vars_text(it, "fig_class", "fig-change none");
			sg_vars_textf(it, "fig_change", "%d 年%s，无法比较",
			    f[i].prev_year, f[i].prev.state == SG_IND_NA ?
			    "不适用" : "未填报");
		}
		sg_vars_text(it, "fig_note", f[i].f->note);
		free(text);
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
