/*
 * indwrite: CSV and JSON of the appendix tables for download.
 */
#ifndef SG_INDWRITE_H
#define SG_INDWRITE_H

#include <stddef.h>

#include "sg.h"
#include "util.h"

struct sg_ind_table;

/* The table as CSV: UTF-8 with BOM and CRLF (Excel reads it), in schema
 * order, readable again by sg_ind_parse.  Caller frees; *len set. */
char *sg_ind_csv(const struct sg_ind_table *t, size_t *len);
/* The table as a JSON object (typed numbers, units, core, parent ids). */
void sg_ind_json(struct sg_buf *b, const struct sg_ind_table *t,
    const char *template_id);
/* Every report's tables and every restatement: indicators.json. */
char *sg_ind_site_json(const struct sg_site *s, size_t *len);

#endif
