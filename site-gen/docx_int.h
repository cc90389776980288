/*
 * docx_int: what docx.c (package, styles, relationships), docx_xml.c
 * (parts and element readers), docx_num.c (numbering), docx_body.c (the
 * walk of the document body) and docx_md.c share.  Not for other modules.
 */
#ifndef SG_DOCX_INT_H
#define SG_DOCX_INT_H

#include <libxml/tree.h>

#include "util.h"

struct sg_diag;
struct sg_docx;
struct sg_docx_block;

#define SG_DOCX_LEVELS	9

enum {
	SG_STYLE_HEADING = 1,
	SG_STYLE_TITLE,
	SG_STYLE_CAPTION,
	SG_STYLE_TOC,
	SG_STYLE_QUOTE
};

/* A paragraph style of styles.xml. */
struct sg_docx_style {
	char	*name;		/* w:name, or NULL (xmlFree) */
	char	*based;		/* basedOn style id, or NULL (xmlFree) */
	int	 outline;	/* w:outlineLvl, 0-based, or -1 */
	int	 num_id;	/* numPr of the style, or -1 */
	int	 ilvl;
	int	 kind;		/* SG_STYLE_* from the name, or 0 */
	int	 name_level;	/* heading level the name says */
	int	 bold, italic;	/* a character style's w:b, w:i: 1 on, 0 off,
				   -1 not said */
};

struct sg_docx_lvl {
	int	 start;
	char	*fmt;		/* numFmt (xmlFree) */
	char	*text;		/* lvlText (xmlFree) */
	int	 legal;		/* isLgl: every level in decimal */
};

/* A list instance (w:num) with its levels and running counters. */
struct sg_docx_num {
	struct sg_docx_lvl	lvl[SG_DOCX_LEVELS];
	int			count[SG_DOCX_LEVELS];
	int			seen[SG_DOCX_LEVELS];
};

/* The reader's state while the body is walked. */
struct sg_docx_rd {
	struct sg_docx	*x;
	struct sg_diag	*d;
	const char	*file;
	struct sg_map	 rels;		/* rId → "word/media/x.png" or
					   "!https://…" (external) */
	struct sg_map	 styles;	/* styleId → struct sg_docx_style */
	struct sg_map	 cstyles;	/* character styles, the same */
	struct sg_map	 nums;		/* numId → struct sg_docx_num */
	int		 boxes;		/* text boxes and one-cell tables */
	int		 box;		/* the box being read, or 0 */
	int		 in_note;	/* reading a footnote: no ¶ count */
};

/* docx_xml.c */
xmlDocPtr sg_docx_xml(struct sg_docx *x, const char *part);
int sg_docx_isw(xmlNodePtr n, const char *name);
int sg_docx_is(xmlNodePtr n, const char *name);
xmlNodePtr sg_docx_child(xmlNodePtr n, const char *name);
char *sg_docx_wprop(xmlNodePtr n, const char *name);
char *sg_docx_rprop(xmlNodePtr n, const char *name);
int sg_docx_ival(xmlNodePtr n, const char *name, int def);
int sg_docx_onoff(xmlNodePtr pr, const char *name);
/* 1 on, 0 off, -1 when pr does not say. */
int sg_docx_tristate(xmlNodePtr pr, const char *name);

/* docx.c */
int sg_docx_style_kind(const char *name, int *level);
void sg_docx_style_free(struct sg_docx_style *s);

/* docx_num.c */
/* Reads word/numbering.xml's lists into rd->nums. */
void sg_docx_numbering(struct sg_docx *x, struct sg_docx_rd *rd);
void sg_docx_num_free(struct sg_docx_num *n);
char *sg_docx_number(struct sg_docx_rd *rd, int num_id, int ilvl, int *kind,
    int *no);

/* docx_md.c */
/* Appends a run's text s[0..n) to b, bold and/or italic. */
void sg_docx_md_run(struct sg_buf *b, const char *s, size_t n, int bold,
    int ital, int *line_start);
/* s without spaces (ASCII or U+3000) at either end, in place; returns s. */
char *sg_docx_trim(char *s);

/* docx_body.c */
void sg_docx_block_clear(struct sg_docx_block *b);
void sg_docx_body(struct sg_docx *x, struct sg_docx_rd *rd, xmlNodePtr body);
void sg_docx_notes(struct sg_docx *x, struct sg_docx_rd *rd,
    const char *part, const char *elem, const char *prefix);

#endif
