/*
 * docx_xml: the package's parts (libzip), parsed as XML (libxml2) without
 * network or entities, and the readers of WordprocessingML elements and
 * attributes, in Transitional and Strict namespaces alike, that docx.c,
 * docx_num.c and docx_body.c use.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "docx_int.h"
#include "util.h"

#define MAX_PART	(64u << 20)	/* bytes of one part, unpacked */

int
sg_docx_part(struct sg_docx *x, const char *part, char **data, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	zip_int64_t got;
	char *buf;

	if (x->zip == NULL || zip_stat(x->zip, part, 0, &st) == -1 ||
	    !(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART)
		return -1;
	if ((f = zip_fopen(x->zip, part, 0)) == NULL)
		return -1;
	buf = sg_xmalloc((size_t)st.size + 1);
	got = zip_fread(f, buf, st.size);
	zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(buf);
		return -1;
	}
	buf[got] = '\0';
	*data = buf;
	*len = (size_t)got;
	return 0;
}

/* A part parsed as XML, or NULL when it is missing or not XML. */
xmlDocPtr
sg_docx_xml(struct sg_docx *x, const char *part)
{
	char *data;
	size_t len;
	xmlDocPtr doc;

	if (sg_docx_part(x, part, &data, &len) == -1)
		return NULL;
	/* No network, no entity expansion: a package is untrusted input. */
	doc = xmlReadMemory(data, (int)len, part, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	free(data);
	return doc;
}

/* Transitional and Strict OOXML name the same elements differently. */
static const char *const w_ns[] = {
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	"http://purl.oclc.org/ooxml/wordprocessingml/main",
};
static const char *const r_ns[] = {
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
	"http://purl.oclc.org/ooxml/officeDocument/relationships",
};

int
sg_docx_isw(xmlNodePtr n, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE || n->ns == NULL ||
	    strcmp((const char *)n->name, name) != 0)
		return 0;
	for (size_t i = 0; i < 2; i++)
		if (strcmp((const char *)n->ns->href, w_ns[i]) == 0)
			return 1;
	return 0;
}

int
sg_docx_is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr
sg_docx_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (sg_docx_isw(c, name))
			return c;
	return NULL;
}

/* An attribute in one of the namespaces of ns, else without one. */
static char *
prop_ns(xmlNodePtr n, const char *name, const char *const ns[2])
{
	xmlChar *v;

	for (size_t i = 0; i < 2; i++)
		if ((v = xmlGetNsProp(n, (const xmlChar *)name,
		    (const xmlChar *)ns[i])) != NULL)
			return (char *)v;
	return (char *)xmlGetNoNsProp(n, (const xmlChar *)name);
}

char *
sg_docx_wprop(xmlNodePtr n, const char *name)
{
	return n ? prop_ns(n, name, w_ns) : NULL;
}

char *
sg_docx_rprop(xmlNodePtr n, const char *name)
{
	return n ? prop_ns(n, name, r_ns) : NULL;
}

/* w:val of child name of n as an int, or def. */
int
sg_docx_ival(xmlNodePtr n, const char *name, int def)
{
	xmlNodePtr c = sg_docx_child(n, name);
	char *v = c ? sg_docx_wprop(c, "val") : NULL;
	int r = v ? atoi(v) : def;

	xmlFree(v);
	return r;
}

/* An on/off property (w:b, w:i): present and not "0"/"false"/"off". */
int
sg_docx_onoff(xmlNodePtr pr, const char *name)
{
	xmlNodePtr c = sg_docx_child(pr, name);
	char *v;
	int on;

	if (c == NULL)
		return 0;
	v = sg_docx_wprop(c, "val");
	on = v == NULL || !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 ||
	    strcmp(v, "off") == 0);
	xmlFree(v);
	return on;
}

int
sg_docx_tristate(xmlNodePtr pr, const char *name)
{
	return sg_docx_child(pr, name) ? sg_docx_onoff(pr, name) : -1;
}
