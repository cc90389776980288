/*
 * theme: libxml2 DOM templates.  Each page copies its parsed template, the
 * data-sg-* slots are filled with DOM calls, and the page template is put
 * into the layout's data-sg-slot="main".  See theme.h for the attributes.
 */
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "source.h"
#include "theme.h"
#include "util.h"

enum vkind { V_TEXT, V_HTML, V_LIST };

struct var {
	char		 *name;
	enum vkind	  kind;
	char		 *s;
	struct sg_vars	**items;
	size_t		  nitems;
};

struct sg_vars {
	struct var	*v;
	size_t		 n;
	struct sg_vars	*parent;	/* lookups fall back to it */
};

struct tmpl {
	char		*name;
	htmlDocPtr	 doc;
};

struct sg_theme {
	char		*dir;
	struct tmpl	*v;
	size_t		 n;
	htmlDocPtr	 layout;
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
	struct var *x;

	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0) {
			x = &v->v[i];
			if (x->kind != V_LIST) {
				free(x->s);
				x->s = NULL;
			}
			x->kind = kind;
			return x;
		}
	v->v = sg_xrealloc(v->v, (v->n + 1) * sizeof(*v->v));
	x = &v->v[v->n++];
	memset(x, 0, sizeof(*x));
	x->name = sg_xstrdup(name);
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
	struct var *x = NULL;
	struct sg_vars *it;

	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].name, name) == 0 && v->v[i].kind == V_LIST)
			x = &v->v[i];
	if (x == NULL)
		x = slot(v, name, V_LIST);
	it = sg_vars_new();
	it->parent = v;
	x->items = sg_xrealloc(x->items, (x->nitems + 1) * sizeof(*x->items));
	x->items[x->nitems++] = it;
	return it;
}

static struct var *
lookup(struct sg_vars *v, const char *name)
{
	for (; v; v = v->parent)
		for (size_t i = 0; i < v->n; i++)
			if (strcmp(v->v[i].name, name) == 0)
				return &v->v[i];
	return NULL;
}

static int
is_set(struct sg_vars *v, const char *name)
{
	struct var *x = lookup(v, name);

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

static int
add_named(struct sg_theme *t, const char *name, const char *data, size_t len,
    const char *path, struct sg_diag *d)
{
	htmlDocPtr doc;
	int bad = sg_utf8_check(data, len);

	if (bad != 0 || (doc = parse_html(data, len, path)) == NULL) {
		sg_diag_add(d, SG_ERROR, path, bad, 0, "template is not UTF-8 "
		    "HTML; expected an HTML5 document");
		return -1;
	}
	if (strcmp(name, "layout") == 0) {
		if (t->layout)
			xmlFreeDoc(t->layout);
		t->layout = doc;
		return 0;
	}
	t->v = sg_xrealloc(t->v, (t->n + 1) * sizeof(*t->v));
	t->v[t->n].name = sg_xstrdup(name);
	t->v[t->n].doc = doc;
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

struct sg_theme *
sg_theme_load(const char *dir, struct sg_diag *d)
{
	struct sg_theme *t = sg_xcalloc(1, sizeof(*t));
	struct sg_source *src = sg_source_fs_new(dir);
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
		if (sg_file_read(path, &data, &len) == -1) {
			sg_diag_add(d, SG_FATAL, path, 0, 0, "cannot read template");
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
		xmlFreeDoc(t->v[i].doc);
	}
	if (t->layout)
		xmlFreeDoc(t->layout);
	free(t->v);
	free(t->dir);
	free(t);
}

const char *
sg_theme_dir(const struct sg_theme *t)
{
	return t->dir;
}

static char *
take_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = sg_xstrdup((char *)v);
	xmlFree(v);
	xmlUnsetProp(n, (const xmlChar *)name);
	return s;
}

static void
remove_children(xmlNodePtr n)
{
	xmlNodePtr c = n->children, next;

	for (; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

/* Replaces n's children by the parsed HTML fragment. */
static void
set_html(xmlNodePtr n, const char *html)
{
	struct sg_buf b = {0};
	htmlDocPtr frag;
	xmlNodePtr body, w;

	remove_children(n);
	sg_buf_puts(&b, "<!DOCTYPE html><html><body><div id=\"sg-w\">");
	sg_buf_puts(&b, html);
	sg_buf_puts(&b, "</div></body></html>");
	frag = parse_html(b.data, b.len, "fragment");
	sg_buf_clear(&b);
	if (frag == NULL)
		return;
	body = xmlDocGetRootElement(frag);
	for (body = body ? body->children : NULL; body; body = body->next)
		if (body->type == XML_ELEMENT_NODE &&
		    xmlStrcmp(body->name, (const xmlChar *)"body") == 0)
			break;
	w = body ? body->children : NULL;
	while (w && w->type != XML_ELEMENT_NODE)
		w = w->next;
	if (w && w->children)
		xmlAddChildList(n, xmlDocCopyNodeList(n->doc, w->children));
	xmlFreeDoc(frag);
}

static void fill_children(xmlNodePtr parent, struct sg_vars *v);

/*
 * Copies data-sg-each may still make in this render.  A list inside a
 * list of the same name repeats per item (lookups fall back to the outer
 * set), so a template can ask for exponentially many copies; real pages
 * make a few hundred.  Per thread: pages render on several.
 */
#define SG_THEME_MAX_COPIES	50000
static __thread long copies_left;

static void
fill_element(xmlNodePtr n, struct sg_vars *v)
{
	char *name;
	struct var *x;

	if ((name = take_attr(n, "data-sg-if")) != NULL) {
		int keep = is_set(v, name);
		free(name);
		if (!keep) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			return;
		}
	}
	if ((name = take_attr(n, "data-sg-unless")) != NULL) {
		int drop = is_set(v, name);
		free(name);
		if (drop) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			return;
		}
	}
	/* data-sg-attr-X: collect first, since setting changes the list. */
	for (;;) {
		xmlAttrPtr a;
		char *attr = NULL;
		for (a = n->properties; a; a = a->next)
			if (xmlStrncmp(a->name, (const xmlChar *)"data-sg-attr-",
			    13) == 0)
				break;
		if (a == NULL)
			break;
		attr = sg_xstrdup((const char *)a->name);
		name = take_attr(n, attr);
		x = lookup(v, name);
		if (x && x->kind != V_LIST && x->s)
			xmlSetProp(n, (const xmlChar *)attr + 13,
			    (const xmlChar *)x->s);
		free(name);
		free(attr);
	}
	if ((name = take_attr(n, "data-sg-text")) != NULL) {
		x = lookup(v, name);
		remove_children(n);
		if (x && x->kind != V_LIST && x->s)
			xmlNodeAddContent(n, (const xmlChar *)x->s);
		free(name);
		return;
	}
	if ((name = take_attr(n, "data-sg-html")) != NULL) {
		x = lookup(v, name);
		remove_children(n);
		if (x && x->kind != V_LIST && x->s)
			set_html(n, x->s);
		free(name);
		return;
	}
	fill_children(n, v);
}

static void
fill_children(xmlNodePtr parent, struct sg_vars *v)
{
	xmlNodePtr n, next;

	for (n = parent->children; n; n = next) {
		char *name;

		next = n->next;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if ((name = take_attr(n, "data-sg-each")) != NULL) {
			struct var *x = lookup(v, name);
			if (x && x->kind == V_LIST) {
				for (size_t i = 0; i < x->nitems &&
				    copies_left-- > 0; i++) {
					xmlNodePtr c = xmlDocCopyNode(n, n->doc, 1);
					xmlAddPrevSibling(n, c);
					fill_element(c, x->items[i]);
				}
			}
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			free(name);
			continue;
		}
		fill_element(n, v);
	}
}

static xmlNodePtr
find_slot(xmlNodePtr n)
{
	for (; n; n = n->next) {
		xmlNodePtr f;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (xmlHasProp(n, (const xmlChar *)"data-sg-slot"))
			return n;
		if ((f = find_slot(n->children)) != NULL)
			return f;
	}
	return NULL;
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

char *
sg_theme_render(struct sg_theme *t, const char *kind, struct sg_vars *vars,
    size_t *len, struct sg_diag *d)
{
	htmlDocPtr page = NULL, out;
	xmlNodePtr slotn, body;
	xmlOutputBufferPtr ob;
	char *res = NULL;

	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, kind) == 0)
			page = t->v[i].doc;
	if (page == NULL) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "theme has no %s.html; "
		    "expected a template for this page kind", kind);
		return NULL;
	}
	out = xmlCopyDoc(t->layout, 1);
	page = xmlCopyDoc(page, 1);
	body = find_body(page);
	copies_left = SG_THEME_MAX_COPIES;
	if (body)
		fill_children(body, vars);
	fill_children((xmlNodePtr)out, vars);
	if (copies_left < 0) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "template %s.html repeats "
		    "elements more than %d times for one page (a data-sg-each "
		    "inside one of the same name?); expected at most that many",
		    kind, SG_THEME_MAX_COPIES);
		xmlFreeDoc(page);
		xmlFreeDoc(out);
		return NULL;
	}
	slotn = find_slot(xmlDocGetRootElement(out));
	if (slotn == NULL) {
		sg_diag_add(d, SG_ERROR, t->dir, 0, 0, "layout.html has no "
		    "data-sg-slot=\"main\" element; expected one where pages go");
		xmlFreeDoc(page);
		xmlFreeDoc(out);
		return NULL;
	}
	xmlUnsetProp(slotn, (const xmlChar *)"data-sg-slot");
	remove_children(slotn);
	if (body && body->children)
		xmlAddChildList(slotn, xmlDocCopyNodeList(out, body->children));
	xmlFreeDoc(page);

	ob = xmlAllocOutputBuffer(NULL);
	htmlDocContentDumpFormatOutput(ob, out, "UTF-8", 0);
	xmlOutputBufferFlush(ob);
	*len = xmlOutputBufferGetSize(ob);
	res = sg_xstrndup((const char *)xmlOutputBufferGetContent(ob), *len);
	xmlOutputBufferClose(ob);
	xmlFreeDoc(out);
	return res;
}
