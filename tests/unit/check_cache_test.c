/*
 * check's products of a document as entry bytes of the build cache: the
 * facts and the statements of figures read back with every field, their
 * file borrowed from the path given; bytes of another file, or cut
 * short, are bad.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "cache.h"
#include "check_int.h"
#include "util.h"

TestSuite(check_cache_bytes);

static const char *path = "content/2024/01-school.md";

Test(check_cache_bytes, facts_come_back_with_every_field)
{
	struct sg_check_facts f = {0}, *g;
	struct sg_check_fact *x;
	struct sg_buf b = {0};
	struct sg_cache_r r;
	char *file = sg_xstrdup(path);

	x = sg_check_fact_add(&f, SG_FACT_SHARE, sg_xstrdup("教职工"),
	    sg_xstrdup("%"), sg_xstrdup("“占教职工的81.9%”"), file, 33);
	x->alt = sg_xstrdup("个教学班");
	x->v = 81.9;
	x->v2 = 104;
	x->dec = 1;
	x->approx = 1;
	x->year = 2023;
	x->col = 417;
	sg_check_fact_add(&f, SG_FACT_NAME, sg_xstrdup("林某"), NULL, NULL,
	    file, 40);
	sg_check_facts_write(&b, &f);
	sg_cache_r_init(&r, b.data, b.len);
	g = sg_check_facts_read(&r, path);
	cr_assert(sg_cache_r_done(&r));
	cr_assert_eq(g->n, 2);
	x = &g->v[0];
	cr_assert_eq(x->kind, SG_FACT_SHARE);
	cr_assert_str_eq(x->subject, "教职工");
	cr_assert_str_eq(x->unit, "%");
	cr_assert_str_eq(x->text, "“占教职工的81.9%”");
	cr_assert_str_eq(x->alt, "个教学班");
	cr_assert(x->v == 81.9 && x->v2 == 104);
	cr_assert(x->dec == 1 && x->approx == 1 && x->year == 2023);
	cr_assert(x->line == 33 && x->col == 417);
	cr_assert_eq(x->file, path, "the path given, borrowed");
	x = &g->v[1];
	cr_assert_eq(x->kind, SG_FACT_NAME);
	cr_assert_null(x->unit);
	cr_assert_null(x->text);
	cr_assert_null(x->alt);
	cr_assert_eq(x->line, 40);
	sg_check_facts_free(g);

	/* Of another file, or cut short: bad. */
	sg_cache_r_init(&r, b.data, b.len);
	sg_check_facts_free(sg_check_facts_read(&r, "content/2024/02.md"));
	cr_assert(r.bad);
	sg_cache_r_init(&r, b.data, b.len - 3);
	sg_check_facts_free(sg_check_facts_read(&r, path));
	cr_assert(r.bad);
	for (size_t i = 0; i < f.n; i++) {
		free(f.v[i].subject);
		free(f.v[i].unit);
		free(f.v[i].text);
		free(f.v[i].alt);
	}
	free(f.v);
	free(file);
	sg_buf_clear(&b);
}

/* Statements of two figures, as sg_check_text_write writes them. */
static void
two_figures(struct sg_buf *b, const char *file)
{
	sg_cache_w_u64(b, 2);
	sg_cache_w_u64(b, 0);
	sg_cache_w_u64(b, 2);
	for (int k = 0; k < 2; k++) {
		sg_cache_w_i64(b, 2023 + k);	/* year */
		sg_cache_w_dbl(b, 104.5 + k);	/* v */
		sg_cache_w_i64(b, 1);		/* dec */
		sg_cache_w_i64(b, k);		/* approx */
		sg_cache_w_i64(b, 0);		/* row */
		sg_cache_w_str(b, file);
		sg_cache_w_i64(b, 30 + k);	/* line */
		sg_cache_w_u64(b, 99 + (uint64_t)k);	/* col */
		sg_cache_w_str(b, "“专任教师104人”");
	}
}

Test(check_cache_bytes, statements_come_back_as_written)
{
	struct sg_buf b = {0}, again = {0};
	struct sg_cache_r r;
	struct sg_check_text *t;

	two_figures(&b, path);
	sg_cache_r_init(&r, b.data, b.len);
	t = sg_check_text_read(&r, path);
	cr_assert(sg_cache_r_done(&r));
	sg_check_text_write(&again, t);
	cr_assert(again.len == b.len && memcmp(again.data, b.data, b.len) == 0,
	    "written again, the same bytes");
	sg_check_text_free(t);

	sg_cache_r_init(&r, b.data, b.len);
	sg_check_text_free(sg_check_text_read(&r, "content/2024/02.md"));
	cr_assert(r.bad, "a statement of another file");
	sg_cache_r_init(&r, b.data, b.len - 5);
	sg_check_text_free(sg_check_text_read(&r, path));
	cr_assert(r.bad, "cut short");
	sg_buf_clear(&b);
	sg_buf_clear(&again);
}
