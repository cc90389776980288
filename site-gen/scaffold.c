/*
 * scaffold: `site-gen new` — a new year's report folder laid out like the
 * national template (report.yml, the nine standard chapters, the preface,
 * the six appendix tables) and the next-numbered case file.  It only ever
 * creates files: one that exists is left as it is (O_EXCL), and said so.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "load.h"
#include "scaffold.h"
#include "source.h"
#include "table.h"
#include "util.h"

/* The chapters of the national 2024 template, in order. */
static const struct {
	const char	*file;
	const char	*title;
} chapters[] = {
	{"01-school.md", "学校情况"},
	{"02-talent.md", "人才培养"},
	{"03-support.md", "发展保障"},
	{"04-industry.md", "产教融合"},
	{"05-culture.md", "文化传承"},
	{"06-service.md", "服务贡献"},
	{"07-policy.md", "政策落实"},
	{"08-innovation.md", "特色创新"},
	{"09-challenges.md", "挑战与对策"},
};

/* The six appendix tables (附表 1–6); their names come from load.c. */
static const char *const indicator_files[] = {
	"1-scorecard.csv", "2-satisfaction.csv", "3-resources.csv",
	"4-service.csv", "5-international.csv", "6-policy.csv",
};

/*
 * Creates path with text unless it exists.  Returns 1 created, 0 kept,
 * -1 failure (finding added).
 */
static int
create(const char *path, const char *text, struct sg_scaffold *res,
    struct sg_diag *d)
{
	char *dir = sg_path_dir(path);
	size_t len = strlen(text);
	int fd;

	if (*dir && sg_mkdir_p(dir) == -1) {
		sg_diag_add(d, SG_FATAL, dir, 0, 0, "cannot create folder: %s",
		    strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0666)) == -1) {
		if (errno == EEXIST) {
			sg_strv_push(&res->kept, sg_xstrdup(path));
			return 0;
		}
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot create: %s",
		    strerror(errno));
		return -1;
	}
	if (sg_fd_write(fd, text, len) == -1) {
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot write: %s",
		    strerror(errno));
		unlink(path);	/* ours, and half-written */
		return -1;
	}
	sg_strv_push(&res->created, sg_xstrdup(path));
	return 1;
}

/* Appends one CSV field, quoted when it has to be (RFC 4180). */
static void
csv_field(struct sg_buf *b, const char *s, int first)
{
	if (!first)
		sg_buf_putc(b, ',');
	if (strpbrk(s, ",\"\r\n") == NULL && !isspace((unsigned char)*s)) {
		sg_buf_puts(b, s);
		return;
	}
	sg_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			sg_buf_putc(b, '"');
		sg_buf_putc(b, *s);
	}
	sg_buf_putc(b, '"');
}

/* Column of a "<year>年" header, or -1. */
static int
year_column(const struct sg_table *t, int year)
{
	char want[16];

	snprintf(want, sizeof(want), "%d年", year);
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(t->cells[0][c], want) == 0)
			return (int)c;
	return -1;
}

/* The rightmost "NNNN年" column: the latest year a table holds, or -1. */
static int
latest_column(const struct sg_table *t)
{
	int best = -1;

	for (size_t c = 0; c < t->ncols; c++) {
		const char *h = t->cells[0][c];
		if (strlen(h) == 7 && strspn(h, "0123456789") == 4 &&
		    strcmp(h + 4, "年") == 0)
			best = (int)c;
	}
	return best;
}

/*
 * One appendix table for year, from the same table of the year before:
 * its 序号, 指标 and 单位 columns, that year's values in the previous-year
 * column, the new year's column empty, other columns (调查人数 …) kept
 * with empty cells.  prev may be NULL: a header only.  Caller frees.
 *
 * This is the one place that decides the rows of a new year's tables;
 * with the national schema as data, the rows come from the schema instead.
 */
static char *
indicator_csv(const struct sg_table *prev, int year)
{
	struct sg_buf b = {0};
	int from = -1;

	sg_buf_printf(&b, "序号,指标,单位,%d年,%d年", year - 1, year);
	if (prev == NULL || prev->ncols < 3) {
		sg_buf_puts(&b, "\n");
		return sg_buf_take(&b);
	}
	if ((from = year_column(prev, year - 1)) == -1)
		from = latest_column(prev);
	/* Extra columns: everything after the year columns. */
	size_t extra = 3;
	for (size_t c = 3; c < prev->ncols; c++) {
		const char *h = prev->cells[0][c];
		if (strlen(h) == 7 && strspn(h, "0123456789") == 4)
			extra = c + 1;
	}
	for (size_t c = extra; c < prev->ncols; c++)
		csv_field(&b, prev->cells[0][c], 0);
	sg_buf_puts(&b, "\n");
	for (size_t r = 1; r < prev->nrows; r++) {
		csv_field(&b, prev->cells[r][0], 1);
		csv_field(&b, prev->cells[r][1], 0);
		csv_field(&b, prev->cells[r][2], 0);
		csv_field(&b, from >= 0 ? prev->cells[r][from] : "", 0);
		sg_buf_puts(&b, ",");
		for (size_t c = extra; c < prev->ncols; c++)
			sg_buf_puts(&b, ",");
		sg_buf_puts(&b, "\n");
	}
	return sg_buf_take(&b);
}

static char *
yaml_quote(const char *s)
{
	struct sg_buf b = {0};

	sg_buf_putc(&b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sg_buf_putc(&b, '\\');
		if (*s == '\n')
			sg_buf_puts(&b, "\\n");
		else
			sg_buf_putc(&b, *s);
	}
	sg_buf_putc(&b, '"');
	return sg_buf_take(&b);
}

/* The site as it is, for names and the year before; findings dropped. */
static struct sg_site *
load_quiet(struct sg_source **src)
{
	struct sg_diag scratch = {0};
	struct sg_site *s;

	*src = sg_source_fs_new(".");
	s = sg_load_site(*src, &scratch);
	sg_diag_clear(&scratch);
	return s;
}

static const struct sg_report *
find_report(const struct sg_site *s, int year)
{
	for (size_t i = 0; s && i < s->nreports; i++)
		if (s->reports[i].year == year)
			return &s->reports[i];
	return NULL;
}

int
sg_scaffold_year(int year, struct sg_scaffold *res, struct sg_diag *d)
{
	struct sg_source *src = NULL;
	struct sg_site *site;
	const struct sg_report *prev, *latest = NULL;
	char *dir = sg_xasprintf("content/%d", year), *p, *text;
	const char *school;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	p = sg_path_join(dir, "report.yml");
	if (sg_is_file(p)) {
		sg_diag_add(d, SG_ERROR, p, 0, 0, "the %d report already exists; "
		    "nothing was written (new year only starts a year that has "
		    "no report.yml)", year);
		free(p);
		free(dir);
		return -1;
	}
	site = load_quiet(&src);
	prev = find_report(site, year - 1);
	for (size_t i = 0; site && i < site->nreports; i++)
		if (site->reports[i].year < year)
			latest = &site->reports[i];
	school = site && site->school ? site->school : "学校";

	/* report.yml: published is a placeholder the office replaces. */
	text = sg_xasprintf(
	    "# %d 年度质量报告。published 是发布日期：发布前改为实际日期。\n"
	    "title: %s %d 年度教育质量报告\n"
	    "year: %d\n"
	    "published: %d-12-31\n"
	    "template: %s\n"
	    "statement: |\n"
	    "  学校对%s质量年度报告（%d）及相关附件的真实性、完整性和准确性负责。\n"
	    "  特此声明。\n"
	    "signatory: |\n"
	    "  单位名称（盖章）\n"
	    "  法定代表人（签名）\n"
	    "  %d 年 12 月 31 日\n",
	    year, school, year, year, year,
	    latest && latest->template ? latest->template : "zz-2024",
	    school, year, year);
	if (create(p, text, res, d) == -1)
		rc = -1;
	free(text);
	free(p);

	p = sg_path_join(dir, "index.md");
	if (rc == 0 && create(p, "---\ntitle: 前言\n---\n\n", res, d) == -1)
		rc = -1;
	free(p);
	for (size_t i = 0; rc == 0 && i < sizeof(chapters) / sizeof(*chapters);
	    i++) {
		p = sg_path_join(dir, chapters[i].file);
		text = sg_xasprintf("---\ntitle: %s\n---\n\n", chapters[i].title);
		if (create(p, text, res, d) == -1)
			rc = -1;
		free(text);
		free(p);
	}
	for (size_t i = 0; rc == 0 && i < 6; i++) {
		const struct sg_table *t = NULL;
		if (prev)
			for (size_t j = 0; j < prev->nindicators; j++)
				if (strcmp(prev->indicators[j].rel + 11,
				    indicator_files[i]) == 0)
					t = prev->indicators[j].table;
		if (t == NULL)
			res->headers_only++;
		p = sg_xasprintf("%s/indicators/%s", dir, indicator_files[i]);
		text = indicator_csv(t, year);
		if (create(p, text, res, d) == -1)
			rc = -1;
		free(text);
		free(p);
	}
	static const char *const subdirs[] = {"cases", "tables", "images"};
	for (size_t i = 0; rc == 0 && i < 3; i++) {
		p = sg_path_join(dir, subdirs[i]);
		if (sg_mkdir_p(p) == -1) {
			sg_diag_add(d, SG_FATAL, p, 0, 0, "cannot create folder: "
			    "%s", strerror(errno));
			rc = -1;
		}
		free(p);
	}
	sg_load_free(site);
	sg_source_free(src);
	free(dir);
	return rc;
}

/* An ASCII file-name part from a title, "case" when it has none. */
static char *
slug_of(const char *title)
{
	struct sg_buf b = {0};

	for (const char *s = title; *s && b.len < 40; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) && c < 128)
			sg_buf_putc(&b, (char)tolower(c));
		else if (b.len && b.data[b.len - 1] != '-')
			sg_buf_putc(&b, '-');
	}
	while (b.len && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	if (b.len == 0)
		sg_buf_puts(&b, "case");
	return sg_buf_take(&b);
}

int
sg_scaffold_case(int year, const char *title, const char *slug,
    struct sg_scaffold *res, struct sg_diag *d)
{
	char *ydir = sg_xasprintf("content/%d", year);
	char *cdir = sg_path_join(ydir, "cases");
	struct sg_source *src = sg_source_fs_new(".");
	struct sg_strv names = {0};
	int max = 0, rc = -1;
	char *s = NULL, *p = NULL, *q = NULL, *text = NULL;

	memset(res, 0, sizeof(*res));
	if (!sg_is_dir(ydir)) {
		sg_diag_add(d, SG_ERROR, ydir, 0, 0, "no such report folder; "
		    "expected content/%d/ (site-gen new year %d starts it)", year,
		    year);
		goto out;
	}
	if (slug && (*slug == '\0' || strpbrk(slug, "/\\") || *slug == '.')) {
		sg_diag_add(d, SG_ERROR, NULL, 0, 0, "--slug '%s' cannot be part "
		    "of a file name; expected letters, digits and '-'", slug);
		goto out;
	}
	sg_source_list(src, cdir, SG_SOURCE_FILE, &names);
	for (size_t i = 0; i < names.n; i++)
		if (isdigit((unsigned char)names.v[i][0]) && atoi(names.v[i]) > max)
			max = atoi(names.v[i]);
	s = slug ? sg_xstrdup(slug) : slug_of(title);
	p = sg_xasprintf("%s/%02d-%s.md", cdir, max + 1, s);
	q = yaml_quote(title);
	text = sg_xasprintf("---\ntitle: %s\ntags: []\n"
	    "# summary: 一句话摘要，显示在案例卡片上\n"
	    "---\n\n", q);
	res->number = max + 1;
	switch (create(p, text, res, d)) {
	case 1:
		rc = 0;
		break;
	case 0:
		sg_diag_add(d, SG_ERROR, p, 0, 0, "already exists and was left "
		    "as it is");
		break;
	}
out:
	free(text);
	free(q);
	free(p);
	free(s);
	sg_strv_clear(&names);
	sg_source_free(src);
	free(cdir);
	free(ydir);
	return rc;
}

void
sg_scaffold_clear(struct sg_scaffold *res)
{
	sg_strv_clear(&res->created);
	sg_strv_clear(&res->kept);
}
