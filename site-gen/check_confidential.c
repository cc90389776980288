/*
 * check_confidential: rule `confidential` — a mark that says material is
 * not for the public (保密, 机密, 内部资料, 不得外传 …) in a heading, a
 * caption, the text or a table cell.  A public report must not publish
 * what is so marked: an error in build and in check, which an allowance
 * waives only with a reason (allow: ["confidential: 课程名称"]).  The marks,
 * the words that are marks only in brackets, and the phrases that hold a
 * mark's word without marking anything are schemas/checks/confidential.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

static int
opens(const char *f, size_t i)
{
	static const char *const o[] = {"(", "[", "<", "《", "〔", "〖", "*",
	    NULL};

	for (size_t k = 0; o[k]; k++) {
		size_t n = strlen(o[k]);
		if (i >= n && memcmp(f + i - n, o[k], n) == 0)
			return 1;
	}
	return 0;
}

static int
closes(const char *s)
{
	static const char *const c[] = {")", "]", ">", "》", "〕", "〗", "*",
	    NULL};

	for (size_t k = 0; c[k]; k++)
		if (strncmp(s, c[k], strlen(c[k])) == 0)
			return 1;
	return 0;
}

/*
 * The first mark in folded text f, whose whole is whole (a heading's text
 * or a cell), or NULL; *at and *len say where.  l: the line whose whole
 * folded text f is (its scan says which marks it has), or NULL.
 */
static const char *
find_mark(const struct sg_check_ctx *c, const struct sg_check_line *l,
    const char *f, int whole, size_t *at, size_t *len)
{
	const struct sg_check_words *marks = sg_check_words(c, "confidential",
	    "marks");
	const struct sg_check_words *alone = sg_check_words(c, "confidential",
	    "standalone");
	const struct sg_strv *benign = sg_check_list(c, "confidential",
	    "benign");
	char *g;
	const char *r = NULL;

	if (l ? sg_check_line_word(l, marks) == NULL &&
	    sg_check_line_word(l, alone) == NULL :
	    sg_check_word_in(marks, f) == NULL &&
	    sg_check_word_in(alone, f) == NULL)
		return NULL;
	/* Blank out the phrases that mark nothing. */
	g = sg_xstrdup(f);
	for (size_t i = 0; i < benign->n; i++) {
		size_t n = strlen(benign->v[i]);
		char *h = g;
		while (n && (h = strstr(h, benign->v[i])) != NULL) {
			memset(h, '_', n);
			h += n;
		}
	}
	for (size_t i = 0; g[i] && !r; i++) {
		size_t n;
		if ((n = sg_check_word_at(marks, g + i)) != 0) {
			*at = i;
			*len = n;
			r = f;
		} else if ((n = sg_check_word_at(alone, g + i)) != 0 &&
		    ((opens(g, i) && closes(g + i + n)) || g[i + n] == '*' ||
		    (i > 0 && g[i - 1] == '*'))) {
			*at = i;
			*len = n;
			r = f;
		} else if (n != 0 && whole && i == 0 && g[n] == '\0') {
			*at = i;
			*len = n;
			r = f;
		}
	}
	free(g);
	return r;
}

/* The mark with its brackets, as the report writes it. */
static char *
shown(const char *f, size_t at, size_t len)
{
	size_t a = at, b = at + len;

	if (a > 0 && strchr("([<*", f[a - 1]))
		a--;
	if (f[b] && strchr(")]>*", f[b]))
		b++;
	return sg_xstrndup(f + a, b - a);
}

static void
emit(struct sg_check_ctx *c, const char *file, int line, const char *where,
    const char *f, size_t at, size_t len)
{
	char *m = shown(f, at, len);

	sg_check_emit(c, SG_RULE_CONFIDENTIAL, file, line, "'%s' %s marks it as not "
	    "for the public; expected no material marked confidential in a "
	    "public report: leave it out, or remove the mark if it does not "
	    "apply (an allowance needs a reason: allow: [\"confidential: "
	    "why\"])", m, where);
	free(m);
}

void
sg_check_confidential_line(struct sg_check_ctx *c,
    const struct sg_check_line *l)
{
	const char *f = l->f, *where = "in the text";
	size_t at, len;

	if (l->heading) {
		f += strspn(f, "#");
		where = "in a heading";
	} else if (strstr(f, "](") && strchr(f, '"'))
		where = "in a caption";
	if (find_mark(c, f == l->f ? l : NULL, f, l->heading, &at, &len))
		emit(c, l->file, l->line, where, f, at, len);
}

static void
scan_table(struct sg_check_ctx *c, const struct sg_data *dt)
{
	const struct sg_table *t = dt->table;

	for (size_t r = 0; t && r < t->nrows; r++)
		for (size_t col = 0; col < t->ncols; col++) {
			char *f = sg_schema_fold(t->cells[r][col]);
			size_t at, len;
			if (find_mark(c, NULL, f, 1, &at, &len)) {
				emit(c, dt->path, t->lines[r], "in a table cell",
				    f, at, len);
				free(f);
				return;
			}
			free(f);
		}
}

void
sg_check_confidential_tables(struct sg_check_ctx *c)
{
	for (size_t i = 0; i < c->r->ntables; i++)
		scan_table(c, &c->r->tables[i]);
	for (size_t i = 0; i < c->r->nindicators; i++)
		scan_table(c, &c->r->indicators[i]);
}
