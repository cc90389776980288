/*
 * check: the rules of `site-gen check` over the loaded model (see check.h):
 * personal data (found by privacy.c), the outline, and the run; the table
 * of rules, findings and the allowances that waive them are check_emit.c's.
 * The appendix tables are checked in check_tables.c, the figures that
 * must agree in check_figures.c.  Findings name file:line, the values
 * involved and what was expected.  Nothing here prints; the documents'
 * text is read again through doc.c, the rest comes from the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "doc.h"
#include "pool.h"
#include "privacy.h"
#include "schema.h"
#include "sg.h"
#include "table.h"
#include "util.h"

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
		    (yaml && sg_check_yaml_allows(text, h[i].line - line0,
		    rule));
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
	uint64_t			 key;	/* the report's part of each
						   document's key */
};

/* Reads a document, scans it for personal data and finds the figures its
 * text states; its text is freed before the next.  0, or -1 if it could
 * not be read again (a finding says so). */
static int
doc_look(struct doc_jobs *j, size_t i)
{
	struct sg_check_ctx c = *j->c;
	struct sg_doc *doc = j->docs[i];
	struct sg_check_lines *lines;
	struct sg_check_memo memo[SG_CHECK_MEMO] = {{0}};
	const char *body;
	char *text;
	int rc;

	/* This thread's own memo: the run's is the calling thread's. */
	c.memo = memo;
	c.d = &j->res[i].d;
	c.text = NULL;
	rc = sg_doc_read(doc, &text, &body, c.d);
	scan(&c, doc->path, text, 0, &doc->public, 0);
	lines = sg_check_lines_new(body);
	if (c.sc)
		j->res[i].text = sg_check_doc_text(&c, doc, lines);
	if (body)
		j->res[i].facts = sg_check_review_doc(&c, doc, lines,
		    j->res[i].text);
	sg_check_lines_free(lines);
	free(text);
	return rc;
}

/*
 * The build cache (cache.h) holds what doc_look made of a document: its
 * findings, the statements of figures and the facts.  They depend on the
 * document's bytes and path, and on what every rule reads besides: the
 * run's options, site.yml (the school's name, email and phones),
 * report.yml (its public: and allow: lists), the report's folder and
 * year, its template (the figures and their phrases), the rule data
 * (schemas/checks/) and the narrative tables (trend-words reads their
 * series).
 */
#define KIND	"check"

static uint64_t
report_key(const struct sg_check_ctx *c)
{
	const struct sg_report *r = c->r;
	uint64_t k = sg_cache_mix_str(SG_CACHE_KEY0, "check 1");

	k = sg_cache_mix_u64(k, (uint64_t)c->o->publish);
	k = sg_cache_mix_u64(k, (uint64_t)c->o->strict);
	k = sg_cache_mix_str(k, c->s->yml);
	k = sg_cache_mix_str(k, r->yml);
	k = sg_cache_mix_str(k, r->dir);
	k = sg_cache_mix_u64(k, (uint64_t)r->year);
	k = sg_cache_mix_u64(k, sg_check_data_key(c->data));
	k = sg_cache_mix_str(k, c->sc ? c->sc->file : NULL);
	k = sg_cache_mix_u64(k, c->sc ? c->sc->hash : 0);
	k = sg_cache_mix_u64(k, r->ntables);
	for (size_t i = 0; i < r->ntables; i++) {
		k = sg_cache_mix_str(k, r->tables[i].path);
		k = sg_cache_mix_str(k, r->tables[i].rel);
		k = sg_table_key(k, r->tables[i].table);
	}
	return k;
}

static uint64_t
doc_key(uint64_t k, const struct sg_doc *doc)
{
	k = sg_cache_mix_str(k, doc->path);
	k = sg_cache_mix_u64(k, doc->src != NULL);
	k = sg_cache_mix_u64(k, doc->size);
	k = sg_cache_mix_u64(k, doc->hash);
	k = sg_cache_mix_u64(k, doc->body_off);
	k = sg_cache_mix_u64(k, (uint64_t)doc->body_line);
	/* From the front matter, so in the bytes; said for clarity. */
	k = sg_cache_mix_u64(k, doc->allow.n);
	for (size_t i = 0; i < doc->allow.n; i++)
		k = sg_cache_mix_str(k, doc->allow.v[i]);
	k = sg_cache_mix_u64(k, doc->public.n);
	for (size_t i = 0; i < doc->public.n; i++)
		k = sg_cache_mix_str(k, doc->public.v[i]);
	return k;
}

/* A rule id read back as the static string findings hold, or NULL. */
static const char *
rule_id(const char *id)
{
	const struct sg_check_rule *k = sg_check_rule_find(id);

	return k ? k->id : NULL;
}

/* Takes document i's result from the cache: 0, or -1 (nothing kept). */
static int
doc_take(struct doc_jobs *j, size_t i, uint64_t key)
{
	struct doc_result *res = &j->res[i];
	const char *path = j->docs[i]->path, *data;
	struct sg_cache_r rd;
	size_t len;

	if (!sg_cache_get(j->c->s->cache, KIND, path, key, &data, &len))
		return -1;
	sg_cache_r_init(&rd, data, len);
	sg_cache_r_diag(&rd, &res->d, rule_id);
	if (sg_cache_r_u64(&rd) && !rd.bad)
		res->text = sg_check_text_read(&rd, path);
	if (sg_cache_r_u64(&rd) && !rd.bad)
		res->facts = sg_check_facts_read(&rd, path);
	sg_cache_done(j->c->s->cache, data);
	if (sg_cache_r_done(&rd))
		return 0;
	/* Unreadable: looked at after all, as if never cached. */
	sg_diag_clear(&res->d);
	sg_check_text_free(res->text);
	sg_check_facts_free(res->facts);
	res->text = NULL;
	res->facts = NULL;
	return -1;
}

static void
doc_put(struct doc_jobs *j, size_t i, uint64_t key)
{
	const struct doc_result *res = &j->res[i];
	struct sg_buf b = {0};

	sg_cache_w_diag(&b, &res->d, 0);
	sg_cache_w_u64(&b, res->text != NULL);
	if (res->text)
		sg_check_text_write(&b, res->text);
	sg_cache_w_u64(&b, res->facts != NULL);
	if (res->facts)
		sg_check_facts_write(&b, res->facts);
	sg_cache_put(j->c->s->cache, KIND, j->docs[i]->path, key, b.data,
	    b.len);
	sg_buf_clear(&b);
}

static void
doc_job(void *arg, size_t i)
{
	struct doc_jobs *j = arg;
	struct sg_cache *cache = j->c->s->cache;
	uint64_t key = cache ? doc_key(j->key, j->docs[i]) : 0;

	if (cache && doc_take(j, i, key) == 0)
		return;
	/* A document that changed since it was loaded is not kept. */
	if (doc_look(j, i) == 0 && cache)
		doc_put(j, i, key);
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
	struct doc_jobs j = {c, NULL, NULL, c->s->cache ? report_key(c) : 0};
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
			    sg_check_rule_find(d->v[i].rule) : NULL;
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
