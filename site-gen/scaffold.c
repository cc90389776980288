/*
 * scaffold: `site-gen new` — a new site (a commented site.yml), a new
 * year's report folder laid out as its template says (report.yml, the
 * preface, the chapters of the outline, the appendix tables if any), the
 * next-numbered case file, and the built-in theme written out (theme
 * export).  It only ever creates files: one that exists is left as it is
 * (O_EXCL), and said so.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "data.h"
#include "diag.h"
#include "load.h"
#include "schema.h"
#include "scaffold.h"
#include "source.h"
#include "table.h"
#include "util.h"

/*
 * Creates path with text unless it exists.  Returns 1 created, 0 kept,
 * -1 failure (finding added).
 */
static int
create_n(const char *path, const char *text, size_t len,
    struct sg_scaffold *res, struct sg_diag *d)
{
	char *dir = sg_path_dir(path);
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

static int
create(const char *path, const char *text, struct sg_scaffold *res,
    struct sg_diag *d)
{
	return create_n(path, text, strlen(text), res, d);
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
 * The rest of a table with no year before: the template's rows as the
 * national table prints them (其中： before a first part, * after a core
 * indicator, the 指标 cell empty for a second unit), values empty.
 */
static void
template_rows(struct sg_buf *b, const struct sg_schema_table *st)
{
	for (size_t c = 0; c < st->ncols; c++)
		csv_field(b, st->cols[c].name, 0);
	sg_buf_puts(b, "\n");
	for (size_t i = 0; i < st->nrows; i++) {
		const struct sg_schema_row *r = &st->rows[i];
		char *name = r->main >= 0 ? sg_xstrdup("") : sg_xasprintf("%s%s%s",
		    r->part && r->parent >= 0 && (size_t)r->parent + 1 == i ?
		    "其中：" : "", r->name, r->core ? "*" : "");
		csv_field(b, r->no ? r->no : "", 1);
		csv_field(b, name, 0);
		csv_field(b, r->unit, 0);
		sg_buf_puts(b, ",,");
		for (size_t c = 0; c < st->ncols; c++)
			sg_buf_putc(b, ',');
		sg_buf_puts(b, "\n");
		free(name);
	}
}

/*
 * One appendix table for year, from the same table of the year before:
 * its 序号, 指标 and 单位 columns, that year's values in the previous-year
 * column, the new year's column empty, other columns (调查人数 …) kept
 * with empty cells.  prev may be NULL: the template's rows, empty.
 * Caller frees.
 */
static char *
indicator_csv(const struct sg_table *prev, const struct sg_schema_table *st,
    int year)
{
	struct sg_buf b = {0};
	int from = -1;

	sg_buf_printf(&b, "序号,指标,单位,%d年,%d年", year - 1, year);
	if (prev == NULL || prev->ncols < 3) {
		template_rows(&b, st);
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

/* The school site.yml names (school:, not the title), or NULL.  Caller
 * frees. */
static char *
school_of(const struct sg_site *s)
{
	struct sg_diag scratch = {0};
	struct sg_yaml y;
	const char *v = NULL;
	char *r = NULL;

	if (s == NULL || s->yml == NULL)
		return NULL;
	if (sg_config_parse(&y, "site.yml", 0, s->yml, strlen(s->yml),
	    &scratch) == 0)
		v = sg_config_str(&y, sg_config_root(&y), "school");
	if (v && *v)
		r = sg_xstrdup(v);
	sg_config_clear(&y);
	sg_diag_clear(&scratch);
	return r;
}

/* Adds to ids the template ids of the .yml files in dir (a folder of the
 * source), unless there. */
static void
ids_in(struct sg_source *src, const char *dir, struct sg_strv *ids)
{
	struct sg_strv names = {0};

	if (src && sg_source_list(src, dir, SG_SOURCE_FILE, &names) == 0)
		for (size_t i = 0; i < names.n; i++)
			if (sg_has_suffix(names.v[i], ".yml")) {
				char *id = sg_xstrndup(names.v[i],
				    strlen(names.v[i]) - 4);
				if (sg_strv_has(ids, id))
					free(id);
				else
					sg_strv_push(ids, id);
			}
	sg_strv_clear(&names);
}

/*
 * The template for a new year with nothing else to go by: the first whose
 * years cover it, among the site's schemas/, the installed and the
 * built-in ones.  Returns it (caller frees) or NULL; *ids gets every id
 * looked at.
 */
static struct sg_schema *
template_for_year(struct sg_source *src, int year, struct sg_strv *ids)
{
	struct sg_diag scratch = {0};
	struct sg_source *inst = NULL;
	struct sg_strv built = {0};
	char *dir = sg_data_dir();
	struct sg_schema *found = NULL;

	ids_in(src, "schemas", ids);
	if (dir && (inst = sg_source_fs_new(dir)) != NULL)
		ids_in(inst, "schemas", ids);
	sg_data_names("schemas", ".yml", &built);
	for (size_t i = 0; i < built.n; i++)
		if (!sg_strv_has(ids, built.v[i]))
			sg_strv_push(ids, sg_xstrdup(built.v[i]));
	for (size_t i = 0; found == NULL && i < ids->n; i++) {
		int f;
		struct sg_schema *sc = sg_schema_load(src, ids->v[i], &f,
		    &scratch);
		if (sc && sc->first_year && sc->first_year <= year &&
		    (sc->last_year == 0 || year <= sc->last_year))
			found = sc;
		else
			sg_schema_free(sc);
	}
	sg_strv_clear(&built);
	sg_source_free(inst);
	sg_diag_clear(&scratch);
	free(dir);
	return found;
}

int
sg_scaffold_year(int year, const char *template, struct sg_scaffold *res,
    struct sg_diag *d)
{
	struct sg_source *src = NULL;
	struct sg_site *site = NULL;
	const struct sg_report *prev, *latest = NULL;
	struct sg_schema *own = NULL;
	const struct sg_schema *sc = NULL;
	struct sg_strv ids = {0};
	char *dir = sg_xasprintf("content/%d", year), *p, *text, *school = NULL;
	int rc = -1, found = 0;

	memset(res, 0, sizeof(*res));
	p = sg_path_join(dir, "report.yml");
	if (sg_is_file(p)) {
		sg_diag_add(d, SG_ERROR, p, 0, 0, "the %d report already exists; "
		    "nothing was written (new year only starts a year that has "
		    "no report.yml)", year);
		goto out;
	}
	site = load_quiet(&src);
	if ((school = school_of(site)) == NULL) {
		sg_diag_add(d, SG_ERROR, "site.yml", 0, 0, "%s; nothing was "
		    "written: the report's title and responsibility statement "
		    "name the school; expected school: 学校全称 in site.yml "
		    "(site-gen new site DIR --school 名称 makes a site)",
		    site && site->yml ? "site.yml names no school" :
		    "no site.yml here");
		goto out;
	}
	prev = find_report(site, year - 1);
	for (size_t i = 0; site && i < site->nreports; i++)
		if (site->reports[i].year < year)
			latest = &site->reports[i];

	/* The template: asked for, the one the year before used, or the one
	 * whose years cover this year. */
	if (template) {
		if ((own = sg_schema_load(src, template, &found, d)) == NULL) {
			char *where = sg_schema_where(template);
			if (!found)
				sg_diag_add(d, SG_ERROR, NULL, 0, 0, "--template "
				    "%s: no such template; looked for %s; nothing "
				    "was written", template, where);
			free(where);
			goto out;
		}
		sc = own;
		res->template_why = "as asked";
	} else if (latest && latest->template) {
		if ((sc = latest->schema) == NULL &&
		    strcmp(latest->template, "none") != 0) {
			sg_diag_add(d, SG_ERROR, latest->dir, 0, 0, "the %d report's "
			    "template %s cannot be read (site-gen check %d says "
			    "why); nothing was written; expected --template ID",
			    latest->year, latest->template, latest->year);
			goto out;
		}
		res->template_why = "as the year before";
		res->from_year = latest->year;
	} else if ((sc = own = template_for_year(src, year, &ids)) != NULL)
		res->template_why = "the edition for the year";
	else {
		struct sg_buf b = {0};
		for (size_t i = 0; i < ids.n; i++)
			sg_buf_printf(&b, "%s%s", i ? ", " : "", ids.v[i]);
		sg_diag_add(d, SG_ERROR, NULL, 0, 0, "no template is for %d; "
		    "nothing was written; expected --template ID, one of %s",
		    year, b.data ? b.data : "(none)");
		sg_buf_clear(&b);
		goto out;
	}
	res->template = sg_xstrdup(sc ? sc->id : "none");

	/* report.yml: published is a placeholder the office replaces. */
	text = sg_xasprintf(
	    "# %d 年度质量报告。published 是发布日期：发布前改为实际日期。\n"
	    "# template 是报告所依的编制框架（章节与附表），见 site-gen help new。\n"
	    "title: %s %d 年度教育质量报告\n"
	    "year: %d\n"
	    "published: %d-12-31\n"
	    "template: %s\n"
	    "statement: |\n"
	    "  学校对 %s 质量年度报告（%d）及相关附件的真实性、完整性和准确性负责。\n"
	    "  特此声明。\n"
	    "signatory: |\n"
	    "  单位名称（盖章）\n"
	    "  法定代表人（签名）\n"
	    "  %d 年 12 月 31 日\n",
	    year, school, year, year, year, res->template, school, year, year);
	rc = create(p, text, res, d) == -1 ? -1 : 0;
	free(text);

	free(p);
	p = sg_path_join(dir, "index.md");
	if (rc == 0 && create(p, "---\ntitle: 前言\n---\n\n", res, d) == -1)
		rc = -1;
	for (size_t i = 0; rc == 0 && sc && i < sc->nparts; i++) {
		free(p);
		p = sg_path_join(dir, sc->parts[i].file);
		text = sg_xasprintf("---\ntitle: %s\n---\n\n", sc->parts[i].title);
		if (create(p, text, res, d) == -1)
			rc = -1;
		free(text);
	}
	res->chapters = sc ? sc->nparts : 0;
	/* The template's appendix tables, with the rows of the year before. */
	for (size_t i = 0; rc == 0 && sc && i < sc->ntables; i++) {
		const struct sg_schema_table *st = &sc->tables[i];
		const struct sg_table *t = NULL;
		char *rel = sg_xasprintf("indicators/%d-%s.csv", st->number,
		    st->slug);
		for (size_t j = 0; prev && j < prev->nindicators; j++)
			if (strcmp(prev->indicators[j].rel, rel) == 0)
				t = prev->indicators[j].table;
		if (t == NULL)
			res->headers_only++;
		free(p);
		p = sg_path_join(dir, rel);
		free(rel);
		text = indicator_csv(t, st, year);
		if (create(p, text, res, d) == -1)
			rc = -1;
		free(text);
	}
	res->tables = sc ? sc->ntables : 0;
	static const char *const subdirs[] = {"cases", "tables", "images"};
	for (size_t i = 0; rc == 0 && i < 3; i++) {
		free(p);
		p = sg_path_join(dir, subdirs[i]);
		if (sg_mkdir_p(p) == -1) {
			sg_diag_add(d, SG_FATAL, p, 0, 0, "cannot create folder: "
			    "%s", strerror(errno));
			rc = -1;
		}
	}
out:
	sg_strv_clear(&ids);
	sg_schema_free(own);
	sg_load_free(site);
	sg_source_free(src);
	free(school);
	free(p);
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

int
sg_scaffold_site(const char *dir, const char *school, const char *base_url,
    struct sg_scaffold *res, struct sg_diag *d)
{
	char *yml = sg_path_join(dir, "site.yml"), *q = yaml_quote(school);
	char *text = NULL, *p = NULL;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (sg_is_file(yml)) {
		sg_diag_add(d, SG_ERROR, yml, 0, 0, "a site exists here already; "
		    "nothing was written (new site only starts a folder with no "
		    "site.yml)");
		goto out;
	}
	text = sg_xasprintf(
	    "# 学校质量年报网站的设置。site-gen 读取本文件和 content/ 下各年度的报告，\n"
	    "# site-gen build 生成网站到 public/。以 # 开头的行是说明，可删。\n"
	    "\n"
	    "# 学校全称：显示在页头、报告封面和责任声明中。\n"
	    "school: %s\n"
	    "\n"
	    "# 网站标题；不写时为“学校全称 教育质量年度报告”。\n"
	    "# title: %s 教育质量年度报告\n"
	    "\n"
	    "# public/ 发布后的网址（以 / 结尾）：站点地图、订阅和分享链接都用它。\n"
	    "base_url: %s\n"
	    "\n"
	    "# 网站的简介，显示在搜索结果和分享卡片中（可选）。\n"
	    "# description: 本校历年教育质量年度报告的公开发布。\n"
	    "\n"
	    "# 主题：default 是 site-gen 自带的主题。要修改它，先运行\n"
	    "# site-gen theme export themes/myschool，再把这里改为 theme: myschool。\n"
	    "theme: default\n"
	    "\n"
	    "# 学校公开的联系方式（可选）：显示在页脚，检查个人信息时不会被标出。\n"
	    "# contact:\n"
	    "#   address: 某某市某某路 1 号\n"
	    "#   phone: [\"0577-12345678\"]\n"
	    "#   website: https://www.example.edu.cn\n"
	    "#   email: （学校公开的邮箱）\n",
	    q, school, base_url);
	if (create(yml, text, res, d) != 1)
		goto out;
	p = sg_path_join(dir, ".gitignore");
	/* The build output and its stamp and staging folders. */
	if (create(p, "/public/\n/.public.*\n", res, d) == -1)
		goto out;
	free(p);
	p = sg_path_join(dir, "content");
	if (sg_mkdir_p(p) == -1) {
		sg_diag_add(d, SG_FATAL, p, 0, 0, "cannot create folder: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(p);
	free(text);
	free(q);
	free(yml);
	return rc;
}

int
sg_scaffold_export(const char *from, const char *to, struct sg_scaffold *res,
    struct sg_diag *d)
{
	size_t n = strlen(from);
	int rc = 0;

	memset(res, 0, sizeof(*res));
	for (const struct sg_data_file *f = sg_data_files; rc == 0 && f->path;
	    f++) {
		if (strncmp(f->path, from, n) != 0 || f->path[n] != '/')
			continue;
		char *p = sg_path_join(to, f->path + n + 1);
		if (create_n(p, (const char *)f->data, f->len, res, d) == -1)
			rc = -1;
		free(p);
	}
	return rc;
}

void
sg_scaffold_clear(struct sg_scaffold *res)
{
	sg_strv_clear(&res->created);
	sg_strv_clear(&res->kept);
	free(res->template);
	res->template = NULL;
}
