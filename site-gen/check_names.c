/*
 * check_names: rule name-spelling — one person's name written with one
 * character different in another place (刘伊怡 in twelve rows, 刘依怡 in
 * one).  Names are read from the table columns schemas/checks/names.yml
 * lists, the name columns of headerless tables, and the text before a
 * title (朱旭南老师).  A name written two ways once each is not flagged:
 * two people may have such names.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

size_t
sg_check_name_before(const struct sg_check_ctx *c, const char *f, size_t at,
    size_t *start)
{
	for (size_t chars = 3; chars >= 2; chars--) {
		size_t s = at, k = 0;
		while (s > 0 && k < chars) {
			s--;
			if (((unsigned char)f[s] & 0xC0) != 0x80)
				k++;
		}
		if (k < chars)
			continue;
		char *w = sg_xstrndup(f + s, at - s);
		size_t n = sg_check_name_at(c, w, 1);
		free(w);
		if (n) {
			*start = s;
			return n;
		}
	}
	return 0;
}

void
sg_check_names_line(struct sg_check_ctx *c, const struct sg_check_line *l,
    struct sg_check_facts *out)
{
	const struct sg_check_words *titles = sg_check_words(c, "names",
	    "titles");
	const char *f = l->f;

	if (!sg_check_line_word(l, titles))
		return;
	for (size_t i = 0; f[i]; i++) {
		size_t t = sg_check_word_at(titles, f + i), s, n;
		if (t == 0)
			continue;
		if ((n = sg_check_name_before(c, f, i, &s)) != 0)
			sg_check_fact_add(out, SG_FACT_NAME, sg_xstrndup(f + s, n),
			    NULL, NULL, l->file, l->line);
		i += t - 1;
	}
}

static void
table_names(struct sg_check_ctx *c, const struct sg_data *dt,
    struct sg_check_facts *out)
{
	const struct sg_table *t = dt->table;
	const struct sg_strv *cols = sg_check_list(c, "names", "columns");
	int headerless = 1;

	if (t == NULL || t->nrows < 2)
		return;
	for (size_t col = 0; col < t->ncols; col++)
		headerless &= *t->cells[0][col] == '\0';
	for (size_t col = 0; col < t->ncols; col++) {
		char *h = sg_schema_norm(t->cells[0][col]);
		int named = sg_strv_has(cols, h), n = 0, filled = 0;
		free(h);
		if (!named && !headerless)
			continue;
		for (int pass = 0; pass < 2; pass++)
			for (size_t r = 1; r < t->nrows; r++) {
				char *raw = sg_xstrdup(t->cells[r][col]), *save = NULL;
				for (char *p = raw; *p; p++)
					if (*p == ' ')
						*p = ',';
				char *f = sg_schema_fold(raw);
				sg_check_commas(f);
				for (char *w = strtok_r(f, ",;/", &save); w;
				    w = strtok_r(NULL, ",;/", &save)) {
					int ok = sg_check_name_at(c, w, 1) > 0;
					if (pass == 0) {
						filled++;
						n += ok;
					} else if (ok)
						sg_check_fact_add(out, SG_FACT_NAME,
						    sg_xstrdup(w), NULL, NULL,
						    dt->path, t->lines[r]);
				}
				free(f);
				free(raw);
				/* A headerless column is one of names if most
				 * of its cells are. */
				if (pass == 0 && r + 1 == t->nrows && headerless &&
				    (n < 2 || n * 5 < filled * 3))
					pass = 2;
			}
	}
}

/* 1 if a and b (same length) differ in exactly one character after the
 * first (the surname). */
static int
one_off(const char *a, const char *b)
{
	const char *p = a, *q = b;
	int diff = 0, k = 0;

	if (strlen(a) != strlen(b) || strcmp(a, b) == 0)
		return 0;
	while (*p && *q) {
		const char *p0 = p, *q0 = q;
		sg_utf8_next(&p);
		sg_utf8_next(&q);
		if (p - p0 != q - q0 || memcmp(p0, q0, (size_t)(p - p0)) != 0) {
			if (k == 0)
				return 0;
			diff++;
		}
		k++;
	}
	return diff == 1 && k >= 3;
}

void
sg_check_names(struct sg_check_ctx *c)
{
	struct sg_check_facts all = {0};
	struct sg_map count = {0};	/* name → its first fact's index + 1 */
	struct sg_strv uniq = {0};
	size_t *n = NULL;

	for (size_t i = 0; i < c->facts->n; i++)
		if (c->facts->v[i].kind == SG_FACT_NAME) {
			const struct sg_check_fact *x = &c->facts->v[i];
			sg_check_fact_add(&all, SG_FACT_NAME, sg_xstrdup(x->subject),
			    NULL, NULL, x->file, x->line);
		}
	for (size_t i = 0; i < c->r->ntables; i++)
		table_names(c, &c->r->tables[i], &all);
	/* Each name once, with how often it is written. */
	n = sg_xcalloc(all.n + 1, sizeof(*n));
	for (size_t i = 0; i < all.n; i++) {
		size_t at = (size_t)(uintptr_t)sg_map_get(&count, all.v[i].subject);
		if (at == 0) {
			sg_strv_push(&uniq, sg_xstrdup(all.v[i].subject));
			sg_map_put(&count, all.v[i].subject,
			    (void *)(uintptr_t)(i + 1));
			at = i + 1;
		}
		n[at - 1]++;
	}
	/* Pairs of names: bounded, since a report names some hundreds. */
	for (size_t bi = 0; uniq.n <= 5000 && bi < uniq.n; bi++) {
		size_t b = (size_t)(uintptr_t)sg_map_get(&count, uniq.v[bi]) - 1;
		const struct sg_check_fact *a = NULL;
		size_t na = 0;
		int others = 0;
		if (n[b] != 1)
			continue;
		/* The spelling most places use. */
		for (size_t ai = 0; ai < uniq.n; ai++) {
			size_t k = (size_t)(uintptr_t)sg_map_get(&count,
			    uniq.v[ai]) - 1;
			if (ai != bi && one_off(uniq.v[ai], uniq.v[bi]) && n[k] > na) {
				na = n[k];
				a = &all.v[k];
			}
		}
		if (a == NULL || na < 2)
			continue;
		/* Two names one off the same one (陈丹华, 陈俊华 beside
		 * 陈明华) are a common pattern of names, not a slip. */
		for (size_t k = 0; k < uniq.n && !others; k++)
			others = k != bi && strcmp(uniq.v[k], a->subject) != 0 &&
			    one_off(uniq.v[k], a->subject);
		if (others)
			continue;
		sg_check_emit(c, SG_RULE_NAME_SPELLING, all.v[b].file, all.v[b].line,
		    "%s here, but %s in %zu other places (%s:%d); expected one "
		    "spelling of one person's name", all.v[b].subject, a->subject,
		    na, a->file, a->line);
	}
	free(n);
	sg_map_clear(&count);
	sg_strv_clear(&uniq);
	for (size_t i = 0; i < all.n; i++)
		free(all.v[i].subject);
	free(all.v);
}
