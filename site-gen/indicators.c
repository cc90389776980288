/*
 * indicators: appendix CSVs read against the template's schema into typed
 * values; change, series across reports, key figures.  The CSV and JSON
 * written for download are indwrite.c's.  Nothing here prints or writes
 * files: pages.c and page_indicators.c do.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "indicators.h"
#include "schema.h"
#include "source.h"
#include "table.h"
#include "util.h"

/* ---- values ---- */

int
sg_ind_unit_is_percent(const char *unit)
{
	char *u = sg_schema_norm_unit(unit);
	int r = strcmp(u, "%") == 0;

	free(u);
	return r;
}

static int
unit_is_none(const char *unit)
{
	char *u = sg_schema_norm_unit(unit);
	int r = *u == '\0';

	free(u);
	return r;
}

char *
sg_ind_fmt(double v, int decimals)
{
	char *s = sg_xasprintf("%.*f", decimals, v);

	/* "-0" and "-0.00" are zero. */
	if (s[0] == '-' && strspn(s + 1, "0.") == strlen(s + 1))
		memmove(s, s + 1, strlen(s));
	return s;
}

void
sg_ind_value_clear(struct sg_ind_value *v)
{
	if (v == NULL)
		return;
	free(v->text);
	memset(v, 0, sizeof(*v));
}

static void
value_copy(struct sg_ind_value *dst, const struct sg_ind_value *src)
{
	memset(dst, 0, sizeof(*dst));
	if (src == NULL) {
		dst->text = sg_xstrdup("");
		return;
	}
	*dst = *src;
	dst->text = sg_xstrdup(src->text ? src->text : "");
}

int
sg_ind_value_same(const struct sg_ind_value *a, const struct sg_ind_value *b)
{
	if (a->state != b->state)
		return 0;
	if (a->state != SG_IND_NUM)
		return 1;
	return fabs(a->v - b->v) <= 1e-9 * fmax(1.0, fabs(a->v));
}

/* Checks digits with optional 1,234 grouping and a fraction; returns the
 * number of decimals, or -1. Writes the plain digits to out. */
static int
scan_number(const char *p, struct sg_buf *out)
{
	size_t group = 0;
	int commas = 0, digits = 0, decimals = 0;

	for (; *p && *p != '.'; p++) {
		if (*p >= '0' && *p <= '9') {
			sg_buf_putc(out, *p);
			group++;
			digits++;
		} else if (*p == ',') {
			/* The first group has 1-3 digits, the others 3. */
			if (group == 0 || group > 3 || (commas && group != 3))
				return -1;
			commas++;
			group = 0;
		} else
			return -1;
	}
	if (digits == 0 || (commas && group != 3))
		return -1;
	if (*p == '.') {
		sg_buf_putc(out, '.');
		for (p++; *p >= '0' && *p <= '9'; p++) {
			sg_buf_putc(out, *p);
			decimals++;
		}
		if (decimals == 0 || *p)
			return -1;
	}
	return decimals;
}

int
sg_ind_value_parse(const char *cell, const char *unit, struct sg_ind_value *v,
    const char **why)
{
	char *f = sg_schema_fold(cell ? cell : "");
	struct sg_buf num = {0};
	size_t n = strlen(f);
	char *p = f;
	int neg = 0, dec;

	memset(v, 0, sizeof(*v));
	*why = NULL;
	if (n == 0 || strcmp(f, "未填报") == 0) {
		v->state = SG_IND_EMPTY;
		v->text = sg_xstrdup("");
		free(f);
		return 0;
	}
	if ((strspn(f, "-") == n && n <= 3) || strcmp(f, "/") == 0 ||
	    strcmp(f, "不适用") == 0 || strcasecmp(f, "n/a") == 0) {
		v->state = SG_IND_NA;
		v->text = sg_xstrdup("-");
		free(f);
		return 0;
	}
	if (f[n - 1] == '%') {
		if (!sg_ind_unit_is_percent(unit)) {
			*why = "has a % sign but the row's unit is not %";
			goto bad;
		}
		f[--n] = '\0';
	} else if (n > 2 && f[n - 2] == ':' && f[n - 1] == '1') {
		/* 生师比 written as 18.1:1 */
		if (!unit_is_none(unit)) {
			*why = "is a ratio (N:1) but the row has a unit";
			goto bad;
		}
		n -= 2;
		f[n] = '\0';
	}
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	sg_buf_puts(&num, neg ? "-" : "");
	if ((dec = scan_number(p, &num)) < 0) {
		*why = "is not a number";
		goto bad;
	}
	v->state = SG_IND_NUM;
	v->v = strtod(num.data, NULL);
	v->decimals = dec;
	v->text = sg_ind_fmt(v->v, dec);
	sg_buf_clear(&num);
	free(f);
	return 0;
bad:
	sg_buf_clear(&num);
	free(f);
	return -1;
}

/* ---- change ---- */

void
sg_ind_change(const struct sg_ind_value *prev, const struct sg_ind_value *cur,
    int percent_unit, struct sg_ind_change *c)
{
	double f;

	memset(c, 0, sizeof(*c));
	if (prev == NULL || cur == NULL || prev->state == SG_IND_EMPTY ||
	    cur->state == SG_IND_EMPTY) {
		c->kind = SG_CHANGE_MISSING;
		return;
	}
	if (prev->state == SG_IND_NA || cur->state == SG_IND_NA) {
		c->kind = SG_CHANGE_NA;
		return;
	}
	c->kind = SG_CHANGE_NUM;
	c->decimals = prev->decimals > cur->decimals ? prev->decimals :
	    cur->decimals;
	f = pow(10, c->decimals);
	c->delta = round((cur->v - prev->v) * f) / f;
	c->dir = c->delta > 0 ? 1 : c->delta < 0 ? -1 : 0;
	if (c->dir == 0)
		c->delta = 0;
	c->points = percent_unit;
	if (!percent_unit && prev->v != 0) {
		c->has_pct = 1;
		c->pct = (cur->v - prev->v) / fabs(prev->v) * 100.0;
	}
}

const char *
sg_ind_change_word(const struct sg_ind_change *c)
{
	if (c->kind != SG_CHANGE_NUM)
		return NULL;
	return c->dir > 0 ? "增加" : c->dir < 0 ? "减少" : "持平";
}

char *
sg_ind_change_text(const struct sg_ind_change *c)
{
	const char *sign;
	char *d, *r;

	if (c->kind == SG_CHANGE_MISSING)
		return sg_xstrdup("未填报");
	if (c->kind == SG_CHANGE_NA)
		return sg_xstrdup("不适用");
	if (c->dir == 0)
		return sg_xstrdup("持平");
	sign = c->dir > 0 ? "+" : "\xE2\x88\x92";	/* U+2212 minus */
	d = sg_ind_fmt(fabs(c->delta), c->decimals);
	if (c->points)
		r = sg_xasprintf("%s%s 个百分点", sign, d);
	else if (c->has_pct)
		r = sg_xasprintf("%s%s (%s%.1f%%)", sign, d,
		    c->pct >= 0 ? "+" : "\xE2\x88\x92", fabs(c->pct));
	else
		r = sg_xasprintf("%s%s (上年为 0)", sign, d);
	free(d);
	return r;
}

/* ---- reading a CSV ---- */

enum colkind { C_NONE, C_NO, C_NAME, C_UNIT, C_YEAR, C_EXTRA };

/* The year a header cell names ("2024年", "2024 年", "2024学年"), or 0. */
static int
header_year(const char *folded)
{
	if (strspn(folded, "0123456789") != 4)
		return 0;
	const char *rest = folded + 4;
	if (*rest && strcmp(rest, "年") != 0 && strcmp(rest, "年度") != 0 &&
	    strcmp(rest, "学年") != 0)
		return 0;
	return atoi(folded);
}

static int
row_empty(const struct sg_table *t, size_t r, size_t *nonempty, size_t *first)
{
	size_t n = 0;

	*first = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		char *f = sg_schema_fold(t->cells[r][c]);
		if (*f) {
			if (n == 0)
				*first = c;
			n++;
		}
		free(f);
	}
	*nonempty = n;
	return n == 0;
}

static int
is_note(const char *cell)
{
	char *f = sg_schema_fold(cell);
	int r = strncmp(f, "注", 3) == 0 || strncmp(f, "说明", 6) == 0 ||
	    strncmp(f, "备注", 6) == 0 || strncmp(f, "数据来源", 12) == 0;

	free(f);
	return r;
}

static void
free_row(struct sg_ind_row *r, size_t nyears, size_t ncols)
{
	free(r->no);
	free(r->label);
	free(r->unit);
	for (size_t i = 0; r->values && i < nyears; i++)
		sg_ind_value_clear(&r->values[i]);
	for (size_t i = 0; r->cols && i < ncols; i++)
		sg_ind_value_clear(&r->cols[i]);
	free(r->values);
	free(r->cols);
}

void
sg_ind_free(struct sg_ind_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows; i++)
		free_row(&t->rows[i], t->nyears, t->schema->ncols);
	free(t->rows);
	free(t->years);
	free(t->by_srow);
	free(t->file);
	sg_strv_clear(&t->notes);
	free(t);
}

/* Without the core mark: "毕业生人数*" → "毕业生人数". Caller frees. */
static char *
strip_mark(const char *s)
{
	char *r = sg_xstrdup(s);
	size_t n = strlen(r);

	for (;;) {
		while (n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\t'))
			n--;
		if (n > 0 && r[n - 1] == '*')
			n--;
		else if (n >= 3 && (memcmp(r + n - 3, "\xEF\xBC\x8A", 3) == 0 ||
		    memcmp(r + n - 3, "\xE2\x98\x85", 3) == 0))
			n -= 3;		/* ＊ ★ */
		else
			break;
	}
	r[n] = '\0';
	return r;
}

struct hdr {
	enum colkind	*kind;
	int		*year;		/* C_YEAR: the year */
	int		*extra;		/* C_EXTRA: schema column */
	int		 name, unit, no;
	size_t		 nyears;
};

static int
read_header(const struct sg_schema_table *st, const struct sg_table *t,
    size_t h, int year, struct hdr *hd, struct sg_diag *d)
{
	int bad = 0, line = t->lines[h], have_year = 0;

	hd->kind = sg_xcalloc(t->ncols, sizeof(*hd->kind));
	hd->year = sg_xcalloc(t->ncols, sizeof(int));
	hd->extra = sg_xcalloc(t->ncols, sizeof(int));
	hd->name = hd->unit = hd->no = -1;
	for (size_t c = 0; c < t->ncols; c++) {
		char *n = sg_schema_norm(t->cells[h][c]);
		int y = header_year(n);
		enum colkind k = C_NONE;

		if (strcmp(n, "序号") == 0 || strcmp(n, "编号") == 0)
			k = C_NO;
		else if (strcmp(n, "指标") == 0 || strcmp(n, "指标名称") == 0)
			k = C_NAME;
		else if (strcmp(n, "单位") == 0 || strcmp(n, "计量单位") == 0)
			k = C_UNIT;
		else if (y) {
			k = C_YEAR;
			if (y > year || y < year - 20) {
				sg_diag_add(d, SG_ERROR, t->file, line, 0,
				    "column '%s' is not a year of this report; "
				    "expected year columns from %d to %d",
				    t->cells[h][c], year - 20, year);
				bad = 1;
			}
			for (size_t e = 0; e < c; e++)
				if (hd->kind[e] == C_YEAR && hd->year[e] == y) {
					sg_diag_add(d, SG_ERROR, t->file, line, 0,
					    "year %d has two columns; expected "
					    "one column per year", y);
					bad = 1;
				}
			hd->year[c] = y;
			hd->nyears++;
			have_year |= y == year;
		} else if (*n == '\0' && c + 1 == t->ncols) {
			k = C_NONE;	/* a trailing empty column */
		} else {
			for (size_t e = 0; e < st->ncols; e++)
				if (strcmp(n, st->cols[e].norm) == 0) {
					k = C_EXTRA;
					hd->extra[c] = (int)e;
				}
			if (k == C_NONE) {
				struct sg_buf ex = {0};
				for (size_t e = 0; e < st->ncols; e++)
					sg_buf_printf(&ex, ", %s", st->cols[e].name);
				sg_diag_add(d, SG_ERROR, t->file, line, 0,
				    "unknown column '%s'; expected 序号, 指标, 单位 "
				    "and year columns like %d年%s",
				    t->cells[h][c], year, ex.data ? ex.data : "");
				sg_buf_clear(&ex);
				bad = 1;
			}
		}
		if ((k == C_NO && hd->no >= 0) || (k == C_NAME && hd->name >= 0) ||
		    (k == C_UNIT && hd->unit >= 0)) {
			sg_diag_add(d, SG_ERROR, t->file, line, 0, "column '%s' "
			    "is there twice; expected it once", t->cells[h][c]);
			bad = 1;
		}
		if (k == C_NO)
			hd->no = (int)c;
		else if (k == C_NAME)
			hd->name = (int)c;
		else if (k == C_UNIT)
			hd->unit = (int)c;
		hd->kind[c] = k;
		free(n);
	}
	if (hd->name < 0 || hd->unit < 0) {
		sg_diag_add(d, SG_ERROR, t->file, line, 0, "no %s column; "
		    "expected the header 序号,指标,单位,%d年,…",
		    hd->name < 0 ? "指标" : "单位", year);
		bad = 1;
	} else if (!have_year && !bad) {
		sg_diag_add(d, SG_ERROR, t->file, line, 0, "no column for %d年, "
		    "the report's year; expected a column headed %d年", year,
		    year);
		bad = 1;
	}
	return bad ? -1 : 0;
}

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

struct sg_ind_table *
sg_ind_parse(const struct sg_schema_table *st, const struct sg_table *t,
    int year, struct sg_diag *d)
{
	struct sg_ind_table *it = sg_xcalloc(1, sizeof(*it));
	struct sg_schema_cursor cur;
	struct hdr hd = {0};
	size_t h = t->nrows, ne, first;
	int bad = 0, *ycol = NULL;

	it->schema = st;
	it->file = sg_xstrdup(t->file);
	it->year = year;
	it->by_srow = sg_xcalloc(st->nrows + 1, sizeof(int));
	for (size_t i = 0; i < st->nrows; i++)
		it->by_srow[i] = -1;
	sg_schema_cursor_init(&cur, st);
	/* The header is the first row with 指标; a title line may come
	 * before it. */
	for (size_t r = 0; r < t->nrows && r < 6 && h == t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			char *n = sg_schema_norm(t->cells[r][c]);
			if (strcmp(n, "指标") == 0 || strcmp(n, "指标名称") == 0)
				h = r;
			free(n);
		}
	if (h == t->nrows) {
		sg_diag_add(d, SG_ERROR, t->file, t->lines[0], 0, "no header row "
		    "with 指标; expected the first line 序号,指标,单位,%d年,…",
		    year);
		bad = 1;
		goto out;
	}
	for (size_t r = 0; r < h; r++)
		if (!row_empty(t, r, &ne, &first) && ne > 1) {
			sg_diag_add(d, SG_ERROR, t->file, t->lines[r], 0, "data "
			    "before the header row; expected the header "
			    "序号,指标,单位,%d年,… first (a title line may come "
			    "before it)", year);
			bad = 1;
		}
	if (read_header(st, t, h, year, &hd, d) == -1) {
		bad = 1;
		goto out;
	}
	/* Year columns, ascending. */
	it->years = sg_xcalloc(hd.nyears + 1, sizeof(int));
	ycol = sg_xcalloc(hd.nyears + 1, sizeof(int));
	for (size_t c = 0; c < t->ncols; c++)
		if (hd.kind[c] == C_YEAR)
			it->years[it->nyears++] = hd.year[c];
	qsort(it->years, it->nyears, sizeof(int), cmp_int);
	for (size_t i = 0; i < it->nyears; i++)
		for (size_t c = 0; c < t->ncols; c++)
			if (hd.kind[c] == C_YEAR && hd.year[c] == it->years[i])
				ycol[i] = (int)c;
	it->rows = sg_xcalloc(t->nrows, sizeof(*it->rows));
	for (size_t r = h + 1; r < t->nrows; r++) {
		const char *name = t->cells[r][hd.name];
		const char *unit = t->cells[r][hd.unit];
		int line = t->lines[r], srow;
		struct sg_ind_row *row;
		const struct sg_schema_row *sr;

		if (row_empty(t, r, &ne, &first))
			continue;
		if (ne == 1 && is_note(t->cells[r][first])) {
			sg_strv_push(&it->notes, sg_xstrdup(t->cells[r][first]));
			continue;
		}
		switch (sg_schema_cursor_match(&cur, name, &srow)) {
		case SG_SCHEMA_MATCHED:
			break;
		case SG_SCHEMA_UNKNOWN:
			sg_diag_add(d, SG_ERROR, t->file, line, 0, "indicator "
			    "'%s' is not in 附表 %d %s of the template; expected "
			    "the indicators and names of the national table",
			    name, st->number, st->name);
			bad = 1;
			continue;
		case SG_SCHEMA_DUPLICATE:
			sg_diag_add(d, SG_ERROR, t->file, line, 0, "indicator "
			    "'%s' is given again (first on line %d); expected "
			    "each indicator once", name,
			    it->rows[it->by_srow[srow]].line);
			bad = 1;
			continue;
		case SG_SCHEMA_NO_CONT:
			sg_diag_add(d, SG_ERROR, t->file, line, 0, "row has no "
			    "indicator name; expected the name in 指标 (only the "
			    "line right after an indicator given in two units, "
			    "like 学时 after 门, leaves it empty)");
			bad = 1;
			continue;
		}
		sr = &st->rows[srow];
		row = &it->rows[it->nrows];
		it->by_srow[srow] = (int)it->nrows++;
		row->srow = srow;
		row->line = line;
		row->no = sg_xstrdup(hd.no >= 0 ? t->cells[r][hd.no] : "");
		row->label = strip_mark(name);
		row->core_mark = sg_schema_has_core_mark(name);
		row->unit = sg_xstrdup(unit);
		row->values = sg_xcalloc(it->nyears + 1, sizeof(*row->values));
		row->cols = sg_xcalloc(st->ncols + 1, sizeof(*row->cols));
		for (size_t i = 0; i < it->nyears; i++) {
			const char *cell = t->cells[r][ycol[i]], *why, *why2;
			/* A % sign or N:1 is fine if either the template's
			 * unit or the school's allows it. */
			if (sg_ind_value_parse(cell, sr->unit, &row->values[i],
			    &why) == 0 || sg_ind_value_parse(cell, unit,
			    &row->values[i], &why2) == 0)
				continue;
			sg_diag_add(d, SG_ERROR, t->file, line, 0, "%s of %s: "
			    "'%s' %s; expected a number like 1234, 1,234 or "
			    "12.5%s, '-' for not applicable, or an empty cell "
			    "for not filled in", t->cells[h][ycol[i]], sr->name,
			    cell, why, sg_ind_unit_is_percent(unit) ? " (a % "
			    "sign may follow)" : "");
			row->values[i].text = sg_xstrdup("");
			bad = 1;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			const struct sg_schema_col *sc;
			struct sg_ind_value *v;
			const char *why;
			if (hd.kind[c] != C_EXTRA)
				continue;
			sc = &st->cols[hd.extra[c]];
			v = &row->cols[hd.extra[c]];
			if (!sc->number) {
				v->state = *t->cells[r][c] ? SG_IND_NUM :
				    SG_IND_EMPTY;
				v->text = sg_xstrdup(t->cells[r][c]);
				continue;
			}
			if (sg_ind_value_parse(t->cells[r][c], sc->unit, v,
			    &why) == -1) {
				sg_diag_add(d, SG_ERROR, t->file, line, 0, "%s of "
				    "%s: '%s' %s; expected a number or an empty "
				    "cell", sc->name, sr->name, t->cells[r][c], why);
				v->text = sg_xstrdup("");
				bad = 1;
			}
		}
		for (size_t c = 0; c < st->ncols; c++)
			if (row->cols[c].text == NULL)
				row->cols[c].text = sg_xstrdup("");
	}
out:
	sg_schema_cursor_clear(&cur);
	free(hd.kind);
	free(hd.year);
	free(hd.extra);
	free(ycol);
	if (bad) {
		sg_ind_free(it);
		return NULL;
	}
	return it;
}

const struct sg_ind_row *
sg_ind_row(const struct sg_ind_table *t, int srow)
{
	if (t == NULL || srow < 0 || (size_t)srow >= t->schema->nrows ||
	    t->by_srow[srow] < 0)
		return NULL;
	return &t->rows[t->by_srow[srow]];
}

const struct sg_ind_value *
sg_ind_get(const struct sg_ind_table *t, int srow, int year)
{
	const struct sg_ind_row *r = sg_ind_row(t, srow);

	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < t->nyears; i++)
		if (t->years[i] == year)
			return &r->values[i];
	return NULL;
}

/* ---- across reports ---- */

const struct sg_ind_table *
sg_ind_report_table(const struct sg_report *r,
    const struct sg_schema_table *st)
{
	for (size_t i = 0; i < r->nindicators; i++)
		if (r->indicators[i].ind && r->indicators[i].ind->schema == st)
			return r->indicators[i].ind;
	return NULL;
}

static struct sg_ind_point *
point_at(struct sg_ind_series *se, int year)
{
	size_t i;

	for (i = 0; i < se->n && se->pts[i].year < year; i++)
		;
	if (i < se->n && se->pts[i].year == year)
		return &se->pts[i];
	se->pts = sg_xrealloc(se->pts, (se->n + 1) * sizeof(*se->pts));
	memmove(&se->pts[i + 1], &se->pts[i], (se->n - i) * sizeof(*se->pts));
	se->n++;
	memset(&se->pts[i], 0, sizeof(se->pts[i]));
	se->pts[i].year = year;
	return &se->pts[i];
}

void
sg_ind_series(const struct sg_site *s, const char *key, int upto,
    struct sg_ind_series *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->nreports; i++) {
		const struct sg_report *r = &s->reports[i];
		const struct sg_schema_table *st;
		const struct sg_ind_table *t;
		int srow;

		if ((upto && r->year > upto) || r->schema == NULL ||
		    (srow = sg_schema_find_key(r->schema, key, &st)) < 0 ||
		    (t = sg_ind_report_table(r, st)) == NULL ||
		    sg_ind_row(t, srow) == NULL)
			continue;
		for (size_t y = 0; y < t->nyears; y++) {
			struct sg_ind_point *p = point_at(out, t->years[y]);
			p->discs = sg_xrealloc(p->discs, (p->ndiscs + 1) *
			    sizeof(*p->discs));
			p->discs[p->ndiscs].report = r->year;
			p->discs[p->ndiscs].v = sg_ind_get(t, srow, t->years[y]);
			p->ndiscs++;
		}
	}
	/* The newest filled-in statement stands; reports that filled in
	 * different values restate each other. */
	for (size_t i = 0; i < out->n; i++) {
		struct sg_ind_point *p = &out->pts[i];
		for (size_t k = 0; k < p->ndiscs; k++)
			if (p->v == NULL || p->discs[k].v->state != SG_IND_EMPTY) {
				p->v = p->discs[k].v;
				p->report = p->discs[k].report;
			}
		for (size_t k = 0; k < p->ndiscs; k++)
			if (p->discs[k].v->state != SG_IND_EMPTY &&
			    p->v->state != SG_IND_EMPTY &&
			    !sg_ind_value_same(p->discs[k].v, p->v))
				p->restated = 1;
	}
}

void
sg_ind_series_clear(struct sg_ind_series *se)
{
	for (size_t i = 0; i < se->n; i++)
		free(se->pts[i].discs);
	free(se->pts);
	memset(se, 0, sizeof(*se));
}

const struct sg_ind_point *
sg_ind_series_at(const struct sg_ind_series *se, int year)
{
	for (size_t i = 0; i < se->n; i++)
		if (se->pts[i].year == year)
			return &se->pts[i];
	return NULL;
}

/* value ÷ per (× 100 for a %), or not filled in / not applicable. */
static void
ratio(struct sg_ind_value *out, const struct sg_ind_value *a,
    const struct sg_ind_value *b, int percent)
{
	memset(out, 0, sizeof(*out));
	if (a == NULL || b == NULL || a->state == SG_IND_EMPTY ||
	    b->state == SG_IND_EMPTY) {
		out->text = sg_xstrdup("");
		return;
	}
	if (a->state == SG_IND_NA || b->state == SG_IND_NA || b->v == 0) {
		out->state = SG_IND_NA;
		out->text = sg_xstrdup("-");
		return;
	}
	out->state = SG_IND_NUM;
	out->v = a->v / b->v * (percent ? 100.0 : 1.0);
	out->decimals = percent ? 1 : 2;
	out->v = round(out->v * pow(10, out->decimals)) /
	    pow(10, out->decimals);
	out->text = sg_ind_fmt(out->v, out->decimals);
}

struct sg_ind_figure *
sg_ind_figures(const struct sg_site *s, const struct sg_report *r, size_t *n)
{
	struct sg_ind_figure *v;

	*n = 0;
	if (r->schema == NULL || r->schema->nfigures == 0)
		return NULL;
	v = sg_xcalloc(r->schema->nfigures, sizeof(*v));
	for (size_t i = 0; i < r->schema->nfigures; i++) {
		const struct sg_schema_figure *f = &r->schema->figures[i];
		struct sg_ind_figure *x = &v[(*n)++];
		struct sg_ind_series a, b;
		const struct sg_ind_point *pa, *pb, *qa, *qb;
		const struct sg_schema_table *st;
		int row = sg_schema_find_key(r->schema, f->value, &st);

		x->f = f;
		x->year = r->year;
		x->prev_year = r->year - 1;
		sg_ind_series(s, f->value, r->year, &a);
		pa = sg_ind_series_at(&a, x->year);
		qa = sg_ind_series_at(&a, x->prev_year);
		if (f->per) {
			int pc = f->unit && sg_ind_unit_is_percent(f->unit);
			sg_ind_series(s, f->per, r->year, &b);
			pb = sg_ind_series_at(&b, x->year);
			qb = sg_ind_series_at(&b, x->prev_year);
			ratio(&x->cur, pa ? pa->v : NULL, pb ? pb->v : NULL, pc);
			ratio(&x->prev, qa ? qa->v : NULL, qb ? qb->v : NULL, pc);
			sg_ind_series_clear(&b);
		} else {
			value_copy(&x->cur, pa ? pa->v : NULL);
			value_copy(&x->prev, qa ? qa->v : NULL);
		}
		x->unit = sg_xstrdup(f->unit ? f->unit : row >= 0 ?
		    st->rows[row].unit : "");
		sg_ind_change(&x->prev, &x->cur, sg_ind_unit_is_percent(x->unit),
		    &x->change);
		sg_ind_series_clear(&a);
	}
	return v;
}

void
sg_ind_figures_free(struct sg_ind_figure *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sg_ind_value_clear(&f[i].cur);
		sg_ind_value_clear(&f[i].prev);
		free(f[i].unit);
	}
	free(f);
}

/* ---- loading ---- */

void
sg_ind_load(struct sg_site *s, struct sg_report *r, struct sg_diag *d)
{
	char *yml = sg_xasprintf("%s/report.yml", r->dir);
	struct sg_schema *sc;
	int found;

	if (r->template == NULL || strcmp(r->template, "none") == 0) {
		/* A report may follow no template: no outline to compare, no
		 * appendix tables to read. */
		if (r->template == NULL)
			sg_diag_add(d, SG_NOTE, yml, 0, 0, "no template: the "
			    "report is not compared with an outline and has no "
			    "appendix tables; expected template: ID (such as "
			    "zz-2016 for 2016–2020) to check it against an "
			    "edition");
		if (r->nindicators)
			sg_diag_add(d, SG_WARNING, yml, r->template_line, 0,
			    "%zu appendix tables in %s/indicators/ are not read: "
			    "the report names no template; expected template: ID "
			    "of the edition whose tables they are", r->nindicators,
			    r->dir);
		goto out;
	}
	for (sc = s->schemas; sc; sc = sc->next)
		if (strcmp(sc->id, r->template) == 0)
			break;
	if (sc == NULL) {
		sc = sg_schema_load(s->src, r->template, &found, d);
		if (sc == NULL) {
			if (!found) {
				char *where = sg_schema_where(r->template);
				sg_diag_add(d, SG_ERROR, yml, r->template_line, 0,
				    "unknown template '%s'; looked for %s; "
				    "expected one of those ids, or the file in "
				    "the site's schemas/", r->template, where);
				free(where);
			}
			goto out;
		}
		if (strcmp(sc->id, r->template) != 0) {
			sg_diag_add(d, SG_ERROR, sc->file, 1, 0, "the file says "
			    "id: %s; expected id: %s like its name", sc->id,
			    r->template);
			sg_schema_free(sc);
			goto out;
		}
		sc->next = s->schemas;
		s->schemas = sc;
	}
	r->schema = sc;
	for (size_t i = 0; i < r->nindicators; i++) {
		struct sg_data *dt = &r->indicators[i];
		const char *base = strrchr(dt->rel, '/');
		const struct sg_schema_table *st;

		base = base ? base + 1 : dt->rel;
		st = sg_schema_table_for_file(sc, base);
		if (st == NULL) {
			struct sg_buf ex = {0};
			for (size_t k = 0; k < sc->ntables; k++)
				sg_buf_printf(&ex, "%s%d-%s.csv", k ? ", " : "",
				    sc->tables[k].number, sc->tables[k].slug);
			sg_diag_add(d, SG_ERROR, dt->path, 0, 0, "not one of the "
			    "tables of template %s; expected one of %s", sc->id,
			    ex.data);
			sg_buf_clear(&ex);
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (r->indicators[k].ind &&
			    r->indicators[k].ind->schema == st)
				sg_diag_add(d, SG_ERROR, dt->path, 0, 0, "a second "
				    "file for 附表 %d %s (the first is %s); expected "
				    "one file per table", st->number, st->name,
				    r->indicators[k].path);
		free(dt->title);
		dt->title = sg_xstrdup(st->name);
		if (dt->table)
			dt->ind = sg_ind_parse(st, dt->table, r->year, d);
	}
out:
	free(yml);
}

void
sg_ind_unload(struct sg_site *s)
{
	while (s->schemas) {
		struct sg_schema *n = s->schemas->next;
		sg_schema_free(s->schemas);
		s->schemas = n;
	}
}
