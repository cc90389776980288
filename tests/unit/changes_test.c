/*
 * changes: the semantic difference of two loaded reports — table cells by
 * row name and column header, child rows by their parent, documents
 * renamed by file or title, figures by caption.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "diag.h"
#include "helpers.h"
#include "load.h"
#include "source.h"
#include "util.h"

TestSuite(changes, .init = t_init);

struct loaded {
	char			*dir;
	struct sg_source	*src;
	struct sg_site		*site;
	struct sg_diag		 d;
};

static void
load(struct loaded *l, const char *scorecard, const char *chapter,
    const char *chapter_name)
{
	memset(l, 0, sizeof(*l));
	l->dir = t_tmpdir();
	t_minimal_site(l->dir);
	t_write(l->dir, "content/2024/indicators/1-scorecard.csv", scorecard);
	char *rel = sg_xasprintf("content/2024/%s", chapter_name);
	t_write(l->dir, rel, chapter);
	free(rel);
	l->site = t_load(l->dir, &l->src, &l->d);
	cr_assert_eq(l->site->nreports, 1);
}

static void
unload(struct loaded *l)
{
	sg_load_free(l->site);
	sg_source_free(l->src);
	sg_diag_clear(&l->d);
	free(l->dir);
}

static const char *csv_a =
    "序号,指标,单位,2023年,2024年\n"
    "1,毕业生人数*,人,522,592\n"
    "2,毕业生去向落实人数,人,522,592\n"
    ",其中：升学人数,人,402,462\n"
    "3,月收入,元,3600,3600\n"
    "4,在校生人数,人,1800,1900\n"
    ",其中：升学人数,人,10,20\n";

Test(changes, cells_by_row_and_column)
{
	struct loaded a, b;
	struct sg_changes ch = {0};
	/* Rows reordered, one child value changed, one new. */
	const char *csv_b =
	    "序号,指标,单位,2023年,2024年\n"
	    "1,月收入,元,3600,3600\n"
	    "2,毕业生人数*,人,522,592\n"
	    "3,毕业生去向落实人数,人,522,592\n"
	    ",其中：升学人数,人,402,470\n"
	    "4,在校生人数,人,1800,1900\n"
	    ",其中：升学人数,人,10,20\n"
	    "5,自主创业率,%,0.02,0\n";
	const char *md = "---\ntitle: 概况\n---\n\n正文。\n";

	load(&a, csv_a, md, "01-a.md");
	load(&b, csv_b, md, "01-a.md");
	sg_changes_compute(&a.site->reports[0], &b.site->reports[0], &ch);
	char *text = sg_changes_text(&ch);
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].op, SG_CH_VALUE);
	cr_assert_str_eq(ch.v[0].row, "毕业生去向落实人数 › 其中：升学人数");
	cr_assert_str_eq(ch.v[0].col, "2024年");
	cr_assert_str_eq(ch.v[0].old, "462");
	cr_assert_str_eq(ch.v[0].new, "470");
	cr_assert_str_eq(ch.v[0].unit, "人");
	cr_assert_eq(ch.v[1].op, SG_CH_ROW_ADDED);
	cr_assert_str_eq(ch.v[1].row, "自主创业率");
	free(text);
	char *sum = sg_changes_summary(&ch);
	cr_assert_str_eq(sum, "1 value, 1 table row or column");
	free(sum);
	sg_changes_clear(&ch);
	unload(&a);
	unload(&b);
}

/* A year column and a row: added one way, removed the other. */
Test(changes, columns_and_rows_added_and_removed)
{
	struct loaded a, b;
	struct sg_changes ch = {0};
	const char *csv_b =
	    "序号,指标,单位,2022年,2023年,2024年\n"
	    "1,毕业生人数*,人,480,522,592\n"
	    "2,毕业生去向落实人数,人,480,522,592\n"
	    ",其中：升学人数,人,380,402,462\n"
	    "3,在校生人数,人,1700,1800,1900\n"
	    ",其中：升学人数,人,5,10,20\n";
	const char *md = "---\ntitle: 概况\n---\n\n正文。\n";

	load(&a, csv_a, md, "01-a.md");
	load(&b, csv_b, md, "01-a.md");
	sg_changes_compute(&a.site->reports[0], &b.site->reports[0], &ch);
	char *text = sg_changes_text(&ch);
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].op, SG_CH_COL_ADDED, "%s", text);
	cr_assert_eq(ch.v[0].obj, SG_CH_INDICATOR);
	cr_assert_str_eq(ch.v[0].col, "2022年");
	cr_assert_eq(ch.v[1].op, SG_CH_ROW_REMOVED, "%s", text);
	cr_assert_str_eq(ch.v[1].row, "月收入");
	cr_assert(strstr(ch.v[1].old, "2024年: 3600"), "%s", ch.v[1].old);
	free(text);
	char *sum = sg_changes_summary(&ch);
	cr_assert_str_eq(sum, "2 table rows or columns");
	free(sum);
	sg_changes_clear(&ch);

	/* The other way round. */
	sg_changes_compute(&b.site->reports[0], &a.site->reports[0], &ch);
	text = sg_changes_text(&ch);
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].op, SG_CH_COL_REMOVED, "%s", text);
	cr_assert_str_eq(ch.v[0].col, "2022年");
	cr_assert_eq(ch.v[1].op, SG_CH_ROW_ADDED, "%s", text);
	cr_assert_str_eq(ch.v[1].row, "月收入");
	cr_assert(strstr(ch.v[1].new, "单位: 元"), "%s", ch.v[1].new);
	free(text);
	sg_changes_clear(&ch);
	unload(&a);
	unload(&b);
}

Test(changes, chapter_renamed_and_edited)
{
	struct loaded a, b;
	struct sg_changes ch = {0};

	load(&a, csv_a, "---\ntitle: 概况\n---\n\n第一句。第二句。第三句。\n",
	    "01-a.md");
	/* File renamed, title changed, one sentence edited. */
	load(&b, csv_a, "---\ntitle: 学校概况\n---\n\n第一句。第二句改了。第三句。\n",
	    "01-b.md");
	sg_changes_compute(&a.site->reports[0], &b.site->reports[0], &ch);
	char *text = sg_changes_text(&ch);
	/* Neither file nor title is shared: one removed, one added. */
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].op, SG_CH_ADDED);
	cr_assert_eq(ch.v[1].op, SG_CH_REMOVED);
	free(text);
	sg_changes_clear(&ch);
	unload(&b);

	load(&b, csv_a, "---\ntitle: 概况\n---\n\n第一句。第二句改了。第三句。\n",
	    "01-b.md");
	sg_changes_compute(&a.site->reports[0], &b.site->reports[0], &ch);
	text = sg_changes_text(&ch);
	/* Same title: the file was renamed, and edited. */
	cr_assert_eq(ch.n, 2, "%s", text);
	cr_assert_eq(ch.v[0].op, SG_CH_RENAMED);
	cr_assert_str_eq(ch.v[0].old, "01-a.md");
	cr_assert_str_eq(ch.v[0].new, "01-b.md");
	cr_assert_eq(ch.v[1].op, SG_CH_EDITED);
	cr_assert_eq(ch.v[1].text.n, 1);
	cr_assert_str_eq(ch.v[1].text.v[0].old, "第二句。");
	cr_assert_str_eq(ch.v[1].text.v[0].new, "第二句改了。");
	free(text);
	sg_changes_clear(&ch);
	unload(&a);
	unload(&b);
}

Test(changes, figures_by_caption)
{
	struct loaded a, b;
	struct sg_changes ch = {0};

	load(&a, csv_a, "---\ntitle: 概况\n---\n\n![](images/a.jpg \"校园\")\n",
	    "01-a.md");
	load(&b, csv_a, "---\ntitle: 概况\n---\n\n![](images/n.jpg \"新楼\")\n\n"
	    "![](images/a.jpg \"校园\")\n", "01-a.md");
	sg_changes_compute(&a.site->reports[0], &b.site->reports[0], &ch);
	size_t figs = 0;
	for (size_t i = 0; i < ch.n; i++)
		if (ch.v[i].obj == SG_CH_FIGURE) {
			cr_assert_eq(ch.v[i].op, SG_CH_ADDED);
			cr_assert_str_eq(ch.v[i].new, "新楼");
			cr_assert_str_eq(ch.v[i].name, "图 1-1");
			figs++;
		}
	cr_assert_eq(figs, 1, "校园 is renumbered, not added");
	sg_changes_clear(&ch);
	unload(&a);
	unload(&b);
}
