/*
 * check_identifiers: more identifiers than privacy.c's ID, mobile and
 * email — rules privacy-birthdate (a birth date beside a personal name, in
 * a sentence or a table) and privacy-address (a home address: …路…号…室,
 * …村…组…号).  Bank card numbers and old 15-digit ID numbers are found by
 * privacy.c (sg_privacy_scan_more) and reported with the others in
 * check.c.  The words are schemas/checks/identifiers.yml.
 */
#include <stdlib.h>
#include <string.h>

#include "check_int.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

#define L(k) sg_check_list(c, "identifiers", k)
#define W(k) sg_check_words(c, "identifiers", k)

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Bytes of a number at s: ASCII digits or Chinese numerals. */
static size_t
numeral_at(const char *s)
{
	static const char cn[] = "一二三四五六七八九十百零〇";
	size_t n = 0;

	for (;;) {
		if (is_d(s[n])) {
			n++;
			continue;
		}
		if ((unsigned char)s[n] >= 0xE4 && s[n + 1] && s[n + 2]) {
			const char *p = cn;
			int hit = 0;
			while (*p && !hit) {
				hit = memcmp(p, s + n, 3) == 0;
				p += 3;
			}
			if (hit) {
				n += 3;
				continue;
			}
		}
		return n;
	}
}

static int
stop(char ch)
{
	return ch == '\0' || strchr(",.;:!?()[]\"'|", ch) != NULL;
}

/* The address of pattern pat (words split by tabs) at folded position i,
 * or 0: its end. */
static size_t
address_at(const char *f, size_t i, const char *pat)
{
	size_t at = i, n = strcspn(pat, "\t");

	/* The place word, after its name. */
	if (strncmp(f + at, pat, n) != 0 || at < 3 ||
	    (unsigned char)f[at - 3] < 0xE4)
		return 0;
	at += n;
	for (const char *w = pat + n; *w == '\t';) {
		size_t skip = 0, num;
		w++;
		n = strcspn(w, "\t");
		/* Up to 10 characters of the address, then a number and the
		 * word. */
		for (;;) {
			if ((num = numeral_at(f + at)) > 0 &&
			    strncmp(f + at + num, w, n) == 0) {
				at += num + n;
				break;
			}
			if (stop(f[at]) || ++skip > 10)
				return 0;
			at++;
			while (((unsigned char)f[at] & 0xC0) == 0x80)
				at++;
		}
		w += n;
	}
	return at;
}

static void
find_address(struct sg_check_ctx *c, const struct sg_check_line *l)
{
	const struct sg_check_words *pats = W("address");
	const char *cand[32], *f = l->f;
	size_t nc = 0;

	/* Only the patterns whose every word is in the line. */
	for (size_t p = 0; p < pats->w.n && nc < 32; p++)
		if (sg_check_line_parts(c, l, pats, p))
			cand[nc++] = pats->w.v[p];
	for (size_t i = 0; nc && f[i]; i++) {
		for (size_t p = 0; p < nc; p++) {
			size_t e = address_at(f, i, cand[p]);
			if (e == 0)
				continue;
			/* Show the numbers masked. */
			char *a = sg_xstrndup(f + i, e - i);
			for (char *q = a; *q; q++)
				if (is_d(*q))
					*q = '*';
			sg_check_emit(c, SG_RULE_PRIVACY_ADDRESS, l->file, l->line,
			    "a home address (…%s) is published; expected no "
			    "home address "
			    "in a public report (the school's own address is in "
			    "site.yml; allow: [privacy-address] if this is an "
			    "office's)", a);
			free(a);
			return;
		}
	}
}

/* A date at folded s: 2008年3月5日, 2008.3.5, 2008-03-05, 2008/3/5. */
static size_t
date_at(const char *s)
{
	size_t i = 0;

	if (!(is_d(s[0]) && is_d(s[1]) && is_d(s[2]) && is_d(s[3])))
		return 0;
	i = 4;
	if (strncmp(s + i, "年", 3) == 0)
		i += 3;
	else if (s[i] == '.' || s[i] == '-' || s[i] == '/')
		i++;
	else
		return 0;
	if (!is_d(s[i]))
		return 0;
	while (is_d(s[i]))
		i++;
	return i;
}

void
sg_check_identifiers_line(struct sg_check_ctx *c,
    const struct sg_check_line *l)
{
	const char *f = l->f;
	const char *bw;

	find_address(c, l);
	if ((bw = sg_check_line_word(l, W("birth_words"))) == NULL)
		return;
	/* A sentence that starts with a name (张三，男，2008年3月出生) and
	 * states a birth date. */
	size_t a = 0;
	for (size_t i = 0;; i++) {
		if (f[i] == '\0' || sg_check_stop(f, i)) {
			char *sent = sg_xstrndup(f + a, i - a);
			size_t n = sg_check_name_at(c, sent, 0), d = 0;
			int dated = 0;
			for (size_t k = 0; sent[k] && !dated; k++)
				dated = (d = date_at(sent + k)) > 0;
			if (n && (sent[n] == ',' || sent[n] == '(' ||
			    strncmp(sent + n, "、", 3) == 0 ||
			    strncmp(sent + n, "同学", 6) == 0) && dated &&
			    sg_check_word_in(W("birth_words"), sent)) {
				char *nm = sg_xstrndup(sent, n);
				char *m = sg_check_mask_name(nm);
				sg_check_emit(c, SG_RULE_PRIVACY_BIRTHDATE, l->file,
				    l->line, "the birth date of %s is published; "
				    "expected no birth date beside a personal name "
				    "in a public report", m);
				free(nm);
				free(m);
				free(sent);
				return;
			}
			free(sent);
			a = i + 1;
		}
		if (f[i] == '\0')
			break;
	}
}

static int
header_in(const struct sg_strv *words, const char *cell)
{
	char *f = sg_schema_norm(cell);
	int r = sg_strv_has(words, f);

	free(f);
	return r;
}

void
sg_check_identifiers_tables(struct sg_check_ctx *c)
{
	for (size_t i = 0; i < c->r->ntables; i++) {
		const struct sg_data *dt = &c->r->tables[i];
		const struct sg_table *t = dt->table;
		int birth = -1, addr = -1, acol;
		if (t == NULL || t->nrows < 2)
			continue;
		for (size_t col = 0; col < t->ncols; col++) {
			if (header_in(L("birth_columns"), t->cells[0][col]))
				birth = (int)col;
			if (header_in(L("address_columns"), t->cells[0][col]))
				addr = (int)col;
		}
		acol = addr;
		for (size_t r = 1; r < t->nrows; r++) {
			int named = 0;
			for (size_t col = 0; col < t->ncols && !named; col++)
				named = sg_check_name_at(c, t->cells[r][col], 1) > 0;
			if (birth >= 0 && named && *t->cells[r][birth]) {
				sg_check_emit(c, SG_RULE_PRIVACY_BIRTHDATE, dt->path,
				    t->lines[r], "%s has a column of birth dates "
				    "(%s) beside personal names; expected no birth "
				    "date of a named person in a public report",
				    dt->rel, t->cells[0][birth]);
				birth = -1;
			}
			if (addr >= 0 && *t->cells[r][addr]) {
				sg_check_emit(c, SG_RULE_PRIVACY_ADDRESS, dt->path,
				    t->lines[r], "%s has a column of addresses "
				    "(%s); expected no home address in a public "
				    "report", dt->rel, t->cells[0][addr]);
				addr = -1;
			}
			for (size_t col = 0; col < t->ncols; col++) {
				char *f;
				if ((int)col == acol)
					continue;	/* said once, above */
				f = sg_schema_fold(t->cells[r][col]);
				struct sg_check_line cl = {dt->path, t->lines[r], f,
				    f, 0, NULL};
				find_address(c, &cl);
				free(f);
			}
		}
	}
}
