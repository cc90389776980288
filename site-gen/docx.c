/*
 * docx: the OOXML package as blocks.  libzip opens the package, libxml2
 * parses each part; this file resolves what Word leaves implicit: a
 * paragraph's heading level through its style's basedOn chain and
 * w:outlineLvl, its numbering label from numbering.xml (chineseCounting
 * and the other formats Chinese reports use), fields to their shown text,
 * tracked changes as accepted, and images through the relationships.
 * The walk of the body (paragraphs, runs, tables, drawings) is docx_body.c,
 * the inline Markdown docx_md.c.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
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

/* ---- numbering ---- */

static void
read_numbering(struct sg_docx *x, struct sg_docx_rd *rd)
{
	xmlDocPtr doc = sg_docx_xml(x, "word/numbering.xml");
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
	struct sg_map abs = {0};

	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (!sg_docx_isw(c, "abstractNum"))
			continue;
		char *id = sg_docx_wprop(c, "abstractNumId");
		if (id == NULL)
			continue;
		struct sg_docx_num *a = sg_xcalloc(1, sizeof(*a));
		for (xmlNodePtr l = c->children; l; l = l->next) {
			if (!sg_docx_isw(l, "lvl"))
				continue;
			char *il = sg_docx_wprop(l, "ilvl");
			int k = il ? atoi(il) : -1;
			xmlFree(il);
			if (k < 0 || k >= SG_DOCX_LEVELS)
				continue;
			xmlNodePtr f = sg_docx_child(l, "numFmt");
			xmlNodePtr t = sg_docx_child(l, "lvlText");
			a->lvl[k].start = sg_docx_ival(l, "start", 1);
			a->lvl[k].fmt = f ? sg_docx_wprop(f, "val") : NULL;
			a->lvl[k].text = t ? sg_docx_wprop(t, "val") : NULL;
			a->lvl[k].legal = sg_docx_onoff(l, "isLgl");
		}
		if (sg_map_get(&abs, id) == NULL)
			sg_map_put(&abs, id, a);
		else
			sg_docx_num_free(a);
		xmlFree(id);
	}
	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (!sg_docx_isw(c, "num"))
			continue;
		char *id = sg_docx_wprop(c, "numId");
		xmlNodePtr an = sg_docx_child(c, "abstractNumId");
		char *aid = an ? sg_docx_wprop(an, "val") : NULL;
		struct sg_docx_num *a = aid ? sg_map_get(&abs, aid) : NULL;
		if (id && a && sg_map_get(&rd->nums, id) == NULL) {
			struct sg_docx_num *n = sg_xcalloc(1, sizeof(*n));
			for (int k = 0; k < SG_DOCX_LEVELS; k++) {
				n->lvl[k] = a->lvl[k];
				n->lvl[k].fmt = a->lvl[k].fmt ?
				    (char *)xmlStrdup((xmlChar *)a->lvl[k].fmt) : NULL;
				n->lvl[k].text = a->lvl[k].text ?
				    (char *)xmlStrdup((xmlChar *)a->lvl[k].text) : NULL;
			}
			for (xmlNodePtr o = c->children; o; o = o->next) {
				if (!sg_docx_isw(o, "lvlOverride"))
					continue;
				char *il = sg_docx_wprop(o, "ilvl");
				int k = il ? atoi(il) : -1;
				xmlFree(il);
				if (k >= 0 && k < SG_DOCX_LEVELS)
					n->lvl[k].start = sg_docx_ival(o,
					    "startOverride", n->lvl[k].start);
			}
			sg_map_put(&rd->nums, id, n);
		}
		xmlFree(id);
		xmlFree(aid);
	}
	for (size_t i = 0; i < abs.cap; i++)
		if (abs.keys && abs.keys[i])
			sg_docx_num_free(abs.vals[i]);
	sg_map_clear(&abs);
	if (doc)
		xmlFreeDoc(doc);
}

void
sg_docx_num_free(struct sg_docx_num *n)
{
	if (n == NULL)
		return;
	for (int k = 0; k < SG_DOCX_LEVELS; k++) {
		xmlFree(n->lvl[k].fmt);
		xmlFree(n->lvl[k].text);
	}
	free(n);
}

/* One number in a numbering format. */
static void
fmt_number(struct sg_buf *b, const char *fmt, int n)
{
	char tmp[32];

	if (fmt == NULL || strcmp(fmt, "decimal") == 0 ||
	    strcmp(fmt, "decimalZero") == 0 || strcmp(fmt, "ordinal") == 0) {
		if (fmt && strcmp(fmt, "decimalZero") == 0 && n < 10)
			sg_buf_putc(b, '0');
		sg_buf_printf(b, "%d", n);
	} else if (strncmp(fmt, "chinese", 7) == 0 ||
	    strcmp(fmt, "ideographDigital") == 0 ||
	    strncmp(fmt, "taiwanese", 9) == 0 ||
	    strcmp(fmt, "japaneseCounting") == 0) {
		sg_buf_puts(b, sg_cn_numeral(n, tmp));
	} else if (strcmp(fmt, "ideographTraditional") == 0 && n >= 1 &&
	    n <= 10) {
		static const char *const tg[] = {"甲", "乙", "丙", "丁", "戊",
		    "己", "庚", "辛", "壬", "癸"};
		sg_buf_puts(b, tg[n - 1]);
	} else if (strncmp(fmt, "decimalEnclosedCircle", 21) == 0 && n >= 1 &&
	    n <= 20) {
		int cp = 0x2460 + n - 1;	/* ① … ⑳ */
		sg_buf_putc(b, (char)(0xE0 | (cp >> 12)));
		sg_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sg_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
	} else if (strncmp(fmt, "decimalFullWidth", 16) == 0) {
		snprintf(tmp, sizeof(tmp), "%d", n);
		for (char *p = tmp; *p; p++) {
			int cp = 0xFF10 + (*p - '0');
			sg_buf_putc(b, (char)(0xE0 | (cp >> 12)));
			sg_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
			sg_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
		}
	} else if ((strcmp(fmt, "lowerLetter") == 0 ||
	    strcmp(fmt, "upperLetter") == 0) && n >= 1) {
		char base = fmt[0] == 'l' ? 'a' : 'A';
		for (int k = 0; k <= (n - 1) / 26; k++)
			sg_buf_putc(b, (char)(base + (n - 1) % 26));
	} else if ((strcmp(fmt, "lowerRoman") == 0 ||
	    strcmp(fmt, "upperRoman") == 0) && n >= 1 && n < 4000) {
		static const int val[] = {1000, 900, 500, 400, 100, 90, 50, 40,
		    10, 9, 5, 4, 1};
		static const char *const rom[] = {"m", "cm", "d", "cd", "c",
		    "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
		for (int k = 0; k < 13; k++)
			while (n >= val[k]) {
				for (const char *r = rom[k]; *r; r++)
					sg_buf_putc(b, fmt[0] == 'u' ?
					    (char)toupper((unsigned char)*r) : *r);
				n -= val[k];
			}
	} else
		sg_buf_printf(b, "%d", n);
}

/*
 * Advances the counters of list num_id at level ilvl and returns the
 * label it shows (caller frees), or NULL for none.  *kind: 1 bullet,
 * 2 a plain "N." / "N)" decimal, 0 anything else; *no the number.
 */
char *
sg_docx_number(struct sg_docx_rd *rd, int num_id, int ilvl, int *kind,
    int *no)
{
	char key[16];
	struct sg_docx_num *n;
	struct sg_docx_lvl *l;
	struct sg_buf b = {0};

	*kind = 0;
	*no = 0;
	snprintf(key, sizeof(key), "%d", num_id);
	if (num_id <= 0 || ilvl < 0 || ilvl >= SG_DOCX_LEVELS ||
	    (n = sg_map_get(&rd->nums, key)) == NULL)
		return NULL;
	l = &n->lvl[ilvl];
	if (l->fmt && strcmp(l->fmt, "bullet") == 0) {
		*kind = 1;
		return NULL;
	}
	if (l->fmt && strcmp(l->fmt, "none") == 0 && (l->text == NULL ||
	    strchr(l->text, '%') == NULL))
		return l->text && *l->text ? sg_xstrdup(l->text) : NULL;
	for (int k = 0; k < ilvl; k++)
		if (!n->seen[k]) {
			n->count[k] = n->lvl[k].start;
			n->seen[k] = 1;
		}
	n->count[ilvl] = n->seen[ilvl] ? n->count[ilvl] + 1 : l->start;
	n->seen[ilvl] = 1;
	for (int k = ilvl + 1; k < SG_DOCX_LEVELS; k++)
		n->seen[k] = 0;
	*no = n->count[ilvl];
	for (const char *p = l->text ? l->text : "%1."; *p; p++) {
		if (*p == '%' && p[1] >= '1' && p[1] <= '9') {
			int k = p[1] - '1';
			if (k < SG_DOCX_LEVELS)
				fmt_number(&b, l->legal || k == ilvl ?
				    (k == ilvl ? l->fmt : "decimal") :
				    n->lvl[k].fmt, n->count[k]);
			p++;
		} else
			sg_buf_putc(&b, *p);
	}
	if (b.len == 0)
		return NULL;
	if (l->fmt == NULL || strcmp(l->fmt, "decimal") == 0) {
		char tail = b.data[b.len - 1];
		size_t digits = strspn(b.data, "0123456789");
		if ((tail == '.' || tail == ')') && digits == b.len - 1)
			*kind = 2;
	}
	return sg_buf_take(&b);
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
	read_numbering(x, &rd);
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

static void
table_free(struct sg_docx_table *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

void
sg_docx_block_clear(struct sg_docx_block *b)
{
	free(b->label);
	free(b->md);
	free(b->text);
	free(b->link);
	for (size_t k = 0; k < b->nimages; k++) {
		free(b->images[k].part);
		free(b->images[k].ext);
	}
	free(b->images);
	table_free(b->table);
	memset(b, 0, sizeof(*b));
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
