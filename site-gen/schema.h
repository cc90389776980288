/*
 * schema: the national structure of the six appendix tables (附表), one
 * YAML file per template id (schemas/zz-2024.yml), selected by report.yml's
 * `template:`.  It says which indicators each table has, in which order,
 * with which unit, which are core (*) and how sub-rows hang together; a
 * school's CSV rows are matched to it by name.  indicators.c reads the CSVs
 * against it; `check` rules can walk it.
 */
#ifndef SG_SCHEMA_H
#define SG_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct sg_diag;
struct sg_source;

/* One indicator (or one more unit of the indicator before it). */
struct sg_schema_row {
	char	*name;		/* national name, no 其中： and no * */
	char	*norm;		/* name as sg_schema_norm gives it */
	char	*key;		/* "resources/专业教学资源库数/国家级数量";
				   "…@学时" for a second-unit row */
	char	*unit;		/* national unit; "" for none (生师比) */
	char	*no;		/* national 序号 of a top-level row, or NULL */
	int	 core;		/* core indicator, printed with * */
	int	 depth;		/* 0 top level, 1 sub-row, 2 … */
	int	 parent;	/* index of the parent row, or -1.  A second-unit
				   row's parent is the parent's row in that unit
				   when there is one. */
	int	 main;		/* second-unit row: index of the row whose
				   indicator it continues; else -1 */
	int	 part;		/* its value is part of the parent's (其中):
				   same unit, never more */
	int	 total;		/* its part rows add up to it */
	int	 line;		/* line in the schema file */
	/* For check.c: */
	int	 has_plausible;	/* plausible: [plo, phi] */
	double	 plo, phi;
	int	 has_range;	/* range: [rlo, rhi]; % rows default to 0–100 */
	double	 rlo, rhi;
	double	 change;	/* change: factor, or 0 for the schema's */
	char	*per;		/* per: row key, or NULL */
};

/* A per-row column after the year columns (调查人数, 调查方式). */
struct sg_schema_col {
	char	*name;
	char	*norm;
	char	*unit;		/* NULL for text */
	int	 number;	/* typed as a number */
};

struct sg_schema_table {
	int			 number;	/* 附表 N */
	char			*slug;		/* "scorecard": indicators/1-scorecard.csv */
	char			*name;		/* 人才培养质量计分卡 */
	struct sg_schema_col	*cols;
	size_t			 ncols;
	struct sg_schema_row	*rows;		/* national order, parents first */
	size_t			 nrows;
	int			 required;	/* a report must have it (default) */
};

/* A figure the home page shows for the latest year. */
struct sg_schema_figure {
	char	*label;
	char	*value;		/* row key */
	char	*per;		/* row key of the divisor, or NULL */
	char	*unit;		/* unit of a ratio figure, or NULL */
	char	*note;		/* how it is computed, or NULL */
};

/*
 * The rule data of `site-gen check` (the checks: block of a template file).
 * A "ref" names a row by key ("policy/全日制在校生人数") or a figure by name.
 */

/* Where a figure stands in a narrative table (tables/NAME.csv). */
struct sg_schema_locator {
	struct sg_strv	 header;	/* columns the table must have */
	char		*value;		/* the column of the figure */
	struct sg_strv	 rows;		/* in the row labelled one of these */
	char		*label;		/* or in the row labelled this */
	int		 years;		/* or: 1-based column naming each row's
					   year; 0 = the report's year */
	int		 line;
};

/* A figure the report states in several places, which must agree. */
struct sg_schema_fig {
	char			*name;
	char			*row;		/* row key, or NULL */
	struct sg_schema_locator *tables;
	size_t			 ntables;
	struct sg_strv		 text;		/* phrases with {n} and {_} */
	int			 line;
};

/* value ≈ num ÷ den (× 100 when percent), or value ≤ max (max set). */
struct sg_schema_rel {
	char	*value;
	char	*num, *den;
	char	*max;
	int	 percent;
	double	 tolerance;
	int	 line;
};

/* In a narrative table with these columns, parts add up to total. */
struct sg_schema_sum {
	char		*total;
	struct sg_strv	 parts;
	int		 line;
};

/* Other spellings of a template unit. */
struct sg_schema_unit {
	char		*unit;		/* normalised */
	struct sg_strv	 same;		/* normalised */
};

struct sg_schema_checks {
	double			 change_factor;	/* 0: no change rule */
	double			 change_min;
	double			 tolerance;
	struct sg_schema_unit	*units;
	size_t			 nunits;
	struct sg_schema_fig	*figs;
	size_t			 nfigs;
	struct sg_schema_rel	*ratios;
	size_t			 nratios;
	struct sg_schema_rel	*bounds;
	size_t			 nbounds;
	struct sg_schema_sum	*sums;
	size_t			 nsums;
	struct sg_strv		 total_rows;	/* normalised labels */
};

/* A chapter of the report outline (内容框架): what `new year` lays out
 * and `check` looks for. */
struct sg_schema_part {
	char		*title;		/* the standard chapter title */
	char		*file;		/* the chapter file new year writes */
	struct sg_strv	 also;		/* other titles that mean it (normalised) */
	int		 required;	/* a report must have it (default) */
	int		 line;
};

struct sg_schema {
	char			*id;		/* zz-2024 */
	char			*title;
	char			*file;		/* where it was read from */
	uint64_t		 hash;		/* of the bytes it was parsed
						   from (sg_doc_hash): what
						   is made with it is cached
						   under it */
	int			 first_year;	/* the editions it is for (0: not */
	int			 last_year;	/*   said): new year's default */
	struct sg_schema_part	*parts;		/* the outline, in order */
	size_t			 nparts;
	struct sg_schema_table	*tables;
	size_t			 ntables;
	struct sg_schema_figure	*figures;
	size_t			 nfigures;
	struct sg_schema_checks	 checks;
	struct sg_schema	*next;		/* the site's list of loaded templates */
};

/*
 * Parses a schema file's text.  Problems are findings at file:line; returns
 * the schema (free with sg_schema_free) or NULL after an error.
 */
struct sg_schema *sg_schema_parse(const char *file, const char *text,
    size_t len, struct sg_diag *d);
void sg_schema_free(struct sg_schema *s);

/*
 * Loads template id from the first place that has schemas/<id>.yml: the site
 * (through src; may be NULL), the installed data folder (sg_data_dir), the
 * templates built into site-gen.  Returns NULL without a finding when no
 * such file exists (*found = 0; the caller names the report.yml line), or
 * when the file is broken (*found = 1, findings added).  Caller frees with
 * sg_schema_free.
 */
struct sg_schema *sg_schema_load(struct sg_source *src, const char *id,
    int *found, struct sg_diag *d);
/* The places sg_schema_load looks for id, and the built-in ids, as a
 * phrase for a finding.  Caller frees. */
char *sg_schema_where(const char *id);

/* The figure named name in s's checks, or NULL. */
const struct sg_schema_fig *sg_schema_fig(const struct sg_schema *s,
    const char *name);
/* 1 if a school's unit means the template's unit u (both as written):
 * equal once normalised, or listed as the same under checks: units. */
int sg_schema_unit_same(const struct sg_schema *s, const char *u,
    const char *school);

/* 1 if id can name a template file: [a-z0-9._-], not starting with '.'. */
int sg_schema_id_ok(const char *id);

/*
 * A name as matching sees it: no spaces, full-width ASCII and Chinese
 * quotes, colons, brackets and dashes folded to ASCII, ASCII letters in
 * lower case, a leading 其中： and trailing * removed.  Caller frees.
 */
char *sg_schema_norm(const char *name);
/* s with spaces dropped and full-width ASCII, Chinese quotes, brackets and
 * dashes folded to ASCII (the first step of sg_schema_norm).  Caller frees. */
char *sg_schema_fold(const char *s);
/* A unit as matching sees it: like sg_schema_norm, and "—", "-" or "/"
 * alone mean no unit (""). Caller frees. */
char *sg_schema_norm_unit(const char *unit);
/* 1 if a CSV's 指标 cell ends with the core mark * (or ＊). */
int sg_schema_has_core_mark(const char *name);

/* The table a CSV file name stands for ("1-scorecard.csv", "scorecard.csv"
 * or one naming the table, like "附表1 人才培养质量计分卡.csv"), or NULL. */
const struct sg_schema_table *sg_schema_table_for_file(
    const struct sg_schema *s, const char *filename);
/* The table with slug, or NULL. */
const struct sg_schema_table *sg_schema_table(const struct sg_schema *s,
    const char *slug);
/* Row index of key ("slug/name/…") in its table, or -1; *t set to the
 * table. */
int sg_schema_find_key(const struct sg_schema *s, const char *key,
    const struct sg_schema_table **t);

/* Matching a CSV's rows, in file order, to a table's rows. */
struct sg_schema_cursor {
	const struct sg_schema_table	*t;
	unsigned char			*used;	/* per schema row */
	size_t				 next;	/* where the search starts */
	int				 last;	/* last row matched, or -1 */
};

enum sg_schema_result {
	SG_SCHEMA_MATCHED,
	SG_SCHEMA_UNKNOWN,	/* no row of that name */
	SG_SCHEMA_DUPLICATE,	/* every row of that name is taken */
	SG_SCHEMA_NO_CONT	/* empty name, and the row before has no
				   second unit left */
};

void sg_schema_cursor_init(struct sg_schema_cursor *c,
    const struct sg_schema_table *t);
void sg_schema_cursor_clear(struct sg_schema_cursor *c);
/*
 * Matches the next CSV row, whose 指标 cell is name (raw).  A name is looked
 * for after the previous match first (names like 国家级数量 repeat in a
 * table and mean the next one), then anywhere not yet taken.  An empty name
 * is the next unit of the previous indicator.  Sets *row to the schema row
 * (or, for a duplicate, the row taken first).
 */
enum sg_schema_result sg_schema_cursor_match(struct sg_schema_cursor *c,
    const char *name, int *row);

#endif
