/*
 * indwrite: the appendix tables as files for download — each table as CSV
 * (UTF-8 with BOM and CRLF, so that Excel opens the Chinese right, and in
 * the same format the reader takes) and JSON, and the site's
 * indicators.json with every report and every restatement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicators.h"
#include "indwrite.h"
#include "schema.h"
#include "table.h"
#include "util.h"

/* ---- CSV ---- */

char *
sg_ind_csv(const struct sg_ind_table *t, size_t *len)
{
	const struct sg_schema_table *st = t->schema;
	struct sg_buf b = {0};
	char *r;

	sg_buf_puts(&b, "\xEF\xBB\xBF序号,指标,单位");
	for (size_t y = 0; y < t->nyears; y++)
		sg_buf_printf(&b, ",%d年", t->years[y]);
	for (size_t c = 0; c < st->ncols; c++) {
		sg_buf_putc(&b, ',');
		sg_table_csv_field(&b, st->cols[c].name);
	}
	sg_buf_puts(&b, "\r\n");
	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_schema_row *sr = &st->rows[i];
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);
		struct sg_buf name = {0};

		sg_table_csv_field(&b, sr->no ? sr->no : "");
		sg_buf_putc(&b, ',');
		/* Ideographic spaces indent sub-rows in a spreadsheet and are
		 * ignored when the file is read back. */
		sg_buf_puts(&name, "");
		if (sr->main < 0) {
			for (int k = 0; k < sr->depth; k++)
				sg_buf_puts(&name, "\xE3\x80\x80");
			sg_buf_puts(&name, sr->name);
			if (sr->core)
				sg_buf_putc(&name, '*');
		}
		sg_table_csv_field(&b, name.data);
		sg_buf_clear(&name);
		sg_buf_putc(&b, ',');
		sg_table_csv_field(&b, row ? row->unit : *sr->unit ? sr->unit : "—");
		for (size_t y = 0; y < t->nyears; y++) {
			sg_buf_putc(&b, ',');
			sg_table_csv_field(&b, row ? row->values[y].text : "");
		}
		for (size_t c = 0; c < st->ncols; c++) {
			sg_buf_putc(&b, ',');
			sg_table_csv_field(&b, row ? row->cols[c].text : "");
		}
		sg_buf_puts(&b, "\r\n");
	}
	for (size_t i = 0; i < t->notes.n; i++) {
		sg_table_csv_field(&b, t->notes.v[i]);
		for (size_t c = 1; c < 3 + t->nyears + st->ncols; c++)
			sg_buf_putc(&b, ',');
		sg_buf_puts(&b, "\r\n");
	}
	*len = b.len;
	r = sg_buf_take(&b);
	return r;
}

/* ---- JSON ---- */

static void
json_value(struct sg_buf *b, const struct sg_ind_value *v)
{
	if (v == NULL || v->state == SG_IND_EMPTY)
		sg_buf_puts(b, "\"status\": \"not_filled\", \"value\": null");
	else if (v->state == SG_IND_NA)
		sg_buf_puts(b, "\"status\": \"not_applicable\", \"value\": null");
	else
		sg_buf_printf(b, "\"status\": \"number\", \"value\": %s", v->text);
}

void
sg_ind_json(struct sg_buf *b, const struct sg_ind_table *t,
    const char *template_id)
{
	const struct sg_schema_table *st = t->schema;

	sg_buf_puts(b, "{\"template\": ");
	sg_buf_json(b, template_id);
	sg_buf_printf(b, ", \"number\": %d, \"slug\": ", st->number);
	sg_buf_json(b, st->slug);
	sg_buf_puts(b, ", \"name\": ");
	sg_buf_json(b, st->name);
	sg_buf_printf(b, ", \"report_year\": %d, \"source\": ", t->year);
	sg_buf_json(b, t->file);
	sg_buf_puts(b, ", \"years\": [");
	for (size_t y = 0; y < t->nyears; y++)
		sg_buf_printf(b, "%s%d", y ? ", " : "", t->years[y]);
	sg_buf_puts(b, "], \"columns\": [");
	for (size_t c = 0; c < st->ncols; c++) {
		sg_buf_puts(b, c ? ", {\"name\": " : "{\"name\": ");
		sg_buf_json(b, st->cols[c].name);
		sg_buf_puts(b, ", \"unit\": ");
		if (st->cols[c].unit)
			sg_buf_json(b, st->cols[c].unit);
		else
			sg_buf_puts(b, "null");
		sg_buf_puts(b, "}");
	}
	sg_buf_puts(b, "], \"notes\": [");
	for (size_t i = 0; i < t->notes.n; i++) {
		if (i)
			sg_buf_puts(b, ", ");
		sg_buf_json(b, t->notes.v[i]);
	}
	sg_buf_puts(b, "],\n \"rows\": [");
	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_schema_row *sr = &st->rows[i];
		const struct sg_ind_row *row = sg_ind_row(t, (int)i);

		sg_buf_puts(b, i ? ",\n  {\"id\": " : "\n  {\"id\": ");
		sg_buf_json(b, sr->key);
		sg_buf_puts(b, ", \"no\": ");
		if (sr->no)
			sg_buf_json(b, sr->no);
		else
			sg_buf_puts(b, "null");
		sg_buf_puts(b, ", \"name\": ");
		sg_buf_json(b, sr->name);
		sg_buf_puts(b, ", \"unit\": ");
		sg_buf_json(b, sr->unit);
		sg_buf_printf(b, ", \"core\": %s, \"depth\": %d, \"parent\": ",
		    sr->core ? "true" : "false", sr->depth);
		if (sr->parent >= 0)
			sg_buf_json(b, st->rows[sr->parent].key);
		else
			sg_buf_puts(b, "null");
		sg_buf_printf(b, ", \"part\": %s, \"continues\": ",
		    sr->part ? "true" : "false");
		if (sr->main >= 0)
			sg_buf_json(b, st->rows[sr->main].key);
		else
			sg_buf_puts(b, "null");
		sg_buf_puts(b, ", \"reported\": ");
		if (row) {
			sg_buf_printf(b, "{\"line\": %d, \"no\": ", row->line);
			sg_buf_json(b, row->no);
			sg_buf_puts(b, ", \"label\": ");
			sg_buf_json(b, row->label);
			sg_buf_puts(b, ", \"unit\": ");
			sg_buf_json(b, row->unit);
			sg_buf_puts(b, "}");
		} else
			sg_buf_puts(b, "null");
		sg_buf_puts(b, ", \"values\": [");
		for (size_t y = 0; y < t->nyears; y++) {
			sg_buf_printf(b, "%s{\"year\": %d, ", y ? ", " : "",
			    t->years[y]);
			json_value(b, row ? &row->values[y] : NULL);
			sg_buf_puts(b, "}");
		}
		sg_buf_puts(b, "]");
		if (st->ncols) {
			sg_buf_puts(b, ", \"columns\": {");
			for (size_t c = 0; c < st->ncols; c++) {
				const struct sg_ind_value *v = row ? &row->cols[c] :
				    NULL;
				if (c)
					sg_buf_puts(b, ", ");
				sg_buf_json(b, st->cols[c].name);
				sg_buf_puts(b, ": ");
				if (st->cols[c].number) {
					sg_buf_puts(b, "{");
					json_value(b, v);
					sg_buf_puts(b, "}");
				} else if (v && *v->text)
					sg_buf_json(b, v->text);
				else
					sg_buf_puts(b, "null");
			}
			sg_buf_puts(b, "}");
		}
		sg_buf_puts(b, "}");
	}
	sg_buf_puts(b, "\n ]}");
}

char *
sg_ind_site_json(const struct sg_site *s, size_t *len)
{
	struct sg_buf b = {0};
	struct sg_strv keys = {0};
	int first = 1;

	sg_buf_puts(&b, "{\"site\": ");
	sg_buf_json(&b, s->title);
	sg_buf_puts(&b, ", \"school\": ");
	sg_buf_json(&b, s->school);
	sg_buf_puts(&b, ", \"base_url\": ");
	sg_buf_json(&b, s->base_url);
	sg_buf_puts(&b, ",\n\"reports\": [");
	for (size_t i = 0; i < s->nreports; i++) {
		const struct sg_report *r = &s->reports[i];
		int tfirst = 1;
		sg_buf_printf(&b, "%s\n{\"year\": %d, \"template\": ", i ? "," : "",
		    r->year);
		sg_buf_json(&b, r->template);
		sg_buf_puts(&b, ", \"tables\": [");
		for (size_t k = 0; r->schema && k < r->schema->ntables; k++) {
			const struct sg_ind_table *t = sg_ind_report_table(r,
			    &r->schema->tables[k]);
			for (size_t j = 0; j < r->schema->tables[k].nrows; j++)
				if (!sg_strv_has(&keys,
				    r->schema->tables[k].rows[j].key))
					sg_strv_push(&keys, sg_xstrdup(
					    r->schema->tables[k].rows[j].key));
			if (t == NULL)
				continue;
			sg_buf_puts(&b, tfirst ? "\n" : ",\n");
			tfirst = 0;
			sg_ind_json(&b, t, r->template);
		}
		sg_buf_puts(&b, "]}");
	}
	sg_buf_puts(&b, "],\n\"restatements\": [");
	for (size_t k = 0; k < keys.n; k++) {
		struct sg_ind_series se;
		sg_ind_series(s, keys.v[k], 0, &se);
		for (size_t i = 0; i < se.n; i++) {
			const struct sg_ind_point *p = &se.pts[i];
			if (!p->restated)
				continue;
			sg_buf_puts(&b, first ? "\n{\"id\": " : ",\n{\"id\": ");
			first = 0;
			sg_buf_json(&b, keys.v[k]);
			sg_buf_printf(&b, ", \"year\": %d, \"disclosures\": [",
			    p->year);
			for (size_t j = 0; j < p->ndiscs; j++) {
				sg_buf_printf(&b, "%s{\"report\": %d, ", j ? ", " :
				    "", p->discs[j].report);
				json_value(&b, p->discs[j].v);
				sg_buf_puts(&b, "}");
			}
			sg_buf_puts(&b, "]}");
		}
		sg_ind_series_clear(&se);
	}
	sg_buf_puts(&b, "]}\n");
	sg_strv_clear(&keys);
	*len = b.len;
	return sg_buf_take(&b);
}
