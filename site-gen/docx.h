/*
 * docx: reads a Word (OOXML) package — the .docx that Word, WPS and
 * LibreOffice write — with libzip and libxml2 into a flat list of blocks
 * in reading order: paragraphs (with their heading level, numbering label,
 * inline Markdown and images) and tables (a grid with merged cells filled
 * in).  It knows OOXML, not reports: import.c decides what the blocks are.
 * Losses met while reading (an equation, a chart, SmartArt, an embedded
 * object, a comment) are findings at the file's ¶N.
 */
#ifndef SG_DOCX_H
#define SG_DOCX_H

#include <stddef.h>

struct sg_diag;

enum sg_docx_kind {
	SG_DOCX_PARA,
	SG_DOCX_TABLE
};

/* An image of the package: its part name ("word/media/image1.png"). */
struct sg_docx_image {
	char	*part;
	char	*ext;		/* "png", "jpeg" … in lower case */
};

struct sg_docx_table {
	size_t	 nrows, ncols;
	char	**cells;	/* nrows × ncols, row-major; never NULL */
	int	 merged;	/* some cells were copied from a span */
};

struct sg_docx_block {
	enum sg_docx_kind	 kind;
	int			 para;	/* ¶N of its (first) paragraph, 1-based */
	/* A paragraph: */
	int			 level;	/* heading level 1–9, 0 body text */
	int			 title;	/* the Title style */
	int			 caption;	/* Caption style or a SEQ field */
	int			 toc;	/* a TOC style, or inside a TOC field */
	int			 quote;	/* a Quote style: a block quote */
	int			 list;	/* 0 no list, 1 bullet, 2 ordered */
	int			 list_level;	/* 0-based */
	int			 list_no;	/* the item's number (ordered) */
	int			 box;	/* >0: from text box or one-cell table n */
	char			*label;	/* numbering shown before the text
					   ("（一）"), or NULL */
	char			*md;	/* inline Markdown, label excluded */
	char			*text;	/* the shown text, label excluded */
	int			 links_only;	/* the text is all hyperlinks */
	int			 bold;	/* all its text is bold */
	char			*link;	/* the first hyperlink's target, or NULL */
	struct sg_docx_image	*images;
	size_t			 nimages;
	/* A table: */
	struct sg_docx_table	*table;
};

/* A footnote or endnote: label "fn3" / "en1" and its Markdown. */
struct sg_docx_note {
	char	*label;
	char	*md;
};

struct sg_docx {
	char			*file;	/* as given, for findings */
	struct sg_docx_block	*v;
	size_t			 n, cap;
	struct sg_docx_note	*notes;
	size_t			 nnotes, notescap;
	int			 paras;	/* paragraphs read */
	int			 has_headings;	/* some paragraph has a level */
	void			*zip;	/* zip_t, kept open for media */
};

/*
 * Reads the package at path.  Losses are warnings at shown:¶N; a file that
 * is not a readable .docx is an error.  Returns the document (free with
 * sg_docx_free) or NULL after a finding.
 */
struct sg_docx *sg_docx_open(const char *path, const char *shown,
    struct sg_diag *d);
void sg_docx_free(struct sg_docx *x);

/*
 * The bytes of a package part (an image).  Returns 0 and sets *data
 * (caller frees) and *len, or -1 when the part is missing, too large or
 * unreadable.
 */
int sg_docx_part(struct sg_docx *x, const char *part, char **data,
    size_t *len);

/* The note labelled label, or NULL. */
const struct sg_docx_note *sg_docx_note(const struct sg_docx *x,
    const char *label);

/*
 * Appends s[0..n) to b with what Markdown would read as markup escaped;
 * *line_start says the text starts a line (where #, >, -, 1. mean more),
 * and is cleared once text is written.
 */
struct sg_buf;
void sg_docx_md_escape(struct sg_buf *b, const char *s, size_t n,
    int *line_start);

#endif
