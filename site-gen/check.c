/*
 * check: the rules of `site-gen check` over the loaded model (see check.h).
 * Appendix tables are walked against their schema rows; figures, ratios,
 * bounds and sums come from the schema's checks: block; narrative tables
 * are found by their header columns and text by its phrases; privacy.c
 * finds personal data.  Findings name file:line, the values involved and
 * what was expected.  Nothing here reads files or prints.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "diag.h"
#include "indicators.h"
#include "privacy.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

static const struct sg_check_rule rules[] = {
	{"image-missing", SG_WARNING, SG_ERROR,
	    "a figure's image file is missing"},
	{"case-sequence", SG_WARNING, SG_ERROR,
	    "case numbers skip a number or are out of order"},
	{"core-empty", SG_WARNING, SG_ERROR,
	    "a core (*) indicator is not filled in"},
	{"unit", SG_WARNING, SG_ERROR,
	    "an indicator's unit contradicts the template"},
	{"privacy-idcard", SG_ERROR, SG_ERROR,
	    "a mainland resident ID-card number"},
	{"privacy-mobile", SG_ERROR, SG_ERROR, "a mobile phone number"},
	{"privacy-email", SG_WARNING, SG_WARNING,
	    "an email address that is not the school's"},
	{"table-missing", SG_WARNING, SG_WARNING,
	    "a table the template requires is missing"},
	{"table-empty", SG_WARNING, SG_WARNING,
	    "a table the template requires has nothing filled in"},
	{"serial", SG_WARNING, SG_WARNING,
	    "序号 does not follow the template"},
	{"range", SG_WARNING, SG_WARNING,
	    "a value outside what it can be (a % outside 0–100, a negative)"},
	{"plausible", SG_WARNING, SG_WARNING,
	    "a per-student or per-capita value far off the plausible range"},
	{"part-exceeds", SG_WARNING, SG_WARNING,
	    "a part (其中) is more than its whole"},
	{"total-sum", SG_WARNING, SG_WARNING,
	    "parts do not add up to their total"},
	{"change", SG_WARNING, SG_WARNING,
	    "a value changed from last year by more than the template allows"},
	{"restated", SG_WARNING, SG_WARNING,
	    "a past year's figure differs from what that year's report said"},
	{"agree", SG_WARNING, SG_WARNING,
	    "a figure stated differently in two places of the report"},
	{"ratio", SG_WARNING, SG_WARNING,
	    "a stated ratio differs from the counts it comes from"},
	{"at-most", SG_WARNING, SG_WARNING,
	    "a count is more than the count that bounds it"},
	{"table-sum", SG_WARNING, SG_WARNING,
	    "a narrative table's row or total does not add up"},
};

const struct sg_check_rule *
sg_check_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(*rules);
	return rules;
}

static const struct sg_check_rule *
find_rule(const char *id)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

struct ctx {
	struct sg_site			*s;
	struct sg_report		*r;
	const struct sg_schema		*sc;
	const struct sg_check_opts	*o;
	struct sg_diag			*d;
};

/* ---- findings and allowances ---- */

/* 1 if an allowance entry waives rule: its id, or its group ("privacy"
 * for "privacy-mobile"). */
static int
waives(const char *entry, size_t len, const char *rule)
{
	const char *dash = strchr(rule, '-');
	size_t g = dash ? (size_t)(dash - rule) : strlen(rule);

	return (len == strlen(rule) && strncmp(entry, rule, len) == 0) ||
	    (len == g && strncmp(entry, rule, g) == 0);
}

static int
listed(const struct sg_strv *list, const char *rule)
{
	for (size_t i = 0; i < list->n; i++)
		if (waives(list->v[i], strlen(list->v[i]), rule))
			return 1;
	return 0;
}

static struct sg_doc *
doc_of(struct sg_report *r, const char *file)
{
	if (r->preface && strcmp(r->preface->path, file) == 0)
		return r->preface;
	for (size_t i = 0; i < r->nchapters; i++)
		if (strcmp(r->chapters[i].doc.path, file) == 0)
			return &r->chapters[i].doc;
	for (size_t i = 0; i < r->ncases; i++)
		if (strcmp(r->cases[i].doc.path, file) == 0)
			return &r->cases[i].doc;
	return NULL;
}

/* Whether the file's allowances waive rule.  Errors other than privacy
 * cannot be waived: they block publishing for a reason. */
static int
allowed(struct ctx *c, const char *file, const char *rule)
{
	const struct sg_check_rule *k = find_rule(rule);
	struct sg_doc *doc;
	size_t n;

	if (k->publish >= SG_ERROR && strncmp(rule, "privacy", 7) != 0)
		return 0;
	if (c->r == NULL || file == NULL)
		return 0;
	if ((doc = doc_of(c->r, file)) != NULL)
		return listed(&doc->allow, rule);
	n = strlen(c->r->dir);
	if (strncmp(file, c->r->dir, n) != 0 || file[n] != '/')
		return 0;
	/* report.yml allow: "rel\trule" pairs. */
	for (size_t i = 0; i < c->r->allow.n; i++) {
		const char *e = c->r->allow.v[i], *tab = strchr(e, '\t');
		if (tab && strlen(file + n + 1) == (size_t)(tab - e) &&
		    strncmp(file + n + 1, e, (size_t)(tab - e)) == 0 &&
		    waives(tab + 1, strlen(tab + 1), rule))
			return 1;
	}
	return 0;
}

static void
emit(struct ctx *c, const char *rule, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
emit(struct ctx *c, const char *rule, const char *file, int line,
    const char *fmt, ...)
{
	const struct sg_check_rule *k = find_rule(rule);
	va_list ap, ap2;
	char *msg;
	int n;

	if (allowed(c, file, rule))
		return;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	msg = sg_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	sg_diag_rule(c->d, c->o->publish ? k->publish : k->build, k->id, file,
	    line, 0, "%s", msg);
	free(msg);
}

/* ---- values ---- */

static char *
fmtv(double v, int dec)
{
	return sg_ind_fmt(v, dec);
}

/* "2024年" */
static const char *
ylabel(int y, char buf[16])
{
	snprintf(buf, 16, "%d年", y);
	return buf;
}

/* A schema row as a reader finds it: its path of names below the table
 * ("在线精品课程数/国家级数量"), the second unit in brackets
 * ("教学计划内课程总数 (学时)").  Caller frees. */
static char *
row_name(const struct sg_schema_table *st, int srow)
{
	const struct sg_schema_row *r = &st->rows[srow];
	const char *path = strchr(r->key, '/');
	char *s, *at;

	s = sg_xstrdup(path ? path + 1 : r->key);
	if ((at = strchr(s, '@')) != NULL) {
		char *t = sg_xasprintf("%.*s (%s)", (int)(at - s), s, at + 1);
		free(s);
		s = t;
	}
	return s;
}

/* A value with its unit: "20.88%", "460 个/生", "18.10".  Caller frees. */
static char *
with_unit(const char *text, const char *unit)
{
	if (unit == NULL || *unit == '\0')
		return sg_xstrdup(text);
	if (strcmp(unit, "%") == 0)
		return sg_xasprintf("%s%%", text);
	return sg_xasprintf("%s %s", text, unit);
}

/* The last part of a row key ("policy/…/专任教师总数" → 专任教师总数), or
 * the figure name itself. */
static const char *
ref_name(const char *ref)
{
	const char *s = strrchr(ref, '/');

	return s ? s + 1 : ref;
}

/* A number as narrative tables write it: 1,920, 18.1:1, 83.74%, 12776.77.
 * Returns 0 and sets *v and *dec, or -1. */
static int
lenient_number(const char *cell, double *v, int *dec)
{
	char *f = sg_schema_fold(cell ? cell : ""), *p, *w;
	size_t n = strlen(f);
	int digits = 0, d = 0, point = 0;

	if (n > 0 && f[n - 1] == '%')
		f[--n] = '\0';
	else if (n > 2 && f[n - 2] == ':' && f[n - 1] == '1')
		f[n -= 2] = '\0';
	for (p = w = f; *p; p++) {
		if (*p == ',' && p > f && isdigit((unsigned char)p[-1]) &&
		    isdigit((unsigned char)p[1]))
			continue;
		*w++ = *p;
	}
	*w = '\0';
	p = f;
	if (*p == '-' || *p == '+')
		p++;
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			digits++;
			d += point;
		} else if (*p == '.' && !point)
			point = 1;
		else
			break;
	}
	if (*p || digits == 0 || (point && d == 0)) {
		free(f);
		return -1;
	}
	*v = strtod(f, NULL);
	*dec = d;
	free(f);
	return 0;
}

/* The year a narrative cell names: 2023年, 2023 届, 2023 学年, 2023. */
static int
cell_year(const char *cell)
{
	char *f = sg_schema_fold(cell);
	int y = 0;

	if (strspn(f, "0123456789") == 4 && (f[0] == '1' || f[0] == '2')) {
		const char *rest = f + 4;
		if (*rest == '\0' || strncmp(rest, "年", 3) == 0 ||
		    strncmp(rest, "届", 3) == 0 || strncmp(rest, "学年", 6) == 0)
			y = atoi(f);
	}
	free(f);
	return y;
}

/* A header or label cell as matching sees it; *bare gets it without a
 * trailing unit in brackets ("人数(人)" → "人数").  Caller frees both. */
static char *
cell_key(const char *cell, char **bare)
{
	char *n = sg_schema_norm(cell ? cell : "");
	size_t len = strlen(n);

	*bare = sg_xstrdup(n);
	if (len > 0 && (*bare)[len - 1] == ')') {
		char *open = strrchr(*bare, '(');
		if (open && open > *bare)
			*open = '\0';
	}
	return n;
}

static int
cell_is(const char *cell, const char *norm)
{
	char *bare, *n = cell_key(cell, &bare);
	int r = strcmp(n, norm) == 0 || strcmp(bare, norm) == 0;

	free(n);
	free(bare);
	return r;
}

/* Column of header name norm in a narrative table, or -1. */
static int
col_named(const struct sg_table *t, const char *norm)
{
	for (size_t c = 0; t->nrows && c < t->ncols; c++)
		if (cell_is(t->cells[0][c], norm))
			return (int)c;
	return -1;
}

/* ---- statements of a figure ---- */

struct stmt {
	int		 year;
	double		 v;
	int		 dec;
	int		 approx;	/* "1920 多": v is a lower bound */
	int		 row;		/* from the figure's appendix row */
	const char	*file;		/* borrowed */
	int		 line;
	size_t		 col;		/* text: where in the folded line */
	char		*what;		/* where, for messages */
};

struct stmts {
	struct stmt	*v;
	size_t		 n;
};

static struct stmt *
push(struct stmts *l, int year, double v, int dec, const char *file,
    int line, char *what)
{
	struct stmt *s;

	l->v = sg_xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->year = year;
	s->v = v;
	s->dec = dec;
	s->file = file;
	s->line = line;
	s->what = what;
	return s;
}

static void
stmts_clear(struct stmts *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].what);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static char *
stmt_text(const struct stmt *s)
{
	char *n = fmtv(s->v, s->dec), *r;

	r = s->approx ? sg_xasprintf("%s 多", n) : sg_xstrdup(n);
	free(n);
	return r;
}

/* The statements of row key in report r (each year column). */
static void
row_stmts(struct ctx *c, const char *key, struct stmts *out)
{
	const struct sg_schema_table *st;
	const struct sg_ind_table *t;
	const struct sg_ind_row *row;
	int srow;

	if (c->sc == NULL || (srow = sg_schema_find_key(c->sc, key, &st)) < 0 ||
	    (t = sg_ind_report_table(c->r, st)) == NULL ||
	    (row = sg_ind_row(t, srow)) == NULL)
		return;
	for (size_t i = 0; i < t->nyears; i++) {
		const struct sg_ind_value *v = &row->values[i];
		char *nm;
		if (v->state != SG_IND_NUM)
			continue;
		nm = row_name(st, srow);
		push(out, t->years[i], v->v, v->decimals, t->file, row->line,
		    sg_xasprintf("附表 %d %s %s", st->number, st->name,
		    nm))->row = 1;
		free(nm);
	}
}

/* Narrative tables holding a figure, per locator. */
static void
table_stmts(struct ctx *c, const struct sg_schema_locator *l,
    struct stmts *out)
{
	for (size_t i = 0; i < c->r->ntables; i++) {
		const struct sg_data *dt = &c->r->tables[i];
		const struct sg_table *t = dt->table;
		int vc, ok = 1;

		if (t == NULL || t->nrows < 2)
			continue;
		for (size_t h = 0; h < l->header.n && ok; h++)
			ok = col_named(t, l->header.v[h]) >= 0;
		if (!ok || (vc = col_named(t, l->value)) < 0)
			continue;
		for (size_t r = 1; r < t->nrows; r++) {
			int year = c->r->year, dec, lc = -1;
			double v;
			if (l->years) {
				if ((size_t)l->years > t->ncols)
					break;
				year = cell_year(t->cells[r][l->years - 1]);
				if (year == 0)
					continue;
			} else {
				/* The label cell: one of rows, or label. */
				for (size_t k = 0; k < t->ncols && lc < 0; k++) {
					int hit = 0;
					if ((int)k == vc)
						continue;
					for (size_t x = 0; x < l->rows.n && !hit;
					    x++)
						hit = cell_is(t->cells[r][k],
						    l->rows.v[x]);
					if (l->label && !hit)
						hit = cell_is(t->cells[r][k],
						    l->label);
					if (hit)
						lc = (int)k;
				}
				if (lc < 0)
					continue;
			}
			if (lenient_number(t->cells[r][vc], &v, &dec) == -1)
				continue;
			push(out, year, v, dec, dt->path, t->lines[r], lc >= 0 ?
			    sg_xasprintf("%s of %s in %s", t->cells[0][vc],
			    t->cells[r][lc], dt->rel) : sg_xasprintf("%s in %s",
			    t->cells[0][vc], dt->rel));
		}
	}
}

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Words that may stand between a phrase and its number: 为 是 达 共 有 计. */
static size_t
filler(const char *s)
{
	static const char *const w[] = {"为", "是", "达", "共", "有", "计",
	    ":", NULL};

	for (size_t i = 0; w[i]; i++)
		if (strncmp(s, w[i], strlen(w[i])) == 0)
			return strlen(w[i]);
	return 0;
}

/* Matches folded pattern pat at s + pos.  On a match returns the end and
 * sets the figure. */
static size_t
pat_match(const char *pat, const char *s, size_t pos, double *v, int *dec,
    int *approx, size_t *start)
{
	const char *p = pat;
	size_t i = pos;
	int got = 0;

	while (*p) {
		if (strncmp(p, "{n}", 3) == 0 || strncmp(p, "{_}", 3) == 0) {
			int cap = p[1] == 'n', d = 0;
			size_t st = i;
			char *num;
			if (!is_d(s[i]) || (i > 0 && (is_d(s[i - 1]) ||
			    s[i - 1] == '.')))
				return 0;
			while (is_d(s[i]) || (s[i] == ',' && is_d(s[i + 1])))
				i++;
			if (s[i] == '.' && is_d(s[i + 1]))
				for (i++; is_d(s[i]); i++)
					d++;
			p += 3;
			if (cap) {
				num = sg_xstrndup(s + st, i - st);
				if (lenient_number(num, v, dec) == -1) {
					free(num);
					return 0;
				}
				free(num);
				*start = st;
				*approx = 0;
				got = 1;
			}
			if ((strncmp(s + i, "多", 3) == 0 ||
			    strncmp(s + i, "余", 3) == 0) &&
			    strncmp(p, s + i, 3) != 0) {
				i += 3;
				if (cap)
					*approx = 1;
			}
			continue;
		}
		const char *q = strchr(p, '{');
		size_t len = q ? (size_t)(q - p) : strlen(p);
		if (strncmp(s + i, p, len) != 0)
			return 0;
		i += len;
		p += len;
		if (*p == '{')
			for (int k = 0; k < 2; k++)
				i += filler(s + i);
	}
	return got ? i : 0;
}

/* The year a figure at pos of folded line s is for: the last year named
 * before it in its sentence, else the report's. */
static int
text_year(const char *s, size_t pos, int dflt)
{
	size_t st = 0;
	int y = dflt;

	for (size_t i = 0; i < pos; i++)
		if (s[i] == '!' || s[i] == '?' || s[i] == ';' || (s[i] == '.' &&
		    !(i > 0 && is_d(s[i - 1]) && is_d(s[i + 1]))))
			st = i + 1;
	for (size_t i = st; i + 4 < pos; i++) {
		if ((i > 0 && is_d(s[i - 1])) || !is_d(s[i]) || !is_d(s[i + 1]) ||
		    !is_d(s[i + 2]) || !is_d(s[i + 3]) || is_d(s[i + 4]))
			continue;
		int v = atoi(s + i);
		const char *rest = s + i + 4;
		if (v >= 1900 && v <= 2099 && (strncmp(rest, "年", 3) == 0 ||
		    strncmp(rest, "届", 3) == 0 || strncmp(rest, "学年", 6) == 0))
			y = v;
	}
	return y;
}

static void
doc_text_stmts(struct ctx *c, const struct sg_doc *doc,
    const struct sg_strv *pats, struct stmts *out)
{
	const char *p = doc->body;
	int line = doc->body_line;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		char *raw = sg_xstrndup(p, len), *f = sg_schema_fold(raw);
		size_t first = out->n;
		for (size_t k = 0; k < pats->n; k++)
			for (size_t i = 0; f[i]; i++) {
				double v = 0;
				int dec = 0, approx = 0;
				size_t st = i, end;
				if ((f[i] & 0xC0) == 0x80)
					continue;
				end = pat_match(pats->v[k], f, i, &v, &dec,
				    &approx, &st);
				if (end == 0)
					continue;
				/* Two phrases may find the same figure. */
				int seen = 0;
				for (size_t x = first; x < out->n && !seen; x++)
					seen = out->v[x].col == st;
				if (seen)
					continue;
				push(out, text_year(f, st, c->r->year), v, dec,
				    doc->path, line, sg_xasprintf("“%.*s”",
				    (int)(end - i), f + i))->approx = approx;
				out->v[out->n - 1].col = st;
				i = end - 1;
			}
		free(raw);
		free(f);
		line++;
		p += len + (e ? 1 : 0);
	}
}

static void
text_stmts(struct ctx *c, const struct sg_strv *pats, struct stmts *out)
{
	if (pats->n == 0)
		return;
	if (c->r->preface)
		doc_text_stmts(c, c->r->preface, pats, out);
	for (size_t i = 0; i < c->r->nchapters; i++)
		doc_text_stmts(c, &c->r->chapters[i].doc, pats, out);
	for (size_t i = 0; i < c->r->ncases; i++)
		doc_text_stmts(c, &c->r->cases[i].doc, pats, out);
}

/* Every statement of ref (a row key, or a figure: its row and where the
 * narrative states it). */
static void
collect(struct ctx *c, const char *ref, struct stmts *out)
{
	const struct sg_schema_fig *f;

	if (strchr(ref, '/')) {
		row_stmts(c, ref, out);
		return;
	}
	if ((f = sg_schema_fig(c->sc, ref)) == NULL)
		return;
	if (f->row)
		row_stmts(c, f->row, out);
	for (size_t i = 0; i < f->ntables; i++)
		table_stmts(c, &f->tables[i], out);
	text_stmts(c, &f->text, out);
}

/* The value of ref for year: the report's appendix row, else the site's
 * newest statement of that row, else (a figure without a row) the first
 * place the narrative states it.  Returns 0 or -1. */
static int
ref_value(struct ctx *c, const char *ref, int year, double *v)
{
	const struct sg_schema_fig *f;
	struct stmts l = {0};
	int rc = -1;

	if (!strchr(ref, '/') && (f = sg_schema_fig(c->sc, ref)) != NULL &&
	    f->row)
		ref = f->row;
	if (strchr(ref, '/')) {
		struct sg_ind_series se;
		const struct sg_ind_point *pt;
		sg_ind_series(c->s, ref, c->r->year, &se);
		pt = sg_ind_series_at(&se, year);
		if (pt && pt->v && pt->v->state == SG_IND_NUM) {
			*v = pt->v->v;
			rc = 0;
		}
		sg_ind_series_clear(&se);
		return rc;
	}
	collect(c, ref, &l);
	for (size_t i = 0; i < l.n && rc; i++)
		if (l.v[i].year == year && !l.v[i].approx) {
			*v = l.v[i].v;
			rc = 0;
		}
	stmts_clear(&l);
	return rc;
}

/* ---- figures that must agree ---- */

/* The range "1920 多" stands for: [n, n + step). */
static double
approx_step(double n)
{
	double step = 1;

	while (n >= 10 && fmod(n, step * 10) == 0)
		step *= 10;
	return step < 10 ? 10 : step;
}

static int
same_figure(const struct stmt *a, const struct stmt *b, double tol)
{
	int dec = a->dec < b->dec ? a->dec : b->dec;
	double f = pow(10, dec);

	if (a->approx && b->approx)
		return 1;
	if (b->approx)
		return a->v >= b->v && a->v < b->v + approx_step(b->v);
	if (a->approx)
		return b->v >= a->v && b->v < a->v + approx_step(a->v);
	if (fabs(round(a->v * f) - round(b->v * f)) < 0.5)
		return 1;
	return fabs(a->v - b->v) <= tol * fmax(fabs(a->v), fabs(b->v));
}

static void
check_figure(struct ctx *c, const struct sg_schema_fig *fig)
{
	struct stmts l = {0};
	char yb[16];

	collect(c, fig->name, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i], *a = NULL;
		char *bt, *at, hint[200] = "";
		/* The reference: the appendix row, else the first place. */
		for (size_t k = 0; k < l.n && !a; k++)
			if (l.v[k].year == b->year && l.v[k].row)
				a = &l.v[k];
		for (size_t k = 0; k < l.n && !a; k++)
			if (l.v[k].year == b->year)
				a = &l.v[k];
		if (a == b || a == NULL ||
		    same_figure(a, b, c->sc->checks.tolerance))
			continue;
		bt = stmt_text(b);
		/* A table a year off gives what the other place gives for
		 * the next or the previous year. */
		for (size_t k = 0; k < l.n && !hint[0]; k++) {
			struct stmt *x = &l.v[k];
			if (x->row == a->row && x != a &&
			    abs(x->year - b->year) == 1 &&
			    same_figure(x, b, c->sc->checks.tolerance))
				snprintf(hint, sizeof(hint), " (%s is the %d "
				    "figure there: are the years one off?)", bt,
				    x->year);
		}
		at = stmt_text(a);
		emit(c, "agree", b->file, b->line, "%s%s%s for %s is %s, but %s "
		    "says %s (%s:%d); expected the same figure%s", b->row ? "" :
		    fig->name, b->row ? "" : ": ", b->what, ylabel(b->year, yb),
		    bt, a->what, at, a->file, a->line, hint);
		free(bt);
		free(at);
	}
	stmts_clear(&l);
}

static void
check_ratio(struct ctx *c, const struct sg_schema_rel *q)
{
	struct stmts l = {0};
	char yb[16];

	collect(c, q->value, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i];
		double num, den, x, off;
		char *bt, *xs, *ns, *ds;
		if (b->approx || ref_value(c, q->num, b->year, &num) == -1 ||
		    ref_value(c, q->den, b->year, &den) == -1 || den == 0)
			continue;
		x = num / den * (q->percent ? 100.0 : 1.0);
		off = x != 0 ? fabs(b->v - x) / fabs(x) : fabs(b->v);
		if (off <= q->tolerance)
			continue;
		bt = stmt_text(b);
		xs = fmtv(x, 2);
		ns = fmtv(num, 0);
		ds = fmtv(den, 0);
		emit(c, "ratio", b->file, b->line, "%s%s%s for %s is %s%s, but "
		    "%s %s ÷ %s %s%s = %s%s (%.1f%% off); expected within %g%% "
		    "of it", b->row ? "" : ref_name(q->value), b->row ? "" :
		    ": ", b->what, ylabel(b->year, yb), bt,
		    q->percent ? "%" : "", ref_name(q->num), ns,
		    ref_name(q->den), ds, q->percent ? " × 100" : "", xs,
		    q->percent ? "%" : "", off * 100, q->tolerance * 100);
		free(bt);
		free(xs);
		free(ns);
		free(ds);
	}
	stmts_clear(&l);
}

static void
check_bound(struct ctx *c, const struct sg_schema_rel *q)
{
	struct stmts l = {0};
	char yb[16];

	collect(c, q->value, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i];
		double max;
		char *bt, *ms;
		if (ref_value(c, q->max, b->year, &max) == -1 ||
		    b->v <= max + 1e-9 * fabs(max))
			continue;
		bt = stmt_text(b);
		ms = fmtv(max, 0);
		emit(c, "at-most", b->file, b->line, "%s for %s is %s, more than "
		    "%s %s; expected at most %s", b->what, ylabel(b->year, yb),
		    bt, ref_name(q->max), ms, ms);
		free(bt);
		free(ms);
	}
	stmts_clear(&l);
}

/* ---- narrative tables: rows and totals that add up ---- */

static void
check_sums(struct ctx *c, const struct sg_data *dt)
{
	const struct sg_schema_checks *k = &c->sc->checks;
	const struct sg_table *t = dt->table;

	for (size_t i = 0; i < k->nsums; i++) {
		const struct sg_schema_sum *su = &k->sums[i];
		int tc = col_named(t, su->total), *pc, ok = tc >= 0;
		pc = sg_xcalloc(su->parts.n, sizeof(int));
		for (size_t p = 0; p < su->parts.n && ok; p++)
			ok = (pc[p] = col_named(t, su->parts.v[p])) >= 0;
		for (size_t r = 1; ok && r < t->nrows; r++) {
			double tot, sum = 0, v;
			int dec, good = lenient_number(t->cells[r][tc], &tot,
			    &dec) == 0;
			struct sg_buf terms = {0}, names = {0};
			for (size_t p = 0; p < su->parts.n && good; p++) {
				good = lenient_number(t->cells[r][pc[p]], &v,
				    &dec) == 0;
				sum += v;
				sg_buf_printf(&terms, "%s%s", p ? " + " : "",
				    t->cells[r][pc[p]]);
				sg_buf_printf(&names, "%s%s", p ? " + " : "",
				    t->cells[0][pc[p]]);
			}
			if (good && fabs(sum - tot) > 1e-6 * fmax(1, fabs(tot)))
				emit(c, "table-sum", dt->path, t->lines[r],
				    "%s: %s = %s = %g, but %s is %s; expected "
				    "the parts to add up to it", t->cells[r][0],
				    names.data, terms.data, sum, t->cells[0][tc],
				    t->cells[r][tc]);
			sg_buf_clear(&terms);
			sg_buf_clear(&names);
		}
		free(pc);
	}
	/* A 合计 row is the sum of the rows above it. */
	size_t from = 1;
	for (size_t r = 1; r < t->nrows; r++) {
		int total = 0;
		for (size_t x = 0; x < k->total_rows.n && !total; x++)
			total = cell_is(t->cells[r][0], k->total_rows.v[x]);
		if (!total)
			continue;
		for (size_t col = 1; col < t->ncols; col++) {
			double tot, sum = 0, v;
			int dec, good = !strchr(t->cells[r][col], '%') &&
			    lenient_number(t->cells[r][col], &tot, &dec) == 0;
			for (size_t a = from; a < r && good; a++) {
				good = !strchr(t->cells[a][col], '%') &&
				    lenient_number(t->cells[a][col], &v,
				    &dec) == 0;
				sum += v;
			}
			if (good && r > from && fabs(sum - tot) > 1e-6 *
			    fmax(1, fabs(tot)))
				emit(c, "table-sum", dt->path, t->lines[r],
				    "%s of %s is %s, but the rows above add up "
				    "to %g; expected their sum", t->cells[0][col],
				    t->cells[r][0], t->cells[r][col], sum);
		}
		from = r + 1;
	}
}

/* ---- the appendix tables ---- */

static const struct sg_data *
data_for(struct sg_report *r, const struct sg_schema_table *st)
{
	for (size_t i = 0; i < r->nindicators; i++) {
		const char *base = strrchr(r->indicators[i].rel, '/');
		base = base ? base + 1 : r->indicators[i].rel;
		if (sg_schema_table_for_file(r->schema, base) == st)
			return &r->indicators[i];
	}
	return NULL;
}

static void
check_core(struct ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	char yb[16];

	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);
		const struct sg_ind_value *v;
		char *nm;
		if (!st->rows[i].core)
			continue;
		nm = row_name(st, (int)i);
		if (row == NULL)
			emit(c, "core-empty", t->file, 0, "core (*) indicator %s "
			    "is not in the table; expected a row for it with its "
			    "%s value", nm, ylabel(t->year, yb));
		else if ((v = sg_ind_get(t, (int)i, t->year)) != NULL &&
		    v->state == SG_IND_EMPTY) {
			int others = 0;
			for (size_t y = 0; y < t->nyears; y++)
				if (t->years[y] != t->year &&
				    row->values[y].state == SG_IND_EMPTY)
					others++;
			emit(c, "core-empty", t->file, row->line, "core (*) "
			    "indicator %s is not filled in for %s%s; expected a "
			    "value, or '-' where it does not apply", nm,
			    ylabel(t->year, yb), others ? " (nor for the years "
			    "before)" : "");
		}
		free(nm);
	}
}

static void
check_units_serials(struct ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	int numbered = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		char *su = sg_schema_norm_unit(row->unit), *nm;
		numbered |= row->no[0] != '\0';
		if (*su && !sg_schema_unit_same(c->sc, sr->unit, row->unit)) {
			nm = row_name(st, row->srow);
			emit(c, "unit", t->file, row->line, "unit '%s' of %s "
			    "contradicts the template; expected %s", row->unit, nm,
			    *sr->unit ? sr->unit : "no unit (—)");
			free(nm);
		}
		free(su);
	}
	for (size_t i = 0; numbered && i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		const char *want = sr->depth == 0 && sr->main < 0 && sr->no ?
		    sr->no : "";
		char *no = sg_schema_fold(row->no), *nm;
		size_t n = strlen(no);
		/* "1." and "1、" are 1. */
		for (;;) {
			if (n > 0 && no[n - 1] == '.')
				n--;
			else if (n >= 3 && memcmp(no + n - 3, "、", 3) == 0)
				n -= 3;
			else
				break;
		}
		no[n] = '\0';
		if (strcmp(no, want) != 0) {
			const char *owner = NULL;
			for (size_t k = 0; k < st->nrows && !owner; k++)
				if (st->rows[k].no && strcmp(st->rows[k].no, no) == 0)
					owner = st->rows[k].name;
			nm = row_name(st, row->srow);
			if (*want == '\0')
				emit(c, "serial", t->file, row->line, "序号 '%s' on "
				    "%s, which has no number of its own; expected "
				    "the cell empty%s%s", row->no, nm, owner ?
				    ": it is the number of " : "", owner ? owner :
				    "");
			else if (*no == '\0')
				emit(c, "serial", t->file, row->line, "序号 is "
				    "empty on %s; expected %s", nm, want);
			else
				emit(c, "serial", t->file, row->line, "序号 '%s' "
				    "on %s; expected %s", row->no, nm, want);
			free(nm);
		}
		free(no);
	}
}

static void
check_values(struct ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	char yb[16];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		int pct = sg_ind_unit_is_percent(sr->unit);
		double lo = sr->has_range ? sr->rlo : 0;
		double hi = sr->has_range ? sr->rhi : pct ? 100 : HUGE_VAL;
		char *nm = row_name(st, row->srow);

		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_value *v = &row->values[y];
			if (v->state != SG_IND_NUM)
				continue;
			if (v->v < lo || v->v > hi) {
				char *h = isinf(hi) ? sg_xstrdup("or more") :
				    fmtv(hi, 0);
				emit(c, "range", t->file, row->line, "%s for %s is "
				    "%s%s; expected %g to %s%s", nm,
				    ylabel(t->years[y], yb), v->text, pct ? "%" :
				    "", lo, h, pct ? "%" : "");
				free(h);
				continue;
			}
			if (sr->has_plausible && (v->v < sr->plo ||
			    v->v > sr->phi)) {
				char hint[256] = "";
				double per;
				const char *w = v->v > sr->phi ? "the highest" :
				    "the lowest";
				double times = v->v > sr->phi ? v->v / sr->phi :
				    v->v > 0 ? sr->plo / v->v : 0;
				if (sr->per && ref_value(c, sr->per, t->years[y],
				    &per) == 0 && per > 0 && v->v / per >= sr->plo &&
				    v->v / per <= sr->phi) {
					char *q = fmtv(v->v / per, 2);
					snprintf(hint, sizeof(hint), " (%s ÷ %s %g = "
					    "%s would be: was a total entered?)",
					    v->text, ref_name(sr->per), per, q);
					free(q);
				}
				if (times > 0)
					emit(c, "plausible", t->file, row->line,
					    "%s for %s is %s %s, %.0f times %s "
					    "plausible value; expected %g to %g "
					    "%s%s", nm, ylabel(t->years[y], yb),
					    v->text, sr->unit, times, w, sr->plo,
					    sr->phi, sr->unit, hint);
				else
					emit(c, "plausible", t->file, row->line,
					    "%s for %s is %s %s; expected %g to %g "
					    "%s%s", nm, ylabel(t->years[y], yb),
					    v->text, sr->unit, sr->plo, sr->phi,
					    sr->unit, hint);
			}
		}
		free(nm);
	}
}

static void
check_parts(struct ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	char yb[16];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		const struct sg_ind_row *prow;
		if (!sr->part || sr->parent < 0 ||
		    (prow = sg_ind_row(t, sr->parent)) == NULL)
			continue;
		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_value *v = &row->values[y];
			const struct sg_ind_value *p = &prow->values[y];
			char *nm, *pn;
			if (v->state != SG_IND_NUM || p->state != SG_IND_NUM ||
			    v->v <= p->v + 1e-9 * fabs(p->v))
				continue;
			nm = row_name(st, row->srow);
			pn = row_name(st, sr->parent);
			emit(c, "part-exceeds", t->file, row->line, "其中 %s for %s "
			    "is %s, more than %s %s (line %d); expected a part to "
			    "be at most its whole", nm, ylabel(t->years[y], yb),
			    v->text, pn, p->text, prow->line);
			free(nm);
			free(pn);
		}
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		if (!st->rows[row->srow].total)
			continue;
		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_value *v = &row->values[y];
			struct sg_buf terms = {0};
			double sum = 0;
			int nums = 0, good = v->state == SG_IND_NUM, dec = v->decimals;
			for (size_t k = 0; k < st->nrows && good; k++) {
				const struct sg_ind_value *pv;
				if (st->rows[k].parent != row->srow ||
				    !st->rows[k].part)
					continue;
				pv = sg_ind_get(t, (int)k, t->years[y]);
				if (pv == NULL || pv->state == SG_IND_EMPTY) {
					good = 0;
					break;
				}
				sg_buf_printf(&terms, "%s%s", terms.len ? " + " :
				    "", pv->state == SG_IND_NUM ? pv->text : "-");
				if (pv->state == SG_IND_NUM) {
					sum += pv->v;
					nums++;
					dec = pv->decimals > dec ? pv->decimals : dec;
				}
			}
			if (good && nums && fabs(sum - v->v) >
			    0.5 * pow(10, -dec) + 1e-9) {
				char *nm = row_name(st, row->srow);
				char *ss = fmtv(sum, dec);
				emit(c, "total-sum", t->file, row->line, "%s for %s "
				    "is %s, but its parts add up to %s (%s); "
				    "expected the total of its parts", nm,
				    ylabel(t->years[y], yb), v->text, ss, terms.data);
				free(nm);
				free(ss);
			}
			sg_buf_clear(&terms);
		}
	}
}

/* 1 if a note under the table mentions the indicator: the school
 * explains a restatement there. */
static int
noted(const struct sg_ind_table *t, const char *name)
{
	for (size_t i = 0; i < t->notes.n; i++)
		if (strstr(t->notes.v[i], name))
			return 1;
	return 0;
}

static void
check_history(struct ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	const struct sg_schema_checks *k = &c->sc->checks;
	char yb[16], yb2[16];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		const struct sg_ind_value *cur = sg_ind_get(t, row->srow, t->year);
		double f = sr->change > 0 ? sr->change : k->change_factor;
		char *nm = row_name(st, row->srow);

		/* Restated: a past year's value against that year's report. */
		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_value *v = &row->values[y], *w;
			const struct sg_schema_table *st2;
			const struct sg_ind_table *t2;
			const struct sg_ind_row *r2;
			int srow2;
			if (t->years[y] >= t->year || v->state == SG_IND_EMPTY ||
			    noted(t, sr->name))
				continue;
			for (size_t ri = 0; ri < c->s->nreports; ri++) {
				struct sg_report *o = &c->s->reports[ri];
				if (o->year != t->years[y] || o->schema == NULL ||
				    (srow2 = sg_schema_find_key(o->schema, sr->key,
				    &st2)) < 0 || (t2 = sg_ind_report_table(o,
				    st2)) == NULL || (w = sg_ind_get(t2, srow2,
				    o->year)) == NULL || w->state == SG_IND_EMPTY ||
				    sg_ind_value_same(v, w))
					continue;
				r2 = sg_ind_row(t2, srow2);
				emit(c, "restated", t->file, row->line, "%s for %s "
				    "is %s here, but the %d report disclosed %s "
				    "(%s:%d); expected the figure as disclosed, or a "
				    "note (注：…) under the table saying why %s was "
				    "restated", nm, ylabel(t->years[y], yb), v->text,
				    o->year, w->text, t2->file, r2 ? r2->line : 0,
				    sr->name);
			}
		}
		/* Change from the year before. */
		if (f > 0 && cur && cur->state == SG_IND_NUM) {
			struct sg_ind_series se;
			const struct sg_ind_point *pt;
			sg_ind_series(c->s, sr->key, t->year, &se);
			pt = sg_ind_series_at(&se, t->year - 1);
			if (pt && pt->v && pt->v->state == SG_IND_NUM) {
				double a = fabs(pt->v->v), b = fabs(cur->v);
				double big = fmax(a, b);
				double times = a > 0 && b > 0 ? fmax(a / b, b / a) :
				    HUGE_VAL;
				if (big >= k->change_min && big > 0 && times > f) {
					char ts[64];
					if (isinf(times))
						snprintf(ts, sizeof(ts), "from or "
						    "to zero");
					else
						snprintf(ts, sizeof(ts), "%.1f times "
						    "%s", times, b > a ? "as much" :
						    "less");
					char *pa = with_unit(pt->v->text,
					    sr->unit);
					char *pb = with_unit(cur->text, sr->unit);
					emit(c, "change", t->file, row->line, "%s "
					    "went from %s in %s to %s in %s, %s; "
					    "expected at most %g times up or down "
					    "from one year to the next (a "
					    "mistake, or a change worth a note)",
					    nm, pa, ylabel(t->year - 1, yb2), pb,
					    ylabel(t->year, yb), ts, f);
					free(pa);
					free(pb);
				}
			}
			sg_ind_series_clear(&se);
		}
		free(nm);
	}
}

static void
check_tables(struct ctx *c)
{
	const struct sg_schema *sc = c->sc;
	char yb[16];

	for (size_t i = 0; i < sc->ntables; i++) {
		const struct sg_schema_table *st = &sc->tables[i];
		const struct sg_data *dt = data_for(c->r, st);
		const struct sg_ind_table *t;
		int filled = 0;

		if (dt == NULL) {
			char *p;
			if (!st->required)
				continue;
			p = sg_xasprintf("%s/indicators/%d-%s.csv", c->r->dir,
			    st->number, st->slug);
			emit(c, "table-missing", p, 0, "附表 %d %s is missing; "
			    "expected %s with the template's %zu rows", st->number,
			    st->name, p, st->nrows);
			for (size_t k = 0; k < st->nrows; k++)
				if (st->rows[k].core) {
					char *nm = row_name(st, (int)k);
					emit(c, "core-empty", p, 0, "core (*) "
					    "indicator %s is not disclosed (its table is "
					    "missing); expected its %s value", nm,
					    ylabel(c->r->year, yb));
					free(nm);
				}
			free(p);
			continue;
		}
		if ((t = dt->ind) == NULL)
			continue;	/* unreadable: load said why */
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t y = 0; y < t->nyears; y++)
				filled |= t->rows[r].values[y].state != SG_IND_EMPTY;
		if (!filled && st->required)
			emit(c, "table-empty", t->file, 1, "附表 %d %s has no value "
			    "filled in; expected the template's table filled in, "
			    "with '-' where an indicator does not apply",
			    st->number, st->name);
		check_core(c, t);
		check_units_serials(c, t);
		check_values(c, t);
		check_parts(c, t);
		check_history(c, t);
	}
}

/* ---- personal data ---- */

static const char *
privacy_rule(enum sg_privacy_kind k)
{
	return k == SG_PRIVACY_IDCARD ? "privacy-idcard" :
	    k == SG_PRIVACY_MOBILE ? "privacy-mobile" : "privacy-email";
}

/* 1 if value is on a public list (normalised as privacy.c does). */
static int
on_list(const struct sg_strv *l, const char *value)
{
	for (size_t i = 0; l && i < l->n; i++) {
		char *n = sg_privacy_norm(l->v[i]);
		int r = strcmp(n, value) == 0;
		free(n);
		if (r)
			return 1;
	}
	return 0;
}

/* A YAML line ending in "# allow: privacy" waives that line. */
static int
yaml_allows(const char *text, int line, const char *rule)
{
	const char *p = text, *e, *hash, *a;
	struct sg_strv words = {0};
	int r;

	for (int l = 1; l < line && p; l++)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (p == NULL)
		return 0;
	e = strchr(p, '\n');
	char *ln = e ? sg_xstrndup(p, (size_t)(e - p)) : sg_xstrdup(p);
	if ((hash = strrchr(ln, '#')) == NULL ||
	    (a = strstr(hash, "allow:")) == NULL) {
		free(ln);
		return 0;
	}
	for (char *w = strtok(ln + (a - ln) + 6, " ,[]\t\r"); w;
	    w = strtok(NULL, " ,[]\t\r"))
		sg_strv_push(&words, sg_xstrdup(w));
	r = listed(&words, rule);
	sg_strv_clear(&words);
	free(ln);
	return r;
}

static const char *
privacy_what(enum sg_privacy_kind k)
{
	return k == SG_PRIVACY_IDCARD ? "an ID-card number" :
	    k == SG_PRIVACY_MOBILE ? "a mobile phone number" :
	    "an email address";
}

/* Scans text of file (first line line0 + 1) for personal data. */
static void
scan(struct ctx *c, const char *file, const char *text, int line0,
    const struct sg_strv *pub, int yaml)
{
	struct sg_privacy_hit *h;
	size_t n;

	if (text == NULL)
		return;
	h = sg_privacy_scan(text, line0, &n);

	for (size_t i = 0; i < n; i++) {
		const char *rule = privacy_rule(h[i].kind);
		char *school = c->s->email ? sg_privacy_norm(c->s->email) : NULL;
		int ok = on_list(pub, h[i].value) || (c->r &&
		    on_list(&c->r->public, h[i].value)) ||
		    on_list(&c->s->phones, h[i].value) ||
		    (school && strcmp(school, h[i].value) == 0) ||
		    (yaml && yaml_allows(text, h[i].line - line0, rule));
		free(school);
		if (ok)
			continue;
		emit(c, rule, file, h[i].line, "%s (%s) is published; expected "
		    "no personal contact or identity data in a public report "
		    "(if it is an office's on purpose, list it under public: "
		    "in the file's front matter or report.yml)",
		    privacy_what(h[i].kind), h[i].masked);
	}
	sg_privacy_free(h, n);
}

static void
scan_table(struct ctx *c, const struct sg_data *dt)
{
	const struct sg_table *t = dt->table;

	for (size_t r = 0; t && r < t->nrows; r++)
		for (size_t col = 0; col < t->ncols; col++)
			scan(c, dt->path, t->cells[r][col], t->lines[r] - 1,
			    NULL, 0);
}

static void
check_privacy(struct ctx *c)
{
	struct sg_report *r = c->r;
	char *p;

	if (r->preface)
		scan(c, r->preface->path, r->preface->text, 0,
		    &r->preface->public, 0);
	for (size_t i = 0; i < r->nchapters; i++)
		scan(c, r->chapters[i].doc.path, r->chapters[i].doc.text, 0,
		    &r->chapters[i].doc.public, 0);
	for (size_t i = 0; i < r->ncases; i++)
		scan(c, r->cases[i].doc.path, r->cases[i].doc.text, 0,
		    &r->cases[i].doc.public, 0);
	for (size_t i = 0; i < r->ntables; i++)
		scan_table(c, &r->tables[i]);
	for (size_t i = 0; i < r->nindicators; i++)
		scan_table(c, &r->indicators[i]);
	if (r->yml) {
		p = sg_xasprintf("%s/report.yml", r->dir);
		scan(c, p, r->yml, 0, NULL, 1);
		free(p);
	}
}

/* ---- running ---- */

static void
check_report(struct ctx *c)
{
	if (c->sc) {
		check_tables(c);
		for (size_t i = 0; i < c->sc->checks.nfigs; i++)
			check_figure(c, &c->sc->checks.figs[i]);
		for (size_t i = 0; i < c->sc->checks.nratios; i++)
			check_ratio(c, &c->sc->checks.ratios[i]);
		for (size_t i = 0; i < c->sc->checks.nbounds; i++)
			check_bound(c, &c->sc->checks.bounds[i]);
		for (size_t i = 0; i < c->r->ntables; i++)
			if (c->r->tables[i].table)
				check_sums(c, &c->r->tables[i]);
	}
	check_privacy(c);
}

/* 1 if a finding about file concerns year (0: any). */
static int
of_year(const char *file, int year)
{
	char pre[32];

	if (year == 0 || file == NULL || strncmp(file, "content/", 8) != 0)
		return 1;
	snprintf(pre, sizeof(pre), "content/%d", year);
	return strncmp(file, pre, strlen(pre)) == 0 &&
	    (file[strlen(pre)] == '/' || file[strlen(pre)] == '\0');
}

void
sg_check_only_year(struct sg_diag *d, int year)
{
	size_t w = 0;

	for (size_t i = 0; i < d->n; i++) {
		if (!of_year(d->v[i].file, year)) {
			free(d->v[i].file);
			free(d->v[i].msg);
			continue;
		}
		d->v[w++] = d->v[i];
	}
	d->n = w;
}

int
sg_check_run(struct sg_site *site, int year, const struct sg_check_opts *opts,
    struct sg_diag *d)
{
	struct ctx c = {site, NULL, NULL, opts, d};
	int n = 0;

	/* The same finding, with check's severity. */
	if (opts->publish)
		for (size_t i = 0; i < d->n; i++) {
			const struct sg_check_rule *k = d->v[i].rule ?
			    find_rule(d->v[i].rule) : NULL;
			if (k && d->v[i].sev < k->publish)
				d->v[i].sev = k->publish;
		}
	for (size_t i = 0; i < site->nreports; i++) {
		if (year && site->reports[i].year != year)
			continue;
		c.r = &site->reports[i];
		c.sc = c.r->schema;
		check_report(&c);
	}
	if (site->yml) {
		c.r = NULL;
		scan(&c, "site.yml", site->yml, 0, NULL, 1);
	}
	for (size_t i = 0; i < d->n; i++)
		if (of_year(d->v[i].file, year) && (d->v[i].sev >= SG_ERROR ||
		    (opts->strict && d->v[i].sev == SG_WARNING)))
			n++;
	return n;
}
