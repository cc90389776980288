/* CSV tables: RFC 4180, encodings, and errors with file:line. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "helpers.h"
#include "table.h"
#include "util.h"

static struct sg_table *
parse(const char *s, size_t len, struct sg_diag *d)
{
	return sg_table_parse("t.csv", s, len ? len : strlen(s), d);
}

Test(table, quoted_fields_crlf_and_bom)
{
	struct sg_diag d = {0};
	const char *s = "\xEF\xBB\xBF序号,指标,值\r\n1,\"a, b\",\"x\"\"y\"\r\n"
	    "2,\"两\n行\",\r\n";
	struct sg_table *t = parse(s, 0, &d);

	cr_assert_not_null(t);
	cr_assert_eq(t->ncols, 3);
	cr_assert_eq(t->nrows, 3);
	cr_assert_str_eq(t->cells[0][0], "序号");
	cr_assert_str_eq(t->cells[1][1], "a, b");
	cr_assert_str_eq(t->cells[1][2], "x\"y");
	cr_assert_str_eq(t->cells[2][1], "两\n行");
	cr_assert_str_eq(t->cells[2][2], "");
	cr_assert_eq(t->lines[2], 3);
	cr_assert_str_eq(t->encoding, "UTF-8");
	sg_table_free(t);
	sg_diag_clear(&d);
}

Test(table, gbk_is_converted)
{
	struct sg_diag d = {0};
	/* "指标,人\n毕业生,592\n" in GBK. */
	const char s[] = "\xd6\xb8\xb1\xea,\xc8\xcb\n\xb1\xcf\xd2\xb5\xc9\xfa,592\n";
	struct sg_table *t = parse(s, sizeof(s) - 1, &d);

	cr_assert_not_null(t);
	cr_assert_str_eq(t->encoding, "GB18030");
	cr_assert_str_eq(t->cells[0][0], "指标");
	cr_assert_str_eq(t->cells[1][0], "毕业生");
	sg_table_free(t);
	sg_diag_clear(&d);
}

Test(table, ragged_row_names_its_line)
{
	struct sg_diag d = {0};
	struct sg_table *t = parse("a,b,c\n1,2,3\n1,2\n4,5,6,7\n", 0, &d);

	cr_assert_null(t);
	cr_assert(t_has(&d, SG_ERROR, 3, "row has 2 fields; expected 3"));
	cr_assert(t_has(&d, SG_ERROR, 4, "row has 4 fields; expected 3"));
	sg_diag_clear(&d);
}

Test(table, unclosed_quote_is_an_error)
{
	struct sg_diag d = {0};
	struct sg_table *t = parse("a,b\n1,\"open\n", 0, &d);

	cr_assert_null(t);
	cr_assert(t_has(&d, SG_ERROR, 0, "not closed"));
	sg_diag_clear(&d);
}

Test(table, binary_is_not_text)
{
	struct sg_diag d = {0};
	const char s[] = "PK\x03\x04\x00\x00\xff\xfe";
	struct sg_table *t = parse(s, sizeof(s) - 1, &d);

	cr_assert_null(t);
	cr_assert(t_has(&d, SG_ERROR, 0, "not a text CSV file"));
	sg_diag_clear(&d);
}

Test(table, empty_is_an_error)
{
	struct sg_diag d = {0};

	cr_assert_null(parse("", 0, &d));
	cr_assert(t_has(&d, SG_ERROR, 1, "empty CSV"));
	sg_diag_clear(&d);
}

/* Fields as libcsv itself reads them, not through sg_table_parse. */
struct fields {
	char	*v[16];
	size_t	 n;
};

static void
on_field(void *f, size_t len, void *arg)
{
	struct fields *fs = arg;

	if (fs->n < 16)
		fs->v[fs->n++] = sg_xstrndup(f ? f : "", len);
}

Test(table, written_fields_read_back_the_same)
{
	static const char *const in[] = {"plain", " leading", "trailing\t",
	    "a,b", "say \"hi\"", "two\nlines", "", "中文"};
	const size_t n = sizeof(in) / sizeof(*in);
	struct sg_buf b = {0};
	struct fields fs = {{0}, 0};
	struct csv_parser p;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sg_buf_putc(&b, ',');
		sg_table_csv_field(&b, in[i]);
	}
	sg_buf_puts(&b, "\r\n");
	/* Unquoted "plain" stays as it is: only what needs it is quoted. */
	cr_assert(strncmp(b.data, "plain,\" leading\",", 17) == 0, "%s",
	    b.data);
	cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_APPEND_NULL), 0);
	cr_assert_eq(csv_parse(&p, b.data, b.len, on_field, NULL, &fs), b.len);
	csv_fini(&p, on_field, NULL, &fs);
	csv_free(&p);
	cr_assert_eq(fs.n, n, "%zu fields in %s", fs.n, b.data);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(fs.v[i], in[i]);
		free(fs.v[i]);
	}
	sg_buf_clear(&b);
}
