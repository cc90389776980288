/*
 * check_dates: rules date-invalid — a date that does not exist (6月31日,
 * 2024-02-30, a range 6.25-6.31) in the text or a table — and date-cutoff
 * — a date in a table after the data cut-off stated for it (截止 2024 年 8
 * 月 31 日 in a note right after the table, or in the table itself).  The
 * cut-off words are schemas/checks/dates.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
days_in(int y, int m)
{
	static const int md[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && y > 0)
		return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
	return md[m - 1];
}

/* Digits at s (at most max): their value, *n their count. */
static int
num(const char *s, size_t *n, size_t max)
{
	int v = 0;

	*n = 0;
	while (is_d(s[*n]) && *n < max)
		v = v * 10 + (s[(*n)++] - '0');
	return is_d(s[*n]) ? -1 : v;
}

struct date {
	int	 y, m, d;	/* y 0: not said; d 0: a month */
	size_t	 at, len;
};

/*
 * A date at folded f + i: [YYYY年]M月[D日], YYYY-M-D, YYYY.M.D, YYYY/M/D, or
 * (ranges only) M.D-M.D.  Returns 1 and fills *o.
 */
static int
date_at(const char *f, size_t i, struct date *o)
{
	size_t n, k = i;
	int y = 0, m, d = 0;

	if (!is_d(f[i]) || (i > 0 && (is_d(f[i - 1]) || f[i - 1] == '.')))
		return 0;
	memset(o, 0, sizeof(*o));
	if ((y = num(f + k, &n, 4)) >= 0 && n == 4 && y >= 1900 && y <= 2099) {
		k += 4;
		if (strncmp(f + k, "年", 3) == 0)
			k += 3;
		else if ((f[k] == '-' || f[k] == '.' || f[k] == '/') &&
		    is_d(f[k + 1])) {
			char sep = f[k++];
			if ((m = num(f + k, &n, 2)) < 1 || m > 12)
				return 0;
			k += n;
			if (f[k] != sep || (d = num(f + k + 1, &n, 2)) < 0 || n == 0)
				return 0;
			k += 1 + n;
			o->y = y;
			o->m = m;
			o->d = d;
			o->at = i;
			o->len = k - i;
			return 1;
		} else {
			/* 2024年 alone: a year. */
			o->y = y;
			o->at = i;
			o->len = 4;
			return 2;
		}
	} else
		y = 0;
	if ((m = num(f + k, &n, 2)) < 1 || m > 12 || n == 0 ||
	    (strncmp(f + k + n, "月", 3) != 0 && y != 0)) {
		if (y == 0)
			return 0;
		o->y = y;
		o->at = i;
		o->len = k - i;
		return 2;
	}
	if (strncmp(f + k + n, "月", 3) == 0) {
		k += n + 3;
		if ((d = num(f + k, &n, 2)) > 0 && strncmp(f + k + n, "日", 3) ==
		    0)
			k += n + 3;
		else if (strncmp(f + k + n, "号", 3) == 0 && d > 0)
			k += n + 3;
		else
			d = 0;
	} else if (y == 0 && f[k + n] == '.' && is_d(f[k + n + 1])) {
		/* M.DD, only as one end of a range: 6.25-6.31. */
		size_t m1 = n, dn;
		int dd = num(f + k + m1 + 1, &dn, 2);
		size_t e = k + m1 + 1 + dn;
		/* A range has a date on both sides of its '-': "-1.97个百分点"
		 * is a change, not the end of one. */
		int range = (f[e] == '-' && is_d(f[e + 1])) ||
		    (i > 1 && f[i - 1] == '-' && is_d(f[i - 2]));
		if (dd < 0 || dn != 2 || !range)
			return 0;
		d = dd;
		k = e;
	} else
		return 0;
	o->y = y;
	o->m = m;
	o->d = d;
	o->at = i;
	o->len = k - i;
	return 1;
}

static int
valid(const struct date *d)
{
	return d->d == 0 || (d->d >= 1 && d->d <= days_in(d->y, d->m));
}

static void
invalid_dates(struct sg_check_ctx *c, const char *file, int line,
    const char *f)
{
	struct date d;

	/* A date starts at a digit. */
	for (size_t i = 0; f[i += strcspn(f + i, "0123456789")]; i++)
		if (date_at(f, i, &d) == 1) {
			if (!valid(&d)) {
				sg_check_emit(c, SG_RULE_DATE_INVALID, file, line, "the "
				    "date '%.*s' does not exist: month %d has "
				    "%d days; expected a real date", (int)d.len,
				    f + d.at, d.m, days_in(d.y, d.m));
				return;
			}
			i = d.at + d.len - 1;
		}
}

/* The first cut-off date of folded f, as YYYYMMDD, or 0. */
static long
cutoff_in(const struct sg_check_ctx *c, const struct sg_check_line *l,
    const char *f)
{
	const struct sg_check_words *cw = sg_check_words(c, "dates", "cutoff");
	const char *w = l ? sg_check_line_word(l, cw) :
	    sg_check_word_in(cw, f);
	const char *p;
	struct date d;

	if (w == NULL)
		return 0;
	p = strstr(f, w) + strlen(w);
	for (size_t i = 0; p[i] && i < 24; i++)
		if (date_at(p, i, &d) == 1 && d.y && valid(&d))
			return d.y * 10000L + d.m * 100 + (d.d ? d.d :
			    days_in(d.y, d.m));
	return 0;
}

void
sg_check_dates_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out)
{
	long cut;

	invalid_dates(c, l->file, l->line, l->f);
	if ((cut = cutoff_in(c, l, l->f)) != 0) {
		struct sg_check_fact *x = sg_check_fact_add(out, SG_FACT_CUTOFF,
		    NULL, NULL, sg_xstrdup(l->f), l->file, l->line);
		x->v = (double)cut;
	}
}

/* Dates in table dt after cut (YYYYMMDD), said where: one finding. */
static void
after_cutoff(struct sg_check_ctx *c, const struct sg_data *dt, long cut,
    const char *where, int wline)
{
	const struct sg_table *t = dt->table;

	for (size_t r = 1; t && r < t->nrows; r++)
		for (size_t col = 0; col < t->ncols; col++) {
			char *f = sg_schema_fold(t->cells[r][col]);
			struct date d;
			for (size_t i = 0; f[i]; i++) {
				int k = date_at(f, i, &d);
				long v;
				if (k == 0)
					continue;
				/* A year alone is after only when all of it
				 * is. */
				v = d.m ? d.y * 10000L + d.m * 100 + (d.d ? d.d :
				    1) : d.y * 10000L + 101;
				if (d.y && v > cut && (d.m || d.y > cut / 10000)) {
					sg_check_emit(c, SG_RULE_DATE_CUTOFF, dt->path,
					    t->lines[r], "'%.*s' is after the "
					    "data cut-off %ld-%02ld-%02ld stated "
					    "for %s (%s:%d); expected only what "
					    "happened by then", (int)d.len, f + d.at,
					    cut / 10000, cut / 100 % 100, cut % 100,
					    dt->rel, where, wline);
					free(f);
					return;
				}
				i = d.at + (d.len ? d.len : 1) - 1;
			}
			free(f);
		}
}

static const struct sg_data *
table_of(struct sg_check_ctx *c, const char *rel)
{
	for (size_t i = 0; i < c->r->ntables; i++)
		if (strcmp(c->r->tables[i].rel, rel) == 0)
			return &c->r->tables[i];
	return NULL;
}

void
sg_check_dates(struct sg_check_ctx *c)
{
	/* A cut-off right after tables (within a few lines) is theirs. */
	for (size_t i = 0; i < c->facts->n; i++) {
		const struct sg_check_fact *x = &c->facts->v[i];
		int near = x->line;
		if (x->kind != SG_FACT_CUTOFF)
			continue;
		for (size_t k = i; k-- > 0;) {
			const struct sg_check_fact *y = &c->facts->v[k];
			const struct sg_data *dt;
			if (y->file != x->file || near - y->line > 4)
				break;
			if (y->kind != SG_FACT_TABLEREF)
				continue;
			near = y->line;
			if ((dt = table_of(c, y->subject)) != NULL)
				after_cutoff(c, dt, (long)x->v, x->file, x->line);
		}
	}
	for (size_t i = 0; i < c->r->ntables; i++) {
		const struct sg_data *dt = &c->r->tables[i];
		const struct sg_table *t = dt->table;
		long cut = 0;
		int at = 0;
		for (size_t r = 0; t && r < t->nrows; r++)
			for (size_t col = 0; col < t->ncols; col++) {
				char *f = sg_schema_fold(t->cells[r][col]);
				long k;
				invalid_dates(c, dt->path, t->lines[r], f);
				if (cut == 0 && (k = cutoff_in(c, NULL, f)) != 0) {
					cut = k;
					at = t->lines[r];
				}
				free(f);
			}
		if (cut)
			after_cutoff(c, dt, cut, dt->path, at);
	}
}
