/*
 * check_int: what check.c, check_tables.c, check_figures.c and the
 * reviewer's rules (check_review.c and the check_<rule>.c it runs) share —
 * the run's context, findings under a rule id, how rows and values are
 * named in messages (check_emit.c), the rule data (check_data.c) and the
 * facts kept of each document (check_read.c).  The rules call down into
 * these, never back into check.c or check_review.c, which run them.
 * Other modules use check.h.
 */
#ifndef SG_CHECK_INT_H
#define SG_CHECK_INT_H

#include "check.h"
#include "check_rules.h"
#include "util.h"

/* A rule: an index into check_emit.c's table, one per row of check_rules.h. */
enum sg_check_rule_id {
#define SG_RULE_ENUM(name, id, build, publish, what) SG_RULE_##name,
	SG_CHECK_RULES(SG_RULE_ENUM)
#undef SG_RULE_ENUM
	SG_RULE_COUNT
};

struct sg_cache_r;
struct sg_doc;
struct sg_report;
struct sg_schema;
struct sg_schema_table;
struct sg_site;

/* What sg_check_words found for a group and key, by their addresses: the
 * rules ask for their lists by literal names in their inner loops. */
struct sg_check_memo {
	const char			*group, *key;
	const struct sg_check_words	*w;
};
#define SG_CHECK_MEMO	256

struct sg_check_ctx {
	struct sg_site			*s;
	struct sg_report		*r;	/* the report checked, or NULL */
	const struct sg_schema		*sc;	/* its template, or NULL */
	const struct sg_check_opts	*o;
	struct sg_diag			*d;
	struct sg_check_text		*text;	/* what the report's narrative
						   states of each figure
						   (check_figures.c) */
	const struct sg_check_data	*data;	/* the reviewer's word lists
						   (check_data.c) */
	struct sg_check_facts		*facts;	/* what the review found in
						   the documents
						   (check_review.c) */
	const struct sg_check_words	*leads;	/* the opening words of
						   c->sc's figure phrases
						   (sg_check_leads_new) */
	struct sg_check_memo		*memo;	/* SG_CHECK_MEMO entries of
						   one thread's, or NULL */
};

/*
 * check_read.c: a document's body as lines, each folded (sg_schema_fold)
 * once when first asked for, so that the figure reader and the review
 * share one folding.  One thread's: a document is read on one thread.
 */
struct sg_check_lines {
	size_t	  n;
	char	**raw;
	char	**f;		/* NULL until sg_check_lines_fold */
};
/* Splits body (may be NULL) into lines.  Free with sg_check_lines_free. */
struct sg_check_lines *sg_check_lines_new(const char *body);
/* Line k folded; owned by ls. */
const char *sg_check_lines_fold(struct sg_check_lines *ls, size_t k);
void sg_check_lines_free(struct sg_check_lines *ls);

/* check_figures.c: the opening words (up to the first '{') of every
 * figure's phrases of sc, in a row, with their automaton; NULL if sc has
 * none.  Free with sg_check_leads_free. */
struct sg_check_words *sg_check_leads_new(const struct sg_schema *sc);
void sg_check_leads_free(struct sg_check_words *l);

/*
 * The statements the Markdown body of doc (read by the caller) makes of
 * the figures of c->sc.  Reads only what c points to, so documents can be
 * looked at on several threads.  Free with sg_check_text_free or hand to
 * sg_check_text_join.
 */
struct sg_check_text *sg_check_doc_text(const struct sg_check_ctx *c,
    const struct sg_doc *doc, struct sg_check_lines *body);
/* Appends the statements of t (a later document's) to c->text; t is
 * taken. */
void sg_check_text_join(struct sg_check_ctx *c, struct sg_check_text *t);
void sg_check_text_free(struct sg_check_text *t);

/* The statements of t as entry bytes of the build cache (cache.h), and
 * read back: file is the document's path, which they borrow again (a
 * statement of another file makes r bad).  The result is freed as
 * sg_check_doc_text's, also when r is bad. */
void sg_check_text_write(struct sg_buf *b, const struct sg_check_text *t);
struct sg_check_text *sg_check_text_read(struct sg_cache_r *r,
    const char *file);

/* check_emit.c: the rule of id ("privacy-mobile"), or NULL. */
const struct sg_check_rule *sg_check_rule_find(const char *id);
/* 1 if line (1-based) of YAML text ends in "# allow: ..." naming the rule
 * id or its group. */
int sg_check_yaml_allows(const char *text, int line,
    enum sg_check_rule_id id);
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

/*
 * check_figures.c: adds a statement of figure number fig (an index of
 * c->sc->checks.figs) that the prose reader found at folded column col of
 * file:line, unless a phrase found it there already.  what is taken.
 */
void sg_check_text_add(struct sg_check_text *t, size_t fig, int year,
    double v, int dec, int approx, const char *file, int line, size_t col,
    char *what);

/* check_tables.c: the appendix tables of c->r against c->sc. */
void sg_check_tables(struct sg_check_ctx *c);
/* check_figures.c: figures, ratios, bounds and narrative sums of c->r. */
void sg_check_figures(struct sg_check_ctx *c);

/* ---- the reviewer's reading (check_review.c and the check_*.c it runs) ---- */

/* check_data.c: the rule data of schemas/checks/<group>.yml. */
struct sg_check_data;
struct sg_check_data *sg_check_data_load(struct sg_site *s,
    struct sg_diag *d);
void sg_check_data_free(struct sg_check_data *cd);
/* A hash of the files cd was read from (where each was found, and its
 * bytes), for the keys of what the rules make with it. */
uint64_t sg_check_data_key(const struct sg_check_data *cd);
/* A word list of the data: its folded words, and the automaton that
 * finds them (built once a run, by sg_check_data_load). */
struct sg_match;
struct sg_check_words {
	struct sg_strv		 w;
	struct sg_match		*m;	/* NULL for an empty list */
	size_t			 id;	/* its place in sg_check_scan's
					   found */
	size_t			*need;	/* a list of patterns (words split
					   by tabs, such as identifiers'
					   address): the parts each entry
					   needs, as bits of the line's
					   parts (sg_check_line_parts); NULL
					   if none or too many parts */
};
/* The words of key in group's file; an empty list if none.  group and
 * key are string literals (c->memo remembers them by address). */
const struct sg_check_words *sg_check_words(const struct sg_check_ctx *c,
    const char *group, const char *key);
/* The same words as a plain list. */
const struct sg_strv *sg_check_list(const struct sg_check_ctx *c,
    const char *group, const char *key);
/* 1 if the n bytes at s are one of the single surnames of minors.yml. */
int sg_check_surname(const struct sg_check_ctx *c, const char *s, size_t n);
/* The length of the longest of words that s starts with, or 0. */
size_t sg_check_word_at(const struct sg_check_words *words, const char *s);
/* The first of words (in the list's order) that s contains, or NULL. */
const char *sg_check_word_in(const struct sg_check_words *words,
    const char *s);

/* What the review keeps of a document once its text is gone. */
enum sg_check_fact_kind {
	SG_FACT_COUNT,		/* a figure the prose states (check_prose.c) */
	SG_FACT_SHARE,		/* "占{whole}{v}%" of count v2 (check_prose.c) */
	SG_FACT_FOUNDED,	/* 创办于 {year} 年 (check_years.c) */
	SG_FACT_AGE,		/* 办学 {v} 年 (check_years.c) */
	SG_FACT_NAME,		/* a personal name (check_names.c) */
	SG_FACT_TABLEREF,	/* a narrative table shown here, subject its
				   rel, text its caption */
	SG_FACT_CUTOFF		/* 截止 {date} (check_dates.c): v YYYYMMDD */
};

struct sg_check_fact {
	enum sg_check_fact_kind	 kind;
	char			*subject;	/* what is counted, the name,
						   the table */
	char			*unit;		/* 人, %, :1 */
	char			*text;		/* as written, for messages */
	char			*alt;		/* the counted noun after the
						   unit (44 个教学班) */
	double			 v, v2;		/* v2: a share's part, or -1 */
	int			 dec;
	int			 approx;	/* 多, 余: v is a lower bound */
	int			 year;
	const char		*file;		/* borrowed */
	int			 line;
	size_t			 col;		/* in the folded line */
};

struct sg_check_facts {
	struct sg_check_fact	*v;
	size_t			 n;
};

/* Appends a fact; subject, unit and text are taken (may be NULL). */
struct sg_check_fact *sg_check_fact_add(struct sg_check_facts *f,
    enum sg_check_fact_kind kind, char *subject, char *unit, char *text,
    const char *file, int line);
void sg_check_facts_free(struct sg_check_facts *f);
/* The facts of f as entry bytes of the build cache (cache.h), and read
 * back: file is the document's path, which they borrow again (a fact of
 * another file makes r bad).  Free the result with sg_check_facts_free,
 * also when r is bad. */
void sg_check_facts_write(struct sg_buf *b, const struct sg_check_facts *f);
struct sg_check_facts *sg_check_facts_read(struct sg_cache_r *r,
    const char *file);

/* One line of a document as the review reads it. */
struct sg_check_line {
	const char	*file;
	int		 line;
	const char	*raw;		/* as written */
	const char	*f;		/* folded (sg_schema_fold) */
	int		 heading;	/* a # heading */
	const size_t	*found;		/* sg_check_scan of f, or NULL */
};

/*
 * Reads folded text f once for the words of every list: found[id] (of
 * sg_check_nlists entries) gets the index of the first of a list's words
 * (in its order) that f contains, or SG_MATCH_NONE (match.h); and which
 * parts of a list of patterns it contains (sg_check_line_parts).
 */
size_t sg_check_nlists(const struct sg_check_ctx *c);
void sg_check_scan(const struct sg_check_ctx *c, const char *f,
    size_t *found);
/* sg_check_word_in(words, l->f), from the line's scan. */
const char *sg_check_line_word(const struct sg_check_line *l,
    const struct sg_check_words *words);
/* 1 if every part of entry i of a list of patterns is in the line (as
 * strstr finds them; a part of 64 bytes or more ends the entry). */
int sg_check_line_parts(const struct sg_check_ctx *c,
    const struct sg_check_line *l, const struct sg_check_words *words,
    size_t i);

/*
 * check_review.c: reads the Markdown body of doc line by line with every
 * reviewer's rule (findings into c->d) and returns what the rules across
 * documents need; t gets the figures the prose states.  Thread-safe as
 * sg_check_doc_text is.
 */
struct sg_check_facts *sg_check_review_doc(const struct sg_check_ctx *c,
    const struct sg_doc *doc, struct sg_check_lines *body,
    struct sg_check_text *t);
/* The rules across documents and over the report's CSV files, with the
 * facts of every document in c->facts. */
void sg_check_review(struct sg_check_ctx *c);

/* The rules, each a line reader and a report pass (NULL where none). */
void sg_check_confidential_line(struct sg_check_ctx *c,
    const struct sg_check_line *l);
void sg_check_confidential_tables(struct sg_check_ctx *c);
void sg_check_minors_line(struct sg_check_ctx *c,
    const struct sg_check_line *l);
void sg_check_minors_tables(struct sg_check_ctx *c);
void sg_check_identifiers_line(struct sg_check_ctx *c,
    const struct sg_check_line *l);
void sg_check_identifiers_tables(struct sg_check_ctx *c);
void sg_check_prose_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out, struct sg_check_text *t);
void sg_check_prose(struct sg_check_ctx *c);
void sg_check_years_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out);
void sg_check_years(struct sg_check_ctx *c);
void sg_check_dates_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out);
void sg_check_dates(struct sg_check_ctx *c);
void sg_check_names_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out);
void sg_check_names(struct sg_check_ctx *c);
void sg_check_trend_line(struct sg_check_ctx *c, const struct sg_check_line *l);

/* ---- shared by the reviewer's rules (check_read.c) ---- */

/* A number at s (1,920 / 18.1 / 83.74), not inside a longer number:
 * returns its length and sets *v and *dec, or 0. */
size_t sg_check_number_at(const char *s, size_t pos, double *v, int *dec);
/* A personal name of 2–4 Chinese characters at s (a surname of the data
 * and one to three more characters, none a mask like 某): its byte length,
 * or 0.  exact: the whole of s must be the name. */
size_t sg_check_name_at(const struct sg_check_ctx *c, const char *s,
    int exact);
/* The personal name of 2 or 3 characters ending at f + at (where a title
 * such as 同学 or 老师 starts): its length in bytes, *start where it
 * begins; 0 if none (check_names.c). */
size_t sg_check_name_before(const struct sg_check_ctx *c, const char *f,
    size_t at, size_t *start);
/* 1 if s (a cell or a word) is a masked name: 林某某, 林*, 林同学. */
int sg_check_masked(const struct sg_check_ctx *c, const char *s);
/* "林**": a name as findings show it.  Caller frees. */
char *sg_check_mask_name(const char *name);
/* The caption of narrative table rel as the report shows it, or NULL. */
const char *sg_check_caption(const struct sg_check_ctx *c, const char *rel);
/* 1 if a sentence ends at folded f[i]: 。 ! ? ; — a '.' between digits
 * is a decimal point. */
int sg_check_stop(const char *f, size_t i);
/* Writes 、 in s as ',' (in place), so that strtok can split a
 * list on ASCII commas: strtok's delimiters are bytes. */
void sg_check_commas(char *s);
/* Count of UTF-8 characters in s[0..n). */
size_t sg_check_chars(const char *s, size_t n);

#endif
