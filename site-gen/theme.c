/*
 * theme: HTML templates, parsed once with libxml2 and compiled to literal
 * runs of serialized HTML and data-sg-* operations (see theme.h); a page
 * is rendered by running its template inside the layout's
 * data-sg-slot="main" into one buffer.  Literal parts are serialized by
 * libxml2 and values escaped by the same rules, so text can never become
 * markup.  HTML values (rendered Markdown, charts) are put in as they are:
 * site-gen makes them, escaping as it goes.  Parts (parts/<name>.html) are
 * compiled alike; their DOMs stay for data-sg-include to compile in place,
 * so an include costs nothing per page.
 */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "data.h"
#include "diag.h"
#include "source.h"
#include "theme.h"
#include "util.h"

/* The built-in theme, whose parts stand in for those a theme lacks. */
#define SG_THEME_BUILTIN	SG_DATA_BUILTIN "themes/default"

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
	struct seg	*segs;	/* OP_ATTR with a pattern, else NULL */
	size_t		 nsegs;
};

struct cc;

struct prog {
	struct op	*v;
	size_t		 n;
	struct sg_buf	 lit;	/* literal bytes not yet made an op */
	int		 slots;	/* data-sg-slot elements seen */
	struct cc	*cc;	/* while compiling: for includes */
};

/* An attribute pattern's pieces (data-sg-attr-X="案例 {n}"): literal text
 * and, after each but the last, a value name. */
struct seg {
	char		*lit;
	char		*name;
	uint32_t	 h;
};

struct tmpl {
	char		*name;
	struct prog	 p;
	int		 document;	/* a whole document, not put in the
					   layout (data-sg-document) */
};

/* A part: parts/<name>.html, a fragment of markup rendered from C or
 * included by a template.  Its DOM is kept while the theme lives, for
 * data-sg-include to inline. */
struct part {
	char		*name;
	uint32_t	 h;
	char		*path;		/* the file, for findings */
	htmlDocPtr	 doc;
	struct prog	 p;
	int		 busy;		/* being inlined: an include loop */
};

/* A word of words.yml: the text a key stands for. */
struct word {
	char		*key;
	uint32_t	 h;
	char		*text;
};

struct sg_theme {
	char		*dir;
	struct word	*words;
	size_t		 nwords;
	struct tmpl	*v;
	size_t		 n;
	struct prog	*layout;
	struct part	*parts;
	size_t		 nparts;
};

/* What compiling needs beyond the program: the theme for its parts, and
 * where to say that an include failed. */
struct cc {
	struct sg_theme	*t;
	const char	*path;
	struct sg_diag	*d;
	int		 failed;
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
		/* Small: a table makes a set per cell. */
		v->cap = v->cap ? 2 * v->cap : 4;
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
		for (size_t j = 0; j < p->v[i].nsegs; j++) {
			free(p->v[i].segs[j].lit);
			free(p->v[i].segs[j].name);
		}
		free(p->v[i].segs);
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
		sg_buf_escape(b, value, q == '"' ? SG_ESC_QUOT | SG_ESC_CR :
		    SG_ESC_CR);
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
static xmlNodePtr find_body(htmlDocPtr doc);

/* An OP_ATTR for data-sg-attr-X's value: one value name, or a pattern of
 * text with {name}s in it (a name has no brace). */
static size_t
attr_op(struct prog *p, const char *v)
{
	const char *c = v, *open, *close;
	size_t i;
	struct op *o;

	if (strchr(v, '{') == NULL)
		return op(p, OP_ATTR, v);
	i = op(p, OP_ATTR, NULL);
	o = &p->v[i];
	for (;;) {
		struct seg sg = {0};

		open = strchr(c, '{');
		close = open ? strchr(open, '}') : NULL;
		if (close == NULL) {
			sg.lit = sg_xstrdup(c);
		} else {
			sg.lit = sg_xstrndup(c, (size_t)(open - c));
			sg.name = sg_xstrndup(open + 1, (size_t)(close - open - 1));
			sg.h = name_hash(sg.name);
		}
		o->segs = sg_xrealloc(o->segs, (o->nsegs + 1) * sizeof(sg));
		o->segs[o->nsegs++] = sg;
		if (close == NULL)
			return i;
		c = close + 1;
	}
}

static struct part *
find_part(const struct sg_theme *t, const char *name)
{
	uint32_t h = name_hash(name);

	for (size_t i = 0; i < t->nparts; i++)
		if (t->parts[i].h == h && strcmp(t->parts[i].name, name) == 0)
			return &t->parts[i];
	return NULL;
}

/* The children of a parsed fragment's body. */
static void
compile_body(struct prog *p, htmlDocPtr doc)
{
	xmlNodePtr body = find_body(doc);

	for (xmlNodePtr c = body ? body->children : NULL; c; c = c->next)
		compile_node(p, c, 0);
}

/* data-sg-include="name": part name's markup, inlined as if written here. */
static void
include(struct prog *p, const char *name)
{
	struct cc *cc = p->cc;
	struct part *pt = cc ? find_part(cc->t, name) : NULL;

	if (cc == NULL)
		return;
	if (pt == NULL) {
		sg_diag_add(cc->d, SG_ERROR, cc->path, 0, 0, "data-sg-include="
		    "\"%s\": the theme has no part %s; expected %s/parts/%s.html "
		    "or a part of the built-in theme", name, name, cc->t->dir,
		    name);
		cc->failed = 1;
		return;
	}
	if (pt->busy) {
		sg_diag_add(cc->d, SG_ERROR, cc->path, 0, 0, "data-sg-include="
		    "\"%s\" includes itself (through %s); expected parts that "
		    "do not include each other in a loop", name, pt->path);
		cc->failed = 1;
		return;
	}
	pt->busy = 1;
	compile_body(p, pt->doc);
	pt->busy = 0;
}

/* The element's own tag, attributes and content, after if/unless/each. */
static void
compile_tag(struct prog *p, xmlNodePtr n)
{
	const char *name = (const char *)n->name;
	const htmlElemDesc *info = htmlTagLookup(n->name);
	int empty_tag = info && info->empty;	/* br, img, meta: void */
	/* data-sg-bare: only the content, for text with no element. */
	int bare = xmlHasProp(n, (const xmlChar *)"data-sg-bare") != NULL;
	char *v;

	if (bare)
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
			size_t i = attr_op(p, dyn);
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
		i = attr_op(p, v);
		free(v);
		p->v[i].attr = sg_xstrdup(an + 13);
		p->v[i].uri = url_attr(name, an + 13);
		p->v[i].flag = htmlIsBooleanAttr((const xmlChar *)an + 13);
	}
	sg_buf_putc(&p->lit, '>');
content:
	if (empty_tag)
		return;
	if ((v = get_attr(n, "data-sg-text")) != NULL) {
		op(p, OP_TEXT, v);
		free(v);
	} else if ((v = get_attr(n, "data-sg-html")) != NULL) {
		op(p, OP_HTML, v);
		free(v);
	} else if ((v = get_attr(n, "data-sg-include")) != NULL) {
		include(p, v);
		free(v);
	} else if (xmlHasProp(n, (const xmlChar *)"data-sg-slot")) {
		op(p, OP_SLOT, NULL);
		p->slots++;
	} else {
		for (xmlNodePtr c = n->children; c; c = c->next)
			compile_node(p, c, 0);
	}
	if (!bare)
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
	struct cc cc = {t, path, d, 0};
	struct prog p = {.cc = &cc};
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
		p.cc = NULL;
		if (cc.failed) {
			prog_clear(&p);
			return -1;
		}
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
	} else
		compile_body(&p, doc);
	flush(&p);
	xmlFreeDoc(doc);
	p.cc = NULL;
	if (cc.failed) {
		prog_clear(&p);
		return -1;
	}
	t->v = sg_xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n].name = sg_xstrdup(name);
	t->v[t->n].p = p;
	t->v[t->n].document = document;
	t->n++;
	return 0;
}
/*
 * Reads part name from its file's bytes, unless the theme has it already
 * (its own part comes before the built-in one).  The file's last line
 * break is not part of the markup: editors end files with one.
 */
static int
add_part(struct sg_theme *t, const char *name, const char *data, size_t len,
    const char *path, struct sg_diag *d)
{
	struct part *pt;
	htmlDocPtr doc;
	int bad = sg_utf8_check(data, len);

	if (find_part(t, name))
		return 0;
	if (len > 0 && data[len - 1] == '\n')
		len -= len > 1 && data[len - 2] == '\r' ? 2 : 1;
	if (bad != 0 || (doc = parse_html(data, len, path)) == NULL) {
		sg_diag_add(d, SG_ERROR, path, bad, 0, "template part is not "
		    "UTF-8 HTML; expected a fragment of HTML5");
		return -1;
	}
	t->parts = sg_xrealloc(t->parts, (t->nparts + 1) * sizeof(*t->parts));
	pt = &t->parts[t->nparts++];
	memset(pt, 0, sizeof(*pt));
	pt->name = sg_xstrdup(name);
	pt->h = name_hash(name);
	pt->path = sg_xstrdup(path);
	pt->doc = doc;
	return 0;
}

/* Compiles part pt, after every part it may include was added. */
static int
compile_part(struct sg_theme *t, struct part *pt, struct sg_diag *d)
{
	struct cc cc = {t, pt->path, d, 0};
	struct prog p = {.cc = &cc};

	pt->busy = 1;
	compile_body(&p, pt->doc);
	pt->busy = 0;
	flush(&p);
	p.cc = NULL;
	if (cc.failed) {
		prog_clear(&p);
		return -1;
	}
	prog_clear(&pt->p);
	pt->p = p;
	return 0;
}

/* Adds the parts in folder parts/ of src (labelled dir in findings). */
static int
add_parts(struct sg_theme *t, struct sg_source *src, const char *dir,
    struct sg_diag *d)
{
	struct sg_strv names = {0};
	int rc = 0;

	/* No parts/ folder: every part is the built-in one. */
	sg_source_list(src, "parts", SG_SOURCE_FILE, &names);
	for (size_t i = 0; rc == 0 && i < names.n; i++) {
		char *rel, *path, *name, *data;
		size_t len;

		if (!sg_has_suffix(names.v[i], ".html"))
			continue;
		rel = sg_path_join("parts", names.v[i]);
		path = sg_path_join(dir, rel);
		name = sg_xstrndup(names.v[i], strlen(names.v[i]) - 5);
		if (src->ops->read(src->ctx, rel, &data, &len) == -1) {
			sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read "
			    "template part: %s", strerror(errno));
			rc = -1;
		} else {
			rc = add_part(t, name, data, len, path, d);
			free(data);
		}
		free(name);
		free(path);
		free(rel);
	}
	sg_strv_clear(&names);
	return rc;
}

static const struct word *
find_word(const struct sg_theme *t, const char *key)
{
	uint32_t h = name_hash(key);

	for (size_t i = 0; i < t->nwords; i++)
		if (t->words[i].h == h && strcmp(t->words[i].key, key) == 0)
			return &t->words[i];
	return NULL;
}

/*
 * Adds the words of words.yml's bytes (a flat map of keys to text) that
 * the theme has not got yet: its own come before the built-in theme's.
 * A file that is not such a map is an error naming file:line.
 */
static int
add_words(struct sg_theme *t, const char *data, size_t len,
    const char *path, struct sg_diag *d)
{
	struct sg_yaml y;
	yaml_node_t *root;
	int rc = -1;

	if (sg_config_parse(&y, path, 0, data, len, d) == -1)
		goto out;
	root = sg_config_root(&y);
	for (yaml_node_pair_t *pr = root ? root->data.mapping.pairs.start :
	    NULL; root && pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&y.doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&y.doc, pr->value);
		const char *key;

		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    v->type != YAML_SCALAR_NODE) {
			sg_diag_add(d, SG_ERROR, path, sg_config_line(&y,
			    v ? v : k), 0, "a word's value is not text; "
			    "expected 'key: \"text\"' lines, {name} where a "
			    "value goes");
			goto out;
		}
		key = (const char *)k->data.scalar.value;
		if (find_word(t, key))
			continue;
		t->words = sg_xrealloc(t->words, (t->nwords + 1) *
		    sizeof(*t->words));
		t->words[t->nwords].key = sg_xstrdup(key);
		t->words[t->nwords].h = name_hash(key);
		t->words[t->nwords].text = sg_xstrdup(
		    (const char *)v->data.scalar.value);
		t->nwords++;
	}
	rc = 0;
out:
	sg_config_clear(&y);
	return rc;
}

/* Adds src's words.yml (labelled dir in findings), if it has one. */
static int
add_words_file(struct sg_theme *t, struct sg_source *src, const char *dir,
    struct sg_diag *d)
{
	char *data, *path;
	size_t len;
	int rc;

	if (sg_source_kind(src, "words.yml") != SG_SOURCE_FILE)
		return 0;
	path = sg_path_join(dir, "words.yml");
	if (src->ops->read(src->ctx, "words.yml", &data, &len) == -1) {
		sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read the theme's "
		    "words: %s", strerror(errno));
		free(path);
		return -1;
	}
	rc = add_words(t, data, len, path, d);
	free(data);
	free(path);
	return rc;
}

int
sg_theme_add_words(struct sg_theme *t, const char *yml, size_t len,
    struct sg_diag *d)
{
	return add_words(t, yml, len, "words.yml", d);
}

/* Digits of v in buf (at least 24 bytes). */
const char *
sg_word_num(char *buf, long long v)
{
	snprintf(buf, 24, "%lld", v);
	return buf;
}

/* The value given for the name between c and close, or NULL. */
static const char *
word_value(const char *c, const char *close, va_list vals)
{
	size_t n = (size_t)(close - c);
	const char *name, *v;
	va_list ap;

	va_copy(ap, vals);
	while ((name = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		if (strlen(name) == n && strncmp(name, c, n) == 0) {
			va_end(ap);
			return v ? v : "";
		}
	}
	va_end(ap);
	return NULL;
}

char *
sg_theme_vword(const struct sg_theme *t, const char *key, va_list vals)
{
	const struct sg_theme *b;
	const struct word *w = t ? find_word(t, key) : NULL;
	struct sg_buf out = {0};
	const char *c, *close, *val;

	if (w == NULL && (b = sg_theme_builtin()) != NULL && b != t)
		w = find_word(b, key);
	if (w == NULL)
		return sg_xstrdup(key);
	for (c = w->text; *c; c++) {
		if (*c == '{' && (close = strchr(c + 1, '}')) != NULL &&
		    (val = word_value(c + 1, close, vals)) != NULL) {
			sg_buf_puts(&out, val);
			c = close;
		} else
			sg_buf_putc(&out, *c);
	}
	if (out.data == NULL)
		return sg_xstrdup("");
	return out.data;
}

char *
sg_theme_word(const struct sg_theme *t, const char *key, ...)
{
	va_list ap;
	char *w;

	va_start(ap, key);
	w = sg_theme_vword(t, key, ap);
	va_end(ap);
	return w;
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
	if (strncmp(name, "parts/", 6) == 0) {
		if (find_part(t, name + 6)) {
			sg_diag_add(d, SG_ERROR, name, 0, 0, "the theme has this "
			    "part already; expected each part once");
			return -1;
		}
		if (add_part(t, name + 6, html, len, name, d) == -1)
			return -1;
		return compile_part(t, &t->parts[t->nparts - 1], d);
	}
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
	/* Parts first, for the templates to include: the theme's own, then
	 * the built-in theme's for any it lacks. */
	if (add_parts(t, src, dir, d) == -1 ||
	    add_words_file(t, src, dir, d) == -1)
		goto fail;
	if (!sg_data_is_builtin(dir)) {
		struct sg_source *def = sg_data_source(SG_THEME_BUILTIN);
		int rc = add_parts(t, def, SG_THEME_BUILTIN, d);

		if (rc == 0)
			rc = add_words_file(t, def, SG_THEME_BUILTIN, d);
		sg_source_free(def);
		if (rc == -1)
			goto fail;
	}
	for (size_t i = 0; i < t->nparts; i++)
		if (compile_part(t, &t->parts[i], d) == -1)
			goto fail;
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
	for (size_t i = 0; i < t->nparts; i++) {
		free(t->parts[i].name);
		free(t->parts[i].path);
		xmlFreeDoc(t->parts[i].doc);
		prog_clear(&t->parts[i].p);
	}
	free(t->parts);
	for (size_t i = 0; i < t->nwords; i++) {
		free(t->words[i].key);
		free(t->words[i].text);
	}
	free(t->words);
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
 * Copies data-sg-each may make in one render, beyond a few per item the
 * values hold (a 10,000-row table is 10,000 copies, each wanted).  A list
 * inside a list of the same name repeats per item (lookups fall back to
 * the outer set), so a template can ask for exponentially many copies;
 * real pages make a few hundred more than their items.
 */
#define SG_THEME_MAX_COPIES	50000

/* Items in v's lists, and in theirs. */
static long
items(const struct sg_vars *v)
{
	long n = 0;

	for (size_t i = 0; i < v->n; i++)
		for (size_t j = 0; j < v->v[i].nitems; j++)
			n += 1 + items(v->v[i].items[j]);
	return n;
}

/* The copies a render over v may make. */
static long
budget(const struct sg_vars *v)
{
	return SG_THEME_MAX_COPIES + 4 * items(v);
}

struct run {
	struct sg_buf	*out;
	const struct prog *page;
	long		 copies_left;
};

/* A value that is there to write: set, and not a list. */
static const char *
value(struct sg_vars *v, const char *name, uint32_t h)
{
	struct var *x = lookup(v, name, h);

	return x && x->kind != V_LIST ? x->s : NULL;
}

/* An attribute pattern's value when each value it names is set, else the
 * template's own attribute (or none), as for one name. */
static void
put_pattern(struct sg_buf *out, const struct op *o, struct sg_vars *v)
{
	struct sg_buf val = {0};
	const char *s;

	for (size_t i = 0; i < o->nsegs; i++) {
		sg_buf_puts(&val, o->segs[i].lit);
		if (o->segs[i].name == NULL)
			continue;
		if ((s = value(v, o->segs[i].name, o->segs[i].h)) == NULL) {
			if (o->dflt)
				sg_buf_puts(out, o->dflt);
			sg_buf_clear(&val);
			return;
		}
		sg_buf_puts(&val, s);
	}
	put_attr(out, o->attr, val.data ? val.data : "", o->uri, o->flag);
	sg_buf_clear(&val);
}

static void
exec(struct run *r, const struct prog *p, size_t from, size_t to,
    struct sg_vars *v)
{
	for (size_t i = from; i < to; i++) {
		const struct op *o = &p->v[i];
		const char *s;
		struct var *x;

		switch (o->k) {
		case OP_LIT:
			sg_buf_add(r->out, o->s, o->len);
			break;
		case OP_TEXT:
			if ((s = value(v, o->s, o->h)) != NULL)
				sg_buf_escape(r->out, s, SG_ESC_CR);
			break;
		case OP_HTML:
			if ((s = value(v, o->s, o->h)) != NULL)
				sg_buf_puts(r->out, s);
			break;
		case OP_ATTR:
			if (o->segs)
				put_pattern(r->out, o, v);
			else if ((s = value(v, o->s, o->h)) != NULL)
				put_attr(r->out, o->attr, s, o->uri, o->flag);
			else if (o->dflt)
				sg_buf_puts(r->out, o->dflt);
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
	struct sg_buf out = {0};
	struct run r = {&out, NULL, budget(vars)};
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
	sg_buf_grow(&out, 16384);
	top = document ? r.page : t->layout;
	if (document)
		r.page = NULL;
	exec(&r, top, 0, top->n, vars);
	if (r.copies_left < 0) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "template %s.html repeats "
		    "elements more than %ld times for one page (a data-sg-each "
		    "inside one of the same name?); expected at most that many",
		    kind, budget(vars));
		sg_buf_clear(&out);
		return NULL;
	}
	*len = out.len;
	if (out.data == NULL)
		return sg_xstrdup("");
	return out.data;
}

int
sg_theme_part(const struct sg_theme *t, const char *name, struct sg_vars *v,
    struct sg_buf *out, struct sg_diag *d)
{
	const struct part *pt = find_part(t, name);
	struct run r = {out, NULL, budget(v)};
	size_t start = out->len;

	if (pt == NULL) {
		char *path = sg_xasprintf("%s/parts/%s.html", t->dir, name);
		sg_diag_add(d, SG_ERROR, path, 0, 0, "theme has no part %s; "
		    "expected this file", name);
		free(path);
		return -1;
	}
	exec(&r, &pt->p, 0, pt->p.n, v);
	if (r.copies_left < 0) {
		sg_diag_add(d, SG_ERROR, pt->path, 0, 0, "template part %s "
		    "repeats elements more than %ld times (a data-sg-each inside "
		    "one of the same name?); expected at most that many", name,
		    budget(v));
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}

static struct sg_theme *builtin;

static void
load_builtin(void)
{
	struct sg_diag d = {0};

	builtin = sg_theme_load(SG_THEME_BUILTIN, &d);
	sg_diag_clear(&d);
}

const struct sg_theme *
sg_theme_builtin(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, load_builtin);
	return builtin;
}
