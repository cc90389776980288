/*
 * check_figures: figures a report states in several places — its appendix
 * rows, narrative tables (found by their header columns) and phrases of the
 * text — must agree; stated ratios must follow from the disclosed counts;
 * counts stay under their bounds; narrative tables add up.  What to compare
 * is the template's checks: block.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "check_int.h"
#include "diag.h"
#include "indicators.h"
#include "match.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

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
	char *n = sg_ind_fmt(s->v, s->dec), *r;

	r = s->approx ? sg_xasprintf("%s 多", n) : sg_xstrdup(n);
	free(n);
	return r;
}

/* The statements of row key in report r (each year column). */
static void
row_stmts(struct sg_check_ctx *c, const char *key, struct stmts *out)
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
		nm = sg_check_row_name(st, srow);
		push(out, t->years[i], v->v, v->decimals, t->file, row->line,
		    sg_xasprintf("附表 %d %s %s", st->number, st->name,
		    nm))->row = 1;
		free(nm);
	}
}

/* Narrative tables holding a figure, per locator. */
static void
table_stmts(struct sg_check_ctx *c, const struct sg_schema_locator *l,
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

/* ---- statements in the narrative ---- */

/* What the narrative states of each figure of the template, in reading
 * order: found document by document as each is read, so that only these
 * small facts are kept, not the folded text. */
struct sg_check_text {
	struct stmts	*figs;		/* one list per checks.figs[] */
	size_t		 n;
};

void
sg_check_text_free(struct sg_check_text *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		stmts_clear(&t->figs[i]);
	free(t->figs);
	free(t);
}

/* The statements one folded line f (line of file) makes with the phrases
 * pats, whose opening words (up to the first '{') are leads. */
static void
line_stmts(const struct sg_check_ctx *c, const char *file, int line,
    const char *f, const struct sg_strv *pats, char *const *leads,
    const unsigned char *has, struct stmts *out)
{
	size_t first = out->n;

	for (size_t k = 0; k < pats->n; k++) {
		/* Jump to where the phrase's opening words are: nowhere, if
		 * the line's one reading did not find them. */
		const char *lead = leads[k];
		size_t ll = strlen(lead);
		if (ll && !has[k])
			continue;
		for (size_t i = 0; f[i]; i++) {
			double v = 0;
			int dec = 0, approx = 0;
			size_t st, end;
			if (ll) {
				const char *h = strstr(f + i, lead);
				if (h == NULL)
					break;
				i = (size_t)(h - f);
			} else if ((f[i] & 0xC0) == 0x80)
				continue;
			st = i;
			end = pat_match(pats->v[k], f, i, &v, &dec, &approx, &st);
			if (end == 0)
				continue;
			/* Two phrases may find the same figure. */
			int seen = 0;
			for (size_t x = first; x < out->n && !seen; x++)
				seen = out->v[x].col == st;
			if (seen)
				continue;
			push(out, text_year(f, st, c->r->year), v, dec, file, line,
			    sg_xasprintf("“%.*s”", (int)(end - i), f + i))->approx =
			    approx;
			out->v[out->n - 1].col = st;
			i = end - 1;
		}
	}
}

struct sg_check_words *
sg_check_leads_new(const struct sg_schema *sc)
{
	const struct sg_schema_checks *k = &sc->checks;
	struct sg_check_words *l = sg_xcalloc(1, sizeof(*l));

	/* Every figure's phrases in a row, by their opening words. */
	for (size_t i = 0; i < k->nfigs; i++)
		for (size_t x = 0; x < k->figs[i].text.n; x++)
			sg_strv_push(&l->w, sg_xstrndup(k->figs[i].text.v[x],
			    strcspn(k->figs[i].text.v[x], "{")));
	if (l->w.n == 0) {
		free(l);
		return NULL;
	}
	l->m = sg_match_new((const char *const *)l->w.v, l->w.n);
	return l;
}

void
sg_check_leads_free(struct sg_check_words *l)
{
	if (l == NULL)
		return;
	sg_strv_clear(&l->w);
	sg_match_free(l->m);
	free(l);
}

static void
lead_hit(void *arg, size_t word, size_t end)
{
	unsigned char *has = arg;

	(void)end;
	has[word] = 1;
}

struct sg_check_text *
sg_check_doc_text(const struct sg_check_ctx *c, const struct sg_doc *doc,
    struct sg_check_lines *body)
{
	const struct sg_schema_checks *k = &c->sc->checks;
	const struct sg_check_words *leads = c->leads;
	struct sg_check_text *t = sg_xcalloc(1, sizeof(*t));
	unsigned char *has;
	int line = doc->body_line;

	t->n = k->nfigs;
	t->figs = sg_xcalloc(t->n + 1, sizeof(*t->figs));
	if (leads == NULL)
		return t;
	has = sg_xcalloc(leads->w.n, 1);
	/* Each line is folded once for all the figures (and the review),
	 * and read once for the opening words of all their phrases. */
	for (size_t n = 0; n < body->n; n++, line++) {
		const char *f = sg_check_lines_fold(body, n);
		size_t at = 0;
		memset(has, 0, leads->w.n);
		sg_match_each(leads->m, f, lead_hit, has);
		for (size_t i = 0; i < k->nfigs; i++) {
			if (k->figs[i].text.n)
				line_stmts(c, doc->path, line, f,
				    &k->figs[i].text, leads->w.v + at, has + at,
				    &t->figs[i]);
			at += k->figs[i].text.n;
		}
	}
	free(has);
	return t;
}

void
sg_check_text_join(struct sg_check_ctx *c, struct sg_check_text *t)
{
	if (c->text == NULL) {
		c->text = t;
		return;
	}
	for (size_t i = 0; i < t->n && i < c->text->n; i++) {
		struct stmts *dst = &c->text->figs[i], *src = &t->figs[i];
		if (src->n == 0)
			continue;
		dst->v = sg_xrealloc(dst->v, (dst->n + src->n) * sizeof(*dst->v));
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
		dst->n += src->n;
		free(src->v);
		src->v = NULL;
		src->n = 0;
	}
	sg_check_text_free(t);
}

void
sg_check_text_write(struct sg_buf *b, const struct sg_check_text *t)
{
	sg_cache_w_u64(b, t->n);
	for (size_t i = 0; i < t->n; i++) {
		const struct stmts *l = &t->figs[i];
		sg_cache_w_u64(b, l->n);
		for (size_t k = 0; k < l->n; k++) {
			const struct stmt *x = &l->v[k];
			sg_cache_w_i64(b, x->year);
			sg_cache_w_dbl(b, x->v);
			sg_cache_w_i64(b, x->dec);
			sg_cache_w_i64(b, x->approx);
			sg_cache_w_i64(b, x->row);
			sg_cache_w_str(b, x->file);
			sg_cache_w_i64(b, x->line);
			sg_cache_w_u64(b, x->col);
			sg_cache_w_str(b, x->what);
		}
	}
}

struct sg_check_text *
sg_check_text_read(struct sg_cache_r *r, const char *file)
{
	struct sg_check_text *t = sg_xcalloc(1, sizeof(*t));
	uint64_t n = sg_cache_r_u64(r);

	/* Every list takes a byte at least. */
	if (n > (uint64_t)(r->end - r->p))
		r->bad = 1;
	t->figs = sg_xcalloc(r->bad ? 1 : n + 1, sizeof(*t->figs));
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		struct stmts *l = &t->figs[t->n++];
		uint64_t m = sg_cache_r_u64(r);
		if (m > (uint64_t)(r->end - r->p))
			r->bad = 1;
		for (uint64_t k = 0; k < m && !r->bad; k++) {
			int year = (int)sg_cache_r_i64(r);
			double v = sg_cache_r_dbl(r);
			int dec = (int)sg_cache_r_i64(r);
			int approx = (int)sg_cache_r_i64(r);
			int row = (int)sg_cache_r_i64(r);
			char *f = sg_cache_r_str(r);
			int line = (int)sg_cache_r_i64(r);
			size_t col = (size_t)sg_cache_r_u64(r);
			char *what = sg_cache_r_str(r);
			/* Statements borrow the document's path. */
			if (f == NULL || file == NULL || strcmp(f, file) != 0)
				r->bad = 1;
			struct stmt *x = push(l, year, v, dec, file, line, what);
			x->approx = approx;
			x->row = row;
			x->col = col;
			free(f);
		}
	}
	return t;
}

void
sg_check_text_add(struct sg_check_text *t, size_t fig, int year, double v,
    int dec, int approx, const char *file, int line, size_t col, char *what)
{
	struct stmts *l;

	if (t == NULL || fig >= t->n) {
		free(what);
		return;
	}
	l = &t->figs[fig];
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].line == line && l->v[i].col == col &&
		    strcmp(l->v[i].file, file) == 0) {
			free(what);
			return;
		}
	push(l, year, v, dec, file, line, what)->approx = approx;
	l->v[l->n - 1].col = col;
}

/* The narrative's statements of figure f, in reading order. */
static void
text_stmts(struct sg_check_ctx *c, const struct sg_schema_fig *f,
    struct stmts *out)
{
	const struct stmts *l;
	size_t i = (size_t)(f - c->sc->checks.figs);

	if (c->text == NULL || i >= c->text->n)
		return;
	l = &c->text->figs[i];
	for (size_t k = 0; k < l->n; k++) {
		struct stmt *s = push(out, 0, 0, 0, NULL, 0, NULL);
		*s = l->v[k];
		s->what = sg_xstrdup(l->v[k].what);
	}
}

/* Every statement of ref (a row key, or a figure: its row and where the
 * narrative states it). */
static void
collect(struct sg_check_ctx *c, const char *ref, struct stmts *out)
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
	text_stmts(c, f, out);
}

/* The value of ref for year: the report's appendix row, else the site's
 * newest statement of that row, else (a figure without a row) the first
 * place the narrative states it.  Returns 0 or -1. */
int
sg_check_ref_value(struct sg_check_ctx *c, const char *ref, int year, double *v)
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
		/* No appendix value: what the narrative states of the
		 * figure of that row (a report without appendix tables). */
		for (size_t i = 0; rc && i < c->sc->checks.nfigs; i++) {
			f = &c->sc->checks.figs[i];
			if (f->row == NULL || strcmp(f->row, ref) != 0)
				continue;
			for (size_t k = 0; k < f->ntables; k++)
				table_stmts(c, &f->tables[k], &l);
			text_stmts(c, f, &l);
		}
		for (size_t i = 0; i < l.n && rc; i++)
			if (l.v[i].year == year && !l.v[i].approx) {
				*v = l.v[i].v;
				rc = 0;
			}
		stmts_clear(&l);
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
check_figure(struct sg_check_ctx *c, const struct sg_schema_fig *fig)
{
	struct stmts l = {0};
	char yb[16];

	struct {
		int	 year;
		size_t	 at;
	} *ref = NULL;
	size_t nref = 0;

	collect(c, fig->name, &l);
	/* Each year's reference: the appendix row (its statements come
	 * first), else the first place that states it. */
	for (size_t i = 0; i < l.n; i++) {
		size_t k;
		for (k = 0; k < nref && ref[k].year != l.v[i].year; k++)
			;
		if (k == nref) {
			ref = sg_xrealloc(ref, (nref + 1) * sizeof(*ref));
			ref[nref].year = l.v[i].year;
			ref[nref++].at = i;
		}
	}
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i], *a = NULL;
		char *bt, *at, hint[200] = "";
		for (size_t k = 0; k < nref && !a; k++)
			if (ref[k].year == b->year)
				a = &l.v[ref[k].at];
		if (a == b || a == NULL ||
		    same_figure(a, b, c->sc->checks.tolerance))
			continue;
		bt = stmt_text(b);
		/* A table a year off gives what the appendix row gives for
		 * the next or the previous year (row statements come first). */
		for (size_t k = 0; a->row && k < l.n && l.v[k].row && !hint[0];
		    k++) {
			struct stmt *x = &l.v[k];
			if (x != a &&
			    abs(x->year - b->year) == 1 &&
			    same_figure(x, b, c->sc->checks.tolerance))
				snprintf(hint, sizeof(hint), " (%s is the %d "
				    "figure there: are the years one off?)", bt,
				    x->year);
		}
		at = stmt_text(a);
		sg_check_emit(c, SG_RULE_AGREE, b->file, b->line, "%s%s%s for %s is %s, but %s "
		    "says %s (%s:%d); expected the same figure%s", b->row ? "" :
		    fig->name, b->row ? "" : ": ", b->what, sg_check_ylabel(b->year, yb),
		    bt, a->what, at, a->file, a->line, hint);
		free(bt);
		free(at);
	}
	free(ref);
	stmts_clear(&l);
}

static void
check_ratio(struct sg_check_ctx *c, const struct sg_schema_rel *q)
{
	struct stmts l = {0};
	char yb[16];

	collect(c, q->value, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i];
		double num, den, x, off;
		char *bt, *xs, *ns, *ds;
		if (b->approx || sg_check_ref_value(c, q->num, b->year, &num) == -1 ||
		    sg_check_ref_value(c, q->den, b->year, &den) == -1 || den == 0)
			continue;
		x = num / den * (q->percent ? 100.0 : 1.0);
		off = x != 0 ? fabs(b->v - x) / fabs(x) : fabs(b->v);
		if (off <= q->tolerance)
			continue;
		bt = stmt_text(b);
		xs = sg_ind_fmt(x, 2);
		ns = sg_ind_fmt(num, 0);
		ds = sg_ind_fmt(den, 0);
		sg_check_emit(c, SG_RULE_RATIO, b->file, b->line, "%s%s%s for %s is %s%s, but "
		    "%s %s ÷ %s %s%s = %s%s (%.1f%% off); expected within %g%% "
		    "of it", b->row ? "" : sg_check_ref_name(q->value), b->row ? "" :
		    ": ", b->what, sg_check_ylabel(b->year, yb), bt,
		    q->percent ? "%" : "", sg_check_ref_name(q->num), ns,
		    sg_check_ref_name(q->den), ds, q->percent ? " × 100" : "", xs,
		    q->percent ? "%" : "", off * 100, q->tolerance * 100);
		free(bt);
		free(xs);
		free(ns);
		free(ds);
	}
	stmts_clear(&l);
}

static void
check_bound(struct sg_check_ctx *c, const struct sg_schema_rel *q)
{
	struct stmts l = {0};
	char yb[16];

	collect(c, q->value, &l);
	for (size_t i = 0; i < l.n; i++) {
		struct stmt *b = &l.v[i];
		double max;
		char *bt, *ms;
		if (sg_check_ref_value(c, q->max, b->year, &max) == -1 ||
		    b->v <= max + 1e-9 * fabs(max))
			continue;
		bt = stmt_text(b);
		ms = sg_ind_fmt(max, 0);
		sg_check_emit(c, SG_RULE_AT_MOST, b->file, b->line, "%s for %s is %s, more than "
		    "%s %s; expected at most %s", b->what, sg_check_ylabel(b->year, yb),
		    bt, sg_check_ref_name(q->max), ms, ms);
		free(bt);
		free(ms);
	}
	stmts_clear(&l);
}

/* ---- narrative tables: rows and totals that add up ---- */

static void
check_sums(struct sg_check_ctx *c, const struct sg_data *dt)
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
				sg_check_emit(c, SG_RULE_TABLE_SUM, dt->path, t->lines[r],
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
				sg_check_emit(c, SG_RULE_TABLE_SUM, dt->path, t->lines[r],
				    "%s of %s is %s, but the rows above add up "
				    "to %g; expected their sum", t->cells[0][col],
				    t->cells[r][0], t->cells[r][col], sum);
		}
		from = r + 1;
	}
}

void
sg_check_figures(struct sg_check_ctx *c)
{
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
