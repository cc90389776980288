/*
 * docx_num: numbering.xml's lists (abstract definitions, instances and
 * their overrides) and the label each numbered paragraph shows, counted
 * as Word counts it, in the formats Chinese reports use (chineseCounting,
 * ideographTraditional, circled and full-width digits, letters, Roman).
 */
#include <libxml/tree.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docx.h"
#include "docx_int.h"
#include "util.h"

void
sg_docx_numbering(struct sg_docx *x, struct sg_docx_rd *rd)
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
