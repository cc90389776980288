/*
 * check_read: what the reviewer's rules (check_review.c and the
 * check_<rule>.c it runs) share to read a document — its lines, each
 * folded once; the facts kept of it; numbers, sentence ends, personal
 * names and their masks, and the captions of narrative tables.
 */
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "check_int.h"
#include "doc.h"
#include "schema.h"
#include "sg.h"
#include "util.h"

/* ---- facts ---- */

struct sg_check_fact *
sg_check_fact_add(struct sg_check_facts *f, enum sg_check_fact_kind kind,
    char *subject, char *unit, char *text, const char *file, int line)
{
	struct sg_check_fact *x;

	f->v = sg_xrealloc(f->v, (f->n + 1) * sizeof(*f->v));
	x = &f->v[f->n++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->subject = subject;
	x->unit = unit;
	x->text = text;
	x->file = file;
	x->line = line;
	return x;
}

void
sg_check_facts_free(struct sg_check_facts *f)
{
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].subject);
		free(f->v[i].unit);
		free(f->v[i].text);
		free(f->v[i].alt);
	}
	free(f->v);
	free(f);
}

void
sg_check_facts_write(struct sg_buf *b, const struct sg_check_facts *f)
{
	sg_cache_w_u64(b, f->n);
	for (size_t i = 0; i < f->n; i++) {
		const struct sg_check_fact *x = &f->v[i];
		sg_cache_w_u64(b, (uint64_t)x->kind);
		sg_cache_w_str(b, x->subject);
		sg_cache_w_str(b, x->unit);
		sg_cache_w_str(b, x->text);
		sg_cache_w_str(b, x->alt);
		sg_cache_w_dbl(b, x->v);
		sg_cache_w_dbl(b, x->v2);
		sg_cache_w_i64(b, x->dec);
		sg_cache_w_i64(b, x->approx);
		sg_cache_w_i64(b, x->year);
		sg_cache_w_str(b, x->file);
		sg_cache_w_i64(b, x->line);
		sg_cache_w_u64(b, x->col);
	}
}

struct sg_check_facts *
sg_check_facts_read(struct sg_cache_r *r, const char *file)
{
	struct sg_check_facts *f = sg_xcalloc(1, sizeof(*f));
	uint64_t n = sg_cache_r_u64(r);

	/* Every fact takes a byte at least. */
	if (n > (uint64_t)(r->end - r->p))
		r->bad = 1;
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		uint64_t kind = sg_cache_r_u64(r);
		char *subject = sg_cache_r_str(r), *unit = sg_cache_r_str(r);
		char *text = sg_cache_r_str(r), *alt = sg_cache_r_str(r);
		double v = sg_cache_r_dbl(r), v2 = sg_cache_r_dbl(r);
		int dec = (int)sg_cache_r_i64(r);
		int approx = (int)sg_cache_r_i64(r);
		int year = (int)sg_cache_r_i64(r);
		char *fl = sg_cache_r_str(r);
		int line = (int)sg_cache_r_i64(r);
		size_t col = (size_t)sg_cache_r_u64(r);
		/* Facts borrow the document's path. */
		if (kind > SG_FACT_CUTOFF || fl == NULL || file == NULL ||
		    strcmp(fl, file) != 0)
			r->bad = 1;
		struct sg_check_fact *x = sg_check_fact_add(f,
		    (enum sg_check_fact_kind)kind, subject, unit, text, file,
		    line);
		x->alt = alt;
		x->v = v;
		x->v2 = v2;
		x->dec = dec;
		x->approx = approx;
		x->year = year;
		x->col = col;
		free(fl);
	}
	return f;
}

/* ---- shared readers ---- */

static int
is_d(char ch)
{
	return ch >= '0' && ch <= '9';
}

size_t
sg_check_number_at(const char *s, size_t pos, double *v, int *dec)
{
	size_t i = pos, k = 0;
	int d = 0;
	char buf[64], *num;

	if (!is_d(s[i]) || (pos > 0 && (is_d(s[pos - 1]) || s[pos - 1] == '.' ||
	    s[pos - 1] == ',')))
		return 0;
	while (is_d(s[i]) || (s[i] == ',' && is_d(s[i + 1]) && is_d(s[i + 2]) &&
	    is_d(s[i + 3]) && !is_d(s[i + 4])))
		i++;
	if (s[i] == '.' && is_d(s[i + 1]))
		for (i++; is_d(s[i]); i++)
			d++;
	/* Without its commas; on the stack unless it is very long. */
	num = i - pos < sizeof(buf) ? buf : sg_xmalloc(i - pos + 1);
	for (size_t j = pos; j < i; j++)
		if (s[j] != ',')
			num[k++] = s[j];
	num[k] = '\0';
	*v = strtod(num, NULL);
	*dec = d;
	if (num != buf)
		free(num);
	return i - pos;
}

int
sg_check_stop(const char *f, size_t i)
{
	if (f[i] == '.')
		return !(i > 0 && is_d(f[i - 1]) && is_d(f[i + 1]));
	return f[i] != '\0' && strchr("!?;", f[i]) != NULL;
}

void
sg_check_commas(char *s)
{
	char *p = s;

	while ((p = strstr(p, "、")) != NULL) {
		*p = ',';
		memmove(p + 1, p + 3, strlen(p + 3) + 1);
		p++;
	}
}

size_t
sg_check_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Byte length of the Chinese character at s, or 0. */
static size_t
han_at(const char *s)
{
	const char *p = s;
	int cp = sg_utf8_next(&p);

	return cp >= 0x3400 && cp <= 0x9FFF ? (size_t)(p - s) : 0;
}

size_t
sg_check_name_at(const struct sg_check_ctx *c, const char *s, int exact)
{
	const struct sg_check_words *compound = sg_check_words(c, "minors",
	    "compound");
	const struct sg_check_words *masks = sg_check_words(c, "minors",
	    "masks");
	size_t sn = sg_check_word_at(compound, s), n, k = 0, h;

	if (sn == 0 && (h = han_at(s)) != 0 && sg_check_surname(c, s, h))
		sn = h;
	if (sn == 0)
		return 0;
	n = sn;
	/* A mask right after the surname: 林某某; after a given name, the
	 * name has ended: 郑拉拉同学. */
	while (k < 3 && (h = han_at(s + n)) != 0) {
		if (sg_check_word_at(masks, s + n)) {
			if (k == 0)
				return 0;
			break;
		}
		n += h;
		k++;
	}
	if (exact && sg_strv_has(sg_check_list(c, "minors", "not_names"), s))
		return 0;
	if (k == 0 || (exact && s[n] != '\0'))
		return 0;
	return n;
}

int
sg_check_masked(const struct sg_check_ctx *c, const char *s)
{
	const struct sg_check_words *masks = sg_check_words(c, "minors",
	    "masks");
	const char *p = s;

	if (*p == '\0')
		return 0;
	sg_utf8_next(&p);
	return sg_check_word_at(masks, p) > 0;
}

char *
sg_check_mask_name(const char *name)
{
	const char *p = name;
	struct sg_buf b = {0};

	sg_utf8_next(&p);
	sg_buf_add(&b, name, (size_t)(p - name));
	while (*p) {
		sg_utf8_next(&p);
		sg_buf_putc(&b, '*');
	}
	return sg_buf_take(&b);
}

const char *
sg_check_caption(const struct sg_check_ctx *c, const char *rel)
{
	for (size_t i = 0; c->facts && i < c->facts->n; i++)
		if (c->facts->v[i].kind == SG_FACT_TABLEREF &&
		    strcmp(c->facts->v[i].subject, rel) == 0)
			return c->facts->v[i].text;
	return NULL;
}

/* ---- a document's lines ---- */

struct sg_check_lines *
sg_check_lines_new(const char *body)
{
	struct sg_check_lines *ls = sg_xcalloc(1, sizeof(*ls));
	const char *p = body;
	size_t cap = 0;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (ls->n == cap) {
			cap = cap ? cap * 2 : 64;
			ls->raw = sg_xrealloc(ls->raw, cap * sizeof(*ls->raw));
			ls->f = sg_xrealloc(ls->f, cap * sizeof(*ls->f));
		}
		ls->raw[ls->n] = sg_xstrndup(p, len);
		ls->f[ls->n++] = NULL;
		p += len + (e ? 1 : 0);
	}
	return ls;
}

const char *
sg_check_lines_fold(struct sg_check_lines *ls, size_t k)
{
	if (ls->f[k] == NULL)
		ls->f[k] = sg_schema_fold(ls->raw[k]);
	return ls->f[k];
}

void
sg_check_lines_free(struct sg_check_lines *ls)
{
	if (ls == NULL)
		return;
	for (size_t i = 0; i < ls->n; i++) {
		free(ls->raw[i]);
		free(ls->f[i]);
	}
	free(ls->raw);
	free(ls->f);
	free(ls);
}
