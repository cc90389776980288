/*
 * check_int: what check.c, check_tables.c and check_figures.c share — the
 * run's context, findings under a rule id, and how rows and values are named
 * in messages.  Other modules use check.h.
 */
#ifndef SG_CHECK_INT_H
#define SG_CHECK_INT_H

#include "check.h"
#include "check_rules.h"

/* A rule: an index into check.c's table, one per row of check_rules.h. */
enum sg_check_rule_id {
#define SG_RULE_ENUM(name, id, build, publish, what) SG_RULE_##name,
	SG_CHECK_RULES(SG_RULE_ENUM)
#undef SG_RULE_ENUM
	SG_RULE_COUNT
};

struct sg_doc;
struct sg_report;
struct sg_schema;
struct sg_schema_table;
struct sg_site;

struct sg_check_ctx {
	struct sg_site			*s;
	struct sg_report		*r;	/* the report checked, or NULL */
	const struct sg_schema		*sc;	/* its template, or NULL */
	const struct sg_check_opts	*o;
	struct sg_diag			*d;
	struct sg_check_text		*text;	/* what the report's narrative
						   states of each figure
						   (check_figures.c) */
};

/*
 * The statements the Markdown body of doc (read by the caller) makes of
 * the figures of c->sc.  Reads only what c points to, so documents can be
 * looked at on several threads.  Free with sg_check_text_free or hand to
 * sg_check_text_join.
 */
struct sg_check_text *sg_check_doc_text(const struct sg_check_ctx *c,
    const struct sg_doc *doc, const char *body);
/* Appends the statements of t (a later document's) to c->text; t is
 * taken. */
void sg_check_text_join(struct sg_check_ctx *c, struct sg_check_text *t);
void sg_check_text_free(struct sg_check_text *t);

/*
 * Adds a finding of rule at file:line with the run's severity for that
 * rule, unless the file's allowances waive it.
 */
void sg_check_emit(struct sg_check_ctx *c, enum sg_check_rule_id rule,
    const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "2024年", written into buf. */
const char *sg_check_ylabel(int y, char buf[16]);
/* A schema row as a reader finds it ("在线精品课程数/国家级数量",
 * "教学计划内课程总数 (学时)").  Caller frees. */
char *sg_check_row_name(const struct sg_schema_table *st, int srow);
/* "20.88%", "460 个/生", "18.10".  Caller frees. */
char *sg_check_with_unit(const char *text, const char *unit);
/* The last name of a row key, or a figure's name. */
const char *sg_check_ref_name(const char *ref);

/*
 * The value of ref (a row key or a figure name) for year: the report's
 * appendix row, else the site's newest statement of that row, else (a
 * figure without a row) the first place the narrative states it.
 * Returns 0 or -1.
 */
int sg_check_ref_value(struct sg_check_ctx *c, const char *ref, int year,
    double *v);

/* check_tables.c: the appendix tables of c->r against c->sc. */
void sg_check_tables(struct sg_check_ctx *c);
/* check_figures.c: figures, ratios, bounds and narrative sums of c->r. */
void sg_check_figures(struct sg_check_ctx *c);

#endif
