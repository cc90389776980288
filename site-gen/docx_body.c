/*
 * docx_body: the walk of word/document.xml's body into blocks.  Each
 * paragraph's runs become segments (text with bold, italic and link),
 * then inline Markdown; fields show their result (HYPERLINK becomes a
 * link, SEQ marks a caption, TOC marks the printed contents); w:ins is
 * taken and w:del dropped (changes accepted); drawings give images, and
 * what cannot be imported (equations, charts, SmartArt, embedded objects,
 * comments) is a warning at ¶N.  Text boxes and one-cell tables are read
 * as boxes; tables holding images as their cells' content.
 */
#include <libxml/tree.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "docx.h"
#include "docx_int.h"
#include "sg.h"
#include "util.h"

#define MAX_FIELDS	16
#define MAX_NEST	32	/* tables in tables, boxes in boxes */

struct seg {
	char	*text;		/* NULL for a break or a note */
	int	 b, i;
	char	*href;		/* borrowed from the paragraph's list */
	char	*note;		/* "fn3": a note reference */
	int	 brk;		/* a line break */
};

/* Field state survives paragraphs (a TOC field spans many). */
struct field {
	struct sg_buf	instr;
	int		result;	/* past w:fldChar separate */
	char		*href;	/* HYPERLINK target, or NULL */
};

struct para {
	struct sg_docx_rd	*rd;
	struct sg_docx_block	*blk;
	struct seg		*v;
	size_t			 n, cap;
	struct sg_strv		 hrefs;	/* owned link targets */
	const char		*href;	/* link of the runs being read */
	int			 b, i;
	xmlNodePtr		 boxes[8];	/* text boxes met, read after */
	size_t			 nboxes;
	int			 comments;
};

static struct field fields[MAX_FIELDS];
static int nfields;
static int depth;

/* Forgets every open field (a part's end, or a new note). */
static void
fields_reset(void)
{
	for (int k = 0; k < nfields; k++) {
		sg_buf_clear(&fields[k].instr);
		free(fields[k].href);
		fields[k].href = NULL;
	}
	nfields = 0;
}

static void walk_blocks(struct sg_docx *x, struct sg_docx_rd *rd,
    xmlNodePtr parent);

static void
loss(struct sg_docx_rd *rd, int para, const char *what)
{
	sg_diag_add(rd->d, SG_WARNING, rd->file, para, SG_DIAG_PARA, "%s",
	    what);
}

static void
seg_add(struct para *p, const char *text, size_t len)
{
	struct seg *s;

	if (len == 0)
		return;
	for (int k = 0; k < nfields; k++)
		if (!fields[k].result)
			return;		/* a field's instruction, not shown */
	if (p->n && p->v[p->n - 1].text && p->v[p->n - 1].b == p->b &&
	    p->v[p->n - 1].i == p->i && p->v[p->n - 1].href == p->href) {
		s = &p->v[p->n - 1];
		size_t old = strlen(s->text);
		s->text = sg_xrealloc(s->text, old + len + 1);
		memcpy(s->text + old, text, len);
		s->text[old + len] = '\0';
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = sg_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	s = &p->v[p->n++];
	memset(s, 0, sizeof(*s));
	s->text = sg_xstrndup(text, len);
	s->b = p->b;
	s->i = p->i;
	s->href = (char *)p->href;
}

static void
seg_mark(struct para *p, const char *note, int brk)
{
	struct seg *s;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->v = sg_xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	s = &p->v[p->n++];
	memset(s, 0, sizeof(*s));
	s->note = note ? sg_xstrdup(note) : NULL;
	s->brk = brk;
}

/* The link a field instruction makes, or NULL; SEQ and TOC noted. */
static void
field_start(struct para *p, struct field *f)
{
	const char *s = f->instr.data ? f->instr.data : "";

	while (*s == ' ')
		s++;
	if (strncmp(s, "HYPERLINK", 9) == 0) {
		const char *q = strchr(s, '"');
		const char *e = q ? strchr(q + 1, '"') : NULL;
		if (q && e && strstr(s, "\\l") == NULL)
			f->href = sg_xstrndup(q + 1, (size_t)(e - q - 1));
	} else if (strncmp(s, "SEQ", 3) == 0)
		p->blk->caption = 1;
	else if (strncmp(s, "TOC", 3) == 0)
		p->blk->toc = 1;
	else if (strncmp(s, "EMBED", 5) == 0 || strncmp(s, "EQ ", 3) == 0)
		loss(p->rd, p->blk->para, "a field object (an equation or "
		    "embedded object) is not imported; its shown text is kept");
}

static const char *
field_href(void)
{
	for (int k = nfields - 1; k >= 0; k--)
		if (fields[k].href)
			return fields[k].href;
	return NULL;
}

static void
fld_char(struct para *p, xmlNodePtr n)
{
	char *t = sg_docx_wprop(n, "fldCharType");

	if (t && strcmp(t, "begin") == 0) {
		if (nfields < MAX_FIELDS) {
			memset(&fields[nfields], 0, sizeof(fields[0]));
			nfields++;
		}
	} else if (t && strcmp(t, "separate") == 0 && nfields > 0) {
		fields[nfields - 1].result = 1;
		field_start(p, &fields[nfields - 1]);
	} else if (t && strcmp(t, "end") == 0 && nfields > 0) {
		struct field *f = &fields[--nfields];
		if (!f->result)
			field_start(p, f);
		sg_buf_clear(&f->instr);
		free(f->href);
		f->href = NULL;
	}
	xmlFree(t);
	/* A TOC field's paragraphs are the printed contents. */
	for (int k = 0; k < nfields; k++)
		if (fields[k].instr.data && strstr(fields[k].instr.data, "TOC"))
			p->blk->toc = 1;
}

static void
add_image(struct para *p, const char *rid)
{
	struct sg_docx_block *b = p->blk;
	const char *part = rid ? sg_map_get(&p->rd->rels, rid) : NULL;

	if (part == NULL || part[0] == '!') {
		loss(p->rd, b->para, part ? "an image linked from outside the "
		    "document is not imported; expected it embedded" :
		    "an image whose part the package does not name is not "
		    "imported");
		return;
	}
	b->images = sg_xrealloc(b->images, (b->nimages + 1) *
	    sizeof(*b->images));
	const char *dot = strrchr(part, '.');
	char *ext = sg_xstrdup(dot && !strchr(dot, '/') ? dot + 1 : "bin");
	for (char *e = ext; *e; e++)
		*e = (char)tolower((unsigned char)*e);
	b->images[b->nimages].part = sg_xstrdup(part);
	b->images[b->nimages].ext = ext;
	b->nimages++;
}

/* Images, text boxes and losses of a drawing or VML picture. */
static void
drawing(struct para *p, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sg_docx_is(c, "blip")) {
			char *rid = sg_docx_rprop(c, "embed");
			if (rid == NULL)
				rid = sg_docx_rprop(c, "link");
			add_image(p, rid);
			xmlFree(rid);
			continue;
		}
		if (sg_docx_is(c, "imagedata")) {
			char *rid = sg_docx_rprop(c, "id");
			add_image(p, rid);
			xmlFree(rid);
			continue;
		}
		if (sg_docx_isw(c, "txbxContent")) {
			if (p->nboxes < 8)
				p->boxes[p->nboxes++] = c;
			continue;
		}
		if (sg_docx_is(c, "graphicData")) {
			xmlChar *uri = xmlGetProp(c, (const xmlChar *)"uri");
			const char *u = uri ? (const char *)uri : "";
			int chart = strstr(u, "/chart") != NULL;
			int smart = strstr(u, "/diagram") != NULL;
			xmlFree(uri);
			if (chart)
				loss(p->rd, p->blk->para, "a chart object is not "
				    "imported; expected its data as a table "
				    "and the chart as an image");
			else if (smart)
				loss(p->rd, p->blk->para, "a SmartArt diagram is "
				    "not imported; expected it as an image");
			if (chart || smart)
				continue;
		}
		if (sg_docx_is(c, "Fallback"))
			continue;	/* mc:Choice has the same content */
		drawing(p, c);
	}
}

static void
ole_object(struct para *p, xmlNodePtr n)
{
	char what[200] = "an embedded object";

	for (xmlNodePtr c = n->children; c; c = c->next)
		if (sg_docx_is(c, "OLEObject")) {
			xmlChar *id = xmlGetProp(c, (const xmlChar *)"ProgID");
			const char *s = id ? (const char *)id : "";
			if (strstr(s, "Equation"))
				snprintf(what, sizeof(what), "an equation (%s)", s);
			else if (strstr(s, "Excel") || strstr(s, "Sheet"))
				snprintf(what, sizeof(what),
				    "an embedded spreadsheet (%s)", s);
			else if (*s)
				snprintf(what, sizeof(what),
				    "an embedded object (%s)", s);
			xmlFree(id);
		}
	sg_diag_add(p->rd->d, SG_WARNING, p->rd->file, p->blk->para,
	    SG_DIAG_PARA, "%s is not imported; expected its content as text, "
	    "a table or an image", what);
}

static void
math_text(struct para *p, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sg_docx_is(c, "t")) {
			xmlChar *t = xmlNodeGetContent(c);
			seg_add(p, (char *)t, strlen((char *)t));
			xmlFree(t);
		} else
			math_text(p, c);
	}
}

static void walk_inline(struct para *p, xmlNodePtr n);

static void run_content(struct para *p, xmlNodePtr r);

static void
run(struct para *p, xmlNodePtr r)
{
	xmlNodePtr pr = sg_docx_child(r, "rPr");
	int ob = p->b, oi = p->i;

	int b = sg_docx_tristate(pr, "b"), i = sg_docx_tristate(pr, "i");
	xmlNodePtr rs = sg_docx_child(pr, "rStyle");
	char *sid = rs ? sg_docx_wprop(rs, "val") : NULL;
	/* What the run does not say, its character style may (basedOn). */
	for (int hops = 0; sid && hops < 16 && (b < 0 || i < 0); hops++) {
		struct sg_docx_style *s = sg_map_get(&p->rd->cstyles, sid);
		if (s == NULL)
			break;
		if (b < 0)
			b = s->bold;
		if (i < 0)
			i = s->italic;
		char *next = s->based ? (char *)xmlStrdup((xmlChar *)s->based) :
		    NULL;
		xmlFree(sid);
		sid = next;
	}
	xmlFree(sid);
	p->b = b > 0;
	p->i = i > 0;
	if (!sg_docx_onoff(pr, "vanish"))	/* hidden text is not shown */
		run_content(p, r);
	p->b = ob;
	p->i = oi;
}

/* The content of a run (or of the mc:Choice inside one). */
static void
run_content(struct para *p, xmlNodePtr r)
{
	for (xmlNodePtr c = r->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sg_docx_isw(c, "t")) {
			xmlChar *t = xmlNodeGetContent(c);
			const char *saved = p->href, *fh = field_href();
			/* A HYPERLINK field's target, copied: the field is
			 * freed at its end, the paragraph's segments later. */
			if (fh) {
				if (p->hrefs.n == 0 || strcmp(p->hrefs.v[p->hrefs.n -
				    1], fh) != 0)
					sg_strv_push(&p->hrefs, sg_xstrdup(fh));
				p->href = p->hrefs.v[p->hrefs.n - 1];
			}
			seg_add(p, (char *)t, strlen((char *)t));
			p->href = saved;
			xmlFree(t);
		} else if (sg_docx_isw(c, "tab") || sg_docx_isw(c, "ptab"))
			seg_add(p, " ", 1);
		else if (sg_docx_isw(c, "br") || sg_docx_isw(c, "cr")) {
			char *t = sg_docx_wprop(c, "type");
			if (t == NULL || strcmp(t, "textWrapping") == 0)
				seg_mark(p, NULL, 1);
			xmlFree(t);
		} else if (sg_docx_isw(c, "noBreakHyphen"))
			seg_add(p, "-", 1);
		else if (sg_docx_isw(c, "instrText")) {
			if (nfields > 0 && !fields[nfields - 1].result) {
				xmlChar *t = xmlNodeGetContent(c);
				sg_buf_puts(&fields[nfields - 1].instr,
				    (char *)t);
				xmlFree(t);
			}
		} else if (sg_docx_isw(c, "fldChar"))
			fld_char(p, c);
		else if (sg_docx_isw(c, "footnoteReference") ||
		    sg_docx_isw(c, "endnoteReference")) {
			char *id = sg_docx_wprop(c, "id");
			char lab[32];
			snprintf(lab, sizeof(lab), "%s%s",
			    c->name[0] == 'f' ? "fn" : "en", id ? id : "0");
			seg_mark(p, lab, 0);
			xmlFree(id);
		} else if (sg_docx_isw(c, "drawing") || sg_docx_isw(c, "pict"))
			drawing(p, c);
		else if (sg_docx_isw(c, "object"))
			ole_object(p, c);
		else if (sg_docx_is(c, "AlternateContent")) {
			/* The first choice; the fallback repeats it. */
			for (xmlNodePtr k = c->children; k; k = k->next)
				if (sg_docx_is(k, "Choice")) {
					run_content(p, k);
					break;
				}
		} else if (sg_docx_isw(c, "commentReference"))
			p->comments++;
		else if (sg_docx_isw(c, "sym"))
			loss(p->rd, p->blk->para, "a symbol-font character is "
			    "not imported; expected a Unicode character");
	}
}

/* The children of a paragraph, or of an element that holds runs. */
static void
walk_inline(struct para *p, xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sg_docx_isw(c, "r") || (sg_docx_is(c, "r") &&
		    c->ns && strstr((char *)c->ns->href, "math")))
			sg_docx_isw(c, "r") ? run(p, c) : math_text(p, c);
		else if (sg_docx_isw(c, "hyperlink")) {
			const char *old = p->href;
			char *rid = sg_docx_rprop(c, "id");
			const char *tg = rid ? sg_map_get(&p->rd->rels, rid) :
			    NULL;
			if (tg && tg[0] == '!') {
				sg_strv_push(&p->hrefs, sg_xstrdup(tg + 1));
				p->href = p->hrefs.v[p->hrefs.n - 1];
			}
			xmlFree(rid);
			walk_inline(p, c);
			p->href = old;
		} else if (sg_docx_isw(c, "fldSimple")) {
			char *in = sg_docx_wprop(c, "instr");
			if (nfields < MAX_FIELDS) {
				struct field *f = &fields[nfields++];
				memset(f, 0, sizeof(*f));
				sg_buf_puts(&f->instr, in ? in : "");
				f->result = 1;
				field_start(p, f);
				walk_inline(p, c);
				f = &fields[--nfields];
				sg_buf_clear(&f->instr);
				free(f->href);
				f->href = NULL;
			} else
				walk_inline(p, c);
			xmlFree(in);
		} else if (sg_docx_isw(c, "del") || sg_docx_isw(c, "moveFrom"))
			continue;	/* tracked deletions: changes accepted */
		else if (sg_docx_is(c, "oMath") || sg_docx_is(c, "oMathPara")) {
			loss(p->rd, p->blk->para, "an equation is not imported "
			    "as one; its characters are kept as plain text");
			math_text(p, c);
		} else if (sg_docx_isw(c, "sdt")) {
			xmlNodePtr sc = sg_docx_child(c, "sdtContent");
			if (sc)
				walk_inline(p, sc);
		} else if (sg_docx_isw(c, "ins") || sg_docx_isw(c, "moveTo") ||
		    sg_docx_isw(c, "smartTag") || sg_docx_isw(c, "customXml") ||
		    sg_docx_isw(c, "dir") || sg_docx_isw(c, "bdo") ||
		    sg_docx_is(c, "AlternateContent") || sg_docx_is(c, "Choice"))
			walk_inline(p, c);
		else if (sg_docx_isw(c, "ruby")) {
			xmlNodePtr base = sg_docx_child(c, "rubyBase");
			if (base)
				walk_inline(p, base);
		}
	}
}

/* ---- segments to Markdown ---- */

static void
to_markdown(struct para *p)
{
	struct sg_buf md = {0}, tx = {0};
	int ls = 1, links = 0, texts = 0, bold = 0;

	for (size_t k = 0; k < p->n; k++) {
		struct seg *s = &p->v[k];
		if (s->brk) {
			sg_buf_puts(&md, "\\\n");
			sg_buf_putc(&tx, '\n');
			ls = 1;
			continue;
		}
		if (s->note) {
			sg_buf_printf(&md, "[^%s]", s->note);
			continue;
		}
		sg_buf_puts(&tx, s->text);
		if (strspn(s->text, " ") != strlen(s->text)) {
			texts++;
			bold += s->b;
		}
		if (s->href) {
			const char *h = s->href;
			links++;
			if (p->blk->link == NULL)
				p->blk->link = sg_xstrdup(h);
			/* Only links a reader can follow from the web. */
			if (strncmp(h, "http://", 7) == 0 ||
			    strncmp(h, "https://", 8) == 0 ||
			    strncmp(h, "mailto:", 7) == 0) {
				/* All runs of the same link in one pair. */
				sg_buf_putc(&md, '[');
				ls = 0;
				size_t e = k;
				for (; e < p->n && p->v[e].href == s->href &&
				    p->v[e].text; e++)
					sg_docx_md_run(&md, p->v[e].text,
					    strlen(p->v[e].text), p->v[e].b,
					    p->v[e].i, &ls);
				for (size_t j = k + 1; j < e; j++)
					sg_buf_puts(&tx, p->v[j].text);
				sg_buf_puts(&md, "](<");
				for (; *h; h++)
					if (*h != '<' && *h != '>' && *h != '\n')
						sg_buf_putc(&md, *h);
				sg_buf_puts(&md, ">)");
				k = e - 1;
				continue;
			}
		}
		sg_docx_md_run(&md, s->text, strlen(s->text), s->b, s->i, &ls);
	}
	/* Markdown ignores trailing spaces and line breaks. */
	while (md.len && (md.data[md.len - 1] == ' ' ||
	    md.data[md.len - 1] == '\n'))
		md.data[--md.len] = '\0';
	while (md.len >= 1 && md.data[md.len - 1] == '\\') {
		md.data[--md.len] = '\0';
		while (md.len && md.data[md.len - 1] == ' ')
			md.data[--md.len] = '\0';
	}
	p->blk->md = md.data ? sg_buf_take(&md) : sg_xstrdup("");
	p->blk->text = sg_docx_trim(tx.data ? sg_buf_take(&tx) : sg_xstrdup(""));
	/* Leading spaces would make an indented code block. */
	size_t lead = strspn(p->blk->md, " \t");
	if (lead)
		memmove(p->blk->md, p->blk->md + lead, strlen(p->blk->md + lead) + 1);
	p->blk->links_only = links > 0 && links == texts;
	p->blk->bold = texts > 0 && bold == texts;
}

/* ---- paragraphs ---- */

static struct sg_docx_block *
new_block(struct sg_docx *x)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		x->v = sg_xrealloc(x->v, x->cap * sizeof(*x->v));
	}
	memset(&x->v[x->n], 0, sizeof(x->v[0]));
	return &x->v[x->n++];
}

/* Heading level, numbering and kind of a paragraph through its style
 * chain: the paragraph's own properties first, then each basedOn. */
static void
para_props(struct sg_docx_rd *rd, xmlNodePtr ppr, struct sg_docx_block *b,
    int *num_id, int *ilvl)
{
	xmlNodePtr ps = sg_docx_child(ppr, "pStyle");
	xmlNodePtr np = sg_docx_child(ppr, "numPr");
	char *sid = ps ? sg_docx_wprop(ps, "val") : NULL;
	int outline = sg_docx_ival(ppr, "outlineLvl", -1), kind = 0, lvl = 0;
	const char *cur = sid;

	*num_id = np ? sg_docx_ival(np, "numId", -1) : -1;
	*ilvl = np ? sg_docx_ival(np, "ilvl", 0) : 0;
	for (int hops = 0; cur && hops < 16; hops++) {
		struct sg_docx_style *s = sg_map_get(&rd->styles, cur);
		if (s == NULL)
			break;
		if (outline < 0)
			outline = s->outline;
		if (*num_id < 0 && s->num_id >= 0) {
			*num_id = s->num_id;
			if (np == NULL || sg_docx_child(np, "ilvl") == NULL)
				*ilvl = s->ilvl;
		}
		if (kind == 0 && s->kind) {
			kind = s->kind;
			lvl = s->name_level;
		}
		cur = s->based;
	}
	if (outline >= 0 && outline < 9)
		b->level = outline + 1;
	else if (outline < 0 && kind == SG_STYLE_HEADING)
		b->level = lvl;
	b->title = kind == SG_STYLE_TITLE;
	b->caption = kind == SG_STYLE_CAPTION;
	b->toc = kind == SG_STYLE_TOC;
	b->quote = kind == SG_STYLE_QUOTE;
	xmlFree(sid);
}

/* Reads one w:p into a new block, or into tmp when given (a table cell,
 * a note: read for its text).  Returns the block, or NULL when the
 * paragraph is empty. */
static struct sg_docx_block *
paragraph(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr n,
    struct sg_docx_block *tmp)
{
	struct para p = {0};
	struct sg_docx_block *b;
	int num_id, ilvl, kind, no;

	if (!rd->in_note)
		x->paras++;
	b = tmp ? tmp : new_block(x);
	b->kind = SG_DOCX_PARA;
	b->para = x->paras;
	b->box = rd->box;
	para_props(rd, sg_docx_child(n, "pPr"), b, &num_id, &ilvl);
	for (int k = 0; k < nfields; k++)
		if (fields[k].instr.data && strncmp(fields[k].instr.data +
		    strspn(fields[k].instr.data, " "), "TOC", 3) == 0)
			b->toc = 1;
	if (num_id > 0) {
		b->label = sg_docx_number(rd, num_id, ilvl, &kind, &no);
		if (b->level == 0 && kind) {
			b->list = kind;
			b->list_level = ilvl;
			b->list_no = no;
		}
	}
	p.rd = rd;
	p.blk = b;
	walk_inline(&p, n);
	/* A field's instruction never spans paragraphs: one left open is
	 * broken and would hide the text after it. */
	while (nfields > 0 && !fields[nfields - 1].result) {
		struct field *f = &fields[--nfields];
		sg_buf_clear(&f->instr);
		free(f->href);
		f->href = NULL;
	}
	to_markdown(&p);
	if (b->level)
		x->has_headings = 1;
	if (p.comments)
		loss(rd, b->para, p.comments == 1 ? "a comment is dropped" :
		    "comments are dropped");
	for (size_t k = 0; k < p.n; k++) {
		free(p.v[k].text);
		free(p.v[k].note);
	}
	free(p.v);
	sg_strv_clear(&p.hrefs);
	/* A paragraph with neither text nor image says nothing. */
	size_t idx = (size_t)(b - x->v);
	if (tmp == NULL && b->nimages == 0 && b->text[0] == '\0' &&
	    b->label == NULL) {
		sg_docx_block_clear(b);
		x->n--;
		b = NULL;
	}
	/* Text boxes of the paragraph, after it, each a box. */
	for (size_t k = 0; k < p.nboxes && depth < MAX_NEST; k++) {
		int old = rd->box;
		rd->box = ++rd->boxes;
		depth++;
		walk_blocks(x, rd, p.boxes[k]);
		depth--;
		rd->box = old;
	}
	return b && tmp == NULL ? &x->v[idx] : b;
}

/* ---- tables ---- */

static int
has_image(xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sg_docx_is(c, "blip") || sg_docx_is(c, "imagedata"))
			return 1;
		if (has_image(c))
			return 1;
	}
	return 0;
}

/* The shown text of a cell: its paragraphs, one per line. */
static char *
cell_text(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr tc)
{
	struct sg_buf b = {0};

	for (xmlNodePtr c = tc->children; c; c = c->next) {
		if (sg_docx_isw(c, "p")) {
			struct sg_docx_block tmp = {0};
			paragraph(x, rd, c, &tmp);
			const char *t = tmp.text ? tmp.text : "";
			if (tmp.label && tmp.list == 0)
				sg_buf_puts(&b, tmp.label);
			if (*t || tmp.label) {
				if (b.len)
					sg_buf_putc(&b, '\n');
				sg_buf_puts(&b, t);
			}
			sg_docx_block_clear(&tmp);
		} else if (sg_docx_isw(c, "tbl") || sg_docx_isw(c, "sdt")) {
			/* A table inside a cell: its text, row by row. */
			for (xmlNodePtr r = c->children; r; r = r->next) {
				if (!sg_docx_isw(r, "tr") &&
				    !sg_docx_isw(r, "sdtContent"))
					continue;
				for (xmlNodePtr t = r->children; t; t = t->next)
					if (sg_docx_isw(t, "tc") ||
					    sg_docx_isw(t, "p")) {
						char *s = sg_docx_isw(t, "tc") ?
						    cell_text(x, rd, t) : NULL;
						if (s && *s) {
							if (b.len)
								sg_buf_putc(&b, ' ');
							sg_buf_puts(&b, s);
						}
						free(s);
					}
			}
		}
	}
	return b.data ? sg_buf_take(&b) : sg_xstrdup("");
}

struct rawcell {
	char	*text;
	int	 span;
	int	 vcont;		/* vMerge continue */
};

static void
table(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr tbl)
{
	struct rawcell *cells = NULL;
	size_t ncells = 0, cap = 0, nrows = 0, ncols = 0;
	size_t *rowstart = NULL, *rowgap = NULL;
	int tcs = 0, first_para = x->paras + 1;

	/* A one-cell table is a box around its content; a table holding
	 * images lays out figures: read their content, not a grid. */
	for (xmlNodePtr r = tbl->children; r; r = r->next)
		for (xmlNodePtr c = sg_docx_isw(r, "tr") ? r->children : NULL; c;
		    c = c->next)
			if (sg_docx_isw(c, "tc")) {
				tcs++;
			}
	if (depth < MAX_NEST && (tcs == 1 || has_image(tbl))) {
		depth++;
		for (xmlNodePtr r = tbl->children; r; r = r->next)
			for (xmlNodePtr c = sg_docx_isw(r, "tr") ? r->children :
			    NULL; c; c = c->next) {
				if (!sg_docx_isw(c, "tc"))
					continue;
				int old = rd->box;
				if (tcs == 1)
					rd->box = ++rd->boxes;
				walk_blocks(x, rd, c);
				rd->box = old;
			}
		depth--;
		return;
	}
	for (xmlNodePtr r = tbl->children; r; r = r->next) {
		if (!sg_docx_isw(r, "tr"))
			continue;
		xmlNodePtr trpr = sg_docx_child(r, "trPr");
		int before = sg_docx_ival(trpr, "gridBefore", 0);
		rowstart = sg_xrealloc(rowstart, (nrows + 1) * sizeof(*rowstart));
		rowgap = sg_xrealloc(rowgap, (nrows + 1) * sizeof(*rowgap));
		rowstart[nrows] = ncells;
		rowgap[nrows] = before > 0 && before < 64 ? (size_t)before : 0;
		size_t width = rowgap[nrows];
		for (xmlNodePtr c = r->children; c; c = c->next) {
			if (!sg_docx_isw(c, "tc"))
				continue;
			xmlNodePtr pr = sg_docx_child(c, "tcPr");
			xmlNodePtr vm = sg_docx_child(pr, "vMerge");
			char *v = vm ? sg_docx_wprop(vm, "val") : NULL;
			int span = sg_docx_ival(pr, "gridSpan", 1);
			if (ncells == cap) {
				cap = cap ? cap * 2 : 64;
				cells = sg_xrealloc(cells, cap * sizeof(*cells));
			}
			cells[ncells].text = cell_text(x, rd, c);
			cells[ncells].span = span >= 1 && span <= 64 ? span : 1;
			cells[ncells].vcont = vm && (v == NULL ||
			    strcmp(v, "continue") == 0);
			width += (size_t)cells[ncells].span;
			ncells++;
			xmlFree(v);
		}
		if (width > ncols)
			ncols = width;
		nrows++;
	}
	if (nrows == 0 || ncols == 0 || nrows * ncols > SG_MAX_TABLE_CELLS) {
		if (nrows * ncols > SG_MAX_TABLE_CELLS)
			loss(rd, first_para, "a table too large to import is "
			    "dropped");
		goto out;
	}
	struct sg_docx_block *b = new_block(x);
	struct sg_docx_table *t = sg_xcalloc(1, sizeof(*t));
	b->kind = SG_DOCX_TABLE;
	b->para = first_para;
	b->box = rd->box;
	b->table = t;
	t->nrows = nrows;
	t->ncols = ncols;
	t->cells = sg_xcalloc(nrows * ncols, sizeof(char *));
	for (size_t r = 0; r < nrows; r++) {
		size_t end = r + 1 < nrows ? rowstart[r + 1] : ncells;
		size_t col = rowgap[r];
		for (size_t k = rowstart[r]; k < end; k++) {
			for (int s = 0; s < cells[k].span && col < ncols; s++,
			    col++) {
				const char *src = cells[k].text;
				if (cells[k].vcont && r > 0 &&
				    t->cells[(r - 1) * ncols + col]) {
					src = t->cells[(r - 1) * ncols + col];
					t->merged = 1;
				} else if (s > 0)
					t->merged = 1;
				t->cells[r * ncols + col] = sg_xstrdup(src);
			}
		}
	}
	for (size_t k = 0; k < nrows * ncols; k++)
		if (t->cells[k] == NULL)
			t->cells[k] = sg_xstrdup("");
out:
	for (size_t k = 0; k < ncells; k++)
		free(cells[k].text);
	free(cells);
	free(rowstart);
	free(rowgap);
}

/* ---- block containers: the body, a cell, a text box ---- */

static void
walk_blocks(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr parent)
{
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next) {
		if (sg_docx_isw(c, "p"))
			paragraph(x, rd, c, NULL);
		else if (sg_docx_isw(c, "tbl"))
			table(x, rd, c);
		else if (sg_docx_isw(c, "sdt")) {
			/* A contents block Word generated is not copied. */
			xmlNodePtr pr = sg_docx_child(c, "sdtPr");
			xmlNodePtr dp = sg_docx_child(pr, "docPartObj");
			xmlNodePtr g = sg_docx_child(dp, "docPartGallery");
			char *v = g ? sg_docx_wprop(g, "val") : NULL;
			int toc = v && strstr(v, "Table of Contents");
			xmlFree(v);
			if (toc)
				continue;
			walk_blocks(x, rd, sg_docx_child(c, "sdtContent"));
		} else if (sg_docx_isw(c, "ins") || sg_docx_isw(c, "moveTo") ||
		    sg_docx_isw(c, "customXml") || sg_docx_is(c,
		    "AlternateContent") || sg_docx_is(c, "Choice"))
			walk_blocks(x, rd, c);
	}
}

void
sg_docx_body(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr body)
{
	fields_reset();
	depth = 0;
	walk_blocks(x, rd, body);
	fields_reset();
}

void
sg_docx_notes(struct sg_docx *x, struct sg_docx_rd *rd, const char *part,
    const char *elem, const char *prefix)
{
	xmlDocPtr doc = sg_docx_xml(x, part);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

	rd->in_note = 1;
	for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
		if (!sg_docx_isw(c, elem))
			continue;
		char *type = sg_docx_wprop(c, "type");
		char *id = sg_docx_wprop(c, "id");
		if (id && (type == NULL || strcmp(type, "normal") == 0)) {
			struct sg_buf b = {0};
			for (xmlNodePtr p = c->children; p; p = p->next) {
				if (!sg_docx_isw(p, "p"))
					continue;
				struct sg_docx_block tmp = {0};
				fields_reset();
				paragraph(x, rd, p, &tmp);
				if (tmp.md && *tmp.md) {
					if (b.len)
						sg_buf_putc(&b, ' ');
					sg_buf_puts(&b, tmp.md);
				}
				sg_docx_block_clear(&tmp);
			}
			if (x->nnotes == x->notescap) {
				x->notescap = x->notescap ? x->notescap * 2 : 8;
				x->notes = sg_xrealloc(x->notes, x->notescap *
				    sizeof(*x->notes));
			}
			x->notes[x->nnotes].label = sg_xasprintf("%s%s", prefix,
			    id);
			x->notes[x->nnotes].md = b.data ? sg_buf_take(&b) :
			    sg_xstrdup("");
			x->nnotes++;
		}
		xmlFree(type);
		xmlFree(id);
	}
	rd->in_note = 0;
	fields_reset();
	if (doc)
		xmlFreeDoc(doc);
}

/* ---- clearing a block ---- */

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
