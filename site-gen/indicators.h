/*
 * indicators: the appendix tables as typed data.  A school's CSV (already
 * split into cells by table.c) is read against the template's schema:
 * header columns are recognised, each row is matched to a schema row by
 * name and each cell becomes a number, "not applicable" (-) or "not filled
 * in" (empty).  On top of that: year-on-year change, the series of an
 * indicator across every report of the site (with restatements), the home
 * page's key figures.  indwrite.c writes the downloads.
 */
#ifndef SG_INDICATORS_H
#define SG_INDICATORS_H

#include <stddef.h>

#include "schema.h"
#include "sg.h"

struct sg_diag;
struct sg_table;

enum sg_ind_state {
	SG_IND_EMPTY,		/* not filled in (empty cell) */
	SG_IND_NA,		/* not applicable ("-") */
	SG_IND_NUM
};

struct sg_ind_value {
	enum sg_ind_state	 state;
	double			 v;
	int			 decimals;	/* digits after the point */
	char			*text;		/* normal form: "11346.87", "-", "" */
};

/* A CSV row matched to the schema. */
struct sg_ind_row {
	int			 srow;		/* schema row index */
	char			*no;		/* 序号 as written */
	char			*label;		/* 指标 as written, * dropped */
	char			*unit;		/* 单位 as written */
	int			 core_mark;	/* the CSV marked it with * */
	int			 line;		/* CSV line */
	struct sg_ind_value	*values;	/* one per year column */
	struct sg_ind_value	*cols;		/* one per schema column; a text
						   column keeps its text, with
						   state SG_IND_EMPTY if empty */
};

struct sg_ind_table {
	const struct sg_schema_table	*schema;	/* borrowed */
	char				*file;		/* content/…/3-resources.csv */
	int				 year;		/* the report's year */
	int				*years;		/* year columns, ascending */
	size_t				 nyears;
	struct sg_ind_row		*rows;		/* CSV order */
	size_t				 nrows;
	int				*by_srow;	/* schema row → row, or -1 */
	struct sg_strv			 notes;		/* 注：… lines under the table */
};

/*
 * Reads table t (from CSV file) as schema table st for a report of year.
 * Every problem is a finding at file:line; returns the typed table (free
 * with sg_ind_free), or NULL after an error — nothing half-read.
 */
struct sg_ind_table *sg_ind_parse(const struct sg_schema_table *st,
    const struct sg_table *t, int year, struct sg_diag *d);
void sg_ind_free(struct sg_ind_table *t);

/*
 * Parses one cell.  unit is the row's unit (a % sign is accepted only in
 * a % row, "18.1:1" only in a row without a unit).  Returns 0 and fills v
 * (clear with sg_ind_value_clear), or -1 and sets *why to a static reason.
 */
int sg_ind_value_parse(const char *cell, const char *unit,
    struct sg_ind_value *v, const char **why);
void sg_ind_value_clear(struct sg_ind_value *v);
/* 1 if a and b state the same thing (numbers equal, or the same state). */
int sg_ind_value_same(const struct sg_ind_value *a,
    const struct sg_ind_value *b);

/* The value of schema row srow for year in t, or NULL. */
const struct sg_ind_value *sg_ind_get(const struct sg_ind_table *t, int srow,
    int year);
/* The row of schema row srow, or NULL if the CSV has none. */
const struct sg_ind_row *sg_ind_row(const struct sg_ind_table *t, int srow);

/* 1 if a unit (as written or from the schema) is a percentage. */
int sg_ind_unit_is_percent(const char *unit);
/* A number with the given decimals, "-" for negatives ("1153.54").
 * Caller frees. */
char *sg_ind_fmt(double v, int decimals);

/* ---- change from one year to the next ---- */

enum sg_ind_change_kind {
	SG_CHANGE_MISSING,	/* a year is not filled in (or absent) */
	SG_CHANGE_NA,		/* a year is not applicable */
	SG_CHANGE_NUM
};

struct sg_ind_change {
	enum sg_ind_change_kind	 kind;
	double			 delta;		/* rounded to decimals */
	int			 decimals;
	int			 dir;		/* -1, 0, 1 */
	int			 points;	/* a % row: delta in 个百分点 */
	int			 has_pct;	/* relative change is defined */
	double			 pct;		/* percent of the earlier value */
};

/* The change from prev to cur (either may be NULL: missing). */
void sg_ind_change(const struct sg_ind_value *prev,
    const struct sg_ind_value *cur, int percent_unit,
    struct sg_ind_change *c);
/*
 * The change as text: "+70 (+13.4%)", "−1.00 (−5.2%)", "+77.59 个百分点",
 * "+3 (上年为 0)", "持平", "不适用", "未填报".  Caller frees.
 */
char *sg_ind_change_text(const struct sg_ind_change *c);
/* "增加", "减少", "持平" or NULL (no comparison). */
const char *sg_ind_change_word(const struct sg_ind_change *c);

/* ---- across reports ---- */

/* Report r's typed table for schema table st, or NULL. */
const struct sg_ind_table *sg_ind_report_table(const struct sg_report *r,
    const struct sg_schema_table *st);

/* One report's statement of a year's value. */
struct sg_ind_disclosure {
	int				 report;	/* report year */
	const struct sg_ind_value	*v;		/* borrowed */
};

/* An indicator's value for one year: what the newest report says, and
 * every report's statement when they differ (a restatement). */
struct sg_ind_point {
	int				 year;
	const struct sg_ind_value	*v;		/* newest statement */
	int				 report;	/* report that made it */
	struct sg_ind_disclosure	*discs;		/* oldest first */
	size_t				 ndiscs;
	int				 restated;	/* reports disagree */
};

struct sg_ind_series {
	struct sg_ind_point	*pts;		/* ascending by year */
	size_t			 n;
};

/*
 * The series of row key ("scorecard/毕业生人数") over the reports of site
 * up to year upto (0: all).  Clear with sg_ind_series_clear.
 */
void sg_ind_series(const struct sg_site *s, const char *key, int upto,
    struct sg_ind_series *out);
void sg_ind_series_clear(struct sg_ind_series *se);
/* The point of year, or NULL. */
const struct sg_ind_point *sg_ind_series_at(const struct sg_ind_series *se,
    int year);

/* A key figure of the latest report, computed. */
struct sg_ind_figure {
	const struct sg_schema_figure	*f;		/* borrowed */
	int				 year, prev_year;
	struct sg_ind_value		 cur, prev;	/* owned */
	char				*unit;
	struct sg_ind_change		 change;
};

/* The key figures of report r (its schema's list).  *n set; free with
 * sg_ind_figures_free. */
struct sg_ind_figure *sg_ind_figures(const struct sg_site *s,
    const struct sg_report *r, size_t *n);
void sg_ind_figures_free(struct sg_ind_figure *f, size_t n);

/* ---- loading ---- */

/*
 * Selects report r's template (r->template, named at report.yml line
 * r->template_line), loading it once per site into s->schemas, and reads
 * each of r's indicator CSVs against it into r->indicators[i].ind.
 * Problems are findings.
 */
void sg_ind_load(struct sg_site *s, struct sg_report *r, struct sg_diag *d);
/* Frees the site's loaded templates. */
void sg_ind_unload(struct sg_site *s);

#endif
