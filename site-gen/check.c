/*
 * check: the rules of `site-gen check` over the loaded model (see check.h):
 * the table of rules (its rows in check_rules.h), findings and the
 * allowances that waive them, personal data (found by privacy.c), and the
 * run.  The appendix tables are checked in check_tables.c, the figures that
 * must agree in check_figures.c.  Findings name file:line, the values
 * involved and what was expected.  Nothing here prints; the documents'
 * text is read again through doc.c, the rest comes from the model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "doc.h"
#include "pool.h"
#include "privacy.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "theme.h"
#include "util.h"

static const struct sg_check_rule rules[SG_RULE_COUNT] = {
#define SG_RULE_ROW(name, id, build, publish, what) \
	[SG_RULE_##name] = {id, build, publish, what},
	SG_CHECK_RULES(SG_RULE_ROW)
#undef SG_RULE_ROW
};

char *
sg_check_rule_title(const struct sg_theme *t, const char *id)
{
	for (size_t i = 0; id && i < SG_RULE_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0) {
			char *key = sg_xasprintf("rule_%s", id);
			char *w = sg_theme_word(t, key, NULL);
			free(key);
			return w;
		}
	return NULL;
}

const struct sg_check_rule *
sg_check_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(*rules);
	return rules;
}

static const struct sg_check_rule *
find_rule(const char *id)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(*rules); i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

/* ---- findings and allowances ---- */

/* Rules an allowance waives only with a reason:
 * allow: ["confidential: 课程名称，非密级标志"]. */
static int
needs_reason(const char *rule)
{
	return strcmp(rule, "confidential") == 0;
}

/* 1 if an allowance entry waives rule: its id, or its group ("privacy"
 * for "privacy-mobile"), optionally followed by ": reason" (*why set to
 * it, if why is not NULL). */
static int
waives_why(const char *entry, size_t len, const char *rule, const char **why)
{
	const char *dash = strchr(rule, '-');
	size_t g = dash ? (size_t)(dash - rule) : strlen(rule);
	const char *colon = memchr(entry, ':', len), *reason = NULL;
	int r;

	if (colon) {
		reason = colon + 1;
		while (reason < entry + len && (*reason == ' ' ||
		    *reason == '\t'))
			reason++;
		if (reason == entry + len)
			return 0;
		len = (size_t)(colon - entry);
		while (len > 0 && entry[len - 1] == ' ')
			len--;
	} else if (needs_reason(rule))
		return 0;
	r = (len == strlen(rule) && strncmp(entry, rule, len) == 0) ||
	    (len == g && strncmp(entry, rule, g) == 0);
	if (r && why)
		*why = reason;
	return r;
}

static int
listed_why(const struct sg_strv *list, const char *rule, const char **why)
{
	for (size_t i = 0; i < list->n; i++)
		if (waives_why(list->v[i], strlen(list->v[i]), rule, why))
			return 1;
	return 0;
}

static int
listed(const struct sg_strv *list, const char *rule)
{
	return listed_why(list, rule, NULL);
}

static struct sg_doc *
doc_of(struct sg_report *r, const char *file)
{
	if (r->preface && strcmp(r->preface->path, file) == 0)
		return r->preface;
	for (size_t i = 0; i < r->nchapters; i++)
		if (strcmp(r->chapters[i].doc.path, file) == 0)
			return &r->chapters[i].doc;
	for (size_t i = 0; i < r->ncases; i++)
		if (strcmp(r->cases[i].doc.path, file) == 0)
			return &r->cases[i].doc;
	return NULL;
}

/* Whether the file's allowances waive rule; *why gets the reason an
 * allowance gives, if it gives one.  Errors other than privacy cannot be
 * waived (they block publishing for a reason), except those that need a
 * reason. */
static int
allowed(struct sg_check_ctx *c, const char *file, enum sg_check_rule_id id,
    const char **why)
{
	const struct sg_check_rule *k = &rules[id];
	const char *rule = k->id;
	struct sg_doc *doc;
	size_t n;

	if (k->publish >= SG_ERROR && strncmp(rule, "privacy", 7) != 0 &&
	    !needs_reason(rule))
		return 0;
	if (c->r == NULL || file == NULL)
		return 0;
	if ((doc = doc_of(c->r, file)) != NULL)
		return listed_why(&doc->allow, rule, why);
	n = strlen(c->r->dir);
	if (strncmp(file, c->r->dir, n) != 0 || file[n] != '/')
		return 0;
	/* report.yml allow: "rel\trule" pairs. */
	for (size_t i = 0; i < c->r->allow.n; i++) {
		const char *e = c->r->allow.v[i], *tab = strchr(e, '\t');
		if (tab && strlen(file + n + 1) == (size_t)(tab - e) &&
		    strncmp(file + n + 1, e, (size_t)(tab - e)) == 0 &&
		    waives_why(tab + 1, strlen(tab + 1), rule, why))
			return 1;
	}
	return 0;
}

void
sg_check_emit(struct sg_check_ctx *c, enum sg_check_rule_id rule,
    const char *file, int line, const char *fmt, ...)
{
	const struct sg_check_rule *k = &rules[rule];
	va_list ap, ap2;
	const char *why = NULL;
	char *msg;
	int n;

	/* Allowed with a reason, a finding stays in sight as a note. */
	if (allowed(c, file, rule, &why) && why == NULL)
		return;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	msg = sg_xmalloc((size_t)(n > 0 ? n : 0) + 1);
	vsnprintf(msg, (size_t)(n > 0 ? n : 0) + 1, fmt, ap2);
	va_end(ap2);
	va_end(ap);
	if (why)
		sg_diag_rule(c->d, SG_NOTE, k->id, file, line, 0, "%s (allowed: "
		    "%s)", msg, why);
	else
		sg_diag_rule(c->d, c->o->publish ? k->publish : k->build, k->id,
		    file, line, 0, "%s", msg);
	free(msg);
}

/* ---- naming rows and values in messages ---- */

/* "2024年" */
const char *
sg_check_ylabel(int y, char buf[16])
{
	snprintf(buf, 16, "%d年", y);
	return buf;
}

/* A schema row as a reader finds it: its path of names below the table
 * ("在线精品课程数/国家级数量"), the second unit in brackets
 * ("教学计划内课程总数 (学时)").  Caller frees. */
char *
sg_check_row_name(const struct sg_schema_table *st, int srow)
{
	const struct sg_schema_row *r = &st->rows[srow];
	const char *path = strchr(r->key, '/');
	char *s, *at;

	s = sg_xstrdup(path ? path + 1 : r->key);
	if ((at = strchr(s, '@')) != NULL) {
		char *t = sg_xasprintf("%.*s (%s)", (int)(at - s), s, at + 1);
		free(s);
		s = t;
	}
	return s;
}

/* A value with its unit: "20.88%", "460 个/生", "18.10".  Caller frees. */
char *
sg_check_with_unit(const char *text, const char *unit)
{
	if (unit == NULL || *unit == '\0')
		return sg_xstrdup(text);
	if (strcmp(unit, "%") == 0)
		return sg_xasprintf("%s%%", text);
	return sg_xasprintf("%s %s", text, unit);
}

/* The last part of a row key ("policy/…/专任教师总数" → 专任教师总数), or
 * the figure name itself. */
const char *
sg_check_ref_name(const char *ref)
{
	const char *s = strrchr(ref, '/');

	return s ? s + 1 : ref;
}

/* ---- personal data ---- */

static enum sg_check_rule_id
privacy_rule(enum sg_privacy_kind k)
{
	return k == SG_PRIVACY_IDCARD || k == SG_PRIVACY_IDCARD15 ?
	    SG_RULE_PRIVACY_IDCARD : k == SG_PRIVACY_MOBILE ?
	    SG_RULE_PRIVACY_MOBILE : k == SG_PRIVACY_BANKCARD ?
	    SG_RULE_PRIVACY_BANKCARD : SG_RULE_PRIVACY_EMAIL;
}

/* 1 if value is on a public list (normalised as privacy.c does). */
static int
on_list(const struct sg_strv *l, const char *value)
{
	for (size_t i = 0; l && i < l->n; i++) {
		char *n = sg_privacy_norm(l->v[i]);
		int r = strcmp(n, value) == 0;
		free(n);
		if (r)
			return 1;
	}
	return 0;
}

/* A YAML line ending in "# allow: privacy" waives that line. */
static int
yaml_allows(const char *text, int line, const char *rule)
{
	const char *p = text, *e, *hash, *a;
	struct sg_strv words = {0};
	int r;

	for (int l = 1; l < line && p; l++)
		p = (p = strchr(p, '\n')) ? p + 1 : NULL;
	if (p == NULL)
		return 0;
	e = strchr(p, '\n');
	char *ln = e ? sg_xstrndup(p, (size_t)(e - p)) : sg_xstrdup(p);
	if ((hash = strrchr(ln, '#')) == NULL ||
	    (a = strstr(hash, "allow:")) == NULL) {
		free(ln);
		return 0;
	}
	for (char *w = strtok(ln + (a - ln) + 6, " ,[]\t\r"); w;
	    w = strtok(NULL, " ,[]\t\r"))
		sg_strv_push(&words, sg_xstrdup(w));
	r = listed(&words, rule);
	sg_strv_clear(&words);
	free(ln);
	return r;
}

static const char *
privacy_what(enum sg_privacy_kind k)
{
	return k == SG_PRIVACY_IDCARD ? "an ID-card number" :
	    k == SG_PRIVACY_IDCARD15 ? "an old 15-digit ID-card number" :
	    k == SG_PRIVACY_MOBILE ? "a mobile phone number" :
	    k == SG_PRIVACY_BANKCARD ? "a bank card number" :
	    "an email address";
}

static void report_hits(struct sg_check_ctx *c, const char *file,
    const char *text, int line0, const struct sg_strv *pub, int yaml,
    struct sg_privacy_hit *h, size_t n);

/* Scans text of file (first line line0 + 1) for personal data. */
static void
scan(struct sg_check_ctx *c, const char *file, const char *text, int line0,
    const struct sg_strv *pub, int yaml)
{
	struct sg_privacy_hit *h, *more;
	size_t n, nmore;

	if (text == NULL)
		return;
	/* And bank cards and old ID numbers (a number followed by a unit
	 * is a statistic), reported after the others. */
	h = sg_privacy_scan_all(text, line0, sg_check_words(c, "identifiers",
	    "statistic_units")->m, &n, &more, &nmore);
	report_hits(c, file, text, line0, pub, yaml, h, n);
	report_hits(c, file, text, line0, pub, yaml, more, nmore);
}

static void
report_hits(struct sg_check_ctx *c, const char *file, const char *text,
    int line0, const struct sg_strv *pub, int yaml, struct sg_privacy_hit *h,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		enum sg_check_rule_id rule = privacy_rule(h[i].kind);
		char *school = c->s->email ? sg_privacy_norm(c->s->email) : NULL;
		int ok = on_list(pub, h[i].value) || (c->r &&
		    on_list(&c->r->public, h[i].value)) ||
		    on_list(&c->s->phones, h[i].value) ||
		    (school && strcmp(school, h[i].value) == 0) ||
		    (yaml && yaml_allows(text, h[i].line - line0,
		    rules[rule].id));
		free(school);
		if (ok)
			continue;
		sg_check_emit(c, rule, file, h[i].line, "%s (%s) is published; "
		    "expected "
		    "no personal contact or identity data in a public report "
		    "(if it is an office's on purpose, list it under public: "
		    "in the file's front matter or report.yml)",
		    privacy_what(h[i].kind), h[i].masked);
	}
	sg_privacy_free(h, n);
}

static void
scan_table(struct sg_check_ctx *c, const struct sg_data *dt)
{
	const struct sg_table *t = dt->table;

	for (size_t r = 0; t && r < t->nrows; r++)
		for (size_t col = 0; col < t->ncols; col++)
			scan(c, dt->path, t->cells[r][col], t->lines[r] - 1,
			    NULL, 0);
}

/* The files of the report other than its Markdown. */
static void
check_privacy(struct sg_check_ctx *c)
{
	struct sg_report *r = c->r;
	char *p;

	for (size_t i = 0; i < r->ntables; i++)
		scan_table(c, &r->tables[i]);
	for (size_t i = 0; i < r->nindicators; i++)
		scan_table(c, &r->indicators[i]);
	if (r->yml) {
		p = sg_xasprintf("%s/report.yml", r->dir);
		scan(c, p, r->yml, 0, NULL, 1);
		free(p);
	}
}

/* ---- the Markdown, one document at a time ---- */

/* What looking at one document found: kept until every document is done,
 * so that findings come in the same order on any number of threads. */
struct doc_result {
	struct sg_diag		 d;
	struct sg_check_text	*text;
	struct sg_check_facts	*facts;
};

struct doc_jobs {
	const struct sg_check_ctx	*c;
	struct sg_doc			**docs;
	struct doc_result		*res;
};

/* Reads a document, scans it for personal data and finds the figures its
 * text states; its text is freed before the next. */
static void
doc_job(void *arg, size_t i)
{
	struct doc_jobs *j = arg;
	struct sg_check_ctx c = *j->c;
	struct sg_doc *doc = j->docs[i];
	struct sg_check_lines *lines;
	struct sg_check_memo memo[SG_CHECK_MEMO] = {{0}};
	const char *body;
	char *text;

	/* This thread's own memo: the run's is the calling thread's. */
	c.memo = memo;
	c.d = &j->res[i].d;
	c.text = NULL;
	sg_doc_read(doc, &text, &body, c.d);
	scan(&c, doc->path, text, 0, &doc->public, 0);
	lines = sg_check_lines_new(body);
	if (c.sc)
		j->res[i].text = sg_check_doc_text(&c, doc, lines);
	if (body)
		j->res[i].facts = sg_check_review_doc(&c, doc, lines,
		    j->res[i].text);
	sg_check_lines_free(lines);
	free(text);
}

/* ---- the outline ---- */

/* 1 if a chapter title is the part's title or an also, or goes on after
 * it (特色创新——数字媒体技术应用专业人才培养模式的探索). */
static int
part_matches(const struct sg_schema_part *pt, const char *title)
{
	char *t = sg_schema_norm(title), *p = sg_schema_norm(pt->title);
	int ok = strncmp(t, p, strlen(p)) == 0;

	for (size_t i = 0; !ok && i < pt->also.n; i++)
		ok = strncmp(t, pt->also.v[i], strlen(pt->also.v[i])) == 0;
	free(p);
	free(t);
	return ok;
}

/* Every required part of the template's outline has its chapter. */
static void
check_outline(struct sg_check_ctx *c)
{
	const struct sg_report *r = c->r;
	char *yml = sg_xasprintf("%s/report.yml", r->dir);

	for (size_t i = 0; i < c->sc->nparts; i++) {
		const struct sg_schema_part *pt = &c->sc->parts[i];
		size_t k = 0;

		while (k < r->nchapters && !(r->chapters[k].doc.title &&
		    part_matches(pt, r->chapters[k].doc.title)))
			k++;
		if (!pt->required || k < r->nchapters)
			continue;
		sg_check_emit(c, SG_RULE_OUTLINE, yml, r->template_line, "no chapter "
		    "%s: part %zu of the %zu of template %s's outline "
		    "(内容框架) is missing; expected a chapter titled %s, such "
		    "as %s/%s", pt->title, i + 1, c->sc->nparts, c->sc->id,
		    pt->title, r->dir, pt->file);
	}
	free(yml);
}

/* ---- running ---- */

static void
check_report(struct sg_check_ctx *c)
{
	struct sg_report *r = c->r;
	struct doc_jobs j = {c, NULL, NULL};
	size_t n = 0;

	/* Preface, chapters, cases: reading order. */
	j.docs = sg_xcalloc((r->preface ? 1 : 0) + r->nchapters + r->ncases + 1,
	    sizeof(*j.docs));
	if (r->preface)
		j.docs[n++] = r->preface;
	for (size_t i = 0; i < r->nchapters; i++)
		j.docs[n++] = &r->chapters[i].doc;
	for (size_t i = 0; i < r->ncases; i++)
		j.docs[n++] = &r->cases[i].doc;
	j.res = sg_xcalloc(n + 1, sizeof(*j.res));
	/* The figures' phrases, looked for in every line: found at once. */
	struct sg_check_words *leads = c->sc ? sg_check_leads_new(c->sc) : NULL;
	c->leads = leads;
	sg_pool_run(n, doc_job, &j);
	c->leads = NULL;
	sg_check_leads_free(leads);
	c->facts = sg_xcalloc(1, sizeof(*c->facts));
	for (size_t i = 0; i < n; i++) {
		struct sg_check_facts *f = j.res[i].facts;
		if (j.res[i].text)
			sg_check_text_join(c, j.res[i].text);
		if (f == NULL || f->n == 0) {
			sg_check_facts_free(f);
			continue;
		}
		c->facts->v = sg_xrealloc(c->facts->v, (c->facts->n + f->n + 1) *
		    sizeof(*f->v));
		memcpy(c->facts->v + c->facts->n, f->v, f->n * sizeof(*f->v));
		c->facts->n += f->n;
		free(f->v);
		free(f);
	}
	if (c->sc) {
		check_outline(c);
		sg_check_tables(c);
		sg_check_figures(c);
	}
	sg_check_review(c);
	/* The documents' findings in reading order, then the other files'. */
	for (size_t i = 0; i < n; i++)
		sg_diag_merge(c->d, &j.res[i].d);
	check_privacy(c);
	sg_check_text_free(c->text);
	c->text = NULL;
	sg_check_facts_free(c->facts);
	c->facts = NULL;
	free(j.res);
	free(j.docs);
}

/* 1 if a finding about file concerns year (0: any). */
static int
of_year(const char *file, int year)
{
	char pre[32];

	if (year == 0 || file == NULL || strncmp(file, "content/", 8) != 0)
		return 1;
	snprintf(pre, sizeof(pre), "content/%d", year);
	return strncmp(file, pre, strlen(pre)) == 0 &&
	    (file[strlen(pre)] == '/' || file[strlen(pre)] == '\0');
}

void
sg_check_only_year(struct sg_diag *d, int year)
{
	size_t w = 0;

	for (size_t i = 0; i < d->n; i++) {
		if (!of_year(d->v[i].file, year)) {
			free(d->v[i].file);
			free(d->v[i].msg);
			continue;
		}
		d->v[w++] = d->v[i];
	}
	d->n = w;
}

int
sg_check_run(struct sg_site *site, int year, const struct sg_check_opts *opts,
    struct sg_diag *d)
{
	struct sg_check_memo memo[SG_CHECK_MEMO] = {{0}};
	struct sg_check_ctx c = {site, NULL, NULL, opts, d, NULL, NULL, NULL,
	    NULL, memo};
	struct sg_check_data *data = sg_check_data_load(site, d);
	int n = 0;

	c.data = data;
	/* The same finding, with check's severity. */
	if (opts->publish)
		for (size_t i = 0; i < d->n; i++) {
			const struct sg_check_rule *k = d->v[i].rule ?
			    find_rule(d->v[i].rule) : NULL;
			if (k && d->v[i].sev < k->publish)
				d->v[i].sev = k->publish;
		}
	for (size_t i = 0; i < site->nreports; i++) {
		if (year && site->reports[i].year != year)
			continue;
		c.r = &site->reports[i];
		c.sc = c.r->schema;
		check_report(&c);
	}
	if (site->yml) {
		c.r = NULL;
		scan(&c, "site.yml", site->yml, 0, NULL, 1);
	}
	sg_check_data_free(data);
	for (size_t i = 0; i < d->n; i++)
		if (of_year(d->v[i].file, year) && (d->v[i].sev >= SG_ERROR ||
		    (opts->strict && d->v[i].sev == SG_WARNING)))
			n++;
	return n;
}
