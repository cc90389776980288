/*
 * pdf: each report typeset as a PDF, the form education authorities
 * collect and schools print.  pages.c fills the theme's pdf.html (a print
 * document of its own, with the theme's pdf.css: CSS Paged Media) from the
 * same model as the site; this module hands it to the typesetting engine,
 * WeasyPrint, run as a program (no shell), and puts the PDF into the
 * staging output.  A PDF whose print document and inputs are byte for byte
 * those of the last build is not typeset again: the record of what the
 * PDFs in public/ were made from is .public.sg-pdf beside public/, never
 * inside what is published.
 */
#ifndef SG_PDF_H
#define SG_PDF_H

#include <stddef.h>

struct sg_diag;
struct sg_output;
struct sg_strv;

/* A PDF the build put into the output. */
struct sg_pdf_file {
	char	*rel;		/* 2024/report-2024.pdf */
	size_t	 size;		/* bytes */
	char	 sha256[65];	/* of the PDF, hex (the history ledger's) */
	int	 reused;	/* kept from the last build, not typeset */
};

struct sg_pdf;

/* 1 if SG_NO_PDF is set to anything but "" or "0": builds make no PDF
 * (the test suite sets it: typesetting takes seconds). */
int sg_pdf_off(void);
/* The engine to typeset with: the path of `weasyprint` found on PATH, or
 * NULL.  Caller frees. */
char *sg_pdf_engine(void);

/*
 * A PDF maker for a build into the output folder final (its record of the
 * last build's PDFs is read from beside it; final NULL: none, every PDF is
 * typeset).  engine is copied.  Free with sg_pdf_free.
 */
struct sg_pdf *sg_pdf_new(const char *engine, const char *final);
void sg_pdf_free(struct sg_pdf *q);

/* Only reports whose output folder is prefix ("2024/") get a PDF. */
void sg_pdf_only(struct sg_pdf *q, const char *prefix);
/* 1 if a PDF is to be made for a report in output folder prefix. */
int sg_pdf_wanted(const struct sg_pdf *q, const char *prefix);

/*
 * Typesets the print document html (len bytes), as if it were the page
 * page ("2024/print/", so relative URLs find the staged images), into the
 * file rel of the staging output o.  inputs are files the document uses
 * besides itself (its stylesheet, images): their bytes are part of what
 * makes a PDF the same as last time (their bytes, not their names: the
 * document names them).  Returns 0, or -1 after a finding
 * (the engine failed: a warning, and no PDF; an I/O failure: fatal).
 */
int sg_pdf_render(struct sg_pdf *q, struct sg_output *o, const char *rel,
    const char *page, const char *html, size_t len,
    const struct sg_strv *inputs, struct sg_diag *d);

/* The PDF made at rel in this build, or NULL (borrowed from q). */
const struct sg_pdf_file *sg_pdf_find(const struct sg_pdf *q, const char *rel);
/* Every PDF made in this build, in the order made (borrowed from q). */
const struct sg_pdf_file *sg_pdf_files(const struct sg_pdf *q, size_t *n);

/*
 * After the output was put in place: records what its PDFs were made
 * from, beside it, for the next build.  A failure is a note in d.
 */
void sg_pdf_save(struct sg_pdf *q, struct sg_diag *d);

/* The record's file name for final: ".public.sg-pdf" beside it.  Caller
 * frees. */
char *sg_pdf_record_path(const char *final);

#endif
