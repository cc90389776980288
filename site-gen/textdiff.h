/*
 * textdiff: what changed in a text, sentence by sentence.  Chinese prose
 * has no line structure worth diffing — a paragraph is one long line — so
 * text is cut into sentences (ending with 。！？；) and the sentences are
 * compared; inside an edited place, the old and new sentences are compared
 * again word by word (an ASCII number or word, or one CJK character) so
 * that "95.1 → 96.3" shows as exactly that.  Used by changes.c.
 */
#ifndef SG_TEXTDIFF_H
#define SG_TEXTDIFF_H

#include <stddef.h>

struct sg_strv;

enum sg_textdiff_op { SG_TD_EQ, SG_TD_DEL, SG_TD_INS };

struct sg_textdiff_part {
	enum sg_textdiff_op	 op;
	char			*text;
};

/* One edited place: consecutive sentences removed and added. */
struct sg_textdiff_hunk {
	char			*old;	/* removed sentences, "" if only added */
	char			*new;	/* added sentences, "" if only removed */
	struct sg_textdiff_part	*parts;	/* old → new word by word */
	size_t			 nparts;
};

struct sg_textdiff {
	struct sg_textdiff_hunk	*v;
	size_t			 n;
	size_t			 removed;	/* sentences removed */
	size_t			 added;		/* sentences added */
};

/*
 * Appends the sentences of text to out: each line is cut after 。！？；
 * (with any closing quotes or brackets that follow); blank lines and
 * surrounding spaces are dropped.
 */
void sg_textdiff_sentences(const char *text, struct sg_strv *out);

/* Compares a and b sentence by sentence into td (clear with
 * sg_textdiff_clear).  Equal texts give no hunks. */
void sg_textdiff_run(const char *a, const char *b, struct sg_textdiff *td);
void sg_textdiff_clear(struct sg_textdiff *td);

#endif
