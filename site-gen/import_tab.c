/*
 * import_tab: the tables of an imported report.  A narrative table is
 * held until what follows it is known — a 图 caption after it makes it a
 * figure holding the table, a 数据来源/注 paragraph is its note — then
 * written as a pipe table when small and flat, else as tables/C-NN.csv
 * (merged cells filled in, with a 注 saying so).  The appendix tables are
 * recognised by their 附表 title or by their rows, matched to the
 * template's rows with the schema cursor and written in the documented
 * header to indicators/N-slug.csv.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "docx.h"
#include "import_int.h"
#include "scaffold.h"
#include "schema.h"
#include "util.h"

#define CELL(t, r, c)	((t)->cells[(r) * (t)->ncols + (c)])

static struct sg_docx_table *
table_copy(const struct sg_docx_table *t)
{
	struct sg_docx_table *n = sg_xcalloc(1, sizeof(*n));

	*n = *t;
	n->cells = sg_xcalloc(t->nrows * t->ncols, sizeof(char *));
	for (size_t k = 0; k < t->nrows * t->ncols; k++)
		n->cells[k] = sg_xstrdup(t->cells[k]);
	return n;
}

static void
table_drop(struct sg_docx_table *t)
{
	if (t == NULL)
		return;
	for (size_t k = 0; k < t->nrows * t->ncols; k++)
		free(t->cells[k]);
	free(t->cells);
	free(t);
}

/* Small and flat: a pipe table reads well in the Markdown itself. */
static int
is_small(const struct sg_docx_table *t)
{
	if (t->merged || t->nrows > 12 || t->ncols > 6 || t->nrows < 2)
		return 0;
	for (size_t k = 0; k < t->nrows * t->ncols; k++)
		if (strlen(t->cells[k]) > 60 || strchr(t->cells[k], '\n'))
			return 0;
	for (size_t c = 0; c < t->ncols; c++)
		if (*CELL(t, 0, c) == '\0')
			return 0;
	return 1;
}

static void
pipe_cell(struct sg_buf *b, const char *s)
{
	int ls = 0;

	sg_buf_puts(b, " ");
	sg_docx_md_escape(b, s, strlen(s), &ls);
	sg_buf_puts(b, " |");
}

static char *
csv_of(const struct sg_docx_table *t)
{
	struct sg_buf b = {0};

	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++)
			sg_scaffold_csv_field(&b, CELL(t, r, c), c == 0);
		sg_buf_puts(&b, "\n");
	}
	return sg_buf_take(&b);
}

static void
caption_text(struct sg_buf *b, const char *s)
{
	int ls = 0;

	sg_docx_md_escape(b, s, strlen(s), &ls);
}

void
sg_import_table_flush(struct sg_import *im)
{
	struct sg_docx_table *t = im->ptab;
	struct sg_buf *md;

	if (t == NULL)
		return;
	im->ptab = NULL;
	if (im->cur == NULL) {
		sg_diag_add(im->d, SG_WARNING, im->file, im->ptab_para,
		    SG_DIAG_PARA, "a table outside any chapter is not imported; "
		    "expected it under a chapter heading");
		goto out;
	}
	md = &im->cur->md;
	im->tables++;
	if (im->ptab_figure == NULL && is_small(t)) {
		if (im->ptab_caption) {
			sg_buf_puts(md, "表：");
			caption_text(md, im->ptab_caption);
			sg_buf_puts(md, "\n\n");
		}
		sg_buf_puts(md, "|");
		for (size_t c = 0; c < t->ncols; c++)
			pipe_cell(md, CELL(t, 0, c));
		sg_buf_puts(md, "\n|");
		for (size_t c = 0; c < t->ncols; c++)
			sg_buf_puts(md, "---|");
		sg_buf_puts(md, "\n");
		for (size_t r = 1; r < t->nrows; r++) {
			sg_buf_puts(md, "|");
			for (size_t c = 0; c < t->ncols; c++)
				pipe_cell(md, CELL(t, r, c));
			sg_buf_puts(md, "\n");
		}
		sg_buf_puts(md, "\n");
	} else {
		char *name = sg_xasprintf("tables/%d-%02d.csv",
		    sg_import_chapter_no(im), ++im->tabno);
		if (im->ptab_figure) {
			im->figno++;	/* image names follow the 图 numbers */
			sg_buf_printf(md, "![](%s%s \"", sg_import_prefix(im), name);
			for (const char *p = im->ptab_figure; *p; p++) {
				if (*p == '"' || *p == '\\')
					sg_buf_putc(md, '\\');
				sg_buf_putc(md, *p);
			}
			sg_buf_puts(md, "\")\n\n");
		} else {
			sg_buf_puts(md, "[");
			caption_text(md, im->ptab_caption ? im->ptab_caption :
			    "表");
			sg_buf_printf(md, "](%s%s)\n\n", sg_import_prefix(im), name);
			if (im->ptab_caption == NULL)
				sg_diag_add(im->d, SG_WARNING, im->file,
				    im->ptab_para, SG_DIAG_PARA, "a table "
				    "without a 表 caption is captioned “表”; "
				    "expected a caption paragraph before it");
		}
		char *csv = csv_of(t);
		sg_import_add_file(im, name, csv, strlen(csv));
	}
	if (im->ptab_note) {
		caption_text(md, im->ptab_note);
		sg_buf_puts(md, "\n\n");
	}
	if (t->merged) {
		sg_buf_puts(md, "注：原表中合并的单元格已按所跨的每一格分别填写。\n\n");
		sg_diag_add(im->d, SG_WARNING, im->file, im->ptab_para,
		    SG_DIAG_PARA, "merged cells of a table are filled in, one "
		    "copy per cell they spanned; a 注 under the table says so");
	}
out:
	table_drop(t);
	free(im->ptab_caption);
	free(im->ptab_figure);
	free(im->ptab_note);
	im->ptab_caption = im->ptab_figure = im->ptab_note = NULL;
	im->last_par_at = (size_t)-1;
}

/* ---- appendix tables ---- */

/* The header cell, folded: spaces gone, full-width to ASCII. */
static char *
hdr(const struct sg_docx_table *t, size_t c)
{
	return sg_schema_fold(CELL(t, 0, c));
}

/* A year column's year ("2023 年", "2023年", "2023"), else 0. */
static int
year_of(const char *h)
{
	if (strlen(h) >= 4 && strspn(h, "0123456789") == 4 &&
	    (h[4] == '\0' || strcmp(h + 4, "年") == 0))
		return atoi(h);
	return 0;
}

/* Rows of t that a template table knows, for recognising it. */
static int
rows_known(const struct sg_schema_table *st, const struct sg_docx_table *t,
    size_t namecol)
{
	int known = 0;

	for (size_t r = 1; r < t->nrows; r++) {
		char *n = sg_schema_norm(CELL(t, r, namecol));
		for (size_t k = 0; k < st->nrows; k++)
			if (*n && strcmp(n, st->rows[k].norm) == 0) {
				known++;
				break;
			}
		free(n);
	}
	return known;
}

static const struct sg_schema_table *
appendix_of(struct sg_import *im, const struct sg_docx_table *t,
    const char *heading, size_t namecol)
{
	const struct sg_schema *s = im->schema;
	const struct sg_schema_table *best = NULL;
	int bestn = 0;

	if (s == NULL || t->nrows < 2)
		return NULL;
	if (heading) {
		char *h = sg_schema_fold(heading);
		for (size_t i = 0; i < s->ntables; i++) {
			char *n = sg_schema_fold(s->tables[i].name);
			int hit = strstr(h, n) != NULL;
			free(n);
			if (hit) {
				free(h);
				return &s->tables[i];
			}
		}
		free(h);
	}
	for (size_t i = 0; i < s->ntables; i++) {
		int n = rows_known(&s->tables[i], t, namecol);
		if (n > bestn) {
			bestn = n;
			best = &s->tables[i];
		}
	}
	/* Most rows named as the template names them. */
	if (best && bestn >= 3 && (size_t)bestn * 2 >= t->nrows - 1)
		return best;
	return NULL;
}

/* What a rendered appendix table writes for an empty or "-" cell. */
static const char *
cell_value(const char *s)
{
	if (strcmp(s, "未填报") == 0)
		return "";
	if (strcmp(s, "不适用") == 0 || strcmp(s, "—") == 0 ||
	    strcmp(s, "–") == 0)
		return "-";
	return s;
}

/*
 * The name to write for a row: as written, or — when the template does
 * not know it — without a trailing （…） remark ("（核心指标）") or as a
 * second unit of the row before ("…，按学时计" → empty).  *row set.
 */
static char *
row_name(struct sg_schema_cursor *cur, const char *raw, int *row,
    enum sg_schema_result *res)
{
	struct sg_schema_cursor save = *cur;
	size_t nrows = cur->t->nrows;
	unsigned char *used = sg_xmalloc(nrows ? nrows : 1);
	char *name = sg_xstrdup(raw);

	memcpy(used, cur->used, nrows);
	*res = sg_schema_cursor_match(cur, name, row);
	if (*res == SG_SCHEMA_UNKNOWN) {
		char *p = strstr(name, "，按");
		size_t n = strlen(name);
		const char *close = "）";
		if (p && sg_has_suffix(name, "计")) {
			name[0] = '\0';
			*res = sg_schema_cursor_match(cur, name, row);
		} else if (n > strlen(close) && sg_has_suffix(name, close)) {
			char *open = NULL;
			for (char *q = strstr(name, "（"); q; q = strstr(q + 1,
			    "（"))
				open = q;
			if (open && open != name) {
				*open = '\0';
				*res = sg_schema_cursor_match(cur, name, row);
			}
		}
	}
	if (*res != SG_SCHEMA_MATCHED) {
		free(name);
		name = sg_xstrdup(raw);
		memcpy(cur->used, used, nrows);
		cur->next = save.next;
		cur->last = save.last;
	}
	free(used);
	return name;
}

static int
appendix(struct sg_import *im, const struct sg_docx_block *b,
    const struct sg_schema_table *st, size_t namecol)
{
	const struct sg_docx_table *t = b->table;
	size_t nocol = (size_t)-1, unitcol = (size_t)-1;
	size_t years[8], nyears = 0, extra[8], ek[8], nextra = 0;
	int yv[8];
	struct sg_buf csv = {0}, dropped = {0};
	struct sg_schema_cursor cur;

	if (st->number < 1 || st->number > 15 || im->appendix_done[st->number]) {
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "附表 %d %s appears a second time; this copy is not "
		    "imported", st->number, st->name);
		return 0;
	}
	im->appendix_done[st->number] = 1;
	for (size_t c = 0; c < t->ncols; c++) {
		char *h = hdr(t, c);
		int y = year_of(h);
		size_t k;
		if (strstr(h, "序号"))
			nocol = c;
		else if (c == namecol)
			;
		else if (strstr(h, "单位"))
			unitcol = c;
		else if (y > 0 && y <= im->year && nyears < 8) {
			yv[nyears] = y;
			years[nyears++] = c;
		} else {
			char *hn = sg_schema_norm(CELL(t, 0, c));
			for (k = 0; k < st->ncols; k++)
				if (strcmp(hn, st->cols[k].norm) == 0)
					break;
			free(hn);
			if (k < st->ncols && nextra < 8) {
				ek[nextra] = k;
				extra[nextra++] = c;
			}
			else {
				if (dropped.len)
					sg_buf_puts(&dropped, "、");
				sg_buf_puts(&dropped, CELL(t, 0, c));
			}
		}
		free(h);
	}
	if (dropped.len)
		sg_diag_add(im->d, SG_WARNING, im->file, b->para, SG_DIAG_PARA,
		    "附表 %d: column %s is not one of the template's and is not "
		    "imported", st->number, dropped.data);
	sg_buf_clear(&dropped);
	sg_buf_puts(&csv, "序号,指标,单位");
	for (size_t k = 0; k < nyears; k++)
		sg_buf_printf(&csv, ",%d年", yv[k]);
	for (size_t k = 0; k < nextra; k++)
		sg_scaffold_csv_field(&csv, st->cols[ek[k]].name, 0);
	sg_buf_puts(&csv, "\n");
	sg_schema_cursor_init(&cur, st);
	for (size_t r = 1; r < t->nrows; r++) {
		int row;
		enum sg_schema_result res;
		char *name = row_name(&cur, CELL(t, r, namecol), &row, &res);
		if (res != SG_SCHEMA_MATCHED) {
			struct sg_buf all = {0};
			for (size_t c = 0; c < t->ncols; c++) {
				if (c)
					sg_buf_puts(&all, ",");
				sg_buf_puts(&all, CELL(t, r, c));
			}
			sg_diag_add(im->d, SG_WARNING, im->file, b->para,
			    SG_DIAG_PARA, "附表 %d row %zu (%s) is not an "
			    "indicator of template %s and is not imported",
			    st->number, r + 1, all.data ? all.data : "",
			    im->schema->id);
			sg_buf_clear(&all);
			free(name);
			continue;
		}
		sg_scaffold_csv_field(&csv, nocol != (size_t)-1 ?
		    CELL(t, r, nocol) : "", 1);
		sg_scaffold_csv_field(&csv, name, 0);
		sg_scaffold_csv_field(&csv, unitcol != (size_t)-1 ?
		    CELL(t, r, unitcol) : st->rows[row].unit, 0);
		for (size_t k = 0; k < nyears; k++)
			sg_scaffold_csv_field(&csv, cell_value(CELL(t, r,
			    years[k])), 0);
		for (size_t k = 0; k < nextra; k++)
			sg_scaffold_csv_field(&csv, cell_value(CELL(t, r,
			    extra[k])), 0);
		sg_buf_puts(&csv, "\n");
		free(name);
	}
	sg_schema_cursor_clear(&cur);
	im->appendix++;
	char *path = sg_xasprintf("indicators/%d-%s.csv", st->number, st->slug);
	size_t len = csv.len;
	sg_import_add_file(im, path, sg_buf_take(&csv), len);
	return 1;
}

void
sg_import_table(struct sg_import *im, const struct sg_docx_block *b, const char *heading)
{
	const struct sg_docx_table *t = b->table;
	size_t namecol = (size_t)-1;

	sg_import_table_flush(im);
	for (size_t c = 0; c < t->ncols && t->nrows; c++) {
		char *h = hdr(t, c);
		if (namecol == (size_t)-1 && (strcmp(h, "指标") == 0 ||
		    strstr(h, "指标名称")))
			namecol = c;
		free(h);
	}
	if (namecol != (size_t)-1) {
		const struct sg_schema_table *st = appendix_of(im, t, heading,
		    namecol);
		if (st && appendix(im, b, st, namecol))
			return;
	}
	im->ptab = table_copy(t);
	im->ptab_para = b->para;
	im->ptab_caption = im->tab_caption;
	im->tab_caption = NULL;
}
