/*
 * diag: collects findings so that every problem of a run is reported in one
 * go, in the file:line:col form that editors jump to.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "util.h"

/* Render threads add findings to one list. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * s with what a terminal or a page would act on made visible: control
 * characters (an escape sequence from content would recolour or clear the
 * terminal; a line break would forge another finding), C1 controls, the
 * bidirectional overrides that reorder what is shown, and bytes that are
 * not UTF-8, each written \n, \t, \xNN or \u{NNNN}.  Caller frees.
 */
char *
sg_diag_visible(const char *s)
{
	struct sg_buf b = {0};

	sg_buf_puts(&b, "");
	while (*s) {
		const char *at = s;
		int cp = sg_utf8_next(&s);
		if (cp < 0) {
			sg_buf_printf(&b, "\\x%02X", (unsigned char)*at);
			s = at + 1;
		} else if (cp == '\n')
			sg_buf_puts(&b, "\\n");
		else if (cp == '\r')
			sg_buf_puts(&b, "\\r");
		else if (cp == '\t')
			sg_buf_puts(&b, "\\t");
		else if (cp < 0x20 || cp == 0x7F)
			sg_buf_printf(&b, "\\x%02X", cp);
		else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0x202A &&
		    cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			sg_buf_printf(&b, "\\u{%04X}", cp);
		else
			sg_buf_add(&b, at, (size_t)(s - at));
	}
	return sg_buf_take(&b);
}

static void
vadd(struct sg_diag *d, enum sg_sev sev, const char *rule, const char *file,
    int line, int col, const char *fmt, va_list ap)
{
	struct sg_buf b = {0};
	struct sg_diag_item *it;
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	sg_buf_grow(&b, n > 0 ? (size_t)n : 0);
	vsnprintf(b.data, (size_t)(n > 0 ? n : 0) + 1, fmt, ap2);
	va_end(ap2);

	pthread_mutex_lock(&lock);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = sg_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	it = &d->v[d->n++];
	it->sev = sev;
	it->file = file ? sg_xstrdup(file) : NULL;
	it->line = line;
	it->col = col;
	it->msg = b.data;
	it->rule = rule;
	pthread_mutex_unlock(&lock);
}

void
sg_diag_add(struct sg_diag *d, enum sg_sev sev, const char *file, int line,
    int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, sev, NULL, file, line, col, fmt, ap);
	va_end(ap);
}

void
sg_diag_rule(struct sg_diag *d, enum sg_sev sev, const char *rule,
    const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, sev, rule, file, line, col, fmt, ap);
	va_end(ap);
}

void
sg_diag_merge(struct sg_diag *dst, struct sg_diag *src)
{
	for (size_t i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			dst->cap = dst->cap ? dst->cap * 2 : 16;
			dst->v = sg_xrealloc(dst->v, dst->cap * sizeof(*dst->v));
		}
		dst->v[dst->n++] = src->v[i];
	}
	free(src->v);
	src->v = NULL;
	src->n = src->cap = 0;
}

static int
cmp_item(const void *pa, const void *pb)
{
	const struct sg_diag_item *a = pa, *b = pb;
	int c;

	c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

void
sg_diag_sort(struct sg_diag *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), cmp_item);
	/* The same finding reached twice (a case linked from two places)
	 * is said once. */
	size_t w = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (w > 0 && cmp_item(&d->v[w - 1], &d->v[i]) == 0) {
			free(d->v[i].file);
			free(d->v[i].msg);
			continue;
		}
		d->v[w++] = d->v[i];
	}
	d->n = w;
}

size_t
sg_diag_count(const struct sg_diag *d, enum sg_sev sev)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].sev == sev)
			n++;
	return n;
}

int
sg_diag_failed(const struct sg_diag *d)
{
	return sg_diag_count(d, SG_ERROR) + sg_diag_count(d, SG_FATAL) > 0;
}

const char *
sg_diag_sevname(enum sg_sev sev)
{
	switch (sev) {
	case SG_NOTE: return "note";
	case SG_WARNING: return "warning";
	case SG_ERROR: return "error";
	default: return "fatal";
	}
}

void
sg_diag_print(const struct sg_diag *d, FILE *fp, int colour)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sg_diag_item *it = &d->v[i];
		const char *c = "", *r = "";

		if (colour) {
			r = "\033[0m";
			c = it->sev >= SG_ERROR ? "\033[1;31m" :
			    it->sev == SG_WARNING ? "\033[1;33m" : "\033[1;36m";
		}
		/* Text from content, shown: an escape sequence or a line
		 * break in it must not act on the terminal. */
		char *file = it->file ? sg_diag_visible(it->file) : NULL;
		char *msg = sg_diag_visible(it->msg);
		if (file && it->line > 0 && it->col > 0)
			fprintf(fp, "%s:%d:%d: ", file, it->line, it->col);
		else if (file && it->line > 0)
			fprintf(fp, "%s:%d: ", file, it->line);
		else if (file)
			fprintf(fp, "%s: ", file);
		else
			fputs("site-gen: ", fp);
		fprintf(fp, "%s%s%s: %s\n", c, sg_diag_sevname(it->sev), r, msg);
		free(file);
		free(msg);
	}
}

static size_t
count_files(const struct sg_diag *d)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n; i++)
		if (i == 0 || strcmp(d->v[i].file ? d->v[i].file : "",
		    d->v[i - 1].file ? d->v[i - 1].file : "") != 0)
			n++;
	return n;
}

void
sg_diag_print_grouped(const struct sg_diag *d, FILE *fp, int colour,
    const char *what)
{
	size_t nf = count_files(d);

	for (size_t i = 0; i < d->n; i++) {
		struct sg_diag one = {(struct sg_diag_item *)&d->v[i], 1, 1};
		if (i > 0 && strcmp(d->v[i].file ? d->v[i].file : "",
		    d->v[i - 1].file ? d->v[i - 1].file : "") != 0)
			fputc('\n', fp);
		sg_diag_print(&one, fp, colour);
	}
	if (d->n)
		fputc('\n', fp);
	fprintf(fp, "%s%s%zu errors, %zu warnings in %zu file%s\n",
	    what ? what : "", what ? ": " : "",
	    sg_diag_count(d, SG_ERROR) + sg_diag_count(d, SG_FATAL),
	    sg_diag_count(d, SG_WARNING), nf, nf == 1 ? "" : "s");
}

/* JSON strings through the one escaper, util's. */
static void
json_str(FILE *fp, const char *s)
{
	struct sg_buf b = {0};

	sg_buf_json(&b, s);
	fwrite(b.data, 1, b.len, fp);
	sg_buf_clear(&b);
}

void
sg_diag_print_json(const struct sg_diag *d, FILE *fp)
{
	fputs("{\"files\":[", fp);
	for (size_t i = 0; i < d->n; i++) {
		const struct sg_diag_item *it = &d->v[i];
		int first = i == 0 || strcmp(it->file ? it->file : "",
		    d->v[i - 1].file ? d->v[i - 1].file : "") != 0;
		if (first) {
			fputs(i ? "]},\n{\"file\":" : "\n{\"file\":", fp);
			if (it->file)
				json_str(fp, it->file);
			else
				fputs("null", fp);
			fputs(",\"findings\":[", fp);
		} else
			fputc(',', fp);
		fprintf(fp, "{\"line\":%d,\"column\":%d,\"severity\":\"%s\","
		    "\"rule\":", it->line, it->col, sg_diag_sevname(it->sev));
		if (it->rule)
			json_str(fp, it->rule);
		else
			fputs("null", fp);
		fputs(",\"message\":", fp);
		json_str(fp, it->msg);
		fputc('}', fp);
	}
	if (d->n)
		fputs("]}", fp);
	fprintf(fp, "],\n\"summary\":{\"errors\":%zu,\"warnings\":%zu,"
	    "\"notes\":%zu,\"files\":%zu}}\n",
	    sg_diag_count(d, SG_ERROR) + sg_diag_count(d, SG_FATAL),
	    sg_diag_count(d, SG_WARNING), sg_diag_count(d, SG_NOTE),
	    count_files(d));
}

void
sg_diag_clear(struct sg_diag *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
	}
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}
