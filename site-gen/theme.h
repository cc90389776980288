/*
 * theme: HTML templates, compiled once (libxml2 parses them) and run per
 * page.  A theme is a folder of plain HTML5 files with data-sg-* attributes
 * marking where values go:
 *
 *   data-sg-text="name"      the element's content becomes the text value
 *   data-sg-html="name"      the element's content becomes the HTML value
 *   data-sg-attr-X="name"    attribute X gets the value
 *   data-sg-if="name"        the element stays only if the value is set
 *   data-sg-unless="name"    the element stays only if it is not set
 *   data-sg-each="name"      the element repeats for each item of a list
 *   data-sg-omit-tag         only the element's content is written, not
 *                            its tags: text and conditions with no
 *                            element of their own
 *   data-sg-slot="main"      (layout.html) where the page template goes
 *   <html data-sg-document>  a template that is a whole document of its
 *                            own (pdf.html), not put in the layout
 *
 * Text is escaped by construction: it is always escaped, never pasted as
 * markup; HTML values are site-gen's own rendering.  Output is UTF-8, not
 * character entities.
 */
#ifndef SG_THEME_H
#define SG_THEME_H

#include <stddef.h>

struct sg_diag;
struct sg_vars;
struct sg_theme;

/* A set of named values; lists hold child sets.  Free with sg_vars_free. */
struct sg_vars *sg_vars_new(void);
void sg_vars_free(struct sg_vars *v);
/* Sets text (copied); NULL value means unset. */
void sg_vars_text(struct sg_vars *v, const char *name, const char *text);
void sg_vars_textf(struct sg_vars *v, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Sets an HTML fragment (copied). */
void sg_vars_html(struct sg_vars *v, const char *name, const char *html);
/* Takes ownership of an HTML string. */
void sg_vars_html_own(struct sg_vars *v, const char *name, char *html);
/* Appends an item to list name and returns it (owned by v). */
struct sg_vars *sg_vars_item(struct sg_vars *v, const char *name);

/*
 * The theme folder to load: opt (--theme) if given, else the site's
 * themes/<name>/, else the installed folder's, else the one built into
 * the binary (a "built-in:" label).  NULL after an error finding that
 * names every place looked in.  Caller frees.
 */
char *sg_theme_find(const char *opt, const char *name, struct sg_diag *d);

/*
 * Loads the theme in dir: layout.html and every <kind>.html.  Returns the
 * theme (free with sg_theme_free) or NULL after a finding.
 */
struct sg_theme *sg_theme_load(const char *dir, struct sg_diag *d);
void sg_theme_free(struct sg_theme *t);
/* An empty theme whose assets are in dir (may be ""); templates come from
 * sg_theme_add.  For tests and fuzzing. */
struct sg_theme *sg_theme_new(const char *dir);
/* Adds template name ("layout", "chapter", …) from HTML bytes.  Returns 0,
 * or -1 after a finding (not UTF-8, not HTML). */
int sg_theme_add(struct sg_theme *t, const char *name, const char *html,
    size_t len, struct sg_diag *d);
/* 1 if the theme has a template for page kind. */
int sg_theme_has(const struct sg_theme *t, const char *kind);
/* The theme's folder (borrowed). */
const char *sg_theme_dir(const struct sg_theme *t);

/*
 * Renders page kind (e.g. "chapter") with vars into a complete HTML
 * document.  Returns the bytes (caller frees) and sets *len, or NULL after
 * a finding naming the template.  Safe to call from several threads.
 */
char *sg_theme_render(struct sg_theme *t, const char *kind,
    struct sg_vars *vars, size_t *len, struct sg_diag *d);

#endif
