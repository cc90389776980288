/*
 * theme: HTML templates, parsed once with libxml2 and compiled to literal
 * runs of serialized HTML and data-sg-* operations (see theme.h); a page
 * is rendered by running its template inside the layout's
 * data-sg-slot="main" into one buffer.  Literal parts are serialized by
 * libxml2 and values escaped by the same rules, so text can never become
 * markup.  HTML values (rendered Markdown, charts) are put in as they are:
 * site-gen makes them, escaping as it goes.
 */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "data.h"
#include "diag.h"
#include "source.h"
#include "theme.h"
#include "util.h"

enum vkind { V_TEXT, V_HTML, V_LIST };

struct var {
	char		 *name;
	uint32_t	  h;		/* hash of name: most lookups miss */
	enum vkind	  kind;
	char		 *s;
	struct sg_vars	**items;
	size_t		  nitems, capitems;
};

struct sg_vars {
	struct var	*v;
	size_t		 n, cap;
	struct sg_vars	*parent;	/* lookups fall back to it */
};

static uint32_t
name_hash(const char *s)
{
	return sg_fnv1a32(SG_FNV32_INIT, s, strlen(s));
}

/*
 * A template compiled to a program: literal runs of serialized HTML and the
 * operations of the data-sg-* attributes.  A page is rendered by running
 * the program over its values into one buffer, with no DOM per page.
 */
enum opk { OP_LIT, OP_TEXT, OP_HTML, OP_ATTR, OP_IF, OP_UNLESS, OP_EACH,
    OP_SLOT };

struct op {
	enum opk	 k;
	char		*s;	/* OP_LIT: the bytes; otherwise a value name */
	size_t		 len;	/* OP_LIT: length of s */
	char		*attr;	/* OP_ATTR: attribute name */
	char		*dflt;	/* OP_ATTR: the template's own attribute,
				   serialized, used when the value is unset */
	int		 uri;	/* OP_ATTR: a URL attribute (escaped so) */
	int		 flag;	/* OP_ATTR: an HTML boolean attribute */
	size_t		 end;	/* IF, UNLESS, EACH: index past the element */
	uint32_t	 h;	/* hash of the value name s */
};

struct prog {
	struct op	*v;
	size_t		 n;
	struct sg_buf	 lit;	/* literal bytes not yet made an op */
	int		 slots;	/* data-sg-slot elements seen */
};

struct tmpl {
	char		*name;
	struct prog	 p;
	int		 document;	/* a whole document, not put in the
					   layout (data-sg-document) */
};

struct sg_theme {
	char		*dir;
	struct tmpl	*v;
	size_t		 n;
	struct prog	*layout;
};

struct sg_vars *
sg_vars_new(void)
{
	return sg_xcalloc(1, sizeof(struct sg_vars));
}

void
sg_vars_free(struct sg_vars *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].name);
		free(v->v[i].s);
		for (size_t j = 0; j < v->v[i].nitems; j++)
			sg_vars_free(v->v[i].items[j]);
		free(v->v[i].items);
	}
	free(v->v);
	free(v);
}

static struct var *
slot(struct sg_vars *v, const char *name, enum vkind kind)
{
	uint32_t h = name_hash(name);
	struct var *x;

	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].h == h && strcmp(v->v[i].name, name) == 0) {
			x = &v->v[i];
			if (x->kind != V_LIST) {
				free(x->s);
				x->s = NULL;
			}
			x->kind = kind;
			return x;
		}
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 16;
		v->v = sg_xrealloc(v->v, v->cap * sizeof(*v->v));
	}
	x = &v->v[v->n++];
	memset(x, 0, sizeof(*x));
	x->name = sg_xstrdup(name);
	x->h = h;
	x->kind = kind;
	return x;
}

void
sg_vars_text(struct sg_vars *v, const char *name, const char *text)
{
	if (text == NULL)
		return;
	slot(v, name, V_TEXT)->s = sg_xstrdup(text);
}

void
sg_vars_textf(struct sg_vars *v, const char *name, const char *fmt, ...)
{
	struct sg_buf b = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	sg_buf_grow(&b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b.data, (size_t)n + 1, fmt, ap);
	va_end(ap);
	slot(v, name, V_TEXT)->s = b.data;
}

void
sg_vars_html(struct sg_vars *v, const char *name, const char *html)
{
	if (html == NULL)
		return;
	slot(v, name, V_HTML)->s = sg_xstrdup(html);
}

void
sg_vars_html_own(struct sg_vars *v, const char *name, char *html)
{
	if (html == NULL)
		return;
	slot(v, name, V_HTML)->s = html;
}

struct sg_vars *
sg_vars_item(struct sg_vars *v, const char *name)
{
	uint32_t h = name_hash(name);
	struct var *x = NULL;
	struct sg_vars *it;

	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].h == h && v->v[i].kind == V_LIST &&
		    strcmp(v->v[i].name, name) == 0)
			x = &v->v[i];
	if (x == NULL)
		x = slot(v, name, V_LIST);
	it = sg_vars_new();
	it->parent = v;
	if (x->nitems == x->capitems) {
		x->capitems = x->capitems ? 2 * x->capitems : 4;
		x->items = sg_xrealloc(x->items,
		    x->capitems * sizeof(*x->items));
	}
	x->items[x->nitems++] = it;
	return it;
}

static struct var *
lookup(struct sg_vars *v, const char *name, uint32_t h)
{
	for (; v; v = v->parent)
		for (size_t i = 0; i < v->n; i++)
			if (v->v[i].h == h && strcmp(v->v[i].name, name) == 0)
				return &v->v[i];
	return NULL;
}

static int
is_set(struct sg_vars *v, const char *name, uint32_t h)
{
	struct var *x = lookup(v, name, h);

	if (x == NULL)
		return 0;
	if (x->kind == V_LIST)
		return x->nitems > 0;
	return x->s && *x->s;
}

static htmlDocPtr
parse_html(const char *buf, size_t len, const char *name)
{
	return htmlReadMemory(buf, (int)len, name, "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

/* --- compiling: the template's DOM becomes literal runs and ops --- */

/* Flushes pending literal bytes into an op. */
static void
flush(struct prog *p)
{
	if (p->lit.len > 0) {
		struct sg_buf lit = p->lit;
		p->lit = (struct sg_buf){0};
		p->v = sg_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
		memset(&p->v[p->n], 0, sizeof(p->v[p->n]));
		p->v[p->n].k = OP_LIT;
		p->v[p->n].s = lit.data;
		p->v[p->n].len = lit.len;
		p->n++;
	}
}

static size_t
op(struct prog *p, enum opk k, const char *name)
{
	struct op *o;

	flush(p);
	p->v = sg_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	o = &p->v[p->n];
	memset(o, 0, sizeof(*o));
	o->k = k;
	o->s = name ? sg_xstrdup(name) : NULL;
	o->h = name ? name_hash(name) : 0;
	o->end = p->n + 1;
	return p->n++;
}

static void
prog_clear(struct prog *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].s);
		free(p->v[i].attr);
		free(p->v[i].dflt);
	}
	free(p->v);
	sg_buf_clear(&p->lit);
	memset(p, 0, sizeof(*p));
}

static int
is_sg_attr(const xmlChar *name)
{
	return xmlStrncmp(name, (const xmlChar *)"data-sg-", 8) == 0;
}

/* Whether n or anything under it has a data-sg-* attribute. */
static int
dynamic(xmlNodePtr n)
{
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	for (xmlAttrPtr a = n->properties; a; a = a->next)
		if (is_sg_attr(a->name))
			return 1;
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (dynamic(c))
			return 1;
	return 0;
}

/* Appends node n serialized as libxml2 serializes HTML. */
static void
dump(struct sg_buf *b, xmlNodePtr n)
{
	xmlOutputBufferPtr ob = xmlAllocOutputBuffer(NULL);

	htmlNodeDumpFormatOutput(ob, n->doc, n, "UTF-8", 0);
	xmlOutputBufferFlush(ob);
	sg_buf_add(b, (const char *)xmlOutputBufferGetContent(ob),
	    xmlOutputBufferGetSize(ob));
	xmlOutputBufferClose(ob);
}

/* Attributes that hold one URL (and a's name, encoded alike); all but
 * name go through the URL allowlist. */
static int
url_attr(const char *elem, const char *attr)
{
	static const char *const urls[] = {"href", "action", "src",
	    "formaction", "poster", "cite", "xlink:href", NULL};

	for (size_t i = 0; urls[i]; i++)
		if (strcasecmp(attr, urls[i]) == 0)
			return 1;
	return (strcasecmp(attr, "data") == 0 && strcasecmp(elem, "object") == 0) ||
	    (strcasecmp(attr, "name") == 0 && strcasecmp(elem, "a") == 0);
}

/*
 * Appends ` name="value"` the way libxml2's HTML serializer writes an
 * attribute: URL attributes percent-encoded (so a quote cannot end the
 * value), others with & < > escaped and quoted to suit the value.
 */
static void
put_attr(struct sg_buf *b, const char *name, const char *value, int uri,
    int flag)
{
	char *safe = NULL;

	/* Every URL through the one allowlist: a site.yml website or a
	 * variable of javascript:… leaves no attribute, hence no link. */
	if (uri && !flag && strcasecmp(name, "name") != 0) {
		if ((safe = sg_url_safe(value)) == NULL)
			return;
		value = safe;
	}
	sg_buf_putc(b, ' ');
	sg_buf_puts(b, name);
	if (flag) {
		free(safe);
		return;
	}
	sg_buf_putc(b, '=');
	if (uri) {
		while (*value == ' ' || *value == '\t' || *value == '\n' ||
		    *value == '\r')
			value++;
		/* What libxml2's xmlURIEscapeStr keeps: its marks !*'() and
		 * the serializer's list.  A '"' is always encoded. */
		sg_buf_putc(b, '"');
		sg_buf_urlenc_keep(b, value, "!*'()@/:=?;#%&,+<>");
		sg_buf_putc(b, '"');
		free(safe);
		return;
	}
	{
		int dq = strchr(value, '"') != NULL;
		int sq = strchr(value, '\'') != NULL;
		char q = dq && !sq ? '\'' : '"';

		sg_buf_putc(b, q);
		for (const char *c = value; *c; c++)
			switch (*c) {
			case '&': sg_buf_puts(b, "&amp;"); break;
			case '<': sg_buf_puts(b, "&lt;"); break;
			case '>': sg_buf_puts(b, "&gt;"); break;
			case '\r': sg_buf_puts(b, "&#13;"); break;
			case '"':
				if (q == '"') {
					sg_buf_puts(b, "&quot;");
					break;
				}
				/* FALLTHROUGH */
			default: sg_buf_putc(b, *c);
			}
		sg_buf_putc(b, q);
	}
	free(safe);
}

static char *
attr_value(xmlAttrPtr a)
{
	xmlChar *v = xmlNodeListGetString(a->doc, a->children, 1);
	char *s = sg_xstrdup(v ? (char *)v : "");

	xmlFree(v);
	return s;
}

static char *
get_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = sg_xstrdup((char *)v);
	xmlFree(v);
	return s;
}

static void compile_node(struct prog *p, xmlNodePtr n, int each_done);

/* The element's own tag, attributes and content, after if/unless/each. */
static void
compile_tag(struct prog *p, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	const htmlElemDesc *info = htmlTagLookup(n->name);
	int empty_tag = info && info->empty;	/* br, img, meta: void */
	int omit = xmlHasProp(n, (const xmlChar *)"data-sg-omit-tag") != NULL;
	char *v;

	if (omit)
		goto content;
	sg_buf_putc(&p->lit, '<');
	sg_buf_puts(&p->lit, name);
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		char *dyn, *val;
		int uri, flag;

		if (is_sg_attr(a->name))
			continue;
		uri = url_attr(name, an);
		flag = htmlIsBooleanAttr(a->name) || a->children == NULL;
		val = attr_value(a);
		{
			struct sg_buf key = {0};
			sg_buf_printf(&key, "data-sg-attr-%s", an);
			dyn = get_attr(n, key.data);
			sg_buf_clear(&key);
		}
		if (dyn == NULL) {
			put_attr(&p->lit, an, val, uri, flag);
		} else {
			size_t i = op(p, OP_ATTR, dyn);
			struct sg_buf d = {0};
			put_attr(&d, an, val, uri, flag);
			p->v[i].attr = sg_xstrdup(an);
			p->v[i].dflt = d.data;
			p->v[i].uri = uri;
			p->v[i].flag = htmlIsBooleanAttr(a->name);
		}
		free(dyn);
		free(val);
	}
	/* data-sg-attr-X with no X of the template's own: added at the end. */
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		const char *an = (const char *)a->name;
		size_t i;

		if (strncmp(an, "data-sg-attr-", 13) != 0 ||
		    xmlHasProp(n, (const xmlChar *)an + 13))
			continue;
		v = attr_value(a);
		i = op(p, OP_ATTR, v);
		free(v);
		p->v[i].attr = sg_xstrdup(an + 13);
		p->v[i].uri = url_attr(name, an + 13);
		p->v[i].flag = htmlIsBooleanAttr((const xmlChar *)an + 13);
	}
	sg_buf_putc(&p->lit, '>');
	if (empty_tag)
		return;
content:
	if ((v = get_attr(n, "data-sg-text")) != NULL) {
		op(p, OP_TEXT, v);
		free(v);
	} else if ((v = get_attr(n, "data-sg-html")) != NULL) {
		op(p, OP_HTML, v);
		free(v);
	} else if (xmlHasProp(n, (const xmlChar *)"data-sg-slot")) {
		op(p, OP_SLOT, NULL);
		p->slots++;
	} else {
		for (xmlNodePtr c = n->children; c; c = c->next)
			compile_node(p, c, 0);
	}
	if (!omit)
		sg_buf_printf(&p->lit, "</%s>", name);
}

static void
compile_node(struct prog *p, xmlNodePtr n, int each_done)
{
	size_t i;
	char *v;

	if (n->type == XML_DTD_NODE)
		return;
	if (!dynamic(n)) {
		dump(&p->lit, n);
		return;
	}
	if (!each_done && (v = get_attr(n, "data-sg-each")) != NULL) {
		i = op(p, OP_EACH, v);
		free(v);
		compile_node(p, n, 1);
		flush(p);
		p->v[i].end = p->n;
		return;
	}
	if ((v = get_attr(n, "data-sg-if")) != NULL) {
		size_t j;
		i = op(p, OP_IF, v);
		free(v);
		if ((v = get_attr(n, "data-sg-unless")) != NULL) {
			j = op(p, OP_UNLESS, v);
			free(v);
			compile_tag(p, n);
			flush(p);
			p->v[j].end = p->n;
		} else
			compile_tag(p, n);
		flush(p);
		p->v[i].end = p->n;
		return;
	}
	if ((v = get_attr(n, "data-sg-unless")) != NULL) {
		i = op(p, OP_UNLESS, v);
		free(v);
		compile_tag(p, n);
		flush(p);
		p->v[i].end = p->n;
		return;
	}
	compile_tag(p, n);
}

/* The document's DOCTYPE as libxml2 writes it. */
static void
compile_dtd(struct prog *p, htmlDocPtr doc)
{
	xmlDtdPtr dtd = doc->intSubset;

	if (dtd == NULL)
		return;
	sg_buf_printf(&p->lit, "<!DOCTYPE %s", (const char *)dtd->name);
	if (dtd->ExternalID) {
		sg_buf_printf(&p->lit, " PUBLIC \"%s\"", dtd->ExternalID);
		if (dtd->SystemID)
			sg_buf_printf(&p->lit, " \"%s\"", dtd->SystemID);
	} else if (dtd->SystemID && strcmp((char *)dtd->SystemID,
	    "about:legacy-compat") != 0)
		sg_buf_printf(&p->lit, " SYSTEM \"%s\"", dtd->SystemID);
	sg_buf_puts(&p->lit, ">\n");
}

static xmlNodePtr
find_body(htmlDocPtr doc)
{
	xmlNodePtr r = xmlDocGetRootElement(doc);

	for (xmlNodePtr c = r ? r->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(c->name, (const xmlChar *)"body") == 0)
			return c;
	return NULL;
}

static int
add_named(struct sg_theme *t, const char *name, const char *data, size_t len,
    const char *path, struct sg_diag *d)
{
	htmlDocPtr doc;
	xmlNodePtr root;
	struct prog p = {0};
	int bad = sg_utf8_check(data, len), document;

	if (bad != 0 || (doc = parse_html(data, len, path)) == NULL) {
		sg_diag_add(d, SG_ERROR, path, bad, 0, "template is not UTF-8 "
		    "HTML; expected an HTML5 document");
		return -1;
	}
	if (strcmp(name, "layout") == 0) {
		compile_dtd(&p, doc);
		for (xmlNodePtr c = doc->children; c; c = c->next)
			compile_node(&p, c, 0);
		sg_buf_putc(&p.lit, '\n');
		flush(&p);
		xmlFreeDoc(doc);
		if (p.slots == 0) {
			sg_diag_add(d, SG_ERROR, path, 0, 0, "layout.html has no "
			    "data-sg-slot=\"main\" element; expected one where "
			    "pages go");
			prog_clear(&p);
			return -1;
		}
		if (t->layout)
			prog_clear(t->layout);
		else
			t->layout = sg_xcalloc(1, sizeof(*t->layout));
		*t->layout = p;
		return 0;
	}
	/* A document of its own (the print document the PDF is typeset
	 * from) keeps its head: <html data-sg-document>. */
	root = xmlDocGetRootElement(doc);
	document = root && xmlHasProp(root,
	    (const xmlChar *)"data-sg-document") != NULL;
	if (document) {
		compile_dtd(&p, doc);
		for (xmlNodePtr c = doc->children; c; c = c->next)
			compile_node(&p, c, 0);
		sg_buf_putc(&p.lit, '\n');
	} else {
		xmlNodePtr body = find_body(doc);
		for (xmlNodePtr c = body ? body->children : NULL; c; c = c->next)
			compile_node(&p, c, 0);
	}
	flush(&p);
	xmlFreeDoc(doc);
	t->v = sg_xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n].name = sg_xstrdup(name);
	t->v[t->n].p = p;
	t->v[t->n].document = document;
	t->n++;
	return 0;
}
struct sg_theme *
sg_theme_new(const char *dir)
{
	struct sg_theme *t = sg_xcalloc(1, sizeof(*t));

	t->dir = sg_xstrdup(dir);
	return t;
}

int
sg_theme_add(struct sg_theme *t, const char *name, const char *html,
    size_t len, struct sg_diag *d)
{
	return add_named(t, name, html, len, name, d);
}

/* See theme.h. */
char *
sg_theme_find(const char *opt, const char *name, struct sg_diag *d)
{
	char *p, *data = sg_data_dir(), *inst = NULL;

	if (opt) {
		free(data);
		return sg_xstrdup(opt);
	}
	p = sg_xasprintf("themes/%s", name);
	if (sg_is_dir(p))
		goto out;
	free(p);
	if (data) {
		inst = sg_xasprintf("%s/themes/%s", data, name);
		if (sg_is_dir(inst)) {
			p = inst;
			inst = NULL;
			goto out;
		}
	}
	p = sg_xasprintf(SG_DATA_BUILTIN "themes/%s", name);
	if (sg_data_has_dir(p))
		goto out;
	free(p);
	p = NULL;
	sg_diag_add(d, SG_ERROR, "site.yml", 0, 0, "theme '%s' not found; "
	    "looked in themes/%s/ of the site%s%s and the themes built into "
	    "site-gen (default); expected one of those, or a folder made with "
	    "site-gen theme export themes/%s", name, name, inst ? ", " : "",
	    inst ? inst : "", name);
out:
	free(inst);
	free(data);
	return p;
}

struct sg_theme *
sg_theme_load(const char *dir, struct sg_diag *d)
{
	struct sg_theme *t = sg_xcalloc(1, sizeof(*t));
	/* The built-in theme is read from the binary (data.h). */
	struct sg_source *src = sg_data_is_builtin(dir) ? sg_data_source(dir) :
	    sg_source_fs_new(dir);
	struct sg_strv names = {0};

	t->dir = sg_xstrdup(dir);
	if (sg_source_list(src, ".", SG_SOURCE_FILE, &names) == -1) {
		sg_diag_add(d, SG_ERROR, dir, 0, 0, "theme folder not found; "
		    "expected a folder with layout.html and page templates");
		goto fail;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *data, *path, *name;
		size_t len;
		int rc;

		if (!sg_has_suffix(names.v[i], ".html"))
			continue;
		path = sg_path_join(dir, names.v[i]);
		if (src->ops->read(src->ctx, names.v[i], &data, &len) == -1) {
			sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read "
			    "template: %s", strerror(errno));
			free(path);
			goto fail;
		}
		name = sg_xstrndup(names.v[i], strlen(names.v[i]) - 5);
		rc = add_named(t, name, data, len, path, d);
		free(name);
		free(data);
		free(path);
		if (rc == -1)
			goto fail;
	}
	if (t->layout == NULL) {
		sg_diag_add(d, SG_ERROR, dir, 0, 0, "theme has no layout.html; "
		    "expected layout.html with a data-sg-slot=\"main\" element");
		goto fail;
	}
	sg_strv_clear(&names);
	sg_source_free(src);
	return t;
fail:
	sg_strv_clear(&names);
	sg_source_free(src);
	sg_theme_free(t);
	return NULL;
}

void
sg_theme_free(struct sg_theme *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		prog_clear(&t->v[i].p);
	}
	if (t->layout)
		prog_clear(t->layout);
	free(t->layout);
	free(t->v);
	free(t->dir);
	free(t);
}

int
sg_theme_has(const struct sg_theme *t, const char *kind)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, kind) == 0)
			return 1;
	return 0;
}

const char *
sg_theme_dir(const struct sg_theme *t)
{
	return t->dir;
}

/* --- rendering: running a program over a page's values --- */

/*
 * Copies data-sg-each may still make in this render.  A list inside a
 * list of the same name repeats per item (lookups fall back to the outer
 * set), so a template can ask for exponentially many copies; real pages
 * make a few hundred.
 */
#define SG_THEME_MAX_COPIES	50000

struct run {
	struct sg_buf	 out;
	const struct prog *page;
	long		 copies_left;
};

/* Text content as libxml2 escapes it in HTML. */
static void
put_text(struct sg_buf *b, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *e;
		switch (*s) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '\r': e = "&#13;"; break;
		default: continue;
		}
		sg_buf_add(b, run, (size_t)(s - run));
		sg_buf_puts(b, e);
		run = s + 1;
	}
	sg_buf_add(b, run, (size_t)(s - run));
}

static void
exec(struct run *r, const struct prog *p, size_t from, size_t to,
    struct sg_vars *v)
{
	for (size_t i = from; i < to; i++) {
		const struct op *o = &p->v[i];
		struct var *x;

		switch (o->k) {
		case OP_LIT:
			sg_buf_add(&r->out, o->s, o->len);
			break;
		case OP_TEXT:
			x = lookup(v, o->s, o->h);
			if (x && x->kind != V_LIST && x->s)
				put_text(&r->out, x->s);
			break;
		case OP_HTML:
			x = lookup(v, o->s, o->h);
			if (x && x->kind != V_LIST && x->s)
				sg_buf_puts(&r->out, x->s);
			break;
		case OP_ATTR:
			x = lookup(v, o->s, o->h);
			if (x && x->kind != V_LIST && x->s)
				put_attr(&r->out, o->attr, x->s, o->uri, o->flag);
			else if (o->dflt)
				sg_buf_puts(&r->out, o->dflt);
			break;
		case OP_IF:
			if (!is_set(v, o->s, o->h))
				i = o->end - 1;
			break;
		case OP_UNLESS:
			if (is_set(v, o->s, o->h))
				i = o->end - 1;
			break;
		case OP_EACH:
			x = lookup(v, o->s, o->h);
			if (x && x->kind == V_LIST)
				for (size_t j = 0; j < x->nitems &&
				    r->copies_left-- > 0; j++)
					exec(r, p, i + 1, o->end, x->items[j]);
			i = o->end - 1;
			break;
		case OP_SLOT:
			/* Only the layout's slot takes the page: a slot in
			 * the page itself stays empty. */
			if (r->page) {
				const struct prog *pg = r->page;
				r->page = NULL;
				exec(r, pg, 0, pg->n, v);
				r->page = pg;
			}
			break;
		}
	}
}

char *
sg_theme_render(struct sg_theme *t, const char *kind, struct sg_vars *vars,
    size_t *len, struct sg_diag *d)
{
	struct run r = {{0}, NULL, SG_THEME_MAX_COPIES};
	const struct prog *top;
	int document = 0;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, kind) == 0) {
			r.page = &t->v[i].p;
			document = t->v[i].document;
		}
	if (r.page == NULL) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "theme has no %s.html; "
		    "expected a template for this page kind", kind);
		return NULL;
	}
	if (t->layout == NULL && !document) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "theme has no layout.html; "
		    "expected layout.html with a data-sg-slot=\"main\" element");
		return NULL;
	}
	sg_buf_grow(&r.out, 16384);
	top = document ? r.page : t->layout;
	if (document)
		r.page = NULL;
	exec(&r, top, 0, top->n, vars);
	if (r.copies_left < 0) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "template %s.html repeats "
		    "elements more than %d times for one page (a data-sg-each "
		    "inside one of the same name?); expected at most that many",
		    kind, SG_THEME_MAX_COPIES);
		sg_buf_clear(&r.out);
		return NULL;
	}
	*len = r.out.len;
	if (r.out.data == NULL)
		return sg_xstrdup("");
	return r.out.data;
}
