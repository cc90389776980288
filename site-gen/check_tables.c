/*
 * check_tables: the appendix tables of a report against their template —
 * core indicators filled in, units, 序号, ranges and plausible values, parts
 * and totals, the change from last year and restatements of what an
 * earlier report disclosed, required tables present and filled in.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "diag.h"
#include "indicators.h"
#include "schema.h"
#include "sg.h"
#include "util.h"

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
check_core(struct sg_check_ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	char yb[16];

	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);
		const struct sg_ind_value *v;
		char *nm;
		if (!st->rows[i].core)
			continue;
		nm = sg_check_row_name(st, (int)i);
		if (row == NULL)
			sg_check_emit(c, SG_RULE_CORE_EMPTY, t->file, 0, "core (*) indicator %s "
			    "is not in the table; expected a row for it with its "
			    "%s value", nm, sg_check_ylabel(t->year, yb));
		else if ((v = sg_ind_get(t, (int)i, t->year)) != NULL &&
		    v->state == SG_IND_EMPTY) {
			int others = 0;
			for (size_t y = 0; y < t->nyears; y++)
				if (t->years[y] != t->year &&
				    row->values[y].state == SG_IND_EMPTY)
					others++;
			sg_check_emit(c, SG_RULE_CORE_EMPTY, t->file, row->line, "core (*) "
			    "indicator %s is not filled in for %s%s; expected a "
			    "value, or '-' where it does not apply", nm,
			    sg_check_ylabel(t->year, yb), others ? " (nor for the years "
			    "before)" : "");
		}
		free(nm);
	}
}

static void
check_units_serials(struct sg_check_ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	int numbered = 0;

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		char *su = sg_schema_norm_unit(row->unit), *nm;
		numbered |= row->no[0] != '\0';
		if (*su && !sg_schema_unit_same(c->sc, sr->unit, row->unit)) {
			nm = sg_check_row_name(st, row->srow);
			sg_check_emit(c, SG_RULE_UNIT, t->file, row->line, "unit '%s' of %s "
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
			nm = sg_check_row_name(st, row->srow);
			if (*want == '\0')
				sg_check_emit(c, SG_RULE_SERIAL, t->file, row->line, "序号 '%s' on "
				    "%s, which has no number of its own; expected "
				    "the cell empty%s%s", row->no, nm, owner ?
				    ": it is the number of " : "", owner ? owner :
				    "");
			else if (*no == '\0')
				sg_check_emit(c, SG_RULE_SERIAL, t->file, row->line, "序号 is "
				    "empty on %s; expected %s", nm, want);
			else
				sg_check_emit(c, SG_RULE_SERIAL, t->file, row->line, "序号 '%s' "
				    "on %s; expected %s", row->no, nm, want);
			free(nm);
		}
		free(no);
	}
}

static void
check_values(struct sg_check_ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	char yb[16];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		int pct = sg_ind_unit_is_percent(sr->unit);
		double lo = sr->has_range ? sr->rlo : 0;
		double hi = sr->has_range ? sr->rhi : pct ? 100 : HUGE_VAL;
		char *nm = sg_check_row_name(st, row->srow);

		for (size_t y = 0; y < t->nyears; y++) {
			const struct sg_ind_value *v = &row->values[y];
			if (v->state != SG_IND_NUM)
				continue;
			if (v->v < lo || v->v > hi) {
				char *h = isinf(hi) ? sg_xstrdup("or more") :
				    sg_ind_fmt(hi, 0);
				sg_check_emit(c, SG_RULE_RANGE, t->file, row->line, "%s for %s is "
				    "%s%s; expected %g to %s%s", nm,
				    sg_check_ylabel(t->years[y], yb), v->text, pct ? "%" :
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
				if (sr->per && sg_check_ref_value(c, sr->per, t->years[y],
				    &per) == 0 && per > 0 && v->v / per >= sr->plo &&
				    v->v / per <= sr->phi) {
					char *q = sg_ind_fmt(v->v / per, 2);
					snprintf(hint, sizeof(hint), " (%s ÷ %s %g = "
					    "%s would be: was a total entered?)",
					    v->text, sg_check_ref_name(sr->per), per, q);
					free(q);
				}
				if (times > 0)
					sg_check_emit(c, SG_RULE_PLAUSIBLE, t->file, row->line,
					    "%s for %s is %s %s, %.0f times %s "
					    "plausible value; expected %g to %g "
					    "%s%s", nm, sg_check_ylabel(t->years[y], yb),
					    v->text, sr->unit, times, w, sr->plo,
					    sr->phi, sr->unit, hint);
				else
					sg_check_emit(c, SG_RULE_PLAUSIBLE, t->file, row->line,
					    "%s for %s is %s %s; expected %g to %g "
					    "%s%s", nm, sg_check_ylabel(t->years[y], yb),
					    v->text, sr->unit, sr->plo, sr->phi,
					    sr->unit, hint);
			}
		}
		free(nm);
	}
}

static void
check_parts(struct sg_check_ctx *c, const struct sg_ind_table *t)
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
			nm = sg_check_row_name(st, row->srow);
			pn = sg_check_row_name(st, sr->parent);
			sg_check_emit(c, SG_RULE_PART_EXCEEDS, t->file, row->line, "其中 %s for %s "
			    "is %s, more than %s %s (line %d); expected a part to "
			    "be at most its whole", nm, sg_check_ylabel(t->years[y], yb),
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
				char *nm = sg_check_row_name(st, row->srow);
				char *ss = sg_ind_fmt(sum, dec);
				sg_check_emit(c, SG_RULE_TOTAL_SUM, t->file, row->line, "%s for %s "
				    "is %s, but its parts add up to %s (%s); "
				    "expected the total of its parts", nm,
				    sg_check_ylabel(t->years[y], yb), v->text, ss, terms.data);
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
check_history(struct sg_check_ctx *c, const struct sg_ind_table *t)
{
	const struct sg_schema_table *st = t->schema;
	const struct sg_schema_checks *k = &c->sc->checks;
	char yb[16], yb2[16];

	for (size_t i = 0; i < t->nrows; i++) {
		const struct sg_ind_row *row = &t->rows[i];
		const struct sg_schema_row *sr = &st->rows[row->srow];
		const struct sg_ind_value *cur = sg_ind_get(t, row->srow, t->year);
		double f = sr->change > 0 ? sr->change : k->change_factor;
		char *nm = sg_check_row_name(st, row->srow);

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
				sg_check_emit(c, SG_RULE_RESTATED, t->file, row->line, "%s for %s "
				    "is %s here, but the %d report disclosed %s "
				    "(%s:%d); expected the figure as disclosed, or a "
				    "note (注：…) under the table saying why %s was "
				    "restated", nm, sg_check_ylabel(t->years[y], yb), v->text,
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
					char *pa = sg_check_with_unit(pt->v->text,
					    sr->unit);
					char *pb = sg_check_with_unit(cur->text, sr->unit);
					sg_check_emit(c, SG_RULE_CHANGE, t->file, row->line, "%s "
					    "went from %s in %s to %s in %s, %s; "
					    "expected at most %g times up or down "
					    "from one year to the next (a "
					    "mistake, or a change worth a note)",
					    nm, pa, sg_check_ylabel(t->year - 1, yb2), pb,
					    sg_check_ylabel(t->year, yb), ts, f);
					free(pa);
					free(pb);
				}
			}
			sg_ind_series_clear(&se);
		}
		free(nm);
	}
}

void
sg_check_tables(struct sg_check_ctx *c)
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
			sg_check_emit(c, SG_RULE_TABLE_MISSING, p, 0, "附表 %d %s is missing; "
			    "expected %s with the template's %zu rows", st->number,
			    st->name, p, st->nrows);
			for (size_t k = 0; k < st->nrows; k++)
				if (st->rows[k].core) {
					char *nm = sg_check_row_name(st, (int)k);
					sg_check_emit(c, SG_RULE_CORE_EMPTY, p, 0, "core (*) "
					    "indicator %s is not disclosed (its table is "
					    "missing); expected its %s value", nm,
					    sg_check_ylabel(c->r->year, yb));
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
			sg_check_emit(c, SG_RULE_TABLE_EMPTY, t->file, 1, "附表 %d %s has no value "
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
