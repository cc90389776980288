/*
 * check_minors: rule `privacy-minors` — students are mostly minors, and a
 * public report should not publish lists of identifiable ones: a table
 * with a column of students' names (学生, 获奖学生, 负责学生 …), a column
 * of names beside their class or year group, or under a caption that says
 * they are students; counselling, psychological, disciplinary or
 * family-hardship records tied to a named student; pupils of other
 * schools.  A masked name (林某某, 林**) is fine, and so is a list of staff.
 * Names come from structure and a surname list (schemas/checks/minors.yml).
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

#define L(k) sg_check_list(c, "minors", k)
#define W(k) sg_check_words(c, "minors", k)

/* The names of a cell — one, or several split by 、 , ， and spaces —
 * pushed to out; returns how many parts the cell had, 0 if any part is
 * not a name. */
static size_t
cell_names(const struct sg_check_ctx *c, const char *cell, struct sg_strv *out,
    size_t *masked)
{
	char *f = sg_schema_fold(cell), *save = NULL;
	char *raw = sg_xstrdup(cell);
	size_t parts = 0, good = 0;
	struct sg_strv got = {0};

	/* Folding drops spaces, so split the raw cell. */
	for (char *p = raw; *p; p++)
		if (*p == ' ')
			*p = ',';
	free(f);
	f = sg_schema_fold(raw);
	sg_check_commas(f);
	for (char *w = strtok_r(f, ",;/", &save); w;
	    w = strtok_r(NULL, ",;/", &save)) {
		parts++;
		if (sg_check_masked(c, w)) {
			(*masked)++;
			good++;
		} else if (sg_check_name_at(c, w, 1)) {
			sg_strv_push(&got, sg_xstrdup(w));
			good++;
		}
	}
	if (parts && good == parts)
		for (size_t i = 0; i < got.n; i++)
			sg_strv_push(out, sg_xstrdup(got.v[i]));
	sg_strv_clear(&got);
	free(f);
	free(raw);
	return good == parts ? parts : 0;
}

static int
is_class_cell(const struct sg_check_ctx *c, const char *cell)
{
	char *f = sg_schema_fold(cell);
	size_t n = strlen(f);
	int r = 0;

	for (size_t i = 0; i < L("class_ends")->n && !r; i++) {
		const char *e = L("class_ends")->v[i];
		r = n > strlen(e) && sg_has_suffix(f, e) && strlen(f) <= 24;
	}
	r = r || sg_check_word_at(W("class_starts"), f) > 0;
	/* A year group: 23金石, 22数媒1班. */
	r = r || (n > 2 && f[0] >= '0' && f[0] <= '9' && f[1] >= '0' &&
	    f[1] <= '9' && (unsigned char)f[2] >= 0xE4);
	free(f);
	return r;
}

static int
header_is(const struct sg_strv *words, const char *cell)
{
	char *f = sg_schema_norm(cell);
	int r = sg_strv_has(words, f);

	free(f);
	return r;
}

static int
mentions(const struct sg_check_words *words, const char *s)
{
	char *f;
	int r;

	if (s == NULL)
		return 0;
	f = sg_schema_fold(s);
	r = sg_check_word_in(words, f) != NULL;
	free(f);
	return r;
}

static void
check_table(struct sg_check_ctx *c, const struct sg_data *dt)
{
	const struct sg_table *t = dt->table;
	const char *cap = sg_check_caption(c, dt->rel);
	int headerless = 1, student = 0, adult, first = 0, sens = 0, other = 0;
	int classed = 0;
	struct sg_strv names = {0};
	size_t masked = 0;
	struct sg_buf head = {0};

	if (t == NULL || t->nrows < 2)
		return;
	sg_buf_puts(&head, cap ? cap : "");
	for (size_t col = 0; col < t->ncols; col++) {
		headerless &= *t->cells[0][col] == '\0';
		sg_buf_printf(&head, " %s", t->cells[0][col]);
	}
	student = mentions(W("student_words"), head.data);
	adult = mentions(W("adult_words"), cap) ||
	    (!cap && mentions(W("adult_words"), head.data));
	for (size_t col = 0; col < t->ncols; col++) {
		const char *h = t->cells[0][col];
		int scol = !headerless && header_is(L("student_columns"), h);
		int ncol = !headerless && header_is(L("name_columns"), h);
		size_t named = 0, filled = 0, m0 = masked;
		struct sg_strv got = {0};
		int first_row = 0;
		if (!headerless && !scol && !ncol)
			continue;
		for (size_t r = 1; r < t->nrows; r++) {
			size_t before = got.n;
			if (*t->cells[r][col] == '\0')
				continue;
			filled++;
			if (cell_names(c, t->cells[r][col], &got, &masked)) {
				named++;
				if (got.n > before && first_row == 0)
					first_row = (int)r;
			}
		}
		/* A headerless column is one of names if most cells are. */
		if (headerless && (named < 2 || named * 5 < filled * 3)) {
			sg_strv_clear(&got);
			masked = m0;
			continue;
		}
		if (got.n == 0) {
			sg_strv_clear(&got);
			continue;
		}
		/* Whose names: said by the header, the caption, or a class
		 * beside them. */
		int cls = 0;
		for (size_t k = 0; k < t->ncols && !cls; k++) {
			if (k == col)
				continue;
			if (!headerless && header_is(L("class_columns"),
			    t->cells[0][k])) {
				cls = 1;
				break;
			}
			size_t n = 0, f = 0;
			for (size_t r = 1; r < t->nrows; r++)
				if (*t->cells[r][k]) {
					f++;
					n += is_class_cell(c, t->cells[r][k]);
				}
			cls = f > 0 && n * 2 >= f;
		}
		if (scol || cls || (student && !adult)) {
			classed |= cls;
			for (size_t i = 0; i < got.n; i++)
				if (!sg_strv_has(&names, got.v[i]))
					sg_strv_push(&names, sg_xstrdup(got.v[i]));
			if (first == 0 || first_row < first)
				first = first_row;
			/* Records tied to them, other schools of theirs. */
			for (size_t r = 1; r < t->nrows; r++)
				for (size_t k = 0; k < t->ncols; k++) {
					char *f = sg_schema_fold(t->cells[r][k]);
					/* A record is a short cell (心理辅导), not
					 * a name that holds the word (科技辅导员协会). */
					if (k != col && sg_check_chars(f, strlen(f)) <= 8 &&
					    sg_check_word_in(W("sensitive"), f))
						sens = 1;
					for (size_t o = 0; k != col &&
					    o < L("other_schools")->n; o++)
						if (sg_has_suffix(f,
						    L("other_schools")->v[o]) &&
						    (c->s->school == NULL ||
						    strstr(c->s->school, f) == NULL))
							other = 1;
					free(f);
				}
		}
		sg_strv_clear(&got);
	}
	if (names.n) {
		struct sg_buf b = {0};
		sg_buf_puts(&b, "");
		for (size_t i = 0; i < names.n && i < 3; i++) {
			char *m = sg_check_mask_name(names.v[i]);
			sg_buf_printf(&b, "%s%s", i ? ", " : "", m);
			free(m);
		}
		sg_check_emit(c, SG_RULE_PRIVACY_MINORS, dt->path, t->lines[first],
		    "%s lists students by name (%zu name%s: %s%s)%s%s%s; "
		    "expected no list of identifiable students, who are mostly "
		    "minors, in a public report: mask the names (林某某) or give "
		    "numbers", dt->rel, names.n, names.n == 1 ? "" : "s", b.data,
		    names.n > 3 ? ", …" : "", classed ? " beside their class" :
		    "", sens ? ", with counselling, disciplinary or hardship "
		    "records" : "", other ? ", with pupils of other schools" : "");
		sg_buf_clear(&b);
	}
	sg_strv_clear(&names);
	sg_buf_clear(&head);
}

void
sg_check_minors_tables(struct sg_check_ctx *c)
{
	for (size_t i = 0; i < c->r->ntables; i++)
		check_table(c, &c->r->tables[i]);
}

void
sg_check_minors_line(struct sg_check_ctx *c, const struct sg_check_line *l)
{
	const char *f = l->f;
	const struct sg_check_words *sens = W("sensitive");

	if (sg_check_line_word(l, sens) == NULL || strstr(f, "同学") == NULL)
		return;
	/* A named student (张三同学) and a record of that kind in one
	 * sentence: each sentence read once. */
	for (size_t a = 0; f[a];) {
		size_t b = a;
		while (f[b] && !sg_check_stop(f, b))
			b++;
		char *sent = sg_xstrndup(f + a, b - a);
		const char *w = sg_check_word_in(sens, sent), *h = sent;
		while (w && (h = strstr(h, "同学")) != NULL) {
			size_t st, n = sg_check_name_before(c, sent, (size_t)(h - sent), &st);
			if (n == 0) {
				h += 6;
				continue;
			}
			char *nm = sg_xstrndup(sent + st, n), *m = sg_check_mask_name(nm);
			sg_check_emit(c, SG_RULE_PRIVACY_MINORS, l->file, l->line, "a "
			    "student is named (%s同学) beside a %s record; "
			    "expected no counselling, psychological, "
			    "disciplinary or family-hardship record tied to an "
			    "identifiable student: mask the name (%.3s某某)", m,
			    w, nm);
			free(nm);
			free(m);
			free(sent);
			return;
		}
		free(sent);
		a = f[b] ? b + 1 : b;
	}
}
