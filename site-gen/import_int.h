/*
 * import_int: the state import.c (structure, text, figures, cases) and
 * import_tab.c (tables and the appendix tables) share.  Not for other
 * modules.
 */
#ifndef SG_IMPORT_INT_H
#define SG_IMPORT_INT_H

#include "util.h"

struct sg_diag;
struct sg_docx;
struct sg_docx_block;
struct sg_docx_table;
struct sg_schema;

/* A file of the new folder, written at the end. */
struct imp_file {
	char	*path;		/* relative to the new folder */
	char	*data;
	size_t	 len;
};

/* A chapter or case being written. */
struct imp_doc {
	char		*title;
	int		 number;	/* case number; chapter order */
	int		 chapter;	/* a case: the chapter that links it */
	struct sg_buf	 md;
};

struct imp {
	struct sg_docx		*x;
	struct sg_diag		*d;
	const char		*file;	/* the .docx as named */
	int			 year;
	struct sg_schema	*schema;
	struct imp_file		*files;
	size_t			 nfiles, filescap;
	struct imp_doc		*chapters;
	size_t			 nchapters;
	struct imp_doc		*cases;
	size_t			 ncases;
	struct imp_doc		*cur;	/* where text goes, or NULL */
	int			 in_case;
	int			 figno;	/* images/ names in this chapter */
	int			 tabno;	/* tables/ names in this chapter */
	unsigned char		 appendix_done[16];
	struct sg_map		 media;	/* part → images/ name (borrowed) */
	/* What the summary counts. */
	int			 figures, images, tables, appendix;
	/* A table waiting for its caption after it or its source note. */
	struct sg_docx_table	*ptab;
	int			 ptab_para;
	char			*ptab_caption;	/* 表 caption, or NULL */
	char			*ptab_figure;	/* 图 caption (a figure of it) */
	char			*ptab_note;
	char			*tab_caption;	/* 表 caption before a table */
	size_t			 last_par_at;	/* offset of the last short
						   paragraph in cur->md, or
						   (size_t)-1 */
	int			 last_par_para;
};

void imp_add_file(struct imp *im, char *path, char *data, size_t len);
/* The Markdown path prefix of the current document ("" or "../"). */
const char *imp_prefix(const struct imp *im);
/* Number of the chapter being read (1-based), 0 before the first. */
int imp_chapter_no(const struct imp *im);

/* import_tab.c */
/* Writes the pending table (if any) into the current document. */
void imp_table_flush(struct imp *im);
/* A table block: held until its caption or note is known, or written as
 * an appendix table when it is one.  heading: the text of the heading
 * or caption before it, for the appendix table's name. */
void imp_table(struct imp *im, const struct sg_docx_block *b,
    const char *heading);

#endif
