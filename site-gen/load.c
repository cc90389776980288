/*
 * load: content source → model.  Reads site.yml, then each content/<year>/:
 * report.yml, the preface, chapters, cases, tables and indicator CSVs.
 * Every problem is a finding with file:line and loading carries on.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cache.h"
#include "config.h"
#include "diag.h"
#include "doc.h"
#include "frontmatter.h"
#include "indicators.h"
#include "load.h"
#include "markdown.h"
#include "pool.h"
#include "source.h"
#include "stamp.h"
#include "table.h"
#include "util.h"

static const struct {
	const char *slug, *name;
} indicator_names[] = {
	{"scorecard", "人才培养质量计分卡"},
	{"satisfaction", "满意度调查表"},
	{"resources", "教学资源表"},
	{"service", "服务贡献表"},
	{"international", "国际影响表"},
	{"policy", "落实政策表"},
};

const char *
sg_load_indicator_name(const char *file)
{
	const char *slug = file;

	while (isdigit((unsigned char)*slug))
		slug++;
	if (*slug == '-')
		slug++;
	for (size_t i = 0; i < sizeof(indicator_names) /
	    sizeof(*indicator_names); i++) {
		size_t n = strlen(indicator_names[i].slug);
		if (strncmp(slug, indicator_names[i].slug, n) == 0 &&
		    (slug[n] == '\0' || slug[n] == '.'))
			return indicator_names[i].name;
	}
	return NULL;
}

static char *
dupnull(const char *s)
{
	return s ? sg_xstrdup(s) : NULL;
}

/* Appends the scalar or the list of scalars n (the value of key) to out;
 * anything else is an error at its line. */
static void
read_list(struct sg_yaml *y, yaml_node_t *n, const char *key,
    const char *file, struct sg_strv *out, struct sg_diag *d)
{
	if (n == NULL)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		if (n->data.scalar.length)
			sg_strv_push(out, sg_xstrdup((char *)n->data.scalar.value));
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		sg_diag_add(d, SG_ERROR, file, sg_config_line(y, n), 0, "%s is "
		    "not a list; expected %s: [a, b]", key, key);
		return;
	}
	for (size_t i = 0; i < sg_config_len(n); i++) {
		yaml_node_t *it = sg_config_item(y, n, i);
		if (it == NULL || it->type != YAML_SCALAR_NODE) {
			sg_diag_add(d, SG_ERROR, file, sg_config_line(y, it ? it : n),
			    0, "item %zu of %s is not text; expected %s: [a, b]",
			    i + 1, key, key);
			continue;
		}
		sg_strv_push(out, sg_xstrdup((char *)it->data.scalar.value));
	}
}

/* 1, with an error naming it, if path is a link that leads out of its
 * year's folder (or content/ or a year that is a link): it is neither
 * read nor published, and must not vanish without a word. */
static int
linked_out(struct sg_site *s, const char *path, int folder,
    struct sg_diag *d)
{
	const char *y = path + 8, *slash;

	if (sg_source_kind(s->src, path) != SG_SOURCE_OUTSIDE)
		return 0;
	if (strncmp(path, "content/", 8) == 0 &&
	    (slash = strchr(y, '/')) != NULL)
		sg_diag_add(d, SG_ERROR, path, 0, 0, "is a symbolic link that "
		    "leads out of content/%.*s/ and is not read; expected a "
		    "real %s inside the year's folder", (int)(slash - y), y,
		    folder ? "folder" : "file");
	else
		sg_diag_add(d, SG_ERROR, path, 0, 0, "is a symbolic link and is "
		    "not read; expected a real folder (links are not followed, "
		    "so that nothing from elsewhere is published)");
	return 1;
}

/* 1, with an error, if the file name is not UTF-8: its page address
 * and search links would be broken (what a GBK Windows zip leaves). */
static int
bad_name(const char *path, struct sg_diag *d)
{
	if (sg_utf8_check(path, strlen(path)) == 0)
		return 0;
	sg_diag_add(d, SG_ERROR, path, 0, 0, "the file name is not UTF-8 text "
	    "and the file is not read; expected it renamed (unpacked from a "
	    "zip made on Windows, the name may be GBK)");
	return 1;
}

static int
read_yaml_file(struct sg_source *src, const char *path, struct sg_yaml *y,
    char **text, struct sg_diag *d)
{
	size_t len;
	int bad;

	*text = NULL;
	memset(y, 0, sizeof(*y));
	if (sg_source_read(src, path, text, &len, d) == -1)
		return -1;
	if ((bad = sg_utf8_check(*text, len)) != 0) {
		sg_diag_add(d, SG_ERROR, path, bad, 0, "invalid UTF-8 (or a NUL "
		    "byte); expected the file saved as UTF-8 text");
		return -1;
	}
	return sg_config_parse(y, path, 0, *text, len, d);
}

/* icon: a PNG, ICO or SVG file of the site folder.  One that cannot be
 * used is a warning: pages then carry an empty icon. */
static void
site_icon(struct sg_site *s, struct sg_yaml *y, yaml_node_t *root,
    struct sg_diag *d)
{
	const char *v = sg_config_str(y, root, "icon");
	int line;

	if (v == NULL)
		return;
	line = sg_config_line(y, sg_config_get(y, root, "icon"));
	if (!sg_has_suffix(v, ".png") && !sg_has_suffix(v, ".ico") &&
	    !sg_has_suffix(v, ".svg"))
		sg_diag_add(d, SG_WARNING, "site.yml", line, 0, "icon '%s' is "
		    "not a .png, .ico or .svg file; expected e.g. "
		    "content/icon.png (no icon is shown)", v);
	else if (v[0] == '/' || strstr(v, "..") ||
	    sg_source_kind(s->src, v) != SG_SOURCE_FILE)
		sg_diag_add(d, SG_WARNING, "site.yml", line, 0, "icon '%s' is "
		    "not a file in the site folder; expected a path such as "
		    "content/icon.png (no icon is shown)", v);
	else
		s->icon = sg_xstrdup(v);
}

static void
load_site_yml(struct sg_site *s, struct sg_diag *d)
{
	/* title is optional when school says whose reports these are. */
	static const char *const req[] = {"base_url", NULL};
	static const char *const req_title[] = {"title", "base_url", NULL};
	static const char *const ok[] = {"title", "base_url", "school",
	    "school_en", "description", "language", "theme", "motto",
	    "contact", "icon", NULL};
	struct sg_yaml y;
	yaml_node_t *root, *contact, *ph;
	char *text;
	const char *v;

	if (read_yaml_file(s->src, "site.yml", &y, &text, d) == 0) {
		s->yml = sg_xstrdup(text);
		root = sg_config_root(&y);
		sg_config_require(&y, root, sg_config_get(&y, root, "school") ?
		    req : req_title, ok, "site.yml (title, or school to name "
		    "the site after)", d);
		s->title = dupnull(sg_config_str(&y, root, "title"));
		s->school = dupnull(sg_config_str(&y, root, "school"));
		s->school_en = dupnull(sg_config_str(&y, root, "school_en"));
		s->description = dupnull(sg_config_str(&y, root, "description"));
		s->language = dupnull(sg_config_str(&y, root, "language"));
		s->theme = dupnull(sg_config_str(&y, root, "theme"));
		s->motto = dupnull(sg_config_str(&y, root, "motto"));
		site_icon(s, &y, root, d);
		if ((v = sg_config_str(&y, root, "base_url")) != NULL) {
			if (strncmp(v, "http://", 7) != 0 &&
			    strncmp(v, "https://", 8) != 0)
				sg_diag_add(d, SG_ERROR, "site.yml",
				    sg_config_line(&y, sg_config_get(&y, root,
				    "base_url")), 0, "base_url '%s' is not an "
				    "absolute http(s) URL; expected e.g. "
				    "https://www.example.edu.cn/report/", v);
			s->base_url = sg_has_suffix(v, "/") ? sg_xstrdup(v) :
			    sg_xasprintf("%s/", v);
		}
		contact = sg_config_get(&y, root, "contact");
		if (contact) {
			s->address = dupnull(sg_config_str(&y, contact, "address"));
			s->email = dupnull(sg_config_str(&y, contact, "email"));
			s->website = dupnull(sg_config_str(&y, contact, "website"));
			if (s->website && strncasecmp(s->website, "http://", 7) != 0 &&
			    strncasecmp(s->website, "https://", 8) != 0) {
				sg_diag_add(d, SG_ERROR, "site.yml",
				    sg_config_line(&y, sg_config_get(&y, contact,
				    "website")), 0, "contact website '%s' is not "
				    "an http(s) address; expected e.g. "
				    "https://www.example.edu.cn/", s->website);
				free(s->website);
				s->website = NULL;
			}
			ph = sg_config_get(&y, contact, "phone");
			if (ph && ph->type == YAML_SCALAR_NODE)
				sg_strv_push(&s->phones,
				    sg_xstrdup((char *)ph->data.scalar.value));
			for (size_t i = 0; i < sg_config_len(ph); i++) {
				yaml_node_t *it = sg_config_item(&y, ph, i);
				if (it && it->type == YAML_SCALAR_NODE)
					sg_strv_push(&s->phones, sg_xstrdup(
					    (char *)it->data.scalar.value));
			}
		}
	}
	sg_config_clear(&y);
	free(text);
}

static void
site_defaults(struct sg_site *s)
{
	if (s->title == NULL && s->school)
		s->title = sg_xasprintf("%s 教育质量年度报告", s->school);
	if (s->title == NULL)
		s->title = sg_xstrdup("教育质量年度报告");
	if (s->school == NULL)
		s->school = sg_xstrdup(s->title);
	if (s->base_url == NULL)
		s->base_url = sg_xstrdup("http://localhost/");
	if (s->language == NULL)
		s->language = sg_xstrdup("zh-CN");
	if (s->theme == NULL)
		s->theme = sg_xstrdup("default");
	/* The path part of base_url prefixes links on 404.html, which is
	 * served at any depth. */
	const char *host = strstr(s->base_url, "//");
	const char *path = host ? strchr(host + 2, '/') : NULL;
	s->base_path = sg_xstrdup(path ? path : "/");
}

static int
valid_date(const char *s)
{
	int y, m, dd;
	char end;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &dd, &end) != 3)
		return 0;
	return y > 1900 && m >= 1 && m <= 12 && dd >= 1 && dd <= 31;
}

/* report.yml allow: {tables/x.csv: [privacy], …} → "rel\trule" pairs. */
static void
read_allow_map(struct sg_yaml *y, yaml_node_t *root, const char *file,
    struct sg_strv *out, struct sg_diag *d)
{
	yaml_node_t *m = sg_config_get(y, root, "allow");

	if (m == NULL)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		sg_diag_add(d, SG_ERROR, file, sg_config_line(y, m), 0, "allow is "
		    "not a mapping; expected allow: {tables/name.csv: [privacy]}");
		return;
	}
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start;
	    p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		struct sg_strv rules = {0};

		if (k == NULL || k->type != YAML_SCALAR_NODE)
			continue;
		read_list(y, yaml_document_get_node(&y->doc, p->value),
		    (const char *)k->data.scalar.value, file, &rules, d);
		for (size_t i = 0; i < rules.n; i++)
			sg_strv_push(out, sg_xasprintf("%s\t%s",
			    (const char *)k->data.scalar.value, rules.v[i]));
		sg_strv_clear(&rules);
	}
}

static void
load_report_yml(struct sg_site *s, struct sg_report *r, struct sg_diag *d)
{
	/* template is optional: a report may follow no edition's frame. */
	static const char *const req[] = {"title", "year", "published", NULL};
	static const char *const ok[] = {"title", "year", "published",
	    "template", "statement", "signatory", "public", "allow", NULL};
	char *path = sg_xasprintf("%s/report.yml", r->dir);
	struct sg_yaml y;
	yaml_node_t *root;
	char *text;
	const char *v;

	if (sg_source_kind(s->src, path) != SG_SOURCE_FILE) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "missing report.yml; "
		    "expected title, year, published (and template) for %d",
		    r->year);
	} else if (read_yaml_file(s->src, path, &y, &text, d) == 0) {
		root = sg_config_root(&y);
		sg_config_require(&y, root, req, ok, "report.yml", d);
		r->title = dupnull(sg_config_str(&y, root, "title"));
		r->template = dupnull(sg_config_str(&y, root, "template"));
		if (r->template)
			r->template_line = sg_config_line(&y, sg_config_get(&y,
			    root, "template"));
		r->yml = sg_xstrdup(text);
		read_list(&y, sg_config_get(&y, root, "public"), "public", path,
		    &r->public, d);
		read_allow_map(&y, root, path, &r->allow, d);
		r->statement = dupnull(sg_config_str(&y, root, "statement"));
		r->signatory = dupnull(sg_config_str(&y, root, "signatory"));
		if ((v = sg_config_str(&y, root, "year")) != NULL &&
		    atoi(v) != r->year)
			sg_diag_add(d, SG_ERROR, path, sg_config_line(&y,
			    sg_config_get(&y, root, "year")), 0, "year %s does "
			    "not match the folder; expected %d", v, r->year);
		if ((v = sg_config_str(&y, root, "published")) != NULL) {
			if (!valid_date(v))
				sg_diag_add(d, SG_ERROR, path, sg_config_line(&y,
				    sg_config_get(&y, root, "published")), 0,
				    "published date '%s' is not a date; "
				    "expected YYYY-MM-DD", v);
			else
				r->published = sg_xstrdup(v);
		}
		sg_config_clear(&y);
		free(text);
	} else {
		sg_config_clear(&y);
		free(text);
	}
	if (r->title == NULL)
		r->title = sg_xasprintf("%d 年度教育质量报告", r->year);
	free(path);
}

/*
 * Reads a Markdown file's front matter and body into doc.  Returns the
 * YAML (caller clears) for the kind-specific keys, or -1.
 */
static int
load_doc(struct sg_site *s, struct sg_doc *doc, const char *path,
    const char *const *req, const char *const *ok, const char *what,
    struct sg_fm *fm, char **text, struct sg_diag *d)
{
	size_t len;

	doc->path = sg_xstrdup(path);
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	doc->name = sg_xstrndup(base, strlen(base) - 3);
	memset(fm, 0, sizeof(*fm));
	if (sg_source_read(s->src, path, text, &len, d) == -1)
		return -1;
	/* Only its size and hash stay: the stages that need the text read
	 * it again (doc.c).  Until the front matter is read, no body. */
	sg_doc_loaded(doc, s->src, *text, len, SG_DOC_NOBODY);
	if (len > SG_MAX_FILE) {
		sg_diag_add(d, SG_ERROR, path, 0, 0, "file is %zu MB; expected at "
		    "most %u MB (split it into several files)", len >> 20,
		    SG_MAX_FILE >> 20);
		return -1;
	}
	if (sg_fm_parse(fm, path, *text, len, d) == -1)
		return -1;
	if (!fm->yaml.loaded) {
		sg_diag_add(d, SG_ERROR, path, 1, 0, "no front matter; expected "
		    "the file to start with '---', 'title: …' and '---'");
		return -1;
	}
	/* Every kind of file may carry the allowances of site-gen check. */
	size_t nok = 0, k;
	while (ok[nok])
		nok++;
	const char **oks = sg_xcalloc(nok + 3, sizeof(*oks));
	for (k = 0; k < nok; k++)
		oks[k] = ok[k];
	oks[k++] = "allow";
	oks[k] = "public";
	sg_config_require(&fm->yaml, sg_config_root(&fm->yaml), req, oks,
	    what, d);
	free(oks);
	doc->title = dupnull(sg_config_str(&fm->yaml,
	    sg_config_root(&fm->yaml), "title"));
	read_list(&fm->yaml, sg_config_get(&fm->yaml, sg_config_root(&fm->yaml),
	    "allow"), "allow", path, &doc->allow, d);
	read_list(&fm->yaml, sg_config_get(&fm->yaml, sg_config_root(&fm->yaml),
	    "public"), "public", path, &doc->public, d);
	doc->body_off = (size_t)(fm->body - *text);
	doc->body_line = fm->body_line;
	return 0;
}

static void
fallback_doc(struct sg_doc *doc)
{
	if (doc->title == NULL)
		doc->title = sg_xstrdup(doc->name);
}

/* 1 if a chapter called name would get the address of a page site-gen
 * makes for every year (2024/cases/, 2024/r1/ …), which would overwrite
 * it. */
static int
builtin_page(const char *name)
{
	static const char *const pages[] = {"cases", "print", "indicators",
	    "history", "tables", NULL};

	for (size_t i = 0; pages[i]; i++)
		if (strcmp(name, pages[i]) == 0)
			return 1;
	return name[0] == 'r' && name[1] != '\0' &&
	    strspn(name + 1, "0123456789") == strlen(name + 1);
}

static void
load_chapters(struct sg_site *s, struct sg_report *r, struct sg_diag *d)
{
	static const char *const req[] = {"title", NULL};
	static const char *const ok[] = {"title", "number", NULL};
	struct sg_strv names = {0};

	sg_source_list(s->src, r->dir, SG_SOURCE_FILE | SG_SOURCE_OUTSIDE,
	    &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		char *path = sg_xasprintf("%s/%s", r->dir, n);
		struct sg_fm fm;
		struct sg_doc *doc;
		char *text = NULL;

		if (bad_name(path, d) || linked_out(s, path, 0, d)) {
			free(path);
			continue;
		}

		if (!sg_has_suffix(n, ".md")) {
			if (strcmp(n, "report.yml") != 0)
				sg_diag_add(d, SG_WARNING, path, 0, 0, "not a "
				    "content file and ignored; expected "
				    "NN-name.md chapters and report.yml here");
			free(path);
			continue;
		}
		if (strcmp(n, "index.md") == 0) {
			static const char *const pok[] = {"title", NULL};
			r->preface = sg_xcalloc(1, sizeof(*r->preface));
			doc = r->preface;
			doc->page = sg_xstrdup(r->prefix);
			load_doc(s, doc, path, req, pok, "the preface", &fm,
			    &text, d);
		} else {
			struct sg_chapter *ch;
			r->chapters = sg_xrealloc(r->chapters,
			    (r->nchapters + 1) * sizeof(*r->chapters));
			ch = &r->chapters[r->nchapters++];
			memset(ch, 0, sizeof(*ch));
			ch->index = (int)r->nchapters;
			doc = &ch->doc;
			if (load_doc(s, doc, path, req, ok, "a chapter's front "
			    "matter", &fm, &text, d) == 0) {
				const char *num = sg_config_str(&fm.yaml,
				    sg_config_root(&fm.yaml), "number");
				if (num)
					ch->number = sg_xstrdup(num);
			}
			if (ch->number == NULL) {
				char buf[32];
				ch->number = sg_xstrdup(sg_cn_numeral(ch->index,
				    buf));
			}
			doc->page = sg_xasprintf("%s%s/", r->prefix, doc->name);
			if (builtin_page(doc->name))
				sg_diag_add(d, SG_ERROR, path, 0, 0, "a chapter "
				    "named '%s' would take the address %s of the "
				    "page site-gen makes for it; expected another "
				    "name, such as %02zu-%s.md", doc->name,
				    doc->page, r->nchapters % 10, doc->name);
		}
		fallback_doc(doc);
		sg_fm_clear(&fm);
		free(text);
		free(path);
	}
	sg_strv_clear(&names);
	if (r->nchapters == 0)
		sg_diag_add(d, SG_WARNING, r->dir, 0, 0, "no chapters; expected "
		    "files like 01-overview.md");
}

/* The cases of a report, read and their front matter parsed on every
 * core: each file's findings go to its own list, merged in the order of
 * the file names, so the run says the same on any number of threads. */
struct case_jobs {
	struct sg_site		*s;
	struct sg_report	*r;
	const char		*dir;
	const struct sg_strv	*names;
	struct sg_diag		*d;	/* one a file name */
	size_t			*slot;	/* file name → its case, or
					   SIZE_MAX */
};

static void free_doc(struct sg_doc *doc);

/*
 * A case whose file the build's scan saw as it was when it was last
 * loaded (the key holds its stat, stamp.h) is taken from the build cache
 * without reading it: what loading found in its front matter, its size
 * and hash, and the findings.
 */
static void
case_put(struct sg_site *s, const struct sg_case *k, const char *path,
    uint64_t key, const struct sg_diag *d, size_t from)
{
	const struct sg_doc *doc = &k->doc;
	struct sg_buf b = {0};

	sg_cache_w_str(&b, doc->name);
	sg_cache_w_str(&b, doc->title);
	sg_cache_w_strv(&b, &doc->allow);
	sg_cache_w_strv(&b, &doc->public);
	sg_cache_w_u64(&b, doc->size);
	sg_cache_w_u64(&b, doc->hash);
	sg_cache_w_u64(&b, doc->body_off);
	sg_cache_w_i64(&b, doc->body_line);
	sg_cache_w_i64(&b, k->n);
	sg_cache_w_str(&b, k->summary);
	sg_cache_w_i64(&b, k->fm_chapter);
	sg_cache_w_strv(&b, &k->tags);
	sg_cache_w_diag(&b, d, from);
	sg_cache_put(s->cache, "case", path, key, b.data, b.len);
	sg_buf_clear(&b);
}

/* Findings of loading carry no rule: one read back is not this
 * program's, and the entry is made again. */
static const char *
no_rule(const char *id)
{
	(void)id;
	return NULL;
}

static int
case_cached(struct sg_site *s, struct sg_case *k, const char *path,
    uint64_t key, struct sg_diag *d)
{
	struct sg_doc *doc = &k->doc;
	struct sg_diag found = {0};
	struct sg_cache_r rd;
	const char *data;
	size_t len;

	if (!sg_cache_get(s->cache, "case", path, key, &data, &len))
		return -1;
	sg_cache_r_init(&rd, data, len);
	doc->path = sg_xstrdup(path);
	doc->name = sg_cache_r_str(&rd);
	doc->title = sg_cache_r_str(&rd);
	sg_cache_r_strv(&rd, &doc->allow);
	sg_cache_r_strv(&rd, &doc->public);
	doc->size = sg_cache_r_u64(&rd);
	doc->hash = sg_cache_r_u64(&rd);
	doc->body_off = sg_cache_r_u64(&rd);
	doc->body_line = (int)sg_cache_r_i64(&rd);
	int n = (int)sg_cache_r_i64(&rd);
	k->summary = sg_cache_r_str(&rd);
	k->fm_chapter = (int)sg_cache_r_i64(&rd);
	sg_cache_r_strv(&rd, &k->tags);
	sg_cache_r_diag(&rd, &found, no_rule);
	int ok = sg_cache_r_done(&rd) && doc->name != NULL;
	sg_cache_done(s->cache, data);
	if (!ok) {
		/* Loaded after all, from nothing. */
		free_doc(doc);
		free(k->summary);
		sg_strv_clear(&k->tags);
		memset(doc, 0, sizeof(*doc));
		k->summary = NULL;
		k->fm_chapter = 0;
		sg_diag_clear(&found);
		return -1;
	}
	doc->src = s->src;
	k->n = n;
	sg_diag_merge(d, &found);
	return 0;
}

static void
case_job(void *arg, size_t i)
{
	static const char *const req[] = {"title", NULL};
	static const char *const ok[] = {"title", "tags", "chapter", "summary",
	    "number", "date", NULL};
	struct case_jobs *j = arg;
	struct sg_site *s = j->s;
	struct sg_report *r = j->r;
	struct sg_diag *d = &j->d[i];
	const char *n = j->names->v[i];
	char *path;
	struct sg_case *k;
	struct sg_fm fm;
	char *text = NULL;
	yaml_node_t *root, *tags;

	if (j->slot[i] == SIZE_MAX)
		return;
	path = sg_xasprintf("%s/%s", j->dir, n);
	k = &r->cases[j->slot[i]];
	k->chapter = -1;
	k->n = isdigit((unsigned char)n[0]) ? atoi(n) : 0;
	uint64_t key = 0;
	size_t from = d->n;
	if (s->cache && s->files && sg_stamp_file_id(s->files, path, &key)) {
		key = sg_cache_mix_u64(sg_cache_mix_str(sg_cache_mix_str(
		    SG_CACHE_KEY0, "case 1"), path), key);
		if (case_cached(s, k, path, key, d) == 0) {
			k->doc.page = sg_xasprintf("%scases/%d/", r->prefix,
			    k->n);
			fallback_doc(&k->doc);
			free(path);
			return;
		}
	}
	if (load_doc(s, &k->doc, path, req, ok, "a case's front matter",
	    &fm, &text, d) == 0) {
		root = sg_config_root(&fm.yaml);
		const char *v = sg_config_str(&fm.yaml, root, "number");
		if (v)
			k->n = atoi(v);
		k->summary = dupnull(sg_config_str(&fm.yaml, root,
		    "summary"));
		if ((v = sg_config_str(&fm.yaml, root, "chapter")))
			k->fm_chapter = atoi(v);
		tags = sg_config_get(&fm.yaml, root, "tags");
		if (tags && tags->type == YAML_MAPPING_NODE)
			sg_diag_add(d, SG_ERROR, path,
			    sg_config_line(&fm.yaml, tags), 0, "tags is "
			    "a mapping, whose tags would be lost; expected "
			    "tags: [标签, 标签]");
		if (tags && tags->type == YAML_SCALAR_NODE &&
		    tags->data.scalar.length)
			sg_strv_push(&k->tags, sg_xstrdup(
			    (char *)tags->data.scalar.value));
		for (size_t t = 0; t < sg_config_len(tags); t++) {
			yaml_node_t *it = sg_config_item(&fm.yaml, tags, t);
			const char *tv;
			if (it == NULL || it->type != YAML_SCALAR_NODE) {
				sg_diag_add(d, SG_ERROR, path,
				    sg_config_line(&fm.yaml, tags), 0,
				    "tag %zu is not text; expected "
				    "tags: [标签, 标签]", t + 1);
				continue;
			}
			tv = (const char *)it->data.scalar.value;
			if (*tv == '\0' || strchr(tv, '/') ||
			    strcmp(tv, ".") == 0 || strcmp(tv, "..") == 0) {
				sg_diag_add(d, SG_ERROR, path,
				    sg_config_line(&fm.yaml, it), 0,
				    "tag '%s' cannot name a page; expected "
				    "a word without '/'", tv);
				continue;
			}
			if (!sg_strv_has(&k->tags, tv))
				sg_strv_push(&k->tags, sg_xstrdup(tv));
		}
	}
	if (k->n <= 0)
		sg_diag_add(d, SG_ERROR, path, 1, 0, "case has no number; "
		    "expected a file name starting with it, like "
		    "01-name.md");
	/* Only a file read whole is kept: its hash says what was read. */
	if (key && text)
		case_put(s, k, path, key, d, from);
	k->doc.page = sg_xasprintf("%scases/%d/", r->prefix, k->n);
	fallback_doc(&k->doc);
	sg_fm_clear(&fm);
	free(text);
	free(path);
}

static void
load_cases(struct sg_site *s, struct sg_report *r, struct sg_diag *d)
{
	char *dir = sg_xasprintf("%s/cases", r->dir);
	struct sg_strv names = {0};
	struct case_jobs j = {s, r, dir, &names, NULL, NULL};

	if (!linked_out(s, dir, 1, d))
		sg_source_list(s->src, dir, SG_SOURCE_FILE | SG_SOURCE_OUTSIDE,
		    &names);
	j.d = sg_xcalloc(names.n + 1, sizeof(*j.d));
	j.slot = sg_xcalloc(names.n + 1, sizeof(*j.slot));
	/* Which names are cases: asked of the source one by one. */
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		char *path = sg_xasprintf("%s/%s", dir, n);

		j.slot[i] = SIZE_MAX;
		if (bad_name(path, &j.d[i]) || linked_out(s, path, 0, &j.d[i]))
			;
		else if (!sg_has_suffix(n, ".md"))
			sg_diag_add(&j.d[i], SG_WARNING, path, 0, 0, "not a "
			    "case file and ignored; expected NN-name.md");
		else
			j.slot[i] = r->ncases++;
		free(path);
	}
	if (r->ncases)
		r->cases = sg_xcalloc(r->ncases, sizeof(*r->cases));
	sg_pool_run(names.n, case_job, &j);
	for (size_t i = 0; i < names.n; i++)
		sg_diag_merge(d, &j.d[i]);
	free(j.d);
	free(j.slot);
	sg_strv_clear(&names);
	free(dir);
	/* Duplicate and skipped numbers. */
	for (size_t i = 0; i < r->ncases; i++)
		for (size_t j = 0; j < i; j++)
			if (r->cases[i].n > 0 && r->cases[i].n == r->cases[j].n)
				sg_diag_add(d, SG_ERROR, r->cases[i].doc.path, 1, 0,
				    "case number %d is also used by %s; expected "
				    "each case number once", r->cases[i].n,
				    r->cases[j].doc.path);
	for (size_t i = 0; i < r->ncases; i++)
		if (r->cases[i].n != (int)i + 1 && r->cases[i].n > 0) {
			sg_diag_rule(d, SG_WARNING, "case-sequence",
			    r->cases[i].doc.path, 1, 0,
			    "case number %d is out of sequence; expected case %zu "
			    "here (cases are numbered 1, 2, 3 … without gaps)",
			    r->cases[i].n, i + 1);
			break;
		}
}

static void
load_csvs(struct sg_site *s, struct sg_report *r, const char *sub,
    struct sg_data **out, size_t *nout, struct sg_diag *d)
{
	char *dir = sg_xasprintf("%s/%s", r->dir, sub);
	struct sg_strv names = {0};

	if (!linked_out(s, dir, 1, d))
		sg_source_list(s->src, dir, SG_SOURCE_FILE | SG_SOURCE_OUTSIDE,
		    &names);
	for (size_t i = 0; i < names.n; i++) {
		const char *n = names.v[i];
		char *path = sg_xasprintf("%s/%s", dir, n);
		struct sg_data *dt;
		char *data;
		size_t len;

		if (bad_name(path, d) || linked_out(s, path, 0, d)) {
			free(path);
			continue;
		}

		if (!sg_has_suffix(n, ".csv")) {
			sg_diag_add(d, SG_WARNING, path, 0, 0, "not a CSV file "
			    "and ignored; expected name.csv");
			free(path);
			continue;
		}
		*out = sg_xrealloc(*out, (*nout + 1) * sizeof(**out));
		dt = &(*out)[(*nout)++];
		memset(dt, 0, sizeof(*dt));
		dt->path = path;
		dt->rel = sg_xasprintf("%s/%s", sub, n);
		dt->title = dupnull(sg_load_indicator_name(n));
		if (dt->title == NULL)
			dt->title = sg_xstrndup(n, strlen(n) - 4);
		if (sg_source_read(s->src, path, &data, &len, d) == 0) {
			if (len > SG_MAX_FILE)
				sg_diag_add(d, SG_ERROR, path, 0, 0, "table is %zu "
				    "MB; expected at most %u MB", len >> 20,
				    SG_MAX_FILE >> 20);
			else
				dt->table = sg_table_parse(path, data, len, d);
			free(data);
		}
	}
	sg_strv_clear(&names);
	free(dir);
}

static int
cmp_report(const void *a, const void *b)
{
	const struct sg_report *x = a, *y = b;

	return x->year - y->year;
}

/* Reads every report of s (or only year, if not 0), then its Markdown. */
struct parse_jobs {
	struct sg_site		*s;
	struct sg_report	*r;
	struct sg_diag		*d;
	int			 release;
};

/* Documents parse independently, so on every core. */
static void
parse_job(void *arg, size_t i)
{
	struct parse_jobs *j = arg;
	struct sg_report *r = j->r;

	if (r->preface && i-- == 0)
		sg_md_parse(j->s, r, r->preface, j->d);
	else
		sg_md_parse(j->s, r, &r->chapters[i].doc, j->d);
}

/* Cases after the chapters: one that no chapter links is needed again
 * only for its own page, so its tree goes at once. */
static void
parse_case_job(void *arg, size_t i)
{
	struct parse_jobs *j = arg;
	struct sg_case *k = &j->r->cases[i];

	sg_md_parse(j->s, j->r, &k->doc, j->d);
	if (j->release && !k->linked_pre)
		sg_md_release_early(j->r, &k->doc);
}

static void
load_reports(struct sg_site *s, int year, const char *prefix,
    struct sg_diag *d)
{
	struct sg_strv years = {0};

	if (linked_out(s, "content", 1, d))
		;
	else if (sg_source_list(s->src, "content", SG_SOURCE_DIR |
	    SG_SOURCE_OUTSIDE, &years) == -1)
		sg_diag_add(d, SG_ERROR, "content", 0, 0, "no content folder; "
		    "expected content/<year>/ folders");
	for (size_t i = 0; i < years.n; i++) {
		const char *y = years.v[i];
		struct sg_report *r;
		char *ydir = sg_xasprintf("content/%s", y);
		int out = (year == 0 || atoi(y) == year) && (bad_name(ydir, d) ||
		    linked_out(s, ydir, 1, d));

		free(ydir);
		if (out)
			continue;

		if (strlen(y) != 4 || strspn(y, "0123456789") != 4) {
			if (year == 0)
				sg_diag_add(d, SG_WARNING, "content", 0, 0,
				    "folder '%s' is not a year and is ignored; "
				    "expected content/<year>/ such as "
				    "content/2024/", y);
			continue;
		}
		if (year != 0 && atoi(y) != year)
			continue;
		s->reports = sg_xrealloc(s->reports, (s->nreports + 1) *
		    sizeof(*s->reports));
		r = &s->reports[s->nreports++];
		memset(r, 0, sizeof(*r));
		r->year = atoi(y);
		r->dir = sg_xasprintf("content/%s", y);
		r->prefix = prefix ? sg_xstrdup(prefix) : sg_xasprintf("%s/", y);
	}
	sg_strv_clear(&years);
	if (s->nreports > 1)
		qsort(s->reports, s->nreports, sizeof(*s->reports),
		    cmp_report);
	for (size_t i = 0; i < s->nreports; i++) {
		struct sg_report *r = &s->reports[i];
		load_report_yml(s, r, d);
		load_chapters(s, r, d);
		load_cases(s, r, d);
		load_csvs(s, r, "tables", &r->tables, &r->ntables, d);
		load_csvs(s, r, "indicators", &r->indicators, &r->nindicators, d);
		sg_ind_load(s, r, d);
	}
	/* Markdown last: links resolve across every loaded document. */
	sg_md_index(s);
	if (s->cache && s->parts)
		s->parts_key = sg_md_cache_theme(s->parts);
	for (size_t i = 0; i < s->nreports; i++) {
		struct parse_jobs j = {s, &s->reports[i], d, s->release};
		struct sg_report *r = &s->reports[i];
		sg_pool_run((r->preface ? 1 : 0) + r->nchapters, parse_job, &j);
		sg_md_linked(r);
		sg_pool_run(r->ncases, parse_case_job, &j);
		sg_md_number(s, r, d);
	}
}

struct sg_site *
sg_load_site(struct sg_source *src, struct sg_diag *d)
{
	return sg_load_site_ex(src, 0, d);
}

struct sg_site *
sg_load_site_ex(struct sg_source *src, int flags, struct sg_diag *d)
{
	struct sg_site *s = sg_load_config(src, flags, d);

	sg_load_content(s, d);
	return s;
}

struct sg_site *
sg_load_config(struct sg_source *src, int flags, struct sg_diag *d)
{
	struct sg_site *s = sg_xcalloc(1, sizeof(*s));

	s->src = src;
	s->release = (flags & SG_LOAD_RELEASE) != 0;
	if (sg_source_kind(src, "site.yml") != SG_SOURCE_FILE)
		sg_diag_add(d, SG_ERROR, "site.yml", 0, 0, "missing; expected "
		    "site.yml with school and base_url in the site directory "
		    "(site-gen new site DIR --school 名称 starts a site)");
	else
		load_site_yml(s, d);
	site_defaults(s);
	return s;
}

void
sg_load_content(struct sg_site *s, struct sg_diag *d)
{
	load_reports(s, 0, NULL, d);
}

struct sg_site *
sg_load_archive(struct sg_source *src, int year, const char *prefix,
    struct sg_site *outer, struct sg_diag *d)
{
	struct sg_site *s = sg_xcalloc(1, sizeof(*s));

	s->src = src;
	s->outer = outer;
	site_defaults(s);
	load_reports(s, year, prefix, d);
	return s;
}

static void
free_doc(struct sg_doc *doc)
{
	sg_md_free(doc);
	free(doc->path);
	free(doc->name);
	free(doc->title);
	free(doc->page);
	sg_strv_clear(&doc->allow);
	sg_strv_clear(&doc->public);
}

static void
free_data(struct sg_data *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].rel);
		free(v[i].title);
		sg_table_free(v[i].table);
		sg_ind_free(v[i].ind);
	}
	free(v);
}

static void
free_refs(struct sg_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].label);
		free(v[i].id);
		free(v[i].caption);
	}
	free(v);
}

void
sg_load_free(struct sg_site *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nreports; i++) {
		struct sg_report *r = &s->reports[i];
		if (r->preface) {
			free_doc(r->preface);
			free(r->preface);
		}
		for (size_t j = 0; j < r->nchapters; j++) {
			free_doc(&r->chapters[j].doc);
			free(r->chapters[j].number);
		}
		free(r->chapters);
		for (size_t j = 0; j < r->ncases; j++) {
			free_doc(&r->cases[j].doc);
			sg_strv_clear(&r->cases[j].tags);
			free(r->cases[j].summary);
		}
		free(r->cases);
		free_data(r->tables, r->ntables);
		free_data(r->indicators, r->nindicators);
		free_refs(r->figures, r->nfigures);
		free_refs(r->reftables, r->nreftables);
		sg_strv_clear(&r->images);
		free(r->dir);
		free(r->prefix);
		free(r->title);
		free(r->published);
		free(r->template);
		free(r->statement);
		free(r->signatory);
		free(r->yml);
		sg_strv_clear(&r->public);
		sg_strv_clear(&r->allow);
	}
	free(s->reports);
	sg_map_clear(&s->docs);
	sg_ind_unload(s);
	free(s->root);
	free(s->title);
	free(s->school);
	free(s->school_en);
	free(s->description);
	free(s->base_url);
	free(s->base_path);
	free(s->language);
	free(s->theme);
	free(s->motto);
	free(s->icon);
	free(s->address);
	free(s->email);
	free(s->website);
	sg_strv_clear(&s->phones);
	free(s->yml);
	free(s);
}
