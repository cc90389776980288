/*
 * changes: what changed between two versions of a report, in the report's
 * own terms — indicator values per table, row and column (old → new);
 * chapters and cases added, removed, renamed or edited, with the edited
 * text as sentence and word differences; figures and tables added or
 * removed; report.yml's title, date and statement.  Computed from two
 * loaded models (see load.c, source_git.c), so it does not care whether
 * they came from tags or from the working tree.
 */
#ifndef SG_CHANGES_H
#define SG_CHANGES_H

#include <stddef.h>

#include "sg.h"
#include "textdiff.h"

enum sg_change_obj {
	SG_CH_REPORT,		/* report.yml */
	SG_CH_INDICATOR,	/* an appendix indicator table */
	SG_CH_TABLE,		/* a data table of the narrative */
	SG_CH_PREFACE,
	SG_CH_CHAPTER,
	SG_CH_CASE,
	SG_CH_FIGURE,		/* a numbered figure (图) */
	SG_CH_REFTABLE		/* a numbered table (表) */
};

enum sg_change_op {
	SG_CH_ADDED,
	SG_CH_REMOVED,
	SG_CH_RENAMED,		/* old → new title or file name */
	SG_CH_EDITED,		/* text: the sentence differences */
	SG_CH_VALUE,		/* one cell or field: old → new */
	SG_CH_ROW_ADDED,	/* new: the row's cells */
	SG_CH_ROW_REMOVED,	/* old: the row's cells */
	SG_CH_COL_ADDED,
	SG_CH_COL_REMOVED
};

struct sg_change {
	enum sg_change_obj	 obj;
	enum sg_change_op	 op;
	char			*name;	/* 人才培养质量计分卡, 二、人才培养,
					   案例 3 …, 图 2-1 … */
	char			*file;	/* relative to the year's folder, or
					   NULL (figures, tables) */
	char			*row;	/* tables: the 指标 (parent › child) */
	char			*col;	/* tables: column header; report: field */
	char			*unit;	/* tables: the row's 单位, or NULL */
	char			*old;
	char			*new;
	struct sg_textdiff	 text;	/* SG_CH_EDITED */
};

struct sg_changes {
	struct sg_change	*v;
	size_t			 n;
	/* borrowed: the theme whose words (theme.h) name the changes and
	 * sg_changes_summary_zh; NULL: the built-in theme's */
	const struct sg_theme	*theme;
};

/* Counts of a list of changes, as the history pages show them. */
struct sg_change_counts {
	size_t	values;		/* indicator and table cells */
	size_t	rows;		/* table rows and columns added or removed */
	size_t	tables;		/* data tables added or removed */
	size_t	chapters;	/* chapters (and the preface) changed */
	size_t	cases;		/* cases changed */
	size_t	passages;	/* edited places in the text */
	size_t	figures;	/* figures and numbered tables added/removed */
	size_t	report;		/* report.yml fields */
};

/* Appends to out what changed from report a to report b (either may be
 * NULL: all added / all removed).  Clear out with sg_changes_clear. */
void sg_changes_compute(const struct sg_report *a, const struct sg_report *b,
    struct sg_changes *out);
void sg_changes_clear(struct sg_changes *c);
void sg_changes_count(const struct sg_changes *c, struct sg_change_counts *n);

/* One line for the terminal: "2 values, 1 chapter (1 passage)".  Caller
 * frees. */
char *sg_changes_summary(const struct sg_changes *c);
/* The same for the site in c->theme's words: "数据 2 项 · 章节 1 章". */
char *sg_changes_summary_zh(const struct sg_changes *c);
/* Every change as plain text for the terminal, word changes marked
 * [-old-]{+new+}.  Caller frees. */
char *sg_changes_text(const struct sg_changes *c);

#endif
