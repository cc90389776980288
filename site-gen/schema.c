/*
 * schema: template files (schemas/<id>.yml, read with libyaml through
 * config.c) → struct sg_schema, and the name matching that ties a school's
 * CSV rows to the template's rows.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "data.h"
#include "diag.h"
#include "doc.h"
#include "schema.h"
#include "source.h"
#include "util.h"

/* ---- names ---- */

/* The folded form of cp, or -1 to drop it.  A code point folded to
 * another is folded to ASCII (sg_schema_fold relies on it). */
static int
fold_cp(int cp)
{
	switch (cp) {
	case ' ': case '\t': case '\r': case '\n': case 0xA0: case 0x3000:
	case 0xFEFF: case 0x200B:
		return -1;
	case 0x201C: case 0x201D: case 0x300C: case 0x300D:
		return '"';
	case 0x2018: case 0x2019:
		return '\'';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0x2500:
		return '-';
	case 0x3010: case 0x3014:
		return '[';
	case 0x3011: case 0x3015:
		return ']';
	case 0x3002:
		return '.';
	case 0x2605: case 0x2606: case 0x203B:	/* ★ ☆ ※ as core marks */
		return '*';
	default:
		break;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return -1;
	return sg_utf8_narrow(cp);
}

char *
sg_schema_fold(const char *s)
{
	/* check folds every line of a report: written in place, since
	 * folding never lengthens — a code point stays as it is or becomes
	 * one ASCII byte. */
	char *out = sg_xmalloc(strlen(s) + 1), *w = out;
	const char *start;
	int cp, f;

	while (*s) {
		if ((unsigned char)*s < 0x80) {
			if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
				*w++ = *s;
			s++;
			continue;
		}
		/* U+4000–U+9FFF, most of Chinese text, folds to itself. */
		if ((unsigned char)s[0] >= 0xE4 && (unsigned char)s[0] <= 0xE9 &&
		    ((unsigned char)s[1] & 0xC0) == 0x80 &&
		    ((unsigned char)s[2] & 0xC0) == 0x80) {
			memcpy(w, s, 3);
			w += 3;
			s += 3;
			continue;
		}
		start = s;
		if ((cp = sg_utf8_next(&s)) < 0) {
			s = start + 1;
			continue;
		}
		if ((f = fold_cp(cp)) < 0)
			continue;
		if (f == cp) {
			memcpy(w, start, (size_t)(s - start));
			w += s - start;
		} else
			*w++ = (char)f;
	}
	*w = '\0';
	return out;
}

char *
sg_schema_norm(const char *name)
{
	char *s = sg_schema_fold(name), *p;
	size_t n;

	for (p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	n = strlen(s);
	while (n > 0 && s[n - 1] == '*')
		s[--n] = '\0';
	if (strncmp(s, "其中:", 7) == 0)
		memmove(s, s + 7, n - 7 + 1);
	else if (strncmp(s, "其中,", 7) == 0)
		memmove(s, s + 7, n - 7 + 1);
	return s;
}

char *
sg_schema_norm_unit(const char *unit)
{
	char *s = sg_schema_norm(unit ? unit : "");

	if (strspn(s, "-") == strlen(s) || strcmp(s, "/") == 0)
		s[0] = '\0';
	return s;
}

int
sg_schema_has_core_mark(const char *name)
{
	char *s = sg_schema_fold(name);
	size_t n = strlen(s);
	int r = n > 0 && s[n - 1] == '*';

	free(s);
	return r;
}

int
sg_schema_id_ok(const char *id)
{
	if (id == NULL || *id == '\0' || *id == '.' || strlen(id) > 64)
		return 0;
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

/* ---- parsing ---- */

struct parse {
	struct sg_yaml		*y;
	struct sg_diag		*d;
	const char		*file;
	int			 bad;
};

static int
yes(struct parse *p, yaml_node_t *map, const char *key)
{
	yaml_node_t *n = sg_config_get(p->y, map, key);
	const char *v;

	if (n == NULL)
		return 0;
	if (n->type == YAML_SCALAR_NODE) {
		v = (const char *)n->data.scalar.value;
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			return 1;
		if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			return 0;
	}
	sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, n), 0,
	    "'%s' is not yes or no; expected %s: yes", key, key);
	p->bad = 1;
	return 0;
}

/* A scalar key that must be there (it may be empty when empty_ok). */
static const char *
need(struct parse *p, yaml_node_t *map, const char *key, int empty_ok)
{
	yaml_node_t *n = sg_config_get(p->y, map, key);

	if (n == NULL || n->type != YAML_SCALAR_NODE ||
	    (!empty_ok && n->data.scalar.length == 0)) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
		    n ? n : map), 0, "missing or empty '%s'; expected "
		    "%s: <text> here", key, key);
		p->bad = 1;
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static const char *const row_keys[] = {"no", "name", "unit", "core", "also",
    "part", "total", "rows", "plausible", "per", "range", "change", NULL};

/* A number written as a YAML scalar; 0 or -1 after a finding. */
static int
number(struct parse *p, yaml_node_t *n, const char *key, double *v)
{
	char *end;

	if (n && n->type == YAML_SCALAR_NODE && n->data.scalar.length) {
		*v = strtod((const char *)n->data.scalar.value, &end);
		if (*end == '\0')
			return 0;
	}
	sg_diag_add(p->d, SG_ERROR, p->file, n ? sg_config_line(p->y, n) : 0, 0,
	    "'%s' is not a number; expected %s: 10", key, key);
	p->bad = 1;
	return -1;
}

/* key: [low, high] → *has = 1. */
static void
bounds(struct parse *p, yaml_node_t *map, const char *key, int *has,
    double *lo, double *hi)
{
	yaml_node_t *n = sg_config_get(p->y, map, key);

	if (n == NULL)
		return;
	if (sg_config_len(n) != 2) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, n), 0,
		    "'%s' is not two numbers; expected %s: [low, high]", key, key);
		p->bad = 1;
		return;
	}
	if (number(p, sg_config_item(p->y, n, 0), key, lo) == 0 &&
	    number(p, sg_config_item(p->y, n, 1), key, hi) == 0) {
		if (*lo > *hi) {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    n), 0, "'%s' goes from %g down to %g; expected "
			    "[low, high]", key, *lo, *hi);
			p->bad = 1;
			return;
		}
		*has = 1;
	}
}

/* A scalar or a list of scalars into out (normalised when norm). */
static void
strlist(struct parse *p, yaml_node_t *n, const char *key, int norm,
    struct sg_strv *out)
{
	if (n == NULL)
		return;
	if (n->type == YAML_SCALAR_NODE) {
		const char *v = (const char *)n->data.scalar.value;
		sg_strv_push(out, norm ? sg_schema_norm(v) : sg_xstrdup(v));
		return;
	}
	for (size_t i = 0; i < sg_config_len(n); i++) {
		yaml_node_t *it = sg_config_item(p->y, n, i);
		const char *v;
		if (it == NULL || it->type != YAML_SCALAR_NODE) {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    it ? it : n), 0, "item of '%s' is not text; expected "
			    "%s: [a, b]", key, key);
			p->bad = 1;
			continue;
		}
		v = (const char *)it->data.scalar.value;
		sg_strv_push(out, norm ? sg_schema_norm(v) : sg_xstrdup(v));
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, n), 0,
		    "'%s' is not a list; expected %s: [a, b]", key, key);
		p->bad = 1;
	}
}

static struct sg_schema_row *
add_row(struct sg_schema_table *t)
{
	struct sg_schema_row *r;

	t->rows = sg_xrealloc(t->rows, (t->nrows + 1) * sizeof(*t->rows));
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->parent = -1;
	r->main = -1;
	return r;
}

static void
parse_rows(struct parse *p, struct sg_schema_table *t, yaml_node_t *seq,
    int parent, int depth, const char *prefix)
{
	if (seq == NULL)
		return;
	if (seq->type != YAML_SEQUENCE_NODE || depth > 8) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, seq),
		    0, "rows is not a list; expected '- name: …' items");
		p->bad = 1;
		return;
	}
	for (size_t i = 0; i < sg_config_len(seq); i++) {
		yaml_node_t *m = sg_config_item(p->y, seq, i);
		const char *name, *unit, *no, *also;
		struct sg_schema_row *r;
		int idx;

		if (m == NULL || m->type != YAML_MAPPING_NODE) {
			sg_diag_add(p->d, SG_ERROR, p->file, m ? sg_config_line(
			    p->y, m) : 0, 0, "row is not a mapping; expected "
			    "{name: …, unit: …}");
			p->bad = 1;
			continue;
		}
		sg_config_require(p->y, m, NULL, row_keys, "a schema row", p->d);
		name = need(p, m, "name", 0);
		unit = need(p, m, "unit", 1);
		if (name == NULL || unit == NULL)
			continue;
		if (strchr(name, '/') || strchr(name, '@')) {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    m), 0, "name '%s' has '/' or '@'; expected a name "
			    "without them (they separate keys)", name);
			p->bad = 1;
		}
		no = sg_config_str(p->y, m, "no");
		also = sg_config_str(p->y, m, "also");
		idx = (int)t->nrows;
		r = add_row(t);
		r->name = sg_xstrdup(name);
		r->norm = sg_schema_norm(name);
		r->key = sg_xasprintf("%s/%s", prefix, name);
		r->unit = sg_xstrdup(unit);
		r->no = no && depth == 0 ? sg_xstrdup(no) : NULL;
		r->core = yes(p, m, "core");
		r->part = yes(p, m, "part");
		r->total = yes(p, m, "total");
		r->depth = depth;
		r->parent = parent;
		r->line = sg_config_line(p->y, m);
		bounds(p, m, "plausible", &r->has_plausible, &r->plo, &r->phi);
		bounds(p, m, "range", &r->has_range, &r->rlo, &r->rhi);
		if (sg_config_get(p->y, m, "change") &&
		    number(p, sg_config_get(p->y, m, "change"), "change",
		    &r->change) == 0 && r->change <= 1) {
			sg_diag_add(p->d, SG_ERROR, p->file, r->line, 0, "change "
			    "factor %g is not above 1; expected e.g. change: 5",
			    r->change);
			p->bad = 1;
		}
		if (sg_config_str(p->y, m, "per"))
			r->per = sg_xstrdup(sg_config_str(p->y, m, "per"));
		if (r->part && parent >= 0 &&
		    strcmp(t->rows[parent].unit, unit) != 0) {
			sg_diag_add(p->d, SG_ERROR, p->file, r->line, 0, "part "
			    "row '%s' is in %s but its parent in %s; expected "
			    "part: yes only for the same unit", name, unit,
			    t->rows[parent].unit);
			p->bad = 1;
		}
		if (also) {
			struct sg_schema_row *c = add_row(t);
			r = &t->rows[idx];
			c->name = sg_xstrdup(r->name);
			c->norm = sg_xstrdup("");
			c->key = sg_xasprintf("%s@%s", r->key, also);
			c->unit = sg_xstrdup(also);
			c->core = r->core;
			c->depth = depth;
			c->main = idx;
			c->line = r->line;
			c->parent = parent;
			/* The parent's row in the same unit, if it has one. */
			if (parent >= 0 && (size_t)parent + 1 < t->nrows &&
			    t->rows[parent + 1].main == parent &&
			    strcmp(t->rows[parent + 1].unit, also) == 0)
				c->parent = parent + 1;
			c->part = r->part && c->parent >= 0 &&
			    strcmp(t->rows[c->parent].unit, also) == 0;
		}
		char *key = sg_xstrdup(t->rows[idx].key);
		parse_rows(p, t, sg_config_get(p->y, m, "rows"), idx, depth + 1,
		    key);
		free(key);
	}
}

static const char *const table_keys[] = {"number", "slug", "name",
    "columns", "rows", "required", NULL};
static const char *const top_keys[] = {"id", "title", "years", "outline",
    "tables", "key_figures", "checks", NULL};

/* outline: the chapters, each {title, file, also, required}. */
static void
parse_outline(struct parse *p, struct sg_schema *s, yaml_node_t *seq)
{
	static const char *const ok[] = {"title", "file", "also", "required",
	    NULL};

	if (seq && seq->type != YAML_SEQUENCE_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, seq), 0,
		    "'outline' is not a list; expected outline: followed by "
		    "- {title: 学校情况, file: 01-school.md}");
		p->bad = 1;
		return;
	}
	for (size_t i = 0; i < sg_config_len(seq); i++) {
		yaml_node_t *m = sg_config_item(p->y, seq, i);
		const char *title = need(p, m, "title", 0);
		const char *file = need(p, m, "file", 0);
		struct sg_schema_part *pt;

		if (title == NULL || file == NULL)
			continue;
		sg_config_require(p->y, m, NULL, ok, "an outline part", p->d);
		if (!sg_has_suffix(file, ".md") || strchr(file, '/') ||
		    *file == '.') {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    m), 0, "outline file '%s' is not a chapter file name; "
			    "expected e.g. 01-school.md", file);
			p->bad = 1;
			continue;
		}
		s->parts = sg_xrealloc(s->parts, (s->nparts + 1) *
		    sizeof(*s->parts));
		pt = &s->parts[s->nparts++];
		memset(pt, 0, sizeof(*pt));
		pt->title = sg_xstrdup(title);
		pt->file = sg_xstrdup(file);
		pt->line = sg_config_line(p->y, m);
		pt->required = sg_config_get(p->y, m, "required") ?
		    yes(p, m, "required") : 1;
		strlist(p, sg_config_get(p->y, m, "also"), "also", 1, &pt->also);
	}
}

/* A year written as a YAML scalar, 0 for "~" or empty, -1 if not. */
static int
year_of(yaml_node_t *n)
{
	const char *v;

	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return -1;
	v = (const char *)n->data.scalar.value;
	if (*v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0)
		return 0;
	if (strlen(v) != 4 || strspn(v, "0123456789") != 4)
		return -1;
	return atoi(v);
}

/* years: [first, last] (last ~: every year since first). */
static void
parse_years(struct parse *p, struct sg_schema *s, yaml_node_t *n)
{
	int lo, hi;

	if (n == NULL)
		return;
	lo = year_of(sg_config_item(p->y, n, 0));
	hi = year_of(sg_config_item(p->y, n, 1));
	if (n->type != YAML_SEQUENCE_NODE || sg_config_len(n) != 2 || lo <= 0 ||
	    hi < 0 || (hi && hi < lo)) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, n), 0,
		    "'years' is not two years; expected years: [2016, 2020], or "
		    "[2021, ~] for every year since");
		p->bad = 1;
		return;
	}
	s->first_year = lo;
	s->last_year = hi;
}

static void
parse_table(struct parse *p, struct sg_schema *s, yaml_node_t *m)
{
	struct sg_schema_table *t;
	const char *slug, *name, *num;
	yaml_node_t *cols;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, m ? sg_config_line(p->y, m) :
		    0, 0, "table is not a mapping; expected number, slug, name "
		    "and rows");
		p->bad = 1;
		return;
	}
	sg_config_require(p->y, m, NULL, table_keys, "a schema table", p->d);
	slug = need(p, m, "slug", 0);
	name = need(p, m, "name", 0);
	num = need(p, m, "number", 0);
	if (slug == NULL || name == NULL || num == NULL)
		return;
	s->tables = sg_xrealloc(s->tables, (s->ntables + 1) *
	    sizeof(*s->tables));
	t = &s->tables[s->ntables++];
	memset(t, 0, sizeof(*t));
	t->number = atoi(num);
	t->required = sg_config_get(p->y, m, "required") ? yes(p, m,
	    "required") : 1;
	t->slug = sg_xstrdup(slug);
	t->name = sg_xstrdup(name);
	cols = sg_config_get(p->y, m, "columns");
	for (size_t i = 0; i < sg_config_len(cols); i++) {
		yaml_node_t *c = sg_config_item(p->y, cols, i);
		const char *cn = need(p, c, "name", 0);
		const char *cu = sg_config_str(p->y, c, "unit");
		if (cn == NULL)
			continue;
		t->cols = sg_xrealloc(t->cols, (t->ncols + 1) * sizeof(*t->cols));
		t->cols[t->ncols].name = sg_xstrdup(cn);
		t->cols[t->ncols].norm = sg_schema_norm(cn);
		t->cols[t->ncols].unit = cu ? sg_xstrdup(cu) : NULL;
		t->cols[t->ncols].number = yes(p, c, "number");
		t->ncols++;
	}
	parse_rows(p, t, sg_config_get(p->y, m, "rows"), -1, 0, slug);
	if (t->nrows == 0) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, m), 0,
		    "table %s has no rows; expected its indicators under rows:",
		    name);
		p->bad = 1;
	}
	for (size_t i = 0; i < t->nrows; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(t->rows[i].key, t->rows[j].key) == 0) {
				sg_diag_add(p->d, SG_ERROR, p->file,
				    t->rows[i].line, 0, "row %s is given twice "
				    "(first on line %d); expected each row once "
				    "under its parent", t->rows[i].key,
				    t->rows[j].line);
				p->bad = 1;
				break;
			}
}

static void
parse_figures(struct parse *p, struct sg_schema *s, yaml_node_t *seq)
{
	static const char *const ok[] = {"label", "value", "per", "unit",
	    "note", NULL};

	for (size_t i = 0; i < sg_config_len(seq); i++) {
		yaml_node_t *m = sg_config_item(p->y, seq, i);
		struct sg_schema_figure *f;
		const char *label = need(p, m, "label", 0);
		const char *value = need(p, m, "value", 0);
		const char *per, *unit, *note;
		const struct sg_schema_table *t;

		if (label == NULL || value == NULL)
			continue;
		sg_config_require(p->y, m, NULL, ok, "a key figure", p->d);
		per = sg_config_str(p->y, m, "per");
		unit = sg_config_str(p->y, m, "unit");
		note = sg_config_str(p->y, m, "note");
		if (sg_schema_find_key(s, value, &t) < 0 ||
		    (per && sg_schema_find_key(s, per, &t) < 0)) {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    m), 0, "key figure %s names a row this template does "
			    "not have; expected slug/name/… of one of its rows",
			    label);
			p->bad = 1;
			continue;
		}
		s->figures = sg_xrealloc(s->figures, (s->nfigures + 1) *
		    sizeof(*s->figures));
		f = &s->figures[s->nfigures++];
		f->label = sg_xstrdup(label);
		f->value = sg_xstrdup(value);
		f->per = per ? sg_xstrdup(per) : NULL;
		f->unit = unit ? sg_xstrdup(unit) : NULL;
		f->note = note ? sg_xstrdup(note) : NULL;
	}
}

/* ---- the checks: block ---- */

/* 1 if ref names a row of s or one of its figures. */
static int
ref_ok(const struct sg_schema *s, const char *ref)
{
	const struct sg_schema_table *t;

	if (ref == NULL)
		return 0;
	if (strchr(ref, '/'))
		return sg_schema_find_key(s, ref, &t) >= 0;
	return sg_schema_fig(s, ref) != NULL;
}

static void
bad_ref(struct parse *p, int line, const char *what, const char *ref)
{
	sg_diag_add(p->d, SG_ERROR, p->file, line, 0, "%s '%s' names no row "
	    "and no figure of this template; expected slug/name/… of a row "
	    "or the name of a figure under checks: figures", what,
	    ref ? ref : "");
	p->bad = 1;
}

static void
parse_locator(struct parse *p, struct sg_schema_fig *f, yaml_node_t *m)
{
	static const char *const ok[] = {"header", "value", "rows", "label",
	    "years", NULL};
	struct sg_schema_locator *l;
	const char *v;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, m ? sg_config_line(p->y, m) :
		    0, 0, "table of figure %s is not a mapping; expected {header: "
		    "[…], value: …}", f->name);
		p->bad = 1;
		return;
	}
	sg_config_require(p->y, m, NULL, ok, "a figure's table", p->d);
	f->tables = sg_xrealloc(f->tables, (f->ntables + 1) * sizeof(*f->tables));
	l = &f->tables[f->ntables++];
	memset(l, 0, sizeof(*l));
	l->line = sg_config_line(p->y, m);
	strlist(p, sg_config_get(p->y, m, "header"), "header", 1, &l->header);
	if ((v = need(p, m, "value", 0)) != NULL)
		l->value = sg_schema_norm(v);
	strlist(p, sg_config_get(p->y, m, "rows"), "rows", 1, &l->rows);
	if ((v = sg_config_str(p->y, m, "label")) != NULL)
		l->label = sg_schema_norm(v);
	if ((v = sg_config_str(p->y, m, "years")) != NULL &&
	    (l->years = atoi(v)) < 1) {
		sg_diag_add(p->d, SG_ERROR, p->file, l->line, 0, "years '%s' is "
		    "not a column number; expected years: 1 for the first", v);
		p->bad = 1;
	}
	if (l->value && !sg_strv_has(&l->header, l->value))
		sg_strv_push(&l->header, sg_xstrdup(l->value));
}

static void
parse_rel(struct parse *p, struct sg_schema *s, yaml_node_t *m, int ratio)
{
	static const char *const rok[] = {"value", "num", "den", "percent",
	    "tolerance", NULL};
	static const char *const bok[] = {"value", "max", NULL};
	struct sg_schema_checks *c = &s->checks;
	struct sg_schema_rel *r;
	const char *v;
	int line = m ? sg_config_line(p->y, m) : 0;

	if (m == NULL || m->type != YAML_MAPPING_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, line, 0, "not a mapping; "
		    "expected {value: …, %s}", ratio ? "num: …, den: …" :
		    "max: …");
		p->bad = 1;
		return;
	}
	sg_config_require(p->y, m, NULL, ratio ? rok : bok, ratio ? "a ratio" :
	    "a bound", p->d);
	if (ratio) {
		c->ratios = sg_xrealloc(c->ratios, (c->nratios + 1) *
		    sizeof(*c->ratios));
		r = &c->ratios[c->nratios++];
	} else {
		c->bounds = sg_xrealloc(c->bounds, (c->nbounds + 1) *
		    sizeof(*c->bounds));
		r = &c->bounds[c->nbounds++];
	}
	memset(r, 0, sizeof(*r));
	r->line = line;
	r->tolerance = c->tolerance;
	if ((v = need(p, m, "value", 0)) != NULL)
		r->value = sg_xstrdup(v);
	if (ratio) {
		if ((v = need(p, m, "num", 0)) != NULL)
			r->num = sg_xstrdup(v);
		if ((v = need(p, m, "den", 0)) != NULL)
			r->den = sg_xstrdup(v);
		r->percent = yes(p, m, "percent");
		if (sg_config_get(p->y, m, "tolerance"))
			number(p, sg_config_get(p->y, m, "tolerance"),
			    "tolerance", &r->tolerance);
	} else if ((v = need(p, m, "max", 0)) != NULL)
		r->max = sg_xstrdup(v);
	if (r->value && !ref_ok(s, r->value))
		bad_ref(p, line, "value", r->value);
	if (r->num && !ref_ok(s, r->num))
		bad_ref(p, line, "num", r->num);
	if (r->den && !ref_ok(s, r->den))
		bad_ref(p, line, "den", r->den);
	if (r->max && !ref_ok(s, r->max))
		bad_ref(p, line, "max", r->max);
}

static void
parse_checks(struct parse *p, struct sg_schema *s, yaml_node_t *m)
{
	static const char *const ok[] = {"change_factor", "change_min",
	    "tolerance", "units", "figures", "ratios", "at_most", "sums",
	    "total_rows", NULL};
	struct sg_schema_checks *c = &s->checks;
	yaml_node_t *n;

	c->tolerance = 0.001;
	if (m == NULL)
		return;
	if (m->type != YAML_MAPPING_NODE) {
		sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y, m), 0,
		    "checks is not a mapping; expected change_factor, figures, …");
		p->bad = 1;
		return;
	}
	sg_config_require(p->y, m, NULL, ok, "checks", p->d);
	if ((n = sg_config_get(p->y, m, "change_factor")) != NULL)
		number(p, n, "change_factor", &c->change_factor);
	if ((n = sg_config_get(p->y, m, "change_min")) != NULL)
		number(p, n, "change_min", &c->change_min);
	if ((n = sg_config_get(p->y, m, "tolerance")) != NULL)
		number(p, n, "tolerance", &c->tolerance);
	n = sg_config_get(p->y, m, "units");
	for (size_t i = 0; i < sg_config_len(n); i++) {
		yaml_node_t *u = sg_config_item(p->y, n, i);
		const char *name = need(p, u, "unit", 0);
		struct sg_schema_unit *x;
		if (name == NULL)
			continue;
		c->units = sg_xrealloc(c->units, (c->nunits + 1) *
		    sizeof(*c->units));
		x = &c->units[c->nunits++];
		memset(x, 0, sizeof(*x));
		x->unit = sg_schema_norm_unit(name);
		strlist(p, sg_config_get(p->y, u, "same"), "same", 0, &x->same);
		for (size_t k = 0; k < x->same.n; k++) {
			char *nu = sg_schema_norm_unit(x->same.v[k]);
			free(x->same.v[k]);
			x->same.v[k] = nu;
		}
	}
	n = sg_config_get(p->y, m, "figures");
	for (size_t i = 0; i < sg_config_len(n); i++) {
		static const char *const fok[] = {"name", "row", "tables", "text",
		    NULL};
		yaml_node_t *f = sg_config_item(p->y, n, i);
		const char *name = need(p, f, "name", 0), *row;
		yaml_node_t *tables;
		struct sg_schema_fig *x;
		if (name == NULL)
			continue;
		sg_config_require(p->y, f, NULL, fok, "a figure", p->d);
		if (sg_schema_fig(s, name)) {
			sg_diag_add(p->d, SG_ERROR, p->file, sg_config_line(p->y,
			    f), 0, "figure %s is given twice; expected each name "
			    "once", name);
			p->bad = 1;
			continue;
		}
		c->figs = sg_xrealloc(c->figs, (c->nfigs + 1) * sizeof(*c->figs));
		x = &c->figs[c->nfigs++];
		memset(x, 0, sizeof(*x));
		x->name = sg_xstrdup(name);
		x->line = sg_config_line(p->y, f);
		if ((row = sg_config_str(p->y, f, "row")) != NULL) {
			x->row = sg_xstrdup(row);
			if (!strchr(row, '/') || !ref_ok(s, row))
				bad_ref(p, x->line, "row", row);
		}
		tables = sg_config_get(p->y, f, "tables");
		for (size_t k = 0; k < sg_config_len(tables); k++)
			parse_locator(p, x, sg_config_item(p->y, tables, k));
		strlist(p, sg_config_get(p->y, f, "text"), "text", 0, &x->text);
		for (size_t k = 0; k < x->text.n; k++) {
			char *fo = sg_schema_fold(x->text.v[k]);
			free(x->text.v[k]);
			x->text.v[k] = fo;
			if (strstr(fo, "{n}") == NULL) {
				sg_diag_add(p->d, SG_ERROR, p->file, x->line, 0,
				    "text '%s' has no {n}; expected the place "
				    "of the figure marked {n}", fo);
				p->bad = 1;
			}
		}
	}
	n = sg_config_get(p->y, m, "ratios");
	for (size_t i = 0; i < sg_config_len(n); i++)
		parse_rel(p, s, sg_config_item(p->y, n, i), 1);
	n = sg_config_get(p->y, m, "at_most");
	for (size_t i = 0; i < sg_config_len(n); i++)
		parse_rel(p, s, sg_config_item(p->y, n, i), 0);
	n = sg_config_get(p->y, m, "sums");
	for (size_t i = 0; i < sg_config_len(n); i++) {
		yaml_node_t *x = sg_config_item(p->y, n, i);
		const char *total = need(p, x, "total", 0);
		struct sg_schema_sum *su;
		if (total == NULL)
			continue;
		c->sums = sg_xrealloc(c->sums, (c->nsums + 1) * sizeof(*c->sums));
		su = &c->sums[c->nsums++];
		memset(su, 0, sizeof(*su));
		su->total = sg_schema_norm(total);
		su->line = sg_config_line(p->y, x);
		strlist(p, sg_config_get(p->y, x, "parts"), "parts", 1,
		    &su->parts);
		if (su->parts.n < 2) {
			sg_diag_add(p->d, SG_ERROR, p->file, su->line, 0, "sum of "
			    "%s has %zu parts; expected parts: [a, b, …]", total,
			    su->parts.n);
			p->bad = 1;
		}
	}
	strlist(p, sg_config_get(p->y, m, "total_rows"), "total_rows", 1,
	    &c->total_rows);
}

static void
checks_free(struct sg_schema_checks *c)
{
	for (size_t i = 0; i < c->nunits; i++) {
		free(c->units[i].unit);
		sg_strv_clear(&c->units[i].same);
	}
	for (size_t i = 0; i < c->nfigs; i++) {
		struct sg_schema_fig *f = &c->figs[i];
		for (size_t k = 0; k < f->ntables; k++) {
			sg_strv_clear(&f->tables[k].header);
			sg_strv_clear(&f->tables[k].rows);
			free(f->tables[k].value);
			free(f->tables[k].label);
		}
		free(f->tables);
		free(f->name);
		free(f->row);
		sg_strv_clear(&f->text);
	}
	for (size_t i = 0; i < c->nratios + c->nbounds; i++) {
		struct sg_schema_rel *r = i < c->nratios ? &c->ratios[i] :
		    &c->bounds[i - c->nratios];
		free(r->value);
		free(r->num);
		free(r->den);
		free(r->max);
	}
	for (size_t i = 0; i < c->nsums; i++) {
		free(c->sums[i].total);
		sg_strv_clear(&c->sums[i].parts);
	}
	free(c->units);
	free(c->figs);
	free(c->ratios);
	free(c->bounds);
	free(c->sums);
	sg_strv_clear(&c->total_rows);
}

const struct sg_schema_fig *
sg_schema_fig(const struct sg_schema *s, const char *name)
{
	for (size_t i = 0; s && i < s->checks.nfigs; i++)
		if (strcmp(s->checks.figs[i].name, name) == 0)
			return &s->checks.figs[i];
	return NULL;
}

int
sg_schema_unit_same(const struct sg_schema *s, const char *u,
    const char *school)
{
	char *a = sg_schema_norm_unit(u), *b = sg_schema_norm_unit(school);
	int r = strcmp(a, b) == 0;

	for (size_t i = 0; !r && s && i < s->checks.nunits; i++)
		if (strcmp(s->checks.units[i].unit, a) == 0 &&
		    sg_strv_has(&s->checks.units[i].same, b))
			r = 1;
	free(a);
	free(b);
	return r;
}

struct sg_schema *
sg_schema_parse(const char *file, const char *text, size_t len,
    struct sg_diag *d)
{
	struct sg_schema *s = sg_xcalloc(1, sizeof(*s));
	struct sg_yaml y;
	struct parse p = {&y, d, file, 0};
	yaml_node_t *root, *tables;
	const char *id;
	int bad;

	s->file = sg_xstrdup(file);
	s->hash = sg_doc_hash(text, len);
	if ((bad = sg_utf8_check(text, len)) != 0) {
		sg_diag_add(d, SG_ERROR, file, bad, 0, "invalid UTF-8; expected "
		    "the schema saved as UTF-8 text");
		sg_schema_free(s);
		return NULL;
	}
	if (sg_config_parse(&y, file, 0, text, len, d) == -1) {
		sg_config_clear(&y);
		sg_schema_free(s);
		return NULL;
	}
	if ((root = sg_config_root(&y)) == NULL) {
		sg_diag_add(d, SG_ERROR, file, 1, 0, "the schema is empty; "
		    "expected id:, title: and tables: with the appendix tables");
		sg_config_clear(&y);
		sg_schema_free(s);
		return NULL;
	}
	sg_config_require(&y, root, NULL, top_keys, "a schema", d);
	id = need(&p, root, "id", 0);
	s->id = sg_xstrdup(id ? id : "");
	s->title = sg_xstrdup(sg_config_str(&y, root, "title") ?
	    sg_config_str(&y, root, "title") : s->id);
	parse_years(&p, s, sg_config_get(&y, root, "years"));
	parse_outline(&p, s, sg_config_get(&y, root, "outline"));
	/* A template may have no appendix tables (editions before 2021). */
	tables = sg_config_get(&y, root, "tables");
	if (tables && tables->type != YAML_SEQUENCE_NODE) {
		sg_diag_add(d, SG_ERROR, file, sg_config_line(&y, tables), 0,
		    "'tables' is not a list; expected tables: with the appendix "
		    "tables, or tables: [] for none");
		p.bad = 1;
	}
	for (size_t i = 0; i < sg_config_len(tables); i++)
		parse_table(&p, s, sg_config_item(&y, tables, i));
	parse_figures(&p, s, sg_config_get(&y, root, "key_figures"));
	/* per: may name a row of a later table. */
	for (size_t i = 0; i < s->ntables; i++)
		for (size_t j = 0; j < s->tables[i].nrows; j++) {
			const struct sg_schema_row *r = &s->tables[i].rows[j];
			if (r->per && !strchr(r->per, '/'))
				bad_ref(&p, r->line, "per", r->per);
			else if (r->per && !ref_ok(s, r->per))
				bad_ref(&p, r->line, "per", r->per);
		}
	parse_checks(&p, s, sg_config_get(&y, root, "checks"));
	sg_config_clear(&y);
	if (p.bad) {
		sg_schema_free(s);
		return NULL;
	}
	return s;
}

void
sg_schema_free(struct sg_schema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ntables; i++) {
		struct sg_schema_table *t = &s->tables[i];
		for (size_t j = 0; j < t->nrows; j++) {
			free(t->rows[j].name);
			free(t->rows[j].norm);
			free(t->rows[j].key);
			free(t->rows[j].unit);
			free(t->rows[j].no);
			free(t->rows[j].per);
		}
		for (size_t j = 0; j < t->ncols; j++) {
			free(t->cols[j].name);
			free(t->cols[j].norm);
			free(t->cols[j].unit);
		}
		free(t->rows);
		free(t->cols);
		free(t->slug);
		free(t->name);
	}
	for (size_t i = 0; i < s->nfigures; i++) {
		free(s->figures[i].label);
		free(s->figures[i].value);
		free(s->figures[i].per);
		free(s->figures[i].unit);
		free(s->figures[i].note);
	}
	free(s->figures);
	for (size_t i = 0; i < s->nparts; i++) {
		free(s->parts[i].title);
		free(s->parts[i].file);
		sg_strv_clear(&s->parts[i].also);
	}
	free(s->parts);
	checks_free(&s->checks);
	free(s->tables);
	free(s->id);
	free(s->title);
	free(s->file);
	free(s);
}

/* ---- finding template files ---- */

struct sg_schema *
sg_schema_load(struct sg_source *src, const char *id, int *found,
    struct sg_diag *d)
{
	struct sg_schema *s = NULL;
	const struct sg_data_file *f;
	char *rel, *path = NULL, *text = NULL, *dir;
	size_t len;

	*found = 0;
	if (!sg_schema_id_ok(id))
		return NULL;
	rel = sg_xasprintf("schemas/%s.yml", id);
	if (src && sg_source_kind(src, rel) == SG_SOURCE_FILE) {
		*found = 1;
		if (sg_source_read(src, rel, &text, &len, d) == 0)
			s = sg_schema_parse(rel, text, len, d);
		free(text);
		free(rel);
		return s;
	}
	if ((dir = sg_data_dir()) != NULL) {
		path = sg_xasprintf("%s/%s", dir, rel);
		free(dir);
		if (!sg_is_file(path)) {
			free(path);
			path = NULL;
		}
	}
	if (path) {
		*found = 1;
		if (sg_file_read(path, &text, &len) == -1)
			sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read the "
			    "template: %s", strerror(errno));
		else
			s = sg_schema_parse(path, text, len, d);
	} else if ((f = sg_data_find(rel)) != NULL) {
		*found = 1;
		path = sg_xasprintf(SG_DATA_BUILTIN "%s", rel);
		s = sg_schema_parse(path, (const char *)f->data, f->len, d);
	}
	free(text);
	free(path);
	free(rel);
	return s;
}

char *
sg_schema_where(const char *id)
{
	struct sg_strv ids = {0};
	struct sg_buf b = {0};
	char *dir = sg_data_dir();

	sg_buf_printf(&b, "schemas/%s.yml in the site folder", id);
	if (dir)
		sg_buf_printf(&b, ", %s/schemas/%s.yml", dir, id);
	sg_data_names("schemas", ".yml", &ids);
	sg_buf_puts(&b, " and the built-in templates (");
	for (size_t i = 0; i < ids.n; i++)
		sg_buf_printf(&b, "%s%s", i ? ", " : "", ids.v[i]);
	sg_buf_puts(&b, ")");
	sg_strv_clear(&ids);
	free(dir);
	return sg_buf_take(&b);
}

/* ---- lookups ---- */

const struct sg_schema_table *
sg_schema_table(const struct sg_schema *s, const char *slug)
{
	for (size_t i = 0; s && i < s->ntables; i++)
		if (strcmp(s->tables[i].slug, slug) == 0)
			return &s->tables[i];
	return NULL;
}

const struct sg_schema_table *
sg_schema_table_for_file(const struct sg_schema *s, const char *filename)
{
	const struct sg_schema_table *r = NULL;
	char *base = sg_xstrdup(filename), *p = base, *dot;

	if ((dot = strrchr(base, '.')) != NULL)
		*dot = '\0';
	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == '-' || *p == '_' || *p == ' ')
		p++;
	for (size_t i = 0; s && i < s->ntables && !r; i++)
		if (strcmp(p, s->tables[i].slug) == 0 ||
		    strstr(base, s->tables[i].name) != NULL)
			r = &s->tables[i];
	free(base);
	return r;
}

int
sg_schema_find_key(const struct sg_schema *s, const char *key,
    const struct sg_schema_table **t)
{
	const char *slash = strchr(key, '/');

	*t = NULL;
	if (slash == NULL)
		return -1;
	for (size_t i = 0; i < s->ntables; i++) {
		const struct sg_schema_table *x = &s->tables[i];
		if (strlen(x->slug) != (size_t)(slash - key) ||
		    strncmp(x->slug, key, (size_t)(slash - key)) != 0)
			continue;
		for (size_t j = 0; j < x->nrows; j++)
			if (strcmp(x->rows[j].key, key) == 0) {
				*t = x;
				return (int)j;
			}
	}
	return -1;
}

/* ---- matching ---- */

void
sg_schema_cursor_init(struct sg_schema_cursor *c,
    const struct sg_schema_table *t)
{
	c->t = t;
	c->used = sg_xcalloc(t->nrows + 1, 1);
	c->next = 0;
	c->last = -1;
}

void
sg_schema_cursor_clear(struct sg_schema_cursor *c)
{
	free(c->used);
	c->used = NULL;
}

static enum sg_schema_result
take(struct sg_schema_cursor *c, size_t i, int *row)
{
	c->used[i] = 1;
	c->last = (int)i;
	c->next = i + 1;
	*row = (int)i;
	return SG_SCHEMA_MATCHED;
}

enum sg_schema_result
sg_schema_cursor_match(struct sg_schema_cursor *c, const char *name, int *row)
{
	const struct sg_schema_table *t = c->t;
	char *n = sg_schema_norm(name);
	enum sg_schema_result r;
	int first = -1;

	*row = -1;
	if (*n == '\0') {
		/* The next unit of the indicator matched last. */
		size_t i = c->last >= 0 ? (size_t)c->last + 1 : t->nrows;
		free(n);
		if (i < t->nrows && t->rows[i].main >= 0 && !c->used[i])
			return take(c, i, row);
		return SG_SCHEMA_NO_CONT;
	}
	for (size_t i = c->next; i < t->nrows; i++)
		if (t->rows[i].main < 0 && strcmp(t->rows[i].norm, n) == 0 &&
		    !c->used[i]) {
			free(n);
			return take(c, i, row);
		}
	r = SG_SCHEMA_UNKNOWN;
	for (size_t i = 0; i < t->nrows; i++) {
		if (t->rows[i].main >= 0 || strcmp(t->rows[i].norm, n) != 0)
			continue;
		if (!c->used[i]) {
			free(n);
			return take(c, i, row);
		}
		if (first < 0)
			first = (int)i;
		r = SG_SCHEMA_DUPLICATE;
	}
	free(n);
	*row = first;
	return r;
}
