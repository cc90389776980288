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
struct sg_import_file {
	char	*path;		/* relative to the new folder */
	char	*data;
	size_t	 len;
};

/* A chapter or case being written. */
struct sg_import_doc {
	char		*title;
	int		 number;	/* case number; chapter order */
	int		 chapter;	/* a case: the chapter that links it */
	struct sg_buf	 md;
};

struct sg_import {
	struct sg_docx		*x;
	struct sg_diag		*d;
	const char		*file;	/* the .docx as named */
	int			 year;
	struct sg_schema	*schema;
	struct sg_import_file		*files;
	size_t			 nfiles, filescap;
	struct sg_import_doc		*chapters;
	size_t			 nchapters;
	struct sg_import_doc		*cases;
	size_t			 ncases;
	struct sg_import_doc		*cur;	/* where text goes, or NULL */
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

/* Adds a file to write (path and data are taken). */
void sg_import_add_file(struct sg_import *im, char *path, char *data,
    size_t len);
/* The Markdown path prefix of the current document ("" or "../"). */
const char *sg_import_prefix(const struct sg_import *im);
/* Number of the chapter being read (1-based), 0 before the first. */
int sg_import_chapter_no(const struct sg_import *im);

/* import_text.c: reading a report's lines. */
enum sg_import_special { SP_NONE, SP_STATEMENT, SP_PREFACE, SP_TOC,
	SP_APPENDIX };
const char *sg_import_skip_ws(const char *s);
/* The typed numbering at the start of s: 1 一、  2 （一）  3 1. 1、
 * 4 （1）  5 ①; 0 none.  *ord its number, *rest the text after it. */
int sg_import_number_kind(const char *s, int *ord, const char **rest);
/* "案例 3 标题": 1 with *num and *title (the rest of s), else 0. */
int sg_import_case_heading(const char *s, int *num, const char **title);
/* "图 2-1 标题" (word "图") or "表3：标题": the title, or NULL. */
const char *sg_import_caption(const char *s, const char *word);
/* 1 if s starts with 数据来源：, 资料来源：, 统计时间： or 注：. */
int sg_import_is_note(const char *s);
/* What a heading's title says it is: the statement, preface, … */
enum sg_import_special sg_import_special(const char *s);
/* A chapter heading's title without its 一、 or 第一章 (the rest of text);
 * *kind and *ord as sg_import_number_kind says. */
const char *sg_import_chapter_title(const char *text, int *kind, int *ord);
/* text with its line breaks as spaces; caller frees. */
char *sg_import_one_line(const char *text);

/* import_out.c */
/* Writes every file of im into a new folder beside out, then renames it
 * to out.  Returns 0, or -1 after a finding (nothing left behind). */
int sg_import_write_all(struct sg_import *im, const char *out);

/* import_tab.c */
/* Writes the pending table (if any) into the current document. */
void sg_import_table_flush(struct sg_import *im);
/* A table block: held until its caption or note is known, or written as
 * an appendix table when it is one.  heading: the text of the heading
 * or caption before it, for the appendix table's name. */
void sg_import_table(struct sg_import *im, const struct sg_docx_block *b,
    const char *heading);

#endif
