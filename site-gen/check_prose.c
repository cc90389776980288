/*
 * check_prose: figures stated in prose, however a school words them — a
 * subject, a number, a unit (学校教职工 127 人, 44 个教学班, 生师比 18:1).
 * A subject that names a template figure (schemas/checks/prose.yml says
 * how schools word each) becomes a statement of it, so that agree, ratio
 * and at-most see it; a subject that names a narrative table's row is
 * compared with that row (text-table).  Shares are checked against the
 * counts they are of: "专任教师 104 人，占教职工的 81.9%" against 104 ÷
 * 127 (share), and a percentage of a known count must give a whole number
 * of people within the rounding printed (share-people).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

#define L(k) sg_check_list(c, "prose", k)
#define W(k) sg_check_words(c, "prose", k)

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* A clause ends at these (folded) signs. */
static int
boundary(const char *f, size_t i)
{
	if (f[i] == '.')
		return sg_check_stop(f, i);
	return (f[i] && strchr(",;!?()[]\"'|<>", f[i]) != NULL) ||
	    strncmp(f + i, "、", 3) == 0 || strncmp(f + i, "《", 3) == 0 ||
	    strncmp(f + i, "》", 3) == 0;
}

/* Start of the character before byte i. */
static size_t
back(const char *f, size_t i)
{
	while (i > 0 && ((unsigned char)f[--i] & 0xC0) == 0x80)
		;
	return i;
}

/* s without the words of list at its end (ends) or start, repeatedly. */
static void
strip(const struct sg_strv *words, char *s, int ends)
{
	size_t len = strlen(s);

	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; i < words->n; i++) {
			size_t n = strlen(words->v[i]);
			if (n == 0 || n > len)
				continue;
			if (ends && memcmp(s + len - n, words->v[i], n) == 0) {
				s[len -= n] = '\0';
				again = 1;
			} else if (!ends && memcmp(s, words->v[i], n) == 0) {
				memmove(s, s + n, len - n + 1);
				len -= n;
				again = 1;
			}
		}
	}
}

/* The year a figure at pos is for: the last year named before it in its
 * sentence (2023 年, 2023 届, 2023 学年), else dflt. */
static int
year_before(const char *f, size_t pos, int dflt)
{
	size_t st = 0;
	int y = dflt;

	for (size_t i = 0; i < pos; i++)
		if (f[i] == '!' || f[i] == '?' || f[i] == ';' || (f[i] == '.' &&
		    !(i > 0 && is_d(f[i - 1]) && is_d(f[i + 1]))))
			st = i + 1;
	for (size_t i = st; i + 4 < pos; i++) {
		if ((i > 0 && is_d(f[i - 1])) || !is_d(f[i]) || !is_d(f[i + 1]) ||
		    !is_d(f[i + 2]) || !is_d(f[i + 3]) || is_d(f[i + 4]))
			continue;
		int v = atoi(f + i);
		const char *r = f + i + 4;
		if (v >= 1900 && v <= 2099 && (strncmp(r, "年", 3) == 0 ||
		    strncmp(r, "届", 3) == 0 || strncmp(r, "学年", 6) == 0))
			y = v;
	}
	return y;
}

/* The next token of *p split by tabs, as strtok would give it (runs of
 * tabs are one split): its length, *p moved past it; 0 at the end. */
static size_t
tab_token(const char **p, const char **tok)
{
	size_t n;

	*p += strspn(*p, "\t");
	*tok = *p;
	n = strcspn(*p, "\t");
	*p += n;
	return n;
}

/* 1 if the n bytes at s are the string w. */
static int
token_is(const char *s, size_t n, const char *w)
{
	return strncmp(s, w, n) == 0 && w[n] == '\0';
}

/* The figure (index in checks.figs) whose wording is subject, with a unit
 * that agrees with unit; -1 if none.  Read in place: it is asked for
 * each count the prose states. */
static int
figure_of(const struct sg_check_ctx *c, const char *subject, const char *unit)
{
	const struct sg_strv *figs = L("figures");
	const struct sg_strv *people = L("people");

	if (c->sc == NULL || *subject == '\0')
		return -1;
	for (size_t i = 0; i < figs->n; i++) {
		const char *p = figs->v[i], *name, *fu, *w;
		size_t nn = tab_token(&p, &name), nu, nw;
		int hit = 0;
		if (nn == 0 || (nu = tab_token(&p, &fu)) == 0)
			continue;
		while (!hit && (nw = tab_token(&p, &w)) != 0)
			hit = token_is(w, nw, subject);
		if (!hit)
			continue;
		if (!token_is(fu, nu, unit)) {
			/* Units of people agree (人, 名). */
			char *u = sg_xstrndup(fu, nu);
			int ok = sg_strv_has(people, u) && sg_strv_has(people,
			    unit);
			free(u);
			if (!ok)
				continue;
		}
		for (size_t k = 0; k < c->sc->checks.nfigs; k++)
			if (token_is(name, nn, c->sc->checks.figs[k].name))
				return (int)k;
	}
	return -1;
}

void
sg_check_prose_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out, struct sg_check_text *t)
{
	const char *f = l->f;
	size_t last_count = (size_t)-1;	/* out index of the line's last count */

	/* A document states some hundreds of figures; past this many the
	 * rules across them would take quadratic time on hostile input. */
	if (l->heading || strstr(f, "](") || out->n > 2000)
		return;
	for (size_t i = 0; out->n <= 2000; i++) {
		double v;
		int dec, approx = 0;
		size_t n, e, un, a, s0;
		/* A figure starts at a digit. */
		i += strcspn(f + i, "0123456789");
		if (f[i] == '\0')
			break;
		if ((n = sg_check_number_at(f, i, &v, &dec)) == 0)
			continue;
		e = i + n;
		if ((a = sg_check_word_at(W("approx"), f + e)) != 0) {
			approx = 1;
			e += a;
		}
		if ((un = sg_check_word_at(W("units"), f + e)) == 0) {
			i = e - 1;
			continue;
		}
		/* 2024年, 3月: not counts; nor a date's parts. */
		char *unit = sg_xstrndup(f + e, un);
		/* The subject before: back to the clause's start. */
		s0 = i;
		while (s0 > 0 && i - s0 < 120 && !boundary(f, back(f, s0)))
			s0 = back(f, s0);
		char *pre = sg_xstrndup(f + s0, i - s0), *whole = NULL;
		strip(L("fillers"), pre, 1);
		/* A share: "(党员)占教职工的33.0%", the whole after the last
		 * share word. */
		size_t before = 0;	/* bytes of a subject before 占 */
		for (size_t k = 0; k < L("share")->n; k++) {
			const char *w = L("share")->v[k], *h = pre, *last = NULL;
			while (*w && (h = strstr(h, w)) != NULL)
				last = h++;
			if (last && (whole == NULL || last + strlen(w) >
			    pre + strlen(pre) - strlen(whole))) {
				free(whole);
				whole = sg_xstrdup(last + strlen(w));
				before = (size_t)(last - pre);
			}
		}
		int share = whole != NULL;
		/* Only the last words: a subject is short. */
		while (sg_check_chars(pre, strlen(pre)) > 12) {
			const char *p = pre;
			sg_utf8_next(&p);
			memmove(pre, p, strlen(p) + 1);
		}
		/* Digits before (2024年学校…) end the subject there. */
		for (size_t k = strlen(pre); k > 0; k--)
			if (is_d(pre[k - 1]) || pre[k - 1] == '%') {
				memmove(pre, pre + k, strlen(pre + k) + 1);
				break;
			}
		strip(L("drop"), pre, 0);
		/* The counted noun after: 44个教学班. */
		size_t ae = e + un;
		while (f[ae] && !boundary(f, ae) && !is_d(f[ae]) &&
		    sg_check_chars(f + e + un, ae - (e + un)) < 6)
			do
				ae++;
			while (((unsigned char)f[ae] & 0xC0) == 0x80);
		char *alt = sg_xstrndup(f + e + un, ae - (e + un));
		char *what = sg_xasprintf("“%.*s”", (int)(ae - s0), f + s0);
		int year = year_before(f, i, c->r->year);

		if (share) {
			struct sg_check_fact *x;
			strip(L("share_tail"), whole, 1);
			x = sg_check_fact_add(out, SG_FACT_SHARE, whole, unit, what,
			    l->file, l->line);
			x->v = v;
			x->dec = dec;
			x->year = year;
			x->col = i;
			x->v2 = -1;
			/* Its part: the count stated just before in the
			 * line ("专任教师104人,占…"), unless a subject of its
			 * own stands before 占 (党员占…). */
			if (before == 0 && last_count != (size_t)-1 &&
			    sg_strv_has(L("people"), out->v[last_count].unit) &&
			    !out->v[last_count].approx)
				x->v2 = out->v[last_count].v;
			free(pre);
			free(alt);
			i = ae > i ? ae - 1 : i;
			continue;
		}
		int fig = figure_of(c, pre, unit);
		if (fig < 0 && *pre == '\0')
			fig = figure_of(c, alt, unit);
		if (fig >= 0 && t)
			sg_check_text_add(t, (size_t)fig, year, v, dec, approx,
			    l->file, l->line, i, sg_xstrdup(what));
		struct sg_check_fact *x = sg_check_fact_add(out, SG_FACT_COUNT,
		    pre, unit, what, l->file, l->line);
		x->alt = alt;
		x->v = v;
		x->dec = dec;
		x->approx = approx;
		x->year = year;
		x->col = i;
		last_count = out->n - 1;
		i = ae > i ? ae - 1 : i;
	}
}

/* ---- across the report ---- */

static double
half_unit(int dec)
{
	return 0.5 * pow(10, -dec) + 1e-9;
}

/* The count named whole, stated for year: the nearest statement before
 * at (same file first), else the template figure's value. */
static int
whole_value(struct sg_check_ctx *c, const struct sg_check_fact *at,
    const char *whole, double *w)
{
	const struct sg_check_fact *best = NULL;
	int fig;

	for (size_t i = 0; i < c->facts->n; i++) {
		const struct sg_check_fact *x = &c->facts->v[i];
		if (x->kind != SG_FACT_COUNT || x->approx || x->year != at->year ||
		    (strcmp(x->subject, whole) != 0 && !(*x->subject == '\0' &&
		    x->alt && strcmp(x->alt, whole) == 0)) ||
		    !sg_strv_has(L("people"), x->unit))
			continue;
		if (x->file == at->file && (x->line < at->line ||
		    (x->line == at->line && x->col < at->col)))
			best = x;
		else if (best == NULL)
			best = x;
	}
	if (best) {
		*w = best->v;
		return 0;
	}
	if ((fig = figure_of(c, whole, "人")) >= 0)
		return sg_check_ref_value(c, c->sc->checks.figs[fig].name,
		    at->year, w);
	return -1;
}

/* 1 if some whole number of people in [lo, hi]. */
static int
whole_in(double lo, double hi)
{
	return floor(hi + 1e-9) >= ceil(lo - 1e-9);
}

static void
check_shares(struct sg_check_ctx *c)
{
	for (size_t i = 0; i < c->facts->n; i++) {
		const struct sg_check_fact *x = &c->facts->v[i];
		double w, p, h;
		if (x->kind != SG_FACT_SHARE || strcmp(x->unit, "%") != 0 ||
		    *x->subject == '\0' || whole_value(c, x, x->subject, &w) == -1 ||
		    w <= 0)
			continue;
		h = half_unit(x->dec);
		if (x->v2 >= 0) {
			p = x->v2 / w * 100;
			/* Rounded or cut off to the decimals printed. */
			if (fabs(p - x->v) <= h || (p >= x->v && p < x->v + 2 * h))
				continue;
			sg_check_emit(c, SG_RULE_SHARE, x->file, x->line, "%s: %g ÷ %s %g "
			    "is %.*f%%, not %.*f%%; expected the share of the "
			    "counts stated", x->text, x->v2, x->subject, w,
			    x->dec + 1, p, x->dec, x->v);
			continue;
		}
		if (!whole_in((x->v - h) * w / 100, (x->v + h) * w / 100))
			sg_check_emit(c, SG_RULE_SHARE_PEOPLE, x->file, x->line, "%s: "
			    "%.*f%% of %s %g is %.2f people, and no whole number "
			    "of them gives %.*f%%; expected a share that some "
			    "number of the %g is", x->text, x->dec, x->v,
			    x->subject, w, x->v * w / 100, x->dec, x->v, w);
	}
}

static int
header_ends(const struct sg_strv *words, const char *cell)
{
	char *bare, *n = sg_schema_norm(cell);
	size_t len = strlen(n);
	int r = 0;

	bare = n;
	if (len && n[len - 1] == ')' && strrchr(n, '('))
		*strrchr(n, '(') = '\0';
	for (size_t i = 0; i < words->n && !r; i++)
		r = sg_has_suffix(bare, words->v[i]);
	free(n);
	return r;
}

/* Bytes two headers share at their start. */
static size_t
common(const char *a, const char *b)
{
	size_t n = 0;

	while (a[n] && a[n] == b[n])
		n++;
	while (n > 0 && ((unsigned char)a[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int
cell_number(const char *cell, double *v, int *dec, int *pct)
{
	char *f = sg_schema_fold(cell);
	size_t n = strlen(f), k;

	*pct = n > 0 && f[n - 1] == '%';
	if (*pct)
		f[--n] = '\0';
	k = n ? sg_check_number_at(f, 0, v, dec) : 0;
	free(f);
	return k > 0 && k == n ? 0 : -1;
}

/* Narrative tables: a percentage of the row's total people. */
static void
table_shares(struct sg_check_ctx *c, const struct sg_data *dt)
{
	const struct sg_table *t = dt->table;

	if (t == NULL || t->nrows < 2)
		return;
	for (size_t pc = 0; pc < t->ncols; pc++) {
		int tc = -1;
		size_t best = 0;
		if (!header_ends(L("share_columns"), t->cells[0][pc]))
			continue;
		for (size_t k = 0; k < t->ncols; k++) {
			size_t cm;
			if (!header_ends(L("total_columns"), t->cells[0][k]))
				continue;
			cm = common(t->cells[0][k], t->cells[0][pc]);
			if (tc < 0 || cm > best) {
				tc = (int)k;
				best = cm;
			}
		}
		if (tc < 0)
			continue;
		for (size_t r = 1; r < t->nrows; r++) {
			double p, w, wd;
			int dec, d2, pct, pct2;
			if (cell_number(t->cells[r][pc], &p, &dec, &pct) == -1 ||
			    !pct || cell_number(t->cells[r][tc], &w, &d2,
			    &pct2) == -1 || pct2 || d2 || w <= 0)
				continue;
			wd = half_unit(dec);
			if (whole_in((p - wd) * w / 100, (p + wd) * w / 100))
				continue;
			sg_check_emit(c, SG_RULE_SHARE_PEOPLE, dt->path, t->lines[r],
			    "%s of %s is %s, %.2f of its %s %g, and no whole "
			    "number of people gives it; expected a share that "
			    "some number of the %g is", t->cells[0][pc],
			    t->cells[r][0], t->cells[r][pc], p * w / 100,
			    t->cells[0][tc], w, w);
		}
	}
}

/* text-table: a count the text states of a row a narrative table has. */
static void
check_text_tables(struct sg_check_ctx *c)
{
	const struct sg_strv *cols = L("table_columns");
	const struct sg_strv *suf = L("label_suffixes");

	for (size_t i = 0; i < c->facts->n; i++) {
		const struct sg_check_fact *x = &c->facts->v[i];
		if (x->kind != SG_FACT_COUNT || *x->subject == '\0' ||
		    x->year != c->r->year)
			continue;
		/* The columns that hold counts of its unit. */
		const char *colw = NULL;
		for (size_t k = 0; k < cols->n && !colw; k++)
			if (strncmp(cols->v[k], x->unit, strlen(x->unit)) == 0 &&
			    cols->v[k][strlen(x->unit)] == '\t')
				colw = cols->v[k] + strlen(x->unit) + 1;
		if (colw == NULL)
			continue;
		char *label = sg_xstrdup(x->subject);
		strip(suf, label, 1);
		for (size_t ti = 0; ti < c->r->ntables; ti++) {
			const struct sg_data *dt = &c->r->tables[ti];
			const struct sg_table *t = dt->table;
			int vc = -1, done = 0;
			/* Narrative tables are small; a huge one is data, not
			 * worth a pass per figure of the text. */
			if (t == NULL || t->nrows < 2 || t->nrows > 1000)
				continue;
			for (size_t k = 0; k < t->ncols && vc < 0; k++) {
				char *n = sg_schema_norm(t->cells[0][k]), *b;
				size_t len = strlen(n);
				if (len && n[len - 1] == ')' && (b = strrchr(n, '(')))
					*b = '\0';
				for (const char *w = colw; *w && vc < 0;) {
					size_t wl = strcspn(w, "\t");
					if (wl == strlen(n) && strncmp(w, n, wl) == 0)
						vc = (int)k;
					w += wl + (w[wl] ? 1 : 0);
				}
				free(n);
			}
			for (size_t r = 1; vc >= 0 && r < t->nrows && !done; r++)
				for (size_t k = 0; k < t->ncols && !done; k++) {
					char *n;
					double v;
					int dec, pct;
					if ((int)k == vc)
						continue;
					n = sg_schema_norm(t->cells[r][k]);
					if ((strcmp(n, label) == 0 || strcmp(n,
					    x->subject) == 0) && cell_number(
					    t->cells[r][vc], &v, &dec, &pct) == 0) {
						done = 1;
						if (fabs(v - x->v) > half_unit(dec <
						    x->dec ? dec : x->dec) &&
						    !(x->approx && v >= x->v))
							sg_check_emit(c, SG_RULE_TEXT_TABLE,
							    x->file, x->line, "%s "
							    "says %g %s, but %s has %s "
							    "for %s (%s:%d); expected "
							    "the same count", x->text,
							    x->v, x->unit, dt->rel,
							    t->cells[r][vc],
							    t->cells[r][k], dt->path,
							    t->lines[r]);
					}
					free(n);
				}
		}
		free(label);
	}
}

void
sg_check_prose(struct sg_check_ctx *c)
{
	check_shares(c);
	check_text_tables(c);
	for (size_t i = 0; i < c->r->ntables; i++)
		table_shares(c, &c->r->tables[i]);
}
