/*
 * diag: the list of findings of a run.  Content problems are added here
 * with file:line and the run carries on; main() prints the list once,
 * sorted, after the run.  Operational failures are recorded here too (as
 * SG_FATAL) by the innermost function, which then returns -1.
 */
#ifndef SG_DIAG_H
#define SG_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum sg_sev {
	SG_NOTE,
	SG_WARNING,
	SG_ERROR,
	SG_FATAL	/* I/O or internal failure: exit 3 */
};

struct sg_diag_item {
	enum sg_sev	 sev;
	char		*file;	/* path as shown to the user; may be NULL */
	int		 line;	/* 1-based; 0 when the whole file is meant */
	int		 col;
	char		*msg;
	const char	*rule;	/* rule id ("image-missing"), a static string,
				   or NULL; check.c raises some rules' severity */
};

struct sg_diag {
	struct sg_diag_item	*v;
	size_t			 n;
	size_t			 cap;
};

/* Adds a finding; file and the formatted message are copied. */
void sg_diag_add(struct sg_diag *d, enum sg_sev sev, const char *file,
    int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Adds a finding of a named rule (rule is a static string, not copied):
 * the id `check` uses to promote it, that JSON output carries and that a
 * content file's allow: list names. */
void sg_diag_rule(struct sg_diag *d, enum sg_sev sev, const char *rule,
    const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Moves every item of src to the end of dst; src is left empty. */
void sg_diag_merge(struct sg_diag *dst, struct sg_diag *src);
/* Sorts by file, line, column, then severity; stable for equal keys. */
void sg_diag_sort(struct sg_diag *d);
size_t sg_diag_count(const struct sg_diag *d, enum sg_sev sev);
/* 1 if any error or fatal item is present. */
int sg_diag_failed(const struct sg_diag *d);
/* Prints "file:line:col: severity: msg" lines; colour when asked. */
void sg_diag_print(const struct sg_diag *d, FILE *fp, int colour);
/* Like sg_diag_print, with a blank line between files and a summary line
 * "what: N errors, M warnings in K files" (what may be NULL). */
void sg_diag_print_grouped(const struct sg_diag *d, FILE *fp, int colour,
    const char *what);
/* Writes the findings as one JSON object, grouped per file:
 * {"files":[{"file":…,"findings":[{"line","column","severity","rule",
 * "message"}]}],"summary":{"errors","warnings","notes","files"}}. */
void sg_diag_print_json(const struct sg_diag *d, FILE *fp);
void sg_diag_clear(struct sg_diag *d);
/* s as findings show it in text: control characters, C1 controls,
 * bidirectional overrides and bytes that are not UTF-8 written \n, \t,
 * \xNN or \u{NNNN}, so that content cannot act on a terminal or forge
 * another line.  sg_diag_print uses it.  Caller frees. */
char *sg_diag_visible(const char *s);
const char *sg_diag_sevname(enum sg_sev sev);

#endif
