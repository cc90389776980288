/*
 * table: data tables read from CSV with libcsv — the narrative tables under
 * tables/ and the appendix indicator tables under indicators/.  Handles the
 * files schools really produce: UTF-8 with or without BOM, GB18030/GBK from
 * Excel or WPS, CRLF, quoted fields with commas and newlines.
 */
#ifndef SG_TABLE_H
#define SG_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct sg_diag;

struct sg_table {
	char	 *file;		/* display path */
	size_t	  ncols;	/* columns of the header row */
	size_t	  nrows;	/* rows including the header (row 0) */
	char	***cells;	/* cells[row][col], all rows ncols wide */
	int	 *lines;	/* source line where each row starts */
	char	 *encoding;	/* "UTF-8" or "GB18030" */
};

/*
 * Parses CSV bytes.  Ragged rows, an empty file and bytes that are not text
 * are errors with file:line.  Returns the table (free with sg_table_free),
 * or NULL after adding findings.
 */
struct sg_table *sg_table_parse(const char *file, const char *data,
    size_t len, struct sg_diag *d);
void sg_table_free(struct sg_table *t);
/* The build cache key k (cache.h) with t's shape and cells added; a NULL
 * table (one that failed to load) differs from every table. */
uint64_t sg_table_key(uint64_t k, const struct sg_table *t);

/*
 * Converts data to UTF-8 (dropping a BOM): returns a new NUL-terminated
 * string (caller frees) and sets *enc to a static name, or NULL if the
 * bytes are neither UTF-8 nor GB18030 text (*badline set).
 */
char *sg_table_to_utf8(const char *data, size_t len, const char **enc,
    int *badline);

struct sg_buf;
/*
 * Appends s as one CSV field (RFC 4180, written with libcsv), quoted when
 * it has to be so that sg_table_parse reads back the same text: a comma,
 * quote or line break, or a space at either end.
 */
void sg_table_csv_field(struct sg_buf *b, const char *s);

#endif
