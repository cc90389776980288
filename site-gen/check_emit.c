/*
 * check_emit: the table of rules (its rows in check_rules.h), findings
 * under a rule id and the allowances that waive them, and how rows and
 * values are named in messages — what check.c and every rule module
 * report their findings through.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_int.h"
#include "diag.h"
#include "doc.h"
#include "schema.h"
#include "sg.h"
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

const struct sg_check_rule *
sg_check_rule_find(const char *id)
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

/* A YAML line ending in "# allow: privacy" waives that line. */
int
sg_check_yaml_allows(const char *text, int line, enum sg_check_rule_id id)
{
	const char *rule = rules[id].id;
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
