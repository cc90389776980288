/*
 * md_int: what md_parse.c (parse, annotate, number) and md_render.c
 * (render) share — the annotations a parse leaves on a document and the
 * cmark-gfm extensions both attach.  Other modules use markdown.h.
 */
#ifndef SG_MD_INT_H
#define SG_MD_INT_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "sg.h"

#define MD_OPTS	(CMARK_OPT_DEFAULT | CMARK_OPT_FOOTNOTES)

enum ann_kind {
	A_FIGURE,	/* paragraph that is one image */
	A_CSVTABLE,	/* paragraph that is one link to a CSV */
	A_PIPETABLE,	/* GFM table */
	A_CASE,		/* paragraph that is one link to a case file */
	A_HEADING,
	A_LINK		/* any other link or inline image to a local file */
};

struct ann {
	enum ann_kind	 kind;
	cmark_node	*node;		/* in the tree (custom block or link) */
	cmark_node	*orig;		/* detached original */
	cmark_node	*caption;	/* detached caption paragraph */
	cmark_node	*note;		/* detached source-note paragraph */
	char		*label;		/* 图 2-1 */
	char		*id;
	char		*text;		/* caption or heading text */
	char		*alt;
	char		*target;	/* output path, NULL for external */
	char		*frag;		/* "#x" or "" */
	int		 missing;	/* image file not found */
	int		 image;		/* A_LINK: an image src */
	int		 level;
	struct sg_data	*data;
	struct sg_case	*kase;
};

struct sg_mdinfo {
	struct ann	*v;
	size_t		 n;
	size_t		 cap;
};

/* The core extensions every parse attaches and every render passes
 * (sg_md_init sets it). */
extern cmark_llist *sg_md_exts;

/* Parses doc again for its page (a released document's tree was freed
 * once numbered); its findings were reported the first time. */
void sg_md_reparse(struct sg_site *site, struct sg_report *r,
    struct sg_doc *doc);
/* Frees doc's tree and annotations, keeping what numbering recorded. */
void sg_md_free_info(struct sg_doc *doc);

#endif
