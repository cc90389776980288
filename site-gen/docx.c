/*
 * docx: the OOXML package as blocks.  libzip opens the package, libxml2
 * parses each part (docx_xml.c); this file resolves what Word leaves
 * implicit: a paragraph's heading level through its style's basedOn chain
 * and w:outlineLvl, and images through the relationships.  Its numbering
 * label from numbering.xml (chineseCounting and the other formats Chinese
 * reports use) is docx_num.c's; the walk of the body (paragraphs, runs,
 * fields, tracked changes as accepted, tables, drawings) docx_body.c's,
 * the inline Markdown docx_md.c's.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "docx.h"
#include "docx_int.h"
#include "util.h"

/* ---- relationships ---- */

static void
read_rels(struct sg_docx *x, struct sg_docx_rd *rd, const char *part)
{
	xmlDocPtr doc = sg_docx_xml(x, part);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (!sg_docx_is(c, "Relationship"))
			continue;
		xmlChar *id = xmlGetProp(c, (const xmlChar *)"Id");
		xmlChar *tg = xmlGetProp(c, (const xmlChar *)"Target");
		xmlChar *mode = xmlGetProp(c, (const xmlChar *)"TargetMode");
		if (id && tg) {
			char *v;
			if (mode && strcmp((char *)mode, "External") == 0)
				v = sg_xasprintf("!%s", (char *)tg);
			else if (tg[0] == '/')
				v = sg_xstrdup((char *)tg + 1);
			else
				v = sg_path_join("word", (char *)tg);
			char *norm = v[0] == '!' ? NULL : sg_path_norm(v);
			if (norm) {
				free(v);
				v = norm;
			}
			free(sg_map_get(&rd->rels, (char *)id));
			sg_map_put(&rd->rels, (char *)id, v);
		}
		xmlFree(id);
		xmlFree(tg);
		xmlFree(mode);
	}
	if (doc)
		xmlFreeDoc(doc);
}

/* ---- styles ---- */

static void
read_styles(struct sg_docx *x, struct sg_docx_rd *rd)
{
	xmlDocPtr doc = sg_docx_xml(x, "word/styles.xml");
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (!sg_docx_isw(c, "style"))
			continue;
		char *type = sg_docx_wprop(c, "type");
		char *id = sg_docx_wprop(c, "styleId");
		if (id && (type == NULL || strcmp(type, "paragraph") == 0)) {
			struct sg_docx_style *s = sg_xcalloc(1, sizeof(*s));
			xmlNodePtr n = sg_docx_child(c, "name");
			xmlNodePtr b = sg_docx_child(c, "basedOn");
			xmlNodePtr ppr = sg_docx_child(c, "pPr");
			xmlNodePtr np = sg_docx_child(ppr, "numPr");
			char *v;
			s->name = n ? sg_docx_wprop(n, "val") : NULL;
			s->based = b ? sg_docx_wprop(b, "val") : NULL;
			s->outline = sg_docx_ival(ppr, "outlineLvl", -1);
			s->num_id = np ? sg_docx_ival(np, "numId", -1) : -1;
			s->ilvl = np ? sg_docx_ival(np, "ilvl", 0) : 0;
			if ((v = s->name ? s->name : NULL) == NULL)
				v = id;
			s->kind = sg_docx_style_kind(v, &s->name_level);
			if (s->kind == 0 && s->name)
				s->kind = sg_docx_style_kind(id, &s->name_level);
			struct sg_docx_style *old = sg_map_get(&rd->styles, id);
			if (old)
				sg_docx_style_free(old);
			sg_map_put(&rd->styles, id, s);
		}
		else if (id && strcmp(type, "character") == 0) {
			struct sg_docx_style *s = sg_xcalloc(1, sizeof(*s));
			xmlNodePtr b = sg_docx_child(c, "basedOn");
			xmlNodePtr rpr = sg_docx_child(c, "rPr");
			s->based = b ? sg_docx_wprop(b, "val") : NULL;
			s->bold = sg_docx_tristate(rpr, "b");
			s->italic = sg_docx_tristate(rpr, "i");
			struct sg_docx_style *old = sg_map_get(&rd->cstyles, id);
			if (old)
				sg_docx_style_free(old);
			sg_map_put(&rd->cstyles, id, s);
		}
		xmlFree(type);
		xmlFree(id);
	}
	if (doc)
		xmlFreeDoc(doc);
}

void
sg_docx_style_free(struct sg_docx_style *s)
{
	if (s == NULL)
		return;
	xmlFree(s->name);
	xmlFree(s->based);
	free(s);
}

/* What a style's name says: a heading level, Title, Caption, TOC. */
int
sg_docx_style_kind(const char *name, int *level)
{
	char low[64];
	size_t i;

	*level = 0;
	if (name == NULL)
		return 0;
	for (i = 0; name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	const char *p = NULL;
	if (strncmp(low, "heading", 7) == 0)
		p = low + 7;
	else if (strncmp(low, "标题", strlen("标题")) == 0)
		p = low + strlen("标题");
	if (p) {
		while (*p == ' ')
			p++;
		if (*p >= '1' && *p <= '9' && p[1] == '\0') {
			*level = *p - '0';
			return SG_STYLE_HEADING;
		}
		if (*p == '\0' && strcmp(low, "标题") == 0)
			return SG_STYLE_TITLE;
	}
	if (strcmp(low, "title") == 0)
		return SG_STYLE_TITLE;
	if (strcmp(low, "caption") == 0 || strcmp(low, "题注") == 0)
		return SG_STYLE_CAPTION;
	if (strncmp(low, "toc", 3) == 0 || strncmp(low, "目录", strlen("目录")) == 0 ||
	    strcmp(low, "table of figures") == 0 || strcmp(low, "图表目录") == 0 ||
	    strncmp(low, "contents", 8) == 0)
		return SG_STYLE_TOC;
	if (strcmp(low, "quote") == 0 || strcmp(low, "intense quote") == 0 ||
	    strcmp(low, "quotations") == 0 || strcmp(low, "引用") == 0 ||
	    strcmp(low, "明显引用") == 0 || strcmp(low, "block text") == 0)
		return SG_STYLE_QUOTE;
	return 0;
}

/* ---- the document ---- */

static void
rd_clear(struct sg_docx_rd *rd)
{
	for (size_t i = 0; i < rd->rels.cap; i++)
		if (rd->rels.keys && rd->rels.keys[i])
			free(rd->rels.vals[i]);
	sg_map_clear(&rd->rels);
	for (size_t i = 0; i < rd->styles.cap; i++)
		if (rd->styles.keys && rd->styles.keys[i])
			sg_docx_style_free(rd->styles.vals[i]);
	sg_map_clear(&rd->styles);
	for (size_t i = 0; i < rd->cstyles.cap; i++)
		if (rd->cstyles.keys && rd->cstyles.keys[i])
			sg_docx_style_free(rd->cstyles.vals[i]);
	sg_map_clear(&rd->cstyles);
	for (size_t i = 0; i < rd->nums.cap; i++)
		if (rd->nums.keys && rd->nums.keys[i])
			sg_docx_num_free(rd->nums.vals[i]);
	sg_map_clear(&rd->nums);
}

/* The main part's name from the package's _rels/.rels. */
static char *
main_part(struct sg_docx *x)
{
	xmlDocPtr doc = sg_docx_xml(x, "_rels/.rels");
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	char *part = NULL;

	for (xmlNodePtr c = root ? root->children : NULL; c && !part;
	    c = c->next) {
		xmlChar *type = xmlGetProp(c, (const xmlChar *)"Type");
		xmlChar *tg = xmlGetProp(c, (const xmlChar *)"Target");
		if (type && tg && sg_has_suffix((char *)type, "/officeDocument"))
			part = sg_path_norm((char *)tg + (tg[0] == '/'));
		xmlFree(type);
		xmlFree(tg);
	}
	if (doc)
		xmlFreeDoc(doc);
	return part ? part : sg_xstrdup("word/document.xml");
}

struct sg_docx *
sg_docx_open(const char *path, const char *shown, struct sg_diag *d)
{
	struct sg_docx *x = sg_xcalloc(1, sizeof(*x));
	struct sg_docx_rd rd = {0};
	int err = 0;
	char *mp = NULL, *rels = NULL;
	xmlDocPtr doc = NULL;

	x->file = sg_xstrdup(shown);
	if ((x->zip = zip_open(path, ZIP_RDONLY, &err)) == NULL) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		sg_diag_add(d, SG_ERROR, shown, 0, 0, "not a .docx file (%s); "
		    "expected a Word document saved as .docx",
		    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		goto fail;
	}
	mp = main_part(x);
	if ((doc = sg_docx_xml(x, mp)) == NULL ||
	    !sg_docx_isw(xmlDocGetRootElement(doc), "document")) {
		sg_diag_add(d, SG_ERROR, shown, 0, 0, "no readable %s in the "
		    "package; expected a Word document saved as .docx", mp);
		goto fail;
	}
	rd.x = x;
	rd.d = d;
	rd.file = x->file;
	char *dir = sg_path_dir(mp);
	const char *base = strrchr(mp, '/') ? strrchr(mp, '/') + 1 : mp;
	rels = sg_xasprintf("%s_rels/%s.rels", dir, base);
	free(dir);
	read_rels(x, &rd, rels);
	read_styles(x, &rd);
	sg_docx_numbering(x, &rd);
	sg_docx_notes(x, &rd, "word/footnotes.xml", "footnote", "fn");
	sg_docx_notes(x, &rd, "word/endnotes.xml", "endnote", "en");
	sg_docx_body(x, &rd, sg_docx_child(xmlDocGetRootElement(doc), "body"));
	xmlFreeDoc(doc);
	rd_clear(&rd);
	free(mp);
	free(rels);
	return x;
fail:
	if (doc)
		xmlFreeDoc(doc);
	rd_clear(&rd);
	free(mp);
	free(rels);
	sg_docx_free(x);
	return NULL;
}

void
sg_docx_free(struct sg_docx *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->n; i++)
		sg_docx_block_clear(&x->v[i]);
	free(x->v);
	for (size_t i = 0; i < x->nnotes; i++) {
		free(x->notes[i].label);
		free(x->notes[i].md);
	}
	free(x->notes);
	if (x->zip)
		zip_discard(x->zip);
	free(x->file);
	free(x);
}

const struct sg_docx_note *
sg_docx_note(const struct sg_docx *x, const char *label)
{
	for (size_t i = 0; i < x->nnotes; i++)
		if (strcmp(x->notes[i].label, label) == 0)
			return &x->notes[i];
	return NULL;
}
