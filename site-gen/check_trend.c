/*
 * check_trend: rule trend-words — "逐年上升", "稳步提高", "逐年下降" and the
 * like in a sentence about a series the report tabulates, where the series
 * does not move that way.  The series is the narrative-table column (rows
 * by year) that holds the figures the clause quotes ("从 77.15% 降至
 * 75.34%"), from the first to the last of them.  The words are
 * schemas/checks/trend.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

/* The figures of folded text s (at most 8). */
static size_t
figures(const char *s, size_t len, double *v, int *dec)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n < 8; i++) {
		size_t k = sg_check_number_at(s, i, &v[n], &dec[n]);
		if (k == 0)
			continue;
		/* Years are not figures of the series. */
		if (!(k == 4 && dec[n] == 0 && v[n] >= 1900 && v[n] <= 2099))
			n++;
		i += k - 1;
	}
	return n;
}

static int
cell_value(const char *cell, double *v, int *dec)
{
	char *f = sg_schema_fold(cell);
	size_t n = strlen(f), k;

	if (n && f[n - 1] == '%')
		f[--n] = '\0';
	k = n ? sg_check_number_at(f, 0, v, dec) : 0;
	free(f);
	return k && k == n ? 0 : -1;
}

static int
same(double a, double b, int dec)
{
	double h = 0.5;

	for (int i = 0; i < dec; i++)
		h /= 10;
	return a - b <= h && b - a <= h;
}

/* Finds the column and rows of a table holding first and last; returns
 * 1 and a finding if the series goes against up. */
static int
check_series(struct sg_check_ctx *c, const struct sg_check_line *l,
    const char *words, int up, double first, int d1, double last, int d2)
{
	for (size_t ti = 0; ti < c->r->ntables; ti++) {
		const struct sg_data *dt = &c->r->tables[ti];
		const struct sg_table *t = dt->table;
		for (size_t col = 1; t && t->nrows <= 1000 && col < t->ncols;
		    col++) {
			int r1 = -1, r2 = -1;
			for (size_t r = 1; r < t->nrows; r++) {
				double v;
				int dec;
				if (cell_value(t->cells[r][col], &v, &dec) == -1)
					continue;
				if (r1 < 0 && same(v, first, d1))
					r1 = (int)r;
				else if (r1 >= 0 && same(v, last, d2))
					r2 = (int)r;
			}
			if (r1 < 0 || r2 < 0 || r2 - r1 < 2)
				continue;
			/* The steps, and the first against the words. */
			struct sg_buf b = {0};
			int against = 0;
			double prev = 0;
			sg_buf_puts(&b, "");
			for (int r = r1; r <= r2; r++) {
				double v;
				int dec;
				if (cell_value(t->cells[r][col], &v, &dec) == -1)
					continue;
				sg_buf_printf(&b, "%s%s (%s)", r > r1 ? ", " : "",
				    t->cells[r][col], t->cells[r][0]);
				if (r > r1 && !against && (up ? v < prev : v > prev))
					against = r;
				prev = v;
			}
			if (against)
				sg_check_emit(c, SG_RULE_TREND_WORDS, l->file, l->line,
				    "the text says %s, but %s in %s goes %s: it "
				    "%s from %s to %s; expected words that say how "
				    "the series moves", words, t->cells[0][col],
				    dt->rel, b.data, up ? "falls" : "rises",
				    t->cells[against - 1][0], t->cells[against][0]);
			sg_buf_clear(&b);
			return 1;
		}
	}
	return 0;
}

/* 1 if a clause ends at f[i]: a comma, or a full stop that is not a
 * decimal point. */
static int
ends(const char *f, size_t i)
{
	if (f[i] == '.')
		return !(i > 0 && f[i - 1] >= '0' && f[i - 1] <= '9' &&
		    f[i + 1] >= '0' && f[i + 1] <= '9');
	return strchr(",;!?", f[i]) != NULL;
}

void
sg_check_trend_line(struct sg_check_ctx *c, const struct sg_check_line *l)
{
	const struct sg_check_words *up = sg_check_words(c, "trend", "up");
	const struct sg_check_words *down = sg_check_words(c, "trend",
	    "down");
	const char *f = l->f;
	int tried = 0;

	if (!sg_check_line_word(l, up) && !sg_check_line_word(l, down))
		return;
	/* A paragraph says so a few times, not thousands. */
	for (size_t i = 0; f[i] && tried < 50; i++) {
		size_t nu = sg_check_word_at(up, f + i), nd = nu ? 0 :
		    sg_check_word_at(down, f + i), a, b;
		double v[8];
		int dec[8];
		size_t n;
		if (nu == 0 && nd == 0)
			continue;
		/* Its clause, or the next one when it quotes nothing. */
		for (a = i; a > 0 && i - a < 300 && !ends(f, a - 1); a--)
			;
		while (((unsigned char)f[a] & 0xC0) == 0x80)
			a++;
		for (b = i; f[b] && b - i < 300 && !ends(f, b); b++)
			;
		n = figures(f + a, b - a, v, dec);
		if (n < 2 && f[b] == ',') {
			size_t b2;
			for (b2 = b + 1; f[b2] && b2 - b < 300 && !ends(f, b2); b2++)
				;
			n = figures(f + b + 1, b2 - b - 1, v, dec);
		}
		char *w = sg_xasprintf("“%.*s”", (int)(nu + nd), f + i);
		tried++;
		if (n >= 2)
			check_series(c, l, w, nu > 0, v[0], dec[0], v[n - 1],
			    dec[n - 1]);
		free(w);
		i += nu + nd - 1;
	}
}
