/*
 * table: CSV parsing with libcsv plus the encoding detection that libcsv
 * leaves to us.  Nothing half-parsed is returned: a table with any error is
 * freed and NULL returned, with every problem reported.
 */
#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "diag.h"
#include "sg.h"
#include "table.h"
#include "util.h"

struct row {
	char	**cells;
	size_t	  n;
	size_t	  cap;
	int	  line;
};

struct parse {
	struct row	*rows;
	size_t		 n;
	size_t		 cap;
	struct row	 cur;
	int		 line;		/* line being fed */
	int		 cur_started;
};

static void
on_field(void *s, size_t len, void *ctx)
{
	struct parse *p = ctx;

	if (!p->cur_started) {
		p->cur_started = 1;
		p->cur.line = p->line;
	}
	if (p->cur.n == p->cur.cap) {
		p->cur.cap = p->cur.cap ? p->cur.cap * 2 : 8;
		p->cur.cells = sg_xrealloc(p->cur.cells,
		    p->cur.cap * sizeof(char *));
	}
	p->cur.cells[p->cur.n++] = sg_xstrndup(s ? s : "", s ? len : 0);
}

static void
on_row(int c, void *ctx)
{
	struct parse *p = ctx;

	(void)c;
	if (!p->cur_started)
		p->cur.line = p->line;
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->rows = sg_xrealloc(p->rows, p->cap * sizeof(*p->rows));
	}
	p->rows[p->n++] = p->cur;
	memset(&p->cur, 0, sizeof(p->cur));
	p->cur_started = 0;
}

static void
free_rows(struct parse *p)
{
	for (size_t i = 0; i < p->n; i++) {
		for (size_t j = 0; j < p->rows[i].n; j++)
			free(p->rows[i].cells[j]);
		free(p->rows[i].cells);
	}
	for (size_t j = 0; j < p->cur.n; j++)
		free(p->cur.cells[j]);
	free(p->cur.cells);
	free(p->rows);
}

char *
sg_table_to_utf8(const char *data, size_t len, const char **enc, int *badline)
{
	iconv_t cd;
	struct sg_buf out = {0};
	char *in, *inp;
	size_t inleft;
	int line;

	*badline = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if ((line = sg_utf8_check(data, len)) == 0) {
		*enc = "UTF-8";
		return sg_xstrndup(data, len);
	}
	if (memchr(data, '\0', len) != NULL) {
		/* NUL bytes: a spreadsheet, an image or UTF-16, not CSV. */
		*badline = line;
		return NULL;
	}
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		*badline = line;
		return NULL;
	}
	in = inp = sg_xstrndup(data, len);
	inleft = len;
	sg_buf_grow(&out, len * 2);
	while (inleft > 0) {
		char *op = out.data + out.len;
		size_t oleft = out.cap - out.len - 1;
		size_t r = iconv(cd, &inp, &inleft, &op, &oleft);
		out.len = (size_t)(op - out.data);
		if (r == (size_t)-1) {
			if (errno == E2BIG) {
				sg_buf_grow(&out, out.cap);
				continue;
			}
			/* Count the lines up to the bad byte. */
			*badline = 1;
			for (char *c = in; c < inp; c++)
				if (*c == '\n')
					(*badline)++;
			iconv_close(cd);
			free(in);
			sg_buf_clear(&out);
			return NULL;
		}
	}
	iconv_close(cd);
	free(in);
	out.data[out.len] = '\0';
	/* GB18030 decodes almost any byte string; refuse control bytes. */
	for (size_t i = 0; i < out.len; i++) {
		unsigned char c = (unsigned char)out.data[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
			sg_buf_clear(&out);
			*badline = line;
			return NULL;
		}
	}
	*enc = "GB18030";
	return sg_buf_take(&out);
}

struct sg_table *
sg_table_parse(const char *file, const char *data, size_t len,
    struct sg_diag *d)
{
	struct csv_parser cp;
	struct parse p;
	struct sg_table *t = NULL;
	const char *enc = NULL;
	char *text, *s;
	int badline, bad = 0;

	memset(&p, 0, sizeof(p));
	if ((text = sg_table_to_utf8(data, len, &enc, &badline)) == NULL) {
		sg_diag_add(d, SG_ERROR, file, badline, 0,
		    "not a text CSV file (bytes that are neither UTF-8 nor "
		    "GBK/GB18030); expected a CSV saved as UTF-8 or GBK text");
		return NULL;
	}
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		free(text);
		sg_diag_add(d, SG_FATAL, file, 0, 0, "cannot start the CSV parser");
		return NULL;
	}
	/* Feed one line at a time so each row knows where it starts. */
	p.line = 1;
	for (s = text; *s; ) {
		char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);
		if (csv_parse(&cp, s, n, on_field, on_row, &p) != n) {
			sg_diag_add(d, SG_ERROR, file, p.line, 0,
			    "malformed CSV: %s; expected RFC 4180 fields "
			    "(quote a field that holds commas, quotes or line "
			    "breaks, and double its quotes)",
			    csv_strerror(csv_error(&cp)));
			bad = 1;
			break;
		}
		s += n;
		p.line++;
		if (p.n > SG_MAX_CSV_ROWS) {
			sg_diag_add(d, SG_ERROR, file, p.line - 1, 0, "more than "
			    "%d rows; expected a table of at most %d rows",
			    SG_MAX_CSV_ROWS, SG_MAX_CSV_ROWS);
			bad = 1;
			break;
		}
	}
	if (!bad && csv_fini(&cp, on_field, on_row, &p) != 0) {
		sg_diag_add(d, SG_ERROR, file, p.cur.line ? p.cur.line : p.line,
		    0, "malformed CSV: a quoted field is not closed; expected "
		    "a closing '\"'");
		bad = 1;
	}
	csv_free(&cp);
	free(text);
	if (!bad && p.n == 0) {
		sg_diag_add(d, SG_ERROR, file, 1, 0,
		    "empty CSV; expected a header row and data rows");
		bad = 1;
	}
	if (!bad) {
		size_t want = p.rows[0].n;
		for (size_t i = 1; i < p.n; i++) {
			if (p.rows[i].n != want) {
				sg_diag_add(d, SG_ERROR, file, p.rows[i].line, 0,
				    "row has %zu fields; expected %zu like the "
				    "header row", p.rows[i].n, want);
				bad = 1;
			}
		}
	}
	if (bad) {
		free_rows(&p);
		return NULL;
	}
	t = sg_xcalloc(1, sizeof(*t));
	t->file = sg_xstrdup(file);
	t->ncols = p.rows[0].n;
	t->nrows = p.n;
	t->cells = sg_xcalloc(p.n, sizeof(char **));
	t->lines = sg_xcalloc(p.n, sizeof(int));
	t->encoding = sg_xstrdup(enc);
	for (size_t i = 0; i < p.n; i++) {
		t->cells[i] = p.rows[i].cells;
		t->lines[i] = p.rows[i].line;
		/* A trailing CR stays when a file mixes line ends; a line
		 * break inside a quoted field is CRLF in Windows files. */
		for (size_t j = 0; j < p.rows[i].n; j++) {
			char *c = t->cells[i][j], *w = c;
			size_t l;
			for (char *r = c; *r; r++)
				if (!(r[0] == '\r' && r[1] == '\n'))
					*w++ = *r;
			*w = '\0';
			l = strlen(c);
			while (l > 0 && (c[l - 1] == '\r'))
				c[--l] = '\0';
		}
	}
	for (size_t j = 0; j < p.cur.n; j++)
		free(p.cur.cells[j]);
	free(p.cur.cells);
	free(p.rows);
	return t;
}

uint64_t
sg_table_key(uint64_t k, const struct sg_table *t)
{
	if (t == NULL)
		return sg_cache_mix_u64(k, UINT64_MAX);
	k = sg_cache_mix_u64(k, t->nrows);
	k = sg_cache_mix_u64(k, t->ncols);
	for (size_t row = 0; row < t->nrows; row++)
		for (size_t col = 0; col < t->ncols; col++)
			k = sg_cache_mix_str(k, t->cells[row][col]);
	return k;
}

void
sg_table_free(struct sg_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		for (size_t j = 0; j < t->ncols; j++)
			free(t->cells[i][j]);
		free(t->cells[i]);
	}
	free(t->cells);
	free(t->lines);
	free(t->file);
	free(t->encoding);
	free(t);
}

void
sg_table_csv_field(struct sg_buf *b, const char *s)
{
	size_t len = strlen(s), n;

	/* libcsv, which reads the files back, trims spaces and tabs off an
	 * unquoted field: a field that starts or ends with one is quoted. */
	if (strpbrk(s, ",\"\r\n") == NULL && (len == 0 ||
	    (!isspace((unsigned char)s[0]) &&
	    !isspace((unsigned char)s[len - 1])))) {
		sg_buf_add(b, s, len);
		return;
	}
	n = csv_write(NULL, 0, s, len);
	sg_buf_grow(b, n);
	csv_write(b->data + b->len, n, s, len);
	b->len += n;
	b->data[b->len] = '\0';
}
