/*
 * check_review: the report read as a reviewer of the authorities reads it
 * — for the truth of its data and the compliance of its publication.  Each
 * document's body is read once, line by line, by every rule of the
 * check_*.c files (check_confidential, check_minors, check_identifiers,
 * check_prose, check_years, check_dates, check_names, check_trend); what
 * the rules across documents need is kept as small facts, and those rules
 * run once every document is read.  The words the rules look for are data
 * (schemas/checks/, check_data.c).
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "doc.h"
#include "schema.h"
#include "sg.h"
#include "util.h"

/* ---- the document, line by line ---- */

/* A narrative table the line shows: ![](tables/x.csv "caption") or
 * [caption](tables/x.csv). */
static void
table_refs(const struct sg_check_line *l, struct sg_check_facts *out)
{
	const char *p = l->raw, *h;

	while ((h = strstr(p, "](")) != NULL) {
		const char *rel = h + 2, *e;
		while (strncmp(rel, "../", 3) == 0)
			rel += 3;
		if (strncmp(rel, "tables/", 7) != 0) {
			p = h + 2;
			continue;
		}
		e = rel + strcspn(rel, " )\"");
		const char *open, *cap = NULL;
		size_t caplen = 0;
		char *r = sg_xstrndup(rel, (size_t)(e - rel));
		if (*e == ' ' && (open = strchr(e, '"')) != NULL &&
		    strchr(open + 1, '"')) {
			cap = open + 1;
			caplen = (size_t)(strchr(cap, '"') - cap);
		} else {
			/* The link text. */
			for (open = h; open > l->raw && open[-1] != '['; open--)
				;
			if (open > l->raw && h > open) {
				cap = open;
				caplen = (size_t)(h - open);
			}
		}
		sg_check_fact_add(out, SG_FACT_TABLEREF, r, NULL, cap ?
		    sg_xstrndup(cap, caplen) : sg_xstrdup(""), l->file, l->line);
		p = e;
	}
}

struct sg_check_facts *
sg_check_review_doc(const struct sg_check_ctx *c0, const struct sg_doc *doc,
    struct sg_check_lines *body, struct sg_check_text *t)
{
	struct sg_check_ctx c = *c0;
	struct sg_check_facts *out = sg_xcalloc(1, sizeof(*out));
	int line = doc->body_line, fence = 0;
	size_t *found = sg_xcalloc(sg_check_nlists(c0) + 1, sizeof(*found));

	for (size_t k = 0; k < body->n; k++) {
		const char *raw = body->raw[k], *f;
		struct sg_check_line l = {doc->path, line, raw, NULL, 0, NULL};
		const char *q = raw + strspn(raw, " ");

		if (strncmp(q, "```", 3) == 0 || strncmp(q, "~~~", 3) == 0)
			fence = !fence;
		else if (!fence && *q) {
			f = sg_check_lines_fold(body, k);
			l.f = f;
			l.heading = *q == '#';
			/* Every rule's words, in one reading of the line. */
			sg_check_scan(&c, f, found);
			l.found = found;
			table_refs(&l, out);
			sg_check_confidential_line(&c, &l);
			sg_check_minors_line(&c, &l);
			sg_check_identifiers_line(&c, &l);
			sg_check_dates_line(&c, &l, out);
			sg_check_years_line(&c, &l, out);
			sg_check_names_line(&c, &l, out);
			sg_check_trend_line(&c, &l);
			sg_check_prose_line(&c, &l, out, t);
		}
		line++;
	}
	free(found);
	return out;
}

void
sg_check_review(struct sg_check_ctx *c)
{
	sg_check_confidential_tables(c);
	sg_check_minors_tables(c);
	sg_check_identifiers_tables(c);
	sg_check_prose(c);
	sg_check_years(c);
	sg_check_dates(c);
	sg_check_names(c);
}
